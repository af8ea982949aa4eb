//! `wps decode`: WSC traffic as a readable attribute tree (like `tshark -V`) or JSON.
//!
//! ```text
//! wps decode 104a000110102200010d                 # a WSC attribute stream
//! wps decode --ie dd0e0050f204104a00011010440001 02
//! wps decode --eapol 0100000c...                  # one EAPOL frame
//! wps decode --pcap tests/vectors/hostapd-run-3-frag100/eapol.pcap
//! wps decode --json --pcap FILE                   # one JSON document
//! wps decode --ndef D2174461...                    # an NFC token or handover message
//! ```
//!
//! Without `--attrs`, `--ie`, `--eap` or `--eapol` the kind of a hex argument is guessed:
//! a well-formed attribute stream, then 802.11 elements, then EAPOL, then EAP. In a pcap
//! (classic format, Ethernet) every EAPOL frame is shown; EAP-WSC fragments are joined per
//! direction and the message is decoded once complete.

pub(crate) mod pcap;

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;
use wps::attr::pretty::{self, Nested, SubelementValue, Tree};
use wps::attr::{AttrType, MessageType, vendor::subelement};
use wps::eap::{
    Body, ETHERTYPE_EAPOL, EapPacket, EapolPacket, EapolType, OpCode, Reassembled, VecReassembler,
    element,
};
use wps::tlv::{SubelementReader, TlvReader};

/// `wps decode [--json] [--attrs|--ie|--eap|--eapol] HEX...`, `wps decode [--json] --pcap FILE`
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("kind").args(["attrs", "ie", "eap", "eapol", "ndef"]))]
pub struct Args {
    /// One JSON document instead of the tree.
    #[arg(long)]
    pub json: bool,
    /// HEX is a WSC attribute stream.
    #[arg(long)]
    pub attrs: bool,
    /// HEX is 802.11 elements (the WPS vendor elements are joined).
    #[arg(long)]
    pub ie: bool,
    /// HEX is one EAP packet.
    #[arg(long)]
    pub eap: bool,
    /// HEX is one EAPOL frame.
    #[arg(long)]
    pub eapol: bool,
    /// HEX is an NDEF message: an NFC password or configuration token, a WSC carrier
    /// record or a handover request/select.
    #[arg(long)]
    pub ndef: bool,
    /// Every EAPOL frame of a capture (classic pcap, Ethernet).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["hex", "kind"])]
    pub pcap: Option<PathBuf>,
    /// The bytes in hex; spaces, colons and dashes are ignored, several words are joined.
    #[arg(value_name = "HEX", required_unless_present = "pcap")]
    pub hex: Vec<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    Attrs,
    Ie,
    Eap,
    Eapol,
    Ndef,
}

impl Args {
    fn kind(&self) -> Option<Kind> {
        [
            (self.attrs, Kind::Attrs),
            (self.ie, Kind::Ie),
            (self.eap, Kind::Eap),
            (self.eapol, Kind::Eapol),
            (self.ndef, Kind::Ndef),
        ]
        .into_iter()
        .find_map(|(set, kind)| set.then_some(kind))
    }
}

/// Decodes and prints; exit 1 when the input cannot be read.
pub fn run(args: Args) -> ExitCode {
    let kind = args.kind();
    let result = match &args.pcap {
        Some(path) => decode_pcap(path, args.json),
        None => {
            let clean: String = args
                .hex
                .concat()
                .chars()
                .filter(|c| !matches!(c, ' ' | ':' | '-' | '\n'))
                .collect();
            match hex::decode(clean) {
                Ok(bytes) if !bytes.is_empty() => decode_hex(&bytes, kind, args.json),
                Ok(_) => Err("no bytes to decode".to_string()),
                Err(e) => Err(format!("not hex: {e}")),
            }
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("wps decode: {e}");
            ExitCode::FAILURE
        }
    }
}

