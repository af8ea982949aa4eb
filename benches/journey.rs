//! A whole journey through the drivers: `Station` and `AccessPoint` exchanging EAPOL frames
//! in memory (EAPOL-Start … EAP-Failure), PIN on both sides. Against
//! `registration/full` (the machines alone) this is what the drivers add: EAP framing,
//! policy, events.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use wps::ap::{AccessPoint, ApConfig};
use wps::attr::{MacAddr, Uuid};
use wps::pin::DevicePassword;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Instant, Lifetime};

fn journey() -> usize {
    let now = Instant::ZERO;
    let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    let router = DeviceInfo::new(Uuid([2; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
    let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
    let pin = DevicePassword::from_bytes(b"12345670").unwrap();
    let mut ap = AccessPoint::new(ApConfig::new(router.clone(), vec![home]), rand::rng(), now);
    let mut station = Station::new(StationConfig::new(printer.clone()), rand::rng());
    ap.add_pin(None, pin.clone(), Lifetime::Forever, now)
        .unwrap();
    station.start_pin(pin, Lifetime::Forever, now);
    let mut frames = 0;
    loop {
        let mut moved = false;
        while let Some(t) = station.poll_transmit() {
            let _ = ap.handle_eapol(printer.mac, &t.eapol, now);
            frames += 1;
            moved = true;
        }
        while let Some(t) = ap.poll_transmit() {
            let _ = station.handle_eapol(router.mac, &t.eapol, now);
            frames += 1;
            moved = true;
        }
        if !moved {
            break;
        }
    }
    let ok = std::iter::from_fn(|| station.poll_event())
        .any(|e| matches!(e, StationEvent::Finished { outcome, .. } if outcome.is_success()));
    assert!(ok);
    frames
}

fn bench(c: &mut Criterion) {
    c.bench_function("journey/pin (drivers, both sides, EAPOL in memory)", |b| {
        b.iter(|| black_box(journey()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
