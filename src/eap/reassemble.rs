//! Putting EAP-WSC fragments back together, with hard bounds: a peer can make
//! us hold at most [`MAX_MESSAGE_LEN`] bytes, and only as many as it declared
//! in the first fragment and actually sent.

use super::packet::{OpCode, WscFrame};

/// Largest WSC message accepted (hostapd's limit).
pub const MAX_MESSAGE_LEN: usize = 50_000;

/// Result of feeding one frame to a reassembler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reassembled<'m> {
    /// A non-final fragment was stored: answer with WSC_FRAG_ACK.
    NeedFragAck,
    /// A whole message.
    Complete {
        /// The Op-Code all its fragments carried.
        op_code: OpCode,
        /// The reassembled WSC message (borrowed from the frame if it was not fragmented).
        message: &'m [u8],
    },
}

/// Why a fragment was refused. After any error the reassembler is empty again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReassemblyError {
    /// A first fragment (MF set, nothing pending) without the Message Length field.
    #[error("first fragment has no Message Length field")]
    MissingLength,
    /// A Message Length field on a fragment that is not the first.
    #[error("Message Length field in a non-first fragment")]
    UnexpectedLength,
    /// Message Length smaller than the data this packet already carries.
    #[error("Message Length {declared} smaller than the {carried} bytes carried")]
    LengthTooShort {
        /// The Message Length field.
        declared: usize,
        /// Data bytes in the packet.
        carried: usize,
    },
    /// Message Length above [`MAX_MESSAGE_LEN`].
    #[error("Message Length {0} exceeds the limit")]
    MessageTooLong(usize),
    /// Message Length larger than the caller's buffer.
    #[error("Message Length {declared} exceeds the buffer of {capacity} bytes")]
    BufferTooSmall {
        /// The Message Length field.
        declared: usize,
        /// The buffer size.
        capacity: usize,
    },
    /// Fragments add up to more than the Message Length.
    #[error("fragment overflows the declared length {declared}")]
    Overflow {
        /// The Message Length field.
        declared: usize,
    },
    /// The last fragment arrived before the declared length was reached.
    #[error("message ended after {received} of {declared} bytes")]
    Underflow {
        /// The Message Length field.
        declared: usize,
        /// Bytes received.
        received: usize,
    },
    /// A fragment's Op-Code differs from the first fragment's.
    #[error("fragment Op-Code {got:?} differs from {expected:?}")]
    OpCodeMismatch {
        /// Op-Code of the first fragment.
        expected: OpCode,
        /// Op-Code of this fragment.
        got: OpCode,
    },
}

/// Where the pending message lives.
trait Storage {
    fn reserve(&mut self, declared: usize) -> Result<(), ReassemblyError>;
    fn clear(&mut self);
    fn append(&mut self, at: usize, data: &[u8]);
    fn get(&self, len: usize) -> &[u8];
}

impl Storage for &mut [u8] {
    fn reserve(&mut self, declared: usize) -> Result<(), ReassemblyError> {
        if declared > self.len() {
            return Err(ReassemblyError::BufferTooSmall {
                declared,
                capacity: self.len(),
            });
        }
        Ok(())
    }
    fn clear(&mut self) {}
    fn append(&mut self, at: usize, data: &[u8]) {
        // `Core::push` checked at + data.len() <= declared <= self.len()
        if let Some(dst) = self.get_mut(at..at.saturating_add(data.len())) {
            dst.copy_from_slice(data);
        }
    }
    fn get(&self, len: usize) -> &[u8] {
        <[u8]>::get(self, ..len).unwrap_or_default()
    }
}

