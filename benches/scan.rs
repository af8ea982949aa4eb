//! Discovery: one Beacon with a 120-byte WPS IE into a scan table that already holds 16
//! APs (the element walk, the attribute parse, the table update). Goal: ≤ 150 ns.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::attr::{MacAddr, WscState};
use wps::message::ie::Beacon;
use wps::scan::{Frame, FrameKind, ScanTable};
use wps::time::Instant;
use wps_testkit::fixtures::pbc_beacon;

/// A push-button Beacon of a dual-band AP, its WPS attributes padded to 120 bytes with
/// an Application Extension, in a frame with SSID, rates, DS Parameter Set and RSN.
fn beacon_elements() -> Vec<u8> {
    let mut beacon = pbc_beacon();
    let pad = [0u8; 64];
    let base = beacon.buffer_len();
    beacon.application_extension = Some(&pad[..120 - base - 4]);
    let attrs = beacon.to_bytes();
    assert_eq!(attrs.len(), 120);
    let mut e = vec![0, 8, b'h', b'o', b'm', b'e', b'-', b'n', b'e', b't'];
    e.extend_from_slice(&[1, 8, 0x82, 0x84, 0x8b, 0x96, 0x0c, 0x12, 0x18, 0x24]);
    e.extend_from_slice(&[3, 1, 6]);
    e.extend_from_slice(&[48, 20, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 4, 1, 0]);
    e.extend_from_slice(&[0, 0x0f, 0xac, 2, 0, 0]);
    wps::eap::element::split_vec(&attrs, &mut e);
    e
}

fn scan(c: &mut Criterion) {
    let elements = beacon_elements();
    let mut table = ScanTable::<32>::new();
    let others = Beacon::new(WscState::Configured).to_bytes();
    let mut other_elements = vec![0, 1, b'x'];
    wps::eap::element::split_vec(&others, &mut other_elements);
    for n in 0..16 {
        let f = Frame::new(
            FrameKind::Beacon,
            MacAddr([2, 0, 0, 0, 1, n]),
            &other_elements,
        );
        table.ingest(&f, Instant::from_secs(1));
    }
    let frame = Frame {
        signal: Some(-50),
        ..Frame::new(FrameKind::Beacon, MacAddr([2, 0, 0, 0, 0, 1]), &elements)
    };
    let now = Instant::from_secs(2);
    c.bench_function("scan ingest beacon (120-byte WPS IE)", |b| {
        b.iter(|| table.ingest(black_box(&frame), now))
    });
    c.bench_function("scan choose_pbc (17 APs)", |b| {
        b.iter(|| black_box(&table).choose_pbc(now))
    });
}

criterion_group!(benches, scan);
criterion_main!(benches);
