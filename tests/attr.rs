//! The attribute layer against hostapd's own parser cases and the real runs.

use proptest::prelude::*;
use wps::attr::{
    AssociationState, AttrType, Attributes, AuthType, ConfigError, ConfigMethods,
    ConnectionTypeFlags, DevicePasswordId, EncrType, MessageType, PrimaryDeviceType, RfBands, Uuid,
    WscState,
};
use wps::tlv::{SliceBuf, TlvReader, write_tlv};

use wps_testkit::vectors::{self, RUNS};

struct Case {
    number: u32,
    group: String,
    input: Vec<u8>,
    accept: bool,
    build: String,
}

/// Reads the table of tests/vectors/hostapd-attr-parse-cases.md.
fn parse_cases() -> Vec<Case> {
    let text = vectors::text("hostapd-attr-parse-cases.md");
    let mut cases = Vec::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        // | # | group | hex | result | check | build |
        if cols.len() < 8 {
            continue;
        }
        let Ok(number) = cols[1].parse::<u32>() else {
            continue;
        };
        let hex_text: String = cols[3]
            .trim_matches('`')
            .chars()
            .filter(|c| c.is_ascii_hexdigit())
            .collect();
        let input = if cols[3].contains("(empty)") {
            Vec::new()
        } else {
            hex::decode(&hex_text).expect("hex")
        };
        cases.push(Case {
            number,
            group: cols[2].to_string(),
            input,
            accept: cols[4] == "accept",
            build: cols[6].to_string(),
        });
    }
    cases
}

#[test]
fn hostapd_attribute_parse_cases() {
    let cases = parse_cases();
    assert_eq!(cases.len(), 136, "every row of the table is read");
    let mut checked = 0;
    for case in &cases {
        // We implement hostapd's default (non-strict) build, workarounds included.
        if case.build.contains("strict build only") {
            continue;
        }
        let result = Attributes::parse(&case.input);
        assert_eq!(
            result.is_ok(),
            case.accept,
            "case {} ({}): {:?}",
            case.number,
            case.group,
            result.err()
        );
        checked += 1;
        let Ok(a) = result else { continue };
        match case.number {
            8 | 11 => {
                assert!(a.contains(AttrType::NetworkKey), "case {}", case.number);
                assert!(a.contains(AttrType::ApSetupLocked), "case {}", case.number);
            }
            92 => assert!(a.contains(AttrType::NetworkKeyIndex)),
            116 => assert_eq!(a.requested_device_types().count(), 10),
            126 => assert_eq!(a.vendor_extensions().count(), 10),
            131 => {
                let w = a.wfa().expect("WFA extension");
                assert_eq!(w.version2, Some(0xff));
                assert_eq!(w.authorized_macs, Some(&[][..]));
                assert_eq!(w.network_key_shareable, Some(1));
                assert_eq!(w.request_to_enroll, Some(1));
                assert_eq!(w.settings_delay_time, Some(1));
            }
            136 => assert_eq!(a.credentials().count(), 10),
            _ => {}
        }
    }
    assert_eq!(checked, 134);
}

fn vector_runs() -> Vec<serde_json::Value> {
    RUNS.iter().map(|run| vectors::run(run)).collect()
}

