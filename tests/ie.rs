//! The 802.11 WPS IEs against iwd's captured beacon, probe request and ASUS probe response,
//! plus round trips of arbitrary IEs through the builders and the parsers.

use proptest::prelude::*;
use serde_json::Value;
use wps::attr::{
    AssociationState, ConfigError, ConfigMethods, DevicePasswordId, MacAddr, PrimaryDeviceType,
    RequestType, ResponseType, RfBands, Uuid, WfaExtension, WscState,
};
use wps::message::ie::{
    AssocRequest, AssocResponse, Beacon, DeviceTypeList, ProbeRequest, ProbeResponse,
};
use wps::message::{DeviceAttrs, Extra, MessageError};
use wps::tlv::{SubelementReader, TlvReader, WFA_VENDOR_ID};

use wps_testkit::fixtures::ap_probe_response;
use wps_testkit::vectors::{self, hex as bytes};

fn vector(name: &str) -> Value {
    vectors::json(&format!("iwd/{name}"))
}

/// The input bytes of the iwd vector `name`.
fn input(name: &str) -> Vec<u8> {
    bytes(&vector(name)["input_hex"])
}

/// The input bytes of the iwd vector `name` and the fields iwd reads from them.
fn case(name: &str) -> (Vec<u8>, Value) {
    let mut v = vector(name);
    (bytes(&v["input_hex"]), v["expected"].take())
}

/// The WFA extension says WSC 2.0 exactly when iwd read `version2`.
#[track_caller]
fn assert_version2(wfa: Option<WfaExtension<'_>>, expected: &Value) {
    assert_eq!(
        wfa.is_some_and(|w| w.is_wsc2()),
        expected["version2"] == true
    );
}

/// `"0x2148"` or `2148`.
fn num(v: &Value) -> u64 {
    match v {
        Value::String(s) => u64::from_str_radix(s.trim_start_matches("0x"), 16).unwrap(),
        other => other.as_u64().unwrap(),
    }
}

fn device_type(v: &Value) -> PrimaryDeviceType {
    let oui = bytes(&v["oui"]);
    PrimaryDeviceType {
        category: num(&v["category"]) as u16,
        oui: [oui[0], oui[1], oui[2], num(&v["oui_type"]) as u8],
        sub_category: num(&v["subcategory"]) as u16,
    }
}

fn uuid(v: &Value) -> Uuid {
    Uuid::from_slice(&bytes(v)).unwrap()
}

#[test]
fn tlv_iteration_sanity() {
    let v = vector("tlv_iter.json");
    let input = bytes(&v["input_hex"]);
    let tlvs: Vec<_> = TlvReader::new(&input).map(Result::unwrap).collect();
    let expected = v["expected_top_level"].as_array().unwrap();
    assert_eq!(tlvs.len(), 16);
    assert_eq!(tlvs.len() as u64, num(&v["expected_attr_count"]));
    for (t, e) in tlvs.iter().zip(expected) {
        assert_eq!(u64::from(t.attr_type), num(&e["type"]), "{e}");
        assert_eq!(t.value.len() as u64, num(&e["len"]), "{e}");
    }
    let last = tlvs.last().unwrap();
    assert_eq!(last.end(), input.len());
    let data = last.value.strip_prefix(&WFA_VENDOR_ID[..]).unwrap();
    let subs: Vec<(u64, u64)> = SubelementReader::new(data)
        .map(|s| s.map(|s| (u64::from(s.id), s.value.len() as u64)).unwrap())
        .collect();
    let expected_subs: Vec<(u64, u64)> = v["expected_wfa_subelements_of_last_attr"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (num(&s["id"]), num(&s["len"])))
        .collect();
    assert_eq!(subs, expected_subs);
    assert_eq!(subs, [(0, 1), (1, 6)]);
}

