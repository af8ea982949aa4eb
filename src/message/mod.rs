//! `message` (work in progress).
