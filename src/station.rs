//! `Station`: one whole station side of WPS — the printer that shows a PIN or has a
//! button, and the PC that reads or reconfigures an access point with its AP PIN.
//!
//! A station is one object plus I/O. The caller's loop moves EAPOL frames and reads the
//! clock; the station owns the EAP-WSC method (identity, fragmentation, retransmitted
//! requests), the registration machine, and the journey's policy:
//!
//! * **PIN** ([`Station::start_pin`]): a dynamic PIN has a lifetime; past it the run
//!   stops with [`RunError::PinExpired`] and the next
//!   attempt needs a fresh PIN.
//! * **Push-button** ([`Station::press_button`]): the 120 s walk time starts when the
//!   button is pressed.
//! * **NFC password token** ([`Station::start_nfc_token`]): the device's own token,
//!   read by the registrar beforehand; every attempt reuses the token's DH key pair and
//!   its password. A registrar that read another device's token answers M2D with
//!   Configuration Error 20, which ends the journey with [`RunError::PublicKeyMismatch`].
//! * **NFC connection handover** ([`Station::start_nfc_handover`]): the station's
//!   handover request (its key and UUID) and the router's select; the abbreviated
//!   handshake (M1, M2 with the credential, WSC_Done) with the request's key, M2's key
//!   checked against the select's hash. A key that does not match on either side ends
//!   the journey with [`RunError::PublicKeyMismatch`].
//! * **External registrar** ([`Station::start_external_registrar`], with the
//!   `registrar` feature): read the access point's settings with its AP PIN, or replace
//!   them.
//!
//! The station needs the `enrollee` feature; without `registrar` it links no registrar
//! code (a printer), and only the external-registrar journey is missing.
//!
//! Within the walk time a conversation that ends without an answer (the registrar had no
//! PIN yet and sent M2D, the link lost a frame, the authenticator gave up) starts over
//! with fresh secrets, as wpa_supplicant does; a wrong PIN, an overlap or a locked access
//! point end the journey. After sending WSC_Done the station lingers to answer a
//! retransmitted M8 again.
//!
//! ```text
//! loop {
//!     while let Some(t) = station.poll_transmit() { link.send(t.to, &t.eapol) }
//!     while let Some(e) = station.poll_event() { show(e) }
//!     let deadline = station.poll_timeout();
//!     match link.recv_until(deadline) {
//!         Some(frame) => station.handle_eapol(frame.src, &frame.eapol, clock.now()),
//!         None => station.handle_timeout(clock.now()),
//!     }
//! }
//! ```

use alloc::boxed::Box;
use alloc::vec::Vec;
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::{ConfigError, MacAddr, MessageType};
use crate::crypto::DhKeyPair;
use crate::eap::{
    self, Action, DEFAULT_FRAGMENT_SIZE, EapolType, OpCode, PAE_GROUP_ADDR, PeerRole, WscHandler,
    WscPeer,
};
use crate::fifo::Fifo;
use crate::link::{self, method_outcome};
#[cfg(feature = "nfc")]
use crate::nfc::{EnrolleeHandover, HandoverSelect, OwnHandoverRequest, OwnPasswordToken};
use crate::outcome::{Outcome, RunError};
use crate::pin::DevicePassword;
use crate::registration::{
    Credential, DeviceInfo, Enrollee, EnrolleeConfig, Event, Failure, FailureReason, M2dInfo,
    Refusal, SessionSecrets,
};
#[cfg(feature = "registrar")]
use crate::registration::{FixedPassword, NetworkSettings, RegistrarConfig, RegistrarSession};
use crate::time::{Instant, Lifetime, TimedPassword, earlier};

pub use crate::link::{Dropped, Transmit};

