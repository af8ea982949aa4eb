//! `pin` (work in progress).
