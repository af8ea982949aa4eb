//! The EAP-WSC peer (the station side, EAP Responses): Identity, WSC_Start,
//! fragmentation with WSC_FRAG_ACK, retransmitted Requests, and the end of
//! the conversation. Sans-IO and time-injected.

use alloc::vec::Vec;
use core::time::Duration;

use crate::time::Instant;

use super::fragment::clamp_fragment_size;
use super::method::{Action, DriverError, Outcome, Outgoing, WscHandler, emit_empty};
use super::{
    Body, Code, EapPacket, FragmentError, Fragmenter, IDENTITY_ENROLLEE, IDENTITY_REGISTRAR,
    OpCode, Reassembled, VecReassembler,
};

/// How long the peer waits for the next Request (wpa_supplicant caps its
/// client timeout at 30 s when EAP-WSC starts).
pub const PEER_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the peer waits for EAP-Failure after its final message.
pub const PEER_FINAL_TIMEOUT: Duration = Duration::from_secs(2);

/// Which registration role the station plays; selects the EAP Identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerRole {
    /// `WFA-SimpleConfig-Enrollee-1-0`: the AP is the Registrar and sends WSC_Start.
    Enrollee,
    /// `WFA-SimpleConfig-Registrar-1-0`: the AP is the Enrollee and sends M1 first.
    Registrar,
}

impl PeerRole {
    /// The EAP Identity for this role.
    pub fn identity(self) -> &'static [u8] {
        match self {
            PeerRole::Enrollee => IDENTITY_ENROLLEE,
            PeerRole::Registrar => IDENTITY_REGISTRAR,
        }
    }
}

/// EAP-WSC peer driver. Feed it every EAP packet from the authenticator; it
/// answers Identity itself and hands whole WSC messages to a [`WscHandler`].
///
/// ```
/// use wps::time::Instant;
/// use wps::eap::{Action, OpCode, Outcome, PeerRole, WscHandler, WscPeer};
///
/// struct M1Sender;
/// impl WscHandler for M1Sender {
///     fn handle(&mut self, op: OpCode, _msg: &[u8], _now: Instant) -> Outcome {
///         assert_eq!(op, OpCode::Start);
///         Outcome::Send { op_code: OpCode::Msg, message: vec![0x10, 0x4a, 0, 1, 0x10] }
///     }
/// }
/// let mut peer = WscPeer::new(PeerRole::Enrollee, 1400)?;
/// let now = Instant::ZERO;
/// let id_req = [1, 7, 0, 5, 1];
/// let Action::Send(resp) = peer.receive(&id_req, now, &mut M1Sender)? else { panic!() };
/// assert_eq!(&resp[5..], b"WFA-SimpleConfig-Enrollee-1-0");
/// let start = [1, 8, 0, 14, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 1, 0];
/// let Action::Send(m1) = peer.receive(&start, now, &mut M1Sender)? else { panic!() };
/// assert_eq!(&m1[12..], [4, 0, 0x10, 0x4a, 0, 1, 0x10]);
/// assert_eq!(peer.receive(&[4, 8, 0, 4], now, &mut M1Sender)?, Action::Finished);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct WscPeer {
    role: PeerRole,
    fragment_size: usize,
    reassembler: VecReassembler,
    outgoing: Option<Outgoing>,
    /// The last Response sent, resent when its Request is retransmitted.
    out: Vec<u8>,
    last_id: Option<u8>,
    method_done: bool,
    finished: bool,
    deadline: Option<Instant>,
}

impl WscPeer {
    /// A peer in `role` sending fragments of at most `fragment_size` (see [`Fragmenter`]).
    pub fn new(role: PeerRole, fragment_size: usize) -> Result<Self, FragmentError> {
        Fragmenter::new(OpCode::Msg, &[], fragment_size)?;
        Ok(Self::with(role, fragment_size))
    }

    /// [`new`](Self::new) with a configured fragment size brought into what the EAP
    /// layer accepts, so that it cannot fail (the station's).
    pub(crate) fn clamped(role: PeerRole, fragment_size: usize) -> Self {
        Self::with(role, clamp_fragment_size(fragment_size))
    }

    /// A peer whose fragment size is already checked.
    fn with(role: PeerRole, fragment_size: usize) -> Self {
        WscPeer {
            role,
            fragment_size,
            reassembler: VecReassembler::new(),
            outgoing: None,
            out: Vec::new(),
            last_id: None,
            method_done: false,
            finished: false,
            deadline: None,
        }
    }

