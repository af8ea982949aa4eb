//! Reading 802.11 management frames out of a capture file: classic pcap (either byte
//! order, micro- or nanosecond timestamps) and pcapng, link types 105 (802.11) and 127
//! (radiotap: signal, channel, FCS flag).

use wps::time::Instant;

/// Link type 105: 802.11 frames, no radio header.
const LINKTYPE_IEEE802_11: u32 = 105;
/// Link type 127: a radiotap header, then the 802.11 frame.
const LINKTYPE_RADIOTAP: u32 = 127;

/// One 802.11 frame from the capture, with what the radio header said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Captured<'a> {
    /// Capture time (milliseconds of the capture's clock).
    pub at: Instant,
    /// The 802.11 frame, FCS removed.
    pub frame: &'a [u8],
    /// Signal in dBm (radiotap).
    pub signal: Option<i8>,
    /// Channel from the radiotap frequency.
    pub channel: Option<u8>,
}

/// Why a capture could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaptureError {
    /// Neither a pcap nor a pcapng file.
    NotACapture,
    /// A link type other than 105 or 127.
    LinkType(u32),
    /// A record runs past the end of the file.
    Truncated {
        /// Where the record starts.
        offset: usize,
    },
}

impl std::fmt::Display for CaptureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CaptureError::NotACapture => f.write_str("not a pcap or pcapng capture"),
            CaptureError::LinkType(l) => write!(
                f,
                "link type {l} is not 802.11 (105) or radiotap (127); capture in monitor mode"
            ),
            CaptureError::Truncated { offset } => {
                write!(f, "the capture is cut short (record at byte {offset})")
            }
        }
    }
}

/// The `N` bytes at `at`, in big-endian order (turned round when `le`).
fn be_bytes_at<const N: usize>(b: &[u8], at: usize, le: bool) -> Option<[u8; N]> {
    let mut a: [u8; N] = b.get(at..at.checked_add(N)?)?.try_into().ok()?;
    if le {
        a.reverse();
    }
    Some(a)
}

fn u16_at(b: &[u8], at: usize, le: bool) -> Option<u16> {
    be_bytes_at(b, at, le).map(u16::from_be_bytes)
}

fn u32_at(b: &[u8], at: usize, le: bool) -> Option<u32> {
    be_bytes_at(b, at, le).map(u32::from_be_bytes)
}

/// Every 802.11 frame of `bytes` (a whole capture file), in order. A damaged last
/// record ends the list with an error only if no frame came before it.
pub fn frames(bytes: &[u8]) -> Result<Vec<Captured<'_>>, CaptureError> {
    match u32_at(bytes, 0, true) {
        Some(0xa1b2_c3d4 | 0xa1b2_3c4d | 0xd4c3_b2a1 | 0x4d3c_b2a1) => pcap(bytes),
        Some(0x0a0d_0d0a) => pcapng(bytes),
        _ => Err(CaptureError::NotACapture),
    }
}

fn pcap(bytes: &[u8]) -> Result<Vec<Captured<'_>>, CaptureError> {
    let magic = u32_at(bytes, 0, true).ok_or(CaptureError::NotACapture)?;
    let le = matches!(magic, 0xa1b2_c3d4 | 0xa1b2_3c4d);
    let nanos = matches!(magic, 0xa1b2_3c4d | 0x4d3c_b2a1);
    let linktype = u32_at(bytes, 20, le).ok_or(CaptureError::NotACapture)? & 0x0fff_ffff;
    check_linktype(linktype)?;
    let mut out = Vec::new();
    let mut at = 24usize;
    while at < bytes.len() {
        let truncated = CaptureError::Truncated { offset: at };
        let (Some(secs), Some(frac), Some(incl)) = (
            u32_at(bytes, at, le),
            u32_at(bytes, at + 4, le),
            u32_at(bytes, at + 8, le),
        ) else {
            return finish(out, truncated);
        };
        let start = at + 16;
        let Some(data) = bytes.get(start..start.saturating_add(incl as usize)) else {
            return finish(out, truncated);
        };
        let millis =
            u64::from(secs) * 1000 + u64::from(frac) / if nanos { 1_000_000 } else { 1000 };
        if let Some(c) = decode(linktype, data, Instant::from_millis(millis)) {
            out.push(c);
        }
        at = start + data.len();
    }
    Ok(out)
}

