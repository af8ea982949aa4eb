//! Typed attribute values: enumerations, bit flags, UUIDs and device types.
//!
//! Every enumeration converts both ways with its wire integer and keeps values it does not
//! name in an `Unknown` variant, so nothing is lost or guessed. Bit flags are newtypes over
//! the wire integer that keep unknown bits.
//!
//! ```
//! use wps::attr::{ConfigError, ConfigMethods, MessageType};
//! assert_eq!(MessageType::from(4u8), MessageType::M1);
//! assert_eq!(u8::from(MessageType::WscNack), 0x0E);
//! assert_eq!(ConfigError::from(18u16).description(), "Device password authentication failure");
//! let m = ConfigMethods::from(0x2108u16);
//! assert!(m.contains(ConfigMethods::KEYPAD | ConfigMethods::VIRTUAL_DISPLAY));
//! assert_eq!(format!("{m}"), "Display | Keypad | Virtual Display");
//! ```

use core::fmt;

macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident: $repr:ty {
            $( $(#[$vdoc:meta])* $variant:ident = $value:literal => $text:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )*
            /// A value the specification does not define (kept as received).
            Unknown($repr),
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                match v {
                    $( $value => $name::$variant, )*
                    other => $name::Unknown(other),
                }
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                match v {
                    $( $name::$variant => $value, )*
                    $name::Unknown(other) => other,
                }
            }
        }

        impl $name {
            /// Every named value.
            pub const ALL: &'static [$name] = &[ $( $name::$variant, )* ];

            /// A short human-readable description of the value.
            pub fn description(self) -> &'static str {
                match self {
                    $( $name::$variant => $text, )*
                    $name::Unknown(_) => "Unknown",
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self {
                    $name::Unknown(v) => write!(f, "Unknown ({v})"),
                    other => f.write_str(other.description()),
                }
            }
        }
    };
}

