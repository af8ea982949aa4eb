//! Diffie-Hellman in group 5 (RFC 3526, 1536-bit MODP, generator 2), as WSC uses it.
//!
//! The modular exponentiation is constant-time in the secret exponent; only the
//! exponent's bit length (256 by default, or the length of a key given to
//! [`DhKeyPair::from_private`]) shows in the timing. The peer's public value is public,
//! so its checks (length, range, subgroup membership via the Jacobi symbol) are
//! variable-time.

use core::fmt;

use rand_core::CryptoRng;
use sha2::{Digest, Sha256};
use subtle::{ConditionallySelectable, ConstantTimeEq};

use super::error::DhError;
use super::jacobi::{Word, jacobi_vartime_be};
use super::modexp;
use super::secret::SecretBytes;

/// Length of a group-5 public key (and of the prime) in bytes.
pub const PUBLIC_KEY_LEN: usize = 192;
/// Shortest peer public key hostapd accepts (its attribute parser takes 190..=192 bytes).
pub const MIN_PEER_PUBLIC_KEY_LEN: usize = 190;

/// The RFC 3526 1536-bit MODP prime, big-endian hex.
pub(crate) const P_HEX: &str = concat!(
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74",
    "020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437",
    "4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED",
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05",
    "98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB",
    "9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
);

/// The prime p, big-endian.
pub(crate) const P: [u8; PUBLIC_KEY_LEN] = decode_hex(P_HEX);

/// The value 2, big-endian, zero-padded: the generator (tests).
#[cfg(test)]
pub(crate) const TWO: [u8; PUBLIC_KEY_LEN] = {
    let mut x = [0u8; PUBLIC_KEY_LEN];
    x[PUBLIC_KEY_LEN - 1] = 2;
    x
};

// Evaluated at compile time only (all callers are consts): an out-of-range index, an
// overflow or a bad digit is a build error, never a run-time panic.
#[allow(
    clippy::indexing_slicing,
    clippy::panic,
    clippy::arithmetic_side_effects
)]
const fn decode_hex<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("bad hex digit"),
        }
    }
    let b = s.as_bytes();
    assert!(b.len() == 2 * N, "hex length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(b[2 * i]) << 4) | nibble(b[2 * i + 1]);
        i += 1;
    }
    out
}

/// How long a generated private exponent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum ExponentLength {
    /// 256 bits: RFC 3526 §8 asks for at least 2 × 90 bits of exponent for this group;
    /// hostapd with OpenSSL 3 uses 200. About six times faster than [`Full`](Self::Full).
    #[default]
    Short256,
    /// 1535 random bits, like hostapd's internal crypto backend.
    Full,
}

/// A group-5 key pair: a secret exponent `x` and the public value `2^x mod p`.
///
/// The exponent is wiped when the pair is dropped; `Debug` does not show it.
///
/// ```
/// use wps::crypto::DhKeyPair;
/// let mut rng = rand::rng();
/// let enrollee = DhKeyPair::generate(&mut rng);
/// let registrar = DhKeyPair::generate(&mut rng);
/// let k1 = enrollee.dh_key(&registrar.public_key()).unwrap();
/// let k2 = registrar.dh_key(&enrollee.public_key()).unwrap();
/// assert!(k1 == k2);
/// ```
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct DhKeyPair {
    /// Big-endian exponent, zero-padded to 192 bytes.
    private: SecretBytes<PUBLIC_KEY_LEN>,
    /// Number of low exponent bits the exponentiation walks (public).
    exponent_bits: u32,
    public: [u8; PUBLIC_KEY_LEN],
}

// The only secret field, the exponent, is a `SecretBytes` that wipes itself on drop; the
// public key and the exponent length are public.
impl zeroize::ZeroizeOnDrop for DhKeyPair {}

impl fmt::Debug for DhKeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DhKeyPair")
            .field("exponent_bits", &self.exponent_bits)
            .field("private", &"..")
            .finish_non_exhaustive()
    }
}

