//! NDEF (NFC Data Exchange Format) records and messages: the envelope every WSC token and
//! connection handover message travels in.
//!
//! A record is a header byte (MB, ME, CF, SR, IL flags and the 3-bit TNF), the type
//! length, the payload length (one byte in a *short* record, four bytes big-endian in a
//! long one), the ID length when IL is set, then type, ID and payload. hostapd writes one
//! short record whenever the payload is below 256 bytes, a long one otherwise
//! ([`Record::mime`] does the same); a parsed record remembers which form it came in, so
//! it re-encodes byte for byte.
//!
//! [`Message::parse`] checks a whole message once (MB on the first record only, ME on the
//! last, nothing after it, no chunked records, no reserved TNF, lengths within the input)
//! and then hands out its records by [`Message::records`], borrowing the input: nothing
//! is allocated while parsing.
//!
//! ```
//! use wps::nfc::ndef::{Message, Record, Tnf, WSC_MIME_TYPE};
//! let mut out = Vec::new();
//! Record::mime(WSC_MIME_TYPE, b"\x10\x4a\x00\x01\x10").emit(&mut out)?;
//! assert_eq!(out[0], 0xd2); // MB ME SR, TNF 2 (media type)
//! let msg = Message::parse(&out)?;
//! let rec = msg.records().next().unwrap();
//! assert_eq!((rec.tnf, rec.record_type), (Tnf::MediaType, WSC_MIME_TYPE));
//! assert_eq!(msg.wsc_payload(), Some(&b"\x10\x4a\x00\x01\x10"[..]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::tlv::{Buf, WriteError};

/// The MIME type of a WSC record: `application/vnd.wfa.wsc`.
pub const WSC_MIME_TYPE: &[u8] = b"application/vnd.wfa.wsc";

/// The longest payload a record may declare; hostapd refuses longer ones.
pub const MAX_PAYLOAD_LEN: usize = 20_000;

const FLAG_MB: u8 = 0x80;
const FLAG_ME: u8 = 0x40;
const FLAG_CF: u8 = 0x20;
const FLAG_SR: u8 = 0x10;
const FLAG_IL: u8 = 0x08;
const TNF_MASK: u8 = 0x07;

/// Type Name Format: how a record's type field is to be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tnf {
    /// 0: no type, no ID, no payload.
    Empty,
    /// 1: an NFC Forum well-known type (`Hr`, `Hs`, `ac`, `cr`, …).
    WellKnown,
    /// 2: a MIME media type (RFC 2046), e.g. `application/vnd.wfa.wsc`.
    MediaType,
    /// 3: an absolute URI.
    AbsoluteUri,
    /// 4: an NFC Forum external type.
    External,
    /// 5: unknown type (no type field).
    Unknown,
    /// 6: unchanged (only in the middle of a chunked payload).
    Unchanged,
}

impl Tnf {
    /// The 3-bit wire value.
    pub const fn to_u8(self) -> u8 {
        match self {
            Tnf::Empty => 0,
            Tnf::WellKnown => 1,
            Tnf::MediaType => 2,
            Tnf::AbsoluteUri => 3,
            Tnf::External => 4,
            Tnf::Unknown => 5,
            Tnf::Unchanged => 6,
        }
    }

    /// The TNF of a wire value; `None` for the reserved value 7 (and anything above).
    pub const fn from_u8(v: u8) -> Option<Tnf> {
        Some(match v {
            0 => Tnf::Empty,
            1 => Tnf::WellKnown,
            2 => Tnf::MediaType,
            3 => Tnf::AbsoluteUri,
            4 => Tnf::External,
            5 => Tnf::Unknown,
            6 => Tnf::Unchanged,
            _ => return None,
        })
    }

    /// The name NFC Forum gives it.
    pub const fn name(self) -> &'static str {
        match self {
            Tnf::Empty => "Empty",
            Tnf::WellKnown => "NFC Forum well-known type",
            Tnf::MediaType => "Media type",
            Tnf::AbsoluteUri => "Absolute URI",
            Tnf::External => "NFC Forum external type",
            Tnf::Unknown => "Unknown",
            Tnf::Unchanged => "Unchanged",
        }
    }
}

