//! `georel import cow-mid` and `georel import cow-alliance`, run as the real binary on the
//! excerpts in `tests/fixtures/import/cow/` (their README gives every row's origin and the rows
//! altered or added on purpose) and on the real Correlates of War files in `tests/data/cow/`.
//!
//! The expected values are worked out by hand from the excerpts; each assertion says how.
//! "line N" is a line of the excerpt (the header is line 1). Dates: COW's end is the last day,
//! so a georel end at day precision is the day after; a `-9` day or month makes the date a
//! month or a year (see `src/import/cow.rs`).

mod import_common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use import_common::{check_passes, georel, real_data, relation_lines, success, table, written};

const DYADIC: &str = "dyadic_mid_4.02.excerpt.csv";
const MIDB: &str = "MIDB_4.3.excerpt.csv";
const WAR: &str = "directed_dyadic_war_may_2018.excerpt.csv";
const ALLIANCE: &str = "cow_alliance.excerpt.csv";
const ATOP: &str = "atop_alliance.synthetic.csv";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/cow")
}

/// A temporary work directory holding copies of the excerpts, so that paths in messages and in
/// rejects.csv are short and the same on every machine.
fn workdir() -> tempfile::TempDir {
    let files = [DYADIC, MIDB, WAR, ALLIANCE, ATOP].map(|name| (name, name));
    import_common::workdir("cow", &fixtures(), &files)
}

/// Imports `file` with `format` (`cow-mid` or `cow-alliance`) into `out`, checks the result
/// with `georel check`, and returns the first line of the import's report. The excerpts hold
/// more bad rows than good ones on purpose, and tests import into one folder again: the
/// share of rejects that keeps a dataset (`--max-rejects`) is lifted.
fn import(dir: &Path, format: &str, file: &str, out: &str) -> String {
    let stdout = success(dir, &["import", format, file, "--out", out, "--max-rejects", "100"]);
    check_passes(dir, out);
    stdout.lines().next().unwrap_or_default().to_string()
}

/// relations.csv by id: `source target kind start end | evidence | summary`. Every imported
/// relation is mutual.
fn relations(dir: &Path) -> BTreeMap<String, String> {
    relation_lines(dir, "false")
}

/// rejects.csv as `file:line: reason`.
fn rejects(dir: &Path) -> Vec<String> {
    table(&dir.join("rejects.csv"))
        .into_iter()
        .map(|r| format!("{}:{}: {}", r["file"], r["line"], r["reason"]))
        .collect()
}

/// The ids only.
fn ids(dir: &Path) -> Vec<String> {
    relations(dir).into_keys().collect()
}

// ---------------------------------------------------------------------------------------------
// The excerpts
// ---------------------------------------------------------------------------------------------

#[test]
fn dyadic_mid_excerpt_gives_one_dispute_per_dispute_and_pair() {
    let dir = workdir();
    let d = dir.path();
    // 27 data rows (lines 2–28); lines 6–12 are the 7 bad rows added on purpose.
    assert_eq!(import(d, "cow-mid", DYADIC, "out"), "read 27 rows from 1 file: 0 skipped, 7 rejected");
    // Relations: MID 2 USA–GBR (lines 2–5), MID 19 COW-AUH–ITA, COW-AUH–COW-MOD, COW-AUH–COW-TUS (13–20), MID 3250
    // RUS–CHN (21–22), MID 3159 AFG–IRN (23–24), MID 4721 PRK–KOR and PRK–JPN (25–28): 8.
    // Actors: USA GBR COW-AUH ITA COW-MOD COW-TUS RUS CHN IRN AFG PRK KOR JPN: 13. One source: the file.
    assert_eq!(written(&d.join("out")), (8, 13, 1));
    let rel = relations(&d.join("out"));
    assert_eq!(
        ids(&d.join("out")),
        [
            "cow-mid-19-COW-AUH-COW-MOD",
            "cow-mid-19-COW-AUH-COW-TUS",
            "cow-mid-19-COW-AUH-ITA",
            "cow-mid-2-USA-GBR",
            "cow-mid-3159-AFG-IRN",
            "cow-mid-3250-RUS-CHN",
            "cow-mid-4721-JPN-PRK",
            "cow-mid-4721-KOR-PRK",
        ]
    );
    // Lines 2–5: four rows (two dyad-years, two directions) with the same dates, 1 July 1902 to
    // 24 January 1903 (the last day), so the end is the day after, 1903-01-25. USA is on side
    // A (sideaa 1, sideab 0 on line 2), hence USA first. hihost 3 = display of force,
    // mid5hiact 7 = show of force.
    assert_eq!(
        rel["cow-mid-2-USA-GBR"],
        "USA GBR dispute 1902-07-01 1903-01-25 | cow:dyadic_mid_4.02.excerpt | MID 2, hostility level 3 (display of \
         force), highest action: show of force; side A: United States of America"
    );
    // Lines 17–18: COW-AUH→COW-MOD says the last day is 9 August 1848, COW-MOD→COW-AUH 24 July: the rows
    // disagree, so the latest end is kept, 1848-08-10, and the summary says so. hihost 5 (war),
    // mid5hiact 20 (begin interstate war), war 1.
    assert_eq!(
        rel["cow-mid-19-COW-AUH-COW-MOD"],
        "COW-AUH COW-MOD dispute 1848-03-01 1848-08-10 | cow:dyadic_mid_4.02.excerpt | MID 19, hostility level 5 (war), highest \
         action: begin interstate war; became a war; side A: Austria-Hungary; its dyad-year rows give different \
         dates: the earliest start and the latest end are kept"
    );
    // Lines 21–22: starts 30 July (RUS→CHN) and 30 August 1900 (CHN→RUS): the earliest is kept.
    // Last day 10 October 1900 in both: end 1900-10-11.
    assert!(rel["cow-mid-3250-RUS-CHN"].starts_with("RUS CHN dispute 1900-07-30 1900-10-11 |"));
    // Lines 25–26: last days 2 April (PRK→KOR) and 1 April 2012 (KOR→PRK): end 2012-04-03.
    // KOR is on side A (line 26: sideaa 1), so KOR comes first although its code (732) is higher.
    assert!(rel["cow-mid-4721-KOR-PRK"].starts_with("KOR PRK dispute 2012-04-01 2012-04-03 |"));
}

