//! Duplicate relation ids, found by sorting once every row is read rather than by a hash
//! table kept as the rows stream by.
//!
//! At 10 million relations with an `id` column, a table of every id (each id also copied
//! into its own allocation for the second half of the file, to check it against the first)
//! was nearly half of the time of reading the file, and most of its memory. Here each part of
//! the file only appends its ids to flat vectors; the parts are sorted on their own threads
//! and walked together once. An id of the form prefix and number (`r12`, `448329571`: see
//! [`IdText::split_number`]) with a short prefix, or any other of up to 15 bytes, is packed
//! into one integer, so that equal keys are equal ids; a longer one is hashed, its text kept
//! in one block, and ids with equal hashes are compared. Numbered ids pack in the order of
//! their numbers, so that ids given in rising order (an import's, GDELT's) are found sorted
//! in one pass rather than sorted again; nothing is decoded but a duplicate.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

use crate::model::IdText;

/// The named ids of one part of a relations file, in the order they were read.
#[derive(Debug, Default)]
pub(super) struct NamedIds {
    /// Ids that pack ([`pack`]): (packed id, high and low half, line). Halves rather than a
    /// `u128`, which would align the entry to 32 bytes rather than 24.
    short: Vec<(u64, u64, u64)>,
    /// Other ids: (hash, line, where their text is in `text`).
    long: Vec<(u64, u64, (usize, usize))>,
    text: String,
    /// Whether a row without an id was read (its implicit id is its line).
    unnamed: bool,
}

/// A named id met again: `line` names `value`, first named on `first_line`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Duplicate {
    pub line: u64,
    pub value: String,
    pub first_line: u64,
}

/// What the named ids of a whole file give: every duplicate, and the first line of each id
/// that reads as a line number (`12`), which an implicit id (the line of a row without one)
/// must not equal.
#[derive(Debug, Default)]
pub(super) struct Found {
    pub duplicates: Vec<Duplicate>,
    pub numbers: HashMap<u32, u64>,
}

/// The longest prefix of a numbered id that packs: the first byte says which form and how
/// long, the last four hold the number.
const PACKED_PREFIX: usize = 11;
/// The first byte of a packed id of another form, with its length in the low bits.
const TEXT: u8 = 0x80;

/// An id as one integer, big-endian: a numbered id with a prefix of `p` bytes (up to
/// [`PACKED_PREFIX`]) as `1 + p`, the prefix, zeros and the number; another id of up to 15
/// bytes as [`TEXT`] with its length, then its bytes. The first bytes of the two forms
/// differ, and each form keeps every byte and length, so equal keys are equal ids.
fn pack(id: &str) -> Option<(u64, u64)> {
    let mut key = [0u8; 16];
    match IdText::split_number(id) {
        Some((prefix, number)) if prefix.len() <= PACKED_PREFIX => {
            key[0] = 1 + prefix.len() as u8;
            key[1..=prefix.len()].copy_from_slice(prefix.as_bytes());
            key[12..].copy_from_slice(&number.to_be_bytes());
        }
        _ if id.len() < 16 => {
            key[0] = TEXT | id.len() as u8;
            key[1..=id.len()].copy_from_slice(id.as_bytes());
        }
        _ => return None,
    }
    let key = u128::from_be_bytes(key);
    Some(((key >> 64) as u64, key as u64))
}

fn unpack(high: u64, low: u64) -> String {
    let key = (u128::from(high) << 64 | u128::from(low)).to_be_bytes();
    let text = |n: u8| String::from_utf8_lossy(&key[1..=usize::from(n)]).into_owned();
    if key[0] & TEXT != 0 {
        text(key[0] & !TEXT)
    } else {
        let number = u32::from_be_bytes([key[12], key[13], key[14], key[15]]);
        IdText::numbered(&text(key[0] - 1), number).to_string()
    }
}

/// The number of a packed id that is a bare number without leading zeros (`12`, not
/// `012`): what an implicit id, a line, could equal.
fn bare_number(high: u64, low: u64) -> Option<u32> {
    (high >> 56 == 1).then_some(low as u32)
}

impl NamedIds {
    /// Notes that a row has no id.
    pub fn unnamed(&mut self) {
        self.unnamed = true;
    }

    /// Notes that `line` names `id`.
    pub fn push(&mut self, id: &str, line: u64) {
        match pack(id) {
            Some((high, low)) => self.short.push((high, low, line)),
            None => {
                let start = self.text.len();
                self.text.push_str(id);
                self.long.push((xxh3_64(id.as_bytes()), line, (start, self.text.len())));
            }
        }
    }

