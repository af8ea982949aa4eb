//! The kernel over 32-bit limbs, for 32-bit targets (Cortex-M, RISC-V 32, Xtensa).

type Limb = u32;
type Wide = u64;

// The same source, compiled once per limb width (tests build both widths).
#[allow(clippy::duplicate_mod)]
#[path = "kernel.rs"]
pub(super) mod kernel;
