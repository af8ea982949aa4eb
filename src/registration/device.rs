//! A device's own description (what goes into M1 / M2) and network settings
//! (Credentials and AP settings).

use alloc::vec::Vec;
use core::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use super::session::Attr;
use crate::attr::{
    AttrType, AuthType, ConfigMethods, ConnectionTypeFlags, EncrType, MacAddr, PrimaryDeviceType,
    RfBands, Uuid,
};
use crate::message::{self, DeviceAttrs, DeviceIdentity};

/// How a device describes itself in M1 (enrollee) or M2/M2D (registrar).
///
/// [`DeviceInfo::new`] fills in wpa_supplicant's defaults; change any field after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceInfo {
    /// UUID-E (enrollee) or UUID-R (registrar).
    pub uuid: Uuid,
    /// The device's MAC address (an enrollee's goes into the key derivation).
    pub mac: MacAddr,
    /// Manufacturer, model, serial number, device type and device name.
    pub identity: DeviceIdentity,
    /// Config Methods.
    pub config_methods: ConfigMethods,
    /// RF Bands.
    pub rf_bands: RfBands,
    /// OS Version; sent with the top bit set, as hostapd does.
    pub os_version: u32,
    /// Authentication Type Flags (hostapd: WPA2-PSK | WPA-PSK | Open = 0x0023).
    pub auth_type_flags: AuthType,
    /// Encryption Type Flags (hostapd: AES | TKIP | None = 0x000D).
    pub encr_type_flags: EncrType,
    /// Connection Type Flags (ESS).
    pub connection_type_flags: ConnectionTypeFlags,
}

impl DeviceInfo {
    /// A device with wpa_supplicant's defaults: Config Methods Display | Keypad |
    /// Virtual Display (0x2108), both 2.4 and 5 GHz, a computer as primary device type.
    ///
    /// ```
    /// use wps::attr::{MacAddr, Uuid};
    /// use wps::registration::DeviceInfo;
    /// let d = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    /// assert_eq!(d.identity.device_name, b"printer");
    /// assert_eq!(u16::from(d.config_methods), 0x2108);
    /// ```
    pub fn new(uuid: Uuid, mac: MacAddr, device_name: &str) -> Self {
        DeviceInfo {
            uuid,
            mac,
            identity: DeviceIdentity {
                manufacturer: b"wps-rs".to_vec(),
                model_name: b"wps-rs".to_vec(),
                model_number: b"1".to_vec(),
                serial_number: b"1".to_vec(),
                primary_device_type: PrimaryDeviceType::wfa(1, 1),
                device_name: device_name.as_bytes().to_vec(),
            },
            config_methods: ConfigMethods::from(0x2108),
            rf_bands: RfBands::BAND_2_4_GHZ | RfBands::BAND_5_GHZ,
            os_version: 0,
            auth_type_flags: AuthType::from(0x0023),
            encr_type_flags: EncrType::from(0x000D),
            connection_type_flags: ConnectionTypeFlags::ESS,
        }
    }

    /// The six device attributes as sent ([`DeviceIdentity::attrs`]).
    pub(crate) fn attrs(&self) -> DeviceAttrs<'_> {
        self.identity.attrs()
    }

    /// The WPS IE attributes of this device's Probe Requests while it looks for a
    /// registrar: [`ProbeRequest::enrollee`](message::ie::ProbeRequest::enrollee) with
    /// this device's UUID, Config Methods, device type, RF bands and the four strings
    /// WSC 2.0 asks for. `device_password_id` is
    /// [`DevicePasswordId::PushButton`](crate::attr::DevicePasswordId::PushButton)
    /// while the button is pressed.
    ///
    /// ```
    /// use wps::attr::{DevicePasswordId, MacAddr, Uuid};
    /// use wps::message::ie::ProbeRequest;
    /// use wps::registration::DeviceInfo;
    /// let d = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "printer");
    /// let bytes = d.probe_request(DevicePasswordId::PushButton).to_bytes();
    /// let mut elements = Vec::new();
    /// wps::eap::element::split_vec(&bytes, &mut elements); // into the frame's vendor elements
    /// let req = ProbeRequest::parse(&bytes)?;
    /// assert_eq!(req.device_name, Some(&b"printer"[..]));
    /// assert_eq!(req.uuid_e, Some(Uuid([1; 16])));
    /// # Ok::<(), wps::message::MessageError>(())
    /// ```
    pub fn probe_request(
        &self,
        device_password_id: crate::attr::DevicePasswordId,
    ) -> message::ie::ProbeRequest<'_> {
        let d = self.attrs();
        message::ie::ProbeRequest {
            config_methods: self.config_methods,
            primary_device_type: d.primary_device_type,
            rf_bands: self.rf_bands,
            manufacturer: Some(d.manufacturer),
            model_name: Some(d.model_name),
            model_number: Some(d.model_number),
            device_name: Some(d.device_name),
            ..message::ie::ProbeRequest::enrollee(self.uuid, device_password_id)
        }
    }

    /// OS Version as sent: with the top bit set, as hostapd does.
    pub(crate) fn os_version_attr(&self) -> u32 {
        0x8000_0000 | self.os_version
    }

    /// The values M1, M2 and M2D describe this device with, as sent.
    pub(crate) fn described(&self) -> Described<'_> {
        Described {
            device: self,
            auth: self.auth_type_flags.bits().to_be_bytes(),
            encr: self.encr_type_flags.bits().to_be_bytes(),
            connection: [self.connection_type_flags.bits()],
            methods: self.config_methods.bits().to_be_bytes(),
            device_type: self.identity.primary_device_type.to_bytes(),
            rf_bands: [self.rf_bands.bits()],
            os_version: self.os_version_attr().to_be_bytes(),
        }
    }
}

