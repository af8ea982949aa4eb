//! Both UPnP machines and the registration machines, joined in memory: a PC (external
//! registrar) finds an access point, learns its settings with the AP PIN over
//! `PutMessage`, then registers a printer whose EAP messages the access point relays as
//! `WLANEvent`s and `PutWLANResponse`s. Only bytes cross between the sides.
#![cfg(feature = "upnp")]

use std::net::{Ipv4Addr, SocketAddrV4};

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::attr::{MacAddr, MessageType, Uuid};
use wps::pin::DevicePassword;
use wps::registration::{
    Credential, DeviceInfo, Enrollee, EnrolleeConfig, Event, FixedPassword, NetworkSettings,
    RegistrarConfig, RegistrarSession, SessionSecrets,
};
use wps::time::Instant;
use wps::upnp::description::{DeviceDescription, ServiceUrls};
use wps::upnp::device::{Control, DeviceConfig, Served, UpnpDevice};
use wps::upnp::registrar::{ApId, ErConfig, ErEvent, UpnpRegistrar};
use wps::upnp::selected_registrar::SelectedRegistrar;
use wps::upnp::soap::{Action, Call, Fault, Reply};
use wps::upnp::wlan_event::{WlanEvent, WlanEventType};

const AP_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 1);
const ER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 77, 2);
const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0x5a, 1]);
const PRINTER_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0x5b, 1]);
const UNIX: u64 = 1_796_033_582;

/// The access point: its enrollee role towards registrars, and the relay to one
/// printer whose EAP conversation is simulated by handing messages over directly.
struct Ap {
    rng: StdRng,
    device: DeviceInfo,
    ap_pin: DevicePassword,
    current: Credential,
    enrollee: Option<Enrollee>,
    printer: Enrollee,
    /// Messages from the printer waiting to be relayed as WLANEvents.
    from_printer: Vec<Vec<u8>>,
    printer_credentials: Vec<Credential>,
}

impl Control for Ap {
    fn get_device_info(&mut self, now: Instant) -> Result<Vec<u8>, Fault> {
        let config = EnrolleeConfig::access_point(
            self.device.clone(),
            self.ap_pin.clone(),
            self.current.clone(),
        );
        let mut enrollee = Enrollee::new(config, SessionSecrets::generate(&mut self.rng), now);
        let m1 = enrollee.start(now).bytes;
        self.enrollee = Some(enrollee);
        Ok(m1)
    }

    fn put_message(&mut self, message: &[u8], now: Instant) -> Result<Vec<u8>, Fault> {
        let enrollee = self.enrollee.as_mut().ok_or(Fault::new(501))?;
        // hostapd answers the registrar's closing NACK with fault 500.
        enrollee
            .handle(message, now)
            .map(|o| o.bytes)
            .ok_or(Fault::new(500))
    }

    fn put_wlan_response(&mut self, response: &WlanEvent, now: Instant) -> Result<(), Fault> {
        assert_eq!(
            (response.mac, response.kind),
            (PRINTER_MAC, WlanEventType::Eap)
        );
        if let Some(out) = self.printer.handle(&response.data, now) {
            self.from_printer.push(out.bytes);
        }
        while let Some(e) = self.printer.poll_event() {
            if let Event::Credential(c) = e {
                self.printer_credentials.push(c);
            }
        }
        Ok(())
    }

    fn set_selected_registrar(
        &mut self,
        _: Uuid,
        _: &SelectedRegistrar,
        _: Instant,
    ) -> Result<(), Fault> {
        Ok(())
    }
}

