//! The bounded table of APs heard, fed one frame at a time.

use super::facts::{ApInfo, Damage, DeviceFacts, Text, WscVersion};
use super::frame::{Frame, Radio};
use super::{DEFAULT_MAX_AGE, MAX_WPS_ATTRIBUTES};
use crate::attr::{AttrType, MacAddr, WscState};
use crate::eap::element::{self, Damaged, Elements};
use crate::message::MessageError;
use crate::message::macros::{Lookup, Picked, Source, layout};
use crate::registration::PBC_WALK_TIME;
use crate::time::{Duration, Instant};

/// What [`ScanTable::ingest`] did with a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Ingested {
    /// A new AP entered the table (evicting the stalest one if the table was full).
    Added,
    /// A known AP's facts were refreshed.
    Updated,
    /// A known AP no longer advertises WPS: it left the table.
    Removed,
    /// No WPS IE from an unknown AP: nothing to keep.
    NotWps,
    /// The WPS IE could not be used ([`Damage`]); a known AP keeps its last facts, with
    /// the damage noted.
    Unusable(Damage),
}

/// The APs heard in Beacons and Probe Responses, at most `N`, with no heap: their WPS
/// facts, their WSC 2.0 notes, and (in [`choice`](super::choice)) which one to join.
///
/// Entries age out: an AP not heard for [`max_age`](Self::max_age) (default
/// [`DEFAULT_MAX_AGE`]) no longer counts and makes room for others. When the table is
/// full, a new AP replaces the AP heard least recently among those not in active
/// push-button mode (so a flood of fake APs cannot push a real PBC AP out and hide an
/// overlap), or the least recently heard of all when every AP is in push-button mode.
///
/// ```
/// use wps::attr::{DevicePasswordId, MacAddr, WscState};
/// use wps::message::ie::Beacon;
/// use wps::scan::{Frame, FrameKind, Ingested, ScanTable};
/// use wps::time::Instant;
///
/// let beacon = Beacon {
///     selected_registrar: true,
///     device_password_id: Some(DevicePasswordId::PushButton),
///     ..Beacon::new(WscState::Configured)
/// };
/// let mut elements = vec![0, 4, b'h', b'o', b'm', b'e'];
/// wps::eap::element::split_vec(&beacon.to_bytes(), &mut elements);
///
/// let mut table = ScanTable::<16>::new();
/// let bssid = MacAddr([2, 0, 0, 0, 0, 1]);
/// let frame = Frame::new(FrameKind::Beacon, bssid, &elements);
/// assert_eq!(table.ingest(&frame, Instant::from_secs(1)), Ingested::Added);
/// let ap = table.get(bssid).unwrap();
/// assert!(ap.pbc_active());
/// assert_eq!(ap.ssid.as_bytes(), b"home");
/// assert_eq!(ap.version.to_string(), "2.0");
/// ```
#[derive(Debug, Clone)]
pub struct ScanTable<const N: usize> {
    /// BSSIDs of the entries as numbers ([`key`]), for a lookup that touches only
    /// these words.
    keys: [u64; N],
    /// The entries: the first `len` are `Some`.
    entries: [Option<ApInfo>; N],
    len: usize,
    max_age: Duration,
}

impl<const N: usize> Default for ScanTable<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> ScanTable<N> {
    /// An empty table whose entries age out after [`DEFAULT_MAX_AGE`].
    pub fn new() -> Self {
        ScanTable {
            keys: [0; N],
            entries: [None; N],
            len: 0,
            max_age: DEFAULT_MAX_AGE,
        }
    }

    /// The same table with entries aging out after `max_age`.
    #[must_use]
    pub fn with_max_age(mut self, max_age: Duration) -> Self {
        self.max_age = max_age;
        self
    }

    /// How long an AP counts after it was last heard.
    pub fn max_age(&self) -> Duration {
        self.max_age
    }

    /// Forgets every AP (e.g. when the button is pressed, to judge only what is heard
    /// from then on).
    pub fn clear(&mut self) {
        self.entries = [None; N];
        self.len = 0;
    }