#[test]
fn midb_excerpt_pairs_side_a_with_side_b_over_their_overlap() {
    let dir = workdir();
    let d = dir.path();
    // 34 data rows; lines 4–9 are the 6 bad rows. Skipped, by hand:
    // - MID 3834 (lines 26–28): all three on side B: 3 rows with no opposing side;
    // - MID 50: KOR (13 Feb 1953, one day) × USR (4–8 Aug 1954) do not overlap: 1 pair;
    // - MID 258: FIN side A (from 20 Sep 1944) × USR side B (17–29 Sep 1939) do not overlap:
    //   1 pair; USR × USR and FIN × FIN are a state with itself: 2 pairs.
    assert_eq!(
        import(d, "cow-mid", MIDB, "out"),
        "read 34 rows from 1 file: 7 skipped, 6 rejected (skipped: 2 participant pairs of a state with itself (it \
         changed sides), 2 participant pairs whose dates do not overlap, 3 participant rows with no opposing side in \
         their dispute)"
    );
    // Relations: MID 2: 1 (USA × GBR); MID 19: 3 (COW-AUH × COW-TUS, COW-MOD, ITA); MID 50: 3 × 2 − 1 = 5;
    // MID 258: 2 × 3 − 3 = 3 (RUS × DEU, RUS × FIN, FIN × DEU); MID 2372: 1; MID 4182: ISR × LBN
    // and ISR × each of SYR's 5 participations = 6. Total 19. Actors: USA GBR COW-AUH COW-TUS COW-MOD ITA
    // KOR TWN CHN RUS DEU FIN SRB ALB ISR LBN SYR = 17 (URY and ARG of MID 3834 have no relation).
    assert_eq!(written(&d.join("out")), (19, 17, 1));
    let rel = relations(&d.join("out"));
    // Lines 2–3: both start in July 1902 with an unknown day (-9): start 1902-07 (month). Both
    // last on 24 January 1903: end 1903-01-25. Side A (USA) first.
    assert_eq!(
        rel["cow-midb-2-USA-GBR"],
        "USA GBR dispute 1902-07 1903-01-25 | cow:MIDB_4.3.excerpt | MID 2: United States of America (side A) \
         hostility level 3 (display of force), highest action: show of force; United Kingdom (side B) hostility \
         level 1 (no militarized action), highest action: no militarized action"
    );
    // Lines 20–22: USR side A from 22 June 1941 to 14 August 1945, FIN side B from 25 June 1941
    // to 19 September 1944: overlap 1941-06-25 to 1944-09-19, end the day after.
    assert!(rel["cow-midb-258-RUS-FIN"].starts_with("RUS FIN dispute 1941-06-25 1944-09-20 |"));
    // Lines 21 and 23: FIN side A from 20 September 1944 to 7 May 1945, DEU side B until 7 May
    // 1945: 1944-09-20 to 1945-05-08.
    assert!(rel["cow-midb-258-FIN-DEU"].starts_with("FIN DEU dispute 1944-09-20 1945-05-08 |"));
    // Lines 16–17: USA and CHN both 11 February 1953 to 19 January 1956.
    assert!(rel["cow-midb-50-USA-CHN"].starts_with("USA CHN dispute 1953-02-11 1956-01-20 |"));
    // Lines 29–35: ISR meets SYR five times: ids numbered in date order. The fourth SYR row
    // ends "some day in August 1996" (day -9): end 1996-08, inside ISR's participation.
    for (n, dates) in [
        (1, "1993-07-12 1993-08-20"),
        (2, "1994-05-23 1994-08-23"),
        (3, "1995-05-22 1995-09-16"),
        (4, "1996-04-11 1996-08"),
        (5, "2000-05-24 2001-07-02"),
    ] {
        let id = format!("cow-midb-4182-ISR-SYR-{n}");
        assert!(rel[&id].starts_with(&format!("ISR SYR dispute {dates} |")), "{id}: {}", rel[&id]);
    }
    assert!(!rel.contains_key("cow-midb-4182-ISR-SYR"), "several overlaps are all numbered");
}

