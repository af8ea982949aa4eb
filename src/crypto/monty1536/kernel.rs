//! The Montgomery kernel for the group-5 prime, written once over a limb type `Limb`
//! (and `Wide`, twice its width) that the including module defines: 24 × 64-bit limbs on
//! 64-bit targets, 48 × 32-bit limbs on 32-bit ones. Product scanning (each output column
//! summed in three-limb accumulators, two independent carry chains per loop, reduction
//! interleaved; operands read forward against reversed copies), a separate squaring
//! that sums two columns at a time, fixed-window
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

/// `d = x − p`, returning the borrow, in double width: the borrow is the top bit of each
/// difference (fewer instructions than the two `overflowing_sub`s of [`sub_borrow`] on a
/// 32-bit core, more on x86_64, where the double width is 128 bits).
#[inline(always)]
fn sub_borrow_wide(x: &Limbs, d: &mut Limbs) -> Limb {
    let mut borrow: Limb = 0;
    for ((di, &xi), &pi) in d.iter_mut().zip(x).zip(&PL) {
        let w = Wide::from(xi)
            .wrapping_sub(Wide::from(pi))
            .wrapping_sub(Wide::from(borrow));
        #[allow(clippy::cast_possible_truncation)]
        {
            *di = w as Limb;
            borrow = (w >> (2 * LIMB_BITS - 1)) as Limb;
        }
    }
    borrow
}

/// Returns `x − p` if `top` (a bit above x) is set or `x ≥ p`, else `x`, without branching.
#[inline(always)]
fn final_sub(x: &Limbs, top: Limb) -> Limbs {
    if LIMB_BITS == 32 {
        let mut d = [0 as Limb; N];
        final_sub_using(x, top, &mut d)
    } else {
        let (d, borrow) = sub_borrow(x, &PL);
        select_difference(x, &d, top, borrow)
    }
}

/// [`final_sub`] on a 32-bit target with the difference in `d` (the caller's scratch, so
/// that the frame holds no second copy). Not inlined: one copy for the reduction and
/// [`shl_mod`].
#[inline(never)]
fn final_sub_using(x: &Limbs, top: Limb, d: &mut Limbs) -> Limbs {
    let borrow = sub_borrow_wide(x, d);
    select_difference(x, d, top, borrow)
}

