//! The access point's UPnP device (`wps::upnp::device::UpnpDevice`) against the lab's
//! capture: what it sends is what hostapd sent (byte for byte, the random SID aside),
//! and the CallStranger hardening and the bounds hold.
#![cfg(feature = "upnp")]

mod common;

use common::upnp::{file, text};
use std::net::{Ipv4Addr, SocketAddrV4};

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::attr::{MacAddr, Uuid};
use wps::time::Instant;
use wps::upnp::device::{
    Control, Destination, DeviceConfig, DeviceEvent, SUBSCRIPTION, Served, UpnpDevice,
};
use wps::upnp::gena::{self, EventNotify};
use wps::upnp::http::{self, Message};
use wps::upnp::selected_registrar::SelectedRegistrar;
use wps::upnp::soap::{Call, Fault, Reply};
use wps::upnp::url::HttpUrl;
use wps::upnp::wlan_event::{WlanEvent, WlanEventType};

const AP: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 1);
const ER: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 2);
/// Mon, 30 Nov 2026 10:13:02 GMT, the capture's search answers.
const UNIX: u64 = 1_796_033_582;
const CAPTURED_SID: &str = "fdae7d48-5fd9-4f62-944c-da26315e6d65";

fn config() -> DeviceConfig {
    let description = common::upnp::hostapd_description();
    DeviceConfig::new(description, AP, 24)
}

/// The access point's side, recorded.
#[derive(Default)]
struct FakeAp {
    m1: Vec<u8>,
    relayed: Vec<(MacAddr, Vec<u8>)>,
    selected: Vec<(Uuid, SelectedRegistrar)>,
}

impl Control for FakeAp {
    fn get_device_info(&mut self, _: Instant) -> Result<Vec<u8>, Fault> {
        Ok(self.m1.clone())
    }
    fn put_message(&mut self, message: &[u8], _: Instant) -> Result<Vec<u8>, Fault> {
        match message.get(9) {
            Some(0x0e) => Err(Fault::new(500)),
            _ => Ok(vec![1, 2, 3]),
        }
    }
    fn put_wlan_response(&mut self, response: &WlanEvent, _: Instant) -> Result<(), Fault> {
        self.relayed.push((response.mac, response.data.clone()));
        Ok(())
    }
    fn set_selected_registrar(
        &mut self,
        subscriber: Uuid,
        a: &SelectedRegistrar,
        _: Instant,
    ) -> Result<(), Fault> {
        self.selected.push((subscriber, a.clone()));
        Ok(())
    }
}

fn device() -> UpnpDevice<StdRng> {
    UpnpDevice::new(config(), StdRng::seed_from_u64(7), Instant::ZERO)
}

fn serve(
    d: &mut UpnpDevice<StdRng>,
    from: Ipv4Addr,
    req: &[u8],
    ap: &mut FakeAp,
    now: Instant,
) -> String {
    match d.handle_request(from, req, false, now, UNIX, ap) {
        Served::Reply(answer) => answer,
        Served::NeedMore => panic!("incomplete"),
    }
}

fn subscribe(
    d: &mut UpnpDevice<StdRng>,
    ap: &mut FakeAp,
    from: Ipv4Addr,
    callback: &str,
) -> String {
    let req = format!(
        "SUBSCRIBE /wps_event HTTP/1.1\r\nHOST: 192.168.77.1:49152\r\nCALLBACK: <{callback}>\r\nNT: upnp:event\r\nTIMEOUT: Second-1800\r\n\r\n"
    );
    serve(d, from, req.as_bytes(), ap, Instant::ZERO)
}

fn sid_of(answer: &str) -> Uuid {
    gena::parse_subscribed(&Message::parse_whole(answer.as_bytes()).unwrap())
        .unwrap()
        .0
}

