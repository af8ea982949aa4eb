//! The Enrollee: a station joining a network, or an AP configured by an external registrar.

use alloc::vec::Vec;
use core::time::Duration;

use super::REGISTRATION_TIMEOUT;
use super::device::{Credential, CredentialError, DeviceInfo};
use super::secrets::SessionSecrets;
use super::session::{
    Crypto, Event, Events, Failure, FailureReason, M2dInfo, OpCode, Outgoing, array16, array32,
    build, ours, parse_failure,
};
use crate::attr::{
    AssociationState, AttrType, Attributes, ConfigError, ConfigMethods, DevicePasswordId,
    MessageType, PrimaryDeviceType, WscState,
};
use crate::message::{self, Extra, M1, M3, M4Settings, M6Settings, M7Settings, M8Settings};
use crate::pin::DevicePassword;
use crate::time::Instant;

/// An AP enrollee's `ap_setup_locked` setting (pin.md §8.2).
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
    /// in M8.
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
        }
    }

    /// A configured AP protected by its AP PIN; `current` is what M7 reveals.
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
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    SendM1,
    RecvM2,
    RecvM4,
    RecvM6,
    RecvM8,
    RecvAck,
    Finished { success: bool },
}

/// The enrollee side of one registration run.
///
/// Drive it with [`start`](Self::start) (when WSC_Start arrives, or, for an AP, when the
/// external registrar's EAP identity does), then [`handle`](Self::handle) every
/// reassembled WSC message; send back what they return with its op-code. Drain
/// [`poll_event`](Self::poll_event) after each call; call
/// [`handle_timeout`](Self::handle_timeout) when [`poll_timeout`](Self::poll_timeout)
/// has passed.
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct Enrollee {
    config: EnrolleeConfig,
    crypto: Crypto,
    state: State,
    deadline: Instant,
    last_sent: MessageType,
    events: Events,
}

impl core::fmt::Debug for Enrollee {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Enrollee")
            .field("state", &self.state)
            .field("last_sent", &self.last_sent)
            .finish_non_exhaustive()
    }
}

/// Outcome of processing one message: a reply and/or the end of the run.
enum Step {
    Reply(Outgoing),
    /// Fail without a reply (hostapd FAILURE).
    Fail(Failure),
    /// Send a NACK with this failure's config error and end.
    Nack(Failure),
    /// Nothing to send (the state already says what happened).
    Quiet,
}

impl Enrollee {
    /// A new run; `now` starts the overall timeout.
    pub fn new(config: EnrolleeConfig, secrets: SessionSecrets, now: Instant) -> Self {
        let mut crypto = Crypto::new(secrets);
        crypto.enrollee_nonce = crypto.secrets.nonce;
        let deadline = now.saturating_add(config.timeout);
        Enrollee {
            config,
            crypto,
            state: State::SendM1,
            deadline,
            last_sent: MessageType::M1,
            events: Events::default(),
        }
    }

    /// Builds M1 (the same bytes every time it is called before M2 arrives).
    pub fn start(&mut self, _now: Instant) -> Outgoing {
        let c = &self.config;
        let dev = &c.device;
        let m1 = ours!(M1 {
            uuid_e: dev.uuid,
            mac_address: dev.mac,
            enrollee_nonce: &self.crypto.enrollee_nonce,
            public_key: self.crypto.secrets.dh.public_key_ref(),
            auth_type_flags: dev.auth_type_flags,
            encr_type_flags: dev.encr_type_flags,
            connection_type_flags: dev.connection_type_flags,
            config_methods: dev.config_methods,
            wsc_state: WscState::from(c.wsc_state),
            device: dev.attrs(),
            rf_bands: dev.rf_bands,
            association_state: AssociationState::NotAssociated,
            device_password_id: c.device_password_id,
            config_error: ConfigError::NoError,
            os_version: dev.os_version_attr(),
        });
        let bytes = build(|out| m1.emit(out));
        if matches!(self.state, State::SendM1 | State::RecvM2) {
            self.crypto.remember(&bytes);
            self.state = State::RecvM2;
        }
        self.last_sent = MessageType::M1;
        Outgoing {
            op_code: OpCode::Msg,
            message_type: MessageType::M1,
            bytes,
        }
    }

