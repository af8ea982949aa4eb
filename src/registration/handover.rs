//! NFC connection handover (Device Password ID 7) in the registration machines:
//! the access point's side of the touch ([`NfcHandover`]: hostapd's
//! `nfc_get_handover_sel` key and the request `nfc_report_handover` added) and the
//! key a registrar signs its abbreviated M2 with ([`HandoverKey`]).
//!
//! The abbreviated handshake is M1 → M2 → WSC_Done. The registrar checks
//! SHA-256(PKe in M1)[0..20] against the request's hash (M2D with Configuration
//! Error 20 otherwise), signs M2 with the key whose hash its select carried, and puts the
//! Credential in M2's Encrypted Settings. The enrollee checks SHA-256(PKr in M2)[0..20]
//! against the select's hash (WSC_NACK with 20 otherwise), verifies the Authenticator,
//! takes the Credential and answers WSC_Done. No device password, no M3..M8
//! (hostapd's `wps_build_m2` with `pk_hash_provided_oob`, `wps_process_m2` with
//! `peer_pubkey_hash_set`).

use alloc::boxed::Box;
use core::fmt;

use rand_core::CryptoRng;

use crate::attr::{ConfigError, Uuid};
use crate::crypto::{DhError, DhKeyPair, PUBLIC_KEY_LEN, SecretBytes};
use crate::nfc::{HandoverRequest, OobKeys, PublicKeyHash};

/// The DH key a registrar signs a handover M2 with: the key whose hash its handover
/// select carried. Handed to the session by
/// [`PasswordLookup::Handover`](super::PasswordLookup::Handover). Secret: wiped on
/// drop; `Debug` and equality show only the public key's hash.
#[derive(Clone)]
pub struct HandoverKey {
    private: SecretBytes<PUBLIC_KEY_LEN>,
    private_len: usize,
    public_key_hash: PublicKeyHash,
}

impl HandoverKey {
    /// A copy of `keys` for one run.
    pub fn new(keys: &OobKeys) -> HandoverKey {
        let mut private = SecretBytes::<PUBLIC_KEY_LEN>::zero();
        let own = keys.private_key();
        if let Some(dst) = private.as_mut_bytes().get_mut(..own.len()) {
            dst.copy_from_slice(own);
        }
        HandoverKey {
            private,
            private_len: own.len(),
            public_key_hash: keys.public_key_hash(),
        }
    }

    /// The hash of its public key (the one in the select).
    pub fn public_key_hash(&self) -> PublicKeyHash {
        self.public_key_hash
    }

    /// The key pair (one exponentiation).
    pub(crate) fn key_pair(&self) -> Result<DhKeyPair, DhError> {
        DhKeyPair::from_private(
            self.private
                .as_bytes()
                .get(..self.private_len)
                .unwrap_or(&[]),
        )
    }
}

impl PartialEq for HandoverKey {
    fn eq(&self, other: &Self) -> bool {
        self.public_key_hash == other.public_key_hash
    }
}

impl Eq for HandoverKey {}

impl fmt::Debug for HandoverKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HandoverKey")
            .field("public_key_hash", &self.public_key_hash)
            .finish_non_exhaustive()
    }
}

/// The enrollee an access point expects after a handover: the request's hash of its
/// public key, and the run (by UUID-E) that holds it.
#[derive(Debug, Clone, Copy)]
struct Expected {
    enrollee_hash: PublicKeyHash,
    held_by: Option<Uuid>,
}

/// What a handover lookup found for an M1 with Device Password ID 7.
// One per M1, consumed at once: boxing the key would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum HandoverLookup {
    /// No handover was reported (or this access point has no handover key).
    None,
    /// M1's public key is the request's: sign M2 with this key; the handover is held by
    /// the run.
    Found(HandoverKey),
    /// M1's public key is not the request's: M2D with this error (20).
    Refused(ConfigError),
}

