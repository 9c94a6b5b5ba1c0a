//! `georel snapshot`: the graph on a day or over a period, its formats and files, filters, statuses,
//! contested pairs, text that must survive every format, and atomic output.
//!
//! Most tests use `tests/fixtures/snapshot/`, built so that 2025-11-12 shows every case:
//!
//! | relation | what it exercises |
//! |---|---|
//! | USA-COL-COOP (2000) + COL-USA-SUSPENSION (2025-11-11) | a contested pair, written in opposite directions; a year-precision start |
//! | GBR-VEN-TRADE + GBR-VEN-DISPUTE | a dispute beside cooperation: not contested |
//! | GBR-USA-OLD + GBR-USA-NEW (2025-06) | two overlapping cooperations on one pair, both kept |
//! | DNI-CIA-OLD (until 2025-11-12) + DNI-CIA-NEW (from 2025-11-12) | one ends on the day the other starts |
//! | NSA-GBR-SIGINT (2019 to 2025-11) | a partial end: possible in November 2025 |
//! | CIA-VEN-PRESSURE (2025-11) + CIA-VEN-CHANNEL | a partial start, possible in November; it contests the channel only while `--strict` is off |
//! | NLD-USA-PAUSE (2025-10-18 to 2025-11-01) | over before the day, so NLD is only listed with `--all-actors` |
//! | USA-NATO, GBR-NATO | memberships |
//!
//! CIA, NSA (USA) and DNI (COL) are agencies under their countries.

use std::collections::{BTreeMap, BTreeSet};

use crate::harness::{assert_exit, assert_success, csv_header, parse_csv, stderr, stdout, Row, Workdir};

const DAY: &str = "2025-11-12";

/// Runs `snapshot --at DATE --format FORMAT --out -` plus `extra`, asserts `code`, and returns
/// stdout.
#[track_caller]
fn to_stdout(wd: &Workdir, date: &str, format: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["snapshot", "--at", date, "--format", format, "--out", "-"];
    args.extend_from_slice(extra);
    let out = wd.run(&args);
    assert_exit(&out, code);
    if code == 0 {
        assert_eq!(stderr(&out), "", "nothing on stderr on success");
    }
    stdout(&out)
}

/// The snapshot's edges on `date` (with `extra` flags), keyed by relation id.
#[track_caller]
fn edges(wd: &Workdir, date: &str, extra: &[&str]) -> BTreeMap<String, Row> {
    let out = {
        let mut args = vec!["snapshot", "--at", date, "--format", "edges-csv", "--out", "-"];
        args.extend_from_slice(extra);
        wd.run(&args)
    };
    assert!(matches!(out.status.code(), Some(0 | 1)), "snapshot failed: {}", stderr(&out));
    parse_csv(&stdout(&out)).into_iter().map(|r| (r["id"].clone(), r)).collect()
}

/// The status of one relation on `date`: "active", "possible", or "absent".
#[track_caller]
fn status(wd: &Workdir, id: &str, date: &str) -> String {
    edges(wd, date, &[]).get(id).map_or_else(|| "absent".to_string(), |r| r["status"].clone())
}

fn ids(edges: &BTreeMap<String, Row>) -> BTreeSet<&str> {
    edges.keys().map(String::as_str).collect()
}

fn node_ids(nodes_csv: &str) -> Vec<String> {
    parse_csv(nodes_csv).into_iter().map(|r| r["id"].clone()).collect()
}

// ---------------------------------------------------------------------------------------
// Golden files: each format on the fixture's main day, to stdout

#[test]
fn golden_dot() {
    let wd = Workdir::with_fixture("snapshot");
    insta::assert_snapshot!(to_stdout(&wd, DAY, "dot", &[], 0));
}

#[test]
fn golden_nodes_csv() {
    let wd = Workdir::with_fixture("snapshot");
    insta::assert_snapshot!(to_stdout(&wd, DAY, "nodes-csv", &[], 0));
}

#[test]
fn golden_edges_csv() {
    let wd = Workdir::with_fixture("snapshot");
    insta::assert_snapshot!(to_stdout(&wd, DAY, "edges-csv", &[], 0));
}

#[test]
fn golden_json() {
    let wd = Workdir::with_fixture("snapshot");
    insta::assert_snapshot!(to_stdout(&wd, DAY, "json", &[], 0));
}

#[test]
fn output_to_stdout_writes_no_file() {
    let wd = Workdir::with_fixture("snapshot");
    to_stdout(&wd, DAY, "json", &[], 0);
    assert_eq!(wd.list(""), ["data"]);
}

#[test]
fn the_formats_agree_with_each_other() {
    let wd = Workdir::with_fixture("snapshot");
    let json: serde_json::Value = serde_json::from_str(&to_stdout(&wd, DAY, "json", &[], 0)).unwrap();
    assert_eq!(json["date"], DAY);
    assert_eq!(json["strict"], false);
    let edges = parse_csv(&to_stdout(&wd, DAY, "edges-csv", &[], 0));
    let nodes = parse_csv(&to_stdout(&wd, DAY, "nodes-csv", &[], 0));
    let rels = json["relations"].as_array().unwrap();
    let actors = json["actors"].as_array().unwrap();
    assert_eq!(rels.len(), edges.len());
    assert_eq!(actors.len(), nodes.len());
    for (j, c) in rels.iter().zip(&edges) {
        for field in ["id", "source", "target", "kind", "start", "status", "summary"] {
            assert_eq!(j[field], c[field].as_str(), "{field} of {}", c["id"]);
        }
        assert_eq!(j["end"].as_str().unwrap_or(""), c["end"]);
        assert_eq!(j["contested"].to_string(), c["contested"]);
        assert_eq!(j["directed"].to_string(), c["directed"]);
        let evidence: Vec<&str> =
            j["evidence"].as_array().unwrap().iter().map(|e| e.as_str().unwrap()).collect();
        assert_eq!(evidence.join(";"), c["evidence"]);
    }
    for (j, c) in actors.iter().zip(&nodes) {
        assert_eq!(j["id"], c["id"].as_str());
        assert_eq!(j["name"], c["name"].as_str());
        assert_eq!(j["kind"], c["kind"].as_str());
        assert_eq!(j["parent"].as_str().unwrap_or(""), c["parent"]);
        assert_eq!(j["degree"].to_string(), c["degree"]);
    }
    // The DOT title counts the same things.
    let dot = to_stdout(&wd, DAY, "dot", &[], 0);
    let possible = edges.iter().filter(|e| e["status"] == "possible").count();
    let contested = edges.iter().filter(|e| e["contested"] == "true").count();
    assert!(
        dot.contains(&format!(
            "\\n{} actors, {} relations ({possible} possible, {contested} contested)\"",
            nodes.len(),
            edges.len()
        )),
        "{dot}"
    );
    // Every edge and node is drawn: one DOT edge line per relation, one node per actor.
    let dot_edges = dot.lines().filter(|l| l.contains(" -> ")).count();
    assert_eq!(dot_edges, edges.len());
    for n in &nodes {
        assert!(dot.contains(&format!("\"{}\" [label=", n["id"])), "node {} in {dot}", n["id"]);
    }
}

