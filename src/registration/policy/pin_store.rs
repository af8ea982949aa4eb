//! The registrar's PIN table (hostapd `wps_registrar.c`: `wps_registrar_add_pin`,
//! `_get_pin`, `_unlock_pin`, `_invalidate_pin`, `_expire_pins`) and AuthorizedMACs.

use crate::attr::Uuid;
use crate::pin::DevicePassword;

use crate::fixed_list::FixedList;
use crate::time::{Duration, Instant, Lifetime};

/// After a PIN is added, Selected Registrar stays set in Beacons and Probe Responses
/// for **120 s** (`WPS_PBC_WALK_TIME`). The timeout clears it and purges expired PINs;
/// unexpired PINs stay usable.
pub const SELECTED_REGISTRAR_TIMEOUT: Duration = Duration::from_secs(120);

/// Entries in the WSC 2.0 AuthorizedMACs subelement: **5** (`WPS_MAX_AUTHORIZED_MACS`).
pub const AUTHORIZED_MACS_MAX: usize = 5;

/// The broadcast address, authorized for PINs (and PBC) not tied to one MAC.
pub const BROADCAST_MAC: [u8; 6] = [0xff; 6];

/// The AuthorizedMACs list advertised in Beacons/Probe Responses: newest first, at most
/// [`AUTHORIZED_MACS_MAX`], no duplicates; adding to a full list drops the oldest.
///
/// ```
/// use wps::registration::{AuthorizedMacs, BROADCAST_MAC};
///
/// let mut macs = AuthorizedMacs::new();
/// macs.insert([2, 0, 0, 0, 0, 1]);
/// macs.insert(BROADCAST_MAC);
/// macs.insert([2, 0, 0, 0, 0, 1]); // already there: ignored
/// assert!(macs.iter().eq(&[BROADCAST_MAC, [2, 0, 0, 0, 0, 1]]));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthorizedMacs {
    macs: FixedList<[u8; 6], AUTHORIZED_MACS_MAX>,
}

impl AuthorizedMacs {
    /// An empty list.
    #[must_use]
    pub const fn new() -> AuthorizedMacs {
        AuthorizedMacs {
            macs: FixedList::new(),
        }
    }

    /// The list, newest first.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &[u8; 6]> + Clone {
        self.macs.iter()
    }

    /// Number of MACs listed.
    #[must_use]
    pub fn len(&self) -> usize {
        self.macs.len()
    }

    /// Whether no MAC is listed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.macs.is_empty()
    }

    /// Adds `mac` at the front unless it is already listed; a full list drops its
    /// oldest.
    pub fn insert(&mut self, mac: [u8; 6]) {
        if self.index_of(&mac).is_some() {
            return;
        }
        if self.macs.is_full() {
            self.macs.remove(self.macs.len().saturating_sub(1));
        }
        let _ = self.macs.push_front(mac);
    }

    /// Removes `mac` wherever it is; returns whether it was listed.
    ///
    /// hostapd's `wps_registrar_remove_authorized_mac` only ever compares the first
    /// entry (it indexes the array without `[i]`), so there a MAC that is not at the
    /// head stays advertised after its PIN is gone; this removes it.
    pub fn remove(&mut self, mac: &[u8; 6]) -> bool {
        // `insert` lists a MAC once: the first match is the only one.
        match self.index_of(mac) {
            Some(index) => self.macs.remove(index).is_some(),
            None => false,
        }
    }

    /// Where `mac` is listed.
    fn index_of(&self, mac: &[u8; 6]) -> Option<usize> {
        self.macs.position(|m| m == mac)
    }

    /// Empties the list.
    pub fn clear(&mut self) {
        *self = AuthorizedMacs::new();
    }
}

/// No PIN can be handed out for this enrollee: the registrar answers M1 with M2D
/// (Config Error 0, or 15 when AP setup is locked) and raises "PIN needed".
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PinLookupError {
    /// No PIN for this UUID-E and no usable wildcard PIN (expired PINs are gone).
    #[error("no PIN for this enrollee")]
    NotFound,
    /// The PIN is in use by another, concurrent run.
    #[error("the PIN is locked by a concurrent run")]
    Locked,
}

