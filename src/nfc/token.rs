//! NFC tokens: the password token (a device's public-key hash, a Device Password ID
//! ≥ 0x10 and a device password) and the configuration token (the network's
//! Credentials), as the payload of one WSC NDEF record.
//!
//! Both are written the way hostapd and wpa_supplicant write them: **no Version
//! (0x104A) attribute**, the WFA vendor extension with Version2 last. Reading does not
//! require Version either.
//!
//! ```
//! use wps::nfc::{OwnPasswordToken, PasswordToken};
//! let own = OwnPasswordToken::generate(&mut rand::rng());
//! let ndef = own.to_ndef();                  // what goes on the tag
//! let read = wps::nfc::read_ndef(&ndef)?;   // what the router reads
//! let token = PasswordToken::parse(read.attributes)?;
//! assert_eq!(token.password_id, own.password_id());
//! assert!(token.public_key_hash.verify(own.keys().key_pair().public_key_ref()).is_ok());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rand_core::CryptoRng;

use super::password::{
    MIN_TOKEN_PASSWORD_ID, OobKeys, PUBLIC_KEY_HASH_LEN, PublicKeyHash, TOKEN_PASSWORD_LEN,
    TokenPassword,
};
use super::{NfcError, WscPayload};
use crate::attr::parse::MAX_CREDENTIALS;
use crate::attr::{AttrType, Attributes, DevicePasswordId, MacAddr, RfBands, WfaExtension};
use crate::fixed_list::FixedList;
use crate::message::CredentialRef;
use crate::tlv::{self, Buf, WriteError};

/// The value of an OOB Device Password attribute (0x102C): public-key hash ‖ Device
/// Password ID ‖ device password (none for connection handover, ID 7).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct OobDevicePassword<'a> {
    /// SHA-256 of the owner's DH public key, first 20 bytes.
    pub public_key_hash: PublicKeyHash,
    /// Device Password ID: ≥ 0x10 for a password token, 7 for handover.
    pub password_id: u16,
    /// The device password (empty for handover).
    pub password: &'a [u8],
}

impl core::fmt::Debug for OobDevicePassword<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.debug_as("OobDevicePassword", f)
    }
}

impl<'a> OobDevicePassword<'a> {
    /// Reads the attribute value with hostapd's length rule: 22..=54 bytes, and a
    /// password shorter than 16 bytes only with ID 7.
    ///
    /// # Errors
    /// [`NfcError::OobDevicePasswordLength`].
    pub fn parse(value: &'a [u8]) -> Result<OobDevicePassword<'a>, NfcError> {
        let bad = NfcError::OobDevicePasswordLength { len: value.len() };
        let (hash, rest) = value
            .split_first_chunk::<PUBLIC_KEY_HASH_LEN>()
            .ok_or(bad)?;
        let (id, password) = rest.split_first_chunk::<2>().ok_or(bad)?;
        let password_id = u16::from_be_bytes(*id);
        let handover = password_id == u16::from(DevicePasswordId::NfcConnectionHandover);
        if password.len() > TOKEN_PASSWORD_LEN || (password.len() < 16 && !handover) {
            return Err(bad);
        }
        Ok(OobDevicePassword {
            public_key_hash: PublicKeyHash(*hash),
            password_id,
            password,
        })
    }

    /// Writes the whole attribute (header and value).
    ///
    /// # Errors
    /// [`WriteError`] from the buffer.
    pub fn emit_attribute<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        let len = PUBLIC_KEY_HASH_LEN
            .saturating_add(2)
            .saturating_add(self.password.len());
        tlv::ensure_room(out, len.saturating_add(tlv::HEADER_LEN))?;
        tlv::write_header(out, u16::from(AttrType::OobDevicePassword), len)?;
        out.put(&self.public_key_hash.0)?;
        out.put(&self.password_id.to_be_bytes())?;
        out.put(self.password)
    }

    /// `Debug` under the name `name`: the password's length, never the password.
    fn debug_as(&self, name: &str, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct(name)
            .field("public_key_hash", &self.public_key_hash)
            .field("password_id", &self.password_id)
            .field("password_len", &self.password.len())
            .finish()
    }
}

/// The whole OOB Device Password attribute with these fields (tests only).
#[cfg(test)]
pub(crate) fn oob_attribute(
    hash: [u8; 20],
    password_id: u16,
    password: &[u8],
) -> alloc::vec::Vec<u8> {
    let mut v = alloc::vec::Vec::new();
    let oob = OobDevicePassword {
        public_key_hash: PublicKeyHash(hash),
        password_id,
        password,
    };
    oob.emit_attribute(&mut v)
        .expect("a Vec takes every attribute");
    v
}

