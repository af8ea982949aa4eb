//! hostapd's attribute parser (`wps_parse_msg`), typed and allocation-free.
//!
//! [`Attributes::parse`] walks a TLV stream once and records where each attribute's value
//! is, applying exactly the rules hostapd's `wps_parse_msg` and `wps_set_attr` apply:
//!
//! * a truncated header or a length running past the end rejects the whole message;
//! * a fixed-length attribute with another length rejects the whole message;
//! * SSID and Device Name longer than 32 bytes, and a Public Key outside 190..=192 bytes,
//!   are ignored (treated as absent); Manufacturer is kept to 64 bytes, Model Name, Model
//!   Number and Serial Number to 32;
//! * a repeated single-valued attribute: the last one wins;
//! * Credentials and Requested Device Types: the first 10 are kept, more are skipped;
//!   vendor extensions of other vendors: at most 10 of at most 1024 bytes, else the message
//!   is rejected; a Vendor Extension shorter than its vendor ID is skipped;
//! * unknown attributes are skipped (their bytes stay in [`Attributes::raw`]);
//! * hostapd's two workarounds for deployed peers: trailing zero padding after the last
//!   attribute, and one stray octet after a Network Key.
//!
//! ```
//! use wps::attr::{Attributes, AttrType, MessageType};
//! let m = [0x10, 0x4a, 0x00, 0x01, 0x10,  0x10, 0x22, 0x00, 0x01, 0x0d];
//! let attrs = Attributes::parse(&m)?;
//! assert_eq!(attrs.message_type(), Some(MessageType::WscAck));
//! assert_eq!(attrs.get(AttrType::Version), Some(&[0x10][..]));
//! assert_eq!(attrs.get(AttrType::UuidE), None);
//! # Ok::<(), wps::attr::AttrError>(())
//! ```

use super::vendor::{VendorError, WfaExtension, subelement};
use super::{AttrType, LengthRule, MessageType};
use crate::fixed_list::FixedList;
use crate::tlv::{HEADER_LEN, TlvError, WFA_VENDOR_ID};

/// hostapd keeps at most this many Credential attributes per message.
pub const MAX_CREDENTIALS: usize = 10;
/// hostapd keeps at most this many Requested Device Type attributes per message.
pub const MAX_REQUESTED_DEVICE_TYPES: usize = 10;
/// hostapd accepts at most this many non-WFA vendor extensions per message.
pub const MAX_VENDOR_EXTENSIONS: usize = 10;
/// hostapd accepts non-WFA vendor extensions of at most this many bytes.
pub const MAX_VENDOR_EXTENSION_LEN: usize = 1024;

/// Why a message's attributes were rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AttrError {
    /// The TLV framing itself is broken.
    #[error(transparent)]
    Tlv(#[from] TlvError),
    /// A fixed-length attribute had another length.
    #[error("{attr} has length {len}, expected {expected}")]
    BadLength {
        /// The attribute.
        attr: AttrType,
        /// Its length.
        len: usize,
        /// The length hostapd requires.
        expected: usize,
    },
    /// A Secondary Device Type List longer than 128 bytes or not a multiple of 8.
    #[error("Secondary Device Type List has invalid length {len}")]
    SecondaryDeviceTypeList {
        /// Its length.
        len: usize,
    },
    /// An OOB Device Password outside 22..=54 bytes, or with a short password that is not
    /// for NFC connection handover.
    #[error("OOB Device Password has invalid length {len}")]
    OobDevicePassword {
        /// Its length.
        len: usize,
    },
    /// A malformed WFA vendor extension subelement.
    #[error(transparent)]
    Vendor(#[from] VendorError),
    /// More than [`MAX_VENDOR_EXTENSIONS`] vendor extensions of other vendors.
    #[error("more than {MAX_VENDOR_EXTENSIONS} vendor extensions")]
    TooManyVendorExtensions,
    /// A vendor extension of another vendor longer than [`MAX_VENDOR_EXTENSION_LEN`].
    #[error("vendor extension of {len} bytes exceeds {MAX_VENDOR_EXTENSION_LEN}")]
    VendorExtensionTooLong {
        /// Its length.
        len: usize,
    },
    /// The input is longer than this parser addresses (4 GiB).
    #[error("message too long")]
    TooLong,
}

/// Slot for every ID from 0x1001 to 0x106A (dense: direct indexing by type).
pub(crate) const FIRST_SLOT: u16 = 0x1001;
const LAST_SLOT: u16 = 0x106A;
pub(crate) const SLOTS: usize = (LAST_SLOT - FIRST_SLOT + 1) as usize;

/// Where a value lies in the input: compact so the whole table stays small to clear.
/// The value ends at `end` and is `len` bytes long; a header comes before any value,
/// so `end` is never 0 for one: the all-zero span (the default) is "absent".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Span {
    end: u32,
    len: u32,
}

