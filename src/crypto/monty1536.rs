//! The dedicated Montgomery kernel for the group-5 prime, at the width of the target's
//! registers: 64-bit limbs (with 128-bit products) on 64-bit targets, 32-bit limbs (with
//! 64-bit products, which a 32-bit core multiplies in one instruction) elsewhere. One
//! source, `monty1536/kernel.rs`, is compiled for each width; tests compile both, so
//! both are proven equal to crypto-bigint and num-bigint on the host, and fuzz builds
//! compile both, so the `kernels` fuzz target compares them.

#[cfg(any(target_pointer_width = "64", test, fuzzing))]
mod limb64;

#[cfg(any(not(target_pointer_width = "64"), test, fuzzing))]
mod limb32;

#[cfg(target_pointer_width = "64")]
pub(crate) use limb64::kernel::{pow, pow2};

#[cfg(not(target_pointer_width = "64"))]
pub(crate) use limb32::kernel::{pow, pow2};

#[cfg(fuzzing)]
use super::{dh::PUBLIC_KEY_LEN, secret::SecretBytes};

/// Fuzz builds only (`--cfg fuzzing`): `base^exp mod p` over the low `exp_bits` bits of
/// `exp`, by the 32-bit kernel and by the 64-bit one (`base` must be below p).
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn pow_both_widths(
    base: &[u8; PUBLIC_KEY_LEN],
    exp: &[u8; PUBLIC_KEY_LEN],
    exp_bits: u32,
) -> [SecretBytes<PUBLIC_KEY_LEN>; 2] {
    [
        limb32::kernel::pow(base, exp, exp_bits),
        limb64::kernel::pow(base, exp, exp_bits),
    ]
}

/// Fuzz builds only: `2^exp mod p` by the 32-bit kernel and the 64-bit one (the comb or
/// the shifts, as `exp_bits` picks).
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn pow2_both_widths(
    exp: &[u8; PUBLIC_KEY_LEN],
    exp_bits: u32,
) -> [SecretBytes<PUBLIC_KEY_LEN>; 2] {
    [
        limb32::kernel::pow2(exp, exp_bits),
        limb64::kernel::pow2(exp, exp_bits),
    ]
}
