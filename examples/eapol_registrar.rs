//! An authenticator with an internal registrar over EAPOL on a Linux
//! interface: hands a WPA2-Personal credential to a real enrollee
//! (wpa_supplicant on a wired 802.1X port) that knows the PIN, or that pushed
//! its button.
//!
//! ```text
//! eapol_registrar --iface IF (--pin PIN | --pbc | --no-pin) --ssid S --passphrase P [--timeout SECS] [--fragment-size N]
//! ```
//!
//! It sends EAP-Request/Identity to the PAE group address every second until
//! a station answers (or sends EAPOL-Start), then [`wps::eap::WscServer`]
//! drives EAP-WSC (WSC_Start, fragments, retransmission every 5 s, EAP-Failure
//! at the end) and [`wps::registration::RegistrarSession`] answers M1..M7.
//! Its passwords are an [`wps::registration::ApRegistrar`]:
//!
//! - `--pin PIN`: a wildcard entry in the PIN store, like hostapd's
//!   `wps_pin any PIN`;
//! - `--pbc`: the button is pressed at start-up, like hostapd's `wps_pbc`
//!   (push-button mode for 120 s; only an enrollee with Device Password ID 4
//!   gets an M2, with the password `00000000`);
//! - `--no-pin`: no password at all, so M1 is answered with M2D (Configuration
//!   Error 0), as hostapd does before a PIN is entered.
//!
//! Exits 0 when the enrollee sent WSC_Done (the credential was delivered),
//! printing `WPS-REG-SUCCESS <enrollee UUID>`. When it had no password for
//! the enrollee it prints `WPS-PIN-NEEDED <UUID-E> <MAC> dev_password_id=N`
//! as it sends the M2D, and exits 3 once the enrollee has acknowledged it.
//! 1 on a failed registration, printing
//! `WPS-FAIL msg=N (Mx) config_error=E (meaning) reason=…` on stderr (a
//! push-button overlap is such a failure: M2D with Configuration Error 12); 4
//! when the enrollee stopped answering or `--timeout` (default 60 s) passed;
//! 2 for a bad command line; 5 when the interface cannot be used. Needs root
//! (raw sockets).

#[path = "common/eapol_link.rs"]
mod eapol_link;
#[path = "common/wsc.rs"]
mod wsc;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use wps::eap::{DriverError, OpCode, Outcome, ServerRole, WscHandler};
use wps::registration::{
    ApRegistrar, DeviceInfo, Event, FailureReason, NetworkSettings, Refusal, RegistrarConfig,
    RegistrarSession, SessionSecrets,
};
use wps::time::Lifetime;
use wsc::{
    EXIT_FAILED, EXIT_IO, EXIT_NO_CREDENTIAL, EXIT_TIMEOUT, EXIT_USAGE, PasswordArg, Served, exit,
};

const USAGE: &str = "usage: eapol_registrar --iface IF (--pin PIN | --pbc | --no-pin) --ssid S --passphrase P [--timeout SECS] [--fragment-size N]";

/// The registrar as the EAP server's method.
struct Registrar {
    device: DeviceInfo,
    network: NetworkSettings,
    passwords: ApRegistrar,
    session: RegistrarSession,
    /// Events of the runs so far (a restart keeps them).
    events: Vec<Event>,
}

impl Registrar {
    fn new_session(&self, now: wps::time::Instant) -> RegistrarSession {
        RegistrarSession::new(
            RegistrarConfig::internal(self.device.clone(), vec![self.network.clone()]),
            SessionSecrets::generate(&mut rand::rng()),
            now,
        )
    }

    fn drain(&mut self) {
        while let Some(e) = self.session.poll_event() {
            if let Event::PasswordNeeded {
                uuid_e,
                mac,
                device_password_id,
            } = &e
            {
                // hostapd's event when an enrollee shows up without a usable PIN
                println!(
                    "WPS-PIN-NEEDED {uuid_e} {mac} dev_password_id={}",
                    u16::from(*device_password_id)
                );
            }
            self.events.push(e);
        }
    }
}

