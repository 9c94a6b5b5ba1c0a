//! Atomic output files: each result is written to a temporary file beside its destination,
//! flushed to disk, and only then renamed over it. A failure part-way never leaves a
//! truncated file and never destroys an earlier result.
//!
//! Three kinds of destination are not replaced: a symbolic link is followed (the file it points
//! to receives the result, and the link stays); a destination that exists but is not a
//! regular file (`/dev/null`, a FIFO, a terminal) is written to directly, since renaming over
//! it would replace the device node itself; and a name of an open file descriptor
//! (`/dev/stdout`, `/dev/stderr`, `/dev/fd/N`, `/proc/self/fd/N`) is written through that
//! descriptor, even when it is a regular file (a shell's `> file` or `>> file`): replacing that
//! file would lose what was appended to it, or, when it was deleted, the link itself.

use std::fs::{self, File};
use std::io::{self, BufWriter, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::{Context, Result};

use super::cleanup;

/// A result written in full, waiting to be moved into place.
pub struct Staged {
    /// The temporary file, and the path it is renamed to (the destination with symbolic links
    /// resolved); `None` when the result went straight to a destination that is not a
    /// regular file. Closed once written (still removed when dropped): a result of many files,
    /// such as 2,000 frames, would otherwise hold a descriptor per file until the last.
    rename: Option<(tempfile::TempPath, PathBuf)>,
    /// The destination as the user named it, for messages.
    dest: PathBuf,
}

/// Whether a file georel writes should stay in the page cache once it is on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    /// A file that georel reads again next (an index, an imported dataset): written through
    /// the page cache, which keeps it for the next read.
    Keep,
    /// A result for the user: a large one goes to the disk past the page cache (see
    /// [`Sink`]), which is faster to write, and is read from the disk when it is opened.
    Bypass,
}

/// Writes `dest`'s future content to a temporary file in the same folder (so that the rename
/// is atomic), creating the folder if needed. A symbolic link is followed; a destination that
/// exists and is not a regular file (a device such as `/dev/null`, or a FIFO) is written to
/// directly instead.
///
/// # Errors
/// When the folder cannot be created or the content cannot be written; the destination is
/// untouched then (unless it is not a regular file, which cannot be written atomically).
pub fn stage(
    dest: &Path,
    cache: Cache,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<Staged> {
    let existing = fs::metadata(dest).ok();
    if let Some(meta) = &existing {
        refuse_protected(dest, meta)?;
        refuse_unmarked_dataset(dest, meta)?;
    }
    let descriptor = descriptor(dest);
    if let Some(fd @ (1 | 2)) = descriptor {
        // Our own standard output or error: written through it, where the shell pointed it.
        let mut out: BufWriter<Box<dyn Write>> = BufWriter::new(if fd == 1 {
            Box::new(io::stdout().lock())
        } else {
            Box::new(io::stderr().lock())
        });
        let written = write(&mut out).and_then(|()| out.flush());
        written.with_context(|| format!("cannot write {}", dest.display()))?;
        return Ok(Staged { rename: None, dest: dest.to_path_buf() });
    }
    if descriptor.is_some() || existing.as_ref().is_some_and(|m| !m.is_file() && !m.is_dir()) {
        // Opened by the name given, so that links such as /dev/fd/3 (whose final link names
        // a pipe, not a path) work; a descriptor's regular file is appended to, as its other
        // writers do.
        let file = fs::OpenOptions::new()
            .write(true)
            .append(descriptor.is_some() && existing.as_ref().is_some_and(fs::Metadata::is_file))
            .open(dest)
            .with_context(|| format!("cannot open {} for writing", dest.display()))?;
        let mut out = BufWriter::with_capacity(1 << 16, file);
        write(&mut out)
            .and_then(|()| out.flush())
            .with_context(|| format!("cannot write {}", dest.display()))?;
        return Ok(Staged { rename: None, dest: dest.to_path_buf() });
    }
    let target = match existing {
        Some(_) => fs::canonicalize(dest).unwrap_or_else(|_| dest.to_path_buf()),
        None => resolve(dest),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    make_folder(&dir)?;
    cleanup::sweep(&dir);
    let prefix = cleanup::prefix();
    let temp = cleanup::create(|| temp_builder(&prefix).tempfile_in(&dir))
        .with_context(|| format!("cannot create a temporary file in {}", dir.display()))?;
    write_behind(temp.as_file(), cache, write).with_context(|| format!("cannot write {}", dest.display()))?;
    temp.as_file().sync_all().with_context(|| format!("cannot write {}", dest.display()))?;
    cleanup::stall_for_tests(temp.path());
    Ok(Staged { rename: Some((temp.into_temp_path(), target)), dest: dest.to_path_buf() })
}

/// Creates the folder `dir` and its missing parents.
///
/// # Errors
/// When it cannot; when part of the path is a file, the message names that file
/// (`--out notes.txt/x.csv`: "notes.txt is a file, not a folder"), which the system's "File
/// exists" or "Not a directory" does not.
pub fn make_folder(dir: &Path) -> Result<()> {
    fs::create_dir_all(dir).map_err(|e| {
        let file = dir.ancestors().find(|a| fs::metadata(a).is_ok_and(|m| !m.is_dir()));
        match file {
            Some(file) => anyhow::anyhow!(
                "cannot create the output folder {}: {} is a file, not a folder; choose another --out",
                dir.display(),
                file.display()
            ),
            None => {
                anyhow::Error::new(e).context(format!("cannot create the output folder {}", dir.display()))
            }
        }
    })
}

/// A file that no result may replace, and why (for the message).
struct Protected {
    file: FileId,
    why: String,
}

/// Files that no result may replace in this process: see [`protect`].
static PROTECTED: std::sync::Mutex<Vec<Protected>> = std::sync::Mutex::new(Vec::new());

/// What identifies a file whatever the name it is reached by (a link, `..`, another
/// spelling): its device and inode where there are such, else its canonical path.
#[derive(Debug, Clone, PartialEq, Eq)]
enum FileId {
    #[cfg(unix)]
    Inode(u64, u64),
    #[cfg_attr(unix, allow(dead_code))]
    Path(PathBuf),
}

impl FileId {
    fn of(path: &Path, meta: &fs::Metadata) -> FileId {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            let _ = path;
            FileId::Inode(meta.dev(), meta.ino())
        }
        #[cfg(not(unix))]
        {
            let _ = meta;
            FileId::Path(fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()))
        }
    }
}

