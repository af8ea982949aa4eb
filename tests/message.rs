//! The message layer against real hostapd/wpa_supplicant runs and iwd captures.

use proptest::prelude::*;
use serde_json::Value;
use wps::attr::{
    AssociationState, AttrType, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags,
    DevicePasswordId, EncrType, MacAddr, MessageType, PrimaryDeviceType, RfBands, Uuid,
    WfaExtension, WscState,
};
use wps::message::{
    Ack, CredentialError, CredentialRef, DeviceAttrs, Extra, KeyFormat, M1, M2, M3, M4Settings,
    M5Settings, M6Settings, M7Settings, M8Settings, Message, MessageError, Nack,
    append_authenticator, without_authenticator,
};
use wps::tlv::{TlvReader, write_tlv};
use wps_testkit::vectors::{self, RUNS, hex, json};

fn type_name(t: MessageType) -> &'static str {
    t.description()
}

#[test]
fn every_hostapd_message_parses_and_rebuilds_byte_exact() {
    let mut n = 0;
    for run in RUNS {
        for (name, wsc) in vectors::messages(run) {
            let msg = Message::parse(&wsc).unwrap_or_else(|e| panic!("{run} {name}: {e}"));
            assert_eq!(type_name(msg.message_type()), name, "{run}");
            assert_eq!(msg.to_bytes(), wsc, "{run} {name}: peer order");
            // hostapd's own order, from the typed fields alone.
            let mut built = Vec::new();
            msg.emit(&mut built).expect("emit");
            assert_eq!(built, wsc, "{run} {name}: hostapd order");
            // The nonce accessors give what the message carries.
            let attrs = wps::attr::Attributes::parse(&wsc).expect("attributes");
            let nonce = |t| attrs.array::<16>(t);
            assert_eq!(
                msg.enrollee_nonce(),
                nonce(AttrType::EnrolleeNonce),
                "{run} {name}"
            );
            assert_eq!(
                msg.registrar_nonce(),
                nonce(AttrType::RegistrarNonce),
                "{run} {name}"
            );
            n += 1;
        }
    }
    assert!(n >= 45, "{n} messages");
}

#[test]
fn authenticator_helpers_split_and_join() {
    for (name, wsc) in vectors::messages("hostapd-run-1") {
        let msg = Message::parse(&wsc).expect("parse");
        let auth = match &msg {
            Message::M2(m) => m.authenticator,
            Message::M3(m) => m.authenticator,
            Message::M8(m) => m.authenticator,
            _ => continue,
        }
        .expect("authenticator");
        let mut buf = Vec::new();
        match &msg {
            Message::M2(m) => m.emit_without_authenticator(&mut buf),
            Message::M3(m) => m.emit_without_authenticator(&mut buf),
            Message::M8(m) => m.emit_without_authenticator(&mut buf),
            _ => unreachable!(),
        }
        .expect("emit");
        assert_eq!(Some(&buf[..]), without_authenticator(&wsc), "{name}");
        append_authenticator(&mut buf, &auth).expect("append");
        assert_eq!(buf, wsc, "{name}");
    }
    assert_eq!(without_authenticator(&[0x10, 0x4a, 0, 1, 0x10]), None);
}

