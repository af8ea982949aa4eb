//! The URLs of this service: `http://host[:port]/path`, nothing more (no user info, no
//! IPv6 literals, no query strings beyond the path's own characters). LOCATION, the
//! description's relative URLs resolved against it, and GENA callbacks.

use alloc::string::String;
use core::fmt;
use core::net::Ipv4Addr;

use super::UpnpError;

/// The longest URL accepted.
pub const MAX_URL: usize = 256;

/// An `http://` URL split into host, port and path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct HttpUrl {
    /// The host as written (a name or an IPv4 address).
    pub host: String,
    /// The port (80 when not written).
    pub port: u16,
    /// The path, starting with `/`.
    pub path: String,
}

impl HttpUrl {
    /// Parses `http://host[:port][/path]`.
    ///
    /// ```
    /// use wps::upnp::url::HttpUrl;
    /// let u = HttpUrl::parse("http://192.168.77.1:49152/wps_device.xml")?;
    /// assert_eq!((u.host.as_str(), u.port, u.path.as_str()), ("192.168.77.1", 49152, "/wps_device.xml"));
    /// assert_eq!(u.join("wps_control")?.to_string(), "http://192.168.77.1:49152/wps_control");
    /// # Ok::<(), wps::upnp::UpnpError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, UpnpError> {
        if text.len() > MAX_URL {
            return Err(UpnpError::Invalid("URL (too long)"));
        }
        let rest = text
            .get(..7)
            .filter(|s| s.eq_ignore_ascii_case("http://"))
            .and_then(|_| text.get(7..))
            .ok_or(UpnpError::Invalid("URL (not http://)"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (rest.get(..i).unwrap_or(""), rest.get(i..).unwrap_or("/")),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (
                h,
                p.parse::<u16>()
                    .map_err(|_| UpnpError::Invalid("URL port"))?,
            ),
            None => (authority, 80),
        };
        let host_ok = !host.is_empty()
            && host
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-'));
        let path_ok = path.bytes().all(|b| b.is_ascii_graphic());
        if !host_ok || !path_ok {
            return Err(UpnpError::Invalid("URL"));
        }
        Ok(HttpUrl {
            host: String::from(host),
            port,
            path: String::from(path),
        })
    }

    /// `reference` resolved against this URL: absolute `http://` as it is, `/path` on
    /// this host, anything else beside the last segment of this path.
    pub fn join(&self, reference: &str) -> Result<Self, UpnpError> {
        if reference
            .get(..7)
            .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
        {
            return Self::parse(reference);
        }
        let path = if reference.starts_with('/') {
            String::from(reference)
        } else {
            let dir = self.path.rsplit_once('/').map_or("", |(d, _)| d);
            let mut p =
                String::with_capacity(dir.len().saturating_add(reference.len()).saturating_add(1));
            p.push_str(dir);
            p.push('/');
            p.push_str(reference);
            p
        };
        if path.len() > MAX_URL || !path.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(UpnpError::Invalid("URL"));
        }
        Ok(HttpUrl {
            host: self.host.clone(),
            port: self.port,
            path,
        })
    }

    /// The host as an IPv4 address, when it is one.
    pub fn ipv4(&self) -> Option<Ipv4Addr> {
        self.host.parse().ok()
    }

    /// `host:port`, for a `HOST` header.
    pub fn host_port(&self) -> String {
        alloc::format!("{}:{}", self.host, self.port)
    }
}

impl fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "http://{}:{}{}", self.host, self.port, self.path)
    }
}

/// Whether `addr` is in the IPv4 subnet `net`/`prefix` (CallStranger: hostapd delivers
/// events only to its own subnet).
pub fn same_subnet(addr: Ipv4Addr, net: Ipv4Addr, prefix: u8) -> bool {
    let mask = u32::MAX
        .checked_shl(32u32.saturating_sub(u32::from(prefix.min(32))))
        .unwrap_or(0);
    u32::from(addr) & mask == u32::from(net) & mask
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    #[test]
    fn relative_references() {
        let base = HttpUrl::parse("http://h:1/a/b.xml").unwrap_or_else(|_| unreachable!());
        assert_eq!(base.join("c").map(|u| u.path), Ok(String::from("/a/c")));
        assert_eq!(base.join("/c").map(|u| u.path), Ok(String::from("/c")));
        assert_eq!(
            base.join("http://x:2/y").map(|u| u.to_string()),
            Ok(String::from("http://x:2/y"))
        );
        assert!(HttpUrl::parse("https://h/").is_err());
        assert!(HttpUrl::parse("http://h:99999/").is_err());
        assert!(HttpUrl::parse("http://user@h/").is_err());
        assert!(HttpUrl::parse("http:///").is_err());
        assert_eq!(HttpUrl::parse("http://h").map(|u| u.port), Ok(80));
    }

    #[test]
    fn subnets() {
        let net = Ipv4Addr::new(192, 168, 77, 1);
        assert!(same_subnet(Ipv4Addr::new(192, 168, 77, 2), net, 24));
        assert!(!same_subnet(Ipv4Addr::new(192, 168, 78, 2), net, 24));
        assert!(same_subnet(Ipv4Addr::new(10, 0, 0, 1), net, 0));
    }

    proptest! {
        #[test]
        fn display_parse_round_trip(host in "[a-z0-9.-]{1,20}", port: u16, path in "/[!-~]{0,40}") {
            let u = HttpUrl { host, port, path };
            prop_assert_eq!(HttpUrl::parse(&u.to_string()), Ok(u));
        }
    }
}
