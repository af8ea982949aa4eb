//! The machinery shared by every message struct: typed attribute values and the macro
//! that writes each struct's parser and emitters from one field list.

use crate::attr::parse::{
    FIRST_SLOT, KeptKind, MAX_REQUESTED_DEVICE_TYPES, Places, SLOTS, Summary, walk,
};
use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, MacAddr, MessageType, PrimaryDeviceType, RequestType, ResponseType, RfBands, Uuid,
    WscState,
};
use crate::attr::{AttrError, AttrType, Attributes, WfaExtension};
use crate::fixed_list::FixedList;
use crate::message::ie::DeviceTypeList;
use crate::message::{Credentials, DeviceAttrs, Extra, MessageError};
use crate::tlv::{self, Buf, WriteError};

/// Where a message parser reads attribute values from: the general [`Attributes`] table
/// or the small [`Picked`] one a message parser fills for itself.
pub(crate) trait Source<'a> {
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]>;
    /// The value of `t`, empty when absent: what a value of a fixed, non-zero length is
    /// decoded from, with one length test for "absent" and "of another length".
    fn src_bytes(&self, t: AttrType) -> &'a [u8];
    fn src_wfa(&self) -> Option<WfaExtension<'a>>;
    fn src_raw(&self) -> &'a [u8];
    /// The Requested Device Type values hostapd keeps (the first ten).
    fn src_requested_device_types(&self) -> RawList<'a>;
    /// The value of `t` decoded as `T`: `None` when absent or of another length.
    #[inline(always)]
    fn src_value<T: AttrValue<'a>>(&self, t: AttrType) -> Option<T> {
        if T::FIXED {
            T::decode(self.src_bytes(t))
        } else {
            self.src_get(t).and_then(T::decode)
        }
    }
    /// A one-byte flag as hostapd reads it: present and non-zero.
    #[inline(always)]
    fn src_flag(&self, t: AttrType) -> bool {
        matches!(self.src_bytes(t), [v] if *v != 0)
    }
    /// A registration message's header: the Version (0 when absent and not required),
    /// after checking that the Message Type is `expected`.
    fn src_header(
        &self,
        expected: MessageType,
        version_required: bool,
    ) -> Result<u8, MessageError> {
        header(
            self.src_bytes(AttrType::Version),
            self.src_bytes(AttrType::MessageType),
            expected,
            version_required,
        )
    }
}

/// [`Source::src_header`] from the two values (empty when absent): one copy for every
/// message parser.
#[cfg_attr(target_pointer_width = "64", inline)]
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
fn header(
    version: &[u8],
    message_type: &[u8],
    expected: MessageType,
    version_required: bool,
) -> Result<u8, MessageError> {
    let version = match *version {
        [v] => v,
        _ if version_required => return Err(MessageError::Missing(AttrType::Version)),
        _ => 0,
    };
    let found = message_type
        .first()
        .map(|t| MessageType::from(*t))
        .ok_or(MessageError::Missing(AttrType::MessageType))?;
    if found != expected {
        return Err(MessageError::WrongType { found, expected });
    }
    Ok(version)
}

/// Values of a repeated attribute, as the parser keeps them.
pub(crate) type RawList<'a> = FixedList<&'a [u8], MAX_REQUESTED_DEVICE_TYPES>;

impl<'a> Source<'a> for Attributes<'a> {
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]> {
        self.get(t)
    }
    fn src_bytes(&self, t: AttrType) -> &'a [u8] {
        self.get(t).unwrap_or_default()
    }
    fn src_wfa(&self) -> Option<WfaExtension<'a>> {
        self.wfa().copied()
    }
    fn src_raw(&self) -> &'a [u8] {
        self.raw()
    }
    fn src_requested_device_types(&self) -> RawList<'a> {
        let mut list = RawList::new();
        for v in self.requested_device_types() {
            // The parser keeps at most as many as the list holds.
            let _ = list.push(v);
        }
        list
    }
}

/// Most attributes one struct types (M2 has the most: 23; `Lookup::new` stops the build
/// of a struct with more). On 32-bit targets every table has this many places and one.
const MAX_PICK: usize = 23;

/// Maps an attribute's slot to its place in a [`Picked`] table (0 = not wanted: the
/// table's spare first place).
pub(crate) struct Lookup(pub(crate) Places);

impl Lookup {
    /// Built at compile time from the attribute types a struct reads.
    // Evaluated only in const items (the `wsc_struct!` parser's `PLACES` and table
    // size): an index out of range or an overflow is a compile error.
    #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    pub(crate) const fn new(groups: &[&[AttrType]]) -> Lookup {
        let mut map = [0u8; SLOTS];
        let mut next = 1u8;
        let mut g = 0;
        while g < groups.len() {
            let mut i = 0;
            while i < groups[g].len() {
                let slot = (groups[g][i].to_u16() - FIRST_SLOT) as usize;
                map[slot] = next;
                next += 1;
                i += 1;
            }
            g += 1;
        }
        assert!(next as usize <= MAX_PICK + 1);
        Lookup(map)
    }

    /// The size of the table for `groups`: the places [`Lookup::new`] hands out, and
    /// the spare one.
    // Evaluated only in const items (the `wsc_struct!` parser's table size): an index
    // out of range or an overflow is a compile error.
    #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    pub(crate) const fn size(groups: &[&[AttrType]]) -> usize {
        let mut n = 1;
        let mut g = 0;
        while g < groups.len() {
            n += groups[g].len();
            g += 1;
        }
        n
    }
}

