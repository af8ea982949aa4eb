//! TLV codec: walking every attribute of run-1's M1 and writing them back.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::tlv::{SliceBuf, TlvReader, write_tlv};
use wps_testkit::vectors;

fn tlv(c: &mut Criterion) {
    let m1 = vectors::message("hostapd-run-1", "M1");
    c.bench_function("tlv/walk M1", |b| {
        b.iter(|| {
            let mut sum = 0usize;
            for t in TlvReader::new(black_box(&m1)) {
                let t = t.expect("valid");
                sum += usize::from(t.attr_type) + t.value.len();
            }
            sum
        })
    });
    let tlvs: Vec<_> = TlvReader::new(&m1).map(|t| t.expect("valid")).collect();
    let mut storage = vec![0u8; m1.len()];
    c.bench_function("tlv/write M1", |b| {
        b.iter(|| {
            let mut out = SliceBuf::new(&mut storage);
            for t in black_box(&tlvs) {
                write_tlv(&mut out, t.attr_type, t.value).expect("room");
            }
            out.as_slice().len()
        })
    });
}

criterion_group!(benches, tlv);
criterion_main!(benches);
