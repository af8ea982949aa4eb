//! The registration protocol messages: M1..M8, M2D, WSC_ACK, WSC_NACK and WSC_Done, the
//! plaintexts of their Encrypted Settings, and Credentials.
//!
//! Every message is a struct of typed, public fields that borrow from the input. The same
//! struct is the parsed view and the builder:
//!
//! * `X::parse(bytes)` reads the attributes with hostapd's rules ([`Attributes::parse`]),
//!   checks Version, the Message Type and the attributes that hostapd's (non-strict)
//!   processing needs, and fills the fields. It does not allocate. A missing attribute is
//!   reported by name ([`MessageError::Missing`]).
//! * `x.emit(&mut buf)` writes the attributes in hostapd's order, byte for byte what
//!   hostapd writes for the same values. Messages that end in an Authenticator also have
//!   `emit_without_authenticator`: compute the Authenticator over the bytes written so far
//!   and add it with [`append_authenticator`].
//! * [`Message::to_bytes`] (and `x.to_bytes()`) re-encodes a *parsed* message in the
//!   peer's order: each attribute the view types is written from its field, everything
//!   else (unknown attributes, vendor extensions, duplicates hostapd ignores, trailing
//!   padding) is copied from the input. The input is kept in the [`Extra`] field for that;
//!   a message built from fields has [`Extra::NONE`] (or just its own vendor extensions)
//!   and `to_bytes` equals `emit`.
//!
//! ```
//! use wps::attr::MessageType;
//! use wps::message::{append_authenticator, Ack, Extra, Message, M3};
//!
//! // Build an M3 the way the registration machine does.
//! let m3 = M3 {
//!     version: 0x10,
//!     registrar_nonce: &[2; 16],
//!     e_hash1: &[3; 32],
//!     e_hash2: &[4; 32],
//!     wfa: Some(wps::attr::WfaExtension::version2_only()),
//!     authenticator: None,
//!     extra: Extra::NONE,
//! };
//! let mut buf = Vec::new();
//! m3.emit_without_authenticator(&mut buf)?;
//! let authenticator = [0xAA; 8]; // wps::crypto::authenticator(auth_key, &m2, &buf)
//! append_authenticator(&mut buf, &authenticator)?;
//!
//! let parsed = Message::parse(&buf)?;
//! assert_eq!(parsed.message_type(), MessageType::M3);
//! assert_eq!(parsed.to_bytes(), buf);
//! let Message::M3(v) = parsed else { unreachable!() };
//! assert_eq!(v.authenticator, Some(authenticator));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[macro_use]
pub(crate) mod macros;
mod config_data;
mod control;
mod credential;
mod device;
#[cfg(feature = "alloc")]
mod envelope;
mod error;
pub mod ie;
mod m1;
mod m2;
mod m3_m8;
mod multi_ap;
mod opcode;
mod settings;

pub use config_data::ConfigData;
pub use control::{Ack, Done, Nack};
pub use credential::{CredentialError, CredentialRef, KeyFormat, ValidCredential};
pub use device::DeviceAttrs;
#[cfg(feature = "alloc")]
pub use device::DeviceIdentity;
#[cfg(feature = "alloc")]
pub(crate) use envelope::Envelope;
pub use error::MessageError;
pub use m1::M1;
pub(crate) use m2::M2OrM2d;
pub use m2::{M2, M2d};
pub use m3_m8::{M3, M4, M5, M6, M7, M8};
pub use multi_ap::{
    MultiApError, MultiApMode, MultiApRegistrar, asks_for_backhaul, backhaul_credential,
};
pub use opcode::OpCode;
pub use settings::{Credentials, M4Settings, M5Settings, M6Settings, M7Settings, M8Settings};

use crate::attr::parse::{KeptKind, kept_values};
use crate::attr::{AttrType, Attributes, MessageType};
use crate::tlv::{self, Buf, TlvReader, WriteError};

/// Length of the Authenticator attribute as it ends a message: 4-byte header, 8 bytes.
pub const AUTHENTICATOR_ATTR_LEN: usize = 12;

/// Appends the Authenticator attribute (`10 05 00 08` and the 8 bytes).
///
/// The Authenticator is computed over the previous message and this one as written so
/// far, so it is always the last attribute.
pub fn append_authenticator<B: Buf + ?Sized>(
    out: &mut B,
    authenticator: &[u8; 8],
) -> Result<(), WriteError> {
    tlv::write_tlv(out, u16::from(AttrType::Authenticator), authenticator)
}