/// An access point's side of NFC connection handover.
///
/// Its **handover key** is made by the first [`select_key`](Self::select_key) (hostapd's
/// `nfc_get_handover_sel`, which keeps its NFC DH key in the configuration) and stays
/// until [`clear`](Self::clear): every select carries its hash. A **reported request**
/// ([`report`](Self::report), hostapd's `nfc_report_handover RESP WPS`) makes the next
/// M1 with Device Password ID 7 whose public key has the request's hash run the
/// abbreviated handshake; a registration that hands out the credential forgets it (one
/// request at a time, a new one replaces it, as hostapd's token list keyed by ID).
#[derive(Debug, Clone, Default)]
pub struct NfcHandover {
    /// Boxed: most access points never make one.
    key: Option<Box<HandoverKey>>,
    expected: Option<Expected>,
}

impl NfcHandover {
    /// The hash of the handover key a select carries; the key is made now if there is
    /// none yet.
    pub fn select_key<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> PublicKeyHash {
        self.key
            .get_or_insert_with(|| Box::new(HandoverKey::new(&OobKeys::generate(rng))))
            .public_key_hash()
    }

    /// Uses `keys` as the handover key from now on (hostapd's `wps_nfc_dh_pubkey` /
    /// `wps_nfc_dh_privkey` fixed in the configuration).
    pub fn use_key(&mut self, keys: &OobKeys) {
        self.key = Some(Box::new(HandoverKey::new(keys)));
    }

    /// The handover key, if a select was made.
    pub fn key(&self) -> Option<&HandoverKey> {
        self.key.as_deref()
    }

    /// Expects the enrollee of `request` (replacing an earlier request).
    pub fn report(&mut self, request: &HandoverRequest) {
        self.expected = Some(Expected {
            enrollee_hash: request.public_key_hash,
            held_by: None,
        });
    }

    /// Whether a reported request waits for its M1.
    pub fn is_expecting(&self) -> bool {
        self.expected.is_some()
    }

    /// Forgets the reported request and the handover key (`wps_cancel`).
    pub fn clear(&mut self) {
        self.expected = None;
        self.key = None;
    }

    /// The answer to an M1 from `uuid_e` with Device Password ID 7 and `public_key`.
    pub(crate) fn lookup(&mut self, uuid_e: Uuid, public_key: &[u8]) -> HandoverLookup {
        let (Some(key), Some(expected)) = (&self.key, &mut self.expected) else {
            return HandoverLookup::None;
        };
        match expected.enrollee_hash.verify(public_key) {
            Ok(()) => {
                expected.held_by = Some(uuid_e);
                HandoverLookup::Found(HandoverKey::clone(key))
            }
            Err(e) => HandoverLookup::Refused(e.config_error()),
        }
    }

    /// The run of `uuid_e` ended: with `forget`, the request it held is removed,
    /// otherwise released for another try. Whether it held it.
    pub(crate) fn finish(&mut self, uuid_e: &Uuid, forget: bool) -> bool {
        let Some(expected) = &mut self.expected else {
            return false;
        };
        if expected.held_by.as_ref() != Some(uuid_e) {
            return false;
        }
        if forget {
            self.expected = None;
        } else {
            expected.held_by = None;
        }
        true
    }
}

// Tests: a panic is a failure report.
#[cfg(test)]
#[cfg(all(feature = "enrollee", feature = "registrar"))]
mod tests {
    use super::*;

    /// A handover key pair from a short private exponent (fast, distinct per seed).
    fn keys(seed: u8) -> OobKeys {
        OobKeys::from_private(&[seed, 0x5a, seed, 0xa5]).unwrap()
    }

    fn request(k: &OobKeys) -> HandoverRequest {
        HandoverRequest {
            public_key_hash: k.public_key_hash(),
            uuid_e: Some(Uuid([1; 16])),
        }
    }

