//! The PC as a whole: an external registrar over UPnP with wpa_cli's commands — what
//! `wps er` runs, so that the command only moves bytes.
//!
//! [`ExternalRegistrar`] owns the UPnP side ([`UpnpRegistrar`]) and the registration
//! runs (`RegistrarSession`): one per access point it learns or configures with the AP
//! PIN (`wps_er_learn`, `wps_er_config`: `GetDeviceInfo`, then `PutMessage` M2…), and one
//! per enrollee the access point relays (`wps_er_pin`, `wps_er_pbc`: `SetSelectedRegistrar`,
//! then M1 in a `WLANEvent` and M2… back in `PutWLANResponse`). Its I/O methods are the
//! UPnP side's; its events carry what wpa_supplicant's `WPS-ER-…` lines print.
//!
//! As in wpa_supplicant, an enrollee is given the settings learned from its access point
//! (`wps_er_learn` first); an enrollee behind an access point whose settings are not
//! known is reported but not registered.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::vec::Vec;

use rand_core::CryptoRng;

use crate::attr::{ConfigMethods, DevicePasswordId, MacAddr, MessageType, Uuid};
use crate::message::ie::ProbeRequest;
use crate::pin::DevicePassword;
use crate::registration::{
    Credential, DeviceInfo, Event, Failure, FixedPassword, NetworkSettings, RegistrarConfig,
    RegistrarSession, SessionSecrets,
};
use crate::time::Instant;

use super::description::DeviceDescription;
use super::device::Served;
use super::registrar::{ApId, ErConfig, ErEvent, Request, RequestId, UpnpRegistrar};
use super::selected_registrar::SelectedRegistrar;
use super::soap::{Action, Call, Reply};
use super::wlan_event::WlanEventType;

/// At most this many relayed enrollees are registered at once (the oldest run goes).
pub const MAX_ENROLLEES: usize = 8;

/// Which access point a command is for: wpa_cli's `UUID` or `any`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApSelector {
    /// The one access point found (refused when there are several).
    Any,
    /// The access point with this UUID.
    Uuid(Uuid),
}

/// Why a command was refused (`FAIL`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ErCommandError {
    /// No access point matches.
    #[error("no such access point")]
    NoSuchAp,
    /// `any` with more than one access point.
    #[error("more than one access point; name one by its UUID")]
    SeveralAps,
}

/// What an [`ExternalRegistrar`] reports: wpa_supplicant's event lines.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PcEvent {
    /// `WPS-ER-AP-ADD <uuid> <mac> …`: an access point was found and subscribed to.
    ApAdded {
        /// Its UUID.
        uuid: Uuid,
        /// Its MAC address (from its M1).
        mac: MacAddr,
        /// Its description.
        description: Box<DeviceDescription>,
        /// Its M1 (Primary Device Type, Wi-Fi Protected Setup State, …).
        m1: Vec<u8>,
    },
    /// `WPS-ER-AP-REMOVE <uuid>`.
    ApRemoved {
        /// Its UUID.
        uuid: Uuid,
    },
    /// `WPS-ER-ENROLLEE-ADD <uuid> <mac> M1=<0|1> …`: an enrollee showed up at an access
    /// point (Probe Request, or its M1).
    EnrolleeAdded {
        /// Its UUID-E.
        uuid: Uuid,
        /// Its MAC address.
        mac: MacAddr,
        /// Whether it sent M1 (else it was a Probe Request).
        m1: bool,
        /// The Device Password ID it asked for.
        device_password_id: DevicePasswordId,
        /// Its config methods.
        config_methods: ConfigMethods,
        /// Its M1, or its Probe Request's WPS attributes (names, device type).
        attributes: Vec<u8>,
    },
    /// `WPS-ER-AP-SETTINGS uuid=… ssid=… auth_type=… encr_type=… key=…`.
    ApSettings {
        /// The access point's UUID.
        uuid: Uuid,
        /// Its settings, from M7.
        credential: Credential,
    },
    /// `WPS-ER-AP-SET-SEL-REG uuid=… state=DONE|FAILED`.
    SelectedRegistrarSet {
        /// The access point's UUID.
        uuid: Uuid,
        /// Whether it accepted.
        done: bool,
    },
    /// `WPS-SUCCESS`: an enrollee was registered, or an access point configured.
    Success {
        /// The enrollee's MAC address, or the access point's.
        mac: MacAddr,
    },
    /// `WPS-FAIL msg=… config_error=…`.
    Failed {
        /// The registration machine's report, if it had one.
        failure: Option<Failure>,
    },
}