/// The part of a received message its Authenticator covers: everything but the final
/// 12-byte Authenticator attribute. `None` when the message does not end in one.
pub fn without_authenticator(msg: &[u8]) -> Option<&[u8]> {
    let split = msg.len().checked_sub(AUTHENTICATOR_ATTR_LEN)?;
    let (head, tail) = msg.split_at_checked(split)?;
    tail.starts_with(&[0x10, 0x05, 0x00, 0x08]).then_some(head)
}

/// Attributes of a message that its typed fields do not hold.
///
/// For a parsed message it keeps the whole input, so vendor extensions of other vendors,
/// unknown attributes and the peer's attribute order survive [`Message::to_bytes`]. For a
/// built message it holds the Vendor Extension values (vendor ID first) to write after the
/// WFA extension, as hostapd writes its configured `wps_vendor_ext_m1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Extra<'a> {
    source: Option<&'a [u8]>,
    vendor_extensions: &'a [&'a [u8]],
}

impl<'a> Extra<'a> {
    /// Nothing extra.
    pub const NONE: Extra<'static> = Extra {
        source: None,
        vendor_extensions: &[],
    };

    /// Vendor Extension values (3-byte vendor ID, then data) to write after the WFA one.
    pub const fn vendor_extensions(values: &'a [&'a [u8]]) -> Self {
        Extra {
            source: None,
            vendor_extensions: values,
        }
    }

    pub(crate) const fn parsed(source: &'a [u8]) -> Self {
        Extra {
            source: Some(source),
            vendor_extensions: &[],
        }
    }

    /// The input this view was parsed from, if it was parsed.
    pub fn source(&self) -> Option<&'a [u8]> {
        self.source
    }

    /// The non-WFA Vendor Extension values, in order (vendor ID included): a parsed
    /// view's as the parse found them (after a stray octet too), then a built one's.
    pub fn iter_vendor_extensions(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        kept_values(
            self.source.unwrap_or_default(),
            KeptKind::OtherVendorExtension,
        )
        .chain(self.vendor_extensions.iter().copied())
    }

    /// Writes the Vendor Extensions of other vendors.
    fn write_to<B: Buf + ?Sized>(&self, w: &mut macros::AttrWriter<'_, B>) {
        for v in self.iter_vendor_extensions() {
            w.attr(u16::from(AttrType::VendorExtension), v);
        }
    }
}

/// Re-encodes `source` attribute by attribute in its own order, writing each attribute
/// the view types from its field (`emit_attr`, given the input's value) and copying
/// everything else.
///
/// An attribute comes from the field only when it is the occurrence the parser kept
/// whole (the last one, not cut by a length rule); earlier duplicates, truncated values,
/// unknown types and vendor extensions are copied. Bytes after a framing error (hostapd's
/// padding and stray-octet workarounds) are copied as they are.
fn emit_in_source_order<B: Buf + ?Sized>(
    source: &[u8],
    out: &mut B,
    mut emit_attr: impl FnMut(AttrType, &[u8], &mut B) -> Result<bool, WriteError>,
) -> Result<(), WriteError> {
    let attrs = Attributes::parse(source).ok();
    let mut reader = TlvReader::new(source);
    while let Some(item) = reader.next() {
        let Ok(t) = item else {
            return out.put(source.get(reader.position()..).unwrap_or(&[]));
        };
        let ty = AttrType::from(t.attr_type);
        let kept_whole = attrs
            .as_ref()
            .and_then(|a| a.get(ty))
            .is_some_and(|v| core::ptr::eq(v, t.value));
        if !(kept_whole && emit_attr(ty, t.value, out)?) {
            tlv::write_tlv(out, t.attr_type, t.value)?;
        }
    }
    Ok(())
}