/// The PIN table is full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the PIN store is full")]
pub struct PinStoreFull;

/// What happened to a password a registration run acquired, reported when the run
/// ends (hostapd's `wps_registrar_pin_completed` / `wps_registrar_invalidate_pin` /
/// `wps_registrar_unlock_pin`); see [`PinStore::finish_run`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordOutcome {
    /// The enrollee proved the whole password (E-Hash2 verified): delete it; Selected
    /// Registrar ends and a wildcard PIN with the same password goes too
    /// ([`PinStore::registration_completed`]).
    Used(Uuid),
    /// The password must not be used again: the second half failed E-Hash2, or M6
    /// revealed the whole password and the enrollee never proved its second half.
    Invalidate(Uuid),
    /// The run ended without revealing the password (E-Hash1 failed, NACK, timeout,
    /// M2D, …): unlock it for another try.
    Unlock(Uuid),
    /// The push-button run succeeded: stop push-button mode for this enrollee.
    PbcDone(Uuid),
}

#[derive(Debug, Clone)]
struct Entry {
    password: DevicePassword,
    /// The UUID-E the PIN is for; a wildcard PIN gets the UUID-E of the run using it.
    uuid: Option<[u8; 16]>,
    /// 0: a PIN for one UUID-E. 1: an unused wildcard PIN; 2 and 3: used once, twice.
    wildcard: u8,
    locked: bool,
    expires_at: Option<Instant>,
    mac: Option<[u8; 6]>,
}

/// What [`PinStore::find`] looks for: one predicate for every search of the table, so
/// the search is linked once (a closure per search inlined it into each caller).
#[derive(Clone, Copy)]
enum Wanted<'a> {
    /// The PIN bound to this UUID-E, wildcard or not.
    Bound(&'a [u8; 16]),
    /// The PIN added for exactly this UUID-E (not a wildcard).
    For(&'a [u8; 16]),
    /// A wildcard PIN used fewer than two times.
    UsableWildcard,
    /// A wildcard PIN never used and not locked.
    UnusedWildcard,
    /// A wildcard PIN, with this password when one is given.
    Wildcard(Option<&'a DevicePassword>),
    /// A PIN whose lifetime has passed at this time.
    ExpiredAt(Instant),
}

impl Entry {
    fn is(&self, wanted: Wanted<'_>) -> bool {
        match wanted {
            Wanted::Bound(uuid_e) => self.uuid.as_ref() == Some(uuid_e),
            Wanted::For(uuid_e) => !self.is_wildcard() && self.uuid.as_ref() == Some(uuid_e),
            Wanted::UsableWildcard => self.wildcard == 1 || self.wildcard == 2,
            Wanted::UnusedWildcard => self.wildcard == 1 && !self.locked,
            Wanted::Wildcard(password) => {
                self.is_wildcard() && password.is_none_or(|p| *p == self.password)
            }
            Wanted::ExpiredAt(now) => self.is_expired(now),
        }
    }

    fn is_wildcard(&self) -> bool {
        self.wildcard != 0
    }

    /// hostapd expires lazily with a strict comparison: still usable at the deadline.
    fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|at| at < now)
    }
}