/// `d` (= x − p) when `top == 1` or `borrow == 0`, else `x`.
#[inline(always)]
fn select_difference(x: &Limbs, d: &Limbs, top: Limb, borrow: Limb) -> Limbs {
    // the choice goes through `subtle`'s optimisation barrier, so the compiler cannot turn
    // the select into a branch
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

/// `acc += Σ x[i]·y[i]` and `other += Σ u[i]·v[i]` in one loop over the common length:
/// two independent carry chains per step.
#[inline(always)]
fn dot2(acc: &mut Acc, x: &[Limb], y: &[Limb], other: &mut Acc, u: &[Limb], v: &[Limb]) {
    for ((&a, &b), (&c, &d)) in x.iter().zip(y).zip(u.iter().zip(v)) {
        acc.add_mul(a, b);
        other.add_mul(c, d);
    }
}

/// The sums of two neighbouring columns over the same `x`: `acc0 += Σ x[i]·yr[s + 1 + i]`
/// and `acc1 += Σ x[i]·yr[s + i]`, i.e. with `yr` reversed, x against columns k and k + 1.
#[inline(always)]
fn dot_columns(acc0: &mut Acc, acc1: &mut Acc, x: &[Limb], yr: &Limbs, s: usize) {
    let n = x.len();
    dot2(acc0, x, &yr[s + 1..s + 1 + n], acc1, x, &yr[s..s + n]);
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

/// Montgomery multiplication a·b·R⁻¹ mod p, operand scanning: the product row by row
/// into a 2N-limb buffer, then [`reduce_rows`]. Every row is a call of [`mac_quads`], whose
/// loop is the whole cost: on a Cortex-M4 four UMAALs in twelve instructions.
#[inline(always)]
fn mul_rows(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0 as Limb; 2 * N];
    product_rows(&mut t, a, b);
    reduce_rows(&mut t)
}

/// `t = a·b` (t zero on entry), row by row.
#[inline(never)]
fn product_rows(t: &mut [Limb; 2 * N], a: &Limbs, b: &Limbs) {
    for (i, &bi) in b.iter().enumerate() {
        t[i + N] = mac_row(&mut t[i..i + N], a, bi);
    }
}

/// `t += x·k` over the common length, four limbs per loop step; returns the carry out.
/// Not inlined, and without a remainder loop (callers do the odd limbs): on a 32-bit Arm
/// core the loop then keeps every operand in a register (12 instructions for four
/// multiply-accumulates, UMAAL), where inlined into the row loops it spilled.
#[inline(never)]
fn mac_quads(t: &mut [[Limb; 4]], x: &[[Limb; 4]], k: Limb) -> Limb {
    let mut c: Limb = 0;
    for (tq, xq) in t.iter_mut().zip(x) {
        (c, tq[0]) = mul_add2(xq[0], k, tq[0], c);
        (c, tq[1]) = mul_add2(xq[1], k, tq[1], c);
        (c, tq[2]) = mul_add2(xq[2], k, tq[2], c);
        (c, tq[3]) = mul_add2(xq[3], k, tq[3], c);
    }
    c
}

/// `t += x·k` over all N limbs (a multiple of four); returns the carry out.
#[inline(always)]
fn mac_row(t: &mut [Limb], x: &Limbs, k: Limb) -> Limb {
    mac_quads(t.as_chunks_mut::<4>().0, x.as_chunks::<4>().0, k)
}

/// Montgomery squaring for the row method: the square in full ([`square_rows`]), then
/// [`reduce_rows`]. N(N − 1)/2 + N² multiply-adds instead of the 2N² of [`mul_rows`].
#[inline(always)]
fn sqr_rows(a: &Limbs) -> Limbs {
    let mut t = [0 as Limb; 2 * N];
    square_rows(&mut t, a);
    reduce_rows(&mut t)
}

/// `t = a²` (t zero on entry): each off-diagonal product once, the sum doubled, the
/// diagonal added.
#[inline(never)]
fn square_rows(t: &mut [Limb; 2 * N], a: &Limbs) {
    // Off-diagonal: row i adds a[i]·a[j], j > i, at limb i + j; its carry lands on limb
    // i + N, which no earlier row reached.
    for i in 0..N - 1 {
        // The limbs beyond the last four-limb group after it.
        let (tq, tr) = t[2 * i + 1..i + N].as_chunks_mut::<4>();
        let (xq, xr) = a[i + 1..].as_chunks::<4>();
        let mut c = mac_quads(tq, xq, a[i]);
        for (tj, &xj) in tr.iter_mut().zip(xr) {
            (c, *tj) = mul_add2(xj, a[i], *tj, c);
        }
        t[i + N] = c;
    }
    // Doubling (the off-diagonal sum is below a²/2 < 2^(2wN − 1), so no bit leaves) and
    // the diagonal a[i]² at limb 2i, in one pass; the total is a² < 2^(2wN), so the last
    // carry is 0.
    let (mut bit, mut c): (Limb, Limb) = (0, 0);
    for (pair, &ai) in t.as_chunks_mut::<2>().0.iter_mut().zip(a) {
        let lo = (pair[0] << 1) | bit;
        let hi = (pair[1] << 1) | (pair[0] >> (LIMB_BITS - 1));
        bit = pair[1] >> (LIMB_BITS - 1);
        let (h, l) = mul_add2(ai, ai, lo, c);
        pair[0] = l;
        let (s, o) = hi.overflowing_add(h);
        pair[1] = s;
        c = Limb::from(o);
    }
}

/// Montgomery reduction of a 2N-limb `t < R·p` for the row method: N rows, each adding
/// m·p at limb i with m the limb there (clearing it). (t + R·p)/R < 2p, so the value
/// above the 2N limbs is the single bit `extra`. Wipes `t`. Not inlined: one copy serves
/// every multiplication and squaring.
#[inline(never)]
fn reduce_rows(t: &mut [Limb; 2 * N]) -> Limbs {
    let mut extra: Limb = 0;
    for i in 0..N {
        let row = &mut t[i..i + N + 1];
        let m = row[0];
        // Over all N limbs of p (a multiple of four): t[i] + m·p[0] = m·2^w.
        let c = mac_row(&mut row[..N], &PL, m);
        let (s, o1) = row[N].overflowing_add(c);
        let (s, o2) = s.overflowing_add(extra);
        row[N] = s;
        extra = Limb::from(o1) + Limb::from(o2);
    }
    // The rows cleared the low half; the high half is the result, below 2p. The low half
    // takes the difference of the final subtraction.
    let (low, high) = t.as_chunks_mut::<N>().0.split_at_mut(1);
    let r = final_sub_using(&high[0], extra, &mut low[0]);
    t.zeroize();
    r
}

/// Montgomery multiplication a·b·R⁻¹ mod p, product scanning (the "FIPS" method):
/// the product and the reduction are summed column by column, each in its own
/// three-register accumulator (two independent carry chains). Column k pairs `a[i]` with `b[k − i]`, i.e. with `b` reversed read forward.
#[inline(never)]
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
/// once and doubled, two columns at a time: for even k, columns k and k + 1 take their
/// off-diagonal sums in one loop (`a[i]·a[k − i]` beside `a[i]·a[k + 1 − i]`) and their
/// reduction sums in another (`m[j]·p[k − j]` beside `m[j]·p[k + 1 − j]`), two
/// independent chains each, with the few terms one column has beyond the other added
/// singly (among them `m[k]·p[1]`, once column k has given m[k]). The doubled
/// off-diagonal sums seed the reduction loop's two chains, so that no more than two
/// accumulators (and the carry they continue) are live at a time: with more, the
/// compiler spills and merges carries, and the squaring took 20 % more instructions.
/// `a[k − i]` and `p[k − j]` are read forward in the reversed copies `ar` and [`PL_REV`].
#[inline(never)]
fn sqr_columns(a: &Limbs) -> Limbs {
    let ar = reversed(a);
    let mut m = [0 as Limb; N];
    let mut r = [0 as Limb; N];
    let mut acc = Acc { lo: 0, hi: 0 };
    for k in (0..N).step_by(2) {
        // Column k: i < h off the diagonal, a[h]² on it, j < k for the reduction.
        // Column k + 1: i ≤ h, j ≤ k. x[k + 1 − i] = xr[s1 + i] for the reversed copies.
        let h = k / 2;
        let s1 = N - 2 - k;
        let (mut off0, mut off1) = (Acc { lo: 0, hi: 0 }, Acc { lo: 0, hi: 0 });
        dot_columns(&mut off0, &mut off1, &a[..h], &ar, s1);
        off1.add_mul(a[h], a[h + 1]);
        // The reduction sums start from the rest of each column.
        add_doubled(&mut acc, off0);
        acc.add_mul(a[h], a[h]);
        let mut red1 = Acc { lo: 0, hi: 0 };
        add_doubled(&mut red1, off1);
        dot_columns(&mut acc, &mut red1, &m[..k], &PL_REV, s1);
        let q = reduce_column(&mut acc);
        m[k] = q;
        red1.add_mul(q, PL[1]);
        acc.add(red1);
        m[k + 1] = reduce_column(&mut acc);
    }
    for k in (N..2 * N - 2).step_by(2) {
        // Column k: lo ≤ i < h, a[h]², lo ≤ j < N; column k + 1: lo < i ≤ h, lo < j < N.
        // The shared ranges start at lo + 1, where x[k + 1 − i] = xr[i − lo − 1].
        let lo = k + 1 - N;
        let h = k / 2;
        let (mut off0, mut off1) = (Acc { lo: 0, hi: 0 }, Acc { lo: 0, hi: 0 });
        dot_columns(&mut off0, &mut off1, &a[lo + 1..h], &ar, 0);
        off0.add_mul(a[lo], a[N - 1]);
        off1.add_mul(a[h], a[h + 1]);
        add_doubled(&mut acc, off0);
        acc.add_mul(a[h], a[h]);
        acc.add_mul(m[lo], PL[N - 1]);
        let mut red1 = Acc { lo: 0, hi: 0 };
        add_doubled(&mut red1, off1);
        dot_columns(&mut acc, &mut red1, &m[lo + 1..], &PL_REV, 0);
        r[k - N] = acc.shift();
        acc.add(red1);
        r[k + 1 - N] = acc.shift();
    }
    // The last column, 2N − 2: m[N − 1]·p[N − 1] and a[N − 1]².
    acc.add_mul(m[N - 1], PL[N - 1]);
    acc.add_mul(a[N - 1], a[N - 1]);
    r[N - 2] = acc.shift();
    r[N - 1] = acc.shift();
    #[allow(clippy::cast_possible_truncation)]
    let top = acc.lo as Limb;
    final_sub(&r, top)
}

#[cfg(test)]
fn limbs_from_be(b: &[u8; PUBLIC_KEY_LEN]) -> Limbs {
    let mut out = [0 as Limb; N];
    limbs_from_be_into(b, &mut out);
    out
}

/// [`limbs_from_be`] into `out` (no temporary on the stack).
fn limbs_from_be_into(b: &[u8; PUBLIC_KEY_LEN], out: &mut Limbs) {
    for (limb, chunk) in out.iter_mut().zip(b.rchunks_exact(LIMB_BYTES)) {
        let mut w = [0u8; LIMB_BYTES];
        w.copy_from_slice(chunk);
        *limb = Limb::from_be_bytes(w);
    }
}

fn limbs_to_be(x: &Limbs, out: &mut [u8; PUBLIC_KEY_LEN]) {
    for (limb, chunk) in x.iter().zip(out.rchunks_exact_mut(LIMB_BYTES)) {
        chunk.copy_from_slice(&limb.to_be_bytes());
    }
}

/// A big-endian exponent read where it lies (no limb copy on the stack), of which the
/// low `bits` (1..=1536) count.
struct ExponentBytes<'a> {
    bytes: &'a [u8; PUBLIC_KEY_LEN],
    bits: usize,
}

