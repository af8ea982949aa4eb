//! EAP-WSC framing against real captures: every EAPOL frame of the hostapd /
//! wpa_supplicant runs parses, the reassembled messages equal `messages[].wsc`
//! of the run's vectors.json, and our fragmenter cuts run-3's messages exactly
//! where hostapd and wpa_supplicant did.

use serde_json::Value;
use wps::eap::{
    Body, Code, DEFAULT_FRAGMENT_SIZE, ETHERTYPE_EAPOL, EapPacket, EapolPacket, EapolType,
    Fragmenter, IDENTITY_ENROLLEE, IDENTITY_REGISTRAR, OpCode, Reassembled, Reassembler,
    VecReassembler, WscFrame,
};
use wps_testkit::pcap::EthFrame;
use wps_testkit::vectors::{self, RUNS, hex};

fn load(run: &str) -> (Vec<EthFrame>, Value) {
    (vectors::eapol_frames(run), vectors::run(run))
}

/// A reassembled message as the vectors describe it.
#[derive(Debug, PartialEq)]
struct Msg {
    code: Code,
    first_id: u8,
    op_code: u8,
    wsc: Vec<u8>,
    fragments: usize,
}

/// Reassemble each direction separately, as each daemon does.
fn reassemble(frames: &[EthFrame]) -> Vec<Msg> {
    let mut out = Vec::new();
    let mut buf_req = vec![0u8; 4096];
    let mut req = Reassembler::new(&mut buf_req);
    let mut resp = VecReassembler::new();
    let mut first: [Option<(u8, usize)>; 2] = [None, None];
    for f in frames {
        assert_eq!(f.ethertype, ETHERTYPE_EAPOL);
        let eapol = EapolPacket::parse(&f.payload).unwrap();
        if eapol.packet_type != EapolType::EapPacket {
            assert_eq!(eapol.packet_type, EapolType::Start);
            continue;
        }
        // the EAPOL length and the EAP length agree on every frame
        let eap = EapPacket::parse(eapol.body).unwrap();
        assert_eq!(eap.buffer_len(), eapol.body.len());
        // and we re-emit every frame byte for byte
        let mut again = vec![0u8; eap.buffer_len()];
        eap.emit(&mut again).unwrap();
        assert_eq!(again, eapol.body);
        let Body::Wsc(frame) = eap.body else { continue };
        if frame.op_code == OpCode::FragAck {
            continue;
        }
        let side = usize::from(eap.code == Code::Response);
        let (id, n) = first[side].get_or_insert((eap.identifier, 0));
        *n += 1;
        let (id, n) = (*id, *n);
        let done = if side == 0 {
            match req.push(&frame).unwrap() {
                Reassembled::Complete { message, op_code } => Some((message.to_vec(), op_code)),
                Reassembled::NeedFragAck => None,
            }
        } else {
            match resp.push(&frame).unwrap() {
                Reassembled::Complete { message, op_code } => Some((message.to_vec(), op_code)),
                Reassembled::NeedFragAck => None,
            }
        };
        if let Some((wsc, op_code)) = done {
            first[side] = None;
            out.push(Msg {
                code: eap.code,
                first_id: id,
                op_code: op_code.into(),
                wsc,
                fragments: n,
            });
        }
    }
    out
}

fn expected(json: &Value) -> Vec<Msg> {
    json["messages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| Msg {
            code: match m["eap_code"].as_str().unwrap() {
                "request" => Code::Request,
                "response" => Code::Response,
                other => panic!("{other}"),
            },
            first_id: m["eap_id"].as_u64().unwrap() as u8,
            op_code: m["op_code_value"].as_u64().unwrap() as u8,
            wsc: hex(&m["wsc"]),
            fragments: m["fragments"].as_u64().unwrap() as usize,
        })
        .collect()
}

#[test]
fn every_run_reassembles_to_the_vectors() {
    for run in RUNS {
        let (frames, json) = load(run);
        let jframes = json["eap_frames"].as_array().unwrap();
        assert_eq!(frames.len(), jframes.len(), "{run}");
        for (f, j) in frames.iter().zip(jframes) {
            // the pcap frame (without padding) is the vectors' EAPOL PDU
            let pdu = EapolPacket::parse(&f.payload).unwrap();
            assert_eq!(&f.payload[..pdu.buffer_len()], &hex(&j["hex"])[..], "{run}");
            assert_eq!(f.src, vectors::mac(&j["src"]));
            assert_eq!(f.dst, vectors::mac(&j["dst"]));
            if j["dir"] == "sta->ap" {
                assert_eq!(f.dst, wps::eap::PAE_GROUP_ADDR);
            }
        }
        let got = reassemble(&frames);
        let want = expected(&json);
        assert!(!want.is_empty());
        assert_eq!(got, want, "{run}");
    }
}

