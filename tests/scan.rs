//! Discovery (`wps::scan`): the AP-choice and overlap rules of wpa_supplicant as tables,
//! one row per case, each naming the function it mirrors; real elements from iwd's
//! vectors and from a public capture; the robust element walk; the probe request builder.

use serde_json::Value;
use wps::attr::{
    ConfigMethods, DevicePasswordId, MacAddr, ResponseType, RfBands, Uuid, WfaExtension, WscState,
};
use wps::eap::element;
use wps::message::ie::{Beacon, ProbeRequest};
use wps::scan::{
    Authorization, Damage, Frame, FrameKind, Ingested, Note, PbcVerdict, PinSearch, PinVerdict,
    ScanTable, WscVersion,
};
use wps::time::{Duration, Instant};

const OUR_MAC: MacAddr = MacAddr([0x02, 0x11, 0x22, 0x33, 0x44, 0x55]);
const OTHER_MAC: MacAddr = MacAddr([0x02, 0x99, 0x99, 0x99, 0x99, 0x99]);

fn bssid(n: u8) -> MacAddr {
    MacAddr([0x02, 0, 0, 0, 0, n])
}

/// One AP of a row: what its last Beacon says, and how long ago it was heard.
#[derive(Clone, Copy)]
struct Ap {
    n: u8,
    uuid: Option<u8>,
    selected_registrar: bool,
    password_id: Option<DevicePasswordId>,
    version2: bool,
    authorized: &'static [MacAddr],
    locked: bool,
    signal: i8,
    age_s: u64,
}

const fn ap(n: u8) -> Ap {
    Ap {
        n,
        uuid: Some(n),
        selected_registrar: false,
        password_id: None,
        version2: true,
        authorized: &[],
        locked: false,
        signal: -50,
        age_s: 0,
    }
}

const fn pbc(n: u8) -> Ap {
    Ap {
        selected_registrar: true,
        password_id: Some(DevicePasswordId::PushButton),
        ..ap(n)
    }
}

const fn pin(n: u8, authorized: &'static [MacAddr]) -> Ap {
    Ap {
        selected_registrar: true,
        password_id: Some(DevicePasswordId::Default),
        authorized,
        ..ap(n)
    }
}

fn elements(a: &Ap) -> Vec<u8> {
    let mut macs = Vec::new();
    for m in a.authorized {
        macs.extend_from_slice(&m.0);
    }
    let beacon = Beacon {
        ap_setup_locked: a.locked,
        selected_registrar: a.selected_registrar,
        device_password_id: a.password_id,
        uuid_e: a.uuid.map(|u| Uuid([u; 16])),
        wfa: a.version2.then_some(WfaExtension {
            authorized_macs: (!macs.is_empty()).then_some(&macs[..]),
            ..WfaExtension::version2_only()
        }),
        ..Beacon::new(WscState::Configured)
    };
    let mut e = vec![0, 4, b'h', b'o', b'm', b'e', 3, 1, 6];
    element::split_vec(&beacon.to_bytes(), &mut e);
    e
}

const NOW: Instant = Instant::from_secs(1000);

fn table(aps: &[Ap]) -> ScanTable<8> {
    let mut t = ScanTable::<8>::new();
    for a in aps {
        let e = elements(a);
        let frame = Frame {
            signal: Some(a.signal),
            ..Frame::new(FrameKind::Beacon, bssid(a.n), &e)
        };
        let seen = Instant::from_millis(NOW.total_millis() - a.age_s * 1000);
        assert_eq!(t.ingest(&frame, seen), Ingested::Added);
    }
    t
}

