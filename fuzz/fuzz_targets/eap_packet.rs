//! EAPOL and EAP (EAP-WSC) packet parsing, and emit → parse round trips.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wps::eap::{Body, EapPacket, EapolPacket};

fuzz_target!(|data: &[u8]| {
    if let Ok(eapol) = EapolPacket::parse(data) {
        assert_eq!(eapol.buffer_len(), 4 + eapol.body.len());
        let mut out = vec![0u8; eapol.buffer_len()];
        assert_eq!(eapol.emit(&mut out), Ok(out.len()));
        assert_eq!(out, data[..out.len()]);
        assert!(eapol.emit(&mut out[..eapol.buffer_len() - 1]).is_err());
        eap(eapol.body);
    }
    eap(data);
});

fn eap(data: &[u8]) {
    let Ok(p) = EapPacket::parse(data) else {
        return;
    };
    let _ = format!("{p:?}");
    if let Body::Wsc(f) = &p.body {
        assert!(f.msg_len.is_some() == f.flags.length_field());
        let _ = (f.flags.more_fragments(), f.wsc_len(), u8::from(f.op_code));
    }
    assert_eq!(p.wsc_frame().is_some(), matches!(p.body, Body::Wsc(_)));
    let mut out = Vec::new();
    p.emit_vec(&mut out)
        .expect("a parsed packet fits its own length field");
    assert_eq!(out.len(), p.buffer_len());
    let back = EapPacket::parse(&out).expect("emitted packet parses");
    assert_eq!(back, p);
    // Identical bytes, except that Success/Failure drop any body bytes.
    if !matches!(p.body, Body::Empty) {
        assert_eq!(out, data[..out.len()]);
    }
}