/// Spans of an attribute that may repeat, in order.
type SpanList<const N: usize> = FixedList<Span, N>;

/// The values `list` marks in `buf`.
fn resolve_all<'a, const N: usize>(
    buf: &'a [u8],
    list: SpanList<N>,
) -> impl Iterator<Item = &'a [u8]> + 'a {
    (0..list.len()).filter_map(move |i| list.get(i).and_then(|s| resolve(buf, *s)))
}

/// The value `s` marks (`None`: the span is absent).
fn resolve(buf: &[u8], s: Span) -> Option<&[u8]> {
    if s.end == 0 {
        return None;
    }
    let end = usize::try_from(s.end).ok()?;
    let len = usize::try_from(s.len).ok()?;
    buf.get(end.checked_sub(len)?..end)
}

/// The attributes of one WSC message, parsed with hostapd's rules. Borrows the input.
#[derive(Clone, PartialEq, Eq)]
pub struct Attributes<'a> {
    buf: &'a [u8],
    slots: [Span; SLOTS],
    credentials: SpanList<MAX_CREDENTIALS>,
    requested_device_types: SpanList<MAX_REQUESTED_DEVICE_TYPES>,
    vendor_extensions: SpanList<MAX_VENDOR_EXTENSIONS>,
    wfa: Option<WfaExtension<'a>>,
    count: usize,
}

impl core::fmt::Debug for Attributes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let mut list = f.debug_map();
        for t in AttrType::ALL {
            if let Some(v) = self.get(*t) {
                list.entry(&t.name(), &v.len());
            }
        }
        list.finish()
    }
}

impl<'a> Attributes<'a> {
    /// Parses `buf` as one WSC attribute stream.
    // Inlined on 64-bit hosts so the table is built where the caller keeps it (no move
    // of ~1 KiB); one copy on 32-bit microcontrollers, where flash is short.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    pub fn parse(buf: &'a [u8]) -> Result<Self, AttrError> {
        let mut attrs = Attributes {
            buf,
            slots: [Span::default(); SLOTS],
            credentials: SpanList::new(),
            requested_device_types: SpanList::new(),
            vendor_extensions: SpanList::new(),
            wfa: None,
            count: 0,
        };
        let mut summary = Summary::default();
        // Every slot's place is its index (below 256: walk() reads no other).
        walk(
            buf,
            |slot| slot as u8,
            &mut summary,
            |kept| {
                // walk() checked that the input's length fits in u32, and a value lies in
                // the input: neither cast truncates, the sum cannot wrap.
                let span = Span {
                    end: kept.end as u32,
                    len: kept.value.len() as u32,
                };
                match kept.kind {
                    // Further ones are skipped, as in hostapd.
                    KeptKind::Credential => {
                        let _ = attrs.credentials.push(span);
                    }
                    KeptKind::RequestedDeviceType => {
                        let _ = attrs.requested_device_types.push(span);
                    }
                    KeptKind::OtherVendorExtension => {
                        // walk() rejects the eleventh, so this always has room.
                        let _ = attrs.vendor_extensions.push(span);
                    }
                    KeptKind::Slot(index) => {
                        if let Some(slot) = attrs.slots.get_mut(usize::from(index)) {
                            *slot = span;
                        }
                    }
                }
            },
        )?;
        attrs.wfa = summary.wfa;
        attrs.count = summary.count;
        Ok(attrs)
    }

    /// The whole input, including attributes this parser skipped.
    pub fn raw(&self) -> &'a [u8] {
        self.buf
    }

    /// Number of attributes read (before the padding workaround stopped, if it did).
    pub fn count(&self) -> usize {
        self.count
    }

    /// The value of a single-valued attribute (the last occurrence), after hostapd's
    /// length rule: `None` when absent or ignored.
    ///
    /// Credentials, Requested Device Types and Vendor Extensions have their own accessors.
    pub fn get(&self, attr: AttrType) -> Option<&'a [u8]> {
        resolve(self.buf, *self.slots.get(slot_index(attr)?)?)
    }

    /// Whether a single-valued attribute is present.
    pub fn contains(&self, attr: AttrType) -> bool {
        self.get(attr).is_some()
    }

    /// A fixed-size attribute as an array reference (its length was checked while parsing).
    pub fn array<const N: usize>(&self, attr: AttrType) -> Option<&'a [u8; N]> {
        self.get(attr).and_then(|v| v.try_into().ok())
    }

    /// A one-byte attribute.
    pub fn u8(&self, attr: AttrType) -> Option<u8> {
        self.array::<1>(attr).map(|b| b[0])
    }

    /// A two-byte big-endian attribute.
    pub fn u16(&self, attr: AttrType) -> Option<u16> {
        self.array::<2>(attr).map(|b| u16::from_be_bytes(*b))
    }

    /// A four-byte big-endian attribute.
    pub fn u32(&self, attr: AttrType) -> Option<u32> {
        self.array::<4>(attr).map(|b| u32::from_be_bytes(*b))
    }

    /// The Message Type attribute.
    pub fn message_type(&self) -> Option<MessageType> {
        self.u8(AttrType::MessageType).map(MessageType::from)
    }

    /// The Credential values (nested attribute streams), at most [`MAX_CREDENTIALS`].
    pub fn credentials(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        resolve_all(self.buf, self.credentials)
    }

    /// The Requested Device Type values, at most [`MAX_REQUESTED_DEVICE_TYPES`].
    pub fn requested_device_types(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        resolve_all(self.buf, self.requested_device_types)
    }

    /// Vendor Extension values of vendors other than the WFA (vendor ID included).
    pub fn vendor_extensions(&self) -> impl Iterator<Item = &'a [u8]> + 'a {
        resolve_all(self.buf, self.vendor_extensions)
    }

    /// The WFA vendor extension's subelements (merged over all WFA extensions, last wins).
    pub fn wfa(&self) -> Option<&WfaExtension<'a>> {
        self.wfa.as_ref()
    }

    /// Version2 from the WFA extension: how hostapd decides the peer speaks WSC 2.x.
    pub fn version2(&self) -> Option<u8> {
        self.wfa.and_then(|w| w.version2)
    }
}

