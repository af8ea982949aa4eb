//! The `wps` binary as a user runs it: exit statuses, `wps pin`, `wps decode`, and the
//! line protocol of `wps ap` (on the loopback interface, when we may open raw sockets).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn wps(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wps"))
        .args(args)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

#[test]
fn pin_fresh_and_checked() {
    let o = wps(&["pin"]);
    assert!(o.status.success());
    let fresh = stdout(&o);
    let fresh = fresh.trim();
    assert_eq!(fresh.len(), 8, "{fresh}");
    assert!(wps::pin::Pin::parse(fresh).is_ok(), "{fresh}");
    let o = wps(&["pin", fresh]);
    assert_eq!(o.status.code(), Some(0));

    let o = wps(&["pin", "1234-5670"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "12345670 is a valid PIN\n");
    let o = wps(&["pin", "12345671"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("checksum"));
}

#[test]
fn decode_hex_and_pcap() {
    let o = wps(&["decode", "104a000110102200010d"]);
    assert!(o.status.success());
    assert_eq!(
        stdout(&o),
        "Version (0x104a), 1 byte: 0x10 (1.0)\nMessage Type (0x1022), 1 byte: WSC_ACK (0x0d)\n"
    );
    let o = wps(&[
        "decode",
        "--pcap",
        "tests/vectors/hostapd-run-3-frag100/eapol.pcap",
    ]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("WSC message M1"), "{}", stdout(&o));
    assert!(stdout(&o).contains("reassembled from"));
    let o = wps(&[
        "decode",
        "--json",
        "--pcap",
        "tests/vectors/hostapd-run-1/eapol.pcap",
    ]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let types: Vec<&str> = v["frames"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["message"]["type"].as_str())
        .collect();
    assert_eq!(types.first(), Some(&"M1"));
    assert!(types.contains(&"M8"), "{types:?}");

    assert_eq!(wps(&["decode", "zz"]).status.code(), Some(1));
    assert_eq!(
        wps(&["decode", "--pcap", "no/such/file.pcap"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn decode_ndef_tokens() {
    // The printer's password token and hostapd's configuration token from the NFC lab.
    let pw = "D217446170706C69636174696F6E2F766E642E7766612E777363102C00360A90F7E6E2C682BF149164071B1DA5C60F82746A4962A21747B59B03BF7A419967836A6460103B876D162D81CEEBB6E3882A9AD430E41049000600372A000120";
    let o = wps(&["decode", "--ndef", pw]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(
        text.starts_with("NDEF record: header 0xd2 (MB=1 ME=1 SR=1 TNF=2"),
        "{text}"
    );
    assert!(text.contains("'application/vnd.wfa.wsc'"), "{text}");
    assert!(
        text.contains("contents: password token, Device Password ID 0x4962"),
        "{text}"
    );
    assert!(
        text.contains("    OOB Device Password (0x102c), 54 bytes"),
        "{text}"
    );
    let cfg = "D2175C6170706C69636174696F6E2F766E642E7766612E777363100E003F102600010110450009777073752D74657374100300020020100F0002000810270013777073752D706173737068726173652D31323310200006000000000000103C00010110200006020000005A011049000600372A000120";
    let o = wps(&["decode", "--json", "--ndef", cfg]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["contents"], "configuration token");
    assert_eq!(v["records"][0]["type"], "application/vnd.wfa.wsc");
    assert_eq!(v["attributes"][0]["name"], "Credential");
    // Not NDEF: exit 1 with a plain-words reason.
    let o = wps(&["decode", "--ndef", "104a000110"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).starts_with("wps decode: NDEF: "));
}

#[test]
fn nfc_token_file_and_configuration_token() {
    use std::os::unix::fs::PermissionsExt;
    let dir = std::env::temp_dir().join(format!("wps-cli-nfc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("printer.token");
    let o = wps(&["nfc", "token", "--out", file.to_str().unwrap()]);
    assert!(o.status.success());
    let hex = stdout(&o);
    let hex = hex.trim();
    assert!(hex.starts_with("D217446170706C69636174696F6E2F766E642E7766612E777363102C0036"));
    let mode = std::fs::metadata(&file).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let o = wps(&["decode", "--ndef", hex]);
    assert!(stdout(&o).contains("contents: password token"));
    std::fs::remove_dir_all(&dir).unwrap();

    let cfg = "D2175C6170706C69636174696F6E2F766E642E7766612E777363100E003F102600010110450009777073752D74657374100300020020100F0002000810270013777073752D706173737068726173652D31323310200006000000000000103C00010110200006020000005A011049000600372A000120";
    let o = wps(&["station", "--nfc-config", cfg]);
    assert!(o.status.success());
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ssid"], "wpsu-test");
    assert_eq!(v["network_key"], "wpsu-passphrase-123");
    assert_eq!(
        wps(&["station", "--nfc-config", "00"]).status.code(),
        Some(1)
    );
    // A token file is used on an interface.
    assert_eq!(
        wps(&["station", "--nfc-token", "x.token"]).status.code(),
        Some(2)
    );
}

#[test]
fn usage_errors_exit_2_and_missing_interfaces_5() {
    // One command line each, split at spaces (no argument here has one).
    for line in [
        "decode",
        "decode --ie --pcap x.pcap",
        "station --iface lo",
        "station --iface lo --pin 123",
        "station --iface lo --pin 12345670 --pbc",
        "station --iface lo --pbc --new-ssid x",
        "station --iface lo --pbc --fragment-size 2",
        "ap --iface lo --ssid s",
        "ap --iface lo --ssid s --passphrase short",
        "ap --iface lo --ssid s --passphrase long-enough --uuid x",
        "ap --iface lo --ssid s --passphrase long-enough --max-sessions 0",
        "nonsense",
    ] {
        let args: Vec<&str> = line.split(' ').collect();
        assert_eq!(wps(&args).status.code(), Some(2), "{line}");
    }
    let gone = "wps-no-such-if";
    assert_eq!(
        wps(&["station", "--iface", gone, "--pin", "12345670"])
            .status
            .code(),
        Some(5)
    );
    assert_eq!(
        wps(&[
            "ap",
            "--iface",
            gone,
            "--ssid",
            "s",
            "--passphrase",
            "long enough"
        ])
        .status
        .code(),
        Some(5)
    );
}

/// Whether this process may open raw sockets (root); the loopback test needs it.
fn may_open_raw_sockets() -> bool {
    std::fs::read_to_string("/proc/self/status").is_ok_and(|s| {
        s.lines()
            .any(|l| l.starts_with("Uid:") && l.split_whitespace().nth(1) == Some("0"))
    })
}

#[test]
fn ap_answers_every_command_with_one_line() {
    if !may_open_raw_sockets() {
        eprintln!("skipped: opening a raw socket on lo needs root");
        return;
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_wps"))
        .args([
            "ap",
            "--iface",
            "lo",
            "--ssid",
            "wps-test",
            "--passphrase",
            "long enough",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let commands = [
        "wps_check_pin 1234-5670",
        "wps_check_pin 12345671",
        "bogus",
        "",
        "wps_pin any 123",
        "wps_ap_pin set 87654325 0",
        "wps_ap_pin random",
        "wps_get_status",
    ];
    let mut stdin = child.stdin.take().unwrap();
    for c in commands {
        writeln!(stdin, "{c}").unwrap();
    }
    drop(stdin); // EOF ends the program
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let replies: Vec<&str> = out
        .lines()
        .filter(|l| !(l.starts_with("AP-") || l.starts_with("WPS-")))
        .collect();
    assert!(out.starts_with("AP-ENABLED\n"), "{out}");
    assert_eq!(replies.len(), 7, "{out}");
    assert_eq!(replies[0], "12345670");
    assert!(replies[1].starts_with("FAIL "), "{out}");
    assert_eq!(replies[2], "FAIL unknown command \"bogus\"");
    assert!(replies[3].starts_with("FAIL "), "{out}");
    assert_eq!(replies[4], "87654325");
    assert!(replies[5].starts_with("FAIL usage: wps_ap_pin"), "{out}");
    assert!(replies[6].starts_with("pbc_status="), "{out}");
}

#[test]
fn audit_of_a_clean_and_a_pixie_dust_device() {
    let o = wps(&["audit", "tests/audit/clean.txt"]);
    assert_eq!(o.status.code(), Some(0), "{o:?}");
    assert_eq!(stdout(&o), "2 runs audited: nothing found\n");
    let o = wps(&["audit", "tests/audit/pixie-dust.txt"]);
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let out = stdout(&o);
    assert!(out.contains("run 1: E-S1 equals E-S2 (Pixie Dust"), "{out}");
    assert!(
        out.contains("run 3: E-S1 repeats the one of run 1"),
        "{out}"
    );
    assert!(out.ends_with("2 runs audited: 5 findings\n"), "{out}");
    let o = wps(&["audit", "tests/audit/no-such-file.txt"]);
    assert_eq!(o.status.code(), Some(2), "{o:?}");
}
