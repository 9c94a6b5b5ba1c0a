//! Trusting an index without reading it: what `stat` shows of the data files and of the
//! index, recorded beside them (`DIR/.georel-index.stamp`) once georel has verified the index
//! in full, as git trusts its index for files whose stat data did not change.
//!
//! A [`Fingerprint`] holds, for `relations.csv`, `actors.csv`, `sources.csv` and
//! `.georel-index`, the [`FileId`] each had when georel opened it, before hashing it: device,
//! inode, size, modification time and change time (to the nanosecond), or that it was
//! missing; the index's checksum; and the clock just before those files were looked at. A
//! later open that finds the four files with the same identities trusts the index without
//! hashing anything ([`Fingerprint::vouches`]).
//!
//! Why the identity is enough: the change time (ctime) is set by the kernel, to its own clock,
//! on every write, truncation, rename into place, `chmod` or `touch` of the file, and no
//! program can set it back (`touch -r`, a restored backup, `cp -p` set the modification time,
//! not the change time); a file replaced by another has another inode, or the same inode
//! with a new change time. Only the clock's granularity leaves a gap: a file changed again
//! within the same tick of the clock as its last change keeps its change time. Hence git's
//! racy rule ([`FileId::racy`]): a file whose change time is not strictly before the clock
//! reading taken before it was looked at is never vouched for (it is hashed, and vouched for
//! at a later open, once its change is in the past). Fingerprints are also never relied on
//! where the kernel does not keep the change time itself ([`stat_is_trusted_in`]: network
//! and FUSE file systems, whose `stat` may be cached or come from another machine's clock;
//! FAT, exFAT, NTFS), for files on another device than the index (another clock), nor off
//! Linux: there every open hashes, as before.
//!
//! What a fingerprint cannot see: a program that writes into the file through a shared memory
//! map without ever faulting a page again (the kernel updates the times at the first write
//! fault only), a clock set back to the very tick of a file's last change, and writes to the
//! raw device below the file system. `georel index --verify` hashes everything regardless.

use std::fs::{File, Metadata};
use std::io::{self, Read};
use std::path::Path;

use bytemuck::{Pod, Zeroable};
use xxhash_rust::xxh3::xxh3_128;

/// The fingerprint's file name inside a dataset folder, beside the index.
pub const STAMP_FILE: &str = ".georel-index.stamp";

const MAGIC: [u8; 8] = *b"GEORELST";
/// Raised whenever the fingerprint's layout or meaning changes: an older one is then not
/// understood, and the next open hashes and records a new one.
const FORMAT: u32 = 1;
const BYTE_ORDER: u32 = 0x0102_0304;

/// A moment, as (seconds, nanoseconds) since the Unix epoch.
pub type Time = [i64; 2];

/// A file as `stat` shows it: all zeros when it is missing.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub struct FileId {
    pub present: u64,
    pub dev: u64,
    pub ino: u64,
    pub size: u64,
    pub mtime: Time,
    pub ctime: Time,
}

impl FileId {
    pub const MISSING: FileId = FileId { present: 0, dev: 0, ino: 0, size: 0, mtime: [0; 2], ctime: [0; 2] };

    /// The identity of the file whose metadata is `m`.
    #[cfg(unix)]
    pub fn of(m: &Metadata) -> FileId {
        use std::os::unix::fs::MetadataExt as _;
        FileId {
            present: 1,
            dev: m.dev(),
            ino: m.ino(),
            size: m.size(),
            mtime: [m.mtime(), m.mtime_nsec()],
            ctime: [m.ctime(), m.ctime_nsec()],
        }
    }

    /// The identity of the file whose metadata is `m` (without inode or change time here:
    /// fingerprints are not relied on off Linux).
    #[cfg(not(unix))]
    pub fn of(m: &Metadata) -> FileId {
        let mtime = m
            .modified()
            .ok()
            .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
            .map_or([0; 2], |d| [d.as_secs() as i64, i64::from(d.subsec_nanos())]);
        FileId { present: 1, dev: 0, ino: 0, size: m.len(), mtime, ctime: [0; 2] }
    }

