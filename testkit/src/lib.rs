//! Test support shared by the `wps` crate's tests, benches and examples (and the `wps`
//! command's tests and the fuzz targets): the recorded vectors under `tests/vectors`, a
//! reader for their pcap captures, fixtures more than one target builds, and the message
//! building (`build`) the benches time and the tests need whole.
//!
//! A dev-dependency crate rather than a module, because integration tests, benches and
//! examples are separate crates that can only share a module through `#[path]`; this
//! crate is reached by name from each of them. It panics on anything unexpected: it is
//! test code.

pub mod build;
pub mod fixtures;
pub mod pcap;
pub mod vectors;
