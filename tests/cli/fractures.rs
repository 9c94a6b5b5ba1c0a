//! `georel fractures`: restrictions and disputes between members of the same alliance or
//! agreement on a day, with an agency counted for its top-level parent; `--group`,
//! `--strict`, `--by-country`, formats (no DOT) and files.
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`. By hand,
//! on the main day (2025-06-15):
//!
//! - members of PACT (Western Pact): USA, GBR, FRA (until 2025-09-01), DEU; of CIRCLE
//!   (Signals Circle): USA, GBR, CAN (possible in May 2025, active from 2025-06-01);
//! - restrictions and disputes: COL-USA-SUSPENSION (COL is in no alliance), GBR-DEU-EMBARGO
//!   (GBR and DEU both in PACT; DEU is not in CIRCLE), DGSE-BND-DISPUTE (agencies of FRA and
//!   DEU, both in PACT), CAN-USA-RETICENCE (both in CIRCLE; CAN is not in PACT),
//!   FRO-ISL-FISHERIES (in no alliance);
//! - so three fractures: CIRCLE CAN → USA; PACT FRA ↔ DEU (by DGSE and BND) and GBR → DEU.
//!   Groups in id order (CIRCLE, PACT), then pairs by their members' ids: (DEU, FRA) before
//!   (DEU, GBR).

use crate::harness::{parse_csv, stderr, stdout, Workdir};

const DAY: &str = "2025-06-15";

/// Runs `fractures --at DATE` plus `extra`, asserts `code`, and returns stdout.
#[track_caller]
fn fractures(wd: &Workdir, date: &str, extra: &[&str], code: i32) -> String {
    let mut args = vec!["fractures", "--at", date];
    args.extend_from_slice(extra);
    wd.run_code(&args, code).0
}

/// The result as JSON on stdout; an empty one (exit 1) is fine.
#[track_caller]
fn json(wd: &Workdir, date: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["fractures", "--at", date, "--format", "json", "--out", "-"];
    args.extend_from_slice(extra);
    let out = wd.run(&args);
    assert!(matches!(out.status.code(), Some(0 | 1)), "fractures failed: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).unwrap()
}

/// `group: source_member → target_member status (relation id)` for each fracture.
fn found(doc: &serde_json::Value) -> Vec<String> {
    doc["fractures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}: {} → {} {} ({})",
                f["group"].as_str().unwrap(),
                f["source_member"].as_str().unwrap(),
                f["target_member"].as_str().unwrap(),
                f["status"].as_str().unwrap(),
                f["id"].as_str().unwrap()
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Golden files: the main day, every group (worked out in the module docs)

#[test]
fn golden_text() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(fractures(&wd, DAY, &[], 0));
}

/// As the text, but the DGSE–BND dispute reads "France (FRA) ↔ Germany (DEU)".
#[test]
fn golden_text_by_country() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(fractures(&wd, DAY, &["--by-country"], 0));
}

#[test]
fn golden_csv() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(fractures(&wd, DAY, &["--format", "csv", "--out", "-"], 0));
}

#[test]
fn golden_json() {
    let wd = Workdir::with_queries();
    insta::assert_snapshot!(fractures(&wd, DAY, &["--format", "json", "--out", "-"], 0));
}

// ---------------------------------------------------------------------------------------
// Who counts

#[test]
fn a_restriction_between_members_of_the_same_alliance_is_a_fracture() {
    let wd = Workdir::with_queries();
    let doc = json(&wd, DAY, &[]);
    assert_eq!(doc["at"], DAY);
    assert_eq!(doc["group"], serde_json::Value::Null);
    assert_eq!(
        found(&doc),
        [
            "CIRCLE: CAN → USA active (CAN-USA-RETICENCE)",
            "PACT: FRA → DEU active (DGSE-BND-DISPUTE)",
            "PACT: GBR → DEU active (GBR-DEU-EMBARGO)",
        ]
    );
    // COL-USA-SUSPENSION and FRO-ISL-FISHERIES are strains, but not inside an alliance.
    let text = fractures(&wd, DAY, &[], 0);
    assert!(!text.contains("SUSPENSION") && !text.contains("FISHERIES"), "{text}");
}

#[test]
fn an_agency_counts_for_its_country() {
    let wd = Workdir::with_queries();
    let doc = json(&wd, DAY, &["--group", "PACT"]);
    // DGSE-BND-DISPUTE is between agencies; their countries FRA and DEU are PACT members.
    let dispute = &doc["fractures"][0];
    assert_eq!(dispute["id"], "DGSE-BND-DISPUTE");
    assert_eq!((dispute["source"].as_str(), dispute["target"].as_str()), (Some("DGSE"), Some("BND")));
    assert_eq!(
        (dispute["source_member"].as_str(), dispute["target_member"].as_str()),
        (Some("FRA"), Some("DEU"))
    );
    // In text, each agency is shown with its country; --by-country shows the countries.
    let text = fractures(&wd, DAY, &["--group", "PACT"], 0);
    assert!(
        text.contains(
            "\n  Direction générale de la sécurité extérieure (DGSE) [FRA] ↔ Federal Intelligence Service (BND)\n      [DEU]  dispute active\n"
        ),
        "{text}"
    );
    let text = fractures(&wd, DAY, &["--group", "PACT", "--by-country"], 0);
    assert!(text.contains("\n  France (FRA) ↔ Germany (DEU)  dispute active\n"), "{text}");
    // The relation line still names the agencies.
    assert!(
        text.contains(
            "DGSE-BND-DISPUTE  dispute\n           Direction générale de la sécurité extérieure (DGSE) ↔ Federal Intelligence Service (BND)"
        ),
        "{text}"
    );
}

#[test]
fn group_keeps_one_alliance_named_any_way() {
    let wd = Workdir::with_queries();
    // By id, name (any case) or with dashes for spaces.
    for name in ["PACT", "western pact", "Western-Pact"] {
        let doc = json(&wd, DAY, &["--group", name]);
        assert_eq!(doc["group"], "PACT", "{name}");
        assert_eq!(
            found(&doc),
            ["PACT: FRA → DEU active (DGSE-BND-DISPUTE)", "PACT: GBR → DEU active (GBR-DEU-EMBARGO)"]
        );
    }
    assert_eq!(
        found(&json(&wd, DAY, &["--group", "Signals Circle"])),
        ["CIRCLE: CAN → USA active (CAN-USA-RETICENCE)"]
    );
    // The text heading counts by group.
    assert!(fractures(&wd, DAY, &["--group", "PACT"], 0)
        .starts_with("fractures on 2025-06-15: 2 (Western Pact 2)\nWestern Pact (PACT)\n"));
}

#[test]
fn a_member_that_left_no_longer_counts() {
    let wd = Workdir::with_queries();
    // FRA-PACT ends on 2025-09-01: on 08-31 the DGSE–BND dispute is still a PACT fracture,
    // on 09-01 it is not (GBR-DEU-EMBARGO still is, active until 09-30).
    assert_eq!(
        found(&json(&wd, "2025-08-31", &["--group", "PACT"])),
        ["PACT: FRA → DEU active (DGSE-BND-DISPUTE)", "PACT: GBR → DEU active (GBR-DEU-EMBARGO)"]
    );
    assert_eq!(
        found(&json(&wd, "2025-09-01", &["--group", "PACT"])),
        ["PACT: GBR → DEU active (GBR-DEU-EMBARGO)"]
    );
}

#[test]
fn a_possible_membership_or_relation_makes_a_possible_fracture() {
    let wd = Workdir::with_queries();
    // On 2025-05-25, CAN-CIRCLE (start 2025-05) is possible and CAN-USA-RETICENCE active: the
    // CIRCLE fracture is possible. --strict leaves it out.
    let doc = json(&wd, "2025-05-25", &[]);
    assert_eq!(
        found(&doc),
        [
            "CIRCLE: CAN → USA possible (CAN-USA-RETICENCE)",
            "PACT: FRA → DEU active (DGSE-BND-DISPUTE)",
            "PACT: GBR → DEU active (GBR-DEU-EMBARGO)",
        ]
    );
    assert_eq!(
        found(&json(&wd, "2025-05-25", &["--strict"])),
        ["PACT: FRA → DEU active (DGSE-BND-DISPUTE)", "PACT: GBR → DEU active (GBR-DEU-EMBARGO)"]
    );
    // On 2025-10-15 the embargo (end 2025-10) is possible, FRA has left PACT, and CAN is an
    // active CIRCLE member: the PACT fracture is possible, the CIRCLE one active.
    assert_eq!(
        found(&json(&wd, "2025-10-15", &[])),
        ["CIRCLE: CAN → USA active (CAN-USA-RETICENCE)", "PACT: GBR → DEU possible (GBR-DEU-EMBARGO)"]
    );
    assert_eq!(
        found(&json(&wd, "2025-10-15", &["--strict"])),
        ["CIRCLE: CAN → USA active (CAN-USA-RETICENCE)"]
    );
    // Strict with --group, and nothing left: exit 1.
    let (out, err) = wd.run_code(&["fractures", "--at", "2025-05-25", "--group", "CIRCLE", "--strict"], 1);
    assert_eq!(out, "fractures on 2025-05-25: 0\n");
    assert_eq!(err, "georel: no fracture on 2025-05-25\n");
}

// ---------------------------------------------------------------------------------------
// Empty results and errors

#[test]
fn no_fracture_exits_1_and_still_writes_the_file() {
    let wd = Workdir::with_queries();
    // On 2025-03-01 none of the strains has begun (DGSE-BND-DISPUTE starts 04-01).
    let (out, err) = wd.run_code(&["fractures", "--at", "2025-03-01"], 1);
    assert_eq!(out, "fractures on 2025-03-01: 0\n");
    assert_eq!(err, "georel: no fracture on 2025-03-01\n");
    let (out, _) = wd.run_code(&["fractures", "--at", "2025-03-01", "--format", "csv"], 1);
    assert_eq!(out, "wrote output/fractures-2025-03-01.csv\n");
    assert_eq!(parse_csv(&wd.read("output/fractures-2025-03-01.csv")).len(), 0);
}

#[test]
fn an_unknown_group_is_a_usage_error_with_a_suggestion() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["fractures", "--at", DAY, "--group", "Pakt"], 2);
    assert_eq!(out, "");
    assert_eq!(err, "georel: no actor is called \"Pakt\"; did you mean PACT (Western Pact)?\n");
}

#[test]
// Regression (fixed): fractures --group with an actor that is not an alliance or agreement reports \"no fracture\" (exit 1) instead of a usage error.
fn a_group_that_is_not_an_alliance_is_a_usage_error() {
    let wd = Workdir::with_queries();
    // CAN is a country. Today: "fractures on 2025-06-15: 0", "georel: no fracture on
    // 2025-06-15", exit 1, which reads as if CAN's alliances had no strains.
    let (out, err) = wd.run_code(&["fractures", "--at", DAY, "--group", "CAN"], 2);
    assert_eq!(out, "");
    assert!(err.contains("CAN") && err.contains("alliance"), "{err}");
}

#[test]
fn format_dot_is_rejected() {
    let wd = Workdir::with_queries();
    let (out, err) = wd.run_code(&["fractures", "--at", DAY, "--format", "dot"], 2);
    assert_eq!(out, "");
    // Refused by the command line itself, which lists what fractures writes.
    assert!(
        err.contains("invalid value 'dot' for '--format <FORMAT>'\n  [possible values: text, csv, json]"),
        "{err}"
    );
    assert_eq!(wd.list(""), ["data"], "nothing is written");
}

// ---------------------------------------------------------------------------------------
// Where results go

#[test]
fn files_are_named_after_the_day_and_the_group() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["fractures", "--at", DAY, "--format", "json"], 0);
    assert_eq!(out, "wrote output/fractures-2025-06-15.json\n");
    let (out, _) = wd.run_code(&["fractures", "--at", DAY, "--group", "western pact", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/fractures-2025-06-15-PACT.csv\n");
    assert_eq!(
        wd.read("output/fractures-2025-06-15-PACT.csv"),
        fractures(&wd, DAY, &["--group", "PACT", "--format", "csv", "--out", "-"], 0)
    );
    std::fs::create_dir(wd.path().join("exports")).unwrap();
    let (out, _) = wd.run_code(&["fractures", "--at", DAY, "--group", "CIRCLE", "--out", "exports"], 0);
    assert_eq!(out, "wrote exports/fractures-2025-06-15-CIRCLE.txt\n");
    let (out, _) = wd.run_code(&["fractures", "--at", DAY, "--format", "json", "--out", "f/all.json"], 0);
    assert_eq!(out, "wrote f/all.json\n");
    assert_eq!(wd.read("f/all.json"), wd.read("output/fractures-2025-06-15.json"));
}

/// Issue 15: `--group` repeats: several alliances at once, each group's fractures as when
/// asked alone, groups in dataset order; was "cannot be used multiple times".
#[test]
fn group_repeats() {
    let wd = Workdir::with_queries();
    let csv = |groups: &[&str]| {
        let mut args = vec!["fractures", "--at", DAY, "--format", "csv", "--out", "-"];
        for g in groups {
            args.extend(["--group", g]);
        }
        wd.run_code(&args, 0).0
    };
    let (pact, circle) = (csv(&["PACT"]), csv(&["CIRCLE"]));
    let both = csv(&["Signals Circle", "PACT", "CIRCLE"]);
    let rows = |text: &str| text.lines().skip(1).map(String::from).collect::<Vec<_>>();
    let mut expected = rows(&circle);
    expected.extend(rows(&pact));
    assert!(!rows(&pact).is_empty() && !rows(&circle).is_empty());
    assert_eq!(rows(&both), expected, "each group's, CIRCLE before PACT (dataset order), once");
    let (json, _) = wd.run_code(
        &["fractures", "--at", DAY, "--group", "PACT", "--group", "CIRCLE", "--format", "json", "--out", "-"],
        0,
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["groups"], serde_json::json!(["PACT", "CIRCLE"]));
    assert_eq!(json["group"], serde_json::Value::Null);
    let (out, _) = wd
        .run_code(&["fractures", "--at", DAY, "--group", "PACT", "--group", "CIRCLE", "--format", "csv"], 0);
    assert_eq!(out, "wrote output/fractures-2025-06-15-PACT-CIRCLE.csv\n");
}

/// Without actors.csv, a group is an actor that some membership points to, on any day: a
/// question about a day on which no membership of it holds reads the day's relations only
/// (the store's cut), and must still know it for a group (it said "never the target of a
/// membership" and exited 2 once fractures read the day's cut alone).
#[test]
fn a_group_known_only_by_a_membership_on_another_day_is_still_a_group() {
    let wd = Workdir::new();
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end\n\
         M1,AAA,GRP,membership,2020-01-01,2021-01-01\n\
         M2,BBB,GRP,membership,2020-01-01,2021-01-01\n\
         R1,AAA,BBB,restriction,2020-03-01,\n",
    );
    for index in [false, true] {
        if index {
            wd.run_code(&["index"], 0);
        }
        let (_, err) = wd.run_code(&["fractures", "--at", "2025-01-01", "--group", "GRP"], 1);
        assert!(err.contains("no fracture"), "{err}");
        // Over a period, which reads the period's fractured relations only.
        let (_, err) = wd.run_code(&["fractures", "--at", "2025-01", "--group", "GRP"], 1);
        assert!(err.contains("no fracture"), "{err}");
        let (_, err) =
            wd.run_code(&["fractures", "--from", "2024-01", "--to", "2025-02", "--group", "GRP"], 1);
        assert!(err.contains("no fracture"), "{err}");
        let (out, _) = wd.run_code(&["fractures", "--at", "2020-06-01", "--group", "GRP"], 0);
        assert!(out.contains("AAA") && out.contains("BBB"), "{out}");
        wd.run_code(&["fractures", "--at", "2025-01-01", "--group", "AAA"], 2);
    }
}
