//! hostapd's registrar policy as a small reference model, and the `AccessPoint` driver
//! held to it: random sequences of operator commands (PINs for one device or for any,
//! push-button, cancel, AP PIN), Probe Requests, enrollees with the right PIN or a wrong
//! half, external registrars guessing the AP PIN, and jumps in time — with real
//! `Station`s on the other end.
//!
//! After every step: no station got a credential the model would have refused, every
//! station the model would serve got one, and the AP-setup lock, push-button mode and
//! Selected Registrar are what the model says. The model is written from hostapd's
//! `src/wps/wps_registrar.c` and `src/ap/wps_hostapd.c`, not from this crate:
//!
//! * PINs (`wps_registrar_add_pin`, `_get_pin`, `_unlock_pin`, `_invalidate_pin`): a
//!   list, newest first. A new wildcard PIN replaces an unused, unlocked wildcard PIN.
//!   An M1 takes the PIN for its UUID-E, else the newest wildcard PIN used fewer than
//!   twice (now bound to that UUID-E). A PIN whose lifetime has passed is gone. A wrong
//!   first half unlocks the PIN (a wildcard PIN that has served twice is deleted); a
//!   wrong second half or a success deletes it. A success ends Selected Registrar
//!   (`wps_registrar_pin_completed`).
//! * Push-button (`wps_registrar_button_pushed`, `_pbc_overlap`, `_probe_req_rx`):
//!   120 s walk time; a button press or a push-button M1 is refused when two distinct
//!   UUID-Es were seen in push-button mode within 120 s; a Probe Request that reveals
//!   an overlap refuses push-button runs until the next press; a success ends
//!   push-button mode and forgets that UUID-E's sessions, and its Probe Requests in the
//!   next 5 s are not recorded; adding a PIN ends push-button mode.
//!   A run whose enrollee goes silent holds its PIN locked (another enrollee gets M2D
//!   for it) until the registrar gives up; then the PIN is unlocked as after a wrong
//!   first half.
//! * `wps_cancel` (`wps_registrar_wps_cancel`): ends push-button mode, or else, while
//!   Selected Registrar is on, clears it and deletes the newest wildcard PIN.
//! * AP PIN (`hostapd_pwd_auth_fail`): every failed external registrar counts; from
//!   the 3rd failure AP setup locks for 60 s, the period doubling when the failure
//!   count is a multiple of 3; the 10th consecutive failure locks for good; a new AP
//!   PIN clears the counters and the lock. A locked (or PIN-less) AP refuses every
//!   external registrar.
//!
//! `PROPTEST_CASES` raises the number of sequences (default here: 32).

mod common;

use common::air::{Air, station_uuid};
use proptest::prelude::*;
use wps::attr::{DevicePasswordId, Uuid};
use wps::message::ie::{Beacon, ProbeRequest};
use wps::pin::{DevicePassword, Pin};
use wps::time::{Duration, Instant, Lifetime};
use wps::{Outcome, RunError};

/// Stations 0..ENROLLEES enrol; the rest are external registrars.
const ENROLLEES: usize = 4;
const REGISTRARS: usize = 2;
/// Probe Requests come from more devices than the push-button table holds (16).
const PROBERS: usize = 20;
/// The PINs the operator types and enrollees know (8 digits, valid checksums).
const PIN_PREFIXES: [u32; 3] = [1_234_567, 5_555_555, 2_468_024];
const AP_PIN_PREFIX: u32 = 8_765_432;
const WALK: Duration = Duration::from_secs(120);
/// Long enough for the access point to give up on a silent enrollee.
const VANISH_WAIT: Duration = Duration::from_secs(130);

fn pin(prefix: u32) -> String {
    Pin::from_prefix(prefix).unwrap().as_str().to_owned()
}

/// A wrong half: none, the first (digit 0 changed) or the second (digit 5 changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Typo {
    None,
    First,
    Second,
}

fn typed(prefix: u32, typo: Typo) -> String {
    let mut digits: Vec<u8> = pin(prefix).into_bytes();
    let at = match typo {
        Typo::None => return pin(prefix),
        Typo::First => 0,
        Typo::Second => 5,
    };
    digits[at] = if digits[at] == b'9' {
        b'0'
    } else {
        digits[at] + 1
    };
    String::from_utf8(digits).unwrap()
}

