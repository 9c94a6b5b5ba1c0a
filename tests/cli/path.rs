//! `georel path`: the shortest connection between two actors on a day (or every path up to a
//! length with `--all`), its formats and files, the walk options (`--directed`, `--avoid`,
//! `--relations-only`), the filters, and the "no path" message with the nearest dates.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`. The graph
//! on 2025-06-15, as the walk sees it ("part of" links both ways, relations both ways unless
//! `--directed`):
//!
//! ```text
//! TAO -part of- NSA -part of- USA -part of- CIA ---TIPS (DNI → CIA)--- DNI -part of- COL
//! USA ---COOP + SUSPENSION (COL → USA)--- COL
//! CAN ---RETICENCE (CAN → USA)--- USA;  USA, GBR, FRA, DEU → PACT;  USA, GBR, CAN → CIRCLE
//! TAO ---OPS--- GCHQ ---SIGINT--- BND -part of- DEU;  GCHQ -part of- GBR ---EMBARGO (→ DEU)--- DEU
//! DGSE ---DISPUTE--- BND;  DGSE -part of- FRA;  FRO ---FISHERIES (→ ISL)--- ISL (apart)
//! ```

use crate::harness::{parse_csv, Workdir};

const DAY: &str = "2025-06-15";

/// Runs `path FROM TO --at DATE` plus `extra`, asserts `code`, and returns stdout.
#[track_caller]
fn path(wd: &Workdir, from: &str, to: &str, date: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["path", from, to, "--at", date];
    args.extend_from_slice(extra);
    wd.run_code(&args, code).0
}

/// The path as JSON (on stdout).
#[track_caller]
fn json(wd: &Workdir, from: &str, to: &str, date: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["--format", "json", "--out", "-"];
    args.extend_from_slice(extra);
    serde_json::from_str(&path(wd, from, to, date, &args, 0)).unwrap()
}

/// The actor ids of a JSON path.
fn actors(path: &serde_json::Value) -> Vec<&str> {
    path["actors"].as_array().unwrap().iter().map(|a| a.as_str().unwrap()).collect()
}

/// The ids of a JSON path's relations, with their hop.
fn relations(path: &serde_json::Value) -> Vec<(u64, &str)> {
    path["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["hop"].as_u64().unwrap(), r["id"].as_str().unwrap()))
        .collect()
}

/// The stderr of a `path` that finds nothing (exit 1, nothing on stdout).
#[track_caller]
fn no_path(wd: &Workdir, from: &str, to: &str, date: &str, extra: &[&str]) -> String {
    let mut args = vec!["path", from, to, "--at", date];
    args.extend_from_slice(extra);
    let (out, err) = wd.run_code(&args, 1);
    assert_eq!(out, "", "nothing on stdout when there is no path");
    err
}

// ---------------------------------------------------------------------------------------
// Golden files: TAO to COL on the main day, in each format
//
// By hand: TAO's links in id order are GCHQ (TAO-GCHQ-OPS) and NSA (its parent). Level 2 of
// the search is BND, GBR (from GCHQ) and USA (from NSA); level 3 reaches COL from USA only.
// So TAO → NSA → USA → COL, 3 hops: two "part of" hops (TAO belongs to NSA, NSA to USA),
// then USA–COL with both relations of the contested pair (the suspension first: edges are
// in source-id order, COL before USA), which makes hop 3 strained.

#[test]
fn golden_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(path(&wd, "TAO", "COL", DAY, &[], 0));
}

