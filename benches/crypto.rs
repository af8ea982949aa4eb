//! Crypto layer timings: DH group 5 at 256- and 1536-bit exponents, the peer-key check,
//! and the symmetric chain, on inputs from tests/vectors/hostapd-run-1.
//!
//! `cargo bench --bench crypto -- --warm-up-time 1 --measurement-time 3`
//!
//! With `WPS_BENCH_CPU_TIME=1` every sample is the thread's CPU time instead of wall
//! time (Linux/Unix), so a busy shared machine skews results less; compare against
//! `benches/openssl_modexp.sh`, which reports CPU time as well.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main, measurement::WallTime};
use rand::SeedableRng;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wps::crypto::*;
use wps_testkit::vectors::hex;

#[cfg(unix)]
fn thread_cpu_time() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec; CLOCK_THREAD_CPUTIME_ID is supported on
    // every Unix this bench runs on.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    assert_eq!(rc, 0);
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

#[cfg(not(unix))]
fn thread_cpu_time() -> Duration {
    unreachable!("WPS_BENCH_CPU_TIME needs a Unix clock")
}

/// `b.iter(f)`, or its CPU-time equivalent when `WPS_BENCH_CPU_TIME` is set.
fn bench<O>(g: &mut criterion::BenchmarkGroup<'_, WallTime>, name: &str, mut f: impl FnMut() -> O) {
    if std::env::var_os("WPS_BENCH_CPU_TIME").is_some() {
        g.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let t0 = thread_cpu_time();
                for _ in 0..iters {
                    black_box(f());
                }
                thread_cpu_time() - t0
            })
        });
    } else {
        g.bench_function(name, |b| b.iter(&mut f));
    }
}

fn run1() -> Value {
    wps_testkit::vectors::run("hostapd-run-1")
}

fn arr<const N: usize>(v: &Value) -> [u8; N] {
    hex(v).try_into().unwrap()
}

fn dh(c: &mut Criterion) {
    let v = run1();
    let pke = hex(&v["enrollee"]["public_key"]);
    let x256 = [0x5au8; 32];
    let mut x1536 = [0xa5u8; 192];
    x1536[0] = 0x7f;
    let k256 = DhKeyPair::from_private(&x256).unwrap();
    let k1536 = DhKeyPair::from_private(&x1536).unwrap();

    let mut g = c.benchmark_group("dh");
    bench(&mut g, "keygen_256", || {
        DhKeyPair::from_private(black_box(&x256)).unwrap()
    });
    bench(&mut g, "keygen_1536", || {
        DhKeyPair::from_private(black_box(&x1536)).unwrap()
    });
    bench(&mut g, "peer_check", || {
        check_peer_public_key(black_box(&pke)).unwrap()
    });
    bench(&mut g, "dh_key_256", || {
        k256.dh_key(black_box(&pke)).unwrap()
    });
    bench(&mut g, "dh_key_1536", || {
        k1536.dh_key(black_box(&pke)).unwrap()
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    bench(&mut g, "side_256_generate_and_dh_key", || {
        let k = DhKeyPair::generate(&mut rng);
        k.dh_key(black_box(&pke)).unwrap()
    });
    g.finish();
}

fn symmetric(c: &mut Criterion) {
    let v = run1();
    let (en, re, keys) = (&v["enrollee"], &v["registrar"], &v["keys"]);
    let z = hex(&keys["dh_shared"]);
    let dh_key = arr::<32>(&keys["dh_key"]);
    let (n1, n2) = (arr::<16>(&en["nonce"]), arr::<16>(&re["nonce"]));
    let mac: [u8; 6] = hex::decode(en["mac"].as_str().unwrap().replace(':', ""))
        .unwrap()
        .try_into()
        .unwrap();
    let (pke, pkr) = (hex(&en["public_key"]), hex(&re["public_key"]));
    let auth = arr::<32>(&keys["auth_key"]);
    let kwk = arr::<16>(&keys["key_wrap_key"]);
    let (es1, es2) = (arr::<16>(&en["e_s1"]), arr::<16>(&en["e_s2"]));
    let msgs: Vec<Vec<u8>> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["op_code"] == "WSC_MSG")
        .map(|m| hex(&m["wsc"]))
        .collect();
    let (m1, m2) = (&msgs[0], &msgs[1]);
    let es = v["encrypted_settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| hex(&e["ciphertext"]).len() == 48)
        .unwrap();
    let es_value = [hex(&es["iv"]), hex(&es["ciphertext"])].concat();
    assert_eq!(es_value.len(), 64);

    let mut g = c.benchmark_group("sym");
    bench(&mut g, "dhkey_kdk_kdf", || {
        let d: [u8; 32] = Sha256::digest(black_box(&z)).into();
        SessionKeys::derive(&kdk(&d, &n1, &mac, &n2))
    });
    bench(&mut g, "kdk_kdf", || {
        SessionKeys::derive(&kdk(black_box(&dh_key), &n1, &mac, &n2))
    });
    bench(&mut g, "psk12_ehash12", || {
        let (p1, p2) = psks(black_box(&auth), b"12345670");
        (
            e_hash(&auth, &es1, &p1, &pke, &pkr),
            e_hash(&auth, &es2, &p2, &pke, &pkr),
        )
    });
    bench(&mut g, "verify_authenticator_m2", || {
        verify_authenticator(black_box(&auth), m1, m2).unwrap()
    });
    let mut buf = es_value.clone();
    bench(&mut g, "decrypt_settings_64", || {
        buf.copy_from_slice(&es_value);
        decrypt_settings_in_place(&kwk, black_box(&auth), &mut buf)
            .unwrap()
            .len()
    });
    // The same steps hostapd takes for one message pair (its wps_derive_keys,
    // wps_decrypt_encr_settings and authenticator checks): 28.5 µs summed there.
    let mut buf = es_value.clone();
    bench(&mut g, "full_symmetric_chain", || {
        let d: [u8; 32] = Sha256::digest(black_box(&z)).into();
        let s = SessionKeys::derive(&kdk(&d, &n1, &mac, &n2));
        let a = s.auth_key();
        let (p1, p2) = psks(a, b"12345670");
        let h1 = e_hash(a, &es1, &p1, &pke, &pkr);
        let h2 = e_hash(a, &es2, &p2, &pke, &pkr);
        let ok = verify_authenticator(a, m1, m2).is_ok();
        buf.copy_from_slice(&es_value);
        let n = decrypt_settings_in_place(s.key_wrap_key(), a, &mut buf).map_or(0, <[u8]>::len);
        (h1, h2, ok, n)
    });
    g.finish();
}

/// The same modexps with crypto-bigint's `ConstMontyForm` (the library's reference
/// implementation in tests), for comparison with `dh/keygen_*`.
fn crypto_bigint_reference(c: &mut Criterion) {
    use crypto_bigint::modular::ConstMontyForm;
    use crypto_bigint::{U1536, const_monty_params};
    const_monty_params!(P5, U1536, wps_testkit::fixtures::GROUP5_PRIME_HEX);
    let two = ConstMontyForm::<P5, { U1536::LIMBS }>::new(&U1536::from_u8(2));
    let mut x = [0xa5u8; 192];
    x[0] = 0x7f;
    let e = U1536::from_be_slice(&x);
    let mut g = c.benchmark_group("crypto_bigint");
    bench(&mut g, "pow_256", || {
        black_box(two).pow_bounded_exp(&e, 256).retrieve()
    });
    bench(&mut g, "pow_1536", || black_box(two).pow(&e).retrieve());
    g.finish();
}

criterion_group!(benches, dh, symmetric, crypto_bigint_reference);
criterion_main!(benches);
