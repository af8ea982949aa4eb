//! WPS PINs and device passwords: the checksum digit, validation, parsing what a person
//! types, uniform random generation, and the PSK1/PSK2 halves.
//!
//! The protocol never sends the PIN. It enters the exchange only as the *device password*,
//! an opaque byte string whose two halves feed PSK1 and PSK2. So this module has two types:
//!
//! * [`Pin`]: 4 or 8 ASCII digits, the thing a person reads off a label or a screen. An
//!   8-digit PIN ends with a checksum digit ([`checksum`]).
//! * [`DevicePassword`]: any byte string up to [`DevicePassword::MAX_LEN`] bytes. A
//!   registrar accepts arbitrary bytes (hostapd's `WPS_PIN` does no validation; NFC
//!   password tokens are upper-case hex), and push-button runs use the fixed
//!   password `00000000` ([`DevicePassword::pushbutton`]).
//!
//! Both keep their bytes inline (no allocation), zeroize them on drop, redact them in
//! `Debug` and compare in constant time.
//!
//! ```
//! use wps::pin::{checksum, is_valid, Pin};
//!
//! assert_eq!(checksum(1234567), 0);
//! assert!(is_valid(12345670));
//! let pin = Pin::parse("1234-5670")?;
//! assert_eq!(pin.as_str(), "12345670");
//! assert_eq!(pin.to_string(), "1234-5670");
//! let (first, second) = pin.halves();
//! assert_eq!((first, second), (&b"1234"[..], &b"5670"[..]));
//! # Ok::<(), wps::pin::PinError>(())
//! ```

use core::fmt;

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Number of valid 8-digit PINs: one for each 7-digit prefix.
pub const VALID_PIN_COUNT: u32 = 10_000_000;

/// [`checksum`] by table, for 64-bit targets without the `compact-pin-checksum` feature
/// (and the tests, which check it against [`checksum_compact`]).
#[cfg(any(
    test,
    all(target_pointer_width = "64", not(feature = "compact-pin-checksum"))
))]
mod by_table {
    /// Weighted digit sum mod 10 of every four-digit group `0..10_000`, with weights
    /// 3, 1, 3, 1 from the right-most digit.
    ///
    /// The checksum weights alternate 3, 1, 3, 1, … from the right-most digit of the whole
    /// number, and every group of four digits starts on a weight of 3, so the weighted sum
    /// of a number is the sum of this table over its base-10⁴ digits. Two loads and one
    /// division by a constant replace hostapd's loop of seven divisions by ten. The table
    /// costs 10 kB of read-only data, so only 64-bit targets without the
    /// `compact-pin-checksum` feature use it; see
    /// [`checksum_compact`](super::checksum_compact) for the others.
    // Built at compile time: an out-of-range index would fail the build, never panic at run time.
    #[allow(clippy::indexing_slicing)]
    const QUAD_WEIGHT: [u8; 10_000] = {
        let mut table = [0u8; 10_000];
        let mut i = 0;
        while i < 10_000 {
            let weighted = 3 * (i % 10) + (i / 10) % 10 + 3 * ((i / 100) % 10) + i / 1000;
            table[i] = (weighted % 10) as u8;
            i += 1;
        }
        table
    };

    /// `(10 − s mod 10) mod 10` for every possible sum of three [`QUAD_WEIGHT`] entries.
    // Built at compile time: an out-of-range index would fail the build, never panic at run time.
    #[allow(clippy::indexing_slicing)]
    const CHECK_DIGIT: [u8; 28] = {
        let mut table = [0u8; 28];
        let mut i = 0;
        while i < 28 {
            table[i] = ((10 - i % 10) % 10) as u8;
            i += 1;
        }
        table
    };

