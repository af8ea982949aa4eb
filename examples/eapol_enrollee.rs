//! A station Enrollee over EAPOL on a Linux interface: joins a real
//! registrar (hostapd's internal registrar on a wired 802.1X port) with a PIN
//! or push-button and prints the credential it receives.
//!
//! ```text
//! eapol_enrollee --iface IF (--pin PIN | --pbc) [--timeout SECS] [--fragment-size N]
//! ```
//!
//! Like wpa_supplicant on a wired link it sends EAPOL-Start to the PAE group
//! address (again every 3 s until the authenticator speaks), answers the
//! Identity Request with `WFA-SimpleConfig-Enrollee-1-0`, and runs M1..M8 with
//! [`wps::registration::Enrollee`] inside [`wps::eap::WscPeer`].
//!
//! On success it prints one JSON line on stdout and exits 0:
//!
//! ```text
//! {"ssid":"home","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"secret","mac":"02:00:00:00:1b:01"}
//! ```
//!
//! `ssid` and `network_key` are the credential's bytes as UTF-8 text;
//! `auth_type` / `encr_type` are the WSC flag names (`Open`, `WPA-PSK`,
//! `WPA2-PSK`, … / `None`, `WEP`, `TKIP`, `AES`); `mac` is the credential's
//! MAC Address attribute. With several credentials in M8 the first is printed
//! (the others go to stderr).
//!
//! On failure it prints `WPS-FAIL msg=N (Mx) config_error=E (meaning) reason=…`
//! on stderr and exits 1; 4 when the registrar stopped answering or
//! `--timeout` (default 30 s) passed; 2 for a bad command line; 5 when the
//! interface cannot be used. Needs root (raw sockets).
//!
//! Identity: the interface's MAC, the UUID hostapd would derive from it, wpa_supplicant's
//! default device attributes (Config Methods 0x2108, computer) named
//! "wps-rs eapol_enrollee".

#[path = "common/eapol_link.rs"]
mod eapol_link;
#[path = "common/wsc.rs"]
mod wsc;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use eapol_link::{EapolLink, format_mac};
use wps::eap::{Action, EapolPacket, EapolType, OpCode, Outcome, PeerRole, WscHandler, WscPeer};
use wps::pin::DevicePassword;
use wps::registration::{Enrollee, EnrolleeConfig, Event, SessionSecrets};
use wsc::{Args, EXIT_FAILED, EXIT_IO, EXIT_TIMEOUT, EXIT_USAGE, exit};

const USAGE: &str =
    "usage: eapol_enrollee --iface IF (--pin PIN | --pbc) [--timeout SECS] [--fragment-size N]";

/// How often EAPOL-Start is repeated while the authenticator is silent.
const START_PERIOD: Duration = Duration::from_secs(3);

/// The Enrollee as the EAP peer's method.
struct Station {
    enrollee: Enrollee,
}

impl WscHandler for Station {
    fn handle(&mut self, op: OpCode, message: &[u8], now: wps::time::Instant) -> Outcome {
        let reply = match op {
            OpCode::Start => {
                eprintln!("<- WSC_Start");
                Some(self.enrollee.start(now))
            }
            OpCode::Msg | OpCode::Ack | OpCode::Nack | OpCode::Done => {
                eprintln!("<- {}", wsc::received(message));
                self.enrollee.handle(message, now)
            }
            _ => None,
        };
        wsc::outcome(reply, self.enrollee.is_finished())
    }
}

