//! 802.11 WPS IEs: parse and build a beacon IE (hostapd's, push-button active, with
//! AuthorizedMACs) and parse the ASUS probe response from iwd's vectors, joined from its
//! vendor elements.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::message::ie::{Beacon, ProbeResponse};
use wps_testkit::fixtures::pbc_beacon;

const ASUS_PROBE_RESPONSE: &str = "104a00011010440001021041000101101200020004105300022688103b00010310470010c44aad8d252f52c6f96b385dcb2331ae102100154153555354654b20436f6d707574657220496e632e1023001c57692d46692050726f74656374656420536574757020526f757465721024000852542d41433638551042001131303a63333a37623a35343a37343a64301054000800060050f20400011011000852542d4143363855100800022008103c0001031049000e00372a0001200106ffffffffffff";

fn ie(c: &mut Criterion) {
    let beacon = pbc_beacon();
    let bytes = beacon.to_bytes();
    c.bench_function("ie parse beacon", |b| {
        b.iter(|| Beacon::parse(black_box(&bytes)).map(|b| b.selected_registrar))
    });
    let mut out = Vec::with_capacity(128);
    c.bench_function("ie build beacon", |b| {
        b.iter(|| {
            out.clear();
            black_box(&beacon).emit(&mut out).map(|()| out.len())
        })
    });

    let attrs = hex::decode(ASUS_PROBE_RESPONSE).unwrap_or_default();
    let mut elements = Vec::new();
    wps::eap::element::split_vec(&attrs, &mut elements);
    let mut joined = [0u8; 512];
    c.bench_function("ie join+parse probe response", |b| {
        b.iter(|| {
            let n = wps::eap::element::join(black_box(&elements), &mut joined).map_or(0, |j| j.len);
            ProbeResponse::parse(&joined[..n]).map(|r| r.config_methods)
        })
    });
}

criterion_group!(benches, ie);
criterion_main!(benches);