/// How a [`Station`] presents itself and behaves.
#[derive(Debug, Clone)]
pub struct StationConfig {
    /// What goes into M1 (or, as external registrar, M2).
    pub device: DeviceInfo,
    /// The largest EAP-WSC fragment this side sends (default 1400).
    pub fragment_size: usize,
    /// How long one journey may take from its start (the walk time, 120 s).
    pub timeout: Duration,
    /// A Multi-AP backhaul STA (wpa_supplicant's `multi_ap=1`): every enrollee run asks
    /// for the backhaul network in M1, and the credentials it gets are the backhaul
    /// network's ([`Station::credentials_are_backhaul`]). Default `false`.
    pub multi_ap: bool,
}

impl StationConfig {
    /// A station with `device`'s identity and the daemons' defaults.
    pub fn new(device: DeviceInfo) -> Self {
        StationConfig {
            device,
            fragment_size: DEFAULT_FRAGMENT_SIZE,
            timeout: crate::registration::REGISTRATION_TIMEOUT,
            multi_ap: false,
        }
    }
}

/// What a [`Station`] reports; drain with [`Station::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StationEvent {
    /// A new EAP conversation began (EAPOL-Start sent); `attempt` counts from 1.
    Started {
        /// 1 for the first conversation of this journey, 2 for the first retry, …
        attempt: u32,
    },
    /// The registrar has no password for us yet (it answered M1 with M2D); the station
    /// keeps trying until the walk time ends (wpa_supplicant's `WPS-M2D`).
    M2d(M2dInfo),
    /// The journey is over: credentials, settings, or why not. `failure` has the
    /// protocol facts (message, Configuration Error) where the registration machine
    /// reported them, for a `WPS-FAIL msg=… config_error=…` line.
    Finished {
        /// What happened, in plain words.
        outcome: Outcome,
        /// The registration machine's report, if a run failed in it.
        failure: Option<Failure>,
    },
}

/// How often EAPOL-Start is repeated while no authenticator answers.
pub const EAPOL_START_PERIOD: Duration = Duration::from_secs(3);

/// How long after a conversation ended without an answer the next one starts.
pub const RETRY_DELAY: Duration = Duration::from_secs(3);

/// How long the station stays to answer a retransmitted M8 again after its WSC_Done,
/// unless EAP-Failure ends the conversation first: past two retransmissions of hostapd's
/// (5 s each).
pub const LINGER: Duration = Duration::from_secs(11);

/// One station: enrollee (PIN, push-button) or external registrar (AP PIN).
///
/// `R` is the random number generator every run draws its secrets from (nonces, DH key,
/// IVs); a fresh set for every attempt.
///
/// ```
/// use wps::ap::{AccessPoint, ApConfig};
/// use wps::pin::DevicePassword;
/// use wps::registration::{DeviceInfo, NetworkSettings};
/// use wps::station::{Station, StationConfig, StationEvent};
/// use wps::time::{Instant, Lifetime};
/// use wps::Outcome;
/// # use wps::attr::{MacAddr, Uuid};
/// let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
/// let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
/// let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
/// let now = Instant::ZERO;
/// let mut ap = AccessPoint::new(ApConfig::new(router.clone(), vec![home]), rand::rng(), now);
/// let mut printer_side = Station::new(StationConfig::new(printer.clone()), rand::rng());
///
/// let pin = DevicePassword::from_bytes(b"12345670")?;
/// ap.add_pin(None, pin.clone(), Lifetime::Forever, now)?;
/// printer_side.start_pin(pin, Lifetime::Forever, now);
/// // Move frames until both are quiet (the I/O a real program does).
/// loop {
///     let mut moved = false;
///     while let Some(t) = printer_side.poll_transmit() {
///         let _ = ap.handle_eapol(printer.mac, &t.eapol, now);
///         moved = true;
///     }
///     while let Some(t) = ap.poll_transmit() {
///         let _ = printer_side.handle_eapol(router.mac, &t.eapol, now);
///         moved = true;
///     }
///     if !moved { break }
/// }
/// let finished = core::iter::from_fn(|| printer_side.poll_event())
///     .find_map(|e| match e { StationEvent::Finished { outcome, .. } => Some(outcome), _ => None });
/// let Some(Outcome::Succeeded(credentials)) = finished else { panic!("{finished:?}") };
/// assert_eq!(credentials[0].ssid(), b"home");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Station<R> {
    config: StationConfig,
    rng: R,
    journey: Journey,
    credentials: Vec<Credential>,
    transmits: Fifo<Transmit>,
    events: Fifo<StationEvent>,
}

