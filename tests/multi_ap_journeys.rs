//! Multi-AP backhaul onboarding, driver against driver: a `Station` with
//! `StationConfig::multi_ap` and an `AccessPoint` with `ApConfig::multi_ap`, as
//! wpa_supplicant's `multi_ap=1` and hostapd's `multi_ap=N`.

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::Outcome;
use wps::ap::{AccessPoint, ApConfig, ApEvent};
use wps::attr::{AuthType, EncrType, MacAddr, MultiApFlags, Uuid};
use wps::eap::{Body, EapPacket, EapolPacket, EapolType, OpCode};
use wps::message::{M1, Message, MultiApMode};
use wps::registration::{Credential, DeviceInfo, MultiApSettings, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant};

const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0xaa]);
const STA_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0x5b, 1]);

struct Run {
    station: Vec<StationEvent>,
    ap: Vec<ApEvent>,
    backhaul: bool,
    /// The M1s the station sent.
    m1s: Vec<Vec<u8>>,
}

/// Push-button on both sides; moves frames (and time, a second at a time) until the
/// station has finished.
fn push_button(ap_mode: Option<MultiApMode>, station_multi_ap: bool) -> Run {
    let router = DeviceInfo::new(Uuid([0xaa; 16]), AP_MAC, "router");
    let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
    let mut config = ApConfig::new(router, vec![home]);
    config.multi_ap =
        ap_mode.map(|m| MultiApSettings::new(m, b"backhaul", b"backhaul-pass").unwrap());
    let mut now = Instant::ZERO;
    let mut ap = AccessPoint::new(config, StdRng::seed_from_u64(1), now);
    let device = DeviceInfo::new(Uuid([1; 16]), STA_MAC, "extender");
    let mut sc = StationConfig::new(device);
    sc.multi_ap = station_multi_ap;
    let mut station = Station::new(sc, StdRng::seed_from_u64(2));
    ap.push_button(now).unwrap();
    station.press_button(now);
    let mut run = Run {
        station: Vec::new(),
        ap: Vec::new(),
        backhaul: false,
        m1s: Vec::new(),
    };
    for _ in 0..30 {
        for _ in 0..1000 {
            let mut moved = false;
            while let Some(t) = station.poll_transmit() {
                moved = true;
                run.m1s.extend(m1_of(&t.eapol));
                let _ = ap.handle_eapol(STA_MAC, &t.eapol, now);
            }
            while let Some(t) = ap.poll_transmit() {
                moved = true;
                let _ = station.handle_eapol(AP_MAC, &t.eapol, now);
            }
            if !moved {
                break;
            }
        }
        run.ap.extend(std::iter::from_fn(|| ap.poll_event()));
        run.station
            .extend(std::iter::from_fn(|| station.poll_event()));
        if run
            .station
            .iter()
            .any(|e| matches!(e, StationEvent::Finished { .. }))
        {
            run.backhaul = station.credentials_are_backhaul();
            return run;
        }
        now += Duration::from_secs(1);
        ap.handle_timeout(now);
        station.handle_timeout(now);
    }
    panic!("the station did not finish: {:?}", run.station);
}

/// The M1 inside an EAPOL frame, if it carries one.
fn m1_of(eapol: &[u8]) -> Option<Vec<u8>> {
    let frame = EapolPacket::parse(eapol).ok()?;
    if frame.packet_type != EapolType::EapPacket {
        return None;
    }
    let Body::Wsc(wsc) = EapPacket::parse(frame.body).ok()?.body else {
        return None;
    };
    (wsc.op_code == OpCode::Msg && matches!(Message::parse(wsc.data), Ok(Message::M1(_))))
        .then(|| wsc.data.to_vec())
}

/// The credentials of a successful outcome; anything else fails the test.
fn succeeded(outcome: Option<&Outcome>) -> &[Credential] {
    match outcome {
        Some(Outcome::Succeeded(c)) => c,
        other => panic!("{other:?}"),
    }
}

fn station_credentials(run: &Run) -> &[Credential] {
    succeeded(run.station.iter().find_map(|e| match e {
        StationEvent::Finished { outcome, .. } => Some(outcome),
        _ => None,
    }))
}

fn ap_credentials(run: &Run) -> &[Credential] {
    succeeded(run.ap.iter().find_map(|e| match e {
        ApEvent::Finished { outcome, .. } => Some(outcome),
        _ => None,
    }))
}

#[test]
fn a_backhaul_sta_gets_the_backhaul_network_from_mode_3_and_2() {
    for mode in [MultiApMode::Both, MultiApMode::Fronthaul] {
        let run = push_button(Some(mode), true);
        let got = station_credentials(&run);
        assert_eq!(got.len(), 1, "{mode:?}");
        assert_eq!(got[0].ssid(), b"backhaul", "{mode:?}");
        assert_eq!(got[0].network_key(), b"backhaul-pass");
        assert_eq!(got[0].auth_type(), AuthType::WPA2_PSK);
        assert_eq!(got[0].encr_type(), EncrType::AES);
        assert_eq!(got[0].mac(), STA_MAC);
        assert!(run.backhaul, "{mode:?}");
        // The access point reports what it handed out.
        assert_eq!(ap_credentials(&run), got, "{mode:?}");
        // Every M1 asked for it, with exactly the Backhaul STA flag.
        assert!(!run.m1s.is_empty());
        for m1 in &run.m1s {
            let m1 = M1::parse(m1).unwrap();
            assert_eq!(m1.multi_ap(), Some(MultiApFlags::BACKHAUL_STA));
        }
    }
}

#[test]
fn a_backhaul_only_bss_hands_out_the_fronthaul_network() {
    let run = push_button(Some(MultiApMode::Backhaul), true);
    let got = station_credentials(&run);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].ssid(), b"home");
    assert_eq!(ap_credentials(&run)[0].ssid(), b"home");
    // The station asked, so it takes what it got for its backhaul network, as
    // wpa_supplicant does (M8 does not say which it is).
    assert!(run.backhaul);
}

#[test]
fn a_plain_station_gets_the_fronthaul_network() {
    for mode in [Some(MultiApMode::Both), None] {
        let run = push_button(mode, false);
        let got = station_credentials(&run);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].ssid(), b"home", "{mode:?}");
        assert_eq!(ap_credentials(&run)[0].ssid(), b"home");
        assert!(!run.backhaul);
        for m1 in &run.m1s {
            let m1 = M1::parse(m1).unwrap();
            assert_eq!(m1.multi_ap(), None);
            assert!(!m1.asks_for_backhaul());
        }
    }
}

#[test]
fn a_backhaul_sta_and_an_ordinary_ap_get_along() {
    // hostapd without multi_ap ignores the subelement.
    let run = push_button(None, true);
    assert_eq!(station_credentials(&run)[0].ssid(), b"home");
    assert!(run.backhaul);
}