macro_rules! wire_flags {
    (
        $(#[$meta:meta])*
        pub struct $name:ident: $repr:ty {
            $( $(#[$fdoc:meta])* const $flag:ident = $value:literal => $text:literal; )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub struct $name(pub $repr);

        impl $name {
            $( $(#[$fdoc])* pub const $flag: $name = $name($value); )*

            /// Named single-bit flags with their names, in bit order.
            pub const NAMED: &'static [($name, &'static str)] = &[ $( ($name($value), $text), )* ];

            /// The empty set.
            pub const fn empty() -> Self {
                $name(0)
            }

            /// The raw wire value.
            pub const fn bits(self) -> $repr {
                self.0
            }

            /// Whether every bit of `other` is set in `self`.
            pub const fn contains(self, other: $name) -> bool {
                self.0 & other.0 == other.0
            }

            /// Whether any bit of `other` is set in `self`.
            pub const fn intersects(self, other: $name) -> bool {
                self.0 & other.0 != 0
            }

            /// Whether no bit is set.
            pub const fn is_empty(self) -> bool {
                self.0 == 0
            }

            /// `self` without the bits of `other`.
            pub const fn without(self, other: $name) -> $name {
                $name(self.0 & !other.0)
            }

            /// Bits set that have no name in this crate.
            pub fn unknown_bits(self) -> $repr {
                let mut known: $repr = 0;
                for (flag, _) in Self::NAMED {
                    known |= flag.0;
                }
                self.0 & !known
            }
        }

        impl From<$repr> for $name {
            fn from(v: $repr) -> Self {
                $name(v)
            }
        }

        impl From<$name> for $repr {
            fn from(v: $name) -> $repr {
                v.0
            }
        }

        impl core::ops::BitOr for $name {
            type Output = $name;
            fn bitor(self, rhs: $name) -> $name {
                $name(self.0 | rhs.0)
            }
        }

        impl core::ops::BitOrAssign for $name {
            fn bitor_assign(&mut self, rhs: $name) {
                self.0 |= rhs.0;
            }
        }

        impl core::ops::BitAnd for $name {
            type Output = $name;
            fn bitand(self, rhs: $name) -> $name {
                $name(self.0 & rhs.0)
            }
        }

        /// Lists the names of the set flags joined by `" | "`, then any unknown bits in hex.
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let mut first = true;
                for (flag, text) in Self::NAMED {
                    if self.contains(*flag) && !flag.is_empty() {
                        if !first {
                            f.write_str(" | ")?;
                        }
                        f.write_str(text)?;
                        first = false;
                    }
                }
                let unknown = self.unknown_bits();
                if unknown != 0 {
                    if !first {
                        f.write_str(" | ")?;
                    }
                    write!(f, "{unknown:#x}")?;
                    first = false;
                }
                if first {
                    f.write_str("(none)")?;
                }
                Ok(())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:#x}: {})", stringify!($name), self.0, self)
            }
        }
    };
}

wire_enum! {
    /// Message Type (0x1022).
    pub enum MessageType: u8 {
        /// Beacon (enumeration only: hostapd's beacon IE carries no Message Type).
        Beacon = 0x01 => "Beacon",
        /// Probe Request.
        ProbeRequest = 0x02 => "Probe Request",
        /// Probe Response.
        ProbeResponse = 0x03 => "Probe Response",
        /// M1: Enrollee → Registrar.
        M1 = 0x04 => "M1",
        /// M2: Registrar → Enrollee.
        M2 = 0x05 => "M2",
        /// M2D: Registrar has no password for the Enrollee.
        M2D = 0x06 => "M2D",
        /// M3.
        M3 = 0x07 => "M3",
        /// M4.
        M4 = 0x08 => "M4",
        /// M5.
        M5 = 0x09 => "M5",
        /// M6.
        M6 = 0x0A => "M6",
        /// M7.
        M7 = 0x0B => "M7",
        /// M8.
        M8 = 0x0C => "M8",
        /// WSC_ACK.
        WscAck = 0x0D => "WSC_ACK",
        /// WSC_NACK.
        WscNack = 0x0E => "WSC_NACK",
        /// WSC_Done.
        WscDone = 0x0F => "WSC_Done",
    }
}

wire_enum! {
    /// Configuration Error (0x1009).
    pub enum ConfigError: u16 {
        /// No error.
        NoError = 0 => "No error",
        /// OOB interface read error.
        OobInterfaceReadError = 1 => "OOB interface read error",
        /// Decryption CRC failure (hostapd never sends it: it uses 0 for decryption errors).
        DecryptionCrcFailure = 2 => "Decryption CRC failure",
        /// 2.4 GHz channel not supported.
        Channel24NotSupported = 3 => "2.4 GHz channel not supported",
        /// 5.0 GHz channel not supported.
        Channel50NotSupported = 4 => "5.0 GHz channel not supported",
        /// Signal too weak.
        SignalTooWeak = 5 => "Signal too weak",
        /// Network authentication failure.
        NetworkAuthFailure = 6 => "Network authentication failure",
        /// Network association failure.
        NetworkAssocFailure = 7 => "Network association failure",
        /// No DHCP response.
        NoDhcpResponse = 8 => "No DHCP response",
        /// Failed DHCP configuration.
        FailedDhcpConfig = 9 => "Failed DHCP configuration",
        /// IP address conflict.
        IpAddrConflict = 10 => "IP address conflict",
        /// Couldn't connect to Registrar.
        NoConnToRegistrar = 11 => "Couldn't connect to Registrar",
        /// Multiple PBC sessions detected (push-button overlap).
        MultiplePbcDetected = 12 => "Multiple PBC sessions detected",
        /// Rogue activity suspected.
        RogueSuspected = 13 => "Rogue activity suspected",
        /// Device busy.
        DeviceBusy = 14 => "Device busy",
        /// Setup locked (AP PIN lockout, or the AP refuses configuration).
        SetupLocked = 15 => "Setup locked",
        /// Message timeout.
        MessageTimeout = 16 => "Message timeout",
        /// Registration session timeout.
        RegistrationSessionTimeout = 17 => "Registration session timeout",
        /// Device password authentication failure (wrong PIN half).
        DevicePasswordAuthFailure = 18 => "Device password authentication failure",
        /// 60 GHz channel not supported.
        Channel60NotSupported = 19 => "60 GHz channel not supported",
        /// Public key hash mismatch (NFC).
        PublicKeyHashMismatch = 20 => "Public key hash mismatch",
    }
}

wire_enum! {
    /// Device Password ID (0x1012).
    ///
    /// Values from 0x0010 up are OOB / NFC password token IDs; they are kept as
    /// [`DevicePasswordId::Unknown`] with [`DevicePasswordId::is_oob_token`] true.
    pub enum DevicePasswordId: u16 {
        /// PIN (label or display): the default.
        Default = 0x0000 => "Default (PIN)",
        /// User-specified.
        UserSpecified = 0x0001 => "User-specified",
        /// Machine-specified.
        MachineSpecified = 0x0002 => "Machine-specified",
        /// Rekey.
        Rekey = 0x0003 => "Rekey",
        /// Push-button.
        PushButton = 0x0004 => "PushButton",
        /// Registrar-specified.
        RegistrarSpecified = 0x0005 => "Registrar-specified",
        /// NFC connection handover.
        NfcConnectionHandover = 0x0007 => "NFC connection handover",
        /// P2P Services default PIN.
        P2psDefault = 0x0008 => "P2PS default",
    }
}

impl DevicePasswordId {
    /// Whether this is an OOB device password token ID (0x0010 and above).
    pub fn is_oob_token(self) -> bool {
        u16::from(self) >= 0x0010
    }
}

wire_enum! {
    /// Association State (0x1002).
    pub enum AssociationState: u16 {
        /// Not associated.
        NotAssociated = 0 => "Not associated",
        /// Connection success.
        ConnectionSuccess = 1 => "Connection success",
        /// Configuration failure.
        ConfigurationFailure = 2 => "Configuration failure",
        /// Association failure.
        AssociationFailure = 3 => "Association failure",
        /// IP failure.
        IpFailure = 4 => "IP failure",
    }
}

wire_enum! {
    /// Wi-Fi Protected Setup State (0x1044).
    pub enum WscState: u8 {
        /// Not configured.
        NotConfigured = 1 => "Not configured",
        /// Configured.
        Configured = 2 => "Configured",
    }
}

wire_enum! {
    /// Request Type (0x103A), in Probe Requests and (Re)Association Requests.
    pub enum RequestType: u8 {
        /// Enrollee, information only.
        EnrolleeInfo = 0 => "Enrollee, Info only",
        /// Enrollee, open 802.1X.
        EnrolleeOpen8021x = 1 => "Enrollee, open 802.1X",
        /// Registrar.
        Registrar = 2 => "Registrar",
        /// WLAN Manager Registrar.
        WlanManagerRegistrar = 3 => "WLAN Manager Registrar",
    }
}

wire_enum! {
    /// Response Type (0x103B), in Probe Responses and (Re)Association Responses.
    pub enum ResponseType: u8 {
        /// Enrollee, information only.
        EnrolleeInfo = 0 => "Enrollee, Info only",
        /// Enrollee, open 802.1X.
        EnrolleeOpen8021x = 1 => "Enrollee, open 802.1X",
        /// Registrar.
        Registrar = 2 => "Registrar",
        /// AP.
        Ap = 3 => "AP",
    }
}

wire_enum! {
    /// Connection Type (0x100C): a single value, unlike [`ConnectionTypeFlags`].
    pub enum ConnectionType: u8 {
        /// Infrastructure (ESS).
        Ess = 1 => "ESS",
        /// Ad hoc (IBSS).
        Ibss = 2 => "IBSS",
    }
}

wire_flags! {
    /// Config Methods (0x1008) and Selected Registrar Config Methods (0x1053).
    pub struct ConfigMethods: u16 {
        /// USB flash drive.
        const USBA = 0x0001 => "USBA";
        /// Ethernet.
        const ETHERNET = 0x0002 => "Ethernet";
        /// Printed label.
        const LABEL = 0x0004 => "Label";
        /// Display.
        const DISPLAY = 0x0008 => "Display";
        /// External NFC token.
        const EXT_NFC_TOKEN = 0x0010 => "External NFC Token";
        /// Integrated NFC token.
        const INT_NFC_TOKEN = 0x0020 => "Integrated NFC Token";
        /// NFC interface.
        const NFC_INTERFACE = 0x0040 => "NFC Interface";
        /// Push button.
        const PUSH_BUTTON = 0x0080 => "PushButton";
        /// Keypad.
        const KEYPAD = 0x0100 => "Keypad";
        /// Virtual push button (WSC 2.0 flag; hostapd's constant 0x0280 includes PUSH_BUTTON).
        const VIRTUAL_PUSH_BUTTON = 0x0200 => "Virtual PushButton";
        /// Physical push button (WSC 2.0 flag; hostapd's constant 0x0480 includes PUSH_BUTTON).
        const PHYSICAL_PUSH_BUTTON = 0x0400 => "Physical PushButton";
        /// P2P Services.
        const P2PS = 0x1000 => "P2PS";
        /// Virtual display (WSC 2.0 flag; hostapd's constant 0x2008 includes DISPLAY).
        const VIRTUAL_DISPLAY = 0x2000 => "Virtual Display";
        /// Physical display (WSC 2.0 flag; hostapd's constant 0x4008 includes DISPLAY).
        const PHYSICAL_DISPLAY = 0x4000 => "Physical Display";
    }
}

impl ConfigMethods {
    /// All push-button bits: what hostapd removes from an AP's advertised methods.
    pub const ANY_PUSH_BUTTON: ConfigMethods = ConfigMethods(0x0680);
}

wire_flags! {
    /// Authentication Type Flags (0x1004); a single flag in Authentication Type (0x1003).
    pub struct AuthType: u16 {
        /// Open.
        const OPEN = 0x0001 => "Open";
        /// WPA-Personal.
        const WPA_PSK = 0x0002 => "WPA-PSK";
        /// Shared key (deprecated).
        const SHARED = 0x0004 => "Shared";
        /// WPA-Enterprise.
        const WPA = 0x0008 => "WPA";
        /// WPA2-Enterprise.
        const WPA2 = 0x0010 => "WPA2";
        /// WPA2-Personal.
        const WPA2_PSK = 0x0020 => "WPA2-PSK";
    }
}

wire_flags! {
    /// Encryption Type Flags (0x1010); a single flag in Encryption Type (0x100F).
    pub struct EncrType: u16 {
        /// None.
        const NONE = 0x0001 => "None";
        /// WEP (deprecated).
        const WEP = 0x0002 => "WEP";
        /// TKIP.
        const TKIP = 0x0004 => "TKIP";
        /// AES (CCMP).
        const AES = 0x0008 => "AES";
    }
}

wire_flags! {
    /// Connection Type Flags (0x100D).
    pub struct ConnectionTypeFlags: u8 {
        /// Infrastructure (ESS).
        const ESS = 0x01 => "ESS";
        /// Ad hoc (IBSS).
        const IBSS = 0x02 => "IBSS";
    }
}

wire_flags! {
    /// RF Bands (0x103C).
    pub struct RfBands: u8 {
        /// 2.4 GHz.
        const BAND_2_4_GHZ = 0x01 => "2.4 GHz";
        /// 5 GHz.
        const BAND_5_GHZ = 0x02 => "5 GHz";
        /// 60 GHz.
        const BAND_60_GHZ = 0x04 => "60 GHz";
    }
}

wire_flags! {
    /// Multi-AP Extension subelement flags.
    pub struct MultiApFlags: u8 {
        /// Tear down.
        const TEAR_DOWN = 0x10 => "Tear Down";
        /// Fronthaul BSS.
        const FRONTHAUL_BSS = 0x20 => "Fronthaul BSS";
        /// Backhaul BSS.
        const BACKHAUL_BSS = 0x40 => "Backhaul BSS";
        /// Backhaul STA.
        const BACKHAUL_STA = 0x80 => "Backhaul STA";
    }
}

/// A 16-byte UUID (UUID-E or UUID-R), as raw bytes.
///
/// Displayed in the usual hyphenated form.
///
/// ```
/// use wps::attr::Uuid;
/// let u = Uuid([0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0,
///               0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
/// assert_eq!(u.to_string(), "12345678-9abc-def0-1234-56789abcdef0");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Uuid(pub [u8; 16]);

impl Uuid {
    /// The raw bytes.
    pub const fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Takes exactly 16 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Uuid> {
        <[u8; 16]>::try_from(bytes).ok().map(Uuid)
    }

    /// The UUID hostapd and wpa_supplicant derive from a MAC address when none is
    /// configured: a name-based (version 5) UUID, SHA-1 over their namespace ID and the six
    /// address bytes. iwd uses the same namespace, so all three agree.
    ///
    /// ```
    /// use wps::attr::{MacAddr, Uuid};
    /// let u = Uuid::from_mac(MacAddr([0xa0, 0xa8, 0xcd, 0x1c, 0x7e, 0xc9]));
    /// assert_eq!(u.to_string(), "790c1f80-4f2b-52b7-be30-c0e97292088d");
    /// ```
    pub fn from_mac(mac: MacAddr) -> Uuid {
        use sha1::Digest;
        const NAMESPACE: [u8; 16] = [
            0x52, 0x64, 0x80, 0xf8, 0xc9, 0x9b, 0x4b, 0xe5, 0xa6, 0x55, 0x58, 0xed, 0x5f, 0x5d,
            0x60, 0x84,
        ];
        let digest = sha1::Sha1::new()
            .chain_update(NAMESPACE)
            .chain_update(mac.0)
            .finalize();
        let mut out = [0u8; 16];
        for (o, d) in out.iter_mut().zip(digest.iter()) {
            *o = *d;
        }
        let [.., b6, _, b8, _, _, _, _, _, _, _] = &mut out;
        *b6 = 0x50 | (*b6 & 0x0f);
        *b8 = 0x80 | (*b8 & 0x3f);
        Uuid(out)
    }
}

impl From<[u8; 16]> for Uuid {
    fn from(b: [u8; 16]) -> Self {
        Uuid(b)
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uuid({self})")
    }
}

/// A 6-byte IEEE 802 MAC address.
///
/// ```
/// use wps::attr::MacAddr;
/// assert_eq!(MacAddr([2, 0, 0, 0, 0x0b, 1]).to_string(), "02:00:00:00:0b:01");
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct MacAddr(pub [u8; 6]);

impl MacAddr {
    /// ff:ff:ff:ff:ff:ff, "any enrollee" in AuthorizedMACs.
    pub const BROADCAST: MacAddr = MacAddr([0xff; 6]);

    /// Takes exactly 6 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<MacAddr> {
        <[u8; 6]>::try_from(bytes).ok().map(MacAddr)
    }

    /// Whether the group bit is set (multicast or broadcast).
    pub fn is_multicast(&self) -> bool {
        self.0[0] & 1 == 1
    }
}

impl fmt::Display for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl fmt::Debug for MacAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MacAddr({self})")
    }
}