/// What kind of attribute [`walk`] kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeptKind {
    /// A single-valued attribute: the caller's place for its slot (see [`Places`]).
    Slot(u8),
    /// A Credential.
    Credential,
    /// A Requested Device Type.
    RequestedDeviceType,
    /// A Vendor Extension of a vendor other than the WFA.
    OtherVendorExtension,
}

/// One attribute as hostapd keeps it (after its length rule).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kept<'a> {
    pub(crate) kind: KeptKind,
    /// Where the value ends in the input.
    pub(crate) end: usize,
    pub(crate) value: &'a [u8],
}

/// What [`walk`] learnt besides the attributes it handed out.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Summary<'a> {
    pub(crate) wfa: Option<WfaExtension<'a>>,
    pub(crate) count: usize,
}

/// The length rule of every slot, computed at compile time.
// Evaluated at compile time: an index out of range is a compile error.
#[allow(clippy::indexing_slicing)]
const RULES: [LengthRule; SLOTS] = {
    let mut rules = [LengthRule::Any; SLOTS];
    let mut i = 0;
    while i < SLOTS {
        rules[i] = AttrType::from_u16(FIRST_SLOT + i as u16).length_rule();
        i += 1;
    }
    rules
};

/// The fields of an [`Entry`]: 32-bit on 64-bit hosts, where the loop then needs no
/// widening; 8-bit on 32-bit targets, where the table takes 212 bytes of flash rather
/// than 848 (a value of rule [`LengthRule::Any`] then takes the long way: its count of
/// 65535 does not fit; the long way keeps it whole too).
#[cfg(target_pointer_width = "64")]
type EntryField = u32;
#[cfg(not(target_pointer_width = "64"))]
type EntryField = u8;

/// The count of lengths kept at once for rule [`LengthRule::Any`]: all on 64-bit hosts,
/// none on 32-bit targets ([`EntryField`]).
const ANY_COUNT: u16 = if cfg!(target_pointer_width = "64") {
    u16::MAX
} else {
    0
};

/// How [`walk`] treats one slot: the lengths its rule keeps whole without a second look.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Shortest length kept whole at once.
    lo: EntryField,
    /// How many lengths from `lo` on are kept whole at once (0: none, the slot's values
    /// always take the long way). At most 65535: a 65535-byte value of rule
    /// [`LengthRule::Any`] takes the long way, which keeps it whole too (as every value
    /// of that rule does on 32-bit targets: [`ANY_COUNT`]).
    count: EntryField,
}

impl Entry {
    /// Whether a value of `len` bytes is kept whole at once: `lo ≤ len < lo + count` in
    /// one compare (below `lo` wraps above any count).
    // The fields are u32 on 64-bit hosts: their conversion is a no-op there.
    #[allow(clippy::useless_conversion)]
    #[inline(always)]
    fn keeps_whole(self, len: u16) -> bool {
        u32::from(len).wrapping_sub(u32::from(self.lo)) < u32::from(self.count)
    }

    /// The one length kept whole, if the entry keeps exactly one.
    #[allow(clippy::useless_conversion)]
    fn exact_len(self) -> Option<u16> {
        match u32::from(self.count) {
            1 => u16::try_from(u32::from(self.lo)).ok(),
            _ => None,
        }
    }
}

