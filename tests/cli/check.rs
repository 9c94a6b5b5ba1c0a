//! `georel check`: the one-line summary on valid data, and the shapes of dataset that are
//! valid although minimal (bare relations, header only, extra or missing optional columns).

use crate::harness::{assert_exit, assert_success, parse_csv, stderr, stdout, Workdir};

/// Runs `check`, asserts success with nothing on stderr, and returns stdout.
#[track_caller]
fn check_ok(wd: &Workdir, args: &[&str]) -> String {
    let out = wd.run(args);
    assert_success(&out);
    assert_eq!(stderr(&out), "", "nothing on stderr on success");
    stdout(&out)
}

/// The edges of a snapshot on `date`, as CSV rows.
fn edges(wd: &Workdir, date: &str) -> Vec<crate::harness::Row> {
    let out = wd.run(&["snapshot", "--at", date, "--format", "edges-csv", "--out", "-"]);
    assert_success(&out);
    parse_csv(&stdout(&out))
}

#[test]
fn good_dataset_prints_one_summary_line_and_exits_0() {
    let wd = Workdir::with_fixture("snapshot");
    // 9 actors, 14 relations and 3 sources in the fixture; the earliest date is the NATO
    // memberships' start, the latest CIA-VEN-CHANNEL's end (after the partial end 2025-11,
    // whose period ends on 2025-11-30).
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 9 actors, 14 relations, 3 sources; dates 1949-04-04 to 2025-12-01\n"
    );
}

#[test]
fn the_summary_names_the_folder_given_with_data() {
    let wd = Workdir::new();
    wd.copy_fixture("snapshot", "elsewhere/set");
    let dir = wd.path().join("elsewhere/set");
    let line = check_ok(&wd, &["--data", dir.to_str().unwrap(), "check"]);
    assert_eq!(
        wd.normalise(&line),
        "[TMP]/elsewhere/set: ok: 9 actors, 14 relations, 3 sources; dates 1949-04-04 to 2025-12-01\n"
    );
    // --data is global: it may also come after the subcommand.
    let line = check_ok(&wd, &["check", "--data", "elsewhere/set"]);
    assert!(line.starts_with("elsewhere/set: ok: 9 actors,"), "{line}");
}

#[test]
fn bare_relations_csv_works_without_actors_and_sources() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary\n\
         R1,COL,USA,cooperation,2020-03,,,S1;S2,First.\n\
         R2,USA,VEN,restriction,2021-01-01,2022,,S2,Second.\n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 3 actors, 2 relations, 2 sources; dates 2020-03 to 2022\n"
    );

    // The actors are the ids the relations use, with kind unknown and the id as name.
    let out = wd.run(&["snapshot", "--at", "2021-06-01", "--format", "nodes-csv", "--out", "-"]);
    assert_success(&out);
    assert_eq!(
        stdout(&out),
        "id,name,kind,parent,degree\n\
         COL,COL,unknown,,1\n\
         USA,USA,unknown,,2\n\
         VEN,VEN,unknown,,1\n"
    );
    // Evidence ids are kept as given, unchecked.
    let rows = edges(&wd, "2021-06-01");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["evidence"], "S1;S2");
    assert_eq!(rows[1]["evidence"], "S2");
}

#[test]
fn without_actors_csv_a_membership_may_point_to_any_actor() {
    // The actors' kinds are unknown, so the membership target cannot be checked.
    let wd = Workdir::new();
    wd.write("data/relations.csv", "source,target,kind,start\nUSA,NATO,membership,1949-04-04\n");
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 2 actors, 1 relation, 0 sources; dates 1949-04-04 to 1949-04-04\n"
    );
}

#[test]
fn header_only_relations_csv_is_an_empty_dataset() {
    let wd = Workdir::new();
    wd.write("data/relations.csv", "id,source,target,kind,start,end,directed,evidence,summary\n");
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 0 actors, 0 relations, 0 sources; no dates\n");

    // A snapshot of it is empty: exit 1, the header only.
    let out = wd.run(&["snapshot", "--at", "2025-11-12", "--format", "edges-csv", "--out", "-"]);
    assert_exit(&out, 1);
    assert_eq!(stdout(&out), "id,source,target,kind,start,end,directed,status,contested,evidence,summary,claimant,credibility,grade\n");

    // With actors and sources beside it, they are counted.
    wd.write("data/actors.csv", "id,name,kind\nUSA,United States,country\n");
    wd.write("data/sources.csv", "id,title\nS1,A report\n");
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 1 actor, 0 relations, 1 source; no dates\n");
}

