//! Multi-AP backhaul onboarding over WPS (EasyMesh, hostapd's `multi_ap`): an M1 that
//! asks for the backhaul network, and the backhaul Credential a fronthaul AP's
//! registrar answers it with in M8.
//!
//! What hostapd and wpa_supplicant do, which these helpers repeat:
//!
//! * wpa_supplicant with `multi_ap=1` in phase1 writes the Multi-AP Extension
//!   subelement with the Backhaul STA flag (0x80) into M1's WFA vendor extension:
//!   [`WfaExtension::backhaul_sta`](crate::attr::WfaExtension::backhaul_sta).
//! * hostapd's registrar hands out the backhaul Credential when the M1's Multi-AP
//!   value is exactly Backhaul STA ([`M1::asks_for_backhaul`]) and a backhaul SSID is
//!   configured, which hostapd only passes to the registrar of a fronthaul BSS
//!   (`multi_ap` 2 or 3). The Credential is always WPA2-PSK with AES, its MAC Address
//!   the Enrollee's ([`backhaul_credential`]). Any other M1 gets the fronthaul network.
//!   The refusal of a backhaul STA on a BSS that is not a backhaul BSS happens at
//!   association, not in WPS.
//! * M2..M8 carry no Multi-AP subelement: the M8 Credential does not say it is the
//!   backhaul one. wpa_supplicant marks the network it learns as a backhaul network
//!   because it asked; a station built on this crate does the same.
//!
//! # In the drivers
//!
//! * `AccessPoint`: `ApConfig::multi_ap` holds a
//!   [`MultiApSettings`](crate::registration::MultiApSettings) (an owned copy of this
//!   registrar's inputs); the internal registrar decides at M1 with
//!   [`MultiApRegistrar::credential_for`] and sends that one Credential in M8. The beacon
//!   of a Multi-AP BSS (the Multi-AP IE) is an 802.11 matter, not WPS.
//! * `Station`: `StationConfig::multi_ap` makes M1's WFA extension
//!   [`WfaExtension::backhaul_sta`](crate::attr::WfaExtension::backhaul_sta); every
//!   Credential of that run's M8 is the backhaul one (`Station::credentials_are_backhaul`,
//!   `"backhaul": true` in the JSON), as wpa_supplicant marks the network it saves.
//!
//! ```
//! use wps::attr::{MacAddr, WfaExtension};
//! use wps::message::{MultiApMode, MultiApRegistrar};
//!
//! let ap = MultiApRegistrar::new(MultiApMode::from_config(3)?, b"backhaul", b"backhaul-pass")?;
//! let wfa = WfaExtension::backhaul_sta(); // what the extender's M1 carries
//! let enrollee = MacAddr([2, 0, 0, 0, 0x5b, 1]);
//! let cred = ap.credential_for(Some(wfa), enrollee).expect("backhaul credential");
//! assert_eq!(cred.ssid, b"backhaul");
//! assert_eq!(cred.mac_address, enrollee);
//! // Without the flag, the fronthaul network (the driver's own Credential).
//! assert!(ap.credential_for(Some(WfaExtension::version2_only()), enrollee).is_none());
//! # Ok::<(), wps::message::MultiApError>(())
//! ```

use crate::attr::{AuthType, EncrType, MacAddr, MultiApFlags, WfaExtension};

use super::{CredentialRef, Extra, M1};

/// Why a Multi-AP configuration was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MultiApError {
    /// `multi_ap` is not 1, 2 or 3.
    #[error("Multi-AP mode must be 1 (backhaul), 2 (fronthaul) or 3 (both), not {0}")]
    Mode(u8),
    /// The backhaul SSID is empty or longer than 32 bytes.
    #[error("the backhaul SSID must be 1 to 32 bytes long, not {len}")]
    Ssid {
        /// Its length.
        len: usize,
    },
    /// The backhaul key is neither a WPA passphrase (8 to 63 printable characters) nor
    /// 64 hexadecimal digits.
    #[error(
        "the backhaul passphrase must be 8 to 63 printable characters or 64 hex digits, not {len} bytes"
    )]
    NetworkKey {
        /// Its length.
        len: usize,
    },
}

/// hostapd's `multi_ap` setting of a BSS: which Multi-AP role it plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MultiApMode {
    /// 1: a backhaul BSS only (backhaul STAs associate here).
    Backhaul,
    /// 2: a fronthaul BSS only (ordinary clients; hands out the backhaul credential).
    Fronthaul,
    /// 3: both.
    Both,
}

