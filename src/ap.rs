//! `AccessPoint`: one whole access point side of WPS, as hostapd is one.
//!
//! One object serves every station at once (bounded: [`ApConfig::max_sessions`]):
//!
//! * stations that say `WFA-SimpleConfig-Enrollee-1-0` meet the **internal registrar**,
//!   which hands out [`ApConfig::networks`] for a PIN from its PIN table or for a button
//!   press;
//! * stations that say `WFA-SimpleConfig-Registrar-1-0` are **external registrars**: the
//!   access point is then the enrollee, proves its AP PIN, reveals its settings in M7 and
//!   may take new ones in M8;
//! * with the `upnp` feature, PCs are external registrars over UPnP too: the access point
//!   implements `Control` (its enrollee role over `PutMessage`, the relay of enrollees,
//!   `SetSelectedRegistrar`) and `sync_upnp` joins it to its `UpnpDevice`.
#![cfg_attr(
    feature = "upnp",
    doc = "    ([`Control`](crate::upnp::device::Control), \
           [`AccessPoint::sync_upnp`], [`UpnpDevice`](crate::upnp::device::UpnpDevice))"
)]
//!
//! The access point needs the `registrar` feature; without `enrollee` it links no
//! enrollee machine and ends an external registrar's conversation at once.
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

#[cfg(feature = "nfc")]
mod nfc;

#[cfg(feature = "nfc")]
pub use nfc::NfcFormat;

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::{
    ConfigError, ConfigMethods, DevicePasswordId, MacAddr, MessageType, RequestType, ResponseType,
    Uuid, WfaExtension, WscState,
};
use crate::eap::{
    self, Action, DEFAULT_FRAGMENT_SIZE, EapolType, OpCode, ServerRole, WscHandler, WscServer,
};
use crate::fifo::Fifo;
use crate::link::{self, method_outcome};
pub use crate::link::{Dropped, Transmit};
use crate::message::ie::{Beacon, ProbeRequest, ProbeResponse};
use crate::message::{DeviceIdentity, Extra, M1};
#[cfg(feature = "nfc")]
use crate::nfc::{
    ConfigurationToken, Contents, NfcError, OwnPasswordToken, read_ndef, to_wsc_record,
};
use crate::outcome::{Outcome, RunError};
use crate::pin::DevicePassword;
use crate::registration::{ApPinLockout, BROADCAST_MAC, PbcOverlap, PinStoreFull};
use crate::registration::{
    ApRegistrar, Credential, DeviceInfo, Event, Failure, FailureReason, MultiApSettings,
    NetworkSettings, PasswordOutcome, Refusal, RegistrarConfig, RegistrarSession, SessionSecrets,
};
#[cfg(feature = "enrollee")]
use crate::registration::{ApSetupLock, Enrollee, EnrolleeConfig, EnrolleeRole};
use crate::time::{Instant, Lifetime, TimedPassword, earlier};

#[cfg(feature = "upnp")]
mod upnp;

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
    /// hostapd's `multi_ap` with `multi_ap_backhaul_ssid` /
    /// `multi_ap_backhaul_wpa_passphrase`: on a fronthaul BSS (mode 2 or 3) a backhaul
    /// STA that asks for it in M1 gets the backhaul Credential alone; everybody else gets
    /// `networks`. `None` (the default): no Multi-AP.
    pub multi_ap: Option<MultiApSettings>,
    /// How often an unanswered EAP Request is resent (5 s apart) before the access point
    /// gives up on the station; default [`AP_MAX_RETRANS`] (hostapd: 2, see there).
    pub max_retransmissions: u8,
}

/// The access point resends an unanswered Request up to 11 times, 5 s apart: a
/// message goes out at most 12 times over 60 s.
///
/// Deviation from hostapd, which sends it at most 3 times (`eap_server_wsc.c`:
/// MaxRetrans 2, "per-message timeout 15 seconds") and then drops the station. On a
/// lossy link that ends runs no station can save: wpa_supplicant does not start over
/// within the walk time after its EAP session failed (its network is disabled for
/// 10 s, then longer), and once M6 has revealed the PIN a failed run invalidates it.
/// The enrollee's own 30 s timer restarts with every copy it receives, so a longer
/// schedule keeps its conversation alive; a station that really left holds its PIN's
/// lock for 60 s instead of 15 s (`tests/interop/faults.md` has the measurement).
pub const AP_MAX_RETRANS: u8 = 11;

/// An EAPOL-Start from a station that has answered the conversation in progress within
/// this time is ignored: it was sent before the station saw that conversation begin
/// (our Identity Request to the PAE group crossed it, or the link held it back), and
/// restarting would send an Identity Request that wpa_supplicant, in the middle of the
/// method, discards — the run then dies (fault lab, `delay300`). A station that really
/// starts over has been silent longer: wpa_supplicant after its 30 s client timeout, the
/// `Station` after its own. Deviation from hostapd, which restarts on every
/// EAPOL-Start (but does not solicit with Identity Requests).
pub const CROSSED_START_WINDOW: Duration = Duration::from_secs(5);

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
            multi_ap: None,
            max_retransmissions: AP_MAX_RETRANS,
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
    /// `WPS-ENROLLEE-SEEN <mac> <uuid> <device type> <config methods> <password id>
    /// <request type> [<name>]`: a Probe Request with a WPS IE from an enrollee.
    EnrolleeSeen {
        /// Its MAC address.
        mac: MacAddr,
        /// Its UUID-E.
        uuid: Uuid,
        /// The Device Password ID it asked for (4: push-button).
        device_password_id: DevicePasswordId,
        /// What it says about itself.
        device: EnrolleeDevice,
    },
    /// `WPS-PIN-NEEDED <uuid> <mac> [<name>|<manufacturer>|<model>|<number>|<serial>|<type>]`:
    /// an enrollee sent M1 and there is no PIN for it; it was answered with M2D.
    PinNeeded {
        /// Its UUID-E.
        uuid: Uuid,
        /// Its MAC address.
        mac: MacAddr,
        /// The Device Password ID it asked for.
        device_password_id: DevicePasswordId,
        /// What it says about itself in M1.
        device: EnrolleeDevice,
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
    /// An enrollee's registration relayed to an external registrar over UPnP ended
    /// (hostapd prints no event line for it): `success` when the enrollee sent WSC_Done;
    /// otherwise it sent WSC_NACK or the registrar did not answer in time.
    #[cfg(feature = "upnp")]
    Relayed {
        /// The enrollee's MAC address.
        peer: MacAddr,
        /// Its UUID-E (from its M1).
        uuid: Uuid,
        /// Whether it ended with WSC_Done.
        success: bool,
    },
}

