//! NFC connection handover: the WSC carrier records the daemons exchange (a handover
//! request from the station, a handover select from the AP), and the NFC Forum
//! Connection Handover messages (`Hr` / `Hs` with alternative carrier records) around
//! them.
//!
//! **The carrier record** is one WSC NDEF record whose payload is a 2-byte big-endian
//! length followed by that many bytes of WSC attributes (what `nfc_get_handover_req NDEF
//! WPS-CR` and `nfc_get_handover_sel NDEF WPS-CR` print):
//!
//! * request: OOB Device Password (hash of the station's DH key, ID 7, no password),
//!   UUID-E, WFA extension;
//! * select: OOB Device Password (hash of the AP's DH key, ID 7), SSID, RF Bands and AP
//!   Channel when the AP knows its frequency, MAC Address (the BSSID), WFA extension.
//!
//! **The handover message** is what an NFC stack sends over the peer-to-peer link: an
//! `Hr` (or `Hs`) record with a version byte and a nested message of local records (a
//! collision-resolution `cr` record in a request, and one `ac` alternative-carrier record
//! naming the carrier record by its ID), then the carrier record itself with that ID.
//! [`emit_handover_request`] and [`emit_handover_select`] write them as the NFC Forum
//! Python library `ndeflib` does (the tool hostapd's `wps-nfc.py` uses): carrier reference
//! `"0"`, carrier power state *active*. The daemons' control interfaces take the carrier
//! record alone; hostapd's `ndef_parse_wifi` also finds it inside a whole handover message.

use super::ndef::{MAX_PAYLOAD_LEN, Message, Record, Tnf, WSC_MIME_TYPE};
use super::password::PublicKeyHash;
use super::token::{OobDevicePassword, emit_ap_and_version2, emit_version2};
use super::{NfcError, WscPayload};
use crate::attr::{AttrType, Attributes, MacAddr, RfBands, Uuid};
use crate::tlv::{self, Buf, WriteError};

/// Version byte hostapd's scripts write in `Hr`/`Hs` (Connection Handover 1.2).
pub const HANDOVER_VERSION: u8 = 0x12;
/// The carrier data reference [`emit_handover_request`] / [`emit_handover_select`] use.
pub const CARRIER_REFERENCE: &[u8] = b"0";

const DEVICE_PASSWORD_ID_HANDOVER: u16 = 7;

/// The attributes inside a carrier record's payload: the 2-byte length, then that many
/// bytes (bytes after them are ignored, as hostapd does).
///
/// # Errors
/// [`NfcError::CarrierLength`] when the length runs past the payload.
pub fn carrier_attributes(payload: &[u8]) -> Result<&[u8], NfcError> {
    let (len, rest) = payload
        .split_first_chunk::<2>()
        .ok_or(NfcError::CarrierLength {
            declared: 0,
            available: payload.len(),
        })?;
    let declared = usize::from(u16::from_be_bytes(*len));
    rest.get(..declared).ok_or(NfcError::CarrierLength {
        declared,
        available: rest.len(),
    })
}

/// Writes a carrier record payload: the attributes' length, then the attributes.
///
/// # Errors
/// [`WriteError`] from the buffer, or [`WriteError::ValueTooLong`] over 65535 bytes.
pub fn emit_carrier_payload<B: Buf + ?Sized, P: WscPayload + ?Sized>(
    out: &mut B,
    attributes: &P,
) -> Result<(), WriteError> {
    let len = super::payload_len(attributes, usize::from(u16::MAX))?;
    tlv::ensure_room(out, len.saturating_add(2))?;
    // At most 65535: the last two bytes are the whole length.
    let [.., high, low] = len.to_be_bytes();
    out.put(&[high, low])?;
    attributes.emit_payload(out)
}

/// Wraps attributes as a carrier record payload (see [`emit_carrier_payload`]).
#[derive(Debug, Clone, Copy)]
pub struct Carrier<'p, P: ?Sized>(pub &'p P);

