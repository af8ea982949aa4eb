//! The Registrar side of one run: an AP's internal registrar, or an external registrar
//! reading or configuring an AP.

use alloc::vec::Vec;
use core::time::Duration;

use super::PasswordOutcome;
use super::REGISTRATION_TIMEOUT;
use super::device::{Credential, DeviceInfo, NetworkSettings};
use super::multi_ap::MultiApSettings;
use super::password::{PasswordLookup, PasswordRequest, PasswordSource};
use super::secrets::SessionSecrets;
use super::session::{
    Attr, Event, Events, Failure, FailureReason, Half, Keyed, Nonces, OpCode, Outgoing,
    PeerMisbehaved, Psks, Refusal, Side, VERSION2_ONLY, nack_received, write_message,
};
use crate::attr::{
    AssociationState, AttrType, ConfigError, DevicePasswordId, MacAddr, MessageType, Uuid,
};
use crate::crypto::Psk;
use crate::message::{
    self, Envelope, M1, M3, M5, M5Settings, M7, M7Settings, M8Settings, MessageError,
};
#[cfg(feature = "nfc")]
use crate::nfc::oob::emit_abbreviated_m2_settings;
use crate::pin::DevicePassword;
use crate::time::Instant;
use crate::tlv;

/// What the registrar does with the enrollee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrarRole {
    /// An AP's internal registrar: M8 carries one Credential per network (its MAC
    /// Address is the enrollee's).
    Internal {
        /// The networks handed out, in order.
        networks: Vec<NetworkSettings>,
        /// A Multi-AP fronthaul BSS's registrar: an M1 asking for the backhaul network
        /// gets the backhaul Credential alone instead of `networks`, as hostapd's
        /// ([`MultiApSettings::credential_for`]).
        multi_ap: Option<MultiApSettings>,
    },
    /// An external registrar talking to an AP enrollee with the AP PIN: M7 reveals the
    /// AP's settings ([`Event::ApSettings`]); with `new_settings` they are replaced in M8
    /// (flat, no Credential wrapper), without them the run ends after M7 with a NACK
    /// (Configuration Error 0), as wpa_supplicant does. With the `enrollee` feature: an
    /// external registrar runs inside [`station::Station`](crate::station::Station) (or
    /// the UPnP external registrar), which needs it, so that a router (`registrar` alone)
    /// links none of it.
    #[cfg(feature = "enrollee")]
    External {
        /// The AP's new settings, or `None` to only read them.
        new_settings: Option<NetworkSettings>,
    },
}

/// How a [`RegistrarSession`] runs.
#[derive(Debug, Clone)]
pub struct RegistrarConfig {
    /// What goes into M2 / M2D.
    pub device: DeviceInfo,
    /// Internal or external registrar.
    pub role: RegistrarRole,
    /// The whole run must end within this time.
    pub timeout: Duration,
}

impl RegistrarConfig {
    /// An AP's internal registrar handing out `networks`.
    pub fn internal(device: DeviceInfo, networks: Vec<NetworkSettings>) -> Self {
        RegistrarConfig {
            device,
            role: RegistrarRole::Internal {
                networks,
                multi_ap: None,
            },
            timeout: REGISTRATION_TIMEOUT,
        }
    }

    /// A Multi-AP AP's internal registrar: `networks` for ordinary enrollees, the
    /// backhaul network of `multi_ap` for a backhaul STA that asks for it.
    pub fn internal_multi_ap(
        device: DeviceInfo,
        networks: Vec<NetworkSettings>,
        multi_ap: MultiApSettings,
    ) -> Self {
        RegistrarConfig {
            device,
            role: RegistrarRole::Internal {
                networks,
                multi_ap: Some(multi_ap),
            },
            timeout: REGISTRATION_TIMEOUT,
        }
    }

    /// An external registrar that reads an AP's settings and, with `new_settings`,
    /// replaces them.
    #[cfg(feature = "enrollee")]
    pub fn external(device: DeviceInfo, new_settings: Option<NetworkSettings>) -> Self {
        RegistrarConfig {
            device,
            role: RegistrarRole::External { new_settings },
            timeout: REGISTRATION_TIMEOUT,
        }
    }
}

/// The enrollee as its M1 introduced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Peer {
    uuid_e: Uuid,
    mac: MacAddr,
    device_password_id: DevicePasswordId,
    /// A backhaul STA that a Multi-AP internal registrar answers with the backhaul
    /// Credential.
    gets_backhaul: bool,
}

/// How far the device password got, which decides what the password source is told
/// when the run ends (hostapd's `wps_deinit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PasswordUse {
    /// Held, not yet revealed: unlock it.
    Unproven,
    /// M6 revealed R-S2 and E-Hash2 was not verified: the enrollee may now know the
    /// whole password, invalidate it.
    Revealed,
    /// E-Hash2 verified: the enrollee proved the whole password, it has been used.
    Proven,
}

