//! The scan table: any sequence of Beacons and Probe Responses (structured, so that
//! WPS IEs and BSSIDs repeat; or raw 802.11 frames), any clock, and the questions in
//! between. No panic; the table never holds more than its capacity; every verdict
//! names an AP the table holds and that agrees with the rules.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wps::attr::MacAddr;
use wps::scan::{Frame, FrameKind, PbcVerdict, PinSearch, PinVerdict, ScanTable};
use wps::time::{Duration, Instant};

const CAPACITY: usize = 8;

#[derive(Arbitrary, Debug)]
enum Step {
    /// A frame from one of 16 BSSIDs: elements as given, optionally after a WPS IE
    /// built from the attribute bytes.
    Frame {
        bssid: u8,
        probe_response: bool,
        wps_attributes: Option<Vec<u8>>,
        elements: Vec<u8>,
        signal: Option<i8>,
        capability: Option<u16>,
    },
    /// A whole 802.11 frame, as a capture holds it.
    Raw(Vec<u8>),
    /// Time passes.
    Wait(u32),
    Expire,
    Clear,
    ChoosePbc,
    ChoosePin { mac: u8, scans: u32 },
}

fuzz_target!(|steps: Vec<Step>| {
    let mut table = ScanTable::<CAPACITY>::new();
    let mut now = Instant::from_secs(1);
    for step in steps.iter().take(256) {
        match step {
            Step::Frame {
                bssid,
                probe_response,
                wps_attributes,
                elements,
                signal,
                capability,
            } => {
                let mut e = Vec::new();
                if let Some(attrs) = wps_attributes {
                    wps::eap::element::split_vec(attrs, &mut e);
                }
                e.extend_from_slice(elements);
                let kind = if *probe_response { FrameKind::ProbeResponse } else { FrameKind::Beacon };
                let frame = Frame {
                    signal: *signal,
                    capability: *capability,
                    ..Frame::new(kind, MacAddr([2, 0, 0, 0, 0, bssid % 16]), &e)
                };
                let _ = table.ingest(&frame, now);
            }
            Step::Raw(bytes) => {
                if let Ok(frame) = Frame::parse_mgmt(bytes) {
                    assert!(frame.elements.len() + 36 <= bytes.len());
                    let _ = table.ingest(&frame, now);
                }
            }
            Step::Wait(ms) => now = now + Duration::from_millis(u64::from(*ms)),
            Step::Expire => {
                table.expire(now);
                assert!(table.iter().all(|ap| now - ap.last_seen <= table.max_age()));
            }
            Step::Clear => {
                table.clear();
                assert!(table.is_empty());
            }
            Step::ChoosePbc => match table.choose_pbc(now) {
                PbcVerdict::Join(b) => {
                    let ap = table.get(b).expect("the chosen AP is in the table");
                    assert!(ap.pbc_active());
                    assert_eq!(table.pbc_overlap(b, now), None);
                }
                PbcVerdict::Overlap { chosen, other } => {
                    assert_ne!(chosen, other);
                    let (a, b) = (table.get(chosen).unwrap(), table.get(other).unwrap());
                    assert!(a.pbc_active() && b.pbc_active());
                    assert!(a.uuid.is_none() || a.uuid != b.uuid);
                }
                PbcVerdict::KeepScanning => {}
            },
            Step::ChoosePin { mac, scans } => {
                let search = PinSearch { started: Instant::ZERO, scans: *scans };
                if let PinVerdict::Join(b) = table.choose_pin(MacAddr([2, 1, 1, 1, 1, *mac]), search, now) {
                    assert!(table.get(b).is_some());
                }
            }
        }
        assert!(table.len() <= CAPACITY);
        assert_eq!(table.iter().count(), table.len());
    }
});
