//! The WSC attributes of 802.11 management frames: Beacon, Probe Request, Probe Response,
//! (Re)Association Request and Response.
//!
//! Each type is a borrowed, typed view of the attribute stream carried in the frame's WPS
//! vendor elements (join them first with [`crate::eap::element::join`]), and its own builder:
//! [`Beacon::emit`] and friends write the attributes in hostapd's order, so an IE that
//! hostapd or wpa_supplicant built (or that was parsed here) comes out byte for byte.
//!
//! Parsing applies hostapd's attribute rules ([`Attributes::parse`]) and then requires the
//! attributes hostapd's strict validator requires for that frame, except the WFA vendor
//! extension, which WSC 1.0 devices do not send (it is an `Option`); a missing one is
//! [`MessageError::Missing`].
//!
//! What a view does not model is not lost from the input ([`Attributes::raw`]), but is not
//! rebuilt either: unknown attributes, and in beacons the P2P Device Name and Primary Device
//! Type. Selected Registrar and AP Setup Locked are booleans as hostapd reads them (present
//! and non-zero); they are written, with value 1, only when true.
//!
//! ```
//! use wps::attr::{ConfigMethods, DevicePasswordId, WscState};
//! use wps::message::ie::Beacon;
//!
//! // What hostapd's beacon carries while push-button is active.
//! let mut beacon = Beacon::new(WscState::Configured);
//! beacon.selected_registrar = true;
//! beacon.device_password_id = Some(DevicePasswordId::PushButton);
//! beacon.selected_registrar_config_methods = Some(ConfigMethods(0x4388));
//! let bytes = beacon.to_bytes();
//!
//! // ...wrapped in 802.11 vendor elements and back.
//! let mut elements = Vec::new();
//! wps::eap::element::split_vec(&bytes, &mut elements);
//! let mut joined = Vec::new();
//! let collected = wps::eap::element::join_vec(&elements, &mut joined);
//! assert_eq!(collected.damage, None);
//! let parsed = Beacon::parse(&joined)?;
//! assert_eq!(parsed.device_password_id, Some(DevicePasswordId::PushButton));
//! assert!(parsed.wfa.is_some_and(|w| w.is_wsc2()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod assoc;
mod beacon;
mod probe;

pub use assoc::{AssocRequest, AssocResponse};
pub use beacon::Beacon;
pub use probe::{ProbeRequest, ProbeResponse};

use super::MessageError;
use super::macros::AttrValue;
use crate::attr::parse::{MAX_REQUESTED_DEVICE_TYPES, MAX_VENDOR_EXTENSIONS};
use crate::attr::{AttrType, Attributes, PrimaryDeviceType, Uuid, WfaExtension};
use crate::tlv::{self, Buf, WriteError};

pub use crate::fixed_list::FixedList;

/// Requested Device Type attributes (hostapd keeps the first ten).
pub type DeviceTypeList = FixedList<PrimaryDeviceType, MAX_REQUESTED_DEVICE_TYPES>;

/// Values of Vendor Extensions of vendors other than the WFA (vendor ID first).
pub type VendorExtensionList<'a> = FixedList<&'a [u8], MAX_VENDOR_EXTENSIONS>;

fn required_u8(attrs: &Attributes<'_>, attr: AttrType) -> Result<u8, MessageError> {
    attrs.u8(attr).ok_or(MessageError::Missing(attr))
}

fn required_u16(attrs: &Attributes<'_>, attr: AttrType) -> Result<u16, MessageError> {
    attrs.u16(attr).ok_or(MessageError::Missing(attr))
}

fn required_uuid(attrs: &Attributes<'_>, attr: AttrType) -> Result<Uuid, MessageError> {
    attrs
        .array::<16>(attr)
        .map(|b| Uuid(*b))
        .ok_or(MessageError::Missing(attr))
}

fn uuid(attrs: &Attributes<'_>, attr: AttrType) -> Option<Uuid> {
    attrs.array::<16>(attr).map(|b| Uuid(*b))
}

fn required_device_type(
    attrs: &Attributes<'_>,
    attr: AttrType,
) -> Result<PrimaryDeviceType, MessageError> {
    attrs
        .array::<8>(attr)
        .map(|b| PrimaryDeviceType::from_bytes(*b))
        .ok_or(MessageError::Missing(attr))
}

/// hostapd treats a one-byte boolean as true when it is present and non-zero.
fn flag(attrs: &Attributes<'_>, attr: AttrType) -> bool {
    attrs.u8(attr).is_some_and(|v| v != 0)
}

fn vendor_extensions<'a>(attrs: &Attributes<'a>) -> VendorExtensionList<'a> {
    let mut list = VendorExtensionList::new();
    for v in attrs.vendor_extensions() {
        // The parser keeps at most as many as the list holds.
        let _ = list.push(v);
    }
    list
}