#[test]
fn agencies_are_drawn_inside_their_country_cluster() {
    let wd = Workdir::with_fixture("snapshot");
    let dot = to_stdout(&wd, DAY, "dot", &[], 0);
    let cluster = |name: &str| -> String {
        let start = dot
            .find(&format!("subgraph \"cluster_{name}\" {{"))
            .unwrap_or_else(|| panic!("no cluster for {name} in {dot}"));
        let end = start + dot[start..].find("\n  }\n").unwrap();
        dot[start..end].to_string()
    };
    let usa = cluster("USA");
    for member in ["\"USA\" [", "\"CIA\" [", "\"NSA\" ["] {
        assert!(usa.contains(member), "{member} in {usa}");
    }
    let col = cluster("COL");
    for member in ["\"COL\" [", "\"DNI\" ["] {
        assert!(col.contains(member), "{member} in {col}");
    }
    assert!(
        !dot.contains("cluster_GBR") && !dot.contains("cluster_VEN"),
        "countries without agencies in the snapshot are not clustered"
    );
}

// ---------------------------------------------------------------------------------------
// What holds on a day

#[test]
fn cooperation_and_restriction_on_one_pair_make_it_contested() {
    let wd = Workdir::with_fixture("snapshot");
    let e = edges(&wd, DAY, &[]);
    // Written USA → COL and COL → USA: the pair is unordered.
    assert_eq!(e["USA-COL-COOP"]["contested"], "true");
    assert_eq!(e["COL-USA-SUSPENSION"]["contested"], "true");
    assert_eq!(e["COL-USA-SUSPENSION"]["directed"], "true");
    assert_eq!(e["USA-COL-COOP"]["directed"], "false");

    // The day before the suspension, the cooperation stands alone.
    let before = edges(&wd, "2025-11-10", &[]);
    assert!(!before.contains_key("COL-USA-SUSPENSION"));
    assert_eq!(before["USA-COL-COOP"]["contested"], "false");
}

#[test]
fn a_dispute_beside_cooperation_is_not_contested() {
    let wd = Workdir::with_fixture("snapshot");
    let e = edges(&wd, DAY, &[]);
    assert_eq!(e["GBR-VEN-TRADE"]["status"], "active");
    assert_eq!(e["GBR-VEN-DISPUTE"]["status"], "active");
    assert_eq!(e["GBR-VEN-TRADE"]["contested"], "false");
    assert_eq!(e["GBR-VEN-DISPUTE"]["contested"], "false");
}

#[test]
fn a_possible_restriction_contests_unless_strict() {
    let wd = Workdir::with_fixture("snapshot");
    let e = edges(&wd, DAY, &[]);
    assert_eq!(e["CIA-VEN-PRESSURE"]["status"], "possible");
    assert_eq!(e["CIA-VEN-CHANNEL"]["contested"], "true");
    assert_eq!(e["CIA-VEN-PRESSURE"]["contested"], "true");
    let strict = edges(&wd, DAY, &["--strict"]);
    assert!(!strict.contains_key("CIA-VEN-PRESSURE"));
    assert_eq!(strict["CIA-VEN-CHANNEL"]["contested"], "false");
}

#[test]
fn overlapping_relations_of_the_same_kind_are_both_kept() {
    let wd = Workdir::with_fixture("snapshot");
    let e = edges(&wd, DAY, &[]);
    for id in ["GBR-USA-OLD", "GBR-USA-NEW"] {
        assert_eq!(e[id]["kind"], "cooperation");
        assert_eq!(e[id]["status"], "active");
        assert_eq!(e[id]["contested"], "false");
    }
    // Each counts in the degree: GBR has NATO, USA twice, VEN twice and NSA.
    let nodes = parse_csv(&to_stdout(&wd, DAY, "nodes-csv", &[], 0));
    let gbr = nodes.iter().find(|n| n["id"] == "GBR").unwrap();
    assert_eq!(gbr["degree"], "6");
    // Sorted by source, target, then start.
    let order: Vec<&str> = e
        .values()
        .filter(|r| r["source"] == "GBR" && r["target"] == "USA")
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(order.len(), 2);
    let rows = parse_csv(&to_stdout(&wd, DAY, "edges-csv", &[], 0));
    let pos = |id: &str| rows.iter().position(|r| r["id"] == id).unwrap();
    assert!(pos("GBR-USA-OLD") < pos("GBR-USA-NEW"));
}

#[test]
fn a_relation_ending_on_the_day_another_starts_never_overlaps_it() {
    let wd = Workdir::with_fixture("snapshot");
    let on = |date| {
        let e = edges(&wd, date, &[]);
        (e.get("DNI-CIA-OLD").map(|r| r["status"].clone()), e.get("DNI-CIA-NEW").map(|r| r["status"].clone()))
    };
    assert_eq!(on("2025-11-11"), (Some("active".into()), None));
    assert_eq!(on("2025-11-12"), (None, Some("active".into())));
}

#[test]
fn a_partial_start_month_is_possible_during_the_month_then_active() {
    let wd = Workdir::with_fixture("snapshot");
    let id = "CIA-VEN-PRESSURE"; // start 2025-11
    assert_eq!(status(&wd, id, "2025-10-31"), "absent");
    assert_eq!(status(&wd, id, "2025-11-01"), "possible");
    assert_eq!(status(&wd, id, "2025-11-12"), "possible");
    assert_eq!(status(&wd, id, "2025-11-30"), "possible");
    assert_eq!(status(&wd, id, "2025-12-01"), "active");
}

#[test]
fn a_partial_end_month_is_active_before_possible_during_and_over_after() {
    let wd = Workdir::with_fixture("snapshot");
    let id = "NSA-GBR-SIGINT"; // 2019 to 2025-11
    assert_eq!(status(&wd, id, "2025-10-31"), "active");
    assert_eq!(status(&wd, id, "2025-11-01"), "possible");
    assert_eq!(status(&wd, id, "2025-11-30"), "possible");
    assert_eq!(status(&wd, id, "2025-12-01"), "absent");
}

#[test]
fn a_year_precision_start_is_possible_that_year_then_active() {
    let wd = Workdir::with_fixture("snapshot");
    let id = "USA-COL-COOP"; // start 2000
    assert_eq!(status(&wd, id, "1999-12-31"), "absent");
    assert_eq!(status(&wd, id, "2000-01-01"), "possible");
    assert_eq!(status(&wd, id, "2000-12-31"), "possible");
    assert_eq!(status(&wd, id, "2001-01-01"), "active");
    let id = "GBR-USA-NEW"; // start 2025-06
    assert_eq!(status(&wd, id, "2025-06-30"), "possible");
    assert_eq!(status(&wd, id, "2025-07-01"), "active");
}

#[test]
fn dates_are_written_at_their_own_precision() {
    let wd = Workdir::with_fixture("snapshot");
    let e = edges(&wd, DAY, &[]);
    assert_eq!(e["USA-COL-COOP"]["start"], "2000");
    assert_eq!(e["GBR-USA-NEW"]["start"], "2025-06");
    assert_eq!(e["NSA-GBR-SIGINT"]["end"], "2025-11");
    assert_eq!(e["COL-USA-SUSPENSION"]["start"], "2025-11-11");
    assert_eq!(e["COL-USA-SUSPENSION"]["end"], "");
}

