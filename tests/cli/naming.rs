//! Naming actors on the command line, for every query that takes one: by id, name or alias,
//! ignoring case and accents, with `-` and `_` read as spaces; an ambiguous name lists its
//! candidates, and an unknown one gets suggestions (both exit 2, before anything is written).
//!
//! The dataset is `tests/fixtures/queries/`, described at `Workdir::with_queries`: COL has
//! the alias "Bogotá"; DGSE's name is "Direction générale de la sécurité extérieure" and its
//! alias "French foreign intelligence"; MI5 is named "Security Service", which is also an
//! alias of CSIS.

use crate::harness::Workdir;

const DAY: &str = "2025-06-15";

/// The centre that `neighbours NAME` resolves to, from its JSON.
#[track_caller]
fn centre(wd: &Workdir, name: &str) -> String {
    let (out, _) = wd.run_code(&["neighbours", name, "--at", DAY, "--format", "json", "--out", "-"], 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    json["centre"].as_str().unwrap().to_string()
}

/// Runs `args`, asserts exit 2 with nothing on stdout and nothing written, and returns stderr.
#[track_caller]
fn refused(wd: &Workdir, args: &[&str]) -> String {
    let (out, err) = wd.run_code(args, 2);
    assert_eq!(out, "", "nothing on stdout");
    assert_eq!(wd.list(""), ["data"], "nothing is written");
    err
}

#[test]
fn an_accent_may_be_left_out_or_added() {
    let wd = Workdir::with_queries();
    // "Bogotá" is COL's alias; typed without the accent, in any case.
    for name in ["Bogotá", "bogota", "BOGOTA", "BOGOTÁ", "Bogota"] {
        assert_eq!(centre(&wd, name), "COL", "{name}");
    }
    // DGSE's accented name, typed plain.
    assert_eq!(centre(&wd, "direction generale de la securite exterieure"), "DGSE");
    assert_eq!(centre(&wd, "Direction générale de la sécurité extérieure"), "DGSE");
}

#[test]
fn case_spaces_dashes_and_underscores_do_not_matter() {
    let wd = Workdir::with_queries();
    for (name, id) in [
        ("usa", "USA"),
        ("cOl", "COL"),
        ("united states", "USA"),
        ("UNITED STATES", "USA"),
        ("united-states", "USA"),
        ("united_states", "USA"),
        ("  United   States  ", "USA"),
        ("Signals_Circle", "CIRCLE"),
        ("western-pact", "PACT"),
        ("cia ", "CIA"),
    ] {
        assert_eq!(centre(&wd, name), id, "{name:?}");
    }
}

#[test]
fn an_alias_names_its_actor() {
    let wd = Workdir::with_queries();
    for (name, id) in [
        ("US", "USA"),
        ("United States of America", "USA"),
        ("Britain", "GBR"),
        ("uk", "GBR"),
        ("Bundesnachrichtendienst", "BND"),
        ("French foreign intelligence", "DGSE"),
    ] {
        assert_eq!(centre(&wd, name), id, "{name}");
    }
}

#[test]
fn every_query_resolves_names_the_same_way() {
    let wd = Workdir::with_queries();
    // path: "bogota" is COL, "us" USA; the same answer as with ids.
    let by_name = wd.run_code(&["path", "bogota", "us", "--at", DAY, "--format", "json", "--out", "-"], 0).0;
    let by_id = wd.run_code(&["path", "COL", "USA", "--at", DAY, "--format", "json", "--out", "-"], 0).0;
    assert_eq!(by_name, by_id);
    // --avoid: "Bogotá" is COL. Directed, CIA reaches DNI only through COL (see path.rs).
    let (_, err) = wd.run_code(&["path", "CIA", "DNI", "--at", DAY, "--directed", "--avoid", "Bogotá"], 1);
    assert!(err.ends_with("there is none on any date\n"), "{err}");
    // timeline, with both names.
    assert_eq!(
        wd.run_code(&["timeline", "United-States", "BOGOTA"], 0).0,
        wd.run_code(&["timeline", "USA", "COL"], 0).0
    );
    // fractures --group by name.
    assert_eq!(
        wd.run_code(&["fractures", "--at", DAY, "--group", "signals circle"], 0).0,
        wd.run_code(&["fractures", "--at", DAY, "--group", "CIRCLE"], 0).0
    );
}

#[test]
fn an_ambiguous_name_lists_the_candidates() {
    let wd = Workdir::with_queries();
    // "Security Service" is MI5's name and CSIS's alias; the candidates come in id order.
    let expected =
        "georel: \"Security Service\" names several actors: CSIS (Canadian Security Intelligence Service), \
                    MI5 (Security Service); use one of these ids\n";
    assert_eq!(refused(&wd, &["neighbours", "Security Service", "--at", DAY]), expected);
    assert_eq!(refused(&wd, &["path", "Security Service", "USA", "--at", DAY]), expected);
    assert_eq!(refused(&wd, &["path", "USA", "GBR", "--at", DAY, "--avoid", "Security Service"]), expected);
    assert_eq!(refused(&wd, &["timeline", "USA", "Security Service"]), expected);
    assert_eq!(refused(&wd, &["fractures", "--at", DAY, "--group", "Security Service"]), expected);
    // The message quotes the name as typed.
    assert_eq!(
        refused(&wd, &["neighbours", "security-service", "--at", DAY]),
        "georel: \"security-service\" names several actors: CSIS (Canadian Security Intelligence Service), \
         MI5 (Security Service); use one of these ids\n"
    );
    // Either id settles it.
    assert_eq!(centre(&wd, "MI5"), "MI5");
    assert_eq!(centre(&wd, "CSIS"), "CSIS");
}

#[test]
fn an_unknown_name_suggests_close_ones() {
    let wd = Workdir::with_queries();
    // A letter missing from a name or an alias: the closest actor.
    assert_eq!(
        refused(&wd, &["neighbours", "Germny", "--at", DAY]),
        "georel: no actor is called \"Germny\"; did you mean DEU (Germany)?\n"
    );
    assert_eq!(
        refused(&wd, &["path", "Bogata", "USA", "--at", DAY]),
        "georel: no actor is called \"Bogata\"; did you mean COL (Colombia)?\n"
    );
    assert_eq!(
        refused(&wd, &["timeline", "Unted States"]),
        "georel: no actor is called \"Unted States\"; did you mean USA (United States)?\n"
    );
    // A word of several names: the actors whose name or alias contains it, at most five.
    // "security" is in CSIS's name, MI5's name and NSA's name: exactly those three.
    let err = refused(&wd, &["neighbours", "security", "--at", DAY]);
    let suggested = err
        .strip_prefix("georel: no actor is called \"security\"; did you mean ")
        .and_then(|s| s.strip_suffix("?\n"))
        .unwrap_or_else(|| panic!("{err}"));
    let mut suggested: Vec<&str> = suggested.split(", ").collect();
    suggested.sort_unstable();
    assert_eq!(
        suggested,
        [
            "CSIS (Canadian Security Intelligence Service)",
            "MI5 (Security Service)",
            "NSA (National Security Agency)"
        ]
    );
    // "intelligence" is in the names of CIA, CSIS, DNI and BND, and DGSE's alias: five.
    let err = refused(&wd, &["neighbours", "intelligence", "--at", DAY]);
    for candidate in [
        "CIA (Central Intelligence Agency)",
        "CSIS (Canadian Security Intelligence Service)",
        "DNI (National Intelligence Directorate)",
        "BND (Federal Intelligence Service)",
        "DGSE (Direction générale de la sécurité extérieure)",
    ] {
        assert!(err.contains(candidate), "{candidate} in {err}");
    }
}

#[test]
fn an_unknown_name_with_nothing_close_says_what_to_give() {
    let wd = Workdir::with_queries();
    for args in [
        &["neighbours", "Atlantis", "--at", DAY][..],
        &["path", "USA", "Atlantis", "--at", DAY],
        &["timeline", "Atlantis"],
        &["fractures", "--at", DAY, "--group", "Atlantis"],
        &["path", "USA", "GBR", "--at", DAY, "--avoid", "Atlantis"],
    ] {
        assert_eq!(
            refused(&wd, args),
            "georel: no actor is called \"Atlantis\"; give an id, name or alias from actors.csv\n",
            "{args:?}"
        );
    }
}

#[test]
fn names_are_resolved_before_anything_is_written() {
    let wd = Workdir::with_queries();
    for args in [
        &["path", "USA", "Atlantis", "--at", DAY, "--format", "json"][..],
        &["neighbours", "Security Service", "--at", DAY, "--format", "csv"],
        &["timeline", "Germny", "--format", "json"],
        &["fractures", "--at", DAY, "--group", "Pakt", "--format", "csv"],
    ] {
        refused(&wd, args);
    }
}

/// A dataset of `n` actors A0..A{n-1}, all named "Same Name", with one relation A0–A1.
fn same_name(n: usize) -> Workdir {
    let wd = Workdir::new();
    let mut actors = String::from("id,name,kind,parent,aliases\n");
    for i in 0..n {
        actors.push_str(&format!("A{i},Same Name,country,,\n"));
    }
    wd.write("data/actors.csv", actors);
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary\nR1,A0,A1,cooperation,2020,,,,\n",
    );
    wd
}

