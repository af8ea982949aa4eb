//! The registrations the program runs, arch-independent.
//!
//! An enrollee (a printer) and a registrar (a router's internal registrar) are driven
//! against each other with the registration machines, the messages going straight
//! across; [`exchange`] is the only place that moves them, so that replacing the
//! machines by the journey drivers (`wps::station::Station`, `wps::ap::AccessPoint`)
//! touches [`run`] and [`exchange`] only.

use alloc::vec;

use wps::attr::{ConfigError, MacAddr, Uuid};
use wps::crypto::DhKeyPair;
use wps::pin::DevicePassword;
use wps::registration::{
    ApRegistrar, DeviceInfo, Enrollee, EnrolleeConfig, Event, NetworkSettings, RegistrarConfig,
    RegistrarSession, SessionSecrets,
};
use wps::time::{Duration, Instant, Lifetime};

use crate::board::count;
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
    pub messages: u32,
    /// Instructions spent inside the enrollee's calls (key generation included).
    pub enrollee_instructions: u64,
    /// Instructions spent inside the registrar's calls (key generation included).
    pub registrar_instructions: u64,
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

/// What each side saw when its run ended.
#[derive(Default)]
struct Ends {
    enrollee_success: bool,
    enrollee_error: Option<ConfigError>,
    credential_ok: bool,
    registrar_success: bool,
    registrar_error: Option<ConfigError>,
}

/// Runs one registration and checks its end.
pub fn run(mode: Mode, rng: &mut DemoRng) -> Result<Outcome, &'static str> {
    let now = Instant::ZERO;
    let printer = DeviceInfo::new(Uuid([0x50; 16]), MacAddr([2, 0, 0, 0, 0x0b, 1]), "printer");
    let router = DeviceInfo::new(Uuid([0x52; 16]), MacAddr([2, 0, 0, 0, 0x0a, 1]), "router");
    let network = NetworkSettings::wpa2_personal(SSID, PASSPHRASE).map_err(|_| "network")?;

    let mut ap = ApRegistrar::new();
    let shown = match mode {
        Mode::PushButton => {
            ap.pbc
                .press_button(now)
                .map_err(|_| "push-button overlap")?;
            DevicePassword::pushbutton()
        }
        Mode::Pin | Mode::WrongPin => {
            let typed: &[u8] = if mode == Mode::Pin {
                b"12345670"
            } else {
                b"12345678"
            };
            let typed = DevicePassword::from_bytes(typed).map_err(|_| "typed PIN")?;
            ap.pins
                .add(
                    now,
                    None,
                    typed,
                    Lifetime::For(Duration::from_secs(120)),
                    None,
                )
                .map_err(|_| "PIN table full")?;
            DevicePassword::from_bytes(b"12345670").map_err(|_| "shown PIN")?
        }
    };

    let (mut enrollee, mut e_cost) = count(|| {
        Enrollee::new(
            EnrolleeConfig::station(printer, shown),
            SessionSecrets::generate(rng),
            now,
        )
    });
    let (mut registrar, mut r_cost) = count(|| {
        RegistrarSession::new(
            RegistrarConfig::internal(router, vec![network]),
            SessionSecrets::generate(rng),
            now,
        )
    });

    let messages = exchange(
        &mut enrollee,
        &mut registrar,
        &mut ap,
        &mut e_cost,
        &mut r_cost,
    );

    let mut ends = Ends::default();
    let (_, c) = count(|| {
        while let Some(event) = enrollee.poll_event() {
            match event {
                Event::Success => ends.enrollee_success = true,
                Event::Failure(f) => ends.enrollee_error = Some(f.config_error),
                Event::Credential(c) => {
                    ends.credential_ok = c.ssid() == SSID && c.network_key() == PASSPHRASE;
                }
                _ => {}
            }
        }
    });
    e_cost += c;
    let (_, c) = count(|| {
        while let Some(event) = registrar.poll_event() {
            match event {
                Event::Success => ends.registrar_success = true,
                Event::Failure(f) => ends.registrar_error = Some(f.config_error),
                _ => {}
            }
        }
    });
    r_cost += c;

    match mode {
        Mode::Pin | Mode::PushButton => {
            if !ends.enrollee_success {
                return Err("the enrollee did not succeed");
            }
            if !ends.credential_ok {
                return Err("the enrollee did not receive the network's credential");
            }
            if !ends.registrar_success {
                return Err("the registrar did not succeed");
            }
        }
        Mode::WrongPin => {
            let want = Some(ConfigError::DevicePasswordAuthFailure);
            if ends.enrollee_success || ends.registrar_success || ends.credential_ok {
                return Err("a wrong PIN was accepted");
            }
            if ends.enrollee_error != want {
                return Err("the enrollee did not end with Configuration Error 18");
            }
            if ends.registrar_error != want {
                return Err("the registrar did not end with Configuration Error 18");
            }
        }
    }
    Ok(Outcome {
        messages,
        enrollee_instructions: e_cost,
        registrar_instructions: r_cost,
    })
}

/// Moves the messages between the two sides until one has nothing more to send;
/// returns how many went across. The instructions each side spends are added up.
fn exchange(
    enrollee: &mut Enrollee,
    registrar: &mut RegistrarSession,
    ap: &mut ApRegistrar,
    e_cost: &mut u64,
    r_cost: &mut u64,
) -> u32 {
    let now = Instant::ZERO;
    let mut messages = 0;
    let (first, c) = count(|| enrollee.start(now));
    *e_cost += c;
    let mut to_registrar = Some(first);
    while let Some(msg) = to_registrar.take() {
        messages += 1;
        let (reply, c) = count(|| registrar.handle(&msg.bytes, now, ap));
        *r_cost += c;
        let Some(reply) = reply else { break };
        messages += 1;
        let (next, c) = count(|| enrollee.handle(&reply.bytes, now));
        *e_cost += c;
        to_registrar = next;
    }
    messages
}
