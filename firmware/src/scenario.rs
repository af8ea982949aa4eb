//! The registrations the program runs, arch-independent.
//!
//! A printer (`wps::station::Station`) and a router (`wps::ap::AccessPoint`) — the same
//! drivers applications use — run whole journeys against each other; [`exchange`] is the
//! only place that moves their EAPOL frames (straight across, in memory).

use alloc::boxed::Box;
use alloc::vec;

use wps::ap::{AccessPoint, ApConfig, ApEvent};
use wps::attr::{ConfigError, MacAddr, Uuid};
use wps::crypto::DhKeyPair;
use wps::pin::DevicePassword;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant, Lifetime};
use wps::{Outcome as RunOutcome, RunError};

use crate::board::count;
use crate::heap::{self, Side};
use crate::rng::DemoRng;

const SSID: &[u8] = b"HomeNet";
const PASSPHRASE: &[u8] = b"correct horse battery staple";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The printer shows a PIN, the user types it into the router.
    Pin,
    /// Both buttons pressed.
    PushButton,
    /// The user types a PIN whose second half is wrong: both sides must fail with
    /// Configuration Error 18.
    WrongPin,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Pin => "pin",
            Mode::PushButton => "push-button",
            Mode::WrongPin => "wrong-pin",
        }
    }
}

/// A registration that ended as its mode requires.
pub struct Outcome {
    /// EAPOL frames that crossed the link.
    pub messages: u32,
    /// Instructions spent inside the enrollee's calls (key generation included).
    pub enrollee_instructions: u64,
    /// Instructions spent inside the registrar's calls (key generation included).
    pub registrar_instructions: u64,
    /// Most heap bytes charged to the enrollee side live at once (the printer's heap).
    pub enrollee_heap_peak: usize,
    /// The same for the registrar side (the router's heap).
    pub registrar_heap_peak: usize,
}

pub struct CryptoCosts {
    /// A key pair with a 256-bit exponent (2^x mod p).
    pub keygen: u64,
    /// The shared secret y^x mod p, including the check of the peer's key.
    pub shared_secret: u64,
    /// The check of the peer's key alone (range and subgroup).
    pub peer_key_check: u64,
}

pub fn crypto_costs(rng: &mut DemoRng) -> CryptoCosts {
    let (ours, keygen) = count(|| DhKeyPair::generate(rng));
    let theirs = DhKeyPair::generate(rng);
    let peer = theirs.public_key();
    let (secret, shared_secret) = count(|| ours.shared_secret(&peer));
    core::hint::black_box(secret.is_ok());
    let (checked, peer_key_check) = count(|| wps::crypto::check_peer_public_key(&peer));
    core::hint::black_box(checked.is_ok());
    CryptoCosts {
        keygen,
        shared_secret,
        peer_key_check,
    }
}

/// What each side saw when its journey ended.
#[derive(Default)]
struct Ends {
    station: Option<RunOutcome>,
    station_error: Option<ConfigError>,
    router: Option<RunOutcome>,
    router_error: Option<ConfigError>,
}

