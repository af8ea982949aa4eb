//! Time-travel tests for every WPS timer rule, at the boundaries, plus property tests
//! against simple reference models.

use std::collections::HashMap;

use proptest::prelude::*;
use wps::attr::Uuid;
use wps::pin::{DevicePassword, Pin};
use wps::registration::{
    ApPinLockout, AuthorizedMacs, BROADCAST_MAC, LockState, PBC_WALK_TIME, PasswordOutcome,
    PbcMonitor, PbcOverlap, PbcRefusal, PinLookupError, PinStore, PinStoreFull,
};
use wps::time::*;

const SEC: Duration = Duration::from_secs(1);
const MS: Duration = Duration::from_millis(1);

fn pw(text: &str) -> DevicePassword {
    DevicePassword::from_bytes(text.as_bytes()).unwrap()
}

fn uuid(n: u8) -> [u8; 16] {
    [n; 16]
}

fn mac(n: u8) -> [u8; 6] {
    [2, 0, 0, 0, 0, n]
}

/// Adds the PIN `pin` to a store at `t` for `lifetime`: for the enrollee `uuid(n)` of
/// `for_uuid` (none: any enrollee), with the AuthorizedMAC `mac(m)` of `for_mac`.
fn add_pin<const N: usize>(
    s: &mut PinStore<N>,
    t: Instant,
    for_uuid: Option<u8>,
    pin: &str,
    lifetime: Lifetime,
    for_mac: Option<u8>,
) {
    s.add(t, for_uuid.map(uuid), pw(pin), lifetime, for_mac.map(mac))
        .unwrap();
}

// ---------------------------------------------------------------- Instant / clocks

#[test]
fn manual_clock_drives_instants() {
    let clock = ManualClock::new(Instant::from_secs(1));
    clock.advance(119 * SEC + 999 * MS);
    assert_eq!(clock.now(), Instant::from_millis(120_999));
    assert_eq!(clock.now().to_string(), "120.999s");
    clock.set(Instant::ZERO);
    assert_eq!(clock.now(), Instant::ZERO);
    let sys = SystemClock::new();
    assert!(sys.now() <= sys.now());
}

// ---------------------------------------------------------------- PIN lifetime

#[test]
fn ap_pin_expires_at_300_s() {
    let t0 = Instant::from_secs(50);
    let p = TimedPassword::new(pw("12345670"), t0, AP_PIN_DEFAULT_LIFETIME);
    assert_eq!(p.poll_timeout(), Some(t0 + 300 * SEC));
    assert!(p.password(t0 + 300 * SEC - MS).is_ok());
    assert_eq!(p.password(t0 + 300 * SEC), Err(PinExpired));
    let forever = TimedPassword::new(pw("1234"), t0, Lifetime::from_secs(0));
    assert!(forever.password(Instant::MAX).is_ok());
    assert_eq!(forever.poll_timeout(), None);
}

// ---------------------------------------------------------------- registrar PIN store

#[test]
fn pin_expiry_is_strictly_after_the_timeout() {
    let mut s = PinStore::<4>::new();
    let t0 = Instant::from_secs(10);
    add_pin(
        &mut s,
        t0,
        Some(1),
        "11111111",
        Lifetime::from_secs(300),
        None,
    );
    add_pin(
        &mut s,
        t0,
        Some(2),
        "22222222",
        Lifetime::from_secs(300),
        None,
    );
    // Exactly at the deadline it is still usable (hostapd: expiration < now).
    assert_eq!(s.lookup(t0 + 300 * SEC, &uuid(1)), Ok(pw("11111111")));
    assert_eq!(
        s.lookup(t0 + 300 * SEC + MS, &uuid(2)),
        Err(PinLookupError::NotFound)
    );
    // That lookup purged both (same deadline), and their AuthorizedMACs entry too.
    assert!(s.is_empty());
    assert!(s.authorized_macs().is_empty());
    add_pin(
        &mut s,
        t0,
        Some(3),
        "33333333",
        Lifetime::from_secs(1),
        Some(3),
    );
    assert_eq!(s.expire(t0 + SEC), 0);
    assert_eq!(s.expire(t0 + SEC + MS), 1);
    assert!(s.authorized_macs().is_empty());
}