#[test]
fn war_excerpt_gives_disputes_with_the_wars_dates() {
    let dir = workdir();
    let d = dir.path();
    // 15 data rows. Rejected: the 3 added rows (lines 4–6), the two USA–COW-AUH rows with the
    // published start month 24 (lines 9–10), and the three ITA→BGR rows with the published end
    // year 19118 (lines 11–13): 8.
    assert_eq!(import(d, "cow-mid", WAR, "out"), "read 15 rows from 1 file: 0 skipped, 8 rejected");
    // Relations: war 1 FRA–ESP, war 139 FRA–ITA, war 106 ITA–BGR (from the BGR→ITA rows, lines
    // 14–16, whose end year is 1918); USA–COW-AUH has no valid row left. Actors FRA ESP ITA BGR.
    assert_eq!(written(&d.join("out")), (3, 4, 1));
    let rel = relations(&d.join("out"));
    // Lines 2–3: 7 April to 30 September 1823 (the last day): end 1823-10-01. FRA (220) has the
    // lower code. batdtha/batdthb: France 400, Spain 600.
    assert_eq!(
        rel["cow-war-1-FRA-ESP"],
        "FRA ESP dispute 1823-04-07 1823-10-01 | cow:directed_dyadic_war_may_2018.excerpt | Inter-state war 1 (MID 89); \
         battle deaths in the whole war: France 400, Spain 600"
    );
    // Lines 14–16: 11 August 1916 to 29 September 1918.
    assert_eq!(
        rel["cow-war-106-ITA-BGR"],
        "ITA BGR dispute 1916-08-11 1918-09-30 | cow:directed_dyadic_war_may_2018.excerpt | Inter-state war 106 (MID \
         257); battle deaths in the whole war: Italy 650,000, Bulgaria 87,500"
    );
    // Lines 7–8: last days 25 June (FRA→ITA) and 21 June 1940 (ITA→FRA): the latest, end 06-26.
    assert!(rel["cow-war-139-FRA-ITA"].starts_with("FRA ITA dispute 1940-06-21 1940-06-26 |"));
    assert!(rel["cow-war-139-FRA-ITA"].ends_with("the earliest start and the latest end are kept"));
}

#[test]
fn alliance_excerpt_merges_consecutive_years_per_type() {
    let dir = workdir();
    let d = dir.path();
    // 31 data rows; lines 7–11 are the 5 bad rows; ROU–RUS 1917 (lines 20–21) has no flag.
    assert_eq!(
        import(d, "cow-alliance", ALLIANCE, "out"),
        "read 31 rows from 1 file: 2 skipped, 5 rejected (skipped: 2 dyad-year rows with no alliance type flagged)"
    );
    // Per pair and type, runs of consecutive years:
    // USA–CAN: defense, nonaggression, entente 1961–1965; neutrality 1962–1964 → 4;
    // GBR–JPN: defense 1921, neutrality 1921, entente 1921–1922 → 3;
    // DEU–RUS: defense 1863 and 1873–1874 (not consecutive), entente 1873–1874, neutrality and
    // nonaggression 1939–1941 → 5. Total 12; actors USA CAN GBR JPN DEU RUS.
    assert_eq!(written(&d.join("out")), (12, 6, 1));
    let rel = relations(&d.join("out"));
    // Lines 17–19 and 30–32: flagged in 1939, 1940 and 1941. Start 1939 (possible in 1939,
    // active from 1940); end 1941, the last year, in which the pact ended (active until the end
    // of 1940, possible during 1941).
    assert_eq!(
        rel["cow-alliance-DEU-RUS-nonaggression-1939"],
        "DEU RUS cooperation 1939 1941 | cow:cow_alliance.excerpt | Non-aggression pact (COW formal alliance), \
         dyad-years 1939–1941"
    );
    // Lines 14 and 27: 1863 alone (the next defense year is 1873), the excerpt's first year.
    assert_eq!(
        rel["cow-alliance-DEU-RUS-defense-1863"],
        "DEU RUS cooperation 1863 1863 | cow:cow_alliance.excerpt | Defense pact (COW formal alliance), dyad-year 1863; \
         the data begins in 1863, so it may have begun earlier"
    );
    assert!(rel["cow-alliance-DEU-RUS-defense-1873"].starts_with("DEU RUS cooperation 1873 1874 |"));
    // Lines 3–5 and 23–25: the neutrality flag comes and goes inside the defense pact's years,
    // and is a relation of its own.
    assert!(rel["cow-alliance-USA-CAN-neutrality-1962"].starts_with("USA CAN cooperation 1962 1964 |"));
    assert_eq!(
        rel["cow-alliance-USA-CAN-defense-1961"],
        "USA CAN cooperation 1961 1965 | cow:cow_alliance.excerpt | Defense pact (COW formal alliance), dyad-years \
         1961–1965; the data ends in 1965, so it may have continued"
    );
    // Lines 12–13 (one direction only): entente in 1921 and 1922.
    assert!(rel["cow-alliance-GBR-JPN-entente-1921"].starts_with("GBR JPN cooperation 1921 1922 |"));
}

