//! A read-only mapping of a file that another program may shorten while georel reads it.
//!
//! Reading a mapped page past the end of a file that was truncated raises SIGBUS, which ends
//! the process with no message. Copying the file into memory instead (pread) cannot fault, but
//! costs a 500 MB index its zeroed pages on every command: the first byte of a 10M snapshot
//! came 0.5–0.9 s later than from the mapping (BENCHMARKS.md, "The index mapped again"). So
//! the file is mapped, and a SIGBUS on an address inside a live mapping is caught: the handler
//! puts zero pages over the rest of the mapping (from the faulting page on: a truncation has
//! taken every page after it too), marks the mapping as faulted, and returns, so the read goes
//! on and sees zeros. The owner then asks [`Mapped::faulted`] and refuses what it read. A
//! SIGBUS anywhere else is handed to the handler that was there before (Rust's own, or the
//! default action), exactly as if this one did not exist.
//!
//! Only Linux: elsewhere the file is read into memory (see `load::index`).

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, Once};

/// How many mappings may be live at once: georel opens one index at a time (two in tests
/// running side by side); a mapping that finds no free slot is refused, not left unguarded.
const SLOTS: usize = 32;

/// Each slot's mapping: its first and one-past-last addresses (0 when free), and whether a
/// fault replaced some of its pages with zeros. Read by the signal handler, so atomics only.
static STARTS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static ENDS: [AtomicUsize; SLOTS] = [const { AtomicUsize::new(0) }; SLOTS];
static FAULTED: [AtomicBool; SLOTS] = [const { AtomicBool::new(false) }; SLOTS];
/// Serialises claiming and freeing slots (never taken by the handler).
static CLAIM: Mutex<()> = Mutex::new(());

static INSTALL: Once = Once::new();
static PAGE: AtomicUsize = AtomicUsize::new(4096);
/// The SIGBUS action before ours, to hand every fault that is not ours to.
static mut PREVIOUS: Option<libc::sigaction> = None;

/// A file mapped read-only, guarded against truncation: see the module's documentation.
pub(crate) struct Mapped {
    ptr: *mut u8,
    len: usize,
    slot: usize,
}

// SAFETY: the mapping is read-only and owned; its pages are shared by the threads that read
// them, as a `&[u8]` would be.
unsafe impl Send for Mapped {}
unsafe impl Sync for Mapped {}

impl Mapped {
    /// Maps the first `len` bytes of `file` (`len` > 0).
    ///
    /// # Errors
    /// When the file cannot be mapped, or too many mappings are live.
    pub(crate) fn of(file: &File, len: usize) -> io::Result<Mapped> {
        assert!(len > 0, "an empty mapping is never asked for");
        INSTALL.call_once(install);
        let _claim = CLAIM.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let slot = (0..SLOTS)
            .find(|&i| STARTS[i].load(Ordering::Acquire) == 0)
            .ok_or_else(|| io::Error::other("too many index files open at once"))?;
        // SAFETY: a new read-only private mapping of an open file; nothing else is at the
        // address the kernel chooses.
        let ptr = unsafe {
            libc::mmap(std::ptr::null_mut(), len, libc::PROT_READ, libc::MAP_PRIVATE, file.as_raw_fd(), 0)
        };
        if ptr == libc::MAP_FAILED {
            return Err(io::Error::last_os_error());
        }
        FAULTED[slot].store(false, Ordering::Release);
        ENDS[slot].store(ptr as usize + len, Ordering::Release);
        STARTS[slot].store(ptr as usize, Ordering::Release);
        Ok(Mapped { ptr: ptr.cast(), len, slot })
    }

    /// Whether some page read as zeros because the file had become shorter than the mapping:
    /// then nothing read from it since the file changed can be trusted.
    pub(crate) fn faulted(&self) -> bool {
        FAULTED[self.slot].load(Ordering::Acquire)
    }
}

impl Mapped {
    /// Gives back the pages of `part` (bytes of this mapping; others are left alone) that it
    /// holds whole: read again, they come back from the file. A decoder calls it behind itself,
    /// so that the pages it read no longer count in the process's memory beside what it built
    /// from them (a whole 10M index read while its relations were decoded was half a
    /// gigabyte more at the peak).
    pub(crate) fn release<T>(&self, part: &[T]) {
        let page = PAGE.load(Ordering::Relaxed);
        let (start, end) = (part.as_ptr() as usize, part.as_ptr() as usize + std::mem::size_of_val(part));
        let (mine, mine_end) = (self.ptr as usize, self.ptr as usize + self.len);
        let from = start.max(mine).next_multiple_of(page);
        let until = end.min(mine_end) / page * page;
        if from < until {
            // SAFETY: whole pages of this read-only private mapping, which nothing has written:
            // dropping them only makes the next read fetch them from the file again (or, past
            // a truncation, find the handler's zeros, as before).
            unsafe { libc::madvise(from as *mut libc::c_void, until - from, libc::MADV_DONTNEED) };
        }
    }
}

impl std::ops::Deref for Mapped {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        // SAFETY: `len` readable bytes at `ptr` for as long as `self` lives; a page the file
        // no longer backs reads as zeros (the handler), never faults the process.
        unsafe { std::slice::from_raw_parts(self.ptr, self.len) }
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        let _claim = CLAIM.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        STARTS[self.slot].store(0, Ordering::Release);
        ENDS[self.slot].store(0, Ordering::Release);
        // SAFETY: the mapping (with any zero pages put over it) is ours and no longer read.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
}

