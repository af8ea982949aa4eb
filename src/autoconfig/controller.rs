//! The Multi-AP Controller's side: answer an agent's M1 with one M2 per BSS.

use alloc::vec::Vec;
use core::fmt;

use rand_core::CryptoRng;
use zeroize::{Zeroize, Zeroizing};

use super::{Bss, BssConfig, ControllerError};
use crate::attr::{AssociationState, AuthType, ConfigError, EncrType, MultiApFlags, WfaExtension};
use crate::crypto::{DhError, DhKeyPair, authenticator, encrypt_settings};
use crate::message::{ConfigData, Extra, M1, M2, append_authenticator};
use crate::registration::DeviceInfo;

/// The random values of one M2: the controller's DH key pair, the Registrar Nonce N2
/// and the IV of the Encrypted Settings. Wiped on drop; `Debug` shows none of them.
pub struct M2Secrets {
    dh: DhKeyPair,
    registrar_nonce: [u8; 16],
    iv: [u8; 16],
}

impl fmt::Debug for M2Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("M2Secrets").finish_non_exhaustive()
    }
}

impl Drop for M2Secrets {
    fn drop(&mut self) {
        self.registrar_nonce.zeroize();
        self.iv.zeroize();
    }
}

impl M2Secrets {
    /// A fresh key pair (256-bit exponent), nonce and IV from `rng`.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let dh = DhKeyPair::generate(rng);
        let mut s = M2Secrets {
            dh,
            registrar_nonce: [0; 16],
            iv: [0; 16],
        };
        rng.fill_bytes(&mut s.registrar_nonce);
        rng.fill_bytes(&mut s.iv);
        s
    }

    /// Given values (a replay): the big-endian DH private exponent, N2 and the IV.
    ///
    /// # Errors
    /// The private key is refused as by [`DhKeyPair::from_private`].
    pub fn from_parts(
        dh_private: &[u8],
        registrar_nonce: [u8; 16],
        iv: [u8; 16],
    ) -> Result<Self, DhError> {
        Ok(M2Secrets {
            dh: DhKeyPair::from_private(dh_private)?,
            registrar_nonce,
            iv,
        })
    }

    /// The controller's public key PKR.
    pub fn public_key(&self) -> &[u8; 192] {
        self.dh.public_key_ref()
    }
}

/// Answers an M1 with one M2 per BSS of its radio, each with fresh [`M2Secrets`]; an
/// empty list gives a single tear-down M2, as the Multi-AP specification asks when the
/// controller has nothing to run on that radio.
///
/// Which BSSs suit the radio (band, operating classes, how many it supports: the AP
/// Radio Basic Capabilities TLV beside the M1) is the caller's choice.
///
/// # Errors
/// As [`build_m2`].
pub fn build_m2s<R: CryptoRng + ?Sized>(
    controller: &DeviceInfo,
    m1: &[u8],
    bsss: &[Bss],
    rng: &mut R,
) -> Result<Vec<Vec<u8>>, ControllerError> {
    let parsed = M1::parse(m1).map_err(ControllerError::Message)?;
    if bsss.is_empty() {
        let m2 = m2_for(
            controller,
            m1,
            &parsed,
            &BssConfig::TearDown,
            &M2Secrets::generate(rng),
        )?;
        return Ok(alloc::vec![m2]);
    }
    bsss.iter()
        .map(|bss| {
            let config = BssConfig::Configure(bss.clone());
            m2_for(controller, m1, &parsed, &config, &M2Secrets::generate(rng))
        })
        .collect()
}