#[test]
fn selected_registrar_times_out_but_pins_stay() {
    let mut s = PinStore::<4>::new();
    let t0 = Instant::from_secs(1);
    add_pin(&mut s, t0, Some(1), "12345670", Lifetime::Forever, Some(1));
    add_pin(
        &mut s,
        t0,
        Some(2),
        "00000017",
        Lifetime::from_secs(60),
        None,
    );
    assert!(s.selected_registrar());
    assert!(s.authorized_macs().iter().eq(&[BROADCAST_MAC, mac(1)]));
    assert!(!s.handle_timeout(t0 + 120 * SEC - MS));
    assert!(s.selected_registrar());
    assert!(s.handle_timeout(t0 + 120 * SEC));
    assert!(!s.selected_registrar());
    assert_eq!(s.poll_timeout(), None);
    // The 60 s PIN was purged by the timeout; the unexpired one is still usable.
    assert_eq!(s.len(), 1);
    assert_eq!(s.lookup(t0 + 500 * SEC, &uuid(1)), Ok(pw("12345670")));
    assert!(s.authorized_macs().iter().eq(&[mac(1)]));
}

#[test]
fn adding_a_pin_restarts_the_selected_registrar_timer() {
    let mut s = PinStore::<4>::new();
    add_pin(&mut s, Instant::ZERO, None, "1234", Lifetime::Forever, None);
    add_pin(
        &mut s,
        Instant::from_secs(100),
        Some(1),
        "5678",
        Lifetime::Forever,
        None,
    );
    assert_eq!(s.poll_timeout(), Some(Instant::from_secs(220)));
}

#[test]
fn pin_is_locked_during_a_run() {
    let mut s = PinStore::<4>::new();
    let t = Instant::ZERO;
    add_pin(&mut s, t, Some(1), "12345670", Lifetime::Forever, None);
    assert!(s.lookup(t, &uuid(1)).is_ok());
    assert_eq!(s.lookup(t, &uuid(1)), Err(PinLookupError::Locked));
    // E-Hash1 mismatch only unlocks: the owner may try again.
    assert!(s.finish_run(PasswordOutcome::Unlock(Uuid(uuid(1)))));
    assert!(s.lookup(t, &uuid(1)).is_ok());
    assert!(s.finish_run(PasswordOutcome::Unlock(Uuid(uuid(1)))));
    assert!(s.lookup(t, &uuid(1)).is_ok());
    // E-Hash2 mismatch deletes it.
    assert!(s.finish_run(PasswordOutcome::Invalidate(Uuid(uuid(1)))));
    assert_eq!(s.lookup(t, &uuid(1)), Err(PinLookupError::NotFound));
}

#[test]
fn revealed_or_successful_pin_is_deleted() {
    for outcome in [
        PasswordOutcome::Used(Uuid(uuid(1))),
        PasswordOutcome::Invalidate(Uuid(uuid(1))),
    ] {
        let mut s = PinStore::<4>::new();
        add_pin(
            &mut s,
            Instant::ZERO,
            Some(1),
            "1234",
            Lifetime::Forever,
            None,
        );
        s.lookup(Instant::ZERO, &uuid(1)).unwrap();
        assert!(s.finish_run(outcome));
        assert!(s.is_empty(), "{outcome:?}");
    }
}

#[test]
fn wildcard_pin_serves_at_most_two_runs() {
    let mut s = PinStore::<4>::new();
    let t = Instant::ZERO;
    add_pin(&mut s, t, None, "12345670", Lifetime::Forever, None);
    assert!(s.lookup(t, &uuid(1)).is_ok());
    s.finish_run(PasswordOutcome::Unlock(Uuid(uuid(1))));
    // Second run, another enrollee: the wildcard re-binds.
    assert!(s.lookup(t, &uuid(2)).is_ok());
    assert_eq!(s.len(), 1);
    s.finish_run(PasswordOutcome::Unlock(Uuid(uuid(2))));
    // Used twice: deleted on that unlock.
    assert!(s.is_empty());
    assert_eq!(s.lookup(t, &uuid(3)), Err(PinLookupError::NotFound));
    assert!(s.authorized_macs().is_empty());
}

