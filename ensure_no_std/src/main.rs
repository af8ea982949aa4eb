//! Links `wps` into a freestanding binary: if anything in the dependency tree pulls in
//! `std`, this crate fails to build (duplicate `panic_impl` / missing `std` lang items).
#![no_std]
#![no_main]

use core::panic::PanicInfo;

#[panic_handler]
fn panic(_info: &PanicInfo) -> ! {
    loop {}
}

/// The precompiled `core` is built for unwinding and may name this symbol even though
/// this binary aborts on panic; nothing ever calls it.
#[unsafe(no_mangle)]
pub extern "C" fn rust_eh_personality() {}

/// Entry point for the linker; exercises the crate so its code is really linked.
#[unsafe(no_mangle)]
pub extern "C" fn _start() -> ! {
    let input = core::hint::black_box([0x10u8, 0x4a, 0x00, 0x01, 0x10, 0x10, 0x22, 0x00, 0x01, 0x0d]);
    let parsed = wps::attr::Attributes::parse(&input).map(|a| a.message_type());
    let pin = wps::pin::Pin::parse(core::hint::black_box("1234-5670")).is_ok();
    let ok = wps::pin::checksum(core::hint::black_box(1_234_567)) == 0;
    let _ = core::hint::black_box((parsed, pin, ok));
    loop {}
}
