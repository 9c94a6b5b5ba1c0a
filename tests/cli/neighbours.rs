//! `georel neighbours`: the actors within K hops of an actor on a day, with their distances,
//! and the relations among them; the walk options, the filters, formats and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`; the graph
//! on the main day is drawn at the top of `path.rs`.

use crate::harness::{assert_success, parse_csv, stderr, stdout, Workdir};

const DAY: &str = "2025-06-15";

/// Runs `neighbours ACTOR --at DATE` plus `extra`, asserts `code`, and returns stdout.
#[track_caller]
fn neighbours(wd: &Workdir, actor: &str, date: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["neighbours", actor, "--at", date];
    args.extend_from_slice(extra);
    wd.run_code(&args, code).0
}

/// The neighbourhood as JSON (on stdout, exit 0).
#[track_caller]
fn json(wd: &Workdir, actor: &str, date: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json", "--out", "-"];
    args.extend_from_slice(extra);
    serde_json::from_str(&neighbours(wd, actor, date, &args, 0)).unwrap()
}

/// `(id, distance)` of each actor of a JSON neighbourhood, in the order written.
fn distances(hood: &serde_json::Value) -> Vec<(&str, u64)> {
    hood["actors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["distance"].as_u64().unwrap()))
        .collect()
}

/// The ids of the relations of a JSON neighbourhood, in the order written.
fn relation_ids(hood: &serde_json::Value) -> Vec<&str> {
    hood["relations"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect()
}

// ---------------------------------------------------------------------------------------
// Golden files: COL at depth 2 on the main day, in each format
//
// By hand: COL's links are DNI (its agency) and USA (USA-COL-COOP, COL-USA-SUSPENSION), at 1
// hop. From DNI: CIA (DNI-CIA-TIPS); from USA: CAN (CAN-USA-RETICENCE), CIA (its agency),
// CIRCLE and PACT (memberships), NSA (its agency): CAN, CIA, CIRCLE, NSA, PACT at 2 hops.
// The relations with both ends among these 8 actors: CAN-CIRCLE, CAN-USA-RETICENCE,
// COL-USA-SUSPENSION, DNI-CIA-TIPS, USA-CIRCLE, USA-COL-COOP, USA-PACT (in source-id order);
// GBR, DEU and the rest are 3 hops away or more.

#[test]
fn golden_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(neighbours(&wd, "COL", DAY, &["--depth", "2"], 0));
}

#[test]
fn golden_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(neighbours(
        &wd,
        "COL",
        DAY,
        &["--depth", "2", "--format", "csv", "--out", "-"],
        0
    ));
}

#[test]
fn golden_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(neighbours(
        &wd,
        "COL",
        DAY,
        &["--depth", "2", "--format", "json", "--out", "-"],
        0
    ));
}

/// The centre (COL) drawn prominently; DNI, CIA, USA and NSA in their countries' clusters.
#[test]
fn golden_dot() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(neighbours(
        &wd,
        "COL",
        DAY,
        &["--depth", "2", "--format", "dot", "--out", "-"],
        0
    ));
}

#[test]
fn the_dot_renders_with_graphviz() {
    let wd = Workdir::with_queries();
    for extra in [&["--depth", "2"][..], &["--depth", "3", "--by-country"]] {
        let mut args = vec!["--format", "dot", "--out", "graph.dot"];
        args.extend_from_slice(extra);
        neighbours(&wd, "COL", DAY, &args, 0);
        wd.assert_renders("graph.dot", &format!("neighbourhood ({extra:?})"));
    }
}

// ---------------------------------------------------------------------------------------
// Distances and relations

