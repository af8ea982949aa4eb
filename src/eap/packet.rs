//! EAP packets: the 4-byte header, Identity, Success/Failure and the
//! expanded-type (254, WFA, SimpleConfig) header that carries EAP-WSC.

pub use crate::message::OpCode;
use crate::tlv::{self, Buf, SliceBuf, WriteError};

/// EAP type number of Identity.
pub const TYPE_IDENTITY: u8 = 1;
/// EAP type number of the expanded type.
pub const TYPE_EXPANDED: u8 = 254;
/// Vendor-Id of EAP-WSC (the historic WFA SMI code 0x00372A).
pub const VENDOR_ID_WFA: u32 = 0x00_37_2A;
/// Vendor-Type of EAP-WSC ("SimpleConfig").
pub const VENDOR_TYPE_SIMPLE_CONFIG: u32 = 1;
/// Identity a station sends when it is the Enrollee.
pub const IDENTITY_ENROLLEE: &[u8] = b"WFA-SimpleConfig-Enrollee-1-0";
/// Identity a station sends when it is a Registrar.
pub const IDENTITY_REGISTRAR: &[u8] = b"WFA-SimpleConfig-Registrar-1-0";

/// Length of the EAP header (Code, Identifier, Length).
pub const EAP_HEADER_LEN: usize = 4;
/// Length of everything before the WSC Op-Code: EAP header, Type, Vendor-Id, Vendor-Type.
pub const WSC_HEADER_LEN: usize = EAP_HEADER_LEN + 1 + 3 + 4;

/// EAP Code. Unknown values are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Code {
    /// 1: sent by the authenticator / EAP server.
    Request,
    /// 2: sent by the station / EAP peer.
    Response,
    /// 3: the method succeeded (never happens with WSC).
    Success,
    /// 4: end of the exchange; every WSC run ends with it.
    Failure,
    /// Any other value.
    Unknown(u8),
}

impl From<u8> for Code {
    fn from(v: u8) -> Self {
        match v {
            1 => Code::Request,
            2 => Code::Response,
            3 => Code::Success,
            4 => Code::Failure,
            other => Code::Unknown(other),
        }
    }
}

impl From<Code> for u8 {
    fn from(c: Code) -> u8 {
        match c {
            Code::Request => 1,
            Code::Response => 2,
            Code::Success => 3,
            Code::Failure => 4,
            Code::Unknown(v) => v,
        }
    }
}

/// The WSC Flags byte. Only MF and LF mean something; other bits are kept
/// (so a parsed frame re-emits byte for byte) but ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Flags(pub(crate) u8);

impl From<u8> for Flags {
    fn from(bits: u8) -> Self {
        Flags(bits)
    }
}

impl From<Flags> for u8 {
    fn from(flags: Flags) -> u8 {
        flags.0
    }
}

impl Flags {
    /// More Fragments follow.
    pub const MF: u8 = 0x01;
    /// A 2-byte Message Length field follows the flags.
    pub const LF: u8 = 0x02;

    /// Whether More Fragments is set.
    pub fn more_fragments(self) -> bool {
        self.0 & Self::MF != 0
    }

    /// Whether the Message Length field is present.
    pub fn length_field(self) -> bool {
        self.0 & Self::LF != 0
    }
}

/// The EAP-WSC part of a packet: everything after the Vendor-Type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WscFrame<'a> {
    /// What the data is.
    pub op_code: OpCode,
    /// MF / LF (other bits ignored).
    pub flags: Flags,
    /// Total message length, present exactly when `flags` has LF.
    pub msg_len: Option<u16>,
    /// The (part of the) WSC message in this packet.
    pub data: &'a [u8],
}

impl<'a> WscFrame<'a> {
    /// An unfragmented frame: flags 0, no length field.
    pub fn unfragmented(op_code: OpCode, data: &'a [u8]) -> Self {
        WscFrame {
            op_code,
            flags: Flags(0),
            msg_len: None,
            data,
        }
    }

    /// Bytes from the Op-Code on: Op-Code, Flags, [Message Length], data.
    /// This is what `fragment_size` bounds.
    pub fn wsc_len(&self) -> usize {
        let header = if self.msg_len.is_some() { 4 } else { 2 };
        self.data.len().saturating_add(header)
    }
}

