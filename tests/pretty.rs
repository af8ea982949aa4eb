//! The attribute-tree printer over every message of the real runs: every attribute gets a
//! line, nothing is reported malformed, and the typed values read as expected.

use wps::attr::pretty::Tree;
use wps::tlv::TlvReader;
use wps_testkit::vectors::{RUNS, messages};

#[test]
fn every_vector_message_prints_cleanly() {
    let mut seen = 0;
    for run in RUNS {
        for (name, wsc) in messages(run) {
            let text = Tree::new(&wsc).to_string();
            assert!(!text.contains("Malformed"), "{run} {name}:\n{text}");
            assert!(!text.contains("malformed"), "{run} {name}:\n{text}");
            // One line per attribute plus one per WFA subelement (no Credentials at top level).
            let top = TlvReader::new(&wsc).count();
            assert!(text.lines().count() > top, "{run} {name}:\n{text}");
            assert!(
                text.starts_with("Version (0x104a), 1 byte: 0x10 (1.0)\n"),
                "{text}"
            );
            assert!(
                text.contains(&format!(": {name} (0x")),
                "{run} {name}:\n{text}"
            );
            seen += 1;
        }
    }
    assert!(seen >= 45);
}

#[test]
fn nack_spells_out_the_config_error() {
    let msgs = messages("hostapd-run-4-wrong-pin-first-half");
    let (_, nack) = msgs.iter().find(|(n, _)| n == "WSC_NACK").unwrap();
    let text = Tree::new(nack).to_string();
    assert!(
        text.contains(
            "Configuration Error (0x1009), 2 bytes: 18 (Device password authentication failure)"
        ),
        "{text}"
    );
}

#[test]
fn m1_fields_are_typed() {
    let msgs = messages("hostapd-run-8-pbc");
    let (_, m1) = msgs.iter().find(|(n, _)| n == "M1").unwrap();
    let text = Tree::new(m1).to_string();
    for line in [
        "Device Password ID (0x1012), 2 bytes: 0x0004 (PushButton)",
        "MAC Address (0x1020), 6 bytes: 02:00:00:00:0b:01",
        "Authentication Type Flags (0x1004), 2 bytes: 0x0023 (Open | WPA-PSK | WPA2-PSK)",
        "    Version2 (0x00), 1 byte: 2.0 (0x20)",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let uuid = text
        .lines()
        .find(|l| l.starts_with("UUID-E"))
        .unwrap()
        .rsplit(' ')
        .next()
        .unwrap();
    assert_eq!(
        uuid.split('-').map(str::len).collect::<Vec<_>>(),
        [8, 4, 4, 4, 12]
    );
}
