//! NFC between the drivers on simulated time: the printer's own password token read by
//! the access point, a token whose hash names another key, and connection handover
//! (the station's request, the router's select) with and without matching keys.

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::ap::{AccessPoint, ApConfig, ApEvent, CommandError, NfcFormat};
use wps::attr::{ConfigError, MacAddr, MessageType, Uuid};
use wps::nfc::{Contents, OwnHandoverRequest, OwnPasswordToken, read_ndef, to_wsc_record};
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

    /// The station's journey ended with a public-key hash mismatch (Configuration Error
    /// 20); that outcome.
    fn station_refused_with_20(&self) -> Outcome {
        let expected = Outcome::Failed(RunError::PublicKeyMismatch);
        assert_eq!(
            self.station_outcome(),
            Some((&expected, Some(ConfigError::PublicKeyHashMismatch)))
        );
        expected
    }

    /// How many EAP conversations the station started.
    fn attempts(&self) -> usize {
        self.sta_events
            .iter()
            .filter(|e| matches!(e, StationEvent::Started { .. }))
            .count()
    }

    /// Whether the access point said `WPS-PIN-NEEDED`.
    fn pin_needed(&self) -> bool {
        self.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::PinNeeded { .. }))
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
    let expected = pair.station_refused_with_20();
    assert_eq!(
        pair.ap_outcomes(),
        vec![(expected.clone(), Some(ConfigError::PublicKeyHashMismatch))]
    );
    assert!(
        expected.to_string().contains("public key hash mismatch"),
        "{expected}"
    );
    // Another device's token is not a missing PIN: no WPS-PIN-NEEDED.
    assert!(!pair.pin_needed());
    // Only one attempt: the station does not try the same key again.
    assert_eq!(pair.attempts(), 1);
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

/// The station's handover request (NDEF carrier record, as `wps nfc handover-req`
/// prints it) and the request it keeps.
fn handover_request(seed: u64) -> (Vec<u8>, OwnHandoverRequest) {
    let own = OwnHandoverRequest::generate(&mut StdRng::seed_from_u64(seed), Uuid([0x87; 16]));
    let ndef = to_wsc_record(&wps::nfc::handover::Carrier(&own.request())).unwrap();
    (ndef, own)
}

fn select_of(ndef: &[u8]) -> wps::nfc::HandoverSelect<'_> {
    match read_ndef(ndef).unwrap().contents().unwrap() {
        Contents::HandoverSelect(s) => s,
        other => panic!("{other:?}"),
    }
}

/// The handover bytes of one touch: request, select; `flip` changes a bit of the
/// request's hash (as the AP reads it) or of the select's (as the station reads it).
enum Flip {
    None,
    Request,
    Select,
}

fn handover(flip: Flip) -> Pair {
    let mut pair = Pair::new();
    let (mut req, own) = handover_request(7);
    let mut sel = pair.ap.nfc_handover_select(NfcFormat::Ndef).unwrap();
    // The hash starts after the record header (3), type (23), carrier length (2) and
    // the OOB Device Password TLV head (4).
    match flip {
        Flip::None => {}
        Flip::Request => req[32] ^= 0x01,
        Flip::Select => sel[32] ^= 0x01,
    }
    pair.ap.nfc_report_handover(&req, &sel, pair.now).unwrap();
    // Selected Registrar with Device Password ID 7.
    let beacon = pair.ap.beacon_ie(pair.now);
    assert!(
        beacon.windows(6).any(|w| w == [0x10, 0x12, 0, 2, 0, 7]),
        "{beacon:02x?}"
    );
    let now = pair.now;
    pair.sta.start_nfc_handover(own, &select_of(&sel), now);
    pair.advance(Duration::from_secs(5));
    pair
}

#[test]
fn handover_between_station_and_router_delivers_the_network() {
    let pair = handover(Flip::None);
    let (outcome, _) = pair.station_outcome().expect("finished");
    let Outcome::Succeeded(c) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(c[0].ssid(), b"home");
    assert_eq!(c[0].network_key(), b"correct horse battery");
    let ap = pair.ap_outcomes();
    assert_eq!(ap.len(), 1);
    assert!(ap[0].0.is_success(), "{ap:?}");
    // The registration ran under the request's UUID-E.
    assert!(pair.ap_events.iter().any(|e| matches!(
        e,
        ApEvent::Finished { uuid: Some(u), .. } if *u == Uuid([0x87; 16])
    )));
    // Used up: the registrar is no longer selected.
    let beacon = pair.ap.beacon_ie(pair.now);
    assert!(!beacon.windows(6).any(|w| w == [0x10, 0x12, 0, 2, 0, 7]));
}

#[test]
fn handover_request_with_another_keys_hash_ends_with_error_20_on_both_sides() {
    let pair = handover(Flip::Request);
    let expected = pair.station_refused_with_20();
    assert_eq!(
        pair.ap_outcomes(),
        vec![(expected, Some(ConfigError::PublicKeyHashMismatch))]
    );
    assert!(!pair.pin_needed());
}

