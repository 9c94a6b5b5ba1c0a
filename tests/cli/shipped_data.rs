//! The curated dataset in `data/`: it passes `check`, the Colombia–United States sequence it
//! was built to show comes out of `snapshot` and `conflicts`, and the queries find the paths
//! and fractures its sources describe (DDIS to the CIA through the NSA rather than over the
//! Greenland dispute, the UK's
//! pause inside the Five Eyes, the Dutch restrictions inside NATO). These tests pin behaviour
//! (what holds and is contested on which day), not the whole file, so that curators can add
//! rows.

use std::collections::BTreeSet;

use crate::harness::{
    assert_exit, assert_success, parse_csv, shipped_data_dir, stderr, stdout, Row, Workdir,
};

fn data_arg() -> String {
    shipped_data_dir().to_str().unwrap().to_string()
}

/// The relations of the shipped dataset on `date`, from `snapshot --format edges-csv --out -`
/// (run in a temporary directory, so that nothing is written into the repository).
#[track_caller]
fn edges_on(date: &str) -> Vec<Row> {
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&["--data", &data, "snapshot", "--at", date, "--format", "edges-csv", "--out", "-"]);
    assert_success(&out);
    parse_csv(&stdout(&out))
}

/// The relations between Colombia and the United States (either direction).
fn col_usa(edges: &[Row]) -> Vec<&Row> {
    edges
        .iter()
        .filter(|r| {
            let (s, t) = (r["source"].as_str(), r["target"].as_str());
            (s, t) == ("COL", "USA") || (s, t) == ("USA", "COL")
        })
        .collect()
}

fn find<'a>(edges: &'a [Row], id: &str) -> Option<&'a Row> {
    edges.iter().find(|r| r["id"] == id)
}

/// Every day from `from` to `to`, both included.
fn days(from: &str, to: &str) -> Vec<String> {
    let (from, to): (jiff::civil::Date, jiff::civil::Date) = (from.parse().unwrap(), to.parse().unwrap());
    let mut out = Vec::new();
    let mut d = from;
    while d <= to {
        out.push(d.to_string());
        d = d.tomorrow().unwrap();
    }
    out
}

#[test]
fn the_shipped_data_passes_check() {
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&["--data", &data, "check"]);
    assert_success(&out);
    assert_eq!(stderr(&out), "");
    let line = stdout(&out);
    let summary =
        line.strip_prefix(&format!("{data}: ok: ")).unwrap_or_else(|| panic!("unexpected summary: {line}"));
    // "N actors, N relations, N sources; dates A to B"
    let counts: Vec<u32> = summary
        .split([',', ';'])
        .take(3)
        .map(|part| part.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert!(counts.iter().all(|&n| n > 0), "{line}");
    assert!(summary.contains("; dates "), "{line}");
    assert_eq!(line.lines().count(), 1);
}

#[test]
fn colombia_us_is_not_contested_before_the_suspension() {
    let edges = edges_on("2025-11-10");
    let pair = col_usa(&edges);
    assert!(
        pair.iter().any(|r| r["id"] == "COL-USA-PLAN-COLOMBIA" && r["kind"] == "cooperation"),
        "the long-standing cooperation holds"
    );
    assert!(find(&edges, "COL-USA-SUSPENSION").is_none());
    for r in pair {
        assert_eq!(r["contested"], "false", "{} on 2025-11-10", r["id"]);
    }
}

#[test]
fn colombia_us_is_contested_from_the_suspension_on() {
    for day in days("2025-11-11", "2025-12-01") {
        let edges = edges_on(&day);
        let suspension =
            find(&edges, "COL-USA-SUSPENSION").unwrap_or_else(|| panic!("the suspension holds on {day}"));
        assert_eq!(suspension["kind"], "restriction");
        assert_eq!((suspension["source"].as_str(), suspension["target"].as_str()), ("COL", "USA"));
        let pair = col_usa(&edges);
        assert!(pair.iter().any(|r| r["kind"] == "cooperation"), "a cooperation stands against it on {day}");
        for r in pair {
            // Every cooperation and the suspension are contested; a dispute never is.
            let contested = if r["kind"] == "dispute" { "false" } else { "true" };
            assert_eq!(r["contested"], contested, "{} on {day}", r["id"]);
        }
    }
}