/// Runs one journey and checks its end.
pub fn run(mode: Mode, rng: &mut DemoRng) -> Result<Outcome, &'static str> {
    let now = Instant::ZERO;
    let printer_mac = MacAddr([2, 0, 0, 0, 0x0b, 1]);
    let router_mac = MacAddr([2, 0, 0, 0, 0x0a, 1]);
    let printer = DeviceInfo::new(Uuid([0x50; 16]), printer_mac, "printer");
    let router = DeviceInfo::new(Uuid([0x52; 16]), router_mac, "router");
    let network = NetworkSettings::wpa2_personal(SSID, PASSPHRASE).map_err(|_| "network")?;

    let mut r = Meter::new(Side::Registrar);
    let mut e = Meter::new(Side::Enrollee);
    let router_rng = rng.fork();
    let mut ap = r.call(|| new_router(router, network, router_rng, now));
    let printer_rng = rng.fork();
    let mut station = e.call(|| new_printer(printer, printer_rng));
    match mode {
        Mode::PushButton => {
            r.call(|| ap.push_button(now))
                .map_err(|_| "push-button overlap")?;
            e.call(|| station.press_button(now));
        }
        Mode::Pin | Mode::WrongPin => {
            let typed: &[u8] = if mode == Mode::Pin {
                b"12345670"
            } else {
                b"12345678"
            };
            let typed = DevicePassword::from_bytes(typed).map_err(|_| "typed PIN")?;
            let lifetime = Lifetime::For(Duration::from_secs(120));
            r.call(|| ap.add_pin(None, typed, lifetime, now))
                .map_err(|_| "PIN table full")?;
            let shown = DevicePassword::from_bytes(b"12345670").map_err(|_| "shown PIN")?;
            e.call(|| station.start_pin(shown, lifetime, now));
        }
    }

    let messages = exchange(
        &mut station,
        &mut ap,
        (printer_mac, router_mac),
        &mut e,
        &mut r,
    );

    let mut ends = Ends::default();
    e.call(|| {
        while let Some(event) = station.poll_event() {
            if let StationEvent::Finished { outcome, failure } = event {
                ends.station_error = failure.map(|f| f.config_error);
                ends.station = Some(outcome);
            }
        }
    });
    r.call(|| {
        while let Some(event) = ap.poll_event() {
            if let ApEvent::Finished {
                outcome, failure, ..
            } = event
            {
                ends.router_error = failure.map(|f| f.config_error);
                ends.router = Some(outcome);
            }
        }
    });

    match mode {
        Mode::Pin | Mode::PushButton => {
            let Some(RunOutcome::Succeeded(credentials)) = &ends.station else {
                return Err("the printer did not succeed");
            };
            let delivered = credentials
                .first()
                .is_some_and(|c| c.ssid() == SSID && c.network_key() == PASSPHRASE);
            if !delivered {
                return Err("the printer did not receive the network's credential");
            }
            if !ends.router.as_ref().is_some_and(RunOutcome::is_success) {
                return Err("the router did not succeed");
            }
        }
        Mode::WrongPin => {
            let want = Some(RunOutcome::Failed(RunError::IncorrectPin { half: 2 }));
            if ends.station != want {
                return Err("the printer did not say the PIN was incorrect");
            }
            if ends.router != want {
                return Err("the router did not say the PIN was incorrect");
            }
            let error = Some(ConfigError::DevicePasswordAuthFailure);
            if ends.station_error != error || ends.router_error != error {
                return Err("the run did not end with Configuration Error 18");
            }
        }
    }
    Ok(Outcome {
        messages,
        enrollee_instructions: e.instructions,
        registrar_instructions: r.instructions,
        enrollee_heap_peak: heap::side_peak(Side::Enrollee),
        registrar_heap_peak: heap::side_peak(Side::Registrar),
    })
}

/// The router, on the heap: a driver is a few kilobytes, and a small core's stack is
/// better spent on the calls. Out of line, so that its construction does not inflate the
/// caller's frame.
#[inline(never)]
fn new_router(
    device: DeviceInfo,
    network: NetworkSettings,
    rng: DemoRng,
    now: Instant,
) -> Box<AccessPoint<DemoRng>> {
    Box::new(AccessPoint::new(
        ApConfig::new(device, vec![network]),
        rng,
        now,
    ))
}

/// The printer, on the heap (see [`new_router`]).
#[inline(never)]
fn new_printer(device: DeviceInfo, rng: DemoRng) -> Box<Station<DemoRng>> {
    Box::new(Station::new(StationConfig::new(device), rng))
}

/// What one side spent: the instructions inside its calls, and (through [`heap::charge`])
/// the allocations they made.
struct Meter {
    side: Side,
    instructions: u64,
}

impl Meter {
    fn new(side: Side) -> Self {
        Meter {
            side,
            instructions: 0,
        }
    }

    /// Runs one call of this side.
    #[inline(always)]
    fn call<T>(&mut self, f: impl FnOnce() -> T) -> T {
        let side = self.side;
        let (r, c) = count(|| heap::charge(side, f));
        self.instructions += c;
        r
    }
}

/// Moves the EAPOL frames between the two sides until neither has anything to send;
/// returns how many went across.
#[inline(never)]
fn exchange(
    station: &mut Station<DemoRng>,
    ap: &mut AccessPoint<DemoRng>,
    (printer, router): (MacAddr, MacAddr),
    e: &mut Meter,
    r: &mut Meter,
) -> u32 {
    let now = Instant::ZERO;
    let mut messages = 0;
    loop {
        let mut moved = false;
        while let Some(t) = e.call(|| station.poll_transmit()) {
            messages += 1;
            moved = true;
            let _ = r.call(|| ap.handle_eapol(printer, &t.eapol, now));
        }
        while let Some(t) = r.call(|| ap.poll_transmit()) {
            messages += 1;
            moved = true;
            let _ = e.call(|| station.handle_eapol(router, &t.eapol, now));
        }
        if !moved {
            return messages;
        }
    }
}
