//! The machinery shared by every message struct: typed attribute values and the macro
//! that writes each struct's parser and emitters from one field list.

use crate::attr::parse::{FIRST_SLOT, KeptKind, SLOTS, Summary, Table, walk};
use crate::attr::{
    AssociationState, AuthType, ConfigError, ConfigMethods, ConnectionTypeFlags, DevicePasswordId,
    EncrType, MacAddr, PrimaryDeviceType, RfBands, Uuid, WscState,
};
use crate::attr::{AttrError, AttrType, Attributes, WfaExtension};
use crate::tlv::{self, Buf, WriteError};

/// Where a message parser reads attribute values from: the general [`Attributes`] table
/// or the small [`Picked`] one a message parser fills for itself.
pub(crate) trait Source<'a> {
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]>;
    fn src_wfa(&self) -> Option<WfaExtension<'a>>;
    fn src_raw(&self) -> &'a [u8];
}

impl<'a> Source<'a> for Attributes<'a> {
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]> {
        self.get(t)
    }
    fn src_wfa(&self) -> Option<WfaExtension<'a>> {
        self.wfa().copied()
    }
    fn src_raw(&self) -> &'a [u8] {
        self.raw()
    }
}

/// Most attributes one struct types (M2 has the most: 23).
const MAX_PICK: usize = 32;

/// Maps an attribute's slot to its place in a [`Picked`] table (0 = not wanted: the
/// table's spare first place).
pub(crate) struct Lookup([u8; SLOTS]);

impl Lookup {
    /// Built at compile time from the attribute types a struct reads.
    // Evaluated only in const items (the `wsc_struct!` parser's `LOOKUP` and table
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
    // Evaluated only in const items (the `wsc_struct!` parser's `LOOKUP` and table
    // size): an index out of range or an overflow is a compile error.
    #[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
    pub(crate) const fn places(groups: &[&[AttrType]]) -> usize {
        let mut n = 1;
        let mut g = 0;
        while g < groups.len() {
            n += groups[g].len();
            g += 1;
        }
        n
    }

    /// The [`walk`] table handing out these places.
    pub(crate) const fn table(&self) -> Table {
        Table::new(&self.0)
    }
}

/// The [`Lookup`] of one struct, as a type: a constant the compiler sees through, so
/// each field read folds to a fixed place in the table.
pub(crate) trait Layout {
    const LOOKUP: Lookup;
    const TABLE: Table;
}

/// The values of just the attributes one struct reads (places 1..`N`, placed by `L`;
/// place 0 takes the attributes it does not read), filled in one [`walk`].
pub(crate) struct Picked<'a, L, const N: usize> {
    values: [Option<&'a [u8]>; N],
    /// What the walk learnt besides the values: the WFA extension.
    summary: Summary<'a>,
    raw: &'a [u8],
    layout: core::marker::PhantomData<L>,
}

impl<'a, L: Layout, const N: usize> Picked<'a, L, N> {
    /// An empty table for `buf`; [`Picked::fill`] reads it.
    #[inline(always)]
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Picked {
            values: [None; N],
            summary: Summary::default(),
            raw: buf,
            layout: core::marker::PhantomData,
        }
    }

    /// Walks the input once, recording the attributes the struct reads.
    // Always inlined into each message's parser, where the table is a known static and
    // the values stay where they are (no move of the filled table): the field reads that
    // follow fold to constant indices.
    #[inline(always)]
    pub(crate) fn fill(&mut self) -> Result<(), AttrError> {
        let values = &mut self.values;
        walk(self.raw, &L::TABLE, &mut self.summary, |kept| {
            // Unwanted ones land in place 0, never read: no test on the way.
            if let KeptKind::Slot(place) = kept.kind
                && let Some(v) = values.get_mut(usize::from(place))
            {
                *v = Some(kept.value);
            }
        })?;
        Ok(())
    }
}

impl<'a, L: Layout, const N: usize> Source<'a> for Picked<'a, L, N> {
    #[inline(always)]
    fn src_get(&self, t: AttrType) -> Option<&'a [u8]> {
        let slot = usize::from(t.to_u16().wrapping_sub(FIRST_SLOT));
        match *L::LOOKUP.0.get(slot)? {
            0 => None,
            place => *self.values.get(usize::from(place))?,
        }
    }
    #[inline]
    fn src_wfa(&self) -> Option<WfaExtension<'a>> {
        self.summary.wfa
    }
    #[inline]
    fn src_raw(&self) -> &'a [u8] {
        self.raw
    }
}

/// A typed attribute value: decoded from the value bytes hostapd's parser kept, written
/// back as the same bytes.
pub(crate) trait AttrValue<'a>: Sized {
    fn decode(v: &'a [u8]) -> Option<Self>;
    fn write<B: Buf + ?Sized>(&self, ty: u16, out: &mut B) -> Result<(), WriteError>;
}