/// Writes the WFA vendor extension with Version2 = 0x20, as hostapd ends every token.
pub(crate) fn emit_version2<B: Buf + ?Sized>(out: &mut B) -> Result<(), WriteError> {
    WfaExtension::version2_only().emit(out)
}

/// A password token as read from a tag (the attributes of its WSC record).
///
/// The password borrows the input; [`password`](Self::password) copies it into a
/// [`TokenPassword`] that is wiped on drop. `Debug` does not show it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PasswordToken<'a> {
    /// SHA-256 of the enrollee's DH public key, first 20 bytes.
    pub public_key_hash: PublicKeyHash,
    /// Device Password ID (≥ 0x10): M1 and M2 carry it.
    pub password_id: u16,
    password: &'a [u8],
}

impl core::fmt::Debug for PasswordToken<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.oob().debug_as("PasswordToken", f)
    }
}

impl<'a> PasswordToken<'a> {
    /// Reads a password token from the attributes of its WSC record.
    ///
    /// # Errors
    /// [`NfcError::Attr`] for a malformed attribute stream, [`NfcError::Missing`] without
    /// an OOB Device Password, [`NfcError::PasswordIdReserved`] for an ID below 0x10,
    /// [`NfcError::OobDevicePasswordLength`] for a password outside 16..=32 bytes.
    pub fn parse(attributes: &'a [u8]) -> Result<PasswordToken<'a>, NfcError> {
        let attrs = Attributes::parse(attributes)?;
        let value = attrs
            .get(AttrType::OobDevicePassword)
            .ok_or(NfcError::Missing(AttrType::OobDevicePassword))?;
        let oob = OobDevicePassword::parse(value)?;
        if oob.password_id < MIN_TOKEN_PASSWORD_ID {
            return Err(NfcError::PasswordIdReserved {
                id: oob.password_id,
            });
        }
        if oob.password.len() < super::password::MIN_TOKEN_PASSWORD_LEN {
            return Err(NfcError::OobDevicePasswordLength { len: value.len() });
        }
        Ok(PasswordToken {
            public_key_hash: oob.public_key_hash,
            password_id: oob.password_id,
            password: oob.password,
        })
    }

    /// The device password, copied into storage that is wiped on drop. Its
    /// [`device_password`](TokenPassword::device_password) is what a registrar uses.
    pub fn password(&self) -> TokenPassword {
        // parse() (or the owner) checked 16..=32 bytes.
        TokenPassword::from_checked(self.password)
    }

    /// The Device Password ID as the typed value.
    pub fn device_password_id(&self) -> DevicePasswordId {
        DevicePasswordId::from(self.password_id)
    }

    fn oob(&self) -> OobDevicePassword<'a> {
        OobDevicePassword {
            public_key_hash: self.public_key_hash,
            password_id: self.password_id,
            password: self.password,
        }
    }
}

impl WscPayload for PasswordToken<'_> {
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        self.oob().emit_attribute(out)?;
        emit_version2(out)
    }
}

/// A device's own password token: the DH key pair it keeps, the Device Password ID and
/// the device password. The printer writes [`to_ndef`](Self::to_ndef) to its tag and
/// uses [`keys`](Self::keys) and [`device_password`](TokenPassword::device_password) in
/// the registration that follows.
#[derive(Debug)]
pub struct OwnPasswordToken {
    keys: OobKeys,
    password_id: u16,
    password: TokenPassword,
}

