//! The WPS IE of an AP's Beacon.

use super::{
    VendorExtensionList, ap_element_from, emit_ap_element, emit_extensions, emit_flag,
    emit_helpers, emit_opt, flag, required_u8, uuid, vendor_extensions,
};
use crate::attr::{
    AttrType, Attributes, ConfigMethods, DevicePasswordId, RfBands, Uuid, WfaExtension, WscState,
};
use crate::message::MessageError;
use crate::tlv::{self, Buf, WriteError};

/// The WPS IE of a Beacon (hostapd's `wps_set_ie`), in hostapd's order: Version, WSC State,
/// AP Setup Locked, Selected Registrar, Device Password ID, Selected Registrar Config
/// Methods, UUID-E, RF Bands, WFA extension, other vendor extensions, Application Extension.
///
/// ```
/// use wps::attr::WscState;
/// use wps::message::ie::Beacon;
/// let bytes = [0x10, 0x4a, 0, 1, 0x10,  0x10, 0x44, 0, 1, 2,
///              0x10, 0x49, 0, 6, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20];
/// let beacon = Beacon::parse(&bytes)?;
/// assert_eq!(beacon.wsc_state, WscState::Configured);
/// assert!(!beacon.selected_registrar);
/// assert_eq!(beacon.to_bytes(), bytes);
/// # Ok::<(), wps::message::MessageError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Beacon<'a> {
    /// Version (always 0x10; the real version is Version2 in the WFA extension).
    pub version: u8,
    /// Wi-Fi Protected Setup State.
    pub wsc_state: WscState,
    /// AP Setup Locked: the AP refuses its PIN for now.
    pub ap_setup_locked: bool,
    /// Selected Registrar: a registrar is ready (PIN entered, push button pressed).
    pub selected_registrar: bool,
    /// Device Password ID the selected registrar uses.
    pub device_password_id: Option<DevicePasswordId>,
    /// Config methods of the selected registrar.
    pub selected_registrar_config_methods: Option<ConfigMethods>,
    /// UUID-E (the AP's UUID; hostapd sends it only with PBC on a dual-band AP).
    pub uuid_e: Option<Uuid>,
    /// RF Bands (dual-band APs).
    pub rf_bands: Option<RfBands>,
    /// The WFA vendor extension (Version2, AuthorizedMACs).
    pub wfa: Option<WfaExtension<'a>>,
    /// Vendor extensions of other vendors.
    pub vendor_extensions: VendorExtensionList<'a>,
    /// Application Extension.
    pub application_extension: Option<&'a [u8]>,
}

impl<'a> Beacon<'a> {
    /// A beacon IE with no registrar selected, WSC 2.0 (Version2 = 0x20).
    pub fn new(wsc_state: WscState) -> Self {
        Beacon {
            version: 0x10,
            wsc_state,
            ap_setup_locked: false,
            selected_registrar: false,
            device_password_id: None,
            selected_registrar_config_methods: None,
            uuid_e: None,
            rf_bands: None,
            wfa: Some(WfaExtension::version2_only()),
            vendor_extensions: VendorExtensionList::new(),
            application_extension: None,
        }
    }

    /// Parses a (joined) beacon WPS IE attribute stream. Version and WSC State are required.
    pub fn parse(attrs: &'a [u8]) -> Result<Self, MessageError> {
        Self::from_attributes(&Attributes::parse(attrs)?)
    }

    /// Reads the beacon fields from already-parsed attributes.
    pub fn from_attributes(a: &Attributes<'a>) -> Result<Self, MessageError> {
        Ok(ap_element_from!(
            a,
            Beacon {
                uuid_e: uuid(a, AttrType::UuidE),
            }
        ))
    }

    /// Appends the attribute stream (not the 802.11 element headers) in hostapd's order.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        emit_ap_element!(self, out, {
            if let Some(u) = self.uuid_e {
                tlv::write_tlv(out, AttrType::UuidE.into(), u.as_bytes())?;
            }
        })
    }
}

emit_helpers!(Beacon);