impl<R> core::fmt::Debug for Station<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = match &self.journey {
            Journey::Idle => "idle",
            Journey::Running(_) => "running",
            Journey::Lingering(..) => "lingering",
        };
        f.debug_struct("Station")
            .field("state", &state)
            .finish_non_exhaustive()
    }
}

/// Where the station is.
enum Journey {
    /// Nothing to do.
    Idle,
    /// A journey in progress.
    Running(Box<Running>),
    /// The journey ended in success; the conversation stays to answer a retransmitted
    /// M8 until `until` or EAP-Failure.
    Lingering(Box<Conversation>, Instant),
}

/// What the station is after.
enum Goal {
    /// Enrol with a PIN shown on its display (or printed on its label).
    Pin(TimedPassword),
    /// Enrol by push-button.
    PushButton,
    /// Enrol with the device's own NFC password token (its key pair and password), or
    /// after an NFC connection handover (its request's key, the select's hash).
    #[cfg(feature = "nfc")]
    Oob(Box<dyn OobJourney>),
    /// As external registrar: prove the AP PIN, read the settings, maybe replace them.
    #[cfg(feature = "registrar")]
    Registrar {
        ap_pin: DevicePassword,
        new_settings: Option<NetworkSettings>,
        /// The settings the access point revealed in M7.
        read: Option<Credential>,
    },
}

/// A journey: its goal, the walk time, and the conversation (or the pause before the
/// next one).
struct Running {
    goal: Goal,
    deadline: Instant,
    attempt: u32,
    /// An M2D was seen: if the walk time ends, the registrar had no PIN for us.
    saw_m2d: bool,
    now: Stage,
}

enum Stage {
    /// Talking to an authenticator.
    Talking(Box<Conversation>),
    /// Waiting to start the next conversation.
    Pause { until: Instant },
}

/// One EAP conversation with fresh secrets.
struct Conversation {
    peer: WscPeer,
    machine: Machine,
    heard: bool,
    next_start: Instant,
    eapol_version: u8,
}

enum Machine {
    Enrollee(Enrollee),
    #[cfg(feature = "registrar")]
    Registrar(RegistrarSession, FixedPassword),
}

impl WscHandler for Machine {
    fn handle(&mut self, op_code: OpCode, message: &[u8], now: Instant) -> eap::Outcome {
        // The machine's answer and whether it has ended, read in one place (flash).
        let (reply, finished) = match self {
            Machine::Enrollee(e) => {
                let reply = match op_code {
                    OpCode::Start => Some(e.start(now)),
                    OpCode::Msg | OpCode::Ack | OpCode::Nack | OpCode::Done => {
                        e.handle(message, now)
                    }
                    _ => None,
                };
                (reply, e.is_finished())
            }
            #[cfg(feature = "registrar")]
            Machine::Registrar(r, password) => {
                let reply = match op_code {
                    OpCode::Msg | OpCode::Ack | OpCode::Nack | OpCode::Done => {
                        r.handle(message, now, password)
                    }
                    _ => None,
                };
                (reply, r.is_finished())
            }
        };
        method_outcome(reply, finished)
    }
}

impl Machine {
    fn poll_event(&mut self) -> Option<Event> {
        match self {
            Machine::Enrollee(e) => e.poll_event(),
            #[cfg(feature = "registrar")]
            Machine::Registrar(r, _) => r.poll_event(),
        }
    }
}

