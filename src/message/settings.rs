//! The plaintexts inside Encrypted Settings: the secret nonces of M4..M7, an AP's
//! settings in M7, and the Credentials (or new AP settings) of M8.
//!
//! [`crate::crypto`]'s decryption returns the plaintext without its Key Wrap
//! Authenticator; these views also accept it with the KWA still at the end (kept in
//! `key_wrap_authenticator`), so captured plaintexts round-trip. Builders leave the KWA
//! out (`None`): the encryption appends it.

use core::fmt;

use super::credential::{Escaped, Redacted};
use super::{CredentialRef, Extra, MessageError};
use crate::attr::parse::{KeptKind, kept_values};
use crate::attr::{AttrType, AuthType, EncrType, MacAddr};
use crate::tlv::{self, Buf, WriteError};

wsc_family! {
    each []
    first {}
    last {
        /// Key Wrap Authenticator, when the plaintext still has it.
        key_wrap_authenticator: Option<[u8; 8]> = KeyWrapAuthenticator,
        /// Other vendors' extensions (written last) and a parsed struct's input.
        extra: Extra<'a>,
    }

    /// Encrypted Settings of M4: R-SNonce1.
    pub struct M4Settings {
        /// R-SNonce1 (secret).
        r_snonce1: &'a [u8; 16] = RSNonce1,
    }

    /// Encrypted Settings of M5: E-SNonce1.
    pub struct M5Settings {
        /// E-SNonce1 (secret).
        e_snonce1: &'a [u8; 16] = ESNonce1,
    }

    /// Encrypted Settings of M6: R-SNonce2.
    pub struct M6Settings {
        /// R-SNonce2 (secret).
        r_snonce2: &'a [u8; 16] = RSNonce2,
    }

    /// Encrypted Settings of M7: E-SNonce2 and, when the Enrollee is an AP, its current
    /// settings as flat attributes (hostapd's order: SSID, MAC Address, Authentication
    /// Type, Encryption Type, Network Key). See [`M7Settings::ap_settings`].
    pub struct M7Settings {
        /// E-SNonce2 (secret).
        e_snonce2: &'a [u8; 16] = ESNonce2,
        /// The AP's SSID.
        ssid: Option<&'a [u8]> = Ssid,
        /// The AP's MAC address (BSSID).
        mac_address: Option<MacAddr> = MacAddress,
        /// Authentication Type.
        auth_type: Option<AuthType> = AuthenticationType,
        /// Encryption Type.
        encr_type: Option<EncrType> = EncryptionType,
        /// Network Key (secret).
        network_key: Option<&'a [u8]> = NetworkKey,
    }

    /// Encrypted Settings of M8: one or more Credentials (Enrollee is a station), or new
    /// AP settings as flat attributes in Credential order (Enrollee is an AP). See
    /// [`M8Settings::ap_settings`].
    pub struct M8Settings {
        /// The Credential attributes (hostapd reads the first 10).
        credentials: Credentials<'a>,
        /// Network Index of flat AP settings.
        network_index: Option<u8> = NetworkIndex,
        /// SSID of flat AP settings.
        ssid: Option<&'a [u8]> = Ssid,
        /// Authentication Type of flat AP settings.
        auth_type: Option<AuthType> = AuthenticationType,
        /// Encryption Type of flat AP settings.
        encr_type: Option<EncrType> = EncryptionType,
        /// Network Key of flat AP settings (secret).
        network_key: Option<&'a [u8]> = NetworkKey,
        /// MAC Address of flat AP settings.
        mac_address: Option<MacAddr> = MacAddress,
    }
}

macro_rules! redacted_debug {
    ($t:ident { $($f:ident),* } secret { $($s:ident),* }) => {
        impl fmt::Debug for $t<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($t))
                    $( .field(stringify!($s), &Redacted(&self.$s[..])) )*
                    $( .field(stringify!($f), &self.$f) )*
                    .finish_non_exhaustive()
            }
        }
    };
}

redacted_debug!(M4Settings { key_wrap_authenticator } secret { r_snonce1 });
redacted_debug!(M5Settings { key_wrap_authenticator } secret { e_snonce1 });
redacted_debug!(M6Settings { key_wrap_authenticator } secret { r_snonce2 });