#[test]
fn run_1_fields() {
    let msgs = vectors::messages("hostapd-run-1");
    let v = json("hostapd-run-1/vectors.json");
    let m1 = M1::parse(&msgs[0].1).expect("M1");
    assert_eq!(m1.version, 0x10);
    assert_eq!(
        m1.mac_address.to_string(),
        v["enrollee"]["mac"].as_str().expect("mac")
    );
    assert_eq!(&m1.enrollee_nonce[..], hex(&v["enrollee"]["nonce"]));
    assert_eq!(m1.public_key.len(), 192);
    assert_eq!(m1.auth_type_flags, AuthType(0x0023));
    assert_eq!(m1.encr_type_flags, EncrType(0x000D));
    assert_eq!(m1.connection_type_flags, ConnectionTypeFlags::ESS);
    assert_eq!(m1.association_state, AssociationState::NotAssociated);
    assert_eq!(m1.device_password_id, DevicePasswordId::Default);
    assert_eq!(m1.config_error, ConfigError::NoError);
    assert_eq!(m1.os_version & 0x8000_0000, 0x8000_0000);
    assert!(m1.wfa.is_some_and(|w| w.is_wsc2()));
    let m2 = M2::parse(&msgs[1].1).expect("M2");
    assert_eq!(m2.enrollee_nonce, m1.enrollee_nonce);
    assert_eq!(&m2.registrar_nonce[..], hex(&v["registrar"]["nonce"]));
    // The wrong-type error.
    assert_eq!(
        M2::parse(&msgs[0].1),
        Err(MessageError::WrongType {
            found: MessageType::M1,
            expected: MessageType::M2
        })
    );
}

fn check_credential(c: &CredentialRef<'_>, expect: &Value) {
    let valid = c.validate().expect("valid credential");
    assert_eq!(valid.ssid, hex(&expect["ssid_hex"]));
    assert_eq!(
        u64::from(valid.auth_type.0),
        expect["auth_type"].as_u64().expect("auth")
    );
    assert_eq!(
        u64::from(valid.encr_type.0),
        expect["encr_type"].as_u64().expect("encr")
    );
    assert_eq!(valid.network_key, hex(&expect["network_key_hex"]));
    assert_eq!(valid.key_format, KeyFormat::Passphrase);
    assert_eq!(
        valid.mac_address.to_string(),
        expect["mac"].as_str().expect("mac")
    );
}

#[test]
fn every_hostapd_settings_plaintext_parses_and_rebuilds() {
    let mut n = 0;
    for run in RUNS {
        let v = json(&format!("{run}/vectors.json"));
        for es in v["encrypted_settings"].as_array().expect("array") {
            let plain = hex(&es["plaintext"]);
            let kwa = hex(&es["kwa"]);
            let which = es["message"].as_str().expect("message");
            let (rebuilt, emitted, got_kwa) = match which {
                "M4" => {
                    let s = M4Settings::parse(&plain).expect("M4 settings");
                    (s.to_bytes(), emit(|b| s.emit(b)), s.key_wrap_authenticator)
                }
                "M5" => {
                    let s = M5Settings::parse(&plain).expect("M5 settings");
                    (s.to_bytes(), emit(|b| s.emit(b)), s.key_wrap_authenticator)
                }
                "M6" => {
                    let s = M6Settings::parse(&plain).expect("M6 settings");
                    (s.to_bytes(), emit(|b| s.emit(b)), s.key_wrap_authenticator)
                }
                "M7" => {
                    let s = M7Settings::parse(&plain).expect("M7 settings");
                    match v.get("ap_settings") {
                        Some(ap) => {
                            let cred = s.ap_settings().expect("AP settings").expect("complete");
                            check_credential(&cred, ap);
                            // Rebuilt from the credential alone, in hostapd's M7 order.
                            let e_snonce2 = s.e_snonce2;
                            let again = M7Settings::with_ap_settings(e_snonce2, &cred);
                            let mut b = emit(|b| again.emit(b));
                            b.extend_from_slice(&plain[plain.len() - 12..]);
                            assert_eq!(b, plain, "{run} M7 from credential");
                        }
                        None => assert!(s.ap_settings().is_none()),
                    }
                    (s.to_bytes(), emit(|b| s.emit(b)), s.key_wrap_authenticator)
                }
                "M8" => {
                    let s = M8Settings::parse(&plain).expect("M8 settings");
                    let expect = &v["credential"];
                    if expect["in_credential_attribute"].as_bool() == Some(true) {
                        assert_eq!(s.credentials.len(), 1);
                        let c = s.credentials.iter().next().expect("one").expect("parses");
                        check_credential(&c, expect);
                        assert!(s.ap_settings().is_none());
                    } else {
                        assert!(s.credentials.is_empty());
                        let c = s.ap_settings().expect("flat").expect("complete");
                        check_credential(&c, expect);
                        let again = M8Settings::with_ap_settings(&c);
                        let mut b = emit(|b| again.emit(b));
                        b.extend_from_slice(&plain[plain.len() - 12..]);
                        assert_eq!(b, plain, "{run} flat M8 from credential");
                    }
                    (s.to_bytes(), emit(|b| s.emit(b)), s.key_wrap_authenticator)
                }
                other => panic!("unexpected {other}"),
            };
            assert_eq!(rebuilt, plain, "{run} {which}");
            assert_eq!(emitted, plain, "{run} {which}");
            assert_eq!(got_kwa.map(|k| k.to_vec()), Some(kwa));
            n += 1;
        }
    }
    assert_eq!(n, 24, "every plaintext of every run");
}

