//! What the EAPOL example programs share on top of `eapol_link`: argument
//! parsing, the glue between the EAP-WSC drivers and the registration
//! machines, how results are printed, and the authenticator event loop.
//!
//! Include it with `#[path = "common/wsc.rs"] mod wsc;` next to `eapol_link`.

// Each example uses a different part of this module.
#![allow(dead_code)]

use std::process::ExitCode;
use std::time::{Duration, Instant as StdInstant};

use crate::eapol_link::{EapolLink, Mac, format_mac};
use wps::attr::{MacAddr, MessageType, Uuid};
use wps::eap::{
    Action, DriverError, EapolPacket, EapolType, Outcome, PAE_GROUP_ADDR, ServerRole, WscHandler,
    WscServer, eapol_header,
};
use wps::pin::DevicePassword;
use wps::registration::{Credential, DeviceInfo, Failure, NetworkSettings, Outgoing};

/// Exit status when the registration protocol failed (NACK, bad message).
pub const EXIT_FAILED: u8 = 1;
/// Exit status for a bad command line.
pub const EXIT_USAGE: u8 = 2;
/// Exit status when the run ended as the protocol allows but handed over no
/// credential: the registrar had no password for the enrollee (M2D), or an
/// external registrar only read the AP's settings (WSC_NACK after M7).
pub const EXIT_NO_CREDENTIAL: u8 = 3;
/// Exit status when the other side stopped answering or `--timeout` passed.
pub const EXIT_TIMEOUT: u8 = 4;
/// Exit status when the interface could not be used.
pub const EXIT_IO: u8 = 5;

/// Command-line arguments: `--name value` pairs and bare `--flag`s.
pub struct Args(Vec<String>);

impl Args {
    pub fn from_env() -> Args {
        Args(std::env::args().skip(1).collect())
    }

    /// The value after `--name`.
    pub fn value(&self, name: &str) -> Option<&str> {
        let i = self.0.iter().position(|a| a == name)?;
        self.0.get(i + 1).map(String::as_str)
    }

    pub fn flag(&self, name: &str) -> bool {
        self.0.iter().any(|a| a == name)
    }

    /// `--timeout SECS`, else `default`.
    pub fn timeout(&self, default: u64) -> Result<Duration, String> {
        match self.value("--timeout") {
            None => Ok(Duration::from_secs(default)),
            Some(s) => s
                .parse()
                .map(Duration::from_secs)
                .map_err(|_| format!("--timeout {s}: not a number of seconds")),
        }
    }

    /// `--fragment-size N` (the largest EAP-WSC fragment we send), else 1400.
    pub fn fragment_size(&self) -> Result<usize, String> {
        match self.value("--fragment-size") {
            None => Ok(wps::eap::DEFAULT_FRAGMENT_SIZE),
            Some(s) => s
                .parse()
                .map_err(|_| format!("--fragment-size {s}: not a number")),
        }
    }

    /// Every word that is not a known option or its value.
    pub fn unknown(&self, with_value: &[&str], flags: &[&str]) -> Option<&str> {
        let mut it = self.0.iter();
        while let Some(a) = it.next() {
            if with_value.contains(&a.as_str()) {
                it.next();
            } else if !flags.contains(&a.as_str()) {
                return Some(a);
            }
        }
        None
    }
}

/// A PIN as typed: 4 or 8 digits. The checksum is not checked, so a wrong
/// PIN can be tried on purpose.
pub fn parse_pin(text: &str) -> Result<DevicePassword, String> {
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if !digits || !(text.len() == 4 || text.len() == 8) {
        return Err(format!("PIN {text:?}: want 4 or 8 digits"));
    }
    DevicePassword::from_bytes(text.as_bytes()).map_err(|e| format!("PIN {text:?}: {e}"))
}

/// The UUID hostapd and wpa_supplicant derive from a MAC address when none is
/// configured (`Uuid::from_mac`), so one machine keeps one identity across runs.
pub fn uuid_from_mac(mac: &Mac) -> Uuid {
    Uuid::from_mac(MacAddr(*mac))
}

/// Our device attributes for M1 / M2: wpa_supplicant's defaults (see
/// `DeviceInfo::new`) with this program's names.
pub fn device(mac: &Mac, name: &str) -> DeviceInfo {
    let mut d = DeviceInfo::new(uuid_from_mac(mac), MacAddr(*mac), name);
    d.manufacturer = b"wps-rs".to_vec();
    d.model_name = name.as_bytes().to_vec();
    d.model_number = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    d.serial_number = format_mac(mac).replace(':', "").into_bytes();
    d
}

/// Milliseconds since the program started, as the registration machines count.
pub fn instant(since_start: Duration) -> wps::time::Instant {
    wps::time::Instant::from_millis(u64::try_from(since_start.as_millis()).unwrap_or(u64::MAX))
}

/// What a registration machine's answer means to the EAP driver: a reply to
/// send; without one, the end of the run if the machine says it is over, else
/// "drop this message" (the other side retransmits).
pub fn outcome(reply: Option<Outgoing>, finished: bool) -> Outcome {
    match reply {
        Some(o) => {
            eprintln!("  -> {}", name(o.message_type));
            Outcome::Send {
                op_code: o.op_code,
                message: o.bytes,
            }
        }
        None if finished => Outcome::Finished,
        None => Outcome::Ignore,
    }
}

