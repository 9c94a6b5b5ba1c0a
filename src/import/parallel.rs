//! Reading one text stream on every core while keeping the answers of reading it in order:
//! the stream is cut into line-aligned chunks of a few MB, worker threads parse the chunks,
//! and one thread folds their results strictly in chunk order, so that whatever the fold
//! decides in input order (the first occurrence of an id counts, line numbers, the order of
//! rejected rows) is decided as a sequential read decides it. At most a few chunks are in
//! flight: memory does not grow with the input.

use std::collections::BTreeMap;
use std::io::{self, Read};
use std::sync::mpsc;
use std::sync::Mutex;

use anyhow::Result;

/// The chunk size used unless the seam [`CHUNK_VAR`] says otherwise.
pub const CHUNK: usize = 4 << 20;

/// Test and benchmark seam: `0` reads a stream on one thread, as before chunked reading (the
/// reference the chunked read is tested against); a number of bytes sets the chunk size (the
/// tests use tiny chunks, so that ids, rejects and line breaks fall across chunk boundaries).
pub const CHUNK_VAR: &str = "GEOREL_IMPORT_CHUNK";

/// How a stream is read: `None` on one thread, or in chunks of this many bytes.
pub fn chunking() -> Option<usize> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    match std::env::var(CHUNK_VAR).ok().and_then(|v| v.trim().parse::<usize>().ok()) {
        Some(0) => None,
        Some(n) => Some(n),
        None if threads > 1 => Some(CHUNK),
        None => None,
    }
}

/// One chunk: whole lines (each but possibly the stream's last ends with its line break; a
/// CRLF is never cut in two), and its number in the stream.
pub struct Chunk {
    pub seq: u64,
    pub bytes: Vec<u8>,
}

/// Reads `input` in chunks of about `size` bytes, has `parse` turn each into a batch on
/// worker threads, and hands the batches to `fold` in stream order (on one thread). A
/// batch keeps its chunk (to borrow from it while folding); the chunk's buffer is reused.
///
/// # Errors
/// The first error of `fold` (reading stops); else `Ok` of a read error (after every chunk
/// read before it has been folded).
pub fn read<B, P, F>(input: &mut dyn Read, size: usize, parse: P, fold: F) -> Result<io::Result<()>>
where
    B: Send,
    P: Fn(&Chunk) -> B + Sync,
    F: FnMut(&Chunk, B) -> Result<()> + Send,
{
    let size = size.max(1);
    let workers = std::thread::available_parallelism().map_or(1, usize::from).max(1);
    // Chunks in flight: one being read, one per worker, and a few waiting to be folded.
    let in_flight = workers + 3;
    let (free_tx, free_rx) = mpsc::channel::<Vec<u8>>();
    for _ in 0..in_flight {
        free_tx.send(Vec::with_capacity(size + 1024)).expect("the receiver is here");
    }
    let (job_tx, job_rx) = mpsc::channel::<Chunk>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<(Chunk, B)>();
    std::thread::scope(|scope| {
        let parse = &parse;
        let job_rx = &job_rx;
        for _ in 0..workers {
            let done_tx = done_tx.clone();
            scope.spawn(move || loop {
                let job = job_rx.lock().unwrap_or_else(std::sync::PoisonError::into_inner).recv();
                let Ok(chunk) = job else { return };
                let batch = parse(&chunk);
                if done_tx.send((chunk, batch)).is_err() {
                    return;
                }
            });
        }
        drop(done_tx);
        let folder = scope.spawn(move || -> Result<()> {
            let mut fold = fold;
            let mut waiting: BTreeMap<u64, (Chunk, B)> = BTreeMap::new();
            let mut next = 0u64;
            for (chunk, batch) in done_rx {
                waiting.insert(chunk.seq, (chunk, batch));
                while let Some((chunk, batch)) = waiting.remove(&next) {
                    fold(&chunk, batch)?;
                    next += 1;
                    // The reader may be gone (it stopped at an error): the buffer is let go.
                    let _ = free_tx.send(chunk.bytes);
                }
            }
            Ok(())
        });
        let read = split(input, size, &free_rx, &job_tx);
        drop(job_tx);
        let folded = folder.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        folded.map(|()| read)
    })
}

