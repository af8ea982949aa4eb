//! Both registration machines (`Enrollee`, `RegistrarSession`) in one honest exchange,
//! with the fuzzer as a man in the middle: it forwards, corrupts, truncates, extends,
//! drops, replays or invents messages in either direction and lets time pass.
//!
//! Four flows: a station enrollee with an AP's internal registrar, an AP enrollee with
//! an external registrar that replaces or only reads its settings, each with the right
//! or a wrong PIN; and NFC connection handover (M1, M2 with the Credential, WSC_Done)
//! between a station and an AP's registrar, with the right or a flipped request hash. The fuzzer picks the point of the honest run where it takes
//! over: the honest runs are played once and every intermediate pair of machines is
//! kept (fuzz builds derive `Clone` for them), so an input that starts at M5 does not
//! pay for the four 1536-bit exponentiations of M1/M2. Starting at the beginning still
//! exercises the key agreement with tampered public keys (from a fixed set, see
//! `odd_key`).
//!
//! Oracles besides "no panic": every message a machine sends parses as the message
//! type it claims; settings only ever reach the other side exactly as sent (Credential
//! to a station, new settings to an AP, the AP's settings to the registrar); with
//! mismatched PINs neither side ever succeeds nor learns settings (tampering cannot
//! forge the Authenticator, KWA or E-/R-Hash checks).
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wps::attr::{AttrType, MacAddr, Uuid};
use wps::message::Message;
use wps::nfc::{HandoverRequest, OobKeys, PublicKeyHash};
use wps::pin::DevicePassword;
use wps::registration::{
    ApRegistrar, Credential, DeviceInfo, Enrollee, EnrolleeConfig, Event, FixedPassword,
    NetworkSettings, Outgoing, PasswordLookup, PasswordOutcome, PasswordRequest, PasswordSource,
    RegistrarConfig, RegistrarSession,
};
use wps::time::{Duration, Instant};
use wps::tlv::TlvReader;
use wps_testkit::fixtures::session_secrets;

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

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Flow {
    /// Station enrollee, AP's internal registrar handing out a Credential.
    Station,
    /// AP enrollee, external registrar replacing its settings.
    ApNewSettings,
    /// AP enrollee, external registrar only reading its settings.
    ApReadOnly,
    /// NFC connection handover: station enrollee, AP's internal registrar with the
    /// handover key and the station's request ("wrong PIN": one bit of the request's
    /// hash flipped).
    Handover,
}

/// The registrar's password source: one PIN, or an AP's (for the handover).
#[derive(Clone)]
enum Passwords {
    Fixed(FixedPassword),
    Ap(Box<ApRegistrar>),
}

impl PasswordSource for Passwords {
    fn acquire(&mut self, request: &PasswordRequest<'_>, now: Instant) -> PasswordLookup {
        match self {
            Passwords::Fixed(p) => p.acquire(request, now),
            Passwords::Ap(p) => p.acquire(request, now),
        }
    }

    fn release(&mut self, outcome: PasswordOutcome, now: Instant) {
        match self {
            Passwords::Fixed(p) => p.release(outcome, now),
            Passwords::Ap(p) => p.release(outcome, now),
        }
    }
}

/// An AP registrar with handover key `[33; 25]` that expects the station whose key is
/// `session_secrets(5)`'s (its hash flipped with `wrong`).
fn handover_registrar(wrong: bool) -> (Passwords, PublicKeyHash) {
    let keys = OobKeys::from_private(&[33; 25]).expect("fixed DH private key");
    let mut ap = ApRegistrar::new();
    ap.nfc_handover.use_key(&keys);
    let mut station = PublicKeyHash::of(session_secrets(5).public_key());
    if wrong {
        station.0[0] ^= 1;
    }
    ap.nfc_handover.report(&HandoverRequest {
        public_key_hash: station,
        uuid_e: Some(printer().uuid),
    });
    (Passwords::Ap(Box::new(ap)), keys.public_key_hash())
}

#[derive(Arbitrary, Debug)]
struct Case {
    flow: Flow,
    wrong_pin: bool,
    /// How many honest messages are delivered before the fuzzer takes over.
    start: u8,
    events: Vec<Ev>,
}

const SSID: &[u8] = b"fuzz-net";
const PASSPHRASE: &[u8] = b"correct horse battery";
const AP_SSID: &[u8] = b"old-net";
const AP_PASSPHRASE: &[u8] = b"old passphrase 1";

fn printer() -> DeviceInfo {
    DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer")
}

fn router() -> DeviceInfo {
    DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router")
}

