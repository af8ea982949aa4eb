//! Lines over semihosting, without `core::fmt`: the formatting machinery costs a few
//! kilobytes of flash, which the flash figures would count as the library's. The panic
//! handler does not format either (as `panic_immediate_abort` would not).

use semihosting::io::Write as _;

/// 10^19 down to 10^0.
const POWERS_OF_TEN: [u64; 20] = {
    let mut p = [1u64; 20];
    let mut i = 19;
    while i > 0 {
        p[i - 1] = p[i] * 10;
        i -= 1;
    }
    p
};

/// A line being put together in a fixed buffer (longer text is cut).
pub struct Line {
    buf: [u8; 256],
    len: usize,
}

impl Line {
    pub fn new() -> Self {
        Line {
            buf: [0; 256],
            len: 0,
        }
    }

    /// Appends text.
    pub fn s(mut self, text: &str) -> Self {
        for &b in text.as_bytes() {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        self
    }

    /// Appends a number in decimal (by subtracting powers of ten: a 64-bit division
    /// would link the 1 KB software divider on a 32-bit core).
    pub fn n(mut self, n: u64) -> Self {
        let mut rest = n;
        let mut started = false;
        for (i, &p) in POWERS_OF_TEN.iter().enumerate() {
            let mut digit = b'0';
            while rest >= p {
                rest -= p;
                digit += 1;
            }
            if digit != b'0' || started || i + 1 == POWERS_OF_TEN.len() {
                started = true;
                if let Some(slot) = self.buf.get_mut(self.len) {
                    *slot = digit;
                    self.len += 1;
                }
            }
        }
        self
    }

    /// Appends a name, a `=` and a number: `name=123`.
    pub fn kv(self, name: &str, n: u64) -> Self {
        self.s(" ").s(name).s("=").n(n)
    }

    /// Prints the line and a newline on the host's standard output.
    pub fn print(self) {
        if let Ok(mut out) = semihosting::io::stdout() {
            let _ = out.write_all(&self.buf[..self.len]);
            let _ = out.write_all(b"\n");
        }
    }
}

/// A panic ends the program with status 101 after one fixed line: no message formatting,
/// so no `core::fmt` behind every bounds check.
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    Line::new().s("panic").print();
    semihosting::process::exit(101)
}
