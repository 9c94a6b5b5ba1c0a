//! `georel import icews`: the real binary on an excerpt of the ICEWS sample
//! (`tests/fixtures/import/icews/events.excerpt.tab`, described in the README beside it) and
//! on the whole sample (`tests/data/icews/events.2018.sample.tab`).
//!
//! Fixture line numbers below are the lines of `events.excerpt.tab` (line 1 is the header);
//! every expected value was worked out by hand from those lines, as the comment beside it
//! says. Intervals are half-open: a run of events from D1 to D2 holds from D1 until the day
//! after D2. With the default `--gap 7`, events of one pair and kind at most 7 days apart
//! join one relation.

mod import_common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use import_common::{check_passes as check, georel, ok, real_data, stderr, stdout, table as rows};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/icews/events.excerpt.tab")
}

/// A temporary folder holding a copy of the excerpt as `events.tab`, so that messages name a
/// short relative path.
fn workdir() -> tempfile::TempDir {
    let fixture = fixture();
    import_common::workdir("icews", fixture.parent().unwrap(), &[("events.excerpt.tab", "events.tab")])
}

/// The written relations by id: (source, target, kind, start, end, evidence, summary).
fn relations(dir: &Path) -> BTreeMap<String, [String; 7]> {
    rows(&dir.join("relations.csv"))
        .into_iter()
        .map(|r| {
            let f = |k: &str| r[k].clone();
            assert_eq!(r["directed"], "true", "events have a direction");
            (
                f("id"),
                [f("source"), f("target"), f("kind"), f("start"), f("end"), f("evidence"), f("summary")],
            )
        })
        .collect()
}

fn rel(
    source: &str,
    target: &str,
    kind: &str,
    start: &str,
    end: &str,
    evidence: &[&str],
    summary: &str,
) -> [String; 7] {
    let evidence: Vec<String> = evidence.iter().map(|e| format!("icews:{e}")).collect();
    [source, target, kind, start, end, &evidence.join(";"), summary].map(String::from)
}

/// The written actors by id: (name, kind, parent, aliases).
fn actors(dir: &Path) -> BTreeMap<String, [String; 4]> {
    rows(&dir.join("actors.csv"))
        .into_iter()
        .map(|r| {
            (
                r["id"].clone(),
                [r["name"].clone(), r["kind"].clone(), r["parent"].clone(), r["aliases"].clone()],
            )
        })
        .collect()
}

fn actor(name: &str, kind: &str, parent: &str, aliases: &str) -> [String; 4] {
    [name, kind, parent, aliases].map(String::from)
}

/// The skip line of the fixture: lines 9 and 15 have no source country (Antonio Tajani,
/// United Nations), lines 10 and 14 no target country (Unspecified Actor, United Nations),
/// line 27 neither (European Parliament → European Commission).
const FIXTURE_NA_SKIPS: &str =
    "2 no source country (NA), 1 no source or target country (NA), 2 no target country (NA)";

