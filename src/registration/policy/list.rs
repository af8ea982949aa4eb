//! A fixed-capacity list kept newest-first, for the PIN table and the PBC sessions.

/// Up to `N` items, `items[..len]` all `Some`, index 0 the newest.
#[derive(Debug, Clone)]
pub(crate) struct FrontList<T, const N: usize> {
    items: [Option<T>; N],
    len: usize,
}

impl<T, const N: usize> FrontList<T, N> {
    pub(crate) const fn new() -> Self {
        FrontList {
            items: [const { None }; N],
            len: 0,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_full(&self) -> bool {
        self.len >= N
    }

    /// Inserts at the front; gives the item back when the list is full.
    pub(crate) fn push_front(&mut self, item: T) -> Result<(), T> {
        match self.items.get_mut(..=self.len) {
            Some(used) => {
                if let Some(slot) = used.last_mut() {
                    *slot = Some(item);
                }
                used.rotate_right(1);
                // `used` is `items[..=len]`: one more than before.
                self.len = used.len();
                Ok(())
            }
            None => Err(item),
        }
    }

    /// Removes and returns the item at `index`, keeping the order of the others.
    pub(crate) fn remove(&mut self, index: usize) -> Option<T> {
        let tail = self.items.get_mut(index..self.len)?;
        let item = tail.first_mut()?.take();
        tail.rotate_left(1);
        // `tail` was non-empty, so len >= 1: cannot saturate.
        self.len = self.len.saturating_sub(1);
        item
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &T> {
        self.items.iter().take(self.len).flatten()
    }

    pub(crate) fn get_mut(&mut self, index: usize) -> Option<&mut T> {
        self.items.get_mut(index).and_then(Option::as_mut)
    }

    pub(crate) fn position(&self, predicate: impl FnMut(&T) -> bool) -> Option<usize> {
        self.iter().position(predicate)
    }

    /// Removes every item matching `predicate`; returns how many.
    pub(crate) fn remove_all(&mut self, mut predicate: impl FnMut(&T) -> bool) -> usize {
        let mut removed = 0usize;
        let mut index = 0;
        while index < self.len {
            let hit = self
                .items
                .get(index)
                .and_then(Option::as_ref)
                .is_some_and(&mut predicate);
            if hit {
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

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec::Vec;

    #[test]
    fn front_list_order() {
        let mut l = FrontList::<u8, 3>::new();
        l.push_front(1).unwrap();
        l.push_front(2).unwrap();
        l.push_front(3).unwrap();
        assert_eq!(l.push_front(4), Err(4));
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(l.remove(1), Some(2));
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3, 1]);
        assert_eq!(l.remove(2), None);
        l.push_front(5).unwrap();
        assert_eq!(l.remove_all(|x| *x != 3), 2);
        assert_eq!(l.iter().copied().collect::<Vec<_>>(), [3]);
        assert_eq!(l.len(), 1);
    }
}
