//! `georel conflicts`: contested pairs (a cooperation and a restriction holding together) on a
//! day with the competing claims and their sources, or every contested period; by country,
//! strict, formats (DOT only with `--at`) and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`. By hand,
//! the pairs with both a cooperation and a restriction:
//!
//! - COL–USA: USA-COL-COOP (from 2010) against COL-USA-SUSPENSION (2025-06-01 to 2025-07-01):
//!   contested exactly from 2025-06-01 until 2025-07-01. COL-USA-DISPUTE (2024) beside the
//!   cooperation is not a contest. By country DNI-CIA-TIPS is one more COL–USA cooperation.
//! - GBR–DEU, by country only: GCHQ-BND-SIGINT (from 2020-01-01) against GBR-DEU-EMBARGO
//!   (2025-05-01 to 2025-10): contested from 2025-05-01, possibly so in October 2025 (the
//!   partial end), over from 2025-11-01. Actor by actor, the agencies' cooperation and the
//!   countries' restriction are different pairs.
//!
//! No other pair has both kinds (CAN–USA and FRO–ISL have only restrictions).

use crate::harness::{parse_csv, stderr, stdout, Workdir};

const DAY: &str = "2025-06-15";

/// Runs `conflicts` with `args`, asserts `code`, and returns stdout.
#[track_caller]
fn conflicts(wd: &Workdir, args: &[&str], code: i32) -> String {
    let mut all = vec!["conflicts"];
    all.extend_from_slice(args);
    wd.run_code(&all, code).0
}

/// The result as JSON on stdout; an empty one (exit 1) is fine.
#[track_caller]
fn json(wd: &Workdir, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["conflicts"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    let out = wd.run(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "conflicts failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn ids(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|r| r.as_str().or_else(|| r["id"].as_str()).unwrap()).collect()
}

/// `a–b: cooperation ids / restriction ids` for each pair of a day's JSON.
fn pairs_on(doc: &serde_json::Value) -> Vec<String> {
    doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}–{}: {} / {}",
                p["a"].as_str().unwrap(),
                p["b"].as_str().unwrap(),
                ids(&p["cooperation"]).join(","),
                ids(&p["restriction"]).join(",")
            )
        })
        .collect()
}

/// `a–b from → until[ (possible)]: cooperation ids / restriction ids` for each period.
fn periods(doc: &serde_json::Value) -> Vec<String> {
    doc["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            format!(
                "{}–{} {} → {}{}: {} / {}",
                p["a"].as_str().unwrap(),
                p["b"].as_str().unwrap(),
                p["from"].as_str().unwrap(),
                p["until"].as_str().unwrap_or("open"),
                if p["certain"] == true { "" } else { " (possible)" },
                ids(&p["cooperation"]).join(","),
                ids(&p["restriction"]).join(",")
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Golden files: the main day, actor by actor
//
// By hand: one contested pair, COL–USA (COL sorts first), with USA-COL-COOP on the
// cooperation side and COL-USA-SUSPENSION on the restriction side, each with its summary and
// sources (RECORD; WIRE-1 and DAILY-1).

#[test]
fn golden_on_a_day_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--at", DAY], 0));
}

#[test]
fn golden_on_a_day_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--at", DAY, "--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_on_a_day_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--at", DAY, "--format", "json", "--out", "-"], 0));
}

/// Only the contested edges and their two ends are drawn.
#[test]
fn golden_on_a_day_dot() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--at", DAY, "--format", "dot", "--out", "-"], 0));
}

// Golden files: every contested period, by country
//
// By hand (module docs): DEU–GBR from 2025-05-01 until 2025-10-01, COL–USA from 2025-06-01
// until 2025-07-01 (cooperation COOP and TIPS), DEU–GBR possibly from 2025-10-01 until
// 2025-11-01; in order of their first day. The sources are those of the relations listed:
// DAILY-1, RECORD, WIRE-1.

#[test]
fn golden_periods_by_country_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--by-country"], 0));
}

#[test]
fn golden_periods_by_country_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--by-country", "--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_periods_by_country_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(conflicts(&wd, &["--by-country", "--format", "json", "--out", "-"], 0));
}

#[test]
fn the_dot_renders_with_graphviz() {
    let wd = Workdir::with_queries();
    for extra in [&[][..], &["--by-country"]] {
        let mut args = vec!["--at", DAY, "--format", "dot", "--out", "graph.dot"];
        args.extend_from_slice(extra);
        conflicts(&wd, &args, 0);
        wd.assert_renders("graph.dot", &format!("conflicts diagram ({extra:?})"));
    }
}

// ---------------------------------------------------------------------------------------
// On a day

#[test]
fn a_pair_is_contested_from_the_restrictions_first_day_until_its_end() {
    let wd = Workdir::with_queries();
    // COL-USA-SUSPENSION holds on [2025-06-01, 2025-07-01): its first and last days are
    // contested, the days either side are not.
    for day in ["2025-06-01", "2025-06-30"] {
        assert_eq!(
            pairs_on(&json(&wd, &["--at", day])),
            ["COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"],
            "on {day}"
        );
    }
    for day in ["2025-05-31", "2025-07-01"] {
        let (out, err) = wd.run_code(&["conflicts", "--at", day], 1);
        assert_eq!(out, format!("contested pairs on {day}: 0\n"));
        assert_eq!(err, format!("georel: no pair is contested on {day}\n"));
    }
}

