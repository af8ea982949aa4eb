//! M3..M8: the PIN proof exchange and the delivery of settings.

use crate::attr::WfaExtension;
use crate::message::Extra;

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
    pub struct M5: message M5, authenticator {
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
    }

    /// M6 (Registrar → Enrollee, 0x0A): R-SNonce2 encrypted
    /// ([`M6Settings`](crate::message::M6Settings)).
    pub struct M6: message M6, authenticator {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
    }

    /// M7 (Enrollee → Registrar, 0x0B): E-SNonce2 and, from an AP, its current settings,
    /// encrypted ([`M7Settings`](crate::message::M7Settings)).
    pub struct M7: message M7, authenticator {
        /// Registrar Nonce.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
    }

    /// M8 (Registrar → Enrollee, 0x0C): the Credentials (or new AP settings), encrypted
    /// ([`M8Settings`](crate::message::M8Settings)).
    pub struct M8: message M8, authenticator {
        /// Enrollee Nonce.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
    }
}