fn password(text: &str) -> DevicePassword {
    DevicePassword::from_bytes(text.as_bytes()).unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    /// `wps_pin any|UUID PIN [TIMEOUT]`.
    AddPin {
        for_station: Option<usize>,
        pin: usize,
        lifetime: Option<u64>,
    },
    /// `wps_pbc`.
    PushButton,
    /// `wps_cancel`.
    Cancel,
    /// A Probe Request from a device (an enrollee or one that only probes), in
    /// push-button mode or not.
    Probe { station: usize, pbc: bool },
    /// An enrollee types PIN `pin`, maybe with a wrong half.
    EnrolPin {
        station: usize,
        pin: usize,
        typo: Typo,
    },
    /// An enrollee with the right PIN vanishes after its M1 (the access point times
    /// out); meanwhile another enrollee may try PIN `other_pin`.
    Vanish {
        station: usize,
        pin: usize,
        other: Option<(usize, usize)>,
    },
    /// An enrollee presses its button.
    EnrolPbc { station: usize },
    /// `wps_ap_pin set`.
    SetApPin,
    /// An external registrar tries the AP PIN, maybe with a wrong half.
    GuessApPin { registrar: usize, typo: Typo },
    /// Time passes.
    Wait { secs: u64 },
}

fn typo() -> impl Strategy<Value = Typo> {
    prop_oneof![
        2 => Just(Typo::None),
        1 => Just(Typo::First),
        1 => Just(Typo::Second)
    ]
}

fn op() -> impl Strategy<Value = Op> {
    let station = 0..ENROLLEES;
    prop_oneof![
        3 => (
            proptest::option::of(0..ENROLLEES),
            0..PIN_PREFIXES.len(),
            proptest::option::weighted(0.3, 1u64..200)
        )
            .prop_map(|(for_station, pin, lifetime)| Op::AddPin { for_station, pin, lifetime }),
        2 => Just(Op::PushButton),
        1 => Just(Op::Cancel),
        3 => (0..PROBERS, any::<bool>()).prop_map(|(station, pbc)| Op::Probe { station, pbc }),
        4 => (station.clone(), 0..PIN_PREFIXES.len(), typo())
            .prop_map(|(station, pin, typo)| Op::EnrolPin { station, pin, typo }),
        2 => (
            station.clone(),
            0..PIN_PREFIXES.len(),
            proptest::option::of((0..ENROLLEES, 0..PIN_PREFIXES.len()))
        )
            .prop_map(|(station, pin, other)| Op::Vanish { station, pin, other }),
        2 => station.prop_map(|station| Op::EnrolPbc { station }),
        1 => Just(Op::SetApPin),
        3 => (0..REGISTRARS, typo()).prop_map(|(registrar, typo)| Op::GuessApPin { registrar, typo }),
        3 => prop_oneof![1u64..10, 50u64..130, 200u64..1000].prop_map(|secs| Op::Wait { secs }),
    ]
}

// ---------------------------------------------------------------------------------
// The reference model.

#[derive(Debug, Clone)]
struct ModelPin {
    /// The UUID-E it is for; a wildcard PIN gets one when an M1 takes it.
    uuid: Option<Uuid>,
    wildcard: bool,
    /// Runs a wildcard PIN has served.
    uses: u8,
    text: String,
    /// Held by a run in progress.
    locked: bool,
    /// Gone once `now` is past this.
    expires: Option<Instant>,
}

#[derive(Debug, Default)]
struct Model {
    /// Newest first.
    pins: Vec<ModelPin>,
    selected_registrar_until: Option<Instant>,
    pbc_until: Option<Instant>,
    /// Push-button Probe Requests and M1s: (UUID-E, when).
    pbc_seen: Vec<(Uuid, Instant)>,
    pbc_forced_overlap: bool,
    pbc_ignore: Option<(Uuid, Instant)>,
    ap_pin: bool,
    failures: u32,
    consecutive: u32,
    period: Duration,
    /// `Some(None)`: locked for good; `Some(Some(t))`: locked until `t`.
    lock: Option<Option<Instant>>,
}

/// What the model says a registration attempt must end in.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    /// Credentials (or, for an external registrar, the settings).
    Served,
    /// M2D: the registrar has nothing for this enrollee now.
    NoPassword,
    Failed(RunError),
}

impl Model {
    fn pbc_active(&self, now: Instant) -> bool {
        self.pbc_until.is_some_and(|t| now < t)
    }

    fn selected_registrar(&self, now: Instant) -> bool {
        self.pbc_active(now) || self.selected_registrar_until.is_some_and(|t| now < t)
    }

