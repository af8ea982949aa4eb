//! Shared test support: a pcap reader and the in-memory registration harness.
#![allow(dead_code, unused_imports)]

#[cfg(all(feature = "enrollee", feature = "registrar"))]
pub mod air;
#[cfg(all(feature = "enrollee", feature = "registrar"))]
pub mod pair;
pub mod pcap;
