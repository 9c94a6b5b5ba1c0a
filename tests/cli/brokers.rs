//! `georel brokers`: betweenness on a day's graph against networkx's values, degree by kind,
//! the changes over a series, pivots, membership ties, the index, and the shipped data.
//!
//! The dataset is `tests/fixtures/brokers/`: countries N0..N4 (nodes 0..4 in id order) and
//! the alliance ALLY. Its cooperation graph is issue 18's fixture, edges (0,4), (1,2), (2,3),
//! (3,4), (1,4), until 2025-03-01, when (1,4) ends and the graph is the path 0-4-3-2-1. By
//! hand, on the path (normalised over the 6 pairs of the other four nodes): N3 lies between
//! 4 pairs (0.667), N2 and N4 between 3 (0.5), N0 and N1 between none. Beside it: a dispute
//! N1–N3, a restriction N0 → N2 from 2024, memberships N0 and N3 of ALLY; C23 is directed
//! and C43 doubles the pair (3,4) the other way: each pair is one undirected tie.

use crate::harness::{parse_csv, stderr, stdout, Workdir};

const BEFORE: &str = "2025-01-01";
const AFTER: &str = "2025-06-01";

fn workdir() -> Workdir {
    Workdir::with_fixture("brokers")
}

/// Runs `brokers` with `args`, asserts `code`, and returns stdout.
#[track_caller]
fn brokers(wd: &Workdir, args: &[&str], code: i32) -> String {
    let mut all = vec!["brokers"];
    all.extend_from_slice(args);
    wd.run_code(&all, code).0
}

#[track_caller]
fn json(wd: &Workdir, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    serde_json::from_str(&brokers(wd, &all, 0)).unwrap()
}

