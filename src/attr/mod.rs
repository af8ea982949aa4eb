//! WSC attribute types and their typed values.
//!
//! [`AttrType`] names every attribute ID of the WSC specification (unknown IDs are kept as
//! [`AttrType::Unknown`], never guessed) and knows the length rule hostapd applies to it
//! ([`LengthRule`]). [`values`] holds the enumerations and bit flags that attribute values
//! carry, [`vendor`] the Wi-Fi Alliance vendor extension and its subelements, and
//! [`parse`] hostapd's `wps_parse_msg` semantics: one borrowed slot per attribute, the
//! length rules, "last one wins" for duplicates, and its two interoperability workarounds.
//!
//! ```
//! use wps::attr::{AttrType, LengthRule};
//! assert_eq!(AttrType::from(0x1022), AttrType::MessageType);
//! assert_eq!(u16::from(AttrType::PublicKey), 0x1032);
//! assert_eq!(AttrType::EnrolleeNonce.length_rule(), LengthRule::Exact(16));
//! assert_eq!(AttrType::from(0x1013), AttrType::Unknown(0x1013));
//! assert_eq!(AttrType::Ssid.name(), "SSID");
//! ```

pub mod parse;
pub mod pretty;
pub mod values;
pub mod vendor;

pub use parse::{AttrError, Attributes};
pub use values::*;
pub use vendor::{VendorExtension, WfaExtension};

/// How hostapd checks the length of an attribute's value while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthRule {
    /// No check (containers, variable-length data, types hostapd does not parse).
    Any,
    /// Exactly this many bytes; any other length rejects the whole message.
    Exact(u16),
    /// At most this many bytes; a longer value is ignored (treated as absent).
    IgnoreAbove(u16),
    /// Any length is accepted but only this many bytes are kept.
    TruncateTo(u16),
    /// 190..=192 bytes (peers that skip the zero padding); otherwise ignored.
    PublicKey,
    /// At most 128 bytes and a multiple of 8; otherwise the message is rejected.
    SecondaryDeviceTypeList,
    /// 22..=54 bytes, and below 38 only with Device Password ID 7 (NFC handover).
    OobDevicePassword,
}