#[test]
fn the_benedetti_cooperation_appears_on_2025_11_13() {
    assert!(find(&edges_on("2025-11-12"), "COL-USA-BENEDETTI").is_none());
    let edges = edges_on("2025-11-13");
    let r = find(&edges, "COL-USA-BENEDETTI").expect("present on 2025-11-13");
    assert_eq!(r["kind"], "cooperation");
    assert_eq!(r["status"], "active");
    assert_eq!(r["contested"], "true");
}

#[test]
fn the_dni_cia_cooperation_appears_on_2025_12_01() {
    assert!(find(&edges_on("2025-11-30"), "DNI-CIA-LEMUS").is_none());
    let edges = edges_on("2025-12-01");
    let r = find(&edges, "DNI-CIA-LEMUS").expect("present on 2025-12-01");
    assert_eq!(
        (r["source"].as_str(), r["target"].as_str(), r["kind"].as_str()),
        ("DNI", "CIA", "cooperation")
    );
    assert_eq!(r["status"], "active");
}

#[test]
fn the_sanctions_dated_to_a_month_are_possible_in_it_then_active() {
    let id = "USA-PETRO-SANCTIONS";
    let october = edges_on("2025-10-20");
    let r = find(&october, id).expect("holds, possibly, on 2025-10-20");
    assert_eq!(r["start"], "2025-10");
    assert_eq!(r["status"], "possible");
    let november = edges_on("2025-11-01");
    assert_eq!(find(&november, id).expect("holds on 2025-11-01")["status"], "active");
    assert!(find(&edges_on("2025-09-30"), id).is_none());
}

#[test]
fn the_uk_pause_holds_from_2025_11_12() {
    let id = "GBR-USA-CARIBBEAN-PAUSE";
    assert!(find(&edges_on("2025-11-11"), id).is_none());
    for day in ["2025-11-12", "2025-11-13", "2025-12-01"] {
        let edges = edges_on(day);
        let r = find(&edges, id).unwrap_or_else(|| panic!("holds on {day}"));
        assert_eq!(
            (r["source"].as_str(), r["target"].as_str(), r["kind"].as_str()),
            ("GBR", "USA", "restriction")
        );
        assert_eq!(r["status"], "active");
    }
}

// ---------------------------------------------------------------------------------------
// The query commands on the shipped data

