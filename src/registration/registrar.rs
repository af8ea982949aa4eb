//! The Registrar side of one run: an AP's internal registrar, or an external registrar
//! reading or configuring an AP.

use alloc::vec::Vec;
use core::time::Duration;

use super::REGISTRATION_TIMEOUT;
use super::device::{Credential, DeviceInfo, NetworkSettings};
use super::password::{PasswordLookup, PasswordOutcome, PasswordRequest, PasswordSource};
use super::secrets::SessionSecrets;
use super::session::{
    Crypto, Event, Events, Failure, FailureReason, OpCode, Outgoing, array16, array32, build, ours,
    parse_failure,
};
use crate::attr::{
    AssociationState, AttrType, Attributes, ConfigError, DevicePasswordId, MacAddr, MessageType,
    Uuid,
};
use crate::message::{self, M2, M2d, M4, M5Settings, M7Settings, M8Settings};
use crate::pin::DevicePassword;
use crate::time::Instant;

/// What the registrar does with the enrollee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RegistrarRole {
    /// An AP's internal registrar: M8 carries one Credential per network (its MAC
    /// Address is the enrollee's).
    Internal {
        /// The networks handed out, in order.
        networks: Vec<NetworkSettings>,
    },
    /// An external registrar talking to an AP enrollee with the AP PIN: M7 reveals the
    /// AP's settings ([`Event::ApSettings`]); with `new_settings` they are replaced in M8
    /// (flat, no Credential wrapper), without them the run ends after M7 with a NACK
    /// (Configuration Error 0), as wpa_supplicant does.
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
            role: RegistrarRole::Internal { networks },
            timeout: REGISTRATION_TIMEOUT,
        }
    }

    /// An external registrar that reads an AP's settings and, with `new_settings`,
    /// replaces them.
    pub fn external(device: DeviceInfo, new_settings: Option<NetworkSettings>) -> Self {
        RegistrarConfig {
            device,
            role: RegistrarRole::External { new_settings },
            timeout: REGISTRATION_TIMEOUT,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    RecvM1,
    RecvM3,
    RecvM5,
    RecvM7,
    RecvDone,
    RecvM2dAck,
    Finished { success: bool },
}

/// Outcome of one received message.
enum Step {
    Reply(Outgoing),
    /// Send this and end (in success without a failure).
    ReplyAndEnd(Outgoing, Option<Failure>),
    /// End without a reply.
    End(Option<Failure>),
    /// Send a NACK carrying the failure's config error and end.
    Nack(Failure),
}

/// The registrar side of one registration run.
///
/// Feed every reassembled WSC message to [`handle`](Self::handle) together with the
/// registrar's [`PasswordSource`]; send back what it returns. The source is asked for
/// the password once, at M1, and told what became of it when the run ends.
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct RegistrarSession {
    config: RegistrarConfig,
    crypto: Crypto,
    state: State,
    deadline: Instant,
    last_sent: MessageType,
    events: Events,
    password: Option<DevicePassword>,
    uuid_e: Uuid,
    mac_e: MacAddr,
    dev_pw_id: DevicePasswordId,
    m2d_error: ConfigError,
    revealed: bool,
    e_hash2_ok: bool,
    e_hash2_failed: bool,
}

impl core::fmt::Debug for RegistrarSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RegistrarSession")
            .field("state", &self.state)
            .field("last_sent", &self.last_sent)
            .field("uuid_e", &self.uuid_e)
            .finish_non_exhaustive()
    }
}

/// What hostapd's `wps_process_m1` needs (non-strict): missing → the run fails silently.
const M1_REQUIRED: [AttrType; 18] = [
    AttrType::UuidE,
    AttrType::MacAddress,
    AttrType::EnrolleeNonce,
    AttrType::PublicKey,
    AttrType::AuthenticationTypeFlags,
    AttrType::EncryptionTypeFlags,
    AttrType::ConnectionTypeFlags,
    AttrType::ConfigMethods,
    AttrType::WscState,
    AttrType::Manufacturer,
    AttrType::ModelName,
    AttrType::ModelNumber,
    AttrType::SerialNumber,
    AttrType::PrimaryDeviceType,
    AttrType::DeviceName,
    AttrType::RfBands,
    AttrType::AssociationState,
    AttrType::DevicePasswordId,
];

