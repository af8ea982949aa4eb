//! Constant time, measured: a dudect-style test of the secret-dependent operations.
//!
//! For each operation, measurements of two input classes are interleaved in a random
//! order: class 0 gets a fixed input (for the comparisons: wrong in its last byte only;
//! for the exponentiation also: of low Hamming weight), class 1 a fresh random one (or
//! one of high weight). Welch's t statistic between the two classes' run
//! times is computed over all measurements and over the ones below a few percentiles
//! (the upper tail is mostly interrupts from the rest of the machine), and the largest
//! |t| is reported, as dudect does. |t| < 4.5 is the usual pass line: no difference
//! between the classes shows after that many measurements.
//!
//! ```text
//! cargo bench --bench constant_time                     # 10^6 / 10^4 measurements
//! WPS_CT_QUICK=1 cargo bench --bench constant_time      # 10^5 / 10^3 (CI)
//! cargo bench --bench constant_time -- dh               # only the operations named dh*
//! ```
//!
//! Output: one line per operation, `ct <operation> t=<value> n=<measurements>`, then a
//! verdict; the exit status is 1 when an operation reaches |t| ≥ 4.5 in three
//! measurements in a row (a real leak shows every time, a burst of load from the rest of
//! a shared machine seldom three times running).
//!
//! `WPS_CT_ONE=keygen-W` or `shared-W` (W: `w002`, `w032`, `w256`, `wrnd`, the exponent's
//! Hamming weight) runs one key generation (and shared secret) and exits, for instruction
//! counts under valgrind: `benches/ct_icount.sh` checks they are equal for every weight.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use aes::cipher::array::Array;
use aes::cipher::{BlockModeEncrypt, KeyIvInit};
use rand::{Rng, RngExt, SeedableRng};
use wps::crypto::*;
use wps::pin::{DevicePassword, Pin};

const THRESHOLD: f64 = 4.5;
const ATTEMPTS: u32 = 3;

/// Welford's running mean and variance of one class.
#[derive(Default, Clone, Copy)]
struct Moments {
    n: f64,
    mean: f64,
    m2: f64,
}

impl Moments {
    fn push(&mut self, x: f64) {
        self.n += 1.0;
        let d = x - self.mean;
        self.mean += d / self.n;
        self.m2 += d * (x - self.mean);
    }
    fn var(&self) -> f64 {
        if self.n < 2.0 {
            0.0
        } else {
            self.m2 / (self.n - 1.0)
        }
    }
}

/// Welch's t between the two classes.
fn welch(a: &Moments, b: &Moments) -> f64 {
    let se = (a.var() / a.n + b.var() / b.n).sqrt();
    if se == 0.0 || !se.is_finite() {
        0.0
    } else {
        (a.mean - b.mean) / se
    }
}

/// The largest |t| over all measurements and those below the 50th..99th percentile.
fn max_t(samples: &[(u8, u64)]) -> f64 {
    let mut times: Vec<u64> = samples.iter().map(|s| s.1).collect();
    times.sort_unstable();
    let cut = |q: f64| times[((times.len() - 1) as f64 * q) as usize];
    let mut worst = 0.0f64;
    for limit in [u64::MAX, cut(0.99), cut(0.9), cut(0.75), cut(0.5)] {
        let mut m = [Moments::default(); 2];
        for &(class, t) in samples {
            if t <= limit {
                m[class as usize].push(t as f64);
            }
        }
        if m[0].n > 10.0 && m[1].n > 10.0 {
            let t = welch(&m[0], &m[1]);
            if t.abs() > worst.abs() {
                worst = t;
            }
        }
    }
    worst
}

/// An operation under test: `prepare(class)` builds one input outside the timed region,
/// `run` is what is timed (`reps` times on the same input per measurement, so that fast
/// operations are well above the clock's resolution).
struct Op<'a, I> {
    reps: u32,
    prepare: Box<dyn FnMut(u8) -> I + 'a>,
    run: Box<dyn Fn(&I) + 'a>,
}

/// Inputs are prepared a batch at a time before any of them is timed (as dudect does),
/// so that nothing the preparation does for one class lingers into the timed region.
const BATCH: usize = 10_000;

