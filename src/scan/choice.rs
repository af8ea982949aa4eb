//! Which AP to join, as wpa_supplicant chooses (`wps_supplicant.c`,
//! `wpas_wps_ssid_bss_match` and `wpas_wps_scan_pbc_overlap`; `wps.c`,
//! `wps_is_selected_pbc_registrar`, `wps_is_addr_authorized`,
//! `wps_ap_priority_compar`).
//!
//! * **Push-button**: the candidates are the APs whose last frame, heard within the walk
//!   time, has Selected Registrar with Device Password ID 4. The best one (by
//!   [`priority`]) is chosen; if another candidate has a different UUID — or either has
//!   none, so that it counts by its BSSID — two registrars are in push-button mode and
//!   the answer is an overlap. One device on two bands (same UUID, two BSSIDs) is not.
//! * **PIN**: the APs whose AuthorizedMACs hold our address come first, then those
//!   holding the broadcast address (or a WSC 1.0 AP with a PIN registrar selected, since
//!   1.0 has no AuthorizedMACs). Other WPS APs become candidates only after
//!   [`PIN_SCANS_BEFORE_ANY_AP`] scans and [`PIN_TIME_BEFORE_ANY_AP`], because some
//!   APs never set Selected Registrar for an external registrar's PIN; among them,
//!   Selected Registrar ones first. APs with AP Setup Locked come last.

use core::cmp::Ordering;

use super::facts::{ApInfo, Authorization};
use super::table::ScanTable;
use crate::attr::MacAddr;
use crate::time::{Duration, Instant};

/// PIN: scans after which any WPS AP may be tried, not only those inviting us
/// (wpa_supplicant's `WPS_PIN_SCAN_IGNORE_SEL_REG`).
pub const PIN_SCANS_BEFORE_ANY_AP: u32 = 3;

/// PIN: time after the start after which any WPS AP may be tried
/// (wpa_supplicant's `WPS_PIN_TIME_IGNORE_SEL_REG`).
pub const PIN_TIME_BEFORE_ANY_AP: Duration = Duration::from_secs(5);

/// The answer for a push-button enrollee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PbcVerdict {
    /// Exactly one registrar is in push-button mode: join this BSSID.
    Join(MacAddr),
    /// No AP is in push-button mode yet.
    KeepScanning,
    /// Two registrars are in push-button mode at once (PBC session overlap): stop, as
    /// the enrollee must not guess (the journey's `RunError::PbcOverlap`).
    Overlap {
        /// The AP that would have been chosen.
        chosen: MacAddr,
        /// Another AP in push-button mode, with a different (or no) UUID.
        other: MacAddr,
    },
}

impl PbcVerdict {
    /// Whether this is an overlap.
    pub fn is_overlap(&self) -> bool {
        matches!(self, PbcVerdict::Overlap { .. })
    }
}

/// The answer for a PIN enrollee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PinVerdict {
    /// Try this BSSID.
    Join(MacAddr),
    /// No AP fits yet.
    KeepScanning,
}

/// Where a PIN enrollee's search stands: when it started and how many scans it has
/// finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PinSearch {
    /// When the PIN search started.
    pub started: Instant,
    /// Scans finished since.
    pub scans: u32,
}

impl PinSearch {
    /// Whether APs that do not invite us may be tried (wpa_supplicant: three scans and
    /// five seconds).
    pub fn any_ap(&self, now: Instant) -> bool {
        self.scans >= PIN_SCANS_BEFORE_ANY_AP
            && now.saturating_duration_since(self.started) >= PIN_TIME_BEFORE_ANY_AP
    }
}

/// Which of two APs is the likelier choice (`Less`: `a`): Selected Registrar first, as
/// `wps_ap_priority_compar` orders scan results, then the stronger signal (an unknown
/// signal last), then the lower BSSID so that the order is total.
pub fn priority(a: &ApInfo, b: &ApInfo) -> Ordering {
    b.selected_registrar
        .cmp(&a.selected_registrar)
        .then_with(|| b.signal.cmp(&a.signal))
        .then_with(|| a.bssid.cmp(&b.bssid))
}