// ---------------------------------------------------------------------------------------
// --at

/// The edges over the days from `first` to `last` taken one day at a time: each relation
/// with its best status, contested if it was on any day (the union a period must equal).
fn union_of_days(
    wd: &Workdir,
    first: (i16, i8, i8),
    last: (i16, i8, i8),
) -> BTreeMap<String, (String, String)> {
    let (mut day, last) =
        (jiff::civil::date(first.0, first.1, first.2), jiff::civil::date(last.0, last.1, last.2));
    let mut union: BTreeMap<String, (String, String)> = BTreeMap::new();
    while day <= last {
        for (id, row) in edges(wd, &day.to_string(), &[]) {
            let slot = union.entry(id).or_insert_with(|| ("possible".into(), "false".into()));
            if row["status"] == "active" {
                slot.0 = "active".into();
            }
            if row["contested"] == "true" {
                slot.1 = "true".into();
            }
        }
        day = day.tomorrow().unwrap();
    }
    union
}

fn statuses(edges: &BTreeMap<String, Row>) -> BTreeMap<String, (String, String)> {
    edges.iter().map(|(id, r)| (id.clone(), (r["status"].clone(), r["contested"].clone()))).collect()
}

#[test]
// Regression (issue 14, section 6): --at 2025-11 meant 2025-11-01 only.
fn at_a_month_means_every_day_of_it() {
    let wd = Workdir::with_fixture("snapshot");
    let month = edges(&wd, "2025-11", &[]);
    // The union of November's days: what started on the 11th and the 12th is in, with the
    // November start possible and the one that ended on the 12th; NLD-USA-PAUSE ended the
    // day before.
    assert_eq!(statuses(&month), union_of_days(&wd, (2025, 11, 1), (2025, 11, 30)));
    assert_eq!(month["COL-USA-SUSPENSION"]["status"], "active");
    assert_eq!(month["DNI-CIA-NEW"]["status"], "active");
    assert_eq!(month["DNI-CIA-OLD"]["status"], "active");
    assert_eq!(month["CIA-VEN-PRESSURE"]["status"], "possible");
    assert!(!month.contains_key("NLD-USA-PAUSE"));
    let json = to_stdout(&wd, "2025-11", "json", &[], 0);
    assert!(
        json.starts_with(
            "{\n  \"date\": \"2025-11\",\n  \"from\": \"2025-11-01\",\n  \"to\": \"2025-11-30\",\n"
        ),
        "{json}"
    );
    // A day keeps its shape: no "from" and "to".
    assert!(to_stdout(&wd, DAY, "json", &[], 0).starts_with("{\n  \"date\": \"2025-11-12\",\n  \"strict\""));

    // The files are named after the month, and the summary says what it means.
    let out = wd.run(&["snapshot", "--at", "2025-11"]);
    assert_success(&out);
    assert!(
        stdout(&out).starts_with(
            "snapshot 2025-11 (every relation holding at any time from 2025-11-01 to 2025-11-30): 8 actors, 13 relations (2 possible, 6 contested)\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(
        wd.list("output"),
        ["snapshot-2025-11.dot", "snapshot-2025-11.edges.csv", "snapshot-2025-11.nodes.csv"]
    );
}

#[test]
fn at_a_year_is_from_its_first_day_to_its_last() {
    let wd = Workdir::with_fixture("snapshot");
    let year = to_stdout(&wd, "2025", "edges-csv", &[], 0);
    let explicit = wd.run(&[
        "snapshot",
        "--from",
        "2025-01-01",
        "--to",
        "2025-12-31",
        "--format",
        "edges-csv",
        "--out",
        "-",
    ]);
    assert_success(&explicit);
    assert_eq!(year, stdout(&explicit));
    // NLD-USA-PAUSE held in October only; NSA-GBR-SIGINT was active until October.
    let e = edges(&wd, "2025", &[]);
    assert_eq!(e["NLD-USA-PAUSE"]["status"], "active");
    assert_eq!(e["NSA-GBR-SIGINT"]["status"], "active");
}

#[test]
fn from_and_to_take_the_first_day_of_one_and_the_last_of_the_other() {
    let wd = Workdir::with_fixture("snapshot");
    let run = |args: &[&str]| {
        let out = wd.run(&[&["snapshot"][..], args, &["--format", "edges-csv", "--out", "-"]].concat());
        assert_success(&out);
        statuses(&parse_csv(&stdout(&out)).into_iter().map(|r| (r["id"].clone(), r)).collect())
    };
    let days = run(&["--from", "2025-10-20", "--to", "2025-11-11"]);
    assert_eq!(days, union_of_days(&wd, (2025, 10, 20), (2025, 11, 11)));
    assert!(days.contains_key("NLD-USA-PAUSE") && days.contains_key("COL-USA-SUSPENSION"));
    assert!(!days.contains_key("DNI-CIA-NEW"));
    // Partial ends: from October's first day to November's last.
    assert_eq!(
        run(&["--from", "2025-10", "--to", "2025-11"]),
        union_of_days(&wd, (2025, 10, 1), (2025, 11, 30))
    );
    // One day given as --from and --to is that day.
    assert_eq!(run(&["--from", DAY, "--to", DAY]), statuses(&edges(&wd, DAY, &[])));
    // --at and --from do not go together.
    let out = wd.run(&["snapshot", "--at", DAY, "--from", DAY, "--to", DAY]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("cannot be used with"), "{}", stderr(&out));
}

#[test]
fn a_bad_at_value_is_a_usage_error_naming_it() {
    let wd = Workdir::with_fixture("snapshot");
    let mut messages = String::new();
    for value in ["2025-13-45", "2025-02-30", "19118", "11/12/2025", "yesterday", ""] {
        let out = wd.run(&["snapshot", "--at", value]);
        assert_exit(&out, 2);
        assert_eq!(stdout(&out), "");
        let err = stderr(&out);
        assert!(err.starts_with(&format!("georel: invalid date {value:?} for --at: ")), "{err}");
        messages.push_str(&err);
    }
    assert!(!wd.exists("output"), "nothing is written");
    insta::assert_snapshot!(messages);
}

#[test]
fn at_is_required() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot"]);
    assert_exit(&out, 2);
    assert!(stderr(&out).contains("--at <DATE>"), "{}", stderr(&out));
}

// ---------------------------------------------------------------------------------------
// Filters

#[test]
fn kinds_keeps_only_the_listed_kinds_and_contested_is_decided_before() {
    let wd = Workdir::with_fixture("snapshot");
    let all = edges(&wd, DAY, &[]);
    let some = edges(&wd, DAY, &["--kinds", "cooperation,restriction"]);
    let expected: BTreeSet<&str> = all
        .values()
        .filter(|r| r["kind"] == "cooperation" || r["kind"] == "restriction")
        .map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids(&some), expected);
    assert!(ids(&some).len() < all.len(), "something was filtered out");
    for (id, row) in &some {
        assert_eq!(row, &all[id], "{id} is unchanged by the filter");
    }

    // A cooperation shown alone is still flagged when a hidden restriction contradicts it.
    let coop = edges(&wd, DAY, &["--kinds", "cooperation"]);
    assert!(coop.values().all(|r| r["kind"] == "cooperation"));
    assert_eq!(coop["USA-COL-COOP"]["contested"], "true");

    // The flag may be repeated instead of comma-separated.
    let repeated = edges(&wd, DAY, &["--kinds", "cooperation", "--kinds", "restriction"]);
    assert_eq!(ids(&repeated), ids(&some));
}

