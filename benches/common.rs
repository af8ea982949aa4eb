// Shared by the benches: the WSC messages of hostapd-run-1.

/// The `wsc` bytes of the message named `name` in hostapd-run-1.
pub fn run1(name: &str) -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/hostapd-run-1/vectors.json"
    );
    let text = std::fs::read_to_string(path).expect("vectors");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let m = v["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .find(|m| m["name"] == name)
        .expect("message");
    hex::decode(m["wsc"].as_str().expect("hex")).expect("hex")
}
