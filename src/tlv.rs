//! Zero-copy reading and writing of WSC type-length-value attributes.
//!
//! A WSC message (M1..M8, ACK/NACK/Done, the body of an 802.11 WPS IE, a Credential,
//! decrypted Encrypted Settings) is a plain concatenation of attributes:
//!
//! ```text
//! +----------------+----------------+------------------------+
//! | Type (2, BE)   | Length (2, BE) | Value (Length octets)  |
//! +----------------+----------------+------------------------+
//! ```
//!
//! This module knows nothing about what the types mean (that is [`crate::attr`]); it only
//! splits and joins the byte stream. [`TlvReader`] borrows its input and never allocates;
//! [`write_tlv`] appends to any [`Buf`]: a `Vec<u8>` (feature `alloc`), a fixed
//! [`SliceBuf`] over a caller's `&mut [u8]`, or a [`Counter`] that only measures.
//!
//! The Vendor Extension attribute (0x1049) with the Wi-Fi Alliance vendor ID
//! [`WFA_VENDOR_ID`] carries its own one-byte-type, one-byte-length subelements;
//! [`SubelementReader`] and [`write_subelement`] handle those.
//!
//! ```
//! use wps::tlv::{TlvReader, write_tlv};
//!
//! let mut msg = Vec::new();
//! write_tlv(&mut msg, 0x104A, &[0x10])?;        // Version
//! write_tlv(&mut msg, 0x1022, &[0x04])?;        // Message Type = M1
//! let types: Vec<u16> = TlvReader::new(&msg)
//!     .map(|t| t.map(|t| t.attr_type))
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(types, [0x104A, 0x1022]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

/// Size of an attribute header: 2 bytes type, 2 bytes length.
pub const HEADER_LEN: usize = 4;

/// The Wi-Fi Alliance vendor ID (SMI code 14122) that marks the WFA vendor extension.
pub const WFA_VENDOR_ID: [u8; 3] = [0x00, 0x37, 0x2A];

/// Size of a WFA subelement header: 1 byte ID, 1 byte length.
pub const SUBELEMENT_HEADER_LEN: usize = 2;

/// Why a TLV stream could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TlvError {
    /// Fewer than four bytes were left where an attribute header should start.
    #[error("truncated attribute header at offset {offset}: {available} byte(s) left, 4 needed")]
    TruncatedHeader {
        /// Offset of the incomplete header.
        offset: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// The declared length runs past the end of the input.
    #[error(
        "attribute {attr_type:#06x} at offset {offset} declares {declared} byte(s) but only {available} remain"
    )]
    LengthOverrun {
        /// The attribute's type.
        attr_type: u16,
        /// Offset of the attribute's header.
        offset: usize,
        /// Value length from the header.
        declared: usize,
        /// Bytes left after the header.
        available: usize,
    },
}

/// Why an attribute could not be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WriteError {
    /// The destination buffer has no room for the bytes.
    #[error("output buffer full: {needed} more byte(s) needed, {available} available")]
    BufferFull {
        /// Bytes the write needed.
        needed: usize,
        /// Bytes that were still free.
        available: usize,
    },
    /// A value does not fit the length field (65535 for attributes, 255 for subelements).
    #[error("value of {len} bytes exceeds the length field's maximum of {max}")]
    ValueTooLong {
        /// Length of the value.
        len: usize,
        /// Largest length the field can express.
        max: usize,
    },
}

/// One attribute as found in the input: its type, its value and where it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The 16-bit attribute type, as on the wire.
    pub attr_type: u16,
    /// The value bytes (borrowed from the input).
    pub value: &'a [u8],
    /// Offset of the attribute's header within the input.
    pub offset: usize,
}

impl<'a> Tlv<'a> {
    /// Offset just past this attribute's value: where the next header starts.
    pub fn end(&self) -> usize {
        self.offset
            .saturating_add(HEADER_LEN)
            .saturating_add(self.value.len())
    }

    /// Encoded size of this attribute (header included).
    pub fn encoded_len(&self) -> usize {
        HEADER_LEN.saturating_add(self.value.len())
    }
}

