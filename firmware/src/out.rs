//! Lines over semihosting, without `core::fmt`: the formatting machinery costs a few
//! kilobytes of flash, which the flash figures would count as the library's. The panic
//! handler does not format either (as `panic_immediate_abort` would not).

use semihosting::io::Write as _;

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

    /// Appends a number in decimal.
    pub fn n(self, mut n: u64) -> Self {
        let mut digits = [0u8; 20];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        // The digits are ASCII.
        self.s(core::str::from_utf8(&digits[i..]).unwrap_or("?"))
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
