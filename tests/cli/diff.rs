//! `georel diff`: what changed between two days (relations that started or ended, went from
//! possible to active or back, started and ended in between, pairs that became or stopped
//! being contested), the order of its days, filters, formats and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`. The days
//! on which something changes in 2025, from its relations' dates:
//!
//! | day | change |
//! |---|---|
//! | 04-01 | DGSE-BND-DISPUTE starts |
//! | 05-01 | GBR-DEU-EMBARGO starts (GBR–DEU contested by country); CAN-CIRCLE (2025-05) becomes possible |
//! | 05-20 | CAN-USA-RETICENCE starts |
//! | 06-01 | COL-USA-SUSPENSION starts (COL–USA contested); CAN-CIRCLE becomes active |
//! | 07-01 | COL-USA-SUSPENSION ends (COL–USA no longer contested); CIA-DGSE-EXCHANGE starts |
//! | 09-01 | FRA-PACT ends; ISL-GBR-LATER starts |
//! | 10-01 | GBR-DEU-EMBARGO (end 2025-10) becomes possible |
//! | 11-01 | GBR-DEU-EMBARGO is over |

use crate::harness::{csv_header, parse_csv, stderr, stdout, Workdir};

const DAY: &str = "2025-06-15";

/// Runs `diff --from FROM --to TO` plus `extra`, asserts `code`, and returns stdout.
#[track_caller]
fn diff(wd: &Workdir, from: &str, to: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["diff", "--from", from, "--to", to];
    args.extend_from_slice(extra);
    wd.run_code(&args, code).0
}

/// The diff as JSON on stdout; an empty diff (exit 1) is fine.
#[track_caller]
fn json(wd: &Workdir, from: &str, to: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["diff", "--from", from, "--to", to, "--format", "json", "--out", "-"];
    args.extend_from_slice(extra);
    let out = wd.run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "diff failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `(change, id, before, after)` for each relation change.
fn changes(d: &serde_json::Value) -> Vec<(String, String, String, String)> {
    let text = |v: &serde_json::Value| v.as_str().unwrap_or("-").to_string();
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (text(&c["change"]), text(&c["id"]), text(&c["before"]), text(&c["after"])))
        .collect()
}

/// `(change, a, b, relations)` for each contested-pair change.
fn pairs(d: &serde_json::Value) -> Vec<(String, String, String, String)> {
    d["contested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ids: Vec<&str> =
                p["relations"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            (
                p["change"].as_str().unwrap().to_string(),
                p["a"].as_str().unwrap().to_string(),
                p["b"].as_str().unwrap().to_string(),
                ids.join(";"),
            )
        })
        .collect()
}

fn row(change: &str, id: &str, before: &str, after: &str) -> (String, String, String, String) {
    (change.to_string(), id.to_string(), before.to_string(), after.to_string())
}

// ---------------------------------------------------------------------------------------
// Golden files: from 2025-05-15 to the main day, in each format
//
// By hand (table above): CAN-USA-RETICENCE (05-20) and COL-USA-SUSPENSION (06-01) started,
// in start order; CAN-CIRCLE went from possible (in May) to active (from 06-01); COL–USA
// became contested, by USA-COL-COOP and COL-USA-SUSPENSION (dataset order).

#[test]
fn golden_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(diff(&wd, "2025-05-15", DAY, &[], 0));
}