#[test]
fn atop_columns_are_read_like_cows() {
    let dir = workdir();
    let d = dir.path();
    assert_eq!(import(d, "cow-alliance", ATOP, "out"), "read 4 rows from 1 file: 0 skipped, 0 rejected");
    // defense 2000–2001, nonaggression 2000, consultation 2000–2001 and 2003.
    assert_eq!(
        ids(&d.join("out")),
        [
            "atop-alliance-USA-CAN-consultation-2000",
            "atop-alliance-USA-CAN-consultation-2003",
            "atop-alliance-USA-CAN-defense-2000",
            "atop-alliance-USA-CAN-nonaggression-2000",
        ]
    );
    let sources = table(&d.join("out/sources.csv"));
    assert_eq!(sources[0]["id"], "atop:atop_alliance.synthetic");
}

#[test]
fn sources_and_actors_name_the_dataset_and_the_states() {
    let dir = workdir();
    let d = dir.path();
    import(d, "cow-mid", DYADIC, "out");
    let sources = table(&d.join("out/sources.csv"));
    assert_eq!(sources.len(), 1);
    let s = &sources[0];
    assert_eq!(s["id"], "cow:dyadic_mid_4.02.excerpt");
    assert_eq!(
        s["title"],
        "Correlates of War, Dyadic Militarized Interstate Disputes (dyadic_mid_4.02.excerpt.csv)"
    );
    assert_eq!(s["publisher"], "Correlates of War Project");
    assert_eq!((s["published"].as_str(), s["url"].as_str(), s["reliability"].as_str()), ("", "", "B"));
    let actors = table(&d.join("out/actors.csv"));
    let usa = actors.iter().find(|a| a["id"] == "USA").expect("USA");
    assert_eq!(
        (usa["name"].as_str(), usa["kind"].as_str(), usa["parent"].as_str()),
        ("United States of America", "country", "")
    );
    let auh = actors.iter().find(|a| a["id"] == "COW-AUH").expect("COW-AUH");
    assert_eq!(auh["name"], "Austria-Hungary");
}

#[test]
fn unknown_days_and_months_become_partial_dates() {
    let dir = workdir();
    let d = dir.path();
    import(d, "cow-mid", MIDB, "midb");
    import(d, "cow-mid", DYADIC, "dyadic");
    let midb = relations(&d.join("midb"));
    // Lines 24–25 (altered): start day and month -9 in 1952 → start 1952 (year); last day
    // "some day in July 1952" (day -9) → end 1952-07 (month).
    assert!(midb["cow-midb-2372-SRB-ALB"].starts_with("SRB ALB dispute 1952 1952-07 |"));
    // Lines 23–24 of the dyadic excerpt (altered): start day -9 in December 1934 → 1934-12;
    // last day 15 December → end 1934-12-16.
    assert!(relations(&d.join("dyadic"))["cow-mid-3159-AFG-IRN"]
        .starts_with("AFG IRN dispute 1934-12 1934-12-16 |"));

    // What the partial dates mean, day by day, in snapshots (status: active or possible).
    let status = |day: &str, id: &str| -> Option<String> {
        // Exit 1 when nothing holds that day: the (empty) table is still written.
        let out =
            georel(d, &["--data", "midb", "snapshot", "--at", day, "--format", "edges-csv", "--out", "-"]);
        assert!(matches!(out.status.code(), Some(0 | 1)), "{}", String::from_utf8_lossy(&out.stderr));
        let csv = String::from_utf8(out.stdout).expect("UTF-8 output");
        csv.lines()
            .find(|l| l.starts_with(&format!("{id},")))
            .map(|l| l.split(',').nth(7).unwrap().to_string())
    };
    // MID 2 started "some day in July 1902": possible in July, active from August.
    assert_eq!(status("1902-06-30", "cow-midb-2-USA-GBR"), None);
    assert_eq!(status("1902-07-15", "cow-midb-2-USA-GBR").as_deref(), Some("possible"));
    assert_eq!(status("1902-08-01", "cow-midb-2-USA-GBR").as_deref(), Some("active"));
    // Its last day is 24 January 1903: it holds that day, not the next.
    assert_eq!(status("1903-01-24", "cow-midb-2-USA-GBR").as_deref(), Some("active"));
    assert_eq!(status("1903-01-25", "cow-midb-2-USA-GBR"), None);
    // ISR–SYR's fourth spell ended "some day in August 1996": active until 31 July, possible in
    // August, over in September.
    assert_eq!(status("1996-07-31", "cow-midb-4182-ISR-SYR-4").as_deref(), Some("active"));
    assert_eq!(status("1996-08-31", "cow-midb-4182-ISR-SYR-4").as_deref(), Some("possible"));
    assert_eq!(status("1996-09-01", "cow-midb-4182-ISR-SYR-4"), None);
    // MID 2372 began in 1952 and ended in July 1952: only ever possible, in January–July.
    assert_eq!(status("1952-01-01", "cow-midb-2372-SRB-ALB").as_deref(), Some("possible"));
    assert_eq!(status("1952-07-31", "cow-midb-2372-SRB-ALB").as_deref(), Some("possible"));
    assert_eq!(status("1952-08-01", "cow-midb-2372-SRB-ALB"), None);
}

