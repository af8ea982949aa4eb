//! What both journey drivers share with the link: the frames they ask to send, why a
//! received frame was dropped, EAPOL framing, and the glue between an EAP-WSC method
//! driver and a registration machine's answer.

use alloc::vec::Vec;

use crate::attr::MacAddr;
use crate::eap::{self, EapolPacket, EapolType};
use crate::fifo::Fifo;
use crate::registration::Outgoing;

/// An 802.1X EAPOL frame a driver wants sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Destination MAC address: the peer, or the PAE group address
    /// ([`PAE_GROUP_ADDR`](crate::eap::PAE_GROUP_ADDR)) where the peer is not known yet
    /// (or, for a station, always: wpa_supplicant on a wired port does the same).
    pub to: MacAddr,
    /// The EAPOL PDU (header and body), to go in an Ethernet frame with EtherType 0x888E.
    pub eapol: Vec<u8>,
}

impl core::fmt::Debug for Transmit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Transmit(to {}, {} bytes)", self.to, self.eapol.len())
    }
}

/// Why a received frame was dropped. Dropping is never fatal: the driver goes on as if
/// the frame had not arrived, as the daemons do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Dropped {
    /// Not a well-formed EAPOL frame.
    #[error("not an EAPOL frame: {0}")]
    Eapol(#[from] eap::EapolError),
    /// An EAPOL frame of a kind this side does not take (e.g. an EAPOL-Key).
    #[error("an EAPOL frame of another kind")]
    NotEap,
    /// The EAP layer refused it (malformed, stale identifier, wrong code).
    #[error("refused by the EAP layer: {0}")]
    Eap(#[from] eap::DriverError),
    /// Nothing is running, or it comes from a peer this side is not talking to.
    #[error("no registration is running for this peer")]
    NotExpected,
    /// An EAPOL-Start from a station that is answering this side's Requests: sent before
    /// it saw the conversation begin, and overtaken on the link (see
    /// [`CROSSED_START_WINDOW`](crate::ap::CROSSED_START_WINDOW)).
    #[error("an EAPOL-Start from before the conversation in progress")]
    CrossedStart,
}

/// The EAPOL version both daemons send by default (`eapol_version=2`).
pub(crate) const EAPOL_VERSION: u8 = 2;

/// Queues an EAPOL PDU carrying the EAP packet `eap` for `to`.
pub(crate) fn send_eap(transmits: &mut Fifo<Transmit>, to: MacAddr, version: u8, eap: &[u8]) {
    send(transmits, to, version, EapolType::EapPacket, eap);
}

/// Queues the EAPOL PDU around `body` for `to`: one copy of the framing and the
/// queueing for every frame both drivers send (flash).
pub(crate) fn send(
    transmits: &mut Fifo<Transmit>,
    to: MacAddr,
    version: u8,
    packet_type: EapolType,
    body: &[u8],
) {
    // EAP packets the drivers build are far below 64 KiB (fragments of at most 1400).
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    let mut eapol = Vec::with_capacity(body.len().saturating_add(eap::EAPOL_HEADER_LEN));
    eapol.extend_from_slice(&eap::eapol_header(version, packet_type, len));
    eapol.extend_from_slice(body);
    transmits.push_back(Transmit { to, eapol });
}

/// Reads an EAPOL PDU.
pub(crate) fn parse(bytes: &[u8]) -> Result<EapolPacket<'_>, Dropped> {
    Ok(EapolPacket::parse(bytes)?)
}

/// What a registration machine's answer means to the EAP method driver: a message to
/// send; without one, the end of the method if the machine says the run is over, else
/// "drop this message" (the peer retransmits, or the message was not for this state).
pub(crate) fn method_outcome(reply: Option<Outgoing>, finished: bool) -> eap::Outcome {
    match reply {
        Some(o) => eap::Outcome::Send {
            op_code: o.op_code,
            message: o.bytes,
        },
        None if finished => eap::Outcome::Finished,
        None => eap::Outcome::Ignore,
    }
}
