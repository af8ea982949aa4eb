//! What the registration machines need from an NFC touch, before they are wired to it.
//!
//! **Password token** (Device Password ID ≥ 0x10). The token's owner is the enrollee (a
//! printer, or an AP configured through its own token). Its M1 carries the token's
//! Device Password ID and the public key of the token's DH key pair
//! ([`EnrolleeOob::keys`]), not a fresh one. The registrar that read the token finds
//! it by that ID in M1 and checks SHA-256(PKe)[0..20] against the token's hash
//! ([`RegistrarOob::on_m1`]); a mismatch is answered with M2D, Configuration Error 20.
//! Then the usual M2..M8 run with PSK1/PSK2 from the token password's 64-character
//! uppercase hex string ([`Exchange::Full`]).
//!
//! **Connection handover** (Device Password ID 7, no password). Each side learned the
//! other's public-key hash from the request/select. The enrollee's M1 carries ID 7 and
//! its handover key; the registrar checks PKe against the request's hash (M2D with 20 on
//! a mismatch), answers with an M2 signed with its handover key whose Encrypted Settings
//! (after the WFA extension, before the Authenticator) hold the Credential(s) and a KWA
//! ([`emit_abbreviated_m2_settings`]), then waits for WSC_Done. The enrollee checks PKr
//! in M2 against the select's hash ([`EnrolleeOob::on_m2`]; a WSC_NACK with 20 on a
//! mismatch), verifies M2's Authenticator, decrypts the settings and sends WSC_Done
//! ([`Exchange::Abbreviated`]). No M3..M8.

use super::handover::{HandoverRequest, HandoverSelect};
use super::password::{OobKeys, PublicKeyHash, PublicKeyHashMismatch, TokenPassword};
use super::token::{OwnPasswordToken, PasswordToken};
use crate::attr::{ConfigError, DevicePasswordId, Uuid};
use crate::message::CredentialRef;
use crate::pin::DevicePassword;
use crate::tlv::{Buf, WriteError};

/// How the exchange goes on after the public-key hash check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// The usual M2..M8 (or M3..M8), with PSK1/PSK2 from this password (the token
    /// password's uppercase hex string).
    Full(DevicePassword),
    /// Handover: M2 carries the Credential in Encrypted Settings; WSC_Done follows.
    Abbreviated,
}

/// The enrollee's side of a handover: its own key, and the registrar's hash from the
/// handover select.
#[derive(Debug)]
pub struct EnrolleeHandover {
    keys: OobKeys,
    uuid_e: Uuid,
    registrar_hash: PublicKeyHash,
}

impl EnrolleeHandover {
    /// `keys` and `uuid_e` are those of the request this station sent; `select` is the
    /// AP's answer.
    pub fn new(keys: OobKeys, uuid_e: Uuid, select: &HandoverSelect<'_>) -> EnrolleeHandover {
        EnrolleeHandover {
            keys,
            uuid_e,
            registrar_hash: select.public_key_hash,
        }
    }

    /// The request this station sends (write it with
    /// [`emit_handover_request`](super::handover::emit_handover_request) or as a carrier
    /// record with [`Carrier`](super::handover::Carrier)).
    pub fn request(keys: &OobKeys, uuid_e: Uuid) -> HandoverRequest {
        HandoverRequest {
            public_key_hash: keys.public_key_hash(),
            uuid_e: Some(uuid_e),
        }
    }

    /// The UUID-E M1 carries (the one in the request).
    pub fn uuid_e(&self) -> Uuid {
        self.uuid_e
    }

    /// The station's handover key (M1 carries its public key).
    pub fn keys(&self) -> &OobKeys {
        &self.keys
    }

    /// The hash of the registrar's key, from the select: M2's Public Key must have it.
    pub fn registrar_hash(&self) -> PublicKeyHash {
        self.registrar_hash
    }
}