fn pcapng(bytes: &[u8]) -> Result<Vec<Captured<'_>>, CaptureError> {
    // The byte-order magic of the Section Header Block says the order of its section.
    let mut le = true;
    let mut interfaces: Vec<(u32, u64)> = Vec::new(); // link type, units per second
    let mut out = Vec::new();
    let mut at = 0usize;
    while at < bytes.len() {
        let truncated = CaptureError::Truncated { offset: at };
        let Some(block_type) = u32_at(bytes, at, le) else {
            return finish(out, truncated);
        };
        if block_type == 0x0a0d_0d0a {
            le = match u32_at(bytes, at + 8, true) {
                Some(0x1a2b_3c4d) => true,
                Some(0x4d3c_2b1a) => false,
                _ => return finish(out, CaptureError::NotACapture),
            };
            interfaces.clear();
        }
        let Some(len) = u32_at(bytes, at + 4, le).map(|l| l as usize) else {
            return finish(out, truncated);
        };
        let Some(block) = bytes.get(at..at.saturating_add(len)).filter(|_| len >= 12) else {
            return finish(out, truncated);
        };
        match block_type {
            // Interface Description Block: link type, then options (if_tsresol).
            1 => {
                let linktype = u32::from(u16_at(block, 8, le).unwrap_or(0));
                interfaces.push((linktype, tsresol(block, le)));
            }
            // Enhanced Packet Block.
            6 => {
                let (Some(iface), Some(hi), Some(lo), Some(incl)) = (
                    u32_at(block, 8, le),
                    u32_at(block, 12, le),
                    u32_at(block, 16, le),
                    u32_at(block, 20, le),
                ) else {
                    return finish(out, truncated);
                };
                let Some(&(linktype, per_sec)) = interfaces.get(iface as usize) else {
                    return finish(out, truncated);
                };
                check_linktype(linktype)?;
                let Some(data) = block.get(28..28usize.saturating_add(incl as usize)) else {
                    return finish(out, truncated);
                };
                let ts = (u64::from(hi) << 32) | u64::from(lo);
                let millis = (u128::from(ts) * 1000 / u128::from(per_sec.max(1))) as u64;
                if let Some(c) = decode(linktype, data, Instant::from_millis(millis)) {
                    out.push(c);
                }
            }
            _ => {}
        }
        at += len;
    }
    Ok(out)
}

/// if_tsresol of an Interface Description Block: units per second (default 10^6).
fn tsresol(block: &[u8], le: bool) -> u64 {
    let mut at = 16;
    while let (Some(code), Some(len)) = (u16_at(block, at, le), u16_at(block, at + 2, le)) {
        if code == 0 {
            break;
        }
        if code == 9
            && let Some(&r) = block.get(at + 4)
        {
            let exp = u32::from(r & 0x7f).min(18);
            return if r & 0x80 != 0 {
                1u64 << exp.min(63)
            } else {
                10u64.pow(exp)
            };
        }
        at += 4 + usize::from(len).div_ceil(4) * 4;
    }
    1_000_000
}

fn check_linktype(linktype: u32) -> Result<(), CaptureError> {
    match linktype {
        LINKTYPE_IEEE802_11 | LINKTYPE_RADIOTAP => Ok(()),
        other => Err(CaptureError::LinkType(other)),
    }
}

/// The frames read so far, or `err` when there are none.
fn finish(out: Vec<Captured<'_>>, err: CaptureError) -> Result<Vec<Captured<'_>>, CaptureError> {
    if out.is_empty() { Err(err) } else { Ok(out) }
}

/// One record's 802.11 frame (`None`: a radiotap header that does not parse, or a frame
/// the radio marked as failing its FCS).
fn decode(linktype: u32, data: &[u8], at: Instant) -> Option<Captured<'_>> {
    if linktype == LINKTYPE_IEEE802_11 {
        return Some(Captured {
            at,
            frame: data,
            signal: None,
            channel: None,
        });
    }
    let rt = radiotap(data)?;
    let frame = data.get(rt.len..)?;
    let frame = if rt.fcs {
        frame.get(..frame.len().checked_sub(4)?)?
    } else {
        frame
    };
    if rt.bad_fcs {
        return None;
    }
    Some(Captured {
        at,
        frame,
        signal: rt.signal,
        channel: rt.channel,
    })
}