impl<const N: usize> ScanTable<N> {
    /// The push-button answer at `now`: join, keep scanning, or overlap.
    ///
    /// ```
    /// # use wps::attr::{DevicePasswordId, MacAddr, Uuid, WscState};
    /// # use wps::message::ie::Beacon;
    /// # use wps::scan::{Frame, FrameKind, PbcVerdict, ScanTable};
    /// # use wps::time::Instant;
    /// fn pbc_beacon(uuid: u8) -> Vec<u8> {
    ///     let beacon = Beacon {
    ///         selected_registrar: true,
    ///         device_password_id: Some(DevicePasswordId::PushButton),
    ///         uuid_e: Some(Uuid([uuid; 16])),
    ///         ..Beacon::new(WscState::Configured)
    ///     };
    ///     let mut elements = Vec::new();
    ///     wps::eap::element::split_vec(&beacon.to_bytes(), &mut elements);
    ///     elements
    /// }
    /// let (a, b, c) = (MacAddr([2, 0, 0, 0, 0, 1]), MacAddr([2, 0, 0, 0, 0, 2]), MacAddr([2, 0, 0, 0, 0, 3]));
    /// let now = Instant::from_secs(10);
    /// let mut table = ScanTable::<8>::new();
    /// assert_eq!(table.choose_pbc(now), PbcVerdict::KeepScanning);
    /// table.ingest(&Frame::new(FrameKind::Beacon, a, &pbc_beacon(1)), now);
    /// // The same router on its other band: same UUID.
    /// table.ingest(&Frame::new(FrameKind::Beacon, b, &pbc_beacon(1)), now);
    /// assert_eq!(table.choose_pbc(now), PbcVerdict::Join(a));
    /// // A second router in push-button mode.
    /// table.ingest(&Frame::new(FrameKind::Beacon, c, &pbc_beacon(2)), now);
    /// assert!(table.choose_pbc(now).is_overlap());
    /// ```
    pub fn choose_pbc(&self, now: Instant) -> PbcVerdict {
        let best = self
            .iter()
            .filter(|ap| self.pbc_current(ap, now))
            .min_by(|a, b| priority(a, b));
        match best {
            None => PbcVerdict::KeepScanning,
            Some(chosen) => match self.pbc_overlap(chosen.bssid, now) {
                Some(other) => PbcVerdict::Overlap {
                    chosen: chosen.bssid,
                    other,
                },
                None => PbcVerdict::Join(chosen.bssid),
            },
        }
    }

    /// Another AP in push-button mode than `chosen` that is not the same device
    /// (`wpas_wps_scan_pbc_overlap`): its UUID differs from `chosen`'s, or `chosen` has
    /// none. `None`: no overlap.
    pub fn pbc_overlap(&self, chosen: MacAddr, now: Instant) -> Option<MacAddr> {
        let chosen_uuid = self.get(chosen).and_then(|ap| ap.uuid);
        self.iter()
            .filter(|ap| ap.bssid != chosen && self.pbc_current(ap, now))
            .find(|ap| chosen_uuid.is_none() || ap.uuid != chosen_uuid)
            .map(|ap| ap.bssid)
    }

    /// The PIN answer at `now` for a station with address `mac`.
    pub fn choose_pin(&self, mac: MacAddr, search: PinSearch, now: Instant) -> PinVerdict {
        let any_ap = search.any_ap(now);
        let best = self
            .fresh(now)
            .map(|ap| (ap, ap.authorization(mac)))
            .filter(|(_, auth)| any_ap || *auth != Authorization::No)
            .min_by(|(a, auth_a), (b, auth_b)| {
                a.ap_setup_locked
                    .cmp(&b.ap_setup_locked)
                    .then_with(|| auth_b.cmp(auth_a))
                    .then_with(|| priority(a, b))
            });
        match best {
            Some((ap, _)) => PinVerdict::Join(ap.bssid),
            None => PinVerdict::KeepScanning,
        }
    }
}
