//! `Message::parse` (fast per-type path) against `Message::from_attributes` (general
//! path), which the message layer promises give the same answer; typed views of every
//! message, Encrypted Settings plaintexts and Credentials parsed from the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::attr::Attributes;
use wps::message::{
    CredentialRef, M4Settings, M5Settings, M6Settings, M7Settings, M8Settings, Message,
};

fuzz_target!(|data: &[u8]| {
    let fast = Message::parse(data);
    let general = Attributes::parse(data)
        .map_err(Into::into)
        .and_then(|a| Message::from_attributes(&a));
    match (&fast, &general) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "fast and general parse differ"),
        (Err(a), Err(b)) => assert_eq!(a, b, "fast and general errors differ"),
        _ => panic!("fast {fast:?} vs general {general:?}"),
    }
    if let Ok(m) = &fast {
        let _ = format!("{m:?}");
        let _ = m.message_type();
    }
    let _ = M4Settings::parse(data);
    let _ = M5Settings::parse(data);
    let _ = M6Settings::parse(data);
    let _ = M7Settings::parse(data);
    let _ = M8Settings::parse(data).map(|s| format!("{s:?}"));
    let _ = CredentialRef::parse(data).map(|c| format!("{c:?}"));
});