fn measure<I>(op: &mut Op<'_, I>, n: usize, rng: &mut impl Rng) -> (f64, usize) {
    let mut samples = Vec::with_capacity(n);
    let mut batch = Vec::with_capacity(BATCH.min(n));
    let mut first = true;
    while samples.len() < n {
        batch.clear();
        for _ in 0..BATCH.min(n - samples.len()) {
            let class = rng.random::<u8>() & 1;
            batch.push((class, (op.prepare)(class)));
        }
        if first {
            // warm-up (caches, branch predictors, CPU frequency), not counted
            for (_, input) in batch.iter().take(100) {
                (op.run)(input);
            }
            first = false;
        }
        for (class, input) in &batch {
            let t0 = Instant::now();
            for _ in 0..op.reps {
                (op.run)(black_box(input));
            }
            let dt = t0.elapsed().as_nanos() as u64;
            samples.push((*class, dt));
        }
    }
    (max_t(&samples), n)
}

fn report(name: &str, what: &str, t: f64, n: usize, failed: &mut Vec<String>) {
    println!("ct {name} t={t:.2} n={n}    # {what}");
    if t.abs() >= THRESHOLD {
        failed.push(name.to_string());
    }
}

/// A 32-byte exponent of Hamming weight 2 or 256.
fn weight_exponent(high: bool) -> [u8; 32] {
    if high {
        [0xff; 32]
    } else {
        exponent_of("w002")
    }
}

/// The exponents of `WPS_CT_ONE`: Hamming weight 2, 32, 256, or a fixed random one
/// (about 128), all with the top bit set.
fn exponent_of(weight: &str) -> [u8; 32] {
    let mut e = [0u8; 32];
    match weight {
        "w002" => {
            e[0] = 0x80;
            e[31] = 0x01;
        }
        "w032" => {
            for i in (0..32).step_by(8) {
                e[i] = 0xff;
            }
        }
        "w256" => e = [0xff; 32],
        _ => {
            rand::rngs::StdRng::seed_from_u64(7).fill_bytes(&mut e);
            e[0] |= 0x80;
        }
    }
    e
}