/// Runs a query on the shipped data with `--format json --out -` (in a temporary directory)
/// and returns its JSON; an empty result (exit 1) is fine.
#[track_caller]
fn query_json(args: &[&str]) -> serde_json::Value {
    let wd = Workdir::new();
    let data = data_arg();
    let mut all = vec!["--data", data.as_str()];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    let out = wd.run(&all);
    assert!(matches!(out.status.code(), Some(0 | 1)), "{args:?} failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

fn strs(list: &serde_json::Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect()
}

/// Issue 14: among the 3-hop paths from DDIS to the CIA, `path` took the one over the
/// Greenland dispute (DNK before NSA by id); it prefers the one with no strained hop, the
/// DDIS–NSA cooperation.
#[test]
fn ddis_reaches_the_cia_through_the_nsa_rather_than_over_the_greenland_dispute() {
    let path = query_json(&["path", "DDIS", "CIA", "--at", "2026-01-26"]);
    assert_eq!(strs(&path["actors"]), ["DDIS", "NSA", "USA", "CIA"]);
    assert_eq!(path["strained"], serde_json::json!([]));
    // The path over the dispute is still there, after it, with its strained hop.
    let all = query_json(&["path", "DDIS", "CIA", "--at", "2026-01-26", "--all", "--max-hops", "3"]);
    let all = all.as_array().unwrap();
    assert_eq!(all[0], path);
    let greenland = all
        .iter()
        .find(|p| strs(&p["actors"]) == ["DDIS", "DNK", "USA", "CIA"])
        .unwrap_or_else(|| panic!("the path through Denmark: {all:?}"));
    assert_eq!(greenland["strained"], serde_json::json!([2]));
    assert!(greenland["relations"].as_array().unwrap().iter().any(|r| r["id"] == "DNK-USA-GREENLAND"));
}

#[test]
fn by_country_ddis_to_the_cia_is_denmark_to_the_united_states_in_one_hop() {
    let path = query_json(&["path", "DDIS", "CIA", "--at", "2026-01-26", "--by-country"]);
    assert_eq!((path["from"].as_str(), path["to"].as_str()), (Some("DNK"), Some("USA")));
    assert_eq!(path["hops"], 1);
    assert_eq!(strs(&path["actors"]), ["DNK", "USA"]);
    // The hop merges every DNK–USA relation, the Greenland dispute among them: strained.
    assert_eq!(path["strained"], serde_json::json!([1]));
    assert!(path["relations"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| strs(&r["relations"]).contains(&"DNK-USA-GREENLAND")));
}

/// The contested pairs on a day, as `A–B`.
fn contested_on(day: &str) -> Vec<String> {
    let doc = query_json(&["conflicts", "--at", day]);
    doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{}–{}", p["a"].as_str().unwrap(), p["b"].as_str().unwrap()))
        .collect()
}

#[test]
fn conflicts_lists_colombia_us_from_the_suspension_on() {
    for day in ["2025-11-11", "2025-11-20", "2025-12-01"] {
        let pairs = contested_on(day);
        assert!(pairs.contains(&"COL–USA".to_string()), "COL–USA on {day}: {pairs:?}");
    }
    // The day before Petro's order the cooperation stands alone.
    assert!(!contested_on("2025-11-10").contains(&"COL–USA".to_string()));
    // On 2025-11-11 the restriction side is the suspension.
    let doc = query_json(&["conflicts", "--at", "2025-11-11"]);
    let pair = doc["pairs"].as_array().unwrap().iter().find(|p| p["a"] == "COL" && p["b"] == "USA").unwrap();
    let restrictions: Vec<&str> =
        pair["restriction"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(restrictions, ["COL-USA-SUSPENSION"]);
}

#[test]
fn conflicts_without_a_date_has_a_colombia_us_period_from_2025_11_11() {
    let doc = query_json(&["conflicts"]);
    let period = doc["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "COL" && p["b"] == "USA")
        .unwrap_or_else(|| panic!("a COL–USA period: {doc}"));
    assert_eq!(period["from"], "2025-11-11");
    assert_eq!(period["certain"], true);
    assert!(strs(&period["restriction"]).contains(&"COL-USA-SUSPENSION"));
    assert!(strs(&period["cooperation"]).contains(&"COL-USA-PLAN-COLOMBIA"));
    // A new period begins when Benedetti's claim joins, on 2025-11-13; the last is open.
    assert_eq!(period["until"], "2025-11-13");
    let last = doc["periods"].as_array().unwrap().iter().rfind(|p| p["a"] == "COL" && p["b"] == "USA");
    assert_eq!(last.unwrap()["until"], serde_json::Value::Null, "still contested");
}

/// Each relation of the shipped data: its start's first day and the day after its end (or
/// `None`), as `YYYY-MM-DD` text (which sorts as the days do).
fn bounds_of_relations() -> std::collections::HashMap<String, (String, Option<String>)> {
    let first = |d: &str| match d.len() {
        4 => format!("{d}-01-01"),
        7 => format!("{d}-01"),
        _ => d.to_string(),
    };
    let after = |d: &str| {
        let day: jiff::civil::Date = first(d).parse().unwrap();
        let next = match d.len() {
            4 => day.checked_add(jiff::Span::new().years(1)).unwrap(),
            7 => day.checked_add(jiff::Span::new().months(1)).unwrap(),
            _ => day,
        };
        next.to_string()
    };
    let text = std::fs::read_to_string(shipped_data_dir().join("relations.csv")).unwrap();
    parse_csv(&text)
        .into_iter()
        .map(|r| {
            let end = (!r["end"].is_empty()).then(|| after(&r["end"]));
            (r["id"].clone(), (first(&r["start"]), end))
        })
        .collect()
}

/// Regression (issue 14, section 7): a period's relations were every relation holding at some
/// time in it, since periods of the same state were merged, so `timeline KOR JPN` listed
/// JPN-KOR-CHIEFS-2021 in a period from 2019-12-01, and `conflicts` COL-USA-BENEDETTI in one
/// from 2025-11-11. Every relation listed in a period now holds from its first day to its
/// last.
#[test]
fn no_relation_is_listed_in_a_period_before_it_started_or_after_it_ended() {
    let bounds = bounds_of_relations();
    let check = |what: &str, from: &str, until: Option<&str>, ids: Vec<&str>| {
        for id in ids {
            let (start, end) = &bounds[id];
            assert!(start.as_str() <= from, "{what}: {id} (from {start}) listed in a period from {from}");
            if let Some(end) = end {
                assert!(
                    until.is_some_and(|u| u <= end.as_str()),
                    "{what}: {id} (over on {end}) listed in a period until {until:?}"
                );
            }
        }
    };
    let mut seen = 0;
    for (a, b) in [("KOR", "JPN"), ("COL", "USA"), ("DNK", "USA")] {
        let doc = query_json(&["timeline", a, b]);
        for p in doc["periods"].as_array().unwrap() {
            check(
                &format!("timeline {a} {b}"),
                p["from"].as_str().unwrap(),
                p["until"].as_str(),
                strs(&p["relations"]),
            );
            seen += 1;
        }
    }
    let doc = query_json(&["conflicts"]);
    for p in doc["periods"].as_array().unwrap() {
        let ids = strs(&p["cooperation"]).into_iter().chain(strs(&p["restriction"])).collect();
        check("conflicts", p["from"].as_str().unwrap(), p["until"].as_str(), ids);
        seen += 1;
    }
    assert!(seen > 10, "{seen} periods checked");
}

/// `(relation id, source member, target member)` of each fracture.
fn fractures_of(doc: &serde_json::Value) -> Vec<(&str, &str, &str)> {
    doc["fractures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap(),
                f["source_member"].as_str().unwrap(),
                f["target_member"].as_str().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_uk_pause_is_a_five_eyes_fracture() {
    let doc = query_json(&["fractures", "--at", "2025-11-20", "--group", "FIVE_EYES"]);
    assert_eq!(doc["group"], "FIVE_EYES");
    assert!(fractures_of(&doc).contains(&("GBR-USA-CARIBBEAN-PAUSE", "GBR", "USA")), "{doc}");
}

#[test]
fn greenland_and_the_dutch_restrictions_are_nato_fractures() {
    let doc = query_json(&["fractures", "--at", "2026-01-26", "--group", "NATO"]);
    let found = fractures_of(&doc);
    assert!(found.contains(&("DNK-USA-GREENLAND", "DNK", "USA")), "{found:?}");
    // The Dutch agencies' restrictions count for the Netherlands, a NATO member.
    assert!(found.contains(&("AIVD-USA-RESTRICTION", "NLD", "USA")), "{found:?}");
    assert!(found.contains(&("MIVD-USA-RESTRICTION", "NLD", "USA")), "{found:?}");
    let aivd =
        doc["fractures"].as_array().unwrap().iter().find(|f| f["id"] == "AIVD-USA-RESTRICTION").unwrap();
    assert_eq!(aivd["source"], "AIVD");
}

#[test]
fn the_five_eyes_neighbourhood_diagram_renders() {
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&[
        "--data",
        &data,
        "neighbours",
        "FIVE_EYES",
        "--at",
        "2025-11-20",
        "--depth",
        "2",
        "--format",
        "dot",
        "--out",
        "five-eyes.dot",
    ]);
    assert_success(&out);
    assert_eq!(stdout(&out), "wrote five-eyes.dot\n");
    let svg = wd.assert_renders("five-eyes.dot", "Five Eyes neighbourhood");
    assert!(svg.contains("<svg") && svg.contains("Five Eyes"), "an SVG of the neighbourhood is written");
}

/// Issue 14: the Colombia–United States record left out the DNI–CIA claim and the White
/// House's sanctions on Petro. They lie within the pair, and each names its real ends.
#[test]
fn the_colombia_us_timeline_holds_what_lies_within_the_two() {
    let ids = |record: &serde_json::Value| -> Vec<String> {
        record["entries"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
    };
    let record = query_json(&["timeline", "COL", "USA"]);
    let within = ids(&record);
    for id in ["DNI-CIA-LEMUS", "USA-PETRO-SANCTIONS", "COL-USA-SUSPENSION", "COL-USA-PLAN-COLOMBIA"] {
        assert!(within.iter().any(|i| i == id), "{id} in {within:?}");
    }
    let sanctions =
        record["entries"].as_array().unwrap().iter().find(|e| e["id"] == "USA-PETRO-SANCTIONS").unwrap();
    assert_eq!((&sanctions["source"], &sanctions["target"]), (&"WHITE_HOUSE".into(), &"PETRO".into()));
    assert_eq!(strs(&sanctions["via"]), ["PETRO", "WHITE_HOUSE"]);
    assert_eq!(sanctions["counterpart"], "WHITE_HOUSE");
    let exact = ids(&query_json(&["timeline", "COL", "USA", "--exact"]));
    assert!(!exact.iter().any(|i| i == "DNI-CIA-LEMUS" || i == "USA-PETRO-SANCTIONS"), "{exact:?}");
    assert!(exact.iter().any(|i| i == "COL-USA-SUSPENSION"), "{exact:?}");
    // In text, the line names the real ends and what they stand in for.
    let wd = Workdir::new();
    let out = wd.run(&["--data", &data_arg(), "timeline", "COL", "USA"]);
    assert_success(&out);
    let text = stdout(&out);
    assert!(
        text.contains(
            "USA-PETRO-SANCTIONS  dispute  White House (WHITE_HOUSE) → Gustavo Petro (PETRO)\n\
             \x20                    2025-10 → open  [intelNews.org (Joseph Fitsanakis), 2025-12-01 (B)]  grade B2\n\
             \x20                    claimed by White House (WHITE_HOUSE)  (via PETRO and WHITE_HOUSE)\n"
        ),
        "{text}"
    );
}

/// The rows of a shipped CSV file, keyed by its header.
fn shipped_rows(file: &str) -> Vec<Row> {
    parse_csv(&std::fs::read_to_string(shipped_data_dir().join(file)).unwrap())
}

#[test]
fn one_off_events_hopes_and_proposals_are_possible_in_their_period_never_active() {
    // (relation, a day inside its period, the first day after it)
    let one_offs = [
        ("VSSE-FBI-BUSH-PLOT", "2021-06-15", "2022-01-01"),
        ("CIA-UKR-ZELENSKYY-PLOTS", "2022-01-15", "2022-02-01"),
        ("RUS-ZELENSKYY-PLOTS", "2022-06-15", "2023-01-01"),
        ("USA-JPN-CHIEFS-2021", "2021-06-15", "2022-01-01"),
        ("USA-KOR-CHIEFS-2021", "2021-06-15", "2022-01-01"),
        ("JPN-KOR-CHIEFS-2021", "2021-06-15", "2022-01-01"),
        ("IND-CHN-BORDER-2020", "2020-06-15", "2021-01-01"),
        ("JPN-FIVE-EYES-HOPES", "2021-04-21", "2021-05-01"),
        ("USA-HND-MOU", "2020-12-02", "2021-01-01"),
    ];
    for (id, inside, after) in one_offs {
        let edges = edges_on(inside);
        let row = find(&edges, id).unwrap_or_else(|| panic!("{id} holds on {inside}"));
        assert_eq!(row["status"], "possible", "{id} on {inside}");
        assert!(find(&edges_on(after), id).is_none(), "{id} is over on {after}");
        let wd = Workdir::new();
        let data = data_arg();
        let strict = wd.run(&[
            "--data",
            &data,
            "snapshot",
            "--at",
            inside,
            "--strict",
            "--format",
            "edges-csv",
            "--out",
            "-",
        ]);
        assert!(!stdout(&strict).contains(id), "{id} is never active, so never --strict");
    }
}

#[test]
fn every_relation_has_a_credibility_and_a_known_claimant_or_none() {
    let actors = shipped_rows("actors.csv");
    let parent = |id: &str| actors.iter().find(|a| a["id"] == id).map(|a| a["parent"].clone());
    let relations = shipped_rows("relations.csv");
    for r in &relations {
        let grade: u8 = r["credibility"].parse().unwrap_or_else(|_| panic!("{}: credibility", r["id"]));
        assert!((1..=6).contains(&grade), "{}: credibility {grade}", r["id"]);
        let claimant = r["claimant"].as_str();
        assert!(claimant.is_empty() || parent(claimant).is_some(), "{}: claimant {claimant}", r["id"]);
    }
    let claimant_of = |id: &str| relations.iter().find(|r| r["id"] == id).unwrap()["claimant"].clone();
    assert_eq!(claimant_of("COL-USA-SUSPENSION"), "PETRO");
    assert_eq!(claimant_of("COL-USA-BENEDETTI"), "BENEDETTI");
    assert_eq!(claimant_of("DNI-CIA-LEMUS"), "LEMUS");
    // Benedetti is within Colombia, Lemus within the DNI he directs.
    assert_eq!(parent("BENEDETTI").as_deref(), Some("COL"));
    assert_eq!(parent("LEMUS").as_deref(), Some("DNI"));
    // An unnamed source is never graded better than 3.
    for id in [
        "GBR-USA-CARIBBEAN-PAUSE",
        "CAN-USA-NATO-RETICENCE",
        "EUROPE-USA-NATO-RETICENCE",
        "VSSE-FBI-BUSH-PLOT",
    ] {
        let r = relations.iter().find(|r| r["id"] == id).unwrap();
        assert!(r["credibility"].as_str() >= "3" && r["claimant"].is_empty(), "{id}: {r:?}");
    }
    // A hope and a proposal are not cooperation, and say so.
    for (id, grade) in [("JPN-FIVE-EYES-HOPES", "6"), ("USA-HND-MOU", "5")] {
        let r = relations.iter().find(|r| r["id"] == id).unwrap();
        assert_eq!(r["credibility"], grade, "{id}");
        assert!(r["summary"].starts_with("Not a record of cooperation"), "{id}: {}", r["summary"]);
    }
}

#[test]
fn the_european_and_canadian_staff_reticence_are_both_nato_fractures() {
    let doc = query_json(&["fractures", "--at", "2026-01-26", "--group", "NATO"]);
    let found = fractures_of(&doc);
    assert!(found.contains(&("CAN-USA-NATO-RETICENCE", "CAN", "USA")), "{found:?}");
    assert!(found.contains(&("EUROPE-USA-NATO-RETICENCE", "EUROPE_NATO", "USA")), "{found:?}");
    // Not before the report.
    let doc = query_json(&["fractures", "--at", "2026-01-25", "--group", "NATO"]);
    assert!(!fractures_of(&doc).iter().any(|f| f.0 == "EUROPE-USA-NATO-RETICENCE"));
}

// ---------------------------------------------------------------------------------------
// Periods (issue 14, section 6)

/// Runs georel on the shipped data in a temporary directory; asserts success; stdout.
#[track_caller]
fn shipped(args: &[&str]) -> String {
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&[&["--data", data.as_str()][..], args].concat());
    assert_success(&out);
    stdout(&out)
}

/// November 2025 as a whole: every relation that held at any day of it, with the status and
/// contest of its best day. Pinned as id, kind, status and contested (not the summaries,
/// which curators edit).
#[test]
fn golden_snapshot_of_november_2025() {
    let csv = shipped(&["snapshot", "--at", "2025-11", "--format", "edges-csv", "--out", "-"]);
    let mut pinned = String::from("id,kind,status,contested\n");
    for r in parse_csv(&csv) {
        pinned.push_str(&format!("{},{},{},{}\n", r["id"], r["kind"], r["status"], r["contested"]));
    }
    // The month holds the suspension of 11 November and the DNI's "never stopped" of
    // 1 December does not: a month is its own days, not its first day or the next month's.
    assert!(pinned.contains("\nCOL-USA-SUSPENSION,restriction,active,true\n"), "{pinned}");
    assert!(!pinned.contains("\nDNI-CIA-LEMUS,"), "{pinned}");
    insta::assert_snapshot!(pinned);
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&["--data", &data, "snapshot", "--at", "2025-11", "--out", "periods"]);
    assert_success(&out);
    let first = stdout(&out).lines().next().unwrap().to_string();
    assert!(
        first.starts_with(
            "snapshot 2025-11 (every relation holding at any time from 2025-11-01 to 2025-11-30): "
        ),
        "{first}"
    );
}

/// From 2019 to 2024: the state on 2019-01-01 against the state on 2024-12-31, and what
/// came and went in between: South Korea's 2019 notice to end GSOMIA (22 August to
/// 22 November) held on neither day, so it is transient, in every format.
#[test]
fn golden_diff_from_2019_to_2024_lists_the_gsomia_notice_as_transient() {
    let text = shipped(&["diff", "--from", "2019", "--to", "2024"]);
    assert!(text.starts_with("changes from 2019-01-01 to 2024-12-31: "), "{text}");
    let transient = text.split("\ntransient:\n").nth(1).expect("a transient section");
    assert!(transient.contains("KOR-JPN-GSOMIA-NOTICE  dispute  South Korea (KOR) → Japan (JPN)"), "{text}");
    insta::assert_snapshot!(text);

    let csv =
        parse_csv(&shipped(&["diff", "--from", "2019", "--to", "2024", "--format", "csv", "--out", "-"]));
    let notice = csv.iter().find(|r| r["id"] == "KOR-JPN-GSOMIA-NOTICE").expect("the notice in the CSV");
    assert_eq!(
        (notice["change"].as_str(), notice["before"].as_str(), notice["after"].as_str()),
        ("transient", "", "")
    );

    let json = shipped(&["diff", "--from", "2019", "--to", "2024", "--format", "json", "--out", "-"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((json["from"].as_str(), json["to"].as_str()), (Some("2019-01-01"), Some("2024-12-31")));
    let change =
        json["changes"].as_array().unwrap().iter().find(|c| c["id"] == "KOR-JPN-GSOMIA-NOTICE").unwrap();
    assert_eq!(change["change"], "transient");

    let dot = shipped(&["diff", "--from", "2019", "--to", "2024", "--format", "dot", "--out", "-"]);
    assert!(dot.contains("label=\"± dispute KOR-JPN-GSOMIA-NOTICE (transient)\""), "{dot}");

    // From one day to the next nothing can come and go in between.
    let days = shipped(&["diff", "--from", "2019-08-21", "--to", "2019-08-22"]);
    assert!(!days.contains("transient"), "{days}");
    // Within the notice's own months it is not transient: it started.
    let inside = shipped(&["diff", "--from", "2019-08", "--to", "2019-09"]);
    assert!(inside.contains("started:\n  KOR-JPN-GSOMIA-NOTICE"), "{inside}");
}

/// `conflicts` text on the shipped data, with `args` after `--at DAY`.
fn shipped_text(args: &[&str]) -> String {
    let wd = Workdir::new();
    let data = data_arg();
    let mut all = vec!["--data", data.as_str()];
    all.extend_from_slice(args);
    let out = wd.run(&all);
    assert_success(&out);
    stdout(&out)
}

/// Issue 14, section 1: Colombia's order (COL → USA) covers the DNI (within Colombia) and the
/// CIA (within the United States), so on 2025-12-01 the DNI director's claim that the work
/// with the CIA never stopped is contested by it, side by side.
#[test]
fn conflicts_on_2025_12_01_sets_dni_cia_against_colombias_order() {
    let doc = query_json(&["conflicts", "--at", "2025-12-01"]);
    let pair = doc["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "CIA" && p["b"] == "DNI")
        .unwrap_or_else(|| panic!("a CIA–DNI contest: {doc}"));
    fn ends(r: &serde_json::Value) -> (&str, &str, &str) {
        (r["id"].as_str().unwrap(), r["source"].as_str().unwrap(), r["target"].as_str().unwrap())
    }
    let cooperation: Vec<_> = pair["cooperation"].as_array().unwrap().iter().map(ends).collect();
    let restriction: Vec<_> = pair["restriction"].as_array().unwrap().iter().map(ends).collect();
    assert_eq!(cooperation, [("DNI-CIA-LEMUS", "DNI", "CIA")]);
    assert_eq!(restriction, [("COL-USA-SUSPENSION", "COL", "USA")]);
    insta::assert_snapshot!(shipped_text(&["conflicts", "--at", "2025-12-01"]));
}

#[test]
fn path_dni_cia_on_2025_12_01_is_one_contested_hop() {
    let path = query_json(&["path", "DNI", "CIA", "--at", "2025-12-01"]);
    assert_eq!(strs(&path["actors"]), ["DNI", "CIA"]);
    assert_eq!(path["strained"], serde_json::json!([1]));
    let relations = path["relations"].as_array().unwrap();
    assert_eq!(relations.len(), 1);
    assert_eq!(relations[0]["id"], "DNI-CIA-LEMUS");
    assert_eq!(relations[0]["contested"], true);
    insta::assert_snapshot!(shipped_text(&["path", "DNI", "CIA", "--at", "2025-12-01"]));
}

/// By country gives the same contests rolled up: on 2025-12-01 every cooperation relation of
/// the actor-level contests, on the merged edges of the countries they are within, and no
/// other.
#[test]
fn by_country_conflicts_are_the_actor_level_ones_rolled_up() {
    let ids = |doc: &serde_json::Value, side: &str| -> BTreeSet<String> {
        doc["pairs"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p[side].as_array().unwrap().clone())
            .flat_map(|e| match e["relations"].as_array() {
                Some(list) => list.iter().map(|r| r.as_str().unwrap().to_string()).collect::<Vec<_>>(),
                None => vec![e["id"].as_str().unwrap().to_string()],
            })
            .collect()
    };
    for day in ["2025-11-12", "2025-12-01", "2026-01-26"] {
        let actors = query_json(&["conflicts", "--at", day]);
        let countries = query_json(&["conflicts", "--at", day, "--by-country"]);
        assert_eq!(ids(&countries, "cooperation"), ids(&actors, "cooperation"), "on {day}");
        assert!(ids(&actors, "cooperation").contains("DNI-CIA-LEMUS") || day != "2025-12-01");
    }
}

/// The timeline's note on relations left out by grade counts what the record would hold,
/// agencies and people within the two included: it said 1 (the actors' own) where 3 were
/// left out (the sanctions on Petro, Benedetti's and Lemus's claims, all credibility 2).
#[test]
fn the_timelines_left_out_note_counts_what_lies_within() {
    let text = shipped(&["timeline", "COL", "USA", "--min-credibility", "1"]);
    assert!(
        text.starts_with("timeline of Colombia (COL) and United States (USA): 3 entries, 3 relations (3 left out by grade: below credibility 1)\n"),
        "{text}"
    );
    let exact = shipped(&["timeline", "COL", "USA", "--exact", "--min-credibility", "1"]);
    assert!(exact.contains("(1 left out by grade: below credibility 1)"), "{exact}");
}

/// A DOT tooltip gives a mutual relation no direction (it read "DNI → CIA" on an edge drawn
/// without arrows), and a directed one its own.
#[test]
fn dot_tooltips_give_a_mutual_relation_no_direction() {
    let dot = shipped(&["snapshot", "--at", "2025-12-01", "--format", "dot", "--out", "-"]);
    assert!(
        dot.contains(
            "DNI-CIA-LEMUS cooperation National Intelligence Directorate (DNI) ↔ Central Intelligence Agency"
        ),
        "{dot}"
    );
    assert!(dot.contains("COL-USA-SUSPENSION restriction Colombia → United States"), "{dot}");
}

/// When the grade filters leave a path out, "no path" says how many relations they left out
/// (it said nothing of them, and read as if there were no link at all).
#[test]
fn no_path_under_a_grade_filter_says_what_it_left_out() {
    let wd = Workdir::new();
    let data = data_arg();
    let args = ["--data", data.as_str(), "path", "COL", "HND", "--at", "2025-12-01"];
    let out = wd.run(&[&args[..], &["--min-credibility", "2"]].concat());
    assert_exit(&out, 1);
    assert_eq!(
        stderr(&out),
        "georel: no path from Colombia (COL) to Honduras (HND) on 2025-12-01 (2 left out by grade: below credibility 2); there is none on any date\n"
    );
    // Without the filter, the proposal to Honduras makes a path at the end of 2020.
    let out = wd.run(&args);
    assert_exit(&out, 1);
    assert!(stderr(&out).contains("; the nearest earlier date with one is 2020-12-31"), "{}", stderr(&out));
}
