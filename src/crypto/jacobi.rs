//! Variable-time binary Jacobi symbol, used to test a peer's DH public value for membership
//! in the prime-order subgroup without a second modular exponentiation.
//!
//! For the safe prime p of group 5 (p = 2q + 1, q prime) the subgroup of order q is exactly
//! the set of quadratic residues, and Euler's criterion gives, for 0 < y < p,
//! `y^q mod p = 1` ⇔ the Legendre symbol `(y/p) = 1`. The Legendre symbol equals the
//! Jacobi symbol for prime p, and the Jacobi symbol can be computed like a binary GCD
//! (shifts and subtractions, no division): a few percent of the cost of `y^q mod p`.
//!
//! Variable time is fine here: the input is the peer's *public* value.
//!
//! The limbs are the target's word ([`Word`]: `u32` on 32-bit cores, where a `u64` add,
//! compare or variable shift takes several instructions, `u64` elsewhere).
//!
//! The input is a fixed-size limb array, never a length: limb counts stay within `0..=L`
//! (only decremented while non-zero), shift amounts are in `1..BITS` by construction, and
//! the sign `t` is ±1, so none of the plain arithmetic below can overflow.
#![allow(clippy::arithmetic_side_effects)]

use core::ops::{Add, BitOr, Mul, Shl, Shr, ShrAssign};

/// A limb: the operations the algorithm needs, for `u32` and `u64`.
pub(crate) trait Limb:
    Copy
    + Eq
    + Ord
    + From<bool>
    + BitOr<Output = Self>
    + Shl<u32, Output = Self>
    + Shr<u32, Output = Self>
{
    /// A signed accumulator for `f·x + g·y + carry`, `|f|, |g| <=` [`MAX_FACTOR`]: `i64`
    /// for `u32` (a 32-bit core multiplies those in a few instructions), `i128` for `u64`.
    type Acc: Copy
        + From<i32>
        + From<Self>
        + Add<Output = Self::Acc>
        + Mul<Output = Self::Acc>
        + ShrAssign<u32>;
    const ZERO: Self;
    const BITS: u32;
    const BYTES: usize;
    fn overflowing_sub(self, other: Self) -> (Self, bool);
    fn wrapping_sub(self, other: Self) -> Self;
    fn trailing_zeros(self) -> u32;
    fn leading_zeros(self) -> u32;
    /// The low 8 bits.
    fn low_byte(self) -> u8;
    /// From exactly `BYTES` big-endian bytes (zero for any other length).
    fn from_be(chunk: &[u8]) -> Self;
    fn to_u64(self) -> u64;
    /// The low `BITS` bits of `x`.
    fn truncate(x: Self::Acc) -> Self;
}