    fn overlap(&self, now: Instant, also: Option<Uuid>) -> bool {
        let mut distinct: Vec<Uuid> = also.into_iter().collect();
        for (uuid, at) in &self.pbc_seen {
            if now.saturating_duration_since(*at) <= WALK && !distinct.contains(uuid) {
                distinct.push(*uuid);
            }
        }
        distinct.len() > 1
    }

    fn see_pbc(&mut self, uuid: Uuid, now: Instant) {
        self.pbc_seen.retain(|(u, _)| *u != uuid);
        self.pbc_seen.push((uuid, now));
    }

    fn locked(&self, now: Instant) -> bool {
        match self.lock {
            Some(Some(until)) => now < until,
            Some(None) => true,
            None => false,
        }
    }

    fn add_pin(
        &mut self,
        uuid: Option<Uuid>,
        text: String,
        expires: Option<Instant>,
        now: Instant,
    ) {
        if uuid.is_none()
            && let Some(i) = self
                .pins
                .iter()
                .position(|p| p.wildcard && p.uses == 0 && !p.locked)
        {
            self.pins.remove(i);
        }
        self.pins.insert(
            0,
            ModelPin {
                uuid,
                wildcard: uuid.is_none(),
                uses: 0,
                text,
                locked: false,
                expires,
            },
        );
        self.selected_registrar_until = Some(now + WALK);
        self.pbc_until = None;
    }

    fn push_button(&mut self, now: Instant) -> bool {
        if self.overlap(now, None) {
            return false;
        }
        self.pbc_forced_overlap = false;
        self.pbc_until = Some(now + WALK);
        // The PIN's Selected Registrar timer is cancelled: it now lasts as long as
        // push-button mode does (`wps_registrar_stop_pbc` clears it).
        self.selected_registrar_until = None;
        true
    }

    fn cancel(&mut self, now: Instant) {
        if self.pbc_active(now) {
            self.pbc_until = None;
        } else if self.selected_registrar(now) {
            self.selected_registrar_until = None;
            if let Some(i) = self.pins.iter().position(|p| p.wildcard) {
                self.pins.remove(i);
            }
        }
    }

    fn probe(&mut self, uuid: Uuid, now: Instant) {
        let ignored = self.pbc_ignore.is_some_and(|(u, at)| {
            u == uuid && now.saturating_duration_since(at) < Duration::from_secs(5)
        });
        if !ignored {
            self.see_pbc(uuid, now);
        }
        if self.overlap(now, Some(uuid)) {
            self.pbc_forced_overlap = true;
        }
    }

    /// An M1 from `uuid` at `now`: the PIN it gets, locked for its run (`None`: M2D).
    fn take_pin(&mut self, uuid: Uuid, now: Instant) -> Option<String> {
        self.pins.retain(|p| p.expires.is_none_or(|t| now <= t));
        let i = self
            .pins
            .iter()
            .position(|p| !p.wildcard && p.uuid == Some(uuid))
            .or_else(|| self.pins.iter().position(|p| p.wildcard && p.uses < 2))?;
        let entry = &mut self.pins[i];
        // Deviation kept by the crate (documented on `PinStore`): a locked wildcard PIN
        // is refused untouched; hostapd re-binds it first.
        if entry.locked {
            return None;
        }
        if entry.wildcard {
            entry.uuid = Some(uuid);
            entry.uses += 1;
        }
        entry.locked = true;
        Some(entry.text.clone())
    }

    /// The run of `uuid` ends: the first PIN for this UUID-E is deleted, or unlocked
    /// (a wildcard PIN that has served twice is deleted then too).
    fn release_pin(&mut self, uuid: Uuid, delete: bool) {
        if let Some(i) = self.pins.iter().position(|p| p.uuid == Some(uuid)) {
            if delete || (self.pins[i].wildcard && self.pins[i].uses >= 2) {
                self.pins.remove(i);
            } else {
                self.pins[i].locked = false;
            }
        }
    }

    fn enrol_pin(&mut self, uuid: Uuid, typed: &str, now: Instant) -> Verdict {
        let Some(right) = self.take_pin(uuid, now) else {
            return Verdict::NoPassword;
        };
        if typed[..4] != right[..4] {
            self.release_pin(uuid, false);
            return Verdict::Failed(RunError::IncorrectPin { half: 1 });
        }
        self.release_pin(uuid, true);
        if typed != right {
            return Verdict::Failed(RunError::IncorrectPin { half: 2 });
        }
        self.selected_registrar_until = None;
        if let Some(i) = self.pins.iter().position(|p| p.wildcard && p.text == right) {
            self.pins.remove(i);
        }
        Verdict::Served
    }

