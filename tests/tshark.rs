//! An independent decoder as cross-check: Wireshark's WPS dissector.
//!
//! Every WSC message of the real runs (and the decrypted Encrypted Settings, which hold
//! Credentials), plus the 802.11 IEs our builders make, are written into pcap files,
//! decoded by `tshark -T json -x`, and every attribute and WFA subelement tshark reports
//! must be exactly one of ours: same offset, type, length and value bytes, and the other
//! way round. tshark must flag nothing as malformed and raise no expert info.
//!
//! Skipped (with a note on stderr) when `tshark` is not installed, except under `CI=true`
//! (the variable CI services set), where a missing tshark fails the test: CI installs it.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use wps::attr::pretty::{Nested, nested};
use wps::attr::{
    AttrType, ConfigMethods, DevicePasswordId, MessageType, PrimaryDeviceType, RequestType,
    ResponseType, RfBands, Uuid, WfaExtension, WscState,
};
use wps::eap::{Code, EapPacket, OpCode, WscFrame};
use wps::message::ie::{AssocRequest, AssocResponse, Beacon, ProbeRequest, ProbeResponse};
use wps::message::{DeviceAttrs, Extra};
use wps::tlv::{SubelementReader, TlvReader};
use wps_testkit::fixtures::{ap_probe_response, pbc_beacon};
use wps_testkit::vectors::{self, RUNS, hex};

/// One decoded item: an attribute (`sub == false`) or a WFA subelement, at a frame offset.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    sub: bool,
    id: u16,
    value: Vec<u8>,
}

type Items = BTreeMap<usize, Item>;

fn tshark_available() -> bool {
    let ok = Command::new("tshark")
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tshark is not installed, and CI=true: the Wireshark cross-check must run in CI"
        );
        eprintln!(
            "NOTE: tshark is not installed; the Wireshark cross-check is SKIPPED \
             (apt-get install tshark to run it)"
        );
    }
    ok
}

/// A classic pcap with one record per frame.
fn pcap(link_type: u32, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&link_type.to_le_bytes());
    for (i, f) in frames.iter().enumerate() {
        out.extend_from_slice(&(i as u32 + 1).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(&(f.len() as u32).to_le_bytes());
        out.extend_from_slice(f);
    }
    out
}

/// Ethernet + EAPOL + EAP-Response (expanded WSC type) around `msg`; returns the frame and
/// the offset of the first attribute in it.
fn eapol_frame(id: u8, msg: &[u8]) -> (Vec<u8>, usize) {
    let op = match wps::attr::Attributes::parse(msg)
        .ok()
        .and_then(|a| a.message_type())
    {
        Some(MessageType::WscAck) => OpCode::Ack,
        Some(MessageType::WscNack) => OpCode::Nack,
        Some(MessageType::WscDone) => OpCode::Done,
        _ => OpCode::Msg,
    };
    let mut eap = Vec::new();
    EapPacket::wsc(Code::Response, id, WscFrame::unfragmented(op, msg))
        .emit_vec(&mut eap)
        .unwrap();
    let mut f = vec![2, 0, 0, 0, 0x0a, 1, 2, 0, 0, 0, 0x0b, 1, 0x88, 0x8e];
    f.extend_from_slice(&wps::eap::eapol_header(
        1,
        wps::eap::EapolType::EapPacket,
        eap.len() as u16,
    ));
    f.extend_from_slice(&eap);
    let at = f.len() - msg.len();
    (f, at)
}

/// What we decode: attributes (descending into Credentials) and WFA subelements.
///
/// Items inside a Credential go to `nested` too: Wireshark 4.0 shows a Credential's value
/// as bytes without dissecting it, newer versions may descend. Either way, whatever tshark
/// reports must be ours.
fn ours(stream: &[u8], base: usize, into: &mut Items, nested_at: &mut Vec<usize>, depth: usize) {
    for tlv in TlvReader::new(stream) {
        let tlv = tlv.unwrap();
        let at = base + tlv.offset;
        if depth > 0 {
            nested_at.push(at);
        }
        into.insert(
            at,
            Item {
                sub: false,
                id: tlv.attr_type,
                value: tlv.value.to_vec(),
            },
        );
        match nested(AttrType::from(tlv.attr_type), tlv.value) {
            Nested::Attributes(inner) => ours(inner, at + 4, into, nested_at, depth + 1),
            Nested::WfaSubelements(data) => {
                for s in SubelementReader::new(data) {
                    let s = s.unwrap();
                    if depth > 0 {
                        nested_at.push(at + 4 + 3 + s.offset);
                    }
                    into.insert(
                        at + 4 + 3 + s.offset,
                        Item {
                            sub: true,
                            id: u16::from(s.id),
                            value: s.value.to_vec(),
                        },
                    );
                }
            }
            Nested::None => {}
        }
    }
}

fn raw_offset(v: &Value) -> usize {
    v[1].as_u64().unwrap() as usize
}