#[test]
fn the_excerpt_imports_between_countries_with_exact_counts_and_relations() {
    let dir = workdir();
    let out = ok(dir.path(), &["import", "icews", "events.tab", "--out", "icews"]);
    // 51 data rows. Rejected: lines 44-52 (9). Skipped: the 5 NA rows above, and 5 with the
    // same country on both sides: line 4 (Japan → Japan), 7, 11 and 43 (India → India) and 35
    // (Holy See → Holy See). 51 - 9 - 10 = 32 events, one source each.
    let report = stdout(&out);
    assert!(
        report.starts_with(&format!(
            "read 51 rows from 1 file: 10 skipped, 9 rejected (skipped: {FIXTURE_NA_SKIPS}, 5 same country on both sides)\n\
             imported 19 relations, 21 actors, 32 sources into icews\n"
        )),
        "{report}"
    );
    assert!(
        stderr(&out).contains("georel: 9 bad rows skipped; all are in icews/rejects.csv:"),
        "{}",
        stderr(&out)
    );
    check(dir.path(), "icews");

    let relations = relations(&dir.path().join("icews"));
    // The 32 events make 19 runs (32 less 13 joined: 1 each for BFA→TWN, CHN→TWN dispute,
    // IND→MYS restriction, NLD→POL and PRK→RUS, 2 for USA→PRK, 3 each for ISR→PSE (5
    // events, 2 runs) and RUS→PRK): every pair and kind below, plus BGD→VNM, VNM→BGD,
    // JPN→VNM, EST→USA, LTU→PSE, MYS→IND, PRK→RUS, VAT→CHL, HRV→XKX and CHN→TWN
    // restriction, one run each.
    assert_eq!(relations.len(), 19);
    let expected = [
        // Lines 25 and 32: Burkina Faso → Taiwan, CAMEO 161 (root 16: restriction), intensity
        // -4, on 2018-06-01 and 2018-06-02: consecutive days, one run to the day after.
        (
            "icews-BFA-TWN-restriction-2018-06-01",
            rel(
                "BFA",
                "TWN",
                "restriction",
                "2018-06-01",
                "2018-06-03",
                &["32892153", "32896835"],
                "2 restriction events from 2 articles, mean Goldstein -4.00",
            ),
        ),
        // Lines 16 (China → Citizen (Taiwan), 173, -5, 06-01) and 34 (Government (China) →
        // Taiwan, 1212, -4, 06-02): dispute, by country CHN → TWN; mean (-5 - 4) / 2.
        (
            "icews-CHN-TWN-dispute-2018-06-01",
            rel(
                "CHN",
                "TWN",
                "dispute",
                "2018-06-01",
                "2018-06-03",
                &["32891143", "32899642"],
                "2 dispute events from 2 articles, mean Goldstein -4.50",
            ),
        ),
        // Lines 18 and 23 (Modi → Mahathir, 164, -6.5) are a restriction and line 28 (040, 1)
        // a cooperation, all 2018-06-01: two relations of one pair, by kind.
        (
            "icews-IND-MYS-restriction-2018-06-01",
            rel(
                "IND",
                "MYS",
                "restriction",
                "2018-06-01",
                "2018-06-02",
                &["32890664", "32891308"],
                "2 restriction events from 2 articles, mean Goldstein -6.50",
            ),
        ),
        (
            "icews-IND-MYS-cooperation-2018-06-01",
            rel(
                "IND",
                "MYS",
                "cooperation",
                "2018-06-01",
                "2018-06-02",
                &["32898750"],
                "1 cooperation event from 1 article, mean Goldstein 1.00",
            ),
        ),
        // Israel → Occupied Palestinian Territory, disputes: lines 24 (173, -5) and 26 (190,
        // -10) on 06-01, 33 (193, -10) on 06-02, 40 (193, -10, date altered to 06-06: 4 days
        // after 06-02, within the gap): one run, mean -35 / 4; line 41 (190, -10, altered to
        // 06-20: 14 days after 06-06) starts another.
        (
            "icews-ISR-PSE-dispute-2018-06-01",
            rel(
                "ISR",
                "PSE",
                "dispute",
                "2018-06-01",
                "2018-06-07",
                &["32887507", "32892336", "32899723", "32899979"],
                "4 dispute events from 4 articles, mean Goldstein -8.75",
            ),
        ),
        (
            "icews-ISR-PSE-dispute-2018-06-20",
            rel(
                "ISR",
                "PSE",
                "dispute",
                "2018-06-20",
                "2018-06-21",
                &["32900608"],
                "1 dispute event from 1 article, mean Goldstein -10.00",
            ),
        ),
        // Lines 37 and 38: Netherlands → Poland, 160, -4, both on 2018-06-02.
        (
            "icews-NLD-POL-restriction-2018-06-02",
            rel(
                "NLD",
                "POL",
                "restriction",
                "2018-06-02",
                "2018-06-03",
                &["32897578", "32900239"],
                "2 restriction events from 2 articles, mean Goldstein -4.00",
            ),
        ),
        // Russian Federation → North Korea, cooperation: lines 13 (Lavrov → Kim Jong-Un, 040,
        // 1), 19 (Foreign Affairs (Russia), 051, 3.4), 21 (Russia → North Korea, 040, 1) on
        // 06-01 and 31 (Russia → Kim Jong-Un, 040, 1) on 06-02; mean 6.4 / 4. The ICEWS name
        // "Russian Federation" is CAMEO's RUS.
        (
            "icews-RUS-PRK-cooperation-2018-06-01",
            rel(
                "RUS",
                "PRK",
                "cooperation",
                "2018-06-01",
                "2018-06-03",
                &["32891315", "32891403", "32891483", "32896637"],
                "4 cooperation events from 4 articles, mean Goldstein 1.60",
            ),
        ),
        // United States → North Korea: lines 6 (Pompeo, 046, 7) and 8 (Pompeo, 040, 1) on
        // 06-01, 30 (Trump, 036, 4) on 06-02; mean 12 / 3.
        (
            "icews-USA-PRK-cooperation-2018-06-01",
            rel(
                "USA",
                "PRK",
                "cooperation",
                "2018-06-01",
                "2018-06-03",
                &["32890037", "32891174", "32897364"],
                "3 cooperation events from 3 articles, mean Goldstein 4.00",
            ),
        ),
        // Line 42 (altered): Croatia → Citizen (Kosovo), Kosovo is not in the CAMEO table: its
        // id is XKX, from the ids table (src/import/country_ids.csv).
        (
            "icews-HRV-XKX-dispute-2018-06-02",
            rel(
                "HRV",
                "XKX",
                "dispute",
                "2018-06-02",
                "2018-06-03",
                &["32897456"],
                "1 dispute event from 1 article, mean Goldstein -5.00",
            ),
        ),
    ];
    for (id, want) in expected {
        assert_eq!(relations.get(id), Some(&want), "relation {id}");
    }
    let pairs: Vec<String> = relations.values().map(|r| format!("{}-{}-{}", r[0], r[1], r[2])).collect();
    assert!(
        pairs.contains(&"VNM-BGD-cooperation".to_string())
            && pairs.contains(&"VAT-CHL-cooperation".to_string())
    );

    let actors = actors(&dir.path().join("icews"));
    // The 21 countries of the 32 events; no agency by country.
    assert_eq!(actors.len(), 21);
    assert!(actors.values().all(|a| a[1] == "country" && a[2].is_empty()));
    assert_eq!(actors["RUS"], actor("Russia", "country", "", "Russian Federation"));
    assert_eq!(
        actors["PSE"],
        actor("Occupied Palestinian Territory", "country", "", "Palestinian Territory, Occupied")
    );
    assert_eq!(actors["XKX"], actor("Kosovo", "country", "", ""));
    assert_eq!(actors["VAT"][0], "Vatican City");

    // Line 2: the source of an event.
    let sources = rows(&dir.path().join("icews").join("sources.csv"));
    let first = sources.iter().find(|s| s["id"] == "icews:32889836").expect("source of line 2");
    assert_eq!(
        first["title"],
        "ICEWS event 32889836: Foreign Affairs (Bangladesh) → High Ranking Military Personnel (Vietnam): Consult (CAMEO 040)"
    );
    assert_eq!(
        (first["publisher"].as_str(), first["published"].as_str(), first["url"].as_str()),
        ("Vietnam News Agency Bulletin", "2018-06-01", "")
    );
    assert_eq!(sources.len(), 32);
}