wire_enum! {
    /// Device category of a [`PrimaryDeviceType`].
    pub enum DeviceCategory: u16 {
        /// Computer.
        Computer = 1 => "Computer",
        /// Input device.
        InputDevice = 2 => "Input Device",
        /// Printers, scanners, faxes and copiers.
        Printer = 3 => "Printers/Scanners/Faxes/Copiers",
        /// Camera.
        Camera = 4 => "Camera",
        /// Storage.
        Storage = 5 => "Storage",
        /// Network infrastructure.
        NetworkInfrastructure = 6 => "Network Infrastructure",
        /// Display.
        Display = 7 => "Display",
        /// Multimedia device.
        Multimedia = 8 => "Multimedia Device",
        /// Gaming device.
        Gaming = 9 => "Gaming Device",
        /// Telephone.
        Telephone = 10 => "Telephone",
        /// Audio device.
        Audio = 11 => "Audio Device",
    }
}

/// Primary Device Type (0x1054), also the entries of Requested Device Type and the
/// Secondary Device Type List: category, OUI + type, sub-category.
///
/// ```
/// use wps::attr::PrimaryDeviceType;
/// let ap = PrimaryDeviceType::from_bytes([0, 6, 0x00, 0x50, 0xF2, 0x04, 0, 1]);
/// assert_eq!(ap.to_string(), "6-0050F204-1");
/// assert_eq!(ap.sub_category_name(), Some("AP"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PrimaryDeviceType {
    /// Category (1 = Computer, 6 = Network Infrastructure, …).
    pub category: u16,
    /// OUI and OUI type; 00 50 F2 04 for Wi-Fi Alliance categories.
    pub oui: [u8; 4],
    /// Sub-category within the category.
    pub sub_category: u16,
}

