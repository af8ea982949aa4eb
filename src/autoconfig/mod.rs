//! IEEE 1905 AP autoconfiguration (EasyMesh / Multi-AP): the WSC M1 and M2 that a
//! Multi-AP Agent and Controller exchange to configure the agent's radios.
//!
//! Only two messages, no EAP, no PIN: the agent sends one M1 per radio (inside an
//! AP-Autoconfiguration WSC 1905 message, beside its AP Radio Basic Capabilities TLV);
//! the controller answers with one M2 per BSS that radio is to run, or one M2 with the
//! Tear Down bit. Each M2 carries, in its Encrypted Settings, the BSS's SSID,
//! authentication, encryption, network key and Multi-AP role ([`ConfigData`]).
//! Everything cryptographic is the ordinary WSC key schedule: DHKey, KDK over
//! N1 ‖ M1's MAC Address ‖ N2, AuthKey and KeyWrapKey; the Authenticator covers
//! M1 ‖ M2 and the Key Wrap Authenticator the settings.
//!
//! These are plain functions and values over the WSC TLV *values* a 1905 stack carries;
//! the 1905 framing (CMDUs, the WSC TLV header, radio identifiers) stays with the
//! stack.
//!
//! * Agent: [`Agent::new`] builds the M1 ([`Agent::m1`]); [`Agent::process_m2`] checks
//!   one M2 and yields a [`BssConfig`]; [`Agent::process_m2s`] does a whole answer.
//! * Controller: [`build_m2s`] answers an M1 with one M2 per [`Bss`] (fresh secrets
//!   from the caller's RNG); [`build_m2`] builds one M2 from given [`M2Secrets`].
//!
//! Secrets (DH key pairs, nonces, IVs, keys, decrypted settings, network keys) are wiped
//! on drop and never printed by `Debug`; the Authenticator and Key Wrap Authenticator
//! comparisons are constant-time.
//!
//! [`ConfigData`]: crate::message::ConfigData

mod agent;
mod bss;
mod controller;
mod error;

pub use agent::Agent;
pub use bss::{Bss, BssConfig};
pub use controller::{M2Secrets, build_m2, build_m2s};
pub use error::{AgentError, ControllerError};

use crate::attr::MacAddr;
use crate::crypto::{DhError, DhKeyPair, SessionKeys, kdk};

/// The keys of one M1/M2 exchange, on either side: DHKey from this side's `dh` and the
/// peer's `peer_public`, then the KDK over N1 ‖ the enrollee's MAC Address ‖ N2.
fn session_keys(
    dh: &DhKeyPair,
    peer_public: &[u8],
    enrollee_nonce: &[u8; 16],
    enrollee_mac: &MacAddr,
    registrar_nonce: &[u8; 16],
) -> Result<SessionKeys, DhError> {
    let dh_key = dh.dh_key(peer_public)?;
    let kdk = kdk(&dh_key, enrollee_nonce, &enrollee_mac.0, registrar_nonce);
    Ok(SessionKeys::derive(&kdk))
}