/// What a conversation's events decided.
enum Verdict {
    /// Keep going.
    Continue,
    /// The journey is over.
    Done(Outcome, Option<Failure>),
    /// This conversation is over without an answer: try again within the walk time.
    Retry,
}

impl<R: CryptoRng> Station<R> {
    /// An idle station.
    pub fn new(config: StationConfig, rng: R) -> Self {
        Station {
            config,
            rng,
            journey: Journey::Idle,
            credentials: Vec::new(),
            transmits: Fifo::new(),
            events: Fifo::new(),
        }
    }

    /// Enrol with a PIN (4 or 8 digits; the checksum is the caller's business) that is
    /// valid for `lifetime` from `now`; the walk time starts now too. Replaces any
    /// journey in progress.
    pub fn start_pin(&mut self, pin: DevicePassword, lifetime: Lifetime, now: Instant) {
        self.begin(Goal::Pin(TimedPassword::new(pin, now, lifetime)), now);
    }

    /// Enrol by push-button: the button was pressed at `now`, which starts the walk time.
    pub fn press_button(&mut self, now: Instant) {
        self.begin(Goal::PushButton, now);
    }

    /// Enrol with this device's own NFC password token, which the registrar has read
    /// (hostapd's `wps_nfc_tag_read`): M1 carries the token's Device Password ID and
    /// public key, the password is the token's as uppercase hex. No lifetime beyond the
    /// walk time, which starts now. Replaces any journey in progress.
    #[cfg(feature = "nfc")]
    pub fn start_nfc_token(&mut self, token: OwnPasswordToken, now: Instant) {
        self.begin(Goal::Oob(Box::new(token)), now);
    }

    /// Enrol after an NFC connection handover: `request` is the one this station sent
    /// (its DH key and UUID-E, as `wps nfc handover-req` keeps them), `select` the
    /// router's answer. M1 carries Device Password ID 7, the request's UUID-E and key;
    /// M2 must carry the key whose hash the select has, and the credential. The walk time
    /// starts now. Replaces any journey in progress.
    #[cfg(feature = "nfc")]
    pub fn start_nfc_handover(
        &mut self,
        request: OwnHandoverRequest,
        select: &HandoverSelect<'_>,
        now: Instant,
    ) {
        let (keys, uuid_e) = request.into_parts();
        let handover = EnrolleeHandover::new(keys, uuid_e, select);
        self.begin(Goal::Oob(Box::new(handover)), now);
    }

    /// As external registrar, prove `ap_pin` to the access point and read its settings;
    /// with `new_settings`, replace them.
    #[cfg(feature = "registrar")]
    pub fn start_external_registrar(
        &mut self,
        ap_pin: DevicePassword,
        new_settings: Option<NetworkSettings>,
        now: Instant,
    ) {
        self.begin(
            Goal::Registrar {
                ap_pin,
                new_settings,
                read: None,
            },
            now,
        );
    }

    /// What the latest scan said about push-button APs ([`crate::scan::ScanTable::choose_pbc`]).
    /// During a push-button journey an overlap (two registrars in push-button mode with
    /// different UUIDs) ends it with [`RunError::PbcOverlap`], as wpa_supplicant's
    /// `wpas_wps_scan_pbc_overlap` does; joining the chosen BSSID is the caller's (the
    /// station speaks EAPOL once associated). Returns whether the journey ended.
    pub fn handle_scan_verdict(&mut self, verdict: &crate::scan::PbcVerdict, now: Instant) -> bool {
        let _ = now;
        let pbc =
            matches!(&self.journey, Journey::Running(r) if matches!(r.goal, Goal::PushButton));
        if pbc && verdict.is_overlap() {
            self.finish(Outcome::Failed(RunError::PbcOverlap), None);
            return true;
        }
        false
    }