impl ExponentBytes<'_> {
    /// The `w` (at most 8) exponent bits at `pos`, those at and above `bits` cleared:
    /// public positions, secret bits only combined arithmetically. Not inlined: one copy
    /// serves the comb and both window loops.
    #[inline(never)]
    fn window(&self, pos: usize, w: usize) -> Limb {
        let byte = |k: usize| {
            if k < PUBLIC_KEY_LEN {
                Limb::from(self.bytes[PUBLIC_KEY_LEN - 1 - k])
            } else {
                0
            }
        };
        let v = (byte(pos / 8) | (byte(pos / 8 + 1) << 8)) >> (pos % 8);
        v & ((1 << w.min(self.bits.saturating_sub(pos))) - 1)
    }
}

/// `out |= entry` where `mask` is all ones (else nothing); on 32-bit targets four limbs
/// per step (N is a multiple of four), about half the instructions of a limb-by-limb loop.
#[inline(always)]
fn or_masked(out: &mut Limbs, entry: &Limbs, mask: Limb) {
    if LIMB_BITS == 64 {
        // The plain loop, which x86_64 vectorises.
        for (o, &x) in out.iter_mut().zip(entry) {
            *o |= x & mask;
        }
        return;
    }
    for (o, x) in out
        .as_chunks_mut::<4>()
        .0
        .iter_mut()
        .zip(entry.as_chunks::<4>().0)
    {
        o[0] |= x[0] & mask;
        o[1] |= x[1] & mask;
        o[2] |= x[2] & mask;
        o[3] |= x[3] & mask;
    }
}