#[test]
fn golden_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(diff(&wd, "2025-05-15", DAY, &["--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(diff(&wd, "2025-05-15", DAY, &["--format", "json", "--out", "-"], 0));
}

/// Every relation of either day is drawn: the two started in green, CAN-CIRCLE in blue
/// ("became active"), the others grey, and an invisible edge labels COL–USA "became contested".
#[test]
fn golden_dot() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(diff(&wd, "2025-05-15", DAY, &["--format", "dot", "--out", "-"], 0));
}

#[test]
fn the_dot_renders_with_graphviz() {
    let wd = Workdir::with_queries();
    for (from, to, extra) in [
        ("2025-05-15", DAY, &[][..]),
        (DAY, "2025-07-15", &[]),
        ("2025-04-15", "2025-05-15", &["--by-country"]),
    ] {
        let mut args = vec!["--format", "dot", "--out", "graph.dot"];
        args.extend_from_slice(extra);
        diff(&wd, from, to, &args, 0);
        wd.assert_renders("graph.dot", &format!("diff {from} → {to}"));
    }
}

// ---------------------------------------------------------------------------------------
// What counts as a change

#[test]
fn a_relation_ending_and_another_starting() {
    let wd = Workdir::with_queries();
    // 2025-08-15 → 2025-09-15: FRA-PACT ends on 09-01 and ISL-GBR-LATER starts that day.
    let d = json(&wd, "2025-08-15", "2025-09-15", &[]);
    assert_eq!(d["from"], "2025-08-15");
    assert_eq!(d["to"], "2025-09-15");
    assert_eq!(
        changes(&d),
        [row("started", "ISL-GBR-LATER", "-", "active"), row("ended", "FRA-PACT", "active", "-")]
    );
    assert_eq!(pairs(&d), []);
}

#[test]
fn a_pair_stops_being_contested_when_its_restriction_ends() {
    let wd = Workdir::with_queries();
    // 2025-06-15 → 2025-07-15: the suspension ended on 07-01, the exchange started that day,
    // and COL–USA (cooperation alone again) stopped being contested.
    let d = json(&wd, DAY, "2025-07-15", &[]);
    assert_eq!(
        changes(&d),
        [
            row("started", "CIA-DGSE-EXCHANGE", "-", "active"),
            row("ended", "COL-USA-SUSPENSION", "active", "-")
        ]
    );
    assert_eq!(
        pairs(&d),
        [
            row("stopped being contested", "CIA", "DNI", "COL-USA-SUSPENSION;DNI-CIA-TIPS"),
            row("stopped being contested", "COL", "USA", "USA-COL-COOP;COL-USA-SUSPENSION")
        ]
    );
    // The text groups them.
    assert_eq!(
        diff(&wd, DAY, "2025-07-15", &[], 0),
        "changes from 2025-06-15 to 2025-07-15: 1 started, 1 ended, 0 became active, 0 became possible; \
         0 pairs became contested, 2 stopped being contested\n\
         started:\n  \
         CIA-DGSE-EXCHANGE  cooperation\n      \
         Central Intelligence Agency (CIA) ↔ Direction générale de la sécurité extérieure (DGSE)\n      \
         2025-07-01 → open  [Example Daily, 2025-06 (C)]  grade C6\n\
         ended:\n  \
         COL-USA-SUSPENSION  restriction  Colombia (COL) → United States (USA)  2025-06-01 → 2025-07-01\n      \
         [Example Wire, 2025-06-02 (B); Example Daily, 2025-06 (C)]  grade B6\n\
         stopped being contested:\n  \
         Central Intelligence Agency (CIA) – National Intelligence Directorate (DNI): COL-USA-SUSPENSION,\n      \
         DNI-CIA-TIPS\n  \
         Colombia (COL) – United States (USA): USA-COL-COOP, COL-USA-SUSPENSION\n"
    );
}

#[test]
fn possible_becomes_active_across_a_partial_month_start() {
    let wd = Workdir::with_queries();
    // CAN-CIRCLE starts "2025-05": possible through May, active from 06-01. Between 05-31
    // and 06-01 it becomes active; the suspension also starts on 06-01.
    let d = json(&wd, "2025-05-31", "2025-06-01", &[]);
    assert_eq!(
        changes(&d),
        [
            row("started", "COL-USA-SUSPENSION", "-", "active"),
            row("became active", "CAN-CIRCLE", "possible", "active")
        ]
    );
    assert_eq!(
        pairs(&d),
        [
            row("became contested", "CIA", "DNI", "COL-USA-SUSPENSION;DNI-CIA-TIPS"),
            row("became contested", "COL", "USA", "USA-COL-COOP;COL-USA-SUSPENSION")
        ]
    );
    // Within May it is possible on both days: no change for it (only RETICENCE, 05-20).
    let may = json(&wd, "2025-05-15", "2025-05-31", &[]);
    assert_eq!(changes(&may), [row("started", "CAN-USA-RETICENCE", "-", "active")]);
}

#[test]
fn active_becomes_possible_across_a_partial_month_end() {
    let wd = Workdir::with_queries();
    // GBR-DEU-EMBARGO ends "2025-10": active until 09-30, possible in October.
    let d = json(&wd, "2025-09-15", "2025-10-15", &[]);
    assert_eq!(changes(&d), [row("became possible", "GBR-DEU-EMBARGO", "active", "possible")]);
    // Strict, a possible relation does not count: it ended.
    let strict = json(&wd, "2025-09-15", "2025-10-15", &["--strict"]);
    assert_eq!(changes(&strict), [row("ended", "GBR-DEU-EMBARGO", "active", "-")]);
    // The embargo covers the agencies' SIGINT: a possible restriction still contests; strict,
    // it does not, and the pair stops being contested, actor by actor (GCHQ–BND) and rolled
    // up (DEU–GBR) alike.
    assert_eq!(pairs(&json(&wd, "2025-09-15", "2025-10-15", &[])), []);
    assert_eq!(
        pairs(&strict),
        [row("stopped being contested", "BND", "GCHQ", "GCHQ-BND-SIGINT;GBR-DEU-EMBARGO")]
    );
    assert_eq!(pairs(&json(&wd, "2025-09-15", "2025-10-15", &["--by-country"])), []);
    let by_country = json(&wd, "2025-09-15", "2025-10-15", &["--strict", "--by-country"]);
    assert_eq!(changes(&by_country), [row("ended", "GBR-DEU-EMBARGO", "active", "-")]);
    assert_eq!(
        pairs(&by_country),
        [row("stopped being contested", "DEU", "GBR", "GCHQ-BND-SIGINT;GBR-DEU-EMBARGO")]
    );
}

// ---------------------------------------------------------------------------------------
// Filters

#[test]
fn by_country_rolls_up_the_pairs_that_became_contested() {
    let wd = Workdir::with_queries();
    // 2025-04-15 → 2025-05-15: the embargo and CAN-CIRCLE (possible) both start on 05-01; in
    // start order, then dataset order (the embargo is listed first in relations.csv).
    let plain = json(&wd, "2025-04-15", "2025-05-15", &[]);
    let expected =
        [row("started", "GBR-DEU-EMBARGO", "-", "active"), row("started", "CAN-CIRCLE", "-", "possible")];
    assert_eq!(changes(&plain), expected);
    // Actor by actor the embargo (GBR → DEU) covers the agencies' SIGINT: GCHQ–BND became
    // contested.
    assert_eq!(pairs(&plain), [row("became contested", "BND", "GCHQ", "GCHQ-BND-SIGINT;GBR-DEU-EMBARGO")]);
    // By country, the same contest on GBR–DEU.
    let by_country = json(&wd, "2025-04-15", "2025-05-15", &["--by-country"]);
    assert_eq!(changes(&by_country), expected);
    assert_eq!(
        pairs(&by_country),
        [row("became contested", "DEU", "GBR", "GCHQ-BND-SIGINT;GBR-DEU-EMBARGO")]
    );
}

#[test]
fn kinds_keeps_only_those_relations() {
    let wd = Workdir::with_queries();
    // Memberships only, 08-15 → 09-15: FRA-PACT ended; ISL-GBR-LATER is a cooperation.
    let d = json(&wd, "2025-08-15", "2025-09-15", &["--kinds", "membership"]);
    assert_eq!(changes(&d), [row("ended", "FRA-PACT", "active", "-")]);
    // Cooperation only, 05-15 → main day: no cooperation started or ended, but COL–USA and
    // DNI → CIA became contested (decided before the kinds filter), shown by their
    // cooperations alone.
    let d = json(&wd, "2025-05-15", DAY, &["--kinds", "cooperation"]);
    assert_eq!(changes(&d), []);
    assert_eq!(
        pairs(&d),
        [
            row("became contested", "CIA", "DNI", "DNI-CIA-TIPS"),
            row("became contested", "COL", "USA", "USA-COL-COOP")
        ]
    );
    // Dispute only: nothing changed in that month (DGSE-BND-DISPUTE started 04-01).
    let (out, err) = wd.run_code(&["diff", "--from", "2025-05-15", "--to", DAY, "--kinds", "dispute"], 1);
    assert!(out.starts_with("changes from 2025-05-15 to 2025-06-15: 0 started, 0 ended"), "{out}");
    assert_eq!(err, "georel: nothing changed between 2025-05-15 and 2025-06-15 with these filters\n");
}

// ---------------------------------------------------------------------------------------
// Empty results and errors

#[test]
fn nothing_changed_exits_1_and_still_writes_the_file() {
    let wd = Workdir::with_queries();
    // No date of the table above falls in (06-10, 06-20].
    let (out, err) = wd.run_code(&["diff", "--from", "2025-06-10", "--to", "2025-06-20"], 1);
    assert_eq!(
        out,
        "changes from 2025-06-10 to 2025-06-20: 0 started, 0 ended, 0 became active, 0 became possible; \
         0 pairs became contested, 0 stopped being contested\n"
    );
    assert_eq!(err, "georel: nothing changed between 2025-06-10 and 2025-06-20 with these filters\n");
    // The same day twice.
    wd.run_code(&["diff", "--from", DAY, "--to", DAY], 1);
    // As CSV, the header alone is written.
    let (out, _) = wd.run_code(&["diff", "--from", "2025-06-10", "--to", "2025-06-20", "--format", "csv"], 1);
    assert_eq!(out, "wrote output/diff-2025-06-10-2025-06-20.csv\n");
    let csv = wd.read("output/diff-2025-06-10-2025-06-20.csv");
    assert_eq!(
        csv_header(&csv),
        [
            "change",
            "before",
            "after",
            "id",
            "source",
            "target",
            "kind",
            "start",
            "end",
            "directed",
            "evidence",
            "summary",
            "claimant",
            "credibility",
            "grade"
        ]
    );
    assert_eq!(parse_csv(&csv).len(), 0);
}

#[test]
fn both_dates_are_required_and_checked() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["diff", "--from", "2025-13", "--to", DAY], 2);
    assert_eq!(out, "");
    assert!(
        err.starts_with("georel: invalid date \"2025-13\" for --from: the month must be between 01 and 12; "),
        "{err}"
    );
    let (_, err) = wd.run_code(&["diff", "--from", DAY, "--to", "2025-02-29"], 2);
    assert!(
        err.starts_with("georel: invalid date \"2025-02-29\" for --to: day 29 does not exist in 2025-02"),
        "{err}"
    );
    let (_, err) = wd.run_code(&["diff", "--from", DAY], 2);
    assert!(err.contains("--to <DATE>"), "{err}");
}

