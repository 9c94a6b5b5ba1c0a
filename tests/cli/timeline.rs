//! `georel timeline`: the dated record of one actor, or of a pair with its state over time as
//! periods (cooperating, restricted, disputed, contested, possibly), with the filters, the
//! formats (no DOT) and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`.

use std::collections::BTreeSet;

use crate::harness::{parse_csv, Workdir};

/// Runs `timeline` with `args`, asserts `code`, and returns stdout.
#[track_caller]
fn timeline(wd: &Workdir, args: &[&str], code: i32) -> String {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    wd.run_code(&all, code).0
}

/// The record as JSON (on stdout, exit 0).
#[track_caller]
fn json(wd: &Workdir, args: &[&str]) -> serde_json::Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    serde_json::from_str(&timeline(wd, &all, 0)).unwrap()
}

/// `from → until  state[ (possible)]  (relations)` for each period of a JSON record.
fn periods(record: &serde_json::Value) -> Vec<String> {
    record["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let ids: Vec<&str> =
                p["relations"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
            format!(
                "{} → {}  {}{}  ({})",
                p["from"].as_str().unwrap(),
                p["until"].as_str().unwrap_or("open"),
                p["state"].as_str().unwrap(),
                if p["certain"] == true { "" } else { " (possible)" },
                ids.join(", ")
            )
        })
        .collect()
}

/// `date event id` for each entry of a JSON record.
fn entries(record: &serde_json::Value) -> Vec<String> {
    record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["date"].as_str().unwrap(),
                e["event"].as_str().unwrap(),
                e["id"].as_str().unwrap()
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Golden files: the United States and Colombia, and Colombia alone
//
// By hand, USA–COL has three relations: USA-COL-COOP (start 2010), COL-USA-DISPUTE
// (2024-03-01 to 2024-05-01) and COL-USA-SUSPENSION (2025-06-01 to 2025-07-01); DNI-CIA-TIPS
// is between agencies, so not the pair's (actor by actor). Entries by date: the start of
// COOP (2010), the dispute's start and end, the suspension's start and end. Periods, cut at
// every bound (2010-01-01 possible from, 2011-01-01 active from, and the day dates):
//   2010-01-01 → 2011-01-01  cooperating (possible): a year start is possible that year
//   2011-01-01 → 2024-03-01  cooperating
//   2024-03-01 → 2024-05-01  cooperating+disputed: a dispute beside cooperation is no contest
//   2024-05-01 → 2025-06-01  cooperating
//   2025-06-01 → 2025-07-01  contested
//   2025-07-01 → open        cooperating

#[test]
fn golden_pair_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(timeline(&wd, &["USA", "COL"], 0));
}

