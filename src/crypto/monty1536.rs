//! A dedicated Montgomery kernel for the group-5 prime: 24 × 64-bit limbs, product
//! scanning (each output column summed in two alternating three-register accumulators,
//! reduction interleaved; operands read forward against reversed copies), a
//! separate squaring, fixed-window exponentiation with a constant-time table lookup, and
//! for the generator 2 a window step that shifts instead of multiplying.
//!
//! Constant-time in the exponent: the sequence of operations depends only on the public
//! bit bound, every table entry is read for every window, and the final subtractions are
//! masked selects. The prime's lowest limb is 2^64 − 1, so −p⁻¹ mod 2^64 = 1 and the
//! Montgomery quotient digit is simply the current low limb.
//!
//! Every index below is a loop counter bounded by the fixed array sizes (24 / 48 limbs,
//! 2^w table entries); none is derived from input bytes, so none can go out of bounds.
//!
//! Likewise the limb arithmetic: carries and borrows are taken with `overflowing_*`, and
//! every plain `+`, `-`, `*` and shift works within bounds the fixed sizes set (a column
//! of at most 48 products plus carries fits the three-word accumulator, shift amounts
//! are below 64, window positions below 1536), so none can overflow.
#![allow(clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)]

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
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

/// Returns `x − p` if `top` (a bit above x) is set or `x ≥ p`, else `x`, without branching.
#[inline(always)]
fn final_sub(x: &Limbs, top: u64) -> Limbs {
    let (d, borrow) = sub_borrow(x, &PL);
    // keep d when top == 1 or borrow == 0; the choice goes through `subtle`'s optimisation
    // barrier, so the compiler cannot turn the select into a branch
    #[allow(clippy::cast_possible_truncation)]
    let use_d = Choice::from(((top | (borrow ^ 1)) & 1) as u8);
    let mut out = [0u64; N];
    for i in 0..N {
        out[i] = u64::conditional_select(&x[i], &d[i], use_d);
    }
    out
}

/// Three-word column accumulator for product scanning: `lo` + `hi`·2^128.
#[derive(Clone, Copy)]
struct Acc {
    lo: u128,
    hi: u64,
}

impl Acc {
    #[inline(always)]
    fn add_mul(&mut self, a: u64, b: u64) {
        let (s, c) = self.lo.overflowing_add(u128::from(a) * u128::from(b));
        self.lo = s;
        self.hi += u64::from(c);
    }

    #[inline(always)]
    fn add(&mut self, other: Acc) {
        let (s, c) = self.lo.overflowing_add(other.lo);
        self.lo = s;
        self.hi += other.hi + u64::from(c);
    }

    /// Low word out, accumulator shifted down one word.
    #[inline(always)]
    fn shift(&mut self) -> u64 {
        // Truncation takes the low word by design.
        #[allow(clippy::cast_possible_truncation)]
        let w = self.lo as u64;
        self.lo = (self.lo >> 64) | (u128::from(self.hi) << 64);
        self.hi = 0;
        w
    }
}

/// Montgomery step at column k < N: the quotient digit is the accumulator's low word
/// (−p⁻¹ mod 2^64 = 1), and adding m·p[0] = m·2^64 − m clears that word, so the shift
/// becomes "drop the low word, add m".
#[inline(always)]
fn reduce_column(acc: &mut Acc) -> u64 {
    let m = acc.shift();
    acc.add(Acc {
        lo: u128::from(m),
        hi: 0,
    });
    m
}

/// p's limbs in reverse order, so that every column sum below walks two slices forward
/// in step (`zip`), which LLVM compiles without bounds checks.
const PL_REV: Limbs = {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        out[i] = PL[N - 1 - i];
        i += 1;
    }
    out
};

#[inline(always)]
fn reversed(x: &Limbs) -> Limbs {
    let mut out = *x;
    out.reverse();
    out
}

/// `acc += Σ x[i]·y[i]` over the common length (at most 24 terms), alternating between
/// two accumulators so that the carry chains of neighbouring products stay apart.
#[inline(always)]
fn dot(acc: &mut Acc, x: &[u64], y: &[u64]) {
    // Equal lengths, so that the two remainders pair up too (a no-op for the callers).
    let n = x.len().min(y.len());
    let (x, y) = (&x[..n], &y[..n]);
    let (xc, xr) = x.as_chunks::<2>();
    let (yc, yr) = y.as_chunks::<2>();
    let mut odd = Acc { lo: 0, hi: 0 };
    for (&[a0, a1], &[b0, b1]) in xc.iter().zip(yc) {
        acc.add_mul(a0, b0);
        odd.add_mul(a1, b1);
    }
    for (&a, &b) in xr.iter().zip(yr) {
        acc.add_mul(a, b);
    }
    acc.add(odd);
}

