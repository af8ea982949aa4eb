//! GENA eventing: a registrar subscribes to the access point's events (`SUBSCRIBE` with a
//! `CALLBACK` URL), renews (`SUBSCRIBE` with its `SID`), and leaves (`UNSUBSCRIBE`); the
//! access point delivers each event as `NOTIFY` to the callback, with a property set of
//! `STAStatus`, `APStatus` and `WLANEvent`.
//!
//! Requests are written as wpa_supplicant writes them and answers as hostapd does (and
//! the registrar's `200 OK` to an event as wpa_supplicant does).

use alloc::string::String;
use alloc::vec::Vec;

use crate::attr::Uuid;

use super::http::{self, Message};
use super::url::HttpUrl;
use super::wlan_event::WlanEvent;
use super::xml::{self, Node, Reader};
use super::{SERVER, UpnpError, ssdp};

/// The most callback URLs kept from one `CALLBACK` header.
pub const MAX_CALLBACKS: usize = 4;

/// The subscription length wpa_supplicant asks for.
pub const REQUESTED_TIMEOUT: u32 = 1800;

/// The subscription length hostapd grants (seconds).
pub const GRANTED_TIMEOUT: u32 = 1801;

/// A `TIMEOUT` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timeout {
    /// `Second-N`.
    Seconds(u32),
    /// `Second-infinite`.
    Infinite,
}

impl Timeout {
    fn text(self) -> String {
        match self {
            Timeout::Seconds(n) => alloc::format!("Second-{n}"),
            Timeout::Infinite => String::from("Second-infinite"),
        }
    }

    fn parse(text: &str) -> Result<Self, UpnpError> {
        let rest = text
            .get(..7)
            .filter(|p| p.eq_ignore_ascii_case("Second-"))
            .and_then(|_| text.get(7..))
            .ok_or(UpnpError::Invalid("TIMEOUT"))?;
        if rest.eq_ignore_ascii_case("infinite") {
            return Ok(Timeout::Infinite);
        }
        rest.parse()
            .map(Timeout::Seconds)
            .map_err(|_| UpnpError::Invalid("TIMEOUT"))
    }
}

/// A subscription id (`SID: uuid:…`).
pub fn sid_text(sid: Uuid) -> String {
    alloc::format!("uuid:{sid}")
}

fn parse_sid(m: &Message<'_>) -> Result<Uuid, UpnpError> {
    m.header("sid")
        .ok_or(UpnpError::Missing("SID"))?
        .strip_prefix("uuid:")
        .and_then(ssdp::parse_uuid)
        .ok_or(UpnpError::Invalid("SID"))
}

/// A `SUBSCRIBE` or `UNSUBSCRIBE` to the event URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscription {
    /// A new subscription: where to deliver events (the first usable URLs of
    /// `CALLBACK`, at most [`MAX_CALLBACKS`]) and for how long.
    Subscribe {
        /// `CALLBACK`.
        callbacks: Vec<HttpUrl>,
        /// `TIMEOUT`, if given.
        timeout: Option<Timeout>,
    },
    /// A renewal of subscription `sid`.
    Renew {
        /// `SID`.
        sid: Uuid,
        /// `TIMEOUT`, if given.
        timeout: Option<Timeout>,
    },
    /// `UNSUBSCRIBE` of `sid`.
    Unsubscribe {
        /// `SID`.
        sid: Uuid,
    },
}

impl Subscription {
    /// The request to the event URL `event`, as wpa_supplicant writes it.
    pub fn to_http(&self, event: &HttpUrl) -> String {
        let method = match self {
            Subscription::Unsubscribe { .. } => "UNSUBSCRIBE",
            _ => "SUBSCRIBE",
        };
        let mut out = alloc::format!("{method} {} HTTP/1.1\r\n", event.path);
        http::header(&mut out, "HOST", event.host_port());
        match self {
            Subscription::Subscribe { callbacks, timeout } => {
                let mut list = String::new();
                for url in callbacks {
                    list.push('<');
                    list.push_str(&alloc::format!("{url}"));
                    list.push('>');
                }
                http::header(&mut out, "CALLBACK", list);
                http::header(&mut out, "NT", "upnp:event");
                if let Some(t) = timeout {
                    http::header(&mut out, "TIMEOUT", t.text());
                }
            }
            Subscription::Renew { sid, timeout } => {
                http::header(&mut out, "SID", sid_text(*sid));
                if let Some(t) = timeout {
                    http::header(&mut out, "TIMEOUT", t.text());
                }
            }
            Subscription::Unsubscribe { sid } => http::header(&mut out, "SID", sid_text(*sid)),
        }
        out.push_str("\r\n");
        out
    }

