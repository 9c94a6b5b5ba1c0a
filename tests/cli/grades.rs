//! Grades and the grade filter (`--min-reliability`, `--min-credibility`) on a small dataset
//! whose relations have claimants, credibilities and sources of every reliability
//! (`tests/fixtures/graded`). Every command with a filter answers as it does, without one, on
//! the dataset with the left-out rows removed from relations.csv first; from the CSV files and
//! from an index alike.

use crate::harness::{stdout, Workdir};

/// The fixture's relations and their grades (best source's reliability, credibility).
const GRADES: [(&str, &str); 7] = [
    ("COL-USA-SUSPENSION", "A1"),
    ("COL-USA-CONTINUES", "B3"),
    ("DNI-CIA-WORK", "C2"),
    ("USA-GBR-SHARING", "B2"),
    ("GBR-COL-TALKS", "E5"),
    ("CIA-GBR-LEAFLET", "F6"),
    ("DNI-GBR-NOEVIDENCE", "F6"),
];

const DAY: &str = "2025-12-01";

/// Each command (and format) that reads relations, as run in these tests.
fn commands() -> Vec<Vec<&'static str>> {
    let o = ["--out", "-"];
    let mut all: Vec<Vec<&str>> = vec![
        vec!["snapshot", "--at", DAY, "--format", "edges-csv"],
        vec!["snapshot", "--at", DAY, "--format", "json"],
        vec!["snapshot", "--at", DAY, "--format", "dot"],
        vec!["snapshot", "--at", DAY, "--format", "edges-csv", "--by-country"],
        vec!["path", "DNI", "CIA", "--at", DAY],
        vec!["path", "DNI", "GBR", "--at", DAY, "--format", "json"],
        vec!["path", "COL", "GBR", "--at", DAY, "--all"],
        vec!["neighbours", "COL", "--at", DAY, "--depth", "2"],
        vec!["neighbours", "DNI", "--at", DAY, "--format", "csv"],
        vec!["diff", "--from", "2025-11-01", "--to", DAY],
        vec!["diff", "--from", "2025-11-01", "--to", DAY, "--format", "json"],
        vec!["timeline", "COL"],
        vec!["timeline", "BENEDETTI", "--format", "csv"],
        vec!["timeline", "COL", "USA", "--format", "json"],
        vec!["conflicts", "--at", DAY],
        vec!["conflicts", "--at", DAY, "--by-country", "--format", "csv"],
        vec!["conflicts"],
        vec!["fractures", "--at", DAY],
        vec!["export", "--format", "graphml"],
        vec!["export", "--format", "gexf"],
    ];
    for args in &mut all {
        args.extend(o);
    }
    all
}

/// The filters tried, and the ids each keeps (by the grades above).
fn filters() -> Vec<(Vec<&'static str>, Vec<&'static str>)> {
    let keep = |r: char, c: char| -> Vec<&'static str> {
        GRADES
            .iter()
            .filter(|(_, g)| g.as_bytes()[0] as char <= r && g.as_bytes()[1] as char <= c)
            .map(|(id, _)| *id)
            .collect()
    };
    vec![
        (vec!["--min-reliability", "B", "--min-credibility", "3"], keep('B', '3')),
        (vec!["--min-reliability", "C"], keep('C', '6')),
        (vec!["--min-credibility", "2"], keep('F', '2')),
        (vec!["--min-reliability", "b"], keep('B', '6')),
        (vec!["--min-reliability", "F", "--min-credibility", "6"], keep('F', '6')),
    ]
}

/// A work directory holding the fixture with only the relations `keep` names.
fn filtered_copy(keep: &[&str]) -> Workdir {
    let wd = Workdir::with_fixture("graded");
    let text = wd.read("data/relations.csv");
    let mut lines = text.lines();
    let mut out = format!("{}\n", lines.next().unwrap());
    for line in lines {
        if keep.contains(&line.split(',').next().unwrap()) {
            out.push_str(line);
            out.push('\n');
        }
    }
    wd.write("data/relations.csv", out);
    wd
}