impl RegistrarSession {
    /// A new run; `now` starts the overall timeout.
    pub fn new(config: RegistrarConfig, secrets: SessionSecrets, now: Instant) -> Self {
        let mut crypto = Crypto::new(secrets);
        crypto.registrar_nonce = crypto.secrets.nonce;
        let deadline = now.saturating_add(config.timeout);
        RegistrarSession {
            config,
            crypto,
            state: State::RecvM1,
            deadline,
            last_sent: MessageType::Unknown(0),
            events: Events::default(),
            password: None,
            uuid_e: Uuid::default(),
            mac_e: MacAddr::default(),
            dev_pw_id: DevicePasswordId::Default,
            m2d_error: ConfigError::NoError,
            revealed: false,
            e_hash2_ok: false,
            e_hash2_failed: false,
        }
    }

    /// Processes one received WSC message; returns the reply to send, if any.
    pub fn handle<P: PasswordSource + ?Sized>(
        &mut self,
        msg: &[u8],
        now: Instant,
        passwords: &mut P,
    ) -> Option<Outgoing> {
        if self.is_finished() {
            return None;
        }
        if now >= self.deadline {
            self.handle_timeout(now, passwords);
            return None;
        }
        match self.process(msg, now, passwords) {
            Step::Reply(out) => {
                self.last_sent = out.message_type;
                Some(out)
            }
            Step::ReplyAndEnd(out, f) => {
                self.last_sent = out.message_type;
                self.finish(f, now, passwords);
                Some(out)
            }
            Step::End(f) => {
                self.finish(f, now, passwords);
                None
            }
            Step::Nack(f) => {
                let nack = self.nack(f.config_error);
                self.finish(Some(f), now, passwords);
                Some(nack)
            }
        }
    }

    /// Next queued event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called, while the run is on.
    pub fn poll_timeout(&self) -> Option<Instant> {
        (!self.is_finished()).then_some(self.deadline)
    }

    /// Fails the run with Configuration Error 16 once its deadline has passed.
    pub fn handle_timeout<P: PasswordSource + ?Sized>(&mut self, now: Instant, passwords: &mut P) {
        if !self.is_finished() && now >= self.deadline {
            let f = Failure {
                message: self.last_sent,
                config_error: ConfigError::MessageTimeout,
                reason: FailureReason::Timeout,
            };
            self.finish(Some(f), now, passwords);
        }
    }

    /// Ends the run now (the EAP layer gave up); the password is released.
    pub fn abort<P: PasswordSource + ?Sized>(&mut self, now: Instant, passwords: &mut P) {
        if !self.is_finished() {
            let f = Failure {
                message: self.last_sent,
                config_error: ConfigError::NoError,
                reason: FailureReason::Aborted,
            };
            self.finish(Some(f), now, passwords);
        }
    }