/// Builds the M2 that answers `m1` with one BSS (or tear-down), from given secrets.
///
/// The keys come from the WSC key schedule: DHKey from the agent's PKE and our key
/// pair, KDK = HMAC(DHKey, N1 ‖ M1's MAC Address ‖ N2), AuthKey and KeyWrapKey from
/// the KDF. The Encrypted Settings hold the [`ConfigData`] (SSID, Authentication Type,
/// Encryption Type, Network Key, MAC Address = the M1's, and a WFA extension holding
/// only the Multi-AP flags) and its Key Wrap Authenticator; the Authenticator covers M1 ‖ M2.
/// The M2's other attributes are hostapd's M2 with `controller`'s description; RF Bands
/// and Device Password ID echo the M1's.
///
/// # Errors
/// [`ControllerError::Message`] when `m1` is not an M1, [`ControllerError::PublicKey`]
/// when its public key is refused.
pub fn build_m2(
    controller: &DeviceInfo,
    m1: &[u8],
    config: &BssConfig,
    secrets: &M2Secrets,
) -> Result<Vec<u8>, ControllerError> {
    let parsed = M1::parse(m1).map_err(ControllerError::Message)?;
    m2_for(controller, m1, &parsed, config, secrets)
}

fn m2_for(
    controller: &DeviceInfo,
    m1_bytes: &[u8],
    m1: &M1<'_>,
    config: &BssConfig,
    secrets: &M2Secrets,
) -> Result<Vec<u8>, ControllerError> {
    let keys = super::session_keys(
        &secrets.dh,
        m1.public_key,
        m1.enrollee_nonce,
        &m1.mac_address,
        &secrets.registrar_nonce,
    )
    .map_err(ControllerError::PublicKey)?;
    let config_data = match config {
        BssConfig::Configure(bss) => ConfigData {
            ssid: Some(bss.settings().ssid()),
            auth_type: Some(bss.settings().auth_type()),
            encr_type: Some(bss.settings().encr_type()),
            network_key: Some(bss.settings().network_key()),
            mac_address: Some(m1.mac_address),
            wfa: Some(WfaExtension::multi_ap(bss.multi_ap_flags())),
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        },
        // prplMesh writes every attribute of a tear-down M2 with empty values: agents
        // that require them stay happy; ours reads only the flag.
        BssConfig::TearDown => ConfigData {
            ssid: Some(&[]),
            auth_type: Some(AuthType::OPEN),
            encr_type: Some(EncrType::NONE),
            network_key: Some(&[]),
            mac_address: Some(m1.mac_address),
            wfa: Some(WfaExtension::multi_ap(MultiApFlags::TEAR_DOWN)),
            key_wrap_authenticator: None,
            extra: Extra::NONE,
        },
    };
    let mut plain = Zeroizing::new(Vec::new());
    config_data
        .emit(&mut *plain)
        .map_err(|_| ControllerError::TooLong)?;
    let encrypted = encrypt_settings(keys.key_wrap_key(), keys.auth_key(), &secrets.iv, &plain);
    let m2 = M2 {
        version: 0x10,
        enrollee_nonce: m1.enrollee_nonce,
        registrar_nonce: &secrets.registrar_nonce,
        uuid_r: controller.uuid,
        public_key: secrets.dh.public_key_ref(),
        auth_type_flags: Some(controller.auth_type_flags),
        encr_type_flags: Some(controller.encr_type_flags),
        connection_type_flags: Some(controller.connection_type_flags),
        config_methods: Some(controller.config_methods),
        device: controller.attrs(),
        rf_bands: Some(m1.rf_bands),
        association_state: Some(AssociationState::NotAssociated),
        config_error: Some(ConfigError::NoError),
        device_password_id: m1.device_password_id,
        os_version: Some(controller.os_version_attr()),
        wfa: Some(WfaExtension::version2_only()),
        encrypted_settings: Some(&encrypted),
        authenticator: None,
        extra: Extra::NONE,
    };
    let mut out = Vec::new();
    m2.emit_without_authenticator(&mut out)
        .map_err(|_| ControllerError::TooLong)?;
    let auth = authenticator(keys.auth_key(), m1_bytes, &out);
    append_authenticator(&mut out, &auth).map_err(|_| ControllerError::TooLong)?;
    Ok(out)
}