struct Radiotap {
    len: usize,
    fcs: bool,
    bad_fcs: bool,
    signal: Option<i8>,
    channel: Option<u8>,
}

/// The radiotap fields the scan uses: Flags (bit 1), Channel (bit 3), Antenna Signal
/// in dBm (bit 5), read with radiotap's natural alignment from the header's start.
fn radiotap(data: &[u8]) -> Option<Radiotap> {
    let len = usize::from(u16_at(data, 2, true)?);
    if data.first() != Some(&0) || len < 8 || len > data.len() {
        return None;
    }
    let present = u32_at(data, 4, true)?;
    // Extra present words (bit 31 chains them) come before the fields.
    let mut at = 8;
    let mut word = present;
    while word & 0x8000_0000 != 0 {
        word = u32_at(data, at, true)?;
        at += 4;
    }
    let mut rt = Radiotap {
        len,
        fcs: false,
        bad_fcs: false,
        signal: None,
        channel: None,
    };
    // (bit, size, alignment) of fields 0..=5.
    const FIELDS: [(u32, usize, usize); 6] = [
        (0, 8, 8),
        (1, 1, 1),
        (2, 1, 1),
        (3, 4, 2),
        (4, 2, 1),
        (5, 1, 1),
    ];
    for (bit, size, align) in FIELDS {
        if present & (1 << bit) == 0 {
            continue;
        }
        at = at.div_ceil(align) * align;
        let field = data.get(at..at + size).filter(|_| at + size <= len)?;
        match bit {
            1 => {
                let flags = field.first().copied().unwrap_or(0);
                rt.fcs = flags & 0x10 != 0;
                rt.bad_fcs = flags & 0x40 != 0;
            }
            3 => rt.channel = u16_at(field, 0, true).and_then(channel_of),
            5 => rt.signal = field.first().map(|b| i8::from_le_bytes([*b])),
            _ => {}
        }
        at += size;
    }
    Some(rt)
}

/// The channel number of a frequency in MHz (2.4, 5 and 6 GHz bands).
pub fn channel_of(mhz: u16) -> Option<u8> {
    let ch = match mhz {
        2484 => 14,
        2412..=2472 => (mhz - 2407) / 5,
        5955..=7115 => (mhz - 5950) / 5,
        5000..=5925 => (mhz - 5000) / 5,
        _ => return None,
    };
    u8::try_from(ch).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channels() {
        assert_eq!(channel_of(2412), Some(1));
        assert_eq!(channel_of(2472), Some(13));
        assert_eq!(channel_of(2484), Some(14));
        assert_eq!(channel_of(5180), Some(36));
        assert_eq!(channel_of(5975), Some(5));
        assert_eq!(channel_of(900), None);
    }

    #[test]
    fn radiotap_fields() {
        // present: Flags | Channel | dBm signal; flags FCS; 2437 MHz; -42 dBm.
        let rt = [
            0, 0, 14, 0, 0x2a, 0, 0, 0, 0x10, 0, 0x85, 0x09, 0xa0, 0x00, 0xd6,
        ];
        let r = radiotap(&rt[..14]);
        assert!(r.is_none(), "a field past the header length");
        let mut rt = rt.to_vec();
        rt[2] = 15;
        let r = radiotap(&rt).unwrap();
        assert!(r.fcs && !r.bad_fcs);
        assert_eq!((r.channel, r.signal, r.len), (Some(6), Some(-42), 15));
    }

    #[test]
    fn not_a_capture() {
        assert_eq!(
            frames(b"hello world, not a pcap"),
            Err(CaptureError::NotACapture)
        );
        let mut ethernet = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
        ethernet.extend_from_slice(&[0; 12]);
        ethernet.extend_from_slice(&[1, 0, 0, 0]);
        assert_eq!(frames(&ethernet), Err(CaptureError::LinkType(1)));
    }
}