impl OwnPasswordToken {
    /// A fresh token as hostapd's `wps_nfc_token_gen` makes one: a new DH key pair, a
    /// random Device Password ID in 0x0010..=0xFFFF and 32 random password bytes.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> OwnPasswordToken {
        let keys = OobKeys::generate(rng);
        // 0x10 + r % 0xfff0 lies in 0x10..=0xffff.
        let offset = u16::try_from(rng.next_u32() % 0xfff0).unwrap_or(0);
        let password_id = MIN_TOKEN_PASSWORD_ID.saturating_add(offset);
        OwnPasswordToken {
            keys,
            password_id,
            password: TokenPassword::generate(rng),
        }
    }

    /// A token from stored parts (e.g. the file `wps nfc token --out FILE` wrote).
    ///
    /// # Errors
    /// [`NfcError::PasswordIdReserved`] for an ID below 0x10.
    pub fn from_parts(
        keys: OobKeys,
        password_id: u16,
        password: TokenPassword,
    ) -> Result<OwnPasswordToken, NfcError> {
        if password_id < MIN_TOKEN_PASSWORD_ID {
            return Err(NfcError::PasswordIdReserved { id: password_id });
        }
        Ok(OwnPasswordToken {
            keys,
            password_id,
            password,
        })
    }

    /// The DH key pair to send in M1 (its hash is on the tag).
    pub fn keys(&self) -> &OobKeys {
        &self.keys
    }

    /// The Device Password ID M1 carries.
    pub fn password_id(&self) -> u16 {
        self.password_id
    }

    /// The device password.
    pub fn password(&self) -> &TokenPassword {
        &self.password
    }

    /// The token as a reader sees it.
    pub fn token(&self) -> PasswordToken<'_> {
        PasswordToken {
            public_key_hash: self.keys.public_key_hash(),
            password_id: self.password_id,
            password: self.password.as_bytes(),
        }
    }

    /// Writes the NDEF message for the tag (one WSC record).
    ///
    /// # Errors
    /// [`WriteError`] from the buffer.
    pub fn emit_ndef<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        super::emit_wsc_record(out, &self.token())
    }

    /// The NDEF message for the tag, in a buffer that is wiped on drop (it holds the
    /// password).
    #[cfg(feature = "alloc")]
    pub fn to_ndef(&self) -> zeroize::Zeroizing<alloc::vec::Vec<u8>> {
        let mut out = zeroize::Zeroizing::new(alloc::vec::Vec::new());
        // Writing to a Vec cannot fail: the record is 94 bytes.
        let _ = self.emit_ndef(&mut *out);
        out
    }
}

/// A configuration token to write: one or more Credentials, then RF Bands, AP Channel
/// and the AP's MAC Address when given, then the WFA extension (hostapd's
/// `wps_get_oob_cred` order).
#[derive(Debug, Clone, Copy)]
pub struct ConfigurationToken<'a> {
    /// The networks (hostapd writes one; its Credential's MAC Address is all zeros, an
    /// external registrar's is the AP's).
    pub credentials: &'a [CredentialRef<'a>],
    /// RF Bands of the AP.
    pub rf_bands: Option<RfBands>,
    /// AP Channel.
    pub ap_channel: Option<u16>,
    /// The AP's MAC Address (outside the Credential).
    pub mac_address: Option<MacAddr>,
}

impl WscPayload for ConfigurationToken<'_> {
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        for c in self.credentials {
            c.emit_attribute(out)?;
        }
        emit_ap_and_version2(out, self.rf_bands, self.ap_channel, self.mac_address)
    }
}

/// What a configuration token and a handover select end with: the AP's RF Bands, AP
/// Channel and MAC Address when known, then the Version2 extension.
pub(crate) fn emit_ap_and_version2<B: Buf + ?Sized>(
    out: &mut B,
    rf_bands: Option<RfBands>,
    ap_channel: Option<u16>,
    mac_address: Option<MacAddr>,
) -> Result<(), WriteError> {
    if let Some(b) = rf_bands {
        tlv::write_u8(out, u16::from(AttrType::RfBands), b.0)?;
    }
    if let Some(c) = ap_channel {
        tlv::write_u16(out, u16::from(AttrType::ApChannel), c)?;
    }
    if let Some(m) = mac_address {
        tlv::write_tlv(out, u16::from(AttrType::MacAddress), &m.0)?;
    }
    emit_version2(out)
}

/// A configuration token as read from a tag. `Debug` shows the Credentials as
/// [`CredentialRef`]'s `Debug` does (network key redacted).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ReadConfigurationToken<'a> {
    /// The Credential values as `parse` found them, by hostapd's walk: it skips a stray
    /// octet after a Network Key, where a plain TLV walk of `attributes` would stop.
    credentials: FixedList<&'a [u8], MAX_CREDENTIALS>,
    /// RF Bands, if the token has them.
    pub rf_bands: Option<RfBands>,
    /// AP Channel, if the token has it.
    pub ap_channel: Option<u16>,
    /// The AP's MAC Address outside the Credentials, if the token has it.
    pub mac_address: Option<MacAddr>,
}

