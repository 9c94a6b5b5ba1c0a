//! `georel import`'s inputs (issue 17): every container a researcher has (plain, .gz, .zip,
//! .zst, a folder, `-`, `@LIST`), GDELT's master file list with resume, ICEWS's .tab.zip and
//! both its date styles, and the share of rejected rows above which a dataset is kept. The
//! compressed fixtures are made here at run time from the text fixtures of
//! `tests/fixtures/import/`.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Cursor, Write};
use std::process::Stdio;

use crate::harness::{assert_exit, fixtures_dir, stderr, stdout, Workdir};

const GDELT: &str = "gdelt/gdelt2_excerpt.export.CSV";
const ICEWS: &str = "icews/events.excerpt.tab";

fn fixture(name: &str) -> Vec<u8> {
    fs::read(fixtures_dir().join("import").join(name)).unwrap()
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn zst(bytes: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(bytes, ruzstd::encoding::CompressionLevel::Fastest)
}

fn zip(members: &[(&str, &[u8])]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in members {
        w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

/// Runs georel, asserting exit 0 (the fixtures' bad rows are reported on stderr): (stdout,
/// stderr).
#[track_caller]
fn ok(wd: &Workdir, args: &[&str]) -> (String, String) {
    let out = wd.run(args);
    assert_exit(&out, 0);
    (stdout(&out), stderr(&out))
}

/// The dataset files an import wrote into `dir`, by name.
fn dataset(wd: &Workdir, dir: &str) -> BTreeMap<&'static str, Vec<u8>> {
    ["relations.csv", "actors.csv", "sources.csv"]
        .into_iter()
        .map(|f| (f, wd.read_bytes(&format!("{dir}/{f}"))))
        .collect()
}

/// The first line of an import's report: rows read, skipped and rejected.
fn first_line(out: &str) -> String {
    out.lines().next().unwrap_or_default().to_string()
}

/// GDELT's rows split in two halves (no header).
fn gdelt_halves() -> (Vec<u8>, Vec<u8>) {
    let text = String::from_utf8(fixture(GDELT)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let (a, b) = lines.split_at(lines.len() / 2);
    ((a.join("\n") + "\n").into_bytes(), (b.join("\n") + "\n").into_bytes())
}

/// Regression: a .gz was refused (and, before that, read as text: every row rejected and the
/// dataset in --out replaced by an empty one), .zst too; an ICEWS .tab.zip failed with "not an
/// ICEWS events file". Each container gives exactly the dataset of the plain file.
#[test]
fn every_container_reads_like_the_plain_file() {
    let wd = Workdir::new();
    for (format, fixture_name, plain) in [("gdelt", GDELT, "events.CSV"), ("icews", ICEWS, "events.tab")] {
        let text = fixture(fixture_name);
        wd.write(plain, &text);
        wd.write(&format!("{plain}.gz"), gz(&text));
        wd.write(&format!("{plain}.zst"), zst(&text));
        wd.write(&format!("{plain}.zip"), zip(&[(plain, &text)]));
        // A name that says nothing: the first bytes tell.
        wd.write(&format!("{format}-unnamed"), gz(&text));
        let (report, _) = ok(&wd, &["import", format, plain, "--out", &format!("{format}-plain")]);
        let expected = dataset(&wd, &format!("{format}-plain"));
        for input in [
            format!("{plain}.gz"),
            format!("{plain}.zst"),
            format!("{plain}.zip"),
            format!("{format}-unnamed"),
        ] {
            let out = format!("{format}-{input}-out");
            let (got, _) = ok(&wd, &["import", format, &input, "--out", &out]);
            assert_eq!(first_line(&got), first_line(&report), "{input}");
            assert_eq!(dataset(&wd, &out), expected, "{input} gives the plain file's dataset");
        }
        // Rejected rows are named by the archive member.
        let rejects = wd.read(&format!("{format}-{plain}.zip-out/rejects.csv"));
        assert!(rejects.contains(&format!("{plain}.zip/{plain},")), "{rejects}");
    }
}

/// A folder (its files of the format, in name order; mentions, notes and hidden files passed
/// over), `@LIST` and `-` read the same rows as the files named one by one.
#[test]
fn a_folder_a_list_and_standard_input() {
    let wd = Workdir::new();
    let (a, b) = gdelt_halves();
    wd.write("whole.CSV", [&a[..], &b[..]].concat());
    wd.write("in/20191024143000.export.CSV", &a);
    wd.write("in/20191024144500.export.CSV.gz", gz(&b));
    wd.write("in/20191024143000.mentions.CSV", "not\tevents\n");
    wd.write("in/notes.txt", "not events\n");
    wd.write("in/.hidden.csv", "not events\n");
    wd.write(
        "list.txt",
        "# the two halves\nin/20191024143000.export.CSV\n\nin/20191024144500.export.CSV.gz\n",
    );
    let (whole, _) = ok(&wd, &["import", "gdelt", "whole.CSV", "--out", "whole"]);
    let expected = dataset(&wd, "whole");
    let (folder, _) = ok(&wd, &["import", "gdelt", "in", "--out", "folder"]);
    assert!(folder.contains("from 2 files"), "{folder}");
    assert_eq!(dataset(&wd, "folder"), expected);
    let (listed, _) = ok(&wd, &["import", "gdelt", "@list.txt", "--out", "listed"]);
    assert_eq!(first_line(&listed), first_line(&folder));
    assert_eq!(dataset(&wd, "listed"), expected);

    // Standard input, compressed or a zip archive (whose index is at its end) as well.
    let whole_bytes = [&a[..], &b[..]].concat();
    for (what, bytes) in [("gzip", gz(&whole_bytes)), ("zip", zip(&[("events.CSV", &whole_bytes)]))] {
        let mut child = wd
            .command(&["import", "gdelt", "-", "--out", "piped"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(&bytes).unwrap();
        let out = child.wait_with_output().unwrap();
        assert_exit(&out, 0);
        assert_eq!(first_line(&stdout(&out)), first_line(&whole), "{what}");
        assert_eq!(dataset(&wd, "piped"), expected, "{what}");
        assert!(wd.read("piped/rejects.csv").contains("<stdin>"), "{what}");
    }

    // A file named twice, or a folder with nothing to read, is refused before reading.
    let (_, err) =
        wd.run_code(&["import", "gdelt", "in", "in/20191024143000.export.CSV", "--out", "twice"], 2);
    assert!(err.contains("named twice"), "{err}");
    wd.write("empty/readme.md", "");
    let (_, err) = wd.run_code(&["import", "gdelt", "empty", "--out", "none"], 2);
    assert!(err.contains("holds no input file") && err.contains("*.csv"), "{err}");
    let (_, err) = wd.run_code(&["import", "gdelt", "@nolist.txt", "--out", "none"], 2);
    assert!(err.contains("nolist.txt"), "{err}");
    assert!(!wd.exists("twice") && !wd.exists("none"));
}

/// Regression: ICEWS dates written month/day/year (as in the published Events.2017 file) were
/// all rejected, and a .tab.zip was refused. Both give the dataset of the ISO-dated .tab.
#[test]
fn icews_tab_zip_with_us_dates() {
    let wd = Workdir::new();
    let text = String::from_utf8(fixture(ICEWS)).unwrap();
    let us: String = text
        .lines()
        .map(|line| {
            let mut fields: Vec<String> = line.split('\t').map(String::from).collect();
            if let [y, m, d] = fields[1].split('-').collect::<Vec<_>>()[..] {
                if y.len() == 4 && m.len() == 2 && d.len() == 2 {
                    let n = |s: &str| s.parse::<u32>().unwrap();
                    fields[1] = format!("{}/{}/{y}", n(m), n(d));
                }
            }
            fields.join("\t") + "\n"
        })
        .collect();
    assert!(us.contains("\t6/1/2018\t"), "the dates were rewritten");
    wd.write("events.tab", &text);
    wd.write("Events.2018.tab.zip", zip(&[("Events.2018.tab", us.as_bytes())]));
    ok(&wd, &["import", "icews", "events.tab", "--out", "iso"]);
    ok(&wd, &["import", "icews", "Events.2018.tab.zip", "--out", "us"]);
    assert_eq!(dataset(&wd, "us"), dataset(&wd, "iso"));
}

/// Regression: an import that rejected most of its rows (the wrong file, or the wrong format)
/// replaced the dataset in --out. Above --max-rejects (50% by default) it exits 4 and writes
/// nothing where a dataset is; into a new folder it writes, with a warning.
#[test]
fn too_many_rejects_keep_the_dataset() {
    let wd = Workdir::new();
    let (a, _) = gdelt_halves();
    wd.write("good.CSV", &a);
    ok(&wd, &["import", "gdelt", "good.CSV", "--out", "ds"]);
    let before: BTreeMap<String, Vec<u8>> =
        wd.list("ds").into_iter().map(|n| (n.clone(), wd.read_bytes(&format!("ds/{n}")))).collect();
    // Four good rows and six bad ones: 60% rejected.
    let good: Vec<&str> = std::str::from_utf8(&a).unwrap().lines().take(4).collect();
    wd.write("mostly-bad.CSV", good.join("\n") + "\n" + &"bad\trow\n".repeat(6));
    let (_, err) = wd.run_code(&["import", "gdelt", "mostly-bad.CSV", "--out", "ds"], 4);
    assert!(
        err.contains("rejected 6 of 10 rows (60.0%), more than --max-rejects 50%")
            && err.contains("left as it was"),
        "{err}"
    );
    let after: BTreeMap<String, Vec<u8>> =
        wd.list("ds").into_iter().map(|n| (n.clone(), wd.read_bytes(&format!("ds/{n}")))).collect();
    assert_eq!(after, before, "the dataset is untouched");
    wd.run_code(&["import", "gdelt", "mostly-bad.CSV", "--append", "ds"], 4);
    let after: BTreeMap<String, Vec<u8>> =
        wd.list("ds").into_iter().map(|n| (n.clone(), wd.read_bytes(&format!("ds/{n}")))).collect();
    assert!(after.contains_key("pairdays-gdelt.bin"), "{:?}", after.keys());
    assert_eq!(after, before, "the dataset and its pair-day table are untouched by a refused append");
    // A higher share, --force, or a new folder write it.
    ok(&wd, &["import", "gdelt", "mostly-bad.CSV", "--out", "ds", "--max-rejects", "70"]);
    let out = wd.run(&["import", "gdelt", "mostly-bad.CSV", "--out", "fresh"]);
    assert_exit(&out, 0);
    assert!(stderr(&out).contains("warning: the import rejected 6 of 10 rows"), "{}", stderr(&out));
    assert!(wd.exists("fresh/relations.csv"));
    let (_, err) = wd.run_code(&["import", "gdelt", "good.CSV", "--out", "x", "--max-rejects", "101"], 2);
    assert!(err.contains("a percentage from 0 to 100"), "{err}");
}

fn md5_hex(bytes: &[u8]) -> String {
    use md5::Digest;
    md5::Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// GDELT 2.0's master file list: the event files of the dates asked are read from the list's
/// folder, checked against its sizes and MD5s first; a dataset appended to records them, and a
/// second run skips them.
#[test]
fn the_master_file_list_selects_checks_and_resumes() {
    let wd = Workdir::new();
    let (a, b) = gdelt_halves();
    // The second half moved two days on, as a later file would be.
    let later = String::from_utf8(b.clone()).unwrap().replace("\t20191024\t", "\t20191026\t");
    let files = [
        ("20191024143000.export.CSV.zip", zip(&[("20191024143000.export.CSV", &a)])),
        ("20191026000000.export.CSV.zip", zip(&[("20191026000000.export.CSV", later.as_bytes())])),
        ("20191028000000.export.CSV.zip", zip(&[("20191028000000.export.CSV", &a)])),
    ];
    let mut list = String::new();
    for (name, bytes) in &files {
        wd.write(&format!("gdelt/{name}"), bytes);
        list.push_str(&format!(
            "{} {} http://data.gdeltproject.org/gdeltv2/{name}\n",
            bytes.len(),
            md5_hex(bytes)
        ));
        let mentions = name.replace("export", "mentions");
        list.push_str(&format!("10 {} http://data.gdeltproject.org/gdeltv2/{mentions}\n", md5_hex(b"")));
    }
    // A line cut short, as GDELT's list has had: reported, its file not read.
    list.push_str("http://data.gdeltproject.org/gdeltv2/20191024150000.export.CSV.zip\n");
    wd.write("gdelt/masterfilelist.txt", &list);
    let master = ["import", "gdelt", "--master", "gdelt/masterfilelist.txt"];

    // The first day only.
    let args = [&master[..], &["--since", "2019-10-24", "--until", "2019-10-24", "--out", "ds"]].concat();
    let (out, err) = ok(&wd, &args);
    assert!(out.contains("from 1 file"), "{out}");
    assert!(
        err.contains("1 line naming an event file could not be read as SIZE MD5 URL (first: line 7"),
        "{err}"
    );
    assert_eq!(wd.read("ds/imported-files.csv").lines().count(), 2, "a header and one file");
    // Then up to the 27th, appended: the first file is skipped, the second read.
    let args = [&master[..], &["--until", "2019-10-27", "--append", "ds"]].concat();
    let (out, _) = ok(&wd, &args);
    assert!(out.contains("1 file of the dates asked already imported into ds: skipped"), "{out}");
    assert!(out.contains("from 1 file"), "{out}");
    let record = wd.read("ds/imported-files.csv");
    assert!(
        record.contains("20191024143000.export.CSV.zip,")
            && record.contains("20191026000000.export.CSV.zip,")
    );
    assert!(!record.contains("20191028"), "{record}");
    // Once more: nothing left to read, nothing written.
    let before = wd.read_bytes("ds/relations.csv");
    let (out, _) = ok(&wd, &args);
    assert!(out.contains("nothing to import"), "{out}");
    assert_eq!(wd.read_bytes("ds/relations.csv"), before);

    // A damaged download (same size, other bytes) is refused before anything is written.
    let mut damaged = files[2].1.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 0xff;
    wd.write("gdelt/20191028000000.export.CSV.zip", &damaged);
    let (_, err) = wd.run_code(&[&master[..], &["--append", "ds"]].concat(), 2);
    assert!(
        err.contains("20191028000000.export.CSV.zip has the MD5") && err.contains("download it again"),
        "{err}"
    );
    // One cut short is refused before any file is read.
    wd.write("gdelt/20191028000000.export.CSV.zip", &damaged[..10]);
    let (_, err) = wd.run_code(&[&master[..], &["--append", "ds"]].concat(), 2);
    assert!(err.contains("differ in size from the list") && err.contains("10 bytes"), "{err}");
    assert_eq!(wd.read_bytes("ds/relations.csv"), before);
    // A missing one is reported and not recorded: a later run reads it.
    fs::remove_file(wd.path().join("gdelt/20191028000000.export.CSV.zip")).unwrap();
    let out = wd.run(&[&master[..], &["--append", "ds"]].concat());
    assert_exit(&out, 0);
    assert!(
        stderr(&out)
            .contains("gdelt/masterfilelist.txt names 1 event file of the dates asked that its folder lacks"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("nothing to import"), "{}", stdout(&out));
    // --since/--until go with --master only; --master with gdelt only.
    wd.run_code(&["import", "gdelt", "x.CSV", "--since", "2019"], 2);
    wd.run_code(&["import", "icews", "--master", "gdelt/masterfilelist.txt"], 2);
}

/// A master-list import resumed in batches (`--append`, the files already read skipped) gives
/// the dataset, the stage-A table and the record of files of one import of all the dates: the
/// runs that reach across a batch's boundary are one relation each.
#[test]
fn a_master_list_import_resumed_in_batches_gives_the_one_import() {
    let wd = Workdir::new();
    let (a, b) = gdelt_halves();
    let text = |bytes: &[u8]| String::from_utf8(bytes.to_vec()).unwrap();
    // Three files two days apart (within the default gap of 7), each with ids of its own.
    let second = text(&b).replace("\t20191024\t", "\t20191026\t");
    let third: String =
        text(&a).replace("\t20191024\t", "\t20191028\t").lines().map(|l| format!("9{l}\n")).collect();
    let files = [
        ("20191024143000.export.CSV.zip", zip(&[("20191024143000.export.CSV", &a)])),
        ("20191026000000.export.CSV.zip", zip(&[("20191026000000.export.CSV", second.as_bytes())])),
        ("20191028000000.export.CSV.zip", zip(&[("20191028000000.export.CSV", third.as_bytes())])),
    ];
    let mut list = String::new();
    for (name, bytes) in &files {
        wd.write(&format!("gdelt/{name}"), bytes);
        list.push_str(&format!(
            "{} {} http://data.gdeltproject.org/gdeltv2/{name}\n",
            bytes.len(),
            md5_hex(bytes)
        ));
    }
    wd.write("gdelt/masterfilelist.txt", &list);
    let master = ["import", "gdelt", "--master", "gdelt/masterfilelist.txt"];
    ok(&wd, &[&master[..], &["--out", "one"]].concat());
    ok(&wd, &[&master[..], &["--until", "2019-10-24", "--out", "split"]].concat());
    let (out, _) = ok(&wd, &[&master[..], &["--until", "2019-10-26", "--append", "split"]].concat());
    assert!(out.contains("1 file of the dates asked already imported into split: skipped"), "{out}");
    let (out, _) = ok(&wd, &[&master[..], &["--append", "split"]].concat());
    assert!(out.contains("2 files of the dates asked already imported into split: skipped"), "{out}");
    let files = |dir: &str| -> BTreeMap<String, Vec<u8>> {
        wd.list(dir).into_iter().map(|n| (n.clone(), wd.read_bytes(&format!("{dir}/{n}")))).collect()
    };
    let (one, split) = (files("one"), files("split"));
    assert!(one.contains_key("pairdays-gdelt.bin") && one.contains_key("imported-files.csv"), "{one:?}");
    assert_eq!(split.keys().collect::<Vec<_>>(), one.keys().collect::<Vec<_>>());
    for (name, bytes) in &one {
        assert!(split[name] == *bytes, "{name} differs");
    }
}

/// Regression: an import's bar showed rows and a rate with four decimals
/// (`importing gdelt: 12,345 rows, 24863.4512/s`) and nothing of the files or bytes left. On a
/// terminal (a pseudo-terminal made by `script`, which tools/test installs) it now shows files
/// done of files, the share of bytes, the time left, and rows per second as a whole number.
#[cfg(target_os = "linux")]
#[test]
fn an_import_shows_files_bytes_eta_and_whole_rows_per_second_on_a_terminal() {
    let wd = Workdir::new();
    let real = fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/gdelt/gdelt2_20191024143000.export.CSV"),
    )
    .unwrap();
    for i in 0..4 {
        wd.write(&format!("in/{i}.export.CSV"), &real);
    }
    let command = format!(
        "{} import gdelt in/0.export.CSV in/1.export.CSV in/2.export.CSV in/3.export.CSV --out ds",
        crate::harness::BIN
    );
    let out = crate::harness::on_a_terminal(wd.path(), &command);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(0), "{text}");
    let bar = text
        .split(['\r', '\n'])
        .find(|line| line.contains("importing gdelt:"))
        .unwrap_or_else(|| panic!("no bar drawn: {text:?}"));
    assert!(bar.contains("/4 files [") && bar.contains("% ETA "), "{bar:?}");
    let rate = bar
        .split(" rows, ")
        .nth(1)
        .and_then(|r| r.split(" rows/s").next())
        .unwrap_or_else(|| panic!("{bar:?}"));
    assert!(
        !rate.is_empty() && rate.bytes().all(|b| b.is_ascii_digit() || b == b','),
        "a whole number: {bar:?}"
    );
}

/// A dataset imported before the table kept its ids as a bitmap (version 2, made by georel
/// c95a393 from the first half of the GDELT excerpt: tests/fixtures/import/gdelt/table-v2/)
/// takes an `--append` of the second half: the same dataset and table as one import of both,
/// and its table is rewritten in the current version.
#[test]
fn an_append_reads_a_version_2_table() {
    let wd = Workdir::new();
    let old = fixtures_dir().join("import/gdelt/table-v2");
    for entry in fs::read_dir(&old).unwrap() {
        let entry = entry.unwrap();
        wd.write(&format!("ds/{}", entry.file_name().to_str().unwrap()), fs::read(entry.path()).unwrap());
    }
    assert!(wd.read_bytes("ds/pairdays-gdelt.bin").starts_with(b"georel pairdays 2\n"));
    let (a, b) = gdelt_halves();
    assert_eq!(
        a,
        fs::read(old.join("../gdelt2_excerpt.export.CSV")).unwrap()[..a.len()],
        "the fixture's half"
    );
    wd.write("b.CSV", &b);
    wd.write("all.CSV", [a, b].concat());
    ok(&wd, &["import", "gdelt", "b.CSV", "--append", "ds"]);
    ok(&wd, &["import", "gdelt", "all.CSV", "--out", "one"]);
    assert_eq!(dataset(&wd, "ds"), dataset(&wd, "one"));
    let table = wd.read_bytes("ds/pairdays-gdelt.bin");
    assert!(table.starts_with(b"georel pairdays 3\n"));
    assert_eq!(table, wd.read_bytes("one/pairdays-gdelt.bin"), "every id of the old table was read");
    // Its ids catch a duplicate: the first half again adds nothing.
    wd.write("a.CSV", &gdelt_halves().0);
    let (_, err) = wd.run_code(&["import", "gdelt", "a.CSV", "--append", "ds"], 2);
    assert!(err.contains("nothing to append"), "{err}");
}
