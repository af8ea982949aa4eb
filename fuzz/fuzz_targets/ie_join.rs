//! Joining the WPS vendor elements of an 802.11 frame body, and split → join.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::eap::element::{self, Elements};

fuzz_target!(|data: &[u8]| {
    let items: Vec<_> = Elements::new(data).collect();
    // At most one error, and nothing after it.
    let err = items.iter().any(Result::is_err);
    assert!(items.iter().skip_while(|e| e.is_ok()).count() <= 1);
    let payloads = items.iter().filter_map(|e| e.as_ref().ok()?.wps_payload());
    let (total, count) = payloads.fold((0, 0), |(t, c), p| (t + p.len(), c + 1));
    // Damage keeps the intact WPS elements before it.
    let mut joined = Vec::new();
    let r = element::join_vec(data, &mut joined);
    assert_eq!(r.damage.is_some(), err);
    assert_eq!((r.len, r.wps_elements), (total, count));
    assert_eq!(joined.len(), total);
    // Fixed-buffer join agrees, and refuses a buffer one byte short.
    let mut fixed = vec![0u8; total];
    assert_eq!(element::join(data, &mut fixed), Ok(r));
    assert_eq!(fixed, joined);
    if total > 0 {
        assert!(element::join(data, &mut fixed[..total - 1]).is_err());
    }
    // The borrowing form gives the same bytes.
    let (attrs, j) = element::wps_attributes(data, &mut fixed).expect("room for the join");
    assert_eq!((attrs, j), (&joined[..], r));
    // split → join gives the attributes back.
    let mut split = Vec::new();
    element::split_vec(&joined, &mut split);
    assert_eq!(split.len(), element::split_len(joined.len()));
    let mut again = Vec::new();
    assert_eq!(
        element::join_vec(&split, &mut again).damage,
        None,
        "split output joins"
    );
    assert_eq!(again, joined);
    for e in Elements::new(&split) {
        let e = e.expect("split output is well formed");
        assert!(e.data.len() <= 255 && e.wps_payload().is_some());
    }
    // And the joined stream goes to the attribute parser, as a scan result would.
    let _ = wps::attr::Attributes::parse(&joined);
});