impl Lookup {
    /// The slot indices of the attributes in `groups`, in place order (place 1 first):
    /// the list the 32-bit walk builds its map from. `N` is [`Lookup::size`] less one.
    // Evaluated only in const items (`layout!`'s `READ`): an index out of range or an
    // overflow is a compile error.
    #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    #[cfg_attr(target_pointer_width = "64", allow(dead_code))]
    pub(crate) const fn read<const N: usize>(groups: &[&[AttrType]]) -> [u8; N] {
        let mut list = [0u8; N];
        let mut n = 0;
        let mut g = 0;
        while g < groups.len() {
            let mut i = 0;
            while i < groups[g].len() {
                list[n] = (groups[g][i].to_u16() - FIRST_SLOT) as u8;
                n += 1;
                i += 1;
            }
            g += 1;
        }
        assert!(n == N);
        list
    }

    /// The length of the [`Picked`] table for `groups`: [`Lookup::size`] on 64-bit hosts;
    /// the largest on 32-bit targets, where one table type for every struct lets them
    /// share one constructor.
    pub(crate) const fn table_len(groups: &[&[AttrType]]) -> usize {
        if cfg!(target_pointer_width = "64") {
            Lookup::size(groups)
        } else {
            MAX_PICK + 1
        }
    }
}

/// The places of one struct's attributes ([`Lookup`]), as a type: a constant the
/// compiler sees through, so each field read folds to a fixed place in the table; on
/// 64-bit hosts also the map the inlined [`walk`] reads, on 32-bit targets the short
/// list the shared walk builds that map from (a few bytes of flash per struct rather
/// than 106). Declared with [`layout!`].
pub(crate) trait Layout {
    /// The place of each slot (0: not read).
    const PLACES: &'static Places;
    /// The slots read, in place order ([`Lookup::read`]).
    #[cfg_attr(target_pointer_width = "64", allow(dead_code))]
    const READ: &'static [u8];
}

/// Declares `$name`, the [`Layout`] of the attribute groups `$groups` (a const).
macro_rules! layout {
    ($name:ident = $groups:ident) => {
        struct $name;
        impl $crate::message::macros::Layout for $name {
            const PLACES: &'static $crate::attr::parse::Places =
                &$crate::message::macros::Lookup::new($groups).0;
            const READ: &'static [u8] = &$crate::message::macros::Lookup::read::<
                { $crate::message::macros::Lookup::size($groups) - 1 },
            >($groups);
        }
    };
}
pub(crate) use layout;

/// The values of just the attributes one struct reads (places 1..`N`, placed by `L`;
/// place 0 takes the attributes it does not read), filled in one [`walk`].
pub(crate) struct Picked<'a, L, const N: usize> {
    table: Table<'a, N>,
    layout: core::marker::PhantomData<L>,
}

/// What a [`Picked`] holds, whatever its layout: one constructor for every layout.
struct Table<'a, const N: usize> {
    /// The values by place, empty for an absent one ([`Source::src_bytes`]).
    values: [&'a [u8]; N],
    /// Bit `p` set: the value at place `p` is present (an empty one too).
    present: u32,
    /// What the walk learnt besides the values: the WFA extension.
    summary: Summary<'a>,
    raw: &'a [u8],
}

impl<'a, const N: usize> Table<'a, N> {
    /// An empty table for `buf`. Outlined on 32-bit targets, where every layout has
    /// the same `N` ([`Lookup::table_len`]): one copy for all message parsers.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    fn new(buf: &'a [u8]) -> Self {
        Table {
            values: [&[]; N],
            present: 0,
            summary: Summary::default(),
            raw: buf,
        }
    }
}

impl<'a, L: Layout, const N: usize> Picked<'a, L, N> {
    /// An empty table for `buf`; [`Picked::fill`] reads it.
    #[inline(always)]
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Picked {
            table: Table::new(buf),
            layout: core::marker::PhantomData,
        }
    }

    /// Walks the input once, recording the attributes the struct reads.
    // Always inlined into each message's parser, where the table is a known static and
    // the values stay where they are (no move of the filled table): the field reads that
    // follow fold to constant indices.
    #[inline(always)]
    pub(crate) fn fill(&mut self) -> Result<(), AttrError> {
        self.table.fill(Self::map())
    }

    /// [`Picked::fill`] for a registration message, with the check of its header
    /// ([`Source::src_header`]): one call for both in every parser.
    #[inline(always)]
    pub(crate) fn fill_message(
        &mut self,
        expected: MessageType,
        version_required: bool,
    ) -> Result<u8, MessageError> {
        // The message structs list the header first.
        const { assert!(header_first(L::PLACES)) };
        self.table
            .fill_message(Self::map(), expected, version_required)
    }

    /// What the walk reads the layout from: the map of places on 64-bit hosts, the
    /// short list of slots read on 32-bit targets ([`fill_values`]).
    #[inline(always)]
    fn map() -> &'static FillMap {
        #[cfg(target_pointer_width = "64")]
        return L::PLACES;
        #[cfg(not(target_pointer_width = "64"))]
        return L::READ;
    }

    /// The place of `t` in the table (0: not read).
    #[inline(always)]
    fn place(t: AttrType) -> usize {
        let slot = usize::from(t.to_u16().wrapping_sub(FIRST_SLOT));
        L::PLACES.get(slot).map_or(0, |p| usize::from(*p))
    }
}

/// What [`fill_values`] reads a layout from.
#[cfg(target_pointer_width = "64")]
type FillMap = Places;
#[cfg(not(target_pointer_width = "64"))]
type FillMap = [u8];

