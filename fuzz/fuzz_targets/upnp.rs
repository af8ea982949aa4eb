//! The UPnP codec (feature `upnp`) on arbitrary bytes: HTTP framing, SSDP, SOAP, GENA,
//! descriptions, XML, base64 and WLANEvent. Whatever parses is rebuilt and must parse
//! back to the same value; both sans-IO machines answer every request with an HTTP
//! status line and never panic.
#![no_main]

use std::net::{Ipv4Addr, SocketAddrV4};

use libfuzzer_sys::fuzz_target;
use wps::ap::{AccessPoint, ApConfig};
use wps::attr::{MacAddr, Uuid};
use wps::pin::DevicePassword;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::time::{Instant, Lifetime};
use wps::upnp::description::{DeviceDescription, ServiceUrls};
use wps::upnp::device::{DeviceConfig, Served, UpnpDevice};
use wps::upnp::gena::{EventNotify, Subscription};
use wps::upnp::http::Message;
use wps::upnp::registrar::{ErConfig, UpnpRegistrar};
use wps::upnp::selected_registrar::SelectedRegistrar;
use wps::upnp::soap::{Action, Call, Reply};
use wps::upnp::ssdp::{MSearch, Notify, SearchResponse};
use wps::upnp::url::HttpUrl;
use wps::upnp::wlan_event::WlanEvent;
use wps::upnp::{base64, xml};

/// The access point behind the device: the real one, with an AP PIN and a network.
fn access_point() -> AccessPoint<Counter> {
    let device = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "ap");
    let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
    let mut ap = AccessPoint::new(ApConfig::new(device, vec![home]), Counter(2), Instant::ZERO);
    let ap_pin = DevicePassword::from_bytes(b"12345670").unwrap();
    ap.set_ap_pin(ap_pin, Lifetime::Forever, Instant::ZERO);
    ap
}

/// A subscription from the registrar's address, so SetSelectedRegistrar is heard.
const SUBSCRIBE: &[u8] = b"SUBSCRIBE /wps_event HTTP/1.1\r\nHOST: 192.168.77.1:49152\r\n\
CALLBACK: <http://192.168.77.2:49152/event>\r\nNT: upnp:event\r\nTIMEOUT: Second-1800\r\n\r\n";

/// A counter "RNG": the fuzzer does not need secrets, only determinism.
struct Counter(u64);

impl rand_core::TryRng for Counter {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        Ok((self.0 >> 32) as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for b in dst {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            *b = (self.0 >> 56) as u8;
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for Counter {}

fn reparse(text: &str) -> Message<'_> {
    Message::parse_whole(text.as_bytes()).expect("what we write parses")
}

fuzz_target!(|data: &[u8]| {
    // HTTP framing, incremental and whole.
    for closed in [false, true] {
        if let Ok(Some((m, used))) = Message::parse(data, closed) {
            assert!(used <= data.len());
            assert!(m.body.len() <= wps::upnp::http::MAX_BODY);
        }
    }
    // SSDP.
    if let Ok(s) = MSearch::parse(data) {
        assert_eq!(MSearch::parse(s.to_bytes().as_bytes()), Ok(s));
    }
    if let Ok(r) = SearchResponse::parse(data) {
        let _ = SearchResponse::parse(r.to_bytes().as_bytes());
    }
    if let Ok(n) = Notify::parse(data) {
        let _ = Notify::parse(n.to_bytes().as_bytes());
    }
    // SOAP and GENA.
    let url = HttpUrl::parse("http://192.168.77.1:49152/wps_control").unwrap();
    if let Ok(m) = Message::parse_whole(data) {
        if let Ok(call) = Call::parse(&m) {
            assert_eq!(Call::parse(&reparse(&call.to_http(&url))), Ok(call));
        }
        for action in Action::ALL {
            match Reply::parse(action, &m) {
                Ok(Ok(reply)) => {
                    let text = reply.to_http("d");
                    assert_eq!(Reply::parse(action, &reparse(&text)), Ok(Ok(reply)));
                }
                Ok(Err(fault)) => {
                    let text = fault.to_http("d");
                    assert_eq!(Reply::parse(action, &reparse(&text)), Ok(Err(fault)));
                }
                Err(_) => {}
            }
        }
        if let Ok(s) = Subscription::parse(&m) {
            assert_eq!(Subscription::parse(&reparse(&s.to_http(&url))), Ok(s));
        }
        if let Ok(n) = EventNotify::parse(&m) {
            assert_eq!(EventNotify::parse(&reparse(&n.to_http(&url))), Ok(n));
        }
    }
    // Documents.
    if let Ok(text) = std::str::from_utf8(data) {
        for node in xml::Reader::new(text) {
            if node.is_err() {
                break;
            }
        }
        if let Ok(d) = DeviceDescription::parse(text) {
            assert_eq!(DeviceDescription::parse(&d.to_xml()), Ok(d));
        }
        let _ = wps::upnp::description::scpd_actions(text);
        if let Ok(e) = WlanEvent::from_base64(text) {
            assert_eq!(WlanEvent::from_base64(&e.to_base64()), Ok(e));
        }
    }
    if let Ok(bytes) = base64::decode(data) {
        assert_eq!(base64::decode(base64::encode_wrapped(&bytes).as_bytes()), Ok(bytes));
    }
    if let Ok(s) = SelectedRegistrar::parse(data) {
        assert_eq!(SelectedRegistrar::parse(&s.to_bytes()), Ok(s));
    }
    if let Ok(e) = WlanEvent::parse(data) {
        assert_eq!(WlanEvent::parse(&e.to_bytes()), Ok(e));
    }
    // The machines.
    let description = DeviceDescription {
        uuid: wps::attr::Uuid([1; 16]),
        friendly_name: "ap".into(),
        manufacturer: "m".into(),
        manufacturer_url: None,
        model_description: None,
        model_name: "n".into(),
        model_number: None,
        model_url: None,
        serial_number: None,
        upc: None,
        service: ServiceUrls::hostapd(),
    };
    let ip = Ipv4Addr::new(192, 168, 77, 2);
    let mut device = UpnpDevice::new(
        DeviceConfig::new(description, Ipv4Addr::new(192, 168, 77, 1), 24),
        Counter(1),
        Instant::ZERO,
    );
    device.handle_datagram(SocketAddrV4::new(ip, 1), data, Instant::ZERO);
    while device.poll_datagram(Instant::from_secs(10), 0).is_some() {}
    let mut ap = access_point();
    let subscribed = device.handle_request(ip, SUBSCRIBE, true, Instant::ZERO, 0, &mut ap);
    assert!(matches!(subscribed, Served::Reply(a) if a.starts_with("HTTP/1.1 200 ")));
    ap.sync_upnp(&mut device);
    for closed in [false, true] {
        if let Served::Reply(answer) =
            device.handle_request(ip, data, closed, Instant::ZERO, 0, &mut ap)
        {
            assert!(answer.starts_with("HTTP/1.1 "));
        }
        ap.sync_upnp(&mut device);
    }
    let _ = ap.beacon_ie(Instant::ZERO);
    while let Some(d) = device.poll_delivery() {
        device.delivery_result(d.sid, false, Instant::ZERO);
    }
    let mut er = UpnpRegistrar::new(ErConfig::new(ip, 49152, 1));
    er.handle_datagram(data);
    while let Some(r) = er.poll_request() {
        er.handle_response(r.id, data, Instant::ZERO);
    }
    if let Served::Reply(answer) = er.handle_notify(data, true, 0) {
        assert!(answer.starts_with("HTTP/1.1 "));
    }
});