#[test]
fn start_up_and_search_answers_are_hostapds() {
    let mut d = device();
    let start: Vec<_> = std::iter::from_fn(|| d.poll_datagram(Instant::ZERO, UNIX)).collect();
    assert_eq!(start.len(), 16);
    for (i, datagram) in start.iter().enumerate() {
        assert_eq!(datagram.to, Destination::Multicast);
        assert_eq!(datagram.bytes, text(&format!("{i:03}-")), "datagram {i}");
    }
    let searcher = SocketAddrV4::new(ER, 49226);
    d.handle_datagram(searcher, &file("016-"), Instant::ZERO);
    // The answers wait a random time of up to MX seconds.
    let due = d.poll_timeout().unwrap();
    assert!(due <= Instant::from_secs(3));
    let answers: Vec<_> = std::iter::from_fn(|| d.poll_datagram(due, UNIX)).collect();
    assert_eq!(answers.len(), 8);
    for (i, datagram) in answers.iter().enumerate() {
        assert_eq!(datagram.to, Destination::Unicast(searcher));
        assert_eq!(datagram.bytes, text(&format!("{:03}-", 17 + i)));
    }
    // A search for something else goes unanswered.
    d.handle_datagram(
        searcher,
        b"M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: \"ssdp:discover\"\r\nMX: 1\r\nST: urn:other\r\n\r\n",
        Instant::ZERO,
    );
    assert_eq!(d.poll_datagram(Instant::from_secs(10), UNIX), None);
    // It announces itself again within half the max-age.
    let again = d.poll_timeout().unwrap();
    assert!(again <= Instant::from_secs(901));
    d.handle_timeout(again);
    assert_eq!(
        std::iter::from_fn(|| d.poll_datagram(again, UNIX)).count(),
        8
    );
}

#[test]
fn descriptions_control_and_events_as_in_the_capture() {
    let mut d = device();
    let mut ap = FakeAp::default();
    let date = "Mon, 30 Nov 2026 10:13:02 GMT";
    let unix_02 = UNIX;
    // Description.
    let answer = serve(&mut d, ER, &file("025-"), &mut ap, Instant::ZERO);
    assert_eq!(answer, text("026-"));
    // GetDeviceInfo answers with the access point's M1.
    let bytes = file("028-");
    let captured = Message::parse_whole(&bytes).unwrap();
    let Ok(Reply::GetDeviceInfo { device_info }) =
        Reply::parse(wps::upnp::soap::Action::GetDeviceInfo, &captured).unwrap()
    else {
        panic!()
    };
    ap.m1 = device_info;
    let answer = match d.handle_request(ER, &file("027-"), false, Instant::ZERO, unix_02, &mut ap) {
        Served::Reply(a) => a,
        Served::NeedMore => panic!(),
    };
    assert_eq!(answer, text("028-"));
    // SUBSCRIBE, and the first event (SEQ 0, dummy ACK).
    let answer = serve(&mut d, ER, &file("029-"), &mut ap, Instant::ZERO);
    let sid = sid_of(&answer);
    assert_eq!(answer, text("030-").replace(CAPTURED_SID, &sid.to_string()));
    assert_eq!(
        d.poll_event(),
        Some(DeviceEvent::Subscribed { sid, from: ER })
    );
    let first = d.poll_delivery().unwrap();
    assert_eq!(
        first.to.to_string(),
        "http://192.168.77.2:49152/event/209417199/1"
    );
    assert_eq!(
        first.request,
        text("031-").replace(CAPTURED_SID, &sid.to_string())
    );
    // One event at a time.
    d.relay(WlanEventType::Eap, MacAddr([2, 0, 0, 0, 0x5b, 1]), b"x");
    assert_eq!(d.poll_delivery(), None);
    d.delivery_result(sid, true, Instant::ZERO);
    let second = d.poll_delivery().unwrap();
    let n = EventNotify::parse(&Message::parse_whole(second.request.as_bytes()).unwrap()).unwrap();
    assert_eq!(n.seq, 1);
    d.delivery_result(sid, true, Instant::ZERO);
    // The relayed M1 of the capture is written as hostapd wrote it (SEQ 2 here).
    let bytes = file("045-");
    let m1_event = EventNotify::parse(&Message::parse_whole(&bytes).unwrap()).unwrap();
    let e = m1_event.properties.wlan_event.unwrap();
    d.relay(e.kind, e.mac, &e.data);
    let third = d.poll_delivery().unwrap();
    assert_eq!(
        third.request,
        text("045-")
            .replace(CAPTURED_SID, &sid.to_string())
            .replace("SEQ: 1", "SEQ: 2")
    );
    d.delivery_result(sid, true, Instant::ZERO);
    // PutWLANResponse reaches the access point's relay.
    let answer = serve(&mut d, ER, &file("047-"), &mut ap, Instant::ZERO);
    assert_eq!(answer, text("048-").replace("10:13:05", "10:13:02"));
    assert_eq!(ap.relayed.len(), 1);
    assert_eq!(ap.relayed[0].0, MacAddr([2, 0, 0, 0, 0x5b, 1]));
    // SetSelectedRegistrar from the subscriber is taken…
    let answer = serve(&mut d, ER, &file("043-"), &mut ap, Instant::ZERO);
    assert_eq!(answer, text("044-").replace("10:13:03", "10:13:02"));
    assert_eq!(ap.selected.len(), 1);
    assert!(ap.selected[0].1.selected);
    assert_eq!(
        ap.selected[0].1.authorized_macs,
        [MacAddr([2, 0, 0, 0, 0x5b, 1])]
    );
    // …from anyone else refused (CallStranger hardening).
    let answer = serve(
        &mut d,
        Ipv4Addr::new(192, 168, 77, 9),
        &file("043-"),
        &mut ap,
        Instant::ZERO,
    );
    assert!(answer.starts_with("HTTP/1.1 500 Error"));
    assert!(answer.contains("<errorCode>501</errorCode>"));
    assert_eq!(ap.selected.len(), 1);
    // …and from the subscriber, unreadable attributes are refused with 402.
    let control = HttpUrl::parse("http://192.168.77.1:49152/wps_control").unwrap();
    let junk = Call::SetSelectedRegistrar {
        message: vec![0x10, 0x4a, 0, 1, 0x10],
    }
    .to_http(&control);
    let answer = serve(&mut d, ER, junk.as_bytes(), &mut ap, Instant::ZERO);
    assert!(answer.contains("<errorCode>402</errorCode>"));
    assert_eq!(ap.selected.len(), 1);
    // A NACK to PutMessage: hostapd's fault 500.
    let answer = serve(&mut d, ER, &file("041-"), &mut ap, Instant::ZERO);
    assert_eq!(answer, text("042-").replace("10:13:03", "10:13:02"));
    // UNSUBSCRIBE.
    let req = text("067-").replace(CAPTURED_SID, &sid.to_string());
    let answer = serve(&mut d, ER, req.as_bytes(), &mut ap, Instant::ZERO);
    assert_eq!(answer, text("068-"));
    assert_eq!(d.poll_event(), Some(DeviceEvent::Unsubscribed { sid }));
    assert!(!d.has_subscribers());
    let _ = date;
}