#[cfg(feature = "alloc")]
impl Storage for alloc::vec::Vec<u8> {
    fn reserve(&mut self, _declared: usize) -> Result<(), ReassemblyError> {
        // Grow with the data actually received, never by the declared length.
        Ok(())
    }
    fn clear(&mut self) {
        alloc::vec::Vec::clear(self);
    }
    fn append(&mut self, _at: usize, data: &[u8]) {
        self.extend_from_slice(data);
    }
    fn get(&self, len: usize) -> &[u8] {
        <[u8]>::get(self, ..len).unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    op_code: OpCode,
    declared: usize,
    received: usize,
}

#[derive(Debug, Default)]
struct Core {
    pending: Option<Pending>,
}

impl Core {
    fn push<'s, S: Storage>(
        &mut self,
        store: &'s mut S,
        frame: &WscFrame<'s>,
    ) -> Result<Reassembled<'s>, ReassemblyError> {
        let r = self.step(store, frame);
        if r.is_err() {
            self.pending = None;
            store.clear();
        }
        match r? {
            Step::Ack => Ok(Reassembled::NeedFragAck),
            Step::Single => Ok(Reassembled::Complete {
                op_code: frame.op_code,
                message: frame.data,
            }),
            Step::Stored(op_code, len) => Ok(Reassembled::Complete {
                op_code,
                message: store.get(len),
            }),
        }
    }

    fn step<S: Storage>(
        &mut self,
        store: &mut S,
        frame: &WscFrame<'_>,
    ) -> Result<Step, ReassemblyError> {
        let carried = frame.data.len();
        let more = frame.flags.more_fragments();
        let mut p = match self.pending {
            None => {
                let declared = match frame.msg_len.map(usize::from) {
                    Some(d) => d,
                    None if more => return Err(ReassemblyError::MissingLength),
                    None => return Ok(Step::Single),
                };
                if declared < carried {
                    return Err(ReassemblyError::LengthTooShort { declared, carried });
                }
                if declared > MAX_MESSAGE_LEN {
                    return Err(ReassemblyError::MessageTooLong(declared));
                }
                if !more {
                    if declared != carried {
                        return Err(ReassemblyError::Underflow {
                            declared,
                            received: carried,
                        });
                    }
                    return Ok(Step::Single);
                }
                store.clear();
                store.reserve(declared)?;
                Pending {
                    op_code: frame.op_code,
                    declared,
                    received: 0,
                }
            }
            Some(p) => {
                if frame.op_code != p.op_code {
                    return Err(ReassemblyError::OpCodeMismatch {
                        expected: p.op_code,
                        got: frame.op_code,
                    });
                }
                if frame.msg_len.is_some() {
                    return Err(ReassemblyError::UnexpectedLength);
                }
                p
            }
        };
        // received <= declared always holds: the room cannot saturate.
        if carried > p.declared.saturating_sub(p.received) {
            return Err(ReassemblyError::Overflow {
                declared: p.declared,
            });
        }
        store.append(p.received, frame.data);
        p.received = p.received.saturating_add(carried);
        if more {
            self.pending = Some(p);
            return Ok(Step::Ack);
        }
        self.pending = None;
        if p.received != p.declared {
            return Err(ReassemblyError::Underflow {
                declared: p.declared,
                received: p.received,
            });
        }
        Ok(Step::Stored(p.op_code, p.received))
    }
}

enum Step {
    Ack,
    Single,
    Stored(OpCode, usize),
}

/// Reassembles into a caller-supplied buffer; no allocation.
///
/// ```
/// use wps::eap::{Fragmenter, OpCode, Reassembled, Reassembler};
/// let msg: Vec<u8> = (0..=255).collect();
/// let mut buf = [0u8; 1024];
/// let mut r = Reassembler::new(&mut buf);
/// let mut done = None;
/// for frame in Fragmenter::new(OpCode::Msg, &msg, 100)? {
///     if let Reassembled::Complete { message, .. } = r.push(&frame)? {
///         done = Some(message.to_vec());
///     }
/// }
/// assert_eq!(done.as_deref(), Some(&msg[..]));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub type Reassembler<'b> = ReassemblerIn<&'b mut [u8]>;

