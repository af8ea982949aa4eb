//! What a receiver reads before it knows which message it holds.

use super::macros::{Lookup, Picked, Source};
use crate::attr::{AttrError, AttrType, MessageType};

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
}

const GROUPS: &[&[AttrType]] = &[&[
    AttrType::MessageType,
    AttrType::EnrolleeNonce,
    AttrType::RegistrarNonce,
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Attributes;

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
