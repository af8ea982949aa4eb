//! PIN math: checksum, validation, enumeration of every valid PIN, parsing.
//!
//! hostapd reference timings, measured on the same kind of machine by calling its
//! `wps_common.c` functions in a loop: `wps_pin_checksum` 12 ns, `wps_pin_valid` 14 ns,
//! all 10⁷ valid PINs 116 ms.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use wps::pin::{Pin, all_valid, checksum, is_valid};

fn bench_checksum(c: &mut Criterion) {
    let mut g = c.benchmark_group("pin");
    // 1000 consecutive prefixes per iteration, spread over the range, so the figure is
    // per call with the loop overhead amortised (hostapd's numbers are per call too).
    g.throughput(Throughput::Elements(1000));
    g.bench_function("checksum/1000", |b| {
        let mut start = 0u32;
        b.iter(|| {
            let mut acc = 0u32;
            for p in start..start + 1000 {
                acc = acc.wrapping_add(u32::from(checksum(black_box(p))));
            }
            start = (start + 7_919_003) % 9_000_000;
            acc
        })
    });
    g.bench_function("is_valid/1000", |b| {
        let mut start = 10_000_000u32;
        b.iter(|| {
            let mut n = 0u32;
            for p in start..start + 1000 {
                n += u32::from(is_valid(black_box(p)));
            }
            start = 10_000_000 + (start + 7_919_003) % 80_000_000;
            n
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pin");
    g.sample_size(10);
    g.throughput(Throughput::Elements(10_000_000));
    g.bench_function("all_valid", |b| {
        b.iter(|| all_valid().fold(0u32, |acc, v| acc.wrapping_add(black_box(v))))
    });
    g.finish();

    let mut g = c.benchmark_group("pin");
    for text in ["12345670", "1234-5670", "1234"] {
        g.bench_function(format!("parse/{text}"), |b| {
            b.iter(|| Pin::parse(black_box(text)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench_checksum);
criterion_main!(benches);
