//! `georel import gdelt`, run as the real binary on the excerpts in
//! `tests/fixtures/import/gdelt/` (their README lists every row, its origin, and the rows made
//! bad on purpose) and on the two real GDELT files in `tests/data/gdelt/`.
//!
//! The expected numbers are worked out by hand from the excerpts; each assertion says how.
//! "2.0 line N" and "1.0 line N" are lines of the excerpts.

mod import_common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use import_common::{check_passes, georel, real_data, relation_lines, stderr, success, table, written};

const V2: &str = "gdelt2_excerpt.export.CSV";
const V2_ZIP: &str = "gdelt2_excerpt.export.CSV.zip";
const V1: &str = "gdelt1_excerpt.tsv";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/gdelt")
}

/// A temporary work directory holding copies of the excerpts, so that paths in messages and in
/// rejects.csv are short and the same on every machine.
fn workdir() -> tempfile::TempDir {
    import_common::workdir("gdelt", &fixtures(), &[(V2, V2), (V2_ZIP, V2_ZIP), (V1, V1)])
}

/// The first line of an import's report: the rows read, skipped by reason, and rejected.
fn report(stdout: &str) -> String {
    stdout.lines().next().unwrap_or_default().to_string()
}

/// relations.csv by id: `source target kind start end | evidence | summary`.
fn relations(dir: &Path) -> BTreeMap<String, String> {
    relation_lines(dir, "true")
}

/// Every file of a folder, by name, as bytes.
fn folder(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).expect("read the folder") {
        let entry = entry.expect("a folder entry");
        files.insert(
            entry.file_name().to_string_lossy().into_owned(),
            fs::read(entry.path()).expect("read a file"),
        );
    }
    files
}

// ---------------------------------------------------------------------------------------------
// (1) The excerpts, counted by hand
// ---------------------------------------------------------------------------------------------

#[test]
fn gdelt_2_excerpt_counts_and_relations() {
    let dir = workdir();
    let out = success(dir.path(), &["import", "gdelt", V2, "--out", "out"]);
    let read = report(&out);
    // 59 lines, one blank (47): 58 rows. Skipped (see the fixture README): actor 1 without a
    // country on 2.0 lines 1, 2, 3; actor 2 on line 6; neither on line 5; GBR → GBR on lines
    // 7 and 8; CAMEO 010 (a statement, root 01, skipped by the default CAMEO map) on lines 33
    // and 34. Rejected: lines 48-59, one defect each.
    assert_eq!(
        read,
        "read 58 rows from 1 file: 9 skipped, 12 rejected (skipped: 2 CAMEO code mapped to skip, \
         3 no country for actor 1, 1 no country for actor 2, 1 no country for either actor, \
         2 same actor on both sides)"
    );
    // 58 - 9 - 12 = 37 events, one source each, but a relation cites at most 5 (--evidence):
    // CHN → BRA on 2019-10-24 has 6, so 36 sources. Relations, one per pair, kind and run: CAN→AUS
    // dispute; CHN→BRA cooperation twice (30 days apart); GBR→SAU and SAU→GBR cooperation;
    // RUS→SYR cooperation and dispute; USA→CHN cooperation and dispute; DEU→SYR restriction;
    // ISR→USA cooperation and dispute; RUS→USA dispute; USA→ISR cooperation and restriction;
    // USA→RUS dispute: 16. Countries: AUS BRA CAN CHN DEU GBR ISR RUS SAU SYR USA: 11.
    assert_eq!(written(&dir.path().join("out")), (16, 11, 36));
    let rels = relations(&dir.path().join("out"));
    assert_eq!(rels.len(), 16);
    // Lines 16-21 (original 449-454): six CHN → BRA cooperation events on 2019-10-24, with
    // Goldstein 1.9, 2.8, 2.8, 1.9, 2.8, 2.8: 15.0 / 6 = 2.50; their SOURCEURLs are two
    // articles (lines 16, 19-21 plenglish.com, lines 17-18 reuters.com). The one of 2019-09-24
    // (line 9) is 30 days earlier, beyond the default gap of 7: a relation of its own. The
    // evidence is the best 5 by NumSources (1 for all), then NumArticles (3, 3, 2 for
    // 881991281, 881991282 and 881991284; 1 for the others), then id: 881991285 is only
    // counted (its article still is).
    assert_eq!(
        rels["gdelt-CHN-BRA-cooperation-2019-10-24"],
        "CHN BRA cooperation 2019-10-24 2019-10-25 | gdelt:881991280;gdelt:881991281;gdelt:881991282;\
         gdelt:881991283;gdelt:881991284 | 6 cooperation events from 2 articles, mean \
         Goldstein 2.50"
    );
    assert_eq!(
        rels["gdelt-CHN-BRA-cooperation-2019-09-24"],
        "CHN BRA cooperation 2019-09-24 2019-09-25 | gdelt:881990861 | 1 cooperation event from 1 article, \
         mean Goldstein 4.00"
    );
    // Line 15 (USAGOV → CHN, 2019-10-23, 1.0, dailyforex.com) and lines 35-36 (2019-10-24:
    // 4.0, 4.0, one comunicati.net article); lines 33-34 are statements (CAMEO 010), which the
    // default map skips. Consecutive days, one relation to the day after the last; (1+4+4) / 3
    // = 3.00.
    assert_eq!(
        rels["gdelt-USA-CHN-cooperation-2019-10-23"],
        "USA CHN cooperation 2019-10-23 2019-10-25 | gdelt:881990890;gdelt:881992682;gdelt:881992683 \
         | 3 cooperation events from 2 articles, mean Goldstein 3.00"
    );
    // Lines 42-44 and 46 (USALEG): root code 16 is a restriction, all -4.0, all from one
    // article.
    assert_eq!(
        rels["gdelt-USA-ISR-restriction-2019-10-24"],
        "USA ISR restriction 2019-10-24 2019-10-25 | gdelt:881992771;gdelt:881992772;gdelt:881992773;\
         gdelt:881992912 | 4 restriction events from 1 article, mean Goldstein -4.00"
    );
    // Line 4 (original 5): CAMEO 139: a dispute, Goldstein -7.0.
    assert_eq!(
        rels["gdelt-CAN-AUS-dispute-2018-10-24"],
        "CAN AUS dispute 2018-10-24 2018-10-25 | gdelt:881990836 | 1 dispute event from 1 article, mean \
         Goldstein -7.00"
    );
    // Lines 14 (RUSGOV → SYR, 2019-10-23, 1.0) and 29-31 (3.4 each): 11.2 / 4 = 2.80.
    assert_eq!(
        rels["gdelt-RUS-SYR-cooperation-2019-10-23"],
        "RUS SYR cooperation 2019-10-23 2019-10-25 | gdelt:881990888;gdelt:881992392;gdelt:881992393;\
         gdelt:881992394 | 4 cooperation events from 2 articles, mean Goldstein 2.80"
    );
    let actors = table(&dir.path().join("out/actors.csv"));
    let ids: Vec<&str> = actors.iter().map(|a| a["id"].as_str()).collect();
    assert_eq!(ids, ["AUS", "BRA", "CAN", "CHN", "DEU", "GBR", "ISR", "RUS", "SAU", "SYR", "USA"]);
    assert!(actors.iter().all(|a| a["kind"] == "country" && a["parent"].is_empty()));
    assert_eq!(actors[10]["name"], "United States", "named from the CAMEO country table");
    check_passes(dir.path(), "out");
    // USA → ISR cooperation (lines 38-41) and restriction on the same day: contested.
    let conflicts = success(dir.path(), &["--data", "out", "conflicts"]);
    assert!(conflicts.starts_with("contested periods: 1 "), "{conflicts}");
    assert!(conflicts.contains("Israel (ISR) – United States (USA)"), "{conflicts}");
}

