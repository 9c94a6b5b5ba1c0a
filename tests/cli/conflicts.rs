//! `georel conflicts`: contests (a cooperation and a restriction covering it, holding
//! together) on a day with the competing claims and their sources, or every contested
//! period; by country, strict, formats (DOT only with `--at`) and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`. By hand,
//! the cooperations with a restriction covering them (between their ends, or between
//! countries they are within):
//!
//! - COL–USA: USA-COL-COOP (from 2010) against COL-USA-SUSPENSION (2025-06-01 to 2025-07-01):
//!   contested exactly from 2025-06-01 until 2025-07-01. COL-USA-DISPUTE (2024) beside the
//!   cooperation is not a contest.
//! - DNI → CIA: DNI-CIA-TIPS (directed) is covered by COL-USA-SUSPENSION (COL → USA): the
//!   same period. By country it is one more COL–USA cooperation.
//! - GCHQ–BND: GCHQ-BND-SIGINT (from 2020-01-01) against GBR-DEU-EMBARGO (2025-05-01 to
//!   2025-10), which covers the agencies: contested from 2025-05-01, possibly so in October
//!   2025 (the partial end), over from 2025-11-01. By country, DEU–GBR.
//!
//! No other cooperation is covered (CAN–USA and FRO–ISL have only restrictions).

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
// By hand: three contested pairs in id order, BND–GCHQ (SIGINT against the embargo),
// CIA–DNI (the tips against the suspension) and COL–USA (USA-COL-COOP against the
// suspension), each with its summary and sources (RECORD; WIRE-1 and DAILY-1).

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
    // contested, the days either side are not. It covers the DNI → CIA tips as well (the
    // DNI is within Colombia, the CIA within the United States).
    for day in ["2025-06-01", "2025-06-30"] {
        assert_eq!(
            pairs_on(&json(&wd, &["--at", day])),
            [
                "BND–GCHQ: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
                "CIA–DNI: DNI-CIA-TIPS / COL-USA-SUSPENSION",
                "COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"
            ],
            "on {day}"
        );
    }
    for day in ["2025-05-31", "2025-07-01"] {
        assert_eq!(
            pairs_on(&json(&wd, &["--at", day])),
            ["BND–GCHQ: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO"],
            "on {day}"
        );
    }
    let (out, err) = wd.run_code(&["conflicts", "--at", "2025-04-30"], 1);
    assert_eq!(out, "contested pairs on 2025-04-30: 0\n");
    assert_eq!(err, "georel: no pair is contested on 2025-04-30\n");
}

#[test]
fn a_dispute_beside_cooperation_is_no_conflict() {
    let wd = Workdir::with_queries();
    // On 2024-04-01 COL–USA has the cooperation and COL-USA-DISPUTE: no contest.
    let (_, err) = wd.run_code(&["conflicts", "--at", "2024-04-01"], 1);
    assert_eq!(err, "georel: no pair is contested on 2024-04-01\n");
}

