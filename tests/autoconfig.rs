//! IEEE 1905 AP autoconfiguration: the agent and controller sides against each other,
//! an M2 built by hand from the public crypto and message parts (byte for byte), every
//! check of the agent, and what real controllers send that a strict reader trips on.

use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::attr::{
    AssociationState, AttrType, AuthType, ConfigError, EncrType, MacAddr, MultiApFlags, RfBands,
    Uuid, WfaExtension,
};
use wps::autoconfig::{
    Agent, AgentError, Bss, BssConfig, ControllerError, M2Secrets, build_m2, build_m2s,
};
use wps::crypto::{DhError, DhKeyPair, SessionKeys, SettingsError, encrypt_settings, kdk};
use wps::message::{DeviceAttrs, Extra, M1, M2, MessageError};
use wps::registration::{CredentialError, DeviceInfo, NetworkSettings};
use wps_testkit::build::sealed_m2;

const AGENT_MAC: MacAddr = MacAddr([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
const N1: [u8; 16] = [0x11; 16];
const N2: [u8; 16] = [0x22; 16];
const IV: [u8; 16] = [0x33; 16];
const AGENT_KEY: [u8; 32] = [0x5a; 32];
const CONTROLLER_KEY: [u8; 32] = [0xa5; 32];

fn radio() -> DeviceInfo {
    let mut d = DeviceInfo::new(Uuid([0x01; 16]), AGENT_MAC, "agent 5 GHz");
    d.rf_bands = RfBands::BAND_5_GHZ;
    d.auth_type_flags = AuthType::OPEN | AuthType::WPA2_PSK;
    d.encr_type_flags = EncrType::NONE | EncrType::AES;
    d
}

fn controller() -> DeviceInfo {
    DeviceInfo::new(
        Uuid([0x09; 16]),
        MacAddr([0x02, 0, 0, 0, 0, 0x09]),
        "controller",
    )
}

fn fixed_agent() -> Agent {
    Agent::from_parts(&radio(), DhKeyPair::from_private(&AGENT_KEY).unwrap(), N1)
}

fn fixed_secrets() -> M2Secrets {
    M2Secrets::from_parts(&CONTROLLER_KEY, N2, IV).unwrap()
}

fn wpa2(ssid: &[u8], key: &[u8]) -> NetworkSettings {
    NetworkSettings::wpa2_personal(ssid, key).unwrap()
}

/// An M2 assembled here from the public parts, the way the controller should: any
/// ConfigData plaintext, the KWA under `kwa_auth_key` (the right AuthKey when `None`).
fn hand_m2(m1_bytes: &[u8], plaintext: &[u8], kwa_auth_key: Option<[u8; 32]>) -> Vec<u8> {
    let m1 = M1::parse(m1_bytes).unwrap();
    let dh = DhKeyPair::from_private(&CONTROLLER_KEY).unwrap();
    let dh_key = dh.dh_key(m1.public_key).unwrap();
    let keys = SessionKeys::derive(&kdk(&dh_key, m1.enrollee_nonce, &m1.mac_address.0, &N2));
    let kwa_key = kwa_auth_key.unwrap_or(*keys.auth_key());
    let settings = encrypt_settings(keys.key_wrap_key(), &kwa_key, &IV, plaintext);
    let c = controller();
    let m2 = M2 {
        version: 0x10,
        enrollee_nonce: m1.enrollee_nonce,
        registrar_nonce: &N2,
        uuid_r: c.uuid,
        public_key: dh.public_key_ref(),
        auth_type_flags: Some(c.auth_type_flags),
        encr_type_flags: Some(c.encr_type_flags),
        connection_type_flags: Some(c.connection_type_flags),
        config_methods: Some(c.config_methods),
        device: c.identity.attrs(),
        rf_bands: Some(m1.rf_bands),
        association_state: Some(AssociationState::NotAssociated),
        config_error: Some(ConfigError::NoError),
        device_password_id: m1.device_password_id,
        os_version: Some(0x8000_0000 | c.os_version),
        wfa: Some(WfaExtension::version2_only()),
        encrypted_settings: Some(&settings),
        authenticator: None,
        extra: Extra::NONE,
    };
    sealed_m2(&m2, keys.auth_key(), m1_bytes)
}

/// ConfigData attributes written out by hand.
fn config_data(ssid: &[u8], auth: u16, encr: u16, key: &[u8], vendor: &[&[u8]]) -> Vec<u8> {
    fn tlv(out: &mut Vec<u8>, t: u16, v: &[u8]) {
        out.extend_from_slice(&t.to_be_bytes());
        out.extend_from_slice(&(v.len() as u16).to_be_bytes());
        out.extend_from_slice(v);
    }
    let mut out = Vec::new();
    tlv(&mut out, 0x1045, ssid);
    tlv(&mut out, 0x1003, &auth.to_be_bytes());
    tlv(&mut out, 0x100f, &encr.to_be_bytes());
    tlv(&mut out, 0x1027, key);
    tlv(&mut out, 0x1020, &AGENT_MAC.0);
    for v in vendor {
        tlv(&mut out, 0x1049, v);
    }
    out
}

/// The WFA vendor extension holding only the Multi-AP subelement, with `flags`.
fn multi_ap(flags: u8) -> [u8; 6] {
    [0x00, 0x37, 0x2a, 0x06, 0x01, flags]
}

/// The controller's M2 for the fixed agent's M1 under the fixed secrets.
fn fixed_m2(agent: &Agent, config: &BssConfig) -> Result<Vec<u8>, ControllerError> {
    build_m2(&controller(), agent.m1(), config, &fixed_secrets())
}

#[test]
fn agent_m1_is_an_m1_for_the_radio() {
    let agent = fixed_agent();
    let m1 = M1::parse(agent.m1()).unwrap();
    assert_eq!(m1.mac_address, AGENT_MAC);
    assert_eq!(m1.enrollee_nonce, &N1);
    assert_eq!(m1.rf_bands, RfBands::BAND_5_GHZ);
    assert_eq!(
        m1.public_key,
        &DhKeyPair::from_private(&AGENT_KEY).unwrap().public_key()[..]
    );
    assert_eq!(m1.to_bytes(), agent.m1());
    assert!(!m1.asks_for_backhaul());
}

#[test]
fn m2_byte_for_byte_from_fixed_secrets() {
    let agent = fixed_agent();
    let bss = Bss::new(wpa2(b"home", b"correct horse"), false, true);
    let ours = fixed_m2(&agent, &BssConfig::Configure(bss.clone())).unwrap();
    // SSID, Auth 0x0020, Encr 0x0008, Network Key, MAC = M1's, WFA 06 01 20.
    let plain = config_data(
        b"home",
        0x0020,
        0x0008,
        b"correct horse",
        &[&multi_ap(0x20)],
    );
    assert_eq!(ours, hand_m2(agent.m1(), &plain, None));
    assert_eq!(agent.process_m2(&ours), Ok(BssConfig::Configure(bss)));
    // The same secrets give the same M2 (no hidden randomness).
    let again = fixed_m2(
        &agent,
        &BssConfig::Configure(Bss::new(wpa2(b"home", b"correct horse"), false, true)),
    );
    assert_eq!(again.as_ref(), Ok(&ours));
}

#[test]
fn tear_down_byte_for_byte() {
    let agent = fixed_agent();
    let ours = fixed_m2(&agent, &BssConfig::TearDown).unwrap();
    let plain = config_data(b"", 0x0001, 0x0001, b"", &[&multi_ap(0x10)]);
    assert_eq!(ours, hand_m2(agent.m1(), &plain, None));
    assert_eq!(agent.process_m2(&ours), Ok(BssConfig::TearDown));
}

#[test]
fn pair_one_several_and_none() {
    let mut rng = StdRng::seed_from_u64(1);
    let agent = Agent::new(&radio(), &mut rng);
    let bsss = [
        Bss::new(wpa2(b"home", b"correct horse"), false, true),
        Bss::new(wpa2(b"mesh-backhaul", &[b'f'; 64]), true, false),
        Bss::new(NetworkSettings::open(b"guest").unwrap(), false, true),
        Bss::new(wpa2(b"both", b"12345678"), true, true),
    ];
    for n in 1..=bsss.len() {
        let m2s = build_m2s(&controller(), agent.m1(), &bsss[..n], &mut rng).unwrap();
        assert_eq!(m2s.len(), n);
        let got = agent.process_m2s(m2s.iter().map(Vec::as_slice)).unwrap();
        let want: Vec<_> = bsss[..n]
            .iter()
            .cloned()
            .map(BssConfig::Configure)
            .collect();
        assert_eq!(got, want);
    }
    // Nothing for this radio: one tear-down M2.
    let m2s = build_m2s(&controller(), agent.m1(), &[], &mut rng).unwrap();
    assert_eq!(m2s.len(), 1);
    assert_eq!(agent.process_m2(&m2s[0]), Ok(BssConfig::TearDown));
}

fn network() -> impl Strategy<Value = NetworkSettings> {
    // No NUL at the end of an SSID: the agent trims trailing NULs, as hostapd does.
    let ssid = (prop::collection::vec(any::<u8>(), 0..=31), 1u8..=255).prop_map(|(mut v, last)| {
        v.push(last);
        v
    });
    let passphrase = prop::collection::vec(0x20u8..0x7f, 8..=63);
    let hex = prop::collection::vec(prop::sample::select(b"0123456789abcdefABCDEF".to_vec()), 64);
    prop_oneof![
        (ssid.clone(), passphrase)
            .prop_map(|(s, k)| NetworkSettings::wpa2_personal(&s, &k).unwrap()),
        (ssid.clone(), hex).prop_map(|(s, k)| NetworkSettings::wpa2_personal(&s, &k).unwrap()),
        ssid.prop_map(|s| NetworkSettings::open(&s).unwrap()),
    ]
}

proptest! {
    // Every case runs a few 1536-bit DH operations per BSS: few cases, still every shape.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn any_bss_list_round_trips(
        list in prop::collection::vec((network(), any::<bool>(), any::<bool>()), 0..=4),
        seed in any::<u64>(),
    ) {
        let mut rng = StdRng::seed_from_u64(seed);
        let agent = Agent::new(&radio(), &mut rng);
        let bsss: Vec<Bss> = list.into_iter().map(|(n, b, f)| Bss::new(n, b, f)).collect();
        let m2s = build_m2s(&controller(), agent.m1(), &bsss, &mut rng).unwrap();
        let got = agent.process_m2s(m2s.iter().map(Vec::as_slice)).unwrap();
        let want: Vec<_> = if bsss.is_empty() {
            vec![BssConfig::TearDown]
        } else {
            bsss.into_iter().map(BssConfig::Configure).collect()
        };
        prop_assert_eq!(got, want);
    }
}

proptest! {
    /// ConfigData: build → parse gives the fields back, and the bytes re-encode as they are.
    #[test]
    fn config_data_round_trips(
        // Within hostapd's limits (an SSID over 32 bytes or a key over 64 is ignored).
        ssid in prop::option::of(prop::collection::vec(any::<u8>(), 0..=32)),
        auth in prop::option::of(any::<u16>()),
        encr in prop::option::of(any::<u16>()),
        key in prop::option::of(prop::collection::vec(any::<u8>(), 0..=64)),
        mac in prop::option::of(any::<[u8; 6]>()),
        flags in prop::option::of(any::<u8>()),
    ) {
        use wps::message::ConfigData;
        let built = ConfigData {
            ssid: ssid.as_deref(),
            auth_type: auth.map(AuthType),
            encr_type: encr.map(EncrType),
            network_key: key.as_deref(),
            mac_address: mac.map(MacAddr),
            wfa: flags.map(|f| WfaExtension::multi_ap(MultiApFlags(f))),
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        };
        let bytes = built.to_bytes();
        let parsed = ConfigData::parse(&bytes).unwrap();
        prop_assert_eq!(parsed.ssid, built.ssid);
        prop_assert_eq!(parsed.auth_type, built.auth_type);
        prop_assert_eq!(parsed.encr_type, built.encr_type);
        prop_assert_eq!(parsed.network_key, built.network_key);
        prop_assert_eq!(parsed.mac_address, built.mac_address);
        prop_assert_eq!(parsed.multi_ap(), flags.map(MultiApFlags));
        prop_assert_eq!(parsed.to_bytes(), bytes);
    }
}

fn good_m2() -> (Agent, Vec<u8>) {
    let agent = fixed_agent();
    let bss = BssConfig::Configure(Bss::new(wpa2(b"home", b"correct horse"), false, true));
    let m2 = fixed_m2(&agent, &bss).unwrap();
    (agent, m2)
}

#[test]
fn bad_authenticator() {
    let (agent, mut m2) = good_m2();
    *m2.last_mut().unwrap() ^= 1;
    assert_eq!(agent.process_m2(&m2), Err(AgentError::Authenticator));
    // Any other byte it covers, e.g. inside the Encrypted Settings ciphertext.
    let (_, mut m2) = good_m2();
    let at = m2.len() - 12 - 5;
    m2[at] ^= 0x80;
    assert_eq!(agent.process_m2(&m2), Err(AgentError::Authenticator));
}

#[test]
fn missing_authenticator() {
    let (agent, m2) = good_m2();
    assert_eq!(
        agent.process_m2(&m2[..m2.len() - 12]),
        Err(AgentError::Message(MessageError::Missing(
            AttrType::Authenticator
        )))
    );
}

#[test]
fn bad_key_wrap_authenticator() {
    // Right Authenticator over the M2, but the settings' KWA under another key.
    let agent = fixed_agent();
    let plain = config_data(b"home", 0x20, 0x08, b"correct horse", &[&multi_ap(0x20)]);
    let m2 = hand_m2(agent.m1(), &plain, Some([0x77; 32]));
    assert_eq!(agent.process_m2(&m2), Err(AgentError::KeyWrapAuthenticator));
}

#[test]
fn wrong_nonce() {
    // An M2 for another agent's M1 (another N1): refused before any crypto.
    let (_, m2) = good_m2();
    let other = Agent::from_parts(
        &radio(),
        DhKeyPair::from_private(&AGENT_KEY).unwrap(),
        [0x12; 16],
    );
    assert_eq!(other.process_m2(&m2), Err(AgentError::WrongNonce));
}

#[test]
fn same_nonce_other_key_fails_the_authenticator() {
    let (_, m2) = good_m2();
    let other = Agent::from_parts(&radio(), DhKeyPair::from_private(&[0x42; 32]).unwrap(), N1);
    assert_eq!(other.process_m2(&m2), Err(AgentError::Authenticator));
}

#[test]
fn no_settings_bad_key_bad_ciphertext_not_an_m2() {
    let agent = fixed_agent();
    let m1 = M1::parse(agent.m1()).unwrap();
    let dh = DhKeyPair::from_private(&CONTROLLER_KEY).unwrap();
    let keys = SessionKeys::derive(&kdk(
        &dh.dh_key(m1.public_key).unwrap(),
        &N1,
        &AGENT_MAC.0,
        &N2,
    ));
    let c = controller();
    let build = |public_key: &[u8], settings: Option<&[u8]>| {
        let m2 = M2 {
            version: 0x10,
            enrollee_nonce: &N1,
            registrar_nonce: &N2,
            uuid_r: c.uuid,
            public_key,
            auth_type_flags: None,
            encr_type_flags: None,
            connection_type_flags: None,
            config_methods: None,
            device: DeviceAttrs::default(),
            rf_bands: None,
            association_state: None,
            config_error: None,
            device_password_id: m1.device_password_id,
            os_version: None,
            wfa: None,
            encrypted_settings: settings,
            authenticator: None,
            extra: Extra::NONE,
        };
        sealed_m2(&m2, keys.auth_key(), agent.m1())
    };
    let pk = dh.public_key();
    assert_eq!(
        agent.process_m2(&build(&pk, None)),
        Err(AgentError::NoSettings)
    );
    assert_eq!(
        agent.process_m2(&build(&[0; 192], Some(&[0; 32]))),
        Err(AgentError::PublicKey(DhError::PeerKeyOutOfRange))
    );
    assert_eq!(
        agent.process_m2(&build(&pk, Some(&[0; 24]))),
        Err(AgentError::EncryptedSettings(SettingsError::TooShort {
            len: 24
        }))
    );
    assert_eq!(
        agent.process_m2(agent.m1()),
        Err(AgentError::Message(MessageError::WrongType {
            found: wps::attr::MessageType::M1,
            expected: wps::attr::MessageType::M2
        }))
    );
}

/// What the fixed agent makes of an authentic M2 around `plaintext`.
fn agent_reads(plaintext: &[u8]) -> Result<BssConfig, AgentError> {
    let agent = fixed_agent();
    agent.process_m2(&hand_m2(agent.m1(), plaintext, None))
}

/// A WPA2-Personal BSS to configure, with its Multi-AP roles.
fn configure(ssid: &[u8], key: &[u8], backhaul: bool, fronthaul: bool) -> BssConfig {
    BssConfig::Configure(Bss::new(wpa2(ssid, key), backhaul, fronthaul))
}

#[test]
fn settings_checks() {
    let wfa = multi_ap(0x20);
    // A BSS to configure needs its SSID.
    let mut plain = config_data(b"x", 0x20, 0x08, b"correct horse", &[&wfa]);
    plain.drain(..5);
    assert_eq!(
        agent_reads(&plain),
        Err(AgentError::Missing(AttrType::Ssid))
    );
    // A WPA2-PSK key of 5 characters is refused.
    let plain = config_data(b"home", 0x20, 0x08, b"short", &[&wfa]);
    assert_eq!(
        agent_reads(&plain),
        Err(AgentError::Network(CredentialError::NetworkKey { len: 5 }))
    );
    // Settings that are no attribute list.
    let plain = [0x10, 0x45, 0x00, 0x20, b'x'];
    assert!(matches!(agent_reads(&plain), Err(AgentError::Settings(_))));
}

#[test]
fn several_wfa_subelements_are_tolerated() {
    // prplMesh issue #667 / PR #1507: a fixed-layout reader expects the Multi-AP
    // subelement alone and first. Version2 first, a Multi-AP Profile after, an unknown
    // subelement, and another vendor's extension before the WFA one.
    let wfa = [
        0x00, 0x37, 0x2a, // WFA
        0x00, 0x01, 0x20, // Version2
        0x06, 0x01, 0x40, // Multi-AP: Backhaul BSS
        0x07, 0x01, 0x02, // Multi-AP Profile 2
        0xee, 0x03, 0xaa, 0xbb, 0xcc, // unknown
    ];
    let other_vendor = [0x00, 0x10, 0x18, 0x01, 0x02];
    let plain = config_data(
        b"backhaul",
        0x20,
        0x08,
        b"backhaul-pass",
        &[&other_vendor, &wfa],
    );
    let got = agent_reads(&plain);
    assert_eq!(
        got,
        Ok(configure(b"backhaul", b"backhaul-pass", true, false))
    );
}

#[test]
fn fixed_width_fields_and_missing_extension_are_tolerated() {
    // Early prplMesh wrote the SSID in 32 and the key in 64 NUL-padded bytes.
    let mut ssid = b"home".to_vec();
    ssid.resize(32, 0);
    let mut key = b"correct horse".to_vec();
    key.resize(64, 0);
    let plain = config_data(&ssid, 0x20, 0x08, &key, &[&multi_ap(0x20)]);
    assert_eq!(
        agent_reads(&plain),
        Ok(configure(b"home", b"correct horse", false, true))
    );
    // No Multi-AP subelement: a BSS with neither role.
    let plain = config_data(b"home", 0x20, 0x08, b"correct horse", &[]);
    assert_eq!(
        agent_reads(&plain),
        Ok(configure(b"home", b"correct horse", false, false))
    );
}

#[test]
fn tear_down_needs_only_the_flag() {
    // Tear Down wins over everything else, and nothing else is required.
    let plain = [0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2a, 0x06, 0x01, 0x70];
    assert_eq!(agent_reads(&plain), Ok(BssConfig::TearDown));
}

#[test]
fn controller_refuses_bad_m1() {
    let mut rng = StdRng::seed_from_u64(2);
    assert!(matches!(
        build_m2s(&controller(), b"\x10\x4a\x00\x01\x10", &[], &mut rng),
        Err(ControllerError::Message(_))
    ));
    // An M1 whose public key is 1.
    let agent = fixed_agent();
    let parsed = M1::parse(agent.m1()).unwrap();
    let mut one = [0u8; 192];
    one[191] = 1;
    let bad = M1 {
        public_key: &one,
        extra: Extra::NONE,
        ..parsed
    }
    .to_bytes();
    assert_eq!(
        build_m2(&controller(), &bad, &BssConfig::TearDown, &fixed_secrets()),
        Err(ControllerError::PublicKey(DhError::PeerKeyOutOfRange))
    );
}

#[test]
fn secrets_and_settings_are_not_printed() {
    let agent = fixed_agent();
    let bss = Bss::new(wpa2(b"home", b"correct horse"), false, true);
    let shown = format!("{agent:?} {:?} {bss:?}", fixed_secrets());
    assert!(!shown.contains("correct horse"), "{shown}");
    assert!(!shown.contains("17, 17"), "{shown}");
}
