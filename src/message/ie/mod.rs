//! The WSC attributes of 802.11 management frames: Beacon, Probe Request, Probe Response,
//! (Re)Association Request and Response.
//!
//! Each type is a borrowed, typed view of the attribute stream carried in the frame's WPS
//! vendor elements (join them first with [`crate::eap::element::join`]), and its own
//! builder, made the way the registration messages are (see [`crate::message`]): `parse`,
//! `from_attributes`, `emit` in hostapd's (or wpa_supplicant's) order, `buffer_len`,
//! `emit_preserving` and `to_bytes`, which re-encodes a parsed IE byte for byte.
//!
//! Parsing applies hostapd's attribute rules ([`Attributes::parse`](crate::attr::Attributes::parse))
//! and then requires the attributes hostapd's strict validator requires for that frame,
//! except the WFA vendor extension, which WSC 1.0 devices do not send (it is an
//! `Option`); a missing one is [`MessageError::Missing`](crate::message::MessageError::Missing).
//!
//! What a view does not model (unknown attributes, and in beacons the P2P Device Name and
//! Primary Device Type) is kept in its [`Extra`](crate::message::Extra) field with the
//! input, and `to_bytes` copies it. Selected Registrar and AP Setup Locked are booleans as
//! hostapd reads them (present and non-zero); `emit` writes them, with value 1, only when
//! true.
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

mod ap;
mod assoc;
mod probe_request;

pub use ap::{Beacon, ProbeResponse};
pub use assoc::{AssocRequest, AssocResponse};
pub use probe_request::ProbeRequest;

use crate::attr::PrimaryDeviceType;
use crate::attr::parse::MAX_REQUESTED_DEVICE_TYPES;

pub use crate::fixed_list::FixedList;

/// Requested Device Type attributes (hostapd keeps the first ten).
pub type DeviceTypeList = FixedList<PrimaryDeviceType, MAX_REQUESTED_DEVICE_TYPES>;
