//! The NFC password tokens an access point's registrar has read from enrollees
//! (hostapd's `wps_nfc_tag_read` and its `nfc_pw_tokens` list), consulted when an M1
//! names a Device Password ID of 0x10 or above.

use crate::attr::{ConfigError, DevicePasswordId, Uuid};
use crate::fixed_list::FixedList;
use crate::nfc::{Exchange, M1Refusal, PasswordToken, PublicKeyHash, RegistrarOob, TokenPassword};
use crate::pin::DevicePassword;

/// How many tokens are kept; reading one more forgets the oldest.
pub const MAX_NFC_TOKENS: usize = 8;

/// One token read from an enrollee, and the run (by UUID-E) that holds it.
#[derive(Debug, Clone)]
struct Entry {
    enrollee_hash: PublicKeyHash,
    password_id: u16,
    password: TokenPassword,
    held_by: Option<Uuid>,
}

impl Entry {
    fn oob(&self) -> RegistrarOob {
        RegistrarOob::PasswordToken {
            enrollee_hash: self.enrollee_hash,
            password_id: self.password_id,
            password: self.password.clone(),
        }
    }
}

/// What a token lookup found for an M1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenLookup {
    /// No token has this Device Password ID.
    None,
    /// The token's password (as its uppercase hex string); the token is held by the run.
    Found(DevicePassword),
    /// A token has this ID but M1's public key does not match its hash: M2D with this
    /// error (20).
    Refused(ConfigError),
}

/// Up to [`MAX_NFC_TOKENS`] enrollee password tokens, newest first. A token is
/// forgotten once a registration with it succeeds (or revealed its password).
#[derive(Debug, Clone, Default)]
pub struct NfcTokens {
    entries: FixedList<Entry, MAX_NFC_TOKENS>,
}

impl NfcTokens {
    /// Keeps `token` for the next M1 with its Device Password ID. A token with the same
    /// ID is replaced; when the list is full, the oldest is forgotten.
    pub fn add(&mut self, token: &PasswordToken<'_>) {
        let id = token.password_id;
        self.entries.remove_all(|e| e.password_id == id);
        if self.entries.is_full() {
            let oldest = self.entries.len().saturating_sub(1);
            let _ = self.entries.remove(oldest);
        }
        let _ = self.entries.push_front(Entry {
            enrollee_hash: token.public_key_hash,
            password_id: id,
            password: token.password(),
            held_by: None,
        });
    }

    /// How many tokens are kept.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no token is kept.
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// The Device Password ID of the newest token (what Beacons advertise).
    pub fn newest_password_id(&self) -> Option<u16> {
        self.entries.iter().next().map(|e| e.password_id)
    }

    /// Forgets every token.
    pub fn clear(&mut self) {
        self.entries.remove_all(|_| true);
    }

    /// The token for an M1 from `uuid_e` with `device_password_id` and `public_key`.
    pub(crate) fn lookup(
        &mut self,
        uuid_e: Uuid,
        device_password_id: DevicePasswordId,
        public_key: &[u8],
    ) -> TokenLookup {
        let id = u16::from(device_password_id);
        let Some(index) = self.entries.position(|e| e.password_id == id) else {
            return TokenLookup::None;
        };
        let Some(entry) = self.entries.get_mut(index) else {
            return TokenLookup::None;
        };
        match entry.oob().on_m1(device_password_id, public_key) {
            Ok(Exchange::Full(password)) => {
                entry.held_by = Some(uuid_e);
                TokenLookup::Found(password)
            }
            Ok(Exchange::Abbreviated) => TokenLookup::None,
            Err(e @ M1Refusal::PublicKeyHash(_)) => TokenLookup::Refused(e.config_error()),
            Err(_) => TokenLookup::None,
        }
    }

    /// The run of `uuid_e` ended: with `forget`, the token it held is removed, otherwise
    /// released for another try. Whether it held one.
    pub(crate) fn finish(&mut self, uuid_e: &Uuid, forget: bool) -> bool {
        let held = |e: &Entry| e.held_by.as_ref() == Some(uuid_e);
        let Some(index) = self.entries.position(held) else {
            return false;
        };
        if forget {
            let _ = self.entries.remove(index);
        } else if let Some(e) = self.entries.get_mut(index) {
            e.held_by = None;
        }
        true
    }
}
