//! The EAP-WSC server (the authenticator side, EAP Requests): Identity,
//! WSC_Start, fragmentation with WSC_FRAG_ACK, Identifier tracking,
//! retransmission and the final EAP-Failure. Sans-IO and time-injected.

use alloc::vec::Vec;
use core::time::Duration;

use crate::time::Instant;

use super::fragment::clamp_fragment_size;
use super::method::{Action, DriverError, Outcome, Outgoing, WscHandler, emit_empty};
use super::{
    Body, Code, EapPacket, FragmentError, Fragmenter, IDENTITY_ENROLLEE, IDENTITY_REGISTRAR,
    OpCode, Reassembled, VecReassembler,
};

/// hostapd's EAP-WSC retransmission timeout.
pub const RETRANS_TIMEOUT: Duration = Duration::from_secs(5);
/// Retransmissions of one Request before giving up (hostapd's MaxRetrans).
pub const MAX_RETRANS: u8 = 2;
/// How long the server waits for a [pending](Outcome::Pending) answer before it ends the
/// conversation with EAP-Failure (hostapd's wait for an external registrar, 5 s).
pub const PENDING_TIMEOUT: Duration = Duration::from_secs(5);

/// Which registration role the server's handler plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServerRole {
    /// The AP's registrar: serves stations saying `WFA-SimpleConfig-Enrollee-1-0`
    /// and sends WSC_Start.
    Registrar,
    /// The AP as Enrollee: serves external registrars saying
    /// `WFA-SimpleConfig-Registrar-1-0` and sends M1 first.
    Enrollee,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Idle,
    WaitIdentity,
    Method,
    Finished,
}

/// EAP-WSC server driver.
///
/// ```
/// use wps::time::Instant;
/// use wps::eap::{Action, OpCode, Outcome, ServerRole, WscHandler, WscServer};
///
/// struct Registrar;
/// impl WscHandler for Registrar {
///     fn handle(&mut self, _op: OpCode, _msg: &[u8], _now: Instant) -> Outcome {
///         Outcome::Finished
///     }
/// }
/// let mut server = WscServer::new(ServerRole::Registrar, 1400, 77)?;
/// let now = Instant::ZERO;
/// let Action::Send(req) = server.start(now) else { panic!() };
/// assert_eq!(req, [1, 77, 0, 5, 1]);
/// let mut resp = vec![2, 77, 0, 34, 1];
/// resp.extend_from_slice(b"WFA-SimpleConfig-Enrollee-1-0");
/// let Action::Send(start) = server.receive(&resp, now, &mut Registrar)? else { panic!() };
/// assert_eq!(start, [1, 78, 0, 14, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 1, 0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WscServer {
    /// The role this server plays: fixed at construction, or chosen by the peer's
    /// Identity ([`WscServer::serving_both`]); `None` until then.
    role: Option<ServerRole>,
    /// Whether the peer's Identity chooses the role.
    both: bool,
    fragment_size: usize,
    state: State,
    id: u8,
    reassembler: VecReassembler,
    outgoing: Option<Outgoing>,
    out: Vec<u8>,
    retrans: u8,
    /// Resends of one Request before giving up ([`MAX_RETRANS`] unless set).
    max_retrans: u8,
    deadline: Option<Instant>,
    error: Option<DriverError>,
    /// The handler answered [`Outcome::Pending`]: waiting for [`WscServer::resume`].
    pending: bool,
}

impl WscServer {
    /// A server whose first Request carries Identifier `first_id`.
    pub fn new(
        role: ServerRole,
        fragment_size: usize,
        first_id: u8,
    ) -> Result<Self, FragmentError> {
        Fragmenter::new(OpCode::Msg, &[], fragment_size)?;
        Ok(Self::with(Some(role), fragment_size, first_id))
    }

    /// A server for both roles, as an access point is: the peer's Identity decides
    /// (`WFA-SimpleConfig-Enrollee-1-0`: we are the Registrar and send WSC_Start;
    /// `WFA-SimpleConfig-Registrar-1-0`: we are the Enrollee and the handler is invited
    /// to send M1). [`role`](Self::role) tells which, once the Identity has arrived.
    pub fn serving_both(fragment_size: usize, first_id: u8) -> Result<Self, FragmentError> {
        Fragmenter::new(OpCode::Msg, &[], fragment_size)?;
        Ok(Self::with(None, fragment_size, first_id))
    }