#[test]
fn golden_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(path(&wd, "TAO", "COL", DAY, &["--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(path(&wd, "TAO", "COL", DAY, &["--format", "json", "--out", "-"], 0));
}

/// The diagram draws the path's two edges in full over every edge touching TAO, NSA, USA or
/// COL (TAO-GCHQ-OPS, CAN-USA-RETICENCE, USA-PACT, USA-CIRCLE), which are faded.
#[test]
fn golden_dot() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(path(&wd, "TAO", "COL", DAY, &["--format", "dot", "--out", "-"], 0));
}

#[test]
fn the_dot_renders_with_graphviz() {
    let wd = Workdir::with_queries();
    for extra in [&[][..], &["--all"], &["--by-country"]] {
        let mut args = vec!["--format", "dot", "--out", "graph.dot"];
        args.extend_from_slice(extra);
        path(&wd, "TAO", "DEU", DAY, &args, 0);
        wd.assert_renders("graph.dot", &format!("path diagram ({extra:?})"));
    }
}

// ---------------------------------------------------------------------------------------
// The JSON shape

#[test]
fn json_has_from_to_at_hops_actors_relations_part_of_strained() {
    let wd = Workdir::with_queries();
    // The keys in the order written (serde_json's map would sort them): the top-level lines
    // of the pretty-printed object.
    let text = path(&wd, "TAO", "COL", DAY, &["--format", "json", "--out", "-"], 0);
    let keys: Vec<&str> = text
        .lines()
        .filter_map(|l| l.strip_prefix("  \"").and_then(|l| l.split_once("\":")).map(|(k, _)| k))
        .collect();
    assert_eq!(
        keys,
        ["from", "to", "at", "hops", "actors", "relations", "part_of", "strained", "weakest_grade"]
    );
    let p: serde_json::Value = serde_json::from_str(&text).unwrap();
    // The path worked out above the golden files: TAO → NSA → USA → COL.
    assert_eq!(p["from"], "TAO");
    assert_eq!(p["to"], "COL");
    assert_eq!(p["at"], DAY);
    assert_eq!(p["hops"], 3);
    assert_eq!(actors(&p), ["TAO", "NSA", "USA", "COL"]);
    // Only hop 3 has relations: the suspension (source COL sorts first) and the cooperation.
    assert_eq!(relations(&p), [(3, "COL-USA-SUSPENSION"), (3, "USA-COL-COOP")]);
    // Hops 1 and 2 are the parent chain two deep: TAO belongs to NSA, NSA to USA.
    assert_eq!(
        p["part_of"],
        serde_json::json!([
            {"hop": 1, "member": "TAO", "parent": "NSA"},
            {"hop": 2, "member": "NSA", "parent": "USA"}
        ])
    );
    // Hop 3 carries a restriction, and the pair is contested (cooperation and restriction).
    assert_eq!(p["strained"], serde_json::json!([3]));
    for r in p["relations"].as_array().unwrap() {
        assert_eq!(r["contested"], true, "{r}");
        assert_eq!(r["status"], "active", "{r}");
    }
}

#[test]
fn a_part_of_hop_is_listed_with_the_agency_as_member_whichever_way_it_is_walked() {
    let wd = Workdir::with_queries();
    // COL → DNI walks down from the country to its agency: one "part of" hop.
    let p = json(&wd, "COL", "DNI", DAY, &[]);
    assert_eq!(actors(&p), ["COL", "DNI"]);
    assert_eq!(p["part_of"], serde_json::json!([{"hop": 1, "member": "DNI", "parent": "COL"}]));
    assert_eq!(p["relations"], serde_json::json!([]));
    assert_eq!(p["strained"], serde_json::json!([]));
}

#[test]
fn csv_has_one_row_per_relation_and_one_per_part_of_hop() {
    let wd = Workdir::with_queries();
    let rows = parse_csv(&path(&wd, "TAO", "COL", DAY, &["--format", "csv", "--out", "-"], 0));
    let summary: Vec<(&str, &str, &str, &str, &str, &str)> = rows
        .iter()
        .map(|r| {
            (
                r["hop"].as_str(),
                r["from"].as_str(),
                r["to"].as_str(),
                r["link"].as_str(),
                r["strained"].as_str(),
                r["id"].as_str(),
            )
        })
        .collect();
    // Two part-of hops with empty relation cells, then hop 3's two relations.
    assert_eq!(
        summary,
        [
            ("1", "TAO", "NSA", "part-of", "false", ""),
            ("2", "NSA", "USA", "part-of", "false", ""),
            ("3", "USA", "COL", "relation", "true", "COL-USA-SUSPENSION"),
            ("3", "USA", "COL", "relation", "true", "USA-COL-COOP"),
        ]
    );
    assert!(rows.iter().all(|r| r["path"] == "1"));
}

// ---------------------------------------------------------------------------------------
// Which path

#[test]
fn among_shortest_paths_the_fewest_strained_then_the_best_graded_is_chosen() {
    let wd = Workdir::with_queries();
    // CIA reaches COL in 2 hops two ways: through DNI (DNI-CIA-TIPS, then DNI belongs to COL)
    // or through USA (CIA belongs to USA, then USA–COL). Both have one strained hop (the
    // suspension covers DNI-CIA-TIPS, and it stands against USA-COL-COOP), so the grades
    // decide: USA–COL holds on a public record (A6), DNI–CIA on a daily column (C6).
    let p = json(&wd, "CIA", "COL", DAY, &[]);
    assert_eq!(actors(&p), ["CIA", "USA", "COL"]);
    assert_eq!(p["part_of"], serde_json::json!([{"hop": 1, "member": "CIA", "parent": "USA"}]));
}

#[test]
fn a_path_from_an_actor_to_itself_has_no_hops() {
    let wd = Workdir::with_queries();
    // "US" is an alias of USA: the same actor, so the path is USA alone.
    let p = json(&wd, "USA", "US", DAY, &[]);
    assert_eq!(actors(&p), ["USA"]);
    assert_eq!(p["hops"], 0);
    assert_eq!(
        path(&wd, "USA", "US", DAY, &[], 0),
        "United States (USA) to United States (USA) on 2025-06-15: 0 hops, 0 strained\n"
    );
}

#[test]
fn avoid_never_passes_through_the_actor() {
    let wd = Workdir::with_queries();
    // Without DNI, CIA → COL goes through USA: CIA belongs to USA, then the contested pair.
    let p = json(&wd, "CIA", "COL", DAY, &["--avoid", "DNI"]);
    assert_eq!(actors(&p), ["CIA", "USA", "COL"]);
    assert_eq!(relations(&p), [(2, "COL-USA-SUSPENSION"), (2, "USA-COL-COOP")]);
    assert_eq!(p["strained"], serde_json::json!([2]));

    // Without DNI and USA, CIA has no other link (CIA-DGSE-EXCHANGE starts on 2025-07-01,
    // and even then COL is only reached through USA or DNI): none on any date.
    let err = no_path(&wd, "CIA", "COL", DAY, &["--avoid", "DNI", "--avoid", "USA"]);
    assert_eq!(
        err,
        "georel: no path from Central Intelligence Agency (CIA) to Colombia (COL) on 2025-06-15; \
         there is none on any date\n"
    );

    // The avoided actor is named like any other: "bogota" is COL, the end itself.
    let err = no_path(&wd, "CIA", "COL", DAY, &["--avoid", "bogota"]);
    assert!(err.ends_with("there is none on any date\n"), "{err}");
}

#[test]
fn directed_follows_relations_from_source_to_target_only() {
    let wd = Workdir::with_queries();
    // Both ways, CIA → DNI is DNI-CIA-TIPS backwards: 1 hop.
    assert_eq!(actors(&json(&wd, "CIA", "DNI", DAY, &[])), ["CIA", "DNI"]);
    // Directed, TIPS (DNI → CIA) cannot be walked from CIA. The way round: CIA belongs to USA,
    // USA–COL by the mutual cooperation only (the suspension runs COL → USA), DNI belongs
    // to COL. 3 hops.
    let p = json(&wd, "CIA", "DNI", DAY, &["--directed"]);
    assert_eq!(actors(&p), ["CIA", "USA", "COL", "DNI"]);
    assert_eq!(relations(&p), [(2, "USA-COL-COOP")]);
    // The cooperation is still contested (the suspension holds), so hop 2 is strained.
    assert_eq!(p["strained"], serde_json::json!([2]));
    // Along the relation's direction, DNI → CIA is 1 hop.
    assert_eq!(actors(&json(&wd, "DNI", "CIA", DAY, &["--directed"])), ["DNI", "CIA"]);
}

#[test]
fn directed_can_leave_no_path_on_any_date() {
    let wd = Workdir::with_queries();
    // FRO-ISL-FISHERIES runs FRO → ISL, and FRO has no other relation on any date.
    let p = json(&wd, "FRO", "ISL", DAY, &["--directed"]);
    assert_eq!(relations(&p), [(1, "FRO-ISL-FISHERIES")]);
    assert_eq!(p["strained"], serde_json::json!([1]), "a restriction strains its hop");
    // Against it, nothing ever reaches FRO.
    assert_eq!(
        no_path(&wd, "ISL", "FRO", DAY, &["--directed"]),
        "georel: no path from Iceland (ISL) to Faroe Islands (FRO) on 2025-06-15; there is none on any date\n"
    );
    // Both ways, the restriction links them.
    assert_eq!(actors(&json(&wd, "ISL", "FRO", DAY, &[])), ["ISL", "FRO"]);
}

#[test]
fn relations_only_does_not_step_between_an_agency_and_its_country() {
    let wd = Workdir::with_queries();
    let day = "2025-07-15"; // CIA-DGSE-EXCHANGE holds from 2025-07-01
                            // With "part of", 4 hops (BFS from DNI: CIA, COL; then DGSE, USA; then BND, FRA, CAN,
                            // CIRCLE, NSA, PACT; then TAO from NSA), two ways: DNI → CIA (TIPS, graded C), or DNI
                            // belongs to COL, COL–USA (COOP on a public record, A; the suspension is over). Neither
                            // is strained; the second's weakest hop is better. Then NSA belongs to USA, TAO to NSA.
    let p = json(&wd, "DNI", "TAO", day, &[]);
    assert_eq!(actors(&p), ["DNI", "COL", "USA", "NSA", "TAO"]);
    assert_eq!(p["part_of"].as_array().unwrap().len(), 3);
    // Relations only: TIPS, EXCHANGE, the DGSE–BND dispute, SIGINT, OPS: 5 hops, strained
    // at the dispute (hop 3) and at SIGINT (hop 4), which the UK's embargo on Germany
    // covers.
    let p = json(&wd, "DNI", "TAO", day, &["--relations-only"]);
    assert_eq!(actors(&p), ["DNI", "CIA", "DGSE", "BND", "GCHQ", "TAO"]);
    assert_eq!(p["part_of"], serde_json::json!([]));
    assert_eq!(p["strained"], serde_json::json!([3, 4]));
    // On the main day the exchange has not started: relations alone do not connect them,
    // and the nearest date when they do is its start.
    assert_eq!(
        no_path(&wd, "DNI", "TAO", DAY, &["--relations-only"]),
        "georel: no path from National Intelligence Directorate (DNI) to Tailored Access Operations (TAO) \
         on 2025-06-15; the nearest later date with one is 2025-07-01\n"
    );
}

// ---------------------------------------------------------------------------------------
// No path: exit 1 and the nearest dates

#[test]
fn no_path_names_the_nearest_earlier_and_later_dates_with_one() {
    let wd = Workdir::with_queries();
    // On the main day Iceland only has the Faroes. ISL-USA-OLD linked it to the USA from
    // 2019-01-01 until (not including) 2021-01-01, so the last earlier day with a path is
    // 2020-12-31; ISL-GBR-LATER links it to GBR (and GBR to USA through PACT and CIRCLE)
    // from 2025-09-01.
    assert_eq!(
        no_path(&wd, "USA", "ISL", DAY, &[]),
        "georel: no path from United States (USA) to Iceland (ISL) on 2025-06-15; \
         the nearest earlier date with one is 2020-12-31, and the nearest later date with one is 2025-09-01\n"
    );
    // The Faroes were not linked to Iceland before FRO-ISL-FISHERIES (2024-01-01), after
    // ISL-USA-OLD had ended: there is only a later date.
    assert_eq!(
        no_path(&wd, "FRO", "USA", DAY, &[]),
        "georel: no path from Faroe Islands (FRO) to United States (USA) on 2025-06-15; \
         the nearest later date with one is 2025-09-01\n"
    );
    // Before any relation: USA and GBR are first linked by their CIRCLE memberships.
    assert_eq!(
        no_path(&wd, "USA", "GBR", "1900", &[]),
        "georel: no path from United States (USA) to United Kingdom (GBR) in 1900 (at any time from 1900-01-01 \
         to 1900-12-31); the nearest later date with one is 1946-03-05\n"
    );
    // The dates named do have a path, and the days next to them do not.
    for (day, code) in [("2020-12-31", 0), ("2021-01-01", 1), ("2025-08-31", 1), ("2025-09-01", 0)] {
        path(&wd, "USA", "ISL", day, &[], code);
    }
}

#[test]
fn no_path_writes_nothing() {
    let wd = Workdir::with_queries();
    // README, exit codes: "the (empty) result is still written, except by `path`, which
    // writes nothing when there is no path". A script gets exit 1 and no file, never a file
    // that could be mistaken for a result.
    let (out, err) = wd.run_code(&["path", "USA", "ISL", "--at", DAY, "--format", "csv"], 1);
    assert_eq!(out, "");
    assert!(err.starts_with("georel: no path from United States (USA) to Iceland (ISL)"), "{err}");
    assert!(!wd.path().join("output").exists());
    let (out, _) = wd
        .run_code(&["path", "USA", "ISL", "--at", DAY, "--all", "--format", "json", "--out", "all.json"], 1);
    assert_eq!(out, "");
    assert!(!wd.path().join("all.json").exists());
}

#[test]
fn the_search_for_the_nearest_dates_gives_up_after_200_changes_a_side() {
    // C–D cooperate in January 2019 only; then N one-day relations between other actors,
    // on consecutive days from 2020-01-01, change the graph on N + 1 days. From 2021-01-01
    // the search steps back through those days, then 2019-02-01, and reaches January 2019
    // on its (N + 3)th try. No day after 2021-01-01 changes anything.
    let dataset = |n: usize| {
        let mut csv = String::from("source,target,kind,start,end\nC,D,cooperation,2019-01-01,2019-02-01\n");
        let mut day = jiff::civil::date(2020, 1, 1);
        for i in 0..n {
            let next = day.tomorrow().unwrap();
            csv.push_str(&format!("X{i},Y{i},cooperation,{day},{next}\n"));
            day = next;
        }
        let wd = Workdir::new();
        wd.write("data/relations.csv", csv);
        wd
    };
    // 150 relations: found on the 153rd try; the stretch from 2019-01-01 ends on 2019-01-31.
    let (_, err) = dataset(150).run_code(&["path", "C", "D", "--at", "2021-01-01"], 1);
    assert_eq!(
        err,
        "georel: no path from C to D on 2021-01-01; the nearest earlier date with one is 2019-01-31\n"
    );
    // 205 relations: 206 days of 2020 come first, past the 200 tries.
    let (_, err) = dataset(205).run_code(&["path", "C", "D", "--at", "2021-01-01"], 1);
    assert_eq!(
        err,
        "georel: no path from C to D on 2021-01-01; none either on the 200 nearest dates before and after \
         where the graph changes\n"
    );
}

// ---------------------------------------------------------------------------------------
// Filters

#[test]
fn strict_leaves_out_a_possible_membership() {
    let wd = Workdir::with_queries();
    let day = "2025-05-25"; // CAN-CIRCLE (start 2025-05) is possible, not yet active
                            // CAN → CIRCLE → GBR, over the possible membership: 2 hops.
    let p = json(&wd, "CAN", "GBR", day, &[]);
    assert_eq!(actors(&p), ["CAN", "CIRCLE", "GBR"]);
    assert_eq!(p["relations"][0]["status"], "possible");
    // Strict: CAN's links are CSIS (a dead end) and USA (CAN-USA-RETICENCE, from 2025-05-20);
    // from USA, CIRCLE comes first by id, then GBR. 3 hops, strained at the restriction.
    let p = json(&wd, "CAN", "GBR", day, &["--strict"]);
    assert_eq!(actors(&p), ["CAN", "USA", "CIRCLE", "GBR"]);
    assert_eq!(p["strained"], serde_json::json!([1]));
    assert!(p["relations"].as_array().unwrap().iter().all(|r| r["status"] == "active"));
}

#[test]
fn kinds_walks_only_those_relations_and_contested_is_decided_before() {
    let wd = Workdir::with_queries();
    // Restrictions only: TIPS (a cooperation) is gone, so CIA goes through USA; of USA–COL
    // only the suspension is left, still flagged contested by the hidden cooperation.
    let p = json(&wd, "CIA", "COL", DAY, &["--kinds", "restriction"]);
    assert_eq!(actors(&p), ["CIA", "USA", "COL"]);
    assert_eq!(relations(&p), [(2, "COL-USA-SUSPENSION")]);
    assert_eq!(p["relations"][0]["contested"], true);
}

#[test]
fn by_country_walks_between_countries_with_merged_edges() {
    let wd = Workdir::with_queries();
    // TAO is USA's and DEU is itself. Country to country, TAO-GCHQ-OPS is a USA–GBR
    // cooperation, and GBR–DEU has both SIGINT (GCHQ–BND) and the embargo: a pair contested
    // only when rolled up. USA reaches DEU in 2 hops through GBR or through PACT; PACT's
    // memberships are not strained, GBR–DEU is: USA → PACT → DEU.
    let p = json(&wd, "TAO", "DEU", DAY, &["--by-country"]);
    assert_eq!(actors(&p), ["USA", "PACT", "DEU"]);
    assert_eq!(p["strained"], serde_json::json!([]));
    // Without PACT, USA → GBR → DEU, no "part of" hops.
    let p = json(&wd, "TAO", "DEU", DAY, &["--by-country", "--avoid", "PACT"]);
    assert_eq!((p["from"].as_str(), p["to"].as_str()), (Some("USA"), Some("DEU")));
    assert_eq!(actors(&p), ["USA", "GBR", "DEU"]);
    assert_eq!(relations(&p), [(1, "TAO-GCHQ-OPS"), (2, "GCHQ-BND-SIGINT"), (2, "GBR-DEU-EMBARGO")]);
    assert_eq!(p["part_of"], serde_json::json!([]));
    assert_eq!(p["strained"], serde_json::json!([2]));
    let rels = p["relations"].as_array().unwrap();
    // The merged edge runs between the countries and lists its relation.
    assert_eq!((rels[0]["source"].as_str(), rels[0]["target"].as_str()), (Some("GBR"), Some("USA")));
    assert_eq!(rels[0]["relations"], serde_json::json!(["TAO-GCHQ-OPS"]));
    assert_eq!(rels[1]["contested"], true);
    assert_eq!(rels[2]["contested"], true);
    // Actor by actor the same contest: the golden path TAO → GCHQ → BND → DEU is strained
    // at SIGINT (hop 2), the embargo covering the agencies.
    let p = json(&wd, "TAO", "DEU", DAY, &[]);
    assert_eq!(actors(&p), ["TAO", "GCHQ", "BND", "DEU"]);
    assert_eq!(p["strained"], serde_json::json!([2]));
    // Avoiding an agency avoids its country: without USA, COL has no link at all.
    assert!(no_path(&wd, "COL", "GBR", DAY, &["--by-country", "--avoid", "CIA"])
        .ends_with("there is none on any date\n"));
}

// ---------------------------------------------------------------------------------------
// --all, --max-hops, --limit

#[test]
fn all_lists_simple_paths_shortest_first_then_by_actor_ids() {
    let wd = Workdir::with_queries();
    let list = json(&wd, "TAO", "DEU", DAY, &["--all"]);
    let found: Vec<Vec<&str>> = list.as_array().unwrap().iter().map(actors).collect();
    // By hand, every simple path of at most 4 hops (the default --max-hops):
    // 3 hops: TAO-GCHQ-BND-DEU (BND belongs to DEU), TAO-GCHQ-GBR-DEU (the embargo);
    // 4 hops: TAO-GCHQ-GBR-PACT-DEU, TAO-NSA-USA-PACT-DEU.
    // Nothing shorter: TAO's only links are GCHQ and NSA, neither of which touches DEU's
    // links (BND, GBR, PACT). Longer ones (TAO-NSA-USA-CIRCLE-GBR-DEU has 5 hops) are past
    // --max-hops.
    // Within a length, as `path` prefers: fewer strained hops (the embargo strains
    // GBR–DEU), then the weakest hop's grade (TAO-GCHQ-OPS cites no source, F; through NSA,
    // two "part of" hops and memberships on a public record, A), then ids.
    assert_eq!(
        found,
        [
            vec!["TAO", "GCHQ", "BND", "DEU"],
            vec!["TAO", "GCHQ", "GBR", "DEU"],
            vec!["TAO", "NSA", "USA", "PACT", "DEU"],
            vec!["TAO", "GCHQ", "GBR", "PACT", "DEU"],
        ]
    );
    let strained: Vec<&serde_json::Value> = list.as_array().unwrap().iter().map(|p| &p["strained"]).collect();
    assert_eq!(
        strained,
        [&serde_json::json!([2]), &serde_json::json!([3]), &serde_json::json!([]), &serde_json::json!([])]
    );
    // The first is the shortest path.
    assert_eq!(list[0], json(&wd, "TAO", "DEU", DAY, &[]));

    // --max-hops 3 keeps the two 3-hop paths; --limit 3 the first three.
    let short = json(&wd, "TAO", "DEU", DAY, &["--all", "--max-hops", "3"]);
    assert_eq!(short.as_array().unwrap()[..], list.as_array().unwrap()[..2]);
    let limited = json(&wd, "TAO", "DEU", DAY, &["--all", "--limit", "3"]);
    assert_eq!(limited.as_array().unwrap()[..], list.as_array().unwrap()[..3]);
    // --limit 1 is the shortest path, still as a list.
    let one = json(&wd, "TAO", "DEU", DAY, &["--all", "--limit", "1"]);
    assert_eq!(one, serde_json::json!([list[0]]));
}

#[test]
fn all_in_text_numbers_the_paths() {
    let wd = Workdir::with_queries();
    let text = path(&wd, "TAO", "DEU", DAY, &["--all", "--limit", "2"], 0);
    let heads: Vec<&str> = text.lines().filter(|l| l.starts_with("path ")).collect();
    // The two 3-hop paths; the first crosses SIGINT (contested by the embargo, which covers
    // GCHQ and the BND), the second the embargo.
    assert_eq!(
        heads,
        [
            "path 1: Tailored Access Operations (TAO) to Germany (DEU) on 2025-06-15: 3 hops, 1 strained, weakest grade F6",
            "path 2: Tailored Access Operations (TAO) to Germany (DEU) on 2025-06-15: 3 hops, 1 strained, weakest grade F6",
        ]
    );
}

#[test]
fn all_by_country_lists_every_path_between_the_countries_in_order() {
    let wd = Workdir::with_queries();
    let list = json(&wd, "USA", "DEU", DAY, &["--all", "--by-country"]);
    let found: Vec<Vec<&str>> = list.as_array().unwrap().iter().map(actors).collect();
    // Country links on the main day: USA–CAN, USA–CIRCLE, USA–COL, USA–GBR (TAO-GCHQ-OPS),
    // USA–PACT, CAN–CIRCLE, GBR–CIRCLE, GBR–PACT, GBR–DEU, FRA–PACT, FRA–DEU (the agencies'
    // dispute), DEU–PACT. By hand, the simple USA–DEU paths of at most 4 hops, by length:
    // 2 hops via GBR or PACT; 3 via CIRCLE-GBR, GBR-PACT, PACT-FRA, PACT-GBR; 4 via
    // CAN-CIRCLE-GBR, CIRCLE-GBR-PACT, GBR-PACT-FRA. Within a length, fewer strained hops
    // first (GBR–DEU is contested when rolled up, FRA–DEU a dispute, USA–CAN a restriction),
    // then the weakest hop's grade (USA–GBR is TAO-GCHQ-OPS, ungraded: F; FRA–DEU C;
    // memberships A), then ids.
    assert_eq!(
        found,
        [
            vec!["USA", "PACT", "DEU"],
            vec!["USA", "GBR", "DEU"],
            vec!["USA", "GBR", "PACT", "DEU"],
            vec!["USA", "CIRCLE", "GBR", "DEU"],
            vec!["USA", "PACT", "GBR", "DEU"],
            vec!["USA", "PACT", "FRA", "DEU"],
            vec!["USA", "CIRCLE", "GBR", "PACT", "DEU"],
            vec!["USA", "GBR", "PACT", "FRA", "DEU"],
            vec!["USA", "CAN", "CIRCLE", "GBR", "DEU"],
        ]
    );
}

#[test]
fn all_from_a_country_to_its_agency_walks_the_part_of_link_or_around() {
    let wd = Workdir::with_queries();
    // COL → DNI: the "part of" link (1 hop), or COL–USA, CIA belongs to USA, TIPS (3 hops).
    let both = json(&wd, "COL", "DNI", DAY, &["--all"]);
    let found: Vec<Vec<&str>> = both.as_array().unwrap().iter().map(actors).collect();
    assert_eq!(found, [vec!["COL", "DNI"], vec!["COL", "USA", "CIA", "DNI"]]);
    // Directed, TIPS runs DNI → CIA and cannot end the second path.
    let directed = json(&wd, "COL", "DNI", DAY, &["--all", "--directed"]);
    let found: Vec<Vec<&str>> = directed.as_array().unwrap().iter().map(actors).collect();
    assert_eq!(found, [vec!["COL", "DNI"]]);
}

#[test]
// Regression (fixed): path --all with no path within --max-hops names the day before and the next change as the nearest dates, though a longer path exists on the day itself.
fn all_within_too_few_hops_does_not_name_dates_next_to_the_day() {
    let wd = Workdir::with_queries();
    // TAO → DEU needs 3 hops on the main day, and the graph does not change from 2025-06-01
    // until 2025-07-01. The message says "the nearest earlier date with one is 2025-06-14,
    // and the nearest later date with one is 2025-07-01": the days next to the main day on
    // which a path of any length exists, as it does on the main day itself. Read as written,
    // 2025-06-14 had a path within 2 hops and 2025-06-15 did not, which is false. It should
    // say that the day has a path, of 3 hops.
    let err = no_path(&wd, "TAO", "DEU", DAY, &["--all", "--max-hops", "2"]);
    assert!(err.starts_with("georel: no path from Tailored Access Operations (TAO) to Germany (DEU) on 2025-06-15 within 2 hops"), "{err}");
    assert!(!err.contains("2025-06-14") && !err.contains("2025-07-01"), "{err}");
    assert!(err.contains("3 hops"), "the message should give the shortest path's length: {err}");
}

/// Regression: with --all, an actor to itself gave no path (exit 1) and "the nearest earlier
/// date with one is 2025-06-14": a contradiction, since nothing changes between those days.
#[test]
fn all_from_an_actor_to_itself_agrees_with_the_shortest_path() {
    let wd = Workdir::with_queries();
    // As without --all (a_path_from_an_actor_to_itself_has_no_hops): the path of 0 hops.
    let list = json(&wd, "USA", "US", DAY, &["--all"]);
    assert_eq!(list, serde_json::json!([json(&wd, "USA", "US", DAY, &[])]));
    assert_eq!(list[0]["hops"], 0);
}

// ---------------------------------------------------------------------------------------
// Usage errors

#[test]
fn max_hops_and_limit_need_all_and_must_be_at_least_1() {
    let wd = Workdir::with_queries();
    for flag in ["--limit", "--max-hops", "--max-tries"] {
        let (out, err) = wd.run_code(&["path", "TAO", "DEU", "--at", DAY, flag, "3"], 2);
        assert_eq!(out, "");
        assert!(err.contains("the following required arguments were not provided:\n  --all"), "{err}");
    }
    for flag in ["--limit", "--max-hops", "--max-tries"] {
        let (out, err) = wd.run_code(&["path", "TAO", "DEU", "--at", DAY, "--all", flag, "0"], 2);
        assert_eq!(out, "");
        assert_eq!(err, "georel: --max-hops, --limit and --max-tries must be at least 1\n");
    }
}

#[test]
fn a_bad_date_is_a_usage_error_naming_it() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["path", "TAO", "DEU", "--at", "2025-06-31"], 2);
    assert_eq!(out, "");
    assert_eq!(
        err,
        "georel: invalid date \"2025-06-31\" for --at: day 31 does not exist in 2025-06 (it has 30 days); \
         write YYYY, YYYY-MM or YYYY-MM-DD (for example 2019, 2019-11 or 2019-11-22)\n"
    );
    let (_, err) = wd.run_code(&["path", "TAO", "DEU"], 2);
    assert!(err.contains("--at <DATE>"), "{err}");
}