/// What an enrollee says about itself, in its M1 or Probe Request: what hostapd's
/// `WPS-ENROLLEE-SEEN` and `WPS-PIN-NEEDED` lines show. A Probe Request may leave the
/// names out (empty here).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnrolleeDevice {
    /// Manufacturer, model, serial number (M1 only), device type and device name.
    pub identity: DeviceIdentity,
    /// Config Methods.
    pub config_methods: ConfigMethods,
    /// Request Type (Probe Requests only).
    pub request_type: Option<RequestType>,
}

impl EnrolleeDevice {
    fn from_m1(m1: &M1<'_>) -> Self {
        EnrolleeDevice {
            identity: DeviceIdentity::from(m1.device),
            config_methods: m1.config_methods,
            request_type: None,
        }
    }

    fn from_probe(p: &ProbeRequest<'_>) -> Self {
        let owned = |v: Option<&[u8]>| v.map(<[u8]>::to_vec).unwrap_or_default();
        EnrolleeDevice {
            identity: DeviceIdentity {
                manufacturer: owned(p.manufacturer),
                model_name: owned(p.model_name),
                model_number: owned(p.model_number),
                serial_number: Vec::new(),
                primary_device_type: p.primary_device_type,
                device_name: owned(p.device_name),
            },
            config_methods: p.config_methods,
            request_type: Some(p.request_type),
        }
    }
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
    /// An NFC tag that cannot be read.
    #[cfg(feature = "nfc")]
    #[error("unreadable NFC tag: {0}")]
    Nfc(#[from] NfcError),
    /// An NFC tag that is not an enrollee's password token.
    #[cfg(feature = "nfc")]
    #[error("the NFC tag is not a password token")]
    NotPasswordToken,
    /// An NFC message that is not a station's handover request.
    #[cfg(feature = "nfc")]
    #[error("the NFC message is not a handover request")]
    NotHandoverRequest,
    /// A handover reported before any handover select was made.
    #[cfg(feature = "nfc")]
    #[error("no handover select was made (nfc_get_handover_sel)")]
    NoHandoverSelect,
    /// `wps_nfc_token enable` before a token was made.
    #[cfg(feature = "nfc")]
    #[error("no NFC password token was made (wps_nfc_token NDEF)")]
    NoNfcToken,
    /// The access point has no network to hand out or describe.
    #[error("the access point has no network")]
    NoNetwork,
}

/// One access point: authenticator, internal registrar and AP-enrollee role.
///
/// `R` is the random number generator every run draws its secrets from.
///
/// ```
/// use wps::ap::{AccessPoint, ApConfig, ApEvent};
/// use wps::pin::DevicePassword;
/// use wps::registration::{DeviceInfo, NetworkSettings};
/// use wps::time::{Instant, Lifetime};
/// # use wps::attr::{MacAddr, Uuid};
/// let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
/// let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
/// let mut ap = AccessPoint::new(ApConfig::new(router, vec![home]), rand::rng(), Instant::ZERO);
/// ap.push_button(Instant::ZERO)?;
/// assert_eq!(ap.poll_event(), Some(ApEvent::PbcActive));
/// // A PIN replaces push-button mode, as in hostapd.
/// ap.add_pin(None, DevicePassword::from_bytes(b"12345670")?, Lifetime::Forever, Instant::from_secs(10))?;
/// assert_eq!(ap.poll_event(), Some(ApEvent::PbcDisabled));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct AccessPoint<R> {
    config: ApConfig,
    rng: R,
    /// PIN table, push-button monitor, and the "setup locked" flag M2Ds carry.
    registrar: ApRegistrar,
    lockout: ApPinLockout,
    ap_pin: Option<TimedPassword>,
    /// `wps_nfc_token`: the access point's own password token (boxed: most access
    /// points never make one).
    #[cfg(feature = "nfc")]
    own_nfc_token: Option<Box<nfc::OwnToken>>,
    sessions: Vec<Session>,
    /// Wired links: the Identity Request sent to the PAE group, and when to send the next.
    solicit: Option<(WscServer, Instant)>,
    pbc_status: PbcStatus,
    last_result: LastResult,
    last_peer: Option<MacAddr>,
    /// Whether the last [`ApEvent::ApSetupLocked`]/[`ApEvent::ApSetupUnlocked`] said locked.
    lock_reported: bool,
    next_server_id: u8,
    transmits: Fifo<Transmit>,
    events: Fifo<ApEvent>,
    /// UPnP: the runs with external registrars over `PutMessage`, their Selected
    /// Registrar, the relay's queues.
    #[cfg(feature = "upnp")]
    upnp: upnp::UpnpState,
}

impl<R> core::fmt::Debug for AccessPoint<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AccessPoint")
            .field("sessions", &self.sessions.len())
            .field("pbc", &self.pbc_status)
            .field("last_result", &self.last_result)
            .finish_non_exhaustive()
    }
}

/// One station's conversation.
struct Session {
    peer: MacAddr,
    server: WscServer,
    run: Run,
    /// What the enrollee's M1 said about it (for `WPS-PIN-NEEDED`).
    enrollee: Option<EnrolleeDevice>,
    /// The enrollee's M1 asked a Multi-AP fronthaul BSS for the backhaul network: it is
    /// handed the backhaul Credential, not `networks`.
    gets_backhaul: bool,
    eapol_version: u8,
    last_active: Instant,
}

/// Who a run was with, for its end.
#[derive(Clone, Copy)]
struct RunEnd {
    peer: MacAddr,
    uuid: Option<Uuid>,
    kind: PeerKind,
    gets_backhaul: bool,
}

impl Session {
    /// Whether the station has answered this conversation (past its Identity) within
    /// [`CROSSED_START_WINDOW`].
    fn answering(&self, now: Instant) -> bool {
        self.server.role().is_some()
            && !self.server.is_finished()
            && now.saturating_duration_since(self.last_active) < CROSSED_START_WINDOW
    }
}