struct ApRun {
    ap: ApId,
    session: RegistrarSession,
    password: FixedPassword,
    mac: MacAddr,
}

struct EnrolleeRun {
    ap: ApId,
    mac: MacAddr,
    session: RegistrarSession,
    password: FixedPassword,
}

struct KnownAp {
    id: ApId,
    uuid: Uuid,
    mac: MacAddr,
    settings: Option<NetworkSettings>,
}

/// The PC: external registrar over UPnP. `R` draws every run's secrets.
pub struct ExternalRegistrar<R> {
    device: DeviceInfo,
    rng: R,
    upnp: UpnpRegistrar,
    aps: Vec<KnownAp>,
    ap_runs: Vec<ApRun>,
    enrollees: Vec<EnrolleeRun>,
    selection: Option<(Option<Uuid>, DevicePassword)>,
    events: VecDeque<PcEvent>,
}

impl<R> core::fmt::Debug for ExternalRegistrar<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ExternalRegistrar")
            .field("aps", &self.aps.len())
            .field("ap_runs", &self.ap_runs.len())
            .field("enrollees", &self.enrollees.len())
            .finish_non_exhaustive()
    }
}

impl<R: CryptoRng> ExternalRegistrar<R> {
    /// A registrar presenting itself as `device` (its UUID is UUID-R); it searches at
    /// once.
    pub fn new(device: DeviceInfo, config: ErConfig, rng: R) -> Self {
        let mut upnp = UpnpRegistrar::new(config);
        upnp.search();
        ExternalRegistrar {
            device,
            rng,
            upnp,
            aps: Vec::new(),
            ap_runs: Vec::new(),
            enrollees: Vec::new(),
            selection: None,
            events: VecDeque::new(),
        }
    }

    fn find(&self, which: ApSelector) -> Result<ApId, ErCommandError> {
        match which {
            ApSelector::Uuid(u) => self
                .aps
                .iter()
                .find(|a| a.uuid == u)
                .map(|a| a.id)
                .ok_or(ErCommandError::NoSuchAp),
            ApSelector::Any => match self.aps.as_slice() {
                [one] => Ok(one.id),
                [] => Err(ErCommandError::NoSuchAp),
                _ => Err(ErCommandError::SeveralAps),
            },
        }
    }

    /// `wps_er_learn UUID|any AP_PIN`: read the access point's settings
    /// ([`PcEvent::ApSettings`]).
    pub fn learn(
        &mut self,
        ap: ApSelector,
        ap_pin: DevicePassword,
        now: Instant,
    ) -> Result<(), ErCommandError> {
        self.start_ap_run(ap, ap_pin, None, now)
    }

    /// `wps_er_config UUID|any AP_PIN SSID AUTH ENCR KEY`: replace the access point's
    /// settings ([`PcEvent::Success`] when it took them).
    pub fn configure(
        &mut self,
        ap: ApSelector,
        ap_pin: DevicePassword,
        settings: NetworkSettings,
        now: Instant,
    ) -> Result<(), ErCommandError> {
        self.start_ap_run(ap, ap_pin, Some(settings), now)
    }

