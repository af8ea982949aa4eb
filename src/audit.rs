//! Self-audit for device makers: a device's own registrations (the messages, and the
//! secrets the device logged about itself) checked for the protocol's known weaknesses.
//!
//! * **Pixie Dust**: E-S1/E-S2 (R-S1/R-S2 for a registrar) that are zero, equal to each
//!   other, equal to a nonce, or repeated across runs let anyone who saw M1–M3 find the
//!   PIN offline.
//! * A nonce that is zero, repeats across runs, or comes back from the peer.
//! * A Diffie-Hellman public key used in more than one run.
//! * A peer public key from the degenerate set (0, 1, 2, p−2, p−1, anything within 2⁶⁴
//!   of 0 or p, or p and above): hostapd accepts 2 and p−2 (and so does this crate), but an honest peer never
//!   sends one — it is reported as a sign of an attack.
//! * A label PIN found on more than one device of a batch.
//!
//! ```
//! use wps::audit::{Run, Side, audit};
//! let mut a = Run::new("run-1", Side::Enrollee);
//! a.own_nonce = Some([7; 16]);
//! a.secret_nonce_1 = Some([0; 16]);
//! a.secret_nonce_2 = Some([0; 16]);
//! let findings = audit(&[a]);
//! assert!(findings.iter().any(|f| f.to_string().contains("E-S1 is all zeros")));
//! ```

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::Zeroize;

use crate::attr::Uuid;
use crate::message::{M1, M2};

/// Which side of the registration the audited device was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The device enrolled (it sent M1, E-S1 and E-S2).
    Enrollee,
    /// The device was the registrar (it sent M2, R-S1 and R-S2).
    Registrar,
}

/// One registration as the device saw it: its public values from the messages, and the
/// secrets it logged. Anything unknown stays `None`. The secret nonces are wiped on drop
/// and left out of `Debug`.
#[derive(Clone)]
pub struct Run {
    /// A name for the run in findings (a file name, a run number).
    pub name: String,
    /// The device's side.
    pub side: Side,
    /// The device's UUID (UUID-E or UUID-R): which device of a batch this is.
    pub device: Option<Uuid>,
    /// The device's own nonce (E-Nonce or R-Nonce).
    pub own_nonce: Option<[u8; 16]>,
    /// The peer's nonce.
    pub peer_nonce: Option<[u8; 16]>,
    /// The device's Diffie-Hellman public key as sent.
    pub own_public_key: Option<Vec<u8>>,
    /// The peer's Diffie-Hellman public key as received.
    pub peer_public_key: Option<Vec<u8>>,
    /// E-S1 (or R-S1), from the device's log.
    pub secret_nonce_1: Option<[u8; 16]>,
    /// E-S2 (or R-S2), from the device's log.
    pub secret_nonce_2: Option<[u8; 16]>,
    /// The PIN printed on the device's label, if it used one.
    pub label_pin: Option<String>,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Run")
            .field("name", &self.name)
            .field("side", &self.side)
            .field("device", &self.device)
            .field("own_nonce", &self.own_nonce)
            .field("peer_nonce", &self.peer_nonce)
            .field("secret_nonce_1", &self.secret_nonce_1.map(|_| "<redacted>"))
            .field("secret_nonce_2", &self.secret_nonce_2.map(|_| "<redacted>"))
            .finish_non_exhaustive()
    }
}

impl Drop for Run {
    fn drop(&mut self) {
        self.secret_nonce_1.zeroize();
        self.secret_nonce_2.zeroize();
    }
}

impl Run {
    /// A run with nothing known yet.
    pub fn new(name: impl Into<String>, side: Side) -> Run {
        Run {
            name: name.into(),
            side,
            device: None,
            own_nonce: None,
            peer_nonce: None,
            own_public_key: None,
            peer_public_key: None,
            secret_nonce_1: None,
            secret_nonce_2: None,
            label_pin: None,
        }
    }

    /// Fills the public values from the run's WSC messages (M1 and M2; others are
    /// skipped, as is anything that does not parse).
    pub fn read_messages<'m>(&mut self, messages: impl IntoIterator<Item = &'m [u8]>) {
        for message in messages {
            if let Ok(m1) = M1::parse(message) {
                let key = Some(m1.public_key.to_vec());
                match self.side {
                    Side::Enrollee => {
                        self.device = Some(m1.uuid_e);
                        self.own_nonce = Some(*m1.enrollee_nonce);
                        self.own_public_key = key;
                    }
                    Side::Registrar => {
                        self.peer_nonce = Some(*m1.enrollee_nonce);
                        self.peer_public_key = key;
                    }
                }
            } else if let Ok(m2) = M2::parse(message) {
                let key = Some(m2.public_key.to_vec());
                match self.side {
                    Side::Enrollee => {
                        self.peer_nonce = Some(*m2.registrar_nonce);
                        self.peer_public_key = key;
                    }
                    Side::Registrar => {
                        self.device = Some(m2.uuid_r);
                        self.own_nonce = Some(*m2.registrar_nonce);
                        self.own_public_key = key;
                    }
                }
            }
        }
    }
}

