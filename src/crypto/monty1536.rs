//! A dedicated Montgomery kernel for the group-5 prime: 24 × 64-bit limbs, separate
//! squaring, fixed-window exponentiation with a constant-time table lookup.
//!
//! Constant-time in the exponent: the sequence of operations depends only on the public
//! bit bound, every table entry is read for every window, and the final subtractions are
//! masked selects. The prime's lowest limb is 2^64 − 1, so −p⁻¹ mod 2^64 = 1 and the
//! Montgomery quotient digit is simply the current low limb.
//!
//! Every index below is a loop counter bounded by the fixed array sizes (24 / 48 limbs,
//! 2^w table entries); none is derived from input bytes, so none can go out of bounds.
#![allow(clippy::indexing_slicing)]

use subtle::{ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::dh::{P, PUBLIC_KEY_LEN};
use super::secret::SecretBytes;

const N: usize = 24;
type Limbs = [u64; N];

const fn limbs_from_be_const(b: &[u8; PUBLIC_KEY_LEN]) -> Limbs {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        let mut w = 0u64;
        let mut j = 0;
        while j < 8 {
            w = (w << 8) | b[PUBLIC_KEY_LEN - 8 * (i + 1) + j] as u64;
            j += 1;
        }
        out[i] = w;
        i += 1;
    }
    out
}

/// p as little-endian limbs.
const PL: Limbs = limbs_from_be_const(&P);

/// `a - b` with the final borrow (const-evaluable).
const fn sub_borrow(a: &Limbs, b: &Limbs) -> (Limbs, u64) {
    let mut out = [0u64; N];
    let mut borrow = 0u64;
    let mut i = 0;
    while i < N {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        out[i] = d2;
        borrow = (b1 | b2) as u64;
        i += 1;
    }
    (out, borrow)
}

/// R mod p = 2^1536 − p (p > 2^1535), i.e. Montgomery one.
const R1: Limbs = sub_borrow(&[0; N], &PL).0;

/// R² mod p, by doubling R mod p 1536 times (compile time only).
const R2: Limbs = {
    let mut x = R1;
    let mut k = 0;
    while k < 1536 {
        // x = 2x mod p
        let mut y = [0u64; N];
        let mut carry = 0u64;
        let mut i = 0;
        while i < N {
            y[i] = (x[i] << 1) | carry;
            carry = x[i] >> 63;
            i += 1;
        }
        let (d, borrow) = sub_borrow(&y, &PL);
        // Subtract when the doubling overflowed 2^1536 or y >= p.
        x = if carry == 1 || borrow == 0 { d } else { y };
        k += 1;
    }
    x
};

#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let s = u128::from(acc) + u128::from(a) * u128::from(b) + u128::from(carry);
    // Truncation takes the low word by design.
    #[allow(clippy::cast_possible_truncation)]
    (s as u64, (s >> 64) as u64)
}

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let s = u128::from(a) + u128::from(b) + u128::from(carry);
    #[allow(clippy::cast_possible_truncation)]
    (s as u64, (s >> 64) as u64)
}

/// Returns `x − p` if `top` (a bit above x) is set or `x ≥ p`, else `x`, without branching.
#[inline(always)]
fn final_sub(x: &Limbs, top: u64) -> Limbs {
    let (d, borrow) = sub_borrow(x, &PL);
    // keep d when top == 1 or borrow == 0
    let use_d = (top | (borrow ^ 1)) & 1;
    let mask = 0u64.wrapping_sub(use_d);
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = (d[i] & mask) | (x[i] & !mask);
    }
    out
}

/// Montgomery reduction of a 48-limb product: returns t · R⁻¹ mod p.
#[inline(always)]
fn redc(t: &mut [u64; 2 * N]) -> Limbs {
    let mut top = 0u64;
    for i in 0..N {
        // −p⁻¹ mod 2^64 = 1, so the quotient digit is t[i] itself.
        let m = t[i];
        let mut c = 0u64;
        for j in 0..N {
            let (lo, hi) = mac(t[i + j], m, PL[j], c);
            t[i + j] = lo;
            c = hi;
        }
        let (lo, hi) = adc(t[i + N], c, top);
        t[i + N] = lo;
        top = hi;
    }
    let mut hi = [0u64; N];
    hi.copy_from_slice(&t[N..]);
    final_sub(&hi, top)
}

