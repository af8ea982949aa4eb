//! The lab's capture of hostapd (UPnP device) and wpa_supplicant (external registrar),
//! replayed through `wps::upnp`: every SSDP datagram and every HTTP message of a whole
//! run (discovery, learn, an enrollee registered through the relay, unsubscribe) is
//! parsed, rebuilt from the parsed values, and compared byte for byte.
//!
//! The files come from `tests/vectors/upnp/er-enrollee.upnp.pcap` through
//! `tests/vectors/upnp/extract.py`.
#![cfg(feature = "upnp")]

mod common;

use common::upnp::{AP_UUID, hostapd_description};
use std::collections::HashMap;
use std::fs;
use std::path::PathBuf;

use wps::attr::{MacAddr, Uuid};
use wps::message::Message as WscMessage;
use wps::upnp::description::{self, DeviceDescription};
use wps::upnp::gena::{self, EventNotify, Subscription, Timeout};
use wps::upnp::http::Message;
use wps::upnp::soap::{Action, Call, Fault, Reply};
use wps::upnp::ssdp::{Announcement, MSearch, Notify, SearchResponse, Target};
use wps::upnp::url::HttpUrl;
use wps::upnp::wlan_event::WlanEventType;

const LOCATION: &str = "http://192.168.77.1:49152/wps_device.xml";
const SSDP_PORT: u16 = 1900;
const AP_SSDP_PORT: u16 = 41525;

fn vectors() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/upnp")
}

struct Captured {
    name: String,
    src: u16,
    dst: u16,
    udp: bool,
    bytes: Vec<u8>,
}

fn captured() -> Vec<Captured> {
    let mut files: Vec<_> = fs::read_dir(vectors().join("er-enrollee"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let parts: Vec<&str> = name.split('-').collect();
            Captured {
                udp: parts[1] == "udp",
                src: parts[2].parse().unwrap(),
                dst: parts[3].parse().unwrap(),
                bytes: fs::read(&path).unwrap(),
                name,
            }
        })
        .collect()
}

fn ap_uuid() -> Uuid {
    wps::upnp::ssdp::parse_uuid(AP_UUID).unwrap()
}

/// The request's target on the host of its `HOST` header.
fn request_url(m: &Message<'_>) -> HttpUrl {
    let host = m.header("host").unwrap();
    let (_, path) = m.request_line().unwrap();
    HttpUrl::parse(&format!("http://{host}{path}")).unwrap()
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).unwrap()
}

/// What a request was, to rebuild the answer on the same connection.
enum Asked {
    Get,
    Soap(Action),
    Subscribe,
    Unsubscribe,
    Event,
}