#[test]
fn depth_1_and_depth_2_distances() {
    let wd = Workdir::with_queries();
    // Depth 1 (the default): the centre, then DNI and USA (worked out above the golden files),
    // and the two relations between COL and USA.
    let one = json(&wd, "COL", DAY, &[]);
    assert_eq!(one["centre"], "COL");
    assert_eq!(one["at"], DAY);
    assert_eq!(one["depth"], 1);
    assert_eq!(distances(&one), [("COL", 0), ("DNI", 1), ("USA", 1)]);
    assert_eq!(relation_ids(&one), ["COL-USA-SUSPENSION", "USA-COL-COOP"]);
    // Depth 2: by distance, then id.
    let two = json(&wd, "COL", DAY, &["--depth", "2"]);
    assert_eq!(two["depth"], 2);
    assert_eq!(
        distances(&two),
        [("COL", 0), ("DNI", 1), ("USA", 1), ("CAN", 2), ("CIA", 2), ("CIRCLE", 2), ("NSA", 2), ("PACT", 2)]
    );
    assert_eq!(
        relation_ids(&two),
        [
            "CAN-CIRCLE",
            "CAN-USA-RETICENCE",
            "COL-USA-SUSPENSION",
            "DNI-CIA-TIPS",
            "USA-CIRCLE",
            "USA-COL-COOP",
            "USA-PACT"
        ]
    );
    // Degrees count the relations among them: USA has RETICENCE, SUSPENSION, CIRCLE, COOP
    // and PACT (5); NSA, reached as USA's agency, has none.
    let degree = |id: &str| {
        two["actors"].as_array().unwrap().iter().find(|a| a["id"] == id).unwrap()["degree"].clone()
    };
    assert_eq!(degree("USA"), 5);
    assert_eq!(degree("COL"), 2);
    assert_eq!(degree("NSA"), 0);
    assert_eq!(degree("CAN"), 2);
}

#[test]
fn csv_gives_both_ends_distances() {
    let wd = Workdir::with_queries();
    let rows = parse_csv(&neighbours(&wd, "COL", DAY, &["--depth", "2", "--format", "csv", "--out", "-"], 0));
    let ends: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|r| (r["id"].as_str(), r["source_distance"].as_str(), r["target_distance"].as_str()))
        .collect();
    // From the distances above: CAN 2, CIRCLE 2, USA 1, COL 0, DNI 1, CIA 2, PACT 2.
    assert_eq!(
        ends,
        [
            ("CAN-CIRCLE", "2", "2"),
            ("CAN-USA-RETICENCE", "2", "1"),
            ("COL-USA-SUSPENSION", "0", "1"),
            ("DNI-CIA-TIPS", "1", "2"),
            ("USA-CIRCLE", "1", "2"),
            ("USA-COL-COOP", "1", "0"),
            ("USA-PACT", "1", "2"),
        ]
    );
}

#[test]
fn an_agency_reaches_its_country_as_part_of_it() {
    let wd = Workdir::with_queries();
    // MI5 has no relation, but belongs to GBR: 1 actor within reach, no relation among the
    // two. That is a neighbourhood (exit 0).
    assert_eq!(
        neighbours(&wd, "MI5", DAY, &[], 0),
        "neighbours of Security Service (MI5) on 2025-06-15, depth 1: 1 actor within reach, 0 relations\n  \
         1 hop: United Kingdom (GBR)\n"
    );
    // At depth 2, GBR's links: CIRCLE, PACT (memberships), DEU (the embargo), GCHQ (its
    // agency). Relations among them: DEU-PACT, GBR-CIRCLE, GBR-DEU-EMBARGO, GBR-PACT.
    let two = json(&wd, "MI5", DAY, &["--depth", "2"]);
    assert_eq!(
        distances(&two),
        [("MI5", 0), ("GBR", 1), ("CIRCLE", 2), ("DEU", 2), ("GCHQ", 2), ("PACT", 2)]
    );
    assert_eq!(relation_ids(&two), ["DEU-PACT", "GBR-CIRCLE", "GBR-DEU-EMBARGO", "GBR-PACT"]);
    // Without "part of" links MI5 has nobody: exit 1, and the header still printed.
    let (out, err) = wd.run_code(&["neighbours", "MI5", "--at", DAY, "--relations-only"], 1);
    assert_eq!(
        out,
        "neighbours of Security Service (MI5) on 2025-06-15, depth 1: 0 actors within reach, 0 relations\n"
    );
    assert_eq!(err, "georel: Security Service (MI5) has no neighbours on 2025-06-15 with these filters\n");
}

// ---------------------------------------------------------------------------------------
// Walk options and filters

