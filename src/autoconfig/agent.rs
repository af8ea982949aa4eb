//! The Multi-AP Agent's side: build M1 for one radio, check each M2 and read its BSS.

use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::Zeroize;

use super::{AgentError, Bss, BssConfig};
use crate::attr::{
    AssociationState, AttrType, ConfigError, DevicePasswordId, MacAddr, MultiApFlags, WfaExtension,
    WscState,
};
use crate::crypto::{DhKeyPair, SettingsError, decrypt_settings, verify_authenticator};
use crate::message::{ConfigData, Extra, M1, M2};
use crate::registration::{DeviceInfo, NetworkSettings};

/// One radio's autoconfiguration as the agent runs it: the M1 it sent, and what it
/// needs to check the controller's M2s (its DH key pair, N1, the MAC address of M1).
///
/// A controller answers one M1 with one M2 per BSS (or a single tear-down M2), each
/// with its own Registrar Nonce and usually its own key pair, so every M2 is checked on
/// its own against the same M1: [`Agent::process_m2`].
///
/// ```
/// use wps::attr::{MacAddr, RfBands, Uuid};
/// use wps::autoconfig::{Agent, Bss, BssConfig, M2Secrets, build_m2};
/// use wps::registration::{DeviceInfo, NetworkSettings};
///
/// let mut rng = rand::rng();
/// let mut radio = DeviceInfo::new(Uuid([1; 16]), MacAddr([2, 0, 0, 0, 0, 1]), "agent");
/// radio.rf_bands = RfBands::BAND_5_GHZ;
/// let agent = Agent::new(&radio, &mut rng);
///
/// // The controller, given the M1 (from the WSC TLV of the 1905 message):
/// let controller = DeviceInfo::new(Uuid([9; 16]), MacAddr([2, 0, 0, 0, 0, 9]), "controller");
/// let bss = Bss::new(NetworkSettings::wpa2_personal(b"home", b"correct horse")?, false, true);
/// let m2 = build_m2(&controller, agent.m1(), &BssConfig::Configure(bss.clone()), &M2Secrets::generate(&mut rng))?;
///
/// assert_eq!(agent.process_m2(&m2)?, BssConfig::Configure(bss));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Agent {
    m1: Vec<u8>,
    dh: DhKeyPair,
    enrollee_nonce: [u8; 16],
    mac: MacAddr,
}

impl fmt::Debug for Agent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Agent")
            .field("mac", &self.mac)
            .field("m1_len", &self.m1.len())
            .finish_non_exhaustive()
    }
}

impl Drop for Agent {
    fn drop(&mut self) {
        self.enrollee_nonce.zeroize();
    }
}

impl Agent {
    /// Builds the M1 of one radio with a fresh key pair and nonce from `rng`.
    ///
    /// `radio` describes the agent: UUID-E, MAC Address (EasyMesh: the AL MAC, which
    /// also enters the key derivation), the device strings, Authentication and
    /// Encryption Type Flags, and RF Bands, which must be the band of this radio.
    pub fn new<R: CryptoRng + ?Sized>(radio: &DeviceInfo, rng: &mut R) -> Self {
        let dh = DhKeyPair::generate(rng);
        let mut nonce = [0u8; 16];
        rng.fill_bytes(&mut nonce);
        Self::from_parts(radio, dh, nonce)
    }

    /// Builds the M1 from a given key pair and Enrollee Nonce (tests, replays).
    ///
    /// M1 is what prplMesh's and hostapd-based agents send: push button Device Password
    /// ID, not configured, not associated, Version2 2.0.
    pub fn from_parts(radio: &DeviceInfo, dh: DhKeyPair, enrollee_nonce: [u8; 16]) -> Self {
        let m1 = M1 {
            version: 0x10,
            uuid_e: radio.uuid,
            mac_address: radio.mac,
            enrollee_nonce: &enrollee_nonce,
            public_key: dh.public_key_ref(),
            auth_type_flags: radio.auth_type_flags,
            encr_type_flags: radio.encr_type_flags,
            connection_type_flags: radio.connection_type_flags,
            config_methods: radio.config_methods,
            wsc_state: WscState::NotConfigured,
            device: radio.attrs(),
            rf_bands: radio.rf_bands,
            association_state: AssociationState::NotAssociated,
            device_password_id: DevicePasswordId::PushButton,
            config_error: ConfigError::NoError,
            os_version: radio.os_version_attr(),
            wfa: Some(WfaExtension::version2_only()),
            extra: Extra::NONE,
        }
        .to_bytes();
        Agent {
            m1,
            dh,
            enrollee_nonce,
            mac: radio.mac,
        }
    }