impl WscHandler for Registrar {
    fn handle(&mut self, op: OpCode, message: &[u8], now: wps::time::Instant) -> Outcome {
        let reply = match op {
            OpCode::Msg | OpCode::Ack | OpCode::Nack | OpCode::Done => {
                eprintln!("<- {}", wsc::received(message));
                // the walk time is checked when it matters: before an M1
                if self.passwords.pbc.handle_timeout(now) {
                    eprintln!("WPS-PBC-TIMEOUT");
                }
                self.session.handle(message, now, &mut self.passwords)
            }
            _ => None,
        };
        self.drain();
        wsc::outcome(reply, self.session.is_finished())
    }
}

impl wsc::Run for Registrar {
    fn restart(&mut self, now: wps::time::Instant) {
        // a session that has seen M1 holds the PIN: release it
        if self.session.enrollee_uuid() != wps::attr::Uuid::default() {
            self.session.abort(now, &mut self.passwords);
            self.drain();
        }
        self.session = self.new_session(now);
    }

    fn is_finished(&self) -> bool {
        self.session.is_finished()
    }
}

fn main() -> ExitCode {
    let args = match wsc::AuthenticatorArgs::from_env("--pin", true, USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let wsc::AuthenticatorArgs {
        iface,
        password,
        network,
        timeout,
        fragment_size,
    } = args;
    let iface = iface.as_str();
    let (mut link, mac) = match wsc::open_link(iface) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let t0 = Instant::now();
    let mut device = wsc::device(&mac, "wps-rs eapol_registrar");
    // an AP: network infrastructure / AP, label + display + keypad
    device.primary_device_type = wps::attr::PrimaryDeviceType::wfa(6, 1);
    device.config_methods = wps::attr::ConfigMethods::from(0x010c);
    let mut passwords = ApRegistrar::new();
    let start = wsc::instant(Duration::ZERO);
    match password {
        PasswordArg::Pin(pin) => {
            if let Err(e) = passwords
                .pins
                .add(start, None, pin, Lifetime::Forever, None)
            {
                return exit(EXIT_USAGE, &format!("PIN store: {e}"));
            }
        }
        PasswordArg::PushButton => {
            if let Err(e) = passwords.pbc.press_button(start) {
                return exit(EXIT_FAILED, &format!("push-button: {e}"));
            }
            eprintln!("WPS-PBC-ACTIVE");
        }
        PasswordArg::NoPin => eprintln!("no password: every M1 gets an M2D"),
    }
    let mut registrar = Registrar {
        session: RegistrarSession::new(
            RegistrarConfig::internal(device.clone(), vec![network.clone()]),
            SessionSecrets::generate(&mut rand::rng()),
            wsc::instant(Duration::ZERO),
        ),
        device,
        network,
        passwords,
        events: Vec::new(),
    };
    let served = match wsc::serve(
        &mut link,
        ServerRole::Registrar,
        fragment_size,
        timeout,
        t0,
        &mut registrar,
    ) {
        Ok(s) => s,
        Err(e) => return exit(EXIT_IO, &format!("{iface}: {e}")),
    };
    report(&mut registrar, served)
}

fn report(registrar: &mut Registrar, served: Served) -> ExitCode {
    registrar.drain();
    let failure = registrar.events.iter().rev().find_map(|e| match e {
        Event::Failure(f) => Some(*f),
        _ => None,
    });
    if registrar.session.is_success() {
        println!("WPS-REG-SUCCESS {}", registrar.session.enrollee_uuid());
        return ExitCode::SUCCESS;
    }
    if let Some(f) = failure
        && f.reason == FailureReason::Refused(Refusal::NoPassword)
    {
        return exit(
            EXIT_NO_CREDENTIAL,
            &format!(
                "no password for the enrollee: it acknowledged our M2D (config_error={})",
                u16::from(f.config_error)
            ),
        );
    }
    if let Some(f) = failure {
        return exit(EXIT_FAILED, &wsc::failure_line(&f));
    }
    match served {
        Served::Finished(Some(DriverError::Timeout)) | Served::TimedOut => exit(
            EXIT_TIMEOUT,
            "WPS-FAIL: timed out (the enrollee stopped answering)",
        ),
        Served::Finished(Some(e)) => exit(EXIT_FAILED, &format!("WPS-FAIL: EAP: {e}")),
        Served::Finished(None) => exit(
            EXIT_FAILED,
            "WPS-FAIL: EAP ended before the registration finished",
        ),
    }
}
