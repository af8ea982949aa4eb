//! The dedicated Montgomery kernel for the group-5 prime, at the width of the target's
//! registers: 64-bit limbs (with 128-bit products) on 64-bit targets, 32-bit limbs (with
//! 64-bit products, which a 32-bit core multiplies in one instruction) elsewhere. One
//! source, `monty1536/kernel.rs`, is compiled for each width; tests compile both, so
//! both are proven equal to crypto-bigint and num-bigint on the host.

#[cfg(any(target_pointer_width = "64", test))]
mod limb64;

#[cfg(any(not(target_pointer_width = "64"), test))]
mod limb32;

#[cfg(target_pointer_width = "64")]
pub(crate) use limb64::kernel::{pow, pow2};

#[cfg(not(target_pointer_width = "64"))]
pub(crate) use limb32::kernel::{pow, pow2};
