//! Temporary files that an interrupted run would leave behind. [`atomic`](super::atomic)
//! writes each result to a hidden temporary file beside its destination: a Ctrl-C during a
//! large snapshot left hundreds of megabytes of them. So:
//!
//! - SIGINT and SIGTERM remove this process's temporary files, then end it with the
//!   conventional status (130 and 143, 128 plus the signal's number);
//! - the Graphviz children drawing a picture ([`render`](super::render)) are killed and
//!   reaped first: left alone, they went on laying out for minutes after georel had gone;
//! - SIGKILL cannot be caught: a temporary file's name carries its process's id
//!   (`.georel-PID-XXXXXX.tmp`), and the next georel to write into that folder removes those
//!   of processes that no longer exist.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, Once};

use tempfile::NamedTempFile;

/// Every georel temporary file's name starts with this, then the process id and `-`.
const PREFIX: &str = ".georel-";
/// … and ends with this.
pub(crate) const SUFFIX: &str = ".tmp";

/// The temporary files of this process that are not yet in place (some may be gone already:
/// a failed write removes its own).
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// The folders this process has swept (see [`sweep`]).
static SWEPT: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

static HANDLERS: Once = Once::new();

/// The children of this process (Graphviz) that have not been reaped yet.
static CHILDREN: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The start of this process's temporary file names: `.georel-PID-`.
pub(crate) fn prefix() -> String {
    format!("{PREFIX}{}-", std::process::id())
}

/// Creates a temporary file with `create` and remembers it until [`settle`], so that SIGINT
/// or SIGTERM removes it. The first call sets up the signal handling: commands that write
/// no file keep the default (an immediate end).
pub(crate) fn create(create: impl FnOnce() -> io::Result<NamedTempFile>) -> io::Result<NamedTempFile> {
    HANDLERS.call_once(handle_signals);
    // Held while creating, so that a signal never falls between the file and its record.
    let mut pending = pending();
    let temp = create()?;
    pending.push(temp.path().to_path_buf());
    Ok(temp)
}

fn children() -> MutexGuard<'static, Vec<u32>> {
    CHILDREN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Spawns `command` and remembers the child until [`reap`], so that SIGINT or SIGTERM kills
/// it (see the module docs). The first call sets up the signal handling.
pub(crate) fn spawn(command: &mut std::process::Command) -> io::Result<std::process::Child> {
    HANDLERS.call_once(handle_signals);
    // Held while spawning, so that a signal never falls between the child and its record.
    let mut children = children();
    let child = command.spawn()?;
    children.push(child.id());
    Ok(child)
}

/// Waits for a child of [`spawn`] to end, forgets it, and reaps it. It is forgotten only once
/// it has ended and before it is reaped: until then its process id cannot be another's, so
/// the signal handling never kills a stranger that took the number over.
pub(crate) fn reap(child: &mut std::process::Child) -> io::Result<std::process::ExitStatus> {
    // Should that wait fail, the child is still forgotten (and then waited for): a stale
    // record is the one thing that could make a signal kill a stranger.
    let ended = wait_unreaped(child.id());
    children().retain(|&pid| pid != child.id());
    let status = child.wait();
    ended.and(status)
}

/// Waits until the child `pid` has ended, leaving it to be reaped.
#[cfg(target_os = "linux")]
fn wait_unreaped(pid: u32) -> io::Result<()> {
    let id: libc::id_t = pid;
    loop {
        // SAFETY: waits for a child of this process without reaping it (WNOWAIT); `info` is
        // a zeroed struct the call fills in.
        let found = unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            libc::waitid(libc::P_PID, id, &mut info, libc::WEXITED | libc::WNOWAIT)
        };
        if found == 0 {
            return Ok(());
        }
        let e = io::Error::last_os_error();
        if e.kind() != io::ErrorKind::Interrupted {
            return Err(e);
        }
    }
}

/// Elsewhere no signal is handled, and the child is reaped at once.
#[cfg(not(target_os = "linux"))]
fn wait_unreaped(_: u32) -> io::Result<()> {
    Ok(())
}

/// Kills and reaps the children not reaped yet; the lock is kept, so that no other is
/// spawned or reaped.
#[cfg(target_os = "linux")]
fn end_children(children: &[u32]) {
    for &pid in children {
        let Ok(pid) = libc::pid_t::try_from(pid) else { continue };
        // SAFETY: `pid` is a child of this process that has not been reaped (see `reap`), so
        // the number is still its own; killing and reaping it touches nothing else.
        unsafe {
            libc::kill(pid, libc::SIGKILL);
            while libc::waitpid(pid, std::ptr::null_mut(), 0) == -1
                && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted
            {}
        }
    }
}

/// Moves the temporary file `path` into place with `persist`, and forgets it. A signal waits
/// for the rename: the file is removed before it, or is in place after it.
pub(crate) fn settle<T>(path: &Path, persist: impl FnOnce() -> T) -> T {
    let mut pending = pending();
    let result = persist();
    pending.retain(|p| p != path);
    result
}

