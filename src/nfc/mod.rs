//! WPS over NFC: password tokens, configuration tokens and connection handover, as
//! hostapd and wpa_supplicant write and read them.
//!
//! * [`ndef`] — the NDEF record and message codec (the envelope).
//! * [`token`] — password tokens ([`PasswordToken`], [`OwnPasswordToken`]) and
//!   configuration tokens ([`ConfigurationToken`], [`ReadConfigurationToken`]).
//! * [`handover`] — the handover request/select carrier records and the NFC Forum
//!   `Hr`/`Hs` messages around them.
//! * [`password`] — the public-key hash, the token password and the uppercase hex string
//!   it enters PSK1/PSK2 as, the DH key pair a device keeps ([`OobKeys`]).
//! * [`oob`] — what the registration machines need from a touch: which key and
//!   password M1 uses, which hash each side checks, and the handover's abbreviated path.
//! * [`keyfile`] — the files a device keeps its token or handover keys in between the
//!   touch and the registration.
//! * [`read_ndef`] — any NDEF message to its WSC attributes (for `wps decode --ndef`).
//!
//! ```
//! use wps::nfc::{read_ndef, Contents};
//! // The printer's password token from the lab (`captures/nfc-tokens.txt`).
//! let hex = "D217446170706C69636174696F6E2F766E642E7766612E777363102C00360A90F7E6E2C682BF149164071B1DA5C60F82746A4962A21747B59B03BF7A419967836A6460103B876D162D81CEEBB6E3882A9AD430E41049000600372A000120";
//! let bytes = hex::decode(hex)?;
//! let ndef = read_ndef(&bytes)?;
//! let Contents::PasswordToken(token) = ndef.contents()? else { panic!() };
//! assert_eq!(token.password_id, 0x4962);
//! assert_eq!(&token.password().device_password().as_bytes()[..8], b"A21747B5");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod handover;
pub mod keyfile;
pub mod ndef;
pub mod oob;
pub mod password;
pub mod token;

mod decode;

pub use decode::{Contents, Framing, NdefWsc, read_ndef};
pub use handover::{HandoverMessage, HandoverRequest, HandoverSelect};
pub use keyfile::{KeyFileError, OwnHandoverRequest};
pub use ndef::NdefError;
pub use oob::{EnrolleeHandover, EnrolleeOob, Exchange, M1Refusal, RegistrarOob};
pub use password::{OobKeys, PublicKeyHash, PublicKeyHashMismatch, TokenPassword};
pub use token::{
    ConfigurationToken, OobDevicePassword, OwnPasswordToken, PasswordToken, ReadConfigurationToken,
};

use crate::attr::{AttrError, AttrType};
use crate::message::MessageError;
use crate::tlv::{Buf, Counter, WriteError};
use ndef::{Record, WSC_MIME_TYPE};