#[test]
fn directed_does_not_walk_against_a_relation() {
    let wd = Workdir::with_queries();
    // USA's links: CAN (CAN-USA-RETICENCE, CAN → USA), CIA and NSA (its agencies), CIRCLE and
    // PACT (USA → alliance), COL (the mutual cooperation, and the suspension COL → USA).
    let both = json(&wd, "USA", DAY, &[]);
    assert_eq!(
        distances(&both),
        [("USA", 0), ("CAN", 1), ("CIA", 1), ("CIRCLE", 1), ("COL", 1), ("NSA", 1), ("PACT", 1)]
    );
    // Directed: CAN only points at USA; COL is still reached by the mutual cooperation.
    let directed = json(&wd, "USA", DAY, &["--directed"]);
    assert_eq!(
        distances(&directed),
        [("USA", 0), ("CIA", 1), ("CIRCLE", 1), ("COL", 1), ("NSA", 1), ("PACT", 1)]
    );
    // The relations among them still include the suspension (both ends are in).
    assert_eq!(relation_ids(&directed), ["COL-USA-SUSPENSION", "USA-CIRCLE", "USA-COL-COOP", "USA-PACT"]);

    // Iceland only has the Faroes' restriction FRO → ISL: directed, nobody (exit 1), though
    // the text and the message still come out.
    let (out, err) = wd.run_code(&["neighbours", "ISL", "--at", DAY, "--directed"], 1);
    assert_eq!(
        out,
        "neighbours of Iceland (ISL) on 2025-06-15, depth 1: 0 actors within reach, 0 relations\n"
    );
    assert_eq!(err, "georel: Iceland (ISL) has no neighbours on 2025-06-15 with these filters\n");
    assert_eq!(distances(&json(&wd, "ISL", DAY, &[])), [("ISL", 0), ("FRO", 1)]);
    assert_eq!(distances(&json(&wd, "FRO", DAY, &["--directed"])), [("FRO", 0), ("ISL", 1)]);
}

#[test]
fn avoid_leaves_the_actor_out() {
    let wd = Workdir::with_queries();
    // USA's neighbours but COL (named by its alias); the relations touching COL go with it.
    let hood = json(&wd, "USA", DAY, &["--avoid", "Bogotá"]);
    assert_eq!(
        distances(&hood),
        [("USA", 0), ("CAN", 1), ("CIA", 1), ("CIRCLE", 1), ("NSA", 1), ("PACT", 1)]
    );
    // CAN-CIRCLE joins two neighbours: it is among them.
    assert_eq!(relation_ids(&hood), ["CAN-CIRCLE", "CAN-USA-RETICENCE", "USA-CIRCLE", "USA-PACT"]);
}

#[test]
fn strict_leaves_out_a_possible_membership() {
    let wd = Workdir::with_queries();
    let day = "2025-05-25"; // CAN-CIRCLE (2025-05) possible; CAN-USA-RETICENCE active
                            // CAN's links: CIRCLE (possible membership), CSIS (its agency), USA (the restriction).
    let hood = json(&wd, "CAN", day, &[]);
    assert_eq!(distances(&hood), [("CAN", 0), ("CIRCLE", 1), ("CSIS", 1), ("USA", 1)]);
    assert_eq!(relation_ids(&hood), ["CAN-CIRCLE", "CAN-USA-RETICENCE", "USA-CIRCLE"]);
    assert_eq!(hood["relations"][0]["status"], "possible");
    let strict = json(&wd, "CAN", day, &["--strict"]);
    assert_eq!(distances(&strict), [("CAN", 0), ("CSIS", 1), ("USA", 1)]);
    assert_eq!(relation_ids(&strict), ["CAN-USA-RETICENCE"]);
}

#[test]
fn kinds_keeps_only_those_relations_and_the_part_of_links() {
    let wd = Workdir::with_queries();
    // Memberships only: CIRCLE and PACT, plus USA's agencies (not relations).
    let hood = json(&wd, "USA", DAY, &["--kinds", "membership"]);
    assert_eq!(distances(&hood), [("USA", 0), ("CIA", 1), ("CIRCLE", 1), ("NSA", 1), ("PACT", 1)]);
    assert_eq!(relation_ids(&hood), ["USA-CIRCLE", "USA-PACT"]);
}