/// Where a run that has not ended stands, with what it has at that point.
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
enum Stage {
    /// Nothing received yet.
    AwaitM1,
    /// M2D sent (no password, or refused with `m2d_error`); waiting for the WSC_ACK.
    AwaitM2dAck {
        peer: Peer,
        enrollee_nonce: [u8; 16],
        m2d_error: ConfigError,
    },
    /// M2 sent: keys, and the password to derive the PSKs from.
    AwaitM3 {
        peer: Peer,
        password: DevicePassword,
        run: Keyed,
    },
    /// M4 sent: both PSKs and the enrollee's E-Hashes.
    AwaitM5 {
        peer: Peer,
        run: Keyed,
        psks: Psks,
        e_hash1: [u8; 32],
        e_hash2: [u8; 32],
    },
    /// M6 sent (the whole password revealed): PSK2 and E-Hash2 remain to check M7.
    AwaitM7 {
        peer: Peer,
        run: Keyed,
        psk2: Psk,
        e_hash2: [u8; 32],
    },
    /// M8 sent: waiting for WSC_Done.
    AwaitDone { peer: Peer, nonces: Nonces },
    /// NFC connection handover: M2 with the Credential sent; waiting for WSC_Done.
    #[cfg(feature = "nfc")]
    AwaitHandoverDone { peer: Peer, nonces: Nonces },
}

impl Stage {
    fn name(&self) -> &'static str {
        match self {
            Stage::AwaitM1 => "AwaitM1",
            Stage::AwaitM2dAck { .. } => "AwaitM2dAck",
            Stage::AwaitM3 { .. } => "AwaitM3",
            Stage::AwaitM5 { .. } => "AwaitM5",
            Stage::AwaitM7 { .. } => "AwaitM7",
            Stage::AwaitDone { .. } => "AwaitDone",
            #[cfg(feature = "nfc")]
            Stage::AwaitHandoverDone { .. } => "AwaitHandoverDone",
        }
    }

    /// The enrollee, once its M1 arrived.
    // One copy for its callers.
    #[inline(never)]
    fn peer(&self) -> Option<Peer> {
        match self {
            Stage::AwaitM1 => None,
            Stage::AwaitM2dAck { peer, .. }
            | Stage::AwaitM3 { peer, .. }
            | Stage::AwaitM5 { peer, .. }
            | Stage::AwaitM7 { peer, .. }
            | Stage::AwaitDone { peer, .. } => Some(*peer),
            #[cfg(feature = "nfc")]
            Stage::AwaitHandoverDone { peer, .. } => Some(*peer),
        }
    }

    /// How far the password got, once there is one.
    // One copy for its callers.
    #[inline(never)]
    fn password_use(&self) -> Option<PasswordUse> {
        match self {
            Stage::AwaitM1 | Stage::AwaitM2dAck { .. } => None,
            Stage::AwaitM3 { .. } | Stage::AwaitM5 { .. } => Some(PasswordUse::Unproven),
            Stage::AwaitM7 { .. } => Some(PasswordUse::Revealed),
            // A handover's credential left with M2: the handover is used up.
            Stage::AwaitDone { .. } => Some(PasswordUse::Proven),
            #[cfg(feature = "nfc")]
            Stage::AwaitHandoverDone { .. } => Some(PasswordUse::Proven),
        }
    }

    /// The nonces a WSC_NACK sent now carries (`own`: N2; N1 is zero before M1).
    fn nonces(&self, own: &[u8; 16]) -> Nonces {
        match self {
            Stage::AwaitM1 => Nonces {
                enrollee: [0; 16],
                registrar: *own,
            },
            Stage::AwaitM2dAck { enrollee_nonce, .. } => Nonces {
                enrollee: *enrollee_nonce,
                registrar: *own,
            },
            Stage::AwaitM3 { run, .. }
            | Stage::AwaitM5 { run, .. }
            | Stage::AwaitM7 { run, .. } => run.nonces,
            Stage::AwaitDone { nonces, .. } => *nonces,
            #[cfg(feature = "nfc")]
            Stage::AwaitHandoverDone { nonces, .. } => *nonces,
        }
    }

    /// The message this side sent last, for a NACK received now.
    fn last_sent(&self) -> Option<MessageType> {
        Some(match self {
            Stage::AwaitM1 => return None,
            Stage::AwaitM2dAck { .. } => MessageType::M2D,
            Stage::AwaitM3 { .. } => MessageType::M2,
            Stage::AwaitM5 { .. } => MessageType::M4,
            Stage::AwaitM7 { .. } => MessageType::M6,
            Stage::AwaitDone { .. } => MessageType::M8,
            #[cfg(feature = "nfc")]
            Stage::AwaitHandoverDone { .. } => MessageType::M2,
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
    Finished {
        success: bool,
        /// UUID-E, when M1 arrived.
        uuid_e: Option<Uuid>,
    },
}

/// How a run ends: what to send, the failure (none: success), and what the password
/// source is told.
struct Ending {
    reply: Option<Outgoing>,
    failure: Option<Failure>,
    peer: Option<Peer>,
    password: Option<PasswordUse>,
}

/// What one received message does to the run.
// A machine holds one State and a call returns one Step: boxing the large variant would
// only add an allocation per message.
#[allow(clippy::large_enum_variant)]
enum Step {
    /// Send this and go on in this stage.
    Continue(Stage, Outgoing),
    /// End the run.
    End(Ending),
}

/// The registrar side of one registration run.
///
/// Feed every reassembled WSC message to [`handle`](Self::handle) together with the
/// registrar's [`PasswordSource`]; send back what it returns. The source is asked for
/// the password once, at M1, and told what became of it when the run ends. The
/// [module](super) shows a whole run; here the router has no PIN for the printer yet,
/// and answers its M1 with an M2D:
///
/// ```
/// use wps::attr::{DevicePasswordId, MacAddr, MessageType, Uuid};
/// use wps::message::Message;
/// use wps::pin::DevicePassword;
/// use wps::registration::*;
/// use wps::time::Instant;
/// let (now, mut rng) = (Instant::ZERO, rand::rng());
/// let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
/// let pin = DevicePassword::from_bytes(b"12345670")?;
/// let config = EnrolleeConfig::station(printer, pin);
/// let mut enrollee = Enrollee::new(config, SessionSecrets::generate(&mut rng), now);
/// let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
/// let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
/// let config = RegistrarConfig::internal(router, vec![home]);
/// let mut registrar = RegistrarSession::new(config, SessionSecrets::generate(&mut rng), now);
/// let mut passwords = ApRegistrar::new(); // no PIN entered, no button pressed
///
/// let m1 = enrollee.start(now);
/// let reply = registrar.handle(&m1.bytes, now, &mut passwords).ok_or("no reply")?;
/// assert_eq!(Message::parse(&reply.bytes)?.message_type(), MessageType::M2D);
/// let asked = core::iter::from_fn(|| registrar.poll_event()).find_map(|e| match e {
///     Event::PasswordNeeded { uuid_e, device_password_id, .. } => Some((uuid_e, device_password_id)),
///     _ => None,
/// });
/// assert_eq!(asked, Some((Uuid([1; 16]), DevicePasswordId::Default)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct RegistrarSession {
    config: RegistrarConfig,
    secrets: SessionSecrets,
    state: State,
    deadline: Instant,
    last_sent: Option<MessageType>,
    events: Events,
}

impl core::fmt::Debug for RegistrarSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let state = match &self.state {
            State::Running(stage) => stage.name(),
            State::Finished { success: true, .. } => "Succeeded",
            State::Finished { success: false, .. } => "Failed",
        };
        f.debug_struct("RegistrarSession")
            .field("state", &state)
            .field("last_sent", &self.last_sent)
            .field("uuid_e", &self.enrollee_uuid())
            .finish_non_exhaustive()
    }
}