#[inline(always)]
fn mul(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0u64; 2 * N];
    for i in 0..N {
        let mut c = 0u64;
        let ai = a[i];
        for j in 0..N {
            let (lo, hi) = mac(t[i + j], ai, b[j], c);
            t[i + j] = lo;
            c = hi;
        }
        t[i + N] = c;
    }
    redc(&mut t)
}

#[inline(always)]
fn sqr(a: &Limbs) -> Limbs {
    let mut t = [0u64; 2 * N];
    // Off-diagonal products a[i]·a[j], i < j, once.
    for i in 0..N - 1 {
        let mut c = 0u64;
        let ai = a[i];
        for j in i + 1..N {
            let (lo, hi) = mac(t[i + j], ai, a[j], c);
            t[i + j] = lo;
            c = hi;
        }
        t[i + N] = c;
    }
    // Double them.
    let mut carry = 0u64;
    for x in t.iter_mut() {
        let v = *x;
        *x = (v << 1) | carry;
        carry = v >> 63;
    }
    // Add the diagonal a[i]².
    let mut c = 0u64;
    for i in 0..N {
        let (lo, hi) = mac(t[2 * i], a[i], a[i], c);
        t[2 * i] = lo;
        let (lo2, hi2) = adc(t[2 * i + 1], hi, 0);
        t[2 * i + 1] = lo2;
        c = hi2;
    }
    redc(&mut t)
}

fn limbs_from_be(b: &[u8; PUBLIC_KEY_LEN]) -> Limbs {
    let mut out = [0u64; N];
    for (limb, chunk) in out.iter_mut().zip(b.rchunks_exact(8)) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(w);
    }
    out
}

fn limbs_to_be(x: &Limbs, out: &mut [u8; PUBLIC_KEY_LEN]) {
    for (limb, chunk) in x.iter().zip(out.rchunks_exact_mut(8)) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
}

/// The `w` exponent bits at `pos` (public position; the bits are secret and only
/// combined arithmetically).
#[inline(always)]
fn window(e: &Limbs, pos: usize, w: usize) -> u64 {
    let limb = pos / 64;
    let shift = pos % 64;
    let mut v = e[limb] >> shift;
    if shift + w > 64 && limb + 1 < N {
        v |= e[limb + 1] << (64 - shift);
    }
    v & ((1u64 << w) - 1)
}

/// Constant-time `table[digit]`: reads every entry, keeps one by mask.
#[inline(always)]
fn lookup<const T: usize>(table: &[Limbs; T], digit: u64) -> Limbs {
    let mut out = [0u64; N];
    for (k, entry) in (0u64..).zip(table.iter()) {
        let mask = u64::conditional_select(&0, &u64::MAX, k.ct_eq(&digit));
        for i in 0..N {
            out[i] |= entry[i] & mask;
        }
    }
    out
}

fn pow_window<const W: usize, const T: usize>(base: &Limbs, e: &Limbs, bits: usize) -> Limbs {
    let b = mul(base, &R2);
    let mut table = [[0u64; N]; T];
    table[0] = R1;
    table[1] = b;
    for k in 2..T {
        table[k] = if k % 2 == 0 {
            sqr(&table[k / 2])
        } else {
            mul(&table[k - 1], &b)
        };
    }
    let windows = bits.div_ceil(W).max(1);
    let mut pos = (windows - 1) * W;
    let mut acc = lookup(&table, window(e, pos, W));
    while pos > 0 {
        pos -= W;
        for _ in 0..W {
            acc = sqr(&acc);
        }
        acc = mul(&acc, &lookup(&table, window(e, pos, W)));
    }
    // Out of Montgomery form: multiply by 1.
    let mut one = [0u64; N];
    one[0] = 1;
    let r = mul(&acc, &one);
    acc.zeroize();
    for t in table.iter_mut() {
        t.zeroize();
    }
    r
}