#[test]
fn exact_uuid_pin_wins_over_wildcard() {
    let mut s = PinStore::<4>::new();
    let t = Instant::ZERO;
    add_pin(&mut s, t, Some(1), "11111111", Lifetime::Forever, None);
    add_pin(&mut s, t, None, "99999995", Lifetime::Forever, None);
    assert_eq!(s.lookup(t, &uuid(1)), Ok(pw("11111111")));
    assert_eq!(s.lookup(t, &uuid(2)), Ok(pw("99999995")));
    // Both are locked now: a third enrollee gets the locked wildcard → refused.
    assert_eq!(s.lookup(t, &uuid(3)), Err(PinLookupError::Locked));
    // The refusal did not re-bind the wildcard: enrollee 2 can still finish.
    assert!(s.finish_run(PasswordOutcome::Used(Uuid(uuid(2)))));
    assert_eq!(s.len(), 1);
}

#[test]
fn new_wildcard_replaces_first_unused_unlocked_wildcard() {
    let mut s = PinStore::<4>::new();
    let t = Instant::ZERO;
    add_pin(&mut s, t, None, "1111", Lifetime::Forever, None);
    add_pin(&mut s, t, None, "2222", Lifetime::Forever, None);
    assert_eq!(s.len(), 1);
    assert_eq!(s.lookup(t, &uuid(1)), Ok(pw("2222")));
    // The locked (in-use) wildcard is not replaced.
    add_pin(&mut s, t, None, "3333", Lifetime::Forever, None);
    assert_eq!(s.len(), 2);
    // A PIN for a UUID does not replace wildcards.
    add_pin(&mut s, t, Some(9), "4444", Lifetime::Forever, None);
    assert_eq!(s.len(), 3);
}

#[test]
fn store_full_is_an_error_and_changes_nothing() {
    let mut s = PinStore::<2>::new();
    let t = Instant::ZERO;
    add_pin(&mut s, t, Some(1), "1111", Lifetime::Forever, None);
    add_pin(&mut s, t, Some(2), "2222", Lifetime::Forever, None);
    assert_eq!(
        s.add(t, Some(uuid(3)), pw("3333"), Lifetime::Forever, None),
        Err(PinStoreFull)
    );
    assert_eq!(s.len(), 2);
}

#[test]
fn authorized_macs_keep_five_newest() {
    let mut s = PinStore::<8>::new();
    let t = Instant::ZERO;
    for n in 1..=6 {
        add_pin(&mut s, t, Some(n), "1234", Lifetime::Forever, Some(n));
    }
    assert!(
        s.authorized_macs()
            .iter()
            .eq(&[mac(6), mac(5), mac(4), mac(3), mac(2)])
    );
    // Removing a PIN whose MAC is not at the head still removes the MAC.
    s.invalidate(&uuid(4));
    assert!(
        s.authorized_macs()
            .iter()
            .eq(&[mac(6), mac(5), mac(3), mac(2)])
    );
    let mut m = AuthorizedMacs::new();
    assert!(!m.remove(&mac(1)));
    m.insert(mac(1));
    m.clear();
    assert!(m.is_empty());
}

#[test]
fn cancel_and_completion() {
    let mut s = PinStore::<4>::new();
    let t = Instant::ZERO;
    assert!(!s.cancel());
    add_pin(&mut s, t, Some(1), "1111", Lifetime::Forever, None);
    add_pin(&mut s, t, None, "2222", Lifetime::Forever, None);
    assert!(s.cancel());
    assert!(!s.selected_registrar());
    assert_eq!(s.len(), 1, "cancel removes the wildcard PIN only");
    add_pin(&mut s, t, None, "3333", Lifetime::Forever, None);
    s.registration_completed(&pw("9999"));
    assert_eq!(s.len(), 2, "different password: wildcard kept");
    s.registration_completed(&pw("3333"));
    assert_eq!(s.len(), 1);
    assert!(!s.selected_registrar());
}

// ---------------------------------------------------------------- push button

