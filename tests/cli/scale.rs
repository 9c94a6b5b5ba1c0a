//! Long work at scale (item 9 of issue 15): a picture too large to draw is refused with how
//! to narrow the question (DOT is not); an interrupt ends the Graphviz children; progress
//! never reaches a pipe; a CSV longer than a spreadsheet opens is warned about.

use std::process::Stdio;

use crate::harness::{stderr, stdout, Workdir};

/// Actors round the ring of [`hairball`].
const RING: usize = 200;
/// How many next neighbours each actor has relations with.
const REACH: usize = 13;
/// The relations of [`hairball`] on its day, more than a picture may show (5,000).
const HAIRBALL_RELATIONS: usize = RING * REACH * 2;

/// A dataset whose 2020-06-01 holds more relations than a picture may show: 200 actors round
/// a ring, each cooperating with and restricting its 13 next neighbours (5,200 relations,
/// every pair contested), all from 2020.
fn hairball() -> Workdir {
    let wd = Workdir::new();
    let mut csv = String::from("id,source,target,kind,start\n");
    for a in 0..RING {
        for step in 1..=REACH {
            let b = (a + step) % RING;
            csv.push_str(&format!("C{a}-{b},A{a:03},A{b:03},cooperation,2020\n"));
            csv.push_str(&format!("R{a}-{b},A{a:03},A{b:03},restriction,2020\n"));
        }
    }
    wd.write("data/relations.csv", csv);
    wd
}

#[test]
// Regression (item 9 of issue 15): `snapshot --format svg` of a million relations ran Graphviz
// for 54 s and drew a hairball nobody can read, without a word.
fn a_picture_too_large_to_draw_is_refused_with_how_to_narrow_it() {
    let wd = hairball();
    let runs: [&[&str]; 4] = [
        &["snapshot", "--at", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
        &["neighbours", "A000", "--at", "2020-06-01", "--depth", "20", "--format", "png", "--out", "pic.png"],
        &["diff", "--from", "2019-06-01", "--to", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
        &["conflicts", "--at", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
    ];
    for args in runs {
        let out = wd.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        for part in [
            "too large to draw".to_string(),
            format!("{} relations", georel::export::thousands(HAIRBALL_RELATIONS as u64)),
            "at most 2,000 actors and 5,000 relations".to_string(),
            "--depth".to_string(),
            "--format dot".to_string(),
            "--large-picture".to_string(),
        ] {
            assert!(err.contains(&part), "{args:?}: {part:?} missing from {err}");
        }
        assert_eq!(wd.list("."), ["data"], "{args:?}: nothing is written");
    }
    // DOT is not refused: it is how to lay the picture out elsewhere.
    let (out, _) = wd.run_code(&["snapshot", "--at", "2020-06-01", "--format", "dot", "--out", "-"], 0);
    assert_eq!(out.matches(" -> ").count(), HAIRBALL_RELATIONS);
    // Every command that draws documents the flag, with the limit the message gives.
    for command in ["snapshot", "path", "neighbours", "diff", "conflicts", "frames"] {
        let (help, _) = wd.run_code(&[command, "--help"], 0);
        let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(help.contains("--large-picture"), "{command} --help: {help}");
        assert!(help.contains("more than 2,000 actors or 5,000 relations"), "{command} --help: {help}");
    }
    // The flag only goes with a picture.
    let (_, err) = wd.run_code(&["snapshot", "--at", "2020-06-01", "--format", "dot", "--large-picture"], 2);
    assert!(err.contains("use it with --format svg or png"), "{err}");
}

#[test]
// Regression: the diff picture (here of a month in which nothing changed: exit 1) was sized by the first day's relations plus the last's, so a
// relation in force on both counted twice: 5,200 unchanged relations were refused as 10,400
// (and 3,000 would have been refused though 3,000 are drawn).
fn the_diff_picture_is_sized_by_the_relations_it_draws() {
    let wd = hairball();
    let (dot, _) = wd.run_code(
        &["diff", "--from", "2020-06-01", "--to", "2020-07-01", "--format", "dot", "--out", "-"],
        1,
    );
    assert_eq!(dot.matches(" -> ").count(), HAIRBALL_RELATIONS, "each relation drawn once");
    let (_, err) = wd.run_code(
        &["diff", "--from", "2020-06-01", "--to", "2020-07-01", "--format", "svg", "--out", "d.svg"],
        2,
    );
    let size =
        format!("{RING} actors and {} relations", georel::export::thousands(HAIRBALL_RELATIONS as u64));
    assert!(err.contains(&size), "{err}");
}

#[test]
// Regression: `frames` refused as too large to draw had already made its output folder.
fn frames_too_large_to_draw_leave_no_folder() {
    let wd = hairball();
    let args = ["frames", "--from", "2020-06-01", "--to", "2020-07-01", "--every", "1m", "--format", "svg"];
    for out in ["frames/", "new/frames/"] {
        let (_, err) = wd.run_code(&[&args[..], &["--out", out]].concat(), 2);
        assert!(err.contains("too large to draw"), "{err}");
        assert_eq!(wd.list("."), ["data"], "--out {out}: nothing is made");
    }
}

/// The children of `parent` that run `comm` (from /proc).
#[cfg(target_os = "linux")]
fn children_named(parent: u32, comm: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // `pid (comm) state ppid ...`: the name may hold spaces, so it is cut at the last ')'.
        let Some((head, rest)) = stat.rsplit_once(") ") else { continue };
        let name = head.split_once(" (").map_or("", |(_, n)| n);
        let ppid = rest.split_whitespace().nth(1).and_then(|p| p.parse::<u32>().ok());
        if name == comm && ppid == Some(parent) {
            found.push(pid);
        }
    }
    found
}

/// Whether process `pid` exists and is not a zombie.
#[cfg(target_os = "linux")]
fn running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(") ").map(|(_, rest)| !rest.starts_with('Z')))
        .unwrap_or(false)
}

