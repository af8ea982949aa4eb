//! EAP-WSC reassembly fed structured fragment sequences: raw frames with any flags,
//! Message Length and data, and real messages cut by the `Fragmenter` (optionally with
//! one fragment dropped or repeated).
//!
//! The slice-backed `Reassembler` (with room for the largest message) and the
//! `VecReassembler` must agree step for step; a small slice-backed one must never
//! panic; a message fragmented from a clean state must come back byte for byte.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use wps::eap::{
    Flags, Fragmenter, MAX_MESSAGE_LEN, OpCode, Reassembled, Reassembler, ReassemblyError,
    VecReassembler, WscFrame,
};

#[derive(Arbitrary, Debug)]
enum Step {
    Frame {
        op: u8,
        flags: u8,
        msg_len: Option<u16>,
        data: Vec<u8>,
    },
    Message {
        op: u8,
        message: Vec<u8>,
        fragment_size: u16,
        /// 0 = deliver all; otherwise drop (odd) or repeat (even) fragment `mangle / 2`.
        mangle: u8,
    },
    Reset,
}

#[derive(Arbitrary, Debug)]
struct Case {
    small_buf: u16,
    steps: Vec<Step>,
}

type Out = Result<Option<(OpCode, Vec<u8>)>, ReassemblyError>;

fn owned(r: Result<Reassembled<'_>, ReassemblyError>) -> Out {
    r.map(|r| match r {
        Reassembled::NeedFragAck => None,
        Reassembled::Complete { op_code, message } => Some((op_code, message.to_vec())),
    })
}

struct All<'b> {
    big: Reassembler<'b>,
    small: Reassembler<'b>,
    vec: VecReassembler,
}

impl All<'_> {
    fn push(&mut self, f: &WscFrame<'_>) -> Out {
        let a = owned(self.big.push(f));
        let b = owned(self.vec.push(f));
        assert_eq!(a, b, "slice and Vec reassemblers disagree on {f:?}");
        assert_eq!(self.big.is_pending(), self.vec.is_pending());
        if let Ok(Some((_, m))) = &a {
            assert!(m.len() <= MAX_MESSAGE_LEN.max(f.data.len()));
        }
        let _ = owned(self.small.push(f));
        a
    }
}

fuzz_target!(|case: Case| {
    let mut big_buf = vec![0u8; MAX_MESSAGE_LEN];
    let mut small_buf = vec![0u8; usize::from(case.small_buf) % 4096];
    let mut r = All {
        big: Reassembler::new(&mut big_buf),
        small: Reassembler::new(&mut small_buf),
        vec: VecReassembler::new(),
    };
    for step in &case.steps {
        match step {
            Step::Frame {
                op,
                flags,
                msg_len,
                data,
            } => {
                let f = WscFrame {
                    op_code: OpCode::from(*op),
                    flags: Flags::from(*flags),
                    msg_len: *msg_len,
                    data,
                };
                let _ = r.push(&f);
            }
            Step::Message {
                op,
                message,
                fragment_size,
                mangle,
            } => {
                let op = OpCode::from(*op);
                let Ok(frags) = Fragmenter::new(op, message, usize::from(*fragment_size)) else {
                    continue;
                };
                let mut frames: Vec<WscFrame<'_>> = frags.collect();
                let clean = !r.big.is_pending() && *mangle == 0;
                if *mangle != 0 {
                    let i = usize::from(*mangle / 2) % frames.len();
                    if *mangle % 2 == 1 {
                        frames.remove(i);
                    } else {
                        let f = frames[i];
                        frames.insert(i, f);
                    }
                }
                let mut last = Ok(None);
                for f in &frames {
                    last = r.push(f);
                }
                if clean && message.len() <= MAX_MESSAGE_LEN {
                    assert_eq!(
                        last,
                        Ok(Some((op, message.clone()))),
                        "lost a clean message"
                    );
                    assert!(!r.big.is_pending());
                }
            }
            Step::Reset => {
                r.big.reset();
                r.small.reset();
                r.vec.reset();
            }
        }
    }
});
