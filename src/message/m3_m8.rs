//! M3..M8: the PIN proof exchange and the delivery of settings.

use crate::attr::{MessageType, WfaExtension};
use crate::message::{Extra, MessageError};

wsc_family! {
    each [#[derive(Debug)]]
    first {}
    last {
        /// The WFA vendor extension.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }

    /// M3 (Enrollee → Registrar, 0x07): E-Hash1 and E-Hash2, the Enrollee's commitment
    /// to both PIN halves. Required: Registrar Nonce, both hashes, Authenticator.
    pub struct M3: message M3, authenticator {
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
        /// E-Hash1.
        e_hash1: &'a [u8; 32] = EHash1,
        /// E-Hash2.
        e_hash2: &'a [u8; 32] = EHash2,
    }

    /// M4 (Registrar → Enrollee, 0x08): R-Hash1, R-Hash2 and R-SNonce1 encrypted
    /// ([`M4Settings`](crate::message::M4Settings)). Required: Enrollee Nonce, both
    /// hashes, Encrypted Settings, Authenticator.
    pub struct M4: message M4, authenticator {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
        /// R-Hash1.
        r_hash1: &'a [u8; 32] = RHash1,
        /// R-Hash2.
        r_hash2: &'a [u8; 32] = RHash2,
        /// Encrypted Settings: IV ‖ AES-128-CBC ciphertext.
        encrypted_settings: &'a [u8] = EncryptedSettings,
    }
}

wsc_family! {
    each [#[derive(Debug)]]
    first {}
    last {
        /// Encrypted Settings: IV ‖ AES-128-CBC ciphertext.
        encrypted_settings: &'a [u8] = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }

    /// M5 (Enrollee → Registrar, 0x09): E-SNonce1 encrypted
    /// ([`M5Settings`](crate::message::M5Settings)).
    pub struct M5: message M5 in pair, authenticator {
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
    }

    /// M6 (Registrar → Enrollee, 0x0A): R-SNonce2 encrypted
    /// ([`M6Settings`](crate::message::M6Settings)).
    pub struct M6: message M6 in pair, authenticator {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
    }

    /// M7 (Enrollee → Registrar, 0x0B): E-SNonce2 and, from an AP, its current settings,
    /// encrypted ([`M7Settings`](crate::message::M7Settings)).
    pub struct M7: message M7 in pair, authenticator {
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
    }

    /// M8 (Registrar → Enrollee, 0x0C): the Credentials (or new AP settings), encrypted
    /// ([`M8Settings`](crate::message::M8Settings)).
    pub struct M8: message M8 in pair, authenticator {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
    }
}

/// M5 and M7 (and M6 and M8) hold the same attributes: their `parse_received` share one
/// parser, `parse_received_as` of the first, so a machine that reads both has one copy
/// of it in flash.
macro_rules! pair_parsers {
    ($first:ident, $second:ident { $($f:ident),* }) => {
        impl<'a> $first<'a> {
            #[doc = concat!("Reads a received ", stringify!($first), " as hostapd's (non-strict) receiver does:")]
            /// like [`parse`](Self::parse), but a missing Version attribute is accepted
            /// (hostapd checks Version only in its strict validator); `version` is then 0.
            pub(crate) fn parse_received(buf: &'a [u8]) -> Result<Self, MessageError> {
                Self::parse_received_as(buf, MessageType::$first)
            }

            #[doc = concat!("[`parse_received`](Self::parse_received) of a message of type `expected`: ", stringify!($first), " or ", stringify!($second), ".")]
            #[inline(never)]
            fn parse_received_as(
                buf: &'a [u8],
                expected: MessageType,
            ) -> Result<Self, MessageError> {
                Self::parse_with::<false>(buf, expected)
            }
        }

        impl<'a> $second<'a> {
            #[doc = concat!("[`", stringify!($first), "`]'s `parse_received` for an ", stringify!($second), ".")]
            pub(crate) fn parse_received(buf: &'a [u8]) -> Result<Self, MessageError> {
                let m = $first::parse_received_as(buf, MessageType::$second)?;
                Ok($second { $( $f: m.$f, )* })
            }
        }
    };
}

pair_parsers!(
    M5,
    M7 {
        version,
        registrar_nonce,
        encrypted_settings,
        wfa,
        extra,
        authenticator
    }
);
pair_parsers!(
    M6,
    M8 {
        version,
        enrollee_nonce,
        encrypted_settings,
        wfa,
        extra,
        authenticator
    }
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::AttrType;
    use alloc::vec::Vec;

    /// The shared parser checks the Message Type it is asked for, and the second of a
    /// pair gets every field.
    #[test]
    fn pair_parsers_read_their_own_type_only() {
        let m6 = M6 {
            version: 0x10,
            enrollee_nonce: &[1; 16],
            encrypted_settings: &[2; 32],
            wfa: None,
            extra: Extra::NONE,
            authenticator: Some([3; 8]),
        };
        let mut buf = Vec::new();
        assert_eq!(m6.emit(&mut buf), Ok(()));
        let parsed = M6::parse_received(&buf).map(|m| M6 {
            extra: Extra::NONE,
            ..m
        });
        assert_eq!(parsed, Ok(m6));
        assert_eq!(
            M8::parse_received(&buf).map(|_| ()),
            Err(MessageError::WrongType {
                found: MessageType::M6,
                expected: MessageType::M8,
            })
        );

        // The same attributes as an M8: Version, then the Message Type's value at 9.
        assert_eq!(buf.get(9), Some(&u8::from(MessageType::M6)));
        if let Some(t) = buf.get_mut(9) {
            *t = u8::from(MessageType::M8);
        }
        let m8 = M8::parse_received(&buf).map(|m| {
            let M8 {
                version,
                enrollee_nonce,
                encrypted_settings,
                wfa,
                authenticator,
                ..
            } = m;
            (
                version,
                enrollee_nonce,
                encrypted_settings,
                wfa,
                authenticator,
            )
        });
        assert_eq!(m8, Ok((0x10, &[1; 16], &[2; 32][..], None, Some([3; 8]))));
        assert!(M6::parse_received(&buf).is_err());

        // As an M7 it lacks the Registrar Nonce (M5's parser read it as an M7).
        if let Some(t) = buf.get_mut(9) {
            *t = u8::from(MessageType::M7);
        }
        assert_eq!(
            M7::parse_received(&buf).map(|_| ()),
            Err(MessageError::Missing(AttrType::RegistrarNonce))
        );
    }
}
