//! What a receiver reads before it knows which message it holds.

use super::MessageError;
use super::macros::{Lookup, Picked, Source};
use crate::attr::{AttrError, AttrType, ConfigError, MessageType};

/// The Message Type and the two nonces of a received message, each as hostapd keeps it
/// (absent when missing). The registration machines decide with these which typed
/// parser reads the message and whether a bad one ends the run silently (another run's
/// nonce) or is answered with a WSC_NACK; the message's own required attributes are
/// its typed parser's business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Envelope<'a> {
    /// The Message Type.
    pub(crate) message_type: Option<MessageType>,
    /// The Enrollee Nonce.
    pub(crate) enrollee_nonce: Option<&'a [u8; 16]>,
    /// The Registrar Nonce.
    pub(crate) registrar_nonce: Option<&'a [u8; 16]>,
    /// The Configuration Error (a WSC_NACK's reason: [`Envelope::nack`]).
    pub(crate) config_error: Option<ConfigError>,
}

/// What a WSC_NACK says, read from its [`Envelope`] (no second parse of the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NackFields<'a> {
    /// The Enrollee Nonce.
    pub(crate) enrollee_nonce: &'a [u8; 16],
    /// The Registrar Nonce.
    pub(crate) registrar_nonce: &'a [u8; 16],
    /// Why the run failed.
    pub(crate) config_error: ConfigError,
}

const GROUPS: &[&[AttrType]] = &[&[
    AttrType::MessageType,
    AttrType::EnrolleeNonce,
    AttrType::RegistrarNonce,
    AttrType::ConfigurationError,
]];

layout!(EnvelopeLayout = GROUPS);

impl<'a> Envelope<'a> {
    /// Reads the three attributes in one pass over `buf`, with hostapd's framing and
    /// length rules (the same pass as every message parser: a stream this rejects, they
    /// reject too).
    pub(crate) fn parse(buf: &'a [u8]) -> Result<Self, AttrError> {
        let mut picked = Picked::<EnvelopeLayout, { Lookup::table_len(GROUPS) }>::new(buf);
        picked.fill()?;
        Ok(Envelope {
            message_type: picked
                .src_value::<u8>(AttrType::MessageType)
                .map(MessageType::from),
            enrollee_nonce: picked.src_value(AttrType::EnrolleeNonce),
            registrar_nonce: picked.src_value(AttrType::RegistrarNonce),
            config_error: picked.src_value(AttrType::ConfigurationError),
        })
    }

    /// The fields of the WSC_NACK this is the envelope of, with the checks
    /// [`Nack::parse`](super::Nack::parse) makes after the header (the walk and the
    /// Message Type are the envelope's): both nonces and the Configuration Error are
    /// required, the error names the first one missing. A missing Version is accepted,
    /// as hostapd's (non-strict) receiver does.
    pub(crate) fn nack(&self) -> Result<NackFields<'a>, MessageError> {
        let missing = MessageError::Missing;
        Ok(NackFields {
            enrollee_nonce: self
                .enrollee_nonce
                .ok_or(missing(AttrType::EnrolleeNonce))?,
            registrar_nonce: self
                .registrar_nonce
                .ok_or(missing(AttrType::RegistrarNonce))?,
            config_error: self
                .config_error
                .ok_or(missing(AttrType::ConfigurationError))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Attributes;

    /// A WSC_NACK's fields from its envelope are what `Nack::parse` reads, and so is
    /// the error when one is missing (the first, in field order).
    #[test]
    fn nack_reads_what_the_nack_parser_reads() {
        for mask in 0..8u8 {
            let mut msg = alloc::vec::Vec::new();
            let mut put = |t: AttrType, v: &[u8]| {
                assert_eq!(crate::tlv::write_tlv(&mut msg, t.to_u16(), v), Ok(()));
            };
            put(AttrType::Version, &[0x10]);
            put(AttrType::MessageType, &[u8::from(MessageType::WscNack)]);
            if mask & 1 != 0 {
                put(AttrType::EnrolleeNonce, &[1; 16]);
            }
            if mask & 2 != 0 {
                put(AttrType::RegistrarNonce, &[2; 16]);
            }
            if mask & 4 != 0 {
                put(AttrType::ConfigurationError, &[0, 18]);
            }
            let parsed = super::super::Nack::parse(&msg)
                .map(|n| (n.enrollee_nonce, n.registrar_nonce, n.config_error));
            let from_envelope = Envelope::parse(&msg)
                .map_err(MessageError::Attr)
                .and_then(|e| e.nack())
                .map(|n| (n.enrollee_nonce, n.registrar_nonce, n.config_error));
            assert_eq!(from_envelope, parsed, "attributes {mask:03b}");
            assert_eq!(parsed.is_ok(), mask == 7);
        }
    }

    #[test]
    fn reads_what_attributes_reads() {
        let mut msg = alloc::vec::Vec::new();
        for (t, v) in [
            (0x104A_u16, &[0x10_u8][..]),
            (0x1022, &[0x0E]),
            (0x101A, &[1; 16]),
            (0x1039, &[2; 16]),
            // A later Message Type wins, as in hostapd.
            (0x1022, &[0x0D]),
        ] {
            assert_eq!(crate::tlv::write_tlv(&mut msg, t, v), Ok(()));
        }
        let a = Attributes::parse(&msg).map_err(|_| ());
        let e = Envelope::parse(&msg).map_err(|_| ());
        assert_eq!(
            e.map(|e| (e.message_type, e.enrollee_nonce, e.registrar_nonce)),
            a.map(|a| (
                a.message_type(),
                a.array::<16>(AttrType::EnrolleeNonce),
                a.array::<16>(AttrType::RegistrarNonce)
            ))
        );
        assert_eq!(
            Envelope::parse(&msg).map(|e| e.message_type),
            Ok(Some(MessageType::WscAck))
        );
        msg.truncate(msg.len() - 1);
        assert!(Envelope::parse(&msg).is_err());
    }
}
