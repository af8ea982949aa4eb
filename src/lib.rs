//! # wps — Wi-Fi Protected Setup (Wi-Fi Simple Configuration 2.0)
//!
//! A pure, sans-IO implementation of the WPS registration protocol as hostapd and
//! wpa_supplicant speak it: PIN math, the WSC TLV codec, typed attributes and messages,
//! the key schedule, the enrollee and registrar state machines, their timers and the
//! EAP-WSC framing. Bytes and the current time go in; bytes, events and deadlines come
//! out. Nothing here opens a socket, reads a clock or draws from a global RNG.
//!
//! Layers (each depends only on those above it): [`pin`], [`tlv`], [`attr`],
//! [`message`], [`crypto`], [`time`], [`registration`], [`eap`], `nfc` (tokens and
//! handover, with the `nfc` feature); on top, the journeys: [`station::Station`] and [`ap::AccessPoint`] own a
//! whole side each, and [`Outcome`] says how a run ended in plain words; before them,
//! [`scan`] finds the AP to join. Beside them, [`autoconfig`] is the IEEE 1905 (EasyMesh)
//! AP autoconfiguration: WSC M1 and M2 alone; with the `upnp` feature, `upnp` carries the
//! same registration between a PC (external registrar) and an access point over UPnP.
//!
//! ## Quick start
//!
//! A printer ([`station::Station`]) joins a router ([`ap::AccessPoint`]) with the PIN it
//! shows. Each side is one object; the program around them moves EAPOL frames and reads
//! the clock (here the frames go straight across, and time stands still):
//!
//! ```
//! use wps::Outcome;
//! use wps::ap::{AccessPoint, ApConfig};
//! use wps::attr::{MacAddr, Uuid};
//! use wps::pin::{DevicePassword, Pin};
//! use wps::registration::{DeviceInfo, NetworkSettings};
//! use wps::station::{Station, StationConfig, StationEvent};
//! use wps::time::{Instant, Lifetime};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let now = Instant::ZERO;
//! let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
//! let router = DeviceInfo::new(Uuid([2; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
//! let home = NetworkSettings::wpa2_personal(b"HomeNet", b"correct horse battery")?;
//! // Any rand_core 0.10 CryptoRng: rand 0.10's thread RNG here.
//! let mut ap = AccessPoint::new(ApConfig::new(router.clone(), vec![home]), rand::rng(), now);
//! let mut station = Station::new(StationConfig::new(printer.clone()), rand::rng());
//!
//! // The printer shows a fresh PIN, valid for 5 minutes; its owner types it at the router.
//! let pin = DevicePassword::from(&Pin::random(&mut rand::rng()));
//! ap.add_pin(None, pin.clone(), Lifetime::from_secs(300), now)?;
//! station.start_pin(pin, Lifetime::from_secs(300), now);
//!
//! // The I/O: EAPOL frames from one side to the other until neither has more to say.
//! // A frame a side cannot use is dropped (the `Err(Dropped)` says why), as on air.
//! loop {
//!     let mut moved = false;
//!     while let Some(t) = station.poll_transmit() {
//!         let _ = ap.handle_eapol(printer.mac, &t.eapol, now);
//!         moved = true;
//!     }
//!     while let Some(t) = ap.poll_transmit() {
//!         let _ = station.handle_eapol(router.mac, &t.eapol, now);
//!         moved = true;
//!     }
//!     if !moved {
//!         break;
//!     }
//! }
//! let outcome = std::iter::from_fn(|| station.poll_event())
//!     .find_map(|e| match e {
//!         StationEvent::Finished { outcome, .. } => Some(outcome),
//!         _ => None,
//!     })
//!     .ok_or("the station did not finish")?;
//! let Outcome::Succeeded(credentials) = outcome else {
//!     return Err(outcome.to_string().into());
//! };
//! assert_eq!(credentials[0].ssid(), b"HomeNet");
//! # Ok(())
//! # }
//! ```
//!
//! A real program also calls `handle_timeout` when `poll_timeout` says so (a lost frame
//! is resent, the PIN expires, the walk time ends). One layer down,
//! [`registration`] runs the same exchange without EAP: the state machines take WSC
//! messages and give back messages and events.
//!
//! ## Randomness
//!
//! Every function that draws secrets (DH keys, nonces, PINs, tokens) takes a
//! [`rand_core`] 0.10 [`CryptoRng`](rand_core::CryptoRng), re-exported as
//! [`wps::rand_core`](crate::rand_core). With the `rand` crate, use **`rand` 0.10**
//! (`rand::rng()`, or `rand::rngs::SysRng` wrapped in `rand_core::UnwrapErr`); `rand`
//! 0.9 and older implement an older `rand_core`, and their generators do not satisfy the
//! bound. On a board, wrap the hardware TRNG in a `rand_core` 0.10 `CryptoRng`.
//!
//! ## Cargo features
//!
//! | Feature | Default | What it adds |
//! |---|---|---|
//! | `std` | yes | implies `alloc`; `std::error::Error` for the error types, `time::SystemClock` |
//! | `alloc` | with `std` | the [`registration`] machines, [`ap`], [`station`], [`autoconfig`], [`Outcome`], and `Vec`-returning conveniences (`Message::to_bytes`, …) |
//! | (none) | | `#![no_std]` without a heap: parsing, building into `&mut [u8]`, PIN math, the crypto primitives |
//! | `enrollee` | yes | the enrollee role: `registration::Enrollee`, [`station::Station`], and the AP-enrollee side of `ap::AccessPoint` (with `registrar` too); a printer builds only this one |
//! | `registrar` | yes | the registrar role: `registration::RegistrarSession` and its password sources, `ap::AccessPoint`, and `station::Station` as external registrar (with `enrollee` too); a router builds only this one |
//! | `upnp` | no | the `upnp` module: WFAWLANConfig over UPnP (SSDP, descriptions, SOAP, GENA, WLANEvent), the AP's device and the PC's external registrar; implies `alloc` and both roles |
//! | `nfc` | yes | the `nfc` module (password and configuration tokens, connection handover, NDEF) and the NFC paths of the [`registration`] machines, `ap::AccessPoint` and [`station::Station`]; a device without an NFC chip leaves it out |
//! | `compact-pin-checksum` | no | [`pin::checksum`] without its 10 000-byte table (32-bit targets never use the table) |
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects
)]
// Unit tests compute freely; the library itself is linted by the non-test build
// (`clippy --all-targets` checks both). unwrap/expect/panic/indexing: see clippy.toml.
#![cfg_attr(test, allow(clippy::arithmetic_side_effects))]
#![warn(missing_docs)]
// With one role (or none), the crate-internal helpers of the other role's messages and
// passwords are unused; the full build (both roles, as CI's clippy runs it) still
// reports dead code.
#![cfg_attr(
    not(all(feature = "enrollee", feature = "registrar")),
    allow(dead_code, unused_imports)
)]

