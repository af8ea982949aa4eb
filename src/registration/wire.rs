//! Building the registration messages in hostapd's exact attribute order.

use alloc::vec::Vec;

use super::device::{Credential, DeviceInfo};
use crate::attr::{AttrType, ConfigError, DevicePasswordId, MessageType};

/// Vendor Extension with the WFA vendor ID and Version2 = 2.0.
const WFA_EXT: [u8; 10] = [0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2A, 0x00, 0x01, 0x20];

/// A message under construction.
pub(crate) struct Msg(pub(crate) Vec<u8>);

impl Msg {
    /// Starts a message with Version 0x10 and its Message Type.
    pub(crate) fn new(t: MessageType) -> Self {
        let mut m = Msg(Vec::with_capacity(420));
        m.u8(AttrType::Version, 0x10);
        m.u8(AttrType::MessageType, u8::from(t));
        m
    }

    /// One attribute. Values longer than a TLV can hold are cut (never reached: every
    /// value written here is bounded by its type).
    pub(crate) fn put(&mut self, t: AttrType, value: &[u8]) -> &mut Self {
        let len = u16::try_from(value.len()).unwrap_or(u16::MAX);
        self.0.extend_from_slice(&u16::from(t).to_be_bytes());
        self.0.extend_from_slice(&len.to_be_bytes());
        self.0
            .extend_from_slice(value.get(..usize::from(len)).unwrap_or(value));
        self
    }

    pub(crate) fn u8(&mut self, t: AttrType, v: u8) -> &mut Self {
        self.put(t, &[v])
    }

    pub(crate) fn u16(&mut self, t: AttrType, v: u16) -> &mut Self {
        self.put(t, &v.to_be_bytes())
    }

    pub(crate) fn wfa_ext(&mut self) -> &mut Self {
        self.0.extend_from_slice(&WFA_EXT);
        self
    }

    /// Auth/Encr/Connection Type Flags and Config Methods.
    fn capabilities(&mut self, dev: &DeviceInfo) -> &mut Self {
        self.u16(
            AttrType::AuthenticationTypeFlags,
            dev.auth_type_flags.bits(),
        )
        .u16(AttrType::EncryptionTypeFlags, dev.encr_type_flags.bits())
        .u8(
            AttrType::ConnectionTypeFlags,
            dev.connection_type_flags.bits(),
        )
        .u16(AttrType::ConfigMethods, dev.config_methods.bits())
    }

    /// Manufacturer, Model Name, Model Number, Serial Number, Primary Device Type, Device
    /// Name — with hostapd's length caps, so what we send is what a parser keeps.
    fn dev_attrs(&mut self, dev: &DeviceInfo) -> &mut Self {
        let cap = |v: &[u8], n: usize| -> Vec<u8> { v.iter().copied().take(n).collect() };
        self.put(AttrType::Manufacturer, &cap(&dev.manufacturer, 64))
            .put(AttrType::ModelName, &cap(&dev.model_name, 32))
            .put(AttrType::ModelNumber, &cap(&dev.model_number, 32))
            .put(AttrType::SerialNumber, &cap(&dev.serial_number, 32))
            .put(
                AttrType::PrimaryDeviceType,
                &dev.primary_device_type.to_bytes(),
            )
            .put(AttrType::DeviceName, &cap(&dev.device_name, 32))
    }

    fn os_version(&mut self, dev: &DeviceInfo) -> &mut Self {
        self.put(
            AttrType::OsVersion,
            &(0x8000_0000 | dev.os_version).to_be_bytes(),
        )
    }
}

/// M1.
pub(crate) fn m1(
    dev: &DeviceInfo,
    nonce: &[u8; 16],
    public_key: &[u8; 192],
    wsc_state: u8,
    dev_pw_id: DevicePasswordId,
) -> Vec<u8> {
    let mut m = Msg::new(MessageType::M1);
    m.put(AttrType::UuidE, dev.uuid.as_bytes())
        .put(AttrType::MacAddress, &dev.mac.0)
        .put(AttrType::EnrolleeNonce, nonce)
        .put(AttrType::PublicKey, public_key)
        .capabilities(dev)
        .u8(AttrType::WscState, wsc_state)
        .dev_attrs(dev)
        .u8(AttrType::RfBands, dev.rf_bands.bits())
        .u16(AttrType::AssociationState, 0)
        .u16(AttrType::DevicePasswordId, u16::from(dev_pw_id))
        .u16(AttrType::ConfigurationError, 0)
        .os_version(dev)
        .wfa_ext();
    m.0
}

