//! A fixed-size secret byte array that zeroizes on drop and never prints itself.

use core::fmt;
use core::ops::Deref;
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// `N` secret bytes: wiped when dropped, compared in constant time, redacted by `Debug`.
///
/// Derefs to `[u8; N]`, so `&secret` can be passed wherever `&[u8; N]` is expected.
///
/// ```
/// use wps::crypto::SecretBytes;
/// let k = SecretBytes::from([7u8; 16]);
/// assert_eq!(k[0], 7);
/// assert_eq!(format!("{k:?}"), "SecretBytes<16>(..)");
/// assert!(k == [7u8; 16]);
/// ```
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct SecretBytes<const N: usize>([u8; N]);

impl<const N: usize> SecretBytes<N> {
    /// Wraps `bytes` (the caller's copy is not wiped).
    pub const fn new(bytes: [u8; N]) -> Self {
        Self(bytes)
    }

    /// The secret bytes.
    pub const fn as_bytes(&self) -> &[u8; N] {
        &self.0
    }

    pub(crate) fn as_mut_bytes(&mut self) -> &mut [u8; N] {
        &mut self.0
    }

    pub(crate) const fn zero() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> From<[u8; N]> for SecretBytes<N> {
    fn from(bytes: [u8; N]) -> Self {
        Self(bytes)
    }
}

impl<const N: usize> Deref for SecretBytes<N> {
    type Target = [u8; N];
    fn deref(&self) -> &[u8; N] {
        &self.0
    }
}

impl<const N: usize> AsRef<[u8]> for SecretBytes<N> {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl<const N: usize> fmt::Debug for SecretBytes<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretBytes<{N}>(..)")
    }
}

impl<const N: usize> ConstantTimeEq for SecretBytes<N> {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

/// Constant-time comparison.
impl<const N: usize> PartialEq for SecretBytes<N> {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl<const N: usize> Eq for SecretBytes<N> {}

/// Constant-time comparison with a plain array (handy in tests).
impl<const N: usize> PartialEq<[u8; N]> for SecretBytes<N> {
    fn eq(&self, other: &[u8; N]) -> bool {
        self.0.ct_eq(other).into()
    }
}
