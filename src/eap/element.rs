//! The 802.11 WPS information element: WSC attributes in beacons, probe
//! requests/responses and (re)association frames.
//!
//! The attribute stream is cut into chunks of at most [`MAX_CHUNK`] bytes,
//! each in its own vendor element `DD <4+len> 00 50 F2 04 <chunk>`, at byte
//! boundaries (an attribute may straddle two elements), as hostapd's
//! `wps_ie_encapsulate` does. A receiver concatenates the payloads of all WPS
//! vendor elements in frame order; an element damaged on the air (its length runs
//! past the end of the frame) ends the walk without throwing away the WPS elements
//! before it ([`Joined::damage`]).
//!
//! ```
//! use wps::eap::element;
//! let attrs = [0x10, 0x4a, 0x00, 0x01, 0x10];
//! let mut ies = [0u8; 16];
//! let n = element::split(&attrs, &mut ies)?;
//! assert_eq!(&ies[..n], [0xdd, 9, 0x00, 0x50, 0xf2, 0x04, 0x10, 0x4a, 0x00, 0x01, 0x10]);
//! let mut joined = [0u8; 16];
//! let m = element::join(&ies[..n], &mut joined)?.len;
//! assert_eq!(&joined[..m], attrs);
//! # Ok::<(), element::ElementError>(())
//! ```
use crate::tlv::{self, Buf, SliceBuf, WriteError};

/// Element ID of vendor-specific elements.
pub const ELEMENT_ID_VENDOR: u8 = 221;
/// OUI 00:50:F2 (Microsoft) and OUI type 4 (WPS).
pub const WPS_OUI_TYPE: [u8; 4] = [0x00, 0x50, 0xf2, 0x04];
/// Most attribute bytes per element (255 − 4).
pub const MAX_CHUNK: usize = 251;

/// Why elements could not be split or joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ElementError {
    /// An element's length runs past the end of the buffer.
    #[error("element at offset {offset} truncated")]
    Truncated {
        /// Offset of the element's ID byte.
        offset: usize,
    },
    /// The output buffer is too small.
    #[error(transparent)]
    Write(#[from] WriteError),
}

/// One 802.11 element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Element<'a> {
    /// Element ID.
    pub id: u8,
    /// The element's contents (after ID and length).
    pub data: &'a [u8],
}

impl<'a> Element<'a> {
    /// The WSC attribute bytes, if this is a WPS vendor element.
    pub fn wps_payload(&self) -> Option<&'a [u8]> {
        if self.id != ELEMENT_ID_VENDOR {
            return None;
        }
        self.data.strip_prefix(&WPS_OUI_TYPE[..])
    }
}

/// Iterator over the elements of a buffer; yields one error and stops at a
/// truncated element.
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Elements<'a> {
    /// Iterate the elements in `bytes` (e.g. a beacon body after the fixed fields).
    pub fn new(bytes: &'a [u8]) -> Self {
        Elements {
            rest: bytes,
            offset: 0,
        }
    }
}

impl<'a> Iterator for Elements<'a> {
    type Item = Result<Element<'a>, ElementError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let parsed = match *self.rest {
            [id, len, ref tail @ ..] => tail
                .split_at_checked(usize::from(len))
                .map(|(data, after)| (Element { id, data }, after)),
            _ => None,
        };
        match parsed {
            Some((element, after)) => {
                // An offset within `bytes`: cannot saturate.
                self.offset = self
                    .offset
                    .saturating_add(2)
                    .saturating_add(element.data.len());
                self.rest = after;
                Some(Ok(element))
            }
            None => {
                self.rest = &[];
                Some(Err(ElementError::Truncated {
                    offset: self.offset,
                }))
            }
        }
    }
}

/// Bytes [`split`] writes for `attrs_len` attribute bytes (6 bytes of element header
/// per 251 attribute bytes). Saturates at `usize::MAX` for lengths no slice can have.
///
/// ```
/// assert_eq!(wps::eap::element::split_len(251), 257);
/// assert_eq!(wps::eap::element::split_len(252), 264);
/// assert_eq!(wps::eap::element::split_len(usize::MAX), usize::MAX);
/// ```
pub fn split_len(attrs_len: usize) -> usize {
    let headers = attrs_len.div_ceil(MAX_CHUNK).saturating_mul(6);
    attrs_len.saturating_add(headers)
}

