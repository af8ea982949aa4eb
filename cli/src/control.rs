//! The control lines `wps ap` and `wps er` read on stdin (hostapd_cli's and wpa_cli's
//! command names): the thread that reads them, and the pieces every command parser takes.

use std::io::BufRead;
use std::sync::mpsc;

use wps::attr::Uuid;

use crate::args;
use crate::report::out;

/// Sends stdin's lines, in their own thread, as `line(text)`; `eof` when stdin closes.
pub fn read_stdin<T: Send + 'static>(to: mpsc::Sender<T>, line: fn(String) -> T, eof: T) {
    std::thread::spawn(move || {
        for text in std::io::stdin().lock().lines() {
            let Ok(text) = text else { break };
            if to.send(line(text)).is_err() {
                return;
            }
        }
        let _ = to.send(eof);
    });
}

/// Answers one control line on stdout: what `execute` says for the command `parse`
/// read, `FAIL reason` for a line it refused, nothing for a blank line.
pub fn answer<C>(
    line: &str,
    parse: fn(&str) -> Result<Option<C>, String>,
    execute: impl FnOnce(C) -> String,
) {
    match parse(line) {
        Ok(Some(command)) => out(&execute(command)),
        Ok(None) => {}
        Err(reason) => out(&format!("FAIL {reason}")),
    }
}

/// Reads one control line with `command`, which gets the command name in lower case
/// (hostapd_cli's names are matched in any case) and the arguments. `Ok(None)` for a
/// blank line (no command, no reply); `Err` is the reason a `FAIL` reply gives.
pub fn parse_line<C>(
    line: &str,
    command: impl FnOnce(&str, &[&str]) -> Result<C, String>,
) -> Result<Option<C>, String> {
    let mut words = line.split_whitespace();
    let Some(name) = words.next() else {
        return Ok(None);
    };
    let args: Vec<&str> = words.collect();
    command(&name.to_ascii_lowercase(), &args).map(Some)
}

/// `any` (every enrollee: `None`) or one enrollee's UUID, as `wps_pin` and `wps_er_pin`
/// take it.
pub fn any_or_uuid(text: &str) -> Result<Option<Uuid>, String> {
    match text {
        "any" => Ok(None),
        uuid => args::uuid(uuid).map(Some),
    }
}
