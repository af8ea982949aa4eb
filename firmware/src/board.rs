//! What differs between the two cores: the target name, and the instruction counter.
//!
//! Both QEMU runs use `-icount shift=0`: every guest instruction advances virtual time
//! by exactly 1 ns.

/// Counts the instructions of a loop whose length is known, as a check of the counter.
pub struct Calibration {
    pub expected: u64,
    pub counted: u64,
}

#[cfg(target_arch = "arm")]
mod imp {
    use core::ptr;

    pub const TARGET: &str = "thumbv7em-none-eabihf";

    /// The MPS2 FPGA I/O block's COUNTER register: it counts the 25 MHz system clock
    /// in virtual time, so one tick is 40 ns, i.e. 40 instructions under `icount
    /// shift=0` (resolution 40). 2^32 ticks are 171 s of virtual time: no wrap here.
    const FPGAIO_COUNTER: usize = 0x4002_8018;
    const INSTRUCTIONS_PER_TICK: u64 = 40;

    /// External interrupt lines of the mps2-an386's NVIC (QEMU's `hw/arm/mps2.c` gives
    /// it 32, as AN386 documents).
    const IRQS: usize = 32;

    unsafe extern "C" {
        /// cortex-m-rt's handler for every exception and interrupt nobody handles.
        fn DefaultHandler();
    }

    /// The interrupt part of the vector table, the board's length (cortex-m-rt's
    /// `device` feature; without it cortex-m-rt links 240 entries, 0.8 KB more flash).
    /// Nothing enables an interrupt: every entry is the default handler.
    #[unsafe(link_section = ".vector_table.interrupts")]
    #[unsafe(no_mangle)]
    pub static __INTERRUPTS: [unsafe extern "C" fn(); IRQS] = [DefaultHandler; IRQS];

    pub fn instructions() -> u64 {
        // SAFETY: a read-only MMIO register of the mps2-an386 board.
        let ticks = unsafe { ptr::read_volatile(FPGAIO_COUNTER as *const u32) };
        u64::from(ticks) * INSTRUCTIONS_PER_TICK
    }

    /// `n` iterations of a two-instruction loop.
    pub fn spin(n: u32) -> u64 {
        // SAFETY: register-only loop.
        unsafe {
            core::arch::asm!("2:", "subs {0}, {0}, #1", "bne 2b", inout(reg) n => _, options(nomem, nostack));
        }
        2 * u64::from(n)
    }
}

#[cfg(target_arch = "riscv32")]
mod imp {
    pub const TARGET: &str = "riscv32imac-unknown-none-elf";

    /// `minstret`, which QEMU derives from the instruction count under `-icount`: exact.
    pub fn instructions() -> u64 {
        riscv::register::minstret::read64()
    }

    /// `n` iterations of a two-instruction loop.
    pub fn spin(n: u32) -> u64 {
        // SAFETY: register-only loop.
        unsafe {
            core::arch::asm!("2:", "addi {0}, {0}, -1", "bnez {0}, 2b", inout(reg) n => _, options(nomem, nostack));
        }
        2 * u64::from(n)
    }
}

pub use imp::{TARGET, instructions};

/// Instructions spent in `f`.
#[inline(always)]
pub fn count<T>(f: impl FnOnce() -> T) -> (T, u64) {
    let t0 = instructions();
    let r = f();
    (r, instructions().wrapping_sub(t0))
}

pub fn calibrate() -> Calibration {
    let (expected, counted) = count(|| imp::spin(1_000_000));
    Calibration { expected, counted }
}
