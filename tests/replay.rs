//! Replays of real runs: our registrar fed wpa_supplicant's (or hostapd's) enrollee
//! messages must emit the other implementation's replies byte for byte, and so must our
//! enrollee, given the logged secrets of the side it stands in for.

use serde_json::Value;
use wps::attr::{
    AttrType, Attributes, AuthType, ConfigMethods, ConnectionTypeFlags, DevicePasswordId, EncrType,
    MacAddr, MessageType, RfBands, Uuid,
};
use wps::message::{DeviceAttrs, DeviceIdentity};
use wps::pin::DevicePassword;
use wps::registration::*;
use wps::time::Instant;

use wps_testkit::vectors::{self, hex, json as load};

fn arr16(v: &Value) -> [u8; 16] {
    hex(v).try_into().unwrap()
}

fn mac(v: &Value) -> MacAddr {
    MacAddr(vectors::mac(v))
}

/// Our description of a device, taken from its M1 or M2 so that our bytes can match.
fn device_from(msg: &[u8], uuid: AttrType, own_mac: MacAddr) -> DeviceInfo {
    let a = Attributes::parse(msg).unwrap();
    DeviceInfo {
        uuid: Uuid(a.array::<16>(uuid).copied().unwrap()),
        mac: a
            .get(AttrType::MacAddress)
            .and_then(MacAddr::from_slice)
            .unwrap_or(own_mac),
        identity: DeviceIdentity::from(DeviceAttrs::from_attributes(&a).unwrap()),
        config_methods: ConfigMethods::from(a.u16(AttrType::ConfigMethods).unwrap()),
        rf_bands: RfBands::from(a.u8(AttrType::RfBands).unwrap()),
        os_version: a.u32(AttrType::OsVersion).unwrap() & 0x7fff_ffff,
        auth_type_flags: AuthType::from(a.u16(AttrType::AuthenticationTypeFlags).unwrap()),
        encr_type_flags: EncrType::from(a.u16(AttrType::EncryptionTypeFlags).unwrap()),
        connection_type_flags: ConnectionTypeFlags::from(
            a.u8(AttrType::ConnectionTypeFlags).unwrap(),
        ),
    }
}

fn settings(c: &Value) -> NetworkSettings {
    NetworkSettings::new(
        &hex(&c["ssid_hex"]),
        AuthType::from(c["auth_type"].as_u64().unwrap() as u16),
        EncrType::from(c["encr_type"].as_u64().unwrap() as u16),
        &hex(&c["network_key_hex"]),
    )
    .unwrap()
}

/// The IVs one side used, in sending order, padded to three.
fn ivs(v: &Value, from: &str) -> [[u8; 16]; 3] {
    let mut out = [[0u8; 16]; 3];
    let list: Vec<_> = v["encrypted_settings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == from)
        .collect();
    for (slot, e) in out.iter_mut().zip(list) {
        *slot = arr16(&e["iv"]);
    }
    out
}

struct Wire {
    from: String,
    name: String,
    bytes: Vec<u8>,
}

fn wire(v: &Value) -> Vec<Wire> {
    v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["name"] != "WSC_Start")
        .map(|m| Wire {
            from: m["from"].as_str().unwrap().to_owned(),
            name: m["name"].as_str().unwrap().to_owned(),
            bytes: hex(&m["wsc"]),
        })
        .collect()
}

/// Feeds `handle` every message `peer` sent in the run, in order, and checks each answer
/// against the message recorded next: byte for byte, or none when the next is not ours.
fn answer_each(
    run: &str,
    w: &[Wire],
    peer: &str,
    mut handle: impl FnMut(&[u8]) -> Option<Outgoing>,
) {
    for (i, m) in w.iter().enumerate() {
        if m.from != peer {
            continue;
        }
        let out = handle(&m.bytes);
        match w.get(i + 1).filter(|n| n.from != peer) {
            Some(expected) => {
                let out = out.unwrap_or_else(|| panic!("{run}: no reply to {}", m.name));
                assert_eq!(out.message_type.to_string(), expected.name, "{run}");
                assert_eq!(
                    hex::encode(&out.bytes),
                    hex::encode(&expected.bytes),
                    "{run}: {}",
                    expected.name
                );
            }
            None => assert!(
                out.is_none(),
                "{run}: unexpected reply to {}: {out:?}",
                m.name
            ),
        }
    }
}

fn find<'a>(w: &'a [Wire], name: &str) -> &'a [u8] {
    &w.iter().find(|m| m.name == name).unwrap().bytes
}