/// The registration machine of a conversation, created when the role is known.
enum Run {
    /// Before the Identity (or, for an enrollee, before M1).
    Waiting,
    /// A station enrolling with the internal registrar.
    Registrar(Box<RegistrarSession>),
    /// An external registrar configuring (or reading) this access point.
    #[cfg(feature = "enrollee")]
    Enrollee(Box<Enrollee>),
    /// The machine has reported its end.
    Ended,
    /// After the internal registrar's M2D: an external registrar over UPnP runs the
    /// registration, the access point relays.
    #[cfg(feature = "upnp")]
    Relay(Box<upnp::Relay>),
}

impl Run {
    /// When the registration machine wants its timer run (a relay has none of its own).
    fn poll_timeout(&self) -> Option<Instant> {
        match self {
            Run::Registrar(r) => r.poll_timeout(),
            #[cfg(feature = "enrollee")]
            Run::Enrollee(e) => e.poll_timeout(),
            Run::Waiting | Run::Ended => None,
            #[cfg(feature = "upnp")]
            Run::Relay(_) => None,
        }
    }

    /// The registration machine's next event.
    fn poll_event(&mut self) -> Option<Event> {
        match self {
            Run::Registrar(r) => r.poll_event(),
            #[cfg(feature = "enrollee")]
            Run::Enrollee(e) => e.poll_event(),
            _ => None,
        }
    }
}

/// What a run's events said so far, for its end ([`AccessPoint::absorb_end`]).
#[derive(Default)]
struct Absorbed {
    /// `Some` once the run ended: with its failure, if it failed.
    finished: Option<Option<Failure>>,
    new_settings: Option<Credential>,
}

/// What the EAP server's method needs from the access point for one call.
struct Method<'a, R> {
    #[cfg(feature = "upnp")]
    peer: MacAddr,
    #[cfg(feature = "upnp")]
    upnp: &'a mut upnp::UpnpState,
    run: &'a mut Run,
    enrollee: &'a mut Option<EnrolleeDevice>,
    gets_backhaul: &'a mut bool,
    role: Option<ServerRole>,
    rng: &'a mut R,
    config: &'a ApConfig,
    registrar: &'a mut ApRegistrar,
    ap_pin: Option<&'a DevicePassword>,
    /// The access point's own NFC password token, when enabled: it replaces the AP PIN.
    #[cfg(feature = "nfc")]
    nfc_token: Option<&'a OwnPasswordToken>,
    setup_locked: bool,
}

impl<R: CryptoRng> WscHandler for Method<'_, R> {
    fn handle(&mut self, op_code: OpCode, message: &[u8], now: Instant) -> eap::Outcome {
        #[cfg(feature = "upnp")]
        if let Some(outcome) = self.relay(op_code, message, now) {
            return outcome;
        }
        if let Run::Waiting = self.run {
            *self.run = match self.new_run(op_code, message, now) {
                Ok(run) => run,
                Err(outcome) => return outcome,
            };
        }
        // The machine's answer and whether it has ended, read in one place (flash).
        let (reply, finished) = match self.run {
            #[cfg(feature = "enrollee")]
            Run::Enrollee(e) => {
                let reply = if op_code == OpCode::Start {
                    Some(e.start(now))
                } else {
                    e.handle(message, now)
                };
                (reply, e.is_finished())
            }
            Run::Registrar(r) => {
                self.registrar.setup_locked = self.setup_locked;
                (r.handle(message, now, self.registrar), r.is_finished())
            }
            Run::Waiting => return eap::Outcome::Ignore,
            Run::Ended => return eap::Outcome::Finished,
            // `relay` answered.
            #[cfg(feature = "upnp")]
            Run::Relay(_) => return eap::Outcome::Ignore,
        };
        method_outcome(reply, finished)
    }
}

impl<R: CryptoRng> Method<'_, R> {
    /// The registration machine for a conversation whose role is now known, or what to
    /// tell the EAP server instead. Out of line: the machine is built in this frame, not
    /// in [`WscHandler::handle`]'s, which every message's processing stands on.
    #[inline(never)]
    fn new_run(
        &mut self,
        op_code: OpCode,
        message: &[u8],
        now: Instant,
    ) -> Result<Run, eap::Outcome> {
        // The server calls the method during the Identity (role still `None` here)
        // only when that Identity chose the enrollee role, with WSC_Start.
        match (self.role, op_code) {
            #[cfg(feature = "enrollee")]
            (Some(ServerRole::Enrollee) | None, OpCode::Start) => match self.new_enrollee(now) {
                Some(e) => Ok(Run::Enrollee(Box::new(e))),
                // Nothing to reveal or protect: end the conversation.
                None => Err(eap::Outcome::Finished),
            },
            // Built without the enrollee role: nothing to offer an external registrar.
            #[cfg(not(feature = "enrollee"))]
            (Some(ServerRole::Enrollee) | None, OpCode::Start) => Err(eap::Outcome::Finished),
            (Some(ServerRole::Registrar), OpCode::Msg) => {
                // Read as the registrar reads it (a missing Version is accepted), so
                // that the two see the same M1 (and one M1 parser is linked).
                let m1 = M1::parse_received(message).ok();
                *self.enrollee = m1.as_ref().map(EnrolleeDevice::from_m1);
                // The registrar makes the same decision from the same M1.
                *self.gets_backhaul = match (&self.config.multi_ap, &m1) {
                    (Some(multi_ap), Some(m1)) => {
                        multi_ap.credential_for(m1.wfa, m1.mac_address).is_some()
                    }
                    _ => false,
                };
                let device = self.config.device.clone();
                let networks = self.config.networks.clone();
                let config = match &self.config.multi_ap {
                    Some(m) => RegistrarConfig::internal_multi_ap(device, networks, m.clone()),
                    None => RegistrarConfig::internal(device, networks),
                };
                let secrets = SessionSecrets::generate(self.rng);
                Ok(Run::Registrar(Box::new(RegistrarSession::new(
                    config, secrets, now,
                ))))
            }
            _ => Err(eap::Outcome::Ignore),
        }
    }
}