#[test]
fn golden_pair_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(timeline(&wd, &["USA", "COL", "--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_pair_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(timeline(&wd, &["USA", "COL", "--format", "json", "--out", "-"], 0));
}

/// The same entries as the pair's (COL's only relations are with USA), and no periods.
#[test]
fn golden_actor_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(timeline(&wd, &["COL"], 0));
}

// ---------------------------------------------------------------------------------------
// A pair's state as periods

#[test]
fn pair_periods_have_state_labels() {
    let wd = Workdir::with_queries();
    let record = json(&wd, &["USA", "COL", "--exact"]);
    assert_eq!(record["actor"], "USA");
    assert_eq!(record["other"], "COL");
    // Worked out above the golden files (`--exact`: without DNI-CIA-TIPS).
    assert_eq!(
        periods(&record),
        [
            "2010-01-01 → 2011-01-01  cooperating (possible)  (USA-COL-COOP)",
            "2011-01-01 → 2024-03-01  cooperating  (USA-COL-COOP)",
            "2024-03-01 → 2024-05-01  cooperating+disputed  (USA-COL-COOP, COL-USA-DISPUTE)",
            "2024-05-01 → 2025-06-01  cooperating  (USA-COL-COOP)",
            "2025-06-01 → 2025-07-01  contested  (USA-COL-COOP, COL-USA-SUSPENSION)",
            "2025-07-01 → open  cooperating  (USA-COL-COOP)",
        ]
    );
    // The order of the two names does not change the periods.
    assert_eq!(periods(&json(&wd, &["COL", "USA", "--exact"])), periods(&record));
}

#[test]
fn a_partial_end_gives_a_possible_period_and_restricted_is_a_state() {
    let wd = Workdir::with_queries();
    // GBR–DEU themselves have only GBR-DEU-EMBARGO (2025-05-01 to 2025-10): active
    // until 09-30, possible in October, over from 11-01.
    assert_eq!(
        periods(&json(&wd, &["GBR", "DEU", "--exact"])),
        [
            "2025-05-01 → 2025-10-01  restricted  (GBR-DEU-EMBARGO)",
            "2025-10-01 → 2025-11-01  restricted (possible)  (GBR-DEU-EMBARGO)",
        ]
    );
    // The entries: its start, and its end written at its own precision.
    assert_eq!(
        entries(&json(&wd, &["GBR", "DEU", "--exact"])),
        ["2025-05-01 start GBR-DEU-EMBARGO", "2025-10 end GBR-DEU-EMBARGO"]
    );
}

#[test]
fn by_country_adds_the_agencies_relations_to_the_pair() {
    let wd = Workdir::with_queries();
    // GCHQ-BND-SIGINT (from 2020-01-01) is a GBR–DEU cooperation when rolled up, so the pair
    // is contested while the embargo holds, possibly so in October.
    assert_eq!(
        periods(&json(&wd, &["GBR", "DEU", "--by-country"])),
        [
            "2020-01-01 → 2025-05-01  cooperating  (GCHQ-BND-SIGINT)",
            "2025-05-01 → 2025-10-01  contested  (GCHQ-BND-SIGINT, GBR-DEU-EMBARGO)",
            "2025-10-01 → 2025-11-01  contested (possible)  (GCHQ-BND-SIGINT, GBR-DEU-EMBARGO)",
            "2025-11-01 → open  cooperating  (GCHQ-BND-SIGINT)",
        ]
    );
    // Agencies name their country: GCHQ and BND give the same pair.
    assert_eq!(json(&wd, &["GCHQ", "BND", "--by-country"]), json(&wd, &["GBR", "DEU", "--by-country"]));
    // USA–COL gains DNI-CIA-TIPS from 2025-01-01. It does not change the state (cooperating
    // already), but a period lists only relations that hold throughout it: a new period
    // begins. (Regression, issue 14: the period from 2024-05-01 ran on and listed the tips
    // before they started.)
    assert_eq!(
        periods(&json(&wd, &["USA", "COL", "--by-country"]))[3..],
        [
            "2024-05-01 → 2025-01-01  cooperating  (USA-COL-COOP)",
            "2025-01-01 → 2025-06-01  cooperating  (USA-COL-COOP, DNI-CIA-TIPS)",
            "2025-06-01 → 2025-07-01  contested  (USA-COL-COOP, COL-USA-SUSPENSION, DNI-CIA-TIPS)",
            "2025-07-01 → open  cooperating  (USA-COL-COOP, DNI-CIA-TIPS)",
        ]
    );
}

#[test]
fn strict_counts_only_active_days() {
    let wd = Workdir::with_queries();
    // The possible year 2010 goes; the rest is unchanged.
    let strict = periods(&json(&wd, &["USA", "COL", "--strict"]));
    assert_eq!(strict, periods(&json(&wd, &["USA", "COL"]))[1..]);
    // GBR–DEU by country: in October the embargo is only possible, so the pair is merely
    // cooperating from 10-01 on (one period, as 11-01 changes nothing then).
    assert_eq!(
        periods(&json(&wd, &["GBR", "DEU", "--by-country", "--strict"])),
        [
            "2020-01-01 → 2025-05-01  cooperating  (GCHQ-BND-SIGINT)",
            "2025-05-01 → 2025-10-01  contested  (GCHQ-BND-SIGINT, GBR-DEU-EMBARGO)",
            "2025-10-01 → open  cooperating  (GCHQ-BND-SIGINT)",
        ]
    );
    // Strict changes the periods, not the entries.
    assert_eq!(entries(&json(&wd, &["USA", "COL", "--strict"])), entries(&json(&wd, &["USA", "COL"])));
}

#[test]
fn kinds_selects_the_relations() {
    let wd = Workdir::with_queries();
    // Without the dispute, 2011 to the suspension is one cooperating period.
    assert_eq!(
        periods(&json(&wd, &["USA", "COL", "--kinds", "cooperation,restriction", "--exact"])),
        [
            "2010-01-01 → 2011-01-01  cooperating (possible)  (USA-COL-COOP)",
            "2011-01-01 → 2025-06-01  cooperating  (USA-COL-COOP)",
            "2025-06-01 → 2025-07-01  contested  (USA-COL-COOP, COL-USA-SUSPENSION)",
            "2025-07-01 → open  cooperating  (USA-COL-COOP)",
        ]
    );
    // Disputes only: the dispute's start and end, and one disputed period.
    let record = json(&wd, &["USA", "COL", "--kinds", "dispute"]);
    assert_eq!(entries(&record), ["2024-03-01 start COL-USA-DISPUTE", "2024-05-01 end COL-USA-DISPUTE"]);
    assert_eq!(periods(&record), ["2024-03-01 → 2024-05-01  disputed  (COL-USA-DISPUTE)"]);
}

// ---------------------------------------------------------------------------------------
// One actor

#[test]
fn one_actor_lists_every_start_and_end_in_order_without_periods() {
    let wd = Workdir::with_queries();
    let record = json(&wd, &["COL"]);
    assert_eq!(record["actor"], "COL");
    assert_eq!(record["other"], serde_json::Value::Null);
    assert_eq!(record["periods"], serde_json::json!([]));
    // COL's relations and its DNI's, by date: COOP (2010), the dispute, the DNI's tips, the
    // suspension.
    assert_eq!(
        entries(&record),
        [
            "2010 start USA-COL-COOP",
            "2024-03-01 start COL-USA-DISPUTE",
            "2024-05-01 end COL-USA-DISPUTE",
            "2025-01-01 start DNI-CIA-TIPS",
            "2025-06-01 start COL-USA-SUSPENSION",
            "2025-07-01 end COL-USA-SUSPENSION",
        ]
    );
    // `--exact`: COL's own only.
    assert_eq!(
        entries(&json(&wd, &["COL", "--exact"])),
        [
            "2010 start USA-COL-COOP",
            "2024-03-01 start COL-USA-DISPUTE",
            "2024-05-01 end COL-USA-DISPUTE",
            "2025-06-01 start COL-USA-SUSPENSION",
            "2025-07-01 end COL-USA-SUSPENSION",
        ]
    );
    // By country, COL also stands for DNI: DNI-CIA-TIPS (2025-01-01) joins, and DNI (an
    // agency) names its country.
    let by_country = json(&wd, &["DNI", "--by-country"]);
    assert_eq!(by_country["actor"], "COL");
    assert_eq!(
        entries(&by_country),
        [
            "2010 start USA-COL-COOP",
            "2024-03-01 start COL-USA-DISPUTE",
            "2024-05-01 end COL-USA-DISPUTE",
            "2025-01-01 start DNI-CIA-TIPS",
            "2025-06-01 start COL-USA-SUSPENSION",
            "2025-07-01 end COL-USA-SUSPENSION",
        ]
    );
}

#[test]
fn csv_names_the_counterpart_of_each_entry() {
    let wd = Workdir::with_queries();
    let rows = parse_csv(&timeline(&wd, &["COL", "--by-country", "--format", "csv", "--out", "-"], 0));
    let counterparts: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["id"].as_str(), r["counterpart"].as_str())).collect();
    // The other side of each relation, by country like the record: USA for COL's own, and
    // USA (the CIA's country) for DNI's tips too; the `target` column still says CIA.
    assert_eq!(
        counterparts,
        [
            ("USA-COL-COOP", "USA"),
            ("COL-USA-DISPUTE", "USA"),
            ("COL-USA-DISPUTE", "USA"),
            ("DNI-CIA-TIPS", "USA"),
            ("COL-USA-SUSPENSION", "USA"),
            ("COL-USA-SUSPENSION", "USA"),
        ]
    );
}

