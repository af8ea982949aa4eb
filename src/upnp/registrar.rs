//! The external registrar's UPnP side (the PC), sans-IO: what wpa_supplicant's
//! `wps_er.c` does on the wire.
//!
//! [`UpnpRegistrar`] searches for access points, fetches each one's description, asks
//! for its M1 (`GetDeviceInfo`), subscribes to its events and keeps the subscription
//! renewed; it answers the access point's event `NOTIFY`s and hands their `WLANEvent`s
//! up; it makes the SOAP calls the registration needs and hands their answers up. The
//! registration itself (M2…M8) is a `RegistrarSession` the caller runs: one per access
//! point to learn or configure it (`GetDeviceInfo` → M1, then `PutMessage`), one per
//! relayed enrollee (`WLANEvent` M1, then `PutWLANResponse`).
//!
//! ```text
//! er.search(now);
//! loop {
//!     while let Some(d) = er.poll_datagram() { udp.send_to(d, "239.255.255.250:1900") }
//!     while let Some(r) = er.poll_request() {               // one TCP connection each
//!         match http_exchange(&r.to, &r.bytes) {
//!             Ok(answer) => er.handle_response(r.id, &answer, now),
//!             Err(_) => er.request_failed(r.id, now),
//!         }
//!     }
//!     while let Some(e) = er.poll_event() { registration glue, print WPS-ER-… lines }
//!     select! {
//!         datagram => er.handle_datagram(&bytes, now),
//!         bytes on the callback server => match er.handle_notify(&buf, closed, now, unix) {
//!             Served::NeedMore => keep reading,
//!             Served::Reply(answer) => { write answer; close }
//!         },
//!         deadline er.poll_timeout() => er.handle_timeout(now),
//!     }
//! }
//! ```

use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::net::Ipv4Addr;
use core::time::Duration;

use crate::attr::{MacAddr, Uuid};
use crate::time::Instant;

use super::UpnpError;
use super::description::{self, DeviceDescription};
use super::device::Served;
use super::gena::{self, EventNotify, Subscription, Timeout};
use super::http::Message;
use super::soap::{Action, Call, Fault, Reply};
use super::ssdp::{self, Announcement, MSearch, Notify, SearchResponse, Target};
use super::url::HttpUrl;
use super::wlan_event::{WlanEvent, WlanEventType};

/// How a [`UpnpRegistrar`] is reached and searches.
#[derive(Debug, Clone)]
pub struct ErConfig {
    /// The address access points deliver events to (on their subnet).
    pub callback_address: Ipv4Addr,
    /// The port of the caller's callback HTTP server.
    pub callback_port: u16,
    /// A number for the callback paths (`/event/<id>/<n>`); wpa_supplicant draws one at
    /// random per start.
    pub event_id: u32,
    /// `MX` of the search (wpa_supplicant: 3).
    pub mx: u32,
    /// At most this many access points are followed.
    pub max_aps: usize,
}

impl ErConfig {
    /// wpa_supplicant's choices, with the callback server at `address:port`.
    pub fn new(callback_address: Ipv4Addr, callback_port: u16, event_id: u32) -> Self {
        ErConfig {
            callback_address,
            callback_port,
            event_id,
            mx: 3,
            max_aps: 16,
        }
    }
}

/// Which access point (in the order they were found).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApId(pub u32);

/// Which request an answer belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RequestId(pub u64);

/// An HTTP request to make: connect to `to`'s host and port, send `bytes`, read the
/// answer until the access point closes, then call
/// [`UpnpRegistrar::handle_response`] (or [`UpnpRegistrar::request_failed`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// Its id.
    pub id: RequestId,
    /// The URL (host and port to connect to).
    pub to: HttpUrl,
    /// The whole request.
    pub bytes: String,
}

