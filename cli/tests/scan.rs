//! `wps scan` on captures written here with the crate's own builders (radiotap, pcap and
//! pcapng), and on a real Beacon from aircrack-ng's test captures.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use wps::attr::{DevicePasswordId, ResponseType, Uuid, WfaExtension, WscState};
use wps::message::DeviceAttrs;
use wps::message::ie::{Beacon, ProbeResponse};

const OUR_MAC: &str = "02:11:22:33:44:55";

fn bssid(n: u8) -> [u8; 6] {
    [0x02, 0, 0, 0, 0, n]
}

/// An 802.11 management frame: Beacon (subtype 8) or Probe Response (5).
fn mgmt(subtype: u8, bssid: [u8; 6], elements: &[u8]) -> Vec<u8> {
    let mut f = vec![subtype << 4, 0, 0, 0];
    f.extend_from_slice(&[0xff; 6]);
    f.extend_from_slice(&bssid);
    f.extend_from_slice(&bssid);
    f.extend_from_slice(&[0; 2]);
    f.extend_from_slice(&[0; 10]);
    f.extend_from_slice(&[0x11, 0x04]); // ESS, Privacy (with RSN below)
    f.extend_from_slice(elements);
    f
}

fn beacon_elements(ssid: &str, beacon: &Beacon<'_>) -> Vec<u8> {
    let mut e = vec![0, ssid.len() as u8];
    e.extend_from_slice(ssid.as_bytes());
    // RSN, CCMP only.
    e.extend_from_slice(&[48, 20, 1, 0, 0, 0x0f, 0xac, 4, 1, 0, 0, 0x0f, 0xac, 4, 1, 0]);
    e.extend_from_slice(&[0, 0x0f, 0xac, 2, 0, 0]);
    wps::eap::element::split_vec(&beacon.to_bytes(), &mut e);
    e
}

fn pbc_beacon(uuid: u8) -> Beacon<'static> {
    Beacon {
        selected_registrar: true,
        device_password_id: Some(DevicePasswordId::PushButton),
        uuid_e: Some(Uuid([uuid; 16])),
        ..Beacon::new(WscState::Configured)
    }
}

/// Radiotap: Flags (FCS at end), Channel, dBm signal.
fn radiotap(mhz: u16, dbm: i8, frame: &[u8]) -> Vec<u8> {
    let mut r = vec![0, 0, 15, 0, 0x2a, 0, 0, 0, 0x10, 0];
    r.extend_from_slice(&mhz.to_le_bytes());
    r.extend_from_slice(&[0xa0, 0x00, dbm as u8]);
    r.extend_from_slice(frame);
    r.extend_from_slice(&[0xde, 0xad, 0xbe, 0xef]); // FCS
    r
}

fn pcap(linktype: u32, records: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut p = vec![0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0];
    p.extend_from_slice(&[0; 8]);
    p.extend_from_slice(&65535u32.to_le_bytes());
    p.extend_from_slice(&linktype.to_le_bytes());
    for (secs, data) in records {
        p.extend_from_slice(&secs.to_le_bytes());
        p.extend_from_slice(&0u32.to_le_bytes());
        p.extend_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(data);
    }
    p
}