/// On SIGINT or SIGTERM (unless the signal was ignored when georel started, as under
/// `nohup`): kills the children, removes the pending temporary files and ends the process. Handled on a thread
/// of its own, where removing files is safe (a signal handler may do very little).
#[cfg(target_os = "linux")]
fn handle_signals() {
    use signal_hook::consts::{SIGINT, SIGTERM};
    let wanted: Vec<i32> = [SIGINT, SIGTERM].into_iter().filter(|&s| !ignored(s)).collect();
    // The handlers are set up on the thread that acts on them (so that they never exist
    // without it), and the first temporary file waits until they are.
    let (ready, set_up) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new().name("georel-signals".into()).spawn(move || {
        let Ok(mut signals) = signal_hook::iterator::Signals::new(&wanted) else {
            let _ = ready.send(());
            return;
        };
        let _ = ready.send(());
        if let Some(signal) = signals.forever().next() {
            // Kept locked until the end: no other child is spawned, no other temporary file
            // created or renamed. Children first: one may still be writing into a pipe whose
            // bytes are bound for a temporary file.
            let children = children();
            end_children(&children);
            let pending = pending();
            for path in pending.iter() {
                let _ = std::fs::remove_file(path);
            }
            std::process::exit(128 + signal);
        }
    });
    if spawned.is_ok() {
        let _ = set_up.recv();
    }
}

#[cfg(not(target_os = "linux"))]
fn handle_signals() {}

/// Whether `signal` is ignored (a parent such as `nohup` asked for that).
#[cfg(target_os = "linux")]
fn ignored(signal: i32) -> bool {
    // SAFETY: reads the current action into a zeroed struct; changes nothing.
    unsafe {
        let mut current: libc::sigaction = std::mem::zeroed();
        libc::sigaction(signal, std::ptr::null(), &mut current) == 0 && current.sa_sigaction == libc::SIG_IGN
    }
}

/// Removes from `dir` the temporary files of georel processes that no longer exist (killed
/// with SIGKILL, or by a power cut), once per folder and process: only names of georel's own
/// form (`.georel-PID-XXXXXX.tmp`) are touched, and only when no process has that PID.
pub(crate) fn sweep(dir: &Path) {
    {
        let mut swept = SWEPT.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if swept.iter().any(|d| d == dir) {
            return;
        }
        swept.push(dir.to_path_buf());
    }
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let own = std::process::id();
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(owner) else { continue };
        if pid != own && !alive(pid) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The process id in a georel temporary file name, `.georel-PID-XXXXXX.tmp`.
fn owner(name: &str) -> Option<u32> {
    let (pid, random) = name.strip_prefix(PREFIX)?.strip_suffix(SUFFIX)?.split_once('-')?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let random_part = random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric());
    if digits(pid) && random_part {
        pid.parse().ok().filter(|&pid| pid > 0)
    } else {
        None
    }
}

/// Whether a process with this id exists (another user's counts too).
#[cfg(target_os = "linux")]
fn alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    // SAFETY: signal 0 only asks whether the process exists; nothing is sent.
    let found = unsafe { libc::kill(pid, 0) } == 0;
    found || io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Elsewhere, no file is ever thought stale.
#[cfg(not(target_os = "linux"))]
fn alive(_: u32) -> bool {
    true
}

/// A test seam: with `GEOREL_TEST_STALL_STAGED` set, a run stops for good once it has written
/// a result's temporary file in full, before renaming it, and says so on stderr, so that a
/// test can interrupt a write at a known point.
pub(crate) fn stall_for_tests(temp: &Path) {
    if std::env::var_os("GEOREL_TEST_STALL_STAGED").is_some() {
        eprintln!("georel: test: staged {}", temp.display());
        loop {
            std::thread::park();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_georels_own_temporary_names_have_an_owner() {
        assert_eq!(owner(".georel-4242-aB3xYz.tmp"), Some(4242));
        for other in [
            ".georel-index",
            ".georel-aB3xYz.tmp",
            ".georel-4242-aB3xYz.csv",
            ".georel-0-aB3xYz.tmp",
            ".georel--aB3xYz.tmp",
            ".georel-42x-aB3xYz.tmp",
            ".georel-4242-aB3.tmp",
            "georel-4242-aB3xYz.tmp",
            "relations.csv",
        ] {
            assert_eq!(owner(other), None, "{other}");
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn a_dead_process_s_temporary_file_is_swept_a_live_one_s_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        // A child that has ended (and been waited for) leaves its PID unused for a while.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let dead = child.id();
        child.wait().unwrap();
        let names = [
            format!(".georel-{dead}-aaaaaa.tmp"),
            format!(".georel-{}-bbbbbb.tmp", std::process::id()),
            ".georel-1-cccccc.tmp".to_string(),
            "keep.csv".to_string(),
        ];
        for name in &names {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        sweep(dir.path());
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(left, [names[2].clone(), names[1].clone(), names[3].clone()]);
    }
}
