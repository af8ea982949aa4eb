//! What both machines share: the op-codes and events they hand out, and the per-run
//! cryptographic state (nonces, keys, "previous message" for the Authenticators).

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::device::Credential;
use super::secrets::SessionSecrets;
use crate::attr::{
    AttrType, Attributes, ConfigError, ConfigMethods, DevicePasswordId, MessageType,
    PrimaryDeviceType, WfaExtension,
};
use crate::crypto::{self, DhError, Psk, SessionKeys, SettingsError};
pub use crate::message::OpCode;
use crate::message::{
    self, Ack, Done, Extra, M4Settings, M5, M5Settings, M6, M6Settings, M7, M8, MessageError, Nack,
};
use crate::tlv::WriteError;

/// The Version attribute of every message (0x10 in WSC 1.0 and 2.0 alike).
pub(crate) const VERSION: u8 = 0x10;

/// The WFA vendor extension hostapd ends every message with: Version2 = 2.0.
pub(crate) const WFA: Option<WfaExtension<'static>> = Some(WfaExtension::version2_only());

/// A message-layer struct literal with the fields every message sent here has alike:
/// Version 0x10, the WFA extension with Version2, no other vendor extension.
macro_rules! ours {
    ($t:ident { $($f:ident $(: $v:expr)?),* $(,)? }) => {
        $t {
            version: $crate::registration::session::VERSION,
            $($f $(: $v)?,)*
            wfa: $crate::registration::session::WFA,
            extra: $crate::message::Extra::NONE,
        }
    };
}
pub(crate) use ours;

/// Runs a message-layer emitter into a fresh buffer.
///
/// Writing cannot fail: a `Vec` never runs out of room and every value the machines
/// write is bounded by its type (nothing comes near a TLV's 65535 bytes).
pub(crate) fn build(emit: impl FnOnce(&mut Vec<u8>) -> Result<(), WriteError>) -> Vec<u8> {
    let mut out = Vec::with_capacity(420);
    let _ = emit(&mut out);
    out
}

/// What a received message's parse error means for the run.
pub(crate) fn parse_failure(e: MessageError) -> FailureReason {
    match e {
        MessageError::Missing(t) => FailureReason::Missing(t),
        _ => FailureReason::Malformed,
    }
}

/// A message a machine wants sent: the WSC TLV stream and its op-code.
#[derive(Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// EAP-WSC op-code to send it with.
    pub op_code: OpCode,
    /// Its Message Type (M1..M8, M2D, WSC_ACK/NACK/Done).
    pub message_type: MessageType,
    /// The message: a complete attribute stream.
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Outgoing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Outgoing({}, {:?}, {} bytes)",
            self.message_type,
            self.op_code,
            self.bytes.len()
        )
    }
}

/// What a registrar's M2D said: it saw the enrollee but will not continue (no password
/// yet, push-button overlap, setup locked…).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct M2dInfo {
    /// Configuration Error (0, or 12 for a PBC overlap, 15 when the AP is locked…).
    pub config_error: ConfigError,
    /// Device Password ID, if the M2D carried one (hostapd's does not).
    pub device_password_id: Option<DevicePasswordId>,
    /// The registrar's Config Methods.
    pub config_methods: ConfigMethods,
    /// Manufacturer.
    pub manufacturer: Vec<u8>,
    /// Model Name.
    pub model_name: Vec<u8>,
    /// Model Number.
    pub model_number: Vec<u8>,
    /// Serial Number.
    pub serial_number: Vec<u8>,
    /// Device Name.
    pub device_name: Vec<u8>,
    /// Primary Device Type.
    pub primary_device_type: Option<PrimaryDeviceType>,
}