    /// [`serving_both`](Self::serving_both) with a configured fragment size brought into
    /// what the EAP layer accepts, so that it cannot fail (the access point's; a server
    /// moved through a `Result` cost its callers 0.2 KB of flash).
    pub(crate) fn serving_both_clamped(fragment_size: usize, first_id: u8) -> Self {
        Self::with(None, clamp_fragment_size(fragment_size), first_id)
    }

    /// A server for `role` (`None`: both), its fragment size already checked.
    fn with(role: Option<ServerRole>, fragment_size: usize, first_id: u8) -> Self {
        WscServer {
            role,
            both: role.is_none(),
            fragment_size,
            state: State::Idle,
            id: first_id.wrapping_sub(1),
            reassembler: VecReassembler::new(),
            outgoing: None,
            out: Vec::new(),
            retrans: 0,
            max_retrans: MAX_RETRANS,
            deadline: None,
            error: None,
            pending: false,
        }
    }

    /// Resend an unanswered Request up to `retransmissions` times, [`RETRANS_TIMEOUT`]
    /// apart, before giving up (hostapd: [`MAX_RETRANS`], the default).
    pub fn set_max_retransmissions(&mut self, retransmissions: u8) {
        self.max_retrans = retransmissions;
    }

    /// The role of the conversation: fixed, or chosen by the peer's Identity.
    pub fn role(&self) -> Option<ServerRole> {
        self.role
    }

    /// The Identifier of the outstanding Request.
    pub fn identifier(&self) -> u8 {
        self.id
    }