/// Why bytes are not an NDEF message this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum NdefError {
    /// No bytes at all.
    #[error("empty NDEF message")]
    Empty,
    /// The record starting at `offset` ends before its header or its fields do.
    #[error(
        "NDEF record at offset {offset} is truncated: {needed} byte(s) needed, {available} left"
    )]
    Truncated {
        /// Offset of the record's header byte.
        offset: usize,
        /// Bytes the record declares (header and fields).
        needed: usize,
        /// Bytes left from `offset`.
        available: usize,
    },
    /// A payload longer than [`MAX_PAYLOAD_LEN`].
    #[error(
        "NDEF record at offset {offset} declares a payload of {len} bytes, more than {MAX_PAYLOAD_LEN}"
    )]
    PayloadTooLong {
        /// Offset of the record's header byte.
        offset: usize,
        /// Declared payload length.
        len: u32,
    },
    /// The reserved TNF value 7.
    #[error("NDEF record at offset {offset} has the reserved type name format 7")]
    ReservedTnf {
        /// Offset of the record's header byte.
        offset: usize,
    },
    /// A chunked record (CF flag, or TNF "unchanged"): neither hostapd nor WSC uses them.
    #[error("NDEF record at offset {offset} is chunked; chunked payloads are not supported")]
    Chunked {
        /// Offset of the record's header byte.
        offset: usize,
    },
    /// An Empty record (TNF 0) with a type, an ID or a payload.
    #[error("NDEF record at offset {offset} is of the empty kind but carries data")]
    EmptyRecordWithData {
        /// Offset of the record's header byte.
        offset: usize,
    },
    /// A record of unknown type (TNF 5) with a type field.
    #[error("NDEF record at offset {offset} is of unknown type but has a type field")]
    UnknownRecordWithType {
        /// Offset of the record's header byte.
        offset: usize,
    },
    /// The first record lacks the Message Begin flag, or a later one has it.
    #[error("NDEF record at offset {offset} has a wrong Message Begin flag")]
    MessageBegin {
        /// Offset of the record's header byte.
        offset: usize,
    },
    /// The last record lacks the Message End flag.
    #[error("NDEF message has no record with the Message End flag")]
    MissingMessageEnd,
    /// Bytes follow the record that ended the message.
    #[error("{len} byte(s) after the end of the NDEF message")]
    TrailingBytes {
        /// How many.
        len: usize,
    },
}

/// One NDEF record, borrowing its type, ID and payload from the input.
///
/// `Debug` shows the payload's length, not its bytes (a token's holds its password).
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// MB: the first record of its message.
    pub message_begin: bool,
    /// ME: the last record of its message.
    pub message_end: bool,
    /// SR: the payload length is one byte (so the payload is at most 255 bytes).
    pub short: bool,
    /// How to read `record_type`.
    pub tnf: Tnf,
    /// The type: a MIME type, a well-known type name such as `Hr`, …
    pub record_type: &'a [u8],
    /// The ID (IL flag set), possibly empty; `None` when the record has no ID field.
    pub id: Option<&'a [u8]>,
    /// The payload.
    pub payload: &'a [u8],
}

impl core::fmt::Debug for Record<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Record")
            .field("message_begin", &self.message_begin)
            .field("message_end", &self.message_end)
            .field("short", &self.short)
            .field("tnf", &self.tnf)
            .field(
                "record_type",
                &format_args!("{}", self.record_type.escape_ascii()),
            )
            .field("id_len", &self.id.map(<[u8]>::len))
            .field("payload_len", &self.payload.len())
            .finish()
    }
}