/// Something a machine reports; drain with `poll_event`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A station enrollee received a usable Credential in M8 (one event per credential).
    Credential(Credential),
    /// An AP enrollee received new AP settings in M8 (to be applied after WSC_ACK).
    NewApSettings(Credential),
    /// An external registrar read the AP's current settings from M7.
    ApSettings(Credential),
    /// A station enrollee received an M2D (it answered WSC_ACK and keeps waiting for M2).
    M2d(M2dInfo),
    /// The registrar sent an M2D because it has no usable password for this enrollee.
    PasswordNeeded {
        /// UUID-E of the enrollee.
        uuid_e: crate::attr::Uuid,
        /// Its MAC address.
        mac: crate::attr::MacAddr,
        /// The Device Password ID it asked for.
        device_password_id: DevicePasswordId,
    },
    /// An AP enrollee's peer proved the AP PIN (R-Hash2 verified): resets the
    /// consecutive-failure count of an AP-PIN lockout.
    ApPinSuccess,
    /// The peer failed to prove knowledge of the device password (half 1 or 2): feeds an
    /// AP-PIN lockout on an AP enrollee.
    PasswordAuthFailure {
        /// 1 or 2.
        half: u8,
    },
    /// What the registrar did with the device password when the run ended.
    PasswordOutcome(super::PasswordOutcome),
    /// The registration succeeded.
    Success,
    /// The registration failed.
    Failure(Failure),
}

/// Why and where a run failed, as hostapd's `WPS-FAIL msg=… config_error=…` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failure {
    /// The message the failure is attributed to: the received message that failed its
    /// checks, or, when a NACK arrived, the last message this side sent.
    pub message: MessageType,
    /// The Configuration Error sent in (or received with) the NACK / M2D; 16 for a timeout.
    pub config_error: ConfigError,
    /// What went wrong.
    pub reason: FailureReason,
}

/// What went wrong in a failed run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureReason {
    /// The message is not a well-formed attribute stream.
    Malformed,
    /// A required attribute is missing.
    Missing(AttrType),
    /// The message's nonce is not this run's.
    NonceMismatch,
    /// A message arrived that this state does not expect.
    UnexpectedMessage(MessageType),
    /// The peer's public key was refused.
    PublicKey(DhError),
    /// The Authenticator did not verify.
    Authenticator,
    /// Encrypted Settings could not be opened (padding, KWA).
    EncryptedSettings(SettingsError),
    /// E-Hash or R-Hash mismatch: the device password half differs (Config Error 18).
    PasswordMismatch {
        /// 1 or 2.
        half: u8,
    },
    /// The Device Password ID in M2 is not the one sent in M1.
    DevicePasswordIdMismatch,
    /// No usable credential or AP settings in M8 / M7.
    BadSettings,
    /// The AP is setup-locked (Config Error 15).
    SetupLocked,
    /// Push-button session overlap (Config Error 12).
    PbcOverlap,
    /// The peer sent WSC_NACK.
    NackReceived,
    /// The registrar has no password for the enrollee and sent M2D; the run ended.
    NoPassword,
    /// An external registrar only read the AP settings and ended the run with a NACK.
    ReadOnly,
    /// The run did not finish in time (Config Error 16).
    Timeout,
    /// The run was abandoned by the caller.
    Aborted,
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureReason::Malformed => f.write_str("a message was malformed"),
            FailureReason::Missing(t) => write!(f, "a message lacked its {t} attribute"),
            FailureReason::NonceMismatch => f.write_str("a message belonged to another run"),
            FailureReason::UnexpectedMessage(t) => write!(f, "{t} arrived out of order"),
            FailureReason::PublicKey(e) => write!(f, "the peer's public key was refused: {e}"),
            FailureReason::Authenticator => f.write_str("a message failed its integrity check"),
            FailureReason::EncryptedSettings(e) => {
                write!(f, "the encrypted settings could not be opened: {e}")
            }
            FailureReason::PasswordMismatch { half } => {
                write!(f, "half {half} of the device password did not match")
            }
            FailureReason::DevicePasswordIdMismatch => {
                f.write_str("the registrar answered for another kind of password")
            }
            FailureReason::BadSettings => f.write_str("the settings received were not usable"),
            FailureReason::SetupLocked => f.write_str("the access point is locked"),
            FailureReason::PbcOverlap => f.write_str("more than one device pressed the button"),
            FailureReason::NackReceived => f.write_str("the other side refused"),
            FailureReason::NoPassword => {
                f.write_str("the registrar has no password for the device")
            }
            FailureReason::ReadOnly => f.write_str("the settings were read, not changed"),
            FailureReason::Timeout => f.write_str("timed out"),
            FailureReason::Aborted => f.write_str("cancelled"),
        }
    }
}

