//! `wps ap --upnp-iface IF`: the access point's UPnP device on a LAN interface, for a
//! PC (external registrar) that reads or reconfigures it with the AP PIN and registers
//! enrollees through it. I/O only: the SSDP sockets (UDP 1900, joined to
//! 239.255.255.250 on the interface; announcements from the interface's address), the
//! HTTP server on the interface's address, port
//! 49152 (one thread per connection, at most [`MAX_CONNECTIONS`], each quiet at most
//! [`CONNECTION_TIMEOUT`], at most [`MAX_REQUEST`] bytes buffered), and one short
//! connection per event `NOTIFY`. `UpnpDevice` and `AccessPoint` decide everything.

use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, UdpSocket};
use std::sync::mpsc;
use std::time::Duration;

use wps::ap::AccessPoint;
use wps::registration::DeviceInfo;
use wps::time::Instant;
use wps::upnp::description::DeviceDescription;
use wps::upnp::device::{Destination, DeviceConfig, DeviceEvent, UpnpDevice};
use wps::upnp::http::Message;

use super::Input;
use crate::lan::{self, Limits, Responder, SSDP_GROUP, SSDP_PORT, unix_seconds};

/// How long a connection to our HTTP server may stay quiet.
const CONNECTION_TIMEOUT: Duration = Duration::from_secs(5);
/// The most bytes buffered from one connection (the library refuses more than its
/// bounds with 413 before that).
const MAX_REQUEST: usize = 64 * 1024;
/// The most connections served at once.
const MAX_CONNECTIONS: usize = 16;
/// How long one event delivery may take (connect, send, answer).
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(5);
/// The largest answer read from a subscriber.
const MAX_ANSWER: u64 = 16 * 1024;

/// The device and its SSDP sockets.
pub struct Lan {
    device: UpnpDevice<rand::rngs::ThreadRng>,
    /// Port 1900 in the group: searches in, their answers out.
    ssdp: UdpSocket,
    /// Bound to the interface's address: Linux sends multicast from a bound address
    /// out of the interface that has it, so announcements need no route (a router's
    /// default route leads elsewhere).
    announcer: UdpSocket,
}

impl Lan {
    /// Opens the sockets on `iface` and starts their reader threads.
    pub fn open(
        iface: &str,
        who: &DeviceInfo,
        inputs: &mpsc::Sender<Input>,
        now: Instant,
    ) -> Result<Lan, String> {
        let (address, prefix, _) = lan::interface(iface)?;
        let config = DeviceConfig::new(DeviceDescription::of_device(who), address, prefix);
        let port = config.port;
        let sockets = (|| -> std::io::Result<_> {
            let ssdp = UdpSocket::bind(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, SSDP_PORT))?;
            ssdp.join_multicast_v4(&SSDP_GROUP, &address)?;
            let announcer = UdpSocket::bind(SocketAddrV4::new(address, 0))?;
            announcer.set_multicast_ttl_v4(2)?;
            let listener = TcpListener::bind(SocketAddrV4::new(address, port))?;
            Ok((ssdp, announcer, listener))
        })();
        let (ssdp, announcer, listener) = sockets.map_err(|e| format!("{address}: {e}"))?;
        let reader = ssdp.try_clone().map_err(|e| e.to_string())?;
        lan::read_datagrams(reader, inputs.clone(), datagram);
        let limits = Limits {
            timeout: CONNECTION_TIMEOUT,
            max_request: MAX_REQUEST,
            max_connections: MAX_CONNECTIONS,
        };
        lan::serve(listener, inputs.clone(), limits, request);
        eprintln!("UPnP on {iface}: {address}/{prefix}, {}", config.location());
        Ok(Lan {
            device: UpnpDevice::new(config, rand::rng(), now),
            ssdp,
            announcer,
        })
    }

    /// When the device's timers run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.device.poll_timeout()
    }

    /// Runs the device's timers.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.device.poll_timeout().is_some_and(|t| t <= now) {
            self.device.handle_timeout(now);
        }
    }

    /// One of our inputs; it comes back when it is not ours.
    pub fn handle<R: rand::CryptoRng>(
        &mut self,
        input: Input,
        ap: &mut AccessPoint<R>,
        now: Instant,
    ) -> Option<Input> {
        match input {
            Input::Datagram { from, bytes } => self.device.handle_datagram(from, &bytes, now),
            Input::Request {
                from,
                buf,
                closed,
                reply,
            } => {
                let unix = unix_seconds();
                reply.answer(
                    self.device
                        .handle_request(from, &buf, closed, now, unix, ap),
                );
            }
            Input::Delivered { sid, ok } => self.device.delivery_result(sid, ok, now),
            other => return Some(other),
        }
        None
    }

    /// Joins the access point and the device, sends the datagrams due, starts the event
    /// deliveries and logs the subscriptions.
    pub fn flush<R: rand::CryptoRng>(
        &mut self,
        ap: &mut AccessPoint<R>,
        inputs: &mpsc::Sender<Input>,
        now: Instant,
    ) {
        ap.sync_upnp(&mut self.device);
        while let Some(d) = self.device.poll_datagram(now, unix_seconds()) {
            let (socket, to) = match d.to {
                Destination::Multicast => {
                    (&self.announcer, SocketAddrV4::new(SSDP_GROUP, SSDP_PORT))
                }
                Destination::Unicast(to) => (&self.ssdp, to),
            };
            if let Err(e) = socket.send_to(d.bytes.as_bytes(), to) {
                eprintln!("SSDP to {to}: {e}");
            }
        }
        while let Some(n) = self.device.poll_delivery() {
            let to = inputs.clone();
            std::thread::spawn(move || {
                let answer =
                    lan::exchange(&n.to, n.request.as_bytes(), DELIVERY_TIMEOUT, MAX_ANSWER);
                let ok = answer.as_deref().is_ok_and(|a| {
                    matches!(Message::parse(a, true), Ok(Some((m, _))) if m.status().is_some_and(|s| (200..300).contains(&s)))
                });
                let _ = to.send(Input::Delivered { sid: n.sid, ok });
            });
        }
        while let Some(e) = self.device.poll_event() {
            match e {
                DeviceEvent::Subscribed { sid, from } => {
                    eprintln!("UPnP: {from} subscribed (SID uuid:{sid})");
                }
                DeviceEvent::Unsubscribed { sid } => {
                    eprintln!("UPnP: subscription uuid:{sid} ended");
                }
                other => eprintln!("UPnP: {other:?}"),
            }
        }
    }

    /// `ssdp:byebye` before leaving.
    pub fn shut_down(&mut self, now: Instant) {
        self.device.shut_down(now);
    }
}

fn datagram(from: SocketAddrV4, bytes: Vec<u8>) -> Input {
    Input::Datagram { from, bytes }
}

fn request(from: Ipv4Addr, buf: Vec<u8>, closed: bool, reply: Responder) -> Input {
    Input::Request {
        from,
        buf,
        closed,
        reply,
    }
}