impl DhKeyPair {
    /// A fresh key pair with a 256-bit private exponent (RFC 3526 §8).
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::generate_with(rng, ExponentLength::Short256)
    }

    /// A fresh key pair with a full-length (1535-bit) private exponent.
    pub fn generate_full<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::generate_with(rng, ExponentLength::Full)
    }

    /// A fresh key pair with the given exponent length.
    pub fn generate_with<R: CryptoRng + ?Sized>(rng: &mut R, length: ExponentLength) -> Self {
        let mut private = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        let (bits, start) = match length {
            ExponentLength::Short256 => (256, PUBLIC_KEY_LEN - 32),
            ExponentLength::Full => (1536, 0),
        };
        if let Some(tail) = private.as_mut_bytes().get_mut(start..) {
            rng.fill_bytes(tail);
        }
        // Keep x < 2^1535 < p.
        if let Some(first) = private.as_mut_bytes().first_mut() {
            *first &= 0x7f;
        }
        // x = 0 or 1 would give the public value 1 or 2: make it 2 or 3 (probability
        // ~2^-255), without a branch or a comparison that stops early on the secret
        // (tests/secret_independence.rs found the redraw loop's `>=` doing both).
        let bytes = private.as_mut_bytes();
        if let Some((last, high)) = bytes.split_last_mut() {
            let high_zero = high.iter().fold(0u8, |acc, &b| acc | b).ct_eq(&0);
            let small = high_zero & (*last >> 1).ct_eq(&0);
            last.conditional_assign(&(*last | 2), small);
        }
        Self::from_padded(private, bits)
    }

    /// Rebuilds a key pair from a big-endian private exponent of any length up to 192
    /// bytes (hostapd with OpenSSL logs 25-byte ones, iwd uses 192-byte ones).
    ///
    /// Only the byte length of `private` shows in the timing of later exponentiations.
    ///
    /// # Errors
    /// [`DhError::PrivateKeyEmpty`], [`DhError::PrivateKeyTooLong`] (more than 192 bytes),
    /// [`DhError::PrivateKeyZero`].
    pub fn from_private(private: &[u8]) -> Result<Self, DhError> {
        let len = private.len();
        if len == 0 {
            return Err(DhError::PrivateKeyEmpty);
        }
        let mut padded = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        match padded
            .as_mut_bytes()
            .get_mut(PUBLIC_KEY_LEN.saturating_sub(len)..)
        {
            Some(tail) if len <= PUBLIC_KEY_LEN => tail.copy_from_slice(private),
            _ => return Err(DhError::PrivateKeyTooLong { len }),
        }
        if padded.as_bytes().iter().all(|&b| b == 0) {
            return Err(DhError::PrivateKeyZero);
        }
        // len <= 192, so 8 * len fits (the multiplication cannot saturate either).
        #[allow(clippy::cast_possible_truncation)]
        let bits = len.saturating_mul(8) as u32;
        Ok(Self::from_padded(padded, bits))
    }

    fn from_padded(private: SecretBytes<PUBLIC_KEY_LEN>, exponent_bits: u32) -> Self {
        let public = *modexp::pow2(private.as_bytes(), exponent_bits);
        Self {
            private,
            exponent_bits,
            public,
        }
    }

    /// The public value `2^x mod p`, big-endian, zero-padded to 192 bytes.
    pub fn public_key(&self) -> [u8; PUBLIC_KEY_LEN] {
        self.public
    }

    /// The public value by reference.
    pub fn public_key_ref(&self) -> &[u8; PUBLIC_KEY_LEN] {
        &self.public
    }

    /// How many exponent bits the exponentiation walks (256, 1536, or 8 × the length
    /// given to [`from_private`](Self::from_private)).
    pub fn exponent_bits(&self) -> u32 {
        self.exponent_bits
    }

    /// The shared secret `peer^x mod p`, zero-padded to 192 bytes, after checking the
    /// peer's key with [`check_peer_public_key`].
    ///
    /// # Errors
    /// See [`check_peer_public_key`].
    pub fn shared_secret(
        &self,
        peer_public: &[u8],
    ) -> Result<SecretBytes<PUBLIC_KEY_LEN>, DhError> {
        let y = check_peer_public_key(peer_public)?;
        Ok(modexp::pow(&y, self.private.as_bytes(), self.exponent_bits))
    }

    /// DHKey = SHA-256 of the zero-padded 192-byte shared secret.
    ///
    /// # Errors
    /// The peer key is refused as by [`check_peer_public_key`].
    pub fn dh_key(&self, peer_public: &[u8]) -> Result<SecretBytes<32>, DhError> {
        #[cfg(all(fuzzing, feature = "std"))]
        return fuzz_memo::get_or_compute(self.private.as_bytes(), peer_public, || {
            self.dh_key_uncached(peer_public)
        });
        #[cfg(not(all(fuzzing, feature = "std")))]
        self.dh_key_uncached(peer_public)
    }

    fn dh_key_uncached(&self, peer_public: &[u8]) -> Result<SecretBytes<32>, DhError> {
        let z = self.shared_secret(peer_public)?;
        let mut out = SecretBytes::<32>::zero();
        sha256_into(z.as_bytes(), out.as_mut_bytes());
        Ok(out)
    }
}

