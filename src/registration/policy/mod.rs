//! The registrar's policies, on the timers of [`crate::time`]: hostapd's rules for
//! which password an enrollee may use and when.
//!
//! | item | rule (hostapd) |
//! |---|---|
//! | [`PinStore`], [`AuthorizedMacs`] | the registrar's PIN table: per-UUID and wildcard PINs, locking, invalidation, expiry, the 120 s Selected Registrar timeout |
//! | [`PbcMonitor`] | push-button walk time, session monitor, overlap detection |
//! | [`ApPinLockout`] | AP-PIN brute-force lockout with back-off |
//!
//! Deadlines and boundaries follow [`crate::time`]'s rules.

mod lockout;
mod pbc;
mod pin_store;

pub use lockout::{
    AP_PIN_INDEFINITE_LOCK_CONSECUTIVE, AP_PIN_LOCK_FAILURES, AP_PIN_LOCKOUT_FIRST,
    AP_PIN_LOCKOUT_MAX_DOUBLING, ApPinLockout, LockState,
};
pub use pbc::{
    PBC_IGNORE_AFTER_SUCCESS, PBC_MONITOR_TIME, PBC_WALK_TIME, PbcMonitor, PbcOverlap, PbcRefusal,
};
pub use pin_store::{
    AUTHORIZED_MACS_MAX, AuthorizedMacs, BROADCAST_MAC, PasswordOutcome, PinLookupError, PinStore,
    PinStoreFull, SELECTED_REGISTRAR_TIMEOUT,
};
