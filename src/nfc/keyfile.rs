//! The files a device keeps between writing its NFC message and the registration that
//! follows (`wps nfc token --out FILE`, `wps nfc handover-req --out FILE`): `key=value`
//! lines, hex for bytes, `#` comments.
//!
//! ```text
//! # wps NFC password token: secret, keep it private
//! dh_private=<hex, big-endian DH private exponent>
//! password_id=<decimal Device Password ID>
//! password=<hex, the token's device password>
//! ```
//!
//! A handover request file has `dh_private` and `uuid` (32 hex digits).
//!
//! ```
//! use wps::nfc::{OwnHandoverRequest, OwnPasswordToken};
//! let mut rng = rand::rng();
//! let token = OwnPasswordToken::generate(&mut rng);
//! let text = token.to_file_text();
//! let again = OwnPasswordToken::from_file_text(&text)?;
//! assert_eq!(again.token(), token.token());
//!
//! let req = OwnHandoverRequest::generate(&mut rng, wps::attr::Uuid([7; 16]));
//! let again = OwnHandoverRequest::from_file_text(&req.to_file_text())?;
//! assert_eq!(again.request(), req.request());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use rand_core::CryptoRng;

use super::handover::HandoverRequest;
use super::password::{OobKeys, TOKEN_PASSWORD_LEN, TokenPassword};
use super::token::OwnPasswordToken;
use crate::attr::Uuid;
use crate::crypto::{PUBLIC_KEY_LEN, SecretBytes};

