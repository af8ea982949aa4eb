//! The Enrollee: a station joining a network, or an AP configured by an external registrar.

use alloc::vec::Vec;
use core::time::Duration;

use super::REGISTRATION_TIMEOUT;
use super::device::{Credential, CredentialError, DeviceInfo};
use super::secrets::SessionSecrets;
use super::session::{
    Event, Events, Failure, FailureReason, Half, Keyed, M2dInfo, Nonces, OpCode, Outgoing,
    PeerMisbehaved, Psks, Refusal, Side, VERSION2_ONLY, nack_received, write_message,
};
use crate::attr::{
    AssociationState, AttrType, ConfigError, ConfigMethods, DevicePasswordId, MessageType,
    WfaExtension,
};
use crate::crypto::Psk;
use crate::message::{
    self, DeviceIdentity, Envelope, M2OrM2d, M4, M4Settings, M6, M6Settings, M7Settings, M8,
    M8Settings, MessageError,
};
#[cfg(feature = "nfc")]
use crate::nfc::PublicKeyHash;
use crate::pin::DevicePassword;
use crate::time::Instant;

/// An AP enrollee's `ap_setup_locked` setting (hostapd.conf `ap_setup_locked`; hostapd
/// also sets it at runtime in `wps_pwd_auth_fail` after repeated AP PIN failures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ApSetupLock {
    /// External registrars may use the AP PIN to read and change the settings.
    #[default]
    Unlocked,
    /// Locked (configured, AP-PIN lockout, or no AP PIN at all): NACK with 15 at M2.
    Locked,
    /// hostapd's mode 2: the run may go up to M7 (settings can be read), M8 is refused
    /// with NACK 15.
    ReadOnly,
}

/// Which kind of enrollee this is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnrolleeRole {
    /// A station that wants a Credential.
    Station,
    /// An AP whose current settings an external registrar reads from M7 and may replace
    /// in M8. With the `registrar` feature: an AP enrollee runs inside
    /// [`ap::AccessPoint`](crate::ap::AccessPoint), which needs it, so that a printer
    /// (`enrollee` alone) links none of the AP's side.
    #[cfg(feature = "registrar")]
    AccessPoint {
        /// The AP's current settings, sent in M7 (MAC: the AP's own address).
        current: Credential,
        /// Whether the AP accepts configuration.
        lock: ApSetupLock,
    },
}

/// How an [`Enrollee`] runs.
#[derive(Debug, Clone)]
pub struct EnrolleeConfig {
    /// What goes into M1.
    pub device: DeviceInfo,
    /// The device password (PIN, AP PIN, or push-button `00000000`).
    pub password: DevicePassword,
    /// Device Password ID sent in M1 (4 for push-button, else 0).
    pub device_password_id: DevicePasswordId,
    /// Station or AP.
    pub role: EnrolleeRole,
    /// Wi-Fi Protected Setup State in M1: 1 (not configured) for a station, the AP's
    /// state (2 = configured) for an AP.
    pub wsc_state: u8,
    /// The whole run must end within this time (wpa_supplicant: 120 s) or fails with
    /// Configuration Error 16.
    pub timeout: Duration,
    /// A Multi-AP backhaul STA (wpa_supplicant's `multi_ap=1` in phase1): M1's WFA
    /// extension carries the Multi-AP subelement with the Backhaul STA flag
    /// ([`WfaExtension::backhaul_sta`]), and the Credentials M8 brings are the backhaul
    /// network's. Default `false`.
    pub asks_for_backhaul: bool,
    /// NFC connection handover (hostapd's `peer_pubkey_hash`): the hash of the
    /// registrar's public key from its handover select. M2's Public Key must have it
    /// (else WSC_NACK with Configuration Error 20), and M2 carries the Credential in
    /// Encrypted Settings: WSC_Done follows, no M3..M8, and
    /// [`password`](Self::password) is not used. `None` (the default): the usual run.
    #[cfg(feature = "nfc")]
    pub registrar_key_hash: Option<PublicKeyHash>,
}

impl EnrolleeConfig {
    /// A station with a PIN or the push-button password (the Device Password ID follows
    /// from it).
    pub fn station(device: DeviceInfo, password: DevicePassword) -> Self {
        let device_password_id = if password.is_pushbutton() {
            DevicePasswordId::PushButton
        } else {
            DevicePasswordId::Default
        };
        EnrolleeConfig {
            device,
            password,
            device_password_id,
            role: EnrolleeRole::Station,
            wsc_state: 1,
            timeout: REGISTRATION_TIMEOUT,
            asks_for_backhaul: false,
            #[cfg(feature = "nfc")]
            registrar_key_hash: None,
        }
    }

    /// A station after an NFC connection handover: M1 carries Device Password ID 7 (and
    /// must carry the key of the handover request: give the run
    /// [`SessionSecrets::with_key_pair`] with it), M2 must carry the key whose hash
    /// `registrar_key_hash` (the handover select's) is, and the Credential.
    #[cfg(feature = "nfc")]
    pub fn handover(device: DeviceInfo, registrar_key_hash: PublicKeyHash) -> Self {
        EnrolleeConfig {
            device_password_id: DevicePasswordId::NfcConnectionHandover,
            registrar_key_hash: Some(registrar_key_hash),
            // Not used: the abbreviated handshake proves no device password.
            ..Self::station(device, DevicePassword::pushbutton())
        }
    }

    /// A configured AP protected by its AP PIN; `current` is what M7 reveals.
    #[cfg(feature = "registrar")]
    pub fn access_point(device: DeviceInfo, ap_pin: DevicePassword, current: Credential) -> Self {
        EnrolleeConfig {
            device,
            password: ap_pin,
            device_password_id: DevicePasswordId::Default,
            role: EnrolleeRole::AccessPoint {
                current,
                lock: ApSetupLock::Unlocked,
            },
            wsc_state: 2,
            timeout: REGISTRATION_TIMEOUT,
            asks_for_backhaul: false,
            #[cfg(feature = "nfc")]
            registrar_key_hash: None,
        }
    }
}