/// Kills the processes left when dropped, so that a failing test leaves no Graphviz running.
#[cfg(target_os = "linux")]
struct KillOnDrop(Vec<u32>);

#[cfg(target_os = "linux")]
impl Drop for KillOnDrop {
    fn drop(&mut self) {
        for &pid in &self.0 {
            if running(pid) {
                // SAFETY: a process this test's child started; only signalled.
                unsafe { libc::kill(pid as i32, libc::SIGKILL) };
            }
        }
    }
}

#[cfg(target_os = "linux")]
#[test]
// Regression (item 9 of issue 15): interrupting a drawing left Graphviz running for minutes
// (and `frames` left 805 MB of temporary files).
fn an_interrupt_ends_graphviz_and_leaves_no_temporary_file() {
    let wd = hairball();
    // The dot layout of 5,200 relations takes far longer than this test.
    let mut run = wd
        .command(&[
            "snapshot",
            "--at",
            "2020-06-01",
            "--format",
            "svg",
            "--layout",
            "dot",
            "--large-picture",
            "--out",
            "pic.svg",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut graphviz = KillOnDrop(Vec::new());
    for _ in 0..600 {
        graphviz.0 = children_named(run.id(), "dot");
        if !graphviz.0.is_empty() {
            break;
        }
        if run.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    if graphviz.0.is_empty() {
        let _ = run.kill();
        let out = run.wait_with_output().unwrap();
        panic!("georel never ran Graphviz: {}", String::from_utf8_lossy(&out.stderr));
    }
    // SAFETY: a signal to the child this test started and has not waited for.
    assert_eq!(unsafe { libc::kill(run.id() as i32, libc::SIGINT) }, 0);
    let out = run.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", String::from_utf8_lossy(&out.stderr));
    for &pid in &graphviz.0 {
        assert!(!running(pid), "Graphviz ({pid}) is still running");
        assert!(!std::path::Path::new(&format!("/proc/{pid}")).exists(), "Graphviz ({pid}) was not reaped");
    }
    let left: Vec<String> = wd.list(".").into_iter().filter(|n| n != "data").collect();
    assert_eq!(left, Vec::<String>::new(), "nothing written, no temporary file left");
    assert_eq!(wd.list("data"), ["relations.csv"]);
}

/// Progress drawn on a terminal: what a bar writes (a carriage return, or an escape to clear
/// its line), or a phase it names.
fn shows_progress(stderr: &str) -> bool {
    stderr.contains('\r') || stderr.contains('\u{1b}') || stderr.contains("reading the dataset")
}

#[test]
// Progress goes to a terminal only: piped stderr (a log, CI, these tests) gets none of it,
// even with the test seam that shows it at once rather than after a delay.
fn progress_never_reaches_a_pipe() {
    let wd = hairball();
    let runs: [&[&str]; 6] = [
        &["export", "--format", "csv", "--out", "sheet.csv"],
        &["export", "--format", "gexf", "--out", "g.gexf"],
        &["index"],
        &["snapshot", "--at", "2020-06-01", "--format", "edges-csv", "--out", "edges.csv"],
        &["snapshot", "--at", "2020-06-01", "--format", "svg", "--large-picture", "--out", "pic.svg"],
        &["path", "A000", "A100", "--at", "2020-06-01"],
    ];
    for args in runs {
        let out = wd.command(args).env("GEOREL_TEST_PROGRESS_NOW", "1").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stderr(&out), "", "{args:?}: nothing on stderr");
        assert!(!shows_progress(&stdout(&out)), "{args:?}");
    }
}

/// The same command on a terminal (a pseudo-terminal made by `script`, from util-linux, which
/// tools/test installs) does show progress: the test above is not passing by accident.
#[cfg(target_os = "linux")]
#[test]
fn progress_shows_on_a_terminal() {
    let wd = hairball();
    let command = format!(
        "{} snapshot --at 2020-06-01 --format svg --large-picture --out pic.svg",
        crate::harness::BIN
    );
    let out = crate::harness::on_a_terminal(wd.path(), &command);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(text.contains("Graphviz (sfdp) is drawing 200 actors and 5200 relations"), "{text:?}");
    assert!(shows_progress(&text), "{text:?}");
}

#[test]
// Item 9 of issue 15: a CSV of more rows than Excel or LibreOffice Calc opens (1,048,576)
// said nothing, and a spreadsheet silently drops the rest.
fn a_csv_longer_than_a_spreadsheet_opens_is_warned_about_once() {
    let wd = Workdir::new();
    // 1,048,576 relations: with the header, one row more than a spreadsheet opens.
    let mut csv = String::with_capacity(30 * 1_048_600);
    csv.push_str("source,target,kind,start\n");
    for _ in 0..1_048_576 {
        csv.push_str("A,B,cooperation,2020\n");
    }
    wd.write("data/relations.csv", csv);
    let out = wd.run(&["export", "--format", "csv", "--out", "sheet.csv"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_eq!(err.matches("warning").count(), 1, "{err}");
    assert!(err.contains("the sheet has 1048577 rows with its header"), "{err}");
    assert!(err.contains("the other 1"), "{err}");
    assert_eq!(stdout(&out).lines().count(), 1, "only `wrote sheet.csv`");
}

#[test]
// Regression: frames surveyed every day before checking any frame's size, so a year of
// monthly frames at 10M relations took 110 s (and 1.9 GB) to be refused; the survey now
// stops at the first frame too large to draw, and says how large that one is.
fn frames_are_refused_at_the_first_frame_too_large_to_draw() {
    let wd = Workdir::new();
    // A ring whose relations start in three waves: 2,600 lines in 2020, 5,200 in 2021 (over
    // the limit), 7,800 in 2022.
    let mut csv = String::from("id,source,target,kind,start\n");
    for a in 0..RING {
        for step in 1..=REACH {
            let b = (a + step) % RING;
            for (wave, kind) in [(2020, "cooperation"), (2021, "restriction"), (2022, "dispute")] {
                csv.push_str(&format!("{kind}{a}-{b},A{a:03},A{b:03},{kind},{wave}\n"));
            }
        }
    }
    wd.write("data/relations.csv", csv);
    let args = ["frames", "--from", "2020-06-01", "--to", "2022-06-01", "--every", "1y", "--out", "fr/"];
    let (_, err) = wd.run_code(&args, 2);
    assert!(err.contains(&format!("{RING} actors and 5,200 relations")), "the 2021 frame: {err}");
    assert!(!wd.list(".").contains(&"fr".to_string()), "nothing is written");
}
