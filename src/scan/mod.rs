//! Discovery: the WPS facts of the APs around, which one to join, and push-button
//! overlap across APs ("wash as a library").
//!
//! Before any M1, an enrollee must find its registrar. Feed every Beacon and Probe
//! Response heard ([`Frame`]: BSSID, kind, elements, signal) with the time into a
//! [`ScanTable`]; it keeps, per AP and without heap, what its WPS IE says ([`ApInfo`]:
//! configured or not, version, AP Setup Locked, Selected Registrar, Device Password ID,
//! AuthorizedMACs, UUID, device name, …) and the WSC 2.0 findings ([`Note`]). Then ask:
//!
//! * [`ScanTable::choose_pbc`]: join this BSSID, keep scanning, or [`PbcVerdict::Overlap`]
//!   when two registrars are in push-button mode at once;
//! * [`ScanTable::choose_pin`]: the AP that invites our MAC address first.
//!
//! Both follow wpa_supplicant ([`choice`] says how). Element walking is robust: a
//! damaged element after the WPS elements does not lose them ([`Damage`]).
//!
//! Sans-IO and `no_std`: the frames come from the caller's driver or capture, the time
//! is a [`crate::time::Instant`]. [`crate::message::ie::ProbeRequest::enrollee`] builds
//! the WPS IE of the enrollee's own Probe Requests.

pub mod choice;
mod facts;
mod frame;
mod notes;
mod table;

pub use choice::{PbcVerdict, PinSearch, PinVerdict};
pub use facts::{ApInfo, Authorization, AuthorizedMacList, Damage, DeviceFacts, Text, WscVersion};
pub use frame::{Frame, FrameError, FrameKind};
pub use notes::{Note, Notes};
pub use table::{Ingested, ScanTable};

use crate::time::Duration;

/// How long an AP counts after it was last heard, unless the table is told otherwise
/// (the push-button walk time, 120 s).
pub const DEFAULT_MAX_AGE: Duration = crate::registration::PBC_WALK_TIME;

/// The longest joined WPS attribute stream the scan reads (the largest 802.11 frame
/// body); a longer one is [`Damage::TooLong`].
pub const MAX_WPS_ATTRIBUTES: usize = 2304;
