//! The external registrar's UPnP side (`wps::upnp::registrar::UpnpRegistrar`) against the
//! lab's capture: fed hostapd's answers, it sends what wpa_supplicant sent, byte for byte.
#![cfg(feature = "upnp")]

mod common;

use common::upnp::{file, text};
use std::net::Ipv4Addr;
use std::time::Duration;

use wps::attr::{MacAddr, MessageType};
use wps::time::Instant;
use wps::upnp::device::Served;
use wps::upnp::registrar::{ErConfig, ErEvent, Request, UpnpRegistrar};
use wps::upnp::soap::{Action, Call};
use wps::upnp::wlan_event::WlanEventType;

const ER: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 2);
/// Mon, 30 Nov 2026 10:13:02 GMT.
const UNIX: u64 = 1_796_033_582;

fn one_request(er: &mut UpnpRegistrar) -> Request {
    let r = er.poll_request().unwrap();
    assert_eq!(er.poll_request(), None);
    r
}

/// The registrar after discovery, as in the capture (wpa_supplicant's event id
/// 209417199).
fn discovered() -> (UpnpRegistrar, wps::upnp::registrar::ApId) {
    let mut er = UpnpRegistrar::new(ErConfig::new(ER, 49152, 209_417_199));
    er.search();
    assert_eq!(er.poll_datagram().unwrap(), text("016-"));
    let now = Instant::ZERO;
    // Eight answers, one access point.
    for i in 17..25 {
        er.handle_datagram(&file(&format!("{i:03}-")));
    }
    let get = one_request(&mut er);
    assert_eq!(get.bytes, text("025-"));
    assert_eq!(
        get.to.to_string(),
        "http://192.168.77.1:49152/wps_device.xml"
    );
    er.handle_response(get.id, &file("026-"), now);
    let info = one_request(&mut er);
    assert_eq!(info.bytes, text("027-"));
    er.handle_response(info.id, &file("028-"), now);
    let subscribe = one_request(&mut er);
    assert_eq!(subscribe.bytes, text("029-"));
    assert_eq!(er.poll_event(), None);
    er.handle_response(subscribe.id, &file("030-"), now);
    let Some(ErEvent::ApAdded {
        ap,
        description,
        m1,
    }) = er.poll_event()
    else {
        panic!()
    };
    assert_eq!(description.friendly_name, "wpsu UPnP AP");
    let m1 = wps::message::Message::parse(&m1).unwrap();
    assert_eq!(m1.message_type(), MessageType::M1);
    (er, ap)
}

#[test]
fn discovery_events_relay_and_leaving_are_wpa_supplicants() {
    let (mut er, ap) = discovered();
    let now = Instant::ZERO;
    // The first event (dummy ACK) is answered and not reported.
    assert_eq!(
        er.handle_notify(&file("031-"), false, UNIX),
        Served::Reply(text("032-"))
    );
    assert_eq!(er.poll_event(), None);
    // The enrollee's M1.
    let answer = er.handle_notify(&file("045-"), false, UNIX + 3);
    assert_eq!(answer, Served::Reply(text("046-")));
    let Some(ErEvent::Wlan { ap: from, event }) = er.poll_event() else {
        panic!()
    };
    assert_eq!((from, event.kind), (ap, WlanEventType::Eap));
    assert_eq!(event.mac, MacAddr([2, 0, 0, 0, 0x5b, 1]));
    // The answer goes back as PutWLANResponse, exactly as wpa_supplicant sent it.
    let bytes = file("047-");
    let captured = wps::upnp::http::Message::parse_whole(&bytes).unwrap().body;
    let m2 = wps::upnp::xml::find_leaf(std::str::from_utf8(captured).unwrap(), &["NewMessage"])
        .unwrap()
        .unwrap();
    let m2 = wps::upnp::base64::decode(m2.as_bytes()).unwrap();
    let call = Call::PutWlanResponse {
        message: m2,
        kind: WlanEventType::Eap,
        mac: event.mac,
    };
    er.call(ap, &call).unwrap();
    let put = one_request(&mut er);
    assert_eq!(put.bytes, text("047-"));
    er.handle_response(put.id, &file("048-"), now);
    match er.poll_event() {
        Some(ErEvent::Answer {
            action: Action::PutWlanResponse,
            result: Ok(_),
            ..
        }) => {}
        other => panic!("{other:?}"),
    }
    // A NACK answered with a fault arrives as the fault.
    er.call(ap, &Call::PutMessage { message: vec![] }).unwrap();
    let put = one_request(&mut er);
    er.handle_response(put.id, &file("042-"), now);
    match er.poll_event() {
        Some(ErEvent::Answer {
            action: Action::PutMessage,
            result: Err(fault),
            ..
        }) => assert_eq!(fault.code, 500),
        other => panic!("{other:?}"),
    }
    // wps_er_stop.
    er.stop();
    let unsubscribe = one_request(&mut er);
    assert_eq!(unsubscribe.bytes, text("067-"));
    er.handle_response(unsubscribe.id, &file("068-"), now);
    assert_eq!(er.aps().count(), 0);
    assert_eq!(er.call(ap, &Call::GetDeviceInfo), None);
}

