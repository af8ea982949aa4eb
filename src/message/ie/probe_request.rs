//! The WPS IE of a station's Probe Requests.

use super::DeviceTypeList;
use crate::attr::{
    AssociationState, AttrType, ConfigError, ConfigMethods, DevicePasswordId, PrimaryDeviceType,
    RequestType, RfBands, Uuid, WfaExtension,
};
use crate::message::{Extra, MessageError};

wsc_struct! {
    /// The WPS IE of a Probe Request (wpa_supplicant's `wps_build_probe_req_ie`), in its order: Version,
    /// Request Type, Config Methods, UUID-E (or UUID-R), Primary Device Type, RF Bands,
    /// Association State, Configuration Error, Device Password ID, Manufacturer, Model Name,
    /// Model Number, Device Name, WFA extension, Requested Device Types, Secondary Device
    /// Type List, then other vendors' extensions.
    ///
    /// Required when parsing: everything up to Device Password ID (UUID-E or UUID-R). The
    /// four strings are required only by WSC 2.0, so they are optional here.
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
    #[derive(Debug)]
    pub struct ProbeRequest where one_uuid {
        /// Version (always 0x10).
        version: u8 = Version,
        /// Request Type: what the station wants to be.
        request_type: RequestType = RequestType,
        /// Config Methods the station supports.
        config_methods: ConfigMethods = ConfigMethods,
        /// UUID-E of an enrollee.
        uuid_e: Option<Uuid> = UuidE,
        /// UUID-R of a registrar (written in UUID-E's place; one of the two is required).
        uuid_r: Option<Uuid> = UuidR,
        /// Primary Device Type.
        primary_device_type: PrimaryDeviceType = PrimaryDeviceType,
        /// RF Bands.
        rf_bands: RfBands = RfBands,
        /// Association State (0 from wpa_supplicant).
        association_state: AssociationState = AssociationState,
        /// Configuration Error (0 from wpa_supplicant).
        configuration_error: ConfigError = ConfigurationError,
        /// Device Password ID: PushButton while push-button is active, else Default.
        device_password_id: DevicePasswordId = DevicePasswordId,
        /// Manufacturer.
        manufacturer: Option<&'a [u8]> = Manufacturer,
        /// Model Name.
        model_name: Option<&'a [u8]> = ModelName,
        /// Model Number.
        model_number: Option<&'a [u8]> = ModelNumber,
        /// Device Name.
        device_name: Option<&'a [u8]> = DeviceName,
        /// The WFA vendor extension (Version2, Request to Enroll).
        wfa: Option<WfaExtension<'a>>,
        /// Requested Device Type attributes (the first ten).
        requested_device_types: DeviceTypeList,
        /// Secondary Device Type List: 8-byte device types back to back.
        secondary_device_types: Option<&'a [u8]> = SecondaryDeviceTypeList,
        /// Other vendors' extensions (written here) and a parsed IE's input.
        extra: Extra<'a>,
    }
}

/// A Probe Request names its sender by UUID-E (an enrollee) or UUID-R (a registrar).
fn one_uuid(req: &ProbeRequest<'_>) -> Result<(), MessageError> {
    if req.uuid_e.is_none() && req.uuid_r.is_none() {
        return Err(MessageError::Missing(AttrType::UuidE));
    }
    Ok(())
}

impl ProbeRequest<'_> {
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
            extra: Extra::NONE,
        }
    }
}