/// Converts every attribute of a stream to its typed value; nested streams recursively.
fn check_typed(stream: &[u8]) -> usize {
    let attrs = Attributes::parse(stream).expect("hostapd rules accept a real message");
    let mut n = 0;
    for tlv in TlvReader::new(stream) {
        let tlv = tlv.expect("TLV");
        let ty = AttrType::from(tlv.attr_type);
        let v = tlv.value;
        n += 1;
        match ty {
            AttrType::MessageType => {
                assert!(!matches!(MessageType::from(v[0]), MessageType::Unknown(_)));
            }
            AttrType::ConfigurationError => {
                let e = ConfigError::from(u16::from_be_bytes([v[0], v[1]]));
                assert!(!matches!(e, ConfigError::Unknown(_)));
            }
            AttrType::DevicePasswordId => {
                let id = DevicePasswordId::from(u16::from_be_bytes([v[0], v[1]]));
                assert!(matches!(
                    id,
                    DevicePasswordId::Default | DevicePasswordId::PushButton
                ));
            }
            AttrType::AssociationState => {
                let s = AssociationState::from(u16::from_be_bytes([v[0], v[1]]));
                assert_eq!(s, AssociationState::NotAssociated);
            }
            AttrType::WscState => {
                assert!(!matches!(WscState::from(v[0]), WscState::Unknown(_)));
            }
            AttrType::ConfigMethods => {
                let m = ConfigMethods::from(u16::from_be_bytes([v[0], v[1]]));
                assert_eq!(m.unknown_bits(), 0);
            }
            AttrType::AuthenticationTypeFlags | AttrType::AuthenticationType => {
                assert_eq!(
                    AuthType::from(u16::from_be_bytes([v[0], v[1]])).unknown_bits(),
                    0
                );
            }
            AttrType::EncryptionTypeFlags | AttrType::EncryptionType => {
                assert_eq!(
                    EncrType::from(u16::from_be_bytes([v[0], v[1]])).unknown_bits(),
                    0
                );
            }
            AttrType::ConnectionTypeFlags => {
                assert_eq!(ConnectionTypeFlags::from(v[0]), ConnectionTypeFlags::ESS);
            }
            AttrType::RfBands => assert_eq!(RfBands::from(v[0]).unknown_bits(), 0),
            AttrType::PrimaryDeviceType => {
                let t = PrimaryDeviceType::from_slice(v).expect("8 bytes");
                assert!(t.sub_category_name().is_some(), "{t}");
            }
            AttrType::UuidE | AttrType::UuidR => {
                assert!(Uuid::from_slice(v).is_some());
            }
            AttrType::Credential => n += check_typed(v),
            AttrType::Unknown(t) => panic!("unexpected unknown attribute {t:#06x}"),
            _ => {}
        }
    }
    assert_eq!(attrs.count(), n - nested_count(stream));
    n
}

fn nested_count(stream: &[u8]) -> usize {
    TlvReader::new(stream)
        .filter_map(Result::ok)
        .filter(|t| t.attr_type == u16::from(AttrType::Credential))
        .map(|t| TlvReader::validate(t.value).expect("nested") + nested_count(t.value))
        .sum()
}

#[test]
fn every_vector_message_reads_and_types() {
    let mut messages = 0;
    for run in vector_runs() {
        for m in run["messages"].as_array().expect("messages") {
            let wsc = vectors::hex(&m["wsc"]);
            if wsc.is_empty() {
                continue; // WSC_Start has no body
            }
            check_typed(&wsc);
            let attrs = Attributes::parse(&wsc).expect("parse");
            let name = m["name"].as_str().expect("name");
            assert_eq!(
                attrs.message_type().map(|t| t.description()),
                Some(match name {
                    "WSC_ACK" => "WSC_ACK",
                    "WSC_NACK" => "WSC_NACK",
                    "WSC_Done" => "WSC_Done",
                    other => other,
                })
            );
            assert_eq!(attrs.version2(), Some(0x20));
            messages += 1;
        }
        for es in run["encrypted_settings"].as_array().expect("settings") {
            let plain = hex::decode(es["plaintext"].as_str().expect("plaintext")).expect("hex");
            check_typed(&plain);
        }
    }
    assert!(messages >= 45, "{messages} messages");
}