#[test]
fn gdelt_1_excerpt_counts_and_relations() {
    let dir = workdir();
    let out = success(dir.path(), &["import", "gdelt", V1, "--out", "out"]);
    let read = report(&out);
    // 37 rows. Skipped: actor 2 without a country on 1.0 lines 1 and 16; neither on 2 and 25;
    // actor 1 on 19; USA → USA on 9 and 10, SLV → SLV on 26; statements and appeals (CAMEO
    // roots 01 and 02, skipped by the default map) on lines 14, 17, 18 and 27. Rejected: lines
    // 36 and 37.
    assert_eq!(
        read,
        "read 37 rows from 1 file: 12 skipped, 2 rejected (skipped: 4 CAMEO code mapped to skip, \
         1 no country for actor 1, 2 no country for actor 2, 2 no country for either actor, \
         3 same actor on both sides)"
    );
    // 37 - 12 - 2 = 23 events. Relations: in 2016, CHN→AUS, CHN→USA and ISR→PSE disputes,
    // USA→AUS, USA→RUS, ESP→USA and GBR→USA cooperation, CAN→USA (CAMEO 172, administrative
    // sanctions), PER→USA and USA→RUS restrictions (10; the USA→ISR cooperation of lines 14
    // and 17 was two statements); in 1982, HND→CRI, ISR→EGY, SYR→IRN, USA→ISR, IRQ→IRN and
    // ESP→USA cooperation, IRN→IRQ, IRQ→SYR, FIN→POL and ISR→EGY restrictions, ISR→PSE
    // dispute (11): 21. Actors: AUS CAN CHN CRI EGY ESP FIN GBR HND IRN IRQ ISR PER POL PSE RUS
    // SYR USA: 18.
    assert_eq!(written(&dir.path().join("out")), (21, 18, 23));
    let rels = relations(&dir.path().join("out"));
    assert_eq!(rels.len(), 21);
    // Backfile lines 23 (1982-01-02, Goldstein 7) and 34 (1982-01-03, 1.9): consecutive days;
    // 8.9 / 2 = 4.45.
    assert_eq!(
        rels["gdelt-ISR-EGY-cooperation-1982-01-02"],
        "ISR EGY cooperation 1982-01-02 1982-01-04 | gdelt:1553219;gdelt:1554491 | 2 cooperation events, mean Goldstein 4.45"
    );
    // Lines 29 (id 230482311, 1982-01-02, 5) and 33 (id 1554461, 1982-01-03, 10): evidence in
    // numeric id order; 15 / 2 = 7.50.
    assert_eq!(
        rels["gdelt-IRQ-IRN-cooperation-1982-01-02"],
        "IRQ IRN cooperation 1982-01-02 1982-01-04 | gdelt:1554461;gdelt:230482311 | 2 cooperation events, mean Goldstein 7.50"
    );
    // Daily line 8, 2016-07-28 (3.4; line 18 beside it is an appeal, CAMEO 020, skipped);
    // line 15 (CAMEO 163) is a restriction beside it.
    assert_eq!(
        rels["gdelt-USA-RUS-cooperation-2016-07-28"],
        "USA RUS cooperation 2016-07-28 2016-07-29 | gdelt:564157307 | 1 cooperation event from 1 article, mean Goldstein 3.40"
    );
    assert_eq!(
        rels["gdelt-USA-RUS-restriction-2016-07-28"],
        "USA RUS restriction 2016-07-28 2016-07-29 | gdelt:564443032 | 1 restriction event from 1 article, mean Goldstein -8.00"
    );
    // Line 3: CAMEO 172 (impose administrative sanctions) is a restriction, not a dispute.
    assert_eq!(
        rels["gdelt-CAN-USA-restriction-2016-07-21"],
        "CAN USA restriction 2016-07-21 2016-07-22 | gdelt:564111684 | 1 restriction event from 1 article, mean Goldstein -5.00"
    );
    // ESP → USA cooperation on 1982-01-03 (line 31) and 2016-07-28 (line 11): two relations.
    assert!(rels.contains_key("gdelt-ESP-USA-cooperation-1982-01-03"));
    assert!(rels.contains_key("gdelt-ESP-USA-cooperation-2016-07-28"));
    check_passes(dir.path(), "out");
    // EGY – ISR on 1982-01-03, RUS – USA on 2016-07-28. GDELT relations are directed, and
    // on 1982-01-02 the IRN – IRQ cooperation and restriction run opposite ways: a restriction
    // covers only its own direction of a one-way cooperation.
    let conflicts = success(dir.path(), &["--data", "out", "conflicts"]);
    assert!(conflicts.starts_with("contested periods: 2 "), "{conflicts}");
}

// ---------------------------------------------------------------------------------------------
// (2) 1.0 and 2.0
// ---------------------------------------------------------------------------------------------