    #[test]
    fn the_requested_key_finds_the_handover_key_once() {
        let mut h = NfcHandover::default();
        let station = keys(5);
        let pk_e = station.key_pair().public_key();
        // No select made, nothing reported: no handover.
        assert_eq!(h.lookup(Uuid([1; 16]), &pk_e), HandoverLookup::None);
        let ap_hash = h.select_key(&mut rand::rng());
        // The key stays for the next select.
        assert_eq!(h.select_key(&mut rand::rng()), ap_hash);
        assert_eq!(h.lookup(Uuid([1; 16]), &pk_e), HandoverLookup::None);
        h.report(&request(&station));
        assert!(h.is_expecting());
        let HandoverLookup::Found(key) = h.lookup(Uuid([1; 16]), &pk_e) else {
            panic!("no handover");
        };
        assert_eq!(key.public_key_hash(), ap_hash);
        assert_eq!(
            PublicKeyHash::of(&key.key_pair().unwrap().public_key()),
            ap_hash
        );
        // Another run does not release it; the holder's success forgets it.
        assert!(!h.finish(&Uuid([2; 16]), true));
        assert!(h.finish(&Uuid([1; 16]), true));
        assert!(!h.is_expecting());
        assert_eq!(h.lookup(Uuid([1; 16]), &pk_e), HandoverLookup::None);
    }

    #[test]
    fn another_key_is_refused_with_20_and_a_release_keeps_the_request() {
        let mut h = NfcHandover::default();
        let _ = h.select_key(&mut rand::rng());
        let station = keys(5);
        let mut flipped = request(&station);
        flipped.public_key_hash.0[0] ^= 1;
        h.report(&flipped);
        let pk_e = station.key_pair().public_key();
        assert_eq!(
            h.lookup(Uuid([1; 16]), &pk_e),
            HandoverLookup::Refused(ConfigError::PublicKeyHashMismatch)
        );
        h.report(&request(&station));
        assert!(matches!(
            h.lookup(Uuid([1; 16]), &pk_e),
            HandoverLookup::Found(_)
        ));
        assert!(h.finish(&Uuid([1; 16]), false));
        assert!(h.is_expecting());
        h.clear();
        assert!(!h.is_expecting() && h.key().is_none());
        // A key from the configuration is the one every select names.
        h.use_key(&keys(8));
        assert_eq!(h.select_key(&mut rand::rng()), keys(8).public_key_hash());
    }

    // ---- the abbreviated handshake through both machines ----

    use crate::attr::{MacAddr, MessageType};
    use crate::registration::{
        ApRegistrar, DeviceInfo, Enrollee, EnrolleeConfig, Event, Failure, FailureReason,
        NetworkSettings, OpCode, PasswordOutcome, PeerMisbehaved, Refusal, RegistrarConfig,
        RegistrarSession, SessionSecrets,
    };
    use crate::time::Instant;
    use alloc::vec::Vec;

    const NOW: Instant = Instant::ZERO;

    /// A station with handover keys `station` that got a select naming `select_hash`,
    /// and an access point that reported the station's request with hash `request_hash`.
    fn handover_pair(
        station: &OobKeys,
        select_hash: Option<PublicKeyHash>,
        request_hash: Option<PublicKeyHash>,
    ) -> (Enrollee, RegistrarSession, ApRegistrar, PublicKeyHash) {
        let mut rng = rand::rng();
        let mut ap = ApRegistrar::new();
        let ap_hash = ap.nfc_handover.select_key(&mut rng);
        ap.nfc_handover.report(&HandoverRequest {
            public_key_hash: request_hash.unwrap_or(station.public_key_hash()),
            uuid_e: Some(Uuid([1; 16])),
        });
        let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
        let config = EnrolleeConfig::handover(printer, select_hash.unwrap_or(ap_hash));
        let secrets = SessionSecrets::with_key_pair(station.to_key_pair().unwrap(), &mut rng);
        let e = Enrollee::new(config, secrets, NOW);
        let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
        let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
        let r = RegistrarSession::new(
            RegistrarConfig::internal(router, alloc::vec![home]),
            SessionSecrets::generate(&mut rng),
            NOW,
        );
        (e, r, ap, ap_hash)
    }

