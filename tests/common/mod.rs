//! Shared test support: a pcap reader and the in-memory registration harness.
#![allow(dead_code, unused_imports)]

pub mod air;
pub mod pair;
pub mod pcap;