fn field_u64(v: &Value) -> u64 {
    let s = v.as_str().unwrap();
    match s.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap(),
        None => s.parse().unwrap(),
    }
}

/// What tshark decoded, plus any malformed / expert marks.
fn theirs(v: &Value, frame: &[u8], into: &mut Items, marks: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                if k.starts_with("_ws.malformed") || k.starts_with("_ws.expert") {
                    marks.push(format!("{k}: {child}"));
                }
            }
            let item = if let Some(t) = map.get("wps.type_raw") {
                Some((false, t, field_u64(&map["wps.type"]), &map["wps.length"], 4))
            } else {
                map.get("wps.ext.id_raw").map(|t| {
                    (
                        true,
                        t,
                        field_u64(&map["wps.ext.id"]),
                        &map["wps.ext.len"],
                        2,
                    )
                })
            };
            if let Some((sub, t, id, len, header)) = item {
                let at = raw_offset(t);
                let len = field_u64(len) as usize;
                let value = frame
                    .get(at + header..at + header + len)
                    .unwrap_or_else(|| panic!("tshark's item at {at} runs past the frame"))
                    .to_vec();
                // Where tshark shows the value as its own field, it must cover the same bytes.
                for (k, f) in map {
                    if k.ends_with("_raw")
                        && f[1].as_u64() == Some((at + header) as u64)
                        && f[2].as_u64() == Some(len as u64)
                        && f[3].as_u64() == Some(0)
                        && let Some(h) = f[0].as_str()
                    {
                        assert_eq!(hex::decode(h).unwrap(), value, "{k}");
                    }
                }
                let prev = into.insert(
                    at,
                    Item {
                        sub,
                        id: id as u16,
                        value,
                    },
                );
                assert!(prev.is_none(), "tshark reports two items at offset {at}");
            }
            for child in map.values() {
                theirs(child, frame, into, marks);
            }
        }
        Value::Array(items) => {
            for i in items {
                theirs(i, frame, into, marks);
            }
        }
        _ => {}
    }
}