/// One [`Entry`] per slot, shared by every caller of [`walk`]: the attribute loop decides
/// most attributes with one entry load, a subtraction and a compare. A static, so the
/// program holds it once.
// Evaluated at compile time: an index out of range or an overflow is a compile error.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static ENTRIES: [Entry; SLOTS] = {
    let mut entries = [Entry { lo: 0, count: 0 }; SLOTS];
    let mut i = 0;
    while i < SLOTS {
        let ty = AttrType::from_u16(FIRST_SLOT + i as u16);
        let (lo, count) = match ty {
            // Their own kinds: the long way.
            AttrType::Credential | AttrType::RequestedDeviceType | AttrType::VendorExtension => {
                (0, 0)
            }
            _ => match RULES[i] {
                LengthRule::Any => (0, ANY_COUNT),
                LengthRule::Exact(n) => (n, 1),
                LengthRule::IgnoreAbove(n) | LengthRule::TruncateTo(n) => (0, n + 1),
                LengthRule::PublicKey => (190, 3),
                LengthRule::SecondaryDeviceTypeList | LengthRule::OobDevicePassword => (0, 0),
            },
        };
        // Every value fits (a compile error otherwise).
        assert!(lo as EntryField as u16 == lo && count as EntryField as u16 == count);
        entries[i] = Entry {
            lo: lo as EntryField,
            count: count as EntryField,
        };
        i += 1;
    }
    entries
};

/// Whether [`ENTRIES`] cannot tell `rule` from the others: all but [`LengthRule::Exact`]
/// (an entry that keeps one length whole) and [`LengthRule::Any`].
const fn is_other_rule(rule: LengthRule) -> bool {
    !matches!(rule, LengthRule::Any | LengthRule::Exact(_))
}

/// How many slots have a rule [`is_other_rule`].
// Evaluated at compile time: an index out of range or an overflow is a compile error.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const OTHER_RULE_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < SLOTS {
        if is_other_rule(RULES[i]) {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The types whose rule [`is_other_rule`], with the rule: with [`ENTRIES`], all the
/// long way needs of the rules, in 72 bytes of flash rather than a table of 424.
// Evaluated at compile time: an index out of range or an overflow is a compile error.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static OTHER_RULES: [(u16, LengthRule); OTHER_RULE_COUNT] = {
    let mut rules = [(0, LengthRule::Any); OTHER_RULE_COUNT];
    let mut n = 0;
    let mut i = 0;
    while i < SLOTS {
        if is_other_rule(RULES[i]) {
            rules[n] = (FIRST_SLOT + i as u16, RULES[i]);
            n += 1;
        }
        i += 1;
    }
    rules
};

/// The length rule of type `ty`: from [`OTHER_RULES`], else [`LengthRule::Exact`] for a
/// slot whose entry keeps one length, else [`LengthRule::Any`].
// The long way only: a short search, rarely made.
fn rule_of(ty: u16) -> LengthRule {
    if let Some((_, rule)) = OTHER_RULES.iter().find(|(t, _)| *t == ty) {
        return *rule;
    }
    let entry = ENTRIES.get(usize::from(ty.wrapping_sub(FIRST_SLOT)));
    match entry.and_then(|e| e.exact_len()) {
        Some(n) => LengthRule::Exact(n),
        None => LengthRule::Any,
    }
}

/// A caller's numbers for the slots: [`walk`] hands slot `i`'s value back in
/// [`KeptKind::Slot`] with place `places[i]`. 106 bytes, where a whole table of entries
/// per message parser took 848.
pub(crate) type Places = [u8; SLOTS];

/// hostapd's `wps_parse_msg` as one pass: checks framing and length rules, merges the
/// WFA extensions into `summary` (which starts empty), counts other vendors'
/// extensions, and hands every attribute hostapd keeps to `visit` (a later duplicate
/// after an earlier one: last wins is the visitor's business), a single-valued one with
/// its place from `place_of` (given the slot's index). Allocation-free; the single
/// implementation behind [`Attributes::parse`] and the message parsers.
// On 64-bit hosts, inlined into each caller so the visitor's state (a message's table of
// values) stays in registers and the visitor's checks fold with the caller's constants.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
pub(crate) fn walk<'a>(
    buf: &'a [u8],
    place_of: impl Fn(usize) -> u8,
    summary: &mut Summary<'a>,
    visit: impl FnMut(Kept<'a>),
) -> Result<(), AttrError> {
    walk_inline(buf, place_of, summary, visit)
}

/// [`walk`] on 32-bit microcontrollers, where flash is short: one copy of the loop for
/// every caller, which hands each kept attribute to the caller's visitor through one
/// indirect call (a slot's place is looked up on the caller's side of it).
#[cfg(not(target_pointer_width = "64"))]
#[inline(always)]
pub(crate) fn walk<'a>(
    buf: &'a [u8],
    place_of: impl Fn(usize) -> u8,
    summary: &mut Summary<'a>,
    mut visit: impl FnMut(Kept<'a>),
) -> Result<(), AttrError> {
    walk_shared(buf, summary, &[], &mut [], &mut 0, &mut |kept: Kept<'a>| {
        visit(match kept.kind {
            KeptKind::Slot(index) => Kept {
                kind: KeptKind::Slot(place_of(usize::from(index))),
                ..kept
            },
            _ => kept,
        })
    })
}

