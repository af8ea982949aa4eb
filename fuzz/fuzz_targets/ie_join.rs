//! Joining the WPS vendor elements of an 802.11 frame body, and split → join.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::eap::ie::{self, Elements};

fuzz_target!(|data: &[u8]| {
    let mut total = 0;
    let mut err = false;
    for e in Elements::new(data) {
        match e {
            Ok(e) => {
                assert!(!err);
                total += e.wps_payload().map_or(0, <[u8]>::len);
            }
            Err(_) => {
                assert!(!err);
                err = true;
            }
        }
    }
    let mut joined = Vec::new();
    let r = ie::join_vec(data, &mut joined);
    assert_eq!(r.is_err(), err);
    if err {
        assert!(joined.is_empty(), "join_vec left bytes after an error");
        return;
    }
    assert_eq!(joined.len(), total);
    // Fixed-buffer join agrees, and refuses a buffer one byte short.
    let mut fixed = vec![0u8; total];
    assert_eq!(ie::join(data, &mut fixed), Ok(total));
    assert_eq!(fixed, joined);
    if total > 0 {
        assert!(ie::join(data, &mut fixed[..total - 1]).is_err());
    }
    // split → join gives the attributes back.
    let mut split = Vec::new();
    ie::split_vec(&joined, &mut split);
    assert_eq!(split.len(), ie::split_len(joined.len()));
    let mut again = Vec::new();
    ie::join_vec(&split, &mut again).expect("split output joins");
    assert_eq!(again, joined);
    for e in Elements::new(&split) {
        let e = e.expect("split output is well formed");
        assert!(e.data.len() <= 255 && e.wps_payload().is_some());
    }
    // And the joined stream goes to the attribute parser, as a scan result would.
    let _ = wps::attr::Attributes::parse(&joined);
});
