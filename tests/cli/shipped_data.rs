//! The curated dataset in `data/`: it passes `check`, the Colombia–United States sequence it
//! was built to show comes out of `snapshot` and `conflicts`, and the queries find the paths
//! and fractures its sources describe (DDIS to the CIA over the Greenland dispute, the UK's
//! pause inside the Five Eyes, the Dutch restrictions inside NATO). These tests pin behaviour
//! (what holds and is contested on which day), not the whole file, so that curators can add
//! rows.

use std::collections::BTreeSet;

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

#[test]
fn ddis_reaches_the_cia_through_denmark_and_the_united_states_over_a_strained_hop() {
    let wd = Workdir::new();
    let data = data_arg();
    let out = wd.run(&[
        "--data",
        &data,
        "path",
        "DDIS",
        "CIA",
        "--at",
        "2026-01-26",
        "--format",
        "json",
        "--out",
        "-",
    ]);
    assert_success(&out);
    let path: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let actors = strs(&path["actors"]);
    assert_eq!((actors[0], *actors.last().unwrap()), ("DDIS", "CIA"));
    // DDIS belongs to DNK and CIA to USA; on 2026-01-26 DNK and USA are in dispute over
    // Greenland (DNK-USA-GREENLAND), so the DNK–USA hop is strained.
    let at = actors
        .windows(2)
        .position(|w| w == ["DNK", "USA"])
        .unwrap_or_else(|| panic!("DNK then USA in {actors:?}"));
    let hop = at as u64 + 1;
    assert!(
        path["strained"].as_array().unwrap().iter().any(|h| h.as_u64() == Some(hop)),
        "hop {hop} (DNK–USA) is strained: {path}"
    );
    let greenland = path["relations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "DNK-USA-GREENLAND")
        .unwrap_or_else(|| panic!("the Greenland dispute is on the path: {path}"));
    assert_eq!(greenland["hop"].as_u64(), Some(hop));
    assert_eq!(greenland["kind"], "dispute");
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
