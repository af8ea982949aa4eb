//! The whole WPS journey between a printer and a router, in memory: the printer is a
//! `Station`, the router an `AccessPoint`, and this program only moves their EAPOL frames
//! and keeps a simulated clock.
//!
//! ```text
//! cargo run --example registration                  # PIN shown on the printer
//! cargo run --example registration -- --pbc         # push-button on both
//! cargo run --example registration -- --wrong-pin   # PIN mistyped (second half), then a new PIN
//! cargo run --example registration -- --wrong-pin=first
//! cargo run --example registration -- --timeout     # nobody types the PIN: timed out
//! ```

use std::process::ExitCode;

use wps::ap::{AccessPoint, ApConfig, ApEvent};
use wps::attr::{MacAddr, Uuid};
use wps::eap::{Body, EapPacket, EapolPacket, EapolType};
use wps::pin::{DevicePassword, Pin};
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant, Lifetime};
use wps::{Outcome, RunError};

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    Pin,
    Pbc,
    WrongFirst,
    WrongSecond,
    Timeout,
}

/// How long the printer's dynamic PIN stays valid.
const PIN_LIFETIME: Duration = Duration::from_secs(300);

fn main() -> ExitCode {
    let mode = match std::env::args().nth(1).as_deref() {
        None => Mode::Pin,
        Some("--pbc") => Mode::Pbc,
        Some("--wrong-pin" | "--wrong-pin=second") => Mode::WrongSecond,
        Some("--wrong-pin=first") => Mode::WrongFirst,
        Some("--timeout") => Mode::Timeout,
        Some(other) => {
            eprintln!(
                "unknown argument {other:?}; use --pbc, --wrong-pin[=first|second] or --timeout"
            );
            return ExitCode::from(2);
        }
    };
    let printer_mac = MacAddr([0x02, 0, 0, 0, 0x0b, 1]);
    let router_mac = MacAddr([0x02, 0, 0, 0, 0x0a, 1]);
    let network = NetworkSettings::wpa2_personal(b"HomeNet", b"correct horse battery staple")
        .expect("valid network");
    let router = DeviceInfo::new(Uuid([0x52; 16]), router_mac, "router");
    let printer = DeviceInfo::new(Uuid([0x50; 16]), printer_mac, "printer");
    let mut lab = Lab {
        now: Instant::ZERO,
        router: AccessPoint::new(
            ApConfig::new(router, vec![network]),
            rand::rng(),
            Instant::ZERO,
        ),
        printer: Station::new(StationConfig::new(printer), rand::rng()),
        printer_mac,
        router_mac,
        told_m2d: false,
    };

    let outcome = match mode {
        Mode::Pbc => {
            println!("router:  push-button pressed");
            lab.router.push_button(lab.now).expect("no overlap");
            println!("printer: push-button pressed");
            lab.printer.press_button(lab.now);
            lab.run()
        }
        Mode::Timeout => {
            let pin = Pin::random(&mut rand::rng());
            println!("printer: shows PIN {pin} (nobody types it at the router)");
            lab.printer.start_pin(
                DevicePassword::from(&pin),
                Lifetime::For(PIN_LIFETIME),
                lab.now,
            );
            lab.run()
        }
        Mode::Pin | Mode::WrongFirst | Mode::WrongSecond => {
            let first = match mode {
                Mode::WrongFirst => Some(0),
                Mode::WrongSecond => Some(5),
                _ => None,
            };
            let outcome = lab.pin_attempt(first);
            if matches!(outcome, Outcome::Failed(RunError::IncorrectPin { .. })) {
                println!("\nprinter: try again with a new PIN");
                lab.pin_attempt(None)
            } else {
                outcome
            }
        }
    };
    match outcome {
        Outcome::Succeeded(_) => ExitCode::SUCCESS,
        Outcome::Failed(RunError::TimedOut { .. } | RunError::NoPassword) => ExitCode::from(4),
        _ => ExitCode::FAILURE,
    }
}

/// A printer and a router on a simulated link.
struct Lab {
    now: Instant,
    router: AccessPoint<rand::rngs::ThreadRng>,
    printer: Station<rand::rngs::ThreadRng>,
    printer_mac: MacAddr,
    router_mac: MacAddr,
    told_m2d: bool,
}

