//! Exchange-level timeouts: the 120 s operation timeout and EAP retransmission.

use super::{Duration, Instant};
use crate::attr::ConfigError;

/// Whole-operation timeout of a PIN or PBC run on the station (wpa_supplicant's WPS
/// timer, `WPS_PBC_WALK_TIME`): **120 s**. On expiry wpa_supplicant reports
/// `WPS-TIMEOUT` and a failure with Config Error 16 (Message Timeout); nothing is sent.
pub const OPERATION_TIMEOUT: Duration = Duration::from_secs(120);

/// Configuration Error *Message Timeout* (16) reported for [`TimeoutReason::Operation`].
pub const MESSAGE_TIMEOUT_CONFIG_ERROR: ConfigError = ConfigError::MessageTimeout;

/// EAP server (AP) retransmission interval for an EAP-WSC request: **5 s**.
pub const EAP_RETRANSMIT_INTERVAL: Duration = Duration::from_secs(5);

/// EAP server `MaxRetrans` for EAP-WSC: **2**, so a request is sent at most three times
/// (about 15 s per message).
pub const EAP_MAX_RETRANSMISSIONS: u8 = 2;

/// EAP peer (station): the client timeout is capped at **30 s** when EAP-WSC starts.
pub const EAP_PEER_TIMEOUT_CAP: Duration = Duration::from_secs(30);

/// EAP peer after its final message (WSC_NACK, WSC_Done, or WSC_ACK in the FAIL
/// state): wait **2 s** for EAP-Failure.
pub const EAP_FINAL_MESSAGE_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a run ended on a timer rather than on a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeoutReason {
    /// The 120 s [`OPERATION_TIMEOUT`] ran out (reported with Config Error 16).
    Operation,
    /// A request went unanswered after all retransmissions.
    Retransmissions,
    /// EAP-Failure did not arrive within [`EAP_FINAL_MESSAGE_TIMEOUT`] after the final
    /// message; the run's outcome stands.
    FinalMessage,
}

impl TimeoutReason {
    /// The Configuration Error a failure event carries for this timeout, if any:
    /// Message Timeout (16) for [`TimeoutReason::Operation`], as wpa_supplicant
    /// synthesises; hostapd reports no code for the others.
    #[must_use]
    pub fn config_error(self) -> Option<ConfigError> {
        match self {
            TimeoutReason::Operation => Some(MESSAGE_TIMEOUT_CONFIG_ERROR),
            TimeoutReason::Retransmissions | TimeoutReason::FinalMessage => None,
        }
    }
}

/// A one-shot deadline for a whole exchange, e.g. the enrollee's 120 s operation
/// timeout or the peer's 2 s wait for EAP-Failure.
///
/// ```
/// use wps::time::{Duration, Instant, OperationTimer, TimeoutReason};
///
/// let start = Instant::from_secs(7);
/// let mut timer = OperationTimer::operation(start);
/// assert_eq!(timer.handle_timeout(start + Duration::from_millis(119_999)), None);
/// assert_eq!(timer.handle_timeout(start + Duration::from_secs(120)), Some(TimeoutReason::Operation));
/// assert_eq!(timer.poll_timeout(), None); // fires once
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OperationTimer {
    deadline: Option<Instant>,
    reason: TimeoutReason,
}

impl OperationTimer {
    /// A timer firing `after` from `now` with `reason`; a deadline past
    /// [`Instant::MAX`] saturates to it.
    #[must_use]
    pub fn new(now: Instant, after: Duration, reason: TimeoutReason) -> OperationTimer {
        OperationTimer {
            deadline: Some(now.saturating_add(after)),
            reason,
        }
    }

    /// The 120 s whole-operation timeout started at `now`.
    #[must_use]
    pub fn operation(now: Instant) -> OperationTimer {
        OperationTimer::new(now, OPERATION_TIMEOUT, TimeoutReason::Operation)
    }