fn main() -> ExitCode {
    let args = Args::from_env();
    if let Some(word) = args.unknown(
        &["--iface", "--pin", "--timeout", "--fragment-size"],
        &["--pbc"],
    ) {
        return exit(EXIT_USAGE, &format!("unexpected {word:?}\n{USAGE}"));
    }
    let password = match (args.value("--pin"), args.flag("--pbc")) {
        (Some(pin), false) => wsc::parse_pin(pin),
        (None, true) => Ok(DevicePassword::pushbutton()),
        _ => Err("give exactly one of --pin PIN and --pbc".to_string()),
    };
    let (Some(iface), Ok(password), Ok(timeout), Ok(fragment_size)) = (
        args.value("--iface"),
        password.map_err(|e| eprintln!("{e}")),
        args.timeout(30).map_err(|e| eprintln!("{e}")),
        args.fragment_size().map_err(|e| eprintln!("{e}")),
    ) else {
        return exit(EXIT_USAGE, USAGE);
    };
    let mut link = match EapolLink::open(iface) {
        Ok(l) => l,
        Err(e) => return exit(EXIT_IO, &format!("{iface}: {e}")),
    };
    let t0 = Instant::now();
    let mac = link.mac();
    eprintln!(
        "{iface} {} uuid {}",
        format_mac(&mac),
        wsc::uuid_from_mac(&mac)
    );
    let config = EnrolleeConfig::station(wsc::device(&mac, "wps-rs eapol_enrollee"), password);
    let mut station = Station {
        enrollee: Enrollee::new(
            config,
            SessionSecrets::generate(&mut rand::rng()),
            wsc::instant(t0.elapsed()),
        ),
    };
    let mut peer = match WscPeer::new(PeerRole::Enrollee, fragment_size) {
        Ok(p) => p,
        Err(e) => return exit(EXIT_USAGE, &format!("--fragment-size: {e}")),
    };
    match exchange(&mut link, &mut peer, &mut station, t0, timeout) {
        Ok(()) => {}
        Err(e) => return exit(EXIT_IO, &format!("{iface}: {e}")),
    }
    report(&mut station.enrollee, peer.is_finished())
}

/// Runs the EAP conversation until it is over or `timeout` has passed.
fn exchange(
    link: &mut EapolLink,
    peer: &mut WscPeer,
    station: &mut Station,
    t0: Instant,
    timeout: Duration,
) -> std::io::Result<()> {
    let mut heard = false;
    let mut next_start = Duration::ZERO;
    loop {
        let elapsed = t0.elapsed();
        let now = wsc::instant(elapsed);
        if elapsed >= timeout || peer.poll(now) == Action::Finished {
            return Ok(());
        }
        if !heard && elapsed >= next_start {
            link.send_to_group(&wsc::eapol(1, EapolType::Start, &[]))?;
            next_start = elapsed + START_PERIOD;
        }
        let Some(f) = link.recv(Duration::from_millis(100))? else {
            continue;
        };
        let Ok(p) = EapolPacket::parse(&f.eapol) else {
            continue;
        };
        if p.packet_type != EapolType::EapPacket {
            continue;
        }
        heard = true;
        // answer in the authenticator's EAPOL version, as wpa_supplicant does
        let version = p.version.clamp(1, 3);
        match peer.receive(p.body, wsc::instant(t0.elapsed()), station) {
            Ok(Action::Send(resp)) => {
                link.send_to_group(&wsc::eapol(version, EapolType::EapPacket, resp))?
            }
            Ok(Action::Finished) => {
                eprintln!("EAP conversation ended by {}", format_mac(&f.src));
                return Ok(());
            }
            Ok(Action::Nothing) => {}
            Err(e) => eprintln!("dropped EAP packet: {e}"),
        }
    }
}

/// Prints the credential (exit 0) or why there is none.
fn report(enrollee: &mut Enrollee, eap_over: bool) -> ExitCode {
    let mut credentials = Vec::new();
    let mut failure = None;
    while let Some(e) = enrollee.poll_event() {
        match e {
            Event::Credential(c) => credentials.push(c),
            Event::Failure(f) => failure = Some(f),
            Event::M2d(info) => eprintln!(
                "M2D from the registrar: config_error={} ({})",
                u16::from(info.config_error),
                info.config_error.description()
            ),
            _ => {}
        }
    }
    if enrollee.is_success() {
        if let Some((first, rest)) = credentials.split_first() {
            println!("{}", wsc::credential_json(first));
            for c in rest {
                eprintln!("also: {}", wsc::credential_json(c));
            }
            return ExitCode::SUCCESS;
        }
        return exit(EXIT_FAILED, "registration succeeded without a credential");
    }
    if let Some(f) = failure {
        return exit(EXIT_FAILED, &wsc::failure_line(&f));
    }
    if eap_over {
        return exit(
            EXIT_FAILED,
            "WPS-FAIL: the authenticator ended EAP before the registration finished",
        );
    }
    exit(
        EXIT_TIMEOUT,
        "WPS-FAIL: timed out (the registrar stopped answering)",
    )
}