/// [`walk`] into a table on 32-bit targets: the value hostapd keeps of the attribute in
/// slot `i` goes to `values[places[i]]`, and bit `places[i]` of `present` is set;
/// attributes of the other kinds are not recorded. The message parsers' way: no call
/// per attribute.
#[cfg(not(target_pointer_width = "64"))]
#[inline(always)]
pub(crate) fn walk_into<'a>(
    buf: &'a [u8],
    places: &Places,
    summary: &mut Summary<'a>,
    values: &mut [&'a [u8]],
    present: &mut u32,
) -> Result<(), AttrError> {
    walk_shared(buf, summary, places, values, present, &mut |_| {})
}

/// The one outlined copy of the loop behind [`walk`] and [`walk_into`] on 32-bit
/// targets: stores a single-valued attribute at `values[places[i]]` (`i`: its slot's
/// index) and sets bit `places[i]` of `present` when both are there, else hands it to
/// `visit` with `i` as its place; hands the other kinds to `visit`.
#[cfg(not(target_pointer_width = "64"))]
#[inline(never)]
fn walk_shared<'a>(
    buf: &'a [u8],
    summary: &mut Summary<'a>,
    places: &[u8],
    values: &mut [&'a [u8]],
    present: &mut u32,
    visit: &mut dyn FnMut(Kept<'a>),
) -> Result<(), AttrError> {
    // Every slot's index is below 256 (SLOTS).
    walk_inline(
        buf,
        |index| index as u8,
        summary,
        |kept| {
            if let KeptKind::Slot(index) = kept.kind
                && let Some(place) = places.get(usize::from(index))
                && let Some(v) = values.get_mut(usize::from(*place))
            {
                *v = kept.value;
                *present |= 1u32.wrapping_shl(u32::from(*place));
            } else {
                visit(kept);
            }
        },
    )
}

#[inline(always)]
fn walk_inline<'a>(
    buf: &'a [u8],
    place_of: impl Fn(usize) -> u8,
    // An out-parameter rather than in the result: a caller that reads no count lets
    // the compiler drop the counting.
    summary: &mut Summary<'a>,
    mut visit: impl FnMut(Kept<'a>),
) -> Result<(), AttrError> {
    const NETWORK_KEY: u16 = AttrType::NetworkKey.to_u16();
    const VENDOR_EXTENSION: u16 = AttrType::VendorExtension.to_u16();

    if u32::try_from(buf.len()).is_err() {
        return Err(AttrError::TooLong);
    }
    let mut count = 0usize;
    let mut other_vendor = 0usize;
    // A cursor over the unread bytes: one length check per header, one per value.
    let mut rest = buf;
    // Where the stray-octet workaround last resumed, and the type of the attribute
    // before it (hostapd starts with type 0): the type before an overrun is found from
    // there, off the common way.
    let mut resumed = (0usize, 0u16);
    // Where the trailing run of zero bytes starts, found once on the first empty type-0
    // header: rescanning the rest at every such header made parsing quadratic.
    let mut zeros_from = None;
    loop {
        // `rest` is a suffix of `buf`: cannot wrap (wrapping: no saturation test in
        // the loop).
        let pos = buf.len().wrapping_sub(rest.len());
        let Some((header, body)) = rest.split_first_chunk::<HEADER_LEN>() else {
            if rest.is_empty() {
                break;
            }
            return Err(truncated_header(pos, rest.len()));
        };
        // One load and one byte swap for both fields.
        let header = u32::from_be_bytes(*header);
        let ty = (header >> 16) as u16;
        let len16 = header as u16;
        let len = usize::from(len16);
        let Some((value, after)) = body.split_at_checked(len) else {
            // Some APs add one stray octet after a Network Key (open networks):
            // hostapd skips a single octet and tries again.
            if ty & 0xff00 != 0x1000 && type_before(buf, resumed, pos) == NETWORK_KEY {
                resumed = (pos.wrapping_add(1), NETWORK_KEY);
                rest = rest.get(1..).unwrap_or_default();
                continue;
            }
            return Err(length_overrun(ty, pos, len, body.len()));
        };
        // In 32 bits: no narrowing on the way to the table.
        let index = (header >> 16).wrapping_sub(u32::from(FIRST_SLOT)) as usize;
        let Some(&entry) = ENTRIES.get(index) else {
            // Mac OS X 10.6 pads M1 with zeros: stop if only zeros are left from the
            // value on (after the header, which lies in `buf`: cannot wrap). Type 0 has
            // no slot, so the other attributes never come this way.
            let start = pos.wrapping_add(HEADER_LEN);
            if ty == 0 && len == 0 && start >= *zeros_from.get_or_insert_with(|| zeros_start(buf)) {
                break;
            }
            // Outside the slots: hostapd skips it. At most one per four input bytes:
            // cannot wrap.
            count = count.wrapping_add(1);
            rest = after;
            continue;
        };
        count = count.wrapping_add(1);
        rest = after;
        // `rest` is a suffix of `buf`: cannot wrap.
        let end = buf.len().wrapping_sub(rest.len());
        // The common case: a length the rule keeps whole.
        if entry.keeps_whole(len16) {
            visit(Kept {
                kind: KeptKind::Slot(place_of(index)),
                end,
                value,
            });
            continue;
        }
        // The usual WFA extension, here rather than in `long_way`: one per message.
        // On 64-bit hosts only: 32-bit targets save the flash and take the long way.
        if cfg!(target_pointer_width = "64")
            && ty == VENDOR_EXTENSION
            && usual_wfa_extension(value, summary)
        {
            continue;
        }
        if let Some((kind, kept)) =
            long_way(ty, place_of(index), value, summary, &mut other_vendor)?
        {
            // A kept value starts where the value does: cannot wrap.
            visit(Kept {
                kind,
                end: end.wrapping_sub(value.len()).wrapping_add(kept.len()),
                value: kept,
            });
        }
    }
    summary.count = count;
    Ok(())
}

/// The values of `kind` (Credentials or other vendors' extensions) [`walk`] keeps in
/// `buf`, in order: what [`Attributes::parse`] lists, read again by the message views
/// that keep only their input, so they see what the parse saw (past a stray octet too).
/// Up to ten, as the parse keeps (on an input the parse rejects: those before the error).
pub(crate) fn kept_values(buf: &[u8], kind: KeptKind) -> impl Iterator<Item = &[u8]> {
    const _: () = assert!(MAX_VENDOR_EXTENSIONS == MAX_CREDENTIALS);
    (0..MAX_CREDENTIALS).map_while(move |n| nth_kept(buf, kind, n))
}

/// The `n`th value (from 0) of `kind` [`walk`] keeps in `buf`. A walk from the start per
/// value (at most eleven per listing, each linear): no list to hold, which on the
/// Cortex-M4 build takes less flash than one.
#[inline(never)]
fn nth_kept<'a>(buf: &'a [u8], kind: KeptKind, mut n: usize) -> Option<&'a [u8]> {
    let mut found = None;
    let mut visit = |kept: Kept<'a>| {
        if kept.kind == kind {
            // Once only: `n` wraps to the largest count, never reached.
            if n == 0 {
                found = Some(kept.value);
            }
            n = n.wrapping_sub(1);
        }
    };
    // Straight into the one copy of the loop on 32-bit targets: no place to look up.
    #[cfg(not(target_pointer_width = "64"))]
    let _ = walk_shared(
        buf,
        &mut Summary::default(),
        &[],
        &mut [],
        &mut 0,
        &mut visit,
    );
    #[cfg(target_pointer_width = "64")]
    let _ = walk(buf, |_| 0, &mut Summary::default(), &mut visit);
    found
}

