//! The secrets and hashes of NFC: the public-key hash, the token's device password (and
//! the uppercase hex string that enters PSK1/PSK2), and the DH key pair a device keeps for
//! its token or handover.

use core::fmt;

use rand_core::CryptoRng;
use subtle::ConstantTimeEq;

use crate::attr::ConfigError;
use crate::crypto::{DhError, DhKeyPair, PUBLIC_KEY_LEN, SecretBytes, sha256_into};
use crate::pin::DevicePassword;

/// Length of the public-key hash: the first 160 bits of SHA-256.
pub const PUBLIC_KEY_HASH_LEN: usize = 20;
/// Length of the device password hostapd and wpa_supplicant put in a token.
pub const TOKEN_PASSWORD_LEN: usize = 32;
/// Shortest device password hostapd accepts from a token.
pub const MIN_TOKEN_PASSWORD_LEN: usize = 16;
/// The lowest Device Password ID of a password token (lower IDs are PIN, push-button,
/// handover, …).
pub const MIN_TOKEN_PASSWORD_ID: u16 = 0x0010;

/// SHA-256(public key)[0..20]: how a token or handover message names a DH public key.
///
/// ```
/// use wps::nfc::PublicKeyHash;
/// let hash = PublicKeyHash::of(&[1; 192]);
/// assert!(hash.verify(&[1; 192]).is_ok());
/// let err = hash.verify(&[2; 192]).unwrap_err();
/// assert_eq!(u16::from(err.config_error()), 20);
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKeyHash(pub [u8; PUBLIC_KEY_HASH_LEN]);

impl PublicKeyHash {
    /// The hash of `public_key`, exactly as sent (192 bytes for our own key; hostapd hashes
    /// a peer's Public Key attribute as received).
    pub fn of(public_key: &[u8]) -> PublicKeyHash {
        let mut digest = [0u8; 32];
        sha256_into(public_key, &mut digest);
        let mut out = [0u8; PUBLIC_KEY_HASH_LEN];
        if let Some(head) = digest.get(..PUBLIC_KEY_HASH_LEN) {
            out.copy_from_slice(head);
        }
        PublicKeyHash(out)
    }

    /// Checks, in constant time, that `public_key` (a peer's Public Key attribute) hashes
    /// to this value.
    ///
    /// # Errors
    /// [`PublicKeyHashMismatch`], which answers with Configuration Error 20.
    pub fn verify(&self, public_key: &[u8]) -> Result<(), PublicKeyHashMismatch> {
        let computed = PublicKeyHash::of(public_key);
        if bool::from(computed.0.ct_eq(&self.0)) {
            Ok(())
        } else {
            Err(PublicKeyHashMismatch {
                expected: *self,
                computed,
            })
        }
    }
}

impl fmt::Debug for PublicKeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PublicKeyHash({self})")
    }
}

impl fmt::Display for PublicKeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// A peer's public key does not hash to what the NFC token or handover message said.
///
/// A registrar answers M1 with an M2D carrying Configuration Error 20, an enrollee answers
/// M2 with a WSC_NACK carrying 20 ([`config_error`](Self::config_error)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error(
    "the peer's public key does not match the NFC token (hash {computed}, expected {expected})"
)]
pub struct PublicKeyHashMismatch {
    /// The hash from the token or handover message.
    pub expected: PublicKeyHash,
    /// The hash of the public key the peer sent.
    pub computed: PublicKeyHash,
}

impl PublicKeyHashMismatch {
    /// Configuration Error 20 (Public Key Hash Mismatch).
    pub fn config_error(&self) -> ConfigError {
        ConfigError::PublicKeyHashMismatch
    }
}

/// Why bytes are not a token's device password.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenPasswordError {
    /// Not 16..=32 bytes (hostapd's bounds).
    #[error("an NFC device password has 16 to 32 bytes, not {len}")]
    Length {
        /// The length given.
        len: usize,
    },
}

/// The device password of a password token: 16..=32 bytes (32 in every token hostapd and
/// wpa_supplicant write), wiped on drop.
///
/// The raw bytes are not what PSK1/PSK2 are derived from: both daemons use their
/// **uppercase hex** string, 64 characters for 32 bytes ([`device_password`](Self::device_password)).
///
/// ```
/// use wps::nfc::TokenPassword;
/// let pw = TokenPassword::from_bytes(&[0xa2; 16])?;
/// let dp = pw.device_password();
/// assert_eq!(dp.as_bytes(), b"A2A2A2A2A2A2A2A2A2A2A2A2A2A2A2A2");
/// assert_eq!(dp.halves().0, b"A2A2A2A2A2A2A2A2");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct TokenPassword {
    /// The password; bytes past `len` are zero.
    bytes: SecretBytes<TOKEN_PASSWORD_LEN>,
    /// 16..=32.
    len: u8,
}

