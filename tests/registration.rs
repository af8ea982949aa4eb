//! End-to-end runs of our enrollee against our registrar, in memory.

mod common;

use common::pair::*;
use wps::attr::{AttrType, Attributes, ConfigError, MacAddr, MessageType as T, Uuid};
use wps::message::MessageError;
use wps::pin::DevicePassword;
use wps::registration::PinLookupError;
use wps::registration::*;
use wps::time::{Duration, Instant, Lifetime};

use wps_testkit::fixtures::REGISTRATION as FULL;

fn assert_credential(events: &[Event]) {
    let creds = credentials(events);
    assert_eq!(creds.len(), 1);
    assert_eq!(creds[0].ssid(), b"home");
    assert_eq!(creds[0].network_key(), b"correct horse battery");
    assert_eq!(creds[0].mac(), printer().mac);
    assert_eq!(creds[0].settings(), &home());
}

/// How a run failed: (the message it failed at, the configuration error, the reason).
fn failed_with(events: &[Event]) -> (Option<T>, ConfigError, FailureReason) {
    let f = failure(events).unwrap();
    (f.message, f.config_error, f.reason)
}

fn run_success(password: DevicePassword) {
    let mut pair = Pair::station(password.clone(), 7);
    let mut source = FixedPassword::new(password);
    let log = pair.run(&mut source);
    assert_eq!(names(&log), FULL);
    assert_eq!(log.last().unwrap().op_code, OpCode::Done);
    assert!(pair.enrollee.is_success() && pair.registrar.is_success());
    let ee = events_of_enrollee(&mut pair.enrollee);
    assert_credential(&ee);
    assert_eq!(ee.last(), Some(&Event::Success));
    let re = events_of_registrar(&mut pair.registrar);
    assert_eq!(re.last(), Some(&Event::Success));
    assert!(source.is_used());
}

#[test]
fn success_with_8_digit_pin() {
    run_success(pw("12345670"));
}

#[test]
fn success_with_4_digit_pin() {
    run_success(pw("4321"));
}

#[test]
fn success_with_pushbutton_and_ap_registrar() {
    let mut pair = Pair::station(DevicePassword::pushbutton(), 9);
    let mut ap = ApRegistrar::new();
    ap.pbc.press_button(pair.now).unwrap();
    let log = pair.run(&mut ap);
    assert_eq!(names(&log), FULL);
    // M1 and M2 say Device Password ID 4.
    for m in &log[..2] {
        let a = Attributes::parse(&m.bytes).unwrap();
        assert_eq!(a.u16(AttrType::DevicePasswordId), Some(4));
    }
    assert_credential(&events_of_enrollee(&mut pair.enrollee));
    let re = events_of_registrar(&mut pair.registrar);
    assert!(
        re.contains(&Event::PasswordOutcome(PasswordOutcome::PbcDone(
            printer().uuid
        )))
    );
    assert!(!ap.pbc.is_active(), "push-button mode stops after success");
}

/// The router's registrar with PIN 12345670 entered for the printer at `now`.
fn printer_pin_at_router(now: Instant, lifetime: Lifetime) -> ApRegistrar {
    let mut ap = ApRegistrar::new();
    ap.pins
        .add(now, Some(printer().uuid.0), pw("12345670"), lifetime, None)
        .unwrap();
    ap
}

#[test]
fn pin_from_the_store_is_deleted_after_success() {
    let mut pair = Pair::station(pw("12345670"), 3);
    let mut ap = printer_pin_at_router(pair.now, Lifetime::Forever);
    pair.run(&mut ap);
    assert!(pair.enrollee.is_success());
    assert_eq!(
        ap.pins.lookup(pair.now, &printer().uuid.0),
        Err(PinLookupError::NotFound)
    );
}