#[test]
fn extra_columns_are_ignored_and_columns_may_come_in_any_order() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "notes,kind,id,name\nx,country,USA,United States\ny,country,COL,Colombia\n");
    wd.write("data/sources.csv", "reliability,id,comment\nB,S1,whatever\n");
    wd.write(
        "data/relations.csv",
        "confidence,kind,target,start,source,id,notes,evidence\n\
         high,cooperation,USA,2025-11-13,COL,R1,\"free, text\",S1\n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 2 actors, 1 relation, 1 source; dates 2025-11-13 to 2025-11-13\n"
    );
    let rows = edges(&wd, "2025-11-13");
    assert_eq!(rows.len(), 1);
    let r = &rows[0];
    assert_eq!(
        (&*r["id"], &*r["source"], &*r["target"], &*r["kind"], &*r["evidence"]),
        ("R1", "COL", "USA", "cooperation", "S1")
    );
    assert_eq!(r["summary"], "", "the extra `notes` column is not the summary");
}

#[test]
fn optional_columns_may_be_missing_entirely() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id\nCOL\nUSA\n");
    wd.write("data/sources.csv", "id\nS1\n");
    wd.write(
        "data/relations.csv",
        "source,target,kind,start\n\
         COL,USA,cooperation,2025-11-13\n\
         COL,USA,restriction,2025-11-11\n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 2 actors, 2 relations, 1 source; dates 2025-11-11 to 2025-11-13\n"
    );
    let out = wd.run(&["snapshot", "--at", "2025-11-13", "--format", "edges-csv", "--out", "-"]);
    assert_success(&out);
    // No id column: the line numbers stand in ("line 3"). No directed column: each kind's default.
    assert_eq!(
        stdout(&out),
        "id,source,target,kind,start,end,directed,status,contested,evidence,summary,claimant,credibility,grade\n\
         line 3,COL,USA,restriction,2025-11-11,,true,active,true,,,,,F6\n\
         line 2,COL,USA,cooperation,2025-11-13,,false,active,true,,,,,F6\n"
    );
    let out = wd.run(&["snapshot", "--at", "2025-11-13", "--format", "nodes-csv", "--out", "-"]);
    assert_success(&out);
    // No name column: the id is the name. No kind column: unknown.
    assert_eq!(stdout(&out), "id,name,kind,parent,degree\nCOL,COL,unknown,,2\nUSA,USA,unknown,,2\n");
}

#[test]
fn an_empty_id_is_replaced_by_the_line_number_of_its_row() {
    let wd = Workdir::new();
    // Line 3's row spans lines 3 and 4 (a quoted line break), so the last row starts on line
    // 5: ids count lines of the file, not rows.
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,summary\n\
         ,A,B,cooperation,2020,first\n\
         R3,A,C,cooperation,2020,\"two\nlines\"\n\
         ,B,C,dispute,2020,last\n",
    );
    check_ok(&wd, &["check"]);
    let ids: Vec<String> = edges(&wd, "2021-01-01").into_iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, ["line 2", "R3", "line 5"]);
}

#[test]
// Regression (fixed): blank lines are not counted, so the line numbers of later rows (implicit ids, error locations) are too small.
fn blank_lines_count_in_implicit_ids() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\n\
         ,A,B,cooperation,2020\n\
         \n\
         ,B,C,dispute,2020\n",
    );
    check_ok(&wd, &["check"]);
    let ids: Vec<String> = edges(&wd, "2021-01-01").into_iter().map(|r| r["id"].clone()).collect();
    // Today: ["2", "3"], though the second row is on line 4.
    assert_eq!(ids, ["line 2", "line 4"]);
}

#[test]
fn a_byte_order_mark_and_surrounding_spaces_are_accepted() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "\u{feff}id , source,target,kind,start\n R1 , COL ,USA, cooperation , 2025-11-13 \n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 2 actors, 1 relation, 0 sources; dates 2025-11-13 to 2025-11-13\n"
    );
    let rows = edges(&wd, "2025-11-13");
    assert_eq!((&*rows[0]["id"], &*rows[0]["source"], &*rows[0]["target"]), ("R1", "COL", "USA"));
}

#[test]
fn crlf_line_endings_are_read_like_lf() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\r\nR1,COL,USA,cooperation,2025-11-13\r\nR2,COL,USA,restriction,2025-11-11\r\n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 2 actors, 2 relations, 0 sources; dates 2025-11-11 to 2025-11-13\n"
    );
    let rows = edges(&wd, "2025-11-13");
    assert_eq!(rows[1]["start"], "2025-11-13", "no stray carriage return");
}