/// Why an NFC token or handover message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NfcError {
    /// The NDEF envelope is malformed.
    #[error(transparent)]
    Ndef(#[from] NdefError),
    /// The message has no `application/vnd.wfa.wsc` record.
    #[error("the NFC message has no Wi-Fi Protected Setup record")]
    NoWscRecord,
    /// The WSC attributes are malformed.
    #[error(transparent)]
    Attr(#[from] AttrError),
    /// A required attribute is absent.
    #[error("the NFC message has no {0} attribute")]
    Missing(AttrType),
    /// An OOB Device Password of the wrong length.
    #[error("the OOB Device Password has an invalid length of {len} bytes")]
    OobDevicePasswordLength {
        /// Its length.
        len: usize,
    },
    /// A password token with a Device Password ID below 0x10.
    #[error("Device Password ID {id:#06x} is reserved; a password token uses 0x0010 or above")]
    PasswordIdReserved {
        /// The ID.
        id: u16,
    },
    /// A handover message whose OOB Device Password is not ID 7 without a password.
    #[error("Device Password ID {id:#06x} is not the one of NFC connection handover (7)")]
    NotHandover {
        /// The ID.
        id: u16,
    },
    /// A Credential of a configuration token lacks what hostapd requires.
    #[error("the configuration token's credential is unusable: {0}")]
    Credential(MessageError),
    /// A carrier record's 2-byte length runs past its payload.
    #[error("the handover carrier declares {declared} bytes but has {available}")]
    CarrierLength {
        /// The length it declares.
        declared: usize,
        /// The bytes that follow the length.
        available: usize,
    },
    /// The message does not start with an `Hr` or `Hs` record.
    #[error("not an NFC handover message")]
    NotHandoverMessage,
    /// A handover version other than 1.x.
    #[error("handover version {version:#04x} is not supported (only 1.x)")]
    HandoverVersion {
        /// The version byte.
        version: u8,
    },
    /// A malformed alternative carrier (`ac`) record.
    #[error("malformed alternative carrier record")]
    AlternativeCarrier,
    /// A malformed collision resolution (`cr`) record.
    #[error("malformed collision resolution record")]
    CollisionResolution,
    /// An alternative carrier names a record the message does not have.
    #[error("an alternative carrier refers to a record that is not in the message")]
    DanglingCarrierReference,
}

/// Something that writes the WSC attributes of an NDEF record's payload.
pub trait WscPayload {
    /// Writes the payload.
    ///
    /// # Errors
    /// [`WriteError`] from the buffer.
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError>;
}

/// Writes `header` (its payload ignored) with a payload of `len` bytes that `body` writes.
fn emit_record_with<B: Buf + ?Sized>(
    out: &mut B,
    header: Record<'_>,
    len: usize,
    body: impl FnOnce(&mut B) -> Result<(), WriteError>,
) -> Result<(), WriteError> {
    let record = Record {
        payload: &[],
        ..header
    };
    let head_len = record.encoded_len();
    crate::tlv::ensure_room(out, head_len.saturating_add(len))?;
    // Write the header with a placeholder payload length, then patch it: the Buf
    // cannot seek, so build the header bytes here instead.
    let mut head = [0u8; 7 + 255 + 255];
    let mut hb = crate::tlv::SliceBuf::new(&mut head);
    record.emit(&mut hb)?;
    let written = hb.as_slice().len();
    let h = head.get_mut(..written).unwrap_or(&mut []);
    if header.short {
        let l = u8::try_from(len).map_err(|_| WriteError::ValueTooLong { len, max: 255 })?;
        if let Some(b) = h.get_mut(2) {
            *b = l;
        }
    } else {
        let l = u32::try_from(len).map_err(|_| WriteError::ValueTooLong {
            len,
            max: ndef::MAX_PAYLOAD_LEN,
        })?;
        if let Some(b) = h.get_mut(2..6) {
            b.copy_from_slice(&l.to_be_bytes());
        }
    }
    out.put(h)?;
    body(out)
}

/// Writes a one-record NDEF message (MB, ME; short below 256 bytes of payload, as
/// hostapd's `ndef_build_wifi`) whose payload `payload` writes.
///
/// # Errors
/// [`WriteError`] from the buffer, [`WriteError::ValueTooLong`] over
/// [`ndef::MAX_PAYLOAD_LEN`] bytes.
pub fn emit_wsc_record<B: Buf + ?Sized, P: WscPayload + ?Sized>(
    out: &mut B,
    payload: &P,
) -> Result<(), WriteError> {
    let len = payload_len(payload, ndef::MAX_PAYLOAD_LEN)?;
    let header = Record {
        short: len < 256,
        ..Record::mime(WSC_MIME_TYPE, &[])
    };
    emit_record_with(out, header, len, |o| payload.emit_payload(o))
}

/// The bytes `payload` writes; [`WriteError::ValueTooLong`] over `max`.
fn payload_len<P: WscPayload + ?Sized>(payload: &P, max: usize) -> Result<usize, WriteError> {
    let mut len = Counter::default();
    payload.emit_payload(&mut len)?;
    if len.0 > max {
        return Err(WriteError::ValueTooLong { len: len.0, max });
    }
    Ok(len.0)
}

/// [`emit_wsc_record`] into a new vector.
///
/// # Errors
/// [`WriteError::ValueTooLong`] for a payload over [`ndef::MAX_PAYLOAD_LEN`] bytes.
#[cfg(feature = "alloc")]
pub fn to_wsc_record<P: WscPayload + ?Sized>(
    payload: &P,
) -> Result<alloc::vec::Vec<u8>, WriteError> {
    let mut out = alloc::vec::Vec::new();
    emit_wsc_record(&mut out, payload)?;
    Ok(out)
}
