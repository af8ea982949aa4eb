//! M2 and M2D: the Registrar's answer to M1.

use crate::attr::WfaExtension;
use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, RfBands, Uuid,
};
use crate::message::{DeviceAttrs, Extra};

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
    pub struct M2: message M2, authenticator {
        /// Enrollee Nonce (echo of N1).
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
        /// Registrar Nonce N2.
        registrar_nonce: &'a [u8; 16] = RegistrarNonce,
        /// UUID-R.
        uuid_r: Uuid = UuidR,
        /// PKR: the Registrar's Diffie-Hellman public key.
        public_key: &'a [u8] = PublicKey,
        /// Authentication Type Flags.
        auth_type_flags: Option<AuthType> = AuthenticationTypeFlags,
        /// Encryption Type Flags.
        encr_type_flags: Option<EncrType> = EncryptionTypeFlags,
        /// Connection Type Flags.
        connection_type_flags: Option<ConnectionTypeFlags> = ConnectionTypeFlags,
        /// Config Methods.
        config_methods: Option<ConfigMethods> = ConfigMethods,
        /// The Registrar's device attributes.
        device: DeviceAttrs<'a>,
        /// RF Bands.
        rf_bands: Option<RfBands> = RfBands,
        /// Association State.
        association_state: Option<AssociationState> = AssociationState,
        /// Configuration Error.
        config_error: Option<ConfigError> = ConfigurationError,
        /// Device Password ID.
        device_password_id: DevicePasswordId = DevicePasswordId,
        /// OS Version as on the wire.
        os_version: Option<u32> = OsVersion,
        /// The WFA vendor extension.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
        /// Encrypted Settings: only in NFC connection-handover runs.
        encrypted_settings: Option<&'a [u8]> = EncryptedSettings,
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
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
        /// Registrar Nonce.
        registrar_nonce: Option<&'a [u8; 16]> = RegistrarNonce,
        /// UUID-R.
        uuid_r: Option<Uuid> = UuidR,
        /// Authentication Type Flags.
        auth_type_flags: Option<AuthType> = AuthenticationTypeFlags,
        /// Encryption Type Flags.
        encr_type_flags: Option<EncrType> = EncryptionTypeFlags,
        /// Connection Type Flags.
        connection_type_flags: Option<ConnectionTypeFlags> = ConnectionTypeFlags,
        /// Config Methods.
        config_methods: Option<ConfigMethods> = ConfigMethods,
        /// The Registrar's device attributes (when all six are present).
        device: Option<DeviceAttrs<'a>>,
        /// RF Bands.
        rf_bands: Option<RfBands> = RfBands,
        /// Association State.
        association_state: Option<AssociationState> = AssociationState,
        /// Configuration Error (12 for PBC overlap, 15 when setup-locked).
        config_error: Option<ConfigError> = ConfigurationError,
        /// Device Password ID (hostapd does not send it).
        device_password_id: Option<DevicePasswordId> = DevicePasswordId,
        /// OS Version as on the wire.
        os_version: Option<u32> = OsVersion,
        /// The WFA vendor extension.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }
}
