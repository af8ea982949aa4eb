//! One `AccessPoint` and a pool of `Station`s in memory, on simulated time: the drivers
//! wired as a program wires them, for the policy model and the soak. A station's link can
//! be cut after a number of frames.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use rand::SeedableRng;
use rand::rngs::StdRng;
use wps::Outcome;
use wps::ap::{AccessPoint, ApConfig, ApEvent};
use wps::attr::{MacAddr, Uuid};
use wps::registration::{DeviceInfo, NetworkSettings};
use wps::station::{Station, StationConfig, StationEvent};
use wps::time::{Duration, Instant};

/// The access point's MAC address.
pub const AP_MAC: MacAddr = MacAddr([2, 0, 0, 0, 0, 0xaa]);

/// Station `i`'s MAC address (`i` < 200).
pub fn station_mac(i: usize) -> MacAddr {
    MacAddr([2, 0, 0, 0, 1, u8::try_from(i).unwrap() + 1])
}

/// Station `i`'s UUID-E.
pub fn station_uuid(i: usize) -> Uuid {
    Uuid([u8::try_from(i).unwrap() + 1; 16])
}

/// The network the access point hands out.
pub fn home() -> NetworkSettings {
    NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap()
}

/// The segment: one access point, `stations.len()` stations.
pub struct Air {
    pub now: Instant,
    pub ap: AccessPoint<StdRng>,
    pub stations: Vec<Station<StdRng>>,
    /// Per station: how many more frames it may send before its link is cut (every
    /// frame to or from it lost then); `None`: no limit.
    pub budget: Vec<Option<u32>>,
    pub ap_events: Vec<ApEvent>,
    pub station_events: Vec<Vec<StationEvent>>,
}

impl Air {
    /// An access point handing out [`home`] and `n` idle stations, all seeded by `seed`.
    pub fn new(n: usize, seed: u64) -> Air {
        let router = DeviceInfo::new(Uuid([0xaa; 16]), AP_MAC, "router");
        let config = ApConfig::new(router, vec![home()]);
        let ap = AccessPoint::new(config, StdRng::seed_from_u64(seed), Instant::ZERO);
        let stations = (0..n)
            .map(|i| {
                let device = DeviceInfo::new(station_uuid(i), station_mac(i), "printer");
                let rng = StdRng::seed_from_u64(seed ^ (0x5eed << 8) ^ i as u64);
                Station::new(StationConfig::new(device), rng)
            })
            .collect();
        Air {
            now: Instant::ZERO,
            ap,
            stations,
            budget: vec![None; n],
            ap_events: Vec::new(),
            station_events: vec![Vec::new(); n],
        }
    }

    /// Delivers frames both ways until the air is quiet; then gathers events.
    pub fn deliver(&mut self) {
        let mut rounds = 0;
        loop {
            let mut quiet = true;
            for (i, station) in self.stations.iter_mut().enumerate() {
                while let Some(frame) = station.poll_transmit() {
                    quiet = false;
                    let budget = &mut self.budget[i];
                    if *budget != Some(0) {
                        *budget = budget.map(|b| b - 1);
                        let _ = self.ap.handle_eapol(station_mac(i), &frame.eapol, self.now);
                    }
                }
            }
            while let Some(frame) = self.ap.poll_transmit() {
                quiet = false;
                let group = frame.to.0 == wps::eap::PAE_GROUP_ADDR;
                for (i, station) in self.stations.iter_mut().enumerate() {
                    if (group || frame.to == station_mac(i)) && self.budget[i] != Some(0) {
                        let _ = station.handle_eapol(AP_MAC, &frame.eapol, self.now);
                    }
                }
            }
            rounds += 1;
            assert!(rounds < 10_000, "the drivers never fall quiet");
            if quiet {
                break;
            }
        }
        self.ap_events
            .extend(std::iter::from_fn(|| self.ap.poll_event()));
        for (station, events) in self.stations.iter_mut().zip(&mut self.station_events) {
            events.extend(std::iter::from_fn(|| station.poll_event()));
        }
    }

    /// Runs every timer due up to `d` from now, delivering frames after each.
    pub fn wait(&mut self, d: Duration) {
        let until = self.now + d;
        self.deliver();
        loop {
            let due = self
                .stations
                .iter()
                .map(Station::poll_timeout)
                .chain([self.ap.poll_timeout()])
                .flatten()
                .min()
                .filter(|t| *t <= until);
            self.now = due.unwrap_or(until).max(self.now);
            self.ap.handle_timeout(self.now);
            for station in &mut self.stations {
                station.handle_timeout(self.now);
            }
            self.deliver();
            if due.is_none() {
                break;
            }
        }
    }

    /// Station `i`'s journey outcome, if it has finished, and whether the registrar
    /// answered it with M2D.
    pub fn station_result(&self, i: usize) -> (Option<&Outcome>, bool) {
        let events = &self.station_events[i];
        let outcome = events.iter().find_map(|e| match e {
            StationEvent::Finished { outcome, .. } => Some(outcome),
            _ => None,
        });
        let m2d = events.iter().any(|e| matches!(e, StationEvent::M2d(_)));
        (outcome, m2d)
    }

    /// Forgets the events gathered so far.
    pub fn clear_events(&mut self) {
        self.ap_events.clear();
        for events in &mut self.station_events {
            events.clear();
        }
    }
}
