//! In-memory harness: an enrollee and a registrar session wired back to back, with
//! simulated time and an optional hook that tampers with messages in flight.
#![allow(dead_code)]

use wps::attr::{MacAddr, MessageType, Uuid};
use wps::pin::DevicePassword;
use wps::registration::*;
use wps::time::Instant;

/// Which side sent a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Enrollee,
    Registrar,
}

/// One message on the wire.
#[derive(Debug, Clone)]
pub struct Sent {
    pub from: Side,
    pub op_code: OpCode,
    pub message_type: MessageType,
    pub bytes: Vec<u8>,
}

/// Deterministic RNG for tests (xorshift; not for real use).
pub struct TestRng(pub u64);

impl rand_core::TryRng for TestRng {
    type Error = core::convert::Infallible;
    fn try_next_u32(&mut self) -> Result<u32, Self::Error> {
        Ok(self.try_next_u64()? as u32)
    }
    fn try_next_u64(&mut self) -> Result<u64, Self::Error> {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        Ok(self.0)
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Self::Error> {
        for chunk in dst.chunks_mut(8) {
            let v = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
        Ok(())
    }
}
impl rand_core::TryCryptoRng for TestRng {}

pub fn printer() -> DeviceInfo {
    DeviceInfo::new(Uuid([0x11; 16]), MacAddr([2, 0, 0, 0, 0x0b, 1]), "printer")
}

pub fn router() -> DeviceInfo {
    let mut d = DeviceInfo::new(Uuid([0x22; 16]), MacAddr([2, 0, 0, 0, 0x0a, 1]), "router");
    d.config_methods = wps::attr::ConfigMethods::from(0x210c);
    d
}

pub fn home() -> NetworkSettings {
    NetworkSettings::wpa2_personal(b"home", b"correct horse battery").unwrap()
}

pub fn pw(s: &str) -> DevicePassword {
    // Raw digits: wrong-PIN tests use PINs with bad checksums, as the vectors do.
    DevicePassword::from_bytes(s.as_bytes()).unwrap()
}

/// A station enrollee and an internal registrar.
pub struct Pair {
    pub enrollee: Enrollee,
    pub registrar: RegistrarSession,
    pub now: Instant,
}

impl Pair {
    pub fn new(enrollee: EnrolleeConfig, registrar: RegistrarConfig, seed: u64) -> Self {
        let mut rng = TestRng(seed | 1);
        let now = Instant::ZERO;
        Pair {
            enrollee: Enrollee::new(enrollee, SessionSecrets::generate(&mut rng), now),
            registrar: RegistrarSession::new(registrar, SessionSecrets::generate(&mut rng), now),
            now,
        }
    }

    pub fn station(password: DevicePassword, seed: u64) -> Self {
        Pair::new(
            EnrolleeConfig::station(printer(), password),
            RegistrarConfig::internal(router(), vec![home()]),
            seed,
        )
    }

    /// Runs to the end, no tampering.
    pub fn run<P: PasswordSource>(&mut self, passwords: &mut P) -> Vec<Sent> {
        self.run_with(passwords, |_, m| vec![m])
    }

    /// Runs to the end; `tamper(index, message)` decides what is delivered instead of
    /// message number `index` (none, one or several messages).
    pub fn run_with<P: PasswordSource>(
        &mut self,
        passwords: &mut P,
        mut tamper: impl FnMut(usize, Sent) -> Vec<Sent>,
    ) -> Vec<Sent> {
        let mut log = Vec::new();
        let first = self.enrollee.start(self.now);
        let mut pending = vec![sent(Side::Enrollee, first)];
        let mut index = 0;
        let mut guard = 0;
        while let Some(m) = pending.pop() {
            guard += 1;
            assert!(guard < 100, "runaway exchange");
            log.push(m.clone());
            let delivered = tamper(index, m);
            index += 1;
            let mut replies = Vec::new();
            for d in delivered {
                let reply = match d.from {
                    Side::Enrollee => self
                        .registrar
                        .handle(&d.bytes, self.now, passwords)
                        .map(|o| sent(Side::Registrar, o)),
                    Side::Registrar => self
                        .enrollee
                        .handle(&d.bytes, self.now)
                        .map(|o| sent(Side::Enrollee, o)),
                };
                replies.extend(reply);
            }
            // Only the last reply continues the exchange (like an EAP layer would).
            if let Some(r) = replies.pop() {
                pending.push(r);
            }
        }
        log
    }
}

pub fn sent(from: Side, o: Outgoing) -> Sent {
    Sent {
        from,
        op_code: o.op_code,
        message_type: o.message_type,
        bytes: o.bytes,
    }
}

pub fn names(log: &[Sent]) -> Vec<MessageType> {
    log.iter().map(|s| s.message_type).collect()
}

pub fn events_of_enrollee(e: &mut Enrollee) -> Vec<Event> {
    core::iter::from_fn(|| e.poll_event()).collect()
}

pub fn events_of_registrar(r: &mut RegistrarSession) -> Vec<Event> {
    core::iter::from_fn(|| r.poll_event()).collect()
}

pub fn failure(events: &[Event]) -> Option<Failure> {
    events.iter().find_map(|e| match e {
        Event::Failure(f) => Some(*f),
        _ => None,
    })
}

pub fn credentials(events: &[Event]) -> Vec<Credential> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Credential(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}