fn pcapng(linktype: u16, records: &[(u64, Vec<u8>)]) -> Vec<u8> {
    let mut p = Vec::new();
    // Section Header Block.
    p.extend_from_slice(&0x0a0d_0d0au32.to_le_bytes());
    p.extend_from_slice(&28u32.to_le_bytes());
    p.extend_from_slice(&0x1a2b_3c4du32.to_le_bytes());
    p.extend_from_slice(&[1, 0, 0, 0]);
    p.extend_from_slice(&u64::MAX.to_le_bytes());
    p.extend_from_slice(&28u32.to_le_bytes());
    // Interface Description Block, default resolution (microseconds).
    p.extend_from_slice(&1u32.to_le_bytes());
    p.extend_from_slice(&20u32.to_le_bytes());
    p.extend_from_slice(&linktype.to_le_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(&0u32.to_le_bytes());
    p.extend_from_slice(&20u32.to_le_bytes());
    for (micros, data) in records {
        let padded = data.len().div_ceil(4) * 4;
        let len = (32 + padded) as u32;
        p.extend_from_slice(&6u32.to_le_bytes());
        p.extend_from_slice(&len.to_le_bytes());
        p.extend_from_slice(&0u32.to_le_bytes());
        p.extend_from_slice(&((micros >> 32) as u32).to_le_bytes());
        p.extend_from_slice(&(*micros as u32).to_le_bytes());
        p.extend_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(&(data.len() as u32).to_le_bytes());
        p.extend_from_slice(data);
        p.resize(p.len() + padded - data.len(), 0);
        p.extend_from_slice(&len.to_le_bytes());
    }
    p
}

fn write(name: &str, bytes: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("wps-scan-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn wps(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_wps"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scan_json(path: &Path, mac: Option<&str>) -> Value {
    let mut args = vec!["scan", path.to_str().unwrap(), "--json"];
    if let Some(m) = mac {
        args.extend(["--mac", m]);
    }
    let (code, out, err) = wps(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// A dual-band router in push-button mode (one UUID, two BSSIDs), a router with a PIN
/// registrar that lists our MAC, and a Probe Response with the device details.
fn site() -> Vec<(u32, Vec<u8>)> {
    let our: [u8; 6] = [0x02, 0x11, 0x22, 0x33, 0x44, 0x55];
    let pin = Beacon {
        selected_registrar: true,
        device_password_id: Some(DevicePasswordId::Default),
        wfa: Some(WfaExtension {
            authorized_macs: Some(&our),
            ..WfaExtension::version2_only()
        }),
        ..Beacon::new(WscState::Configured)
    };
    let response = ProbeResponse {
        version: 0x10,
        wsc_state: WscState::Configured,
        ap_setup_locked: true,
        selected_registrar: false,
        device_password_id: None,
        selected_registrar_config_methods: None,
        response_type: ResponseType::Ap,
        uuid_e: Uuid([9; 16]),
        device: DeviceAttrs {
            manufacturer: b"ACME",
            model_name: b"Router",
            model_number: b"R-1",
            serial_number: b"42",
            primary_device_type: wps::attr::PrimaryDeviceType::wfa(6, 1),
            device_name: b"Lobby AP",
        },
        config_methods: wps::attr::ConfigMethods(0x2008),
        rf_bands: None,
        wfa: Some(WfaExtension::version2_only()),
        extra: wps::message::Extra::NONE,
        application_extension: None,
    };
    let mut resp = vec![0, 5, b'l', b'o', b'b', b'b', b'y', 3, 1, 11];
    wps::eap::element::split_vec(&response.to_bytes(), &mut resp);
    vec![
        (
            100,
            radiotap(
                2437,
                -40,
                &mgmt(8, bssid(1), &beacon_elements("home", &pbc_beacon(1))),
            ),
        ),
        // 5 GHz, no DS Parameter Set: the channel comes from radiotap.
        (
            101,
            radiotap(
                5180,
                -60,
                &mgmt(8, bssid(2), &beacon_elements("home", &pbc_beacon(1))),
            ),
        ),
        (
            102,
            radiotap(
                2412,
                -55,
                &mgmt(8, bssid(3), &beacon_elements("office", &pin)),
            ),
        ),
        (103, radiotap(2462, -70, &mgmt(5, bssid(4), &resp))),
    ]
}

#[test]
fn radiotap_capture_json() {
    let path = write("site.pcap", &pcap(127, &site()));
    let v = scan_json(&path, Some(OUR_MAC));
    let aps = v["aps"].as_array().unwrap();
    assert_eq!(aps.len(), 4);
    let a = &aps[0];
    assert_eq!(a["bssid"], "02:00:00:00:00:01");
    assert_eq!(
        (a["channel"].as_u64(), a["signal"].as_i64()),
        (Some(6), Some(-40))
    );
    assert_eq!(a["version"], "2.0");
    assert_eq!(
        (a["configured"].as_bool(), a["pbc_active"].as_bool()),
        (Some(true), Some(true))
    );
    assert_eq!(a["device_password_id"], 4);
    assert_eq!(a["uuid"], "01010101-0101-0101-0101-010101010101");
    assert_eq!(a["ssid"], "home");
    assert_eq!(a["notes"], serde_json::json!([]));
    assert_eq!(aps[1]["channel"], 36);
    assert_eq!(aps[2]["authorized_macs"], serde_json::json!([OUR_MAC]));
    let d = &aps[3];
    assert_eq!(
        (d["device_name"].as_str(), d["manufacturer"].as_str()),
        (Some("Lobby AP"), Some("ACME"))
    );
    assert_eq!(
        (d["model_name"].as_str(), d["model_number"].as_str()),
        (Some("Router"), Some("R-1"))
    );
    assert_eq!(
        (d["locked"].as_bool(), d["channel"].as_u64()),
        (Some(true), Some(11))
    );
    // One router on two bands: no overlap; the stronger BSSID.
    assert_eq!(
        v["pbc"],
        serde_json::json!({"overlap": false, "choice": "02:00:00:00:00:01"})
    );
    assert_eq!(v["pin"], serde_json::json!({"choice": "02:00:00:00:00:03"}));
    // Without --mac, no "pin".
    assert!(scan_json(&path, None).get("pin").is_none());
}

#[test]
fn overlap_and_the_table() {
    let mut records = site();
    records.push((
        104,
        radiotap(
            2437,
            -65,
            &mgmt(8, bssid(5), &beacon_elements("guest", &pbc_beacon(5))),
        ),
    ));
    let path = write("overlap.pcap", &pcap(127, &records));
    let v = scan_json(&path, None);
    assert_eq!(
        v["pbc"],
        serde_json::json!({"overlap": true, "choice": null})
    );
    let (code, out, _) = wps(&["scan", path.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("02:00:00:00:00:04   11  -70  2.0  Yes  -       Lobby AP          lobby"),
        "{out}"
    );
    assert!(
        out.contains("push-button: overlap, 02:00:00:00:00:01 and 02:00:00:00:00:05"),
        "{out}"
    );
    assert!(
        out.contains("5 APs with WPS in 5 Beacons and Probe Responses"),
        "{out}"
    );
}

/// aircrack-ng's `test/wps2.0.pcap` (commit b814c247a06725f19a1307a0754b0047489ad921,
/// "Added WPS 2.0 test pcap"): its one Beacon, as hex.
const AIRCRACK_WPS20_BEACON: &str = concat!(
    "80000000ffffffffffff00c0ca78b13700c0ca78b1370078d2811b2300000000640011040008574c",
    "414e5f363636010882848b960c12182403010d0504000100002a010432043048606c2d1a2c181eff",
    "ff0000000000000000000000000000000000000000003d160d000000000000000000000000000000",
    "000000000000dd160050f20101000050f20401000050f20401000050f20230140100000fac040100",
    "000fac040100000fac020000dd180050f2020101000003a4000027a4000042435e0062322f00dd1e",
    "00904c332c181effff000000000000000000000000000000000000000000dd1a00904c340d000000",
    "000000000000000000000000000000000000dd0600e04c020160dd180050f204104a000110104400",
    "01021049000600372a000120",
);

/// That real Beacon inside a pcapng with link type 105, and cut short in a second record.
#[test]
fn real_beacon_in_pcapng() {
    let beacon = hex::decode(AIRCRACK_WPS20_BEACON).unwrap();
    let cut = beacon[..60].to_vec();
    let path = write(
        "real.pcapng",
        &pcapng(105, &[(1_000_000, beacon), (2_000_000, cut)]),
    );
    let v = scan_json(&path, Some(OUR_MAC));
    let aps = v["aps"].as_array().unwrap();
    assert_eq!(aps.len(), 1);
    let a = &aps[0];
    assert_eq!(
        (a["bssid"].as_str(), a["ssid"].as_str()),
        (Some("00:c0:ca:78:b1:37"), Some("WLAN_666"))
    );
    assert_eq!(
        (a["channel"].as_u64(), a["version"].as_str()),
        (Some(13), Some("2.0"))
    );
    assert_eq!(
        (a["configured"].as_bool(), a["selected_registrar"].as_bool()),
        (Some(true), Some(false))
    );
    assert_eq!(a["signal"], Value::Null);
    // Version 2.0 without AuthorizedMACs does not invite us; a finished capture may
    // still try it (wpa_supplicant's "any WPS AP after a few scans").
    assert_eq!(v["pin"]["choice"], "00:c0:ca:78:b1:37");
    assert_eq!(
        v["pbc"],
        serde_json::json!({"overlap": false, "choice": null})
    );
}

#[test]
fn errors_in_plain_words() {
    let (code, _, err) = wps(&["scan", "/nonexistent/capture.pcap"]);
    assert_eq!(code, 5);
    assert!(err.contains("cannot read"), "{err}");
    let path = write("eth.pcap", &pcap(1, &[(1, vec![0; 60])]));
    let (code, _, err) = wps(&["scan", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("link type 1"), "{err}");
    let path = write("site2.pcap", &pcap(127, &site()));
    let (code, _, err) = wps(&["scan", path.to_str().unwrap(), "--mac", "nonsense"]);
    assert_eq!(code, 2);
    assert!(err.contains("--mac"), "{err}");
}