/// Defines `pump` over one registrar type: moves every pending datagram, request and
/// event between the access point's device and the registrar until nothing moves. The
/// two closures hand the registrar an SSDP datagram and an event `NOTIFY` (the whole
/// `ExternalRegistrar` takes the time as well).
macro_rules! pump_over {
    ($registrar:ty => $event:ty, datagram: $datagram:expr, notify: $notify:expr) => {
        fn pump(
            device: &mut UpnpDevice<StdRng>,
            er: &mut $registrar,
            ap: &mut Ap,
            now: Instant,
        ) -> Vec<$event> {
            let mut events = Vec::new();
            loop {
                let mut moved = false;
                while let Some(d) = er.poll_datagram() {
                    device.handle_datagram(SocketAddrV4::new(ER_IP, 49226), d.as_bytes(), now);
                    moved = true;
                }
                if device.poll_timeout().is_some_and(|t| t <= now) {
                    device.handle_timeout(now);
                }
                while let Some(d) = device.poll_datagram(now, UNIX) {
                    $datagram(&mut *er, d.bytes.as_bytes(), now);
                    moved = true;
                }
                while let Some(r) = er.poll_request() {
                    assert_eq!(r.to.ipv4(), Some(AP_IP));
                    match device.handle_request(ER_IP, r.bytes.as_bytes(), true, now, UNIX, ap) {
                        Served::Reply(answer) => er.handle_response(r.id, answer.as_bytes(), now),
                        Served::NeedMore => panic!("a whole request"),
                    }
                    moved = true;
                }
                for m in ap.from_printer.drain(..) {
                    device.relay(WlanEventType::Eap, PRINTER_MAC, &m);
                    moved = true;
                }
                while let Some(n) = device.poll_delivery() {
                    assert_eq!(n.to.ipv4(), Some(ER_IP));
                    let ok = matches!(
                        $notify(&mut *er, n.request.as_bytes(), now),
                        Served::Reply(answer) if answer.starts_with("HTTP/1.1 200 ")
                    );
                    device.delivery_result(n.sid, ok, now);
                    moved = true;
                }
                while let Some(e) = er.poll_event() {
                    events.push(e);
                    moved = true;
                }
                if !moved {
                    return events;
                }
            }
        }
    };
}

pump_over!(
    UpnpRegistrar => ErEvent,
    datagram: |er: &mut UpnpRegistrar, bytes: &[u8], _| er.handle_datagram(bytes),
    notify: |er: &mut UpnpRegistrar, bytes: &[u8], _| er.handle_notify(bytes, true, UNIX)
);

const AP_UUID: Uuid = Uuid([0x12; 16]);