fn emit(f: impl FnOnce(&mut Vec<u8>) -> Result<(), wps::tlv::WriteError>) -> Vec<u8> {
    let mut out = Vec::new();
    f(&mut out).expect("emit");
    out
}

/// Every iwd message, re-encoded in its own order.
#[test]
fn iwd_captures_round_trip() {
    let mut all = Vec::new();
    for f in ["m1", "m2"] {
        for c in json(&format!("iwd/{f}.json"))["cases"]
            .as_array()
            .expect("cases")
        {
            all.push((
                c["name"].as_str().expect("name").to_string(),
                hex(&c["wsc_message_hex"]),
            ));
        }
    }
    for f in ["m3", "m4", "m5", "m6", "m7", "m8", "wsc_done"] {
        all.push((
            f.to_string(),
            hex(&json(&format!("iwd/{f}.json"))["wsc_message_hex"]),
        ));
    }
    for (name, wsc) in &all {
        let msg = Message::parse(wsc).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(&msg.to_bytes(), wsc, "{name}");
    }
    // Apple's M2: foreign vendor extension kept, OS Version without the top bit.
    let m2_2 = &all[3].1;
    let Ok(Message::M2(m2)) = Message::parse(m2_2) else {
        panic!("m2_2")
    };
    assert_eq!(m2.os_version, Some(0));
    assert!(m2.wfa.is_none());
    let vendor: Vec<&[u8]> = m2.extra.iter_vendor_extensions().collect();
    assert_eq!(vendor.len(), 1);
    assert_eq!(&vendor[0][..3], [0x00, 0x00, 0x3f]);
    // The builder writes the foreign extension where hostapd writes configured ones.
    let mut built = Vec::new();
    m2.emit(&mut built).expect("emit");
    assert_eq!(&built, m2_2);
}

#[test]
fn iwd_plaintexts() {
    let m4 = json("iwd/m4.json");
    let p = hex(&m4["encrypted_settings_test"]["plaintext_hex"]);
    let s = M4Settings::parse(&p).expect("M4 settings");
    assert_eq!(
        &s.r_snonce1[..],
        hex(&m4["encrypted_settings_test"]["expected"]["r_snonce1"])
    );
    assert_eq!(s.to_bytes(), p);
    assert!(format!("{s:?}").contains("redacted"));

    let m8 = json("iwd/m8.json");
    let expect = &m8["expected_credentials"][0];
    for p in [
        hex(&m8["decryption"]["plaintext"]),
        hex(&m8["encrypted_settings_test"]["plaintext_hex"]),
    ] {
        let s = M8Settings::parse(&p).expect("M8 settings");
        assert_eq!(s.to_bytes(), p);
        let c = s.credentials.iter().next().expect("one").expect("parses");
        let raw = s.credentials.raw_values().next().expect("raw");
        assert_eq!(c.to_bytes(), raw, "credential in its own order");
        let v = c.validate().expect("valid");
        assert_eq!(v.ssid, hex(&expect["ssid_hex"]));
        assert_eq!(v.network_key, hex(&expect["network_key_hex"]));
        assert_eq!(v.key_format, KeyFormat::HexPsk);
        assert_eq!(v.auth_type, AuthType::WPA2_PSK);
        assert_eq!(v.encr_type, EncrType::AES);
        assert!(!format!("{c:?}").contains("4604"), "key redacted");
    }
    // iwd's builder plaintext is hostapd's order too.
    let p = hex(&m8["encrypted_settings_test"]["plaintext_hex"]);
    let s = M8Settings::parse(&p).expect("parse");
    assert_eq!(emit(|b| s.emit(b)), p);
}

