//! A device password with an optional expiry: the AP PIN and dynamic PINs.

use crate::pin::DevicePassword;

use super::{Duration, Instant};

/// How long a PIN stays usable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lifetime {
    /// Never expires.
    Forever,
    /// Expires this long after it was set.
    For(Duration),
}

/// Default lifetime of an AP PIN set with `wps_ap_pin random|set` and no timeout
/// argument: **300 s** (hostapd `hostapd/ctrl_iface.c`; the README's "no timeout unless
/// given" is not what the code does).
pub const AP_PIN_DEFAULT_LIFETIME: Lifetime = Lifetime::For(Duration::from_secs(300));

impl Lifetime {
    /// hostapd's control-interface convention: a timeout in seconds, `0` = forever.
    ///
    /// ```
    /// use wps::time::{Duration, Lifetime};
    /// assert_eq!(Lifetime::from_secs(0), Lifetime::Forever);
    /// assert_eq!(Lifetime::from_secs(300), Lifetime::For(Duration::from_secs(300)));
    /// ```
    #[must_use]
    pub const fn from_secs(secs: u64) -> Lifetime {
        if secs == 0 {
            Lifetime::Forever
        } else {
            Lifetime::For(Duration::from_secs(secs))
        }
    }

    /// The expiry instant for something set at `now` (`None` = never); a lifetime
    /// reaching past [`Instant::MAX`] gives [`Instant::MAX`].
    #[must_use]
    pub fn deadline(self, now: Instant) -> Option<Instant> {
        match self {
            Lifetime::Forever => None,
            Lifetime::For(d) => Some(now.saturating_add(d)),
        }
    }
}

/// The PIN's lifetime is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the PIN has expired")]
pub struct PinExpired;

/// A device password that stops being usable at a deadline: the AP PIN (an AP acting
/// as enrollee for external registrars), or a dynamic PIN shown on a display.
///
/// Expiry is a timer in hostapd (`wps_ap_pin_timeout`), so it follows the timer rule:
/// usable while `now < deadline`, expired from the deadline on.
///
/// ```
/// use wps::pin::{DevicePassword, Pin};
/// use wps::time::{AP_PIN_DEFAULT_LIFETIME, Duration, Instant, PinExpired, TimedPassword};
///
/// let start = Instant::from_secs(1000);
/// let pin = DevicePassword::from(&Pin::parse("12345670")?);
/// let ap_pin = TimedPassword::new(pin, start, AP_PIN_DEFAULT_LIFETIME);
/// assert!(ap_pin.password(start + Duration::from_millis(299_999)).is_ok());
/// assert_eq!(ap_pin.password(start + Duration::from_secs(300)), Err(PinExpired));
/// # Ok::<(), wps::pin::PinError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimedPassword {
    password: DevicePassword,
    expires_at: Option<Instant>,
}

impl TimedPassword {
    /// `password`, set at `now`, usable for `lifetime`.
    #[must_use]
    pub fn new(password: DevicePassword, now: Instant, lifetime: Lifetime) -> TimedPassword {
        TimedPassword {
            password,
            expires_at: lifetime.deadline(now),
        }
    }

    /// The password, unless it has expired at `now`.
    ///
    /// # Errors
    /// [`PinExpired`] from the deadline on.
    pub fn password(&self, now: Instant) -> Result<&DevicePassword, PinExpired> {
        if self.is_expired(now) {
            Err(PinExpired)
        } else {
            Ok(&self.password)
        }
    }

    /// Whether the deadline has come (`deadline <= now`).
    #[must_use]
    pub fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|at| at <= now)
    }

    /// When it expires (`None` = never).
    #[must_use]
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// The next deadline: the expiry (hostapd then deletes the AP PIN and reports
    /// `WPS-AP-PIN-DISABLED`).
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.expires_at
    }
}
