//! Four of the Arm EABI memory helpers as calls of their neighbours. compiler_builtins
//! gives each form its own copy of a loop: `__aeabi_memcpy4` and `__aeabi_memcpy8` a
//! word copy beside `memcpy`'s (which copies a word at a time on aligned blocks too),
//! `__aeabi_memclr8` that of `__aeabi_memclr4`, `__aeabi_memclr` that of
//! `__aeabi_memset`. Its definitions are weak, so these forwarding ones take their place
//! (−0.65 KB of flash; a branch more per call, and `memcpy`'s alignment checks: +15 k
//! instructions a side). Aligned blocks are blocks, and clearing is setting to 0.
//! `__aeabi_memclr4` stays as it is: the group-5 kernel clears its limb arrays through it,
//! and `__aeabi_memset` would cost it 0.14 M instructions a side.

unsafe extern "aapcs" {
    fn __aeabi_memcpy(dest: *mut u8, src: *const u8, n: usize);
    fn __aeabi_memclr4(dest: *mut u8, n: usize);
    fn __aeabi_memset(dest: *mut u8, n: usize, c: i32);
}

/// # Safety
/// The EABI's contract: `dest` and `src` 8-aligned, `n` bytes valid at each, not
/// overlapping.
#[unsafe(no_mangle)]
pub unsafe extern "aapcs" fn __aeabi_memcpy8(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's contract, less the alignment this form may assume.
    unsafe { __aeabi_memcpy(dest, src, n) }
}

/// # Safety
/// The EABI's contract: `dest` and `src` 4-aligned, `n` bytes valid at each, not
/// overlapping.
#[unsafe(no_mangle)]
pub unsafe extern "aapcs" fn __aeabi_memcpy4(dest: *mut u8, src: *const u8, n: usize) {
    // SAFETY: the caller's contract, less the alignment this form may assume.
    unsafe { __aeabi_memcpy(dest, src, n) }
}

/// # Safety
/// The EABI's contract: `dest` 8-aligned, `n` bytes valid.
#[unsafe(no_mangle)]
pub unsafe extern "aapcs" fn __aeabi_memclr8(dest: *mut u8, n: usize) {
    // SAFETY: an 8-aligned block is 4-aligned; the rest of the contract is the caller's.
    unsafe { __aeabi_memclr4(dest, n) }
}

/// # Safety
/// The EABI's contract: `n` bytes valid at `dest`.
#[unsafe(no_mangle)]
pub unsafe extern "aapcs" fn __aeabi_memclr(dest: *mut u8, n: usize) {
    // SAFETY: the caller's contract is memset's, with the value 0.
    unsafe { __aeabi_memset(dest, n, 0) }
}
