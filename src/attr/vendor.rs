//! The Vendor Extension attribute (0x1049) and the Wi-Fi Alliance subelements in it.
//!
//! A Vendor Extension value is a 3-byte vendor ID followed by vendor data. With the WFA
//! vendor ID 00:37:2A the data is a list of subelements ([`crate::tlv::SubelementReader`]);
//! the first, Version2, is how a WSC 2.0 peer is recognised.
//!
//! ```
//! use wps::attr::{VendorExtension, WfaExtension};
//! // 10 49 00 06 | 00 37 2A | 00 01 20 : Version2 = 2.0
//! let ext = VendorExtension::parse(&[0x00, 0x37, 0x2A, 0x00, 0x01, 0x20]);
//! let Some(Ok(VendorExtension::Wfa(wfa))) = ext else { panic!("not a WFA extension") };
//! assert_eq!(wfa.version2, Some(0x20));
//!
//! let mut out = Vec::new();
//! WfaExtension::version2_only().emit(&mut out)?;
//! assert_eq!(out, [0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2A, 0x00, 0x01, 0x20]);
//! # Ok::<(), wps::tlv::WriteError>(())
//! ```

use super::{AttrType, ConfigMethods, MacAddr, MultiApFlags};
use crate::tlv::{self, Buf, SubelementReader, WFA_VENDOR_ID, WriteError};

/// WFA subelement IDs.
pub mod subelement {
    /// Version2: WSC version (0x20 for 2.0).
    pub const VERSION2: u8 = 0x00;
    /// AuthorizedMACs: up to five MAC addresses.
    pub const AUTHORIZED_MACS: u8 = 0x01;
    /// Network Key Shareable (boolean, inside a Credential).
    pub const NETWORK_KEY_SHAREABLE: u8 = 0x02;
    /// Request to Enroll (boolean).
    pub const REQUEST_TO_ENROLL: u8 = 0x03;
    /// Settings Delay Time (seconds).
    pub const SETTINGS_DELAY_TIME: u8 = 0x04;
    /// Registrar Configuration Methods.
    pub const REGISTRAR_CONFIG_METHODS: u8 = 0x05;
    /// Multi-AP Extension (flags).
    pub const MULTI_AP: u8 = 0x06;
    /// Multi-AP Profile (Wireshark only; not parsed by hostapd).
    pub const MULTI_AP_PROFILE: u8 = 0x07;
    /// Multi-AP 802.1Q settings (Wireshark only).
    pub const MULTI_AP_8021Q: u8 = 0x08;

    /// The subelement's name.
    pub fn name(id: u8) -> &'static str {
        match id {
            VERSION2 => "Version2",
            AUTHORIZED_MACS => "AuthorizedMACs",
            NETWORK_KEY_SHAREABLE => "Network Key Shareable",
            REQUEST_TO_ENROLL => "Request to Enroll",
            SETTINGS_DELAY_TIME => "Settings Delay Time",
            REGISTRAR_CONFIG_METHODS => "Registrar Configuration Methods",
            MULTI_AP => "Multi-AP Extension",
            MULTI_AP_PROFILE => "Multi-AP Profile",
            MULTI_AP_8021Q => "Multi-AP 802.1Q Settings",
            _ => "Unknown",
        }
    }
}

/// A malformed WFA subelement that hostapd rejects the whole message for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VendorError {
    /// A fixed-length WFA subelement had another length.
    #[error("WFA subelement {id:#04x} has length {len}, expected {expected}")]
    SubelementLength {
        /// Subelement ID.
        id: u8,
        /// Its length.
        len: usize,
        /// The length hostapd requires.
        expected: usize,
    },
}

/// A decoded Vendor Extension value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VendorExtension<'a> {
    /// The Wi-Fi Alliance extension (vendor ID 00:37:2A).
    Wfa(WfaExtension<'a>),
    /// Any other vendor: ID and raw data.
    Other {
        /// The 3-byte vendor ID (an IANA SMI code).
        vendor_id: [u8; 3],
        /// The vendor data after the ID.
        data: &'a [u8],
    },
}

