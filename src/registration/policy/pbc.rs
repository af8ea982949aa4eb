//! Push-button configuration on the registrar: walk time, session monitor, overlap
//! (hostapd `wps_registrar.c`: `wps_registrar_button_pushed`, `_add_pbc_session`,
//! `_pbc_overlap`, `_probe_req_rx`, `_complete`).

use crate::attr::ConfigError;
use crate::fixed_list::FixedList;
use crate::time::{Duration, Instant};

/// PBC mode lasts **120 s** after the button press (`WPS_PBC_WALK_TIME`); then it is
/// disabled (`WPS-PBC-TIMEOUT`) and Selected Registrar cleared.
pub const PBC_WALK_TIME: Duration = Duration::from_secs(120);

/// Enrollees seen in PBC mode within the last **120 s** count for overlap; older
/// sessions are purged (hostapd reuses `WPS_PBC_WALK_TIME`). A session is still inside
/// the window when exactly 120 s old.
pub const PBC_MONITOR_TIME: Duration = Duration::from_secs(120);

/// After a successful PBC run, Probe Requests from the same UUID-E are not recorded
/// for **5 s** (a workaround for enrollees that keep probing in PBC mode).
pub const PBC_IGNORE_AFTER_SUCCESS: Duration = Duration::from_secs(5);

/// More than one enrollee is in PBC mode: the button press is refused
/// (`WPS-OVERLAP-DETECTED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("PBC session overlap: more than one enrollee in push-button mode")]
pub struct PbcOverlap;

/// Why a PBC M1 gets M2D instead of M2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PbcRefusal {
    /// The registrar is not in PBC mode: Device Password ID 4 is unsupported now
    /// (M2D, Config Error 0).
    #[error("push-button mode is not active")]
    NotActive,
    /// Session overlap, detected now or earlier (M2D, Config Error 12).
    #[error("PBC session overlap")]
    Overlap,
}

