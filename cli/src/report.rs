//! How results leave the programs: exit statuses, the credential as JSON, and a failed
//! run in hostapd's `WPS-FAIL` words.

use serde_json::{Value, json};
use wps::registration::{Credential, Failure};

/// The registration failed (a NACK, or our own check failed).
pub const EXIT_FAILED: u8 = 1;
/// A bad command line (clap uses 2 as well).
pub const EXIT_USAGE: u8 = 2;
/// The run ended as the protocol allows, without a credential (M2D until the end).
pub const EXIT_NO_CREDENTIAL: u8 = 3;
/// Nobody finished the registration in time.
pub const EXIT_TIMEOUT: u8 = 4;
/// The interface could not be used.
pub const EXIT_IO: u8 = 5;

/// A credential (or an access point's settings) as one JSON object:
/// `{"ssid":"…","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"…","mac":"aa:bb:…"}`.
///
/// `ssid` and `network_key` are the bytes as UTF-8 text (invalid sequences become
/// U+FFFD); `auth_type` / `encr_type` are the WSC flag names as hostapd spells them
/// (several flags joined by `" | "`); `mac` is the credential's MAC Address attribute.
pub fn credential_json(c: &Credential) -> Value {
    json!({
        "ssid": String::from_utf8_lossy(c.ssid()),
        "auth_type": c.auth_type().to_string(),
        "encr_type": c.encr_type().to_string(),
        "network_key": String::from_utf8_lossy(c.network_key()),
        "mac": c.mac().to_string(),
    })
}

/// hostapd's and wpa_supplicant's event for a failed run:
/// `WPS-FAIL msg=<message type number> config_error=<Configuration Error number>`.
pub fn fail_line(f: &Failure) -> String {
    format!(
        "WPS-FAIL msg={} config_error={}",
        f.message.map_or(0, u8::from),
        u16::from(f.config_error)
    )
}

/// What [`fail_line`]'s numbers mean, for the log.
pub fn fail_words(f: &Failure) -> String {
    let message = match f.message {
        Some(m) => format!("{m} ({})", u8::from(m)),
        None => "no message".to_string(),
    };
    format!(
        "{message}, configuration error {}: {}",
        f.config_error.description(),
        f.reason
    )
}

/// One line on stdout, flushed at once. A closed stdout (`wps … | head`) ends the
/// program quietly.
pub fn out(line: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .is_err()
    {
        std::process::exit(0);
    }
}

/// A wrong first PIN half seen in M4 (tests of the places that print a failure).
#[cfg(test)]
pub fn wrong_first_half() -> Failure {
    use wps::attr::{ConfigError, MessageType};
    use wps::registration::FailureReason;
    Failure {
        message: Some(MessageType::M4),
        config_error: ConfigError::DevicePasswordAuthFailure,
        reason: FailureReason::PasswordMismatch { half: 1 },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wps::attr::MacAddr;
    use wps::registration::NetworkSettings;

    #[test]
    fn credential_as_json_object() {
        let settings = NetworkSettings::wpa2_personal(b"home \"net\"", b"correct horse").unwrap();
        let c = Credential::new(settings, MacAddr([2, 0, 0, 0, 0x1b, 1]));
        assert_eq!(
            credential_json(&c).to_string(),
            r#"{"ssid":"home \"net\"","auth_type":"WPA2-PSK","encr_type":"AES","network_key":"correct horse","mac":"02:00:00:00:1b:01"}"#
        );
    }

    #[test]
    fn failure_in_hostapd_words() {
        let f = wrong_first_half();
        assert_eq!(fail_line(&f), "WPS-FAIL msg=8 config_error=18");
        assert!(fail_words(&f).contains("M4"), "{}", fail_words(&f));
    }
}
