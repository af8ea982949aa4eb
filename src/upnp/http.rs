//! HTTP/1.1 framing for SSDP datagrams, SOAP calls and GENA: heads parsed by `httparse`,
//! bodies framed by `Content-Length`, every size bounded. The service never needs more:
//! hostapd and wpa_supplicant answer with `Connection: close` and a `Content-Length`
//! (space-padded by hostapd: `Content-Length: 957     `), and open a connection per
//! request. Chunked bodies are refused with a typed error.

use alloc::string::String;
use core::fmt::Write as _;

/// The largest head (start line and headers) accepted.
pub const MAX_HEAD: usize = 4096;
/// The largest body accepted. A WSC message is below 1.5 KiB, its base64 below 2 KiB,
/// a device description below 4 KiB.
pub const MAX_BODY: usize = 16 * 1024;
/// The most headers one message may have.
pub const MAX_HEADERS: usize = 24;

/// Why an HTTP message was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// The head is longer than [`MAX_HEAD`].
    #[error("the HTTP head is too large")]
    HeadTooLarge,
    /// More than [`MAX_HEADERS`] headers.
    #[error("the HTTP message has too many headers")]
    TooManyHeaders,
    /// The body is (or says it is) longer than [`MAX_BODY`].
    #[error("the HTTP body is too large")]
    BodyTooLarge,
    /// Not HTTP/1.x.
    #[error("the HTTP message is malformed")]
    Malformed,
    /// `Content-Length` is not a number, or appears twice with two values.
    #[error("the HTTP Content-Length is not valid")]
    BadContentLength,
    /// `Transfer-Encoding` (chunked bodies): never used by this service.
    #[error("the HTTP message uses a transfer encoding, which is not supported")]
    TransferEncoding,
    /// The connection closed before the whole message arrived.
    #[error("the HTTP message was cut short")]
    Truncated,
}

/// The first line of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartLine<'a> {
    /// `METHOD target HTTP/1.x`
    Request {
        /// `GET`, `POST`, `SUBSCRIBE`, `M-SEARCH`, …
        method: &'a str,
        /// The path (or `*`).
        target: &'a str,
    },
    /// `HTTP/1.x code reason`
    Response {
        /// The status code.
        code: u16,
        /// The reason phrase.
        reason: &'a str,
    },
}

impl<'a> StartLine<'a> {
    fn request(method: Option<&'a str>, target: Option<&'a str>) -> Option<Self> {
        method
            .zip(target)
            .map(|(method, target)| StartLine::Request { method, target })
    }

    fn response(code: Option<u16>, reason: Option<&'a str>) -> Option<Self> {
        code.zip(reason)
            .map(|(code, reason)| StartLine::Response { code, reason })
    }
}

/// One parsed message: start line, headers and body, all borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Message<'a> {
    /// The start line.
    pub start: StartLine<'a>,
    headers: [(&'a str, &'a [u8]); MAX_HEADERS],
    count: usize,
    /// The body (`Content-Length` bytes).
    pub body: &'a [u8],
}

impl<'a> Message<'a> {
    /// The first message in `buf`. `Ok(None)`: more bytes are needed (and `closed` is
    /// false). With `closed` (the connection ended, or `buf` is a whole datagram) a
    /// response without `Content-Length` runs to the end of `buf`. Returns the message
    /// and the bytes it took.
    pub fn parse(buf: &'a [u8], closed: bool) -> Result<Option<(Self, usize)>, HttpError> {
        let mut raw = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let is_response = buf.starts_with(b"HTTP/");
        let (start, head_len, parsed) = if is_response {
            let mut r = httparse::Response::new(&mut raw);
            let Some(n) = whole_head_len(r.parse(buf), buf, closed)? else {
                return Ok(None);
            };
            (StartLine::response(r.code, r.reason), n, r.headers.len())
        } else {
            let mut r = httparse::Request::new(&mut raw);
            let Some(n) = whole_head_len(r.parse(buf), buf, closed)? else {
                return Ok(None);
            };
            (StartLine::request(r.method, r.path), n, r.headers.len())
        };
        let start = start.ok_or(HttpError::Malformed)?;
        if head_len > MAX_HEAD {
            return Err(HttpError::HeadTooLarge);
        }
        let mut headers = [("", &[][..]); MAX_HEADERS];
        for (slot, h) in headers.iter_mut().zip(raw.iter().take(parsed)) {
            *slot = (h.name, h.value);
        }
        let mut message = Message {
            start,
            headers,
            count: parsed,
            body: &[],
        };
        if message.header_bytes("transfer-encoding").is_some() {
            return Err(HttpError::TransferEncoding);
        }
        let rest = buf.get(head_len..).unwrap_or(&[]);
        let body_len = match message.content_length()? {
            Some(n) => n,
            None if is_response => {
                if !closed {
                    if rest.len() > MAX_BODY {
                        return Err(HttpError::BodyTooLarge);
                    }
                    return Ok(None);
                }
                rest.len()
            }
            None => 0,
        };
        if body_len > MAX_BODY {
            return Err(HttpError::BodyTooLarge);
        }
        let Some(body) = rest.get(..body_len) else {
            return if closed {
                Err(HttpError::Truncated)
            } else {
                Ok(None)
            };
        };
        message.body = body;
        Ok(Some((message, head_len.saturating_add(body_len))))
    }

