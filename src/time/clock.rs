//! Where `now` comes from, for applications that want an object to ask.

use core::cell::Cell;

use super::{Duration, Instant};

/// A source of monotonic time. The protocol logic never calls it: applications (and
/// tests) call `now()` and pass the result in.
pub trait Clock {
    /// The current instant; never earlier than a previous call's result.
    fn now(&self) -> Instant;
}

/// A clock that moves only when told to: for tests and simulations.
///
/// Interior mutability (`Cell`) lets one clock be shared by reference between the code
/// under test and the test driving it.
///
/// ```
/// use wps::time::{Clock, Duration, Instant, ManualClock};
///
/// let clock = ManualClock::new(Instant::ZERO);
/// clock.advance(Duration::from_secs(120));
/// assert_eq!(clock.now(), Instant::from_secs(120));
/// clock.set(Instant::from_millis(5));
/// assert_eq!(clock.now().total_millis(), 5);
/// ```
#[derive(Debug, Default, Clone)]
pub struct ManualClock {
    now: Cell<Instant>,
}

impl ManualClock {
    /// A clock reading `start`.
    #[must_use]
    pub fn new(start: Instant) -> ManualClock {
        ManualClock {
            now: Cell::new(start),
        }
    }

    /// Moves the clock forward by `by` (saturating).
    pub fn advance(&self, by: Duration) {
        self.now.set(self.now.get().saturating_add(by));
    }

    /// Sets the clock to `to`. Tests may move it backwards; the logic tolerates that
    /// (ages are saturating), but a real clock never does.
    pub fn set(&self, to: Instant) {
        self.now.set(to);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.now.get()
    }
}

/// The operating system's monotonic clock (`std::time::Instant`), with the epoch at
/// the moment the `SystemClock` was created.
///
/// ```
/// use wps::time::{Clock, SystemClock};
///
/// let clock = SystemClock::new();
/// let a = clock.now();
/// assert!(clock.now() >= a);
/// ```
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy)]
pub struct SystemClock {
    origin: std::time::Instant,
}

#[cfg(feature = "std")]
impl SystemClock {
    /// A clock whose epoch is now.
    #[must_use]
    pub fn new() -> SystemClock {
        SystemClock {
            origin: std::time::Instant::now(),
        }
    }
}

#[cfg(feature = "std")]
impl Default for SystemClock {
    fn default() -> SystemClock {
        SystemClock::new()
    }
}

#[cfg(feature = "std")]
impl Clock for SystemClock {
    fn now(&self) -> Instant {
        Instant::ZERO.saturating_add(self.origin.elapsed())
    }
}