    /// The identity of the file at `path` (following symbolic links, as the loader does), or
    /// [`FileId::MISSING`] when there is none.
    ///
    /// # Errors
    /// When `stat` fails otherwise.
    pub fn at(path: &Path) -> io::Result<FileId> {
        match std::fs::metadata(path) {
            Ok(m) => Ok(FileId::of(&m)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(FileId::MISSING),
            Err(e) => Err(e),
        }
    }

    /// Whether a change to the file after `clock` was read might leave this identity as it is:
    /// its change time is not strictly before the earliest time the file system could give a
    /// change after `clock`. File systems round times down to their granularity (a
    /// nanosecond on ext4, XFS, Btrfs and tmpfs; a second on ext3 or ext4 with small inodes):
    /// a change time with no fraction of a second is taken to come from one that keeps whole
    /// seconds (two, on the coarsest), so `clock` is rounded down to an even second for it.
    pub fn racy(&self, clock: Time) -> bool {
        if self.present == 0 {
            return false;
        }
        let since = if self.ctime[1] == 0 { [clock[0] - clock[0].rem_euclid(2), 0] } else { clock };
        self.ctime >= since
    }
}

/// The clock the kernel stamps files with (`CLOCK_REALTIME_COARSE`: the time at the last
/// tick, which every change time taken after this call is at least, whatever the file
/// system's rounding), read now.
#[cfg(target_os = "linux")]
pub fn clock() -> Time {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid timespec to write into.
    if unsafe { libc::clock_gettime(libc::CLOCK_REALTIME_COARSE, &mut ts) } != 0 {
        // Never racy-safe: a fingerprint taken with it vouches for nothing.
        return [i64::MIN, 0];
    }
    [ts.tv_sec, ts.tv_nsec]
}

/// Off Linux, fingerprints are not relied on: a clock that vouches for nothing.
#[cfg(not(target_os = "linux"))]
pub fn clock() -> Time {
    [i64::MIN, 0]
}

/// Waits, a few milliseconds at most, until the kernel's clock has moved past the change time
/// of those of `paths` changed within its current tick (an index just written), so that a
/// fingerprint taken next can vouch for them; returns at once when none was.
pub fn settle(paths: &[&Path]) {
    for _ in 0..20 {
        let now = clock();
        let fresh = paths.iter().filter_map(|p| FileId::at(p).ok()).any(|id| {
            // A change in the future (a clock set back) is not waited for.
            id.racy(now) && id.ctime[1] != 0 && id.ctime <= [now[0], now[1] + 20_000_000]
        });
        if !fresh {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
}

/// Whether `stat` in `dir` may vouch for files: only on Linux, on a local file system whose
/// change times the kernel keeps itself (ext2/3/4, XFS, Btrfs, tmpfs, ZFS, F2FS, bcachefs,
/// overlayfs). Not on network or FUSE file systems (`stat` there may answer from a cache
/// while another machine changes the file, or carry another machine's clock), nor on FAT,
/// exFAT or NTFS, which keep no change time of their own.
#[cfg(target_os = "linux")]
pub fn stat_is_trusted_in(dir: &Path) -> bool {
    use std::os::unix::ffi::OsStrExt as _;
    const LOCAL: [u32; 9] = [
        0xEF53,      // ext2, ext3, ext4
        0x5846_5342, // XFS
        0x9123_683E, // Btrfs
        0x0102_1994, // tmpfs
        0x2FC1_2FC1, // ZFS
        0xF2F5_2010, // F2FS
        0xCA45_1A4E, // bcachefs
        0x794C_7630, // overlayfs
        0x8584_58F6, // ramfs
    ];
    let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
        return false;
    };
    // SAFETY: `path` is a NUL-terminated string and `fs` a valid statfs to write into.
    let mut fs: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(path.as_ptr(), &mut fs) } != 0 {
        return false;
    }
    // `f_type`'s width differs between targets; the magic numbers fit 32 bits.
    #[allow(clippy::unnecessary_cast)]
    LOCAL.contains(&(fs.f_type as u32))
}

#[cfg(not(target_os = "linux"))]
pub fn stat_is_trusted_in(_: &Path) -> bool {
    false
}

/// What georel verified of a dataset folder's index, and when: see the module's documentation.
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Pod, Zeroable)]
pub struct Fingerprint {
    magic: [u8; 8],
    format: u32,
    byte_order: u32,
    /// The version of georel that wrote it, zero-padded (cut to 16 bytes).
    georel: [u8; 16],
    /// The kernel's clock before any of the files was looked at.
    clock: Time,
    /// `relations.csv`, `actors.csv` and `sources.csv`, as hashed.
    files: [FileId; 3],
    /// The index, as mapped and hashed.
    index: FileId,
    /// The index's checksum (its trailer's), which it was found to have.
    checksum: [u64; 2],
    /// The tree of the time index passed its check (`Tree::check`) in this content.
    tree_ok: u64,
    /// xxh3-128 of all of the above.
    hash: [u64; 2],
}
const SIZE: usize = std::mem::size_of::<Fingerprint>();

