//! Duplicate relation ids, found by sorting once every row is read rather than by a hash
//! table kept as the rows stream by.
//!
//! At 10 million relations with an `id` column, a table of every id (each id also copied
//! into its own allocation for the second half of the file, to check it against the first)
//! was nearly half of the time of reading the file, and most of its memory. Here each part of
//! the file only appends its ids to flat vectors; the parts are sorted on their own threads
//! and walked together once. An id of up to 15 bytes is packed, with its length, into one
//! integer (the same bytes as the lookups' key), so that equal keys are equal ids; a longer
//! one is hashed, its text kept in one block, and ids with equal hashes are compared.

use std::collections::HashMap;

use xxhash_rust::xxh3::xxh3_64;

/// The named ids of one part of a relations file, in the order they were read.
#[derive(Debug, Default)]
pub(super) struct NamedIds {
    /// Ids shorter than 16 bytes: (packed id, high and low half, line). Halves rather than a
    /// `u128`, which would align the entry to 32 bytes rather than 24.
    short: Vec<(u64, u64, u64)>,
    /// Longer ids: (hash, line, where their text is in `text`).
    long: Vec<(u64, u64, (usize, usize))>,
    text: String,
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

/// An id shorter than 16 bytes as its bytes (little-endian) and its length: in the top byte
/// from 8 bytes on, in byte 7 below (where a longer key holds bytes, so the two never meet).
fn pack(id: &str) -> Option<(u64, u64)> {
    let bytes = id.as_bytes();
    let n = bytes.len();
    let mut key = [0u8; 16];
    match n {
        0..=7 => key[7] = n as u8,
        8..=15 => key[15] = n as u8,
        _ => return None,
    }
    key[..n].copy_from_slice(bytes);
    let key = u128::from_le_bytes(key);
    Some(((key >> 64) as u64, key as u64))
}

fn unpack(high: u64, low: u64) -> String {
    let bytes = (u128::from(high) << 64 | u128::from(low)).to_le_bytes();
    let n = if bytes[15] != 0 { bytes[15] } else { bytes[7] };
    String::from_utf8_lossy(&bytes[..usize::from(n)]).into_owned()
}

impl NamedIds {
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
        self.short.sort_unstable();
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
    let mut first_of = |value: &str, line: u64| {
        if let Ok(number) = value.parse::<u32>() {
            if number.to_string() == value {
                found.numbers.insert(number, line);
            }
        }
    };
    let mut duplicates = Vec::new();

    // Short ids: equal keys are equal ids.
    let mut short = merged(parts.iter().map(|p| p.short.as_slice()).collect()).peekable();
    while let Some((high, low, first_line)) = short.next() {
        let value = unpack(high, low);
        first_of(&value, first_line);
        while let Some((_, _, line)) = short.next_if(|&(h, l, _)| (h, l) == (high, low)) {
            duplicates.push(Duplicate { line, value: value.clone(), first_line });
        }
    }

    // Long ids (rare: the ids of GDELT, ICEWS and COW data are shorter), all together: equal
    // hashes, then the texts compared, within a hash in line order.
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
                None => {
                    first_of(value, line);
                    seen.push((value, line));
                }
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
                ]),
                0..60,
            ),
            gaps in prop::collection::vec(1..3u64, 60),
            split in 0..60usize,
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
            let found = find(parts);
            prop_assert_eq!(sorted(found.duplicates), brute(&ids));
            // Each id that reads as a line number, at its first line; no other.
            let mut numbers = HashMap::new();
            for (id, line) in &ids {
                if let Ok(n) = id.parse::<u32>() {
                    if n.to_string() == *id {
                        numbers.entry(n).or_insert(*line);
                    }
                }
            }
            prop_assert_eq!(found.numbers, numbers);
        }

        /// Packing keeps an id's bytes and length: it reads back as the id.
        #[test]
        fn a_packed_id_unpacks_to_itself(id in "[a-zA-Z0-9é\\x00-]{0,15}") {
            match pack(&id) {
                Some((high, low)) => prop_assert_eq!(unpack(high, low), id),
                None => prop_assert!(id.len() > 15),
            }
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
