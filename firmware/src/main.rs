//! Whole WPS registrations on a bare-metal core, in QEMU: a Cortex-M4
//! (`thumbv7em-none-eabihf`, `qemu-system-arm -M mps2-an386`) and a RV32IMAC core
//! (`riscv32imac-unknown-none-elf`, `qemu-system-riscv32 -M virt`, the ESP32-C3 class).
//!
//! The program runs an enrollee and a registrar against each other in memory — with a
//! PIN, with the push-button, and with a wrong PIN that must end in Configuration Error
//! 18 — and prints over semihosting what it measured: instructions for key generation,
//! the shared secret and one side of a registration, and the peaks of heap and stack.
//! It exits with status 0 only if every run ended as it must; QEMU returns that status.
//!
//! Built without the `measure` feature it runs nothing and measures nothing; it links
//! the drivers of the roles it is built with — `wps::station::Station` for a printer
//! (`--no-default-features --features enrollee`), `wps::ap::AccessPoint` for a router
//! (`registrar`), both (`enrollee,registrar`: the library's two roles without the
//! measuring program), with the `wps` crate's role features, so a missing role's code is
//! not even compiled — and feeds them frames the optimiser cannot see through; such
//! builds exist to be measured, and use the plain allocator (no counting). With no role
//! (`--no-default-features`) it links PIN parsing, the checksum and the M1 parser: the
//! smallest useful build.
//!
//! Nothing here formats with `core::fmt` (see [`out`]), so that the flash figures are
//! the library's.
#![no_std]
#![no_main]
// The link-only builds run nothing, so the measuring helpers are unused there.
#![cfg_attr(not(feature = "measure"), allow(dead_code))]

extern crate alloc;

#[cfg(target_arch = "arm")]
mod aeabi;
mod board;
mod critical;
#[cfg(feature = "measure")]
mod ct;
mod heap;
mod out;
mod rng;
#[cfg(feature = "measure")]
mod scenario;
mod stack;

use out::Line;

#[cfg_attr(target_arch = "arm", cortex_m_rt::entry)]
#[cfg_attr(target_arch = "riscv32", riscv_rt::entry)]
fn main() -> ! {
    heap::init();
    let code = run();
    semihosting::process::exit(code)
}

/// Runs every check; the exit status: 0 when all passed.
#[cfg(feature = "measure")]
fn run() -> i32 {
    use scenario::{Mode, Outcome};

    let target = board::TARGET;
    Line::new().s("wps firmware on ").s(target).print();
    let calib = board::calibrate();
    Line::new()
        .s("calibration ")
        .s(target)
        .kv("loop_instructions", calib.expected)
        .kv("counted", calib.counted)
        .print();

    let mut rng = rng::DemoRng::new(*b"wps firmware demo seed: use TRNG");
    let crypto = scenario::crypto_costs(&mut rng);
    Line::new()
        .s("instructions ")
        .s(target)
        .kv("keygen", crypto.keygen)
        .kv("shared_secret", crypto.shared_secret)
        .kv("peer_key_check", crypto.peer_key_check)
        .print();

    let mut failures = 0;
    let mut stack_peak = 0;
    let mut enrollee_heap = 0;
    let mut registrar_heap = 0;
    let mut enrollee_side = 0;
    for mode in [Mode::Pin, Mode::PushButton, Mode::WrongPin] {
        heap::reset_peak();
        let (result, used) = stack::measure(|| scenario::run(mode, &mut rng));
        stack_peak = stack_peak.max(used);
        match result {
            Ok(Outcome {
                messages,
                enrollee_instructions,
                registrar_instructions,
                enrollee_heap_peak,
                registrar_heap_peak,
            }) => {
                if mode == Mode::Pin {
                    enrollee_side = enrollee_instructions;
                }
                enrollee_heap = enrollee_heap.max(enrollee_heap_peak);
                registrar_heap = registrar_heap.max(registrar_heap_peak);
                Line::new()
                    .s("ok ")
                    .s(target)
                    .s(" ")
                    .s(mode.name())
                    .s(":")
                    .kv("eapol_frames", u64::from(messages))
                    .kv("enrollee_instructions", enrollee_instructions)
                    .kv("registrar_instructions", registrar_instructions)
                    .kv("stack", used as u64)
                    .kv("heap_peak", heap::peak() as u64)
                    .kv("enrollee_heap_peak", enrollee_heap_peak as u64)
                    .kv("registrar_heap_peak", registrar_heap_peak as u64)
                    .print();
            }
            Err(why) => {
                failures += 1;
                Line::new()
                    .s("FAIL ")
                    .s(target)
                    .s(" ")
                    .s(mode.name())
                    .s(": ")
                    .s(why)
                    .print();
            }
        }
    }
    Line::new()
        .s("instructions ")
        .s(target)
        .kv("enrollee_side", enrollee_side)
        .print();
    let peer = wps::crypto::DhKeyPair::generate(&mut rng).public_key();
    for (op, [w2, w32, w256, wrnd]) in ["keygen", "shared"].iter().zip(ct::counts(&peer)) {
        Line::new()
            .s("ct ")
            .s(target)
            .s(" ")
            .s(op)
            .kv("w002", w2)
            .kv("w032", w32)
            .kv("w256", w256)
            .kv("wrnd", wrnd)
            .print();
    }
    Line::new()
        .s("ram ")
        .s(target)
        .kv("heap_peak", heap::overall_peak() as u64)
        .kv("stack_peak", stack_peak as u64)
        .kv("enrollee_heap_peak", enrollee_heap as u64)
        .kv("registrar_heap_peak", registrar_heap as u64)
        .kv("allocations", heap::allocations() as u64)
        .print();
    if failures == 0 {
        Line::new()
            .s("PASS ")
            .s(target)
            .s(": 3 registrations ended as they must")
            .print();
        0
    } else {
        Line::new()
            .s("FAIL ")
            .s(target)
            .s(": ")
            .n(failures)
            .s(" of 3 registrations went wrong")
            .print();
        1
    }
}