fn guess(bytes: &[u8]) -> Kind {
    let whole_stream = TlvReader::validate(bytes).is_ok()
        && TlvReader::new(bytes)
            .next()
            .is_some_and(|t| t.is_ok_and(|t| t.attr_type & 0xff00 == 0x1000));
    // Vendor elements, of which at least the first WPS one is whole (a damaged element
    // after it is reported, not fatal).
    let elements = bytes.first() == Some(&element::ELEMENT_ID_VENDOR)
        && element::Elements::new(bytes)
            .next()
            .is_some_and(|e| e.is_ok_and(|e| e.wps_payload().is_some()));
    let eapol = matches!(bytes, [1..=3, 0..=4, ..]) && EapolPacket::parse(bytes).is_ok();
    if whole_stream {
        Kind::Attrs
    } else if elements {
        Kind::Ie
    } else if eapol {
        Kind::Eapol
    } else if EapPacket::parse(bytes).is_ok() {
        Kind::Eap
    } else {
        Kind::Attrs
    }
}

fn decode_hex(bytes: &[u8], kind: Option<Kind>, json_out: bool) -> Result<(), String> {
    let kind = kind.unwrap_or_else(|| guess(bytes));
    match kind {
        Kind::Attrs => {
            if json_out {
                print_json(&json!({ "kind": "attributes", "attributes": attrs_json(bytes, 0) }));
            } else {
                out(&Tree::new(bytes).to_string());
            }
        }
        Kind::Ie => {
            let mut joined = Vec::new();
            let collected = element::join_vec(bytes, &mut joined);
            // Damage after intact WPS elements is reported; with nothing intact it fails.
            if let (0, Some(damage)) = (collected.wps_elements, collected.damage) {
                return Err(damage.to_string());
            }
            if json_out {
                print_json(&json!({
                    "kind": "802.11 elements",
                    "wps_elements": collected.wps_elements,
                    "damage": collected.damage.map(|d| d.to_string()),
                    "attributes": attrs_json(&joined, 0),
                }));
            } else {
                out(&format!("WPS IE: {} attribute bytes\n", joined.len()));
                if let Some(damage) = collected.damage {
                    out(&format!(
                        "damaged: {damage}; the WPS elements before it are kept\n"
                    ));
                }
                out(&Tree::new(&joined).indented(1).to_string());
            }
        }
        Kind::Ndef => decode_ndef(bytes, json_out)?,
        Kind::Eap | Kind::Eapol => {
            let mut frame = Frame::default();
            let eap = if kind == Kind::Eapol {
                let p = EapolPacket::parse(bytes).map_err(|e| e.to_string())?;
                frame.eapol(&p);
                if p.packet_type != EapolType::EapPacket {
                    return frame.finish(json_out);
                }
                p.body
            } else {
                bytes
            };
            let p = EapPacket::parse(eap).map_err(|e| e.to_string())?;
            frame.eap(&p);
            if let Body::Wsc(w) = p.body {
                if w.flags.more_fragments() || w.op_code == OpCode::FragAck {
                    frame.note("a fragment: decode the whole capture with --pcap to join it");
                } else {
                    frame.message(w.data, 1);
                }
            }
            frame.finish(json_out)?;
        }
    }
    Ok(())
}

/// The NDEF envelope (one line per record, the framing), what the attributes are, then
/// the attribute tree.
fn decode_ndef(bytes: &[u8], json_out: bool) -> Result<(), String> {
    use wps::nfc::{Contents, read_ndef};
    let ndef = read_ndef(bytes).map_err(|e| format!("NDEF: {e}"))?;
    let what = match ndef.contents() {
        Ok(Contents::PasswordToken(t)) => {
            format!("password token, Device Password ID {:#06x}", t.password_id)
        }
        Ok(Contents::ConfigurationToken(_)) => "configuration token".to_string(),
        Ok(Contents::HandoverRequest(_)) => "handover request (station)".to_string(),
        Ok(Contents::HandoverSelect(_)) => "handover select (access point)".to_string(),
        Err(e) => format!("unusable: {e}"),
    };
    if json_out {
        let records: Vec<Value> = ndef
            .message
            .records()
            .map(|r| {
                json!({
                    "header": format!("{:#04x}", r.header()),
                    "tnf": r.tnf.name(),
                    "type": String::from_utf8_lossy(r.record_type),
                    "id": r.id.map(|i| String::from_utf8_lossy(i).into_owned()),
                    "payload_length": r.payload.len(),
                })
            })
            .collect();
        print_json(&json!({
            "kind": "ndef",
            "records": records,
            "contents": what,
            "attributes": attrs_json(ndef.attributes, 0),
        }));
    } else {
        out(&format!("{ndef}contents: {what}\n"));
        out(&Tree::new(ndef.attributes).indented(1).to_string());
    }
    Ok(())
}

