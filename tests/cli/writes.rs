//! How georel writes files: default names, interrupted writes, concurrent runs, and never
//! replacing the input dataset.

use std::collections::BTreeMap;
use std::fs;

use crate::harness::{assert_exit, fixtures_dir, stderr, Workdir};

/// Regression: a 300-character actor id made the default output name longer than a file
/// name may be (exit 2, "File name too long").
#[test]
fn a_long_actor_id_gets_a_shortened_default_name() {
    let wd = Workdir::new();
    let long = "A".repeat(300);
    wd.write("data/relations.csv", format!("source,target,kind,start\n{long},B,cooperation,2020\n"));
    let (out, _) = wd.run_code(&["path", &long, "B", "--at", "2021", "--format", "csv"], 0);
    let names = wd.list("output");
    assert_eq!(names.len(), 1, "{names:?}");
    let name = &names[0];
    assert!(name.len() <= 200 && name.starts_with("path-AAAA") && name.ends_with(".csv"), "{name}");
    assert_eq!(out, format!("wrote output/{name}\n"));
    // The same question gets the same name.
    wd.run_code(&["path", &long, "B", "--at", "2021", "--format", "csv"], 0);
    assert_eq!(wd.list("output"), names);
}

/// Every file in a folder of the work directory, by name, with its bytes.
fn contents(wd: &Workdir, dir: &str) -> BTreeMap<String, Vec<u8>> {
    wd.list(dir).into_iter().map(|name| (name.clone(), wd.read_bytes(&format!("{dir}/{name}")))).collect()
}

/// A work directory holding the GDELT and ICEWS import fixtures, and `imported/`, a dataset
/// that an import wrote.
fn with_import() -> Workdir {
    let wd = Workdir::new();
    let fixtures = fixtures_dir().join("import");
    for (from, to) in [
        ("gdelt/gdelt2_excerpt.export.CSV", "events.CSV"),
        ("gdelt/gdelt2_excerpt.export.CSV.zip", "events.CSV.zip"),
        ("icews/events.excerpt.tab", "events.tab"),
    ] {
        wd.write(to, fs::read(fixtures.join(from)).unwrap());
    }
    // Some of its rows are bad on purpose: they are reported on stderr.
    assert_exit(&wd.run(&["import", "gdelt", "events.CSV", "--out", "imported"]), 0);
    wd
}

/// Regression: an input that is not text (gzip, Parquet, a fake zip, binary data) was read
/// as text, every row rejected, and the dataset in `--out` replaced by an empty one. Now gzip
/// and zip are read (a damaged one is refused), the others refused, before anything is written.
#[test]
fn an_input_that_is_not_text_is_refused_before_anything_is_written() {
    let wd = with_import();
    let before = contents(&wd, "imported");
    for (format, bytes, said) in [
        ("gdelt", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03".to_vec(), "not valid gzip data"),
        ("icews", b"PAR1\x15\x04\x15\x00\x00\x00PAR1".to_vec(), "Parquet"),
        ("gdelt", b"PK\x03\x04 not really a zip archive\n".to_vec(), "zip archive"),
        ("icews", b"Event ID\tEvent Date\n\x00\x00\x00\x01\x02".to_vec(), "binary data"),
    ] {
        wd.write("input", &bytes);
        let out = wd.run(&["import", format, "input", "--out", "imported"]);
        assert_exit(&out, 2);
        assert!(stderr(&out).contains(said), "{said}: {}", stderr(&out));
        assert_eq!(contents(&wd, "imported"), before, "{said}: the dataset is untouched");
    }
}

/// Regression: an import in which every row was rejected replaced the dataset in `--out`
/// with an empty one.
#[test]
fn an_import_of_no_relation_writes_nothing() {
    let wd = with_import();
    let before = contents(&wd, "imported");
    wd.write("bad.CSV", "not\tan\tevent\nneither\tis\tthis\n");
    let out = wd.run(&["import", "gdelt", "bad.CSV", "--out", "imported"]);
    assert_exit(&out, 4);
    let err = stderr(&out);
    assert!(err.contains("the import kept no relation") && err.contains("nothing was written"), "{err}");
    assert!(err.contains("bad.CSV:1:"), "the rejected rows are shown: {err}");
    assert_eq!(contents(&wd, "imported"), before);
    wd.run_code(&["import", "gdelt", "bad.CSV", "--out", "fresh"], 4);
    assert!(!wd.exists("fresh"), "no folder is created either");
}

/// Regression: `snapshot --format edges-csv --out data/relations.csv` overwrote the dataset
/// being read with one day's edges; any spelling of the file (a link, `..`) did too.
#[test]
fn no_result_replaces_a_file_of_the_dataset_being_read() {
    let wd = Workdir::with_queries();
    let before = contents(&wd, "data");
    std::os::unix::fs::symlink("data/actors.csv", wd.path().join("link.csv")).unwrap();
    fs::create_dir(wd.path().join("elsewhere")).unwrap();
    for (args, file) in [
        (
            &["snapshot", "--at", "2025-06-15", "--format", "edges-csv", "--out", "data/relations.csv"][..],
            "data/relations.csv",
        ),
        (
            &[
                "snapshot",
                "--at",
                "2025-06-15",
                "--format",
                "nodes-csv",
                "--out",
                "elsewhere/../data/sources.csv",
            ],
            "elsewhere/../data/sources.csv",
        ),
        (
            &["diff", "--from", "2025-01-01", "--to", "2025-06-15", "--format", "csv", "--out", "link.csv"],
            "link.csv",
        ),
        (&["export", "--format", "dataset", "--out", "data"], "data/relations.csv"),
    ] {
        let out = wd.run(args);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refusing to replace {file}"))
                && err.contains("it is a file of the dataset being read (--data data)")
                && err.contains("--force"),
            "{args:?}: {err}"
        );
        assert_eq!(contents(&wd, "data"), before, "{args:?}: the dataset is untouched");
    }
    // --force replaces it.
    wd.run_code(
        &[
            "--data",
            "data",
            "snapshot",
            "--at",
            "2025-06-15",
            "--format",
            "edges-csv",
            "--out",
            "data/relations.csv",
            "--force",
        ],
        0,
    );
    assert!(wd.read("data/relations.csv").contains(",status,contested,"), "replaced by the edges");
}