/// Reassembles into a `Vec` that grows only with data received, never beyond
/// the checked Message Length (≤ [`MAX_MESSAGE_LEN`]).
#[cfg(feature = "alloc")]
pub type VecReassembler = ReassemblerIn<alloc::vec::Vec<u8>>;

/// A reassembler over its storage: [`Reassembler`] (a caller's buffer) or
/// `VecReassembler` (a growing `Vec`); both work the same way.
#[derive(Debug)]
pub struct ReassemblerIn<S> {
    buf: S,
    core: Core,
}

impl<'b> ReassemblerIn<&'b mut [u8]> {
    /// Reassemble into `buf`; messages longer than it are refused.
    pub fn new(buf: &'b mut [u8]) -> Self {
        ReassemblerIn {
            buf,
            core: Core::default(),
        }
    }
}

#[cfg(feature = "alloc")]
impl ReassemblerIn<alloc::vec::Vec<u8>> {
    /// An empty reassembler.
    pub fn new() -> Self {
        Self::default()
    }
}

#[cfg(feature = "alloc")]
impl Default for ReassemblerIn<alloc::vec::Vec<u8>> {
    fn default() -> Self {
        ReassemblerIn {
            buf: alloc::vec::Vec::new(),
            core: Core::default(),
        }
    }
}

