//! Encrypted Settings (attribute 0x1018): `IV ‖ AES-128-CBC(KeyWrapKey, IV, TLVs ‖ KWA ‖ pad)`.

use aes::Aes128;
use aes::cipher::array::Array;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use super::error::SettingsError;
use super::hash::{KWA_TLV_HEADER, key_wrap_authenticator, verify_key_wrap_authenticator};

#[cfg(feature = "alloc")]
use {alloc::vec, alloc::vec::Vec, zeroize::Zeroizing};

const BLOCK: usize = 16;
const KWA_TLV_LEN: usize = 12;

/// Length of the Encrypted Settings value built from `plaintext_len` bytes of attributes:
/// 16 (IV) + attributes + 12 (KWA TLV) + 1..=16 padding. Saturates at `usize::MAX` for
/// lengths no buffer can have, so a caller sizing a buffer by it gets a "too small"
/// error, never a wrapped-around small length.
///
/// ```
/// # use wps::crypto::encrypted_settings_len;
/// assert_eq!(encrypted_settings_len(20), 64); // 20 + 12 = 32 -> a full pad block
/// assert_eq!(encrypted_settings_len(usize::MAX - 20), usize::MAX);
/// ```
pub const fn encrypted_settings_len(plaintext_len: usize) -> usize {
    let unpadded = plaintext_len.saturating_add(KWA_TLV_LEN);
    let blocks = (unpadded / BLOCK).saturating_add(1);
    blocks.saturating_mul(BLOCK).saturating_add(BLOCK)
}

/// Builds the Encrypted Settings value into `out` without allocating and returns its
/// length ([`encrypted_settings_len`]). Appends the KWA TLV (`10 1E 00 08` ‖ KWA), pads
/// with 1..=16 bytes of the pad length (PKCS#7), encrypts with AES-128-CBC under
/// `key_wrap_key` and `iv`, and prefixes the IV. `iv` must be fresh random bytes.
///
/// # Errors
/// [`SettingsError::Write`] when `out` is shorter than needed (nothing written).
pub fn encrypt_settings_into(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    iv: &[u8; 16],
    plaintext_attributes: &[u8],
    out: &mut [u8],
) -> Result<usize, SettingsError> {
    let needed = encrypted_settings_len(plaintext_attributes.len());
    let available = out.len();
    let out = out
        .get_mut(..needed)
        .ok_or(crate::tlv::WriteError::BufferFull { needed, available })?;
    seal(key_wrap_key, auth_key, iv, plaintext_attributes, out);
    Ok(needed)
}

/// `out.len()` must be exactly `encrypted_settings_len(plaintext.len())`: every split
/// below is then within bounds.
fn seal(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    iv: &[u8; 16],
    plaintext: &[u8],
    out: &mut [u8],
) {
    let (iv_out, body) = out.split_at_mut(BLOCK);
    iv_out.copy_from_slice(iv);
    let (pt, rest) = body.split_at_mut(plaintext.len());
    pt.copy_from_slice(plaintext);
    let (kwa_tlv, pad) = rest.split_at_mut(KWA_TLV_LEN);
    let (hdr, kwa) = kwa_tlv.split_at_mut(4);
    hdr.copy_from_slice(&KWA_TLV_HEADER);
    kwa.copy_from_slice(&key_wrap_authenticator(auth_key, plaintext));
    // 1..=16 by construction of encrypted_settings_len.
    #[allow(clippy::cast_possible_truncation)]
    let pad_byte = pad.len() as u8;
    pad.fill(pad_byte);
    let (blocks, _) = Array::slice_as_chunks_mut(body);
    cbc::Encryptor::<Aes128>::new(key_wrap_key.into(), iv.into()).encrypt_blocks(blocks);
}

/// Builds an Encrypted Settings attribute value: `IV ‖ AES-128-CBC(TLVs ‖ KWA TLV ‖ pad)`.
/// See [`encrypt_settings_into`] for the no-alloc variant.
///
/// ```
/// use wps::crypto::{decrypt_settings, encrypt_settings};
/// let (kwk, auth) = ([1u8; 16], [2u8; 32]);
/// let plain = [0x10, 0x16, 0x00, 0x02, 0xaa, 0xbb];
/// let value = encrypt_settings(&kwk, &auth, &[3; 16], &plain);
/// assert_eq!(value.len(), 48);
/// assert_eq!(&decrypt_settings(&kwk, &auth, &value).unwrap()[..], &plain);
/// ```
#[cfg(feature = "alloc")]
pub fn encrypt_settings(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    iv: &[u8; 16],
    plaintext_attributes: &[u8],
) -> Vec<u8> {
    let mut out = vec![0u8; encrypted_settings_len(plaintext_attributes.len())];
    seal(key_wrap_key, auth_key, iv, plaintext_attributes, &mut out);
    out
}

/// Decrypts an Encrypted Settings value in place (`value` = IV ‖ ciphertext), checks the
/// padding and the Key Wrap Authenticator, and returns the plaintext attributes without
/// the KWA TLV, as a sub-slice of `value`. On error the decrypted bytes are wiped.
///
/// Padding is checked as hostapd does: the last byte `n` must not exceed the decrypted
/// length and the last `n` bytes must all equal `n`; like hostapd, a pad of 0 (nothing
/// removed) and pads above 16 are accepted. [`encrypt_settings`] always emits 1..=16.
/// The KWA TLV must be the final 12 bytes of the unpadded data, as hostapd requires.
///
/// # Errors
/// [`SettingsError::TooShort`] (< 32 bytes), [`SettingsError::NotBlockAligned`],
/// [`SettingsError::BadPadding`], [`SettingsError::MissingKwa`], [`SettingsError::WrongKwa`].
pub fn decrypt_settings_in_place<'a>(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    value: &'a mut [u8],
) -> Result<&'a [u8], SettingsError> {
    check_len(value.len())?;
    let (iv, body) = value.split_at_mut(BLOCK);
    let n = decrypt_body(key_wrap_key, auth_key, iv, body)?;
    body.get(..n).ok_or(SettingsError::BadPadding)
}

