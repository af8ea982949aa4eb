//! IEEE 1905 autoconfiguration, the agent's M2 processing (`Agent::process_m2`), in
//! three modes picked by the first input byte:
//!
//! * raw: the rest is an M2 from anyone. Oracle: it is accepted only when it carries
//!   our fixed controller's public key (nobody else can compute its Authenticator).
//! * settings: the rest is a ConfigData plaintext, wrapped in an authentic M2 (right
//!   keys, Authenticator and KWA) for the fixed agent's M1. Oracle: only the settings
//!   checks can refuse it; what is accepted round-trips through `build_m2`; a tear-down
//!   answer means the Tear Down bit was set.
//! * tamper: the plaintext's authentic M2 with one byte changed (position and XOR from
//!   the input). Oracle: always refused.
//!
//! Key pairs are fixed, so fuzz builds' DH memo makes the 1536-bit operations one-offs.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use wps::attr::{
    AssociationState, AuthType, ConfigError, EncrType, MacAddr, MultiApFlags, RfBands, Uuid,
    WfaExtension,
};
use wps::autoconfig::{Agent, AgentError, BssConfig, M2Secrets, build_m2};
use wps::crypto::{DhKeyPair, SessionKeys, encrypt_settings, kdk};
use wps::message::{ConfigData, DeviceAttrs, Extra, M1, M2};
use wps::registration::DeviceInfo;
use wps_testkit::build::sealed_m2;

const AGENT_KEY: [u8; 32] = [0x5a; 32];
const CONTROLLER_KEY: [u8; 32] = [0xa5; 32];
const N1: [u8; 16] = [0x11; 16];
const N2: [u8; 16] = [0x22; 16];
const IV: [u8; 16] = [0x33; 16];

struct Fixture {
    agent: Agent,
    controller: DeviceInfo,
    controller_pk: [u8; 192],
    keys: SessionKeys,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let mut radio = DeviceInfo::new(
            Uuid([1; 16]),
            MacAddr([2, 0x11, 0x22, 0x33, 0x44, 0x55]),
            "agent",
        );
        radio.rf_bands = RfBands::BAND_5_GHZ;
        let agent = Agent::from_parts(&radio, DhKeyPair::from_private(&AGENT_KEY).unwrap(), N1);
        let dh = DhKeyPair::from_private(&CONTROLLER_KEY).unwrap();
        let m1 = M1::parse(agent.m1()).unwrap();
        let dh_key = dh.dh_key(m1.public_key).unwrap();
        let keys = SessionKeys::derive(&kdk(&dh_key, &N1, &m1.mac_address.0, &N2));
        Fixture {
            controller: DeviceInfo::new(Uuid([9; 16]), MacAddr([2, 0, 0, 0, 0, 9]), "controller"),
            controller_pk: dh.public_key(),
            agent,
            keys,
        }
    })
}

/// An authentic M2 around any plaintext.
fn wrap(f: &Fixture, plaintext: &[u8]) -> Vec<u8> {
    let settings = encrypt_settings(f.keys.key_wrap_key(), f.keys.auth_key(), &IV, plaintext);
    let m2 = M2 {
        version: 0x10,
        enrollee_nonce: &N1,
        registrar_nonce: &N2,
        uuid_r: f.controller.uuid,
        public_key: &f.controller_pk,
        auth_type_flags: Some(AuthType::WPA2_PSK),
        encr_type_flags: Some(EncrType::AES),
        connection_type_flags: None,
        config_methods: None,
        device: DeviceAttrs::default(),
        rf_bands: Some(RfBands::BAND_5_GHZ),
        association_state: Some(AssociationState::NotAssociated),
        config_error: Some(ConfigError::NoError),
        device_password_id: wps::attr::DevicePasswordId::PushButton,
        os_version: None,
        wfa: Some(WfaExtension::version2_only()),
        encrypted_settings: Some(&settings),
        authenticator: None,
        extra: Extra::NONE,
    };
    sealed_m2(&m2, f.keys.auth_key(), f.agent.m1())
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let f = fixture();
    match mode % 3 {
        0 => {
            let r = f.agent.process_m2(rest);
            if let Err(e) = &r {
                assert!(!e.to_string().is_empty());
            } else {
                let m2 = M2::parse(rest).unwrap();
                assert_eq!(
                    m2.public_key,
                    &f.controller_pk[..],
                    "M2 of an unknown key accepted"
                );
            }
        }
        1 => {
            // Plaintexts too long for one attribute are not M2s anyone can send.
            if rest.len() > 60_000 {
                return;
            }
            let m2 = wrap(f, rest);
            match f.agent.process_m2(&m2) {
                Ok(BssConfig::TearDown) => {
                    let cd = ConfigData::parse(rest).unwrap();
                    assert!(cd.multi_ap().unwrap().contains(MultiApFlags::TEAR_DOWN));
                }
                Ok(config) => {
                    let secrets = M2Secrets::from_parts(&CONTROLLER_KEY, N2, IV).unwrap();
                    let again = build_m2(&f.controller, f.agent.m1(), &config, &secrets).unwrap();
                    assert_eq!(f.agent.process_m2(&again), Ok(config));
                }
                Err(AgentError::Settings(_) | AgentError::Missing(_) | AgentError::Network(_)) => {}
                Err(e) => panic!("an authentic M2 failed a crypto check: {e:?}"),
            }
        }
        _ => {
            let [p0, p1, xor, plain @ ..] = rest else {
                return;
            };
            if *xor == 0 || plain.len() > 60_000 {
                return;
            }
            let mut m2 = wrap(f, plain);
            let at = usize::from(u16::from_le_bytes([*p0, *p1])) % m2.len();
            m2[at] ^= xor;
            assert!(
                f.agent.process_m2(&m2).is_err(),
                "tampered M2 accepted (byte {at})"
            );
        }
    }
});