// ---------------------------------------------------------------------------------------
// Empty results and errors

#[test]
fn no_relation_exits_1() {
    let wd = Workdir::with_queries();
    // MI5 has no relation at all; COL and GBR have none between them.
    let (out, err) = wd.run_code(&["timeline", "MI5"], 1);
    assert_eq!(out, "timeline of Security Service (MI5): 0 entries, 0 relations\n");
    assert_eq!(err, "georel: no relation matches\n");
    let (out, err) = wd.run_code(&["timeline", "COL", "GBR"], 1);
    assert_eq!(out, "timeline of Colombia (COL) and United Kingdom (GBR): 0 entries, 0 relations\n");
    assert_eq!(err, "georel: no relation matches\n");
    // A kind filter can empty it too; the file is still written.
    let (out, _) = wd.run_code(&["timeline", "USA", "COL", "--kinds", "membership", "--format", "json"], 1);
    assert_eq!(out, "wrote output/timeline-USA-COL.json\n");
    let record: serde_json::Value = serde_json::from_str(&wd.read("output/timeline-USA-COL.json")).unwrap();
    assert_eq!(record["entries"], serde_json::json!([]));
    assert_eq!(record["periods"], serde_json::json!([]));
}

#[test]
fn a_pair_needs_two_different_actors() {
    let wd = Workdir::with_queries();
    // "us" is an alias of USA.
    let (out, err) = wd.run_code(&["timeline", "USA", "us"], 2);
    assert_eq!(out, "");
    assert_eq!(err, "georel: a pair needs two different actors, but both names give United States (USA)\n");
    // By country, two agencies of one country are the same actor.
    let (_, err) = wd.run_code(&["timeline", "CIA", "NSA", "--by-country"], 2);
    assert_eq!(err, "georel: a pair needs two different actors, but both names give United States (USA)\n");
}

#[test]
fn format_dot_is_rejected() {
    let wd = Workdir::with_queries();
    for args in [
        &["timeline", "USA", "--format", "dot"][..],
        &["timeline", "USA", "COL", "--format", "dot", "--out", "-"],
    ] {
        let (out, err) = wd.run_code(args, 2);
        assert_eq!(out, "");
        // The formats listed are the timeline's own.
        assert!(err.contains("invalid value 'dot' for '--format <FORMAT>'"), "{err}");
        assert!(err.contains("[possible values: text, csv, json, md, html, svg, png]"), "{err}");
    }
    assert_eq!(wd.list(""), ["data"], "nothing is written");
}

// ---------------------------------------------------------------------------------------
// Where results go

