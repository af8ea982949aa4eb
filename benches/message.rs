//! Typed message parsing and building (run-1's M1, M2, M8).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::message::{M1, M2, M8, Message};
use wps_testkit::{build, vectors};

fn message(c: &mut Criterion) {
    let [m1, m2, m8] = ["M1", "M2", "M8"].map(|n| vectors::message("hostapd-run-1", n));
    for (name, bytes) in [("M1", &m1), ("M2", &m2), ("M8", &m8)] {
        c.bench_function(&format!("message/parse {name}"), |b| {
            b.iter(|| Message::parse(black_box(bytes)).expect("valid"))
        });
    }
    c.bench_function("message/parse M1 (typed only)", |b| {
        b.iter(|| M1::parse(black_box(&m1)).expect("valid"))
    });
    c.bench_function("message/parse M8 (typed only)", |b| {
        b.iter(|| M8::parse(black_box(&m8)).expect("valid"))
    });

    let v1 = M1::parse(&m1).expect("M1");
    let mut storage = vec![0u8; 1024];
    c.bench_function("message/build M1", |b| {
        b.iter(|| build::m1(black_box(&v1), &mut storage))
    });
    let v2 = M2::parse(&m2).expect("M2");
    c.bench_function("message/build M2", |b| {
        b.iter(|| build::m2(black_box(&v2), &mut storage))
    });
}

criterion_group!(benches, message);
criterion_main!(benches);
