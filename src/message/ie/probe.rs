//! The WPS IEs of Probe Requests (station) and Probe Responses (AP).

use super::{
    DeviceTypeList, VendorExtensionList, ap_element_from, emit_ap_element, emit_extensions,
    emit_flag, emit_helpers, emit_opt, flag, required_device_type, required_u8, required_u16,
    required_uuid, uuid, vendor_extensions,
};
use crate::attr::{
    AssociationState, AttrType, Attributes, ConfigError, ConfigMethods, DevicePasswordId,
    PrimaryDeviceType, RequestType, ResponseType, RfBands, Uuid, WfaExtension, WscState,
};
use crate::message::{DeviceAttrs, MessageError};
use crate::tlv::{self, Buf, WriteError};

/// The WPS IE of a Probe Request (wpa_supplicant's `wps_build_probe_req_ie`), in its order: Version,
/// Request Type, Config Methods, UUID-E (or UUID-R), Primary Device Type, RF Bands,
/// Association State, Configuration Error, Device Password ID, Manufacturer, Model Name,
/// Model Number, Device Name, WFA extension, Requested Device Types, Secondary Device
/// Type List, then other vendors' extensions.
///
/// Required when parsing: everything up to Device Password ID. The four strings are
/// required only by WSC 2.0, so they are optional here.
///
/// ```
/// use wps::attr::{DevicePasswordId, RequestType};
/// use wps::message::ie::ProbeRequest;
/// # let hex = "104a000110103a00010110080002214810470010790c1f804f2b52b7be30c0e97292088d105400080000000000000000103c00010310020002000010090002000010120002000410210001201023000120102400012010110001201049000900372a000120030101";
/// # let bytes = hex::decode(hex).unwrap();
/// let req = ProbeRequest::parse(&bytes)?; // iwd doing push-button
/// assert_eq!(req.request_type, RequestType::EnrolleeOpen8021x);
/// assert_eq!(req.device_password_id, DevicePasswordId::PushButton);
/// assert_eq!(req.wfa.and_then(|w| w.request_to_enroll), Some(1));
/// assert_eq!(req.to_bytes(), bytes);
/// # Ok::<(), wps::message::MessageError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeRequest<'a> {
    /// Version (always 0x10).
    pub version: u8,
    /// Request Type: what the station wants to be.
    pub request_type: RequestType,
    /// Config Methods the station supports.
    pub config_methods: ConfigMethods,
    /// UUID-E of an enrollee.
    pub uuid_e: Option<Uuid>,
    /// UUID-R of a registrar (written in UUID-E's place; one of the two is required).
    pub uuid_r: Option<Uuid>,
    /// Primary Device Type.
    pub primary_device_type: PrimaryDeviceType,
    /// RF Bands.
    pub rf_bands: RfBands,
    /// Association State (0 from wpa_supplicant).
    pub association_state: AssociationState,
    /// Configuration Error (0 from wpa_supplicant).
    pub configuration_error: ConfigError,
    /// Device Password ID: PushButton while push-button is active, else Default.
    pub device_password_id: DevicePasswordId,
    /// Manufacturer.
    pub manufacturer: Option<&'a [u8]>,
    /// Model Name.
    pub model_name: Option<&'a [u8]>,
    /// Model Number.
    pub model_number: Option<&'a [u8]>,
    /// Device Name.
    pub device_name: Option<&'a [u8]>,
    /// The WFA vendor extension (Version2, Request to Enroll).
    pub wfa: Option<WfaExtension<'a>>,
    /// Requested Device Type attributes (the first ten).
    pub requested_device_types: DeviceTypeList,
    /// Secondary Device Type List: 8-byte device types back to back.
    pub secondary_device_types: Option<&'a [u8]>,
    /// Vendor extensions of other vendors.
    pub vendor_extensions: VendorExtensionList<'a>,
}