/// Whether Version and Message Type have places 1 and 2 (a message struct's header).
// Evaluated only in const items: an index out of range is a compile error.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const fn header_first(places: &Places) -> bool {
    places[(AttrType::Version.to_u16() - FIRST_SLOT) as usize] == 1
        && places[(AttrType::MessageType.to_u16() - FIRST_SLOT) as usize] == 2
}

impl<'a, const N: usize> Table<'a, N> {
    /// [`Picked::fill`] for any layout: outlined on 32-bit targets, where every table
    /// has the same `N`, so all parsers share it.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    fn fill(&mut self, map: &FillMap) -> Result<(), AttrError> {
        fill_values(
            self.raw,
            map,
            &mut self.summary,
            &mut self.values,
            &mut self.present,
        )
    }

    /// [`Picked::fill_message`] for any layout: outlined on 32-bit targets, where every
    /// table has the same `N`, so all parsers share it.
    #[cfg_attr(target_pointer_width = "64", inline(always))]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    fn fill_message(
        &mut self,
        map: &FillMap,
        expected: MessageType,
        version_required: bool,
    ) -> Result<u8, MessageError> {
        self.fill(map)?;
        let value = |place: usize| self.values.get(place).copied().unwrap_or_default();
        header(value(1), value(2), expected, version_required)
    }
}

/// [`Picked::fill`] for any table on 64-bit hosts: walks `buf` once, recording the
/// value of the attribute in slot `i` at `values[places[i]]`. Inlined, where `places`
/// is a constant the compiler sees through.
#[cfg(target_pointer_width = "64")]
#[inline(always)]
fn fill_values<'a>(
    buf: &'a [u8],
    places: &Places,
    summary: &mut Summary<'a>,
    values: &mut [&'a [u8]],
    present: &mut u32,
) -> Result<(), AttrError> {
    let place_of = |index: usize| places.get(index).copied().unwrap_or_default();
    walk(buf, place_of, summary, |kept| {
        // Unwanted ones land in place 0, never read: no test on the way.
        if let KeptKind::Slot(place) = kept.kind
            && let Some(v) = values.get_mut(usize::from(place))
        {
            *v = kept.value;
            *present |= 1u32.wrapping_shl(u32::from(place));
        }
    })
}

/// [`Picked::fill`] on 32-bit microcontrollers, where flash is short: one copy for
/// every message (in [`Table::fill`]). Builds the map of places from the list of slots
/// read ([`Layout::READ`]; the slot `read[i]` has place `i + 1`), then the shared walk
/// stores the values itself.
#[cfg(not(target_pointer_width = "64"))]
#[inline(always)]
fn fill_values<'a>(
    buf: &'a [u8],
    read: &[u8],
    summary: &mut Summary<'a>,
    values: &mut [&'a [u8]],
    present: &mut u32,
) -> Result<(), AttrError> {
    let mut places = [0u8; SLOTS];
    for (place, slot) in (1..).zip(read) {
        if let Some(p) = places.get_mut(usize::from(*slot)) {
            *p = place;
        }
    }
    crate::attr::parse::walk_into(buf, &places, summary, values, present)
}

impl<'a, L: Layout, const N: usize> Source<'a> for Picked<'a, L, N> {
    #[inline(always)]
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]> {
        match Self::place(t) {
            0 => None,
            place if self.table.present & 1u32.wrapping_shl(place as u32) != 0 => {
                self.table.values.get(place).copied()
            }
            _ => None,
        }
    }
    #[inline(always)]
    fn src_bytes(&self, t: AttrType) -> &'a [u8] {
        match Self::place(t) {
            0 => &[],
            place => self.table.values.get(place).copied().unwrap_or_default(),
        }
    }
    #[inline]
    fn src_wfa(&self) -> Option<WfaExtension<'a>> {
        self.table.summary.wfa
    }
    #[inline]
    fn src_raw(&self) -> &'a [u8] {
        self.table.raw
    }
    /// A second walk, made only by the structs that read the list (Probe Request): the
    /// input passed [`Picked::fill`] already, so it passes again the same way.
    fn src_requested_device_types(&self) -> RawList<'a> {
        let mut list = RawList::new();
        // Only the Requested Device Types are wanted: no places.
        let _ = walk(
            self.table.raw,
            |_| 0,
            &mut Summary::default(),
            |kept| {
                if kept.kind == KeptKind::RequestedDeviceType {
                    // hostapd keeps the first ten.
                    let _ = list.push(kept.value);
                }
            },
        );
        list
    }
}

/// Writes a struct's attributes one after another and keeps the first error: each
/// attribute is one call with no result to test after it (the test is made once, by
/// [`AttrWriter::finish`]). After an error nothing more is written, as with `?`.
pub(crate) struct AttrWriter<'o, B: ?Sized> {
    out: &'o mut B,
    result: Result<(), WriteError>,
}

impl<'o, B: Buf + ?Sized> AttrWriter<'o, B> {
    #[inline(always)]
    pub(crate) fn new(out: &'o mut B) -> Self {
        AttrWriter {
            out,
            result: Ok(()),
        }
    }

    /// Writes one attribute (nothing after an error).
    // One outlined copy per buffer type on 32-bit targets: a field's write is then a
    // call with its arguments in registers and nothing after it.
    #[cfg_attr(target_pointer_width = "64", inline)]
    #[cfg_attr(not(target_pointer_width = "64"), inline(never))]
    pub(crate) fn attr(&mut self, ty: u16, value: &[u8]) {
        if self.result.is_ok() {
            self.result = tlv::write_tlv(self.out, ty, value);
        }
    }