proptest! {
    #[test]
    fn tlv_write_read_identity(attrs in proptest::collection::vec(
        (any::<u16>(), proptest::collection::vec(any::<u8>(), 0..300)), 0..20)) {
        let mut out = Vec::new();
        for (t, v) in &attrs {
            write_tlv(&mut out, *t, v).unwrap();
        }
        let back: Vec<(u16, Vec<u8>)> = TlvReader::new(&out)
            .map(|t| t.map(|t| (t.attr_type, t.value.to_vec())))
            .collect::<Result<_, _>>()
            .unwrap();
        prop_assert_eq!(back, attrs.clone());

        // The same into a fixed buffer of exactly the right size, and one byte short.
        let mut exact = vec![0u8; out.len()];
        let mut buf = SliceBuf::new(&mut exact);
        for (t, v) in &attrs {
            write_tlv(&mut buf, *t, v).unwrap();
        }
        prop_assert_eq!(buf.as_slice(), &out[..]);
        if !out.is_empty() {
            let mut short = vec![0u8; out.len() - 1];
            let mut buf = SliceBuf::new(&mut short);
            let failed = attrs.iter().any(|(t, v)| write_tlv(&mut buf, *t, v).is_err());
            prop_assert!(failed);
        }
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = TlvReader::new(&bytes).count();
        let _ = Attributes::parse(&bytes);
    }

    #[test]
    fn reading_attribute_shaped_bytes_never_panics(
        attrs in proptest::collection::vec((0x1000u16..0x1070, proptest::collection::vec(any::<u8>(), 0..40)), 0..30),
        cut in any::<usize>()) {
        let mut out = Vec::new();
        for (t, v) in &attrs {
            write_tlv(&mut out, *t, v).unwrap();
        }
        let cut = if out.is_empty() { 0 } else { cut % (out.len() + 1) };
        let _ = Attributes::parse(&out[..cut]);
        if let Ok(a) = Attributes::parse(&out) {
            for t in AttrType::ALL {
                let _ = a.get(*t);
            }
        }
    }

    /// Framing as hostapd's loop does it, workarounds included, on streams of the pieces
    /// that exercise them: Network Keys followed by stray octets, zero runs, types
    /// without a slot, and attributes whose length rule never rejects.
    #[test]
    fn framing_matches_hostapds_loop(pieces in proptest::collection::vec(prop_oneof![
        (prop::sample::select(vec![0x1027u16, 0x1045, 0x10ff, 0x0000, 0x2027]),
            proptest::collection::vec(any::<u8>(), 0..5))
            .prop_map(|(t, v)| { let mut out = Vec::new(); write_tlv(&mut out, t, &v).unwrap(); out }),
        any::<u8>().prop_map(|b| vec![b]),
        (0usize..6).prop_map(|n| vec![0; n]),
        proptest::collection::vec(any::<u8>(), 0..6),
    ], 0..12)) {
        let bytes = pieces.concat();
        let ours = Attributes::parse(&bytes).ok().map(|a| a.count());
        prop_assert_eq!(ours, hostapd_framing(&bytes), "{}", hex::encode(&bytes));
    }
}

/// hostapd's `wps_parse_msg` loop, framing only (the attributes it reads: how many, or
/// `None` for a rejected message), written the way hostapd writes it.
fn hostapd_framing(msg: &[u8]) -> Option<usize> {
    let (mut pos, end) = (0usize, msg.len());
    let (mut prev_type, mut count) = (0u16, 0usize);
    while pos < end {
        if end - pos < 4 {
            return None;
        }
        let ty = u16::from_be_bytes([msg[pos], msg[pos + 1]]);
        let len = usize::from(u16::from_be_bytes([msg[pos + 2], msg[pos + 3]]));
        pos += 4;
        if len > end - pos {
            if ty & 0xff00 != 0x1000 && prev_type == 0x1027 {
                pos -= 3;
                continue;
            }
            return None;
        }
        if ty == 0 && len == 0 && msg[pos..].iter().all(|b| *b == 0) {
            break;
        }
        count += 1;
        prev_type = ty;
        pos += len;
    }
    Some(count)
}

#[test]
fn max_length_value_round_trips() {
    let big = vec![0xab; 0xffff];
    let mut out = Vec::new();
    write_tlv(&mut out, 0x1049, &big).unwrap();
    let t = TlvReader::new(&out).next().unwrap().unwrap();
    assert_eq!(t.value.len(), 0xffff);
}

#[test]
fn uuid_from_mac_matches_iwd_and_wpa_supplicant() {
    let v = vectors::json("iwd/uuid.json");
    let mac = vectors::hex(&v["mac"]);
    let expected = vectors::hex(&v["expected_uuid"]);
    let uuid = Uuid::from_mac(wps::attr::MacAddr::from_slice(&mac).unwrap());
    assert_eq!(uuid.as_bytes().as_slice(), expected.as_slice());
}