#[test]
fn iwd_beacon() {
    let (input, e) = case("beacon.json");
    let b = Beacon::parse(&input).unwrap();
    assert_eq!(u64::from(b.version), num(&e["version"]));
    assert_version2(b.wfa, &e);
    assert_eq!(u64::from(u8::from(b.wsc_state)), num(&e["wsc_state"]));
    assert_eq!(b.wsc_state, WscState::Configured);
    assert_eq!(b.ap_setup_locked, e["ap_setup_locked"] == true);
    assert_eq!(b.selected_registrar, e["selected_registrar"] == true);
    // Absent fields: iwd reads them as zero.
    let zero_if_absent = |x: Option<u16>| u64::from(x.unwrap_or(0));
    assert_eq!(
        zero_if_absent(b.device_password_id.map(u16::from)),
        num(&e["device_password_id"])
    );
    assert_eq!(
        zero_if_absent(b.selected_registrar_config_methods.map(u16::from)),
        num(&e["selected_reg_config_methods"])
    );
    assert_eq!(b.uuid_e.unwrap_or_default(), uuid(&e["uuid_e"]));
    assert_eq!(
        u64::from(b.rf_bands.unwrap_or_default().0),
        num(&e["rf_bands"])
    );
    let wfa = b.wfa.unwrap();
    assert_eq!(
        hex::encode(wfa.authorized_macs.unwrap_or_default()),
        e["authorized_macs"].as_str().unwrap()
    );
    assert_eq!(
        u64::from(wfa.registrar_config_methods.unwrap_or_default().0),
        num(&e["reg_config_methods"])
    );
    assert_eq!(b.to_bytes(), input);
    // Built from scratch, the same beacon is hostapd's.
    assert_eq!(Beacon::new(WscState::Configured).to_bytes(), input);
}

#[test]
fn iwd_probe_request_parse_and_build() {
    let (input, e) = case("probe_request.json");
    let r = ProbeRequest::parse(&input).unwrap();
    assert_version2(r.wfa, &e);
    assert_eq!(u64::from(u8::from(r.request_type)), num(&e["request_type"]));
    assert_eq!(r.request_type, RequestType::EnrolleeOpen8021x);
    assert_eq!(u64::from(r.config_methods.0), num(&e["config_methods"]));
    assert!(
        r.config_methods
            .contains(ConfigMethods::VIRTUAL_DISPLAY | ConfigMethods::DISPLAY)
    );
    assert!(
        r.config_methods
            .contains(ConfigMethods::NFC_INTERFACE | ConfigMethods::KEYPAD)
    );
    assert_eq!(r.uuid_e, Some(uuid(&e["uuid_e"])));
    assert_eq!(r.uuid_r, None);
    assert_eq!(
        r.primary_device_type,
        device_type(&e["primary_device_type"])
    );
    assert_eq!(u64::from(r.rf_bands.0), num(&e["rf_bands"]));
    assert_eq!(r.association_state, AssociationState::NotAssociated);
    assert_eq!(
        u64::from(u16::from(r.association_state)),
        num(&e["association_state"])
    );
    assert_eq!(
        u64::from(u16::from(r.configuration_error)),
        num(&e["configuration_error"])
    );
    assert_eq!(r.device_password_id, DevicePasswordId::PushButton);
    assert_eq!(
        u64::from(u16::from(r.device_password_id)),
        num(&e["device_password_id"])
    );
    let s = |x: &str| Some(e[x].as_str().unwrap().as_bytes());
    assert_eq!(r.manufacturer, s("manufacturer"));
    assert_eq!(r.model_name, s("model_name"));
    assert_eq!(r.model_number, s("model_number"));
    assert_eq!(r.device_name, s("device_name"));
    assert_eq!(e["serial_number"], ""); // not in a probe request
    assert_eq!(
        r.wfa.and_then(|w| w.request_to_enroll) == Some(1),
        e["request_to_enroll"] == true
    );
    assert!(r.requested_device_types.is_empty());
    assert_eq!(device_type(&e["requested_device_type"]).to_bytes(), [0; 8]);
    assert_eq!(r.to_bytes(), input);

    // Build from the expected field values alone.
    let built = ProbeRequest {
        version: 0x10,
        request_type: RequestType::from(num(&e["request_type"]) as u8),
        config_methods: ConfigMethods(num(&e["config_methods"]) as u16),
        uuid_e: Some(uuid(&e["uuid_e"])),
        uuid_r: None,
        primary_device_type: device_type(&e["primary_device_type"]),
        rf_bands: RfBands(num(&e["rf_bands"]) as u8),
        association_state: AssociationState::from(num(&e["association_state"]) as u16),
        configuration_error: ConfigError::from(num(&e["configuration_error"]) as u16),
        device_password_id: DevicePasswordId::from(num(&e["device_password_id"]) as u16),
        manufacturer: s("manufacturer"),
        model_name: s("model_name"),
        model_number: s("model_number"),
        device_name: s("device_name"),
        wfa: Some(WfaExtension {
            request_to_enroll: Some(u8::from(e["request_to_enroll"] == true)),
            ..WfaExtension::version2_only()
        }),
        requested_device_types: DeviceTypeList::new(),
        secondary_device_types: None,
        extra: Extra::NONE,
    };
    assert_eq!((built.buffer_len(), built.to_bytes()), (input.len(), input));
}