/// `acc += Σ x[i]·y[i]` and `other += Σ u[i]·v[i]` in one loop over the common length:
/// two independent carry chains per step.
#[inline(always)]
fn dot2(acc: &mut Acc, x: &[u64], y: &[u64], other: &mut Acc, u: &[u64], v: &[u64]) {
    for ((&a, &b), (&c, &d)) in x.iter().zip(y).zip(u.iter().zip(v)) {
        acc.add_mul(a, b);
        other.add_mul(c, d);
    }
}

/// Montgomery multiplication a·b·R⁻¹ mod p, product scanning (the "FIPS" method):
/// the product and the reduction are summed column by column, each in its own
/// three-register accumulator (two independent carry chains). Column k pairs `a[i]` with `b[k − i]`, i.e. with `b` reversed read forward.
#[inline(always)]
fn mul(a: &Limbs, b: &Limbs) -> Limbs {
    let br = reversed(b);
    let mut m = [0u64; N];
    let mut r = [0u64; N];
    let mut acc = Acc { lo: 0, hi: 0 };
    for k in 0..N {
        // Σ_{i<k} a[i]·b[k−i] and m[i]·p[k−i] side by side, then a[k]·b[0].
        let mut red = Acc { lo: 0, hi: 0 };
        dot2(
            &mut acc,
            &a[..k],
            &br[N - 1 - k..N - 1],
            &mut red,
            &m[..k],
            &PL_REV[N - 1 - k..N - 1],
        );
        acc.add(red);
        acc.add_mul(a[k], b[0]);
        m[k] = reduce_column(&mut acc);
    }
    for k in N..2 * N - 1 {
        let lo = k + 1 - N;
        let mut red = Acc { lo: 0, hi: 0 };
        dot2(
            &mut acc,
            &a[lo..],
            &br[..N - lo],
            &mut red,
            &m[lo..],
            &PL_REV[..N - lo],
        );
        acc.add(red);
        r[k - N] = acc.shift();
    }
    r[N - 1] = acc.shift();
    // What is left is the bit above 2^1536 (the result is below 2p).
    #[allow(clippy::cast_possible_truncation)]
    let top = acc.lo as u64;
    final_sub(&r, top)
}

/// `2·off` added to `acc` (off < 2^191, so the doubling cannot overflow three words).
#[inline(always)]
fn add_doubled(acc: &mut Acc, mut off: Acc) {
    off.hi = (off.hi << 1) | (off.lo >> 127) as u64;
    off.lo <<= 1;
    acc.add(off);
}

