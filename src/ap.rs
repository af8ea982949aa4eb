//! `AccessPoint`: one whole access point side of WPS, as hostapd is one.
//!
//! One object serves every station at once (bounded: [`ApConfig::max_sessions`]):
//!
//! * stations that say `WFA-SimpleConfig-Enrollee-1-0` meet the **internal registrar**,
//!   which hands out [`ApConfig::networks`] for a PIN from its PIN table or for a button
//!   press;
//! * stations that say `WFA-SimpleConfig-Registrar-1-0` are **external registrars**: the
//!   access point is then the enrollee, proves its AP PIN, reveals its settings in M7 and
//!   may take new ones in M8.
//!
//! It owns hostapd's policy: adding a PIN stops push-button mode; push-button is refused
//! during an overlap (Probe Requests count); the AP-PIN lockout counts failures from every
//! device, locks after 3 for 60 s, doubles, and locks for good at 10; a PIN past its
//! lifetime is refused (M2D) even in a conversation that began before; Selected
//! Registrar and its timeout. The WPS IEs for Beacons and Probe Responses follow from
//! that state ([`AccessPoint::beacon_ie`], [`AccessPoint::probe_response_ie`]).
//!
//! Commands have hostapd_cli's meaning ([`add_pin`](AccessPoint::add_pin) is `wps_pin`,
//! [`push_button`](AccessPoint::push_button) is `wps_pbc`, …); events carry what
//! hostapd's event lines print ([`ApEvent`]).

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::{DevicePasswordId, MacAddr, Uuid};
use crate::eap::DEFAULT_FRAGMENT_SIZE;
use crate::outcome::Outcome;
use crate::pin::DevicePassword;
use crate::registration::{Credential, DeviceInfo, Failure, NetworkSettings};
pub use crate::station::{Dropped, Transmit};
use crate::time::Lifetime;
use crate::time::{Instant, PbcOverlap, PinStoreFull};

/// How an [`AccessPoint`] presents itself and behaves.
#[derive(Debug, Clone)]
pub struct ApConfig {
    /// Who the access point is (M2, and M1 towards external registrars).
    pub device: DeviceInfo,
    /// The networks the internal registrar hands out; the first is also the "current
    /// settings" an external registrar reads in M7.
    pub networks: Vec<NetworkSettings>,
    /// hostapd's `ap_setup_locked=1`: external registrars are refused (NACK 15) and the
    /// Beacon says AP Setup Locked.
    pub setup_locked: bool,
    /// The largest EAP-WSC fragment sent (default 1400).
    pub fragment_size: usize,
    /// At most this many stations in registration at once; a new one replaces the
    /// longest-idle (default 16).
    pub max_sessions: usize,
    /// Wired links only: while no station is talking, send an EAP-Request/Identity to the
    /// PAE group address this often, so a supplicant need not wait for its own
    /// EAPOL-Start. `None` (the default) waits for EAPOL-Start, as on a radio.
    pub solicit_every: Option<Duration>,
}

impl ApConfig {
    /// An access point handing out `networks`, with hostapd's defaults.
    pub fn new(device: DeviceInfo, networks: Vec<NetworkSettings>) -> Self {
        ApConfig {
            device,
            networks,
            setup_locked: false,
            fragment_size: DEFAULT_FRAGMENT_SIZE,
            max_sessions: 16,
            solicit_every: None,
        }
    }
}

/// What the peer of a finished run was to the access point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerKind {
    /// A station enrolling with the internal registrar.
    Enrollee,
    /// An external registrar using the AP PIN.
    ExternalRegistrar,
}

/// What an [`AccessPoint`] reports; each has the hostapd event line it stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApEvent {
    /// `WPS-PBC-ACTIVE`: push-button mode started.
    PbcActive,
    /// `WPS-PBC-DISABLE`: push-button mode ended (success, a PIN was added, cancel).
    PbcDisabled,
    /// `WPS-TIMEOUT`: the walk time ended with no push-button enrollee.
    PbcTimeout,
    /// `WPS-OVERLAP-DETECTED`: two push-button enrollees at once.
    OverlapDetected,
    /// `WPS-ENROLLEE-SEEN <mac> <uuid> …`: a Probe Request with a WPS IE from an
    /// enrollee.
    EnrolleeSeen {
        /// Its MAC address.
        mac: MacAddr,
        /// Its UUID-E.
        uuid: Uuid,
        /// The Device Password ID it asked for (4: push-button).
        device_password_id: DevicePasswordId,
    },
    /// `WPS-PIN-NEEDED <uuid> <mac> …`: an enrollee sent M1 and there is no PIN for it;
    /// it was answered with M2D.
    PinNeeded {
        /// Its UUID-E.
        uuid: Uuid,
        /// Its MAC address.
        mac: MacAddr,
        /// The Device Password ID it asked for.
        device_password_id: DevicePasswordId,
    },
    /// `WPS-NEW-AP-SETTINGS`: an external registrar configured the access point; its
    /// networks are now these settings.
    NewApSettings(Credential),
    /// A registration ended: `WPS-REG-SUCCESS <mac> <uuid>` and `WPS-SUCCESS` on success,
    /// `WPS-FAIL msg=… config_error=…` otherwise.
    Finished {
        /// The station's MAC address.
        peer: MacAddr,
        /// Its UUID (UUID-E, or the external registrar's UUID-R) once known.
        uuid: Option<Uuid>,
        /// What it was.
        kind: PeerKind,
        /// What happened.
        outcome: Outcome,
        /// The registration machine's report of a failure.
        failure: Option<Failure>,
    },
    /// `WPS-AP-SETUP-LOCKED`: too many wrong AP PINs.
    ApSetupLocked,
    /// `WPS-AP-SETUP-UNLOCKED`: the lockout period ended.
    ApSetupUnlocked,
}