/// A device's description as M1, M2 and M2D carry it, for the machines' one message
/// writer: the numbers encoded as sent (big-endian), in the groups the three messages
/// share.
pub(crate) struct Described<'a> {
    device: &'a DeviceInfo,
    auth: [u8; 2],
    encr: [u8; 2],
    connection: [u8; 1],
    methods: [u8; 2],
    device_type: [u8; 8],
    rf_bands: [u8; 1],
    os_version: [u8; 4],
}

impl Described<'_> {
    /// Authentication and Encryption Type Flags, Connection Type Flags, Config Methods.
    // One copy for M1 and M2 / M2D.
    #[inline(never)]
    pub(crate) fn capabilities(&self) -> [Attr<'_>; 4] {
        [
            (AttrType::AuthenticationTypeFlags, &self.auth),
            (AttrType::EncryptionTypeFlags, &self.encr),
            (AttrType::ConnectionTypeFlags, &self.connection),
            (AttrType::ConfigMethods, &self.methods),
        ]
    }

    /// Manufacturer, Model Name, Model Number, Serial Number, Primary Device Type and
    /// Device Name.
    // One copy for M1 and M2 / M2D.
    #[inline(never)]
    pub(crate) fn identity(&self) -> [Attr<'_>; 6] {
        let d = self.device.attrs();
        [
            (AttrType::Manufacturer, d.manufacturer),
            (AttrType::ModelName, d.model_name),
            (AttrType::ModelNumber, d.model_number),
            (AttrType::SerialNumber, d.serial_number),
            (AttrType::PrimaryDeviceType, &self.device_type),
            (AttrType::DeviceName, d.device_name),
        ]
    }

    /// RF Bands.
    pub(crate) fn rf_bands(&self) -> Attr<'_> {
        (AttrType::RfBands, &self.rf_bands)
    }

    /// OS Version.
    pub(crate) fn os_version(&self) -> Attr<'_> {
        (AttrType::OsVersion, &self.os_version)
    }
}

/// Why network settings were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialError {
    /// SSID empty or longer than 32 bytes.
    #[error("SSID must be 1..=32 bytes, got {len}")]
    Ssid {
        /// Its length.
        len: usize,
    },
    /// Network key longer than 64 bytes, or not a valid WPA key (8..=63 printable
    /// characters, or 64 hex digits) for a PSK network.
    #[error("invalid network key ({len} bytes)")]
    NetworkKey {
        /// Its length.
        len: usize,
    },
    /// A received credential failed hostapd's receiver checks
    /// ([`message::CredentialRef::validate`]); `Invalid(WepOnly)` is one hostapd skips.
    #[error(transparent)]
    Invalid(message::CredentialError),
}

/// A network: SSID, authentication and encryption type, network key.
///
/// The key is wiped on drop and redacted by `Debug`.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct NetworkSettings {
    #[zeroize(skip)]
    ssid: Vec<u8>,
    #[zeroize(skip)]
    auth_type: AuthType,
    #[zeroize(skip)]
    encr_type: EncrType,
    network_key: Vec<u8>,
}

