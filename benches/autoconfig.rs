//! IEEE 1905 autoconfiguration: the controller building one M2 for one BSS, and the
//! agent checking it (each side one 1536-bit exponentiation with a 256-bit exponent,
//! plus the peer-key check, KDF, AES and two HMACs).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::attr::{MacAddr, RfBands, Uuid};
use wps::autoconfig::{Agent, Bss, BssConfig, M2Secrets, build_m2};
use wps::crypto::DhKeyPair;
use wps::registration::{DeviceInfo, NetworkSettings};

fn bench(c: &mut Criterion) {
    let mut radio = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "agent");
    radio.rf_bands = RfBands::BAND_5_GHZ;
    let controller = DeviceInfo::new(Uuid([9; 16]), MacAddr([2, 0, 0, 0, 0, 9]), "controller");
    let agent = Agent::from_parts(
        &radio,
        DhKeyPair::from_private(&[0x5a; 32]).unwrap(),
        [1; 16],
    );
    let secrets = M2Secrets::from_parts(&[0xa5; 32], [2; 16], [3; 16]).unwrap();
    let bss = BssConfig::Configure(Bss::new(
        NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap(),
        false,
        true,
    ));
    let m2 = build_m2(&controller, agent.m1(), &bss, &secrets).unwrap();

    let mut g = c.benchmark_group("autoconfig");
    g.bench_function("controller: build_m2, one BSS (fixed secrets)", |b| {
        b.iter(|| build_m2(&controller, black_box(agent.m1()), &bss, &secrets).unwrap())
    });
    g.bench_function("agent: process_m2", |b| {
        b.iter(|| agent.process_m2(black_box(&m2)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