    /// Runs the writer of a field that is not one attribute (nothing after an error).
    #[inline(always)]
    pub(crate) fn group(&mut self, write: impl FnOnce(&mut B) -> Result<(), WriteError>) {
        if self.result.is_ok() {
            self.result = write(self.out);
        }
    }

    /// The first error, if there was one.
    #[inline(always)]
    pub(crate) fn finish(self) -> Result<(), WriteError> {
        self.result
    }
}

/// A typed attribute value: decoded from the value bytes hostapd's parser kept, written
/// back as the same bytes.
pub(crate) trait AttrValue<'a>: Sized {
    /// Whether the value has one length, not 0: `decode` of an empty value is `None`,
    /// so an absent one may be read as empty ([`Source::src_bytes`]).
    const FIXED: bool = true;
    fn decode(v: &'a [u8]) -> Option<Self>;
    /// Hands the value's bytes, as written, to `f`.
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R;
}

impl<'a> AttrValue<'a> for &'a [u8] {
    const FIXED: bool = false;
    fn decode(v: &'a [u8]) -> Option<Self> {
        Some(v)
    }
    #[inline(always)]
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(self)
    }
}

impl<'a, const N: usize> AttrValue<'a> for &'a [u8; N] {
    const FIXED: bool = N != 0;
    fn decode(v: &'a [u8]) -> Option<Self> {
        v.try_into().ok()
    }
    #[inline(always)]
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(&self[..])
    }
}

impl<'a, const N: usize> AttrValue<'a> for [u8; N] {
    const FIXED: bool = N != 0;
    fn decode(v: &'a [u8]) -> Option<Self> {
        v.try_into().ok()
    }
    #[inline(always)]
    fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        f(self)
    }
}

macro_rules! via_bytes {
    ($($t:ty => $n:literal, |$b:ident| $from:expr, |$s:ident| $to:expr;)*) => {$(
        impl<'a> AttrValue<'a> for $t {
            fn decode(v: &'a [u8]) -> Option<Self> {
                let $b: [u8; $n] = v.try_into().ok()?;
                Some($from)
            }
            #[inline(always)]
            fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
                let $s = *self;
                let bytes: [u8; $n] = $to;
                f(&bytes)
            }
        }
    )*};
}

via_bytes! {
    u8 => 1, |b| b[0], |s| [s];
    u16 => 2, |b| u16::from_be_bytes(b), |s| s.to_be_bytes();
    u32 => 4, |b| u32::from_be_bytes(b), |s| s.to_be_bytes();
    Uuid => 16, |b| Uuid(b), |s| s.0;
    MacAddr => 6, |b| MacAddr(b), |s| s.0;
    PrimaryDeviceType => 8, |b| PrimaryDeviceType::from_bytes(b), |s| s.to_bytes();
    WscState => 1, |b| WscState::from(b[0]), |s| [u8::from(s)];
    AssociationState => 2, |b| AssociationState::from(u16::from_be_bytes(b)), |s| u16::from(s).to_be_bytes();
    ConfigError => 2, |b| ConfigError::from(u16::from_be_bytes(b)), |s| u16::from(s).to_be_bytes();
    DevicePasswordId => 2, |b| DevicePasswordId::from(u16::from_be_bytes(b)), |s| u16::from(s).to_be_bytes();
    ConfigMethods => 2, |b| ConfigMethods(u16::from_be_bytes(b)), |s| s.0.to_be_bytes();
    AuthType => 2, |b| AuthType(u16::from_be_bytes(b)), |s| s.0.to_be_bytes();
    EncrType => 2, |b| EncrType(u16::from_be_bytes(b)), |s| s.0.to_be_bytes();
    ConnectionTypeFlags => 1, |b| ConnectionTypeFlags(b[0]), |s| [s.0];
    RfBands => 1, |b| RfBands(b[0]), |s| [s.0];
    RequestType => 1, |b| RequestType::from(b[0]), |s| [u8::from(s)];
    ResponseType => 1, |b| ResponseType::from(b[0]), |s| [u8::from(s)];
}

/// What writing one attribute did: `Ok(true)` when it wrote it, `Ok(false)` when there
/// was nothing to write.
pub(crate) type Written = Result<bool, WriteError>;

/// The one codec of a `wsc_struct!` field: how it is read from the attributes a parser
/// kept, written in hostapd's order, and written again in a parsed input's order.
///
/// `ATTR` is the field's attribute type for a field of one attribute (`name: T = Attr`;
/// `T` is an [`AttrValue`], required, an `Option` of one, or a flag), and [`GROUP`] for
/// a field that is not one attribute (`name: T`: the device attributes, the WFA
/// extension, a list, the Credentials, [`Extra`]).
pub(crate) trait Field<'a, const ATTR: u16>: Sized {
    /// The attributes the one-pass parser keeps for it.
    const ATTRS: &'static [AttrType];
    /// Reads it; the error is the first required attribute missing or malformed (not
    /// yet a [`MessageError::Missing`]: a failing field is then one constant and a jump
    /// to where the struct's parser makes the error, once).
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType>;
    /// Writes it in hostapd's order (nothing for an absent optional value).
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>);
    /// Writes its attribute `ty`, in place of `kept`, the input's value, when
    /// re-encoding a parsed struct; `Ok(false)` when it holds no `ty` (nothing written:
    /// `kept` is copied).
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, kept: &[u8], out: &mut B) -> Written;
}

/// The `ATTR` of a field that is not one attribute.
pub(crate) const GROUP: u16 = 0;

/// The attribute type of a field of one attribute: one written without its `= Attr`
/// stops the build here.
const fn one_attr(attr: u16) -> AttrType {
    assert!(attr != GROUP, "a field of one attribute needs its `= Attr`");
    AttrType::from_u16(attr)
}