/// Wrap an attribute stream into WPS vendor elements; returns the bytes written.
/// An empty stream gives no element.
pub fn split(attrs: &[u8], out: &mut [u8]) -> Result<usize, WriteError> {
    let needed = split_len(attrs.len());
    let mut w = SliceBuf::new(out);
    tlv::ensure_room(&w, needed)?;
    let [o0, o1, o2, o3] = WPS_OUI_TYPE;
    for chunk in attrs.chunks(MAX_CHUNK) {
        // chunk.len() <= 251, so 4 + len fits a u8
        let len = chunk.len().saturating_add(4) as u8;
        w.put_parts(&[ELEMENT_ID_VENDOR, len, o0, o1, o2, o3], chunk)?;
    }
    Ok(needed)
}

/// Append the WPS vendor elements for `attrs` to `out`.
#[cfg(feature = "alloc")]
pub fn split_vec(attrs: &[u8], out: &mut alloc::vec::Vec<u8>) {
    let start = out.len();
    out.resize(start.saturating_add(split_len(attrs.len())), 0);
    // the slice was sized by split_len, so split cannot fail
    let _ = split(attrs, out.get_mut(start..).unwrap_or_default());
}

/// What [`join`] and [`join_vec`] collected: the attribute bytes of every intact WPS
/// element, and the damage that ended the walk early, if any.
///
/// Like wpa_supplicant's `wpa_scan_get_vendor_ie_multi`, a damaged element (its length
/// runs past the end of the frame) does not throw away the WPS elements before it: the
/// walk stops there and keeps what it has. Whether that is enough is the caller's call:
/// [`Joined::complete`] refuses any damage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Joined {
    /// Attribute bytes written.
    pub len: usize,
    /// WPS elements joined.
    pub wps_elements: usize,
    /// The element that ended the walk early (its length runs past the end), if one did.
    pub damage: Option<Damaged>,
}

impl Joined {
    /// The length, or [`ElementError::Truncated`] when an element was damaged (the strict
    /// reading: every element must be whole).
    pub fn complete(self) -> Result<usize, ElementError> {
        match self.damage {
            None => Ok(self.len),
            Some(Damaged { offset }) => Err(ElementError::Truncated { offset }),
        }
    }
}

/// An element whose length runs past the end of the buffer; the walk stopped there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the element at offset {offset} runs past the end of the frame")]
pub struct Damaged {
    /// Offset of the damaged element's ID byte.
    pub offset: usize,
}

/// Concatenate the payloads of all WPS vendor elements in `elements` into `out`.
///
/// A damaged element ends the walk but keeps the WPS elements before it
/// ([`Joined::damage`]); only a too small `out` is an error.
///
/// ```
/// use wps::eap::element::{self, Damaged};
/// // An intact WPS element, then an element whose length runs past the end.
/// let frame = [221, 5, 0x00, 0x50, 0xf2, 0x04, 0x10, 48, 20, 1];
/// let mut out = [0u8; 8];
/// let joined = element::join(&frame, &mut out)?;
/// assert_eq!(&out[..joined.len], [0x10]);
/// assert_eq!(joined.damage, Some(Damaged { offset: 7 }));
/// # Ok::<(), element::ElementError>(())
/// ```
pub fn join(elements: &[u8], out: &mut [u8]) -> Result<Joined, ElementError> {
    walk_wps(elements, |p, so_far| {
        // Saturated, it is still too large for `out`: BufferFull.
        let end = so_far.len.saturating_add(p.len());
        let available = out.len().saturating_sub(so_far.len);
        out.get_mut(so_far.len..end)
            .ok_or(WriteError::BufferFull {
                needed: p.len(),
                available,
            })?
            .copy_from_slice(p);
        Ok::<(), ElementError>(())
    })
}

