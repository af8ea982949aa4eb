//! `tlv` (work in progress).