/// A required attribute.
impl<'a, T: AttrValue<'a>, const ATTR: u16> Field<'a, ATTR> for T {
    const ATTRS: &'static [AttrType] = &[one_attr(ATTR)];
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        let attr = AttrType::from_u16(ATTR);
        src.src_value(attr).ok_or(attr)
    }
    #[inline(always)]
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        self.with_bytes(|v| w.attr(ATTR, v));
    }
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, _: &[u8], out: &mut B) -> Written {
        if ty.to_u16() != ATTR {
            return Ok(false);
        }
        self.with_bytes(|v| tlv::write_tlv(out, ATTR, v))?;
        Ok(true)
    }
}

/// An optional attribute (written only when present).
impl<'a, T: AttrValue<'a>, const ATTR: u16> Field<'a, ATTR> for Option<T> {
    const ATTRS: &'static [AttrType] = &[one_attr(ATTR)];
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        Ok(src.src_value(AttrType::from_u16(ATTR)))
    }
    #[inline(always)]
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        if let Some(v) = self {
            Field::<ATTR>::write(v, w);
        }
    }
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, kept: &[u8], out: &mut B) -> Written {
        match self {
            Some(v) => Field::<ATTR>::write_kept(v, ty, kept, out),
            None => Ok(false),
        }
    }
}

/// A flag (AP Setup Locked, Selected Registrar) as hostapd reads it, present and
/// non-zero, and writes it: value 1, only when true.
impl<'a, const ATTR: u16> Field<'a, ATTR> for bool {
    const ATTRS: &'static [AttrType] = &[one_attr(ATTR)];
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        Ok(src.src_flag(AttrType::from_u16(ATTR)))
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        if *self {
            w.attr(ATTR, &[1]);
        }
    }
    /// Copies the input's value when it reads as the field does (a true flag may have
    /// any non-zero value); otherwise writes as [`Field::write`] does, and a false flag
    /// read from a true one is left out.
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, kept: &[u8], out: &mut B) -> Written {
        if ty.to_u16() != ATTR || matches!(kept, [v] if *v != 0) == *self {
            return Ok(false);
        }
        if *self {
            tlv::write_u8(out, ATTR, 1)?;
        }
        Ok(true)
    }
}

/// The six device attributes, all required.
impl<'a> Field<'a, GROUP> for DeviceAttrs<'a> {
    const ATTRS: &'static [AttrType] = &DeviceAttrs::ORDER;
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        DeviceAttrs::from_source(src)
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        self.write_to(w);
    }
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, _: &[u8], out: &mut B) -> Written {
        self.emit_one(ty, out)
    }
}

/// The six device attributes, or the first of them missing: for a parser that leaves
/// the requirement to its caller (M2 and M2D's shared one).
impl<'a> Field<'a, GROUP> for Result<DeviceAttrs<'a>, AttrType> {
    const ATTRS: &'static [AttrType] = &DeviceAttrs::ORDER;
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        Ok(DeviceAttrs::from_source(src))
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        if let Ok(d) = self {
            d.write_to(w);
        }
    }
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, _: &[u8], out: &mut B) -> Written {
        match self {
            Ok(d) => d.emit_one(ty, out),
            Err(_) => Ok(false),
        }
    }
}

/// The six device attributes when all are present.
impl<'a> Field<'a, GROUP> for Option<DeviceAttrs<'a>> {
    const ATTRS: &'static [AttrType] = &DeviceAttrs::ORDER;
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        Ok(DeviceAttrs::from_source(src).ok())
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        if let Some(d) = self {
            d.write_to(w);
        }
    }
    fn write_kept<B: Buf + ?Sized>(&self, ty: AttrType, _: &[u8], out: &mut B) -> Written {
        match self {
            Some(d) => d.emit_one(ty, out),
            None => Ok(false),
        }
    }
}

/// The WFA vendor extension (the walk finds it; re-encoding copies it).
impl<'a> Field<'a, GROUP> for Option<WfaExtension<'a>> {
    const ATTRS: &'static [AttrType] = &[];
    #[inline(always)]
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        Ok(src.src_wfa())
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        if let Some(wfa) = self {
            w.group(|out| wfa.emit(out));
        }
    }
    fn write_kept<B: Buf + ?Sized>(&self, _: AttrType, _: &[u8], _: &mut B) -> Written {
        Ok(false)
    }
}

/// The Requested Device Types of a Probe Request (re-encoding copies them).
impl<'a> Field<'a, GROUP> for DeviceTypeList {
    const ATTRS: &'static [AttrType] = &[];
    fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
        let mut list = DeviceTypeList::new();
        for t in &src.src_requested_device_types() {
            if let Some(t) = PrimaryDeviceType::from_slice(t) {
                // As many as the source list holds.
                let _ = list.push(t);
            }
        }
        Ok(list)
    }
    fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        for t in self {
            w.attr(u16::from(AttrType::RequestedDeviceType), &t.to_bytes());
        }
    }
    fn write_kept<B: Buf + ?Sized>(&self, _: AttrType, _: &[u8], _: &mut B) -> Written {
        Ok(false)
    }
}

/// The groups read from the whole input and copied from it when re-encoding: the
/// Credentials of an M8; [`Extra`], which writes other vendors' extensions.
macro_rules! input_groups {
    ($($t:ident),*) => {$(
        impl<'a> Field<'a, GROUP> for $t<'a> {
            const ATTRS: &'static [AttrType] = &[];
            #[inline(always)]
            fn read<S: Source<'a>>(src: &S) -> Result<Self, AttrType> {
                Ok($t::parsed(src.src_raw()))
            }
            fn write<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
                self.write_to(w);
            }
            fn write_kept<B: Buf + ?Sized>(&self, _: AttrType, _: &[u8], _: &mut B) -> Written {
                Ok(false)
            }
        }
    )*};
}