// ---------------------------------------------------------------------------------------
// Where results go

#[test]
fn files_are_named_after_the_two_days() {
    let wd = Workdir::with_queries();
    for (format, name) in [
        ("json", "diff-2025-05-15-2025-06-15.json"),
        ("csv", "diff-2025-05-15-2025-06-15.csv"),
        ("dot", "diff-2025-05-15-2025-06-15.dot"),
    ] {
        let (out, _) = wd.run_code(&["diff", "--from", "2025-05-15", "--to", DAY, "--format", format], 0);
        assert_eq!(out, format!("wrote output/{name}\n"));
        assert_eq!(
            wd.read(&format!("output/{name}")),
            diff(&wd, "2025-05-15", DAY, &["--format", format, "--out", "-"], 0)
        );
    }
    // A month is its first day for --from, its last for --to.
    let (out, _) = wd.run_code(&["diff", "--from", "2025-05", "--to", "2025-06", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/diff-2025-05-01-2025-06-30.csv\n");
    // A folder, and a file.
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) = wd.run_code(&["diff", "--from", "2025-05-15", "--to", DAY, "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/diff-2025-05-15-2025-06-15.txt\n");
    let (out, _) = wd.run_code(
        &["diff", "--from", "2025-05-15", "--to", DAY, "--format", "json", "--out", "d/june.json"],
        0,
    );
    assert_eq!(out, "wrote d/june.json\n");
    assert_eq!(wd.read("d/june.json"), wd.read("output/diff-2025-05-15-2025-06-15.json"));
}

/// The second date before the first is a mistake, not a diff read backwards: it used to exit
/// 0 and call "ended" what had started.
#[test]
fn the_second_date_before_the_first_is_an_error_that_says_to_swap_them() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["diff", "--from", "2025-07-15", "--to", "2025-06-15"], 2);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("the second date (--to 2025-06-15) is before the first (--from 2025-07-15); swap them"),
        "{err}"
    );
    // A period is reversed only when it ends before the first one begins.
    let (_, err) = wd.run_code(&["diff", "--from", "2025-06", "--to", "2025-05"], 2);
    assert!(
        err.contains("the second date (--to 2025-05) is before the first (--from 2025-06); swap them"),
        "{err}"
    );
    for command in [&["snapshot", "--format", "edges-csv", "--out", "-"][..], &["conflicts"], &["fractures"]]
    {
        let mut args = command.to_vec();
        args.extend(["--from", "2025-07", "--to", "2025-06-30"]);
        let (_, err) = wd.run_code(&args, 2);
        assert!(err.contains("swap them"), "{args:?}: {err}");
    }
}

