//! `message` (work in progress).

pub mod ie;