/// Where a run that has not ended stands, with what it has at that point.
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
enum Stage {
    /// M1 not yet built.
    Idle,
    /// M1 sent (`m1`, the first Authenticator's input). `registrar_nonce` is all zero
    /// until an M2D names one, as in hostapd.
    AwaitM2 {
        m1: Vec<u8>,
        registrar_nonce: [u8; 16],
    },
    /// M3 sent: keys and both PSKs.
    AwaitM4 { run: Keyed, psks: Psks },
    /// M5 sent: the first half is proven; PSK2 and R-Hash2 remain to check M6.
    AwaitM6 {
        run: Keyed,
        psk2: Psk,
        r_hash2: [u8; 32],
    },
    /// M7 sent.
    AwaitM8 { run: Keyed },
    /// An AP enrollee sent WSC_Done and waits for the registrar's WSC_ACK.
    AwaitAck { nonces: Nonces },
}

impl Stage {
    fn name(&self) -> &'static str {
        match self {
            Stage::Idle => "Idle",
            Stage::AwaitM2 { .. } => "AwaitM2",
            Stage::AwaitM4 { .. } => "AwaitM4",
            Stage::AwaitM6 { .. } => "AwaitM6",
            Stage::AwaitM8 { .. } => "AwaitM8",
            Stage::AwaitAck { .. } => "AwaitAck",
        }
    }

    /// The nonces a WSC_NACK sent now carries (`own`: N1).
    // One copy for its three callers.
    #[inline(never)]
    fn nonces(&self, own: &[u8; 16]) -> Nonces {
        match self {
            Stage::Idle => Nonces {
                enrollee: *own,
                registrar: [0; 16],
            },
            Stage::AwaitM2 {
                registrar_nonce, ..
            } => Nonces {
                enrollee: *own,
                registrar: *registrar_nonce,
            },
            Stage::AwaitM4 { run, .. } | Stage::AwaitM6 { run, .. } | Stage::AwaitM8 { run } => {
                run.nonces
            }
            Stage::AwaitAck { nonces } => *nonces,
        }
    }

    /// The message this side sent last, for a NACK received now (none before M1).
    fn last_sent(&self) -> Option<MessageType> {
        Some(match self {
            Stage::Idle => return None,
            Stage::AwaitM2 { .. } => MessageType::M1,
            Stage::AwaitM4 { .. } => MessageType::M3,
            Stage::AwaitM6 { .. } => MessageType::M5,
            Stage::AwaitM8 { .. } => MessageType::M7,
            Stage::AwaitAck { .. } => MessageType::WscDone,
        })
    }
}

// Fuzz builds only: the `registration` target snapshots machines mid-run.
// A machine holds one State and a call returns one Step: boxing the large variant would
// only add an allocation per message.
#[allow(clippy::large_enum_variant)]
#[cfg_attr(fuzzing, derive(Clone))]
enum State {
    Running(Stage),
    Finished { success: bool },
}

/// The enrollee side of one registration run.
///
/// Drive it with [`start`](Self::start) (when WSC_Start arrives, or, for an AP, when the
/// external registrar's EAP identity does), then [`handle`](Self::handle) every
/// reassembled WSC message; send back what they return with its op-code. Drain
/// [`poll_event`](Self::poll_event) after each call; call
/// [`handle_timeout`](Self::handle_timeout) when [`poll_timeout`](Self::poll_timeout)
/// has passed. The [module](super) shows a whole run; here, nobody answers M1:
///
/// ```
/// use wps::attr::{MacAddr, Uuid};
/// use wps::pin::DevicePassword;
/// use wps::registration::{
///     DeviceInfo, Enrollee, EnrolleeConfig, Event, FailureReason, OpCode, SessionSecrets,
/// };
/// use wps::time::Instant;
/// let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
/// let pin = DevicePassword::from_bytes(b"12345670")?;
/// let secrets = SessionSecrets::generate(&mut rand::rng());
/// let mut enrollee = Enrollee::new(EnrolleeConfig::station(printer, pin), secrets, Instant::ZERO);
/// let m1 = enrollee.start(Instant::ZERO);
/// assert_eq!(m1.op_code, OpCode::Msg);
/// // At the deadline the run fails as a timeout (Configuration Error 16).
/// let deadline = enrollee.poll_timeout().ok_or("no deadline")?;
/// enrollee.handle_timeout(deadline);
/// let failure = core::iter::from_fn(|| enrollee.poll_event())
///     .find_map(|e| match e { Event::Failure(f) => Some(f), _ => None })
///     .ok_or("no failure")?;
/// assert_eq!(failure.reason, FailureReason::Timeout);
/// assert!(enrollee.is_finished() && !enrollee.is_success());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct Enrollee {
    config: EnrolleeConfig,
    secrets: SessionSecrets,
    state: State,
    deadline: Instant,
    last_sent: Option<MessageType>,
    events: Events,
}

impl core::fmt::Debug for Enrollee {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = match &self.state {
            State::Running(stage) => stage.name(),
            State::Finished { success: true } => "Succeeded",
            State::Finished { success: false } => "Failed",
        };
        f.debug_struct("Enrollee")
            .field("state", &state)
            .field("last_sent", &self.last_sent)
            .finish_non_exhaustive()
    }
}

/// What one received message does to the run.
enum Step {
    /// Send this (if anything) and go on in this stage.
    Continue(Stage, Option<Outgoing>),
    /// Send this and end in success.
    Succeed(Option<Outgoing>),
    /// End in failure, sending `reply` (a NACK) if any.
    Fail(Failure, Option<Outgoing>),
}

/// Ends silently (hostapd's FAILURE: no reply).
// Generic only for the caller's convenience: the conversion, then one shared body.
#[inline(always)]
fn silent(message: Option<MessageType>, reason: impl Into<FailureReason>) -> Step {
    silent_for(message, reason.into())
}

#[inline(never)]
fn silent_for(message: Option<MessageType>, reason: FailureReason) -> Step {
    Step::Fail(
        Failure {
            message,
            config_error: ConfigError::NoError,
            reason,
        },
        None,
    )
}