impl Fingerprint {
    /// The fingerprint of files seen as `files` and `index` after the kernel's clock read
    /// `clock`, in an index whose checksum is `checksum`; `None` when it could never vouch
    /// for them (one is racy, or on another device than the index).
    pub fn new(
        clock: Time,
        files: [FileId; 3],
        index: FileId,
        checksum: [u64; 2],
        tree_ok: bool,
    ) -> Option<Self> {
        let mut fingerprint = Fingerprint {
            magic: MAGIC,
            format: FORMAT,
            byte_order: BYTE_ORDER,
            georel: super::index::version_field(),
            clock,
            files,
            index,
            checksum,
            tree_ok: u64::from(tree_ok),
            hash: [0; 2],
        };
        if !fingerprint.sound() {
            return None;
        }
        fingerprint.hash = fingerprint.digest();
        Some(fingerprint)
    }

    /// A fingerprint as [`Fingerprint::new`] makes it, whether or not it could vouch for its
    /// files: for tests that record one that should never be trusted.
    #[cfg(test)]
    pub(crate) fn forged(clock: Time, files: [FileId; 3], index: FileId, checksum: [u64; 2]) -> Fingerprint {
        let sound =
            Fingerprint::new([i64::MAX, 0], files, index, checksum, false).expect("sound at the end of time");
        let mut forged = Fingerprint { clock, ..sound };
        forged.hash = forged.digest();
        forged
    }

    /// Whether the fingerprint could vouch for its files: none racy, all on the index's device.
    fn sound(&self) -> bool {
        self.clock[0] != i64::MIN
            && std::iter::once(&self.index)
                .chain(&self.files)
                .all(|f| !f.racy(self.clock) && (f.present == 0 || f.dev == self.index.dev))
    }

    fn digest(&self) -> [u64; 2] {
        let mut copy = *self;
        copy.hash = [0; 2];
        let hash = xxh3_128(bytemuck::bytes_of(&copy));
        [hash as u64, (hash >> 64) as u64]
    }

    /// The bytes of the stamp file.
    pub fn bytes(&self) -> &[u8] {
        bytemuck::bytes_of(self)
    }

