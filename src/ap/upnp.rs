//! The access point's half of WPS over UPnP (feature `upnp`): what hostapd's
//! `wps_upnp_ap.c`, `wps_upnp_web.c`'s actions and the UPnP parts of `wps_registrar.c`
//! and `wps_hostapd.c` do.
//!
//! * **The access point as enrollee** ([`Control::get_device_info`],
//!   [`Control::put_message`]): a PC reads or reconfigures the access point with its AP
//!   PIN. Each `GetDeviceInfo` starts a run with a fresh M1; at most [`MAX_PEERS`] runs
//!   are kept (the oldest gives way), a `PutMessage` finds its run by the nonces in it.
//!   No AP PIN: fault 500. The AP-PIN lockout counts failures here as over EAP, and a
//!   locked access point refuses M2 with NACK 15.
//! * **The relay**: an enrollee's M1 goes to the subscribed registrars as a `WLANEvent`
//!   (the internal registrar answers it too). When the internal registrar has no PIN it
//!   answers M2D; on the enrollee's WSC_ACK, with a registrar subscribed, the conversation
//!   waits ([`eap::Outcome::Pending`], 5 s) for that registrar's M2 in `PutWLANResponse`,
//!   and from then on every enrollee message goes up and every registrar message comes
//!   down, until WSC_Done or WSC_NACK ([`ApEvent::Relayed`]). Probe Requests with a WPS
//!   IE go up as `WLANEvent`s of type 1.
//! * **`SetSelectedRegistrar`** (the device takes it only from a subscriber's address):
//!   each subscriber's selection lasts [`SELECTION_LIFETIME`] (hostapd's walk time) or
//!   until its subscription ends, and joins the internal registrar's in the Beacon and
//!   Probe Response: Selected Registrar, its Device Password ID (push-button wins), the
//!   config methods OR-ed, the AuthorizedMACs appended (at most five).
//!
//! [`AccessPoint::sync_upnp`] joins the access point to its [`UpnpDevice`].

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::{
    AttrType, Attributes, ConfigMethods, DevicePasswordId, MacAddr, MessageType, Uuid,
};
use crate::eap::{self, Action, OpCode, ServerRole};
use crate::link;
use crate::message::M1;
use crate::registration::{Enrollee, SessionSecrets};
use crate::time::Instant;
use crate::upnp::device::{Control, UpnpDevice};
use crate::upnp::selected_registrar::SelectedRegistrar;
use crate::upnp::soap::Fault;
use crate::upnp::wlan_event::{WlanEvent, WlanEventType};

use super::{Absorbed, AccessPoint, ApEvent, Method, PeerKind, Run, RunEnd, new_ap_enrollee};

/// How long a registrar's `SetSelectedRegistrar` lasts unless renewed (hostapd's
/// `WPS_PBC_WALK_TIME`, 120 s).
pub const SELECTION_LIFETIME: Duration = Duration::from_secs(120);
/// At most this many runs with registrars over `PutMessage` (hostapd keeps four).
pub const MAX_PEERS: usize = 4;
/// At most this many registrar messages wait for their enrollee's turn.
const MAX_WAITING: usize = 8;
/// At most this many `WLANEvent`s wait for [`AccessPoint::sync_upnp`].
const MAX_OUTGOING: usize = 64;
/// hostapd's answer to a call it cannot serve (`HTTP_INTERNAL_SERVER_ERROR`).
const FAILED: u16 = 500;
/// hostapd's answer to a `PutMessage` it cannot read or place (`HTTP_BAD_REQUEST`).
const BAD_REQUEST: u16 = 400;

/// The access point's UPnP state.
#[derive(Default)]
pub(super) struct UpnpState {
    /// Whether a registrar is subscribed (as of the last `sync_upnp`).
    subscribed: bool,
    selections: Vec<Selection>,
    peers: Vec<Peer>,
    /// `PutWLANResponse` messages for an enrollee still with the internal registrar
    /// (the registrar's M2 before the enrollee's ACK of M2D).
    waiting: VecDeque<(MacAddr, OpCode, Vec<u8>)>,
    /// `WLANEvent`s for the device.
    outgoing: VecDeque<WlanEvent>,
}

/// One subscriber's `SetSelectedRegistrar`.
struct Selection {
    sid: Uuid,
    selection: SelectedRegistrar,
    expires: Instant,
}

/// A run of the access point as enrollee with a registrar over `PutMessage`.
struct Peer {
    enrollee: Enrollee,
    nonce_e: [u8; 16],
    /// From the registrar's M2.
    nonce_r: Option<[u8; 16]>,
}