fn network() -> NetworkSettings {
    NetworkSettings::wpa2_personal(SSID, PASSPHRASE).expect("valid settings")
}

fn ap_current() -> Credential {
    Credential::new(
        NetworkSettings::wpa2_personal(AP_SSID, AP_PASSPHRASE).expect("valid settings"),
        router().mac,
    )
}

fn pin(digits: &[u8]) -> DevicePassword {
    DevicePassword::from_bytes(digits).expect("valid PIN")
}

fn check_out(o: &Outgoing) {
    let m = Message::parse(&o.bytes).expect("a machine sent a message it cannot parse");
    assert_eq!(m.message_type(), o.message_type);
}

#[derive(Clone)]
struct Run {
    flow: Flow,
    enrollee: Enrollee,
    registrar: RegistrarSession,
    passwords: Passwords,
    now: Instant,
    in_flight: Option<(bool, Vec<u8>)>,
    history: Vec<Vec<u8>>,
    wrong_pin: bool,
}

impl Run {
    fn new(flow: Flow, wrong_pin: bool) -> Run {
        let now = Instant::ZERO;
        let enrollee_pin = pin(b"12345670");
        let registrar_pin = pin(if wrong_pin { b"11115670" } else { b"12345670" });
        let mut passwords = Passwords::Fixed(FixedPassword::new(registrar_pin));
        let (config, registrar) = match flow {
            Flow::Handover => {
                let (ap, key_hash) = handover_registrar(wrong_pin);
                passwords = ap;
                (
                    EnrolleeConfig::handover(printer(), key_hash),
                    RegistrarConfig::internal(router(), vec![network()]),
                )
            }
            Flow::Station => (
                EnrolleeConfig::station(printer(), enrollee_pin),
                RegistrarConfig::internal(router(), vec![network()]),
            ),
            Flow::ApNewSettings => (
                EnrolleeConfig::access_point(router(), enrollee_pin, ap_current()),
                RegistrarConfig::external(printer(), Some(network())),
            ),
            Flow::ApReadOnly => (
                EnrolleeConfig::access_point(router(), enrollee_pin, ap_current()),
                RegistrarConfig::external(printer(), None),
            ),
        };
        let mut enrollee = Enrollee::new(config, session_secrets(5), now);
        let first = enrollee.start(now);
        check_out(&first);
        Run {
            flow,
            enrollee,
            registrar: RegistrarSession::new(registrar, session_secrets(9), now),
            passwords,
            now,
            history: vec![first.bytes.clone()],
            in_flight: Some((false, first.bytes)),
            wrong_pin,
        }
    }

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
            match &e {
                Event::Credential(c) => {
                    assert!(
                        matches!(self.flow, Flow::Station | Flow::Handover),
                        "credential to an AP"
                    );
                    assert!(!self.wrong_pin, "credential delivered despite a wrong PIN");
                    assert_eq!(c.ssid(), SSID, "forged credential");
                    assert_eq!(c.network_key(), PASSPHRASE, "forged credential");
                }
                Event::NewApSettings(c) => {
                    assert!(matches!(self.flow, Flow::ApNewSettings), "unasked settings");
                    assert!(!self.wrong_pin, "AP reconfigured despite a wrong PIN");
                    assert_eq!(c.ssid(), SSID, "forged AP settings");
                    assert_eq!(c.network_key(), PASSPHRASE, "forged AP settings");
                }
                _ => {}
            }
            let _ = format!("{e:?}");
        }
        while let Some(e) = self.registrar.poll_event() {
            if let Event::ApSettings(c) = &e {
                assert!(
                    !matches!(self.flow, Flow::Station | Flow::Handover),
                    "AP settings from a station"
                );
                assert!(!self.wrong_pin, "AP settings revealed despite a wrong PIN");
                assert_eq!(c.ssid(), AP_SSID, "forged AP settings");
                assert_eq!(c.network_key(), AP_PASSPHRASE, "forged AP settings");
            }
            let _ = format!("{e:?}");
        }
        if self.wrong_pin {
            assert!(!self.enrollee.is_success() && !self.registrar.is_success());
        }
    }

    /// The honest run, one snapshot before each delivery and one at the end.
    fn snapshots(flow: Flow, wrong_pin: bool) -> Vec<Run> {
        let mut run = Run::new(flow, wrong_pin);
        let mut out = Vec::new();
        for _ in 0..16 {
            out.push(run.clone());
            let Some((to_enrollee, bytes)) = run.in_flight.take() else {
                break;
            };
            run.deliver(to_enrollee, &bytes);
        }
        // The harness itself must be right: an honest run with the right PIN succeeds.
        if !wrong_pin && !matches!(flow, Flow::ApReadOnly) {
            assert!(run.enrollee.is_success() && run.registrar.is_success());
        }
        out
    }

    fn play(&mut self, events: &[Ev]) {
        for ev in events.iter().take(64) {
            match ev {
                Ev::Forward | Ev::Flip { .. } | Ev::Truncate { .. } | Ev::Splice { .. } => {
                    let Some((to_enrollee, mut bytes)) = self.in_flight.take() else {
                        continue;
                    };
                    match ev {
                        Ev::Flip { pos, xor } if !bytes.is_empty() => {
                            let i = usize::from(*pos) % bytes.len();
                            match public_key_value(&bytes) {
                                Some(key) if key.contains(&i) => {
                                    bytes[key].copy_from_slice(&odd_key(*xor));
                                }
                                _ => bytes[i] ^= *xor,
                            }
                        }
                        Ev::Truncate { len } => bytes.truncate(usize::from(*len)),
                        Ev::Splice { at, bytes: extra } => {
                            let at = usize::from(*at) % (bytes.len() + 1);
                            bytes.splice(at..at, extra.iter().copied());
                        }
                        _ => {}
                    }
                    self.deliver(to_enrollee, &bytes);
                }
                Ev::Inject { to_enrollee, bytes } => self.deliver(*to_enrollee, bytes),
                Ev::Replay { to_enrollee, index } => {
                    let i = usize::from(*index) % self.history.len();
                    let bytes = self.history[i].clone();
                    self.deliver(*to_enrollee, &bytes);
                }
                Ev::Drop => self.in_flight = None,
                Ev::Advance { ms } => {
                    self.now = self
                        .now
                        .saturating_add(Duration::from_millis(u64::from(*ms)));
                    if self.enrollee.poll_timeout().is_some_and(|t| t <= self.now) {
                        self.enrollee.handle_timeout(self.now);
                    }
                    if self.registrar.poll_timeout().is_some_and(|t| t <= self.now) {
                        self.registrar.handle_timeout(self.now, &mut self.passwords);
                    }
                    self.drain();
                }
            }
        }
        let _ = (self.enrollee.is_finished(), self.registrar.is_finished());
    }
}