fn install() {
    // SAFETY: sysconf and sigaction with a handler that only reads atomics, maps pages and
    // stores a flag (async-signal-safe); the previous action is kept before ours is set.
    unsafe {
        let page = libc::sysconf(libc::_SC_PAGESIZE);
        if page > 0 {
            PAGE.store(page as usize, Ordering::Relaxed);
        }
        let mut previous: libc::sigaction = std::mem::zeroed();
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as usize;
        action.sa_flags = libc::SA_SIGINFO | libc::SA_ONSTACK;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, std::ptr::null(), &mut previous);
        PREVIOUS = Some(previous);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

extern "C" fn on_sigbus(signal: libc::c_int, info: *mut libc::siginfo_t, context: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for a SA_SIGINFO handler.
    let address = unsafe { (*info).si_addr() } as usize;
    let page = PAGE.load(Ordering::Relaxed);
    for slot in 0..SLOTS {
        let start = STARTS[slot].load(Ordering::Acquire);
        let end = ENDS[slot].load(Ordering::Acquire);
        if start == 0 || address < start || address >= end {
            continue;
        }
        let from = address & !(page - 1);
        // SAFETY: the pages from `from` to the mapping's end are ours; zero pages replace
        // them in one step, so a read on another thread sees the file's bytes or zeros.
        let zeros = unsafe {
            libc::mmap(
                from as *mut libc::c_void,
                end - from,
                libc::PROT_READ,
                libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                -1,
                0,
            )
        };
        if zeros != libc::MAP_FAILED {
            FAULTED[slot].store(true, Ordering::Release);
            return;
        }
    }
    // Not a page of ours (or no memory for zeros): what would have happened without us.
    // SAFETY: PREVIOUS was set before this handler was installed and never changes after.
    unsafe {
        match *std::ptr::addr_of!(PREVIOUS) {
            Some(previous)
                if previous.sa_sigaction != libc::SIG_DFL && previous.sa_sigaction != libc::SIG_IGN =>
            {
                if previous.sa_flags & libc::SA_SIGINFO != 0 {
                    let handler: extern "C" fn(libc::c_int, *mut libc::siginfo_t, *mut libc::c_void) =
                        std::mem::transmute(previous.sa_sigaction);
                    handler(signal, info, context);
                } else {
                    let handler: extern "C" fn(libc::c_int) = std::mem::transmute(previous.sa_sigaction);
                    handler(signal);
                }
            }
            _ => {
                // The default action: set it, and the access faults again when we return.
                libc::signal(libc::SIGBUS, libc::SIG_DFL);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_file_truncated_under_its_mapping_reads_as_zeros_and_is_marked() {
        let mut file = tempfile::tempfile().unwrap();
        let page = PAGE.load(Ordering::Relaxed).max(4096);
        let bytes: Vec<u8> = (0..4 * page).map(|i| (i % 251) as u8 + 1).collect();
        file.write_all(&bytes).unwrap();
        let mapped = Mapped::of(&file, bytes.len()).unwrap();
        assert_eq!(&mapped[..], &bytes[..]);
        assert!(!mapped.faulted());
        file.set_len(page as u64 + 10).unwrap();
        // Without the handler, this read kills the test process with SIGBUS.
        let sum: u64 = mapped.iter().map(|&b| u64::from(b)).sum();
        assert!(mapped.faulted());
        // The first page is still the file's; everything from the first missing page on is
        // zeros.
        assert_eq!(&mapped[..page], &bytes[..page]);
        assert!(mapped[2 * page..].iter().all(|&b| b == 0));
        assert!(sum < bytes.iter().map(|&b| u64::from(b)).sum());
        let other = Mapped::of(&file, page).unwrap();
        assert!(!other.faulted(), "a new mapping starts unmarked");
    }

    /// Pages given back come back from the file unchanged; memory that is not the mapping's
    /// (a heap buffer passed by mistake) is left alone, as are the pages a part holds only in
    /// part. Resident pages are counted in /proc/self/smaps.
    #[test]
    fn released_pages_leave_memory_and_read_back_the_same() {
        let mut file = tempfile::tempfile().unwrap();
        let page = PAGE.load(Ordering::Relaxed).max(4096);
        let bytes: Vec<u8> = (0..8 * page).map(|i| (i % 253) as u8).collect();
        file.write_all(&bytes).unwrap();
        let mapped = Mapped::of(&file, bytes.len()).unwrap();
        // The mapping's pages counted in the process's memory (its `Rss` in smaps).
        let resident = || {
            let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
            let head = format!("{:x}-", mapped.ptr as usize);
            let mine = smaps.split_once(&head).map(|x| x.1).unwrap();
            let rss = mine.lines().find_map(|l| l.strip_prefix("Rss:")).unwrap();
            let kb: usize = rss.trim().trim_end_matches("kB").trim().parse().unwrap();
            kb * 1024 / page
        };
        assert_eq!(&mapped[..], &bytes[..]);
        assert_eq!(resident(), 8);
        // Pages 1 and 2 whole, and half of page 3: only 1 and 2 go.
        mapped.release(&mapped[page..3 * page + page / 2]);
        mapped.release(&bytes[..]);
        assert_eq!(resident(), 6);
        assert_eq!(&mapped[..], &bytes[..]);
        assert!(bytes.iter().enumerate().all(|(i, &b)| b == (i % 253) as u8));
    }
}
