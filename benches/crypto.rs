//! Crypto layer timings: DH group 5 at 256- and 1536-bit exponents, the peer-key check,
//! and the symmetric chain, on inputs from tests/vectors/hostapd-run-1.
//!
//! `cargo bench --bench crypto -- --warm-up-time 1 --measurement-time 3`
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::SeedableRng;
use serde_json::Value;
use sha2::{Digest, Sha256};
use wps::crypto::*;

fn run1() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/hostapd-run-1/vectors.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn h(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().unwrap()).unwrap()
}

fn arr<const N: usize>(v: &Value) -> [u8; N] {
    h(v).try_into().unwrap()
}

fn dh(c: &mut Criterion) {
    let v = run1();
    let pke = h(&v["enrollee"]["public_key"]);
    let x256 = [0x5au8; 32];
    let mut x1536 = [0xa5u8; 192];
    x1536[0] = 0x7f;
    let k256 = DhKeyPair::from_private(&x256).unwrap();
    let k1536 = DhKeyPair::from_private(&x1536).unwrap();

    let mut g = c.benchmark_group("dh");
    g.bench_function("keygen_256", |b| {
        b.iter(|| DhKeyPair::from_private(black_box(&x256)).unwrap())
    });
    g.bench_function("keygen_1536", |b| {
        b.iter(|| DhKeyPair::from_private(black_box(&x1536)).unwrap())
    });
    g.bench_function("peer_check", |b| {
        b.iter(|| check_peer_public_key(black_box(&pke)).unwrap())
    });
    g.bench_function("dh_key_256", |b| {
        b.iter(|| k256.dh_key(black_box(&pke)).unwrap())
    });
    g.bench_function("dh_key_1536", |b| {
        b.iter(|| k1536.dh_key(black_box(&pke)).unwrap())
    });
    let mut rng = rand::rngs::StdRng::seed_from_u64(1);
    g.bench_function("side_256_generate_and_dh_key", |b| {
        b.iter(|| {
            let k = DhKeyPair::generate(&mut rng);
            k.dh_key(black_box(&pke)).unwrap()
        })
    });
    g.finish();
}

fn symmetric(c: &mut Criterion) {
    let v = run1();
    let (en, re, keys) = (&v["enrollee"], &v["registrar"], &v["keys"]);
    let z = h(&keys["dh_shared"]);
    let dh_key = arr::<32>(&keys["dh_key"]);
    let (n1, n2) = (arr::<16>(&en["nonce"]), arr::<16>(&re["nonce"]));
    let mac: [u8; 6] = hex::decode(en["mac"].as_str().unwrap().replace(':', ""))
        .unwrap()
        .try_into()
        .unwrap();
    let (pke, pkr) = (h(&en["public_key"]), h(&re["public_key"]));
    let auth = arr::<32>(&keys["auth_key"]);
    let kwk = arr::<16>(&keys["key_wrap_key"]);
    let (es1, es2) = (arr::<16>(&en["e_s1"]), arr::<16>(&en["e_s2"]));
    let msgs: Vec<Vec<u8>> = v["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["op_code"] == "WSC_MSG")
        .map(|m| h(&m["wsc"]))
        .collect();
    let (m1, m2) = (&msgs[0], &msgs[1]);
    let es = v["encrypted_settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| h(&e["ciphertext"]).len() == 48)
        .unwrap();
    let es_value = [h(&es["iv"]), h(&es["ciphertext"])].concat();
    assert_eq!(es_value.len(), 64);

    let mut g = c.benchmark_group("sym");
    g.bench_function("dhkey_kdk_kdf", |b| {
        b.iter(|| {
            let d: [u8; 32] = Sha256::digest(black_box(&z)).into();
            let k = kdk(&d, &n1, &mac, &n2);
            SessionKeys::derive(&k)
        })
    });
    g.bench_function("kdk_kdf", |b| {
        b.iter(|| SessionKeys::derive(&kdk(black_box(&dh_key), &n1, &mac, &n2)))
    });
    g.bench_function("psk12_ehash12", |b| {
        b.iter(|| {
            let (p1, p2) = psks(black_box(&auth), b"12345670");
            (
                e_hash(&auth, &es1, &p1, &pke, &pkr),
                e_hash(&auth, &es2, &p2, &pke, &pkr),
            )
        })
    });
    g.bench_function("verify_authenticator_m2", |b| {
        b.iter(|| verify_authenticator(black_box(&auth), m1, m2).unwrap())
    });
    g.bench_function("decrypt_settings_64", |b| {
        let mut buf = es_value.clone();
        b.iter(|| {
            buf.copy_from_slice(&es_value);
            decrypt_settings_in_place(&kwk, black_box(&auth), &mut buf)
                .unwrap()
                .len()
        })
    });
    // Same steps as hostapd's 28.5 µs sum (perf-anchors.md §3).
    g.bench_function("full_symmetric_chain", |b| {
        let mut buf = es_value.clone();
        b.iter(|| {
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
        })
    });
    g.finish();
}

criterion_group!(benches, dh, symmetric);
criterion_main!(benches);