/// Ends with a WSC_NACK carrying `reason`'s Configuration Error.
#[inline(always)]
fn nack(nonces: Nonces, message: Option<MessageType>, reason: impl Into<FailureReason>) -> Step {
    nack_for(nonces, message, reason.into())
}

#[inline(never)]
fn nack_for(nonces: Nonces, message: Option<MessageType>, reason: FailureReason) -> Step {
    let config_error = reason.nack_config_error();
    Step::Fail(
        Failure {
            message,
            config_error,
            reason,
        },
        Some(nonces.control(MessageType::WscNack, config_error)),
    )
}

/// Queues the event of one Credential attribute's value `raw`, when usable: whether it
/// was. hostapd skips WEP-only credentials and fails on anything else.
// Out of line, on the raw value: the parsed credential is not moved through the loop's
// Results (-500 B on the Cortex-M4).
#[inline(never)]
fn queue_credential(events: &mut Events, raw: &[u8]) -> Result<bool, ()> {
    let parsed = message::CredentialRef::parse(raw).map_err(drop)?;
    match Credential::try_from(parsed) {
        Ok(c) => {
            events.push(Event::Credential(c));
            Ok(true)
        }
        Err(CredentialError::Invalid(message::CredentialError::WepOnly)) => Ok(false),
        Err(_) => Err(()),
    }
}

fn reply(t: MessageType, bytes: Vec<u8>) -> Outgoing {
    Outgoing {
        op_code: OpCode::for_message(t),
        message_type: t,
        bytes,
    }
}

impl Enrollee {
    /// A new run; `now` starts the overall timeout.
    // Out of line: each driver that starts runs had its own copy.
    #[inline(never)]
    pub fn new(config: EnrolleeConfig, secrets: SessionSecrets, now: Instant) -> Self {
        let deadline = now.saturating_add(config.timeout);
        Enrollee {
            config,
            secrets,
            state: State::Running(Stage::Idle),
            deadline,
            last_sent: None,
            events: Events::default(),
        }
    }

    /// Builds M1 (the same bytes every time it is called before M2 arrives).
    // Out of line: inlined into a driver's one large function, it tipped LLVM's other
    // inlining choices there (+250 B on the Cortex-M4).
    #[inline(never)]
    pub fn start(&mut self, _now: Instant) -> Outgoing {
        let c = &self.config;
        let dev = &c.device;
        let d = dev.described();
        let association = u16::from(AssociationState::NotAssociated).to_be_bytes();
        let password_id = u16::from(c.device_password_id).to_be_bytes();
        let no_error = u16::from(ConfigError::NoError).to_be_bytes();
        // wpa_supplicant's order: Version2, then Multi-AP, in the one WFA extension.
        let wfa = if c.asks_for_backhaul {
            WfaExtension::backhaul_sta()
        } else {
            VERSION2_ONLY
        };
        // hostapd's order, as `message::M1` writes it (a test compares the two): one
        // writer for every message the machines send takes less flash than M1's own.
        let bytes = write_message(
            MessageType::M1,
            &[
                &[
                    (AttrType::UuidE, &dev.uuid.0),
                    (AttrType::MacAddress, &dev.mac.0),
                    (AttrType::EnrolleeNonce, &self.secrets.nonce),
                    (AttrType::PublicKey, self.secrets.dh.public_key_ref()),
                ],
                &d.capabilities(),
                &[(AttrType::WscState, &[c.wsc_state])],
                &d.identity(),
                &[
                    d.rf_bands(),
                    (AttrType::AssociationState, &association),
                    (AttrType::DevicePasswordId, &password_id),
                    (AttrType::ConfigurationError, &no_error),
                    d.os_version(),
                ],
            ],
            &wfa,
        );
        // Again before M2: the new M1 is kept, with any R-Nonce an M2D named.
        if let State::Running(stage @ (Stage::Idle | Stage::AwaitM2 { .. })) = &mut self.state {
            let registrar_nonce = match stage {
                Stage::AwaitM2 {
                    registrar_nonce, ..
                } => *registrar_nonce,
                _ => [0; 16],
            };
            *stage = Stage::AwaitM2 {
                m1: bytes.clone(),
                registrar_nonce,
            };
        }
        self.last_sent = Some(MessageType::M1);
        reply(MessageType::M1, bytes)
    }

    /// Processes one received WSC message; returns the reply to send, if any.
    pub fn handle(&mut self, msg: &[u8], now: Instant) -> Option<Outgoing> {
        if self.is_finished() {
            return None;
        }
        if now >= self.deadline {
            self.handle_timeout(now);
            return None;
        }
        let State::Running(stage) =
            core::mem::replace(&mut self.state, State::Finished { success: false })
        else {
            return None;
        };
        let (out, state) = match self.process(stage, msg) {
            Step::Continue(stage, out) => (out, State::Running(stage)),
            Step::Succeed(out) => {
                self.events.push(Event::Success);
                (out, State::Finished { success: true })
            }
            Step::Fail(f, out) => {
                self.events.push(Event::Failure(f));
                (out, State::Finished { success: false })
            }
        };
        self.state = state;
        self.sent(out)
    }

    super::session::machine_polls!();

    /// Fails the run with Configuration Error 16 once its deadline has passed.
    pub fn handle_timeout(&mut self, now: Instant) {
        if !self.is_finished() && now >= self.deadline {
            self.finish_failure(Failure {
                message: self.last_sent,
                config_error: ConfigError::MessageTimeout,
                reason: FailureReason::Timeout,
            });
        }
    }

    /// Ends the run now (e.g. the EAP layer gave up); a failure event is queued.
    pub fn abort(&mut self) {
        if !self.is_finished() {
            self.finish_failure(Failure {
                message: None,
                config_error: ConfigError::NoError,
                reason: FailureReason::Aborted,
            });
        }
    }

