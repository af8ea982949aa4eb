//! Stack peak by painting: fill the free stack below the current stack pointer with a
//! pattern, run the work, then find the lowest word that no longer holds it.

use core::ptr;

/// How far below the stack pointer the paint reaches; a peak that reaches it is
/// reported as the whole window.
const WINDOW: usize = 48 * 1024;
const PATTERN: u32 = 0x5AA5_C33C;

#[inline(always)]
fn stack_pointer() -> usize {
    let sp: usize;
    // SAFETY: reads a register.
    unsafe {
        #[cfg(target_arch = "arm")]
        core::arch::asm!("mov {}, sp", out(reg) sp, options(nomem, nostack));
        #[cfg(target_arch = "riscv32")]
        core::arch::asm!("mv {}, sp", out(reg) sp, options(nomem, nostack));
    }
    sp
}

/// Runs `work` and returns with its result the bytes of stack it used below this
/// function's frame (the frames of `work` and of everything it called).
#[inline(never)]
pub fn measure<T>(work: impl FnOnce() -> T) -> (T, usize) {
    let top = stack_pointer() & !3;
    let low = top - WINDOW;
    let mut p = low;
    while p < top {
        // SAFETY: [low, top) is below the stack pointer: free stack that nothing live
        // uses (no interrupts are enabled), inside the RAM region (1 MiB, the static
        // data and heap at its other end). This loop itself keeps to registers.
        unsafe { ptr::write_volatile(p as *mut u32, PATTERN) };
        p += 4;
    }
    let result = work();
    let mut p = low;
    // SAFETY: the same region, read back.
    while p < top && unsafe { ptr::read_volatile(p as *const u32) } == PATTERN {
        p += 4;
    }
    (result, top - p)
}