macro_rules! impl_limb {
    ($t:ty, $acc:ty) => {
        impl Limb for $t {
            type Acc = $acc;
            const ZERO: Self = 0;
            const BITS: u32 = <$t>::BITS;
            const BYTES: usize = core::mem::size_of::<$t>();
            fn overflowing_sub(self, other: Self) -> (Self, bool) {
                <$t>::overflowing_sub(self, other)
            }
            fn wrapping_sub(self, other: Self) -> Self {
                <$t>::wrapping_sub(self, other)
            }
            fn trailing_zeros(self) -> u32 {
                <$t>::trailing_zeros(self)
            }
            fn leading_zeros(self) -> u32 {
                <$t>::leading_zeros(self)
            }
            #[allow(clippy::cast_possible_truncation)]
            fn low_byte(self) -> u8 {
                self as u8
            }
            fn from_be(chunk: &[u8]) -> Self {
                chunk.try_into().map(<$t>::from_be_bytes).unwrap_or(0)
            }
            fn to_u64(self) -> u64 {
                u64::from(self)
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            fn truncate(x: $acc) -> Self {
                x as $t
            }
        }
    };
}
impl_limb!(u32, i64);
impl_limb!(u64, i128);

/// The limb of this target: its native word.
#[cfg(target_pointer_width = "32")]
pub(crate) type Word = u32;
/// The limb of this target: its native word.
#[cfg(not(target_pointer_width = "32"))]
pub(crate) type Word = u64;

/// Little-endian limbs with an explicit count of significant limbs.
#[derive(Clone, Copy)]
struct Num<W: Limb, const L: usize> {
    limbs: [W; L],
    len: usize,
}

impl<W: Limb, const L: usize> Num<W, L> {
    #[cfg(test)]
    fn new(limbs: [W; L]) -> Self {
        let mut n = Self { limbs, len: L };
        n.normalize();
        n
    }

    /// From big-endian bytes (exactly `W::BYTES * L`), built in place.
    #[inline(always)]
    fn from_be(bytes: &[u8]) -> Self {
        let mut n = Self {
            limbs: [W::ZERO; L],
            len: L,
        };
        limbs_from_be_into(bytes, &mut n.limbs);
        n.normalize();
        n
    }

    /// Not inlined: called after every step, and one copy of it in each made the
    /// Cortex-M4 build both larger (0.4 KB) and slower (5 %).
    #[inline(never)]
    fn normalize(&mut self) {
        // Values only shrink, and usually by less than a limb: walk down from the top.
        while self.len > 0 && self.limbs.get(self.len - 1).is_some_and(|&x| x == W::ZERO) {
            self.len -= 1;
        }
    }

    /// `self = (self − other) >> tz`, for `self ≥ other`, both odd, where `tz`
    /// (1..BITS) is at most the number of trailing zeros of the difference (known from
    /// the low limbs).
    fn sub_shift(&mut self, other: &Self, tz: u32) {
        // One pass: each limb becomes the difference limb, and the previous limb, now
        // final, takes its shifted-in high bits.
        let mut borrow = false;
        let mut prev: Option<&mut W> = None;
        for (x, &y) in self.limbs.iter_mut().zip(other.limbs.iter()).take(self.len) {
            let (d1, b1) = x.overflowing_sub(y);
            let (d2, b2) = d1.overflowing_sub(W::from(borrow));
            *x = d2;
            borrow = b1 | b2;
            if let Some(p) = prev {
                *p = (*p >> tz) | (d2 << (W::BITS - tz));
            }
            prev = Some(x);
        }
        if let Some(p) = prev {
            *p = *p >> tz;
        }
        self.normalize();
    }

    fn is_zero(&self) -> bool {
        self.len == 0
    }

    fn low(&self) -> W {
        self.limbs.first().copied().unwrap_or(W::ZERO)
    }

    /// The low 8 bits of the value.
    fn low_byte(&self) -> u8 {
        self.low().low_byte()
    }

    fn is_one(&self) -> bool {
        self.len == 1 && self.low() == W::from(true)
    }

    /// Shifts right by the number of trailing zero bits (self must be non-zero);
    /// returns that number.
    ///
    /// One forward pass moves the limbs down by the whole zero limbs and shifts in the
    /// bits at once: a plain limb copy would be turned into a call to `memmove` (1.5 KB
    /// of flash on a Cortex-M4 when nothing else needs it).
    fn strip_twos(&mut self) -> u32 {
        let zero_limbs = self.limbs.iter().take_while(|&&x| x == W::ZERO).count();
        // The lowest non-zero limb exists because the value is non-zero.
        let bits = self.limbs.get(zero_limbs).map_or(0, |x| x.trailing_zeros());
        if zero_limbs > 0 || bits > 0 {
            // `zero_limbs < len <= L`; the limb above the top counts as zero.
            // `(hi << 1) << (BITS - 1 - bits)` is `hi << (BITS - bits)` without the
            // out-of-range shift by BITS when `bits` is 0.
            let kept = self.len - zero_limbs;
            for i in 0..kept {
                let lo = self.limbs.get(i + zero_limbs).copied().unwrap_or(W::ZERO);
                let hi = match i + 1 < kept {
                    true => self.limbs.get(i + zero_limbs + 1).copied(),
                    false => None,
                };
                let hi = hi.unwrap_or(W::ZERO);
                if let Some(x) = self.limbs.get_mut(i) {
                    *x = (lo >> bits) | ((hi << 1) << (W::BITS - 1 - bits));
                }
            }
            for x in self.limbs.iter_mut().take(self.len).skip(kept) {
                *x = W::ZERO;
            }
            self.len = kept;
            self.normalize();
        }
        // Cannot overflow: zero_limbs <= L, and L is small.
        #[allow(clippy::cast_possible_truncation)]
        let total = (zero_limbs as u32) * W::BITS + bits;
        total
    }

    fn lt(&self, other: &Self) -> bool {
        if self.len != other.len {
            return self.len < other.len;
        }
        let a = self.limbs.iter().take(self.len).rev();
        let b = other.limbs.iter().take(other.len).rev();
        for (x, y) in a.zip(b) {
            if x != y {
                return x < y;
            }
        }
        false
    }
}

impl<W: Limb, const L: usize> Num<W, L> {
    /// Number of significant bits.
    fn bit_len(&self) -> u32 {
        let top = self.limbs.get(self.len.wrapping_sub(1)).copied();
        match top {
            // `len <= L`, and L is small.
            #[allow(clippy::cast_possible_truncation)]
            Some(x) => self.len as u32 * W::BITS - x.leading_zeros(),
            None => 0,
        }
    }

    /// Bits `s..s + 64` of the value (zeros above the top).
    fn window(&self, s: u32) -> u64 {
        let first = (s / W::BITS) as usize;
        let r = s % W::BITS;
        let mut w = 0u64;
        // 64 + BITS - 1 bits are enough: two limbs of 64 bits, three of 32. Limb k
        // starts at bit k·BITS − r of the window; what lies at or above bit 64 drops
        // out (in u64, not u128: a 32-bit core shifts a u128 in many instructions).
        for (k, x) in self
            .limbs
            .iter()
            .skip(first)
            .take((64 / W::BITS) as usize + 1)
            .enumerate()
        {
            let x = x.to_u64();
            w |= match k {
                0 => x >> r,
                // `k * BITS <= 64`.
                #[allow(clippy::cast_possible_truncation)]
                _ => x.checked_shl(k as u32 * W::BITS - r).unwrap_or(0),
            };
        }
        w
    }

    /// `(x, y) = ((fx·x + gx·y) / 2^k, (fy·x + gy·y) / 2^k)` in place, for combinations
    /// known to be non-negative and divisible by `2^k`, `k < BITS`, factors within
    /// [`MAX_FACTOR`]. One pass: limb j is read before it is written, and the limb below
    /// it, now final, takes its shifted-in bits (no copy of either number on the stack).
    fn combine(x: &mut Self, y: &mut Self, (fx, gx): (i32, i32), (fy, gy): (i32, i32), k: u32) {
        // |f·x_j| + |g·y_j| <= 2^31·(2^BITS − 1), and the carry is below 2^31 in
        // magnitude: fits the accumulator (for 32-bit limbs exactly to the edge of an i64).
        let (mut acc_x, mut acc_y) = (W::Acc::from(0), W::Acc::from(0));
        // Both results are at most max(x, y): limbs above both lengths stay zero.
        let len = x.len.max(y.len);
        let mut prev: Option<(&mut W, &mut W)> = None;
        for (xj, yj) in x.limbs.iter_mut().zip(y.limbs.iter_mut()).take(len) {
            let (a, b) = (W::Acc::from(*xj), W::Acc::from(*yj));
            acc_x = acc_x + W::Acc::from(fx) * a + W::Acc::from(gx) * b;
            acc_y = acc_y + W::Acc::from(fy) * a + W::Acc::from(gy) * b;
            *xj = W::truncate(acc_x);
            *yj = W::truncate(acc_y);
            acc_x >>= W::BITS;
            acc_y >>= W::BITS;
            if let Some((px, py)) = prev.filter(|_| k > 0) {
                *px = (*px >> k) | (*xj << (W::BITS - k));
                *py = (*py >> k) | (*yj << (W::BITS - k));
            }
            prev = Some((xj, yj));
        }
        // What is left in the accumulators is the bits above the top limb (a value times
        // 2^k may need one limb more); they are below 2^k and shift into the top limb.
        if let Some((px, py)) = prev.filter(|_| k > 0) {
            *px = (*px >> k) | (W::truncate(acc_x) << (W::BITS - k));
            *py = (*py >> k) | (W::truncate(acc_y) << (W::BITS - k));
        }
        x.len = len;
        y.len = len;
        x.normalize();
        y.normalize();
    }
}

/// One row of the batch: the current value is `(f·A + g·B) / 2^i` of the batch's start
/// values A and B; `hi = f·Ah + g·Bh` with Ah, Bh the top 32 bits of A and B at a common
/// position `s`, and `lo = f·A + g·B mod 2^64` (so the value's low `64 − i` bits are
/// `lo >> i`, exactly).
#[derive(Clone, Copy)]
struct Row {
    // Factors within MAX_FACTOR (2^30) are all a batch keeps, so 32 bits hold them: an
    // `i32` that overflows is a factor the batch would refuse anyway.
    f: i32,
    g: i32,
    hi: i64,
    lo: u64,
}

impl Row {
    /// A row whose factors are both within [`MAX_FACTOR`] (`None` for any other, an `i32`
    /// overflow included). For such a row |hi| ≤ 2·2^30·(2^32 − 1) < 2^63, so `hi`,
    /// computed by wrapping arithmetic from rows like it, is exact.
    fn within_bounds(f: Option<i32>, g: Option<i32>, hi: i64, lo: u64) -> Option<Row> {
        let small = |x: &i32| (-MAX_FACTOR..=MAX_FACTOR).contains(x);
        Some(Row {
            f: f.filter(small)?,
            g: g.filter(small)?,
            hi,
            lo,
        })
    }

    /// `self − o`, if its factors stay within bounds.
    fn sub(&self, o: &Row) -> Option<Row> {
        Row::within_bounds(
            self.f.checked_sub(o.f),
            self.g.checked_sub(o.g),
            self.hi.wrapping_sub(o.hi),
            self.lo.wrapping_sub(o.lo),
        )
    }

    /// `2·self`, if its factors stay within bounds.
    fn double(&self) -> Option<Row> {
        Row::within_bounds(
            self.f.checked_mul(2),
            self.g.checked_mul(2),
            self.hi.wrapping_mul(2),
            self.lo << 1,
        )
    }

    /// `−self` (the row of the opposite value; the bounds are symmetric).
    fn neg(&self) -> Row {
        Row {
            f: self.f.wrapping_neg(),
            g: self.g.wrapping_neg(),
            hi: self.hi.wrapping_neg(),
            lo: self.lo.wrapping_neg(),
        }
    }
}

/// Largest update factor: keeps [`Num::combine`] within its accumulator.
const MAX_FACTOR: i32 = 1 << 30;

/// Runs up to `BITS − 1` binary Jacobi steps on (a, n) from their top and low words only,
/// taking a step only when its decision is certain from them, then applies the steps to
/// the full numbers at once. Returns whether any step was taken; flips `*t` as the
/// steps require. Requires n odd.
fn batch<W: Limb, const L: usize>(a: &mut Num<W, L>, n: &mut Num<W, L>, t: &mut i8) -> bool {
    let s = a.bit_len().max(n.bit_len()).saturating_sub(32);
    #[allow(clippy::cast_possible_wrap)]
    let (ah, nh) = (
        (a.window(s) & 0xffff_ffff) as i64,
        (n.window(s) & 0xffff_ffff) as i64,
    );
    let mut ra = Row {
        f: 1,
        g: 0,
        hi: ah,
        lo: a.window(0),
    };
    let mut rb = Row {
        f: 0,
        g: 1,
        hi: nh,
        lo: n.window(0),
    };
    let mut i = 0u32;
    let mut flip = false;
    // Each pass halves a (after making it even when it is odd): i counts the halvings.
    while i < W::BITS - 1 {
        if (ra.lo >> i) & 1 == 1 {
            // a − b = ((fa − fb)·A + (ga − gb)·B) / 2^i; the unknown low parts of A and B
            // below bit s move the top estimate by less than |fa − fb| + |ga − gb|.
            let Some(d) = ra.sub(&rb) else { break };
            let margin = u64::from(d.f.unsigned_abs()) + u64::from(d.g.unsigned_abs());
            // Certain only when the estimate is at least the margin away from 0.
            if margin == 0 || d.hi.unsigned_abs() < margin {
                break;
            }
            if d.hi > 0 {
                // a > b
                ra = d;
            } else {
                // a < b: swap (quadratic reciprocity), then b − a = −(a − b).
                if (ra.lo >> i) & 3 == 3 && (rb.lo >> i) & 3 == 3 {
                    flip = !flip;
                }
                rb = ra;
                ra = d.neg();
            }
        }
        // a is even: a/2, i.e. b doubles against the common 2^i. (2/b) = -1 for b ≡ 3, 5 (mod 8).
        let Some(b2) = rb.double() else { break };
        let b8 = (rb.lo >> i) & 7;
        if b8 == 3 || b8 == 5 {
            flip = !flip;
        }
        rb = b2;
        i += 1;
    }
    if i == 0 {
        return false;
    }
    if flip {
        *t = -*t;
    }
    Num::combine(a, n, (ra.f, ra.g), (rb.f, rb.g), i);
    true
}

/// [`jacobi_of`] of little-endian limbs (tests).
#[cfg(test)]
pub(crate) fn jacobi_vartime<W: Limb, const L: usize>(a: &[W; L], n: &[W; L]) -> i8 {
    jacobi_of::<W, L, true>(Num::new(*a), Num::new(*n))
}

/// [`jacobi_vartime_be`] by exact steps on the full numbers only (the implementation
/// before the batched steps), as a second opinion in the tests and the fuzz target.
#[cfg(any(test, fuzzing))]
fn jacobi_exact_be<W: Limb, const L: usize>(a: &[u8], n: &[u8]) -> i8 {
    jacobi_of::<W, L, false>(Num::from_be(a), Num::from_be(n))
}

/// Fuzz builds only (`--cfg fuzzing`): the Jacobi symbol `(a/n)` of big-endian `a` and
/// odd `n`, `a < n`, four ways: with the batched steps in 32-bit and in 64-bit limbs, then
/// by exact steps only in 32-bit and in 64-bit limbs. The `jacobi` fuzz target compares
/// all four with a big-integer reference.
#[cfg(fuzzing)]
#[doc(hidden)]
pub fn jacobi_four_ways(
    a: &[u8; super::PUBLIC_KEY_LEN],
    n: &[u8; super::PUBLIC_KEY_LEN],
) -> [i8; 4] {
    const L32: usize = super::PUBLIC_KEY_LEN / 4;
    const L64: usize = super::PUBLIC_KEY_LEN / 8;
    [
        jacobi_vartime_be::<u32, L32>(a, n),
        jacobi_vartime_be::<u64, L64>(a, n),
        jacobi_exact_be::<u32, L32>(a, n),
        jacobi_exact_be::<u64, L64>(a, n),
    ]
}

/// [`jacobi_of`] of big-endian `a` and `n` (each exactly `W::BYTES * L` bytes), converted
/// straight into the working values (no further copies on the stack).
pub(crate) fn jacobi_vartime_be<W: Limb, const L: usize>(a: &[u8], n: &[u8]) -> i8 {
    jacobi_of::<W, L, true>(Num::from_be(a), Num::from_be(n))
}

/// Jacobi symbol `(a/n)` for odd `n > 0` and `0 <= a < n`. Returns 1, -1, or 0 (when
/// `gcd(a, n) > 1`). Variable time.
fn jacobi_of<W: Limb, const L: usize, const BATCHED: bool>(
    mut a_num: Num<W, L>,
    mut n_num: Num<W, L>,
) -> i8 {
    // Swapping the references, not the 200-byte values.
    let (mut a, mut n) = (&mut a_num, &mut n_num);
    let mut t: i8 = 1;
    while !a.is_zero() {
        if BATCHED && batch(a, n, &mut t) {
            continue;
        }
        // The top words could not decide: one exact step on the full numbers. After a
        // batch `a` is odd here (a batch halves an even `a` at least once), so only the
        // walk without batches strips factors of two.
        if !BATCHED {
            let twos = a.strip_twos();
            // (2/n) = -1 exactly when n ≡ 3, 5 (mod 8).
            let n8 = n.low_byte() & 7;
            if twos & 1 == 1 && (n8 == 3 || n8 == 5) {
                t = -t;
            }
        }
        if a.lt(n) {
            core::mem::swap(&mut a, &mut n);
            // Quadratic reciprocity for two odd numbers.
            if a.low_byte() & 3 == 3 && n.low_byte() & 3 == 3 {
                t = -t;
            }
        }
        // a − n is even, its trailing zeros known from the low limbs: subtract and shift in
        // one step. When the difference's low limb is zero (~2^-BITS of the time) the
        // shift is BITS − 1, exact all the same; the next step takes the rest.
        let low_diff = a.low().wrapping_sub(n.low());
        let tz = if low_diff == W::ZERO {
            W::BITS - 1
        } else {
            low_diff.trailing_zeros()
        };
        a.sub_shift(n, tz);
        let n8 = n.low_byte() & 7;
        if tz & 1 == 1 && (n8 == 3 || n8 == 5) {
            t = -t;
        }
    }
    if n.is_one() { t } else { 0 }
}

/// Big-endian bytes (exactly `W::BYTES * L`) to little-endian limbs. Not inlined: one
/// copy converts both operands.
#[inline(never)]
fn limbs_from_be_into<W: Limb, const L: usize>(bytes: &[u8], limbs: &mut [W; L]) {
    for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks_exact(W::BYTES)) {
        *limb = W::from_be(chunk);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;
    use proptest::prelude::*;
    use std::vec::Vec;

    fn to_limbs(x: &BigUint) -> [u64; 4] {
        let mut l = [0u64; 4];
        for (d, s) in l.iter_mut().zip(x.to_u64_digits()) {
            *d = s;
        }
        l
    }

    /// The same value in 32-bit limbs.
    fn halves<const L: usize, const H: usize>(x: &[u64; L]) -> [u32; H] {
        let mut h = [0u32; H];
        for (d, s) in h
            .iter_mut()
            .zip(x.iter().flat_map(|&w| [w as u32, (w >> 32) as u32]))
        {
            *d = s;
        }
        h
    }

    /// Both limb widths, checked to agree.
    fn jacobi_both(a: &[u64; 4], n: &[u64; 4]) -> i8 {
        let j = jacobi_vartime(a, n);
        assert_eq!(jacobi_vartime::<u32, 8>(&halves(a), &halves(n)), j);
        j
    }

    /// Jacobi symbol by the textbook division algorithm, as an oracle.
    fn jacobi_oracle(a: &BigUint, n: &BigUint) -> i8 {
        let zero = BigUint::from(0u8);
        let (mut a, mut n) = (a % n, n.clone());
        let mut t = 1i8;
        while a != zero {
            while (&a & BigUint::from(1u8)) == zero {
                a >>= 1;
                let r = (&n % 8u8).to_u32_digits().first().copied().unwrap_or(0);
                if r == 3 || r == 5 {
                    t = -t;
                }
            }
            core::mem::swap(&mut a, &mut n);
            if (&a % 4u8) == BigUint::from(3u8) && (&n % 4u8) == BigUint::from(3u8) {
                t = -t;
            }
            a %= &n;
        }
        if n == BigUint::from(1u8) { t } else { 0 }
    }

    #[test]
    fn small_values() {
        // (a/15): a = 1, 2, 4, 7, 8 -> known table
        let n = to_limbs(&BigUint::from(15u8));
        let expect = [
            (1u8, 1i8),
            (2, 1),
            (4, 1),
            (7, -1),
            (8, 1),
            (3, 0),
            (5, 0),
            (0, 0),
        ];
        for (a, j) in expect {
            assert_eq!(jacobi_both(&to_limbs(&BigUint::from(a)), &n), j, "a={a}");
        }
        // (x/7): residues 1, 2, 4
        let n = to_limbs(&BigUint::from(7u8));
        for a in 1u8..7 {
            let j = if [1, 2, 4].contains(&a) { 1 } else { -1 };
            assert_eq!(jacobi_both(&to_limbs(&BigUint::from(a)), &n), j, "a={a}");
        }
    }

    proptest! {
        #[test]
        fn matches_oracle(a in any::<[u64; 4]>(), n in any::<[u64; 4]>()) {
            let mut n = n;
            n[0] |= 1;
            let nb = BigUint::from_slice(&n.iter().flat_map(|&x| [x as u32, (x >> 32) as u32]).collect::<Vec<_>>());
            let ab = BigUint::from_slice(&a.iter().flat_map(|&x| [x as u32, (x >> 32) as u32]).collect::<Vec<_>>()) % &nb;
            prop_assert_eq!(jacobi_both(&to_limbs(&ab), &n), jacobi_oracle(&ab, &nb));
        }

        /// Equal low limbs force the slow path (a − n has a zero low limb).
        #[test]
        fn matches_oracle_equal_low_limbs(a in any::<[u64; 4]>(), n in any::<[u64; 4]>()) {
            let mut n = n;
            n[0] |= 1;
            n[3] |= 1 << 63;
            let mut a = a;
            a[0] = n[0];
            a[3] = n[3] >> 1;
            let big = |x: &[u64; 4]| BigUint::from_slice(&x.iter().flat_map(|&w| [w as u32, (w >> 32) as u32]).collect::<Vec<_>>());
            prop_assert_eq!(jacobi_both(&a, &n), jacobi_oracle(&big(&a), &big(&n)));
        }
    }

    /// Group 5's p, big-endian.
    fn p_bytes() -> [u8; 192] {
        let mut p = [0u8; 192];
        p.copy_from_slice(&crate::crypto::dh::P);
        p
    }

    /// The symbol of `a` (big-endian, 192 bytes) mod p in both limb widths, checked
    /// against the textbook oracle.
    fn check_mod_p(a: &[u8; 192]) -> Result<(), TestCaseError> {
        let p = p_bytes();
        let j64 = jacobi_vartime_be::<u64, 24>(a, &p);
        let j32 = jacobi_vartime_be::<u32, 48>(a, &p);
        let oracle = jacobi_oracle(&BigUint::from_bytes_be(a), &BigUint::from_bytes_be(&p));
        prop_assert_eq!(j64, oracle);
        prop_assert_eq!(j32, oracle);
        prop_assert_eq!(jacobi_exact_be::<u64, 24>(a, &p), oracle);
        prop_assert_eq!(jacobi_exact_be::<u32, 48>(a, &p), oracle);
        Ok(())
    }

    fn from_big(x: &BigUint) -> [u8; 192] {
        let b = x.to_bytes_be();
        let mut out = [0u8; 192];
        out[192 - b.len()..].copy_from_slice(&b);
        out
    }

    #[test]
    fn edge_cases_mod_p() {
        let p = BigUint::from_bytes_be(&p_bytes());
        let mut cases: Vec<BigUint> = (0u32..64).map(BigUint::from).collect();
        for k in 1u32..64 {
            cases.push(&p - k);
        }
        for bits in [31u32, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 1535] {
            let one = BigUint::from(1u8);
            // A power of two, a run of ones, ones with a long run of zeros in between.
            cases.push(&one << bits);
            cases.push((&one << bits) - 1u8);
            cases.push(((&one << bits) + 1u8) % &p);
            cases.push(&p - (&one << bits));
        }
        for c in &cases {
            check_mod_p(&from_big(c)).unwrap();
        }
    }

    proptest! {
        #[test]
        fn matches_oracle_mod_p(a in proptest::collection::vec(any::<u8>(), 192)) {
            let p = BigUint::from_bytes_be(&p_bytes());
            check_mod_p(&from_big(&(BigUint::from_bytes_be(&a) % &p)))?;
        }

        /// Values with long runs of zero and one bits.
        #[test]
        fn matches_oracle_mod_p_runs(runs in proptest::collection::vec((any::<bool>(), 1u32..200), 1..40)) {
            let p = BigUint::from_bytes_be(&p_bytes());
            let mut x = BigUint::from(0u8);
            for (bit, len) in runs {
                x <<= len;
                if bit {
                    x += (BigUint::from(1u8) << len) - 1u8;
                }
            }
            check_mod_p(&from_big(&(x % &p)))?;
        }
    }
}
