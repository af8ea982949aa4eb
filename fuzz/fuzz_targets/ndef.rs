//! NDEF messages, handover messages and NFC tokens: `wps::nfc::read_ndef` and every
//! parser beneath it, and the NFC key files, on any bytes.
//!
//! Besides "never panics": a message that parses re-encodes record by record to the same
//! bytes, and every token or carrier that parses is written again and reads back equal.
#![no_main]

use std::fmt::Write as _;

use libfuzzer_sys::fuzz_target;
use wps::message::CredentialRef;
use wps::nfc::handover::{
    AlternativeCarrier, Carrier, HANDOVER_VERSION, carrier_attributes, emit_handover_request,
    emit_handover_select,
};
use wps::nfc::ndef::Message;
use wps::nfc::{
    ConfigurationToken, Contents, HandoverMessage, HandoverRequest, HandoverSelect,
    OobDevicePassword, OwnHandoverRequest, OwnPasswordToken, PasswordToken,
    ReadConfigurationToken, emit_wsc_record, read_ndef,
};

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = Message::parse(data) {
        let mut again = Vec::new();
        for r in m.records() {
            r.emit(&mut again).expect("a parsed record re-encodes");
        }
        assert_eq!(again, data, "records do not re-encode to the message");
        assert_eq!(m.records().count(), m.len());
        if let Ok(h) = HandoverMessage::parse(m) {
            for ac in h.alternative_carriers() {
                assert!(m.record_with_id(ac.carrier_data_reference).is_some());
            }
            let _ = h.wsc_carrier();
        }
    }
    if let Ok(n) = read_ndef(data) {
        let mut sink = String::new();
        let _ = write!(sink, "{n}");
        if let Ok(c) = n.contents() {
            roundtrip(c);
        }
    }
    // The key files of `wps nfc token/handover-req --out FILE`.
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(t) = OwnPasswordToken::from_file_text(text) {
            let back = OwnPasswordToken::from_file_text(&t.to_file_text()).expect("own file");
            assert_eq!(back.token(), t.token());
        }
        if let Ok(r) = OwnHandoverRequest::from_file_text(text) {
            let back = OwnHandoverRequest::from_file_text(&r.to_file_text()).expect("own file");
            assert_eq!(back.request(), r.request());
        }
    }
    // The same bytes as the inner layers.
    let _ = carrier_attributes(data);
    let _ = OobDevicePassword::parse(data);
    let _ = AlternativeCarrier::parse(data);
    for c in [
        PasswordToken::parse(data).map(Contents::PasswordToken),
        ReadConfigurationToken::parse(data).map(Contents::ConfigurationToken),
        HandoverRequest::parse(data).map(Contents::HandoverRequest),
        HandoverSelect::parse(data).map(Contents::HandoverSelect),
    ]
    .into_iter()
    .flatten()
    {
        roundtrip(c);
    }
});

/// Writes `c` again (as a record, and carriers also in Hr/Hs) and reads it back.
fn roundtrip(c: Contents<'_>) {
    let mut out = Vec::new();
    match c {
        Contents::PasswordToken(t) => {
            let _ = format!("{t:?}");
            emit_wsc_record(&mut out, &t).expect("token");
            let back = read_ndef(&out).expect("own token").contents().expect("own token");
            assert_eq!(back, Contents::PasswordToken(t));
        }
        Contents::ConfigurationToken(t) => {
            let creds: Vec<CredentialRef<'_>> = t.credentials().collect();
            assert!(!creds.is_empty());
            let built = ConfigurationToken {
                credentials: &creds,
                rf_bands: t.rf_bands,
                ap_channel: t.ap_channel,
                mac_address: t.mac_address,
            };
            // A Credential past 20000 bytes of payload cannot be written as one record.
            if emit_wsc_record(&mut out, &built).is_ok() {
                let back = read_ndef(&out).expect("own token").contents().expect("own token");
                let Contents::ConfigurationToken(b) = back else {
                    panic!("configuration token read back as {back:?}")
                };
                assert_eq!(b.credentials().count(), creds.len());
                assert_eq!((b.rf_bands, b.ap_channel, b.mac_address), (t.rf_bands, t.ap_channel, t.mac_address));
            }
        }
        Contents::HandoverRequest(r) => {
            emit_wsc_record(&mut out, &Carrier(&r)).expect("carrier");
            assert_eq!(read_ndef(&out).unwrap().contents().unwrap(), c);
            out.clear();
            emit_handover_request(&mut out, HANDOVER_VERSION, 0x1234, &r).expect("Hr");
            assert_eq!(read_ndef(&out).unwrap().contents().unwrap(), c);
        }
        Contents::HandoverSelect(s) => {
            emit_wsc_record(&mut out, &Carrier(&s)).expect("carrier");
            assert_eq!(read_ndef(&out).unwrap().contents().unwrap(), c);
            out.clear();
            emit_handover_select(&mut out, HANDOVER_VERSION, &s).expect("Hs");
            assert_eq!(read_ndef(&out).unwrap().contents().unwrap(), c);
        }
    }
}