/// Montgomery squaring: like [`mul`], with each off-diagonal product computed once and
/// doubled. Column k pairs `a[i]` with `a[k − i] = ar[N − 1 − k + i]` for i < k − i.
#[inline(always)]
fn sqr(a: &Limbs) -> Limbs {
    let ar = reversed(a);
    let mut m = [0u64; N];
    let mut r = [0u64; N];
    let mut acc = Acc { lo: 0, hi: 0 };
    for k in 0..N {
        // Off-diagonal terms i < hi and the first hi reduction terms in one loop, the
        // remaining reduction terms after.
        let hi = k.div_ceil(2);
        let (mr, pr) = (&m[..k], &PL_REV[N - 1 - k..N - 1]);
        let mut off = Acc { lo: 0, hi: 0 };
        dot2(
            &mut acc,
            &mr[..hi],
            &pr[..hi],
            &mut off,
            &a[..hi],
            &ar[N - 1 - k..N - 1 - k + hi],
        );
        dot(&mut acc, &mr[hi..], &pr[hi..]);
        add_doubled(&mut acc, off);
        if k % 2 == 0 {
            acc.add_mul(a[k / 2], a[k / 2]);
        }
        m[k] = reduce_column(&mut acc);
    }
    for k in N..2 * N - 1 {
        let lo = k + 1 - N;
        let hi = k.div_ceil(2);
        let (mr, pr) = (&m[lo..], &PL_REV[..N - lo]);
        let l = hi - lo;
        let mut off = Acc { lo: 0, hi: 0 };
        dot2(&mut acc, &mr[..l], &pr[..l], &mut off, &a[lo..hi], &ar[..l]);
        dot(&mut acc, &mr[l..], &pr[l..]);
        add_doubled(&mut acc, off);
        if k % 2 == 0 {
            acc.add_mul(a[k / 2], a[k / 2]);
        }
        r[k - N] = acc.shift();
    }
    r[N - 1] = acc.shift();
    #[allow(clippy::cast_possible_truncation)]
    let top = acc.lo as u64;
    final_sub(&r, top)
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

/// `x · 2^d mod p` for `x < p` and a secret `d < 2^W` (W ≤ 6), in constant time: the
/// shift is applied bit by bit of `d` through masked selects, then the few bits that
/// overflow 2^1536 are folded back with 2^1536 ≡ R1 (mod p).
#[inline(always)]
fn shl_mod<const W: usize>(x: &Limbs, d: u64) -> Limbs {
    let mut v = [0u64; N + 1];
    v[..N].copy_from_slice(x);
    for b in 0..W {
        let s = 1u32 << b;
        // A plain mask `0 - bit` here was compiled into a branch on the exponent bit (at
        // opt-level 3 on x86_64 and Cortex-M4: about 120 instructions per set bit). The
        // bit goes through `subtle`'s optimisation barrier instead.
        #[allow(clippy::cast_possible_truncation)]
        let bit = Choice::from(((d >> b) & 1) as u8);
        let mut carry = 0u64;
        for limb in v.iter_mut() {
            let shifted = (*limb << s) | carry;
            carry = *limb >> (64 - s);
            *limb = u64::conditional_select(limb, &shifted, bit);
        }
    }
    // v < 2^(1536 + 63); h · R1 < 2^63 · 2^1470 < 2^1536, so the sum stays below 2p.
    let h = v[N];
    let mut out = [0u64; N];
    let mut c = 0u128;
    for j in 0..N {
        c += u128::from(v[j]) + u128::from(h) * u128::from(R1[j]);
        #[allow(clippy::cast_possible_truncation)]
        {
            out[j] = c as u64;
        }
        c >>= 64;
    }
    #[allow(clippy::cast_possible_truncation)]
    let top = c as u64;
    final_sub(&out, top)
}

/// `2^e mod p`: squarings, and instead of table multiplications a shift by each window
/// digit (`shl_mod`), which costs a few passes over the limbs instead of a Montgomery
/// multiplication.
fn pow2_window<const W: usize>(e: &Limbs, bits: usize) -> Limbs {
    let windows = bits.div_ceil(W).max(1);
    let mut pos = (windows - 1) * W;
    let mut acc = shl_mod::<W>(&R1, window(e, pos, W));
    while pos > 0 {
        pos -= W;
        for _ in 0..W {
            acc = sqr(&acc);
        }
        acc = shl_mod::<W>(&acc, window(e, pos, W));
    }
    let mut one = [0u64; N];
    one[0] = 1;
    let r = mul(&acc, &one);
    acc.zeroize();
    r
}

/// The exponent as limbs, with bits at and above `bits` cleared (as crypto-bigint's
/// `pow_bounded_exp` ignores them), and the bound clamped to 1..=1536.
fn exponent(exp: &[u8; PUBLIC_KEY_LEN], exp_bits: u32) -> (Limbs, usize) {
    let mut e = limbs_from_be(exp);
    let bits = usize::try_from(exp_bits).map_or(1536, |b| b.clamp(1, 1536));
    for (i, limb) in e.iter_mut().enumerate() {
        let lo = i * 64;
        if lo >= bits {
            *limb = 0;
        } else if bits - lo < 64 {
            *limb &= (1u64 << (bits - lo)) - 1;
        }
    }
    (e, bits)
}

fn to_secret(mut r: Limbs) -> SecretBytes<PUBLIC_KEY_LEN> {
    let mut out = SecretBytes::<PUBLIC_KEY_LEN>::zero();
    limbs_to_be(&r, out.as_mut_bytes());
    r.zeroize();
    out
}

/// `base^exp mod p` over the low `exp_bits` bits of `exp` (big-endian, 192 bytes);
/// `base` must be below p. Constant-time in `exp`; only `exp_bits` shows.
pub(crate) fn pow(
    base: &[u8; PUBLIC_KEY_LEN],
    exp: &[u8; PUBLIC_KEY_LEN],
    exp_bits: u32,
) -> SecretBytes<PUBLIC_KEY_LEN> {
    let base = limbs_from_be(base);
    let (mut e, bits) = exponent(exp, exp_bits);
    let r = if bits > 512 {
        pow_window::<5, 32>(&base, &e, bits)
    } else {
        pow_window::<4, 16>(&base, &e, bits)
    };
    e.zeroize();
    to_secret(r)
}

/// `2^exp mod p` (a public key), like [`pow`] with base 2 but about a fifth faster.
pub(crate) fn pow2(exp: &[u8; PUBLIC_KEY_LEN], exp_bits: u32) -> SecretBytes<PUBLIC_KEY_LEN> {
    let (mut e, bits) = exponent(exp, exp_bits);
    let r = pow2_window::<6>(&e, bits);
    e.zeroize();
    to_secret(r)
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
            let two = super::super::dh::TWO;
            let (x2, xg) = (pow2(&e, bits), pow(&two, &e, bits));
            prop_assert_eq!(x2.as_bytes(), xg.as_bytes());
        }

        /// The paired-accumulator column sums (`dot`, `dot2`) equal the plain sums, for every length
        /// (odd lengths take the remainder path) and from a non-zero start.
        #[test]
        fn dot_matches_plain_sum(
            x in proptest::collection::vec(any::<u64>(), 0..=N),
            y in proptest::collection::vec(any::<u64>(), N),
            start in any::<u128>(),
        ) {
            let mut acc = Acc { lo: start, hi: 0 };
            dot(&mut acc, &x, &y);
            let mut want = BigUint::from(start);
            for (a, b) in x.iter().zip(&y) {
                want += BigUint::from(*a) * BigUint::from(*b);
            }
            let got = BigUint::from(acc.lo) + (BigUint::from(acc.hi) << 128usize);
            prop_assert_eq!(got, want.clone());
            // dot2: the same sum on one side, the reversed pairing on the other.
            let (mut acc, mut other) = (Acc { lo: start, hi: 0 }, Acc { lo: 0, hi: 0 });
            let yr: std::vec::Vec<u64> = y.iter().rev().copied().collect();
            dot2(&mut acc, &x, &y, &mut other, &x, &yr);
            let got = BigUint::from(acc.lo) + (BigUint::from(acc.hi) << 128usize);
            prop_assert_eq!(got, want);
            let mut want2 = BigUint::from(0u8);
            for (a, b) in x.iter().zip(&yr) {
                want2 += BigUint::from(*a) * BigUint::from(*b);
            }
            let got2 = BigUint::from(other.lo) + (BigUint::from(other.hi) << 128usize);
            prop_assert_eq!(got2, want2);
        }

        #[test]
        fn shl_mod_matches_num_bigint(a in arb192(), d in 0u64..64) {
            let a = reduce(&a);
            let p = BigUint::from_bytes_be(&P);
            let got = big(&shl_mod::<6>(&limbs_from_be(&a), d));
            prop_assert_eq!(got, (BigUint::from_bytes_be(&a) << d) % &p);
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
                    if base == super::super::dh::TWO {
                        assert_eq!(pow2(&e, bits).as_bytes(), ours.as_bytes());
                    }
                }
            }
        }
    }
}

