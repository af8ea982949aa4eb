//! `wps er`'s events as wpa_supplicant prints them on its control interface
//! (`wps_supplicant.c`'s `WPS-ER-…` lines).

use wps::attr::{PrimaryDeviceType, WscState};
use wps::message::M1;
use wps::message::ie::ProbeRequest;
use wps::upnp::external::PcEvent;

use crate::report;

/// wpa_supplicant's line for `event`.
pub fn line(event: &PcEvent) -> String {
    match event {
        PcEvent::ApAdded {
            uuid,
            mac,
            description: d,
            m1,
        } => {
            // The device type and state come from the access point's M1, the names
            // from its description.
            let (device_type, state) = M1::parse(m1).map_or((String::new(), 0), |m| {
                (
                    m.device.primary_device_type.to_string(),
                    wsc_state(m.wsc_state),
                )
            });
            let opt = |s: &Option<String>| s.clone().unwrap_or_default();
            format!(
                "WPS-ER-AP-ADD {uuid} {mac} pri_dev_type={device_type} wps_state={state} |{}|{}|{}|{}|{}|{}|",
                d.friendly_name,
                d.manufacturer,
                opt(&d.model_description),
                d.model_name,
                opt(&d.manufacturer_url),
                opt(&d.model_url),
            )
        }
        PcEvent::ApRemoved { uuid } => format!("WPS-ER-AP-REMOVE {uuid}"),
        PcEvent::EnrolleeAdded {
            uuid,
            mac,
            m1,
            device_password_id,
            config_methods,
            attributes,
        } => {
            let names = if *m1 {
                M1::parse(attributes).map_or_else(
                    |_| Names::default(),
                    |m| Names {
                        device_type: Some(m.device.primary_device_type),
                        fields: [
                            text(m.device.device_name),
                            text(m.device.manufacturer),
                            text(m.device.model_name),
                            text(m.device.model_number),
                            text(m.device.serial_number),
                        ],
                    },
                )
            } else {
                ProbeRequest::parse(attributes).map_or_else(
                    |_| Names::default(),
                    |p| Names {
                        device_type: Some(p.primary_device_type),
                        fields: [
                            text(p.device_name.unwrap_or_default()),
                            text(p.manufacturer.unwrap_or_default()),
                            text(p.model_name.unwrap_or_default()),
                            text(p.model_number.unwrap_or_default()),
                            String::new(),
                        ],
                    },
                )
            };
            let [name, manufacturer, model, number, serial] = &names.fields;
            format!(
                "WPS-ER-ENROLLEE-ADD {uuid} {mac} M1={} config_methods=0x{:x} dev_passwd_id={} pri_dev_type={} |{name}|{manufacturer}|{model}|{number}|{serial}|",
                u8::from(*m1),
                u16::from(*config_methods),
                u16::from(*device_password_id),
                names
                    .device_type
                    .map_or_else(String::new, |t| t.to_string()),
            )
        }
        PcEvent::ApSettings { uuid, credential } => {
            let s = credential.settings();
            // As wpa_supplicant: the key only for WPA/WPA2-Personal, 8 to 64 bytes.
            let personal = u16::from(s.auth_type()) & 0x0022 != 0;
            let key = if personal && (8..=64).contains(&s.network_key().len()) {
                String::from_utf8_lossy(s.network_key()).into_owned()
            } else {
                String::new()
            };
            format!(
                "WPS-ER-AP-SETTINGS uuid={uuid} ssid={} auth_type=0x{:04x} encr_type=0x{:04x} key={key}",
                ssid_text(s.ssid()),
                u16::from(s.auth_type()),
                u16::from(s.encr_type()),
            )
        }
        PcEvent::SelectedRegistrarSet { uuid, done } => format!(
            "WPS-ER-AP-SET-SEL-REG uuid={uuid} state={}",
            if *done { "DONE" } else { "FAILED" }
        ),
        PcEvent::Success { .. } => "WPS-SUCCESS".into(),
        PcEvent::Failed { failure } => match failure {
            Some(f) => report::fail_line(f),
            None => "WPS-FAIL msg=0 config_error=0".into(),
        },
        other => format!("WPS-ER-EVENT {other:?}"),
    }
}

#[derive(Default)]
struct Names {
    device_type: Option<PrimaryDeviceType>,
    fields: [String; 5],
}

fn wsc_state(s: WscState) -> u8 {
    u8::from(s)
}

/// A device string as wpa_supplicant prints it (bytes as text; invalid UTF-8 replaced).
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// An SSID as wpa_supplicant's `wpa_ssid_txt` prints it: printable ASCII as is, `"`
/// and `\` escaped, other bytes as `\n`, `\t`, … or `\xNN`.
pub fn ssid_text(ssid: &[u8]) -> String {
    let mut out = String::new();
    for &b in ssid {
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            0x1b => out.push_str("\\e"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x20..=0x7e => out.push(char::from(b)),
            _ => out.push_str(&format!("\\x{b:02x}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use wps::attr::{MacAddr, Uuid};
    use wps::registration::{Credential, NetworkSettings};

    const AP_UUID: &str = "12345678-9abc-def0-1234-56789abcdef0";

    fn uuid() -> Uuid {
        crate::args::uuid(AP_UUID).unwrap()
    }

    #[test]
    fn ap_settings_as_wpa_supplicant_prints_them() {
        let settings =
            NetworkSettings::wpa2_personal(b"wpsu-test", b"wpsu-passphrase-123").unwrap();
        let credential = Credential::new(settings, MacAddr([2, 0, 0, 0, 0x5a, 1]));
        assert_eq!(
            line(&PcEvent::ApSettings {
                uuid: uuid(),
                credential
            }),
            format!(
                "WPS-ER-AP-SETTINGS uuid={AP_UUID} ssid=wpsu-test auth_type=0x0020 encr_type=0x0008 key=wpsu-passphrase-123"
            )
        );
        let open = Credential::new(NetworkSettings::open(b"cafe").unwrap(), MacAddr::default());
        assert!(
            line(&PcEvent::ApSettings {
                uuid: uuid(),
                credential: open
            })
            .ends_with("ssid=cafe auth_type=0x0001 encr_type=0x0001 key=")
        );
    }

    #[test]
    fn plain_events() {
        assert_eq!(
            line(&PcEvent::ApRemoved { uuid: uuid() }),
            format!("WPS-ER-AP-REMOVE {AP_UUID}")
        );
        assert_eq!(
            line(&PcEvent::SelectedRegistrarSet {
                uuid: uuid(),
                done: true
            }),
            format!("WPS-ER-AP-SET-SEL-REG uuid={AP_UUID} state=DONE")
        );
        assert_eq!(
            line(&PcEvent::SelectedRegistrarSet {
                uuid: uuid(),
                done: false
            }),
            format!("WPS-ER-AP-SET-SEL-REG uuid={AP_UUID} state=FAILED")
        );
        assert_eq!(
            line(&PcEvent::Success {
                mac: MacAddr::default()
            }),
            "WPS-SUCCESS"
        );
        assert_eq!(
            line(&PcEvent::Failed { failure: None }),
            "WPS-FAIL msg=0 config_error=0"
        );
    }

    #[test]
    fn ssids_escaped_as_wpa_ssid_txt() {
        assert_eq!(ssid_text(b"home"), "home");
        assert_eq!(ssid_text(b"a\"b\\c"), "a\\\"b\\\\c");
        assert_eq!(ssid_text(b"\x00\n\xff"), "\\x00\\n\\xff");
    }
}
