//! How a registration ended, in words a person understands — one type for both sides.
//!
//! The registration machines report protocol facts ([`Failure`]: which message, which
//! Configuration Error, which check). A printer's display or a router's web page wants
//! "the PIN was incorrect" or "timed out", the same words whichever side noticed. The
//! drivers ([`Station`](crate::station::Station), [`AccessPoint`](crate::ap::AccessPoint))
//! turn every run's end into an [`Outcome`]; [`RunError`] is its failure half, with
//! `Display` in plain words and `std::error::Error`.
//!
//! A wrong PIN reads the same on both sides: the side that checked the hash sees its own
//! mismatch, the other side sees a WSC_NACK with Configuration Error 18 after its M4/M5
//! (first half) or M6/M7 (second half); both become [`RunError::IncorrectPin`] with the
//! half.

use alloc::vec::Vec;
use core::fmt;
use core::time::Duration;

use crate::attr::{ConfigError, MessageType};
#[cfg(feature = "nfc")]
use crate::registration::PeerMisbehaved;
use crate::registration::{Credential, Failure, FailureReason, Refusal};

/// How one registration run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Credentials changed hands: a station received them in M8, an access point's
    /// registrar handed them to an enrollee, an access point took new settings from an
    /// external registrar, or an external registrar configured an access point.
    Succeeded(Vec<Credential>),
    /// An external registrar read the access point's current settings and left them as
    /// they were.
    SettingsRead(Credential),
    /// The run failed.
    Failed(RunError),
}

impl Outcome {
    /// Whether the run succeeded (credentials or settings changed hands).
    pub fn is_success(&self) -> bool {
        !matches!(self, Outcome::Failed(_))
    }

    /// The failure, if the run failed.
    pub fn error(&self) -> Option<&RunError> {
        match self {
            Outcome::Failed(e) => Some(e),
            _ => None,
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Outcome::Succeeded(c) if c.len() == 1 => f.write_str("succeeded: 1 credential"),
            Outcome::Succeeded(c) => write!(f, "succeeded: {} credentials", c.len()),
            Outcome::SettingsRead(_) => f.write_str("read the access point's settings"),
            Outcome::Failed(e) => write!(f, "failed: {e}"),
        }
    }
}

/// Why a registration run failed, as a person would be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RunError {
    /// The two sides do not share the PIN (E-Hash / R-Hash mismatch, or a WSC_NACK with
    /// Configuration Error 18). `half` is 1 or 2.
    #[error("the PIN was incorrect (its {} half did not match)", if *half == 1 { "first" } else { "second" })]
    IncorrectPin {
        /// Which half of the PIN failed: 1 or 2.
        half: u8,
    },
    /// The PIN's lifetime ended before the registration did: show a new PIN.
    #[error("the PIN has expired: show a new PIN and try again")]
    PinExpired,
    /// Nobody finished the registration in time.
    #[error("timed out: no registration within {} s", after.as_secs())]
    TimedOut {
        /// How long the run had (the walk time, 120 s, unless configured otherwise).
        after: Duration,
    },
    /// Two devices were in push-button mode at once (Configuration Error 12).
    #[error("more than one device pressed the button: wait two minutes and try again")]
    PbcOverlap,
    /// The access point refuses its AP PIN after too many wrong guesses (Configuration
    /// Error 15).
    #[error("the access point is locked after too many wrong PINs")]
    ApLocked,
    /// The registrar has no PIN for this device (it answered M2D) and none arrived in time.
    #[error("the registrar has no PIN for this device: enter the PIN at the router")]
    NoPassword,
    /// A public key is not the one the NFC touch named (Configuration Error 20): the
    /// registrar's password token or handover request is another device's (SHA-256 of
    /// the public key in M1 does not match its hash), or the registrar's M2 carries
    /// another key than its handover select.
    #[error(
        "the NFC touch named a different device's key (public key hash mismatch): touch the devices again"
    )]
    PublicKeyMismatch,
    /// The other side ended the run with a WSC_NACK for another reason.
    #[error("the other side refused: {}", config_error.description())]
    Rejected {
        /// The Configuration Error it sent.
        config_error: ConfigError,
    },
    /// A message broke the protocol (malformed, out of order, bad Authenticator…).
    #[error("the registration broke off: {0}")]
    Protocol(FailureReason),
    /// The other device stopped answering in the middle of the run.
    #[error("the other device stopped answering")]
    NoResponse,
    /// Our side stopped the run (a cancel, or a new request replaced it).
    #[error("cancelled")]
    Cancelled,
}

impl RunError {
    /// What a registration machine's [`Failure`] means to a person.
    ///
    /// A received WSC_NACK is read by its Configuration Error and by the message this side
    /// last sent: 18 after M4/M5 is the PIN's first half, after M6/M7 its second.
    pub fn from_failure(f: &Failure) -> RunError {
        let timed_out = RunError::TimedOut {
            after: crate::registration::REGISTRATION_TIMEOUT,
        };
        match f.reason {
            FailureReason::PasswordMismatch { half } => RunError::IncorrectPin { half },
            FailureReason::Refused(Refusal::NackReceived) => match f.config_error {
                ConfigError::DevicePasswordAuthFailure => RunError::IncorrectPin {
                    half: match f.message {
                        Some(MessageType::M6 | MessageType::M7 | MessageType::M8) => 2,
                        _ => 1,
                    },
                },
                ConfigError::MultiplePbcDetected => RunError::PbcOverlap,
                ConfigError::PublicKeyHashMismatch => RunError::PublicKeyMismatch,
                ConfigError::SetupLocked => RunError::ApLocked,
                ConfigError::MessageTimeout | ConfigError::RegistrationSessionTimeout => timed_out,
                other => RunError::Rejected {
                    config_error: other,
                },
            },
            FailureReason::Refused(Refusal::PbcOverlap) => RunError::PbcOverlap,
            FailureReason::Refused(Refusal::SetupLocked) => RunError::ApLocked,
            FailureReason::Refused(Refusal::NoPassword)
                if f.config_error == ConfigError::PublicKeyHashMismatch =>
            {
                RunError::PublicKeyMismatch
            }
            FailureReason::Refused(Refusal::NoPassword) => RunError::NoPassword,
            #[cfg(feature = "nfc")]
            FailureReason::PeerMisbehaved(PeerMisbehaved::PublicKeyHashMismatch) => {
                RunError::PublicKeyMismatch
            }
            FailureReason::Timeout => timed_out,
            FailureReason::Aborted => RunError::Cancelled,
            other => RunError::Protocol(other),
        }
    }
}