impl MultiApMode {
    /// From hostapd's `multi_ap` value (`--multi-ap N`).
    ///
    /// # Errors
    /// [`MultiApError::Mode`] for anything but 1, 2 and 3.
    pub const fn from_config(value: u8) -> Result<Self, MultiApError> {
        match value {
            1 => Ok(MultiApMode::Backhaul),
            2 => Ok(MultiApMode::Fronthaul),
            3 => Ok(MultiApMode::Both),
            other => Err(MultiApError::Mode(other)),
        }
    }

    /// hostapd's `multi_ap` value.
    pub const fn to_config(self) -> u8 {
        match self {
            MultiApMode::Backhaul => 1,
            MultiApMode::Fronthaul => 2,
            MultiApMode::Both => 3,
        }
    }

    /// Whether the BSS is a fronthaul BSS, whose registrar hands out the backhaul
    /// credential.
    pub const fn is_fronthaul(self) -> bool {
        matches!(self, MultiApMode::Fronthaul | MultiApMode::Both)
    }

    /// Whether the BSS is a backhaul BSS.
    pub const fn is_backhaul(self) -> bool {
        matches!(self, MultiApMode::Backhaul | MultiApMode::Both)
    }

    /// The BSS flags of the Multi-AP Extension subelement for this mode.
    pub const fn bss_flags(self) -> MultiApFlags {
        match self {
            MultiApMode::Backhaul => MultiApFlags::BACKHAUL_BSS,
            MultiApMode::Fronthaul => MultiApFlags::FRONTHAUL_BSS,
            MultiApMode::Both => {
                MultiApFlags(MultiApFlags::BACKHAUL_BSS.0 | MultiApFlags::FRONTHAUL_BSS.0)
            }
        }
    }
}

impl<'a> M1<'a> {
    /// The Multi-AP Extension flags of the M1's WFA vendor extension, if any.
    pub fn multi_ap(&self) -> Option<MultiApFlags> {
        self.wfa.and_then(|w| w.multi_ap)
    }

    /// Whether the Enrollee asks for the backhaul network: its Multi-AP value is exactly
    /// Backhaul STA (0x80), the test hostapd's registrar makes.
    pub fn asks_for_backhaul(&self) -> bool {
        asks_for_backhaul(self.wfa)
    }
}

/// [`M1::asks_for_backhaul`] from the M1's WFA extension alone (what a registrar keeps
/// of the M1 after parsing it).
pub fn asks_for_backhaul(m1_wfa: Option<WfaExtension<'_>>) -> bool {
    m1_wfa.and_then(|w| w.multi_ap) == Some(MultiApFlags::BACKHAUL_STA)
}

/// The backhaul Credential hostapd sends a backhaul STA: Network Index 1, the backhaul
/// SSID, WPA2-PSK with AES (always, whatever the fronthaul uses), the backhaul
/// passphrase (or 64-hex PSK) and the Enrollee's MAC Address.
pub fn backhaul_credential<'a>(
    ssid: &'a [u8],
    network_key: &'a [u8],
    enrollee_mac: MacAddr,
) -> CredentialRef<'a> {
    CredentialRef {
        network_index: 1,
        ssid,
        auth_type: AuthType::WPA2_PSK,
        encr_type: EncrType::AES,
        network_key_index: None,
        network_key: Some(network_key),
        mac_address: enrollee_mac,
        wfa: None,
        extra: Extra::NONE,
    }
}

/// The Multi-AP side of a registrar (`--multi-ap N --backhaul-ssid S
/// --backhaul-passphrase P`): decides, per M1, whether the backhaul Credential replaces
/// the fronthaul one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct MultiApRegistrar<'a> {
    mode: MultiApMode,
    backhaul_ssid: &'a [u8],
    backhaul_network_key: &'a [u8],
}

impl core::fmt::Debug for MultiApRegistrar<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("MultiApRegistrar")
            .field("mode", &self.mode)
            .field(
                "backhaul_ssid",
                &super::credential::Escaped(self.backhaul_ssid),
            )
            .field(
                "backhaul_network_key",
                &super::credential::Redacted(self.backhaul_network_key),
            )
            .finish()
    }
}

impl<'a> MultiApRegistrar<'a> {
    /// Checks the backhaul network: SSID 1..=32 bytes, key a WPA passphrase (8..=63
    /// printable ASCII characters) or 64 hex digits, since it is always WPA2-PSK.
    ///
    /// # Errors
    /// [`MultiApError::Ssid`], [`MultiApError::NetworkKey`].
    pub fn new(
        mode: MultiApMode,
        backhaul_ssid: &'a [u8],
        backhaul_network_key: &'a [u8],
    ) -> Result<Self, MultiApError> {
        if backhaul_ssid.is_empty() || backhaul_ssid.len() > 32 {
            return Err(MultiApError::Ssid {
                len: backhaul_ssid.len(),
            });
        }
        let key_ok = match backhaul_network_key.len() {
            8..=63 => backhaul_network_key
                .iter()
                .all(|b| (0x20..0x7f).contains(b)),
            64 => backhaul_network_key.iter().all(u8::is_ascii_hexdigit),
            _ => false,
        };
        if !key_ok {
            return Err(MultiApError::NetworkKey {
                len: backhaul_network_key.len(),
            });
        }
        Ok(MultiApRegistrar {
            mode,
            backhaul_ssid,
            backhaul_network_key,
        })
    }

