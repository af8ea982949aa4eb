//! The `wps` command. (Minimal: only `wps scan` here; the other subcommands live in the
//! command's own branch.)
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod scan;

/// Wi-Fi Protected Setup from the shell.
#[derive(Debug, Parser)]
#[command(name = "wps", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Per-AP WPS facts from a capture of 802.11 Beacons and Probe Responses, the
    /// push-button verdict and, with --mac, the PIN choice.
    Scan(scan::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Scan(args) => scan::run(args),
    }
}