#[test]
fn an_unknown_kind_is_a_usage_error() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY, "--kinds", "cooperation,alliance"]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(err.contains("invalid value 'alliance' for '--kinds <KINDS>'"), "{err}");
}

#[test]
fn strict_drops_possible_relations() {
    let wd = Workdir::with_fixture("snapshot");
    let all = edges(&wd, DAY, &[]);
    let strict = edges(&wd, DAY, &["--strict"]);
    let active: BTreeSet<&str> =
        all.values().filter(|r| r["status"] == "active").map(|r| r["id"].as_str()).collect();
    assert_eq!(ids(&strict), active);
    assert!(all.values().any(|r| r["status"] == "possible"));
    assert!(strict.values().all(|r| r["status"] == "active"));

    let json: serde_json::Value =
        serde_json::from_str(&to_stdout(&wd, DAY, "json", &["--strict"], 0)).unwrap();
    assert_eq!(json["strict"], true);
    let dot = to_stdout(&wd, DAY, "dot", &["--strict"], 0);
    assert!(dot.contains("(0 possible, 3 contested), active only\""), "{dot}");
    assert!(!dot.contains("style=\"dashed\""), "no possible edge is drawn");
}

#[test]
fn all_actors_lists_actors_without_relations() {
    let wd = Workdir::with_fixture("snapshot");
    let connected = node_ids(&to_stdout(&wd, DAY, "nodes-csv", &[], 0));
    assert!(!connected.contains(&"NLD".to_string()));
    let all = to_stdout(&wd, DAY, "nodes-csv", &["--all-actors"], 0);
    assert_eq!(node_ids(&all), ["CIA", "COL", "DNI", "GBR", "NATO", "NLD", "NSA", "USA", "VEN"]);
    assert!(all.contains("\nNLD,Netherlands,country,,0\n"), "{all}");
    // The relations do not change.
    assert_eq!(
        to_stdout(&wd, DAY, "edges-csv", &["--all-actors"], 0),
        to_stdout(&wd, DAY, "edges-csv", &[], 0)
    );
    let dot = to_stdout(&wd, DAY, "dot", &["--all-actors"], 0);
    assert!(dot.contains("\"NLD\" [label=\"Netherlands\""), "{dot}");
}

// ---------------------------------------------------------------------------------------
// Where results go

const FILES: [&str; 3] =
    ["snapshot-2025-11-12.dot", "snapshot-2025-11-12.edges.csv", "snapshot-2025-11-12.nodes.csv"];

#[test]
fn by_default_three_files_are_written_into_output() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY]);
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    assert_eq!(
        stdout(&out),
        "snapshot 2025-11-12: 8 actors, 12 relations (2 possible, 5 contested)\n\
         wrote output/snapshot-2025-11-12.dot\n\
         wrote output/snapshot-2025-11-12.nodes.csv\n\
         wrote output/snapshot-2025-11-12.edges.csv\n"
    );
    assert_eq!(wd.list("output"), FILES);
    assert_eq!(wd.read("output/snapshot-2025-11-12.dot"), to_stdout(&wd, DAY, "dot", &[], 0));
    assert_eq!(wd.read("output/snapshot-2025-11-12.nodes.csv"), to_stdout(&wd, DAY, "nodes-csv", &[], 0));
    assert_eq!(wd.read("output/snapshot-2025-11-12.edges.csv"), to_stdout(&wd, DAY, "edges-csv", &[], 0));
}

#[test]
fn out_dir_receives_the_three_files_and_is_created() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY, "--out", "results/november/"]);
    assert_success(&out);
    assert!(
        stdout(&out).ends_with(
            "wrote results/november/snapshot-2025-11-12.dot\n\
             wrote results/november/snapshot-2025-11-12.nodes.csv\n\
             wrote results/november/snapshot-2025-11-12.edges.csv\n"
        ),
        "{}",
        stdout(&out)
    );
    assert_eq!(wd.list("results/november"), FILES);
    assert!(!wd.exists("output"), "output/ is not used");
}

#[test]
fn format_with_out_file_writes_only_that_file() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY, "--format", "json", "--out", "my/graph.json"]);
    assert_success(&out);
    assert_eq!(
        stdout(&out),
        "snapshot 2025-11-12: 8 actors, 12 relations (2 possible, 5 contested)\nwrote my/graph.json\n"
    );
    assert_eq!(wd.list("my"), ["graph.json"]);
    assert_eq!(wd.read("my/graph.json"), to_stdout(&wd, DAY, "json", &[], 0));
    assert!(!wd.exists("output"));
}

#[test]
fn format_with_an_existing_folder_writes_the_named_file_into_it() {
    let wd = Workdir::with_fixture("snapshot");
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let out = wd.run(&["snapshot", "--at", DAY, "--format", "edges-csv", "--out", "exports"]);
    assert_success(&out);
    assert_eq!(wd.list("exports"), ["snapshot-2025-11-12.edges.csv"]);
    assert_eq!(wd.read("exports/snapshot-2025-11-12.edges.csv"), to_stdout(&wd, DAY, "edges-csv", &[], 0));
}

#[test]
fn format_without_out_writes_into_output() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY, "--format", "dot"]);
    assert_success(&out);
    assert_eq!(wd.list("output"), ["snapshot-2025-11-12.dot"]);
    let out = wd.run(&["snapshot", "--at", DAY, "--format", "json"]);
    assert_success(&out);
    assert_eq!(wd.list("output"), ["snapshot-2025-11-12.dot", "snapshot-2025-11-12.json"]);
}

#[test]
fn out_dash_without_format_is_a_usage_error() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", DAY, "--out", "-"]);
    assert_exit(&out, 2);
    assert_eq!(stdout(&out), "");
    assert!(!wd.exists("output") && !wd.exists("-"), "nothing is written");
    insta::assert_snapshot!(stderr(&out));
}

#[test]
fn no_relation_on_the_day_exits_1_and_still_writes_the_files() {
    let wd = Workdir::with_fixture("snapshot");
    let out = wd.run(&["snapshot", "--at", "1949-04-03"]);
    assert_exit(&out, 1);
    assert_eq!(stderr(&out), "georel: no relation holds on 1949-04-03 with these filters\n");
    assert_eq!(
        stdout(&out),
        "snapshot 1949-04-03: 0 actors, 0 relations (0 possible, 0 contested)\n\
         wrote output/snapshot-1949-04-03.dot\n\
         wrote output/snapshot-1949-04-03.nodes.csv\n\
         wrote output/snapshot-1949-04-03.edges.csv\n"
    );
    assert_eq!(
        wd.read("output/snapshot-1949-04-03.edges.csv"),
        "id,source,target,kind,start,end,directed,status,contested,evidence,summary,claimant,credibility,grade\n"
    );
    assert_eq!(wd.read("output/snapshot-1949-04-03.nodes.csv"), "id,name,kind,parent,degree\n");
    let dot = wd.read("output/snapshot-1949-04-03.dot");
    assert!(dot.starts_with("digraph ") && dot.ends_with("}\n"), "{dot}");

    // The next day the NATO memberships begin.
    let out = wd.run(&["snapshot", "--at", "1949-04-04"]);
    assert_success(&out);
}