#[test]
// Regression (fixed): with CRLF line endings the line number that stands in for an empty id is one too small.
fn crlf_file_implicit_ids_are_the_line_numbers() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\r\n,COL,USA,cooperation,2020\r\n,COL,VEN,cooperation,2020\r\n",
    );
    check_ok(&wd, &["check"]);
    let ids: Vec<String> = edges(&wd, "2021-01-01").into_iter().map(|r| r["id"].clone()).collect();
    // The same file with LF endings gives 2 and 3 (see the test above); CRLF gives 1 and 2,
    // so the ids of a dataset change when it is saved on Windows.
    assert_eq!(ids, ["line 2", "line 3"]);
}

/// Regression (issue 13): CR-only line ends (Excel's "CSV (Macintosh)") counted no lines:
/// every problem was on line 1 and every relation without an id had the id "1". The same
/// dataset written with LF, CRLF or CR alone now gives the same ids and the same problems.
#[test]
fn lf_crlf_and_cr_only_datasets_give_the_same_ids_and_problem_lines() {
    let actors =
        ["id,name,kind", "COL,Colombia,country", "USA,\"United", "States\",country", "VEN,Venezuela,country"];
    let relations = [
        "id,source,target,kind,start,summary",
        ",COL,USA,cooperation,2020,\"two",
        "lines\"",
        "",
        ",COL,VEN,cooperation,2020,",
        "R3,USA,VEN,dispute,2020,",
    ];
    let bad = [
        "id,source,target,kind,start",
        ",COL,USA,cooperation,2020",
        "",
        ",COL,XXX,cooperation,2020",
        ",COL,VEN,alliance,2020",
    ];
    let mut results = Vec::new();
    for end in ["\n", "\r\n", "\r"] {
        let wd = Workdir::new();
        wd.write("data/actors.csv", actors.join(end) + end);
        wd.write("data/relations.csv", relations.join(end));
        check_ok(&wd, &["check"]);
        let ids: Vec<String> = edges(&wd, "2021-01-01").into_iter().map(|r| r["id"].clone()).collect();
        wd.write("data/relations.csv", bad.join(end) + end);
        let out = wd.run(&["check"]);
        assert_exit(&out, 2);
        results.push((ids, wd.normalise(&crate::harness::stderr(&out))));
    }
    assert_eq!(results[0].0, ["line 2", "line 5", "R3"], "ids are the lines an editor shows");
    assert!(
        results[0].1.contains("relations.csv:4:3: column target: unknown actor \"XXX\""),
        "{}",
        results[0].1
    );
    assert!(results[0].1.contains("relations.csv:5:4: column kind"), "{}", results[0].1);
    assert_eq!(results[0], results[1], "LF and CRLF");
    assert_eq!(results[0], results[2], "LF and CR alone");
}

/// Regression (issue 13): a column headed `End` was ignored as an extra column, and the
/// relation was shown in force years after it ended; `ends` was ignored the same way.
#[test]
fn a_known_column_in_another_case_is_read_and_a_misspelt_one_refused() {
    let wd = Workdir::new();
    wd.write("data/relations.csv", "id,source,target,kind,start,End\nR1,COL,USA,cooperation,2015,2016\n");
    check_ok(&wd, &["check"]);
    let out = wd.run(&["snapshot", "--at", "2020-01-01", "--format", "edges-csv", "--out", "-"]);
    assert!(parse_csv(&stdout(&out)).is_empty(), "ended in 2016: {}", stdout(&out));
    wd.write("data/relations.csv", "id,source,target,kind,start,ends\nR1,COL,USA,cooperation,2015,2016\n");
    let out = wd.run(&["check"]);
    assert_exit(&out, 2);
    assert!(
        crate::harness::stderr(&out).contains("data/relations.csv:1:6: column ends: column \"ends\" is not a known column, but looks like \"end\", which is missing (did you mean end?)"),
        "{}",
        crate::harness::stderr(&out)
    );
}

#[test]
fn check_writes_no_files() {
    let wd = Workdir::with_fixture("snapshot");
    check_ok(&wd, &["check"]);
    assert_eq!(wd.list(""), ["data"], "check leaves the work directory as it was");
}

#[test]
fn check_exits_2_on_invalid_data_and_prints_nothing_on_stdout() {
    let wd = Workdir::new();
    wd.write("data/relations.csv", "source,target,kind,start\nCOL,USA,cooperation,2025-13\n");
    let out = wd.run(&["check"]);
    assert_exit(&out, 2);
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("\"2025-13\""), "{}", stderr(&out));
}