#[test]
fn files_are_named_after_the_actor_ids() {
    let wd = Workdir::with_queries();
    // Names by alias: "United States of America" is USA, "bogota" COL.
    let (out, _) = wd.run_code(&["timeline", "United States of America", "bogota", "--format", "json"], 0);
    assert_eq!(out, "wrote output/timeline-USA-COL.json\n");
    assert_eq!(
        wd.read("output/timeline-USA-COL.json"),
        timeline(&wd, &["USA", "COL", "--format", "json", "--out", "-"], 0)
    );
    let (out, _) = wd.run_code(&["timeline", "COL", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/timeline-COL.csv\n");
    // By country, an agency's file is named after its country.
    let (out, _) = wd.run_code(&["timeline", "DNI", "--by-country", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/timeline-COL.csv\n");
    // An existing folder, then a file.
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) = wd.run_code(&["timeline", "USA", "COL", "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/timeline-USA-COL.txt\n");
    assert_eq!(wd.read("exports/timeline-USA-COL.txt"), timeline(&wd, &["USA", "COL"], 0));
    let (out, _) = wd.run_code(&["timeline", "USA", "COL", "--format", "csv", "--out", "t/pair.csv"], 0);
    assert_eq!(out, "wrote t/pair.csv\n");
    assert_eq!(wd.list("output"), ["timeline-COL.csv", "timeline-USA-COL.json"]);
}

// ---------------------------------------------------------------------------------------
// What lies within (issue 14)

/// USA with CIA, FBI and NSA, NSA with TAO; GBR apart.
fn agencies() -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,name,kind,parent,aliases\nUSA,United States,country,,\nCIA,CIA,agency,USA,\nFBI,FBI,agency,USA,\n\
         NSA,NSA,agency,USA,\nTAO,TAO,agency,NSA,\nGBR,United Kingdom,country,,\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary\n\
         CIA-FBI,CIA,FBI,cooperation,2020,,,,\n\
         TAO-NSA,TAO,NSA,cooperation,2021,,,,\n\
         USA-NSA,USA,NSA,restriction,2022,,,,\n\
         CIA-TAO,CIA,TAO,cooperation,2023,,,,\n\
         GBR-TAO,GBR,TAO,dispute,2024,,,,\n\
         GBR-USA,GBR,USA,cooperation,2025,,,,\n",
    );
    wd
}

fn ids(record: &serde_json::Value) -> Vec<(&str, Vec<&str>, bool)> {
    record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let via = e["via"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
            (e["id"].as_str().unwrap(), via, e["inside"].as_bool().unwrap())
        })
        .collect()
}

#[test]
fn one_actor_holds_the_relations_of_what_lies_within_it_marked() {
    let wd = agencies();
    // Relations inside the US (CIA–FBI) are held, marked inside; TAO's dispute with the UK
    // comes through TAO.
    assert_eq!(
        ids(&json(&wd, &["USA"])),
        [
            ("CIA-FBI", vec![], true),
            ("TAO-NSA", vec![], true),
            ("USA-NSA", vec![], true),
            ("CIA-TAO", vec![], true),
            ("GBR-TAO", vec!["TAO"], false),
            ("GBR-USA", vec![], false),
        ]
    );
    let text = timeline(&wd, &["USA"], 0);
    assert!(
        text.contains("CIA-FBI  cooperation  CIA ↔ FBI  2020 → open  grade F6  (inside USA)\n"),
        "{text}"
    );
    assert!(
        text.contains("GBR-TAO  dispute  United Kingdom (GBR) ↔ TAO  2024 → open  grade F6  (via TAO)\n"),
        "{text}"
    );
    // --exact: the US's own.
    assert_eq!(
        ids(&json(&wd, &["USA", "--exact"])),
        [("USA-NSA", vec![], false), ("GBR-USA", vec![], false)]
    );
    let text = timeline(&wd, &["USA", "--exact"], 0);
    assert!(
        text.starts_with("timeline of United States (USA) (the actors themselves only): 2 entries"),
        "{text}"
    );
}

#[test]
fn a_pair_holds_every_relation_between_what_lies_within_each() {
    let wd = agencies();
    let record = json(&wd, &["GBR", "USA"]);
    assert_eq!(ids(&record), [("GBR-TAO", vec!["TAO"], false), ("GBR-USA", vec![], false)]);
    assert_eq!(record["exact"], false);
    assert_eq!(record["entries"][0]["counterpart"], "TAO");
    assert_eq!(ids(&json(&wd, &["GBR", "USA", "--exact"]))[..], [("GBR-USA", vec![], false)]);
    // Nested: the US and its NSA. The NSA's side is the NSA and TAO; the US's side is the
    // rest of the US. TAO–NSA lies on one side, CIA–FBI on the other: neither is the pair's.
    assert_eq!(
        ids(&json(&wd, &["USA", "NSA"])),
        [("USA-NSA", vec![], false), ("CIA-TAO", vec!["CIA", "TAO"], false)]
    );
    assert_eq!(ids(&json(&wd, &["NSA", "USA"])).len(), 2);
    assert_eq!(ids(&json(&wd, &["USA", "NSA", "--exact"])), [("USA-NSA", vec![], false)]);
}

/// A one-off (`2021` to `2021`) or an end period holding the start (`2021-03` to `2021`) is
/// listed starting before it ends; ends of other relations on the day still come first.
#[test]
fn a_relation_never_ends_before_it_starts_in_the_record() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end\n\
         OLD,BEL,FRA,cooperation,2019,2021\n\
         TIP,BEL,USA,cooperation,2021,2021\n\
         INSIDE,BEL,COL,cooperation,2021-03,2021\n",
    );
    let record = json(&wd, &["BEL"]);
    let entries: Vec<String> = record["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["date"].as_str().unwrap(),
                e["event"].as_str().unwrap(),
                e["id"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        entries,
        [
            "2019 start OLD",
            "2021 end OLD",
            "2021 start TIP",
            "2021 end TIP",
            "2021-03 start INSIDE",
            "2021 end INSIDE",
        ]
    );
}

