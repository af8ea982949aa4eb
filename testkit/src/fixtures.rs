//! Values more than one test or bench builds.

use wps::attr::{
    ConfigMethods, DevicePasswordId, MessageType, ResponseType, RfBands, Uuid, WfaExtension,
    WscState,
};
use wps::message::ie::{Beacon, ProbeResponse};
use wps::message::{DeviceAttrs, Extra};
use wps::registration::SessionSecrets;

/// The messages of a whole registration, in order: M1 … M8, WSC_Done.
pub const REGISTRATION: [MessageType; 9] = [
    MessageType::M1,
    MessageType::M2,
    MessageType::M3,
    MessageType::M4,
    MessageType::M5,
    MessageType::M6,
    MessageType::M7,
    MessageType::M8,
    MessageType::WscDone,
];

/// The Beacon WPS IE of a configured dual-band AP with push-button active (hostapd's
/// shape): Selected Registrar, Device Password ID PushButton, its config methods, UUID-E,
/// RF Bands, and Version2 with a one-entry AuthorizedMACs (the broadcast address).
pub fn pbc_beacon() -> Beacon<'static> {
    Beacon {
        selected_registrar: true,
        device_password_id: Some(DevicePasswordId::PushButton),
        selected_registrar_config_methods: Some(ConfigMethods(0x4388)),
        uuid_e: Some(Uuid([0x11; 16])),
        rf_bands: Some(RfBands(3)),
        wfa: Some(WfaExtension {
            authorized_macs: Some(&[0xff; 6]),
            ..WfaExtension::version2_only()
        }),
        ..Beacon::new(WscState::Configured)
    }
}

/// The Probe Response WPS IE of a configured access point `uuid_e`, `device`, offering
/// `config_methods`: WSC 2.0, not locked, no registrar selected, no RF Bands. Tests
/// change what they look at with struct update syntax.
pub fn ap_probe_response<'a>(
    uuid_e: Uuid,
    device: DeviceAttrs<'a>,
    config_methods: ConfigMethods,
) -> ProbeResponse<'a> {
    ProbeResponse {
        version: 0x10,
        wsc_state: WscState::Configured,
        ap_setup_locked: false,
        selected_registrar: false,
        device_password_id: None,
        selected_registrar_config_methods: None,
        response_type: ResponseType::Ap,
        uuid_e,
        device,
        config_methods,
        rf_bands: None,
        wfa: Some(WfaExtension::version2_only()),
        extra: Extra::NONE,
        application_extension: None,
    }
}

/// Session secrets that follow from `seed` alone (DH private key, nonce, secret nonces
/// and IVs), for runs that must replay the same bytes.
pub fn session_secrets(seed: u8) -> SessionSecrets {
    let ivs = [[seed ^ 2; 16]; 3];
    SessionSecrets::from_parts(&[seed; 25], [seed; 16], [[seed ^ 1; 16]; 2], ivs)
        .expect("a valid DH private key")
}

/// The RFC 3526 1536-bit MODP prime (WSC's Diffie-Hellman group 5), big-endian hex, for
/// the reference arithmetic of the tests and benches (the library keeps its own copy).
pub const GROUP5_PRIME_HEX: &str = "\
    FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22\
    514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6\
    F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3D\
    C2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB\
    9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF";