#[test]
fn an_empty_result_exits_1_for_every_destination_and_filter() {
    let wd = Workdir::with_fixture("snapshot");
    // To stdout: the header only.
    let csv = to_stdout(&wd, "1900", "edges-csv", &[], 1);
    assert_eq!(
        csv_header(&csv),
        [
            "id",
            "source",
            "target",
            "kind",
            "start",
            "end",
            "directed",
            "status",
            "contested",
            "evidence",
            "summary",
            "claimant",
            "credibility",
            "grade"
        ]
    );
    assert_eq!(parse_csv(&csv).len(), 0);
    // Every actor listed, but no relation: still empty.
    let nodes = to_stdout(&wd, "1900", "nodes-csv", &["--all-actors"], 1);
    assert_eq!(node_ids(&nodes).len(), 9);
    // Relations hold, but none of the kinds asked for.
    let out = wd.run(&["snapshot", "--at", "2025-08-01", "--kinds", "dispute"]);
    assert_exit(&out, 1);
    assert_eq!(stderr(&out), "georel: no relation holds on 2025-08-01 with these filters\n");
    // Only possible relations on the day, and --strict.
    let wd = Workdir::new();
    wd.write("data/relations.csv", "source,target,kind,start\nCOL,USA,cooperation,2025-11\n");
    to_stdout(&wd, "2025-11-12", "edges-csv", &[], 0);
    to_stdout(&wd, "2025-11-12", "edges-csv", &["--strict"], 1);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    // `georel snapshot ... --out - | head -c 10`: the reader goes away long before the end.
    let wd = Workdir::new();
    let mut csv = String::from("id,source,target,kind,start,summary\n");
    let long = "x".repeat(200);
    for i in 0..3000 {
        csv.push_str(&format!("R{i},A{i},B{i},cooperation,2020,{long}\n"));
    }
    wd.write("data/relations.csv", &csv);
    let mut child = wd
        .command(&["snapshot", "--at", "2021", "--format", "json", "--out", "-"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 10];
    std::io::Read::read_exact(child.stdout.as_mut().unwrap(), &mut first).unwrap();
    assert_eq!(&first[..2], b"{\n");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "", "no message for a closed pipe");
}

