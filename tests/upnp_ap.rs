//! The whole PC path with the real drivers, in memory: an `AccessPoint` with its
//! `UpnpDevice`, a PC (`ExternalRegistrar`) on its LAN and a printer (`Station`) on its
//! EAPOL port. Only bytes cross between them: SSDP datagrams, HTTP requests and answers,
//! event `NOTIFY`s, EAPOL frames. The access point is read and reconfigured with its AP
//! PIN over `PutMessage`, and relays the printer's registration to the PC.
#![cfg(feature = "upnp")]
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::net::{Ipv4Addr, SocketAddrV4};

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::ap::{AccessPoint, ApConfig, ApEvent, PeerKind};
use wps::attr::{AttrType, Attributes, MacAddr, Uuid};
use wps::pin::DevicePassword;
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant, Lifetime};
use wps::upnp::description::DeviceDescription;
use wps::upnp::device::{DeviceConfig, Served, UpnpDevice};
use wps::upnp::external::{ApSelector, ExternalRegistrar, PcEvent};
use wps::upnp::registrar::ErConfig;
use wps::{Outcome, RunError};

const AP_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 1);
const ER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 2);
const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0x5a, 1]);
const PRINTER_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0x5b, 1]);
const AP_UUID: Uuid = Uuid([0x12; 16]);
const UNIX: u64 = 1_796_033_582;
const AP_PIN: &[u8] = b"12345670";
const PRINTER_PIN: &[u8] = b"24681353";

fn pw(p: &[u8]) -> DevicePassword {
    DevicePassword::from_bytes(p).unwrap()
}

/// The router, the PC and the printer; what each reported.
struct Lab {
    now: Instant,
    ap: AccessPoint<StdRng>,
    device: UpnpDevice<StdRng>,
    pc: ExternalRegistrar<StdRng>,
    printer: Station<StdRng>,
    ap_events: Vec<ApEvent>,
    pc_events: Vec<PcEvent>,
    printer_events: Vec<StationEvent>,
    /// Whether the PC answers the access point's event NOTIFYs.
    pc_listens: bool,
}

impl Lab {
    fn new() -> Lab {
        let now = Instant::ZERO;
        let router = DeviceInfo::new(AP_UUID, AP_MAC, "router");
        let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
        let mut ap = AccessPoint::new(
            ApConfig::new(router.clone(), vec![home]),
            StdRng::seed_from_u64(1),
            now,
        );
        ap.set_ap_pin(pw(AP_PIN), Lifetime::Forever, now);
        let description = DeviceDescription::of_device(&router);
        let device = UpnpDevice::new(
            DeviceConfig::new(description, AP_IP, 24),
            StdRng::seed_from_u64(2),
            now,
        );
        let pc_device = DeviceInfo::new(Uuid([0x56; 16]), MacAddr([2, 0, 0, 0, 0x5c, 1]), "pc");
        let pc = ExternalRegistrar::new(
            pc_device,
            ErConfig::new(ER_IP, 49152, 9),
            StdRng::seed_from_u64(3),
        );
        let printer = Station::new(
            StationConfig::new(DeviceInfo::new(Uuid([0x34; 16]), PRINTER_MAC, "printer")),
            StdRng::seed_from_u64(4),
        );
        let mut lab = Lab {
            now,
            ap,
            device,
            pc,
            printer,
            ap_events: Vec::new(),
            pc_events: Vec::new(),
            printer_events: Vec::new(),
            pc_listens: true,
        };
        // hostapd answers a search within MX (3) seconds.
        lab.run_for(Duration::from_secs(4));
        assert!(
            lab.pc_events
                .iter()
                .any(|e| matches!(e, PcEvent::ApAdded { uuid, mac, .. } if *uuid == AP_UUID && *mac == AP_MAC)),
            "{:?}",
            lab.pc_events
        );
        assert!(lab.device.has_subscribers());
        lab.pc_events.clear();
        lab
    }