#[test]
fn both_directions_of_a_dyad_make_one_relation() {
    let dir = workdir();
    let d = dir.path();
    import(d, "cow-mid", DYADIC, "dyadic");
    import(d, "cow-mid", WAR, "war");
    import(d, "cow-alliance", ALLIANCE, "alliance");
    // Each relation's pair of states, unordered, with its dispute or type: no two relations
    // share one, although every dyad of the excerpts (but GBR–JPN) is there in both directions.
    for out in ["dyadic", "war", "alliance"] {
        let rows = table(&d.join(out).join("relations.csv"));
        let mut keys: Vec<String> = rows
            .iter()
            .map(|r| {
                let mut pair = [r["source"].as_str(), r["target"].as_str()];
                pair.sort_unstable();
                // The id without its states: `cow-mid-2`, `cow-alliance-…-defense-1961`.
                let rest = r["id"].replace(&format!("-{}-{}", r["source"], r["target"]), "");
                format!("{rest} {} {}", pair[0], pair[1])
            })
            .collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "{out}: a dyad appears twice");
    }
    // MID 2 appears as USA→GBR and GBR→USA (lines 2–5): one relation, no reverse id.
    let dyadic = ids(&d.join("dyadic"));
    assert!(dyadic.contains(&"cow-mid-2-USA-GBR".to_string()));
    assert!(!dyadic.iter().any(|id| id.starts_with("cow-mid-2-GBR")));
    // USA–CAN defense (lines 2–6 and 22–26): one relation, USA (code 2) first.
    let alliance = ids(&d.join("alliance"));
    assert_eq!(alliance.iter().filter(|id| id.contains("-CAN-") && id.contains("defense")).count(), 1);
    assert!(!alliance.iter().any(|id| id.starts_with("cow-alliance-CAN-")));
}