    /// Whether the run has ended.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished { .. })
    }

    /// Whether the run ended in success.
    pub fn is_success(&self) -> bool {
        matches!(self.state, State::Finished { success: true })
    }

    fn is_ap(&self) -> bool {
        self.ap().is_some()
    }

    /// An AP enrollee's current settings and lock.
    fn ap(&self) -> Option<(&Credential, ApSetupLock)> {
        match &self.config.role {
            #[cfg(feature = "registrar")]
            EnrolleeRole::AccessPoint { current, lock } => Some((current, *lock)),
            EnrolleeRole::Station => None,
        }
    }

    fn finish_failure(&mut self, f: Failure) {
        self.state = State::Finished { success: false };
        self.events.push(Event::Failure(f));
    }

    /// hostapd's `wps_enrollee_process_msg`: the checks every message passes, then the
    /// one for its type and this stage.
    fn process(&mut self, stage: Stage, msg: &[u8]) -> Step {
        let env = match Envelope::parse(msg) {
            Ok(env) => env,
            Err(e) => return silent(None, MessageError::Attr(e)),
        };
        match env.message_type {
            Some(MessageType::WscAck) => return self.process_ack(stage, &env),
            Some(MessageType::WscNack) => return self.process_nack(stage, &env),
            _ => {}
        }
        // Every WSC_MSG must carry our nonce; anything else is silently dropped.
        if env.enrollee_nonce != Some(&self.secrets.nonce) {
            return silent(env.message_type, PeerMisbehaved::NonceMismatch);
        }
        let mut nonces = stage.nonces(&self.secrets.nonce);
        let Some(t) = env.message_type else {
            return nack(nonces, None, MessageError::Missing(AttrType::MessageType));
        };
        let processed = match (t, stage) {
            (MessageType::M2, Stage::AwaitM2 { m1, .. }) => {
                // hostapd stores N2 before its other checks: a NACK to a bad M2 has it.
                if let Some(n) = env.registrar_nonce {
                    nonces.registrar = *n;
                }
                self.process_m2(msg, m1, nonces)
            }
            (
                MessageType::M2D,
                Stage::AwaitM2 {
                    m1,
                    registrar_nonce,
                },
            ) => return self.process_m2d(msg, m1, registrar_nonce),
            (MessageType::M4, Stage::AwaitM4 { run, psks }) => self.process_m4(msg, run, psks),
            (MessageType::M6, Stage::AwaitM6 { run, psk2, r_hash2 }) => {
                self.process_m6(msg, run, psk2, &r_hash2)
            }
            (MessageType::M8, Stage::AwaitM8 { run }) => self.process_m8(msg, run),
            (
                MessageType::M2
                | MessageType::M2D
                | MessageType::M4
                | MessageType::M6
                | MessageType::M8,
                other,
            ) => {
                // One out-of-line drop of the whole stage, not one inlined per shape.
                drop(other);
                Err(PeerMisbehaved::UnexpectedMessage(t).into())
            }
            (_, other) => {
                drop(other);
                return silent(Some(t), PeerMisbehaved::UnexpectedMessage(t));
            }
        };
        // A message of this run that fails its checks is answered with a WSC_NACK.
        processed.unwrap_or_else(|reason| nack(nonces, Some(t), reason))
    }

    /// Whether the registrar's Device Password ID answers ours: the same, or a PIN ID
    /// for our push-button M1 (hostapd tolerates that).
    fn password_id_acceptable(&self, id: DevicePasswordId) -> bool {
        let own = self.config.device_password_id;
        id == own || (own == DevicePasswordId::PushButton && id == DevicePasswordId::Default)
    }

    fn locked(&self) -> bool {
        matches!(self.ap(), Some((_, ApSetupLock::Locked)))
    }

    /// Why an M2 that lacks an attribute [`M2`](crate::message::M2) requires fails
    /// (`id`: its Device Password ID). hostapd checks R-Nonce, UUID-R and the Device
    /// Password ID first, then an AP's lock (15), then the Public Key, the
    /// Authenticator and the device attributes: a locked AP answers 15 to an M2 that
    /// only lacks one of the latter.
    fn m2_parse_failure(&self, id: Option<DevicePasswordId>, e: MessageError) -> FailureReason {
        let checked_after_lock = matches!(
            e,
            MessageError::Missing(
                AttrType::PublicKey
                    | AttrType::Authenticator
                    | AttrType::Manufacturer
                    | AttrType::ModelName
                    | AttrType::ModelNumber
                    | AttrType::SerialNumber
                    | AttrType::PrimaryDeviceType
                    | AttrType::DeviceName
            )
        );
        if checked_after_lock
            && self.locked()
            && id.is_some_and(|id| self.password_id_acceptable(id))
        {
            Refusal::SetupLocked.into()
        } else {
            e.into()
        }
    }

    fn process_m2(
        &mut self,
        msg: &[u8],
        m1: Vec<u8>,
        nonces: Nonces,
    ) -> Result<Step, FailureReason> {
        // Its errors are none of those hostapd checks after the lock.
        let received = M2OrM2d::parse_received(msg, MessageType::M2)?;
        let m2 = received
            .m2()
            .map_err(|e| self.m2_parse_failure(received.device_password_id, e))?;
        if !self.password_id_acceptable(m2.device_password_id) {
            return Err(PeerMisbehaved::DevicePasswordIdMismatch.into());
        }
        if self.locked() {
            return Err(Refusal::SetupLocked.into());
        }
        // hostapd checks the handover select's hash before it derives the keys.
        #[cfg(feature = "nfc")]
        if let Some(hash) = &self.config.registrar_key_hash {
            hash.verify(m2.public_key)
                .map_err(|_| PeerMisbehaved::PublicKeyHashMismatch)?;
        }
        let mut run = Keyed::derive(
            &self.secrets,
            nonces,
            m2.public_key,
            &self.config.device.mac,
            m1,
        )
        .map_err(PeerMisbehaved::PublicKey)?;
        run.verify_authenticator(msg)?;
        #[cfg(feature = "nfc")]
        if self.config.registrar_key_hash.is_some() {
            return self.process_abbreviated_m2(&run, m2.encrypted_settings);
        }
        run.accept(msg);
        // M3: PSKs, E-Hashes.
        let psks = run.psks(self.config.password.as_bytes());
        let h1 = run.own_hash(&self.secrets, Side::Enrollee, Half::First, &psks.first);
        let h2 = run.own_hash(&self.secrets, Side::Enrollee, Half::Second, &psks.second);
        let bytes = run.sealed_message(
            Side::Enrollee,
            MessageType::M3,
            &[(AttrType::EHash1, &h1), (AttrType::EHash2, &h2)],
        );
        Ok(Step::Continue(
            Stage::AwaitM4 { run, psks },
            Some(reply(MessageType::M3, bytes)),
        ))
    }

    /// NFC connection handover: M2's Encrypted Settings hold the Credential(s); the
    /// station takes them and ends with WSC_Done (hostapd's `wps_process_m2` with
    /// `peer_pubkey_hash_set`).
    #[cfg(feature = "nfc")]
    fn process_abbreviated_m2(
        &mut self,
        run: &Keyed,
        encrypted_settings: Option<&[u8]>,
    ) -> Result<Step, FailureReason> {
        let es = encrypted_settings.ok_or(MessageError::Missing(AttrType::EncryptedSettings))?;
        let plain = run.decrypt(es)?;
        self.deliver_station_credentials(&M8Settings::parse(&plain)?)?;
        let done = run
            .nonces
            .control(MessageType::WscDone, ConfigError::NoError);
        Ok(Step::Succeed(Some(done)))
    }

    fn process_m2d(&mut self, msg: &[u8], m1: Vec<u8>, registrar_nonce: [u8; 16]) -> Step {
        let own = self.secrets.nonce;
        let m2d = match M2OrM2d::parse_received(msg, MessageType::M2D) {
            Ok(m) => m,
            Err(e) => {
                let nonces = Nonces {
                    enrollee: own,
                    registrar: registrar_nonce,
                };
                return nack(nonces, Some(MessageType::M2D), e);
            }
        };
        let info = M2dInfo {
            config_error: m2d.config_error.unwrap_or(ConfigError::NoError),
            device_password_id: m2d.device_password_id,
            config_methods: m2d.config_methods.unwrap_or(ConfigMethods::from(0)),
            identity: m2d.device.ok().map(DeviceIdentity::from),
        };
        let nonces = Nonces {
            enrollee: own,
            registrar: m2d.registrar_nonce.copied().unwrap_or(registrar_nonce),
        };
        self.events.push(Event::M2d(info));
        if self.is_ap() {
            // An AP enrollee does not wait for another registrar.
            return nack(nonces, Some(MessageType::M2D), Refusal::NoPassword);
        }
        // M1 stays the Authenticator's input: a later M2 is authenticated against it.
        Step::Continue(
            Stage::AwaitM2 {
                m1,
                registrar_nonce: nonces.registrar,
            },
            Some(nonces.control(MessageType::WscAck, ConfigError::NoError)),
        )
    }

    /// Checks R-Hash1 or R-Hash2 against the R-S the registrar revealed; a mismatch is
    /// also reported as [`Event::PasswordAuthFailure`] for that half.
    fn check_registrar_hash(
        &mut self,
        run: &Keyed,
        half: Half,
        psk: &Psk,
        r_snonce: &[u8; 16],
        r_hash: &[u8; 32],
    ) -> Result<(), FailureReason> {
        let checked =
            run.verify_peer_hash(&self.secrets, Side::Enrollee, half, psk, r_snonce, r_hash);
        if checked.is_err() {
            self.events.push(Event::PasswordAuthFailure {
                half: half.number(),
            });
        }
        checked
    }

    fn process_m4(
        &mut self,
        msg: &[u8],
        mut run: Keyed,
        psks: Psks,
    ) -> Result<Step, FailureReason> {
        let m4 = M4::parse_received(msg)?;
        let plain = run.open_settings(msg, m4.encrypted_settings)?;
        let inner = M4Settings::parse(&plain)?;
        self.check_registrar_hash(&run, Half::First, &psks.first, inner.r_snonce1, m4.r_hash1)?;
        run.accept(msg);
        let es = run.encrypted_secret_nonce(&self.secrets, Side::Enrollee, Half::First);
        let bytes = run.sealed_message(
            Side::Enrollee,
            MessageType::M5,
            &[(AttrType::EncryptedSettings, &es)],
        );
        let Psks { second, .. } = psks;
        Ok(Step::Continue(
            Stage::AwaitM6 {
                run,
                psk2: second,
                r_hash2: *m4.r_hash2,
            },
            Some(reply(MessageType::M5, bytes)),
        ))
    }

    fn process_m6(
        &mut self,
        msg: &[u8],
        mut run: Keyed,
        psk2: Psk,
        r_hash2: &[u8; 32],
    ) -> Result<Step, FailureReason> {
        let m6 = M6::parse_received(msg)?;
        let plain = run.open_settings(msg, m6.encrypted_settings)?;
        let inner = M6Settings::parse(&plain)?;
        self.check_registrar_hash(&run, Half::Second, &psk2, inner.r_snonce2, r_hash2)?;
        if self.is_ap() {
            self.events.push(Event::ApPinSuccess);
        }
        run.accept(msg);
        let es = match self.ap() {
            Some((current, _)) => {
                let [_, e_snonce2] = &self.secrets.secret_nonces;
                let [_, iv, _] = &self.secrets.ivs;
                let settings = M7Settings::with_ap_settings(e_snonce2, &current.to_message());
                run.encrypt(iv, |out| settings.emit(out))
            }
            None => run.encrypted_secret_nonce(&self.secrets, Side::Enrollee, Half::Second),
        };
        let bytes = run.sealed_message(
            Side::Enrollee,
            MessageType::M7,
            &[(AttrType::EncryptedSettings, &es)],
        );
        Ok(Step::Continue(
            Stage::AwaitM8 { run },
            Some(reply(MessageType::M7, bytes)),
        ))
    }

    /// Queues an event per usable credential of M8's settings; how many.
    fn queue_credentials(&mut self, inner: &M8Settings<'_>) -> Result<usize, ()> {
        let mut n = 0usize;
        // A parsed plaintext's Credentials are all raw values (no list of built ones).
        for raw in inner.credentials.raw_values() {
            if queue_credential(&mut self.events, raw)? {
                n = n.saturating_add(1);
            }
        }
        Ok(n)
    }

    /// A station's Credential events from M8's (or a handover M2's) settings, straight
    /// into the queue (no second list of them on a small heap): hostapd skips WEP-only
    /// credentials and fails on anything else, or on none at all; a bad credential takes
    /// back those queued before it.
    fn deliver_station_credentials(&mut self, inner: &M8Settings<'_>) -> Result<(), FailureReason> {
        let before = self.events.len();
        if !matches!(self.queue_credentials(inner), Ok(n) if n > 0) {
            self.events.truncate(before);
            return Err(PeerMisbehaved::BadSettings.into());
        }
        Ok(())
    }

    fn process_m8(&mut self, msg: &[u8], run: Keyed) -> Result<Step, FailureReason> {
        let locked = matches!(self.ap(), Some((_, lock)) if lock != ApSetupLock::Unlocked);
        // hostapd checks the Authenticator, then the lock (15), then opens the settings.
        let m8 = match M8::parse_received(msg) {
            Ok(m8) => m8,
            Err(MessageError::Missing(AttrType::EncryptedSettings)) if locked => {
                run.verify_authenticator(msg)?;
                return Err(Refusal::SetupLocked.into());
            }
            Err(e) => return Err(e.into()),
        };
        run.verify_authenticator(msg)?;
        if locked {
            return Err(Refusal::SetupLocked.into());
        }
        self.deliver_m8_settings(&run.decrypt(m8.encrypted_settings)?)?;
        // The run's keys and kept messages go before the reply is built: on a small
        // heap this is the enrollee's peak.
        let nonces = run.nonces;
        drop(run);
        let done = nonces.control(MessageType::WscDone, ConfigError::NoError);
        if self.is_ap() {
            Ok(Step::Continue(Stage::AwaitAck { nonces }, Some(done)))
        } else {
            // A station does not wait for anything after WSC_Done.
            Ok(Step::Succeed(Some(done)))
        }
    }

    /// Queues what M8's decrypted settings deliver: the new AP settings (an AP), or an
    /// event per usable credential (a station).
    fn deliver_m8_settings(&mut self, plain: &[u8]) -> Result<(), FailureReason> {
        let inner = M8Settings::parse(plain)?;
        let bad = || FailureReason::from(PeerMisbehaved::BadSettings);
        if self.is_ap() {
            let settings = inner
                .ap_settings()
                .and_then(Result::ok)
                .and_then(|c| Credential::try_from(c).ok())
                .ok_or_else(bad)?;
            self.events.push(Event::NewApSettings(settings));
        } else {
            self.deliver_station_credentials(&inner)?;
        }
        Ok(())
    }

    /// A WSC_ACK holds only both nonces: its envelope has all a parser of `Ack`
    /// would read (a nonce missing there is one that does not match).
    fn process_ack(&mut self, stage: Stage, env: &Envelope<'_>) -> Step {
        let n = stage.nonces(&self.secrets.nonce);
        let nonces_ok =
            env.enrollee_nonce == Some(&n.enrollee) && env.registrar_nonce == Some(&n.registrar);
        let awaited = matches!(stage, Stage::AwaitAck { .. });
        drop(stage);
        match (awaited, nonces_ok) {
            (true, true) => Step::Succeed(None),
            (false, true) => silent(
                Some(MessageType::WscAck),
                PeerMisbehaved::UnexpectedMessage(MessageType::WscAck),
            ),
            (_, false) => silent(Some(MessageType::WscAck), PeerMisbehaved::NonceMismatch),
        }
    }

    /// Read from the envelope, as a WSC_ACK is.
    fn process_nack(&mut self, stage: Stage, env: &Envelope<'_>) -> Step {
        let nonces = stage.nonces(&self.secrets.nonce);
        // A station (EAP peer) answers with its own NACK; an AP ends with EAP-Failure.
        let (f, reply) = nack_received(env, &nonces, stage.last_sent(), true, !self.is_ap());
        Step::Fail(f, reply)
    }
}