/// Attributes whose removal must make the parser name them (Version and Message Type
/// included), in no order; removing any other attribute must still parse.
fn required(t: MessageType) -> Vec<AttrType> {
    use AttrType::*;
    /// The device attributes M1 and M2 both require.
    const DEVICE: [AttrType; 6] = [
        Manufacturer,
        ModelName,
        ModelNumber,
        SerialNumber,
        PrimaryDeviceType,
        DeviceName,
    ];
    use wps::attr::MessageType as T;
    let own: &[AttrType] = match t {
        T::M1 => &[
            Version,
            MessageType,
            UuidE,
            MacAddress,
            EnrolleeNonce,
            PublicKey,
            AuthenticationTypeFlags,
            EncryptionTypeFlags,
            ConnectionTypeFlags,
            ConfigMethods,
            WscState,
            RfBands,
            AssociationState,
            DevicePasswordId,
            ConfigurationError,
            OsVersion,
        ],
        T::M2 => &[
            Version,
            MessageType,
            EnrolleeNonce,
            RegistrarNonce,
            UuidR,
            PublicKey,
            DevicePasswordId,
            Authenticator,
        ],
        T::M3 => &[
            Version,
            MessageType,
            RegistrarNonce,
            EHash1,
            EHash2,
            Authenticator,
        ],
        T::M4 => &[
            Version,
            MessageType,
            EnrolleeNonce,
            RHash1,
            RHash2,
            EncryptedSettings,
            Authenticator,
        ],
        T::M5 | T::M7 => &[
            Version,
            MessageType,
            RegistrarNonce,
            EncryptedSettings,
            Authenticator,
        ],
        T::M6 | T::M8 => &[
            Version,
            MessageType,
            EnrolleeNonce,
            EncryptedSettings,
            Authenticator,
        ],
        T::WscNack => &[
            Version,
            MessageType,
            EnrolleeNonce,
            RegistrarNonce,
            ConfigurationError,
        ],
        _ => &[Version, MessageType, EnrolleeNonce, RegistrarNonce],
    };
    let device: &[AttrType] = if matches!(t, T::M1 | T::M2) {
        &DEVICE
    } else {
        &[]
    };
    [own, device].concat()
}

#[test]
fn removing_a_required_attribute_names_it() {
    let mut all = vectors::messages("hostapd-run-1");
    all.extend(vectors::messages("hostapd-run-4-wrong-pin-first-half"));
    let mut checked = 0;
    for (name, wsc) in &all {
        let ty = Message::parse(wsc).expect("parse").message_type();
        let tlvs: Vec<_> = TlvReader::new(wsc).map(|t| t.expect("tlv")).collect();
        let mut named = Vec::new();
        for t in &tlvs {
            let mut cut = wsc[..t.offset].to_vec();
            cut.extend_from_slice(&wsc[t.end()..]);
            let attr = AttrType::from(t.attr_type);
            match Message::parse(&cut) {
                Err(MessageError::Missing(m)) => {
                    assert_eq!(m, attr, "{name}: removing {attr}");
                    named.push(attr);
                }
                Ok(_) => assert!(!required(ty).contains(&attr), "{name}: {attr} optional?"),
                Err(e) => panic!("{name} without {attr}: {e}"),
            }
            checked += 1;
        }
        let mut want = required(ty);
        want.sort();
        named.sort();
        assert_eq!(named, want, "{name}");
    }
    assert!(checked > 100);
}