impl<'a> Record<'a> {
    /// A MIME record that is a whole message on its own (MB and ME set), in hostapd's form:
    /// short when the payload is below 256 bytes, no ID.
    pub fn mime(mime_type: &'a [u8], payload: &'a [u8]) -> Record<'a> {
        Record {
            message_begin: true,
            message_end: true,
            short: payload.len() < 256,
            tnf: Tnf::MediaType,
            record_type: mime_type,
            id: None,
            payload,
        }
    }

    /// Whether this is a WSC record (media type `application/vnd.wfa.wsc`, compared
    /// without regard to ASCII case as MIME types are).
    pub fn is_wsc(&self) -> bool {
        self.tnf == Tnf::MediaType && self.record_type.eq_ignore_ascii_case(WSC_MIME_TYPE)
    }

    /// Whether this is the NFC Forum well-known type `name` (case-sensitive, as the
    /// NFC Forum RTD defines).
    pub fn is_well_known(&self, name: &[u8]) -> bool {
        self.tnf == Tnf::WellKnown && self.record_type == name
    }

    /// The header byte this record is written with.
    pub fn header(&self) -> u8 {
        let mut h = self.tnf.to_u8();
        for (on, flag) in [
            (self.message_begin, FLAG_MB),
            (self.message_end, FLAG_ME),
            (self.short, FLAG_SR),
            (self.id.is_some(), FLAG_IL),
        ] {
            if on {
                h |= flag;
            }
        }
        h
    }

    /// Bytes the record takes on the wire.
    pub fn encoded_len(&self) -> usize {
        let fixed: usize = if self.short { 3 } else { 6 };
        let il = usize::from(self.id.is_some());
        fixed
            .saturating_add(il)
            .saturating_add(self.record_type.len())
            .saturating_add(self.id.map_or(0, <[u8]>::len))
            .saturating_add(self.payload.len())
    }

    /// Writes the record.
    ///
    /// # Errors
    /// [`WriteError::ValueTooLong`] for a type or ID over 255 bytes, a payload over 255
    /// bytes in a short record or over [`MAX_PAYLOAD_LEN`] in a long one;
    /// [`WriteError::BufferFull`] from a fixed buffer (nothing is written then).
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        let too_long = |len: usize, max: usize| WriteError::ValueTooLong { len, max };
        let type_len = u8::try_from(self.record_type.len())
            .map_err(|_| too_long(self.record_type.len(), 255))?;
        let id_len = match self.id {
            Some(id) => Some(u8::try_from(id.len()).map_err(|_| too_long(id.len(), 255))?),
            None => None,
        };
        let mut head = [0u8; 7];
        let mut n = 0usize;
        let mut push = |b: u8| {
            if let Some(slot) = head.get_mut(n) {
                *slot = b;
                n = n.saturating_add(1);
            }
        };
        push(self.header());
        push(type_len);
        if self.short {
            push(u8::try_from(self.payload.len()).map_err(|_| too_long(self.payload.len(), 255))?);
        } else {
            if self.payload.len() > MAX_PAYLOAD_LEN {
                return Err(too_long(self.payload.len(), MAX_PAYLOAD_LEN));
            }
            // At most MAX_PAYLOAD_LEN, so it fits in u32.
            let len = u32::try_from(self.payload.len()).unwrap_or(u32::MAX);
            for b in len.to_be_bytes() {
                push(b);
            }
        }
        if let Some(l) = id_len {
            push(l);
        }
        crate::tlv::ensure_room(out, self.encoded_len())?;
        out.put(head.get(..n).unwrap_or(&[]))?;
        out.put(self.record_type)?;
        out.put(self.id.unwrap_or(&[]))?;
        out.put(self.payload)
    }

    /// Reads the record at the start of `buf` (`offset` is where `buf` lies in the whole
    /// message, for error reports). Returns the record and its length.
    fn read(buf: &'a [u8], offset: usize) -> Result<(Record<'a>, usize), NdefError> {
        let available = buf.len();
        let truncated = |needed: usize| NdefError::Truncated {
            offset,
            needed,
            available,
        };
        let (&header, rest) = buf.split_first().ok_or(truncated(1))?;
        let tnf = Tnf::from_u8(header & TNF_MASK).ok_or(NdefError::ReservedTnf { offset })?;
        let short = header & FLAG_SR != 0;
        let has_id = header & FLAG_IL != 0;
        if header & FLAG_CF != 0 || tnf == Tnf::Unchanged {
            return Err(NdefError::Chunked { offset });
        }
        let fixed = 1usize
            .saturating_add(if short { 2 } else { 5 })
            .saturating_add(usize::from(has_id));
        let (type_len, rest) = rest.split_first().ok_or(truncated(fixed))?;
        let (payload_len, rest) = if short {
            let (l, rest) = rest.split_first().ok_or(truncated(fixed))?;
            (u32::from(*l), rest)
        } else {
            let (l, rest) = rest.split_first_chunk::<4>().ok_or(truncated(fixed))?;
            (u32::from_be_bytes(*l), rest)
        };
        let payload_len_usize = usize::try_from(payload_len).unwrap_or(usize::MAX);
        if payload_len_usize > MAX_PAYLOAD_LEN {
            return Err(NdefError::PayloadTooLong {
                offset,
                len: payload_len,
            });
        }
        let (id_len, rest) = if has_id {
            let (l, rest) = rest.split_first().ok_or(truncated(fixed))?;
            (usize::from(*l), rest)
        } else {
            (0, rest)
        };
        let type_len = usize::from(*type_len);
        let total = fixed
            .saturating_add(type_len)
            .saturating_add(id_len)
            .saturating_add(payload_len_usize);
        let (record_type, rest) = rest.split_at_checked(type_len).ok_or(truncated(total))?;
        let (id, rest) = rest.split_at_checked(id_len).ok_or(truncated(total))?;
        let payload = rest.get(..payload_len_usize).ok_or(truncated(total))?;
        match tnf {
            Tnf::Empty if type_len != 0 || id_len != 0 || payload_len != 0 => {
                return Err(NdefError::EmptyRecordWithData { offset });
            }
            Tnf::Unknown if type_len != 0 => {
                return Err(NdefError::UnknownRecordWithType { offset });
            }
            _ => {}
        }
        let record = Record {
            message_begin: header & FLAG_MB != 0,
            message_end: header & FLAG_ME != 0,
            short,
            tnf,
            record_type,
            id: has_id.then_some(id),
            payload,
        };
        Ok((record, total))
    }
}