/// The June suspension held on neither 2025-05-15 nor 2025-07-15: it started and ended in
/// between, and is listed as transient, with no status on either day.
#[test]
fn what_started_and_ended_in_between_is_transient() {
    let wd = Workdir::with_queries();
    let d = json(&wd, "2025-05-15", "2025-07-15", &[]);
    assert!(changes(&d).contains(&row("transient", "COL-USA-SUSPENSION", "-", "-")), "{:?}", changes(&d));
    let text = diff(&wd, "2025-05-15", "2025-07-15", &[], 0);
    assert!(text.contains("\nand 1 relation started and ended in between (transient)\n"), "{text}");
    assert!(text.contains("\ntransient:\n  COL-USA-SUSPENSION  restriction"), "{text}");
    let csv = parse_csv(&diff(&wd, "2025-05-15", "2025-07-15", &["--format", "csv", "--out", "-"], 0));
    let line = csv.iter().find(|r| r["id"] == "COL-USA-SUSPENSION").unwrap();
    assert_eq!(
        (line["change"].as_str(), line["before"].as_str(), line["after"].as_str()),
        ("transient", "", "")
    );
    // Filtered out, it is not there; from a day it held on, it ended.
    assert!(!diff(&wd, "2025-05-15", "2025-07-15", &["--kinds", "cooperation"], 0).contains("transient"));
    let from_june = json(&wd, "2025-06-15", "2025-07-15", &[]);
    assert!(changes(&from_june).contains(&row("ended", "COL-USA-SUSPENSION", "active", "-")));
    // A month given to --to is its last day.
    let d = json(&wd, "2025-05", "2025-06", &[]);
    assert_eq!((d["from"].as_str(), d["to"].as_str()), (Some("2025-05-01"), Some("2025-06-30")));
}