#[test]
fn unknown_message_types() {
    let probe = [0x10, 0x4a, 0, 1, 0x10, 0x10, 0x22, 0, 1, 0x03];
    assert_eq!(
        Message::parse(&probe),
        Err(MessageError::UnknownType(MessageType::ProbeResponse))
    );
    assert_eq!(
        Message::parse(&[0x10, 0x4a, 0, 1, 0x10]),
        Err(MessageError::Missing(AttrType::MessageType))
    );
}

#[test]
fn unknown_attributes_and_duplicates_survive() {
    let (_, done) = vectors::messages("hostapd-run-1").pop().expect("done");
    let mut odd = done.clone();
    write_tlv(&mut odd, 0x10fa, b"x").expect("write");
    write_tlv(&mut odd, 0x2000, &[]).expect("write");
    // An earlier duplicate nonce: hostapd keeps the last one.
    let mut dup = Vec::new();
    write_tlv(&mut dup, 0x101a, &[9; 16]).expect("write");
    dup.extend_from_slice(&odd);
    dup.extend_from_slice(&[0, 0, 0, 0, 0, 0]); // Mac OS X zero padding
    let msg = Message::parse(&dup).expect("parse");
    assert_eq!(msg.to_bytes(), dup);
    assert_ne!(msg.enrollee_nonce(), Some(&[9; 16]));
}

#[test]
fn a_repeated_message_type_is_read_as_the_last_one() {
    let messages = vectors::messages("hostapd-run-1");
    let bytes = |name: &str| {
        messages
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.clone())
            .expect("message")
    };
    // M1 with a second Message Type saying M2 (hostapd keeps the last one): not an M1,
    // and an M2 with a first Message Type saying M1 is still an M2.
    let mut m1_then_m2 = bytes("M1");
    write_tlv(&mut m1_then_m2, 0x1022, &[0x05]).expect("write");
    assert_eq!(
        Message::parse(&m1_then_m2).map(|m| m.message_type()),
        Message::from_attributes(&wps::attr::Attributes::parse(&m1_then_m2).expect("attrs"))
            .map(|m| m.message_type())
    );
    assert!(matches!(
        Message::parse(&m1_then_m2),
        Err(MessageError::Missing(_))
    ));
    let mut m1_first = Vec::new();
    write_tlv(&mut m1_first, 0x1022, &[0x04]).expect("write");
    m1_first.extend_from_slice(&bytes("M2"));
    let m2 = Message::parse(&m1_first).expect("M2");
    assert_eq!(m2.message_type(), MessageType::M2);
    assert_eq!(m2.to_bytes(), m1_first);
}

fn credential(
    c: &CredentialRef<'_>,
    auth: AuthType,
    encr: EncrType,
    key: Option<&'static [u8]>,
) -> Result<usize, CredentialError> {
    let c = CredentialRef {
        auth_type: auth,
        encr_type: encr,
        network_key: key,
        ..*c
    };
    c.validate().map(|v| v.network_key.len())
}

