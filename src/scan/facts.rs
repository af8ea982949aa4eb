//! What the scan knows about one AP.

use core::fmt;

use super::frame::{CAPABILITY_PRIVACY, Ciphers, FrameKind};
use super::notes::{Note, Notes};
use crate::attr::{
    ConfigMethods, DevicePasswordId, MacAddr, PrimaryDeviceType, ResponseType, RfBands, Uuid,
    WscState,
};
use crate::eap::element::Damaged;
use crate::message::MessageError;
use crate::message::ie::FixedList;
use crate::registration::AUTHORIZED_MACS_MAX;
use crate::time::Instant;

/// A string of at most `N` bytes kept inline (SSIDs, device names). Bytes as received:
/// not necessarily UTF-8.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Text<const N: usize> {
    bytes: [u8; N],
    len: usize,
}

impl<const N: usize> Text<N> {
    /// The empty string.
    pub const fn new() -> Self {
        Text {
            bytes: [0; N],
            len: 0,
        }
    }

    /// The first `N` bytes of `value`.
    pub fn from_bytes(value: &[u8]) -> Self {
        let mut t = Self::new();
        let len = value.len().min(N);
        if let (Some(dst), Some(src)) = (t.bytes.get_mut(..len), value.get(..len)) {
            dst.copy_from_slice(src);
            t.len = len;
        }
        t
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }

    /// Whether the string is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl<const N: usize> Default for Text<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> fmt::Debug for Text<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "\"{}\"", self.as_bytes().escape_ascii())
    }
}

/// The WSC version an AP speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WscVersion {
    /// No Version2 subelement: WSC 1.0 (inferred; the Version attribute says 0x10 in
    /// every WPS IE).
    V1,
    /// The Version2 subelement's value (0x20 for 2.0: major and minor in nibbles).
    V2(u8),
}

impl fmt::Display for WscVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WscVersion::V1 => f.write_str("1.0"),
            WscVersion::V2(v) => write!(f, "{}.{}", v >> 4, v & 0x0f),
        }
    }
}

/// Whether an AP's WPS IE invites a station's MAC address to use a PIN
/// (wpa_supplicant's `wps_is_addr_authorized` with version 1.0 compatibility).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Authorization {
    /// Not invited.
    No,
    /// Every station: the broadcast address in AuthorizedMACs, or a WSC 1.0 AP (no
    /// AuthorizedMACs there) with a PIN registrar selected.
    Anyone,
    /// This station's address is in AuthorizedMACs.
    Explicit,
}

/// What went wrong with an AP's last frame. The AP's facts are those of its last
/// usable frame; a damaged element only cut the walk short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Damage {
    /// An element ran past the end of the frame; the WPS elements before it were used.
    #[error(transparent)]
    Element(#[from] Damaged),
    /// The WPS attributes were longer than the scan joins
    /// ([`MAX_WPS_ATTRIBUTES`](super::MAX_WPS_ATTRIBUTES)); the frame was not used.
    #[error("the WPS attributes are longer than {max} bytes", max = super::MAX_WPS_ATTRIBUTES)]
    TooLong,
    /// The WPS attributes were rejected as hostapd would reject them, or lack Version or
    /// Wi-Fi Protected Setup State; the frame was not used.
    #[error("the WPS attributes were rejected: {0}")]
    Attributes(#[from] MessageError),
}

/// The AuthorizedMACs an AP lists (hostapd sends at most five).
pub type AuthorizedMacList = FixedList<MacAddr, AUTHORIZED_MACS_MAX>;

/// What an AP's Probe Responses say about the device (kept across Beacons, which
/// rarely carry it).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeviceFacts {
    /// Device Name.
    pub device_name: Text<32>,
    /// Manufacturer.
    pub manufacturer: Text<64>,
    /// Model Name.
    pub model_name: Text<32>,
    /// Model Number.
    pub model_number: Text<32>,
    /// Serial Number.
    pub serial_number: Text<32>,
    /// Primary Device Type.
    pub primary_device_type: Option<PrimaryDeviceType>,
    /// The AP's Config Methods.
    pub config_methods: Option<ConfigMethods>,
    /// Response Type: AP (3) or Registrar (2).
    pub response_type: Option<ResponseType>,
}