#[test]
fn walk_time_is_120_s() {
    let mut p = PbcMonitor::<8>::new();
    let t0 = Instant::from_secs(3);
    p.press_button(t0).unwrap();
    assert_eq!(p.poll_timeout(), Some(t0 + PBC_WALK_TIME));
    assert!(!p.handle_timeout(t0 + 120 * SEC - MS));
    assert!(p.is_active());
    assert!(p.handle_timeout(t0 + 120 * SEC));
    assert!(!p.is_active());
    assert_eq!(
        p.m1(t0 + 121 * SEC, mac(1), uuid(1)),
        Err(PbcRefusal::NotActive)
    );
    assert_eq!(u16::from(PbcRefusal::NotActive.config_error()), 0);
}

#[test]
fn monitor_window_includes_exactly_120_s() {
    let mut p = PbcMonitor::<8>::new();
    let t0 = Instant::ZERO;
    assert!(!p.probe_request(t0, mac(1), uuid(1)));
    // 120.000 s later the first session still counts.
    assert!(p.probe_request(t0 + 120 * SEC, mac(2), uuid(2)));
    let mut p = PbcMonitor::<8>::new();
    p.probe_request(t0, mac(1), uuid(1));
    assert!(!p.probe_request(t0 + 120 * SEC + MS, mac(2), uuid(2)));
    // …and the old one was purged on that insertion.
    assert_eq!(p.session_count(), 1);
}

#[test]
fn same_uuid_on_two_macs_is_not_an_overlap() {
    let mut p = PbcMonitor::<8>::new();
    let t = Instant::ZERO;
    assert!(!p.probe_request(t, mac(1), uuid(1)));
    assert!(!p.probe_request(t, mac(2), uuid(1)));
    assert!(!p.has_overlap(t));
    p.press_button(t).unwrap();
    assert_eq!(p.m1(t, mac(1), uuid(1)), Ok(()));
}

#[test]
fn refresh_moves_a_session_to_the_front() {
    let mut p = PbcMonitor::<8>::new();
    let t0 = Instant::ZERO;
    p.probe_request(t0, mac(1), uuid(1));
    p.probe_request(t0 + 50 * SEC, mac(2), uuid(2)); // overlap (forced)
    p.probe_request(t0 + 100 * SEC, mac(1), uuid(1)); // refresh
    // At 160 s uuid(2) (seen at 50 s) is out of the window, uuid(1) (100 s) is in.
    assert!(!p.has_overlap(t0 + 170 * SEC + MS));
    assert!(p.has_overlap(t0 + 170 * SEC));
}

#[test]
fn button_refused_while_overlap_and_force_flag() {
    let mut p = PbcMonitor::<8>::new();
    let t0 = Instant::ZERO;
    p.probe_request(t0, mac(1), uuid(1));
    assert!(p.probe_request(t0, mac(2), uuid(2)));
    assert!(p.force_overlap());
    assert_eq!(p.press_button(t0 + 120 * SEC), Err(PbcOverlap));
    // Once the window has passed the button works and clears the flag.
    p.press_button(t0 + 120 * SEC + MS).unwrap();
    assert!(!p.force_overlap());
    // A single enrollee runs; a second one's probe forces overlap for the rest.
    let t1 = t0 + 130 * SEC;
    p.m1(t1, mac(1), uuid(1)).unwrap();
    assert!(p.probe_request(t1, mac(3), uuid(3)));
    assert_eq!(p.m1(t1, mac(1), uuid(1)), Err(PbcRefusal::Overlap));
    assert_eq!(u16::from(PbcRefusal::Overlap.config_error()), 12);
}

#[test]
fn success_ignores_the_enrollee_for_5_s() {
    let mut p = PbcMonitor::<8>::new();
    let t0 = Instant::ZERO;
    p.press_button(t0).unwrap();
    p.m1(t0, mac(1), uuid(1)).unwrap();
    p.completed(t0 + 10 * SEC, uuid(1));
    assert!(!p.is_active());
    assert_eq!(p.session_count(), 0);
    p.probe_request(t0 + 15 * SEC - MS, mac(1), uuid(1));
    assert_eq!(p.session_count(), 0, "ignored at 4.999 s");
    p.probe_request(t0 + 15 * SEC, mac(1), uuid(1));
    assert_eq!(p.session_count(), 1, "recorded at 5 s");
}

