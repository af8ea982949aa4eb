//! AP-PIN brute-force lockout (hostapd `src/ap/wps_hostapd.c`, `wps_pwd_auth_fail`).

use crate::time::{Duration, Instant};

/// Failures (since the AP PIN was set) at which AP setup locks: **3**.
pub const AP_PIN_LOCK_FAILURES: u32 = 3;
/// Consecutive failures after which the lock never times out: **10**.
pub const AP_PIN_INDEFINITE_LOCK_CONSECUTIVE: u32 = 10;
/// First lockout period: **60 s** (hard-coded upstream).
pub const AP_PIN_LOCKOUT_FIRST: Duration = Duration::from_secs(60);
/// The period doubles only while it is below this: **365 days**.
pub const AP_PIN_LOCKOUT_MAX_DOUBLING: Duration = Duration::from_secs(365 * 24 * 60 * 60);

/// What [`ApPinLockout::record_failure`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LockState {
    /// Not locked (fewer than [`AP_PIN_LOCK_FAILURES`] failures).
    Unlocked,
    /// Locked until the given instant.
    LockedUntil(Instant),
    /// Locked until a new AP PIN is set (10 consecutive failures, or `ap_setup_locked`
    /// configured).
    LockedIndefinitely,
}

/// Brute-force protection for the AP PIN: counts external registrars that fail to
/// prove the AP PIN (R-Hash1/R-Hash2 mismatch on the AP-enrollee side) and locks AP
/// setup with a growing back-off.
///
/// On each failure: `failures += 1`, `consecutive += 1`; nothing more below 3
/// failures. Otherwise AP setup is locked (advertise AP Setup Locked, NACK at M2 with
/// Config Error 15), and:
/// * configured `ap_setup_locked` → stays locked, no timer;
/// * `consecutive >= 10` → locked indefinitely;
/// * else the lock lasts the current period: 60 s the first time, then doubled when
///   `failures % 3 == 0` while still below one year, otherwise unchanged.
///
/// Schedule for an attacker who always fails: failures 3–5 lock 60 s, 6–8 lock 120 s,
/// 9 locks 240 s, the 10th consecutive locks for good.
///
/// A registrar that proves the AP PIN ([`record_success`](Self::record_success)) resets
/// only the consecutive counter. A new AP PIN ([`new_ap_pin`](Self::new_ap_pin)) resets
/// both counters and the lock; like hostapd it keeps the current lockout period, so the
/// next lockout after a new PIN continues the back-off.
///
/// ```
/// use wps::registration::{ApPinLockout, LockState};
/// use wps::time::{Duration, Instant};
///
/// let mut lockout = ApPinLockout::new();
/// let t = Instant::from_secs(100);
/// assert_eq!(lockout.record_failure(t), LockState::Unlocked);
/// assert_eq!(lockout.record_failure(t), LockState::Unlocked);
/// assert_eq!(lockout.record_failure(t), LockState::LockedUntil(Instant::from_secs(160)));
/// assert!(lockout.is_locked(Instant::from_millis(159_999)));
/// assert!(!lockout.is_locked(Instant::from_secs(160)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct ApPinLockout {
    failures: u32,
    consecutive: u32,
    /// Current lockout period; zero until the first timed lockout.
    period: Duration,
    /// The runtime "AP setup locked" flag.
    locked: bool,
    /// When the runtime lock is lifted; `None` while locked means indefinitely.
    unlock_at: Option<Instant>,
    /// The configured `ap_setup_locked = 1`.
    config_locked: bool,
}

impl ApPinLockout {
    /// No failures, unlocked, not config-locked.
    #[must_use]
    pub fn new() -> ApPinLockout {
        ApPinLockout::default()
    }

    /// Sets the configured `ap_setup_locked` flag (a locked AP never times out of the
    /// lock).
    pub fn set_config_locked(&mut self, locked: bool) {
        self.config_locked = locked;
    }

    /// An external registrar failed to prove the AP PIN at `now`.
    pub fn record_failure(&mut self, now: Instant) -> LockState {
        self.failures = self.failures.saturating_add(1);
        self.consecutive = self.consecutive.saturating_add(1);
        if self.failures < AP_PIN_LOCK_FAILURES {
            return self.state();
        }
        self.locked = true;
        if self.config_locked || self.consecutive >= AP_PIN_INDEFINITE_LOCK_CONSECUTIVE {
            self.unlock_at = None;
        } else {
            if self.period.is_zero() {
                self.period = AP_PIN_LOCKOUT_FIRST;
            } else if self.period < AP_PIN_LOCKOUT_MAX_DOUBLING
                && self.failures.is_multiple_of(AP_PIN_LOCK_FAILURES)
            {
                self.period = self.period.saturating_mul(2);
            }
            self.unlock_at = Some(now.saturating_add(self.period));
        }
        self.state()
    }

    /// A registrar proved the AP PIN (R-Hash2 verified on M6): the consecutive counter
    /// restarts. A running lock is not lifted.
    pub fn record_success(&mut self) {
        self.consecutive = 0;
    }

    /// A new AP PIN was set: counters and lock cleared, configured lock cleared too
    /// (hostapd clears `ap_setup_locked` when a PIN is enabled). The period is kept.
    pub fn new_ap_pin(&mut self) {
        self.failures = 0;
        self.consecutive = 0;
        self.locked = false;
        self.unlock_at = None;
        self.config_locked = false;
    }

    /// Whether AP setup is locked at `now` (configured or runtime lock).
    #[must_use]
    pub fn is_locked(&self, now: Instant) -> bool {
        self.config_locked || (self.locked && self.unlock_at.is_none_or(|at| now < at))
    }

    /// The current lock, ignoring time.
    #[must_use]
    pub fn state(&self) -> LockState {
        match (self.config_locked, self.locked, self.unlock_at) {
            (true, _, _) | (false, true, None) => LockState::LockedIndefinitely,
            (false, true, Some(at)) => LockState::LockedUntil(at),
            (false, false, _) => LockState::Unlocked,
        }
    }

    /// Failures since the AP PIN was set.
    #[must_use]
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// Failures since the last success.
    #[must_use]
    pub fn consecutive_failures(&self) -> u32 {
        self.consecutive
    }

    /// The lockout period that applies now (zero before the first timed lockout).
    #[must_use]
    pub fn period(&self) -> Duration {
        self.period
    }

    /// When the runtime lock lifts, if a timed lock is running.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        if self.locked && !self.config_locked {
            self.unlock_at
        } else {
            None
        }
    }

    /// Lifts a timed lock whose deadline has come; returns `true` if it did
    /// (`WPS-AP-SETUP-UNLOCKED`).
    pub fn handle_timeout(&mut self, now: Instant) -> bool {
        match self.poll_timeout() {
            Some(at) if at <= now => {
                self.locked = false;
                self.unlock_at = None;
                true
            }
            _ => false,
        }
    }
}
