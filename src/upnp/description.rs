//! The device description (`GET /wps_device.xml`) and the service description
//! (`GET /wps_scpd.xml`), and the HTTP exchange that fetches them.
//!
//! An access point writes its description as hostapd does ([`DeviceDescription::to_xml`]);
//! a registrar reads any access point's ([`DeviceDescription::parse`]) for its UUID, its
//! names and the service's three URLs, which it resolves against the `LOCATION` URL.

use alloc::string::String;
use alloc::vec::Vec;

use crate::attr::Uuid;

use super::http::{self, Message};
use super::url::HttpUrl;
use super::xml::{self, Node, Reader};
use super::{DEVICE_TYPE, SERVER, SERVICE_ID, SERVICE_TYPE, UpnpError, ssdp};

/// hostapd's paths: the device description, the service description, control, events.
pub const DEVICE_PATH: &str = "/wps_device.xml";
/// The service description's path.
pub const SCPD_PATH: &str = "/wps_scpd.xml";
/// The control URL's path.
pub const CONTROL_PATH: &str = "/wps_control";
/// The event subscription URL's path.
pub const EVENT_PATH: &str = "/wps_event";

/// The longest single value (name, URL) kept from a description.
pub const MAX_VALUE: usize = 256;

/// A WFA device's description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceDescription {
    /// `UDN` without `uuid:`: the WPS UUID.
    pub uuid: Uuid,
    /// `friendlyName`.
    pub friendly_name: String,
    /// `manufacturer`.
    pub manufacturer: String,
    /// `manufacturerURL`, if any.
    pub manufacturer_url: Option<String>,
    /// `modelDescription`, if any.
    pub model_description: Option<String>,
    /// `modelName`.
    pub model_name: String,
    /// `modelNumber`, if any.
    pub model_number: Option<String>,
    /// `modelURL`, if any.
    pub model_url: Option<String>,
    /// `serialNumber`, if any.
    pub serial_number: Option<String>,
    /// `UPC`, if any.
    pub upc: Option<String>,
    /// The WFAWLANConfig service's URLs, as written (usually relative).
    pub service: ServiceUrls,
}

/// The three URLs of the service in a description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceUrls {
    /// `SCPDURL`.
    pub scpd: String,
    /// `controlURL`.
    pub control: String,
    /// `eventSubURL`.
    pub event_sub: String,
}

impl ServiceUrls {
    /// hostapd's relative URLs.
    pub fn hostapd() -> Self {
        ServiceUrls {
            scpd: String::from("wps_scpd.xml"),
            control: String::from("wps_control"),
            event_sub: String::from("wps_event"),
        }
    }

    /// The control and event URLs resolved against the description's `location`.
    pub fn resolve(&self, location: &HttpUrl) -> Result<(HttpUrl, HttpUrl), UpnpError> {
        Ok((
            location.join(&self.control)?,
            location.join(&self.event_sub)?,
        ))
    }
}

impl DeviceDescription {
    /// The description of an access point that says `device` in its M1, as hostapd
    /// fills it from its configuration: friendly name and model from the device name and
    /// model, hostapd's service URLs.
    pub fn of_device(device: &crate::registration::DeviceInfo) -> Self {
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        let optional = |b: &[u8]| (!b.is_empty()).then(|| text(b));
        let id = &device.identity;
        DeviceDescription {
            uuid: device.uuid,
            friendly_name: text(&id.device_name),
            manufacturer: text(&id.manufacturer),
            manufacturer_url: None,
            model_description: None,
            model_name: text(&id.model_name),
            model_number: optional(&id.model_number),
            model_url: None,
            serial_number: optional(&id.serial_number),
            upc: None,
            service: ServiceUrls::hostapd(),
        }
    }

