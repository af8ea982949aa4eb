//! Any NDEF message a WPS device meets, down to its WSC attributes: the entry point of
//! `wps decode --ndef` and of every "tag read" command.

use core::fmt;

use super::handover::{HandoverKind, HandoverMessage, carrier_attributes};
use super::ndef::Message;
use super::token::{PasswordToken, ReadConfigurationToken};
use super::{HandoverRequest, HandoverSelect, NfcError};
use crate::attr::{AttrType, Attributes};

/// How the WSC attributes were wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// A WSC record whose payload is the attributes: a password or configuration token.
    Token,
    /// A WSC carrier record alone (payload: 2-byte length, attributes), as the daemons'
    /// `nfc_get_handover_req/sel NDEF WPS-CR` print it.
    Carrier,
    /// An NFC Forum Handover Request (`Hr`) around the carrier record.
    HandoverRequest {
        /// Version byte (0x12 = 1.2).
        version: u8,
        /// The collision resolution number, if any.
        collision_resolution: Option<u16>,
    },
    /// An NFC Forum Handover Select (`Hs`) around the carrier record.
    HandoverSelect {
        /// Version byte.
        version: u8,
    },
}

/// An NDEF message read down to its WSC attributes. `Debug` shows the attributes'
/// length only (a token's hold its password).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct NdefWsc<'a> {
    /// The whole checked message.
    pub message: Message<'a>,
    /// How the attributes were wrapped.
    pub framing: Framing,
    /// The WSC attributes (for `wps::attr::pretty::Tree`, or the token parsers).
    pub attributes: &'a [u8],
}

/// What the attributes of an NFC message are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Contents<'a> {
    /// A password token (a device's hash, Device Password ID ≥ 0x10, password).
    PasswordToken(PasswordToken<'a>),
    /// A configuration token (Credentials).
    ConfigurationToken(ReadConfigurationToken<'a>),
    /// A station's handover request.
    HandoverRequest(HandoverRequest),
    /// An AP's handover select.
    HandoverSelect(HandoverSelect<'a>),
}

/// Reads an NDEF message down to its WSC attributes: a token record, a carrier record,
/// or a whole `Hr`/`Hs` handover message (then the WSC carrier its alternative carrier
/// names). Nothing is allocated.
///
/// A WSC record outside a handover message is a carrier record when its payload does not
/// start with 0x10 (every WSC attribute type does; a carrier starts with its length).
///
/// # Errors
/// [`NfcError::Ndef`], [`NfcError::NoWscRecord`], [`NfcError::CarrierLength`] and the
/// handover message errors of [`HandoverMessage::parse`].
pub fn read_ndef(bytes: &[u8]) -> Result<NdefWsc<'_>, NfcError> {
    let message = Message::parse(bytes)?;
    if HandoverMessage::is_handover(&message) {
        let h = HandoverMessage::parse(message)?;
        let carrier = h.wsc_carrier().ok_or(NfcError::NoWscRecord)?;
        let framing = match h.kind {
            HandoverKind::Request {
                collision_resolution,
            } => Framing::HandoverRequest {
                version: h.version,
                collision_resolution,
            },
            HandoverKind::Select => Framing::HandoverSelect { version: h.version },
        };
        return Ok(NdefWsc {
            message,
            framing,
            attributes: carrier_attributes(carrier)?,
        });
    }
    let payload = message.wsc_payload().ok_or(NfcError::NoWscRecord)?;
    if payload.first() == Some(&0x10) {
        Ok(NdefWsc {
            message,
            framing: Framing::Token,
            attributes: payload,
        })
    } else {
        Ok(NdefWsc {
            message,
            framing: Framing::Carrier,
            attributes: carrier_attributes(payload)?,
        })
    }
}

impl fmt::Debug for NdefWsc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NdefWsc")
            .field("message", &self.message)
            .field("framing", &self.framing)
            .field("attributes_len", &self.attributes.len())
            .finish()
    }
}

impl<'a> NdefWsc<'a> {
    /// What the attributes are: in a handover message, what its kind says; in a carrier
    /// record, a select when it has an SSID, else a request; in a token record, a
    /// configuration token when it has a Credential, else a password token.
    ///
    /// # Errors
    /// The errors of the matching parser.
    pub fn contents(&self) -> Result<Contents<'a>, NfcError> {
        let select = match self.framing {
            Framing::HandoverRequest { .. } => false,
            Framing::HandoverSelect { .. } => true,
            Framing::Carrier => Attributes::parse(self.attributes)?.contains(AttrType::Ssid),
            Framing::Token => {
                let attrs = Attributes::parse(self.attributes)?;
                return if attrs.credentials().next().is_some() {
                    ReadConfigurationToken::parse(self.attributes).map(Contents::ConfigurationToken)
                } else {
                    PasswordToken::parse(self.attributes).map(Contents::PasswordToken)
                };
            }
        };
        if select {
            HandoverSelect::parse(self.attributes).map(Contents::HandoverSelect)
        } else {
            HandoverRequest::parse(self.attributes).map(Contents::HandoverRequest)
        }
    }
}

/// The envelope, one line per record, then the framing (the attributes are for
/// `wps::attr::pretty::Tree`).
impl fmt::Display for NdefWsc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for r in self.message.records() {
            write!(
                f,
                "NDEF record: header {:#04x} (MB={} ME={} SR={} TNF={} {}) type '{}'",
                r.header(),
                u8::from(r.message_begin),
                u8::from(r.message_end),
                u8::from(r.short),
                r.tnf.to_u8(),
                r.tnf.name(),
                r.record_type.escape_ascii(),
            )?;
            if let Some(id) = r.id {
                write!(f, " id '{}'", id.escape_ascii())?;
            }
            writeln!(f, " payload {} bytes", r.payload.len())?;
        }
        match self.framing {
            Framing::Token => {
                writeln!(f, "token: WSC attributes ({} bytes)", self.attributes.len())
            }
            Framing::Carrier => writeln!(
                f,
                "carrier record: 2-byte length {}, then WSC attributes",
                self.attributes.len()
            ),
            Framing::HandoverRequest {
                version,
                collision_resolution,
            } => {
                write!(f, "handover request {}.{}", version >> 4, version & 0x0f)?;
                if let Some(c) = collision_resolution {
                    write!(f, ", collision resolution {c:#06x}")?;
                }
                writeln!(
                    f,
                    "; WSC carrier: {} bytes of attributes",
                    self.attributes.len()
                )
            }
            Framing::HandoverSelect { version } => writeln!(
                f,
                "handover select {}.{}; WSC carrier: {} bytes of attributes",
                version >> 4,
                version & 0x0f,
                self.attributes.len()
            ),
        }
    }
}