#[test]
fn eviction_keeps_distinct_uuids() {
    let mut p = PbcMonitor::<3>::new();
    let t = Instant::ZERO;
    p.probe_request(t, mac(1), uuid(1));
    p.probe_request(t + SEC, mac(2), uuid(2));
    p.probe_request(t + 2 * SEC, mac(3), uuid(2));
    // Full: uuid(2)'s older session goes, uuid(1) survives.
    p.probe_request(t + 3 * SEC, mac(4), uuid(2));
    assert_eq!(p.session_count(), 3);
    assert!(p.has_overlap(t + 3 * SEC));
}

// ---------------------------------------------------------------- exchange timeouts

#[test]
fn operation_and_final_message_timeouts() {
    let t0 = Instant::from_secs(9);
    let mut op = OperationTimer::operation(t0);
    assert_eq!(op.handle_timeout(t0 + 120 * SEC - MS), None);
    let reason = op.handle_timeout(t0 + 120 * SEC).unwrap();
    assert_eq!(reason, TimeoutReason::Operation);
    assert_eq!(reason.config_error().map(u16::from), Some(16));
    let mut fin = OperationTimer::final_message(t0);
    assert_eq!(fin.poll_timeout(), Some(t0 + 2 * SEC));
    fin.stop();
    assert_eq!(fin.handle_timeout(Instant::MAX), None);
    assert_eq!(TimeoutReason::Retransmissions.config_error(), None);
    assert_eq!(EAP_PEER_TIMEOUT_CAP, 30 * SEC);
}

#[test]
fn retransmit_three_sends_then_give_up() {
    let mut r = Retransmit::eap_server();
    let t0 = Instant::ZERO;
    assert_eq!(r.handle_timeout(Instant::MAX), RetransmitAction::Wait);
    r.sent(t0);
    assert_eq!(r.handle_timeout(t0 + 5 * SEC - MS), RetransmitAction::Wait);
    assert_eq!(r.handle_timeout(t0 + 5 * SEC), RetransmitAction::Resend);
    assert_eq!(r.poll_timeout(), Some(t0 + 10 * SEC));
    assert_eq!(r.handle_timeout(t0 + 10 * SEC), RetransmitAction::Resend);
    assert_eq!(r.retransmissions(), 2);
    assert_eq!(r.handle_timeout(t0 + 15 * SEC), RetransmitAction::GiveUp);
    assert_eq!(r.poll_timeout(), None);
    // A new request restarts the budget; an answer stops the timer.
    r.sent(t0 + 20 * SEC);
    assert_eq!(r.retransmissions(), 0);
    r.answered();
    assert_eq!(r.handle_timeout(Instant::MAX), RetransmitAction::Wait);
}

// ---------------------------------------------------------------- AP-PIN lockout

#[test]
fn lockout_schedule_matches_pin_md_8_3() {
    let mut l = ApPinLockout::new();
    let mut now = Instant::from_secs(1000);
    let expected: [Option<u64>; 10] = [
        None,
        None,
        Some(60),
        Some(60),
        Some(60),
        Some(120),
        Some(120),
        Some(120),
        Some(240),
        Some(u64::MAX), // indefinite
    ];
    for (i, want) in expected.iter().enumerate() {
        let state = l.record_failure(now);
        match want {
            None => assert_eq!(state, LockState::Unlocked, "failure {}", i + 1),
            Some(u64::MAX) => {
                assert_eq!(state, LockState::LockedIndefinitely, "failure {}", i + 1);
                assert_eq!(l.poll_timeout(), None);
                assert!(l.is_locked(Instant::MAX));
            }
            Some(secs) => {
                let until = now + Duration::from_secs(*secs);
                assert_eq!(state, LockState::LockedUntil(until), "failure {}", i + 1);
                assert!(l.is_locked(until - MS));
                assert!(!l.is_locked(until));
                assert!(!l.handle_timeout(until - MS));
                assert!(l.handle_timeout(until));
                now = until;
            }
        }
    }
    // A new AP PIN clears everything but keeps the period.
    l.new_ap_pin();
    assert!(!l.is_locked(now));
    assert_eq!((l.failures(), l.consecutive_failures()), (0, 0));
    assert_eq!(l.period(), 240 * SEC);
}