#[test]
// Regression: list items (evidence, aliases) were trimmed of Unicode white space, cells of
// ASCII white space only, so a source id starting with a no-break space could be defined
// but never cited ("unknown source").
fn a_source_id_with_a_no_break_space_can_be_cited() {
    let wd = Workdir::new();
    wd.write("data/sources.csv", "id,title\n\u{a0}S,Title\n");
    wd.write("data/relations.csv", "source,target,kind,start,evidence\nA,B,cooperation,2020,\u{a0}S\n");
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 2 actors, 1 relation, 1 source; dates 2020 to 2020\n");
}

/// Regression (issue 13): each actor's top-level parent was found by following its chain
/// to the end, O(actors × depth): a chain 200,000 deep took 35 s in `check` and 69 s in a
/// snapshot read from the index. The chain's size bounds the work: a quadratic walk (20
/// billion steps) keeps this test busy for many minutes rather than failing it.
#[test]
fn a_parent_chain_200000_deep_is_resolved_in_linear_time() {
    use std::fmt::Write;
    const DEPTH: usize = 200_000;
    let wd = Workdir::new();
    let mut actors = String::from("id,kind,parent\nA0,country,\nB,country,\n");
    for i in 1..DEPTH {
        writeln!(actors, "A{i},agency,A{}", i - 1).unwrap();
    }
    wd.write("data/actors.csv", actors);
    wd.write(
        "data/relations.csv",
        format!("id,source,target,kind,start\nR1,A{},B,cooperation,2020\n", DEPTH - 1),
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        format!("data: ok: {} actors, 1 relation, 0 sources; dates 2020 to 2020\n", DEPTH + 1)
    );
    wd.run_code(&["index"], 0);
    for _ in 0..2 {
        // Without the index (first) and from it (second, the index kept up to date).
        let out = wd.run(&[
            "snapshot",
            "--at",
            "2020-06-01",
            "--by-country",
            "--format",
            "edges-csv",
            "--out",
            "-",
        ]);
        assert_success(&out);
        let rows = parse_csv(&stdout(&out));
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (&*rows[0]["source"], &*rows[0]["target"]),
            ("A0", "B"),
            "the deepest agency rolls up to A0"
        );
    }
}

/// Issue 14: "Cooperation" was refused. Kinds are read in any case and written lower case.
#[test]
fn kinds_are_read_in_any_case_and_written_lower_case() {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,name,kind,parent,aliases\nCOL,Colombia,Country,,\nUSA,United States, COUNTRY ,,\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary\n\
         R1,COL,USA,Cooperation,2020,,,,\n\
         R2,USA,COL, RESTRICTION ,2021,,,,\n",
    );
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 2 actors, 2 relations, 0 sources; dates 2020 to 2021\n");
    let rows = edges(&wd, "2021-06-01");
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["cooperation", "restriction"]);
    let out = wd.run(&["export", "--format", "dataset", "--out", "copy"]);
    assert_success(&out);
    let actors = std::fs::read_to_string(wd.path().join("copy/actors.csv")).unwrap();
    assert!(
        actors.contains("COL,Colombia,country,") && actors.contains("USA,United States,country,"),
        "{actors}"
    );
    let relations = std::fs::read_to_string(wd.path().join("copy/relations.csv")).unwrap();
    assert!(relations.contains(",cooperation,") && relations.contains(",restriction,"), "{relations}");
}

/// A one-off event known only to a month or year is written with its period as both start
/// and end: `check` accepts it, and it is possible on every day of that period, never active,
/// and absent outside it. A start inside a partial end's period is possible from the start to
/// the end of that period. An end equal to a day start stays an error (tests/cli/errors.rs).
#[test]
fn a_partial_end_equal_to_its_start_is_a_one_off_never_active() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end\n\
         BASE,NLD,USA,cooperation,2000-01-01,\n\
         TIP,BEL,USA,cooperation,2021,2021\n\
         WARNING,CIA,UKR,cooperation,2022-01,2022-01\n\
         INSIDE,COL,USA,cooperation,2021-03,2021\n",
    );
    assert_eq!(
        check_ok(&wd, &["check"]),
        "data: ok: 6 actors, 4 relations, 0 sources; dates 2000-01-01 to 2022-01\n"
    );
    let statuses = |day: &str, strict: bool| -> Vec<String> {
        let mut args = vec!["snapshot", "--at", day, "--format", "edges-csv", "--out", "-"];
        if strict {
            args.push("--strict");
        }
        let out = wd.run(&args);
        assert_success(&out);
        parse_csv(&stdout(&out))
            .iter()
            .filter(|r| r["id"] != "BASE")
            .map(|r| format!("{} {}", r["id"], r["status"]))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    assert_eq!(statuses("2020-12-31", false), Vec::<String>::new());
    assert_eq!(statuses("2021-01-01", false), ["TIP possible"]);
    assert_eq!(statuses("2021-03-01", false), ["INSIDE possible", "TIP possible"]);
    assert_eq!(statuses("2021-12-31", false), ["INSIDE possible", "TIP possible"]);
    assert_eq!(statuses("2022-01-01", false), ["WARNING possible"]);
    assert_eq!(statuses("2022-01-31", false), ["WARNING possible"]);
    assert_eq!(statuses("2022-02-01", false), Vec::<String>::new());
    for day in ["2021-01-01", "2021-06-15", "2021-12-31", "2022-01-15"] {
        assert_eq!(statuses(day, true), Vec::<String>::new(), "never active, so never --strict, on {day}");
    }
    // The edges file keeps the dates as written.
    let rows = edges(&wd, "2021-06-15");
    let tip = rows.iter().find(|r| r["id"] == "TIP").unwrap();
    assert_eq!((tip["start"].as_str(), tip["end"].as_str()), ("2021", "2021"));
}

