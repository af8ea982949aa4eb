//! What the EAP-WSC method drivers ([`WscPeer`](super::WscPeer),
//! [`WscServer`](super::WscServer)) share: the interface to the registration
//! machine, what a driver asks its caller to do, and its errors.

use alloc::vec::Vec;

use crate::time::Instant;

use super::{FragmentError, OpCode, ParseError, ReassemblyError};

/// A registration machine (Enrollee or Registrar) as an EAP-WSC driver sees it:
/// whole WSC messages in, whole WSC messages out.
///
/// `op_code` is [`OpCode::Start`] with an empty message when the driver
/// invites the machine to speak first: the station Enrollee on WSC_Start, and
/// the AP Enrollee right after the Registrar's Identity (there is no
/// WSC_Start in that direction).
pub trait WscHandler {
    /// React to one reassembled message. `now` is the caller's monotonic time.
    fn handle(&mut self, op_code: OpCode, message: &[u8], now: Instant) -> Outcome;
}

/// The registration machine's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Send this message (the driver fragments it).
    Send {
        /// WSC_MSG for M1..M8/M2D, WSC_ACK, WSC_NACK or WSC_Done.
        op_code: OpCode,
        /// The WSC attribute stream.
        message: Vec<u8>,
    },
    /// The run is over and there is nothing to send: the server ends the
    /// conversation with EAP-Failure, the peer waits for it.
    Finished,
    /// Drop the message (e.g. a retransmission, or not valid in this state).
    Ignore,
    /// The answer comes later from elsewhere (an external registrar over UPnP, which
    /// the access point relays to): the server sends nothing and waits, without
    /// retransmitting, until [`WscServer::resume`](super::WscServer::resume) or its
    /// [`PENDING_TIMEOUT`](super::PENDING_TIMEOUT) (a peer treats it as
    /// [`Outcome::Ignore`]).
    Pending,
}

/// What the caller should do after feeding a driver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    /// Send this EAP packet (wrap it in an EAPOL EAP-Packet header).
    Send(&'a [u8]),
    /// Nothing to send now.
    Nothing,
    /// The EAP conversation is over (peer: EAP-Failure/Success received or
    /// timed out; server: EAP-Failure sent or retransmissions exhausted).
    Finished,
}

/// Why a driver dropped a packet or failed the method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DriverError {
    /// The packet is not a well-formed EAP packet.
    #[error("malformed EAP packet: {0}")]
    Parse(#[from] ParseError),
    /// Fragments did not add up.
    #[error("reassembly failed: {0}")]
    Reassembly(#[from] ReassemblyError),
    /// Our own message could not be fragmented.
    #[error("cannot send: {0}")]
    Fragment(#[from] FragmentError),
    /// A Code this side never receives (e.g. a Response at the peer).
    #[error("unexpected EAP code")]
    UnexpectedCode,
    /// The Identifier does not match the outstanding Request.
    #[error("EAP identifier {got} does not match {expected}")]
    WrongIdentifier {
        /// Identifier of our Request.
        expected: u8,
        /// Identifier received.
        got: u8,
    },
    /// Neither Identity nor EAP-WSC.
    #[error("EAP type {0} is not handled")]
    UnexpectedType(u8),
    /// The Identity names a role this server does not play.
    #[error("identity does not select a WSC role this side serves")]
    UnknownIdentity,
    /// A WSC Op-Code not valid at this point (e.g. a message while we wait for WSC_FRAG_ACK).
    #[error("unexpected WSC op-code {0:?}")]
    UnexpectedOpCode(OpCode),
    /// The other side stopped answering.
    #[error("timed out")]
    Timeout,
}

/// A message being sent fragment by fragment.
#[derive(Debug)]
pub(super) struct Outgoing {
    pub op_code: OpCode,
    pub message: Vec<u8>,
    pub sent: usize,
}

impl Outgoing {
    /// Write the next fragment of `self` as EAP packet `code`/`id` into `out`;
    /// returns whether more fragments remain.
    pub fn emit_next(
        &mut self,
        code: super::Code,
        id: u8,
        fragment_size: usize,
        out: &mut Vec<u8>,
    ) -> Result<bool, DriverError> {
        let mut frags =
            super::Fragmenter::resume(self.op_code, &self.message, fragment_size, self.sent)?;
        let frame = frags
            .next()
            .unwrap_or(super::WscFrame::unfragmented(self.op_code, &[]));
        out.clear();
        // a fragment is at most MAX_FRAGMENT_SIZE, so the EAP length fits
        super::EapPacket::wsc(code, id, frame)
            .emit_vec(out)
            .map_err(|_| FragmentError::MessageTooLong(self.message.len()))?;
        self.sent = frags.bytes_sent();
        Ok(!frags.is_finished())
    }
}

/// Write a WSC_FRAG_ACK or other empty WSC frame.
pub(super) fn emit_empty(code: super::Code, id: u8, op_code: OpCode, out: &mut Vec<u8>) {
    out.clear();
    // 14 bytes always fit
    let _ =
        super::EapPacket::wsc(code, id, super::WscFrame::unfragmented(op_code, &[])).emit_vec(out);
}