/// All ones when `k == digit`, else zero; the comparison goes through `subtle`'s
/// optimisation barrier.
#[inline(always)]
fn digit_mask(k: Limb, digit: Limb) -> Limb {
    Limb::conditional_select(&0, &Limb::MAX, k.ct_eq(&digit))
}

/// Digit masks [`lookup_power`] computes before its scan: all of them on 64-bit targets,
/// where each mask comes through `subtle`'s barrier, a call, and calls inside the scan
/// made the compiler save and restore the vector registers holding the result around
/// every entry (twice the scan's instructions); none on 32-bit ones (no array on the
/// stack; each mask as the scan needs it).
const LOOKUP_MASKS: usize = if LIMB_BITS == 64 {
    1 << POW_WINDOW_LONG
} else {
    0
};

/// Constant-time `b^digit` in Montgomery form from the table of `b^1 … b^(2^W − 1)` (the
/// power 0, Montgomery one, is the constant [`R1`], not stored): reads every entry and
/// R1, keeps one by mask. Also the comb's lookup (its entry 0 is R1 as well). Not
/// inlined, as [`shl_mod`]: one copy in flash, for a call per window.
#[inline(never)]
fn lookup_power(powers: &[Limbs], digit: Limb) -> Limbs {
    let mut masks = [0 as Limb; LOOKUP_MASKS];
    for (k, mask) in (0 as Limb..).zip(masks.iter_mut()) {
        *mask = digit_mask(k, digit);
    }
    // Public positions: k is a loop counter, and whether a mask was computed ahead
    // depends on the limb width alone.
    let mask_of = |i: usize, k: Limb| {
        masks
            .get(i)
            .copied()
            .unwrap_or_else(|| digit_mask(k, digit))
    };
    let mut out = [0 as Limb; N];
    or_masked(&mut out, &R1, mask_of(0, 0));
    for ((i, k), entry) in (1..).zip(1 as Limb..).zip(powers.iter()) {
        or_masked(&mut out, entry, mask_of(i, k));
    }
    masks.zeroize();
    out
}

