//! Time without a clock: instants the caller supplies, and every WPS timer.
//!
//! Nothing in this crate reads a clock. The application passes `now` (an [`Instant`]) into
//! each call that can depend on time, asks each timer-owning value for its next deadline
//! with `poll_timeout()`, and calls `handle_timeout(now)` when that deadline has come, the
//! shape quinn-proto uses for its connections. A [`Clock`] trait with [`SystemClock`]
//! (`std`) and [`ManualClock`] (tests, simulations) is there for applications that want
//! one; the logic never calls it itself.
//!
//! What lives here, one file per idea:
//!
//! | item | rule (hostapd) |
//! |---|---|
//! | [`Instant`], [`Clock`], [`ManualClock`], [`SystemClock`] | monotonic milliseconds since an arbitrary epoch |
//! | [`Lifetime`], [`TimedPassword`], [`PinExpired`] | a PIN with an expiry; the AP PIN defaults to [`AP_PIN_DEFAULT_LIFETIME`] (300 s) |
//! | [`OperationTimer`], [`Retransmit`], [`TimeoutReason`] | the 120 s exchange timeout and EAP retransmission |
//!
//! The registrar's policies built on these timers (the PIN table, the push-button
//! monitor, the AP-PIN lockout) live with the registrar: [`crate::registration`].
//!
//! # Deadlines and boundaries
//!
//! hostapd has two kinds of time checks and this module keeps both exactly:
//!
//! * **Timers** (`eloop` timeouts: walk time, Selected Registrar timeout, AP-PIN lockout,
//!   AP PIN expiry, message timeouts) fire when `now >= deadline`. A 120 s timer armed at
//!   `t` has not fired at `t + 119.999 s` and has fired at `t + 120 s`.
//! * **Ages checked lazily** (registrar PIN expiry, PBC session age) count as expired only
//!   once they are strictly *past* their limit: a PIN with a 300 s timeout added at `t` is
//!   still usable at `t + 300 s` and gone at `t + 300.001 s`; a PBC session seen at `t`
//!   still counts for overlap at `t + 120 s`.
//!
//! Time has millisecond resolution; [`Duration`]s are truncated to whole milliseconds.
//!
//! # Duration type
//!
//! [`Duration`] is `core::time::Duration` re-exported, not a type of our own: it is what
//! every Rust program already uses, it converts to and from `std::time` for free, and it
//! has `const` constructors for the protocol constants below. [`Instant`] is ours because
//! `std::time::Instant` does not exist in `no_std` and cannot be built from a number.

mod clock;
mod exchange;
mod expiring;
mod instant;

pub use core::time::Duration;

#[cfg(feature = "std")]
pub use clock::SystemClock;
pub use clock::{Clock, ManualClock};
pub use exchange::{
    EAP_FINAL_MESSAGE_TIMEOUT, EAP_MAX_RETRANSMISSIONS, EAP_PEER_TIMEOUT_CAP,
    EAP_RETRANSMIT_INTERVAL, MESSAGE_TIMEOUT_CONFIG_ERROR, OPERATION_TIMEOUT, OperationTimer,
    Retransmit, RetransmitAction, TimeoutReason,
};
pub use expiring::{AP_PIN_DEFAULT_LIFETIME, Lifetime, PinExpired, TimedPassword};
pub use instant::Instant;
pub(crate) use instant::earlier;