// M1 as the message layer's struct writes it.
#[cfg(test)]
mod m1_tests {
    use super::*;
    use crate::attr::WscState;
    use crate::message::M1;
    use crate::registration::device::any_device;
    use crate::registration::session::ours;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn start_writes_what_the_m1_struct_writes(
            device in any_device(),
            password_id in any::<u16>(),
            wsc_state in any::<u8>(),
            pushbutton in any::<bool>(),
            asks_for_backhaul in any::<bool>(),
        ) {
            let password = if pushbutton {
                DevicePassword::pushbutton()
            } else {
                DevicePassword::from_bytes(b"12345670").unwrap()
            };
            let mut config = EnrolleeConfig::station(device.clone(), password);
            config.device_password_id = DevicePasswordId::from(password_id);
            config.wsc_state = wsc_state;
            config.asks_for_backhaul = asks_for_backhaul;
            let secrets = SessionSecrets::from_parts(&[9; 25], [1; 16], [[2; 16]; 2], [[3; 16]; 3])
                .unwrap();
            let public_key = *secrets.public_key();
            let mut e = Enrollee::new(config, secrets, Instant::ZERO);
            let dev = &device;
            let mut m1 = ours!(M1 {
                uuid_e: dev.uuid,
                mac_address: dev.mac,
                enrollee_nonce: &[1; 16],
                public_key: &public_key,
                auth_type_flags: dev.auth_type_flags,
                encr_type_flags: dev.encr_type_flags,
                connection_type_flags: dev.connection_type_flags,
                config_methods: dev.config_methods,
                wsc_state: WscState::from(wsc_state),
                device: dev.attrs(),
                rf_bands: dev.rf_bands,
                association_state: AssociationState::NotAssociated,
                device_password_id: DevicePasswordId::from(password_id),
                config_error: ConfigError::NoError,
                os_version: dev.os_version_attr(),
            });
            if asks_for_backhaul {
                m1.wfa = Some(WfaExtension::backhaul_sta());
            }
            let mut want = Vec::new();
            prop_assert_eq!(m1.emit(&mut want), Ok(()));
            prop_assert_eq!(e.start(Instant::ZERO).bytes, want);
        }
    }
}

