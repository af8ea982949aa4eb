//! `wps scan`: placeholder; the real subcommand is written on another branch.

use std::path::PathBuf;
use std::process::ExitCode;

/// `wps scan FILE.pcap`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A capture of 802.11 management frames.
    pub file: PathBuf,
}

/// Not written yet.
pub fn run(args: Args) -> ExitCode {
    let _ = args.file;
    eprintln!("wps scan: not yet");
    ExitCode::from(2)
}