#[cfg(feature = "enrollee")]
impl<R: CryptoRng> Method<'_, R> {
    /// The access point as enrollee towards an external registrar: its AP PIN (or its
    /// own NFC password token), its current settings for M7, locked when setup is locked
    /// or there is no AP PIN. `None` when the access point has no network to reveal.
    fn new_enrollee(&mut self, now: Instant) -> Option<Enrollee> {
        #[cfg(feature = "nfc")]
        if let Some(token) = self.nfc_token {
            // hostapd's `wps_init` with `ap_nfc_dev_pw_id`: the token's ID, password and
            // key pair (M1 carries its public key, whose hash the token has).
            self.config.networks.first()?;
            let key_pair = token.keys().to_key_pair().ok()?;
            let secrets = SessionSecrets::with_key_pair(key_pair, self.rng);
            let password = (
                token.password().device_password(),
                token.token().device_password_id(),
            );
            return new_ap_enrollee(self.config, Some(password), self.setup_locked, secrets, now);
        }
        let secrets = SessionSecrets::generate(self.rng);
        let ap_pin = self
            .ap_pin
            .map(|pin| (pin.clone(), DevicePasswordId::Default));
        new_ap_enrollee(self.config, ap_pin, self.setup_locked, secrets, now)
    }
}

/// The access point as enrollee towards an external registrar (over EAP or UPnP), with
/// `password`: the AP PIN, or its own NFC token's password, and its Device Password ID.
#[cfg(feature = "enrollee")]
fn new_ap_enrollee(
    config: &ApConfig,
    password: Option<(DevicePassword, DevicePasswordId)>,
    setup_locked: bool,
    secrets: SessionSecrets,
    now: Instant,
) -> Option<Enrollee> {
    let device = config.device.clone();
    let current = Credential::new(config.networks.first()?.clone(), device.mac);
    let ((password, device_password_id), lock) = match password {
        Some(password) if !setup_locked => (password, ApSetupLock::Unlocked),
        // hostapd refuses at M2 (NACK 15) when setup is locked or there is no AP
        // PIN; the password is never used then.
        Some(password) => (password, ApSetupLock::Locked),
        None => (
            (DevicePassword::pushbutton(), DevicePasswordId::Default),
            ApSetupLock::Locked,
        ),
    };
    let mut config = EnrolleeConfig::access_point(device, password, current);
    config.device_password_id = device_password_id;
    // `access_point` made the role (unlocked); only its lock changes.
    if let EnrolleeRole::AccessPoint {
        lock: role_lock, ..
    } = &mut config.role
    {
        *role_lock = lock;
    }
    Some(Enrollee::new(config, secrets, now))
}

impl<R: CryptoRng> AccessPoint<R> {
    /// An access point with no PINs, push-button off, no AP PIN.
    pub fn new(config: ApConfig, rng: R, now: Instant) -> Self {
        let mut lockout = ApPinLockout::new();
        lockout.set_config_locked(config.setup_locked);
        let solicit = config.solicit_every.map(|_| now);
        let mut ap = AccessPoint {
            config,
            rng,
            registrar: ApRegistrar::new(),
            lockout,
            ap_pin: None,
            #[cfg(feature = "nfc")]
            own_nfc_token: None,
            sessions: Vec::new(),
            solicit: None,
            pbc_status: PbcStatus::Disabled,
            last_result: LastResult::None,
            last_peer: None,
            lock_reported: false,
            next_server_id: 1,
            transmits: Fifo::new(),
            events: Fifo::new(),
            #[cfg(feature = "upnp")]
            upnp: upnp::UpnpState::default(),
        };
        if let Some(at) = solicit {
            ap.solicit = Some((ap.new_server(), at));
        }
        ap
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
        self.registrar
            .pins
            .add(now, uuid.map(|u| u.0), pin, lifetime, None)?;
        // hostapd's wps_registrar_add_pin: a PIN ends push-button mode.
        if self.registrar.pbc.is_active() {
            self.registrar.pbc.stop();
            self.pbc_status = PbcStatus::Disabled;
            self.events.push_back(ApEvent::PbcDisabled);
        }
        Ok(())
    }

    /// `wps_pbc`: push-button mode for the walk time, unless an overlap is seen.
    pub fn push_button(&mut self, now: Instant) -> Result<(), CommandError> {
        match self.registrar.pbc.press_button(now) {
            Ok(()) => {
                // hostapd's wps_registrar_button_pushed cancels the PIN's Selected
                // Registrar timer; ending push-button mode clears Selected Registrar.
                self.registrar.pins.clear_selected_registrar();
                self.pbc_status = PbcStatus::Active;
                self.events.push_back(ApEvent::PbcActive);
                Ok(())
            }
            Err(e) => {
                self.pbc_status = PbcStatus::Overlap;
                self.events.push_back(ApEvent::OverlapDetected);
                Err(e.into())
            }
        }
    }

    /// `wps_cancel`: stops push-button mode and removes every PIN, every enrollee's NFC
    /// password token and the handover state (a reported request, the handover key).
    pub fn cancel(&mut self, now: Instant) {
        let _ = now;
        self.stop_pbc();
        self.registrar.pins.cancel();
        #[cfg(feature = "nfc")]
        self.registrar.nfc_tokens.clear();
        #[cfg(feature = "nfc")]
        self.registrar.nfc_handover.clear();
    }

    /// Ends push-button mode (`wps_cancel`, or an NFC password arrived, as when a PIN
    /// is added).
    fn stop_pbc(&mut self) {
        if self.registrar.pbc.is_active() {
            self.registrar.pbc.stop();
            self.pbc_status = PbcStatus::Disabled;
            self.events.push_back(ApEvent::PbcDisabled);
        }
    }

    /// `wps_nfc_tag_read HEX`: an enrollee's NFC password token, read from its tag. The
    /// next M1 with the token's Device Password ID uses its password once its public key
    /// matches the token's hash (else M2D with Configuration Error 20); a registration
    /// that succeeds forgets the token. Sets Selected Registrar with that ID and stops
    /// push-button mode, as a PIN does.
    ///
    /// # Errors
    /// [`CommandError::Nfc`] for a malformed message, [`CommandError::NotPasswordToken`]
    /// for a configuration token or handover message.
    #[cfg(feature = "nfc")]
    pub fn read_nfc_tag(&mut self, ndef: &[u8], now: Instant) -> Result<(), CommandError> {
        let _ = now;
        let Contents::PasswordToken(token) = read_ndef(ndef)?.contents()? else {
            return Err(CommandError::NotPasswordToken);
        };
        self.registrar.nfc_tokens.add(&token);
        self.stop_pbc();
        Ok(())
    }