impl<'a> VendorExtension<'a> {
    /// Decodes a Vendor Extension value; `None` when it is shorter than the vendor ID
    /// (hostapd skips such an attribute silently).
    ///
    /// Malformed WFA subelements follow hostapd: a length running past the end ends the
    /// list silently, unknown subelements are skipped, and a fixed-length subelement with
    /// the wrong length makes the extension (and the message) invalid: that case is
    /// reported by [`WfaExtension::parse`], and here as `Some(Err)`.
    pub fn parse(value: &'a [u8]) -> Option<Result<Self, VendorError>> {
        let (id, data) = value.split_first_chunk::<3>()?;
        if *id == WFA_VENDOR_ID {
            Some(WfaExtension::parse(data).map(VendorExtension::Wfa))
        } else {
            Some(Ok(VendorExtension::Other {
                vendor_id: *id,
                data,
            }))
        }
    }
}

/// The WFA vendor extension's subelements, as hostapd reads them.
///
/// Each field holds the last occurrence of its subelement. `data` keeps the raw
/// subelement bytes (after the vendor ID), so unknown subelements are not lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WfaExtension<'a> {
    /// Version2 (0x20 = WSC 2.0).
    pub version2: Option<u8>,
    /// AuthorizedMACs: the raw list (a multiple of 6 in practice).
    pub authorized_macs: Option<&'a [u8]>,
    /// Network Key Shareable.
    pub network_key_shareable: Option<u8>,
    /// Request to Enroll.
    pub request_to_enroll: Option<u8>,
    /// Settings Delay Time, in seconds.
    pub settings_delay_time: Option<u8>,
    /// Registrar Configuration Methods.
    pub registrar_config_methods: Option<ConfigMethods>,
    /// Multi-AP Extension flags.
    pub multi_ap: Option<MultiApFlags>,
    /// Multi-AP Profile (not parsed by hostapd; kept for decoding).
    pub multi_ap_profile: Option<u8>,
    /// The subelement bytes exactly as received (empty when built).
    pub data: &'a [u8],
}

impl<'a> WfaExtension<'a> {
    /// What hostapd puts in every message: Version2 = 0x20 and nothing else.
    pub const fn version2_only() -> Self {
        WfaExtension {
            version2: Some(0x20),
            authorized_macs: None,
            network_key_shareable: None,
            request_to_enroll: None,
            settings_delay_time: None,
            registrar_config_methods: None,
            multi_ap: None,
            multi_ap_profile: None,
            data: &[],
        }
    }

    /// What wpa_supplicant puts in M1 when it asks for Multi-AP backhaul credentials
    /// (`multi_ap=1` in phase1): Version2 = 0x20 and the Multi-AP Extension with the
    /// Backhaul STA flag, written `00 01 20 06 01 80`.
    ///
    /// ```
    /// use wps::attr::WfaExtension;
    /// let mut out = Vec::new();
    /// WfaExtension::backhaul_sta().emit(&mut out)?;
    /// assert_eq!(out, [0x10, 0x49, 0x00, 0x09, 0x00, 0x37, 0x2A, 0x00, 0x01, 0x20, 0x06, 0x01, 0x80]);
    /// # Ok::<(), wps::tlv::WriteError>(())
    /// ```
    pub const fn backhaul_sta() -> Self {
        WfaExtension {
            multi_ap: Some(MultiApFlags::BACKHAUL_STA),
            ..WfaExtension::version2_only()
        }
    }

    /// The Multi-AP Extension subelement with `flags` and nothing else (`06 01 flags`):
    /// the vendor extension of an IEEE 1905 autoconfiguration M2's settings (Backhaul
    /// BSS, Fronthaul BSS, Tear Down), as EasyMesh controllers write it. Agents with a
    /// fixed-layout reader (early prplMesh) expect exactly this one subelement.
    pub const fn multi_ap(flags: MultiApFlags) -> Self {
        WfaExtension {
            version2: None,
            multi_ap: Some(flags),
            ..WfaExtension::version2_only()
        }
    }

    /// Parses the subelements that follow the WFA vendor ID.
    pub fn parse(data: &'a [u8]) -> Result<Self, VendorError> {
        let mut ext = WfaExtension::default();
        ext.read_subelements(data)?;
        Ok(ext)
    }