    /// The XML document, as hostapd writes it (optional fields left out when absent).
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(1024);
        out.push_str(
            "<?xml version=\"1.0\"?>\n<root xmlns=\"urn:schemas-upnp-org:device-1-0\">\n\
             <specVersion>\n<major>1</major>\n<minor>0</minor>\n</specVersion>\n<device>\n",
        );
        xml::write_leaf(&mut out, "deviceType", DEVICE_TYPE);
        xml::write_leaf(&mut out, "friendlyName", &self.friendly_name);
        xml::write_leaf(&mut out, "manufacturer", &self.manufacturer);
        let optional = |out: &mut String, name: &str, value: &Option<String>| {
            if let Some(v) = value {
                xml::write_leaf(out, name, v);
            }
        };
        optional(&mut out, "manufacturerURL", &self.manufacturer_url);
        optional(&mut out, "modelDescription", &self.model_description);
        xml::write_leaf(&mut out, "modelName", &self.model_name);
        optional(&mut out, "modelNumber", &self.model_number);
        optional(&mut out, "modelURL", &self.model_url);
        optional(&mut out, "serialNumber", &self.serial_number);
        xml::write_leaf(&mut out, "UDN", &alloc::format!("uuid:{}", self.uuid));
        optional(&mut out, "UPC", &self.upc);
        out.push_str("<serviceList>\n<service>\n");
        xml::write_leaf(&mut out, "serviceType", SERVICE_TYPE);
        xml::write_leaf(&mut out, "serviceId", SERVICE_ID);
        xml::write_leaf(&mut out, "SCPDURL", &self.service.scpd);
        xml::write_leaf(&mut out, "controlURL", &self.service.control);
        xml::write_leaf(&mut out, "eventSubURL", &self.service.event_sub);
        out.push_str("</service>\n</serviceList>\n</device>\n</root>\n");
        out
    }

    /// Reads a description: the root device must be a WFA device
    /// ([`DEVICE_TYPE`]) with a UDN and the WFAWLANConfig service.
    pub fn parse(doc: &str) -> Result<Self, UpnpError> {
        let mut fields = Leaves::new(DEVICE_LEAVES);
        let mut service = Leaves::new(SERVICE_LEAVES);
        let mut found: Option<ServiceUrls> = None;
        let mut reader = Reader::new(doc);
        while let Some(node) = reader.next() {
            let node = node?;
            let path = reader.path();
            match node {
                Node::Leaf { name, text, .. } => {
                    let value = || -> Result<String, UpnpError> {
                        if text.len() > MAX_VALUE {
                            return Err(UpnpError::Invalid("description value (too long)"));
                        }
                        Ok(String::from(xml::unescape(text)?.trim()))
                    };
                    if path.len() == 2 && path.get(1) == Some(&"device") {
                        fields.set(name, value()?);
                    } else if path.len() == 4
                        && path.get(1) == Some(&"device")
                        && path.get(2) == Some(&"serviceList")
                        && path.get(3) == Some(&"service")
                    {
                        service.set(name, value()?);
                    }
                }
                Node::Close { name: "service" } if path.len() == 3 => {
                    let mut done = core::mem::replace(&mut service, Leaves::new(SERVICE_LEAVES));
                    if found.is_none() && done.take("serviceType").as_deref() == Some(SERVICE_TYPE)
                    {
                        let mut url = |name| done.take(name).ok_or(UpnpError::Missing(name));
                        found = Some(ServiceUrls {
                            control: url("controlURL")?,
                            event_sub: url("eventSubURL")?,
                            scpd: done.take("SCPDURL").unwrap_or_default(),
                        });
                    }
                }
                _ => {}
            }
        }
        if fields.take("deviceType").as_deref() != Some(DEVICE_TYPE) {
            return Err(UpnpError::Invalid("deviceType"));
        }
        let udn = fields.take("UDN").ok_or(UpnpError::Missing("UDN"))?;
        let uuid = udn
            .strip_prefix("uuid:")
            .and_then(ssdp::parse_uuid)
            .ok_or(UpnpError::Invalid("UDN"))?;
        Ok(DeviceDescription {
            uuid,
            friendly_name: fields.take("friendlyName").unwrap_or_default(),
            manufacturer: fields.take("manufacturer").unwrap_or_default(),
            manufacturer_url: fields.take("manufacturerURL"),
            model_description: fields.take("modelDescription"),
            model_name: fields.take("modelName").unwrap_or_default(),
            model_number: fields.take("modelNumber"),
            model_url: fields.take("modelURL"),
            serial_number: fields.take("serialNumber"),
            upc: fields.take("UPC"),
            service: found.ok_or(UpnpError::Missing("WFAWLANConfig service"))?,
        })
    }
}

