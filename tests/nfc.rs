//! NFC against the lab's real bytes (tests/vectors/nfc/, captured from hostapd and
//! wpa_supplicant): every token and carrier record parses and re-encodes
//! byte for byte, and the password-token registration's key chain reproduces from its
//! logged secrets with the token password as 64 uppercase hex characters; the handover
//! run on the wire is M1, M2 (with the credential), WSC_Done under the carriers' keys.

mod common;

use std::collections::HashMap;
use std::sync::OnceLock;

use wps::attr::{AuthType, ConfigError, DevicePasswordId, EncrType, MacAddr, RfBands, Uuid};
use wps::crypto::{DhKeyPair, SessionKeys, decrypt_settings, e_hash, kdk, psk, psks};
use wps::message::{CredentialRef, M1, M2};
use wps::nfc::handover::{Carrier, emit_handover_request, emit_handover_select};
use wps::nfc::ndef::Message;
use wps::nfc::{
    ConfigurationToken, Contents, Exchange, Framing, HandoverMessage, PublicKeyHash, RegistrarOob,
    emit_wsc_record, read_ndef,
};

const TOKENS: &str = include_str!("vectors/nfc/nfc-tokens.txt");
const TRANSCRIPT: &str = include_str!("vectors/nfc/nfc-pw-enrollee.transcript.txt");

/// (scenario, label, bytes) of every line of nfc-tokens.txt.
/// The lab's tokens and carrier records: (scenario, label, bytes), read once.
fn tokens() -> &'static [(&'static str, &'static str, Vec<u8>)] {
    static READ: OnceLock<Vec<(&str, &str, Vec<u8>)>> = OnceLock::new();
    READ.get_or_init(|| {
        TOKENS
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let mut f = l.split_whitespace();
                let (s, label, hex) = (f.next().unwrap(), f.next().unwrap(), f.next().unwrap());
                (s, label, hex::decode(hex).unwrap())
            })
            .collect()
    })
}

/// The bytes of the lab's token or carrier record `label` of `scenario`.
fn token(scenario: &str, label: &str) -> &'static [u8] {
    let found = tokens()
        .iter()
        .find(|(s, l, _)| *s == scenario && *l == label);
    &found.unwrap().2
}

/// What [`token`]`(scenario, label)` holds, which must be a `Contents::$kind`.
macro_rules! contents {
    ($kind:ident, $scenario:expr, $label:expr) => {
        match read_ndef(token($scenario, $label))
            .unwrap()
            .contents()
            .unwrap()
        {
            Contents::$kind(inner) => inner,
            other => panic!("{}: {other:?}", $label),
        }
    };
}

#[test]
fn every_lab_token_reencodes_byte_for_byte() {
    let all = tokens();
    assert_eq!(all.len(), 12);
    for (scenario, label, bytes) in all {
        let ndef = read_ndef(bytes).unwrap_or_else(|e| panic!("{scenario} {label}: {e}"));
        let mut again = Vec::new();
        match ndef.contents().unwrap() {
            Contents::PasswordToken(t) => {
                assert!(label.ends_with("password-token") || label.contains("password-token"));
                assert_eq!(ndef.framing, Framing::Token);
                emit_wsc_record(&mut again, &t).unwrap();
            }
            Contents::ConfigurationToken(t) => {
                assert!(label.ends_with("configuration-token"));
                let creds: Vec<CredentialRef<'_>> = t.credentials().collect();
                let rebuilt = ConfigurationToken {
                    credentials: &creds,
                    rf_bands: t.rf_bands,
                    ap_channel: t.ap_channel,
                    mac_address: t.mac_address,
                };
                emit_wsc_record(&mut again, &rebuilt).unwrap();
            }
            Contents::HandoverRequest(r) => {
                assert_eq!(*label, "handover-request-carrier");
                assert_eq!(ndef.framing, Framing::Carrier);
                emit_wsc_record(&mut again, &Carrier(&r)).unwrap();
            }
            Contents::HandoverSelect(s) => {
                assert_eq!(*label, "handover-select-carrier");
                emit_wsc_record(&mut again, &Carrier(&s)).unwrap();
            }
        }
        assert_eq!(&again, bytes, "{scenario} {label}");
        // The envelope is hostapd's: one short record, MB ME SR TNF=2.
        assert_eq!(bytes[0], 0xd2);
        assert!(
            ndef.to_string()
                .starts_with("NDEF record: header 0xd2 (MB=1 ME=1 SR=1 TNF=2")
        );
    }
}