/// A checked NDEF message: one or more records from MB to ME.
///
/// `Debug` shows the record count and length only: a token's payload holds its password.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Message<'a> {
    bytes: &'a [u8],
    count: usize,
}

impl core::fmt::Debug for Message<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Message")
            .field("records", &self.count)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl<'a> Message<'a> {
    /// Checks `bytes` as one whole NDEF message; see the module documentation.
    ///
    /// # Errors
    /// The first problem found, as an [`NdefError`].
    pub fn parse(bytes: &'a [u8]) -> Result<Message<'a>, NdefError> {
        if bytes.is_empty() {
            return Err(NdefError::Empty);
        }
        let mut offset = 0usize;
        let mut count = 0usize;
        loop {
            let rest = bytes.get(offset..).unwrap_or(&[]);
            let (record, len) = Record::read(rest, offset)?;
            if record.message_begin != (count == 0) {
                return Err(NdefError::MessageBegin { offset });
            }
            count = count.saturating_add(1);
            // `len` bytes were found in `rest`, so the sum stays within `bytes`.
            offset = offset.saturating_add(len);
            if record.message_end {
                let trailing = bytes.len().saturating_sub(offset);
                if trailing != 0 {
                    return Err(NdefError::TrailingBytes { len: trailing });
                }
                return Ok(Message { bytes, count });
            }
            if offset >= bytes.len() {
                return Err(NdefError::MissingMessageEnd);
            }
        }
    }

    /// The message's bytes.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.bytes
    }

    /// Number of records (at least one).
    pub fn len(&self) -> usize {
        self.count
    }

    /// Always false: a message has at least one record.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The records, in order.
    pub fn records(&self) -> Records<'a> {
        Records {
            bytes: self.bytes,
            offset: 0,
        }
    }

    /// The first record with this ID.
    pub fn record_with_id(&self, id: &[u8]) -> Option<Record<'a>> {
        self.records().find(|r| r.id == Some(id))
    }

    /// The payload of the first WSC record (`application/vnd.wfa.wsc`), as hostapd's
    /// `ndef_parse_wifi` picks it.
    pub fn wsc_payload(&self) -> Option<&'a [u8]> {
        self.records().find(Record::is_wsc).map(|r| r.payload)
    }
}

/// Iterator over the records of a checked [`Message`].
#[derive(Debug, Clone)]
pub struct Records<'a> {
    bytes: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for Records<'a> {
    type Item = Record<'a>;

    fn next(&mut self) -> Option<Record<'a>> {
        let rest = self.bytes.get(self.offset..).filter(|r| !r.is_empty())?;
        // The message was checked whole, so every record reads again.
        let (record, len) = Record::read(rest, self.offset).ok()?;
        self.offset = self.offset.saturating_add(len);
        Some(record)
    }
}