/// The secrets one side (`"registrar"` or `"enrollee"`) of a run logged; `s1` and `s2`
/// name its secret nonces.
fn run_secrets(v: &Value, side: &str, s1: &str, s2: &str) -> SessionSecrets {
    let x = &v[side];
    let secret_nonces = [arr16(&x[s1]), arr16(&x[s2])];
    SessionSecrets::from_parts(
        &hex(&x["dh_private"]),
        arr16(&x["nonce"]),
        secret_nonces,
        ivs(v, side),
    )
    .unwrap()
}

/// The device password one side of a run used.
fn run_password(side: &Value) -> DevicePassword {
    DevicePassword::from_bytes(side["device_password"].as_str().unwrap().as_bytes()).unwrap()
}

/// Our registrar, fed the enrollee's messages, must send the registrar's bytes.
fn replay_registrar(run: &str) -> Vec<Event> {
    let v = load(&format!("{run}/vectors.json"));
    let w = wire(&v);
    let r = &v["registrar"];
    let device = device_from(find(&w, "M2"), AttrType::UuidR, MacAddr::default());
    let secrets = run_secrets(&v, "registrar", "r_s1", "r_s2");
    let role_is_ap = r["role"] == "ap";
    let config = if role_is_ap {
        let networks = v.get("credential").map(settings).into_iter().collect();
        RegistrarConfig::internal(device, networks)
    } else {
        RegistrarConfig::external(device, v.get("credential").map(settings))
    };
    let mut reg = RegistrarSession::new(config, secrets, Instant::ZERO);
    let mut source = FixedPassword::new(run_password(r));
    answer_each(run, &w, "enrollee", |m| {
        reg.handle(m, Instant::ZERO, &mut source)
    });
    assert!(reg.is_finished(), "{run}");
    core::iter::from_fn(|| reg.poll_event()).collect()
}

/// Our enrollee, fed the registrar's messages, must send the enrollee's bytes.
fn replay_enrollee(run: &str) -> Vec<Event> {
    let v = load(&format!("{run}/vectors.json"));
    let w = wire(&v);
    let e = &v["enrollee"];
    let m1 = find(&w, "M1");
    let device = device_from(m1, AttrType::UuidE, mac(&e["mac"]));
    let a1 = Attributes::parse(m1).unwrap();
    let secrets = run_secrets(&v, "enrollee", "e_s1", "e_s2");
    let password = run_password(e);
    let mut config = if e["role"] == "ap" {
        let current = Credential::new(settings(&v["ap_settings"]), mac(&v["ap_settings"]["mac"]));
        EnrolleeConfig::access_point(device, password, current)
    } else {
        EnrolleeConfig::station(device, password)
    };
    config.device_password_id = DevicePasswordId::from(a1.u16(AttrType::DevicePasswordId).unwrap());
    config.wsc_state = a1.u8(AttrType::WscState).unwrap();
    let mut enr = Enrollee::new(config, secrets, Instant::ZERO);
    assert_eq!(
        hex::encode(enr.start(Instant::ZERO).bytes),
        hex::encode(m1),
        "{run}: M1"
    );
    answer_each(run, &w, "registrar", |m| enr.handle(m, Instant::ZERO));
    assert!(enr.is_finished(), "{run}");
    core::iter::from_fn(|| enr.poll_event()).collect()
}