/// Writes [`Message`] from the list of registration messages (the variant, its struct,
/// its Message Type, its name in the documentation) and the lists of those that carry
/// each nonce, always or as an `Option`.
macro_rules! messages {
    (
        [$($variant:ident($ty:ident) = $mt:ident $doc:literal),* $(,)?]
        enrollee_nonce: [$($en:ident)*], optional [$($en_opt:ident)*]
        registrar_nonce: [$($rn:ident)*], optional [$($rn_opt:ident)*]
    ) => {
        /// Any registration protocol message, typed by its Message Type.
        #[derive(Debug, Clone, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum Message<'a> {
            $( #[doc = concat!($doc, ".")] $variant($ty<'a>), )*
        }

        impl<'a> Message<'a> {
            /// The Message Type.
            pub fn message_type(&self) -> MessageType {
                match self {
                    $( Message::$variant(_) => MessageType::$mt, )*
                }
            }

            /// The Enrollee Nonce, for the messages that carry one.
            pub fn enrollee_nonce(&self) -> Option<&'a [u8; 16]> {
                match self {
                    $( Message::$en(m) => Some(m.enrollee_nonce), )*
                    $( Message::$en_opt(m) => m.enrollee_nonce, )*
                    _ => None,
                }
            }

            /// The Registrar Nonce, for the messages that carry one.
            pub fn registrar_nonce(&self) -> Option<&'a [u8; 16]> {
                match self {
                    $( Message::$rn(m) => Some(m.registrar_nonce), )*
                    $( Message::$rn_opt(m) => m.registrar_nonce, )*
                    _ => None,
                }
            }

            /// Parses `buf` with the one-pass parser of `ty`'s message; the general path
            /// when `ty` is not a registration message.
            // Inlined into `parse`: the message is built where it is returned.
            #[inline(always)]
            fn parse_as(ty: MessageType, buf: &'a [u8]) -> Result<Self, MessageError> {
                match ty {
                    $( MessageType::$mt => $ty::parse(buf).map(Message::$variant), )*
                    _ => Self::from_attributes(&Attributes::parse(buf)?),
                }
            }

            /// Reads `ty`'s message from parsed attributes.
            fn from_attributes_as(
                ty: MessageType,
                attrs: &Attributes<'a>,
            ) -> Result<Self, MessageError> {
                Ok(match ty {
                    $( MessageType::$mt => Message::$variant($ty::from_attributes(attrs)?), )*
                    other => return Err(MessageError::UnknownType(other)),
                })
            }

            /// Writes the message: in the input's order when it was parsed, else hostapd's.
            pub fn emit_preserving<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
                match self {
                    $( Message::$variant(m) => m.emit_preserving(out), )*
                }
            }

            /// Writes the message in hostapd's attribute order from the typed fields.
            pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
                match self {
                    $( Message::$variant(m) => m.emit(out), )*
                }
            }

            /// The encoded message; byte-exact for a message that was parsed.
            #[cfg(feature = "alloc")]
            pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
                match self {
                    $( Message::$variant(m) => m.to_bytes(), )*
                }
            }
        }
    };
}

messages! {
    [M1(M1) = M1 "M1", M2(M2) = M2 "M2", M2d(M2d) = M2D "M2D", M3(M3) = M3 "M3",
     M4(M4) = M4 "M4", M5(M5) = M5 "M5", M6(M6) = M6 "M6", M7(M7) = M7 "M7", M8(M8) = M8 "M8",
     Ack(Ack) = WscAck "WSC_ACK", Nack(Nack) = WscNack "WSC_NACK", Done(Done) = WscDone "WSC_Done"]
    enrollee_nonce: [M1 M2 M2d M4 M6 M8 Ack Nack Done], optional []
    registrar_nonce: [M2 M3 M5 M7 Ack Nack Done], optional [M2d]
}

impl<'a> Message<'a> {
    /// Parses any registration message; the Message Type attribute picks the kind.
    ///
    /// Version and Message Type are required; a Message Type that is not M1..M8, M2D,
    /// ACK, NACK or Done is [`MessageError::UnknownType`].
    pub fn parse(buf: &'a [u8]) -> Result<Self, MessageError> {
        // Peek at the first Message Type (the second attribute, normally), then let that
        // message's own one-pass parser do the real work. Its answer is the general
        // path's: it checks that the Message Type hostapd keeps (the last one) is its
        // own, and only then reads fields. Anything unusual (no Message Type seen, or a
        // later one that differs: WrongType) takes the general path.
        let peeked = TlvReader::new(buf)
            .map_while(Result::ok)
            .find(|t| t.attr_type == u16::from(AttrType::MessageType))
            .and_then(|t| t.value.first().copied());
        let fast = match peeked {
            Some(ty) => Self::parse_as(MessageType::from(ty), buf),
            None => return Self::from_attributes(&Attributes::parse(buf)?),
        };
        match fast {
            Err(MessageError::WrongType { .. }) => Self::from_attributes(&Attributes::parse(buf)?),
            other => other,
        }
    }

    /// Like [`Message::parse`], from attributes parsed already.
    pub fn from_attributes(attrs: &Attributes<'a>) -> Result<Self, MessageError> {
        if !attrs.contains(AttrType::Version) {
            return Err(MessageError::Missing(AttrType::Version));
        }
        let ty = attrs
            .message_type()
            .ok_or(MessageError::Missing(AttrType::MessageType))?;
        Self::from_attributes_as(ty, attrs)
    }
}