/// The record of a pair holds what lies within it, so the count of what the grade filter
/// left out of it must too: it counted only the pair's own relations ("1 left out" where the
/// DNI–CIA claim was left out as well), for one actor as for a pair, in text and on stderr.
#[test]
fn the_left_out_by_grade_note_counts_what_lies_within_the_record() {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,name,kind,parent,aliases\n\
         COL,Colombia,country,,\n\
         DNI,DNI,agency,COL,\n\
         LEMUS,Jorge Lemus,person,DNI,\n\
         USA,United States,country,,\n\
         CIA,CIA,agency,USA,\n\
         VEN,Venezuela,country,,\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,claimant,credibility\n\
         OWN,COL,USA,cooperation,2020,,1\n\
         OWN-WEAK,COL,USA,restriction,2021,,5\n\
         AGENCY-WEAK,DNI,CIA,cooperation,2021,LEMUS,5\n\
         ELSEWHERE-WEAK,VEN,USA,dispute,2021,,5\n",
    );
    let args = ["timeline", "COL", "USA", "--min-credibility", "2"];
    let (out, _) = wd.run_code(&args, 0);
    assert!(out.starts_with("timeline of Colombia (COL) and United States (USA): 1 entry, 1 relation (2 left out by grade: below credibility 2)\n"), "{out}");
    let out = wd.run(&[&args[..], &["--format", "csv", "--out", "-"]].concat());
    assert_eq!(
        crate::harness::stderr(&out),
        "georel: timeline: (2 left out by grade: below credibility 2)\n"
    );
    // --exact: the pair's own relations only.
    let (out, _) = wd.run_code(&[&args[..], &["--exact"]].concat(), 0);
    assert!(out.contains("1 relation (1 left out by grade: below credibility 2)\n"), "{out}");
    // One actor: its own, its agencies', and the claims of its people are its record.
    let (out, _) = wd.run_code(&["timeline", "COL", "--min-credibility", "2"], 0);
    assert!(out.contains("1 relation (2 left out by grade: below credibility 2)\n"), "{out}");
    let (out, _) = wd.run_code(&["timeline", "DNI", "--min-credibility", "2"], 1);
    assert!(out.contains("0 relations (1 left out by grade: below credibility 2)\n"), "{out}");
}

/// `--by-country` merges each agency into its country before anything else, so the DNI–CIA
/// cooperation is Colombia–United States's own: `--by-country --exact` left it out (and out
/// of the pair's periods) as if the agencies still stood apart.
#[test]
fn by_country_exact_keeps_the_relations_merged_into_the_two_countries() {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,name,kind,parent,aliases\n\
         COL,Colombia,country,,\n\
         DNI,DNI,agency,COL,\n\
         USA,United States,country,,\n\
         CIA,CIA,agency,USA,\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start\n\
         OWN,COL,USA,restriction,2021-01-01\n\
         AGENCY,DNI,CIA,cooperation,2020-01-01\n",
    );
    let within =
        wd.run_code(&["timeline", "COL", "USA", "--by-country", "--format", "csv", "--out", "-"], 0).0;
    let exact = wd
        .run_code(&["timeline", "COL", "USA", "--by-country", "--exact", "--format", "csv", "--out", "-"], 0)
        .0;
    let ids: Vec<String> =
        parse_csv(&exact).iter().filter(|r| r["record"] == "relation").map(|r| r["id"].clone()).collect();
    assert_eq!(ids, ["AGENCY", "OWN"]);
    assert_eq!(exact, within);
}

// ---------------------------------------------------------------------------------------
// Dossiers (md, html), citations, wrapping and the CSV's state periods (issue 15)

/// `timeline` with `args` on the shipped data (exit 0), its stdout.
#[track_caller]
fn shipped(args: &[&str]) -> String {
    let data = crate::harness::shipped_data_dir();
    let mut all = vec!["--data", data.to_str().unwrap(), "timeline"];
    all.extend_from_slice(args);
    Workdir::new().run_code(&all, 0).0
}