impl<P: WscPayload + ?Sized> WscPayload for Carrier<'_, P> {
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        emit_carrier_payload(out, self.0)
    }
}

fn handover_hash(attrs: &Attributes<'_>) -> Result<PublicKeyHash, NfcError> {
    let value = attrs
        .get(AttrType::OobDevicePassword)
        .ok_or(NfcError::Missing(AttrType::OobDevicePassword))?;
    let oob = OobDevicePassword::parse(value)?;
    if oob.password_id != DEVICE_PASSWORD_ID_HANDOVER || !oob.password.is_empty() {
        return Err(NfcError::NotHandover {
            id: oob.password_id,
        });
    }
    Ok(oob.public_key_hash)
}

fn emit_handover_oob<B: Buf + ?Sized>(out: &mut B, hash: PublicKeyHash) -> Result<(), WriteError> {
    OobDevicePassword {
        public_key_hash: hash,
        password_id: DEVICE_PASSWORD_ID_HANDOVER,
        password: &[],
    }
    .emit_attribute(out)
}

/// The station's handover request (its carrier record's attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverRequest {
    /// SHA-256 of the station's (enrollee's) DH public key, first 20 bytes: the registrar
    /// checks the Public Key of M1 against it.
    pub public_key_hash: PublicKeyHash,
    /// UUID-E (wpa_supplicant always sends it; hostapd does not need it).
    pub uuid_e: Option<Uuid>,
}

impl HandoverRequest {
    /// Reads the attributes of a request carrier record.
    ///
    /// # Errors
    /// [`NfcError::Attr`], [`NfcError::Missing`] (no OOB Device Password),
    /// [`NfcError::NotHandover`] (not ID 7, or with a password).
    pub fn parse(attributes: &[u8]) -> Result<HandoverRequest, NfcError> {
        let attrs = Attributes::parse(attributes)?;
        Ok(HandoverRequest {
            public_key_hash: handover_hash(&attrs)?,
            uuid_e: attrs.array::<16>(AttrType::UuidE).map(|u| Uuid(*u)),
        })
    }
}

impl WscPayload for HandoverRequest {
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        emit_handover_oob(out, self.public_key_hash)?;
        if let Some(u) = self.uuid_e {
            tlv::write_tlv(out, u16::from(AttrType::UuidE), &u.0)?;
        }
        emit_version2(out)
    }
}

/// The AP's handover select (its carrier record's attributes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverSelect<'a> {
    /// SHA-256 of the AP's (registrar's) DH public key, first 20 bytes: the station checks
    /// the Public Key of M2 against it.
    pub public_key_hash: PublicKeyHash,
    /// The network's SSID.
    pub ssid: &'a [u8],
    /// RF Bands, when the AP knows its frequency.
    pub rf_bands: Option<RfBands>,
    /// AP Channel, when the AP knows its frequency.
    pub ap_channel: Option<u16>,
    /// The BSSID (MAC Address attribute).
    pub bssid: Option<MacAddr>,
}

impl<'a> HandoverSelect<'a> {
    /// Reads the attributes of a select carrier record.
    ///
    /// # Errors
    /// As [`HandoverRequest::parse`], and [`NfcError::Missing`] without an SSID
    /// (wpa_supplicant refuses such a select too).
    pub fn parse(attributes: &'a [u8]) -> Result<HandoverSelect<'a>, NfcError> {
        let attrs = Attributes::parse(attributes)?;
        Ok(HandoverSelect {
            public_key_hash: handover_hash(&attrs)?,
            ssid: attrs
                .get(AttrType::Ssid)
                .ok_or(NfcError::Missing(AttrType::Ssid))?,
            rf_bands: attrs.u8(AttrType::RfBands).map(RfBands),
            ap_channel: attrs.u16(AttrType::ApChannel),
            bssid: attrs.array::<6>(AttrType::MacAddress).map(|m| MacAddr(*m)),
        })
    }
}

impl WscPayload for HandoverSelect<'_> {
    fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        emit_handover_oob(out, self.public_key_hash)?;
        tlv::write_tlv(out, u16::from(AttrType::Ssid), self.ssid)?;
        emit_ap_and_version2(out, self.rf_bands, self.ap_channel, self.bssid)
    }
}

