//! `Attributes::parse` (hostapd's `wps_parse_msg`) and every getter on what it returns.
//!
//! Besides "never panics", the parse is checked against a small reference model of the
//! documented rules whenever the input is well-framed TLV, and every typed view of every
//! value is exercised (Display and Debug included, since they format peer bytes).
#![no_main]

use std::fmt::Write as _;

use libfuzzer_sys::fuzz_target;
use wps::attr::parse::{MAX_CREDENTIALS, MAX_REQUESTED_DEVICE_TYPES, MAX_VENDOR_EXTENSIONS};
use wps::attr::{
    AssociationState, AttrError, AttrType, Attributes, AuthType, ConfigError, ConfigMethods,
    ConnectionType, ConnectionTypeFlags, DevicePasswordId, EncrType, LengthRule, MacAddr,
    MessageType, MultiApFlags, PrimaryDeviceType, RequestType, ResponseType, RfBands, Uuid,
    VendorExtension, WfaExtension, WscState,
};
use wps::tlv::{Buf, SliceBuf, TlvReader, WFA_VENDOR_ID};

fuzz_target!(|data: &[u8]| {
    let parsed = Attributes::parse(data);
    if let Ok(a) = &parsed {
        exercise(data, a, 0);
    }
    check_against_model(data, &parsed);
});

fn within(input: &[u8], v: &[u8]) -> bool {
    let start = input.as_ptr() as usize;
    let p = v.as_ptr() as usize;
    v.is_empty() || (p >= start && p + v.len() <= start + input.len())
}