#[test]
fn an_unknown_actor_is_a_usage_error() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["path", "TAO", "Atlantis", "--at", DAY], 2);
    assert_eq!(out, "");
    assert_eq!(err, "georel: no actor is called \"Atlantis\"; give an id, name or alias from actors.csv\n");
    let (_, err) = wd.run_code(&["path", "TAO", "DEU", "--at", DAY, "--avoid", "Atlantis"], 2);
    assert_eq!(err, "georel: no actor is called \"Atlantis\"; give an id, name or alias from actors.csv\n");
}

// ---------------------------------------------------------------------------------------
// Where results go

#[test]
fn files_are_named_after_the_actor_ids_and_the_day() {
    let wd = Workdir::with_queries();
    // Named by alias and name, the file takes the ids: "bogota" is COL, "central
    // intelligence agency" CIA.
    let (out, _) =
        wd.run_code(&["path", "bogota", "central intelligence agency", "--at", DAY, "--format", "json"], 0);
    assert_eq!(out, "wrote output/path-COL-CIA-2025-06-15.json\n");
    // COL → CIA: COL's links are DNI and USA, each two hops with one strained hop (the
    // suspension contests DNI–CIA); USA–COL is the better graded. 2 hops.
    let written: serde_json::Value =
        serde_json::from_str(&wd.read("output/path-COL-CIA-2025-06-15.json")).unwrap();
    assert_eq!(actors(&written), ["COL", "USA", "CIA"]);
    // A month is named as given; an explicit period by its first and last days.
    let (out, _) = wd.run_code(&["path", "COL", "CIA", "--at", "2025-06", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/path-COL-CIA-2025-06.csv\n");
    let (out, _) =
        wd.run_code(&["path", "COL", "CIA", "--from", "2025-06", "--to", DAY, "--format", "csv"], 0);
    assert_eq!(out, "wrote output/path-COL-CIA-2025-06-01_to_2025-06-15.csv\n");
    let (out, _) = wd.run_code(&["path", "COL", "CIA", "--at", DAY, "--format", "dot"], 0);
    assert_eq!(out, "wrote output/path-COL-CIA-2025-06-15.dot\n");
    assert_eq!(
        wd.list("output"),
        [
            "path-COL-CIA-2025-06-01_to_2025-06-15.csv",
            "path-COL-CIA-2025-06-15.dot",
            "path-COL-CIA-2025-06-15.json",
            "path-COL-CIA-2025-06.csv"
        ]
    );
}

#[test]
fn out_file_and_out_dir() {
    let wd = Workdir::with_queries();
    let stdout_json = path(&wd, "TAO", "COL", DAY, &["--format", "json", "--out", "-"], 0);
    // A file, with its folders created.
    let (out, _) =
        wd.run_code(&["path", "TAO", "COL", "--at", DAY, "--format", "json", "--out", "res/p.json"], 0);
    assert_eq!(out, "wrote res/p.json\n");
    assert_eq!(wd.read("res/p.json"), stdout_json);
    // An existing folder gets the default name; text goes there too, as .txt.
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) =
        wd.run_code(&["path", "TAO", "COL", "--at", DAY, "--format", "json", "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/path-TAO-COL-2025-06-15.json\n");
    let (out, _) = wd.run_code(&["path", "TAO", "COL", "--at", DAY, "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/path-TAO-COL-2025-06-15.txt\n");
    assert_eq!(wd.read("exports/path-TAO-COL-2025-06-15.json"), stdout_json);
    assert_eq!(wd.read("exports/path-TAO-COL-2025-06-15.txt"), path(&wd, "TAO", "COL", DAY, &[], 0));
    assert!(!wd.exists("output"), "output/ is not used");
}

#[test]
fn text_goes_to_stdout_by_default_and_writes_nothing() {
    let wd = Workdir::with_queries();
    let text = path(&wd, "TAO", "COL", DAY, &[], 0);
    assert!(
        text.starts_with(
            "Tailored Access Operations (TAO) to Colombia (COL) on 2025-06-15: 3 hops, 1 strained, weakest grade A6\n"
        ),
        "{text}"
    );
    assert_eq!(wd.list(""), ["data"]);
}

// ---------------------------------------------------------------------------------------
// --all on dense graphs: a bounded search (#4 of issue 13)

/// A dataset where `hub` links to `size` actors K0..K{size-1} that form a complete graph,
/// plus `extra` relations (`source,target` pairs).
fn clique(hub: &str, size: usize, extra: &[(&str, &str)]) -> Workdir {
    let wd = Workdir::new();
    let mut rows = String::from("id,source,target,kind,start,end,directed,evidence,summary\n");
    for (s, t) in extra {
        rows.push_str(&format!("{s}-{t},{s},{t},cooperation,2020,,,,\n"));
    }
    for i in 0..size {
        rows.push_str(&format!("{hub}-K{i},{hub},K{i},cooperation,2020,,,,\n"));
        for j in i + 1..size {
            rows.push_str(&format!("K{i}-K{j},K{i},K{j},cooperation,2020,,,,\n"));
        }
    }
    wd.write("data/relations.csv", rows);
    wd
}

/// The case of the issue: S–T, and S linked to a 12-clique, up to 12 hops. The clique
/// cannot reach T but through S again, which a simple path never does: the search prunes
/// it at once (before, it walked every simple path in the clique).
#[test]
// Regression (#4 of issue 13): path --all took exponential time on a 12-clique beside the start.
fn all_prunes_a_clique_that_reaches_the_target_only_through_the_start() {
    let wd = clique("S", 12, &[("S", "T")]);
    let list = json(&wd, "S", "T", "2021-01-01", &["--all", "--max-hops", "12", "--max-tries", "1000"]);
    let found: Vec<Vec<&str>> = list.as_array().unwrap().iter().map(actors).collect();
    assert_eq!(found, [vec!["S", "T"]]);
}

/// S–A–T, and A linked to a 12-clique: every clique node is 2 hops from T (through A), so
/// the distances do not prune it, and the dead ends grow exponentially with the hops. The
/// search stops after --max-tries and says so (exit 3): the path found is printed, with
/// what was not done and how to narrow the question.
#[test]
// Regression (#4 of issue 13): path --all had no bound on its work.
fn all_gives_up_after_max_tries_and_says_the_answer_is_incomplete() {
    let wd = clique("A", 12, &[("S", "A"), ("A", "T")]);
    let args = ["--all", "--max-hops", "12", "--max-tries", "50000", "--format", "json", "--out", "-"];
    let (out, err) = wd.run_code(&[&["path", "S", "T", "--at", "2021-01-01"][..], &args].concat(), 3);
    let list: serde_json::Value = serde_json::from_str(&out).unwrap();
    let found: Vec<Vec<&str>> = list.as_array().unwrap().iter().map(actors).collect();
    assert_eq!(found, [vec!["S", "A", "T"]], "the paths found before giving up, in order");
    assert!(err.starts_with("georel: incomplete: this is the first path in order"), "{err}");
    for needed in [
        "50000 tries (--max-tries)",
        "--max-hops, now 12",
        "--kinds",
        "another --at date",
        "raise --max-tries",
    ] {
        assert!(err.contains(needed), "{needed:?} missing from {err}");
    }
    // With nothing found before giving up: not "no path" (there may be one), exit 3.
    let (out, err) = wd.run_code(
        &["path", "S", "T", "--at", "2021-01-01", "--all", "--max-hops", "12", "--max-tries", "1"],
        3,
    );
    assert_eq!(out, "");
    assert!(err.starts_with("georel: no path from S to T on 2021-01-01 found before the search gave up; it stopped after 1 tries"), "{err}");
}

/// Keeping a path found costs a try per hop: before, a search where most steps find a path
/// (a clique, asked for a million paths of up to 25 hops) copied paths for 10 s and 4 GB
/// within its "one second" of tries.
#[test]
// Regression (#4 of issue 13, from the review): the tries did not count the paths kept.
fn all_counts_the_paths_it_keeps_against_its_tries() {
    let wd = clique("S", 0, &[("S", "T")]);
    // One try to step from S to T, one to keep the path of one hop.
    let (_, err) = wd.run_code(
        &["path", "S", "T", "--at", "2021-01-01", "--all", "--max-hops", "1", "--max-tries", "1"],
        3,
    );
    assert!(err.contains("found before the search gave up"), "{err}");
    let list = json(&wd, "S", "T", "2021-01-01", &["--all", "--max-hops", "1", "--max-tries", "2"]);
    let found: Vec<Vec<&str>> = list.as_array().unwrap().iter().map(actors).collect();
    assert_eq!(found, [vec!["S", "T"]]);
}

/// A list of more than 100,000 paths is refused before any search: it is no answer anyone
/// reads, and every path is kept in memory until it is written.
#[test]
// Regression (#4 of issue 13, from the review): --limit 100000000 grew to 4 GB in 20 s.
fn all_refuses_a_limit_past_a_hundred_thousand_paths() {
    let wd = clique("S", 3, &[("S", "T")]);
    let (out, err) =
        wd.run_code(&["path", "K0", "K1", "--at", "2021-01-01", "--all", "--limit", "100001"], 2);
    assert_eq!(out, "");
    assert!(err.contains("--limit 100001 asks for more paths than can be listed (at most 100000)"), "{err}");
    wd.run_code(&["path", "K0", "K1", "--at", "2021-01-01", "--all", "--limit", "100000"], 0);
}

/// Issue 14: a hop written "USA — COL" over COL's restriction of the US read as the US
/// restricting Colombia. A hop and each of its relations show their own direction.
#[test]
fn text_shows_each_relation_in_its_own_direction() {
    let wd = Workdir::with_queries();
    let text = path(&wd, "USA", "COL", DAY, &["--kinds", "restriction"], 0);
    assert!(text.contains("  1. United States (USA) ← Colombia (COL)  STRAINED\n"), "{text}");
    assert!(text.contains("       COL → USA  restriction active "), "{text}");
    // Both relations of the pair: mutual cooperation and a restriction one way, so the hop
    // has no single direction; each relation line still has its own.
    let text = path(&wd, "USA", "COL", DAY, &[], 0);
    assert!(text.contains("  1. United States (USA) — Colombia (COL)  STRAINED\n"), "{text}");
    assert!(text.contains("       COL → USA  restriction active "), "{text}");
    assert!(text.contains("       USA — COL  cooperation active "), "{text}");
}

/// Over a period with no path, the nearest dates are looked for before its first day and
/// after its last, never within it: 250 changes inside 2025 used up the later side's probes
/// (200 on small data), so "there is none on any date" read "none either on the 200 nearest
/// dates" (and the search ran twice).
#[test]
fn over_a_period_nearest_dates_are_sought_outside_it_only() {
    let wd = Workdir::new();
    let mut csv = String::from(
        "id,source,target,kind,start,end\nA-E,A,E,cooperation,2020,\nB-F,B,F,cooperation,2020,\n",
    );
    for i in 0..250 {
        let day = jiff::civil::date(2025, 1, 1).checked_add(jiff::Span::new().days(i)).unwrap();
        csv.push_str(&format!("C{i},C{i},D{i},cooperation,{day},\n"));
    }
    wd.write("data/relations.csv", &csv);
    let (_, err) = wd.run_code(&["path", "A", "B", "--at", "2025"], 1);
    assert!(err.ends_with("; there is none on any date\n"), "{err}");
}
