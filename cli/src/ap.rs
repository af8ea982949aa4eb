//! `wps ap`: the router. One [`AccessPoint`] (internal registrar for stations, AP PIN
//! for external registrars) on a wired 802.1X port, driven like hostapd: hostapd_cli
//! commands on stdin, hostapd's event lines on stdout, a plain-words log on stderr.
//!
//! ```text
//! wps ap --iface IF --ssid S --passphrase P [--ap-pin PIN] [--uuid UUID]
//!        [--fragment-size N] [--max-sessions N] [--setup-locked] [--no-solicit]
//!        [--multi-ap 1|2|3 [--backhaul-ssid S --backhaul-passphrase P]]
//!        [--upnp-iface IF]
//! ```
//!
//! `--multi-ap` is hostapd's `multi_ap`: with 2 (fronthaul) or 3 (both) and a backhaul
//! network, a backhaul STA that asks for it in M1 gets the backhaul credential
//! (WPA2-PSK, AES) instead of `--ssid`; everybody else gets `--ssid`. With 1 (backhaul
//! only) every enrollee gets `--ssid`, as from hostapd.
//!
//! It prints `AP-ENABLED` once it takes commands and EAPOL frames, and runs until stdin
//! closes (exit 0) or SIGTERM (the default action ends it at once; every line it
//! printed was flushed already). The program holds only I/O: the raw socket, the clock
//! and stdin. Commands and frames arrive over one channel from two reader threads, so
//! a command is answered at once even while the link is quiet.
//!
//! `--upnp-iface` is hostapd's `upnp_iface`: the access point's UPnP device
//! (WFAWLANConfig:1) on that LAN interface (it needs an IPv4 address), for a PC acting
//! as external registrar — `wps er`, wpa_supplicant's `wps_er_*`, Windows. It reads or
//! reconfigures the access point with the AP PIN (`GetDeviceInfo`, `PutMessage`), sets
//! Selected Registrar (`SetSelectedRegistrar`), and registers enrollees the access
//! point relays to it (`WLANEvent` up, `PutWLANResponse` down).

mod command;
mod event;
mod upnp;

use std::net::{Ipv4Addr, SocketAddrV4};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use wps::ap::{AccessPoint, ApConfig, Transmit};
use wps::attr::Uuid;
use wps::message::MultiApMode;
use wps::pin::DevicePassword;
use wps::registration::{MultiApSettings, NetworkSettings};
use wps::time::Lifetime;

use crate::clock::Clock;
use crate::eapol_link::{self, EapolFrame};
use crate::report::{EXIT_IO, EXIT_USAGE, out};
use crate::{args, control, device, lan};

/// `wps ap`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The network interface (a wired 802.1X port), e.g. eth0.
    #[arg(long, value_name = "IF")]
    pub iface: String,
    /// The network handed out: its SSID ...
    #[arg(long, value_name = "S")]
    pub ssid: String,
    /// ... and its WPA2 passphrase (8 to 63 characters, or 64 hex digits).
    #[arg(long, value_name = "P")]
    pub passphrase: String,
    /// The AP PIN external registrars must prove (no expiry; `wps_ap_pin set` changes it).
    #[arg(long, value_name = "PIN", value_parser = args::device_password)]
    pub ap_pin: Option<DevicePassword>,
    /// Our UUID (default: derived from the interface's MAC, as hostapd does).
    #[arg(long, value_parser = args::uuid)]
    pub uuid: Option<Uuid>,
    /// The largest EAP-WSC fragment sent.
    #[arg(long, value_name = "N", value_parser = args::fragment_size, default_value = "1400")]
    pub fragment_size: usize,
    /// At most this many stations in registration at once (the longest-idle one gives
    /// way to a new one).
    #[arg(long, value_name = "N", value_parser = max_sessions, default_value = "16")]
    pub max_sessions: usize,
    /// Refuse external registrars (hostapd's ap_setup_locked=1).
    #[arg(long)]
    pub setup_locked: bool,
    /// Wait for each station's EAPOL-Start instead of asking the wired port every second.
    #[arg(long)]
    pub no_solicit: bool,
    /// hostapd's multi_ap: 1 backhaul BSS, 2 fronthaul BSS, 3 both. A fronthaul BSS hands
    /// a backhaul STA the backhaul network instead of --ssid.
    #[arg(long, value_name = "1|2|3", value_parser = multi_ap_mode)]
    pub multi_ap: Option<MultiApMode>,
    /// The backhaul network (with --multi-ap; required with 2 and 3): its SSID ...
    #[arg(
        long,
        value_name = "S",
        requires_all = ["multi_ap", "backhaul_passphrase"],
        required_if_eq_any = [("multi_ap", "2"), ("multi_ap", "3")],
    )]
    pub backhaul_ssid: Option<String>,
    /// ... and its WPA2 passphrase (8 to 63 characters, or 64 hex digits).
    #[arg(long, value_name = "P", requires = "backhaul_ssid")]
    pub backhaul_passphrase: Option<String>,
    /// hostapd's upnp_iface: serve external registrars (PCs) over UPnP on this LAN
    /// interface (it needs an IPv4 address).
    #[arg(long, value_name = "IF")]
    pub upnp_iface: Option<String>,
}

