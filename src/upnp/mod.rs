//! The PC path: WPS over UPnP, the `WFAWLANConfig:1` service an external registrar (a PC,
//! "Windows Connect Now") uses to find an access point, read or reconfigure it with its
//! AP PIN, and register enrollees the access point relays (feature `upnp`).
//!
//! Sans-IO like the rest of the crate: the functions here turn bytes into typed values
//! and back; the caller owns the UDP and TCP sockets and the clock.
//!
//! * [`ssdp`]: discovery — `M-SEARCH`, its unicast answers, `NOTIFY` alive/byebye;
//! * [`description`]: the device description (`wps_device.xml`), the service
//!   description (`wps_scpd.xml`) and the URLs in them;
//! * [`soap`]: the four actions hostapd implements — `GetDeviceInfo`, `PutMessage`,
//!   `PutWLANResponse`, `SetSelectedRegistrar` — requests, responses and faults;
//! * [`selected_registrar`]: `SetSelectedRegistrar`'s attributes;
//! * [`gena`]: eventing — `SUBSCRIBE`, renewal, `UNSUBSCRIBE`, the event `NOTIFY` and its
//!   property set;
//! * [`wlan_event`]: the `WLANEvent` payload (type, enrollee MAC, WSC message);
//! * [`device`]: the access point's side as a sans-IO machine ([`device::UpnpDevice`]);
//! * [`registrar`]: the external registrar's side ([`registrar::UpnpRegistrar`]);
//! * [`external`]: the PC as a whole — that side plus the registration runs, driven by
//!   wpa_cli's `wps_er_*` commands ([`external::ExternalRegistrar`]);
//! * [`http`], [`xml`], [`base64`]: the bounded readers and writers under them.
//!
//! The messages are written byte for byte as hostapd (the device side) and
//! wpa_supplicant (the registrar side) write them; the tests replay a capture of the two
//! daemons through this module.

pub mod base64;
pub mod description;
pub mod device;
pub mod external;
pub mod gena;
pub mod http;
pub mod registrar;
pub mod selected_registrar;
pub mod soap;
pub mod ssdp;
pub mod url;
pub mod wlan_event;
pub mod xml;

mod error;

pub use error::UpnpError;

/// The device type: `urn:schemas-wifialliance-org:device:WFADevice:1`.
pub const DEVICE_TYPE: &str = "urn:schemas-wifialliance-org:device:WFADevice:1";
/// The service type: `urn:schemas-wifialliance-org:service:WFAWLANConfig:1`.
pub const SERVICE_TYPE: &str = "urn:schemas-wifialliance-org:service:WFAWLANConfig:1";
/// The service id in the device description.
pub const SERVICE_ID: &str = "urn:wifialliance-org:serviceId:WFAWLANConfig1";
/// The SSDP multicast group and port.
pub const SSDP_ADDR: &str = "239.255.255.250:1900";
/// The `SERVER` string hostapd sends in SSDP and HTTP.
pub const SERVER: &str = "Unspecified, UPnP/1.0, Unspecified";
