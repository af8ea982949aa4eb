//! Human-readable text for attribute streams, the way `tshark -V` shows them.
//!
//! [`Tree`] writes one line per attribute (name, type, length, typed value) and indents
//! what is nested: the attributes of a Credential and the subelements of the WFA vendor
//! extension. [`Value`] and [`SubelementValue`] are the one-line value texts on their own,
//! for callers that lay out their own output (a JSON writer, a log line). Everything here
//! is `core::fmt`: no allocation, usable without `std`.
//!
//! Strings are quoted with escapes, flags spelled out, enumerations named, UUIDs
//! hyphenated, MAC addresses with colons. Secrets (Network Key) are printed: this is a
//! debugging aid for traffic you captured.
//!
//! ```
//! use wps::attr::pretty::Tree;
//! let m = [0x10, 0x4a, 0x00, 0x01, 0x10,
//!          0x10, 0x22, 0x00, 0x01, 0x0e,
//!          0x10, 0x09, 0x00, 0x02, 0x00, 0x12,
//!          0x10, 0x49, 0x00, 0x06, 0x00, 0x37, 0x2a, 0x00, 0x01, 0x20];
//! assert_eq!(Tree::new(&m).to_string(), "\
//! Version (0x104a), 1 byte: 0x10 (1.0)
//! Message Type (0x1022), 1 byte: WSC_NACK (0x0e)
//! Configuration Error (0x1009), 2 bytes: 18 (Device password authentication failure)
//! Vendor Extension (0x1049), 6 bytes: WFA (00:37:2a)
//!     Version2 (0x00), 1 byte: 2.0 (0x20)
//! ");
//! ```

use super::vendor::subelement;
use super::{
    AssociationState, AttrType, AuthType, ConfigError, ConfigMethods, ConnectionType,
    ConnectionTypeFlags, DevicePasswordId, EncrType, MacAddr, MessageType, MultiApFlags,
    PrimaryDeviceType, RequestType, ResponseType, RfBands, Uuid, WscState,
};
use crate::tlv::{SubelementReader, TlvReader, WFA_VENDOR_ID};
use core::fmt;

/// Nested attribute streams deeper than this are shown as hex, so hostile input cannot
/// make the printer recurse without bound.
pub const MAX_DEPTH: usize = 4;

const INDENT: &str = "    ";

/// What an attribute's value contains besides its own bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nested<'a> {
    /// Nothing: the value is a leaf.
    None,
    /// A stream of attributes (Credential).
    Attributes(&'a [u8]),
    /// WFA subelements (the Vendor Extension's data after 00:37:2A).
    WfaSubelements(&'a [u8]),
}

/// Where the nested contents of an attribute value are.
pub fn nested(attr: AttrType, value: &[u8]) -> Nested<'_> {
    match attr {
        AttrType::Credential => Nested::Attributes(value),
        AttrType::VendorExtension => match value.strip_prefix(&WFA_VENDOR_ID[..]) {
            Some(data) => Nested::WfaSubelements(data),
            None => Nested::None,
        },
        _ => Nested::None,
    }
}

/// An attribute stream as an indented tree. Malformed input ends with a `Malformed:` line.
#[derive(Debug, Clone, Copy)]
pub struct Tree<'a> {
    bytes: &'a [u8],
    depth: usize,
}

impl<'a> Tree<'a> {
    /// The tree of `bytes`, starting at the left margin.
    pub fn new(bytes: &'a [u8]) -> Self {
        Tree { bytes, depth: 0 }
    }

    /// The same tree indented by `depth` levels of four spaces.
    pub fn indented(self, depth: usize) -> Self {
        Tree { depth, ..self }
    }
}

fn pad(f: &mut fmt::Formatter<'_>, depth: usize) -> fmt::Result {
    for _ in 0..depth {
        f.write_str(INDENT)?;
    }
    Ok(())
}

fn bytes_word(n: usize) -> &'static str {
    if n == 1 { "byte" } else { "bytes" }
}

impl fmt::Display for Tree<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for tlv in TlvReader::new(self.bytes) {
            let tlv = match tlv {
                Ok(t) => t,
                Err(e) => {
                    pad(f, self.depth)?;
                    return writeln!(f, "Malformed: {e}");
                }
            };
            let attr = AttrType::from(tlv.attr_type);
            let len = tlv.value.len();
            pad(f, self.depth)?;
            write!(
                f,
                "{} ({:#06x}), {len} {}",
                attr.name(),
                tlv.attr_type,
                bytes_word(len)
            )?;
            match nested(attr, tlv.value) {
                Nested::Attributes(inner) if self.depth < MAX_DEPTH => {
                    f.write_str(":\n")?;
                    Tree::new(inner)
                        .indented(self.depth.saturating_add(1))
                        .fmt(f)?;
                }
                Nested::WfaSubelements(data) => {
                    writeln!(f, ": {}", Value::new(attr, tlv.value))?;
                    subelements(f, data, self.depth.saturating_add(1))?;
                }
                _ => writeln!(f, ": {}", Value::new(attr, tlv.value))?,
            }
        }
        Ok(())
    }
}

