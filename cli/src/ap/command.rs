//! The line protocol of `wps ap`: hostapd_cli's command names on stdin, one reply line
//! each (`OK`, `FAIL <reason>`, or the value).

use std::time::Duration;

use wps::ap::{AccessPoint, ApStatus, LastResult, NfcFormat, PbcStatus};
use wps::attr::Uuid;
use wps::pin::{DevicePassword, Pin};
use wps::time::{AP_PIN_DEFAULT_LIFETIME, Instant, Lifetime};

use crate::{args, control};

/// One command, parsed.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// `wps_pin any|UUID PIN [TIMEOUT_S]`
    Pin {
        /// `None` for `any`.
        uuid: Option<Uuid>,
        pin: DevicePassword,
        lifetime: Lifetime,
    },
    /// `wps_pbc`
    PushButton,
    /// `wps_cancel`
    Cancel,
    /// `wps_ap_pin set PIN [TIMEOUT_S]`
    ApPinSet {
        pin: DevicePassword,
        lifetime: Lifetime,
    },
    /// `wps_ap_pin disable`
    ApPinDisable,
    /// `wps_check_pin PIN`
    CheckPin(String),
    /// `wps_get_status`
    GetStatus,
    /// `wps_nfc_tag_read HEX`: an enrollee's NFC password token (NDEF).
    NfcTagRead(Vec<u8>),
    /// `wps_nfc_config_token NDEF`: print our configuration token.
    NfcConfigToken,
    /// `wps_nfc_token WPS|NDEF`: a fresh password token of our own, printed.
    NfcToken(NfcFormat),
    /// `wps_nfc_token enable`: our token replaces the AP PIN.
    NfcTokenEnable,
    /// `wps_nfc_token disable`: back to the AP PIN.
    NfcTokenDisable,
    /// `nfc_get_handover_sel WPS|NDEF WPS-CR`: print our handover select.
    HandoverSelect(NfcFormat),
    /// `nfc_report_handover RESP WPS REQ SEL`: a station's handover request and our
    /// select (both hex).
    ReportHandover { request: Vec<u8>, select: Vec<u8> },
}

/// Parses one line (see [`control::parse_line`]).
pub fn parse(line: &str) -> Result<Option<Command>, String> {
    control::parse_line(line, command)
}

/// One command from its name (lower case) and arguments.
fn command(name: &str, args: &[&str]) -> Result<Command, String> {
    let command = match (name, args) {
        ("wps_pin", [who, pin, timeout @ ..]) if timeout.len() <= 1 => Command::Pin {
            uuid: control::any_or_uuid(who)?,
            pin: args::device_password(pin)?,
            lifetime: lifetime(timeout.first().copied(), Lifetime::Forever)?,
        },
        ("wps_pin", _) => return Err("usage: wps_pin any|UUID PIN [TIMEOUT_S]".into()),
        ("wps_pbc", []) => Command::PushButton,
        ("wps_cancel", []) => Command::Cancel,
        ("wps_ap_pin", ["set", pin, timeout @ ..]) if timeout.len() <= 1 => Command::ApPinSet {
            pin: args::device_password(pin)?,
            lifetime: lifetime(timeout.first().copied(), AP_PIN_DEFAULT_LIFETIME)?,
        },
        ("wps_ap_pin", ["disable"]) => Command::ApPinDisable,
        ("wps_ap_pin", _) => {
            return Err("usage: wps_ap_pin set PIN [TIMEOUT_S] | wps_ap_pin disable".into());
        }
        ("wps_check_pin", [pin]) => Command::CheckPin((*pin).to_owned()),
        ("wps_check_pin", _) => return Err("usage: wps_check_pin PIN".into()),
        ("wps_get_status", []) => Command::GetStatus,
        ("wps_nfc_tag_read", [hex]) => {
            Command::NfcTagRead(hex::decode(hex).map_err(|e| format!("not hex: {e}"))?)
        }
        ("wps_nfc_tag_read", _) => return Err("usage: wps_nfc_tag_read HEX".into()),
        ("wps_nfc_config_token", [ndef]) if ndef.eq_ignore_ascii_case("ndef") => {
            Command::NfcConfigToken
        }
        ("wps_nfc_config_token", _) => return Err("usage: wps_nfc_config_token NDEF".into()),
        // hostapd compares these arguments exactly (strcmp)
        ("wps_nfc_token", ["WPS"]) => Command::NfcToken(NfcFormat::Wps),
        ("wps_nfc_token", ["NDEF"]) => Command::NfcToken(NfcFormat::Ndef),
        ("wps_nfc_token", ["enable"]) => Command::NfcTokenEnable,
        ("wps_nfc_token", ["disable"]) => Command::NfcTokenDisable,
        ("wps_nfc_token", _) => return Err("usage: wps_nfc_token WPS|NDEF|enable|disable".into()),
        ("nfc_get_handover_sel", [format, "WPS-CR"]) => Command::HandoverSelect(match *format {
            "WPS" => NfcFormat::Wps,
            "NDEF" => NfcFormat::Ndef,
            _ => return Err("usage: nfc_get_handover_sel WPS|NDEF WPS-CR".into()),
        }),
        ("nfc_get_handover_sel", _) => {
            return Err("usage: nfc_get_handover_sel WPS|NDEF WPS-CR".into());
        }
        ("nfc_report_handover", ["RESP", "WPS", req, sel]) => Command::ReportHandover {
            request: hex::decode(req).map_err(|e| format!("REQ is not hex: {e}"))?,
            select: hex::decode(sel).map_err(|e| format!("SEL is not hex: {e}"))?,
        },
        ("nfc_report_handover", [role, kind, _, _]) => {
            return Err(format!(
                "unsupported connection handover: role={role} type={kind} (the access point answers: RESP WPS)"
            ));
        }
        ("nfc_report_handover", _) => {
            return Err("usage: nfc_report_handover RESP WPS REQ SEL".into());
        }
        ("wps_pbc" | "wps_cancel" | "wps_get_status", _) => {
            return Err(format!("{name} takes no arguments"));
        }
        _ => return Err(format!("unknown command {name:?}")),
    };
    Ok(command)
}

