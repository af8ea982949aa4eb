//! `wps ap`'s events as hostapd prints them on its control interface.

use wps::ap::{ApEvent, PeerKind};
use wps::outcome::Outcome;

use crate::report;

/// What one event prints: lines for stdout (hostapd's event lines) and a line of plain
/// words for the log on stderr.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Printed {
    pub stdout: Vec<String>,
    pub log: Option<String>,
}

/// hostapd's lines for `event`.
pub fn lines(event: &ApEvent) -> Printed {
    let mut p = Printed::default();
    let mut say = |line: String| p.stdout.push(line);
    match event {
        ApEvent::PbcActive => say("WPS-PBC-ACTIVE".into()),
        ApEvent::PbcDisabled => say("WPS-PBC-DISABLE".into()),
        ApEvent::PbcTimeout => say("WPS-TIMEOUT".into()),
        ApEvent::OverlapDetected => say("WPS-OVERLAP-DETECTED".into()),
        ApEvent::ApSetupLocked => say("WPS-AP-SETUP-LOCKED".into()),
        ApEvent::ApSetupUnlocked => say("WPS-AP-SETUP-UNLOCKED".into()),
        ApEvent::EnrolleeSeen {
            mac,
            uuid,
            device_password_id,
            device,
        } => say(format!(
            "WPS-ENROLLEE-SEEN {mac} {uuid} {} 0x{:x} {} {} [{}]",
            device.identity.primary_device_type,
            u16::from(device.config_methods),
            u16::from(*device_password_id),
            device.request_type.map_or(0, u8::from),
            text(&device.identity.device_name),
        )),
        ApEvent::PinNeeded {
            uuid,
            mac,
            device_password_id: _,
            device,
        } => say(format!(
            "WPS-PIN-NEEDED {uuid} {mac} [{}|{}|{}|{}|{}|{}]",
            text(&device.identity.device_name),
            text(&device.identity.manufacturer),
            text(&device.identity.model_name),
            text(&device.identity.model_number),
            text(&device.identity.serial_number),
            device.identity.primary_device_type,
        )),
        ApEvent::NewApSettings(c) => {
            say("WPS-NEW-AP-SETTINGS".into());
            p.log = Some(format!("new AP settings: {}", report::credential_json(c)));
        }
        ApEvent::Finished {
            peer,
            uuid,
            kind,
            outcome,
            failure,
        } => {
            let who = match kind {
                PeerKind::Enrollee => "enrollee",
                PeerKind::ExternalRegistrar => "external registrar",
            };
            match outcome {
                Outcome::Succeeded(_) => {
                    // the registrar's own event names the enrollee; both roles end in
                    // WPS-SUCCESS
                    if *kind == PeerKind::Enrollee {
                        let uuid = uuid.map_or_else(|| "-".to_string(), |u| u.to_string());
                        say(format!("WPS-REG-SUCCESS {peer} {uuid}"));
                    }
                    say("WPS-SUCCESS".into());
                }
                _ => {
                    // hostapd reports every run that ends before WSC_Done, a read-only
                    // external registrar's WSC_NACK included
                    if let Some(f) = failure {
                        say(report::fail_line(f));
                    }
                }
            }
            let mut log = format!("{who} {peer}: {outcome}");
            if let Some(f) = failure {
                log.push_str(&format!(" [{}]", report::fail_words(f)));
            }
            p.log = Some(log);
        }
        // hostapd prints no line for a relayed registration
        ApEvent::Relayed {
            peer,
            uuid,
            success,
        } => {
            p.log = Some(if *success {
                format!("enrollee {peer} {uuid}: registered by the external registrar (UPnP relay)")
            } else {
                format!("enrollee {peer} {uuid}: the UPnP relay ended without WSC_Done")
            });
        }
        other => p.log = Some(format!("event: {other:?}")),
    }
    p
}

