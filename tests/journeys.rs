//! The journeys, driver against driver on simulated time: every policy rule of the
//! `AccessPoint` and the `Station`, on both sides of each boundary.

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::ap::{AccessPoint, ApConfig, ApEvent, PbcStatus, PeerKind};
use wps::attr::{ConfigError, MacAddr, Uuid};
use wps::pin::DevicePassword;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant, Lifetime};
use wps::{Outcome, RunError};

const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0xaa]);
const PIN: &[u8] = b"12345670";
const AP_PIN: &[u8] = b"87654325";

fn pw(p: &[u8]) -> DevicePassword {
    DevicePassword::from_bytes(p).unwrap()
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Whether to lose a frame: its bytes, and whether a station sent it.
type LossRule = dyn FnMut(&[u8], bool) -> bool;

/// One access point and some stations on one simulated segment.
struct Lab {
    now: Instant,
    ap: AccessPoint<StdRng>,
    stations: Vec<(MacAddr, Station<StdRng>)>,
    ap_events: Vec<ApEvent>,
    station_events: Vec<Vec<StationEvent>>,
    /// Frames to drop, by count of frames sent so far (for loss tests).
    drop: Box<LossRule>,
}

impl Lab {
    fn new(stations: usize) -> Lab {
        Lab::with(stations, |_| {})
    }

    fn with(stations: usize, tweak: impl FnOnce(&mut ApConfig)) -> Lab {
        let router = DeviceInfo::new(Uuid([0xaa; 16]), AP_MAC, "router");
        let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
        let mut config = ApConfig::new(router, vec![home]);
        tweak(&mut config);
        let ap = AccessPoint::new(config, StdRng::seed_from_u64(1), Instant::ZERO);
        let stations = (0..stations)
            .map(|i| {
                let n = u8::try_from(i).unwrap() + 1;
                let mac = MacAddr([2, 0, 0, 0, 0, n]);
                let device = DeviceInfo::new(Uuid([n; 16]), mac, "printer");
                let rng = StdRng::seed_from_u64(100 + u64::from(n));
                (mac, Station::new(StationConfig::new(device), rng))
            })
            .collect::<Vec<_>>();
        let n = stations.len();
        Lab {
            now: Instant::ZERO,
            ap,
            stations,
            ap_events: Vec::new(),
            station_events: vec![Vec::new(); n],
            drop: Box::new(|_, _| false),
        }
    }

    fn station(&mut self, i: usize) -> &mut Station<StdRng> {
        &mut self.stations[i].1
    }

    /// Moves frames until nobody has anything to send.
    fn pump(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            for (mac, st) in &mut self.stations {
                while let Some(t) = st.poll_transmit() {
                    moved = true;
                    if !(self.drop)(&t.eapol, true) {
                        let _ = self.ap.handle_eapol(*mac, &t.eapol, self.now);
                    }
                }
            }
            while let Some(t) = self.ap.poll_transmit() {
                moved = true;
                if (self.drop)(&t.eapol, false) {
                    continue;
                }
                for (mac, st) in &mut self.stations {
                    if t.to == *mac || t.to.0 == wps::eap::PAE_GROUP_ADDR {
                        let _ = st.handle_eapol(AP_MAC, &t.eapol, self.now);
                    }
                }
            }
            if !moved {
                break;
            }
        }
        self.collect();
    }

    fn collect(&mut self) {
        self.ap_events
            .extend(std::iter::from_fn(|| self.ap.poll_event()));
        for (i, (_, st)) in self.stations.iter_mut().enumerate() {
            self.station_events[i].extend(std::iter::from_fn(|| st.poll_event()));
        }
    }

    /// Advances simulated time to `until`, running timers as they fall due.
    fn run_until(&mut self, until: Instant) {
        self.pump();
        loop {
            let next = std::iter::once(self.ap.poll_timeout())
                .chain(self.stations.iter().map(|(_, s)| s.poll_timeout()))
                .flatten()
                .min();
            match next {
                Some(t) if t <= until => {
                    self.now = self.now.max(t);
                    self.ap.handle_timeout(self.now);
                    for (_, st) in &mut self.stations {
                        st.handle_timeout(self.now);
                    }
                    self.pump();
                }
                _ => break,
            }
        }
        self.now = self.now.max(until);
        self.ap.handle_timeout(self.now);
        for (_, st) in &mut self.stations {
            st.handle_timeout(self.now);
        }
        self.pump();
    }

    fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        self.run_until(until);
    }

    /// The outcome a station finished with, if it has.
    fn station_outcome(&self, i: usize) -> Option<&Outcome> {
        self.station_events[i].iter().find_map(|e| match e {
            StationEvent::Finished { outcome, .. } => Some(outcome),
            _ => None,
        })
    }

    fn ap_outcomes(&self) -> Vec<(MacAddr, PeerKind, Outcome)> {
        self.ap_events
            .iter()
            .filter_map(|e| match e {
                ApEvent::Finished {
                    peer,
                    kind,
                    outcome,
                    ..
                } => Some((*peer, *kind, outcome.clone())),
                _ => None,
            })
            .collect()
    }

    fn ap_saw(&self, wanted: &ApEvent) -> bool {
        self.ap_events.contains(wanted)
    }

    /// The registrar learns the PIN `pin` for any enrollee, with no end.
    fn add_pin(&mut self, pin: &[u8]) {
        self.add_pin_for(pin, Lifetime::Forever);
    }

    /// The registrar learns the PIN `pin` for any enrollee, from now for `lifetime`.
    fn add_pin_for(&mut self, pin: &[u8], lifetime: Lifetime) {
        let now = self.now;
        self.ap.add_pin(None, pw(pin), lifetime, now).unwrap();
    }

    /// The access point's button is pressed now.
    fn push_button(&mut self) {
        let now = self.now;
        self.ap.push_button(now).unwrap();
    }

    /// Station `i`'s button is pressed now.
    fn press_button(&mut self, i: usize) {
        let now = self.now;
        self.station(i).press_button(now);
    }

    /// Station `i` starts a PIN run with `pin`, with no end.
    fn start_pin(&mut self, i: usize, pin: &[u8]) {
        self.start_pin_for(i, pin, Lifetime::Forever);
    }

    /// Station `i` starts a PIN run with `pin`, from now for `lifetime`.
    fn start_pin_for(&mut self, i: usize, pin: &[u8], lifetime: Lifetime) {
        let now = self.now;
        self.station(i).start_pin(pw(pin), lifetime, now);
    }

    /// Station `i` finished with the home network's credential.
    #[track_caller]
    fn assert_succeeded(&self, i: usize) {
        let events = &self.station_events[i];
        assert!(succeeded(self.station_outcome(i)), "{events:?}");
    }

    /// Station `i` finished with `error`.
    #[track_caller]
    fn assert_failed(&self, i: usize, error: RunError) {
        let events = &self.station_events[i];
        assert_eq!(
            self.station_outcome(i),
            Some(&Outcome::Failed(error)),
            "{events:?}"
        );
    }
}