#[test]
fn strict_stops_at_the_first_bad_row_and_writes_nothing() {
    let dir = workdir();
    let d = dir.path();
    for (format, file, first_bad) in [
        ("cow-mid", DYADIC, "dyadic_mid_4.02.excerpt.csv:6: stateb 999 is not in the COW state list"),
        ("cow-mid", MIDB, "MIDB_4.3.excerpt.csv:4: sidea \"2\" is not 1 (side A) or 0 (side B)"),
        (
            "cow-mid",
            WAR,
            "directed_dyadic_war_may_2018.excerpt.csv:4: stateb 999 is not in the COW state list",
        ),
        ("cow-alliance", ALLIANCE, "cow_alliance.excerpt.csv:7: ccode2 999 is not in the COW state list"),
    ] {
        let out = georel(d, &["import", format, file, "--out", "strict", "--strict"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{file}: {stderr}");
        assert!(stderr.contains(first_bad), "{file}: {stderr}");
        assert!(stderr.contains("without --strict, bad rows are skipped"), "{stderr}");
        assert!(!d.join("strict").exists(), "{file}: nothing is written under --strict");
        let leftovers: Vec<_> = fs::read_dir(d)
            .unwrap()
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{file}: staging left behind: {leftovers:?}");
    }
    // The ATOP rows are all good: --strict imports them.
    success(d, &["import", "cow-alliance", ATOP, "--out", "strict", "--strict"]);
}

#[test]
fn every_kind_of_bad_row_is_in_rejects_csv_with_its_file_and_line() {
    let dir = workdir();
    let d = dir.path();
    import(d, "cow-mid", DYADIC, "dyadic");
    import(d, "cow-mid", MIDB, "midb");
    import(d, "cow-mid", WAR, "war");
    import(d, "cow-alliance", ALLIANCE, "alliance");
    // The dyadic excerpt has CRLF line ends: the lines are still the editor's.
    assert_eq!(
        rejects(&d.join("dyadic")),
        [
            "dyadic_mid_4.02.excerpt.csv:6: stateb 999 is not in the COW state list (COW-country-codes.csv)",
            "dyadic_mid_4.02.excerpt.csv:7: start month 13 (strtmnth) is not between 1 and 12 (or -9 for unknown)",
            "dyadic_mid_4.02.excerpt.csv:8: end year \"19O3\" (endyear) is not a number",
            "dyadic_mid_4.02.excerpt.csv:9: the end 1901-01-24 is before the start 1902-07-01",
            "dyadic_mid_4.02.excerpt.csv:10: statea and stateb are the same state (2)",
            "dyadic_mid_4.02.excerpt.csv:11: the row has 12 fields and the header 59",
            "dyadic_mid_4.02.excerpt.csv:12: start day 31 (strtday) does not exist in 1902-06",
        ]
    );
    assert_eq!(
        rejects(&d.join("midb")),
        [
            "MIDB_4.3.excerpt.csv:4: sidea \"2\" is not 1 (side A) or 0 (side B)",
            "MIDB_4.3.excerpt.csv:5: ccode 999 is not in the COW state list (COW-country-codes.csv)",
            // The start is partial (day -9): July 1902.
            "MIDB_4.3.excerpt.csv:6: the end 1901-01-24 is before the start 1902-07",
            "MIDB_4.3.excerpt.csv:7: start month 13 (stmon) is not between 1 and 12 (or -9 for unknown)",
            "MIDB_4.3.excerpt.csv:8: end day 30 (endday) does not exist in 1903-02",
            "MIDB_4.3.excerpt.csv:9: start year \"19x2\" (styear) is not a number",
        ]
    );
    let war_19118 = "end year 19118 (warendyr) is not a valid year: years run from 1 to 9998";
    let month_24 = "start month 24 (warstrtmnth) is not between 1 and 12 (or -9 for unknown)";
    assert_eq!(
        rejects(&d.join("war")),
        [
            "directed_dyadic_war_may_2018.excerpt.csv:4: stateb 999 is not in the COW state list (COW-country-codes.csv)"
                .to_string(),
            "directed_dyadic_war_may_2018.excerpt.csv:5: start year \"18z3\" (warstrtyr) is not a number".to_string(),
            "directed_dyadic_war_may_2018.excerpt.csv:6: the end 1822-09-30 is before the start 1823-04-07".to_string(),
            format!("directed_dyadic_war_may_2018.excerpt.csv:9: {month_24}"),
            format!("directed_dyadic_war_may_2018.excerpt.csv:10: {month_24}"),
            format!("directed_dyadic_war_may_2018.excerpt.csv:11: {war_19118}"),
            format!("directed_dyadic_war_may_2018.excerpt.csv:12: {war_19118}"),
            format!("directed_dyadic_war_may_2018.excerpt.csv:13: {war_19118}"),
        ]
    );
    assert_eq!(
        rejects(&d.join("alliance")),
        [
            "cow_alliance.excerpt.csv:7: ccode2 999 is not in the COW state list (COW-country-codes.csv)",
            "cow_alliance.excerpt.csv:8: year \"19x0\" is not a number",
            "cow_alliance.excerpt.csv:9: cow_defense \"2\" is not 0 or 1",
            "cow_alliance.excerpt.csv:10: ccode1 and ccode2 are the same state (2)",
            "cow_alliance.excerpt.csv:11: year 19118 is not a valid year: years run from 1 to 9998",
        ]
    );
    // The row as read is kept, to find and fix it.
    let war = table(&d.join("war/rejects.csv"));
    assert_eq!(
        war[5]["row"],
        "106,257,257.24,325,355,8,11,1916,9,29,19118,1917,4,2,1,3,1.0,650000.0,87500.0,,,737500.0,1"
    );
}

#[test]
fn an_unknown_layout_or_a_missing_column_is_an_error() {
    let dir = workdir();
    let d = dir.path();
    let out = georel(d, &["import", "cow-mid", ALLIANCE, "--out", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a Correlates of War dispute file"));
    let out = georel(d, &["import", "cow-alliance", MIDB, "--out", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("needs a column ccode1"));
    fs::write(d.join("short.csv"), "disno,statea,stateb,strtday\n1,2,200,1\n").unwrap();
    let out = georel(d, &["import", "cow-mid", "short.csv", "--out", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("a dyadic MID file needs a column strtmnth"));
    assert!(!d.join("x").exists());
}

#[test]
fn imports_are_deterministic_whatever_the_row_order() {
    let dir = workdir();
    let d = dir.path();
    let files = ["relations.csv", "actors.csv", "sources.csv"];
    for (format, file) in
        [("cow-mid", DYADIC), ("cow-mid", MIDB), ("cow-mid", WAR), ("cow-alliance", ALLIANCE)]
    {
        import(d, format, file, "first");
        import(d, format, file, "second");
        for name in files.iter().chain(["rejects.csv"].iter()) {
            assert_eq!(
                fs::read(d.join("first").join(name)).unwrap(),
                fs::read(d.join("second").join(name)).unwrap(),
                "{file}: {name} differs between two runs"
            );
        }
        // The same rows upside down (header kept), under the same file name.
        let text = fs::read_to_string(d.join(file)).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines[1..].reverse();
        fs::create_dir_all(d.join("reversed")).unwrap();
        fs::write(d.join("reversed").join(file), lines.join("\n") + "\n").unwrap();
        import(d, format, &format!("reversed/{file}"), "third");
        for name in files {
            assert_eq!(
                fs::read_to_string(d.join("first").join(name)).unwrap(),
                fs::read_to_string(d.join("third").join(name)).unwrap(),
                "{file}: {name} depends on the order of the rows"
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The real files
// ---------------------------------------------------------------------------------------------

/// A real COW file of `tests/data/cow/`, copied into `dir`; fails clearly when missing.
fn real(dir: &Path, name: &str) -> String {
    fs::copy(real_data("cow", name), dir.join(name)).expect("copy a real file");
    name.to_string()
}

/// The first line of `snapshot --at DAY`.
fn snapshot(dir: &Path, data: &str, day: &str) -> String {
    let out = success(dir, &["--data", data, "snapshot", "--at", day, "--out", "snapshots/"]);
    out.lines().next().unwrap_or_default().to_string()
}

#[test]
fn real_dyadic_mid() {
    let dir = workdir();
    let d = dir.path();
    let file = real(d, "dyadic_mid_4.02.csv");
    // 10,358 dyad-years, no bad row: --strict succeeds. 3,511 disputes × unordered pairs
    // (7,022 directed dyads, every one in both directions), 193 states.
    let stdout = success(d, &["import", "cow-mid", &file, "--out", "out", "--strict"]);
    assert!(stdout.starts_with("read 10358 rows from 1 file: 0 skipped, 0 rejected\n"), "{stdout}");
    assert_eq!(written(&d.join("out")), (3511, 193, 1));
    assert!(!d.join("out/rejects.csv").exists());
    assert_eq!(
        success(d, &["--data", "out", "check"]).trim(),
        "out: ok: 193 actors, 3511 relations, 1 source; dates 1816-07-27 to 2015-01-01"
    );
    // 17 dispute dyads whose dates include 1 August 1950 (counted from the file by hand: start
    // ≤ day ≤ last day), between 20 states.
    assert_eq!(
        snapshot(d, "out", "1950-08-01"),
        "snapshot 1950-08-01: 20 actors, 17 relations (0 possible, 0 contested)"
    );
    // 30 of them have dyad-year rows that disagree on the dates (MID 257 and 258 mostly).
    let rows = table(&d.join("out/relations.csv"));
    assert_eq!(rows.iter().filter(|r| r["summary"].contains("give different dates")).count(), 30);
}

#[test]
fn real_midb_participants() {
    let dir = workdir();
    let d = dir.path();
    let file = real(d, "MIDB_4.3.csv");
    // 5,558 participations; 3,655 side-A × side-B pairs in all, of which 7 pair a state with
    // itself and 113 do not overlap (both checked by a separate count); 3 participants of MID
    // 3834 have no opposing side. 3,655 − 7 − 113 = 3,535 relations.
    let stdout = success(d, &["import", "cow-mid", &file, "--out", "out", "--strict"]);
    assert!(
        stdout.starts_with(
            "read 5558 rows from 1 file: 123 skipped, 0 rejected (skipped: 7 participant pairs of a state with itself \
             (it changed sides), 113 participant pairs whose dates do not overlap, 3 participant rows with no opposing \
             side in their dispute)\n"
        ),
        "{stdout}"
    );
    assert_eq!(written(&d.join("out")), (3535, 192, 1));
    assert_eq!(
        success(d, &["--data", "out", "check"]).trim(),
        "out: ok: 192 actors, 3535 relations, 1 source; dates 1816-07-27 to 2011-01-01"
    );
    // On 15 July 1902, MID 2 (July 1902, day unknown) is only possible.
    assert_eq!(
        snapshot(d, "out", "1902-07-15"),
        "snapshot 1902-07-15: 8 actors, 4 relations (1 possible, 0 contested)"
    );
    // 342 relations start at month precision (an unknown start day).
    let rows = table(&d.join("out/relations.csv"));
    assert_eq!(rows.iter().filter(|r| r["start"].len() == 7).count(), 342);
}

#[test]
fn real_directed_dyadic_war() {
    let dir = workdir();
    let d = dir.path();
    let file = real(d, "directed_dyadic_war_may_2018.csv");
    // 1,364 rows; rejected: USA–COW-AUH with start month 24 (lines 288–289) and ITA→BGR with end
    // year 19118 (lines 444–446). 584 directed dyads → 292 pairs, less USA–COW-AUH: 291.
    let stdout = success(d, &["import", "cow-mid", &file, "--out", "out"]);
    assert!(stdout.starts_with("read 1364 rows from 1 file: 0 skipped, 5 rejected\n"), "{stdout}");
    assert_eq!(written(&d.join("out")), (291, 92, 1));
    let lines: Vec<String> = table(&d.join("out/rejects.csv")).iter().map(|r| r["line"].clone()).collect();
    assert_eq!(lines, ["288", "289", "444", "445", "446"]);
    assert!(rejects(&d.join("out"))[2]
        .ends_with(":444: end year 19118 (warendyr) is not a valid year: years run from 1 to 9998"));
    assert_eq!(
        success(d, &["--data", "out", "check"]).trim(),
        "out: ok: 92 actors, 291 relations, 1 source; dates 1823-04-07 to 2003-05-03"
    );
    assert_eq!(
        snapshot(d, "out", "1916-09-01"),
        "snapshot 1916-09-01: 11 actors, 25 relations (0 possible, 0 contested)"
    );
    // --strict stops at line 288.
    let out = georel(d, &["import", "cow-mid", &file, "--out", "strict", "--strict"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("directed_dyadic_war_may_2018.csv:288: start month 24")
    );
    assert!(!d.join("strict").exists());
}

#[test]
fn real_alliances_and_disputes_together() {
    let dir = workdir();
    let d = dir.path();
    let alliances = real(d, "cow_alliance.csv");
    let midb = real(d, "MIDB_4.3.csv");
    // 120,784 dyad-years (both directions), 10 with no type flagged (ROU–RUS 1917, BEL–FRA
    // 1832–1833, KOR–JPN 1894–1895, each both ways). 4,943 runs of consecutive years per pair
    // and type (counted separately), between 179 states.
    let stdout = success(d, &["import", "cow-alliance", &alliances, "--out", "out", "--strict"]);
    assert!(
        stdout.starts_with(
            "read 120784 rows from 1 file: 10 skipped, 0 rejected (skipped: 10 dyad-year rows with no alliance type \
             flagged)\n"
        ),
        "{stdout}"
    );
    assert_eq!(written(&d.join("out")), (4943, 179, 1));
    assert_eq!(
        success(d, &["--data", "out", "check"]).trim(),
        "out: ok: 179 actors, 4943 relations, 1 source; dates 1816 to 2012"
    );
    // 927 runs include 1950; 10 of them begin or end in 1950 and are only possible on 1 June.
    assert_eq!(
        snapshot(d, "out", "1950-06-01"),
        "snapshot 1950-06-01: 55 actors, 927 relations (10 possible, 0 contested)"
    );
    // The Molotov–Ribbentrop pact: flagged 1939–1941, over in 1942.
    let rel = relations(&d.join("out"));
    assert!(rel["cow-alliance-DEU-RUS-nonaggression-1939"].starts_with("DEU RUS cooperation 1939 1941 |"));

    // The MIDB disputes merged in: Greece and Turkey are allies (since 1951) and in MID 4092 on
    // 30 January 1996 (the Imia crisis). A dispute beside cooperation does not make a pair
    // contested, so there is no conflict anywhere, and no fracture (COW has no memberships).
    success(d, &["import", "cow-mid", &midb, "--append", "out"]);
    // 198 states: the 179 of the alliances and the 192 of the disputes, 173 in both.
    assert_eq!(written(&d.join("out")), (4943 + 3535, 198, 2));
    let edges = success(
        d,
        &["--data", "out", "snapshot", "--at", "1996-01-30", "--format", "edges-csv", "--out", "-"],
    );
    let grc_tur: Vec<&str> =
        edges.lines().filter(|l| l.contains(",GRC,TUR,") || l.contains(",TUR,GRC,")).collect();
    assert_eq!(grc_tur.len(), 4, "{grc_tur:?}");
    assert!(grc_tur
        .iter()
        .any(|l| l.starts_with("cow-midb-4092-TUR-GRC,TUR,GRC,dispute,1995-12-28,1996-07-10,")));
    assert!(grc_tur.iter().all(|l| l.split(',').nth(8) == Some("false")), "not contested: {grc_tur:?}");
    let conflicts = georel(d, &["--data", "out", "conflicts"]);
    assert_eq!(conflicts.status.code(), Some(1), "{}", String::from_utf8_lossy(&conflicts.stderr));
    assert!(String::from_utf8_lossy(&conflicts.stderr).contains("no pair was ever contested"));
    let fractures = georel(d, &["--data", "out", "fractures", "--at", "1996-01-30"]);
    assert_eq!(fractures.status.code(), Some(1), "{}", String::from_utf8_lossy(&fractures.stderr));
    assert!(String::from_utf8_lossy(&fractures.stderr).contains("no fracture on 1996-01-30"));
    let timeline = success(d, &["--data", "out", "timeline", "GRC", "TUR"]);
    assert!(timeline.contains("cow-midb-4092-TUR-GRC"), "{timeline}");
}

#[test]
// Regression (issue 17): COW states were COW's abbreviations (UKG, ROK), so COW data appended to
// the curated data (ISO ids: GBR, KOR) made a second actor for the same country.
fn cow_data_appended_to_the_curated_data_joins_its_actors() {
    let dir = workdir();
    let d = dir.path();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
    fs::create_dir(d.join("curated")).unwrap();
    for file in ["actors.csv", "relations.csv", "sources.csv"] {
        fs::copy(data.join(file), d.join("curated").join(file)).unwrap();
    }
    let before = table(&d.join("curated/actors.csv"));
    success(d, &["import", "cow-mid", DYADIC, "--append", "curated"]);
    check_passes(d, "curated");
    let after = table(&d.join("curated/actors.csv"));
    let ids: Vec<&str> = after.iter().map(|a| a["id"].as_str()).collect();
    // The excerpt's states: USA, UKG (GBR), ROK (KOR), PRK, JPN, RUS and CHN are curated
    // actors already; AUH, MOD, TUS (no ISO code: COW-), ITA, IRN and AFG are new.
    for new in ["AFG", "COW-AUH", "COW-MOD", "COW-TUS", "IRN", "ITA"] {
        assert!(ids.contains(&new), "{new}: {ids:?}");
    }
    assert_eq!(after.len(), before.len() + 6, "{ids:?}");
    assert!(!ids.contains(&"UKG") && !ids.contains(&"ROK"), "{ids:?}");
    // The curated actors are kept as they were, names and aliases included.
    for actor in &before {
        assert!(after.contains(actor), "{actor:?} changed");
    }
    let rels = table(&d.join("curated/relations.csv"));
    let ends =
        |id: &str| rels.iter().find(|r| r["id"] == id).map(|r| (r["source"].clone(), r["target"].clone()));
    assert_eq!(ends("cow-mid-2-USA-GBR"), Some(("USA".into(), "GBR".into())));
    assert_eq!(ends("cow-mid-4721-KOR-PRK"), Some(("KOR".into(), "PRK".into())));
}
