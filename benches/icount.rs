//! Instruction-count harness for the parse/build hot paths (wall clock is too noisy on a
//! shared 2-core VM). Not a criterion bench: run the built binary under callgrind with an
//! operation name and an iteration count, once with 0 and once with N iterations; the
//! difference in `Ir` divided by N is the cost of one call:
//!
//! ```text
//! cargo bench --bench icount --no-run          # prints the binary's path
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null BIN parse-m1 0
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null BIN parse-m1 1000
//! ```
//!
//! `cargo bench` itself runs every operation once as a smoke test.

use std::hint::black_box;
use wps::attr::Attributes;
use wps::message::ie::Beacon;
use wps::message::{M1, M2, M8, Message};
use wps::tlv::{SliceBuf, TlvReader, write_tlv};
use wps_testkit::fixtures::pbc_beacon;
use wps_testkit::{build, vectors};

const OPS: &[&str] = &[
    "baseline",
    "tlv-walk-m1",
    "tlv-write-m1",
    "attributes-m1",
    "parse-m1",
    "parse-m2",
    "parse-m8",
    "typed-m1",
    "typed-m8",
    "build-m1",
    "build-m2",
    "beacon-parse",
    "beacon-build",
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (ops, iters): (Vec<&str>, u64) = match args.as_slice() {
        [op, n] if OPS.contains(&op.as_str()) => (vec![op.as_str()], n.parse().expect("count")),
        _ => (OPS.to_vec(), 1),
    };
    let [m1, m2, m8] = ["M1", "M2", "M8"].map(|n| vectors::message("hostapd-run-1", n));
    let tlvs: Vec<_> = TlvReader::new(&m1).map(|t| t.expect("valid")).collect();
    let v1 = M1::parse(&m1).expect("M1");
    let v2 = M2::parse(&m2).expect("M2");
    let beacon = pbc_beacon();
    let beacon_bytes = beacon.to_bytes();
    let mut storage = vec![0u8; 1024];
    let mut out_vec = Vec::with_capacity(128);

    for op in ops {
        let mut acc = 0usize;
        for _ in 0..iters {
            acc = acc.wrapping_add(match op {
                "baseline" => black_box(&m1).len(),
                "tlv-walk-m1" => {
                    let mut sum = 0usize;
                    for t in TlvReader::new(black_box(&m1)) {
                        let t = t.expect("valid");
                        sum += usize::from(t.attr_type) + t.value.len();
                    }
                    sum
                }
                "tlv-write-m1" => {
                    let mut out = SliceBuf::new(&mut storage);
                    for t in black_box(&tlvs) {
                        write_tlv(&mut out, t.attr_type, t.value).expect("room");
                    }
                    out.as_slice().len()
                }
                "attributes-m1" => Attributes::parse(black_box(&m1)).expect("valid").count(),
                "parse-m1" => {
                    (black_box(Message::parse(black_box(&m1)).expect("valid")).message_type()
                        == wps::attr::MessageType::M1) as usize
                }
                "parse-m2" => {
                    (black_box(Message::parse(black_box(&m2)).expect("valid")).message_type()
                        == wps::attr::MessageType::M1) as usize
                }
                "parse-m8" => {
                    (black_box(Message::parse(black_box(&m8)).expect("valid")).message_type()
                        == wps::attr::MessageType::M1) as usize
                }
                "typed-m1" => black_box(M1::parse(black_box(&m1)).expect("valid"))
                    .public_key
                    .len(),
                "typed-m8" => black_box(M8::parse(black_box(&m8)).expect("valid"))
                    .encrypted_settings
                    .len(),
                "build-m1" => build::m1(black_box(&v1), &mut storage),
                "build-m2" => build::m2(black_box(&v2), &mut storage),
                "beacon-parse" => usize::from(
                    Beacon::parse(black_box(&beacon_bytes))
                        .expect("valid")
                        .selected_registrar,
                ),
                "beacon-build" => {
                    out_vec.clear();
                    black_box(&beacon).emit(&mut out_vec).expect("room");
                    out_vec.len()
                }
                _ => unreachable!(),
            });
        }
        black_box(acc);
    }
}
