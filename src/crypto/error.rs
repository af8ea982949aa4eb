//! Error types of the crypto layer: one enum per concern, one variant per reason.

/// Why a Diffie-Hellman private key or a peer's public key was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DhError {
    /// The private exponent was given as zero bytes.
    #[error("DH private key is empty")]
    PrivateKeyEmpty,
    /// The private exponent is longer than the 192-byte group size.
    #[error("DH private key is {len} bytes, at most 192 allowed")]
    PrivateKeyTooLong {
        /// Length of the rejected key in bytes.
        len: usize,
    },
    /// The private exponent is zero.
    #[error("DH private key is zero")]
    PrivateKeyZero,
    /// The peer's public key is shorter than the 190 bytes hostapd accepts.
    #[error("peer public key is {len} bytes, at least 190 required")]
    PeerKeyTooShort {
        /// Length of the received key in bytes.
        len: usize,
    },
    /// The peer's public key is longer than 192 bytes.
    #[error("peer public key is {len} bytes, at most 192 allowed")]
    PeerKeyTooLong {
        /// Length of the received key in bytes.
        len: usize,
    },
    /// The peer's public value is not in 2..=p-2 (0, 1, p-1, p or larger).
    #[error("peer public key is out of range (must be in 2..=p-2)")]
    PeerKeyOutOfRange,
    /// The peer's public value is not in the prime-order subgroup (y^q mod p != 1).
    #[error("peer public key is not in the prime-order subgroup")]
    PeerKeyNotInSubgroup,
}

/// Why an Authenticator, Key Wrap Authenticator or E-/R-Hash check failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The message does not end with an Authenticator TLV (`10 05 00 08` + 8 bytes).
    #[error("message does not end with an Authenticator attribute")]
    MissingAuthenticator,
    /// The value was recomputed and differs from the received one.
    #[error("authenticator or hash mismatch")]
    Mismatch,
}

/// Why an Encrypted Settings value could not be built or opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SettingsError {
    /// Shorter than one IV block plus one ciphertext block (32 bytes).
    #[error("encrypted settings are {len} bytes, at least 32 required")]
    TooShort {
        /// Length of the received value in bytes.
        len: usize,
    },
    /// Not a whole number of 16-byte blocks.
    #[error("encrypted settings length {len} is not a multiple of 16")]
    NotBlockAligned {
        /// Length of the received value in bytes.
        len: usize,
    },
    /// The decrypted padding is inconsistent (pad longer than the data, or pad bytes differ).
    #[error("bad padding in decrypted settings")]
    BadPadding,
    /// The decrypted data does not end with a Key Wrap Authenticator TLV.
    #[error("decrypted settings do not end with a Key Wrap Authenticator")]
    MissingKwa,
    /// The Key Wrap Authenticator does not match the decrypted data.
    #[error("key wrap authenticator mismatch")]
    WrongKwa,
    /// The output buffer of a no-alloc variant is too small.
    #[error(transparent)]
    Write(#[from] crate::tlv::WriteError),
}