#[test]
fn handover_select_with_another_keys_hash_ends_with_error_20_on_both_sides() {
    let pair = handover(Flip::Select);
    pair.station_refused_with_20();
    // The router sent M2 and got the station's WSC_NACK with 20.
    let failures: Vec<_> = pair
        .ap_events
        .iter()
        .filter_map(|e| match e {
            ApEvent::Finished {
                failure: Some(f), ..
            } => Some((f.message, f.config_error)),
            _ => None,
        })
        .collect();
    assert_eq!(
        failures,
        vec![(Some(MessageType::M2), ConfigError::PublicKeyHashMismatch)]
    );
    // One attempt only: the same keys cannot match later.
    assert_eq!(pair.attempts(), 1);
}

#[test]
fn handover_commands_refuse_what_they_cannot_use() {
    let mut pair = Pair::new();
    let (req, _) = handover_request(7);
    // No select made yet.
    assert_eq!(
        pair.ap.nfc_report_handover(&req, &[], pair.now),
        Err(CommandError::NoHandoverSelect)
    );
    let sel = pair.ap.nfc_handover_select(NfcFormat::Ndef).unwrap();
    // The same key for every select; the WPS form is the carrier record's payload.
    assert_eq!(pair.ap.nfc_handover_select(NfcFormat::Ndef).unwrap(), sel);
    let raw = pair.ap.nfc_handover_select(NfcFormat::Wps).unwrap();
    assert_eq!(&sel[26..], &raw[..]);
    // A select or a token is not a request.
    assert_eq!(
        pair.ap.nfc_report_handover(&sel, &sel, pair.now),
        Err(CommandError::NotHandoverRequest)
    );
    let token = OwnPasswordToken::generate(&mut StdRng::seed_from_u64(3));
    assert_eq!(
        pair.ap
            .nfc_report_handover(&token.to_ndef(), &sel, pair.now),
        Err(CommandError::NotHandoverRequest)
    );
    pair.ap.nfc_report_handover(&req, &sel, pair.now).unwrap();
    // wps_cancel forgets the request and the key: a new select names a new key.
    pair.ap.cancel(pair.now);
    let beacon = pair.ap.beacon_ie(pair.now);
    assert!(!beacon.windows(6).any(|w| w == [0x10, 0x12, 0, 2, 0, 7]));
    assert_ne!(pair.ap.nfc_handover_select(NfcFormat::Ndef).unwrap(), sel);
}

#[test]
fn wps_cancel_forgets_enrollee_tokens() {
    let mut pair = Pair::new();
    let token = OwnPasswordToken::generate(&mut StdRng::seed_from_u64(7));
    pair.ap.read_nfc_tag(&token.to_ndef(), pair.now).unwrap();
    pair.ap.cancel(pair.now);
    let now = pair.now;
    pair.sta.start_nfc_token(token, now);
    pair.advance(Duration::from_secs(1));
    // The token is gone: the registrar has no password (M2D), the station keeps trying.
    assert!(pair.station_outcome().is_none());
    assert!(
        pair.sta_events
            .iter()
            .any(|e| matches!(e, StationEvent::M2d(_)))
    );
}

/// `wps_nfc_token NDEF` + `enable`: an external registrar that read the router's token
/// proves its password (the token's hex) instead of the AP PIN; after `disable` the
/// same password is wrong again.
#[test]
fn the_routers_own_token_replaces_its_ap_pin_while_enabled() {
    let mut pair = Pair::new();
    let ap_pin = wps::pin::DevicePassword::from_bytes(b"12345670").unwrap();
    pair.ap
        .set_ap_pin(ap_pin, wps::time::Lifetime::Forever, pair.now);
    assert_eq!(pair.ap.enable_nfc_token(), Err(CommandError::NoNfcToken));
    let ndef = pair.ap.nfc_token(NfcFormat::Ndef);
    let raw = pair.ap.nfc_token(NfcFormat::Wps);
    // A fresh token each time; the WPS form is the record's payload.
    assert_ne!(&ndef[26..], &raw[..]);
    let wrapped = raw_as_ndef(&raw);
    let Contents::PasswordToken(token) = read_ndef(&wrapped).unwrap().contents().unwrap() else {
        panic!("not a password token")
    };
    assert!(token.password_id >= 0x10);
    let password = token.password().device_password();
    pair.ap.enable_nfc_token().unwrap();
    let now = pair.now;
    pair.sta
        .start_external_registrar(password.clone(), None, now);
    pair.advance(Duration::from_secs(2));
    let (outcome, _) = pair.station_outcome().expect("finished");
    let Outcome::SettingsRead(settings) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(settings.ssid(), b"home");

    pair.ap.disable_nfc_token();
    pair.sta_events.clear();
    let now = pair.now;
    pair.sta.start_external_registrar(password, None, now);
    pair.advance(Duration::from_secs(2));
    let (outcome, _) = pair.station_outcome().expect("finished");
    assert!(
        matches!(outcome, Outcome::Failed(RunError::IncorrectPin { .. })),
        "{outcome:?}"
    );
}

/// A token's attributes (the `WPS` form) wrapped as the `NDEF` form writes them.
fn raw_as_ndef(raw: &[u8]) -> Vec<u8> {
    let mut ndef = vec![0xd2, 0x17, u8::try_from(raw.len()).unwrap()];
    ndef.extend_from_slice(b"application/vnd.wfa.wsc");
    ndef.extend_from_slice(raw);
    ndef
}
