//! A fixed table of named deadlines (no heap), after quinn-proto's `TimerTable`.

use core::marker::PhantomData;

use super::Instant;

/// The timers of one state machine: usually a fieldless enum.
///
/// ```
/// use wps::time::TimerKind;
///
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum Timer { Retransmit, Operation }
///
/// impl TimerKind for Timer {
///     const ALL: &'static [Timer] = &[Timer::Retransmit, Timer::Operation];
///     fn index(self) -> usize { self as usize }
/// }
/// ```
pub trait TimerKind: Copy + 'static {
    /// Every timer, in index order (`ALL[k.index()] == k`).
    const ALL: &'static [Self];
    /// Position in the table; below the table's `N`.
    fn index(self) -> usize;
}

/// One optional deadline per timer kind `K`; `N` must be at least `K::ALL.len()`
/// (timers at or past `N` are ignored).
///
/// A machine arms and stops its timers, answers `poll_timeout()` with
/// [`TimerTable::next_timeout`], and in `handle_timeout(now)` drains
/// [`TimerTable::pop_expired`].
///
/// ```
/// use wps::time::{Duration, Instant, TimerKind, TimerTable};
///
/// #[derive(Clone, Copy, Debug, PartialEq)]
/// enum Timer { Retransmit, Operation }
/// impl TimerKind for Timer {
///     const ALL: &'static [Timer] = &[Timer::Retransmit, Timer::Operation];
///     fn index(self) -> usize { self as usize }
/// }
///
/// let now = Instant::ZERO;
/// let mut timers = TimerTable::<Timer, 2>::new();
/// timers.set(Timer::Operation, now + Duration::from_secs(120));
/// timers.set(Timer::Retransmit, now + Duration::from_secs(5));
/// assert_eq!(timers.next_timeout(), Some(Instant::from_secs(5)));
/// assert_eq!(timers.pop_expired(Instant::from_secs(5)), Some(Timer::Retransmit));
/// assert_eq!(timers.pop_expired(Instant::from_secs(5)), None);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TimerTable<K, const N: usize> {
    deadlines: [Option<Instant>; N],
    kind: PhantomData<K>,
}

impl<K: TimerKind, const N: usize> Default for TimerTable<K, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<K: TimerKind, const N: usize> TimerTable<K, N> {
    /// All timers stopped.
    #[must_use]
    pub const fn new() -> Self {
        TimerTable {
            deadlines: [None; N],
            kind: PhantomData,
        }
    }

    /// Arms (or re-arms) `timer` to fire at `at`.
    pub fn set(&mut self, timer: K, at: Instant) {
        if let Some(slot) = self.deadlines.get_mut(timer.index()) {
            *slot = Some(at);
        }
    }

    /// Stops `timer`.
    pub fn stop(&mut self, timer: K) {
        if let Some(slot) = self.deadlines.get_mut(timer.index()) {
            *slot = None;
        }
    }

    /// Stops every timer.
    pub fn stop_all(&mut self) {
        self.deadlines = [None; N];
    }

    /// When `timer` fires, if armed.
    #[must_use]
    pub fn get(&self, timer: K) -> Option<Instant> {
        self.deadlines.get(timer.index()).copied().flatten()
    }

    /// Whether `timer` is armed and its deadline has come (`deadline <= now`).
    #[must_use]
    pub fn is_expired(&self, timer: K, now: Instant) -> bool {
        self.get(timer).is_some_and(|at| at <= now)
    }

    /// The earliest armed deadline.
    #[must_use]
    pub fn next_timeout(&self) -> Option<Instant> {
        self.deadlines.iter().flatten().min().copied()
    }

    /// Stops and returns the expired timer with the earliest deadline (ties: lowest
    /// index), or `None` when nothing has expired at `now`.
    pub fn pop_expired(&mut self, now: Instant) -> Option<K> {
        let kind = K::ALL
            .iter()
            .copied()
            .filter(|k| self.is_expired(*k, now))
            .min_by_key(|k| self.get(*k))?;
        self.stop(kind);
        Some(kind)
    }
}
