//! Value parsers the subcommands share: PINs as typed on a command line or stdin,
//! UUIDs, seconds, fragment sizes. Errors are plain words.

use std::time::Duration;

use wps::attr::Uuid;
use wps::eap::{MAX_FRAGMENT_SIZE, MIN_FRAGMENT_SIZE};
use wps::pin::DevicePassword;

/// A device password as typed: 4 or 8 digits. The checksum is not checked (hostapd's
/// `wps_pin` does not check it either), so a wrong PIN can be tried on purpose.
pub fn device_password(text: &str) -> Result<DevicePassword, String> {
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if !digits || !(text.len() == 4 || text.len() == 8) {
        return Err(format!("PIN {text:?}: want 4 or 8 digits"));
    }
    DevicePassword::from_bytes(text.as_bytes()).map_err(|e| format!("PIN {text:?}: {e}"))
}

/// A UUID in the dashed 8-4-4-4-12 form (or 32 hex digits without dashes).
pub fn uuid(text: &str) -> Result<Uuid, String> {
    let dashed = text.len() == 36
        && text
            .char_indices()
            .all(|(i, c)| (c == '-') == matches!(i, 8 | 13 | 18 | 23));
    let bare: String = text.chars().filter(|&c| c != '-').collect();
    if !(dashed || text.len() == 32) {
        return Err(format!(
            "UUID {text:?}: want 8-4-4-4-12 hex digits, e.g. 12345678-9abc-def0-1234-56789abcdef0"
        ));
    }
    let bytes = hex::decode(&bare).map_err(|_| format!("UUID {text:?}: not hex"))?;
    Uuid::from_slice(&bytes).ok_or_else(|| format!("UUID {text:?}: want 16 bytes"))
}

/// Whole seconds.
pub fn seconds(text: &str) -> Result<Duration, String> {
    text.parse()
        .map(Duration::from_secs)
        .map_err(|_| format!("{text:?}: not a number of seconds"))
}

/// The largest EAP-WSC fragment to send.
pub fn fragment_size(text: &str) -> Result<usize, String> {
    let n: usize = text
        .parse()
        .map_err(|_| format!("{text:?}: not a number"))?;
    if (MIN_FRAGMENT_SIZE..=MAX_FRAGMENT_SIZE).contains(&n) {
        Ok(n)
    } else {
        Err(format!(
            "{n}: a fragment is {MIN_FRAGMENT_SIZE} to {MAX_FRAGMENT_SIZE} bytes"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pins_need_4_or_8_digits_but_no_checksum() {
        assert_eq!(device_password("12345670").unwrap().as_bytes(), b"12345670");
        assert_eq!(device_password("12345671").unwrap().as_bytes(), b"12345671");
        assert_eq!(device_password("1234").unwrap().as_bytes(), b"1234");
        for bad in ["", "123", "123456789", "1234-5670", "abcd"] {
            assert!(device_password(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn uuids_dashed_or_bare() {
        let want = "12345678-9abc-def0-1234-56789abcdef0";
        assert_eq!(uuid(want).unwrap().to_string(), want);
        assert_eq!(uuid(&want.replace('-', "")).unwrap().to_string(), want);
        assert_eq!(uuid(&want.to_uppercase()).unwrap().to_string(), want);
        for bad in [
            "",
            "any",
            "12345678-9abc-def0-1234-56789abcdef",
            "123456789-abc-def0-1234-56789abcdef0",
            "12345678-9abc-def0-1234-56789abcdefg",
        ] {
            assert!(uuid(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn fragment_sizes_in_range() {
        assert_eq!(fragment_size("100"), Ok(100));
        assert!(fragment_size("4").is_err());
        assert!(fragment_size("70000").is_err());
        assert!(fragment_size("x").is_err());
        assert_eq!(seconds("3"), Ok(Duration::from_secs(3)));
        assert!(seconds("-1").is_err());
    }
}
