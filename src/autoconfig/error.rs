//! Why an autoconfiguration message was refused, one variant per check.

use crate::attr::AttrType;
use crate::crypto::{DhError, SettingsError};
use crate::message::MessageError;
use crate::registration::CredentialError;

/// Why the agent refused an M2. Each check has its own variant, named after what
/// failed; nothing of the M2 is used after any of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// The bytes are not an M2 (not a WSC message, another Message Type, or a required
    /// attribute missing).
    #[error("not a valid M2: {0}")]
    Message(MessageError),
    /// The M2 answers another M1: its Enrollee Nonce is not ours.
    #[error("the M2 answers another M1 (its enrollee nonce is not ours)")]
    WrongNonce,
    /// The M2 has no Encrypted Settings, so it configures nothing.
    #[error("the M2 has no encrypted settings")]
    NoSettings,
    /// The controller's public key is refused.
    #[error("the controller's public key is refused: {0}")]
    PublicKey(DhError),
    /// The Authenticator over M1 ‖ M2 is wrong (or missing from the end of the M2).
    #[error("the M2's authenticator is wrong")]
    Authenticator,
    /// The Key Wrap Authenticator of the Encrypted Settings is wrong.
    #[error("the key wrap authenticator of the M2's settings is wrong")]
    KeyWrapAuthenticator,
    /// The Encrypted Settings do not decrypt (length, padding, no KWA at the end).
    #[error("the M2's encrypted settings do not decrypt: {0}")]
    EncryptedSettings(SettingsError),
    /// The decrypted settings are not a valid attribute list.
    #[error("the M2's decrypted settings are malformed: {0}")]
    Settings(MessageError),
    /// A BSS to configure lacks this attribute.
    #[error("the BSS settings lack the {0:?} attribute")]
    Missing(AttrType),
    /// The BSS settings are refused (SSID length, WPA key format).
    #[error("the BSS settings are refused: {0}")]
    Network(CredentialError),
}

/// Why the controller could not answer an M1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ControllerError {
    /// The bytes are not an M1.
    #[error("not a valid M1: {0}")]
    Message(MessageError),
    /// The agent's public key is refused.
    #[error("the agent's public key is refused: {0}")]
    PublicKey(DhError),
    /// The M2 would be longer than an attribute can say (65535 bytes).
    #[error("the M2 is too long to encode")]
    TooLong,
}