    fn enrol_pbc(&mut self, uuid: Uuid, now: Instant) -> Verdict {
        if !self.pbc_active(now) {
            return Verdict::NoPassword;
        }
        if self.pbc_forced_overlap || self.overlap(now, Some(uuid)) {
            self.pbc_forced_overlap = true;
            return Verdict::Failed(RunError::PbcOverlap);
        }
        self.pbc_seen.retain(|(u, _)| *u != uuid);
        self.pbc_until = None;
        self.pbc_ignore = Some((uuid, now));
        Verdict::Served
    }

    fn set_ap_pin(&mut self) {
        self.ap_pin = true;
        self.failures = 0;
        self.consecutive = 0;
        self.lock = None;
    }

    fn guess_ap_pin(&mut self, typo: Typo, now: Instant) -> Verdict {
        if !self.ap_pin || self.locked(now) {
            return Verdict::Failed(RunError::ApLocked);
        }
        let half = match typo {
            Typo::None => {
                self.consecutive = 0;
                return Verdict::Served;
            }
            Typo::First => 1,
            Typo::Second => 2,
        };
        self.failures += 1;
        self.consecutive += 1;
        if self.failures >= 3 {
            if self.consecutive >= 10 {
                self.lock = Some(None);
            } else {
                if self.period.is_zero() {
                    self.period = Duration::from_secs(60);
                } else if self.period < Duration::from_secs(365 * 86_400)
                    && self.failures.is_multiple_of(3)
                {
                    self.period *= 2;
                }
                self.lock = Some(Some(now + self.period));
            }
        }
        Verdict::Failed(RunError::IncorrectPin { half })
    }
}

// ---------------------------------------------------------------------------------
// Driving the real access point.

/// How station `i`'s attempt ended at the access point's hands.
fn attempt_result(air: &Air, i: usize) -> Verdict {
    match air.station_result(i) {
        (Some(Outcome::Succeeded(c)), _) if c.first().is_some_and(|c| c.ssid() == b"home") => {
            Verdict::Served
        }
        (Some(Outcome::SettingsRead(c)), _) if c.ssid() == b"home" => Verdict::Served,
        (Some(Outcome::Failed(e)), _) => Verdict::Failed(*e),
        (None, true) => Verdict::NoPassword,
        other => panic!("station {i}: unexpected end {other:?}"),
    }
}

/// Lets station `i`'s attempt run (it needs no time on a perfect link), then stops it
/// so that an M2D does not turn into two minutes of retries.
fn finish_attempt(air: &mut Air, i: usize) -> Verdict {
    air.deliver();
    let verdict = attempt_result(air, i);
    let now = air.now;
    air.stations[i].cancel(now);
    air.deliver();
    air.clear_events();
    verdict
}

fn beacon(air: &Air) -> (bool, bool, Option<DevicePasswordId>) {
    let mut attrs = Vec::new();
    wps::eap::element::join_vec(&air.ap.beacon_ie(air.now), &mut attrs)
        .complete()
        .unwrap();
    let b = Beacon::parse(&attrs).unwrap();
    (
        b.ap_setup_locked,
        b.selected_registrar,
        b.device_password_id,
    )
}

