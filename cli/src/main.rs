//! `wps`: Wi-Fi Protected Setup on Linux, from the `wps` crate.
//!
//! Each subcommand lives in its own module with an `Args` struct and a `run` function;
//! the programs hold only I/O (sockets, the clock, stdin/stdout), the protocol is the
//! library's.

#![forbid(unsafe_code)]

mod ap;
mod args;
mod audit;
mod clock;
mod control;
mod decode;
mod device;
mod eapol_link;
mod er;
mod lan;
mod nfc;
mod pin;
mod report;
mod scan;
mod station;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Wi-Fi Protected Setup: PINs, decoding, and registration over EAPOL.
#[derive(Debug, Parser)]
#[command(name = "wps", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a fresh dynamic PIN, or check one.
    Pin(pin::Args),
    /// Self-audit of a device's own runs (captures plus its logged secrets): Pixie Dust and more.
    Audit(audit::Args),
    /// Show WSC attributes, 802.11 elements, EAPOL frames or a capture as a tree or JSON.
    Decode(decode::Args),
    /// Per-AP WPS facts from a capture of 802.11 management frames.
    Scan(scan::Args),
    /// The access point: internal registrar and AP PIN, driven by hostapd_cli commands on stdin.
    Ap(ap::Args),
    /// The station: enrol with a PIN or push-button, or read/configure an AP with its AP PIN.
    Station(station::Args),
    /// NFC tags: a fresh password token for this device.
    Nfc(nfc::Args),
    /// The PC: external registrar over UPnP, driven by wpa_cli's wps_er_* commands on stdin.
    Er(er::Args),
}

/// clap exits with status 2 on a bad command line, as every subcommand does.
fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Pin(a) => pin::run(a),
        Command::Audit(a) => audit::run(a),
        Command::Decode(a) => decode::run(a),
        Command::Scan(a) => scan::run(a),
        Command::Ap(a) => ap::run(a),
        Command::Station(a) => station::run(a),
        Command::Nfc(a) => nfc::run(a),
        Command::Er(a) => er::run(a),
    }
}