fn wrong_pin(enrollee_pin: &str, seed: u64) -> (Vec<Sent>, Vec<Event>, Vec<Event>, ApRegistrar) {
    let mut pair = Pair::station(pw(enrollee_pin), seed);
    let mut ap = printer_pin_at_router(pair.now, Lifetime::Forever);
    let log = pair.run(&mut ap);
    assert!(pair.enrollee.is_finished() && !pair.enrollee.is_success());
    assert!(pair.registrar.is_finished() && !pair.registrar.is_success());
    let ee = events_of_enrollee(&mut pair.enrollee);
    let re = events_of_registrar(&mut pair.registrar);
    assert!(credentials(&ee).is_empty());
    (log, ee, re, ap)
}

fn nack_error(m: &Sent) -> u16 {
    assert_eq!(m.op_code, OpCode::Nack);
    Attributes::parse(&m.bytes)
        .unwrap()
        .u16(AttrType::ConfigurationError)
        .unwrap()
}

/// Both sides failed on the PIN's `half` at `at` (Configuration Error 18): the enrollee
/// for the mismatch it found, the registrar for the NACK; returns the registrar's failure.
fn half_failed(ee: &[Event], re: &[Event], at: T, half: u8) -> Failure {
    let f = failure(ee).unwrap();
    assert_eq!(
        (f.message, f.config_error),
        (Some(at), ConfigError::DevicePasswordAuthFailure)
    );
    assert_eq!(f.reason, FailureReason::PasswordMismatch { half });
    let f = failure(re).unwrap();
    assert_eq!(
        (f.message, f.config_error),
        (Some(at), ConfigError::DevicePasswordAuthFailure)
    );
    f
}

#[test]
fn wrong_first_half_is_nacked_at_m4_with_18() {
    let (log, ee, re, mut ap) = wrong_pin("11115670", 11);
    assert_eq!(names(&log), [T::M1, T::M2, T::M3, T::M4, T::WscNack]);
    assert_eq!(nack_error(&log[4]), 18);
    let f = half_failed(&ee, &re, T::M4, 1);
    assert_eq!(f.reason, FailureReason::Refused(Refusal::NackReceived));
    // M6 was never sent: hostapd only unlocks the PIN.
    let uuid = printer().uuid;
    assert!(re.contains(&Event::PasswordOutcome(PasswordOutcome::Unlock(uuid))));
    assert_eq!(ap.pins.lookup(Instant::ZERO, &uuid.0), Ok(pw("12345670")));
}

#[test]
fn wrong_second_half_is_nacked_at_m6_and_invalidates_the_pin() {
    let (log, ee, re, mut ap) = wrong_pin("12340003", 12);
    assert_eq!(
        names(&log),
        [T::M1, T::M2, T::M3, T::M4, T::M5, T::M6, T::WscNack]
    );
    assert_eq!(nack_error(&log[6]), 18);
    half_failed(&ee, &re, T::M6, 2);
    let uuid = printer().uuid;
    assert!(re.contains(&Event::PasswordOutcome(PasswordOutcome::Invalidate(uuid))));
    assert_eq!(
        ap.pins.lookup(Instant::ZERO, &uuid.0),
        Err(PinLookupError::NotFound)
    );
}

fn ap_current() -> Credential {
    Credential::new(
        NetworkSettings::wpa2_personal(b"old-ssid", b"old passphrase").unwrap(),
        router().mac,
    )
}

fn er_pair(new_settings: Option<NetworkSettings>, lock: ApSetupLock) -> Pair {
    let mut ap = EnrolleeConfig::access_point(router(), pw("12345670"), ap_current());
    if let EnrolleeRole::AccessPoint { lock: l, .. } = &mut ap.role {
        *l = lock;
    }
    let er = DeviceInfo::new(Uuid([0x33; 16]), MacAddr([2, 0, 0, 0, 0x0c, 1]), "laptop");
    Pair::new(ap, RegistrarConfig::external(er, new_settings), 21)
}

