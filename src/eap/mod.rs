//! EAP-WSC framing: the EAP expanded-type header that carries WSC messages,
//! EAPOL, fragmentation and bounded reassembly, the EAP method drivers for
//! both ends, and the 802.11 WPS vendor IE wrapping.
//!
//! Everything here is sans-IO: parsers borrow, builders write into caller
//! buffers (or `Vec`s with the `alloc` feature).
//!
//! | file | idea |
//! |---|---|
//! | `packet` | EAP header, Identity, Success/Failure, WSC Op-Code/Flags/Length |
//! | `eapol` | the EAPOL header around EAP on a LAN |
//! | `fragment` | cutting a message into fragments ([`Fragmenter`]) |
//! | `reassemble` | bounded reassembly ([`Reassembler`], `VecReassembler`) |
//! | `method` | the `WscHandler` interface between drivers and registration (alloc) |
//! | `peer` | `WscPeer`, the station's EAP-WSC method (alloc) |
//! | `server` | `WscServer`, the authenticator's EAP-WSC method (alloc) |
//! | `element` | 802.11 element framing: WPS vendor elements in frames ([`element::ElementError`]) |

mod eapol;
pub mod element;
mod fragment;
#[cfg(feature = "alloc")]
mod method;
mod packet;
#[cfg(feature = "alloc")]
mod peer;
mod reassemble;
#[cfg(feature = "alloc")]
mod server;

pub use eapol::{
    EAPOL_HEADER_LEN, ETHERTYPE_EAPOL, EapolError, EapolPacket, EapolType, PAE_GROUP_ADDR,
    header as eapol_header,
};
pub use fragment::{
    DEFAULT_FRAGMENT_SIZE, FragmentError, Fragmenter, MAX_FRAGMENT_SIZE, MIN_FRAGMENT_SIZE,
};
#[cfg(feature = "alloc")]
pub use method::{Action, DriverError, Outcome, WscHandler};
pub use packet::{
    Body, Code, EAP_HEADER_LEN, EapPacket, Flags, IDENTITY_ENROLLEE, IDENTITY_REGISTRAR, OpCode,
    ParseError, TYPE_EXPANDED, TYPE_IDENTITY, VENDOR_ID_WFA, VENDOR_TYPE_SIMPLE_CONFIG,
    WSC_HEADER_LEN, WscFrame,
};
#[cfg(feature = "alloc")]
pub use peer::{PEER_FINAL_TIMEOUT, PEER_TIMEOUT, PeerRole, WscPeer};
#[cfg(feature = "alloc")]
pub use reassemble::VecReassembler;
pub use reassemble::{MAX_MESSAGE_LEN, Reassembled, Reassembler, ReassemblerIn, ReassemblyError};
#[cfg(feature = "alloc")]
pub use server::{MAX_RETRANS, PENDING_TIMEOUT, RETRANS_TIMEOUT, ServerRole, WscServer};

/// Test support: `emit` into a buffer of exactly `bytes.len()` writes `bytes`.
#[cfg(all(test, feature = "std"))]
fn assert_emits(
    emit: impl FnOnce(&mut [u8]) -> Result<usize, crate::tlv::WriteError>,
    bytes: &[u8],
) {
    let mut out = std::vec![0u8; bytes.len()];
    assert_eq!(emit(&mut out), Ok(bytes.len()));
    assert_eq!(out, bytes);
}
