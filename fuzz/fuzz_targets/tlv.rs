//! TLV reader and writer, and the WFA subelement reader.
//!
//! Properties: the readers never panic; every attribute they yield lies inside the input
//! and the attributes tile it from the start; rewriting what was read reproduces the
//! input up to the first error; a fixed buffer never holds half an attribute.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::tlv::{
    self, Buf, Counter, HEADER_LEN, SUBELEMENT_HEADER_LEN, SliceBuf, SubelementReader, TlvError,
    TlvReader, WriteError,
};

fuzz_target!(|data: &[u8]| {
    // TLV stream.
    let mut rewritten = Vec::with_capacity(data.len());
    let mut reader = TlvReader::new(data);
    let mut next_offset = 0;
    let mut count = 0;
    let mut failed = false;
    for item in reader.by_ref() {
        match item {
            Ok(t) => {
                assert!(!failed, "attribute after an error");
                assert_eq!(t.offset, next_offset);
                assert_eq!(t.end(), t.offset + t.encoded_len());
                assert!(t.end() <= data.len());
                assert_eq!(&data[t.offset + HEADER_LEN..t.end()], t.value);
                tlv::write_tlv(&mut rewritten, t.attr_type, t.value).unwrap();
                next_offset = t.end();
                count += 1;
            }
            Err(TlvError::TruncatedHeader { offset, available }) => {
                assert!(!failed);
                assert_eq!(offset, next_offset);
                assert!(available < HEADER_LEN && offset + available == data.len());
                failed = true;
            }
            Err(TlvError::LengthOverrun {
                offset,
                declared,
                available,
                ..
            }) => {
                assert!(!failed);
                assert_eq!(offset, next_offset);
                assert!(declared > available && offset + HEADER_LEN + available == data.len());
                failed = true;
            }
            Err(_) => unreachable!("unknown TlvError variant"),
        }
    }
    assert_eq!(reader.next(), None, "reader resumed after finishing");
    assert_eq!(rewritten, data[..next_offset]);
    assert_eq!(TlvReader::validate(data).is_ok(), !failed);
    if !failed {
        assert_eq!(TlvReader::validate(data), Ok(count));
        assert_eq!(next_offset, data.len());
    }

    // The same stream into a fixed buffer of a size taken from the input: whatever fits
    // is whole attributes, byte for byte the prefix of what a Vec got.
    let cap = data.first().map_or(0, |b| usize::from(*b));
    let mut storage = vec![0u8; cap];
    let mut fixed = SliceBuf::new(&mut storage);
    for t in TlvReader::new(data).map_while(Result::ok) {
        let before = fixed.written();
        match tlv::write_tlv(&mut fixed, t.attr_type, t.value) {
            Ok(()) => assert_eq!(fixed.written(), before + t.encoded_len()),
            Err(WriteError::BufferFull { .. }) => {
                assert_eq!(fixed.written(), before, "partial attribute written");
                break;
            }
            Err(e) => panic!("unexpected {e:?}"),
        }
    }
    let n = fixed.written();
    assert_eq!(fixed.as_slice(), &rewritten[..n]);
    let mut counter = Counter::default();
    for t in TlvReader::new(data).map_while(Result::ok) {
        tlv::write_tlv(&mut counter, t.attr_type, t.value).unwrap();
    }
    assert_eq!(counter.written(), rewritten.len());

    // WFA subelements (the data after a vendor ID).
    let mut rewritten = Vec::new();
    let mut next_offset = 0;
    let mut overrun = false;
    for item in SubelementReader::new(data) {
        match item {
            Ok(s) => {
                assert!(!overrun);
                assert_eq!(s.offset, next_offset);
                let start = s.offset + SUBELEMENT_HEADER_LEN;
                assert_eq!(&data[start..start + s.value.len()], s.value);
                tlv::write_subelement(&mut rewritten, s.id, s.value).unwrap();
                next_offset = start + s.value.len();
            }
            Err(_) => {
                assert!(!overrun);
                overrun = true;
            }
        }
    }
    assert_eq!(rewritten, data[..next_offset]);
    // Only a single trailing byte or an overrun may be left unread.
    assert!(overrun || data.len() - next_offset <= 1);
});