    /// Stops the journey in progress (it finishes with
    /// [`RunError::Cancelled`]).
    pub fn cancel(&mut self, now: Instant) {
        let _ = now;
        match core::mem::replace(&mut self.journey, Journey::Idle) {
            Journey::Running(_) => self.events.push_back(StationEvent::Finished {
                outcome: Outcome::Failed(RunError::Cancelled),
                failure: None,
            }),
            Journey::Idle | Journey::Lingering(..) => {}
        }
    }

    /// One received EAPOL PDU from the authenticator (the station runs one journey with
    /// one access point, so the sender's address decides nothing here).
    pub fn handle_eapol(
        &mut self,
        _from: MacAddr,
        eapol: &[u8],
        now: Instant,
    ) -> Result<(), Dropped> {
        self.handle_timeout(now);
        let packet = link::parse(eapol)?;
        if packet.packet_type != EapolType::EapPacket {
            return Err(Dropped::NotEap);
        }
        // Answer in the authenticator's EAPOL version, as wpa_supplicant does.
        let version = packet.version.clamp(1, 3);
        let conversation = match &mut self.journey {
            Journey::Running(r) => match &mut r.now {
                Stage::Talking(c) => c,
                Stage::Pause { .. } => return Err(Dropped::NotExpected),
            },
            Journey::Lingering(c, _) => c,
            Journey::Idle => return Err(Dropped::NotExpected),
        };
        conversation.heard = true;
        conversation.eapol_version = version;
        let action = conversation
            .peer
            .receive(packet.body, now, &mut conversation.machine);
        let ended = match action {
            Ok(Action::Send(resp)) => {
                let to = MacAddr(PAE_GROUP_ADDR);
                link::send_eap(&mut self.transmits, to, version, resp);
                false
            }
            Ok(Action::Finished) => true,
            Ok(Action::Nothing) => false,
            Err(e) => return Err(Dropped::Eap(e)),
        };
        if let Journey::Lingering(..) = self.journey {
            if ended {
                self.journey = Journey::Idle;
            }
            return Ok(());
        }
        self.after_exchange(ended, now);
        Ok(())
    }

    /// The next frame to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<StationEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must next be called.
    ///
    /// The program sleeps until then (or until a frame arrives), calls `handle_timeout`
    /// and sends what [`poll_transmit`](Self::poll_transmit) has. With no access point
    /// answering, a push-button journey ends when the walk time does:
    ///
    /// ```
    /// use wps::station::{Station, StationConfig, StationEvent};
    /// use wps::time::Instant;
    /// use wps::{Outcome, RunError};
    /// # use wps::attr::{MacAddr, Uuid};
    /// # use wps::registration::DeviceInfo;
    /// let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    /// let mut station = Station::new(StationConfig::new(printer), rand::rng());
    /// station.press_button(Instant::ZERO);
    /// let mut starts = 0;
    /// while let Some(at) = station.poll_timeout() {
    ///     station.handle_timeout(at);
    ///     // EAPOL-Start, every few seconds, into the void.
    ///     starts += core::iter::from_fn(|| station.poll_transmit()).count();
    /// }
    /// assert!(starts > 1);
    /// let outcome = core::iter::from_fn(|| station.poll_event())
    ///     .find_map(|e| match e { StationEvent::Finished { outcome, .. } => Some(outcome), _ => None });
    /// assert!(matches!(outcome, Some(Outcome::Failed(RunError::TimedOut { .. }))));
    /// ```
    pub fn poll_timeout(&self) -> Option<Instant> {
        match &self.journey {
            Journey::Idle => None,
            Journey::Lingering(_, until) => Some(*until),
            Journey::Running(r) => {
                let pin = match &r.goal {
                    Goal::Pin(p) => p.poll_timeout(),
                    _ => None,
                };
                let stage = match &r.now {
                    Stage::Pause { until } => Some(*until),
                    Stage::Talking(c) => {
                        earlier((!c.heard).then_some(c.next_start), c.peer.next_deadline())
                    }
                };
                earlier(Some(r.deadline), earlier(pin, stage))
            }
        }
    }