/// Why a key file was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyFileError {
    /// A line that is neither `key=value`, a comment nor blank, or a key this file kind
    /// does not have.
    #[error("line {line} of the NFC key file is not understood")]
    Line {
        /// 1-based line number.
        line: usize,
    },
    /// A key given twice.
    #[error("line {line} of the NFC key file repeats a key")]
    Repeated {
        /// 1-based line number.
        line: usize,
    },
    /// A required key is missing.
    #[error("the NFC key file has no {0}")]
    Missing(&'static str),
    /// A value that is not what its key needs.
    #[error("the NFC key file's {0} is invalid")]
    Invalid(&'static str),
}

/// Decodes hex into `out`; the number of bytes, or `None` for odd length, a non-hex
/// digit or too many bytes.
fn unhex(text: &str, out: &mut [u8]) -> Option<usize> {
    let digits = text.as_bytes();
    if !digits.len().is_multiple_of(2) || digits.len() / 2 > out.len() {
        return None;
    }
    let nibble = |c: u8| {
        char::from(c)
            .to_digit(16)
            .and_then(|d| u8::try_from(d).ok())
    };
    for (dst, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
        if let [hi, lo] = pair {
            *dst = (nibble(*hi)? << 4) | nibble(*lo)?;
        }
    }
    Some(digits.len() / 2)
}

/// Up to three `key=value` fields of a file, by the names given.
fn fields<'t, const N: usize>(
    text: &'t str,
    names: [&'static str; N],
) -> Result<[Option<&'t str>; N], KeyFileError> {
    let mut found = [None; N];
    for (i, raw) in text.lines().enumerate() {
        let line = i.saturating_add(1);
        let l = raw.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (k, v) = l.split_once('=').ok_or(KeyFileError::Line { line })?;
        let slot = names
            .iter()
            .position(|n| *n == k.trim())
            .and_then(|p| found.get_mut(p))
            .ok_or(KeyFileError::Line { line })?;
        if slot.is_some() {
            return Err(KeyFileError::Repeated { line });
        }
        *slot = Some(v.trim());
    }
    Ok(found)
}

fn keys_from(hex: Option<&str>) -> Result<OobKeys, KeyFileError> {
    let hex = hex.ok_or(KeyFileError::Missing("dh_private"))?;
    let mut private = SecretBytes::<PUBLIC_KEY_LEN>::zero();
    let len = unhex(hex, private.as_mut_bytes()).ok_or(KeyFileError::Invalid("dh_private"))?;
    OobKeys::from_private(private.as_bytes().get(..len).unwrap_or(&[]))
        .map_err(|_| KeyFileError::Invalid("dh_private"))
}

#[cfg(feature = "alloc")]
fn push_hex(out: &mut alloc::string::String, bytes: &[u8]) {
    for b in bytes {
        // Writing to a String cannot fail.
        let _ = core::fmt::Write::write_fmt(out, format_args!("{b:02x}"));
    }
}

impl OwnPasswordToken {
    /// Reads the file [`to_file_text`](Self::to_file_text) wrote.
    ///
    /// # Errors
    /// [`KeyFileError`].
    pub fn from_file_text(text: &str) -> Result<OwnPasswordToken, KeyFileError> {
        let [private, id, password] = fields(text, ["dh_private", "password_id", "password"])?;
        let keys = keys_from(private)?;
        let id: u16 = id
            .ok_or(KeyFileError::Missing("password_id"))?
            .parse()
            .map_err(|_| KeyFileError::Invalid("password_id"))?;
        let hex = password.ok_or(KeyFileError::Missing("password"))?;
        let mut bytes = SecretBytes::<TOKEN_PASSWORD_LEN>::zero();
        let len = unhex(hex, bytes.as_mut_bytes()).ok_or(KeyFileError::Invalid("password"))?;
        let password = TokenPassword::from_bytes(bytes.as_bytes().get(..len).unwrap_or(&[]))
            .map_err(|_| KeyFileError::Invalid("password"))?;
        OwnPasswordToken::from_parts(keys, id, password)
            .map_err(|_| KeyFileError::Invalid("password_id"))
    }

    /// The file that keeps this token's secrets (wiped on drop).
    #[cfg(feature = "alloc")]
    pub fn to_file_text(&self) -> zeroize::Zeroizing<alloc::string::String> {
        let mut out = zeroize::Zeroizing::new(alloc::string::String::with_capacity(512));
        out.push_str("# wps NFC password token: secret, keep it private\ndh_private=");
        push_hex(&mut out, self.keys().private_key());
        out.push_str("\npassword_id=");
        let _ = core::fmt::Write::write_fmt(&mut *out, format_args!("{}", self.password_id()));
        out.push_str("\npassword=");
        push_hex(&mut out, self.password().as_bytes());
        out.push('\n');
        out
    }
}

/// A station's own handover request: the DH keys it keeps and the UUID-E it announced.
#[derive(Debug)]
pub struct OwnHandoverRequest {
    keys: OobKeys,
    uuid_e: Uuid,
}

impl OwnHandoverRequest {
    /// Fresh keys for a request announcing `uuid_e` (the station's UUID).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R, uuid_e: Uuid) -> OwnHandoverRequest {
        OwnHandoverRequest {
            keys: OobKeys::generate(rng),
            uuid_e,
        }
    }

    /// From stored parts.
    pub fn from_parts(keys: OobKeys, uuid_e: Uuid) -> OwnHandoverRequest {
        OwnHandoverRequest { keys, uuid_e }
    }

    /// The request to send (as a carrier record or in an `Hr` message).
    pub fn request(&self) -> HandoverRequest {
        HandoverRequest {
            public_key_hash: self.keys.public_key_hash(),
            uuid_e: Some(self.uuid_e),
        }
    }

    /// The keys and UUID-E, for [`EnrolleeHandover::new`](super::EnrolleeHandover::new)
    /// once the select has come.
    pub fn into_parts(self) -> (OobKeys, Uuid) {
        (self.keys, self.uuid_e)
    }

    /// Reads the file [`to_file_text`](Self::to_file_text) wrote.
    ///
    /// # Errors
    /// [`KeyFileError`].
    pub fn from_file_text(text: &str) -> Result<OwnHandoverRequest, KeyFileError> {
        let [private, uuid] = fields(text, ["dh_private", "uuid"])?;
        let keys = keys_from(private)?;
        let mut u = [0u8; 16];
        match unhex(uuid.ok_or(KeyFileError::Missing("uuid"))?, &mut u) {
            Some(16) => Ok(OwnHandoverRequest {
                keys,
                uuid_e: Uuid(u),
            }),
            _ => Err(KeyFileError::Invalid("uuid")),
        }
    }

    /// The file that keeps this request's key and UUID (wiped on drop).
    #[cfg(feature = "alloc")]
    pub fn to_file_text(&self) -> zeroize::Zeroizing<alloc::string::String> {
        let mut out = zeroize::Zeroizing::new(alloc::string::String::with_capacity(512));
        out.push_str("# wps NFC handover request: secret, keep it private\ndh_private=");
        push_hex(&mut out, self.keys.private_key());
        out.push_str("\nuuid=");
        push_hex(&mut out, &self.uuid_e.0);
        out.push('\n');
        out
    }
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const TOKEN_FILE: &str = "# comment\n\ndh_private=0707\npassword_id=18786\npassword=a21747b59b03bf7a419967836a6460103b876d162d81ceebb6e3882a9ad430e4\n";

    #[test]
    fn reads_a_written_file() {
        let t = OwnPasswordToken::from_file_text(TOKEN_FILE).unwrap();
        assert_eq!(t.password_id(), 18786);
        assert_eq!(t.keys().private_key(), &[7, 7]);
        assert_eq!(&t.password().as_bytes()[..2], &[0xa2, 0x17]);
    }

    #[test]
    fn errors_name_the_problem() {
        let e = |s: &str| OwnPasswordToken::from_file_text(s).unwrap_err();
        assert_eq!(
            e("dh_private=07\npassword_id=20\n"),
            KeyFileError::Missing("password")
        );
        assert_eq!(
            e(&TOKEN_FILE.replace("18786", "15")),
            KeyFileError::Invalid("password_id")
        );
        assert_eq!(
            e(&TOKEN_FILE.replace("=0707", "=07x7")),
            KeyFileError::Invalid("dh_private")
        );
        assert_eq!(
            e(&TOKEN_FILE.replace("=0707", "=0000")),
            KeyFileError::Invalid("dh_private")
        );
        assert_eq!(e("nonsense\n"), KeyFileError::Line { line: 1 });
        assert_eq!(e("uuid=00\n"), KeyFileError::Line { line: 1 });
        assert_eq!(
            e(&alloc::format!("{TOKEN_FILE}password_id=20\n")),
            KeyFileError::Repeated { line: 6 }
        );
        assert_eq!(
            OwnHandoverRequest::from_file_text("dh_private=07\nuuid=0011\n").unwrap_err(),
            KeyFileError::Invalid("uuid")
        );
    }

    proptest! {
        // Each case runs two exponentiations with up to 1536-bit exponents.
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn token_file_roundtrip(private in proptest::collection::vec(any::<u8>(), 1..=192), id in 0x10u16.., password in proptest::collection::vec(any::<u8>(), 16..=32)) {
            prop_assume!(private.iter().any(|b| *b != 0));
            let keys = OobKeys::from_private(&private).unwrap();
            let t = OwnPasswordToken::from_parts(keys, id, TokenPassword::from_bytes(&password).unwrap()).unwrap();
            let back = OwnPasswordToken::from_file_text(&t.to_file_text()).unwrap();
            prop_assert_eq!(back.token(), t.token());
            prop_assert_eq!(back.keys().private_key(), t.keys().private_key());
        }

    }

    proptest! {
        #[test]
        fn file_parse_never_panics(text in "[ -~\n]{0,200}") {
            let _ = OwnPasswordToken::from_file_text(&text);
            let _ = OwnHandoverRequest::from_file_text(&text);
        }
    }
}