#[test]
fn asus_probe_response() {
    let (input, e) = case("probe_response.json");
    let r = ProbeResponse::parse(&input).unwrap();
    assert_eq!(u64::from(u8::from(r.wsc_state)), num(&e["wsc_state"]));
    assert_version2(r.wfa, &e);
    assert_eq!(r.ap_setup_locked, e["ap_setup_locked"] == true);
    assert_eq!(r.selected_registrar, e["selected_registrar"] == true);
    assert!(r.selected_registrar);
    assert_eq!(r.device_password_id, Some(DevicePasswordId::PushButton));
    assert_eq!(
        r.device_password_id.map(|d| u64::from(u16::from(d))),
        Some(num(&e["device_password_id"]))
    );
    let sr = r.selected_registrar_config_methods.unwrap();
    assert_eq!(u64::from(sr.0), num(&e["selected_reg_config_methods"]));
    assert!(sr.contains(
        ConfigMethods::VIRTUAL_PUSH_BUTTON
            | ConfigMethods::PHYSICAL_PUSH_BUTTON
            | ConfigMethods::VIRTUAL_DISPLAY
    ));
    assert_eq!(r.response_type, ResponseType::Ap);
    assert_eq!(
        u64::from(u8::from(r.response_type)),
        num(&e["response_type"])
    );
    assert_eq!(r.uuid_e, uuid(&e["uuid_e"]));
    let s = |x: &str| e[x].as_str().unwrap().as_bytes();
    assert_eq!(r.device.manufacturer, s("manufacturer"));
    assert_eq!(r.device.model_name, s("model_name"));
    assert_eq!(r.device.model_number, s("model_number"));
    assert_eq!(r.device.serial_number, s("serial_number"));
    assert_eq!(r.device.device_name, s("device_name"));
    assert_eq!(
        r.device.primary_device_type,
        device_type(&e["primary_device_type"])
    );
    assert_eq!(r.device.primary_device_type.to_string(), "6-0050F204-1");
    assert_eq!(u64::from(r.config_methods.0), num(&e["config_methods"]));
    assert_eq!(
        r.rf_bands,
        Some(RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ)
    );
    assert_eq!(u64::from(r.rf_bands.unwrap().0), num(&e["rf_bands"]));
    let wfa = r.wfa.unwrap();
    assert_eq!(
        hex::encode(wfa.authorized_macs.unwrap()),
        e["authorized_macs"].as_str().unwrap()
    );
    assert_eq!(
        wfa.authorized_macs().collect::<Vec<_>>(),
        [MacAddr::BROADCAST]
    );
    assert_eq!(
        u64::from(wfa.registrar_config_methods.unwrap_or_default().0),
        num(&e["reg_config_methods"])
    );
    // The ASUS firmware (hostapd-based) writes hostapd's order, so it rebuilds exactly.
    assert_eq!(r.to_bytes(), input);
}

#[test]
fn missing_required_attribute_is_named() {
    let response = input("probe_response.json");
    // A probe response is not a valid probe request.
    assert_eq!(
        ProbeRequest::parse(&response),
        Err(MessageError::Missing(wps::attr::AttrType::RequestType))
    );
    // The beacon has no device block.
    let beacon = input("beacon.json");
    assert_eq!(
        ProbeResponse::parse(&beacon),
        Err(MessageError::Missing(wps::attr::AttrType::ResponseType))
    );
    assert!(matches!(
        Beacon::parse(&response[..response.len() - 1]),
        Err(MessageError::Attr(_))
    ));
}

