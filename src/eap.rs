//! `eap` (work in progress).
