//! M2 and M2D: the Registrar's answer to M1.

use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, RfBands, Uuid,
};

wsc_struct! {
    /// M2 (Registrar → Enrollee, 0x05): nonce N2, UUID-R, public key PKR, ended by the
    /// Authenticator over M1 ‖ M2.
    ///
    /// Required (what hostapd's enrollee processing needs): both nonces, UUID-R, Public
    /// Key, Device Password ID, the six device attributes and the Authenticator. The
    /// capability fields are optional when parsing but hostapd always writes them.
    ///
    /// Build with [`M2::emit_without_authenticator`], then compute the Authenticator and
    /// add it with [`append_authenticator`](crate::message::append_authenticator).
    #[derive(Debug)]
    pub struct M2: message M2 {
        /// Enrollee Nonce (echo of N1).
        enrollee_nonce: req(&'a [u8; 16]) = EnrolleeNonce,
        /// Registrar Nonce N2.
        registrar_nonce: req(&'a [u8; 16]) = RegistrarNonce,
        /// UUID-R.
        uuid_r: req(Uuid) = UuidR,
        /// PKR: the Registrar's Diffie-Hellman public key.
        public_key: req(&'a [u8]) = PublicKey,
        /// Authentication Type Flags.
        auth_type_flags: opt(AuthType) = AuthenticationTypeFlags,
        /// Encryption Type Flags.
        encr_type_flags: opt(EncrType) = EncryptionTypeFlags,
        /// Connection Type Flags.
        connection_type_flags: opt(ConnectionTypeFlags) = ConnectionTypeFlags,
        /// Config Methods.
        config_methods: opt(ConfigMethods) = ConfigMethods,
        /// The Registrar's device attributes.
        device: device,
        /// RF Bands.
        rf_bands: opt(RfBands) = RfBands,
        /// Association State.
        association_state: opt(AssociationState) = AssociationState,
        /// Configuration Error.
        config_error: opt(ConfigError) = ConfigurationError,
        /// Device Password ID.
        device_password_id: req(DevicePasswordId) = DevicePasswordId,
        /// OS Version as on the wire.
        os_version: opt(u32) = OsVersion,
        /// The WFA vendor extension.
        wfa: wfa,
        /// Encrypted Settings: only in NFC connection-handover runs.
        encrypted_settings: opt(&'a [u8]) = EncryptedSettings,
        /// Authenticator (always present in a parsed M2).
        authenticator: req_auth,
    }
}

impl M2<'_> {
    /// Writes everything but the Authenticator, which covers these bytes.
    pub fn emit_without_authenticator<B: crate::tlv::Buf + ?Sized>(
        &self,
        out: &mut B,
    ) -> Result<(), crate::tlv::WriteError> {
        self.emit_fields(out, true)
    }
}

wsc_struct! {
    /// M2D (Registrar → Enrollee, 0x06): "I have no password for you" (or a PBC overlap,
    /// per Configuration Error). No Public Key, no Authenticator, and in hostapd's
    /// version no Device Password ID.
    ///
    /// Required: the Enrollee Nonce, the only attribute hostapd's enrollee reads from an
    /// M2D (`wps_process_m2d`); the rest is informational. hostapd's registrar always
    /// writes the Registrar Nonce and UUID-R.
    #[derive(Debug)]
    pub struct M2d: message M2D {
        /// Enrollee Nonce.
        enrollee_nonce: req(&'a [u8; 16]) = EnrolleeNonce,
        /// Registrar Nonce.
        registrar_nonce: opt(&'a [u8; 16]) = RegistrarNonce,
        /// UUID-R.
        uuid_r: opt(Uuid) = UuidR,
        /// Authentication Type Flags.
        auth_type_flags: opt(AuthType) = AuthenticationTypeFlags,
        /// Encryption Type Flags.
        encr_type_flags: opt(EncrType) = EncryptionTypeFlags,
        /// Connection Type Flags.
        connection_type_flags: opt(ConnectionTypeFlags) = ConnectionTypeFlags,
        /// Config Methods.
        config_methods: opt(ConfigMethods) = ConfigMethods,
        /// The Registrar's device attributes (when all six are present).
        device: device_opt,
        /// RF Bands.
        rf_bands: opt(RfBands) = RfBands,
        /// Association State.
        association_state: opt(AssociationState) = AssociationState,
        /// Configuration Error (12 for PBC overlap, 15 when setup-locked).
        config_error: opt(ConfigError) = ConfigurationError,
        /// Device Password ID (hostapd does not send it).
        device_password_id: opt(DevicePasswordId) = DevicePasswordId,
        /// OS Version as on the wire.
        os_version: opt(u32) = OsVersion,
        /// The WFA vendor extension.
        wfa: wfa,
    }
}