#[test]
fn by_country_merges_agencies_into_their_country() {
    let wd = Workdir::with_queries();
    // DNI stands for COL. Country to country, COL's only neighbour is USA, by three edges:
    // the mutual cooperation, DNI-CIA-TIPS (a directed cooperation, so an edge of its own)
    // and the suspension. No agency is listed.
    let hood = json(&wd, "DNI", DAY, &["--by-country"]);
    assert_eq!(hood["centre"], "COL");
    assert_eq!(distances(&hood), [("COL", 0), ("USA", 1)]);
    assert_eq!(relation_ids(&hood), ["USA-COL-COOP", "DNI-CIA-TIPS", "COL-USA-SUSPENSION"]);
    let tips = &hood["relations"][1];
    assert_eq!((tips["source"].as_str(), tips["target"].as_str()), (Some("COL"), Some("USA")));
    assert_eq!(tips["relations"], serde_json::json!(["DNI-CIA-TIPS"]));
    assert_eq!(tips["contested"], true, "COL–USA is contested by the suspension");
    // GCHQ stands for GBR: its neighbours are the countries and alliances around GBR.
    let gbr = json(&wd, "GCHQ", DAY, &["--by-country"]);
    // GBR's country links: CIRCLE, PACT, DEU (the embargo and SIGINT), USA (TAO-GCHQ-OPS).
    assert_eq!(distances(&gbr), [("GBR", 0), ("CIRCLE", 1), ("DEU", 1), ("PACT", 1), ("USA", 1)]);
}

// ---------------------------------------------------------------------------------------
// Usage errors and empty results

#[test]
// Regression (fixed): neighbours --depth 0 says the actor \"has no neighbours\" (exit 1) instead of rejecting the depth.
fn depth_0_is_a_usage_error() {
    let wd = Workdir::with_queries();
    // COL has two neighbours on the main day, but `--depth 0` prints "0 actors within reach"
    // and "georel: Colombia (COL) has no neighbours on 2025-06-15 with these filters", exit 1:
    // a false statement. `path` rejects `--max-hops 0` as a usage error; so should this.
    let (out, err) = wd.run_code(&["neighbours", "COL", "--at", DAY, "--depth", "0"], 2);
    assert_eq!(out, "");
    assert!(err.contains("--depth"), "{err}");
}

#[test]
fn an_empty_neighbourhood_still_writes_its_file() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["neighbours", "ISL", "--at", DAY, "--directed", "--format", "json"], 1);
    assert_eq!(out, "wrote output/neighbours-ISL-2025-06-15-d1.json\n");
    assert_eq!(err, "georel: Iceland (ISL) has no neighbours on 2025-06-15 with these filters\n");
    let hood: serde_json::Value =
        serde_json::from_str(&wd.read("output/neighbours-ISL-2025-06-15-d1.json")).unwrap();
    assert_eq!(distances(&hood), [("ISL", 0)]);
    assert_eq!(hood["relations"], serde_json::json!([]));
}

#[test]
fn an_unknown_actor_or_bad_date_is_a_usage_error() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["neighbours", "Germny", "--at", DAY], 2);
    assert_eq!(out, "");
    assert_eq!(err, "georel: no actor is called \"Germny\"; did you mean DEU (Germany)?\n");
    let (_, err) = wd.run_code(&["neighbours", "COL", "--at", "June"], 2);
    assert!(err.starts_with("georel: invalid date \"June\" for --at: "), "{err}");
    assert!(!wd.exists("output"));
}

// ---------------------------------------------------------------------------------------
// Where results go