#[test]
fn a_dispute_beside_cooperation_is_no_conflict() {
    let wd = Workdir::with_queries();
    // On 2024-04-01 COL–USA has the cooperation and COL-USA-DISPUTE: no contest.
    let (_, err) = wd.run_code(&["conflicts", "--at", "2024-04-01"], 1);
    assert_eq!(err, "georel: no pair is contested on 2024-04-01\n");
}

#[test]
fn by_country_finds_the_pair_contested_only_when_rolled_up() {
    let wd = Workdir::with_queries();
    // Actor by actor: COL–USA only.
    assert_eq!(pairs_on(&json(&wd, &["--at", DAY])), ["COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"]);
    // By country: COL–USA gains DNI-CIA-TIPS (a directed cooperation, an edge of its own),
    // and DEU–GBR appears (SIGINT between their agencies, the embargo between them). DEU
    // sorts before GBR, and COL before DEU.
    let doc = json(&wd, &["--at", DAY, "--by-country"]);
    assert_eq!(
        pairs_on(&doc),
        [
            "COL–USA: USA-COL-COOP,DNI-CIA-TIPS / COL-USA-SUSPENSION",
            "DEU–GBR: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
        ]
    );
    // The merged edges run between the countries and list their relations.
    let sigint = &doc["pairs"][1]["cooperation"][0];
    assert_eq!((sigint["source"].as_str(), sigint["target"].as_str()), (Some("DEU"), Some("GBR")));
    assert_eq!(sigint["relations"], serde_json::json!(["GCHQ-BND-SIGINT"]));
    assert_eq!(sigint["contested"], true);
}

#[test]
fn strict_ignores_a_restriction_that_is_only_possible() {
    let wd = Workdir::with_queries();
    // On 2025-10-15 the embargo (end 2025-10) is possible: by country it still contests
    // SIGINT; with --strict it does not count, and nothing is contested.
    let doc = json(&wd, &["--at", "2025-10-15", "--by-country"]);
    assert_eq!(pairs_on(&doc), ["DEU–GBR: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO"]);
    assert_eq!(doc["pairs"][0]["restriction"][0]["status"], "possible");
    let (out, err) = wd.run_code(&["conflicts", "--at", "2025-10-15", "--by-country", "--strict"], 1);
    assert_eq!(out, "contested pairs on 2025-10-15: 0\n");
    assert_eq!(err, "georel: no pair is contested on 2025-10-15\n");
}

#[test]
fn json_lists_the_sources_of_the_competing_claims() {
    let wd = Workdir::with_queries();
    let doc = json(&wd, &["--at", DAY]);
    assert_eq!(doc["at"], DAY);
    // COOP cites RECORD, the suspension WIRE-1 and DAILY-1; sorted by id.
    assert_eq!(ids(&doc["sources"]), ["DAILY-1", "RECORD", "WIRE-1"]);
    assert_eq!(doc["sources"][2]["url"], "https://example.org/wire-1");
    assert_eq!(doc["sources"][2]["reliability"], "B");
    // In CSV, each row carries its sources' titles.
    let rows = parse_csv(&conflicts(&wd, &["--at", DAY, "--format", "csv", "--out", "-"], 0));
    let sides: Vec<(&str, &str, &str)> =
        rows.iter().map(|r| (r["side"].as_str(), r["id"].as_str(), r["sources"].as_str())).collect();
    assert_eq!(
        sides,
        [
            ("cooperation", "USA-COL-COOP", "Public record"),
            ("restriction", "COL-USA-SUSPENSION", "First wire report | Daily column")
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Every contested period

#[test]
fn without_at_every_contested_period_is_listed() {
    let wd = Workdir::with_queries();
    // Actor by actor: COL–USA in June 2025 only.
    assert_eq!(
        periods(&json(&wd, &[])),
        ["COL–USA 2025-06-01 → 2025-07-01: USA-COL-COOP / COL-USA-SUSPENSION"]
    );
    assert_eq!(
        conflicts(&wd, &[], 0),
        "contested periods: 1 (from a day until, not including, the next)\n  \
         2025-06-01 → 2025-07-01  Colombia (COL) – United States (USA)\n      \
         cooperation: USA-COL-COOP\n      \
         restriction: COL-USA-SUSPENSION\n"
    );
    // By country: the three periods worked out in the module docs, by first day.
    assert_eq!(
        periods(&json(&wd, &["--by-country"])),
        [
            "DEU–GBR 2025-05-01 → 2025-10-01: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
            "COL–USA 2025-06-01 → 2025-07-01: USA-COL-COOP,DNI-CIA-TIPS / COL-USA-SUSPENSION",
            "DEU–GBR 2025-10-01 → 2025-11-01 (possible): GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
        ]
    );
    // Strict: the possible October is not contested.
    assert_eq!(
        periods(&json(&wd, &["--by-country", "--strict"])),
        [
            "DEU–GBR 2025-05-01 → 2025-10-01: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
            "COL–USA 2025-06-01 → 2025-07-01: USA-COL-COOP,DNI-CIA-TIPS / COL-USA-SUSPENSION",
        ]
    );
}

#[test]
fn no_contested_period_ever_exits_1() {
    let wd = Workdir::new();
    // A cooperation and a dispute on one pair, a restriction on another: never contested.
    wd.write(
        "data/relations.csv",
        "source,target,kind,start,end\nCOL,USA,cooperation,2010,\nCOL,USA,dispute,2024-03-01,2024-05-01\nCAN,USA,restriction,2025-05-20,\n",
    );
    let (out, err) = wd.run_code(&["conflicts"], 1);
    assert_eq!(out, "contested periods: 0 (from a day until, not including, the next)\n");
    assert_eq!(err, "georel: no pair was ever contested\n");
    // The file is still written.
    let (out, _) = wd.run_code(&["conflicts", "--format", "json"], 1);
    assert_eq!(out, "wrote output/conflicts.json\n");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&wd.read("output/conflicts.json")).unwrap(),
        serde_json::json!({"periods": [], "sources": []})
    );
}

// ---------------------------------------------------------------------------------------
// Formats and files

#[test]
fn format_dot_needs_at() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["conflicts", "--format", "dot"], 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "georel: --format dot is not available for conflicts without --at; add --at DATE for a diagram; \
         use text, csv or json\n"
    );
    assert_eq!(wd.list(""), ["data"], "nothing is written");
    // With --at, a diagram of the two contested edges only.
    let dot = conflicts(&wd, &["--at", DAY, "--format", "dot", "--out", "-"], 0);
    assert_eq!(dot.lines().filter(|l| l.contains(" -> ")).count(), 2, "{dot}");
    assert!(dot.contains("\\n2 actors, 2 relations (0 possible, 2 contested)\""), "{dot}");
}

