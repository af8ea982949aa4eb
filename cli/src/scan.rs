//! `wps scan FILE.pcap [--json] [--mac MAC]`: the WPS facts of every AP in a capture of
//! 802.11 management frames, the push-button verdict and, with `--mac`, the PIN choice.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use serde_json::{Value, json};
use wps::attr::MacAddr;
use wps::scan::choice::PIN_TIME_BEFORE_ANY_AP;
use wps::scan::{ApInfo, Frame, PbcVerdict, PinSearch, PinVerdict, ScanTable};
use wps::time::{Duration, Instant};

mod capture;

/// How many APs `wps scan` keeps (the table is bounded; a capture with more keeps the
/// most recently heard and those in push-button mode).
const CAPACITY: usize = 512;

/// Exit status when the file cannot be read.
const EXIT_IO: u8 = 5;
/// Exit status for a bad argument.
const EXIT_USAGE: u8 = 2;

/// Arguments of `wps scan`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A capture of 802.11 frames (pcap or pcapng; link type 105 or 127/radiotap).
    pub file: PathBuf,
    /// One JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
    /// This station's MAC address: also say which AP a PIN enrollee would join.
    #[arg(long, value_name = "MAC")]
    pub mac: Option<String>,
}

/// Runs `wps scan`.
pub fn run(args: Args) -> ExitCode {
    let mac = match args.mac.as_deref().map(parse_mac) {
        None => None,
        Some(Some(m)) => Some(m),
        Some(None) => {
            eprintln!("wps scan: --mac wants an address like 02:11:22:33:44:55");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wps scan: cannot read {}: {e}", args.file.display());
            return ExitCode::from(EXIT_IO);
        }
    };
    let report = match Report::from_capture(&bytes) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("wps scan: {}: {e}", args.file.display());
            return ExitCode::FAILURE;
        }
    };
    if args.json {
        println!("{}", report.json(mac));
    } else {
        print!("{}", report.table(mac));
    }
    ExitCode::SUCCESS
}

/// The scan of a whole capture.
pub struct Report {
    table: Box<ScanTable<CAPACITY>>,
    /// Channels from the radio header, for APs whose elements name none.
    radio_channels: HashMap<MacAddr, u8>,
    /// The capture's last timestamp: "now" for the verdicts.
    end: Instant,
    /// Beacons and Probe Responses read.
    frames: usize,
}

impl Report {
    /// Reads every Beacon and Probe Response of a capture file.
    pub fn from_capture(bytes: &[u8]) -> Result<Report, capture::CaptureError> {
        // A capture is judged as a whole: APs never age out of the listing; the
        // push-button verdict still counts only the last walk time (120 s) before the
        // capture's end.
        let mut table = Box::new(ScanTable::<CAPACITY>::new().with_max_age(Duration::MAX));
        let mut radio_channels = HashMap::new();
        let mut end = Instant::ZERO;
        let mut frames = 0;
        for c in capture::frames(bytes)? {
            end = end.max(c.at);
            let Ok(frame) = Frame::parse_mgmt(c.frame) else {
                continue;
            };
            frames += 1;
            let frame = Frame {
                signal: c.signal,
                ..frame
            };
            if let Some(ch) = c.channel {
                radio_channels.insert(frame.bssid, ch);
            }
            table.ingest(&frame, c.at);
        }
        Ok(Report {
            table,
            radio_channels,
            end,
            frames,
        })
    }

    fn aps(&self) -> Vec<&ApInfo> {
        let mut aps: Vec<&ApInfo> = self.table.iter().collect();
        aps.sort_by_key(|ap| ap.bssid);
        aps
    }

    fn channel(&self, ap: &ApInfo) -> Option<u8> {
        ap.channel
            .or_else(|| self.radio_channels.get(&ap.bssid).copied())
    }

    fn pin(&self, mac: MacAddr) -> PinVerdict {
        // A capture is one finished search: any WPS AP may be tried, inviting ones first
        // (a search that started at the epoch, long enough ago, with every scan done).
        let search = PinSearch {
            started: Instant::ZERO,
            scans: u32::MAX,
        };
        let now = self.end.max(Instant::ZERO + PIN_TIME_BEFORE_ANY_AP);
        self.table.choose_pin(mac, search, now)
    }

