//! The 802.11 WPS information element: WSC attributes in beacons, probe
//! requests/responses and (re)association frames.
//!
//! The attribute stream is cut into chunks of at most [`MAX_CHUNK`] bytes,
//! each in its own vendor element `DD <4+len> 00 50 F2 04 <chunk>`, at byte
//! boundaries (an attribute may straddle two elements), as hostapd's
//! `wps_ie_encapsulate` does. A receiver concatenates the payloads of all WPS
//! vendor elements in frame order.
//!
//! ```
//! use wps::eap::ie;
//! let attrs = [0x10, 0x4a, 0x00, 0x01, 0x10];
//! let mut ies = [0u8; 16];
//! let n = ie::split(&attrs, &mut ies)?;
//! assert_eq!(&ies[..n], [0xdd, 9, 0x00, 0x50, 0xf2, 0x04, 0x10, 0x4a, 0x00, 0x01, 0x10]);
//! let mut joined = [0u8; 16];
//! let m = ie::join(&ies[..n], &mut joined)?;
//! assert_eq!(&joined[..m], attrs);
//! # Ok::<(), ie::IeError>(())
//! ```

/// Element ID of vendor-specific elements.
pub const ELEMENT_ID_VENDOR: u8 = 221;
/// OUI 00:50:F2 (Microsoft) and OUI type 4 (WPS).
pub const WPS_OUI_TYPE: [u8; 4] = [0x00, 0x50, 0xf2, 0x04];
/// Most attribute bytes per element (255 − 4).
pub const MAX_CHUNK: usize = 251;

/// Why elements could not be split or joined.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IeError {
    /// An element's length runs past the end of the buffer.
    #[error("element at offset {offset} truncated")]
    Truncated {
        /// Offset of the element's ID byte.
        offset: usize,
    },
    /// The output buffer is too small.
    #[error("output buffer too small: need {needed} bytes")]
    BufferTooSmall {
        /// Bytes needed.
        needed: usize,
    },
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
    type Item = Result<Element<'a>, IeError>;

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
                Some(Err(IeError::Truncated {
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
/// assert_eq!(wps::eap::ie::split_len(251), 257);
/// assert_eq!(wps::eap::ie::split_len(252), 264);
/// assert_eq!(wps::eap::ie::split_len(usize::MAX), usize::MAX);
/// ```
pub fn split_len(attrs_len: usize) -> usize {
    let headers = attrs_len.div_ceil(MAX_CHUNK).saturating_mul(6);
    attrs_len.saturating_add(headers)
}

/// Wrap an attribute stream into WPS vendor elements; returns the bytes written.
/// An empty stream gives no element.
pub fn split(attrs: &[u8], out: &mut [u8]) -> Result<usize, IeError> {
    let needed = split_len(attrs.len());
    let out = out
        .get_mut(..needed)
        .ok_or(IeError::BufferTooSmall { needed })?;
    let mut at = 0;
    for chunk in attrs.chunks(MAX_CHUNK) {
        // chunk.len() <= 251, so 4 + len fits a u8
        let len = chunk.len().saturating_add(4) as u8;
        let mut w = super::Writer {
            out: out.get_mut(at..).unwrap_or_default(),
            at: 0,
        };
        w.put(&[ELEMENT_ID_VENDOR, len]);
        w.put(&WPS_OUI_TYPE);
        w.put(chunk);
        // Within `out`, whose length is `needed`: cannot saturate.
        at = at.saturating_add(w.at);
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

/// Concatenate the payloads of all WPS vendor elements in `elements` into
/// `out`; returns the bytes written.
pub fn join(elements: &[u8], out: &mut [u8]) -> Result<usize, IeError> {
    let mut at = 0usize;
    for e in Elements::new(elements) {
        if let Some(p) = e?.wps_payload() {
            // Saturated, it is still too large for `out`: BufferTooSmall.
            let end = at.saturating_add(p.len());
            out.get_mut(at..end)
                .ok_or(IeError::BufferTooSmall { needed: end })?
                .copy_from_slice(p);
            at = end;
        }
    }
    Ok(at)
}

/// Append the concatenated WPS payloads of `elements` to `out`. On error
/// `out` is left as it was.
#[cfg(feature = "alloc")]
pub fn join_vec(elements: &[u8], out: &mut alloc::vec::Vec<u8>) -> Result<(), IeError> {
    let start = out.len();
    for e in Elements::new(elements) {
        match e {
            Ok(e) => out.extend_from_slice(e.wps_payload().unwrap_or_default()),
            Err(err) => {
                out.truncate(start);
                return Err(err);
            }
        }
    }
    Ok(())
}

#[cfg(all(test, feature = "std"))]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]
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
        join_vec(&frame, &mut v).unwrap();
        assert_eq!(v, [1, 2, 3]);
        assert_eq!(
            join(&frame[..frame.len() - 1], &mut [0u8; 8]),
            Err(IeError::Truncated { offset: 22 })
        );
        assert_eq!(join(&[221], &mut []), Err(IeError::Truncated { offset: 0 }));
        let mut v = vec![9];
        assert!(join_vec(&[1, 5, 0], &mut v).is_err());
        assert_eq!(v, [9]);
        assert_eq!(
            join(&frame, &mut [0u8; 2]),
            Err(IeError::BufferTooSmall { needed: 3 })
        );
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
            let m = join(&ies, &mut joined).unwrap();
            prop_assert_eq!(&joined[..m], &attrs[..]);
        }

        #[test]
        fn join_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            let mut out = [0u8; 300];
            let _ = join(&bytes, &mut out);
        }
    }
}