    /// [`checksum`](super::checksum) by table: two loads and one division by a constant.
    #[inline(always)]
    // The only `+` adds three table entries of at most 9 each: no overflow, no branch.
    #[allow(clippy::arithmetic_side_effects)]
    pub(super) fn checksum(prefix: u32) -> u8 {
        // Three base-10⁴ digits cover all of u32 (the top one is at most 42).
        let high = prefix / 10_000;
        let sum = quad_weight(prefix % 10_000)
            + quad_weight(high % 10_000)
            + quad_weight(prefix / 100_000_000);
        // Each entry is at most 9, so the sum is below CHECK_DIGIT.len(); the fallback is
        // unreachable and only keeps the lookup panic-free.
        CHECK_DIGIT.get(usize::from(sum)).copied().unwrap_or(0)
    }

    #[inline(always)]
    fn quad_weight(group: u32) -> u8 {
        // Callers pass values below 10 000, so the compiler removes the bounds check and
        // the fallback is unreachable.
        QUAD_WEIGHT.get(group as usize).copied().unwrap_or(0)
    }
}

/// The checksum digit of a 7-digit PIN prefix, as hostapd's `wps_pin_checksum`.
///
/// The digits are weighted 3, 1, 3, 1, … starting from the right-most one; the checksum
/// is `(10 − weighted sum mod 10) mod 10`. The 8-digit PIN is `prefix × 10 + checksum`.
/// Like hostapd, any `u32` is accepted and all of its digits take part, so the result
/// equals `wps_pin_checksum` for every input, not only for `0..10_000_000`.
///
/// ```
/// assert_eq!(wps::pin::checksum(1234567), 0); // PIN 12345670
/// assert_eq!(wps::pin::checksum(1), 7); // PIN 00000017
/// ```
#[inline]
#[must_use]
pub fn checksum(prefix: u32) -> u8 {
    #[cfg(all(target_pointer_width = "64", not(feature = "compact-pin-checksum")))]
    return by_table::checksum(prefix);
    #[cfg(not(all(target_pointer_width = "64", not(feature = "compact-pin-checksum"))))]
    return checksum_compact(prefix);
}

/// [`checksum`] without tables, for small builds (32-bit targets, or the
/// `compact-pin-checksum` feature): five base-100 digits cover all of u32, and in each
/// the right digit weighs 3 and the left 1, as every pair starts on a weight of 3.
#[cfg(any(
    test,
    not(all(target_pointer_width = "64", not(feature = "compact-pin-checksum")))
))]
#[inline(always)]
// Digits are below 10, so the sum is at most 5 × 36 = 180: no overflow; `%` and `/` are
// by non-zero constants.
#[allow(clippy::arithmetic_side_effects)]
fn checksum_compact(prefix: u32) -> u8 {
    let mut rest = prefix;
    let mut sum = 0u32;
    for _ in 0..5 {
        let pair = rest % 100;
        rest /= 100;
        sum += 3 * (pair % 10) + pair / 10;
    }
    // Below 10, so the cast keeps the value.
    #[allow(clippy::cast_possible_truncation)]
    let digit = ((10 - sum % 10) % 10) as u8;
    digit
}

/// The 8-digit PIN (as an integer) for a 7-digit prefix: the prefix, then its checksum.
#[inline(always)]
// Every caller passes prefix < 10^7, so `prefix * 10 + digit` < 10^8 fits a u32.
#[allow(clippy::arithmetic_side_effects)]
fn with_checksum(prefix: u32) -> u32 {
    prefix * 10 + u32::from(checksum(prefix))
}

/// Whether an 8-digit PIN, given as an integer, has a correct checksum digit.
///
/// Leading zeros are natural here: `17` is the PIN `00000017`. Values of nine or more
/// digits (`pin >= 100_000_000`) are not PINs and give `false`; hostapd's `wps_pin_valid`
/// would instead check them digit by digit. Below that bound the two agree.
///
/// ```
/// assert!(wps::pin::is_valid(12345670));
/// assert!(!wps::pin::is_valid(12345671));
/// assert!(wps::pin::is_valid(17)); // "00000017"
/// ```
#[inline]
#[must_use]
pub fn is_valid(pin: u32) -> bool {
    pin < 100_000_000 && checksum(pin / 10) == (pin % 10) as u8
}