/// Writes the frames to a pcap, runs tshark, and compares packet by packet.
fn cross_check(name: &str, link_type: u32, frames: &[(Vec<u8>, Items, Vec<usize>)]) {
    let dir = std::env::temp_dir().join(format!("wps-tshark-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("frames.pcap");
    let raw: Vec<Vec<u8>> = frames.iter().map(|(f, ..)| f.clone()).collect();
    std::fs::write(&file, pcap(link_type, &raw)).unwrap();
    let packets = run_tshark(&file);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(packets.len(), frames.len(), "{name}: packet count");
    for (i, (p, (frame, expected, nested_at))) in packets.iter().zip(frames).enumerate() {
        let mut got = Items::new();
        let mut marks = Vec::new();
        theirs(&p["_source"]["layers"], frame, &mut got, &mut marks);
        assert!(marks.is_empty(), "{name} frame {i}: tshark marks {marks:?}");
        assert!(
            !got.is_empty(),
            "{name} frame {i}: tshark found no WPS attributes"
        );
        for (at, item) in &got {
            assert_eq!(
                expected.get(at),
                Some(item),
                "{name} frame {i}: tshark's item at offset {at} is not ours"
            );
        }
        for (at, item) in expected {
            if nested_at.contains(at) && !got.contains_key(at) {
                continue;
            }
            assert_eq!(
                got.get(at),
                Some(item),
                "{name} frame {i}: tshark does not report our item at offset {at}"
            );
        }
    }
}

fn run_tshark(file: &Path) -> Vec<Value> {
    let out = Command::new("tshark")
        .args(["-r"])
        .arg(file)
        .args(["-T", "json", "-x", "--no-duplicate-keys"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn vector_streams() -> Vec<Vec<u8>> {
    let mut streams = Vec::new();
    for run in RUNS {
        streams.extend(vectors::messages(run).into_iter().map(|(_, wsc)| wsc));
        // Decrypted settings are attribute streams too, and hold the Credentials.
        for es in vectors::run(run)["encrypted_settings"].as_array().unwrap() {
            streams.push(hex(&es["plaintext"]));
        }
    }
    streams.retain(|s| !s.is_empty());
    streams
}

#[test]
fn tshark_agrees_on_every_vector_message() {
    if !tshark_available() {
        return;
    }
    let streams = vector_streams();
    assert!(streams.len() >= 60, "{} streams", streams.len());
    let frames: Vec<_> = streams
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (frame, at) = eapol_frame(i as u8, s);
            let mut items = Items::new();
            let mut nested_at = Vec::new();
            ours(s, at, &mut items, &mut nested_at, 0);
            (frame, items, nested_at)
        })
        .collect();
    // Credentials are among them.
    assert!(frames.iter().any(|(_, _, n)| !n.is_empty()));
    cross_check("vectors", 1, &frames);
}

/// An 802.11 management frame (no FCS) of `subtype` with `fixed` parameters, an SSID
/// element and the WPS IE for `attrs` (one element: all these IEs are under 251 bytes).
/// Returns the frame and the offset of the first attribute.
fn mgmt_frame(subtype: u8, fixed: &[u8], attrs: &[u8]) -> (Vec<u8>, usize) {
    assert!(attrs.len() <= wps::eap::element::MAX_CHUNK);
    let bssid = [2, 0, 0, 0, 0x0a, 1];
    let mut f = vec![subtype << 4, 0, 0, 0];
    f.extend_from_slice(if subtype == 4 {
        &[0xff; 6]
    } else {
        &[2, 0, 0, 0, 0x0b, 1]
    });
    f.extend_from_slice(&bssid);
    f.extend_from_slice(&bssid);
    f.extend_from_slice(&[0x10, 0]);
    f.extend_from_slice(fixed);
    f.extend_from_slice(&[0, 4, b'w', b'p', b's', b'i']);
    f.extend_from_slice(&[1, 4, 0x82, 0x84, 0x8b, 0x96]);
    let at = f.len() + 6;
    wps::eap::element::split_vec(attrs, &mut f);
    (f, at)
}

#[test]
fn tshark_agrees_on_our_ies() {
    if !tshark_available() {
        return;
    }
    let timestamp_interval_cap = [0, 0, 0, 0, 0, 0, 0, 0, 0x64, 0, 0x01, 0x04];
    let name = b"wpsi AP";
    let device = DeviceAttrs {
        manufacturer: b"wpsi \"quoted\" maker",
        model_name: b"wpsi-ap",
        model_number: b"1",
        serial_number: b"0001",
        primary_device_type: PrimaryDeviceType::wfa(6, 1),
        device_name: name,
    };
    let beacon = pbc_beacon();
    let locked = Beacon {
        ap_setup_locked: true,
        ..Beacon::new(WscState::NotConfigured)
    };
    let probe_response = ProbeResponse {
        selected_registrar: true,
        device_password_id: Some(DevicePasswordId::Default),
        selected_registrar_config_methods: Some(ConfigMethods(0x2108)),
        wfa: beacon.wfa,
        extra: Extra::vendor_extensions(&[&[0x00, 0x01, 0x37, 0xaa]]),
        ..ap_probe_response(Uuid([0x22; 16]), device, ConfigMethods(0x2108))
    };
    let probe_request = ProbeRequest {
        version: 0x10,
        request_type: RequestType::EnrolleeOpen8021x,
        config_methods: ConfigMethods(0x2148),
        uuid_e: Some(Uuid([0x33; 16])),
        uuid_r: None,
        primary_device_type: PrimaryDeviceType::wfa(1, 1),
        rf_bands: RfBands(1),
        association_state: 0.into(),
        configuration_error: 0.into(),
        device_password_id: DevicePasswordId::PushButton,
        manufacturer: Some(b" "),
        model_name: Some(b" "),
        model_number: Some(b" "),
        device_name: Some(b"caf\xc3\xa9"),
        wfa: Some(WfaExtension {
            request_to_enroll: Some(1),
            ..WfaExtension::version2_only()
        }),
        requested_device_types: wps::message::ie::DeviceTypeList::from_slice(&[
            PrimaryDeviceType::wfa(6, 1),
        ])
        .unwrap(),
        secondary_device_types: Some(&[0, 3, 0, 0x50, 0xf2, 4, 0, 1]),
        extra: Extra::NONE,
    };
    let iwd = |name: &str| hex(&vectors::json(&format!("iwd/{name}"))["input_hex"]);
    let asus = iwd("probe_response.json");
    let iwd_request = iwd("probe_request.json");
    let ies: Vec<(u8, Vec<u8>, Vec<u8>)> = vec![
        (8, timestamp_interval_cap.to_vec(), beacon.to_bytes()),
        (8, timestamp_interval_cap.to_vec(), locked.to_bytes()),
        (
            5,
            timestamp_interval_cap.to_vec(),
            probe_response.to_bytes(),
        ),
        (
            5,
            timestamp_interval_cap.to_vec(),
            ProbeResponse::parse(&asus).unwrap().to_bytes(),
        ),
        (4, vec![], probe_request.to_bytes()),
        (
            4,
            vec![],
            ProbeRequest::parse(&iwd_request).unwrap().to_bytes(),
        ),
        (
            0,
            vec![0x01, 0x04, 0x0a, 0x00],
            AssocRequest::new(RequestType::EnrolleeOpen8021x).to_bytes(),
        ),
        (
            1,
            vec![0x01, 0x04, 0, 0, 0x01, 0xc0],
            AssocResponse::new(ResponseType::Ap).to_bytes(),
        ),
    ];
    let frames: Vec<_> = ies
        .iter()
        .map(|(subtype, fixed, attrs)| {
            let (frame, at) = mgmt_frame(*subtype, fixed, attrs);
            let mut items = Items::new();
            let mut nested_at = Vec::new();
            ours(attrs, at, &mut items, &mut nested_at, 0);
            (frame, items, nested_at)
        })
        .collect();
    cross_check("ies", 105, &frames);
}