/// An iterator over the attributes of a TLV stream.
///
/// It yields `Ok(Tlv)` for each well-formed attribute, then stops; on malformed input it
/// yields one `Err` and then stops. It never panics and never allocates.
#[derive(Debug, Clone)]
pub struct TlvReader<'a> {
    /// The bytes from the next header on (empty after an error).
    rest: &'a [u8],
    /// Length of the input: offsets are `len - rest.len()` (no counter to keep).
    len: usize,
    /// After an error: the bytes from the bad header on (`rest` is then empty, which
    /// ends the iteration without a flag to test on every step).
    failed: &'a [u8],
}

impl<'a> TlvReader<'a> {
    /// Starts reading `buf` from its first byte.
    #[inline]
    pub fn new(buf: &'a [u8]) -> Self {
        TlvReader {
            rest: buf,
            len: buf.len(),
            failed: &[],
        }
    }

    /// Offset of the next header to be read.
    #[inline]
    pub fn position(&self) -> usize {
        // What is left is a suffix of the input: cannot wrap.
        self.len.wrapping_sub(self.remaining().len())
    }

    /// The bytes not read yet.
    #[inline]
    pub fn remaining(&self) -> &'a [u8] {
        if self.rest.is_empty() {
            self.failed
        } else {
            self.rest
        }
    }

    /// Checks a whole stream, returning the number of attributes in it.
    pub fn validate(buf: &'a [u8]) -> Result<usize, TlvError> {
        let mut n = 0usize;
        for tlv in TlvReader::new(buf) {
            tlv?;
            // At most one per four input bytes: cannot saturate.
            n = n.saturating_add(1);
        }
        Ok(n)
    }

    #[cold]
    fn fail(&mut self, err: TlvError) -> Option<Result<Tlv<'a>, TlvError>> {
        self.failed = self.rest;
        self.rest = &[];
        Some(Err(err))
    }
}

impl<'a> Iterator for TlvReader<'a> {
    type Item = Result<Tlv<'a>, TlvError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // A cursor over the rest of the input: one length check per header and one per
        // value, no re-slicing from the start.
        // `rest` is a suffix of the input: cannot wrap.
        let offset = self.len.wrapping_sub(self.rest.len());
        let Some(([t0, t1, l0, l1], body)) = self.rest.split_first_chunk::<HEADER_LEN>() else {
            if self.rest.is_empty() {
                return None;
            }
            return self.fail(TlvError::TruncatedHeader {
                offset,
                available: self.rest.len(),
            });
        };
        let attr_type = u16::from_be_bytes([*t0, *t1]);
        let declared = usize::from(u16::from_be_bytes([*l0, *l1]));
        let Some((value, after)) = body.split_at_checked(declared) else {
            return self.fail(TlvError::LengthOverrun {
                attr_type,
                offset,
                declared,
                available: body.len(),
            });
        };
        self.rest = after;
        Some(Ok(Tlv {
            attr_type,
            value,
            offset,
        }))
    }
}

/// A destination for encoded bytes.
///
/// Builders in this crate are generic over `Buf`, so the same code writes into a growing
/// `Vec<u8>`, a fixed buffer ([`SliceBuf`]) or only counts ([`Counter`]).
pub trait Buf {
    /// Appends `bytes`, or fails without writing anything.
    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError>;
    /// Bytes written so far.
    fn written(&self) -> usize;
    /// Bytes that can still be put: the writers check it so that a fixed buffer never
    /// ends with half an attribute. Growing buffers keep the default (unbounded).
    fn available(&self) -> usize {
        usize::MAX
    }
    /// Appends `head` then `tail` (a header and its value) as one unit: nothing is
    /// written when both do not fit. Fixed buffers override it with a single check.
    #[inline]
    fn put_parts(&mut self, head: &[u8], tail: &[u8]) -> Result<(), WriteError> {
        ensure_room(&*self, head.len().saturating_add(tail.len()))?;
        self.put(head)?;
        self.put(tail)
    }
}

/// Fails with [`WriteError::BufferFull`] unless `needed` more bytes fit in `out`.
#[inline]
pub(crate) fn ensure_room<B: Buf + ?Sized>(out: &B, needed: usize) -> Result<(), WriteError> {
    let available = out.available();
    if needed > available {
        return Err(WriteError::BufferFull { needed, available });
    }
    Ok(())
}