/// Every valid 8-digit PIN, as integers in increasing order (`0`, `17`, `25`, …).
///
/// Exactly [`VALID_PIN_COUNT`] values; render one with `format!("{:08}", v)` or turn it
/// into a [`Pin`] with [`Pin::from_prefix`]`(v / 10)`.
///
/// ```
/// let mut pins = wps::pin::all_valid();
/// assert_eq!(pins.len(), 10_000_000);
/// assert_eq!(pins.next(), Some(0));
/// assert_eq!(pins.next(), Some(17));
/// ```
#[must_use]
pub fn all_valid() -> AllValid {
    AllValid {
        next: 0,
        end: VALID_PIN_COUNT,
    }
}

/// Iterator over all valid 8-digit PINs, returned by [`all_valid`].
#[derive(Debug, Clone)]
pub struct AllValid {
    /// Next 7-digit prefix to yield.
    next: u32,
    /// One past the last prefix.
    end: u32,
}

impl Iterator for AllValid {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        let prefix = self.next;
        // next < end: cannot saturate.
        self.next = prefix.saturating_add(1);
        Some(with_checksum(prefix))
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.end.saturating_sub(self.next) as usize;
        (n, Some(n))
    }

    #[inline]
    // Prefixes stay below end <= 10^7 (only `all_valid` makes an `AllValid`), so the
    // block bounds, the PINs (< 10^8) and the checksum steps (0..=9) cannot overflow.
    #[allow(clippy::arithmetic_side_effects)]
    fn fold<B, F: FnMut(B, u32) -> B>(self, init: B, mut f: F) -> B {
        // Within one block of ten prefixes only the last digit (weight 3) changes, so
        // the checksum steps by −3 (mod 10); only the first of each ten needs the full
        // computation. Keeps the whole enumeration a tight loop.
        let mut acc = init;
        let mut prefix = self.next;
        while prefix < self.end {
            let mut check = u32::from(checksum(prefix));
            let block_end = (prefix - prefix % 10 + 10).min(self.end);
            while prefix < block_end {
                acc = f(acc, prefix * 10 + check);
                check = if check >= 3 { check - 3 } else { check + 7 };
                prefix += 1;
            }
        }
        acc
    }
}

impl DoubleEndedIterator for AllValid {
    #[inline]
    fn next_back(&mut self) -> Option<u32> {
        if self.next >= self.end {
            return None;
        }
        // end > next >= 0: cannot saturate.
        self.end = self.end.saturating_sub(1);
        Some(with_checksum(self.end))
    }
}

impl ExactSizeIterator for AllValid {}
impl core::iter::FusedIterator for AllValid {}

/// Why a string or number is not a [`Pin`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinError {
    /// No digits at all (empty input, or only separators).
    #[error("empty PIN")]
    Empty,
    /// The number of digits is neither 4 nor 8.
    #[error("a PIN has 4 or 8 digits, not {digits}")]
    WrongLength {
        /// How many digits the input held (separators not counted).
        digits: usize,
    },
    /// A character that is neither a digit nor an accepted separator (`-`, space).
    #[error("unexpected character {character:?} at byte {position}")]
    NonDigit {
        /// Byte offset of the character in the input.
        position: usize,
        /// The offending character.
        character: char,
    },
    /// An 8-digit PIN whose last digit is not the checksum of the first seven.
    #[error("bad checksum: the last digit should be {expected}, not {found}")]
    BadChecksum {
        /// The checksum digit the first seven digits call for.
        expected: u8,
        /// The last digit actually given.
        found: u8,
    },
    /// [`Pin::from_prefix`] got a number with more than seven digits.
    #[error("a PIN prefix has at most 7 digits, got {prefix}")]
    PrefixOutOfRange {
        /// The rejected prefix.
        prefix: u32,
    },
}