fn multi_ap_mode(text: &str) -> Result<MultiApMode, String> {
    text.parse::<u8>()
        .ok()
        .and_then(|n| MultiApMode::from_config(n).ok())
        .ok_or_else(|| format!("{text:?}: want 1 (backhaul), 2 (fronthaul) or 3 (both)"))
}

fn max_sessions(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("{text:?}: want a number of sessions, at least 1")),
    }
}

/// How often an idle wired port is asked for a station (EAP-Request/Identity).
const SOLICIT_EVERY: Duration = Duration::from_secs(1);

/// What the main loop waits for.
enum Input {
    /// A command line from stdin.
    Line(String),
    /// stdin closed.
    Eof,
    /// An EAPOL frame from the link.
    Frame(EapolFrame),
    /// The link failed.
    LinkError(std::io::Error),
    /// An SSDP datagram (`--upnp-iface`).
    Datagram { from: SocketAddrV4, bytes: Vec<u8> },
    /// The bytes so far on a connection to our HTTP server; the answer goes back on
    /// `reply`.
    Request {
        from: Ipv4Addr,
        buf: Vec<u8>,
        closed: bool,
        reply: lan::Responder,
    },
    /// How an event delivery went (a 2xx answer or not).
    Delivered { sid: Uuid, ok: bool },
    /// An input the UPnP side has served.
    Served,
}