impl core::fmt::Debug for ReadConfigurationToken<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        struct List<'t>(&'t ReadConfigurationToken<'t>);
        impl core::fmt::Debug for List<'_> {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.debug_list().entries(self.0.credentials()).finish()
            }
        }
        f.debug_struct("ReadConfigurationToken")
            .field("credentials", &List(self))
            .field("rf_bands", &self.rf_bands)
            .field("ap_channel", &self.ap_channel)
            .field("mac_address", &self.mac_address)
            .finish()
    }
}

impl<'a> ReadConfigurationToken<'a> {
    /// Reads a configuration token: at least one Credential, each with the attributes
    /// hostapd requires (as [`CredentialRef::parse`]).
    ///
    /// # Errors
    /// [`NfcError::Attr`], [`NfcError::Missing`] (no Credential), [`NfcError::Credential`].
    pub fn parse(attributes: &'a [u8]) -> Result<ReadConfigurationToken<'a>, NfcError> {
        let attrs = Attributes::parse(attributes)?;
        let mut credentials = FixedList::new();
        for c in attrs.credentials() {
            CredentialRef::parse(c).map_err(NfcError::Credential)?;
            // `Attributes` keeps at most MAX_CREDENTIALS: there is room.
            let _ = credentials.push(c);
        }
        if credentials.is_empty() {
            return Err(NfcError::Missing(AttrType::Credential));
        }
        Ok(ReadConfigurationToken {
            credentials,
            rf_bands: attrs.u8(AttrType::RfBands).map(RfBands),
            ap_channel: attrs.u16(AttrType::ApChannel),
            mac_address: attrs.array::<6>(AttrType::MacAddress).map(|m| MacAddr(*m)),
        })
    }

    /// The Credentials (at most 10, as hostapd keeps).
    pub fn credentials(&self) -> impl Iterator<Item = CredentialRef<'a>> + 'a {
        // parse() checked every Credential.
        let values = self.credentials;
        (0..values.len())
            .filter_map(move |i| values.get(i).copied())
            .filter_map(|c| CredentialRef::parse(c).ok())
    }
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{AuthType, EncrType};
    use crate::message::Extra;
    use crate::nfc::read_ndef;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    #[test]
    fn oob_length_rule() {
        assert!(OobDevicePassword::parse(&[0; 21]).is_err());
        let mut v = [0u8; 22];
        v[21] = 7;
        assert_eq!(OobDevicePassword::parse(&v).unwrap().password, &[] as &[u8]);
        v[21] = 0x10;
        assert_eq!(
            OobDevicePassword::parse(&v),
            Err(NfcError::OobDevicePasswordLength { len: 22 })
        );
        assert!(OobDevicePassword::parse(&[0x11; 54]).is_ok());
        assert!(OobDevicePassword::parse(&[0x11; 55]).is_err());
    }

    #[test]
    fn reserved_password_id_is_refused() {
        let v = oob_attribute([1; 20], 0x000f, &[2; 32]);
        assert_eq!(
            PasswordToken::parse(&v),
            Err(NfcError::PasswordIdReserved { id: 0x0f })
        );
        let keys = OobKeys::from_private(&[3; 32]).unwrap();
        let pw = TokenPassword::from_bytes(&[4; 32]).unwrap();
        assert!(OwnPasswordToken::from_parts(keys, 4, pw).is_err());
    }

    #[test]
    fn generated_token_is_94_bytes_of_ndef() {
        let own = OwnPasswordToken::generate(&mut rand::rng());
        assert!(own.password_id() >= 0x10);
        assert_eq!(own.password().as_bytes().len(), 32);
        let ndef = own.to_ndef();
        assert_eq!(ndef.len(), 3 + 23 + 68);
        let read = read_ndef(&ndef).unwrap();
        let t = PasswordToken::parse(read.attributes).unwrap();
        assert_eq!(t, own.token());
        assert_eq!(t.password(), *own.password());
    }

    #[test]
    fn debug_hides_passwords_and_keys() {
        let own = OwnPasswordToken::from_parts(
            OobKeys::from_private(&[3; 32]).unwrap(),
            0x1234,
            TokenPassword::from_bytes(&[0xab; 32]).unwrap(),
        )
        .unwrap();
        let shown = alloc::format!("{:?} {own:?}", own.token());
        assert!(
            !shown.contains("171, 171") && !shown.to_lowercase().contains("abab"),
            "{shown}"
        );
        let cred = CredentialRef {
            network_index: 1,
            ssid: b"home",
            auth_type: AuthType::WPA2_PSK,
            encr_type: EncrType::AES,
            network_key_index: None,
            network_key: Some(b"secret-passphrase"),
            mac_address: MacAddr([0; 6]),
            wfa: None,
            extra: Extra::NONE,
        };
        let token = ConfigurationToken {
            credentials: &[cred],
            rf_bands: None,
            ap_channel: None,
            mac_address: None,
        };
        let ndef = crate::nfc::to_wsc_record(&token).unwrap();
        let read = read_ndef(&ndef).unwrap();
        let shown = alloc::format!("{:?} {:?}", read, read.contents().unwrap());
        assert!(
            shown.contains("home") && !shown.contains("secret"),
            "{shown}"
        );
    }

    #[test]
    fn configuration_token_needs_a_credential() {
        let mut v = Vec::new();
        emit_version2(&mut v).unwrap();
        assert_eq!(
            ReadConfigurationToken::parse(&v),
            Err(NfcError::Missing(AttrType::Credential))
        );
    }

    prop_compose! {
        fn any_credential_parts()(
            ssid in proptest::collection::vec(any::<u8>(), 0..=32),
            key in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..=64)),
            mac in any::<[u8; 6]>(),
            auth in any::<u16>(),
            encr in any::<u16>(),
        ) -> (Vec<u8>, Option<Vec<u8>>, [u8; 6], u16, u16) {
            (ssid, key, mac, auth, encr)
        }
    }

    proptest! {
        #[test]
        fn password_token_roundtrip(
            hash in any::<[u8; 20]>(),
            id in 0x10u16..,
            password in proptest::collection::vec(any::<u8>(), 16..=32),
        ) {
            let token = PasswordToken { public_key_hash: PublicKeyHash(hash), password_id: id, password: &password };
            let mut ndef = Vec::new();
            crate::nfc::emit_wsc_record(&mut ndef, &token).unwrap();
            let read = read_ndef(&ndef).unwrap();
            let back = PasswordToken::parse(read.attributes).unwrap();
            prop_assert_eq!(back, token);
            let mut again = Vec::new();
            crate::nfc::emit_wsc_record(&mut again, &back).unwrap();
            prop_assert_eq!(again, ndef);
        }

        #[test]
        fn configuration_token_roundtrip(
            creds in proptest::collection::vec(any_credential_parts(), 1..4),
            rf in proptest::option::of(any::<u8>()),
            channel in proptest::option::of(any::<u16>()),
            mac in proptest::option::of(any::<[u8; 6]>()),
        ) {
            let credentials: Vec<CredentialRef<'_>> = creds
                .iter()
                .map(|(ssid, key, mac, auth, encr)| CredentialRef {
                    network_index: 1,
                    ssid,
                    auth_type: AuthType(*auth),
                    encr_type: EncrType(*encr),
                    network_key_index: None,
                    network_key: key.as_deref(),
                    mac_address: MacAddr(*mac),
                    wfa: None,
                    extra: Extra::NONE,
                })
                .collect();
            let token = ConfigurationToken {
                credentials: &credentials,
                rf_bands: rf.map(RfBands),
                ap_channel: channel,
                mac_address: mac.map(MacAddr),
            };
            let mut ndef = Vec::new();
            crate::nfc::emit_wsc_record(&mut ndef, &token).unwrap();
            let read = read_ndef(&ndef).unwrap();
            let back = ReadConfigurationToken::parse(read.attributes).unwrap();
            prop_assert_eq!(back.rf_bands, token.rf_bands);
            prop_assert_eq!(back.ap_channel, token.ap_channel);
            prop_assert_eq!(back.mac_address, token.mac_address);
            let got: Vec<CredentialRef<'_>> = back.credentials().collect();
            prop_assert_eq!(got.len(), credentials.len());
            for (g, c) in got.iter().zip(&credentials) {
                prop_assert_eq!(g.ssid, c.ssid);
                prop_assert_eq!(g.network_key, c.network_key);
                prop_assert_eq!(g.mac_address, c.mac_address);
                prop_assert_eq!(g.auth_type, c.auth_type);
                prop_assert_eq!(g.encr_type, c.encr_type);
            }
            let rebuilt = ConfigurationToken { credentials: &got, ..token };
            let mut again = Vec::new();
            crate::nfc::emit_wsc_record(&mut again, &rebuilt).unwrap();
            prop_assert_eq!(again, ndef);
        }
    }
}
