//! Both registration machines (`Enrollee`, `RegistrarSession`) in one honest exchange,
//! with the fuzzer as a man in the middle: it forwards, corrupts, truncates, extends,
//! drops, replays or invents messages in either direction and lets time pass.
//!
//! Oracles besides "no panic": every message a machine sends parses as the message
//! type it claims; a Credential only ever reaches the Enrollee with exactly the
//! registrar's network settings; with mismatched PINs neither side ever succeeds
//! (tampering cannot forge the Authenticator, KWA or E-/R-Hash checks).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wps::attr::{MacAddr, Uuid};
use wps::message::Message;
use wps::pin::DevicePassword;
use wps::registration::{
    DeviceInfo, Enrollee, EnrolleeConfig, Event, FixedPassword, NetworkSettings, Outgoing,
    RegistrarConfig, RegistrarSession, SessionSecrets,
};
use wps::time::{Duration, Instant};

#[derive(Arbitrary, Debug)]
enum Ev {
    /// Deliver the message in flight unchanged.
    Forward,
    /// Deliver it with one byte changed.
    Flip { pos: u16, xor: u8 },
    /// Deliver only its first `len` bytes.
    Truncate { len: u16 },
    /// Deliver it with `bytes` inserted at `at`.
    Splice { at: u16, bytes: Vec<u8> },
    /// Deliver arbitrary bytes to one side.
    Inject { to_enrollee: bool, bytes: Vec<u8> },
    /// Deliver an earlier message (from either side) to one side.
    Replay { to_enrollee: bool, index: u8 },
    /// Lose the message in flight.
    Drop,
    /// Time passes; expired timers fire.
    Advance { ms: u32 },
}

#[derive(Arbitrary, Debug)]
struct Case {
    wrong_pin: bool,
    events: Vec<Ev>,
}

const SSID: &[u8] = b"fuzz-net";
const PASSPHRASE: &[u8] = b"correct horse battery";

struct Run {
    enrollee: Enrollee,
    registrar: RegistrarSession,
    passwords: FixedPassword,
    now: Instant,
    in_flight: Option<(bool, Vec<u8>)>,
    history: Vec<Vec<u8>>,
    wrong_pin: bool,
}

fn secrets(seed: u8) -> SessionSecrets {
    SessionSecrets::from_parts(
        &[seed; 25],
        [seed; 16],
        [[seed ^ 1; 16]; 2],
        [[seed ^ 2; 16]; 3],
    )
    .expect("fixed DH private key")
}

fn check_out(o: &Outgoing) {
    let m = Message::parse(&o.bytes).expect("a machine sent a message it cannot parse");
    assert_eq!(m.message_type(), o.message_type);
}

impl Run {
    fn deliver(&mut self, to_enrollee: bool, bytes: &[u8]) {
        let reply = if to_enrollee {
            self.enrollee.handle(bytes, self.now)
        } else {
            self.registrar.handle(bytes, self.now, &mut self.passwords)
        };
        if let Some(o) = reply {
            check_out(&o);
            self.history.push(o.bytes.clone());
            self.in_flight = Some((!to_enrollee, o.bytes));
        }
        self.drain();
    }

    fn drain(&mut self) {
        while let Some(e) = self.enrollee.poll_event() {
            if let Event::Credential(c) = &e {
                assert!(!self.wrong_pin, "credential delivered despite a wrong PIN");
                assert_eq!(c.ssid(), SSID, "forged credential");
                assert_eq!(c.network_key(), PASSPHRASE, "forged credential");
            }
            let _ = format!("{e:?}");
        }
        while let Some(e) = self.registrar.poll_event() {
            let _ = format!("{e:?}");
        }
        if self.wrong_pin {
            assert!(!self.enrollee.is_success() && !self.registrar.is_success());
        }
    }
}

fuzz_target!(|case: Case| {
    let now = Instant::ZERO;
    let enrollee_pin = DevicePassword::from_bytes(b"12345670").expect("valid PIN");
    let registrar_pin = DevicePassword::from_bytes(if case.wrong_pin {
        b"11115670"
    } else {
        b"12345670"
    })
    .expect("valid PIN");
    let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
    let network = NetworkSettings::wpa2_personal(SSID, PASSPHRASE).expect("valid settings");
    let mut enrollee = Enrollee::new(
        EnrolleeConfig::station(printer, enrollee_pin),
        secrets(5),
        now,
    );
    let first = enrollee.start(now);
    check_out(&first);
    let mut run = Run {
        enrollee,
        registrar: RegistrarSession::new(
            RegistrarConfig::internal(router, vec![network]),
            secrets(9),
            now,
        ),
        passwords: FixedPassword::new(registrar_pin),
        now,
        history: vec![first.bytes.clone()],
        in_flight: Some((false, first.bytes)),
        wrong_pin: case.wrong_pin,
    };
    for ev in case.events.iter().take(64) {
        match ev {
            Ev::Forward | Ev::Flip { .. } | Ev::Truncate { .. } | Ev::Splice { .. } => {
                let Some((to_enrollee, mut bytes)) = run.in_flight.take() else {
                    continue;
                };
                match ev {
                    Ev::Flip { pos, xor } if !bytes.is_empty() => {
                        let i = usize::from(*pos) % bytes.len();
                        bytes[i] ^= *xor;
                    }
                    Ev::Truncate { len } => bytes.truncate(usize::from(*len)),
                    Ev::Splice { at, bytes: extra } => {
                        let at = usize::from(*at) % (bytes.len() + 1);
                        bytes.splice(at..at, extra.iter().copied());
                    }
                    _ => {}
                }
                run.deliver(to_enrollee, &bytes);
            }
            Ev::Inject { to_enrollee, bytes } => run.deliver(*to_enrollee, bytes),
            Ev::Replay { to_enrollee, index } => {
                let i = usize::from(*index) % run.history.len();
                let bytes = run.history[i].clone();
                run.deliver(*to_enrollee, &bytes);
            }
            Ev::Drop => run.in_flight = None,
            Ev::Advance { ms } => {
                run.now = run
                    .now
                    .saturating_add(Duration::from_millis(u64::from(*ms)));
                if run.enrollee.poll_timeout().is_some_and(|t| t <= run.now) {
                    run.enrollee.handle_timeout(run.now);
                }
                if run.registrar.poll_timeout().is_some_and(|t| t <= run.now) {
                    run.registrar.handle_timeout(run.now, &mut run.passwords);
                }
                run.drain();
            }
        }
    }
    let _ = (run.enrollee.is_finished(), run.registrar.is_finished());
});
