//! The input of a scan: one Beacon or Probe Response, as the driver or a capture
//! delivers it, and the non-WPS elements the scan reads (SSID, channel, ciphers).

use crate::attr::MacAddr;
use crate::eap::element::{ELEMENT_ID_VENDOR, Element};

/// Which management frame the elements came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FrameKind {
    /// A Beacon: the AP's registrar state, rarely its device details.
    Beacon,
    /// A Probe Response: the registrar state and the device details (name,
    /// manufacturer, model, UUID-E).
    ProbeResponse,
}

/// One Beacon or Probe Response heard from an AP.
///
/// ```
/// use wps::attr::MacAddr;
/// use wps::scan::{Frame, FrameKind};
/// let elements = [0, 4, b'h', b'o', b'm', b'e', 3, 1, 6];
/// let frame = Frame::new(FrameKind::Beacon, MacAddr([2, 0, 0, 0, 0, 1]), &elements);
/// let frame = Frame { signal: Some(-47), ..frame };
/// assert_eq!(frame.signal, Some(-47));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Frame<'a> {
    /// Beacon or Probe Response.
    pub kind: FrameKind,
    /// The AP's BSSID (address 3 of the frame).
    pub bssid: MacAddr,
    /// The Capability Information field, when known (its Privacy bit says WEP when no
    /// RSN or WPA element is present).
    pub capability: Option<u16>,
    /// The frame's elements (after the fixed fields): SSID, DS Parameter Set, RSN, the
    /// WPS vendor elements, …
    pub elements: &'a [u8],
    /// Received signal strength in dBm, when the driver or capture reports it.
    pub signal: Option<i8>,
}

/// Why bytes are not a Beacon or Probe Response [`Frame`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// Shorter than the 802.11 header and the fixed fields.
    #[error("frame too short for a Beacon or Probe Response ({len} bytes)")]
    TooShort {
        /// Its length.
        len: usize,
    },
    /// Another frame type or subtype.
    #[error("not a Beacon or Probe Response (frame control {frame_control:#06x})")]
    NotBeaconOrProbeResponse {
        /// The Frame Control field, as read (little-endian).
        frame_control: u16,
    },
}

/// 802.11 management header: Frame Control, Duration, three addresses, Sequence Control.
const MGMT_HEADER_LEN: usize = 24;
/// Beacon / Probe Response fixed fields: Timestamp, Beacon Interval, Capability.
const FIXED_FIELDS_LEN: usize = 12;
/// The Privacy bit of the Capability Information field.
pub(crate) const CAPABILITY_PRIVACY: u16 = 0x0010;

impl<'a> Frame<'a> {
    /// A frame of `kind` from `bssid` with these elements, signal and capability unknown.
    pub fn new(kind: FrameKind, bssid: MacAddr, elements: &'a [u8]) -> Self {
        Frame {
            kind,
            bssid,
            capability: None,
            elements,
            signal: None,
        }
    }

    /// Reads a whole 802.11 management frame (header, fixed fields, elements; no FCS):
    /// Beacons and Probe Responses only. The BSSID is address 3; an HT Control field
    /// (Order bit set) is skipped.
    ///
    /// ```
    /// use wps::scan::{Frame, FrameKind};
    /// let mut beacon = vec![0x80, 0, 0, 0];
    /// beacon.extend_from_slice(&[0xff; 6]); // destination
    /// beacon.extend_from_slice(&[2, 0, 0, 0, 0, 1]); // source
    /// beacon.extend_from_slice(&[2, 0, 0, 0, 0, 1]); // BSSID
    /// beacon.extend_from_slice(&[0; 2]); // sequence
    /// beacon.extend_from_slice(&[0; 10]); // timestamp, interval
    /// beacon.extend_from_slice(&[0x11, 0x04]); // capability: ESS, Privacy
    /// beacon.extend_from_slice(&[0, 1, b'x']); // SSID "x"
    /// let frame = Frame::parse_mgmt(&beacon)?;
    /// assert_eq!(frame.kind, FrameKind::Beacon);
    /// assert_eq!(frame.bssid.to_string(), "02:00:00:00:00:01");
    /// assert_eq!(frame.capability, Some(0x0411));
    /// assert_eq!(frame.elements, [0, 1, b'x']);
    /// # Ok::<(), wps::scan::FrameError>(())
    /// ```
    pub fn parse_mgmt(frame: &'a [u8]) -> Result<Self, FrameError> {
        let too_short = FrameError::TooShort { len: frame.len() };
        let (header, rest) = frame
            .split_first_chunk::<MGMT_HEADER_LEN>()
            .ok_or(too_short)?;
        let [fc0, fc1, ..] = *header;
        let frame_control = u16::from_le_bytes([fc0, fc1]);
        // Type 0 (management), subtype 8 (Beacon) or 5 (Probe Response).
        let kind = match fc0 & 0xfc {
            0x80 => FrameKind::Beacon,
            0x50 => FrameKind::ProbeResponse,
            _ => return Err(FrameError::NotBeaconOrProbeResponse { frame_control }),
        };
        let bssid = header
            .get(16..22)
            .and_then(MacAddr::from_slice)
            .ok_or(too_short)?;
        // +HTC: a 4-byte HT Control field follows the header when the Order bit is set.
        let body = if fc1 & 0x80 != 0 {
            rest.get(4..).ok_or(too_short)?
        } else {
            rest
        };
        let (fixed, elements) = body
            .split_first_chunk::<FIXED_FIELDS_LEN>()
            .ok_or(too_short)?;
        let [.., c0, c1] = *fixed;
        Ok(Frame {
            kind,
            bssid,
            capability: Some(u16::from_le_bytes([c0, c1])),
            elements,
            signal: None,
        })
    }
}

