//! Long work at scale (item 9 of issue 15): a picture too large to draw is refused with how
//! to narrow the question (DOT is not).

use crate::harness::{stderr, Workdir};

/// Actors round the ring of [`hairball`].
const RING: usize = 200;
/// How many next neighbours each actor has relations with.
const REACH: usize = 13;
/// The relations of [`hairball`] on its day, more than a picture may show (5,000).
const HAIRBALL_RELATIONS: usize = RING * REACH * 2;

/// A dataset whose 2020-06-01 holds more relations than a picture may show: 200 actors round
/// a ring, each cooperating with and restricting its 13 next neighbours (5,200 relations,
/// every pair contested), all from 2020.
fn hairball() -> Workdir {
    let wd = Workdir::new();
    let mut csv = String::from("id,source,target,kind,start\n");
    for a in 0..RING {
        for step in 1..=REACH {
            let b = (a + step) % RING;
            csv.push_str(&format!("C{a}-{b},A{a:03},A{b:03},cooperation,2020\n"));
            csv.push_str(&format!("R{a}-{b},A{a:03},A{b:03},restriction,2020\n"));
        }
    }
    wd.write("data/relations.csv", csv);
    wd
}

#[test]
// Regression (item 9 of issue 15): `snapshot --format svg` of a million relations ran Graphviz
// for 54 s and drew a hairball nobody can read, without a word.
fn a_picture_too_large_to_draw_is_refused_with_how_to_narrow_it() {
    let wd = hairball();
    let runs: [&[&str]; 4] = [
        &["snapshot", "--at", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
        &["neighbours", "A000", "--at", "2020-06-01", "--depth", "20", "--format", "png", "--out", "pic.png"],
        &["diff", "--from", "2019-06-01", "--to", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
        &["conflicts", "--at", "2020-06-01", "--format", "svg", "--out", "pic.svg"],
    ];
    for args in runs {
        let out = wd.run(args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        for part in [
            "too large to draw".to_string(),
            format!("{HAIRBALL_RELATIONS} relations"),
            "at most 2000 actors and 5000 relations".to_string(),
            "--depth".to_string(),
            "--format dot".to_string(),
            "--large-picture".to_string(),
        ] {
            assert!(err.contains(&part), "{args:?}: {part:?} missing from {err}");
        }
        assert_eq!(wd.list("."), ["data"], "{args:?}: nothing is written");
    }
    // DOT is not refused: it is how to lay the picture out elsewhere.
    let (out, _) = wd.run_code(&["snapshot", "--at", "2020-06-01", "--format", "dot", "--out", "-"], 0);
    assert_eq!(out.matches(" -> ").count(), HAIRBALL_RELATIONS);
    // The flag only goes with a picture.
    let (_, err) = wd.run_code(&["snapshot", "--at", "2020-06-01", "--format", "dot", "--large-picture"], 2);
    assert!(err.contains("use it with --format svg or png"), "{err}");
}
