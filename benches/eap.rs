//! EAP-WSC framing: fragment a 400-byte message (about the size of M1) and
//! reassemble it, at the default fragment size and at 100.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::eap::{Fragmenter, OpCode, Reassembled, Reassembler};

fn fragment_reassemble(c: &mut Criterion) {
    let msg: Vec<u8> = (0..400u32).map(|i| i as u8).collect();
    let mut buf = vec![0u8; 50_000];
    for size in [1400usize, 100] {
        c.bench_function(&format!("eap fragment+reassemble 400 B @ {size}"), |b| {
            b.iter(|| {
                let mut r = Reassembler::new(&mut buf);
                let mut len = 0;
                for frame in Fragmenter::new(OpCode::Msg, black_box(&msg), size).unwrap() {
                    if let Ok(Reassembled::Complete { message, .. }) = r.push(&frame) {
                        len = message.len();
                    }
                }
                black_box(len)
            })
        });
    }
}

criterion_group!(benches, fragment_reassemble);
criterion_main!(benches);