/// hostapd's timeout argument: seconds; 0 means no timeout.
fn lifetime(timeout: Option<&str>, default: Lifetime) -> Result<Lifetime, String> {
    match timeout.map(args::seconds).transpose()? {
        None => Ok(default),
        Some(Duration::ZERO) => Ok(Lifetime::Forever),
        Some(d) => Ok(Lifetime::For(d)),
    }
}

/// Carries out `command` and gives the reply line.
pub fn execute<R: rand::CryptoRng>(
    command: Command,
    ap: &mut AccessPoint<R>,
    now: Instant,
) -> String {
    match command {
        Command::Pin {
            uuid,
            pin,
            lifetime,
        } => ok_or_fail(ap.add_pin(uuid, pin, lifetime, now)),
        Command::PushButton => ok_or_fail(ap.push_button(now)),
        Command::Cancel => {
            ap.cancel(now);
            "OK".into()
        }
        Command::ApPinSet { pin, lifetime } => {
            // hostapd answers with the PIN it set
            let shown = String::from_utf8_lossy(pin.as_bytes()).into_owned();
            ap.set_ap_pin(pin, lifetime, now);
            shown
        }
        Command::ApPinDisable => {
            ap.disable_ap_pin();
            "OK".into()
        }
        Command::CheckPin(text) => check_pin(&text),
        Command::GetStatus => status_line(&ap.status()),
        Command::NfcTagRead(ndef) => ok_or_fail(ap.read_nfc_tag(&ndef, now)),
        // hostapd prints the NDEF message in uppercase hex.
        Command::NfcConfigToken => match ap.nfc_configuration_token() {
            Some(ndef) => hex::encode_upper(&*ndef),
            None => "FAIL the access point has no network".into(),
        },
        Command::NfcToken(format) => hex::encode_upper(&*ap.nfc_token(format)),
        Command::NfcTokenEnable => ok_or_fail(ap.enable_nfc_token()),
        Command::NfcTokenDisable => {
            ap.disable_nfc_token();
            "OK".into()
        }
        Command::HandoverSelect(format) => match ap.nfc_handover_select(format) {
            Ok(bytes) => hex::encode_upper(bytes),
            Err(e) => format!("FAIL {e}"),
        },
        Command::ReportHandover { request, select } => {
            ok_or_fail(ap.nfc_report_handover(&request, &select, now))
        }
    }
}

fn ok_or_fail(r: Result<(), wps::ap::CommandError>) -> String {
    match r {
        Ok(()) => "OK".into(),
        Err(e) => format!("FAIL {e}"),
    }
}

/// `wps_check_pin`: the PIN without separators, as hostapd prints it, or why not.
pub fn check_pin(text: &str) -> String {
    match Pin::parse(text) {
        Ok(pin) => pin.as_str().to_owned(),
        Err(e) => format!("FAIL {e}"),
    }
}