/// A Probe Request names its sender by UUID-E or UUID-R; with neither it is refused,
/// the parsed-attributes path alike.
#[test]
fn probe_request_needs_one_uuid() {
    let enrollee = ProbeRequest::enrollee(Uuid([7; 16]), DevicePasswordId::PushButton);
    let registrar = ProbeRequest {
        uuid_e: None,
        uuid_r: Some(Uuid([8; 16])),
        ..enrollee
    };
    let bytes = registrar.to_bytes();
    assert_eq!(
        ProbeRequest::parse(&bytes).unwrap().uuid_r,
        Some(Uuid([8; 16]))
    );
    let neither = ProbeRequest {
        uuid_r: None,
        ..registrar
    }
    .to_bytes();
    assert_eq!(
        ProbeRequest::parse(&neither),
        Err(MessageError::Missing(wps::attr::AttrType::UuidE))
    );
    let attrs = wps::attr::Attributes::parse(&neither).unwrap();
    assert_eq!(
        ProbeRequest::from_attributes(&attrs),
        Err(MessageError::Missing(wps::attr::AttrType::UuidE))
    );
}

#[test]
fn assoc_ies_as_hostapd_builds_them() {
    let req = AssocRequest::new(RequestType::EnrolleeOpen8021x);
    let resp = AssocResponse::new(ResponseType::Ap);
    assert_eq!(
        hex::encode(req.to_bytes()),
        "104a000110103a0001011049000600372a000120"
    );
    assert_eq!(
        hex::encode(resp.to_bytes()),
        "104a000110103b0001031049000600372a000120"
    );
    let bytes = resp.to_bytes();
    let back = AssocResponse::parse(&bytes).unwrap();
    assert_eq!(back.response_type, ResponseType::Ap);
}

#[test]
fn through_802_11_elements() {
    // A probe response longer than one element (251 bytes) splits mid-attribute.
    let name = [b'n'; 32];
    let long = [b'm'; 64];
    let device = DeviceAttrs {
        manufacturer: &long,
        model_name: &name,
        model_number: &name,
        serial_number: &name,
        primary_device_type: PrimaryDeviceType::wfa(6, 1),
        device_name: &name,
    };
    let resp = ap_probe_response(Uuid([7; 16]), device, ConfigMethods::DISPLAY);
    let attrs = resp.to_bytes();
    assert!(attrs.len() > 251);
    let mut elements = Vec::new();
    wps::eap::element::split_vec(&attrs, &mut elements);
    let mut joined = Vec::new();
    assert_eq!(
        wps::eap::element::join_vec(&elements, &mut joined).damage,
        None
    );
    let back = ProbeResponse::parse(&joined).unwrap();
    assert_eq!(back.device, resp.device);
    assert_eq!(back.to_bytes(), attrs);
}

// ---- arbitrary IEs ----

/// Owned data an arbitrary IE borrows from.
#[derive(Debug, Clone)]
struct Owned {
    macs: Option<Vec<u8>>,
    version2: u8,
    request_to_enroll: Option<u8>,
    has_wfa: bool,
    vendors: Vec<Vec<u8>>,
    app_ext: Option<Vec<u8>>,
    strings: [Vec<u8>; 5],
    secondary: Option<Vec<u8>>,
}

fn owned() -> impl Strategy<Value = Owned> {
    let s = |max| proptest::collection::vec(any::<u8>(), 0..=max);
    (
        proptest::option::of(proptest::collection::vec(any::<u8>(), 0..=5).prop_map(|n| {
            n.iter()
                .flat_map(|b| [2, 0, 0, 0, 0, *b])
                .collect::<Vec<u8>>()
        })),
        any::<u8>(),
        proptest::option::of(any::<u8>()),
        any::<bool>(),
        proptest::collection::vec(
            (any::<[u8; 3]>(), s(40))
                .prop_filter("not the WFA", |(id, _)| *id != WFA_VENDOR_ID)
                .prop_map(|(id, d)| [&id[..], &d].concat()),
            0..=3,
        ),
        proptest::option::of(s(40)),
        [s(64), s(32), s(32), s(32), s(32)],
        proptest::option::of(
            (0usize..=16).prop_flat_map(|n| proptest::collection::vec(any::<u8>(), n * 8..=n * 8)),
        ),
    )
        .prop_map(
            |(macs, version2, request_to_enroll, has_wfa, vendors, app_ext, strings, secondary)| {
                Owned {
                    macs,
                    version2,
                    request_to_enroll,
                    has_wfa,
                    vendors,
                    app_ext,
                    strings,
                    secondary,
                }
            },
        )
}

