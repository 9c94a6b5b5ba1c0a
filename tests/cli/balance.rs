//! `georel balance`: the triangle census, the score, the unbalanced triangles (worst grade
//! first) and the contested pairs on a day; `--contested`; a series (`--every`) as text, CSV,
//! JSON and a line chart; the picture; the reference values of Read's highland tribes.
//!
//! The inline dataset ([`five`]), all from 2020-01-01, by hand:
//!
//! | pair | relations | sign | grade |
//! |---|---|---|---|
//! | AAA–BBB | cooperation (source A, credibility 1) | + | A1 |
//! | BBB–CCC | cooperation (C, 3) | + | C3 |
//! | AAA–CCC | dispute (A, 2) | − | A2 |
//! | CCC–DDD | dispute (E, 4) | − | E4 |
//! | AAA–DDD | dispute (A, 1) | − | A1 |
//! | DDD–EEE | cooperation (A, 1) | + | A1 |
//! | AAA–EEE | dispute (A, 1) | − | A1 |
//! | BBB–DDD | cooperation (A, 1) and restriction (C, 3) | contested | A1 |
//! | BBB–EEE | dispute (A, 1), from 2023-06-01 | − | A1 |
//!
//! On 2022-01-01, contested pairs left out: ABC ++− (grade C3), ACD −−− (E4), ADE +−−: score
//! 1/3, and the two unbalanced triangles worst grade first, ACD before ABC. With BBB–DDD
//! negative, ABD and BCD are +−− too (5 triangles, 3/5 balanced); positive, they are ++−
//! (1/5). From 2023-06-01, ABE is +−− (2/4 balanced, contested pairs left out).

use crate::harness::{parse_csv, stderr, stdout, Workdir};

/// The dataset of the module's table, in `data/`.
fn five() -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        "id,name,kind,parent,aliases\n\
         AAA,Aland,country,,\n\
         BBB,Borduria,country,,\n\
         CCC,Carpania,country,,\n\
         DDD,Dravia,country,,\n\
         EEE,Elbonia,country,,\n",
    );
    wd.write(
        "data/sources.csv",
        "id,title,publisher,published,url,reliability\n\
         SA,Record,Archive,2020-01-01,,A\n\
         SC,Report,Wire,2020-01-01,,C\n\
         SE,Rumour,Blog,2020-01-01,,E\n",
    );
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end,directed,evidence,summary,claimant,credibility\n\
         AB,AAA,BBB,cooperation,2020-01-01,,,SA,,,1\n\
         BC,BBB,CCC,cooperation,2020-01-01,,,SC,,,3\n\
         AC,AAA,CCC,dispute,2020-01-01,,,SA,,,2\n\
         CD,CCC,DDD,dispute,2020-01-01,,,SE,,,4\n\
         AD,AAA,DDD,dispute,2020-01-01,,,SA,,,1\n\
         DE,DDD,EEE,cooperation,2020-01-01,,,SA,,,1\n\
         AE,AAA,EEE,dispute,2020-01-01,,,SA,,,1\n\
         BD-COOP,BBB,DDD,cooperation,2020-01-01,,,SA,,,1\n\
         BD-BAN,BBB,DDD,restriction,2020-01-01,,true,SC,,,3\n\
         BE,BBB,EEE,dispute,2023-06-01,,,SA,,,1\n",
    );
    wd
}

