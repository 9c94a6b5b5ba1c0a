//! Text meant for a terminal never carries the data's control characters raw (#13 of issue
//! 13): an actor name, a summary or a source title with ESC, BEL or VT shows them escaped
//! (`\u{1b}`, as error messages quote data), in every text output and message; data formats
//! keep the exact bytes.

use crate::harness::{stderr, stdout, Workdir};

/// ESC [31m (red), BEL, VT, and a C1 control (CSI, U+009B).
const EVIL: &str = "Evil\u{1b}[31mRed\u{7}Bell\u{b}VT\u{9b}2J";
const SHOWN: &str = "Evil\\u{1b}[31mRed\\u{7}Bell\\u{b}VT\\u{9b}2J";

/// X (named EVIL) and Y, both in the alliance G; X cooperates with Y and restricts it (a
/// contested pair, and a fracture in G). Summaries and a source's title carry the escapes.
fn evil() -> Workdir {
    let wd = Workdir::new();
    wd.write(
        "data/actors.csv",
        format!("id,name,kind,parent,aliases\nX,{EVIL},country,,\nY,Plain,country,,\nG,Group,alliance,,\n"),
    );
    wd.write(
        "data/relations.csv",
        format!(
            "id,source,target,kind,start,end,directed,evidence,summary\n\
             XG,X,G,membership,2000,,,,\n\
             YG,Y,G,membership,2000,,,,\n\
             COOP,X,Y,cooperation,2010,,,S1,{EVIL}\n\
             BLOCK,X,Y,restriction,2020,,true,S1,{EVIL}\n"
        ),
    );
    wd.write(
        "data/sources.csv",
        format!("id,title,publisher,published,url,reliability\nS1,{EVIL},{EVIL},2020,,B\n"),
    );
    wd
}

/// No raw control character (but line breaks) in `text`, and the escaped name in it.
#[track_caller]
fn clean(what: &str, text: &str) {
    let raw: Vec<char> = text.chars().filter(|&c| c.is_control() && c != '\n').collect();
    assert!(raw.is_empty(), "{what}: raw control characters {raw:?} in:\n{text}");
    assert!(text.contains(SHOWN), "{what}: the escaped name is missing from:\n{text}");
}

#[test]
// Regression (#13 of issue 13): terminal escapes from the data were printed raw.
fn every_text_output_shows_control_characters_escaped() {
    let wd = evil();
    let runs: [&[&str]; 8] = [
        &["path", "X", "Y", "--at", "2021"],
        &["path", "X", "Y", "--at", "2021", "--all"],
        &["neighbours", "X", "--at", "2021"],
        &["diff", "--from", "2015", "--to", "2021"],
        &["timeline", "X"],
        &["conflicts", "--at", "2021"],
        &["conflicts"],
        &["fractures", "--at", "2021"],
    ];
    for args in runs {
        let (out, _) = wd.run_code(args, 0);
        clean(&args.join(" "), &out);
    }
    // Written to a file, text output is the same.
    wd.run_code(&["timeline", "X", "--out", "t.txt"], 0);
    clean("timeline --out t.txt", &wd.read("t.txt"));
}

#[test]
// Regression (#13 of issue 13): messages quoting the data printed its escapes raw.
fn messages_show_control_characters_escaped() {
    let wd = evil();
    // "no path" names both ends.
    let out = wd.run(&["path", "X", "Y", "--at", "1990"]);
    assert_eq!(out.status.code(), Some(1));
    clean("no path", &stderr(&out));
    // An unknown name is quoted; a close one suggested.
    let out = wd.run(&["neighbours", "Evil\u{1b}[31mRed", "--at", "2021"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(!err.contains('\u{1b}'), "{err}");
    // A pair of one actor twice names it.
    let out = wd.run(&["timeline", "X", EVIL]);
    assert_eq!(out.status.code(), Some(2));
    clean("timeline X X", &stderr(&out));
}

#[test]
fn data_formats_keep_the_exact_bytes() {
    let wd = evil();
    let (out, _) = wd.run_code(&["path", "X", "Y", "--at", "2021", "--format", "json", "--out", "-"], 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(json.to_string().contains("\\u001b[31mRed"), "{json}");
    let out = wd.run(&["snapshot", "--at", "2021", "--format", "nodes-csv", "--out", "-"]);
    assert!(stdout(&out).contains(EVIL), "CSV keeps the name as it is");
}