    /// The AP with this BSSID, if it is in the table (fresh or not).
    pub fn get(&self, bssid: MacAddr) -> Option<&ApInfo> {
        self.position(bssid)
            .and_then(|i| self.entries.get(i))
            .and_then(Option::as_ref)
    }

    /// The APs heard within [`max_age`](Self::max_age) before `now`, in table order.
    pub fn fresh(&self, now: Instant) -> impl Iterator<Item = &ApInfo> + '_ {
        self.iter().filter(move |ap| self.is_fresh(ap, now))
    }

    /// Every AP in the table, stale ones included, in table order.
    pub fn iter(&self) -> impl Iterator<Item = &ApInfo> + '_ {
        self.entries
            .iter()
            .take(self.len)
            .filter_map(Option::as_ref)
    }

    /// Number of APs in the table.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Drops the APs not heard within [`max_age`](Self::max_age) before `now`.
    pub fn expire(&mut self, now: Instant) {
        let mut i = 0;
        while i < self.len {
            let stale = self
                .entries
                .get(i)
                .and_then(Option::as_ref)
                .is_some_and(|ap| !self.is_fresh(ap, now));
            if stale {
                self.remove_at(i);
            } else {
                // i < len <= N: cannot saturate.
                i = i.saturating_add(1);
            }
        }
    }

    pub(crate) fn is_fresh(&self, ap: &ApInfo, now: Instant) -> bool {
        now.saturating_duration_since(ap.last_seen) <= self.max_age
    }

    /// Whether `ap` was in active push-button mode in its last frame, heard within the
    /// walk time before `now`.
    pub(crate) fn pbc_current(&self, ap: &ApInfo, now: Instant) -> bool {
        ap.pbc_active()
            && self.is_fresh(ap, now)
            && now.saturating_duration_since(ap.last_seen) <= PBC_WALK_TIME
    }

    /// Reads one Beacon or Probe Response heard at `now`. Allocation-free: the WPS
    /// attributes are read in place when the AP sent one WPS element (the usual case),
    /// else joined on the stack.
    pub fn ingest(&mut self, frame: &Frame<'_>, now: Instant) -> Ingested {
        // One walk over the elements: the radio facts, the WPS payload, the damage.
        let mut radio = Radio::default();
        let mut first_wps: &[u8] = &[];
        let mut wps_elements = 0usize;
        let mut damaged: Option<Damaged> = None;
        for e in Elements::new(frame.elements) {
            match e {
                Ok(e) => match e.wps_payload() {
                    Some(p) => {
                        if wps_elements == 0 {
                            first_wps = p;
                        }
                        wps_elements = wps_elements.saturating_add(1);
                    }
                    None => radio.read(&e),
                },
                Err(element::ElementError::Truncated { offset }) => {
                    damaged = Some(Damaged { offset });
                    break;
                }
                Err(element::ElementError::Write(_)) => break,
            }
        }
        if wps_elements == 0 {
            return match (self.position(frame.bssid), damaged) {
                (Some(i), None) => {
                    self.remove_at(i);
                    Ingested::Removed
                }
                // Damage may have hidden the WPS elements: keep what is known.
                (Some(i), Some(d)) => self.note_damage(i, now, d.into()),
                (None, None) => Ingested::NotWps,
                (None, Some(d)) => Ingested::Unusable(d.into()),
            };
        }
        if wps_elements == 1 {
            self.update(frame, now, radio, first_wps, damaged)
        } else {
            self.ingest_joined(frame, now, radio, damaged)
        }
    }

    /// Two or more WPS elements: join them on the stack first (rare; kept out of the
    /// usual path so its buffer is not set up for every frame).
    #[inline(never)]
    fn ingest_joined(
        &mut self,
        frame: &Frame<'_>,
        now: Instant,
        radio: Radio<'_>,
        damaged: Option<Damaged>,
    ) -> Ingested {
        let mut scratch = [0u8; MAX_WPS_ATTRIBUTES];
        match element::join(frame.elements, &mut scratch) {
            Ok(joined) => {
                let attrs = scratch.get(..joined.len).unwrap_or_default();
                self.update(frame, now, radio, attrs, damaged)
            }
            Err(_) => self.unusable(frame.bssid, now, Damage::TooLong),
        }
    }

    /// A frame whose WPS IE could not be used: noted on a known AP.
    #[cold]
    fn unusable(&mut self, bssid: MacAddr, now: Instant, damage: Damage) -> Ingested {
        match self.position(bssid) {
            Some(i) => self.note_damage(i, now, damage),
            None => Ingested::Unusable(damage),
        }
    }

    /// A known AP was heard but its WPS IE could not be used.
    fn note_damage(&mut self, i: usize, now: Instant, damage: Damage) -> Ingested {
        if let Some(ap) = self.entries.get_mut(i).and_then(Option::as_mut) {
            ap.damage = Some(damage);
            ap.last_seen = now;
        }
        Ingested::Unusable(damage)
    }

    fn update(
        &mut self,
        frame: &Frame<'_>,
        now: Instant,
        radio: Radio<'_>,
        attrs: &[u8],
        damaged: Option<Damaged>,
    ) -> Ingested {
        // hostapd's attribute rules, through the parser the message types use, keeping
        // only the attributes the scan reads.
        let mut a = Picked::<ScanLayout, { Lookup::size(SCAN_ATTRS) }>::new(attrs);
        if let Err(e) = a.fill() {
            return self.unusable(frame.bssid, now, Damage::Attributes(e.into()));
        }
        // Version and WSC State are what hostapd requires of a Beacon's WPS IE.
        let (Some(&[_]), Some(&[wsc_state])) =
            (a.src_get(AttrType::Version), a.src_get(AttrType::WscState))
        else {
            let missing = if a.src_get(AttrType::Version).is_none() {
                AttrType::Version
            } else {
                AttrType::WscState
            };
            return self.unusable(
                frame.bssid,
                now,
                Damage::Attributes(MessageError::Missing(missing)),
            );
        };
        let wfa = a.src_wfa();
        let (i, change) = match self.position(frame.bssid) {
            Some(i) => (i, Ingested::Updated),
            None => (self.make_room(frame.bssid, now), Ingested::Added),
        };
        let Some(slot) = self.entries.get_mut(i) else {
            return Ingested::NotWps;
        };
        let ap = slot.get_or_insert_with(|| ApInfo {
            bssid: frame.bssid,
            ssid: Text::new(),
            channel: None,
            signal: None,
            first_seen: now,
            last_seen: now,
            last_frame: frame.kind,
            wsc_state: WscState::from(wsc_state),
            version: WscVersion::V1,
            ap_setup_locked: false,
            selected_registrar: false,
            device_password_id: None,
            selected_registrar_config_methods: None,
            authorized_macs: Default::default(),
            uuid: None,
            rf_bands: None,
            device: DeviceFacts::default(),
            notes: Default::default(),
            damage: None,
        });
        // A hidden SSID (empty or zeros) does not hide one learnt before.
        if let Some(ssid) = radio.ssid.filter(|s| s.iter().any(|b| *b != 0))
            && ap.ssid.as_bytes() != ssid
        {
            ap.ssid = Text::from_bytes(ssid);
        }
        ap.channel = radio.channel.or(ap.channel);
        ap.signal = frame.signal.or(ap.signal);
        ap.last_seen = now;
        ap.last_frame = frame.kind;
        ap.wsc_state = WscState::from(wsc_state);
        ap.version = match wfa.and_then(|w| w.version2) {
            Some(v) => WscVersion::V2(v),
            None => WscVersion::V1,
        };
        // Booleans as hostapd reads them: present and non-zero.
        ap.ap_setup_locked = a.src_flag(AttrType::ApSetupLocked);
        ap.selected_registrar = a.src_flag(AttrType::SelectedRegistrar);
        ap.device_password_id = a.src_value(AttrType::DevicePasswordId);
        ap.selected_registrar_config_methods =
            a.src_value(AttrType::SelectedRegistrarConfigMethods);
        ap.authorized_macs = Default::default();
        if let Some(w) = wfa {
            for m in w.authorized_macs() {
                if ap.authorized_macs.push(m).is_err() {
                    break;
                }
            }
        }
        ap.uuid = a.src_value(AttrType::UuidE).or(ap.uuid);
        ap.rf_bands = a.src_value(AttrType::RfBands).or(ap.rf_bands);
        read_device(&mut ap.device, &a);
        ap.damage = damaged.map(Damage::Element);
        ap.judge(frame.capability, radio.ciphers);
        change
    }

    fn position(&self, bssid: MacAddr) -> Option<usize> {
        let k = key(bssid);
        self.keys
            .get(..self.len)
            .and_then(|keys| keys.iter().position(|x| *x == k))
    }

    /// A free slot for `bssid`: the next one, or one made by dropping stale entries, or
    /// the least recently heard AP not in push-button mode (of all, if all are).
    fn make_room(&mut self, bssid: MacAddr, now: Instant) -> usize {
        if self.len >= N {
            self.expire(now);
        }
        if self.len >= N {
            let victim = self
                .oldest(|ap| !ap.pbc_active())
                .or_else(|| self.oldest(|_| true));
            if let Some(v) = victim {
                self.remove_at(v);
            }
        }
        let i = self.len;
        if let Some(k) = self.keys.get_mut(i) {
            *k = key(bssid);
            // i < N: cannot saturate.
            self.len = self.len.saturating_add(1);
        }
        i
    }

    fn oldest(&self, eligible: impl Fn(&ApInfo) -> bool) -> Option<usize> {
        self.entries
            .iter()
            .take(self.len)
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|ap| (i, ap)))
            .filter(|(_, ap)| eligible(ap))
            .min_by_key(|(_, ap)| ap.last_seen)
            .map(|(i, _)| i)
    }

    /// Removes entry `i`, moving the last entry into its place.
    fn remove_at(&mut self, i: usize) {
        let Some(last) = self.len.checked_sub(1) else {
            return;
        };
        self.keys.swap(i, last.min(N.saturating_sub(1)));
        self.entries.swap(i, last.min(N.saturating_sub(1)));
        if let Some(e) = self.entries.get_mut(last) {
            *e = None;
        }
        self.len = last;
    }
}