/// Writes a one-byte attribute with value 1 when `on`, as hostapd does for its booleans.
fn emit_flag<B: Buf + ?Sized>(out: &mut B, attr: AttrType, on: bool) -> Result<(), WriteError> {
    if on {
        tlv::write_u8(out, attr.into(), 1)?;
    }
    Ok(())
}

/// Writes `value` as the attribute `attr` when there is one.
fn emit_opt<'v, B: Buf + ?Sized, T: AttrValue<'v>>(
    out: &mut B,
    attr: AttrType,
    value: Option<T>,
) -> Result<(), WriteError> {
    match value {
        Some(v) => v.write(attr.into(), out),
        None => Ok(()),
    }
}

/// The attributes hostapd puts last: WFA extension, other vendors', Application Extension.
fn emit_extensions<B: Buf + ?Sized>(
    out: &mut B,
    wfa: Option<&WfaExtension<'_>>,
    vendor_extensions: &VendorExtensionList<'_>,
    application_extension: Option<&[u8]>,
) -> Result<(), WriteError> {
    if let Some(wfa) = wfa {
        wfa.emit(out)?;
    }
    for v in vendor_extensions {
        tlv::write_tlv(out, AttrType::VendorExtension.into(), v)?;
    }
    emit_opt(out, AttrType::ApplicationExtension, application_extension)
}

/// A Beacon or Probe Response read from the attributes `a`: the fields both have, in
/// hostapd's order (Version, WSC State, AP Setup Locked, Selected Registrar, Device
/// Password ID, Selected Registrar Config Methods; then RF Bands and the extensions),
/// around the listed ones of the type.
macro_rules! ap_element_from {
    ($a:ident, $t:ident { $($f:ident: $v:expr),* $(,)? }) => {
        $t {
            version: required_u8($a, AttrType::Version)?,
            wsc_state: WscState::from(required_u8($a, AttrType::WscState)?),
            ap_setup_locked: flag($a, AttrType::ApSetupLocked),
            selected_registrar: flag($a, AttrType::SelectedRegistrar),
            device_password_id: $a
                .u16(AttrType::DevicePasswordId)
                .map(DevicePasswordId::from),
            selected_registrar_config_methods: $a
                .u16(AttrType::SelectedRegistrarConfigMethods)
                .map(ConfigMethods),
            $($f: $v,)*
            rf_bands: $a.u8(AttrType::RfBands).map(RfBands),
            wfa: $a.wfa().copied(),
            vendor_extensions: vendor_extensions($a),
            application_extension: $a.get(AttrType::ApplicationExtension),
        }
    };
}
use ap_element_from;

/// Writes a Beacon or Probe Response `s` to `out` in hostapd's order: the fields both
/// have (as [`ap_element_from`] reads them) around the type's own, written by `middle`.
macro_rules! emit_ap_element {
    ($s:ident, $out:ident, $middle:block) => {{
        tlv::write_u8($out, AttrType::Version.into(), $s.version)?;
        tlv::write_u8($out, AttrType::WscState.into(), $s.wsc_state.into())?;
        emit_flag($out, AttrType::ApSetupLocked, $s.ap_setup_locked)?;
        emit_flag($out, AttrType::SelectedRegistrar, $s.selected_registrar)?;
        emit_opt($out, AttrType::DevicePasswordId, $s.device_password_id)?;
        emit_opt(
            $out,
            AttrType::SelectedRegistrarConfigMethods,
            $s.selected_registrar_config_methods,
        )?;
        $middle
        if let Some(b) = $s.rf_bands {
            tlv::write_u8($out, AttrType::RfBands.into(), b.0)?;
        }
        emit_extensions(
            $out,
            $s.wfa.as_ref(),
            &$s.vendor_extensions,
            $s.application_extension,
        )
    }};
}
use emit_ap_element;

/// Implements `to_bytes` and `buffer_len` on top of an `emit` that can fail only on a
/// full buffer or an over-long value (the names the message structs use).
macro_rules! emit_helpers {
    ($ty:ident) => {
        impl $ty<'_> {
            /// The attribute stream in a new `Vec`.
            ///
            /// A value longer than an attribute can hold (65535 bytes) is the only way
            /// [`Self::emit`] fails on a `Vec`; here it ends the stream early.
            #[cfg(feature = "alloc")]
            pub fn to_bytes(&self) -> alloc::vec::Vec<u8> {
                let mut out = alloc::vec::Vec::with_capacity(self.buffer_len());
                let _ = self.emit(&mut out);
                out
            }

            /// Bytes [`Self::emit`] writes.
            pub fn buffer_len(&self) -> usize {
                let mut n = crate::tlv::Counter::default();
                let _ = self.emit(&mut n);
                n.0
            }
        }
    };
}
use emit_helpers;