/// What an enrollee brings from the touch into its registration.
#[derive(Debug)]
pub enum EnrolleeOob {
    /// Its own password token, read by the registrar.
    PasswordToken(OwnPasswordToken),
    /// A negotiated connection handover.
    Handover(EnrolleeHandover),
}

impl EnrolleeOob {
    /// The Device Password ID M1 carries: the token's, or 7.
    pub fn device_password_id(&self) -> DevicePasswordId {
        match self {
            EnrolleeOob::PasswordToken(t) => DevicePasswordId::from(t.password_id()),
            EnrolleeOob::Handover(_) => DevicePasswordId::NfcConnectionHandover,
        }
    }

    /// The DH keys whose public key M1 carries (its hash is what the registrar has):
    /// give the run [`OobKeys::to_key_pair`] instead of a fresh pair.
    pub fn keys(&self) -> &OobKeys {
        match self {
            EnrolleeOob::PasswordToken(t) => t.keys(),
            EnrolleeOob::Handover(h) => &h.keys,
        }
    }

    /// Checks M2's Public Key (handover only: against the select's hash) and says how the
    /// run goes on.
    ///
    /// # Errors
    /// [`PublicKeyHashMismatch`]: answer with WSC_NACK, Configuration Error 20.
    pub fn on_m2(&self, registrar_public_key: &[u8]) -> Result<Exchange, PublicKeyHashMismatch> {
        match self {
            EnrolleeOob::PasswordToken(t) => Ok(Exchange::Full(t.password().device_password())),
            EnrolleeOob::Handover(h) => {
                h.registrar_hash.verify(registrar_public_key)?;
                Ok(Exchange::Abbreviated)
            }
        }
    }
}

/// Why a registrar answers an M1 with M2D instead of M2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum M1Refusal {
    /// M1 names another Device Password ID than the token's (no password for it:
    /// Configuration Error 0, as hostapd).
    #[error("the enrollee uses Device Password ID {found:#06x}, the NFC token is {expected:#06x}")]
    OtherPasswordId {
        /// The token's ID.
        expected: u16,
        /// M1's ID.
        found: u16,
    },
    /// M1's Public Key is not the one whose hash the token or request carries.
    #[error(transparent)]
    PublicKeyHash(#[from] PublicKeyHashMismatch),
}

impl M1Refusal {
    /// The Configuration Error of the M2D: 0 or 20.
    pub fn config_error(&self) -> ConfigError {
        match self {
            M1Refusal::OtherPasswordId { .. } => ConfigError::NoError,
            M1Refusal::PublicKeyHash(e) => e.config_error(),
        }
    }
}

/// What a registrar knows from the touch about the enrollee it is about to meet.
// One per registration run, kept in place: boxing the key pair would need `alloc`.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum RegistrarOob {
    /// The enrollee's password token (hostapd's `wps_nfc_tag_read`, an external
    /// registrar's `wps_nfc_tag_read`).
    PasswordToken {
        /// The token's hash of the enrollee's public key.
        enrollee_hash: PublicKeyHash,
        /// The token's Device Password ID.
        password_id: u16,
        /// The token's password.
        password: TokenPassword,
    },
    /// A negotiated handover (`nfc_report_handover RESP WPS REQ SEL`).
    Handover {
        /// This registrar's handover key (its hash was in the select): M2 carries it.
        keys: OobKeys,
        /// The request's hash of the enrollee's public key.
        enrollee_hash: PublicKeyHash,
    },
}

impl RegistrarOob {
    /// From a password token read from the enrollee.
    pub fn from_token(token: &PasswordToken<'_>) -> RegistrarOob {
        RegistrarOob::PasswordToken {
            enrollee_hash: token.public_key_hash,
            password_id: token.password_id,
            password: token.password(),
        }
    }

    /// From a handover: `keys` are the ones whose hash this registrar's select carried.
    pub fn from_handover(keys: OobKeys, request: &HandoverRequest) -> RegistrarOob {
        RegistrarOob::Handover {
            keys,
            enrollee_hash: request.public_key_hash,
        }
    }

