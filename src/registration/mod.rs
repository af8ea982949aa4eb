//! The registration protocol: Enrollee and Registrar state machines (M1..M8).
//!
//! Both machines are sans-IO. The caller hands in one reassembled WSC message (the TLV
//! stream an EAP-WSC packet carries) and the current time; the machine answers with the
//! message to send, if any, tagged with its EAP-WSC op-code, and queues [`Event`]s
//! (credential received, M2D, success, failure…). Nothing here reads a clock, draws
//! randomness on its own or touches a socket: every secret a run needs is drawn up front
//! into [`SessionSecrets`] from the caller's RNG (or given explicitly, for replaying a
//! captured run byte for byte).
//!
//! * [`Enrollee`] — a station joining a network, or an AP being configured (or read) by
//!   an external registrar that knows its AP PIN.
//! * [`RegistrarSession`] — one exchange on the registrar side: the AP's internal
//!   registrar handing out credentials, or an external registrar (a station) reading or
//!   replacing an AP's settings. The long-lived state (PIN table, push-button monitor) is
//!   the caller's [`PasswordSource`]; a session consults it at M1 and reports back what
//!   happened to the password when the run ends.
//!
//! Every check follows hostapd's `wps_enrollee.c` / `wps_registrar.c`, with hostapd's
//! outcome: a nonce mismatch ends the run silently, a wrong PIN half is answered by a
//! WSC_NACK with Configuration Error 18, a PBC overlap by an M2D (or NACK) with 12, a
//! setup-locked AP by a NACK with 15, and every other bad message by a NACK with 0.
//!
//! ```
//! use wps::registration::*;
//! use wps::pin::DevicePassword;
//! # use wps::attr::*;
//! # use wps::time::Instant;
//! let mut rng = rand::rng();
//! let now = Instant::ZERO;
//! let pin = DevicePassword::from_bytes(b"12345670")?;
//!
//! let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
//! let mut enrollee = Enrollee::new(
//!     EnrolleeConfig::station(printer, pin.clone()),
//!     SessionSecrets::generate(&mut rng),
//!     now,
//! );
//! let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
//! let network = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
//! let mut registrar = RegistrarSession::new(
//!     RegistrarConfig::internal(router, vec![network]),
//!     SessionSecrets::generate(&mut rng),
//!     now,
//! );
//! let mut passwords = FixedPassword::new(pin);
//!
//! // The EAP layer moves the bytes; here they go straight across.
//! let mut to_registrar = enrollee.start(now);
//! loop {
//!     let Some(reply) = registrar.handle(&to_registrar.bytes, now, &mut passwords) else { break };
//!     match enrollee.handle(&reply.bytes, now) {
//!         Some(next) => to_registrar = next,
//!         None => break,
//!     }
//!     if to_registrar.op_code == OpCode::Done {
//!         registrar.handle(&to_registrar.bytes, now, &mut passwords);
//!         break;
//!     }
//! }
//! let credential = core::iter::from_fn(|| enrollee.poll_event())
//!     .find_map(|e| match e { Event::Credential(c) => Some(c), _ => None })
//!     .expect("credential");
//! assert_eq!(credential.ssid(), b"home");
//! assert!(enrollee.is_success() && registrar.is_success());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "alloc")]
mod device;
#[cfg(all(feature = "alloc", feature = "enrollee"))]
mod enrollee;
#[cfg(all(feature = "alloc", feature = "nfc"))]
mod handover;
#[cfg(feature = "alloc")]
mod multi_ap;
#[cfg(all(feature = "alloc", feature = "nfc"))]
mod nfc_tokens;
#[cfg(all(feature = "alloc", feature = "registrar"))]
mod password;
mod policy;
#[cfg(all(feature = "alloc", feature = "registrar"))]
mod registrar;
#[cfg(feature = "alloc")]
mod secrets;
#[cfg(feature = "alloc")]
mod session;

#[cfg(feature = "alloc")]
pub use device::{Credential, CredentialError, DeviceInfo, NetworkSettings};
#[cfg(all(feature = "alloc", feature = "enrollee"))]
pub use enrollee::{ApSetupLock, Enrollee, EnrolleeConfig, EnrolleeRole};
#[cfg(all(feature = "alloc", feature = "nfc"))]
pub use handover::{HandoverKey, NfcHandover};
#[cfg(feature = "alloc")]
pub use multi_ap::MultiApSettings;
#[cfg(all(feature = "alloc", feature = "nfc"))]
pub use nfc_tokens::{MAX_NFC_TOKENS, NfcTokens};
#[cfg(all(feature = "alloc", feature = "registrar"))]
pub use password::{ApRegistrar, FixedPassword, PasswordLookup, PasswordRequest, PasswordSource};
pub use policy::{
    AP_PIN_INDEFINITE_LOCK_CONSECUTIVE, AP_PIN_LOCK_FAILURES, AP_PIN_LOCKOUT_FIRST,
    AP_PIN_LOCKOUT_MAX_DOUBLING, AUTHORIZED_MACS_MAX, ApPinLockout, AuthorizedMacs, BROADCAST_MAC,
    LockState, PBC_IGNORE_AFTER_SUCCESS, PBC_MONITOR_TIME, PBC_WALK_TIME, PasswordOutcome,
    PbcMonitor, PbcOverlap, PbcRefusal, PinLookupError, PinStore, PinStoreFull,
    SELECTED_REGISTRAR_TIMEOUT,
};
#[cfg(all(feature = "alloc", feature = "registrar"))]
pub use registrar::{RegistrarConfig, RegistrarRole, RegistrarSession};
#[cfg(feature = "alloc")]
pub use secrets::SessionSecrets;
#[cfg(feature = "alloc")]
pub use session::{
    Event, Failure, FailureReason, M2dInfo, OpCode, Outgoing, PeerMisbehaved, Refusal,
};

/// How long a whole registration may take before it fails with Configuration Error 16
/// (wpa_supplicant's WPS operation timeout, `WPS_PBC_WALK_TIME`).
pub const REGISTRATION_TIMEOUT: core::time::Duration = core::time::Duration::from_secs(120);