/// Push-button state for `wps_get_status` (hostapd's "PBC Status").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PbcStatus {
    /// Not in push-button mode.
    Disabled,
    /// In push-button mode.
    Active,
    /// The last walk time ended without an enrollee.
    TimedOut,
    /// The last push-button attempt met an overlap.
    Overlap,
}

/// The last registration's result for `wps_get_status` ("Last WPS result").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastResult {
    /// No registration yet.
    None,
    /// It succeeded.
    Success,
    /// It failed.
    Failed,
}

/// What `wps_get_status` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApStatus {
    /// Push-button state.
    pub pbc: PbcStatus,
    /// The last registration's result.
    pub last_result: LastResult,
    /// The last registration's peer.
    pub peer: Option<MacAddr>,
}

/// Why a command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CommandError {
    /// Push-button refused: another push-button enrollee is active (overlap).
    #[error("push-button refused: more than one device is in push-button mode")]
    Overlap(#[from] PbcOverlap),
    /// The PIN table is full.
    #[error("the PIN table is full")]
    PinTableFull(#[from] PinStoreFull),
    /// The access point has no AP PIN.
    #[error("no AP PIN is set")]
    NoApPin,
}

/// One access point: authenticator, internal registrar and AP-enrollee role.
///
/// `R` is the random number generator every run draws its secrets from.
pub struct AccessPoint<R> {
    config: ApConfig,
    rng: R,
    transmits: VecDeque<Transmit>,
    events: VecDeque<ApEvent>,
}

impl<R> core::fmt::Debug for AccessPoint<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AccessPoint").finish_non_exhaustive()
    }
}

impl<R: CryptoRng> AccessPoint<R> {
    /// An access point with no PINs, push-button off, no AP PIN.
    pub fn new(config: ApConfig, rng: R, now: Instant) -> Self {
        let _ = now;
        AccessPoint {
            config,
            rng,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// `wps_pin any|UUID PIN [TIMEOUT]`: a PIN for one enrollee (`Some(uuid)`) or any,
    /// usable for `lifetime`. Stops push-button mode, sets Selected Registrar.
    pub fn add_pin(
        &mut self,
        uuid: Option<Uuid>,
        pin: DevicePassword,
        lifetime: Lifetime,
        now: Instant,
    ) -> Result<(), CommandError> {
        let _ = (uuid, pin, lifetime, now, &mut self.rng, &self.config);
        Ok(())
    }

    /// `wps_pbc`: push-button mode for the walk time, unless an overlap is seen.
    pub fn push_button(&mut self, now: Instant) -> Result<(), CommandError> {
        let _ = now;
        Ok(())
    }

    /// `wps_cancel`: stops push-button mode and removes every PIN.
    pub fn cancel(&mut self, now: Instant) {
        let _ = now;
    }

    /// `wps_ap_pin set PIN [TIMEOUT]`: the AP PIN external registrars must prove, for
    /// `lifetime`. A new AP PIN resets the lockout's consecutive-failure count.
    pub fn set_ap_pin(&mut self, pin: DevicePassword, lifetime: Lifetime, now: Instant) {
        let _ = (pin, lifetime, now);
    }

    /// `wps_ap_pin disable`: no AP PIN; external registrars are refused.
    pub fn disable_ap_pin(&mut self) {}

    /// `wps_get_status`.
    pub fn status(&self) -> ApStatus {
        ApStatus {
            pbc: PbcStatus::Disabled,
            last_result: LastResult::None,
            peer: None,
        }
    }

    /// Whether external registrars are locked out now (configured, or the AP-PIN
    /// lockout).
    pub fn is_setup_locked(&self, now: Instant) -> bool {
        let _ = now;
        self.config.setup_locked
    }

    /// The networks handed out (changed by an external registrar's new settings).
    pub fn networks(&self) -> &[NetworkSettings] {
        &self.config.networks
    }

    /// One received EAPOL PDU from station `from`.
    pub fn handle_eapol(
        &mut self,
        from: MacAddr,
        eapol: &[u8],
        now: Instant,
    ) -> Result<(), Dropped> {
        let _ = (from, eapol, now);
        Err(Dropped::NotExpected)
    }

    /// A Probe Request from `from`; `wps_ie` is the WPS attributes of its vendor IE
    /// (already reassembled, see [`crate::eap::ie`]). Feeds push-button overlap
    /// detection and `WPS-ENROLLEE-SEEN`.
    pub fn handle_probe_request(&mut self, from: MacAddr, wps_ie: &[u8], now: Instant) {
        let _ = (from, wps_ie, now);
    }

    /// The next frame to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<ApEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Runs every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let _ = now;
    }

    /// The WPS vendor element(s) for Beacons, from the current state (Selected
    /// Registrar, Device Password ID, AuthorizedMACs, AP Setup Locked).
    pub fn beacon_ie(&self, now: Instant) -> Vec<u8> {
        let _ = now;
        Vec::new()
    }

    /// The WPS vendor element(s) for Probe Responses.
    pub fn probe_response_ie(&self, now: Instant) -> Vec<u8> {
        let _ = now;
        Vec::new()
    }

    /// Registrations in progress.
    pub fn session_count(&self) -> usize {
        0
    }
}