#[test]
fn success_prevents_indefinite_lock() {
    let mut l = ApPinLockout::new();
    let mut now = Instant::ZERO;
    for _ in 0..30 {
        for _ in 0..9 {
            if let LockState::LockedUntil(at) = l.record_failure(now) {
                now = at;
                l.handle_timeout(now);
            }
        }
        l.record_success();
    }
    assert_ne!(l.state(), LockState::LockedIndefinitely);
    assert_eq!(l.failures(), 270);
}

#[test]
fn lockout_period_stops_doubling_after_a_year() {
    let mut l = ApPinLockout::new();
    let mut now = Instant::ZERO;
    for _ in 0..200 {
        if let LockState::LockedUntil(at) = l.record_failure(now) {
            now = at;
            l.handle_timeout(now);
        }
        l.record_success();
    }
    // 60 · 2^19 s is the last value below one year; one more doubling follows.
    assert_eq!(l.period(), Duration::from_secs(60 << 20));
}

#[test]
fn config_locked_never_times_out() {
    let mut l = ApPinLockout::new();
    l.set_config_locked(true);
    assert!(l.is_locked(Instant::ZERO));
    for _ in 0..3 {
        l.record_failure(Instant::ZERO);
    }
    assert_eq!(l.state(), LockState::LockedIndefinitely);
    assert_eq!(l.poll_timeout(), None);
    l.new_ap_pin();
    assert!(!l.is_locked(Instant::ZERO));
}

// ---------------------------------------------------------------- property tests

#[derive(Debug, Clone)]
enum StoreOp {
    Advance(u32),
    Add { uuid: Option<u8>, lifetime: u8 },
    Lookup(u8),
    Finish(u8, u8),
    Timeout,
}

fn store_op() -> impl Strategy<Value = StoreOp> {
    prop_oneof![
        (0u32..200_000).prop_map(StoreOp::Advance),
        (proptest::option::of(0u8..4), 0u8..4)
            .prop_map(|(uuid, lifetime)| StoreOp::Add { uuid, lifetime }),
        (0u8..6).prop_map(StoreOp::Lookup),
        (0u8..6, 0u8..5).prop_map(|(u, o)| StoreOp::Finish(u, o)),
        Just(StoreOp::Timeout),
    ]
}

#[derive(Debug, Clone)]
enum PbcOp {
    Advance(u32),
    Probe(u8, u8),
    M1(u8, u8),
    Press,
}

fn pbc_op() -> impl Strategy<Value = PbcOp> {
    prop_oneof![
        (0u32..90_000).prop_map(PbcOp::Advance),
        (0u8..4, 0u8..6).prop_map(|(m, u)| PbcOp::Probe(m, u)),
        (0u8..4, 0u8..6).prop_map(|(m, u)| PbcOp::M1(m, u)),
        Just(PbcOp::Press),
    ]
}

/// Reference: every session ever seen, unbounded; overlap iff more than one distinct
/// UUID-E (the considered one included) was seen within the last 120 s.
#[derive(Default)]
struct PbcModel {
    seen: Vec<(u8, u8, Instant)>,
    active_until: Option<Instant>,
    force: bool,
}

impl PbcModel {
    fn overlap(&self, now: Instant, considered: Option<u8>) -> bool {
        let mut distinct: Vec<u8> = considered.into_iter().collect();
        for (_, u, at) in &self.seen {
            if now - *at <= Duration::from_secs(120) && !distinct.contains(u) {
                distinct.push(*u);
            }
        }
        distinct.len() > 1
    }
}

#[derive(Debug, Clone)]
enum LockOp {
    Advance(u32),
    Attempt(bool),
    NewPin,
}

/// hostapd's `wps_pwd_auth_fail` / `hostapd_wps_reenable_ap_pin`, written out plainly.
#[derive(Default)]
struct LockModel {
    failures: u32,
    consecutive: u32,
    lockout_secs: u64,
    locked: bool,
    reenable_at: Option<Instant>,
}

impl LockModel {
    fn tick(&mut self, now: Instant) {
        if let Some(at) = self.reenable_at
            && at <= now
        {
            self.reenable_at = None;
            if self.consecutive < 10 {
                self.locked = false;
            }
        }
    }
    fn fail(&mut self, now: Instant) {
        self.failures += 1;
        self.consecutive += 1;
        if self.failures < 3 {
            return;
        }
        self.locked = true;
        if self.consecutive >= 10 {
            self.reenable_at = None;
        } else {
            if self.lockout_secs == 0 {
                self.lockout_secs = 60;
            } else if self.lockout_secs < 365 * 24 * 60 * 60 && self.failures.is_multiple_of(3) {
                self.lockout_secs *= 2;
            }
            self.reenable_at = Some(now + Duration::from_secs(self.lockout_secs));
        }
    }
}

