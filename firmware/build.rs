//! Puts the memory layout of the target's QEMU machine where the runtime crate's linker
//! script (`link.x`) looks for it, as `memory.x`; on Arm also the `device.x` that
//! cortex-m-rt's `device` feature includes.

use std::{env, fs, path::PathBuf};

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let arch = env::var("CARGO_CFG_TARGET_ARCH").expect("cargo sets the target arch");
    let layout: &str = match arch.as_str() {
        // mps2-an386: 4 MiB SSRAM1 at 0 holds the code, SSRAM2/3 at 0x2000_0000 the data.
        "arm" => {
            "MEMORY
{
  FLASH : ORIGIN = 0x00000000, LENGTH = 4M
  RAM : ORIGIN = 0x20000000, LENGTH = 1M
}
"
        }
        // virt with `-bios none` jumps to the ELF's entry at the start of DRAM.
        "riscv32" => {
            "MEMORY
{
  FLASH : ORIGIN = 0x80000000, LENGTH = 4M
  RAM : ORIGIN = 0x80400000, LENGTH = 1M
}
REGION_ALIAS(\"REGION_TEXT\", FLASH);
REGION_ALIAS(\"REGION_RODATA\", FLASH);
REGION_ALIAS(\"REGION_DATA\", RAM);
REGION_ALIAS(\"REGION_BSS\", RAM);
REGION_ALIAS(\"REGION_HEAP\", RAM);
REGION_ALIAS(\"REGION_STACK\", RAM);
"
        }
        // A host build (`cargo check` of the shared code): nothing to link.
        _ => "",
    };
    fs::write(out.join("memory.x"), layout).expect("OUT_DIR is writable");
    if arch == "arm" {
        // cortex-m-rt's `device` feature includes `device.x` for the interrupt handlers'
        // names; src/board.rs points every vector at the default handler, so it names none.
        fs::write(out.join("device.x"), "/* no named interrupt handlers */\n")
            .expect("OUT_DIR is writable");
    }
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=build.rs");
}