input_groups!(Credentials, Extra);

/// Defines a message (or attribute-set) struct from its fields in hostapd's order: the
/// struct with public fields, `parse`, `from_attributes`, `emit`, `buffer_len`,
/// `emit_preserving` and `to_bytes`.
///
/// Every field goes through its type's [`Field`] codec: `name: T = Attr` for one
/// attribute (required unless `T` is an `Option`), `name: T` for the others
/// ([`DeviceAttrs`], the WFA extension, [`Credentials`], [`Extra`], a list); fields are
/// written in the order listed. Every
/// struct lists `extra: Extra<'a>`, which keeps a parsed struct's input (for
/// `emit_preserving`) and writes other vendors' extensions where it stands.
///
/// `: message M1` adds the Version field (`version`) and the Message Type, first, and
/// `parse_received`; `: message WscAck in envelope` leaves that out (the registration
/// machines read the message from its `Envelope`), as does `in pair` (M2 and M2D, M5..M8:
/// see `m2.rs`, `m3_m8.rs`).
/// `, authenticator` adds the last field, `authenticator: Option<[u8; 8]>` (an `Option`
/// so a builder can leave it to
/// [`append_authenticator`](crate::message::append_authenticator), but required when
/// parsing), and `emit_without_authenticator`, which writes everything before it.
/// `where check` has the parser pass the struct it read to `check(&value)`, a rule
/// across fields (a Probe Request's UUID-E or UUID-R).
macro_rules! wsc_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(: message $mt:ident $(in $env:ident)?)? $(, $auth:ident)? $(where $check:path)? {
            $(
                $(#[$fmeta:meta])*
                $f:ident : $fty:ty $(= $attr:ident)?,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq)]
        pub struct $name<'a> {
            $(
                /// Version (0x104A): 0x10 in every WSC 1.0 and 2.0 message.
                pub version: wsc_struct!(@u8 $mt),
            )?
            $(
                $(#[$fmeta])*
                pub $f: $fty,
            )*
            $(
                /// Authenticator (always present in a parsed message; `None` in one
                /// being built, see `emit_without_authenticator`).
                pub $auth: Option<[u8; 8]>,
            )?
        }

        impl<'a> $name<'a> {
            /// The attributes the fields read, for the one-pass parser.
            const GROUPS: &'static [&'static [$crate::attr::AttrType]] = &[
                $( wsc_struct!(@header $mt), )?
                $( wsc_struct!(@attrs $fty $(, $attr)?), )*
                $( wsc_struct!(@auth_attrs $auth), )?
            ];

            /// Parses the attribute stream; see the module documentation for what is
            /// checked. One pass, no allocation.
            #[inline]
            pub fn parse(buf: &'a [u8]) -> Result<Self, $crate::message::MessageError> {
                Self::parse_with::<true>(buf $(, $crate::attr::MessageType::$mt)?)
            }

            $( wsc_struct!(@parse_received $mt $(in $env)?); )?

            #[inline(always)]
            fn parse_with<const VERSION_REQUIRED: bool>(
                buf: &'a [u8],
                $( expected: wsc_struct!(@message_type $mt), )?
            ) -> Result<Self, $crate::message::MessageError> {
                const GROUPS: &[&[$crate::attr::AttrType]] = $name::<'static>::GROUPS;
                layout!(Layout = GROUPS);
                let mut picked = $crate::message::macros::Picked::<
                    Layout,
                    { $crate::message::macros::Lookup::table_len(GROUPS) },
                >::new(buf);
                wsc_struct!(@fill picked, VERSION_REQUIRED $(, expected, version_value, $mt)?);
                Self::from_fields(&picked $(, wsc_struct!(@id version_value $mt))?)
            }

            /// Takes the fields from attributes parsed already (their input is kept in
            /// `extra`).
            pub fn from_attributes(
                a: &$crate::attr::Attributes<'a>,
            ) -> Result<Self, $crate::message::MessageError> {
                Self::from_source::<_, true>(a $(, $crate::attr::MessageType::$mt)?)
            }

            #[inline]
            fn from_source<S: $crate::message::macros::Source<'a>, const VERSION_REQUIRED: bool>(
                a: &S,
                $( expected: wsc_struct!(@message_type $mt), )?
            ) -> Result<Self, $crate::message::MessageError> {
                $(
                    let version_value = $crate::message::macros::Source::src_header(
                        a,
                        wsc_struct!(@id expected $mt),
                        VERSION_REQUIRED,
                    )?;
                )?
                Self::from_fields(a $(, wsc_struct!(@id version_value $mt))?)
            }

            /// The fields after the header, checked.
            #[inline(always)]
            fn from_fields<S: $crate::message::macros::Source<'a>>(
                a: &S,
                $( version_value: wsc_struct!(@u8 $mt), )?
            ) -> Result<Self, $crate::message::MessageError> {
                // Every field that fails jumps to the one `Missing` here.
                let value = Self::read_fields(a $(, wsc_struct!(@id version_value $mt))?)
                    .map_err($crate::message::MessageError::Missing)?;
                $( $check(&value)?; )?
                Ok(value)
            }

            /// The fields after the header; the error is the first required attribute
            /// missing ([`Field::read`](crate::message::macros::Field::read)).
            #[inline(always)]
            fn read_fields<S: $crate::message::macros::Source<'a>>(
                a: &S,
                $( version_value: wsc_struct!(@u8 $mt), )?
            ) -> Result<Self, $crate::attr::AttrType> {
                Ok($name {
                    $( version: wsc_struct!(@id version_value $mt), )?
                    $( $f: wsc_struct!(@read a, $fty $(, $attr)?), )*
                    $(
                        $auth: Some(<[u8; 8] as $crate::message::macros::Field<
                            'a,
                            { $crate::attr::AttrType::Authenticator.to_u16() },
                        >>::read(a)?),
                    )?
                })
            }

            /// Writes every attribute in hostapd's order.
            pub fn emit<B: $crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
            ) -> Result<(), $crate::tlv::WriteError> {
                let mut w = $crate::message::macros::AttrWriter::new(out);
                self.write_fields(&mut w);
                $( wsc_struct!(@write self.$auth, &mut w, Option<[u8; 8]>, Authenticator); )?
                w.finish()
            }

            $(
                /// Writes everything but the Authenticator, which covers these bytes; add
                /// it with [`append_authenticator`](crate::message::append_authenticator).
                pub fn emit_without_authenticator<B: $crate::tlv::Buf + ?Sized>(
                    &self,
                    out: &mut B,
                ) -> Result<(), $crate::tlv::WriteError> {
                    let mut w = $crate::message::macros::AttrWriter::new(out);
                    wsc_struct!(@id self $auth).write_fields(&mut w);
                    w.finish()
                }
            )?

            /// Bytes [`emit`](Self::emit) writes.
            pub fn buffer_len(&self) -> usize {
                let mut n = $crate::tlv::Counter::default();
                // A Counter never runs out of room.
                let _ = self.emit(&mut n);
                $crate::tlv::Buf::written(&n)
            }

            /// Writes the fields before the Authenticator, in hostapd's order.
            fn write_fields<B: $crate::tlv::Buf + ?Sized>(
                &self,
                w: &mut $crate::message::macros::AttrWriter<'_, B>,
            ) {
                $(
                    w.attr(u16::from($crate::attr::AttrType::Version), &[self.version]);
                    w.attr(
                        u16::from($crate::attr::AttrType::MessageType),
                        &[u8::from($crate::attr::MessageType::$mt)],
                    );
                )?
                $( wsc_struct!(@write self.$f, w, $fty $(, $attr)?); )*
            }

            /// Writes the attribute `ty` from its field in place of the input's value
            /// `kept`; `Ok(false)` (nothing written: copy `kept`) when the struct has no
            /// such field or it is empty.
            fn emit_attr<B: $crate::tlv::Buf + ?Sized>(
                &self,
                ty: $crate::attr::AttrType,
                kept: &[u8],
                out: &mut B,
            ) -> Result<bool, $crate::tlv::WriteError> {
                $(
                    if ty == $crate::attr::AttrType::Version {
                        $crate::tlv::write_u8(out, u16::from(ty), self.version)?;
                        return Ok(true);
                    }
                    if ty == $crate::attr::AttrType::MessageType {
                        $crate::tlv::write_u8(out, u16::from(ty), u8::from($crate::attr::MessageType::$mt))?;
                        return Ok(true);
                    }
                )?
                $(
                    if wsc_struct!(@write_kept self.$f, ty, kept, out, $fty $(, $attr)?) {
                        return Ok(true);
                    }
                )*
                $(
                    if wsc_struct!(@write_kept self.$auth, ty, kept, out, Option<[u8; 8]>, Authenticator) {
                        return Ok(true);
                    }
                )?
                Ok(false)
            }

            /// Writes the struct in the order of the input it was parsed from (see
            /// [`Extra`](crate::message::Extra)), or in hostapd's order when it was built.
            pub fn emit_preserving<B: $crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
            ) -> Result<(), $crate::tlv::WriteError> {
                match self.extra.source() {
                    Some(src) => $crate::message::emit_in_source_order(src, out, |ty, kept, o| {
                        self.emit_attr(ty, kept, o)
                    }),
                    None => self.emit(out),
                }
            }

            /// The encoded attributes ([`emit_preserving`](Self::emit_preserving) into a
            /// new vector): byte-exact for a parsed struct.
            #[cfg(feature = "alloc")]
            pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
                // One allocation of the final size: a parsed struct re-encodes to its
                // input's length; a built one is measured first.
                let len = self.extra.source().map_or_else(|| self.buffer_len(), <[u8]>::len);
                let mut out = alloc::vec::Vec::with_capacity(len);
                // A Vec never runs out of room; only a built value over 65535 bytes
                // could fail, and it is then left out.
                let _ = self.emit_preserving(&mut out);
                out
            }
        }
    };
    (@parse_received $mt:ident) => {
        #[doc = concat!("Reads a received ", stringify!($mt), " as hostapd's (non-strict) receiver does:")]
        /// like [`parse`](Self::parse), but a missing Version attribute is
        /// accepted (hostapd checks Version only in its strict validator);
        /// `version` is then 0.
        #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
        pub(crate) fn parse_received(
            buf: &'a [u8],
        ) -> Result<Self, $crate::message::MessageError> {
            Self::parse_with::<false>(buf, $crate::attr::MessageType::$mt)
        }
    };
    // A message the registration machines read from its `Envelope` has no
    // `parse_received`.
    (@parse_received $mt:ident in envelope) => {};
    // One of two messages with the same attributes (M5 and M7, M6 and M8; M2 and M2D,
    // see `m2.rs`): one hand-written parser reads both (`parse_received_as`), so a
    // machine that reads both has one copy.
    (@parse_received $mt:ident in pair) => {};
    (@message_type $mt:ident) => { $crate::attr::MessageType };
    // Fills a parser's table; for a message also checks its header and names its
    // Version `$version`.
    (@fill $picked:ident, $required:ident) => { $picked.fill()?; };
    (@fill $picked:ident, $required:ident, $expected:ident, $version:ident, $mt:ident) => {
        let $version = $picked.fill_message($expected, $required)?;
    };
    (@u8 $mt:ident) => { u8 };
    (@header $mt:ident) => { &[$crate::attr::AttrType::Version, $crate::attr::AttrType::MessageType] };
    (@auth_attrs $auth:ident) => { &[$crate::attr::AttrType::Authenticator] };
    (@id $v:ident $mt:ident) => { $v };
    (@attr $attr:ident) => { $crate::attr::AttrType::$attr.to_u16() };
    (@attr) => { $crate::message::macros::GROUP };
    (@attrs $fty:ty $(, $attr:ident)?) => {
        <$fty as $crate::message::macros::Field<'a, { wsc_struct!(@attr $($attr)?) }>>::ATTRS
    };
    (@read $a:ident, $fty:ty $(, $attr:ident)?) => {
        <$fty as $crate::message::macros::Field<'a, { wsc_struct!(@attr $($attr)?) }>>::read($a)?
    };
    (@write $s:ident . $f:ident, $w:expr, $fty:ty $(, $attr:ident)?) => {
        <$fty as $crate::message::macros::Field<'a, { wsc_struct!(@attr $($attr)?) }>>::write(
            &$s.$f,
            $w,
        )
    };
    (@write_kept $s:ident . $f:ident, $ty:ident, $kept:ident, $out:ident, $fty:ty $(, $attr:ident)?) => {
        <$fty as $crate::message::macros::Field<'a, { wsc_struct!(@attr $($attr)?) }>>::write_kept(
            &$s.$f,
            $ty,
            $kept,
            $out,
        )?
    };
}