#[test]
// Regression (#16 of issue 13): a name shared by 200,000 actors made a 4 MB message.
fn an_ambiguous_name_lists_the_first_ten_candidates_and_counts_the_rest() {
    let wd = same_name(13);
    // In id order (as strings): A0, A1, A10, A11, A12, A2, ...
    assert_eq!(
        refused(&wd, &["neighbours", "same name", "--at", "2021-01-01"]),
        "georel: \"same name\" names several actors: A0 (Same Name), A1 (Same Name), A10 (Same Name), \
         A11 (Same Name), A12 (Same Name), A2 (Same Name), A3 (Same Name), A4 (Same Name), \
         A5 (Same Name), A6 (Same Name) and 3 more; use one of these ids\n"
    );
    // Ten exactly: no "more".
    let wd = same_name(10);
    let err = refused(&wd, &["neighbours", "same name", "--at", "2021-01-01"]);
    assert!(err.ends_with("A9 (Same Name); use one of these ids\n"), "{err}");
}

/// 200,000 actors sharing one name: an exact id is one map lookup (the names were indexed
/// quadratically before, 6–30 s even for an id), and the ambiguous name's message stays short.
#[test]
// Regression (#16 of issue 13): the resolver was quadratic in a shared name.
fn two_hundred_thousand_actors_sharing_a_name() {
    let wd = same_name(200_000);
    let (out, _) = wd.run_code(&["path", "A199999", "A0", "--at", "2021-01-01"], 1);
    assert_eq!(out, "");
    let (out, _) = wd.run_code(&["path", "A1", "A0", "--at", "2021-01-01"], 0);
    assert!(out.starts_with("Same Name (A1) to Same Name (A0) on 2021-01-01: 1 hop"), "{out}");
    let err = refused(&wd, &["path", "Same Name", "A0", "--at", "2021-01-01"]);
    assert!(err.ends_with(" and 199990 more; use one of these ids\n"), "{err}");
    assert!(err.len() < 400, "{} bytes", err.len());
}