impl Lab {
    /// The printer shows a fresh PIN; the user types it at the router, with digit
    /// `mistype` changed if given.
    fn pin_attempt(&mut self, mistype: Option<usize>) -> Outcome {
        let pin = Pin::random(&mut rand::rng());
        println!("printer: shows PIN {pin}");
        let typed = match mistype {
            Some(i) => flip_digit(pin.as_str(), i),
            None => pin.as_str().to_owned(),
        };
        println!("router:  PIN {typed} entered by the user");
        let typed = DevicePassword::from_bytes(typed.as_bytes()).expect("8 digits");
        self.router
            .add_pin(None, typed, Lifetime::For(PIN_LIFETIME), self.now)
            .expect("room for a PIN");
        self.printer.start_pin(
            DevicePassword::from(&pin),
            Lifetime::For(PIN_LIFETIME),
            self.now,
        );
        self.run()
    }

    /// Moves frames and time until the printer's journey is over; prints what happens.
    fn run(&mut self) -> Outcome {
        println!();
        loop {
            let moved = self.drain();
            while let Some(e) = self.printer.poll_event() {
                match e {
                    StationEvent::Finished { outcome, .. } => {
                        // Let the router read the last frames (WSC_Done).
                        self.drain();
                        println!();
                        report(&outcome);
                        return outcome;
                    }
                    StationEvent::M2d(_) if !self.told_m2d => {
                        self.told_m2d = true;
                        println!(
                            "printer: the router has no PIN for it yet; trying again until the walk time ends"
                        )
                    }
                    StationEvent::Started { attempt } if attempt > 1 && !self.told_m2d => {
                        println!("printer: attempt {attempt}")
                    }
                    _ => {}
                }
            }
            if !moved {
                // Nothing on the link: jump the simulated clock to the next timer.
                let next = [self.printer.poll_timeout(), self.router.poll_timeout()]
                    .into_iter()
                    .flatten()
                    .min();
                let Some(next) = next else {
                    return Outcome::Failed(RunError::Cancelled);
                };
                self.now = self.now.max(next);
                self.printer.handle_timeout(self.now);
                self.router.handle_timeout(self.now);
            }
        }
    }

    /// Hands over every frame waiting on either side and prints the router's events;
    /// whether any frame moved.
    fn drain(&mut self) -> bool {
        let (router, printer, now) = (&mut self.router, &mut self.printer, self.now);
        let mut moved = false;
        while let Some(t) = printer.poll_transmit() {
            moved = true;
            show("printer -> router ", &t.eapol);
            let _ = router.handle_eapol(self.printer_mac, &t.eapol, now);
        }
        while let Some(t) = router.poll_transmit() {
            moved = true;
            show("router  -> printer", &t.eapol);
            let _ = printer.handle_eapol(self.router_mac, &t.eapol, now);
        }
        while let Some(e) = router.poll_event() {
            router_event(&e);
        }
        moved
    }
}

fn report(outcome: &Outcome) {
    match outcome {
        Outcome::Succeeded(credentials) => {
            for c in credentials {
                println!("printer: received the network");
                println!("  SSID        {}", String::from_utf8_lossy(c.ssid()));
                println!("  auth        {}", c.auth_type());
                println!("  encryption  {}", c.encr_type());
                println!("  key         {}", String::from_utf8_lossy(c.network_key()));
            }
        }
        other => println!("printer: {other}"),
    }
}

fn router_event(e: &ApEvent) {
    match e {
        ApEvent::Finished { outcome, .. } => println!("router:  {outcome}"),
        ApEvent::PinNeeded { .. } => {}
        ApEvent::PbcActive => {}
        ApEvent::PbcDisabled => println!("router:  push-button mode ended"),
        other => println!("router:  {other:?}"),
    }
}

/// One line per EAPOL frame: what it carries.
fn show(direction: &str, eapol: &[u8]) {
    let what = match EapolPacket::parse(eapol) {
        Ok(p) if p.packet_type == EapolType::Start => "EAPOL-Start".to_owned(),
        Ok(p) => match EapPacket::parse(p.body) {
            Ok(eap) => match eap.body {
                Body::Identity(_) => format!("EAP {:?}/Identity", eap.code),
                Body::Wsc(f) => match wps::message::Message::parse(f.data) {
                    Ok(m) => format!(
                        "{:<9} {:>4} bytes",
                        m.message_type().to_string(),
                        f.data.len()
                    ),
                    Err(_) => format!("WSC {:?}", f.op_code),
                },
                _ => format!("EAP {:?}", eap.code),
            },
            Err(_) => "EAP (malformed)".to_owned(),
        },
        Err(_) => "(not EAPOL)".to_owned(),
    };
    println!("{direction}  {what}");
}

/// The PIN with digit `i` changed (what a user mistyping it would enter).
fn flip_digit(pin: &str, i: usize) -> String {
    pin.char_indices()
        .map(|(j, c)| {
            if j == i {
                char::from(b'0' + (c as u8 - b'0' + 1) % 10)
            } else {
                c
            }
        })
        .collect()
}
