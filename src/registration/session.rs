//! What both machines share: the op-codes and events they hand out, and the per-run
//! cryptographic state (nonces, keys, "previous message" for the Authenticators).

use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::device::Credential;
use super::secrets::SessionSecrets;
use crate::attr::{
    AttrType, ConfigError, ConfigMethods, DevicePasswordId, MacAddr, MessageType, WfaExtension,
};
use crate::crypto::{self, DhError, Psk, SessionKeys, SettingsError};
use crate::fifo::Fifo;
pub use crate::message::OpCode;
use crate::message::{self, DeviceIdentity, Envelope, MessageError};
use crate::tlv::{self, WriteError};

/// The Version attribute of every message (0x10 in WSC 1.0 and 2.0 alike).
pub(crate) const VERSION: u8 = 0x10;

/// A message-layer struct literal with the fields every message sent here has alike:
/// Version 0x10, the WFA extension with Version2, no other vendor extension. Tests
/// check [`write_message`]'s output against these structs.
#[cfg(test)]
macro_rules! ours {
    ($t:ident { $($f:ident $(: $v:expr)?),* $(,)? }) => {
        $t {
            version: $crate::registration::session::VERSION,
            $($f $(: $v)?,)*
            wfa: Some($crate::registration::session::VERSION2_ONLY),
            extra: $crate::message::Extra::NONE,
        }
    };
}
#[cfg(test)]
pub(crate) use ours;

/// The end of `handle` and the polling methods both machines share: a machine has
/// `last_sent`, `events`, `deadline` and `is_finished`.
#[cfg(any(feature = "enrollee", feature = "registrar"))]
macro_rules! machine_polls {
    () => {
        /// Remembers the message `handle` is about to return, for a NACK or a timeout.
        fn sent(&mut self, out: Option<Outgoing>) -> Option<Outgoing> {
            if let Some(o) = &out {
                self.last_sent = Some(o.message_type);
            }
            out
        }

        /// Next queued event.
        pub fn poll_event(&mut self) -> Option<Event> {
            self.events.pop()
        }

        /// When [`handle_timeout`](Self::handle_timeout) must be called, while the run is on.
        pub fn poll_timeout(&self) -> Option<Instant> {
            (!self.is_finished()).then_some(self.deadline)
        }
    };
}
#[cfg(any(feature = "enrollee", feature = "registrar"))]
pub(crate) use machine_polls;

/// Runs a message-layer emitter into a fresh buffer.
///
/// Writing cannot fail: a `Vec` never runs out of room and every value the machines
/// write is bounded by its type (nothing comes near a TLV's 65535 bytes).
// Generic only for the caller's convenience: the buffer comes from one shared function.
#[inline(always)]
pub(crate) fn build(emit: impl FnOnce(&mut Vec<u8>) -> Result<(), WriteError>) -> Vec<u8> {
    let mut out = message_buffer();
    let _ = emit(&mut out);
    out
}

/// An empty buffer with room for the longest message the machines build.
#[inline(never)]
fn message_buffer() -> Vec<u8> {
    Vec::with_capacity(420)
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
    /// The registrar's device attributes, when its M2D had all six.
    pub identity: Option<DeviceIdentity>,
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
    #[cfg(feature = "registrar")]
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
    /// checks, or, when a NACK arrived or the run timed out, the last message this side
    /// sent. `None` when no message is involved: a stream that names no Message Type, a
    /// timeout before anything was sent, or a run the caller aborted.
    pub message: Option<MessageType>,
    /// The Configuration Error sent in (or received with) the NACK / M2D; 16 for a timeout.
    pub config_error: ConfigError,
    /// What went wrong.
    pub reason: FailureReason,
}

