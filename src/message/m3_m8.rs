//! M3..M8: the PIN proof exchange and the delivery of settings.

wsc_struct! {
    /// M3 (Enrollee → Registrar, 0x07): E-Hash1 and E-Hash2, the Enrollee's commitment
    /// to both PIN halves. Required: Registrar Nonce, both hashes, Authenticator.
    #[derive(Debug)]
    pub struct M3: message M3 {
        /// Registrar Nonce.
        registrar_nonce: req(&'a [u8; 16]) = RegistrarNonce,
        /// E-Hash1.
        e_hash1: req(&'a [u8; 32]) = EHash1,
        /// E-Hash2.
        e_hash2: req(&'a [u8; 32]) = EHash2,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M2 ‖ M3 (always present in a parsed M3).
        authenticator: req_auth,
    }
}

wsc_struct! {
    /// M4 (Registrar → Enrollee, 0x08): R-Hash1, R-Hash2 and R-SNonce1 encrypted
    /// ([`M4Settings`](crate::message::M4Settings)). Required: Enrollee Nonce, both
    /// hashes, Encrypted Settings, Authenticator.
    #[derive(Debug)]
    pub struct M4: message M4 {
        /// Enrollee Nonce.
        enrollee_nonce: req(&'a [u8; 16]) = EnrolleeNonce,
        /// R-Hash1.
        r_hash1: req(&'a [u8; 32]) = RHash1,
        /// R-Hash2.
        r_hash2: req(&'a [u8; 32]) = RHash2,
        /// Encrypted Settings: IV ‖ AES-128-CBC ciphertext.
        encrypted_settings: req(&'a [u8]) = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M3 ‖ M4.
        authenticator: req_auth,
    }
}

wsc_struct! {
    /// M5 (Enrollee → Registrar, 0x09): E-SNonce1 encrypted
    /// ([`M5Settings`](crate::message::M5Settings)).
    #[derive(Debug)]
    pub struct M5: message M5 {
        /// Registrar Nonce.
        registrar_nonce: req(&'a [u8; 16]) = RegistrarNonce,
        /// Encrypted Settings.
        encrypted_settings: req(&'a [u8]) = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M4 ‖ M5.
        authenticator: req_auth,
    }
}

wsc_struct! {
    /// M6 (Registrar → Enrollee, 0x0A): R-SNonce2 encrypted
    /// ([`M6Settings`](crate::message::M6Settings)).
    #[derive(Debug)]
    pub struct M6: message M6 {
        /// Enrollee Nonce.
        enrollee_nonce: req(&'a [u8; 16]) = EnrolleeNonce,
        /// Encrypted Settings.
        encrypted_settings: req(&'a [u8]) = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M5 ‖ M6.
        authenticator: req_auth,
    }
}

wsc_struct! {
    /// M7 (Enrollee → Registrar, 0x0B): E-SNonce2 and, from an AP, its current settings,
    /// encrypted ([`M7Settings`](crate::message::M7Settings)).
    #[derive(Debug)]
    pub struct M7: message M7 {
        /// Registrar Nonce.
        registrar_nonce: req(&'a [u8; 16]) = RegistrarNonce,
        /// Encrypted Settings.
        encrypted_settings: req(&'a [u8]) = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M6 ‖ M7.
        authenticator: req_auth,
    }
}

wsc_struct! {
    /// M8 (Registrar → Enrollee, 0x0C): the Credentials (or new AP settings), encrypted
    /// ([`M8Settings`](crate::message::M8Settings)).
    #[derive(Debug)]
    pub struct M8: message M8 {
        /// Enrollee Nonce.
        enrollee_nonce: req(&'a [u8; 16]) = EnrolleeNonce,
        /// Encrypted Settings.
        encrypted_settings: req(&'a [u8]) = EncryptedSettings,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Authenticator over M7 ‖ M8.
        authenticator: req_auth,
    }
}

macro_rules! without_authenticator {
    ($($t:ident),*) => {$(
        impl $t<'_> {
            /// Writes everything but the Authenticator, which covers these bytes; add it
            /// with [`append_authenticator`](crate::message::append_authenticator).
            pub fn emit_without_authenticator<B: crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
            ) -> Result<(), crate::tlv::WriteError> {
                self.emit_fields(out, true)
            }
        }
    )*};
}

without_authenticator!(M3, M4, M5, M6, M7, M8);