#[test]
fn lab_tokens_decode_as_nfcdump_shows_them() {
    let t = contents!(PasswordToken, "nfc-pw-enrollee", "enrollee-password-token");
    assert_eq!(
        t.public_key_hash.to_string(),
        "0a90f7e6e2c682bf149164071b1da5c60f82746a"
    );
    assert_eq!(t.password_id, 18786);
    assert_eq!(
        t.password().device_password().as_bytes(),
        b"A21747B59B03BF7A419967836A6460103B876D162D81CEEBB6E3882A9AD430E4"
    );

    let t = contents!(ConfigurationToken, "nfc-config", "ap-configuration-token");
    let c: Vec<CredentialRef<'_>> = t.credentials().collect();
    assert_eq!(c.len(), 1);
    let v = c[0].validate().unwrap();
    assert_eq!(v.ssid, b"wpsu-test");
    assert_eq!(v.network_key, b"wpsu-passphrase-123");
    assert_eq!(
        (v.auth_type, v.encr_type),
        (AuthType::WPA2_PSK, EncrType::AES)
    );
    assert_eq!(v.mac_address, MacAddr([0; 6]));
    assert_eq!(t.rf_bands, Some(RfBands(1)));
    assert_eq!(t.mac_address, Some(MacAddr([2, 0, 0, 0, 0x5a, 1])));

    let t = contents!(
        ConfigurationToken,
        "er-nfc-config",
        "er-configuration-token"
    );
    let c: Vec<CredentialRef<'_>> = t.credentials().collect();
    assert_eq!(c[0].mac_address, MacAddr([2, 0, 0, 0, 0x5a, 1]));
    assert_eq!((t.rf_bands, t.mac_address), (None, None));

    let r = contents!(HandoverRequest, "nfc-handover", "handover-request-carrier");
    assert_eq!(
        r.public_key_hash.to_string(),
        "9abc0b53554878d0916f5dce10d38bc000d07a15"
    );
    assert_eq!(
        r.uuid_e,
        Some(Uuid(
            hex::decode("876543219abcdef0123456789abcdef0")
                .unwrap()
                .try_into()
                .unwrap()
        ))
    );

    let s = contents!(HandoverSelect, "nfc-handover", "handover-select-carrier");
    assert_eq!(
        s.public_key_hash.to_string(),
        "5f0fcf99437c9b066c42a25b8184ddbff044a874"
    );
    assert_eq!(s.ssid, b"wpsu-test");
    assert_eq!(s.bssid, Some(MacAddr([2, 0, 0, 0, 0x5a, 1])));
    assert_eq!((s.rf_bands, s.ap_channel), (None, None));
}

/// The daemons' carrier records in NFC Forum Hr/Hs messages: the same attributes come
/// back out, and hostapd's way of finding the WSC record (the first one of its type at
/// the top level) finds the very carrier record.
#[test]
fn lab_carriers_in_handover_messages() {
    let req_b = token("nfc-handover", "handover-request-carrier");
    let sel_b = token("nfc-handover", "handover-select-carrier");
    let req = contents!(HandoverRequest, "nfc-handover", "handover-request-carrier");
    let sel = contents!(HandoverSelect, "nfc-handover", "handover-select-carrier");
    let mut hr = Vec::new();
    emit_handover_request(&mut hr, 0x12, 0xbeef, &req).unwrap();
    let read = read_ndef(&hr).unwrap();
    assert_eq!(
        read.framing,
        Framing::HandoverRequest {
            version: 0x12,
            collision_resolution: Some(0xbeef)
        }
    );
    assert_eq!(read.contents().unwrap(), Contents::HandoverRequest(req));
    let msg = Message::parse(&hr).unwrap();
    assert_eq!(
        msg.wsc_payload(),
        read_ndef(req_b).unwrap().message.wsc_payload()
    );

    let mut hs = Vec::new();
    emit_handover_select(&mut hs, 0x12, &sel).unwrap();
    let m = HandoverMessage::parse(Message::parse(&hs).unwrap()).unwrap();
    let carrier = m.wsc_carrier().unwrap();
    assert_eq!(Some(carrier), Message::parse(sel_b).unwrap().wsc_payload());
    assert_eq!(
        read_ndef(&hs).unwrap().contents().unwrap(),
        Contents::HandoverSelect(sel)
    );
}