impl<'a> ProbeRequest<'a> {
    /// The Probe Request IE of an enrollee looking for a registrar, with
    /// wpa_supplicant's defaults (`wps_build_probe_req_ie` for an enrollee):
    /// Request Type Enrollee (open 802.1X), Config Methods Keypad + Virtual Display
    /// (0x2108), Primary Device Type Computer / PC (1-0050F204-1), 2.4 and 5 GHz,
    /// not associated, no error, and WSC 2.0 with Request to Enroll. Device Password ID
    /// is [`DevicePasswordId::PushButton`] while the button is pressed,
    /// [`DevicePasswordId::Default`] for a PIN. Manufacturer, model and device name
    /// are left out; set them (WSC 2.0 asks for them) with struct update syntax, or
    /// use `registration::DeviceInfo::probe_request`, which fills them from the
    /// device's identity.
    ///
    /// ```
    /// use wps::attr::{DevicePasswordId, Uuid};
    /// use wps::message::ie::ProbeRequest;
    /// let req = ProbeRequest {
    ///     device_name: Some(b"printer"),
    ///     ..ProbeRequest::enrollee(Uuid([7; 16]), DevicePasswordId::PushButton)
    /// };
    /// let bytes = req.to_bytes();
    /// let parsed = ProbeRequest::parse(&bytes)?;
    /// assert_eq!(parsed.device_name, Some(&b"printer"[..]));
    /// assert_eq!(parsed.to_bytes(), bytes);
    /// # Ok::<(), wps::message::MessageError>(())
    /// ```
    pub fn enrollee(uuid_e: Uuid, device_password_id: DevicePasswordId) -> Self {
        ProbeRequest {
            version: 0x10,
            request_type: RequestType::EnrolleeOpen8021x,
            config_methods: ConfigMethods(0x2108),
            uuid_e: Some(uuid_e),
            uuid_r: None,
            primary_device_type: PrimaryDeviceType::wfa(1, 1),
            rf_bands: RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ,
            association_state: AssociationState::NotAssociated,
            configuration_error: ConfigError::NoError,
            device_password_id,
            manufacturer: None,
            model_name: None,
            model_number: None,
            device_name: None,
            wfa: Some(WfaExtension {
                request_to_enroll: Some(1),
                ..WfaExtension::version2_only()
            }),
            requested_device_types: DeviceTypeList::new(),
            secondary_device_types: None,
            vendor_extensions: VendorExtensionList::new(),
        }
    }

    /// Parses a (joined) probe request WPS IE attribute stream.
    pub fn parse(attrs: &'a [u8]) -> Result<Self, MessageError> {
        Self::from_attributes(&Attributes::parse(attrs)?)
    }

    /// Reads the probe request fields from already-parsed attributes.
    pub fn from_attributes(a: &Attributes<'a>) -> Result<Self, MessageError> {
        let version = required_u8(a, AttrType::Version)?;
        let request_type = RequestType::from(required_u8(a, AttrType::RequestType)?);
        let config_methods = ConfigMethods(required_u16(a, AttrType::ConfigMethods)?);
        let uuid_e = uuid(a, AttrType::UuidE);
        let uuid_r = uuid(a, AttrType::UuidR);
        if uuid_e.is_none() && uuid_r.is_none() {
            return Err(MessageError::Missing(AttrType::UuidE));
        }
        let mut requested_device_types = DeviceTypeList::new();
        for t in a.requested_device_types() {
            if let Some(t) = PrimaryDeviceType::from_slice(t) {
                // The parser keeps at most as many as the list holds.
                let _ = requested_device_types.push(t);
            }
        }
        Ok(ProbeRequest {
            version,
            request_type,
            config_methods,
            uuid_e,
            uuid_r,
            primary_device_type: required_device_type(a, AttrType::PrimaryDeviceType)?,
            rf_bands: RfBands(required_u8(a, AttrType::RfBands)?),
            association_state: required_u16(a, AttrType::AssociationState)?.into(),
            configuration_error: required_u16(a, AttrType::ConfigurationError)?.into(),
            device_password_id: required_u16(a, AttrType::DevicePasswordId)?.into(),
            manufacturer: a.get(AttrType::Manufacturer),
            model_name: a.get(AttrType::ModelName),
            model_number: a.get(AttrType::ModelNumber),
            device_name: a.get(AttrType::DeviceName),
            wfa: a.wfa().copied(),
            requested_device_types,
            secondary_device_types: a.get(AttrType::SecondaryDeviceTypeList),
            vendor_extensions: vendor_extensions(a),
        })
    }