    fn start_ap_run(
        &mut self,
        which: ApSelector,
        ap_pin: DevicePassword,
        new_settings: Option<NetworkSettings>,
        now: Instant,
    ) -> Result<(), ErCommandError> {
        let ap = self.find(which)?;
        let mac = self
            .aps
            .iter()
            .find(|a| a.id == ap)
            .map_or(MacAddr::default(), |a| a.mac);
        self.ap_runs.retain(|r| r.ap != ap);
        let session = RegistrarSession::new(
            RegistrarConfig::external(self.device.clone(), new_settings),
            SessionSecrets::generate(&mut self.rng),
            now,
        );
        self.upnp
            .call(ap, &Call::GetDeviceInfo)
            .ok_or(ErCommandError::NoSuchAp)?;
        self.ap_runs.push(ApRun {
            ap,
            session,
            password: FixedPassword::new(ap_pin),
            mac,
        });
        Ok(())
    }

    /// `wps_er_pin any|UUID PIN [MAC]`: accept the enrollee `uuid` (or any) with `pin`;
    /// every access point is told (`SetSelectedRegistrar`, AuthorizedMACs `mac` or
    /// any).
    pub fn add_pin(&mut self, uuid: Option<Uuid>, pin: DevicePassword, mac: Option<MacAddr>) {
        self.selection = Some((uuid, pin));
        self.select(
            true,
            DevicePasswordId::Default,
            mac.unwrap_or(MacAddr::BROADCAST),
        );
    }

    /// `wps_er_pbc`: push-button for the next enrollee.
    pub fn push_button(&mut self) {
        self.selection = Some((None, DevicePassword::pushbutton()));
        self.select(true, DevicePasswordId::PushButton, MacAddr::BROADCAST);
    }

    fn select(&mut self, selected: bool, id: DevicePasswordId, mac: MacAddr) {
        let selection = SelectedRegistrar {
            selected,
            device_password_id: id,
            config_methods: if selected {
                self.device.config_methods
            } else {
                ConfigMethods(0)
            },
            authorized_macs: alloc::vec![mac],
            uuid_r: Some(self.device.uuid),
        };
        let call = Call::SetSelectedRegistrar {
            message: selection.to_bytes(),
        };
        let ids: Vec<ApId> = self.aps.iter().map(|a| a.id).collect();
        for id in ids {
            let _ = self.upnp.call(id, &call);
        }
    }

    /// Sends `M-SEARCH` again.
    pub fn search(&mut self) {
        self.upnp.search();
    }

    /// `wps_er_stop`: leaves every access point.
    pub fn stop(&mut self) {
        self.upnp.stop();
        self.aps.clear();
    }

    /// The next datagram for the SSDP group.
    pub fn poll_datagram(&mut self) -> Option<alloc::string::String> {
        self.upnp.poll_datagram()
    }

    /// A datagram on the SSDP socket.
    pub fn handle_datagram(&mut self, bytes: &[u8], now: Instant) {
        self.upnp.handle_datagram(bytes);
        self.process(now);
    }

    /// The next HTTP request to make.
    pub fn poll_request(&mut self) -> Option<Request> {
        self.upnp.poll_request()
    }

    /// The answer to a request.
    pub fn handle_response(&mut self, id: RequestId, bytes: &[u8], now: Instant) {
        self.upnp.handle_response(id, bytes, now);
        self.process(now);
    }

    /// A request that could not be made.
    pub fn request_failed(&mut self, id: RequestId, now: Instant) {
        self.upnp.request_failed(id, now);
        self.process(now);
    }