/// The leaves of the root device that a description keeps.
const DEVICE_LEAVES: [&str; 11] = [
    "deviceType",
    "friendlyName",
    "manufacturer",
    "manufacturerURL",
    "modelDescription",
    "modelName",
    "modelNumber",
    "modelURL",
    "serialNumber",
    "UDN",
    "UPC",
];

/// The leaves of a service that a description keeps.
const SERVICE_LEAVES: [&str; 4] = ["serviceType", "SCPDURL", "controlURL", "eventSubURL"];

/// The text of the leaves named `names` read under one element (a later one replaces an
/// earlier; other names are passed over, so at most `N` values are kept).
struct Leaves<const N: usize> {
    names: [&'static str; N],
    values: [Option<String>; N],
}

impl<const N: usize> Leaves<N> {
    fn new(names: [&'static str; N]) -> Self {
        Leaves {
            names,
            values: [const { None }; N],
        }
    }

    fn slot(&mut self, name: &str) -> Option<&mut Option<String>> {
        let index = self.names.iter().position(|n| *n == name)?;
        self.values.get_mut(index)
    }

    fn set(&mut self, name: &str, value: String) {
        if let Some(slot) = self.slot(name) {
            *slot = Some(value);
        }
    }

    /// The value read for `name` (one of `names`), taken out.
    fn take(&mut self, name: &str) -> Option<String> {
        self.slot(name)?.take()
    }
}

/// The service's actions: name and arguments (name, `in`, related state variable).
/// An argument: name, whether it goes in, its related state variable.
type Argument = (&'static str, bool, &'static str);

const ACTIONS: &[(&str, &[Argument])] = &[
    ("GetDeviceInfo", &[("NewDeviceInfo", false, "DeviceInfo")]),
    (
        "PutMessage",
        &[
            ("NewInMessage", true, "InMessage"),
            ("NewOutMessage", false, "OutMessage"),
        ],
    ),
    (
        "PutWLANResponse",
        &[
            ("NewMessage", true, "Message"),
            ("NewWLANEventType", true, "WLANEventType"),
            ("NewWLANEventMAC", true, "WLANEventMAC"),
        ],
    ),
    ("SetSelectedRegistrar", &[("NewMessage", true, "Message")]),
];

/// The service's state variables: name, whether evented, data type.
const STATE_VARIABLES: &[(&str, bool, &str)] = &[
    ("Message", false, "bin.base64"),
    ("InMessage", false, "bin.base64"),
    ("OutMessage", false, "bin.base64"),
    ("DeviceInfo", false, "bin.base64"),
    ("APStatus", true, "ui1"),
    ("STAStatus", true, "ui1"),
    ("WLANEvent", true, "bin.base64"),
    ("WLANEventType", false, "ui1"),
    ("WLANEventMAC", false, "string"),
    ("WLANResponse", false, "bin.base64"),
];

/// The service description (SCPD) of the four actions hostapd implements, as hostapd
/// writes it.
pub fn scpd() -> String {
    let mut out = String::with_capacity(2560);
    out.push_str(
        "<?xml version=\"1.0\"?>\n<scpd xmlns=\"urn:schemas-upnp-org:service-1-0\">\n\
         <specVersion><major>1</major><minor>0</minor></specVersion>\n<actionList>\n",
    );
    for (action, arguments) in ACTIONS {
        out.push_str("<action>\n");
        xml::write_leaf(&mut out, "name", action);
        out.push_str("<argumentList>\n");
        for (name, input, related) in *arguments {
            out.push_str("<argument>\n");
            xml::write_leaf(&mut out, "name", name);
            xml::write_leaf(&mut out, "direction", if *input { "in" } else { "out" });
            xml::write_leaf(&mut out, "relatedStateVariable", related);
            out.push_str("</argument>\n");
        }
        out.push_str("</argumentList>\n</action>\n");
    }
    out.push_str("</actionList>\n<serviceStateTable>\n");
    for (name, evented, data_type) in STATE_VARIABLES {
        out.push_str(if *evented {
            "<stateVariable sendEvents=\"yes\">\n"
        } else {
            "<stateVariable sendEvents=\"no\">\n"
        });
        xml::write_leaf(&mut out, "name", name);
        xml::write_leaf(&mut out, "dataType", data_type);
        out.push_str("</stateVariable>\n");
    }
    out.push_str("</serviceStateTable>\n</scpd>\n");
    out
}

/// The most actions read from a service description.
pub const MAX_ACTIONS: usize = 32;

/// The names of the actions a service description lists.
pub fn scpd_actions(doc: &str) -> Result<Vec<String>, UpnpError> {
    let mut names = Vec::new();
    let mut reader = Reader::new(doc);
    while let Some(node) = reader.next() {
        if let Node::Leaf {
            name: "name", text, ..
        } = node?
            && reader.path().ends_with(&["actionList", "action"])
        {
            if names.len() >= MAX_ACTIONS || text.len() > MAX_VALUE {
                return Err(UpnpError::Invalid("service description (too many actions)"));
            }
            names.push(String::from(xml::unescape(text)?.trim()));
        }
    }
    Ok(names)
}

/// `GET` for a description at `url`, as wpa_supplicant writes it.
pub fn get_request(url: &HttpUrl) -> String {
    let mut out = alloc::format!("GET {} HTTP/1.1\r\n", url.path);
    http::header(&mut out, "Cache-Control", "no-cache");
    http::header(&mut out, "Pragma", "no-cache");
    http::header(&mut out, "Accept", "text/xml, application/xml");
    http::header(&mut out, "User-Agent", "wpa_supplicant");
    http::header(&mut out, "Host", url.host_port());
    out.push_str("\r\n");
    out
}

/// The `200 OK` carrying an XML document, as hostapd writes it; `date` from
/// [`http::date`].
pub fn document_response(document: &str, date: &str) -> String {
    http::closing_response(
        "200 OK",
        &[("Content-Type", http::XML), ("Server", SERVER)],
        document,
        date,
    )
}

/// The document in a `200 OK` answer to [`get_request`].
pub fn parse_document_response<'a>(message: &Message<'a>) -> Result<&'a str, UpnpError> {
    if message.status() != Some(200) {
        return Err(UpnpError::Unexpected("HTTP/1.1 200 OK"));
    }
    message
        .body_text()
        .ok_or(UpnpError::Invalid("document (not UTF-8)"))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    fn opt() -> impl Strategy<Value = Option<String>> {
        proptest::option::of("[ -~]{0,30}".prop_map(|s| String::from(s.trim())))
    }