#[cfg(feature = "alloc")]
impl Buf for alloc::vec::Vec<u8> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.extend_from_slice(bytes);
        Ok(())
    }
    #[inline]
    fn written(&self) -> usize {
        self.len()
    }
    #[inline]
    fn put_parts(&mut self, head: &[u8], tail: &[u8]) -> Result<(), WriteError> {
        self.reserve(head.len().saturating_add(tail.len()));
        self.extend_from_slice(head);
        self.extend_from_slice(tail);
        Ok(())
    }
}

/// A [`Buf`] over a caller-provided slice: no allocation, an error when out of room.
#[derive(Debug)]
pub struct SliceBuf<'a> {
    buf: &'a mut [u8],
    len: usize,
}

impl<'a> SliceBuf<'a> {
    /// Writes into `buf` from its start.
    pub fn new(buf: &'a mut [u8]) -> Self {
        SliceBuf { buf, len: 0 }
    }

    /// The bytes written so far.
    pub fn as_slice(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }

    /// Gives back the written part of the buffer.
    pub fn into_written(self) -> &'a mut [u8] {
        let len = self.len;
        self.buf.get_mut(..len).unwrap_or(&mut [])
    }
}

impl SliceBuf<'_> {
    #[cold]
    fn full(&self, needed: usize) -> WriteError {
        WriteError::BufferFull {
            needed,
            available: self.available(),
        }
    }
}

impl Buf for SliceBuf<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.put_parts(bytes, &[])
    }
    #[inline]
    fn written(&self) -> usize {
        self.len
    }
    #[inline]
    fn available(&self) -> usize {
        self.buf.len().saturating_sub(self.len)
    }
    #[inline]
    fn put_parts(&mut self, head: &[u8], tail: &[u8]) -> Result<(), WriteError> {
        // One capacity check for both parts, then two copies whose bounds the compiler
        // can see are within `dst`.
        let needed = head.len().saturating_add(tail.len());
        let free = self.buf.get_mut(self.len..).unwrap_or(&mut []);
        let Some((dst_head, dst_tail)) = free
            .get_mut(..needed)
            .and_then(|dst| dst.split_at_mut_checked(head.len()))
        else {
            return Err(self.full(needed));
        };
        dst_head.copy_from_slice(head);
        dst_tail.copy_from_slice(tail);
        // At most `buf.len()`: the copies above fitted.
        self.len = self.len.saturating_add(needed);
        Ok(())
    }
}

/// A [`Buf`] that only counts: run a builder on it to learn the encoded length.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counter(pub(crate) usize);

impl Buf for Counter {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        self.0 = self.0.saturating_add(bytes.len());
        Ok(())
    }
    fn written(&self) -> usize {
        self.0
    }
}

impl<B: Buf + ?Sized> Buf for &mut B {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), WriteError> {
        (**self).put(bytes)
    }
    #[inline]
    fn written(&self) -> usize {
        (**self).written()
    }
    #[inline]
    fn available(&self) -> usize {
        (**self).available()
    }
    #[inline]
    fn put_parts(&mut self, head: &[u8], tail: &[u8]) -> Result<(), WriteError> {
        (**self).put_parts(head, tail)
    }
}

/// `len` as a length field whose largest value is `max` (`u8::MAX`, `u16::MAX`), or
/// [`WriteError::ValueTooLong`].
#[inline]
pub(crate) fn encode_len<L>(len: usize, max: L) -> Result<L, WriteError>
where
    L: TryFrom<usize>,
    usize: From<L>,
{
    L::try_from(len).map_err(|_| WriteError::ValueTooLong {
        len,
        max: usize::from(max),
    })
}

/// Writes only the 4-byte header of an attribute whose `len`-byte value follows.
#[inline]
pub(crate) fn write_header<B: Buf + ?Sized>(
    out: &mut B,
    attr_type: u16,
    len: usize,
) -> Result<(), WriteError> {
    let len16 = encode_len(len, u16::MAX)?;
    let t = attr_type.to_be_bytes();
    let l = len16.to_be_bytes();
    out.put(&[t[0], t[1], l[0], l[1]])
}