#[test]
fn by_country_rolls_up_the_contests_found_actor_by_actor() {
    let wd = Workdir::with_queries();
    // Actor by actor: a country's restriction covers its agencies, so the agencies' SIGINT
    // and tips are contested beside the countries' own cooperation.
    assert_eq!(
        pairs_on(&json(&wd, &["--at", DAY])),
        [
            "BND–GCHQ: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
            "CIA–DNI: DNI-CIA-TIPS / COL-USA-SUSPENSION",
            "COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"
        ]
    );
    // By country, the same contests rolled up: COL–USA gains DNI-CIA-TIPS (a directed
    // cooperation, an edge of its own), and SIGINT joins DEU–GBR. DEU sorts before GBR, and
    // COL before DEU.
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
            ("cooperation", "GCHQ-BND-SIGINT", "Public record"),
            ("restriction", "GBR-DEU-EMBARGO", "First wire report"),
            ("cooperation", "DNI-CIA-TIPS", "Daily column"),
            ("restriction", "COL-USA-SUSPENSION", "First wire report | Daily column"),
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
    // Actor by actor: the agencies' cooperations under their countries' restrictions, and
    // COL–USA in June 2025.
    assert_eq!(
        periods(&json(&wd, &[])),
        [
            "BND–GCHQ 2025-05-01 → 2025-10-01: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
            "CIA–DNI 2025-06-01 → 2025-07-01: DNI-CIA-TIPS / COL-USA-SUSPENSION",
            "COL–USA 2025-06-01 → 2025-07-01: USA-COL-COOP / COL-USA-SUSPENSION",
            "BND–GCHQ 2025-10-01 → 2025-11-01 (possible): GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
        ]
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
        "georel: --format dot is not available for conflicts without --at or --from/--to; add --at DATE (or \
         --from D1 --to D2) for a diagram; use text, csv or json\n"
    );
    assert_eq!(wd.list(""), ["data"], "nothing is written");
    // With --at, a diagram of the contested edges only.
    let dot = conflicts(&wd, &["--at", DAY, "--format", "dot", "--out", "-"], 0);
    assert_eq!(dot.lines().filter(|l| l.contains(" -> ")).count(), 5, "{dot}");
    assert!(dot.contains("\\n8 actors, 5 relations (0 possible, 5 contested)\""), "{dot}");
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

/// A period's contests are its days': the June suspension contests the cooperations in May to
/// June (the embargo the agencies' SIGINT, until it ends in October), and nothing does in
/// November.
#[test]
fn a_period_is_contested_when_one_of_its_days_is() {
    let wd = Workdir::with_queries();
    let june = json(&wd, &["--from", "2025-05", "--to", "2025-06"]);
    assert_eq!(
        (june["at"].as_str(), june["from"].as_str(), june["to"].as_str()),
        (Some("2025-05-01 to 2025-06-30"), Some("2025-05-01"), Some("2025-06-30"))
    );
    assert_eq!(
        pairs_on(&june),
        [
            "BND–GCHQ: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO",
            "CIA–DNI: DNI-CIA-TIPS / COL-USA-SUSPENSION",
            "COL–USA: USA-COL-COOP / COL-USA-SUSPENSION"
        ]
    );
    assert_eq!(pairs_on(&json(&wd, &["--at", "2025"])), pairs_on(&json(&wd, &["--at", "2025-06"])));
    assert_eq!(pairs_on(&json(&wd, &["--at", "2025-07"])), ["BND–GCHQ: GCHQ-BND-SIGINT / GBR-DEU-EMBARGO"]);
    let (out, err) = wd.run_code(&["conflicts", "--at", "2025-11"], 1);
    assert!(
        out.starts_with("contested pairs in 2025-11 (at any time from 2025-11-01 to 2025-11-30): 0\n"),
        "{out}"
    );
    assert_eq!(err, "georel: no pair is contested in 2025-11 (at any time from 2025-11-01 to 2025-11-30)\n");
    // A day is as it was.
    assert!(conflicts(&wd, &["--at", DAY], 0).starts_with("contested pairs on 2025-06-15: 3\n"));
}

/// Issue 14: the restriction of a contested pair was written "COL — USA", its direction lost.
#[test]
fn text_shows_each_relation_in_its_own_direction() {
    let wd = Workdir::with_queries();
    let (text, _) = wd.run_code(&["conflicts", "--at", "2025-06-15"], 0);
    assert!(text.contains("     COL → USA  restriction active "), "{text}");
    assert!(text.contains("     USA — COL  cooperation active "), "{text}");
}

// ---------------------------------------------------------------------------------------
// The covering rule (issue 14, section 1)

/// The Netherlands and the United States cooperate; the AIVD (within the Netherlands)
/// restricts sharing with the United States; the AIVD also works with the CIA.
fn aivd() -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,kind,parent\nNLD,country,\nAIVD,agency,NLD\nUSA,country,\nCIA,agency,USA\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\n\
         NLD-USA-COOP,NLD,USA,cooperation,2020-01-01\n\
         AIVD-USA-HOLD,AIVD,USA,restriction,2021-01-01\n\
         AIVD-CIA-WORK,AIVD,CIA,cooperation,2022-01-01\n",
    );
    wd
}