fn succeeded(o: Option<&Outcome>) -> bool {
    matches!(o, Some(Outcome::Succeeded(c)) if c.first().is_some_and(|c| c.ssid() == b"home"))
}

#[test]
fn pin_journey_succeeds_on_both_sides() {
    let mut lab = Lab::new(1);
    lab.add_pin(PIN);
    lab.start_pin(0, PIN);
    lab.advance(secs(1));
    lab.assert_succeeded(0);
    let ap = lab.ap_outcomes();
    assert_eq!(ap.len(), 1);
    assert_eq!(ap[0].1, PeerKind::Enrollee);
    assert!(ap[0].2.is_success());
    // hostapd deletes a PIN once it has been used: a second printer gets M2D.
    assert_eq!(lab.ap.status().last_result, wps::ap::LastResult::Success);
}

#[test]
fn wrong_pin_reads_the_same_on_both_sides() {
    // 1234567|0 is the PIN; 1235567x differs in the first half, 1234568x in the second.
    for (prefix, half) in [(1_235_567u32, 1u8), (1_234_568, 2)] {
        let wrong_pin = wps::pin::Pin::from_prefix(prefix).unwrap();
        let wrong = wrong_pin.as_str().as_bytes();
        let mut lab = Lab::new(1);
        lab.add_pin(PIN);
        lab.start_pin(0, wrong);
        lab.advance(secs(1));
        let expected = Outcome::Failed(RunError::IncorrectPin { half });
        assert_eq!(lab.station_outcome(0), Some(&expected), "half {half}");
        let ap = lab.ap_outcomes();
        assert_eq!(ap.len(), 1, "{:?}", lab.ap_events);
        assert_eq!(ap[0].2, expected, "half {half}");
        assert_eq!(
            expected.to_string(),
            format!(
                "failed: the PIN was incorrect (its {} half did not match)",
                if half == 1 { "first" } else { "second" }
            )
        );
    }
}