#[test]
fn external_registrar_configures_the_ap() {
    let new = NetworkSettings::wpa2_personal(b"new-ssid", b"new passphrase").unwrap();
    let mut pair = er_pair(Some(new.clone()), ApSetupLock::Unlocked);
    let mut source = FixedPassword::new(pw("12345670"));
    let log = pair.run(&mut source);
    let mut expected = FULL.to_vec();
    expected.push(T::WscAck);
    assert_eq!(names(&log), expected);
    assert_eq!(log.last().unwrap().op_code, OpCode::Ack);
    assert!(pair.enrollee.is_success() && pair.registrar.is_success());
    let ee = events_of_enrollee(&mut pair.enrollee);
    assert!(ee.contains(&Event::ApPinSuccess));
    let applied = ee.iter().find_map(|e| match e {
        Event::NewApSettings(c) => Some(c.clone()),
        _ => None,
    });
    assert_eq!(applied, Some(Credential::new(new, router().mac)));
    let re = events_of_registrar(&mut pair.registrar);
    assert!(re.contains(&Event::ApSettings(ap_current())));
    // M8 settings are flat: no Credential attribute.
    assert_eq!(re.last(), Some(&Event::Success));
}

#[test]
fn external_registrar_only_reads_the_ap() {
    let mut pair = er_pair(None, ApSetupLock::Unlocked);
    let mut source = FixedPassword::new(pw("12345670"));
    let log = pair.run(&mut source);
    assert_eq!(
        names(&log),
        [T::M1, T::M2, T::M3, T::M4, T::M5, T::M6, T::M7, T::WscNack]
    );
    assert_eq!(log[7].from, Side::Registrar);
    assert_eq!(nack_error(&log[7]), 0);
    let re = events_of_registrar(&mut pair.registrar);
    assert!(re.contains(&Event::ApSettings(ap_current())));
    assert_eq!(
        failed_with(&re),
        (
            Some(T::M7),
            ConfigError::NoError,
            FailureReason::Refused(Refusal::ReadOnly)
        )
    );
    assert_eq!(
        failed_with(&events_of_enrollee(&mut pair.enrollee)),
        (
            Some(T::M7),
            ConfigError::NoError,
            FailureReason::Refused(Refusal::NackReceived)
        )
    );
}

#[test]
fn locked_ap_nacks_m2_with_15() {
    let mut pair = er_pair(None, ApSetupLock::Locked);
    let log = pair.run(&mut FixedPassword::new(pw("12345670")));
    // The ER (EAP peer) answers the AP's NACK with its own.
    assert_eq!(names(&log), [T::M1, T::M2, T::WscNack, T::WscNack]);
    assert_eq!(nack_error(&log[2]), 15);
    assert_eq!(
        (log[2].from, log[3].from),
        (Side::Enrollee, Side::Registrar)
    );
    let f = failure(&events_of_registrar(&mut pair.registrar)).unwrap();
    assert_eq!(
        (f.message, f.config_error),
        (Some(T::M2), ConfigError::SetupLocked)
    );
}

#[test]
fn read_only_ap_nacks_m8_with_15() {
    let new = NetworkSettings::wpa2_personal(b"new-ssid", b"new passphrase").unwrap();
    let mut pair = er_pair(Some(new), ApSetupLock::ReadOnly);
    let log = pair.run(&mut FixedPassword::new(pw("12345670")));
    assert_eq!(names(&log)[7..], [T::M8, T::WscNack, T::WscNack]);
    assert_eq!(nack_error(&log[8]), 15);
    assert!(events_of_registrar(&mut pair.registrar).contains(&Event::ApSettings(ap_current())));
}

#[test]
fn ap_enrollee_answers_m2d_with_nack() {
    let mut pair = er_pair(None, ApSetupLock::Unlocked);
    // The ER has no password for a push-button run: M2D.
    let log = pair.run(&mut FixedPassword::new(DevicePassword::pushbutton()));
    assert_eq!(names(&log), [T::M1, T::M2D, T::WscNack, T::WscNack]);
    assert!(pair.enrollee.is_finished() && pair.registrar.is_finished());
}