impl fmt::Debug for NetworkSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NetworkSettings")
            .field("ssid", &SsidDisplay(&self.ssid))
            .field("auth_type", &self.auth_type)
            .field("encr_type", &self.encr_type)
            .field("network_key", &"..")
            .finish()
    }
}

struct SsidDisplay<'a>(&'a [u8]);

impl fmt::Debug for SsidDisplay<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(self.0) {
            Ok(s) => write!(f, "{s:?}"),
            Err(_) => write!(f, "{:02x?}", self.0),
        }
    }
}

fn valid_psk_key(key: &[u8]) -> bool {
    match key.len() {
        8..=63 => key.iter().all(|&b| (0x20..0x7f).contains(&b)),
        64 => key.iter().all(u8::is_ascii_hexdigit),
        _ => false,
    }
}

impl NetworkSettings {
    /// Any settings; the key is checked only for WPA/WPA2-PSK networks (8..=63 printable
    /// characters or 64 hex digits).
    ///
    /// # Errors
    /// [`CredentialError::Ssid`], [`CredentialError::NetworkKey`].
    pub fn new(
        ssid: &[u8],
        auth_type: AuthType,
        encr_type: EncrType,
        network_key: &[u8],
    ) -> Result<Self, CredentialError> {
        if ssid.is_empty() || ssid.len() > 32 {
            return Err(CredentialError::Ssid { len: ssid.len() });
        }
        let psk = auth_type.intersects(AuthType::WPA_PSK | AuthType::WPA2_PSK);
        if network_key.len() > 64 || (psk && !valid_psk_key(network_key)) {
            return Err(CredentialError::NetworkKey {
                len: network_key.len(),
            });
        }
        Ok(NetworkSettings {
            ssid: ssid.to_vec(),
            auth_type,
            encr_type,
            network_key: network_key.to_vec(),
        })
    }

    /// WPA2-Personal with AES and a passphrase (or 64 hex digits).
    ///
    /// ```
    /// use wps::registration::NetworkSettings;
    /// let n = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
    /// assert_eq!(n.ssid(), b"home");
    /// assert!(NetworkSettings::wpa2_personal(b"home", b"short").is_err());
    /// # Ok::<(), wps::registration::CredentialError>(())
    /// ```
    ///
    /// # Errors
    /// As [`NetworkSettings::new`].
    pub fn wpa2_personal(ssid: &[u8], passphrase: &[u8]) -> Result<Self, CredentialError> {
        Self::new(ssid, AuthType::WPA2_PSK, EncrType::AES, passphrase)
    }

    /// WPA2-Personal with AES, from an SSID and key already checked as
    /// [`new`](Self::new) checks them (by [`crate::message::MultiApRegistrar::new`]).
    pub(crate) fn wpa2_personal_checked(ssid: &[u8], network_key: &[u8]) -> Self {
        NetworkSettings {
            ssid: ssid.to_vec(),
            auth_type: AuthType::WPA2_PSK,
            encr_type: EncrType::AES,
            network_key: network_key.to_vec(),
        }
    }

    /// An open network.
    ///
    /// # Errors
    /// [`CredentialError::Ssid`].
    pub fn open(ssid: &[u8]) -> Result<Self, CredentialError> {
        Self::new(ssid, AuthType::OPEN, EncrType::NONE, b"")
    }

    /// The SSID.
    pub fn ssid(&self) -> &[u8] {
        &self.ssid
    }
    /// Authentication Type.
    pub fn auth_type(&self) -> AuthType {
        self.auth_type
    }
    /// Encryption Type.
    pub fn encr_type(&self) -> EncrType {
        self.encr_type
    }
    /// Network Key: a passphrase, 64 hex digits, or empty for an open network.
    pub fn network_key(&self) -> &[u8] {
        &self.network_key
    }

    /// These settings as a Credential for the device with MAC address `mac`.
    pub(crate) fn to_message(&self, mac: MacAddr, network_index: u8) -> message::CredentialRef<'_> {
        message::CredentialRef {
            network_index,
            ssid: &self.ssid,
            auth_type: self.auth_type,
            encr_type: self.encr_type,
            network_key_index: None,
            network_key: Some(&self.network_key),
            mac_address: mac,
            wfa: None,
            extra: message::Extra::NONE,
        }
    }
}

