//! M1: the Enrollee's opening message.

use crate::attr::WfaExtension;
use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, MacAddr, RfBands, Uuid, WscState,
};
use crate::message::{DeviceAttrs, Extra};

wsc_struct! {
    /// M1 (Enrollee → Registrar, Message Type 0x04): identity, nonce N1, public key PKE
    /// and capabilities of the Enrollee. It has no Authenticator.
    ///
    /// Every field except `wfa` is required, as hostapd's registrar needs them all
    /// (`wps_process_m1`). Fields are in hostapd's order; note Device Password ID comes
    /// before Configuration Error here, the other way round in M2 and M2D.
    ///
    /// ```
    /// use wps::message::M1;
    /// # let hex = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/vectors/iwd/m1.json")).unwrap();
    /// # let v: serde_json::Value = serde_json::from_str(&hex).unwrap();
    /// # let bytes = hex::decode(v["cases"][0]["wsc_message_hex"].as_str().unwrap()).unwrap();
    /// let m1 = M1::parse(&bytes)?;
    /// assert_eq!(m1.mac_address.to_string(), "a0:a8:cd:1c:7e:c9");
    /// assert_eq!(m1.public_key.len(), 192);
    /// assert_eq!(m1.to_bytes(), bytes);
    /// # Ok::<(), wps::message::MessageError>(())
    /// ```
    #[derive(Debug)]
    pub struct M1: message M1 {
        /// UUID-E.
        uuid_e: Uuid = UuidE,
        /// The Enrollee's MAC address (an input of the KDK).
        mac_address: MacAddr = MacAddress,
        /// Enrollee Nonce N1.
        enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
        /// PKE: the Enrollee's Diffie-Hellman public key (190..=192 bytes accepted).
        public_key: &'a [u8] = PublicKey,
        /// Authentication Type Flags (hostapd: 0x0023).
        auth_type_flags: AuthType = AuthenticationTypeFlags,
        /// Encryption Type Flags (hostapd: 0x000D).
        encr_type_flags: EncrType = EncryptionTypeFlags,
        /// Connection Type Flags.
        connection_type_flags: ConnectionTypeFlags = ConnectionTypeFlags,
        /// Config Methods.
        config_methods: ConfigMethods = ConfigMethods,
        /// Wi-Fi Protected Setup State.
        wsc_state: WscState = WscState,
        /// Manufacturer, model, serial number, device type, device name.
        device: DeviceAttrs<'a>,
        /// RF Bands.
        rf_bands: RfBands = RfBands,
        /// Association State.
        association_state: AssociationState = AssociationState,
        /// Device Password ID (4 = push button).
        device_password_id: DevicePasswordId = DevicePasswordId,
        /// Configuration Error.
        config_error: ConfigError = ConfigurationError,
        /// OS Version as on the wire (hostapd sets the top bit; some peers do not).
        os_version: u32 = OsVersion,
        /// The WFA vendor extension (Version2 and friends); absent from WSC 1.0 peers.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }
}
