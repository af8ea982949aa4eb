//! The one fixed-capacity list of the crate: repeated attributes of an 802.11 element
//! (public through their fields, as [`FixedList`]), the attribute parser's spans, the
//! registrar's PIN table, push-button sessions, NFC tokens and AuthorizedMACs.

use core::{fmt, mem};

/// A list of at most `N` items kept inline (no heap), in order.
///
/// ```
/// use wps::message::ie::FixedList;
/// let mut list = FixedList::<u8, 2>::new();
/// list.push(1)?;
/// list.push(2)?;
/// assert_eq!(list.push(3), Err(3)); // full: the item comes back
/// assert!(list.iter().eq(&[1, 2]));
/// # Ok::<(), u8>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FixedList<T, const N: usize> {
    /// `items[..len]` are all `Some`, the rest `None`.
    items: [Option<T>; N],
    len: usize,
}

impl<T, const N: usize> FixedList<T, N> {
    /// The empty list.
    #[must_use]
    pub const fn new() -> Self {
        FixedList {
            items: [const { None }; N],
            len: 0,
        }
    }

    /// Copies `items`; `None` when there are more than `N`.
    #[must_use]
    pub fn from_slice(items: &[T]) -> Option<Self>
    where
        T: Clone,
    {
        let mut list = Self::new();
        for item in items {
            list.push(item.clone()).ok()?;
        }
        Some(list)
    }

    /// Appends `item`, or hands it back when the list is full.
    pub fn push(&mut self, item: T) -> Result<(), T> {
        match self.items.get_mut(self.len) {
            Some(slot) => {
                *slot = Some(item);
                // There was a slot at `len`, so len < N: cannot saturate.
                self.len = self.len.saturating_add(1);
                Ok(())
            }
            None => Err(item),
        }
    }

    /// Number of items.
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list is empty.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The items, in order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        // `filter_map` over the used slots: `take` and `flatten` cost flash at every use.
        self.used().iter().filter_map(Option::as_ref)
    }

    /// `items[..len]`.
    fn used(&self) -> &[Option<T>] {
        self.items.get(..self.len).unwrap_or_default()
    }

    /// The item at `index`.
    #[must_use]
    pub fn get(&self, index: usize) -> Option<&T> {
        self.items.get(index).and_then(Option::as_ref)
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len >= N
    }

    /// Inserts at the front; gives the item back when the list is full.
    pub(crate) fn push_front(&mut self, item: T) -> Result<(), T> {
        let Some(used) = self.items.get_mut(..=self.len) else {
            return Err(item);
        };
        // Each slot takes the one before it, the last (empty) slot the last item. Moves,
        // not `rotate_right`: the rotation links `memmove` (1.5 KB of firmware flash).
        let mut carried = Some(item);
        for slot in used.iter_mut() {
            mem::swap(slot, &mut carried);
        }
        // `used` is `items[..=len]`: one more than before.
        self.len = used.len();
        Ok(())
    }

    /// Removes and returns the item at `index`, keeping the order of the others.
    pub(crate) fn remove(&mut self, index: usize) -> Option<T> {
        let tail = self.items.get_mut(index..self.len)?;
        // From the back: each slot takes the one after it, the last an empty one (as in
        // `push_front`, instead of `rotate_left`).
        let mut carried = None;
        for slot in tail.iter_mut().rev() {
            mem::swap(slot, &mut carried);
        }
        if carried.is_some() {
            // `tail` was non-empty, so len >= 1: cannot saturate.
            self.len = self.len.saturating_sub(1);
        }
        carried
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.items.get_mut(index).and_then(Option::as_mut)
    }

    pub(crate) fn position(&self, mut predicate: impl FnMut(&T) -> bool) -> Option<usize> {
        self.used()
            .iter()
            .position(|slot| slot.as_ref().is_some_and(&mut predicate))
    }

    /// Removes every item matching `predicate`; returns how many.
    pub(crate) fn remove_all(&mut self, mut predicate: impl FnMut(&T) -> bool) -> usize {
        let mut removed = 0usize;
        let mut index = 0;
        while index < self.len {
            if self.get(index).is_some_and(&mut predicate) {
                self.remove(index);
                // Both stay below N: cannot saturate.
                removed = removed.saturating_add(1);
            } else {
                index = index.saturating_add(1);
            }
        }
        removed
    }
}

impl<T, const N: usize> Default for FixedList<T, N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for FixedList<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'l, T, const N: usize> IntoIterator for &'l FixedList<T, N> {
    type Item = &'l T;
    type IntoIter = core::iter::Flatten<core::iter::Take<core::slice::Iter<'l, Option<T>>>>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter().take(self.len).flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    #[test]
    fn front_and_back() {
        let mut l = FixedList::<u8, 3>::new();
        l.push_front(1).unwrap();
        l.push_front(2).unwrap();
        l.push_front(3).unwrap();
        assert_eq!(l.push_front(4), Err(4));
        assert_eq!(l.push(4), Err(4));
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(l.remove(1), Some(2));
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3, 1]);
        assert_eq!(l.remove(2), None);
        l.push(5).unwrap();
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3, 1, 5]);
        assert_eq!(l.remove_all(|x| *x != 3), 2);
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3]);
        assert_eq!(l.len(), 1);
        assert_eq!(l, FixedList::from_slice(&[3]).unwrap());
        assert_eq!(FixedList::<u8, 1>::from_slice(&[1, 2]), None);
    }
}