/// Runs the access point until stdin closes (exit 0); 5 when the interface fails, 2 for
/// unusable settings.
pub fn run(args: Args) -> ExitCode {
    let network =
        match NetworkSettings::wpa2_personal(args.ssid.as_bytes(), args.passphrase.as_bytes()) {
            Ok(n) => n,
            Err(e) => {
                eprintln!("wps ap: --ssid / --passphrase: {e}");
                return ExitCode::from(EXIT_USAGE);
            }
        };
    let multi_ap = match (
        args.multi_ap,
        &args.backhaul_ssid,
        &args.backhaul_passphrase,
    ) {
        (Some(mode), Some(ssid), Some(passphrase)) => {
            match MultiApSettings::new(mode, ssid.as_bytes(), passphrase.as_bytes()) {
                Ok(m) => Some(m),
                Err(e) => {
                    eprintln!("wps ap: --backhaul-ssid / --backhaul-passphrase: {e}");
                    return ExitCode::from(EXIT_USAGE);
                }
            }
        }
        // --multi-ap 1 alone: a backhaul BSS hands out no backhaul credential, so its
        // registrar is an ordinary one (clap requires the network with 2 and 3).
        _ => None,
    };
    let (mut tx, rx) = match eapol_link::open(&args.iface) {
        Ok(link) => link,
        Err(e) => {
            eprintln!("wps ap: {}: {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
    };
    let mac = tx.mac();
    let uuid = args.uuid.unwrap_or_else(|| Uuid::from_mac(mac));
    let who = device::access_point(mac, uuid);
    let mut config = ApConfig::new(who.clone(), vec![network]);
    config.setup_locked = args.setup_locked;
    config.fragment_size = args.fragment_size;
    config.max_sessions = args.max_sessions;
    config.solicit_every = (!args.no_solicit).then_some(SOLICIT_EVERY);
    config.multi_ap = multi_ap;
    let clock = Clock::start();
    let mut ap = AccessPoint::new(config, rand::rng(), clock.now());
    if let Some(pin) = args.ap_pin {
        ap.set_ap_pin(pin, Lifetime::Forever, clock.now());
    }
    eprintln!("{} {mac} uuid {uuid}", args.iface);

    let (inputs_tx, inputs) = mpsc::channel();
    let mut lan = match &args.upnp_iface {
        Some(iface) => match upnp::Lan::open(iface, &who, &inputs_tx, clock.now()) {
            Ok(l) => Some(l),
            Err(e) => {
                eprintln!("wps ap: --upnp-iface {iface}: {e}");
                return ExitCode::from(EXIT_IO);
            }
        },
        None => None,
    };
    control::read_stdin(inputs_tx.clone(), Input::Line, Input::Eof);
    read_link(rx, inputs_tx.clone());
    out("AP-ENABLED");

    let mut dropped = 0u64;
    loop {
        if let Some(lan) = &mut lan {
            lan.flush(&mut ap, &inputs_tx, clock.now());
        }
        if let Err(e) = flush(&mut ap, &mut tx) {
            eprintln!("wps ap: {}: {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
        let upnp_deadline = lan.as_ref().and_then(upnp::Lan::poll_timeout);
        let deadline = [ap.poll_timeout(), upnp_deadline]
            .into_iter()
            .flatten()
            .min();
        let input = clock.recv_until(&inputs, deadline);
        let now = clock.now();
        // the UPnP side's inputs are served there
        let input = match (input, lan.as_mut()) {
            (Ok(i), Some(l)) => l.handle(i, &mut ap, now).map_or(Ok(Input::Served), Ok),
            (other, _) => other,
        };
        match input {
            Ok(Input::Served) => {}
            Ok(Input::Line(line)) => {
                control::answer(&line, command::parse, |c| command::execute(c, &mut ap, now));
            }
            Ok(Input::Frame(f)) => {
                if let Err(why) = ap.handle_eapol(f.src, &f.eapol, now) {
                    dropped = dropped.saturating_add(1);
                    eprintln!("dropped a frame from {}: {why}", f.src);
                }
            }
            Ok(Input::LinkError(e)) => {
                eprintln!("wps ap: {}: {e}", args.iface);
                return ExitCode::from(EXIT_IO);
            }
            Ok(Input::Eof) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            // only with --upnp-iface, served above
            Ok(Input::Datagram { .. } | Input::Request { .. } | Input::Delivered { .. }) => {}
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let now = clock.now();
        if ap.poll_timeout().is_some_and(|deadline| deadline <= now) {
            ap.handle_timeout(now);
        }
        if let Some(lan) = &mut lan {
            lan.handle_timeout(now);
        }
    }
    if let Some(lan) = &mut lan {
        lan.shut_down(clock.now());
        lan.flush(&mut ap, &inputs_tx, clock.now());
    }
    if let Err(e) = flush(&mut ap, &mut tx) {
        eprintln!("wps ap: {}: {e}", args.iface);
        return ExitCode::from(EXIT_IO);
    }
    eprintln!("stdin closed; {dropped} frames dropped");
    ExitCode::SUCCESS
}

/// Sends what the access point wants sent and prints its events.
fn flush<R: rand::CryptoRng>(
    ap: &mut AccessPoint<R>,
    tx: &mut eapol_link::Sender,
) -> std::io::Result<()> {
    while let Some(Transmit { to, eapol }) = ap.poll_transmit() {
        tx.send(to, &eapol)?;
    }
    while let Some(e) = ap.poll_event() {
        let printed = event::lines(&e);
        for line in &printed.stdout {
            out(line);
        }
        if let Some(log) = printed.log {
            eprintln!("{log}");
        }
    }
    Ok(())
}

/// The link's frames, in their own thread.
fn read_link(mut rx: eapol_link::Receiver, to: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        loop {
            let input = match rx.recv(Duration::from_secs(1)) {
                Ok(Some(frame)) => Input::Frame(frame),
                Ok(None) => continue,
                Err(e) => Input::LinkError(e),
            };
            let failed = matches!(input, Input::LinkError(_));
            if to.send(input).is_err() || failed {
                return;
            }
        }
    });
}