/// The length checks of [`decrypt_settings_in_place`]: at least 32 bytes, whole blocks.
fn check_len(len: usize) -> Result<(), SettingsError> {
    if len < 2 * BLOCK {
        return Err(SettingsError::TooShort { len });
    }
    if !len.is_multiple_of(BLOCK) {
        return Err(SettingsError::NotBlockAligned { len });
    }
    Ok(())
}

/// Decrypts `body` (whole blocks) in place under `iv`, checks padding and KWA, and
/// returns the attributes' length; on error the decrypted bytes are wiped.
fn decrypt_body(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    iv: &[u8],
    body: &mut [u8],
) -> Result<usize, SettingsError> {
    cbc_decrypt(key_wrap_key, iv, body);
    open(auth_key, body).inspect_err(|_| body.zeroize())
}

/// AES-128-CBC decryption of whole blocks in place. Not inlined: the cipher's key schedule
/// then lives in a frame of its own, gone before [`open`]'s HMAC runs (on a 32-bit core
/// the two together were the deepest stack of a registration).
#[inline(never)]
fn cbc_decrypt(key_wrap_key: &[u8; 16], iv: &[u8], body: &mut [u8]) {
    let mut iv_arr = [0u8; BLOCK];
    iv_arr.copy_from_slice(iv);
    let mut cipher = cbc::Decryptor::<Aes128>::new(key_wrap_key.into(), (&iv_arr).into());
    // One block at a time, as encryption must go: then only the cipher's one-block
    // bitslicing is linked. `decrypt_blocks` would add its two-block batches (0.3 KB of
    // flash on a Cortex-M4) to save 24 k instructions a registration there.
    let (blocks, _) = Array::slice_as_chunks_mut(body);
    for block in blocks {
        cipher.decrypt_block(block);
    }
}

/// Checks padding and KWA of decrypted data; returns the attributes' length.
fn open(auth_key: &[u8; 32], decrypted: &[u8]) -> Result<usize, SettingsError> {
    let pad = usize::from(decrypted.last().copied().unwrap_or(0));
    let unpadded_len = decrypted
        .len()
        .checked_sub(pad)
        .ok_or(SettingsError::BadPadding)?;
    let (unpadded, padding) = decrypted.split_at(unpadded_len);
    // Accumulate instead of returning early: no byte-by-byte timing signal.
    let diff = padding.iter().fold(0u8, |acc, &b| acc | (b ^ pad as u8));
    let padding_ok = diff.ct_eq(&0);
    // The KWA is checked whether the padding bytes were right or not, so that a wrong
    // padding byte does not show as a shorter run (a padding oracle); only the pad
    // length, which fixes the length of the plaintext, shows.
    // `black_box`: the result is not needed when the padding is bad, and the compiler
    // must not move the check behind the padding test.
    let kwa = core::hint::black_box(verify_key_wrap_authenticator(auth_key, unpadded));
    if !bool::from(padding_ok) {
        return Err(SettingsError::BadPadding);
    }
    match kwa {
        // A verified KWA TLV is the last 12 unpadded bytes, so this cannot fail.
        Ok(()) => unpadded_len
            .checked_sub(KWA_TLV_LEN)
            .ok_or(SettingsError::MissingKwa),
        Err(super::error::VerifyError::Mismatch) => Err(SettingsError::WrongKwa),
        Err(_) => Err(SettingsError::MissingKwa),
    }
}

/// Decrypts an Encrypted Settings value and returns the plaintext attributes without the
/// KWA TLV, in a buffer wiped on drop.
///
/// Checks as [`decrypt_settings_in_place`]: length ≥ 32 and a multiple of 16; padding as
/// hostapd (pad byte n ≤ length, last n bytes all n; 0 and > 16 accepted); KWA TLV in the
/// last 12 unpadded bytes, compared in constant time.
///
/// # Errors
/// As [`decrypt_settings_in_place`].
#[cfg(feature = "alloc")]
pub fn decrypt_settings(
    key_wrap_key: &[u8; 16],
    auth_key: &[u8; 32],
    encrypted_settings_value: &[u8],
) -> Result<Zeroizing<Vec<u8>>, SettingsError> {
    check_len(encrypted_settings_value.len())?;
    let (iv, ciphertext) = encrypted_settings_value.split_at(BLOCK);
    // Only the ciphertext is copied: the plaintext then starts at the front, and nothing
    // is moved after decryption.
    let mut buf = Zeroizing::new(ciphertext.to_vec());
    let n = decrypt_body(key_wrap_key, auth_key, iv, &mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_settings_len_pads_and_saturates() {
        // 1..=16 padding bytes: a whole pad block when the unpadded length is aligned.
        assert_eq!(encrypted_settings_len(0), 32);
        assert_eq!(encrypted_settings_len(3), 32);
        assert_eq!(encrypted_settings_len(4), 48);
        // Exact up to the top of the range, then saturating instead of wrapping around.
        assert_eq!(encrypted_settings_len(usize::MAX - 44), usize::MAX - 15);
        assert_eq!(encrypted_settings_len(usize::MAX - 43), usize::MAX);
        assert_eq!(encrypted_settings_len(usize::MAX), usize::MAX);
    }
}
