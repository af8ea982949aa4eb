//! The access point's UPnP device, sans-IO: what hostapd's `wps_upnp*.c` does.
//!
//! [`UpnpDevice`] announces itself over SSDP and answers searches, serves the two
//! descriptions, keeps a few event subscriptions, turns the enrollee messages the access
//! point relays into `WLANEvent` notifications, and routes the four SOAP actions to the
//! access point through the [`Control`] trait. The caller owns the sockets:
//!
//! ```text
//! loop {
//!     while let Some(d) = device.poll_datagram(now) { udp.send_to(d.bytes, d.to) }
//!     while let Some(n) = device.poll_delivery() {        // one TCP connection each
//!         let ok = http_post(n.to, n.request).is_ok();    // a 2xx answer
//!         device.delivery_result(n.sid, ok, now);
//!     }
//!     select! {
//!         datagram from SSDP socket => device.handle_datagram(from, &bytes, now),
//!         bytes on an HTTP connection => match device.handle_request(peer_ip, &buf, closed, now, unix, &mut ap) {
//!             Served::NeedMore => keep reading,
//!             Served::Reply(answer) => { write answer; close }
//!         },
//!         deadline device.poll_timeout() => device.handle_timeout(now),
//!     }
//! }
//! ```
//!
//! Hardening, as hostapd after CallStranger (CVE-2020-12695): callback URLs only on the
//! access point's own subnet, `SetSelectedRegistrar` only from the address of a
//! subscriber, at most [`DeviceConfig::max_subscribers`] subscriptions (a new one
//! replaces the oldest), at most [`DeviceConfig::max_queued`] undelivered events each,
//! a subscriber dropped after [`DeviceConfig::max_failures`] failed deliveries, bounded
//! request sizes ([`super::http::MAX_HEAD`], [`super::http::MAX_BODY`]); every malformed request gets
//! an HTTP error answer.

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::{Ipv4Addr, SocketAddrV4};
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::{MacAddr, Uuid};
use crate::time::Instant;

use super::description::{
    self, CONTROL_PATH, DEVICE_PATH, DeviceDescription, EVENT_PATH, SCPD_PATH,
};
use super::gena::{self, EventNotify, PropertySet, Subscription, Timeout};
use super::http::{HttpError, Message};
use super::selected_registrar::SelectedRegistrar;
use super::soap::{self, Call, Fault, Reply};
use super::ssdp::{Announcement, MSearch, Notify, SearchResponse, Target};
use super::url::{self, HttpUrl};
use super::wlan_event::{WlanEvent, WlanEventType};

/// What the device needs from the access point: its enrollee role for registrars that
/// read or configure it, the relay towards enrollees, and Selected Registrar.
///
/// `AccessPoint` implements it (see the crate's README, "UPnP (the PC path)"); every
/// method answers a SOAP call, and an `Err` becomes a SOAP fault.
pub trait Control {
    /// `GetDeviceInfo`: a fresh M1 of the access point as enrollee (new nonce and key
    /// every call, as hostapd).
    fn get_device_info(&mut self, now: Instant) -> Result<Vec<u8>, Fault>;
    /// `PutMessage`: the registrar's M2, M4, M6, M8 or NACK to the access point as
    /// enrollee; returns M3, M5, M7 or WSC_Done. hostapd answers a NACK with fault 500.
    fn put_message(&mut self, message: &[u8], now: Instant) -> Result<Vec<u8>, Fault>;
    /// `PutWLANResponse`: the registrar's message (`response.data`) for the enrollee
    /// `response.mac`, to send down its EAP conversation. Its three arguments are those
    /// of a `WLANEvent`, going the other way.
    fn put_wlan_response(&mut self, response: &WlanEvent, now: Instant) -> Result<(), Fault>;
    /// `SetSelectedRegistrar` from the subscription `subscriber` (the first from the
    /// registrar's address, as hostapd's `find_er`; its attributes already read): start
    /// or stop advertising Selected Registrar for a PIN or push-button, for the
    /// AuthorizedMACs. A selection ends with its subscription
    /// ([`UpnpDevice::is_subscribed`]).
    fn set_selected_registrar(
        &mut self,
        subscriber: Uuid,
        selection: &SelectedRegistrar,
        now: Instant,
    ) -> Result<(), Fault>;
}