/// A value a finding is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// The device's own nonce.
    Nonce(Side),
    /// The first secret nonce (E-S1, R-S1).
    SecretNonce1(Side),
    /// The second secret nonce (E-S2, R-S2).
    SecretNonce2(Side),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (side, what) = match self {
            Value::Nonce(s) => (s, "Nonce"),
            Value::SecretNonce1(s) => (s, "S1"),
            Value::SecretNonce2(s) => (s, "S2"),
        };
        let letter = match side {
            Side::Enrollee => 'E',
            Side::Registrar => 'R',
        };
        write!(f, "{letter}-{what}")
    }
}

/// What kind of degenerate public key the peer sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DegenerateKey {
    /// 0, 1 or 2 (or another value below 2⁶⁴).
    Small,
    /// p−2, p−1 (or another value within 2⁶⁴ of p), or p and above.
    NearPrime,
    /// Not 190 to 192 bytes long.
    BadLength,
}

/// One weakness found.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Finding {
    /// A nonce or secret nonce is all zeros.
    Zero {
        /// The run.
        run: String,
        /// Which value.
        value: Value,
    },
    /// The two secret nonces of a run are equal.
    SecretNoncesEqual {
        /// The run.
        run: String,
        /// Which side logged them.
        side: Side,
    },
    /// A secret nonce equals one of the run's public nonces.
    SecretNonceIsNonce {
        /// The run.
        run: String,
        /// The secret nonce.
        value: Value,
    },
    /// The peer's nonce equals the device's own: a reflected or replayed message.
    NonceEchoed {
        /// The run.
        run: String,
    },
    /// The same value in two runs.
    Repeated {
        /// Which value.
        value: Value,
        /// The earlier run.
        first: String,
        /// The later run.
        again: String,
    },
    /// The device sent the same Diffie-Hellman public key in two runs.
    PublicKeyReused {
        /// The earlier run.
        first: String,
        /// The later run.
        again: String,
    },
    /// The peer sent a degenerate Diffie-Hellman public key.
    DegeneratePeerKey {
        /// The run.
        run: String,
        /// What kind.
        kind: DegenerateKey,
    },
    /// Two devices of a batch carry the same label PIN.
    LabelPinRepeated {
        /// The first device's run.
        first: String,
        /// The other device's run.
        again: String,
    },
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Finding::Zero { run, value } => write!(
                f,
                "run {run}: {value} is all zeros: the random number generator gave nothing{}",
                pixie(value)
            ),
            Finding::SecretNoncesEqual { run, side } => write!(
                f,
                "run {run}: {} equals {} (Pixie Dust: the PIN can be found offline from one capture)",
                Value::SecretNonce1(*side),
                Value::SecretNonce2(*side)
            ),
            Finding::SecretNonceIsNonce { run, value } => write!(
                f,
                "run {run}: {value} equals a nonce sent in the clear (Pixie Dust: the PIN can be found offline)"
            ),
            Finding::NonceEchoed { run } => write!(
                f,
                "run {run}: the peer sent back the device's own nonce: a reflected or replayed message"
            ),
            Finding::Repeated {
                value,
                first,
                again,
            } => write!(
                f,
                "run {again}: {value} repeats the one of run {first}: the random number generator repeats itself{}",
                pixie(value)
            ),
            Finding::PublicKeyReused { first, again } => write!(
                f,
                "run {again}: the Diffie-Hellman public key of run {first} was used again: whoever learns one private key reads both runs"
            ),
            Finding::DegeneratePeerKey { run, kind } => write!(
                f,
                "run {run}: the peer sent a degenerate Diffie-Hellman public key ({}): an honest device never does; this looks like an attack",
                match kind {
                    DegenerateKey::Small => "a tiny number such as 1 or 2",
                    DegenerateKey::NearPrime =>
                        "p minus a tiny number, such as p-1 or p-2, or p and above",
                    DegenerateKey::BadLength => "of the wrong length",
                }
            ),
            Finding::LabelPinRepeated { first, again } => write!(
                f,
                "run {again}: the label PIN is the same as on the device of run {first}: label PINs are not random"
            ),
        }
    }
}

fn pixie(value: &Value) -> &'static str {
    match value {
        Value::Nonce(_) => "",
        _ => " (Pixie Dust: the PIN can be found offline)",
    }
}

/// The findings for a set of runs of one device (or of one batch of devices). Every run
/// is compared with every other: meant for batches of up to some thousands of runs.
pub fn audit(runs: &[Run]) -> Vec<Finding> {
    let mut findings = Vec::new();
    for run in runs {
        check_run(run, &mut findings);
    }
    for (i, later) in runs.iter().enumerate() {
        for earlier in runs.iter().take(i) {
            check_pair(earlier, later, &mut findings);
        }
    }
    findings
}

