//! Reading NFC messages (NDEF, handover messages, tokens, carriers) and writing them into
//! a caller's buffer never touch the heap.
//!
//! The allocator of this test binary counts (stats_alloc, as tests/no_alloc.rs). One test
//! function only: the counts are global.

use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};
use std::alloc::System;
use std::hint::black_box;
use wps::nfc::handover::{Carrier, emit_handover_request};
use wps::nfc::ndef::Message;
use wps::nfc::{Contents, HandoverMessage, emit_wsc_record, read_ndef};
use wps::tlv::SliceBuf;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const TOKENS: &str = include_str!("vectors/nfc/nfc-tokens.txt");

fn reading_and_writing_nfc_do_not_allocate() {
    let all: Vec<Vec<u8>> = TOKENS
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| hex::decode(l.split_whitespace().nth(2).expect("hex")).expect("hex"))
        .collect();
    let mut hr = Vec::new();
    let request = all
        .iter()
        .find_map(|b| match read_ndef(b).ok()?.contents().ok()? {
            Contents::HandoverRequest(r) => Some(r),
            _ => None,
        })
        .expect("a request in the lab's bytes");
    emit_handover_request(&mut hr, 0x12, 7, &request).expect("Hr");
    let mut storage = vec![0u8; 1024];

    let region = Region::new(GLOBAL);
    let mut read = 0usize;
    for bytes in all.iter().chain([&hr]) {
        let ndef = read_ndef(black_box(bytes)).expect("lab bytes");
        let contents = ndef.contents().expect("lab bytes");
        let m = Message::parse(bytes).expect("lab bytes");
        if let Ok(h) = HandoverMessage::parse(m) {
            black_box(h.alternative_carriers().count());
        }
        let mut out = SliceBuf::new(&mut storage);
        match contents {
            Contents::PasswordToken(t) => {
                black_box(t.password());
                emit_wsc_record(&mut out, &t).expect("fits");
            }
            Contents::ConfigurationToken(t) => {
                black_box(t.credentials().count());
            }
            Contents::HandoverRequest(r) => {
                emit_wsc_record(&mut out, &Carrier(&r)).expect("fits");
            }
            Contents::HandoverSelect(s) => {
                emit_wsc_record(&mut out, &Carrier(&s)).expect("fits");
            }
        }
        read += 1;
    }
    let change = region.change();
    assert_eq!(read, 13);
    assert_eq!(
        (change.allocations, change.reallocations),
        (0, 0),
        "{change:?}"
    );
}

// No test harness (`harness = false`): libtest's own thread allocates while it waits,
// and the counts are global, so the region is measured with no other thread alive.
fn main() {
    reading_and_writing_nfc_do_not_allocate();
    println!("reading_and_writing_nfc_do_not_allocate: ok");
}