/// Walks `elements` up to a damaged one, handing each WPS payload to `each` with what
/// came before it; what it returns counts the payloads, their bytes and the damage.
fn walk_wps<'a, E>(
    elements: &'a [u8],
    mut each: impl FnMut(&'a [u8], &Joined) -> Result<(), E>,
) -> Result<Joined, E> {
    let mut joined = Joined {
        len: 0,
        wps_elements: 0,
        damage: None,
    };
    for e in Elements::new(elements) {
        match e {
            Ok(e) => {
                if let Some(p) = e.wps_payload() {
                    each(p, &joined)?;
                    // Sums of lengths within `elements`: cannot saturate.
                    joined.len = joined.len.saturating_add(p.len());
                    joined.wps_elements = joined.wps_elements.saturating_add(1);
                }
            }
            Err(err) => {
                joined.damage = damaged(err);
                break;
            }
        }
    }
    Ok(joined)
}

/// The damage an [`Elements`] error stands for.
fn damaged(err: ElementError) -> Option<Damaged> {
    match err {
        ElementError::Truncated { offset } => Some(Damaged { offset }),
        ElementError::Write(_) => None,
    }
}

/// The WSC attribute stream of `elements` without copying when there is one WPS element
/// (the usual case); two or more are joined into `scratch`. An empty stream and no
/// damage: the frame has no WPS element.
///
/// A damaged element ends the walk and keeps what came before, as [`join`] does.
/// `scratch` too small for the joined stream is [`ElementError::Write`].
///
/// ```
/// use wps::eap::element;
/// let frame = [0, 1, b'x', 221, 5, 0x00, 0x50, 0xf2, 0x04, 0x10];
/// let mut scratch = [0u8; 0]; // one WPS element: not needed
/// let (attrs, joined) = element::wps_attributes(&frame, &mut scratch)?;
/// assert_eq!(attrs, [0x10]);
/// assert_eq!((joined.wps_elements, joined.damage), (1, None));
/// # Ok::<(), element::ElementError>(())
/// ```
pub fn wps_attributes<'a>(
    elements: &'a [u8],
    scratch: &'a mut [u8],
) -> Result<(&'a [u8], Joined), ElementError> {
    let mut first: &'a [u8] = &[];
    let Ok(joined) = walk_wps(elements, |p, so_far| {
        if so_far.wps_elements == 0 {
            first = p;
        }
        Ok::<(), core::convert::Infallible>(())
    });
    if joined.wps_elements <= 1 {
        return Ok((first, joined));
    }
    let again = join(elements, scratch)?;
    let attrs = scratch.get(..again.len).unwrap_or_default();
    Ok((attrs, again))
}