/// A BSSID as a number: one compare per entry when looking it up.
fn key(bssid: MacAddr) -> u64 {
    let [a, b, c, d, e, f] = bssid.0;
    u64::from_le_bytes([a, b, c, d, e, f, 0, 0])
}

/// The attributes the scan reads (the rest are checked by the walk, then skipped).
const SCAN_ATTRS: &[&[AttrType]] = &[&[
    AttrType::Version,
    AttrType::WscState,
    AttrType::ApSetupLocked,
    AttrType::SelectedRegistrar,
    AttrType::DevicePasswordId,
    AttrType::SelectedRegistrarConfigMethods,
    AttrType::UuidE,
    AttrType::RfBands,
    AttrType::DeviceName,
    AttrType::Manufacturer,
    AttrType::ModelName,
    AttrType::ModelNumber,
    AttrType::SerialNumber,
    AttrType::PrimaryDeviceType,
    AttrType::ConfigMethods,
    AttrType::ResponseType,
]];

// Where the walk puts each of [`SCAN_ATTRS`].
layout!(ScanLayout = SCAN_ATTRS);

/// The device attributes present in the frame (absent ones keep their last value).
fn read_device<'a>(d: &mut DeviceFacts, a: &impl Source<'a>) {
    if let Some(v) = a.src_get(AttrType::DeviceName) {
        d.device_name = Text::from_bytes(v);
    }
    if let Some(v) = a.src_get(AttrType::Manufacturer) {
        d.manufacturer = Text::from_bytes(v);
    }
    if let Some(v) = a.src_get(AttrType::ModelName) {
        d.model_name = Text::from_bytes(v);
    }
    if let Some(v) = a.src_get(AttrType::ModelNumber) {
        d.model_number = Text::from_bytes(v);
    }
    if let Some(v) = a.src_get(AttrType::SerialNumber) {
        d.serial_number = Text::from_bytes(v);
    }
    d.primary_device_type = a
        .src_value(AttrType::PrimaryDeviceType)
        .or(d.primary_device_type);
    d.config_methods = a.src_value(AttrType::ConfigMethods).or(d.config_methods);
    d.response_type = a.src_value(AttrType::ResponseType).or(d.response_type);
}
