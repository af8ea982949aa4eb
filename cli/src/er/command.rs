//! The line protocol of `wps er`: wpa_cli's `wps_er_*` command names on stdin, with the
//! arguments wpa_supplicant's control interface takes, one reply line each (`OK` or
//! `FAIL <reason>`).

use wps::attr::{AuthType, EncrType, MacAddr, Uuid};
use wps::pin::DevicePassword;
use wps::registration::NetworkSettings;
use wps::time::Instant;
use wps::upnp::external::{ApSelector, ExternalRegistrar};

use crate::{args, control};

/// One command, parsed.
#[derive(Debug)]
pub enum Command {
    /// `wps_er_pin any|UUID PIN [MAC]`
    Pin {
        /// `None` for `any`.
        uuid: Option<Uuid>,
        pin: DevicePassword,
        mac: Option<MacAddr>,
    },
    /// `wps_er_pbc UUID|MAC`: the enrollee named is not pinned; the next push-button
    /// enrollee is accepted.
    PushButton,
    /// `wps_er_learn UUID|any AP_PIN`
    Learn {
        ap: ApSelector,
        ap_pin: DevicePassword,
    },
    /// `wps_er_config UUID|any AP_PIN SSID AUTH ENCR KEY` (SSID and KEY in hex, as
    /// wpa_cli sends them)
    Config {
        ap: ApSelector,
        ap_pin: DevicePassword,
        settings: NetworkSettings,
    },
    /// `wps_er_stop`
    Stop,
}

/// Parses one line (see [`control::parse_line`]).
pub fn parse(line: &str) -> Result<Option<Command>, String> {
    control::parse_line(line, command)
}

/// One command from its name (lower case) and arguments.
fn command(name: &str, args: &[&str]) -> Result<Command, String> {
    let command = match (name, args) {
        ("wps_er_pbc", [who]) => {
            if args::uuid(who).is_err() {
                mac_addr(who).map_err(|_| format!("{who:?}: want a UUID or a MAC address"))?;
            }
            Command::PushButton
        }
        ("wps_er_pbc", _) => return Err("usage: wps_er_pbc UUID|MAC".into()),
        ("wps_er_pin", [who, pin, mac @ ..]) if mac.len() <= 1 => Command::Pin {
            uuid: control::any_or_uuid(who)?,
            pin: args::device_password(pin)?,
            mac: mac.first().map(|m| mac_addr(m)).transpose()?,
        },
        ("wps_er_pin", _) => return Err("usage: wps_er_pin any|UUID PIN [MAC]".into()),
        ("wps_er_learn", [ap, pin]) => Command::Learn {
            ap: selector(ap)?,
            ap_pin: args::device_password(pin)?,
        },
        ("wps_er_learn", _) => return Err("usage: wps_er_learn UUID|any AP_PIN".into()),
        ("wps_er_config", [ap, pin, ssid, auth, encr, key]) => Command::Config {
            ap: selector(ap)?,
            ap_pin: args::device_password(pin)?,
            settings: settings(ssid, auth, encr, key)?,
        },
        ("wps_er_config", _) => {
            return Err(
                "usage: wps_er_config UUID|any AP_PIN SSID_HEX OPEN|WPAPSK|WPA2PSK NONE|WEP|TKIP|CCMP KEY_HEX"
                    .into(),
            );
        }
        ("wps_er_stop", []) => Command::Stop,
        ("wps_er_stop", _) => return Err("usage: wps_er_stop".into()),
        (other, _) => return Err(format!("unknown command {other:?}")),
    };
    Ok(command)
}

/// Runs a command; the reply line.
pub fn execute<R: rand::CryptoRng>(
    command: Command,
    er: &mut ExternalRegistrar<R>,
    now: Instant,
) -> String {
    let done = match command {
        Command::Pin { uuid, pin, mac } => {
            er.add_pin(uuid, pin, mac);
            Ok(())
        }
        Command::PushButton => {
            er.push_button();
            Ok(())
        }
        Command::Learn { ap, ap_pin } => er.learn(ap, ap_pin, now),
        Command::Config {
            ap,
            ap_pin,
            settings,
        } => er.configure(ap, ap_pin, settings, now),
        Command::Stop => {
            er.stop();
            Ok(())
        }
    };
    match done {
        Ok(()) => "OK".into(),
        Err(e) => format!("FAIL {e}"),
    }
}

fn selector(text: &str) -> Result<ApSelector, String> {
    match text {
        "any" => Ok(ApSelector::Any),
        uuid => args::uuid(uuid).map(ApSelector::Uuid),
    }
}