/// What went wrong in a failed run, by cause.
///
/// The top level says whose fault it was: a message that could not be read
/// ([`Malformed`](Self::Malformed)), a peer that broke the protocol
/// ([`PeerMisbehaved`](Self::PeerMisbehaved)), a device password the two sides do not
/// share ([`PasswordMismatch`](Self::PasswordMismatch)), a side's policy
/// ([`Refused`](Self::Refused)), the clock ([`Timeout`](Self::Timeout)) or the caller
/// ([`Aborted`](Self::Aborted)); the nested enums say which check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FailureReason {
    /// A received message (or the plaintext of its Encrypted Settings) could not be
    /// read: not a well-formed attribute stream, or a required attribute is missing.
    Malformed(MessageError),
    /// The peer broke the protocol.
    PeerMisbehaved(PeerMisbehaved),
    /// E-Hash or R-Hash mismatch: the device password half differs (Config Error 18).
    PasswordMismatch {
        /// 1 or 2.
        half: u8,
    },
    /// A side's policy ended the run (locked, push-button overlap, no password, a NACK).
    Refused(Refusal),
    /// The run did not finish in time (Config Error 16).
    Timeout,
    /// The run was abandoned by the caller.
    Aborted,
}

/// How the peer broke the protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeerMisbehaved {
    /// The message's nonce is not this run's (or it has none).
    NonceMismatch,
    /// A message arrived that this state does not expect.
    UnexpectedMessage(MessageType),
    /// The peer's public key was refused.
    PublicKey(DhError),
    /// The Authenticator did not verify.
    Authenticator,
    /// Encrypted Settings could not be opened (padding, KWA).
    EncryptedSettings(SettingsError),
    /// The Device Password ID in M2 is not the one sent in M1.
    DevicePasswordIdMismatch,
    /// No usable credential or AP settings in M8 / M7.
    BadSettings,
    /// NFC connection handover: the registrar's Public Key in M2 is not the one whose
    /// hash the handover select carried (Configuration Error 20).
    #[cfg(feature = "nfc")]
    PublicKeyHashMismatch,
}

/// Which policy ended the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The AP is setup-locked (Config Error 15).
    SetupLocked,
    /// Push-button session overlap (Config Error 12).
    PbcOverlap,
    /// The registrar has no password for the enrollee and sent M2D; the run ended.
    NoPassword,
    /// An external registrar only read the AP settings and ended the run with a NACK.
    ReadOnly,
    /// The peer sent WSC_NACK (its Configuration Error is the failure's).
    NackReceived,
}

impl From<MessageError> for FailureReason {
    fn from(e: MessageError) -> Self {
        FailureReason::Malformed(e)
    }
}

impl From<PeerMisbehaved> for FailureReason {
    fn from(e: PeerMisbehaved) -> Self {
        FailureReason::PeerMisbehaved(e)
    }
}

impl From<Refusal> for FailureReason {
    fn from(e: Refusal) -> Self {
        FailureReason::Refused(e)
    }
}

impl fmt::Display for FailureReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FailureReason::Malformed(e) => write!(f, "a message was malformed: {e}"),
            FailureReason::PeerMisbehaved(e) => e.fmt(f),
            FailureReason::PasswordMismatch { half } => {
                write!(f, "half {half} of the device password did not match")
            }
            FailureReason::Refused(e) => e.fmt(f),
            FailureReason::Timeout => f.write_str("timed out"),
            FailureReason::Aborted => f.write_str("cancelled"),
        }
    }
}

impl fmt::Display for PeerMisbehaved {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PeerMisbehaved::NonceMismatch => f.write_str("a message belonged to another run"),
            PeerMisbehaved::UnexpectedMessage(t) => write!(f, "{t} arrived out of order"),
            PeerMisbehaved::PublicKey(e) => write!(f, "the peer's public key was refused: {e}"),
            PeerMisbehaved::Authenticator => f.write_str("a message failed its integrity check"),
            PeerMisbehaved::EncryptedSettings(e) => {
                write!(f, "the encrypted settings could not be opened: {e}")
            }
            PeerMisbehaved::DevicePasswordIdMismatch => {
                f.write_str("the registrar answered for another kind of password")
            }
            PeerMisbehaved::BadSettings => f.write_str("the settings received were not usable"),
            #[cfg(feature = "nfc")]
            PeerMisbehaved::PublicKeyHashMismatch => {
                f.write_str("the registrar's public key is not the one the NFC touch named")
            }
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Refusal::SetupLocked => "the access point is locked",
            Refusal::PbcOverlap => "more than one device pressed the button",
            Refusal::NoPassword => "the registrar has no password for the device",
            Refusal::ReadOnly => "the settings were read, not changed",
            Refusal::NackReceived => "the other side refused",
        })
    }
}