    /// The fingerprint recorded in `dir`, when there is one that this georel wrote and that
    /// is whole; `None` otherwise (none, a link or anything but a regular file in its place,
    /// of another size, format or version, or damaged), and the index is then hashed.
    pub fn recorded(dir: &Path) -> Option<Fingerprint> {
        let path = dir.join(STAMP_FILE);
        let file = open_regular(&path)?;
        let mut bytes = [0u8; SIZE + 1];
        let mut len = 0;
        let mut reader = file.take(SIZE as u64 + 1);
        loop {
            match reader.read(&mut bytes[len..]) {
                Ok(0) => break,
                Ok(n) => len += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        }
        if len != SIZE {
            return None;
        }
        let fingerprint: Fingerprint = bytemuck::pod_read_unaligned(&bytes[..SIZE]);
        let understood = fingerprint.magic == MAGIC
            && fingerprint.format == FORMAT
            && fingerprint.byte_order == BYTE_ORDER
            && fingerprint.georel == super::index::version_field()
            && fingerprint.hash == fingerprint.digest();
        (understood && fingerprint.sound()).then_some(fingerprint)
    }

    /// Whether this fingerprint vouches that the index seen now as `index` was built from
    /// the data files seen now as `files`, provided its checksum is [`Fingerprint::checksum`]:
    /// the same identities, none racy when recorded, all on the index's device, which is one
    /// whose `stat` may be trusted (`trusted_fs`: [`stat_is_trusted_in`] the folder).
    pub fn vouches(&self, files: &[FileId; 3], index: &FileId, trusted_fs: bool) -> bool {
        trusted_fs && self.sound() && self.files == *files && self.index == *index
    }

    /// The checksum of the index this fingerprint vouches for.
    pub fn checksum(&self) -> [u64; 2] {
        self.checksum
    }

    /// Whether the time index's tree was checked in the content this fingerprint vouches for.
    pub fn tree_ok(&self) -> bool {
        self.tree_ok == 1
    }

    /// This fingerprint, saying that the time index's tree was checked in its content.
    pub fn with_tree_ok(&self) -> Fingerprint {
        let mut fingerprint = Fingerprint { tree_ok: 1, ..*self };
        fingerprint.hash = fingerprint.digest();
        fingerprint
    }
}

/// Opens `path` for reading when it is a regular file: not following a symbolic link, and
/// not waiting on a FIFO.
fn open_regular(path: &Path) -> Option<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    if !std::fs::symlink_metadata(path).ok()?.is_file() {
        return None;
    }
    let file = options.open(path).ok()?;
    file.metadata().ok()?.is_file().then_some(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(ctime: Time) -> FileId {
        FileId { present: 1, dev: 1, ino: 2, size: 3, mtime: ctime, ctime }
    }

    /// A change in the clock's tick, or after it, is racy; one before is not; a missing file
    /// never is. Whole seconds are taken as a coarse file system's, to the even second.
    #[test]
    fn a_change_not_strictly_before_the_clock_is_racy() {
        let clock = [1_000, 500];
        assert!(id([1_000, 500]).racy(clock), "the same tick");
        assert!(id([1_000, 501]).racy(clock));
        assert!(id([1_001, 1]).racy(clock));
        assert!(!id([1_000, 499]).racy(clock));
        assert!(!id([999, 999_999_999]).racy(clock));
        assert!(!FileId::MISSING.racy(clock));
        // On a file system of whole seconds, a change at 1,000 s may be followed, in the same
        // second, by one at 1,000 s too; on one of two seconds, 1,001 s is rounded to 1,000 s.
        assert!(id([1_000, 0]).racy([1_000, 900_000_000]));
        assert!(id([1_000, 0]).racy([1_001, 900_000_000]));
        assert!(!id([998, 0]).racy([1_001, 900_000_000]));
    }

    /// A fingerprint vouches only for the very identities it recorded, read back whole; a
    /// racy one, one across devices, or a damaged or foreign stamp is never used.
    #[test]
    fn a_fingerprint_vouches_only_for_what_it_recorded() {
        let dir = tempfile::tempdir().unwrap();
        let files = [id([10, 1]), FileId::MISSING, id([11, 1])];
        let index = FileId { ino: 9, ..id([12, 1]) };
        let fp = Fingerprint::new([20, 0], files, index, [7, 8], true).unwrap();
        assert!(fp.vouches(&files, &index, true));
        assert_eq!(fp.checksum(), [7, 8]);
        assert!(!fp.vouches(&files, &index, false), "not on a file system that stat may vouch for");
        let mut touched = files;
        touched[0].ctime[1] += 1;
        assert!(!fp.vouches(&touched, &index, true));
        let mut appeared = files;
        appeared[1] = id([5, 1]);
        assert!(!fp.vouches(&appeared, &index, true));
        assert!(!fp.vouches(&files, &FileId { size: 4, ..index }, true), "another index");
        assert!(Fingerprint::new([12, 1], files, index, [7, 8], true).is_none(), "the index is racy");
        let elsewhere = [FileId { dev: 2, ..files[0] }, files[1], files[2]];
        assert!(Fingerprint::new([20, 0], elsewhere, index, [7, 8], true).is_none(), "another device");

        let path = dir.path().join(STAMP_FILE);
        std::fs::write(&path, fp.bytes()).unwrap();
        assert_eq!(Fingerprint::recorded(dir.path()), Some(fp));
        for (what, bytes) in [
            ("truncated", fp.bytes()[..SIZE - 1].to_vec()),
            ("longer", [fp.bytes(), b"x"].concat()),
            ("flipped", {
                let mut b = fp.bytes().to_vec();
                b[40] ^= 1;
                b
            }),
            ("empty", Vec::new()),
            ("text", b"not a stamp\n".to_vec()),
        ] {
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(Fingerprint::recorded(dir.path()), None, "{what}");
        }
        std::fs::remove_file(&path).unwrap();
        std::fs::create_dir(&path).unwrap();
        assert_eq!(Fingerprint::recorded(dir.path()), None, "a folder");
    }
}