impl<'a> AttrValue<'a> for &'a [u8] {
    fn decode(v: &'a [u8]) -> Option<Self> {
        Some(v)
    }
    fn write<B: Buf + ?Sized>(&self, ty: u16, out: &mut B) -> Result<(), WriteError> {
        tlv::write_tlv(out, ty, self)
    }
}

impl<'a, const N: usize> AttrValue<'a> for &'a [u8; N] {
    fn decode(v: &'a [u8]) -> Option<Self> {
        v.try_into().ok()
    }
    fn write<B: Buf + ?Sized>(&self, ty: u16, out: &mut B) -> Result<(), WriteError> {
        tlv::write_tlv(out, ty, &self[..])
    }
}

impl<'a, const N: usize> AttrValue<'a> for [u8; N] {
    fn decode(v: &'a [u8]) -> Option<Self> {
        v.try_into().ok()
    }
    fn write<B: Buf + ?Sized>(&self, ty: u16, out: &mut B) -> Result<(), WriteError> {
        tlv::write_tlv(out, ty, self)
    }
}

macro_rules! via_bytes {
    ($($t:ty => $n:literal, |$b:ident| $from:expr, |$s:ident| $to:expr;)*) => {$(
        impl<'a> AttrValue<'a> for $t {
            fn decode(v: &'a [u8]) -> Option<Self> {
                let $b: [u8; $n] = v.try_into().ok()?;
                Some($from)
            }
            fn write<B: Buf + ?Sized>(&self, ty: u16, out: &mut B) -> Result<(), WriteError> {
                let $s = *self;
                let bytes: [u8; $n] = $to;
                tlv::write_tlv(out, ty, &bytes)
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
}

/// Field type for each kind.
macro_rules! wsc_field_ty {
    (req $t:ty) => { $t };
    (opt $t:ty) => { Option<$t> };
    (device) => { $crate::message::DeviceAttrs<'a> };
    (device_opt) => { Option<$crate::message::DeviceAttrs<'a>> };
    (wfa) => { Option<$crate::attr::WfaExtension<'a>> };
    (credentials) => { $crate::message::Credentials<'a> };
    (req_auth) => { Option<[u8; 8]> };
}

/// The attribute types a field reads.
macro_rules! wsc_field_attrs {
    (req, $attr:ident) => {
        &[$crate::attr::AttrType::$attr]
    };
    (opt, $attr:ident) => {
        &[$crate::attr::AttrType::$attr]
    };
    (req_auth) => {
        &[$crate::attr::AttrType::Authenticator]
    };
    (device) => {
        &$crate::message::DeviceAttrs::ORDER
    };
    (device_opt) => {
        &$crate::message::DeviceAttrs::ORDER
    };
    (wfa) => {
        &[]
    };
    (credentials) => {
        &[]
    };
}

/// Reads one field from parsed attributes.
macro_rules! wsc_field_get {
    ($a:ident, req, $attr:ident) => {{
        let t = $crate::attr::AttrType::$attr;
        $crate::message::macros::Source::src_get($a, t)
            .and_then($crate::message::macros::AttrValue::decode)
            .ok_or($crate::message::MessageError::Missing(t))?
    }};
    ($a:ident, opt, $attr:ident) => {
        $crate::message::macros::Source::src_get($a, $crate::attr::AttrType::$attr)
            .and_then($crate::message::macros::AttrValue::decode)
    };
    ($a:ident, device) => {
        $crate::message::DeviceAttrs::from_source($a)?
    };
    ($a:ident, device_opt) => {
        $crate::message::DeviceAttrs::from_source($a).ok()
    };
    ($a:ident, wfa) => {
        $crate::message::macros::Source::src_wfa($a)
    };
    ($a:ident, credentials) => {
        $crate::message::Credentials::parsed($crate::message::macros::Source::src_raw($a))
    };
    ($a:ident, req_auth) => {
        Some(wsc_field_get!($a, req, Authenticator))
    };
}

/// Writes one field in hostapd's order (`skip_auth`: leave the Authenticator out).
macro_rules! wsc_field_put {
    ($s:ident, $out:ident, $skip:tt, $f:ident, req, $attr:ident) => {
        $crate::message::macros::AttrValue::write(
            &$s.$f,
            u16::from($crate::attr::AttrType::$attr),
            $out,
        )?
    };
    ($s:ident, $out:ident, $skip:tt, $f:ident, opt, $attr:ident) => {
        if let Some(v) = &$s.$f {
            $crate::message::macros::AttrValue::write(
                v,
                u16::from($crate::attr::AttrType::$attr),
                $out,
            )?
        }
    };
    ($s:ident, $out:ident, $skip:tt, $f:ident, device) => {
        $s.$f.emit($out)?
    };
    ($s:ident, $out:ident, $skip:tt, $f:ident, device_opt) => {
        if let Some(d) = &$s.$f {
            d.emit($out)?
        }
    };
    ($s:ident, $out:ident, $skip:tt, $f:ident, wfa) => {{
        if let Some(w) = &$s.$f {
            w.emit($out)?
        }
        $s.extra.emit_vendor_extensions($out)?
    }};
    ($s:ident, $out:ident, $skip:tt, $f:ident, credentials) => {
        $s.$f.emit($out)?
    };
    ($s:ident, $out:ident, $skip:tt, $f:ident, req_auth) => {
        if !$skip {
            wsc_field_put!($s, $out, $skip, $f, opt, Authenticator)
        }
    };
}

/// Writes one field if it is attribute `ty` (for re-encoding in the peer's order).
macro_rules! wsc_field_put_one {
    ($s:ident, $out:ident, $ty:ident, $f:ident, req, $attr:ident) => {
        if $ty == $crate::attr::AttrType::$attr {
            wsc_field_put!($s, $out, false, $f, req, $attr);
            return Ok(true);
        }
    };
    ($s:ident, $out:ident, $ty:ident, $f:ident, opt, $attr:ident) => {
        if $ty == $crate::attr::AttrType::$attr && $s.$f.is_some() {
            wsc_field_put!($s, $out, false, $f, opt, $attr);
            return Ok(true);
        }
    };
    ($s:ident, $out:ident, $ty:ident, $f:ident, device) => {
        if $s.$f.emit_one($ty, $out)? {
            return Ok(true);
        }
    };
    ($s:ident, $out:ident, $ty:ident, $f:ident, device_opt) => {
        if let Some(d) = &$s.$f
            && d.emit_one($ty, $out)?
        {
            return Ok(true);
        }
    };
    // Vendor extensions and Credentials are copied from the source as they are.
    ($s:ident, $out:ident, $ty:ident, $f:ident, wfa) => {};
    ($s:ident, $out:ident, $ty:ident, $f:ident, credentials) => {};
    ($s:ident, $out:ident, $ty:ident, $f:ident, req_auth) => {
        wsc_field_put_one!($s, $out, $ty, $f, opt, Authenticator)
    };
}

/// Defines a message (or attribute-set) struct from its fields in hostapd's order.
///
/// Field kinds: `req T = Attr` (required, the error names `Attr`), `opt T = Attr`,
/// `device` ([`DeviceAttrs`](crate::message::DeviceAttrs), required), `device_opt`,
/// `wfa` (the WFA extension, followed by [`Extra`](crate::message::Extra)'s vendor
/// extensions), `credentials`, `req_auth` (the Authenticator: an `Option` so a builder
/// can leave it to [`append_authenticator`](crate::message::append_authenticator), but
/// required when parsing; `emit_without_authenticator` leaves it out). `message M1` adds the Version field and the Message Type.
macro_rules! wsc_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident $(: message $mt:ident)? {
            $(
                $(#[$fmeta:meta])*
                $f:ident : $kind:ident $(($fty:ty))? $(= $attr:ident)?,
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
                pub $f: wsc_field_ty!($kind $($fty)?),
            )*
            /// Attributes the fields do not hold (see [`Extra`](crate::message::Extra)).
            pub extra: $crate::message::Extra<'a>,
        }

        impl<'a> $name<'a> {
            /// Parses the attribute stream; see the module documentation for what is
            /// checked. One pass, no allocation.
            #[inline]
            pub fn parse(buf: &'a [u8]) -> Result<Self, $crate::message::MessageError> {
                Self::parse_with::<true>(buf)
            }

            $(
                #[doc = concat!("Reads a received ", stringify!($mt), " as hostapd's (non-strict) receiver does:")]
                /// like [`parse`](Self::parse), but a missing Version attribute is
                /// accepted (hostapd checks Version only in its strict validator);
                /// `version` is then 0.
                #[cfg_attr(not(feature = "alloc"), allow(dead_code))]
                pub(crate) fn parse_received(
                    buf: &'a [u8],
                ) -> Result<Self, $crate::message::MessageError> {
                    Self::parse_with::<false>(buf)
                }
            )?

            #[inline(always)]
            fn parse_with<const VERSION_REQUIRED: bool>(
                buf: &'a [u8],
            ) -> Result<Self, $crate::message::MessageError> {
                const GROUPS: &[&[$crate::attr::AttrType]] = &[
                    $( wsc_struct!(@header $mt), )?
                    $( wsc_field_attrs!($kind $(, $attr)?), )*
                ];
                struct Layout;
                impl $crate::message::macros::Layout for Layout {
                    const LOOKUP: $crate::message::macros::Lookup =
                        $crate::message::macros::Lookup::new(GROUPS);
                    const TABLE: $crate::attr::parse::Table =
                        <Self as $crate::message::macros::Layout>::LOOKUP.table();
                }
                let mut picked = $crate::message::macros::Picked::<
                    Layout,
                    { $crate::message::macros::Lookup::places(GROUPS) },
                >::new(buf);
                picked.fill()?;
                Self::from_source::<_, VERSION_REQUIRED>(&picked)
            }

            /// Takes the fields from attributes parsed already (their input is kept in
            /// `extra`).
            pub fn from_attributes(
                a: &$crate::attr::Attributes<'a>,
            ) -> Result<Self, $crate::message::MessageError> {
                Self::from_source::<_, true>(a)
            }

            #[inline]
            fn from_source<S: $crate::message::macros::Source<'a>, const VERSION_REQUIRED: bool>(
                a: &S,
            ) -> Result<Self, $crate::message::MessageError> {
                $(
                    let version_value = if VERSION_REQUIRED {
                        wsc_field_get!(a, req, Version)
                    } else {
                        $crate::message::macros::Source::src_get(a, $crate::attr::AttrType::Version)
                            .and_then($crate::message::macros::AttrValue::decode)
                            .unwrap_or(0)
                    };
                    let found = $crate::message::macros::Source::src_get(a, $crate::attr::AttrType::MessageType)
                        .and_then(|v| v.first().copied())
                        .map($crate::attr::MessageType::from)
                        .ok_or($crate::message::MessageError::Missing($crate::attr::AttrType::MessageType))?;
                    if found != $crate::attr::MessageType::$mt {
                        return Err($crate::message::MessageError::WrongType {
                            found,
                            expected: $crate::attr::MessageType::$mt,
                        });
                    }
                )?
                Ok($name {
                    $( version: wsc_struct!(@id version_value $mt), )?
                    $( $f: wsc_field_get!(a, $kind $(, $attr)?), )*
                    extra: $crate::message::Extra::parsed($crate::message::macros::Source::src_raw(a)),
                })
            }

            /// Writes every attribute in hostapd's order.
            pub fn emit<B: $crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
            ) -> Result<(), $crate::tlv::WriteError> {
                self.emit_fields(out, false)
            }

            #[allow(unused_variables)]
            fn emit_fields<B: $crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
                skip_auth: bool,
            ) -> Result<(), $crate::tlv::WriteError> {
                let s = self;
                $(
                    $crate::tlv::write_u8(out, u16::from($crate::attr::AttrType::Version), s.version)?;
                    $crate::tlv::write_u8(
                        out,
                        u16::from($crate::attr::AttrType::MessageType),
                        u8::from($crate::attr::MessageType::$mt),
                    )?;
                )?
                $( wsc_field_put!(s, out, skip_auth, $f, $kind $(, $attr)?); )*
                Ok(())
            }

            /// Writes the attribute `ty` from its field; `Ok(false)` (nothing written)
            /// when the struct has no such field or it is empty.
            pub fn emit_attr<B: $crate::tlv::Buf + ?Sized>(
                &self,
                ty: $crate::attr::AttrType,
                out: &mut B,
            ) -> Result<bool, $crate::tlv::WriteError> {
                let s = self;
                $(
                    if ty == $crate::attr::AttrType::Version {
                        $crate::tlv::write_u8(out, u16::from(ty), s.version)?;
                        return Ok(true);
                    }
                    if ty == $crate::attr::AttrType::MessageType {
                        $crate::tlv::write_u8(out, u16::from(ty), u8::from($crate::attr::MessageType::$mt))?;
                        return Ok(true);
                    }
                )?
                $( wsc_field_put_one!(s, out, ty, $f, $kind $(, $attr)?); )*
                Ok(false)
            }

            /// Writes the struct in the order of the input it was parsed from (see
            /// [`Extra`](crate::message::Extra)), or in hostapd's order when it was built.
            pub fn emit_preserving<B: $crate::tlv::Buf + ?Sized>(
                &self,
                out: &mut B,
            ) -> Result<(), $crate::tlv::WriteError> {
                match self.extra.source() {
                    Some(src) => $crate::message::emit_in_source_order(src, out, |ty, o| {
                        self.emit_attr(ty, o)
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
                let len = self.extra.source().map_or_else(
                    || {
                        let mut n = $crate::tlv::Counter::default();
                        let _ = self.emit(&mut n);
                        n.0
                    },
                    <[u8]>::len,
                );
                let mut out = alloc::vec::Vec::with_capacity(len);
                // A Vec never runs out of room; only a built value over 65535 bytes
                // could fail, and it is then left out.
                let _ = self.emit_preserving(&mut out);
                out
            }
        }
    };
    (@u8 $mt:ident) => { u8 };
    (@header $mt:ident) => { &[$crate::attr::AttrType::Version, $crate::attr::AttrType::MessageType] };
    (@id $v:ident $mt:ident) => { $v };
}