    /// Runs every timer that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let running = match &mut self.journey {
            Journey::Idle => return,
            Journey::Lingering(_, until) => {
                if *until <= now {
                    self.journey = Journey::Idle;
                }
                return;
            }
            Journey::Running(r) => r,
        };
        if let Goal::Pin(p) = &running.goal
            && p.is_expired(now)
        {
            self.finish(Outcome::Failed(RunError::PinExpired), None);
            return;
        }
        if running.deadline <= now {
            let error = if running.saw_m2d {
                RunError::NoPassword
            } else {
                RunError::TimedOut {
                    after: self.config.timeout,
                }
            };
            self.finish(Outcome::Failed(error), None);
            return;
        }
        match &mut running.now {
            Stage::Pause { until } => {
                if *until <= now {
                    self.converse(now);
                }
            }
            Stage::Talking(c) => {
                if !c.heard && c.next_start <= now {
                    c.next_start = now.saturating_add(EAPOL_START_PERIOD);
                    eapol_start(&mut self.transmits);
                }
                let silent = c.peer.poll(now) == Action::Finished;
                if silent {
                    self.after_exchange(true, now);
                }
            }
        }
    }

    /// Whether no journey is in progress (and no finished one lingers).
    pub fn is_idle(&self) -> bool {
        matches!(self.journey, Journey::Idle)
    }

    /// The credentials of the last journey that succeeded, if the last one did.
    pub fn credentials(&self) -> &[Credential] {
        &self.credentials
    }

    /// Whether [`credentials`](Self::credentials) (and the last
    /// [`Outcome::Succeeded`]'s) are the backhaul network's: the station is a Multi-AP
    /// backhaul STA ([`StationConfig::multi_ap`]) and enrolled. M8 does not mark the
    /// backhaul Credential; the station knows because it asked, as wpa_supplicant does.
    pub fn credentials_are_backhaul(&self) -> bool {
        self.config.multi_ap && !self.credentials.is_empty()
    }

    // ---------------------------------------------------------------------------------

    fn begin(&mut self, goal: Goal, now: Instant) {
        self.cancel(now);
        self.credentials.clear();
        self.journey = Journey::Running(Box::new(Running {
            goal,
            deadline: now.saturating_add(self.config.timeout),
            attempt: 0,
            saw_m2d: false,
            now: Stage::Pause { until: now },
        }));
        self.converse(now);
    }

    /// Starts the next conversation: fresh secrets, EAPOL-Start.
    fn converse(&mut self, now: Instant) {
        let Journey::Running(r) = &self.journey else {
            return;
        };
        let device = self.config.device.clone();
        // The machine's own timeout is what is left of the walk time.
        let left = r.deadline.saturating_duration_since(now);
        // An enrollee's configuration, and the NFC key pair M1 carries instead of a
        // fresh one.
        let (mut config, nfc_key_pair) = match &r.goal {
            // One configuration built for both (flash).
            Goal::Pin(_) | Goal::PushButton => {
                let password = match &r.goal {
                    Goal::Pin(pin) => match pin.password(now) {
                        Ok(password) => password.clone(),
                        Err(_) => return self.finish(Outcome::Failed(RunError::PinExpired), None),
                    },
                    _ => DevicePassword::pushbutton(),
                };
                (self.station_config(device, password), None)
            }
            #[cfg(feature = "nfc")]
            Goal::Oob(journey) => match journey.enrollee(device) {
                Some((config, key_pair)) => (config, Some(key_pair)),
                None => return self.finish(Outcome::Failed(RunError::Cancelled), None),
            },
            #[cfg(feature = "registrar")]
            Goal::Registrar {
                ap_pin,
                new_settings,
                ..
            } => {
                let mut config = RegistrarConfig::external(device, new_settings.clone());
                config.timeout = left;
                let secrets = SessionSecrets::generate(&mut self.rng);
                let machine = Machine::Registrar(
                    RegistrarSession::new(config, secrets, now),
                    FixedPassword::new(ap_pin.clone()),
                );
                return self.talk(machine, PeerRole::Registrar, now);
            }
        };
        config.timeout = left;
        // One key generation and one `Enrollee::new` for every goal (flash).
        let key_pair = nfc_key_pair.unwrap_or_else(|| DhKeyPair::generate(&mut self.rng));
        let secrets = SessionSecrets::with_key_pair(key_pair, &mut self.rng);
        let machine = Machine::Enrollee(Enrollee::new(config, secrets, now));
        self.talk(machine, PeerRole::Enrollee, now);
    }

    /// A PIN or push-button enrollee's configuration.
    fn station_config(&self, device: DeviceInfo, password: DevicePassword) -> EnrolleeConfig {
        let mut config = EnrolleeConfig::station(device, password);
        config.asks_for_backhaul = self.config.multi_ap;
        config
    }

    /// Starts a conversation with `machine` as `role`: EAPOL-Start.
    fn talk(&mut self, machine: Machine, role: PeerRole, now: Instant) {
        let Journey::Running(r) = &mut self.journey else {
            return;
        };
        let peer = WscPeer::clamped(role, self.config.fragment_size);
        r.attempt = r.attempt.saturating_add(1);
        r.now = Stage::Talking(Box::new(Conversation {
            peer,
            machine,
            heard: false,
            next_start: now.saturating_add(EAPOL_START_PERIOD),
            eapol_version: link::EAPOL_VERSION,
        }));
        let attempt = r.attempt;
        eapol_start(&mut self.transmits);
        self.events.push_back(StationEvent::Started { attempt });
    }

    /// After the conversation moved: read the machine's events and decide.
    fn after_exchange(&mut self, conversation_ended: bool, now: Instant) {
        let Journey::Running(r) = &mut self.journey else {
            return;
        };
        let Stage::Talking(c) = &mut r.now else {
            return;
        };
        let mut verdict = Verdict::Continue;
        while let Some(event) = c.machine.poll_event() {
            match event {
                Event::Credential(cred) => self.credentials.push(cred),
                #[cfg(feature = "registrar")]
                Event::ApSettings(cred) => {
                    if let Goal::Registrar { read, .. } = &mut r.goal {
                        *read = Some(cred);
                    }
                }
                Event::M2d(info) => {
                    r.saw_m2d = true;
                    match info.config_error {
                        // wpa_supplicant's wps_process_m2d: a registrar reporting
                        // push-button overlap ends the attempt for good.
                        ConfigError::MultiplePbcDetected => {
                            verdict = Verdict::Done(Outcome::Failed(RunError::PbcOverlap), None);
                        }
                        // The registrar read another device's NFC token: trying again
                        // with the same key cannot help.
                        ConfigError::PublicKeyHashMismatch => {
                            let failure = Failure {
                                message: Some(MessageType::M2D),
                                config_error: info.config_error,
                                reason: FailureReason::Refused(Refusal::NoPassword),
                            };
                            verdict = Verdict::Done(
                                Outcome::Failed(RunError::PublicKeyMismatch),
                                Some(failure),
                            );
                        }
                        _ => {}
                    }
                    self.events.push_back(StationEvent::M2d(info));
                }
                Event::Success => {
                    let outcome = match &r.goal {
                        #[cfg(feature = "registrar")]
                        Goal::Registrar {
                            new_settings: Some(n),
                            read,
                            ..
                        } => {
                            let mac = read.as_ref().map_or(MacAddr::default(), Credential::mac);
                            Outcome::Succeeded(alloc::vec![Credential::new(n.clone(), mac)])
                        }
                        _ => Outcome::Succeeded(self.credentials.clone()),
                    };
                    verdict = Verdict::Done(outcome, None);
                }
                Event::Failure(f) => {
                    verdict = match &r.goal {
                        // An external registrar that only reads the settings ends the
                        // run with a NACK after M7.
                        // (`matches!`, not `==`: FailureReason's derived `eq` is 0.4 KB of flash.)
                        #[cfg(feature = "registrar")]
                        Goal::Registrar {
                            read: Some(settings),
                            ..
                        } if matches!(f.reason, FailureReason::Refused(Refusal::ReadOnly)) => {
                            Verdict::Done(Outcome::SettingsRead(settings.clone()), None)
                        }
                        _ => judge(&f),
                    }
                }
                _ => {}
            }
        }
        let (outcome, failure) = match verdict {
            Verdict::Continue if !conversation_ended => return,
            Verdict::Continue | Verdict::Retry => {
                r.now = Stage::Pause {
                    until: now.saturating_add(RETRY_DELAY),
                };
                return;
            }
            Verdict::Done(outcome, failure) => (outcome, failure),
        };
        let linger = outcome.is_success() && !conversation_ended;
        let journey = core::mem::replace(&mut self.journey, Journey::Idle);
        self.finish(outcome, failure);
        if linger
            && let Journey::Running(r) = journey
            && let Stage::Talking(c) = r.now
        {
            self.journey = Journey::Lingering(c, now.saturating_add(LINGER));
        }
    }

    /// Ends the journey with `outcome`.
    fn finish(&mut self, outcome: Outcome, failure: Option<Failure>) {
        self.journey = Journey::Idle;
        if !outcome.is_success() {
            self.credentials.clear();
        }
        self.events
            .push_back(StationEvent::Finished { outcome, failure });
    }
}

