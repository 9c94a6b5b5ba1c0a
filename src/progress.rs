//! Progress on stderr for work that can take more than a few seconds (import, export, index,
//! loading a large dataset, a big snapshot, Graphviz drawing): one helper every command uses.
//!
//! - Shown only when stderr is a terminal: a pipe, a log file, CI and the tests' captured
//!   output never get a byte of it.
//! - Shown only once the work has lasted [`DELAY`]: a command that answers at once does not
//!   flash a bar.
//! - Cheap to update: counts are kept by the caller ([`Counter`], or one uncontended number
//!   for [`Progress::row`]) and handed to the bar in batches of thousands, so that a row costs
//!   an add: indicatif's `inc` reads the clock and touches the bar's shared state on every
//!   call.

use std::borrow::Cow;
use std::cell::Cell;
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its progress is shown.
pub const DELAY: Duration = Duration::from_millis(800);

/// [`DELAY`], or none with the test seam `GEOREL_TEST_PROGRESS_NOW` set, so that a test can
/// see progress on a command that takes less than the delay.
fn delay() -> Duration {
    if std::env::var_os("GEOREL_TEST_PROGRESS_NOW").is_some() {
        Duration::ZERO
    } else {
        DELAY
    }
}

/// Set when the result streams to standard output as it is made (see [`result_on_stdout`]).
static RESULT_ON_STDOUT: AtomicBool = AtomicBool::new(false);

/// Says that this run writes its result to standard output as it goes (a snapshot's or an
/// export's rows): when that is a terminal too, no progress is shown, as it would mix with
/// the rows.
pub fn result_on_stdout() {
    RESULT_ON_STDOUT.store(true, Ordering::Relaxed);
}

/// Whether progress may be drawn: stderr is a terminal, and no result streams to the same
/// screen.
fn may_show() -> bool {
    io::stderr().is_terminal() && !(RESULT_ON_STDOUT.load(Ordering::Relaxed) && io::stdout().is_terminal())
}

/// The bars on the screen now, so that a message can be written above them ([`note`]).
static ON_SCREEN: Mutex<Vec<(u64, ProgressBar)>> = Mutex::new(Vec::new());

/// The number of the next bar made, to find it on the screen.
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

fn on_screen() -> std::sync::MutexGuard<'static, Vec<(u64, ProgressBar)>> {
    ON_SCREEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Writes `line` on stderr, with any bar on the screen cleared meanwhile and redrawn below
/// it: a warning written in the middle of a bar would be wiped out with the bar.
pub fn note(line: &str) {
    let shown = on_screen();
    match shown.last() {
        Some((_, bar)) => bar.suspend(|| eprintln!("{line}")),
        None => eprintln!("{line}"),
    }
}

/// How often a shown bar is redrawn.
const TICK: Duration = Duration::from_millis(200);

/// How many counts a [`Counter`] keeps before handing them to the bar.
const BATCH: u64 = 4096;

/// Progress of one piece of work; cleared from the terminal when finished or dropped.
#[derive(Debug)]
pub struct Progress {
    shown: Option<Shown>,
}

#[derive(Debug)]
struct Shown {
    /// Which bar it is on the screen.
    id: u64,
    bar: ProgressBar,
    /// Single rows counted by [`Progress::row`], not yet handed to the bar.
    rows: AtomicU64,
    /// Set when the work is done, so that a bar not yet shown never is.
    done: Arc<(Mutex<bool>, Condvar)>,
    /// An import's counts beside the bar's bytes ([`Progress::import`]).
    import: Option<Arc<ImportCounts>>,
}

/// What an import's bar shows beside its bytes: rows read and files done.
#[derive(Debug)]
struct ImportCounts {
    rows: AtomicU64,
    files_done: AtomicU64,
    files: u64,
}

/// A whole number with thousands separators: `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An import's rows and their rate, as a whole number: `1,234,567 rows, 812,345 rows/s`.
fn rows_and_rate(rows: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    let rate = if secs > 0.0 { (rows as f64 / secs).round() as u64 } else { 0 };
    format!("{} rows, {} rows/s", thousands(rows), thousands(rate))
}

/// What a bar counts, and so how it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Only the message and the time spent (a phase of unknown length).
    None,
    /// Rows read, with their rate: `importing gdelt: 1.2M rows, 310k/s, 4s`.
    Rows,
    /// Bytes written, with their rate.
    Bytes,
}

impl Progress {
    /// Progress of work described by `message`, counted in `unit`, when stderr is a
    /// terminal; else nothing is ever shown.
    pub fn new(message: impl Into<Cow<'static, str>>, unit: Unit) -> Progress {
        if !may_show() {
            return Progress::hidden();
        }
        Progress::on_terminal(message, unit, None)
    }

    /// A bar of `total` steps (`what` names them: "sources", "frames"), when stderr is a
    /// terminal.
    pub fn steps(message: impl Into<Cow<'static, str>>, total: u64, what: &str) -> Progress {
        if !may_show() {
            return Progress::hidden();
        }
        Progress::on_terminal(message, Unit::None, Some((total, what)))
    }

