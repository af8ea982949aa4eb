//! The EAPOL (802.1X) header that carries EAP over a LAN: version, packet
//! type and body length.

use crate::tlv::{self, Buf, SliceBuf, WriteError};

/// Length of the EAPOL header.
pub const EAPOL_HEADER_LEN: usize = 4;
/// EtherType of EAPOL frames.
pub const ETHERTYPE_EAPOL: u16 = 0x888E;
/// The PAE group address wpa_supplicant sends to on a wired link.
pub const PAE_GROUP_ADDR: [u8; 6] = [0x01, 0x80, 0xc2, 0x00, 0x00, 0x03];

/// EAPOL packet type. Unknown values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EapolType {
    /// 0: the body is an EAP packet.
    EapPacket,
    /// 1: EAPOL-Start (no body).
    Start,
    /// 2: EAPOL-Logoff (no body).
    Logoff,
    /// 3: EAPOL-Key.
    Key,
    /// Any other value.
    Unknown(u8),
}

impl From<u8> for EapolType {
    fn from(v: u8) -> Self {
        match v {
            0 => EapolType::EapPacket,
            1 => EapolType::Start,
            2 => EapolType::Logoff,
            3 => EapolType::Key,
            other => EapolType::Unknown(other),
        }
    }
}

impl From<EapolType> for u8 {
    fn from(t: EapolType) -> u8 {
        match t {
            EapolType::EapPacket => 0,
            EapolType::Start => 1,
            EapolType::Logoff => 2,
            EapolType::Key => 3,
            EapolType::Unknown(v) => v,
        }
    }
}

/// A borrowed EAPOL PDU.
///
/// ```
/// use wps::eap::{EapolPacket, EapolType};
/// // EAPOL v1 EAP-Packet with an EAP-Failure body, then Ethernet padding.
/// let frame = [1, 0, 0, 4, 4, 0xab, 0, 4, 0, 0];
/// let p = EapolPacket::parse(&frame)?;
/// assert_eq!((p.version, p.packet_type), (1, EapolType::EapPacket));
/// assert_eq!(p.body, &[4, 0xab, 0, 4]);
/// # Ok::<(), wps::eap::EapolError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EapolPacket<'a> {
    /// Protocol version (1, 2 or 3; hostapd's `eapol_version`).
    pub version: u8,
    /// What the body is.
    pub packet_type: EapolType,
    /// The body, exactly as long as the header's length says.
    pub body: &'a [u8],
}

/// Why bytes are not an EAPOL PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EapolError {
    /// Fewer bytes than the header or than its length field says.
    #[error("EAPOL frame truncated: need {needed} bytes, have {available}")]
    Truncated {
        /// Bytes required.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
}

impl<'a> EapolPacket<'a> {
    /// Parse the header; bytes after the body (Ethernet padding) are ignored.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, EapolError> {
        let [version, packet_type, l0, l1, ref rest @ ..] = *bytes else {
            return Err(EapolError::Truncated {
                needed: EAPOL_HEADER_LEN,
                available: bytes.len(),
            });
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        let body = rest.get(..len).ok_or(EapolError::Truncated {
            needed: EAPOL_HEADER_LEN + len,
            available: bytes.len(),
        })?;
        Ok(EapolPacket {
            version,
            packet_type: EapolType::from(packet_type),
            body,
        })
    }

    /// Header plus body length.
    pub fn buffer_len(&self) -> usize {
        EAPOL_HEADER_LEN.saturating_add(self.body.len())
    }

    /// Write header and body to the start of `out`; returns the bytes written. Nothing
    /// is written when they do not fit.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, WriteError> {
        let len = self.buffer_len();
        let body_len = tlv::encode_len(self.body.len(), u16::MAX)?;
        let mut w = SliceBuf::new(out);
        w.put_parts(&header(self.version, self.packet_type, body_len), self.body)?;
        Ok(len)
    }
}

/// The 4-byte EAPOL header for a body of `body_len` bytes.
pub fn header(version: u8, packet_type: EapolType, body_len: u16) -> [u8; 4] {
    let [l0, l1] = body_len.to_be_bytes();
    [version, u8::from(packet_type), l0, l1]
}

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::*;

    #[test]
    fn start_round_trip() {
        let p = EapolPacket::parse(&[1, 1, 0, 0]).unwrap();
        assert_eq!(p.packet_type, EapolType::Start);
        assert!(p.body.is_empty());
        super::super::assert_emits(|out| p.emit(out), &[1, 1, 0, 0]);
    }

    #[test]
    fn truncated() {
        let cases: [(&[u8], _, _); 2] = [(&[2, 0, 0], 4, 3), (&[2, 0, 0, 5, 1], 9, 5)];
        for (bytes, needed, available) in cases {
            let truncated = EapolError::Truncated { needed, available };
            assert_eq!(EapolPacket::parse(bytes), Err(truncated), "{bytes:?}");
        }
    }

    #[test]
    fn types_round_trip() {
        for v in 0..=255u8 {
            assert_eq!(u8::from(EapolType::from(v)), v);
        }
    }
}