fn step(air: &mut Air, model: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    let now = air.now;
    match *op {
        Op::AddPin {
            for_station,
            pin: p,
            lifetime,
        } => {
            let uuid = for_station.map(station_uuid);
            let text = pin(PIN_PREFIXES[p]);
            let life =
                lifetime.map_or(Lifetime::Forever, |s| Lifetime::For(Duration::from_secs(s)));
            air.ap.add_pin(uuid, password(&text), life, now).unwrap();
            let expires = lifetime.map(|s| now + Duration::from_secs(s));
            model.add_pin(uuid, text, expires, now);
        }
        Op::PushButton => {
            let accepted = air.ap.push_button(now).is_ok();
            prop_assert_eq!(accepted, model.push_button(now), "push-button accepted");
        }
        Op::Cancel => {
            air.ap.cancel(now);
            model.cancel(now);
        }
        Op::Probe { station, pbc } => {
            let id = if pbc {
                DevicePasswordId::PushButton
            } else {
                DevicePasswordId::Default
            };
            let ie = ProbeRequest::enrollee(station_uuid(station), id).to_bytes();
            air.ap
                .handle_probe_request(common::air::station_mac(station), &ie, now);
            if pbc {
                model.probe(station_uuid(station), now);
            }
        }
        Op::EnrolPin {
            station,
            pin: p,
            typo,
        } => {
            let text = typed(PIN_PREFIXES[p], typo);
            air.stations[station].start_pin(password(&text), Lifetime::Forever, now);
            let got = finish_attempt(air, station);
            let want = model.enrol_pin(station_uuid(station), &text, now);
            prop_assert_eq!(got, want, "PIN {} from station {}", text, station);
        }
        Op::Vanish {
            station,
            pin: p,
            other,
        } => {
            let text = pin(PIN_PREFIXES[p]);
            // EAPOL-Start, Identity, M1: then the enrollee is gone.
            air.budget[station] = Some(3);
            air.stations[station].start_pin(password(&text), Lifetime::Forever, now);
            air.deliver();
            let held = model.take_pin(station_uuid(station), now).is_some();
            if let Some((second, p2)) = other.filter(|(s, _)| *s != station) {
                let text = pin(PIN_PREFIXES[p2]);
                air.stations[second].start_pin(password(&text), Lifetime::Forever, now);
                let got = finish_attempt(air, second);
                let want = model.enrol_pin(station_uuid(second), &text, now);
                prop_assert_eq!(got, want, "PIN {} from station {} meanwhile", text, second);
            }
            // The access point gives up on the silent enrollee: its PIN is unlocked.
            air.wait(VANISH_WAIT);
            if held {
                model.release_pin(station_uuid(station), false);
            }
            air.budget[station] = None;
            let now = air.now;
            air.stations[station].cancel(now);
        }
        Op::EnrolPbc { station } => {
            air.stations[station].press_button(now);
            let got = finish_attempt(air, station);
            let want = model.enrol_pbc(station_uuid(station), now);
            prop_assert_eq!(got, want, "push-button from station {}", station);
        }
        Op::SetApPin => {
            air.ap
                .set_ap_pin(password(&pin(AP_PIN_PREFIX)), Lifetime::Forever, now);
            model.set_ap_pin();
        }
        Op::GuessApPin { registrar, typo } => {
            let i = ENROLLEES + registrar;
            let text = typed(AP_PIN_PREFIX, typo);
            air.stations[i].start_external_registrar(password(&text), None, now);
            let got = finish_attempt(air, i);
            let want = model.guess_ap_pin(typo, now);
            prop_assert_eq!(got, want, "AP PIN {} from registrar {}", text, registrar);
        }
        Op::Wait { secs } => air.wait(Duration::from_secs(secs)),
    }
    air.deliver();
    air.clear_events();
    let now = air.now;
    let (locked, selected, id) = beacon(air);
    prop_assert_eq!(
        air.ap.is_setup_locked(now),
        model.locked(now),
        "AP setup lock"
    );
    prop_assert_eq!(locked, model.locked(now), "Beacon: AP Setup Locked");
    prop_assert_eq!(
        selected && id == Some(DevicePasswordId::PushButton),
        model.pbc_active(now),
        "push-button mode"
    );
    prop_assert_eq!(
        selected,
        model.selected_registrar(now),
        "Selected Registrar"
    );
    Ok(())
}

fn run(ops: &[Op], seed: u64) -> Result<(), TestCaseError> {
    let mut air = Air::new(ENROLLEES + REGISTRARS, seed);
    let mut model = Model::default();
    for (n, op) in ops.iter().enumerate() {
        step(&mut air, &mut model, op)
            .map_err(|e| TestCaseError::fail(format!("step {n} ({op:?}) at {:?}: {e}", air.now)))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(32),
        ..ProptestConfig::default()
    })]

    #[test]
    fn access_point_follows_hostapd_registrar_policy(
        ops in proptest::collection::vec(op(), 1..40),
        seed in any::<u64>(),
    ) {
        run(&ops, seed)?;
    }
}

/// The lockout schedule, step by step: the model's own arithmetic checked once.
#[test]
fn ap_pin_lockout_schedule_of_the_model() {
    let mut m = Model::default();
    m.set_ap_pin();
    let t = Instant::from_secs(1000);
    let mut periods = Vec::new();
    for _ in 0..10 {
        // Each guess after the lock lifts.
        let at = match m.lock {
            Some(Some(until)) => until,
            _ => t,
        };
        m.guess_ap_pin(Typo::First, at);
        periods.push(m.lock.map(|l| l.map(|u| (u - at).as_secs())));
    }
    assert_eq!(
        periods,
        [
            None,
            None,
            Some(Some(60)),
            Some(Some(60)),
            Some(Some(60)),
            Some(Some(120)),
            Some(Some(120)),
            Some(Some(120)),
            Some(Some(240)),
            Some(None)
        ]
    );
}
