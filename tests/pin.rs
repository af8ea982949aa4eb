//! PIN math against the spec's worked examples, iwd's vectors, and properties.

use proptest::prelude::*;
use wps::pin::{DevicePassword, DevicePasswordError, Pin, PinError, is_valid};

fn iwd_vectors() -> serde_json::Value {
    wps_testkit::vectors::json("iwd/pin.json")
}

#[test]
fn iwd_format_and_checksum_cases() {
    let v = iwd_vectors();
    // iwd's format check is digits-only, length 4 or 8, no checksum: compare with the
    // length/character part of our parser (a checksum failure still means "8 digits").
    for (text, ok) in v["valid_format"].as_object().unwrap() {
        let ours = match Pin::parse(text) {
            Ok(_) | Err(PinError::BadChecksum { .. }) => true,
            Err(_) => false,
        };
        assert_eq!(ours, ok.as_bool().unwrap(), "{text:?}");
    }
    for (text, ok) in v["checksum_valid"].as_object().unwrap() {
        let ok = ok.as_bool().unwrap();
        assert_eq!(is_valid(text.parse().unwrap()), ok, "{text}");
        assert_eq!(Pin::parse(text).is_ok(), ok, "{text}");
    }
    let count = v["generate"]["count"].as_u64().unwrap();
    let mut rng = rand::rng();
    for _ in 0..count {
        let pin = Pin::random(&mut rng);
        assert!(is_valid(pin.as_str().parse().unwrap()));
        assert_eq!(Pin::parse(pin.as_str()).unwrap(), pin);
    }
}

// The worked examples of hostapd's wps_pin_checksum are src/pin.rs's unit test.
#[test]
fn a_bad_checksum_says_which_digit_was_expected() {
    assert_eq!(
        Pin::parse("12345678"),
        Err(PinError::BadChecksum {
            expected: 0,
            found: 8
        })
    );
    assert!(Pin::parse("12345671").is_err());
}

#[test]
fn spec_halves_table() {
    // hostapd's PSK1/PSK2 split: the first half is (len + 1) / 2 bytes
    let pin = Pin::parse("12345670").unwrap();
    assert_eq!(pin.halves(), (&b"1234"[..], &b"5670"[..]));
    let short = Pin::parse("1234").unwrap();
    assert!(short.is_short());
    assert_eq!(short.halves(), (&b"12"[..], &b"34"[..]));
    let pbc = DevicePassword::pushbutton();
    assert_eq!(pbc.halves(), (&b"0000"[..], &b"0000"[..]));
    assert!(pbc.is_pushbutton());
    let odd = DevicePassword::from_bytes(b"abcdefg").unwrap();
    assert_eq!(odd.halves(), (&b"abcd"[..], &b"efg"[..]));
    let one = DevicePassword::from_bytes(b"x").unwrap();
    assert_eq!(one.halves(), (&b"x"[..], &b""[..]));
    assert_eq!(DevicePassword::from(&pin).as_bytes(), b"12345670");
}

#[test]
fn parse_separators_and_errors() {
    for ok in [
        "1234-5670",
        "1234 5670",
        " 12-34-56-70 ",
        "12345670",
        "1234",
        "12-34",
    ] {
        assert!(Pin::parse(ok).is_ok(), "{ok:?}");
    }
    assert_eq!(Pin::parse(""), Err(PinError::Empty));
    assert_eq!(Pin::parse(" - "), Err(PinError::Empty));
    assert_eq!(
        Pin::parse("12.34.56.70"),
        Err(PinError::NonDigit {
            position: 2,
            character: '.'
        })
    );
    assert_eq!(
        Pin::parse("1234–5670"), // en dash, 3 bytes in UTF-8
        Err(PinError::NonDigit {
            position: 4,
            character: '–'
        })
    );
    assert_eq!(Pin::parse("123"), Err(PinError::WrongLength { digits: 3 }));
    assert_eq!(
        Pin::parse("12345"),
        Err(PinError::WrongLength { digits: 5 })
    );
    assert_eq!(
        Pin::parse("123456701"),
        Err(PinError::WrongLength { digits: 9 })
    );
    assert_eq!(
        Pin::from_prefix(10_000_000),
        Err(PinError::PrefixOutOfRange { prefix: 10_000_000 })
    );
    assert_eq!(
        DevicePassword::from_bytes(&[b'a'; 65]),
        Err(DevicePasswordError::TooLong { len: 65 })
    );
    assert_eq!(
        DevicePassword::from_bytes(b""),
        Err(DevicePasswordError::Empty)
    );
    assert!(DevicePassword::from_bytes(&[0xff; 64]).is_ok());
}

