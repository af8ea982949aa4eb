//! WSC cryptography: Diffie-Hellman group 5, the key schedule, the per-message
//! authenticators and the Encrypted Settings, byte-exact with hostapd.
//!
//! The chain, as both sides run it:
//!
//! ```text
//! DHKey = SHA-256(zero-padded peer^x mod p)              DhKeyPair::dh_key
//! KDK   = HMAC(DHKey, N1 ‖ EnrolleeMAC ‖ N2)             kdk
//! AuthKey ‖ KeyWrapKey ‖ EMSK = KDF(KDK, label, 640)     SessionKeys::derive
//! PSK1, PSK2 = HMAC(AuthKey, PIN half)[..16]             psk / psks
//! E-/R-Hash = HMAC(AuthKey, S ‖ PSK ‖ PKE ‖ PKR)          e_hash      
//! Authenticator = HMAC(AuthKey, prev ‖ cur*)[..8]         authenticator
//! Encrypted Settings = IV ‖ AES-CBC(TLVs ‖ KWA ‖ pad)     encrypt_settings
//! ```
//!
//! Secrets (private exponent, shared secret, DHKey, KDK, session keys, PSKs, decrypted
//! settings) are wiped on drop and never printed by `Debug`; every Authenticator, KWA and
//! hash check is constant-time. Randomness (key pairs; IVs and secret nonces are the
//! caller's) comes from a caller-supplied `rand_core` RNG.
//!
//! ```
//! use wps::crypto::*;
//! let mut rng = rand::rng();
//! let (enrollee, registrar) = (DhKeyPair::generate(&mut rng), DhKeyPair::generate(&mut rng));
//! let (n1, n2, mac) = ([1u8; 16], [2u8; 16], [2u8, 0, 0, 0, 0, 1]);
//! // Each side derives the same keys from the other's public key.
//! let dh_e = enrollee.dh_key(&registrar.public_key())?;
//! let dh_r = registrar.dh_key(&enrollee.public_key())?;
//! let e = SessionKeys::derive(&kdk(&dh_e, &n1, &mac, &n2));
//! let r = SessionKeys::derive(&kdk(&dh_r, &n1, &mac, &n2));
//! let settings = encrypt_settings(r.key_wrap_key(), r.auth_key(), &[7; 16], b"\x10\x45\x00\x01x");
//! let plain = decrypt_settings(e.key_wrap_key(), e.auth_key(), &settings)?;
//! assert_eq!(&plain[..], b"\x10\x45\x00\x01x");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod dh;
mod error;
mod hash;
mod jacobi;
mod kdf;
mod modexp;
mod monty1536;
mod secret;
mod settings;

#[cfg(feature = "alloc")]
pub(crate) use dh::P;
#[cfg(feature = "nfc")]
pub(crate) use dh::sha256_into;
pub use dh::{
    DhKeyPair, ExponentLength, MIN_PEER_PUBLIC_KEY_LEN, PUBLIC_KEY_LEN, check_peer_public_key,
};
pub use error::{DhError, SettingsError, VerifyError};
pub use hash::{
    AUTH_TLV_LEN, AUTHENTICATOR_TLV_HEADER, KWA_TLV_HEADER, authenticator, e_hash,
    key_wrap_authenticator, psk, psks, verify_authenticator, verify_e_hash,
    verify_key_wrap_authenticator,
};
#[cfg(fuzzing)]
#[doc(hidden)]
pub use jacobi::jacobi_four_ways;
pub use kdf::{KDF_LABEL, SessionKeys, kdf, kdk};
#[cfg(fuzzing)]
#[doc(hidden)]
pub use monty1536::{pow_both_widths, pow2_both_widths};
pub use secret::SecretBytes;
#[cfg(feature = "alloc")]
pub use settings::{decrypt_settings, encrypt_settings};
pub use settings::{decrypt_settings_in_place, encrypt_settings_into, encrypted_settings_len};

/// DHKey: SHA-256 of the shared secret (32 bytes, wiped on drop).
pub type DhKey = SecretBytes<32>;
/// KDK (32 bytes, wiped on drop).
pub type Kdk = SecretBytes<32>;
/// PSK1 or PSK2 (16 bytes, wiped on drop).
pub type Psk = SecretBytes<16>;
