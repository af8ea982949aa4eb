//! parse → to_bytes → parse: a parsed message re-encodes to exactly its input (the
//! design promise "byte-exact for a message that was parsed"), and the re-encoding
//! parses to the same message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::message::Message;

fuzz_target!(|data: &[u8]| {
    let Ok(m) = Message::parse(data) else {
        return;
    };
    let bytes = m.to_bytes();
    let again = Message::parse(&bytes).expect("re-encoded message parses");
    assert_eq!(again.message_type(), m.message_type());
    assert_eq!(again.to_bytes(), bytes, "to_bytes is not stable");
    assert_eq!(
        bytes, data,
        "parsed message did not re-encode byte for byte"
    );
});
