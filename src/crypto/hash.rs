//! PSK1/PSK2, E-/R-Hashes, the Authenticator and the Key Wrap Authenticator, with
//! constant-time verifiers.

use subtle::ConstantTimeEq;

use super::error::VerifyError;
use super::kdf::hmac_parts;
use super::secret::SecretBytes;

/// Attribute header of the Authenticator TLV (type 0x1005, length 8).
pub const AUTHENTICATOR_TLV_HEADER: [u8; 4] = [0x10, 0x05, 0x00, 0x08];
/// Attribute header of the Key Wrap Authenticator TLV (type 0x101E, length 8).
pub const KWA_TLV_HEADER: [u8; 4] = [0x10, 0x1e, 0x00, 0x08];
/// Length of an Authenticator or KWA TLV (4-byte header + 8-byte value).
pub const AUTH_TLV_LEN: usize = 12;

/// `Ok` when `received` equals `computed`, compared in constant time (a `received` of
/// another length is a mismatch).
fn same_in_constant_time(computed: &[u8], received: &[u8]) -> Result<(), VerifyError> {
    if bool::from(computed.ct_eq(received)) {
        Ok(())
    } else {
        Err(VerifyError::Mismatch)
    }
}

fn first8(full: &SecretBytes<32>) -> [u8; 8] {
    let mut out = [0u8; 8];
    out.copy_from_slice(&full.as_bytes()[..8]);
    out
}

/// PSKn = first 16 bytes of HMAC-SHA-256(AuthKey, half n of the device password).
///
/// ```
/// # use wps::crypto::psk;
/// let psk1 = psk(&[0; 32], b"1234");
/// assert_eq!(psk1.len(), 16);
/// ```
pub fn psk(auth_key: &[u8; 32], pin_half: &[u8]) -> SecretBytes<16> {
    let full = hmac_parts(auth_key, &[pin_half]);
    let mut out = SecretBytes::<16>::zero();
    out.as_mut_bytes().copy_from_slice(&full.as_bytes()[..16]);
    out
}

/// E-Hash1/2 = HMAC-SHA-256(AuthKey, E-S ‖ PSK ‖ PKE ‖ PKR); also R-Hash1/2, the same
/// formula over the registrar's R-S.
///
/// `pk_e` and `pk_r` are the public keys exactly as sent/received (own key: 192 bytes;
/// a peer's may be 190..=192 bytes).
pub fn e_hash(
    auth_key: &[u8; 32],
    secret_nonce: &[u8; 16],
    psk: &[u8; 16],
    pk_e: &[u8],
    pk_r: &[u8],
) -> [u8; 32] {
    *hmac_parts(auth_key, &[secret_nonce, psk, pk_e, pk_r])
}

/// Recomputes an E-Hash (or R-Hash: same formula) and compares it in constant time with
/// the `expected` value received earlier.
///
/// # Errors
/// [`VerifyError::Mismatch`] (also for an `expected` that is not 32 bytes long).
pub fn verify_e_hash(
    auth_key: &[u8; 32],
    secret_nonce: &[u8; 16],
    psk: &[u8; 16],
    pk_e: &[u8],
    pk_r: &[u8],
    expected: &[u8],
) -> Result<(), VerifyError> {
    let h = hmac_parts(auth_key, &[secret_nonce, psk, pk_e, pk_r]);
    same_in_constant_time(h.as_bytes(), expected)
}

/// Authenticator = first 8 bytes of HMAC-SHA-256(AuthKey, PrevMsg ‖ CurMsg*), where
/// CurMsg* is the current message's attribute stream without the Authenticator TLV.
///
/// ```
/// # use wps::crypto::authenticator;
/// let a = authenticator(&[0; 32], b"\x10\x4a\x00\x01\x10", b"\x10\x4a\x00\x01\x10");
/// assert_eq!(a.len(), 8);
/// ```
pub fn authenticator(
    auth_key: &[u8; 32],
    previous_msg: &[u8],
    current_msg_without_authenticator: &[u8],
) -> [u8; 8] {
    first8(&hmac_parts(
        auth_key,
        &[previous_msg, current_msg_without_authenticator],
    ))
}

/// Splits `msg` into (body, 8-byte value) if its last 12 bytes are a TLV with `header`.
fn split_trailer<'a>(msg: &'a [u8], header: &[u8; 4]) -> Option<(&'a [u8], &'a [u8])> {
    let body_len = msg.len().checked_sub(AUTH_TLV_LEN)?;
    let (body, tlv) = msg.split_at(body_len);
    let (hdr, value) = tlv.split_at(4);
    (hdr == header).then_some((body, value))
}

/// Verifies the Authenticator of a received message, as hostapd does: the Authenticator
/// must be the message's last 12 bytes (`10 05 00 08` + 8 bytes) and is compared in
/// constant time with HMAC(AuthKey, `previous_msg` ‖ the message minus those 12 bytes).
///
/// # Errors
/// [`VerifyError::MissingAuthenticator`], [`VerifyError::Mismatch`].
pub fn verify_authenticator(
    auth_key: &[u8; 32],
    previous_msg: &[u8],
    msg_with_authenticator: &[u8],
) -> Result<(), VerifyError> {
    let (body, value) = split_trailer(msg_with_authenticator, &AUTHENTICATOR_TLV_HEADER)
        .ok_or(VerifyError::MissingAuthenticator)?;
    same_in_constant_time(&authenticator(auth_key, previous_msg, body), value)
}

/// KWA = first 8 bytes of HMAC-SHA-256(AuthKey, the Encrypted Settings plaintext that
/// precedes the KWA TLV).
pub fn key_wrap_authenticator(auth_key: &[u8; 32], data: &[u8]) -> [u8; 8] {
    first8(&hmac_parts(auth_key, &[data]))
}

/// Verifies decrypted, unpadded settings that end with a KWA TLV (`10 1E 00 08` + 8
/// bytes) in constant time, as hostapd does (KWA at offset len − 12).
///
/// # Errors
/// [`VerifyError::MissingAuthenticator`] when the last 12 bytes are not a KWA TLV,
/// [`VerifyError::Mismatch`] when the value is wrong.
pub fn verify_key_wrap_authenticator(
    auth_key: &[u8; 32],
    plaintext_with_kwa: &[u8],
) -> Result<(), VerifyError> {
    let (body, value) = split_trailer(plaintext_with_kwa, &KWA_TLV_HEADER)
        .ok_or(VerifyError::MissingAuthenticator)?;
    same_in_constant_time(&key_wrap_authenticator(auth_key, body), value)
}

/// PSK1 and PSK2 from a whole device password, split as hostapd does: the first half is
/// `ceil(n / 2)` bytes ("12345670" → "1234" + "5670"; PBC uses "00000000").
///
/// ```
/// # use wps::crypto::{psk, psks};
/// let (p1, p2) = psks(&[9; 32], b"12345670");
/// assert!(p1 == psk(&[9; 32], b"1234") && p2 == psk(&[9; 32], b"5670"));
/// ```
pub fn psks(auth_key: &[u8; 32], device_password: &[u8]) -> (SecretBytes<16>, SecretBytes<16>) {
    let (half1, half2) = device_password.split_at(device_password.len().div_ceil(2));
    (psk(auth_key, half1), psk(auth_key, half2))
}
