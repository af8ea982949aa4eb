//! The EAP-WSC method drivers against real conversations: fed hostapd's
//! frames, our peer answers exactly what wpa_supplicant answered; fed
//! wpa_supplicant's frames, our server asks exactly what hostapd asked
//! (identifiers, fragments, WSC_FRAG_ACKs, the final EAP-Failure).

use std::collections::VecDeque;
use std::time::Duration;
use wps::time::Instant;

use serde_json::Value;
use wps::eap::{
    Action, Code, EapPacket, EapolPacket, EapolType, OpCode, Outcome, PeerRole, ServerRole,
    WscHandler, WscPeer, WscServer,
};
use wps_testkit::vectors::{self, hex};

/// Plays one side of a recorded run: checks every message it gets against the
/// recording and answers with the recorded reply.
struct Scripted {
    expect: VecDeque<(u8, Vec<u8>)>,
    send: VecDeque<(u8, Vec<u8>)>,
    calls: usize,
}

impl Scripted {
    fn new(json: &Value, side: &str) -> Self {
        let mut expect = VecDeque::new();
        let mut send = VecDeque::new();
        for m in json["messages"].as_array().unwrap() {
            let op = m["op_code_value"].as_u64().unwrap() as u8;
            let wsc = hex(&m["wsc"]);
            if m["sender"] == side {
                // the server driver sends WSC_Start itself
                if op != 1 {
                    send.push_back((op, wsc));
                }
            } else {
                expect.push_back((op, wsc));
            }
        }
        Scripted {
            expect,
            send,
            calls: 0,
        }
    }
}

impl WscHandler for Scripted {
    fn handle(&mut self, op_code: OpCode, message: &[u8], _now: Instant) -> Outcome {
        self.calls += 1;
        let synthetic_start =
            op_code == OpCode::Start && self.expect.front().map(|e| e.0) != Some(1);
        if !synthetic_start {
            let (op, wsc) = self.expect.pop_front().expect("unexpected message");
            assert_eq!((u8::from(op_code), message), (op, &wsc[..]));
        }
        match self.send.pop_front() {
            Some((op, message)) => Outcome::Send {
                op_code: op.into(),
                message,
            },
            None => Outcome::Finished,
        }
    }
}