/// Calls every accessor; recurses into Credentials like the message layer does.
fn exercise(input: &[u8], a: &Attributes<'_>, depth: u32) {
    let mut sink = String::new();
    let _ = write!(sink, "{a:?}");
    assert!(a.raw() == input);
    for t in AttrType::ALL.iter().copied() {
        let v = a.get(t);
        assert_eq!(a.contains(t), v.is_some());
        let Some(v) = v else { continue };
        assert!(within(input, v), "{t} value outside the input");
        match t.length_rule() {
            LengthRule::Exact(n) => assert_eq!(v.len(), usize::from(n), "{t}"),
            LengthRule::IgnoreAbove(n) | LengthRule::TruncateTo(n) => {
                assert!(v.len() <= usize::from(n), "{t}")
            }
            LengthRule::PublicKey => assert!((190..=192).contains(&v.len())),
            LengthRule::SecondaryDeviceTypeList => assert!(v.len() <= 128 && v.len() % 8 == 0),
            LengthRule::OobDevicePassword => assert!((22..=54).contains(&v.len())),
            LengthRule::Any => {}
        }
        assert_eq!(a.array::<1>(t).is_some(), v.len() == 1);
        assert_eq!(a.u8(t).is_some(), v.len() == 1);
        assert_eq!(a.u16(t).is_some(), v.len() == 2);
        assert_eq!(a.u32(t).is_some(), v.len() == 4);
        let _ = a.array::<6>(t).map(|b| MacAddr(*b));
        let _ = write!(sink, "{t}{}", t.name());
    }
    if let Some(m) = a.message_type() {
        assert_eq!(MessageType::from(u8::from(m)), m);
        let _ = write!(sink, "{m}{m:?}{}", m.description());
    }
    if let Some(v) = a.u16(AttrType::ConfigurationError) {
        let e = ConfigError::from(v);
        assert_eq!(u16::from(e), v);
        let _ = write!(sink, "{e}{}", e.description());
    }
    if let Some(v) = a.u16(AttrType::DevicePasswordId) {
        let id = DevicePasswordId::from(v);
        let _ = write!(sink, "{id}{}", id.is_oob_token());
    }
    if let Some(v) = a.u16(AttrType::AssociationState) {
        let _ = write!(sink, "{}", AssociationState::from(v));
    }
    for t in [
        AttrType::ConfigMethods,
        AttrType::SelectedRegistrarConfigMethods,
    ] {
        if let Some(v) = a.u16(t) {
            let m = ConfigMethods::from(v);
            let _ = write!(sink, "{m}{m:?}{}", m.unknown_bits());
        }
    }
    for t in [
        AttrType::AuthenticationType,
        AttrType::AuthenticationTypeFlags,
    ] {
        if let Some(v) = a.u16(t) {
            let _ = write!(sink, "{}{:?}", AuthType::from(v), AuthType::from(v));
        }
    }
    for t in [AttrType::EncryptionType, AttrType::EncryptionTypeFlags] {
        if let Some(v) = a.u16(t) {
            let _ = write!(sink, "{}", EncrType::from(v));
        }
    }
    if let Some(v) = a.u8(AttrType::ConnectionTypeFlags) {
        let _ = write!(sink, "{}", ConnectionTypeFlags::from(v));
    }
    if let Some(v) = a.get(AttrType::ConnectionType).and_then(|v| v.first()) {
        let _ = write!(sink, "{}", ConnectionType::from(*v));
    }
    if let Some(v) = a.u8(AttrType::RfBands) {
        let _ = write!(sink, "{}", RfBands::from(v));
    }
    if let Some(v) = a.u8(AttrType::WscState) {
        let _ = write!(sink, "{}", WscState::from(v));
    }
    if let Some(v) = a.u8(AttrType::RequestType) {
        let _ = write!(sink, "{}", RequestType::from(v));
    }
    if let Some(v) = a.u8(AttrType::ResponseType) {
        let _ = write!(sink, "{}", ResponseType::from(v));
    }
    for t in [AttrType::UuidE, AttrType::UuidR] {
        if let Some(v) = a.get(t) {
            let u = Uuid::from_slice(v).expect("UUID length checked by the parser");
            let _ = write!(sink, "{u}{u:?}");
        }
    }
    if let Some(v) = a.get(AttrType::MacAddress) {
        let m = MacAddr::from_slice(v).expect("MAC length checked by the parser");
        let _ = write!(sink, "{m}{m:?}{}", m.is_multicast());
    }
    let device_types = a
        .get(AttrType::PrimaryDeviceType)
        .into_iter()
        .chain(a.requested_device_types())
        .chain(
            a.get(AttrType::SecondaryDeviceTypeList)
                .into_iter()
                .flat_map(|l| l.chunks_exact(8)),
        );
    for v in device_types {
        let d = PrimaryDeviceType::from_slice(v).expect("device type length checked");
        assert_eq!(PrimaryDeviceType::from_bytes(d.to_bytes()), d);
        let _ = write!(sink, "{d}{:?}{:?}", d.category(), d.sub_category_name());
    }

    let credentials: Vec<&[u8]> = a.credentials().collect();
    assert!(credentials.len() <= MAX_CREDENTIALS);
    let rdts: Vec<&[u8]> = a.requested_device_types().collect();
    assert!(rdts.len() <= MAX_REQUESTED_DEVICE_TYPES);
    assert!(rdts.iter().all(|v| v.len() == 8 && within(input, v)));
    let vendor: Vec<&[u8]> = a.vendor_extensions().collect();
    assert!(vendor.len() <= MAX_VENDOR_EXTENSIONS);
    for v in &vendor {
        assert!(within(input, v) && v.len() <= 1024 && v.len() >= 3);
        assert!(v[..3] != WFA_VENDOR_ID);
    }

    if let Some(w) = a.wfa() {
        check_wfa(w);
        assert_eq!(a.version2(), w.version2);
    } else {
        assert_eq!(a.version2(), None);
    }

    if depth < 2 {
        for c in credentials {
            assert!(within(input, c));
            if let Ok(inner) = Attributes::parse(c) {
                exercise(c, &inner, depth + 1);
            }
        }
    }
    std::hint::black_box(sink);
}

/// A WFA extension re-emitted from its fields parses back to the same fields.
fn check_wfa(w: &WfaExtension<'_>) {
    let _ = w.is_wsc2();
    let macs: Vec<MacAddr> = w.authorized_macs().collect();
    assert_eq!(macs.len(), w.authorized_macs.map_or(0, |m| m.len() / 6));
    if let Some(m) = w.multi_ap {
        let _ = write!(String::new(), "{}", MultiApFlags::from(m.0));
    }

    // Parsed form: the raw bytes go back out unchanged.
    let mut out = Vec::new();
    w.emit(&mut out).expect("emit to Vec");
    let mut tlvs = TlvReader::new(&out);
    let t = tlvs.next().expect("one attribute").expect("well-formed");
    assert_eq!(t.attr_type, u16::from(AttrType::VendorExtension));
    assert!(tlvs.next().is_none());
    if !w.data.is_empty() {
        assert_eq!(&t.value[3..], w.data);
    }
    // One byte short of a fixed buffer: an error and nothing written.
    let mut short = vec![0u8; out.len() - 1];
    let mut fixed = SliceBuf::new(&mut short);
    assert!(w.emit(&mut fixed).is_err());
    assert_eq!(fixed.written(), 0, "half a vendor extension written");
    // Built form: only the fields.
    let built = WfaExtension { data: &[], ..*w };
    let mut out = Vec::new();
    built.emit(&mut out).expect("emit to Vec");
    let value = &out[4..];
    match VendorExtension::parse(value) {
        Some(Ok(VendorExtension::Wfa(back))) => {
            assert_eq!(WfaExtension { data: &[], ..back }, built);
        }
        other => panic!("built WFA extension parsed as {other:?}"),
    }
}