#[test]
fn adding_a_pin_stops_push_button() {
    // Station 0 is a push-button printer; station 1 has the PIN.
    let mut lab = Lab::new(2);
    lab.push_button();
    lab.advance(secs(10));
    lab.add_pin(PIN);
    lab.collect();
    assert!(lab.ap_saw(&ApEvent::PbcDisabled));
    assert_eq!(lab.ap.status().pbc, PbcStatus::Disabled);
    lab.press_button(0);
    lab.start_pin(1, PIN);
    lab.advance(secs(121));
    lab.assert_succeeded(1);
    lab.assert_failed(0, RunError::NoPassword);
}

#[test]
fn push_button_before_a_pin_is_added_works() {
    let mut lab = Lab::new(1);
    lab.push_button();
    lab.press_button(0);
    lab.advance(secs(1));
    lab.assert_succeeded(0);
    // The success ends push-button mode.
    assert!(lab.ap_saw(&ApEvent::PbcDisabled));
}

#[test]
fn push_button_overlap_is_refused() {
    let mut lab = Lab::new(2);
    lab.push_button();
    // Two push-button printers at once: the second M1 meets the first session.
    lab.press_button(0);
    lab.press_button(1);
    lab.advance(secs(5));
    let overlap = Outcome::Failed(RunError::PbcOverlap);
    let outcomes = [lab.station_outcome(0), lab.station_outcome(1)];
    assert!(
        outcomes.contains(&Some(&overlap)),
        "{:?} / {:?}",
        lab.station_events[0],
        lab.station_events[1]
    );
    assert!(lab.ap_saw(&ApEvent::OverlapDetected) || lab.ap.status().pbc == PbcStatus::Overlap);
}

#[test]
fn walk_time_starts_when_the_button_is_pressed() {
    let mut lab = Lab::new(1);
    // The station exists from t = 0; its button is pressed at t = 10 s. Nobody answers
    // with a credential (the AP is not in push-button mode).
    lab.advance(secs(10));
    let pressed = lab.now;
    lab.station(0).press_button(pressed);
    lab.run_until(pressed + Duration::from_millis(119_999));
    assert_eq!(lab.station_outcome(0), None);
    lab.run_until(pressed + secs(120));
    assert_eq!(
        lab.station_outcome(0),
        Some(&Outcome::Failed(RunError::NoPassword)),
        "M2Ds were seen, so the registrar had no password"
    );
}

#[test]
fn walk_time_with_no_answer_at_all_is_a_timeout() {
    let mut lab = Lab::new(1);
    lab.drop = Box::new(|_, from_station| from_station);
    let t = lab.now;
    lab.station(0).press_button(t);
    lab.run_until(t + secs(120));
    let o = lab.station_outcome(0).unwrap();
    assert_eq!(o, &Outcome::Failed(RunError::TimedOut { after: secs(120) }));
    assert_eq!(
        o.to_string(),
        "failed: timed out: no registration within 120 s"
    );
}