    /// The M1, the value of the WSC TLV the agent sends.
    pub fn m1(&self) -> &[u8] {
        &self.m1
    }

    /// Checks one M2 and reads the BSS it configures.
    ///
    /// The checks, in order: it parses as an M2; its Enrollee Nonce is ours; it has
    /// Encrypted Settings; the controller's public key is valid; the Authenticator
    /// (HMAC-SHA-256 under AuthKey over M1 ‖ M2 without it) matches; the settings
    /// decrypt and their Key Wrap Authenticator matches. Only then are the settings read:
    /// the Tear Down bit gives [`BssConfig::TearDown`]; otherwise SSID, Authentication
    /// Type, Encryption Type and MAC Address must be present, and the network must be
    /// valid ([`NetworkSettings::new`]).
    ///
    /// Tolerated, as seen from real controllers: any number of WFA subelements around
    /// the Multi-AP one; trailing NULs after the SSID and Network Key (fixed-width
    /// writers); no Multi-AP subelement at all (a BSS with neither role). The MAC
    /// Address is not compared with anything (controllers disagree on what it is).
    ///
    /// # Errors
    /// One [`AgentError`] variant per check.
    pub fn process_m2(&self, m2: &[u8]) -> Result<BssConfig, AgentError> {
        let msg = M2::parse(m2).map_err(AgentError::Message)?;
        // Not secret: N1 went out in the clear in M1.
        if *msg.enrollee_nonce != self.enrollee_nonce {
            return Err(AgentError::WrongNonce);
        }
        let encrypted = msg.encrypted_settings.ok_or(AgentError::NoSettings)?;
        let keys = super::session_keys(
            &self.dh,
            msg.public_key,
            &self.enrollee_nonce,
            &self.mac,
            msg.registrar_nonce,
        )
        .map_err(AgentError::PublicKey)?;
        verify_authenticator(keys.auth_key(), &self.m1, m2)
            .map_err(|_| AgentError::Authenticator)?;
        let plain = decrypt_settings(keys.key_wrap_key(), keys.auth_key(), encrypted).map_err(
            |e| match e {
                SettingsError::WrongKwa => AgentError::KeyWrapAuthenticator,
                other => AgentError::EncryptedSettings(other),
            },
        )?;
        read_config_data(&plain)
    }

    /// [`Agent::process_m2`] for each M2 of one autoconfiguration message, in order; the
    /// first refused M2 refuses them all (the message is one answer).
    ///
    /// # Errors
    /// The first M2's [`AgentError`].
    pub fn process_m2s<'m>(
        &self,
        m2s: impl IntoIterator<Item = &'m [u8]>,
    ) -> Result<Vec<BssConfig>, AgentError> {
        m2s.into_iter().map(|m2| self.process_m2(m2)).collect()
    }
}

/// The BSS of a decrypted ConfigData (without its KWA).
fn read_config_data(plain: &[u8]) -> Result<BssConfig, AgentError> {
    let cd = ConfigData::parse(plain).map_err(AgentError::Settings)?;
    let flags = cd.multi_ap().unwrap_or(MultiApFlags::empty());
    if flags.contains(MultiApFlags::TEAR_DOWN) {
        return Ok(BssConfig::TearDown);
    }
    let ssid = trim_nuls(cd.ssid.ok_or(AgentError::Missing(AttrType::Ssid))?);
    let auth = cd
        .auth_type
        .ok_or(AgentError::Missing(AttrType::AuthenticationType))?;
    let encr = cd
        .encr_type
        .ok_or(AgentError::Missing(AttrType::EncryptionType))?;
    cd.mac_address
        .ok_or(AgentError::Missing(AttrType::MacAddress))?;
    let key = trim_nuls(cd.network_key.unwrap_or(&[]));
    let settings = NetworkSettings::new(ssid, auth, encr, key).map_err(AgentError::Network)?;
    Ok(BssConfig::Configure(Bss::new(
        settings,
        flags.contains(MultiApFlags::BACKHAUL_BSS),
        flags.contains(MultiApFlags::FRONTHAUL_BSS),
    )))
}

fn trim_nuls(mut v: &[u8]) -> &[u8] {
    while let [head @ .., 0] = v {
        v = head;
    }
    v
}