#[test]
fn files_are_named_after_the_centre_the_day_and_the_depth() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["neighbours", "bogota", "--at", DAY, "--depth", "2", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/neighbours-COL-2025-06-15-d2.csv\n");
    assert_eq!(
        wd.read("output/neighbours-COL-2025-06-15-d2.csv"),
        neighbours(&wd, "COL", DAY, &["--depth", "2", "--format", "csv", "--out", "-"], 0)
    );
    // By country, the centre is the country.
    let (out, _) = wd.run_code(&["neighbours", "DNI", "--at", DAY, "--by-country", "--format", "dot"], 0);
    assert_eq!(out, "wrote output/neighbours-COL-2025-06-15-d1.dot\n");
    // An existing folder gets the default name; anything else is a file.
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) =
        wd.run_code(&["neighbours", "COL", "--at", DAY, "--format", "json", "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/neighbours-COL-2025-06-15-d1.json\n");
    let (out, _) = wd.run_code(&["neighbours", "COL", "--at", DAY, "--out", "col.txt"], 0);
    assert_eq!(out, "wrote col.txt\n");
    assert_eq!(wd.read("col.txt"), neighbours(&wd, "COL", DAY, &[], 0));
    assert_eq!(wd.list(""), ["col.txt", "data", "exports", "output"]);
}

#[test]
fn a_diagram_too_large_for_dot_gets_a_warning_and_is_still_written() {
    // A hub with 160 partners: 161 actors and 160 relations, past the 150 actors that
    // Graphviz's `dot` lays out in reasonable time.
    let wd = Workdir::new();
    let mut csv = String::from("source,target,kind,start\n");
    for i in 0..160 {
        csv.push_str(&format!("HUB,P{i:03},cooperation,2020-01-01\n"));
    }
    wd.write("data/relations.csv", csv);
    let out = wd.run(&["neighbours", "HUB", "--at", "2021", "--format", "dot", "--out", "hub.dot"]);
    assert_success(&out);
    assert_eq!(stdout(&out), "wrote hub.dot\n");
    let err = stderr(&out);
    assert!(
        err.starts_with(
            "georel: warning: 161 actors and 160 relations is more than Graphviz's dot lays out in reasonable time; \
             render with sfdp (sfdp -Tsvg)"
        ),
        "{err}"
    );
    assert_eq!(wd.read("hub.dot").lines().filter(|l| l.contains(" -> ")).count(), 160);
    // Other formats, and smaller diagrams, have no warning (run_code checks stderr is empty).
    wd.run_code(&["neighbours", "HUB", "--at", "2021", "--format", "json", "--out", "-"], 0);
    wd.run_code(&["neighbours", "P000", "--at", "2021", "--format", "dot", "--out", "-"], 0);
}

/// Issue 14: directed relations were written "A — B" whichever way they ran.
#[test]
fn text_shows_each_relation_in_its_own_direction() {
    let wd = Workdir::with_queries();
    let text = neighbours(&wd, "COL", "2025-06-15", &["--depth", "1"], 0);
    assert!(text.contains("\n  COL → USA\n       restriction active "), "{text}");
    assert!(text.contains("\n  USA — COL\n       cooperation active "), "{text}");
}

/// Over a period the neighbourhood is that of the period's graph: June holds Colombia's
/// suspension, July does not; a period of one day is that day.
#[test]
fn over_a_period_the_relations_of_any_of_its_days() {
    let wd = Workdir::with_queries();
    let relation_ids = |hood: &serde_json::Value| -> Vec<String> {
        hood["relations"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap().to_string()).collect()
    };
    let june = json(&wd, "COL", "2025-06", &[]);
    assert_eq!(
        (june["at"].as_str(), june["from"].as_str(), june["to"].as_str()),
        (Some("2025-06"), Some("2025-06-01"), Some("2025-06-30"))
    );
    assert!(relation_ids(&june).contains(&"COL-USA-SUSPENSION".to_string()));
    assert!(!relation_ids(&json(&wd, "COL", "2025-07", &[])).contains(&"COL-USA-SUSPENSION".to_string()));
    let (one_day, _) = wd.run_code(
        &[
            "neighbours",
            "COL",
            "--from",
            "2025-06-15",
            "--to",
            "2025-06-15",
            "--format",
            "json",
            "--out",
            "-",
        ],
        0,
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&one_day).unwrap(),
        json(&wd, "COL", "2025-06-15", &[])
    );
    assert!(!one_day.contains("\"from\""), "a day has no from and to: {one_day}");
}