/// Element IDs the scan reads besides the WPS vendor elements.
const ELEMENT_SSID: u8 = 0;
const ELEMENT_DS_PARAMETER_SET: u8 = 3;
const ELEMENT_RSN: u8 = 48;
const ELEMENT_HT_OPERATION: u8 = 61;
/// Microsoft OUI, type 1: the WPA (version 1) element.
const WPA_OUI_TYPE: [u8; 4] = [0x00, 0x50, 0xf2, 0x01];

/// What the non-WPS elements of one frame say, gathered in the same walk as the WPS
/// elements.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Radio<'a> {
    pub(crate) ssid: Option<&'a [u8]>,
    pub(crate) channel: Option<u8>,
    pub(crate) ciphers: Ciphers,
}

/// The pairwise ciphers an RSN or WPA element offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Ciphers {
    /// An RSN or WPA element was present.
    pub(crate) rsn_or_wpa: bool,
    pub(crate) wep: bool,
    pub(crate) tkip: bool,
    /// CCMP or GCMP (128 or 256).
    pub(crate) strong: bool,
}

impl<'a> Radio<'a> {
    /// Reads one element into `self` (elements the scan does not use are skipped).
    #[inline]
    pub(crate) fn read(&mut self, e: &Element<'a>) {
        match e.id {
            ELEMENT_SSID => self.ssid = Some(e.data),
            ELEMENT_DS_PARAMETER_SET => {
                if let [channel] = *e.data {
                    self.channel = Some(channel);
                }
            }
            // The primary channel: 5 GHz Beacons have no DS Parameter Set.
            ELEMENT_HT_OPERATION if self.channel.is_none() => {
                self.channel = e.data.first().copied();
            }
            // Version (2), group cipher suite (4), then the pairwise suites.
            ELEMENT_RSN => self
                .ciphers
                .read_suites(e.data.get(6..).unwrap_or_default()),
            ELEMENT_ID_VENDOR => {
                if let Some(wpa) = e.data.strip_prefix(&WPA_OUI_TYPE[..]) {
                    self.ciphers.read_suites(wpa.get(6..).unwrap_or_default());
                }
            }
            _ => {}
        }
    }
}

impl Ciphers {
    /// Reads a Pairwise Cipher Suite Count (little-endian) and the suites after it.
    fn read_suites(&mut self, list: &[u8]) {
        self.rsn_or_wpa = true;
        let Some(([c0, c1], suites)) = list.split_first_chunk::<2>().map(|(c, s)| (*c, s)) else {
            return;
        };
        let count = usize::from(u16::from_le_bytes([c0, c1]));
        for suite in suites.chunks_exact(4).take(count) {
            // OUI 00-0F-AC (RSN) or 00-50-F2 (WPA), then the suite type.
            match suite.get(3) {
                Some(1 | 5) => self.wep = true,
                Some(2) => self.tkip = true,
                Some(4 | 8 | 9 | 10) => self.strong = true,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_mgmt_refuses_other_frames_and_short_ones() {
        let mut probe_req = [0u8; 40];
        probe_req[0] = 0x40;
        assert_eq!(
            Frame::parse_mgmt(&probe_req),
            Err(FrameError::NotBeaconOrProbeResponse {
                frame_control: 0x0040
            })
        );
        assert_eq!(
            Frame::parse_mgmt(&[0x80; 30]),
            Err(FrameError::TooShort { len: 30 })
        );
        let mut htc = [0u8; 40];
        htc[0] = 0x50;
        htc[1] = 0x80;
        let f = Frame::parse_mgmt(&htc);
        assert_eq!(
            f.map(|f| (f.kind, f.elements.len())),
            Ok((FrameKind::ProbeResponse, 0))
        );
        assert!(Frame::parse_mgmt(&htc[..39]).is_err());
    }

    #[test]
    fn ciphers_from_rsn_and_wpa() {
        let mut r = Radio::default();
        // RSN: version 1, group CCMP, 2 pairwise: TKIP, CCMP.
        let rsn = [
            1, 0, 0, 0x0f, 0xac, 4, 2, 0, 0, 0x0f, 0xac, 2, 0, 0x0f, 0xac, 4,
        ];
        r.read(&Element { id: 48, data: &rsn });
        assert!(r.ciphers.rsn_or_wpa && r.ciphers.tkip && r.ciphers.strong && !r.ciphers.wep);
        let mut w = Radio::default();
        let wpa = [
            0, 0x50, 0xf2, 1, 1, 0, 0, 0x50, 0xf2, 2, 1, 0, 0, 0x50, 0xf2, 2,
        ];
        w.read(&Element {
            id: 221,
            data: &wpa,
        });
        assert!(w.ciphers.tkip && !w.ciphers.strong);
        w.read(&Element { id: 3, data: &[11] });
        w.read(&Element {
            id: 61,
            data: &[36, 0],
        });
        assert_eq!(w.channel, Some(11));
    }
}