/// Carrier Power State of an alternative carrier record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarrierPowerState {
    /// 0: inactive.
    Inactive,
    /// 1: active.
    Active,
    /// 2: activating.
    Activating,
    /// 3: unknown.
    Unknown,
}

impl CarrierPowerState {
    fn from_bits(v: u8) -> CarrierPowerState {
        match v & 0x03 {
            0 => CarrierPowerState::Inactive,
            1 => CarrierPowerState::Active,
            2 => CarrierPowerState::Activating,
            _ => CarrierPowerState::Unknown,
        }
    }
}

/// One alternative carrier (`ac`) record: which record carries the carrier's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlternativeCarrier<'a> {
    /// Carrier Power State.
    pub power_state: CarrierPowerState,
    /// The ID of the carrier configuration record.
    pub carrier_data_reference: &'a [u8],
    /// Number of auxiliary data references (their records are not read here).
    pub auxiliary_references: u8,
}

impl<'a> AlternativeCarrier<'a> {
    /// Reads an `ac` record's payload: CPS, reference length, reference, count of
    /// auxiliary references and each of them (length, bytes).
    ///
    /// # Errors
    /// [`NfcError::AlternativeCarrier`] when a length runs past the payload.
    pub fn parse(payload: &'a [u8]) -> Result<AlternativeCarrier<'a>, NfcError> {
        let bad = NfcError::AlternativeCarrier;
        let (&cps, rest) = payload.split_first().ok_or(bad)?;
        let (&ref_len, rest) = rest.split_first().ok_or(bad)?;
        let (reference, rest) = rest.split_at_checked(usize::from(ref_len)).ok_or(bad)?;
        let (&aux, mut rest) = rest.split_first().ok_or(bad)?;
        for _ in 0..aux {
            let (&l, r) = rest.split_first().ok_or(bad)?;
            rest = r.get(usize::from(l)..).ok_or(bad)?;
        }
        Ok(AlternativeCarrier {
            power_state: CarrierPowerState::from_bits(cps),
            carrier_data_reference: reference,
            auxiliary_references: aux,
        })
    }
}

/// Request (`Hr`) or select (`Hs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoverKind {
    /// Handover Request, with its collision-resolution random number (absent before
    /// Connection Handover 1.2).
    Request {
        /// The `cr` record's number.
        collision_resolution: Option<u16>,
    },
    /// Handover Select.
    Select,
}

/// An NFC Forum handover message (`Hr` or `Hs` first), checked once and read without
/// allocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverMessage<'a> {
    /// Request or select.
    pub kind: HandoverKind,
    /// The version byte (major in the high nibble; 0x12 is 1.2).
    pub version: u8,
    message: Message<'a>,
    /// The nested local records (none in an `Hs` that selects no carrier).
    local: Option<Message<'a>>,
}

impl<'a> HandoverMessage<'a> {
    /// Whether `message` starts with an `Hr` or `Hs` record.
    pub fn is_handover(message: &Message<'a>) -> bool {
        message
            .records()
            .next()
            .is_some_and(|r| r.is_well_known(b"Hr") || r.is_well_known(b"Hs"))
    }