/// Several [`wsc_struct!`]s of one family: each lists only its own fields, which stand
/// between the family's `first` and `last` fields; `each` holds attributes every struct
/// gets.
///
/// ```ignore
/// wsc_family! {
///     each [#[derive(Debug)]]
///     first { enrollee_nonce: &'a [u8; 16] = EnrolleeNonce, }
///     last { extra: Extra<'a>, }
///     /// WSC_Done.
///     pub struct Done: message WscDone {}
/// }
/// ```
macro_rules! wsc_family {
    (
        each $each:tt
        first $first:tt
        last $last:tt
        $(
            $(#[$meta:meta])*
            pub struct $name:ident $(: message $mt:ident $(in $env:ident)?)? $(, $auth:ident)? { $($own:tt)* }
        )*
    ) => {$(
        wsc_family!(@one $each $first $last
            [$(#[$meta])* pub struct $name $(: message $mt $(in $env)?)? $(, $auth)?] { $($own)* });
    )*};
    (@one [$($each:tt)*] { $($first:tt)* } { $($last:tt)* } [$($head:tt)*] { $($own:tt)* }) => {
        wsc_struct! {
            $($each)*
            $($head)* { $($first)* $($own)* $($last)* }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{CredentialRef, MessageError};

    /// An empty value is present (`Some(&[])`), an absent one `None`: the table keeps
    /// absent values empty, with the presence apart.
    #[test]
    fn picked_tells_empty_from_absent() {
        let mut with_key = alloc::vec::Vec::new();
        let mut without_key = alloc::vec::Vec::new();
        for (t, v) in [
            (AttrType::NetworkIndex, &[1][..]),
            (AttrType::Ssid, b""),
            (AttrType::AuthenticationType, &[0, 1]),
            (AttrType::EncryptionType, &[0, 1]),
            (AttrType::NetworkKey, b""),
            (AttrType::MacAddress, &[2; 6]),
        ] {
            assert_eq!(tlv::write_tlv(&mut with_key, t.to_u16(), v), Ok(()));
            if t != AttrType::NetworkKey {
                assert_eq!(tlv::write_tlv(&mut without_key, t.to_u16(), v), Ok(()));
            }
        }
        let c = CredentialRef::parse(&with_key).map(|c| (c.ssid, c.network_key));
        assert_eq!(c, Ok((&b""[..], Some(&b""[..]))));
        let c = CredentialRef::parse(&without_key).map(|c| (c.ssid, c.network_key));
        assert_eq!(c, Ok((&b""[..], None)));
        // A fixed-length value absent: the error names it.
        let no_mac = without_key
            .get(..without_key.len() - 10)
            .unwrap_or_default();
        assert_eq!(
            CredentialRef::parse(no_mac).map(|_| ()),
            Err(MessageError::Missing(AttrType::MacAddress))
        );
    }

    /// The list the 32-bit walk builds its map from gives every slot the place the map
    /// gives it.
    #[test]
    fn read_list_gives_the_places_of_the_map() {
        const GROUPS: &[&[AttrType]] = &[
            &[AttrType::Version, AttrType::MessageType],
            &DeviceAttrs::ORDER,
            &[AttrType::Authenticator],
        ];
        let map = Lookup::new(GROUPS).0;
        let mut from_list = [0u8; SLOTS];
        for (place, slot) in (1..).zip(&Lookup::read::<9>(GROUPS)) {
            from_list[usize::from(*slot)] = place;
        }
        assert_eq!(from_list, map);
        assert_eq!(map.iter().filter(|p| **p != 0).count(), 9);
    }
}