    /// Moves every datagram, request, event and frame until nobody has anything to send.
    fn pump(&mut self) {
        let now = self.now;
        for _ in 0..10_000 {
            let mut moved = false;
            while let Some(d) = self.pc.poll_datagram() {
                self.device
                    .handle_datagram(SocketAddrV4::new(ER_IP, 49226), d.as_bytes(), now);
                moved = true;
            }
            while let Some(d) = self.device.poll_datagram(now, UNIX) {
                self.pc.handle_datagram(d.bytes.as_bytes(), now);
                moved = true;
            }
            while let Some(r) = self.pc.poll_request() {
                assert_eq!(r.to.ipv4(), Some(AP_IP));
                match self.device.handle_request(
                    ER_IP,
                    r.bytes.as_bytes(),
                    true,
                    now,
                    UNIX,
                    &mut self.ap,
                ) {
                    Served::Reply(answer) => self.pc.handle_response(r.id, answer.as_bytes(), now),
                    Served::NeedMore => panic!("a whole request"),
                }
                moved = true;
            }
            self.ap.sync_upnp(&mut self.device);
            while let Some(n) = self.device.poll_delivery() {
                let ok = self.pc_listens
                    && matches!(
                        self.pc.handle_notify(n.request.as_bytes(), true, now, UNIX),
                        Served::Reply(a) if a.starts_with("HTTP/1.1 200 ")
                    );
                self.device.delivery_result(n.sid, ok, now);
                moved = true;
            }
            while let Some(t) = self.printer.poll_transmit() {
                let _ = self.ap.handle_eapol(PRINTER_MAC, &t.eapol, now);
                moved = true;
            }
            while let Some(t) = self.ap.poll_transmit() {
                if t.to == PRINTER_MAC || t.to.0 == wps::eap::PAE_GROUP_ADDR {
                    let _ = self.printer.handle_eapol(AP_MAC, &t.eapol, now);
                }
                moved = true;
            }
            self.ap.sync_upnp(&mut self.device);
            self.ap_events
                .extend(std::iter::from_fn(|| self.ap.poll_event()));
            self.pc_events
                .extend(std::iter::from_fn(|| self.pc.poll_event()));
            self.printer_events
                .extend(std::iter::from_fn(|| self.printer.poll_event()));
            if !moved {
                return;
            }
        }
        panic!("the lab never settled");
    }

    /// The printer starts a PIN run with its PIN, now.
    fn start_printer(&mut self) {
        let now = self.now;
        self.printer
            .start_pin(pw(PRINTER_PIN), Lifetime::Forever, now);
    }

    /// Whether the printer has met an M2D (a registrar without its PIN).
    fn printer_saw_m2d(&self) -> bool {
        let m2d = |e: &StationEvent| matches!(e, StationEvent::M2d(_));
        self.printer_events.iter().any(m2d)
    }

    /// Advances simulated time by `span`, running every timer as it falls due.
    fn run_for(&mut self, span: Duration) {
        let until = self.now + span;
        self.pump();
        loop {
            let next = [
                self.ap.poll_timeout(),
                self.device.poll_timeout(),
                self.pc.poll_timeout(),
                self.printer.poll_timeout(),
            ]
            .into_iter()
            .flatten()
            .min();
            match next {
                Some(t) if t <= until => {
                    self.now = self.now.max(t);
                    self.timers();
                }
                _ => break,
            }
        }
        self.now = until;
        self.timers();
    }

    fn timers(&mut self) {
        let now = self.now;
        self.ap.handle_timeout(now);
        self.device.handle_timeout(now);
        self.pc.handle_timeout(now);
        self.printer.handle_timeout(now);
        self.pump();
    }

    fn ap_finished(&self) -> Vec<(PeerKind, Outcome)> {
        self.ap_events
            .iter()
            .filter_map(|e| match e {
                ApEvent::Finished { kind, outcome, .. } => Some((*kind, outcome.clone())),
                _ => None,
            })
            .collect()
    }
}