impl fmt::Debug for M7Settings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M7Settings")
            .field("e_snonce2", &Redacted(self.e_snonce2))
            .field("ssid", &self.ssid.map(Escaped))
            .field("mac_address", &self.mac_address)
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key", &self.network_key.map(Redacted))
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for M8Settings<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M8Settings")
            .field("credentials", &self.credentials)
            .field("ssid", &self.ssid.map(Escaped))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key", &self.network_key.map(Redacted))
            .field("mac_address", &self.mac_address)
            .finish_non_exhaustive()
    }
}

/// The flat settings fields as a Credential; the error names the first one missing.
fn flat_credential<'a>(
    network_index: Option<u8>,
    ssid: Option<&'a [u8]>,
    auth_type: Option<AuthType>,
    encr_type: Option<EncrType>,
    network_key: Option<&'a [u8]>,
    mac_address: Option<MacAddr>,
) -> Result<CredentialRef<'a>, MessageError> {
    Ok(CredentialRef {
        network_index: network_index.unwrap_or(1),
        ssid: ssid.ok_or(MessageError::Missing(AttrType::Ssid))?,
        auth_type: auth_type.ok_or(MessageError::Missing(AttrType::AuthenticationType))?,
        encr_type: encr_type.ok_or(MessageError::Missing(AttrType::EncryptionType))?,
        network_key_index: None,
        network_key,
        mac_address: mac_address.ok_or(MessageError::Missing(AttrType::MacAddress))?,
        wfa: None,
        extra: Extra::NONE,
    })
}

impl<'a> M7Settings<'a> {
    /// E-SNonce2 with an AP's settings (Network Index, Key Index and WFA extension of
    /// `ap` are not written: hostapd's M7 has none).
    pub fn with_ap_settings(e_snonce2: &'a [u8; 16], ap: &CredentialRef<'a>) -> Self {
        M7Settings {
            e_snonce2,
            ssid: Some(ap.ssid),
            mac_address: Some(ap.mac_address),
            auth_type: Some(ap.auth_type),
            encr_type: Some(ap.encr_type),
            network_key: ap.network_key,
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        }
    }

    /// The AP's settings, when the plaintext has any (`None` when there is no SSID).
    pub fn ap_settings(&self) -> Option<Result<CredentialRef<'a>, MessageError>> {
        self.ssid?;
        Some(flat_credential(
            None,
            self.ssid,
            self.auth_type,
            self.encr_type,
            self.network_key,
            self.mac_address,
        ))
    }
}

impl<'a> M8Settings<'a> {
    /// Credentials for a station Enrollee.
    pub fn with_credentials(credentials: &'a [CredentialRef<'a>]) -> Self {
        M8Settings {
            credentials: Credentials::list(credentials),
            network_index: None,
            ssid: None,
            auth_type: None,
            encr_type: None,
            network_key: None,
            mac_address: None,
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        }
    }

    /// New settings for an AP Enrollee, flat, in Credential order.
    pub fn with_ap_settings(ap: &CredentialRef<'a>) -> Self {
        M8Settings {
            credentials: Credentials::NONE,
            network_index: Some(ap.network_index),
            ssid: Some(ap.ssid),
            auth_type: Some(ap.auth_type),
            encr_type: Some(ap.encr_type),
            network_key: ap.network_key,
            mac_address: Some(ap.mac_address),
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        }
    }

    /// The flat AP settings (`None` when the plaintext has no top-level SSID).
    pub fn ap_settings(&self) -> Option<Result<CredentialRef<'a>, MessageError>> {
        self.ssid?;
        Some(flat_credential(
            self.network_index,
            self.ssid,
            self.auth_type,
            self.encr_type,
            self.network_key,
            self.mac_address,
        ))
    }
}

/// The Credentials of an M8: the attributes of a parsed plaintext, or a list to build.
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub struct Credentials<'a> {
    source: Option<&'a [u8]>,
    list: &'a [CredentialRef<'a>],
}