fn decode_pcap(path: &std::path::Path, json_out: bool) -> Result<(), String> {
    let shown = path.display();
    let data = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
    let frames = pcap::read_ethernet(&data).map_err(|e| format!("{shown}: {e}"))?;
    let mut reassemblers: HashMap<([u8; 6], [u8; 6]), (VecReassembler, usize)> = HashMap::new();
    let mut all = Vec::new();
    for (index, eth) in frames.iter().enumerate() {
        if eth.ethertype != ETHERTYPE_EAPOL {
            continue;
        }
        let mut frame = Frame {
            index: Some(index + 1),
            src: Some(eth.src),
            dst: Some(eth.dst),
            ..Frame::default()
        };
        match EapolPacket::parse(&eth.payload) {
            Err(e) => frame.note(&format!("malformed EAPOL: {e}")),
            Ok(p) => {
                frame.eapol(&p);
                if p.packet_type == EapolType::EapPacket {
                    match EapPacket::parse(p.body) {
                        Err(e) => frame.note(&format!("malformed EAP: {e}")),
                        Ok(eap) => {
                            frame.eap(&eap);
                            if let Body::Wsc(w) = eap.body
                                && w.op_code != OpCode::FragAck
                            {
                                let (r, count) =
                                    reassemblers.entry((eth.src, eth.dst)).or_default();
                                *count += 1;
                                let fragments = *count;
                                match r.push(&w) {
                                    Ok(Reassembled::NeedFragAck) => {
                                        frame.note("fragment stored, more follow")
                                    }
                                    Ok(Reassembled::Complete { message, .. }) => {
                                        frame.message(message, fragments);
                                        *count = 0;
                                    }
                                    Err(e) => {
                                        frame.note(&format!("reassembly failed: {e}"));
                                        *count = 0;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if json_out {
            all.push(frame.json);
        } else {
            out(&frame.text);
        }
    }
    if json_out {
        print_json(&json!({ "file": shown.to_string(), "frames": all }));
    }
    Ok(())
}

/// One frame's description, built as text and as JSON side by side.
#[derive(Default)]
struct Frame {
    index: Option<usize>,
    src: Option<[u8; 6]>,
    dst: Option<[u8; 6]>,
    text: String,
    json: Value,
}

fn mac(m: [u8; 6]) -> String {
    wps::attr::MacAddr(m).to_string()
}

impl Frame {
    fn head(&mut self) {
        if self.text.is_empty() {
            if let Some(i) = self.index {
                self.text.push_str(&format!("Frame {i}"));
                self.json = json!({ "index": i });
            } else {
                self.text.push_str("Frame");
                self.json = json!({});
            }
            if let (Some(s), Some(d)) = (self.src, self.dst) {
                self.text.push_str(&format!(": {} -> {}", mac(s), mac(d)));
                self.json["src"] = json!(mac(s));
                self.json["dst"] = json!(mac(d));
            }
            self.text.push('\n');
        }
    }

    fn eapol(&mut self, p: &EapolPacket<'_>) {
        self.head();
        self.text.push_str(&format!(
            "    EAPOL version {}, {:?}, body {} bytes\n",
            p.version,
            p.packet_type,
            p.body.len()
        ));
        self.json["eapol"] = json!({
            "version": p.version,
            "type": format!("{:?}", p.packet_type),
            "length": p.body.len(),
        });
    }

    fn eap(&mut self, p: &EapPacket<'_>) {
        self.head();
        let mut line = format!("    EAP {:?}, id {}", p.code, p.identifier);
        let mut j = json!({ "code": format!("{:?}", p.code), "id": p.identifier });
        match p.body {
            Body::Identity(id) => {
                line.push_str(&format!(", Identity {}", pretty::Quoted(id)));
                j["identity"] = json!(String::from_utf8_lossy(id));
            }
            Body::Wsc(w) => {
                line.push_str(&format!(
                    ", WSC {:?}, flags {:#04x}",
                    w.op_code,
                    u8::from(w.flags)
                ));
                j["wsc"] = json!({
                    "op_code": format!("{:?}", w.op_code),
                    "flags": u8::from(w.flags),
                    "data_length": w.data.len(),
                });
                if let Some(l) = w.msg_len {
                    line.push_str(&format!(", message length {l}"));
                    j["wsc"]["message_length"] = json!(l);
                }
                line.push_str(&format!(", {} bytes", w.data.len()));
            }
            Body::Other { eap_type, data } => {
                line.push_str(&format!(", type {eap_type}, {} bytes", data.len()));
                j["type"] = json!(eap_type);
            }
            _ => {}
        }
        line.push('\n');
        self.text.push_str(&line);
        self.json["eap"] = j;
    }

    fn note(&mut self, text: &str) {
        self.head();
        self.text.push_str(&format!("    ({text})\n"));
        self.json["note"] = json!(text);
    }

    fn message(&mut self, msg: &[u8], fragments: usize) {
        self.head();
        if msg.is_empty() {
            return;
        }
        let ty = wps::attr::Attributes::parse(msg)
            .ok()
            .and_then(|a| a.message_type());
        let name = ty.map_or_else(|| "?".to_string(), |t: MessageType| t.to_string());
        let from = if fragments > 1 {
            format!(", reassembled from {fragments} fragments")
        } else {
            String::new()
        };
        self.text.push_str(&format!(
            "    WSC message {name}, {} bytes{from}\n",
            msg.len()
        ));
        self.text.push_str(&Tree::new(msg).indented(2).to_string());
        self.json["message"] = json!({
            "type": name,
            "length": msg.len(),
            "fragments": fragments,
            "attributes": attrs_json(msg, 0),
        });
    }

    fn finish(mut self, json_out: bool) -> Result<(), String> {
        self.head();
        if json_out {
            print_json(&self.json);
        } else {
            out(&self.text);
        }
        Ok(())
    }
}

fn attrs_json(bytes: &[u8], depth: usize) -> Vec<Value> {
    let mut out = Vec::new();
    for tlv in TlvReader::new(bytes) {
        let tlv = match tlv {
            Ok(t) => t,
            Err(e) => {
                out.push(json!({ "malformed": e.to_string() }));
                break;
            }
        };
        let attr = AttrType::from(tlv.attr_type);
        let mut node = json!({
            "type": format!("{:#06x}", tlv.attr_type),
            "name": attr.name(),
            "length": tlv.value.len(),
            "value": hex::encode(tlv.value),
            "decoded": pretty::Value::new(attr, tlv.value).to_string(),
        });
        match pretty::nested(attr, tlv.value) {
            Nested::Attributes(inner) if depth < pretty::MAX_DEPTH => {
                node["attributes"] = json!(attrs_json(inner, depth + 1));
            }
            Nested::WfaSubelements(data) => {
                let subs: Vec<Value> = SubelementReader::new(data)
                    .map(|s| match s {
                        Ok(s) => json!({
                            "id": format!("{:#04x}", s.id),
                            "name": subelement::name(s.id),
                            "length": s.value.len(),
                            "value": hex::encode(s.value),
                            "decoded": SubelementValue::new(s.id, s.value).to_string(),
                        }),
                        Err(e) => json!({ "malformed": e.to_string() }),
                    })
                    .collect();
                node["subelements"] = json!(subs);
            }
            _ => {}
        }
        out.push(node);
    }
    out
}

fn print_json(v: &Value) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => out(&(s + "\n")),
        Err(e) => eprintln!("wps decode: {e}"),
    }
}

/// Writes to stdout; a closed pipe (`decode ... | head`) ends the program quietly.
fn out(text: &str) {
    use std::io::Write;
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        std::process::exit(0);
    }
}