/// The registrar's PINs: one per enrollee UUID-E, plus wildcard ("any") PINs, at most
/// `N` (default 8) in a fixed table, newest first.
///
/// Rules, as hostapd's registrar:
/// * [`add`](Self::add): a PIN for a UUID-E, or a wildcard (`uuid = None`); adding a
///   wildcard first removes the newest wildcard PIN that is still unused and not
///   locked (so an operator typing a new "any" PIN replaces the old one). Sets
///   Selected Registrar for
///   [`SELECTED_REGISTRAR_TIMEOUT`] and puts the MAC (or broadcast) in AuthorizedMACs.
/// * [`lookup`](Self::lookup) on M1: expired PINs go first; then the PIN for exactly this
///   UUID-E; otherwise the first wildcard PIN used fewer than two times, which is bound
///   to this UUID-E and counted. The PIN is *locked* for the run; a locked PIN is refused.
/// * [`finish_run`](Self::finish_run): success, E-Hash2 failure or a revealed PIN delete
///   it; anything else only unlocks it, except that a wildcard PIN used twice is deleted
///   on unlock. So a wildcard PIN serves at most two runs.
/// * Expiry: a PIN added with a [`Lifetime`] is gone once that time has *passed* (still
///   usable exactly at the deadline), checked on every lookup and at the
///   Selected Registrar timeout.
///
/// Deviation: hostapd binds a wildcard PIN to the new UUID-E *before* checking its lock,
/// so a concurrent second run re-binds a locked wildcard PIN and the first run's unlock
/// can no longer find it (it stays locked). Here a locked PIN is refused untouched.
///
/// Push-button state is separate ([`PbcMonitor`](super::PbcMonitor)); hostapd's
/// registrar also leaves PBC mode when a PIN is added and its Selected Registrar timer is
/// shared with PBC, which the registration machine coordinates.
///
/// ```
/// use wps::pin::{DevicePassword, Pin};
/// use wps::attr::Uuid;
/// use wps::registration::{PasswordOutcome, PinLookupError, PinStore};
/// use wps::time::{Duration, Instant, Lifetime};
///
/// let mut store = PinStore::<4>::new();
/// let t = Instant::ZERO;
/// let pin = DevicePassword::from(&Pin::parse("12345670")?);
/// store.add(t, None, pin.clone(), Lifetime::Forever, None)?;
/// assert!(store.selected_registrar());
///
/// // Selected Registrar times out after 120 s (the PIN stays usable).
/// assert_eq!(store.poll_timeout(), Some(t + Duration::from_secs(120)));
/// assert!(store.handle_timeout(t + Duration::from_secs(120)));
/// assert!(!store.selected_registrar());
///
/// let enrollee = [7u8; 16];
/// assert_eq!(store.lookup(t, &enrollee), Ok(pin.clone()));
/// assert_eq!(store.lookup(t, &enrollee), Err(PinLookupError::Locked));
/// store.finish_run(PasswordOutcome::Used(Uuid(enrollee)));
/// assert_eq!(store.lookup(t, &enrollee), Err(PinLookupError::NotFound));
///
/// // A success ends Selected Registrar at once.
/// store.add(t, None, pin.clone(), Lifetime::Forever, None)?;
/// assert_eq!(store.lookup(t, &enrollee), Ok(pin.clone()));
/// store.finish_run(PasswordOutcome::Used(Uuid(enrollee)));
/// assert!(!store.selected_registrar());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct PinStore<const N: usize = 8> {
    entries: FixedList<Entry, N>,
    selected_registrar: bool,
    selected_registrar_until: Option<Instant>,
    authorized_macs: AuthorizedMacs,
}

impl<const N: usize> Default for PinStore<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> PinStore<N> {
    /// An empty store; Selected Registrar off.
    #[must_use]
    pub const fn new() -> Self {
        PinStore {
            entries: FixedList::new(),
            selected_registrar: false,
            selected_registrar_until: None,
            authorized_macs: AuthorizedMacs::new(),
        }
    }

    /// Adds a PIN at `now`: for one enrollee (`uuid = Some`) or for any (`None`), valid
    /// for `lifetime`, optionally tied to the enrollee's MAC for AuthorizedMACs.
    ///
    /// # Errors
    /// [`PinStoreFull`] when all `N` slots hold PINs (nothing is changed then).
    pub fn add(
        &mut self,
        now: Instant,
        uuid: Option<[u8; 16]>,
        password: DevicePassword,
        lifetime: Lifetime,
        mac: Option<[u8; 6]>,
    ) -> Result<(), PinStoreFull> {
        let wildcard = uuid.is_none();
        let replaced = if wildcard {
            self.find(Wanted::UnusedWildcard)
        } else {
            None
        };
        if self.entries.is_full() && replaced.is_none() {
            return Err(PinStoreFull);
        }
        if let Some(index) = replaced {
            self.remove_at(index);
        }
        let entry = Entry {
            password,
            uuid,
            wildcard: u8::from(wildcard),
            locked: false,
            expires_at: lifetime.deadline(now),
            mac,
        };
        self.entries.push_front(entry).map_err(|_| PinStoreFull)?;
        self.selected_registrar = true;
        self.selected_registrar_until = Some(now.saturating_add(SELECTED_REGISTRAR_TIMEOUT));
        self.authorized_macs.insert(mac.unwrap_or(BROADCAST_MAC));
        Ok(())
    }

