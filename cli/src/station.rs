//! `wps station`: the printer (or a PC reading or configuring an access point). One
//! [`Station`] on a wired 802.1X port; prints the credential, or the access point's
//! settings, as one JSON object on stdout.
//!
//! ```text
//! wps station --iface IF (--pin PIN | --pbc | --ap-pin PIN [--new-ssid S --new-passphrase P])
//!             [--multi-ap] [--fragment-size N] [--timeout S]
//! wps station --iface IF --nfc-token FILE      # the device's own token (`wps nfc token`)
//! wps station --iface IF --nfc-handover-req FILE --nfc-handover-sel HEX
//!                                              # connection handover: our request, the router's select
//! wps station --nfc-config HEX                 # a configuration token: no registration
//! ```
//!
//! With `--multi-ap` (and `--pin` or `--pbc`) the station is a Multi-AP backhaul STA, as
//! wpa_supplicant with `multi_ap=1`: M1 asks for the backhaul network, and the
//! credential printed is that network's, marked `"backhaul":true`.
//!
//! Exit status: 0 credential (or settings) printed; 1 the registration failed (a NACK,
//! or our own check failed); 2 bad command line; 3 no credential (the registrar had no
//! PIN for us until the end); 4 timed out; 5 the interface could not be used. A failure
//! is told on stderr in plain words, then as hostapd's `WPS-FAIL msg=… config_error=…`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use serde_json::Value;
use wps::nfc::{Contents, read_ndef};
use wps::outcome::{Outcome, RunError};
use wps::pin::DevicePassword;
use wps::registration::{Failure, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent, Transmit};
use wps::time::Lifetime;

use crate::clock::Clock;
use crate::eapol_link;
use crate::report::{
    self, EXIT_FAILED, EXIT_IO, EXIT_NO_CREDENTIAL, EXIT_TIMEOUT, EXIT_USAGE, out,
};
use crate::{args, device, nfc};

/// `wps station`
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("method").required(true).args(["pin", "pbc", "ap_pin", "nfc_token", "nfc_handover_req", "nfc_config"]))]
pub struct Args {
    /// The network interface (a wired 802.1X port), e.g. eth0.
    #[arg(long, value_name = "IF", required_unless_present = "nfc_config")]
    pub iface: Option<String>,
    /// Enrol with this PIN (4 or 8 digits; the checksum is not checked, so a wrong PIN
    /// can be tried on purpose).
    #[arg(long, value_name = "PIN", value_parser = args::device_password)]
    pub pin: Option<DevicePassword>,
    /// Enrol by push-button (the button is pressed now).
    #[arg(long)]
    pub pbc: bool,
    /// Be an external registrar: prove the access point's AP PIN and read its settings.
    #[arg(long, value_name = "PIN", value_parser = args::device_password)]
    pub ap_pin: Option<DevicePassword>,
    /// With --ap-pin: give the access point this SSID ...
    #[arg(long, value_name = "S", requires_all = ["ap_pin", "new_passphrase"])]
    pub new_ssid: Option<String>,
    /// ... and this WPA2 passphrase.
    #[arg(long, value_name = "P", requires = "new_ssid")]
    pub new_passphrase: Option<String>,
    /// Be a Multi-AP backhaul STA: ask for the backhaul network's credential (with --pin
    /// or --pbc).
    #[arg(long, conflicts_with = "ap_pin")]
    pub multi_ap: bool,
    /// The largest EAP-WSC fragment sent.
    #[arg(long, value_name = "N", value_parser = args::fragment_size, default_value = "1400")]
    pub fragment_size: usize,
    /// Give up after this many seconds (the walk time).
    #[arg(long, value_name = "S", value_parser = args::seconds, default_value = "120")]
    pub timeout: Duration,
    /// Enrol with this device's own NFC password token (the FILE `wps nfc token --out`
    /// wrote), which the registrar has read from its tag.
    #[arg(long, value_name = "FILE")]
    pub nfc_token: Option<PathBuf>,
    /// Enrol after an NFC connection handover: the request this station sent (the FILE
    /// `wps nfc handover-req --out` wrote) ...
    #[arg(long, value_name = "FILE", requires = "nfc_handover_sel")]
    pub nfc_handover_req: Option<PathBuf>,
    /// ... and the router's handover select (NDEF hex, as `hostapd_cli
    /// nfc_get_handover_sel NDEF WPS-CR` prints it).
    #[arg(long, value_name = "HEX", requires = "nfc_handover_req")]
    pub nfc_handover_sel: Option<String>,
    /// No registration: print the credential of this configuration token (NDEF hex, as
    /// read from the router's tag or `hostapd_cli wps_nfc_config_token NDEF`).
    #[arg(long, value_name = "HEX", conflicts_with = "iface")]
    pub nfc_config: Option<String>,
}