/// No measuring: link the drivers of the roles built (reached through opaque frames)
/// and stop.
#[cfg(not(feature = "measure"))]
fn run() -> i32 {
    // What the drivers sent stays observed, unprinted: decimal printing is the harness's
    // code, not the library's, and these builds are only measured, never run.
    core::hint::black_box(link::drivers());
    Line::new()
        .s(board::TARGET)
        .s(": link-only build (flash measurement only)")
        .print();
    0
}

#[cfg(not(feature = "measure"))]
mod link {
    #[cfg(any(feature = "enrollee", feature = "registrar"))]
    use crate::rng::TrngStub;
    use core::hint::black_box;
    #[cfg(any(feature = "enrollee", feature = "registrar"))]
    use wps::{
        attr::{MacAddr, Uuid},
        registration::DeviceInfo,
        time::{Duration, Instant, Lifetime},
    };

    static FRAME: [u8; 9] = [0x02, 0x00, 0x00, 0x05, 0x01, 0x01, 0x00, 0x05, 0x01];

    /// A frame the peer would send, hidden from the optimiser — where it is and how long
    /// — so that every state of the driver stays reachable. Not on the heap: the no-role
    /// build then links no allocator.
    fn opaque_frame() -> &'static [u8] {
        black_box(&FRAME[..])
    }

    /// The drivers of the roles built, one after the other; the bytes they sent.
    #[cfg(any(feature = "enrollee", feature = "registrar"))]
    pub fn drivers() -> usize {
        let sent = 0;
        #[cfg(feature = "enrollee")]
        let sent = sent + station();
        #[cfg(feature = "registrar")]
        let sent = sent + access_point();
        sent
    }

    /// A printer: the station driver, PIN or push-button.
    #[cfg(feature = "enrollee")]
    fn station() -> usize {
        use wps::pin::DevicePassword;
        use wps::station::{Station, StationConfig};
        let now = Instant::ZERO;
        let router = MacAddr([2, 0, 0, 0, 0x0a, 1]);
        let dev = DeviceInfo::new(Uuid([0x50; 16]), MacAddr([2, 0, 0, 0, 0x0b, 1]), "printer");
        let mut station = Station::new(StationConfig::new(dev), TrngStub::new());
        match DevicePassword::from_bytes(black_box(b"12345670")) {
            Ok(pin) => station.start_pin(pin, Lifetime::For(Duration::from_secs(120)), now),
            Err(_) => station.press_button(now),
        }
        let mut sent = 0;
        for _ in 0..black_box(8) {
            let _ = station.handle_eapol(router, opaque_frame(), now);
            // A device's loop sleeps until the driver's next deadline.
            station.handle_timeout(black_box(station.poll_timeout().unwrap_or(now)));
            while let Some(t) = station.poll_transmit() {
                sent += t.eapol.len();
            }
            while let Some(ev) = station.poll_event() {
                black_box(ev);
            }
        }
        sent
    }

    /// A router: the access point driver with its internal registrar, PIN or push-button.
    #[cfg(feature = "registrar")]
    fn access_point() -> usize {
        use wps::ap::{AccessPoint, ApConfig};
        use wps::pin::DevicePassword;
        use wps::registration::NetworkSettings;
        let now = Instant::ZERO;
        let printer = MacAddr([2, 0, 0, 0, 0x0b, 1]);
        let dev = DeviceInfo::new(Uuid([0x52; 16]), MacAddr([2, 0, 0, 0, 0x0a, 1]), "router");
        let Ok(network) = NetworkSettings::wpa2_personal(b"HomeNet", b"correct horse battery")
        else {
            return 0;
        };
        let mut ap = AccessPoint::new(
            ApConfig::new(dev, alloc::vec![network]),
            TrngStub::new(),
            now,
        );
        match DevicePassword::from_bytes(black_box(b"12345670")) {
            Ok(pin) => {
                let lifetime = Lifetime::For(Duration::from_secs(120));
                let _ = ap.add_pin(None, pin, lifetime, now);
            }
            Err(_) => {
                let _ = ap.push_button(now);
            }
        }
        let mut sent = 0;
        for _ in 0..black_box(8) {
            let _ = ap.handle_eapol(printer, opaque_frame(), now);
            // A device's loop sleeps until the driver's next deadline.
            ap.handle_timeout(black_box(ap.poll_timeout().unwrap_or(now)));
            while let Some(t) = ap.poll_transmit() {
                sent += t.eapol.len();
            }
            while let Some(ev) = ap.poll_event() {
                black_box(ev);
            }
        }
        sent
    }

    /// No role: what a device that only shows a PIN and reads an M1 links (the issue's
    /// "PIN + M1 parse" build).
    #[cfg(not(any(feature = "enrollee", feature = "registrar")))]
    pub fn drivers() -> usize {
        let pin_ok = wps::pin::Pin::parse(black_box("1234-5670")).is_ok();
        let digit = wps::pin::checksum(black_box(1_234_567));
        let m1 = opaque_frame();
        let parsed = wps::message::M1::parse(m1).map(|m| m.enrollee_nonce[0]);
        black_box((pin_ok, digit, parsed.is_ok()));
        usize::from(digit)
    }
}