/// `balance` plus `args` as JSON on stdout, asserting `code`.
#[track_caller]
fn json(wd: &Workdir, args: &[&str], code: i32) -> serde_json::Value {
    let mut all = vec!["balance"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    let (out, _) = wd.run_code(&all, code);
    serde_json::from_str(&out).unwrap()
}

fn census(doc: &serde_json::Value) -> [u64; 4] {
    ["ppp", "ppn", "pnn", "nnn"].map(|k| doc["census"][k].as_u64().unwrap())
}

#[test]
fn a_day_as_text_lists_the_unbalanced_triangles_worst_grade_first() {
    let wd = five();
    let (out, _) = wd.run_code(&["balance", "--at", "2022-01-01"], 0);
    insta::assert_snapshot!(out);
}

#[test]
fn the_census_and_score_follow_the_contested_choice() {
    let wd = five();
    let skip = json(&wd, &["--at", "2022-01-01"], 0);
    assert_eq!(census(&skip), [0, 1, 1, 1]);
    assert_eq!(skip["score"].as_f64().unwrap(), 1.0 / 3.0);
    assert_eq!(skip["contested"], 1);
    assert_eq!(skip["contested_pairs"][0]["sign"], serde_json::Value::Null);
    let kinds: Vec<(&str, &str)> = skip["unbalanced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["type"].as_str().unwrap(), t["grade"].as_str().unwrap()))
        .collect();
    assert_eq!(kinds, [("nnn", "E4"), ("ppn", "C3")], "worst grade first");
    let negative = json(&wd, &["--at", "2022-01-01", "--contested", "as-negative"], 0);
    assert_eq!(census(&negative), [0, 1, 3, 1]);
    assert_eq!(negative["score"].as_f64().unwrap(), 0.6);
    assert_eq!(negative["contested_pairs"][0]["sign"], "negative");
    let positive = json(&wd, &["--at", "2022-01-01", "--contested", "as-positive"], 0);
    assert_eq!(census(&positive), [0, 3, 1, 1]);
    assert_eq!(positive["score"].as_f64().unwrap(), 0.2);
    // The contested pair's evidence is both its relations.
    let ids: Vec<&str> = positive["contested_pairs"][0]["relations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["BD-COOP", "BD-BAN"]);
}

#[test]
fn a_day_as_csv_has_one_row_per_unbalanced_triangle() {
    let wd = five();
    let (out, _) = wd.run_code(&["balance", "--at", "2022-01-01", "--format", "csv", "--out", "-"], 0);
    insta::assert_snapshot!(out);
    assert_eq!(parse_csv(&out).len(), 2);
}

#[test]
fn a_series_has_one_row_per_date() {
    let wd = five();
    let args = ["balance", "--from", "2019", "--to", "2024", "--every", "1y"];
    let (text, _) = wd.run_code(&args, 0);
    insta::assert_snapshot!("series_text", text);
    let mut csv_args = args.to_vec();
    csv_args.extend_from_slice(&["--format", "csv", "--out", "-"]);
    let (csv, _) = wd.run_code(&csv_args, 0);
    insta::assert_snapshot!("series_csv", csv);
    // From an index, each date's cut is read alone (Store::each_day): the same rows.
    wd.run_code(&["index"], 0);
    assert!(wd.exists("data/.georel-index"));
    assert_eq!(wd.run_code(&csv_args, 0).0, csv);
    let doc = json(&wd, &args[1..], 0);
    let scores: Vec<Option<f64>> =
        doc["dates"].as_array().unwrap().iter().map(|d| d["score"].as_f64()).collect();
    // 2019: nothing holds yet; BBB–EEE from 2023-06-01.
    assert_eq!(scores, [None, Some(1.0 / 3.0), Some(1.0 / 3.0), Some(1.0 / 3.0), Some(1.0 / 3.0), Some(0.5)]);
}

#[test]
fn a_series_is_drawn_as_a_line_chart_of_the_score() {
    let wd = five();
    let (_, err) =
        wd.run_code(&["balance", "--from", "2019", "--to", "2024", "--every", "1y", "--format", "svg"], 0);
    assert_eq!(err, "");
    let files = wd.list("output");
    assert_eq!(files, ["balance-2019-01-01_to_2024-01-01.svg"]);
    let svg = wd.read("output/balance-2019-01-01_to_2024-01-01.svg");
    let points = svg.matches("class=\"point\"").count();
    assert_eq!(points, 5, "a point for each date with a score; 2019 has none");
    assert!(svg.contains("data-date=\"2024-01-01\" data-value=\"0.5000\""), "{svg}");
    assert!(svg.contains("1 of 6 dates without a value"));
    // A series has no DOT picture: the plan refuses it before reading anything.
    let out = wd.run(&["balance", "--from", "2019", "--to", "2024", "--every", "1y", "--format", "dot"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
}

#[test]
fn the_picture_draws_the_unbalanced_triangles_ties_in_full() {
    let wd = five();
    wd.run_code(&["balance", "--at", "2022-01-01", "--format", "dot", "--out", "balance.dot"], 0);
    let dot = wd.read("balance.dot");
    assert!(dot.contains("georel balance on 2022-01-01: score 0.3333, 2 unbalanced triangles"), "{dot}");
    // ABC and ACD: the ties AB, BC, AC, CD, AD in full (width 4); DE, AE and the contested
    // BD's two relations faded; no membership (there is none).
    let edges: Vec<&str> = dot.lines().filter(|l| l.contains(" -> ")).collect();
    assert_eq!(edges.len(), 9, "{dot}");
    let strong = edges.iter().filter(|l| l.contains("penwidth=4") || l.contains("penwidth=\"4\"")).count();
    assert_eq!(strong, 5, "{dot}");
    wd.assert_renders("balance.dot", "balance picture");
}

#[test]
fn no_triangle_is_an_empty_result() {
    let wd = five();
    let out = wd.run(&["balance", "--at", "2019-06-01"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), "georel: no triangle of signed ties on 2019-06-01\n");
    assert!(stdout(&out).starts_with("balance on 2019-06-01: 0 actors, 0 signed ties"), "{}", stdout(&out));
}

/// Read's highland tribes (tests/data/tribes) as a dataset: tribe `T<n>`, cooperation for
/// friendship and dispute for enmity. R signnet publishes the score 0.8676471 for them;
/// tools/tribes_census.py counts the census with networkx (see tests/data/tribes/README.md).
#[test]
fn the_highland_tribes_have_signnets_score() {
    let edges = include_str!("../data/tribes/out.ucidata-gama");
    let mut actors = String::from("id,name,kind,parent,aliases\n");
    for n in 1..=16 {
        actors.push_str(&format!("T{n:02},Tribe {n},organisation,,\n"));
    }
    let mut relations =
        String::from("id,source,target,kind,start,end,directed,evidence,summary,claimant,credibility\n");
    for (i, line) in edges.lines().skip(1).enumerate() {
        let f: Vec<i32> = line.split_whitespace().map(|x| x.parse().unwrap()).collect();
        if f.len() != 3 {
            continue;
        }
        let kind = if f[2] > 0 { "cooperation" } else { "dispute" };
        relations.push_str(&format!("R{i},T{:02},T{:02},{kind},1954,,,,,,\n", f[0], f[1]));
    }
    let wd = Workdir::new();
    wd.write("data/actors.csv", actors);
    wd.write("data/relations.csv", relations);
    // The dataset the README shows (tools/tribes_dataset.py wrote it from the same file).
    let shipped = env!("CARGO_MANIFEST_DIR").to_string() + "/tests/data/tribes/dataset";
    for data in ["data", shipped.as_str()] {
        let doc = json(&wd, &["--data", data, "--at", "1960-01-01"], 0);
        assert_eq!(doc["nodes"], 16);
        assert_eq!(doc["positive"].as_u64().unwrap() + doc["negative"].as_u64().unwrap(), 58);
        assert_eq!(census(&doc), [19, 2, 40, 7], "{data}");
        assert_eq!(format!("{:.7}", doc["score"].as_f64().unwrap()), "0.8676471");
        assert_eq!(doc["unbalanced"].as_array().unwrap().len(), 9);
    }
}

/// Membership signs nothing by default; named in `--kinds`, a member and its alliance are a
/// positive tie, so that two allies at odds close an unbalanced triangle with it. Here AAA and
/// BBB (cooperating) and DDD (in dispute with AAA) are members of PACT on 2022-01-01: AAA–DDD
/// becomes the −− side of ++− with PACT, and AAA–BBB closes +++ with it.
#[test]
fn membership_named_in_kinds_is_a_positive_tie_with_the_alliance() {
    let wd = five();
    let actors = wd.read("data/actors.csv") + "PACT,The Pact,alliance,,\n";
    wd.write("data/actors.csv", actors);
    let relations = wd.read("data/relations.csv")
        + "AP,AAA,PACT,membership,2020-01-01,,true,SA,,,1\n\
           BP,BBB,PACT,membership,2020-01-01,,true,SA,,,1\n\
           DP,DDD,PACT,membership,2020-01-01,,true,SA,,,1\n";
    wd.write("data/relations.csv", relations);
    let default = json(&wd, &["--at", "2022-01-01"], 0);
    assert_eq!(census(&default), [0, 1, 1, 1], "{default}");
    let allied =
        json(&wd, &["--at", "2022-01-01", "--kinds", "cooperation,restriction,dispute,membership"], 0);
    // Besides the three above: ABP +++, ADP ++− (AAA–DDD dispute), BDP left out (BBB–DDD is
    // contested), and no triangle of CCC or EEE with PACT (not members).
    assert_eq!(census(&allied), [1, 2, 1, 1], "{allied}");
    let csv = stdout(&wd.run(&[
        "balance",
        "--at",
        "2022-01-01",
        "--kinds",
        "cooperation,restriction,dispute,membership",
        "--format",
        "csv",
        "--out",
        "-",
    ]));
    let rows = parse_csv(&csv);
    assert!(
        rows.iter().any(|r| (r["a"].as_str(), r["b"].as_str(), r["c"].as_str(), r["type"].as_str())
            == ("AAA", "DDD", "PACT", "ppn")),
        "{csv}"
    );
}