/// An enrollee journey with an NFC key pair instead of a fresh one: the device's own
/// password token, or a connection handover. A trait object, so that a station that
/// never starts one (a printer without NFC) links none of it.
#[cfg(feature = "nfc")]
trait OobJourney {
    /// The run's configuration (its timeout still the default) and the key pair M1
    /// carries; `None` if the key cannot be rebuilt (it was checked when it was made or
    /// read).
    fn enrollee(&self, device: DeviceInfo) -> Option<(EnrolleeConfig, DhKeyPair)>;
}

#[cfg(feature = "nfc")]
impl OobJourney for OwnPasswordToken {
    fn enrollee(&self, device: DeviceInfo) -> Option<(EnrolleeConfig, DhKeyPair)> {
        let mut config = EnrolleeConfig::station(device, self.password().device_password());
        config.device_password_id = self.token().device_password_id();
        Some((config, self.keys().to_key_pair().ok()?))
    }
}

#[cfg(feature = "nfc")]
impl OobJourney for EnrolleeHandover {
    fn enrollee(&self, device: DeviceInfo) -> Option<(EnrolleeConfig, DhKeyPair)> {
        let device = DeviceInfo {
            uuid: self.uuid_e(),
            ..device
        };
        let config = EnrolleeConfig::handover(device, self.registrar_hash());
        Some((config, self.keys().to_key_pair().ok()?))
    }
}

/// Whether a failed run ends the journey (and how) or is worth another conversation.
/// Out of line: `RunError::from_failure`, which it inlines, would grow `after_exchange`.
#[inline(never)]
fn judge(f: &Failure) -> Verdict {
    match RunError::from_failure(f) {
        e @ (RunError::IncorrectPin { .. }
        | RunError::PbcOverlap
        | RunError::ApLocked
        | RunError::PinExpired
        | RunError::PublicKeyMismatch
        | RunError::Cancelled) => Verdict::Done(Outcome::Failed(e), Some(*f)),
        // M2D, a NACK for another reason, a broken message: the daemons try again.
        _ => Verdict::Retry,
    }
}

/// Queues an EAPOL-Start (version 1, as wpa_supplicant sends it).
fn eapol_start(transmits: &mut Fifo<Transmit>) {
    link::send(transmits, MacAddr(PAE_GROUP_ADDR), 1, EapolType::Start, &[]);
}