#[test]
fn a_dynamic_pin_expires_at_the_station() {
    let mut lab = Lab::new(1);
    // The registrar never gets the PIN: the printer's 5 s PIN runs out.
    let t = lab.now;
    lab.start_pin_for(0, PIN, Lifetime::For(secs(5)));
    lab.run_until(t + Duration::from_millis(4_999));
    assert_eq!(lab.station_outcome(0), None);
    lab.run_until(t + secs(5));
    lab.assert_failed(0, RunError::PinExpired);
    // The next attempt with a fresh PIN works once the registrar has it.
    let fresh = b"24681353";
    lab.add_pin(fresh);
    lab.station_events[0].clear();
    lab.start_pin_for(0, fresh, Lifetime::For(secs(300)));
    lab.advance(secs(2));
    lab.assert_succeeded(0);
}

#[test]
fn a_pin_past_its_lifetime_is_refused_by_the_registrar() {
    let mut lab = Lab::new(1);
    lab.add_pin_for(PIN, Lifetime::For(secs(3)));
    // Still usable exactly at its deadline (hostapd's lazy, strict check) …
    lab.advance(secs(4));
    lab.start_pin(0, PIN);
    lab.advance(secs(3));
    assert_eq!(lab.station_outcome(0), None, "still trying after M2D");
    assert!(
        lab.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::PinNeeded { mac, device, .. }
                if *mac == lab.stations[0].0 && device.identity.device_name == b"printer")),
        "{:?}",
        lab.ap_events
    );
    // … a fresh PIN then works within the same journey.
    lab.add_pin(PIN);
    lab.advance(secs(5));
    lab.assert_succeeded(0);
}

/// `frame` (an EAPOL-framed, unfragmented EAP-WSC message) without the message's
/// leading Version attribute, its EAPOL and EAP lengths adjusted; `None` if it has none.
fn without_version(frame: &[u8]) -> Option<Vec<u8>> {
    // EAPOL header (4 bytes), EAP header and the WSC method's own (14 bytes).
    const MESSAGE: usize = 4 + 14;
    const VERSION: [u8; 5] = [0x10, 0x4a, 0x00, 0x01, 0x10];
    if frame.get(MESSAGE..MESSAGE + VERSION.len())? != VERSION {
        return None;
    }
    let mut out = [&frame[..MESSAGE], &frame[MESSAGE + VERSION.len()..]].concat();
    for at in [2, 6] {
        let len = u16::from_be_bytes([out[at], out[at + 1]]) - 5;
        out[at..at + 2].copy_from_slice(&len.to_be_bytes());
    }
    Some(out)
}

#[test]
fn an_m1_without_version_is_read_alike_by_the_access_point_and_its_registrar() {
    // hostapd's registrar accepts an M1 that lacks the Version attribute; the access
    // point's own reading of it (the device for WPS-PIN-NEEDED) must too.
    let mut lab = Lab::new(1);
    let held = std::rc::Rc::new(std::cell::RefCell::new(None));
    let hold = held.clone();
    lab.drop = Box::new(move |frame, from_station| {
        let m1 = from_station && message_of(frame) == Some(wps::attr::MessageType::M1);
        if m1 {
            hold.replace(without_version(frame));
        }
        m1
    });
    lab.start_pin(0, PIN);
    lab.pump();
    let m1 = held.borrow_mut().take().expect("the station sent M1");
    lab.drop = Box::new(|_, _| false);
    let (mac, now) = (lab.stations[0].0, lab.now);
    lab.ap.handle_eapol(mac, &m1, now).unwrap();
    lab.pump();
    assert!(
        lab.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::PinNeeded { mac: m, device, .. }
                if *m == mac && device.identity.device_name == b"printer")),
        "{:?}",
        lab.ap_events
    );
}

#[test]
fn a_pin_is_usable_until_its_deadline() {
    let mut lab = Lab::new(1);
    let t = lab.now;
    lab.add_pin_for(PIN, Lifetime::For(secs(3)));
    lab.run_until(t + Duration::from_millis(2_900));
    lab.start_pin(0, PIN);
    lab.pump();
    lab.assert_succeeded(0);
}