/// Forbids replacing or writing into the file `path` for the rest of the process (when it
/// exists): a command protects the files of the dataset it reads, so that no `--out` can
/// overwrite them, whatever name it gives them. `why` ends the refusal's first sentence:
/// "it is a file of the dataset being read".
pub fn protect(path: &Path, why: &str) {
    if let Ok(meta) = fs::metadata(path) {
        let file = FileId::of(path, &meta);
        PROTECTED
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(Protected { file, why: why.into() });
    }
}

/// Whether this process may replace the files of a dataset only in a folder georel wrote a
/// dataset into: see [`guard_datasets`].
static GUARD_DATASETS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Folders whose dataset files this process may replace all the same (an import appending to
/// the dataset there): see [`allow_dataset_in`].
static ALLOWED: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// From now on, no write of this process replaces `relations.csv`, `actors.csv` or
/// `sources.csv` in a folder that holds no [`MARK_FILE`](super::dataset::MARK_FILE): a
/// dataset georel did not write (a curated one), which `export --format dataset --out DIR` or
/// `snapshot --out DIR/relations.csv` replaced without a word. A command run with `--force`
/// does not call it.
pub fn guard_datasets() {
    GUARD_DATASETS.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Lets this process replace the dataset files in `dir` despite [`guard_datasets`]: the user
/// asked for that dataset to be changed (`import --append`).
pub fn allow_dataset_in(dir: &Path) {
    let dir = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    ALLOWED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(dir);
}

/// How every refusal to replace a file ends: what to do instead.
const REFUSAL_HELP: &str = "write the result elsewhere (another --out), or add --force to replace it";

/// Fails when `dest` (whose metadata is `meta`) is a protected file.
fn refuse_protected(dest: &Path, meta: &fs::Metadata) -> Result<()> {
    let protected = PROTECTED.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if protected.is_empty() {
        return Ok(());
    }
    let file = FileId::of(dest, meta);
    if let Some(p) = protected.iter().find(|p| p.file == file) {
        anyhow::bail!("refusing to replace {}: {}; {REFUSAL_HELP}", dest.display(), p.why);
    }
    Ok(())
}

/// Fails when `dest` (whose metadata is `meta`) is a file of a dataset that georel did not
/// write, once [`guard_datasets`] was called.
fn refuse_unmarked_dataset(dest: &Path, meta: &fs::Metadata) -> Result<()> {
    if !GUARD_DATASETS.load(std::sync::atomic::Ordering::Relaxed) {
        return Ok(());
    }
    let data_file = dest.file_name().and_then(|n| n.to_str()).is_some_and(|name| {
        [
            crate::load::RELATIONS_FILE,
            crate::load::RELATIONS_PARQUET,
            crate::load::ACTORS_FILE,
            crate::load::SOURCES_FILE,
        ]
        .contains(&name)
    });
    if !data_file || !meta.is_file() {
        return Ok(());
    }
    let dir = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mark = super::dataset::MARK_FILE;
    if fs::symlink_metadata(dir.join(mark)).is_ok() {
        return Ok(());
    }
    let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if ALLOWED.lock().unwrap_or_else(std::sync::PoisonError::into_inner).contains(&canonical) {
        return Ok(());
    }
    anyhow::bail!(
        "refusing to replace {}: it is a file of a dataset that georel did not write (there is no {mark} in {}); \
         {REFUSAL_HELP}",
        dest.display(),
        dir.display()
    )
}

/// Runs `write` with its output going to `file` through a second thread: full 1 MiB buffers
/// are handed over and written there while the next one is filled, so that putting the
/// output together and writing it out run at once. With [`Cache::Bypass`], full buffers go to
/// the disk past the page cache when the file system allows it ([`Sink`]).
fn write_behind(
    file: &File,
    cache: Cache,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Written> {
    write_behind_to(Sink::new(file, cache == Cache::Bypass), write)
}

/// As [`write_behind`], into `sink`; returns how its buffers were written.
fn write_behind_to(
    mut sink: Sink<'_>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> io::Result<Written> {
    std::thread::scope(|scope| {
        let (full, to_write) = mpsc::sync_channel::<Chunk>(2);
        let (give_back, spare) = mpsc::channel::<Chunk>();
        let writer = scope.spawn(move || -> io::Result<Written> {
            for chunk in to_write {
                sink.write(chunk.content())?;
                // The other side may have finished: then the buffer is simply dropped.
                let _ = give_back.send(chunk);
            }
            Ok(sink.written)
        });
        let mut out = WriteBehind { chunk: Chunk::new(), full: Some(full), spare };
        let wrote = write(&mut out).and_then(|()| out.hand_over());
        out.full = None;
        let written = writer.join().expect("writing a buffer does not panic");
        // The writer's own error first: a send fails only because the writer stopped.
        written.and_then(|w| wrote.map(|()| w))
    })
}

/// The size of the buffers that [`write_behind`] hands over: a multiple of [`ALIGN`].
const CHUNK: usize = 1 << 20;

/// The alignment of the memory, the file offset and the length of a write past the page cache
/// (`O_DIRECT`): the logical block size of the device, 512 or 4096 bytes on common ones.
const ALIGN: usize = 4096;

/// A buffer of up to [`CHUNK`] bytes that start at an address aligned to [`ALIGN`] (when the
/// allocator's address allows; else a write of it past the page cache fails, and [`Sink`]
/// writes it through the page cache). It never grows, so never moves.
struct Chunk {
    bytes: Vec<u8>,
    start: usize,
}

impl Chunk {
    fn new() -> Chunk {
        let mut bytes = Vec::<u8>::with_capacity(CHUNK + ALIGN);
        let start = bytes.as_ptr().align_offset(ALIGN).min(ALIGN);
        bytes.resize(start, 0);
        Chunk { bytes, start }
    }

    fn content(&self) -> &[u8] {
        &self.bytes[self.start..]
    }

    fn room(&self) -> usize {
        CHUNK - self.content().len()
    }

    fn clear(&mut self) {
        self.bytes.truncate(self.start);
    }
}

/// How a [`Sink`]'s buffers went to the file: full buffers past the page cache, and the others
/// through it (the last one, or all of them when the file system does not allow `O_DIRECT`).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Written {
    direct: usize,
    cached: usize,
}

/// Where [`write_behind`]'s thread writes the buffers, in order from the file's start.
///
/// A result file is flushed to disk before it is renamed into place ([`stage`]), so all of it
/// goes to the disk before georel returns whichever way it is written. Copied through the page
/// cache, a large output's copy took as long as putting it together (0.24 to 0.83 s for the
/// 250 MB of a snapshot of 10 million relations, on pages that this machine hands out slowly),
/// and then the flush wrote it all. So, for a result ([`Cache::Bypass`]), full aligned buffers
/// from the second on are written past the page cache (`O_DIRECT`, through a second descriptor
/// of the same file) while the next ones are put together; the others go through the page
/// cache, as does everything when the file system refuses `O_DIRECT` (some do, tmpfs before
/// Linux 6.6 for one), or a write past it fails (then written again through the cache, which
/// reports a real failure).
struct Sink<'f> {
    file: &'f File,
    /// The same file opened for writes past the page cache; `None` once it is refused.
    direct: Option<File>,
    /// Whether to try; the direct descriptor is opened at the second full buffer.
    try_direct: bool,
    offset: u64,
    written: Written,
}

impl<'f> Sink<'f> {
    fn new(file: &'f File, try_direct: bool) -> Sink<'f> {
        Sink { file, direct: None, try_direct, offset: 0, written: Written::default() }
    }

    fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        let aligned = bytes.len() == CHUNK && self.offset.is_multiple_of(ALIGN as u64);
        // The first buffer goes through the descriptor given, which shows that it is open for
        // writing: the second one, opened by name, is not bound by the first one's mode.
        if aligned && self.try_direct && self.direct.is_none() && self.offset > 0 {
            self.direct = open_direct(self.file);
            self.try_direct = self.direct.is_some();
        }
        if let Some(direct) = self.direct.as_ref().filter(|_| aligned) {
            if write_at(direct, bytes, self.offset).is_ok() {
                self.offset += bytes.len() as u64;
                self.written.direct += 1;
                return Ok(());
            }
            // Refused (or failed part-way): this buffer and the rest go through the cache.
            (self.direct, self.try_direct) = (None, false);
        }
        write_at(self.file, bytes, self.offset)?;
        self.offset += bytes.len() as u64;
        self.written.cached += 1;
        Ok(())
    }
}

/// Writes all of `bytes` into `file` from `offset`.
fn write_at(mut file: &File, bytes: &[u8], offset: u64) -> io::Result<()> {
    file.seek(io::SeekFrom::Start(offset))?;
    file.write_all(bytes)
}

/// `file` opened again, for writes past the page cache; `None` where that is not possible.
#[cfg(target_os = "linux")]
fn open_direct(file: &File) -> Option<File> {
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::OpenOptionsExt;
    // The descriptor's own entry names this very file, even if it was renamed meanwhile.
    fs::OpenOptions::new()
        .write(true)
        .custom_flags(libc::O_DIRECT)
        .open(format!("/proc/self/fd/{}", file.as_raw_fd()))
        .ok()
}

#[cfg(not(target_os = "linux"))]
fn open_direct(_: &File) -> Option<File> {
    None
}

/// The writing side of [`write_behind`].
struct WriteBehind {
    chunk: Chunk,
    full: Option<mpsc::SyncSender<Chunk>>,
    spare: mpsc::Receiver<Chunk>,
}

impl WriteBehind {
    /// Hands the buffer to the writing thread, and takes a spare one back if there is one.
    fn hand_over(&mut self) -> io::Result<()> {
        if self.chunk.content().is_empty() {
            return Ok(());
        }
        let next = self.spare.try_recv().map_or_else(
            |_| Chunk::new(),
            |mut c| {
                c.clear();
                c
            },
        );
        let full = std::mem::replace(&mut self.chunk, next);
        let stopped = || io::Error::other("the file writer stopped");
        self.full.as_ref().ok_or_else(stopped)?.send(full).map_err(|_| stopped())
    }
}

impl Write for WriteBehind {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        // Up to the buffer's room, so that it never grows (and moves off its alignment).
        let n = bytes.len().min(self.chunk.room());
        self.chunk.bytes.extend_from_slice(&bytes[..n]);
        if self.chunk.room() == 0 {
            self.hand_over()?;
        }
        Ok(n)
    }

    /// Nothing to do: what is buffered is in the file once [`write_behind`] returns, and
    /// handing over a buffer before it is full would leave the next ones off the alignment
    /// that writing past the page cache needs ([`Sink`]).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Whether a result for `dest` is written straight into it rather than into a temporary file
/// renamed over it: when `dest` names an open file descriptor or exists and is not a regular
/// file. What was written then stays written if the result fails part-way.
pub fn writes_directly(dest: &Path) -> bool {
    descriptor(dest).is_some() || fs::metadata(dest).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

/// The open file descriptor that `dest` names, directly or through symbolic links:
/// `/dev/stdout` (1), `/dev/stderr` (2), `/dev/stdin` (0), `/dev/fd/N`, `/proc/self/fd/N` or
/// `/proc/PID/fd/N` with our PID.
fn descriptor(dest: &Path) -> Option<u32> {
    let mut path = dest.to_path_buf();
    for _ in 0..40 {
        let text = path.to_str()?;
        let fd = match text {
            "/dev/stdin" => Some(0),
            "/dev/stdout" => Some(1),
            "/dev/stderr" => Some(2),
            _ => {
                let rest = text.strip_prefix("/dev/fd/").or_else(|| {
                    let rest = text.strip_prefix("/proc/")?;
                    let (pid, rest) = rest.split_once('/')?;
                    let ours = pid == "self" || pid == std::process::id().to_string();
                    rest.strip_prefix("fd/").filter(|_| ours)
                });
                rest.and_then(|n| n.parse().ok())
            }
        };
        if fd.is_some() {
            return fd;
        }
        let link = fs::read_link(&path).ok()?;
        path = match path.parent() {
            Some(parent) if link.is_relative() => parent.join(link),
            _ => link,
        };
    }
    None
}

/// The file a write to a `dest` that does not exist yet should create: `dest` itself, or, when
/// it is a dangling symbolic link, the path at the end of the chain of links.
fn resolve(dest: &Path) -> PathBuf {
    let mut path = dest.to_path_buf();
    // A bound on the chain, as the kernel has (ELOOP): a cycle of links stays as named, and
    // the rename then fails or replaces the link, never loops.
    for _ in 0..40 {
        match fs::read_link(&path) {
            Ok(link) => {
                path = match path.parent() {
                    Some(parent) if link.is_relative() => parent.join(link),
                    _ => link,
                };
            }
            Err(_) => return path,
        }
    }
    dest.to_path_buf()
}

/// Temporary files are named `PREFIX` (`.georel-PID-`, see [`cleanup`]), six random
/// characters and `.tmp`, and created with the mode an ordinary new file gets (0666 less the
/// umask): tempfile's private default (0600) would otherwise become the result's mode after
/// the rename, and hide it from other users.
fn temp_builder(prefix: &str) -> tempfile::Builder<'_, 'static> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(cleanup::SUFFIX).rand_bytes(6);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    builder
}

/// Renames staged files into place, in order. Call it once every file of a result has been
/// staged, so that a failure while writing any of them leaves all destinations untouched.
///
/// # Errors
/// When a rename fails (the files renamed before it stay in place).
pub fn commit(staged: Vec<Staged>) -> Result<Vec<PathBuf>> {
    let mut written = Vec::with_capacity(staged.len());
    for Staged { rename, dest } in staged {
        if let Some((temp, target)) = rename {
            // The rename's own error: tempfile's wrapper repeats it in its message and again
            // as its source, which printed it twice.
            let path = temp.to_path_buf();
            cleanup::settle(&path, || temp.persist(&target))
                .map_err(|e| e.error)
                .with_context(|| format!("cannot move the result into place at {}", dest.display()))?;
        }
        written.push(dest);
    }
    Ok(written)
}

/// Stages and commits a single file.
///
/// # Errors
/// As [`stage`] and [`commit`].
pub fn write_file(
    dest: &Path,
    cache: Cache,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf> {
    let staged = stage(dest, cache, write)?;
    Ok(commit(vec![staged])?.remove(0))
}

/// A destination that is a symbolic link where georel keeps a file of its own beside the
/// user's data (the index): see [`write_own_file`].
#[derive(Debug, thiserror::Error)]
#[error(
    "{} is a symbolic link; georel never follows or replaces a link there: remove it (rm {}), and run georel index again",
    .0.display(),
    .0.display()
)]
pub struct IsLink(pub PathBuf);

