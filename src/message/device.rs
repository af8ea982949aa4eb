//! The six device-description attributes that M1, M2, M2D and Probe Responses share.

use crate::attr::{AttrType, Attributes, PrimaryDeviceType};
use crate::tlv::{self, Buf, WriteError};

use super::MessageError;
use super::macros::Source;

/// Manufacturer, Model Name, Model Number, Serial Number, Primary Device Type and
/// Device Name — hostapd's `DevAttrs`, always written in this order.
///
/// The strings are bytes as received (no UTF-8 requirement, no NUL handling); the
/// parser keeps hostapd's limits (Manufacturer cut to 64 bytes, the model strings and
/// serial number to 32, a Device Name over 32 bytes ignored).
///
/// ```
/// use wps::attr::{Attributes, PrimaryDeviceType};
/// use wps::message::DeviceAttrs;
///
/// let dev = DeviceAttrs {
///     manufacturer: b"ACME",
///     model_name: b"Router",
///     model_number: b"1",
///     serial_number: b"42",
///     primary_device_type: PrimaryDeviceType::wfa(6, 1),
///     device_name: b"ap",
/// };
/// let mut out = Vec::new();
/// dev.emit(&mut out)?;
/// let back = DeviceAttrs::from_attributes(&Attributes::parse(&out)?)?;
/// assert_eq!(back, dev);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DeviceAttrs<'a> {
    /// Manufacturer (0x1021).
    pub manufacturer: &'a [u8],
    /// Model Name (0x1023).
    pub model_name: &'a [u8],
    /// Model Number (0x1024).
    pub model_number: &'a [u8],
    /// Serial Number (0x1042).
    pub serial_number: &'a [u8],
    /// Primary Device Type (0x1054).
    pub primary_device_type: PrimaryDeviceType,
    /// Device Name (0x1011).
    pub device_name: &'a [u8],
}

impl<'a> DeviceAttrs<'a> {
    /// The attribute types, in the order hostapd writes them.
    pub const ORDER: [AttrType; 6] = [
        AttrType::Manufacturer,
        AttrType::ModelName,
        AttrType::ModelNumber,
        AttrType::SerialNumber,
        AttrType::PrimaryDeviceType,
        AttrType::DeviceName,
    ];

    /// Takes all six from parsed attributes; the error names the first one missing.
    pub fn from_attributes(attrs: &Attributes<'a>) -> Result<Self, MessageError> {
        Self::from_source(attrs)
    }

    pub(crate) fn from_source<S: Source<'a>>(attrs: &S) -> Result<Self, MessageError> {
        let get = |t| attrs.src_get(t).ok_or(MessageError::Missing(t));
        Ok(DeviceAttrs {
            manufacturer: get(AttrType::Manufacturer)?,
            model_name: get(AttrType::ModelName)?,
            model_number: get(AttrType::ModelNumber)?,
            serial_number: get(AttrType::SerialNumber)?,
            primary_device_type: PrimaryDeviceType::from_slice(get(AttrType::PrimaryDeviceType)?)
                .ok_or(MessageError::Missing(AttrType::PrimaryDeviceType))?,
            device_name: get(AttrType::DeviceName)?,
        })
    }

    /// Writes the six attributes in hostapd's order.
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        for t in Self::ORDER {
            self.emit_one(t, out)?;
        }
        Ok(())
    }

    /// Writes one of the six attributes; `Ok(false)` when `attr` is not a device
    /// attribute (nothing written). Lets callers with another order (Probe Request,
    /// a peer's message being re-encoded) place each one themselves.
    pub fn emit_one<B: Buf + ?Sized>(
        &self,
        attr: AttrType,
        out: &mut B,
    ) -> Result<bool, WriteError> {
        let ty = u16::from(attr);
        match attr {
            AttrType::Manufacturer => tlv::write_tlv(out, ty, self.manufacturer)?,
            AttrType::ModelName => tlv::write_tlv(out, ty, self.model_name)?,
            AttrType::ModelNumber => tlv::write_tlv(out, ty, self.model_number)?,
            AttrType::SerialNumber => tlv::write_tlv(out, ty, self.serial_number)?,
            AttrType::PrimaryDeviceType => {
                tlv::write_tlv(out, ty, &self.primary_device_type.to_bytes())?;
            }
            AttrType::DeviceName => tlv::write_tlv(out, ty, self.device_name)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}
