//! `wps pin [PIN]`: a fresh dynamic PIN, or whether a typed one is valid.

use std::process::ExitCode;

use wps::pin::Pin;

use crate::report::out;

/// `wps pin [PIN]`
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A PIN to check: 8 digits with a valid checksum, or 4 digits; dashes and spaces
    /// between digits are allowed ("1234-5670"). Without it, print a fresh random PIN.
    pub pin: Option<String>,
}

/// Prints a fresh PIN (exit 0), or checks one: valid exit 0, invalid exit 1.
pub fn run(args: Args) -> ExitCode {
    match args.pin {
        None => {
            out(Pin::random(&mut rand::rng()).as_str());
            ExitCode::SUCCESS
        }
        Some(text) => {
            let (line, ok) = check(&text);
            out(&line);
            if ok {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// What `wps pin TEXT` says, and whether the PIN is valid.
fn check(text: &str) -> (String, bool) {
    match Pin::parse(text) {
        Ok(pin) => (format!("{} is a valid PIN", pin.as_str()), true),
        Err(e) => (format!("{text:?} is not a valid PIN: {e}"), false),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_like_hostapd() {
        assert_eq!(check("1234-5670"), ("12345670 is a valid PIN".into(), true));
        assert_eq!(check("1234"), ("1234 is a valid PIN".into(), true));
        let (line, ok) = check("12345671");
        assert!(!ok);
        assert!(line.contains("checksum"), "{line}");
        assert!(!check("123").1);
        assert!(!check("").1);
    }
}