#[test]
fn expired_pin_gives_m2d_and_station_acks() {
    let mut pair = Pair::station(pw("12345670"), 5);
    let mut ap = printer_pin_at_router(Instant::ZERO, Lifetime::For(Duration::from_secs(30)));
    pair.now = Instant::from_secs(31);
    let log = pair.run(&mut ap);
    assert_eq!(names(&log), [T::M1, T::M2D, T::WscAck]);
    let a = Attributes::parse(&log[1].bytes).unwrap();
    assert_eq!(a.u16(AttrType::ConfigurationError), Some(0));
    assert!(!a.contains(AttrType::PublicKey) && !a.contains(AttrType::Authenticator));
    let ee = events_of_enrollee(&mut pair.enrollee);
    assert!(matches!(&ee[0], Event::M2d(info) if info.config_error == ConfigError::NoError));
    assert!(
        !pair.enrollee.is_finished(),
        "a station keeps waiting for M2"
    );
    let re = events_of_registrar(&mut pair.registrar);
    assert!(matches!(re[0], Event::PasswordNeeded { .. }));
    let f = failure(&re).unwrap();
    assert_eq!(
        (f.message, f.reason),
        (Some(T::M2D), FailureReason::Refused(Refusal::NoPassword))
    );
}

/// `msg` with the value of its Registrar Nonce attribute replaced by `nonce`.
fn with_registrar_nonce(msg: &[u8], nonce: [u8; 16]) -> Vec<u8> {
    let mut out = msg.to_vec();
    let mut i = 0;
    while i + 4 <= out.len() {
        let t = u16::from_be_bytes([out[i], out[i + 1]]);
        let len = usize::from(u16::from_be_bytes([out[i + 2], out[i + 3]]));
        if t == 0x1039 {
            out[i + 4..i + 4 + len].copy_from_slice(&nonce);
            return out;
        }
        i += 4 + len;
    }
    panic!("no Registrar Nonce");
}

#[test]
fn m2d_ack_with_a_zero_registrar_nonce_ends_with_no_password() {
    // wpa_supplicant does not take N2 from an M2D: its WSC_ACK carries zeros.
    for (nonce, message, reason) in [
        ([0; 16], T::M2D, FailureReason::Refused(Refusal::NoPassword)),
        (
            [1; 16],
            T::WscAck,
            FailureReason::PeerMisbehaved(PeerMisbehaved::NonceMismatch),
        ),
    ] {
        let (mut e, mut r, m1) = fresh(77);
        let (now, mut nobody) = (Instant::ZERO, ApRegistrar::new());
        let m2d = r.handle(&m1.bytes, now, &mut nobody).unwrap();
        assert_eq!(m2d.message_type, T::M2D);
        let ack = e.handle(&m2d.bytes, now).unwrap();
        assert_eq!(ack.message_type, T::WscAck);
        let ack = with_registrar_nonce(&ack.bytes, nonce);
        assert!(r.handle(&ack, now, &mut nobody).is_none());
        let f = failure(&events_of_registrar(&mut r)).unwrap();
        assert_eq!(
            (f.message, f.reason),
            (Some(message), reason),
            "nonce {nonce:?}"
        );
    }
}