#[test]
fn files_are_named_conflicts_or_conflicts_date() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["conflicts", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/conflicts.csv\n");
    let (out, _) = wd.run_code(&["conflicts", "--at", DAY, "--format", "dot"], 0);
    assert_eq!(out, "wrote output/conflicts-2025-06-15.dot\n");
    let (out, _) = wd.run_code(&["conflicts", "--at", "2025-06", "--format", "json"], 0);
    assert_eq!(out, "wrote output/conflicts-2025-06.json\n");
    assert_eq!(wd.read("output/conflicts.csv"), conflicts(&wd, &["--format", "csv", "--out", "-"], 0));
    // An existing folder, then a file.
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) = wd.run_code(&["conflicts", "--at", DAY, "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/conflicts-2025-06-15.txt\n");
    let (out, _) = wd.run_code(&["conflicts", "--out", "c/periods.json", "--format", "json"], 0);
    assert_eq!(out, "wrote c/periods.json\n");
    assert_eq!(wd.list("output"), ["conflicts-2025-06-15.dot", "conflicts-2025-06.json", "conflicts.csv"]);
}

/// A period's contests are its days': the June suspension contests the cooperation in May to
/// June, and nothing does in July, when the suspension is over.
#[test]
fn a_period_is_contested_when_one_of_its_days_is() {
    let wd = Workdir::with_queries();
    let june = json(&wd, &["--from", "2025-05", "--to", "2025-06"]);
    assert_eq!(
        (june["at"].as_str(), june["from"].as_str(), june["to"].as_str()),
        (Some("2025-05-01 to 2025-06-30"), Some("2025-05-01"), Some("2025-06-30"))
    );
    assert_eq!(pairs_on(&june), ["COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"]);
    assert_eq!(pairs_on(&json(&wd, &["--at", "2025"])), pairs_on(&json(&wd, &["--at", "2025-06"])));
    let (out, err) = wd.run_code(&["conflicts", "--at", "2025-07"], 1);
    assert!(
        out.starts_with("contested pairs in 2025-07 (at any time from 2025-07-01 to 2025-07-31): 0\n"),
        "{out}"
    );
    assert_eq!(err, "georel: no pair is contested in 2025-07 (at any time from 2025-07-01 to 2025-07-31)\n");
    // A day is as it was.
    assert!(conflicts(&wd, &["--at", DAY], 0).starts_with("contested pairs on 2025-06-15: 1\n"));
}

/// Issue 14: the restriction of a contested pair was written "COL — USA", its direction lost.
#[test]
fn text_shows_each_relation_in_its_own_direction() {
    let wd = Workdir::with_queries();
    let (text, _) = wd.run_code(&["conflicts", "--at", "2025-06-15"], 0);
    assert!(text.contains("     COL → USA  restriction active "), "{text}");
    assert!(text.contains("     USA — COL  cooperation active "), "{text}");
}
