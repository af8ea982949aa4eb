//! Multi-AP backhaul onboarding against the real hostapd ↔ wpa_supplicant run in
//! tests/vectors/multiap (hostapd `multi_ap=3` with a backhaul network,
//! wpa_supplicant `multi_ap=1`).

use wps::attr::{AuthType, EncrType, MacAddr, MultiApFlags, WfaExtension};
use wps::eap::{Body, EapPacket, EapolPacket, EapolType, OpCode};
use wps::message::{
    Extra, M1, M8Settings, Message, MultiApMode, MultiApRegistrar, backhaul_credential,
};
use wps_testkit::vectors;

/// Every unfragmented WSC message of the capture, in order.
fn wsc_messages() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for f in vectors::eapol_frames("multiap") {
        let eapol = EapolPacket::parse(&f.payload).unwrap();
        if eapol.packet_type != EapolType::EapPacket {
            continue;
        }
        let eap = EapPacket::parse(eapol.body).unwrap();
        if let Body::Wsc(frame) = eap.body
            && frame.op_code == OpCode::Msg
        {
            assert!(!frame.flags.more_fragments(), "the run is not fragmented");
            out.push(frame.data.to_vec());
        }
    }
    out
}

fn captured_m1() -> Vec<u8> {
    wsc_messages()
        .into_iter()
        .find(|m| matches!(Message::parse(m), Ok(Message::M1(_))))
        .expect("an M1 in the capture")
}

/// The hex dump after `marker` on the log line that has it.
fn log_hex(marker: &str) -> Vec<u8> {
    let log = vectors::text("multiap/log-excerpt.txt");
    let line = log.lines().find(|l| l.contains(marker)).unwrap();
    let hex = line.rsplit("): ").next().unwrap().replace(' ', "");
    hex::decode(hex).unwrap()
}

const ENROLLEE: MacAddr = MacAddr([0x02, 0, 0, 0, 0x5b, 0x01]);

#[test]
fn wpa_supplicant_m1_asks_for_backhaul() {
    let bytes = captured_m1();
    let m1 = M1::parse(&bytes).unwrap();
    assert_eq!(m1.mac_address, ENROLLEE);
    assert_eq!(m1.multi_ap(), Some(MultiApFlags::BACKHAUL_STA));
    assert!(m1.asks_for_backhaul());
    assert_eq!(m1.to_bytes(), bytes);
}

#[test]
fn our_m1_with_the_flag_is_wpa_supplicants() {
    // Building the same M1 from fields, with the helper's WFA extension, gives
    // wpa_supplicant's bytes: the subelement order (Version2, then Multi-AP) is right.
    let bytes = captured_m1();
    let parsed = M1::parse(&bytes).unwrap();
    let built = M1 {
        wfa: Some(WfaExtension::backhaul_sta()),
        extra: Extra::NONE,
        ..parsed
    };
    let mut out = Vec::new();
    built.emit(&mut out).unwrap();
    assert_eq!(out, bytes);
    // Without the flag the M1 differs exactly by the three subelement bytes.
    let plain = M1 {
        wfa: Some(WfaExtension::version2_only()),
        ..built
    };
    assert!(!plain.asks_for_backhaul());
    assert_eq!(plain.to_bytes().len() + 3, bytes.len());
}

