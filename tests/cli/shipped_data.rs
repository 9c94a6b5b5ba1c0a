//! The curated dataset in `data/`: it passes `check`, the Colombia–United States sequence it
//! was built to show comes out of `snapshot` and `conflicts`, and the queries find the paths
//! and fractures its sources describe (DDIS to the CIA through the NSA rather than over the
//! Greenland dispute, the UK's
//! pause inside the Five Eyes, the Dutch restrictions inside NATO). These tests pin behaviour
//! (what holds and is contested on which day), not the whole file, so that curators can add
//! rows.

use crate::harness::{assert_success, parse_csv, shipped_data_dir, stderr, stdout, Row, Workdir};

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
            assert_eq!(r["contested"], "true", "{} on {day}", r["id"]);
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
    assert_eq!(period["until"], serde_json::Value::Null, "still contested");
    assert_eq!(period["certain"], true);
    assert!(strs(&period["restriction"]).contains(&"COL-USA-SUSPENSION"));
    assert!(strs(&period["cooperation"]).contains(&"COL-USA-PLAN-COLOMBIA"));
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
        text.contains("USA-PETRO-SANCTIONS  dispute  White House (WHITE_HOUSE) → Gustavo Petro (PETRO)  2025-10 → open  [INTELNEWS-2025-12-01]  (via PETRO and WHITE_HOUSE)\n"),
        "{text}"
    );
}