    /// Relays until both are quiet; the message types in the order sent.
    fn relay(e: &mut Enrollee, r: &mut RegistrarSession, ap: &mut ApRegistrar) -> Vec<MessageType> {
        let mut sent = Vec::new();
        let mut to_r = Some(e.start(NOW));
        while let Some(m) = to_r.take() {
            sent.push(m.message_type);
            let Some(reply) = r.handle(&m.bytes, NOW, ap) else {
                break;
            };
            sent.push(reply.message_type);
            if reply.op_code == OpCode::Msg && reply.message_type == MessageType::M2 {
                // The M2 carries the handover key (or another): check it as sent.
                let m2 = crate::message::M2::parse(&reply.bytes).unwrap();
                assert!(m2.encrypted_settings.is_some());
            }
            to_r = e.handle(&reply.bytes, NOW);
        }
        sent
    }

    fn failure(events: &[Event]) -> Option<Failure> {
        events.iter().find_map(|e| match e {
            Event::Failure(f) => Some(*f),
            _ => None,
        })
    }

    #[test]
    fn handover_is_m1_m2_done_with_the_credential_in_m2() {
        let station = keys(5);
        let (mut e, mut r, mut ap, ap_hash) = handover_pair(&station, None, None);
        let sent = relay(&mut e, &mut r, &mut ap);
        assert_eq!(
            sent,
            [MessageType::M1, MessageType::M2, MessageType::WscDone]
        );
        assert!(e.is_success() && r.is_success());
        let e_events: Vec<_> = core::iter::from_fn(|| e.poll_event()).collect();
        let creds: Vec<_> = e_events
            .iter()
            .filter_map(|ev| match ev {
                Event::Credential(c) => Some(c.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(creds.len(), 1);
        assert_eq!(creds[0].ssid(), b"home");
        assert_eq!(creds[0].mac(), MacAddr([2, 0, 0, 0, 0, 1]));
        let r_events: Vec<_> = core::iter::from_fn(|| r.poll_event()).collect();
        assert!(
            r_events.contains(&Event::PasswordOutcome(PasswordOutcome::Used(Uuid(
                [1; 16]
            ))))
        );
        // Used up: the next handover M1 is not expected any more; the key stays.
        assert!(!ap.nfc_handover.is_expecting());
        assert_eq!(ap.nfc_handover.key().unwrap().public_key_hash(), ap_hash);
    }

    #[test]
    fn the_registrar_refuses_a_key_the_request_did_not_name_with_m2d_20() {
        let station = keys(5);
        let mut other = station.public_key_hash();
        other.0[19] ^= 0x80;
        let (mut e, mut r, mut ap, _) = handover_pair(&station, None, Some(other));
        let sent = relay(&mut e, &mut r, &mut ap);
        assert_eq!(
            sent,
            [MessageType::M1, MessageType::M2D, MessageType::WscAck]
        );
        let e_events: Vec<_> = core::iter::from_fn(|| e.poll_event()).collect();
        assert!(e_events.iter().any(|ev| matches!(
            ev,
            Event::M2d(i) if i.config_error == ConfigError::PublicKeyHashMismatch
        )));
        let r_events: Vec<_> = core::iter::from_fn(|| r.poll_event()).collect();
        let f = failure(&r_events).unwrap();
        assert_eq!(f.config_error, ConfigError::PublicKeyHashMismatch);
        assert_eq!(f.reason, FailureReason::Refused(Refusal::NoPassword));
        assert!(
            !r_events
                .iter()
                .any(|ev| matches!(ev, Event::PasswordNeeded { .. }))
        );
        assert!(!e_events.iter().any(|ev| matches!(ev, Event::Credential(_))));
    }

    #[test]
    fn the_enrollee_refuses_a_key_the_select_did_not_name_with_nack_20() {
        let station = keys(5);
        // The stale select of hostapd 2.10: another key's hash.
        let stale = keys(7).public_key_hash();
        let (mut e, mut r, mut ap, _) = handover_pair(&station, Some(stale), None);
        let sent = relay(&mut e, &mut r, &mut ap);
        assert_eq!(
            sent,
            [MessageType::M1, MessageType::M2, MessageType::WscNack]
        );
        // Both sides put the failure at M2, with the mismatch as Configuration Error.
        let at_m2 = |reason| Failure {
            message: Some(MessageType::M2),
            config_error: ConfigError::PublicKeyHashMismatch,
            reason,
        };
        let e_events: Vec<_> = core::iter::from_fn(|| e.poll_event()).collect();
        let mismatch = PeerMisbehaved::PublicKeyHashMismatch;
        let f = failure(&e_events);
        assert_eq!(f, Some(at_m2(FailureReason::PeerMisbehaved(mismatch))));
        assert!(!e_events.iter().any(|ev| matches!(ev, Event::Credential(_))));
        let r_events: Vec<_> = core::iter::from_fn(|| r.poll_event()).collect();
        let f = failure(&r_events).unwrap();
        assert_eq!(f, at_m2(FailureReason::Refused(Refusal::NackReceived)));
        assert_eq!(
            crate::RunError::from_failure(&f),
            crate::RunError::PublicKeyMismatch
        );
    }

    #[test]
    fn without_a_reported_request_id_7_is_an_unknown_password() {
        let station = keys(5);
        let (mut e, mut r, mut ap, _) = handover_pair(&station, None, None);
        ap.nfc_handover.clear();
        let sent = relay(&mut e, &mut r, &mut ap);
        assert_eq!(
            sent,
            [MessageType::M1, MessageType::M2D, MessageType::WscAck]
        );
        let r_events: Vec<_> = core::iter::from_fn(|| r.poll_event()).collect();
        assert_eq!(
            failure(&r_events).unwrap().config_error,
            ConfigError::NoError
        );
    }

    #[test]
    fn an_m2_without_the_credential_is_refused() {
        // A registrar that answers ID 7 with an ordinary M2 (as for a PIN): the
        // enrollee's hash check passes, but M2 has no Encrypted Settings.
        let station = keys(5);
        let mut rng = rand::rng();
        let registrar_keys = keys(6);
        let printer = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
        let mut e = Enrollee::new(
            EnrolleeConfig::handover(printer, registrar_keys.public_key_hash()),
            SessionSecrets::with_key_pair(station.to_key_pair().unwrap(), &mut rng),
            NOW,
        );
        let router = DeviceInfo::new(Uuid([3; 16]), MacAddr([2, 0, 0, 0, 0, 2]), "router");
        let home = NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap();
        let mut r = RegistrarSession::new(
            RegistrarConfig::internal(router, alloc::vec![home]),
            SessionSecrets::with_key_pair(registrar_keys.to_key_pair().unwrap(), &mut rng),
            NOW,
        );
        let mut pin = crate::registration::FixedPassword::new(
            crate::pin::DevicePassword::from_bytes(b"12345670").unwrap(),
        );
        let m1 = e.start(NOW);
        let m2 = r.handle(&m1.bytes, NOW, &mut pin).unwrap();
        assert_eq!(m2.message_type, MessageType::M2);
        let nack = e.handle(&m2.bytes, NOW).unwrap();
        assert_eq!(nack.message_type, MessageType::WscNack);
        let e_events: Vec<_> = core::iter::from_fn(|| e.poll_event()).collect();
        assert_eq!(
            failure(&e_events).unwrap().reason,
            FailureReason::Malformed(crate::message::MessageError::Missing(
                crate::attr::AttrType::EncryptedSettings
            ))
        );
    }

    #[test]
    fn debug_shows_no_secret() {
        let k = keys(9);
        let text = alloc::format!("{:?}", HandoverKey::new(&k));
        assert!(text.contains("public_key_hash"), "{text}");
        assert!(!text.contains("private"), "{text}");
        assert_eq!(HandoverKey::new(&k), HandoverKey::new(&k).clone());
    }
}
