//! The Montgomery kernel for the group-5 prime, written once over a limb type `Limb`
//! (and `Wide`, twice its width) that the including module defines: 24 × 64-bit limbs on
//! 64-bit targets, 48 × 32-bit limbs on 32-bit ones. Product scanning (each output column
//! summed in two alternating three-limb accumulators, reduction interleaved; operands
//! read forward against reversed copies), a separate squaring, fixed-window
//! exponentiation with a constant-time table lookup, and for the generator 2 a window
//! step that shifts instead of multiplying.
//!
//! Constant-time in the exponent: the sequence of operations depends only on the public
//! bit bound, every table entry is read for every window, and the final subtractions are
//! masked selects. The prime's lowest 64 bits are all ones, so its lowest limb is
//! 2^w − 1 for w = 32 or 64, −p⁻¹ mod 2^w = 1, and the Montgomery quotient digit is
//! simply the current low limb.
//!
//! Every index below is a loop counter bounded by the fixed array sizes (N / 2N limbs,
//! 2^w table entries); none is derived from input bytes, so none can go out of bounds.
//!
//! Likewise the limb arithmetic: carries and borrows are taken with `overflowing_*`, and
//! every plain `+`, `-`, `*` and shift works within bounds the fixed sizes set (a column
//! of at most 2N products plus carries fits the three-limb accumulator, shift amounts
//! are below the limb width, window positions below 1536), so none can overflow.
#![allow(clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)]

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use zeroize::Zeroize;

use super::{Limb, Wide};
use crate::crypto::dh::{P, PUBLIC_KEY_LEN};
use crate::crypto::secret::SecretBytes;

const LIMB_BITS: usize = Limb::BITS as usize;
const LIMB_BYTES: usize = LIMB_BITS / 8;
/// Limbs of a 1536-bit number: 24 of 64 bits, 48 of 32.
const N: usize = 1536 / LIMB_BITS;
type Limbs = [Limb; N];