    /// The wash-like table.
    pub fn table(&self, mac: Option<MacAddr>) -> String {
        let mut s = String::new();
        s.push_str("BSSID               Ch  dBm  WPS  Lck  Active  Device name       ESSID\n");
        s.push_str(
            "-----------------------------------------------------------------------------------\n",
        );
        for ap in self.aps() {
            let active = if ap.pbc_active() {
                "PBC"
            } else if ap.pin_active() {
                "PIN"
            } else {
                "-"
            };
            s.push_str(&format!(
                "{}  {:>3}  {:>3}  {:<3}  {:<3}  {:<6}  {:<16}  {}\n",
                ap.bssid,
                self.channel(ap).map_or("-".into(), |c| c.to_string()),
                ap.signal.map_or("-".into(), |d| d.to_string()),
                ap.version.to_string(),
                if ap.ap_setup_locked { "Yes" } else { "No" },
                active,
                text(ap.device.device_name.as_bytes()),
                text(ap.ssid.as_bytes()),
            ));
            for note in ap.notes.iter() {
                s.push_str(&format!("    note: {note}\n"));
            }
            if let Some(d) = ap.damage {
                s.push_str(&format!("    damaged: {d}\n"));
            }
        }
        s.push_str(&format!(
            "\n{} APs with WPS in {} Beacons and Probe Responses\n",
            self.table.len(),
            self.frames
        ));
        s.push_str(&match self.table.choose_pbc(self.end) {
            PbcVerdict::Join(b) => format!("push-button: join {b}\n"),
            PbcVerdict::KeepScanning => "push-button: no AP is in push-button mode\n".into(),
            PbcVerdict::Overlap { chosen, other } => {
                format!("push-button: overlap, {chosen} and {other} are both in push-button mode\n")
            }
        });
        if let Some(mac) = mac {
            s.push_str(&match self.pin(mac) {
                PinVerdict::Join(b) => format!("PIN for {mac}: join {b}\n"),
                PinVerdict::KeepScanning => format!("PIN for {mac}: no AP fits\n"),
            });
        }
        s
    }

    /// What `wps scan --json` prints: every AP, and the push-button verdict.
    pub fn json(&self, mac: Option<MacAddr>) -> Value {
        let aps: Vec<Value> = self.aps().into_iter().map(|ap| self.ap_json(ap)).collect();
        let pbc = self.table.choose_pbc(self.end);
        let choice = match pbc {
            PbcVerdict::Join(b) => json!(b.to_string()),
            _ => Value::Null,
        };
        let mut out = json!({
            "aps": aps,
            "pbc": { "overlap": pbc.is_overlap(), "choice": choice },
        });
        if let (Some(mac), Some(obj)) = (mac, out.as_object_mut()) {
            let choice = match self.pin(mac) {
                PinVerdict::Join(b) => json!(b.to_string()),
                PinVerdict::KeepScanning => Value::Null,
            };
            obj.insert("pin".into(), json!({ "choice": choice }));
        }
        out
    }

    fn ap_json(&self, ap: &ApInfo) -> Value {
        json!({
            "bssid": ap.bssid.to_string(),
            "ssid": text(ap.ssid.as_bytes()),
            "signal": ap.signal,
            "channel": self.channel(ap),
            "version": ap.version.to_string(),
            "configured": ap.configured(),
            "locked": ap.ap_setup_locked,
            "selected_registrar": ap.selected_registrar,
            "pbc_active": ap.pbc_active(),
            "device_password_id": ap.device_password_id.map(u16::from),
            "authorized_macs": ap.authorized_macs.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
            "uuid": ap.uuid.map(|u| u.to_string()),
            "device_name": text(ap.device.device_name.as_bytes()),
            "manufacturer": text(ap.device.manufacturer.as_bytes()),
            "model_name": text(ap.device.model_name.as_bytes()),
            "model_number": text(ap.device.model_number.as_bytes()),
            "notes": ap.notes.iter().map(|n| n.name()).collect::<Vec<_>>(),
        })
    }
}

/// Bytes from the air as text: UTF-8 where it is, control characters as `_` (as
/// wpa_supplicant prints device names).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| if c.is_control() { '_' } else { c })
        .collect()
}

/// `02:11:22:33:44:55` (or with `-`).
fn parse_mac(s: &str) -> Option<MacAddr> {
    let mut out = [0u8; 6];
    let mut parts = s.split([':', '-']);
    for b in &mut out {
        *b = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(MacAddr(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn macs_and_text() {
        assert_eq!(
            parse_mac("02:11:22:33:44:55"),
            Some(MacAddr([2, 0x11, 0x22, 0x33, 0x44, 0x55]))
        );
        assert_eq!(parse_mac("02-11-22-33-44-55").map(|m| m.0[5]), Some(0x55));
        assert_eq!(parse_mac("02:11:22:33:44"), None);
        assert_eq!(parse_mac("02:11:22:33:44:55:66"), None);
        assert_eq!(parse_mac("zz:11:22:33:44:55"), None);
        assert_eq!(text(b"a\x00b\n"), "a_b_");
    }
}