/// Writes `records` as one message, setting MB on the first and ME on the last (the
/// flags the records carry are ignored).
///
/// # Errors
/// As [`Record::emit`].
pub fn emit_message<'r, B: Buf + ?Sized>(
    out: &mut B,
    records: &[Record<'r>],
) -> Result<(), WriteError> {
    let last = records.len().saturating_sub(1);
    for (i, r) in records.iter().enumerate() {
        let r = Record {
            message_begin: i == 0,
            message_end: i == last,
            ..*r
        };
        r.emit(out)?;
    }
    Ok(())
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn any_tnf() -> impl Strategy<Value = Tnf> {
        prop_oneof![
            Just(Tnf::WellKnown),
            Just(Tnf::MediaType),
            Just(Tnf::AbsoluteUri),
            Just(Tnf::External),
        ]
    }

    #[test]
    fn wsc_record_header_is_hostapds() {
        let mut out = Vec::new();
        Record::mime(WSC_MIME_TYPE, &[0x10, 0x4a, 0, 1, 0x10])
            .emit(&mut out)
            .unwrap();
        assert_eq!(&out[..3], &[0xd2, 0x17, 0x05]);
        assert_eq!(&out[3..26], WSC_MIME_TYPE);
    }

    #[test]
    fn long_record_above_255_bytes() {
        let payload = [0x42u8; 300];
        let r = Record::mime(WSC_MIME_TYPE, &payload);
        assert!(!r.short);
        let mut out = Vec::new();
        r.emit(&mut out).unwrap();
        assert_eq!(&out[..6], &[0xc2, 0x17, 0, 0, 0x01, 0x2c]);
        let m = Message::parse(&out).unwrap();
        assert_eq!(m.wsc_payload(), Some(&payload[..]));
        assert_eq!(m.records().next(), Some(r));
    }

    #[test]
    fn short_record_refuses_a_long_payload() {
        let payload = [0u8; 256];
        let r = Record {
            short: true,
            ..Record::mime(WSC_MIME_TYPE, &payload)
        };
        assert_eq!(
            r.emit(&mut Vec::new()),
            Err(WriteError::ValueTooLong { len: 256, max: 255 })
        );
    }

    #[test]
    fn errors_are_typed() {
        let truncated = NdefError::Truncated {
            offset: 0,
            needed: 3,
            available: 2,
        };
        let too_long = NdefError::PayloadTooLong {
            offset: 0,
            len: 20_001,
        };
        let cases: [(&[u8], NdefError); 10] = [
            (&[], NdefError::Empty),
            (&[0xd2, 0x17], truncated),
            (&[0xd7, 0, 0], NdefError::ReservedTnf { offset: 0 }),
            (&[0xf2, 1, 0, b'a'], NdefError::Chunked { offset: 0 }),
            (
                &[0xd0, 1, 0, b'a'],
                NdefError::EmptyRecordWithData { offset: 0 },
            ),
            (&[0x52, 1, 0, b'a'], NdefError::MessageBegin { offset: 0 }),
            (&[0x92, 1, 0, b'a'], NdefError::MissingMessageEnd),
            (&[0xd2, 1, 0, b'a', 0], NdefError::TrailingBytes { len: 1 }),
            (
                &[0x92, 1, 0, b'a', 0xd2, 1, 0, b'b'],
                NdefError::MessageBegin { offset: 4 },
            ),
            (&[0xc2, 0, 0, 0, 0x4e, 0x21], too_long),
        ];
        for (bytes, error) in cases {
            assert_eq!(Message::parse(bytes), Err(error), "{bytes:02x?}");
        }
    }

    #[test]
    fn wsc_type_ignores_ascii_case_but_not_tnf() {
        let upper = b"APPLICATION/VND.WFA.WSC";
        let r = Record::mime(upper, b"x");
        assert!(r.is_wsc());
        assert!(
            !Record {
                tnf: Tnf::External,
                ..r
            }
            .is_wsc()
        );
    }

    prop_compose! {
        fn any_record()(
            tnf in any_tnf(),
            record_type in proptest::collection::vec(any::<u8>(), 0..40),
            id in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..8)),
            payload in proptest::collection::vec(any::<u8>(), 0..400),
            force_long in any::<bool>(),
        ) -> (Tnf, Vec<u8>, Option<Vec<u8>>, Vec<u8>, bool) {
            (tnf, record_type, id, payload, force_long)
        }
    }

    proptest! {
        /// build → parse gives the records back; parse → build gives the bytes back.
        #[test]
        fn message_roundtrip(recs in proptest::collection::vec(any_record(), 1..5)) {
            let records: Vec<Record<'_>> = recs
                .iter()
                .map(|(tnf, t, id, p, force_long)| Record {
                    message_begin: false,
                    message_end: false,
                    short: p.len() < 256 && !force_long,
                    tnf: *tnf,
                    record_type: t,
                    id: id.as_deref(),
                    payload: p,
                })
                .collect();
            let mut out = Vec::new();
            emit_message(&mut out, &records).unwrap();
            let m = Message::parse(&out).unwrap();
            prop_assert_eq!(m.len(), records.len());
            let back: Vec<Record<'_>> = m.records().collect();
            prop_assert_eq!(back.len(), records.len());
            let mut again = Vec::new();
            for (i, (b, r)) in back.iter().zip(&records).enumerate() {
                prop_assert_eq!(b.message_begin, i == 0);
                prop_assert_eq!(b.message_end, i + 1 == records.len());
                prop_assert_eq!(Record { message_begin: false, message_end: false, ..*b }, *r);
                b.emit(&mut again).unwrap();
            }
            prop_assert_eq!(again, out);
        }

        /// Any bytes: a typed error or a message whose records re-encode to the input.
        #[test]
        fn parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(m) = Message::parse(&bytes) {
                let mut again = Vec::new();
                for r in m.records() {
                    r.emit(&mut again).unwrap();
                }
                prop_assert_eq!(again, bytes);
            }
        }
    }
}
