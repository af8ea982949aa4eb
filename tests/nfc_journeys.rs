//! NFC password tokens between the drivers on simulated time: the printer's own token
//! read by the access point, and a token whose hash names another key.

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::ap::{AccessPoint, ApConfig, ApEvent, CommandError};
use wps::attr::{ConfigError, MacAddr, Uuid};
use wps::nfc::OwnPasswordToken;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant};
use wps::{Outcome, RunError};

const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0xaa]);
const STA_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 1]);

struct Pair {
    now: Instant,
    ap: AccessPoint<StdRng>,
    sta: Station<StdRng>,
    ap_events: Vec<ApEvent>,
    sta_events: Vec<StationEvent>,
}

impl Pair {
    fn new() -> Pair {
        let router = DeviceInfo::new(Uuid([0xaa; 16]), AP_MAC, "router");
        let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
        let ap = AccessPoint::new(
            ApConfig::new(router, vec![home]),
            StdRng::seed_from_u64(1),
            Instant::ZERO,
        );
        let printer = DeviceInfo::new(Uuid([1; 16]), STA_MAC, "printer");
        let sta = Station::new(StationConfig::new(printer), StdRng::seed_from_u64(2));
        Pair {
            now: Instant::ZERO,
            ap,
            sta,
            ap_events: Vec::new(),
            sta_events: Vec::new(),
        }
    }

    fn pump(&mut self) {
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(t) = self.sta.poll_transmit() {
                moved = true;
                let _ = self.ap.handle_eapol(STA_MAC, &t.eapol, self.now);
            }
            while let Some(t) = self.ap.poll_transmit() {
                moved = true;
                let _ = self.sta.handle_eapol(AP_MAC, &t.eapol, self.now);
            }
            if !moved {
                break;
            }
        }
        self.ap_events
            .extend(std::iter::from_fn(|| self.ap.poll_event()));
        self.sta_events
            .extend(std::iter::from_fn(|| self.sta.poll_event()));
    }

    /// Runs timers and frames for `d` of simulated time.
    fn advance(&mut self, d: Duration) {
        let until = self.now + d;
        self.pump();
        while let Some(t) = [self.ap.poll_timeout(), self.sta.poll_timeout()]
            .into_iter()
            .flatten()
            .min()
            .filter(|t| *t <= until)
        {
            self.now = self.now.max(t);
            self.ap.handle_timeout(self.now);
            self.sta.handle_timeout(self.now);
            self.pump();
        }
        self.now = until;
    }

    fn station_outcome(&self) -> Option<(&Outcome, Option<ConfigError>)> {
        self.sta_events.iter().find_map(|e| match e {
            StationEvent::Finished { outcome, failure } => {
                Some((outcome, failure.map(|f| f.config_error)))
            }
            _ => None,
        })
    }

    fn ap_outcomes(&self) -> Vec<(Outcome, Option<ConfigError>)> {
        self.ap_events
            .iter()
            .filter_map(|e| match e {
                ApEvent::Finished {
                    outcome, failure, ..
                } => Some((outcome.clone(), failure.map(|f| f.config_error))),
                _ => None,
            })
            .collect()
    }
}

#[test]
fn the_printers_token_read_by_the_router_registers() {
    let mut pair = Pair::new();
    let token = OwnPasswordToken::generate(&mut StdRng::seed_from_u64(7));
    let id = token.password_id();
    pair.ap.read_nfc_tag(&token.to_ndef(), pair.now).unwrap();
    // The Beacon advertises the token's Device Password ID.
    let beacon = pair.ap.beacon_ie(pair.now);
    let [hi, lo] = id.to_be_bytes();
    let wanted = [0x10, 0x12, 0, 2, hi, lo];
    assert!(beacon.windows(6).any(|w| w == wanted), "{beacon:02x?}");
    let now = pair.now;
    pair.sta.start_nfc_token(token, now);
    pair.advance(Duration::from_secs(1));
    let (outcome, _) = pair.station_outcome().expect("finished");
    let Outcome::Succeeded(c) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(c[0].ssid(), b"home");
    let ap = pair.ap_outcomes();
    assert_eq!(ap.len(), 1);
    assert!(ap[0].0.is_success());
    // Used: forgotten, the Beacon no longer selects the registrar.
    let beacon = pair.ap.beacon_ie(pair.now);
    assert!(!beacon.windows(6).any(|w| w == wanted));
}

#[test]
fn a_token_with_another_keys_hash_ends_with_error_20_on_both_sides() {
    let mut pair = Pair::new();
    let token = OwnPasswordToken::generate(&mut StdRng::seed_from_u64(7));
    let mut ndef = token.to_ndef().to_vec();
    // The hash starts after the 3-byte header, the 23-byte type and the 4-byte TLV head.
    ndef[30] ^= 0x01;
    pair.ap.read_nfc_tag(&ndef, pair.now).unwrap();
    let now = pair.now;
    pair.sta.start_nfc_token(token, now);
    pair.advance(Duration::from_secs(5));
    let expected = Outcome::Failed(RunError::PublicKeyMismatch);
    assert_eq!(
        pair.station_outcome(),
        Some((&expected, Some(ConfigError::PublicKeyHashMismatch)))
    );
    assert_eq!(
        pair.ap_outcomes(),
        vec![(expected.clone(), Some(ConfigError::PublicKeyHashMismatch))]
    );
    assert!(
        expected.to_string().contains("public key hash mismatch"),
        "{expected}"
    );
    // Another device's token is not a missing PIN: no WPS-PIN-NEEDED.
    assert!(
        !pair
            .ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::PinNeeded { .. }))
    );
    // Only one attempt: the station does not try the same key again.
    let started = pair
        .sta_events
        .iter()
        .filter(|e| matches!(e, StationEvent::Started { .. }))
        .count();
    assert_eq!(started, 1);
}

#[test]
fn a_configuration_token_is_not_a_password_token() {
    let mut pair = Pair::new();
    let config = pair.ap.nfc_configuration_token().unwrap();
    assert_eq!(
        pair.ap.read_nfc_tag(&config, pair.now),
        Err(CommandError::NotPasswordToken)
    );
    assert!(matches!(
        pair.ap.read_nfc_tag(b"\xd2\x17", pair.now),
        Err(CommandError::Nfc(_))
    ));
}

#[test]
fn the_routers_configuration_token_carries_its_network() {
    let pair = Pair::new();
    let bytes = pair.ap.nfc_configuration_token().unwrap();
    let ndef = wps::nfc::read_ndef(&bytes).unwrap();
    let wps::nfc::Contents::ConfigurationToken(t) = ndef.contents().unwrap() else {
        panic!()
    };
    let c: Vec<_> = t.credentials().collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].ssid, b"home");
    assert_eq!(c[0].mac_address, MacAddr([0; 6]));
    assert_eq!(t.mac_address, Some(AP_MAC));
}