#[test]
fn the_version_is_told_by_the_column_count() {
    let dir = workdir();
    success(dir.path(), &["import", "gdelt", V2, "--out", "v2"]);
    success(dir.path(), &["import", "gdelt", V1, "--out", "v1"]);
    let by_id = |data: &str| -> BTreeMap<String, BTreeMap<String, String>> {
        table(&dir.path().join(data).join("sources.csv")).into_iter().map(|s| (s["id"].clone(), s)).collect()
    };
    let v2 = by_id("v2");
    let v1 = by_id("v1");
    // 2.0 line 4: SOURCEURL is column 60 of 61.
    let s = &v2["gdelt:881990836"];
    assert_eq!(s["title"], "GDELT 2.0 event 881990836: CAMEO 139 (Give ultimatum)");
    assert_eq!(s["publisher"], "GDELT");
    // Regression (issue 17): published was the event's day (SQLDATE 20181024); it is the
    // article's, DATEADDED 20191024143000 (column 59).
    assert_eq!(s["published"], "2019-10-24");
    assert_eq!(s["url"], "https://www.timescolonist.com/entertainment/jeremy-dutcher-brings-ancestors-songs-to-life-1.23985964");
    // 1.0 daily line 3: 58 columns, SOURCEURL is column 57.
    let s = &v1["gdelt:564111684"];
    assert_eq!(
        s["title"],
        "GDELT 1.0 event 564111684: CAMEO 172 (Impose administrative sanctions, not specified below)"
    );
    assert_eq!(
        s["url"],
        "http://neworleanscitybusiness.com/blog/2016/07/27/cities-turn-to-local-action-to-block-oil-trains/"
    );
    // SQLDATE 20160721, DATEADDED (column 56) 20160728.
    assert_eq!(s["published"], "2016-07-28");
    // 1.0 backfile line 23: 57 columns, no SOURCEURL.
    let s = &v1["gdelt:1553219"];
    assert_eq!(
        s["title"],
        "GDELT 1.0 event 1553219: CAMEO 0353 (Express intent to release persons or property)"
    );
    assert_eq!(s["url"], "");
    // The backfile's DATEADDED (20130203) is the day it was coded, not the article's.
    assert_eq!(s["published"], "");
    assert!(v2.values().all(|s| s["title"].starts_with("GDELT 2.0 ") && s["url"].starts_with("http")));
    assert!(v1.values().all(|s| s["title"].starts_with("GDELT 1.0 ")));

    // The first row decides; a row of the other version is rejected.
    let one = fs::read_to_string(dir.path().join(V1)).unwrap();
    let two = fs::read_to_string(dir.path().join(V2)).unwrap();
    let mixed = format!("{}\n{}\n", one.lines().next().unwrap(), two.lines().nth(3).unwrap());
    fs::write(dir.path().join("mixed.CSV"), mixed).unwrap();
    let out = georel(dir.path(), &["import", "gdelt", "mixed.CSV", "--out", "mixed"]);
    // No relation: the 1.0 row is skipped (no country for actor 2), so nothing is written
    // and the rejected row is shown on stderr.
    assert_eq!(out.status.code(), Some(4), "{}", stderr(&out));
    assert!(!dir.path().join("mixed").exists());
    let err = stderr(&out);
    assert!(err.contains("the import kept no relation"), "{err}");
    assert!(
        err.contains("mixed.CSV:2: 61 columns: a GDELT 2.0 row in a GDELT 1.0 file (as told by line 1)"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// (3) Zip archives
// ---------------------------------------------------------------------------------------------

#[test]
fn a_zip_reads_like_the_plain_file() {
    let dir = workdir();
    let plain = success(dir.path(), &["import", "gdelt", V2, "--out", "plain"]);
    let zipped = success(dir.path(), &["import", "gdelt", V2_ZIP, "--out", "zipped"]);
    assert_eq!(report(&plain), report(&zipped));
    for file in ["relations.csv", "actors.csv", "sources.csv"] {
        assert_eq!(
            fs::read(dir.path().join("plain").join(file)).unwrap(),
            fs::read(dir.path().join("zipped").join(file)).unwrap(),
            "{file}"
        );
    }
    // The rejects name the member inside the archive, with the same lines and reasons.
    let plain = table(&dir.path().join("plain/rejects.csv"));
    let zipped = table(&dir.path().join("zipped/rejects.csv"));
    assert_eq!(plain.len(), zipped.len());
    for (p, z) in plain.iter().zip(&zipped) {
        assert_eq!(p["file"], V2);
        assert_eq!(z["file"], format!("{V2_ZIP}/{V2}"));
        assert_eq!((&p["line"], &p["reason"], &p["row"]), (&z["line"], &z["reason"], &z["row"]));
    }

    // Every member is read, whatever its name: a note's line is a rejected row, named by the
    // member, and an import of no relation writes nothing.
    let file = fs::File::create(dir.path().join("notes.zip")).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut zip, b"no events here").unwrap();
    zip.finish().unwrap();
    let out = georel(dir.path(), &["import", "gdelt", "notes.zip", "--out", "notes"]);
    assert_eq!(out.status.code(), Some(4));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.zip/notes.txt:1: 1 columns") && stderr.contains("kept no relation"),
        "{stderr}"
    );
    assert!(!dir.path().join("notes").exists());
}

// ---------------------------------------------------------------------------------------------
// (4) --actors code
// ---------------------------------------------------------------------------------------------

#[test]
fn actor_codes_give_agencies_with_country_parents() {
    let dir = workdir();
    let out = success(dir.path(), &["import", "gdelt", V2, "--out", "out", "--actors", "code"]);
    let read = report(&out);
    // Lines 7 and 8 are GBREDU → GBR: two actors now, so nothing is skipped as the same actor,
    // but both are statements (CAMEO 010, 013), which the default CAMEO map skips, as it does
    // lines 33 and 34.
    assert_eq!(
        read,
        "read 58 rows from 1 file: 9 skipped, 12 rejected (skipped: 4 CAMEO code mapped to skip, \
         3 no country for actor 1, 1 no country for actor 2, 1 no country for either actor)"
    );
    // 37 events, as by country. Relations split by code: CHNGOV → BRA (line 9), CHN → BRA and
    // CHN → BRAGOV (16-18, 19-21), RUSGOV → SYR (14) and RUS → SYRGOV (29-31), USAGOV → CHN
    // (15) and USA → CHN (35-36), ISR → USAEDU (26), RUS → USAMED (32), USA → ISR and USALEG →
    // ISR restriction (42-44, 46): 16 - 1 + 5 = 20. Agencies: BRAGOV CHNGOV RUSGOV SYRGOV
    // USAEDU USAGOV USALEG USAMED, beside the 11 countries: 19.
    assert_eq!(written(&dir.path().join("out")), (20, 19, 37));
    let actors: BTreeMap<String, BTreeMap<String, String>> =
        table(&dir.path().join("out/actors.csv")).into_iter().map(|a| (a["id"].clone(), a)).collect();
    let usagov = &actors["USAGOV"];
    assert_eq!(
        (usagov["name"].as_str(), usagov["kind"].as_str(), usagov["parent"].as_str()),
        ("United States Government (USAGOV)", "agency", "USA")
    );
    assert_eq!(actors["USAEDU"]["name"], "United States Education (USAEDU)");
    assert!(!actors.contains_key("GBREDU"), "its only events were statements");
    let agencies: Vec<&str> =
        actors.values().filter(|a| a["kind"] == "agency").map(|a| a["id"].as_str()).collect();
    assert_eq!(agencies, ["BRAGOV", "CHNGOV", "RUSGOV", "SYRGOV", "USAEDU", "USAGOV", "USALEG", "USAMED"]);
    for id in &agencies {
        assert_eq!(actors[*id]["parent"], id[..3], "{id} belongs to its country");
        assert_eq!(actors[&id[..3]]["kind"], "country");
    }
    let rels = relations(&dir.path().join("out"));
    assert_eq!(rels.len(), 20);
    // Line 15 alone now; USA → CHN starts the next day with lines 35-36: 8 / 2 = 4.00.
    assert_eq!(
        rels["gdelt-USAGOV-CHN-cooperation-2019-10-23"],
        "USAGOV CHN cooperation 2019-10-23 2019-10-24 | gdelt:881990890 | 1 cooperation event from 1 article, \
         mean Goldstein 1.00"
    );
    assert_eq!(
        rels["gdelt-USA-CHN-cooperation-2019-10-24"],
        "USA CHN cooperation 2019-10-24 2019-10-25 | gdelt:881992682;gdelt:881992683 | 2 cooperation events \
         from 1 article, mean Goldstein 4.00"
    );
    check_passes(dir.path(), "out");
    // On 2019-10-24 USAGOV is part of USA, which cooperates with CHN, which cooperates with BRA.
    let path = success(dir.path(), &["--data", "out", "path", "USAGOV", "BRA", "--at", "2019-10-24"]);
    assert!(
        path.starts_with("United States Government (USAGOV) to Brazil (BRA) on 2019-10-24: 3 hops"),
        "{path}"
    );
    assert!(path.contains("part of      USAGOV belongs to USA"), "{path}");
}

// ---------------------------------------------------------------------------------------------
// (5) --gap and --min-events
// ---------------------------------------------------------------------------------------------

#[test]
fn gap_and_min_events_change_the_relations() {
    let dir = workdir();
    // CHN → BRA: 2019-09-24 and 2019-10-24 are 30 days apart.
    success(dir.path(), &["import", "gdelt", V2, "--out", "gap29", "--gap", "29"]);
    let rels = relations(&dir.path().join("gap29"));
    assert_eq!(rels.len(), 16);
    assert!(rels.contains_key("gdelt-CHN-BRA-cooperation-2019-09-24"));
    assert!(rels.contains_key("gdelt-CHN-BRA-cooperation-2019-10-24"));
    success(dir.path(), &["import", "gdelt", V2, "--out", "gap30", "--gap", "30"]);
    // CHN → BRA's 7 events are cited by their best 5: 37 - 2 sources.
    assert_eq!(written(&dir.path().join("gap30")), (15, 11, 35));
    // One relation from the first to the day after the last: (4.0 + 15.0) / 7 = 2.71; line 9's
    // article is a third.
    assert_eq!(
        relations(&dir.path().join("gap30"))["gdelt-CHN-BRA-cooperation-2019-09-24"],
        "CHN BRA cooperation 2019-09-24 2019-10-25 | gdelt:881990861;gdelt:881991280;gdelt:881991281;\
         gdelt:881991282;gdelt:881991284 | 7 cooperation events from 3 articles, \
         mean Goldstein 2.71"
    );
    // Consecutive days always join, even with --gap 0: USA → CHN, RUS → SYR as by default.
    success(dir.path(), &["import", "gdelt", V2, "--out", "gap0", "--gap", "0"]);
    let gap0 = relations(&dir.path().join("gap0"));
    assert_eq!(gap0.len(), 16);
    assert!(gap0["gdelt-USA-CHN-cooperation-2019-10-23"].contains(" 2019-10-23 2019-10-25 "));
    assert!(gap0["gdelt-RUS-SYR-cooperation-2019-10-23"].contains(" 2019-10-23 2019-10-25 "));

    // Six of the 16 relations have one event (CAN→AUS, CHN→BRA of 2019-09-24, ISR→USA
    // dispute, RUS→USA, USA→CHN dispute, USA→RUS); their 6 sources go with them.
    let out = success(dir.path(), &["import", "gdelt", V2, "--out", "min2", "--min-events", "2"]);
    // CAN and AUS go with their only relation: 9 actors. 36 - 6 sources.
    assert_eq!(written(&dir.path().join("min2")), (10, 9, 30));
    assert!(out.contains("6 relations with fewer than 2 events dropped"), "{out}");
    let min2 = relations(&dir.path().join("min2"));
    for single in [
        "gdelt-CAN-AUS-dispute-2018-10-24",
        "gdelt-CHN-BRA-cooperation-2019-09-24",
        "gdelt-ISR-USA-dispute-2019-10-24",
        "gdelt-RUS-USA-dispute-2019-10-24",
        "gdelt-USA-CHN-dispute-2019-10-24",
        "gdelt-USA-RUS-dispute-2019-10-24",
    ] {
        assert!(!min2.contains_key(single), "{single}");
    }
    check_passes(dir.path(), "min2");
    // Five or more: CHN → BRA (6 events) only (USA → CHN has 3 without its two statements).
    let out = success(dir.path(), &["import", "gdelt", V2, "--out", "min5", "--min-events", "5"]);
    assert!(out.contains("15 relations with fewer than 5 events dropped"), "{out}");
    // 5 sources (of 6 events, --evidence); BRA and CHN.
    assert_eq!(written(&dir.path().join("min5")), (1, 2, 5));
    let min5: Vec<String> = relations(&dir.path().join("min5")).into_keys().collect();
    assert_eq!(min5, ["gdelt-CHN-BRA-cooperation-2019-10-24"]);
}

// ---------------------------------------------------------------------------------------------
// (6) and (7) Bad rows
// ---------------------------------------------------------------------------------------------

#[test]
fn strict_stops_at_the_first_bad_row_and_writes_nothing() {
    let dir = workdir();
    let out = georel(dir.path(), &["import", "gdelt", V2, "--out", "out", "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "{V2}:48: 40 columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61"
        )),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "only the first bad row: {stderr}");
    assert!(out.stdout.is_empty());
    assert!(!dir.path().join("out").exists(), "nothing written");

    // An existing folder stays as it was.
    success(dir.path(), &["import", "gdelt", V1, "--out", "kept"]);
    let before = folder(&dir.path().join("kept"));
    let out = georel(dir.path(), &["import", "gdelt", V1, "--out", "kept", "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("{V1}:36: SQLDATE is empty")), "{stderr}");
    assert_eq!(folder(&dir.path().join("kept")), before);
}

#[test]
fn every_kind_of_bad_row_is_listed_in_rejects_csv() {
    let dir = workdir();
    let out = georel(dir.path(), &["import", "gdelt", V2, "--out", "out"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("georel: 12 bad rows skipped; all are in out/rejects.csv:"), "{stderr}");
    let rejects = table(&dir.path().join("out/rejects.csv"));
    let got: Vec<(&str, &str, &str)> =
        rejects.iter().map(|r| (r["file"].as_str(), r["line"].as_str(), r["reason"].as_str())).collect();
    // One per defect listed in the fixture README, at its line (line 47 is blank).
    assert_eq!(
        got,
        [
            (V2, "48", "40 columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61"),
            (V2, "49", "SQLDATE is empty"),
            (V2, "50", "SQLDATE 20191332 is not a date (month 13)"),
            (V2, "51", "SQLDATE 20190230 is not a date (day 30: 2019-02 has 28 days)"),
            (V2, "52", "GLOBALEVENTID \"881991176x\" is not a number"),
            (V2, "53", "EventRootCode \"21\" is not a CAMEO root code (01 to 20)"),
            (V2, "54", "QuadClass \"7\" is not a CAMEO quad class (1 to 4)"),
            (V2, "55", "GoldsteinScale \"high\" is not a number"),
            (V2, "56", "GoldsteinScale -12.0 is outside -10 to +10"),
            (V2, "57", "EventCode \"0421\" is not a CAMEO event code under EventRootCode 16"),
            (V2, "58", "Actor2CountryCode \"Ukr\" is not a CAMEO country code (three capital letters)"),
            (V2, "59", "58 columns: a GDELT 1.0 row in a GDELT 2.0 file (as told by line 1)"),
        ]
    );
    // Each row as read: the line itself.
    let text = fs::read_to_string(dir.path().join(V2)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for r in &rejects {
        let line: usize = r["line"].parse().unwrap();
        assert_eq!(r["row"], lines[line - 1], "line {line}");
    }
    // The 1.0 excerpt: a missing SQLDATE in a backfile row, and a row with a stray tab.
    georel(dir.path(), &["import", "gdelt", V1, "--out", "v1"]);
    let rejects = table(&dir.path().join("v1/rejects.csv"));
    let got: Vec<(&str, &str)> = rejects.iter().map(|r| (r["line"].as_str(), r["reason"].as_str())).collect();
    assert_eq!(
        got,
        [
            ("36", "SQLDATE is empty"),
            ("37", "59 columns: GDELT 1.0 rows have 57 or 58 (58 with SOURCEURL), GDELT 2.0 rows 61")
        ]
    );
}

// ---------------------------------------------------------------------------------------------
// (8) Determinism, (9) --append
// ---------------------------------------------------------------------------------------------

#[test]
fn two_runs_write_identical_files() {
    let dir = workdir();
    for out in ["a", "b"] {
        success(dir.path(), &["import", "gdelt", V1, V2, "--out", out, "--actors", "code"]);
    }
    let (a, b) = (folder(&dir.path().join("a")), folder(&dir.path().join("b")));
    // .georel-dataset marks the folder as an import's, which the next import may replace.
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        [
            ".georel-dataset",
            "actors.csv",
            "pairdays-gdelt.bin",
            "rejects.csv",
            "relations.csv",
            "sources.csv"
        ]
    );
    assert_eq!(a, b);
}

#[test]
fn append_merges_and_a_second_identical_append_fails_unchanged() {
    let dir = workdir();
    success(dir.path(), &["import", "gdelt", V1, "--out", "data"]);
    success(dir.path(), &["import", "gdelt", V2, "--append", "data"]);
    // 21 + 16 relations; 23 + 36 sources (a relation cites its best 5 events); actors: the 18 of 1.0, and BRA, DEU and SAU from
    // 2.0 (its other 8 are in 1.0 too): 21.
    let check = success(dir.path(), &["--data", "data", "check"]);
    assert!(
        check.starts_with("data: ok: 21 actors, 37 relations, 59 sources; dates 1982-01-02 to 2019-10-25"),
        "{check}"
    );
    let rels = relations(&dir.path().join("data"));
    assert!(rels.contains_key("gdelt-ISR-EGY-cooperation-1982-01-02"));
    assert!(rels.contains_key("gdelt-USA-ISR-restriction-2019-10-24"));

    let before = folder(&dir.path().join("data"));
    let out = georel(dir.path(), &["import", "gdelt", V2, "--append", "data"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("nothing to append: 58 rows read, and every event in them is already in data (57 duplicate event ids)"),
        "{stderr}"
    );
    assert_eq!(folder(&dir.path().join("data")), before, "the folder is unchanged");
}

// ---------------------------------------------------------------------------------------------
// (10) The real files
// ---------------------------------------------------------------------------------------------

#[test]
fn the_real_gdelt_files() {
    let dir = workdir();
    let v2 = real_data("gdelt", "gdelt2_20191024143000.export.CSV");
    let v1 = real_data("gdelt", "gdelt1_reed9999_sample_events.tsv");
    let out = success(dir.path(), &["import", "gdelt", v2.to_str().unwrap(), "--out", "v2"]);
    // The counts as observed (python3 cross-check: 428 rows lack Actor1CountryCode only, 701
    // Actor2CountryCode only, 392 both, 121 have the same country twice; 469 rows remain, of
    // which 53 have EventRootCode 01, 02 or 09, which the default CAMEO map skips (awk
    // cross-check): 416 events).
    assert_eq!(
        report(&out),
        "read 2111 rows from 1 file: 1695 skipped, 0 rejected (skipped: 53 CAMEO code mapped to skip, \
         428 no country for actor 1, 701 no country for actor 2, 392 no country for either actor, \
         121 same actor on both sides)"
    );
    // 416 events, 388 of them among the best 5 of their relation.
    assert_eq!(written(&dir.path().join("v2")), (185, 61, 388));
    let out = success(dir.path(), &["import", "gdelt", v1.to_str().unwrap(), "--out", "v1"]);
    // 509 daily rows of 58 columns and 201 backfile rows of 57; none rejected; of the 139 rows
    // with two countries, 26 are roots 01, 02 or 09 (awk cross-check).
    assert_eq!(
        report(&out),
        "read 710 rows from 1 file: 597 skipped, 0 rejected (skipped: 26 CAMEO code mapped to skip, \
         132 no country for actor 1, 249 no country for actor 2, 133 no country for either actor, \
         57 same actor on both sides)"
    );
    assert_eq!(written(&dir.path().join("v1")), (110, 65, 113));
    for data in ["v2", "v1"] {
        check_passes(dir.path(), data);
    }

    let snapshot = success(dir.path(), &["--data", "v2", "snapshot", "--at", "2019-10-24", "--out", "snap/"]);
    assert!(
        // USA → ISR cooperation against USA → ISR restriction; the ISR → USA cooperation runs
        // the other way, and the restriction does not cover it.
        snapshot.starts_with("snapshot 2019-10-24: 61 actors, 180 relations (0 possible, 2 contested)"),
        "{snapshot}"
    );
    let path = success(dir.path(), &["--data", "v2", "path", "USA", "RUS", "--at", "2019-10-24"]);
    assert!(
        path.starts_with("United States (USA) to Russia (RUS) on 2019-10-24: 1 hop, 1 strained"),
        "{path}"
    );
    let conflicts = success(dir.path(), &["--data", "v2", "conflicts"]);
    assert!(conflicts.starts_with("contested periods: 1 "), "{conflicts}");
    assert!(conflicts.contains("Israel (ISR) – United States (USA)"), "{conflicts}");

    let snapshot =
        success(dir.path(), &["--data", "v1", "snapshot", "--at", "1982-01-02", "--out", "snap1/"]);
    assert!(snapshot.starts_with("snapshot 1982-01-02: "), "{snapshot}");
    success(dir.path(), &["--data", "v1", "path", "ISR", "EGY", "--at", "1982-01-03"]);
    let conflicts = success(dir.path(), &["--data", "v1", "conflicts"]);
    assert!(conflicts.starts_with("contested periods: "), "{conflicts}");
}

// ---------------------------------------------------------------------------------------------
// Formula injection (#12 of issue 13)

/// Line 4 of the 2.0 excerpt (a good row), with its GLOBALEVENTID and SOURCEURL replaced.
fn v2_row(dir: &Path, id: &str, url: &str) -> String {
    let two = fs::read_to_string(dir.join(V2)).unwrap();
    let mut cells: Vec<String> = two.lines().nth(3).unwrap().split('\t').map(str::to_string).collect();
    assert_eq!(cells.len(), 61);
    if !id.is_empty() {
        cells[0] = id.to_string();
    }
    cells[60] = url.to_string();
    cells.join("\t")
}

#[test]
// Regression (#12 of issue 13): a SOURCEURL such as =HYPERLINK(...) went raw into sources.csv.
fn a_source_url_that_is_not_a_web_address_rejects_its_row() {
    let dir = workdir();
    let d = dir.path();
    let evil = "=HYPERLINK(\"http://evil.example\",\"click\")";
    let rows = [v2_row(d, "", "HTTPS://example.org/a"), v2_row(d, "999999999", evil)];
    fs::write(d.join("evil.CSV"), rows.join("\n") + "\n").unwrap();
    success(d, &["import", "gdelt", "evil.CSV", "--out", "out"]);
    let sources = table(&d.join("out/sources.csv"));
    assert_eq!(sources.len(), 1, "{sources:?}");
    assert_eq!(
        sources[0]["url"], "HTTPS://example.org/a",
        "a web address is kept exactly, whatever its case"
    );
    let rejects = table(&d.join("out/rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert_eq!(rejects[0]["line"], "2");
    assert_eq!(
        rejects[0]["reason"],
        format!("SOURCEURL {evil:?} is not a web address (it must start with http:// or https://)")
    );
    // The dataset written stays loadable.
    check_passes(d, "out");
}

#[test]
// Regression (#12 of issue 13): rejects.csv cells were written raw.
fn rejects_csv_cells_are_neutralised_like_every_csv_for_people() {
    let dir = workdir();
    let d = dir.path();
    let rows = [v2_row(d, "", "https://example.org/a"), v2_row(d, "=1+1", "https://example.org/b")];
    fs::write(d.join("evil.CSV"), rows.join("\n") + "\n").unwrap();
    success(d, &["import", "gdelt", "evil.CSV", "--out", "out"]);
    let rejects = table(&d.join("out/rejects.csv"));
    assert_eq!(rejects.len(), 1);
    assert!(rejects[0]["row"].starts_with("'=1+1\t"), "{:?}", rejects[0]["row"]);
    assert!(rejects[0]["reason"].starts_with("GLOBALEVENTID \"=1+1\""), "{:?}", rejects[0]["reason"]);
    check_passes(d, "out");
}

// ---------------------------------------------------------------------------------------------
// Issue 17: what the relations mean

#[test]
// Regression (issue 17): a row met twice was counted by whatever else was wrong with it (a
// second "no country", a second reject), so the skip counts of overlapping files depended on
// the rows' other faults. A duplicate is counted once, as a duplicate.
fn a_duplicate_row_is_counted_once_as_a_duplicate_whatever_else_is_wrong() {
    let dir = workdir();
    let d = dir.path();
    fs::copy(d.join(V2), d.join("again.CSV")).unwrap();
    let out = success(d, &["import", "gdelt", V2, "again.CSV", "--out", "out"]);
    // The first copy as in gdelt_2_excerpt_counts_and_relations (9 skipped, 12 rejected); of
    // the second copy's 58 rows, the 57 with a readable GLOBALEVENTID are duplicates (the 7
    // skipped, the 37 events and 11 of the bad rows); line 52 (GLOBALEVENTID 881991176x) has no
    // id to compare and is rejected again: 13 rejected.
    assert_eq!(
        report(&out),
        "read 116 rows from 2 files: 66 skipped, 13 rejected (skipped: 2 CAMEO code mapped to skip, \
         57 duplicate event id, 3 no country for actor 1, 1 no country for actor 2, \
         1 no country for either actor, 2 same actor on both sides)"
    );
    assert_eq!(written(&d.join("out")), (16, 11, 36), "the dataset of the file read once");
}

/// The real 15-minute GDELT 2.0 file.
fn real_v2() -> String {
    real_data("gdelt", "gdelt2_20191024143000.export.CSV").to_str().unwrap().to_string()
}

#[test]
fn quality_filters_skip_and_count_the_events_they_remove() {
    let dir = workdir();
    let v2 = real_v2();
    // Of the 416 events the default map keeps (see the_real_gdelt_files), an awk cross-check
    // on the raw columns: 169 have IsRootEvent 0, 403 NumSources below 2, 98 NumArticles
    // below 2. Sources: the events among their relation's best 5 (--evidence).
    let map = "53 CAMEO code mapped to skip";
    let places = "428 no country for actor 1, 701 no country for actor 2, 392 no country for either actor";
    let same = "121 same actor on both sides";
    // Reasons are listed in alphabetical order.
    for (flags, skipped, reasons, written_) in [
        (
            &["--root-only"][..],
            1864,
            format!("{map}, {places}, 169 not a root event (--root-only), {same}"),
            (118, 50, 231),
        ),
        (
            &["--min-sources", "2"],
            2098,
            format!("{map}, 403 fewer sources than --min-sources, {places}, {same}"),
            (8, 10, 13),
        ),
        (
            &["--min-articles", "2"],
            1793,
            format!("{map}, 98 fewer articles than --min-articles, {places}, {same}"),
            (162, 55, 300),
        ),
    ] {
        let mut args = vec!["import", "gdelt", v2.as_str(), "--out", "q"];
        args.extend(flags);
        let out = success(dir.path(), &args);
        assert_eq!(
            report(&out),
            format!("read 2111 rows from 1 file: {skipped} skipped, 0 rejected (skipped: {reasons})"),
            "{flags:?}"
        );
        assert_eq!(written(&dir.path().join("q")), written_, "{flags:?}");
    }
    // They read GDELT's own columns: another format has none.
    let out = georel(dir.path(), &["import", "icews", V2, "--out", "i", "--root-only"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("--root-only, --min-sources and --min-articles filter on GDELT's own columns")
    );
}

/// The curated dataset (its NATO memberships) in `dir/name`, to append an import to.
fn curated_copy(dir: &Path, name: &str) {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    fs::create_dir(dir.join(name)).unwrap();
    for file in ["actors.csv", "relations.csv", "sources.csv"] {
        fs::copy(data.join(file), dir.join(name).join(file)).unwrap();
    }
}

#[test]
// The fractures one 15-minute file gives between NATO members are coding noise (GBR → CAN: an
// article on British exports and one on a Russian judge; CAN ↔ USA: Marvel's January comics,
// coded as property destruction and assault); the filters README recommends remove them.
fn quality_filters_remove_the_coding_noise_behind_nato_fractures() {
    let dir = workdir();
    let v2 = real_v2();
    for (name, flags, fractures) in [
        ("plain", &[][..], "fractures on 2019-10-24: 4 (NATO 4)"),
        ("root", &["--root-only"], "fractures on 2019-10-24: 2 (NATO 2)"),
        ("articles", &["--min-articles", "2"], "fractures on 2019-10-24: 3 (NATO 3)"),
        ("sources", &["--min-sources", "2"], "fractures on 2019-10-24: 0"),
        ("both", &["--root-only", "--min-events", "2"], "fractures on 2019-10-24: 0"),
    ] {
        curated_copy(dir.path(), name);
        let mut args = vec!["import", "gdelt", v2.as_str(), "--append", name];
        args.extend(flags);
        success(dir.path(), &args);
        let out = georel(dir.path(), &["--data", name, "fractures", "--at", "2019-10-24", "--group", "NATO"]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(text.lines().next(), Some(fractures), "{flags:?}: {text}");
    }
}

#[test]
fn a_cameo_map_file_replaces_the_default() {
    let dir = workdir();
    let d = dir.path();
    // The meaning before issue 17, by root only: statements, appeals and investigations were
    // cooperation, administrative sanctions and expulsions disputes.
    let mut old = String::from("# roots only\ncode,kind\n");
    for root in 1..=20 {
        let kind = match root {
            1..=9 => "cooperation",
            16 => "restriction",
            _ => "dispute",
        };
        old.push_str(&format!("{root:02},{kind}\n"));
    }
    fs::write(d.join("old.csv"), old).unwrap();
    let out = success(d, &["import", "gdelt", V2, "--out", "old", "--cameo-map", "old.csv"]);
    // As in gdelt_2_excerpt_counts_and_relations, with lines 33 and 34 (CAMEO 010) kept.
    assert!(report(&out).starts_with("read 58 rows from 1 file: 7 skipped, 12 rejected"), "{out}");
    // 39 events; CHN → BRA cites 5 of its 6.
    assert_eq!(written(&d.join("old")), (16, 11, 38));
    let out = success(d, &["import", "gdelt", V1, "--out", "old1", "--cameo-map", "old.csv"]);
    assert!(report(&out).starts_with("read 37 rows from 1 file: 8 skipped, 2 rejected"), "{out}");
    assert!(relations(&d.join("old1")).contains_key("gdelt-CAN-USA-dispute-2016-07-21"));

    // Bad map files: exit 2, the file, line, column and value, and what is allowed.
    for (text, message) in [
        ("code,kind\n01,friendly\n", "bad.csv:2: column 2: \"friendly\": not a kind: write one of cooperation, restriction, dispute, skip"),
        ("kind,code\nskip,21\n", "bad.csv:2: column 2: \"21\": not a CAMEO code: write a root 01 to 20"),
        ("code,kind\n01,skip\n01,dispute\n", "bad.csv:3: column 1: \"01\": this code is listed twice"),
        ("code,kind\n01,skip\n", "bad.csv: no line for root 02, 03, 04, 05, 06, 07, 08, 09, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20"),
        ("# nothing\n01,skip\n", "bad.csv:2: the header row must name the columns code and kind"),
    ] {
        fs::write(d.join("bad.csv"), text).unwrap();
        let out = georel(d, &["import", "gdelt", V2, "--out", "bad", "--cameo-map", "bad.csv"]);
        assert_eq!(out.status.code(), Some(2), "{text}");
        assert!(stderr(&out).contains(message), "{text}: {}", stderr(&out));
        assert!(!d.join("bad").exists());
    }
}

#[test]
// Regression (issue 17): CAMEO's own codes went into the dataset as they were (ROM, not ISO's
// ROU, and the curated data's), and its regions (EUR, AFR, WSB) were countries.
fn cameo_codes_become_iso_ids_and_regions_are_regions() {
    let dir = workdir();
    let d = dir.path();
    let two = fs::read_to_string(d.join(V2)).unwrap();
    // Line 4 (CAN → AUS, CAMEO 139), its actors replaced: ROM → EUR, and TMP → WSB.
    let row = |id: &str, one: &str, two_: &str| {
        let mut cells: Vec<String> = two.lines().nth(3).unwrap().split('\t').map(str::to_string).collect();
        cells[0] = id.to_string();
        (cells[5], cells[7], cells[15], cells[17]) = (one.into(), one.into(), two_.into(), two_.into());
        cells.join("\t")
    };
    let rows = [row("1", "ROM", "EUR"), row("2", "TMP", "WSB")];
    fs::write(d.join("places.CSV"), rows.join("\n") + "\n").unwrap();
    success(d, &["import", "gdelt", "places.CSV", "--out", "out"]);
    let actors: Vec<(String, String, String)> = table(&d.join("out/actors.csv"))
        .into_iter()
        .map(|a| (a["id"].clone(), a["name"].clone(), a["kind"].clone()))
        .collect();
    let want = [
        ("EUR", "Europe", "region"),
        ("ROU", "Romania", "country"),
        ("TLS", "East Timor", "country"),
        ("WSB", "West Bank", "region"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(actors, want);
    assert_eq!(written(&d.join("out")).0, 2);
    check_passes(d, "out");
    assert!(relations(&d.join("out")).contains_key("gdelt-ROU-EUR-dispute-2018-10-24"));
}

/// The data files of a dataset folder (what a later command reads), by name.
fn dataset_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = folder(dir);
    files.retain(|name, _| {
        ["relations.csv", "actors.csv", "sources.csv", "pairdays-gdelt.bin"].contains(&name.as_str())
    });
    files
}

/// Regression (issue 17): a batch appended later cut runs at the batch boundary, and events
/// of a day already imported were refused as "importing the same data twice?". Split by day,
/// the 2.0 excerpt's USAGOV → CHN cooperation of 2019-10-23 and of 2019-10-24 are one run.
#[test]
fn appended_batches_give_the_one_import() {
    let dir = workdir();
    let text = fs::read_to_string(dir.path().join(V2)).unwrap();
    let (early, late): (Vec<&str>, Vec<&str>) =
        text.lines().partition(|l| l.split('\t').nth(1) == Some("20191023"));
    fs::write(dir.path().join("early.csv"), early.join("\n") + "\n").unwrap();
    fs::write(dir.path().join("late.csv"), late.join("\n") + "\n").unwrap();
    success(dir.path(), &["import", "gdelt", V2, "--out", "one"]);
    success(dir.path(), &["import", "gdelt", "late.csv", "--out", "split"]);
    let out = success(dir.path(), &["import", "gdelt", "early.csv", "--append", "split"]);
    assert!(out.contains("split now has 16 relations"), "{out}");
    assert_eq!(dataset_files(&dir.path().join("split")), dataset_files(&dir.path().join("one")));
    assert!(relations(&dir.path().join("split"))["gdelt-USA-CHN-cooperation-2019-10-23"]
        .contains(" 2019-10-23 2019-10-25 "));
}

/// Regression (issue 17): an event id imported by an earlier batch was counted again.
#[test]
fn a_duplicate_event_in_a_later_batch_is_counted_once() {
    let dir = workdir();
    let text = fs::read_to_string(dir.path().join(V2)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // The first 30 lines, then lines 21 to the end: lines 21-30 twice.
    fs::write(dir.path().join("a.csv"), lines[..30].join("\n") + "\n").unwrap();
    fs::write(dir.path().join("b.csv"), lines[20..].join("\n") + "\n").unwrap();
    success(dir.path(), &["import", "gdelt", V2, "--out", "one"]);
    success(dir.path(), &["import", "gdelt", "a.csv", "--out", "split"]);
    let out = success(dir.path(), &["import", "gdelt", "b.csv", "--append", "split"]);
    assert!(out.contains("duplicate event id"), "{out}");
    assert_eq!(dataset_files(&dir.path().join("split")), dataset_files(&dir.path().join("one")));
}

/// The table is checksummed: a damaged one is refused, and the folder left as it was.
#[test]
fn a_damaged_table_is_refused() {
    let dir = workdir();
    success(dir.path(), &["import", "gdelt", V1, "--out", "data"]);
    let table = dir.path().join("data/pairdays-gdelt.bin");
    let mut bytes = fs::read(&table).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    fs::write(&table, bytes).unwrap();
    let before = folder(&dir.path().join("data"));
    let out = georel(dir.path(), &["import", "gdelt", V2, "--append", "data"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("pairdays-gdelt.bin is damaged"), "{}", stderr(&out));
    assert_eq!(folder(&dir.path().join("data")), before);
    // Other settings than the table's are refused too.
    let out = georel(dir.path(), &["import", "gdelt", V2, "--out", "fresh"]);
    assert_eq!(out.status.code(), Some(0));
    let out = georel(dir.path(), &["import", "gdelt", V1, "--append", "fresh", "--gap", "3"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("the dataset was imported with `gdelt --gap 7"), "{}", stderr(&out));
    // The quality filters and the CAMEO map decide which events count: they are settings too.
    let out = georel(dir.path(), &["import", "gdelt", V1, "--append", "fresh", "--root-only"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--root-only false"), "{}", stderr(&out));
    fs::write(
        dir.path().join("roots.csv"),
        "code,kind\n".to_string() + &(1..=20).map(|r| format!("{r:02},dispute\n")).collect::<String>(),
    )
    .unwrap();
    let out = georel(dir.path(), &["import", "gdelt", V1, "--append", "fresh", "--cameo-map", "roots.csv"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--cameo-map default`, this batch asks for"), "{}", stderr(&out));
}

/// The table is read as it is parsed (not held whole besides the pair-days), and still
/// checked whole: damage in its settings line, a byte cut off or one added is "damaged", not
/// another message or a partial merge.
#[test]
fn a_table_read_as_a_stream_is_checked_whole() {
    let dir = workdir();
    success(dir.path(), &["import", "gdelt", V1, "--out", "data"]);
    let table = dir.path().join("data/pairdays-gdelt.bin");
    let good = fs::read(&table).unwrap();
    let settings_at = good.iter().position(|&b| b == b'-').unwrap();
    let mut in_settings = good.clone();
    in_settings[settings_at + 3] ^= 1;
    for bad in [in_settings, good[..good.len() - 1].to_vec(), [&good[..], b"x"].concat(), good[..5].to_vec()]
    {
        fs::write(&table, &bad).unwrap();
        let out = georel(dir.path(), &["import", "gdelt", V2, "--append", "data"]);
        assert_eq!(out.status.code(), Some(2));
        assert!(stderr(&out).contains("pairdays-gdelt.bin is damaged"), "{}", stderr(&out));
    }
    fs::write(&table, &good).unwrap();
    success(dir.path(), &["import", "gdelt", V2, "--append", "data"]);
}

/// Runs an import with the chunked reader's seam set (`0`: one thread, no chunks).
fn import_chunked(dir: &Path, chunk: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_georel"))
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("GEOREL_IMPORT_CHUNK", chunk)
        .output()
        .expect("run georel")
}

/// Reading a file in chunks on every core gives byte for byte what reading it on one thread
/// gives: the same report, rejects.csv (lines, order), duplicates (first occurrence counts,
/// across chunk boundaries), evidence, actors and pair-day table, with chunks as small as one
/// byte, so that rows, CRLFs and the rows that decide a file's version fall on boundaries.
#[test]
fn chunked_reading_gives_what_one_thread_gives() {
    let dir = workdir();
    let d = dir.path();
    let v2 = fs::read(d.join(V2)).unwrap();
    let v1 = fs::read(d.join(V1)).unwrap();
    // Duplicates: the excerpt twice, then its first rows a third time, with CRLF line ends
    // (and a CR alone), blank lines, and no final line break.
    let mut dup = [&v2[..], &v2[..]].concat();
    let head: Vec<u8> = v2.split(|&b| b == b'\n').take(25).collect::<Vec<_>>().join(&b"\r\n"[..]);
    dup.extend_from_slice(b"\n\r\n\r");
    dup.extend_from_slice(&head);
    fs::write(d.join("dup.csv"), &dup).unwrap();
    // A 1.0 file whose rows later turn 2.0: the version told by a row after duplicates.
    fs::write(d.join("mixed.csv"), [&v1[..], &v2[..]].concat()).unwrap();
    let real = real_data("gdelt", "gdelt2_20191024143000.export.CSV");
    let real = real.to_str().unwrap();
    let cases: [&[&str]; 5] = [
        &["import", "gdelt", V2, V1, "--out", "OUT"],
        &["import", "gdelt", "dup.csv", "--out", "OUT", "--actors", "code", "--evidence", "2"],
        &["import", "gdelt", "mixed.csv", V2_ZIP, "--out", "OUT"],
        &["import", "gdelt", real, "--out", "OUT", "--min-sources", "2"],
        &["import", "gdelt", "dup.csv", "--out", "OUT", "--strict"],
    ];
    for (i, case) in cases.iter().enumerate() {
        let args = |out: &str| -> Vec<String> {
            case.iter().map(|a| if *a == "OUT" { format!("{out}{i}") } else { (*a).to_string() }).collect()
        };
        let reference_args = args("one");
        let reference_args: Vec<&str> = reference_args.iter().map(String::as_str).collect();
        let one = import_chunked(d, "0", &reference_args);
        let one_files = if i == 4 { BTreeMap::new() } else { folder(&d.join(format!("one{i}"))) };
        assert!(i == 4 || one.status.success(), "case {i}: {}", stderr(&one));
        for chunk in ["1", "2", "3", "7", "100", "4096", "4194304"] {
            let out_name = format!("c{chunk}-");
            let chunked_args = args(&out_name);
            let chunked_args: Vec<&str> = chunked_args.iter().map(String::as_str).collect();
            let got = import_chunked(d, chunk, &chunked_args);
            let fix = |text: &[u8]| String::from_utf8_lossy(text).replace(&format!("{out_name}{i}"), "OUT");
            let want = |text: &[u8]| String::from_utf8_lossy(text).replace(&format!("one{i}"), "OUT");
            assert_eq!(got.status.code(), one.status.code(), "case {i}, chunk {chunk}");
            assert_eq!(fix(&got.stdout), want(&one.stdout), "case {i}, chunk {chunk}");
            assert_eq!(fix(&got.stderr), want(&one.stderr), "case {i}, chunk {chunk}");
            let files = if i == 4 { BTreeMap::new() } else { folder(&d.join(format!("{out_name}{i}"))) };
            assert_eq!(files, one_files, "case {i}, chunk {chunk}");
        }
    }
    // The cases do meet what they are there for.
    let rejects = fs::read_to_string(d.join("one2/rejects.csv")).unwrap();
    assert!(rejects.contains("a GDELT 2.0 row in a GDELT 1.0 file"), "{rejects}");
    let report = String::from_utf8_lossy(
        &import_chunked(d, "0", &["import", "gdelt", "dup.csv", "--out", "x"]).stdout,
    )
    .into_owned();
    assert!(report.contains("duplicate event id"), "{report}");
}