#[test]
fn actors_code_gives_agencies_under_their_countries() {
    let dir = workdir();
    let out = ok(dir.path(), &["import", "icews", "events.tab", "--out", "agencies", "--actors", "code"]);
    // By actor, only line 43 (Police (India) → Police (India)) is one actor on both sides;
    // lines 4, 7, 11 and 35 are between different actors of one country, but line 4 (Ministry
    // (Japan) → Citizen (Japan)) is a statement, CAMEO 014, which the default CAMEO map skips.
    // 51 - 9 - 7 = 35 events; its relation and its two actors go.
    assert!(
        stdout(&out).starts_with(&format!(
            "read 51 rows from 1 file: 7 skipped, 9 rejected (skipped: 1 CAMEO code mapped to skip, \
             {FIXTURE_NA_SKIPS}, 1 same actor on both sides)\n\
             imported 31 relations, 43 actors, 35 sources into agencies\n"
        )),
        "{}",
        stdout(&out)
    );
    check(dir.path(), "agencies");
    let actors = actors(&dir.path().join("agencies"));
    // Line 2: Foreign Affairs (Bangladesh) → High Ranking Military Personnel (Vietnam).
    assert_eq!(actors["BGD:Foreign Affairs"], actor("Foreign Affairs (Bangladesh)", "agency", "BGD", ""));
    assert_eq!(actors["BGD"], actor("Bangladesh", "country", "", ""));
    assert_eq!(
        actors["VNM:High Ranking Military Personnel"],
        actor("High Ranking Military Personnel (Vietnam)", "agency", "VNM", "")
    );
    // Line 19: "Foreign Affairs (Russia)" of the country "Russian Federation": Russia is RUS.
    assert_eq!(actors["RUS:Foreign Affairs"], actor("Foreign Affairs (Russia)", "agency", "RUS", ""));
    // Line 13: a named actor without parentheses is an agency of its country too.
    assert_eq!(
        actors["RUS:Sergey Viktorovich Lavrov"],
        actor("Sergey Viktorovich Lavrov", "agency", "RUS", "")
    );
    // Line 35: "Priest (Holy See (Vatican City State))": nested parentheses naming the country.
    assert_eq!(actors["VAT:Priest"], actor("Priest (Holy See (Vatican City State))", "agency", "VAT", ""));
    // Line 24: "Citizen (Palestinian Territory, Occupied)" of "Occupied Palestinian Territory".
    assert_eq!(
        actors["PSE:Citizen"],
        actor("Citizen (Palestinian Territory, Occupied)", "agency", "PSE", "")
    );
    // Line 42 (altered): an agency of a country outside the CAMEO table.
    assert_eq!(actors["XKX:Citizen"], actor("Citizen (Kosovo)", "agency", "XKX", ""));
    // Every actor that is not a country has a country as parent.
    for (id, a) in &actors {
        if a[1] != "country" {
            assert_eq!(actors[&a[2]][1], "country", "{id}'s parent");
            assert!(id.starts_with(&format!("{}:", a[2])), "{id}");
        }
    }

    let relations = relations(&dir.path().join("agencies"));
    // Line 2 alone: agency to agency.
    assert_eq!(
        relations["icews-BGD:Foreign Affairs-VNM:High Ranking Military Personnel-cooperation-2018-06-01"],
        rel(
            "BGD:Foreign Affairs",
            "VNM:High Ranking Military Personnel",
            "cooperation",
            "2018-06-01",
            "2018-06-02",
            &["32889836"],
            "1 cooperation event from 1 article, mean Goldstein 1.00"
        )
    );
    // Line 11: Police (India) → India: an agency and its own country; line 21: "Russia" of
    // the Russian Federation is the country itself.
    assert_eq!(relations["icews-IND:Police-IND-dispute-2018-06-01"][..3], ["IND:Police", "IND", "dispute"]);
    assert_eq!(relations["icews-RUS-PRK-cooperation-2018-06-01"][5], "icews:32891403");
    // Lines 6 and 8: Mike Pompeo → Kim Yong-chol, both 06-01.
    assert_eq!(
        relations["icews-USA:Mike Pompeo-PRK:Kim Yong-chol-cooperation-2018-06-01"],
        rel(
            "USA:Mike Pompeo",
            "PRK:Kim Yong-chol",
            "cooperation",
            "2018-06-01",
            "2018-06-02",
            &["32890037", "32891174"],
            "2 cooperation events from 2 articles, mean Goldstein 4.00"
        )
    );

    // The agency is reachable by id and name, and is part of its country.
    let out = ok(
        dir.path(),
        &["--data", "agencies", "path", "BGD:Foreign Affairs", "Vietnam", "--at", "2018-06-01"],
    );
    assert!(
        stdout(&out).starts_with(
            "Foreign Affairs (Bangladesh) (BGD:Foreign Affairs) to Vietnam (VNM) on 2018-06-01: 2 hops"
        ),
        "{}",
        stdout(&out)
    );
    // By country, the agencies' relations are the countries'.
    let out =
        ok(dir.path(), &["--data", "agencies", "path", "BGD", "VNM", "--at", "2018-06-01", "--by-country"]);
    assert!(
        stdout(&out).starts_with("Bangladesh (BGD) to Vietnam (VNM) on 2018-06-01: 1 hop"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn gap_and_min_events_shape_the_relations() {
    let dir = workdir();
    let isr_pse = |out: &str, args: &[&str]| -> Vec<(String, String, usize)> {
        let mut all = vec!["import", "icews", "events.tab", "--out", out];
        all.extend_from_slice(args);
        ok(dir.path(), &all);
        check(dir.path(), out);
        relations(&dir.path().join(out))
            .into_values()
            .filter(|r| r[0] == "ISR" && r[1] == "PSE")
            .map(|r| (r[3].clone(), r[4].clone(), r[5].split(';').count()))
            .collect()
    };
    let run = |a: &str, b: &str, n: usize| (a.to_string(), b.to_string(), n);
    // Israel → PSE disputes on 06-01 (lines 24, 26), 06-02 (33), 06-06 (40) and 06-20 (41).
    // --gap 7 (default): 06-06 is 4 days after 06-02 and joins; 06-20 is 14 days after.
    assert_eq!(
        isr_pse("gap7", &[]),
        [run("2018-06-01", "2018-06-07", 4), run("2018-06-20", "2018-06-21", 1)]
    );
    // --gap 3: 4 days is too far: three runs.
    assert_eq!(
        isr_pse("gap3", &["--gap", "3"]),
        [
            run("2018-06-01", "2018-06-03", 3),
            run("2018-06-06", "2018-06-07", 1),
            run("2018-06-20", "2018-06-21", 1)
        ]
    );
    // --gap 0: consecutive days (06-01, 06-02) still join.
    assert_eq!(isr_pse("gap0", &["--gap", "0"])[0], run("2018-06-01", "2018-06-03", 3));
    // --gap 14: 06-20 is exactly 14 days after 06-06: all five in one run.
    assert_eq!(isr_pse("gap14", &["--gap", "14"]), [run("2018-06-01", "2018-06-21", 5)]);

    // --min-events 2 keeps the runs of 2 or more events (default gap): BFA→TWN 2, CHN→TWN
    // dispute 2, IND→MYS restriction 2, ISR→PSE 4, NLD→POL 2, PRK→RUS 2 (lines 12, 20),
    // RUS→PRK 4, USA→PRK 3: 8 of 19, citing 21 events, between 12 countries (BFA, TWN, CHN,
    // IND, MYS, ISR, PSE, NLD, POL, PRK, RUS, USA): actors met only in dropped runs go.
    let out = ok(dir.path(), &["import", "icews", "events.tab", "--out", "min2", "--min-events", "2"]);
    assert!(
        stdout(&out).contains("imported 8 relations, 12 actors, 21 sources into min2; 11 relations with fewer than 2 events dropped\n"),
        "{}",
        stdout(&out)
    );
    check(dir.path(), "min2");
    assert!(relations(&dir.path().join("min2")).values().all(|r| r[5].split(';').count() >= 2));
    // --gap 3 --min-events 3: ISR→PSE 06-01..06-02 (3), RUS→PRK (4), USA→PRK (3).
    ok(dir.path(), &["import", "icews", "events.tab", "--out", "min3", "--min-events", "3", "--gap", "3"]);
    let kept: Vec<String> = relations(&dir.path().join("min3")).into_keys().collect();
    assert_eq!(
        kept,
        [
            "icews-ISR-PSE-dispute-2018-06-01",
            "icews-RUS-PRK-cooperation-2018-06-01",
            "icews-USA-PRK-cooperation-2018-06-01"
        ]
    );
}

#[test]
fn strict_stops_at_the_first_bad_row_and_writes_nothing() {
    let dir = workdir();
    let out = georel(dir.path(), &["import", "icews", "events.tab", "--out", "strict", "--strict"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    // Line 44 is the first bad row: its Longitude was removed.
    assert_eq!(
        stderr(&out),
        "georel: events.tab:44: 19 fields but the header has 20 (a tab inside a value, or a line cut short?) \
         (without --strict, bad rows are skipped and listed in rejects.csv)\n"
    );
    assert!(stdout(&out).is_empty());
    assert!(!dir.path().join("strict").exists(), "--strict wrote something");

    // Without the bad rows (lines 1-43), --strict imports: skipped rows are not errors.
    let text = fs::read_to_string(dir.path().join("events.tab")).unwrap();
    let clean: String = text.lines().take(43).map(|l| format!("{l}\n")).collect();
    fs::write(dir.path().join("clean.tab"), clean).unwrap();
    let out = ok(dir.path(), &["import", "icews", "clean.tab", "--out", "clean", "--strict"]);
    assert!(stdout(&out).starts_with("read 42 rows from 1 file: 10 skipped, 0 rejected"), "{}", stdout(&out));
    assert!(!dir.path().join("clean/rejects.csv").exists());
    check(dir.path(), "clean");
}

#[test]
fn every_kind_of_bad_row_is_rejected_with_file_line_and_reason() {
    let dir = workdir();
    ok(dir.path(), &["import", "icews", "events.tab", "--out", "icews"]);
    let rejects = rows(&dir.path().join("icews/rejects.csv"));
    let got: Vec<(String, String, String)> =
        rejects.iter().map(|r| (r["file"].clone(), r["line"].clone(), r["reason"].clone())).collect();
    // Lines 44-52 of the fixture, each altered as its README says.
    let want = [
        (44, "19 fields but the header has 20 (a tab inside a value, or a line cut short?)"),
        (45, "Event Date \"2018-13-01\" is not a date: the month must be between 01 and 12; write YYYY-MM-DD or M/D/YYYY"),
        (46, "Event Date is missing (NA)"),
        (47, "Event ID \"E32891100\" is not a number: ICEWS event ids are whole numbers"),
        (48, "CAMEO Code \"X1\" is not a CAMEO event code (2 to 4 digits, from root 01 to 20)"),
        (49, "CAMEO Code is missing (NA)"),
        (50, "Intensity \"high\" is not a number"),
        (
            51,
            "Event Date \"2018-02-30\" is not a date: day 30 does not exist in 2018-02 (it has 28 days); write YYYY-MM-DD or M/D/YYYY; \
             CAMEO Code \"99\" has root 99, not one of 01 to 20",
        ),
        (52, "21 fields but the header has 20 (a tab inside a value, or a line cut short?)"),
    ]
    .map(|(line, reason)| ("events.tab".to_string(), line.to_string(), reason.to_string()));
    assert_eq!(got, want);
    // The row is kept as read, tabs and all.
    let text = fs::read_to_string(dir.path().join("events.tab")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for r in &rejects {
        let line: usize = r["line"].parse().unwrap();
        assert_eq!(r["row"], lines[line - 1], "row of line {line}");
    }
    // None of them became a source.
    let sources = fs::read_to_string(dir.path().join("icews/sources.csv")).unwrap();
    for id in [
        "32891215", "32891092", "32890184", "32891100", "32891102", "32891101", "32891107", "32891104",
        "32891274",
    ] {
        assert!(!sources.contains(id), "rejected event {id} was imported");
    }

    // More bad rows, made from line 2 of the excerpt: text that is not UTF-8 (a Latin-1 "é"
    // in the Event Text), an Intensity outside -10 to 10, a five-digit CAMEO code, and a
    // line of tabs only (a row of empty fields, not a blank line). Each has an Event ID of its
    // own: a row whose id was met before is a duplicate, whatever else is wrong with it.
    let good: Vec<&str> = lines[1].split('\t').collect();
    let with = |id: &'static str, column: usize, value: &'static str| {
        let mut f = good.clone();
        f[0] = id;
        f[column] = value;
        f.join("\t").into_bytes()
    };
    let mut latin1 = with("90000001", 5, "Consult");
    let at = latin1.windows(7).position(|w| w == b"Consult").unwrap();
    latin1.insert(at + 7, 0xE9);
    let mut more = format!("{}\n", lines[0]).into_bytes();
    // A good row last: an import of no relation writes nothing, rejects.csv included.
    for row in [
        latin1,
        with("90000002", 7, "11"),
        with("90000003", 6, "04311"),
        "\t".repeat(19).into_bytes(),
        good.join("\t").into_bytes(),
    ] {
        more.extend(row);
        more.push(b'\n');
    }
    fs::write(dir.path().join("more.tab"), more).unwrap();
    let out = georel(dir.path(), &["import", "icews", "more.tab", "--out", "more"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let more: Vec<(String, String)> = rows(&dir.path().join("more/rejects.csv"))
        .iter()
        .map(|r| (r["line"].clone(), r["reason"].clone()))
        .collect();
    let want = [
        (2, "not valid UTF-8 text"),
        (3, "Intensity 11 is outside -10 to 10"),
        (4, "CAMEO Code \"04311\" is not a CAMEO event code (2 to 4 digits, from root 01 to 20)"),
        (5, "Event ID is missing (empty); Event Date is missing (empty); CAMEO Code is missing (empty)"),
    ]
    .map(|(line, reason)| (line.to_string(), reason.to_string()));
    assert_eq!(more, want);

    // With Windows line ends and a blank line after line 10, the same rows are rejected,
    // each one line further down, and the relations are the same.
    let mut crlf: Vec<&str> = lines.clone();
    crlf.insert(10, "");
    fs::write(dir.path().join("crlf.tab"), crlf.join("\r\n") + "\r\n").unwrap();
    ok(dir.path(), &["import", "icews", "crlf.tab", "--out", "crlf"]);
    let crlf: Vec<(String, String)> = rows(&dir.path().join("crlf/rejects.csv"))
        .iter()
        .map(|r| (r["line"].clone(), r["reason"].clone()))
        .collect();
    let shifted: Vec<(String, String)> =
        got.iter().map(|(_, l, r)| ((l.parse::<u64>().unwrap() + 1).to_string(), r.clone())).collect();
    assert_eq!(crlf, shifted);
    assert_eq!(relations(&dir.path().join("crlf")), relations(&dir.path().join("icews")));
}

#[test]
fn a_header_without_a_required_column_is_a_clear_error() {
    let dir = workdir();
    let text = fs::read_to_string(dir.path().join("events.tab")).unwrap();
    // Drop the Target Country column (the 11th) from every line.
    let without: String = text
        .lines()
        .map(|l| {
            let mut f: Vec<&str> = l.split('\t').collect();
            if f.len() > 10 {
                f.remove(10);
            }
            format!("{}\n", f.join("\t"))
        })
        .collect();
    fs::write(dir.path().join("no-target.tab"), without).unwrap();
    let out = georel(dir.path(), &["import", "icews", "no-target.tab", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        "georel: no-target.tab:1: not an ICEWS events file: the header has no column \"Target Country\"; an ICEWS \
         events file is tab-separated with a header row naming at least Event ID, Event Date, Source Name, Source \
         Country, CAMEO Code, Target Name, Target Country, as published on Dataverse\n"
    );
    assert!(!dir.path().join("out").exists());

    // A comma-separated file gets a hint.
    fs::write(dir.path().join("commas.csv"), "Event ID,Event Date,Source Name\n1,2018-06-01,x\n").unwrap();
    let out = georel(dir.path(), &["import", "icews", "commas.csv", "--out", "out"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("(it looks comma-separated; ICEWS files are tab-separated)"),
        "{}",
        stderr(&out)
    );

    // Column names are matched ignoring case, `_` and `.`, in any order: the snake_case names
    // of the R package icews give the same dataset.
    let mut lines = text.lines();
    let header = lines.next().unwrap().to_lowercase().replace(' ', "_");
    let mut renamed = format!("{header}\n");
    lines.for_each(|l| renamed.push_str(&format!("{l}\n")));
    fs::write(dir.path().join("snake.tab"), renamed).unwrap();
    ok(dir.path(), &["import", "icews", "snake.tab", "--out", "snake"]);
    ok(dir.path(), &["import", "icews", "events.tab", "--out", "icews"]);
    assert_eq!(relations(&dir.path().join("snake")), relations(&dir.path().join("icews")));
}

#[test]
fn imports_are_deterministic() {
    let dir = workdir();
    for mode in ["country", "code"] {
        ok(dir.path(), &["import", "icews", "events.tab", "--out", "one", "--actors", mode]);
        ok(dir.path(), &["import", "icews", "events.tab", "--out", "two", "--actors", mode]);
        for file in ["relations.csv", "actors.csv", "sources.csv", "rejects.csv"] {
            let one = fs::read(dir.path().join("one").join(file)).unwrap();
            let two = fs::read(dir.path().join("two").join(file)).unwrap();
            assert!(one == two, "{file} differs between two runs (--actors {mode})");
        }
    }
}

#[test]
fn the_whole_icews_sample_imports_and_answers_queries() {
    let real = real_data("icews", "events.2018.sample.tab");
    let dir = tempfile::Builder::new().prefix("georel-icews-").tempdir().unwrap();
    let path = real.to_str().unwrap();
    let out = ok(dir.path(), &["import", "icews", path, "--out", "icews"]);
    // Observed on the sample and pinned: 3,705 rows, none bad; 368 without a country on one
    // side or both; 1,596 within one country; of the 1,741 left, 242 have a CAMEO root 01, 02
    // or 09, which the default map skips (awk cross-check on the raw columns). 1,499 events,
    // of which a relation cites its best 5 (--evidence): 816 sources.
    assert_eq!(
        stdout(&out),
        "read 3705 rows from 1 file: 2206 skipped, 0 rejected (skipped: 242 CAMEO code mapped to skip, \
         136 no source country (NA), 11 no source or target country (NA), 221 no target country (NA), \
         1596 same country on both sides)\n\
         imported 409 relations, 123 actors, 816 sources into icews\n\
         wrote icews/relations.csv\nwrote icews/actors.csv\nwrote icews/sources.csv\nwrote icews/pairdays-icews.bin\n"
    );
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    let out = ok(dir.path(), &["--data", "icews", "check"]);
    assert_eq!(
        stdout(&out),
        "icews: ok: 123 actors, 409 relations, 816 sources; dates 2018-06-01 to 2018-06-03\n"
    );

    let out = ok(dir.path(), &["--data", "icews", "snapshot", "--at", "2018-06-01", "--out", "snap/"]);
    assert!(
        stdout(&out)
            // IND → MYS and LTU → PSE: a one-way cooperation and a restriction the same way;
            // the cooperations the other way (MYS → IND, PSE → LTU) are not covered.
            .starts_with("snapshot 2018-06-01: 113 actors, 311 relations (0 possible, 4 contested)\n"),
        "{}",
        stdout(&out)
    );
    assert!(dir.path().join("snap/snapshot-2018-06-01.dot").is_file());

    let out =
        ok(dir.path(), &["--data", "icews", "path", "Bangladesh", "United States", "--at", "2018-06-01"]);
    assert!(
        stdout(&out).starts_with(
            "Bangladesh (BGD) to United States (USA) on 2018-06-01: 2 hops, 0 strained, weakest grade F6\n"
        ),
        "{}",
        stdout(&out)
    );

    // India–Malaysia (Modi's restriction and cooperation on 2018-06-01) and Lithuania–PSE.
    let out = ok(dir.path(), &["--data", "icews", "conflicts"]);
    let text = stdout(&out);
    assert!(text.starts_with("contested periods: 2 "), "{text}");
    assert!(text.contains("2018-06-01 → 2018-06-02  India (IND) – Malaysia (MYS)"), "{text}");
    assert!(
        text.contains("2018-06-01 → 2018-06-02  Lithuania (LTU) – Occupied Palestinian Territory (PSE)"),
        "{text}"
    );
    // The ICEWS spelling finds CAMEO's Russia.
    let out = ok(dir.path(), &["--data", "icews", "timeline", "Russian Federation"]);
    assert!(stdout(&out).starts_with("timeline of Russia (RUS): "), "{}", stdout(&out));

    // By actor: agencies and named actors; 2,580 events, 2,185 among their relation's best 5.
    let out = ok(dir.path(), &["import", "icews", path, "--out", "agencies", "--actors", "code"]);
    assert!(
        stdout(&out).starts_with(
            "read 3705 rows from 1 file: 1125 skipped, 0 rejected (skipped: 757 CAMEO code mapped to skip, \
             136 no source country (NA), 11 no source or target country (NA), 221 no target country (NA))\n\
             imported 1451 relations, 1035 actors, 2185 sources into agencies\n"
        ),
        "{}",
        stdout(&out)
    );
    check(dir.path(), "agencies");
}

#[test]
// Regression (issue 17): a row met twice was counted by whatever else was wrong with it (a
// second "NA" skip, a second reject). A duplicate is counted once, as a duplicate.
fn a_duplicate_row_is_counted_once_as_a_duplicate_whatever_else_is_wrong() {
    let dir = workdir();
    let d = dir.path();
    fs::copy(d.join("events.tab"), d.join("again.tab")).unwrap();
    let out = ok(d, &["import", "icews", "events.tab", "again.tab", "--out", "out"]);
    // The first copy: 10 skipped, 9 rejected (see the excerpt's counts above). Of the second
    // copy's 51 rows, the 50 with a readable Event ID are duplicates, bad rows included; the
    // row whose Event ID is E32891100 has no id to compare and is rejected again.
    assert!(
        stdout(&out).starts_with(&format!(
            "read 102 rows from 2 files: 60 skipped, 10 rejected (skipped: 50 duplicate event id, \
             {FIXTURE_NA_SKIPS}, 5 same country on both sides)\n"
        )),
        "{}",
        stdout(&out)
    );
}

#[test]
// Issue 17: ICEWS summaries counted no articles. Events of one story (one article: ICEWS codes
// each of its sentences) count once; a file without a Story ID column says nothing of them.
fn a_relation_counts_its_distinct_stories_as_articles() {
    let dir = workdir();
    let d = dir.path();
    let header = "Event ID\tEvent Date\tSource Name\tSource Country\tCAMEO Code\tIntensity\tTarget Name\tTarget Country\tStory ID\n";
    let rows = "1\t2018-06-01\tRussia\tRussian Federation\t040\t1\tChina\tChina\t900\n\
                2\t2018-06-01\tRussia\tRussian Federation\t040\t1\tChina\tChina\t900\n\
                3\t2018-06-02\tRussia\tRussian Federation\t040\t1\tChina\tChina\t901\n";
    fs::write(d.join("stories.tab"), format!("{header}{rows}")).unwrap();
    ok(d, &["import", "icews", "stories.tab", "--out", "with"]);
    let with = relations(&d.join("with"));
    assert_eq!(
        with["icews-RUS-CHN-cooperation-2018-06-01"][6],
        "3 cooperation events from 2 articles, mean Goldstein 1.00"
    );
    let without: String = format!("{header}{rows}")
        .lines()
        .map(|l| l.rsplit_once('\t').unwrap().0.to_string() + "\n")
        .collect();
    fs::write(d.join("nostory.tab"), without).unwrap();
    ok(d, &["import", "icews", "nostory.tab", "--out", "without"]);
    let without = relations(&d.join("without"));
    assert_eq!(
        without["icews-RUS-CHN-cooperation-2018-06-01"][6],
        "3 cooperation events, mean Goldstein 1.00"
    );
}