/// How the enrollee proves itself, once its M1 was looked up.
enum Proof {
    /// The device password (PIN, push-button, NFC token password): M2..M8.
    Password(DevicePassword),
    /// NFC connection handover, its public key matched the request's hash: M2 with the
    /// Credential, then WSC_Done.
    #[cfg(feature = "nfc")]
    Handover,
}

/// The context a failure in one stage ends with: the enrollee and its password.
#[derive(Clone, Copy)]
struct Held {
    peer: Option<Peer>,
    password: Option<PasswordUse>,
}

impl Held {
    /// Ends silently (hostapd's FAILURE: no reply).
    // Generic only for the caller's convenience: the conversion, then one shared body.
    #[inline(always)]
    fn silent(&self, message: Option<MessageType>, reason: impl Into<FailureReason>) -> Step {
        self.end(None, message, ConfigError::NoError, reason.into())
    }

    /// Ends with a WSC_NACK carrying `reason`'s Configuration Error.
    #[inline(always)]
    fn nack(&self, nonces: Nonces, message: MessageType, reason: impl Into<FailureReason>) -> Step {
        self.nack_for(nonces, message, reason.into())
    }

    #[inline(never)]
    fn nack_for(&self, nonces: Nonces, message: MessageType, reason: FailureReason) -> Step {
        let config_error = reason.nack_config_error();
        let nack = nonces.control(MessageType::WscNack, config_error);
        self.end(Some(nack), Some(message), config_error, reason)
    }

    #[inline(never)]
    fn end(
        &self,
        reply: Option<Outgoing>,
        message: Option<MessageType>,
        config_error: ConfigError,
        reason: FailureReason,
    ) -> Step {
        Step::End(Ending {
            reply,
            failure: Some(Failure {
                message,
                config_error,
                reason,
            }),
            peer: self.peer,
            password: self.password,
        })
    }
}

fn msg_out(t: MessageType, bytes: Vec<u8>) -> Outgoing {
    Outgoing {
        op_code: OpCode::Msg,
        message_type: t,
        bytes,
    }
}

impl RegistrarSession {
    /// A new run; `now` starts the overall timeout.
    pub fn new(config: RegistrarConfig, secrets: SessionSecrets, now: Instant) -> Self {
        let deadline = now.saturating_add(config.timeout);
        RegistrarSession {
            config,
            secrets,
            state: State::Running(Stage::AwaitM1),
            deadline,
            last_sent: None,
            events: Events::default(),
        }
    }

    /// Processes one received WSC message; returns the reply to send, if any.
    pub fn handle(
        &mut self,
        msg: &[u8],
        now: Instant,
        passwords: &mut dyn PasswordSource,
    ) -> Option<Outgoing> {
        if self.is_finished() {
            return None;
        }
        if now >= self.deadline {
            self.handle_timeout(now, passwords);
            return None;
        }
        let State::Running(stage) = core::mem::replace(
            &mut self.state,
            State::Finished {
                success: false,
                uuid_e: None,
            },
        ) else {
            return None;
        };
        let out = match self.process(stage, msg, now, passwords) {
            Step::Continue(stage, out) => {
                self.state = State::Running(stage);
                Some(out)
            }
            Step::End(mut ending) => {
                let out = ending.reply.take();
                self.finish(ending, now, passwords);
                out
            }
        };
        self.sent(out)
    }

    super::session::machine_polls!();

