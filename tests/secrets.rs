//! Secrets audit: every type that holds key material or a device password wipes it on
//! drop (checked at compile time through `zeroize::ZeroizeOnDrop`) and never prints it
//! through `Debug`.

use wps::crypto::{
    DhKey, DhKeyPair, Kdk, Psk, SecretBytes, SessionKeys, decrypt_settings, encrypt_settings, psks,
};
use wps::pin::{DevicePassword, Pin};
use zeroize::ZeroizeOnDrop;

/// Compiles only for types that zeroize on drop.
fn assert_zod<T: ZeroizeOnDrop>() {}

#[test]
fn secret_types_zeroize_on_drop() {
    assert_zod::<SecretBytes<16>>();
    assert_zod::<SecretBytes<32>>();
    assert_zod::<DhKey>();
    assert_zod::<Kdk>();
    assert_zod::<Psk>();
    assert_zod::<SessionKeys>();
    assert_zod::<Pin>();
    assert_zod::<DevicePassword>();
    assert_zod::<DhKeyPair>();
    // The decrypted Encrypted Settings plaintext (keys, PSKs, secret nonces).
    assert_zod::<zeroize::Zeroizing<Vec<u8>>>();
    let plain = decrypt_settings(
        &[1; 16],
        &[2; 32],
        &encrypt_settings(&[1; 16], &[2; 32], &[0; 16], b"x"),
    );
    fn zod_value<T: ZeroizeOnDrop>(_: &T) {}
    zod_value(&plain.unwrap());
}

/// The ways a byte string could leak through formatting.
fn renderings(bytes: &[u8]) -> Vec<String> {
    let lower: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let upper = lower.to_uppercase();
    let list = format!("{bytes:?}");
    let inner = list.trim_matches(|c| c == '[' || c == ']').to_string();
    let mut out = vec![lower, upper, inner];
    if let Ok(text) = core::str::from_utf8(bytes) {
        out.push(text.to_string());
    }
    out.retain(|s| s.len() >= 4);
    out
}

fn assert_redacted(what: &str, debug: &str, secret: &[u8]) {
    for r in renderings(secret) {
        assert!(!debug.contains(&r), "{what} Debug leaks {r:?}: {debug}");
    }
}

#[test]
fn debug_redacts_secrets() {
    let bytes16: [u8; 16] = core::array::from_fn(|i| 0xa0 + i as u8);
    let bytes32: [u8; 32] = core::array::from_fn(|i| 0x40 + i as u8);

    let s = SecretBytes::from(bytes16);
    assert_redacted("SecretBytes", &format!("{s:?}"), &bytes16);
    let s = Kdk::from(bytes32);
    assert_redacted("Kdk", &format!("{s:?} {s:#?}"), &bytes32);

    let keys = SessionKeys::derive(&bytes32);
    let d = format!("{keys:?} {keys:#?}");
    assert_redacted("SessionKeys.auth_key", &d, keys.auth_key());
    assert_redacted("SessionKeys.key_wrap_key", &d, keys.key_wrap_key());
    assert_redacted("SessionKeys.emsk", &d, keys.emsk());

    let (psk1, psk2) = psks(keys.auth_key(), b"12345670");
    let d = format!("{psk1:?} {psk2:?}");
    assert_redacted("PSK1", &d, &psk1[..]);
    assert_redacted("PSK2", &d, &psk2[..]);

    let private = [0x5au8; 25];
    let pair = DhKeyPair::from_private(&private).unwrap();
    let d = format!("{pair:?} {pair:#?}");
    assert_redacted("DhKeyPair", &d, &private);
    let dh_key = pair.dh_key(&pair.public_key()).unwrap();
    assert_redacted("DhKey", &format!("{dh_key:?}"), &dh_key[..]);

    let pin = Pin::parse("12345670").unwrap();
    let d = format!("{pin:?} {pin:#?}");
    for digits in ["1234", "5670", "12345670", "2345", "3456", "4567"] {
        assert!(!d.contains(digits), "Pin Debug leaks {digits}: {d}");
    }
    let password = DevicePassword::from(&pin);
    let d = format!("{password:?} {password:#?}");
    assert_redacted("DevicePassword", &d, b"12345670");
    assert!(!d.contains("1234") && !d.contains("5670"), "{d}");
}