/// Appends one attribute (header and value).
///
/// On a [`SliceBuf`] nothing is written when the whole attribute does not fit.
// Inlined on 64-bit hosts; one outlined copy per buffer type on 32-bit
// microcontrollers, where flash is short.
#[cfg_attr(target_pointer_width = "64", inline)]
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
pub fn write_tlv<B: Buf + ?Sized>(
    out: &mut B,
    attr_type: u16,
    value: &[u8],
) -> Result<(), WriteError> {
    let len16 = encode_len(value.len(), u16::MAX)?;
    let t = attr_type.to_be_bytes();
    let l = len16.to_be_bytes();
    // As one unit, so a fixed buffer never holds half an attribute.
    out.put_parts(&[t[0], t[1], l[0], l[1]], value)
}

/// Appends a one-byte attribute.
#[inline]
pub fn write_u8<B: Buf + ?Sized>(out: &mut B, attr_type: u16, value: u8) -> Result<(), WriteError> {
    write_tlv(out, attr_type, &[value])
}

/// Appends a two-byte (big-endian) attribute.
#[inline]
pub fn write_u16<B: Buf + ?Sized>(
    out: &mut B,
    attr_type: u16,
    value: u16,
) -> Result<(), WriteError> {
    write_tlv(out, attr_type, &value.to_be_bytes())
}

/// One subelement of a WFA vendor extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Subelement<'a> {
    /// Subelement ID (0 = Version2, 1 = AuthorizedMACs, …).
    pub id: u8,
    /// Its data, borrowed.
    pub value: &'a [u8],
    /// Offset of its header within the subelement data.
    pub offset: usize,
}

/// Why a subelement list could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SubelementError {
    /// A subelement's length runs past the end of the extension.
    ///
    /// hostapd stops reading the extension silently at this point; callers that want its
    /// behaviour treat this error as the end of the list.
    #[error(
        "subelement {id:#04x} at offset {offset} declares {declared} byte(s) but only {available} remain"
    )]
    LengthOverrun {
        /// The subelement's ID.
        id: u8,
        /// Offset of its header.
        offset: usize,
        /// Declared data length.
        declared: usize,
        /// Bytes left after the header.
        available: usize,
    },
}

/// Iterates the subelements of a WFA vendor extension's data (the bytes after the
/// 3-byte vendor ID).
///
/// Like hostapd it reads while at least two bytes remain, so a single trailing byte is
/// ignored; a length running past the end yields one error and ends the iteration.
///
/// ```
/// use wps::tlv::SubelementReader;
/// // Version2 = 2.0, AuthorizedMACs = broadcast
/// let data = [0x00, 0x01, 0x20, 0x01, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
/// let ids: Vec<u8> = SubelementReader::new(&data).map(|s| s.unwrap().id).collect();
/// assert_eq!(ids, [0, 1]);
/// ```
#[derive(Debug, Clone)]
pub struct SubelementReader<'a> {
    buf: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> SubelementReader<'a> {
    /// Reads `data`, the vendor extension's value without its vendor ID.
    pub fn new(data: &'a [u8]) -> Self {
        SubelementReader {
            buf: data,
            pos: 0,
            done: false,
        }
    }
}

impl<'a> Iterator for SubelementReader<'a> {
    type Item = Result<Subelement<'a>, SubelementError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let rest = self.buf.get(self.pos..).unwrap_or(&[]);
        let Some(([id, len], body)) = rest.split_first_chunk::<SUBELEMENT_HEADER_LEN>() else {
            self.done = true;
            return None;
        };
        let offset = self.pos;
        let declared = usize::from(*len);
        let Some(value) = body.get(..declared) else {
            self.done = true;
            return Some(Err(SubelementError::LengthOverrun {
                id: *id,
                offset,
                declared,
                available: body.len(),
            }));
        };
        self.pos = offset
            .saturating_add(SUBELEMENT_HEADER_LEN)
            .saturating_add(declared);
        Some(Ok(Subelement {
            id: *id,
            value,
            offset,
        }))
    }
}