    /// (Re)start the conversation with an Identity Request, e.g. on
    /// EAPOL-Start.
    pub fn start(&mut self, now: Instant) -> Action<'_> {
        if self.both {
            self.role = None;
        }
        self.reassembler.reset();
        self.outgoing = None;
        self.error = None;
        self.pending = false;
        self.state = State::WaitIdentity;
        self.id = self.id.wrapping_add(1);
        self.out.clear();
        // 5 bytes always fit
        let _ = EapPacket::identity(Code::Request, self.id, &[]).emit_vec(&mut self.out);
        self.armed(now)
    }

    /// Sends the next Request: an empty WSC frame (WSC_Start or WSC_FRAG_ACK).
    fn request_empty(&mut self, op_code: OpCode, now: Instant) -> Action<'_> {
        self.id = self.id.wrapping_add(1);
        emit_empty(Code::Request, self.id, op_code, &mut self.out);
        self.armed(now)
    }

    fn armed(&mut self, now: Instant) -> Action<'_> {
        self.retrans = 0;
        self.deadline = Some(now.saturating_add(RETRANS_TIMEOUT));
        Action::Send(&self.out)
    }

    /// Process one EAP Response. `Err` means the packet was dropped (malformed,
    /// stale Identifier); the conversation goes on. Fatal protocol errors
    /// instead end it with EAP-Failure (see [`failure_reason`](Self::failure_reason)).
    pub fn receive<H>(
        &mut self,
        response: &[u8],
        now: Instant,
        handler: &mut H,
    ) -> Result<Action<'_>, DriverError>
    where
        H: WscHandler + ?Sized,
    {
        if matches!(self.state, State::Idle | State::Finished) || self.pending {
            return Ok(Action::Nothing);
        }
        let p = EapPacket::parse(response)?;
        if p.code != Code::Response {
            return Err(DriverError::UnexpectedCode);
        }
        if p.identifier != self.id {
            return Err(DriverError::WrongIdentifier {
                expected: self.id,
                got: p.identifier,
            });
        }
        match (self.state, p.body) {
            (State::WaitIdentity, Body::Identity(identity)) => {
                let chosen = if identity == IDENTITY_ENROLLEE {
                    ServerRole::Registrar
                } else if identity == IDENTITY_REGISTRAR {
                    ServerRole::Enrollee
                } else {
                    return Ok(self.fail(DriverError::UnknownIdentity));
                };
                let role = match self.role {
                    None if self.both => chosen,
                    Some(r) if r == chosen => r,
                    _ => return Ok(self.fail(DriverError::UnknownIdentity)),
                };
                self.role = Some(role);
                self.state = State::Method;
                match role {
                    ServerRole::Registrar => Ok(self.request_empty(OpCode::Start, now)),
                    ServerRole::Enrollee => {
                        let outcome = handler.handle(OpCode::Start, &[], now);
                        Ok(self.answer(outcome, now))
                    }
                }
            }
            (State::Method, Body::Wsc(frame)) => {
                if self.outgoing.is_some() {
                    if frame.op_code != OpCode::FragAck {
                        return Ok(self.fail(DriverError::UnexpectedOpCode(frame.op_code)));
                    }
                    return Ok(self.send_next(now));
                }
                if frame.op_code == OpCode::FragAck {
                    return Ok(self.fail(DriverError::UnexpectedOpCode(frame.op_code)));
                }
                let outcome = match self.reassembler.push(&frame) {
                    Err(e) => return Ok(self.fail(e.into())),
                    Ok(Reassembled::NeedFragAck) => None,
                    Ok(Reassembled::Complete { op_code, message }) => {
                        Some(handler.handle(op_code, message, now))
                    }
                };
                match outcome {
                    None => Ok(self.request_empty(OpCode::FragAck, now)),
                    Some(outcome) => Ok(self.answer(outcome, now)),
                }
            }
            (_, Body::Identity(_)) => Err(DriverError::UnexpectedType(super::TYPE_IDENTITY)),
            (_, Body::Wsc(_)) => Err(DriverError::UnexpectedType(super::TYPE_EXPANDED)),
            (_, Body::Other { eap_type, .. }) => {
                // a Nak or another method: this server speaks only EAP-WSC
                Ok(self.fail(DriverError::UnexpectedType(eap_type)))
            }
            (_, Body::Empty) => Err(DriverError::UnexpectedCode),
        }
    }

    fn answer(&mut self, outcome: Outcome, now: Instant) -> Action<'_> {
        match outcome {
            Outcome::Send { op_code, message } => {
                self.outgoing = Some(Outgoing {
                    op_code,
                    message,
                    sent: 0,
                });
                self.send_next(now)
            }
            Outcome::Finished => self.end(),
            // keep the last Request outstanding; the timer retransmits it
            Outcome::Ignore => Action::Nothing,
            Outcome::Pending => {
                self.pending = true;
                self.deadline = Some(now.saturating_add(PENDING_TIMEOUT));
                Action::Nothing
            }
        }
    }

    /// Whether the server waits for a [pending](Outcome::Pending) answer.
    pub fn is_pending(&self) -> bool {
        self.pending && self.state == State::Method
    }

    /// The answer the handler left [pending](Outcome::Pending): send it (or end, or
    /// wait again). Nothing happens when no answer is pending.
    pub fn resume(&mut self, outcome: Outcome, now: Instant) -> Action<'_> {
        if !self.is_pending() {
            return Action::Nothing;
        }
        self.pending = false;
        self.answer(outcome, now)
    }

    fn send_next(&mut self, now: Instant) -> Action<'_> {
        let Some(og) = self.outgoing.as_mut() else {
            return Action::Nothing;
        };
        let id = self.id.wrapping_add(1);
        match og.emit_next(Code::Request, id, self.fragment_size, &mut self.out) {
            Ok(more) => {
                if !more {
                    self.outgoing = None;
                }
                self.id = id;
                self.armed(now)
            }
            Err(e) => self.fail(e),
        }
    }

    fn fail(&mut self, e: DriverError) -> Action<'_> {
        self.error = Some(e);
        self.end()
    }

    /// EAP-Failure ends every WSC conversation, successful or not.
    fn end(&mut self) -> Action<'_> {
        self.state = State::Finished;
        self.pending = false;
        self.deadline = None;
        self.outgoing = None;
        self.out.clear();
        let _ = EapPacket::failure(self.id).emit_vec(&mut self.out);
        Action::Send(&self.out)
    }

    /// Check the retransmission timer: resend the outstanding Request, or
    /// give up ([`Action::Finished`], reason [`DriverError::Timeout`]).
    pub fn poll(&mut self, now: Instant) -> Action<'_> {
        match self.deadline {
            Some(d) if now >= d && self.pending => {
                // hostapd's "Timeout while waiting for an External Registrar"
                self.pending = false;
                self.fail(DriverError::Timeout)
            }
            Some(d) if now >= d => {
                if self.retrans < self.max_retrans {
                    // Below max_retrans: cannot saturate.
                    self.retrans = self.retrans.saturating_add(1);
                    self.deadline = Some(now.saturating_add(RETRANS_TIMEOUT));
                    Action::Send(&self.out)
                } else {
                    self.state = State::Finished;
                    self.deadline = None;
                    self.error = Some(DriverError::Timeout);
                    Action::Finished
                }
            }
            _ if self.state == State::Finished => Action::Finished,
            _ => Action::Nothing,
        }
    }

    /// When [`poll`](Self::poll) should next be called, if a timer runs.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether EAP-Failure was sent or the peer stopped answering.
    pub fn is_finished(&self) -> bool {
        self.state == State::Finished
    }

    /// Why the method failed, if it did (`None` after a normal end).
    pub fn failure_reason(&self) -> Option<DriverError> {
        self.error
    }
}