/// The access point (network "home", AP PIN 12345670) with its UPnP device, and the
/// printer behind it: (the rng its secrets came from, for the test's next sessions; the
/// access point; its UPnP device; the printer's PIN; the M1 the printer starts with).
fn lab(seed: u64, now: Instant) -> (StdRng, Ap, UpnpDevice<StdRng>, DevicePassword, Vec<u8>) {
    let mut rng = StdRng::seed_from_u64(seed);
    let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
    let printer_pin = DevicePassword::from_bytes(b"24681353").unwrap();
    let printer_device = DeviceInfo::new(Uuid([0x34; 16]), PRINTER_MAC, "printer");
    let mut printer = Enrollee::new(
        EnrolleeConfig::station(printer_device, printer_pin.clone()),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let printer_m1 = printer.start(now).bytes;
    let ap = Ap {
        rng: StdRng::seed_from_u64(1),
        device: DeviceInfo::new(AP_UUID, AP_MAC, "router"),
        ap_pin: DevicePassword::from_bytes(b"12345670").unwrap(),
        current: Credential::new(home, AP_MAC),
        enrollee: None,
        printer,
        from_printer: Vec::new(),
        printer_credentials: Vec::new(),
    };
    let description = DeviceDescription {
        uuid: AP_UUID,
        friendly_name: "router".into(),
        manufacturer: "maker".into(),
        manufacturer_url: None,
        model_description: None,
        model_name: "model".into(),
        model_number: None,
        model_url: None,
        serial_number: None,
        upc: None,
        service: ServiceUrls::hostapd(),
    };
    let device = UpnpDevice::new(
        DeviceConfig::new(description, AP_IP, 24),
        StdRng::seed_from_u64(2),
        now,
    );
    (rng, ap, device, printer_pin, printer_m1)
}

#[test]
fn a_pc_learns_the_access_point_then_registers_a_printer_through_it() {
    let now = Instant::ZERO;
    let (mut rng, mut ap, mut device, printer_pin, printer_m1) = lab(42, now);
    let mut er = UpnpRegistrar::new(ErConfig::new(ER_IP, 49152, 7));

    // Discovery: search, description, GetDeviceInfo, subscription.
    er.search();
    let mut now = now;
    let mut events = pump(&mut device, &mut er, &mut ap, now);
    now += core::time::Duration::from_secs(3);
    events.extend(pump(&mut device, &mut er, &mut ap, now));
    let (ap_id, m1) = events
        .iter()
        .find_map(|e| match e {
            ErEvent::ApAdded {
                ap,
                description,
                m1,
            } => {
                assert_eq!(description.uuid, AP_UUID);
                Some((*ap, m1.clone()))
            }
            _ => None,
        })
        .unwrap();
    assert_eq!(
        wps::message::Message::parse(&m1).unwrap().message_type(),
        MessageType::M1
    );
    assert_eq!(er.aps().collect::<Vec<_>>(), [(ap_id, AP_UUID)]);

    // Learn: GetDeviceInfo, then M2..M7 over PutMessage, then the closing NACK.
    let er_device = DeviceInfo::new(Uuid([0x56; 16]), MacAddr([2, 0, 0, 0, 0x5c, 1]), "pc");
    let mut session = RegistrarSession::new(
        RegistrarConfig::external(er_device.clone(), None),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let mut ap_pin = FixedPassword::new(DevicePassword::from_bytes(b"12345670").unwrap());
    er.call(ap_id, &Call::GetDeviceInfo).unwrap();
    let mut learned = None;
    let mut faults = 0;
    for _ in 0..10 {
        for e in pump(&mut device, &mut er, &mut ap, now) {
            let ErEvent::Answer { ap, action, result } = e else {
                continue;
            };
            assert_eq!(ap, ap_id);
            let message = match result {
                Ok(Reply::GetDeviceInfo { device_info }) => device_info,
                Ok(Reply::PutMessage { message }) => message,
                Ok(other) => panic!("{other:?}"),
                Err(fault) => {
                    assert_eq!((action, fault.code), (Action::PutMessage, 500));
                    faults += 1;
                    continue;
                }
            };
            if let Some(out) = session.handle(&message, now, &mut ap_pin) {
                er.call(ap_id, &Call::PutMessage { message: out.bytes });
            }
            while let Some(e) = session.poll_event() {
                if let Event::ApSettings(c) = e {
                    learned = Some(c);
                }
            }
        }
    }
    let learned = learned.unwrap();
    assert_eq!(learned.ssid(), b"home");
    assert_eq!(learned.network_key(), b"correct horse battery");
    assert_eq!(faults, 1);

    // The printer: its M1 reaches the PC as a WLANEvent; the PC's registrar answers
    // through PutWLANResponse until WSC_Done comes back.
    let mut printer_session = RegistrarSession::new(
        RegistrarConfig::internal(er_device, vec![learned.settings().clone()]),
        SessionSecrets::generate(&mut rng),
        now,
    );
    let mut pin = FixedPassword::new(printer_pin);
    device.relay(WlanEventType::Eap, PRINTER_MAC, &printer_m1);
    let mut relayed = Vec::new();
    for _ in 0..10 {
        for e in pump(&mut device, &mut er, &mut ap, now) {
            let ErEvent::Wlan { ap, event } = e else {
                continue;
            };
            assert_eq!(
                (ap, event.kind, event.mac),
                (ap_id, WlanEventType::Eap, PRINTER_MAC)
            );
            relayed.push(
                wps::message::Message::parse(&event.data)
                    .unwrap()
                    .message_type(),
            );
            if let Some(out) = printer_session.handle(&event.data, now, &mut pin) {
                er.call(
                    ap_id,
                    &Call::PutWlanResponse {
                        message: out.bytes,
                        kind: WlanEventType::Eap,
                        mac: PRINTER_MAC,
                    },
                );
            }
        }
    }
    assert_eq!(
        relayed,
        [
            MessageType::M1,
            MessageType::M3,
            MessageType::M5,
            MessageType::M7,
            MessageType::WscDone
        ]
    );
    assert!(printer_session.is_success());
    assert_eq!(ap.printer_credentials.len(), 1);
    assert_eq!(ap.printer_credentials[0].ssid(), b"home");

    // Leaving: UNSUBSCRIBE, and the access point forgets the subscription.
    er.stop();
    pump(&mut device, &mut er, &mut ap, now);
    assert!(!device.has_subscribers());
    let _: ApId = ap_id;
}

mod whole_pc {
    use super::*;
    use wps::upnp::external::{ApSelector, ErCommandError, ExternalRegistrar, PcEvent};

    pump_over!(
        ExternalRegistrar<StdRng> => PcEvent,
        datagram: ExternalRegistrar::handle_datagram,
        notify: |pc: &mut ExternalRegistrar<StdRng>, bytes: &[u8], now| {
            pc.handle_notify(bytes, true, now, UNIX)
        }
    );

    #[test]
    fn wps_er_learn_then_wps_er_pin() {
        let now = Instant::ZERO;
        let (_, mut ap, mut device, printer_pin, printer_m1) = lab(5, now);
        let pc_device = DeviceInfo::new(Uuid([0x56; 16]), MacAddr([2, 0, 0, 0, 0x5c, 1]), "pc");
        let mut pc = ExternalRegistrar::new(
            pc_device,
            ErConfig::new(ER_IP, 49152, 9),
            StdRng::seed_from_u64(3),
        );
        assert_eq!(
            pc.learn(ApSelector::Any, ap.ap_pin.clone(), now),
            Err(ErCommandError::NoSuchAp)
        );
        let later = now + core::time::Duration::from_secs(3);
        let mut events = pump(&mut device, &mut pc, &mut ap, now);
        events.extend(pump(&mut device, &mut pc, &mut ap, later));
        assert!(matches!(
            events.as_slice(),
            [PcEvent::ApAdded { uuid, mac, .. }] if *uuid == AP_UUID && *mac == AP_MAC
        ));

        // wps_er_learn any 12345670
        pc.learn(ApSelector::Any, ap.ap_pin.clone(), later).unwrap();
        let events = pump(&mut device, &mut pc, &mut ap, later);
        let [
            PcEvent::Failed {
                failure: Some(failure),
            },
            PcEvent::ApSettings { uuid, credential },
        ] = events.as_slice()
        else {
            panic!("{events:?}")
        };
        // As wpa_supplicant: `WPS-FAIL msg=11 config_error=0`, then the settings.
        assert_eq!(failure.message, Some(MessageType::M7));
        assert_eq!(u16::from(failure.config_error), 0);
        assert_eq!((*uuid, credential.ssid()), (AP_UUID, &b"home"[..]));

        // wps_er_pin any 24681353 02:00:00:00:5b:01, then the printer's M1 arrives.
        pc.add_pin(None, printer_pin, Some(PRINTER_MAC));
        let events = pump(&mut device, &mut pc, &mut ap, later);
        assert_eq!(
            events,
            [PcEvent::SelectedRegistrarSet {
                uuid: AP_UUID,
                done: true
            }]
        );
        device.relay(WlanEventType::Eap, PRINTER_MAC, &printer_m1);
        let events = pump(&mut device, &mut pc, &mut ap, later);
        assert!(matches!(
            events.first(),
            Some(PcEvent::EnrolleeAdded { mac, m1: true, .. }) if *mac == PRINTER_MAC
        ));
        assert!(events.contains(&PcEvent::Success { mac: PRINTER_MAC }));
        // Deselected after the registration.
        assert_eq!(
            events.last(),
            Some(&PcEvent::SelectedRegistrarSet {
                uuid: AP_UUID,
                done: true
            })
        );
        assert_eq!(ap.printer_credentials.len(), 1);
        assert_eq!(
            ap.printer_credentials[0].network_key(),
            b"correct horse battery"
        );
    }
}
