//! ConfigData: the plaintext of an IEEE 1905 AP-autoconfiguration M2's Encrypted
//! Settings, one BSS for the Multi-AP Agent's radio.

use crate::attr::WfaExtension;
use crate::message::Extra;
use core::fmt;

use super::credential::{Escaped, Redacted};
use crate::attr::{AuthType, EncrType, MacAddr, MultiApFlags};

wsc_struct! {
    /// The settings of one BSS in an autoconfiguration M2 (IEEE 1905.1 Table 10-1
    /// "ConfigData", with the Multi-AP Extension subelement of EasyMesh): SSID,
    /// Authentication Type, Encryption Type, Network Key, MAC Address and the WFA vendor
    /// extension whose Multi-AP subelement says Backhaul BSS, Fronthaul BSS or Tear Down.
    ///
    /// The order is the one prplMesh's and the other stacks' controllers write. Every
    /// field is optional when parsing: a tear-down M2 needs only the Multi-AP flags, and
    /// [`crate::autoconfig`] says which fields a BSS to configure must have. The WFA
    /// extension is read subelement by subelement, so Version2 or any other subelement
    /// beside the Multi-AP one is accepted (a fixed-layout reader fails there).
    ///
    /// ```
    /// use wps::attr::{AuthType, EncrType, MacAddr, MultiApFlags, WfaExtension};
    /// use wps::message::{ConfigData, Extra};
    /// let cd = ConfigData {
    ///     ssid: Some(b"mesh"),
    ///     auth_type: Some(AuthType::WPA2_PSK),
    ///     encr_type: Some(EncrType::AES),
    ///     network_key: Some(b"correct horse"),
    ///     mac_address: Some(MacAddr([2, 0, 0, 0, 0, 1])),
    ///     wfa: Some(WfaExtension::multi_ap(MultiApFlags::FRONTHAUL_BSS)),
    ///     key_wrap_authenticator: None,
    ///     extra: Extra::NONE,
    /// };
    /// let bytes = cd.to_bytes();
    /// let back = ConfigData::parse(&bytes)?;
    /// assert_eq!(back.multi_ap(), Some(MultiApFlags::FRONTHAUL_BSS));
    /// assert_eq!(back.to_bytes(), bytes);
    /// # Ok::<(), wps::message::MessageError>(())
    /// ```
    pub struct ConfigData {
        /// SSID.
        ssid: Option<&'a [u8]> = Ssid,
        /// Authentication Type (one flag).
        auth_type: Option<AuthType> = AuthenticationType,
        /// Encryption Type (one flag).
        encr_type: Option<EncrType> = EncryptionType,
        /// Network Key (secret).
        network_key: Option<&'a [u8]> = NetworkKey,
        /// MAC Address: controllers write the M1's (the agent's AL MAC); IEEE 1905.1
        /// says the BSSID. Nobody checks it.
        mac_address: Option<MacAddr> = MacAddress,
        /// The WFA vendor extension with the Multi-AP Extension subelement.
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed struct's input.
        extra: Extra<'a>,
        /// Key Wrap Authenticator, when the plaintext still has it.
        key_wrap_authenticator: Option<[u8; 8]> = KeyWrapAuthenticator,
    }
}

impl ConfigData<'_> {
    /// The Multi-AP Extension flags, when the WFA extension has that subelement.
    pub fn multi_ap(&self) -> Option<MultiApFlags> {
        self.wfa.and_then(|w| w.multi_ap)
    }
}

impl fmt::Debug for ConfigData<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigData")
            .field("ssid", &self.ssid.map(Escaped))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key", &self.network_key.map(Redacted))
            .field("mac_address", &self.mac_address)
            .field("multi_ap", &self.multi_ap())
            .finish_non_exhaustive()
    }
}