/// Reads `input` into line-aligned chunks, sent to `jobs` in order; stops early when the
/// fold stopped (no buffer comes back).
fn split(
    input: &mut dyn Read,
    size: usize,
    free: &mpsc::Receiver<Vec<u8>>,
    jobs: &mpsc::Sender<Chunk>,
) -> io::Result<()> {
    // Bytes read after the last complete line of the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut seq = 0u64;
    let mut ended = false;
    while !ended {
        let Ok(mut buf) = free.recv() else { return Ok(()) };
        buf.clear();
        buf.append(&mut carry);
        // Fill to `size`, and on past it until a line break is in (a line longer than a chunk).
        loop {
            let want = if buf.len() < size { size - buf.len() } else { size.max(64 * 1024) };
            let got = read_some(input, &mut buf, want)?;
            if got == 0 {
                ended = true;
                break;
            }
            if buf.len() >= size && cut(&buf).is_some() {
                break;
            }
        }
        if !ended {
            let at = cut(&buf).expect("a line break was read");
            carry.extend_from_slice(&buf[at..]);
            buf.truncate(at);
        }
        if buf.is_empty() {
            continue;
        }
        if jobs.send(Chunk { seq, bytes: buf }).is_err() {
            return Ok(());
        }
        seq += 1;
    }
    Ok(())
}

/// Where a chunk ends: just after its last line break whose line break is complete (a CR at
/// the very end may be the first half of a CRLF, so it is left for the next chunk).
fn cut(buf: &[u8]) -> Option<usize> {
    let mut end = buf.len();
    while let Some(at) = memchr::memrchr2(b'\n', b'\r', &buf[..end]) {
        if buf[at] == b'\n' || at + 1 < buf.len() {
            return Some(at + 1);
        }
        end = at;
    }
    None
}

/// Appends up to `want` bytes read from `input`; 0 at its end.
fn read_some(input: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<usize> {
    // Not `resize` and `read`: zeroing every chunk before reading into it cost a tenth of
    // the reading thread's time.
    input.take(want as u64).read_to_end(buf)
}

/// Line breaks as an editor counts them: LF, CR alone, CRLF as one.
pub fn count_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0u64;
    for at in memchr::memchr2_iter(b'\n', b'\r', bytes) {
        if bytes[at] == b'\n' || bytes.get(at + 1) != Some(&b'\n') {
            n += 1;
        }
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_whole_lines_in_order_and_nothing_is_lost() {
        let text = b"a\tb\r\n\r\nccc\n\n\nd\r\n\r\n\r\ne\tf\rg\r\r\nlast";
        for size in [1, 2, 3, 5, 8, 100] {
            let got = Mutex::new(Vec::new());
            read(
                &mut &text[..],
                size,
                |c: &Chunk| c.bytes.clone(),
                |c: &Chunk, b: Vec<u8>| {
                    assert_eq!(c.bytes, b);
                    got.lock().unwrap().push((c.seq, b));
                    Ok(())
                },
            )
            .unwrap()
            .unwrap();
            let got = got.into_inner().unwrap();
            let seqs: Vec<u64> = got.iter().map(|(s, _)| *s).collect();
            assert_eq!(seqs, (0..got.len() as u64).collect::<Vec<_>>(), "size {size}");
            let all: Vec<u8> = got.iter().flat_map(|(_, b)| b.clone()).collect();
            assert_eq!(all, text, "size {size}");
            for (_, b) in &got[..got.len() - 1] {
                assert!(b.ends_with(b"\n") || b.ends_with(b"\r"), "size {size}: {b:?}");
            }
            let breaks: u64 = got.iter().map(|(_, b)| count_breaks(b)).sum();
            assert_eq!(breaks, count_breaks(text), "size {size}: no CRLF cut in two");
        }
    }
}