impl fmt::Debug for Credentials<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> Credentials<'a> {
    /// No Credentials.
    pub const NONE: Credentials<'static> = Credentials {
        source: None,
        list: &[],
    };

    /// Credentials to write.
    pub const fn list(list: &'a [CredentialRef<'a>]) -> Self {
        Credentials { source: None, list }
    }

    pub(crate) fn parsed(source: &'a [u8]) -> Self {
        Credentials {
            source: Some(source),
            list: &[],
        }
    }

    /// The raw Credential values of a parsed plaintext (the first
    /// [`MAX_CREDENTIALS`](crate::attr::parse::MAX_CREDENTIALS), as hostapd), as the
    /// parse found them (after a stray octet too).
    pub fn raw_values(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        kept_values(self.source.unwrap_or_default(), KeptKind::Credential)
    }

    /// Each Credential, parsed (a malformed one is an error in its place).
    pub fn iter(&self) -> impl Iterator<Item = Result<CredentialRef<'a>, MessageError>> + 'a {
        self.raw_values()
            .map(CredentialRef::parse)
            .chain(self.list.iter().copied().map(Ok))
    }

    /// Number of Credentials.
    pub fn len(&self) -> usize {
        // At most MAX_CREDENTIALS parsed plus a slice's length: cannot saturate.
        self.raw_values().count().saturating_add(self.list.len())
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// [`emit`](Self::emit) through a message's writer.
    pub(crate) fn write_to<B: Buf + ?Sized>(&self, w: &mut super::macros::AttrWriter<'_, B>) {
        w.group(|out| self.emit(out));
    }

    /// Writes each as a Credential attribute (parsed ones byte for byte).
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        for v in self.raw_values() {
            tlv::write_tlv(out, u16::from(AttrType::Credential), v)?;
        }
        for c in self.list {
            c.emit_attribute(out)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    /// hostapd's walk skips one stray octet after a Network Key: the Credentials and
    /// vendor extensions after it are the parsed view's too, as the parse saw them.
    #[test]
    fn values_after_a_stray_octet_are_kept() {
        let credential = CredentialRef {
            network_index: 1,
            ssid: b"home",
            auth_type: AuthType::WPA2_PSK,
            encr_type: EncrType::AES,
            network_key_index: None,
            network_key: Some(b"correct horse"),
            mac_address: MacAddr([2, 0, 0, 0, 0, 1]),
            wfa: None,
            extra: Extra::NONE,
        };
        let mut plain = Vec::new();
        let key = u16::from(AttrType::NetworkKey);
        assert_eq!(tlv::write_tlv(&mut plain, key, b"flat key"), Ok(()));
        plain.push(0); // the stray octet
        assert_eq!(credential.emit_attribute(&mut plain), Ok(()));
        let vendor = u16::from(AttrType::VendorExtension);
        assert_eq!(
            tlv::write_tlv(&mut plain, vendor, &[0, 0x10, 0x18, 7]),
            Ok(())
        );

        let settings = M8Settings::parse(&plain).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(settings.network_key, Some(&b"flat key"[..]));
        assert_eq!(settings.credentials.len(), 1);
        let parsed = settings.credentials.iter().map(|c| {
            c.map(|c| CredentialRef {
                extra: Extra::NONE,
                ..c
            })
        });
        assert_eq!(parsed.collect::<Vec<_>>(), [Ok(credential)]);
        assert_eq!(
            settings.extra.iter_vendor_extensions().collect::<Vec<_>>(),
            [&[0, 0x10, 0x18, 7][..]]
        );
    }

    /// The same for a vendor extension right after the stray octet.
    #[test]
    fn vendor_extension_after_a_stray_octet_is_kept() {
        let mut plain = Vec::new();
        let key = u16::from(AttrType::NetworkKey);
        assert_eq!(tlv::write_tlv(&mut plain, key, b""), Ok(()));
        plain.push(0); // the stray octet
        let vendor = u16::from(AttrType::VendorExtension);
        assert_eq!(tlv::write_tlv(&mut plain, vendor, &[0, 0x10, 0x18]), Ok(()));

        let settings = M8Settings::parse(&plain).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(settings.network_key, Some(&b""[..]));
        assert_eq!(
            settings.extra.iter_vendor_extensions().collect::<Vec<_>>(),
            [&[0, 0x10, 0x18][..]]
        );
    }
}
