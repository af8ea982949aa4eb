//! The `NewMessage` of `SetSelectedRegistrar`: bare WSC attributes (no Message Type) by
//! which an external registrar tells the access point to advertise Selected Registrar in
//! its Beacons and Probe Responses — for which password (PIN or push-button), which
//! config methods, and for which enrollees (AuthorizedMACs).
//!
//! wpa_supplicant writes, in this order: Version, Selected Registrar (1 or 0), Device
//! Password ID, Selected Registrar Config Methods (0 when deselecting), the WFA vendor
//! extension (Version2, AuthorizedMACs), UUID-R.

use alloc::vec::Vec;

use crate::attr::{
    AttrType, Attributes, ConfigMethods, DevicePasswordId, MacAddr, Uuid, WfaExtension,
};
use crate::tlv;

use super::UpnpError;

/// At most this many AuthorizedMACs are kept (WSC 2.0 allows 5).
pub const MAX_AUTHORIZED_MACS: usize = 5;

/// What a registrar selects (or deselects).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedRegistrar {
    /// Selected Registrar: true to start, false to stop.
    pub selected: bool,
    /// Device Password ID: PIN (0) or push-button (4).
    pub device_password_id: DevicePasswordId,
    /// Selected Registrar Config Methods.
    pub config_methods: ConfigMethods,
    /// AuthorizedMACs (ff:ff:ff:ff:ff:ff: any enrollee), at most
    /// [`MAX_AUTHORIZED_MACS`].
    pub authorized_macs: Vec<MacAddr>,
    /// UUID-R, if sent.
    pub uuid_r: Option<Uuid>,
}

impl SelectedRegistrar {
    /// The attributes, as wpa_supplicant writes them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(64);
        // Writing into a Vec cannot fail; the results are ignored for that reason.
        let _ = tlv::write_u8(&mut out, AttrType::Version.into(), 0x10);
        let _ = tlv::write_u8(
            &mut out,
            AttrType::SelectedRegistrar.into(),
            u8::from(self.selected),
        );
        let _ = tlv::write_u16(
            &mut out,
            AttrType::DevicePasswordId.into(),
            u16::from(self.device_password_id),
        );
        let _ = tlv::write_u16(
            &mut out,
            AttrType::SelectedRegistrarConfigMethods.into(),
            self.config_methods.0,
        );
        let macs: Vec<u8> = self
            .authorized_macs
            .iter()
            .take(MAX_AUTHORIZED_MACS)
            .flat_map(|m| m.0)
            .collect();
        let wfa = WfaExtension {
            authorized_macs: (!macs.is_empty()).then_some(&macs[..]),
            ..WfaExtension::version2_only()
        };
        let _ = wfa.emit(&mut out);
        if let Some(uuid) = self.uuid_r {
            let _ = tlv::write_tlv(&mut out, AttrType::UuidR.into(), &uuid.0);
        }
        out
    }

    /// Reads the attributes; Selected Registrar is required, the rest default to PIN,
    /// no config methods, no AuthorizedMACs, no UUID-R.
    pub fn parse(bytes: &[u8]) -> Result<Self, UpnpError> {
        let attrs = Attributes::parse(bytes)
            .map_err(|_| UpnpError::Invalid("SetSelectedRegistrar attributes"))?;
        let selected = match attrs.get(AttrType::SelectedRegistrar) {
            Some([v]) => *v != 0,
            Some(_) => return Err(UpnpError::Invalid("Selected Registrar")),
            None => return Err(UpnpError::Missing("Selected Registrar")),
        };
        let u16_of = |t: AttrType| -> Result<Option<u16>, UpnpError> {
            match attrs.get(t) {
                Some(&[a, b]) => Ok(Some(u16::from_be_bytes([a, b]))),
                Some(_) => Err(UpnpError::Invalid("SetSelectedRegistrar attribute length")),
                None => Ok(None),
            }
        };
        let device_password_id =
            DevicePasswordId::from(u16_of(AttrType::DevicePasswordId)?.unwrap_or(0));
        let config_methods =
            ConfigMethods(u16_of(AttrType::SelectedRegistrarConfigMethods)?.unwrap_or(0));
        let authorized_macs = attrs
            .wfa()
            .map(|w| w.authorized_macs().take(MAX_AUTHORIZED_MACS).collect())
            .unwrap_or_default();
        let uuid_r = match attrs.get(AttrType::UuidR) {
            Some(v) => Some(Uuid::from_slice(v).ok_or(UpnpError::Invalid("UUID-R"))?),
            None => None,
        };
        Ok(SelectedRegistrar {
            selected,
            device_password_id,
            config_methods,
            authorized_macs,
            uuid_r,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_captures_three_calls() {
        let uuid_r = Uuid([
            0x87, 0x65, 0x43, 0x21, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
            0xde, 0xf9,
        ]);
        let cases: [(&str, bool, u16, MacAddr); 3] = [
            (
                "104a00011010410001011012000200001053000221081049000e00372a0001200106020000005b0110480010876543219abcdef0123456789abcdef9",
                true,
                0x2108,
                MacAddr([2, 0, 0, 0, 0x5b, 1]),
            ),
            (
                "104a00011010410001011012000200001053000221081049000e00372a0001200106ffffffffffff10480010876543219abcdef0123456789abcdef9",
                true,
                0x2108,
                MacAddr::BROADCAST,
            ),
            (
                "104a00011010410001001012000200001053000200001049000e00372a0001200106ffffffffffff10480010876543219abcdef0123456789abcdef9",
                false,
                0,
                MacAddr::BROADCAST,
            ),
        ];
        for (hex, selected, methods, mac) in cases {
            let bytes: Vec<u8> = (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
                .collect();
            let s = SelectedRegistrar::parse(&bytes).unwrap();
            assert_eq!(
                s,
                SelectedRegistrar {
                    selected,
                    device_password_id: DevicePasswordId::Default,
                    config_methods: ConfigMethods(methods),
                    authorized_macs: alloc::vec![mac],
                    uuid_r: Some(uuid_r),
                }
            );
            assert_eq!(s.to_bytes(), bytes);
        }
    }

    #[test]
    fn refusals() {
        assert_eq!(
            SelectedRegistrar::parse(&[0x10, 0x4a, 0, 1, 0x10]),
            Err(UpnpError::Missing("Selected Registrar"))
        );
        assert!(SelectedRegistrar::parse(&[0x10, 0x41, 0, 2, 1, 1]).is_err());
        assert!(SelectedRegistrar::parse(&[0x10, 0x41, 0, 5, 1]).is_err());
    }

    proptest! {
        #[test]
        fn round_trip(
            selected: bool, id: u16, methods: u16,
            macs in proptest::collection::vec(any::<[u8; 6]>(), 0..=MAX_AUTHORIZED_MACS),
            uuid in proptest::option::of(any::<[u8; 16]>()),
        ) {
            let s = SelectedRegistrar {
                selected,
                device_password_id: DevicePasswordId::from(id),
                config_methods: ConfigMethods(methods),
                authorized_macs: macs.into_iter().map(MacAddr).collect(),
                uuid_r: uuid.map(Uuid),
            };
            prop_assert_eq!(SelectedRegistrar::parse(&s.to_bytes()), Ok(s));
        }

        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..80)) {
            let _ = SelectedRegistrar::parse(&bytes);
        }
    }
}