#[test]
fn display_debug_and_eq() {
    let pin = Pin::parse("12345670").unwrap();
    assert_eq!(pin.to_string(), "1234-5670");
    assert_eq!(Pin::parse("0042").unwrap().to_string(), "0042");
    assert!(!format!("{pin:?}").contains("1234"));
    let pw = DevicePassword::from(&pin);
    assert!(!format!("{pw:?}").contains("1234"));
    assert_ne!(Pin::parse("1234").unwrap(), Pin::parse("12345670").unwrap());
    assert_ne!(
        DevicePassword::from_bytes(b"1234").unwrap(),
        DevicePassword::from_bytes(b"12345670").unwrap()
    );
    let parsed: Pin = "1234-5670".parse().unwrap();
    assert_eq!(parsed, pin);
}

#[test]
fn random_is_spread_over_prefixes() {
    use rand::SeedableRng;
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    let mut first_digit = [0u32; 10];
    for _ in 0..10_000 {
        let pin = Pin::random(&mut rng);
        first_digit[usize::from(pin.as_bytes()[0] - b'0')] += 1;
    }
    // Expect ~1000 each; 5 sigma is ~150.
    for n in first_digit {
        assert!((850..1150).contains(&n), "{first_digit:?}");
    }
}

proptest! {
    #[test]
    fn every_prefix_gives_a_valid_pin(prefix in 0u32..10_000_000) {
        let pin = Pin::from_prefix(prefix).unwrap();
        let value: u32 = pin.as_str().parse().unwrap();
        prop_assert!(is_valid(value));
        prop_assert_eq!(value / 10, prefix);
        prop_assert_eq!(Pin::parse(pin.as_str()).unwrap(), pin.clone());
        prop_assert_eq!(Pin::parse(&pin.to_string()).unwrap(), pin);
    }

    #[test]
    fn changing_one_digit_invalidates(prefix in 0u32..10_000_000, pos in 0usize..8, delta in 1u8..10) {
        let pin = Pin::from_prefix(prefix).unwrap();
        let mut bytes = pin.as_bytes().to_vec();
        bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
        let text = std::str::from_utf8(&bytes).unwrap();
        prop_assert!(!is_valid(text.parse().unwrap()));
        let is_bad_checksum = matches!(Pin::parse(text), Err(PinError::BadChecksum { .. }));
        prop_assert!(is_bad_checksum);
    }

    #[test]
    fn display_roundtrip_short(v in 0u32..10_000) {
        let text = format!("{v:04}");
        let pin = Pin::parse(&text).unwrap();
        prop_assert_eq!(pin.as_str(), text.as_str());
        prop_assert_eq!(Pin::parse(&pin.to_string()).unwrap(), pin);
    }

    // checksum against hostapd's digit loop on any u32: src/pin.rs's unit tests.

    #[test]
    fn password_halves_cover_it(bytes in proptest::collection::vec(any::<u8>(), 1..=64)) {
        let pw = DevicePassword::from_bytes(&bytes).unwrap();
        let (a, b) = pw.halves();
        prop_assert_eq!(a.len(), bytes.len().div_ceil(2));
        prop_assert_eq!([a, b].concat(), bytes);
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,20}") {
        let _ = Pin::parse(&s);
    }
}