/// The attributes [`ENTRIES`]' range does not settle: the other length rules, and the
/// kinds of their own. What to hand to the visitor (`None`: nothing), or why hostapd
/// rejects the message.
// Not inlined: keeps the attribute loop small and its state in registers.
#[inline(never)]
fn long_way<'a>(
    ty: u16,
    place: u8,
    value: &'a [u8],
    summary: &mut Summary<'a>,
    other_vendor: &mut usize,
) -> Result<Option<(KeptKind, &'a [u8])>, AttrError> {
    const CREDENTIAL: u16 = AttrType::Credential.to_u16();
    const REQUESTED_DEVICE_TYPE: u16 = AttrType::RequestedDeviceType.to_u16();
    const VENDOR_EXTENSION: u16 = AttrType::VendorExtension.to_u16();
    Ok(match ty {
        CREDENTIAL => Some((KeptKind::Credential, value)),
        REQUESTED_DEVICE_TYPE => {
            if value.len() != 8 {
                return Err(AttrError::BadLength {
                    attr: AttrType::RequestedDeviceType,
                    len: value.len(),
                    expected: 8,
                });
            }
            Some((KeptKind::RequestedDeviceType, value))
        }
        VENDOR_EXTENSION => vendor_extension(value, summary, other_vendor)?
            .then_some((KeptKind::OtherVendorExtension, value)),
        _ => apply_rule(rule_of(ty), ty, value)?
            .map(|keep| (KeptKind::Slot(place), value.get(..keep).unwrap_or(value))),
    })
}

/// What hostapd and most peers send, once per message: the WFA's extension with
/// Version2 only, and no earlier one to merge with. Read into `summary` if `value` is
/// that (`WfaExtension::parse` of its subelements gives the same); false otherwise.
#[inline(always)]
fn usual_wfa_extension<'a>(value: &'a [u8], summary: &mut Summary<'a>) -> bool {
    if let [0x00, 0x37, 0x2A, subelement::VERSION2, 1, version2] = *value
        && summary.wfa.is_none()
    {
        summary.wfa = Some(WfaExtension {
            version2: Some(version2),
            data: value.get(WFA_VENDOR_ID.len()..).unwrap_or_default(),
            ..WfaExtension::default()
        });
        return true;
    }
    false
}

