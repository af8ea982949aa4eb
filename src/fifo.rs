//! `Fifo`: the queues of frames and events the drivers and the machines hand out.

use alloc::vec::Vec;

/// A first-in, first-out queue on a `Vec`: taking the first item moves the others up.
///
/// The queues it serves hold a few items between two polls, so the move costs next to
/// nothing, and it links a fraction of `VecDeque`'s code (whose growth also handles a
/// ring that wrapped around): 0.8 KB of flash less for a printer on a Cortex-M4.
#[derive(Debug, Clone)]
pub(crate) struct Fifo<T>(Vec<T>);

impl<T> Default for Fifo<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Fifo<T> {
    /// The empty queue (no allocation).
    pub(crate) const fn new() -> Self {
        Fifo(Vec::new())
    }

    /// Appends `item` at the back.
    pub(crate) fn push_back(&mut self, item: T) {
        self.0.push(item);
    }

    /// Takes the item at the front.
    ///
    /// The first item is swapped down to the back one place at a time and popped there:
    /// `Vec::remove(0)` moves the others with `memmove`, which nothing else in a firmware
    /// image needs (1.5 KB of flash on a Cortex-M4). The walk matches the slice's first
    /// two items (no index, so no bounds checks per item type): on a Cortex-M4, 40 B less
    /// for both drivers than `swap(i - 1, i)`, 144 B more for the enrollee alone.
    pub(crate) fn pop_front(&mut self) -> Option<T> {
        // The first item moves one place back each step.
        let mut rest = self.0.as_mut_slice();
        while let [first, next, ..] = rest {
            core::mem::swap(first, next);
            rest = rest.get_mut(1..).unwrap_or_default();
        }
        self.0.pop()
    }

    /// Number of items queued.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Drops the items queued after the first `len`.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_in_first_out() {
        let mut q = Fifo::new();
        assert_eq!(q.pop_front(), None::<u8>);
        q.push_back(1);
        q.push_back(2);
        assert_eq!(q.pop_front(), Some(1));
        q.push_back(3);
        q.push_back(4);
        assert_eq!(q.len(), 3);
        q.truncate(2);
        assert_eq!(q.pop_front(), Some(2));
        assert_eq!(q.pop_front(), Some(3));
        assert_eq!(q.pop_front(), None);
    }
}