    /// Fails the run with Configuration Error 16 once its deadline has passed.
    pub fn handle_timeout(&mut self, now: Instant, passwords: &mut dyn PasswordSource) {
        if now >= self.deadline {
            let f = Failure {
                message: self.last_sent,
                config_error: ConfigError::MessageTimeout,
                reason: FailureReason::Timeout,
            };
            self.end_now(f, now, passwords);
        }
    }

    /// Ends the run now (the EAP layer gave up); the password is released.
    pub fn abort(&mut self, now: Instant, passwords: &mut dyn PasswordSource) {
        let f = Failure {
            message: None,
            config_error: ConfigError::NoError,
            reason: FailureReason::Aborted,
        };
        self.end_now(f, now, passwords);
    }

    /// Whether the run has ended.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished { .. })
    }

    /// Whether the run ended in success.
    pub fn is_success(&self) -> bool {
        matches!(self.state, State::Finished { success: true, .. })
    }

    /// Whether it sent M2D and waits for the enrollee's WSC_ACK (an access point with an
    /// external registrar then waits for that registrar's M2 instead).
    pub fn awaits_m2d_ack(&self) -> bool {
        matches!(self.state, State::Running(Stage::AwaitM2dAck { .. }))
    }

    /// UUID-E of the enrollee (zero before M1).
    pub fn enrollee_uuid(&self) -> Uuid {
        let uuid = match &self.state {
            State::Running(stage) => stage.peer().map(|p| p.uuid_e),
            State::Finished { uuid_e, .. } => *uuid_e,
        };
        uuid.unwrap_or_default()
    }

    fn is_external(&self) -> bool {
        match self.config.role {
            RegistrarRole::Internal { .. } => false,
            #[cfg(feature = "enrollee")]
            RegistrarRole::External { .. } => true,
        }
    }

    /// Ends a running run from outside (timeout, abort).
    fn end_now(&mut self, f: Failure, now: Instant, passwords: &mut dyn PasswordSource) {
        if let State::Running(stage) = &self.state {
            let ending = Ending {
                reply: None,
                failure: Some(f),
                peer: stage.peer(),
                password: stage.password_use(),
            };
            self.finish(ending, now, passwords);
        }
    }

    fn finish(&mut self, ending: Ending, now: Instant, passwords: &mut dyn PasswordSource) {
        if let Some(outcome) = self.settle(ending) {
            passwords.release(outcome, now);
        }
    }

    /// [`finish`](Self::finish) but for the password source: the final state and
    /// events; what to tell the source.
    fn settle(&mut self, ending: Ending) -> Option<PasswordOutcome> {
        self.state = State::Finished {
            success: ending.failure.is_none(),
            uuid_e: ending.peer.map(|p| p.uuid_e),
        };
        let released = if let (Some(peer), Some(used)) = (ending.peer, ending.password) {
            let uuid = peer.uuid_e;
            let outcome = match used {
                PasswordUse::Proven if peer.device_password_id == DevicePasswordId::PushButton => {
                    PasswordOutcome::PbcDone(uuid)
                }
                PasswordUse::Proven => PasswordOutcome::Used(uuid),
                PasswordUse::Revealed => PasswordOutcome::Invalidate(uuid),
                PasswordUse::Unproven => PasswordOutcome::Unlock(uuid),
            };
            self.events.push(Event::PasswordOutcome(outcome));
            Some(outcome)
        } else {
            None
        };
        match ending.failure {
            Some(f) => self.events.push(Event::Failure(f)),
            None => self.events.push(Event::Success),
        }
        released
    }

    /// hostapd's `wps_registrar_process_msg`: the checks every message passes, then the
    /// one for its type and this stage.
    fn process(
        &mut self,
        stage: Stage,
        msg: &[u8],
        now: Instant,
        passwords: &mut dyn PasswordSource,
    ) -> Step {
        let held = Held {
            peer: stage.peer(),
            password: stage.password_use(),
        };
        let nonces = stage.nonces(&self.secrets.nonce);
        let env = match Envelope::parse(msg) {
            Ok(env) => env,
            Err(e) => return held.silent(None, MessageError::Attr(e)),
        };
        let Some(t) = env.message_type else {
            // hostapd answers with a NACK; no message is named, the stream names none.
            let nack = nonces.control(MessageType::WscNack, ConfigError::NoError);
            let reason = MessageError::Missing(crate::attr::AttrType::MessageType);
            return held.end(Some(nack), None, ConfigError::NoError, reason.into());
        };
        if t == MessageType::M1 {
            return match stage {
                Stage::AwaitM1 => self.process_m1(msg, now, passwords),
                other => {
                    // One out-of-line drop of the whole stage, not one inlined per shape.
                    drop(other);
                    held.silent(Some(t), PeerMisbehaved::UnexpectedMessage(t))
                }
            };
        }
        // hostapd and wpa_supplicant do not take N2 from an M2D (`wps_process_m2d`):
        // their WSC_ACK / WSC_NACK to it carries an all-zero Registrar Nonce. hostapd's
        // registrar calls that a nonce mismatch; the run ends the same way on the wire
        // (nothing more is sent), but we report the real reason, `NoPassword`.
        let nonce_ok = env.registrar_nonce == Some(&self.secrets.nonce)
            || (matches!(stage, Stage::AwaitM2dAck { .. })
                && env.registrar_nonce == Some(&[0; 16]));
        if !nonce_ok || matches!(stage, Stage::AwaitM1) {
            return held.silent(Some(t), PeerMisbehaved::NonceMismatch);
        }
        match t {
            MessageType::WscAck => return self.process_ack(stage, held, &env),
            MessageType::WscNack => return self.process_nack(stage, held, &env),
            MessageType::WscDone => return self.process_done(stage, held, &env),
            MessageType::M3 | MessageType::M5 | MessageType::M7 => {}
            _ => return held.silent(Some(t), PeerMisbehaved::UnexpectedMessage(t)),
        }
        let expected = matches!(
            (t, &stage),
            (MessageType::M3, Stage::AwaitM3 { .. })
                | (MessageType::M5, Stage::AwaitM5 { .. })
                | (MessageType::M7, Stage::AwaitM7 { .. })
        );
        if !expected {
            return held.nack(nonces, t, PeerMisbehaved::UnexpectedMessage(t));
        }
        if let Some(peer) = held.peer
            && peer.device_password_id == DevicePasswordId::PushButton
            && passwords.pbc_overlap(&peer.uuid_e, now)
        {
            return held.nack(nonces, t, Refusal::PbcOverlap);
        }
        let result = match stage {
            Stage::AwaitM3 {
                peer,
                password,
                run,
            } => self.process_m3(msg, peer, &password, run),
            Stage::AwaitM5 {
                peer,
                run,
                psks,
                e_hash1,
                e_hash2,
            } => self.process_m5(msg, peer, run, psks, &e_hash1, e_hash2),
            Stage::AwaitM7 {
                peer,
                run,
                psk2,
                e_hash2,
            } => self.process_m7(msg, peer, run, &psk2, &e_hash2),
            // Ruled out by `expected`.
            other => {
                drop(other);
                return held.nack(nonces, t, PeerMisbehaved::UnexpectedMessage(t));
            }
        };
        match result {
            Ok(step) => step,
            Err(reason) => held.nack(nonces, t, reason),
        }
    }

    fn process_m1(&mut self, msg: &[u8], now: Instant, passwords: &mut dyn PasswordSource) -> Step {
        let nobody = Held {
            peer: None,
            password: None,
        };
        let m1 = match M1::parse_received(msg) {
            Ok(m1) => m1,
            // hostapd's `wps_process_m1` fails without a reply.
            Err(e) => return nobody.silent(Some(MessageType::M1), e),
        };
        let gets_backhaul = match &self.config.role {
            RegistrarRole::Internal {
                multi_ap: Some(m), ..
            } => m.credential_for(m1.wfa, m1.mac_address).is_some(),
            _ => false,
        };
        let peer = Peer {
            uuid_e: m1.uuid_e,
            mac: m1.mac_address,
            device_password_id: m1.device_password_id,
            gets_backhaul,
        };
        let nonces = Nonces {
            enrollee: *m1.enrollee_nonce,
            registrar: self.secrets.nonce,
        };
        let supported = matches!(
            u16::from(peer.device_password_id),
            0 | 1 | 2 | 4 | 5 | 7 | 8 | 0x10..=0xFFFF
        );
        let lookup = if supported {
            let request = PasswordRequest {
                uuid_e: peer.uuid_e,
                mac: peer.mac,
                device_password_id: peer.device_password_id,
                public_key: m1.public_key,
            };
            passwords.acquire(&request, now)
        } else {
            PasswordLookup::Unavailable(ConfigError::NoError)
        };
        // An external registrar has no credential to hand a handover enrollee.
        #[cfg(feature = "nfc")]
        let lookup = match lookup {
            PasswordLookup::Handover(_) if self.is_external() => {
                PasswordLookup::Unavailable(ConfigError::NoError)
            }
            other => other,
        };
        let proof = match lookup {
            PasswordLookup::Found(p) => Proof::Password(p),
            #[cfg(feature = "nfc")]
            PasswordLookup::Handover(key) => match key.key_pair() {
                // M2 carries the key whose hash the handover select named.
                Ok(pair) => {
                    self.secrets.dh = pair;
                    Proof::Handover
                }
                Err(e) => {
                    let held = Held {
                        peer: Some(peer),
                        password: Some(PasswordUse::Unproven),
                    };
                    return held.silent(Some(MessageType::M1), PeerMisbehaved::PublicKey(e));
                }
            },
            PasswordLookup::Unavailable(config_error) => {
                // An overlap or another device's NFC token is not a missing
                // password (hostapd announces neither).
                if !matches!(
                    config_error,
                    ConfigError::MultiplePbcDetected | ConfigError::PublicKeyHashMismatch
                ) {
                    self.events.push(Event::PasswordNeeded {
                        uuid_e: peer.uuid_e,
                        mac: peer.mac,
                        device_password_id: peer.device_password_id,
                    });
                }
                let bytes = self.write_m2(MessageType::M2D, &nonces, config_error, None);
                let stage = Stage::AwaitM2dAck {
                    peer,
                    enrollee_nonce: nonces.enrollee,
                    m2d_error: config_error,
                };
                return Step::Continue(stage, msg_out(MessageType::M2D, bytes));
            }
        };
        let mut run = match Keyed::derive(
            &self.secrets,
            nonces,
            m1.public_key,
            &peer.mac,
            msg.to_vec(),
        ) {
            Ok(run) => run,
            Err(e) => {
                // The password was taken: it is unlocked again.
                let held = Held {
                    peer: Some(peer),
                    password: Some(PasswordUse::Unproven),
                };
                return held.silent(Some(MessageType::M1), PeerMisbehaved::PublicKey(e));
            }
        };
        // Without NFC a password is the only proof.
        #[cfg_attr(not(feature = "nfc"), allow(clippy::infallible_destructuring_match))]
        let password = match proof {
            Proof::Password(p) => p,
            #[cfg(feature = "nfc")]
            Proof::Handover => return self.abbreviated_m2(run, peer),
        };
        let bytes = self.sealed_m2(&mut run, peer.device_password_id, None);
        Step::Continue(
            Stage::AwaitM3 {
                peer,
                password,
                run,
            },
            msg_out(MessageType::M2, bytes),
        )
    }

    /// M2, with Encrypted Settings in a handover run, sealed with its Authenticator.
    fn sealed_m2(
        &self,
        run: &mut Keyed,
        device_password_id: DevicePasswordId,
        encrypted_settings: Option<&[u8]>,
    ) -> Vec<u8> {
        let mut m2 = self.write_m2(
            MessageType::M2,
            &run.nonces,
            ConfigError::NoError,
            Some(device_password_id),
        );
        // hostapd's M2 has its Encrypted Settings after the WFA extension. Writing into
        // a Vec cannot fail.
        if let Some(es) = encrypted_settings {
            let _ = tlv::write_tlv(&mut m2, AttrType::EncryptedSettings.to_u16(), es);
        }
        run.seal(m2)
    }

    /// M2 (`t`; with this registrar's public key and `device_password_id`) or M2D (with
    /// neither: hostapd's M2D has no Device Password ID) up to its WFA extension, in
    /// hostapd's order, as `message::M2` and `message::M2d` write them (tests compare).
    fn write_m2(
        &self,
        t: MessageType,
        nonces: &Nonces,
        config_error: ConfigError,
        device_password_id: Option<DevicePasswordId>,
    ) -> Vec<u8> {
        let dev = &self.config.device;
        let d = dev.described();
        let association = u16::from(AssociationState::NotAssociated).to_be_bytes();
        let config_error = u16::from(config_error).to_be_bytes();
        let password_id = device_password_id.map(|id| u16::from(id).to_be_bytes());
        let (public_key, password_id): (&[Attr<'_>], &[Attr<'_>]) = match &password_id {
            Some(id) => (
                &[(AttrType::PublicKey, self.secrets.dh.public_key_ref())],
                &[(AttrType::DevicePasswordId, id)],
            ),
            None => (&[], &[]),
        };
        let parts = [
            &[
                (AttrType::EnrolleeNonce, &nonces.enrollee[..]),
                (AttrType::RegistrarNonce, &nonces.registrar),
                (AttrType::UuidR, &dev.uuid.0),
            ][..],
            public_key,
            &d.capabilities(),
            &d.identity(),
            &[
                d.rf_bands(),
                (AttrType::AssociationState, &association),
                (AttrType::ConfigurationError, &config_error),
            ],
            password_id,
            &[d.os_version()],
        ];
        write_message(t, &parts, &VERSION2_ONLY)
    }

    /// The Credentials an internal registrar hands `peer` (in M8, or in a handover M2);
    /// hostapd writes Network Index 1 and the enrollee's MAC address. Empty for an
    /// external registrar.
    fn credentials_for(&self, peer: &Peer) -> Vec<message::CredentialRef<'_>> {
        match &self.config.role {
            RegistrarRole::Internal { networks, multi_ap } => match multi_ap {
                Some(m) if peer.gets_backhaul => alloc::vec![m.backhaul_credential(peer.mac)],
                _ => networks.iter().map(|n| n.to_message(peer.mac, 1)).collect(),
            },
            #[cfg(feature = "enrollee")]
            RegistrarRole::External { .. } => Vec::new(),
        }
    }

    /// NFC connection handover: M2 carries the Credential(s) in Encrypted Settings
    /// (hostapd's `wps_build_m2` with a handover token), then only WSC_Done follows.
    #[cfg(feature = "nfc")]
    fn abbreviated_m2(&mut self, mut run: Keyed, peer: Peer) -> Step {
        let [iv, _, _] = &self.secrets.ivs;
        let credentials = self.credentials_for(&peer);
        let es = run.encrypt(iv, |out| emit_abbreviated_m2_settings(out, &credentials));
        let bytes = self.sealed_m2(&mut run, peer.device_password_id, Some(&es));
        Step::Continue(
            Stage::AwaitHandoverDone {
                peer,
                nonces: run.nonces,
            },
            msg_out(MessageType::M2, bytes),
        )
    }

    fn process_m3(
        &mut self,
        msg: &[u8],
        peer: Peer,
        password: &DevicePassword,
        mut run: Keyed,
    ) -> Result<Step, FailureReason> {
        let m3 = M3::parse_received(msg)?;
        run.verify_authenticator(msg)?;
        run.accept(msg);
        let psks = run.psks(password.as_bytes());
        let h1 = run.own_hash(&self.secrets, Side::Registrar, Half::First, &psks.first);
        let h2 = run.own_hash(&self.secrets, Side::Registrar, Half::Second, &psks.second);
        let es = run.encrypted_secret_nonce(&self.secrets, Side::Registrar, Half::First);
        let bytes = run.sealed_message(
            Side::Registrar,
            MessageType::M4,
            &[
                (AttrType::RHash1, &h1),
                (AttrType::RHash2, &h2),
                (AttrType::EncryptedSettings, &es),
            ],
        );
        Ok(Step::Continue(
            Stage::AwaitM5 {
                peer,
                run,
                psks,
                e_hash1: *m3.e_hash1,
                e_hash2: *m3.e_hash2,
            },
            msg_out(MessageType::M4, bytes),
        ))
    }

    fn process_m5(
        &mut self,
        msg: &[u8],
        peer: Peer,
        mut run: Keyed,
        psks: Psks,
        e_hash1: &[u8; 32],
        e_hash2: [u8; 32],
    ) -> Result<Step, FailureReason> {
        let m5 = M5::parse_received(msg)?;
        let plain = run.open_settings(msg, m5.encrypted_settings)?;
        let inner = M5Settings::parse(&plain)?;
        run.verify_peer_hash(
            &self.secrets,
            Side::Registrar,
            Half::First,
            &psks.first,
            inner.e_snonce1,
            e_hash1,
        )?;
        run.accept(msg);
        let es = run.encrypted_secret_nonce(&self.secrets, Side::Registrar, Half::Second);
        let bytes = run.sealed_message(
            Side::Registrar,
            MessageType::M6,
            &[(AttrType::EncryptedSettings, &es)],
        );
        // M6 reveals R-S2: from now on the whole password is known to the enrollee.
        let Psks { second, .. } = psks;
        Ok(Step::Continue(
            Stage::AwaitM7 {
                peer,
                run,
                psk2: second,
                e_hash2,
            },
            msg_out(MessageType::M6, bytes),
        ))
    }

    fn process_m7(
        &mut self,
        msg: &[u8],
        peer: Peer,
        mut run: Keyed,
        psk2: &Psk,
        e_hash2: &[u8; 32],
    ) -> Result<Step, FailureReason> {
        let m7 = M7::parse_received(msg)?;
        let plain = run.open_settings(msg, m7.encrypted_settings)?;
        let inner = M7Settings::parse(&plain)?;
        run.verify_peer_hash(
            &self.secrets,
            Side::Registrar,
            Half::Second,
            psk2,
            inner.e_snonce2,
            e_hash2,
        )?;
        run.accept(msg);
        let [_, _, iv] = &self.secrets.ivs;
        let es = match &self.config.role {
            RegistrarRole::Internal { .. } => {
                let credentials = self.credentials_for(&peer);
                let settings = M8Settings::with_credentials(&credentials);
                run.encrypt(iv, |out| settings.emit(out))
            }
            #[cfg(feature = "enrollee")]
            RegistrarRole::External { new_settings } => {
                // From here on the enrollee has proven the whole password.
                let proven = Held {
                    peer: Some(peer),
                    password: Some(PasswordUse::Proven),
                };
                let current = inner
                    .ap_settings()
                    .and_then(Result::ok)
                    .and_then(|c| Credential::try_from(c).ok());
                let Some(current) = current else {
                    return Ok(proven.nack(
                        run.nonces,
                        MessageType::M7,
                        PeerMisbehaved::BadSettings,
                    ));
                };
                self.events.push(Event::ApSettings(current));
                let Some(n) = new_settings else {
                    return Ok(proven.nack(run.nonces, MessageType::M7, Refusal::ReadOnly));
                };
                let settings = M8Settings::with_ap_settings(&n.to_message(peer.mac, 1));
                run.encrypt(iv, |out| settings.emit(out))
            }
        };
        let bytes = run.sealed_message(
            Side::Registrar,
            MessageType::M8,
            &[(AttrType::EncryptedSettings, &es)],
        );
        Ok(Step::Continue(
            Stage::AwaitDone {
                peer,
                nonces: run.nonces,
            },
            msg_out(MessageType::M8, bytes),
        ))
    }

    /// A WSC_ACK holds only both nonces: its envelope has all a parser of `Ack`
    /// would read (the Registrar Nonce is checked already).
    fn process_ack(&mut self, stage: Stage, held: Held, env: &Envelope<'_>) -> Step {
        let nonces = stage.nonces(&self.secrets.nonce);
        let nonce_ok = env.enrollee_nonce == Some(&nonces.enrollee);
        let (message, config_error, reason) = match stage {
            _ if !nonce_ok => (
                MessageType::WscAck,
                ConfigError::NoError,
                PeerMisbehaved::NonceMismatch.into(),
            ),
            Stage::AwaitM2dAck { m2d_error, .. } => (
                MessageType::M2D,
                m2d_error,
                if m2d_error == ConfigError::MultiplePbcDetected {
                    Refusal::PbcOverlap
                } else {
                    Refusal::NoPassword
                }
                .into(),
            ),
            _ => (
                MessageType::WscAck,
                ConfigError::NoError,
                PeerMisbehaved::UnexpectedMessage(MessageType::WscAck).into(),
            ),
        };
        held.end(None, Some(message), config_error, reason)
    }

    /// Read from the envelope, as a WSC_ACK is ([`Self::process_ack`]).
    fn process_nack(&mut self, stage: Stage, held: Held, env: &Envelope<'_>) -> Step {
        let nonces = stage.nonces(&self.secrets.nonce);
        // An external registrar is the EAP peer: it answers a NACK with its own.
        let (f, reply) = nack_received(env, &nonces, stage.last_sent(), false, self.is_external());
        held.end(reply, f.message, f.config_error, f.reason)
    }

    /// Read from the envelope, as a WSC_ACK is ([`Self::process_ack`]).
    fn process_done(&mut self, stage: Stage, held: Held, env: &Envelope<'_>) -> Step {
        let nonces = stage.nonces(&self.secrets.nonce);
        let nonce_ok = env.enrollee_nonce == Some(&nonces.enrollee);
        let awaited = matches!(stage, Stage::AwaitDone { .. });
        #[cfg(feature = "nfc")]
        let awaited = awaited || matches!(stage, Stage::AwaitHandoverDone { .. });
        if !awaited || !nonce_ok {
            let reason = if awaited {
                PeerMisbehaved::NonceMismatch
            } else {
                PeerMisbehaved::UnexpectedMessage(MessageType::WscDone)
            };
            return if self.is_external() {
                held.nack(nonces, MessageType::WscDone, reason)
            } else {
                held.silent(Some(MessageType::WscDone), reason)
            };
        }
        // The AP enrollee waits for our ACK before applying the settings.
        let reply = self
            .is_external()
            .then(|| nonces.control(MessageType::WscAck, ConfigError::NoError));
        Step::End(Ending {
            reply,
            failure: None,
            peer: held.peer,
            password: held.password,
        })
    }
}

