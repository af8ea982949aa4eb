//! `attr` (work in progress).