/// Parses a dossier page as XML: it is written well-formed, so that this strict parser can
/// check it.
fn parse_html(html: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
    roxmltree::Document::parse_with_options(html, options)
        .unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

/// The shipped sources' titles by id, read from sources.csv (not through georel).
fn shipped_titles() -> std::collections::BTreeMap<String, String> {
    let text = std::fs::read_to_string(crate::harness::shipped_data_dir().join("sources.csv")).unwrap();
    parse_csv(&text).into_iter().map(|r| (r["id"].clone(), r["title"].clone())).collect()
}

/// The records the dossier tests look at: pairs, actors, a claimant, nested sides.
const RECORDS: [&[&str]; 7] =
    [&["COL", "USA"], &["DNI", "CIA"], &["DNK", "USA"], &["USA"], &["COL"], &["BENEDETTI"], &["NLD", "USA"]];

/// The numbers of the `[^n]` references in `text`, in order.
fn md_refs(text: &str) -> Vec<usize> {
    text.split("[^").skip(1).map(|rest| rest.split(']').next().unwrap().parse().unwrap()).collect()
}

#[test]
fn golden_dossier_md_on_the_shipped_data() {
    insta::assert_snapshot!(shipped(&["COL", "USA", "--format", "md", "--out", "-"]));
}

#[test]
fn golden_dossier_html_on_the_shipped_data_is_well_formed() {
    let html = shipped(&["DNI", "CIA", "--format", "html", "--out", "-"]);
    let doc = parse_html(&html);
    // Self-contained: nothing is fetched (no script, no external style sheet, no image).
    for node in doc.descendants().filter(|n| n.is_element()) {
        assert!(!["script", "link", "img", "iframe"].contains(&node.tag_name().name()), "{html}");
        assert!(node.attribute("src").is_none(), "{html}");
    }
    assert!(html.contains(
        "<h1>Timeline: National Intelligence Directorate (DNI) and Central Intelligence Agency</h1>"
    ));
    insta::assert_snapshot!(html);
}

/// Each entry cites, in order, exactly its relation's sources, each footnote is a source the
/// entries cite (numbered from 1 in order of first citation, once each), and each cited
/// source has its footnote: checked against the JSON record's evidence and sources.csv.
#[test]
fn every_cited_source_is_a_footnote_and_every_footnote_is_cited() {
    let titles = shipped_titles();
    for who in RECORDS {
        let args = |format: &'static str| [who, &["--format", format, "--out", "-"][..]].concat();
        let record: serde_json::Value = serde_json::from_str(&shipped(&args("json"))).unwrap();
        let entries = record["entries"].as_array().unwrap();
        let evidence: Vec<Vec<&str>> = entries
            .iter()
            .map(|e| e["evidence"].as_array().unwrap().iter().map(|s| s.as_str().unwrap()).collect())
            .collect();

        // Markdown.
        let md = shipped(&args("md"));
        let (body, notes) = md.split_once("\n## Sources\n").unwrap_or((&md, ""));
        let lines: Vec<&str> = body.lines().filter(|l| l.starts_with("- **")).collect();
        assert_eq!(lines.len(), entries.len(), "{who:?}: one line per entry\n{md}");
        let mut definitions: Vec<(usize, &str)> = Vec::new();
        for line in notes.lines().filter(|l| l.starts_with("[^")) {
            let (n, text) = line[2..].split_once("]: ").unwrap();
            definitions.push((n.parse().unwrap(), text));
        }
        let numbers: Vec<usize> = definitions.iter().map(|d| d.0).collect();
        assert_eq!(numbers, (1..=definitions.len()).collect::<Vec<_>>(), "{who:?}: numbered once each\n{md}");
        let mut first_cited: Vec<usize> = Vec::new();
        for (line, cited) in lines.iter().zip(&evidence) {
            let refs = md_refs(line);
            let sources: Vec<&str> = refs
                .iter()
                .map(|n| {
                    definitions
                        .iter()
                        .find(|d| d.0 == *n)
                        .unwrap_or_else(|| panic!("[^{n}] undefined\n{md}"))
                        .1
                })
                .collect();
            assert_eq!(sources.len(), cited.len(), "{who:?}: {line}");
            for (text, id) in sources.iter().zip(cited) {
                let title = &titles[*id];
                assert!(text.starts_with(&format!("“{title}”")), "{who:?}: {id} cited as {text}");
            }
            for n in refs {
                if !first_cited.contains(&n) {
                    first_cited.push(n);
                }
            }
        }
        assert_eq!(
            first_cited, numbers,
            "{who:?}: every footnote cited, numbered in order of citation\n{md}"
        );
        let distinct: BTreeSet<&str> = evidence.iter().flatten().copied().collect();
        assert_eq!(definitions.len(), distinct.len(), "{who:?}: each source once\n{md}");

        // HTML: each reference points at a footnote, and each footnote is referred to.
        let html = shipped(&args("html"));
        let doc = parse_html(&html);
        let refs: BTreeSet<String> = doc
            .descendants()
            .filter_map(|n| n.attribute("href"))
            .filter_map(|h| h.strip_prefix('#').map(str::to_string))
            .collect();
        let targets: Vec<String> = doc
            .descendants()
            .filter(|n| n.tag_name().name() == "li")
            .filter_map(|n| n.attribute("id").map(str::to_string))
            .collect();
        assert_eq!(targets.len(), distinct.len(), "{who:?}\n{html}");
        assert_eq!(refs, targets.iter().cloned().collect::<BTreeSet<_>>(), "{who:?}\n{html}");
    }
}

/// Text, Markdown and HTML escape the data: a title or a summary cannot format or break the
/// document, and only a web link is made a link.
#[test]
fn dossiers_escape_what_the_data_holds() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id,name,kind\nA,A *bold* <b>&co</b>,country\nB,B | pipe,country\n");
    wd.write(
        "data/sources.csv",
        "id,title,publisher,published,url,reliability\n\
         S1,\"Title [x](javascript:alert(1)) <script>\",Pub & Co,2025-01-02,javascript:alert(1),B\n\
         S2,Plain,Wire,2025-01,https://example.org/a?b=1&c=2,C\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,evidence,summary\n\
         R1,A,B,cooperation,2025-01-03,S1;S2,\"# not a heading\n- nor a list\"\n",
    );
    let md = wd.run_code(&["timeline", "A", "B", "--format", "md", "--out", "-"], 0).0;
    assert!(md.contains("A \\*bold\\* \\<b\\>\\&co\\</b\\> ↔ B \\| pipe"), "{md}");
    // A line break in the data is a space: what follows it starts no line.
    assert!(md.contains("  \\# not a heading - nor a list\n"), "{md}");
    assert!(md.contains("“Title \\[x\\](javascript:alert(1)) \\<script\\>”, Pub \\& Co"), "{md}");
    assert!(!md.contains("<javascript:"), "{md}");
    assert!(md.contains(", <https://example.org/a?b=1&c=2>\n"), "{md}");
    let html = wd.run_code(&["timeline", "A", "B", "--format", "html", "--out", "-"], 0).0;
    let doc = parse_html(&html);
    let links: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("href")).collect();
    assert_eq!(links, ["#source-1", "#source-2", "https://example.org/a?b=1&c=2"], "{html}");
    assert!(!doc.descendants().any(|n| n.tag_name().name() == "script" || n.tag_name().name() == "b"));
    assert!(html.contains("A *bold* &lt;b&gt;&amp;co&lt;/b&gt;"), "{html}");
}