/// An external registrar (station) against the access point's AP PIN.
fn er_attempt(lab: &mut Lab, pin: &[u8]) -> Outcome {
    lab.station_events[0].clear();
    let now = lab.now;
    lab.station(0).start_external_registrar(pw(pin), None, now);
    lab.advance(secs(1));
    lab.station_outcome(0).cloned().expect("finished")
}

#[test]
fn ap_pin_lockout_locks_after_three_failures_and_unlocks_after_60_s() {
    let mut lab = Lab::new(1);
    let now = lab.now;
    lab.ap.set_ap_pin(pw(AP_PIN), Lifetime::Forever, now);
    // Right AP PIN: the settings are read.
    assert!(
        matches!(er_attempt(&mut lab, AP_PIN), Outcome::SettingsRead(c) if c.ssid() == b"home")
    );
    // The access point says the same: read, not failed.
    let ap = lab.ap_outcomes();
    assert!(
        matches!(&ap[..], [(_, PeerKind::ExternalRegistrar, Outcome::SettingsRead(c))] if c.ssid() == b"home"),
        "{ap:?}"
    );
    for _ in 0..3 {
        assert_eq!(
            er_attempt(&mut lab, b"11111111"),
            Outcome::Failed(RunError::IncorrectPin { half: 1 })
        );
    }
    assert!(lab.ap_saw(&ApEvent::ApSetupLocked));
    let locked_at = lab.now;
    assert!(lab.ap.is_setup_locked(lab.now));
    // Even the right AP PIN is refused now, with Configuration Error 15.
    assert_eq!(
        er_attempt(&mut lab, AP_PIN),
        Outcome::Failed(RunError::ApLocked)
    );
    let failure = lab.station_events[0].iter().find_map(|e| match e {
        StationEvent::Finished { failure, .. } => *failure,
        _ => None,
    });
    assert_eq!(
        failure.map(|f| f.config_error),
        Some(ConfigError::SetupLocked)
    );
    // The Beacon says so.
    let beacon = lab.ap.beacon_ie(lab.now);
    let mut attrs = Vec::new();
    wps::eap::element::join_vec(&beacon, &mut attrs)
        .complete()
        .unwrap();
    assert!(
        wps::message::ie::Beacon::parse(&attrs)
            .unwrap()
            .ap_setup_locked
    );
    // The lock was taken at the third failure; it lasts 60 s.
    lab.run_until(locked_at + Duration::from_millis(58_000));
    assert!(lab.ap.is_setup_locked(lab.now));
    lab.run_until(locked_at + secs(61));
    assert!(!lab.ap.is_setup_locked(lab.now));
    assert!(lab.ap_saw(&ApEvent::ApSetupUnlocked));
    assert!(matches!(
        er_attempt(&mut lab, AP_PIN),
        Outcome::SettingsRead(_)
    ));
}

#[test]
fn ap_pin_lockout_counts_every_device() {
    // Three external registrars with three MACs, one wrong guess each: locked.
    let mut lab = Lab::new(3);
    let now = lab.now;
    lab.ap.set_ap_pin(pw(AP_PIN), Lifetime::Forever, now);
    for i in 0..3 {
        let now = lab.now;
        lab.station(i)
            .start_external_registrar(pw(b"11111111"), None, now);
        lab.advance(secs(1));
    }
    assert!(lab.ap.is_setup_locked(lab.now));
    assert!(lab.ap_saw(&ApEvent::ApSetupLocked));
}

#[test]
fn external_registrar_configures_the_access_point() {
    let mut lab = Lab::new(1);
    let now = lab.now;
    lab.ap.set_ap_pin(pw(AP_PIN), Lifetime::Forever, now);
    let new = NetworkSettings::wpa2_personal(b"office", b"another fine passphrase").unwrap();
    lab.station(0)
        .start_external_registrar(pw(AP_PIN), Some(new.clone()), now);
    lab.advance(secs(1));
    let Some(Outcome::Succeeded(c)) = lab.station_outcome(0) else {
        panic!("{:?}", lab.station_events[0]);
    };
    assert_eq!(c[0].ssid(), b"office");
    assert!(
        lab.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::NewApSettings(c) if c.ssid() == b"office"))
    );
    assert_eq!(lab.ap.networks(), &[new]);
}