/// An enrollee's conversation handed to an external registrar.
pub(super) struct Relay {
    uuid_e: Uuid,
    /// The enrollee's MAC address, as the `WLANEvent`s name it.
    mac: MacAddr,
    /// Registrar messages not yet sent (`PutWLANResponse` before the enrollee's turn).
    queue: VecDeque<(OpCode, Vec<u8>)>,
    /// Set when the enrollee sent WSC_Done (`true`) or WSC_NACK.
    result: Option<bool>,
}

impl Relay {
    /// The next registrar message, or wait for one.
    fn next(&mut self) -> eap::Outcome {
        match self.queue.pop_front() {
            Some((op_code, message)) => eap::Outcome::Send { op_code, message },
            None => eap::Outcome::Pending,
        }
    }

    /// hostapd's `wps_registrar_process_msg` with an external registrar: the enrollee's
    /// message goes up (unless a registrar message is already waiting), then the
    /// conversation waits for the answer, or ends on WSC_Done / WSC_NACK.
    fn enrollee_message(
        &mut self,
        op_code: OpCode,
        message: &[u8],
        upnp: &mut UpnpState,
    ) -> eap::Outcome {
        if matches!(op_code, OpCode::Msg | OpCode::Done | OpCode::Nack) && self.queue.is_empty() {
            upnp.send(WlanEventType::Eap, self.mac, message);
        }
        match op_code {
            OpCode::Msg | OpCode::Ack => self.next(),
            OpCode::Done => {
                self.result = Some(true);
                eap::Outcome::Finished
            }
            OpCode::Nack => {
                self.result = Some(false);
                eap::Outcome::Finished
            }
            _ => eap::Outcome::Ignore,
        }
    }

    /// The event for a relay that ended, once.
    pub(super) fn ended(&self, peer: MacAddr) -> Option<ApEvent> {
        self.result.map(|success| ApEvent::Relayed {
            peer,
            uuid: self.uuid_e,
            success,
        })
    }

    /// The event for a relay whose registrar (or enrollee) stopped answering.
    pub(super) fn timed_out(&self, peer: MacAddr) -> ApEvent {
        ApEvent::Relayed {
            peer,
            uuid: self.uuid_e,
            success: self.result.unwrap_or(false),
        }
    }
}

impl UpnpState {
    /// A `WLANEvent` for the subscribed registrars.
    fn send(&mut self, kind: WlanEventType, mac: MacAddr, data: &[u8]) {
        if !self.subscribed {
            return;
        }
        if self.outgoing.len() >= MAX_OUTGOING {
            self.outgoing.pop_front();
        }
        self.outgoing.push_back(WlanEvent {
            kind,
            mac,
            data: Vec::from(data),
        });
    }

    /// A Probe Request's WPS attributes go up as a `WLANEvent` of type 1, as hostapd's.
    pub(super) fn probe_request(&mut self, from: MacAddr, wps_ie: &[u8]) {
        self.send(WlanEventType::ProbeRequest, from, wps_ie);
    }

    /// Ends selections past their lifetime.
    pub(super) fn run_timers(&mut self, now: Instant) {
        self.selections.retain(|s| s.expires > now);
    }

    /// When a selection ends.
    pub(super) fn poll_timeout(&self) -> Option<Instant> {
        self.selections.iter().map(|s| s.expires).min()
    }

    /// hostapd's `wps_registrar_sel_reg_union`: the subscribers' selections joined to
    /// the internal registrar's state.
    pub(super) fn selected_registrars(
        &self,
        selected: &mut bool,
        device_password_id: &mut Option<DevicePasswordId>,
        config_methods: &mut Option<ConfigMethods>,
    ) {
        for s in &self.selections {
            *selected = true;
            if *device_password_id != Some(DevicePasswordId::PushButton) {
                *device_password_id = Some(s.selection.device_password_id);
            }
            let methods = config_methods.map_or(0, |m| m.0) | s.selection.config_methods.0;
            *config_methods = Some(ConfigMethods(methods));
        }
    }

    /// The subscribers' AuthorizedMACs after the internal registrar's, five at most.
    pub(super) fn authorized_macs(&self, macs: &mut Vec<u8>) {
        let room = crate::upnp::selected_registrar::MAX_AUTHORIZED_MACS.saturating_mul(6);
        for mac in self
            .selections
            .iter()
            .flat_map(|s| &s.selection.authorized_macs)
        {
            if macs.len() >= room {
                break;
            }
            macs.extend_from_slice(&mac.0);
        }
    }

    /// `PutWLANResponse` before the enrollee's turn: kept for its conversation.
    fn hold(&mut self, peer: MacAddr, op_code: OpCode, message: &[u8]) {
        if self.waiting.len() >= MAX_WAITING {
            self.waiting.pop_front();
        }
        self.waiting.push_back((peer, op_code, Vec::from(message)));
    }