#[cfg(any(feature = "alloc", test))]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(all(feature = "alloc", feature = "registrar"))]
pub mod ap;
pub mod attr;
#[cfg(feature = "alloc")]
pub mod audit;
#[cfg(feature = "alloc")]
pub mod autoconfig;
pub mod crypto;
pub mod eap;
#[cfg(feature = "alloc")]
mod fifo;
mod fixed_list;
#[cfg(all(feature = "alloc", any(feature = "enrollee", feature = "registrar")))]
mod link;
pub mod message;
#[cfg(feature = "nfc")]
pub mod nfc;
#[cfg(all(feature = "alloc", any(feature = "enrollee", feature = "registrar")))]
pub mod outcome;
pub mod pin;
pub mod registration;
pub mod scan;
#[cfg(all(feature = "alloc", feature = "enrollee"))]
pub mod station;
pub mod time;
pub mod tlv;
#[cfg(feature = "upnp")]
pub mod upnp;

#[cfg(all(feature = "alloc", any(feature = "enrollee", feature = "registrar")))]
pub use outcome::{Outcome, RunError};
/// The `rand_core` version this crate's RNG parameters are written against (0.10), so
/// that callers can name the same traits; `rand` 0.10 implements them.
pub use rand_core;

/// The code examples of README.md, compiled and run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