impl PbcRefusal {
    /// The Configuration Error for the M2D: No Error (0) or Multiple PBC Sessions
    /// Detected (12).
    #[must_use]
    pub fn config_error(self) -> ConfigError {
        match self {
            PbcRefusal::NotActive => ConfigError::NoError,
            PbcRefusal::Overlap => ConfigError::MultiplePbcDetected,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Session {
    mac: [u8; 6],
    uuid: [u8; 16],
    seen: Instant,
}

impl Session {
    fn is_current(&self, now: Instant) -> bool {
        // `now - seen <= PBC_MONITOR_TIME`, without turning milliseconds back into a
        // Duration (a division chain, at every use: flash).
        now <= self.seen.saturating_add(PBC_MONITOR_TIME)
    }
}

/// The registrar's push-button state: whether PBC mode is on (walk time), the
/// enrollees recently seen in PBC mode, and overlap detection.
///
/// Feed it every Probe Request whose WSC IE has Device Password ID 4 and a UUID-E
/// ([`probe_request`](Self::probe_request)) and every PBC M1 ([`m1`](Self::m1)). A
/// session is keyed by (MAC, UUID-E); seeing it again refreshes it and moves it to the
/// front. **Overlap** means more than one distinct UUID-E in PBC mode within the last
/// [`PBC_MONITOR_TIME`] (MAC addresses do not matter), counting the enrollee being
/// considered.
///
/// At most `N` sessions (default 16) are kept, with no heap. When the table is full
/// and a new session arrives, the oldest session whose UUID-E also appears in another
/// session is dropped, or the oldest session if all UUID-Es differ. Either way the set
/// of distinct UUID-Es that overlap detection depends on survives as long as `N >= 2`
/// (an attacker flooding Probe Requests cannot hide an overlap; at worst it creates one,
/// which it can do anyway with two UUID-Es).
///
/// ```
/// use wps::registration::{PbcMonitor, PbcOverlap, PbcRefusal};
/// use wps::time::{Duration, Instant};
///
/// let mut pbc = PbcMonitor::<16>::new();
/// let t = Instant::ZERO;
/// pbc.press_button(t)?;
/// assert!(pbc.is_active());
/// let (mac, uuid) = ([2, 0, 0, 0, 0, 1], [1u8; 16]);
/// assert!(!pbc.probe_request(t, mac, uuid)); // no overlap
/// pbc.m1(t, mac, uuid)?;
///
/// // A second enrollee shows up: overlap, and the run is refused.
/// assert!(pbc.probe_request(t, [2, 0, 0, 0, 0, 2], [2u8; 16]));
/// assert_eq!(pbc.m1(t, mac, uuid), Err(PbcRefusal::Overlap));
/// assert_eq!(u16::from(PbcRefusal::Overlap.config_error()), 12);
/// assert_eq!(pbc.press_button(t), Err(PbcOverlap));
///
/// // Walk time: PBC mode ends after 120 s.
/// assert!(pbc.handle_timeout(t + Duration::from_secs(120)));
/// assert!(!pbc.is_active());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PbcMonitor<const N: usize = 16> {
    active: bool,
    walk_until: Option<Instant>,
    force_overlap: bool,
    ignore: Option<([u8; 16], Instant)>,
    sessions: FixedList<Session, N>,
}

impl<const N: usize> Default for PbcMonitor<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> PbcMonitor<N> {
    /// PBC off, no sessions.
    #[must_use]
    pub const fn new() -> Self {
        PbcMonitor {
            sessions: FixedList::new(),
            active: false,
            walk_until: None,
            force_overlap: false,
            ignore: None,
        }
    }

    /// The button was pressed at `now`: PBC mode for [`PBC_WALK_TIME`] (re-arming it if
    /// already on), and the forced-overlap flag is cleared.
    ///
    /// # Errors
    /// [`PbcOverlap`] when two or more enrollees were seen in PBC mode within the last
    /// 120 s; PBC mode is then not started.
    pub fn press_button(&mut self, now: Instant) -> Result<(), PbcOverlap> {
        if self.overlap(now, None) {
            return Err(PbcOverlap);
        }
        self.force_overlap = false;
        self.active = true;
        self.walk_until = Some(now.saturating_add(PBC_WALK_TIME));
        Ok(())
    }

    /// A Probe Request in PBC mode (Device Password ID 4) from `mac` with `uuid_e`
    /// arrived at `now`. Returns `true` when it reveals an overlap; the forced-overlap
    /// flag is then set until the next button press.
    ///
    /// Within [`PBC_IGNORE_AFTER_SUCCESS`] of a successful PBC run the enrollee that
    /// just finished is not recorded (it is still checked for overlap).
    pub fn probe_request(&mut self, now: Instant, mac: [u8; 6], uuid_e: [u8; 16]) -> bool {
        let mut skip = false;
        if let Some((uuid, since)) = self.ignore
            && uuid == uuid_e
        {
            if now.saturating_duration_since(since) < PBC_IGNORE_AFTER_SUCCESS {
                skip = true;
            } else {
                self.ignore = None;
            }
        }
        if !skip {
            self.record(now, mac, uuid_e);
        }
        let overlap = self.overlap(now, Some(&uuid_e));
        if overlap {
            self.force_overlap = true;
        }
        overlap
    }

    /// A PBC M1 (Device Password ID 4) from `mac` with `uuid_e` arrived at `now`.
    ///
    /// # Errors
    /// [`PbcRefusal::NotActive`] outside PBC mode; [`PbcRefusal::Overlap`] when another
    /// UUID-E is in the window or an overlap was seen since the button press (the
    /// forced-overlap flag is then set). On success the session is recorded.
    pub fn m1(&mut self, now: Instant, mac: [u8; 6], uuid_e: [u8; 16]) -> Result<(), PbcRefusal> {
        if !self.active {
            return Err(PbcRefusal::NotActive);
        }
        if self.force_overlap || self.overlap(now, Some(&uuid_e)) {
            self.force_overlap = true;
            return Err(PbcRefusal::Overlap);
        }
        self.record(now, mac, uuid_e);
        Ok(())
    }

    /// A PBC run with `uuid_e` succeeded at `now`: its sessions are removed, PBC mode
    /// stops, and its Probe Requests are ignored for [`PBC_IGNORE_AFTER_SUCCESS`].
    pub fn completed(&mut self, now: Instant, uuid_e: [u8; 16]) {
        self.sessions.remove_all(|s| s.uuid == uuid_e);
        self.stop();
        self.ignore = Some((uuid_e, now));
    }

    /// Leaves PBC mode (cancel, or a PIN was added).
    pub fn stop(&mut self) {
        self.active = false;
        self.walk_until = None;
    }

    /// Whether PBC mode is on (Selected Registrar with Device Password ID 4).
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Whether an overlap has been seen since the last button press: M3, M5 and M7 of a
    /// PBC run are then answered with NACK, Config Error 12.
    #[must_use]
    pub fn force_overlap(&self) -> bool {
        self.force_overlap
    }

    /// Whether two or more distinct UUID-Es were seen in PBC mode in the window ending
    /// at `now` (the button-press check).
    #[must_use]
    pub fn has_overlap(&self, now: Instant) -> bool {
        self.overlap(now, None)
    }

    /// Number of sessions held (old ones are purged only when a new one is recorded).
    #[must_use]
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    /// The walk-time deadline while PBC mode is on.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.walk_until
    }

    /// Ends PBC mode when the walk time is over; returns `true` if it did
    /// (`WPS-PBC-TIMEOUT`).
    pub fn handle_timeout(&mut self, now: Instant) -> bool {
        match self.walk_until {
            Some(at) if at <= now => {
                self.stop();
                true
            }
            _ => false,
        }
    }

    /// hostapd's `wps_registrar_pbc_overlap`: count the considered UUID-E (if any), then
    /// walk the sessions newest first until one is out of the window, skipping those
    /// with the first examined session's UUID-E and counting those that differ from
    /// the considered one.
    fn overlap(&self, now: Instant, uuid_e: Option<&[u8; 16]>) -> bool {
        let mut count = u32::from(uuid_e.is_some());
        let mut first: Option<&[u8; 16]> = None;
        for session in self.sessions.iter() {
            if !session.is_current(now) {
                break;
            }
            if first == Some(&session.uuid) {
                continue;
            }
            if uuid_e != Some(&session.uuid) {
                // At most one per stored session: cannot saturate.
                count = count.saturating_add(1);
            }
            if first.is_none() {
                first = Some(&session.uuid);
            }
        }
        count > 1
    }

    fn record(&mut self, now: Instant, mac: [u8; 6], uuid: [u8; 16]) {
        // This session's older record (at most one) goes with the stale ones.
        self.sessions
            .remove_all(|s| (s.mac == mac && s.uuid == uuid) || !s.is_current(now));
        if self.sessions.is_full() {
            let victim = self.eviction_victim();
            self.sessions.remove(victim);
        }
        // Cannot fail: a slot was just freed if the list was full.
        let _ = self.sessions.push_front(Session {
            mac,
            uuid,
            seen: now,
        });
    }

    /// The oldest session whose UUID-E is also held by another session, else the oldest.
    fn eviction_victim(&self) -> usize {
        let len = self.sessions.len();
        let duplicated = self
            .sessions
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                self.sessions
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != *i && other.uuid == s.uuid)
            })
            .last();
        duplicated.map_or(len.saturating_sub(1), |(i, _)| i)
    }
}