    /// Reads the subelements of a further WFA extension into this one, as hostapd
    /// keeps one set of WFA fields: each subelement seen overwrites the last, `data`
    /// becomes the new extension's.
    pub(crate) fn read_subelements(&mut self, data: &'a [u8]) -> Result<(), VendorError> {
        fn fixed<const N: usize>(id: u8, v: &[u8]) -> Result<[u8; N], VendorError> {
            <[u8; N]>::try_from(v).map_err(|_| VendorError::SubelementLength {
                id,
                len: v.len(),
                expected: N,
            })
        }
        self.data = data;
        // hostapd stops silently at a subelement that runs past the end.
        for sub in SubelementReader::new(data).map_while(Result::ok) {
            let v = sub.value;
            match sub.id {
                subelement::VERSION2 => self.version2 = Some(fixed::<1>(sub.id, v)?[0]),
                subelement::AUTHORIZED_MACS => self.authorized_macs = Some(v),
                subelement::NETWORK_KEY_SHAREABLE => {
                    self.network_key_shareable = Some(fixed::<1>(sub.id, v)?[0]);
                }
                subelement::REQUEST_TO_ENROLL => {
                    self.request_to_enroll = Some(fixed::<1>(sub.id, v)?[0]);
                }
                subelement::SETTINGS_DELAY_TIME => {
                    self.settings_delay_time = Some(fixed::<1>(sub.id, v)?[0]);
                }
                subelement::REGISTRAR_CONFIG_METHODS => {
                    self.registrar_config_methods =
                        Some(ConfigMethods(u16::from_be_bytes(fixed::<2>(sub.id, v)?)));
                }
                subelement::MULTI_AP => {
                    self.multi_ap = Some(MultiApFlags(fixed::<1>(sub.id, v)?[0]));
                }
                // Not parsed by hostapd, so a wrong length is not fatal here.
                subelement::MULTI_AP_PROFILE => self.multi_ap_profile = v.first().copied(),
                _ => {}
            }
        }
        Ok(())
    }