/// A Vendor Extension: merges a WFA one into `summary`, counts and checks another
/// vendor's (`Ok(true)`: keep it).
#[inline]
fn vendor_extension<'a>(
    value: &'a [u8],
    summary: &mut Summary<'a>,
    other_vendor: &mut usize,
) -> Result<bool, AttrError> {
    let Some((vendor_id, data)) = value.split_first_chunk::<3>() else {
        // Shorter than a vendor ID: hostapd skips it.
        return Ok(false);
    };
    if *vendor_id == WFA_VENDOR_ID {
        // hostapd keeps one set of WFA fields: this one's subelements overwrite.
        summary.wfa.get_or_insert_default().read_subelements(data)?;
        return Ok(false);
    }
    let len = value.len();
    if len > MAX_VENDOR_EXTENSION_LEN {
        return Err(AttrError::VendorExtensionTooLong { len });
    }
    *other_vendor = other_vendor.saturating_add(1);
    if *other_vendor > MAX_VENDOR_EXTENSIONS {
        return Err(AttrError::TooManyVendorExtensions);
    }
    Ok(true)
}

/// The type of the attribute that ends at `pos`: [`walk`] resumed at `from.0` (after
/// `from.1`) and read every attribute from there to `pos` whole. Each call starts past
/// the last one's `pos`, so all of them together read the input at most once.
#[cold]
fn type_before(buf: &[u8], from: (usize, u16), pos: usize) -> u16 {
    let (start, mut ty) = from;
    let mut rest = buf.get(start..pos).unwrap_or_default();
    while let Some((header, body)) = rest.split_first_chunk::<HEADER_LEN>() {
        let header = u32::from_be_bytes(*header);
        ty = (header >> 16) as u16;
        rest = body.get(usize::from(header as u16)..).unwrap_or_default();
    }
    ty
}

/// Where the trailing run of zero bytes of `buf` starts.
#[cold]
fn zeros_start(buf: &[u8]) -> usize {
    buf.iter()
        .rposition(|b| *b != 0)
        .map_or(0, |i| i.saturating_add(1))
}

#[cold]
fn truncated_header(offset: usize, available: usize) -> AttrError {
    TlvError::TruncatedHeader { offset, available }.into()
}

#[cold]
fn length_overrun(attr_type: u16, offset: usize, declared: usize, available: usize) -> AttrError {
    TlvError::LengthOverrun {
        attr_type,
        offset,
        declared,
        available,
    }
    .into()
}

/// How many bytes of `value` hostapd keeps (`None`: ignored), or why it rejects it.
#[inline]
fn apply_rule(rule: LengthRule, ty: u16, value: &[u8]) -> Result<Option<usize>, AttrError> {
    let len = value.len();
    Ok(Some(match rule {
        LengthRule::Any => len,
        LengthRule::Exact(n) => {
            if len != usize::from(n) {
                return Err(bad_length(ty, len, n));
            }
            len
        }
        LengthRule::IgnoreAbove(n) => {
            if len > usize::from(n) {
                return Ok(None);
            }
            len
        }
        LengthRule::TruncateTo(n) => len.min(usize::from(n)),
        LengthRule::PublicKey => {
            if !(190..=192).contains(&len) {
                return Ok(None);
            }
            len
        }
        LengthRule::SecondaryDeviceTypeList => {
            if len > 128 || !len.is_multiple_of(8) {
                return Err(AttrError::SecondaryDeviceTypeList { len });
            }
            len
        }
        LengthRule::OobDevicePassword => {
            let id = value
                .get(20..22)
                .and_then(|b| <[u8; 2]>::try_from(b).ok())
                .map(u16::from_be_bytes);
            let short_ok = id == Some(0x0007);
            if !(22..=54).contains(&len) || (len < 38 && !short_ok) {
                return Err(AttrError::OobDevicePassword { len });
            }
            len
        }
    }))
}

#[cold]
fn bad_length(ty: u16, len: usize, expected: u16) -> AttrError {
    // Only a type with a slot has a length rule: the slot's name, without the search
    // of every name `AttrType::from` makes for the others.
    let attr = super::BY_SLOT
        .get(usize::from(ty.wrapping_sub(FIRST_SLOT)))
        .copied()
        .unwrap_or(AttrType::Unknown(ty));
    AttrError::BadLength {
        attr,
        len,
        expected: usize::from(expected),
    }
}