#[test]
fn pbc_choice_and_overlap() {
    use PbcVerdict::*;
    let rows: &[(&str, &[Ap], PbcVerdict)] = &[
        (
            "wpas_wps_ssid_bss_match: no WPS AP in PBC mode: skip all",
            &[ap(1), pin(2, &[])],
            KeepScanning,
        ),
        (
            "wpas_wps_ssid_bss_match: the one AP with an active PBC registrar",
            &[ap(1), pbc(2)],
            Join(bssid(2)),
        ),
        (
            "wps_is_selected_pbc_registrar: Selected Registrar without Device Password ID 4 is not PBC",
            &[Ap {
                password_id: None,
                ..pbc(1)
            }],
            KeepScanning,
        ),
        (
            "wps_is_selected_pbc_registrar: Device Password ID 4 without Selected Registrar is not PBC",
            &[Ap {
                selected_registrar: false,
                ..pbc(1)
            }],
            KeepScanning,
        ),
        (
            "wpas_wps_scan_pbc_overlap: two APs in PBC with different UUIDs overlap",
            &[pbc(1), pbc(2)],
            Overlap {
                chosen: bssid(1),
                other: bssid(2),
            },
        ),
        (
            "wpas_wps_scan_pbc_overlap: one device on two bands (same UUID) is no overlap",
            &[
                pbc(1),
                Ap {
                    uuid: Some(1),
                    ..pbc(2)
                },
            ],
            Join(bssid(1)),
        ),
        (
            "wpas_wps_scan_pbc_overlap: PBC ended on one AP: no overlap",
            &[ap(1), pbc(2)],
            Join(bssid(2)),
        ),
        (
            "wpas_wps_scan_pbc_overlap: the chosen AP has no UUID: any other PBC AP overlaps",
            &[
                Ap {
                    uuid: None,
                    signal: -30,
                    ..pbc(1)
                },
                Ap {
                    uuid: Some(1),
                    ..pbc(2)
                },
            ],
            Overlap {
                chosen: bssid(1),
                other: bssid(2),
            },
        ),
        (
            "wpas_wps_scan_pbc_overlap: another AP without UUID counts by its BSSID",
            &[
                Ap {
                    signal: -30,
                    ..pbc(1)
                },
                Ap {
                    uuid: None,
                    ..pbc(2)
                },
            ],
            Overlap {
                chosen: bssid(1),
                other: bssid(2),
            },
        ),
        (
            "wpas_wps_scan_pbc_overlap: a PBC AP heard longer ago than the walk time does not count",
            &[
                pbc(1),
                Ap {
                    age_s: 121,
                    ..pbc(2)
                },
            ],
            Join(bssid(1)),
        ),
        (
            "wps_ap_priority_compar + signal: the stronger of two same-device BSSIDs is chosen",
            &[
                pbc(1),
                Ap {
                    uuid: Some(1),
                    signal: -20,
                    ..pbc(2)
                },
            ],
            Join(bssid(2)),
        ),
    ];
    for (name, aps, expected) in rows {
        assert_eq!(table(aps).choose_pbc(NOW), *expected, "{name}");
    }
}