/// Window bits of [`pow`] for exponents of up to 512 bits and for longer ones. On 32-bit
/// targets one size for every length, so that a firmware image holds one copy of
/// [`pow_window`], and 3 bits: its powers table (7 × 192 bytes) is half the 4-bit one,
/// for about 2 % more instructions on a 256-bit exponent (the cheaper table scans win
/// back most of the extra multiplications). On 64-bit targets 4 and 5 bits.
const POW_WINDOW_SHORT: usize = if LIMB_BITS == 64 { 4 } else { 3 };
const POW_WINDOW_LONG: usize = if LIMB_BITS == 64 { 5 } else { 3 };

/// The powers table of [`pow_window`]: `b^1 … b^(2^W − 1)`. With an allocator on the
/// heap, so that the exponentiation's stack frame stays small (a whole registration in
/// 8 KB of stack on a 32-bit core), else on the stack.
#[cfg(feature = "alloc")]
type Powers = alloc::vec::Vec<Limbs>;
#[cfg(not(feature = "alloc"))]
type Powers = [Limbs; (1 << POW_WINDOW_LONG) - 1];

/// `b^1 … b^(2^W − 1)` in Montgomery form for the big-endian `base` (below p).
fn powers<const W: usize>(base: &[u8; PUBLIC_KEY_LEN]) -> Powers {
    #[cfg(feature = "alloc")]
    let mut table = alloc::vec![[0 as Limb; N]; (1 << W) - 1];
    #[cfg(not(feature = "alloc"))]
    let mut table = [[0 as Limb; N]; (1 << POW_WINDOW_LONG) - 1];
    // The plain base goes through the table's first entry (no copy on the stack).
    limbs_from_be_into(base, &mut table[0]);
    table[0] = mul(&table[0], &R2);
    // Entry i is b^(i + 1): even powers by squaring, odd ones by one more b.
    for i in 1..(1 << W) - 1 {
        table[i] = if i % 2 == 1 {
            sqr(&table[i / 2])
        } else {
            mul(&table[i - 1], &table[0])
        };
    }
    table
}

/// Montgomery form to plain: `x·R⁻¹ mod p`, the reduction alone (no product).
#[inline(always)]
fn from_monty(x: &Limbs) -> Limbs {
    if OPERAND_SCANNING {
        let mut t = [0 as Limb; 2 * N];
        t[..N].copy_from_slice(x);
        reduce_rows(&mut t)
    } else {
        let mut one = [0 as Limb; N];
        one[0] = 1;
        mul_columns(x, &one)
    }
}

// Not inlined: each window size keeps its temporaries in its own frame.
#[inline(never)]
fn pow_window<const W: usize>(base: &[u8; PUBLIC_KEY_LEN], e: &ExponentBytes<'_>) -> Limbs {
    let mut table = powers::<W>(base);
    let table_w = table.get(..(1 << W) - 1).unwrap_or_default();
    let windows = e.bits.div_ceil(W);
    // One loop over every window, the top one included (a branch on the public window
    // index skips its squarings and multiplication): one copy of a window's code.
    let mut acc = [0 as Limb; N];
    for k in (0..windows).rev() {
        let power = lookup_power(table_w, e.window(k * W, W));
        if k + 1 < windows {
            for _ in 0..W {
                acc = sqr(&acc);
            }
            acc = mul(&acc, &power);
        } else {
            acc = power;
        }
    }
    let r = from_monty(&acc);
    acc.zeroize();
    for t in table.iter_mut() {
        t.zeroize();
    }
    r
}