/// A WPS PIN: 4 digits, or 8 digits whose last one is the [`checksum`] of the others.
///
/// Stored inline as ASCII, zeroized on drop; `Debug` does not show the digits; `==` runs
/// in constant time. [`Display`](fmt::Display) groups an 8-digit PIN as `1234-5670` for
/// people; [`Pin::as_str`] gives the bare digits, which are also the device password
/// bytes ([`Pin::as_bytes`]).
///
/// ```
/// use wps::pin::{Pin, PinError};
///
/// let pin = Pin::parse("1234 5670")?;
/// assert_eq!(pin.as_str(), "12345670");
/// assert_eq!(Pin::parse("12345671"), Err(PinError::BadChecksum { expected: 0, found: 1 }));
/// assert_eq!(Pin::from_prefix(1234567)?, pin);
/// assert_eq!(format!("{pin:?}"), "Pin(<8 digits, redacted>)");
/// # Ok::<(), PinError>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Pin {
    /// ASCII digits; bytes past `len` are always zero (so `==` may compare all 8).
    digits: [u8; 8],
    /// 4 or 8.
    len: u8,
}

impl Pin {
    /// Parses what a person typed: 8 digits with a valid checksum, or 4 digits.
    ///
    /// Dashes and spaces are skipped wherever they appear, so `"1234-5670"`,
    /// `"1234 5670"` and `" 12-34-56-70 "` all give `12345670`, as hostapd's
    /// `WPS_CHECK_PIN` does. Unlike hostapd, which silently drops *every* non-digit
    /// (so `"12.34.56.70"` or `"PIN: 12345670"` pass there), any other character is
    /// rejected as [`PinError::NonDigit`]: a stray letter is more likely a typo than
    /// decoration, and accepting it would hide mistakes such as `O` for `0`.
    ///
    /// # Errors
    /// [`PinError::NonDigit`] for the first character that is not a digit, `-` or space;
    /// [`PinError::Empty`] when there are no digits; [`PinError::WrongLength`] unless there
    /// are 4 or 8 digits; [`PinError::BadChecksum`] for 8 digits with a wrong last digit.
    pub fn parse(text: &str) -> Result<Pin, PinError> {
        let mut digits = [0u8; 8];
        let mut count = 0usize;
        for (position, &byte) in text.as_bytes().iter().enumerate() {
            match byte {
                b'0'..=b'9' => {
                    if let Some(slot) = digits.get_mut(count) {
                        *slot = byte;
                    }
                    count = count.saturating_add(1);
                }
                b'-' | b' ' => {}
                _ => {
                    digits.zeroize();
                    // `position` is a char boundary: every earlier byte was ASCII.
                    let character = text
                        .get(position..)
                        .and_then(|rest| rest.chars().next())
                        .unwrap_or(char::REPLACEMENT_CHARACTER);
                    return Err(PinError::NonDigit {
                        position,
                        character,
                    });
                }
            }
        }
        let pin = Pin {
            digits,
            len: count.min(8) as u8,
        };
        digits.zeroize();
        match count {
            0 => Err(PinError::Empty),
            4 => Ok(pin),
            8 => {
                let value = pin.value();
                let expected = checksum(value / 10);
                let found = (value % 10) as u8;
                if expected == found {
                    Ok(pin)
                } else {
                    Err(PinError::BadChecksum { expected, found })
                }
            }
            digits => Err(PinError::WrongLength { digits }),
        }
    }

    /// The 8-digit PIN for a 7-digit prefix: the prefix, zero-padded, then its checksum.
    ///
    /// ```
    /// assert_eq!(wps::pin::Pin::from_prefix(1)?.as_str(), "00000017");
    /// # Ok::<(), wps::pin::PinError>(())
    /// ```
    ///
    /// # Errors
    /// [`PinError::PrefixOutOfRange`] when `prefix >= 10_000_000`.
    pub fn from_prefix(prefix: u32) -> Result<Pin, PinError> {
        if prefix >= VALID_PIN_COUNT {
            return Err(PinError::PrefixOutOfRange { prefix });
        }
        Ok(Pin::from_valid_value(with_checksum(prefix)))
    }