/// A device string as hostapd prints it (bytes as text; invalid UTF-8 replaced).
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wps::attr::{ConfigError, DevicePasswordId, MacAddr, MessageType, Uuid};
    use wps::outcome::RunError;
    use wps::registration::{Credential, Failure, FailureReason, NetworkSettings};

    const STA: MacAddr = MacAddr([2, 0, 0, 0, 0x1b, 1]);

    fn uuid() -> Uuid {
        Uuid::from_mac(STA)
    }

    fn out(e: ApEvent) -> Vec<String> {
        lines(&e).stdout
    }

    #[test]
    fn plain_events() {
        assert_eq!(out(ApEvent::PbcActive), ["WPS-PBC-ACTIVE"]);
        assert_eq!(out(ApEvent::PbcDisabled), ["WPS-PBC-DISABLE"]);
        assert_eq!(out(ApEvent::PbcTimeout), ["WPS-TIMEOUT"]);
        assert_eq!(out(ApEvent::OverlapDetected), ["WPS-OVERLAP-DETECTED"]);
        assert_eq!(out(ApEvent::ApSetupLocked), ["WPS-AP-SETUP-LOCKED"]);
        assert_eq!(out(ApEvent::ApSetupUnlocked), ["WPS-AP-SETUP-UNLOCKED"]);
    }

    #[test]
    fn enrollee_events_name_it_as_hostapd() {
        let u = uuid();
        let device = wps::ap::EnrolleeDevice {
            identity: wps::message::DeviceIdentity {
                manufacturer: b"ACME".to_vec(),
                model_name: b"P1".to_vec(),
                model_number: b"100".to_vec(),
                serial_number: b"42".to_vec(),
                primary_device_type: wps::attr::PrimaryDeviceType::wfa(3, 1),
                device_name: b"Printer".to_vec(),
            },
            config_methods: wps::attr::ConfigMethods::from(0x2388u16),
            request_type: Some(wps::attr::RequestType::from(1u8)),
        };
        assert_eq!(
            out(ApEvent::PinNeeded {
                uuid: u,
                mac: STA,
                device_password_id: DevicePasswordId::Default,
                device: device.clone(),
            }),
            [format!(
                "WPS-PIN-NEEDED {u} 02:00:00:00:1b:01 [Printer|ACME|P1|100|42|3-0050F204-1]"
            )]
        );
        assert_eq!(
            out(ApEvent::EnrolleeSeen {
                mac: STA,
                uuid: u,
                device_password_id: DevicePasswordId::PushButton,
                device,
            }),
            [format!(
                "WPS-ENROLLEE-SEEN 02:00:00:00:1b:01 {u} 3-0050F204-1 0x2388 4 1 [Printer]"
            )]
        );
    }

    #[test]
    fn new_settings_logged_as_json() {
        let c = Credential::new(
            NetworkSettings::wpa2_personal(b"new", b"new-passphrase").unwrap(),
            MacAddr([2, 0, 0, 0, 0x1a, 1]),
        );
        let p = lines(&ApEvent::NewApSettings(c));
        assert_eq!(p.stdout, ["WPS-NEW-AP-SETTINGS"]);
        let log = p.log.unwrap();
        assert!(
            log.starts_with("new AP settings: {\"ssid\":\"new\""),
            "{log}"
        );
    }

    #[test]
    fn finished_runs() {
        let u = uuid();
        let finished = |uuid, kind, outcome, failure| ApEvent::Finished {
            peer: STA,
            uuid,
            kind,
            outcome,
            failure,
        };
        let enrollee = PeerKind::Enrollee;
        let succeeded = || Outcome::Succeeded(Vec::new());
        let success = finished(Some(u), enrollee, succeeded(), None);
        assert_eq!(
            out(success),
            [
                format!("WPS-REG-SUCCESS 02:00:00:00:1b:01 {u}"),
                "WPS-SUCCESS".into()
            ]
        );
        let er = PeerKind::ExternalRegistrar;
        let configured = finished(Some(u), er, succeeded(), None);
        assert_eq!(out(configured), ["WPS-SUCCESS"]);
        let f = Failure {
            message: Some(MessageType::M4),
            config_error: ConfigError::DevicePasswordAuthFailure,
            reason: FailureReason::Refused(wps::registration::Refusal::NackReceived),
        };
        let incorrect = Outcome::Failed(RunError::IncorrectPin { half: 1 });
        let wrong_pin = finished(Some(u), enrollee, incorrect, Some(f));
        let p = lines(&wrong_pin);
        assert_eq!(p.stdout, ["WPS-FAIL msg=8 config_error=18"]);
        assert!(p.log.unwrap().contains("the PIN was incorrect"));
        let after = std::time::Duration::from_secs(120);
        let timed_out = Outcome::Failed(RunError::TimedOut { after });
        let gave_up = finished(None, enrollee, timed_out, None);
        let p = lines(&gave_up);
        assert!(p.stdout.is_empty());
        assert!(p.log.unwrap().contains("timed out"));
    }
}
