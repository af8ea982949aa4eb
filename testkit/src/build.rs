//! Messages built as the benches time them (into a fixed buffer, no allocation) and as
//! the tests and fuzz targets need them whole.

use wps::crypto::authenticator;
use wps::message::{M1, M2, append_authenticator};
use wps::tlv::SliceBuf;

/// Builds `m1` into `storage`; returns its length.
#[inline]
pub fn m1(m1: &M1<'_>, storage: &mut [u8]) -> usize {
    let mut out = SliceBuf::new(storage);
    m1.emit(&mut out).expect("room");
    out.as_slice().len()
}

/// Builds `m2` into `storage`, with an all-zero Authenticator; returns its length.
#[inline]
pub fn m2(m2: &M2<'_>, storage: &mut [u8]) -> usize {
    let mut out = SliceBuf::new(storage);
    m2.emit_without_authenticator(&mut out).expect("room");
    append_authenticator(&mut out, &[0; 8]).expect("room");
    out.as_slice().len()
}

/// `m2` as a registrar sends it after `m1`: its bytes with the Authenticator computed
/// under `auth_key`.
pub fn sealed_m2(m2: &M2<'_>, auth_key: &[u8; 32], m1: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    m2.emit_without_authenticator(&mut out).expect("room");
    let auth = authenticator(auth_key, m1, &out);
    append_authenticator(&mut out, &auth).expect("room");
    out
}