// M2 and M2D as the message layer's structs write them.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::Uuid;
    use crate::message::{M2, M2d};
    use crate::registration::device::any_device;
    use crate::registration::session::ours;
    use proptest::prelude::*;

    fn registrar(device: DeviceInfo) -> RegistrarSession {
        let secrets =
            SessionSecrets::from_parts(&[9; 25], [2; 16], [[3; 16]; 2], [[4; 16]; 3]).unwrap();
        let config = RegistrarConfig::external(device, None);
        RegistrarSession::new(config, secrets, Instant::ZERO)
    }

    fn m2_struct<'a>(
        r: &'a RegistrarSession,
        nonces: &'a Nonces,
        device_password_id: DevicePasswordId,
        encrypted_settings: Option<&'a [u8]>,
    ) -> Vec<u8> {
        let dev = &r.config.device;
        let m2 = ours!(M2 {
            enrollee_nonce: &nonces.enrollee,
            registrar_nonce: &nonces.registrar,
            uuid_r: dev.uuid,
            public_key: r.secrets.dh.public_key_ref(),
            auth_type_flags: Some(dev.auth_type_flags),
            encr_type_flags: Some(dev.encr_type_flags),
            connection_type_flags: Some(dev.connection_type_flags),
            config_methods: Some(dev.config_methods),
            device: dev.attrs(),
            rf_bands: Some(dev.rf_bands),
            association_state: Some(AssociationState::NotAssociated),
            config_error: Some(ConfigError::NoError),
            device_password_id,
            os_version: Some(dev.os_version_attr()),
            encrypted_settings,
            authenticator: None,
        });
        let mut out = Vec::new();
        assert_eq!(m2.emit_without_authenticator(&mut out), Ok(()));
        out
    }

    proptest! {
        #[test]
        fn m2_and_m2d_are_the_structs(
            device in any_device(),
            nonces in any::<([u8; 16], [u8; 16])>(),
            config_error in any::<u16>(),
            password_id in any::<u16>(),
        ) {
            let r = registrar(device);
            let nonces = Nonces { enrollee: nonces.0, registrar: nonces.1 };
            let config_error = ConfigError::from(config_error);
            let password_id = DevicePasswordId::from(password_id);
            let dev = &r.config.device;
            let m2d = ours!(M2d {
                enrollee_nonce: &nonces.enrollee,
                registrar_nonce: Some(&nonces.registrar),
                uuid_r: Some(dev.uuid),
                auth_type_flags: Some(dev.auth_type_flags),
                encr_type_flags: Some(dev.encr_type_flags),
                connection_type_flags: Some(dev.connection_type_flags),
                config_methods: Some(dev.config_methods),
                device: Some(dev.attrs()),
                rf_bands: Some(dev.rf_bands),
                association_state: Some(AssociationState::NotAssociated),
                config_error: Some(config_error),
                device_password_id: None,
                os_version: Some(dev.os_version_attr()),
            });
            let mut want = Vec::new();
            prop_assert_eq!(m2d.emit(&mut want), Ok(()));
            prop_assert_eq!(r.write_m2(MessageType::M2D, &nonces, config_error, None), want);
            prop_assert_eq!(
                r.write_m2(MessageType::M2, &nonces, ConfigError::NoError, Some(password_id)),
                m2_struct(&r, &nonces, password_id, None)
            );
        }
    }

    #[test]
    fn a_sealed_m2_is_the_struct_and_its_authenticator() {
        let r = registrar(DeviceInfo::new(
            Uuid([3; 16]),
            MacAddr([2, 0, 0, 0, 0, 4]),
            "x",
        ));
        let mut run = Keyed::for_tests(&r.secrets);
        let nonces = run.nonces;
        let id = DevicePasswordId::NfcConnectionHandover;
        for es in [None, Some(&[5u8; 48][..])] {
            let m2 = r.sealed_m2(&mut run, id, es);
            let (unsealed, authenticator) = m2.split_at(m2.len() - 12);
            assert_eq!(unsealed, m2_struct(&r, &nonces, id, es));
            assert_eq!(authenticator.get(..4), Some(&[0x10, 0x05, 0, 8][..]));
        }
    }
}