#[test]
fn pin_choice() {
    use PinVerdict::*;
    let early = PinSearch {
        started: NOW,
        scans: 0,
    };
    let late = PinSearch {
        started: Instant::from_secs(990),
        scans: 3,
    };
    let rows: &[(&str, &[Ap], PinSearch, PinVerdict)] = &[
        (
            "wpas_wps_ssid_bss_match + wps_is_addr_authorized: our MAC in AuthorizedMACs",
            &[pin(1, &[]), pin(2, &[OUR_MAC])],
            early,
            Join(bssid(2)),
        ),
        (
            "wps_is_addr_authorized: the broadcast address authorizes anyone",
            &[ap(1), pin(2, &[MacAddr::BROADCAST])],
            early,
            Join(bssid(2)),
        ),
        (
            "wps_is_addr_authorized: our own address ranks above broadcast",
            &[
                Ap {
                    signal: -20,
                    ..pin(1, &[MacAddr::BROADCAST])
                },
                pin(2, &[OTHER_MAC, OUR_MAC]),
            ],
            early,
            Join(bssid(2)),
        ),
        (
            "wpas_wps_ssid_bss_match: AuthorizedMACs without us: skip while the search is young",
            &[pin(1, &[OTHER_MAC])],
            early,
            KeepScanning,
        ),
        (
            "wpas_wps_ssid_bss_match: after 3 scans and 5 s any WPS AP may be tried",
            &[pin(1, &[OTHER_MAC])],
            late,
            Join(bssid(1)),
        ),
        (
            "wpas_wps_ssid_bss_match: 3 scans but not yet 5 s: still skip",
            &[pin(1, &[OTHER_MAC])],
            PinSearch {
                started: Instant::from_secs(998),
                scans: 5,
            },
            KeepScanning,
        ),
        (
            "wps_is_addr_authorized (ver1_compat): a WSC 1.0 AP with a PIN registrar selected",
            &[
                ap(1),
                Ap {
                    version2: false,
                    ..pin(2, &[])
                },
            ],
            early,
            Join(bssid(2)),
        ),
        (
            "wps_is_addr_authorized (ver1_compat): a WSC 1.0 AP in PBC mode does not invite a PIN",
            &[Ap {
                version2: false,
                ..pbc(1)
            }],
            early,
            KeepScanning,
        ),
        (
            "wps_ap_priority_compar: Selected Registrar before a stronger AP without",
            &[
                Ap {
                    signal: -20,
                    ..ap(1)
                },
                pin(2, &[OTHER_MAC]),
            ],
            late,
            Join(bssid(2)),
        ),
        (
            "locked APs last: an AP Setup Locked AP inviting us ranks below an unlocked one",
            &[
                Ap {
                    locked: true,
                    ..pin(1, &[OUR_MAC])
                },
                pin(2, &[MacAddr::BROADCAST]),
            ],
            early,
            Join(bssid(2)),
        ),
        (
            "locked APs last, but still tried when nothing else fits",
            &[Ap {
                locked: true,
                ..pin(1, &[OUR_MAC])
            }],
            early,
            Join(bssid(1)),
        ),
        (
            "entries age out: an AP heard longer ago than the table's max age is not chosen",
            &[Ap {
                age_s: 121,
                ..pin(1, &[OUR_MAC])
            }],
            early,
            KeepScanning,
        ),
    ];
    for (name, aps, search, expected) in rows {
        assert_eq!(
            table(aps).choose_pin(OUR_MAC, *search, NOW),
            *expected,
            "{name}"
        );
    }
}

#[test]
fn authorization_follows_the_first_match() {
    // wps_is_addr_authorized returns at the first entry that is ours or broadcast.
    let t = table(&[pin(1, &[MacAddr::BROADCAST, OUR_MAC]), pin(2, &[])]);
    assert_eq!(
        t.get(bssid(1)).unwrap().authorization(OUR_MAC),
        Authorization::Anyone
    );
    assert_eq!(
        t.get(bssid(2)).unwrap().authorization(OUR_MAC),
        Authorization::No
    );
}

#[test]
fn pbc_ending_updates_the_verdict_and_entries_age_out() {
    let mut t = table(&[pbc(1), pbc(2)]);
    assert!(t.choose_pbc(NOW).is_overlap());
    // AP 2 leaves push-button mode: its next Beacon says so.
    let e = elements(&ap(2));
    let later = NOW + Duration::from_secs(1);
    assert_eq!(
        t.ingest(&Frame::new(FrameKind::Beacon, bssid(2), &e), later),
        Ingested::Updated
    );
    assert_eq!(t.choose_pbc(later), PbcVerdict::Join(bssid(1)));
    // Much later, nothing is fresh any more.
    let much_later = NOW + Duration::from_secs(200);
    assert_eq!(t.choose_pbc(much_later), PbcVerdict::KeepScanning);
    assert_eq!(t.len(), 2);
    t.expire(much_later);
    assert!(t.is_empty());
    // An AP that stops advertising WPS leaves the table.
    let mut t = table(&[ap(1)]);
    let no_wps = [0u8, 1, b'x'];
    let f = Frame::new(FrameKind::Beacon, bssid(1), &no_wps);
    assert_eq!(t.ingest(&f, NOW), Ingested::Removed);
    assert_eq!(t.ingest(&f, NOW), Ingested::NotWps);
}

#[test]
fn a_full_table_keeps_pbc_aps_against_a_flood() {
    let mut t = ScanTable::<4>::new();
    for a in [pbc(1), pbc(2)] {
        let e = elements(&a);
        t.ingest(&Frame::new(FrameKind::Beacon, bssid(a.n), &e), NOW);
    }
    for n in 10..60 {
        let e = elements(&ap(n));
        let at = NOW + Duration::from_millis(u64::from(n));
        assert_eq!(
            t.ingest(&Frame::new(FrameKind::Beacon, bssid(n), &e), at),
            Ingested::Added
        );
        assert_eq!(t.len(), (usize::from(n) - 7).min(4));
    }
    assert!(t.choose_pbc(NOW + Duration::from_secs(1)).is_overlap());
}

