//! A registrar's Multi-AP settings, owned: the mode and the backhaul network an AP's
//! internal registrar hands to a backhaul STA (hostapd's `multi_ap`,
//! `multi_ap_backhaul_ssid`, `multi_ap_backhaul_wpa_passphrase`).
//!
//! The rule itself (which M1 gets the backhaul Credential) is
//! [`MultiApRegistrar::credential_for`]; this type keeps its inputs for a whole run.

use crate::attr::{MacAddr, WfaExtension};
use crate::message::{self, MultiApError, MultiApMode, MultiApRegistrar};

use super::device::NetworkSettings;

/// The Multi-AP side of an AP's internal registrar: its mode and the backhaul network
/// (always WPA2-PSK with AES; its key is wiped on drop and redacted by `Debug`).
///
/// ```
/// use wps::attr::{MacAddr, WfaExtension};
/// use wps::message::{MultiApError, MultiApMode};
/// use wps::registration::MultiApSettings;
///
/// let settings = MultiApSettings::new(MultiApMode::Both, b"backhaul", b"backhaul-pass")?;
/// let mac = MacAddr([2, 0, 0, 0, 0x5b, 1]);
/// let asked = settings.credential_for(Some(WfaExtension::backhaul_sta()), mac);
/// assert_eq!(asked.map(|c| c.ssid), Some(&b"backhaul"[..]));
/// assert!(settings.credential_for(Some(WfaExtension::version2_only()), mac).is_none());
/// assert_eq!(
///     MultiApSettings::new(MultiApMode::Both, b"backhaul", b"short").err(),
///     Some(MultiApError::NetworkKey { len: 5 })
/// );
/// # Ok::<(), MultiApError>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct MultiApSettings {
    mode: MultiApMode,
    backhaul: NetworkSettings,
}

impl core::fmt::Debug for MultiApSettings {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        core::fmt::Debug::fmt(&self.registrar(), f)
    }
}

impl MultiApSettings {
    /// The mode and the backhaul network, checked as [`MultiApRegistrar::new`] does.
    ///
    /// # Errors
    /// [`MultiApError::Ssid`], [`MultiApError::NetworkKey`].
    pub fn new(
        mode: MultiApMode,
        backhaul_ssid: &[u8],
        backhaul_network_key: &[u8],
    ) -> Result<Self, MultiApError> {
        MultiApRegistrar::new(mode, backhaul_ssid, backhaul_network_key)?;
        Ok(MultiApSettings {
            mode,
            backhaul: NetworkSettings::wpa2_personal_checked(backhaul_ssid, backhaul_network_key),
        })
    }

    /// The mode (hostapd's `multi_ap`).
    pub fn mode(&self) -> MultiApMode {
        self.mode
    }

    /// The backhaul network (WPA2-PSK, AES).
    pub fn backhaul(&self) -> &NetworkSettings {
        &self.backhaul
    }

    /// The message-layer registrar over these settings.
    pub fn registrar(&self) -> MultiApRegistrar<'_> {
        MultiApRegistrar::from_checked(self.mode, self.backhaul.ssid(), self.backhaul.network_key())
    }

    /// [`MultiApRegistrar::credential_for`]: the backhaul Credential for an Enrollee
    /// whose M1 had `m1_wfa`, or `None` when it gets the fronthaul networks.
    pub fn credential_for(
        &self,
        m1_wfa: Option<WfaExtension<'_>>,
        enrollee_mac: MacAddr,
    ) -> Option<message::CredentialRef<'_>> {
        self.registrar().credential_for(m1_wfa, enrollee_mac)
    }

    /// The backhaul Credential for the Enrollee with MAC Address `enrollee_mac`
    /// ([`message::backhaul_credential`]), whatever its M1 said.
    pub fn backhaul_credential(&self, enrollee_mac: MacAddr) -> message::CredentialRef<'_> {
        message::backhaul_credential(
            self.backhaul.ssid(),
            self.backhaul.network_key(),
            enrollee_mac,
        )
    }
}