fn subelements(f: &mut fmt::Formatter<'_>, data: &[u8], depth: usize) -> fmt::Result {
    for sub in SubelementReader::new(data) {
        pad(f, depth)?;
        match sub {
            Ok(s) => writeln!(
                f,
                "{} ({:#04x}), {} {}: {}",
                subelement::name(s.id),
                s.id,
                s.value.len(),
                bytes_word(s.value.len()),
                SubelementValue::new(s.id, s.value)
            )?,
            Err(e) => writeln!(f, "Malformed: {e}")?,
        }
    }
    Ok(())
}

/// Lowercase hex, no separators (`(empty)` for no bytes).
#[derive(Debug, Clone, Copy)]
pub struct Hex<'a>(pub &'a [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("(empty)");
        }
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Text in double quotes: UTF-8 with Rust's escapes, other bytes as `\xNN`.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a [u8]);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match core::str::from_utf8(self.0) {
            Ok(s) => write!(f, "{s:?}"),
            Err(_) => write!(f, "\"{}\"", self.0.escape_ascii()),
        }
    }
}

/// One attribute's value as a single line of text.
///
/// ```
/// use wps::attr::{AttrType, pretty::Value};
/// let v = Value::new(AttrType::ConfigMethods, &[0x21, 0x48]);
/// assert_eq!(v.to_string(), "0x2148 (Display | NFC Interface | Keypad | Virtual Display)");
/// let v = Value::new(AttrType::Ssid, b"caf\xc3\xa9 \"1\"");
/// assert_eq!(v.to_string(), r#""café \"1\"""#);
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    attr: AttrType,
    bytes: &'a [u8],
}

impl<'a> Value<'a> {
    /// The value `bytes` of an attribute of type `attr`.
    pub fn new(attr: AttrType, bytes: &'a [u8]) -> Self {
        Value { attr, bytes }
    }
}

/// Writes each item with `write`, separated by ", ".
fn comma_separated<T>(
    f: &mut fmt::Formatter<'_>,
    items: impl Iterator<Item = T>,
    mut write: impl FnMut(&mut fmt::Formatter<'_>, T) -> fmt::Result,
) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write(f, item)?;
    }
    Ok(())
}

fn device_type(f: &mut fmt::Formatter<'_>, t: PrimaryDeviceType) -> fmt::Result {
    write!(f, "{t} ({}", t.category())?;
    if let Some(sub) = t.sub_category_name() {
        write!(f, ": {sub}")?;
    }
    f.write_str(")")
}

fn boolean(f: &mut fmt::Formatter<'_>, v: u8) -> fmt::Result {
    let text = if v != 0 { "true" } else { "false" };
    write!(f, "{text} ({v:#04x})")
}