/// Hex blocks of the transcript by name.
type Blocks = HashMap<String, Vec<u8>>;

/// "WPS: NAME (len=N):" blocks of one log section of the transcript, by "NAME/N" (first
/// occurrence), and "== MSG" blocks of section 3 by message name.
fn transcript() -> (Blocks, Blocks, Blocks) {
    let (mut ap, mut sta, mut msgs) = (HashMap::new(), HashMap::new(), HashMap::new());
    let mut section = 0;
    let mut current: Option<(u8, String)> = None;
    for line in TRANSCRIPT.lines() {
        if line.starts_with("[log(AP)") {
            section = 1;
        } else if line.starts_with("[log(STA)") {
            section = 2;
        } else if line.starts_with("3. WSC messages") {
            section = 3;
        }
        let hex_line = line.starts_with("    ")
            && !line.trim().is_empty()
            && line.trim().chars().all(|c| c.is_ascii_hexdigit());
        if hex_line {
            if let Some((s, name)) = &current {
                let map = match s {
                    1 => &mut ap,
                    2 => &mut sta,
                    _ => &mut msgs,
                };
                map.entry(name.clone())
                    .or_insert_with(Vec::new)
                    .extend(hex::decode(line.trim()).unwrap());
            }
            continue;
        }
        current = None;
        let t = line.trim_start();
        if (section == 1 || section == 2) && t.starts_with("WPS: ") {
            if let Some((name, len)) = t[5..].split_once(" (len=") {
                let key = format!("{name}/{}", len.trim_end_matches("):"));
                let map = if section == 1 { &ap } else { &sta };
                if !map.contains_key(&key) {
                    current = Some((section, key));
                }
            }
        } else if section == 3 && t.starts_with("== ") {
            let name = t[3..].split_whitespace().next().unwrap().to_string();
            if !msgs.contains_key(&name) {
                current = Some((3, name));
            }
        }
    }
    (ap, sta, msgs)
}