    /// Processes one received WSC message; returns the reply to send, if any.
    pub fn handle(&mut self, msg: &[u8], now: Instant) -> Option<Outgoing> {
        if matches!(self.state, State::Finished { .. }) {
            return None;
        }
        if now >= self.deadline {
            self.handle_timeout(now);
            return None;
        }
        match self.process(msg) {
            Step::Reply(out) => {
                self.last_sent = out.message_type;
                Some(out)
            }
            Step::Fail(f) => {
                self.finish_failure(f);
                None
            }
            Step::Nack(f) => {
                self.finish_failure(f);
                Some(self.nack(f.config_error))
            }
            Step::Quiet => None,
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
                message: self.last_sent,
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
        self.state == State::Finished { success: true }
    }

    fn is_ap(&self) -> bool {
        matches!(self.config.role, EnrolleeRole::AccessPoint { .. })
    }

    fn finish_failure(&mut self, f: Failure) {
        self.state = State::Finished { success: false };
        self.events.push(Event::Failure(f));
    }

    fn nack(&mut self, config_error: ConfigError) -> Outgoing {
        self.last_sent = MessageType::WscNack;
        self.crypto.control(MessageType::WscNack, config_error)
    }

    fn reply(&mut self, t: MessageType, bytes: Vec<u8>) -> Step {
        Step::Reply(Outgoing {
            op_code: OpCode::for_message(t),
            message_type: t,
            bytes,
        })
    }

    fn process(&mut self, msg: &[u8]) -> Step {
        let fail = |message, reason| Failure {
            message,
            config_error: ConfigError::NoError,
            reason,
        };
        let Ok(attrs) = Attributes::parse(msg) else {
            return Step::Fail(fail(MessageType::Unknown(0), FailureReason::Malformed));
        };
        let msg_type = attrs.message_type();
        match msg_type {
            Some(MessageType::WscAck) => return self.process_ack(&attrs),
            Some(MessageType::WscNack) => return self.process_nack(&attrs),
            _ => {}
        }
        // Every WSC_MSG must carry our nonce; anything else is silently dropped.
        if attrs.array::<16>(AttrType::EnrolleeNonce) != Some(&self.crypto.enrollee_nonce) {
            let t = msg_type.unwrap_or(MessageType::Unknown(0));
            return Step::Fail(fail(t, FailureReason::NonceMismatch));
        }
        let Some(t) = msg_type else {
            return Step::Nack(fail(
                MessageType::Unknown(0),
                FailureReason::Missing(AttrType::MessageType),
            ));
        };
        let expected = match (t, self.state) {
            (MessageType::M2 | MessageType::M2D, State::RecvM2)
            | (MessageType::M4, State::RecvM4)
            | (MessageType::M6, State::RecvM6)
            | (MessageType::M8, State::RecvM8) => true,
            (
                MessageType::M2
                | MessageType::M2D
                | MessageType::M4
                | MessageType::M6
                | MessageType::M8,
                _,
            ) => false,
            _ => return Step::Fail(fail(t, FailureReason::UnexpectedMessage(t))),
        };
        if !expected {
            return Step::Nack(fail(t, FailureReason::UnexpectedMessage(t)));
        }
        let result = match t {
            MessageType::M2 => self.process_m2(msg, &attrs),
            MessageType::M2D => return self.process_m2d(&attrs),
            MessageType::M4 => self.process_m4(msg, &attrs),
            MessageType::M6 => self.process_m6(msg, &attrs),
            _ => self.process_m8(msg, &attrs),
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

    fn process_m2(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.registrar_nonce = array16(attrs, AttrType::RegistrarNonce)?;
        if !attrs.contains(AttrType::UuidR) {
            return Err(FailureReason::Missing(AttrType::UuidR));
        }
        let id = attrs
            .u16(AttrType::DevicePasswordId)
            .map(DevicePasswordId::from)
            .ok_or(FailureReason::Missing(AttrType::DevicePasswordId))?;
        let own = self.config.device_password_id;
        // hostapd tolerates a registrar that answers a PBC M1 with a PIN ID.
        let pbc_to_pin = own == DevicePasswordId::PushButton && id == DevicePasswordId::Default;
        if id != own && !pbc_to_pin {
            return Err(FailureReason::DevicePasswordIdMismatch);
        }
        if let EnrolleeRole::AccessPoint {
            lock: ApSetupLock::Locked,
            ..
        } = self.config.role
        {
            return Err(FailureReason::SetupLocked);
        }
        let pk = attrs
            .get(AttrType::PublicKey)
            .ok_or(FailureReason::Missing(AttrType::PublicKey))?;
        let mac = self.config.device.mac.0;
        self.crypto
            .derive(pk, &mac)
            .map_err(FailureReason::PublicKey)?;
        self.crypto.verify_authenticator(msg)?;
        for t in [
            AttrType::Manufacturer,
            AttrType::ModelName,
            AttrType::ModelNumber,
            AttrType::SerialNumber,
            AttrType::PrimaryDeviceType,
            AttrType::DeviceName,
        ] {
            if !attrs.contains(t) {
                return Err(FailureReason::Missing(t));
            }
        }
        self.crypto.remember(msg);
        // M3: PSKs, E-Hashes.
        self.crypto.set_psks(self.config.password.as_bytes());
        let h1 = self.crypto.own_hash(1, true);
        let h2 = self.crypto.own_hash(2, true);
        let m3 = ours!(M3 {
            registrar_nonce: &self.crypto.registrar_nonce,
            e_hash1: &h1,
            e_hash2: &h2,
            authenticator: None,
        });
        let bytes = self
            .crypto
            .seal(build(|out| m3.emit_without_authenticator(out)));
        self.state = State::RecvM4;
        Ok(self.reply(MessageType::M3, bytes))
    }

    fn process_m2d(&mut self, attrs: &Attributes<'_>) -> Step {
        let owned = |t| attrs.get(t).map(<[u8]>::to_vec).unwrap_or_default();
        let info = M2dInfo {
            config_error: ConfigError::from(attrs.u16(AttrType::ConfigurationError).unwrap_or(0)),
            device_password_id: attrs
                .u16(AttrType::DevicePasswordId)
                .map(DevicePasswordId::from),
            config_methods: ConfigMethods::from(attrs.u16(AttrType::ConfigMethods).unwrap_or(0)),
            manufacturer: owned(AttrType::Manufacturer),
            model_name: owned(AttrType::ModelName),
            model_number: owned(AttrType::ModelNumber),
            serial_number: owned(AttrType::SerialNumber),
            device_name: owned(AttrType::DeviceName),
            primary_device_type: attrs
                .get(AttrType::PrimaryDeviceType)
                .and_then(PrimaryDeviceType::from_slice),
        };
        if let Some(n) = attrs.array::<16>(AttrType::RegistrarNonce) {
            self.crypto.registrar_nonce = *n;
        }
        self.events.push(Event::M2d(info));
        if self.is_ap() {
            // An AP enrollee does not wait for another registrar.
            return Step::Nack(Failure {
                message: MessageType::M2D,
                config_error: ConfigError::NoError,
                reason: FailureReason::NoPassword,
            });
        }
        // Not remembered: a later M2 is authenticated against M1.
        Step::Reply(
            self.crypto
                .control(MessageType::WscAck, ConfigError::NoError),
        )
    }

    fn process_m4(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        self.crypto.peer_hash1 = array32(attrs, AttrType::RHash1)?;
        self.crypto.peer_hash2 = array32(attrs, AttrType::RHash2)?;
        let plain = self.crypto.decrypt(attrs)?;
        let inner = M4Settings::parse(&plain).map_err(parse_failure)?;
        if let Err(e) = self.crypto.verify_peer_hash(1, inner.r_snonce1, true) {
            self.events.push(Event::PasswordAuthFailure { half: 1 });
            return Err(e);
        }
        self.crypto.remember(msg);
        let es = self.crypto.encrypted_secret_nonce(MessageType::M5);
        let bytes = self.crypto.encrypted_msg(MessageType::M5, &es);
        self.state = State::RecvM6;
        Ok(self.reply(MessageType::M5, bytes))
    }

    fn process_m6(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        let plain = self.crypto.decrypt(attrs)?;
        let inner = M6Settings::parse(&plain).map_err(parse_failure)?;
        if let Err(e) = self.crypto.verify_peer_hash(2, inner.r_snonce2, true) {
            self.events.push(Event::PasswordAuthFailure { half: 2 });
            return Err(e);
        }
        if self.is_ap() {
            self.events.push(Event::ApPinSuccess);
        }
        self.crypto.remember(msg);
        let e_snonce2 = &self.crypto.secrets.secret_nonces[1];
        let settings = match &self.config.role {
            EnrolleeRole::AccessPoint { current, .. } => {
                M7Settings::with_ap_settings(e_snonce2, &current.to_message())
            }
            EnrolleeRole::Station => M7Settings {
                e_snonce2,
                ssid: None,
                mac_address: None,
                auth_type: None,
                encr_type: None,
                network_key: None,
                key_wrap_authenticator: None,
                extra: Extra::NONE,
            },
        };
        let es = self.crypto.encrypt(1, |out| settings.emit(out));
        let bytes = self.crypto.encrypted_msg(MessageType::M7, &es);
        self.state = State::RecvM8;
        Ok(self.reply(MessageType::M7, bytes))
    }

    fn process_m8(&mut self, msg: &[u8], attrs: &Attributes<'_>) -> Result<Step, FailureReason> {
        self.crypto.verify_authenticator(msg)?;
        if let EnrolleeRole::AccessPoint { lock, .. } = self.config.role
            && lock != ApSetupLock::Unlocked
        {
            return Err(FailureReason::SetupLocked);
        }
        let plain = self.crypto.decrypt(attrs)?;
        let inner = M8Settings::parse(&plain).map_err(|_| FailureReason::Malformed)?;
        let mut delivered = Vec::new();
        if self.is_ap() {
            let settings = inner
                .ap_settings()
                .and_then(Result::ok)
                .and_then(|c| Credential::try_from(c).ok())
                .ok_or(FailureReason::BadSettings)?;
            delivered.push(Event::NewApSettings(settings));
        } else {
            for c in inner.credentials.iter() {
                let c = c.map_err(|_| FailureReason::BadSettings)?;
                match Credential::try_from(c) {
                    Ok(c) => delivered.push(Event::Credential(c)),
                    // hostapd skips WEP-only credentials and fails on anything else.
                    Err(CredentialError::Invalid(message::CredentialError::WepOnly)) => {}
                    Err(_) => return Err(FailureReason::BadSettings),
                }
            }
            if delivered.is_empty() {
                return Err(FailureReason::BadSettings);
            }
        }
        self.crypto.remember(msg);
        for e in delivered {
            self.events.push(e);
        }
        let done = self
            .crypto
            .control(MessageType::WscDone, ConfigError::NoError);
        if self.is_ap() {
            self.state = State::RecvAck;
        } else {
            // A station does not wait for anything after WSC_Done.
            self.state = State::Finished { success: true };
            self.events.push(Event::Success);
        }
        Ok(Step::Reply(done))
    }

    fn process_ack(&mut self, attrs: &Attributes<'_>) -> Step {
        let nonces_ok = self.nonces_match(attrs);
        if self.state == State::RecvAck && nonces_ok {
            self.state = State::Finished { success: true };
            self.events.push(Event::Success);
            return Step::Quiet;
        }
        let reason = if nonces_ok {
            FailureReason::UnexpectedMessage(MessageType::WscAck)
        } else {
            FailureReason::NonceMismatch
        };
        Step::Fail(Failure {
            message: MessageType::WscAck,
            config_error: ConfigError::NoError,
            reason,
        })
    }

    fn process_nack(&mut self, attrs: &Attributes<'_>) -> Step {
        let config_error = attrs.u16(AttrType::ConfigurationError);
        let message = match self.state {
            State::RecvM4 => MessageType::M3,
            State::RecvM6 => MessageType::M5,
            State::RecvM8 => MessageType::M7,
            State::RecvAck => MessageType::WscDone,
            _ => MessageType::M1,
        };
        let valid = self.nonces_match(attrs) && config_error.is_some();
        let f = Failure {
            message,
            config_error: ConfigError::from(config_error.unwrap_or(0)),
            reason: if valid {
                FailureReason::NackReceived
            } else {
                FailureReason::NonceMismatch
            },
        };
        // A station (EAP peer) answers with its own NACK; an AP ends with EAP-Failure.
        if valid && !self.is_ap() {
            self.finish_failure(f);
            let nack = self.nack(ConfigError::NoError);
            return Step::Reply(nack);
        }
        Step::Fail(f)
    }

    fn nonces_match(&self, attrs: &Attributes<'_>) -> bool {
        attrs.array::<16>(AttrType::EnrolleeNonce) == Some(&self.crypto.enrollee_nonce)
            && attrs.array::<16>(AttrType::RegistrarNonce) == Some(&self.crypto.registrar_nonce)
    }
}