#[test]
fn m2d_then_m2_from_a_second_registrar_still_succeeds() {
    // The enrollee keeps M1 as "previous message" across an M2D.
    let (mut e, mut nobody, m1) = fresh(99);
    let now = Instant::ZERO;
    let m2d = nobody
        .handle(&m1.bytes, now, &mut ApRegistrar::new())
        .unwrap();
    assert_eq!(m2d.message_type, T::M2D);
    assert_eq!(e.handle(&m2d.bytes, now).unwrap().message_type, T::WscAck);
    // The second registrar: another one with the PIN.
    let (_, mut r, _) = fresh(100);
    let mut src = FixedPassword::new(pw("12345670"));
    let mut msg = r.handle(&m1.bytes, now, &mut src).unwrap();
    while let Some(reply) = e.handle(&msg.bytes, now) {
        match r.handle(&reply.bytes, now, &mut src) {
            Some(m) => msg = m,
            None => break,
        }
    }
    assert!(e.is_success() && r.is_success());
}

#[test]
fn pbc_overlap_gives_m2d_with_12() {
    let mut pair = Pair::station(DevicePassword::pushbutton(), 13);
    let mut ap = ApRegistrar::new();
    ap.pbc.press_button(pair.now).unwrap();
    ap.pbc
        .probe_request(pair.now, [2, 0, 0, 0, 0, 0x99], [0x99; 16]);
    let log = pair.run(&mut ap);
    assert_eq!(names(&log), [T::M1, T::M2D, T::WscAck]);
    let a = Attributes::parse(&log[1].bytes).unwrap();
    assert_eq!(a.u16(AttrType::ConfigurationError), Some(12));
    let f = failure(&events_of_registrar(&mut pair.registrar)).unwrap();
    assert_eq!(
        (f.config_error, f.reason),
        (
            ConfigError::MultiplePbcDetected,
            FailureReason::Refused(Refusal::PbcOverlap)
        )
    );
}

#[test]
fn locked_ap_registrar_sends_m2d_with_15() {
    let mut pair = Pair::station(pw("12345670"), 17);
    let mut ap = ApRegistrar::new();
    ap.setup_locked = true;
    let log = pair.run(&mut ap);
    let a = Attributes::parse(&log[1].bytes).unwrap();
    assert_eq!(a.message_type(), Some(T::M2D));
    assert_eq!(a.u16(AttrType::ConfigurationError), Some(15));
}

#[test]
fn enrollee_times_out_after_120_s_with_16() {
    let mut pair = Pair::station(pw("12345670"), 19);
    pair.enrollee.start(pair.now);
    assert_eq!(pair.enrollee.poll_timeout(), Some(Instant::from_secs(120)));
    pair.enrollee.handle_timeout(Instant::from_millis(119_999));
    assert!(!pair.enrollee.is_finished());
    pair.enrollee.handle_timeout(Instant::from_secs(120));
    assert!(pair.enrollee.is_finished());
    assert_eq!(pair.enrollee.poll_timeout(), None);
    let f = failure(&events_of_enrollee(&mut pair.enrollee)).unwrap();
    assert_eq!(
        (f.config_error, f.reason),
        (ConfigError::MessageTimeout, FailureReason::Timeout)
    );
}

#[test]
fn registrar_timeout_releases_the_password() {
    let mut pair = Pair::station(pw("12345670"), 23);
    let mut ap = ApRegistrar::new();
    ap.pins
        .add(pair.now, None, pw("12345670"), Lifetime::Forever, None)
        .unwrap();
    let m1 = pair.enrollee.start(pair.now);
    pair.registrar.handle(&m1.bytes, pair.now, &mut ap).unwrap();
    let deadline = pair.registrar.poll_timeout().unwrap();
    pair.registrar.handle_timeout(deadline, &mut ap);
    let re = events_of_registrar(&mut pair.registrar);
    assert!(re.contains(&Event::PasswordOutcome(PasswordOutcome::Unlock(
        printer().uuid
    ))));
    assert_eq!(
        failure(&re).unwrap().config_error,
        ConfigError::MessageTimeout
    );
}

