//! Secret independence under valgrind's memcheck (ctgrind): the secrets of each
//! operation are marked *undefined* through valgrind client requests, so that memcheck
//! reports every conditional jump and every memory address that depends on them
//! ("Conditional jump or move depends on uninitialised value(s)", "Use of uninitialised
//! value"). Each operation must run without a single report. Its public results (the
//! verdict of a check, a public key) are marked defined again before they are looked at.
//!
//! ```text
//! bash tests/secret_independence.sh     # release build under valgrind; exit 1 on a report
//! ```
//!
//! Outside valgrind the client requests do nothing and the binary only runs the
//! operations once (`cargo test` does that). x86_64 only: the client request is that
//! architecture's magic instruction sequence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use std::hint::black_box;
use std::process::ExitCode;

use wps::crypto::*;
use wps::pin::{DevicePassword, Pin};

/// valgrind's client requests (valgrind.h, memcheck.h).
mod valgrind {
    const RUNNING_ON_VALGRIND: usize = 0x1001;
    const COUNT_ERRORS: usize = 0x1201;
    /// `VG_USERREQ_TOOL_BASE('M', 'C')`.
    const MEMCHECK_BASE: usize = (b'M' as usize) << 24 | (b'C' as usize) << 16;
    const MAKE_MEM_UNDEFINED: usize = MEMCHECK_BASE + 1;
    const MAKE_MEM_DEFINED: usize = MEMCHECK_BASE + 2;

    #[cfg(target_arch = "x86_64")]
    fn request(default: usize, args: [usize; 6]) -> usize {
        let result: usize;
        // SAFETY: the special instruction sequence is a no-op on a real CPU (rdi is
        // rotated by 128 bits in all, rbx exchanged with itself); under valgrind it
        // hands `args` to the tool, which reads the array and answers in rdx.
        unsafe {
            core::arch::asm!(
                "rol rdi, 3",
                "rol rdi, 13",
                "rol rdi, 61",
                "rol rdi, 51",
                "xchg rbx, rbx",
                inout("rdx") default => result,
                in("rax") args.as_ptr(),
                inout("rdi") 0usize => _,
                options(nostack),
            );
        }
        result
    }

    #[cfg(not(target_arch = "x86_64"))]
    fn request(default: usize, _args: [usize; 6]) -> usize {
        default
    }

    pub fn running() -> bool {
        request(0, [RUNNING_ON_VALGRIND, 0, 0, 0, 0, 0]) != 0
    }

    /// Errors memcheck has found so far.
    pub fn errors() -> usize {
        request(0, [COUNT_ERRORS, 0, 0, 0, 0, 0])
    }

    /// The bytes of `v` are secret from here on.
    pub fn secret<T: ?Sized>(v: &T) {
        let (p, n) = (core::ptr::from_ref(v).cast::<u8>() as usize, size_of_val(v));
        request(0, [MAKE_MEM_UNDEFINED, p, n, 0, 0, 0]);
    }

    /// The bytes of `v` are public from here on (a verdict, a public key).
    pub fn public<T: ?Sized>(v: &T) {
        let (p, n) = (core::ptr::from_ref(v).cast::<u8>() as usize, size_of_val(v));
        request(0, [MAKE_MEM_DEFINED, p, n, 0, 0, 0]);
    }
}

use valgrind::{public, secret};

/// A random generator whose every byte is secret (for key generation).
struct SecretRng(common::pair::TestRng);

impl rand_core::TryRng for SecretRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        let v = self.0.try_next_u32()?;
        secret(&v);
        Ok(v)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        let v = self.0.try_next_u64()?;
        secret(&v);
        Ok(v)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        self.0.try_fill_bytes(dst)?;
        secret(dst);
        Ok(())
    }
}
impl rand_core::TryCryptoRng for SecretRng {}

/// The verdict of a check, public from here on.
fn verdict<T, E>(r: Result<T, E>) -> bool {
    let ok = r.is_ok();
    public(&ok);
    ok
}

