//! A `no_std` monotonic instant: milliseconds since an arbitrary epoch.

use core::fmt;
use core::ops::{Add, AddAssign, Sub};

use super::Duration;

/// A point in monotonic time: whole milliseconds since an epoch the application picks
/// (boot, process start, …). Only differences between instants mean anything.
///
/// Arithmetic never panics: `+`/`-` with a [`Duration`] saturate at the ends of the
/// range (about 584 million years), and `a - b` of two instants is zero when `b` is
/// later. The `checked_*` methods report overflow instead.
///
/// ```
/// use wps::time::{Duration, Instant};
///
/// let t = Instant::from_secs(10);
/// assert_eq!((t + Duration::from_millis(1500)).total_millis(), 11_500);
/// assert_eq!(Instant::from_secs(12) - t, Duration::from_secs(2));
/// assert_eq!(t - Instant::from_secs(12), Duration::ZERO);
/// assert_eq!(Instant::MAX.checked_add(Duration::from_millis(1)), None);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Debug)]
pub struct Instant {
    millis: u64,
}

/// A duration as whole milliseconds, saturating at `u64::MAX`. In 64-bit arithmetic,
/// not `as_millis`' 128-bit one (a 32-bit core has neither).
pub(crate) fn duration_millis(d: Duration) -> u64 {
    d.as_secs()
        .checked_mul(1000)
        .and_then(|ms| ms.checked_add(u64::from(d.subsec_millis())))
        .unwrap_or(u64::MAX)
}

/// `Duration::from_millis` without a 64-bit division, which a 32-bit core does in a
/// library routine of 0.7 KB: long division by 1000 in 16-bit digits, each step a
/// division of 32 bits (every remainder is below 1000, so each step's dividend fits).
pub(crate) fn millis_duration(millis: u64) -> Duration {
    const DIGIT: u32 = 16;
    const LOW: u32 = 0xffff;
    let step = |rem: u32, digit: u32| {
        let n = (rem << DIGIT) | digit;
        (n / 1000, n % 1000)
    };
    // The split of `millis` into 32-bit halves truncates by design.
    #[allow(clippy::cast_possible_truncation)]
    let (high, low) = ((millis >> 32) as u32, millis as u32);
    let (q2, rem) = (high / 1000, high % 1000);
    let (q1, rem) = step(rem, low >> DIGIT);
    let (q0, rem) = step(rem, low & LOW);
    let secs = (u64::from(q2) << 32) | u64::from((q1 << DIGIT) | q0);
    Duration::from_secs(secs).saturating_add(Duration::from_millis(u64::from(rem)))
}

/// The earlier of two optional deadlines (`None`: no deadline). A plain match: chained,
/// flattened iterators over a few `Option`s cost flash on a small core.
pub(crate) fn earlier(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, None) => a,
        (None, b) => b,
    }
}

impl Instant {
    /// The epoch.
    pub const ZERO: Instant = Instant { millis: 0 };
    /// The last representable instant.
    pub const MAX: Instant = Instant { millis: u64::MAX };

    /// `millis` milliseconds after the epoch.
    #[must_use]
    pub const fn from_millis(millis: u64) -> Instant {
        Instant { millis }
    }

    /// `secs` seconds after the epoch (saturating).
    #[must_use]
    pub const fn from_secs(secs: u64) -> Instant {
        Instant {
            millis: secs.saturating_mul(1000),
        }
    }

    /// Milliseconds since the epoch.
    #[must_use]
    pub const fn total_millis(self) -> u64 {
        self.millis
    }

    /// `self + d`, or `None` past [`Instant::MAX`].
    #[must_use]
    pub fn checked_add(self, d: Duration) -> Option<Instant> {
        self.millis
            .checked_add(duration_millis(d))
            .map(Instant::from_millis)
    }

    /// `self - d`, or `None` before the epoch.
    #[must_use]
    pub fn checked_sub(self, d: Duration) -> Option<Instant> {
        self.millis
            .checked_sub(duration_millis(d))
            .map(Instant::from_millis)
    }

    /// `self + d`, stopping at [`Instant::MAX`].
    // Out of line: every deadline the drivers and machines set is one (-0.1 KB of flash
    // on a Cortex-M4).
    #[must_use]
    #[inline(never)]
    pub fn saturating_add(self, d: Duration) -> Instant {
        Instant::from_millis(self.millis.saturating_add(duration_millis(d)))
    }