    /// Settings [`new`](Self::new) has already checked (an owned copy of a checked
    /// registrar's).
    #[cfg(feature = "alloc")]
    pub(crate) const fn from_checked(
        mode: MultiApMode,
        backhaul_ssid: &'a [u8],
        backhaul_network_key: &'a [u8],
    ) -> Self {
        MultiApRegistrar {
            mode,
            backhaul_ssid,
            backhaul_network_key,
        }
    }

    /// The configured mode.
    pub fn mode(&self) -> MultiApMode {
        self.mode
    }

    /// The backhaul SSID.
    pub fn backhaul_ssid(&self) -> &'a [u8] {
        self.backhaul_ssid
    }

    /// The backhaul Credential for an Enrollee whose M1 had `m1_wfa` and MAC Address
    /// `enrollee_mac`, or `None` when it gets the fronthaul network: hostapd's rule is
    /// "this BSS is a fronthaul BSS and the M1 says exactly Backhaul STA".
    pub fn credential_for(
        &self,
        m1_wfa: Option<WfaExtension<'_>>,
        enrollee_mac: MacAddr,
    ) -> Option<CredentialRef<'a>> {
        (self.mode.is_fronthaul() && asks_for_backhaul(m1_wfa)).then(|| {
            backhaul_credential(self.backhaul_ssid, self.backhaul_network_key, enrollee_mac)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes() {
        for v in 1..=3 {
            assert_eq!(
                MultiApMode::from_config(v).map(MultiApMode::to_config),
                Ok(v)
            );
        }
        assert_eq!(MultiApMode::from_config(0), Err(MultiApError::Mode(0)));
        assert_eq!(MultiApMode::from_config(4), Err(MultiApError::Mode(4)));
        assert!(!MultiApMode::Backhaul.is_fronthaul());
        assert!(MultiApMode::Fronthaul.is_fronthaul() && MultiApMode::Both.is_fronthaul());
        assert_eq!(MultiApMode::Both.bss_flags().bits(), 0x60);
    }

    #[test]
    fn only_exactly_backhaul_sta_asks() {
        let with = |f: u8| {
            Some(WfaExtension {
                multi_ap: Some(MultiApFlags(f)),
                ..WfaExtension::version2_only()
            })
        };
        assert!(asks_for_backhaul(with(0x80)));
        // hostapd compares for equality: other bits beside Backhaul STA do not count.
        assert!(!asks_for_backhaul(with(0xc0)));
        assert!(!asks_for_backhaul(with(0x40)));
        assert!(!asks_for_backhaul(Some(WfaExtension::version2_only())));
        assert!(!asks_for_backhaul(None));
    }

    #[test]
    fn registrar_checks_and_rule() {
        let mac = MacAddr([2, 0, 0, 0, 0, 1]);
        assert_eq!(
            MultiApRegistrar::new(MultiApMode::Both, b"", b"12345678"),
            Err(MultiApError::Ssid { len: 0 })
        );
        assert_eq!(
            MultiApRegistrar::new(MultiApMode::Both, b"bh", b"short"),
            Err(MultiApError::NetworkKey { len: 5 })
        );
        assert_eq!(
            MultiApRegistrar::new(MultiApMode::Both, b"bh", &[b'g'; 64]),
            Err(MultiApError::NetworkKey { len: 64 })
        );
        assert!(MultiApRegistrar::new(MultiApMode::Both, b"bh", &[b'a'; 64]).is_ok());
        let asks = Some(WfaExtension::backhaul_sta());
        for (mode, gives) in [
            (MultiApMode::Backhaul, false),
            (MultiApMode::Fronthaul, true),
            (MultiApMode::Both, true),
        ] {
            let r = MultiApRegistrar::new(mode, b"bh", b"bh-passphrase");
            let cred = r.ok().and_then(|r| r.credential_for(asks, mac));
            assert_eq!(cred.is_some(), gives, "{mode:?}");
            if let Some(c) = cred {
                assert_eq!(c.auth_type, AuthType::WPA2_PSK);
                assert_eq!(c.encr_type, EncrType::AES);
                assert_eq!(c.network_key, Some(&b"bh-passphrase"[..]));
                assert_eq!(c.mac_address, mac);
            }
        }
    }
}