/// Each shown actor's betweenness on the first date, in actor id order.
fn values(doc: &serde_json::Value) -> Vec<(String, f64)> {
    let mut out: Vec<(String, f64)> = doc["dates"][0]["brokers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["actor"].as_str().unwrap().to_string(), b["betweenness"].as_f64().unwrap()))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[track_caller]
fn assert_close(got: &[(String, f64)], want: &[f64]) {
    let got: Vec<f64> = got.iter().map(|x| x.1).collect();
    assert_eq!(got.len(), want.len(), "{got:?} against {want:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-12, "{got:?} against {want:?}");
    }
}

/// networkx 3.6.1 on issue 18's fixture (tests/reference/brokers_networkx.txt).
#[test]
fn the_issue_fixture_gives_networkx_values_with_and_without_endpoints() {
    let wd = workdir();
    assert_close(
        &values(&json(&wd, &["--at", BEFORE])),
        &[0.0, 1.0 / 6.0, 1.0 / 12.0, 1.0 / 6.0, 7.0 / 12.0],
    );
    assert_close(&values(&json(&wd, &["--at", BEFORE, "--endpoints"])), &[0.4, 0.5, 0.45, 0.5, 0.75]);
}

#[test]
fn golden_day_text() {
    let wd = workdir();
    insta::assert_snapshot!(brokers(&wd, &["--at", BEFORE], 0));
}

#[test]
fn golden_series_text_csv_json() {
    let wd = workdir();
    let series = ["--from", BEFORE, "--to", AFTER, "--every", "5m", "--top", "3"];
    insta::assert_snapshot!("series_text", brokers(&wd, &series, 0));
    let mut csv = series.to_vec();
    csv.extend_from_slice(&["--format", "csv", "--out", "-"]);
    insta::assert_snapshot!("series_csv", brokers(&wd, &csv, 0));
    let mut json = series.to_vec();
    json.extend_from_slice(&["--format", "json", "--out", "-"]);
    insta::assert_snapshot!("series_json", brokers(&wd, &json, 0));
}

/// Worked out in the module docs: with the top 3, N2 became a broker, N1 dropped out.
#[test]
fn a_series_says_who_became_a_broker_and_who_dropped_out() {
    let wd = workdir();
    let doc = json(&wd, &["--from", BEFORE, "--to", AFTER, "--every", "5m", "--top", "3"]);
    assert!(doc["dates"][0].get("changes").is_none(), "the first date has no changes");
    let changes = &doc["dates"][1]["changes"];
    assert_eq!(changes["entered"], serde_json::json!([{"actor": "N2", "rank": 2}]));
    assert_eq!(changes["dropped"], serde_json::json!([{"actor": "N1", "rank_before": 2, "rank": 4}]));
    assert_eq!(
        changes["moved"],
        serde_json::json!([{"actor": "N3", "from": 2, "to": 1}, {"actor": "N4", "from": 1, "to": 2}])
    );
    assert_close(&values(&json(&wd, &["--at", AFTER, "--top", "0"])), &[0.0, 0.0, 0.5, 2.0 / 3.0, 0.5]);
}

/// Degrees count every kind whatever --kinds, one per neighbour: N3's two cooperations
/// with N4 and its directed one from N2 make a cooperation degree of 2.
#[test]
fn degrees_count_each_kind_whatever_the_kinds_chosen() {
    let wd = workdir();
    let doc = json(&wd, &["--at", BEFORE]);
    let n3 = doc["dates"][0]["brokers"].as_array().unwrap().iter().find(|b| b["actor"] == "N3").unwrap();
    assert_eq!(
        n3["degree"],
        serde_json::json!({"cooperation": 2, "restriction": 0, "dispute": 1, "membership": 1})
    );
    assert_eq!(doc["dates"][0]["ties"], 5);
}

/// With membership among the kinds, a member and its group are joined: ALLY links N0 and
/// N3, and is a node.
#[test]
fn membership_ties_join_members_to_their_group() {
    let wd = workdir();
    let doc = json(&wd, &["--at", BEFORE, "--kinds", "cooperation,membership"]);
    assert_eq!(doc["dates"][0]["nodes"], 6);
    assert_eq!(doc["dates"][0]["ties"], 7);
    let ids: Vec<&str> =
        doc["dates"][0]["brokers"].as_array().unwrap().iter().map(|b| b["actor"].as_str().unwrap()).collect();
    assert!(ids.contains(&"ALLY"), "{ids:?}");
    let only = json(&wd, &["--at", BEFORE, "--kinds", "cooperation"]);
    assert_eq!(only["dates"][0]["nodes"], 5);
}

#[test]
fn pivots_estimate_from_the_seeded_nodes_and_say_so() {
    let wd = workdir();
    let doc = json(&wd, &["--at", BEFORE, "--pivots", "2", "--seed", "4"]);
    let day = &doc["dates"][0];
    assert_eq!(day["exact"], false);
    assert_eq!(day["pivots"].as_array().unwrap().len(), 2);
    assert_eq!(doc["betweenness"]["pivots"], 2);
    assert_eq!(
        doc,
        json(&wd, &["--at", BEFORE, "--pivots", "2", "--seed", "4"]),
        "the same seed, the same answer"
    );
    let text = brokers(&wd, &["--at", BEFORE, "--pivots", "2"], 0);
    assert!(text.contains("estimated from 2 pivots (seed 0), scaled as networkx's k sample"), "{text}");
    // As many pivots as nodes is the exact count.
    let all = json(&wd, &["--at", BEFORE, "--pivots", "5"]);
    assert_eq!(all["dates"][0]["exact"], true);
    assert_close(&values(&all), &[0.0, 1.0 / 6.0, 1.0 / 12.0, 1.0 / 6.0, 7.0 / 12.0]);
}

#[test]
fn pivots_too_few_are_refused() {
    let wd = workdir();
    let (_, err) = wd.run_code(&["brokers", "--at", BEFORE, "--pivots", "1"], 2);
    assert!(err.contains("--pivots 1 leaves the pivot's own betweenness undefined"), "{err}");
    brokers(&wd, &["--at", BEFORE, "--pivots", "1", "--endpoints"], 0);
    let (_, err) = wd.run_code(&["brokers", "--at", BEFORE, "--pivots", "0"], 2);
    assert!(err.contains("--pivots 0"), "{err}");
}

#[test]
fn a_day_without_ties_is_empty() {
    let wd = workdir();
    let out = wd.run(&["brokers", "--at", "2019-01-01"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("no broker"), "{}", stderr(&out));
    assert!(stdout(&out).contains("no tie of these kinds"), "{}", stdout(&out));
}

/// A series reads each day's cut from the index, and the whole dataset once without one:
/// the same answer.
#[test]
fn a_series_from_the_index_is_the_series_from_the_files() {
    let wd = workdir();
    let series = [
        "--from",
        "2024-12-01",
        "--to",
        AFTER,
        "--every",
        "1m",
        "--top",
        "0",
        "--format",
        "csv",
        "--out",
        "-",
    ];
    let from_files = brokers(&wd, &series, 0);
    wd.run_code(&["index"], 0);
    assert!(wd.exists("data/.georel-index"), "{:?}", wd.list("data"));
    assert_eq!(brokers(&wd, &series, 0), from_files);
    let rows = parse_csv(&from_files);
    assert_eq!(rows.iter().filter(|r| r["date"] == "2025-04-01" && r["actor"] == "N3").count(), 1);
}

/// The shipped data over 2025-09 to 2026-02, every kind: Denmark becomes a broker in
/// February 2026, when the Greenland dispute and the surveillance reports join it to the
/// rest (README's walkthrough).
#[test]
fn on_the_shipped_data_denmark_becomes_a_broker_in_february_2026() {
    let wd = Workdir::new();
    let data = crate::harness::shipped_data_dir();
    let out = wd.run(&[
        "--data",
        data.to_str().unwrap(),
        "brokers",
        "--from",
        "2025-09-01",
        "--to",
        "2026-02-01",
        "--every",
        "1m",
        "--top",
        "5",
        "--kinds",
        "cooperation,restriction,dispute,membership",
        "--format",
        "json",
        "--out",
        "-",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let last = doc["dates"].as_array().unwrap().last().unwrap();
    assert_eq!(last["date"], "2026-02-01");
    let entered: Vec<&str> =
        last["changes"]["entered"].as_array().unwrap().iter().map(|e| e["actor"].as_str().unwrap()).collect();
    assert!(entered.contains(&"DNK"), "{entered:?}");
    assert_eq!(last["brokers"][0]["actor"], "USA");
}

/// Country by country on the shipped data's 2026-02-01, the cooperation graph is a star of the
/// United States over Colombia, Denmark, India and Ukraine (the DNI–CIA and DDIS–NSA
/// cooperations rolled up into their countries), and Japan–South Korea apart: 7 countries, 5
/// ties. The United States lies between the 6 pairs of its four neighbours, of the 15 pairs of
/// the other six: 0.4. No agency is a node.
#[test]
fn by_country_agencies_roll_up_into_their_countries() {
    let wd = Workdir::new();
    let data = crate::harness::shipped_data_dir();
    let args = [
        "--data",
        data.to_str().unwrap(),
        "brokers",
        "--at",
        "2026-02-01",
        "--by-country",
        "--top",
        "0",
        "--format",
        "csv",
        "--out",
        "-",
    ];
    let out = wd.run(&args);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let rows = parse_csv(&stdout(&out));
    let actors: Vec<&str> = rows.iter().map(|r| r["actor"].as_str()).collect();
    assert_eq!(actors, ["USA", "COL", "DNK", "IND", "JPN", "KOR", "UKR"]);
    assert_eq!(rows[0]["betweenness"], "0.4");
    assert!(rows[1..].iter().all(|r| r["betweenness"] == "0"), "{rows:?}");
}
