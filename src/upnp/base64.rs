//! base64 as the WFAWLANConfig service carries it (`bin.base64`): the standard alphabet
//! with `=` padding, written in lines of 72 characters each ended by `\n` (hostapd's and
//! wpa_supplicant's output), read with every ASCII whitespace ignored.
//!
//! A few lines of our own rather than the `base64` crate: its engines reject the line
//! breaks both daemons write, so every input would be copied once to strip them, and
//! the wrapped output would need a second pass too.

use alloc::string::String;
use alloc::vec::Vec;

/// Characters per output line, as hostapd writes them.
pub const LINE: usize = 72;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Why base64 text was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Base64Error {
    /// A character outside the alphabet, `=` and whitespace, at this byte offset.
    #[error("base64 text has a stray character at offset {0}")]
    BadCharacter(usize),
    /// The characters (whitespace aside) do not come in groups of four.
    #[error("base64 text is cut short")]
    Truncated,
    /// `=` somewhere other than the last one or two places.
    #[error("base64 text has padding in the middle")]
    BadPadding,
}

/// `data` in lines of [`LINE`] characters, each line (the last too) ended by `\n`;
/// nothing at all for empty data.
///
/// ```
/// # use wps::upnp::base64;
/// assert_eq!(base64::encode_wrapped(b"WPS"), "V1BT\n");
/// assert_eq!(base64::decode(b" V1\r\nBT ")?, b"WPS");
/// # Ok::<(), base64::Base64Error>(())
/// ```
pub fn encode_wrapped(data: &[u8]) -> String {
    let groups = data.len().div_ceil(3);
    let chars = groups.saturating_mul(4);
    let mut out = String::with_capacity(chars.saturating_add(chars / LINE).saturating_add(1));
    let mut column = 0usize;
    for chunk in data.chunks(3) {
        let b0 = chunk.first().copied().unwrap_or(0);
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let n = u32::from_be_bytes([0, b0, b1, b2]);
        for (i, shift) in [18u32, 12, 6, 0].into_iter().enumerate() {
            if i > chunk.len() {
                out.push('=');
            } else {
                let index = usize::try_from(n.wrapping_shr(shift) & 0x3f).unwrap_or(0);
                out.push(char::from(ALPHABET.get(index).copied().unwrap_or(b'A')));
            }
        }
        column = column.saturating_add(4);
        if column >= LINE {
            out.push('\n');
            column = 0;
        }
    }
    if column != 0 {
        out.push('\n');
    }
    out
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c.wrapping_sub(b'A')),
        b'a'..=b'z' => Some(c.wrapping_sub(b'a').wrapping_add(26)),
        b'0'..=b'9' => Some(c.wrapping_sub(b'0').wrapping_add(52)),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The bytes of base64 `text`; spaces, tabs, CR and LF anywhere are skipped. Strict
/// otherwise: the standard alphabet, whole groups of four, `=` only at the end. The
/// output is at most three quarters of the input's length.
pub fn decode(text: &[u8]) -> Result<Vec<u8>, Base64Error> {
    let mut out = Vec::with_capacity((text.len() / 4).saturating_mul(3));
    let mut group = [0u8; 4];
    let mut filled = 0usize;
    let mut padding = 0usize;
    for (offset, &c) in text.iter().enumerate() {
        if matches!(c, b' ' | b'\t' | b'\r' | b'\n') {
            continue;
        }
        let value = if c == b'=' {
            // Only the third or fourth place of a group may be padding.
            if filled < 2 {
                return Err(Base64Error::BadPadding);
            }
            padding = padding.saturating_add(1);
            0
        } else {
            if padding > 0 {
                return Err(Base64Error::BadPadding);
            }
            sextet(c).ok_or(Base64Error::BadCharacter(offset))?
        };
        let Some(slot) = group.get_mut(filled) else {
            return Err(Base64Error::Truncated);
        };
        *slot = value;
        filled = filled.saturating_add(1);
        if filled == 4 {
            let [a, b, c, d] = group.map(u32::from);
            let n = a.wrapping_shl(18) | b.wrapping_shl(12) | c.wrapping_shl(6) | d;
            let [_, x, y, z] = n.to_be_bytes();
            let keep = 3usize.saturating_sub(padding);
            out.extend_from_slice([x, y, z].get(..keep).unwrap_or(&[]));
            filled = 0;
            if padding > 0 {
                // A padded group ends the text (whitespace aside).
                padding = usize::MAX / 2;
            }
        }
    }
    if filled != 0 {
        return Err(Base64Error::Truncated);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[allow(unused_imports)]
    use alloc::{string::ToString, vec, vec::Vec};
    use proptest::prelude::*;

    #[test]
    fn known_values() {
        assert_eq!(encode_wrapped(b""), "");
        assert_eq!(encode_wrapped(b"f"), "Zg==\n");
        assert_eq!(encode_wrapped(b"fo"), "Zm8=\n");
        assert_eq!(encode_wrapped(b"foo"), "Zm9v\n");
        assert_eq!(decode(b"Zg==").as_deref(), Ok(&b"f"[..]));
        assert_eq!(decode(b"Zm8=\n").as_deref(), Ok(&b"fo"[..]));
        assert_eq!(decode(b"").as_deref(), Ok(&b""[..]));
    }

    #[test]
    fn lines_of_72_and_exact_fill_ends_with_one_newline() {
        let text = encode_wrapped(&[0u8; 54]);
        assert_eq!(text.len(), 73);
        assert!(text.ends_with("A\n"));
        let text = encode_wrapped(&[0u8; 55]);
        assert_eq!(text.lines().map(str::len).collect::<Vec<_>>(), [72, 4]);
    }

    #[test]
    fn hostile_text_is_refused() {
        assert_eq!(decode(b"Zm9v!"), Err(Base64Error::BadCharacter(4)));
        assert_eq!(decode(b"Zm9"), Err(Base64Error::Truncated));
        assert_eq!(decode(b"Z==="), Err(Base64Error::BadPadding));
        assert_eq!(decode(b"Zg==Zm9v"), Err(Base64Error::BadPadding));
        assert_eq!(decode(b"Zg=a"), Err(Base64Error::BadPadding));
        assert_eq!(decode(b"Zg==="), Err(Base64Error::BadPadding));
    }

    proptest! {
        #[test]
        fn round_trip(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let text = encode_wrapped(&data);
            prop_assert!(text.lines().all(|l| l.len() <= LINE));
            prop_assert_eq!(decode(text.as_bytes()), Ok(data));
        }

        #[test]
        fn never_panics(text in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&text);
        }
    }
}