impl PrimaryDeviceType {
    /// The Wi-Fi Alliance OUI and type used by the standard categories.
    pub const WFA_OUI: [u8; 4] = [0x00, 0x50, 0xF2, 0x04];

    /// A device type with the WFA OUI.
    pub const fn wfa(category: u16, sub_category: u16) -> Self {
        PrimaryDeviceType {
            category,
            oui: Self::WFA_OUI,
            sub_category,
        }
    }

    /// Decodes the 8 wire bytes.
    pub const fn from_bytes(b: [u8; 8]) -> Self {
        PrimaryDeviceType {
            category: u16::from_be_bytes([b[0], b[1]]),
            oui: [b[2], b[3], b[4], b[5]],
            sub_category: u16::from_be_bytes([b[6], b[7]]),
        }
    }

    /// Takes exactly 8 bytes.
    pub fn from_slice(bytes: &[u8]) -> Option<Self> {
        <[u8; 8]>::try_from(bytes).ok().map(Self::from_bytes)
    }

    /// The 8 wire bytes.
    pub const fn to_bytes(self) -> [u8; 8] {
        let c = self.category.to_be_bytes();
        let s = self.sub_category.to_be_bytes();
        [
            c[0],
            c[1],
            self.oui[0],
            self.oui[1],
            self.oui[2],
            self.oui[3],
            s[0],
            s[1],
        ]
    }