#[test]
fn an_expired_ap_pin_is_refused() {
    let mut lab = Lab::new(1);
    let now = lab.now;
    lab.ap.set_ap_pin(pw(AP_PIN), Lifetime::For(secs(300)), now);
    lab.advance(secs(301));
    assert_eq!(
        er_attempt(&mut lab, AP_PIN),
        Outcome::Failed(RunError::ApLocked)
    );
}

#[test]
fn sessions_are_bounded_and_the_oldest_idle_one_goes() {
    let mut lab = Lab::with(3, |c| c.max_sessions = 2);
    // Three stations start talking (EAPOL-Start), one after another; nobody has a PIN.
    for i in 0..3 {
        lab.start_pin(i, PIN);
        lab.pump();
        assert!(lab.ap.session_count() <= 2);
        lab.advance(Duration::from_millis(10));
    }
    assert!(lab.ap.session_count() <= 2);
}

/// Whether an EAPOL frame carries a WSC message with this op-code.
fn carries(eapol: &[u8], op: wps::eap::OpCode) -> bool {
    let Ok(p) = wps::eap::EapolPacket::parse(eapol) else {
        return false;
    };
    let Ok(eap) = wps::eap::EapPacket::parse(p.body) else {
        return false;
    };
    eap.wsc_frame().is_some_and(|f| f.op_code == op)
}

#[test]
fn a_lost_wsc_done_is_answered_again() {
    // The station's first WSC_Done is lost: the registrar resends M8 5 s later and the
    // lingering station answers it again, so both sides succeed.
    let mut lab = Lab::new(1);
    lab.add_pin(PIN);
    let mut dropped = 0;
    lab.drop = Box::new(move |frame, from_station| {
        let lose = from_station && dropped == 0 && carries(frame, wps::eap::OpCode::Done);
        if lose {
            dropped += 1;
        }
        lose
    });
    lab.start_pin(0, PIN);
    lab.advance(secs(1));
    assert!(succeeded(lab.station_outcome(0)));
    assert!(
        lab.ap_outcomes().is_empty(),
        "the registrar still waits for WSC_Done"
    );
    assert!(!lab.station(0).is_idle(), "the station lingers");
    lab.advance(secs(6));
    let ap = lab.ap_outcomes();
    assert_eq!(ap.len(), 1, "{:?}", lab.ap_events);
    assert!(ap[0].2.is_success());
    lab.advance(secs(20));
    assert!(lab.station(0).is_idle());
}

/// The WSC message type an EAPOL frame carries, if it carries a whole one.
fn message_of(eapol: &[u8]) -> Option<wps::attr::MessageType> {
    let p = wps::eap::EapolPacket::parse(eapol).ok()?;
    let eap = wps::eap::EapPacket::parse(p.body).ok()?;
    wps::attr::Attributes::parse(eap.wsc_frame()?.data)
        .ok()?
        .message_type()
}

/// A lab whose AP loses the first `copies` copies of `message` it sends.
fn losing(copies: usize, message: wps::attr::MessageType, hostapd_schedule: bool) -> Lab {
    let mut lab = Lab::with(1, |c| {
        if hostapd_schedule {
            c.max_retransmissions = wps::eap::MAX_RETRANS;
        }
    });
    lab.add_pin(PIN);
    let mut lost = 0;
    lab.drop = Box::new(move |frame, from_station| {
        let lose = !from_station && lost < copies && message_of(frame) == Some(message);
        if lose {
            lost += 1;
        }
        lose
    });
    lab.start_pin(0, PIN);
    lab
}

