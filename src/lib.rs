//! # wps — Wi-Fi Protected Setup (Wi-Fi Simple Configuration 2.0)
//!
//! A pure, sans-IO implementation of the WPS registration protocol as hostapd and
//! wpa_supplicant speak it: PIN math, the WSC TLV codec, typed attributes and messages,
//! the key schedule, the enrollee and registrar state machines, their timers and the
//! EAP-WSC framing. Bytes and the current time go in; bytes, events and deadlines come
//! out. Nothing here opens a socket, reads a clock or draws from a global RNG.
//!
//! Layers (each depends only on those above it): [`pin`], [`tlv`], [`attr`],
//! [`message`], [`crypto`], [`time`], [`registration`], [`eap`], [`nfc`] (tokens and
//! handover); on top, the journeys: [`station::Station`] and [`ap::AccessPoint`] own a
//! whole side each, and [`Outcome`] says how a run ended in plain words; before them,
//! [`scan`] finds the AP to join. Beside them, [`autoconfig`] is the IEEE 1905 (EasyMesh)
//! AP autoconfiguration: WSC M1 and M2 alone; with the `upnp` feature, `upnp` carries the
//! same registration between a PC (external registrar) and an access point over UPnP.
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

#[cfg(any(feature = "alloc", test))]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

#[cfg(feature = "alloc")]
pub mod ap;
pub mod attr;
#[cfg(feature = "alloc")]
pub mod autoconfig;
pub mod crypto;
pub mod eap;
#[cfg(feature = "alloc")]
mod link;
pub mod message;
pub mod nfc;
#[cfg(feature = "alloc")]
pub mod outcome;
pub mod pin;
pub mod registration;
pub mod scan;
#[cfg(feature = "alloc")]
pub mod station;
pub mod time;
pub mod tlv;
#[cfg(feature = "upnp")]
pub mod upnp;

#[cfg(feature = "alloc")]
pub use outcome::{Outcome, RunError};

/// The code examples of README.md, compiled and run as doctests.
#[cfg(all(doctest, feature = "std"))]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