    /// The 2 s wait for EAP-Failure after the final message, started at `now`.
    #[must_use]
    pub fn final_message(now: Instant) -> OperationTimer {
        OperationTimer::new(now, EAP_FINAL_MESSAGE_TIMEOUT, TimeoutReason::FinalMessage)
    }

    /// Disarms the timer (the run ended).
    pub fn stop(&mut self) {
        self.deadline = None;
    }

    /// The deadline, while armed.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// `Some(reason)` once, when the deadline has come (`deadline <= now`).
    pub fn handle_timeout(&mut self, now: Instant) -> Option<TimeoutReason> {
        match self.deadline {
            Some(at) if at <= now => {
                self.deadline = None;
                Some(self.reason)
            }
            _ => None,
        }
    }
}

/// What to do when a [`Retransmit`] timer fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetransmitAction {
    /// Nothing is due yet.
    Wait,
    /// Send the last request again (the timer is re-armed).
    Resend,
    /// All retransmissions are used up: fail the exchange
    /// ([`TimeoutReason::Retransmissions`]).
    GiveUp,
}

/// Retransmission of the last request: resend every `interval` until answered, at
/// most `max_retransmissions` times, then give up.
///
/// ```
/// use wps::time::{Duration, Instant, Retransmit, RetransmitAction};
///
/// let mut rtx = Retransmit::eap_server();
/// let t0 = Instant::ZERO;
/// rtx.sent(t0);
/// assert_eq!(rtx.handle_timeout(Instant::from_millis(4_999)), RetransmitAction::Wait);
/// assert_eq!(rtx.handle_timeout(Instant::from_secs(5)), RetransmitAction::Resend);
/// assert_eq!(rtx.handle_timeout(Instant::from_secs(10)), RetransmitAction::Resend);
/// assert_eq!(rtx.handle_timeout(Instant::from_secs(15)), RetransmitAction::GiveUp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retransmit {
    interval: Duration,
    max_retransmissions: u8,
    retransmissions: u8,
    deadline: Option<Instant>,
}

impl Retransmit {
    /// A retransmitter with the given interval and retransmission budget.
    #[must_use]
    pub const fn new(interval: Duration, max_retransmissions: u8) -> Retransmit {
        Retransmit {
            interval,
            max_retransmissions,
            retransmissions: 0,
            deadline: None,
        }
    }

    /// hostapd's EAP-WSC server values: 5 s, 2 retransmissions.
    #[must_use]
    pub const fn eap_server() -> Retransmit {
        Retransmit::new(EAP_RETRANSMIT_INTERVAL, EAP_MAX_RETRANSMISSIONS)
    }

    /// A new request was sent at `now`: the budget restarts and the timer is armed
    /// (its deadline saturating at [`Instant::MAX`]).
    pub fn sent(&mut self, now: Instant) {
        self.retransmissions = 0;
        self.deadline = Some(now.saturating_add(self.interval));
    }

    /// The request was answered: the timer stops.
    pub fn answered(&mut self) {
        self.deadline = None;
    }

    /// Retransmissions done for the current request.
    #[must_use]
    pub fn retransmissions(&self) -> u8 {
        self.retransmissions
    }

    /// The next deadline, while a request is outstanding.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.deadline
    }

    /// Decides what a timeout at `now` means; on [`RetransmitAction::Resend`] the caller
    /// sends the request again (the timer is already re-armed from `now`).
    pub fn handle_timeout(&mut self, now: Instant) -> RetransmitAction {
        match self.deadline {
            Some(at) if at <= now => {
                if self.retransmissions < self.max_retransmissions {
                    // Below max_retransmissions, so this cannot saturate.
                    self.retransmissions = self.retransmissions.saturating_add(1);
                    self.deadline = Some(now.saturating_add(self.interval));
                    RetransmitAction::Resend
                } else {
                    self.deadline = None;
                    RetransmitAction::GiveUp
                }
            }
            _ => RetransmitAction::Wait,
        }
    }
}
