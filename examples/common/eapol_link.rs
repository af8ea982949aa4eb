//! EAPOL over a Linux network interface, for the example programs: a raw
//! AF_PACKET socket (through `pnet_datalink`, so no `unsafe` here) that
//! sends and receives Ethernet frames with EtherType 0x888E.
//!
//! Include it with `#[path = "common/eapol_link.rs"] mod eapol_link;`.
//! Needs root (or CAP_NET_RAW).

// Each example uses a different part of this module.
#![allow(dead_code)]

use std::io;
use std::time::{Duration, Instant};

use pnet_datalink::{Channel, Config, DataLinkReceiver, DataLinkSender, NetworkInterface};
use wps::eap::{ETHERTYPE_EAPOL, PAE_GROUP_ADDR};

/// A MAC address.
pub type Mac = [u8; 6];

/// One received EAPOL frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EapolFrame {
    /// Ethernet source: whom to answer (the authenticator answers unicast).
    pub src: Mac,
    /// Ethernet destination (our address or the PAE group address).
    pub dst: Mac,
    /// The EAPOL PDU: header and body (may carry Ethernet padding at the end;
    /// `wps::eap::EapolPacket::parse` ignores it).
    pub eapol: Vec<u8>,
}

/// An interface opened for EAPOL.
pub struct EapolLink {
    mac: Mac,
    tx: Box<dyn DataLinkSender>,
    rx: Box<dyn DataLinkReceiver>,
}

/// How long one blocking read may take before we look at the clock again.
const POLL_SLICE: Duration = Duration::from_millis(50);

impl EapolLink {
    /// Open `iface` (e.g. `wpsi-sta0`). Promiscuous, so frames to the PAE
    /// group address arrive without joining the multicast group.
    pub fn open(iface: &str) -> io::Result<Self> {
        let interface = find(iface)?;
        let mac = interface
            .mac
            .map(|m| m.octets())
            .ok_or_else(|| io::Error::other(format!("{iface} has no MAC address")))?;
        let config = Config {
            read_timeout: Some(POLL_SLICE),
            promiscuous: true,
            ..Config::default()
        };
        match pnet_datalink::channel(&interface, config)? {
            Channel::Ethernet(tx, rx) => Ok(EapolLink { mac, tx, rx }),
            _ => Err(io::Error::other("not an Ethernet channel")),
        }
    }

    /// Our interface's MAC address.
    pub fn mac(&self) -> Mac {
        self.mac
    }

    /// Send one EAPOL PDU to `dst` ([`PAE_GROUP_ADDR`] for a station,
    /// the station's address for an authenticator).
    pub fn send(&mut self, dst: Mac, eapol: &[u8]) -> io::Result<()> {
        let mut frame = Vec::with_capacity(14 + eapol.len());
        frame.extend_from_slice(&dst);
        frame.extend_from_slice(&self.mac);
        frame.extend_from_slice(&ETHERTYPE_EAPOL.to_be_bytes());
        frame.extend_from_slice(eapol);
        self.tx
            .send_to(&frame, None)
            .unwrap_or_else(|| Err(io::Error::other("send_to gave no result")))
    }

    /// Send to the PAE group address, as wpa_supplicant does on a wired link.
    pub fn send_to_group(&mut self, eapol: &[u8]) -> io::Result<()> {
        self.send(PAE_GROUP_ADDR, eapol)
    }

    /// Wait up to `timeout` for an EAPOL frame addressed to us or to the PAE
    /// group; `None` on timeout. Our own transmissions and other traffic are skipped.
    pub fn recv(&mut self, timeout: Duration) -> io::Result<Option<EapolFrame>> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.rx.next() {
                Ok(frame) => {
                    if let Some(f) = accept(self.mac, frame) {
                        return Ok(Some(f));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {}
                Err(e) => return Err(e),
            }
            if Instant::now() >= deadline {
                return Ok(None);
            }
        }
    }
}

fn accept(mac: Mac, frame: &[u8]) -> Option<EapolFrame> {
    let dst: Mac = frame.get(0..6)?.try_into().ok()?;
    let src: Mac = frame.get(6..12)?.try_into().ok()?;
    let ethertype = u16::from_be_bytes(frame.get(12..14)?.try_into().ok()?);
    let for_us = dst == mac || dst == PAE_GROUP_ADDR;
    (ethertype == ETHERTYPE_EAPOL && src != mac && for_us).then(|| EapolFrame {
        src,
        dst,
        eapol: frame.get(14..).unwrap_or_default().to_vec(),
    })
}

fn find(iface: &str) -> io::Result<NetworkInterface> {
    pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == iface)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no interface {iface}")))
}

/// The MAC address of `iface`.
pub fn interface_mac(iface: &str) -> io::Result<Mac> {
    find(iface)?
        .mac
        .map(|m| m.octets())
        .ok_or_else(|| io::Error::other(format!("{iface} has no MAC address")))
}

/// "aa:bb:cc:dd:ee:ff"
pub fn format_mac(mac: &Mac) -> String {
    mac.iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(":")
}
