//! The content hash of a data file as an index records it, computed from the very bytes the
//! loader parses as it reads them (on one thread, or on two for the two halves of a large
//! file), so that an index is never stamped with the hash of content other than its own.
//!
//! The hash is xxh3-128 over the xxh3-128 of each [`BLOCK`]-sized block of the file: each
//! half of a file read on two threads hashes the whole blocks it reads, and the block that
//! straddles the split is finished when the halves are joined ([`Piece::then`]).

use bytemuck::{Pod, Zeroable};
use xxhash_rust::xxh3::{xxh3_128, Xxh3};

/// The blocks a file is hashed in (in tests, small: so that small files have many).
pub(crate) const BLOCK: u64 = if cfg!(test) { 64 } else { 4 << 20 };

/// One data file as an index knows it: whether it exists, its size and its hash.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub(crate) struct FileKey {
    pub present: u64,
    pub size: u64,
    pub hash: [u64; 2],
}

/// What one reader saw of a file: its bytes from offset `from` on, in order, as far as `at`.
#[derive(Clone)]
pub(crate) struct Piece {
    from: u64,
    at: u64,
    /// The bytes from `from` to the first block boundary, when `from` is inside a block: the
    /// rest of that block comes from the piece before.
    head: Vec<u8>,
    /// The hashes of the whole blocks read.
    blocks: Vec<u128>,
    /// The block being read, from its start.
    tail: Xxh3,
}

impl Piece {
    /// A piece that starts at byte `from` of the file.
    pub(crate) fn at(from: u64) -> Piece {
        Piece { from, at: from, head: Vec::new(), blocks: Vec::new(), tail: Xxh3::new() }
    }

    /// The bytes that follow.
    pub(crate) fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let to_boundary = BLOCK - self.at % BLOCK;
            let n = bytes.len().min(usize::try_from(to_boundary).unwrap_or(usize::MAX));
            let (now, rest) = bytes.split_at(n);
            if self.in_head() {
                self.head.extend_from_slice(now);
            } else {
                self.tail.update(now);
            }
            self.at += n as u64;
            if self.at.is_multiple_of(BLOCK) && !self.head_only() {
                self.blocks.push(self.tail.digest128());
                self.tail.reset();
            }
            bytes = rest;
        }
    }

    /// Whether the next byte belongs to the head (the block that an earlier piece started).
    fn in_head(&self) -> bool {
        !self.from.is_multiple_of(BLOCK) && self.at < self.from.next_multiple_of(BLOCK)
    }

    /// Whether everything read so far is head.
    fn head_only(&self) -> bool {
        !self.from.is_multiple_of(BLOCK) && self.at <= self.from.next_multiple_of(BLOCK)
    }

    /// This piece followed by `next`, which must start where this one ends (`None` when it
    /// does not: the file was shorter for one of the readers than for the other).
    pub(crate) fn then(mut self, next: Piece) -> Option<Piece> {
        if next.from != self.at {
            return None;
        }
        self.feed(&next.head);
        if next.at > next.from.next_multiple_of(BLOCK) || next.from.is_multiple_of(BLOCK) {
            // `next` went past its head: this piece now ends on the boundary where its own
            // blocks start.
            debug_assert_eq!(self.at % BLOCK, 0);
            self.blocks.extend(next.blocks);
            self.tail = next.tail;
            self.at = next.at;
        }
        Some(self)
    }

    /// The key of a file read whole in this piece (`None` when it does not start at 0).
    pub(crate) fn key(&self) -> Option<FileKey> {
        if self.from != 0 {
            return None;
        }
        let tail = (!self.at.is_multiple_of(BLOCK) || self.at == 0).then(|| self.tail.digest128());
        Some(FileKey { present: 1, size: self.at, hash: combine(self.blocks.iter().copied().chain(tail)) })
    }
}

/// The hash of content whose blocks hash to `blocks` (each whole block's xxh3-128, then the
/// last, partial block's; for empty content, the hash of nothing), as [`Piece::key`] gives
/// it: for content hashed block by block in any order.
pub(crate) fn combine(blocks: impl IntoIterator<Item = u128>) -> [u64; 2] {
    let all: Vec<u8> = blocks.into_iter().flat_map(u128::to_le_bytes).collect();
    split(xxh3_128(&all))
}

fn split(hash: u128) -> [u64; 2] {
    [hash as u64, (hash >> 64) as u64]
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Read in pieces cut anywhere and fed in any sizes, a file hashes as read whole.
        #[test]
        fn pieces_joined_hash_as_the_whole(
            len in 0usize..(3 * BLOCK as usize),
            cuts in proptest::collection::vec(0.0f64..1.0, 0..3),
            feed in 1usize..(BLOCK as usize),
        ) {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + i / 251) as u8).collect();
            let mut whole = Piece::at(0);
            whole.feed(&bytes);
            let mut cuts: Vec<usize> = cuts.iter().map(|c| (c * len as f64) as usize).collect();
            cuts.extend([0, len]);
            cuts.sort_unstable();
            cuts.dedup();
            let mut joined: Option<Piece> = None;
            for w in cuts.windows(2) {
                let mut piece = Piece::at(w[0] as u64);
                for chunk in bytes[w[0]..w[1]].chunks(feed) {
                    piece.feed(chunk);
                }
                joined = Some(match joined {
                    None => piece,
                    Some(before) => before.then(piece).unwrap(),
                });
            }
            let joined = joined.unwrap_or_else(|| Piece::at(0));
            proptest::prop_assert_eq!(joined.key(), whole.key());
            proptest::prop_assert_eq!(whole.key().unwrap().size, len as u64);
        }
    }

    /// A piece that does not start where the one before ends is refused.
    #[test]
    fn a_gap_between_pieces_is_refused() {
        let mut first = Piece::at(0);
        first.feed(&[1; 10]);
        assert!(first.clone().then(Piece::at(11)).is_none());
        assert!(first.then(Piece::at(10)).is_some());
    }
}

/// Points in the reading of a data file where a test may change the file (on the thread that
/// opens it), to check that what is parsed and what is hashed are the same bytes.
#[cfg(test)]
pub(crate) mod seam {
    use std::cell::RefCell;
    use std::path::Path;

    /// Where the reading of a file is.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum Moment {
        /// About to open it.
        Opening,
        /// Its rows have all been read.
        Read,
    }

    type Hook = Box<dyn FnMut(&Path, Moment)>;
    thread_local! {
        static HOOK: RefCell<Option<Hook>> = RefCell::new(None);
    }

    /// Runs `hook` at each [`Moment`] of each file read on this thread, until [`clear`].
    pub(crate) fn set(hook: impl FnMut(&Path, Moment) + 'static) {
        HOOK.with(|h| *h.borrow_mut() = Some(Box::new(hook)));
    }

    pub(crate) fn clear() {
        HOOK.with(|h| *h.borrow_mut() = None);
    }

    pub(crate) fn reading(path: &Path, moment: Moment) {
        HOOK.with(|h| h.borrow_mut().as_mut().map(|hook| hook(path, moment)));
    }
}