/// What a [`UpnpRegistrar`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErEvent {
    /// An access point was found, described itself, sent its M1 and accepted the
    /// subscription (wpa_supplicant's `WPS-ER-AP-ADD`).
    ApAdded {
        /// Which.
        ap: ApId,
        /// Its description (UUID, names).
        description: alloc::boxed::Box<DeviceDescription>,
        /// Its M1 from `GetDeviceInfo` (MAC address, device attributes).
        m1: Vec<u8>,
    },
    /// An access point left (`ssdp:byebye`, or its subscription could not be kept)
    /// (`WPS-ER-AP-REMOVE`).
    ApRemoved {
        /// Which.
        ap: ApId,
        /// Its UUID.
        uuid: Uuid,
    },
    /// A `WLANEvent` from an access point: an enrollee's Probe Request or EAP message.
    Wlan {
        /// From which access point.
        ap: ApId,
        /// The event.
        event: WlanEvent,
    },
    /// The answer to a call made with [`UpnpRegistrar::call`].
    Answer {
        /// Which access point.
        ap: ApId,
        /// The action.
        action: Action,
        /// Its reply or fault.
        result: Result<Reply, Fault>,
    },
    /// A call could not be made or its answer was unreadable.
    CallFailed {
        /// Which access point.
        ap: ApId,
        /// The action.
        action: Action,
    },
}

/// How far one access point is.
#[derive(Debug, Clone)]
enum Stage {
    /// `GET` of the description sent.
    Describing,
    /// `GetDeviceInfo` sent.
    Identifying {
        description: DeviceDescription,
        control: HttpUrl,
        event: HttpUrl,
    },
    /// `SUBSCRIBE` sent.
    Subscribing {
        description: DeviceDescription,
        control: HttpUrl,
        event: HttpUrl,
        m1: Vec<u8>,
    },
    /// Subscribed; renewal due at `renew_at`.
    Ready {
        uuid: Uuid,
        control: HttpUrl,
        event: HttpUrl,
        sid: Uuid,
        renew_at: Instant,
    },
}

impl Stage {
    /// `Ready` after an answered `SUBSCRIBE` (the first one or a renewal).
    fn subscribed(
        uuid: Uuid,
        control: HttpUrl,
        event: HttpUrl,
        answer: &Message<'_>,
        now: Instant,
    ) -> Result<Stage, UpnpError> {
        let (sid, timeout) = gena::parse_subscribed(answer)?;
        Ok(Stage::Ready {
            uuid,
            control,
            event,
            sid,
            renew_at: now.saturating_add(renew_after(timeout)),
        })
    }
}

#[derive(Debug, Clone)]
struct Ap {
    id: ApId,
    usn_uuid: Uuid,
    location: HttpUrl,
    stage: Stage,
}

#[derive(Debug, Clone, Copy)]
enum Purpose {
    Describe,
    Identify,
    Subscribe,
    Renew,
    Unsubscribe,
    Call(Action),
}

/// How long wpa_supplicant waits before renewing: well within the granted time.
fn renew_after(timeout: Timeout) -> Duration {
    match timeout {
        Timeout::Seconds(s) => Duration::from_secs(u64::from(s / 2).max(1)),
        Timeout::Infinite => Duration::from_secs(u64::from(gena::GRANTED_TIMEOUT)),
    }
}

/// The registrar's UPnP side.
#[derive(Debug)]
pub struct UpnpRegistrar {
    config: ErConfig,
    aps: Vec<Ap>,
    next_ap: u32,
    next_request: u64,
    pending: Vec<(RequestId, ApId, Purpose)>,
    requests: VecDeque<Request>,
    datagrams: VecDeque<String>,
    events: VecDeque<ErEvent>,
}