#[test]
fn transcript_key_chain_reproduces_with_the_hex_password() {
    let (ap, sta, msgs) = transcript();
    let get = |m: &HashMap<String, Vec<u8>>, k: &str| -> Vec<u8> {
        m.get(k)
            .unwrap_or_else(|| panic!("{k} not in the transcript"))
            .clone()
    };
    let m1_bytes = get(&msgs, "M1");
    let m1 = M1::parse(&m1_bytes).unwrap();
    let m2_bytes = get(&msgs, "M2");
    let m2 = M2::parse(&m2_bytes).unwrap();
    let pk_e = m1.public_key;
    let pk_r = m2.public_key;

    // The token the registrar read, and its check of M1.
    let tok = contents!(PasswordToken, "nfc-pw-enrollee", "enrollee-password-token");
    assert_eq!(m1.device_password_id, DevicePasswordId::from(0x4962));
    assert_eq!(PublicKeyHash::of(pk_e), tok.public_key_hash);
    let registrar = RegistrarOob::from_token(&tok);
    let Ok(Exchange::Full(password)) = registrar.on_m1(m1.device_password_id, pk_e) else {
        panic!("the registrar refused the lab's M1")
    };
    // Both daemons logged the 64-character password they derive the PSKs from.
    assert_eq!(password.as_bytes(), &get(&ap, "Device Password/64")[..]);
    assert_eq!(
        password.as_bytes(),
        &get(&sta, "AP PIN dev_password/64")[..]
    );
    assert_eq!(
        tok.password().as_bytes(),
        &get(&sta, "OOB Device Password/32")[..]
    );

    // The enrollee's token key: its logged private key gives M1's public key.
    let sta_priv = DhKeyPair::from_private(&get(&sta, "DH Private Key/25")).unwrap();
    assert_eq!(&sta_priv.public_key()[..], pk_e);
    let ap_priv = DhKeyPair::from_private(&get(&ap, "DH Private Key/25")).unwrap();
    assert_eq!(&ap_priv.public_key()[..], pk_r);

    let dh = ap_priv.dh_key(pk_e).unwrap();
    assert_eq!(&dh[..], &get(&ap, "DHKey/32")[..]);
    assert_eq!(&sta_priv.dh_key(pk_r).unwrap()[..], &dh[..]);
    let n1: [u8; 16] = get(&ap, "Enrollee Nonce/16").try_into().unwrap();
    let n2: [u8; 16] = get(&ap, "Registrar Nonce/16").try_into().unwrap();
    let k = kdk(&dh, &n1, &m1.mac_address.0, &n2);
    assert_eq!(&k[..], &get(&ap, "KDK/32")[..]);
    let keys = SessionKeys::derive(&k);
    assert_eq!(&keys.auth_key()[..], &get(&ap, "AuthKey/32")[..]);
    assert_eq!(&keys.key_wrap_key()[..], &get(&ap, "KeyWrapKey/16")[..]);
    assert_eq!(&keys.emsk()[..], &get(&ap, "EMSK/32")[..]);

    let (psk1, psk2) = psks(keys.auth_key(), password.as_bytes());
    assert_eq!(&psk1[..], &get(&ap, "PSK1/16")[..]);
    assert_eq!(&psk2[..], &get(&ap, "PSK2/16")[..]);
    let (h1, h2) = password.halves();
    assert_eq!(h1.len(), 32);
    assert_eq!(&psk(keys.auth_key(), h2)[..], &psk2[..]);
    // The raw 32 bytes would give other PSKs: the hex string is what counts.
    let (raw1, _) = psks(keys.auth_key(), tok.password().as_bytes());
    assert_ne!(&raw1[..], &psk1[..]);

    // E-Hash1/2 from the station's E-S1/2, R-Hash1/2 from the access point's R-S1/2.
    for (log, secret, psk, hash) in [
        (&sta, "E-S1/16", &psk1, "E-Hash1/32"),
        (&sta, "E-S2/16", &psk2, "E-Hash2/32"),
        (&ap, "R-S1/16", &psk1, "R-Hash1/32"),
        (&ap, "R-S2/16", &psk2, "R-Hash2/32"),
    ] {
        let secret: [u8; 16] = get(log, secret).try_into().unwrap();
        let ours = e_hash(keys.auth_key(), &secret, psk, pk_e, pk_r);
        assert_eq!(&ours[..], &get(&ap, hash)[..], "{hash}");
    }

    // KWA: the M5 settings the registrar decrypted (E-SNonce1) verify under these keys.
    let m5_settings = get(&ap, "Encrypted Settings/64");
    let plain = decrypt_settings(keys.key_wrap_key(), keys.auth_key(), &m5_settings).unwrap();
    assert_eq!(plain[4..20], get(&sta, "E-S1/16"));

    // The bad-hash run: one bit of the hash flipped, and M1 is answered with error 20.
    let mut bad = tok;
    bad.public_key_hash.0[19] ^= 1;
    let err = RegistrarOob::from_token(&bad)
        .on_m1(m1.device_password_id, pk_e)
        .unwrap_err();
    assert_eq!(err.config_error(), ConfigError::PublicKeyHashMismatch);
}

/// The select of the nfc-handover-stale run carries the hash of the token key that
/// hostapd had just disabled: it is the token's hash, not the key M2 used (which the STA
/// log shows as e0b3759e…).
#[test]
fn stale_select_carries_the_disabled_tokens_hash() {
    let t = contents!(
        PasswordToken,
        "nfc-handover-stale",
        "ap-password-token-then-disabled"
    );
    let s = contents!(
        HandoverSelect,
        "nfc-handover-stale",
        "handover-select-carrier"
    );
    assert_eq!(s.public_key_hash, t.public_key_hash);
}

