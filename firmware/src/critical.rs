//! The critical section the allocator takes: interrupts masked on this single core,
//! restored to what they were on release.

struct SingleCore;
critical_section::set_impl!(SingleCore);

// SAFETY: one core; masking its interrupts excludes every other context, and release
// unmasks them only if acquire found them unmasked.
unsafe impl critical_section::Impl for SingleCore {
    unsafe fn acquire() -> bool {
        #[cfg(target_arch = "arm")]
        {
            let was_enabled = cortex_m::register::primask::read().is_active();
            cortex_m::interrupt::disable();
            was_enabled
        }
        #[cfg(target_arch = "riscv32")]
        {
            let was_enabled = riscv::register::mstatus::read().mie();
            riscv::interrupt::disable();
            was_enabled
        }
    }

    unsafe fn release(was_enabled: bool) {
        if was_enabled {
            // SAFETY: interrupts were enabled when the section began.
            #[cfg(target_arch = "arm")]
            unsafe {
                cortex_m::interrupt::enable()
            };
            // SAFETY: as above.
            #[cfg(target_arch = "riscv32")]
            unsafe {
                riscv::interrupt::enable()
            };
        }
    }
}