impl core::error::Error for FailureReason {}
impl core::error::Error for PeerMisbehaved {}
impl core::error::Error for Refusal {}

impl FailureReason {
    /// The Configuration Error hostapd puts in the WSC_NACK it sends for this reason:
    /// 18 for a wrong PIN half, 15 when the AP is setup-locked, 12 on push-button
    /// overlap, 20 for a handover registrar's public key that does not match its hash,
    /// and 0 ("no error") for everything else — hostapd has no specific code for a bad
    /// Authenticator, padding or a missing attribute.
    pub fn nack_config_error(self) -> ConfigError {
        match self {
            #[cfg(feature = "nfc")]
            FailureReason::PeerMisbehaved(PeerMisbehaved::PublicKeyHashMismatch) => {
                ConfigError::PublicKeyHashMismatch
            }
            FailureReason::PasswordMismatch { .. } => ConfigError::DevicePasswordAuthFailure,
            FailureReason::Refused(Refusal::SetupLocked) => ConfigError::SetupLocked,
            FailureReason::Refused(Refusal::PbcOverlap) => ConfigError::MultiplePbcDetected,
            _ => ConfigError::NoError,
        }
    }
}

/// Which side of the run this is: whose public key is PKE and whose PKR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Side {
    Enrollee,
    Registrar,
}

/// Half 1 or 2 of the device password (and of the secret nonces, hashes, PSKs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Half {
    First,
    Second,
}

impl Half {
    pub(crate) fn number(self) -> u8 {
        match self {
            Half::First => 1,
            Half::Second => 2,
        }
    }
}

/// Both nonces of a run as they stand: what WSC_ACK, WSC_NACK and WSC_Done carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Nonces {
    pub(crate) enrollee: [u8; 16],
    pub(crate) registrar: [u8; 16],
}

impl Nonces {
    /// WSC_ACK, WSC_NACK (carrying `config_error`) or WSC_Done with these nonces.
    pub(crate) fn control(&self, t: MessageType, config_error: ConfigError) -> Outgoing {
        let nonces = [
            (AttrType::EnrolleeNonce, &self.enrollee[..]),
            (AttrType::RegistrarNonce, &self.registrar[..]),
        ];
        let config_error = u16::from(config_error).to_be_bytes();
        let nack = [(AttrType::ConfigurationError, &config_error[..])];
        let rest: &[_] = if t == MessageType::WscNack {
            &nack
        } else {
            &[]
        };
        Outgoing {
            op_code: OpCode::for_message(t),
            message_type: t,
            bytes: write_message(t, &[&nonces, rest], &VERSION2_ONLY),
        }
    }

    /// The nonce this side's M3..M8 carry, the peer's: an enrollee's the Registrar
    /// Nonce, a registrar's the Enrollee Nonce.
    fn peer(&self, side: Side) -> Attr<'_> {
        match side {
            Side::Enrollee => (AttrType::RegistrarNonce, &self.registrar),
            Side::Registrar => (AttrType::EnrolleeNonce, &self.enrollee),
        }
    }
}

/// A WSC_NACK (its envelope `env`) received while the run's nonces are `nonces` (the Registrar Nonce
/// only checked when `check_registrar_nonce`: a registrar has checked it already),
/// attributed to `message`, the last one this side sent: the failure, and the WSC_NACK
/// this side answers with when it is the EAP peer (`answer`). Not a readable NACK:
/// a silent failure.
// One copy for both machines.
pub(crate) fn nack_received(
    env: &Envelope<'_>,
    nonces: &Nonces,
    message: Option<MessageType>,
    check_registrar_nonce: bool,
    answer: bool,
) -> (Failure, Option<Outgoing>) {
    let nack = match env.nack() {
        Ok(n) => n,
        Err(e) => {
            let f = Failure {
                message,
                config_error: ConfigError::NoError,
                reason: e.into(),
            };
            return (f, None);
        }
    };
    let mut f = Failure {
        message,
        config_error: nack.config_error,
        reason: Refusal::NackReceived.into(),
    };
    if *nack.enrollee_nonce != nonces.enrollee
        || (check_registrar_nonce && *nack.registrar_nonce != nonces.registrar)
    {
        f.reason = PeerMisbehaved::NonceMismatch.into();
        return (f, None);
    }
    let reply = answer.then(|| nonces.control(MessageType::WscNack, ConfigError::NoError));
    (f, reply)
}