// Runs the enrollee against the registrar.
#[cfg(test)]
#[cfg(feature = "registrar")]
mod tests {
    use super::*;
    use crate::attr::{MacAddr, Uuid};
    use crate::registration::session::build;
    use crate::registration::{
        FixedPassword, NetworkSettings, PasswordLookup, PasswordOutcome, PasswordRequest,
        PasswordSource, RegistrarConfig, RegistrarSession,
    };

    /// Hands out its password for any request.
    struct Any(DevicePassword);

    impl PasswordSource for Any {
        fn acquire(&mut self, _: &PasswordRequest, _: Instant) -> PasswordLookup {
            PasswordLookup::Found(self.0.clone())
        }
        fn release(&mut self, _: PasswordOutcome, _: Instant) {}
    }

    fn secrets(seed: u8) -> SessionSecrets {
        SessionSecrets::from_parts(
            &[seed; 25],
            [seed; 16],
            [[seed ^ 1; 16]; 2],
            [[seed ^ 2; 16]; 3],
        )
        .unwrap()
    }

    fn device(n: u8) -> DeviceInfo {
        DeviceInfo::new(Uuid([n; 16]), MacAddr([2, 0, 0, 0, 0, n]), "dev")
    }

    fn network(ssid: &[u8]) -> NetworkSettings {
        NetworkSettings::wpa2_personal(ssid, b"correct horse battery").unwrap()
    }