#[test]
fn callbacks_off_the_subnet_are_refused() {
    let mut d = device();
    let mut ap = FakeAp::default();
    for callback in [
        "http://10.0.0.1:80/e",
        "http://example.com/e",
        "http://192.168.78.2/e",
    ] {
        let answer = subscribe(&mut d, &mut ap, ER, callback);
        assert!(answer.starts_with("HTTP/1.1 412 "), "{callback}: {answer}");
    }
    assert!(!d.has_subscribers());
    // Of several URLs, only those on the subnet are kept.
    let answer = subscribe(
        &mut d,
        &mut ap,
        ER,
        "http://10.0.0.1/e><http://192.168.77.2:5000/e",
    );
    let sid = sid_of(&answer);
    assert_eq!(
        d.poll_delivery().unwrap().to.to_string(),
        "http://192.168.77.2:5000/e"
    );
    let _ = sid;
}

#[test]
fn at_most_four_subscribers_and_failing_ones_are_dropped() {
    let mut d = device();
    let mut ap = FakeAp::default();
    let sids: Vec<Uuid> = (0..5)
        .map(|i| {
            sid_of(&subscribe(
                &mut d,
                &mut ap,
                ER,
                &format!("http://192.168.77.{}/e", 10 + i),
            ))
        })
        .collect();
    let events: Vec<_> = std::iter::from_fn(|| d.poll_event()).collect();
    assert!(events.contains(&DeviceEvent::Unsubscribed { sid: sids[0] }));
    // Ten failed deliveries in a row end a subscription.
    let victim = sids[1];
    for _ in 0..10 {
        let deliveries: Vec<_> = std::iter::from_fn(|| d.poll_delivery()).collect();
        let mine = deliveries.iter().find(|x| x.sid == victim).unwrap();
        assert_eq!(
            EventNotify::parse(&Message::parse_whole(mine.request.as_bytes()).unwrap())
                .unwrap()
                .seq,
            0
        );
        for x in &deliveries {
            d.delivery_result(x.sid, x.sid != victim, Instant::ZERO);
        }
    }
    assert_eq!(
        d.poll_event(),
        Some(DeviceEvent::Unsubscribed { sid: victim })
    );
    // The queue of a subscriber that never answers stays bounded.
    let slow = sids[2];
    for _ in 0..100 {
        d.relay(WlanEventType::ProbeRequest, MacAddr([2; 6]), &[0; 10]);
    }
    let mut delivered = 0;
    while let Some(x) = d.poll_delivery() {
        if x.sid == slow {
            delivered += 1;
        }
        d.delivery_result(x.sid, true, Instant::ZERO);
    }
    assert_eq!(delivered, 20);
}

