//! How a registrar session finds the device password for an enrollee, and how it reports
//! back what happened to it.

#[cfg(feature = "nfc")]
use super::handover::{HandoverKey, HandoverLookup, NfcHandover};
#[cfg(feature = "nfc")]
use super::nfc_tokens::{NfcTokens, TokenLookup};
use crate::attr::{ConfigError, DevicePasswordId, MacAddr, Uuid};
use crate::pin::DevicePassword;
use crate::registration::{PasswordOutcome, PbcMonitor, PbcRefusal, PinStore};
use crate::time::Instant;

/// What a registrar knows about an enrollee when M1 arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordRequest<'a> {
    /// UUID-E.
    pub uuid_e: Uuid,
    /// The enrollee's MAC Address attribute.
    pub mac: MacAddr,
    /// The Device Password ID the enrollee uses (4 = push-button).
    pub device_password_id: DevicePasswordId,
    /// The enrollee's Public Key (PKE) as received in M1: an NFC password token's hash
    /// is checked against it.
    pub public_key: &'a [u8],
}

/// The answer to a [`PasswordRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordLookup {
    /// Use this password; the source keeps it locked for this run until
    /// [`PasswordSource::release`].
    Found(DevicePassword),
    /// NFC connection handover (Device Password ID 7): the enrollee's public key has the
    /// hash of the handover request. Run the abbreviated handshake: M2 signed with this
    /// key carries the Credential. The source holds the handover until
    /// [`PasswordSource::release`].
    #[cfg(feature = "nfc")]
    Handover(HandoverKey),
    /// No password: the session answers M2D with this Configuration Error (0 normally,
    /// 12 for a push-button overlap, 15 when the AP is setup-locked).
    Unavailable(ConfigError),
}

/// The registrar's long-lived password state, consulted by a
/// [`RegistrarSession`](super::RegistrarSession).
///
/// An AP's internal registrar implements it over its PIN table and push-button monitor;
/// an external registrar that knows one AP PIN uses [`FixedPassword`].
pub trait PasswordSource {
    /// Called once, when M1 arrives. Looks up (and locks) the password for this enrollee.
    fn acquire(&mut self, request: &PasswordRequest<'_>, now: Instant) -> PasswordLookup;

    /// Called once when a run that got [`PasswordLookup::Found`] ends.
    fn release(&mut self, outcome: PasswordOutcome, now: Instant);

    /// Whether a push-button overlap has been detected since this run started (hostapd's
    /// `force_pbc_overlap`): M3, M5 and M7 of a push-button run are then NACKed with 12.
    fn pbc_overlap(&mut self, _uuid_e: &Uuid, _now: Instant) -> bool {
        false
    }
}

/// A single password for any enrollee: an external registrar's AP PIN, a PIN typed in
/// for one run, or push-button.
///
/// ```
/// use wps::pin::DevicePassword;
/// use wps::registration::FixedPassword;
/// let mut p = FixedPassword::new(DevicePassword::pushbutton());
/// assert!(!p.is_used());
/// ```
#[derive(Debug, Clone)]
pub struct FixedPassword {
    password: DevicePassword,
    outcome: Option<PasswordOutcome>,
}

impl FixedPassword {
    /// Always answers with `password`.
    pub fn new(password: DevicePassword) -> Self {
        FixedPassword {
            password,
            outcome: None,
        }
    }

    /// Whether the last run reported the password used or invalidated.
    pub fn is_used(&self) -> bool {
        matches!(
            self.outcome,
            Some(PasswordOutcome::Used(_) | PasswordOutcome::Invalidate(_))
        )
    }

    /// What the last run reported.
    pub fn outcome(&self) -> Option<PasswordOutcome> {
        self.outcome
    }
}

impl PasswordSource for FixedPassword {
    fn acquire(&mut self, request: &PasswordRequest<'_>, _now: Instant) -> PasswordLookup {
        let pbc = request.device_password_id == DevicePasswordId::PushButton;
        if pbc != self.password.is_pushbutton() {
            return PasswordLookup::Unavailable(ConfigError::NoError);
        }
        PasswordLookup::Found(self.password.clone())
    }