    /// Whether the run has ended.
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Finished { .. })
    }

    /// Whether the run ended in success.
    pub fn is_success(&self) -> bool {
        self.state == State::Finished { success: true }
    }

    /// UUID-E of the enrollee (zero before M1).
    pub fn enrollee_uuid(&self) -> Uuid {
        self.uuid_e
    }

    fn is_external(&self) -> bool {
        matches!(self.config.role, RegistrarRole::External { .. })
    }

    fn finish<P: PasswordSource + ?Sized>(
        &mut self,
        failure: Option<Failure>,
        now: Instant,
        passwords: &mut P,
    ) {
        let success = failure.is_none();
        self.state = State::Finished { success };
        if self.password.take().is_some() {
            let uuid = self.uuid_e;
            let outcome = if self.e_hash2_ok {
                if self.dev_pw_id == DevicePasswordId::PushButton {
                    PasswordOutcome::PbcDone(uuid)
                } else {
                    PasswordOutcome::Used(uuid)
                }
            } else if self.e_hash2_failed || self.revealed {
                PasswordOutcome::Invalidate(uuid)
            } else {
                PasswordOutcome::Unlock(uuid)
            };
            passwords.release(outcome, now);
            self.events.push(Event::PasswordOutcome(outcome));
        }
        match failure {
            Some(f) => self.events.push(Event::Failure(f)),
            None => self.events.push(Event::Success),
        }
    }

    fn nack(&mut self, config_error: ConfigError) -> Outgoing {
        self.last_sent = MessageType::WscNack;
        self.crypto.control(MessageType::WscNack, config_error)
    }

    fn process<P: PasswordSource + ?Sized>(
        &mut self,
        msg: &[u8],
        now: Instant,
        passwords: &mut P,
    ) -> Step {
        let fail = |message, reason| Failure {
            message,
            config_error: ConfigError::NoError,
            reason,
        };
        let Ok(attrs) = Attributes::parse(msg) else {
            return Step::End(Some(fail(
                MessageType::Unknown(0),
                FailureReason::Malformed,
            )));
        };
        let Some(t) = attrs.message_type() else {
            return Step::Nack(fail(
                MessageType::Unknown(0),
                FailureReason::Missing(AttrType::MessageType),
            ));
        };
        if t == MessageType::M1 {
            if self.state != State::RecvM1 {
                return Step::End(Some(fail(t, FailureReason::UnexpectedMessage(t))));
            }
            return match self.process_m1(msg, &attrs, now, passwords) {
                Ok(step) => step,
                Err(reason) => Step::End(Some(fail(t, reason))),
            };
        }
        let nonce = attrs.array::<16>(AttrType::RegistrarNonce);
        // hostapd and wpa_supplicant do not take N2 from an M2D (`wps_process_m2d`):
        // their WSC_ACK / WSC_NACK to it carries an all-zero Registrar Nonce. hostapd's
        // registrar calls that a nonce mismatch; the run ends the same way on the wire
        // (nothing more is sent), but we report the real reason, `NoPassword`.
        let nonce_ok = nonce == Some(&self.crypto.registrar_nonce)
            || (self.state == State::RecvM2dAck && nonce == Some(&[0; 16]));
        if !nonce_ok || self.state == State::RecvM1 {
            return Step::End(Some(fail(t, FailureReason::NonceMismatch)));
        }
        match t {
            MessageType::WscAck => return self.process_ack(&attrs),
            MessageType::WscNack => return self.process_nack(&attrs),
            MessageType::WscDone => return self.process_done(&attrs),
            MessageType::M3 | MessageType::M5 | MessageType::M7 => {}
            _ => return Step::End(Some(fail(t, FailureReason::UnexpectedMessage(t)))),
        }
        let expected = matches!(
            (t, self.state),
            (MessageType::M3, State::RecvM3)
                | (MessageType::M5, State::RecvM5)
                | (MessageType::M7, State::RecvM7)
        );
        if !expected {
            return Step::Nack(fail(t, FailureReason::UnexpectedMessage(t)));
        }
        let result = if self.dev_pw_id == DevicePasswordId::PushButton
            && passwords.pbc_overlap(&self.uuid_e, now)
        {
            Err(FailureReason::PbcOverlap)
        } else {
            match t {
                MessageType::M3 => self.process_m3(msg, &attrs),
                MessageType::M5 => self.process_m5(msg, &attrs),
                _ => self.process_m7(msg, &attrs),
            }
        };
        match result {
            Ok(step) => step,
            Err(reason) => Step::Nack(Failure {
                message: t,
                config_error: reason.nack_config_error(),
                reason,
            }),
        }
    }

    fn process_m1<P: PasswordSource + ?Sized>(
        &mut self,
        msg: &[u8],
        attrs: &Attributes<'_>,
        now: Instant,
        passwords: &mut P,
    ) -> Result<Step, FailureReason> {
        for t in M1_REQUIRED
            .iter()
            .chain(&[AttrType::ConfigurationError, AttrType::OsVersion])
        {
            if !attrs.contains(*t) {
                return Err(FailureReason::Missing(*t));
            }
        }
        self.crypto.enrollee_nonce = array16(attrs, AttrType::EnrolleeNonce)?;
        self.uuid_e = Uuid(array16(attrs, AttrType::UuidE)?);
        self.mac_e = attrs
            .get(AttrType::MacAddress)
            .and_then(MacAddr::from_slice)
            .ok_or(FailureReason::Missing(AttrType::MacAddress))?;
        let pk = attrs
            .get(AttrType::PublicKey)
            .ok_or(FailureReason::Missing(AttrType::PublicKey))?;
        self.dev_pw_id = DevicePasswordId::from(
            attrs
                .u16(AttrType::DevicePasswordId)
                .ok_or(FailureReason::Missing(AttrType::DevicePasswordId))?,
        );
        self.crypto.remember(msg);
        let supported = matches!(
            u16::from(self.dev_pw_id),
            0 | 1 | 2 | 4 | 5 | 8 | 0x10..=0xFFFF
        );
        let lookup = if supported {
            let request = PasswordRequest {
                uuid_e: self.uuid_e,
                mac: self.mac_e,
                device_password_id: self.dev_pw_id,
            };
            passwords.acquire(&request, now)
        } else {
            PasswordLookup::Unavailable(ConfigError::NoError)
        };
        let password = match lookup {
            PasswordLookup::Found(p) => p,
            PasswordLookup::Unavailable(config_error) => {
                self.m2d_error = config_error;
                if config_error != ConfigError::MultiplePbcDetected {
                    self.events.push(Event::PasswordNeeded {
                        uuid_e: self.uuid_e,
                        mac: self.mac_e,
                        device_password_id: self.dev_pw_id,
                    });
                }
                self.state = State::RecvM2dAck;
                let dev = &self.config.device;
                let m2d = ours!(M2d {
                    enrollee_nonce: &self.crypto.enrollee_nonce,
                    registrar_nonce: &self.crypto.registrar_nonce,
                    uuid_r: dev.uuid,
                    auth_type_flags: Some(dev.auth_type_flags),
                    encr_type_flags: Some(dev.encr_type_flags),
                    connection_type_flags: Some(dev.connection_type_flags),
                    config_methods: Some(dev.config_methods),
                    device: Some(dev.attrs()),
                    rf_bands: Some(dev.rf_bands),
                    association_state: Some(AssociationState::NotAssociated),
                    config_error: Some(config_error),
                    // hostapd's M2D has none.
                    device_password_id: None,
                    os_version: Some(dev.os_version_attr()),
                });
                let bytes = build(|out| m2d.emit(out));
                return Ok(Step::Reply(Outgoing {
                    op_code: OpCode::Msg,
                    message_type: MessageType::M2D,
                    bytes,
                }));
            }
        };
        self.password = Some(password);
        let mac = self.mac_e.0;
        self.crypto
            .derive(pk, &mac)
            .map_err(FailureReason::PublicKey)?;
        let dev = &self.config.device;
        let m2 = ours!(M2 {
            enrollee_nonce: &self.crypto.enrollee_nonce,
            registrar_nonce: &self.crypto.registrar_nonce,
            uuid_r: dev.uuid,
            public_key: self.crypto.secrets.dh.public_key_ref(),
            auth_type_flags: Some(dev.auth_type_flags),
            encr_type_flags: Some(dev.encr_type_flags),
            connection_type_flags: Some(dev.connection_type_flags),
            config_methods: Some(dev.config_methods),
            device: dev.attrs(),
            rf_bands: Some(dev.rf_bands),
            association_state: Some(AssociationState::NotAssociated),
            config_error: Some(ConfigError::NoError),
            device_password_id: self.dev_pw_id,
            os_version: Some(dev.os_version_attr()),
            encrypted_settings: None,
            authenticator: None,
        });
        let bytes = build(|out| m2.emit_without_authenticator(out));
        let bytes = self.crypto.seal(bytes);
        self.state = State::RecvM3;
        Ok(Step::Reply(Outgoing {
            op_code: OpCode::Msg,
            message_type: MessageType::M2,
            bytes,
        }))
    }

    fn process_m3(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        self.crypto.peer_hash1 = array32(attrs, AttrType::EHash1)?;
        self.crypto.peer_hash2 = array32(attrs, AttrType::EHash2)?;
        self.crypto.remember(msg);
        if let Some(p) = &self.password {
            self.crypto.set_psks(p.as_bytes());
        }
        let h1 = self.crypto.own_hash(1, false);
        let h2 = self.crypto.own_hash(2, false);
        let es = self.crypto.encrypted_secret_nonce(MessageType::M4);
        let m4 = ours!(M4 {
            enrollee_nonce: &self.crypto.enrollee_nonce,
            r_hash1: &h1,
            r_hash2: &h2,
            encrypted_settings: &es,
            authenticator: None,
        });
        let bytes = build(|out| m4.emit_without_authenticator(out));
        let bytes = self.crypto.seal(bytes);
        self.state = State::RecvM5;
        Ok(self.msg(MessageType::M4, bytes))
    }

    fn process_m5(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        let plain = self.crypto.decrypt(attrs)?;
        let inner = M5Settings::parse(&plain).map_err(parse_failure)?;
        self.crypto.verify_peer_hash(1, inner.e_snonce1, false)?;
        self.crypto.remember(msg);
        let es = self.crypto.encrypted_secret_nonce(MessageType::M6);
        let bytes = self.crypto.encrypted_msg(MessageType::M6, &es);
        // M6 reveals R-S2: from now on the whole password is known to the enrollee.
        self.revealed = true;
        self.state = State::RecvM7;
        Ok(self.msg(MessageType::M6, bytes))
    }

    fn process_m7(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        let plain = self.crypto.decrypt(attrs)?;
        let inner = M7Settings::parse(&plain).map_err(parse_failure)?;
        if let Err(e) = self.crypto.verify_peer_hash(2, inner.e_snonce2, false) {
            self.e_hash2_failed = true;
            return Err(e);
        }
        self.e_hash2_ok = true;
        self.crypto.remember(msg);
        // hostapd writes Network Index 1 and the enrollee's MAC address.
        let es = match &self.config.role {
            RegistrarRole::Internal { networks } => {
                let credentials: Vec<message::Credential<'_>> = networks
                    .iter()
                    .map(|n| n.to_message(self.mac_e, 1))
                    .collect();
                let settings = M8Settings::with_credentials(&credentials);
                self.crypto.encrypt(2, |out| settings.emit(out))
            }
            RegistrarRole::External { new_settings } => {
                let current = inner
                    .ap_settings()
                    .and_then(Result::ok)
                    .and_then(|c| Credential::try_from(c).ok())
                    .ok_or(FailureReason::BadSettings)?;
                self.events.push(Event::ApSettings(current));
                let Some(n) = new_settings else {
                    return Ok(Step::Nack(Failure {
                        message: MessageType::M7,
                        config_error: ConfigError::NoError,
                        reason: FailureReason::ReadOnly,
                    }));
                };
                let settings = M8Settings::with_ap_settings(&n.to_message(self.mac_e, 1));
                self.crypto.encrypt(2, |out| settings.emit(out))
            }
        };
        let bytes = self.crypto.encrypted_msg(MessageType::M8, &es);
        self.state = State::RecvDone;
        Ok(self.msg(MessageType::M8, bytes))
    }

    fn process_ack(&mut self, attrs: &Attributes<'_>) -> Step {
        let reason = if !self.enrollee_nonce_ok(attrs) {
            FailureReason::NonceMismatch
        } else if self.state == State::RecvM2dAck {
            if self.m2d_error == ConfigError::MultiplePbcDetected {
                FailureReason::PbcOverlap
            } else {
                FailureReason::NoPassword
            }
        } else {
            FailureReason::UnexpectedMessage(MessageType::WscAck)
        };
        let (message, config_error) = if self.state == State::RecvM2dAck {
            (MessageType::M2D, self.m2d_error)
        } else {
            (MessageType::WscAck, ConfigError::NoError)
        };
        Step::End(Some(Failure {
            message,
            config_error,
            reason,
        }))
    }

    fn process_nack(&mut self, attrs: &Attributes<'_>) -> Step {
        let config_error = attrs.u16(AttrType::ConfigurationError);
        let valid = self.enrollee_nonce_ok(attrs) && config_error.is_some();
        let message = match self.state {
            State::RecvM3 => MessageType::M2,
            State::RecvM5 => MessageType::M4,
            State::RecvM7 => MessageType::M6,
            State::RecvDone => MessageType::M8,
            _ => MessageType::M2D,
        };
        let f = Failure {
            message,
            config_error: ConfigError::from(config_error.unwrap_or(0)),
            reason: if valid {
                FailureReason::NackReceived
            } else {
                FailureReason::NonceMismatch
            },
        };
        // An external registrar is the EAP peer: it answers a NACK with its own.
        if valid && self.is_external() {
            let nack = self.nack(ConfigError::NoError);
            return Step::ReplyAndEnd(nack, Some(f));
        }
        Step::End(Some(f))
    }

    fn process_done(&mut self, attrs: &Attributes<'_>) -> Step {
        if self.state != State::RecvDone || !self.enrollee_nonce_ok(attrs) {
            let f = Failure {
                message: MessageType::WscDone,
                config_error: ConfigError::NoError,
                reason: if self.state == State::RecvDone {
                    FailureReason::NonceMismatch
                } else {
                    FailureReason::UnexpectedMessage(MessageType::WscDone)
                },
            };
            return if self.is_external() {
                Step::Nack(f)
            } else {
                Step::End(Some(f))
            };
        }
        if self.is_external() {
            // The AP enrollee waits for our ACK before applying the settings.
            let ack = self
                .crypto
                .control(MessageType::WscAck, ConfigError::NoError);
            return Step::ReplyAndEnd(ack, None);
        }
        Step::End(None)
    }

    fn enrollee_nonce_ok(&self, attrs: &Attributes<'_>) -> bool {
        attrs.array::<16>(AttrType::EnrolleeNonce) == Some(&self.crypto.enrollee_nonce)
    }

    fn msg(&self, t: MessageType, bytes: Vec<u8>) -> Step {
        Step::Reply(Outgoing {
            op_code: OpCode::Msg,
            message_type: t,
            bytes,
        })
    }
}