    /// The Device Password ID an M1 must carry to use this.
    pub fn device_password_id(&self) -> DevicePasswordId {
        match self {
            RegistrarOob::PasswordToken { password_id, .. } => DevicePasswordId::from(*password_id),
            RegistrarOob::Handover { .. } => DevicePasswordId::NfcConnectionHandover,
        }
    }

    /// The keys whose public key M2 must carry: the handover keys (give the run
    /// [`OobKeys::to_key_pair`]); `None` for a password token, whose registrar uses a
    /// fresh key pair as for a PIN.
    pub fn m2_keys(&self) -> Option<&OobKeys> {
        match self {
            RegistrarOob::PasswordToken { .. } => None,
            RegistrarOob::Handover { keys, .. } => Some(keys),
        }
    }

    /// Checks M1's Device Password ID and Public Key (as received) and says how the run
    /// goes on.
    ///
    /// # Errors
    /// [`M1Refusal`]: answer with M2D carrying [`M1Refusal::config_error`].
    pub fn on_m1(
        &self,
        device_password_id: DevicePasswordId,
        enrollee_public_key: &[u8],
    ) -> Result<Exchange, M1Refusal> {
        let expected = self.device_password_id();
        if device_password_id != expected {
            return Err(M1Refusal::OtherPasswordId {
                expected: u16::from(expected),
                found: u16::from(device_password_id),
            });
        }
        match self {
            RegistrarOob::PasswordToken {
                enrollee_hash,
                password,
                ..
            } => {
                enrollee_hash.verify(enrollee_public_key)?;
                Ok(Exchange::Full(password.device_password()))
            }
            RegistrarOob::Handover { enrollee_hash, .. } => {
                enrollee_hash.verify(enrollee_public_key)?;
                Ok(Exchange::Abbreviated)
            }
        }
    }
}

