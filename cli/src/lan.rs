//! The UPnP sockets `wps er` and `wps ap --upnp-iface` share: the interface's IPv4
//! address, SSDP datagrams, an HTTP server whose requests the library answers, and one
//! short HTTP exchange per request the library wants sent. Every reader runs in its own
//! thread and hands what it read to the main loop over a channel; the library decides
//! every answer.

use std::io::{Read, Write};
use std::net::{
    Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener, TcpStream, ToSocketAddrs, UdpSocket,
};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use wps::attr::MacAddr;
use wps::upnp::device::Served;
use wps::upnp::url::HttpUrl;

/// The SSDP group and port.
pub const SSDP_GROUP: Ipv4Addr = Ipv4Addr::new(239, 255, 255, 250);
pub const SSDP_PORT: u16 = 1900;

/// An interface's first IPv4 address, its prefix length, and its MAC address.
pub fn interface(name: &str) -> Result<(Ipv4Addr, u8, MacAddr), String> {
    let iface = pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == name)
        .ok_or("no such interface")?;
    let mac = iface
        .mac
        .map(|m| MacAddr(m.octets()))
        .ok_or("the interface has no MAC address")?;
    let (address, prefix) = iface
        .ips
        .iter()
        .find_map(|ip| match ip.ip() {
            std::net::IpAddr::V4(a) => Some((a, ip.prefix())),
            std::net::IpAddr::V6(_) => None,
        })
        .ok_or("the interface has no IPv4 address")?;
    Ok((address, prefix, mac))
}

/// The wall clock in seconds, for HTTP `DATE` headers.
pub fn unix_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// One HTTP exchange: connect to `to`'s host and port, send `request`, read the answer
/// until the peer closes (at most `max` bytes); every step within `timeout`.
pub fn exchange(
    to: &HttpUrl,
    request: &[u8],
    timeout: Duration,
    max: u64,
) -> std::io::Result<Vec<u8>> {
    let address: SocketAddr = to
        .host_port()
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| std::io::Error::other("the URL names no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;
    stream.write_all(request)?;
    let mut answer = Vec::new();
    stream.take(max).read_to_end(&mut answer)?;
    Ok(answer)
}

/// How a server hands a connection's bytes to the main loop: the peer's address, the
/// bytes so far, whether the peer closed (or the limit was reached), and where the
/// answer goes.
pub type Wrap<T> = fn(Ipv4Addr, Vec<u8>, bool, Responder) -> T;

/// Where the answer to a connection's bytes goes. The main loop writes it itself, so an
/// answer is on its way before anything the request caused (an access point's relay
/// sends the enrollee the registrar's message, and the enrollee's answer comes back to
/// the registrar as an event, which must not overtake this answer).
#[derive(Debug)]
pub struct Responder {
    stream: TcpStream,
    more: mpsc::Sender<bool>,
}

impl Responder {
    /// Writes a reply (the connection then closes), or lets the connection read more.
    pub fn answer(mut self, served: Served) {
        match served {
            Served::Reply(text) => {
                let _ = self.stream.write_all(text.as_bytes());
                let _ = self.more.send(false);
            }
            Served::NeedMore => {
                let _ = self.more.send(true);
            }
        }
    }
}

/// The limits of an HTTP server.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// How long a connection may stay quiet.
    pub timeout: Duration,
    /// The most bytes buffered from one connection.
    pub max_request: usize,
    /// The most connections served at once (more are closed at once).
    pub max_connections: usize,
}

/// An HTTP server: each connection in its own thread, its bytes to the main loop
/// (`wrap`) until the library has an answer, which is written before the connection
/// closes.
pub fn serve<T: Send + 'static>(
    listener: TcpListener,
    to: mpsc::Sender<T>,
    limits: Limits,
    wrap: Wrap<T>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            match stream {
                Ok(s) => {
                    if open.fetch_add(1, Ordering::SeqCst) >= limits.max_connections {
                        open.fetch_sub(1, Ordering::SeqCst);
                        eprintln!("HTTP server: too many connections; one closed");
                        continue;
                    }
                    let to = to.clone();
                    let open = Arc::clone(&open);
                    std::thread::spawn(move || {
                        serve_one(s, &to, limits, wrap);
                        open.fetch_sub(1, Ordering::SeqCst);
                    });
                }
                Err(e) => eprintln!("HTTP server: {e}"),
            }
        }
    });
}

fn serve_one<T>(mut stream: TcpStream, to: &mpsc::Sender<T>, limits: Limits, wrap: Wrap<T>) {
    let peer = match stream.peer_addr() {
        Ok(SocketAddr::V4(a)) => *a.ip(),
        _ => return,
    };
    if stream.set_read_timeout(Some(limits.timeout)).is_err()
        || stream.set_write_timeout(Some(limits.timeout)).is_err()
    {
        return;
    }
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let closed = match stream.read(&mut chunk) {
            Ok(0) | Err(_) => true,
            Ok(n) => {
                buf.extend_from_slice(chunk.get(..n).unwrap_or_default());
                buf.len() >= limits.max_request
            }
        };
        let Ok(writer) = stream.try_clone() else {
            return;
        };
        let (more, read_more) = mpsc::channel();
        let responder = Responder {
            stream: writer,
            more,
        };
        if to.send(wrap(peer, buf.clone(), closed, responder)).is_err() {
            return;
        }
        match read_more.recv() {
            Ok(true) if !closed => {}
            _ => return,
        }
    }
}

/// A UDP socket's datagrams, each as `wrap(from, bytes)`, in their own thread.
pub fn read_datagrams<T: Send + 'static>(
    socket: UdpSocket,
    to: mpsc::Sender<T>,
    wrap: fn(SocketAddrV4, Vec<u8>) -> T,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 2048];
        loop {
            match socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    let SocketAddr::V4(from) = from else { continue };
                    let bytes = buf.get(..n).unwrap_or_default().to_vec();
                    if to.send(wrap(from, bytes)).is_err() {
                        return;
                    }
                }
                Err(e) => {
                    eprintln!("SSDP socket: {e}");
                    return;
                }
            }
        }
    });
}