    /// Reads a handover message: `Hr`/`Hs` first, version 1.x, local records that parse,
    /// every alternative carrier naming a record of the message.
    ///
    /// # Errors
    /// [`NfcError::NotHandoverMessage`], [`NfcError::HandoverVersion`],
    /// [`NfcError::Ndef`] (outer or nested), [`NfcError::AlternativeCarrier`],
    /// [`NfcError::DanglingCarrierReference`].
    pub fn parse(message: Message<'a>) -> Result<HandoverMessage<'a>, NfcError> {
        let first = message
            .records()
            .next()
            .ok_or(NfcError::NotHandoverMessage)?;
        let request = first.is_well_known(b"Hr");
        if !request && !first.is_well_known(b"Hs") {
            return Err(NfcError::NotHandoverMessage);
        }
        let (&version, nested) = first
            .payload
            .split_first()
            .ok_or(NfcError::HandoverVersion { version: 0 })?;
        if version >> 4 != 1 {
            return Err(NfcError::HandoverVersion { version });
        }
        let local = if nested.is_empty() {
            None
        } else {
            Some(Message::parse(nested).map_err(NfcError::Ndef)?)
        };
        let mut collision_resolution = None;
        for r in local.iter().flat_map(Message::records) {
            if r.is_well_known(b"ac") {
                let ac = AlternativeCarrier::parse(r.payload)?;
                if message.record_with_id(ac.carrier_data_reference).is_none() {
                    return Err(NfcError::DanglingCarrierReference);
                }
            } else if r.is_well_known(b"cr") {
                let crn = r
                    .payload
                    .first_chunk::<2>()
                    .ok_or(NfcError::CollisionResolution)?;
                collision_resolution = Some(u16::from_be_bytes(*crn));
            }
        }
        Ok(HandoverMessage {
            kind: if request {
                HandoverKind::Request {
                    collision_resolution,
                }
            } else {
                HandoverKind::Select
            },
            version,
            message,
            local,
        })
    }

    /// The alternative carriers, in order.
    pub fn alternative_carriers(&self) -> impl Iterator<Item = AlternativeCarrier<'a>> + 'a {
        self.local
            .into_iter()
            .flat_map(|m| m.records())
            .filter(|r| r.is_well_known(b"ac"))
            .filter_map(|r| AlternativeCarrier::parse(r.payload).ok())
    }

    /// The payload of the first alternative carrier that is a WSC record (a carrier
    /// record payload: 2-byte length, attributes).
    pub fn wsc_carrier(&self) -> Option<&'a [u8]> {
        let message = self.message;
        self.alternative_carriers().find_map(move |ac| {
            message
                .record_with_id(ac.carrier_data_reference)
                .filter(Record::is_wsc)
                .map(|r| r.payload)
        })
    }

    /// The whole message.
    pub fn message(&self) -> Message<'a> {
        self.message
    }
}

fn carrier_record<'a>(payload: &'a [u8]) -> Record<'a> {
    Record {
        message_begin: false,
        message_end: true,
        short: payload.len() < 256,
        tnf: Tnf::MediaType,
        record_type: WSC_MIME_TYPE,
        id: Some(CARRIER_REFERENCE),
        payload,
    }
}

/// `ac` payload naming [`CARRIER_REFERENCE`], power state active, no auxiliary data.
const AC_PAYLOAD: [u8; 4] = [0x01, 0x01, b'0', 0x00];

fn emit_handover<B: Buf + ?Sized, P: WscPayload + ?Sized>(
    out: &mut B,
    kind: &[u8; 2],
    version: u8,
    collision_resolution: Option<u16>,
    attributes: &P,
) -> Result<(), WriteError> {
    // The local records: [cr], ac, at most 1 + 7 + 9 bytes.
    let mut local = [0u8; 17];
    let mut buf = tlv::SliceBuf::new(&mut local);
    buf.put(&[version])?;
    let ac = Record {
        message_begin: collision_resolution.is_none(),
        message_end: true,
        short: true,
        tnf: Tnf::WellKnown,
        record_type: b"ac",
        id: None,
        payload: &AC_PAYLOAD,
    };
    if let Some(crn) = collision_resolution {
        Record {
            message_begin: true,
            message_end: false,
            short: true,
            tnf: Tnf::WellKnown,
            record_type: b"cr",
            id: None,
            payload: &crn.to_be_bytes(),
        }
        .emit(&mut buf)?;
    }
    ac.emit(&mut buf)?;
    let hr = Record {
        message_begin: true,
        message_end: false,
        short: true,
        tnf: Tnf::WellKnown,
        record_type: kind,
        id: None,
        payload: buf.as_slice(),
    };
    let payload_len = super::payload_len(&Carrier(attributes), MAX_PAYLOAD_LEN)?;
    let carrier_head = carrier_record(&[]);
    let short = payload_len < 256;
    let carrier_len = carrier_head
        .encoded_len()
        .saturating_add(if short { 0 } else { 3 })
        .saturating_add(payload_len);
    tlv::ensure_room(out, hr.encoded_len().saturating_add(carrier_len))?;
    hr.emit(out)?;
    super::emit_record_with(
        out,
        Record {
            short,
            ..carrier_head
        },
        payload_len,
        |o| emit_carrier_payload(o, attributes),
    )
}