    /// An import's bar, when stderr is a terminal: files done of `files`, the share of
    /// `bytes` read (the inputs' sizes on disk, counted with [`Progress::add`] as they are
    /// read) and the time left, rows read ([`Progress::row`]) and rows per second;
    /// `importing gdelt: 2/120 files [=====>    ] 41% ETA 3m, 1,234,567 rows, 812,345 rows/s`.
    /// Without `bytes` (standard input), bytes read and the time spent.
    pub fn import(message: impl Into<Cow<'static, str>>, files: u64, bytes: Option<u64>) -> Progress {
        if !may_show() {
            return Progress::hidden();
        }
        let mut progress = Progress::on_terminal(message, Unit::Bytes, None);
        let counts = Arc::new(ImportCounts { rows: AtomicU64::new(0), files_done: AtomicU64::new(0), files });
        if let Some(shown) = &mut progress.shown {
            let template = match bytes {
                Some(_) => "{spinner} {msg}: {files} [{bar:30}] {percent}% ETA {eta}, {rows}",
                None => "{spinner} {msg}: {files}, {binary_bytes}, {rows}, {elapsed}",
            };
            let (for_files, for_rows) = (Arc::clone(&counts), Arc::clone(&counts));
            if let Ok(style) = ProgressStyle::with_template(template) {
                shown.bar.set_style(
                    style
                        .progress_chars("=> ")
                        .with_key(
                            "files",
                            move |_: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                                let done = for_files.files_done.load(Ordering::Relaxed);
                                let _ = write!(w, "{done}/{} files", for_files.files);
                            },
                        )
                        .with_key(
                            "rows",
                            move |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                                let rows = for_rows.rows.load(Ordering::Relaxed);
                                let _ = w.write_str(&rows_and_rate(rows, state.elapsed()));
                            },
                        ),
                );
            }
            if let Some(bytes) = bytes {
                shown.bar.set_length(bytes.max(1));
            }
            shown.import = Some(counts);
        }
        progress
    }

    /// One more input file of an import done ([`Progress::import`]).
    pub fn file_done(&self) {
        if let Some(counts) = self.shown.as_ref().and_then(|s| s.import.as_ref()) {
            counts.files_done.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Progress never shown (tests, libraries, stderr not a terminal).
    pub fn hidden() -> Progress {
        Progress { shown: None }
    }

    /// Whether anything may be shown.
    pub fn is_shown(&self) -> bool {
        self.shown.is_some()
    }

    fn on_terminal(
        message: impl Into<Cow<'static, str>>,
        unit: Unit,
        steps: Option<(u64, &str)>,
    ) -> Progress {
        let template = match (steps, unit) {
            (Some((_, what)), _) => {
                format!("{{spinner}} {{msg}} [{{bar:30}}] {{human_pos}}/{{human_len}} {what}, {{elapsed}}")
            }
            (None, Unit::None) => "{spinner} {msg}, {elapsed}".to_string(),
            (None, Unit::Rows) => "{spinner} {msg}: {human_pos} rows, {per_sec}, {elapsed}".to_string(),
            (None, Unit::Bytes) => {
                "{spinner} {msg}: {binary_bytes}, {binary_bytes_per_sec}, {elapsed}".to_string()
            }
        };
        let bar = ProgressBar::with_draw_target(steps.map(|(total, _)| total), ProgressDrawTarget::hidden());
        if let Ok(style) = ProgressStyle::with_template(&template) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(message);
        let done = Arc::new((Mutex::new(false), Condvar::new()));
        let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        // Shown after the delay unless done by then; the thread holds no more than a handle.
        let (later, waiting) = (bar.clone(), Arc::clone(&done));
        let _ = std::thread::Builder::new().name("georel-progress".into()).spawn(move || {
            let (lock, finished) = &*waiting;
            let guard = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let (guard, _) = finished
                .wait_timeout_while(guard, delay(), |done| !*done)
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if !*guard {
                on_screen().push((id, later.clone()));
                later.set_draw_target(ProgressDrawTarget::stderr());
                later.enable_steady_tick(TICK);
            }
        });
        Progress { shown: Some(Shown { id, bar, rows: AtomicU64::new(0), done, import: None }) }
    }

    /// A spinner counting rows read ([`Unit::Rows`]), when stderr is a terminal.
    pub fn rows(message: impl Into<Cow<'static, str>>) -> Progress {
        Progress::new(message, Unit::Rows)
    }

    /// One more row, for a reader that cannot keep a [`Counter`]: handed to the bar in
    /// batches, so that it costs an uncontended add (rows are read on one thread).
    #[inline]
    pub fn row(&self) {
        if let Some(shown) = &self.shown {
            if let Some(counts) = &shown.import {
                // An import's bar counts bytes; its rows are shown beside them.
                counts.rows.fetch_add(1, Ordering::Relaxed);
                return;
            }
            if shown.rows.fetch_add(1, Ordering::Relaxed) + 1 >= BATCH {
                shown.bar.inc(shown.rows.swap(0, Ordering::Relaxed));
            }
        }
    }

    /// Adds `n` to the count (for counts that come in batches already: a buffer written, a
    /// run of sources). For one row at a time, use a [`Counter`].
    pub fn add(&self, n: u64) {
        if let Some(shown) = &self.shown {
            shown.bar.inc(n);
        }
    }

    /// Sets the count.
    pub fn set(&self, n: u64) {
        if let Some(shown) = &self.shown {
            shown.bar.set_position(n);
        }
    }

    /// Says what is being done now (the count and the clock go on).
    pub fn say(&self, message: impl Into<Cow<'static, str>>) {
        if let Some(shown) = &self.shown {
            shown.bar.set_message(message);
        }
    }

    /// Runs `f` (which writes a message on stderr) with the bar cleared meanwhile, so that the
    /// message does not mix with it.
    pub fn suspend<R>(&self, f: impl FnOnce() -> R) -> R {
        match &self.shown {
            Some(shown) => shown.bar.suspend(f),
            None => f(),
        }
    }

    /// A counter of single steps on this thread, handed to the bar in batches.
    pub fn counter(&self) -> Counter<'_> {
        Counter { progress: self, pending: Cell::new(0) }
    }

    /// Clears the bar (if it was shown) and makes sure it never shows.
    pub fn finish(&self) {
        if let Some(shown) = &self.shown {
            let (lock, finished) = &*shown.done;
            let mut done = lock.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            *done = true;
            finished.notify_all();
            drop(done);
            shown.bar.inc(shown.rows.swap(0, Ordering::Relaxed));
            let mut screen = on_screen();
            screen.retain(|(id, _)| *id != shown.id);
            shown.bar.finish_and_clear();
        }
    }

    /// Wraps `out` so that the bytes written through it are counted (see [`Unit::Bytes`]).
    pub fn writer<W: Write>(&self, out: W) -> Written<'_, W> {
        Written { out, counter: self.counter() }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// Counts steps for a [`Progress`] on one thread, handing them over every few thousand (and
/// the rest when dropped): a step costs an add to a local number.
#[derive(Debug)]
pub struct Counter<'p> {
    progress: &'p Progress,
    pending: Cell<u64>,
}