impl fmt::Display for Value<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use AttrType as A;
        let b = self.bytes;
        let u8v = <[u8; 1]>::try_from(b).ok().map(|[v]| v);
        let u16v = <[u8; 2]>::try_from(b).ok().map(u16::from_be_bytes);
        let u32v = <[u8; 4]>::try_from(b).ok().map(u32::from_be_bytes);
        match (self.attr, u8v, u16v, u32v) {
            (A::Version, Some(v), _, _) => write!(f, "{v:#04x} ({}.{})", v >> 4, v & 0xf),
            (A::MessageType, Some(v), _, _) => write!(f, "{} ({v:#04x})", MessageType::from(v)),
            (A::WscState, Some(v), _, _) => write!(f, "{} ({v})", WscState::from(v)),
            (A::RequestType, Some(v), _, _) => write!(f, "{} ({v})", RequestType::from(v)),
            (A::ResponseType, Some(v), _, _) => write!(f, "{} ({v})", ResponseType::from(v)),
            (A::ConnectionType, Some(v), _, _) => write!(f, "{} ({v})", ConnectionType::from(v)),
            (A::ConnectionTypeFlags, Some(v), _, _) => {
                write!(f, "{v:#04x} ({})", ConnectionTypeFlags(v))
            }
            (A::RfBands, Some(v), _, _) => write!(f, "{v:#04x} ({})", RfBands(v)),
            (
                A::SelectedRegistrar
                | A::ApSetupLocked
                | A::PortableDevice
                | A::KeyProvidedAutomatically
                | A::Ieee8021xEnabled
                | A::RadioEnabled
                | A::Reboot
                | A::RegistrarEstablished,
                Some(v),
                _,
                _,
            ) => boolean(f, v),
            (
                A::NetworkIndex | A::NetworkKeyIndex | A::TotalNetworks | A::PowerLevel,
                Some(v),
                _,
                _,
            ) => write!(f, "{v}"),
            (
                A::ConfigMethods | A::SelectedRegistrarConfigMethods | A::PermittedConfigMethods,
                _,
                Some(v),
                _,
            ) => write!(f, "{v:#06x} ({})", ConfigMethods(v)),
            (A::AuthenticationType | A::AuthenticationTypeFlags, _, Some(v), _) => {
                write!(f, "{v:#06x} ({})", AuthType(v))
            }
            (A::EncryptionType | A::EncryptionTypeFlags, _, Some(v), _) => {
                write!(f, "{v:#06x} ({})", EncrType(v))
            }
            (A::ConfigurationError, _, Some(v), _) => write!(f, "{v} ({})", ConfigError::from(v)),
            (A::DevicePasswordId, _, Some(v), _) => {
                let id = DevicePasswordId::from(v);
                if id.is_oob_token() {
                    write!(f, "{v:#06x} (OOB password token)")
                } else {
                    write!(f, "{v:#06x} ({id})")
                }
            }
            (A::AssociationState, _, Some(v), _) => {
                write!(f, "{v} ({})", AssociationState::from(v))
            }
            (A::ApChannel, _, Some(v), _) => write!(f, "{v}"),
            (A::OsVersion, _, _, Some(v)) => write!(f, "{v:#010x}"),
            (A::UuidE | A::UuidR, ..) if b.len() == 16 => match Uuid::from_slice(b) {
                Some(u) => write!(f, "{u}"),
                None => Hex(b).fmt(f),
            },
            (A::MacAddress, ..) if b.len() == 6 => match MacAddr::from_slice(b) {
                Some(m) => write!(f, "{m}"),
                None => Hex(b).fmt(f),
            },
            (A::PrimaryDeviceType | A::RequestedDeviceType, ..) if b.len() == 8 => {
                match PrimaryDeviceType::from_slice(b) {
                    Some(t) => device_type(f, t),
                    None => Hex(b).fmt(f),
                }
            }
            (A::SecondaryDeviceTypeList, ..) if !b.is_empty() && b.len().is_multiple_of(8) => {
                let types = b.chunks_exact(8).filter_map(PrimaryDeviceType::from_slice);
                comma_separated(f, types, device_type)
            }
            (
                A::Ssid
                | A::DeviceName
                | A::Manufacturer
                | A::ModelName
                | A::ModelNumber
                | A::SerialNumber
                | A::NewDeviceName
                | A::NetworkKey
                | A::NewPassword
                | A::Identity
                | A::EapIdentity
                | A::ConfirmationUrl4
                | A::ConfirmationUrl6,
                ..,
            ) => Quoted(b).fmt(f),
            (A::EncryptedSettings, ..) => match b.split_first_chunk::<16>() {
                Some((iv, ct)) => write!(
                    f,
                    "IV {}, {} {} of ciphertext",
                    Hex(iv),
                    ct.len(),
                    bytes_word(ct.len())
                ),
                None => write!(f, "{} (shorter than an IV)", Hex(b)),
            },
            (A::Credential, ..) => write!(f, "{} nested bytes", b.len()),
            (A::OobDevicePassword, ..) => match b
                .split_first_chunk::<20>()
                .and_then(|(hash, rest)| Some((hash, rest.split_first_chunk::<2>()?)))
            {
                Some((hash, (id, password))) => {
                    let id = u16::from_be_bytes(*id);
                    write!(
                        f,
                        "public key hash {}, Device Password ID {id:#06x} ({})",
                        Hex(hash),
                        DevicePasswordId::from(id)
                    )?;
                    if password.is_empty() {
                        f.write_str(", no password")
                    } else {
                        write!(
                            f,
                            ", password {} ({} {}; PSK1/PSK2 use its uppercase hex)",
                            Hex(password),
                            password.len(),
                            bytes_word(password.len())
                        )
                    }
                }
                None => write!(f, "{} (shorter than a hash and an ID)", Hex(b)),
            },
            (A::VendorExtension, ..) => match b.split_first_chunk::<3>() {
                Some((id, _)) if *id == WFA_VENDOR_ID => f.write_str("WFA (00:37:2a)"),
                Some(([x, y, z], data)) => {
                    write!(f, "vendor {x:02x}:{y:02x}:{z:02x}, data {}", Hex(data))
                }
                None => write!(f, "{} (shorter than a vendor ID)", Hex(b)),
            },
            (attr, ..) => {
                Hex(b).fmt(f)?;
                match attr.length_rule() {
                    super::LengthRule::Exact(n) if usize::from(n) != b.len() => {
                        let n = usize::from(n);
                        write!(f, " (malformed: {n} {} expected)", bytes_word(n))
                    }
                    _ => Ok(()),
                }
            }
        }
    }
}

