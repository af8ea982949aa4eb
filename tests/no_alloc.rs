//! Parsing and building into a caller's buffer never touch the heap.
//!
//! The allocator of this test binary counts (stats_alloc: a counting wrapper around the
//! system allocator, so no `unsafe` here). Everything is set up first; then the parsers
//! run inside a region that must see no allocation. One test function only: the counts
//! are global, so it runs without the test harness (whose thread could allocate meanwhile).

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;
use wps::attr::{Attributes, WscState};
use wps::message::ie::Beacon;
use wps::message::{Extra, M1, M2, M8, Message};
use wps::tlv::{SliceBuf, TlvReader, write_tlv};
use wps_testkit::vectors;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

fn parsing_and_building_do_not_allocate() {
    let messages = vectors::messages("hostapd-run-1");
    let [m1, m2, m8] = ["M1", "M2", "M8"].map(|name| vectors::message("hostapd-run-1", name));
    let (m1, m2, m8) = (m1.as_slice(), m2.as_slice(), m8.as_slice());
    let beacon = Beacon::new(WscState::Configured).to_bytes();
    let mut truncated = m1.to_vec();
    truncated.truncate(m1.len() - 3);
    let mut m1_then_m2 = m1.to_vec();
    write_tlv(&mut m1_then_m2, 0x1022, &[0x05]).expect("write");
    let mut storage = vec![0u8; 2048];
    // Scan frames: one WPS element, two (joined on the stack), a damaged tail.
    let mut one = vec![0, 4, b'h', b'o', b'm', b'e', 3, 1, 6];
    wps::eap::element::split_vec(&beacon, &mut one);
    let (a, b) = beacon.split_at(5);
    let mut two = Vec::new();
    wps::eap::element::split_vec(a, &mut two);
    wps::eap::element::split_vec(b, &mut two);
    let mut damaged = one.clone();
    damaged.extend_from_slice(&[48, 99, 1]);
    let mut table = Box::new(wps::scan::ScanTable::<4>::new());
    let bssids = (0..6u8).map(|n| wps::attr::MacAddr([2, 0, 0, 0, 0, n]));
    let frames: Vec<_> = bssids
        .zip([&one, &two, &damaged, &one, &one, &two].into_iter().cycle())
        .map(|(bssid, e)| wps::scan::Frame::new(wps::scan::FrameKind::Beacon, bssid, e))
        .collect();

    let region = Region::new(GLOBAL);
    // The scan's per-frame path, eviction of a full table included.
    for (i, f) in frames.iter().enumerate() {
        let now = wps::time::Instant::from_secs(i as u64);
        black_box(table.ingest(black_box(f), now));
        black_box(table.choose_pbc(now));
    }
    // Every message of the run but WSC_Start (no attributes).
    for (_, bytes) in messages.iter().filter(|(_, b)| !b.is_empty()) {
        for t in TlvReader::new(black_box(bytes)) {
            black_box(t.expect("valid"));
        }
        black_box(Attributes::parse(black_box(bytes)).expect("valid"));
        black_box(Message::parse(black_box(bytes)).expect("valid"));
    }
    let v1 = M1::parse(black_box(m1)).expect("M1");
    let v2 = M2::parse(black_box(m2)).expect("M2");
    black_box(M8::parse(black_box(m8)).expect("M8"));
    black_box(Beacon::parse(black_box(&beacon)).expect("beacon"));
    // Error paths and the general fallback too.
    black_box(Message::parse(black_box(&truncated)).expect_err("truncated"));
    black_box(Message::parse(black_box(&m1_then_m2)).expect_err("not an M1 any more"));
    // Building into a caller's buffer, in hostapd's order and in the peer's.
    let mut out = SliceBuf::new(&mut storage);
    v1.emit(&mut out).expect("room");
    v2.emit_preserving(&mut out).expect("room");
    let written = out.as_slice().len();
    let change = region.change();

    assert_eq!(written, m1.len() + m2.len());
    assert_eq!(
        (change.allocations, change.reallocations),
        (0, 0),
        "{change:?}"
    );

    // to_bytes allocates once, at the final size, for a parsed and for a built message.
    let built = M1 {
        extra: Extra::NONE,
        ..v1
    };
    for (what, msg) in [("parsed", Message::M1(v1)), ("built", Message::M1(built))] {
        let region = Region::new(GLOBAL);
        let bytes = msg.to_bytes();
        let change = region.change();
        assert_eq!(bytes, m1, "{what}");
        assert_eq!(
            (change.allocations, change.reallocations),
            (1, 0),
            "{what}: {change:?}"
        );
    }
}

// No test harness (`harness = false`): libtest's own thread allocates while it waits,
// and the counts are global, so the region is measured with no other thread alive.
fn main() {
    parsing_and_building_do_not_allocate();
    println!("parsing_and_building_do_not_allocate: ok");
}