/// How long past `--timeout` the program waits for the station to say it is over.
const GRACE: Duration = Duration::from_secs(5);
/// The longest wait for a frame before the clock is looked at again.
const TICK: Duration = Duration::from_millis(500);

/// Runs one journey and reports it.
pub fn run(args: Args) -> ExitCode {
    if let Some(hex) = &args.nfc_config {
        return match nfc::configuration_token(hex) {
            Ok(credentials) => report_finish(&Outcome::Succeeded(credentials), None, false),
            Err(e) => {
                eprintln!("wps station: --nfc-config: {e}");
                ExitCode::from(EXIT_FAILED)
            }
        };
    }
    let Some(iface) = args.iface.clone() else {
        return ExitCode::from(EXIT_USAGE);
    };
    let nfc_token = match args.nfc_token.as_deref().map(nfc::read_token_file) {
        None => None,
        Some(Ok(token)) => Some(token),
        Some(Err(e)) => {
            eprintln!("wps station: --nfc-token: {e}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let handover = match (&args.nfc_handover_req, &args.nfc_handover_sel) {
        (Some(path), Some(select)) => {
            match (
                nfc::read_handover_request_file(path),
                nfc::handover_select(select),
            ) {
                (Ok(request), Ok(select)) => Some((request, select)),
                (Err(e), _) => {
                    eprintln!("wps station: --nfc-handover-req: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
                (_, Err(e)) => {
                    eprintln!("wps station: --nfc-handover-sel: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
        _ => None,
    };
    let new_settings = match (&args.new_ssid, &args.new_passphrase) {
        (Some(ssid), Some(passphrase)) => {
            match NetworkSettings::wpa2_personal(ssid.as_bytes(), passphrase.as_bytes()) {
                Ok(n) => Some(n),
                Err(e) => {
                    eprintln!("wps station: --new-ssid / --new-passphrase: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
        _ => None,
    };
    let (mut tx, mut rx) = match eapol_link::open(&iface) {
        Ok(link) => link,
        Err(e) => {
            eprintln!("wps station: {}: {e}", iface);
            return ExitCode::from(EXIT_IO);
        }
    };
    let mac = tx.mac();
    let device = device::station(mac);
    eprintln!("{} {mac} uuid {}", iface, device.uuid);
    let mut config = StationConfig::new(device);
    config.fragment_size = args.fragment_size;
    config.timeout = args.timeout;
    config.multi_ap = args.multi_ap;
    let clock = Clock::start();
    let mut station = Station::new(config, rand::rng());
    let now = clock.now();
    match (args.pin, args.pbc, args.ap_pin, nfc_token, handover) {
        (Some(pin), ..) => station.start_pin(pin, Lifetime::Forever, now),
        (_, true, ..) => station.press_button(now),
        (_, _, Some(ap_pin), ..) => station.start_external_registrar(ap_pin, new_settings, now),
        (_, _, _, Some(token), _) => station.start_nfc_token(token, now),
        (_, _, _, _, Some((request, select))) => {
            // Checked to be a select when it was read.
            let Ok(Contents::HandoverSelect(select)) =
                read_ndef(&select).and_then(|n| n.contents())
            else {
                return ExitCode::from(EXIT_USAGE);
            };
            eprintln!(
                "handover: UUID-E {}, router {} ({})",
                request.request().uuid_e.unwrap_or_default(),
                String::from_utf8_lossy(select.ssid),
                select.public_key_hash
            );
            station.start_nfc_handover(request, &select, now);
        }
        // clap's group makes one of them required
        (None, false, None, None, None) => return ExitCode::from(EXIT_USAGE),
    }
    let give_up = args.timeout.saturating_add(GRACE);
    // Set once the journey has finished and its result is printed: the program stays
    // while the station lingers to answer a resent M8 (until EAP-Failure, or 11 s).
    let mut finished: Option<ExitCode> = None;
    loop {
        if let Some(code) = finished
            && station.is_idle()
        {
            return code;
        }
        while let Some(Transmit { to, eapol }) = station.poll_transmit() {
            if let Err(e) = tx.send(to, &eapol) {
                eprintln!("wps station: {}: {e}", iface);
                return ExitCode::from(EXIT_IO);
            }
        }
        while let Some(e) = station.poll_event() {
            match e {
                StationEvent::Started { attempt } => {
                    eprintln!("attempt {attempt}: EAPOL-Start sent");
                }
                StationEvent::M2d(info) => eprintln!(
                    "the registrar has no PIN for us yet (M2D, configuration error {})",
                    info.config_error.description()
                ),
                StationEvent::Finished { outcome, failure } => {
                    let backhaul = station.credentials_are_backhaul();
                    finished = Some(report_finish(&outcome, failure.as_ref(), backhaul));
                }
                other => eprintln!("event: {other:?}"),
            }
        }
        if clock.now().total_millis() >= millis(give_up) {
            if let Some(code) = finished {
                return code;
            }
            eprintln!("wps station: timed out: the station did not finish");
            return ExitCode::from(EXIT_TIMEOUT);
        }
        let wait = station
            .poll_timeout()
            .map_or(TICK, |deadline| clock.until(deadline).min(TICK));
        match rx.recv(wait) {
            Ok(Some(f)) => {
                if let Err(why) = station.handle_eapol(f.src, &f.eapol, clock.now()) {
                    eprintln!("dropped a frame from {}: {why}", f.src);
                }
            }
            Ok(None) => {}
            Err(e) => {
                eprintln!("wps station: {}: {e}", iface);
                return ExitCode::from(EXIT_IO);
            }
        }
        let now = clock.now();
        if station
            .poll_timeout()
            .is_some_and(|deadline| deadline <= now)
        {
            station.handle_timeout(now);
        }
    }
}

/// Prints a finished journey and gives its exit status.
fn report_finish(outcome: &Outcome, failure: Option<&Failure>, backhaul: bool) -> ExitCode {
    let (lines, code) = finish(outcome, failure, backhaul);
    for line in lines.stdout {
        out(&line);
    }
    for line in lines.stderr {
        eprintln!("{line}");
    }
    ExitCode::from(code)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

/// What a finished journey prints and its exit status.
#[derive(Debug, Default, PartialEq, Eq)]
struct Lines {
    stdout: Vec<String>,
    stderr: Vec<String>,
}

/// `backhaul`: the credentials are the Multi-AP backhaul network's.
fn finish(outcome: &Outcome, failure: Option<&Failure>, backhaul: bool) -> (Lines, u8) {
    let mut lines = Lines::default();
    let json = |v: Value| v.to_string();
    let enrolled = |c| {
        let mut v = report::credential_json(c);
        if backhaul && let Some(object) = v.as_object_mut() {
            object.insert("backhaul".into(), Value::Bool(true));
        }
        json(v)
    };
    let code = match outcome {
        Outcome::Succeeded(credentials) => match credentials.split_first() {
            Some((first, rest)) => {
                lines.stdout.push(enrolled(first));
                for c in rest {
                    lines.stderr.push(format!("also: {}", enrolled(c)));
                }
                0
            }
            None => {
                lines
                    .stderr
                    .push("wps station: the registration succeeded without a credential".into());
                EXIT_FAILED
            }
        },
        Outcome::SettingsRead(settings) => {
            lines.stdout.push(json(report::credential_json(settings)));
            0
        }
        Outcome::Failed(e) => {
            lines.stderr.push(format!("wps station: {e}"));
            if let Some(f) = failure {
                lines.stderr.push(report::fail_line(f));
                lines.stderr.push(format!("({})", report::fail_words(f)));
            }
            match e {
                RunError::NoPassword => EXIT_NO_CREDENTIAL,
                RunError::TimedOut { .. } => EXIT_TIMEOUT,
                _ => EXIT_FAILED,
            }
        }
        other => {
            lines.stderr.push(format!("wps station: {other}"));
            EXIT_FAILED
        }
    };
    (lines, code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wps::attr::MacAddr;
    use wps::registration::Credential;

    fn credential(ssid: &[u8]) -> Credential {
        Credential::new(
            NetworkSettings::wpa2_personal(ssid, b"passphrase-1").unwrap(),
            MacAddr([2, 0, 0, 0, 0x1b, 1]),
        )
    }

    #[test]
    fn credentials_on_stdout() {
        let (lines, code) = finish(
            &Outcome::Succeeded(vec![credential(b"home"), credential(b"guest")]),
            None,
            false,
        );
        assert_eq!(code, 0);
        assert_eq!(
            lines.stdout,
            [
                r#"{"ssid":"home","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"passphrase-1","mac":"02:00:00:00:1b:01"}"#
            ]
        );
        assert!(lines.stderr[0].starts_with("also: {\"ssid\":\"guest\""));
        let (lines, code) = finish(&Outcome::SettingsRead(credential(b"ap")), None, false);
        assert_eq!(code, 0);
        assert!(lines.stdout[0].starts_with("{\"ssid\":\"ap\""));
        let (lines, code) = finish(&Outcome::Succeeded(Vec::new()), None, false);
        assert_eq!(code, EXIT_FAILED);
        assert!(lines.stdout.is_empty());
    }

    #[test]
    fn a_backhaul_credential_says_so_last() {
        let (lines, code) = finish(
            &Outcome::Succeeded(vec![credential(b"backhaul")]),
            None,
            true,
        );
        assert_eq!(code, 0);
        assert_eq!(
            lines.stdout,
            [
                r#"{"ssid":"backhaul","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"passphrase-1","mac":"02:00:00:00:1b:01","backhaul":true}"#
            ]
        );
    }

    #[test]
    fn failures_on_stderr_with_their_exit_status() {
        let f = report::wrong_first_half();
        let (lines, code) = finish(
            &Outcome::Failed(RunError::IncorrectPin { half: 1 }),
            Some(&f),
            false,
        );
        assert_eq!(code, EXIT_FAILED);
        assert!(lines.stdout.is_empty());
        assert!(
            lines.stderr[0].contains("the PIN was incorrect"),
            "{lines:?}"
        );
        assert_eq!(lines.stderr[1], "WPS-FAIL msg=8 config_error=18");
        let code_of = |e| finish(&Outcome::Failed(e), None, false).1;
        assert_eq!(code_of(RunError::NoPassword), EXIT_NO_CREDENTIAL);
        assert_eq!(
            code_of(RunError::TimedOut {
                after: Duration::from_secs(120)
            }),
            EXIT_TIMEOUT
        );
        assert_eq!(code_of(RunError::ApLocked), EXIT_FAILED);
        assert_eq!(code_of(RunError::PbcOverlap), EXIT_FAILED);
    }
}
