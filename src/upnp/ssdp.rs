//! SSDP (UDP 239.255.255.250:1900): the registrar's `M-SEARCH`, the access point's unicast
//! answers, and its multicast `NOTIFY` (`ssdp:alive` / `ssdp:byebye`).
//!
//! The access point advertises four targets, in hostapd's order ([`Target::advertised`]):
//! `upnp:rootdevice`, `uuid:<UUID>`, the device type and the service type; each with the
//! USN `uuid:<UUID>::<target>` (just `uuid:<UUID>` for the UUID target). A search that
//! matches any of them is answered with all four, as hostapd does.

use alloc::string::String;

use crate::attr::Uuid;

use super::http::{self, Message};
use super::{DEVICE_TYPE, SERVICE_TYPE, SSDP_ADDR, UpnpError};

/// The `max-age` hostapd advertises (seconds).
pub const MAX_AGE: u32 = 1801;

/// A search or notification target (`ST` / `NT`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Target {
    /// `ssdp:all` (searches only).
    All,
    /// `upnp:rootdevice`.
    RootDevice,
    /// `uuid:<UUID>`.
    Uuid(Uuid),
    /// The WFA device type ([`DEVICE_TYPE`]).
    Device,
    /// The WFAWLANConfig service type ([`SERVICE_TYPE`]).
    Service,
    /// Anything else, kept as written.
    Other(String),
}

impl Target {
    /// The four targets an access point advertises, in hostapd's order.
    pub fn advertised(uuid: Uuid) -> [Target; 4] {
        [
            Target::RootDevice,
            Target::Uuid(uuid),
            Target::Device,
            Target::Service,
        ]
    }

    /// Reads an `ST` / `NT` value.
    pub fn parse(text: &str) -> Self {
        match text {
            "ssdp:all" => Target::All,
            "upnp:rootdevice" => Target::RootDevice,
            DEVICE_TYPE => Target::Device,
            SERVICE_TYPE => Target::Service,
            other => match other.strip_prefix("uuid:").and_then(parse_uuid) {
                Some(u) => Target::Uuid(u),
                None => Target::Other(String::from(other)),
            },
        }
    }

    /// The text of an `ST` / `NT` header.
    pub fn text(&self) -> String {
        match self {
            Target::All => String::from("ssdp:all"),
            Target::RootDevice => String::from("upnp:rootdevice"),
            Target::Uuid(u) => alloc::format!("uuid:{u}"),
            Target::Device => String::from(DEVICE_TYPE),
            Target::Service => String::from(SERVICE_TYPE),
            Target::Other(s) => s.clone(),
        }
    }

    /// The USN of device `uuid` for this target.
    pub fn usn(&self, uuid: Uuid) -> String {
        match self {
            Target::Uuid(_) => alloc::format!("uuid:{uuid}"),
            other => alloc::format!("uuid:{uuid}::{}", other.text()),
        }
    }

    /// Whether a search for this target finds device `uuid`.
    pub fn finds(&self, uuid: Uuid) -> bool {
        match self {
            Target::All | Target::RootDevice | Target::Device | Target::Service => true,
            Target::Uuid(u) => *u == uuid,
            Target::Other(_) => false,
        }
    }
}

/// Reads the dashed UUID form (`12345678-9abc-def0-1234-56789abcdef0`, any case), or
/// 32 hex digits without dashes.
pub fn parse_uuid(text: &str) -> Option<Uuid> {
    let dashes_ok = match text.len() {
        36 => text
            .char_indices()
            .all(|(i, c)| matches!(i, 8 | 13 | 18 | 23) == (c == '-')),
        32 => true,
        _ => false,
    };
    if !dashes_ok {
        return None;
    }
    let mut out = [0u8; 16];
    let mut digits = text.chars().filter(|&c| c != '-');
    for slot in &mut out {
        let hi = digits.next()?.to_digit(16)?;
        let lo = digits.next()?.to_digit(16)?;
        *slot = u8::try_from(hi.checked_mul(16)?.checked_add(lo)?).ok()?;
    }
    Some(Uuid(out))
}

/// The device UUID in a USN (`uuid:<UUID>` or `uuid:<UUID>::…`).
pub fn usn_uuid(usn: &str) -> Option<Uuid> {
    let rest = usn.strip_prefix("uuid:")?;
    parse_uuid(rest.split("::").next().unwrap_or(rest))
}

fn expect_request<'a>(datagram: &'a [u8], want: &'static str) -> Result<Message<'a>, UpnpError> {
    let m = Message::parse_whole(datagram)?;
    match m.request_line() {
        Some((method, "*")) if method == want => Ok(m),
        _ => Err(UpnpError::Unexpected(want)),
    }
}

/// `CACHE-CONTROL: max-age=…`.
fn cache_control(out: &mut String, max_age: u32) {
    http::header(out, "CACHE-CONTROL", format_args!("max-age={max_age}"));
}

/// The headers a search answer and a notification end with (`SERVER`, the target as
/// `ST` or `NT`, `USN`) and the empty line.
fn end_datagram(mut out: String, server: &str, target: (&str, &Target), usn: &str) -> String {
    let (name, target) = target;
    http::header(&mut out, "SERVER", server);
    http::header(&mut out, name, target.text());
    http::header(&mut out, "USN", usn);
    out.push_str("\r\n");
    out
}