impl UpnpRegistrar {
    /// A registrar that has found nothing yet.
    pub fn new(config: ErConfig) -> Self {
        UpnpRegistrar {
            config,
            aps: Vec::new(),
            next_ap: 0,
            next_request: 0,
            pending: Vec::new(),
            requests: VecDeque::new(),
            datagrams: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// Sends an `M-SEARCH` for WFA devices.
    pub fn search(&mut self) {
        let search = MSearch {
            target: Target::Device,
            mx: self.config.mx,
        };
        self.datagrams.push_back(search.to_bytes());
    }

    /// The next datagram for the SSDP group (239.255.255.250:1900).
    pub fn poll_datagram(&mut self) -> Option<String> {
        self.datagrams.pop_front()
    }

    /// A datagram on the registrar's SSDP socket: an answer to the search, or an
    /// access point's `NOTIFY`. New access points are described next; `ssdp:byebye`
    /// removes one.
    pub fn handle_datagram(&mut self, bytes: &[u8]) {
        let (usn, location) = if let Ok(answer) = SearchResponse::parse(bytes) {
            if !matches!(
                answer.target,
                Target::Device | Target::Service | Target::RootDevice | Target::Uuid(_)
            ) {
                return;
            }
            (answer.usn, answer.location)
        } else if let Ok(notify) = Notify::parse(bytes) {
            match notify.announcement {
                Announcement::Alive { location } => (notify.usn, location),
                Announcement::ByeBye => {
                    if let Some(uuid) = ssdp::usn_uuid(&notify.usn) {
                        self.remove_uuid(uuid);
                    }
                    return;
                }
            }
        } else {
            return;
        };
        let Some(uuid) = ssdp::usn_uuid(&usn) else {
            return;
        };
        let Ok(location) = HttpUrl::parse(&location) else {
            return;
        };
        if self.aps.iter().any(|a| a.usn_uuid == uuid) || self.aps.len() >= self.config.max_aps {
            return;
        }
        let id = ApId(self.next_ap);
        self.next_ap = self.next_ap.saturating_add(1);
        let get = description::get_request(&location);
        self.send(id, Purpose::Describe, location.clone(), get);
        self.aps.push(Ap {
            id,
            usn_uuid: uuid,
            location,
            stage: Stage::Describing,
        });
    }

    fn remove_uuid(&mut self, uuid: Uuid) {
        let ids: Vec<ApId> = self
            .aps
            .iter()
            .filter(|a| a.usn_uuid == uuid)
            .map(|a| a.id)
            .collect();
        for id in ids {
            self.remove(id);
        }
    }

    fn remove(&mut self, id: ApId) {
        if let Some(i) = self.aps.iter().position(|a| a.id == id) {
            let ap = self.aps.remove(i);
            self.pending.retain(|(_, a, _)| *a != id);
            if matches!(ap.stage, Stage::Ready { .. }) {
                self.events.push_back(ErEvent::ApRemoved {
                    ap: id,
                    uuid: ap.usn_uuid,
                });
            }
        }
    }

    fn send(&mut self, ap: ApId, purpose: Purpose, to: HttpUrl, bytes: String) -> RequestId {
        let id = RequestId(self.next_request);
        self.next_request = self.next_request.wrapping_add(1);
        self.pending.push((id, ap, purpose));
        self.requests.push_back(Request { id, to, bytes });
        id
    }

    /// The next HTTP request to make.
    pub fn poll_request(&mut self) -> Option<Request> {
        self.requests.pop_front()
    }

    fn callback(&self, n: u32) -> HttpUrl {
        HttpUrl {
            host: alloc::format!("{}", self.config.callback_address),
            port: self.config.callback_port,
            path: alloc::format!("/event/{}/{}", self.config.event_id, n),
        }
    }

    /// The whole answer to request `id` (read until the access point closed).
    pub fn handle_response(&mut self, id: RequestId, bytes: &[u8], now: Instant) {
        let Some(index) = self.pending.iter().position(|(r, _, _)| *r == id) else {
            return;
        };
        let (_, ap_id, purpose) = self.pending.swap_remove(index);
        let parsed = Message::parse_whole(bytes);
        if let Purpose::Call(action) = purpose {
            let event = match parsed
                .map_err(UpnpError::from)
                .and_then(|m| Reply::parse(action, &m))
            {
                Ok(result) => ErEvent::Answer {
                    ap: ap_id,
                    action,
                    result,
                },
                Err(_) => ErEvent::CallFailed { ap: ap_id, action },
            };
            self.events.push_back(event);
            return;
        }
        let outcome = match parsed {
            Ok(m) => self.advance(ap_id, purpose, &m, now),
            Err(e) => Err(UpnpError::from(e)),
        };
        if outcome.is_err() && !matches!(purpose, Purpose::Unsubscribe) {
            self.remove(ap_id);
        }
    }

    /// Request `id` could not be made (no connection, timeout): a call is reported as
    /// failed; an access point that cannot be described, identified or subscribed is
    /// dropped.
    pub fn request_failed(&mut self, id: RequestId, now: Instant) {
        let _ = now;
        let Some(index) = self.pending.iter().position(|(r, _, _)| *r == id) else {
            return;
        };
        let (_, ap, purpose) = self.pending.swap_remove(index);
        match purpose {
            Purpose::Call(action) => self.events.push_back(ErEvent::CallFailed { ap, action }),
            Purpose::Unsubscribe => {}
            _ => self.remove(ap),
        }
    }

    fn advance(
        &mut self,
        id: ApId,
        purpose: Purpose,
        m: &Message<'_>,
        now: Instant,
    ) -> Result<(), UpnpError> {
        let callback = self.callback(id.0.saturating_add(1));
        let ap = self
            .aps
            .iter_mut()
            .find(|a| a.id == id)
            .ok_or(UpnpError::Unexpected("an access point"))?;
        let stage = core::mem::replace(&mut ap.stage, Stage::Describing);
        let (next, request) = match (purpose, stage) {
            (Purpose::Describe, Stage::Describing) => {
                let doc = description::parse_document_response(m)?;
                let description = DeviceDescription::parse(doc)?;
                let (control, event) = description.service.resolve(&ap.location)?;
                let bytes = Call::GetDeviceInfo.to_http(&control);
                let to = control.clone();
                (
                    Stage::Identifying {
                        description,
                        control,
                        event,
                    },
                    Some((Purpose::Identify, to, bytes)),
                )
            }
            (
                Purpose::Identify,
                Stage::Identifying {
                    description,
                    control,
                    event,
                },
            ) => {
                let Ok(Reply::GetDeviceInfo { device_info }) =
                    Reply::parse(Action::GetDeviceInfo, m)?
                else {
                    return Err(UpnpError::Unexpected("GetDeviceInfo's answer"));
                };
                let bytes = Subscription::Subscribe {
                    callbacks: alloc::vec![callback],
                    timeout: Some(Timeout::Seconds(gena::REQUESTED_TIMEOUT)),
                }
                .to_http(&event);
                let to = event.clone();
                (
                    Stage::Subscribing {
                        description,
                        control,
                        event,
                        m1: device_info,
                    },
                    Some((Purpose::Subscribe, to, bytes)),
                )
            }
            (
                Purpose::Subscribe,
                Stage::Subscribing {
                    description,
                    control,
                    event,
                    m1,
                },
            ) => {
                let ready = Stage::subscribed(description.uuid, control, event, m, now)?;
                self.events.push_back(ErEvent::ApAdded {
                    ap: id,
                    description: alloc::boxed::Box::new(description),
                    m1,
                });
                (ready, None)
            }
            (
                Purpose::Renew,
                Stage::Ready {
                    uuid,
                    control,
                    event,
                    ..
                },
            ) => (Stage::subscribed(uuid, control, event, m, now)?, None),
            (_, stage) => (stage, None),
        };
        ap.stage = next;
        if let Some((purpose, to, bytes)) = request {
            self.send(id, purpose, to, bytes);
        }
        Ok(())
    }

    /// Makes a SOAP call to access point `ap` (`GetDeviceInfo` to start learning it,
    /// `PutMessage`, `PutWLANResponse`, `SetSelectedRegistrar`); its answer comes as
    /// [`ErEvent::Answer`]. `None` when `ap` is not (or no longer) subscribed.
    pub fn call(&mut self, ap: ApId, call: &Call) -> Option<RequestId> {
        let control = self
            .aps
            .iter()
            .find(|a| a.id == ap)
            .and_then(|a| match &a.stage {
                Stage::Ready { control, .. } => Some(control.clone()),
                _ => None,
            })?;
        let bytes = call.to_http(&control);
        Some(self.send(ap, Purpose::Call(call.action()), control, bytes))
    }

    /// The access points subscribed to, with their UUIDs.
    pub fn aps(&self) -> impl Iterator<Item = (ApId, Uuid)> + '_ {
        self.aps.iter().filter_map(|a| match a.stage {
            Stage::Ready { uuid, .. } => Some((a.id, uuid)),
            _ => None,
        })
    }

    /// Bytes read on one connection to the callback server: an access point's event
    /// `NOTIFY`. Known subscriptions get `200 OK` and their `WLANEvent` is reported;
    /// unknown ones `412`, malformed requests `400`.
    pub fn handle_notify(&mut self, buf: &[u8], closed: bool, unix_seconds: u64) -> Served {
        let date = super::http::date(unix_seconds);
        let message = match Served::read_request(buf, closed, &date) {
            Ok(m) => m,
            Err(served) => return served,
        };
        let notify = match EventNotify::parse(&message) {
            Ok(n) => n,
            Err(_) => return Served::Reply(gena::status_response(400, "Bad Request", &date)),
        };
        let Some(ap) = self
            .aps
            .iter()
            .find(|a| matches!(a.stage, Stage::Ready { sid, .. } if sid == notify.sid))
        else {
            return Served::Reply(gena::status_response(412, "Precondition Failed", &date));
        };
        if let Some(event) = notify.properties.wlan_event {
            // hostapd's first event carries a dummy ACK from 00:00:00:00:00:00.
            if event.mac != MacAddr([0; 6]) || event.kind != WlanEventType::Eap {
                self.events.push_back(ErEvent::Wlan { ap: ap.id, event });
            }
        }
        Served::Reply(gena::status_response(200, "OK", &date))
    }

    /// The next thing to report.
    pub fn poll_event(&mut self) -> Option<ErEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) should run next (a renewal).
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.aps
            .iter()
            .filter_map(|a| match a.stage {
                Stage::Ready { renew_at, .. } => Some(renew_at),
                _ => None,
            })
            .min()
    }

    /// Renews the subscriptions that are due.
    pub fn handle_timeout(&mut self, now: Instant) {
        let mut due = Vec::new();
        for ap in &mut self.aps {
            if let Stage::Ready {
                sid,
                event,
                renew_at,
                ..
            } = &mut ap.stage
                && *renew_at <= now
            {
                *renew_at = Instant::MAX;
                due.push((ap.id, event.clone(), *sid));
            }
        }
        for (id, event, sid) in due {
            let bytes = Subscription::Renew {
                sid,
                timeout: Some(Timeout::Seconds(gena::REQUESTED_TIMEOUT)),
            }
            .to_http(&event);
            self.send(id, Purpose::Renew, event, bytes);
        }
    }

    /// Leaves every access point (`UNSUBSCRIBE`), as `wps_er_stop` does.
    pub fn stop(&mut self) {
        let subscribed: Vec<(ApId, HttpUrl, Uuid)> = self
            .aps
            .iter()
            .filter_map(|a| match &a.stage {
                Stage::Ready { event, sid, .. } => Some((a.id, event.clone(), *sid)),
                _ => None,
            })
            .collect();
        for (id, event, sid) in subscribed {
            let bytes = Subscription::Unsubscribe { sid }.to_http(&event);
            self.send(id, Purpose::Unsubscribe, event, bytes);
        }
        self.aps.clear();
    }
}