#[allow(private_bounds)] // `Storage` is sealed: only the two storages above exist
impl<S: Storage> ReassemblerIn<S> {
    /// Feed one received frame (not a WSC_FRAG_ACK: that is for the sender).
    pub fn push<'s>(
        &'s mut self,
        frame: &WscFrame<'s>,
    ) -> Result<Reassembled<'s>, ReassemblyError> {
        self.core.push(&mut self.buf, frame)
    }

    /// Whether part of a message is waiting for more fragments.
    pub fn is_pending(&self) -> bool {
        self.core.pending.is_some()
    }

    /// Drop any partial message.
    pub fn reset(&mut self) {
        self.core.pending = None;
        self.buf.clear();
    }
}

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::super::fragment::Fragmenter;
    use super::super::packet::Flags;
    use super::*;
    use proptest::prelude::*;
    use std::{vec, vec::Vec};

    fn frame(op: OpCode, flags: u8, msg_len: Option<u16>, data: &[u8]) -> WscFrame<'_> {
        WscFrame {
            op_code: op,
            flags: Flags(flags),
            msg_len,
            data,
        }
    }

    #[test]
    fn typed_errors() {
        use OpCode::{Done, Msg};
        use ReassemblyError as E;
        let d = [0u8; 10];
        let ack = Ok(Reassembled::NeedFragAck);
        let short = E::LengthTooShort {
            declared: 5,
            carried: 10,
        };
        let mismatch = E::OpCodeMismatch {
            expected: Msg,
            got: Done,
        };
        let too_long = Err(E::MessageTooLong(50_001));
        let under = |declared, received| Err(E::Underflow { declared, received });
        let whole = Ok(Reassembled::Complete {
            op_code: Msg,
            message: &d,
        });
        // Frames fed in turn to one reassembler: Op-Code, flags, Message Length, how many
        // bytes of `d` it carries, what `push` says, whether a message is pending after it.
        let steps = [
            (Msg, 1, None, 10, Err(E::MissingLength), false),
            (Msg, 3, Some(5), 10, Err(short), false),
            (Msg, 3, Some(50_001), 10, too_long, false),
            (Msg, 3, Some(15), 10, ack, true),
            (Done, 0, None, 5, Err(mismatch), false),
            (Msg, 3, Some(15), 10, ack, true),
            (Msg, 0, None, 10, Err(E::Overflow { declared: 15 }), false),
            (Msg, 3, Some(30), 10, ack, true),
            (Msg, 3, Some(30), 10, Err(E::UnexpectedLength), false),
            (Msg, 3, Some(30), 10, ack, true),
            (Msg, 0, None, 10, under(30, 20), false),
            // LF without MF must announce exactly the data carried
            (Msg, 2, Some(11), 10, under(11, 10), false),
            (Msg, 2, Some(10), 10, whole, false),
        ];
        let mut r = VecReassembler::new();
        for (i, (op, flags, msg_len, carried, expected, pending)) in steps.into_iter().enumerate() {
            let data = d.get(..carried).unwrap();
            assert_eq!(
                r.push(&frame(op, flags, msg_len, data)),
                expected,
                "step {i}"
            );
            assert_eq!(r.is_pending(), pending, "step {i}");
        }
        let mut small = [0u8; 12];
        let mut r = Reassembler::new(&mut small);
        assert_eq!(
            r.push(&frame(OpCode::Msg, 3, Some(13), &d)),
            Err(ReassemblyError::BufferTooSmall {
                declared: 13,
                capacity: 12
            })
        );
    }

    fn reassemble_all(msg: &[u8], size: usize) -> (Vec<u8>, Vec<u8>, usize) {
        let mut buf = vec![0u8; MAX_MESSAGE_LEN];
        let mut a = Reassembler::new(&mut buf);
        let mut b = VecReassembler::new();
        let (mut out_a, mut out_b, mut acks) = (Vec::new(), Vec::new(), 0);
        for f in Fragmenter::new(OpCode::Msg, msg, size).unwrap() {
            assert!(f.wsc_len() <= size);
            match a.push(&f).unwrap() {
                Reassembled::NeedFragAck => acks += 1,
                Reassembled::Complete { message, op_code } => {
                    assert_eq!(op_code, OpCode::Msg);
                    out_a = message.to_vec()
                }
            }
            if let Reassembled::Complete { message, .. } = b.push(&f).unwrap() {
                out_b = message.to_vec();
            }
        }
        (out_a, out_b, acks)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]
        #[test]
        fn fragment_then_reassemble_is_identity(
            msg in proptest::collection::vec(any::<u8>(), 0..3000),
            size in 5usize..1500,
        ) {
            let (a, b, acks) = reassemble_all(&msg, size);
            prop_assert_eq!(&a, &msg);
            prop_assert_eq!(&b, &msg);
            let expected_frames = if 2 + msg.len() <= size { 1 } else {
                1 + (msg.len() - (size - 4)).div_ceil(size - 2)
            };
            prop_assert_eq!(acks + 1, expected_frames);
        }

        #[test]
        fn dropping_a_middle_fragment_is_an_error(
            msg in proptest::collection::vec(any::<u8>(), 300..1000),
            size in 5usize..100,
            drop_pick in any::<prop::sample::Index>(),
        ) {
            let frames: Vec<_> = Fragmenter::new(OpCode::Msg, &msg, size).unwrap().collect();
            prop_assume!(frames.len() >= 3);
            let drop = 1 + drop_pick.index(frames.len() - 2);
            let mut r = VecReassembler::new();
            let mut err = None;
            for (i, f) in frames.iter().enumerate() {
                if i == drop { continue; }
                if let Err(e) = r.push(f) {
                    err = Some(e);
                    break;
                }
            }
            let is_underflow = matches!(err, Some(ReassemblyError::Underflow { .. }));
            prop_assert!(is_underflow, "{:?}", err);
        }

        #[test]
        fn arbitrary_frames_never_panic(frames in proptest::collection::vec(
            (any::<u8>(), any::<u8>(), any::<u16>(), proptest::collection::vec(any::<u8>(), 0..200)), 0..20)) {
            let mut buf = [0u8; 1000];
            let mut a = Reassembler::new(&mut buf);
            let mut b = VecReassembler::new();
            for (op, flags, len, data) in &frames {
                let f = frame(OpCode::from(*op), *flags, (flags & 2 != 0).then_some(*len), data);
                let _ = a.push(&f);
                let _ = b.push(&f);
                prop_assert!(b.buf.len() <= MAX_MESSAGE_LEN);
            }
        }
    }
}