/// What `wps decode --ndef` shows: the envelope, then the attribute tree.
#[test]
fn decode_shows_the_envelope_and_the_oob_password() {
    let b = token("nfc-pw-enrollee", "enrollee-password-token");
    let ndef = read_ndef(b).unwrap();
    let text = format!("{ndef}{}", wps::attr::pretty::Tree::new(ndef.attributes));
    assert!(text.contains(
        "type 'application/vnd.wfa.wsc' payload 68 bytes\ntoken: WSC attributes (68 bytes)"
    ));
    assert!(text.contains(
        "public key hash 0a90f7e6e2c682bf149164071b1da5c60f82746a, Device Password ID 0x4962"
    ));
    assert!(text.contains("password a21747b59b03bf7a"));

    let b = token("nfc-handover", "handover-select-carrier");
    let ndef = read_ndef(b).unwrap();
    let text = format!("{ndef}{}", wps::attr::pretty::Tree::new(ndef.attributes));
    assert!(text.contains("carrier record: 2-byte length 59, then WSC attributes"));
    assert!(text.contains("Device Password ID 0x0007 (NFC connection handover), no password"));
    assert!(text.contains("SSID (0x1045), 9 bytes"));
    println!("{text}");
}

/// The lab's handover run on the wire (`nfc-handover.eapol.pcap`, the same run as the
/// nfc-handover tokens): 8 frames, M1 → M2 → WSC_Done. M1 carries Device Password ID 7
/// and the key whose hash the request has; M2 carries the key whose hash the select has,
/// and Encrypted Settings between the WFA extension and the Authenticator, as our
/// registrar writes it (re-encoded byte for byte).
#[test]
fn lab_handover_capture_is_the_abbreviated_handshake() {
    use wps::attr::MessageType;
    use wps::eap::{Body, EapPacket, EapolPacket};
    use wps::message::Message as Wsc;
    let pcap = include_bytes!("vectors/nfc/nfc-handover.eapol.pcap");
    let frames = common::pcap::read_ethernet(pcap);
    assert_eq!(frames.len(), 8);
    let messages: Vec<Vec<u8>> = frames
        .iter()
        .filter_map(|f| {
            let eapol = EapolPacket::parse(&f.payload).unwrap();
            let eap = EapPacket::parse(eapol.body).ok()?;
            match eap.body {
                Body::Wsc(w) if !w.data.is_empty() => Some(w.data.to_vec()),
                _ => None,
            }
        })
        .collect();
    let parsed: Vec<_> = messages.iter().map(|m| Wsc::parse(m).unwrap()).collect();
    let types: Vec<_> = parsed.iter().map(Wsc::message_type).collect();
    assert_eq!(
        types,
        [MessageType::M1, MessageType::M2, MessageType::WscDone]
    );
    let [Wsc::M1(m1), Wsc::M2(m2), Wsc::Done(done)] = &parsed[..] else {
        panic!("{types:?}")
    };
    assert_eq!(
        m1.device_password_id,
        DevicePasswordId::NfcConnectionHandover
    );
    let request = contents!(HandoverRequest, "nfc-handover", "handover-request-carrier");
    assert_eq!(PublicKeyHash::of(m1.public_key), request.public_key_hash);
    assert_eq!(Some(m1.uuid_e), request.uuid_e);

    assert_eq!(
        m2.device_password_id,
        DevicePasswordId::NfcConnectionHandover
    );
    let select = contents!(HandoverSelect, "nfc-handover", "handover-select-carrier");
    assert_eq!(PublicKeyHash::of(m2.public_key), select.public_key_hash);
    // IV + a 67-byte Credential and the KWA, padded: 96 bytes.
    assert_eq!(m2.encrypted_settings.map(<[u8]>::len), Some(96));
    let mut again = Vec::new();
    m2.emit(&mut again).unwrap();
    assert_eq!(again, messages[1]);
    // A flipped select hash is what the enrollee refuses (Configuration Error 20).
    let mut flipped = select.public_key_hash;
    flipped.0[0] ^= 1;
    assert_eq!(
        flipped.verify(m2.public_key).unwrap_err().config_error(),
        ConfigError::PublicKeyHashMismatch
    );

    assert_eq!(done.enrollee_nonce, m1.enrollee_nonce);
    assert_eq!(done.registrar_nonce, m2.registrar_nonce);
}