/// What follows the EAP header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Body<'a> {
    /// Success / Failure: no type.
    Empty,
    /// Type 1: the identity (empty in a request prompt without text).
    Identity(&'a [u8]),
    /// Expanded type, WFA, SimpleConfig.
    Wsc(WscFrame<'a>),
    /// Any other type (including expanded types of other vendors):
    /// the type byte and everything after it.
    Other {
        /// The EAP Type byte.
        eap_type: u8,
        /// The bytes after the Type byte.
        data: &'a [u8],
    },
}

/// A parsed (borrowed) or to-be-emitted EAP packet.
///
/// ```
/// use wps::eap::{Body, Code, EapPacket, OpCode};
/// // EAP-Request, id 1, WSC_Start (from iwd's handshake test)
/// let bytes = [0x01, 0x01, 0x00, 0x0e, 0xfe, 0x00, 0x37, 0x2a, 0, 0, 0, 1, 0x01, 0x00];
/// let p = EapPacket::parse(&bytes)?;
/// assert_eq!((p.code, p.identifier), (Code::Request, 1));
/// let Body::Wsc(f) = p.body else { panic!() };
/// assert_eq!(f.op_code, OpCode::Start);
/// let mut out = [0u8; 14];
/// assert_eq!(p.emit(&mut out)?, 14);
/// assert_eq!(out, bytes);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EapPacket<'a> {
    /// Request / Response / Success / Failure.
    pub code: Code,
    /// Matches a Response to its Request.
    pub identifier: u8,
    /// Type-specific contents.
    pub body: Body<'a>,
}

/// Why bytes are not an EAP packet we understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// Fewer bytes than the EAP header or than its Length field says.
    #[error("EAP packet truncated: need {needed} bytes, have {available}")]
    Truncated {
        /// Bytes the header (or Length field) requires.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The Length field is smaller than the header itself.
    #[error("EAP Length {0} is shorter than the header")]
    BadLength(u16),
    /// A Request or Response without a Type byte.
    #[error("EAP Request/Response without a Type")]
    MissingType,
    /// Expanded type shorter than Vendor-Id + Vendor-Type (+ Op-Code + Flags for WSC).
    #[error("expanded EAP header truncated")]
    ExpandedTruncated,
    /// LF set but fewer than 2 bytes for the Message Length.
    #[error("WSC Message Length field truncated")]
    LengthFieldTruncated,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    let s = b.get(at..at.checked_add(2)?)?;
    Some(u16::from_be_bytes([*s.first()?, *s.get(1)?]))
}

