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
//! The input is a fixed-size limb array, never a length: limb counts stay within `0..=L`
//! (only decremented while non-zero), shift amounts are in `1..=63` by construction, and
//! the sign `t` is ±1, so none of the plain arithmetic below can overflow.
#![allow(clippy::arithmetic_side_effects)]

/// Little-endian 64-bit limbs with an explicit count of significant limbs.
#[derive(Clone, Copy)]
struct Num<const L: usize> {
    limbs: [u64; L],
    len: usize,
}

impl<const L: usize> Num<L> {
    #[cfg(test)]
    fn new(limbs: [u64; L]) -> Self {
        let mut n = Self { limbs, len: L };
        n.normalize();
        n
    }

    /// From big-endian bytes (exactly `8 * L`), built in place.
    #[inline(always)]
    fn from_be(bytes: &[u8]) -> Self {
        let mut n = Self {
            limbs: [0; L],
            len: L,
        };
        limbs_from_be_into(bytes, &mut n.limbs);
        n.normalize();
        n
    }

    fn normalize(&mut self) {
        // Values only shrink, and usually by less than a limb: walk down from the top.
        while self.len > 0 && self.limbs.get(self.len - 1).is_some_and(|&x| x == 0) {
            self.len -= 1;
        }
    }

    /// `self = (self − other) >> tz`, for `self > other`, both odd, where `tz` (1..=63)
    /// is the number of trailing zeros of the difference (known from the low limbs).
    fn sub_shift(&mut self, other: &Self, tz: u32) {
        // One pass: each limb becomes the difference limb, and the previous limb, now
        // final, takes its shifted-in high bits.
        let mut borrow = false;
        let mut prev: Option<&mut u64> = None;
        for (x, &y) in self.limbs.iter_mut().zip(other.limbs.iter()).take(self.len) {
            let (d1, b1) = x.overflowing_sub(y);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *x = d2;
            borrow = b1 | b2;
            if let Some(p) = prev {
                *p = (*p >> tz) | (d2 << (64 - tz));
            }
            prev = Some(x);
        }
        if let Some(p) = prev {
            *p >>= tz;
        }
        self.normalize();
    }

    fn is_zero(&self) -> bool {
        self.len == 0
    }

    fn low(&self) -> u64 {
        self.limbs.first().copied().unwrap_or(0)
    }

    fn is_one(&self) -> bool {
        self.len == 1 && self.low() == 1
    }

