//! Constant time on the core itself: the instructions of key generation (2^x) and of the
//! shared secret (y^x, with the peer-key check) for 256-bit exponents of Hamming weight
//! 2, 32, 256 and a random one. `run.sh` fails unless each operation's counts are equal
//! (as `benches/ct_icount.sh` checks on the host under valgrind).

use crate::board::count;
use wps::crypto::DhKeyPair;

/// The four exponents: weight 2, 32 (one bit per byte), 256 (all ones), random.
fn exponents() -> [[u8; 32]; 4] {
    let mut w2 = [0u8; 32];
    w2[0] = 0x80;
    w2[31] = 0x01;
    let mut random = [0u8; 32];
    let mut s: u32 = 0x9e37_79b9;
    for b in random.iter_mut() {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        *b = s.to_le_bytes()[0];
    }
    random[0] |= 0x80;
    [w2, [0x01; 32], [0xff; 32], random]
}

/// `[keygen, shared secret]` instruction counts for each exponent, in the order above.
pub fn counts(peer: &[u8]) -> [[u64; 4]; 2] {
    let mut out = [[0; 4]; 2];
    for (i, x) in exponents().iter().enumerate() {
        let (pair, keygen) = count(|| DhKeyPair::from_private(x));
        let Ok(pair) = pair else { continue };
        let (secret, shared) = count(|| pair.shared_secret(peer));
        core::hint::black_box(secret.is_ok());
        out[0][i] = keygen;
        out[1][i] = shared;
    }
    out
}