    /// `wps_nfc_config_token NDEF`: a configuration token with the access point's first
    /// network, as hostapd writes it (the Credential's MAC Address all zeros, then RF
    /// Bands and the AP's MAC Address). `None` without a network. Holds the network key:
    /// zeroized on drop.
    #[cfg(feature = "nfc")]
    pub fn nfc_configuration_token(&self) -> Option<zeroize::Zeroizing<Vec<u8>>> {
        let network = self.config.networks.first()?;
        let credential = [network.to_message(MacAddr([0; 6]), 1)];
        let token = ConfigurationToken {
            credentials: &credential,
            rf_bands: Some(self.config.device.rf_bands),
            ap_channel: None,
            mac_address: Some(self.config.device.mac),
        };
        to_wsc_record(&token).ok().map(zeroize::Zeroizing::new)
    }

    /// `wps_ap_pin set PIN [TIMEOUT]`: the AP PIN external registrars must prove, for
    /// `lifetime`. A new AP PIN clears the lockout (and a configured lock, as hostapd).
    pub fn set_ap_pin(&mut self, pin: DevicePassword, lifetime: Lifetime, now: Instant) {
        self.ap_pin = Some(TimedPassword::new(pin, now, lifetime));
        self.lockout.new_ap_pin();
        self.config.setup_locked = false;
        self.report_lock(now);
    }

    /// `wps_ap_pin disable`: no AP PIN; external registrars are refused.
    pub fn disable_ap_pin(&mut self) {
        self.ap_pin = None;
    }

    /// `wps_get_status`.
    pub fn status(&self) -> ApStatus {
        ApStatus {
            pbc: self.pbc_status,
            last_result: self.last_result,
            peer: self.last_peer,
        }
    }

    /// Whether external registrars are locked out now (configured, or the AP-PIN
    /// lockout).
    pub fn is_setup_locked(&self, now: Instant) -> bool {
        self.config.setup_locked || self.lockout.is_locked(now)
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
        self.run_timers(now);
        let packet = link::parse(eapol)?;
        let version = packet.version.clamp(1, 3);
        match packet.packet_type {
            EapolType::Start => {
                let index = match self.find(&from) {
                    Some(i) if self.sessions.get(i).is_some_and(|s| s.answering(now)) => {
                        return Err(Dropped::CrossedStart);
                    }
                    Some(i) => {
                        // A new conversation replaces the old one; its PIN is unlocked.
                        self.end_quietly(i, now);
                        i
                    }
                    None => self.admit(from, now)?,
                };
                let Some(session) = self.sessions.get_mut(index) else {
                    return Err(Dropped::NotExpected);
                };
                session.eapol_version = version;
                session.last_active = now;
                if let Action::Send(req) = session.server.start(now) {
                    link::send_eap(&mut self.transmits, from, version, req);
                }
                Ok(())
            }
            EapolType::EapPacket => {
                let index = match self.find(&from) {
                    Some(i) => i,
                    None => self.claim_solicit(from, now)?,
                };
                self.receive(index, packet.body, version, now)
            }
            EapolType::Logoff => {
                if let Some(i) = self.find(&from) {
                    self.end_quietly(i, now);
                    self.remove_session(i);
                }
                Ok(())
            }
            _ => Err(Dropped::NotEap),
        }
    }

    /// A Probe Request from `from`; `wps_ie` is the WPS attributes of its vendor IE
    /// (already joined, see [`crate::eap::element`]). Feeds push-button overlap detection and
    /// `WPS-ENROLLEE-SEEN`.
    pub fn handle_probe_request(&mut self, from: MacAddr, wps_ie: &[u8], now: Instant) {
        self.run_timers(now);
        let Ok(probe) = ProbeRequest::parse(wps_ie) else {
            return;
        };
        #[cfg(feature = "upnp")]
        self.upnp.probe_request(from, wps_ie);
        let Some(uuid) = probe.uuid_e else {
            // A registrar's probe (UUID-R) or a malformed one: nothing to track.
            return;
        };
        self.events.push_back(ApEvent::EnrolleeSeen {
            mac: from,
            uuid,
            device_password_id: probe.device_password_id,
            device: EnrolleeDevice::from_probe(&probe),
        });
        if probe.device_password_id == DevicePasswordId::PushButton
            && self.registrar.pbc.probe_request(now, from.0, uuid.0)
            && self.registrar.pbc.is_active()
            && self.pbc_status != PbcStatus::Overlap
        {
            self.pbc_status = PbcStatus::Overlap;
            self.events.push_back(ApEvent::OverlapDetected);
        }
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
        let solicit = match (&self.solicit, self.sessions.is_empty()) {
            (Some((_, at)), true) => Some(*at),
            _ => None,
        };
        // Plain loops: chained and flattened iterators cost half a kilobyte of flash.
        let mut next = None;
        for at in [
            self.registrar.pins.poll_timeout(),
            self.registrar.pbc.poll_timeout(),
            self.lockout.poll_timeout(),
            self.ap_pin.as_ref().and_then(TimedPassword::poll_timeout),
            solicit,
            #[cfg(feature = "upnp")]
            self.upnp.poll_timeout(),
        ] {
            next = earlier(next, at);
        }
        for s in self.sessions.iter() {
            next = earlier(next, s.server.next_deadline());
            next = earlier(next, s.run.poll_timeout());
        }
        next
    }

