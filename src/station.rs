//! `Station`: one whole station side of WPS — the printer that shows a PIN or has a
//! button, and the PC that reads or reconfigures an access point with its AP PIN.
//!
//! A station is one object plus I/O. The caller's loop moves EAPOL frames and reads the
//! clock; the station owns the EAP-WSC method (identity, fragmentation, retransmitted
//! requests), the registration machine, and the journey's policy:
//!
//! * **PIN** ([`Station::start_pin`]): a dynamic PIN has a lifetime; past it the run
//!   stops with [`RunError::PinExpired`](crate::RunError::PinExpired) and the next
//!   attempt needs a fresh PIN.
//! * **Push-button** ([`Station::press_button`]): the 120 s walk time starts when the
//!   button is pressed.
//! * **External registrar** ([`Station::start_external_registrar`]): read the access
//!   point's settings with its AP PIN, or replace them.
//!
//! Within the walk time a conversation that ends without an answer (the registrar had no
//! PIN yet and sent M2D, the link lost a frame, the authenticator gave up) starts over
//! with fresh secrets, as wpa_supplicant does; a wrong PIN, an overlap or a locked access
//! point end the journey. After sending WSC_Done the station lingers to answer a
//! retransmitted M8 again.
//!
//! ```text
//! loop {
//!     while let Some(t) = station.poll_transmit() { link.send(t.to, &t.eapol) }
//!     while let Some(e) = station.poll_event() { show(e) }
//!     let deadline = station.poll_timeout();
//!     match link.recv_until(deadline) {
//!         Some(frame) => station.handle_eapol(frame.src, &frame.eapol, clock.now()),
//!         None => station.handle_timeout(clock.now()),
//!     }
//! }
//! ```

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use rand_core::CryptoRng;

use crate::attr::MacAddr;
use crate::eap::DEFAULT_FRAGMENT_SIZE;
use crate::outcome::Outcome;
use crate::pin::DevicePassword;
use crate::registration::{Credential, DeviceInfo, Failure, M2dInfo, NetworkSettings};
use crate::time::{Instant, Lifetime};

/// The 802.1X EAPOL frames a driver wants sent.
#[derive(Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Destination MAC address: the peer, or the PAE group address
    /// ([`PAE_GROUP_ADDR`](crate::eap::PAE_GROUP_ADDR)) before the peer is known.
    pub to: MacAddr,
    /// The EAPOL PDU (header and body), to go in an Ethernet frame with EtherType 0x888E.
    pub eapol: Vec<u8>,
}

impl core::fmt::Debug for Transmit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Transmit(to {}, {} bytes)", self.to, self.eapol.len())
    }
}

/// Why a received frame was dropped. Dropping is never fatal: the station (or access
/// point) goes on as if the frame had not arrived, as the daemons do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Dropped {
    /// Not a well-formed EAPOL frame.
    #[error("not an EAPOL frame")]
    Eapol,
    /// An EAPOL frame this side does not take (e.g. an EAPOL-Key).
    #[error("an EAPOL frame of another kind")]
    NotEap,
    /// The EAP layer refused it (malformed, stale identifier, wrong code).
    #[error("refused by the EAP layer: {0}")]
    Eap(#[from] crate::eap::DriverError),
    /// Nothing is running, or it comes from a peer this side is not talking to.
    #[error("no registration is running for this peer")]
    NotExpected,
}

/// How a [`Station`] presents itself and behaves.
#[derive(Debug, Clone)]
pub struct StationConfig {
    /// What goes into M1 (or, as external registrar, M2).
    pub device: DeviceInfo,
    /// The largest EAP-WSC fragment this side sends (default 1400).
    pub fragment_size: usize,
    /// How long one journey may take from its start (the walk time, 120 s).
    pub timeout: Duration,
}

impl StationConfig {
    /// A station with `device`'s identity and the daemons' defaults.
    pub fn new(device: DeviceInfo) -> Self {
        StationConfig {
            device,
            fragment_size: DEFAULT_FRAGMENT_SIZE,
            timeout: crate::registration::REGISTRATION_TIMEOUT,
        }
    }
}

/// What a [`Station`] reports; drain with [`Station::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum StationEvent {
    /// A new EAP conversation began (EAPOL-Start sent); `attempt` counts from 1.
    Started {
        /// 1 for the first conversation of this journey, 2 for the first retry, …
        attempt: u32,
    },
    /// The registrar has no password for us yet (it answered M1 with M2D); the station
    /// keeps trying until the walk time ends (wpa_supplicant's `WPS-M2D`).
    M2d(M2dInfo),
    /// The journey is over: credentials, settings, or why not. `failure` has the
    /// protocol facts (message, Configuration Error) where the registration machine
    /// reported them, for a `WPS-FAIL msg=… config_error=…` line.
    Finished {
        /// What happened, in plain words.
        outcome: Outcome,
        /// The registration machine's report, if a run failed in it.
        failure: Option<Failure>,
    },
}

/// One station: enrollee (PIN, push-button) or external registrar (AP PIN).
///
/// `R` is the random number generator every run draws its secrets from (nonces, DH key,
/// IVs); a fresh set for every attempt.
pub struct Station<R> {
    config: StationConfig,
    rng: R,
    transmits: VecDeque<Transmit>,
    events: VecDeque<StationEvent>,
}

impl<R> core::fmt::Debug for Station<R> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Station").finish_non_exhaustive()
    }
}

impl<R: CryptoRng> Station<R> {
    /// An idle station.
    pub fn new(config: StationConfig, rng: R) -> Self {
        Station {
            config,
            rng,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
        }
    }

    /// Enrol with a PIN (4 or 8 digits; the checksum is the caller's business) that is
    /// valid for `lifetime` from `now`; the walk time starts now too. Replaces any
    /// journey in progress.
    pub fn start_pin(&mut self, pin: DevicePassword, lifetime: Lifetime, now: Instant) {
        let _ = (pin, lifetime, now, &mut self.rng, &self.config);
    }

    /// Enrol by push-button: the button was pressed at `now`, which starts the walk time.
    pub fn press_button(&mut self, now: Instant) {
        let _ = now;
    }

    /// As external registrar, prove `ap_pin` to the access point and read its settings;
    /// with `new_settings`, replace them.
    pub fn start_external_registrar(
        &mut self,
        ap_pin: DevicePassword,
        new_settings: Option<NetworkSettings>,
        now: Instant,
    ) {
        let _ = (ap_pin, new_settings, now);
    }

    /// Stops the journey in progress (it finishes with
    /// [`RunError::Cancelled`](crate::RunError::Cancelled)).
    pub fn cancel(&mut self, now: Instant) {
        let _ = now;
    }

    /// One received EAPOL PDU from `from`.
    pub fn handle_eapol(
        &mut self,
        from: MacAddr,
        eapol: &[u8],
        now: Instant,
    ) -> Result<(), Dropped> {
        let _ = (from, eapol, now);
        Err(Dropped::NotExpected)
    }

    /// The next frame to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<StationEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must next be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        None
    }

    /// Runs every timer that is due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        let _ = now;
    }

    /// Whether no journey is in progress.
    pub fn is_idle(&self) -> bool {
        true
    }

    /// The credentials of the last journey that succeeded, if the last one did.
    pub fn credentials(&self) -> &[Credential] {
        &[]
    }
}
