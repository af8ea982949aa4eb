//! Soak: many registrations through the drivers (`Station` ↔ `AccessPoint`, in memory,
//! on simulated time) in one process, with the heap counted (stats_alloc, no `unsafe`
//! here). A mix of ten: five PIN successes (PINs for one device and for any), two wrong
//! PINs (either half), one run whose enrollee vanishes after M1 (both sides time out),
//! one push-button success and one push-button overlap (two enrollees at once).
//!
//! `cargo test --release --test soak -- 100000` runs 100 000 registrations; with no
//! count it runs 2 000. It prints the heap at checkpoints (after the first 1 000, then
//! every tenth of the run) and fails when live heap after the run is above what it was
//! at the first checkpoint, or when a registration ends otherwise than planned.

mod common;

use common::air::{Air, station_uuid};
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use std::alloc::System;
use wps::pin::{DevicePassword, Pin};
use wps::time::{Duration, Lifetime};
use wps::{Outcome, RunError};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const STATIONS: usize = 6;
const FIRST_CHECKPOINT: u64 = 1_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Success,
    WrongPin,
    Timeout,
    PbcSuccess,
    PbcOverlap,
}

const MIX: [Kind; 10] = [
    Kind::Success,
    Kind::WrongPin,
    Kind::Success,
    Kind::Timeout,
    Kind::Success,
    Kind::PbcSuccess,
    Kind::Success,
    Kind::WrongPin,
    Kind::Success,
    Kind::PbcOverlap,
];

fn pin_of(prefix: u32) -> DevicePassword {
    DevicePassword::from_bytes(Pin::from_prefix(prefix).unwrap().as_str().as_bytes()).unwrap()
}

/// Heap in use now: (bytes, allocations).
fn live() -> (i128, i128) {
    let s = GLOBAL.stats();
    // stats_alloc books a realloc's growth or shrinking in these two as well.
    let bytes = s.bytes_allocated as i128 - s.bytes_deallocated as i128;
    let blocks = s.allocations as i128 - s.deallocations as i128;
    (bytes, blocks)
}

fn outcome(air: &Air, i: usize) -> Outcome {
    match air.station_result(i) {
        (Some(o), _) => o.clone(),
        other => panic!("station {i} did not finish: {other:?}"),
    }
}

/// One registration of `kind`, number `n`; returns the outcome of the station(s).
fn register(air: &mut Air, kind: Kind, n: u64) -> Vec<Outcome> {
    let i = (n % STATIONS as u64) as usize;
    let prefix = 1_000_000 + (n % 9_000_000) as u32;
    let now = air.now;
    let ended = match kind {
        Kind::Success | Kind::WrongPin | Kind::Timeout => {
            // Every other PIN is for this device only, the rest for any device.
            let uuid = n.is_multiple_of(2).then(|| station_uuid(i));
            air.ap
                .add_pin(uuid, pin_of(prefix), Lifetime::Forever, now)
                .unwrap();
            let typed = match kind {
                // A wrong half: the first or the second.
                Kind::WrongPin if n % 4 < 2 => pin_of(prefix + 1_000),
                Kind::WrongPin => pin_of(prefix ^ 1),
                _ => pin_of(prefix),
            };
            if kind == Kind::Timeout {
                // EAPOL-Start, Identity, M1: then the enrollee is gone.
                air.budget[i] = Some(3);
            }
            air.stations[i].start_pin(typed, Lifetime::Forever, now);
            let wait = if kind == Kind::Timeout { 130 } else { 1 };
            air.wait(Duration::from_secs(wait));
            air.budget[i] = None;
            // A PIN left behind (wrong first half, timeout) is not for the next run.
            air.ap.cancel(air.now);
            vec![outcome(air, i)]
        }
        Kind::PbcSuccess => {
            air.ap.push_button(now).unwrap();
            air.stations[i].press_button(now);
            air.wait(Duration::from_secs(1));
            vec![outcome(air, i)]
        }
        Kind::PbcOverlap => {
            let j = (i + 1) % STATIONS;
            air.ap.push_button(now).unwrap();
            air.stations[i].press_button(now);
            air.stations[j].press_button(now);
            // Both journeys end within the walk time; the overlap is forgotten after
            // two minutes.
            air.wait(Duration::from_secs(130));
            air.ap.cancel(air.now);
            vec![outcome(air, i), outcome(air, j)]
        }
    };
    // Let the stations' lingering and the access point's sessions end.
    air.wait(Duration::from_secs(20));
    air.clear_events();
    ended
}

fn planned(kind: Kind, outcomes: &[Outcome]) -> bool {
    let ok = |o: &Outcome| matches!(o, Outcome::Succeeded(c) if !c.is_empty());
    match kind {
        Kind::Success | Kind::PbcSuccess => outcomes.iter().all(ok),
        Kind::WrongPin => matches!(outcomes, [Outcome::Failed(RunError::IncorrectPin { .. })]),
        Kind::Timeout => matches!(
            outcomes,
            [Outcome::Failed(
                RunError::TimedOut { .. } | RunError::NoResponse
            )]
        ),
        Kind::PbcOverlap => outcomes
            .iter()
            .any(|o| *o == Outcome::Failed(RunError::PbcOverlap)),
    }
}

fn main() {
    let count: u64 = std::env::args()
        .skip(1)
        .find(|a| a.chars().all(|c| c.is_ascii_digit()))
        .map_or(2_000, |a| a.parse().expect("the count is a whole number"));
    let mut air = Air::new(STATIONS, 7);
    let mut tally = [0u64; 5];
    let step = (count / 10).max(FIRST_CHECKPOINT);
    let mut first = None;
    println!("soak: {count} registrations (mix of ten: {MIX:?})");
    for n in 0..count {
        let kind = MIX[(n % 10) as usize];
        let outcomes = register(&mut air, kind, n);
        assert!(
            planned(kind, &outcomes),
            "registration {n} ({kind:?}) ended {outcomes:?}"
        );
        tally[kind as usize] += 1;
        if std::env::var("SOAK_TRACE").is_ok() {
            println!("{n} {kind:?} {:?}", live());
        }
        let done = n + 1;
        if done == FIRST_CHECKPOINT || done % step == 0 || done == count {
            let (bytes, blocks) = live();
            let s = GLOBAL.stats();
            println!(
                "soak: after {done:>7} registrations: live heap {bytes} bytes in {blocks} blocks; \
                 {} allocations so far; simulated time {} s",
                s.allocations,
                air.now
                    .saturating_duration_since(wps::time::Instant::ZERO)
                    .as_secs()
            );
            first.get_or_insert((done, bytes, blocks));
        }
    }
    let (bytes, blocks) = live();
    println!(
        "soak: done: success {}, wrong PIN {}, timeout {}, push-button {}, push-button overlap {}",
        tally[0], tally[1], tally[2], tally[3], tally[4]
    );
    if let Some((at, first_bytes, first_blocks)) = first {
        assert!(
            bytes <= first_bytes && blocks <= first_blocks,
            "live heap grew: {first_bytes} bytes in {first_blocks} blocks after {at} \
             registrations, {bytes} bytes in {blocks} blocks after {count}"
        );
        println!("soak: live heap flat: {bytes} ≤ {first_bytes} bytes since registration {at}");
    }
}