/// As [`write_file`], for a file that georel keeps for itself beside the user's data (the
/// index): a symbolic link in its place is refused, neither followed (its target may be any
/// file of the user's) nor replaced (someone put it there). Looked at before the content is
/// written and again just before the rename, which replaces (never follows) a link that
/// appears in between.
///
/// # Errors
/// [`IsLink`]; otherwise as [`write_file`].
pub fn write_own_file(
    dest: &Path,
    cache: Cache,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<PathBuf> {
    let refuse_link = || match fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => Err(anyhow::Error::new(IsLink(dest.to_path_buf()))),
        _ => Ok(()),
    };
    refuse_link()?;
    let staged = stage(dest, cache, write)?;
    refuse_link()?;
    // `stage` resolves links: a link put in place meanwhile shows as another name.
    if staged.rename.as_ref().is_some_and(|(_, target)| target.file_name() != dest.file_name()) {
        return Err(IsLink(dest.to_path_buf()).into());
    }
    Ok(commit(vec![staged])?.remove(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(target_os = "linux")]
    #[test]
    fn names_of_open_descriptors_are_recognised() {
        for (name, fd) in [
            ("/dev/stdout", Some(1)),
            ("/dev/stderr", Some(2)),
            ("/dev/fd/5", Some(5)),
            ("/proc/self/fd/1", Some(1)),
            ("/proc/self/fdinfo/1", None),
            ("/dev/null", None),
            ("/tmp/x.csv", None),
            ("out.csv", None),
        ] {
            assert_eq!(descriptor(Path::new(name)), fd, "{name}");
        }
        let ours = format!("/proc/{}/fd/2", std::process::id());
        assert_eq!(descriptor(Path::new(&ours)), Some(2));
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/dev/stdout", &link).unwrap();
        assert_eq!(descriptor(&link), Some(1), "through a link");
        assert!(writes_directly(&link));
        assert!(!writes_directly(&dir.path().join("plain.csv")));
    }

    /// Whether files in `dir` can be written past the page cache: a write of one aligned
    /// block through a descriptor opened with `O_DIRECT`.
    #[cfg(target_os = "linux")]
    fn direct_writes_work_in(dir: &Path) -> bool {
        use std::os::unix::fs::OpenOptionsExt;
        let chunk = Chunk::new();
        let mut block = chunk.bytes;
        block.resize(chunk.start + ALIGN, b'x');
        let opened = fs::OpenOptions::new()
            .write(true)
            .create(true)
            .custom_flags(libc::O_DIRECT)
            .open(dir.join("probe"));
        opened.is_ok_and(|mut f| f.write_all(&block[chunk.start..]).is_ok())
    }

    #[cfg(not(target_os = "linux"))]
    fn direct_writes_work_in(_: &Path) -> bool {
        false
    }

    /// Writes `expected` in pieces through [`write_behind_to`] into a new file, and returns
    /// how its buffers went; checks that the file holds `expected`, byte for byte.
    fn write_in_pieces(dir: &Path, expected: &[u8], try_direct: bool, direct: Option<File>) -> Written {
        let path = dir.join("big");
        let file = File::create(&path).unwrap();
        let sink = Sink { direct, ..Sink::new(&file, try_direct) };
        let written = write_behind_to(sink, |out| {
            let (first, rest) = expected.split_at(expected.len().min(75));
            out.write_all(first)?;
            // A flush part-way (a CSV writer flushes when it is dropped) does not cut a buffer.
            out.flush()?;
            for piece in rest.chunks(7_001) {
                out.write_all(piece)?;
            }
            out.flush()?;
            out.write_all(b"")
        })
        .unwrap();
        drop(file);
        assert!(fs::read(&path).unwrap() == expected, "the file holds what was written");
        written
    }

    #[test]
    fn writing_behind_keeps_every_byte_in_order_across_buffers() {
        let dir = tempfile::tempdir().unwrap();
        let expected: Vec<u8> = (0..(5 * CHUNK + 12_345)).map(|i| (i % 251) as u8).collect();
        // The first full buffer through the page cache, the others past it where the file
        // system allows, the last partial one through the cache.
        let direct = if direct_writes_work_in(dir.path()) { 4 } else { 0 };
        for (cache, direct) in [(Cache::Bypass, direct), (Cache::Keep, 0)] {
            let file = File::create(dir.path().join(format!("{cache:?}"))).unwrap();
            let written = write_behind(&file, cache, |out| out.write_all(&expected)).unwrap();
            assert_eq!(written, Written { direct, cached: 6 - direct }, "{cache:?}");
        }
        assert_eq!(
            write_in_pieces(dir.path(), &expected, true, None),
            Written { direct, cached: 6 - direct }
        );
        assert_eq!(write_in_pieces(dir.path(), &expected, false, None), Written { direct: 0, cached: 6 });
        // Whole buffers only: none is partial.
        let whole = &expected[..2 * CHUNK];
        assert_eq!(
            write_in_pieces(dir.path(), whole, true, None),
            Written { direct: direct.min(1), cached: 2 - direct.min(1) }
        );
        for small in [&expected[..0], &expected[..1], &expected[..CHUNK - 1]] {
            assert_eq!(
                write_in_pieces(dir.path(), small, true, None).direct,
                0,
                "{} bytes go through the cache",
                small.len()
            );
        }
    }

    #[test]
    fn a_refused_write_past_the_cache_is_made_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let expected: Vec<u8> = (0..(3 * CHUNK + 99)).map(|i| (i % 241) as u8).collect();
        // A "direct" descriptor that refuses every write: open for reading only.
        fs::write(dir.path().join("other"), b"").unwrap();
        let refusing = File::open(dir.path().join("other")).unwrap();
        assert_eq!(
            write_in_pieces(dir.path(), &expected, true, Some(refusing)),
            Written { direct: 0, cached: 4 }
        );
    }

    #[test]
    fn a_failing_file_write_is_reported_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("read-only handle");
        fs::write(&path, b"").unwrap();
        let file = File::open(&path).unwrap();
        let result = write_behind(&file, Cache::Bypass, |out| {
            for _ in 0..4 {
                out.write_all(&vec![b'x'; CHUNK])?;
            }
            Ok(())
        });
        let err = result.unwrap_err();
        assert_ne!(err.to_string(), "the file writer stopped", "the file's own error comes first");
    }

    #[test]
    fn writes_the_whole_content_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("sub/result.csv");
        write_file(&dest, Cache::Bypass, |out| out.write_all(b"a,b\n1,2\n")).unwrap();
        assert_eq!(fs::read(&dest).unwrap(), b"a,b\n1,2\n");
        let names: Vec<_> =
            fs::read_dir(dest.parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["result.csv"]);
    }

    #[test]
    fn a_failed_write_keeps_the_earlier_result() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("result.csv");
        fs::write(&dest, "earlier\n").unwrap();
        let failed = write_file(&dest, Cache::Bypass, |out| {
            out.write_all(b"half of it")?;
            Err(io::Error::other("disk full"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_to_string(&dest).unwrap(), "earlier\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "the temporary file is removed");
    }

    /// Regression: results came out 0600 (tempfile's private mode), unreadable by others.
    #[cfg(unix)]
    #[test]
    fn results_get_the_mode_of_an_ordinary_new_file() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary");
        fs::File::create(&ordinary).unwrap();
        let dest = dir.path().join("result.csv");
        write_file(&dest, Cache::Bypass, |out| out.write_all(b"x")).unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dest), mode(&ordinary));
    }

    /// Regression: `--out /dev/null` renamed the temporary file over the device node, turning
    /// `/dev/null` into a regular file for every program on the machine. A FIFO stands in for
    /// the device here: it must stay a FIFO, and its reader must receive the content.
    #[cfg(unix)]
    #[test]
    fn a_destination_that_is_not_a_regular_file_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).unwrap())
        };
        write_file(&fifo, Cache::Bypass, |out| out.write_all(b"a,b\n")).unwrap();
        // Checked before joining: had the FIFO been replaced, the reader would wait forever.
        assert!(fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "still a FIFO");
        assert_eq!(reader.join().unwrap(), b"a,b\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
    }

    /// A symbolic link stays a link; the file it points to receives the result.
    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("real")).unwrap();
        let target = dir.path().join("real/result.csv");
        fs::write(&target, "earlier\n").unwrap();
        let link = dir.path().join("latest.csv");
        std::os::unix::fs::symlink("real/result.csv", &link).unwrap();
        let written = write_file(&link, Cache::Bypass, |out| out.write_all(b"new\n")).unwrap();
        assert_eq!(written, link);
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
        // A dangling link: the file it names is created.
        let dangling = dir.path().join("next.csv");
        std::os::unix::fs::symlink("real/next.csv", &dangling).unwrap();
        write_file(&dangling, Cache::Bypass, |out| out.write_all(b"x")).unwrap();
        assert!(fs::symlink_metadata(&dangling).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(dir.path().join("real/next.csv")).unwrap(), "x");
    }
}
