//! A full in-memory registration (M1..WSC_Done, both sides, 256-bit DH exponents), and
//! its parts: the Diffie-Hellman work versus everything else.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::attr::{MacAddr, Uuid};
use wps::crypto::DhKeyPair;
use wps::pin::DevicePassword;
use wps::registration::*;
use wps::time::Instant;

fn config() -> (EnrolleeConfig, RegistrarConfig, DevicePassword) {
    let pin = DevicePassword::from_bytes(b"12345670").unwrap();
    let e = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    let r = DeviceInfo::new(Uuid([2; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
    let n = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
    (
        EnrolleeConfig::station(e, pin.clone()),
        RegistrarConfig::internal(r, vec![n]),
        pin,
    )
}

/// One whole run from fresh secrets; returns the number of messages.
fn full_run(
    e_secrets: SessionSecrets,
    r_secrets: SessionSecrets,
    cfg: &(EnrolleeConfig, RegistrarConfig, DevicePassword),
) -> usize {
    let now = Instant::ZERO;
    let mut e = Enrollee::new(cfg.0.clone(), e_secrets, now);
    let mut r = RegistrarSession::new(cfg.1.clone(), r_secrets, now);
    let mut src = FixedPassword::new(cfg.2.clone());
    let mut n = 1;
    let mut msg = e.start(now);
    while let Some(reply) = r.handle(&msg.bytes, now, &mut src) {
        n += 1;
        match e.handle(&reply.bytes, now) {
            Some(next) => {
                n += 1;
                msg = next;
            }
            None => break,
        }
    }
    assert!(e.is_success());
    n
}

fn bench(c: &mut Criterion) {
    let cfg = config();
    let mut rng = rand::rng();
    c.bench_function(
        "registration/full (keygen + 2 DH + rest, both sides)",
        |b| {
            b.iter(|| {
                let es = SessionSecrets::generate(&mut rng);
                let rs = SessionSecrets::generate(&mut rng);
                black_box(full_run(es, rs, &cfg))
            })
        },
    );
    // The same run with key pairs made outside the timed part: leaves the two shared
    // secret computations plus everything that is not DH.
    c.bench_function("registration/without keygen", |b| {
        b.iter_batched(
            || {
                (
                    SessionSecrets::generate(&mut rand::rng()),
                    SessionSecrets::generate(&mut rand::rng()),
                )
            },
            |(es, rs)| black_box(full_run(es, rs, &cfg)),
            criterion::BatchSize::SmallInput,
        )
    });
    let a = DhKeyPair::generate(&mut rng);
    let peer = DhKeyPair::generate(&mut rng).public_key();
    c.bench_function("registration/part: DH keygen (256-bit exponent)", |b| {
        b.iter(|| black_box(DhKeyPair::generate(&mut rng)))
    });
    c.bench_function("registration/part: DH shared secret + peer check", |b| {
        b.iter(|| black_box(a.dh_key(black_box(&peer)).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