    /// The device password for the enrollee `uuid_e` whose M1 arrived at `now`, locked
    /// for this run. See the type docs for the order of the search.
    ///
    /// # Errors
    /// [`PinLookupError::NotFound`] or [`PinLookupError::Locked`]: answer with M2D.
    pub fn lookup(
        &mut self,
        now: Instant,
        uuid_e: &[u8; 16],
    ) -> Result<DevicePassword, PinLookupError> {
        self.expire(now);
        let index = self
            .find(Wanted::For(uuid_e))
            .or_else(|| self.find(Wanted::UsableWildcard))
            .ok_or(PinLookupError::NotFound)?;
        let entry = self
            .entries
            .get_mut(index)
            .ok_or(PinLookupError::NotFound)?;
        if entry.locked {
            return Err(PinLookupError::Locked);
        }
        if entry.is_wildcard() {
            entry.uuid = Some(*uuid_e);
            // Only wildcard PINs used fewer than twice are picked: at most 3 after this.
            entry.wildcard = entry.wildcard.saturating_add(1);
        }
        entry.locked = true;
        Ok(entry.password.clone())
    }

    /// Ends a run per its [`PasswordOutcome`]: the PIN of its enrollee is deleted
    /// (`Used`, `Invalidate`) or unlocked (`Unlock`); returns whether a PIN was found
    /// (`PbcDone` concerns no PIN: `false`).
    pub fn finish_run(&mut self, outcome: PasswordOutcome) -> bool {
        let (PasswordOutcome::Used(u)
        | PasswordOutcome::Invalidate(u)
        | PasswordOutcome::Unlock(u)) = outcome
        else {
            return false;
        };
        let Some(index) = self.index_of(&u.0) else {
            return false;
        };
        match outcome {
            PasswordOutcome::Used(_) => {
                // hostapd's wps_registrar_complete after the PIN's own deletion:
                // Selected Registrar ends and a wildcard PIN with the same password goes.
                let password = self.entries.get_mut(index).map(|e| e.password.clone());
                self.remove_at(index);
                if let Some(password) = password {
                    self.registration_completed(&password);
                }
            }
            PasswordOutcome::Unlock(_) => self.unlock_at(index),
            // `PbcDone` returned above.
            PasswordOutcome::Invalidate(_) | PasswordOutcome::PbcDone(_) => {
                self.remove_at(index);
            }
        }
        true
    }

    /// Unlocks the PIN of `uuid_e` (`wps_registrar_unlock_pin`); a wildcard PIN used
    /// twice is deleted instead. Returns whether a PIN was found.
    pub fn unlock(&mut self, uuid_e: &[u8; 16]) -> bool {
        let found = self.index_of(uuid_e);
        if let Some(index) = found {
            self.unlock_at(index);
        }
        found.is_some()
    }

    /// Deletes the PIN of `uuid_e` (`wps_registrar_invalidate_pin`); returns whether
    /// one was found.
    pub fn invalidate(&mut self, uuid_e: &[u8; 16]) -> bool {
        let found = self.index_of(uuid_e);
        if let Some(index) = found {
            self.remove_at(index);
        }
        found.is_some()
    }

    /// Where the PIN of `uuid_e` is held.
    fn index_of(&self, uuid_e: &[u8; 16]) -> Option<usize> {
        self.find(Wanted::Bound(uuid_e))
    }

    /// Where the first PIN that is `wanted` is held.
    #[inline(never)]
    fn find(&self, wanted: Wanted<'_>) -> Option<usize> {
        self.entries.position(|e| e.is(wanted))
    }