#[test]
fn help_lists_the_exit_codes() {
    let wd = Workdir::new();
    for args in [&["--help"][..], &["snapshot", "--help"], &["check", "--help"]] {
        let out = wd.run(args);
        assert_success(&out);
        let help = stdout(&out);
        assert!(
            help.contains("Exit codes:\n  0  success\n  1  empty result")
                && help.contains("  2  usage error, unknown or ambiguous actor name"),
            "{args:?}: {help}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// Text that must survive: CSV injection, quotes, backslashes, line breaks, accents

#[test]
fn csv_cells_that_a_spreadsheet_would_run_get_a_leading_quote() {
    let wd = Workdir::with_fixture("awkward_text");
    let e = edges(&wd, "2025-06-01", &[]);
    assert_eq!(e["R-EQ"]["summary"], "'=1+1");
    assert_eq!(e["R-PLUS"]["summary"], "'+1 more");
    assert_eq!(e["R-MINUS"]["summary"], "'-2 less");
    assert_eq!(e["R-AT"]["summary"], "'@SUM(A1:A9)");
    // Only at the start of a cell.
    assert_eq!(e["R-ACCENTS"]["summary"], "Bogotá and Côte d'Ivoire: ça marche");

    let nodes: BTreeMap<String, Row> = parse_csv(&to_stdout(&wd, "2025-06-01", "nodes-csv", &[], 0))
        .into_iter()
        .map(|r| (r["id"].clone(), r))
        .collect();
    assert_eq!(nodes["EQ"]["name"], "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(nodes["PLUS"]["name"], "'+1 Group");
    assert_eq!(nodes["MINUS"]["name"], "'-2 Council");
    assert_eq!(nodes["AT"]["name"], "'@SUM(A1)");
}

#[test]
fn json_keeps_formula_like_text_as_it_is() {
    let wd = Workdir::with_fixture("awkward_text");
    let json: serde_json::Value =
        serde_json::from_str(&to_stdout(&wd, "2025-06-01", "json", &[], 0)).unwrap();
    let summary = |id: &str| {
        json["relations"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap()["summary"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let name = |id: &str| {
        json["actors"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["name"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(summary("R-EQ"), "=1+1");
    assert_eq!(summary("R-PLUS"), "+1 more");
    assert_eq!(summary("R-MINUS"), "-2 less");
    assert_eq!(summary("R-AT"), "@SUM(A1:A9)");
    assert_eq!(name("EQ"), "=HYPERLINK(\"http://evil.example\")");
    assert_eq!(name("AT"), "@SUM(A1)");

    // Quotes, backslashes, line breaks and accents come back exactly.
    assert_eq!(name("QUO"), "The \"Quoted\" Office");
    assert_eq!(name("BSL"), "Back\\slash Bureau");
    assert_eq!(name("NL"), "Two\nLines");
    assert_eq!(name("COL"), "Bogotá");
    assert_eq!(name("CIV"), "Côte d'Ivoire");
    assert_eq!(summary("R-QUOTE"), "She said \"hi\", then left");
    assert_eq!(summary("R-BACKSLASH"), "C:\\path\\to\\file and a trailing \\");
    assert_eq!(summary("R-NEWLINE"), "first line\nsecond line");
}

#[test]
fn quotes_backslashes_line_breaks_and_accents_survive_in_csv() {
    let wd = Workdir::with_fixture("awkward_text");
    let e = edges(&wd, "2025-06-01", &[]);
    assert_eq!(e["R-QUOTE"]["summary"], "She said \"hi\", then left");
    assert_eq!(e["R-BACKSLASH"]["summary"], "C:\\path\\to\\file and a trailing \\");
    assert_eq!(e["R-NEWLINE"]["summary"], "first line\nsecond line");
    let nodes: BTreeMap<String, Row> = parse_csv(&to_stdout(&wd, "2025-06-01", "nodes-csv", &[], 0))
        .into_iter()
        .map(|r| (r["id"].clone(), r))
        .collect();
    assert_eq!(nodes["QUO"]["name"], "The \"Quoted\" Office");
    assert_eq!(nodes["QUO"]["parent"], "CIV");
    assert_eq!(nodes["BSL"]["name"], "Back\\slash Bureau");
    assert_eq!(nodes["NL"]["name"], "Two\nLines");
    assert_eq!(nodes["COL"]["name"], "Bogotá");
    assert_eq!(nodes["CIV"]["name"], "Côte d'Ivoire");
}

#[test]
fn golden_awkward_text_nodes_csv() {
    let wd = Workdir::with_fixture("awkward_text");
    insta::assert_snapshot!(to_stdout(&wd, "2025-06-01", "nodes-csv", &[], 0));
}

#[test]
fn golden_awkward_text_edges_csv() {
    let wd = Workdir::with_fixture("awkward_text");
    insta::assert_snapshot!(to_stdout(&wd, "2025-06-01", "edges-csv", &[], 0));
}

#[test]
fn golden_awkward_text_dot() {
    let wd = Workdir::with_fixture("awkward_text");
    insta::assert_snapshot!(to_stdout(&wd, "2025-06-01", "dot", &[], 0));
}

#[test]
fn dot_with_awkward_text_is_valid_for_graphviz() {
    for (fixture, date) in [("awkward_text", "2025-06-01"), ("snapshot", DAY)] {
        let wd = Workdir::with_fixture(fixture);
        let dot = to_stdout(&wd, date, "dot", &[], 0);
        graphviz_rust::parse(&dot)
            .unwrap_or_else(|e| panic!("graphviz-rust cannot parse the {fixture} DOT: {e}"));
        let render = std::process::Command::new("dot")
            .arg("-Tsvg")
            .arg("-o")
            .arg(wd.path().join("graph.svg"))
            .stdin(std::fs::File::open(write_dot(&wd, &dot)).unwrap())
            .output()
            .expect("Graphviz's `dot` is needed by the tests (tools/test installs it)");
        assert!(
            render.status.success() && render.stderr.is_empty(),
            "dot rejects or warns about the {fixture} DOT: {}",
            String::from_utf8_lossy(&render.stderr)
        );
        let svg = wd.read("graph.svg");
        if fixture == "awkward_text" {
            // Graphviz shows the names as written (XML-escaped in SVG).
            for shown in [
                "The &quot;Quoted&quot; Office",
                "Back\\slash Bureau",
                "Bogotá",
                "Côte d&#39;Ivoire",
                ">Two<",
                ">Lines<",
            ] {
                assert!(svg.contains(shown), "{shown} in the SVG");
            }
        }
    }
}

fn write_dot(wd: &Workdir, dot: &str) -> std::path::PathBuf {
    wd.write("graph.dot", dot);
    wd.path().join("graph.dot")
}

// ---------------------------------------------------------------------------------------
// Atomic output

#[test]
fn an_earlier_result_is_untouched_when_a_later_run_fails() {
    let wd = Workdir::with_fixture("snapshot");
    assert_success(&wd.run(&["snapshot", "--at", DAY]));
    assert_success(&wd.run(&["snapshot", "--at", DAY, "--format", "json", "--out", "one.json"]));
    let before: Vec<Vec<u8>> = FILES.iter().map(|f| wd.read_bytes(&format!("output/{f}"))).collect();
    let json_before = wd.read_bytes("one.json");

    // The data goes bad: both runs fail, and neither file set changes.
    wd.write(
        "data/relations.csv",
        format!(
            "{}R-BAD,COL,USA,cooperation,2025-13-01,,,,\n",
            std::fs::read_to_string(wd.path().join("data/relations.csv")).unwrap()
        ),
    );
    assert_exit(&wd.run(&["snapshot", "--at", DAY]), 2);
    assert_exit(&wd.run(&["snapshot", "--at", DAY, "--format", "json", "--out", "one.json"]), 2);
    for (f, bytes) in FILES.iter().zip(&before) {
        assert_eq!(&wd.read_bytes(&format!("output/{f}")), bytes, "{f}");
    }
    assert_eq!(wd.read_bytes("one.json"), json_before);
    assert_eq!(wd.list("output"), FILES, "no temporary file is left");
    assert_eq!(wd.list(""), ["data", "one.json", "output"]);
}

#[test]
fn a_new_result_replaces_the_old_one_entirely() {
    let wd = Workdir::with_fixture("snapshot");
    // A long result, then a shorter one to the same file: no tail of the first remains.
    let args = |date: &'static str| ["snapshot", "--at", date, "--format", "edges-csv", "--out", "edges.csv"];
    assert_success(&wd.run(&args(DAY)));
    let long = wd.read("edges.csv");
    assert_success(&wd.run(&args("1950-01-01")));
    let short = wd.read("edges.csv");
    assert!(short.len() < long.len());
    assert_eq!(short, to_stdout(&wd, "1950-01-01", "edges-csv", &[], 0));
    assert_eq!(wd.list(""), ["data", "edges.csv"]);
}

#[test]
fn no_temporary_file_is_left_after_success() {
    let wd = Workdir::with_fixture("snapshot");
    assert_success(&wd.run(&["snapshot", "--at", DAY]));
    assert_success(&wd.run(&["snapshot", "--at", DAY])); // over existing files
    assert_success(&wd.run(&["snapshot", "--at", DAY, "--format", "json"]));
    assert_eq!(
        wd.list("output"),
        [
            "snapshot-2025-11-12.dot",
            "snapshot-2025-11-12.edges.csv",
            "snapshot-2025-11-12.json",
            "snapshot-2025-11-12.nodes.csv"
        ]
    );
}

#[test]
fn no_temporary_file_is_left_when_a_result_cannot_be_put_in_place() {
    let wd = Workdir::with_fixture("snapshot");
    // A folder where the edges file should go: the rename onto it fails.
    std::fs::create_dir_all(wd.path().join("output/snapshot-2025-11-12.edges.csv")).unwrap();
    let out = wd.run(&["snapshot", "--at", DAY]);
    assert_exit(&out, 2);
    let err = stderr(&out);
    assert!(
        err.starts_with("georel: cannot move the result into place at output/snapshot-2025-11-12.edges.csv"),
        "{err}"
    );
    assert!(
        wd.list("output")
            .iter()
            .all(|f| !f.starts_with('.') && !f.ends_with(".tmp") && FILES.contains(&f.as_str())),
        "{:?}",
        wd.list("output")
    );
    assert_eq!(wd.list("output/snapshot-2025-11-12.edges.csv"), Vec::<String>::new());

    // A file where the output folder should be: nothing can be written at all.
    let wd = Workdir::with_fixture("snapshot");
    wd.write("output", "not a folder");
    let out = wd.run(&["snapshot", "--at", DAY]);
    assert_exit(&out, 2);
    assert!(stderr(&out).starts_with("georel: cannot create the output folder output"), "{}", stderr(&out));
    assert_eq!(wd.read("output"), "not a folder");
    assert_eq!(wd.list(""), ["data", "output"]);
}

/// Regression: results came out with mode 0600 (tempfile's private default).
#[cfg(unix)]
#[test]
fn results_get_the_mode_of_an_ordinary_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let wd = Workdir::with_fixture("snapshot");
    // The child inherits this process's umask, so a file created here is the reference.
    wd.write("reference", "");
    assert_success(&wd.run(&["snapshot", "--at", DAY]));
    let mode = |name: &str| std::fs::metadata(wd.path().join(name)).unwrap().permissions().mode() & 0o777;
    for f in FILES {
        assert_eq!(
            mode(&format!("output/{f}")),
            mode("reference"),
            "{f}: {:o}",
            mode(&format!("output/{f}"))
        );
    }
}

// ---------------------------------------------------------------------------------------
// The time index against a linear scan, through the command line

/// A date at year, month or day precision, as the loader reads it.
#[derive(Clone, Copy)]
struct Partial {
    first: jiff::civil::Date,
    precision: u8, // 0 year, 1 month, 2 day
}

impl Partial {
    fn text(self) -> String {
        let d = self.first;
        match self.precision {
            0 => format!("{:04}", d.year()),
            1 => format!("{:04}-{:02}", d.year(), d.month()),
            _ => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        }
    }
    fn after(self) -> jiff::civil::Date {
        match self.precision {
            0 => self.first.last_of_year().tomorrow().unwrap(),
            1 => self.first.last_of_month().tomorrow().unwrap(),
            _ => self.first.tomorrow().unwrap(),
        }
    }
}

/// The README's rules, written out directly: (possible_from, active_from, active_until,
/// possible_until).
fn span(start: Partial, end: Option<Partial>) -> [jiff::civil::Date; 4] {
    let open = jiff::civil::date(9999, 12, 31);
    let active_from = if start.precision == 2 { start.first } else { start.after() };
    let (active_until, possible_until) = match end {
        None => (open, open),
        Some(e) if e.precision == 2 => (e.first, e.first),
        Some(e) => (e.first, e.after()),
    };
    [start.first, active_from, active_until, possible_until]
}

/// A small deterministic generator (no dependency, same data on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
    fn date(&mut self) -> Partial {
        let first = jiff::civil::date(
            2000 + self.below(8) as i16,
            1 + self.below(12) as i8,
            1 + self.below(28) as i8,
        );
        let precision = self.below(3) as u8;
        let first = match precision {
            0 => first.first_of_year(),
            1 => first.first_of_month(),
            _ => first,
        };
        Partial { first, precision }
    }
}

#[test]
fn the_relations_on_any_day_are_those_a_linear_scan_finds() {
    const ACTORS: [&str; 8] = ["A", "B", "C", "D", "E", "F", "G", "H"];
    const KINDS: [&str; 4] = ["cooperation", "restriction", "dispute", "membership"];
    let mut rng = Lcg(20_251_112);
    let mut csv = String::from("id,source,target,kind,start,end\n");
    let mut relations = Vec::new();
    while relations.len() < 400 {
        let s = rng.below(8) as usize;
        let t = (s + 1 + rng.below(7) as usize) % 8;
        let kind = KINDS[rng.below(4) as usize];
        let start = rng.date();
        let end = (rng.below(4) != 0).then(|| rng.date());
        let sp = span(start, end);
        if sp[3] <= sp[0] {
            continue; // the loader rejects a relation that never holds
        }
        let id = format!("R{}", relations.len());
        csv.push_str(&format!(
            "{id},{},{},{kind},{},{}\n",
            ACTORS[s],
            ACTORS[t],
            start.text(),
            end.map(Partial::text).unwrap_or_default()
        ));
        relations.push((id, ACTORS[s], ACTORS[t], kind, sp));
    }
    let wd = Workdir::new();
    wd.write("data/relations.csv", &csv);

    // Days on and next to every kind of boundary, plus some at random.
    let mut days = BTreeSet::new();
    for (_, _, _, _, sp) in relations.iter().step_by(9) {
        for &d in sp {
            if d.year() < 9999 {
                days.insert(d);
                days.insert(d.yesterday().unwrap());
            }
        }
    }
    for _ in 0..10 {
        days.insert(rng.date().first);
    }
    days.insert(jiff::civil::date(1999, 12, 31));
    assert!(days.len() > 60, "{} days", days.len());

    for day in days {
        let mut expected: BTreeMap<String, (String, bool)> = BTreeMap::new();
        let holding: Vec<_> = relations.iter().filter(|r| r.4[0] <= day && day < r.4[3]).collect();
        let pair = |a: &str, b: &str| {
            if a < b {
                (a.to_string(), b.to_string())
            } else {
                (b.to_string(), a.to_string())
            }
        };
        let mut kinds: BTreeMap<(String, String), (bool, bool)> = BTreeMap::new();
        for r in &holding {
            let flags = kinds.entry(pair(r.1, r.2)).or_default();
            flags.0 |= r.3 == "cooperation";
            flags.1 |= r.3 == "restriction";
        }
        for r in &holding {
            let active = r.4[1] <= day && day < r.4[2];
            let status = if active { "active" } else { "possible" };
            // No parents here, and cooperations are mutual: a cooperation is contested by any
            // restriction between the two, and a restriction by any cooperation; a dispute or
            // a membership never is.
            let (cooperating, restricted) = kinds[&pair(r.1, r.2)];
            let contested = match r.3 {
                "cooperation" => restricted,
                "restriction" => cooperating,
                _ => false,
            };
            expected.insert(r.0.clone(), (status.to_string(), contested));
        }
        let actual: BTreeMap<String, (String, bool)> = edges(&wd, &day.to_string(), &[])
            .into_iter()
            .map(|(id, r)| (id, (r["status"].clone(), r["contested"] == "true")))
            .collect();
        assert_eq!(actual, expected, "on {day}");
    }
}

/// Regression: the "wrote …" report line was printed with `println!`, which panicked (exit 101,
/// a backtrace) when the reader of stdout had gone away, as in `georel … | head -0`. The file
/// is written; the run ends quietly with success.
#[test]
fn a_reader_that_goes_away_ends_the_run_quietly() {
    let wd = Workdir::with_fixture("snapshot");
    let mut child = wd
        .command(&["snapshot", "--at", DAY, "--format", "edges-csv", "--out", "out/edges.csv"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Closed at once: the binary loads and writes the file before its first line of output.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    assert!(wd.exists("out/edges.csv"));
}

/// Regression (found in review): `--out /dev/stdout` with standard output redirected to a
/// regular file renamed the result over that file, losing what `>>` had appended to it (and,
/// when the file had been deleted, replaced the `/dev/stdout` link itself). Names of open
/// descriptors are written through the descriptor.
#[cfg(target_os = "linux")]
#[test]
fn dev_stdout_redirected_to_a_file_is_appended_to_not_replaced() {
    let wd = Workdir::with_fixture("snapshot");
    let dashed = to_stdout(&wd, DAY, "edges-csv", &[], 0);
    let args = ["snapshot", "--at", DAY, "--format", "edges-csv", "--out", "/dev/stdout"];
    let log = wd.path().join("log.txt");
    for append in [true, false] {
        std::fs::write(&log, "EARLIER\n").unwrap();
        let file = std::fs::File::options().append(append).write(true).truncate(!append).open(&log).unwrap();
        let out = wd.command(&args).stdout(file).output().unwrap();
        assert_success(&out);
        let got = std::fs::read_to_string(&log).unwrap();
        let rest = got.strip_prefix(if append { "EARLIER\n" } else { "" }).unwrap_or_else(|| panic!("{got}"));
        assert_eq!(
            report(rest, &dashed, "/dev/stdout"),
            "snapshot 2025-11-12: 8 actors, 12 relations (2 possible, 5 contested)"
        );
    }
    // Standard error, and a link to our descriptor, likewise.
    let err = wd.path().join("err.txt");
    std::fs::write(&err, "EARLIER\n").unwrap();
    let file = std::fs::File::options().append(true).open(&err).unwrap();
    let mut to_stderr = args;
    to_stderr[6] = "/dev/stderr";
    let out = wd.command(&to_stderr).stderr(file).output().unwrap();
    assert_success(&out);
    assert_eq!(std::fs::read_to_string(&err).unwrap(), format!("EARLIER\n{dashed}"));
    std::os::unix::fs::symlink("/proc/self/fd/1", wd.path().join("here")).unwrap();
    std::fs::write(&log, "EARLIER\n").unwrap();
    let file = std::fs::File::options().append(true).open(&log).unwrap();
    let mut via_link = args;
    via_link[6] = "here";
    let out = wd.command(&via_link).stdout(file).output().unwrap();
    assert_success(&out);
    let got = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        report(got.strip_prefix("EARLIER\n").unwrap_or_else(|| panic!("{got}")), &dashed, "here"),
        "snapshot 2025-11-12: 8 actors, 12 relations (2 possible, 5 contested)"
    );
    assert!(wd.path().join("here").symlink_metadata().unwrap().file_type().is_symlink(), "the link stays");
}

/// What follows the CSV `dashed` in `written`: the report line, before `wrote DEST`.
#[track_caller]
fn report<'a>(written: &'a str, dashed: &str, dest: &str) -> &'a str {
    let rest = written.strip_prefix(dashed).unwrap_or_else(|| panic!("the CSV first:\n{written}"));
    let wrote = format!("\nwrote {dest}\n");
    rest.strip_suffix(wrote.as_str()).unwrap_or_else(|| panic!("then the report:\n{rest}"))
}

/// Regression: a destination that is not a regular file was replaced by the renamed temporary
/// file (`--out /dev/null` turned the device into a regular file). `/dev/stdout`, a link to a
/// pipe here, must receive the CSV like `--out -` does.
#[cfg(target_os = "linux")]
#[test]
fn a_device_destination_is_written_to_not_replaced() {
    let wd = Workdir::with_fixture("snapshot");
    let (piped, _) =
        wd.run_code(&["snapshot", "--at", DAY, "--format", "edges-csv", "--out", "/dev/stdout"], 0);
    let dashed = to_stdout(&wd, DAY, "edges-csv", &[], 0);
    assert!(piped.starts_with(&dashed), "the CSV, then the report line:\n{piped}");
    assert!(piped.ends_with("wrote /dev/stdout\n"), "{piped}");
}

/// A DOT edge's tooltip wrote every relation as "DNI → CIA", a mutual cooperation too, while
/// the edge itself is drawn without an arrow and text writes it "↔".
#[test]
fn a_dot_tooltip_writes_a_mutual_relation_both_ways() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\nMUTUAL,DNI,CIA,cooperation,2020-01-01\nONEWAY,COL,USA,restriction,2020-01-01\n",
    );
    let out = wd.run(&["snapshot", "--at", "2021-01-01", "--format", "dot", "--out", "-"]);
    assert_success(&out);
    let dot = stdout(&out);
    assert!(dot.contains("tooltip=\"MUTUAL cooperation DNI ↔ CIA ("), "{dot}");
    assert!(dot.contains("tooltip=\"ONEWAY restriction COL → USA ("), "{dot}");
}

// ---------------------------------------------------------------------------------------
// --format text (issue 15: snapshot had no readable output)

#[test]
fn golden_text_on_the_shipped_data() {
    let data = crate::harness::shipped_data_dir();
    let wd = Workdir::new();
    let out = wd.run(&["--data", data.to_str().unwrap(), "snapshot", "--at", DAY, "--format", "text"]);
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    insta::assert_snapshot!(stdout(&out));
}

/// One line per relation, as many as the edges CSV has rows, grouped by pair with the
/// contested pairs first; short citations, not source ids; lines of at most 100 characters
/// (but the summary).
#[test]
fn text_groups_every_relation_by_pair_contested_pairs_first() {
    let wd = Workdir::with_fixture("snapshot");
    for extra in [&[][..], &["--strict"], &["--by-country"]] {
        let mut args = vec!["snapshot", "--at", DAY, "--format", "text"];
        args.extend_from_slice(extra);
        let text = wd.run_code(&args, 0).0;
        let rows = edges(&wd, DAY, extra);
        let lines: Vec<&str> = text.lines().skip(1).collect();
        let relation_lines = lines.iter().filter(|l| l.starts_with("  ") && !l.starts_with("   ")).count();
        assert_eq!(relation_lines, rows.len(), "{extra:?}\n{text}");
        for id in rows.keys() {
            assert!(text.contains(&format!(" {id}  ")), "{extra:?}: {id}\n{text}");
        }
        let pairs: Vec<&str> = lines.iter().copied().filter(|l| !l.starts_with(' ')).collect();
        let contested = pairs.iter().filter(|p| p.ends_with("  CONTESTED")).count();
        assert!(pairs[..contested].iter().all(|p| p.ends_with("  CONTESTED")), "{extra:?}\n{text}");
        assert_eq!(contested > 0, rows.values().any(|r| r["contested"] == "true"), "{extra:?}\n{text}");
        let summary = text.lines().next().unwrap();
        assert!(
            summary.starts_with(&format!("snapshot on {DAY}: {} relation", rows.len()))
                && summary.contains(&format!(" between {} pair", pairs.len()))
                && summary.contains(&format!("; {contested} contested pair")),
            "{summary}"
        );
        assert!(lines.iter().all(|l| l.chars().count() <= 100), "{extra:?}\n{text}");
        assert!(!text.contains("[WIRE-1") && !text.contains("DAILY-1]"), "cited, not by id:\n{text}");
    }
}

#[test]
fn text_over_a_period_says_so_and_goes_to_a_file_with_out() {
    let wd = Workdir::with_fixture("snapshot");
    let text = wd.run_code(&["snapshot", "--at", "2025-11", "--format", "text"], 0).0;
    assert!(text.starts_with("snapshot in 2025-11 (at any time from 2025-11-01 to 2025-11-30): "), "{text}");
    let (out, _) = wd.run_code(&["snapshot", "--at", DAY, "--format", "text", "--out", "day.txt"], 0);
    assert!(out.ends_with("wrote day.txt\n"), "{out}");
    assert_eq!(wd.read("day.txt"), wd.run_code(&["snapshot", "--at", DAY, "--format", "text"], 0).0);
    std::fs::create_dir(wd.path().join("reports")).unwrap();
    let (out, _) = wd.run_code(&["snapshot", "--at", DAY, "--format", "text", "--out", "reports"], 0);
    assert!(out.ends_with("wrote reports/snapshot-2025-11-12.txt\n"), "{out}");
}

#[test]
// Regression: an actor's name in two lines (a quoted line break in actors.csv) put its second
// line at the margin of `snapshot --format text`, where it read as another pair.
fn a_name_in_two_lines_stays_on_its_pairs_line() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id,name,kind\nA,\"First\nSecond\",country\nB,Other,country\n");
    wd.write("data/relations.csv", "id,source,target,kind,start\nR1,A,B,cooperation,2000\n");
    let text = to_stdout(&wd, "2020-01-01", "text", &[], 0);
    let headings: Vec<&str> = text.lines().skip(1).filter(|l| !l.starts_with(' ')).collect();
    assert_eq!(headings, ["First Second (A) – Other (B)"], "{text}");
}