#[test]
fn the_access_point_resends_a_message_until_the_link_lets_it_through() {
    // M6 (which reveals the PIN) and then M8 (after the PIN is used) lost four times
    // in a row: the AP's 5 s resends carry the first conversation through, on both
    // sides, well inside the walk time.
    for message in [wps::attr::MessageType::M6, wps::attr::MessageType::M8] {
        let mut lab = losing(4, message, false);
        lab.advance(secs(30));
        assert!(
            succeeded(lab.station_outcome(0)),
            "{message:?}: {:?}",
            lab.station_events[0]
        );
        assert!(
            !lab.station_events[0].contains(&StationEvent::Started { attempt: 2 }),
            "{message:?}: one conversation"
        );
        let ap = lab.ap_outcomes();
        assert_eq!(ap.len(), 1, "{message:?}: {:?}", lab.ap_events);
        assert!(ap[0].2.is_success(), "{message:?}: {:?}", ap[0]);
    }
}

#[test]
fn hostapds_three_sends_lose_the_pin_where_ours_do_not() {
    // The same four lost M6 copies against hostapd's schedule (3 sends): the AP gives
    // up after M6 revealed the PIN, so the PIN is gone and every later attempt of the
    // station meets M2D — what the fault lab shows for hostapd.
    let mut lab = losing(4, wps::attr::MessageType::M6, true);
    lab.advance(secs(120));
    lab.assert_failed(0, RunError::NoPassword);
    let ap = lab.ap_outcomes();
    assert_eq!(ap.len(), 1, "{:?}", lab.ap_events);
    assert_eq!(ap[0].2, Outcome::Failed(RunError::NoResponse));
}

/// Station 0 starts a PIN run as the soliciting AP sends its Identity Request: returns
/// the station's EAPOL-Start, still on its way, and the AP's WSC_Start, which answers
/// the station's Identity Response.
fn cross_starts(lab: &mut Lab) -> (wps::ap::Transmit, wps::ap::Transmit) {
    lab.start_pin(0, PIN);
    let (now, mac) = (lab.now, lab.stations[0].0);
    let start = lab.station(0).poll_transmit().unwrap();
    lab.ap.handle_timeout(now);
    let identity_request = lab.ap.poll_transmit().unwrap();
    lab.station(0)
        .handle_eapol(AP_MAC, &identity_request.eapol, now)
        .unwrap();
    let identity = lab.station(0).poll_transmit().unwrap();
    lab.ap.handle_eapol(mac, &identity.eapol, now).unwrap();
    (start, lab.ap.poll_transmit().unwrap())
}

#[test]
fn an_eapol_start_that_crossed_the_conversation_does_not_restart_it() {
    // A wired AP solicits with an Identity Request to the PAE group; the station's own
    // EAPOL-Start, sent before that arrived, reaches the AP after the station answered.
    // wpa_supplicant, in the middle of the method, would discard the new Identity
    // Request a restart sends, so the AP must go on with the conversation it has.
    let mut lab = Lab::with(1, |c| c.solicit_every = Some(secs(1)));
    lab.add_pin(PIN);
    let (start, wsc_start) = cross_starts(&mut lab);
    let (now, mac) = (lab.now, lab.stations[0].0);
    assert!(carries(&wsc_start.eapol, wps::eap::OpCode::Start));
    // The crossed EAPOL-Start: dropped, nothing sent.
    let later = now + Duration::from_millis(600);
    assert_eq!(
        lab.ap.handle_eapol(mac, &start.eapol, later),
        Err(wps::station::Dropped::CrossedStart)
    );
    assert!(lab.ap.poll_transmit().is_none(), "no new Identity Request");
    lab.station(0)
        .handle_eapol(AP_MAC, &wsc_start.eapol, later)
        .unwrap();
    lab.advance(secs(1));
    assert!(succeeded(lab.station_outcome(0)));
    assert!(lab.ap_outcomes()[0].2.is_success());
    // A station silent for longer than the window does start over.
    let mut lab = Lab::with(1, |c| c.solicit_every = Some(secs(1)));
    let (start, _wsc_start) = cross_starts(&mut lab);
    let late = now + wps::ap::CROSSED_START_WINDOW;
    lab.ap.handle_eapol(mac, &start.eapol, late).unwrap();
    let restart = lab.ap.poll_transmit().unwrap();
    assert_eq!(message_of(&restart.eapol), None);
    assert!(
        !carries(&restart.eapol, wps::eap::OpCode::Start),
        "an Identity Request"
    );
}