#[test]
fn two_networks_give_two_credentials() {
    let second = NetworkSettings::open(b"guest").unwrap();
    let mut pair = Pair::new(
        EnrolleeConfig::station(printer(), pw("12345670")),
        RegistrarConfig::internal(router(), vec![home(), second.clone()]),
        29,
    );
    pair.run(&mut FixedPassword::new(pw("12345670")));
    let creds = credentials(&events_of_enrollee(&mut pair.enrollee));
    assert_eq!(creds.len(), 2);
    assert_eq!(creds[1].settings(), &second);
}

#[test]
fn secrets_are_not_printed() {
    let s = SessionSecrets::from_parts(&[5; 25], [1; 16], [[0xAB; 16]; 2], [[0; 16]; 3]).unwrap();
    let text = format!("{s:?}");
    assert!(!text.contains("171") && !text.to_lowercase().contains("ab, ab"));
    assert!(!format!("{:?}", home()).contains("horse"));
}

/// `msg` without its `t` attributes.
fn without(msg: &[u8], t: AttrType) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 4 <= msg.len() {
        let ty = u16::from_be_bytes([msg[i], msg[i + 1]]);
        let len = usize::from(u16::from_be_bytes([msg[i + 2], msg[i + 3]]));
        if ty != u16::from(t) {
            out.extend_from_slice(&msg[i..i + 4 + len]);
        }
        i += 4 + len;
    }
    out
}

