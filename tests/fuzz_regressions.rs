//! Inputs the fuzz targets (fuzz/) found, kept as tests so the bugs stay fixed.

use wps::attr::WfaExtension;
use wps::tlv::{Buf, SliceBuf, WriteError, write_subelement, write_tlv};

/// fuzz target `tlv`: with room for the header but not the value, `write_tlv` left the
/// header in a fixed buffer although it documents "nothing is written".
#[test]
fn write_tlv_is_all_or_nothing_on_a_fixed_buffer() {
    for cap in 0..8 {
        let mut storage = vec![0u8; cap];
        let mut out = SliceBuf::new(&mut storage);
        let r = write_tlv(&mut out, 0x1045, b"abc");
        if cap >= 7 {
            assert_eq!(r, Ok(()));
            assert_eq!(out.as_slice(), [0x10, 0x45, 0x00, 0x03, b'a', b'b', b'c']);
        } else {
            assert_eq!(
                r,
                Err(WriteError::BufferFull {
                    needed: 7,
                    available: cap
                })
            );
            assert_eq!(out.written(), 0, "capacity {cap}");
        }
    }
}

#[test]
fn write_subelement_is_all_or_nothing_on_a_fixed_buffer() {
    let mut storage = [0u8; 3];
    let mut out = SliceBuf::new(&mut storage);
    assert!(write_subelement(&mut out, 0x01, &[0xff; 6]).is_err());
    assert_eq!(out.written(), 0);
}

/// Same defect in `WfaExtension::emit`: header and vendor ID were written before the
/// subelements ran out of room.
#[test]
fn wfa_emit_is_all_or_nothing_on_a_fixed_buffer() {
    let ext = WfaExtension {
        authorized_macs: Some(&[0xff; 6]),
        ..WfaExtension::version2_only()
    };
    let mut full = Vec::new();
    ext.emit(&mut full).unwrap();
    for cap in 0..full.len() {
        let mut storage = vec![0u8; cap];
        let mut out = SliceBuf::new(&mut storage);
        assert!(ext.emit(&mut out).is_err());
        assert_eq!(out.written(), 0, "capacity {cap}");
    }
    let mut storage = vec![0u8; full.len()];
    let mut out = SliceBuf::new(&mut storage);
    ext.emit(&mut out).unwrap();
    assert_eq!(out.as_slice(), &full[..]);
}

/// fuzz target `eap_driver`: the EAP drivers computed deadlines as `now + timeout` on a
/// caller-supplied `Duration`, which panics near `Duration::MAX`.
#[test]
fn eap_drivers_saturate_deadlines_at_the_end_of_time() {
    use wps::eap::{Action, OpCode, Outcome, PeerRole, ServerRole, WscHandler, WscPeer, WscServer};
    use wps::time::Instant;

    struct Quiet;
    impl WscHandler for Quiet {
        fn handle(&mut self, _: OpCode, _: &[u8], _: Instant) -> Outcome {
            Outcome::Send {
                op_code: OpCode::Msg,
                message: vec![0x10, 0x4a, 0, 1, 0x10],
            }
        }
    }
    let end = Instant::MAX;
    let mut server = WscServer::new(ServerRole::Registrar, 1400, 1).unwrap();
    assert!(matches!(server.start(end), Action::Send(_)));
    assert_eq!(server.next_deadline(), Some(Instant::MAX));

    let mut peer = WscPeer::new(PeerRole::Enrollee, 1400).unwrap();
    let id_req = [1, 7, 0, 5, 1];
    assert!(matches!(
        peer.receive(&id_req, end, &mut Quiet),
        Ok(Action::Send(_))
    ));
    let start = [1, 8, 0, 14, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 1, 0];
    assert!(matches!(
        peer.receive(&start, end, &mut Quiet),
        Ok(Action::Send(_))
    ));
    assert_eq!(peer.next_deadline(), Some(Instant::MAX));
}

/// Audit of the zero-padding workaround: every empty type-0 header used to rescan the
/// rest of the input, so a message of zero headers ending in one non-zero byte took
/// quadratic time (60 KB: ~360 ms). Behaviour must not change with the fix.
#[test]
fn zero_headers_before_data_are_attributes_and_trailing_zeros_are_padding() {
    use wps::attr::{AttrType, Attributes};
    let mut m = vec![0u8; 60_000];
    m.extend_from_slice(&[0x10, 0x22, 0x00, 0x01, 0x04]);
    let a = Attributes::parse(&m).unwrap();
    assert_eq!(a.count(), 15_001);
    assert_eq!(a.u8(AttrType::MessageType), Some(0x04));

    // Padding after the last attribute: reading stops at the first empty type-0 header.
    let mut m = vec![0x10, 0x22, 0x00, 0x01, 0x04];
    m.extend_from_slice(&[0u8; 7]);
    let a = Attributes::parse(&m).unwrap();
    assert_eq!(a.count(), 1);
    // A zero header whose "padding" ends in a non-zero byte is read on.
    let m = [
        0x10, 0x22, 0x00, 0x01, 0x04, 0, 0, 0, 0, 0x10, 0x4a, 0x00, 0x01, 0x10,
    ];
    let a = Attributes::parse(&m).unwrap();
    assert_eq!(a.count(), 3);
    assert_eq!(a.u8(AttrType::Version), Some(0x10));
}

/// fuzz target `ndef`: a configuration token whose Credential comes after a Network Key
/// and octets hostapd's walk skips one by one (its stray-octet workaround) parsed, but
/// `credentials()` walked the attributes again with a plain TLV reader, stopped at the
/// first overflowing attribute and listed no Credential.
#[cfg(feature = "nfc")]
#[test]
fn a_configuration_token_lists_the_credentials_its_parse_found() {
    let data = hex::decode(concat!(
        "1027000002007472d2175c6170706c690a636174696f6e2f766e642e7766612e",
        "777363100e003f102600010110450009777073752d7465737410030002002010",
        "0f0002000810270010377073752d706173737068726173652d31323310200006",
        "000000000000103c00010110200006020000005a01104900060037d6000120",
    ))
    .unwrap();
    let token = wps::nfc::ReadConfigurationToken::parse(&data).expect("hostapd's walk reads it");
    let credentials: Vec<_> = token.credentials().collect();
    assert_eq!(credentials.len(), 1);
    assert_eq!(credentials[0].ssid, b"wpsu-test");
}