/// The Beacon's WPS attributes.
fn beacon(ap: &AccessPoint<StdRng>, now: Instant) -> Vec<u8> {
    let ie = ap.beacon_ie(now);
    let mut attrs = Vec::new();
    let _ = wps::eap::element::join_vec(&ie, &mut attrs);
    attrs
}

fn selected(attrs: &[u8]) -> bool {
    Attributes::parse(attrs)
        .unwrap()
        .get(AttrType::SelectedRegistrar)
        == Some(&[1][..])
}

#[test]
fn the_pc_learns_the_access_point_with_its_ap_pin() {
    let mut lab = Lab::new();
    lab.pc.learn(ApSelector::Any, pw(AP_PIN), lab.now).unwrap();
    lab.run_for(Duration::from_secs(1));
    let settings = lab
        .pc_events
        .iter()
        .find_map(|e| match e {
            PcEvent::ApSettings { uuid, credential } => Some((*uuid, credential.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(settings.0, AP_UUID);
    assert_eq!(settings.1.ssid(), b"home");
    assert_eq!(settings.1.network_key(), b"correct horse battery");
    // Read only: the access point reports it and keeps its network.
    assert!(matches!(
        lab.ap_finished().as_slice(),
        [(PeerKind::ExternalRegistrar, Outcome::SettingsRead(c))] if c.ssid() == b"home"
    ));
    assert_eq!(lab.ap.networks()[0].ssid(), b"home");
}

#[test]
fn the_pc_configures_the_access_point() {
    let mut lab = Lab::new();
    let new = NetworkSettings::wpa2_personal(b"new-home", b"another passphrase").unwrap();
    lab.pc
        .configure(ApSelector::Any, pw(AP_PIN), new.clone(), lab.now)
        .unwrap();
    lab.run_for(Duration::from_secs(1));
    assert!(
        lab.pc_events.contains(&PcEvent::Success { mac: AP_MAC }),
        "{:?}",
        lab.pc_events
    );
    assert!(
        lab.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::NewApSettings(c) if c.ssid() == b"new-home"))
    );
    assert_eq!(lab.ap.networks(), [new]);
}

#[test]
fn wrong_ap_pins_lock_the_access_point_as_over_eap() {
    let mut lab = Lab::new();
    for _ in 0..3 {
        lab.pc
            .learn(ApSelector::Any, pw(b"11115670"), lab.now)
            .unwrap();
        lab.run_for(Duration::from_secs(1));
    }
    assert!(lab.ap_events.contains(&ApEvent::ApSetupLocked));
    let failures = lab.ap_finished();
    assert_eq!(failures.len(), 3, "{:?}", lab.ap_events);
    assert!(
        failures
            .iter()
            .all(|(_, o)| matches!(o, Outcome::Failed(RunError::IncorrectPin { half: 1 })))
    );
    // Locked: the right AP PIN is refused too (NACK 15 at M2), nothing is learned.
    lab.pc_events.clear();
    lab.pc.learn(ApSelector::Any, pw(AP_PIN), lab.now).unwrap();
    lab.run_for(Duration::from_secs(1));
    assert!(
        !lab.pc_events
            .iter()
            .any(|e| matches!(e, PcEvent::ApSettings { .. })),
        "{:?}",
        lab.pc_events
    );
    assert!(matches!(
        lab.ap_finished().last(),
        Some((_, Outcome::Failed(RunError::ApLocked)))
    ));
}

#[test]
fn without_an_ap_pin_get_device_info_fails() {
    let mut lab = Lab::new();
    lab.ap.disable_ap_pin();
    lab.pc.learn(ApSelector::Any, pw(AP_PIN), lab.now).unwrap();
    lab.run_for(Duration::from_secs(1));
    assert!(
        lab.pc_events
            .iter()
            .all(|e| !matches!(e, PcEvent::ApSettings { .. }))
    );
    assert!(lab.ap_finished().is_empty());
}

#[test]
fn the_pc_registers_a_printer_through_the_access_point() {
    let mut lab = Lab::new();
    lab.pc.learn(ApSelector::Any, pw(AP_PIN), lab.now).unwrap();
    lab.run_for(Duration::from_secs(1));
    assert!(!selected(&beacon(&lab.ap, lab.now)));

    // wps_er_pin any PIN MAC: SetSelectedRegistrar; the Beacon says so, for that MAC.
    lab.pc.add_pin(None, pw(PRINTER_PIN), Some(PRINTER_MAC));
    lab.run_for(Duration::from_millis(10));
    assert!(lab.pc_events.contains(&PcEvent::SelectedRegistrarSet {
        uuid: AP_UUID,
        done: true
    }));
    let attrs = beacon(&lab.ap, lab.now);
    assert!(selected(&attrs));
    let parsed = Attributes::parse(&attrs).unwrap();
    let macs: Vec<MacAddr> = parsed.wfa().unwrap().authorized_macs().collect();
    assert_eq!(macs, [PRINTER_MAC]);
    assert_eq!(
        parsed.get(AttrType::DevicePasswordId),
        Some(&[0, 0][..]),
        "a PIN"
    );
    // The registrar's config methods (the internal registrar has selected nothing).
    let pc_methods = DeviceInfo::new(Uuid([0x56; 16]), MacAddr([2, 0, 0, 0, 0x5c, 1]), "pc")
        .config_methods
        .0;
    assert_eq!(
        parsed.get(AttrType::SelectedRegistrarConfigMethods),
        Some(&pc_methods.to_be_bytes()[..])
    );
    // The Probe Response says the same.
    let mut probe = Vec::new();
    let _ = wps::eap::element::join_vec(&lab.ap.probe_response_ie(lab.now), &mut probe);
    assert!(selected(&probe));

    // The printer: M2D from the internal registrar (no PIN), then M2..M8 from the PC.
    lab.pc_events.clear();
    lab.start_printer();
    lab.run_for(Duration::from_secs(5));
    assert!(lab.printer_saw_m2d());
    let credentials = lab.printer.credentials();
    assert_eq!(credentials.len(), 1, "{:?}", lab.printer_events);
    assert_eq!(credentials[0].ssid(), b"home");
    assert_eq!(credentials[0].network_key(), b"correct horse battery");
    assert!(lab.pc_events.iter().any(|e| matches!(
        e,
        PcEvent::EnrolleeAdded { mac, m1: true, .. } if *mac == PRINTER_MAC
    )));
    assert!(
        lab.pc_events
            .contains(&PcEvent::Success { mac: PRINTER_MAC })
    );
    assert!(lab.ap_events.contains(&ApEvent::Relayed {
        peer: PRINTER_MAC,
        uuid: Uuid([0x34; 16]),
        success: true
    }));
    // The internal registrar's M2D is no failed registration; the PC deselected after.
    assert!(
        lab.ap_finished()
            .iter()
            .all(|(k, _)| *k == PeerKind::ExternalRegistrar)
    );
    assert!(!selected(&beacon(&lab.ap, lab.now)));
}

#[test]
fn a_registrar_that_does_not_answer_ends_the_relay_after_5_s() {
    let mut lab = Lab::new();
    // Subscribed, but its NOTIFYs go nowhere: the printer's M1 never reaches it.
    lab.pc_listens = false;
    lab.start_printer();
    lab.run_for(Duration::from_secs(3));
    assert!(lab.ap.session_count() == 1, "the relay waits");
    lab.run_for(Duration::from_secs(3));
    assert!(lab.ap_events.contains(&ApEvent::Relayed {
        peer: PRINTER_MAC,
        uuid: Uuid([0x34; 16]),
        success: false
    }));
    assert!(lab.printer.credentials().is_empty());
}

#[test]
fn a_selection_ends_after_the_walk_time_or_with_its_subscription() {
    let mut lab = Lab::new();
    lab.pc.push_button();
    lab.run_for(Duration::from_millis(10));
    let attrs = beacon(&lab.ap, lab.now);
    assert!(selected(&attrs));
    assert_eq!(
        Attributes::parse(&attrs)
            .unwrap()
            .get(AttrType::DevicePasswordId),
        Some(&[0, 4][..])
    );
    lab.run_for(Duration::from_secs(121));
    assert!(!selected(&beacon(&lab.ap, lab.now)));

    lab.pc.push_button();
    lab.run_for(Duration::from_millis(10));
    assert!(lab.ap.upnp_selected());
    lab.pc.stop();
    lab.run_for(Duration::from_millis(10));
    assert!(!lab.device.has_subscribers());
    assert!(!lab.ap.upnp_selected());
    assert!(!selected(&beacon(&lab.ap, lab.now)));
}

#[test]
fn without_a_subscriber_the_internal_registrar_alone_answers() {
    let mut lab = Lab::new();
    lab.pc.stop();
    lab.run_for(Duration::from_millis(10));
    lab.start_printer();
    lab.run_for(Duration::from_secs(1));
    // M2D, the ACK, EAP-Failure: no relay.
    assert!(lab.printer_saw_m2d());
    assert!(
        !lab.ap_events
            .iter()
            .any(|e| matches!(e, ApEvent::Relayed { .. }))
    );
    assert_eq!(lab.ap.session_count(), 0);
}

#[test]
fn a_probe_request_reaches_the_pc_and_it_selects_push_button() {
    let mut lab = Lab::new();
    // A push-button enrollee's Probe Request WPS attributes, as the radio would hand
    // them over (Version, Request Type, Config Methods, UUID-E, Primary Device Type, RF
    // Bands, Association State, Configuration Error, Device Password ID 4, names,
    // Version2).
    let tlv = |t: u16, v: &[u8]| {
        let mut out = t.to_be_bytes().to_vec();
        out.extend_from_slice(&u16::try_from(v.len()).unwrap().to_be_bytes());
        out.extend_from_slice(v);
        out
    };
    let attrs: Vec<u8> = [
        tlv(0x104a, &[0x10]),
        tlv(0x103a, &[1]),
        tlv(0x1008, &[0x06, 0x80]),
        tlv(0x1047, &[0x34; 16]),
        tlv(0x1054, &[0, 3, 0, 0x50, 0xf2, 4, 0, 1]),
        tlv(0x103c, &[3]),
        tlv(0x1002, &[0, 0]),
        tlv(0x1009, &[0, 0]),
        tlv(0x1012, &[0, 4]),
        tlv(0x1021, b" "),
        tlv(0x1023, b" "),
        tlv(0x1024, b" "),
        tlv(0x1011, b"printer"),
        tlv(0x1049, &[0, 0x37, 0x2a, 0, 1, 0x20]),
    ]
    .concat();
    lab.ap.handle_probe_request(PRINTER_MAC, &attrs, lab.now);
    lab.run_for(Duration::from_millis(10));
    assert!(
        lab.pc_events.iter().any(|e| matches!(
            e,
            PcEvent::EnrolleeAdded { mac, m1: false, uuid, .. }
                if *mac == PRINTER_MAC && *uuid == Uuid([0x34; 16])
        )),
        "{:?}",
        lab.pc_events
    );
    // wps_er_pbc: the Beacon says push-button, for any enrollee.
    lab.pc.push_button();
    lab.run_for(Duration::from_millis(10));
    let attrs = beacon(&lab.ap, lab.now);
    let parsed = Attributes::parse(&attrs).unwrap();
    assert_eq!(parsed.get(AttrType::DevicePasswordId), Some(&[0, 4][..]));
    let macs: Vec<MacAddr> = parsed.wfa().unwrap().authorized_macs().collect();
    assert_eq!(macs, [MacAddr::BROADCAST]);
}