    /// The one message `buf` holds whole (a datagram, or a connection that closed).
    pub fn parse_whole(buf: &'a [u8]) -> Result<Self, HttpError> {
        match Self::parse(buf, true)? {
            Some((m, _)) => Ok(m),
            None => Err(HttpError::Truncated),
        }
    }

    /// The headers, in order.
    pub fn headers(&self) -> impl Iterator<Item = (&'a str, &'a [u8])> + '_ {
        self.headers.iter().take(self.count).copied()
    }

    /// The value of the first header called `name` (any case), as bytes.
    pub fn header_bytes(&self, name: &str) -> Option<&'a [u8]> {
        self.headers()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    }

    /// The value of the first header called `name` (any case), trimmed; `None` when
    /// absent or not UTF-8.
    pub fn header(&self, name: &str) -> Option<&'a str> {
        self.header_bytes(name)
            .and_then(|v| core::str::from_utf8(v).ok())
            .map(str::trim)
    }

    /// The body length `Content-Length` gives (trimmed; hostapd pads it with spaces).
    pub fn content_length(&self) -> Result<Option<usize>, HttpError> {
        let mut found = None;
        for (_, v) in self
            .headers()
            .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        {
            let text = core::str::from_utf8(v)
                .map_err(|_| HttpError::BadContentLength)?
                .trim();
            if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
                return Err(HttpError::BadContentLength);
            }
            // More digits than any allowed body has: too large, whatever the value.
            let n = if text.len() > 9 {
                usize::MAX
            } else {
                text.parse::<usize>()
                    .map_err(|_| HttpError::BadContentLength)?
            };
            if found.is_some_and(|f| f != n) {
                return Err(HttpError::BadContentLength);
            }
            found = Some(n);
        }
        Ok(found)
    }

    /// The method and target of a request.
    pub fn request_line(&self) -> Option<(&'a str, &'a str)> {
        match self.start {
            StartLine::Request { method, target } => Some((method, target)),
            StartLine::Response { .. } => None,
        }
    }

    /// Whether this is a request with the method `method`.
    pub fn is_request(&self, method: &str) -> bool {
        self.request_line().is_some_and(|(m, _)| m == method)
    }

    /// The status code of a response.
    pub fn status(&self) -> Option<u16> {
        match self.start {
            StartLine::Response { code, .. } => Some(code),
            StartLine::Request { .. } => None,
        }
    }

    /// The body as UTF-8 text.
    pub fn body_text(&self) -> Option<&'a str> {
        core::str::from_utf8(self.body).ok()
    }
}

/// The head's length once `status` says it is whole; `Ok(None)` (or the error
/// [`partial`] gives) while it is not.
fn whole_head_len(
    status: httparse::Result<usize>,
    buf: &[u8],
    closed: bool,
) -> Result<Option<usize>, HttpError> {
    match status.map_err(map_error)? {
        httparse::Status::Complete(n) => Ok(Some(n)),
        httparse::Status::Partial => partial(buf, closed),
    }
}

