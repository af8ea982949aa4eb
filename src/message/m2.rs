//! M2 and M2D: the Registrar's answer to M1.

use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, RfBands, Uuid,
};
use crate::attr::{AttrType, MessageType, WfaExtension};
use crate::message::{DeviceAttrs, Extra, MessageError};

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
    pub struct M2: message M2 in pair, authenticator {
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
    pub struct M2d: message M2D in pair {
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

/// M2 and M2D read by one parser: a machine that takes both (the Enrollee) has one copy
/// of it in flash, and takes from it what it needs ([`M2OrM2d::m2`] for an M2, the
/// fields for an M2D) without copying the whole message.
mod either {
    // The struct is only parsed: its generated emitters are not used (and, private,
    // they need not follow the public naming rules).
    #![allow(dead_code, clippy::wrong_self_convention)]

    use super::*;

    wsc_struct! {
        /// M2 or M2D, the Registrar's answer to M1, as received: the attributes of M2
        /// the Enrollee reads (or [`M2OrM2d::m2`] requires), of which only the
        /// Enrollee Nonce (required by both) is required here.
        pub struct M2OrM2d: message M2 in pair {
            /// Enrollee Nonce.
            enrollee_nonce: &'a [u8; 16] = EnrolleeNonce,
            /// Registrar Nonce.
            registrar_nonce: Option<&'a [u8; 16]> = RegistrarNonce,
            /// UUID-R (its bytes: only checked).
            uuid_r: Option<&'a [u8; 16]> = UuidR,
            /// PKR.
            public_key: Option<&'a [u8]> = PublicKey,
            /// Config Methods.
            config_methods: Option<ConfigMethods> = ConfigMethods,
            /// The device attributes, or the first of them missing.
            device: Result<DeviceAttrs<'a>, AttrType>,
            /// Configuration Error.
            config_error: Option<ConfigError> = ConfigurationError,
            /// Device Password ID.
            device_password_id: Option<DevicePasswordId> = DevicePasswordId,
            /// The input.
            extra: Extra<'a>,
            /// Encrypted Settings.
            encrypted_settings: Option<&'a [u8]> = EncryptedSettings,
            /// Authenticator (only checked: the machine verifies it over the input).
            authenticator: Option<&'a [u8; 8]> = Authenticator,
        }
    }

    impl<'a> M2OrM2d<'a> {
        /// Reads a received message of type `expected` (M2 or M2D) as hostapd's
        /// (non-strict) receiver does: like [`M2::parse`], but a missing Version
        /// attribute is accepted; `version` is then 0.
        #[inline(never)]
        pub(crate) fn parse_received(
            buf: &'a [u8],
            expected: MessageType,
        ) -> Result<Self, MessageError> {
            Self::parse_with::<false>(buf, expected)
        }
    }
}

pub(crate) use either::M2OrM2d;

/// What the Enrollee takes from a received M2 that has every attribute [`M2`] requires.
pub(crate) struct M2Checked<'a> {
    /// PKR.
    pub(crate) public_key: &'a [u8],
    /// Device Password ID.
    pub(crate) device_password_id: DevicePasswordId,
    /// Encrypted Settings (NFC connection handover).
    #[cfg(feature = "nfc")]
    pub(crate) encrypted_settings: Option<&'a [u8]>,
}

impl<'a> M2OrM2d<'a> {
    /// The M2 attributes [`M2::parse`] requires, checked in its order: the error is
    /// its error, the first missing.
    pub(crate) fn m2(&self) -> Result<M2Checked<'a>, MessageError> {
        let missing = MessageError::Missing;
        self.registrar_nonce
            .ok_or(missing(AttrType::RegistrarNonce))?;
        self.uuid_r.ok_or(missing(AttrType::UuidR))?;
        let public_key = self.public_key.ok_or(missing(AttrType::PublicKey))?;
        self.device.map_err(missing)?;
        let device_password_id = self
            .device_password_id
            .ok_or(missing(AttrType::DevicePasswordId))?;
        self.authenticator.ok_or(missing(AttrType::Authenticator))?;
        Ok(M2Checked {
            public_key,
            device_password_id,
            #[cfg(feature = "nfc")]
            encrypted_settings: self.encrypted_settings,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::PrimaryDeviceType;
    use alloc::vec::Vec;

    /// `buf` with the value of every attribute `t` cut to `keep` bytes (0: dropped).
    fn with_cut(buf: &[u8], t: AttrType, keep: usize) -> Vec<u8> {
        let mut out = Vec::new();
        let mut rest = buf;
        while let [a, b, l1, l2, tail @ ..] = rest {
            let len = usize::from(u16::from_be_bytes([*l1, *l2]));
            let (value, next) = tail.split_at(len);
            if u16::from_be_bytes([*a, *b]) != t.to_u16() {
                out.extend_from_slice(&rest[..4 + len]);
            } else if keep > 0 {
                let short = &value[..keep.min(len)];
                out.extend_from_slice(&[*a, *b, 0, short.len() as u8]);
                out.extend_from_slice(short);
            }
            rest = next;
        }
        out
    }

    /// The shared parser's M2 (and M2D) read as M2's and M2D's own parsers do: the
    /// same first error for every attribute missing or of another length.
    #[test]
    fn m2_or_m2d_reads_as_m2_and_m2d_parse() {
        let m2 = M2 {
            version: 0x10,
            enrollee_nonce: &[1; 16],
            registrar_nonce: &[2; 16],
            uuid_r: Uuid([3; 16]),
            public_key: &[4; 192],
            auth_type_flags: None,
            encr_type_flags: None,
            connection_type_flags: None,
            config_methods: Some(ConfigMethods(0x0080)),
            device: DeviceAttrs {
                manufacturer: b"m",
                model_name: b"n",
                model_number: b"1",
                serial_number: b"s",
                primary_device_type: PrimaryDeviceType::from_bytes([0, 1, 0, 0x50, 0xf2, 4, 0, 1]),
                device_name: b"d",
            },
            rf_bands: None,
            association_state: None,
            config_error: Some(ConfigError::NoError),
            device_password_id: DevicePasswordId::PushButton,
            os_version: None,
            wfa: None,
            extra: Extra::NONE,
            encrypted_settings: Some(&[5; 32]),
            authenticator: Some([6; 8]),
        };
        let mut buf = Vec::new();
        assert_eq!(m2.emit(&mut buf), Ok(()));
        type Read<'a> = Result<(usize, DevicePasswordId, Option<&'a [u8]>), MessageError>;
        fn shared(b: &[u8]) -> Read<'_> {
            M2OrM2d::parse_received(b, MessageType::M2)
                .and_then(|m| m.m2())
                .map(|c| {
                    (
                        c.public_key.len(),
                        c.device_password_id,
                        c.encrypted_settings,
                    )
                })
        }
        fn own(b: &[u8]) -> Read<'_> {
            M2::parse(b).map(|m| {
                (
                    m.public_key.len(),
                    m.device_password_id,
                    m.encrypted_settings,
                )
            })
        }
        assert_eq!(
            shared(&buf),
            Ok((192, DevicePasswordId::PushButton, Some(&[5; 32][..])))
        );
        let mut types: Vec<AttrType> = M2::GROUPS.iter().flat_map(|g| g.iter().copied()).collect();
        types.retain(|t| *t != AttrType::Version);
        for t in types {
            for keep in [0, 1] {
                let cut = with_cut(&buf, t, keep);
                assert_eq!(shared(&cut), own(&cut), "{t} cut to {keep}");
            }
        }

        // As an M2D.
        let m2d_bytes = |b: &[u8]| {
            let mut b = b.to_vec();
            // Version, then the Message Type's value at 9.
            if let Some(v) = b.get_mut(9) {
                *v = u8::from(MessageType::M2D);
            }
            b
        };
        for t in [
            AttrType::EnrolleeNonce,
            AttrType::RegistrarNonce,
            AttrType::DeviceName,
            AttrType::DevicePasswordId,
        ] {
            for keep in [0, 1] {
                let cut = m2d_bytes(&with_cut(&buf, t, keep));
                let shared = M2OrM2d::parse_received(&cut, MessageType::M2D)
                    .map(|m| (m.registrar_nonce, m.device.ok(), m.device_password_id));
                let own =
                    M2d::parse(&cut).map(|m| (m.registrar_nonce, m.device, m.device_password_id));
                assert_eq!(shared, own, "{t} cut to {keep}");
            }
        }
    }
}
