//! The whole WPS registration between a printer (enrollee) and a router (registrar),
//! in memory.
//!
//! ```text
//! cargo run --example registration                  # PIN shown on the printer
//! cargo run --example registration -- --pbc         # push-button
//! cargo run --example registration -- --wrong-pin   # second half wrong: NACK after M6
//! cargo run --example registration -- --wrong-pin=first
//! ```

use std::process::ExitCode;

use wps::attr::{MacAddr, Uuid};
use wps::pin::{DevicePassword, Pin};
use wps::registration::{
    ApRegistrar, DeviceInfo, Enrollee, EnrolleeConfig, Event, NetworkSettings, Outgoing,
    RegistrarConfig, RegistrarSession, SessionSecrets,
};
use wps::time::{Instant, Lifetime};

enum Mode {
    Pin,
    Pbc,
    WrongFirst,
    WrongSecond,
}

fn main() -> ExitCode {
    let mode = match std::env::args().nth(1).as_deref() {
        None => Mode::Pin,
        Some("--pbc") => Mode::Pbc,
        Some("--wrong-pin" | "--wrong-pin=second") => Mode::WrongSecond,
        Some("--wrong-pin=first") => Mode::WrongFirst,
        Some(other) => {
            eprintln!("unknown argument {other:?}; use --pbc, --wrong-pin[=first|second]");
            return ExitCode::from(2);
        }
    };
    // The operating system's RNG (getrandom), panicking if it ever fails.
    let mut rng = rand::rand_core::UnwrapErr(rand::rngs::SysRng);
    let now = Instant::ZERO;

    // The router: SSID and passphrase, and its registrar's PIN table / push-button.
    let network = NetworkSettings::wpa2_personal(b"HomeNet", b"correct horse battery staple")
        .expect("valid network");
    let router = DeviceInfo::new(
        Uuid([0x52; 16]),
        MacAddr([0x02, 0, 0, 0, 0x0a, 1]),
        "router",
    );
    let printer_dev = DeviceInfo::new(
        Uuid([0x50; 16]),
        MacAddr([0x02, 0, 0, 0, 0x0b, 1]),
        "printer",
    );
    let mut ap = ApRegistrar::new();

    let printer_password = match mode {
        Mode::Pbc => {
            println!("printer: push-button pressed; router: push-button pressed");
            ap.pbc.press_button(now).expect("no overlap");
            DevicePassword::pushbutton()
        }
        _ => {
            let pin = Pin::random(&mut rng);
            println!("printer: shows PIN {pin}");
            let typed = match mode {
                Mode::WrongFirst => flip_digit(pin.as_str(), 0),
                Mode::WrongSecond => flip_digit(pin.as_str(), 5),
                _ => pin.as_str().to_owned(),
            };
            println!("router:  PIN {typed} entered by the user");
            let typed = DevicePassword::from_bytes(typed.as_bytes()).expect("8 digits");
            ap.pins
                .add(
                    now,
                    None,
                    typed,
                    Lifetime::For(std::time::Duration::from_secs(120)),
                    None,
                )
                .expect("room for a PIN");
            DevicePassword::from(&pin)
        }
    };

    let mut enrollee = Enrollee::new(
        EnrolleeConfig::station(printer_dev, printer_password),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let mut registrar = RegistrarSession::new(
        RegistrarConfig::internal(router, vec![network]),
        SessionSecrets::generate(&mut rng),
        now,
    );

    println!();
    let mut to_router = Some(enrollee.start(now));
    while let Some(msg) = to_router.take() {
        show("printer -> router ", &msg);
        let Some(reply) = registrar.handle(&msg.bytes, now, &mut ap) else {
            break;
        };
        show("router  -> printer", &reply);
        to_router = enrollee.handle(&reply.bytes, now);
    }
    println!();

    let mut ok = false;
    for e in std::iter::from_fn(|| enrollee.poll_event()) {
        match e {
            Event::Credential(c) => {
                println!("printer: received credential");
                println!("  SSID        {}", String::from_utf8_lossy(c.ssid()));
                println!("  auth        {}", c.auth_type());
                println!("  encryption  {}", c.encr_type());
                println!("  key         {}", String::from_utf8_lossy(c.network_key()));
                println!("  MAC         {}", c.mac());
            }
            Event::Success => ok = true,
            Event::Failure(f) => println!(
                "printer: failed at {} — config error {} ({}), {}",
                f.message
                    .map_or_else(|| "start".to_string(), |m| m.to_string()),
                u16::from(f.config_error),
                f.config_error.description(),
                f.reason
            ),
            _ => {}
        }
    }
    for e in std::iter::from_fn(|| registrar.poll_event()) {
        match e {
            Event::Failure(f) => println!(
                "router:  failed at {} — config error {} ({})",
                f.message
                    .map_or_else(|| "start".to_string(), |m| m.to_string()),
                u16::from(f.config_error),
                f.config_error.description()
            ),
            Event::PasswordOutcome(o) => println!("router:  PIN table: {o:?}"),
            Event::Success => println!("router:  registration complete"),
            _ => {}
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn show(direction: &str, m: &Outgoing) {
    println!(
        "{direction}  {:<9} {:>4} bytes",
        m.message_type.to_string(),
        m.bytes.len()
    );
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