impl<'a> EapPacket<'a> {
    /// Parse one EAP packet. Bytes after the EAP Length (link padding) are ignored.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, ParseError> {
        let [code, identifier, l0, l1, ..] = *bytes else {
            return Err(ParseError::Truncated {
                needed: EAP_HEADER_LEN,
                available: bytes.len(),
            });
        };
        let length = u16::from_be_bytes([l0, l1]);
        let len = usize::from(length);
        if len < EAP_HEADER_LEN {
            return Err(ParseError::BadLength(length));
        }
        let packet = bytes.get(..len).ok_or(ParseError::Truncated {
            needed: len,
            available: bytes.len(),
        })?;
        let code = Code::from(code);
        let rest = packet.get(EAP_HEADER_LEN..).unwrap_or_default();
        let body = match code {
            Code::Success | Code::Failure => Body::Empty,
            _ => Self::parse_typed(rest)?,
        };
        Ok(EapPacket {
            code,
            identifier,
            body,
        })
    }

    fn parse_typed(rest: &'a [u8]) -> Result<Body<'a>, ParseError> {
        let (&eap_type, data) = rest.split_first().ok_or(ParseError::MissingType)?;
        match eap_type {
            TYPE_IDENTITY => Ok(Body::Identity(data)),
            TYPE_EXPANDED => {
                let (vendor, after) = data
                    .split_at_checked(7)
                    .ok_or(ParseError::ExpandedTruncated)?;
                let is_wsc = vendor == [0x00, 0x37, 0x2a, 0, 0, 0, 1];
                if !is_wsc {
                    return Ok(Body::Other { eap_type, data });
                }
                let [op, flags, ref tail @ ..] = *after else {
                    return Err(ParseError::ExpandedTruncated);
                };
                let flags = Flags(flags);
                let (msg_len, data) = if flags.length_field() {
                    let l = be16(tail, 0).ok_or(ParseError::LengthFieldTruncated)?;
                    (Some(l), tail.get(2..).unwrap_or_default())
                } else {
                    (None, tail)
                };
                Ok(Body::Wsc(WscFrame {
                    op_code: OpCode::from(op),
                    flags,
                    msg_len,
                    data,
                }))
            }
            _ => Ok(Body::Other { eap_type, data }),
        }
    }

    /// An EAP-WSC packet.
    pub fn wsc(code: Code, identifier: u8, frame: WscFrame<'a>) -> Self {
        EapPacket {
            code,
            identifier,
            body: Body::Wsc(frame),
        }
    }

    /// An Identity Request (`identity` usually empty) or Response.
    pub fn identity(code: Code, identifier: u8, identity: &'a [u8]) -> Self {
        EapPacket {
            code,
            identifier,
            body: Body::Identity(identity),
        }
    }

    /// The 4-byte EAP-Failure that ends every WSC run.
    pub fn failure(identifier: u8) -> Self {
        EapPacket {
            code: Code::Failure,
            identifier,
            body: Body::Empty,
        }
    }

    /// The 4-byte EAP-Success.
    pub fn success(identifier: u8) -> Self {
        EapPacket {
            code: Code::Success,
            identifier,
            body: Body::Empty,
        }
    }

    /// The WSC frame, if this is an EAP-WSC packet.
    pub fn wsc_frame(&self) -> Option<&WscFrame<'a>> {
        match &self.body {
            Body::Wsc(f) => Some(f),
            _ => None,
        }
    }

    /// Length of the encoded packet (the EAP Length field).
    ///
    /// Saturates at `usize::MAX`; [`emit`](Self::emit) refuses anything above 65 535.
    pub fn buffer_len(&self) -> usize {
        let body = match &self.body {
            Body::Empty => 0,
            Body::Identity(id) => id.len().saturating_add(1),
            Body::Wsc(f) => f.wsc_len().saturating_add(WSC_HEADER_LEN - EAP_HEADER_LEN),
            Body::Other { data, .. } => data.len().saturating_add(1),
        };
        body.saturating_add(EAP_HEADER_LEN)
    }

    /// Write the packet to the start of `out`; returns the number of bytes written.
    /// Nothing is written when it does not fit.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, WriteError> {
        self.emit_to(&mut SliceBuf::new(out))
    }

    /// Append the encoded packet to `out`.
    #[cfg(feature = "alloc")]
    pub fn emit_vec(&self, out: &mut alloc::vec::Vec<u8>) -> Result<(), WriteError> {
        self.emit_to(out).map(|_| ())
    }

    /// Writes the packet as two parts, the headers and the data: nothing is written
    /// when it does not fit. Returns the packet's length.
    fn emit_to<B: Buf + ?Sized>(&self, out: &mut B) -> Result<usize, WriteError> {
        let mut head = [0u8; 16];
        let [code, identifier, len_hi, len_lo, after @ ..] = &mut head;
        // Everything after the EAP header and before the data: at most the Type, the
        // Vendor-Id and -Type, Op-Code, Flags and Message Length; `typed` bytes of it.
        let (typed, data): (usize, &[u8]) = match &self.body {
            Body::Empty => (0, &[]),
            Body::Identity(id) => {
                after[0] = TYPE_IDENTITY;
                (1, id)
            }
            Body::Wsc(f) => {
                // LF and the length field go together, whatever the flags byte says.
                let (flags, typed) = match f.msg_len {
                    Some(_) => (f.flags.0 | Flags::LF, 12),
                    None => (f.flags.0 & !Flags::LF, 10),
                };
                let [m0, m1] = f.msg_len.unwrap_or_default().to_be_bytes();
                let op = u8::from(f.op_code);
                *after = [
                    TYPE_EXPANDED,
                    0x00,
                    0x37,
                    0x2a,
                    0,
                    0,
                    0,
                    1,
                    op,
                    flags,
                    m0,
                    m1,
                ];
                (typed, f.data)
            }
            Body::Other { eap_type, data } => {
                after[0] = *eap_type;
                (1, data)
            }
        };
        // What `buffer_len` says, from the parts at hand.
        let len = EAP_HEADER_LEN
            .saturating_add(typed)
            .saturating_add(data.len());
        *code = u8::from(self.code);
        *identifier = self.identifier;
        [*len_hi, *len_lo] = tlv::encode_len(len, u16::MAX)?.to_be_bytes();
        // `typed` is at most 12: the EAP header and `typed` bytes lie in `head`.
        let head = head
            .get(..EAP_HEADER_LEN.wrapping_add(typed))
            .unwrap_or(&head);
        out.put_parts(head, data)?;
        Ok(len)
    }
}

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::*;

    #[test]
    fn identity_response_round_trip() {
        let hex = "02000022015746412d53696d706c65436f6e6669672d456e726f6c6c65652d312d30";
        let bytes = hex::decode(hex).unwrap();
        let p = EapPacket::parse(&bytes).unwrap();
        assert_eq!(p, EapPacket::identity(Code::Response, 0, IDENTITY_ENROLLEE));
        super::super::assert_emits(|out| p.emit(out), &bytes);
    }

    #[test]
    fn failure_is_four_bytes_and_padding_ignored() {
        let p = EapPacket::parse(&[4, 0xab, 0, 4, 0xee, 0xee]).unwrap();
        assert_eq!(p, EapPacket::failure(0xab));
        super::super::assert_emits(|out| p.emit(out), &[4, 0xab, 0, 4]);
    }

    #[test]
    fn malformed_are_typed_errors() {
        use ParseError as E;
        let truncated = |needed, available| E::Truncated { needed, available };
        let cases: [(&[u8], _); 7] = [
            (&[1, 0, 0], truncated(4, 3)),
            (&[1, 0, 0, 3], E::BadLength(3)),
            (&[1, 0, 0, 9, 1], truncated(9, 5)),
            (&[1, 0, 0, 4], E::MissingType),
            (&[1, 0, 0, 8, 254, 0, 0x37, 0x2a], E::ExpandedTruncated),
            (
                &[1, 0, 0, 13, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 4],
                E::ExpandedTruncated,
            ),
            (
                &[1, 0, 0, 15, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 4, 3, 0],
                E::LengthFieldTruncated,
            ),
        ];
        for (bytes, error) in cases {
            assert_eq!(EapPacket::parse(bytes), Err(error), "{bytes:?}");
        }
    }

    #[test]
    fn other_vendor_is_kept() {
        let b = [1, 7, 0, 12, 254, 0, 0, 0x28, 0, 0, 0, 9];
        let p = EapPacket::parse(&b).unwrap();
        assert!(matches!(p.body, Body::Other { eap_type: 254, data } if data.len() == 7));
        super::super::assert_emits(|out| p.emit(out), &b);
    }

    #[test]
    fn emit_errors() {
        let p = EapPacket::identity(Code::Response, 1, IDENTITY_REGISTRAR);
        let mut small = [0u8; 10];
        assert_eq!(
            p.emit(&mut small),
            Err(WriteError::BufferFull {
                needed: 35,
                available: 10
            })
        );
    }

    #[test]
    fn codes_and_opcodes_round_trip() {
        for v in 0..=255u8 {
            assert_eq!(u8::from(Code::from(v)), v);
            assert_eq!(u8::from(OpCode::from(v)), v);
        }
        assert_eq!(OpCode::from(6), OpCode::FragAck);
    }

    proptest::proptest! {
        #[test]
        fn wsc_parse_emit_round_trip(id: u8, op: u8, flags: u8, len: u16,
                                     data in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let msg_len = (flags & Flags::LF != 0).then_some(len);
            let p = EapPacket::wsc(Code::Request, id, WscFrame { op_code: op.into(), flags: Flags::from(flags), msg_len, data: &data });
            let mut out = [0u8; 400];
            let n = p.emit(&mut out).unwrap();
            proptest::prop_assert_eq!(n, p.buffer_len());
            proptest::prop_assert_eq!(EapPacket::parse(&out[..n]).unwrap(), p);
        }

        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..64)) {
            let _ = EapPacket::parse(&bytes);
        }
    }
}
