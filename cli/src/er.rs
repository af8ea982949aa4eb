//! `wps er`: the PC as an external registrar over UPnP (WFAWLANConfig:1), driven like
//! wpa_supplicant's ER: wpa_cli's `wps_er_*` commands on stdin, wpa_supplicant's
//! `WPS-ER-…` event lines on stdout, a plain-words log on stderr.
//!
//! ```text
//! wps er --iface IF [--uuid UUID] [--port N]
//! ```
//!
//! On start it searches the interface's subnet (SSDP `M-SEARCH` to
//! 239.255.255.250:1900 from the interface's IPv4 address), and for every access point
//! that answers it reads the description, asks for its M1 and subscribes to its
//! events (`WPS-ER-AP-ADD`). The commands, with wpa_supplicant's arguments:
//!
//! ```text
//! wps_er_pin any|UUID PIN [MAC]     accept that enrollee, relayed by the access points
//! wps_er_pbc UUID|MAC               push-button for the next enrollee
//! wps_er_learn UUID|any AP_PIN      read an access point's settings (WPS-ER-AP-SETTINGS)
//! wps_er_config UUID|any AP_PIN SSID_HEX AUTH ENCR KEY_HEX
//!                                   give it new settings (AUTH OPEN|WPAPSK|WPA2PSK,
//!                                   ENCR NONE|WEP|TKIP|CCMP; SSID and key in hex)
//! wps_er_stop                       unsubscribe from every access point
//! ```
//!
//! As in wpa_supplicant, an enrollee gets the settings learned from its access point,
//! so `wps_er_learn` comes before `wps_er_pin`.
//!
//! The program holds only I/O: one UDP socket for SSDP (bound to the interface's
//! address, so the kernel sends the multicast `M-SEARCH` out of that interface and the
//! unicast answers come back to it), a second one on port 1900 joined to the group on
//! that interface for `NOTIFY` announcements (best effort: without it, access points
//! are still found by the search), a TCP listener on the interface's address for the
//! access points' event `NOTIFY`s, one short-lived TCP connection per request the
//! library asks for, the clock and stdin. Everything arrives in the main loop over one
//! channel from reader threads. It runs until stdin closes (exit 0).

mod command;
mod event;

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, UdpSocket};
use std::process::ExitCode;
use std::sync::mpsc;
use std::time::Duration;

use wps::attr::Uuid;
use wps::upnp::external::ExternalRegistrar;
use wps::upnp::registrar::{ErConfig, Request, RequestId};

use crate::clock::Clock;
use crate::lan::{self, Limits, Responder, SSDP_GROUP, SSDP_PORT, unix_seconds};
use crate::report::{EXIT_IO, out};
use crate::{args, control, device};

/// `wps er`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The network interface on the access points' LAN (it needs an IPv4 address).
    #[arg(long, value_name = "IF")]
    pub iface: String,
    /// Our UUID (UUID-R; default: derived from the interface's MAC, as wpa_supplicant
    /// does).
    #[arg(long, value_parser = args::uuid)]
    pub uuid: Option<Uuid>,
    /// The TCP port of our event callback server (0: any free port).
    #[arg(long, value_name = "N", default_value = "0")]
    pub port: u16,
}

