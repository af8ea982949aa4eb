//! An AP as Enrollee over EAPOL on a Linux interface: a configured access
//! point, protected by its AP PIN, that an external registrar
//! (wpa_supplicant with identity `WFA-SimpleConfig-Registrar-1-0`) reads and
//! reconfigures.
//!
//! ```text
//! eapol_ap_enrollee --iface IF --ap-pin PIN --ssid S --passphrase P [--timeout SECS] [--fragment-size N]
//! ```
//!
//! `--ssid` / `--passphrase` are the AP's current WPA2-Personal settings,
//! revealed to the registrar in M7. The program is the authenticator
//! ([`wps::eap::WscServer`] as [`ServerRole::Enrollee`]: Identity Request to
//! the PAE group address every second until a station answers, then M1 as the
//! first EAP-WSC Request) and [`wps::registration::Enrollee`] in the AP role.
//!
//! When M8 carries new settings it prints them as one JSON line on stdout,
//! in the format of `eapol_enrollee` (`mac` is the AP's own address), and
//! exits 0 after the registrar's WSC_ACK. A registrar that only reads the
//! settings (it proved the whole AP PIN, got M7, and answered WSC_NACK with
//! Configuration Error 0) leaves them unchanged: the program then prints
//! `WPS-AP-SETTINGS-READ` on stdout and exits 3. Failures print
//! `WPS-FAIL msg=N (Mx) config_error=E (meaning) reason=…` on stderr and exit
//! 1; 4 on timeout, 2 for a bad command line, 5 when the interface cannot be
//! used. Needs root (raw sockets).

#[path = "common/eapol_link.rs"]
mod eapol_link;
#[path = "common/wsc.rs"]
mod wsc;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use wps::attr::{ConfigError, MacAddr, MessageType};
use wps::eap::{DriverError, OpCode, Outcome, ServerRole, WscHandler};
use wps::registration::{
    Credential, Enrollee, EnrolleeConfig, Event, FailureReason, Refusal, SessionSecrets,
};
use wsc::{
    EXIT_FAILED, EXIT_IO, EXIT_NO_CREDENTIAL, EXIT_TIMEOUT, EXIT_USAGE, PasswordArg, Served, exit,
};

const USAGE: &str = "usage: eapol_ap_enrollee --iface IF --ap-pin PIN --ssid S --passphrase P [--timeout SECS] [--fragment-size N]";

/// The AP's Enrollee as the EAP server's method.
struct Ap {
    config: EnrolleeConfig,
    enrollee: Enrollee,
    events: Vec<Event>,
}

impl Ap {
    fn drain(&mut self) {
        self.events
            .extend(core::iter::from_fn(|| self.enrollee.poll_event()));
    }
}

impl WscHandler for Ap {
    fn handle(&mut self, op: OpCode, message: &[u8], now: wps::time::Instant) -> Outcome {
        let reply = match op {
            OpCode::Start => {
                eprintln!("<- Identity {:?}", "WFA-SimpleConfig-Registrar-1-0");
                Some(self.enrollee.start(now))
            }
            OpCode::Msg | OpCode::Ack | OpCode::Nack | OpCode::Done => {
                eprintln!("<- {}", wsc::received(message));
                self.enrollee.handle(message, now)
            }
            _ => None,
        };
        self.drain();
        wsc::outcome(reply, self.enrollee.is_finished())
    }
}

impl wsc::Run for Ap {
    fn restart(&mut self, now: wps::time::Instant) {
        self.enrollee.abort();
        self.drain();
        self.events.clear();
        self.enrollee = Enrollee::new(
            self.config.clone(),
            SessionSecrets::generate(&mut rand::rng()),
            now,
        );
    }

    fn is_finished(&self) -> bool {
        self.enrollee.is_finished()
    }
}

fn main() -> ExitCode {
    let args = match wsc::AuthenticatorArgs::from_env("--ap-pin", false, USAGE) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let wsc::AuthenticatorArgs {
        iface,
        password: PasswordArg::Pin(pin),
        network: current,
        timeout,
        fragment_size,
    } = args
    else {
        return exit(EXIT_USAGE, USAGE);
    };
    let iface = iface.as_str();
    let (mut link, mac) = match wsc::open_link(iface) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let t0 = Instant::now();
    let mut device = wsc::device(&mac, "wps-rs eapol_ap_enrollee");
    // an AP: network infrastructure / AP, label + display
    device.primary_device_type = wps::attr::PrimaryDeviceType::wfa(6, 1);
    device.config_methods = wps::attr::ConfigMethods::from(0x000c);
    let config = EnrolleeConfig::access_point(device, pin, Credential::new(current, MacAddr(mac)));
    let mut ap = Ap {
        enrollee: Enrollee::new(
            config.clone(),
            SessionSecrets::generate(&mut rand::rng()),
            wsc::instant(Duration::ZERO),
        ),
        config,
        events: Vec::new(),
    };
    let served = match wsc::serve(
        &mut link,
        ServerRole::Enrollee,
        fragment_size,
        timeout,
        t0,
        &mut ap,
    ) {
        Ok(s) => s,
        Err(e) => return exit(EXIT_IO, &format!("{iface}: {e}")),
    };
    report(&mut ap, served)
}

fn report(ap: &mut Ap, served: Served) -> ExitCode {
    ap.drain();
    let mut failure = None;
    let mut new_settings = None;
    for e in &ap.events {
        match e {
            Event::NewApSettings(c) => new_settings = Some(c.clone()),
            Event::Failure(f) => failure = Some(*f),
            _ => {}
        }
    }
    if ap.enrollee.is_success() {
        return match new_settings {
            Some(c) => {
                println!("{}", wsc::credential_json(&c));
                ExitCode::SUCCESS
            }
            None => exit(EXIT_FAILED, "registration succeeded without new settings"),
        };
    }
    if let Some(f) = failure {
        // hostapd counts this as `WPS-FAIL msg=11 config_error=0`, but nothing
        // went wrong: the registrar knew the AP PIN and chose not to change
        // anything
        let read_only = f.message == Some(MessageType::M7)
            && f.config_error == ConfigError::NoError
            && f.reason == FailureReason::Refused(Refusal::NackReceived);
        if read_only && new_settings.is_none() {
            println!("WPS-AP-SETTINGS-READ");
            return exit(
                EXIT_NO_CREDENTIAL,
                "the registrar read the settings from M7 and ended with WSC_NACK (config_error=0): nothing changed",
            );
        }
        return exit(EXIT_FAILED, &wsc::failure_line(&f));
    }
    match served {
        Served::Finished(Some(DriverError::Timeout)) | Served::TimedOut => exit(
            EXIT_TIMEOUT,
            "WPS-FAIL: timed out (the registrar stopped answering)",
        ),
        Served::Finished(Some(e)) => exit(EXIT_FAILED, &format!("WPS-FAIL: EAP: {e}")),
        Served::Finished(None) => exit(
            EXIT_FAILED,
            "WPS-FAIL: EAP ended before the registration finished",
        ),
    }
}