/// Where the Public Key attribute's value sits in a message, if it has a full one.
fn public_key_value(msg: &[u8]) -> Option<std::ops::Range<usize>> {
    TlvReader::new(msg)
        .map_while(Result::ok)
        .find(|tlv| tlv.attr_type == AttrType::PublicKey.to_u16() && tlv.value.len() == 192)
        .map(|tlv| {
            let start = tlv.offset + 4;
            start..start + tlv.value.len()
        })
}

/// A flip inside a public key swaps in one of a few bad or foreign keys instead of
/// flipping a byte: every refusal (out of range, not in the subgroup) and every
/// accepted-but-wrong key is still reached, but the set is small, so each exponentiation
/// is done once and remembered (see `dh_key`'s fuzz-build memo) rather than once per
/// input, which would cost most of the target's time.
fn odd_key(choice: u8) -> [u8; 192] {
    static KEYS: OnceLock<Vec<[u8; 192]>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| {
        let enrollee = *session_secrets(5).public_key();
        let registrar = *session_secrets(9).public_key();
        let mut one = [0; 192];
        one[191] = 1;
        let mut two = [0; 192];
        two[191] = 2;
        let mut low_flip = enrollee;
        low_flip[191] ^= 1;
        let mut high_flip = registrar;
        high_flip[0] ^= 0x40;
        vec![
            [0; 192],
            one,
            two,
            [0xff; 192],
            enrollee,
            registrar,
            low_flip,
            high_flip,
            *session_secrets(33).public_key(),
        ]
    });
    keys[usize::from(choice) % keys.len()]
}

/// Snapshots per (flow, wrong PIN), built on first use.
fn honest_runs(flow: Flow, wrong_pin: bool) -> &'static [Run] {
    static RUNS: OnceLock<Vec<Vec<Run>>> = OnceLock::new();
    let runs = RUNS.get_or_init(|| {
        [
            Flow::Station,
            Flow::ApNewSettings,
            Flow::ApReadOnly,
            Flow::Handover,
        ]
        .into_iter()
        .flat_map(|f| [false, true].map(|w| Run::snapshots(f, w)))
        .collect()
    });
    &runs[flow as usize * 2 + usize::from(wrong_pin)]
}

fuzz_target!(|case: Case| {
    let snapshots = honest_runs(case.flow, case.wrong_pin);
    let mut run = snapshots[usize::from(case.start) % snapshots.len()].clone();
    run.play(&case.events);
});