/// Adds 300 relations among 301 actors of their own (a chain, graded E6) to the dataset in
/// `wd`: far from the fixture's actors, so that a path or a neighbourhood read from an index
/// reads only the relations around it (`query::local`) rather than the whole day.
pub fn add_filler(wd: &Workdir) {
    let mut actors = wd.read("data/actors.csv");
    let mut relations = wd.read("data/relations.csv");
    for i in 0..=300 {
        actors.push_str(&format!("F{i},Filler {i},country,,\n"));
    }
    for i in 0..300 {
        relations.push_str(&format!("FILL-{i},F{i},F{},cooperation,2020,,,BLOG,,,\n", i + 1));
    }
    wd.write("data/actors.csv", actors);
    wd.write("data/relations.csv", relations);
}

/// Stdout without the summaries' notes on what was left out by grade.
fn without_note(text: &str) -> String {
    text.lines()
        .map(|line| match line.find(" left out by grade: ") {
            Some(at) => {
                let open = line[..at].rfind(" (").expect("the note opens with a parenthesis");
                let close = at + line[at..].find(')').expect("and closes with one");
                format!("{}{}", &line[..open], &line[close + 1..])
            }
            None => line.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn run(wd: &Workdir, args: &[&str]) -> (i32, String, String) {
    let out = wd.run(args);
    (out.status.code().unwrap(), stdout(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn every_command_with_a_filter_answers_as_on_the_csv_filtered_first() {
    let wd = Workdir::with_fixture("graded");
    for (filter, keep) in filters() {
        let first = filtered_copy(&keep);
        for command in commands() {
            let with_filter: Vec<&str> = command.iter().chain(&filter).copied().collect();
            let (code, out, _) = run(&wd, &with_filter);
            let (expected_code, expected, _) = run(&first, &command);
            assert_eq!(code, expected_code, "{with_filter:?}");
            assert_eq!(without_note(&out), without_note(&expected), "{with_filter:?}");
            assert!(
                !expected.contains("left out by grade"),
                "{command:?}: nothing is left out of the filtered copy"
            );
        }
    }
}

#[test]
fn every_command_with_a_filter_answers_the_same_from_an_index() {
    let csv = Workdir::with_fixture("graded");
    let indexed = Workdir::with_fixture("graded");
    add_filler(&csv);
    add_filler(&indexed);
    let (code, _, err) = run(&indexed, &["index"]);
    assert_eq!(code, 0, "{err}");
    for (filter, _) in filters() {
        for command in commands() {
            let args: Vec<&str> = command.iter().chain(&filter).copied().collect();
            let from_csv = run(&csv, &args);
            let from_index = run(&indexed, &args);
            assert_eq!(from_index, from_csv, "{args:?}");
        }
    }
    assert!(indexed.exists("data/.georel-index"));
}

#[test]
fn the_summary_says_how_many_were_left_out_by_grade() {
    let wd = Workdir::with_fixture("graded");
    let (_, out, _) =
        run(&wd, &["path", "DNI", "CIA", "--at", DAY, "--min-reliability", "B", "--min-credibility", "3"]);
    // DNI-CIA-WORK (C2) is left out; the path runs through the countries' cooperation.
    // On the day, C2, E5, F6 and F6 hold and are left out.
    let head = out.lines().next().unwrap();
    assert!(head.ends_with(" (4 left out by grade: reliability below B or credibility below 3)"), "{head}");
    let (_, out, _) = run(&wd, &["conflicts", "--at", DAY, "--min-credibility", "2"]);
    assert!(out.lines().next().unwrap().ends_with("(4 left out by grade: below credibility 2)"), "{out}");
    // Colombia's record holds the DNI's relations too: GBR-COL-TALKS (E5) and, through the
    // DNI, DNI-GBR-NOEVIDENCE (F6) are left out.
    let (_, out, _) = run(&wd, &["timeline", "COL", "--min-reliability", "c"]);
    assert!(out.lines().next().unwrap().ends_with("(2 left out by grade: below reliability C)"), "{out}");
    // CSV, JSON and DOT to stdout stay clean: the note goes to stderr.
    let (_, out, err) =
        run(&wd, &["conflicts", "--at", DAY, "--format", "csv", "--out", "-", "--min-credibility", "2"]);
    assert!(!out.contains("left out"), "{out}");
    assert!(
        err.starts_with("georel: conflicts on 2025-12-01: (4 left out by grade: below credibility 2)\n"),
        "{err}"
    );
    let (_, _, err) = run(&wd, &["export", "--format", "json", "--out", "-", "--min-reliability", "B"]);
    assert_eq!(err, "georel: export: (4 left out by grade: below reliability B)\n");
    // Nothing left out: no note.
    let (_, out, _) = run(&wd, &["path", "DNI", "CIA", "--at", DAY, "--min-reliability", "F"]);
    assert!(!out.contains("left out"), "{out}");
    // A snapshot to files says it on its summary line; to stdout, on stderr.
    let (_, out, _) = run(&wd, &["snapshot", "--at", DAY, "--min-reliability", "A"]);
    assert!(out.lines().next().unwrap().ends_with("(6 left out by grade: below reliability A)"), "{out}");
    let (_, _, err) =
        run(&wd, &["snapshot", "--at", DAY, "--format", "json", "--out", "-", "--min-reliability", "A"]);
    assert_eq!(err, "georel: snapshot 2025-12-01: (6 left out by grade: below reliability A)\n");
}

#[test]
fn grades_and_claimants_are_shown_with_the_evidence() {
    let wd = Workdir::with_fixture("graded");
    let (_, out, _) = run(&wd, &["path", "DNI", "CIA", "--at", DAY]);
    assert_eq!(
        out,
        "National Intelligence Directorate (DNI) to Central Intelligence Agency (CIA) on 2025-12-01: 1 hop, 1 strained, weakest grade C2\n\
         \x20 1. National Intelligence Directorate (DNI) — Central Intelligence Agency (CIA)  STRAINED\n\
         \x20      DNI — CIA  cooperation active   CONTESTED DNI-CIA-WORK  2025-12-01 → open\n\
         \x20          [Example Daily, 2025-12-01 (C)]  grade C2  claimed by Jorge Lemus (LEMUS)\n"
    );
    let (_, out, _) = run(&wd, &["path", "DNI", "GBR", "--at", DAY, "--format", "json", "--out", "-"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(doc["weakest_grade"], "F6");
    let (_, out, _) = run(&wd, &["snapshot", "--at", DAY, "--format", "json", "--out", "-"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let suspension =
        doc["relations"].as_array().unwrap().iter().find(|r| r["id"] == "COL-USA-SUSPENSION").unwrap();
    assert_eq!(suspension["claimant"], serde_json::json!({"id": "PETRO", "name": "Gustavo Petro"}));
    assert_eq!(suspension["credibility"], 1);
    assert_eq!(suspension["grade"], "A1");
    let (_, out, _) = run(&wd, &["snapshot", "--at", DAY, "--format", "edges-csv", "--out", "-"]);
    assert!(out.starts_with("id,source,target,kind,start,end,directed,status,contested,evidence,summary,claimant,credibility,grade\n"));
    assert!(out.contains("\nDNI-GBR-NOEVIDENCE,DNI,GBR,cooperation,2025-11-25,,false,active,false,,No source given.,BENEDETTI,,F6\n"), "{out}");
    assert!(out.contains(",Colombia suspends intelligence sharing with the US.,PETRO,1,A1\n"), "{out}");
    let (_, out, _) = run(&wd, &["export", "--format", "graphml", "--out", "-"]);
    assert!(out.contains("<data key=\"e_claimant\">LEMUS</data>\n      <data key=\"e_claimant_name\">Jorge Lemus</data>\n      <data key=\"e_credibility\">2</data>\n      <data key=\"e_grade\">C2</data>"), "{out}");
    let (_, out, _) = run(&wd, &["export", "--format", "gexf", "--out", "-"]);
    assert!(out.contains("<attvalue for=\"claimant\" value=\"PETRO\"/>"), "{out}");
    assert!(out.contains("<attvalue for=\"grade\" value=\"A1\"/>"), "{out}");
    let (_, out, _) = run(&wd, &["snapshot", "--at", DAY, "--format", "dot", "--out", "-"]);
    assert!(out.contains("(2025-12-01 to open; grade C2, claimed by Jorge Lemus)"), "{out}");
}

#[test]
fn a_claimants_timeline_lists_the_claims_it_made_marked_as_such() {
    let wd = Workdir::with_fixture("graded");
    let (code, out, _) = run(&wd, &["timeline", "BENEDETTI"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "timeline of Armando Benedetti (BENEDETTI): 2 entries, 0 relations, 2 claims made\n\
         \x20 2025-11-13  start  its claim: COL-USA-CONTINUES  cooperation  Colombia (COL) ↔ United States (USA)\n\
         \x20                    2025-11-13 → open  [Example Wire, 2025-11-12 (B)]  grade B3\n\
         \x20                    claimed by Armando Benedetti (BENEDETTI)\n\
         \x20                    Cooperation with the US continues.\n\
         \x20 2025-11-25  start  its claim: DNI-GBR-NOEVIDENCE  cooperation\n\
         \x20                    National Intelligence Directorate (DNI) ↔ United Kingdom (GBR)\n\
         \x20                    2025-11-25 → open  grade F6  claimed by Armando Benedetti (BENEDETTI)\n\
         \x20                    No source given.\n"
    );
    let (_, out, _) = run(&wd, &["timeline", "BENEDETTI", "--format", "json", "--out", "-"]);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    let roles: Vec<&str> =
        doc["entries"].as_array().unwrap().iter().map(|e| e["as"].as_str().unwrap()).collect();
    assert_eq!(roles, ["claimant", "claimant"]);
    // A party's relations are marked as such; a pair's record lists no claims.
    let (_, out, _) = run(&wd, &["timeline", "COL", "--format", "csv", "--out", "-"]);
    assert!(out.lines().skip(1).all(|l| l.ends_with(",party,relation,,,")), "{out}");
    // A claim filtered out by grade is not listed.
    let (_, out, _) = run(&wd, &["timeline", "BENEDETTI", "--min-reliability", "B"]);
    assert!(out.starts_with("timeline of Armando Benedetti (BENEDETTI): 1 entry, 0 relations, 1 claim made (1 left out by grade: below reliability B)\n"), "{out}");
}

#[test]
fn a_bad_filter_value_says_what_is_allowed() {
    let wd = Workdir::with_fixture("graded");
    let (code, _, err) = run(&wd, &["snapshot", "--at", DAY, "--min-reliability", "G"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value 'G' for '--min-reliability <A-F>': allowed: A, B, C, D, E or F"),
        "{err}"
    );
    let (code, _, err) = run(&wd, &["path", "DNI", "CIA", "--at", DAY, "--min-credibility", "7"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("invalid value '7' for '--min-credibility <1-6>': allowed: 1, 2, 3, 4, 5 or 6"),
        "{err}"
    );
}

#[test]
fn the_dataset_export_keeps_claimants_and_credibilities() {
    let wd = Workdir::with_fixture("graded");
    let (code, _, err) = run(&wd, &["export", "--format", "dataset", "--out", "copy"]);
    assert_eq!(code, 0, "{err}");
    let text = wd.read("copy/relations.csv");
    assert!(
        text.starts_with("id,source,target,kind,start,end,directed,evidence,summary,claimant,credibility\n")
    );
    assert!(text.contains("\nDNI-CIA-WORK,DNI,CIA,cooperation,2025-12-01,,false,PAPER,The DNI's work with the CIA never stopped.,LEMUS,2\n"), "{text}");
    assert!(text.contains(",No source given.,BENEDETTI,\n"), "an empty credibility stays empty: {text}");
    let (code, _, err) = run(&wd, &["--data", "copy", "check"]);
    assert_eq!(code, 0, "{err}");
}
