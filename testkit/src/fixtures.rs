//! Values more than one test or bench builds.

use wps::attr::{
    ConfigMethods, DevicePasswordId, MessageType, RfBands, Uuid, WfaExtension, WscState,
};
use wps::message::ie::Beacon;

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