#[test]
fn identities_and_failure_in_captures() {
    for run in RUNS {
        let (frames, _) = load(run);
        let mut identities = Vec::new();
        let mut last = None;
        for f in &frames {
            let eapol = EapolPacket::parse(&f.payload).unwrap();
            if eapol.packet_type != EapolType::EapPacket {
                continue;
            }
            let eap = EapPacket::parse(eapol.body).unwrap();
            if let (Code::Response, Body::Identity(id)) = (eap.code, eap.body) {
                identities.push(id.to_vec());
            }
            last = Some(eap.code);
        }
        let want = if run.contains("er-new") {
            IDENTITY_REGISTRAR
        } else {
            IDENTITY_ENROLLEE
        };
        assert_eq!(identities, [want.to_vec()], "{run}");
        assert_eq!(last, Some(Code::Failure), "{run}");
    }
}

/// Our fragmenter, at fragment_size=100, cuts every message of run-3 into the
/// very frames hostapd and wpa_supplicant sent.
#[test]
fn fragmenter_matches_run3_frames() {
    let (frames, json) = load("hostapd-run-3-frag100");
    let mut wire = Vec::new();
    for f in &frames {
        let eapol = EapolPacket::parse(&f.payload).unwrap();
        if eapol.packet_type == EapolType::EapPacket {
            let eap = EapPacket::parse(eapol.body).unwrap();
            if let Body::Wsc(w) = eap.body
                && w.op_code != OpCode::FragAck
            {
                wire.push((eap.code, eap.identifier, eapol.body.to_vec()));
            }
        }
    }
    let mut i = 0;
    let mut fragmented = 0;
    for m in json["messages"].as_array().unwrap() {
        let wsc = hex(&m["wsc"]);
        let op = OpCode::from(m["op_code_value"].as_u64().unwrap() as u8);
        let ours: Vec<WscFrame> = Fragmenter::new(op, &wsc, 100).unwrap().collect();
        fragmented += usize::from(ours.len() > 1);
        for frag in ours {
            let (code, id, bytes) = &wire[i];
            let mut out = vec![0u8; 200];
            let n = EapPacket::wsc(*code, *id, frag).emit(&mut out).unwrap();
            assert_eq!(&out[..n], &bytes[..], "frame {i}");
            i += 1;
        }
    }
    assert_eq!(i, wire.len());
    assert!(fragmented >= 8, "run-3 should fragment M1..M8");
    // at the default size, the same messages go out whole
    for m in json["messages"].as_array().unwrap() {
        let wsc = hex(&m["wsc"]);
        assert_eq!(
            Fragmenter::new(OpCode::Msg, &wsc, DEFAULT_FRAGMENT_SIZE)
                .unwrap()
                .count(),
            1
        );
    }
}

#[test]
fn iwd_eap_framing() {
    let json = vectors::json("iwd/eap_framing.json");
    let frames = json["frames"].as_object().unwrap();
    assert_eq!(frames.len(), 4);
    for (name, f) in frames {
        let bytes = hex(&f["hex"]);
        let h = &f["header"];
        let eapol = EapolPacket::parse(&bytes).unwrap();
        assert_eq!(
            u64::from(eapol.version),
            h["eapol_version"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(u8::from(eapol.packet_type)),
            h["eapol_type"].as_u64().unwrap()
        );
        assert_eq!(
            eapol.body.len() as u64,
            h["eapol_body_length"].as_u64().unwrap()
        );
        let eap = EapPacket::parse(eapol.body).unwrap();
        assert_eq!(
            u64::from(u8::from(eap.code)),
            h["eap_code"].as_u64().unwrap()
        );
        assert_eq!(
            u64::from(eap.identifier),
            h["eap_identifier"].as_u64().unwrap()
        );
        assert_eq!(eap.buffer_len() as u64, h["eap_length"].as_u64().unwrap());
        let rebuilt = match name.as_str() {
            "eap_identity_request" => EapPacket::identity(Code::Request, eap.identifier, b""),
            "eap_identity_response" => {
                EapPacket::identity(Code::Response, eap.identifier, IDENTITY_ENROLLEE)
            }
            "eap_wsc_start" => {
                assert_eq!(h["wsc_op_code"].as_u64(), Some(1));
                EapPacket::wsc(
                    Code::Request,
                    eap.identifier,
                    WscFrame::unfragmented(OpCode::Start, &[]),
                )
            }
            "eap_failure" => EapPacket::failure(eap.identifier),
            other => panic!("unexpected frame {other}"),
        };
        assert_eq!(eap, rebuilt, "{name}");
        let mut out = vec![0u8; 4 + rebuilt.buffer_len()];
        out[..4].copy_from_slice(&wps::eap::eapol_header(
            1,
            EapolType::EapPacket,
            rebuilt.buffer_len() as u16,
        ));
        rebuilt.emit(&mut out[4..]).unwrap();
        assert_eq!(out, bytes, "{name}");
    }
}
