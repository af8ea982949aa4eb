//! The recorded vectors under `tests/vectors`: the hostapd ⇄ wpa_supplicant runs (their
//! `vectors.json` and `eapol.pcap`), iwd's unit-test values and the computed answers.

use crate::pcap::{EthFrame, read_ethernet};
use serde_json::Value;

/// The `tests/vectors` folder of the `wps` crate.
pub const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");

/// The hostapd ⇄ wpa_supplicant runs with a `vectors.json` and an `eapol.pcap` each.
pub const RUNS: &[&str] = &[
    "hostapd-run-1",
    "hostapd-run-2-er-new-settings",
    "hostapd-run-3-frag100",
    "hostapd-run-4-wrong-pin-first-half",
    "hostapd-run-5-wrong-pin-second-half",
    "hostapd-run-8-pbc",
];

/// The file `rel` (a path below [`DIR`]) as text.
pub fn text(rel: &str) -> String {
    let path = format!("{DIR}/{rel}");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The JSON file `rel` (a path below [`DIR`]).
pub fn json(rel: &str) -> Value {
    serde_json::from_str(&text(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The `vectors.json` of a run of [`RUNS`].
pub fn run(run: &str) -> Value {
    json(&format!("{run}/vectors.json"))
}

/// The bytes of a hex string value.
pub fn hex(v: &Value) -> Vec<u8> {
    let s = v.as_str().unwrap_or_else(|| panic!("not a string: {v}"));
    hex::decode(s).unwrap_or_else(|e| panic!("{s}: {e}"))
}

/// A MAC address written `aa:bb:cc:dd:ee:ff` (or without the colons).
pub fn mac(v: &Value) -> [u8; 6] {
    let s = v.as_str().unwrap_or_else(|| panic!("not a string: {v}"));
    let bytes = hex::decode(s.replace(':', "")).unwrap_or_else(|e| panic!("{s}: {e}"));
    bytes
        .try_into()
        .unwrap_or_else(|_| panic!("{s}: not 6 bytes"))
}

/// (name, WSC bytes) of every message of a run that carries WSC bytes, in order.
pub fn messages(run_name: &str) -> Vec<(String, Vec<u8>)> {
    run(run_name)["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| (m["name"].as_str().expect("name").to_owned(), hex(&m["wsc"])))
        .filter(|(_, wsc)| !wsc.is_empty())
        .collect()
}

/// The WSC bytes of the message `name` (`"M1"`, …) of a run.
pub fn message(run_name: &str, name: &str) -> Vec<u8> {
    messages(run_name)
        .into_iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("{run_name} has no {name}"))
        .1
}

/// Every Ethernet frame of a run's `eapol.pcap`.
pub fn eapol_frames(run_name: &str) -> Vec<EthFrame> {
    let path = format!("{DIR}/{run_name}/eapol.pcap");
    read_ethernet(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}")))
}

#[cfg(test)]
mod tests {
    /// [`RUNS`](super::RUNS) names every run folder with a `vectors.json`, in order.
    #[test]
    fn runs_are_the_run_folders() {
        let mut found: Vec<String> = std::fs::read_dir(super::DIR)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.join("vectors.json").exists())
            .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        found.sort();
        assert_eq!(found, super::RUNS);
    }
}