/// The documented rules, written as plainly as possible, for well-framed input.
fn check_against_model(data: &[u8], parsed: &Result<Attributes<'_>, AttrError>) {
    if TlvReader::validate(data).is_err() {
        // The Network Key workaround may still accept it; nothing simple to compare.
        if let Ok(a) = parsed {
            assert!(a.count() > 0 || data.iter().all(|b| *b == 0));
        }
        return;
    }
    let mut expect_err = false;
    let mut last: std::collections::HashMap<u16, Option<&[u8]>> = Default::default();
    let mut credentials = 0usize;
    let mut count = 0usize;
    let mut other_vendor = 0usize;
    for t in TlvReader::new(data).map_while(Result::ok) {
        if t.attr_type == 0 && t.value.is_empty() && data[t.offset..].iter().all(|b| *b == 0) {
            break;
        }
        count += 1;
        let v = t.value;
        let ty = AttrType::from(t.attr_type);
        match ty {
            AttrType::Credential => credentials += 1,
            AttrType::RequestedDeviceType => expect_err |= v.len() != 8,
            AttrType::VendorExtension => {
                if v.len() >= 3 && v[..3] != WFA_VENDOR_ID {
                    other_vendor += 1;
                    expect_err |= v.len() > 1024 || other_vendor > MAX_VENDOR_EXTENSIONS;
                } else if v.len() >= 3 {
                    expect_err |= WfaExtension::parse(&v[3..]).is_err();
                }
            }
            _ => {
                let kept = match ty.length_rule() {
                    LengthRule::Any => Some(v),
                    LengthRule::Exact(n) => {
                        expect_err |= v.len() != usize::from(n);
                        Some(v)
                    }
                    LengthRule::IgnoreAbove(n) => (v.len() <= usize::from(n)).then_some(v),
                    LengthRule::TruncateTo(n) => Some(&v[..v.len().min(usize::from(n))]),
                    LengthRule::PublicKey => (190..=192).contains(&v.len()).then_some(v),
                    LengthRule::SecondaryDeviceTypeList => {
                        expect_err |= v.len() > 128 || v.len() % 8 != 0;
                        Some(v)
                    }
                    LengthRule::OobDevicePassword => {
                        let nfc = v.get(20..22) == Some(&[0, 7][..]);
                        expect_err |= !(22..=54).contains(&v.len()) || (v.len() < 38 && !nfc);
                        Some(v)
                    }
                };
                // An ignored value leaves an earlier one in place.
                if kept.is_some() {
                    last.insert(t.attr_type, kept);
                }
            }
        }
    }
    match parsed {
        Err(e) => assert!(expect_err, "rejected well-formed input: {e:?}"),
        Ok(a) => {
            assert!(!expect_err, "accepted input the rules reject");
            assert_eq!(a.count(), count);
            assert_eq!(a.credentials().count(), credentials.min(MAX_CREDENTIALS));
            assert_eq!(a.vendor_extensions().count(), other_vendor);
            for t in AttrType::ALL.iter().copied() {
                // Multi-valued ones have their own accessors; IDs past 0x106A (hostapd's
                // testing-only Extensibility Test) have no slot and read as absent.
                if matches!(
                    t,
                    AttrType::Credential
                        | AttrType::RequestedDeviceType
                        | AttrType::VendorExtension
                ) || u16::from(t) > 0x106A
                {
                    assert_eq!(a.get(t), None);
                    continue;
                }
                let want = last.get(&u16::from(t)).copied().flatten();
                assert_eq!(a.get(t), want, "{t}");
            }
        }
    }
}