fn slot_index(attr: AttrType) -> Option<usize> {
    let ty = u16::from(attr);
    if ty > LAST_SLOT {
        return None;
    }
    ty.checked_sub(FIRST_SLOT).map(usize::from)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attr::VendorExtension;

    #[test]
    fn last_duplicate_wins() {
        let m = [0x10, 0x22, 0x00, 0x01, 0x04, 0x10, 0x22, 0x00, 0x01, 0x05];
        let a = Attributes::parse(&m);
        assert_eq!(a.map(|a| a.message_type()), Ok(Some(MessageType::M2)));
    }

    #[test]
    fn long_ssid_is_ignored_and_manufacturer_truncated() {
        let mut m = alloc::vec![0x10, 0x45, 0x00, 33];
        m.extend_from_slice(&[b'a'; 33]);
        m.extend_from_slice(&[0x10, 0x21, 0x00, 65]);
        m.extend_from_slice(&[b'm'; 65]);
        let a = Attributes::parse(&m);
        assert_eq!(a.as_ref().map(|a| a.get(AttrType::Ssid)), Ok(None));
        assert_eq!(
            a.map(|a| a.get(AttrType::Manufacturer).map(<[u8]>::len)),
            Ok(Some(64))
        );
    }

    #[test]
    fn wrong_fixed_length_names_the_attribute() {
        assert_eq!(
            Attributes::parse(&[0x10, 0x1a, 0x00, 0x01, 0x00]).err(),
            Some(AttrError::BadLength {
                attr: AttrType::EnrolleeNonce,
                len: 1,
                expected: 16
            })
        );
    }

    /// Every length a table entry keeps whole at once is one its attribute's rule keeps
    /// whole, and the attributes of their own kind never take that way.
    #[test]
    fn table_ranges_agree_with_the_rules() {
        let zeros = alloc::vec![0u8; 65535];
        for (i, entry) in ENTRIES.iter().enumerate() {
            let ty = FIRST_SLOT.wrapping_add(u16::try_from(i).unwrap_or_default());
            let attr = AttrType::from_u16(ty);
            for len in (0..=300u16).chain([1024, 65535]) {
                if !entry.keeps_whole(len) {
                    continue;
                }
                assert!(
                    !matches!(
                        attr,
                        AttrType::Credential
                            | AttrType::RequestedDeviceType
                            | AttrType::VendorExtension
                    ),
                    "{attr} len {len}"
                );
                let len = usize::from(len);
                let value = zeros.get(..len).unwrap_or_default();
                let kept = apply_rule(attr.length_rule(), ty, value);
                assert_eq!(kept, Ok(Some(len)), "{attr} len {len}");
            }
        }
    }

    /// The long way reads every slot's rule back from its entry and the short list.
    #[test]
    fn rule_of_every_slot_is_its_length_rule() {
        for i in 0..SLOTS {
            let ty = FIRST_SLOT + u16::try_from(i).unwrap();
            let attr = AttrType::from_u16(ty);
            if matches!(
                attr,
                AttrType::Credential | AttrType::RequestedDeviceType | AttrType::VendorExtension
            ) {
                // Their own kinds: the long way does not ask.
                continue;
            }
            assert_eq!(rule_of(ty), attr.length_rule(), "{attr}");
        }
    }

    /// The longest value a TLV can hold, of a type without a length rule: the table
    /// leaves it to the long way, which keeps it whole.
    #[test]
    fn longest_value_of_rule_any_is_kept_whole() {
        let mut m = alloc::vec![0x10, 0x27, 0xff, 0xff];
        m.resize(4 + 65535, 0x5a);
        assert_eq!(
            ENTRIES.get(0x27 - 1).map(|e| e.keeps_whole(u16::MAX)),
            Some(false)
        );
        let a = Attributes::parse(&m);
        assert_eq!(
            a.map(|a| a.get(AttrType::NetworkKey).map(<[u8]>::len)),
            Ok(Some(65535))
        );
    }

    /// The quick way for the usual WFA extension gives what the general one gives.
    #[test]
    fn usual_wfa_extension_as_the_general_parser_reads_it() {
        for version2 in [0x10, 0x20, 0xff] {
            let value = [0x00, 0x37, 0x2a, 0x00, 0x01, version2];
            let mut m = alloc::vec![0x10, 0x49, 0x00, 0x06];
            m.extend_from_slice(&value);
            let general = match VendorExtension::parse(&value) {
                Some(Ok(VendorExtension::Wfa(w))) => Some(w),
                _ => None,
            };
            assert!(general.is_some());
            assert_eq!(Attributes::parse(&m).map(|a| a.wfa().copied()), Ok(general));
            // After another WFA extension, the two merge (last wins).
            let mut two = alloc::vec![0x10, 0x49, 0x00, 0x09, 0x00, 0x37, 0x2a];
            two.extend_from_slice(&[0x00, 0x01, 0x99, 0x03, 0x01, 0x01]);
            two.extend_from_slice(&m);
            let wfa =
                Attributes::parse(&two).map(|a| a.wfa().map(|w| (w.version2, w.request_to_enroll)));
            assert_eq!(wfa, Ok(Some((Some(version2), Some(1)))));
        }
    }
}