    /// [`unlock`](Self::unlock) of the PIN at `index`.
    fn unlock_at(&mut self, index: usize) {
        match self.entries.get_mut(index) {
            Some(entry) if entry.wildcard >= 3 => {
                self.remove_at(index);
            }
            Some(entry) => entry.locked = false,
            None => {}
        }
    }

    /// Deletes the first wildcard PIN, or the first with this password when one is
    /// given (`wps_registrar_invalidate_wildcard_pin`); returns whether one was found.
    pub fn invalidate_wildcard(&mut self, password: Option<&DevicePassword>) -> bool {
        match self.find(Wanted::Wildcard(password)) {
            Some(index) => {
                self.remove_at(index);
                true
            }
            None => false,
        }
    }

    /// A PIN registration completed (on this or another interface): Selected Registrar
    /// is cleared and a wildcard PIN with the same password is deleted.
    pub fn registration_completed(&mut self, password: &DevicePassword) {
        self.clear_selected_registrar();
        self.invalidate_wildcard(Some(password));
    }

    /// `WPS_CANCEL` in PIN mode: if Selected Registrar is set, clear it and delete the
    /// first wildcard PIN. Returns whether there was anything to cancel.
    pub fn cancel(&mut self) -> bool {
        if !self.selected_registrar {
            return false;
        }
        self.clear_selected_registrar();
        self.invalidate_wildcard(None);
        true
    }

    /// Deletes every PIN whose lifetime has passed at `now`; returns how many.
    pub fn expire(&mut self, now: Instant) -> usize {
        let mut removed = 0usize;
        while let Some(index) = self.find(Wanted::ExpiredAt(now)) {
            self.remove_at(index);
            // At most N removals: cannot saturate.
            removed = removed.saturating_add(1);
        }
        removed
    }

    /// Whether Selected Registrar should be advertised.
    #[must_use]
    pub fn selected_registrar(&self) -> bool {
        self.selected_registrar
    }

    /// The AuthorizedMACs to advertise.
    #[must_use]
    pub fn authorized_macs(&self) -> &AuthorizedMacs {
        &self.authorized_macs
    }

    /// Number of PINs held (expired ones included until the next lookup or timeout).
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no PIN is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.entries.len() == 0
    }

    /// The Selected Registrar deadline. PIN lifetimes are not timers in hostapd (they
    /// are checked lazily), so they do not appear here; call [`expire`](Self::expire)
    /// whenever you want them gone sooner.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.selected_registrar_until
    }

    /// Handles the Selected Registrar timeout: when its deadline has come, Selected
    /// Registrar is cleared and expired PINs are purged. Returns `true` if it fired.
    pub fn handle_timeout(&mut self, now: Instant) -> bool {
        match self.selected_registrar_until {
            Some(at) if at <= now => {
                self.clear_selected_registrar();
                self.expire(now);
                true
            }
            _ => false,
        }
    }

    /// Ends Selected Registrar for PINs now (its timer too); the PINs stay usable.
    /// hostapd does so when the button is pressed: from then on push-button mode alone
    /// decides Selected Registrar.
    pub fn clear_selected_registrar(&mut self) {
        self.selected_registrar = false;
        self.selected_registrar_until = None;
    }

    fn remove_at(&mut self, index: usize) {
        if let Some(entry) = self.entries.remove(index) {
            self.authorized_macs
                .remove(&entry.mac.unwrap_or(BROADCAST_MAC));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorized_macs_remove_finds_any_place() {
        let mut macs = AuthorizedMacs::new();
        for last in 1..=3 {
            macs.insert([2, 0, 0, 0, 0, last]);
        }
        // Not the head (hostapd only compares the head).
        assert!(macs.remove(&[2, 0, 0, 0, 0, 2]));
        assert!(!macs.remove(&[2, 0, 0, 0, 0, 2]));
        assert!(macs.iter().eq(&[[2, 0, 0, 0, 0, 3], [2, 0, 0, 0, 0, 1]]));
        assert!(macs.remove(&[2, 0, 0, 0, 0, 1]));
        assert!(macs.iter().eq(&[[2, 0, 0, 0, 0, 3]]));
        assert!(!macs.remove(&BROADCAST_MAC));
        assert_eq!(macs.len(), 1);
    }
}