#[test]
fn subscriptions_expire_and_renew() {
    let mut d = device();
    let mut ap = FakeAp::default();
    let sid = sid_of(&subscribe(&mut d, &mut ap, ER, "http://192.168.77.2/e"));
    let _ = d.poll_event();
    let half = Instant::ZERO + SUBSCRIPTION / 2;
    let renew = format!(
        "SUBSCRIBE /wps_event HTTP/1.1\r\nHOST: h\r\nSID: uuid:{sid}\r\nTIMEOUT: Second-1800\r\n\r\n"
    );
    let answer = serve(&mut d, ER, renew.as_bytes(), &mut ap, half);
    assert_eq!(sid_of(&answer), sid);
    d.handle_timeout(Instant::ZERO + SUBSCRIPTION);
    assert!(d.has_subscribers());
    d.handle_timeout(half + SUBSCRIPTION);
    assert_eq!(d.poll_event(), Some(DeviceEvent::Unsubscribed { sid }));
    let answer = serve(&mut d, ER, renew.as_bytes(), &mut ap, half + SUBSCRIPTION);
    assert!(answer.starts_with("HTTP/1.1 412 "));
}

#[test]
fn hostile_requests_get_http_errors() {
    let mut d = device();
    let mut ap = FakeAp::default();
    let status = |answer: &str| answer.split(' ').nth(1).unwrap().to_owned();
    let huge = format!(
        "POST /wps_control HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
        http::MAX_BODY + 1
    );
    assert_eq!(
        status(&serve(&mut d, ER, huge.as_bytes(), &mut ap, Instant::ZERO)),
        "413"
    );
    let long_head = format!("GET / HTTP/1.1\r\nX: {}", "a".repeat(http::MAX_HEAD));
    assert_eq!(
        status(&serve(
            &mut d,
            ER,
            long_head.as_bytes(),
            &mut ap,
            Instant::ZERO
        )),
        "413"
    );
    assert_eq!(
        status(&serve(
            &mut d,
            ER,
            b"\x16\x03\x01garbage\r\n\r\n",
            &mut ap,
            Instant::ZERO
        )),
        "400"
    );
    assert_eq!(
        status(&serve(
            &mut d,
            ER,
            b"GET /etc/passwd HTTP/1.1\r\n\r\n",
            &mut ap,
            Instant::ZERO
        )),
        "404"
    );
    assert_eq!(
        status(&serve(
            &mut d,
            ER,
            b"DELETE / HTTP/1.1\r\n\r\n",
            &mut ap,
            Instant::ZERO
        )),
        "501"
    );
    // Incomplete: wait for more; cut off: 400.
    assert_eq!(
        d.handle_request(
            ER,
            b"GET /wps_device.xml HTTP/1.1\r\n",
            false,
            Instant::ZERO,
            UNIX,
            &mut ap
        ),
        Served::NeedMore
    );
    match d.handle_request(
        ER,
        b"GET /wps_device.xml HTTP/1.1\r\n",
        true,
        Instant::ZERO,
        UNIX,
        &mut ap,
    ) {
        Served::Reply(a) => assert_eq!(status(&a), "400"),
        Served::NeedMore => panic!(),
    }
    // SOAP: unknown action 401, deep XML / bad base64 402.
    let control = HttpUrl::parse("http://192.168.77.1:49152/wps_control").unwrap();
    let unknown = Call::GetDeviceInfo
        .to_http(&control)
        .replace("GetDeviceInfo", "GetAPSettings");
    assert!(
        serve(&mut d, ER, unknown.as_bytes(), &mut ap, Instant::ZERO).contains("<errorCode>401<")
    );
    let deep = format!("{}{}", "<a>".repeat(1000), "</a>".repeat(1000));
    let body_req = format!(
        "POST /wps_control HTTP/1.1\r\nContent-Length: {}\r\n\r\n{deep}",
        deep.len()
    );
    assert!(
        serve(&mut d, ER, body_req.as_bytes(), &mut ap, Instant::ZERO).contains("<errorCode>402<")
    );
    let bad = Call::PutMessage {
        message: vec![1, 2, 3],
    }
    .to_http(&control)
    .replace("AQID", "AQ!D");
    assert!(serve(&mut d, ER, bad.as_bytes(), &mut ap, Instant::ZERO).contains("<errorCode>402<"));
    assert!(ap.relayed.is_empty() && ap.selected.is_empty());
}
