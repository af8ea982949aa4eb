//! The WPS IEs an AP advertises: its Beacon's and its Probe Response's, which says
//! everything the Beacon says and who the AP is.

use crate::attr::{
    ConfigMethods, DevicePasswordId, ResponseType, RfBands, Uuid, WfaExtension, WscState,
};
use crate::message::{DeviceAttrs, Extra};

wsc_family! {
    each [#[derive(Debug)]]
    first {
        /// Version (always 0x10; the real version is Version2 in the WFA extension).
        version: u8 = Version,
        /// Wi-Fi Protected Setup State.
        wsc_state: WscState = WscState,
        /// AP Setup Locked: the AP refuses its PIN for now.
        ap_setup_locked: bool = ApSetupLocked,
        /// Selected Registrar: a registrar is ready (PIN entered, push button pressed).
        selected_registrar: bool = SelectedRegistrar,
        /// Device Password ID the selected registrar uses.
        device_password_id: Option<DevicePasswordId> = DevicePasswordId,
        /// Config methods of the selected registrar.
        selected_registrar_config_methods: Option<ConfigMethods> = SelectedRegistrarConfigMethods,
    }
    last {
        /// RF Bands (dual-band APs).
        rf_bands: Option<RfBands> = RfBands,
        /// The WFA vendor extension (Version2, AuthorizedMACs).
        wfa: Option<WfaExtension<'a>>,
        /// Other vendors' extensions (written here) and a parsed IE's input.
        extra: Extra<'a>,
        /// Application Extension.
        application_extension: Option<&'a [u8]> = ApplicationExtension,
    }

    /// The WPS IE of a Beacon (hostapd's `wps_set_ie`), in hostapd's order: Version, WSC
    /// State, AP Setup Locked, Selected Registrar, Device Password ID, Selected Registrar
    /// Config Methods, UUID-E, RF Bands, WFA extension, other vendor extensions,
    /// Application Extension. Version and WSC State are required.
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
    pub struct Beacon {
        /// UUID-E (the AP's UUID; hostapd sends it only with PBC on a dual-band AP).
        uuid_e: Option<Uuid> = UuidE,
    }

    /// The WPS IE of an AP's Probe Response (hostapd's `wps_set_ie`), in hostapd's
    /// order: the Beacon's first six, Response Type, UUID-E, the [`DeviceAttrs`] block,
    /// Config Methods, then as in the Beacon RF Bands, WFA extension, other vendor
    /// extensions, Application Extension.
    ///
    /// Required when parsing: Version, WSC State, Response Type, UUID-E, the device block
    /// and Config Methods.
    pub struct ProbeResponse {
        /// Response Type: AP (3) or Registrar (2).
        response_type: ResponseType = ResponseType,
        /// UUID-E: the AP's UUID.
        uuid_e: Uuid = UuidE,
        /// Manufacturer, model, serial number, device type and name.
        device: DeviceAttrs<'a>,
        /// The AP's Config Methods (hostapd removes the push-button bits).
        config_methods: ConfigMethods = ConfigMethods,
    }
}

impl Beacon<'_> {
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
            extra: Extra::NONE,
            application_extension: None,
        }
    }
}