/// `x · 2^d mod p` for `x < p` and a secret `d < 2^w` (2^w below the limb width), in constant time: the
/// shift is applied bit by bit of `d` through masked selects, then the few bits that
/// overflow 2^1536 are folded back with 2^1536 ≡ R1 (mod p). The width `w` (public) is an
/// argument, not a const generic: one copy in flash serves the comb (w = 1) and
/// [`pow2_window`].
#[inline(never)]
fn shl_mod(x: &Limbs, d: Limb, w: usize) -> Limbs {
    let mut v = [0 as Limb; N + 1];
    v[..N].copy_from_slice(x);
    for b in 0..w {
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
    // d < 2^w ≤ the limb width, so v < 2^(1536 + w − 1) and h < 2^(w − 1); with
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
fn pow2_window<const W: usize>(e: &ExponentBytes<'_>) -> Limbs {
    let windows = e.bits.div_ceil(W);
    // One loop over every window, the top one included (it shifts R1, Montgomery one,
    // with no squarings): one copy of a window's code.
    let mut acc = R1;
    for k in (0..windows).rev() {
        if k + 1 < windows {
            for _ in 0..W {
                acc = sqr(&acc);
            }
        }
        acc = shl_mod(&acc, e.window(k * W, W), W);
    }
    let r = from_monty(&acc);
    acc.zeroize();
    r
}

/// Montgomery multiplication at compile time (the comb table below): the textbook
/// word-by-word method, one quotient digit per row (the low limb, as −p⁻¹ mod 2^w = 1).
const fn mul_const(a: &Limbs, b: &Limbs) -> Limbs {
    let mut t = [0 as Limb; N + 2];
    let mut i = 0;
    while i < N {
        let mut c: Wide = 0;
        let mut j = 0;
        while j < N {
            let s = t[j] as Wide + a[j] as Wide * b[i] as Wide + c;
            t[j] = s as Limb;
            c = s >> LIMB_BITS;
            j += 1;
        }
        let s = t[N] as Wide + c;
        t[N] = s as Limb;
        t[N + 1] = (s >> LIMB_BITS) as Limb;
        let m = t[0];
        let mut c = (t[0] as Wide + m as Wide * PL[0] as Wide) >> LIMB_BITS;
        j = 1;
        while j < N {
            let s = t[j] as Wide + m as Wide * PL[j] as Wide + c;
            t[j - 1] = s as Limb;
            c = s >> LIMB_BITS;
            j += 1;
        }
        let s = t[N] as Wide + c;
        t[N - 1] = s as Limb;
        t[N] = t[N + 1] + (s >> LIMB_BITS) as Limb;
        i += 1;
    }
    let mut r = [0 as Limb; N];
    let mut k = 0;
    while k < N {
        r[k] = t[k];
        k += 1;
    }
    let (d, borrow) = sub_borrow(&r, &PL);
    if t[N] != 0 || borrow == 0 { d } else { r }
}

/// Rows of the fixed-base comb that the table covers (row 0, the lowest, is applied by a
/// one-bit shift instead). 2^ROWS entries of 192 bytes, entry 0 (R1) not stored: 15
/// (2.8 KB of flash) on 32-bit targets, 31 (5.8 KB) on 64-bit ones, where flash is not
/// scarce.
const COMB_TABLE_ROWS: usize = if LIMB_BITS == 64 { 5 } else { 4 };
/// Table entries.
const COMB_ENTRIES: usize = 1 << COMB_TABLE_ROWS;
/// Bits per comb row (columns): rows 0..=COMB_TABLE_ROWS together cover a 256-bit
/// exponent (43 × 6 = 258 bits on 64-bit targets, 52 × 5 = 260 on 32-bit ones).
const COMB_SPACING: usize = 256_usize.div_ceil(COMB_TABLE_ROWS + 1);
/// Exponents of at most this many bits go through the comb.
const COMB_BITS: usize = COMB_SPACING * (COMB_TABLE_ROWS + 1);

/// The comb table, in Montgomery form, computed at compile time: entry v is
/// 2^(Σ v_r·2^(r·COMB_SPACING)) for the bits v_r of v, r = 1..=COMB_TABLE_ROWS (bit r − 1 of
/// v); i.e. the product of the row bases 2^(2^(r·COMB_SPACING)) whose bit v sets. Stored
/// from entry 1 on, as [`lookup_power`] reads it: entry 0, 2^0, is Montgomery one ([`R1`]).
// About 200 Montgomery squarings at compile time, beyond the default evaluation budget.
#[allow(long_running_const_eval)]
const COMB_TABLE: [Limbs; COMB_ENTRIES - 1] = {
    let mut two = [0 as Limb; N];
    two[0] = 2;
    // Montgomery form of 2, squared COMB_SPACING times per row.
    let mut base = mul_const(&R2, &two);
    let mut rows = [[0 as Limb; N]; COMB_TABLE_ROWS];
    let mut r = 0;
    while r < COMB_TABLE_ROWS {
        let mut k = 0;
        while k < COMB_SPACING {
            base = mul_const(&base, &base);
            k += 1;
        }
        rows[r] = base;
        r += 1;
    }
    let mut table = [[0 as Limb; N]; COMB_ENTRIES];
    table[0] = R1;
    let mut v = 1;
    while v < COMB_ENTRIES {
        // The entry without v's lowest set bit, times that bit's row base.
        table[v] = mul_const(&table[v & (v - 1)], &rows[v.trailing_zeros() as usize]);
        v += 1;
    }
    let mut stored = [[0 as Limb; N]; COMB_ENTRIES - 1];
    let mut i = 0;
    while i < COMB_ENTRIES - 1 {
        stored[i] = table[i + 1];
        i += 1;
    }
    stored
};

/// `2^e mod p` for an exponent below 2^COMB_BITS, by the fixed-base comb: with the
/// exponent's bits in COMB_TABLE_ROWS + 1 rows of COMB_SPACING bits, column j (bit j of
/// every row) contributes `2^(bit j of row 0) · COMB_TABLE[bits j of rows 1..]`, raised to
/// 2^j by the squarings of the columns after it. COMB_SPACING − 1 squarings and
/// multiplications, COMB_SPACING one-bit shifts, each column's entry by a masked scan of
/// the whole table.
fn pow2_comb(e: &ExponentBytes<'_>) -> Limbs {
    // Bit j of rows 0..=COMB_TABLE_ROWS, row r at bit r (one loop: one copy of the
    // window read); row 0 is the shift, the rows above index the table.
    let column = |j: usize| {
        let mut v: Limb = 0;
        for r in 0..=COMB_TABLE_ROWS {
            v |= e.window(r * COMB_SPACING + j, 1) << r;
        }
        (v >> 1, v & 1)
    };
    // One loop over every column, the top one included (a branch on the public column
    // index skips its squaring and multiplication): one copy of a column's code.
    let mut acc = [0 as Limb; N];
    for j in (0..COMB_SPACING).rev() {
        let (v, bit) = column(j);
        let mut entry = lookup_power(&COMB_TABLE, v);
        if j + 1 < COMB_SPACING {
            acc = sqr(&acc);
            entry = mul(&acc, &entry);
        }
        acc = shl_mod(&entry, bit, 1);
        entry.zeroize();
    }
    let r = from_monty(&acc);
    acc.zeroize();
    r
}

/// The bound on the exponent's bits, clamped to 1..=1536.
fn exponent_bits(exp_bits: u32) -> usize {
    usize::try_from(exp_bits).map_or(1536, |b| b.clamp(1, 1536))
}

/// The exponent as limbs, with bits at and above `bits` cleared (as crypto-bigint's
/// `pow_bounded_exp` ignores them), and the bound clamped to 1..=1536 (tests).
#[cfg(test)]
fn exponent(exp: &[u8; PUBLIC_KEY_LEN], exp_bits: u32) -> (Limbs, usize) {
    let mut e = limbs_from_be(exp);
    let bits = exponent_bits(exp_bits);
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
    let e = ExponentBytes {
        bytes: exp,
        bits: exponent_bits(exp_bits),
    };
    let r = if e.bits > 512 {
        pow_window::<POW_WINDOW_LONG>(base, &e)
    } else {
        pow_window::<POW_WINDOW_SHORT>(base, &e)
    };
    to_secret(r)
}

/// The window of [`pow2`]: its shifts (up to 2^W − 1 bits) must stay within one limb.
const POW2_WINDOW: usize = if LIMB_BITS == 64 { 6 } else { 5 };

/// `2^exp mod p` (a public key), like [`pow`] with base 2: by the fixed-base comb for
/// exponents of up to about 256 bits (key generation's default, about a third of [`pow`]'s
/// time), by squarings and shifts (about a fifth faster than [`pow`]) for longer ones.
pub(crate) fn pow2(exp: &[u8; PUBLIC_KEY_LEN], exp_bits: u32) -> SecretBytes<PUBLIC_KEY_LEN> {
    let e = ExponentBytes {
        bytes: exp,
        bits: exponent_bits(exp_bits),
    };
    let r = if e.bits <= COMB_BITS {
        pow2_comb(&e)
    } else {
        pow2_window::<POW2_WINDOW>(&e)
    };
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

        /// The paired column sums (`dot2`) equal the plain sums, for every length and from
        /// a non-zero start: one side the plain pairing, the other the reversed one.
        #[test]
        fn dot2_matches_plain_sums(
            x in proptest::collection::vec(any::<Limb>(), 0..=N),
            y in proptest::collection::vec(any::<Limb>(), N),
            start in any::<Wide>(),
            start_hi in any::<u8>(),
        ) {
            let value = |a: &Acc| BigUint::from(a.lo) + (BigUint::from(a.hi) << (2 * LIMB_BITS));
            let sum = |ys: &[Limb], from: BigUint| {
                x.iter().zip(ys).fold(from, |s, (a, b)| s + BigUint::from(*a) * BigUint::from(*b))
            };
            let yr: std::vec::Vec<Limb> = y.iter().rev().copied().collect();
            let first = Acc { lo: start, hi: Limb::from(start_hi) };
            let (mut acc, mut other) = (first, Acc { lo: 0, hi: 0 });
            dot2(&mut acc, &x, &y, &mut other, &x, &yr);
            prop_assert_eq!(value(&acc), sum(&y, value(&first)));
            prop_assert_eq!(value(&other), sum(&yr, BigUint::from(0u8)));
        }

        /// The comb equals plain exponentiation on random exponents of every length it
        /// takes, and `pow2` does at every length (the comb below COMB_BITS bits, shifts above).
        #[test]
        fn comb_matches_plain_exponentiation(e in arb192(), bits in prop_oneof![Just(COMB_BITS), 1..=COMB_BITS, (COMB_BITS + 1)..=1536]) {
            let (el, bits) = exponent(&e, bits as u32);
            let plain = pow2_plain(&el);
            if bits <= COMB_BITS {
                let mut got = [0u8; PUBLIC_KEY_LEN];
                limbs_to_be(&pow2_comb(&ExponentBytes { bytes: &e, bits }), &mut got);
                prop_assert_eq!(got, plain);
            }
            let got = pow2(&e, bits as u32);
            prop_assert_eq!(got.as_bytes(), &plain);
        }

        /// The compile-time multiplication (the comb table's) equals the run-time one.
        #[test]
        fn mul_const_matches_mul(a in arb192(), b in arb192()) {
            let (a, b) = (limbs_from_be(&reduce(&a)), limbs_from_be(&reduce(&b)));
            prop_assert_eq!(mul_const(&a, &b), mul(&a, &b));
        }

        #[test]
        fn shl_mod_matches_num_bigint(a in arb192(), d in (0 as Limb)..(1 << POW2_WINDOW)) {
            let a = reduce(&a);
            let p = BigUint::from_bytes_be(&P);
            let got = big(&shl_mod(&limbs_from_be(&a), d, POW2_WINDOW));
            prop_assert_eq!(got, (BigUint::from_bytes_be(&a) << d) % &p);
        }
    }

    /// An exponent of `bits` bits, all ones.
    fn ones(bits: usize) -> Limbs {
        let mut e = [0 as Limb; N];
        for (i, limb) in e.iter_mut().enumerate() {
            let lo = i * LIMB_BITS;
            if lo + LIMB_BITS <= bits {
                *limb = Limb::MAX;
            } else if lo < bits {
                *limb = (1 << (bits - lo)) - 1;
            }
        }
        e
    }

    fn pow2_plain(e: &Limbs) -> [u8; PUBLIC_KEY_LEN] {
        let mut b = [0u8; PUBLIC_KEY_LEN];
        limbs_to_be(e, &mut b);
        *pow(&crate::crypto::dh::TWO, &b, 1536).as_bytes()
    }

    #[test]
    fn comb_table_holds_the_row_products() {
        let p = BigUint::from_bytes_be(&P);
        for (v, entry) in (1..).zip(COMB_TABLE.iter()) {
            let mut exp = BigUint::from(1536u32);
            for r in 1..=COMB_TABLE_ROWS {
                if v >> (r - 1) & 1 == 1 {
                    exp += BigUint::from(1u8) << (r * COMB_SPACING);
                }
            }
            assert_eq!(big(entry), BigUint::from(2u8).modpow(&exp, &p), "entry {v}");
        }
    }

    /// The comb equals plain exponentiation on the edge exponents: 0, 1, all ones of the
    /// comb's length, 2^256 − 1, and the lengths around the comb's bound; longer
    /// exponents (full length, all ones) take the shift path of `pow2`, checked the same way.
    #[test]
    fn comb_matches_plain_exponentiation_on_edges() {
        let mut one = [0 as Limb; N];
        one[0] = 1;
        for e in [
            [0; N],
            one,
            ones(COMB_BITS),
            ones(256),
            ones(COMB_BITS - 1),
            ones(200),
        ] {
            let mut b = [0u8; PUBLIC_KEY_LEN];
            limbs_to_be(&e, &mut b);
            let mut got = [0u8; PUBLIC_KEY_LEN];
            let full = ExponentBytes {
                bytes: &b,
                bits: 1536,
            };
            limbs_to_be(&pow2_comb(&full), &mut got);
            assert_eq!(got, pow2_plain(&e));
        }
        for bits in [COMB_BITS, COMB_BITS + 1, 1535, 1536] {
            let e = ones(bits);
            let mut b = [0u8; PUBLIC_KEY_LEN];
            limbs_to_be(&e, &mut b);
            assert_eq!(pow2(&b, 1536).as_bytes(), &pow2_plain(&e), "bits {bits}");
            assert_eq!(
                pow2(&b, bits as u32).as_bytes(),
                &pow2_plain(&e),
                "bits {bits}"
            );
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