    /// Reads a `SUBSCRIBE` / `UNSUBSCRIBE`. A new subscription needs `NT: upnp:event`
    /// and at least one `http://` callback; a renewal has a `SID` and neither `NT` nor
    /// `CALLBACK` (GENA answers both mixed with 400, see [`status_response`]).
    pub fn parse(m: &Message<'_>) -> Result<Self, UpnpError> {
        let method = m.request_line().map(|(method, _)| method);
        let timeout = m.header("timeout").map(Timeout::parse).transpose()?;
        match method {
            Some("UNSUBSCRIBE") => Ok(Subscription::Unsubscribe { sid: parse_sid(m)? }),
            Some("SUBSCRIBE") if m.header("sid").is_some() => {
                if m.header("nt").is_some() || m.header("callback").is_some() {
                    return Err(UpnpError::Invalid("SUBSCRIBE (SID with NT or CALLBACK)"));
                }
                Ok(Subscription::Renew {
                    sid: parse_sid(m)?,
                    timeout,
                })
            }
            Some("SUBSCRIBE") => {
                if m.header("nt") != Some("upnp:event") {
                    return Err(UpnpError::Invalid("NT"));
                }
                let text = m.header("callback").ok_or(UpnpError::Missing("CALLBACK"))?;
                let mut callbacks = Vec::new();
                for part in text.split('<').skip(1) {
                    let Some((url, _)) = part.split_once('>') else {
                        return Err(UpnpError::Invalid("CALLBACK"));
                    };
                    if callbacks.len() < MAX_CALLBACKS
                        && let Ok(url) = HttpUrl::parse(url.trim())
                    {
                        callbacks.push(url);
                    }
                }
                if callbacks.is_empty() {
                    return Err(UpnpError::Invalid("CALLBACK"));
                }
                Ok(Subscription::Subscribe { callbacks, timeout })
            }
            _ => Err(UpnpError::Unexpected("SUBSCRIBE or UNSUBSCRIBE")),
        }
    }
}

/// The `200 OK` granting (or renewing) subscription `sid`, as hostapd writes it.
pub fn subscribed_response(sid: Uuid, timeout: Timeout, date: &str) -> String {
    let mut out = String::from("HTTP/1.1 200 OK\r\n");
    http::header(&mut out, "Server", "unspecified, UPnP/1.0, unspecified");
    http::header(&mut out, "Connection", "close");
    http::header(&mut out, "Content-Length", 0);
    http::header(&mut out, "SID", sid_text(sid));
    http::header(&mut out, "Timeout", timeout.text());
    http::header(&mut out, "Date", date);
    out.push_str("\r\n");
    out
}

/// What a `200 OK` to `SUBSCRIBE` grants: the `SID` and `TIMEOUT`.
pub fn parse_subscribed(m: &Message<'_>) -> Result<(Uuid, Timeout), UpnpError> {
    if m.status() != Some(200) {
        return Err(UpnpError::Unexpected("HTTP/1.1 200 OK"));
    }
    let timeout = Timeout::parse(m.header("timeout").ok_or(UpnpError::Missing("TIMEOUT"))?)?;
    Ok((parse_sid(m)?, timeout))
}

/// hostapd's `200 OK` to `UNSUBSCRIBE` (no `Date`).
pub fn unsubscribed_response() -> String {
    let mut out = String::from("HTTP/1.1 200 OK\r\n");
    http::header(&mut out, "Server", "unspecified, UPnP/1.0, unspecified");
    http::header(&mut out, "Connection", "close");
    http::header(&mut out, "Content-Length", 0);
    out.push_str("\r\n");
    out
}

/// An empty answer with `code` and `reason` (`412 Precondition Failed`, …), with the
/// headers of hostapd's GENA answers; also the registrar's `200 OK` to an event `NOTIFY`,
/// as wpa_supplicant writes it.
pub fn status_response(code: u16, reason: &str, date: &str) -> String {
    let mut out = alloc::format!("HTTP/1.1 {code} {reason}\r\n");
    http::header(&mut out, "Server", "unspecified, UPnP/1.0, unspecified");
    http::header(&mut out, "Connection", "close");
    http::header(&mut out, "Content-Length", 0);
    http::header(&mut out, "Date", date);
    out.push_str("\r\n");
    out
}