/// M2 without its Authenticator.
pub(crate) fn m2(
    dev: &DeviceInfo,
    enrollee_nonce: &[u8; 16],
    registrar_nonce: &[u8; 16],
    public_key: &[u8; 192],
    dev_pw_id: DevicePasswordId,
) -> Vec<u8> {
    let mut m = Msg::new(MessageType::M2);
    m.put(AttrType::EnrolleeNonce, enrollee_nonce)
        .put(AttrType::RegistrarNonce, registrar_nonce)
        .put(AttrType::UuidR, dev.uuid.as_bytes())
        .put(AttrType::PublicKey, public_key)
        .capabilities(dev)
        .dev_attrs(dev)
        .u8(AttrType::RfBands, dev.rf_bands.bits())
        .u16(AttrType::AssociationState, 0)
        .u16(AttrType::ConfigurationError, 0)
        .u16(AttrType::DevicePasswordId, u16::from(dev_pw_id))
        .os_version(dev)
        .wfa_ext();
    m.0
}

/// M2D (no Public Key, no Device Password ID, no Authenticator).
pub(crate) fn m2d(
    dev: &DeviceInfo,
    enrollee_nonce: &[u8; 16],
    registrar_nonce: &[u8; 16],
    config_error: ConfigError,
) -> Vec<u8> {
    let mut m = Msg::new(MessageType::M2D);
    m.put(AttrType::EnrolleeNonce, enrollee_nonce)
        .put(AttrType::RegistrarNonce, registrar_nonce)
        .put(AttrType::UuidR, dev.uuid.as_bytes())
        .capabilities(dev)
        .dev_attrs(dev)
        .u8(AttrType::RfBands, dev.rf_bands.bits())
        .u16(AttrType::AssociationState, 0)
        .u16(AttrType::ConfigurationError, u16::from(config_error))
        .os_version(dev)
        .wfa_ext();
    m.0
}

/// WSC_ACK, WSC_NACK (with `config_error`) or WSC_Done.
pub(crate) fn ack_nack_done(
    t: MessageType,
    enrollee_nonce: &[u8; 16],
    registrar_nonce: &[u8; 16],
    config_error: ConfigError,
) -> Vec<u8> {
    let mut m = Msg::new(t);
    m.put(AttrType::EnrolleeNonce, enrollee_nonce)
        .put(AttrType::RegistrarNonce, registrar_nonce);
    if t == MessageType::WscNack {
        m.u16(AttrType::ConfigurationError, u16::from(config_error));
    }
    m.wfa_ext();
    m.0
}

/// Nested attributes of a Credential (hostapd order): Network Index, SSID, Auth Type,
/// Encr Type, Network Key, MAC Address. Also the flat AP settings an ER puts in M8.
pub(crate) fn credential_attrs(c: &Credential, out: &mut Msg) {
    out.u8(AttrType::NetworkIndex, c.network_index())
        .put(AttrType::Ssid, c.ssid())
        .u16(AttrType::AuthenticationType, c.auth_type().bits())
        .u16(AttrType::EncryptionType, c.encr_type().bits())
        .put(AttrType::NetworkKey, c.network_key())
        .put(AttrType::MacAddress, &c.mac().0);
}

/// AP settings as a hostapd AP enrollee writes them into M7: SSID, MAC Address, Auth
/// Type, Encr Type, Network Key.
pub(crate) fn ap_settings_attrs(c: &Credential, out: &mut Msg) {
    out.put(AttrType::Ssid, c.ssid())
        .put(AttrType::MacAddress, &c.mac().0)
        .u16(AttrType::AuthenticationType, c.auth_type().bits())
        .u16(AttrType::EncryptionType, c.encr_type().bits())
        .put(AttrType::NetworkKey, c.network_key());
}

/// An empty attribute stream for nested/plaintext content.
pub(crate) fn plain() -> Msg {
    Msg(Vec::with_capacity(128))
}
