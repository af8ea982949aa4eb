//! EAPOL over a Linux network interface: a raw AF_PACKET socket (through
//! `pnet_datalink`, so no `unsafe` here) that sends and receives Ethernet frames with
//! EtherType 0x888E. Needs root (or CAP_NET_RAW).
//!
//! The link opens as two halves, so the receiving half can live in its own thread.

use std::io;
use std::time::{Duration, Instant};

use pnet_datalink::{Channel, Config, DataLinkReceiver, DataLinkSender, NetworkInterface};
use wps::attr::MacAddr;
use wps::eap::{ETHERTYPE_EAPOL, PAE_GROUP_ADDR};

/// One received EAPOL frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EapolFrame {
    /// Ethernet source: whom to answer.
    pub src: MacAddr,
    /// The EAPOL PDU: header and body (may carry Ethernet padding at the end, which
    /// the library ignores).
    pub eapol: Vec<u8>,
}

/// The sending half.
pub struct Sender {
    mac: MacAddr,
    tx: Box<dyn DataLinkSender>,
}

/// The receiving half.
pub struct Receiver {
    mac: MacAddr,
    rx: Box<dyn DataLinkReceiver>,
}

/// How long one blocking read may take before the caller's deadline is looked at again.
const POLL_SLICE: Duration = Duration::from_millis(50);

/// Opens `iface` (e.g. `wpsx-ap0`). Promiscuous, so frames to the PAE group address
/// arrive without joining the multicast group.
pub fn open(iface: &str) -> io::Result<(Sender, Receiver)> {
    let interface = find(iface)?;
    let mac = interface
        .mac
        .map(|m| MacAddr(m.octets()))
        .ok_or_else(|| io::Error::other(format!("{iface} has no MAC address")))?;
    let config = Config {
        read_timeout: Some(POLL_SLICE),
        promiscuous: true,
        ..Config::default()
    };
    match pnet_datalink::channel(&interface, config)? {
        Channel::Ethernet(tx, rx) => Ok((Sender { mac, tx }, Receiver { mac, rx })),
        _ => Err(io::Error::other("not an Ethernet channel")),
    }
}

impl Sender {
    /// Our interface's MAC address.
    pub fn mac(&self) -> MacAddr {
        self.mac
    }

    /// Sends one EAPOL PDU to `dst` (a station, an authenticator, or the PAE group
    /// address).
    pub fn send(&mut self, dst: MacAddr, eapol: &[u8]) -> io::Result<()> {
        let mut frame = Vec::with_capacity(14 + eapol.len());
        frame.extend_from_slice(&dst.0);
        frame.extend_from_slice(&self.mac.0);
        frame.extend_from_slice(&ETHERTYPE_EAPOL.to_be_bytes());
        frame.extend_from_slice(eapol);
        self.tx
            .send_to(&frame, None)
            .unwrap_or_else(|| Err(io::Error::other("send_to gave no result")))
    }
}

impl Receiver {
    /// Waits up to `timeout` for an EAPOL frame addressed to us or to the PAE group;
    /// `None` on timeout. Our own transmissions and other traffic are skipped.
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

/// The EAPOL frame in an Ethernet frame, if it is one for `mac` and not from it.
fn accept(mac: MacAddr, frame: &[u8]) -> Option<EapolFrame> {
    let dst: [u8; 6] = frame.get(0..6)?.try_into().ok()?;
    let src: [u8; 6] = frame.get(6..12)?.try_into().ok()?;
    let ethertype = u16::from_be_bytes(frame.get(12..14)?.try_into().ok()?);
    let for_us = dst == mac.0 || dst == PAE_GROUP_ADDR;
    (ethertype == ETHERTYPE_EAPOL && src != mac.0 && for_us).then(|| EapolFrame {
        src: MacAddr(src),
        eapol: frame.get(14..).unwrap_or_default().to_vec(),
    })
}

fn find(iface: &str) -> io::Result<NetworkInterface> {
    pnet_datalink::interfaces()
        .into_iter()
        .find(|i| i.name == iface)
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, format!("no interface {iface}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ME: MacAddr = MacAddr([2, 0, 0, 0, 0x1a, 1]);
    const PEER: [u8; 6] = [2, 0, 0, 0, 0x1b, 1];

    fn frame(dst: [u8; 6], src: [u8; 6], ethertype: u16) -> Vec<u8> {
        let mut f = dst.to_vec();
        f.extend_from_slice(&src);
        f.extend_from_slice(&ethertype.to_be_bytes());
        f.extend_from_slice(&[2, 1, 0, 0]);
        f
    }

    #[test]
    fn takes_eapol_for_us_or_the_group_only() {
        let got = accept(ME, &frame(ME.0, PEER, ETHERTYPE_EAPOL)).unwrap();
        assert_eq!(got.src, MacAddr(PEER));
        assert_eq!(got.eapol, [2, 1, 0, 0]);
        assert!(accept(ME, &frame(PAE_GROUP_ADDR, PEER, ETHERTYPE_EAPOL)).is_some());
        assert!(accept(ME, &frame([2, 0, 0, 0, 0, 9], PEER, ETHERTYPE_EAPOL)).is_none());
        assert!(accept(ME, &frame(ME.0, ME.0, ETHERTYPE_EAPOL)).is_none());
        assert!(accept(ME, &frame(ME.0, PEER, 0x0800)).is_none());
        assert!(accept(ME, &[0; 13]).is_none());
    }
}