/// How a [`UpnpDevice`] presents itself.
#[derive(Debug, Clone)]
pub struct DeviceConfig {
    /// The description served at [`DEVICE_PATH`]; its UUID is the WPS UUID.
    pub description: DeviceDescription,
    /// The access point's address on the UPnP interface.
    pub address: Ipv4Addr,
    /// Its subnet's prefix length: callbacks outside it are refused.
    pub prefix_len: u8,
    /// The HTTP port (hostapd: 49152).
    pub port: u16,
    /// At most this many subscriptions (hostapd: 4).
    pub max_subscribers: usize,
    /// At most this many undelivered events per subscriber (hostapd: 20).
    pub max_queued: usize,
    /// A subscriber is dropped after this many failed deliveries in a row (hostapd: 10).
    pub max_failures: u32,
}

impl DeviceConfig {
    /// hostapd's limits and port for `description` at `address`/`prefix_len`.
    pub fn new(description: DeviceDescription, address: Ipv4Addr, prefix_len: u8) -> Self {
        DeviceConfig {
            description,
            address,
            prefix_len,
            port: 49152,
            max_subscribers: 4,
            max_queued: 20,
            max_failures: 10,
        }
    }

    /// The `LOCATION` URL of the description.
    pub fn location(&self) -> String {
        alloc::format!("http://{}:{}{}", self.address, self.port, DEVICE_PATH)
    }
}

/// Where a datagram goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Destination {
    /// The SSDP group, 239.255.255.250:1900.
    Multicast,
    /// A searcher's own address.
    Unicast(SocketAddrV4),
}

/// A datagram to send from the SSDP socket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// Where.
    pub to: Destination,
    /// What.
    pub bytes: String,
}

/// An event to deliver: open a TCP connection to `to`, send `request`, read the answer,
/// then report with [`UpnpDevice::delivery_result`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The subscription.
    pub sid: Uuid,
    /// The callback.
    pub to: HttpUrl,
    /// The `NOTIFY`.
    pub request: String,
}

/// What [`UpnpDevice::handle_request`] did with the bytes of a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Served {
    /// The request is not complete yet: read more.
    NeedMore,
    /// Send this answer and close the connection.
    Reply(String),
}

impl Served {
    /// One HTTP request read from `buf`, or what to do instead: read more, or answer
    /// `413` (too large) or `400` (malformed) and close.
    pub(crate) fn read_request<'b>(
        buf: &'b [u8],
        closed: bool,
        date: &str,
    ) -> Result<Message<'b>, Served> {
        match Message::parse(buf, closed) {
            Ok(Some((m, _))) => Ok(m),
            Ok(None) => Err(Served::NeedMore),
            Err(HttpError::HeadTooLarge | HttpError::BodyTooLarge) => Err(Served::Reply(
                gena::status_response(413, "Request Entity Too Large", date),
            )),
            Err(_) => Err(Served::Reply(gena::status_response(
                400,
                "Bad Request",
                date,
            ))),
        }
    }
}

/// What a [`UpnpDevice`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DeviceEvent {
    /// A registrar at `from` subscribed.
    Subscribed {
        /// The new subscription.
        sid: Uuid,
        /// The subscriber's address.
        from: Ipv4Addr,
    },
    /// A subscription ended (unsubscribed, expired, replaced, or too many failures).
    Unsubscribed {
        /// The subscription.
        sid: Uuid,
    },
}

/// A datagram waiting for its time; search answers are written when sent (their DATE).
#[derive(Debug)]
struct Scheduled {
    at: Instant,
    to: Destination,
    what: Pending,
}

#[derive(Debug)]
enum Pending {
    Notify(String),
    Answer(Target),
}

#[derive(Debug)]
struct Subscriber {
    sid: Uuid,
    from: Ipv4Addr,
    callbacks: Vec<HttpUrl>,
    expires: Instant,
    seq: u32,
    queue: VecDeque<PropertySet>,
    in_flight: bool,
    failures: u32,
}

/// How long a subscription lasts without renewal.
pub const SUBSCRIPTION: Duration = Duration::from_secs(gena::GRANTED_TIMEOUT as u64);

/// The access point's UPnP device; `R` draws subscription ids and SSDP delays.
#[derive(Debug)]
pub struct UpnpDevice<R> {
    config: DeviceConfig,
    location: String,
    rng: R,
    subscribers: Vec<Subscriber>,
    datagrams: VecDeque<Scheduled>,
    next_advertisement: Instant,
    events: VecDeque<DeviceEvent>,
}

impl<R: CryptoRng> UpnpDevice<R> {
    /// A device that starts at `now`: it announces `ssdp:byebye` then `ssdp:alive` for
    /// its four targets, each twice, as hostapd does on start-up.
    pub fn new(config: DeviceConfig, rng: R, now: Instant) -> Self {
        let location = config.location();
        let mut device = UpnpDevice {
            config,
            location,
            rng,
            subscribers: Vec::new(),
            datagrams: VecDeque::new(),
            next_advertisement: now,
            events: VecDeque::new(),
        };
        device.announce(Announcement::ByeBye, now);
        device.advertise(now);
        device
    }

