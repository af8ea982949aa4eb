//! Interop plumbing check until the registration state machines land: runs
//! the real EAPOL transport and the EAP-WSC drivers of this crate against
//! hostapd or wpa_supplicant, up to the first message that needs the
//! registration protocol, then stops.
//!
//!   eapol_stub --iface IF --role enrollee    station side, against hostapd:
//!       EAPOL-Start, Identity "WFA-SimpleConfig-Enrollee-1-0", waits for WSC_Start
//!   eapol_stub --iface IF --role registrar   authenticator side, against wpa_supplicant:
//!       waits for EAPOL-Start, Identity Request, WSC_Start, waits for M1
//!   eapol_stub --iface IF --role ap-enrollee  authenticator side, against a
//!       wpa_supplicant external Registrar: Identity Request, gets
//!       "WFA-SimpleConfig-Registrar-1-0", reaches the point where M1 is due
//!
//! Prints `STUB-OK <what was reached>` and exits 3 (so a script cannot mistake
//! it for a real success); exits 1 when the plumbing itself failed.

#[path = "common/eapol_link.rs"]
mod eapol_link;

use std::process::ExitCode;
use std::time::{Duration, Instant};

use eapol_link::{EapolLink, format_mac};
use wps::eap::{
    Action, EapolPacket, EapolType, OpCode, Outcome, PeerRole, ServerRole, WscHandler, WscPeer,
    WscServer, eapol_header,
};

/// Stands where the Enrollee / Registrar machine will be: records what it got.
#[derive(Default)]
struct Stub {
    reached: Option<(OpCode, usize)>,
}

impl WscHandler for Stub {
    fn handle(&mut self, op_code: OpCode, message: &[u8], _now: Duration) -> Outcome {
        self.reached = Some((op_code, message.len()));
        Outcome::Finished
    }
}

fn eapol(version: u8, ty: EapolType, body: &[u8]) -> Vec<u8> {
    let mut v = eapol_header(version, ty, body.len() as u16).to_vec();
    v.extend_from_slice(body);
    v
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let (Some(iface), Some(role)) = (arg("--iface"), arg("--role")) else {
        eprintln!(
            "usage: eapol_stub --iface IF --role enrollee|registrar|ap-enrollee [--timeout SECS]"
        );
        return ExitCode::from(2);
    };
    let timeout = Duration::from_secs(arg("--timeout").and_then(|s| s.parse().ok()).unwrap_or(20));
    match run(&iface, &role, timeout) {
        Ok(what) => {
            println!("STUB-OK {what}");
            ExitCode::from(3)
        }
        Err(e) => {
            eprintln!("eapol_stub: {e}");
            ExitCode::from(1)
        }
    }
}

fn run(iface: &str, role: &str, timeout: Duration) -> Result<String, Box<dyn std::error::Error>> {
    let mut link = EapolLink::open(iface)?;
    eprintln!("{iface} {}", format_mac(&link.mac()));
    let t0 = Instant::now();
    let mut stub = Stub::default();
    match role {
        "enrollee" => {
            let mut peer = WscPeer::new(PeerRole::Enrollee, 1400)?;
            link.send_to_group(&eapol(1, EapolType::Start, &[]))?;
            while t0.elapsed() < timeout {
                let Some(f) = link.recv(Duration::from_millis(500))? else {
                    continue;
                };
                let p = EapolPacket::parse(&f.eapol)?;
                if p.packet_type != EapolType::EapPacket {
                    continue;
                }
                let version = p.version;
                match peer.receive(p.body, t0.elapsed(), &mut stub) {
                    Ok(Action::Send(resp)) => {
                        let frame = eapol(version, EapolType::EapPacket, resp);
                        link.send_to_group(&frame)?
                    }
                    Ok(_) => {}
                    Err(e) => eprintln!("dropped: {e}"),
                }
                if let Some((op, len)) = stub.reached {
                    return Ok(format!(
                        "enrollee reached {op:?} ({len} bytes) from {}",
                        format_mac(&f.src)
                    ));
                }
            }
            Err("timed out before WSC_Start".into())
        }
        "registrar" | "ap-enrollee" => {
            let server_role = if role == "registrar" {
                ServerRole::Registrar
            } else {
                ServerRole::Enrollee
            };
            let mut server = WscServer::new(server_role, 1400, 1)?;
            let mut station = None;
            while t0.elapsed() < timeout {
                let now = t0.elapsed();
                if let (Some(sta), Action::Send(req)) = (station, server.poll(now)) {
                    link.send(sta, &eapol(2, EapolType::EapPacket, req))?;
                }
                let Some(f) = link.recv(Duration::from_millis(200))? else {
                    continue;
                };
                let p = EapolPacket::parse(&f.eapol)?;
                let reply = match p.packet_type {
                    EapolType::Start => {
                        station = Some(f.src);
                        match server.start(t0.elapsed()) {
                            Action::Send(b) => Some(b.to_vec()),
                            _ => None,
                        }
                    }
                    EapolType::EapPacket if station == Some(f.src) => {
                        match server.receive(p.body, t0.elapsed(), &mut stub) {
                            Ok(Action::Send(b)) => Some(b.to_vec()),
                            Ok(_) => None,
                            Err(e) => {
                                eprintln!("dropped: {e}");
                                None
                            }
                        }
                    }
                    _ => None,
                };
                if let (Some(sta), Some(req)) = (station, reply) {
                    link.send(sta, &eapol(2, EapolType::EapPacket, &req))?;
                }
                if let Some((op, len)) = stub.reached {
                    return Ok(format!(
                        "{role} reached {op:?} ({len} bytes) from {}",
                        format_mac(&f.src)
                    ));
                }
            }
            Err("timed out before M1".into())
        }
        other => Err(format!("unknown role {other}").into()),
    }
}
