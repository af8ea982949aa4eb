//! The Credential attribute (0x100E) and hostapd's checks on a received one.

use crate::attr::WfaExtension;
use crate::message::Extra;
use core::fmt;

use crate::attr::{AttrType, AuthType, EncrType, MacAddr};
use crate::tlv::{self, Buf, WriteError};

wsc_struct! {
    /// One network's settings: the nested attributes of a Credential (0x100E), also the
    /// flat AP settings of M8 when the Enrollee is an AP.
    ///
    /// Parsing requires what hostapd's `wps_process_cred` requires: Network Index, SSID
    /// (an SSID over 32 bytes is ignored, so it is then missing), Authentication Type,
    /// Encryption Type and MAC Address. The Network Key may be absent; whether that is
    /// acceptable, and hostapd's other checks, are in [`CredentialRef::validate`].
    ///
    /// `emit` writes the nested attributes in hostapd's order;
    /// [`CredentialRef::emit_attribute`] wraps them in the Credential attribute.
    ///
    /// ```
    /// use wps::attr::{AuthType, EncrType, MacAddr};
    /// use wps::message::{CredentialRef, Extra, KeyFormat};
    ///
    /// let cred = CredentialRef {
    ///     network_index: 1,
    ///     ssid: b"home\0",
    ///     auth_type: AuthType::WPA2_PSK,
    ///     encr_type: EncrType::AES,
    ///     network_key_index: None,
    ///     network_key: Some(b"correct horse"),
    ///     mac_address: MacAddr([2, 0, 0, 0, 0, 1]),
    ///     wfa: None,
    ///     extra: Extra::NONE,
    /// };
    /// let mut nested = Vec::new();
    /// cred.emit(&mut nested)?;
    /// let valid = CredentialRef::parse(&nested)?.validate()?;
    /// assert_eq!(valid.ssid, b"home"); // trailing NULs stripped, as hostapd does
    /// assert_eq!(valid.key_format, KeyFormat::Passphrase);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub struct CredentialRef {
        /// Network Index (hostapd writes 1 and ignores the value).
        network_index: u8 = NetworkIndex,
        /// SSID: 0..=32 bytes, not necessarily UTF-8.
        ssid: &'a [u8] = Ssid,
        /// Authentication Type (one flag, e.g. WPA2-PSK).
        auth_type: AuthType = AuthenticationType,
        /// Encryption Type (one flag, e.g. AES).
        encr_type: EncrType = EncryptionType,
        /// Network Key Index (not written by hostapd).
        network_key_index: Option<u8> = NetworkKeyIndex,
        /// Network Key: passphrase (8..63), 64 hex digits, or absent for open networks.
        network_key: Option<&'a [u8]> = NetworkKey,
        /// MAC Address: the Enrollee's, in a Credential hostapd sends.
        mac_address: MacAddr = MacAddress,
        /// WFA extension (Network Key Shareable).
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
    }
}

impl fmt::Debug for CredentialRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialRef")
            .field("network_index", &self.network_index)
            .field("ssid", &Escaped(self.ssid))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key_index", &self.network_key_index)
            .field("network_key", &self.network_key.map(Redacted))
            .field("mac_address", &self.mac_address)
            .finish_non_exhaustive()
    }
}

/// Shows only the length of a secret.
pub(crate) struct Redacted<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Redacted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted, {} bytes>", self.0.len())
    }
}

/// Bytes shown as an escaped ASCII string (SSIDs need not be UTF-8).
pub(crate) struct Escaped<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.0.escape_ascii())
    }
}

/// How a Network Key is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFormat {
    /// No key (open network).
    None,
    /// An ASCII passphrase of 8..=63 characters.
    Passphrase,
    /// 64 hexadecimal digits: the PSK itself.
    HexPsk,
    /// Anything else (a WEP key, or a malformed key of a non-PSK network).
    Other,
}

impl KeyFormat {
    /// Classifies a key by length and content.
    pub fn of(key: &[u8]) -> KeyFormat {
        match key.len() {
            0 => KeyFormat::None,
            8..=63 => KeyFormat::Passphrase,
            64 if key.iter().all(u8::is_ascii_hexdigit) => KeyFormat::HexPsk,
            _ => KeyFormat::Other,
        }
    }
}

/// Why hostapd's Enrollee would not use a received Credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// No Network Key, and the network is not Open with no encryption.
    #[error("credential has no network key")]
    MissingNetworkKey,
    /// A WPA/WPA2-Personal key shorter than 8 bytes or containing control characters.
    #[error("invalid WPA/WPA2-Personal passphrase of {len} bytes")]
    InvalidPassphrase {
        /// Key length (after the trailing NUL was removed).
        len: usize,
    },
    /// WEP only: hostapd skips such a Credential (it is not fatal for the M8).
    #[error("WEP credential (prohibited)")]
    WepOnly,
    /// An Encryption Type with none of None, TKIP, AES (and not WEP).
    #[error("unsupported encryption type {0}")]
    UnsupportedEncryption(EncrType),
}

