//! The six device-description attributes that M1, M2, M2D and Probe Responses share:
//! borrowed from a message ([`DeviceAttrs`]) and owned ([`DeviceIdentity`]).

use crate::attr::{AttrType, Attributes, PrimaryDeviceType};
use crate::tlv::{self, Buf, WriteError};

use super::MessageError;
use super::macros::{AttrWriter, Source};

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
        Self::from_source(attrs).map_err(MessageError::Missing)
    }

    /// Takes all six; the error is the first one missing (a field's error:
    /// [`Field::read`](super::macros::Field::read)).
    // Inlined into each message's parser so the reads fold to constant table places
    // (each read written out: a closure for them was outlined, with the table's map).
    #[inline(always)]
    pub(crate) fn from_source<S: Source<'a>>(attrs: &S) -> Result<Self, AttrType> {
        macro_rules! required {
            ($t:ident) => {
                attrs.src_value(AttrType::$t).ok_or(AttrType::$t)?
            };
        }
        Ok(DeviceAttrs {
            manufacturer: required!(Manufacturer),
            model_name: required!(ModelName),
            model_number: required!(ModelNumber),
            serial_number: required!(SerialNumber),
            primary_device_type: required!(PrimaryDeviceType),
            device_name: required!(DeviceName),
        })
    }

    /// Writes the six attributes in hostapd's order.
    #[inline]
    pub fn emit<B: Buf + ?Sized>(&self, out: &mut B) -> Result<(), WriteError> {
        let mut w = AttrWriter::new(out);
        self.write_to(&mut w);
        w.finish()
    }

    /// [`emit`](Self::emit) through a message's writer.
    #[inline(always)]
    pub(crate) fn write_to<B: Buf + ?Sized>(&self, w: &mut AttrWriter<'_, B>) {
        // Spelled out (not a loop over ORDER through emit_one): six straight writes.
        let t = |a: AttrType| a.to_u16();
        w.attr(t(AttrType::Manufacturer), self.manufacturer);
        w.attr(t(AttrType::ModelName), self.model_name);
        w.attr(t(AttrType::ModelNumber), self.model_number);
        w.attr(t(AttrType::SerialNumber), self.serial_number);
        w.attr(
            t(AttrType::PrimaryDeviceType),
            &self.primary_device_type.to_bytes(),
        );
        w.attr(t(AttrType::DeviceName), self.device_name);
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

/// The six device attributes owned: who a device says it is (its own, or what a peer
/// said in M1, M2D or a Probe Request). [`DeviceIdentity::attrs`] lends them as
/// [`DeviceAttrs`] to write.
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceIdentity {
    /// Manufacturer (hostapd keeps at most 64 bytes).
    pub manufacturer: alloc::vec::Vec<u8>,
    /// Model Name (at most 32 bytes).
    pub model_name: alloc::vec::Vec<u8>,
    /// Model Number (at most 32 bytes).
    pub model_number: alloc::vec::Vec<u8>,
    /// Serial Number (at most 32 bytes).
    pub serial_number: alloc::vec::Vec<u8>,
    /// Primary Device Type.
    pub primary_device_type: PrimaryDeviceType,
    /// Device Name (at most 32 bytes).
    pub device_name: alloc::vec::Vec<u8>,
}

#[cfg(feature = "alloc")]
impl DeviceIdentity {
    /// The six attributes with hostapd's length caps (Manufacturer 64 bytes, the rest
    /// 32), so what is sent is what a parser keeps.
    ///
    /// ```
    /// use wps::message::{DeviceAttrs, DeviceIdentity};
    /// let id = DeviceIdentity {
    ///     device_name: vec![b'n'; 40],
    ///     ..DeviceIdentity::default()
    /// };
    /// assert_eq!(id.attrs().device_name.len(), 32);
    /// assert_eq!(DeviceIdentity::from(id.attrs()).device_name, vec![b'n'; 32]);
    /// ```
    pub fn attrs(&self) -> DeviceAttrs<'_> {
        fn cap(v: &[u8], n: usize) -> &[u8] {
            v.get(..n).unwrap_or(v)
        }
        DeviceAttrs {
            manufacturer: cap(&self.manufacturer, 64),
            model_name: cap(&self.model_name, 32),
            model_number: cap(&self.model_number, 32),
            serial_number: cap(&self.serial_number, 32),
            primary_device_type: self.primary_device_type,
            device_name: cap(&self.device_name, 32),
        }
    }
}

#[cfg(feature = "alloc")]
impl From<DeviceAttrs<'_>> for DeviceIdentity {
    fn from(d: DeviceAttrs<'_>) -> Self {
        // One out-of-line copy: five inlined `to_vec`s take 150 B more flash.
        #[inline(never)]
        fn owned(v: &[u8]) -> alloc::vec::Vec<u8> {
            v.to_vec()
        }
        DeviceIdentity {
            manufacturer: owned(d.manufacturer),
            model_name: owned(d.model_name),
            model_number: owned(d.model_number),
            serial_number: owned(d.serial_number),
            primary_device_type: d.primary_device_type,
            device_name: owned(d.device_name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn emit_follows_order() {
        let dev = DeviceAttrs {
            manufacturer: b"m",
            model_name: b"mn",
            model_number: b"mnr",
            serial_number: b"sn",
            primary_device_type: PrimaryDeviceType::wfa(1, 1),
            device_name: b"dn",
        };
        let (mut straight, mut one_by_one) = (Vec::new(), Vec::new());
        assert_eq!(dev.emit(&mut straight), Ok(()));
        for t in DeviceAttrs::ORDER {
            assert_eq!(dev.emit_one(t, &mut one_by_one), Ok(true));
        }
        assert_eq!(straight, one_by_one);
    }
}
