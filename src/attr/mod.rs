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
    ($( $(#[$doc:meta])* $variant:ident = $value:literal, $name:literal, $rule:expr; )*) => {
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
            #[inline]
            fn from(v: u16) -> Self {
                AttrType::from_u16(v)
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
                match self {
                    $( AttrType::$variant => $value, )*
                    AttrType::Unknown(v) => v,
                }
            }

            /// The attribute's name as the specification and Wireshark spell it.
            pub fn name(self) -> &'static str {
                match self {
                    $( AttrType::$variant => $name, )*
                    AttrType::Unknown(_) => "Unknown",
                }
            }

            /// The length rule hostapd applies when it parses this attribute.
            pub const fn length_rule(self) -> LengthRule {
                match self {
                    $( AttrType::$variant => $rule, )*
                    AttrType::Unknown(_) => LengthRule::Any,
                }
            }
        }
    };
}

use LengthRule::{Any, Exact, IgnoreAbove, TruncateTo};

attr_types! {
    /// AP Channel (NFC handover).
    ApChannel = 0x1001, "AP Channel", Exact(2);
    /// Association State.
    AssociationState = 0x1002, "Association State", Exact(2);
    /// Authentication Type (one flag).
    AuthenticationType = 0x1003, "Authentication Type", Exact(2);
    /// Authentication Type Flags (bit mask).
    AuthenticationTypeFlags = 0x1004, "Authentication Type Flags", Exact(2);
    /// Authenticator: first 8 bytes of HMAC-SHA-256 over previous and current message.
    Authenticator = 0x1005, "Authenticator", Exact(8);
    /// Config Methods.
    ConfigMethods = 0x1008, "Config Methods", Exact(2);
    /// Configuration Error.
    ConfigurationError = 0x1009, "Configuration Error", Exact(2);
    /// Confirmation URL4.
    ConfirmationUrl4 = 0x100A, "Confirmation URL4", Any;
    /// Confirmation URL6.
    ConfirmationUrl6 = 0x100B, "Confirmation URL6", Any;
    /// Connection Type.
    ConnectionType = 0x100C, "Connection Type", Any;
    /// Connection Type Flags.
    ConnectionTypeFlags = 0x100D, "Connection Type Flags", Exact(1);
    /// Credential: nested attributes.
    Credential = 0x100E, "Credential", Any;
    /// Encryption Type (one flag).
    EncryptionType = 0x100F, "Encryption Type", Exact(2);
    /// Encryption Type Flags (bit mask).
    EncryptionTypeFlags = 0x1010, "Encryption Type Flags", Exact(2);
    /// Device Name.
    DeviceName = 0x1011, "Device Name", IgnoreAbove(32);
    /// Device Password ID.
    DevicePasswordId = 0x1012, "Device Password ID", Exact(2);
    /// E-Hash1.
    EHash1 = 0x1014, "E-Hash1", Exact(32);
    /// E-Hash2.
    EHash2 = 0x1015, "E-Hash2", Exact(32);
    /// E-SNonce1 (inside Encrypted Settings of M5).
    ESNonce1 = 0x1016, "E-SNonce1", Exact(16);
    /// E-SNonce2 (inside Encrypted Settings of M7).
    ESNonce2 = 0x1017, "E-SNonce2", Exact(16);
    /// Encrypted Settings: IV followed by AES-128-CBC ciphertext.
    EncryptedSettings = 0x1018, "Encrypted Settings", Any;
    /// Enrollee Nonce.
    EnrolleeNonce = 0x101A, "Enrollee Nonce", Exact(16);
    /// Feature ID.
    FeatureId = 0x101B, "Feature ID", Any;
    /// Identity.
    Identity = 0x101C, "Identity", Any;
    /// Identity Proof.
    IdentityProof = 0x101D, "Identity Proof", Any;
    /// Key Wrap Authenticator.
    KeyWrapAuthenticator = 0x101E, "Key Wrap Authenticator", Exact(8);
    /// Key Identifier.
    KeyIdentifier = 0x101F, "Key Identifier", Any;
    /// MAC Address.
    MacAddress = 0x1020, "MAC Address", Exact(6);
    /// Manufacturer.
    Manufacturer = 0x1021, "Manufacturer", TruncateTo(64);
    /// Message Type.
    MessageType = 0x1022, "Message Type", Exact(1);
    /// Model Name.
    ModelName = 0x1023, "Model Name", TruncateTo(32);
    /// Model Number.
    ModelNumber = 0x1024, "Model Number", TruncateTo(32);
    /// Network Index.
    NetworkIndex = 0x1026, "Network Index", Exact(1);
    /// Network Key.
    NetworkKey = 0x1027, "Network Key", Any;
    /// Network Key Index.
    NetworkKeyIndex = 0x1028, "Network Key Index", Exact(1);
    /// New Device Name.
    NewDeviceName = 0x1029, "New Device Name", Any;
    /// New Password.
    NewPassword = 0x102A, "New Password", Any;
    /// OOB Device Password.
    OobDevicePassword = 0x102C, "OOB Device Password", LengthRule::OobDevicePassword;
    /// OS Version.
    OsVersion = 0x102D, "OS Version", Exact(4);
    /// Power Level.
    PowerLevel = 0x102F, "Power Level", Any;
    /// PSK Current.
    PskCurrent = 0x1030, "PSK Current", Any;
    /// PSK Max.
    PskMax = 0x1031, "PSK Max", Any;
    /// Public Key: the 192-byte Diffie-Hellman value.
    PublicKey = 0x1032, "Public Key", LengthRule::PublicKey;
    /// Radio Enabled.
    RadioEnabled = 0x1033, "Radio Enabled", Any;
    /// Reboot.
    Reboot = 0x1034, "Reboot", Any;
    /// Registrar Current.
    RegistrarCurrent = 0x1035, "Registrar Current", Any;
    /// Registrar Established.
    RegistrarEstablished = 0x1036, "Registrar Established", Any;
    /// Registrar List.
    RegistrarList = 0x1037, "Registrar List", Any;
    /// Registrar Max.
    RegistrarMax = 0x1038, "Registrar Max", Any;
    /// Registrar Nonce.
    RegistrarNonce = 0x1039, "Registrar Nonce", Exact(16);
    /// Request Type.
    RequestType = 0x103A, "Request Type", Exact(1);
    /// Response Type.
    ResponseType = 0x103B, "Response Type", Exact(1);
    /// RF Bands.
    RfBands = 0x103C, "RF Bands", Exact(1);
    /// R-Hash1.
    RHash1 = 0x103D, "R-Hash1", Exact(32);
    /// R-Hash2.
    RHash2 = 0x103E, "R-Hash2", Exact(32);
    /// R-SNonce1 (inside Encrypted Settings of M4).
    RSNonce1 = 0x103F, "R-SNonce1", Exact(16);
    /// R-SNonce2 (inside Encrypted Settings of M6).
    RSNonce2 = 0x1040, "R-SNonce2", Exact(16);
    /// Selected Registrar.
    SelectedRegistrar = 0x1041, "Selected Registrar", Exact(1);
    /// Serial Number.
    SerialNumber = 0x1042, "Serial Number", TruncateTo(32);
    /// Wi-Fi Protected Setup State.
    WscState = 0x1044, "Wi-Fi Protected Setup State", Exact(1);
    /// SSID.
    Ssid = 0x1045, "SSID", IgnoreAbove(32);
    /// Total Networks.
    TotalNetworks = 0x1046, "Total Networks", Any;
    /// UUID-E.
    UuidE = 0x1047, "UUID-E", Exact(16);
    /// UUID-R.
    UuidR = 0x1048, "UUID-R", Exact(16);
    /// Vendor Extension.
    VendorExtension = 0x1049, "Vendor Extension", Any;
    /// Version (deprecated; always 0x10, the real version is in Version2).
    Version = 0x104A, "Version", Exact(1);
    /// X.509 Certificate Request.
    X509CertificateRequest = 0x104B, "X.509 Certificate Request", Any;
    /// X.509 Certificate.
    X509Certificate = 0x104C, "X.509 Certificate", Any;
    /// EAP Identity.
    EapIdentity = 0x104D, "EAP Identity", Any;
    /// Message Counter.
    MessageCounter = 0x104E, "Message Counter", Any;
    /// Public Key Hash.
    PublicKeyHash = 0x104F, "Public Key Hash", Any;
    /// Rekey Key.
    RekeyKey = 0x1050, "Rekey Key", Any;
    /// Key Lifetime.
    KeyLifetime = 0x1051, "Key Lifetime", Any;
    /// Permitted Config Methods.
    PermittedConfigMethods = 0x1052, "Permitted Config Methods", Any;
    /// Selected Registrar Config Methods.
    SelectedRegistrarConfigMethods = 0x1053, "Selected Registrar Config Methods", Exact(2);
    /// Primary Device Type.
    PrimaryDeviceType = 0x1054, "Primary Device Type", Exact(8);
    /// Secondary Device Type List.
    SecondaryDeviceTypeList = 0x1055, "Secondary Device Type List", LengthRule::SecondaryDeviceTypeList;
    /// Portable Device.
    PortableDevice = 0x1056, "Portable Device", Any;
    /// AP Setup Locked.
    ApSetupLocked = 0x1057, "AP Setup Locked", Exact(1);
    /// Application Extension.
    ApplicationExtension = 0x1058, "Application Extension", Any;
    /// EAP Type.
    EapType = 0x1059, "EAP Type", Any;
    /// Initialization Vector.
    InitializationVector = 0x1060, "Initialization Vector", Any;
    /// Key Provided Automatically.
    KeyProvidedAutomatically = 0x1061, "Key Provided Automatically", Any;
    /// 802.1X Enabled.
    Ieee8021xEnabled = 0x1062, "802.1X Enabled", Any;
    /// AppSessionKey.
    AppSessionKey = 0x1063, "AppSessionKey", Any;
    /// WEPTransmitKey.
    WepTransmitKey = 0x1064, "WEPTransmitKey", Any;
    /// Requested Device Type (may repeat).
    RequestedDeviceType = 0x106A, "Requested Device Type", Exact(8);
    /// hostapd's testing-only extensibility attribute (not in the specification).
    ExtensibilityTest = 0x10FA, "Extensibility Test", Any;
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