/// Issue 15: without an `id` column a relation's id is its line, and it printed as a bare
/// `2`, which reads as a count. People's outputs say `line 2`; GEXF, GraphML and georel's
/// own files keep the bare number, a token other programs read.
#[test]
fn implicit_ids_print_as_their_line() {
    let wd = Workdir::new();
    wd.write("data/relations.csv", "source,target,kind,start\nAAA,BBB,cooperation,2020-01-01\n");
    let (text, _) = wd.run_code(&["timeline", "AAA"], 0);
    assert!(text.contains("  line 2  cooperation  AAA ↔ BBB"), "{text}");
    let (csv, _) = wd.run_code(&["snapshot", "--at", "2021", "--format", "edges-csv", "--out", "-"], 0);
    assert!(csv.lines().nth(1).unwrap().starts_with("line 2,AAA,BBB,"), "{csv}");
    let (dot, _) = wd.run_code(&["snapshot", "--at", "2021", "--format", "dot", "--out", "-"], 0);
    assert!(dot.contains("tooltip=\"line 2 cooperation AAA ↔ BBB"), "{dot}");
    wd.run_code(&["export", "--format", "dataset", "--out", "copy"], 0);
    assert!(wd.read("copy/relations.csv").lines().nth(1).unwrap().starts_with("2,AAA,BBB,"));
}