    fn uuid(&self) -> Uuid {
        self.config.description.uuid
    }

    fn announce(&mut self, announcement: Announcement, now: Instant) {
        for target in Target::advertised(self.uuid()) {
            let bytes = Notify::new(self.uuid(), target, announcement.clone()).to_bytes();
            for _ in 0..2 {
                self.datagrams.push_back(Scheduled {
                    at: now,
                    to: Destination::Multicast,
                    what: Pending::Notify(bytes.clone()),
                });
            }
        }
    }

    fn advertise(&mut self, now: Instant) {
        let location = self.location.clone();
        self.announce(Announcement::Alive { location }, now);
        // Again after a random time below half the max-age, as hostapd.
        let half = u64::from(super::ssdp::MAX_AGE / 2).saturating_mul(1000);
        let delay = u64::from(self.rng.next_u32())
            .checked_rem(half)
            .unwrap_or(0);
        self.next_advertisement = now.saturating_add(Duration::from_millis(delay.max(1000)));
    }

    /// Withdraws the device (`ssdp:byebye` for every target); send before closing.
    pub fn shut_down(&mut self, now: Instant) {
        self.announce(Announcement::ByeBye, now);
        self.next_advertisement = Instant::MAX;
    }

    /// A datagram received on the SSDP socket from `from`. A search that finds this
    /// device is answered with four datagrams (each twice) after a random delay of up to
    /// `MX` seconds (at most 5 s here); anything else is ignored.
    pub fn handle_datagram(&mut self, from: SocketAddrV4, bytes: &[u8], now: Instant) {
        let Ok(search) = MSearch::parse(bytes) else {
            return;
        };
        if !search.target.finds(self.uuid()) {
            return;
        }
        let window = u64::from(search.mx.min(5)).saturating_mul(1000);
        let delay = u64::from(self.rng.next_u32())
            .checked_rem(window.saturating_add(1))
            .unwrap_or(0);
        let at = now.saturating_add(Duration::from_millis(delay));
        for target in Target::advertised(self.uuid()) {
            for _ in 0..2 {
                self.datagrams.push_back(Scheduled {
                    at,
                    to: Destination::Unicast(from),
                    what: Pending::Answer(target.clone()),
                });
            }
        }
    }

    /// The next datagram due at `now`; search answers carry the `DATE` of
    /// `unix_seconds` (the wall clock, read by the caller).
    pub fn poll_datagram(&mut self, now: Instant, unix_seconds: u64) -> Option<Datagram> {
        let index = self.datagrams.iter().position(|d| d.at <= now)?;
        let scheduled = self.datagrams.remove(index)?;
        let bytes = match scheduled.what {
            Pending::Notify(bytes) => bytes,
            Pending::Answer(target) => SearchResponse::new(
                self.uuid(),
                target,
                &self.location,
                super::http::date(unix_seconds),
            )
            .to_bytes(),
        };
        Some(Datagram {
            to: scheduled.to,
            bytes,
        })
    }

    /// The bytes read so far on one HTTP connection from `from` (`closed`: the peer
    /// closed its side). Answers descriptions, subscriptions and control calls; errors
    /// become HTTP errors or SOAP faults.
    pub fn handle_request<C: Control + ?Sized>(
        &mut self,
        from: Ipv4Addr,
        buf: &[u8],
        closed: bool,
        now: Instant,
        unix_seconds: u64,
        control: &mut C,
    ) -> Served {
        self.expire(now);
        let date = super::http::date(unix_seconds);
        let message = match Served::read_request(buf, closed, &date) {
            Ok(m) => m,
            Err(served) => return served,
        };
        let Some((method, target)) = message.request_line() else {
            return Served::Reply(gena::status_response(400, "Bad Request", &date));
        };
        let answer = match (method, target) {
            ("GET", DEVICE_PATH) => {
                description::document_response(&self.config.description.to_xml(), &date)
            }
            ("GET", SCPD_PATH) => description::document_response(&description::scpd(), &date),
            ("GET", _) => gena::status_response(404, "Not Found", &date),
            ("POST", CONTROL_PATH) => self.control(from, &message, now, &date, control),
            ("SUBSCRIBE" | "UNSUBSCRIBE", EVENT_PATH) => {
                self.subscription(from, &message, now, &date)
            }
            ("POST" | "SUBSCRIBE" | "UNSUBSCRIBE", _) => {
                gena::status_response(404, "Not Found", &date)
            }
            _ => gena::status_response(501, "Not Implemented", &date),
        };
        Served::Reply(answer)
    }