impl Owned {
    fn wfa(&self) -> Option<WfaExtension<'_>> {
        self.has_wfa.then(|| WfaExtension {
            version2: Some(self.version2),
            authorized_macs: self.macs.as_deref(),
            request_to_enroll: self.request_to_enroll,
            ..WfaExtension::default()
        })
    }
    fn vendors(&self) -> Vec<&[u8]> {
        self.vendors.iter().map(Vec::as_slice).collect()
    }
    fn device(&self, pdt: [u8; 8]) -> DeviceAttrs<'_> {
        DeviceAttrs {
            manufacturer: &self.strings[0],
            model_name: &self.strings[1],
            model_number: &self.strings[2],
            serial_number: &self.strings[3],
            primary_device_type: PrimaryDeviceType::from_bytes(pdt),
            device_name: &self.strings[4],
        }
    }
}

/// A parsed WFA extension remembers its raw bytes; a built one does not.
fn no_raw(w: Option<WfaExtension<'_>>) -> Option<WfaExtension<'_>> {
    w.map(|w| WfaExtension { data: &[], ..w })
}

macro_rules! round_trip {
    ($ty:ident, $value:expr) => {{
        let built = $value;
        let bytes = built.to_bytes();
        prop_assert_eq!(built.buffer_len(), bytes.len());
        let parsed = $ty::parse(&bytes).unwrap();
        prop_assert_eq!(
            $ty {
                wfa: no_raw(parsed.wfa),
                extra: built.extra,
                ..parsed
            },
            built
        );
        prop_assert_eq!(
            parsed.extra.iter_vendor_extensions().collect::<Vec<_>>(),
            built.extra.iter_vendor_extensions().collect::<Vec<_>>()
        );
        prop_assert_eq!(parsed.to_bytes(), bytes);
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn beacon_round_trips(o in owned(), version: u8, state: u8, locked: bool, selected: bool,
                          pw: Option<u16>, sr: Option<u16>, u: Option<[u8; 16]>, rf: Option<u8>) {
        let vendors = o.vendors();
        round_trip!(Beacon, Beacon {
            version,
            wsc_state: WscState::from(state),
            ap_setup_locked: locked,
            selected_registrar: selected,
            device_password_id: pw.map(DevicePasswordId::from),
            selected_registrar_config_methods: sr.map(ConfigMethods),
            uuid_e: u.map(Uuid),
            rf_bands: rf.map(RfBands),
            wfa: o.wfa(),
            extra: Extra::vendor_extensions(&vendors),
            application_extension: o.app_ext.as_deref(),
        });
    }

    #[test]
    fn probe_response_round_trips(o in owned(), state: u8, locked: bool, selected: bool,
                                  pw: Option<u16>, sr: Option<u16>, rt: u8, u: [u8; 16],
                                  pdt: [u8; 8], cm: u16, rf: Option<u8>) {
        let vendors = o.vendors();
        round_trip!(ProbeResponse, ProbeResponse {
            version: 0x10,
            wsc_state: WscState::from(state),
            ap_setup_locked: locked,
            selected_registrar: selected,
            device_password_id: pw.map(DevicePasswordId::from),
            selected_registrar_config_methods: sr.map(ConfigMethods),
            response_type: ResponseType::from(rt),
            uuid_e: Uuid(u),
            device: o.device(pdt),
            config_methods: ConfigMethods(cm),
            rf_bands: rf.map(RfBands),
            wfa: o.wfa(),
            extra: Extra::vendor_extensions(&vendors),
            application_extension: o.app_ext.as_deref(),
        });
    }

    #[test]
    fn probe_request_round_trips(o in owned(), rt: u8, cm: u16, ue: Option<[u8; 16]>,
                                 ur: [u8; 16], pdt: [u8; 8], rf: u8, assoc: u16, err: u16,
                                 pw: u16, present: [bool; 4],
                                 requested in proptest::collection::vec(any::<[u8; 8]>(), 0..=10)) {
        let requested: Vec<_> = requested.into_iter().map(PrimaryDeviceType::from_bytes).collect();
        let opt = |i: usize| present[i].then_some(o.strings[i].as_slice());
        let vendors = o.vendors();
        round_trip!(ProbeRequest, ProbeRequest {
            version: 0x10,
            request_type: RequestType::from(rt),
            config_methods: ConfigMethods(cm),
            uuid_e: ue.map(Uuid),
            // One of the two is required.
            uuid_r: ue.is_none().then_some(Uuid(ur)),
            primary_device_type: PrimaryDeviceType::from_bytes(pdt),
            rf_bands: RfBands(rf),
            association_state: AssociationState::from(assoc),
            configuration_error: ConfigError::from(err),
            device_password_id: DevicePasswordId::from(pw),
            manufacturer: opt(0),
            model_name: opt(1),
            model_number: opt(2),
            device_name: opt(3).map(|s| &s[..s.len().min(32)]),
            wfa: o.wfa(),
            requested_device_types: DeviceTypeList::from_slice(&requested).unwrap(),
            secondary_device_types: o.secondary.as_deref(),
            extra: Extra::vendor_extensions(&vendors),
        });
    }

    #[test]
    fn assoc_round_trips(o in owned(), t: u8) {
        let vendors = o.vendors();
        round_trip!(AssocRequest, AssocRequest {
            version: 0x10,
            request_type: RequestType::from(t),
            wfa: o.wfa(),
            extra: Extra::vendor_extensions(&vendors),
        });
        round_trip!(AssocResponse, AssocResponse {
            version: 0x10,
            response_type: ResponseType::from(t),
            wfa: o.wfa(),
            extra: Extra::vendor_extensions(&vendors),
        });
    }

    #[test]
    fn parsing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = Beacon::parse(&bytes);
        let _ = ProbeRequest::parse(&bytes);
        let _ = ProbeResponse::parse(&bytes);
        let _ = AssocRequest::parse(&bytes);
        let _ = AssocResponse::parse(&bytes);
    }

    #[test]
    fn parsing_attribute_shaped_bytes_never_panics(
        attrs in proptest::collection::vec(
            (prop_oneof![0x1000u16..0x1070, Just(0x1049u16)], proptest::collection::vec(any::<u8>(), 0..24)),
            0..30),
        cut in any::<usize>()) {
        let mut out = Vec::new();
        for (t, v) in &attrs {
            wps::tlv::write_tlv(&mut out, *t, v).unwrap();
        }
        let cut = cut % (out.len() + 1);
        // Whatever parses re-encodes to its input, and reads the same from parsed attributes.
        macro_rules! exact {
            ($bytes:ident: $($ty:ident),*) => {$(
                if let Ok(v) = $ty::parse($bytes) {
                    prop_assert_eq!(v.to_bytes(), $bytes);
                    let attrs = wps::attr::Attributes::parse($bytes).unwrap();
                    prop_assert_eq!($ty::from_attributes(&attrs).unwrap(), v);
                }
            )*};
        }
        for bytes in [&out[..], &out[..cut]] {
            exact!(bytes: Beacon, ProbeRequest, ProbeResponse, AssocRequest, AssocResponse);
        }
    }
}

/// A flag is true when present and non-zero, and written as 1 only when true; a parsed
/// IE keeps the value it was sent with.
#[test]
fn flags_as_hostapd_reads_them() {
    let mut beacon = Beacon::new(WscState::Configured);
    beacon.wfa = None;
    let head = [0x10, 0x4a, 0, 1, 0x10, 0x10, 0x44, 0, 1, 2];
    let with = |flag: u8| [&head[..], &[0x10, 0x41, 0, 1, flag]].concat();
    for (value, selected) in [(0, false), (1, true), (2, true)] {
        let input = with(value);
        let parsed = Beacon::parse(&input).unwrap();
        assert_eq!(parsed.selected_registrar, selected);
        assert_eq!(parsed.to_bytes(), input);
        let built = Beacon {
            selected_registrar: selected,
            ..beacon
        };
        let written = if selected { with(1) } else { head.to_vec() };
        assert_eq!(built.to_bytes(), written);
    }
    // A parsed flag changed by hand is written from the field.
    let input = with(2);
    let cleared = Beacon {
        selected_registrar: false,
        ..Beacon::parse(&input).unwrap()
    };
    assert_eq!(cleared.to_bytes(), head);
    let input = with(0);
    let set = Beacon {
        selected_registrar: true,
        ..Beacon::parse(&input).unwrap()
    };
    assert_eq!(set.to_bytes(), with(1));
    beacon.selected_registrar = true;
    assert_eq!(beacon.buffer_len(), with(1).len());
}