const fn limbs_from_be_const(b: &[u8; PUBLIC_KEY_LEN]) -> Limbs {
    let mut out = [0 as Limb; N];
    let mut i = 0;
    while i < N {
        let mut w: Limb = 0;
        let mut j = 0;
        while j < LIMB_BYTES {
            w = (w << 8) | b[PUBLIC_KEY_LEN - LIMB_BYTES * (i + 1) + j] as Limb;
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
const fn sub_borrow(a: &Limbs, b: &Limbs) -> (Limbs, Limb) {
    let mut out = [0 as Limb; N];
    let mut borrow: Limb = 0;
    let mut i = 0;
    while i < N {
        let (d1, b1) = a[i].overflowing_sub(b[i]);
        let (d2, b2) = d1.overflowing_sub(borrow);
        out[i] = d2;
        borrow = (b1 | b2) as Limb;
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
        let mut y = [0 as Limb; N];
        let mut carry: Limb = 0;
        let mut i = 0;
        while i < N {
            y[i] = (x[i] << 1) | carry;
            carry = x[i] >> (LIMB_BITS - 1);
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
fn final_sub(x: &Limbs, top: Limb) -> Limbs {
    let (d, borrow) = sub_borrow(x, &PL);
    // keep d when top == 1 or borrow == 0; the choice goes through `subtle`'s optimisation
    // barrier, so the compiler cannot turn the select into a branch
    #[allow(clippy::cast_possible_truncation)]
    let use_d = Choice::from(((top | (borrow ^ 1)) & 1) as u8);
    let mut out = [0 as Limb; N];
    for i in 0..N {
        out[i] = Limb::conditional_select(&x[i], &d[i], use_d);
    }
    out
}

/// Three-limb column accumulator for product scanning: `lo` + `hi`·2^(2·limb bits).
#[derive(Clone, Copy)]
struct Acc {
    lo: Wide,
    hi: Limb,
}

impl Acc {
    #[inline(always)]
    fn add_mul(&mut self, a: Limb, b: Limb) {
        let (s, c) = self.lo.overflowing_add(Wide::from(a) * Wide::from(b));
        self.lo = s;
        self.hi += Limb::from(c);
    }

    #[inline(always)]
    fn add(&mut self, other: Acc) {
        let (s, c) = self.lo.overflowing_add(other.lo);
        self.lo = s;
        self.hi += other.hi + Limb::from(c);
    }

    /// Low word out, accumulator shifted down one word.
    #[inline(always)]
    fn shift(&mut self) -> Limb {
        // Truncation takes the low word by design.
        #[allow(clippy::cast_possible_truncation)]
        let w = self.lo as Limb;
        self.lo = (self.lo >> LIMB_BITS) | (Wide::from(self.hi) << LIMB_BITS);
        self.hi = 0;
        w
    }
}

/// Montgomery step at column k < N: the quotient digit is the accumulator's low word
/// (−p⁻¹ mod 2^w = 1 for either limb width w), and adding m·p[0] = m·2^w − m clears that word, so the shift
/// becomes "drop the low word, add m".
#[inline(always)]
fn reduce_column(acc: &mut Acc) -> Limb {
    let m = acc.shift();
    acc.add(Acc {
        lo: Wide::from(m),
        hi: 0,
    });
    m
}

/// p's limbs in reverse order, so that every column sum below walks two slices forward
/// in step (`zip`), which LLVM compiles without bounds checks.
const PL_REV: Limbs = {
    let mut out = [0 as Limb; N];
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
fn dot(acc: &mut Acc, x: &[Limb], y: &[Limb]) {
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
fn dot2(acc: &mut Acc, x: &[Limb], y: &[Limb], other: &mut Acc, u: &[Limb], v: &[Limb]) {
    for ((&a, &b), (&c, &d)) in x.iter().zip(y).zip(u.iter().zip(v)) {
        acc.add_mul(a, b);
        other.add_mul(c, d);
    }
}

/// Product scanning (below) keeps two three-limb accumulators and four operand pointers
/// live, which fits a 64-bit core's registers; a 32-bit core with a multiply-accumulate
/// of `a·b + c + d` (Arm's UMAAL) does better with operand scanning, one row at a time.
const OPERAND_SCANNING: bool = LIMB_BITS == 32;

/// Montgomery multiplication a·b·R⁻¹ mod p, by the method that suits the limb width.
#[inline(always)]
fn mul(a: &Limbs, b: &Limbs) -> Limbs {
    if OPERAND_SCANNING {
        mul_rows(a, b)
    } else {
        mul_columns(a, b)
    }
}

/// Montgomery squaring, by the method that suits the limb width.
#[inline(always)]
fn sqr(a: &Limbs) -> Limbs {
    if OPERAND_SCANNING {
        sqr_rows(a)
    } else {
        sqr_columns(a)
    }
}

/// `(hi, lo)` of `a·b + c + d`, which cannot overflow two limbs:
/// (2^w − 1)² + 2(2^w − 1) = 2^2w − 1.
#[inline(always)]
fn mul_add2(a: Limb, b: Limb, c: Limb, d: Limb) -> (Limb, Limb) {
    let s = Wide::from(a) * Wide::from(b) + Wide::from(c) + Wide::from(d);
    #[allow(clippy::cast_possible_truncation)]
    ((s >> LIMB_BITS) as Limb, s as Limb)
}

/// One column of a row of [`mul_rows`]: `t + a·bi` and `m·p` added into `t` with their
/// running carries.
#[inline(always)]
fn row_step(t: &mut Limb, a: Limb, p: Limb, bi: Limb, m: Limb, c1: &mut Limb, c2: &mut Limb) {
    let (h1, s) = mul_add2(a, bi, *t, *c1);
    let (h2, r) = mul_add2(m, p, s, *c2);
    *t = r;
    *c1 = h1;
    *c2 = h2;
}

/// Montgomery multiplication a·b·R⁻¹ mod p, operand scanning with the reduction fused
/// into each row: row i adds a·b[i] and m·p into the window `t[i..i + N]` of a 2N-limb
/// buffer, with m the low limb of `t[i] + a[0]·b[i]` (as −p⁻¹ mod 2^w = 1, which clears
/// `t[i]`), so the window slides up instead of the data shifting down. Since p[0] = 2^w
/// − 1, m·p[0] + m = m·2^w: the lowest column carries exactly m into the reduction chain.
/// The running value stays below 2p; its bit above the window is `extra`. The columns go
/// two per loop step, as a size-optimised build does not unroll.
#[inline(always)]
fn mul_rows(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0 as Limb; 2 * N];
    let mut extra: Limb = 0;
    let (a_pairs, a_last) = a[1..].as_chunks::<2>();
    let (p_pairs, p_last) = PL[1..].as_chunks::<2>();
    for (i, &bi) in b.iter().enumerate() {
        let row = &mut t[i..i + N + 1];
        let (c1, m) = mul_add2(a[0], bi, row[0], 0);
        let (mut c1, mut c2) = (c1, m);
        let (t_pairs, t_last) = row[1..N].as_chunks_mut::<2>();
        for ((tp, ap), pp) in t_pairs.iter_mut().zip(a_pairs).zip(p_pairs) {
            row_step(&mut tp[0], ap[0], pp[0], bi, m, &mut c1, &mut c2);
            row_step(&mut tp[1], ap[1], pp[1], bi, m, &mut c1, &mut c2);
        }
        for ((tj, &aj), &pj) in t_last.iter_mut().zip(a_last).zip(p_last) {
            row_step(tj, aj, pj, bi, m, &mut c1, &mut c2);
        }
        let (s, o1) = c1.overflowing_add(c2);
        let (s, o2) = s.overflowing_add(extra);
        row[N] = s;
        extra = Limb::from(o1) + Limb::from(o2);
    }
    reduced_half(&mut t, extra)
}

/// The end of both row methods: the upper half of `t` with the bit `extra` above it,
/// brought below p; `t` is wiped.
#[inline(always)]
fn reduced_half(t: &mut [Limb; 2 * N], extra: Limb) -> Limbs {
    let mut r = [0 as Limb; N];
    r.copy_from_slice(&t[N..]);
    t.zeroize();
    final_sub(&r, extra)
}

/// `t += x·k + c` over the common length, limb by limb; returns the carry out. Two
/// limbs per loop step, as a size-optimised build does not unroll.
#[inline(always)]
fn mac_row(t: &mut [Limb], x: &[Limb], k: Limb, mut c: Limb) -> Limb {
    let n = t.len().min(x.len());
    let (t_pairs, t_last) = t[..n].as_chunks_mut::<2>();
    let (x_pairs, x_last) = x[..n].as_chunks::<2>();
    for (tp, xp) in t_pairs.iter_mut().zip(x_pairs) {
        (c, tp[0]) = mul_add2(xp[0], k, tp[0], c);
        (c, tp[1]) = mul_add2(xp[1], k, tp[1], c);
    }
    for (tj, &xj) in t_last.iter_mut().zip(x_last) {
        (c, *tj) = mul_add2(xj, k, *tj, c);
    }
    c
}

/// Montgomery squaring for the row method: the square in full (each off-diagonal
/// product once, the sum doubled, the diagonal added), then N reduction rows, each
/// adding m·p at limb i with m = t[i] (clearing it). N(N − 1)/2 + N² multiply-adds
/// instead of the 2N² of [`mul_rows`]. a² < p², so (a² + R·p)/R < 2p and the value
/// above the 2N limbs is the single bit `extra`.
#[inline(always)]
fn sqr_rows(a: &Limbs) -> Limbs {
    let mut t = [0 as Limb; 2 * N];
    // Off-diagonal: row i adds a[i]·a[j], j > i, at limb i + j; its carry lands on limb
    // i + N, which no earlier row reached.
    for i in 0..N - 1 {
        t[i + N] = mac_row(&mut t[2 * i + 1..i + N], &a[i + 1..], a[i], 0);
    }
    // Doubling: the off-diagonal sum is below a²/2 < 2^(2wN − 1), so no bit leaves.
    let mut carry: Limb = 0;
    for x in t.iter_mut() {
        let doubled = (*x << 1) | carry;
        carry = *x >> (LIMB_BITS - 1);
        *x = doubled;
    }
    // Diagonal: a[i]² at limb 2i; the total is a² < 2^(2wN), so the last carry is 0.
    let mut c: Limb = 0;
    for (pair, &ai) in t.as_chunks_mut::<2>().0.iter_mut().zip(a) {
        let (h, l) = mul_add2(ai, ai, pair[0], c);
        pair[0] = l;
        let (s, o) = pair[1].overflowing_add(h);
        pair[1] = s;
        c = Limb::from(o);
    }
    // Reduction: m·p[0] + m = m·2^w, so limb i carries exactly m into the row.
    let mut extra: Limb = 0;
    for i in 0..N {
        let row = &mut t[i..i + N + 1];
        let m = row[0];
        let c = mac_row(&mut row[1..N], &PL[1..], m, m);
        let (s, o1) = row[N].overflowing_add(c);
        let (s, o2) = s.overflowing_add(extra);
        row[N] = s;
        extra = Limb::from(o1) + Limb::from(o2);
    }
    reduced_half(&mut t, extra)
}

/// Montgomery multiplication a·b·R⁻¹ mod p, product scanning (the "FIPS" method):
/// the product and the reduction are summed column by column, each in its own
/// three-register accumulator (two independent carry chains). Column k pairs `a[i]` with `b[k − i]`, i.e. with `b` reversed read forward.
#[inline(always)]
fn mul_columns(a: &Limbs, b: &Limbs) -> Limbs {
    let br = reversed(b);
    let mut m = [0 as Limb; N];
    let mut r = [0 as Limb; N];
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
    let top = acc.lo as Limb;
    final_sub(&r, top)
}

/// `2·off` added to `acc` (off is a sum of at most N/2 products, far below the top bit of
/// three limbs, so the doubling cannot overflow).
#[inline(always)]
fn add_doubled(acc: &mut Acc, mut off: Acc) {
    off.hi = (off.hi << 1) | (off.lo >> (2 * LIMB_BITS - 1)) as Limb;
    off.lo <<= 1;
    acc.add(off);
}

/// Montgomery squaring: like [`mul_columns`], with each off-diagonal product computed
/// once and doubled. Column k pairs `a[i]` with `a[k − i] = ar[N − 1 − k + i]` for
/// i < k − i.
#[inline(always)]
fn sqr_columns(a: &Limbs) -> Limbs {
    let ar = reversed(a);
    let mut m = [0 as Limb; N];
    let mut r = [0 as Limb; N];
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
    let top = acc.lo as Limb;
    final_sub(&r, top)
}

fn limbs_from_be(b: &[u8; PUBLIC_KEY_LEN]) -> Limbs {
    let mut out = [0 as Limb; N];
    for (limb, chunk) in out.iter_mut().zip(b.rchunks_exact(LIMB_BYTES)) {
        let mut w = [0u8; LIMB_BYTES];
        w.copy_from_slice(chunk);
        *limb = Limb::from_be_bytes(w);
    }
    out
}

fn limbs_to_be(x: &Limbs, out: &mut [u8; PUBLIC_KEY_LEN]) {
    for (limb, chunk) in x.iter().zip(out.rchunks_exact_mut(LIMB_BYTES)) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
}

/// The `w` exponent bits at `pos` (public position; the bits are secret and only
/// combined arithmetically).
#[inline(always)]
fn window(e: &Limbs, pos: usize, w: usize) -> Limb {
    let limb = pos / LIMB_BITS;
    let shift = pos % LIMB_BITS;
    let mut v = e[limb] >> shift;
    if shift + w > LIMB_BITS && limb + 1 < N {
        v |= e[limb + 1] << (LIMB_BITS - shift);
    }
    v & ((1 << w) - 1)
}

/// Constant-time `table[digit]`: reads every entry, keeps one by mask.
#[inline(always)]
fn lookup<const T: usize>(table: &[Limbs; T], digit: Limb) -> Limbs {
    let mut out = [0 as Limb; N];
    for (k, entry) in (0 as Limb..).zip(table.iter()) {
        let mask = Limb::conditional_select(&0, &Limb::MAX, k.ct_eq(&digit));
        for i in 0..N {
            out[i] |= entry[i] & mask;
        }
    }
    out
}

// Not inlined: each window size keeps its table in its own frame, so a 256-bit exponent
// (4-bit windows, 16 entries) does not also reserve the 32-entry table of long exponents.
#[inline(never)]
fn pow_window<const W: usize, const T: usize>(base: &Limbs, e: &Limbs, bits: usize) -> Limbs {
    let b = mul(base, &R2);
    let mut table = [[0 as Limb; N]; T];
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
    let mut one = [0 as Limb; N];
    one[0] = 1;
    let r = mul(&acc, &one);
    acc.zeroize();
    for t in table.iter_mut() {
        t.zeroize();
    }
    r
}

/// `x · 2^d mod p` for `x < p` and a secret `d < 2^W` (2^W below the limb width), in constant time: the
/// shift is applied bit by bit of `d` through masked selects, then the few bits that
/// overflow 2^1536 are folded back with 2^1536 ≡ R1 (mod p).
#[inline(always)]
fn shl_mod<const W: usize>(x: &Limbs, d: Limb) -> Limbs {
    let mut v = [0 as Limb; N + 1];
    v[..N].copy_from_slice(x);
    for b in 0..W {
        let s = 1u32 << b;
        // A plain mask `0 - bit` here was compiled into a branch on the exponent bit (at
        // opt-level 3 on x86_64 and Cortex-M4: about 120 instructions per set bit). The
        // bit goes through `subtle`'s optimisation barrier instead.
        #[allow(clippy::cast_possible_truncation)]
        let bit = Choice::from(((d >> b) & 1) as u8);
        let mut carry: Limb = 0;
        for limb in v.iter_mut() {
            let shifted = (*limb << s) | carry;
            carry = *limb >> (Limb::BITS - s);
            *limb = Limb::conditional_select(limb, &shifted, bit);
        }
    }
    // d < 2^W ≤ w (the limb width), so v < 2^(1536 + w − 1) and h < 2^(w − 1); with
    // R1 < 2^1470, h · R1 < 2^1536 and the sum stays below 2p.
    let h = v[N];
    let mut out = [0 as Limb; N];
    let mut c: Wide = 0;
    for j in 0..N {
        c += Wide::from(v[j]) + Wide::from(h) * Wide::from(R1[j]);
        #[allow(clippy::cast_possible_truncation)]
        {
            out[j] = c as Limb;
        }
        c >>= LIMB_BITS;
    }
    #[allow(clippy::cast_possible_truncation)]
    let top = c as Limb;
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
    let mut one = [0 as Limb; N];
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
        let lo = i * LIMB_BITS;
        if lo >= bits {
            *limb = 0;
        } else if bits - lo < LIMB_BITS {
            *limb &= (1 << (bits - lo)) - 1;
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

/// The window of [`pow2`]: its shifts (up to 2^W − 1 bits) must stay within one limb.
const POW2_WINDOW: usize = if LIMB_BITS == 64 { 6 } else { 5 };

/// `2^exp mod p` (a public key), like [`pow`] with base 2 but about a fifth faster.
pub(crate) fn pow2(exp: &[u8; PUBLIC_KEY_LEN], exp_bits: u32) -> SecretBytes<PUBLIC_KEY_LEN> {
    let (mut e, bits) = exponent(exp, exp_bits);
    let r = pow2_window::<POW2_WINDOW>(&e, bits);
    e.zeroize();
    to_secret(r)
}

#[cfg(test)]
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
        assert_eq!(PL[0], Limb::MAX);
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
            // Both methods, whichever this width uses.
            prop_assert_eq!(big(&mul_rows(&al, &bl)), want(big(&al) * big(&bl)));
            prop_assert_eq!(big(&mul_columns(&al, &bl)), want(big(&al) * big(&bl)));
            prop_assert_eq!(big(&sqr_columns(&al)), want(big(&al) * big(&al)));
            prop_assert_eq!(big(&sqr_rows(&al)), want(big(&al) * big(&al)));
        }

        /// Same result as the crypto-bigint backend and num-bigint, for random bases,
        /// exponents and bit bounds (including bounds that cut through set bits).
        #[test]
        fn pow_matches_crypto_bigint(a in arb192(), e in arb192(), bits in prop_oneof![Just(1536u32), Just(256), Just(200), 1u32..1536]) {
            let a = reduce(&a);
            let ours = pow(&a, &e, bits);
            let theirs = crate::crypto::modexp::pow_crypto_bigint(&a, &e, bits);
            prop_assert_eq!(ours.as_bytes(), theirs.as_bytes());
            let p = BigUint::from_bytes_be(&P);
            let mask = (BigUint::from(1u8) << bits) - 1u8;
            let x = BigUint::from_bytes_be(&e) & mask;
            let want = BigUint::from_bytes_be(&a).modpow(&x, &p);
            prop_assert_eq!(BigUint::from_bytes_be(ours.as_bytes()), want);
            let two = crate::crypto::dh::TWO;
            let (x2, xg) = (pow2(&e, bits), pow(&two, &e, bits));
            prop_assert_eq!(x2.as_bytes(), xg.as_bytes());
        }

        /// The paired-accumulator column sums (`dot`, `dot2`) equal the plain sums, for every length
        /// (odd lengths take the remainder path) and from a non-zero start.
        #[test]
        fn dot_matches_plain_sum(
            x in proptest::collection::vec(any::<Limb>(), 0..=N),
            y in proptest::collection::vec(any::<Limb>(), N),
            start in any::<Wide>(),
        ) {
            let mut acc = Acc { lo: start, hi: 0 };
            dot(&mut acc, &x, &y);
            let mut want = BigUint::from(start);
            for (a, b) in x.iter().zip(&y) {
                want += BigUint::from(*a) * BigUint::from(*b);
            }
            let got = BigUint::from(acc.lo) + (BigUint::from(acc.hi) << (2 * LIMB_BITS));
            prop_assert_eq!(got, want.clone());
            // dot2: the same sum on one side, the reversed pairing on the other.
            let (mut acc, mut other) = (Acc { lo: start, hi: 0 }, Acc { lo: 0, hi: 0 });
            let yr: std::vec::Vec<Limb> = y.iter().rev().copied().collect();
            dot2(&mut acc, &x, &y, &mut other, &x, &yr);
            let got = BigUint::from(acc.lo) + (BigUint::from(acc.hi) << (2 * LIMB_BITS));
            prop_assert_eq!(got, want);
            let mut want2 = BigUint::from(0u8);
            for (a, b) in x.iter().zip(&yr) {
                want2 += BigUint::from(*a) * BigUint::from(*b);
            }
            let got2 = BigUint::from(other.lo) + (BigUint::from(other.hi) << (2 * LIMB_BITS));
            prop_assert_eq!(got2, want2);
        }

        #[test]
        fn shl_mod_matches_num_bigint(a in arb192(), d in (0 as Limb)..(1 << POW2_WINDOW)) {
            let a = reduce(&a);
            let p = BigUint::from_bytes_be(&P);
            let got = big(&shl_mod::<POW2_WINDOW>(&limbs_from_be(&a), d));
            prop_assert_eq!(got, (BigUint::from_bytes_be(&a) << d) % &p);
        }
    }

    #[test]
    fn edge_bases_and_exponents() {
        let p = BigUint::from_bytes_be(&P);
        let mut pm1 = [0u8; PUBLIC_KEY_LEN];
        pm1.copy_from_slice(&P);
        pm1[PUBLIC_KEY_LEN - 1] -= 1;
        for base in [[0u8; PUBLIC_KEY_LEN], pm1, crate::crypto::dh::TWO] {
            for e in [[0u8; PUBLIC_KEY_LEN], [0xff; PUBLIC_KEY_LEN]] {
                for bits in [1u32, 64, 65, 256, 1536] {
                    let ours = pow(&base, &e, bits);
                    let mask = (BigUint::from(1u8) << bits) - 1u8;
                    let x = BigUint::from_bytes_be(&e) & mask;
                    let want = BigUint::from_bytes_be(&base).modpow(&x, &p);
                    assert_eq!(BigUint::from_bytes_be(ours.as_bytes()), want, "bits {bits}");
                    if base == crate::crypto::dh::TWO {
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