    /// Relays between the two until one has nothing to say; returns the last message
    /// the enrollee received (not handled if `stop_at` matched it).
    fn relay(
        e: &mut Enrollee,
        r: &mut RegistrarSession,
        first: Outgoing,
        pw: &mut dyn PasswordSource,
        stop_at: MessageType,
    ) -> Option<Outgoing> {
        let now = Instant::ZERO;
        let mut to_r = first;
        loop {
            let to_e = r.handle(&to_r.bytes, now, pw)?;
            if to_e.message_type == stop_at {
                return Some(to_e);
            }
            to_r = e.handle(&to_e.bytes, now)?;
        }
    }

    /// An enrollee run against a registrar until M8, which it has not received.
    fn awaiting_m8(
        config: EnrolleeConfig,
        registrar: RegistrarConfig,
        pin: DevicePassword,
    ) -> Enrollee {
        let now = Instant::ZERO;
        let mut e = Enrollee::new(config, secrets(5), now);
        let mut r = RegistrarSession::new(registrar, secrets(9), now);
        let m1 = e.start(now);
        let m8 = relay(
            &mut e,
            &mut r,
            m1,
            &mut FixedPassword::new(pin),
            MessageType::M8,
        );
        assert!(m8.is_some());
        e
    }

    /// An M8 for `e` (awaiting it): Version, Message Type, Enrollee Nonce, what `rest`
    /// writes, and an Authenticator made with the run's keys.
    fn sealed_m8(
        e: &mut Enrollee,
        rest: impl FnOnce(&mut Vec<u8>) -> Result<(), crate::tlv::WriteError>,
    ) -> Vec<u8> {
        let State::Running(Stage::AwaitM8 { run }) = &mut e.state else {
            panic!("not at M8");
        };
        let nonces = run.nonces;
        let m8 = build(|out| {
            crate::tlv::write_u8(out, AttrType::Version.to_u16(), 0x10)?;
            crate::tlv::write_u8(out, AttrType::MessageType.to_u16(), MessageType::M8.into())?;
            crate::tlv::write_tlv(out, AttrType::EnrolleeNonce.to_u16(), &nonces.enrollee)?;
            rest(out)
        });
        let m7 = run.previous().to_vec();
        let m8 = run.seal(m8);
        run.accept(&m7);
        m8
    }

    #[test]
    fn an_ap_enrollee_ends_on_an_ack_with_both_of_its_nonces() {
        let now = Instant::ZERO;
        let pin = DevicePassword::from_bytes(b"12345670").unwrap();
        let current = Credential::new(network(b"old"), device(1).mac);
        for registrar_nonce in [true, false] {
            let config = EnrolleeConfig::access_point(device(1), pin.clone(), current.clone());
            let registrar = RegistrarConfig::external(device(2), Some(network(b"new")));
            let mut e = Enrollee::new(config, secrets(5), now);
            let mut r = RegistrarSession::new(registrar, secrets(9), now);
            let m1 = e.start(now);
            let mut pw = FixedPassword::new(pin.clone());
            assert!(relay(&mut e, &mut r, m1, &mut pw, MessageType::WscAck).is_some());
            let State::Running(Stage::AwaitAck { nonces }) = &e.state else {
                panic!("not awaiting the ACK");
            };
            // The registrar's ACK, with or without its Registrar Nonce.
            let ack = build(|out| {
                crate::tlv::write_u8(out, AttrType::Version.to_u16(), 0x10)?;
                crate::tlv::write_u8(out, AttrType::MessageType.to_u16(), 0x0D)?;
                crate::tlv::write_tlv(out, AttrType::EnrolleeNonce.to_u16(), &nonces.enrollee)?;
                if registrar_nonce {
                    let t = AttrType::RegistrarNonce.to_u16();
                    crate::tlv::write_tlv(out, t, &nonces.registrar)?;
                }
                Ok(())
            });
            assert!(e.handle(&ack, now).is_none());
            let last = core::iter::from_fn(|| e.poll_event()).last();
            if registrar_nonce {
                assert_eq!(last, Some(Event::Success));
            } else {
                let Some(Event::Failure(f)) = last else {
                    panic!("no failure: {last:?}");
                };
                assert_eq!(f.reason, PeerMisbehaved::NonceMismatch.into());
            }
        }
    }