    /// Appends the attribute stream in wpa_supplicant's order.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        tlv::write_u8(out, AttrType::Version.into(), self.version)?;
        tlv::write_u8(out, AttrType::RequestType.into(), self.request_type.into())?;
        tlv::write_u16(out, AttrType::ConfigMethods.into(), self.config_methods.0)?;
        if let Some(u) = self.uuid_e {
            tlv::write_tlv(out, AttrType::UuidE.into(), u.as_bytes())?;
        }
        if let Some(u) = self.uuid_r {
            tlv::write_tlv(out, AttrType::UuidR.into(), u.as_bytes())?;
        }
        tlv::write_tlv(
            out,
            AttrType::PrimaryDeviceType.into(),
            &self.primary_device_type.to_bytes(),
        )?;
        tlv::write_u8(out, AttrType::RfBands.into(), self.rf_bands.0)?;
        tlv::write_u16(
            out,
            AttrType::AssociationState.into(),
            self.association_state.into(),
        )?;
        tlv::write_u16(
            out,
            AttrType::ConfigurationError.into(),
            self.configuration_error.into(),
        )?;
        tlv::write_u16(
            out,
            AttrType::DevicePasswordId.into(),
            self.device_password_id.into(),
        )?;
        emit_opt(out, AttrType::Manufacturer, self.manufacturer)?;
        emit_opt(out, AttrType::ModelName, self.model_name)?;
        emit_opt(out, AttrType::ModelNumber, self.model_number)?;
        emit_opt(out, AttrType::DeviceName, self.device_name)?;
        if let Some(wfa) = &self.wfa {
            wfa.emit(out)?;
        }
        for t in &self.requested_device_types {
            tlv::write_tlv(out, AttrType::RequestedDeviceType.into(), &t.to_bytes())?;
        }
        emit_opt(
            out,
            AttrType::SecondaryDeviceTypeList,
            self.secondary_device_types,
        )?;
        emit_extensions(out, None, &self.vendor_extensions, None)
    }
}

emit_helpers!(ProbeRequest);

/// The WPS IE of an AP's Probe Response (hostapd's `wps_set_ie`), in hostapd's order: Version,
/// WSC State, AP Setup Locked, Selected Registrar, Device Password ID, Selected Registrar
/// Config Methods, Response Type, UUID-E, the [`DeviceAttrs`] block, Config Methods,
/// RF Bands, WFA extension, other vendor extensions, Application Extension.
///
/// Required when parsing: Version, WSC State, Response Type, UUID-E, the device block and
/// Config Methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProbeResponse<'a> {
    /// Version (always 0x10).
    pub version: u8,
    /// Wi-Fi Protected Setup State.
    pub wsc_state: WscState,
    /// AP Setup Locked.
    pub ap_setup_locked: bool,
    /// Selected Registrar.
    pub selected_registrar: bool,
    /// Device Password ID the selected registrar uses.
    pub device_password_id: Option<DevicePasswordId>,
    /// Config methods of the selected registrar.
    pub selected_registrar_config_methods: Option<ConfigMethods>,
    /// Response Type: AP (3) or Registrar (2).
    pub response_type: ResponseType,
    /// UUID-E: the AP's UUID.
    pub uuid_e: Uuid,
    /// Manufacturer, model, serial number, device type and name.
    pub device: DeviceAttrs<'a>,
    /// The AP's Config Methods (hostapd removes the push-button bits).
    pub config_methods: ConfigMethods,
    /// RF Bands (dual-band APs).
    pub rf_bands: Option<RfBands>,
    /// The WFA vendor extension (Version2, AuthorizedMACs).
    pub wfa: Option<WfaExtension<'a>>,
    /// Vendor extensions of other vendors.
    pub vendor_extensions: VendorExtensionList<'a>,
    /// Application Extension.
    pub application_extension: Option<&'a [u8]>,
}

impl<'a> ProbeResponse<'a> {
    /// Parses a (joined) probe response WPS IE attribute stream.
    pub fn parse(attrs: &'a [u8]) -> Result<Self, MessageError> {
        Self::from_attributes(&Attributes::parse(attrs)?)
    }

    /// Reads the probe response fields from already-parsed attributes.
    pub fn from_attributes(a: &Attributes<'a>) -> Result<Self, MessageError> {
        Ok(ap_element_from!(
            a,
            ProbeResponse {
                response_type: ResponseType::from(required_u8(a, AttrType::ResponseType)?),
                uuid_e: required_uuid(a, AttrType::UuidE)?,
                device: DeviceAttrs::from_attributes(a)?,
                config_methods: ConfigMethods(required_u16(a, AttrType::ConfigMethods)?),
            }
        ))
    }

    /// Appends the attribute stream in hostapd's order.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        emit_ap_element!(self, out, {
            tlv::write_u8(
                out,
                AttrType::ResponseType.into(),
                self.response_type.into(),
            )?;
            tlv::write_tlv(out, AttrType::UuidE.into(), self.uuid_e.as_bytes())?;
            self.device.emit(out)?;
            tlv::write_u16(out, AttrType::ConfigMethods.into(), self.config_methods.0)?;
        })
    }
}

emit_helpers!(ProbeResponse);
