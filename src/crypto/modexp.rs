//! Modular exponentiation modulo the group-5 prime, constant-time in the exponent.
//!
//! The library uses the dedicated kernel in `monty1536`, which is faster (see
//! `benches/crypto.rs`). The crypto-bigint `ConstMontyForm` version below, with the prime
//! fixed at compile time, is kept as the reference the kernel is proven equal to (tests
//! only).

pub(crate) use super::monty1536::{pow, pow2};

#[cfg(test)]
use crypto_bigint::modular::ConstMontyForm;
#[cfg(test)]
use crypto_bigint::{U1536, const_monty_params};
#[cfg(test)]
use zeroize::Zeroize;

#[cfg(test)]
use super::dh::PUBLIC_KEY_LEN;
#[cfg(test)]
use super::secret::SecretBytes;

#[cfg(test)]
const_monty_params!(
    Group5Prime,
    U1536,
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74\
     020BBEA63B139B22514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F1437\
     4FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED\
     EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF05\
     98DA48361C55D39A69163FA8FD24CF5F83655D23DCA3AD961C62F356208552BB\
     9ED529077096966D670C354E4ABC9804F1746C08CA237327FFFFFFFFFFFFFFFF",
    "The RFC 3526 1536-bit MODP prime (WSC's DH group 5)."
);

#[cfg(test)]
type Fe = ConstMontyForm<Group5Prime, { U1536::LIMBS }>;

/// `base^exp mod p` for big-endian 192-byte operands, walking the low `exp_bits` bits of
/// `exp` in constant time (only `exp_bits` shows). `base` must be below p.
#[cfg(test)]
pub(crate) fn pow_crypto_bigint(
    base: &[u8; PUBLIC_KEY_LEN],
    exp: &[u8; PUBLIC_KEY_LEN],
    exp_bits: u32,
) -> SecretBytes<PUBLIC_KEY_LEN> {
    // 192 bytes is exactly U1536's size on every limb width, so these conversions
    // cannot fail.
    let b = Fe::new(&U1536::from_be_slice(base));
    let mut e = U1536::from_be_slice(exp);
    let mut r = b.pow_bounded_exp(&e, exp_bits).retrieve();
    let mut enc = r.to_be_bytes();
    let mut out = SecretBytes::<PUBLIC_KEY_LEN>::zero();
    out.as_mut_bytes().copy_from_slice(enc.as_ref());
    e.zeroize();
    r.zeroize();
    enc.zeroize();
    out
}