/// Writes an NFC Forum Handover Request message: `Hr` (version, `cr` with
/// `collision_resolution`, `ac` naming `"0"`), then the WSC carrier record with ID `"0"`.
///
/// # Errors
/// [`WriteError`] from the buffer.
pub fn emit_handover_request<B: Buf + ?Sized>(
    out: &mut B,
    version: u8,
    collision_resolution: u16,
    request: &HandoverRequest,
) -> Result<(), WriteError> {
    emit_handover(out, b"Hr", version, Some(collision_resolution), request)
}

/// Writes an NFC Forum Handover Select message: `Hs` (version, `ac` naming `"0"`), then
/// the WSC carrier record with ID `"0"`.
///
/// # Errors
/// [`WriteError`] from the buffer.
pub fn emit_handover_select<B: Buf + ?Sized>(
    out: &mut B,
    version: u8,
    select: &HandoverSelect<'_>,
) -> Result<(), WriteError> {
    emit_handover(out, b"Hs", version, None, select)
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// `ndeflib` 0.3.3: HandoverRequestRecord('1.2', b'\x12\x34') with the lab's request
    /// carrier named '0', and HandoverSelectRecord('1.2') with the same carrier.
    const NDEFLIB_HR: &str = "910211487212910202637212345102046163010130005a173a016170706c69636174696f6e2f766e642e7766612e777363300038102c00169abc0b53554878d0916f5dce10d38bc000d07a15000710470010876543219abcdef0123456789abcdef01049000600372a000120";
    const NDEFLIB_HS: &str = "91020a487312d102046163010130005a173a016170706c69636174696f6e2f766e642e7766612e777363300038102c00169abc0b53554878d0916f5dce10d38bc000d07a15000710470010876543219abcdef0123456789abcdef01049000600372a000120";

    #[test]
    fn hr_and_hs_match_ndeflib_byte_for_byte() {
        let hr = h(NDEFLIB_HR);
        let m = HandoverMessage::parse(Message::parse(&hr).unwrap()).unwrap();
        assert_eq!(
            m.kind,
            HandoverKind::Request {
                collision_resolution: Some(0x1234)
            }
        );
        assert_eq!(m.version, 0x12);
        let ac: Vec<_> = m.alternative_carriers().collect();
        assert_eq!(ac.len(), 1);
        assert_eq!(ac[0].power_state, CarrierPowerState::Active);
        let req =
            HandoverRequest::parse(carrier_attributes(m.wsc_carrier().unwrap()).unwrap()).unwrap();
        let mut again = Vec::new();
        emit_handover_request(&mut again, 0x12, 0x1234, &req).unwrap();
        assert_eq!(again, hr);

        // The same carrier in a select (ndeflib's bytes; the attributes are a request's,
        // which the framing does not care about).
        let hs = h(NDEFLIB_HS);
        let m = HandoverMessage::parse(Message::parse(&hs).unwrap()).unwrap();
        assert_eq!(m.kind, HandoverKind::Select);
        let carrier = m.wsc_carrier().unwrap();
        let mut again = Vec::new();
        emit_handover(
            &mut again,
            b"Hs",
            0x12,
            None,
            &Raw(carrier_attributes(carrier).unwrap()),
        )
        .unwrap();
        assert_eq!(again, hs);
    }

    struct Raw<'a>(&'a [u8]);
    impl WscPayload for Raw<'_> {
        fn emit_payload<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
            out.put(self.0)
        }
    }

    #[test]
    fn dangling_reference_and_bad_version() {
        let mut hr = h(NDEFLIB_HR);
        // The carrier record's ID '0' -> '1': the ac record names nothing.
        let id_at = hr.len() - 58 - 1;
        assert_eq!(hr[id_at], b'0');
        hr[id_at] = b'1';
        assert_eq!(
            HandoverMessage::parse(Message::parse(&hr).unwrap()),
            Err(NfcError::DanglingCarrierReference)
        );
        let mut hr = h(NDEFLIB_HR);
        hr[5] = 0x20;
        assert_eq!(
            HandoverMessage::parse(Message::parse(&hr).unwrap()),
            Err(NfcError::HandoverVersion { version: 0x20 })
        );
    }

    #[test]
    fn carrier_length_is_checked() {
        assert_eq!(carrier_attributes(&[0, 2, 1, 2, 3]), Ok(&[1u8, 2][..]));
        assert_eq!(
            carrier_attributes(&[0, 4, 1]),
            Err(NfcError::CarrierLength {
                declared: 4,
                available: 1
            })
        );
        assert!(carrier_attributes(&[0]).is_err());
    }

    #[test]
    fn handover_needs_id_7_without_password() {
        let v = crate::nfc::token::oob_attribute([0; 20], 0x10, &[1; 16]);
        assert_eq!(
            HandoverRequest::parse(&v),
            Err(NfcError::NotHandover { id: 0x10 })
        );
    }

    proptest! {
        #[test]
        fn request_roundtrip(hash in any::<[u8; 20]>(), uuid in proptest::option::of(any::<[u8; 16]>()), crn in any::<u16>()) {
            let req = HandoverRequest { public_key_hash: PublicKeyHash(hash), uuid_e: uuid.map(Uuid) };
            let mut out = Vec::new();
            emit_handover_request(&mut out, HANDOVER_VERSION, crn, &req).unwrap();
            let m = HandoverMessage::parse(Message::parse(&out).unwrap()).unwrap();
            prop_assert_eq!(m.kind, HandoverKind::Request { collision_resolution: Some(crn) });
            let back = HandoverRequest::parse(carrier_attributes(m.wsc_carrier().unwrap()).unwrap()).unwrap();
            prop_assert_eq!(back, req);
            let mut again = Vec::new();
            emit_handover_request(&mut again, HANDOVER_VERSION, crn, &back).unwrap();
            prop_assert_eq!(again, out);
        }

        #[test]
        fn select_roundtrip(
            hash in any::<[u8; 20]>(),
            ssid in proptest::collection::vec(any::<u8>(), 0..=32),
            rf in proptest::option::of(any::<u8>()),
            ch in proptest::option::of(any::<u16>()),
            bssid in proptest::option::of(any::<[u8; 6]>()),
        ) {
            let sel = HandoverSelect {
                public_key_hash: PublicKeyHash(hash),
                ssid: &ssid,
                rf_bands: rf.map(RfBands),
                ap_channel: ch,
                bssid: bssid.map(MacAddr),
            };
            let mut out = Vec::new();
            emit_handover_select(&mut out, HANDOVER_VERSION, &sel).unwrap();
            let m = HandoverMessage::parse(Message::parse(&out).unwrap()).unwrap();
            prop_assert_eq!(m.kind, HandoverKind::Select);
            let back = HandoverSelect::parse(carrier_attributes(m.wsc_carrier().unwrap()).unwrap()).unwrap();
            prop_assert_eq!(back, sel);
            let mut again = Vec::new();
            emit_handover_select(&mut again, HANDOVER_VERSION, &back).unwrap();
            prop_assert_eq!(again, out);
        }

        #[test]
        fn alternative_carrier_parse_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..16)) {
            let _ = AlternativeCarrier::parse(&bytes);
        }
    }
}