    /// Bytes on a connection to the callback server (an event `NOTIFY`).
    pub fn handle_notify(&mut self, buf: &[u8], closed: bool, now: Instant, unix: u64) -> Served {
        let served = self.upnp.handle_notify(buf, closed, unix);
        self.process(now);
        served
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<PcEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) should run next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let runs = self.ap_runs.iter().filter_map(|r| r.session.poll_timeout());
        let enrollees = self
            .enrollees
            .iter()
            .filter_map(|r| r.session.poll_timeout());
        runs.chain(enrollees).chain(self.upnp.poll_timeout()).min()
    }

    /// Renewals and run deadlines.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.upnp.handle_timeout(now);
        for r in &mut self.ap_runs {
            r.session.handle_timeout(now, &mut r.password);
        }
        for r in &mut self.enrollees {
            r.session.handle_timeout(now, &mut r.password);
        }
        self.process(now);
    }

    fn uuid_of(&self, ap: ApId) -> Uuid {
        self.aps
            .iter()
            .find(|a| a.id == ap)
            .map_or(Uuid::default(), |a| a.uuid)
    }

    /// Drains the UPnP side's events into the runs, and the runs' events into ours.
    fn process(&mut self, now: Instant) {
        while let Some(e) = self.upnp.poll_event() {
            match e {
                ErEvent::ApAdded {
                    ap,
                    description,
                    m1,
                } => {
                    let mac = crate::message::M1::parse(&m1)
                        .map(|m| m.mac_address)
                        .unwrap_or_default();
                    self.aps.push(KnownAp {
                        id: ap,
                        uuid: description.uuid,
                        mac,
                        settings: None,
                    });
                    self.events.push_back(PcEvent::ApAdded {
                        uuid: description.uuid,
                        mac,
                        description,
                        m1,
                    });
                }
                ErEvent::ApRemoved { ap, uuid } => {
                    self.aps.retain(|a| a.id != ap);
                    self.ap_runs.retain(|r| r.ap != ap);
                    self.enrollees.retain(|r| r.ap != ap);
                    self.events.push_back(PcEvent::ApRemoved { uuid });
                }
                ErEvent::Answer { ap, action, result } => match (action, result) {
                    (Action::GetDeviceInfo, Ok(Reply::GetDeviceInfo { device_info: m }))
                    | (Action::PutMessage, Ok(Reply::PutMessage { message: m })) => {
                        self.ap_message(ap, &m, now);
                    }
                    (Action::SetSelectedRegistrar, result) => {
                        let uuid = self.uuid_of(ap);
                        self.events.push_back(PcEvent::SelectedRegistrarSet {
                            uuid,
                            done: result.is_ok(),
                        });
                    }
                    // The access point's fault after our NACK ends a learn run; other
                    // faults end it too.
                    (Action::GetDeviceInfo | Action::PutMessage, _) => self.end_ap_run(ap, now),
                    (Action::PutWlanResponse, _) => {}
                },
                ErEvent::CallFailed { ap, action } => {
                    if matches!(action, Action::GetDeviceInfo | Action::PutMessage) {
                        self.end_ap_run(ap, now);
                    }
                }
                ErEvent::Wlan { ap, event } => match event.kind {
                    WlanEventType::ProbeRequest => {
                        if let Ok(probe) = ProbeRequest::parse(&event.data)
                            && let Some(uuid) = probe.uuid_e
                        {
                            self.events.push_back(PcEvent::EnrolleeAdded {
                                uuid,
                                mac: event.mac,
                                m1: false,
                                device_password_id: probe.device_password_id,
                                config_methods: probe.config_methods,
                                attributes: event.data.clone(),
                            });
                        }
                    }
                    WlanEventType::Eap => self.enrollee_message(ap, event.mac, &event.data, now),
                    WlanEventType::Other(_) => {}
                },
            }
        }
        self.collect(now);
    }

    fn ap_message(&mut self, ap: ApId, message: &[u8], now: Instant) {
        let Some(run) = self.ap_runs.iter_mut().find(|r| r.ap == ap) else {
            return;
        };
        if let Some(out) = run.session.handle(message, now, &mut run.password) {
            let _ = self.upnp.call(ap, &Call::PutMessage { message: out.bytes });
        }
    }

    fn end_ap_run(&mut self, ap: ApId, now: Instant) {
        if let Some(run) = self.ap_runs.iter_mut().find(|r| r.ap == ap)
            && !run.session.is_finished()
        {
            run.session.abort(now, &mut run.password);
        }
    }

    fn enrollee_message(&mut self, ap: ApId, mac: MacAddr, message: &[u8], now: Instant) {
        let is_m1 = crate::attr::Attributes::parse(message)
            .ok()
            .and_then(|a| a.message_type())
            == Some(MessageType::M1);
        if is_m1 {
            let Ok(m1) = crate::message::M1::parse(message) else {
                return;
            };
            self.events.push_back(PcEvent::EnrolleeAdded {
                uuid: m1.uuid_e,
                mac,
                m1: true,
                device_password_id: m1.device_password_id,
                config_methods: m1.config_methods,
                attributes: Vec::from(message),
            });
            let uuid_e = m1.uuid_e;
            let settings = self
                .aps
                .iter()
                .find(|a| a.id == ap)
                .and_then(|a| a.settings.clone());
            let password = match &self.selection {
                Some((None, p)) => Some(p.clone()),
                Some((Some(u), p)) if *u == uuid_e => Some(p.clone()),
                _ => None,
            };
            let (Some(settings), Some(password)) = (settings, password) else {
                return;
            };
            self.enrollees.retain(|r| r.mac != mac);
            if self.enrollees.len() >= MAX_ENROLLEES {
                self.enrollees.remove(0);
            }
            self.enrollees.push(EnrolleeRun {
                ap,
                mac,
                session: RegistrarSession::new(
                    RegistrarConfig::internal(self.device.clone(), alloc::vec![settings]),
                    SessionSecrets::generate(&mut self.rng),
                    now,
                ),
                password: FixedPassword::new(password),
            });
        }
        let Some(run) = self
            .enrollees
            .iter_mut()
            .find(|r| r.mac == mac && r.ap == ap)
        else {
            return;
        };
        if let Some(out) = run.session.handle(message, now, &mut run.password) {
            let call = Call::PutWlanResponse {
                message: out.bytes,
                kind: WlanEventType::Eap,
                mac,
            };
            let _ = self.upnp.call(ap, &call);
        }
    }

    /// Reads the runs' events; finished runs go.
    fn collect(&mut self, now: Instant) {
        let _ = now;
        let mut learned = Vec::new();
        for run in &mut self.ap_runs {
            while let Some(e) = run.session.poll_event() {
                match e {
                    Event::ApSettings(c) => learned.push((run.ap, c)),
                    Event::Success => self.events.push_back(PcEvent::Success { mac: run.mac }),
                    // A learn run ends with our NACK: wpa_supplicant prints
                    // `WPS-FAIL msg=11 config_error=0` before `WPS-ER-AP-SETTINGS` too.
                    Event::Failure(f) => {
                        self.events.push_back(PcEvent::Failed { failure: Some(f) })
                    }
                    _ => {}
                }
            }
        }
        for (ap, credential) in learned {
            let uuid = self.uuid_of(ap);
            if let Some(known) = self.aps.iter_mut().find(|a| a.id == ap) {
                known.settings = Some(credential.settings().clone());
            }
            self.events
                .push_back(PcEvent::ApSettings { uuid, credential });
        }
        self.ap_runs.retain(|r| !r.session.is_finished());
        let mut registered = false;
        for run in &mut self.enrollees {
            while let Some(e) = run.session.poll_event() {
                match e {
                    Event::Success => {
                        registered = true;
                        self.events.push_back(PcEvent::Success { mac: run.mac });
                    }
                    Event::Failure(f) => {
                        self.events.push_back(PcEvent::Failed { failure: Some(f) })
                    }
                    _ => {}
                }
            }
        }
        self.enrollees.retain(|r| !r.session.is_finished());
        if registered {
            // As wpa_supplicant: the selection ends with the registration.
            self.selection = None;
            self.select(false, DevicePasswordId::Default, MacAddr::BROADCAST);
        }
    }
}