#[test]
fn a_station_that_starts_over_does_so_with_fresh_secrets() {
    // The first conversation dies after M3 (the AP's M4 copies are lost for 35 s): the
    // station gives up on it after 30 s of silence and starts over within the walk time
    // with a new nonce and DH key, and the registrar, which never revealed the PIN in
    // that conversation, lets it use the PIN again.
    use std::cell::RefCell;
    use std::rc::Rc;
    use wps::attr::{AttrType, Attributes, MessageType};
    let mut lab = Lab::new(1);
    lab.add_pin(PIN);
    let m1s = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&m1s);
    let mut lost = 0;
    lab.drop = Box::new(move |frame, from_station| {
        if from_station && message_of(frame) == Some(MessageType::M1) {
            seen.borrow_mut().push(frame.to_vec());
        }
        let lose = !from_station && lost < 8 && message_of(frame) == Some(MessageType::M4);
        lost += usize::from(lose);
        lose
    });
    lab.start_pin(0, PIN);
    lab.advance(secs(80));
    lab.assert_succeeded(0);
    assert!(lab.station_events[0].contains(&StationEvent::Started { attempt: 2 }));
    let m1s = m1s.borrow();
    assert_eq!(m1s.len(), 2);
    let field = |frame: &[u8], attr| {
        let p = wps::eap::EapolPacket::parse(frame).unwrap();
        let eap = wps::eap::EapPacket::parse(p.body).unwrap();
        let attrs = Attributes::parse(eap.wsc_frame().unwrap().data).unwrap();
        attrs.get(attr).unwrap().to_vec()
    };
    for attr in [AttrType::EnrolleeNonce, AttrType::PublicKey] {
        assert_ne!(field(&m1s[0], attr), field(&m1s[1], attr), "{attr:?}");
    }
}

#[test]
fn lossy_link_still_registers_through_retransmissions() {
    // Every 7th frame is lost, both ways. EAP retransmission (5 s), EAPOL-Start
    // repetition and whole-conversation retries get the credential through.
    for seed in 0..5usize {
        let mut lab = Lab::new(1);
        lab.add_pin(PIN);
        let mut n = 0usize;
        lab.drop = Box::new(move |_, _| {
            n += 1;
            (n + seed).is_multiple_of(7)
        });
        lab.start_pin(0, PIN);
        lab.advance(secs(120));
        assert!(
            succeeded(lab.station_outcome(0)),
            "seed {seed}: {:?}",
            lab.station_events[0]
        );
    }
}

#[test]
fn cancel_ends_the_journey() {
    let mut lab = Lab::new(1);
    let now = lab.now;
    lab.station(0).press_button(now);
    lab.pump();
    lab.station(0).cancel(now);
    lab.collect();
    lab.assert_failed(0, RunError::Cancelled);
    assert!(lab.station(0).is_idle());
}

#[test]
fn an_overlap_seen_in_the_scan_ends_a_push_button_journey() {
    use wps::scan::PbcVerdict;
    let mut lab = Lab::new(1);
    let now = lab.now;
    let (a, b) = (MacAddr([2, 0, 0, 0, 1, 1]), MacAddr([2, 0, 0, 0, 2, 1]));
    // Not during a PIN journey …
    lab.station(0).start_pin(pw(PIN), Lifetime::Forever, now);
    let overlap = PbcVerdict::Overlap {
        chosen: a,
        other: b,
    };
    assert!(!lab.station(0).handle_scan_verdict(&overlap, now));
    // … nor for a single push-button AP …
    lab.station(0).press_button(now);
    assert!(
        !lab.station(0)
            .handle_scan_verdict(&PbcVerdict::Join(a), now)
    );
    lab.collect();
    lab.assert_failed(0, RunError::Cancelled);
    lab.station_events[0].clear();
    // … but two push-button registrars end it.
    assert!(lab.station(0).handle_scan_verdict(&overlap, now));
    lab.collect();
    lab.assert_failed(0, RunError::PbcOverlap);
}