    /// A random 8-digit PIN, uniform over all 10⁷ valid PINs.
    ///
    /// Draws 32-bit values and rejects those at or above the largest multiple of 10⁷
    /// (4 290 000 000) before reducing, so every prefix is equally likely; a draw is
    /// rejected with probability about 0.12 %. hostapd's `wps_generate_pin` reduces
    /// `% 10⁷` directly, which makes the prefixes below 4 967 296 slightly more likely.
    ///
    /// ```
    /// let pin = wps::pin::Pin::random(&mut rand::rng());
    /// assert!(wps::pin::is_valid(pin.as_str().parse().unwrap()));
    /// ```
    pub fn random<R: CryptoRng + ?Sized>(rng: &mut R) -> Pin {
        const LIMIT: u32 = (u32::MAX / VALID_PIN_COUNT) * VALID_PIN_COUNT;
        loop {
            let draw = rng.next_u32();
            if draw < LIMIT {
                let prefix = draw % VALID_PIN_COUNT;
                return Pin::from_valid_value(with_checksum(prefix));
            }
        }
    }

    /// Builds an 8-digit PIN from a value below 10⁸ (callers guarantee the checksum).
    // `value % 10` is a single digit, so `b'0' + digit` stays within b'0'..=b'9'.
    #[allow(clippy::arithmetic_side_effects)]
    fn from_valid_value(mut value: u32) -> Pin {
        let mut digits = [0u8; 8];
        for slot in digits.iter_mut().rev() {
            *slot = b'0' + (value % 10) as u8;
            value /= 10;
        }
        Pin { digits, len: 8 }
    }

    /// The digits as a number (`"00000017"` → 17).
    // At most 8 stored bytes, all ASCII digits: each `d - b'0'` is 0..=9 and the value
    // stays below 10^8.
    #[allow(clippy::arithmetic_side_effects)]
    fn value(&self) -> u32 {
        self.as_bytes()
            .iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'))
    }

    /// The digits alone, e.g. `"12345670"`.
    #[must_use]
    pub fn as_str(&self) -> &str {
        // Only ASCII digits are ever stored, so this cannot fail.
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }

    /// The digits as bytes: the device password that PSK1/PSK2 are derived from.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.digits.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// Whether this is a 4-digit PIN (no checksum) rather than an 8-digit one.
    #[must_use]
    pub fn is_short(&self) -> bool {
        self.len == 4
    }

    /// The two halves of the password, `(first, second)`, for PSK1 and PSK2.
    ///
    /// hostapd's split: the first half has `⌈n/2⌉` bytes. `12345670` → `1234`, `5670`;
    /// `1234` → `12`, `34`.
    #[must_use]
    pub fn halves(&self) -> (&[u8], &[u8]) {
        split_halves(self.as_bytes())
    }
}

/// For a secret held as a zero-padded byte array `$bytes` and its length `len`: `==` in
/// constant time over both, and a `Debug` that shows only the length (in `$unit`).
macro_rules! secret_eq_and_debug {
    ($name:ident, $bytes:ident, $unit:literal) => {
        impl PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                (self.len.ct_eq(&other.len) & self.$bytes.ct_eq(&other.$bytes)).into()
            }
        }

        impl Eq for $name {}

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let name = stringify!($name);
                write!(f, "{name}(<{} {}, redacted>)", self.len, $unit)
            }
        }
    };
}

secret_eq_and_debug!(Pin, digits, "digits");

impl fmt::Display for Pin {
    /// `1234-5670` for 8 digits (the grouping WSC suggests for display), `1234` for 4.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.as_str().split_at_checked(4).unwrap_or(("", ""));
        if second.is_empty() {
            f.write_str(first)
        } else {
            write!(f, "{first}-{second}")
        }
    }
}

impl core::str::FromStr for Pin {
    type Err = PinError;

    fn from_str(s: &str) -> Result<Pin, PinError> {
        Pin::parse(s)
    }
}

/// hostapd's split of a device password: `(pw[..⌈n/2⌉], pw[⌈n/2⌉..])`.
fn split_halves(password: &[u8]) -> (&[u8], &[u8]) {
    password
        .split_at_checked(password.len().div_ceil(2))
        .unwrap_or((password, &[]))
}

/// Why bytes cannot be a [`DevicePassword`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DevicePasswordError {
    /// Zero bytes: both PSKs would be derived from nothing.
    #[error("empty device password")]
    Empty,
    /// More than [`DevicePassword::MAX_LEN`] bytes.
    #[error("device password of {len} bytes is longer than {max}", max = DevicePassword::MAX_LEN)]
    TooLong {
        /// The rejected length.
        len: usize,
    },
}