impl TokenPassword {
    /// 32 fresh random bytes, as hostapd's `wps_nfc_token_gen` draws them.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> TokenPassword {
        let mut bytes = SecretBytes::<TOKEN_PASSWORD_LEN>::zero();
        rng.fill_bytes(bytes.as_mut_bytes());
        TokenPassword {
            bytes,
            len: TOKEN_PASSWORD_LEN as u8,
        }
    }

    /// Copies a password read from a token (the caller's copy is not wiped).
    ///
    /// # Errors
    /// [`TokenPasswordError::Length`] unless 16..=32 bytes.
    pub fn from_bytes(password: &[u8]) -> Result<TokenPassword, TokenPasswordError> {
        let len = password.len();
        let mut bytes = SecretBytes::<TOKEN_PASSWORD_LEN>::zero();
        match (bytes.as_mut_bytes().get_mut(..len), u8::try_from(len)) {
            (Some(dst), Ok(len8)) if len >= MIN_TOKEN_PASSWORD_LEN => {
                dst.copy_from_slice(password);
                Ok(TokenPassword { bytes, len: len8 })
            }
            _ => Err(TokenPasswordError::Length { len }),
        }
    }

    /// Copies a password whose length was checked already (16..=32 bytes); longer
    /// input is cut to 32 bytes.
    pub(crate) fn from_checked(password: &[u8]) -> TokenPassword {
        debug_assert!((MIN_TOKEN_PASSWORD_LEN..=TOKEN_PASSWORD_LEN).contains(&password.len()));
        let mut bytes = SecretBytes::<TOKEN_PASSWORD_LEN>::zero();
        let mut len = 0u8;
        for (dst, src) in bytes.as_mut_bytes().iter_mut().zip(password) {
            *dst = *src;
            len = len.saturating_add(1);
        }
        TokenPassword { bytes, len }
    }

    /// The raw password bytes (what the token carries).
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes
            .as_bytes()
            .get(..usize::from(self.len))
            .unwrap_or(&[])
    }

    /// The password as it enters PSK1/PSK2: its uppercase hex string (64 characters for
    /// 32 bytes), split by [`DevicePassword::halves`] into 32 + 32 characters.
    pub fn device_password(&self) -> DevicePassword {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        let mut hex = SecretBytes::<{ 2 * TOKEN_PASSWORD_LEN }>::zero();
        for (pair, b) in hex.as_mut_bytes().chunks_exact_mut(2).zip(self.as_bytes()) {
            if let [hi, lo] = pair {
                *hi = HEX.get(usize::from(b >> 4)).copied().unwrap_or(b'0');
                *lo = HEX.get(usize::from(b & 0x0f)).copied().unwrap_or(b'0');
            }
        }
        let len = usize::from(self.len).saturating_mul(2);
        // 32..=64 ASCII characters: always a valid device password.
        DevicePassword::from_bytes(hex.as_bytes().get(..len).unwrap_or(&[]))
            .unwrap_or_else(|_| DevicePassword::pushbutton())
    }
}

impl fmt::Debug for TokenPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TokenPassword(<redacted, {} bytes>)", self.len)
    }
}

/// The DH key pair a device keeps for its NFC password token or handover message: the
/// token carries only the public key's hash, so the same key must be used in M1/M2.
///
/// The private exponent is kept (wiped on drop) so that the device can store it, e.g. in
/// the file of `wps nfc token --out FILE`, and rebuild the pair with
/// [`from_private`](Self::from_private).
///
/// ```
/// use wps::nfc::OobKeys;
/// let keys = OobKeys::generate(&mut rand::rng());
/// let again = OobKeys::from_private(keys.private_key())?;
/// assert_eq!(again.public_key_hash(), keys.public_key_hash());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct OobKeys {
    /// Big-endian exponent in the first `private_len` bytes.
    private: SecretBytes<PUBLIC_KEY_LEN>,
    private_len: usize,
    pair: DhKeyPair,
}

impl OobKeys {
    /// Length of the private exponent [`generate`](Self::generate) draws (256 bits,
    /// RFC 3526 §8, as [`DhKeyPair::generate`]).
    pub const PRIVATE_LEN: usize = 32;