    /// Process one EAP packet (the EAPOL body). Errors mean the packet was
    /// dropped; the peer stays usable, as wpa_supplicant ignores such packets.
    pub fn receive<H: WscHandler + ?Sized>(
        &mut self,
        eap: &[u8],
        now: Instant,
        handler: &mut H,
    ) -> Result<Action<'_>, DriverError> {
        let p = EapPacket::parse(eap)?;
        match p.code {
            Code::Success | Code::Failure => {
                self.finished = true;
                self.deadline = None;
                return Ok(Action::Finished);
            }
            Code::Request => {}
            _ => return Err(DriverError::UnexpectedCode),
        }
        if self.finished {
            return Ok(Action::Nothing);
        }
        if self.last_id == Some(p.identifier) && !self.out.is_empty() {
            // a retransmitted Request: our Response was lost
            if !self.method_done {
                self.deadline = Some(now.saturating_add(PEER_TIMEOUT));
            }
            return Ok(Action::Send(&self.out));
        }
        let id = p.identifier;
        match p.body {
            Body::Identity(_) => {
                self.reassembler.reset();
                self.outgoing = None;
                self.method_done = false;
                self.out.clear();
                // an identity of at most 30 bytes always fits
                let _ = EapPacket::identity(Code::Response, id, self.role.identity())
                    .emit_vec(&mut self.out);
            }
            Body::Wsc(frame) => {
                if self.outgoing.is_some() {
                    if frame.op_code != OpCode::FragAck {
                        return Err(DriverError::UnexpectedOpCode(frame.op_code));
                    }
                } else if frame.op_code == OpCode::FragAck || self.method_done {
                    return Err(DriverError::UnexpectedOpCode(frame.op_code));
                } else {
                    match self.reassembler.push(&frame)? {
                        Reassembled::NeedFragAck => {
                            emit_empty(Code::Response, id, OpCode::FragAck, &mut self.out)
                        }
                        Reassembled::Complete { op_code, message } => {
                            match handler.handle(op_code, message, now) {
                                Outcome::Send { op_code, message } => {
                                    self.outgoing = Some(Outgoing {
                                        op_code,
                                        message,
                                        sent: 0,
                                    });
                                }
                                Outcome::Finished => {
                                    self.method_done = true;
                                    self.deadline = Some(now.saturating_add(PEER_FINAL_TIMEOUT));
                                    return Ok(Action::Nothing);
                                }
                                Outcome::Ignore | Outcome::Pending => {
                                    return Ok(Action::Nothing);
                                }
                            }
                        }
                    }
                }
                // The first fragment of a new answer, or the next one after a WSC_FRAG_ACK.
                if let Some(og) = self.outgoing.as_mut() {
                    let sent = og.emit_next(Code::Response, id, self.fragment_size, &mut self.out);
                    if !matches!(sent, Ok(true)) {
                        // The whole message is out (or it cannot be sent): forget it.
                        let op = og.op_code;
                        self.outgoing = None;
                        if sent.is_ok() {
                            self.after_final(op, now);
                        }
                    }
                    sent?;
                }
            }
            Body::Other { eap_type, .. } => return Err(DriverError::UnexpectedType(eap_type)),
            Body::Empty => return Err(DriverError::UnexpectedCode),
        }
        self.last_id = Some(id);
        if !self.method_done {
            self.deadline = Some(now.saturating_add(PEER_TIMEOUT));
        }
        Ok(Action::Send(&self.out))
    }

    fn after_final(&mut self, op: OpCode, now: Instant) {
        if matches!(op, OpCode::Done | OpCode::Nack) {
            self.method_done = true;
            self.deadline = Some(now.saturating_add(PEER_FINAL_TIMEOUT));
        }
    }

    /// Check the timer: [`Action::Finished`] once the authenticator has been
    /// silent too long (the caller gives up), else [`Action::Nothing`].
    pub fn poll(&mut self, now: Instant) -> Action<'_> {
        match self.deadline {
            Some(d) if now >= d => {
                self.finished = true;
                self.deadline = None;
                Action::Finished
            }
            _ if self.finished => Action::Finished,
            _ => Action::Nothing,
        }
    }

    /// When [`poll`](Self::poll) should next be called, if a timer runs.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadline
    }

    /// Whether the peer sent its final message (WSC_Done / WSC_NACK) or the
    /// handler said the run is over.
    pub fn method_done(&self) -> bool {
        self.method_done
    }

    /// Whether the conversation is over (EAP-Failure/Success or timeout).
    pub fn is_finished(&self) -> bool {
        self.finished
    }
}