/// The secret a WPS run authenticates with: any 1..=64 bytes.
///
/// This is what a registrar stores per enrollee and what PSK1/PSK2 are derived from. It
/// is usually a [`Pin`]'s digits, the push-button password `00000000`, or an NFC
/// password token (upper-case hex of 16..32 bytes, so up to 64 characters); hostapd's
/// registrar takes any byte string, and so does this type. Inline storage, zeroized on
/// drop, redacted `Debug`, constant-time `==`.
///
/// ```
/// use wps::pin::{DevicePassword, Pin};
///
/// let pbc = DevicePassword::pushbutton();
/// assert_eq!(pbc.as_bytes(), b"00000000");
/// let from_pin = DevicePassword::from(&Pin::parse("1234")?);
/// assert_eq!(from_pin.halves(), (&b"12"[..], &b"34"[..]));
/// let odd = DevicePassword::from_bytes(b"abcdefg")?;
/// assert_eq!(odd.halves(), (&b"abcd"[..], &b"efg"[..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DevicePassword {
    /// The password; bytes past `len` are always zero.
    bytes: [u8; DevicePassword::MAX_LEN],
    /// 1..=MAX_LEN.
    len: u8,
}

impl DevicePassword {
    /// Longest accepted password: 64 bytes, the hex form of a 32-byte NFC password.
    pub const MAX_LEN: usize = 64;

    /// The push-button (PBC) password: the eight ASCII characters `00000000`.
    #[must_use]
    pub fn pushbutton() -> DevicePassword {
        let mut bytes = [0u8; Self::MAX_LEN];
        for b in bytes.iter_mut().take(8) {
            *b = b'0';
        }
        DevicePassword { bytes, len: 8 }
    }

    /// Copies a password.
    ///
    /// # Errors
    /// [`DevicePasswordError::Empty`] or [`DevicePasswordError::TooLong`] (over 64 bytes).
    pub fn from_bytes(password: &[u8]) -> Result<DevicePassword, DevicePasswordError> {
        if password.is_empty() {
            return Err(DevicePasswordError::Empty);
        }
        let mut bytes = [0u8; Self::MAX_LEN];
        let slot = bytes
            .get_mut(..password.len())
            .ok_or(DevicePasswordError::TooLong {
                len: password.len(),
            })?;
        slot.copy_from_slice(password);
        Ok(DevicePassword {
            bytes,
            len: password.len() as u8,
        })
    }

    /// The password bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// Whether this is the push-button password `00000000`.
    #[must_use]
    pub fn is_pushbutton(&self) -> bool {
        // Bytes past `len` are zero, so `len` and the first eight say it all (and no
        // push-button password is built to compare with: flash on a small core).
        let Some((head, _)) = self.bytes.split_first_chunk::<8>() else {
            return false;
        };
        (self.len.ct_eq(&8) & head.ct_eq(b"00000000")).into()
    }

    /// The two halves, `(first, second)`, for PSK1 and PSK2: hostapd gives the first
    /// half `⌈n/2⌉` bytes, so a 7-byte `abcdefg` splits into `abcd` and `efg`.
    ///
    /// (hostapd's Python test helper splits odd lengths the other way; the C code, which
    /// is what interoperates, is followed here.)
    #[must_use]
    pub fn halves(&self) -> (&[u8], &[u8]) {
        split_halves(self.as_bytes())
    }
}

impl From<&Pin> for DevicePassword {
    fn from(pin: &Pin) -> DevicePassword {
        let mut bytes = [0u8; Self::MAX_LEN];
        for (dst, src) in bytes.iter_mut().zip(pin.as_bytes()) {
            *dst = *src;
        }
        DevicePassword {
            bytes,
            len: pin.len,
        }
    }
}

impl From<Pin> for DevicePassword {
    fn from(pin: Pin) -> DevicePassword {
        DevicePassword::from(&pin)
    }
}