/// (dir, EAP packet) for every EAP-Packet frame of a run.
fn eap_frames(run: &str) -> (Vec<(String, Vec<u8>)>, Value) {
    let json = vectors::run(run);
    let dirs: Vec<String> = json["eap_frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["dir"].as_str().unwrap().to_owned())
        .collect();
    let frames = vectors::eapol_frames(run)
        .into_iter()
        .zip(dirs)
        .filter_map(|(f, dir)| {
            let p = EapolPacket::parse(&f.payload).unwrap();
            (p.packet_type == EapolType::EapPacket).then(|| (dir, p.body.to_vec()))
        })
        .collect();
    (frames, json)
}

const RUNS: &[(&str, PeerRole, usize)] = &[
    ("hostapd-run-1", PeerRole::Enrollee, 1398),
    ("hostapd-run-2-er-new-settings", PeerRole::Registrar, 1398),
    ("hostapd-run-3-frag100", PeerRole::Enrollee, 100),
    (
        "hostapd-run-4-wrong-pin-first-half",
        PeerRole::Enrollee,
        1398,
    ),
    (
        "hostapd-run-5-wrong-pin-second-half",
        PeerRole::Enrollee,
        1398,
    ),
    ("hostapd-run-8-pbc", PeerRole::Enrollee, 1398),
];

#[test]
fn peer_replays_wpa_supplicant() {
    for &(run, role, frag) in RUNS {
        let (frames, json) = eap_frames(run);
        let mut handler = Scripted::new(&json, "sta");
        let mut peer = WscPeer::new(role, frag).unwrap();
        let mut t = Instant::ZERO;
        let mut i = 0;
        while i < frames.len() {
            let (dir, bytes) = &frames[i];
            assert_eq!(dir, "ap->sta", "{run} frame {i}");
            t += Duration::from_millis(1);
            match peer.receive(bytes, t, &mut handler).unwrap() {
                Action::Send(out) => {
                    let (dir, want) = &frames[i + 1];
                    assert_eq!(dir, "sta->ap");
                    assert_eq!(out, &want[..], "{run} answer to frame {i}");
                    i += 2;
                }
                Action::Finished => {
                    assert_eq!(i, frames.len() - 1, "{run}");
                    i += 1;
                }
                Action::Nothing => panic!("{run}: no answer to frame {i}"),
            }
        }
        assert!(peer.is_finished());
        assert!(
            handler.expect.is_empty() && handler.send.is_empty(),
            "{run}"
        );
    }
}

#[test]
fn server_replays_hostapd() {
    for &(run, role, frag) in RUNS {
        let (frames, json) = eap_frames(run);
        let mut handler = Scripted::new(&json, "ap");
        let role = match role {
            PeerRole::Enrollee => ServerRole::Registrar,
            PeerRole::Registrar => ServerRole::Enrollee,
        };
        let first_id = EapPacket::parse(&frames[0].1).unwrap().identifier;
        let frag = if frag == 1398 { 1400 } else { frag };
        let mut server = WscServer::new(role, frag, first_id).unwrap();
        let mut t = Instant::ZERO;
        let Action::Send(out) = server.start(t) else {
            panic!()
        };
        assert_eq!(out, &frames[0].1[..]);
        for pair in frames[1..].chunks(2) {
            let [(d1, resp), (d2, req)] = pair else {
                panic!("{run}: odd frame count")
            };
            assert_eq!((d1.as_str(), d2.as_str()), ("sta->ap", "ap->sta"));
            t += Duration::from_millis(1);
            match server.receive(resp, t, &mut handler).unwrap() {
                Action::Send(out) => assert_eq!(out, &req[..], "{run}"),
                other => panic!("{run}: {other:?}"),
            }
        }
        assert!(server.is_finished(), "{run}");
        assert_eq!(server.failure_reason(), None, "{run}");
        assert!(
            handler.expect.is_empty() && handler.send.is_empty(),
            "{run}"
        );
    }
}

/// A toy registration: the enrollee sends `n` messages of growing size, the
/// registrar echoes each reversed; the enrollee ends with WSC_Done.
struct Toy {
    enrollee: bool,
    sizes: Vec<usize>,
    step: usize,
    got: Vec<Vec<u8>>,
}

impl WscHandler for Toy {
    fn handle(&mut self, op_code: OpCode, message: &[u8], _now: Instant) -> Outcome {
        self.got.push(message.to_vec());
        if self.enrollee {
            if op_code != OpCode::Start {
                let mine = self.msg(self.step - 1);
                assert_eq!(message, mine.iter().rev().copied().collect::<Vec<_>>());
            }
            self.step += 1;
            if self.step > self.sizes.len() {
                return Outcome::Send {
                    op_code: OpCode::Done,
                    message: vec![0xd0; 3],
                };
            }
            Outcome::Send {
                op_code: OpCode::Msg,
                message: self.msg(self.step - 1),
            }
        } else if op_code == OpCode::Done {
            Outcome::Finished
        } else {
            Outcome::Send {
                op_code: OpCode::Msg,
                message: message.iter().rev().copied().collect(),
            }
        }
    }
}

impl Toy {
    fn msg(&self, i: usize) -> Vec<u8> {
        (0..self.sizes[i]).map(|b| (b * 7 + i) as u8).collect()
    }
}

fn loopback(frag_peer: usize, frag_server: usize, sizes: Vec<usize>) -> (Toy, Toy, usize) {
    let mut enrollee = Toy {
        enrollee: true,
        sizes: sizes.clone(),
        step: 0,
        got: vec![],
    };
    let mut registrar = Toy {
        enrollee: false,
        sizes,
        step: 0,
        got: vec![],
    };
    let mut peer = WscPeer::new(PeerRole::Enrollee, frag_peer).unwrap();
    let mut server = WscServer::new(ServerRole::Registrar, frag_server, 200).unwrap();
    let t = Instant::ZERO;
    let mut req = match server.start(t) {
        Action::Send(b) => b.to_vec(),
        a => panic!("{a:?}"),
    };
    let mut packets = 0;
    loop {
        packets += 1;
        let resp = match peer.receive(&req, t, &mut enrollee).unwrap() {
            Action::Send(b) => b.to_vec(),
            Action::Finished => break,
            Action::Nothing => panic!("peer silent"),
        };
        req = match server.receive(&resp, t, &mut registrar).unwrap() {
            Action::Send(b) => b.to_vec(),
            a => panic!("{a:?}"),
        };
        assert_eq!(
            EapPacket::parse(&req).unwrap().code == Code::Failure,
            server.is_finished()
        );
    }
    assert!(peer.method_done());
    assert_eq!(server.failure_reason(), None);
    (enrollee, registrar, packets)
}

#[test]
fn our_peer_and_server_talk_at_every_fragment_size() {
    for (fp, fs) in [(1400, 1400), (100, 1400), (1400, 50), (5, 7), (50, 50)] {
        let (e, r, packets) = loopback(fp, fs, vec![0, 1, 300, 1000, 49, 2000]);
        assert_eq!(r.got.len(), 7, "{fp}/{fs}");
        assert_eq!(e.got.len(), 7);
        assert!(packets >= 9);
    }
}

#[test]
fn a_longer_retransmission_schedule_resends_every_5_s_until_it_runs_out() {
    let mut server = WscServer::new(ServerRole::Registrar, 1400, 1).unwrap();
    server.set_max_retransmissions(wps::ap::AP_MAX_RETRANS);
    let first = match server.start(Instant::ZERO) {
        Action::Send(b) => b.to_vec(),
        a => panic!("{a:?}"),
    };
    for n in 1..=u64::from(wps::ap::AP_MAX_RETRANS) {
        assert_eq!(
            server.poll(Instant::from_secs(5 * n)),
            Action::Send(&first[..])
        );
    }
    assert_eq!(server.poll(Instant::from_secs(60)), Action::Finished);
    assert_eq!(
        server.failure_reason(),
        Some(wps::eap::DriverError::Timeout)
    );
}

#[test]
fn retransmission_and_timeouts() {
    let mut server = WscServer::new(ServerRole::Registrar, 1400, 1).unwrap();
    let first = match server.start(Instant::ZERO) {
        Action::Send(b) => b.to_vec(),
        a => panic!("{a:?}"),
    };
    assert_eq!(server.next_deadline(), Some(Instant::from_secs(5)));
    assert_eq!(server.poll(Instant::from_secs(4)), Action::Nothing);
    assert_eq!(server.poll(Instant::from_secs(5)), Action::Send(&first[..]));
    assert_eq!(
        server.poll(Instant::from_secs(10)),
        Action::Send(&first[..])
    );
    assert_eq!(server.poll(Instant::from_secs(15)), Action::Finished);
    assert_eq!(
        server.failure_reason(),
        Some(wps::eap::DriverError::Timeout)
    );

    // the peer answers a retransmitted Request with the same Response
    let mut toy = Toy {
        enrollee: true,
        sizes: vec![10],
        step: 0,
        got: vec![],
    };
    let mut peer = WscPeer::new(PeerRole::Enrollee, 1400).unwrap();
    let start = [1, 9, 0, 14, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 1, 0];
    let a = match peer.receive(&start, Instant::ZERO, &mut toy).unwrap() {
        Action::Send(b) => b.to_vec(),
        x => panic!("{x:?}"),
    };
    let b = match peer
        .receive(&start, Instant::from_secs(1), &mut toy)
        .unwrap()
    {
        Action::Send(b) => b.to_vec(),
        x => panic!("{x:?}"),
    };
    assert_eq!(a, b);
    assert_eq!(toy.got.len(), 1, "the handler saw the message once");
    assert_eq!(peer.poll(Instant::from_secs(30)), Action::Nothing);
    assert_eq!(peer.poll(Instant::from_secs(31)), Action::Finished);
}

#[test]
fn server_rejects_wrong_identity_and_stale_ids() {
    let mut toy = Toy {
        enrollee: false,
        sizes: vec![],
        step: 0,
        got: vec![],
    };
    let mut server = WscServer::new(ServerRole::Registrar, 1400, 5).unwrap();
    let _ = server.start(Instant::ZERO);
    let mut stale = vec![2, 4, 0, 34, 1];
    stale.extend_from_slice(wps::eap::IDENTITY_ENROLLEE);
    assert_eq!(
        server.receive(&stale, Instant::ZERO, &mut toy),
        Err(wps::eap::DriverError::WrongIdentifier {
            expected: 5,
            got: 4
        })
    );
    let mut other = vec![2, 5, 0, 35, 1];
    other.extend_from_slice(wps::eap::IDENTITY_REGISTRAR);
    assert_eq!(
        server.receive(&other, Instant::ZERO, &mut toy),
        Ok(Action::Send(&[4, 5, 0, 4][..]))
    );
    assert_eq!(
        server.failure_reason(),
        Some(wps::eap::DriverError::UnknownIdentity)
    );
}

/// A handler whose answer comes later (an access point waiting for its external
/// registrar): the server sends nothing, does not retransmit, sends the answer on
/// `resume`, and ends with EAP-Failure after `PENDING_TIMEOUT` without one.
struct Later;

impl WscHandler for Later {
    fn handle(&mut self, _: OpCode, _: &[u8], _: Instant) -> Outcome {
        Outcome::Pending
    }
}

#[test]
fn a_pending_answer_waits_for_resume_or_times_out() {
    let identity = |id: u8| {
        let mut r = vec![2, id, 0, 34, 1];
        r.extend_from_slice(b"WFA-SimpleConfig-Enrollee-1-0");
        r
    };
    let m1 = |id: u8| {
        vec![
            2, id, 0, 16, 254, 0, 0x37, 0x2a, 0, 0, 0, 1, 4, 0, 0x10, 0x4a,
        ]
    };
    for resumed in [true, false] {
        let mut server = WscServer::new(ServerRole::Registrar, 1400, 1).unwrap();
        server.start(Instant::ZERO);
        server
            .receive(&identity(1), Instant::ZERO, &mut Later)
            .unwrap();
        // M1: the handler has no answer yet
        assert_eq!(
            server.receive(&m1(2), Instant::ZERO, &mut Later).unwrap(),
            Action::Nothing
        );
        assert!(server.is_pending());
        assert_eq!(server.next_deadline(), Some(Instant::from_secs(5)));
        // no retransmission while waiting, and a stray Response is not handed over
        assert_eq!(server.poll(Instant::from_secs(4)), Action::Nothing);
        assert_eq!(
            server
                .receive(&m1(2), Instant::from_secs(4), &mut Later)
                .unwrap(),
            Action::Nothing
        );
        if resumed {
            let answer = Outcome::Send {
                op_code: OpCode::Msg,
                message: vec![0x10, 0x4a, 0, 1, 0x10],
            };
            let Action::Send(req) = server.resume(answer, Instant::from_secs(4)) else {
                panic!("the answer is sent");
            };
            assert_eq!(req[..2], [1, 3]);
            assert!(!server.is_pending());
            assert_eq!(server.next_deadline(), Some(Instant::from_secs(9)));
        } else {
            let Action::Send(failure) = server.poll(Instant::from_secs(5)) else {
                panic!("EAP-Failure");
            };
            assert_eq!(failure, [4, 2, 0, 4]);
            assert!(server.is_finished());
            assert_eq!(
                server.failure_reason(),
                Some(wps::eap::DriverError::Timeout)
            );
            assert_eq!(
                server.resume(Outcome::Finished, Instant::from_secs(6)),
                Action::Nothing
            );
        }
    }
}
