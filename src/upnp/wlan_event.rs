//! The `WLANEvent` payload an access point sends its external registrars (base64 in the
//! event's `<WLANEvent>`): one type byte, the enrollee's MAC address as 17 characters
//! (`02:00:00:00:5b:01`, lowercase), then the WSC data — a message relayed from the
//! enrollee's EAP, or the attributes of its Probe Request's WPS IE.

use alloc::string::String;
use alloc::vec::Vec;

use crate::attr::MacAddr;

use super::{UpnpError, base64};

/// What a [`WlanEvent`] carries (the `WLANEventType` state variable).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WlanEventType {
    /// 1: a Probe Request's WPS attributes.
    ProbeRequest,
    /// 2: a WSC message from the enrollee's EAP conversation.
    Eap,
    /// Any other value, kept.
    Other(u8),
}

impl From<u8> for WlanEventType {
    fn from(v: u8) -> Self {
        match v {
            1 => WlanEventType::ProbeRequest,
            2 => WlanEventType::Eap,
            v => WlanEventType::Other(v),
        }
    }
}

impl From<WlanEventType> for u8 {
    fn from(t: WlanEventType) -> u8 {
        match t {
            WlanEventType::ProbeRequest => 1,
            WlanEventType::Eap => 2,
            WlanEventType::Other(v) => v,
        }
    }
}

/// One `WLANEvent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WlanEvent {
    /// What `data` is.
    pub kind: WlanEventType,
    /// The enrollee.
    pub mac: MacAddr,
    /// The WSC message or Probe Request attributes.
    pub data: Vec<u8>,
}

/// Bytes before the WSC data: type and MAC.
pub const HEADER_LEN: usize = 18;

impl WlanEvent {
    /// The payload bytes (before base64).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(HEADER_LEN.saturating_add(self.data.len()));
        out.push(u8::from(self.kind));
        out.extend_from_slice(mac_text(self.mac).as_bytes());
        out.extend_from_slice(&self.data);
        out
    }

    /// Reads the payload bytes. The MAC may be written in either case.
    pub fn parse(bytes: &[u8]) -> Result<Self, UpnpError> {
        let (&kind, rest) = bytes
            .split_first()
            .ok_or(UpnpError::Invalid("WLANEvent (empty)"))?;
        let text = rest
            .get(..17)
            .ok_or(UpnpError::Invalid("WLANEvent (too short)"))?;
        let mac = parse_mac(text).ok_or(UpnpError::Invalid("WLANEvent MAC address"))?;
        Ok(WlanEvent {
            kind: WlanEventType::from(kind),
            mac,
            data: Vec::from(rest.get(17..).unwrap_or(&[])),
        })
    }

    /// The base64 text of the payload, wrapped as hostapd writes it.
    pub fn to_base64(&self) -> String {
        base64::encode_wrapped(&self.to_bytes())
    }

    /// Reads base64 text (whitespace ignored).
    pub fn from_base64(text: &str) -> Result<Self, UpnpError> {
        Self::parse(&base64::decode(text.as_bytes())?)
    }
}

/// `02:00:00:00:5b:01`: the MAC as hostapd writes it in `WLANEvent` and `NewWLANEventMAC`.
pub fn mac_text(mac: MacAddr) -> String {
    alloc::format!("{mac}")
}

/// Reads `xx:xx:xx:xx:xx:xx` (hex digits in either case); exactly 17 characters.
pub fn parse_mac(text: &[u8]) -> Option<MacAddr> {
    if text.len() != 17 {
        return None;
    }
    let mut mac = [0u8; 6];
    for (i, (slot, part)) in mac.iter_mut().zip(text.split(|&b| b == b':')).enumerate() {
        let _ = i;
        let [hi, lo] = <[u8; 2]>::try_from(part).ok()?;
        let digit = |c: u8| char::from(c).to_digit(16);
        let value = digit(hi)?.checked_mul(16)?.checked_add(digit(lo)?)?;
        *slot = u8::try_from(value).ok()?;
    }
    if text.iter().filter(|&&b| b == b':').count() != 5 {
        return None;
    }
    Some(MacAddr(mac))
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    #[test]
    fn initial_event_of_the_capture() {
        // hostapd's first event to a new subscriber: a dummy WSC_ACK from 00:00:…:00.
        let text = "AjAwOjAwOjAwOjAwOjAwOjAwEEoAARAQIgABDRAaABAAAAAAAAAAAAAAAAAAAAAAEDkAEAAA\n\
                    AAAAAAAAAAAAAAAAAAAQSQAGADcqAAEg\n";
        let event = WlanEvent::from_base64(text).unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(event.kind, WlanEventType::Eap);
        assert_eq!(event.mac, MacAddr([0; 6]));
        assert_eq!(event.data.len(), 60);
        assert_eq!(event.to_base64(), text);
    }

    #[test]
    fn bad_payloads() {
        assert!(WlanEvent::parse(b"").is_err());
        assert!(WlanEvent::parse(b"\x0202:00:00:00:5b").is_err());
        assert!(WlanEvent::parse(b"\x0202-00:00:00:5b:01").is_err());
        assert!(WlanEvent::parse(b"\x0202:00:00:00:5b:0g").is_err());
        assert!(WlanEvent::parse(b"\x02+2:00:00:00:5b:01").is_err());
        assert_eq!(
            WlanEvent::parse(b"\x0102:00:00:00:5B:01").map(|e| e.mac),
            Ok(MacAddr([2, 0, 0, 0, 0x5b, 1]))
        );
    }

    proptest! {
        #[test]
        fn round_trip(kind: u8, mac: [u8; 6], data in proptest::collection::vec(any::<u8>(), 0..300)) {
            let e = WlanEvent { kind: WlanEventType::from(kind), mac: MacAddr(mac), data };
            prop_assert_eq!(WlanEvent::parse(&e.to_bytes()), Ok(e.clone()));
            prop_assert_eq!(WlanEvent::from_base64(&e.to_base64()), Ok(e));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..40)) {
            let _ = WlanEvent::parse(&bytes);
        }
    }
}
