//! `registration` (work in progress).