    /// Runs every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.run_timers(now);
        let mut i = 0;
        while let Some(session) = self.sessions.get_mut(i) {
            let peer = session.peer;
            let version = session.eapol_version;
            if session.run.poll_timeout().is_some_and(|d| d <= now) {
                match &mut session.run {
                    Run::Registrar(r) => r.handle_timeout(now, &mut self.registrar),
                    #[cfg(feature = "enrollee")]
                    Run::Enrollee(e) => e.handle_timeout(now),
                    Run::Waiting | Run::Ended => {}
                    #[cfg(feature = "upnp")]
                    Run::Relay(_) => {}
                }
            }
            match session.server.poll(now) {
                Action::Send(req) => {
                    link::send_eap(&mut self.transmits, peer, version, req);
                }
                Action::Finished | Action::Nothing => {}
            }
            self.drain(i, now);
            i = i.saturating_add(1);
        }
        self.sweep(now);
        if self.sessions.is_empty()
            && let (Some(every), Some((server, at))) =
                (self.config.solicit_every, self.solicit.as_mut())
            && *at <= now
        {
            *at = now.saturating_add(every);
            if let Action::Send(req) = server.start(now) {
                link::send_eap(
                    &mut self.transmits,
                    MacAddr(eap::PAE_GROUP_ADDR),
                    link::EAPOL_VERSION,
                    req,
                );
            }
        }
    }

    /// The WPS vendor element(s) for Beacons, from the current state (Selected
    /// Registrar, Device Password ID, AuthorizedMACs, AP Setup Locked).
    pub fn beacon_ie(&self, now: Instant) -> Vec<u8> {
        let macs = self.authorized_macs();
        let mut beacon = Beacon::new(WscState::Configured);
        beacon.ap_setup_locked = self.is_setup_locked(now);
        self.registrar_state(
            &mut beacon.selected_registrar,
            &mut beacon.device_password_id,
            &mut beacon.selected_registrar_config_methods,
        );
        beacon.wfa = Some(self.wfa(&macs));
        let mut attrs = Vec::new();
        let _ = beacon.emit(&mut attrs);
        elements(&attrs)
    }

    /// The WPS vendor element(s) for Probe Responses.
    pub fn probe_response_ie(&self, now: Instant) -> Vec<u8> {
        let macs = self.authorized_macs();
        let device = &self.config.device;
        let mut selected_registrar = false;
        let mut device_password_id = None;
        let mut selected_registrar_config_methods = None;
        self.registrar_state(
            &mut selected_registrar,
            &mut device_password_id,
            &mut selected_registrar_config_methods,
        );
        let response = ProbeResponse {
            version: 0x10,
            wsc_state: WscState::Configured,
            ap_setup_locked: self.is_setup_locked(now),
            selected_registrar,
            device_password_id,
            selected_registrar_config_methods,
            response_type: ResponseType::Ap,
            uuid_e: device.uuid,
            device: device.attrs(),
            // hostapd leaves the push-button bits out of a Probe Response.
            config_methods: ConfigMethods(
                device.config_methods.0 & !(ConfigMethods::ANY_PUSH_BUTTON.0),
            ),
            rf_bands: None,
            wfa: Some(self.wfa(&macs)),
            extra: Extra::NONE,
            application_extension: None,
        };
        let mut attrs = Vec::new();
        let _ = response.emit(&mut attrs);
        elements(&attrs)
    }

    /// Registrations in progress.
    pub fn session_count(&self) -> usize {
        self.sessions.len()
    }

    // ---------------------------------------------------------------------------------

    fn new_server(&mut self) -> WscServer {
        let id = self.next_server_id;
        self.next_server_id = self.next_server_id.wrapping_add(37);
        let mut server = WscServer::serving_both_clamped(self.config.fragment_size, id);
        server.set_max_retransmissions(self.config.max_retransmissions);
        server
    }

    /// Drops session `index`; the last takes its place (`Vec::swap_remove`, whose
    /// overlapping copy would link `memmove`: 1.5 KB of firmware flash).
    fn remove_session(&mut self, index: usize) {
        if let Some(last) = self.sessions.pop()
            && let Some(slot) = self.sessions.get_mut(index)
        {
            *slot = last;
        }
    }

    fn find(&self, peer: &MacAddr) -> Option<usize> {
        self.sessions.iter().position(|s| s.peer == *peer)
    }

    /// A session for a new station, replacing the longest-idle one at the cap.
    fn admit(&mut self, peer: MacAddr, now: Instant) -> Result<usize, Dropped> {
        let server = self.new_server();
        self.push_session(peer, server, now)
    }

    fn push_session(
        &mut self,
        peer: MacAddr,
        server: WscServer,
        now: Instant,
    ) -> Result<usize, Dropped> {
        if self.config.max_sessions == 0 {
            return Err(Dropped::NotExpected);
        }
        if self.sessions.len() >= self.config.max_sessions {
            let oldest = self
                .sessions
                .iter()
                .enumerate()
                .min_by_key(|(_, s)| s.last_active)
                .map(|(i, _)| i);
            if let Some(i) = oldest {
                self.end_quietly(i, now);
                self.remove_session(i);
            }
        }
        self.sessions.push(Session {
            peer,
            server,
            run: Run::Waiting,
            enrollee: None,
            gets_backhaul: false,
            eapol_version: link::EAPOL_VERSION,
            last_active: now,
        });
        Ok(self.sessions.len().saturating_sub(1))
    }

    /// An EAP packet from an unknown station: its answer to our group Identity Request
    /// on a wired link makes it a session.
    fn claim_solicit(&mut self, peer: MacAddr, now: Instant) -> Result<usize, Dropped> {
        let Some((server, _)) = self.solicit.as_ref() else {
            return Err(Dropped::NotExpected);
        };
        if server.is_finished() || server.next_deadline().is_none() {
            return Err(Dropped::NotExpected);
        }
        let next = self.new_server();
        let at = now.saturating_add(self.config.solicit_every.unwrap_or_default());
        let Some((server, _)) = self.solicit.replace((next, at)) else {
            return Err(Dropped::NotExpected);
        };
        self.push_session(peer, server, now)
    }

    fn receive(
        &mut self,
        index: usize,
        eap_packet: &[u8],
        version: u8,
        now: Instant,
    ) -> Result<(), Dropped> {
        let setup_locked = self.is_setup_locked(now);
        let ap_pin = match &self.ap_pin {
            Some(p) => p.password(now).ok(),
            None => None,
        };
        let Some(session) = self.sessions.get_mut(index) else {
            return Err(Dropped::NotExpected);
        };
        session.last_active = now;
        session.eapol_version = version;
        let mut method = Method {
            #[cfg(feature = "upnp")]
            peer: session.peer,
            #[cfg(feature = "upnp")]
            upnp: &mut self.upnp,
            run: &mut session.run,
            enrollee: &mut session.enrollee,
            gets_backhaul: &mut session.gets_backhaul,
            // `None` while the Identity is awaited (see `new_run`).
            role: session.server.role(),
            rng: &mut self.rng,
            config: &self.config,
            registrar: &mut self.registrar,
            ap_pin,
            #[cfg(feature = "nfc")]
            nfc_token: self
                .own_nfc_token
                .as_ref()
                .filter(|own| own.enabled)
                .map(|own| &own.token),
            setup_locked,
        };
        let result = session.server.receive(eap_packet, now, &mut method);
        let peer = session.peer;
        let outcome = match result {
            Ok(Action::Send(req)) => {
                link::send_eap(&mut self.transmits, peer, version, req);
                Ok(())
            }
            Ok(Action::Finished | Action::Nothing) => Ok(()),
            Err(e) => Err(Dropped::Eap(e)),
        };
        self.drain(index, now);
        self.sweep(now);
        outcome
    }

    /// Turns a session's machine events into access point events and policy.
    fn drain(&mut self, index: usize, now: Instant) {
        let Some(session) = self.sessions.get_mut(index) else {
            return;
        };
        let peer = session.peer;
        let gets_backhaul = session.gets_backhaul;
        let (kind, uuid) = match &session.run {
            Run::Registrar(r) => (PeerKind::Enrollee, Some(r.enrollee_uuid())),
            #[cfg(feature = "enrollee")]
            Run::Enrollee(_) => (PeerKind::ExternalRegistrar, None),
            #[cfg(feature = "upnp")]
            Run::Relay(relay) => {
                if let Some(event) = relay.ended(peer) {
                    session.run = Run::Ended;
                    self.events.push_back(event);
                }
                return;
            }
            Run::Waiting | Run::Ended => return,
        };
        // Lent to `absorb_event` (which clones it only for `WPS-PIN-NEEDED`), then put
        // back.
        let enrollee = session.enrollee.take();
        // One event at a time (no list of them): the session is looked up again for each.
        let mut absorbed = Absorbed::default();
        while let Some(event) = self
            .sessions
            .get_mut(index)
            .and_then(|s| s.run.poll_event())
        {
            self.absorb_event(event, enrollee.as_ref(), &mut absorbed, now);
        }
        let end = RunEnd {
            peer,
            uuid,
            kind,
            gets_backhaul,
        };
        let ended = self.absorb_end(&end, absorbed, now);
        if let Some(s) = self.sessions.get_mut(index) {
            s.enrollee = enrollee;
            if ended {
                s.run = Run::Ended;
            }
        }
    }

    /// Turns one of a run's machine events into access point events and policy.
    fn absorb_event(
        &mut self,
        event: Event,
        enrollee: Option<&EnrolleeDevice>,
        absorbed: &mut Absorbed,
        now: Instant,
    ) {
        match event {
            Event::PasswordNeeded {
                uuid_e,
                mac,
                device_password_id,
            } => self.events.push_back(ApEvent::PinNeeded {
                uuid: uuid_e,
                mac,
                device_password_id,
                device: enrollee.cloned().unwrap_or_default(),
            }),
            Event::PasswordAuthFailure { .. } => {
                self.lockout.record_failure(now);
            }
            Event::ApPinSuccess => self.lockout.record_success(),
            Event::NewApSettings(c) => absorbed.new_settings = Some(c),
            Event::PasswordOutcome(PasswordOutcome::PbcDone(_))
                if self.pbc_status == PbcStatus::Active =>
            {
                self.pbc_status = PbcStatus::Disabled;
                self.events.push_back(ApEvent::PbcDisabled);
            }
            Event::Success => absorbed.finished = Some(None),
            Event::Failure(f) => absorbed.finished = Some(Some(f)),
            _ => {}
        }
    }

    /// Settles what a run's events said (new settings, its end); whether the run ended.
    fn absorb_end(&mut self, end: &RunEnd, absorbed: Absorbed, now: Instant) -> bool {
        let RunEnd {
            peer,
            uuid,
            kind,
            gets_backhaul,
        } = *end;
        let Absorbed {
            finished,
            new_settings,
        } = absorbed;
        if let Some(c) = &new_settings {
            self.config.networks = alloc::vec![c.settings().clone()];
            self.events.push_back(ApEvent::NewApSettings(c.clone()));
        }
        let ended = finished.is_some();
        if let Some(failure) = finished {
            let outcome = match failure {
                None => match (kind, &self.config.multi_ap) {
                    (PeerKind::Enrollee, Some(multi_ap)) if gets_backhaul => Outcome::Succeeded(
                        alloc::vec![Credential::new(multi_ap.backhaul().clone(), peer)],
                    ),
                    (PeerKind::Enrollee, _) => Outcome::Succeeded(
                        self.config
                            .networks
                            .iter()
                            .map(|n| Credential::new(n.clone(), peer))
                            .collect(),
                    ),
                    (PeerKind::ExternalRegistrar, _) => {
                        Outcome::Succeeded(new_settings.map(|c| alloc::vec![c]).unwrap_or_default())
                    }
                },
                // One failed outcome for every other failure (flash).
                Some(f) => match self.config.networks.first() {
                    // An external registrar that proved the AP PIN, read M7 and ended
                    // with WSC_NACK (no error): it read the settings and changed nothing.
                    // (`matches!`, not `==`: FailureReason's derived `eq` is 0.4 KB of
                    // flash.)
                    Some(n)
                        if kind == PeerKind::ExternalRegistrar
                            && matches!(
                                f.reason,
                                FailureReason::Refused(Refusal::NackReceived)
                            )
                            && f.config_error == ConfigError::NoError
                            && f.message == Some(MessageType::M7) =>
                    {
                        Outcome::SettingsRead(Credential::new(n.clone(), self.config.device.mac))
                    }
                    _ => Outcome::Failed(RunError::from_failure(&f)),
                },
            };
            if matches!(outcome, Outcome::Failed(RunError::PbcOverlap)) {
                self.pbc_status = PbcStatus::Overlap;
                self.events.push_back(ApEvent::OverlapDetected);
            }
            // An M2D is not a failed registration to hostapd (no WPS-FAIL): the
            // enrollee was told there is no PIN yet, and PinNeeded said so.
            if matches!(outcome, Outcome::Failed(RunError::NoPassword)) {
                self.report_lock(now);
                return true;
            }
            self.last_result = if outcome.is_success() {
                LastResult::Success
            } else {
                LastResult::Failed
            };
            self.last_peer = Some(peer);
            self.events.push_back(ApEvent::Finished {
                peer,
                uuid,
                kind,
                outcome,
                failure,
            });
        }
        self.report_lock(now);
        ended
    }

    /// Ends a session's run without an event (a new EAPOL-Start, eviction, EAPOL-Logoff):
    /// a PIN it holds is unlocked.
    fn end_quietly(&mut self, index: usize, now: Instant) {
        let Some(session) = self.sessions.get_mut(index) else {
            return;
        };
        if let Run::Registrar(r) = &mut session.run
            && !r.is_finished()
        {
            r.abort(now, &mut self.registrar);
        }
        session.run = Run::Waiting;
    }

    /// Drops conversations that are over; reports runs whose peer went silent.
    fn sweep(&mut self, now: Instant) {
        let mut i = 0;
        while let Some(s) = self.sessions.get(i) {
            if !s.server.is_finished() {
                i = i.saturating_add(1);
                continue;
            }
            let gone = s.server.failure_reason() == Some(eap::DriverError::Timeout);
            if gone && let Some(session) = self.sessions.get_mut(i) {
                let peer = session.peer;
                let (kind, uuid) = match &mut session.run {
                    Run::Registrar(r) if !r.is_finished() => {
                        r.abort(now, &mut self.registrar);
                        let _ = core::iter::from_fn(|| r.poll_event()).count();
                        (Some(PeerKind::Enrollee), Some(r.enrollee_uuid()))
                    }
                    #[cfg(feature = "enrollee")]
                    Run::Enrollee(e) if !e.is_finished() => {
                        e.abort();
                        let _ = core::iter::from_fn(|| e.poll_event()).count();
                        (Some(PeerKind::ExternalRegistrar), None)
                    }
                    // The external registrar (or the enrollee) stopped answering.
                    #[cfg(feature = "upnp")]
                    Run::Relay(relay) => {
                        self.events.push_back(relay.timed_out(peer));
                        (None, None)
                    }
                    _ => (None, None),
                };
                if let Some(kind) = kind {
                    self.last_result = LastResult::Failed;
                    self.last_peer = Some(peer);
                    self.events.push_back(ApEvent::Finished {
                        peer,
                        uuid,
                        kind,
                        outcome: Outcome::Failed(RunError::NoResponse),
                        failure: None,
                    });
                }
            }
            self.remove_session(i);
        }
    }

    /// The access point's own timers: walk time, Selected Registrar, lockout, AP PIN.
    fn run_timers(&mut self, now: Instant) {
        if self.registrar.pbc.handle_timeout(now) {
            self.pbc_status = PbcStatus::TimedOut;
            self.events.push_back(ApEvent::PbcTimeout);
        }
        self.registrar.pins.handle_timeout(now);
        self.lockout.handle_timeout(now);
        #[cfg(feature = "upnp")]
        self.upnp.run_timers(now);
        if self.ap_pin.as_ref().is_some_and(|p| p.is_expired(now)) {
            // hostapd's wps_ap_pin_timeout: the AP PIN is disabled.
            self.ap_pin = None;
        }
        self.report_lock(now);
    }

    /// `WPS-AP-SETUP-LOCKED` / `-UNLOCKED` when the lock changes.
    fn report_lock(&mut self, now: Instant) {
        let locked = self.lockout.is_locked(now);
        if locked != self.lock_reported {
            self.lock_reported = locked;
            self.events.push_back(if locked {
                ApEvent::ApSetupLocked
            } else {
                ApEvent::ApSetupUnlocked
            });
        }
    }

    fn authorized_macs(&self) -> Vec<u8> {
        let mut macs: Vec<u8> = self
            .registrar
            .pins
            .authorized_macs()
            .iter()
            .flatten()
            .copied()
            .collect();
        if self.registrar.pbc.is_active() && macs.is_empty() {
            macs.extend_from_slice(&BROADCAST_MAC);
        }
        #[cfg(feature = "upnp")]
        self.upnp.authorized_macs(&mut macs);
        macs
    }

    fn wfa<'a>(&self, macs: &'a [u8]) -> WfaExtension<'a> {
        let mut wfa = WfaExtension::version2_only();
        if !macs.is_empty() {
            wfa.authorized_macs = Some(macs);
        }
        wfa
    }

    /// Selected Registrar, its Device Password ID and config methods: the internal
    /// registrar's, joined with the external registrars' (`SetSelectedRegistrar`).
    fn registrar_state(
        &self,
        selected_registrar: &mut bool,
        device_password_id: &mut Option<DevicePasswordId>,
        config_methods: &mut Option<ConfigMethods>,
    ) {
        let pbc = self.registrar.pbc.is_active();
        #[cfg(feature = "nfc")]
        let token = {
            let handover = self.registrar.nfc_handover.is_expecting();
            self.registrar
                .nfc_tokens
                .newest_password_id()
                .or_else(|| handover.then_some(u16::from(DevicePasswordId::NfcConnectionHandover)))
        };
        // Without NFC no token or handover selects the registrar.
        #[cfg(not(feature = "nfc"))]
        let token: Option<u16> = None;
        *selected_registrar = pbc || token.is_some() || self.registrar.pins.selected_registrar();
        *device_password_id = match (*selected_registrar, pbc, token) {
            (false, _, _) => None,
            (true, true, _) => Some(DevicePasswordId::PushButton),
            (true, false, Some(id)) => Some(DevicePasswordId::from(id)),
            (true, false, None) => Some(DevicePasswordId::Default),
        };
        *config_methods = selected_registrar.then_some(self.config.device.config_methods);
        #[cfg(feature = "upnp")]
        self.upnp
            .selected_registrars(selected_registrar, device_password_id, config_methods);
    }
}

/// WPS attributes as one or more 802.11 vendor elements.
fn elements(attrs: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    eap::element::split_vec(attrs, &mut out);
    out
}
