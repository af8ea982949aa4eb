//! Every random value one registration run uses, drawn up front.

use core::fmt;

use rand_core::CryptoRng;
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::crypto::{DhError, DhKeyPair};

/// The secrets of one run: the DH key pair, this side's nonce (N1 or N2), the two secret
/// nonces (E-S1/E-S2 or R-S1/R-S2) and the IVs of the Encrypted Settings this side
/// sends (enrollee: M5, M7; registrar: M4, M6, M8 — in that order).
///
/// [`SessionSecrets::generate`] draws them from the caller's RNG;
/// [`SessionSecrets::from_parts`] takes them as given, which is how a captured run is
/// replayed byte for byte. Secret nonces are wiped on drop; `Debug` shows none of them.
///
/// ```
/// use wps::registration::SessionSecrets;
/// let s = SessionSecrets::from_parts(&[0x36, 0x79, 0x16], [1; 16], [[2; 16], [3; 16]], [[4; 16]; 3])?;
/// assert_eq!(s.nonce(), &[1; 16]);
/// # Ok::<(), wps::crypto::DhError>(())
/// ```
// Fuzz builds only: the `registration` target snapshots machines mid-run.
#[cfg_attr(fuzzing, derive(Clone))]
pub struct SessionSecrets {
    pub(crate) dh: DhKeyPair,
    pub(crate) nonce: [u8; 16],
    pub(crate) secret_nonces: [[u8; 16]; 2],
    pub(crate) ivs: [[u8; 16]; 3],
}

impl fmt::Debug for SessionSecrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionSecrets")
            .field("dh", &self.dh)
            .finish_non_exhaustive()
    }
}

impl Drop for SessionSecrets {
    fn drop(&mut self) {
        self.secret_nonces.zeroize();
    }
}

impl ZeroizeOnDrop for SessionSecrets {}

impl SessionSecrets {
    /// Fresh secrets: a key pair with a 256-bit exponent, then nonce, secret nonces and
    /// IVs, all from `rng`.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        Self::with_key_pair(DhKeyPair::generate(rng), rng)
    }

    /// Fresh nonces and IVs around a given key pair.
    pub fn with_key_pair<R: CryptoRng + ?Sized>(dh: DhKeyPair, rng: &mut R) -> Self {
        let mut s = SessionSecrets {
            dh,
            nonce: [0; 16],
            secret_nonces: [[0; 16]; 2],
            ivs: [[0; 16]; 3],
        };
        rng.fill_bytes(&mut s.nonce);
        for n in &mut s.secret_nonces {
            rng.fill_bytes(n);
        }
        for iv in &mut s.ivs {
            rng.fill_bytes(iv);
        }
        s
    }

    /// Explicit secrets (replay): the big-endian DH private exponent (any length up to
    /// 192 bytes), the nonce, the two secret nonces and the IVs in sending order.
    ///
    /// # Errors
    /// The private key is refused as by [`DhKeyPair::from_private`].
    pub fn from_parts(
        dh_private: &[u8],
        nonce: [u8; 16],
        secret_nonces: [[u8; 16]; 2],
        ivs: [[u8; 16]; 3],
    ) -> Result<Self, DhError> {
        Ok(SessionSecrets {
            dh: DhKeyPair::from_private(dh_private)?,
            nonce,
            secret_nonces,
            ivs,
        })
    }

    /// This side's nonce (N1 for an enrollee, N2 for a registrar).
    pub fn nonce(&self) -> &[u8; 16] {
        &self.nonce
    }

    /// This side's public key.
    pub fn public_key(&self) -> &[u8; 192] {
        self.dh.public_key_ref()
    }
}