/// `base^exp mod p` over the low `exp_bits` bits of `exp` (big-endian, 192 bytes);
/// `base` must be below p. Constant-time in `exp`; only `exp_bits` shows.
pub(crate) fn pow(
    base: &[u8; PUBLIC_KEY_LEN],
    exp: &[u8; PUBLIC_KEY_LEN],
    exp_bits: u32,
) -> SecretBytes<PUBLIC_KEY_LEN> {
    let base = limbs_from_be(base);
    let mut e = limbs_from_be(exp);
    let bits = usize::try_from(exp_bits).map_or(1536, |b| b.min(1536));
    // Bits above the bound are ignored, as crypto-bigint's pow_bounded_exp does.
    for (i, limb) in e.iter_mut().enumerate() {
        let lo = i * 64;
        if lo >= bits {
            *limb = 0;
        } else if bits - lo < 64 {
            *limb &= (1u64 << (bits - lo)) - 1;
        }
    }
    let mut r = if bits > 512 {
        pow_window::<5, 32>(&base, &e, bits)
    } else {
        pow_window::<4, 16>(&base, &e, bits)
    };
    let mut out = SecretBytes::<PUBLIC_KEY_LEN>::zero();
    limbs_to_be(&r, out.as_mut_bytes());
    r.zeroize();
    e.zeroize();
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;

    fn big(x: &Limbs) -> BigUint {
        let mut b = [0u8; PUBLIC_KEY_LEN];
        limbs_to_be(x, &mut b);
        BigUint::from_bytes_be(&b)
    }

    #[test]
    fn constants() {
        let p = BigUint::from_bytes_be(&P);
        let r = BigUint::from(1u8) << 1536;
        assert_eq!(big(&R1), &r % &p);
        assert_eq!(big(&R2), (&r * &r) % &p);
        assert_eq!(PL[0], u64::MAX);
    }

    fn arb192() -> impl Strategy<Value = [u8; PUBLIC_KEY_LEN]> {
        proptest::collection::vec(any::<u8>(), PUBLIC_KEY_LEN)
            .prop_map(|v| <[u8; PUBLIC_KEY_LEN]>::try_from(v).unwrap())
    }

    fn reduce(x: &[u8; PUBLIC_KEY_LEN]) -> [u8; PUBLIC_KEY_LEN] {
        let p = BigUint::from_bytes_be(&P);
        let v = (BigUint::from_bytes_be(x) % p).to_bytes_be();
        let mut out = [0u8; PUBLIC_KEY_LEN];
        out[PUBLIC_KEY_LEN - v.len()..].copy_from_slice(&v);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(32))]

        #[test]
        fn mul_and_sqr_match_num_bigint(a in arb192(), b in arb192()) {
            let (a, b) = (reduce(&a), reduce(&b));
            let (al, bl) = (limbs_from_be(&a), limbs_from_be(&b));
            let p = BigUint::from_bytes_be(&P);
            let r: BigUint = BigUint::from(1u8) << 1536usize;
            let rinv = r.modinv(&p).unwrap();
            let want = |x: BigUint| (x * &rinv) % &p;
            prop_assert_eq!(big(&mul(&al, &bl)), want(big(&al) * big(&bl)));
            prop_assert_eq!(big(&sqr(&al)), want(big(&al) * big(&al)));
        }

        /// Same result as the crypto-bigint backend and num-bigint, for random bases,
        /// exponents and bit bounds (including bounds that cut through set bits).
        #[test]
        fn pow_matches_crypto_bigint(a in arb192(), e in arb192(), bits in prop_oneof![Just(1536u32), Just(256), Just(200), 1u32..1536]) {
            let a = reduce(&a);
            let ours = pow(&a, &e, bits);
            let theirs = super::super::modexp::pow_crypto_bigint(&a, &e, bits);
            prop_assert_eq!(ours.as_bytes(), theirs.as_bytes());
            let p = BigUint::from_bytes_be(&P);
            let mask = (BigUint::from(1u8) << bits) - 1u8;
            let x = BigUint::from_bytes_be(&e) & mask;
            let want = BigUint::from_bytes_be(&a).modpow(&x, &p);
            prop_assert_eq!(BigUint::from_bytes_be(ours.as_bytes()), want);
        }
    }

    #[test]
    fn edge_bases_and_exponents() {
        let p = BigUint::from_bytes_be(&P);
        let mut pm1 = [0u8; PUBLIC_KEY_LEN];
        pm1.copy_from_slice(&P);
        pm1[PUBLIC_KEY_LEN - 1] -= 1;
        for base in [[0u8; PUBLIC_KEY_LEN], pm1, super::super::dh::TWO] {
            for e in [[0u8; PUBLIC_KEY_LEN], [0xff; PUBLIC_KEY_LEN]] {
                for bits in [1u32, 64, 65, 256, 1536] {
                    let ours = pow(&base, &e, bits);
                    let mask = (BigUint::from(1u8) << bits) - 1u8;
                    let x = BigUint::from_bytes_be(&e) & mask;
                    let want = BigUint::from_bytes_be(&base).modpow(&x, &p);
                    assert_eq!(BigUint::from_bytes_be(ours.as_bytes()), want, "bits {bits}");
                }
            }
        }
    }
}
