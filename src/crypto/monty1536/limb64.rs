//! The kernel over 64-bit limbs, for 64-bit targets.

type Limb = u64;
type Wide = u128;

// The same source, compiled once per limb width (tests build both widths).
#[allow(clippy::duplicate_mod)]
#[path = "kernel.rs"]
pub(super) mod kernel;