    #[test]
    fn read_only_ap_answers_15_to_an_authentic_m8_without_encrypted_settings() {
        let pin = DevicePassword::from_bytes(b"12345670").unwrap();
        let mut config = EnrolleeConfig::access_point(
            device(1),
            pin.clone(),
            Credential::new(network(b"old"), device(1).mac),
        );
        config.role = EnrolleeRole::AccessPoint {
            current: Credential::new(network(b"old"), device(1).mac),
            lock: ApSetupLock::ReadOnly,
        };
        let registrar = RegistrarConfig::external(device(2), Some(network(b"new")));
        let mut e = awaiting_m8(config, registrar, pin);
        // An M8 with no Encrypted Settings.
        let bare = sealed_m8(&mut e, |_| Ok(()));
        let nack = e.handle(&bare, Instant::ZERO).unwrap();
        assert_eq!(nack.message_type, MessageType::WscNack);
        let Some(Event::Failure(f)) = core::iter::from_fn(|| e.poll_event()).last() else {
            panic!("no failure");
        };
        assert_eq!(
            (f.config_error, f.reason),
            (ConfigError::SetupLocked, Refusal::SetupLocked.into())
        );
    }

    #[test]
    fn a_bad_credential_after_a_good_one_delivers_none() {
        let pin = DevicePassword::from_bytes(b"12345670").unwrap();
        let registrar = RegistrarConfig::internal(device(2), alloc::vec![network(b"home")]);
        let mut e = awaiting_m8(
            EnrolleeConfig::station(device(1), pin.clone()),
            registrar,
            pin,
        );
        let State::Running(Stage::AwaitM8 { run }) = &e.state else {
            panic!("not at M8");
        };
        // Settings with a usable credential, then one that cannot be read.
        let home = network(b"home");
        let es = run.encrypt(&[7; 16], |out| {
            home.to_message(device(1).mac, 1).emit_attribute(out)?;
            crate::tlv::write_tlv(out, AttrType::Credential.to_u16(), &[0xff])
        });
        let m8 = sealed_m8(&mut e, |out| {
            crate::tlv::write_tlv(out, AttrType::EncryptedSettings.to_u16(), &es)
        });
        let nack = e.handle(&m8, Instant::ZERO).unwrap();
        assert_eq!(nack.message_type, MessageType::WscNack);
        let events: Vec<Event> = core::iter::from_fn(|| e.poll_event()).collect();
        assert!(
            !events.iter().any(|ev| matches!(ev, Event::Credential(_))),
            "{events:?}"
        );
        assert!(matches!(
            events.last(),
            Some(Event::Failure(Failure {
                reason: FailureReason::PeerMisbehaved(PeerMisbehaved::BadSettings),
                ..
            }))
        ));
    }

    /// `m1` with its Device Password ID replaced by `id`, and the enrollee made to
    /// remember that M1 (both Authenticators cover the M1 the registrar saw).
    #[allow(clippy::arithmetic_side_effects)]
    fn with_password_id(e: &mut Enrollee, m1: &[u8], id: u16) -> Vec<u8> {
        let t = AttrType::DevicePasswordId.to_u16().to_be_bytes();
        let at = m1.windows(4).position(|w| w == [t[0], t[1], 0, 2]).unwrap();
        let mut changed = m1.to_vec();
        changed.splice(at + 4..at + 6, id.to_be_bytes());
        let State::Running(Stage::AwaitM2 { m1: kept, .. }) = &mut e.state else {
            panic!("not at M2");
        };
        kept.clone_from(&changed);
        changed
    }

    /// A station enrollee with `password` and an internal registrar handing out "home".
    fn station_and_registrar(
        password: DevicePassword,
        now: Instant,
    ) -> (Enrollee, RegistrarSession) {
        let e = Enrollee::new(
            EnrolleeConfig::station(device(1), password),
            secrets(5),
            now,
        );
        let r = RegistrarSession::new(
            RegistrarConfig::internal(device(2), alloc::vec![network(b"home")]),
            secrets(9),
            now,
        );
        (e, r)
    }

    #[test]
    fn a_wrong_half_is_reported_with_its_number() {
        let now = Instant::ZERO;
        for (registrar_pin, half) in [(&b"87654325"[..], 1), (b"12349998", 2)] {
            let pin = DevicePassword::from_bytes(b"12345670").unwrap();
            let (mut e, mut r) = station_and_registrar(pin, now);
            let theirs = DevicePassword::from_bytes(registrar_pin).unwrap();
            let m1 = e.start(now);
            relay(
                &mut e,
                &mut r,
                m1,
                &mut Any(theirs),
                MessageType::Unknown(0),
            );
            let reported: Vec<Event> = core::iter::from_fn(|| e.poll_event()).collect();
            assert!(
                reported.contains(&Event::PasswordAuthFailure { half }),
                "{reported:?}"
            );
        }
    }

    #[test]
    fn a_pin_id_answers_a_pushbutton_m1() {
        // hostapd's enrollee takes an M2 with Device Password ID 0 for its PBC M1.
        let pbc = DevicePassword::pushbutton();
        let now = Instant::ZERO;
        let (mut e, mut r) = station_and_registrar(pbc.clone(), now);
        let m1 = e.start(now);
        // The registrar sees Device Password ID 0 (PIN); the enrollee's M1 said 4.
        let as_pin = with_password_id(&mut e, &m1.bytes, 0);
        let first = Outgoing {
            bytes: as_pin,
            ..m1
        };
        relay(
            &mut e,
            &mut r,
            first,
            &mut Any(pbc),
            MessageType::Unknown(0),
        );
        assert!(e.is_success() && r.is_success());
        // And an M2 for another kind of password is refused.
        let pin = DevicePassword::from_bytes(b"12345670").unwrap();
        let (mut e, mut r) = station_and_registrar(pin, now);
        let m1 = e.start(now);
        let as_pbc = with_password_id(&mut e, &m1.bytes, 4);
        let m2 = r
            .handle(
                &as_pbc,
                now,
                &mut FixedPassword::new(DevicePassword::pushbutton()),
            )
            .unwrap();
        let nack = e.handle(&m2.bytes, now).unwrap();
        assert_eq!(nack.message_type, MessageType::WscNack);
        let Some(Event::Failure(f)) = core::iter::from_fn(|| e.poll_event()).last() else {
            panic!("no failure");
        };
        assert_eq!(f.reason, PeerMisbehaved::DevicePasswordIdMismatch.into());
    }
}
