//! WSC 2.0 compliance notes: what an AP advertises that the WSC 2.0 specification
//! forbids or discourages. For makers checking their product and auditors surveying a
//! site; none of them stops a scan or a choice.

use core::fmt;

/// One WSC 2.0 finding about an AP.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Note {
    /// No Version2 subelement: a WSC 1.0 AP (WSC 2.0 requires Version2 in every
    /// message and IE).
    Version2Missing,
    /// WEP advertised (the Privacy bit without an RSN or WPA element, or a WEP pairwise
    /// cipher): WSC 2.0 forbids WPS on WEP networks.
    Wep,
    /// Only TKIP offered as pairwise cipher: WSC 2.0 forbids TKIP-only networks.
    TkipOnly,
    /// Config Methods offer a PIN (Label or Keypad) but neither a display nor a push
    /// button: the PIN is a fixed label PIN, the one WSC 2.0 discourages on APs.
    PinOnlyWithoutDisplay,
    /// Selected Registrar is on without a Device Password ID: a registrar that says it
    /// is ready without saying for what.
    SelectedRegistrarWithoutPasswordId,
}

impl Note {
    /// Every note, in order.
    pub const ALL: [Note; 5] = [
        Note::Version2Missing,
        Note::Wep,
        Note::TkipOnly,
        Note::PinOnlyWithoutDisplay,
        Note::SelectedRegistrarWithoutPasswordId,
    ];

    /// A short stable name, for machines (`wps scan --json`).
    pub fn name(self) -> &'static str {
        match self {
            Note::Version2Missing => "version2_missing",
            Note::Wep => "wep",
            Note::TkipOnly => "tkip_only",
            Note::PinOnlyWithoutDisplay => "pin_only_without_display",
            Note::SelectedRegistrarWithoutPasswordId => "selected_registrar_without_password_id",
        }
    }

    fn bit(self) -> u8 {
        match self {
            Note::Version2Missing => 1,
            Note::Wep => 2,
            Note::TkipOnly => 4,
            Note::PinOnlyWithoutDisplay => 8,
            Note::SelectedRegistrarWithoutPasswordId => 16,
        }
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Note::Version2Missing => "no Version2: a WSC 1.0 access point",
            Note::Wep => "WEP advertised, which WSC 2.0 forbids",
            Note::TkipOnly => "TKIP is the only cipher, which WSC 2.0 forbids",
            Note::PinOnlyWithoutDisplay => "PIN without display or push button: a fixed label PIN",
            Note::SelectedRegistrarWithoutPasswordId => {
                "Selected Registrar is on without a Device Password ID"
            }
        })
    }
}

/// A set of [`Note`]s (no heap).
///
/// ```
/// use wps::scan::{Note, Notes};
/// let mut notes = Notes::default();
/// notes.insert(Note::TkipOnly);
/// assert!(notes.contains(Note::TkipOnly));
/// assert_eq!(notes.iter().collect::<Vec<_>>(), [Note::TkipOnly]);
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Notes(u8);

impl Notes {
    /// Adds `note`.
    pub fn insert(&mut self, note: Note) {
        self.0 |= note.bit();
    }

    /// Whether `note` is in the set.
    pub fn contains(self, note: Note) -> bool {
        self.0 & note.bit() != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The notes, in [`Note::ALL`]'s order.
    pub fn iter(self) -> impl Iterator<Item = Note> {
        Note::ALL.into_iter().filter(move |n| self.contains(*n))
    }
}