/// A fresh station enrollee and internal registrar, M1 in hand.
fn fresh(seed: u64) -> (Enrollee, RegistrarSession, Outgoing) {
    let mut rng = TestRng(seed);
    let now = Instant::ZERO;
    let mut e = Enrollee::new(
        EnrolleeConfig::station(printer(), pw("12345670")),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let r = RegistrarSession::new(
        RegistrarConfig::internal(router(), vec![home()]),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let m1 = e.start(now);
    (e, r, m1)
}

#[test]
fn messages_without_version_are_read_as_hostapd_does() {
    // hostapd checks Version only in its strict validator: an M1 without it is answered.
    let (_, mut r, m1) = fresh(41);
    let now = Instant::ZERO;
    let m1 = without(&m1.bytes, AttrType::Version);
    let mut src = FixedPassword::new(pw("12345670"));
    let m2 = r.handle(&m1, now, &mut src).unwrap();
    assert_eq!(m2.message_type, T::M2);
    // So are an M2D and the WSC_ACK to it.
    let (mut e, mut r, m1) = fresh(42);
    let m2d = r.handle(&m1.bytes, now, &mut ApRegistrar::new()).unwrap();
    assert_eq!(m2d.message_type, T::M2D);
    let ack = e
        .handle(&without(&m2d.bytes, AttrType::Version), now)
        .unwrap();
    assert_eq!(ack.message_type, T::WscAck);
    let ack = without(&ack.bytes, AttrType::Version);
    assert!(r.handle(&ack, now, &mut ApRegistrar::new()).is_none());
    let f = failure(&events_of_registrar(&mut r)).unwrap();
    assert_eq!(f.reason, FailureReason::Refused(Refusal::NoPassword));
}

#[test]
fn m2d_needs_only_the_enrollee_nonce() {
    // hostapd's enrollee reads nothing else from an M2D: without UUID-R and Registrar
    // Nonce it is still acknowledged (with the all-zero Registrar Nonce it has).
    let (mut e, mut r, m1) = fresh(43);
    let now = Instant::ZERO;
    let m2d = r.handle(&m1.bytes, now, &mut ApRegistrar::new()).unwrap();
    let bare = without(
        &without(&m2d.bytes, AttrType::UuidR),
        AttrType::RegistrarNonce,
    );
    let ack = e.handle(&bare, now).unwrap();
    assert_eq!(ack.message_type, T::WscAck);
    let a = Attributes::parse(&ack.bytes).unwrap();
    assert_eq!(a.array::<16>(AttrType::RegistrarNonce), Some(&[0; 16]));
    assert!(!e.is_finished());
    assert!(matches!(events_of_enrollee(&mut e)[0], Event::M2d(_)));
    // Without the Enrollee Nonce it belongs to no run: dropped silently.
    let (mut e, mut r, m1) = fresh(44);
    let m2d = r.handle(&m1.bytes, now, &mut ApRegistrar::new()).unwrap();
    assert!(
        e.handle(&without(&m2d.bytes, AttrType::EnrolleeNonce), now)
            .is_none()
    );
    let f = failure(&events_of_enrollee(&mut e)).unwrap();
    assert_eq!(
        f.reason,
        FailureReason::PeerMisbehaved(PeerMisbehaved::NonceMismatch)
    );
}

/// The locked AP enrollee's answer to M2 with `t` removed.
fn locked_ap_answer_to_m2_without(t: AttrType) -> (u16, FailureReason) {
    let mut pair = er_pair(None, ApSetupLock::Locked);
    let now = pair.now;
    let m1 = pair.enrollee.start(now);
    let mut src = FixedPassword::new(pw("12345670"));
    let m2 = pair.registrar.handle(&m1.bytes, now, &mut src).unwrap();
    let nack = pair.enrollee.handle(&without(&m2.bytes, t), now).unwrap();
    let f = failure(&events_of_enrollee(&mut pair.enrollee)).unwrap();
    (nack_error(&sent(Side::Enrollee, nack)), f.reason)
}

#[test]
fn locked_ap_checks_m2_in_hostapds_order() {
    // UUID-R is checked before the lock: NACK 0; the Public Key, Authenticator and
    // device attributes after it: NACK 15, as hostapd.
    assert_eq!(
        locked_ap_answer_to_m2_without(AttrType::UuidR),
        (0, MessageError::Missing(AttrType::UuidR).into())
    );
    for t in [
        AttrType::PublicKey,
        AttrType::Authenticator,
        AttrType::DeviceName,
    ] {
        assert_eq!(
            locked_ap_answer_to_m2_without(t),
            (15, FailureReason::Refused(Refusal::SetupLocked)),
            "{t}"
        );
    }
}

#[test]
fn failure_reasons_read_in_plain_words_and_name_their_nack_error() {
    let cases = [
        (
            FailureReason::PasswordMismatch { half: 2 },
            "half 2 of the device password did not match",
            18,
        ),
        (
            FailureReason::Refused(Refusal::SetupLocked),
            "the access point is locked",
            15,
        ),
        (
            FailureReason::Refused(Refusal::PbcOverlap),
            "more than one device pressed the button",
            12,
        ),
        (
            FailureReason::PeerMisbehaved(PeerMisbehaved::Authenticator),
            "a message failed its integrity check",
            0,
        ),
        (
            MessageError::Missing(AttrType::UuidR).into(),
            "a message was malformed: required attribute UUID-R (0x1048) is missing",
            0,
        ),
        (FailureReason::Timeout, "timed out", 0),
    ];
    for (reason, words, error) in cases {
        assert_eq!(reason.to_string(), words);
        assert_eq!(u16::from(reason.nack_config_error()), error, "{words}");
    }
}

#[test]
fn timeout_before_anything_was_sent_names_no_message() {
    let mut rng = TestRng(45);
    let mut e = Enrollee::new(
        EnrolleeConfig::station(printer(), pw("12345670")),
        SessionSecrets::generate(&mut rng),
        Instant::ZERO,
    );
    e.handle_timeout(Instant::from_secs(120));
    let f = failure(&events_of_enrollee(&mut e)).unwrap();
    assert_eq!((f.message, f.reason), (None, FailureReason::Timeout));
    let (_, mut r, _) = fresh(46);
    r.abort(Instant::ZERO, &mut ApRegistrar::new());
    let f = failure(&events_of_registrar(&mut r)).unwrap();
    assert_eq!((f.message, f.reason), (None, FailureReason::Aborted));
    assert_eq!(r.enrollee_uuid(), Uuid::default());
}