    fn release(&mut self, outcome: PasswordOutcome, _now: Instant) {
        self.outcome = Some(outcome);
    }
}

/// An AP's internal-registrar password state: its PIN table and push-button monitor,
/// plus the AP's setup-locked flag (which turns the M2D error 0 into 15).
///
/// Long-lived: keep one per AP, feed it Probe Requests and button presses through
/// [`pbc`](Self::pbc), PINs through [`pins`](Self::pins), and pass it to every
/// [`RegistrarSession::handle`](super::RegistrarSession::handle). Its timers
/// (`poll_timeout` / `handle_timeout` of the two parts) are the caller's to run.
///
/// ```
/// use wps::pin::{DevicePassword, Pin};
/// use wps::registration::{ApRegistrar, PasswordLookup, PasswordRequest, PasswordSource};
/// use wps::time::{Instant, Lifetime};
/// # use wps::attr::*;
/// let mut ap = ApRegistrar::new();
/// let pin = DevicePassword::from(&Pin::parse("12345670")?);
/// ap.pins.add(Instant::ZERO, None, pin.clone(), Lifetime::Forever, None)?;
/// let req = PasswordRequest {
///     uuid_e: Uuid([7; 16]),
///     mac: MacAddr([2, 0, 0, 0, 0, 1]),
///     device_password_id: DevicePasswordId::Default,
///     public_key: &[1; 192],
/// };
/// assert_eq!(ap.acquire(&req, Instant::ZERO), PasswordLookup::Found(pin));
/// // Push-button is not active: M2D with Configuration Error 0.
/// let pbc = PasswordRequest { device_password_id: DevicePasswordId::PushButton, ..req };
/// assert_eq!(ap.acquire(&pbc, Instant::ZERO), PasswordLookup::Unavailable(ConfigError::NoError));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct ApRegistrar {
    /// Per-enrollee and wildcard PINs.
    pub pins: PinStore,
    /// Push-button mode, walk time and overlap detection.
    pub pbc: PbcMonitor,
    /// AP Setup Locked: M2D carries Configuration Error 15 instead of 0.
    pub setup_locked: bool,
    /// Enrollees' NFC password tokens (`wps_nfc_tag_read`), for M1s with a Device
    /// Password ID of 0x10 or above: a public key that does not match the token's hash
    /// gets M2D with Configuration Error 20.
    #[cfg(feature = "nfc")]
    pub nfc_tokens: NfcTokens,
    /// NFC connection handover (`nfc_get_handover_sel`, `nfc_report_handover`), for M1s
    /// with Device Password ID 7: the reported enrollee's key gets the abbreviated
    /// handshake, another key M2D with Configuration Error 20.
    #[cfg(feature = "nfc")]
    pub nfc_handover: NfcHandover,
}

impl ApRegistrar {
    /// No PINs, push-button off, not locked.
    pub fn new() -> Self {
        Self::default()
    }

    fn unavailable(&self) -> PasswordLookup {
        PasswordLookup::Unavailable(if self.setup_locked {
            ConfigError::SetupLocked
        } else {
            ConfigError::NoError
        })
    }
}

impl PasswordSource for ApRegistrar {
    fn acquire(&mut self, request: &PasswordRequest<'_>, now: Instant) -> PasswordLookup {
        if request.device_password_id == DevicePasswordId::PushButton {
            return match self.pbc.m1(now, request.mac.0, request.uuid_e.0) {
                Ok(()) => PasswordLookup::Found(DevicePassword::pushbutton()),
                Err(PbcRefusal::Overlap) => {
                    PasswordLookup::Unavailable(ConfigError::MultiplePbcDetected)
                }
                Err(_) => self.unavailable(),
            };
        }
        #[cfg(feature = "nfc")]
        if request.device_password_id == DevicePasswordId::NfcConnectionHandover {
            match self.nfc_handover.lookup(request.uuid_e, request.public_key) {
                HandoverLookup::Found(key) => return PasswordLookup::Handover(key),
                HandoverLookup::Refused(e) => return PasswordLookup::Unavailable(e),
                // hostapd falls back to the PIN table, as for an unknown token ID.
                HandoverLookup::None => {}
            }
        }
        #[cfg(feature = "nfc")]
        if u16::from(request.device_password_id) >= 0x10 {
            match self.nfc_tokens.lookup(
                request.uuid_e,
                request.device_password_id,
                request.public_key,
            ) {
                TokenLookup::Found(p) => return PasswordLookup::Found(p),
                TokenLookup::Refused(e) => return PasswordLookup::Unavailable(e),
                TokenLookup::None => {}
            }
        }
        match self.pins.lookup(now, &request.uuid_e.0) {
            Ok(p) => PasswordLookup::Found(p),
            Err(_) => self.unavailable(),
        }
    }

    fn release(&mut self, outcome: PasswordOutcome, now: Instant) {
        match outcome {
            #[cfg(feature = "nfc")]
            PasswordOutcome::Used(u) | PasswordOutcome::Invalidate(u)
                if self.nfc_tokens.finish(&u, true) || self.nfc_handover.finish(&u, true) => {}
            #[cfg(feature = "nfc")]
            PasswordOutcome::Unlock(u)
                if self.nfc_tokens.finish(&u, false) || self.nfc_handover.finish(&u, false) => {}
            PasswordOutcome::PbcDone(u) => self.pbc.completed(now, u.0),
            PasswordOutcome::Used(_)
            | PasswordOutcome::Invalidate(_)
            | PasswordOutcome::Unlock(_) => {
                self.pins.finish_run(outcome);
            }
        }
    }

    fn pbc_overlap(&mut self, _uuid_e: &Uuid, _now: Instant) -> bool {
        self.pbc.force_overlap()
    }
}