impl Counter<'_> {
    /// One more step.
    #[inline]
    pub fn step(&self) {
        self.steps(1);
    }

    /// `n` more steps.
    #[inline]
    pub fn steps(&self, n: u64) {
        let pending = self.pending.get() + n;
        if pending >= BATCH {
            self.progress.add(pending);
            self.pending.set(0);
        } else {
            self.pending.set(pending);
        }
    }
}

impl Drop for Counter<'_> {
    fn drop(&mut self) {
        self.progress.add(self.pending.get());
    }
}

/// A writer counting the bytes written through it (see [`Progress::writer`]).
#[derive(Debug)]
pub struct Written<'p, W> {
    out: W,
    counter: Counter<'p>,
}

impl<W: Write> Write for Written<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.out.write(buf)?;
        self.counter.steps(n as u64);
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_shows_rows_per_second_as_a_whole_number() {
        assert_eq!(rows_and_rate(1_234_567, Duration::from_millis(1500)), "1,234,567 rows, 823,045 rows/s");
        assert_eq!(rows_and_rate(0, Duration::ZERO), "0 rows, 0 rows/s");
        assert_eq!(rows_and_rate(999, Duration::from_secs(3)), "999 rows, 333 rows/s");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(100_000), "100,000");
    }

    #[test]
    fn hidden_progress_counts_nothing_and_writes_through() {
        let progress = Progress::hidden();
        assert!(!progress.is_shown());
        let mut bytes = Vec::new();
        {
            let mut out = progress.writer(&mut bytes);
            out.write_all(b"abc").unwrap();
            let counter = progress.counter();
            for _ in 0..10_000 {
                counter.step();
            }
        }
        assert_eq!(bytes, b"abc");
        progress.finish();
    }

    #[test]
    fn a_counter_hands_over_its_steps_in_batches_and_the_rest_when_dropped() {
        // A bar on a hidden target counts as a shown one does, but draws nothing.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let progress = Progress {
            shown: Some(Shown {
                id: u64::MAX,
                bar: bar.clone(),
                rows: AtomicU64::new(0),
                done: Arc::new((Mutex::new(false), Condvar::new())),
                import: None,
            }),
        };
        {
            let counter = progress.counter();
            for _ in 0..BATCH - 1 {
                counter.step();
            }
            assert_eq!(bar.position(), 0, "nothing handed over before a batch is full");
            counter.step();
            assert_eq!(bar.position(), BATCH);
            counter.steps(5);
        }
        assert_eq!(bar.position(), BATCH + 5, "the rest is handed over on drop");
        let mut sink = Vec::new();
        progress.writer(&mut sink).write_all(&[0; 10]).unwrap();
        assert_eq!(bar.position(), BATCH + 15);
    }
}