/// Issue 14 reads kinds in any case in the CSV; `--kinds Cooperation,RESTRICTION` on the
/// command line was refused (exit 2) all the same.
#[test]
fn the_kinds_option_takes_kinds_in_any_case() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary\n\
         R1,COL,USA,cooperation,2020,,,,\n\
         R2,USA,COL,restriction,2021,,,,\n\
         R3,COL,VEN,dispute,2021,,,,\n",
    );
    let out = wd.run(&[
        "snapshot",
        "--at",
        "2021-06-01",
        "--kinds",
        "Cooperation,RESTRICTION",
        "--format",
        "edges-csv",
        "--out",
        "-",
    ]);
    assert_success(&out);
    let ids: Vec<String> = parse_csv(&stdout(&out)).iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, ["R1", "R2"]);
}

/// `check --min-credibility 2` counted the relations that pass ("2 relations") without saying
/// that a third was left out by grade, unlike every other command's summary line.
#[test]
fn check_says_how_many_relations_the_grade_filter_left_out() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,credibility\n\
         R1,COL,USA,cooperation,2020,1\n\
         R2,USA,COL,restriction,2021,2\n\
         R3,COL,VEN,dispute,2021,5\n",
    );
    assert_eq!(
        check_ok(&wd, &["check", "--min-credibility", "2"]),
        "data: ok: 3 actors, 2 relations, 0 sources; dates 2020 to 2021 (1 left out by grade: below credibility 2)\n"
    );
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 3 actors, 3 relations, 0 sources; dates 2020 to 2021\n");
}

/// Kinds are read in any case, and `--min-reliability b` is B; a source graded `b` in
/// sources.csv was refused ("invalid value \"b\"") all the same. It is B, written upper case.
#[test]
fn source_reliability_is_read_in_any_case() {
    let wd = Workdir::new();
    wd.write(
        "data/sources.csv",
        "id,title,publisher,published,url,reliability\nS1,t,p,2025,,b\nS2,t,p,2025,, c \n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,evidence,credibility\nR1,COL,USA,cooperation,2020,S1,2\nR2,COL,VEN,cooperation,2020,S2,2\n",
    );
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 3 actors, 2 relations, 2 sources; dates 2020 to 2020\n");
    let rows = edges(&wd, "2021-06-01");
    let grades: Vec<&str> = rows.iter().map(|r| r["grade"].as_str()).collect();
    assert_eq!(grades, ["B2", "C2"]);
    let out = wd.run(&["export", "--format", "dataset", "--out", "copy"]);
    assert_success(&out);
    let sources = std::fs::read_to_string(wd.path().join("copy/sources.csv")).unwrap();
    assert!(sources.contains(",B\n") && sources.contains(",C\n"), "{sources}");
}

/// A spreadsheet writes booleans as TRUE and FALSE: `directed` refused them ("invalid value
/// \"TRUE\"") although kinds and grades are read in any case. Read in any case, written lower.
#[test]
fn directed_is_read_in_any_case() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,directed\n\
         R1,COL,USA,cooperation,2020,TRUE\n\
         R2,USA,COL,restriction,2020,False\n",
    );
    assert_eq!(check_ok(&wd, &["check"]), "data: ok: 2 actors, 2 relations, 0 sources; dates 2020 to 2020\n");
    let rows = edges(&wd, "2021-06-01");
    let directed: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["id"].as_str(), r["directed"].as_str())).collect();
    assert_eq!(directed, [("R1", "true"), ("R2", "false")]);
}
