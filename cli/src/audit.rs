//! `wps audit FILE`: a device maker's self-audit (the library's `audit` module) of the
//! device's own runs. FILE lists the runs, each a capture and the secrets the device
//! logged for it:
//!
//! ```text
//! # lines: [run NAME], then key = value; '#' starts a comment
//! [run first]
//! capture = first.pcap        # classic pcap of the EAPOL frames, relative to FILE
//! side = enrollee             # or registrar: the device's side
//! e_s1 = 0123...              # E-S1 as the device logged it, 32 hex digits
//! e_s2 = 4567...              # E-S2 (a registrar logs r_s1 and r_s2)
//! label_pin = 12345670        # optional: the PIN on the device's label
//! ```
//!
//! Prints one line per finding; exit status 1 when anything is flagged, 2 on a file
//! that cannot be read.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use wps::audit::{Run, Side, audit};
use wps::eap::{
    Body, ETHERTYPE_EAPOL, EapPacket, EapolPacket, EapolType, OpCode, Reassembled, VecReassembler,
};

use crate::decode::pcap;

/// `wps audit FILE`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The runs: for each, `[run NAME]`, then `capture = FILE.pcap`, `side = enrollee` or
    /// `registrar`, `e_s1 = HEX` and `e_s2 = HEX` (`r_s1`, `r_s2`), optional `label_pin`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    let runs = match read_runs(&args.file) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wps audit: {e}");
            return ExitCode::from(2);
        }
    };
    let findings = audit(&runs);
    for f in &findings {
        println!("{f}");
    }
    if findings.is_empty() {
        println!("{} runs audited: nothing found", runs.len());
        ExitCode::SUCCESS
    } else {
        println!("{} runs audited: {} findings", runs.len(), findings.len());
        ExitCode::from(1)
    }
}

fn read_runs(file: &Path) -> Result<Vec<Run>, String> {
    let shown = file.display();
    let text = std::fs::read_to_string(file).map_err(|e| format!("{shown}: {e}"))?;
    let dir = file.parent().unwrap_or(Path::new("."));
    let mut runs = Vec::new();
    let mut current: Option<(String, HashMap<String, String>)> = None;
    for (n, line) in text.lines().enumerate() {
        let line = line.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        if let Some(name) = line.strip_prefix("[run").and_then(|l| l.strip_suffix(']')) {
            if let Some((name, keys)) = current.take() {
                runs.push(make_run(dir, name, &keys)?);
            }
            current = Some((name.trim().to_owned(), HashMap::new()));
            continue;
        }
        let (Some((_, keys)), Some((k, v))) = (current.as_mut(), line.split_once('=')) else {
            return Err(format!(
                "{shown} line {}: expected [run NAME] or key = value",
                n + 1
            ));
        };
        keys.insert(k.trim().to_owned(), v.trim().to_owned());
    }
    if let Some((name, keys)) = current.take() {
        runs.push(make_run(dir, name, &keys)?);
    }
    Ok(runs)
}

fn make_run(dir: &Path, name: String, keys: &HashMap<String, String>) -> Result<Run, String> {
    let side = match keys.get("side").map(String::as_str) {
        Some("enrollee") => Side::Enrollee,
        Some("registrar") => Side::Registrar,
        _ => return Err(format!("run {name}: side must be enrollee or registrar")),
    };
    let secret = |key: &str| -> Result<Option<[u8; 16]>, String> {
        keys.get(key)
            .map(|h| {
                hex::decode(h)
                    .ok()
                    .and_then(|b| <[u8; 16]>::try_from(b).ok())
                    .ok_or(format!("run {name}: {key} must be 32 hex digits"))
            })
            .transpose()
    };
    let (s1, s2) = match side {
        Side::Enrollee => ("e_s1", "e_s2"),
        Side::Registrar => ("r_s1", "r_s2"),
    };
    if let Some(k) = keys
        .keys()
        .find(|k| ![s1, s2, "side", "capture", "label_pin"].contains(&k.as_str()))
    {
        return Err(format!(
            "run {name}: unknown key {k:?} (the keys are side, capture, {s1}, {s2}, label_pin)"
        ));
    }
    let (s1, s2) = (secret(s1)?, secret(s2)?);
    let mut run = Run::new(name.clone(), side);
    if let Some(capture) = keys.get("capture") {
        let messages = capture_messages(&dir.join(capture))?;
        run.read_messages(messages.iter().map(Vec::as_slice));
    }
    run.secret_nonce_1 = s1;
    run.secret_nonce_2 = s2;
    run.label_pin = keys.get("label_pin").cloned();
    Ok(run)
}

/// The complete WSC messages of a capture, fragments joined per direction.
fn capture_messages(path: &Path) -> Result<Vec<Vec<u8>>, String> {
    let shown = path.display();
    let data = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let frames = pcap::read_ethernet(&data).map_err(|e| format!("{shown}: {e}"))?;
    let mut joiners: HashMap<([u8; 6], [u8; 6]), VecReassembler> = HashMap::new();
    let mut messages = Vec::new();
    for eth in frames.iter().filter(|f| f.ethertype == ETHERTYPE_EAPOL) {
        let Ok(p) = EapolPacket::parse(&eth.payload) else {
            continue;
        };
        if p.packet_type != EapolType::EapPacket {
            continue;
        }
        if let Ok(eap) = EapPacket::parse(p.body)
            && let Body::Wsc(w) = eap.body
            && w.op_code != OpCode::FragAck
            && let Ok(Reassembled::Complete { message, .. }) =
                joiners.entry((eth.src, eth.dst)).or_default().push(&w)
        {
            messages.push(message.to_vec());
        }
    }
    Ok(messages)
}