macro_rules! attr_types {
    ($( $(#[$doc:meta])* $variant:ident = $value:literal, $name:literal; )*) => {
        /// A WSC attribute type (the 16-bit Type field of a TLV).
        ///
        /// Converts both ways with `u16`; IDs this crate does not name are kept in
        /// [`AttrType::Unknown`] so they survive a round trip.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum AttrType {
            $( $(#[$doc])* $variant, )*
            /// An ID not defined by the specification (or not known to this crate).
            Unknown(u16),
        }

        impl From<u16> for AttrType {
            /// [`AttrType::from_u16`] from a table (a jump table over the names takes
            /// more flash).
            #[inline]
            fn from(v: u16) -> Self {
                let slot = usize::from(v.wrapping_sub(parse::FIRST_SLOT));
                match BY_SLOT.get(slot) {
                    Some(t) => *t,
                    None => AttrType::from_u16(v),
                }
            }
        }

        impl From<AttrType> for u16 {
            #[inline]
            fn from(t: AttrType) -> u16 {
                t.to_u16()
            }
        }

        impl AttrType {
            /// Every named attribute type, in ID order.
            pub const ALL: &'static [AttrType] = &[ $( AttrType::$variant, )* ];

            /// `From<u16>` for const contexts.
            #[inline]
            pub const fn from_u16(v: u16) -> Self {
                match v {
                    $( $value => AttrType::$variant, )*
                    other => AttrType::Unknown(other),
                }
            }

            /// `u16::from` for const contexts.
            #[inline]
            pub const fn to_u16(self) -> u16 {
                // Unknown apart: a match of constants only compiles to a table of IDs
                // (with `Unknown(v) => v` in it, to a jump table: 700 B on Cortex-M4).
                if let AttrType::Unknown(v) = self {
                    return v;
                }
                match self {
                    $( AttrType::$variant => $value, )*
                    AttrType::Unknown(_) => 0,
                }
            }

            /// The attribute's name as the specification and Wireshark spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $( AttrType::$variant => $name, )*
                    AttrType::Unknown(_) => "Unknown",
                }
            }

        }
    };
}

use LengthRule::{Any, Exact, IgnoreAbove, TruncateTo};

/// The type of every ID from the first to the last slot of the attribute table
/// ([`parse::FIRST_SLOT`]), for `From<u16>`.
// Evaluated at compile time: an index out of range or an overflow is a compile error.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
static BY_SLOT: [AttrType; parse::SLOTS] = {
    let mut types = [AttrType::Unknown(0); parse::SLOTS];
    let mut i = 0;
    while i < parse::SLOTS {
        types[i] = AttrType::from_u16(parse::FIRST_SLOT + i as u16);
        i += 1;
    }
    types
};

attr_types! {
    /// AP Channel (NFC handover).
    ApChannel = 0x1001, "AP Channel";
    /// Association State.
    AssociationState = 0x1002, "Association State";
    /// Authentication Type (one flag).
    AuthenticationType = 0x1003, "Authentication Type";
    /// Authentication Type Flags (bit mask).
    AuthenticationTypeFlags = 0x1004, "Authentication Type Flags";
    /// Authenticator: first 8 bytes of HMAC-SHA-256 over previous and current message.
    Authenticator = 0x1005, "Authenticator";
    /// Config Methods.
    ConfigMethods = 0x1008, "Config Methods";
    /// Configuration Error.
    ConfigurationError = 0x1009, "Configuration Error";
    /// Confirmation URL4.
    ConfirmationUrl4 = 0x100A, "Confirmation URL4";
    /// Confirmation URL6.
    ConfirmationUrl6 = 0x100B, "Confirmation URL6";
    /// Connection Type.
    ConnectionType = 0x100C, "Connection Type";
    /// Connection Type Flags.
    ConnectionTypeFlags = 0x100D, "Connection Type Flags";
    /// Credential: nested attributes.
    Credential = 0x100E, "Credential";
    /// Encryption Type (one flag).
    EncryptionType = 0x100F, "Encryption Type";
    /// Encryption Type Flags (bit mask).
    EncryptionTypeFlags = 0x1010, "Encryption Type Flags";
    /// Device Name.
    DeviceName = 0x1011, "Device Name";
    /// Device Password ID.
    DevicePasswordId = 0x1012, "Device Password ID";
    /// E-Hash1.
    EHash1 = 0x1014, "E-Hash1";
    /// E-Hash2.
    EHash2 = 0x1015, "E-Hash2";
    /// E-SNonce1 (inside Encrypted Settings of M5).
    ESNonce1 = 0x1016, "E-SNonce1";
    /// E-SNonce2 (inside Encrypted Settings of M7).
    ESNonce2 = 0x1017, "E-SNonce2";
    /// Encrypted Settings: IV followed by AES-128-CBC ciphertext.
    EncryptedSettings = 0x1018, "Encrypted Settings";
    /// Enrollee Nonce.
    EnrolleeNonce = 0x101A, "Enrollee Nonce";
    /// Feature ID.
    FeatureId = 0x101B, "Feature ID";
    /// Identity.
    Identity = 0x101C, "Identity";
    /// Identity Proof.
    IdentityProof = 0x101D, "Identity Proof";
    /// Key Wrap Authenticator.
    KeyWrapAuthenticator = 0x101E, "Key Wrap Authenticator";
    /// Key Identifier.
    KeyIdentifier = 0x101F, "Key Identifier";
    /// MAC Address.
    MacAddress = 0x1020, "MAC Address";
    /// Manufacturer.
    Manufacturer = 0x1021, "Manufacturer";
    /// Message Type.
    MessageType = 0x1022, "Message Type";
    /// Model Name.
    ModelName = 0x1023, "Model Name";
    /// Model Number.
    ModelNumber = 0x1024, "Model Number";
    /// Network Index.
    NetworkIndex = 0x1026, "Network Index";
    /// Network Key.
    NetworkKey = 0x1027, "Network Key";
    /// Network Key Index.
    NetworkKeyIndex = 0x1028, "Network Key Index";
    /// New Device Name.
    NewDeviceName = 0x1029, "New Device Name";
    /// New Password.
    NewPassword = 0x102A, "New Password";
    /// OOB Device Password.
    OobDevicePassword = 0x102C, "OOB Device Password";
    /// OS Version.
    OsVersion = 0x102D, "OS Version";
    /// Power Level.
    PowerLevel = 0x102F, "Power Level";
    /// PSK Current.
    PskCurrent = 0x1030, "PSK Current";
    /// PSK Max.
    PskMax = 0x1031, "PSK Max";
    /// Public Key: the 192-byte Diffie-Hellman value.
    PublicKey = 0x1032, "Public Key";
    /// Radio Enabled.
    RadioEnabled = 0x1033, "Radio Enabled";
    /// Reboot.
    Reboot = 0x1034, "Reboot";
    /// Registrar Current.
    RegistrarCurrent = 0x1035, "Registrar Current";
    /// Registrar Established.
    RegistrarEstablished = 0x1036, "Registrar Established";
    /// Registrar List.
    RegistrarList = 0x1037, "Registrar List";
    /// Registrar Max.
    RegistrarMax = 0x1038, "Registrar Max";
    /// Registrar Nonce.
    RegistrarNonce = 0x1039, "Registrar Nonce";
    /// Request Type.
    RequestType = 0x103A, "Request Type";
    /// Response Type.
    ResponseType = 0x103B, "Response Type";
    /// RF Bands.
    RfBands = 0x103C, "RF Bands";
    /// R-Hash1.
    RHash1 = 0x103D, "R-Hash1";
    /// R-Hash2.
    RHash2 = 0x103E, "R-Hash2";
    /// R-SNonce1 (inside Encrypted Settings of M4).
    RSNonce1 = 0x103F, "R-SNonce1";
    /// R-SNonce2 (inside Encrypted Settings of M6).
    RSNonce2 = 0x1040, "R-SNonce2";
    /// Selected Registrar.
    SelectedRegistrar = 0x1041, "Selected Registrar";
    /// Serial Number.
    SerialNumber = 0x1042, "Serial Number";
    /// Wi-Fi Protected Setup State.
    WscState = 0x1044, "Wi-Fi Protected Setup State";
    /// SSID.
    Ssid = 0x1045, "SSID";
    /// Total Networks.
    TotalNetworks = 0x1046, "Total Networks";
    /// UUID-E.
    UuidE = 0x1047, "UUID-E";
    /// UUID-R.
    UuidR = 0x1048, "UUID-R";
    /// Vendor Extension.
    VendorExtension = 0x1049, "Vendor Extension";
    /// Version (deprecated; always 0x10, the real version is in Version2).
    Version = 0x104A, "Version";
    /// X.509 Certificate Request.
    X509CertificateRequest = 0x104B, "X.509 Certificate Request";
    /// X.509 Certificate.
    X509Certificate = 0x104C, "X.509 Certificate";
    /// EAP Identity.
    EapIdentity = 0x104D, "EAP Identity";
    /// Message Counter.
    MessageCounter = 0x104E, "Message Counter";
    /// Public Key Hash.
    PublicKeyHash = 0x104F, "Public Key Hash";
    /// Rekey Key.
    RekeyKey = 0x1050, "Rekey Key";
    /// Key Lifetime.
    KeyLifetime = 0x1051, "Key Lifetime";
    /// Permitted Config Methods.
    PermittedConfigMethods = 0x1052, "Permitted Config Methods";
    /// Selected Registrar Config Methods.
    SelectedRegistrarConfigMethods = 0x1053, "Selected Registrar Config Methods";
    /// Primary Device Type.
    PrimaryDeviceType = 0x1054, "Primary Device Type";
    /// Secondary Device Type List.
    SecondaryDeviceTypeList = 0x1055, "Secondary Device Type List";
    /// Portable Device.
    PortableDevice = 0x1056, "Portable Device";
    /// AP Setup Locked.
    ApSetupLocked = 0x1057, "AP Setup Locked";
    /// Application Extension.
    ApplicationExtension = 0x1058, "Application Extension";
    /// EAP Type.
    EapType = 0x1059, "EAP Type";
    /// Initialization Vector.
    InitializationVector = 0x1060, "Initialization Vector";
    /// Key Provided Automatically.
    KeyProvidedAutomatically = 0x1061, "Key Provided Automatically";
    /// 802.1X Enabled.
    Ieee8021xEnabled = 0x1062, "802.1X Enabled";
    /// AppSessionKey.
    AppSessionKey = 0x1063, "AppSessionKey";
    /// WEPTransmitKey.
    WepTransmitKey = 0x1064, "WEPTransmitKey";
    /// Requested Device Type (may repeat).
    RequestedDeviceType = 0x106A, "Requested Device Type";
    /// hostapd's testing-only extensibility attribute (not in the specification).
    ExtensibilityTest = 0x10FA, "Extensibility Test";
}

impl AttrType {
    /// The length rule hostapd applies when it parses this attribute.
    pub const fn length_rule(self) -> LengthRule {
        use AttrType as T;
        match self {
            T::ConnectionTypeFlags
            | T::MessageType
            | T::NetworkIndex
            | T::NetworkKeyIndex
            | T::RequestType
            | T::ResponseType
            | T::RfBands
            | T::SelectedRegistrar
            | T::WscState
            | T::Version
            | T::ApSetupLocked => Exact(1),
            T::ApChannel
            | T::AssociationState
            | T::AuthenticationType
            | T::AuthenticationTypeFlags
            | T::ConfigMethods
            | T::ConfigurationError
            | T::EncryptionType
            | T::EncryptionTypeFlags
            | T::DevicePasswordId
            | T::SelectedRegistrarConfigMethods => Exact(2),
            T::OsVersion => Exact(4),
            T::MacAddress => Exact(6),
            T::Authenticator
            | T::KeyWrapAuthenticator
            | T::PrimaryDeviceType
            | T::RequestedDeviceType => Exact(8),
            T::ESNonce1
            | T::ESNonce2
            | T::EnrolleeNonce
            | T::RegistrarNonce
            | T::RSNonce1
            | T::RSNonce2
            | T::UuidE
            | T::UuidR => Exact(16),
            T::EHash1 | T::EHash2 | T::RHash1 | T::RHash2 => Exact(32),
            T::DeviceName | T::Ssid => IgnoreAbove(32),
            T::ModelName | T::ModelNumber | T::SerialNumber => TruncateTo(32),
            T::Manufacturer => TruncateTo(64),
            T::PublicKey => LengthRule::PublicKey,
            T::SecondaryDeviceTypeList => LengthRule::SecondaryDeviceTypeList,
            T::OobDevicePassword => LengthRule::OobDevicePassword,
            // containers, variable-length data, types hostapd does not check
            T::ConfirmationUrl4
            | T::ConfirmationUrl6
            | T::ConnectionType
            | T::Credential
            | T::EncryptedSettings
            | T::FeatureId
            | T::Identity
            | T::IdentityProof
            | T::KeyIdentifier
            | T::NetworkKey
            | T::NewDeviceName
            | T::NewPassword
            | T::PowerLevel
            | T::PskCurrent
            | T::PskMax
            | T::RadioEnabled
            | T::Reboot
            | T::RegistrarCurrent
            | T::RegistrarEstablished
            | T::RegistrarList
            | T::RegistrarMax
            | T::TotalNetworks
            | T::VendorExtension
            | T::X509CertificateRequest
            | T::X509Certificate
            | T::EapIdentity
            | T::MessageCounter
            | T::PublicKeyHash
            | T::RekeyKey
            | T::KeyLifetime
            | T::PermittedConfigMethods
            | T::PortableDevice
            | T::ApplicationExtension
            | T::EapType
            | T::InitializationVector
            | T::KeyProvidedAutomatically
            | T::Ieee8021xEnabled
            | T::AppSessionKey
            | T::WepTransmitKey
            | T::ExtensibilityTest
            | T::Unknown(_) => Any,
        }
    }
}

impl core::fmt::Display for AttrType {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            AttrType::Unknown(v) => write!(f, "Unknown ({v:#06x})"),
            other => write!(f, "{} ({:#06x})", other.name(), u16::from(*other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_types_are_sorted_and_every_u16_round_trips() {
        for pair in AttrType::ALL.windows(2) {
            if let [a, b] = pair {
                assert!(u16::from(*a) < u16::from(*b), "{a} !< {b}");
            }
        }
        assert_eq!(AttrType::ALL.len(), 88);
        for v in 0..=u16::MAX {
            assert_eq!(u16::from(AttrType::from(v)), v);
            assert_eq!(AttrType::from(v), AttrType::from_u16(v));
        }
        for t in AttrType::ALL {
            assert_eq!(AttrType::from(t.to_u16()), *t);
        }
    }

    #[test]
    fn display() {
        assert_eq!(alloc::format!("{}", AttrType::UuidE), "UUID-E (0x1047)");
        assert_eq!(
            alloc::format!("{}", AttrType::Unknown(0x1013)),
            "Unknown (0x1013)"
        );
    }
}
