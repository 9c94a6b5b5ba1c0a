//! The curated dataset in `data/`: it passes `check`, and the Colombia–United States sequence
//! it was built to show comes out of `snapshot`. These tests pin behaviour (what holds and is
//! contested on which day), not the whole file, so that curators can add rows.

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