fn vector(name: &str) -> Value {
    wps_testkit::vectors::json(&format!("iwd/{name}"))
}

/// iwd's `unit/test-wsc.c` probe response of an ASUS RT-AC68U in push-button mode
/// (`tests/vectors/iwd/probe_response.json`), framed as the AP sends it: SSID, DS
/// Parameter Set, RSN (CCMP), then the WPS attributes in vendor elements.
#[test]
fn iwd_asus_probe_response() {
    let v = vector("probe_response.json");
    let attrs = hex::decode(v["input_hex"].as_str().unwrap()).unwrap();
    let mut e = vec![0, 4, b'A', b'S', b'U', b'S', 3, 1, 36];
    e.extend_from_slice(&[48, 20, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 4, 1, 0]);
    e.extend_from_slice(&[0, 0x0f, 0xac, 2, 0, 0]);
    element::split_vec(&attrs, &mut e);
    let mut t = ScanTable::<4>::new();
    let f = Frame {
        signal: Some(-61),
        ..Frame::new(FrameKind::ProbeResponse, bssid(1), &e)
    };
    assert_eq!(t.ingest(&f, NOW), Ingested::Added);
    let ap = t.get(bssid(1)).unwrap();
    let x = &v["expected"];
    assert!(ap.configured());
    assert_eq!(ap.version, WscVersion::V2(0x20));
    assert_eq!(ap.version.to_string(), "2.0");
    assert_eq!(
        ap.selected_registrar,
        x["selected_registrar"].as_bool().unwrap()
    );
    assert!(!ap.ap_setup_locked);
    assert!(ap.pbc_active());
    assert_eq!(ap.device_password_id, Some(DevicePasswordId::PushButton));
    assert_eq!(
        ap.selected_registrar_config_methods,
        Some(ConfigMethods(0x2688))
    );
    assert!(ap.authorized_macs.iter().eq(&[MacAddr::BROADCAST]));
    assert_eq!(
        ap.uuid.unwrap().to_string(),
        "c44aad8d-252f-52c6-f96b-385dcb2331ae"
    );
    assert_eq!(ap.rf_bands, Some(RfBands(3)));
    assert_eq!(ap.device.device_name.as_bytes(), b"RT-AC68U");
    assert_eq!(
        ap.device.manufacturer.as_bytes(),
        x["manufacturer"].as_str().unwrap().as_bytes()
    );
    assert_eq!(
        ap.device.model_name.as_bytes(),
        b"Wi-Fi Protected Setup Router"
    );
    assert_eq!(ap.device.model_number.as_bytes(), b"RT-AC68U");
    assert_eq!(ap.device.serial_number.as_bytes(), b"10:c3:7b:54:74:d0");
    assert_eq!(ap.device.config_methods, Some(ConfigMethods(0x2008)));
    assert_eq!(ap.device.response_type, Some(ResponseType::Ap));
    assert_eq!(ap.device.primary_device_type.map(|t| t.category), Some(6));
    assert_eq!(
        (ap.ssid.as_bytes(), ap.channel, ap.signal),
        (&b"ASUS"[..], Some(36), Some(-61))
    );
    // Display PIN, CCMP, Version2, a password ID: nothing to note.
    assert!(ap.notes.is_empty(), "{:?}", ap.notes);
    assert_eq!(ap.authorization(OUR_MAC), Authorization::Anyone);
    assert_eq!(t.choose_pbc(NOW), PbcVerdict::Join(bssid(1)));
    // Its Beacon afterwards: registrar state refreshed, the device details kept.
    let b = vector("beacon.json");
    let mut e = vec![0, 0];
    element::split_vec(
        &hex::decode(b["input_hex"].as_str().unwrap()).unwrap(),
        &mut e,
    );
    let later = NOW + Duration::from_secs(1);
    assert_eq!(
        t.ingest(&Frame::new(FrameKind::Beacon, bssid(1), &e), later),
        Ingested::Updated
    );
    let ap = t.get(bssid(1)).unwrap();
    assert!(!ap.selected_registrar && !ap.pbc_active());
    assert_eq!(ap.device.device_name.as_bytes(), b"RT-AC68U");
    assert_eq!(ap.ssid.as_bytes(), b"ASUS"); // a hidden SSID does not erase it
    assert!(ap.uuid.is_some());
    assert_eq!(t.choose_pbc(later), PbcVerdict::KeepScanning);
}