fn one_shot(which: &str) -> ExitCode {
    let peer = DhKeyPair::from_private(&[0x5a; 32]).unwrap().public_key();
    let Some((op, weight @ ("w002" | "w032" | "w256" | "wrnd"))) = which.split_once('-') else {
        eprintln!("WPS_CT_ONE: keygen-W or shared-W, W one of w002 w032 w256 wrnd");
        return ExitCode::from(2);
    };
    let e = exponent_of(weight);
    let k = DhKeyPair::from_private(black_box(&e)).unwrap();
    match op {
        "keygen" => {
            black_box(k);
        }
        "shared" => {
            black_box(k.shared_secret(&peer).unwrap());
        }
        _ => {
            eprintln!("WPS_CT_ONE: keygen-W or shared-W");
            return ExitCode::from(2);
        }
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    if let Ok(which) = std::env::var("WPS_CT_ONE") {
        return one_shot(&which);
    }
    let quick = std::env::var("WPS_CT_QUICK").is_ok_and(|v| v == "1");
    let (fast_n, slow_n) = if quick {
        (100_000, 1_000)
    } else {
        (1_000_000, 10_000)
    };
    // `cargo bench` passes `--bench`; any other argument filters by name prefix
    let filter: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let wanted = |name: &str| filter.is_empty() || filter.iter().any(|f| name.starts_with(f));
    let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
    let mut seeds = rand::rngs::StdRng::seed_from_u64(0xf00d);
    let mut failed = Vec::new();
    println!(
        "dudect-style Welch's t-test, class 0 fixed (or low weight) vs class 1 random (or high weight); pass: |t| < {THRESHOLD}"
    );

    let auth_key = [0x42u8; 32];
    let kwk = [0x24u8; 16];

    macro_rules! run {
        ($name:expr, $what:expr, $n:expr, $reps:expr, $prepare:expr, $run:expr) => {
            if wanted($name) {
                let mut op = Op {
                    reps: $reps,
                    prepare: Box::new($prepare),
                    run: Box::new($run),
                };
                // A leak shows every time; a burst of load from the rest of the machine
                // rarely three times in a row. So an operation over the line is measured
                // again, up to three times in all, and fails only if it is over every time.
                let mut attempt = 1;
                let (mut t, mut n) = measure(&mut op, $n, &mut rng);
                while t.abs() >= THRESHOLD && attempt < ATTEMPTS {
                    println!(
                        "ct {} t={t:.2} n={n}    # over the line, measuring again",
                        $name
                    );
                    attempt += 1;
                    (t, n) = measure(&mut op, $n, &mut rng);
                }
                report($name, $what, t, n, &mut failed);
            }
        };
    }

    // The comparisons: both classes are wrong (so the result is the same); class 0 is
    // wrong in its last byte only, class 1 random. An early exit would show.
    let last_byte_wrong = |v: &mut [u8], class: u8, seeds: &mut rand::rngs::StdRng| {
        if class == 0 {
            if let Some(b) = v.last_mut() {
                *b ^= 1;
            }
        } else {
            seeds.fill_bytes(v);
        }
    };
    // A copy of `v` whose last 8 bytes (an authenticator) are wrong so.
    let tail_wrong = |v: &[u8], class: u8, seeds: &mut rand::rngs::StdRng| {
        let mut v = v.to_vec();
        let at = v.len() - 8;
        last_byte_wrong(&mut v[at..], class, seeds);
        v
    };

    // The control: a comparison that stops at the first difference. It must be caught,
    // or the harness has no power on this machine and its passes mean nothing.
    let reference = [0x5au8; 64];
    let mut control_t = None;
    if wanted("control") {
        let mut op = Op {
            reps: 1,
            prepare: Box::new(|class| {
                let mut v = reference;
                last_byte_wrong(&mut v, class, &mut seeds);
                v
            }),
            run: Box::new(|v: &[u8; 64]| {
                let mut equal = true;
                for (a, b) in reference.iter().zip(v.iter()) {
                    if black_box(*a) != *b {
                        equal = false;
                        break;
                    }
                }
                black_box(equal);
            }),
        };
        let (t, n) = measure(&mut op, fast_n, &mut rng);
        println!(
            "ct control_early_exit t={t:.2} n={n}    # a leaky comparison: must be over the line"
        );
        control_t = Some(t);
    }

    // The Authenticator (a message's last 8 bytes) and the KWA over 100 bytes of settings.
    let prev = vec![0x10u8; 400];
    let mut msg = vec![0x10u8; 300];
    msg.extend_from_slice(&AUTHENTICATOR_TLV_HEADER);
    let good = authenticator(&auth_key, &prev, &msg[..300]);
    msg.extend_from_slice(&good);
    let mut data = vec![0x10u8; 100];
    let kwa = key_wrap_authenticator(&auth_key, &data);
    data.extend_from_slice(&KWA_TLV_HEADER);
    data.extend_from_slice(&kwa);
    let verify_msg = |m: &[u8]| verify_authenticator(&auth_key, &prev, m).is_ok();
    let verify_data = |d: &[u8]| verify_key_wrap_authenticator(&auth_key, d).is_ok();
    // (name, what it compares, the right bytes, the check)
    type Check<'a> = (&'a str, &'a str, &'a [u8], &'a dyn Fn(&[u8]) -> bool);
    let authenticators: [Check; 2] = [
        (
            "verify_authenticator",
            "Authenticator wrong in its last byte vs random",
            &msg,
            &verify_msg,
        ),
        (
            "verify_key_wrap_authenticator",
            "KWA wrong in its last byte vs random",
            &data,
            &verify_data,
        ),
    ];
    for (name, what, good, verify) in authenticators {
        run!(
            name,
            what,
            fast_n,
            1,
            |class| tail_wrong(good, class, &mut seeds),
            |m: &Vec<u8>| {
                black_box(verify(m));
            }
        );
    }

    // E-Hash (R-Hash is the same function)
    let (nonce, psk1) = ([7u8; 16], [9u8; 16]);
    let (pke, pkr) = ([0xaau8; 192], [0xbbu8; 192]);
    let eh = e_hash(&auth_key, &nonce, &psk1, &pke, &pkr);
    run!(
        "verify_e_hash",
        "E-Hash wrong in its last byte vs random (R-Hash: the same function)",
        fast_n,
        1,
        |class| {
            let mut h = [0u8; 32];
            h.copy_from_slice(&eh);
            last_byte_wrong(&mut h, class, &mut seeds);
            h
        },
        |h: &[u8; 32]| {
            let _ = black_box(verify_e_hash(&auth_key, &nonce, &psk1, &pke, &pkr, h));
        }
    );

    // PIN and device password comparison
    let pin = Pin::parse("12345670").unwrap();
    let near = Pin::from_prefix(1_234_568).unwrap(); // the same first six digits
    run!(
        "pin_eq",
        "Pin == a PIN that shares its first six digits vs a random PIN",
        fast_n,
        64,
        |class| {
            if class == 0 {
                near.clone()
            } else {
                Pin::random(&mut seeds)
            }
        },
        |p: &Pin| {
            black_box(black_box(&pin) == p);
        }
    );
    let pw = DevicePassword::from_bytes(b"0123456789abcdef").unwrap();
    run!(
        "device_password_eq",
        "DevicePassword == 16 bytes wrong in the last one vs 16 random bytes",
        fast_n,
        64,
        |class| {
            let mut b = *b"0123456789abcdef";
            last_byte_wrong(&mut b, class, &mut seeds);
            DevicePassword::from_bytes(&b).unwrap()
        },
        |p: &DevicePassword| {
            black_box(black_box(&pw) == p);
        }
    );

    // Encrypted Settings: 60 bytes of attributes, the KWA TLV, and 8 bytes of padding
    // of which the 7 before the pad length are wrong: in class 0 only the last of them,
    // in class 1 all (random). Both end in BadPadding with the same length; a padding
    // check that stops at the first wrong byte would show.
    let plain = {
        let mut p = vec![0x10u8; 60];
        p.extend_from_slice(&KWA_TLV_HEADER);
        p.extend_from_slice(&[0u8; 8]);
        p.extend_from_slice(&[8u8; 8]);
        p
    };
    run!(
        "settings_padding",
        "decrypt_settings_in_place: padding wrong in its last byte vs in all",
        fast_n,
        1,
        |class| {
            let mut p = plain.clone();
            if class == 0 {
                p[78] ^= 1;
            } else {
                for b in &mut p[72..79] {
                    *b ^= seeds.random::<u8>() | 1;
                }
            }
            let iv = [3u8; 16];
            let (blocks, _) = Array::slice_as_chunks_mut(&mut p);
            cbc::Encryptor::<aes::Aes128>::new((&kwk).into(), (&iv).into()).encrypt_blocks(blocks);
            let mut c = iv.to_vec();
            c.extend_from_slice(&p);
            c
        },
        |c: &Vec<u8>| {
            let mut v = c.clone();
            let _ = black_box(decrypt_settings_in_place(&kwk, &auth_key, &mut v));
        }
    );

    // DH: key generation (2^x) and shared secret (y^x), 256-bit exponents
    let fixed = {
        let mut e = [0u8; 32];
        seeds.fill_bytes(&mut e);
        e
    };
    let peer = DhKeyPair::from_private(&[0x5a; 32]).unwrap().public_key();
    let random_exp = |seeds: &mut rand::rngs::StdRng| {
        let mut e = [0u8; 32];
        seeds.fill_bytes(&mut e);
        e[0] |= 0x80;
        e
    };
    run!(
        "dh_keygen_fixed_random",
        "DhKeyPair::from_private, a fixed 32-byte exponent vs random ones",
        slow_n,
        1,
        |class| if class == 0 {
            fixed
        } else {
            random_exp(&mut seeds)
        },
        |e: &[u8; 32]| {
            black_box(DhKeyPair::from_private(e).unwrap());
        }
    );
    run!(
        "dh_keygen_weight",
        "DhKeyPair::from_private, exponent of Hamming weight 2 vs 256",
        slow_n,
        1,
        |class| weight_exponent(class == 1),
        |e: &[u8; 32]| {
            black_box(DhKeyPair::from_private(e).unwrap());
        }
    );
    let pairs = |class: u8, seeds: &mut rand::rngs::StdRng, weight: bool| {
        let e = if weight {
            weight_exponent(class == 1)
        } else if class == 0 {
            fixed
        } else {
            random_exp(seeds)
        };
        DhKeyPair::from_private(&e).unwrap()
    };
    for (name, what, weight) in [
        (
            "dh_shared_fixed_random",
            "shared_secret, a fixed 32-byte exponent vs random ones",
            false,
        ),
        (
            "dh_shared_weight",
            "shared_secret, exponent of Hamming weight 2 vs 256",
            true,
        ),
    ] {
        run!(
            name,
            what,
            slow_n,
            1,
            |class| pairs(class, &mut seeds, weight),
            |k: &DhKeyPair| {
                black_box(k.shared_secret(&peer).unwrap());
            }
        );
    }

    if let Some(t) = control_t
        && t.abs() < THRESHOLD
    {
        println!("verdict: the leaky control was not caught (|t| < {THRESHOLD}): no power here");
        return ExitCode::FAILURE;
    }
    if failed.is_empty() {
        println!("verdict: constant time (every |t| < {THRESHOLD})");
        ExitCode::SUCCESS
    } else {
        println!(
            "verdict: timing depends on the secret in {} (|t| >= {THRESHOLD})",
            failed.join(", ")
        );
        ExitCode::FAILURE
    }
}