/// SHA-256 of `data` into `out`. One copy of the digest's code for the DH key and the
/// NFC public key hash (`nfc::PublicKeyHash::of`): 0.2 KB of flash on a small core.
#[inline(never)]
pub(crate) fn sha256_into(data: &[u8], out: &mut [u8; 32]) {
    out.copy_from_slice(Sha256::digest(data).as_slice());
}

/// Fuzz builds only (`--cfg fuzzing`, set by cargo-fuzz): `dh_key` is a pure function
/// of the exponent and the peer key, and the registration fuzz target replays the same
/// few key agreements millions of times; remembering the last results lets it spend its
/// time on the protocol instead of on exponentiations that are proven elsewhere. The
/// answer, refusals included, is the one the computation gives.
#[cfg(all(fuzzing, feature = "std"))]
mod fuzz_memo {
    use super::{DhError, SecretBytes};
    use std::sync::Mutex;
    use std::vec::Vec;

    type Entry = (Vec<u8>, Result<SecretBytes<32>, DhError>);

    static MEMO: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
    const CAPACITY: usize = 64;

    pub(super) fn get_or_compute(
        private: &[u8],
        peer_public: &[u8],
        compute: impl FnOnce() -> Result<SecretBytes<32>, DhError>,
    ) -> Result<SecretBytes<32>, DhError> {
        let mut key = Vec::with_capacity(private.len().saturating_add(peer_public.len()));
        key.extend_from_slice(private);
        key.extend_from_slice(peer_public);
        if let Ok(memo) = MEMO.lock()
            && let Some((_, hit)) = memo.iter().find(|(k, _)| *k == key)
        {
            return hit.clone();
        }
        let result = compute();
        if let Ok(mut memo) = MEMO.lock() {
            if memo.len() >= CAPACITY {
                let _evicted = memo.remove(0);
            }
            memo.push((key, result.clone()));
        }
        result
    }
}

/// Checks a received group-5 public key as hostapd does and returns it zero-padded.
///
/// Accepts 190..=192 bytes (hostapd's attribute parser), then requires
/// `2 <= y <= p - 2` and `y^q mod p = 1` with `q = (p - 1) / 2`, the latter computed as
/// a Legendre symbol (same verdict, a fraction of the cost). Variable-time: `y` is public.
///
/// # Errors
/// [`DhError::PeerKeyTooShort`], [`DhError::PeerKeyTooLong`],
/// [`DhError::PeerKeyOutOfRange`], [`DhError::PeerKeyNotInSubgroup`].
///
/// ```
/// use wps::crypto::{check_peer_public_key, DhError};
/// assert_eq!(check_peer_public_key(&[0u8; 192]), Err(DhError::PeerKeyOutOfRange));
/// assert_eq!(check_peer_public_key(&[1u8; 189]), Err(DhError::PeerKeyTooShort { len: 189 }));
/// ```
pub fn check_peer_public_key(peer_public: &[u8]) -> Result<[u8; PUBLIC_KEY_LEN], DhError> {
    let len = peer_public.len();
    if len < MIN_PEER_PUBLIC_KEY_LEN {
        return Err(DhError::PeerKeyTooShort { len });
    }
    let mut y = [0u8; PUBLIC_KEY_LEN];
    match y.get_mut(PUBLIC_KEY_LEN.saturating_sub(len)..) {
        Some(tail) if len <= PUBLIC_KEY_LEN => tail.copy_from_slice(peer_public),
        _ => return Err(DhError::PeerKeyTooLong { len }),
    }
    if !within_two_and_p_minus_2(&y) {
        return Err(DhError::PeerKeyOutOfRange);
    }
    if jacobi_vartime_be::<Word, { PUBLIC_KEY_LEN / core::mem::size_of::<Word>() }>(&y, &P) != 1 {
        return Err(DhError::PeerKeyNotInSubgroup);
    }
    Ok(y)
}