/// The message type of a received WSC message, for the log.
pub fn received(message: &[u8]) -> String {
    wps::attr::Attributes::parse(message)
        .ok()
        .and_then(|a| a.message_type())
        .map_or_else(|| "?".to_string(), name)
}

fn name(t: MessageType) -> String {
    t.to_string()
}

/// `"text"` as a JSON string. The bytes are decoded as UTF-8; invalid
/// sequences become U+FFFD (SSIDs and passphrases are text in practice; a
/// 64-hex-digit PSK is text too).
pub fn json_string(bytes: &[u8]) -> String {
    let mut s = String::from("\"");
    for c in String::from_utf8_lossy(bytes).chars() {
        match c {
            '"' => s.push_str("\\\""),
            '\\' => s.push_str("\\\\"),
            c if (c as u32) < 0x20 => s.push_str(&format!("\\u{:04x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push('"');
    s
}

/// The credential as one JSON line:
/// `{"ssid":"…","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"…","mac":"aa:bb:…"}`.
/// `auth_type` / `encr_type` are the flag names of the WSC spec (hostapd's
/// `WPA2-PSK`, `AES`, `Open`, `None`, …; several flags are joined by `" | "`).
pub fn credential_json(c: &Credential) -> String {
    format!(
        "{{\"ssid\":{},\"auth_type\":{},\"encr_type\":{},\"network_key\":{},\"mac\":\"{}\"}}",
        json_string(c.ssid()),
        json_string(c.auth_type().to_string().as_bytes()),
        json_string(c.encr_type().to_string().as_bytes()),
        json_string(c.network_key()),
        format_mac(&c.mac().0),
    )
}

/// A failure in hostapd's `WPS-FAIL` words, plus what the numbers mean:
/// `WPS-FAIL msg=8 (M4) config_error=18 (Device password authentication failure) reason=…`.
pub fn failure_line(f: &Failure) -> String {
    format!(
        "WPS-FAIL msg={} ({}) config_error={} ({}) reason={:?}",
        f.message.map_or(0, u8::from),
        f.message
            .map_or_else(|| "none".to_string(), |m| m.to_string()),
        u16::from(f.config_error),
        f.config_error.description(),
        f.reason,
    )
}

/// `eapol(version, type, body)`: one EAPOL PDU.
pub fn eapol(version: u8, ty: EapolType, body: &[u8]) -> Vec<u8> {
    let len = u16::try_from(body.len()).unwrap_or(u16::MAX);
    let mut v = eapol_header(version, ty, len).to_vec();
    v.extend_from_slice(body);
    v
}

/// A registration machine behind an EAP server that can be started over
/// when the station sends EAPOL-Start again.
pub trait Run: WscHandler {
    /// Forget the current run and be ready for a new one.
    fn restart(&mut self, now: wps::time::Instant);
    /// Whether the run reached its end (success or failure).
    fn is_finished(&self) -> bool;
}

/// How [`serve`] ended.
#[derive(Debug)]
pub enum Served {
    /// The EAP server finished: EAP-Failure sent (every WSC run ends so), or
    /// the station stopped answering (reason `Timeout`).
    Finished(Option<DriverError>),
    /// `timeout` passed.
    TimedOut,
}

/// The authenticator: EAP-WSC server for one station on `link`.
///
/// Until a station shows up it sends an EAP-Request/Identity to the PAE
/// group address every second (so a supplicant need not wait for its
/// EAPOL-Start timer); an EAPOL-Start (re)starts the conversation with its
/// sender. Returns once the server has finished or `timeout` has passed.
pub fn serve<R: Run>(
    link: &mut EapolLink,
    role: ServerRole,
    fragment_size: usize,
    timeout: Duration,
    t0: StdInstant,
    run: &mut R,
) -> Result<Served, Box<dyn std::error::Error>> {
    const EAPOL_VERSION: u8 = 2;
    let mut server = WscServer::new(role, fragment_size, 1)?;
    let mut station: Option<Mac> = None;
    let mut next_probe = Duration::ZERO;
    let send = |link: &mut EapolLink, to: Mac, eap: &[u8]| {
        link.send(to, &eapol(EAPOL_VERSION, EapolType::EapPacket, eap))
    };
    loop {
        let elapsed = t0.elapsed();
        let now = instant(elapsed);
        if elapsed >= timeout {
            return Ok(Served::TimedOut);
        }
        match (station, server.poll(now)) {
            (Some(sta), Action::Send(req)) => {
                eprintln!("retransmitting to {}", format_mac(&sta));
                send(link, sta, req)?;
            }
            (_, Action::Finished) => return Ok(Served::Finished(server.failure_reason())),
            _ => {}
        }
        if station.is_none() && elapsed >= next_probe {
            next_probe = elapsed + Duration::from_secs(1);
            if let Action::Send(req) = server.start(now) {
                send(link, PAE_GROUP_ADDR, req)?;
            }
        }
        let Some(f) = link.recv(Duration::from_millis(100))? else {
            continue;
        };
        let Ok(p) = EapolPacket::parse(&f.eapol) else {
            continue;
        };
        let now = instant(t0.elapsed());
        let reply = match p.packet_type {
            EapolType::Start => {
                eprintln!("EAPOL-Start from {}", format_mac(&f.src));
                station = Some(f.src);
                run.restart(now);
                match server.start(now) {
                    Action::Send(b) => Some(b.to_vec()),
                    _ => None,
                }
            }
            EapolType::EapPacket if station.is_none_or(|s| s == f.src) => {
                match server.receive(p.body, now, run) {
                    Ok(Action::Send(b)) => {
                        if station.is_none() {
                            eprintln!("station {} answered", format_mac(&f.src));
                            station = Some(f.src);
                        }
                        Some(b.to_vec())
                    }
                    Ok(_) => None,
                    Err(e) => {
                        eprintln!("dropped EAP packet: {e}");
                        None
                    }
                }
            }
            _ => None,
        };
        if let (Some(sta), Some(req)) = (station, reply) {
            send(link, sta, &req)?;
        }
        if server.is_finished() {
            return Ok(Served::Finished(server.failure_reason()));
        }
    }
}

/// Exit with `code` after printing `msg` to stderr.
pub fn exit(code: u8, msg: &str) -> ExitCode {
    eprintln!("{msg}");
    ExitCode::from(code)
}

/// The device password an authenticator-side program was given.
pub enum PasswordArg {
    /// `--pin PIN` / `--ap-pin PIN`.
    Pin(DevicePassword),
    /// `--pbc`: push-button (password `00000000`, Device Password ID 4).
    PushButton,
    /// `--no-pin`: no password at all; a registrar answers M1 with M2D.
    NoPin,
}

/// The command line both authenticator-side programs take:
/// `--iface IF <PIN_FLAG> PIN --ssid S --passphrase P [--timeout SECS] [--fragment-size N]`,
/// where a registrar may give `--pbc` or `--no-pin` instead of the PIN.
pub struct AuthenticatorArgs {
    pub iface: String,
    pub password: PasswordArg,
    pub network: NetworkSettings,
    pub timeout: Duration,
    pub fragment_size: usize,
}

impl AuthenticatorArgs {
    /// Reads the command line; on a mistake prints why and gives the exit code to use.
    /// `registrar`: `--pbc` and `--no-pin` may replace `pin_flag PIN`.
    pub fn from_env(
        pin_flag: &str,
        registrar: bool,
        usage: &str,
    ) -> Result<AuthenticatorArgs, ExitCode> {
        let args = Args::from_env();
        let options = [
            "--iface",
            pin_flag,
            "--ssid",
            "--passphrase",
            "--timeout",
            "--fragment-size",
        ];
        let flags: &[&str] = if registrar {
            &["--pbc", "--no-pin"]
        } else {
            &[]
        };
        if let Some(word) = args.unknown(&options, flags) {
            return Err(exit(EXIT_USAGE, &format!("unexpected {word:?}\n{usage}")));
        }
        let password = match (
            args.value(pin_flag),
            args.flag("--pbc"),
            args.flag("--no-pin"),
        ) {
            (Some(pin), false, false) => parse_pin(pin).map(PasswordArg::Pin),
            (None, true, false) => Ok(PasswordArg::PushButton),
            (None, false, true) => Ok(PasswordArg::NoPin),
            _ if registrar => Err(format!(
                "give exactly one of {pin_flag} PIN, --pbc and --no-pin"
            )),
            _ => Err(format!("{pin_flag} PIN is missing")),
        };
        let (Some(iface), Some(ssid), Some(passphrase)) = (
            args.value("--iface"),
            args.value("--ssid"),
            args.value("--passphrase"),
        ) else {
            return Err(exit(EXIT_USAGE, usage));
        };
        let (Ok(password), Ok(network), Ok(timeout), Ok(fragment_size)) = (
            password.map_err(|e| eprintln!("{e}")),
            NetworkSettings::wpa2_personal(ssid.as_bytes(), passphrase.as_bytes())
                .map_err(|e| eprintln!("--ssid / --passphrase: {e}")),
            args.timeout(60).map_err(|e| eprintln!("{e}")),
            args.fragment_size().map_err(|e| eprintln!("{e}")),
        ) else {
            return Err(exit(EXIT_USAGE, usage));
        };
        Ok(AuthenticatorArgs {
            iface: iface.to_owned(),
            password,
            network,
            timeout,
            fragment_size,
        })
    }
}

/// Opens the interface and says which MAC and UUID this program speaks with.
pub fn open_link(iface: &str) -> Result<(EapolLink, Mac), ExitCode> {
    let link = EapolLink::open(iface).map_err(|e| exit(EXIT_IO, &format!("{iface}: {e}")))?;
    let mac = link.mac();
    eprintln!("{iface} {} uuid {}", format_mac(&mac), uuid_from_mac(&mac));
    Ok((link, mac))
}