fn partial<T>(buf: &[u8], closed: bool) -> Result<Option<T>, HttpError> {
    if buf.len() > MAX_HEAD {
        Err(HttpError::HeadTooLarge)
    } else if closed {
        Err(HttpError::Truncated)
    } else {
        Ok(None)
    }
}

fn map_error(e: httparse::Error) -> HttpError {
    match e {
        httparse::Error::TooManyHeaders => HttpError::TooManyHeaders,
        _ => HttpError::Malformed,
    }
}

/// Appends `name: value\r\n`.
pub(crate) fn header(out: &mut String, name: &str, value: impl core::fmt::Display) {
    let _ = write!(out, "{name}: {value}\r\n");
}

/// Appends hostapd's `Content-Length` line: the number left-aligned in 8 columns.
pub(crate) fn padded_length(out: &mut String, name: &str, len: usize) {
    let _ = write!(out, "{name}: {len:<8}\r\n");
}

/// The `Content-Type` of every XML body (descriptions, SOAP, events).
pub(crate) const XML: &str = "text/xml; charset=\"utf-8\"";

/// A response that closes the connection, as hostapd writes them: the status line, the
/// `headers` given, `Connection: close`, the padded `Content-Length`, `Date`, the body.
pub(crate) fn closing_response(
    status: &str,
    headers: &[(&str, &str)],
    body: &str,
    date: &str,
) -> String {
    let mut out = String::with_capacity(body.len().saturating_add(200));
    out.push_str("HTTP/1.1 ");
    out.push_str(status);
    out.push_str("\r\n");
    for (name, value) in headers {
        header(&mut out, name, value);
    }
    header(&mut out, "Connection", "close");
    padded_length(&mut out, "Content-Length", body.len());
    header(&mut out, "Date", date);
    with_body(out, body)
}

/// Ends the head `out` and appends `body`: the whole message.
pub(crate) fn with_body(mut out: String, body: &str) -> String {
    out.push_str("\r\n");
    out.push_str(body);
    out
}

