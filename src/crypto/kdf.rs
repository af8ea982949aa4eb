//! Key derivation: KDK from the DH key and nonces, the WSC KDF, and the session keys.

use core::fmt;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::secret::SecretBytes;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The label of the WSC key derivation (36 ASCII bytes, no NUL, no length prefix).
pub const KDF_LABEL: &[u8] = b"Wi-Fi Easy and Secure Key Derivation";

/// An HMAC-SHA-256 instance keyed with a 32-byte key.
///
/// Keys shorter than the 64-byte block are zero-padded by HMAC's definition, so padding
/// here and using the infallible constructor gives the same MAC.
pub(crate) fn keyed(key: &[u8; 32]) -> HmacSha256 {
    let mut block = [0u8; 64];
    let (head, _) = block.split_at_mut(32);
    head.copy_from_slice(key);
    let mac = HmacSha256::new(&block.into());
    block.zeroize();
    mac
}

/// Feeds `parts` to `mac` in order and writes the finished MAC into `out`: the one
/// place the MAC's update and finish are written out, for every HMAC of the crate.
pub(crate) fn finish_parts_into(mut mac: HmacSha256, parts: &[&[u8]], out: &mut [u8; 32]) {
    for part in parts {
        mac.update(part);
    }
    let mut tag = mac.finalize().into_bytes();
    out.copy_from_slice(tag.as_slice());
    tag.as_mut_slice().zeroize();
}

/// HMAC-SHA-256 under a 32-byte `key` over the concatenation of `parts`. Not inlined:
/// one copy serves the KDK and every hash, PSK and authenticator.
#[inline(never)]
pub(crate) fn hmac_parts(key: &[u8; 32], parts: &[&[u8]]) -> SecretBytes<32> {
    let mut out = SecretBytes::<32>::zero();
    finish_parts_into(keyed(key), parts, out.as_mut_bytes());
    out
}

/// KDK = HMAC-SHA-256(DHKey, N1 ‖ EnrolleeMAC ‖ N2).
///
/// ```
/// # use wps::crypto::kdk;
/// let k = kdk(&[1; 32], &[2; 16], &[0x02, 0, 0, 0, 0, 1], &[3; 16]);
/// assert_eq!(k.len(), 32);
/// ```
pub fn kdk(
    dh_key: &[u8; 32],
    enrollee_nonce: &[u8; 16],
    enrollee_mac: &[u8; 6],
    registrar_nonce: &[u8; 16],
) -> SecretBytes<32> {
    hmac_parts(dh_key, &[enrollee_nonce, enrollee_mac, registrar_nonce])
}

/// The WSC KDF: fills `out` with the first `8 * out.len()` bits of
/// `T_1 ‖ T_2 ‖ …`, `T_i = HMAC-SHA-256(key, BE32(i) ‖ label ‖ BE32(8 * out.len()))`.
///
/// WSC uses `label` = [`KDF_LABEL`] and 80 bytes of output (see [`SessionKeys`]).
/// The bit length is a 32-bit field: outputs of 512 MiB or more are outside the KDF's
/// definition (the length field saturates; nothing panics).
pub fn kdf(key: &[u8; 32], label: &[u8], out: &mut [u8]) {
    let bits = u32::try_from(out.len())
        .ok()
        .and_then(|n| n.checked_mul(8))
        .unwrap_or(u32::MAX);
    for (i, chunk) in (1u32..).zip(out.chunks_mut(32)) {
        // Keyed anew for each block through the one HMAC path instead of cloning a keyed
        // state: two SHA-256 blocks more per output block, one copy of the code less.
        let block = hmac_parts(key, &[&i.to_be_bytes(), label, &bits.to_be_bytes()]);
        let (head, _) = block.as_bytes().split_at(chunk.len());
        chunk.copy_from_slice(head);
    }
}

/// The three session keys derived from the KDK: AuthKey, KeyWrapKey and EMSK.
///
/// Wiped on drop; `Debug` prints no key bytes.
///
/// ```
/// use wps::crypto::{kdk, SessionKeys};
/// let keys = SessionKeys::derive(&kdk(&[1; 32], &[2; 16], &[2, 0, 0, 0, 0, 1], &[3; 16]));
/// assert_eq!(keys.auth_key().len(), 32);
/// assert_eq!(keys.key_wrap_key().len(), 16);
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SessionKeys {
    auth_key: [u8; 32],
    key_wrap_key: [u8; 16],
    emsk: [u8; 32],
}

impl SessionKeys {
    /// Runs the KDF over the KDK (640 bits, [`KDF_LABEL`]) and splits 32/16/32.
    pub fn derive(kdk: &[u8; 32]) -> Self {
        let mut buf = [0u8; 80];
        kdf(kdk, KDF_LABEL, &mut buf);
        let mut keys = Self {
            auth_key: [0; 32],
            key_wrap_key: [0; 16],
            emsk: [0; 32],
        };
        keys.auth_key.copy_from_slice(&buf[..32]);
        keys.key_wrap_key.copy_from_slice(&buf[32..48]);
        keys.emsk.copy_from_slice(&buf[48..]);
        buf.zeroize();
        keys
    }

    /// AuthKey (32 bytes): keys the Authenticators, KWAs, PSKs and E-/R-Hashes.
    pub fn auth_key(&self) -> &[u8; 32] {
        &self.auth_key
    }

    /// KeyWrapKey (16 bytes): the AES-128 key of the Encrypted Settings.
    pub fn key_wrap_key(&self) -> &[u8; 16] {
        &self.key_wrap_key
    }

    /// EMSK (32 bytes): derived for completeness, unused by WSC itself.
    pub fn emsk(&self) -> &[u8; 32] {
        &self.emsk
    }
}

impl fmt::Debug for SessionKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SessionKeys(..)")
    }
}