/// Appends one WFA subelement (1-byte ID, 1-byte length, data).
// Inlined on 64-bit hosts; one outlined copy per buffer type on 32-bit
// microcontrollers, where flash is short.
#[cfg_attr(target_pointer_width = "64", inline)]
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
pub fn write_subelement<B: Buf + ?Sized>(
    out: &mut B,
    id: u8,
    value: &[u8],
) -> Result<(), WriteError> {
    out.put_parts(&[id, encode_len(value.len(), u8::MAX)?], value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn reads_attributes_with_offsets() {
        let buf = [0x10, 0x4a, 0x00, 0x01, 0x10, 0x10, 0x22, 0x00, 0x00];
        let v: Vec<_> = TlvReader::new(&buf).collect();
        assert_eq!(
            v,
            [
                Ok(Tlv {
                    attr_type: 0x104a,
                    value: &[0x10][..],
                    offset: 0
                }),
                Ok(Tlv {
                    attr_type: 0x1022,
                    value: &[][..],
                    offset: 5
                }),
            ]
        );
    }

    #[test]
    fn truncated_header_is_an_error_then_stops() {
        let buf = [0x10, 0x4a, 0x00, 0x01, 0x10, 0x10, 0x22];
        let mut r = TlvReader::new(&buf);
        assert!(r.next().is_some_and(|t| t.is_ok()));
        assert_eq!(
            r.next(),
            Some(Err(TlvError::TruncatedHeader {
                offset: 5,
                available: 2
            }))
        );
        assert_eq!(r.next(), None);
    }

    #[test]
    fn overrun_is_an_error() {
        let buf = [0x10, 0x10, 0x00, 0x01];
        assert_eq!(
            TlvReader::validate(&buf),
            Err(TlvError::LengthOverrun {
                attr_type: 0x1010,
                offset: 0,
                declared: 1,
                available: 0
            })
        );
    }

    #[test]
    fn slice_buf_refuses_partial_attribute() {
        let mut storage = [0u8; 6];
        let mut out = SliceBuf::new(&mut storage);
        assert!(write_tlv(&mut out, 0x1022, &[4]).is_ok());
        assert_eq!(
            write_tlv(&mut out, 0x104a, &[0x10]),
            Err(WriteError::BufferFull {
                needed: 5,
                available: 1
            })
        );
        assert_eq!(out.as_slice(), &[0x10, 0x22, 0x00, 0x01, 0x04]);
    }

    /// Found by the `tlv` fuzz target: the header fitted, the value did not, and the
    /// header stayed in the buffer.
    #[test]
    fn slice_buf_refuses_value_that_does_not_fit_after_header() {
        let mut storage = [0u8; 5];
        let mut out = SliceBuf::new(&mut storage);
        assert_eq!(
            write_tlv(&mut out, 0x1045, b"ab"),
            Err(WriteError::BufferFull {
                needed: 6,
                available: 5
            })
        );
        assert_eq!(out.written(), 0);
        let mut storage = [0u8; 3];
        let mut out = SliceBuf::new(&mut storage);
        assert!(write_subelement(&mut out, 0, &[0x20, 0x00]).is_err());
        assert_eq!(out.written(), 0);
    }

    #[test]
    fn value_too_long() {
        let big = alloc::vec![0u8; 65536];
        let mut out = Vec::new();
        assert_eq!(
            write_tlv(&mut out, 1, &big),
            Err(WriteError::ValueTooLong {
                len: 65536,
                max: 65535
            })
        );
        assert!(out.is_empty());
    }

    #[test]
    fn subelements_stop_on_single_trailing_byte() {
        let data = [0x00, 0x01, 0x20, 0x07];
        let v: Vec<_> = SubelementReader::new(&data).collect();
        assert_eq!(v.len(), 1);
    }

    #[test]
    fn subelement_overrun() {
        let data = [0x01, 0x06, 0xff];
        let v: Vec<_> = SubelementReader::new(&data).collect();
        assert!(matches!(
            v.as_slice(),
            [Err(SubelementError::LengthOverrun { id: 1, .. })]
        ));
    }
}