    /// Makes the lines counted from a part's start the file's, given the lines before it.
    pub fn shift(&mut self, by: u64) {
        if by > 0 {
            self.short.iter_mut().for_each(|(_, _, line)| *line += by);
            self.long.iter_mut().for_each(|(_, line, _)| *line += by);
        }
    }

    fn sort(&mut self) {
        // Ids given in rising order are the common case: checked in one pass.
        if !self.short.is_sorted() {
            self.short.sort_unstable();
        }
    }
}

/// The duplicates among the named ids of a file's parts (given in file order, their lines
/// the file's), each reported against the id's first line, in no particular order.
pub(super) fn find(mut parts: Vec<NamedIds>) -> Found {
    let mut found = Found::default();
    if parts.iter().all(|p| p.short.is_empty() && p.long.is_empty()) {
        return found;
    }
    // Each part sorted on its own thread (the file is read in two parts from a few MB).
    std::thread::scope(|scope| {
        let (first, rest) = parts.split_first_mut().expect("at least one part");
        for part in rest {
            scope.spawn(|| part.sort());
        }
        first.sort();
    });
    // Only a row without an id has a line that an id could be taken for.
    let numbers_wanted = parts.iter().any(|p| p.unnamed);
    let mut duplicates = Vec::new();

    // Packed ids: equal keys are equal ids.
    let mut short = merged(parts.iter().map(|p| p.short.as_slice()).collect()).peekable();
    while let Some((high, low, first_line)) = short.next() {
        if numbers_wanted {
            if let Some(number) = bare_number(high, low) {
                found.numbers.insert(number, first_line);
            }
        }
        if short.peek().is_some_and(|&(h, l, _)| (h, l) == (high, low)) {
            let value = unpack(high, low);
            while let Some((_, _, line)) = short.next_if(|&(h, l, _)| (h, l) == (high, low)) {
                duplicates.push(Duplicate { line, value: value.clone(), first_line });
            }
        }
    }

    // Other ids (rare: the ids of GDELT, ICEWS and COW data pack), all together: equal
    // hashes, then the texts compared, within a hash in line order. (None is a bare number,
    // which packs.)
    let mut long: Vec<(u64, u64, &str)> = parts
        .iter()
        .flat_map(|p| p.long.iter().map(|&(hash, line, (start, end))| (hash, line, &p.text[start..end])))
        .collect();
    long.sort_unstable_by_key(|&(hash, line, _)| (hash, line));
    for group in long.chunk_by(|a, b| a.0 == b.0) {
        let mut seen: Vec<(&str, u64)> = Vec::new();
        for &(_, line, value) in group {
            match seen.iter().find(|(v, _)| *v == value) {
                Some(&(_, first_line)) => {
                    duplicates.push(Duplicate { line, value: value.into(), first_line })
                }
                None => seen.push((value, line)),
            }
        }
    }
    found.duplicates = duplicates;
    found
}