/// The width of the widest of `lines`, each of which is at most 100 characters unless it is
/// one word (a link) that no wrapping can break.
#[track_caller]
fn widest_wrapped<'a>(what: &str, lines: impl Iterator<Item = &'a str>) -> usize {
    let mut widest = 0;
    for line in lines {
        let width = line.chars().count();
        widest = widest.max(width);
        assert!(width <= 100 || !line.trim().contains(' '), "{what}: {width} characters:\n{line}");
    }
    widest
}

/// Issue 15: timeline text ran to 245 characters. Every line of every shipped record is at
/// most 100 characters, but a word longer than that on a line of its own and the summary.
#[test]
fn timeline_text_lines_fit_in_100_columns() {
    let actors =
        parse_csv(&std::fs::read_to_string(crate::harness::shipped_data_dir().join("actors.csv")).unwrap());
    let relations = parse_csv(
        &std::fs::read_to_string(crate::harness::shipped_data_dir().join("relations.csv")).unwrap(),
    );
    let mut records: Vec<Vec<&str>> = actors.iter().map(|a| vec![a["id"].as_str()]).collect();
    records.extend(relations.iter().map(|r| vec![r["source"].as_str(), r["target"].as_str()]));
    let mut longest = 0;
    let data = crate::harness::shipped_data_dir();
    let wd = Workdir::new();
    for who in &records {
        // Some actors have no relation (exit 1): their summary line is checked too.
        let text = crate::harness::stdout(
            &wd.run(&[&["--data", data.to_str().unwrap(), "timeline"], &who[..]].concat()),
        );
        // The summary stays one line (the one-line summary every text output opens with).
        longest = longest.max(widest_wrapped(&format!("{who:?}"), text.lines().skip(1)));
    }
    assert!(longest > 90, "the lines are filled, not cut short: {longest}");
}