fn the_credential(events: &[Event]) -> Credential {
    let c: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            Event::Credential(c) | Event::NewApSettings(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(c.len(), 1);
    c[0].clone()
}

fn check_credential(run: &str, c: &Credential) {
    let v = load(&format!("{run}/vectors.json"));
    let expected = &v["credential"];
    assert_eq!(c.settings(), &settings(expected));
    assert_eq!(c.mac(), mac(&expected["mac"]));
}

fn failure(events: &[Event]) -> Failure {
    events
        .iter()
        .find_map(|e| match e {
            Event::Failure(f) => Some(*f),
            _ => None,
        })
        .unwrap()
}

const RUN1: &str = "hostapd-run-1";
const RUN2: &str = "hostapd-run-2-er-new-settings";
const RUN3: &str = "hostapd-run-3-frag100";
const RUN4: &str = "hostapd-run-4-wrong-pin-first-half";
const RUN5: &str = "hostapd-run-5-wrong-pin-second-half";
const RUN8: &str = "hostapd-run-8-pbc";

#[test]
fn registrar_emits_hostapds_bytes_run1() {
    assert!(replay_registrar(RUN1).contains(&Event::Success));
}

#[test]
fn enrollee_emits_wpa_supplicants_bytes_run1() {
    let ev = replay_enrollee(RUN1);
    check_credential(RUN1, &the_credential(&ev));
    assert!(ev.contains(&Event::Success));
}

#[test]
fn fragmented_run3_is_the_same_at_this_layer() {
    assert!(replay_registrar(RUN3).contains(&Event::Success));
    check_credential(RUN3, &the_credential(&replay_enrollee(RUN3)));
}

#[test]
fn pbc_run8_both_sides() {
    assert!(replay_registrar(RUN8).contains(&Event::Success));
    check_credential(RUN8, &the_credential(&replay_enrollee(RUN8)));
}

#[test]
fn external_registrar_run2_emits_wpa_supplicants_bytes() {
    let ev = replay_registrar(RUN2);
    assert!(ev.contains(&Event::Success));
    let v = load(&format!("{RUN2}/vectors.json"));
    let read = ev.iter().find_map(|e| match e {
        Event::ApSettings(c) => Some(c.clone()),
        _ => None,
    });
    assert_eq!(read.unwrap().settings(), &settings(&v["ap_settings"]));
}

#[test]
fn ap_enrollee_run2_emits_hostapds_bytes() {
    let ev = replay_enrollee(RUN2);
    check_credential(RUN2, &the_credential(&ev));
    assert!(ev.contains(&Event::Success));
}

/// Both sides of a wrong-PIN run fail at the message type `after` (8: M4, 10: M6) with
/// Configuration Error 18 (device password authentication failure), as the daemons
/// did; returns the registrar's events.
fn both_sides_fail_after(run: &str, after: u8) -> Vec<Event> {
    let registrar = replay_registrar(run);
    for (side, events) in [
        ("enrollee", &replay_enrollee(run)),
        ("registrar", &registrar),
    ] {
        let f = failure(events);
        let got = (f.message.map(u8::from), u16::from(f.config_error));
        assert_eq!(got, (Some(after), 18), "{run} {side}");
    }
    registrar
}

#[test]
fn wrong_first_half_run4_same_nack() {
    both_sides_fail_after(RUN4, 8);
}

#[test]
fn wrong_second_half_run5_same_nack() {
    let ev = both_sides_fail_after(RUN5, 10);
    assert!(
        ev.iter()
            .any(|e| matches!(e, Event::PasswordOutcome(PasswordOutcome::Invalidate(_))))
    );
}

#[test]
fn iwd_pbc_handshake_enrollee_bytes() {
    let m1 = &load("iwd/m1.json")["cases"][1];
    let m1_bytes = hex(&m1["wsc_message_hex"]);
    let hs = load("iwd/handshake_pbc.json");
    let cfg = &hs["enrollee_config"];
    let dh = &load("iwd/dh.json")["cases"][1];
    assert_eq!(dh["name"], "pair2");
    let device = device_from(&m1_bytes, AttrType::UuidE, MacAddr::default());
    let secrets = SessionSecrets::from_parts(
        &hex(&dh["private_key"]),
        arr16(&cfg["enrollee_nonce"]),
        [arr16(&cfg["e_snonce1"]), arr16(&cfg["e_snonce2"])],
        [arr16(&cfg["iv1"]), arr16(&cfg["iv2"]), [0; 16]],
    )
    .unwrap();
    let config = EnrolleeConfig::station(device, DevicePassword::pushbutton());
    let mut enr = Enrollee::new(config, secrets, Instant::ZERO);
    let now = Instant::ZERO;
    assert_eq!(hex::encode(enr.start(now).bytes), hex::encode(&m1_bytes));
    let m2 = hex(&load("iwd/m2.json")["cases"][1]["wsc_message_hex"]);
    let steps = [
        (m2, "m3"),
        (msg("m4"), "m5"),
        (msg("m6"), "m7"),
        (msg("m8"), "wsc_done"),
    ];
    for (input, reply) in steps {
        let out = enr
            .handle(&input, now)
            .unwrap_or_else(|| panic!("no {reply}"));
        assert_eq!(hex::encode(out.bytes), hex::encode(msg(reply)), "{reply}");
    }
    assert_eq!(MessageType::WscDone, MessageType::from(0x0f));
    let ev: Vec<_> = core::iter::from_fn(|| enr.poll_event()).collect();
    let c = the_credential(&ev);
    assert_eq!(c.ssid(), b"TestWPA");
    assert_eq!(c.auth_type(), AuthType::WPA2_PSK);
    assert_eq!(c.network_key().len(), 64);
    assert!(enr.is_success());
}

fn msg(name: &str) -> Vec<u8> {
    hex(&load(&format!("iwd/{name}.json"))["wsc_message_hex"])
}