fn lock_op() -> impl Strategy<Value = LockOp> {
    prop_oneof![
        2 => (0u32..400_000).prop_map(LockOp::Advance),
        6 => any::<bool>().prop_map(LockOp::Attempt),
        1 => Just(LockOp::NewPin),
    ]
}

#[test]
fn dynamic_pin_example_flow() {
    // A display PIN with a lifetime, stored on the registrar for any enrollee.
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    let pin = Pin::random(&mut rng);
    let clock = ManualClock::new(Instant::ZERO);
    let mut store = PinStore::<4>::new();
    store
        .add(
            clock.now(),
            None,
            DevicePassword::from(&pin),
            Lifetime::from_secs(120),
            None,
        )
        .unwrap();
    clock.advance(120 * SEC);
    assert!(store.lookup(clock.now(), &uuid(1)).is_ok());
    store.finish_run(PasswordOutcome::Unlock(Uuid(uuid(1))));
    clock.advance(MS);
    assert_eq!(
        store.lookup(clock.now(), &uuid(1)),
        Err(PinLookupError::NotFound)
    );
}

/// The lockout shows to stations: the AP's beacon and probe-response IE carry
/// AP Setup Locked = 1 while it lasts, and drop the attribute when it ends.
#[test]
fn ap_pin_lockout_shows_in_the_beacon_ie() {
    use wps::attr::{AttrType, Attributes, WscState};
    use wps::message::ie::Beacon;

    fn beacon_at(lockout: &ApPinLockout, now: Instant) -> Vec<u8> {
        let mut beacon = Beacon::new(WscState::Configured);
        beacon.ap_setup_locked = lockout.is_locked(now);
        beacon.to_bytes()
    }
    fn locked_attr(ie: &[u8]) -> Option<u8> {
        Attributes::parse(ie).unwrap().u8(AttrType::ApSetupLocked)
    }

    let t0 = Instant::from_secs(1000);
    let mut lockout = ApPinLockout::new();
    lockout.record_failure(t0);
    lockout.record_failure(t0);
    assert_eq!(locked_attr(&beacon_at(&lockout, t0)), None);
    lockout.record_failure(t0); // third failure: locked for 60 s
    let locked = beacon_at(&lockout, t0 + Duration::from_millis(59_999));
    assert_eq!(locked_attr(&locked), Some(1));
    assert!(Beacon::parse(&locked).unwrap().ap_setup_locked);
    let end = t0 + Duration::from_secs(60);
    lockout.handle_timeout(end);
    assert_eq!(locked_attr(&beacon_at(&lockout, end)), None);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn overlap_iff_two_distinct_uuids_in_window(ops in proptest::collection::vec(pbc_op(), 1..80)) {
        let mut pbc = PbcMonitor::<4>::new();
        let mut model = PbcModel::default();
        let mut now = Instant::ZERO;
        for op in ops {
            match op {
                PbcOp::Advance(ms) => {
                    now += Duration::from_millis(u64::from(ms));
                    if pbc.poll_timeout().is_some_and(|at| at <= now) {
                        prop_assert!(pbc.handle_timeout(now));
                    }
                    if model.active_until.is_some_and(|at| at <= now) {
                        model.active_until = None;
                    }
                }
                PbcOp::Probe(m, u) => {
                    model.seen.push((m, u, now));
                    let expected = model.overlap(now, Some(u));
                    model.force |= expected;
                    prop_assert_eq!(pbc.probe_request(now, mac(m), uuid(u)), expected);
                }
                PbcOp::M1(m, u) => {
                    let expected = if model.active_until.is_none() {
                        Err(PbcRefusal::NotActive)
                    } else if model.force || model.overlap(now, Some(u)) {
                        model.force = true;
                        Err(PbcRefusal::Overlap)
                    } else {
                        model.seen.push((m, u, now));
                        Ok(())
                    };
                    prop_assert_eq!(pbc.m1(now, mac(m), uuid(u)), expected);
                }
                PbcOp::Press => {
                    let expected = if model.overlap(now, None) {
                        Err(PbcOverlap)
                    } else {
                        model.force = false;
                        model.active_until = Some(now + PBC_WALK_TIME);
                        Ok(())
                    };
                    prop_assert_eq!(pbc.press_button(now), expected);
                }
            }
            prop_assert_eq!(pbc.is_active(), model.active_until.is_some());
            prop_assert_eq!(pbc.force_overlap(), model.force);
            prop_assert_eq!(pbc.has_overlap(now), model.overlap(now, None));
        }
    }

    #[test]
    fn expired_pin_never_accepted(ops in proptest::collection::vec(store_op(), 1..60)) {
        let mut store = PinStore::<4>::new();
        let mut now = Instant::ZERO;
        let mut serial = 0u32;
        // password → (expires_at, is wildcard, successful lookups)
        let mut added: HashMap<Vec<u8>, (Option<Instant>, bool, u32)> = HashMap::new();
        for op in ops {
            match op {
                StoreOp::Advance(ms) => now += Duration::from_millis(u64::from(ms)),
                StoreOp::Add { uuid: u, lifetime } => {
                    serial += 1;
                    let password = pw(&format!("{serial:08}"));
                    let life = Lifetime::from_secs(u64::from(lifetime) * 60);
                    if store.add(now, u.map(uuid), password.clone(), life, None).is_ok() {
                        added.insert(password.as_bytes().to_vec(), (life.deadline(now), u.is_none(), 0));
                    }
                    prop_assert!(store.len() <= 4);
                }
                StoreOp::Lookup(u) => {
                    if let Ok(p) = store.lookup(now, &uuid(u)) {
                        let entry = added.get_mut(p.as_bytes()).unwrap();
                        prop_assert!(entry.0.is_none_or(|at| now <= at), "expired PIN accepted");
                        entry.2 += 1;
                        if entry.1 {
                            prop_assert!(entry.2 <= 2, "wildcard used more than twice");
                        }
                    }
                }
                StoreOp::Finish(u, o) => {
                    // E-Hash2 verified, E-Hash1 failed, E-Hash2 failed, PIN revealed,
                    // aborted.
                    let outcome = [
                        PasswordOutcome::Used,
                        PasswordOutcome::Unlock,
                        PasswordOutcome::Invalidate,
                        PasswordOutcome::Invalidate,
                        PasswordOutcome::Unlock,
                    ][usize::from(o)];
                    store.finish_run(outcome(Uuid(uuid(u))));
                }
                StoreOp::Timeout => {
                    if let Some(at) = store.poll_timeout() {
                        now = now.max(at);
                        prop_assert!(store.handle_timeout(now));
                        prop_assert!(!store.selected_registrar());
                    }
                }
            }
        }
    }

    #[test]
    fn locked_ap_pin_never_tried(ops in proptest::collection::vec(lock_op(), 1..120)) {
        let (mut lockout, mut model) = (ApPinLockout::new(), LockModel::default());
        let mut now = Instant::ZERO;
        for op in ops {
            match op {
                LockOp::Advance(ms) => {
                    now += Duration::from_millis(u64::from(ms));
                    lockout.handle_timeout(now);
                    model.tick(now);
                }
                LockOp::Attempt(correct) => {
                    // The AP refuses at M2 while locked: no PIN attempt reaches the
                    // hash check, so nothing is counted.
                    if lockout.is_locked(now) {
                        prop_assert!(model.locked);
                        continue;
                    }
                    prop_assert!(!model.locked);
                    if correct {
                        lockout.record_success();
                        model.consecutive = 0;
                    } else {
                        lockout.record_failure(now);
                        model.fail(now);
                    }
                }
                LockOp::NewPin => {
                    lockout.new_ap_pin();
                    model.failures = 0;
                    model.consecutive = 0;
                    model.locked = false;
                    model.reenable_at = None;
                }
            }
            prop_assert_eq!(lockout.is_locked(now), model.locked);
            prop_assert_eq!(lockout.poll_timeout(), model.reenable_at);
            prop_assert_eq!(lockout.failures(), model.failures);
        }
    }
}