    fn control<C: Control + ?Sized>(
        &mut self,
        from: Ipv4Addr,
        message: &Message<'_>,
        now: Instant,
        date: &str,
        control: &mut C,
    ) -> String {
        let call = match Call::parse(message) {
            Ok(call) => call,
            Err(e) => return Fault::for_error(&e).to_http(date),
        };
        let result = match call {
            Call::GetDeviceInfo => control
                .get_device_info(now)
                .map(|device_info| Reply::GetDeviceInfo { device_info }),
            Call::PutMessage { message } => control
                .put_message(&message, now)
                .map(|message| Reply::PutMessage { message }),
            Call::PutWlanResponse { message, kind, mac } => {
                let response = WlanEvent {
                    kind,
                    mac,
                    data: message,
                };
                control
                    .put_wlan_response(&response, now)
                    .map(|()| Reply::PutWlanResponse)
            }
            Call::SetSelectedRegistrar { message } => {
                // hostapd's find_er: the first subscription from that address.
                if let Some(sid) = self
                    .subscribers
                    .iter()
                    .find(|s| s.from == from)
                    .map(|s| s.sid)
                {
                    match SelectedRegistrar::parse(&message) {
                        Ok(selection) => control
                            .set_selected_registrar(sid, &selection, now)
                            .map(|()| Reply::SetSelectedRegistrar),
                        Err(_) => Err(Fault::new(soap::INVALID_ARGS)),
                    }
                } else {
                    Err(Fault::new(soap::ACTION_FAILED))
                }
            }
        };
        match result {
            Ok(reply) => reply.to_http(date),
            Err(fault) => fault.to_http(date),
        }
    }

    fn subscription(
        &mut self,
        from: Ipv4Addr,
        message: &Message<'_>,
        now: Instant,
        date: &str,
    ) -> String {
        let precondition = || gena::status_response(412, "Precondition Failed", date);
        let request = match Subscription::parse(message) {
            Ok(r) => r,
            Err(_) => return precondition(),
        };
        match request {
            Subscription::Subscribe { callbacks, .. } => {
                let callbacks: Vec<HttpUrl> = callbacks
                    .into_iter()
                    .filter(|u| {
                        u.ipv4().is_some_and(|ip| {
                            url::same_subnet(ip, self.config.address, self.config.prefix_len)
                        })
                    })
                    .collect();
                if callbacks.is_empty() {
                    return precondition();
                }
                if self.subscribers.len() >= self.config.max_subscribers.max(1) {
                    let oldest = self.subscribers.remove(0);
                    self.events
                        .push_back(DeviceEvent::Unsubscribed { sid: oldest.sid });
                }
                let mut sid = [0u8; 16];
                self.rng.fill_bytes(&mut sid);
                // A random (version 4) UUID.
                if let Some(b) = sid.get_mut(6) {
                    *b = 0x40 | (*b & 0x0f);
                }
                if let Some(b) = sid.get_mut(8) {
                    *b = 0x80 | (*b & 0x3f);
                }
                let sid = Uuid(sid);
                let mut queue = VecDeque::new();
                queue.push_back(first_event());
                self.subscribers.push(Subscriber {
                    sid,
                    from,
                    callbacks,
                    expires: now.saturating_add(SUBSCRIPTION),
                    seq: 0,
                    queue,
                    in_flight: false,
                    failures: 0,
                });
                self.events.push_back(DeviceEvent::Subscribed { sid, from });
                gena::subscribed_response(sid, Timeout::Seconds(gena::GRANTED_TIMEOUT), date)
            }
            Subscription::Renew { sid, .. } => match self
                .subscribers
                .iter_mut()
                .find(|s| s.sid == sid)
            {
                Some(s) => {
                    s.expires = now.saturating_add(SUBSCRIPTION);
                    gena::subscribed_response(sid, Timeout::Seconds(gena::GRANTED_TIMEOUT), date)
                }
                None => precondition(),
            },
            Subscription::Unsubscribe { sid } => {
                match self.subscribers.iter().position(|s| s.sid == sid) {
                    Some(i) => {
                        self.subscribers.remove(i);
                        self.events.push_back(DeviceEvent::Unsubscribed { sid });
                        gena::unsubscribed_response()
                    }
                    None => precondition(),
                }
            }
        }
    }

    /// Whether any registrar is subscribed (hostapd then relays enrollees' messages and
    /// waits for an external registrar's answer).
    pub fn has_subscribers(&self) -> bool {
        !self.subscribers.is_empty()
    }