#[test]
fn credential_validation_follows_hostapd() {
    let base = CredentialRef {
        network_index: 1,
        ssid: b"net\0\0",
        auth_type: AuthType::WPA2_PSK,
        encr_type: EncrType::AES,
        network_key_index: None,
        network_key: Some(b"12345678"),
        mac_address: MacAddr([2, 0, 0, 0, 0, 1]),
        wfa: None,
        extra: Extra::NONE,
    };
    let psk = AuthType::WPA2_PSK;
    let aes = EncrType::AES;
    assert_eq!(base.validate().map(|v| v.ssid), Ok(&b"net"[..]));
    assert_eq!(credential(&base, psk, aes, Some(b"123456789\0")), Ok(9));
    assert_eq!(credential(&base, psk, aes, Some(b"12345678\0")), Ok(8));
    assert_eq!(
        credential(&base, psk, aes, Some(b"1234567\0")),
        Err(CredentialError::InvalidPassphrase { len: 8 })
    );
    assert_eq!(
        credential(&base, psk, aes, Some(b"1234567")),
        Err(CredentialError::InvalidPassphrase { len: 7 })
    );
    assert_eq!(
        credential(&base, psk, aes, Some(b"1234\x015678")),
        Err(CredentialError::InvalidPassphrase { len: 9 })
    );
    assert_eq!(
        credential(&base, psk, aes, None),
        Err(CredentialError::MissingNetworkKey)
    );
    assert_eq!(
        credential(&base, AuthType::OPEN, EncrType::NONE, None),
        Ok(0)
    );
    assert_eq!(
        credential(&base, AuthType::OPEN, EncrType::WEP, Some(b"12345")),
        Err(CredentialError::WepOnly)
    );
    assert_eq!(
        credential(&base, AuthType::OPEN, EncrType(0x10), Some(b"12345")),
        Err(CredentialError::UnsupportedEncryption(EncrType(0x10)))
    );
    // A NUL is stripped only from PSK keys.
    assert_eq!(
        credential(&base, AuthType::OPEN, EncrType::NONE, Some(b"abcdefghi\0")),
        Ok(10)
    );
    assert_eq!(KeyFormat::of(&[b'a'; 64]), KeyFormat::HexPsk);
    assert_eq!(KeyFormat::of(&[b'z'; 64]), KeyFormat::Other);
    assert_eq!(KeyFormat::of(&[b'z'; 63]), KeyFormat::Passphrase);

    // Several credentials in one M8; an SSID over 32 bytes is ignored, so missing.
    let long = [b's'; 33];
    let creds = [
        base,
        CredentialRef {
            network_index: 2,
            ..base
        },
        CredentialRef {
            ssid: &long,
            ..base
        },
    ];
    let s = M8Settings::with_credentials(&creds);
    let bytes = emit(|b| s.emit(b));
    let back = M8Settings::parse(&bytes).expect("parse");
    let got: Vec<_> = back.credentials.iter().collect();
    assert_eq!(got.len(), 3);
    assert_eq!(got[1].map(|c| c.network_index), Ok(2));
    assert_eq!(got[2], Err(MessageError::Missing(AttrType::Ssid)));
    assert_eq!(back.to_bytes(), bytes);
}

// ---- property tests -------------------------------------------------------------

/// Emits `$value`, parses the bytes back as a `$ty` and checks it equal to `$value` (but
/// for the parsed `extra`, which keeps the whole input).
macro_rules! prop_assert_parses_back {
    ($ty:ident, $value:expr) => {{
        let mut buf = Vec::new();
        $value.emit(&mut buf).expect("emit");
        let mut back = $ty::parse(&buf).expect("parse");
        back.extra = Extra::NONE;
        prop_assert_eq!(back, $value);
    }};
}

/// `emit_attribute` writes the Credential header with the length `emit` writes, then
/// what `emit` writes.
fn prop_assert_emits_attribute(c: &CredentialRef<'_>) -> Result<(), TestCaseError> {
    let (mut attribute, mut nested) = (Vec::new(), Vec::new());
    prop_assert_eq!(c.emit(&mut nested), Ok(()));
    prop_assert_eq!(c.emit_attribute(&mut attribute), Ok(()));
    let len = u16::try_from(nested.len()).expect("short");
    let mut expected = vec![0x10, 0x0E];
    expected.extend_from_slice(&len.to_be_bytes());
    expected.extend_from_slice(&nested);
    prop_assert_eq!(attribute, expected);
    Ok(())
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..=max)
}