/// One WFA subelement's value as a single line of text.
///
/// ```
/// use wps::attr::pretty::SubelementValue;
/// assert_eq!(SubelementValue::new(0, &[0x20]).to_string(), "2.0 (0x20)");
/// assert_eq!(SubelementValue::new(1, &[0xff; 6]).to_string(), "ff:ff:ff:ff:ff:ff");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct SubelementValue<'a> {
    id: u8,
    bytes: &'a [u8],
}

impl<'a> SubelementValue<'a> {
    /// The data `bytes` of WFA subelement `id`.
    pub fn new(id: u8, bytes: &'a [u8]) -> Self {
        SubelementValue { id, bytes }
    }
}

impl fmt::Display for SubelementValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.bytes;
        let u8v = <[u8; 1]>::try_from(b).ok().map(|[v]| v);
        let u16v = <[u8; 2]>::try_from(b).ok().map(u16::from_be_bytes);
        match (self.id, u8v, u16v) {
            (subelement::VERSION2, Some(v), _) => write!(f, "{}.{} ({v:#04x})", v >> 4, v & 0xf),
            (subelement::AUTHORIZED_MACS, ..) if b.len().is_multiple_of(6) && !b.is_empty() => {
                let macs = b.chunks_exact(6).filter_map(MacAddr::from_slice);
                comma_separated(f, macs, |f, m| write!(f, "{m}"))
            }
            (subelement::NETWORK_KEY_SHAREABLE | subelement::REQUEST_TO_ENROLL, Some(v), _) => {
                boolean(f, v)
            }
            (subelement::SETTINGS_DELAY_TIME, Some(v), _) => write!(f, "{v} s"),
            (subelement::REGISTRAR_CONFIG_METHODS, _, Some(v)) => {
                write!(f, "{v:#06x} ({})", ConfigMethods(v))
            }
            (subelement::MULTI_AP, Some(v), _) => write!(f, "{v:#04x} ({})", MultiApFlags(v)),
            (subelement::MULTI_AP_PROFILE, Some(v), _) => write!(f, "Profile-{v}"),
            _ => Hex(b).fmt(f),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;
    use alloc::vec::Vec;

    #[test]
    fn credential_is_indented_and_truncation_reported() {
        let cred = [0x10, 0x26, 0, 1, 1, 0x10, 0x45, 0, 3, b'a', b'\n', 0xff];
        let mut m = Vec::from([0x10, 0x0e, 0, cred.len() as u8]);
        m.extend_from_slice(&cred);
        m.extend_from_slice(&[0x10, 0x1a, 0, 16, 1]);
        assert_eq!(
            Tree::new(&m).to_string(),
            "Credential (0x100e), 12 bytes:\n    Network Index (0x1026), 1 byte: 1\n    \
             SSID (0x1045), 3 bytes: \"a\\n\\xff\"\n\
             Malformed: attribute 0x101a at offset 16 declares 16 byte(s) but only 1 remain\n"
        );
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut m: Vec<u8> = Vec::new();
        for _ in 0..1000 {
            let mut outer = Vec::from([0x10, 0x0e]);
            outer.extend_from_slice(&(m.len() as u16).to_be_bytes());
            outer.extend_from_slice(&m);
            m = outer;
            if m.len() > 60_000 {
                break;
            }
        }
        let text = Tree::new(&m).to_string();
        assert_eq!(text.lines().count(), MAX_DEPTH + 1);
    }

    #[test]
    fn wrong_lengths_fall_back_to_hex() {
        assert_eq!(
            Value::new(AttrType::EnrolleeNonce, &[1, 2]).to_string(),
            "0102 (malformed: 16 bytes expected)"
        );
        assert_eq!(
            Value::new(AttrType::Version, &[]).to_string(),
            "(empty) (malformed: 1 byte expected)"
        );
        assert_eq!(Value::new(AttrType::Ssid, &[]).to_string(), "\"\"");
        assert_eq!(
            Value::new(AttrType::DevicePasswordId, &[0, 0x10]).to_string(),
            "0x0010 (OOB password token)"
        );
    }
}
