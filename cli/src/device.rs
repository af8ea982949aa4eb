//! Who our programs say they are in M1 / M2: the interface's MAC, a UUID (by default the
//! one hostapd and wpa_supplicant derive from the MAC, so one machine keeps one
//! identity), wpa_supplicant's default device attributes, and this program's names.

use wps::attr::{ConfigMethods, MacAddr, PrimaryDeviceType, Uuid};
use wps::registration::DeviceInfo;

/// A station (a computer, as wpa_supplicant says by default).
pub fn station(mac: MacAddr) -> DeviceInfo {
    named(mac, Uuid::from_mac(mac), "wps-rs station")
}

/// An access point: Network Infrastructure / AP; label, display and keypad.
pub fn access_point(mac: MacAddr, uuid: Uuid) -> DeviceInfo {
    let mut d = named(mac, uuid, "wps-rs ap");
    d.identity.primary_device_type = PrimaryDeviceType::wfa(6, 1);
    d.config_methods = ConfigMethods::from(0x010c);
    d
}

/// A device with this program's names.
pub fn named(mac: MacAddr, uuid: Uuid, name: &str) -> DeviceInfo {
    let mut d = DeviceInfo::new(uuid, mac, name);
    let id = &mut d.identity;
    id.manufacturer = b"wps-rs".to_vec();
    id.model_name = name.as_bytes().to_vec();
    id.model_number = env!("CARGO_PKG_VERSION").as_bytes().to_vec();
    id.serial_number = mac.to_string().replace(':', "").into_bytes();
    d
}