/// A Credential after hostapd's receiver checks and workarounds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ValidCredential<'a> {
    /// SSID with trailing NUL padding removed.
    pub ssid: &'a [u8],
    /// Authentication Type.
    pub auth_type: AuthType,
    /// Encryption Type.
    pub encr_type: EncrType,
    /// Network Key (a single trailing NUL removed from a 9..=63-byte PSK passphrase);
    /// empty when absent.
    pub network_key: &'a [u8],
    /// How to read `network_key`.
    pub key_format: KeyFormat,
    /// Network Key Index, if sent.
    pub network_key_index: Option<u8>,
    /// MAC Address.
    pub mac_address: MacAddr,
    /// Network Key Shareable (WFA subelement), if sent.
    pub network_key_shareable: Option<bool>,
}

impl fmt::Debug for ValidCredential<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ValidCredential")
            .field("ssid", &Escaped(self.ssid))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key", &Redacted(self.network_key))
            .field("key_format", &self.key_format)
            .field("mac_address", &self.mac_address)
            .finish_non_exhaustive()
    }
}

impl<'a> CredentialRef<'a> {
    /// Applies hostapd's Enrollee-side checks (`wps_process_cred`, `wps_process_cred_e`)
    /// in its order: the key may be absent only for Open/None; a PSK passphrase of
    /// 9..=63 bytes loses one trailing NUL; a WPA/WPA2-PSK key must then be at least 8
    /// bytes without control characters; finally the Encryption Type must include None,
    /// TKIP or AES ([`CredentialError::WepOnly`] means "skip this one").
    pub fn validate(&self) -> Result<ValidCredential<'a>, CredentialError> {
        let mut ssid = self.ssid;
        while let [head @ .., 0] = ssid {
            ssid = head;
        }
        let psk = self
            .auth_type
            .intersects(AuthType::WPA_PSK | AuthType::WPA2_PSK);
        let mut key = match self.network_key {
            Some(k) => k,
            None if self.auth_type == AuthType::OPEN && self.encr_type == EncrType::NONE => &[],
            None => return Err(CredentialError::MissingNetworkKey),
        };
        if psk
            && (9..=63).contains(&key.len())
            && let [head @ .., 0] = key
        {
            key = head;
        }
        if psk && (key.len() < 8 || key.iter().any(|b| *b < 32 || *b == 127)) {
            return Err(CredentialError::InvalidPassphrase { len: key.len() });
        }
        if !self
            .encr_type
            .intersects(EncrType::NONE | EncrType::TKIP | EncrType::AES)
        {
            return Err(if self.encr_type.contains(EncrType::WEP) {
                CredentialError::WepOnly
            } else {
                CredentialError::UnsupportedEncryption(self.encr_type)
            });
        }
        Ok(ValidCredential {
            ssid,
            auth_type: self.auth_type,
            encr_type: self.encr_type,
            network_key: key,
            key_format: KeyFormat::of(key),
            network_key_index: self.network_key_index,
            mac_address: self.mac_address,
            network_key_shareable: self
                .wfa
                .and_then(|w| w.network_key_shareable)
                .map(|v| v != 0),
        })
    }

    /// Writes the Credential attribute (0x100E) around the nested attributes.
    pub fn emit_attribute<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        tlv::write_header(out, u16::from(AttrType::Credential), self.nested_len()?)?;
        self.emit(out)
    }

    /// Bytes [`emit`](Self::emit) writes, or the error it stops at: counted field by
    /// field rather than by a measuring pass of `emit`, whose second copy (for a
    /// counter) took 0.3 KB of a microcontroller's flash. `tests` check it against `emit`.
    fn nested_len(&self) -> Result<usize, WriteError> {
        let mut len = 0usize;
        // One attribute of `n` value bytes (`emit`'s order and length checks).
        let mut add = |n: usize| -> Result<(), WriteError> {
            let n = usize::from(tlv::encode_len(n, u16::MAX)?);
            len = len.saturating_add(tlv::HEADER_LEN.saturating_add(n));
            Ok(())
        };
        add(1)?; // Network Index
        add(self.ssid.len())?;
        add(2)?; // Authentication Type
        add(2)?; // Encryption Type
        if self.network_key_index.is_some() {
            add(1)?;
        }
        if let Some(key) = self.network_key {
            add(key.len())?;
        }
        add(6)?; // MAC Address
        let wfa = match &self.wfa {
            Some(wfa) => wfa.attribute_len()?,
            None => 0,
        };
        for v in self.extra.iter_vendor_extensions() {
            add(v.len())?;
        }
        Ok(len.saturating_add(wfa))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    /// A value too long for its attribute: `emit_attribute` fails as a measuring pass of
    /// `emit` does, at the same field, and writes nothing.
    #[test]
    fn emit_attribute_fails_where_emit_fails() {
        let long = vec![b'k'; 70_000];
        let c = CredentialRef {
            network_index: 1,
            ssid: b"home",
            auth_type: AuthType::WPA2_PSK,
            encr_type: EncrType::AES,
            network_key_index: None,
            network_key: Some(&long),
            mac_address: MacAddr([2, 0, 0, 0, 0, 1]),
            wfa: None,
            extra: Extra::NONE,
        };
        let mut counter = crate::tlv::Counter::default();
        let expected = c.emit(&mut counter);
        assert!(expected.is_err());
        let mut out = vec::Vec::new();
        assert_eq!(c.emit_attribute(&mut out), expected);
        assert!(out.is_empty());

        let all_long = CredentialRef { ssid: &long, ..c };
        let mut counter = crate::tlv::Counter::default();
        assert_eq!(
            all_long.emit_attribute(&mut out),
            all_long.emit(&mut counter)
        );
        assert!(out.is_empty());
    }
}