    #[test]
    fn refuses_other_devices() {
        let mut d = DeviceDescription {
            uuid: Uuid([7; 16]),
            friendly_name: String::from("x"),
            manufacturer: String::from("m"),
            manufacturer_url: None,
            model_description: None,
            model_name: String::from("n"),
            model_number: None,
            model_url: None,
            serial_number: None,
            upc: None,
            service: ServiceUrls::hostapd(),
        };
        let doc = d.to_xml();
        assert_eq!(DeviceDescription::parse(&doc), Ok(d.clone()));
        let other = doc.replace(DEVICE_TYPE, "urn:schemas-upnp-org:device:Basic:1");
        assert_eq!(
            DeviceDescription::parse(&other),
            Err(UpnpError::Invalid("deviceType"))
        );
        let other = doc.replace(SERVICE_TYPE, "urn:x");
        assert!(DeviceDescription::parse(&other).is_err());
        d.service.scpd = "a".repeat(MAX_VALUE + 1);
        assert!(DeviceDescription::parse(&d.to_xml()).is_err());
    }

    proptest! {
        #[test]
        fn description_round_trip(
            uuid: [u8; 16],
            names in proptest::collection::vec("[ -~]{0,30}".prop_map(|s| String::from(s.trim())), 3),
            a in opt(), b in opt(), c in opt(), d in opt(), e in opt(), f in opt(),
            control in "[a-z_/]{1,20}",
        ) {
            let desc = DeviceDescription {
                uuid: Uuid(uuid),
                friendly_name: names[0].clone(),
                manufacturer: names[1].clone(),
                manufacturer_url: a,
                model_description: b,
                model_name: names[2].clone(),
                model_number: c,
                model_url: d,
                serial_number: e,
                upc: f,
                service: ServiceUrls { control, ..ServiceUrls::hostapd() },
            };
            prop_assert_eq!(DeviceDescription::parse(&desc.to_xml()), Ok(desc));
        }

        #[test]
        fn never_panics(doc in "[<>/a-zA-Z !?=\"':-]{0,80}") {
            let _ = DeviceDescription::parse(&doc);
            let _ = scpd_actions(&doc);
        }
    }
}