/// A real Beacon: aircrack-ng's `test/wps2.0.pcap` ("Added WPS 2.0 test pcap", commit
/// b814c247a06725f19a1307a0754b0047489ad921, 2017), the one frame of that capture
/// (linktype 105, no FCS), as hex. SSID "WLAN_666" on channel 13, WPA + RSN with CCMP,
/// a WSC 2.0 IE of a configured AP with no registrar selected.
const AIRCRACK_WPS20_BEACON: &str = concat!(
    "80000000ffffffffffff00c0ca78b13700c0ca78b1370078d2811b2300000000640011040008574c414e5f3636360108",
    "82848b960c12182403010d0504000100002a010432043048606c2d1a2c181effff000000000000000000000000000000",
    "0000000000003d160d000000000000000000000000000000000000000000dd160050f20101000050f20401000050f204",
    "01000050f20230140100000fac040100000fac040100000fac020000dd180050f2020101000003a4000027a400004243",
    "5e0062322f00dd1e00904c332c181effff000000000000000000000000000000000000000000dd1a00904c340d000000",
    "000000000000000000000000000000000000dd0600e04c020160dd180050f204104a0001101044000102104900060037",
    "2a000120",
);

fn aircrack_beacon() -> Vec<u8> {
    hex::decode(AIRCRACK_WPS20_BEACON).unwrap()
}

#[test]
fn aircrack_ng_wps20_beacon() {
    let bytes = aircrack_beacon();
    let frame = Frame::parse_mgmt(&bytes).unwrap();
    assert_eq!(frame.kind, FrameKind::Beacon);
    assert_eq!(frame.bssid.to_string(), "00:c0:ca:78:b1:37");
    let mut t = ScanTable::<4>::new();
    assert_eq!(t.ingest(&frame, NOW), Ingested::Added);
    let ap = t.get(frame.bssid).unwrap();
    assert_eq!(ap.ssid.as_bytes(), b"WLAN_666");
    assert_eq!(ap.channel, Some(13));
    assert!(ap.configured());
    assert_eq!(ap.version.to_string(), "2.0");
    assert!(!ap.selected_registrar && !ap.ap_setup_locked);
    assert_eq!(ap.uuid, None);
    assert!(ap.notes.is_empty(), "{:?}", ap.notes);
    assert_eq!(ap.damage, None);
    // The same frame as a capture with the FCS left on: the last "element" is damaged,
    // the WPS IE before it is kept.
    let mut with_fcs = bytes.clone();
    with_fcs.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]);
    let f = Frame::parse_mgmt(&with_fcs).unwrap();
    let mut t = ScanTable::<4>::new();
    assert_eq!(t.ingest(&f, NOW), Ingested::Added);
    let ap = t.get(f.bssid).unwrap();
    assert!(matches!(ap.damage, Some(Damage::Element(_))));
    assert_eq!(ap.version.to_string(), "2.0");
}

