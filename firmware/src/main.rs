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
//! Built with one role only (`--no-default-features --features enrollee` or
//! `registrar`), it links that role and runs nothing: such builds exist to be measured.
//! With no role (`--no-default-features`) it links PIN parsing, the checksum and the M1
//! parser: the smallest useful build.
#![no_std]
#![no_main]
// The one-role builds run nothing, so the measuring helpers are unused there.
#![cfg_attr(
    not(all(feature = "enrollee", feature = "registrar")),
    allow(dead_code)
)]

extern crate alloc;

mod board;
mod critical;
#[cfg(all(feature = "enrollee", feature = "registrar"))]
mod ct;
mod heap;
mod rng;
#[cfg(all(feature = "enrollee", feature = "registrar"))]
mod scenario;
mod stack;

use semihosting::println;

#[cfg_attr(target_arch = "arm", cortex_m_rt::entry)]
#[cfg_attr(target_arch = "riscv32", riscv_rt::entry)]
fn main() -> ! {
    heap::init();
    let code = run();
    semihosting::process::exit(code)
}

/// Runs every check; the exit status: 0 when all passed.
#[cfg(all(feature = "enrollee", feature = "registrar"))]
fn run() -> i32 {
    use scenario::{Mode, Outcome};

    let target = board::TARGET;
    println!("wps firmware on {target}");
    let calib = board::calibrate();
    println!(
        "calibration {target} loop_instructions={} counted={}",
        calib.expected, calib.counted
    );

    let mut rng = rng::DemoRng::new(*b"wps firmware demo seed: use TRNG");
    let crypto = scenario::crypto_costs(&mut rng);
    println!(
        "instructions {target} keygen={} shared_secret={} peer_key_check={}",
        crypto.keygen, crypto.shared_secret, crypto.peer_key_check
    );

    let mut failures = 0;
    let mut stack_peak = 0;
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
            }) => {
                if mode == Mode::Pin {
                    enrollee_side = enrollee_instructions;
                }
                println!(
                    "ok {target} {}: {messages} EAPOL frames, enrollee {enrollee_instructions} \
                     instructions, registrar {registrar_instructions}, stack {used} B, \
                     heap peak {} B",
                    mode.name(),
                    heap::peak()
                );
            }
            Err(why) => {
                failures += 1;
                println!("FAIL {target} {}: {why}", mode.name());
            }
        }
    }
    println!("instructions {target} enrollee_side={enrollee_side}");
    let peer = wps::crypto::DhKeyPair::generate(&mut rng).public_key();
    for (op, [w2, w32, w256, wrnd]) in ["keygen", "shared"].iter().zip(ct::counts(&peer)) {
        println!("ct {target} {op} w002={w2} w032={w32} w256={w256} wrnd={wrnd}");
    }
    println!(
        "ram {target} heap_peak={} stack_peak={stack_peak} allocations={}",
        heap::overall_peak(),
        heap::allocations()
    );
    if failures == 0 {
        println!("PASS {target}: 3 registrations ended as they must");
        0
    } else {
        println!("FAIL {target}: {failures} of 3 registrations went wrong");
        1
    }
}

/// One role only: link it (its `handle` reached through an opaque message) and stop.
#[cfg(not(all(feature = "enrollee", feature = "registrar")))]
fn run() -> i32 {
    let mut rng = rng::DemoRng::new(*b"wps firmware demo seed: use TRNG");
    let sent = one_role::link(&mut rng);
    println!(
        "{}: one-role build (flash measurement only), first message {sent} bytes",
        board::TARGET
    );
    0
}

#[cfg(not(all(feature = "enrollee", feature = "registrar")))]
mod one_role {
    use core::hint::black_box;
    #[cfg(any(feature = "enrollee", feature = "registrar"))]
    use wps::{
        attr::{MacAddr, Uuid},
        registration::{DeviceInfo, SessionSecrets},
        time::Instant,
    };

    /// The message the peer would send, hidden from the optimiser so that every state
    /// of the machine stays reachable.
    fn opaque_message() -> alloc::vec::Vec<u8> {
        black_box(alloc::vec![0x10, 0x4a, 0x00, 0x01, 0x10])
    }

    #[cfg(feature = "enrollee")]
    pub fn link(rng: &mut crate::rng::DemoRng) -> usize {
        use wps::pin::DevicePassword;
        use wps::registration::{Enrollee, EnrolleeConfig};
        let now = Instant::ZERO;
        let dev = DeviceInfo::new(Uuid([0x50; 16]), MacAddr([2, 0, 0, 0, 0x0b, 1]), "printer");
        let password = match DevicePassword::from_bytes(black_box(b"12345670")) {
            Ok(p) => p,
            Err(_) => DevicePassword::pushbutton(),
        };
        let mut e = Enrollee::new(
            EnrolleeConfig::station(dev, password),
            SessionSecrets::generate(rng),
            now,
        );
        let first = e.start(now).bytes.len();
        for _ in 0..black_box(4) {
            let _ = black_box(e.handle(&opaque_message(), now));
        }
        while let Some(ev) = e.poll_event() {
            black_box(ev);
        }
        first
    }

    #[cfg(all(feature = "registrar", not(feature = "enrollee")))]
    pub fn link(rng: &mut crate::rng::DemoRng) -> usize {
        use wps::registration::{ApRegistrar, NetworkSettings, RegistrarConfig, RegistrarSession};
        let now = Instant::ZERO;
        let dev = DeviceInfo::new(Uuid([0x52; 16]), MacAddr([2, 0, 0, 0, 0x0a, 1]), "router");
        let Ok(network) = NetworkSettings::wpa2_personal(b"HomeNet", b"correct horse battery")
        else {
            return 0;
        };
        let mut ap = ApRegistrar::new();
        let _ = ap.pbc.press_button(now);
        let mut r = RegistrarSession::new(
            RegistrarConfig::internal(dev, alloc::vec![network]),
            SessionSecrets::generate(rng),
            now,
        );
        let mut sent = 0;
        for _ in 0..black_box(4) {
            if let Some(out) = r.handle(&opaque_message(), now, &mut ap) {
                sent += out.bytes.len();
            }
        }
        while let Some(ev) = r.poll_event() {
            black_box(ev);
        }
        sent
    }

    /// No role: what a device that only shows a PIN and reads an M1 links (the issue's
    /// "PIN + M1 parse" build).
    #[cfg(not(any(feature = "enrollee", feature = "registrar")))]
    pub fn link(_rng: &mut crate::rng::DemoRng) -> usize {
        let pin_ok = wps::pin::Pin::parse(black_box("1234-5670")).is_ok();
        let digit = wps::pin::checksum(black_box(1_234_567));
        let m1 = opaque_message();
        let parsed = wps::message::M1::parse(&m1).map(|m| m.enrollee_nonce[0]);
        black_box((pin_ok, digit, parsed.is_ok()));
        usize::from(digit)
    }
}