    /// The AuthorizedMACs list as addresses (a trailing partial entry is ignored).
    pub fn authorized_macs(&self) -> impl Iterator<Item = MacAddr> + 'a {
        self.authorized_macs
            .unwrap_or(&[])
            .chunks_exact(6)
            .filter_map(MacAddr::from_slice)
    }

    /// Writes the subelements (not the vendor ID) in hostapd's order: Version2,
    /// Request to Enroll, AuthorizedMACs, Multi-AP, then the ones hostapd never emits.
    pub fn emit_subelements<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        if let Some(v) = self.version2 {
            tlv::write_subelement(out, subelement::VERSION2, &[v])?;
        }
        if let Some(v) = self.request_to_enroll {
            tlv::write_subelement(out, subelement::REQUEST_TO_ENROLL, &[v])?;
        }
        if let Some(v) = self.authorized_macs {
            tlv::write_subelement(out, subelement::AUTHORIZED_MACS, v)?;
        }
        if let Some(v) = self.multi_ap {
            tlv::write_subelement(out, subelement::MULTI_AP, &[v.0])?;
        }
        if let Some(v) = self.network_key_shareable {
            tlv::write_subelement(out, subelement::NETWORK_KEY_SHAREABLE, &[v])?;
        }
        if let Some(v) = self.settings_delay_time {
            tlv::write_subelement(out, subelement::SETTINGS_DELAY_TIME, &[v])?;
        }
        if let Some(v) = self.registrar_config_methods {
            tlv::write_subelement(
                out,
                subelement::REGISTRAR_CONFIG_METHODS,
                &v.0.to_be_bytes(),
            )?;
        }
        if let Some(v) = self.multi_ap_profile {
            tlv::write_subelement(out, subelement::MULTI_AP_PROFILE, &[v])?;
        }
        Ok(())
    }

    /// The subelements [`emit_subelements`](Self::emit_subelements) writes, in its
    /// order, each with its value when present; `methods` holds the Registrar
    /// Configuration Methods as written. The 32-bit [`emit`](Self::emit)'s list: one
    /// writer loop for the length count and the writing, where flash is short (on
    /// 64-bit hosts building it costs more time than it saves code).
    #[cfg_attr(target_pointer_width = "64", allow(dead_code))]
    // Not inlined: `emit` and `attribute_len` share one copy.
    #[inline(never)]
    fn subelements<'s>(&'s self, methods: &'s [u8; 2]) -> [(u8, Option<&'s [u8]>); 8] {
        use core::slice::from_ref;
        [
            (subelement::VERSION2, self.version2.as_ref().map(from_ref)),
            (
                subelement::REQUEST_TO_ENROLL,
                self.request_to_enroll.as_ref().map(from_ref),
            ),
            (subelement::AUTHORIZED_MACS, self.authorized_macs),
            (
                subelement::MULTI_AP,
                self.multi_ap.as_ref().map(|f| from_ref(&f.0)),
            ),
            (
                subelement::NETWORK_KEY_SHAREABLE,
                self.network_key_shareable.as_ref().map(from_ref),
            ),
            (
                subelement::SETTINGS_DELAY_TIME,
                self.settings_delay_time.as_ref().map(from_ref),
            ),
            (
                subelement::REGISTRAR_CONFIG_METHODS,
                self.registrar_config_methods.map(|_| &methods[..]),
            ),
            (
                subelement::MULTI_AP_PROFILE,
                self.multi_ap_profile.as_ref().map(from_ref),
            ),
        ]
    }

    /// Writes the whole Vendor Extension attribute (0x1049, WFA vendor ID, subelements).
    ///
    /// When the extension was parsed (`data` non-empty) its bytes are written back
    /// unchanged, so unknown subelements and the peer's order survive a round trip.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        if !self.data.is_empty() {
            return self.emit_value(self.data.len(), out, |out| out.put(self.data));
        }
        #[cfg(target_pointer_width = "64")]
        {
            let mut len = tlv::Counter::default();
            self.emit_subelements(&mut len)?;
            self.emit_value(len.0, out, |out| self.emit_subelements(out))
        }
        #[cfg(not(target_pointer_width = "64"))]
        {
            let methods = self.methods_bytes();
            let subelements = self.subelements(&methods);
            let len = subelements_len(&subelements)?;
            self.emit_value(len, out, |out| {
                for (id, v) in &subelements {
                    if let Some(v) = v {
                        tlv::write_subelement(out, *id, v)?;
                    }
                }
                Ok(())
            })
        }
    }

    /// Bytes [`emit`](Self::emit) writes, or the error it stops at (the whole attribute:
    /// header, vendor ID, subelements).
    pub(crate) fn attribute_len(&self) -> Result<usize, WriteError> {
        let data_len = if !self.data.is_empty() {
            self.data.len()
        } else {
            #[cfg(target_pointer_width = "64")]
            {
                let mut len = tlv::Counter::default();
                self.emit_subelements(&mut len)?;
                len.0
            }
            #[cfg(not(target_pointer_width = "64"))]
            {
                subelements_len(&self.subelements(&self.methods_bytes()))?
            }
        };
        let value_len = WFA_VENDOR_ID.len().saturating_add(data_len);
        tlv::encode_len(value_len, u16::MAX)?;
        Ok(tlv::HEADER_LEN.saturating_add(value_len))
    }

    /// The Registrar Configuration Methods as [`subelements`](Self::subelements) wants
    /// them.
    #[cfg(not(target_pointer_width = "64"))]
    fn methods_bytes(&self) -> [u8; 2] {
        self.registrar_config_methods
            .map_or([0; 2], |m| m.0.to_be_bytes())
    }

    /// Writes the attribute's header for `data_len` bytes of subelements, the WFA vendor
    /// ID, and the subelements with `data`: all or nothing, like `write_tlv`, so a fixed
    /// buffer never keeps half the attribute.
    #[inline(always)]
    fn emit_value<B: Buf + ?Sized>(
        &self,
        data_len: usize,
        out: &mut B,
        data: impl FnOnce(&mut B) -> Result<(), WriteError>,
    ) -> Result<(), WriteError> {
        let value_len = WFA_VENDOR_ID.len().saturating_add(data_len);
        tlv::ensure_room(out, tlv::HEADER_LEN.saturating_add(value_len))?;
        tlv::write_header(out, u16::from(AttrType::VendorExtension), value_len)?;
        out.put(&WFA_VENDOR_ID)?;
        data(out)
    }

    /// Whether the peer announced WSC 2.x (Version2 ≥ 0x20).
    pub fn is_wsc2(&self) -> bool {
        self.version2.is_some_and(|v| v >= 0x20)
    }
}