/// `aa:bb:cc:dd:ee:ff`.
fn mac_addr(text: &str) -> Result<MacAddr, String> {
    let bytes: Vec<u8> = text
        .split(':')
        .map(|p| {
            (p.len() == 2)
                .then(|| u8::from_str_radix(p, 16).ok())
                .flatten()
        })
        .collect::<Option<_>>()
        .ok_or_else(|| format!("MAC {text:?}: want aa:bb:cc:dd:ee:ff"))?;
    <[u8; 6]>::try_from(bytes)
        .map(MacAddr)
        .map_err(|_| format!("MAC {text:?}: want aa:bb:cc:dd:ee:ff"))
}

/// wpa_supplicant's `wps_er_config` arguments: hex SSID, wpa_cli's names for the
/// authentication and encryption types, hex key.
fn settings(ssid: &str, auth: &str, encr: &str, key: &str) -> Result<NetworkSettings, String> {
    let ssid = hex::decode(ssid).map_err(|_| format!("SSID {ssid:?}: want hex digits"))?;
    let key = hex::decode(key).map_err(|_| format!("key {key:?}: want hex digits"))?;
    let auth = match auth {
        "OPEN" => AuthType::OPEN,
        "WPAPSK" => AuthType::WPA_PSK,
        "WPA2PSK" => AuthType::WPA2_PSK,
        other => return Err(format!("{other:?}: want OPEN, WPAPSK or WPA2PSK")),
    };
    let encr = match encr {
        "NONE" => EncrType::NONE,
        "WEP" => EncrType::WEP,
        "TKIP" => EncrType::TKIP,
        "CCMP" => EncrType::AES,
        other => return Err(format!("{other:?}: want NONE, WEP, TKIP or CCMP")),
    };
    NetworkSettings::new(&ssid, auth, encr, &key).map_err(|e| format!("settings: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_commands_wpa_cli_sends() {
        let Some(Command::Pin { uuid, pin, mac }) =
            parse("wps_er_pin any 24681353 02:00:00:00:5b:01").unwrap()
        else {
            panic!()
        };
        assert_eq!(uuid, None);
        assert_eq!(pin.as_bytes(), b"24681353");
        assert_eq!(mac, Some(MacAddr([2, 0, 0, 0, 0x5b, 1])));
        assert!(matches!(
            parse("wps_er_pin 12345678-9abc-def0-1234-56789abcdef0 24681353").unwrap(),
            Some(Command::Pin {
                uuid: Some(_),
                mac: None,
                ..
            })
        ));
        assert!(matches!(
            parse("wps_er_learn any 12345670").unwrap(),
            Some(Command::Learn {
                ap: ApSelector::Any,
                ..
            })
        ));
        assert!(matches!(
            parse("wps_er_pbc 02:00:00:00:5b:01").unwrap(),
            Some(Command::PushButton)
        ));
        assert!(matches!(parse("wps_er_stop").unwrap(), Some(Command::Stop)));
        assert!(parse("   ").unwrap().is_none());
    }

    #[test]
    fn config_takes_hex_as_the_control_interface_does() {
        // wpa_cli wps_er_config any 12345670 wpsu-new WPA2PSK CCMP wpsu-new-passphrase
        let line = format!(
            "wps_er_config any 12345670 {} WPA2PSK CCMP {}",
            hex::encode("wpsu-new"),
            hex::encode("wpsu-new-passphrase")
        );
        let Some(Command::Config { settings, .. }) = parse(&line).unwrap() else {
            panic!()
        };
        assert_eq!(settings.ssid(), b"wpsu-new");
        assert_eq!(settings.network_key(), b"wpsu-new-passphrase");
        assert_eq!(settings.auth_type(), AuthType::WPA2_PSK);
        assert_eq!(settings.encr_type(), EncrType::AES);
    }

    #[test]
    fn malformed_commands_say_why() {
        for bad in [
            "wps_er_pin any",
            "wps_er_pin any 1234567",
            "wps_er_pin any 24681353 02:00:00:00:5b",
            "wps_er_pbc",
            "wps_er_pbc nobody",
            "wps_er_learn 12345670",
            "wps_er_learn nobody 12345670",
            "wps_er_config any 12345670 zz WPA2PSK CCMP 00",
            "wps_er_config any 12345670 6162 WPA3 CCMP 00",
            "wps_er_config any 12345670 6162 WPA2PSK CCMP 00",
            "wps_er_stop now",
            "wps_er_start",
        ] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
    }
}
