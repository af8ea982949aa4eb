//! The EAP-WSC method drivers (`WscPeer`, `WscServer`) wired back to back, with the
//! fuzzer choosing what the registration handlers answer, injecting or corrupting
//! packets on the link and advancing time.
#![no_main]

use core::time::Duration;
use wps::time::Instant;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wps::eap::{
    Action, EapPacket, OpCode, Outcome, PeerRole, ServerRole, WscHandler, WscPeer, WscServer,
};

#[derive(Arbitrary, Debug, Clone)]
enum Answer {
    Send { op: u8, len: u16, fill: u8 },
    Finished,
    Ignore,
}

struct Scripted<'a> {
    answers: &'a [Answer],
    next: usize,
}

impl WscHandler for Scripted<'_> {
    fn handle(&mut self, _op: OpCode, message: &[u8], _now: Instant) -> Outcome {
        let _ = wps::attr::Attributes::parse(message);
        let Some(a) = self.answers.get(self.next % self.answers.len().max(1)) else {
            return Outcome::Ignore;
        };
        self.next += 1;
        match a {
            Answer::Send { op, len, fill } => Outcome::Send {
                op_code: OpCode::from(*op),
                message: vec![*fill; usize::from(*len) % 3000],
            },
            Answer::Finished => Outcome::Finished,
            Answer::Ignore => Outcome::Ignore,
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Event {
    /// Deliver what the server last sent to the peer, `xor` applied at `pos` if non-zero.
    ToPeer { pos: u16, xor: u8 },
    /// Deliver what the peer last sent to the server.
    ToServer { pos: u16, xor: u8 },
    /// Arbitrary bytes to one side.
    Inject { to_peer: bool, bytes: Vec<u8> },
    /// Time passes, then both sides are polled.
    Advance { ms: u32 },
    /// EAPOL-Start: the server begins again.
    Start,
}

#[derive(Arbitrary, Debug)]
struct Case {
    peer_registrar: bool,
    server_enrollee: bool,
    fragment_size: u16,
    first_id: u8,
    /// Any start time in milliseconds, up to `Instant::MAX`: deadlines must saturate, not panic.
    start: u64,
    peer_answers: Vec<Answer>,
    server_answers: Vec<Answer>,
    events: Vec<Event>,
}

fn check_sent(bytes: &[u8], fragment_size: usize) {
    let p = EapPacket::parse(bytes).expect("a driver sent a malformed EAP packet");
    if let Some(f) = p.wsc_frame() {
        // Op-Code, Flags, optional Message Length, data: at most fragment_size.
        assert!(
            f.wsc_len() <= fragment_size.max(4),
            "fragment over the limit"
        );
    }
}

fn record(a: Action<'_>, slot: &mut Vec<u8>, fragment_size: usize) {
    if let Action::Send(b) = a {
        check_sent(b, fragment_size);
        slot.clear();
        slot.extend_from_slice(b);
    }
}

fn corrupt(b: &[u8], pos: u16, xor: u8) -> Vec<u8> {
    let mut v = b.to_vec();
    if xor != 0 && !v.is_empty() {
        let i = usize::from(pos) % v.len();
        v[i] ^= xor;
    }
    v
}

fuzz_target!(|case: Case| {
    let fragment_size = usize::from(case.fragment_size);
    let peer_role = if case.peer_registrar {
        PeerRole::Registrar
    } else {
        PeerRole::Enrollee
    };
    let server_role = if case.server_enrollee {
        ServerRole::Enrollee
    } else {
        ServerRole::Registrar
    };
    let (Ok(mut peer), Ok(mut server)) = (
        WscPeer::new(peer_role, fragment_size),
        WscServer::new(server_role, fragment_size, case.first_id),
    ) else {
        return;
    };
    let mut peer_h = Scripted {
        answers: &case.peer_answers,
        next: 0,
    };
    let mut server_h = Scripted {
        answers: &case.server_answers,
        next: 0,
    };
    let mut now = Instant::from_millis(case.start);
    let (mut to_peer, mut to_server) = (Vec::new(), Vec::new());
    record(server.start(now), &mut to_peer, fragment_size);
    for e in &case.events {
        // A frame for the peer (true) or the server, as sent or changed on the way.
        let delivery = match e {
            Event::ToPeer { pos, xor } => Some((true, corrupt(&to_peer, *pos, *xor))),
            Event::ToServer { pos, xor } => Some((false, corrupt(&to_server, *pos, *xor))),
            Event::Inject { to_peer, bytes } => Some((*to_peer, bytes.clone())),
            Event::Advance { ms } => {
                now = now.saturating_add(Duration::from_millis(u64::from(*ms)));
                record(peer.poll(now), &mut to_server, fragment_size);
                record(server.poll(now), &mut to_peer, fragment_size);
                None
            }
            Event::Start => {
                record(server.start(now), &mut to_peer, fragment_size);
                None
            }
        };
        match delivery {
            Some((true, b)) => {
                if let Ok(a) = peer.receive(&b, now, &mut peer_h) {
                    record(a, &mut to_server, fragment_size);
                }
            }
            Some((false, b)) => {
                if let Ok(a) = server.receive(&b, now, &mut server_h) {
                    record(a, &mut to_peer, fragment_size);
                }
            }
            None => {}
        }
        for d in [peer.next_deadline(), server.next_deadline()]
            .into_iter()
            .flatten()
        {
            assert!(d >= now || d.saturating_add(Duration::from_secs(3600)) >= now);
        }
        let _ = (peer.method_done(), peer.is_finished(), server.is_finished());
        let _ = server.failure_reason();
    }
});