    /// A fresh key pair with a 256-bit private exponent.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> OobKeys {
        let mut private = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        loop {
            if let Some(head) = private.as_mut_bytes().get_mut(..Self::PRIVATE_LEN) {
                rng.fill_bytes(head);
                // x = 0 or 1 would give the public value 1 or 2: redraw (probability ~2^-255).
                let small = head.iter().rev().skip(1).all(|b| *b == 0)
                    && head.last().is_some_and(|b| *b < 2);
                if small {
                    continue;
                }
            }
            if let Ok(keys) = Self::from_padded(private, Self::PRIVATE_LEN) {
                return keys;
            }
            private = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        }
    }

    /// Rebuilds the pair from a stored big-endian private exponent of 1..=192 bytes (a
    /// hostapd `wps_nfc_dh_privkey` works too).
    ///
    /// # Errors
    /// As [`DhKeyPair::from_private`].
    pub fn from_private(private: &[u8]) -> Result<OobKeys, DhError> {
        let mut copy = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        let len = private.len();
        match copy.as_mut_bytes().get_mut(..len) {
            Some(dst) => dst.copy_from_slice(private),
            None => return Err(DhError::PrivateKeyTooLong { len }),
        }
        Self::from_padded(copy, len)
    }

    fn from_padded(private: SecretBytes<PUBLIC_KEY_LEN>, len: usize) -> Result<OobKeys, DhError> {
        let pair = DhKeyPair::from_private(private.as_bytes().get(..len).unwrap_or(&[]))?;
        Ok(OobKeys {
            private,
            private_len: len,
            pair,
        })
    }

    /// The private exponent, big-endian, to store.
    pub fn private_key(&self) -> &[u8] {
        self.private
            .as_bytes()
            .get(..self.private_len)
            .unwrap_or(&[])
    }

    /// The key pair, for M1 (as enrollee) or M2 (as registrar).
    pub fn key_pair(&self) -> &DhKeyPair {
        &self.pair
    }

    /// A new key pair with the same keys, to hand to a registration run
    /// (`SessionSecrets::with_key_pair`) while this one stays with the token for the next
    /// run. Recomputes the public key (one exponentiation).
    ///
    /// # Errors
    /// As [`DhKeyPair::from_private`]; never for keys this type made or accepted.
    pub fn to_key_pair(&self) -> Result<DhKeyPair, DhError> {
        DhKeyPair::from_private(self.private_key())
    }

    /// SHA-256(public key)[0..20], what the token or handover message carries.
    pub fn public_key_hash(&self) -> PublicKeyHash {
        PublicKeyHash::of(self.pair.public_key_ref())
    }
}

impl fmt::Debug for OobKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OobKeys")
            .field("public_key_hash", &self.public_key_hash())
            .finish_non_exhaustive()
    }
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn password_bounds_are_hostapds() {
        assert!(TokenPassword::from_bytes(&[1; 15]).is_err());
        assert!(TokenPassword::from_bytes(&[1; 16]).is_ok());
        assert!(TokenPassword::from_bytes(&[1; 32]).is_ok());
        assert_eq!(
            TokenPassword::from_bytes(&[1; 33]),
            Err(TokenPasswordError::Length { len: 33 })
        );
    }

    #[test]
    fn hex_is_uppercase_and_split_in_two() {
        let pw = TokenPassword::from_bytes(&[
            0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54,
            0x32, 0x10, 0x00,
        ])
        .unwrap();
        let dp = pw.device_password();
        assert_eq!(dp.as_bytes(), b"0123456789ABCDEFFEDCBA987654321000");
        assert_eq!(
            dp.halves(),
            (&b"0123456789ABCDEFF"[..], &b"EDCBA987654321000"[..])
        );
    }

    #[test]
    fn secrets_do_not_print() {
        let pw = TokenPassword::from_bytes(&[0xa5; 32]).unwrap();
        assert_eq!(format!("{pw:?}"), "TokenPassword(<redacted, 32 bytes>)");
        let keys = OobKeys::from_private(&[7; 32]).unwrap();
        assert!(!format!("{keys:?}").contains("0707"));
    }

    #[test]
    fn generated_keys_rebuild_from_their_private_key() {
        let mut rng = rand::rng();
        let keys = OobKeys::generate(&mut rng);
        assert_eq!(keys.private_key().len(), OobKeys::PRIVATE_LEN);
        let again = OobKeys::from_private(keys.private_key()).unwrap();
        assert_eq!(
            keys.to_key_pair().unwrap().public_key(),
            keys.key_pair().public_key()
        );
        assert_eq!(again.key_pair().public_key(), keys.key_pair().public_key());
        assert!(OobKeys::from_private(&[0; 193]).is_err());
        assert!(OobKeys::from_private(&[]).is_err());
    }
}
