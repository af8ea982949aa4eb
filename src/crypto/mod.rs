//! `crypto` (work in progress).