/// Everything the scan knows about one AP that advertises WPS.
///
/// The registrar state (WSC State through AuthorizedMACs) is that of the AP's last
/// usable frame; the UUID, RF Bands and device details stay as last seen, since Beacons
/// usually leave them out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApInfo {
    /// BSSID.
    pub bssid: MacAddr,
    /// SSID (empty while the AP hides it and no Probe Response named it).
    pub ssid: Text<32>,
    /// Channel from the DS Parameter Set (or HT Operation) element.
    pub channel: Option<u8>,
    /// Signal of the last frame, in dBm.
    pub signal: Option<i8>,
    /// When the AP was first heard.
    pub first_seen: Instant,
    /// When the AP was last heard.
    pub last_seen: Instant,
    /// The kind of the last frame.
    pub last_frame: FrameKind,
    /// Wi-Fi Protected Setup State: configured or not.
    pub wsc_state: WscState,
    /// WSC version (1.0 inferred when Version2 is missing).
    pub version: WscVersion,
    /// AP Setup Locked: the AP refuses its own PIN for now.
    pub ap_setup_locked: bool,
    /// Selected Registrar: a registrar is ready for an enrollee.
    pub selected_registrar: bool,
    /// Device Password ID of the selected registrar.
    pub device_password_id: Option<DevicePasswordId>,
    /// Selected Registrar Config Methods.
    pub selected_registrar_config_methods: Option<ConfigMethods>,
    /// AuthorizedMACs (the first five).
    pub authorized_macs: AuthorizedMacList,
    /// The AP's UUID (UUID-E in its WPS IE).
    pub uuid: Option<Uuid>,
    /// RF Bands.
    pub rf_bands: Option<RfBands>,
    /// Device details from Probe Responses.
    pub device: DeviceFacts,
    /// WSC 2.0 findings.
    pub notes: Notes,
    /// What was wrong with the last frame, if anything.
    pub damage: Option<Damage>,
}

impl ApInfo {
    /// Whether the AP is configured (WSC State 2).
    pub fn configured(&self) -> bool {
        self.wsc_state == WscState::Configured
    }

    /// A push-button registrar is active: Selected Registrar with Device Password ID 4
    /// (wpa_supplicant's `wps_is_selected_pbc_registrar`; like it, the Selected
    /// Registrar Config Methods are not trusted).
    pub fn pbc_active(&self) -> bool {
        self.selected_registrar && self.device_password_id == Some(DevicePasswordId::PushButton)
    }

    /// A PIN registrar is active: Selected Registrar with any Device Password ID but
    /// push-button, or none (`is_selected_pin_registrar` in hostapd's `wps.c`).
    pub fn pin_active(&self) -> bool {
        self.selected_registrar && self.device_password_id != Some(DevicePasswordId::PushButton)
    }

    /// Whether the AP invites `mac` to use a PIN (`wps_is_addr_authorized`, version 1.0
    /// compatible): a WSC 1.0 AP has no AuthorizedMACs, so an active PIN registrar
    /// invites anyone; a WSC 2.0 AP lists the invited addresses, the first match (own
    /// address or broadcast) deciding.
    pub fn authorization(&self, mac: MacAddr) -> Authorization {
        if self.version == WscVersion::V1 {
            return if self.pin_active() {
                Authorization::Anyone
            } else {
                Authorization::No
            };
        }
        for m in &self.authorized_macs {
            if *m == mac {
                return Authorization::Explicit;
            }
            if *m == MacAddr::BROADCAST {
                return Authorization::Anyone;
            }
        }
        Authorization::No
    }

    /// The WSC 2.0 findings about what the AP advertises.
    pub(crate) fn judge(&mut self, capability: Option<u16>, ciphers: Ciphers) {
        let mut notes = Notes::default();
        if self.version == WscVersion::V1 {
            notes.insert(Note::Version2Missing);
        }
        let privacy = capability.is_some_and(|c| c & CAPABILITY_PRIVACY != 0);
        if ciphers.wep || (privacy && !ciphers.rsn_or_wpa) {
            notes.insert(Note::Wep);
        }
        if ciphers.tkip && !ciphers.strong {
            notes.insert(Note::TkipOnly);
        }
        if let Some(m) = self.device.config_methods {
            let pin = m.contains(ConfigMethods::LABEL) || m.contains(ConfigMethods::KEYPAD);
            let display = m.contains(ConfigMethods::DISPLAY);
            let button = m.0 & ConfigMethods::ANY_PUSH_BUTTON.0 != 0;
            if pin && !display && !button {
                notes.insert(Note::PinOnlyWithoutDisplay);
            }
        }
        if self.selected_registrar && self.device_password_id.is_none() {
            notes.insert(Note::SelectedRegistrarWithoutPasswordId);
        }
        self.notes = notes;
    }
}