/// Regression: `bench rel.csv ... --out rel.csv` (or `--json rel.csv`) replaced the CSV it
/// read, and an import's output could replace its own input file.
#[test]
fn no_result_replaces_an_input_file() {
    let wd = with_import();
    let csv = "source,target,kind,start,end\nA,B,cooperation,2020-01-01,\n";
    wd.write("rel.csv", csv);
    for flag in ["--out", "--json"] {
        let out = wd.run(&["bench", "rel.csv", "2021-01-01", "A", "B", flag, "rel.csv"]);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains("refusing to replace rel.csv: it is an input file of this run"),
            "{flag}: {err}"
        );
        assert_eq!(wd.read("rel.csv"), csv, "{flag}: the input is untouched");
    }
    // An import whose input is named as one of the files it writes.
    fs::create_dir(wd.path().join("raw")).unwrap();
    fs::copy(wd.path().join("events.tab"), wd.path().join("raw/rejects.csv")).unwrap();
    let before = wd.read_bytes("raw/rejects.csv");
    let out = wd.run(&["import", "icews", "raw/rejects.csv", "--out", "raw/"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("it is an input file of this run"), "{}", stderr(&out));
    assert_eq!(wd.read_bytes("raw/rejects.csv"), before, "the import's input is untouched");
    assert_eq!(wd.list("raw"), ["rejects.csv"], "nothing else is written");
}

/// Another curated dataset than the one being read is guarded too: an export of the dataset,
/// or a table named as one of its files, replaced it without a word.
#[test]
// Regression (#14 of issue 13, from the review): `--data d1 export --format dataset --out d2`
// and `snapshot --out d2/relations.csv` replaced d2's curated files.
fn no_result_replaces_a_dataset_that_georel_did_not_write() {
    let wd = Workdir::with_queries();
    wd.copy_fixture("queries", "other");
    let before = contents(&wd, "other");
    for (args, file) in [
        (&["export", "--format", "dataset", "--out", "other"][..], "other/relations.csv"),
        (
            &["snapshot", "--at", "2025-06-15", "--format", "edges-csv", "--out", "other/relations.csv"],
            "other/relations.csv",
        ),
        (
            &["snapshot", "--at", "2025-06-15", "--format", "nodes-csv", "--out", "other/actors.csv"],
            "other/actors.csv",
        ),
    ] {
        let out = wd.run(args);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("refusing to replace {file}: it is a file of a dataset that georel did not write (there is no .georel-dataset in other)"))
                && err.contains("--force"),
            "{args:?}: {err}"
        );
        assert_eq!(contents(&wd, "other"), before, "{args:?}: the dataset is untouched");
    }
    // A dataset georel exported may be exported over again; --force replaces a curated one.
    wd.run_code(&["export", "--format", "dataset", "--out", "exported"], 0);
    assert!(wd.exists("exported/.georel-dataset"));
    wd.run_code(&["export", "--format", "dataset", "--out", "exported"], 0);
    wd.run_code(&["export", "--format", "dataset", "--out", "other", "--force"], 0);
    assert_ne!(contents(&wd, "other"), before);
}