/// `id → contested` of a snapshot's edges CSV.
fn contested_edges(wd: &Workdir, day: &str, extra: &[&str]) -> Vec<(String, String)> {
    let mut args = vec!["snapshot", "--at", day, "--format", "edges-csv", "--out", "-"];
    args.extend_from_slice(extra);
    let (out, _) = wd.run_code(&args, 0);
    parse_csv(&out).into_iter().map(|r| (r["id"].clone(), r["contested"].clone())).collect()
}

#[test]
fn a_restriction_narrower_than_the_cooperation_does_not_contest_it() {
    let wd = aivd();
    // 2021-06-01: the AIVD holds back while the countries cooperate: a part may hold back
    // while the whole cooperates. Rolled up, the two merge into NLD–USA, and still no contest.
    for extra in [&[][..], &["--by-country"]] {
        let mut args = vec!["conflicts", "--at", "2021-06-01"];
        args.extend_from_slice(extra);
        let (out, err) = wd.run_code(&args, 1);
        assert_eq!(out, "contested pairs on 2021-06-01: 0\n", "{extra:?}");
        assert_eq!(err, "georel: no pair is contested on 2021-06-01\n");
    }
    assert_eq!(
        contested_edges(&wd, "2021-06-01", &[]),
        [("AIVD-USA-HOLD".into(), "false".into()), ("NLD-USA-COOP".into(), "false".into())]
    );
    // 2022-06-01: the restriction covers the AIVD's work with the CIA (within the United
    // States): that cooperation and the restriction are contested, the countries' is not. The
    // same with the index (a snapshot streamed actor by actor).
    let expected = [
        ("AIVD-USA-HOLD".to_string(), "true".to_string()),
        ("AIVD-CIA-WORK".into(), "true".into()),
        ("NLD-USA-COOP".into(), "false".into()),
    ];
    let sorted = |mut v: Vec<(String, String)>| {
        v.sort();
        v
    };
    assert_eq!(sorted(contested_edges(&wd, "2022-06-01", &[])), sorted(expected.to_vec()));
    wd.run_code(&["index"], 0);
    assert_eq!(sorted(contested_edges(&wd, "2022-06-01", &[])), sorted(expected.to_vec()));
    assert_eq!(pairs_on(&json(&wd, &["--at", "2022-06-01"])), ["AIVD–CIA: AIVD-CIA-WORK / AIVD-USA-HOLD"]);
    // Rolled up, the same contest on NLD–USA: the merged cooperation edge (both mutual
    // cooperations, one edge) and the restriction.
    let doc = json(&wd, &["--at", "2022-06-01", "--by-country"]);
    assert_eq!(pairs_on(&doc), ["NLD–USA: NLD/USA/cooperation / AIVD-USA-HOLD"]);
    assert_eq!(
        doc["pairs"][0]["cooperation"][0]["relations"],
        serde_json::json!(["NLD-USA-COOP", "AIVD-CIA-WORK"])
    );
    // Over all time: one period, from the first common day.
    assert_eq!(periods(&json(&wd, &[])), ["AIVD–CIA 2022-01-01 → open: AIVD-CIA-WORK / AIVD-USA-HOLD"]);
}

#[test]
fn a_directed_restriction_covers_one_way_and_a_mutual_one_both() {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,kind,parent\nCOL,country,\nDNI,agency,COL\nUSA,country,\nCIA,agency,USA\n",
    );
    // A one-way CIA → DNI cooperation is not what COL → USA restricts.
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,directed\n\
         CIA-DNI-TIPS,CIA,DNI,cooperation,2020-01-01,true\n\
         COL-USA-ORDER,COL,USA,restriction,2021-01-01,true\n",
    );
    wd.run_code(&["conflicts", "--at", "2021-06-01"], 1);
    // Mutual, it covers both ways.
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,directed\n\
         CIA-DNI-TIPS,CIA,DNI,cooperation,2020-01-01,true\n\
         COL-USA-ORDER,COL,USA,restriction,2021-01-01,false\n",
    );
    assert_eq!(pairs_on(&json(&wd, &["--at", "2021-06-01"])), ["CIA–DNI: CIA-DNI-TIPS / COL-USA-ORDER"]);
}