#[test]
fn every_message_of_the_capture_rebuilds_byte_for_byte() {
    let all = captured();
    assert_eq!(all.len(), 77);
    let mut asked: HashMap<u16, Asked> = HashMap::new();
    let mut counts: HashMap<&'static str, usize> = HashMap::new();
    let mut relayed = Vec::new();
    for c in &all {
        let rebuilt: String;
        let kind: &'static str;
        if c.udp && c.dst == SSDP_PORT && c.src == AP_SSDP_PORT {
            let n = Notify::parse(&c.bytes).unwrap();
            assert_eq!(wps::upnp::ssdp::usn_uuid(&n.usn), Some(ap_uuid()));
            let again = Notify::new(ap_uuid(), n.target.clone(), n.announcement.clone());
            assert_eq!(again, n);
            rebuilt = again.to_bytes();
            kind = match n.announcement {
                Announcement::Alive { .. } => "ssdp alive",
                Announcement::ByeBye => "ssdp byebye",
            };
        } else if c.udp && c.dst == SSDP_PORT {
            let m = MSearch::parse(&c.bytes).unwrap();
            assert_eq!(
                m,
                MSearch {
                    target: Target::Device,
                    mx: 3
                }
            );
            assert!(m.target.finds(ap_uuid()));
            rebuilt = m.to_bytes();
            kind = "m-search";
        } else if c.udp {
            let r = SearchResponse::parse(&c.bytes).unwrap();
            assert!(Target::advertised(ap_uuid()).contains(&r.target));
            let again = SearchResponse::new(ap_uuid(), r.target.clone(), LOCATION, r.date.clone());
            assert_eq!(again, r);
            rebuilt = again.to_bytes();
            kind = "ssdp answer";
        } else {
            let m = Message::parse_whole(&c.bytes).unwrap();
            match m.request_line() {
                Some(("GET", _)) => {
                    rebuilt = description::get_request(&request_url(&m));
                    asked.insert(c.src, Asked::Get);
                    kind = "GET";
                }
                Some(("POST", _)) => {
                    let call = Call::parse(&m).unwrap();
                    rebuilt = call.to_http(&request_url(&m));
                    match &call {
                        Call::PutMessage { message } | Call::SetSelectedRegistrar { message } => {
                            if matches!(call, Call::PutMessage { .. }) {
                                WscMessage::parse(message).unwrap();
                            }
                        }
                        Call::PutWlanResponse { message, kind, mac } => {
                            assert_eq!(*kind, WlanEventType::Eap);
                            assert_eq!(*mac, MacAddr([2, 0, 0, 0, 0x5b, 1]));
                            relayed.push(WscMessage::parse(message).unwrap().message_type());
                        }
                        Call::GetDeviceInfo => {}
                    }
                    asked.insert(c.src, Asked::Soap(call.action()));
                    kind = "SOAP call";
                }
                Some(("SUBSCRIBE", _)) => {
                    let s = Subscription::parse(&m).unwrap();
                    rebuilt = s.to_http(&request_url(&m));
                    asked.insert(c.src, Asked::Subscribe);
                    kind = "SUBSCRIBE";
                }
                Some(("UNSUBSCRIBE", _)) => {
                    let s = Subscription::parse(&m).unwrap();
                    rebuilt = s.to_http(&request_url(&m));
                    asked.insert(c.src, Asked::Unsubscribe);
                    kind = "UNSUBSCRIBE";
                }
                Some(("NOTIFY", _)) => {
                    let n = EventNotify::parse(&m).unwrap();
                    let event = n.properties.wlan_event.as_ref().unwrap();
                    relayed.push(WscMessage::parse(&event.data).unwrap().message_type());
                    rebuilt = n.to_http(&request_url(&m));
                    asked.insert(c.src, Asked::Event);
                    kind = "event NOTIFY";
                }
                Some(other) => panic!("{}: unexpected request {other:?}", c.name),
                None => {
                    let date = m.header("date").unwrap_or("");
                    match asked.remove(&c.dst).unwrap() {
                        Asked::Get => {
                            let doc = description::parse_document_response(&m).unwrap();
                            assert_eq!(DeviceDescription::parse(doc), Ok(hostapd_description()));
                            rebuilt = description::document_response(
                                &hostapd_description().to_xml(),
                                date,
                            );
                            kind = "description";
                        }
                        Asked::Soap(action) => {
                            rebuilt = match Reply::parse(action, &m).unwrap() {
                                Ok(reply) => {
                                    if let Reply::GetDeviceInfo { device_info } = &reply {
                                        WscMessage::parse(device_info).unwrap();
                                    }
                                    reply.to_http(date)
                                }
                                Err(fault) => {
                                    assert_eq!(fault, Fault::new(500));
                                    fault.to_http(date)
                                }
                            };
                            kind = "SOAP answer";
                        }
                        Asked::Subscribe => {
                            let (sid, timeout) = gena::parse_subscribed(&m).unwrap();
                            assert_eq!(timeout, Timeout::Seconds(gena::GRANTED_TIMEOUT));
                            rebuilt = gena::subscribed_response(sid, timeout, date);
                            kind = "subscribed";
                        }
                        Asked::Unsubscribe => {
                            rebuilt = gena::unsubscribed_response();
                            kind = "unsubscribed";
                        }
                        Asked::Event => {
                            rebuilt = gena::status_response(200, "OK", date);
                            kind = "event answer";
                        }
                    }
                }
            }
        }
        assert_eq!(rebuilt, text(&c.bytes), "{} ({kind}) differs", c.name);
        *counts.entry(kind).or_default() += 1;
    }
    assert!(asked.is_empty());
    assert_eq!(counts["ssdp byebye"], 16);
    assert_eq!(counts["ssdp alive"], 8);
    assert_eq!(counts["ssdp answer"], 8);
    assert_eq!(counts["SOAP call"], counts["SOAP answer"]);
    assert_eq!(counts["SOAP call"], 13);
    assert_eq!(counts["event NOTIFY"], 6);
    // The relay: the dummy ACK, then the enrollee's M1 and the registrar's M2 … WSC_Done.
    assert_eq!(relayed[0], wps::attr::MessageType::WscAck);
    assert_eq!(relayed[1..], wps_testkit::fixtures::REGISTRATION);
}

#[test]
fn descriptions_are_hostapds() {
    let device = fs::read_to_string(vectors().join("wps_device.xml")).unwrap();
    assert_eq!(hostapd_description().to_xml(), device);
    let scpd = fs::read_to_string(vectors().join("wps_scpd.xml")).unwrap();
    assert_eq!(description::scpd(), scpd);
    assert_eq!(
        description::scpd_actions(&scpd).unwrap(),
        [
            "GetDeviceInfo",
            "PutMessage",
            "PutWLANResponse",
            "SetSelectedRegistrar"
        ]
    );
    let desc = DeviceDescription::parse(&device).unwrap();
    let (control, event) = desc
        .service
        .resolve(&HttpUrl::parse(LOCATION).unwrap())
        .unwrap();
    assert_eq!(control.to_string(), "http://192.168.77.1:49152/wps_control");
    assert_eq!(event.to_string(), "http://192.168.77.1:49152/wps_event");
}