impl FailureReason {
    /// The Configuration Error hostapd puts in the WSC_NACK it sends for this reason:
    /// 18 for a wrong PIN half, 15 when the AP is setup-locked, 12 on push-button
    /// overlap, and 0 ("no error") for everything else — hostapd has no specific code
    /// for a bad Authenticator, padding or a missing attribute.
    pub fn nack_config_error(self) -> ConfigError {
        match self {
            FailureReason::PasswordMismatch { .. } => ConfigError::DevicePasswordAuthFailure,
            FailureReason::SetupLocked => ConfigError::SetupLocked,
            FailureReason::PbcOverlap => ConfigError::MultiplePbcDetected,
            _ => ConfigError::NoError,
        }
    }
}

/// Per-run cryptographic state shared by both roles.
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub(crate) struct Crypto {
    pub(crate) secrets: SessionSecrets,
    /// N1 (enrollee nonce) and N2 (registrar nonce); own one from the secrets.
    pub(crate) enrollee_nonce: [u8; 16],
    pub(crate) registrar_nonce: [u8; 16],
    /// The peer's public key exactly as received (190..=192 bytes).
    pub(crate) peer_public: Vec<u8>,
    pub(crate) keys: Option<SessionKeys>,
    pub(crate) psk1: Option<Psk>,
    pub(crate) psk2: Option<Psk>,
    /// The peer's E-Hash1/2 or R-Hash1/2.
    pub(crate) peer_hash1: [u8; 32],
    pub(crate) peer_hash2: [u8; 32],
    /// The last WSC_MSG built or accepted (Authenticator input).
    pub(crate) previous: Vec<u8>,
}

impl Crypto {
    pub(crate) fn new(secrets: SessionSecrets) -> Self {
        Crypto {
            secrets,
            enrollee_nonce: [0; 16],
            registrar_nonce: [0; 16],
            peer_public: Vec::new(),
            keys: None,
            psk1: None,
            psk2: None,
            peer_hash1: [0; 32],
            peer_hash2: [0; 32],
            previous: Vec::new(),
        }
    }

    /// DHKey → KDK → session keys; `mac` is the enrollee's MAC address.
    pub(crate) fn derive(&mut self, peer_public: &[u8], mac: &[u8; 6]) -> Result<(), DhError> {
        let dh_key = self.secrets.dh.dh_key(peer_public)?;
        let kdk = crypto::kdk(&dh_key, &self.enrollee_nonce, mac, &self.registrar_nonce);
        self.keys = Some(SessionKeys::derive(&kdk));
        self.peer_public.clear();
        self.peer_public.extend_from_slice(peer_public);
        Ok(())
    }

    pub(crate) fn set_psks(&mut self, password: &[u8]) {
        if let Some(keys) = &self.keys {
            let (p1, p2) = crypto::psks(keys.auth_key(), password);
            self.psk1 = Some(p1);
            self.psk2 = Some(p2);
        }
    }

    /// Appends the Authenticator over `previous ‖ msg` to `msg` (a message written with
    /// `emit_without_authenticator`) and remembers the result.
    pub(crate) fn seal(&mut self, mut msg: Vec<u8>) -> Vec<u8> {
        if let Some(keys) = &self.keys {
            let a = crypto::authenticator(keys.auth_key(), &self.previous, &msg);
            // Writing into a Vec cannot fail.
            let _ = message::append_authenticator(&mut msg, &a);
        }
        self.remember(&msg);
        msg
    }