#[test]
fn renewal_and_removal() {
    let (mut er, ap) = discovered();
    // Renewed at half the granted 1801 s.
    let due = er.poll_timeout().unwrap();
    assert_eq!(due, Instant::ZERO + Duration::from_secs(900));
    er.handle_timeout(due);
    let renew = one_request(&mut er);
    assert!(renew.bytes.starts_with("SUBSCRIBE /wps_event HTTP/1.1\r\n"));
    assert!(
        renew
            .bytes
            .contains("SID: uuid:fdae7d48-5fd9-4f62-944c-da26315e6d65\r\n")
    );
    assert!(!renew.bytes.contains("CALLBACK"));
    er.handle_response(renew.id, &file("030-"), due);
    assert_eq!(er.poll_timeout(), Some(due + Duration::from_secs(900)));
    // A failed renewal drops the access point.
    er.handle_timeout(due + Duration::from_secs(900));
    let renew = one_request(&mut er);
    er.request_failed(renew.id, due + Duration::from_secs(900));
    assert!(matches!(er.poll_event(), Some(ErEvent::ApRemoved { ap: a, .. }) if a == ap));
    assert_eq!(er.aps().count(), 0);

    // ssdp:byebye removes it too.
    let (mut er, ap) = discovered();
    er.handle_datagram(&file("000-"));
    assert!(matches!(er.poll_event(), Some(ErEvent::ApRemoved { ap: a, .. }) if a == ap));
}

#[test]
fn failures_and_hostile_input() {
    let (mut er, ap) = discovered();
    // A call without an answer.
    er.call(ap, &Call::GetDeviceInfo).unwrap();
    let r = one_request(&mut er);
    er.request_failed(r.id, Instant::ZERO);
    assert_eq!(
        er.poll_event(),
        Some(ErEvent::CallFailed {
            ap,
            action: Action::GetDeviceInfo
        })
    );
    // An unreadable answer.
    er.call(ap, &Call::GetDeviceInfo).unwrap();
    let r = one_request(&mut er);
    er.handle_response(
        r.id,
        b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n<a>",
        Instant::ZERO,
    );
    assert!(matches!(er.poll_event(), Some(ErEvent::CallFailed { .. })));
    // Events for a subscription it does not hold, or malformed, or huge.
    let foreign = text("031-").replace("fdae7d48", "00000000");
    let status = |s: Served| match s {
        Served::Reply(a) => a.split(' ').nth(1).unwrap().to_owned(),
        Served::NeedMore => "more".to_owned(),
    };
    assert_eq!(
        status(er.handle_notify(foreign.as_bytes(), false, UNIX)),
        "412"
    );
    assert_eq!(
        status(er.handle_notify(b"NOTIFY / HTTP/1.1\r\n\r\n", false, UNIX)),
        "400"
    );
    assert_eq!(
        status(er.handle_notify(b"NOTIFY / HTTP/1.1\r\n", false, UNIX)),
        "more"
    );
    let huge = format!("NOTIFY / HTTP/1.1\r\nCONTENT-LENGTH: {}\r\n\r\n", 1 << 20);
    assert_eq!(
        status(er.handle_notify(huge.as_bytes(), false, UNIX)),
        "413"
    );
    let bad_event = text("045-").replace("AjAyOjAw", "AjAyOj!w");
    assert_eq!(
        status(er.handle_notify(bad_event.as_bytes(), false, UNIX)),
        "400"
    );
    assert_eq!(er.poll_event(), None);

    // A description that is not a WFA device: the access point is dropped quietly.
    let mut er = UpnpRegistrar::new(ErConfig::new(ER, 49152, 1));
    er.handle_datagram(&file("017-"));
    let get = one_request(&mut er);
    let other = text("026-").replace("WFADevice", "WFADevicX");
    er.handle_response(get.id, other.as_bytes(), Instant::ZERO);
    assert_eq!(er.poll_request(), None);
    assert_eq!(er.poll_event(), None);
    // Found again later, it is described again.
    er.handle_datagram(&file("017-"));
    assert!(er.poll_request().is_some());
}