fn max_age(m: &Message<'_>) -> Result<u32, UpnpError> {
    let value = m
        .header("cache-control")
        .ok_or(UpnpError::Missing("CACHE-CONTROL"))?;
    value
        .split(',')
        .filter_map(|d| {
            let (k, v) = d.split_once('=')?;
            k.trim().eq_ignore_ascii_case("max-age").then_some(v.trim())
        })
        .next()
        .and_then(|v| v.parse().ok())
        .ok_or(UpnpError::Invalid("CACHE-CONTROL max-age"))
}

/// `M-SEARCH * HTTP/1.1`: a registrar looking for devices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MSearch {
    /// What it looks for (`ST`).
    pub target: Target,
    /// How many seconds the answers may be spread over (`MX`).
    pub mx: u32,
}

impl MSearch {
    /// The datagram, as wpa_supplicant writes it.
    pub fn to_bytes(&self) -> String {
        let mut out = String::from("M-SEARCH * HTTP/1.1\r\n");
        http::header(&mut out, "HOST", SSDP_ADDR);
        http::header(&mut out, "MAN", "\"ssdp:discover\"");
        http::header(&mut out, "MX", self.mx);
        http::header(&mut out, "ST", self.target.text());
        out.push_str("\r\n");
        out
    }

    /// Reads a datagram; it must say `MAN: "ssdp:discover"` and carry `ST` and `MX`.
    pub fn parse(datagram: &[u8]) -> Result<Self, UpnpError> {
        let m = expect_request(datagram, "M-SEARCH")?;
        if m.header("man") != Some("\"ssdp:discover\"") {
            return Err(UpnpError::Invalid("MAN"));
        }
        let target = Target::parse(m.header("st").ok_or(UpnpError::Missing("ST"))?);
        let mx = m
            .header("mx")
            .ok_or(UpnpError::Missing("MX"))?
            .parse()
            .map_err(|_| UpnpError::Invalid("MX"))?;
        Ok(MSearch { target, mx })
    }
}

/// The unicast `HTTP/1.1 200 OK` answer to an `M-SEARCH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResponse {
    /// `CACHE-CONTROL: max-age=`.
    pub max_age: u32,
    /// `DATE` (see [`http::date`]).
    pub date: String,
    /// `LOCATION`: the device description's URL.
    pub location: String,
    /// `SERVER`.
    pub server: String,
    /// `ST`.
    pub target: Target,
    /// `USN`.
    pub usn: String,
}

impl SearchResponse {
    /// hostapd's answer for `target` of device `uuid` at `location`.
    pub fn new(uuid: Uuid, target: Target, location: &str, date: String) -> Self {
        SearchResponse {
            max_age: MAX_AGE,
            date,
            location: String::from(location),
            server: String::from(super::SERVER),
            usn: target.usn(uuid),
            target,
        }
    }

    /// The datagram, as hostapd writes it.
    pub fn to_bytes(&self) -> String {
        let mut out = String::from("HTTP/1.1 200 OK\r\n");
        cache_control(&mut out, self.max_age);
        http::header(&mut out, "DATE", &self.date);
        out.push_str("EXT:\r\n");
        http::header(&mut out, "LOCATION", &self.location);
        end_datagram(out, &self.server, ("ST", &self.target), &self.usn)
    }

    /// Reads an answer; `LOCATION`, `ST` and `USN` are required, `DATE` and `SERVER`
    /// may be absent (empty).
    pub fn parse(datagram: &[u8]) -> Result<Self, UpnpError> {
        let m = Message::parse_whole(datagram)?;
        if m.status() != Some(200) {
            return Err(UpnpError::Unexpected("HTTP/1.1 200 OK"));
        }
        Ok(SearchResponse {
            max_age: max_age(&m)?,
            date: String::from(m.header("date").unwrap_or("")),
            location: String::from(m.header("location").ok_or(UpnpError::Missing("LOCATION"))?),
            server: String::from(m.header("server").unwrap_or("")),
            target: Target::parse(m.header("st").ok_or(UpnpError::Missing("ST"))?),
            usn: String::from(m.header("usn").ok_or(UpnpError::Missing("USN"))?),
        })
    }
}

/// Whether a [`Notify`] announces or withdraws.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// `ssdp:alive`, with the description's URL.
    Alive {
        /// `LOCATION`.
        location: String,
    },
    /// `ssdp:byebye`.
    ByeBye,
}

/// `NOTIFY * HTTP/1.1` to the SSDP group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notify {
    /// Alive (with LOCATION) or byebye.
    pub announcement: Announcement,
    /// `CACHE-CONTROL: max-age=`.
    pub max_age: u32,
    /// `SERVER`.
    pub server: String,
    /// `NT`.
    pub target: Target,
    /// `USN`.
    pub usn: String,
}

impl Notify {
    /// hostapd's notification for `target` of device `uuid`.
    pub fn new(uuid: Uuid, target: Target, announcement: Announcement) -> Self {
        Notify {
            announcement,
            max_age: MAX_AGE,
            server: String::from(super::SERVER),
            usn: target.usn(uuid),
            target,
        }
    }