prop_compose! {
    fn device()(m in bytes(64), n in bytes(32), num in bytes(32), s in bytes(32),
                t in any::<[u8; 8]>(), d in bytes(32))
        -> (Vec<u8>, Vec<u8>, Vec<u8>, Vec<u8>, [u8; 8], Vec<u8>) { (m, n, num, s, t, d) }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_never_panics_and_round_trips(input in bytes(400)) {
        if let Ok(m) = Message::parse(&input) {
            prop_assert_eq!(m.to_bytes(), input);
        }
    }

    #[test]
    fn settings_parse_never_panics(input in bytes(300)) {
        if let Ok(s) = M8Settings::parse(&input) {
            prop_assert_eq!(s.to_bytes(), input.clone());
            for c in s.credentials.iter().flatten() {
                let _ = c.validate();
            }
        }
        if let Ok(c) = CredentialRef::parse(&input) {
            prop_assert_emits_attribute(&c)?;
            prop_assert_eq!(c.to_bytes(), input);
        }
    }

    #[test]
    fn built_m1_parses_back_equal(
        uuid in any::<[u8; 16]>(), mac in any::<[u8; 6]>(), nonce in any::<[u8; 16]>(),
        pk in proptest::collection::vec(any::<u8>(), 190..=192),
        flags in any::<(u16, u16, u8, u16, u8, u8, u16, u16, u16, u32)>(),
        dev in device(), v2 in proptest::option::of(any::<u8>()),
    ) {
        let (auth, encr, conn, cm, state, rf, assoc, pw, err, os) = flags;
        let m1 = M1 {
            version: 0x10,
            uuid_e: Uuid(uuid),
            mac_address: MacAddr(mac),
            enrollee_nonce: &nonce,
            public_key: &pk,
            auth_type_flags: AuthType(auth),
            encr_type_flags: EncrType(encr),
            connection_type_flags: ConnectionTypeFlags(conn),
            config_methods: ConfigMethods(cm),
            wsc_state: WscState::from(state),
            device: DeviceAttrs {
                manufacturer: &dev.0, model_name: &dev.1, model_number: &dev.2,
                serial_number: &dev.3, primary_device_type: PrimaryDeviceType::from_bytes(dev.4),
                device_name: &dev.5,
            },
            rf_bands: RfBands(rf),
            association_state: AssociationState::from(assoc),
            device_password_id: DevicePasswordId::from(pw),
            config_error: ConfigError::from(err),
            os_version: os,
            wfa: v2.map(|v| WfaExtension { version2: Some(v), ..WfaExtension::default() }),
            extra: Extra::NONE,
        };
        let mut buf = Vec::new();
        m1.emit(&mut buf).expect("emit");
        let mut back = M1::parse(&buf).expect("parse");
        prop_assert_eq!(back.to_bytes(), buf.clone());
        back.extra = Extra::NONE;
        if let Some(w) = &mut back.wfa { w.data = &[]; }
        prop_assert_eq!(back, m1);
    }

    #[test]
    fn built_m2_m3_nack_parse_back_equal(
        n1 in any::<[u8; 16]>(), n2 in any::<[u8; 16]>(), h in any::<[u8; 32]>(),
        auth in any::<[u8; 8]>(), err in any::<u16>(), pk in bytes(192),
        dev in device(), opt in any::<(Option<u16>, Option<u32>, Option<u8>)>(),
    ) {
        let pk = if pk.len() < 190 { vec![7; 192] } else { pk };
        let device = DeviceAttrs {
            manufacturer: &dev.0, model_name: &dev.1, model_number: &dev.2,
            serial_number: &dev.3, primary_device_type: PrimaryDeviceType::from_bytes(dev.4),
            device_name: &dev.5,
        };
        let m2 = M2 {
            version: 0x10, enrollee_nonce: &n1, registrar_nonce: &n2, uuid_r: Uuid(n2),
            public_key: &pk, auth_type_flags: opt.0.map(AuthType), encr_type_flags: None,
            connection_type_flags: None, config_methods: opt.0.map(ConfigMethods), device,
            rf_bands: opt.2.map(RfBands), association_state: None,
            config_error: Some(ConfigError::from(err)),
            device_password_id: DevicePasswordId::PushButton, os_version: opt.1,
            wfa: None, encrypted_settings: None, authenticator: None, extra: Extra::NONE,
        };
        let mut buf = Vec::new();
        m2.emit_without_authenticator(&mut buf).expect("emit");
        append_authenticator(&mut buf, &auth).expect("append");
        let mut back = M2::parse(&buf).expect("parse");
        back.extra = Extra::NONE;
        prop_assert_eq!(back, M2 { authenticator: Some(auth), ..m2 });

        let m3 = M3 { version: 0x10, registrar_nonce: &n2, e_hash1: &h, e_hash2: &h,
                      wfa: None, authenticator: Some(auth), extra: Extra::NONE };
        prop_assert_parses_back!(M3, m3);

        let nack = Nack { version: 0x10, enrollee_nonce: &n1, registrar_nonce: &n2,
                          config_error: ConfigError::from(err), wfa: None, extra: Extra::NONE };
        prop_assert_parses_back!(Nack, nack);
        let ack = Ack { version: 0x10, enrollee_nonce: &n1, registrar_nonce: &n2,
                        wfa: None, extra: Extra::NONE };
        prop_assert_eq!(Ack::parse(&ack.to_bytes()).map(|a| *a.registrar_nonce), Ok(n2));
    }

    #[test]
    fn built_credential_parses_back_equal(
        idx in any::<u8>(), ssid in bytes(32), auth in any::<u16>(), encr in any::<u16>(),
        key in proptest::option::of(bytes(64)), ki in proptest::option::of(any::<u8>()),
        mac in any::<[u8; 6]>(), shareable in proptest::option::of(any::<u8>()),
        vendor in proptest::option::of(bytes(20)),
    ) {
        let c = CredentialRef {
            network_index: idx, ssid: &ssid, auth_type: AuthType(auth),
            encr_type: EncrType(encr), network_key_index: ki, network_key: key.as_deref(),
            mac_address: MacAddr(mac), wfa: None, extra: Extra::NONE,
        };
        prop_assert_parses_back!(CredentialRef, c);
        let _ = c.validate();
        prop_assert_emits_attribute(&c)?;

        // With the WFA extension and another vendor's extension.
        let vendor = vendor.map(|mut v| { v.splice(0..0, [0x00, 0x10, 0x18]); v });
        let vendor_list = [vendor.as_deref().unwrap_or(&[0x00, 0x10, 0x18])];
        let c = CredentialRef {
            wfa: shareable.map(|v| WfaExtension {
                version2: Some(0x20), network_key_shareable: Some(v), ..WfaExtension::default()
            }),
            extra: Extra::vendor_extensions(if vendor.is_some() { &vendor_list } else { &[] }),
            ..c
        };
        prop_assert_emits_attribute(&c)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The one-pass message parsers agree with the general attribute table on any
    /// mutation of a real message.
    #[test]
    fn fast_and_general_parsers_agree(
        which in 0usize..10, cut in any::<prop::sample::Index>(),
        flip in any::<prop::sample::Index>(), byte in any::<u8>(), mode in 0u8..3,
    ) {
        let msgs = vectors::messages("hostapd-run-1");
        let mut m = msgs[which % msgs.len()].1.clone();
        match mode {
            0 => m.truncate(cut.index(m.len() + 1)),
            1 => { let i = flip.index(m.len()); m[i] = byte; }
            _ => { let i = flip.index(m.len()); m.insert(i, byte); }
        }
        let general = wps::attr::Attributes::parse(&m)
            .map_err(MessageError::from)
            .and_then(|a| Message::from_attributes(&a));
        prop_assert_eq!(Message::parse(&m), general);
    }
}
