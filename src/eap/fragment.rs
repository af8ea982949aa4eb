//! Cutting one WSC message into EAP-WSC fragments, exactly as hostapd and
//! wpa_supplicant do.

use super::packet::{Flags, OpCode, WscFrame};

/// hostapd's and wpa_supplicant's default `fragment_size`.
pub const DEFAULT_FRAGMENT_SIZE: usize = 1400;
/// Smallest usable fragment size: the first fragment must carry at least one byte.
pub const MIN_FRAGMENT_SIZE: usize = 5;
/// Largest fragment size whose EAP packet still fits the 16-bit EAP Length.
pub const MAX_FRAGMENT_SIZE: usize = u16::MAX as usize - 12;

/// A configured fragment size brought into what the EAP layer accepts
/// ([`MIN_FRAGMENT_SIZE`]..=[`MAX_FRAGMENT_SIZE`]).
#[cfg(feature = "alloc")]
pub(crate) fn clamp_fragment_size(configured: usize) -> usize {
    configured.clamp(MIN_FRAGMENT_SIZE, MAX_FRAGMENT_SIZE)
}

/// Why a message cannot be fragmented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FragmentError {
    /// `fragment_size` outside `MIN_FRAGMENT_SIZE..=MAX_FRAGMENT_SIZE`.
    #[error("fragment size {0} out of range")]
    BadFragmentSize(usize),
    /// The message does not fit the 16-bit Message Length field.
    #[error("message of {0} bytes too long for EAP-WSC")]
    MessageTooLong(usize),
}

/// Yields the successive [`WscFrame`]s of one message, borrowing it.
///
/// `fragment_size` counts Op-Code + Flags + [Message Length] + data (not the
/// 12-byte expanded EAP header). A message is split when `2 + len >
/// fragment_size`: the first fragment has MF|LF, the total length and
/// `fragment_size - 4` bytes; middle ones MF and `fragment_size - 2` bytes;
/// the last one flags 0 and the rest. A short message is one frame with flags 0.
///
/// ```
/// use wps::eap::{Fragmenter, OpCode};
/// let msg = [0u8; 388];
/// let sizes: Vec<usize> = Fragmenter::new(OpCode::Msg, &msg, 100)?.map(|f| f.data.len()).collect();
/// assert_eq!(sizes, [96, 98, 98, 96]);
/// # Ok::<(), wps::eap::FragmentError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Fragmenter<'a> {
    op_code: OpCode,
    message: &'a [u8],
    fragment_size: usize,
    sent: usize,
    finished: bool,
}

impl<'a> Fragmenter<'a> {
    /// Prepare to send `message` with `op_code` in fragments of at most `fragment_size`.
    pub fn new(
        op_code: OpCode,
        message: &'a [u8],
        fragment_size: usize,
    ) -> Result<Self, FragmentError> {
        if !(MIN_FRAGMENT_SIZE..=MAX_FRAGMENT_SIZE).contains(&fragment_size) {
            return Err(FragmentError::BadFragmentSize(fragment_size));
        }
        if u16::try_from(message.len()).is_err() {
            return Err(FragmentError::MessageTooLong(message.len()));
        }
        Ok(Fragmenter {
            op_code,
            message,
            fragment_size,
            sent: 0,
            finished: false,
        })
    }

    /// Continue a message of which `sent` bytes already went out (a driver
    /// that keeps the message, not the iterator, across WSC_FRAG_ACKs).
    #[cfg(feature = "alloc")]
    pub(super) fn resume(
        op_code: OpCode,
        message: &'a [u8],
        fragment_size: usize,
        sent: usize,
    ) -> Result<Self, FragmentError> {
        let mut f = Self::new(op_code, message, fragment_size)?;
        f.sent = sent.min(message.len());
        Ok(f)
    }

    /// The message being sent.
    pub fn message(&self) -> &'a [u8] {
        self.message
    }

    /// The Op-Code every fragment carries.
    pub fn op_code(&self) -> OpCode {
        self.op_code
    }

    /// Whether the last fragment has been yielded.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Message bytes handed out so far.
    pub fn bytes_sent(&self) -> usize {
        self.sent
    }
}

impl<'a> Iterator for Fragmenter<'a> {
    type Item = WscFrame<'a>;

    fn next(&mut self) -> Option<WscFrame<'a>> {
        if self.finished {
            return None;
        }
        let rest = self.message.get(self.sent..).unwrap_or_default();
        let first = self.sent == 0;
        // new() checked fragment_size >= MIN_FRAGMENT_SIZE (5), so the subtractions
        // below cannot saturate.
        let (flags, msg_len, take) = if rest.len().saturating_add(2) > self.fragment_size {
            if first {
                // new() checked the length fits u16
                let total = u16::try_from(self.message.len()).unwrap_or(u16::MAX);
                (
                    Flags::MF | Flags::LF,
                    Some(total),
                    self.fragment_size.saturating_sub(4),
                )
            } else {
                (Flags::MF, None, self.fragment_size.saturating_sub(2))
            }
        } else {
            self.finished = true;
            (0, None, rest.len())
        };
        let (data, _) = rest.split_at_checked(take).unwrap_or((rest, &[]));
        // data is part of the message: sent stays <= message.len().
        self.sent = self.sent.saturating_add(data.len());
        Some(WscFrame {
            op_code: self.op_code,
            flags: Flags(flags),
            msg_len,
            data,
        })
    }
}

#[cfg(test)]
#[cfg(feature = "std")]
mod tests {
    use super::*;
    use std::{vec, vec::Vec};

    #[test]
    fn unfragmented_and_empty() {
        let v: Vec<_> = Fragmenter::new(OpCode::Start, &[], 1400).unwrap().collect();
        assert_eq!(v, [WscFrame::unfragmented(OpCode::Start, &[])]);
        let m = [7u8; 1398];
        let v: Vec<_> = Fragmenter::new(OpCode::Msg, &m, 1400).unwrap().collect();
        assert_eq!(v.len(), 1);
        let m = [7u8; 1399];
        let v: Vec<_> = Fragmenter::new(OpCode::Msg, &m, 1400).unwrap().collect();
        assert_eq!(
            v.iter()
                .map(|f| (f.flags.0, f.data.len()))
                .collect::<Vec<_>>(),
            [(3, 1396), (0, 3)]
        );
        assert_eq!(v[0].msg_len, Some(1399));
    }

    #[test]
    fn bad_sizes() {
        assert_eq!(
            Fragmenter::new(OpCode::Msg, &[], 4).unwrap_err(),
            FragmentError::BadFragmentSize(4)
        );
        assert!(Fragmenter::new(OpCode::Msg, &[], MAX_FRAGMENT_SIZE + 1).is_err());
        let big = vec![0u8; 70_000];
        assert_eq!(
            Fragmenter::new(OpCode::Msg, &big, 1400).unwrap_err(),
            FragmentError::MessageTooLong(70_000)
        );
    }

    #[test]
    fn fragment_size_50_matches_lab() {
        // interop/README: first fragment 46 data bytes, later ones 48
        let m = [1u8; 200];
        let v: Vec<_> = Fragmenter::new(OpCode::Msg, &m, 50).unwrap().collect();
        let lens: Vec<_> = v.iter().map(|f| f.data.len()).collect();
        assert_eq!(lens, [46, 48, 48, 48, 10]);
        assert!(v.iter().all(|f| f.wsc_len() <= 50));
    }
}