/// `wps_get_status` on one line: `pbc_status=Active last_wps_result=None`, and
/// `peer_address=…` once a registration has had a peer. The values are hostapd's words.
pub fn status_line(status: &ApStatus) -> String {
    let pbc = match status.pbc {
        PbcStatus::Disabled => "Disabled",
        PbcStatus::Active => "Active",
        PbcStatus::TimedOut => "Timed-out",
        PbcStatus::Overlap => "Overlap",
    };
    let last = match status.last_result {
        LastResult::None => "None",
        LastResult::Success => "Success",
        LastResult::Failed => "Failed",
    };
    let mut line = format!("pbc_status={pbc} last_wps_result={last}");
    if let Some(peer) = status.peer {
        line.push_str(&format!(" peer_address={peer}"));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;
    use wps::attr::MacAddr;

    fn pw(s: &str) -> DevicePassword {
        DevicePassword::from_bytes(s.as_bytes()).unwrap()
    }

    #[test]
    fn hostapd_cli_commands() {
        let uuid = args::uuid("12345678-9abc-def0-1234-56789abcdef0").unwrap();
        let any_pin = || Command::Pin {
            uuid: None,
            pin: pw("12345670"),
            lifetime: Lifetime::Forever,
        };
        let report = Command::ReportHandover {
            request: vec![0xd2, 0x17],
            select: vec![0xd2, 0x18],
        };
        let cases = [
            ("wps_pin any 12345670", any_pin()),
            (
                "  WPS_PIN 12345678-9abc-def0-1234-56789abcdef0 1234 3 ",
                Command::Pin {
                    uuid: Some(uuid),
                    pin: pw("1234"),
                    lifetime: Lifetime::For(Duration::from_secs(3)),
                },
            ),
            ("wps_pin any 12345670 0", any_pin()),
            ("wps_pbc", Command::PushButton),
            (
                "wps_nfc_tag_read D2170A",
                Command::NfcTagRead(vec![0xd2, 0x17, 0x0a]),
            ),
            ("wps_nfc_config_token NDEF", Command::NfcConfigToken),
            ("wps_nfc_token NDEF", Command::NfcToken(NfcFormat::Ndef)),
            ("wps_nfc_token WPS", Command::NfcToken(NfcFormat::Wps)),
            ("wps_nfc_token enable", Command::NfcTokenEnable),
            ("wps_nfc_token disable", Command::NfcTokenDisable),
            (
                "nfc_get_handover_sel NDEF WPS-CR",
                Command::HandoverSelect(NfcFormat::Ndef),
            ),
            (
                "NFC_GET_HANDOVER_SEL WPS WPS-CR",
                Command::HandoverSelect(NfcFormat::Wps),
            ),
            ("nfc_report_handover RESP WPS D217 D218", report),
            ("wps_cancel", Command::Cancel),
            (
                "wps_ap_pin set 87654325",
                Command::ApPinSet {
                    pin: pw("87654325"),
                    lifetime: AP_PIN_DEFAULT_LIFETIME,
                },
            ),
            (
                "wps_ap_pin set 87654325 0",
                Command::ApPinSet {
                    pin: pw("87654325"),
                    lifetime: Lifetime::Forever,
                },
            ),
            ("wps_ap_pin disable", Command::ApPinDisable),
            (
                "wps_check_pin 1234-5670",
                Command::CheckPin("1234-5670".into()),
            ),
            ("wps_get_status", Command::GetStatus),
        ];
        for (line, command) in cases {
            assert_eq!(parse(line), Ok(Some(command)), "{line:?}");
        }
        for refused in [
            "wps_nfc_tag_read D2Z",
            "wps_nfc_tag_read",
            "wps_nfc_config_token WPS",
            "wps_nfc_token ndef",
            "wps_nfc_token",
            "nfc_get_handover_sel NDEF P2P-CR",
            "nfc_get_handover_sel NDEF",
            "nfc_report_handover RESP WPS D21 D218",
            "nfc_report_handover RESP WPS D217",
        ] {
            assert!(parse(refused).is_err(), "{refused:?}");
        }
        let init = parse("nfc_report_handover INIT WPS D217 D218").unwrap_err();
        assert!(init.contains("role=INIT"), "{init}");
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("   \t"), Ok(None));
    }

    #[test]
    fn malformed_commands_give_reasons() {
        for bad in [
            "wps_pin",
            "wps_pin any",
            "wps_pin any 123",
            "wps_pin any 12345670 soon",
            "wps_pin any 12345670 3 extra",
            "wps_pin someone 12345670",
            "wps_pbc now",
            "wps_ap_pin",
            "wps_ap_pin random",
            "wps_ap_pin set",
            "wps_ap_pin disable now",
            "wps_check_pin",
            "wps_get_status please",
            "reboot",
        ] {
            let reason = parse(bad).expect_err(bad);
            assert!(!reason.is_empty(), "{bad}");
            // a reply never looks like an event (an uppercase word with hyphens)
            assert!(!reason.starts_with("WPS-"), "{bad}: {reason}");
        }
    }

    #[test]
    fn check_pin_prints_the_clean_pin() {
        assert_eq!(check_pin("1234-5670"), "12345670");
        assert_eq!(check_pin("1234 5670"), "12345670");
        assert_eq!(check_pin("1234"), "1234");
        assert!(check_pin("12345671").starts_with("FAIL "));
        assert!(check_pin("12345").starts_with("FAIL "));
    }

    #[test]
    fn status_on_one_line() {
        let s = ApStatus {
            pbc: PbcStatus::Active,
            last_result: LastResult::None,
            peer: None,
        };
        assert_eq!(status_line(&s), "pbc_status=Active last_wps_result=None");
        let s = ApStatus {
            pbc: PbcStatus::TimedOut,
            last_result: LastResult::Failed,
            peer: Some(MacAddr([2, 0, 0, 0, 0x1b, 1])),
        };
        assert_eq!(
            status_line(&s),
            "pbc_status=Timed-out last_wps_result=Failed peer_address=02:00:00:00:1b:01"
        );
    }
}