    /// Shifts right by the number of trailing zero bits (self must be non-zero);
    /// returns that number.
    fn strip_twos(&mut self) -> u32 {
        let zero_limbs = self.limbs.iter().take_while(|&&x| x == 0).count();
        if zero_limbs > 0 {
            // `zero_limbs < len <= L` because the value is non-zero.
            self.limbs.copy_within(zero_limbs..self.len, 0);
            for x in self
                .limbs
                .iter_mut()
                .take(self.len)
                .skip(self.len - zero_limbs)
            {
                *x = 0;
            }
            self.len -= zero_limbs;
        }
        let bits = self.low().trailing_zeros();
        if bits > 0 {
            let mut carry = 0u64;
            for x in self.limbs.iter_mut().take(self.len).rev() {
                let v = *x;
                *x = (v >> bits) | carry;
                carry = v << (64 - bits);
            }
            self.normalize();
        }
        // Cannot overflow: zero_limbs <= L, and L is small.
        #[allow(clippy::cast_possible_truncation)]
        let total = (zero_limbs as u32) * 64 + bits;
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

    /// `self -= other`, requires `self >= other`.
    fn sub_assign(&mut self, other: &Self) {
        let mut borrow = false;
        for (x, &y) in self.limbs.iter_mut().zip(other.limbs.iter()).take(self.len) {
            let (d1, b1) = x.overflowing_sub(y);
            let (d2, b2) = d1.overflowing_sub(u64::from(borrow));
            *x = d2;
            borrow = b1 | b2;
        }
        self.normalize();
    }
}

/// [`jacobi_of`] of little-endian limbs (tests).
#[cfg(test)]
pub(crate) fn jacobi_vartime<const L: usize>(a: &[u64; L], n: &[u64; L]) -> i8 {
    jacobi_of(Num::new(*a), Num::new(*n))
}

/// [`jacobi_of`] of big-endian `a` and `n` (each exactly `8 * L` bytes), converted
/// straight into the working values (no further copies on the stack).
pub(crate) fn jacobi_vartime_be<const L: usize>(a: &[u8], n: &[u8]) -> i8 {
    jacobi_of(Num::<L>::from_be(a), Num::<L>::from_be(n))
}

/// Jacobi symbol `(a/n)` for odd `n > 0` and `0 <= a < n`. Returns 1, -1, or 0 (when
/// `gcd(a, n) > 1`). Variable time.
fn jacobi_of<const L: usize>(mut a_num: Num<L>, mut n_num: Num<L>) -> i8 {
    // Swapping the references, not the 200-byte values.
    let (mut a, mut n) = (&mut a_num, &mut n_num);
    let mut t: i8 = 1;
    while !a.is_zero() {
        let twos = a.strip_twos();
        // (2/n) = -1 exactly when n ≡ 3, 5 (mod 8).
        let n8 = n.low() & 7;
        if twos & 1 == 1 && (n8 == 3 || n8 == 5) {
            t = -t;
        }
        if a.lt(n) {
            core::mem::swap(&mut a, &mut n);
            // Quadratic reciprocity for two odd numbers.
            if a.low() & 3 == 3 && n.low() & 3 == 3 {
                t = -t;
            }
        }
        // Fast path: the low limb of a − n is non-zero (all but ~2^-64 of the time), so
        // its trailing zeros are known up front and subtract + shift is one step.
        let low_diff = a.low().wrapping_sub(n.low());
        if low_diff != 0 {
            let tz = low_diff.trailing_zeros();
            a.sub_shift(n, tz);
            let n8 = n.low() & 7;
            if tz & 1 == 1 && (n8 == 3 || n8 == 5) {
                t = -t;
            }
        } else {
            a.sub_assign(n);
        }
    }
    if n.is_one() { t } else { 0 }
}

/// Big-endian bytes (length a multiple of 8, exactly `8 * L`) to little-endian limbs.
#[inline(always)]
fn limbs_from_be_into<const L: usize>(bytes: &[u8], limbs: &mut [u64; L]) {
    for (limb, chunk) in limbs.iter_mut().zip(bytes.rchunks_exact(8)) {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(chunk);
        *limb = u64::from_be_bytes(buf);
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
            assert_eq!(jacobi_vartime(&to_limbs(&BigUint::from(a)), &n), j, "a={a}");
        }
        // (x/7): residues 1, 2, 4
        let n = to_limbs(&BigUint::from(7u8));
        for a in 1u8..7 {
            let j = if [1, 2, 4].contains(&a) { 1 } else { -1 };
            assert_eq!(jacobi_vartime(&to_limbs(&BigUint::from(a)), &n), j, "a={a}");
        }
    }

    proptest! {
        #[test]
        fn matches_oracle(a in any::<[u64; 4]>(), n in any::<[u64; 4]>()) {
            let mut n = n;
            n[0] |= 1;
            let nb = BigUint::from_slice(&n.iter().flat_map(|&x| [x as u32, (x >> 32) as u32]).collect::<Vec<_>>());
            let ab = BigUint::from_slice(&a.iter().flat_map(|&x| [x as u32, (x >> 32) as u32]).collect::<Vec<_>>()) % &nb;
            prop_assert_eq!(jacobi_vartime(&to_limbs(&ab), &n), jacobi_oracle(&ab, &nb));
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
            prop_assert_eq!(jacobi_vartime(&a, &n), jacobi_oracle(&big(&a), &big(&n)));
        }
    }
}