    /// The category as an enumeration.
    pub fn category(self) -> DeviceCategory {
        DeviceCategory::from(self.category)
    }

    /// The sub-category's name, for WFA categories whose sub-categories are known.
    pub fn sub_category_name(self) -> Option<&'static str> {
        if self.oui != Self::WFA_OUI {
            return None;
        }
        let names: &[&str] = match self.category {
            1 => &[
                "PC",
                "Server",
                "Media Center",
                "Ultra-mobile PC",
                "Notebook",
                "Desktop",
                "MID",
                "Netbook",
                "Tablet",
            ],
            2 => &[
                "Keyboard",
                "Mouse",
                "Joystick",
                "Trackball",
                "Gaming controller",
                "Remote",
                "Touchscreen",
                "Biometric reader",
                "Barcode reader",
            ],
            3 => &[
                "Printer/Print server",
                "Scanner",
                "Fax",
                "Copier",
                "All-in-one",
            ],
            4 => &[
                "Digital still camera",
                "Video camera",
                "Web camera",
                "Security camera",
            ],
            5 => &["NAS"],
            6 => &["AP", "Router", "Switch", "Gateway", "Bridge"],
            7 => &["TV", "Electronic picture frame", "Projector", "Monitor"],
            8 => &[
                "DAR",
                "PVR",
                "MCX",
                "Set-top box",
                "Media server",
                "Portable video player",
            ],
            9 => &[
                "Xbox",
                "Xbox360",
                "PlayStation",
                "Game console",
                "Portable gaming device",
            ],
            10 => &[
                "Windows Mobile",
                "Phone - single mode",
                "Phone - dual mode",
                "Smartphone - single mode",
                "Smartphone - dual mode",
            ],
            11 => &[
                "Audio tuner/receiver",
                "Speakers",
                "Portable media player",
                "Headset",
                "Headphones",
                "Microphone",
                "Home theater system",
            ],
            _ => &[],
        };
        let index = usize::from(self.sub_category).checked_sub(1)?;
        names.get(index).copied()
    }
}