fn check_run(run: &Run, findings: &mut Vec<Finding>) {
    let side = run.side;
    let name = || run.name.clone();
    let values = [
        (Value::Nonce(side), run.own_nonce),
        (Value::SecretNonce1(side), run.secret_nonce_1),
        (Value::SecretNonce2(side), run.secret_nonce_2),
    ];
    for (value, bytes) in values {
        if same_secret(bytes, Some([0; 16])) {
            findings.push(Finding::Zero { run: name(), value });
        }
    }
    if run.own_nonce.is_some() && run.own_nonce == run.peer_nonce {
        findings.push(Finding::NonceEchoed { run: name() });
    }
    if same_secret(run.secret_nonce_1, run.secret_nonce_2) {
        findings.push(Finding::SecretNoncesEqual { run: name(), side });
    }
    let nonces = [run.own_nonce, run.peer_nonce];
    for (value, secret) in [
        (Value::SecretNonce1(side), run.secret_nonce_1),
        (Value::SecretNonce2(side), run.secret_nonce_2),
    ] {
        if nonces.iter().any(|n| same_secret(secret, *n)) {
            findings.push(Finding::SecretNonceIsNonce { run: name(), value });
        }
    }
    if let Some(key) = &run.peer_public_key
        && let Some(kind) = degenerate(key)
    {
        findings.push(Finding::DegeneratePeerKey { run: name(), kind });
    }
}

fn check_pair(earlier: &Run, later: &Run, findings: &mut Vec<Finding>) {
    let pair = |value| Finding::Repeated {
        value,
        first: earlier.name.clone(),
        again: later.name.clone(),
    };
    if same_secret(earlier.own_nonce, later.own_nonce) {
        findings.push(pair(Value::Nonce(later.side)));
    }
    if same_secret(earlier.secret_nonce_1, later.secret_nonce_1) {
        findings.push(pair(Value::SecretNonce1(later.side)));
    }
    if same_secret(earlier.secret_nonce_2, later.secret_nonce_2) {
        findings.push(pair(Value::SecretNonce2(later.side)));
    }
    if earlier.own_public_key.is_some() && earlier.own_public_key == later.own_public_key {
        findings.push(Finding::PublicKeyReused {
            first: earlier.name.clone(),
            again: later.name.clone(),
        });
    }
    let other_device = matches!((earlier.device, later.device), (Some(a), Some(b)) if a != b);
    if other_device && earlier.label_pin.is_some() && earlier.label_pin == later.label_pin {
        findings.push(Finding::LabelPinRepeated {
            first: earlier.name.clone(),
            again: later.name.clone(),
        });
    }
}

/// Both known and equal, compared in constant time (they may be secret nonces).
fn same_secret(a: Option<[u8; 16]>, b: Option<[u8; 16]>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => bool::from(a.ct_eq(&b)),
        _ => false,
    }
}

/// Whether a received public key is degenerate: within 2⁶⁴ of 0 or of p, or p and above.
fn degenerate(key: &[u8]) -> Option<DegenerateKey> {
    let p = &crate::crypto::P;
    if !(190..=p.len()).contains(&key.len()) {
        return Some(DegenerateKey::BadLength);
    }
    // Big-endian, zero-padded to 192 bytes: the top 184 bytes decide. All zero: below
    // 2⁶⁴; equal to p's or above: above p − 2⁶⁴.
    let pad = p.len().saturating_sub(key.len());
    let byte = |i: usize| {
        i.checked_sub(pad)
            .and_then(|j| key.get(j))
            .copied()
            .unwrap_or(0)
    };
    let split = p.len().saturating_sub(8);
    let high_zero = (0..split).all(|i| byte(i) == 0);
    if high_zero {
        return Some(DegenerateKey::Small);
    }
    // Big-endian comparison of the top 184 bytes with p's: equal or above means the
    // value is above p − 2⁶⁴.
    let high = (0..split).map(byte);
    let p_high = p.iter().take(split).copied();
    if high.cmp(p_high).is_ge() {
        return Some(DegenerateKey::NearPrime);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degenerate_keys() {
        let p = crate::crypto::P;
        let mut two = [0u8; 192];
        two[191] = 2;
        assert_eq!(degenerate(&two), Some(DegenerateKey::Small));
        let mut p_minus_2 = p;
        p_minus_2[191] -= 2;
        assert_eq!(degenerate(&p_minus_2), Some(DegenerateKey::NearPrime));
        let mut p_minus_1 = p;
        p_minus_1[191] -= 1;
        assert_eq!(degenerate(&p_minus_1), Some(DegenerateKey::NearPrime));
        // Just below p − 2⁶⁴: a fine key.
        let mut below = p;
        below[183] -= 1;
        assert_eq!(degenerate(&below), None);
        assert_eq!(degenerate(&[0xff; 192]), Some(DegenerateKey::NearPrime));
        assert_eq!(degenerate(&[1u8; 192]), None);
        assert_eq!(degenerate(&[1u8; 10]), Some(DegenerateKey::BadLength));
    }
}