/// Fixed workload for instruction counting:
/// `cargo test --release --lib monty1536::count -- --ignored` under
/// `valgrind --tool=callgrind` (a stable metric on a shared machine).
#[cfg(test)]
mod count {
    use super::*;

    fn inputs() -> ([u8; PUBLIC_KEY_LEN], [u8; PUBLIC_KEY_LEN]) {
        let mut y = [0u8; PUBLIC_KEY_LEN];
        let mut e = [0u8; PUBLIC_KEY_LEN];
        for (i, (a, b)) in y.iter_mut().zip(e.iter_mut()).enumerate() {
            *a = (i as u8).wrapping_mul(151).wrapping_add(7);
            *b = (i as u8).wrapping_mul(73) ^ 0x5a;
        }
        y[0] = 0x7f;
        e[0] &= 0x7f;
        (y, e)
    }

    fn run(bits: u32) {
        let (y, e) = inputs();
        let iters: usize = std::env::var("WPS_COUNT_ITERS")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(20);
        for _ in 0..iters {
            std::hint::black_box(pow(std::hint::black_box(&y), &e, bits));
        }
    }

    #[test]
    #[ignore = "workload for callgrind, not a check"]
    fn count_pow_256() {
        run(256);
    }

    #[test]
    #[ignore = "workload for callgrind, not a check"]
    fn count_pow_1536() {
        run(1536);
    }
}