#[test]
fn damaged_elements_keep_the_wps_ie_and_are_reported() {
    // Two WPS elements (joined on the stack), then an element running past the end.
    let beacon = Beacon {
        device_password_id: Some(DevicePasswordId::PushButton),
        selected_registrar: true,
        ..Beacon::new(WscState::NotConfigured)
    };
    let attrs = beacon.to_bytes();
    let (a, b) = attrs.split_at(7);
    let mut e = Vec::new();
    for part in [a, b] {
        e.extend_from_slice(&[221, 4 + part.len() as u8, 0x00, 0x50, 0xf2, 0x04]);
        e.extend_from_slice(part);
    }
    let damaged_at = e.len();
    e.extend_from_slice(&[48, 200, 1, 0]);
    let mut t = ScanTable::<4>::new();
    assert_eq!(
        t.ingest(&Frame::new(FrameKind::Beacon, bssid(1), &e), NOW),
        Ingested::Added
    );
    let ap = t.get(bssid(1)).unwrap();
    assert!(!ap.configured() && ap.pbc_active());
    assert_eq!(
        ap.damage.map(|d| d.to_string()),
        Some(format!(
            "the element at offset {damaged_at} runs past the end of the frame"
        ))
    );
    // A WPS IE hostapd would reject (wrong length of a fixed attribute): unusable, and a
    // known AP keeps its facts.
    let bad = [221, 9, 0x00, 0x50, 0xf2, 0x04, 0x10, 0x4a, 0x00, 0x01, 0x10];
    // WSC State with two bytes instead of one.
    let wrong = [
        221, 10, 0x00, 0x50, 0xf2, 0x04, 0x10, 0x44, 0x00, 0x02, 0x02, 0x02,
    ];
    let r = t.ingest(&Frame::new(FrameKind::Beacon, bssid(1), &wrong), NOW);
    assert!(
        matches!(r, Ingested::Unusable(Damage::Attributes(_))),
        "{r:?}"
    );
    assert!(t.get(bssid(1)).unwrap().pbc_active());
    // Missing WSC State: Version alone is not a beacon IE.
    let r = t.ingest(&Frame::new(FrameKind::Beacon, bssid(2), &bad), NOW);
    assert!(
        matches!(r, Ingested::Unusable(Damage::Attributes(_))),
        "{r:?}"
    );
    assert!(t.get(bssid(2)).is_none());
}

#[test]
fn wsc2_notes() {
    // WSC 1.0, Selected Registrar without a password ID, TKIP only, Privacy.
    let beacon = Beacon {
        selected_registrar: true,
        wfa: None,
        ..Beacon::new(WscState::Configured)
    };
    let mut e = vec![
        221, 22, 0x00, 0x50, 0xf2, 0x01, 1, 0, 0x00, 0x50, 0xf2, 2, 1, 0,
    ];
    e.extend_from_slice(&[0x00, 0x50, 0xf2, 2, 1, 0, 0x00, 0x50, 0xf2, 2]);
    element::split_vec(&beacon.to_bytes(), &mut e);
    let mut t = ScanTable::<4>::new();
    t.ingest(
        &Frame {
            capability: Some(0x0011),
            ..Frame::new(FrameKind::Beacon, bssid(1), &e)
        },
        NOW,
    );
    let notes: Vec<Note> = t.get(bssid(1)).unwrap().notes.iter().collect();
    assert_eq!(
        notes,
        [
            Note::Version2Missing,
            Note::TkipOnly,
            Note::SelectedRegistrarWithoutPasswordId
        ]
    );
    // WEP: Privacy without RSN or WPA. A label-only PIN in a Probe Response.
    let attrs = Beacon::new(WscState::Configured).to_bytes();
    let mut with_methods = attrs.clone();
    with_methods.extend_from_slice(&[0x10, 0x08, 0x00, 0x02, 0x00, 0x04]);
    let mut e = Vec::new();
    element::split_vec(&with_methods, &mut e);
    let f = Frame {
        capability: Some(0x0011),
        ..Frame::new(FrameKind::ProbeResponse, bssid(2), &e)
    };
    t.ingest(&f, NOW);
    let notes: Vec<Note> = t.get(bssid(2)).unwrap().notes.iter().collect();
    assert_eq!(notes, [Note::Wep, Note::PinOnlyWithoutDisplay]);
    for n in Note::ALL {
        assert!(!n.to_string().is_empty() && !n.name().contains(' '));
    }
}