/// The length of the subelements `list` holds (headers included), checked as
/// [`WfaExtension::emit`] checks them: so that nothing is written when one is too long.
#[cfg(not(target_pointer_width = "64"))]
fn subelements_len(list: &[(u8, Option<&[u8]>)]) -> Result<usize, WriteError> {
    let mut len = 0usize;
    for v in list.iter().filter_map(|(_, v)| *v) {
        let n = usize::from(tlv::encode_len(v.len(), u8::MAX)?);
        len = len.saturating_add(tlv::SUBELEMENT_HEADER_LEN.saturating_add(n));
    }
    Ok(len)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every set of subelements: both writers write the same, and the attribute reads
    /// back as it was built.
    #[test]
    fn counted_length_is_the_written_length() {
        let macs = [0x02; 12];
        for set in 0u16..256 {
            let on = |bit: u16| set & (1 << bit) != 0;
            let ext = WfaExtension {
                version2: on(0).then_some(0x20),
                authorized_macs: on(1).then_some(&macs[..]),
                network_key_shareable: on(2).then_some(1),
                request_to_enroll: on(3).then_some(1),
                settings_delay_time: on(4).then_some(7),
                registrar_config_methods: on(5).then_some(ConfigMethods(0x0108)),
                multi_ap: on(6).then_some(MultiApFlags(0x80)),
                multi_ap_profile: on(7).then_some(2),
                data: &[],
            };
            // The 32-bit writer's list writes what the 64-bit one writes.
            let mut written = alloc::vec::Vec::new();
            assert_eq!(ext.emit_subelements(&mut written), Ok(()));
            let mut listed = alloc::vec::Vec::new();
            let methods = ext
                .registrar_config_methods
                .map_or([0; 2], |m| m.0.to_be_bytes());
            for (id, v) in ext.subelements(&methods) {
                if let Some(v) = v {
                    assert_eq!(tlv::write_subelement(&mut listed, id, v), Ok(()));
                }
            }
            assert_eq!(listed, written, "set {set:#x}");
            let mut out = alloc::vec::Vec::new();
            assert_eq!(ext.emit(&mut out), Ok(()));
            let Some(Ok(VendorExtension::Wfa(back))) = VendorExtension::parse(&out[4..]) else {
                panic!("set {set:#x} does not read back");
            };
            assert_eq!(WfaExtension { data: &[], ..back }, ext, "set {set:#x}");
        }
        // AuthorizedMACs too long for its length field: an error, nothing written.
        let long = [0u8; 256];
        let ext = WfaExtension {
            authorized_macs: Some(&long),
            ..WfaExtension::version2_only()
        };
        let mut out = alloc::vec::Vec::new();
        assert!(ext.emit(&mut out).is_err());
        assert!(out.is_empty());
    }
    use alloc::vec::Vec;

    #[test]
    fn parses_version2_and_authorized_macs() {
        let data = [
            0x00, 0x01, 0x20, 0x01, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ];
        let ext = WfaExtension::parse(&data).unwrap_or_default();
        assert_eq!(ext.version2, Some(0x20));
        assert_eq!(
            ext.authorized_macs().collect::<Vec<_>>(),
            [MacAddr::BROADCAST]
        );
    }

    #[test]
    fn wrong_version2_length_rejects() {
        assert_eq!(
            WfaExtension::parse(&[0x00, 0x02, 0x20, 0x00]),
            Err(VendorError::SubelementLength {
                id: 0,
                len: 2,
                expected: 1
            })
        );
    }

    #[test]
    fn overrun_stops_silently() {
        let ext = WfaExtension::parse(&[0x00, 0x01, 0x20, 0x01, 0x06, 0xff]);
        assert_eq!(ext.map(|e| e.version2), Ok(Some(0x20)));
    }

    #[test]
    fn short_vendor_extension_is_skipped() {
        assert_eq!(VendorExtension::parse(&[0x00, 0x37]), None);
    }

    #[test]
    fn build_order_matches_hostapd() {
        let ext = WfaExtension {
            authorized_macs: Some(&[0xff; 6]),
            request_to_enroll: Some(1),
            ..WfaExtension::version2_only()
        };
        let mut out = Vec::new();
        assert!(ext.emit(&mut out).is_ok());
        assert_eq!(
            out,
            [
                0x10, 0x49, 0x00, 0x11, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20, 0x03, 0x01, 0x01, 0x01,
                0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
            ]
        );
    }
}