    /// The held messages for `peer`, oldest first.
    fn take_held(&mut self, peer: MacAddr) -> VecDeque<(OpCode, Vec<u8>)> {
        let mut taken = VecDeque::new();
        self.waiting.retain(|(mac, op_code, message)| {
            if *mac == peer {
                taken.push_back((*op_code, message.clone()));
                false
            } else {
                true
            }
        });
        taken
    }
}

impl<R: CryptoRng> Method<'_, R> {
    /// The relay's part of an enrollee's message; `None` when the internal registrar
    /// alone handles it.
    pub(super) fn relay(
        &mut self,
        op_code: OpCode,
        message: &[u8],
        now: Instant,
    ) -> Option<eap::Outcome> {
        let _ = now;
        let upnp = &mut *self.upnp;
        match &mut *self.run {
            Run::Relay(relay) => Some(relay.enrollee_message(op_code, message, upnp)),
            // M1 goes to the registrars too (hostapd: whether or not a PIN is known);
            // a new run forgets messages held for an old one.
            Run::Waiting if self.role == Some(ServerRole::Registrar) && op_code == OpCode::Msg => {
                if let Ok(m1) = M1::parse(message) {
                    drop(upnp.take_held(self.peer));
                    upnp.send(WlanEventType::Eap, m1.mac_address, message);
                }
                None
            }
            // The internal registrar had no PIN (M2D) and the enrollee acknowledged:
            // with a registrar subscribed, wait for its M2 (hostapd skips the nonce
            // check here too).
            Run::Registrar(r)
                if op_code == OpCode::Ack
                    && r.awaits_m2d_ack()
                    && upnp.subscribed
                    && message_type(message) == Some(MessageType::WscAck) =>
            {
                let mut relay = Relay {
                    uuid_e: r.enrollee_uuid(),
                    mac: self.peer,
                    queue: upnp.take_held(self.peer),
                    result: None,
                };
                let outcome = relay.next();
                *self.run = Run::Relay(alloc::boxed::Box::new(relay));
                Some(outcome)
            }
            _ => None,
        }
    }
}

fn message_type(message: &[u8]) -> Option<MessageType> {
    Attributes::parse(message).ok()?.message_type()
}

fn nonce(attrs: &Attributes<'_>, t: AttrType) -> Option<[u8; 16]> {
    attrs.get(t).and_then(|v| <[u8; 16]>::try_from(v).ok())
}

/// A run over UPnP has no MAC address (hostapd's peer address for it is all zeros).
const UPNP_PEER: MacAddr = MacAddr([0; 6]);

impl<R: CryptoRng> Control for AccessPoint<R> {
    /// hostapd's `web_process_get_device_info`: fault 500 without an AP PIN (or without a
    /// network to reveal).
    fn get_device_info(&mut self, now: Instant) -> Result<Vec<u8>, Fault> {
        self.run_timers(now);
        let setup_locked = self.is_setup_locked(now);
        let Some(ap_pin) = self.ap_pin.as_ref().and_then(|p| p.password(now).ok()) else {
            return Err(Fault::new(FAILED));
        };
        let secrets = SessionSecrets::generate(&mut self.rng);
        let nonce_e = secrets.nonce;
        let mut enrollee = new_ap_enrollee(
            &self.config,
            Some((ap_pin.clone(), DevicePasswordId::Default)),
            setup_locked,
            secrets,
            now,
        )
        .ok_or(Fault::new(FAILED))?;
        let m1 = enrollee.start(now).bytes;
        if self.upnp.peers.len() >= MAX_PEERS {
            self.upnp.peers.remove(0);
        }
        self.upnp.peers.push(Peer {
            enrollee,
            nonce_e,
            nonce_r: None,
        });
        Ok(m1)
    }