#[test]
fn probe_request_builder_defaults() {
    let uuid = Uuid::from_mac(OUR_MAC);
    let req = ProbeRequest::enrollee(uuid, DevicePasswordId::PushButton);
    let bytes = req.to_bytes();
    let parsed = ProbeRequest::parse(&bytes).unwrap();
    assert_eq!(parsed.to_bytes(), bytes);
    assert_eq!((parsed.uuid_e, parsed.rf_bands), (Some(uuid), RfBands(3)));
    assert_eq!(parsed.wfa.and_then(|w| w.request_to_enroll), Some(1));
    assert_eq!(parsed.wfa.and_then(|w| w.version2), Some(0x20));
    // The same attribute order and values as iwd's real push-button probe request, but
    // for the device type and the strings it adds.
    let v = vector("probe_request.json");
    let iwd_bytes = hex::decode(v["input_hex"].as_str().unwrap()).unwrap();
    let iwd = ProbeRequest::parse(&iwd_bytes).unwrap();
    assert_eq!(
        (
            iwd.request_type,
            iwd.device_password_id,
            iwd.association_state,
            iwd.configuration_error
        ),
        (
            req.request_type,
            req.device_password_id,
            req.association_state,
            req.configuration_error
        )
    );
    let device = wps::registration::DeviceInfo::new(uuid, OUR_MAC, "printer");
    let full = device.probe_request(DevicePasswordId::Default);
    let full_bytes = full.to_bytes();
    let parsed = ProbeRequest::parse(&full_bytes).unwrap();
    assert_eq!(parsed.device_name, Some(&b"printer"[..]));
    assert_eq!(parsed.device_password_id, DevicePasswordId::Default);
    assert_eq!(parsed.config_methods, device.config_methods);
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any Beacon the builder writes, in any number of vendor elements and followed
        /// by any tail, is read back field for field; a damaged tail is reported, never
        /// fatal.
        #[test]
        fn any_beacon_reads_back(
            locked in any::<bool>(),
            selected in any::<bool>(),
            password_id in proptest::option::of(any::<u16>()),
            methods in proptest::option::of(any::<u16>()),
            uuid in proptest::option::of(any::<[u8; 16]>()),
            version2 in proptest::option::of(any::<u8>()),
            macs in proptest::collection::vec(any::<[u8; 6]>(), 0..5),
            split_at in any::<proptest::sample::Index>(),
            tail in proptest::collection::vec(any::<u8>(), 0..8),
        ) {
            let flat: Vec<u8> = macs.iter().flatten().copied().collect();
            let beacon = Beacon {
                ap_setup_locked: locked,
                selected_registrar: selected,
                device_password_id: password_id.map(DevicePasswordId::from),
                selected_registrar_config_methods: methods.map(ConfigMethods),
                uuid_e: uuid.map(Uuid),
                wfa: version2.map(|v| WfaExtension {
                    version2: Some(v),
                    authorized_macs: (!flat.is_empty()).then_some(&flat[..]),
                    ..WfaExtension::default()
                }),
                ..Beacon::new(WscState::NotConfigured)
            };
            let attrs = beacon.to_bytes();
            let (a, b) = attrs.split_at(split_at.index(attrs.len() + 1));
            let mut e = Vec::new();
            element::split_vec(a, &mut e);
            element::split_vec(b, &mut e);
            e.extend_from_slice(&tail);
            let mut t = ScanTable::<2>::new();
            let r = t.ingest(&Frame::new(FrameKind::Beacon, bssid(1), &e), NOW);
            prop_assert_eq!(r, Ingested::Added);
            let ap = t.get(bssid(1)).unwrap();
            prop_assert_eq!(ap.ap_setup_locked, locked);
            prop_assert_eq!(ap.selected_registrar, selected);
            prop_assert_eq!(ap.device_password_id, beacon.device_password_id);
            prop_assert_eq!(ap.selected_registrar_config_methods, beacon.selected_registrar_config_methods);
            prop_assert_eq!(ap.uuid, beacon.uuid_e);
            prop_assert_eq!(ap.version, version2.map_or(WscVersion::V1, WscVersion::V2));
            if version2.is_some() {
                let kept: Vec<MacAddr> = macs.iter().map(|m| MacAddr(*m)).collect();
                prop_assert!(ap.authorized_macs.iter().eq(&kept), "{:?} != {kept:?}", ap.authorized_macs);
            }
            prop_assert!(!ap.configured());
            prop_assert_eq!(ap.pbc_active(), selected && password_id == Some(4));
            // The tail walks as elements: whole ones are read, a cut one is damage.
            let mut at = 0;
            while at + 2 <= tail.len() && at + 2 + usize::from(tail[at + 1]) <= tail.len() {
                at += 2 + usize::from(tail[at + 1]);
            }
            prop_assert_eq!(ap.damage.is_some(), at != tail.len());
        }
    }
}