/// A credential delivered in M8 (or AP settings in M7/M8): network settings plus the MAC
/// address and Network Index attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    settings: NetworkSettings,
    mac: MacAddr,
    network_index: u8,
}

impl Credential {
    /// Settings for the device with MAC address `mac` (hostapd: the enrollee's).
    pub fn new(settings: NetworkSettings, mac: MacAddr) -> Self {
        Credential {
            settings,
            mac,
            network_index: 1,
        }
    }

    /// The network settings.
    pub fn settings(&self) -> &NetworkSettings {
        &self.settings
    }
    /// The SSID.
    pub fn ssid(&self) -> &[u8] {
        self.settings.ssid()
    }
    /// Authentication Type.
    pub fn auth_type(&self) -> AuthType {
        self.settings.auth_type()
    }
    /// Encryption Type.
    pub fn encr_type(&self) -> EncrType {
        self.settings.encr_type()
    }
    /// Network Key.
    pub fn network_key(&self) -> &[u8] {
        self.settings.network_key()
    }
    /// MAC Address attribute.
    pub fn mac(&self) -> MacAddr {
        self.mac
    }
    /// Network Index (hostapd writes 1; the receiver ignores it).
    pub fn network_index(&self) -> u8 {
        self.network_index
    }

    /// The message-layer view of this credential, as hostapd writes it: Network Key
    /// always present (empty for an open network), no Network Key Index, no WFA
    /// extension.
    ///
    /// ```
    /// use wps::attr::MacAddr;
    /// use wps::registration::{Credential, NetworkSettings};
    /// let n = NetworkSettings::wpa2_personal(b"home", b"correct horse battery")?;
    /// let c = Credential::new(n, MacAddr([2, 0, 0, 0, 0, 1]));
    /// let mut nested = Vec::new();
    /// c.to_message().emit(&mut nested)?;
    /// let back = Credential::try_from(wps::message::CredentialRef::parse(&nested)?)?;
    /// assert_eq!(back, c);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_message(&self) -> message::CredentialRef<'_> {
        self.settings.to_message(self.mac, self.network_index)
    }
}

impl TryFrom<message::CredentialRef<'_>> for Credential {
    type Error = CredentialError;

    /// Takes a received credential (or flat AP settings) with hostapd's receiver rules
    /// ([`message::CredentialRef::validate`]: trailing NULs of the SSID and of a PSK
    /// passphrase removed, WEP-only and unsupported encryption refused, a PSK key must be
    /// 8 or more characters without control characters), then the owned-storage limits
    /// of [`NetworkSettings::new`].
    fn try_from(c: message::CredentialRef<'_>) -> Result<Self, CredentialError> {
        let valid = c.validate().map_err(CredentialError::Invalid)?;
        let settings = NetworkSettings::new(
            valid.ssid,
            valid.auth_type,
            valid.encr_type,
            valid.network_key,
        )?;
        Ok(Credential {
            settings,
            mac: valid.mac_address,
            network_index: c.network_index,
        })
    }
}

/// Any device description, for tests of what the machines write about it.
#[cfg(test)]
pub(crate) fn any_device() -> impl proptest::strategy::Strategy<Value = DeviceInfo> {
    use crate::attr::{AuthType, ConnectionTypeFlags, EncrType, PrimaryDeviceType};
    use proptest::prelude::*;
    let text = || proptest::collection::vec(any::<u8>(), 0..40);
    let strings = (text(), text(), text(), text(), text());
    let numbers = any::<([u8; 16], [u8; 6], u16, u16, u8, u16, u8, u32, [u8; 8])>();
    (strings, numbers).prop_map(|(strings, numbers)| {
        let (uuid, mac, auth, encr, connection, methods, bands, os, device_type) = numbers;
        let (manufacturer, model_name, model_number, serial_number, device_name) = strings;
        DeviceInfo {
            uuid: Uuid(uuid),
            mac: MacAddr(mac),
            identity: DeviceIdentity {
                manufacturer,
                model_name,
                model_number,
                serial_number,
                primary_device_type: PrimaryDeviceType::from_bytes(device_type),
                device_name,
            },
            config_methods: ConfigMethods::from(methods),
            rf_bands: RfBands::from(bands),
            os_version: os,
            auth_type_flags: AuthType::from(auth),
            encr_type_flags: EncrType::from(encr),
            connection_type_flags: ConnectionTypeFlags::from(connection),
        }
    })
}
