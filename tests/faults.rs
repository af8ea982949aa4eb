//! Fault injection: every message of a good run truncated, bit-flipped, duplicated,
//! replaced by a stale one, or replaced by one from another session. Each must end in a
//! clean failure on both sides (after their timeouts at the latest): no panic, no
//! success, no credential — except that tampering with the final WSC_Done cannot take
//! back the credential the enrollee already accepted.

mod common;

use common::pair::*;
use wps::attr::{ConfigError, MessageType as T};
use wps::registration::*;

#[derive(Debug, Clone, Copy)]
enum Fault {
    Truncate(usize),
    FlipBit(usize),
    Duplicate,
    Stale,
    Foreign,
    Drop,
}

const PIN: &str = "12345670";

fn good_log(seed: u64) -> Vec<Sent> {
    let mut pair = Pair::station(pw(PIN), seed);
    let log = pair.run(&mut FixedPassword::new(pw(PIN)));
    assert!(pair.enrollee.is_success() && pair.registrar.is_success());
    log
}

struct Outcome {
    enrollee: Vec<Event>,
    registrar: Vec<Event>,
    enrollee_success: bool,
    registrar_success: bool,
}

fn run_faulty(target: usize, fault: Fault, foreign: &[Sent]) -> Outcome {
    let mut pair = Pair::station(pw(PIN), 1234);
    let mut source = FixedPassword::new(pw(PIN));
    let mut history: Vec<Sent> = Vec::new();
    pair.run_with(&mut source, |i, m| {
        history.push(m.clone());
        if i != target {
            return vec![m];
        }
        match fault {
            Fault::Truncate(n) => {
                let mut t = m;
                t.bytes.truncate(n.min(t.bytes.len().saturating_sub(1)));
                vec![t]
            }
            Fault::FlipBit(bit) => {
                let mut t = m;
                let len = t.bytes.len();
                t.bytes[(bit / 8) % len] ^= 1 << (bit % 8);
                vec![t]
            }
            Fault::Duplicate => vec![m.clone(), m],
            // The same sender's previous message, delivered again in place of this one.
            Fault::Stale => {
                let prev = history.iter().rev().skip(1).find(|h| h.from == m.from);
                vec![prev.cloned().unwrap_or(m)]
            }
            Fault::Foreign => {
                let mut f = foreign[i.min(foreign.len() - 1)].clone();
                f.from = m.from;
                vec![f]
            }
            Fault::Drop => vec![],
        }
    });
    // Whatever is still waiting gives up at its deadline.
    for _ in 0..2 {
        if let Some(t) = pair.enrollee.poll_timeout() {
            pair.enrollee.handle_timeout(t);
        }
        if let Some(t) = pair.registrar.poll_timeout() {
            pair.registrar.handle_timeout(t, &mut source);
        }
    }
    assert!(pair.enrollee.is_finished() && pair.registrar.is_finished());
    assert_eq!(pair.enrollee.poll_timeout(), None);
    Outcome {
        enrollee_success: pair.enrollee.is_success(),
        registrar_success: pair.registrar.is_success(),
        enrollee: events_of_enrollee(&mut pair.enrollee),
        registrar: events_of_registrar(&mut pair.registrar),
    }
}

fn check(target: usize, fault: Fault, foreign: &[Sent], last: usize) {
    let o = run_faulty(target, fault, foreign);
    let ctx = format!("message {target}, {fault:?}");
    let creds = credentials(&o.enrollee);
    // The enrollee is done (and ignores input) once it has processed M8 and sent
    // WSC_Done: a duplicated M8 or any damage to WSC_Done cannot take the credential back.
    if target == last || (target == last - 1 && matches!(fault, Fault::Duplicate)) {
        assert!(o.enrollee_success, "{ctx}");
        assert_eq!(creds.len(), 1, "{ctx}");
        assert_eq!(creds[0].settings(), &home(), "{ctx}");
        return;
    }
    assert!(!o.enrollee_success, "{ctx}: enrollee succeeded");
    assert!(!o.registrar_success, "{ctx}: registrar succeeded");
    assert!(creds.is_empty(), "{ctx}: credential delivered");
    for (side, events) in [("enrollee", &o.enrollee), ("registrar", &o.registrar)] {
        let f = failure(events).unwrap_or_else(|| panic!("{ctx}: {side} reports no failure"));
        // Tampering never looks like a wrong PIN or a lock.
        assert!(
            matches!(
                f.config_error,
                ConfigError::NoError | ConfigError::MessageTimeout
            ),
            "{ctx}: {side} {f:?}"
        );
        assert!(!events.contains(&Event::Success), "{ctx}: {side}");
    }
}