    /// WSC_ACK, WSC_NACK (carrying `config_error`) or WSC_Done with this run's nonces.
    pub(crate) fn control(&self, t: MessageType, config_error: ConfigError) -> Outgoing {
        let enrollee_nonce = &self.enrollee_nonce;
        let registrar_nonce = &self.registrar_nonce;
        let bytes = build(|out| match t {
            MessageType::WscNack => ours!(Nack {
                enrollee_nonce,
                registrar_nonce,
                config_error
            })
            .emit(out),
            MessageType::WscDone => ours!(Done {
                enrollee_nonce,
                registrar_nonce
            })
            .emit(out),
            _ => ours!(Ack {
                enrollee_nonce,
                registrar_nonce
            })
            .emit(out),
        });
        Outgoing {
            op_code: OpCode::for_message(t),
            message_type: t,
            bytes,
        }
    }

    pub(crate) fn remember(&mut self, msg: &[u8]) {
        self.previous.clear();
        self.previous.extend_from_slice(msg);
    }

    pub(crate) fn verify_authenticator(&self, msg: &[u8]) -> Result<(), FailureReason> {
        let keys = self.keys.as_ref().ok_or(FailureReason::Authenticator)?;
        crypto::verify_authenticator(keys.auth_key(), &self.previous, msg)
            .map_err(|_| FailureReason::Authenticator)
    }

    /// Encrypted Settings with IV number `iv` around the plaintext `emit` writes (a
    /// message-layer settings struct; the encryption adds the KWA).
    pub(crate) fn encrypt(
        &self,
        iv: usize,
        emit: impl FnOnce(&mut Vec<u8>) -> Result<(), WriteError>,
    ) -> Vec<u8> {
        // The plaintext holds a secret nonce (and maybe a network key).
        let plain = Zeroizing::new(build(emit));
        match &self.keys {
            Some(keys) => crypto::encrypt_settings(
                keys.key_wrap_key(),
                keys.auth_key(),
                self.secrets.iv(iv),
                &plain,
            ),
            None => Vec::new(),
        }
    }

    /// Encrypted Settings of M4, M5 or M6: this side's secret nonce 1 (M4, M5) or 2
    /// (M6), under IV number 0, 0 or 1.
    pub(crate) fn encrypted_secret_nonce(&self, t: MessageType) -> Vec<u8> {
        let [n1, n2] = &self.secrets.secret_nonces;
        let key_wrap_authenticator = None;
        let extra = Extra::NONE;
        match t {
            MessageType::M4 => self.encrypt(0, |out| {
                M4Settings {
                    r_snonce1: n1,
                    key_wrap_authenticator,
                    extra,
                }
                .emit(out)
            }),
            MessageType::M5 => self.encrypt(0, |out| {
                M5Settings {
                    e_snonce1: n1,
                    key_wrap_authenticator,
                    extra,
                }
                .emit(out)
            }),
            _ => self.encrypt(1, |out| {
                M6Settings {
                    r_snonce2: n2,
                    key_wrap_authenticator,
                    extra,
                }
                .emit(out)
            }),
        }
    }

    /// M5, M6, M7 or M8 around Encrypted Settings `es`, sealed with its Authenticator.
    pub(crate) fn encrypted_msg(&mut self, t: MessageType, es: &[u8]) -> Vec<u8> {
        let enrollee_nonce = &self.enrollee_nonce;
        let registrar_nonce = &self.registrar_nonce;
        let encrypted_settings = es;
        let authenticator = None;
        let bytes = build(|out| match t {
            MessageType::M5 => ours!(M5 {
                registrar_nonce,
                encrypted_settings,
                authenticator
            })
            .emit_without_authenticator(out),
            MessageType::M6 => ours!(M6 {
                enrollee_nonce,
                encrypted_settings,
                authenticator
            })
            .emit_without_authenticator(out),
            MessageType::M7 => ours!(M7 {
                registrar_nonce,
                encrypted_settings,
                authenticator
            })
            .emit_without_authenticator(out),
            _ => ours!(M8 {
                enrollee_nonce,
                encrypted_settings,
                authenticator
            })
            .emit_without_authenticator(out),
        });
        self.seal(bytes)
    }

