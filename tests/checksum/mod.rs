//! The index file's checksum, recomputed as a faulty writer would leave it, so that tests and
//! fuzz targets that change an index's bytes reach past the checksum into the decoding. Shared
//! by `tests/cli/index.rs`, `tests/index_properties.rs` and `fuzz/fuzz_targets/index.rs`, and
//! written apart from georel's own code: `rehash_gives_the_checksum_that_georel_writes` (in
//! `tests/cli/index.rs`) checks that the two agree.

use xxhash_rust::xxh3::xxh3_128;

/// The trailer's size: it ends the file. Mirrors `Trailer` in `src/load/index.rs`.
pub const TRAILER: usize = 448;
/// Where the checksum (16 bytes) starts, counted from the end of the file: it is followed by
/// the format and the byte order (4 bytes each) and the magic number (8).
pub const HASH_FROM_END: usize = 32;

/// Recomputes the checksum in place: the xxh3-128 of the body's hash and of the trailer with
/// the checksum zeroed, the body's hash being the xxh3-128 of the xxh3-128s of its 4 MiB
/// blocks (format 5), stored low half first. A file shorter than a trailer is left as it is.
pub fn rehash(bytes: &mut [u8]) {
    if bytes.len() < TRAILER {
        return;
    }
    let field = bytes.len() - HASH_FROM_END..bytes.len() - HASH_FROM_END + 16;
    bytes[field.clone()].fill(0);
    let (body, trailer) = bytes.split_at(bytes.len() - TRAILER);
    let mut blocks: Vec<u8> = body.chunks(4 << 20).flat_map(|b| xxh3_128(b).to_le_bytes()).collect();
    if body.is_empty() {
        blocks.extend(xxh3_128(b"").to_le_bytes());
    }
    let mut whole = xxh3_128(&blocks).to_le_bytes().to_vec();
    whole.extend_from_slice(trailer);
    bytes[field].copy_from_slice(&xxh3_128(&whole).to_le_bytes());
}