/// Append the concatenated WPS payloads of `elements` to `out`: every intact WPS element
/// up to a damaged one, as [`join`] does. [`Joined::len`] is the number of bytes
/// appended.
#[cfg(feature = "alloc")]
pub fn join_vec(elements: &[u8], out: &mut alloc::vec::Vec<u8>) -> Joined {
    let Ok(joined) = walk_wps(elements, |p, _| {
        out.extend_from_slice(p);
        Ok::<(), core::convert::Infallible>(())
    });
    joined
}

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::{vec, vec::Vec};

    #[test]
    fn chunks_of_251() {
        let attrs: Vec<u8> = (0..600u32).map(|i| i as u8).collect();
        let mut v = Vec::new();
        split_vec(&attrs, &mut v);
        let lens: Vec<_> = Elements::new(&v).map(|e| e.unwrap().data.len()).collect();
        assert_eq!(lens, [255, 255, 102]);
        assert!(split(&attrs, &mut [0u8; 10]).is_err());
        assert_eq!(split(&[], &mut []), Ok(0));
    }

    #[test]
    fn join_skips_other_elements_and_reports_truncation() {
        let frame = [
            0, 3, b'a', b'b', b'c', // SSID
            221, 5, 0x00, 0x50, 0xf2, 0x04, 1, // WPS
            221, 4, 0x00, 0x50, 0xf2, 0x02, // WMM-ish, not WPS
            221, 2, 0x00, 0x50, // short vendor element
            221, 6, 0x00, 0x50, 0xf2, 0x04, 2, 3, // WPS
        ];
        let mut v = Vec::new();
        let joined = join_vec(&frame, &mut v);
        assert_eq!(v, [1, 2, 3]);
        assert_eq!(
            (joined.len, joined.wps_elements, joined.damage),
            (3, 2, None)
        );
        // The last WPS element is cut: the first one is kept, the damage reported.
        let mut out = [0u8; 8];
        let cut = join(&frame[..frame.len() - 1], &mut out).unwrap();
        assert_eq!(cut.damage, Some(Damaged { offset: 22 }));
        assert_eq!(&out[..cut.len], [1]);
        assert_eq!(cut.complete(), Err(ElementError::Truncated { offset: 22 }));
        let none = join(&[221], &mut []).unwrap();
        assert_eq!((none.len, none.damage), (0, Some(Damaged { offset: 0 })));
        let mut v = vec![9];
        let j = join_vec(&[1, 5, 0], &mut v);
        assert_eq!((j.len, j.damage), (0, Some(Damaged { offset: 0 })));
        assert_eq!(v, [9]);
        assert_eq!(
            join(&frame, &mut [0u8; 2]),
            Err(ElementError::Write(WriteError::BufferFull {
                needed: 2,
                available: 1
            }))
        );
        // Borrowed when there is one WPS element, joined when there are more.
        let (attrs, j) = wps_attributes(&frame[..12], &mut []).unwrap();
        assert_eq!((attrs, j.wps_elements), (&[1u8][..], 1));
        let mut scratch = [0u8; 8];
        let (attrs, j) = wps_attributes(&frame, &mut scratch).unwrap();
        assert_eq!((attrs, j.wps_elements), (&[1u8, 2, 3][..], 2));
        assert!(wps_attributes(&frame, &mut []).is_err());
    }

    proptest! {
        #[test]
        fn split_join_identity(attrs in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let mut ies = vec![0u8; split_len(attrs.len())];
            let n = split(&attrs, &mut ies).unwrap();
            prop_assert_eq!(n, ies.len());
            for e in Elements::new(&ies) {
                prop_assert!(e.unwrap().wps_payload().is_some());
            }
            let mut joined = vec![0u8; attrs.len()];
            let m = join(&ies, &mut joined).unwrap().complete().unwrap();
            prop_assert_eq!(&joined[..m], &attrs[..]);
        }

        #[test]
        fn join_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut out = [0u8; 300];
            let _ = join(&bytes, &mut out);
            let _ = wps_attributes(&bytes, &mut out);
        }

        /// Any cut of a frame keeps every whole WPS element before the cut, and reports
        /// damage exactly when the cut falls inside an element.
        #[test]
        fn any_cut_keeps_the_whole_wps_elements_before_it(
            attrs in proptest::collection::vec(any::<u8>(), 1..700),
            ssid in proptest::collection::vec(any::<u8>(), 0..32),
            cut in any::<proptest::sample::Index>(),
        ) {
            let mut frame = vec![0, ssid.len() as u8];
            frame.extend_from_slice(&ssid);
            split_vec(&attrs, &mut frame);
            frame.extend_from_slice(&[48, 2, 1, 0]); // an element after the WPS ones
            let cut = cut.index(frame.len() + 1);
            let head = &frame[..cut];
            // What the whole elements before the cut hold.
            let mut expected = Vec::new();
            let mut at = 0;
            let mut whole = true;
            while at < head.len() {
                let end = at + 2 + usize::from(*head.get(at + 1).unwrap_or(&255));
                if end > head.len() { whole = false; break; }
                let data = &head[at + 2..end];
                if head[at] == 221 && data.starts_with(&WPS_OUI_TYPE) {
                    expected.extend_from_slice(&data[4..]);
                }
                at = end;
            }
            let mut out = vec![0u8; frame.len()];
            let joined = join(head, &mut out).unwrap();
            prop_assert_eq!(&out[..joined.len], &expected[..]);
            prop_assert_eq!(joined.damage.is_none(), whole);
            prop_assert_eq!(joined.damage.map(|d| d.offset), (!whole).then_some(at));
            let mut v = Vec::new();
            prop_assert_eq!(join_vec(head, &mut v), joined);
            prop_assert_eq!(&v, &expected);
            let (borrowed, j) = wps_attributes(head, &mut out).unwrap();
            prop_assert_eq!(borrowed, &expected[..]);
            prop_assert_eq!(j.damage, joined.damage);
        }
    }
}