    /// Decrypts the Encrypted Settings of `attrs`, checking padding and KWA.
    pub(crate) fn decrypt(
        &self,
        attrs: &Attributes<'_>,
    ) -> Result<Zeroizing<Vec<u8>>, FailureReason> {
        let value = attrs
            .get(AttrType::EncryptedSettings)
            .ok_or(FailureReason::Missing(AttrType::EncryptedSettings))?;
        let keys = self.keys.as_ref().ok_or(FailureReason::Authenticator)?;
        crypto::decrypt_settings(keys.key_wrap_key(), keys.auth_key(), value)
            .map_err(FailureReason::EncryptedSettings)
    }

    /// Checks a revealed secret nonce against the stored peer hash `half` (1 or 2).
    /// `enrollee_side` says whose public key is ours.
    pub(crate) fn verify_peer_hash(
        &self,
        half: u8,
        secret_nonce: &[u8; 16],
        own_is_enrollee: bool,
    ) -> Result<(), FailureReason> {
        let mismatch = FailureReason::PasswordMismatch { half };
        let keys = self.keys.as_ref().ok_or(mismatch)?;
        let (psk, expected) = if half == 1 {
            (self.psk1.as_ref(), &self.peer_hash1)
        } else {
            (self.psk2.as_ref(), &self.peer_hash2)
        };
        let psk = psk.ok_or(mismatch)?;
        let own = self.secrets.dh.public_key_ref().as_slice();
        let (pk_e, pk_r) = if own_is_enrollee {
            (own, self.peer_public.as_slice())
        } else {
            (self.peer_public.as_slice(), own)
        };
        crypto::verify_e_hash(keys.auth_key(), secret_nonce, psk, pk_e, pk_r, expected)
            .map_err(|_| mismatch)
    }

    /// Own hash `half` over own secret nonce `half`.
    pub(crate) fn own_hash(&self, half: u8, own_is_enrollee: bool) -> [u8; 32] {
        let (Some(keys), Some(psk1), Some(psk2)) = (&self.keys, &self.psk1, &self.psk2) else {
            return [0; 32];
        };
        let (nonce, psk) = if half == 1 {
            (&self.secrets.secret_nonces[0], psk1)
        } else {
            (&self.secrets.secret_nonces[1], psk2)
        };
        let own = self.secrets.dh.public_key_ref().as_slice();
        let (pk_e, pk_r) = if own_is_enrollee {
            (own, self.peer_public.as_slice())
        } else {
            (self.peer_public.as_slice(), own)
        };
        crypto::e_hash(keys.auth_key(), nonce, psk, pk_e, pk_r)
    }
}

/// Event queue plus the final verdict.
#[derive(Debug, Default)]
#[cfg_attr(fuzzing, derive(Clone))]
pub(crate) struct Events {
    queue: VecDeque<Event>,
}

impl Events {
    pub(crate) fn push(&mut self, e: Event) {
        self.queue.push_back(e);
    }
    pub(crate) fn pop(&mut self) -> Option<Event> {
        self.queue.pop_front()
    }
}

/// Reads a 16-byte nonce-like attribute.
pub(crate) fn array16(attrs: &Attributes<'_>, t: AttrType) -> Result<[u8; 16], FailureReason> {
    attrs
        .array::<16>(t)
        .copied()
        .ok_or(FailureReason::Missing(t))
}

/// Reads a 32-byte hash attribute.
pub(crate) fn array32(attrs: &Attributes<'_>, t: AttrType) -> Result<[u8; 32], FailureReason> {
    attrs
        .array::<32>(t)
        .copied()
        .ok_or(FailureReason::Missing(t))
}