    /// The datagram, as hostapd writes it.
    pub fn to_bytes(&self) -> String {
        let mut out = String::from("NOTIFY * HTTP/1.1\r\n");
        http::header(&mut out, "HOST", SSDP_ADDR);
        cache_control(&mut out, self.max_age);
        match &self.announcement {
            Announcement::Alive { location } => {
                http::header(&mut out, "NTS", "ssdp:alive");
                http::header(&mut out, "LOCATION", location);
            }
            Announcement::ByeBye => http::header(&mut out, "NTS", "ssdp:byebye"),
        }
        end_datagram(out, &self.server, ("NT", &self.target), &self.usn)
    }

    /// Reads a notification. `ssdp:alive` needs `LOCATION` and `CACHE-CONTROL`.
    pub fn parse(datagram: &[u8]) -> Result<Self, UpnpError> {
        let m = expect_request(datagram, "NOTIFY")?;
        let announcement = match m.header("nts") {
            Some("ssdp:alive") => Announcement::Alive {
                location: String::from(m.header("location").ok_or(UpnpError::Missing("LOCATION"))?),
            },
            Some("ssdp:byebye") => Announcement::ByeBye,
            Some(_) => return Err(UpnpError::Invalid("NTS")),
            None => return Err(UpnpError::Missing("NTS")),
        };
        let max_age = match (&announcement, max_age(&m)) {
            (_, Ok(age)) => age,
            (Announcement::ByeBye, Err(_)) => 0,
            (Announcement::Alive { .. }, Err(e)) => return Err(e),
        };
        Ok(Notify {
            announcement,
            max_age,
            server: String::from(m.header("server").unwrap_or("")),
            target: Target::parse(m.header("nt").ok_or(UpnpError::Missing("NT"))?),
            usn: String::from(m.header("usn").ok_or(UpnpError::Missing("USN"))?),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    fn target() -> impl Strategy<Value = Target> {
        prop_oneof![
            Just(Target::All),
            Just(Target::RootDevice),
            any::<[u8; 16]>().prop_map(|u| Target::Uuid(Uuid(u))),
            Just(Target::Device),
            Just(Target::Service),
            "urn:[a-z:-]{1,30}".prop_map(Target::Other),
        ]
    }

    #[test]
    fn uuids() {
        let u = parse_uuid("12345678-9ABC-def0-1234-56789abcdef0");
        assert_eq!(
            u.map(|u| u.to_string()).as_deref(),
            Some("12345678-9abc-def0-1234-56789abcdef0")
        );
        assert_eq!(parse_uuid("123456789abcdef0123456789abcdef0"), u);
        assert_eq!(parse_uuid("12345678-9abc-def0-1234_56789abcdef0"), None);
        assert_eq!(parse_uuid("12345678-9abc-def0-1234-56789abcdefg"), None);
        assert_eq!(
            usn_uuid("uuid:12345678-9abc-def0-1234-56789abcdef0::upnp:rootdevice"),
            u
        );
    }

    #[test]
    fn refusals() {
        assert!(MSearch::parse(b"M-SEARCH * HTTP/1.1\r\nST: ssdp:all\r\nMX: 3\r\n\r\n").is_err());
        assert!(
            MSearch::parse(b"M-SEARCH * HTTP/1.1\r\nMAN: \"ssdp:discover\"\r\nMX: 3\r\n\r\n")
                .is_err()
        );
        assert!(MSearch::parse(b"NOTIFY * HTTP/1.1\r\n\r\n").is_err());
        assert!(Notify::parse(b"NOTIFY * HTTP/1.1\r\nNTS: ssdp:alive\r\n\r\n").is_err());
    }

    proptest! {
        #[test]
        fn msearch_round_trip(target in target(), mx in 0u32..1000) {
            let m = MSearch { target, mx };
            prop_assert_eq!(MSearch::parse(m.to_bytes().as_bytes()), Ok(m));
        }

        #[test]
        fn response_round_trip(uuid: [u8; 16], target in target(), port: u16, secs in 0u64..4_000_000_000) {
            let r = SearchResponse::new(
                Uuid(uuid), target, &alloc::format!("http://10.0.0.1:{port}/d.xml"), http::date(secs));
            prop_assert_eq!(SearchResponse::parse(r.to_bytes().as_bytes()), Ok(r.clone()));
            prop_assert_eq!(usn_uuid(&r.usn), Some(Uuid(uuid)));
        }

        #[test]
        fn notify_round_trip(uuid: [u8; 16], target in target(), alive: bool) {
            let a = if alive {
                Announcement::Alive { location: String::from("http://10.0.0.1:1/x") }
            } else {
                Announcement::ByeBye
            };
            let n = Notify::new(Uuid(uuid), target, a);
            prop_assert_eq!(Notify::parse(n.to_bytes().as_bytes()), Ok(n));
        }

        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let _ = MSearch::parse(&data);
            let _ = SearchResponse::parse(&data);
            let _ = Notify::parse(&data);
        }
    }
}
