//! The two Montgomery kernels (32-bit limbs, as on microcontrollers, and 64-bit limbs, as
//! on hosts) on fuzzer-chosen bases, exponents and exponent lengths: both must give the
//! same `base^exp mod p`, equal to num-bigint's; and `2^exp` (the fixed-base comb for
//! exponents up to 256 bits, shifts above) must equal `pow` with base 2 and num-bigint.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use num_bigint::BigUint;
use wps::crypto::{PUBLIC_KEY_LEN, pow_both_widths, pow2_both_widths};

#[derive(Arbitrary, Debug)]
struct Input {
    base: [u8; PUBLIC_KEY_LEN],
    exp: [u8; PUBLIC_KEY_LEN],
    exp_bits: u16,
}

/// The group-5 prime (RFC 3526), big-endian.
fn prime() -> BigUint {
    BigUint::parse_bytes(
        b"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74\
          020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437\
          4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
          EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05\
          98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB\
          9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
        16,
    )
    .unwrap()
}

fn padded(x: &BigUint) -> [u8; PUBLIC_KEY_LEN] {
    let b = x.to_bytes_be();
    let mut out = [0u8; PUBLIC_KEY_LEN];
    out[PUBLIC_KEY_LEN - b.len()..].copy_from_slice(&b);
    out
}

fuzz_target!(|input: Input| {
    let p = prime();
    // The kernels take bases below p; lengths 1..=1536 (0 and longer ones clamp).
    let base = padded(&(BigUint::from_bytes_be(&input.base) % &p));
    let bits = u32::from(input.exp_bits % 1537);
    let walked = bits.clamp(1, 1536);
    let mask = (BigUint::from(1u8) << walked) - 1u8;
    let x = BigUint::from_bytes_be(&input.exp) & mask;

    let [r32, r64] = pow_both_widths(&base, &input.exp, bits);
    assert_eq!(r32.as_bytes(), r64.as_bytes(), "32- and 64-bit pow differ");
    let want = padded(&BigUint::from_bytes_be(&base).modpow(&x, &p));
    assert_eq!(r64.as_bytes(), &want, "pow differs from num-bigint");

    let [g32, g64] = pow2_both_widths(&input.exp, bits);
    assert_eq!(g32.as_bytes(), g64.as_bytes(), "32- and 64-bit pow2 differ");
    let want = padded(&BigUint::from(2u8).modpow(&x, &p));
    assert_eq!(g64.as_bytes(), &want, "pow2 differs from num-bigint");
});