#[test]
fn hostapd_backhaul_credential_byte_for_byte() {
    // wpa_supplicant's dump of the decrypted M8 settings: Credential, KWA, padding.
    let decrypted = log_hex("Decrypted Encrypted Settings");
    let pad = usize::from(*decrypted.last().unwrap());
    let with_kwa = &decrypted[..decrypted.len() - pad];
    let settings = M8Settings::parse(with_kwa).unwrap();
    assert!(settings.key_wrap_authenticator.is_some());
    let creds: Vec<_> = settings
        .credentials
        .iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(creds.len(), 1);
    let got = &creds[0];
    assert_eq!(got.ssid, b"wpsu-backhaul");
    assert_eq!(got.auth_type, AuthType::WPA2_PSK);
    assert_eq!(got.encr_type, EncrType::AES);
    assert_eq!(got.mac_address, ENROLLEE);

    // What our registrar would send for the same M1 and configuration.
    let m1_bytes = captured_m1();
    let m1 = M1::parse(&m1_bytes).unwrap();
    let ap = MultiApRegistrar::new(
        MultiApMode::from_config(3).unwrap(),
        b"wpsu-backhaul",
        b"wpsu-backhaul-pass",
    )
    .unwrap();
    let ours = ap.credential_for(m1.wfa, m1.mac_address).unwrap();
    let mut attr = Vec::new();
    ours.emit_attribute(&mut attr).unwrap();
    assert_eq!(attr, log_hex("Received Credential attribute"));
    assert_eq!(
        ours,
        backhaul_credential(b"wpsu-backhaul", b"wpsu-backhaul-pass", ENROLLEE)
    );
    // hostapd's multi_ap=2 does the same; a backhaul-only BSS does not hand it out.
    for (mode, hands_out) in [
        (MultiApMode::Fronthaul, true),
        (MultiApMode::Backhaul, false),
    ] {
        let ap = MultiApRegistrar::new(mode, b"wpsu-backhaul", b"wpsu-backhaul-pass").unwrap();
        let credential = ap.credential_for(m1.wfa, m1.mac_address);
        assert_eq!(credential.is_some(), hands_out, "{mode:?}");
    }
}

#[test]
fn an_ordinary_m1_does_not_ask() {
    // hostapd-run-1: wpa_supplicant without multi_ap=1 writes Version2 alone.
    let bytes = vectors::message("hostapd-run-1", "M1");
    let m1 = M1::parse(&bytes).unwrap();
    assert_eq!(m1.multi_ap(), None);
    assert!(!m1.asks_for_backhaul());
    let ap =
        MultiApRegistrar::new(MultiApMode::Both, b"wpsu-backhaul", b"wpsu-backhaul-pass").unwrap();
    assert!(ap.credential_for(m1.wfa, m1.mac_address).is_none());
}

#[test]
fn our_enrollee_asks_as_wpa_supplicant_does() {
    use rand::SeedableRng;
    use wps::pin::DevicePassword;
    use wps::registration::{DeviceInfo, Enrollee, EnrolleeConfig, SessionSecrets};
    use wps::time::Instant;

    let captured_bytes = captured_m1();
    let captured = M1::parse(&captured_bytes).unwrap();
    let device = DeviceInfo::new(captured.uuid_e, ENROLLEE, "extender");
    let mut config = EnrolleeConfig::station(device, DevicePassword::pushbutton());
    let mut m1_of = |asks: bool| {
        config.asks_for_backhaul = asks;
        let secrets = SessionSecrets::generate(&mut rand::rngs::StdRng::seed_from_u64(7));
        Enrollee::new(config.clone(), secrets, Instant::ZERO)
            .start(Instant::ZERO)
            .bytes
    };
    let asking = m1_of(true);
    let plain = m1_of(false);
    let m1 = M1::parse(&asking).unwrap();
    assert!(m1.asks_for_backhaul());
    // The same WFA vendor extension, byte for byte: everything else is equal between
    // the two of ours, and the extension is three bytes longer.
    assert_eq!(m1.wfa, captured.wfa);
    // The WFA vendor extension attribute is M1's last: 4 + 6 bytes without the
    // subelement, 4 + 9 with it.
    assert_eq!(plain.len() + 3, asking.len());
    assert_eq!(asking[..asking.len() - 13], plain[..plain.len() - 10]);
    let wfa_attr = |b: &[u8]| b[b.len() - 13..].to_vec();
    assert_eq!(wfa_attr(&asking), wfa_attr(&captured_bytes));
    assert_eq!(
        wfa_attr(&asking),
        [0x10, 0x49, 0, 9, 0, 0x37, 0x2a, 0, 1, 0x20, 6, 1, 0x80]
    );
}
