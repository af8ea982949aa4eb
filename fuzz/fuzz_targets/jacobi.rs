//! The peer-key check's Jacobi symbol against exact big-integer references.
//!
//! The symbol `(a/n)` of a fuzzer-chosen value `a` (reduced mod `n`) and modulus `n` (the
//! group-5 prime p, or any odd value up to 1536 bits) by the library's four ways (batched
//! steps in 32-bit and 64-bit limbs, exact steps in both widths) must equal the textbook
//! algorithm's on num-bigint. And `check_peer_public_key` on the value, sent as 186..=197
//! bytes, must give the verdict of its definition: length 190..=192, `2 <= y <= p - 2`,
//! and Euler's criterion `y^((p-1)/2) mod p = 1` computed by num-bigint's `modpow`.
//! Values are any 1536-bit string, or shapes that reach the edges: small values, p plus
//! or minus a little (p - 1, p, p + 1), powers of two plus or minus a little, and runs
//! of equal bits (long runs of zeros).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use num_bigint::{BigInt, BigUint};
use wps::crypto::{DhError, PUBLIC_KEY_LEN, check_peer_public_key, jacobi_four_ways};
use wps_testkit::fixtures::GROUP5_PRIME_HEX;

const BITS: u64 = 8 * PUBLIC_KEY_LEN as u64;

#[derive(Arbitrary, Debug)]
enum Value {
    /// Any 1536-bit value, p and above included.
    Bytes([u8; PUBLIC_KEY_LEN]),
    /// A value below 2^64.
    Small(u64),
    /// p + offset.
    NearP(i64),
    /// |2^(exponent mod 1537) + offset|.
    PowerOfTwo { exponent: u16, offset: i64 },
    /// From the top bit down, runs of equal bits: (bit, run length).
    Runs(Vec<(bool, u8)>),
}

impl Value {
    /// The value, cut to its low 1536 bits.
    fn to_big(&self, p: &BigUint) -> BigUint {
        let x = match self {
            Value::Bytes(b) => BigUint::from_bytes_be(b),
            Value::Small(v) => BigUint::from(*v),
            Value::NearP(offset) => (BigInt::from(p.clone()) + offset).magnitude().clone(),
            Value::PowerOfTwo { exponent, offset } => {
                let power = BigInt::from(1u8) << (u64::from(*exponent) % (BITS + 1));
                (power + offset).magnitude().clone()
            }
            Value::Runs(runs) => {
                let mut x = BigUint::ZERO;
                for &(bit, len) in runs {
                    let len = u64::from(len);
                    x <<= len;
                    if bit {
                        x += (BigUint::from(1u8) << len) - 1u8;
                    }
                }
                x
            }
        };
        x % (BigUint::from(1u8) << BITS)
    }
}

#[derive(Arbitrary, Debug)]
struct Input {
    a: Value,
    /// The modulus of the symbol: p when absent, else this value with its low bit set.
    modulus: Option<Value>,
    /// The length the value is sent with as a public key: 186 + this mod 12.
    key_len: u8,
}

/// The group-5 prime (RFC 3526), from the test kit's copy.
fn prime() -> BigUint {
    BigUint::parse_bytes(GROUP5_PRIME_HEX.as_bytes(), 16).unwrap()
}

/// `x` (below 2^1536) as 192 big-endian bytes.
fn to_bytes(x: &BigUint) -> [u8; PUBLIC_KEY_LEN] {
    let mut out = [0u8; PUBLIC_KEY_LEN];
    let digits = x.to_bytes_le();
    for (o, d) in out.iter_mut().rev().zip(digits) {
        *o = d;
    }
    out
}

/// `x mod 2^k` for k <= 8.
fn low_bits(x: &BigUint, k: u32) -> u8 {
    x.to_bytes_le()[0] & ((1u16 << k) - 1) as u8
}

/// The Jacobi symbol `(a/n)`, n odd, by the textbook algorithm (Cohen, Algorithm 1.4.10):
/// reduce a mod n; take out a's factors of two, each flipping the sign when n = 3, 5
/// (mod 8); swap a and n by quadratic reciprocity (a flip when both are 3 mod 4); repeat
/// until a is 0. The symbol is the sign if n ended at 1, else 0 (a common factor).
fn jacobi_reference(a: &BigUint, n: &BigUint) -> i8 {
    let (mut a, mut n) = (a % n, n.clone());
    let mut sign = 1i8;
    while a != BigUint::ZERO {
        let twos = a.trailing_zeros().unwrap_or(0);
        a >>= twos;
        if twos % 2 == 1 && matches!(low_bits(&n, 3), 3 | 5) {
            sign = -sign;
        }
        if low_bits(&a, 2) == 3 && low_bits(&n, 2) == 3 {
            sign = -sign;
        }
        std::mem::swap(&mut a, &mut n);
        a %= &n;
    }
    if n == BigUint::from(1u8) { sign } else { 0 }
}

/// What `check_peer_public_key` must answer for `key`, from its definition.
fn check_reference(key: &[u8], p: &BigUint) -> Result<[u8; PUBLIC_KEY_LEN], DhError> {
    let len = key.len();
    if len < 190 {
        return Err(DhError::PeerKeyTooShort { len });
    }
    if len > PUBLIC_KEY_LEN {
        return Err(DhError::PeerKeyTooLong { len });
    }
    let y = BigUint::from_bytes_be(key);
    if y < BigUint::from(2u8) || y > p - 2u8 {
        return Err(DhError::PeerKeyOutOfRange);
    }
    let q = (p - 1u8) >> 1;
    if y.modpow(&q, p) != BigUint::from(1u8) {
        return Err(DhError::PeerKeyNotInSubgroup);
    }
    Ok(to_bytes(&y))
}

fuzz_target!(|input: Input| {
    let p = prime();
    let a = input.a.to_big(&p);
    let n = match &input.modulus {
        None => p.clone(),
        Some(v) => v.to_big(&p) | BigUint::from(1u8),
    };

    let want = jacobi_reference(&a, &n);
    let got = jacobi_four_ways(&to_bytes(&(&a % &n)), &to_bytes(&n));
    assert_eq!(
        got, [want; 4],
        "(a/n) [batched 32, batched 64, exact 32, exact 64] differs from the reference"
    );

    // The value sent as a public key of 186..=197 bytes: its low bytes, or zero-padded.
    let len = 186 + usize::from(input.key_len % 12);
    let full = to_bytes(&a);
    let key: Vec<u8> = if len <= PUBLIC_KEY_LEN {
        full[PUBLIC_KEY_LEN - len..].to_vec()
    } else {
        let mut k = vec![0u8; len - PUBLIC_KEY_LEN];
        k.extend_from_slice(&full);
        k
    };
    assert_eq!(
        check_peer_public_key(&key),
        check_reference(&key, &p),
        "check_peer_public_key differs from its definition"
    );
});