#[test]
fn every_fault_on_every_message_fails_cleanly() {
    let good = good_log(1234);
    assert_eq!(names(&good), wps_testkit::fixtures::REGISTRATION);
    let foreign = good_log(777);
    let last = good.len() - 1;
    for (i, m) in good.iter().enumerate() {
        let len = m.bytes.len();
        let mut faults = vec![
            Fault::Truncate(0),
            Fault::Truncate(3),
            Fault::Truncate(len / 2),
            Fault::Truncate(len - 1),
            Fault::Duplicate,
            Fault::Foreign,
            Fault::Drop,
        ];
        if i >= 2 {
            // Each sender's first message has no earlier one to replay.
            faults.push(Fault::Stale);
        }
        // Bits spread over the message, including header, nonce and the last byte.
        for k in 0..12 {
            faults.push(Fault::FlipBit((len * 8 - 1) * k / 11));
        }
        for fault in faults {
            if i == last && matches!(fault, Fault::Drop) {
                // A lost WSC_Done: the registrar only times out.
                let o = run_faulty(i, fault, &foreign);
                assert!(o.enrollee_success && !o.registrar_success);
                continue;
            }
            check(i, fault, &foreign, last);
        }
    }
}

#[test]
fn nack_outcomes_for_tampered_messages() {
    let good = good_log(1234);
    // A flipped bit in M4's Encrypted Settings: the Authenticator catches it first,
    // the enrollee NACKs with Configuration Error 0.
    let m4 = &good[3];
    let es_bit = (m4.bytes.len() - 40) * 8;
    let o = run_faulty(3, Fault::FlipBit(es_bit), &[]);
    let f = failure(&o.enrollee).unwrap();
    assert_eq!(
        (f.message, f.config_error),
        (Some(T::M4), ConfigError::NoError)
    );
    assert_eq!(
        f.reason,
        FailureReason::PeerMisbehaved(PeerMisbehaved::Authenticator)
    );
    let f = failure(&o.registrar).unwrap();
    assert_eq!(
        (f.message, f.reason),
        (Some(T::M4), FailureReason::Refused(Refusal::NackReceived))
    );

    // A foreign M2 (other session's enrollee nonce): dropped silently, no NACK.
    let foreign = good_log(777);
    let o = run_faulty(1, Fault::Foreign, &foreign);
    let f = failure(&o.enrollee).unwrap();
    assert_eq!(
        f.reason,
        FailureReason::PeerMisbehaved(PeerMisbehaved::NonceMismatch)
    );

    // A duplicated M3: the second copy is in the wrong state → NACK (error 0).
    let o = run_faulty(2, Fault::Duplicate, &[]);
    let f = failure(&o.registrar).unwrap();
    assert_eq!(
        (f.message, f.reason),
        (
            Some(T::M3),
            FailureReason::PeerMisbehaved(PeerMisbehaved::UnexpectedMessage(T::M3))
        )
    );
}

#[test]
fn garbage_in_every_state_never_panics() {
    let good = good_log(1234);
    let inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x10],
        vec![0x10, 0x22, 0x00, 0x01],
        vec![0x10, 0x22, 0x00, 0x01, 0x05],
        vec![
            0x10, 0x22, 0x00, 0x01, 0x0e, 0x10, 0x09, 0x00, 0x02, 0x00, 0x12,
        ],
        vec![0xff; 64],
    ];
    // Drive a fresh pair to each state, then throw garbage and every good message at it.
    for stop in 0..good.len() {
        for junk in inputs.iter().chain(good.iter().map(|g| &g.bytes)) {
            let mut pair = Pair::station(pw(PIN), 1234);
            let mut src = FixedPassword::new(pw(PIN));
            pair.run_with(&mut src, |i, m| if i < stop { vec![m] } else { vec![] });
            let now = pair.now;
            let _ = pair.enrollee.handle(junk, now);
            let _ = pair.registrar.handle(junk, now, &mut src);
            let creds = credentials(&events_of_enrollee(&mut pair.enrollee));
            assert!(creds.iter().all(|c| c.settings() == &home()));
        }
    }
}