fn main() -> ExitCode {
    let under_valgrind = valgrind::running();
    let mut failed = Vec::new();
    let mut check = |name: &str, op: &mut dyn FnMut() -> bool| {
        let before = valgrind::errors();
        let right = op();
        let reports = valgrind::errors() - before;
        println!(
            "secret-independent {name}: {}{}",
            if reports == 0 { "ok" } else { "FAILED" },
            if reports == 0 {
                String::new()
            } else {
                format!(" ({reports} memcheck reports on secret data)")
            }
        );
        if reports != 0 || !right {
            if !right {
                println!("  … and the operation gave the wrong answer");
            }
            failed.push(name.to_owned());
        }
    };

    let peer = DhKeyPair::from_private(&[0x5a; 32]).unwrap();
    let peer_public = peer.public_key();
    check("dh_keygen", &mut || {
        let k = DhKeyPair::generate(&mut SecretRng(common::pair::TestRng(7)));
        let public_key = k.public_key();
        public(&public_key);
        black_box(public_key) != [0; 192]
    });
    check("dh_shared_secret", &mut || {
        let k = DhKeyPair::generate(&mut SecretRng(common::pair::TestRng(11)));
        let public_key = k.public_key();
        public(&public_key);
        let mine = k.shared_secret(&peer_public).unwrap();
        let theirs = peer.shared_secret(&public_key).unwrap();
        let mut same = bool::from(subtle::ConstantTimeEq::ct_eq(
            mine.as_bytes().as_slice(),
            theirs.as_bytes().as_slice(),
        ));
        public(&same);
        same = black_box(same);
        same
    });

    let auth_key = [0x42u8; 32];
    let (nonce, psk1) = ([7u8; 16], [9u8; 16]);
    let (pke, pkr) = ([0xaau8; 192], [0xbbu8; 192]);
    let hash = e_hash(&auth_key, &nonce, &psk1, &pke, &pkr);
    check("verify_e_hash", &mut || {
        let (k, n, p) = (auth_key, nonce, psk1);
        secret(&k);
        secret(&n);
        secret(&p);
        let mut wrong = hash;
        wrong[31] ^= 1;
        verdict(verify_e_hash(&k, &n, &p, &pke, &pkr, &hash))
            && !verdict(verify_e_hash(&k, &n, &p, &pke, &pkr, &wrong))
    });

    let prev = vec![0x10u8; 400];
    let mut msg = vec![0x10u8; 300];
    msg.extend_from_slice(&AUTHENTICATOR_TLV_HEADER);
    let tag = authenticator(&auth_key, &prev, &msg[..300]);
    msg.extend_from_slice(&tag);
    check("verify_authenticator", &mut || {
        let k = auth_key;
        secret(&k);
        let mut wrong = msg.clone();
        *wrong.last_mut().unwrap() ^= 1;
        verdict(verify_authenticator(&k, &prev, &msg))
            && !verdict(verify_authenticator(&k, &prev, &wrong))
    });

    let mut settings = vec![0x10u8; 100];
    let kwa = key_wrap_authenticator(&auth_key, &settings);
    settings.extend_from_slice(&KWA_TLV_HEADER);
    settings.extend_from_slice(&kwa);
    check("verify_key_wrap_authenticator", &mut || {
        let k = auth_key;
        secret(&k);
        // The settings are secret too, but for the TLV header the check looks for: its
        // place is public (the last 12 bytes) and its value fixed.
        let mut plain = settings.clone();
        let body = plain.len() - 12;
        secret(&plain[..body]);
        secret(&plain[body + 4..]);
        let good = verdict(verify_key_wrap_authenticator(&k, &plain));
        plain[body + 11] ^= 1;
        good && !verdict(verify_key_wrap_authenticator(&k, &plain))
    });

    check("settings_padding", &mut || settings_padding(&auth_key));

    let pin = Pin::parse("12345670").unwrap();
    check("pin_eq", &mut || {
        let (a, b) = (pin.clone(), Pin::from_prefix(1_234_568).unwrap());
        secret(&a);
        secret(&b);
        let mut same = (a == pin.clone(), a == b);
        public(&same);
        same = black_box(same);
        same == (true, false)
    });
    check("device_password_eq", &mut || {
        let a = DevicePassword::from_bytes(b"0123456789abcdef").unwrap();
        let b = DevicePassword::from_bytes(b"0123456789abcdeg").unwrap();
        secret(a.as_bytes());
        secret(b.as_bytes());
        let mut same = (a == a.clone(), a == b);
        public(&same);
        same = black_box(same);
        same == (true, false)
    });

    if !under_valgrind {
        println!("secret independence: not under valgrind, the operations ran once (no check)");
        return if failed.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        };
    }
    if failed.is_empty() {
        println!("secret independence: no branch or address depends on a secret");
        ExitCode::SUCCESS
    } else {
        println!("secret independence: FAILED: {}", failed.join(", "));
        ExitCode::FAILURE
    }
}

/// The PKCS#7 padding check of Encrypted Settings, on one block: the KWA TLV (public
/// header, secret value) and four bytes of padding, of which the three before the pad
/// length are secret (the pad length is public: it fixes the plaintext's length). CBC
/// makes the first block's plaintext D(C_1) ^ IV, so those IV bytes carry the secret.
fn settings_padding(auth_key: &[u8; 32]) -> bool {
    use aes::cipher::array::Array;
    use aes::cipher::{BlockModeEncrypt, KeyIvInit};
    let kwk = [0x24u8; 16];
    let iv = [3u8; 16];
    let encrypt = |plain: &[u8]| {
        let mut p = plain.to_vec();
        let (blocks, _) = Array::slice_as_chunks_mut(&mut p);
        cbc::Encryptor::<aes::Aes128>::new(&kwk.into(), &iv.into()).encrypt_blocks(blocks);
        let mut value = iv.to_vec();
        value.extend_from_slice(&p);
        value
    };
    let run = |mut value: Vec<u8>| {
        let k = *auth_key;
        secret(&k);
        secret(&value[12..15]);
        verdict(decrypt_settings_in_place(&kwk, &k, &mut value))
    };
    let mut plain = KWA_TLV_HEADER.to_vec();
    plain.extend_from_slice(&key_wrap_authenticator(auth_key, &[]));
    plain.extend_from_slice(&[4u8; 4]);
    let good = run(encrypt(&plain));
    plain[13] ^= 1; // a padding byte
    good && !run(encrypt(&plain))
}
