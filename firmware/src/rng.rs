//! The random numbers a registration draws (DH exponent, nonces, IVs): SHA-256 of a
//! seed and a counter. The demo seeds it with a constant so that its runs repeat; a
//! device must seed it from its hardware TRNG (or use the TRNG directly). The link-only
//! builds, which run nothing, use [`TrngStub`] instead: its code stands for a TRNG
//! register read, so that their flash figures count no software generator.

use core::convert::Infallible;

use rand_core::{TryCryptoRng, TryRng};
use sha2::{Digest, Sha256};

pub struct DemoRng {
    seed: [u8; 32],
    counter: u64,
}

impl DemoRng {
    pub fn new(seed: [u8; 32]) -> Self {
        Self { seed, counter: 0 }
    }

    /// A generator of its own (a driver's), seeded from this one.
    pub fn fork(&mut self) -> DemoRng {
        let mut seed = [0u8; 32];
        rand_core::Rng::fill_bytes(self, &mut seed);
        DemoRng::new(seed)
    }

    fn block(&mut self) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.seed);
        h.update(self.counter.to_le_bytes());
        self.counter = self.counter.wrapping_add(1);
        h.finalize().into()
    }
}

impl TryRng for DemoRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let b = self.block();
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let b = self.block();
        Ok(u64::from_le_bytes([
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
        ]))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(32) {
            let b = self.block();
            chunk.copy_from_slice(&b[..chunk.len()]);
        }
        Ok(())
    }
}

impl TryCryptoRng for DemoRng {}

/// The link-only builds' generator, in place of a board's TRNG (a register read): a
/// xorshift over a seed the optimiser cannot see. Never used for keys: these builds are
/// only measured, never run.
#[cfg(not(feature = "measure"))]
pub struct TrngStub(u32);

#[cfg(not(feature = "measure"))]
impl TrngStub {
    pub fn new() -> Self {
        TrngStub(core::hint::black_box(0x2545_f491))
    }

    fn word(&mut self) -> u32 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        self.0 = x;
        x
    }
}

#[cfg(not(feature = "measure"))]
impl TryRng for TrngStub {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok(self.word())
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(u64::from(self.word()) << 32 | u64::from(self.word()))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for b in dst {
            *b = self.word().to_le_bytes()[0];
        }
        Ok(())
    }
}

#[cfg(not(feature = "measure"))]
impl TryCryptoRng for TrngStub {}