/// Whether `2 <= y <= p − 2` for a big-endian `y`. Compared as all but the last byte,
/// then the last: p ends in 0xFF, so p − 2 differs from p in the last byte alone, and 2
/// is the last byte over zeros (no 192-byte constants for the two bounds in flash).
fn within_two_and_p_minus_2(y: &[u8; PUBLIC_KEY_LEN]) -> bool {
    let (Some((&last, high)), Some((_, p_high))) = (y.split_last(), P.split_last()) else {
        return false;
    };
    // Big-endian byte strings of equal length compare like the integers they encode.
    match high.cmp(p_high) {
        core::cmp::Ordering::Less => last >= 2 || high.iter().any(|&b| b != 0),
        core::cmp::Ordering::Equal => last <= 0xfd,
        core::cmp::Ordering::Greater => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::format;

    #[test]
    fn range_bounds_are_two_and_p_minus_2() {
        let with_last = |high: &[u8; PUBLIC_KEY_LEN], last: u8| {
            let mut y = *high;
            y[PUBLIC_KEY_LEN - 1] = last;
            within_two_and_p_minus_2(&y)
        };
        let zeros = [0u8; PUBLIC_KEY_LEN];
        assert!(!with_last(&zeros, 0) && !with_last(&zeros, 1));
        assert!(with_last(&zeros, 2) && with_last(&zeros, 0xff));
        // A set bit above the last byte: in range whatever the last byte.
        let mut above = zeros;
        above[PUBLIC_KEY_LEN - 2] = 1;
        assert!(with_last(&above, 0) && with_last(&above, 1));
        above[0] = 0x80;
        assert!(with_last(&above, 0));
        // p − 2 is the top; p − 1, p and anything above are out.
        assert!(with_last(&P, 0xfd) && with_last(&P, 0));
        assert!(!with_last(&P, 0xfe) && !with_last(&P, 0xff));
        assert!(!within_two_and_p_minus_2(&[0xff; PUBLIC_KEY_LEN]));
        let mut below = P;
        below[PUBLIC_KEY_LEN - 2] = 0xfe;
        assert!(with_last(&below, 0xff));
    }

    #[test]
    fn constants() {
        assert_eq!(P[0], 0xff);
        assert_eq!(P[191], 0xff);
        assert_eq!(P[8], 0xc9);
    }

    #[test]
    fn generator_is_a_residue() {
        // 2 is a QR mod p because p ≡ 7 (mod 8): public keys live in the q-subgroup.
        assert!(check_peer_public_key(&TWO).is_ok());
    }

    /// Gives the same byte every time.
    struct ByteRng(u8);
    impl rand_core::TryRng for ByteRng {
        type Error = core::convert::Infallible;
        fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
            Ok(u32::from_ne_bytes([self.0; 4]))
        }
        fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
            Ok(u64::from_ne_bytes([self.0; 8]))
        }
        fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
            dst.fill(self.0);
            Ok(())
        }
    }
    impl rand_core::TryCryptoRng for ByteRng {}

    #[test]
    fn an_exponent_below_two_becomes_two_or_three() {
        // 0 → 2, so the public value is 4; any other draw is kept as it is.
        let k = DhKeyPair::generate(&mut ByteRng(0));
        let mut four = [0u8; PUBLIC_KEY_LEN];
        four[PUBLIC_KEY_LEN - 1] = 4;
        assert_eq!(k.public_key(), four);
        let expected = DhKeyPair::from_private(&[0x11; 32]).unwrap();
        assert_eq!(
            DhKeyPair::generate(&mut ByteRng(0x11)).public_key(),
            expected.public_key()
        );
    }

    #[test]
    fn debug_redacts() {
        let k = DhKeyPair::from_private(&[0xab; 32]).unwrap();
        let s = format!("{k:?}");
        assert!(!s.to_lowercase().contains("abab"), "{s}");
    }
}