/// Writes the plaintext of a handover M2's Encrypted Settings: the Credential
/// attributes, as hostapd's `wps_build_cred` for a station. Encrypt it with
/// [`crate::crypto::encrypt_settings`] (which appends the Key Wrap Authenticator).
///
/// # Errors
/// [`WriteError`] from the buffer.
pub fn emit_abbreviated_m2_settings<B: Buf + ?Sized>(
    out: &mut B,
    credentials: &[CredentialRef<'_>],
) -> Result<(), WriteError> {
    for c in credentials {
        c.emit_attribute(out)?;
    }
    Ok(())
}

// Tests: a panic is a failure report.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::{AuthType, EncrType, MacAddr};
    use crate::crypto::{SessionKeys, decrypt_settings, encrypt_settings, kdk};
    use crate::message::Extra;
    use alloc::vec::Vec;

    fn keys(seed: u8) -> OobKeys {
        OobKeys::from_private(&[seed; 32]).unwrap()
    }

    #[test]
    fn password_token_both_sides() {
        let own = OwnPasswordToken::from_parts(
            keys(3),
            0x4962,
            TokenPassword::from_bytes(&[0xa2; 32]).unwrap(),
        )
        .unwrap();
        let registrar = RegistrarOob::from_token(&own.token());
        let enrollee = EnrolleeOob::PasswordToken(own);
        assert_eq!(
            enrollee.device_password_id(),
            registrar.device_password_id()
        );
        let pk_e = enrollee.keys().key_pair().public_key();
        let Ok(Exchange::Full(r)) = registrar.on_m1(enrollee.device_password_id(), &pk_e) else {
            panic!("registrar refused");
        };
        let Ok(Exchange::Full(e)) = enrollee.on_m2(&keys(9).key_pair().public_key()) else {
            panic!("enrollee refused");
        };
        assert_eq!(r, e);
        assert_eq!(r.as_bytes().len(), 64);
        assert!(registrar.m2_keys().is_none());

        // Another key in M1: M2D with 20; another ID: M2D with 0.
        let err = registrar
            .on_m1(
                enrollee.device_password_id(),
                &keys(4).key_pair().public_key(),
            )
            .unwrap_err();
        assert_eq!(err.config_error(), ConfigError::PublicKeyHashMismatch);
        let err = registrar
            .on_m1(DevicePasswordId::Default, &pk_e)
            .unwrap_err();
        assert_eq!(err.config_error(), ConfigError::NoError);
    }

    #[test]
    fn handover_both_sides_and_the_flipped_hash() {
        let uuid = Uuid([0x87; 16]);
        let station_keys = keys(5);
        let request = EnrolleeHandover::request(&station_keys, uuid);
        let ap_keys = keys(6);
        let select = HandoverSelect {
            public_key_hash: ap_keys.public_key_hash(),
            ssid: b"wpsu-test",
            rf_bands: None,
            ap_channel: None,
            bssid: Some(MacAddr([2, 0, 0, 0, 0x5a, 1])),
        };
        let enrollee = EnrolleeOob::Handover(EnrolleeHandover::new(station_keys, uuid, &select));
        let registrar = RegistrarOob::from_handover(ap_keys, &request);
        assert_eq!(
            enrollee.device_password_id(),
            DevicePasswordId::NfcConnectionHandover
        );
        let pk_e = enrollee.keys().key_pair().public_key();
        assert_eq!(
            registrar.on_m1(DevicePasswordId::NfcConnectionHandover, &pk_e),
            Ok(Exchange::Abbreviated)
        );
        let pk_r = registrar.m2_keys().unwrap().key_pair().public_key();
        assert_eq!(enrollee.on_m2(&pk_r), Ok(Exchange::Abbreviated));

        // The stale select of hostapd 2.10: M2 carries another key than the select's hash.
        let stale = keys(7).key_pair().public_key();
        assert_eq!(
            enrollee.on_m2(&stale).unwrap_err().config_error(),
            ConfigError::PublicKeyHashMismatch
        );
        // A request hash with one bit flipped: the registrar refuses M1 with 20.
        let mut flipped = request;
        flipped.public_key_hash.0[0] ^= 1;
        let registrar = RegistrarOob::from_handover(keys(6), &flipped);
        assert_eq!(
            registrar
                .on_m1(DevicePasswordId::NfcConnectionHandover, &pk_e)
                .unwrap_err()
                .config_error(),
            ConfigError::PublicKeyHashMismatch
        );
    }

    #[test]
    fn abbreviated_m2_settings_decrypt_to_the_credential() {
        let cred = CredentialRef {
            network_index: 1,
            ssid: b"wpsu-test",
            auth_type: AuthType::WPA2_PSK,
            encr_type: EncrType::AES,
            network_key_index: None,
            network_key: Some(b"wpsu-passphrase-123"),
            mac_address: MacAddr([2, 0, 0, 0, 0x5b, 1]),
            wfa: None,
            extra: Extra::NONE,
        };
        let mut plain = Vec::new();
        emit_abbreviated_m2_settings(&mut plain, &[cred]).unwrap();
        let (e, r) = (keys(5), keys(6));
        let dh_e = e.key_pair().dh_key(&r.key_pair().public_key()).unwrap();
        let dh_r = r.key_pair().dh_key(&e.key_pair().public_key()).unwrap();
        let (n1, n2, mac) = ([1; 16], [2; 16], [2, 0, 0, 0, 0x5b, 1]);
        let ke = SessionKeys::derive(&kdk(&dh_e, &n1, &mac, &n2));
        let kr = SessionKeys::derive(&kdk(&dh_r, &n1, &mac, &n2));
        let enc = encrypt_settings(kr.key_wrap_key(), kr.auth_key(), &[9; 16], &plain);
        let dec = decrypt_settings(ke.key_wrap_key(), ke.auth_key(), &enc).unwrap();
        assert_eq!(&dec[..], &plain[..]);
        // The lab's M2 carried 96 bytes of Encrypted Settings: IV + 80 bytes, a
        // 67-byte Credential (as here) + KWA, padded.
        assert_eq!(plain.len(), 67);
        assert_eq!(enc.len(), 96);
    }
}