/// The evented state variables of one event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PropertySet {
    /// `STAStatus` (1: hostapd's only value).
    pub sta_status: Option<u8>,
    /// `APStatus` (1: hostapd's only value).
    pub ap_status: Option<u8>,
    /// `WLANEvent`.
    pub wlan_event: Option<WlanEvent>,
}

impl PropertySet {
    /// The XML body, as hostapd writes it.
    pub fn to_xml(&self) -> String {
        let mut out = String::with_capacity(512);
        out.push_str(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <e:propertyset xmlns:e=\"urn:schemas-upnp-org:event-1-0\">\n",
        );
        if let Some(v) = self.sta_status {
            out.push_str(&alloc::format!(
                "<e:property><STAStatus>{v}</STAStatus></e:property>\n"
            ));
        }
        if let Some(v) = self.ap_status {
            out.push_str(&alloc::format!(
                "<e:property><APStatus>{v}</APStatus></e:property>\n"
            ));
        }
        if let Some(e) = &self.wlan_event {
            out.push_str("<e:property><WLANEvent>");
            out.push_str(&e.to_base64());
            out.push_str("</WLANEvent></e:property>\n");
        }
        out.push_str("</e:propertyset>\n");
        out
    }

    /// Reads a property set; unknown properties are skipped.
    pub fn parse(doc: &str) -> Result<Self, UpnpError> {
        let mut out = PropertySet::default();
        let mut reader = Reader::new(doc);
        while let Some(node) = reader.next() {
            let Node::Leaf { name, text, .. } = node? else {
                continue;
            };
            if reader.path() != ["propertyset", "property"] {
                continue;
            }
            let number = || -> Result<u8, UpnpError> {
                xml::unescape(text)?
                    .trim()
                    .parse()
                    .map_err(|_| UpnpError::Invalid("status value"))
            };
            match name {
                "STAStatus" => out.sta_status = Some(number()?),
                "APStatus" => out.ap_status = Some(number()?),
                "WLANEvent" => out.wlan_event = Some(WlanEvent::from_base64(text)?),
                _ => {}
            }
        }
        Ok(out)
    }
}

/// An event `NOTIFY` to a subscriber's callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventNotify {
    /// The subscription.
    pub sid: Uuid,
    /// `SEQ`: 0 for the first event, then 1, 2, …
    pub seq: u32,
    /// The body.
    pub properties: PropertySet,
}

impl EventNotify {
    /// The request to `callback`, as hostapd writes it.
    pub fn to_http(&self, callback: &HttpUrl) -> String {
        let body = self.properties.to_xml();
        let mut out = alloc::format!("NOTIFY {} HTTP/1.1\r\n", callback.path);
        http::header(&mut out, "SERVER", SERVER);
        http::header(&mut out, "HOST", callback.host_port());
        http::header(&mut out, "CONTENT-TYPE", http::XML);
        http::header(&mut out, "NT", "upnp:event");
        http::header(&mut out, "NTS", "upnp:propchange");
        http::header(&mut out, "SID", sid_text(self.sid));
        http::header(&mut out, "SEQ", self.seq);
        http::header(&mut out, "CONTENT-LENGTH", body.len());
        http::with_body(out, &body)
    }

