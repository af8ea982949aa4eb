//! The random numbers a registration draws (DH exponent, nonces, IVs): SHA-256 of a
//! seed and a counter. The demo seeds it with a constant so that its runs repeat; a
//! device must seed it from its hardware TRNG (or use the TRNG directly).

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
