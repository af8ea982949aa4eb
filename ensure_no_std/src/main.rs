//! Links `wps` into a freestanding binary: if anything in the dependency tree pulls in
//! `std`, this crate fails to build (duplicate `panic_impl` / missing `std` lang items).
#![no_std]
#![no_main]

use core::panic::PanicInfo;

#[panic_handler]
fn panic(_info: &PanicInfo) -> ! {
    loop {}
}

/// Entry point for the linker; touches the crate so it is really linked.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let ok = wps::pin::checksum(1_234_567) == 0;
    let _ = core::hint::black_box(ok);
    loop {}
}