secret_eq_and_debug!(DevicePassword, bytes, "bytes");

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    /// hostapd's `wps_pin_checksum`, digit by digit.
    fn reference_checksum(mut pin: u32) -> u8 {
        let mut accum = 0u32;
        while pin != 0 {
            accum += 3 * (pin % 10);
            pin /= 10;
            accum += pin % 10;
            pin /= 10;
        }
        ((10 - accum % 10) % 10) as u8
    }

    #[test]
    fn only_eight_zeros_are_the_pushbutton_password() {
        assert!(DevicePassword::pushbutton().is_pushbutton());
        assert!(
            DevicePassword::from_bytes(b"00000000")
                .unwrap()
                .is_pushbutton()
        );
        for other in [
            &b"0000000"[..],
            b"000000000",
            b"00000001",
            b"10000000",
            b"12345670",
        ] {
            let password = DevicePassword::from_bytes(other).unwrap();
            assert!(!password.is_pushbutton(), "{other:?}");
        }
    }

    #[test]
    fn checksum_matches_reference_for_every_prefix() {
        for prefix in 0..VALID_PIN_COUNT {
            let want = reference_checksum(prefix);
            assert_eq!(checksum(prefix), want, "{prefix}");
            // Both paths, whichever this target uses.
            assert_eq!(by_table::checksum(prefix), want, "table {prefix}");
            assert_eq!(checksum_compact(prefix), want, "compact {prefix}");
        }
    }

    proptest::proptest! {
        /// Every u32, not only PIN prefixes: both paths equal hostapd's digit loop.
        #[test]
        fn both_checksum_paths_match_reference_on_any_u32(v in proptest::prelude::any::<u32>()) {
            let want = reference_checksum(v);
            proptest::prop_assert_eq!(by_table::checksum(v), want);
            proptest::prop_assert_eq!(checksum_compact(v), want);
        }
    }

    #[test]
    fn checksum_matches_reference_at_u32_extremes() {
        for v in [
            u32::MAX,
            u32::MAX - 1,
            4_290_000_000,
            100_000_000,
            99_999_999,
            1_000_000_000,
            3_999_999_999,
        ] {
            assert_eq!(checksum(v), reference_checksum(v), "{v}");
            assert_eq!(by_table::checksum(v), reference_checksum(v), "{v}");
            assert_eq!(checksum_compact(v), reference_checksum(v), "{v}");
        }
    }

    #[test]
    fn worked_examples() {
        for (prefix, check, pin) in [
            (1234567, 0, "12345670"),
            (0, 0, "00000000"),
            (1, 7, "00000017"),
            (9999999, 5, "99999995"),
            (7654321, 0, "76543210"),
            (4455667, 9, "44556679"),
            (9876543, 0, "98765430"),
        ] {
            assert_eq!(checksum(prefix), check);
            let p = Pin::from_prefix(prefix).unwrap();
            assert_eq!(p.as_str(), pin);
            assert_eq!(Pin::parse(pin).unwrap(), p);
            assert!(is_valid(pin.parse().unwrap()));
        }
        assert!(!is_valid(12345678));
        assert!(!is_valid(12345671));
    }

    #[test]
    fn enumeration_fold_equals_next() {
        let by_fold: u64 = all_valid().map(u64::from).sum();
        let mut by_next = 0u64;
        // A `for` loop drives `next`, not the specialised `fold`.
        for v in all_valid() {
            by_next += u64::from(v);
        }
        assert_eq!(by_fold, by_next);
        assert_eq!(all_valid().next_back(), Some(99_999_995));
        let partial: Vec<u32> = {
            let mut it = all_valid();
            it.nth(12);
            it.take(25).collect()
        };
        let expected: Vec<u32> = (13..38).map(|p| p * 10 + u32::from(checksum(p))).collect();
        assert_eq!(partial, expected);
    }

    #[test]
    fn pin_bytes_past_len_stay_zero() {
        let p = Pin::parse("1234").unwrap();
        assert_eq!(p.digits, *b"1234\0\0\0\0");
        let p = Pin::parse("123456789-");
        assert_eq!(p, Err(PinError::WrongLength { digits: 9 }));
    }
}