    /// Whether the subscription `sid` is current.
    pub fn is_subscribed(&self, sid: Uuid) -> bool {
        self.subscribers.iter().any(|s| s.sid == sid)
    }

    /// Queues a `WLANEvent` for every subscriber: an enrollee's WSC message from its EAP
    /// conversation ([`WlanEventType::Eap`]) or its Probe Request's WPS attributes
    /// ([`WlanEventType::ProbeRequest`]). A subscriber with [`DeviceConfig::max_queued`]
    /// undelivered events does not get this one.
    pub fn relay(&mut self, kind: WlanEventType, mac: MacAddr, data: &[u8]) {
        let max = self.config.max_queued;
        for s in &mut self.subscribers {
            if s.queue.len() < max {
                s.queue.push_back(PropertySet {
                    sta_status: None,
                    ap_status: None,
                    wlan_event: Some(WlanEvent {
                        kind,
                        mac,
                        data: Vec::from(data),
                    }),
                });
            }
        }
    }

    /// The next event to deliver (one at a time per subscriber).
    pub fn poll_delivery(&mut self) -> Option<Delivery> {
        let s = self
            .subscribers
            .iter_mut()
            .find(|s| !s.in_flight && !s.queue.is_empty())?;
        let properties = s.queue.front()?.clone();
        let to = s.callbacks.first()?.clone();
        s.in_flight = true;
        let request = EventNotify {
            sid: s.sid,
            seq: s.seq,
            properties,
        }
        .to_http(&to);
        Some(Delivery {
            sid: s.sid,
            to,
            request,
        })
    }

    /// How the delivery for `sid` went: `ok` for a 2xx answer. A failure tries the next
    /// callback URL with the same event; after [`DeviceConfig::max_failures`] in a row
    /// the subscriber is dropped.
    pub fn delivery_result(&mut self, sid: Uuid, ok: bool, now: Instant) {
        let _ = now;
        let Some(i) = self.subscribers.iter().position(|s| s.sid == sid) else {
            return;
        };
        let max_failures = self.config.max_failures;
        let Some(s) = self.subscribers.get_mut(i) else {
            return;
        };
        s.in_flight = false;
        if ok {
            s.queue.pop_front();
            s.failures = 0;
            // SEQ wraps to 1, never back to 0 (which means "first event").
            s.seq = s.seq.checked_add(1).unwrap_or(1);
            return;
        }
        s.failures = s.failures.saturating_add(1);
        s.callbacks.rotate_left(1);
        if s.failures >= max_failures {
            self.subscribers.remove(i);
            self.events.push_back(DeviceEvent::Unsubscribed { sid });
        }
    }

    fn expire(&mut self, now: Instant) {
        let events = &mut self.events;
        self.subscribers.retain(|s| {
            let keep = s.expires > now;
            if !keep {
                events.push_back(DeviceEvent::Unsubscribed { sid: s.sid });
            }
            keep
        });
    }

    /// The next thing the device reports.
    pub fn poll_event(&mut self) -> Option<DeviceEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) should run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let datagrams = self.datagrams.iter().map(|d| d.at).min();
        let expiry = self.subscribers.iter().map(|s| s.expires).min();
        [Some(self.next_advertisement), datagrams, expiry]
            .into_iter()
            .flatten()
            .filter(|t| *t != Instant::MAX)
            .min()
    }

    /// Re-advertises when due and ends expired subscriptions.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.expire(now);
        if now >= self.next_advertisement {
            self.advertise(now);
        }
    }
}

/// hostapd's first event to a new subscriber: both statuses 1 and a dummy WSC_ACK with
/// zero nonces "from" 00:00:00:00:00:00.
pub fn first_event() -> PropertySet {
    // Version 0x10, Message Type WSC_ACK, both nonces zero, WFA extension Version2 2.0.
    let mut ack = Vec::with_capacity(60);
    ack.extend_from_slice(&[0x10, 0x4a, 0x00, 0x01, 0x10]);
    ack.extend_from_slice(&[0x10, 0x22, 0x00, 0x01, 0x0d]);
    ack.extend_from_slice(&[0x10, 0x1a, 0x00, 0x10]);
    ack.extend_from_slice(&[0; 16]);
    ack.extend_from_slice(&[0x10, 0x39, 0x00, 0x10]);
    ack.extend_from_slice(&[0; 16]);
    ack.extend_from_slice(&[0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20]);
    PropertySet {
        sta_status: Some(1),
        ap_status: Some(1),
        wlan_event: Some(WlanEvent {
            kind: WlanEventType::Eap,
            mac: MacAddr([0; 6]),
            data: ack,
        }),
    }
}