    /// hostapd's `web_process_put_message`: the run whose nonces the message carries;
    /// fault 400 when there is none or the message is unreadable, 500 when the run fails
    /// on it (a registrar's closing WSC_NACK included).
    fn put_message(&mut self, message: &[u8], now: Instant) -> Result<Vec<u8>, Fault> {
        self.run_timers(now);
        let attrs = Attributes::parse(message).map_err(|_| Fault::new(BAD_REQUEST))?;
        let kind = attrs.message_type();
        let nonce_e = nonce(&attrs, AttrType::EnrolleeNonce);
        let nonce_r = nonce(&attrs, AttrType::RegistrarNonce);
        let first_contact = matches!(kind, Some(MessageType::M2 | MessageType::M2D));
        // hostapd falls back to its oldest run for a message that matches none; that run
        // then fails on the stranger's nonce (a stale NACK would end a fresh run), so a
        // message whose Enrollee Nonce matches no run is refused here instead.
        let index = self
            .upnp
            .peers
            .iter()
            .position(|p| {
                nonce_e == Some(p.nonce_e)
                    && (first_contact || nonce_r.is_none() || p.nonce_r == nonce_r)
            })
            .ok_or(Fault::new(BAD_REQUEST))?;
        let Some(peer) = self.upnp.peers.get_mut(index) else {
            return Err(Fault::new(BAD_REQUEST));
        };
        if kind == Some(MessageType::M2) {
            peer.nonce_r = nonce_r;
        }
        let reply = peer.enrollee.handle(message, now);
        let finished = peer.enrollee.is_finished();
        let mut absorbed = Absorbed::default();
        while let Some(event) = self
            .upnp
            .peers
            .get_mut(index)
            .and_then(|p| p.enrollee.poll_event())
        {
            self.absorb_event(event, None, &mut absorbed, now);
        }
        let end = RunEnd {
            peer: UPNP_PEER,
            uuid: None,
            kind: PeerKind::ExternalRegistrar,
            gets_backhaul: false,
        };
        self.absorb_end(&end, absorbed, now);
        if finished {
            self.upnp.peers.remove(index);
        }
        match reply {
            Some(out) if kind != Some(MessageType::WscNack) => Ok(out.bytes),
            _ => Err(Fault::new(FAILED)),
        }
    }

    /// hostapd's `hostapd_rx_req_put_wlan_response`: the message goes down the
    /// conversation of the station `mac` (or, as hostapd's workaround for registrars
    /// that name a wrong MAC, of the first station handed to a registrar); none: the
    /// call still succeeds, the message is dropped.
    fn put_wlan_response(&mut self, response: &WlanEvent, now: Instant) -> Result<(), Fault> {
        if response.kind != WlanEventType::Eap {
            return Err(Fault::new(FAILED));
        }
        let message = response.data.as_slice();
        let op_code = message_type(message).map_or(OpCode::Msg, OpCode::for_message);
        let index = self.find(&response.mac).or_else(|| {
            self.sessions
                .iter()
                .position(|s| matches!(s.run, Run::Relay(_)))
        });
        let Some(session) = index.and_then(|i| self.sessions.get_mut(i)) else {
            return Ok(());
        };
        let peer = session.peer;
        match &mut session.run {
            Run::Relay(_) if session.server.is_pending() => {
                session.last_active = now;
                let outcome = eap::Outcome::Send {
                    op_code,
                    message: Vec::from(message),
                };
                if let Action::Send(req) = session.server.resume(outcome, now) {
                    let version = session.eapol_version;
                    link::send_eap(&mut self.transmits, peer, version, req);
                }
            }
            Run::Relay(relay) if relay.queue.len() < MAX_WAITING => {
                relay.queue.push_back((op_code, Vec::from(message)));
            }
            Run::Registrar(r) if r.awaits_m2d_ack() => self.upnp.hold(peer, op_code, message),
            _ => {}
        }
        Ok(())
    }

    /// hostapd's `upnp_er_set_selected_registrar`: the subscriber's selection replaces
    /// its last one for 120 s (`SELECTION_LIFETIME`); `selected: false` withdraws it.
    fn set_selected_registrar(
        &mut self,
        subscriber: Uuid,
        selection: &SelectedRegistrar,
        now: Instant,
    ) -> Result<(), Fault> {
        self.run_timers(now);
        let selections = &mut self.upnp.selections;
        selections.retain(|s| s.sid != subscriber);
        if selection.selected {
            selections.push(Selection {
                sid: subscriber,
                selection: selection.clone(),
                expires: now.saturating_add(SELECTION_LIFETIME),
            });
        }
        Ok(())
    }
}

impl<R: CryptoRng> AccessPoint<R> {
    /// Joins the access point to its UPnP device: tells it whether a registrar is
    /// subscribed, ends the selections of subscriptions that ended, and hands the device
    /// the `WLANEvent`s to send. Call it after every input to either (a frame, a
    /// datagram, a request, a timeout), before sending what they want sent.
    pub fn sync_upnp<D: CryptoRng>(&mut self, device: &mut UpnpDevice<D>) {
        self.upnp.subscribed = device.has_subscribers();
        self.upnp.selections.retain(|s| device.is_subscribed(s.sid));
        if !self.upnp.subscribed {
            self.upnp.waiting.clear();
        }
        while let Some(e) = self.upnp.outgoing.pop_front() {
            device.relay(e.kind, e.mac, &e.data);
        }
    }

    /// Whether an external registrar's `SetSelectedRegistrar` is in force.
    pub fn upnp_selected(&self) -> bool {
        !self.upnp.selections.is_empty()
    }
}