/// Issue 15: with their short citations, the text of path, neighbours, diff, fractures and
/// conflicts ran past 100 characters too. Their entry lines wrap as timeline's do; the
/// summary lines (the first, and each path's with --all) stay one line.
#[test]
fn query_text_lines_fit_in_100_columns() {
    let data = crate::harness::shipped_data_dir();
    let wd = Workdir::new();
    let mut longest = 0;
    for args in [
        &["path", "DDIS", "CIA", "--at", "2026-01-26"][..],
        &["path", "DDIS", "CIA", "--at", "2026-01-26", "--all", "--max-hops", "5"],
        &["neighbours", "COL", "--at", "2025-11-13", "--depth", "2"],
        &["diff", "--from", "2025-01-01", "--to", "2026-01-26"],
        &["fractures", "--from", "2019", "--to", "2026"],
        &["conflicts", "--at", "2025-11-13"],
        &["conflicts"],
    ] {
        let text = crate::harness::stdout(&wd.run(&[&["--data", data.to_str().unwrap()], args].concat()));
        assert!(text.lines().count() > 2, "{args:?}: an answer to wrap:\n{text}");
        let lines = text.lines().skip(1).filter(|l| !l.starts_with("path "));
        longest = longest.max(widest_wrapped(&format!("{args:?}"), lines));
    }
    assert!(longest > 90, "the lines are filled, not cut short: {longest}");
}

/// Issue 15: the CSV dropped the pair's state periods. They follow the entries, one row each,
/// and say what the JSON's periods say.
#[test]
fn the_csv_holds_the_pairs_state_periods() {
    let wd = Workdir::with_queries();
    let rows = parse_csv(&timeline(&wd, &["USA", "COL", "--format", "csv", "--out", "-"], 0));
    let (states, relations): (Vec<&crate::harness::Row>, Vec<_>) =
        rows.iter().partition(|r| r["record"] == "state");
    assert!(relations.iter().all(|r| r["record"] == "relation" && r["state"].is_empty()));
    let first_state = rows.iter().position(|r| r["record"] == "state").unwrap();
    assert_eq!(first_state, relations.len(), "states after the entries");
    let record = json(&wd, &["USA", "COL"]);
    let periods = record["periods"].as_array().unwrap();
    assert_eq!(states.len(), periods.len());
    for (row, p) in states.iter().zip(periods) {
        let ids: Vec<&str> = p["relations"].as_array().unwrap().iter().map(|r| r.as_str().unwrap()).collect();
        assert_eq!(row["date"], p["from"].as_str().unwrap());
        assert_eq!(row["start"], p["from"].as_str().unwrap());
        assert_eq!(row["end"], p["until"].as_str().unwrap_or(""));
        assert_eq!(row["state"], p["state"].as_str().unwrap());
        assert_eq!(row["certain"], p["certain"].to_string());
        assert_eq!(row["relations"], ids.join(";"));
        assert_eq!((row["source"].as_str(), row["target"].as_str()), ("USA", "COL"));
        assert!(row["id"].is_empty() && row["event"].is_empty());
    }
    // One actor's record has no periods, so no state rows.
    let rows = parse_csv(&timeline(&wd, &["USA", "--format", "csv", "--out", "-"], 0));
    assert!(rows.iter().all(|r| r["record"] == "relation"));
}

#[test]
fn md_and_html_are_written_to_files_named_after_the_ids() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["timeline", "USA", "COL", "--format", "md"], 0);
    assert_eq!(out, "wrote output/timeline-USA-COL.md\n");
    let (out, _) = wd.run_code(&["timeline", "USA", "--format", "html", "--out", "dossier.html"], 0);
    assert_eq!(out, "wrote dossier.html\n");
    assert!(wd.read("dossier.html").starts_with("<!DOCTYPE html>"));
}

/// Issue 17: an imported relation can rest on thousands of events, and the dossier gave each
/// its footnote. An entry cites at most five sources, says how many more there are, and the
/// dossier's source list holds only the cited ones (the rest are in sources.csv and JSON).
#[test]
fn dossier_entries_cite_at_most_five_sources() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id,name,kind\nA,A,country\nB,B,country\n");
    let mut sources = String::from("id,title,publisher,published,url,reliability\n");
    for i in 1..=8 {
        sources.push_str(&format!("S{i},Report {i},Wire,2025-01-0{i},https://example.org/{i},C\n"));
    }
    wd.write("data/sources.csv", sources);
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,evidence\nR1,A,B,cooperation,2025-01-03,S1;S2;S3;S4;S5;S6;S7;S8\n",
    );
    let md = wd.run_code(&["timeline", "A", "B", "--format", "md", "--out", "-"], 0).0;
    assert!(md.contains("[^1][^2][^3][^4][^5] and 3 more sources (relation `R1` in sources.csv)\n"), "{md}");
    assert!(md.contains("[^5]: “Report 5”"), "{md}");
    assert!(!md.contains("[^6]"), "{md}");
    let html = wd.run_code(&["timeline", "A", "B", "--format", "html", "--out", "-"], 0).0;
    let doc = parse_html(&html);
    let notes =
        doc.descendants().filter(|n| n.attribute("href").is_some_and(|h| h.starts_with("#source-"))).count();
    assert_eq!(notes, 5, "{html}");
    assert!(html.contains(">and 3 more sources (relation R1 in sources.csv)</span>"), "{html}");
}