/// hostapd's text form: `<category>-<OUI+type in hex>-<sub-category>`.
impl fmt::Display for PrimaryDeviceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.oui;
        write!(
            f,
            "{}-{a:02X}{b:02X}{c:02X}{d:02X}-{}",
            self.category, self.sub_category
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn enums_round_trip_all_values() {
        for v in 0..=u8::MAX {
            assert_eq!(u8::from(MessageType::from(v)), v);
            assert_eq!(u8::from(WscState::from(v)), v);
            assert_eq!(u8::from(RequestType::from(v)), v);
            assert_eq!(u8::from(ResponseType::from(v)), v);
        }
        for v in 0..=u16::MAX {
            assert_eq!(u16::from(ConfigError::from(v)), v);
            assert_eq!(u16::from(DevicePasswordId::from(v)), v);
            assert_eq!(u16::from(AssociationState::from(v)), v);
        }
    }

    #[test]
    fn config_errors_cover_0_to_20() {
        assert_eq!(ConfigError::ALL.len(), 21);
        for (i, e) in ConfigError::ALL.iter().enumerate() {
            assert_eq!(usize::from(u16::from(*e)), i);
        }
        assert_eq!(ConfigError::from(21), ConfigError::Unknown(21));
        assert_eq!(format!("{}", ConfigError::SetupLocked), "Setup locked");
    }

    #[test]
    fn flags_display_names_and_unknown_bits() {
        assert_eq!(format!("{}", AuthType(0x0023)), "Open | WPA-PSK | WPA2-PSK");
        assert_eq!(format!("{}", EncrType(0x0048)), "AES | 0x40");
        assert_eq!(format!("{}", RfBands(0)), "(none)");
        assert_eq!(ConfigMethods(0x0800).unknown_bits(), 0x0800);
        assert!(ConfigMethods(0x0280).contains(ConfigMethods::PUSH_BUTTON));
    }

    #[test]
    fn device_password_tokens() {
        assert!(DevicePasswordId::from(0x0010).is_oob_token());
        assert!(!DevicePasswordId::PushButton.is_oob_token());
    }

    #[test]
    fn device_type_text() {
        let t = PrimaryDeviceType::from_bytes([0, 1, 0, 0x50, 0xf2, 4, 0, 9]);
        assert_eq!(format!("{t}"), "1-0050F204-9");
        assert_eq!(t.sub_category_name(), Some("Tablet"));
        assert_eq!(PrimaryDeviceType::from_bytes(t.to_bytes()), t);
        assert_eq!(PrimaryDeviceType::wfa(6, 0).sub_category_name(), None);
    }
}
