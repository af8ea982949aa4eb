//! `time` (work in progress).
