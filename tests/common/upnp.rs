//! The UPnP lab's access point (tests/vectors/upnp): its description and capture files.

use wps::upnp::description::{DeviceDescription, ServiceUrls};

/// hostapd's UUID in the lab (`uuid=` of its configuration).
pub const AP_UUID: &str = "12345678-9abc-def0-1234-56789abcdef0";

/// The device description hostapd serves in the lab (`upnp_iface`, `friendly_name`, …).
pub fn hostapd_description() -> DeviceDescription {
    DeviceDescription {
        uuid: wps::upnp::ssdp::parse_uuid(AP_UUID).unwrap(),
        friendly_name: "wpsu UPnP AP".into(),
        manufacturer: "wpsu".into(),
        manufacturer_url: Some("http://www.example.com/".into()),
        model_description: Some("wpsu test access point".into()),
        model_name: "wpsu-model".into(),
        model_number: Some("1".into()),
        model_url: Some("http://www.example.com/model/".into()),
        serial_number: Some("0001".into()),
        upc: Some("123456789012".into()),
        service: ServiceUrls::hostapd(),
    }
}

/// The file of the er-enrollee capture whose name starts with `prefix`.
pub fn file(prefix: &str) -> Vec<u8> {
    let dir = format!("{}/upnp/er-enrollee", wps_testkit::vectors::DIR);
    let path = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_str().unwrap().starts_with(prefix))
        .unwrap_or_else(|| panic!("no er-enrollee file {prefix}*"));
    std::fs::read(path).unwrap()
}

/// [`file`] as text.
pub fn text(prefix: &str) -> String {
    String::from_utf8(file(prefix)).unwrap()
}