/// How long one HTTP request to an access point may take (connect, send, answer).
const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a connection to our callback server may stay quiet.
const NOTIFY_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read from an access point (the library bounds what it parses;
/// this bounds what is buffered).
const MAX_ANSWER: u64 = 256 * 1024;
/// The largest request buffered from a connection to the callback server.
const MAX_NOTIFY: usize = 256 * 1024;
/// The most connections to the callback server at once.
const MAX_CALLBACKS: usize = 16;

/// What the main loop waits for.
enum Input {
    /// A command line from stdin.
    Line(String),
    /// stdin closed.
    Eof,
    /// An SSDP datagram (an answer to our search, or an announcement).
    Datagram(Vec<u8>),
    /// The bytes so far on a connection to the callback server; the answer goes back
    /// on `reply`.
    Notify {
        buf: Vec<u8>,
        closed: bool,
        reply: Responder,
    },
    /// The answer to a request (or why there is none).
    Answer {
        id: RequestId,
        answer: std::io::Result<Vec<u8>>,
    },
}

/// Runs the external registrar until stdin closes (exit 0); 5 when the interface or a
/// socket cannot be used.
pub fn run(args: Args) -> ExitCode {
    let (address, _, mac) = match lan::interface(&args.iface) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("wps er: {}: {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
    };
    let sockets = (|| -> std::io::Result<_> {
        let ssdp = UdpSocket::bind(SocketAddrV4::new(address, 0))?;
        ssdp.set_multicast_ttl_v4(2)?;
        let listener = TcpListener::bind(SocketAddrV4::new(address, args.port))?;
        Ok((ssdp, listener))
    })();
    let (ssdp, listener) = match sockets {
        Ok(s) => s,
        Err(e) => {
            eprintln!("wps er: {} ({address}): {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
    };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            eprintln!("wps er: {}: {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
    };
    let uuid = args.uuid.unwrap_or_else(|| Uuid::from_mac(mac));
    let clock = Clock::start();
    let info = device::named(mac, uuid, "wps-rs er");
    let event_id = rand::random::<u32>();
    let mut er = ExternalRegistrar::new(info, ErConfig::new(address, port, event_id), rand::rng());
    eprintln!(
        "{} {mac} {address}, callback port {port}, uuid {uuid}",
        args.iface
    );

    let (inputs_tx, inputs) = mpsc::channel();
    control::read_stdin(inputs_tx.clone(), Input::Line, Input::Eof);
    match ssdp.try_clone() {
        Ok(s) => lan::read_datagrams(s, inputs_tx.clone(), datagram),
        Err(e) => {
            eprintln!("wps er: {}: {e}", args.iface);
            return ExitCode::from(EXIT_IO);
        }
    }
    match announcements(address) {
        Ok(s) => lan::read_datagrams(s, inputs_tx.clone(), datagram),
        Err(e) => eprintln!(
            "not listening for announcements on {SSDP_GROUP}:{SSDP_PORT} ({e}); searching only"
        ),
    }
    let limits = Limits {
        timeout: NOTIFY_TIMEOUT,
        max_request: MAX_NOTIFY,
        max_connections: MAX_CALLBACKS,
    };
    lan::serve(listener, inputs_tx.clone(), limits, notify);

    loop {
        flush(&mut er, &ssdp, &inputs_tx);
        let input = clock.recv_until(&inputs, er.poll_timeout());
        let now = clock.now();
        match input {
            Ok(Input::Line(line)) => {
                control::answer(&line, command::parse, |c| command::execute(c, &mut er, now));
            }
            Ok(Input::Datagram(bytes)) => er.handle_datagram(&bytes, now),
            Ok(Input::Notify { buf, closed, reply }) => {
                reply.answer(er.handle_notify(&buf, closed, now, unix_seconds()));
            }
            Ok(Input::Answer { id, answer }) => match answer {
                Ok(bytes) => er.handle_response(id, &bytes, now),
                Err(e) => {
                    eprintln!("request {} failed: {e}", id.0);
                    er.request_failed(id, now);
                }
            },
            Ok(Input::Eof) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        let now = clock.now();
        if er.poll_timeout().is_some_and(|deadline| deadline <= now) {
            er.handle_timeout(now);
        }
    }
    // Leave the access points as wps_er_stop does, and give the UNSUBSCRIBEs a moment.
    er.stop();
    flush(&mut er, &ssdp, &inputs_tx);
    std::thread::sleep(Duration::from_millis(200));
    eprintln!("stdin closed");
    ExitCode::SUCCESS
}

/// Sends what the registrar wants sent, starts its requests and prints its events.
fn flush<R: rand::CryptoRng>(
    er: &mut ExternalRegistrar<R>,
    ssdp: &UdpSocket,
    inputs: &mpsc::Sender<Input>,
) {
    while let Some(datagram) = er.poll_datagram() {
        if let Err(e) = ssdp.send_to(datagram.as_bytes(), (SSDP_GROUP, SSDP_PORT)) {
            eprintln!("M-SEARCH not sent: {e}");
        }
    }
    while let Some(request) = er.poll_request() {
        exchange(request, inputs.clone());
    }
    while let Some(e) = er.poll_event() {
        out(&event::line(&e));
    }
}

/// A socket on port 1900 in the SSDP group on the interface with `address`.
fn announcements(address: Ipv4Addr) -> std::io::Result<UdpSocket> {
    let s = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, SSDP_PORT))?;
    s.join_multicast_v4(&SSDP_GROUP, &address)?;
    Ok(s)
}

/// One HTTP request in its own thread: connect, send, read the answer until the access
/// point closes; every step within [`REQUEST_TIMEOUT`].
fn exchange(request: Request, to: mpsc::Sender<Input>) {
    std::thread::spawn(move || {
        let answer = lan::exchange(
            &request.to,
            request.bytes.as_bytes(),
            REQUEST_TIMEOUT,
            MAX_ANSWER,
        );
        let _ = to.send(Input::Answer {
            id: request.id,
            answer,
        });
    });
}

fn datagram(_: SocketAddrV4, bytes: Vec<u8>) -> Input {
    Input::Datagram(bytes)
}

fn notify(_: Ipv4Addr, buf: Vec<u8>, closed: bool, reply: Responder) -> Input {
    Input::Notify { buf, closed, reply }
}