/// An attribute to write: its type and value.
pub(crate) type Attr<'a> = (AttrType, &'a [u8]);

/// Version, Message Type `t`, the attributes of `parts` in their order, then the WFA
/// extension `wfa`: M1, WSC_ACK, WSC_NACK, WSC_Done and M3..M8 but their
/// Authenticator, byte for byte as the message layer's structs write them (Version
/// 0x10, no other vendor extension; tests compare the two).
// One writer for all of them: the struct emitters differ only in the attributes
// between the header and the extension, and each of them costs flash.
#[inline(never)]
pub(crate) fn write_message(
    t: MessageType,
    parts: &[&[Attr<'_>]],
    wfa: &WfaExtension<'_>,
) -> Vec<u8> {
    build(|out| {
        tlv::write_u8(out, AttrType::Version.to_u16(), VERSION)?;
        tlv::write_u8(out, AttrType::MessageType.to_u16(), u8::from(t))?;
        for (ty, value) in parts.iter().copied().flatten() {
            tlv::write_tlv(out, ty.to_u16(), value)?;
        }
        wfa.emit(out)
    })
}

/// The WFA vendor extension hostapd ends every message with (but a backhaul station's
/// M1): Version2 = 2.0.
pub(crate) const VERSION2_ONLY: WfaExtension<'static> = WfaExtension::version2_only();

/// The two PSKs, from the device password and AuthKey.
#[cfg_attr(fuzzing, derive(Clone))]
pub(crate) struct Psks {
    pub(crate) first: Psk,
    pub(crate) second: Psk,
}

/// A run from the moment both public keys are known: nonces, session keys, the peer's
/// public key, and the last message sent or accepted (the next Authenticator's input).
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub(crate) struct Keyed {
    pub(crate) nonces: Nonces,
    /// The peer's public key exactly as received (190..=192 bytes).
    peer_public: Vec<u8>,
    keys: SessionKeys,
    previous: Vec<u8>,
}

impl Keyed {
    /// DHKey → KDK → session keys; `mac` is the enrollee's MAC address, `previous` the
    /// message the next Authenticator covers (M1).
    pub(crate) fn derive(
        secrets: &SessionSecrets,
        nonces: Nonces,
        peer_public: &[u8],
        mac: &MacAddr,
        previous: Vec<u8>,
    ) -> Result<Self, DhError> {
        let dh_key = secrets.dh.dh_key(peer_public)?;
        let kdk = crypto::kdk(&dh_key, &nonces.enrollee, &mac.0, &nonces.registrar);
        Ok(Keyed {
            nonces,
            peer_public: peer_public.to_vec(),
            keys: SessionKeys::derive(&kdk),
            previous,
        })
    }

    /// PSK1 and PSK2 of `password`.
    pub(crate) fn psks(&self, password: &[u8]) -> Psks {
        let (first, second) = crypto::psks(self.keys.auth_key(), password);
        Psks { first, second }
    }

    /// Appends the Authenticator over `previous ‖ msg` to `msg` (a message written with
    /// `emit_without_authenticator`) and remembers the result.
    pub(crate) fn seal(&mut self, mut msg: Vec<u8>) -> Vec<u8> {
        let a = crypto::authenticator(self.keys.auth_key(), &self.previous, &msg);
        // Writing into a Vec cannot fail.
        let _ = message::append_authenticator(&mut msg, &a);
        self.accept(&msg);
        msg
    }

    /// The message the next Authenticator covers.
    #[cfg(test)]
    pub(crate) fn previous(&self) -> &[u8] {
        &self.previous
    }

    /// Remembers a received message that passed its checks.
    // One copy for its seven callers (as for the Authenticator check below).
    #[inline(never)]
    pub(crate) fn accept(&mut self, msg: &[u8]) {
        self.previous.clear();
        self.previous.extend_from_slice(msg);
    }

    /// Checks the Authenticator that ends `msg`.
    #[inline(never)]
    pub(crate) fn verify_authenticator(&self, msg: &[u8]) -> Result<(), PeerMisbehaved> {
        crypto::verify_authenticator(self.keys.auth_key(), &self.previous, msg)
            .map_err(|_| PeerMisbehaved::Authenticator)
    }

    /// Encrypted Settings with IV `iv` around the plaintext `emit` writes (a
    /// message-layer settings struct; the encryption adds the KWA).
    // Generic only for the caller's convenience: the plaintext, then one shared body.
    #[inline(always)]
    pub(crate) fn encrypt(
        &self,
        iv: &[u8; 16],
        emit: impl FnOnce(&mut Vec<u8>) -> Result<(), WriteError>,
    ) -> Vec<u8> {
        // The plaintext holds a secret nonce (and maybe a network key).
        self.encrypt_plain(iv, Zeroizing::new(build(emit)))
    }

    #[inline(never)]
    fn encrypt_plain(&self, iv: &[u8; 16], plain: Zeroizing<Vec<u8>>) -> Vec<u8> {
        crypto::encrypt_settings(self.keys.key_wrap_key(), self.keys.auth_key(), iv, &plain)
    }

    /// Checks the Authenticator that ends `msg`, then opens its Encrypted Settings
    /// `value` (M4 to M7).
    pub(crate) fn open_settings(
        &self,
        msg: &[u8],
        value: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, PeerMisbehaved> {
        self.verify_authenticator(msg)?;
        self.decrypt(value)
    }

    /// Opens an Encrypted Settings value, checking padding and KWA.
    #[inline(never)]
    pub(crate) fn decrypt(&self, value: &[u8]) -> Result<Zeroizing<Vec<u8>>, PeerMisbehaved> {
        crypto::decrypt_settings(self.keys.key_wrap_key(), self.keys.auth_key(), value)
            .map_err(PeerMisbehaved::EncryptedSettings)
    }

    /// (PKE, PKR) as sent and received.
    fn public_keys<'k>(&'k self, secrets: &'k SessionSecrets, side: Side) -> (&'k [u8], &'k [u8]) {
        let own = secrets.dh.public_key_ref().as_slice();
        match side {
            Side::Enrollee => (own, &self.peer_public),
            Side::Registrar => (&self.peer_public, own),
        }
    }

    /// This side's hash `half` (E-Hash or R-Hash) over its secret nonce `half`.
    pub(crate) fn own_hash(
        &self,
        secrets: &SessionSecrets,
        side: Side,
        half: Half,
        psk: &Psk,
    ) -> [u8; 32] {
        let [s1, s2] = &secrets.secret_nonces;
        let nonce = match half {
            Half::First => s1,
            Half::Second => s2,
        };
        let (pk_e, pk_r) = self.public_keys(secrets, side);
        crypto::e_hash(self.keys.auth_key(), nonce, psk, pk_e, pk_r)
    }

    /// Checks the peer's revealed secret nonce `half` against its hash `expected`.
    pub(crate) fn verify_peer_hash(
        &self,
        secrets: &SessionSecrets,
        side: Side,
        half: Half,
        psk: &Psk,
        secret_nonce: &[u8; 16],
        expected: &[u8; 32],
    ) -> Result<(), FailureReason> {
        let (pk_e, pk_r) = self.public_keys(secrets, side);
        crypto::verify_e_hash(
            self.keys.auth_key(),
            secret_nonce,
            psk,
            pk_e,
            pk_r,
            expected,
        )
        .map_err(|_| FailureReason::PasswordMismatch {
            half: half.number(),
        })
    }

    /// Encrypted Settings holding this side's secret nonce `half` (E-S1 in M5, E-S2 in a
    /// station's M7, R-S1 in M4, R-S2 in M6), under the IV of the same place.
    pub(crate) fn encrypted_secret_nonce(
        &self,
        secrets: &SessionSecrets,
        side: Side,
        half: Half,
    ) -> Vec<u8> {
        let [s1, s2] = &secrets.secret_nonces;
        let [iv1, iv2, _] = &secrets.ivs;
        let (attr, nonce, iv) = match (side, half) {
            (Side::Enrollee, Half::First) => (AttrType::ESNonce1, s1, iv1),
            (Side::Enrollee, Half::Second) => (AttrType::ESNonce2, s2, iv2),
            (Side::Registrar, Half::First) => (AttrType::RSNonce1, s1, iv1),
            (Side::Registrar, Half::Second) => (AttrType::RSNonce2, s2, iv2),
        };
        // As M4Settings .. M7Settings write it (no other attribute; the KWA follows).
        self.encrypt(iv, |out| tlv::write_tlv(out, attr.to_u16(), nonce))
    }

    /// This side's message `t` (M3..M8): the peer's nonce, then `attrs`, sealed with
    /// its Authenticator.
    pub(crate) fn sealed_message(
        &mut self,
        side: Side,
        t: MessageType,
        attrs: &[Attr<'_>],
    ) -> Vec<u8> {
        let bytes = write_message(t, &[&[self.nonces.peer(side)], attrs], &VERSION2_ONLY);
        self.seal(bytes)
    }
}

#[cfg(test)]
impl Keyed {
    /// A run of `ours` with a fixed peer, nonces N1 = [1; 16], N2 = [2; 16], and nothing
    /// accepted yet.
    pub(crate) fn for_tests(ours: &SessionSecrets) -> Keyed {
        let peer =
            SessionSecrets::from_parts(&[7; 25], [2; 16], [[8; 16]; 2], [[9; 16]; 3]).unwrap();
        let nonces = Nonces {
            enrollee: [1; 16],
            registrar: [2; 16],
        };
        let mac = MacAddr([2, 0, 0, 0, 0, 1]);
        Keyed::derive(ours, nonces, peer.public_key(), &mac, Vec::new()).unwrap()
    }
}

/// Event queue plus the final verdict.
#[derive(Debug, Default)]
#[cfg_attr(fuzzing, derive(Clone))]
pub(crate) struct Events {
    queue: Fifo<Event>,
}

impl Events {
    // One copy: the machines queue events from many places.
    #[inline(never)]
    pub(crate) fn push(&mut self, e: Event) {
        self.queue.push_back(e);
    }
    pub(crate) fn pop(&mut self) -> Option<Event> {
        self.queue.pop_front()
    }
    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }
    /// Drops the events queued after the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.queue.truncate(len);
    }
}

// The one message writer against the message layer's structs, which define the bytes.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{
        Ack, Done, Extra, M3, M4, M4Settings, M5, M5Settings, M6, M6Settings, M7, M7Settings, M8,
        Nack,
    };
    use proptest::prelude::*;

    fn emitted(emit: impl FnOnce(&mut Vec<u8>) -> Result<(), WriteError>) -> Vec<u8> {
        let mut out = Vec::new();
        assert_eq!(emit(&mut out), Ok(()));
        out
    }

    proptest! {
        #[test]
        fn control_messages_are_the_structs(
            enrollee in any::<[u8; 16]>(),
            registrar in any::<[u8; 16]>(),
            config_error in any::<u16>(),
        ) {
            let nonces = Nonces { enrollee, registrar };
            let (enrollee_nonce, registrar_nonce) = (&enrollee, &registrar);
            let config_error = ConfigError::from(config_error);
            for (t, want) in [
                (MessageType::WscAck, emitted(|o| ours!(Ack { enrollee_nonce, registrar_nonce }).emit(o))),
                (
                    MessageType::WscNack,
                    emitted(|o| ours!(Nack { enrollee_nonce, registrar_nonce, config_error }).emit(o)),
                ),
                (MessageType::WscDone, emitted(|o| ours!(Done { enrollee_nonce, registrar_nonce }).emit(o))),
            ] {
                let got = nonces.control(t, config_error);
                prop_assert_eq!((got.message_type, got.op_code), (t, OpCode::for_message(t)));
                prop_assert_eq!(got.bytes, want);
            }
        }

        #[test]
        fn m3_to_m8_are_the_structs(
            enrollee in any::<[u8; 16]>(),
            registrar in any::<[u8; 16]>(),
            hashes in any::<([u8; 32], [u8; 32])>(),
            es in proptest::collection::vec(any::<u8>(), 0..100),
        ) {
            let nonces = Nonces { enrollee, registrar };
            let (h1, h2) = (&hashes.0, &hashes.1);
            let (e, r) = (nonces.peer(Side::Registrar), nonces.peer(Side::Enrollee));
            let encrypted_settings = &es[..];
            let authenticator = None;
            let hashes_e = [(AttrType::EHash1, &h1[..]), (AttrType::EHash2, &h2[..])];
            let m4_attrs = [
                (AttrType::RHash1, &h1[..]),
                (AttrType::RHash2, &h2[..]),
                (AttrType::EncryptedSettings, encrypted_settings),
            ];
            let es_attr = [(AttrType::EncryptedSettings, encrypted_settings)];
            let (registrar_nonce, enrollee_nonce) = (&registrar, &enrollee);
            for (got, want) in [
                (
                    write_message(MessageType::M3, &[&[r], &hashes_e], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M3 { registrar_nonce, e_hash1: h1, e_hash2: h2, authenticator })
                            .emit_without_authenticator(o)
                    }),
                ),
                (
                    write_message(MessageType::M4, &[&[e], &m4_attrs], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M4 {
                            enrollee_nonce,
                            r_hash1: h1,
                            r_hash2: h2,
                            encrypted_settings,
                            authenticator
                        })
                        .emit_without_authenticator(o)
                    }),
                ),
                (
                    write_message(MessageType::M5, &[&[r], &es_attr], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M5 { registrar_nonce, encrypted_settings, authenticator })
                            .emit_without_authenticator(o)
                    }),
                ),
                (
                    write_message(MessageType::M6, &[&[e], &es_attr], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M6 { enrollee_nonce, encrypted_settings, authenticator })
                            .emit_without_authenticator(o)
                    }),
                ),
                (
                    write_message(MessageType::M7, &[&[r], &es_attr], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M7 { registrar_nonce, encrypted_settings, authenticator })
                            .emit_without_authenticator(o)
                    }),
                ),
                (
                    write_message(MessageType::M8, &[&[e], &es_attr], &VERSION2_ONLY),
                    emitted(|o| {
                        ours!(M8 { enrollee_nonce, encrypted_settings, authenticator })
                            .emit_without_authenticator(o)
                    }),
                ),
            ] {
                prop_assert_eq!(got, want);
            }
        }
    }

    #[test]
    fn secret_nonce_settings_are_the_structs() {
        let ours = SessionSecrets::from_parts(&[3; 25], [1; 16], [[4; 16], [5; 16]], [[6; 16]; 3])
            .unwrap();
        let run = Keyed::for_tests(&ours);
        let [s1, s2] = &ours.secret_nonces;
        let kwa = None;
        let extra = Extra::NONE;
        for (side, half, want, iv) in [
            (
                Side::Enrollee,
                Half::First,
                emitted(|o| {
                    M5Settings {
                        e_snonce1: s1,
                        key_wrap_authenticator: kwa,
                        extra,
                    }
                    .emit(o)
                }),
                0,
            ),
            (
                Side::Enrollee,
                Half::Second,
                emitted(|o| {
                    M7Settings {
                        e_snonce2: s2,
                        ssid: None,
                        mac_address: None,
                        auth_type: None,
                        encr_type: None,
                        network_key: None,
                        key_wrap_authenticator: kwa,
                        extra,
                    }
                    .emit(o)
                }),
                1,
            ),
            (
                Side::Registrar,
                Half::First,
                emitted(|o| {
                    M4Settings {
                        r_snonce1: s1,
                        key_wrap_authenticator: kwa,
                        extra,
                    }
                    .emit(o)
                }),
                0,
            ),
            (
                Side::Registrar,
                Half::Second,
                emitted(|o| {
                    M6Settings {
                        r_snonce2: s2,
                        key_wrap_authenticator: kwa,
                        extra,
                    }
                    .emit(o)
                }),
                1,
            ),
        ] {
            let es = run.encrypted_secret_nonce(&ours, side, half);
            assert_eq!(es.get(..16), ours.ivs.get(iv).map(|v| &v[..]));
            assert_eq!(run.decrypt(&es).unwrap().as_slice(), &want[..]);
        }
    }
}