/// An HTTP date (`Mon, 30 Nov 2026 10:13:02 GMT`) for `unix_seconds` since 1970 UTC.
/// The caller reads the clock; the library only formats.
///
/// ```
/// assert_eq!(wps::upnp::http::date(1_796_033_582), "Mon, 30 Nov 2026 10:13:02 GMT");
/// ```
pub fn date(unix_seconds: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = unix_seconds / 86_400;
    let secs = unix_seconds % 86_400;
    let weekday = DAYS
        .get(usize::try_from(days % 7).unwrap_or(0))
        .unwrap_or(&"");
    // Howard Hinnant's civil_from_days, in unsigned arithmetic from 0000-03-01.
    let z = days.saturating_add(719_468);
    let era = z / 146_097;
    let doe = z % 146_097;
    let yoe = (doe
        .saturating_sub(doe / 1460)
        .saturating_add(doe / 36_524)
        .saturating_sub(doe / 146_096))
        / 365;
    let doy = doe.saturating_sub(
        yoe.saturating_mul(365)
            .saturating_add(yoe / 4)
            .saturating_sub(yoe / 100),
    );
    let mp = (doy.saturating_mul(5).saturating_add(2)) / 153;
    let day = doy
        .saturating_sub((mp.saturating_mul(153).saturating_add(2)) / 5)
        .saturating_add(1);
    let month_index = if mp < 10 {
        mp.saturating_add(2)
    } else {
        mp.saturating_sub(10)
    };
    let year = yoe
        .saturating_add(era.saturating_mul(400))
        .saturating_add(u64::from(month_index < 2));
    let month = MONTHS
        .get(usize::try_from(month_index).unwrap_or(0))
        .unwrap_or(&"");
    let mut out = String::with_capacity(29);
    let _ = write!(
        out,
        "{weekday}, {day:02} {month} {year} {:02}:{:02}:{:02} GMT",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    #[test]
    fn frames_by_content_length_and_trims_padding() {
        let msg = b"POST /c HTTP/1.1\r\nContent-Length: 3     \r\n\r\nabcdef";
        let (m, used) = Message::parse(msg, false)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                unreachable!("a complete message");
            });
        assert_eq!(used, msg.len() - 3);
        assert_eq!(m.body, b"abc");
        assert_eq!(m.request_line(), Some(("POST", "/c")));
        assert_eq!(
            Message::parse(&msg[..msg.len() - 4], false).map(|m| m.is_none()),
            Ok(true)
        );
        assert_eq!(
            Message::parse(&msg[..msg.len() - 4], true).err(),
            Some(HttpError::Truncated)
        );
    }

    #[test]
    fn hostile_heads_and_bodies() {
        let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(
            Message::parse(big.as_bytes(), false).err(),
            Some(HttpError::HeadTooLarge)
        );
        let endless = "a".repeat(MAX_HEAD + 1);
        assert_eq!(
            Message::parse(format!("GET / HTTP/1.1\r\nX: {endless}").as_bytes(), false).err(),
            Some(HttpError::HeadTooLarge)
        );
        let many: String = (0..MAX_HEADERS + 1)
            .map(|i| format!("H{i}: v\r\n"))
            .collect();
        assert_eq!(
            Message::parse(format!("GET / HTTP/1.1\r\n{many}\r\n").as_bytes(), false).err(),
            Some(HttpError::TooManyHeaders)
        );
        for bad in ["x", "-1", "1 2", "99999999999999999999999"] {
            let m = format!("POST / HTTP/1.1\r\nContent-Length: {bad}\r\n\r\n");
            let want = if bad.len() > 9 {
                HttpError::BodyTooLarge
            } else {
                HttpError::BadContentLength
            };
            assert_eq!(
                Message::parse(m.as_bytes(), false).err(),
                Some(want),
                "{bad}"
            );
        }
        let m = format!(
            "POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert_eq!(
            Message::parse(m.as_bytes(), false).err(),
            Some(HttpError::BodyTooLarge)
        );
        let m = "POST / HTTP/1.1\r\nContent-Length: 1\r\ncontent-length: 2\r\n\r\nab";
        assert_eq!(
            Message::parse(m.as_bytes(), false).err(),
            Some(HttpError::BadContentLength)
        );
        let m = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        assert_eq!(
            Message::parse(m.as_bytes(), false).err(),
            Some(HttpError::TransferEncoding)
        );
        assert_eq!(
            Message::parse(b"\x00\x01garbage\r\n\r\n", false).err(),
            Some(HttpError::Malformed)
        );
    }

    #[test]
    fn response_without_length_runs_to_close() {
        let m = b"HTTP/1.1 200 OK\r\n\r\nhello";
        assert_eq!(Message::parse(m, false).map(|m| m.is_none()), Ok(true));
        assert_eq!(Message::parse_whole(m).map(|m| m.body), Ok(&b"hello"[..]));
    }

    #[test]
    fn dates() {
        assert_eq!(date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(date(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(date(1_796_033_582), "Mon, 30 Nov 2026 10:13:02 GMT");
    }

    proptest! {
        #[test]
        fn head_and_body_round_trip(
            path in "/[a-z0-9_/]{0,20}",
            values in proptest::collection::vec("[ -~]{0,30}", 0..8),
            body in proptest::collection::vec(any::<u8>(), 0..300),
        ) {
            let mut out = format!("POST {path} HTTP/1.1\r\n");
            for (i, v) in values.iter().enumerate() {
                header(&mut out, &format!("X-{i}"), v);
            }
            padded_length(&mut out, "Content-Length", body.len());
            out.push_str("\r\n");
            let mut bytes: Vec<u8> = out.into_bytes();
            bytes.extend_from_slice(&body);
            let (m, used) = Message::parse(&bytes, false).ok().flatten()
                .ok_or_else(|| TestCaseError::fail("incomplete"))?;
            prop_assert_eq!(used, bytes.len());
            prop_assert_eq!(m.body, &body[..]);
            prop_assert_eq!(m.request_line(), Some(("POST", path.as_str())));
            for (i, v) in values.iter().enumerate() {
                prop_assert_eq!(m.header(&format!("x-{i}")), Some(v.trim()));
            }
        }

        #[test]
        fn never_panics(data in proptest::collection::vec(any::<u8>(), 0..600), closed: bool) {
            let _ = Message::parse(&data, closed);
        }

        #[test]
        fn dates_agree_with_a_day_count(days in 0u64..200_000) {
            let text = date(days * 86_400);
            prop_assert_eq!(text.len(), 29);
        }
    }
}