/// Sorted runs walked as one sorted sequence (the runs are few, usually two).
fn merged<T: Ord + Copy>(runs: Vec<&[T]>) -> impl Iterator<Item = T> + '_ {
    let mut at = vec![0; runs.len()];
    std::iter::from_fn(move || {
        let (k, &next) = runs
            .iter()
            .enumerate()
            .filter_map(|(k, run)| run.get(at[k]).map(|x| (k, x)))
            .min_by_key(|&(_, x)| *x)?;
        at[k] += 1;
        Some(next)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Every duplicate by brute force: each occurrence after an id's first, against it.
    fn brute(ids: &[(String, u64)]) -> Vec<Duplicate> {
        let mut out = Vec::new();
        for (k, (id, line)) in ids.iter().enumerate() {
            if let Some((_, first_line)) = ids[..k].iter().find(|(other, _)| other == id) {
                out.push(Duplicate { line: *line, value: id.clone(), first_line: *first_line });
            }
        }
        out
    }

    fn sorted(mut d: Vec<Duplicate>) -> Vec<Duplicate> {
        d.sort_by_key(|d| d.line);
        d
    }

    proptest! {
        /// Ids of every length (short, at the packing's edges, long), split into parts at
        /// any point, give the duplicates that comparing every pair gives.
        #[test]
        fn duplicates_are_those_of_brute_force(
            ids in prop::collection::vec(
                prop::sample::select(vec![
                    "", "1", "12", "r1", "r2", "1234567", "12345678", "r1234567", "123456789012345",
                    "1234567890123456", "a-rather-long-relation-id", "a-rather-long-relation-iD", "é", "\0",
                    // Numbered: leading zeros, the u32's edge, prefixes at the packing's edge.
                    "0", "00", "012", "r012", "r12", "4294967295", "4294967296", "r4294967296",
                    "abcdefghijk1", "abcdefghijkl1", "abcdefghijk4294967295", "é7", "e\u{301}7",
                ]),
                0..60,
            ),
            gaps in prop::collection::vec(1..3u64, 60),
            split in 0..60usize,
            unnamed in any::<bool>(),
        ) {
            // Lines rise, with gaps (blank lines, rows without an id).
            let mut line = 1;
            let ids: Vec<(String, u64)> = ids.iter().zip(&gaps).map(|(id, gap)| {
                line += gap;
                (id.to_string(), line)
            }).collect();
            let split = split.min(ids.len());
            let mut parts = vec![NamedIds::default(), NamedIds::default()];
            // The second part counts its lines from its start, as a part of a file does.
            let by = ids[..split].last().map_or(0, |(_, line)| *line);
            for (k, (id, line)) in ids.iter().enumerate() {
                if k < split { parts[0].push(id, *line) } else { parts[1].push(id, line - by) }
            }
            parts[1].shift(by);
            if unnamed {
                parts[split % 2].unnamed();
            }
            let found = find(parts);
            prop_assert_eq!(sorted(found.duplicates), brute(&ids));
            // Each id that reads as a line number, at its first line; no other; none when no
            // row lacks an id.
            let mut numbers = HashMap::new();
            for (id, line) in ids.iter().filter(|_| unnamed) {
                if let Ok(n) = id.parse::<u32>() {
                    if n.to_string() == *id {
                        numbers.entry(n).or_insert(*line);
                    }
                }
            }
            prop_assert_eq!(found.numbers, numbers);
        }

        /// Packing keeps an id's bytes and length: it reads back as the id; ids that do not
        /// pack are the long ones that are not numbered with a short prefix.
        #[test]
        fn a_packed_id_unpacks_to_itself(id in "[a-z0é\\x00-]{0,14}[0-9]{0,12}") {
            match pack(&id) {
                Some((high, low)) => {
                    prop_assert_eq!(unpack(high, low), id.clone());
                    let bare = id.parse::<u32>().ok().filter(|n| n.to_string() == id);
                    prop_assert_eq!(bare_number(high, low), bare);
                }
                None => prop_assert!(
                    id.len() > 15
                        && IdText::split_number(&id).is_none_or(|(p, _)| p.len() > PACKED_PREFIX)
                ),
            }
        }

        /// Two ids pack to one key only when they are the same id.
        #[test]
        fn packed_ids_are_equal_only_when_the_ids_are(
            a in "[a-z0\\x00-]{0,3}[0-9]{0,11}",
            b in "[a-z0\\x00-]{0,3}[0-9]{0,11}",
        ) {
            if let (Some(ka), Some(kb)) = (pack(&a), pack(&b)) {
                prop_assert_eq!(ka == kb, a == b);
            }
        }

        /// Numbered ids with one prefix pack in the order of their numbers: ids given in
        /// rising order are found sorted.
        #[test]
        fn numbered_ids_pack_in_the_order_of_their_numbers(
            prefix in "[a-z-]{0,11}",
            a in any::<u32>(),
            b in any::<u32>(),
        ) {
            let (ka, kb) = (pack(&format!("{prefix}{a}")).unwrap(), pack(&format!("{prefix}{b}")).unwrap());
            prop_assert_eq!(ka.cmp(&kb), a.cmp(&b));
        }
    }

    #[test]
    fn long_ids_with_one_hash_are_told_apart_by_their_text() {
        // Two different ids forced to one hash: only the text says they differ.
        let mut part = NamedIds::default();
        for (id, line) in
            [("a-long-relation-id-1", 2), ("a-long-relation-id-2", 3), ("a-long-relation-id-1", 4)]
        {
            let start = part.text.len();
            part.text.push_str(id);
            part.long.push((7, line, (start, part.text.len())));
        }
        let found = find(vec![part]);
        assert_eq!(
            found.duplicates,
            [Duplicate { line: 4, value: "a-long-relation-id-1".into(), first_line: 2 }]
        );
    }
}