/// Regression: `import gdelt FILE --out data` silently replaced the curated dataset in data/.
#[test]
fn an_import_replaces_only_a_folder_that_an_import_wrote() {
    let wd = with_import();
    wd.copy_fixture("queries", "data");
    let before = contents(&wd, "data");
    let out = wd.run(&["import", "gdelt", "events.CSV", "--out", "data"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.contains("refusing to replace the dataset in data: it holds relations.csv, actors.csv, sources.csv that georel did not write")
            && err.contains("--append data")
            && err.contains("--force"),
        "{err}"
    );
    assert_eq!(contents(&wd, "data"), before, "the curated dataset is untouched");
    // A folder an import wrote is replaced by the next import; --append adds to data/.
    assert_exit(&wd.run(&["import", "gdelt", "events.CSV", "--out", "imported"]), 0);
    assert!(wd.exists("imported/.georel-dataset"));
    assert_exit(&wd.run(&["import", "gdelt", "events.CSV", "--append", "data"]), 0);
    assert!(!wd.exists("data/.georel-dataset"), "an appended dataset is not an import's own");
    // --force replaces it.
    wd.copy_fixture("queries", "data");
    assert_exit(&wd.run(&["import", "gdelt", "events.CSV", "--out", "data", "--force"]), 0);
    assert_ne!(contents(&wd, "data"), before);
    assert!(wd.exists("data/.georel-dataset"));
}

/// The frame files that `index.html` in `dir` names.
fn frames_named(wd: &Workdir, dir: &str) -> Vec<String> {
    let page = wd.read(&format!("{dir}/index.html"));
    let mut names: Vec<String> = page
        .match_indices("frame-")
        .filter_map(|(at, _)| {
            let name = &page[at..];
            let end = name.find(".png")? + 4;
            let name = &name[..end];
            name.chars().all(|c| c.is_ascii_alphanumeric() || "-.".contains(c)).then(|| name.to_string())
        })
        .collect();
    names.sort();
    names.dedup();
    names
}

/// Regression: two `frames` runs into one folder could leave an index.html naming frames
/// that the other run removed. A run now waits while another holds the folder's lock: the
/// test holds it, sees the run wait, then lets it go.
#[cfg(target_os = "linux")]
#[test]
fn a_frames_run_waits_for_another_writing_into_its_folder() {
    use std::io::{BufRead, BufReader};
    use std::os::fd::AsRawFd;
    use std::process::Stdio;

    let wd = Workdir::with_queries();
    fs::create_dir_all(wd.path().join("output/frames")).unwrap();
    let held = fs::File::open(wd.path().join("output/frames")).unwrap();
    // SAFETY: flock on a descriptor the test owns.
    assert_eq!(unsafe { libc::flock(held.as_raw_fd(), libc::LOCK_EX) }, 0);
    let mut run = wd
        .command(&["frames", "--from", "2025-04-01", "--to", "2025-07-01", "--every", "1m"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(run.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    assert!(
        line.contains("another georel is writing into output/frames; waiting for it to finish"),
        "the run did not wait (status {:?}): {line:?}",
        run.try_wait()
    );
    assert!(run.try_wait().unwrap().is_none(), "still waiting");
    assert_eq!(wd.list("output/frames"), Vec::<String>::new(), "nothing written while waiting");
    drop(held);
    assert!(run.wait().unwrap().success());
    assert_eq!(frames_named(&wd, "output/frames").len(), 4);

    // Two runs at once, a long series and a short one: whichever ends last, index.html names
    // exactly the frames in the folder.
    for _ in 0..3 {
        let runs: Vec<_> = [("2025-01-01", "1m"), ("2025-06-01", "1m")]
            .iter()
            .map(|(from, every)| {
                wd.command(&["frames", "--from", from, "--to", "2025-07-01", "--every", every])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for mut run in runs {
            assert!(run.wait().unwrap().success());
        }
        let on_disk: Vec<String> =
            wd.list("output/frames").into_iter().filter(|n| n.starts_with("frame-")).collect();
        assert_eq!(frames_named(&wd, "output/frames"), on_disk);
    }
}

/// The hidden temporary files (`.georel-….tmp`) in a folder of the work directory.
fn temporary_files(wd: &Workdir, dir: &str) -> Vec<String> {
    wd.list(dir).into_iter().filter(|n| n.starts_with(".georel-") && n.ends_with(".tmp")).collect()
}

/// Starts georel with the test seam that stops it once a result's temporary file is written
/// in full, and waits until it is there; returns the running process and the file's path.
#[cfg(target_os = "linux")]
fn stalled(wd: &Workdir, args: &[&str]) -> (std::process::Child, std::path::PathBuf) {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    let mut run = wd
        .command(args)
        .env("GEOREL_TEST_STALL_STAGED", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(run.stderr.take().unwrap()).read_line(&mut line).unwrap();
    let temp = line.strip_prefix("georel: test: staged ").map(|p| wd.path().join(p.trim_end()));
    let Some(temp) = temp.filter(|t| t.exists()) else {
        let _ = run.kill();
        panic!("{args:?} did not stop with a temporary file written: {line:?}");
    };
    (run, temp)
}

#[cfg(target_os = "linux")]
fn send(run: &std::process::Child, signal: i32) {
    // SAFETY: sends a signal to a child this test started and has not waited for.
    assert_eq!(unsafe { libc::kill(run.id() as i32, signal) }, 0);
}

/// Regression: a Ctrl-C (or a SIGTERM) during a write left its hidden temporary files
/// behind (320 MB + 96 MB for a snapshot of 10M relations; 176 files for `frames`; 80 MB in
/// the dataset folder for `index`). They are removed, the destination is untouched, and the
/// run ends with 130 or 143.
#[cfg(target_os = "linux")]
#[test]
fn an_interrupted_write_leaves_no_temporary_file() {
    let wd = Workdir::with_queries();
    wd.write("out/edges.csv", "earlier\n");
    let snapshot: &[&str] =
        &["snapshot", "--at", "2025-06-15", "--format", "edges-csv", "--out", "out/edges.csv"];
    let frames: &[&str] =
        &["frames", "--from", "2025-01-01", "--to", "2025-07-01", "--every", "1m", "--out", "out"];
    for (args, folder, signal, code) in [
        (snapshot, "out", libc::SIGINT, 130),
        (snapshot, "out", libc::SIGTERM, 143),
        (&["index"][..], "data", libc::SIGTERM, 143),
        (frames, "out", libc::SIGINT, 130),
    ] {
        let before = contents(&wd, folder);
        let (mut run, temp) = stalled(&wd, args);
        send(&run, signal);
        let status = run.wait().unwrap();
        assert_eq!(status.code(), Some(code), "{args:?}");
        assert!(!temp.exists(), "{args:?}: {} is left", temp.display());
        assert_eq!(temporary_files(&wd, folder), Vec::<String>::new(), "{args:?}");
        assert_eq!(contents(&wd, folder), before, "{args:?}: the destination is untouched");
    }
}

/// SIGKILL cannot be caught: the temporary file it leaves is removed by the next run that
/// writes into the folder, as is one of any georel process that no longer exists. Files of
/// running processes, and other hidden files, are kept.
#[cfg(target_os = "linux")]
#[test]
fn the_next_write_removes_the_temporary_files_of_a_killed_run() {
    let wd = Workdir::with_queries();
    let args: &[&str] =
        &["snapshot", "--at", "2025-06-15", "--format", "edges-csv", "--out", "out/edges.csv"];
    let (mut run, temp) = stalled(&wd, args);
    send(&run, libc::SIGKILL);
    run.wait().unwrap();
    assert!(temp.exists(), "SIGKILL leaves the file");
    // One from a run killed earlier, by a process that has ended since.
    let mut ended = std::process::Command::new("true").spawn().unwrap();
    let dead = ended.id();
    ended.wait().unwrap();
    let older = format!(".georel-{dead}-a1B2c3.tmp");
    wd.write(&format!("out/{older}"), "half a result");
    wd.write("out/.georel-1-zzzzzz.tmp", "pid 1 is running");
    wd.write("out/.hidden", "not georel's");
    wd.run_code(args, 0);
    assert_eq!(temporary_files(&wd, "out"), [".georel-1-zzzzzz.tmp"]);
    assert!(wd.exists("out/.hidden") && wd.exists("out/edges.csv"));
}

/// Issue 15: `--out` follows one rule for every command: a path ending in `/` or naming an
/// existing folder is a folder, which gets the default file names; anything else is a file,
/// with its missing parent folders created. `export --format csv --out newdir/` failed
/// ("Not a directory").
#[test]
fn out_ending_in_a_slash_is_a_folder_for_every_command() {
    let wd = Workdir::with_queries();
    let day = "2025-06-15";
    let cases: [(&[&str], &str); 8] = [
        (&["export", "--format", "csv"], "georel.csv"),
        (&["export", "--format", "json"], "georel.json"),
        (&["snapshot", "--at", day, "--format", "dot"], "snapshot-2025-06-15.dot"),
        (&["path", "TAO", "COL", "--at", day, "--format", "csv"], "path-TAO-COL-2025-06-15.csv"),
        (&["neighbours", "COL", "--at", day, "--format", "json"], "neighbours-COL-2025-06-15-d1.json"),
        (&["diff", "--from", "2025-05-15", "--to", day, "--format", "dot"], "diff-2025-05-15-2025-06-15.dot"),
        (&["timeline", "COL"], "timeline-COL.txt"),
        (&["conflicts", "--at", day, "--format", "csv"], "conflicts-2025-06-15.csv"),
    ];
    for (i, (args, name)) in cases.iter().enumerate() {
        let dir = format!("new{i}/deeper/");
        let mut all = args.to_vec();
        all.extend(["--out", &dir]);
        let (out, _) = wd.run_code(&all, 0);
        assert_eq!(wd.list(&dir), [*name], "{args:?}: {out}");
        assert!(out.contains(&format!("wrote {dir}{name}")), "{args:?}: {out}");
    }
    // Without --format, snapshot's three files go into the folder.
    wd.run_code(&["snapshot", "--at", day, "--out", "three/"], 0);
    assert_eq!(wd.list("three").len(), 3);
    // An existing folder needs no slash.
    std::fs::create_dir(wd.path().join("there")).unwrap();
    wd.run_code(&["fractures", "--at", day, "--format", "csv", "--out", "there"], 0);
    assert_eq!(wd.list("there"), ["fractures-2025-06-15.csv"]);
}

/// Issue 15: anything else is a file, whatever its command, its parent folders created;
/// `snapshot --out snap.dot` without --format silently made a folder named snap.dot.
#[test]
fn out_naming_no_folder_is_a_file_with_its_parents_created() {
    let wd = Workdir::with_queries();
    let day = "2025-06-15";
    for (i, args) in [
        &["export", "--format", "graphml"][..],
        &["snapshot", "--at", day, "--format", "edges-csv"][..],
        &["path", "TAO", "COL", "--at", day],
        &["neighbours", "COL", "--at", day, "--format", "dot"],
        &["fractures", "--at", day, "--format", "json"],
        &["conflicts", "--format", "csv"],
    ]
    .into_iter()
    .enumerate()
    {
        let file = format!("made{i}/sub/result.out");
        let mut all = args.to_vec();
        all.extend(["--out", &file]);
        wd.run_code(&all, 0);
        assert!(std::fs::metadata(wd.path().join(&file)).unwrap().is_file(), "{args:?}");
    }
    let out = wd.run(&["snapshot", "--at", day, "--out", "snap.dot"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("--out snap.dot names a file") && err.contains("add --format dot"), "{err}");
    assert!(err.contains("snap.dot/ for a folder"), "{err}");
    assert!(!wd.exists("snap.dot"), "no folder named snap.dot");
}

/// Commands whose result is always a folder (export --format dataset, frames, import) take
/// --out as that folder, and refuse an existing file in its place.
#[test]
fn a_folder_result_refuses_a_file_in_its_place() {
    let wd = Workdir::with_queries();
    wd.write("taken", "mine\n");
    for args in [
        &["export", "--format", "dataset", "--out", "taken"][..],
        &["frames", "--from", "2025-05-01", "--to", "2025-06-01", "--format", "svg", "--out", "taken"],
    ] {
        let out = wd.run(args);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("--out taken:") && err.contains("this is a file"), "{args:?}: {err}");
        assert_eq!(wd.read("taken"), "mine\n");
    }
    wd.run_code(&["export", "--format", "dataset", "--out", "fresh"], 0);
    assert!(wd.exists("fresh/relations.csv"));
}

/// Regression: `--out notes.txt/x.csv`, under a file, failed with the system's "File exists"
/// (or "Not a directory"), which does not say which part of the path is a file.
#[test]
fn a_path_under_a_file_says_which_part_is_the_file() {
    let wd = Workdir::with_queries();
    wd.write("notes.txt", "mine\n");
    for args in [
        &["snapshot", "--at", "2025-06-15", "--format", "json", "--out", "notes.txt/x.json"][..],
        &["snapshot", "--at", "2025-06-15", "--out", "notes.txt/a/"][..],
        &["frames", "--from", "2025-01-01", "--to", "2025-02-01", "--out", "notes.txt/f/"][..],
    ] {
        let out = wd.run(args);
        assert_exit(&out, 2);
        let err = stderr(&out);
        assert!(err.contains("notes.txt is a file, not a folder; choose another --out"), "{args:?}: {err}");
        assert_eq!(wd.read("notes.txt"), "mine\n");
    }
}