    /// Reads an event `NOTIFY` (`NT: upnp:event`, `NTS: upnp:propchange`, `SID`, `SEQ`).
    pub fn parse(m: &Message<'_>) -> Result<Self, UpnpError> {
        if !m.is_request("NOTIFY") {
            return Err(UpnpError::Unexpected("NOTIFY"));
        }
        if m.header("nt") != Some("upnp:event") {
            return Err(UpnpError::Invalid("NT"));
        }
        if m.header("nts") != Some("upnp:propchange") {
            return Err(UpnpError::Invalid("NTS"));
        }
        let seq = m
            .header("seq")
            .ok_or(UpnpError::Missing("SEQ"))?
            .parse()
            .map_err(|_| UpnpError::Invalid("SEQ"))?;
        let body = m
            .body_text()
            .ok_or(UpnpError::Invalid("event body (not UTF-8)"))?;
        Ok(EventNotify {
            sid: parse_sid(m)?,
            seq,
            properties: PropertySet::parse(body)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::MacAddr;
    use crate::upnp::wlan_event::WlanEventType;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    fn url() -> impl Strategy<Value = HttpUrl> {
        ("[a-z0-9.]{1,15}", any::<u16>(), "/[a-z0-9/]{0,20}")
            .prop_map(|(host, port, path)| HttpUrl { host, port, path })
    }

    fn timeout() -> impl Strategy<Value = Option<Timeout>> {
        proptest::option::of(prop_oneof![
            any::<u32>().prop_map(Timeout::Seconds),
            Just(Timeout::Infinite)
        ])
    }

    fn subscription() -> impl Strategy<Value = Subscription> {
        prop_oneof![
            (
                proptest::collection::vec(url(), 1..=MAX_CALLBACKS),
                timeout()
            )
                .prop_map(|(callbacks, timeout)| Subscription::Subscribe { callbacks, timeout }),
            (any::<[u8; 16]>(), timeout()).prop_map(|(s, timeout)| Subscription::Renew {
                sid: Uuid(s),
                timeout
            }),
            any::<[u8; 16]>().prop_map(|s| Subscription::Unsubscribe { sid: Uuid(s) }),
        ]
    }

    fn parse(text: &str) -> Result<Subscription, UpnpError> {
        Subscription::parse(&Message::parse_whole(text.as_bytes()).unwrap())
    }

    #[test]
    fn refusals() {
        let base = "SUBSCRIBE /e HTTP/1.1\r\nHOST: h:1\r\n";
        assert_eq!(
            parse(&alloc::format!("{base}CALLBACK: <http://a/>\r\n\r\n")),
            Err(UpnpError::Invalid("NT"))
        );
        assert_eq!(
            parse(&alloc::format!(
                "{base}NT: upnp:event\r\nCALLBACK: <ftp://a/>\r\n\r\n"
            )),
            Err(UpnpError::Invalid("CALLBACK"))
        );
        assert_eq!(
            parse(&alloc::format!(
                "{base}NT: upnp:event\r\nCALLBACK: <http://a/\r\n\r\n"
            )),
            Err(UpnpError::Invalid("CALLBACK"))
        );
        let many = "<http://a/>".repeat(50);
        match parse(&alloc::format!(
            "{base}NT: upnp:event\r\nCALLBACK: {many}\r\n\r\n"
        )) {
            Ok(Subscription::Subscribe { callbacks, .. }) => {
                assert_eq!(callbacks.len(), MAX_CALLBACKS)
            }
            other => panic!("{other:?}"),
        }
        assert!(parse(&alloc::format!("{base}SID: uuid:x\r\n\r\n")).is_err());
        assert!(
            parse(&alloc::format!(
                "{base}SID: uuid:12345678-9abc-def0-1234-56789abcdef0\r\nNT: upnp:event\r\n\r\n"
            ))
            .is_err()
        );
        assert_eq!(
            parse(&alloc::format!(
                "{base}NT: upnp:event\r\nCALLBACK: <http://a/>\r\nTIMEOUT: Minute-3\r\n\r\n"
            )),
            Err(UpnpError::Invalid("TIMEOUT"))
        );
    }

    proptest! {
        #[test]
        fn subscription_round_trip(s in subscription(), event in url()) {
            prop_assert_eq!(parse(&s.to_http(&event)), Ok(s));
        }

        #[test]
        fn subscribed_round_trip(sid: [u8; 16], secs: u32) {
            let text = subscribed_response(Uuid(sid), Timeout::Seconds(secs), "x");
            let m = Message::parse_whole(text.as_bytes()).unwrap();
            prop_assert_eq!(parse_subscribed(&m), Ok((Uuid(sid), Timeout::Seconds(secs))));
        }

        #[test]
        fn notify_round_trip(
            sid: [u8; 16], seq: u32, sta: Option<u8>, ap: Option<u8>,
            event in proptest::option::of((any::<u8>(), any::<[u8; 6]>(), proptest::collection::vec(any::<u8>(), 0..300))),
            callback in url(),
        ) {
            let n = EventNotify {
                sid: Uuid(sid),
                seq,
                properties: PropertySet {
                    sta_status: sta,
                    ap_status: ap,
                    wlan_event: event.map(|(k, m, data)| WlanEvent {
                        kind: WlanEventType::from(k), mac: MacAddr(m), data,
                    }),
                },
            };
            let text = n.to_http(&callback);
            let m = Message::parse_whole(text.as_bytes()).unwrap();
            prop_assert_eq!(EventNotify::parse(&m), Ok(n));
        }

        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(m) = Message::parse_whole(&data) {
                let _ = Subscription::parse(&m);
                let _ = EventNotify::parse(&m);
                let _ = parse_subscribed(&m);
            }
        }
    }
}
