//! Shared test support: the vectors and pcap reader of `wps-testkit`, and the in-memory
//! registration harness.
#![allow(dead_code, unused_imports)]

#[cfg(all(feature = "enrollee", feature = "registrar"))]
pub mod air;
#[cfg(all(feature = "enrollee", feature = "registrar"))]
pub mod pair;
#[cfg(feature = "upnp")]
pub mod upnp;
pub use wps_testkit::{fixtures, pcap, vectors};