    /// `self - d`, stopping at the epoch.
    #[must_use]
    pub fn saturating_sub(self, d: Duration) -> Instant {
        Instant::from_millis(self.millis.saturating_sub(duration_millis(d)))
    }

    /// Time from `earlier` to `self`, or `None` if `earlier` is later.
    #[must_use]
    pub fn checked_duration_since(self, earlier: Instant) -> Option<Duration> {
        self.millis.checked_sub(earlier.millis).map(millis_duration)
    }

    /// Time from `earlier` to `self`, zero if `earlier` is later.
    #[must_use]
    pub fn saturating_duration_since(self, earlier: Instant) -> Duration {
        millis_duration(self.millis.saturating_sub(earlier.millis))
    }
}

impl Add<Duration> for Instant {
    type Output = Instant;
    /// Saturating; see [`Instant::checked_add`].
    fn add(self, rhs: Duration) -> Instant {
        self.saturating_add(rhs)
    }
}

impl AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = self.saturating_add(rhs);
    }
}

impl Sub<Duration> for Instant {
    type Output = Instant;
    /// Saturating; see [`Instant::checked_sub`].
    fn sub(self, rhs: Duration) -> Instant {
        self.saturating_sub(rhs)
    }
}

impl Sub<Instant> for Instant {
    type Output = Duration;
    /// Saturating; see [`Instant::checked_duration_since`].
    fn sub(self, rhs: Instant) -> Duration {
        self.saturating_duration_since(rhs)
    }
}

impl fmt::Display for Instant {
    /// Seconds with milliseconds, e.g. `119.999s`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}s", self.millis / 1000, self.millis % 1000)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_saturates() {
        assert_eq!(Instant::MAX + Duration::from_secs(1), Instant::MAX);
        assert_eq!(Instant::ZERO - Duration::from_secs(1), Instant::ZERO);
        assert_eq!(Instant::ZERO.checked_sub(Duration::from_millis(1)), None);
        assert_eq!(Instant::from_secs(u64::MAX), Instant::MAX);
        assert_eq!(
            Instant::ZERO + Duration::MAX,
            Instant::MAX,
            "Duration beyond u64 milliseconds saturates"
        );
        // Sub-millisecond parts are truncated.
        assert_eq!(
            Instant::ZERO + Duration::from_micros(1999),
            Instant::from_millis(1)
        );
        let mut t = Instant::from_millis(5);
        t += Duration::from_millis(10);
        assert_eq!(t.total_millis(), 15);
        assert_eq!(Instant::from_millis(5).checked_duration_since(t), None);
    }

    #[test]
    fn earlier_takes_the_first_deadline_there_is() {
        let (a, b) = (Some(Instant::from_millis(5)), Some(Instant::from_millis(3)));
        assert_eq!(earlier(a, b), b);
        assert_eq!(earlier(b, a), b);
        assert_eq!(earlier(a, None), a);
        assert_eq!(earlier(None, a), a);
        assert_eq!(earlier(None, None), None);
    }

    #[test]
    fn millis_conversions_agree_with_core_at_the_edges() {
        let edges = [
            0,
            1,
            999,
            1000,
            1001,
            65_535_999,
            65_536_000,
            u64::from(u32::MAX),
            u64::from(u32::MAX) + 1,
            (1 << 48) + 12_345,
            u64::MAX - 1,
            u64::MAX,
        ];
        for ms in edges {
            assert_eq!(millis_duration(ms), Duration::from_millis(ms), "{ms}");
            assert_eq!(duration_millis(millis_duration(ms)), ms, "{ms}");
        }
        assert_eq!(duration_millis(Duration::MAX), u64::MAX);
        let top_secs = u64::MAX / 1000;
        assert_eq!(
            duration_millis(Duration::new(top_secs, 614_999_999)),
            u64::MAX - 1
        );
        assert_eq!(
            duration_millis(Duration::new(top_secs, 616_000_000)),
            u64::MAX
        );
        assert_eq!(duration_millis(Duration::new(top_secs + 1, 0)), u64::MAX);
    }

    proptest::proptest! {
        #[test]
        fn millis_conversions_agree_with_core(ms: u64, secs: u64, nanos in 0u32..1_000_000_000) {
            proptest::prop_assert_eq!(millis_duration(ms), Duration::from_millis(ms));
            let d = Duration::new(secs, nanos);
            proptest::prop_assert_eq!(
                duration_millis(d),
                u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
            );
        }
    }
}
