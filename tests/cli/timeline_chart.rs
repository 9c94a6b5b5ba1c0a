//! `georel timeline --format svg|png`: the timeline chart. The SVG is read back as XML: one
//! bar (`g.bar`, named by `data-relation`) per relation of the record that `--format json`
//! lists, hatching where a date is known only to a month or year, arrows for open ends, the
//! pair's state band and its contested stretches. The PNG is checked for its signature and
//! size. The dataset is `tests/fixtures/queries/` (see `Workdir::with_queries`) and the
//! shipped data.

use std::collections::BTreeMap;

use crate::harness::{shipped_data_dir, Workdir};

/// Runs `timeline ARGS --format svg --out -` (exit 0) and returns the SVG.
#[track_caller]
fn chart(wd: &Workdir, args: &[&str]) -> String {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "svg", "--out", "-"]);
    wd.run_code(&all, 0).0
}

/// The ids of the relations in the record, from `--format json` (each start entry is one).
#[track_caller]
fn record_relations(wd: &Workdir, args: &[&str]) -> Vec<String> {
    let mut all = vec!["timeline"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json", "--out", "-"]);
    let doc: serde_json::Value = serde_json::from_str(&wd.run_code(&all, 0).0).unwrap();
    let mut ids: Vec<String> = doc["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["event"] == "start" && e["as"] != "claimant")
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn class<'a>(node: roxmltree::Node<'a, 'a>) -> &'a str {
    node.attribute("class").unwrap_or("")
}

/// Every element of `class`.
fn all<'a>(doc: &'a roxmltree::Document<'a>, of: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants().filter(|n| n.is_element() && class(*n) == of).collect()
}

/// Each bar's relation id, with how many bars it has.
fn bars(doc: &roxmltree::Document<'_>) -> BTreeMap<String, usize> {
    let mut count = BTreeMap::new();
    for bar in all(doc, "bar") {
        *count.entry(bar.attribute("data-relation").unwrap().to_string()).or_insert(0) += 1;
    }
    count
}

/// The bar of relation `id`.
fn bar<'a>(doc: &'a roxmltree::Document<'a>, id: &str) -> roxmltree::Node<'a, 'a> {
    all(doc, "bar").into_iter().find(|b| b.attribute("data-relation") == Some(id)).expect(id)
}

fn has_child_of_class(node: roxmltree::Node<'_, '_>, of: &str) -> bool {
    node.children().any(|c| c.is_element() && class(c) == of)
}

fn title(node: roxmltree::Node<'_, '_>) -> String {
    node.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap_or("").to_string()
}

#[track_caller]
fn assert_one_bar_per_relation(doc: &roxmltree::Document<'_>, relations: &[String]) {
    let bars = bars(doc);
    let ids: Vec<&String> = bars.keys().collect();
    assert_eq!(ids, relations.iter().collect::<Vec<_>>(), "one bar per relation of the record");
    assert!(bars.values().all(|&n| n == 1), "{bars:?}");
}

#[test]
fn a_pair_has_one_bar_per_relation_hatching_arrows_and_its_state_band() {
    let wd = Workdir::with_queries();
    let svg = chart(&wd, &["USA", "COL"]);
    let doc = roxmltree::Document::parse(&svg).expect("the chart is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    let relations = record_relations(&wd, &["USA", "COL"]);
    assert!(relations.contains(&"USA-COL-COOP".to_string()), "{relations:?}");
    assert_one_bar_per_relation(&doc, &relations);

    // Names in the title, not ids.
    assert_eq!(title(root), "United States and Colombia: timeline");

    // USA-COL-COOP starts in 2010 (possible that year) and is open: hatched, then an arrow.
    let coop = bar(&doc, "USA-COL-COOP");
    assert_eq!(coop.attribute("data-kind"), Some("cooperation"));
    assert_eq!(coop.attribute("data-start"), Some("2010"));
    assert_eq!(coop.attribute("data-end"), Some(""));
    let possible: Vec<_> = coop.children().filter(|c| class(*c) == "possible").collect();
    assert_eq!(possible.len(), 1, "the year 2010 is hatched");
    assert_eq!(possible[0].attribute("fill"), Some("url(#hatch-cooperation)"));
    assert!(doc
        .descendants()
        .any(|n| n.has_tag_name("pattern") && n.attribute("id") == Some("hatch-cooperation")));
    assert!(has_child_of_class(coop, "active"));
    assert!(has_child_of_class(coop, "open-end"), "an open relation ends in an arrow");
    assert!(
        title(coop).starts_with("USA-COL-COOP: cooperation, United States ↔ Colombia, 2010 → open"),
        "{}",
        title(coop)
    );

    // The dispute has day dates and an end: no hatching, no arrow.
    let dispute = bar(&doc, "COL-USA-DISPUTE");
    assert!(has_child_of_class(dispute, "active"));
    assert!(!has_child_of_class(dispute, "possible"));
    assert!(!has_child_of_class(dispute, "open-end"));

    // The state band: one g.state per period of the record, in order, with its label.
    let doc_json: serde_json::Value = serde_json::from_str(
        &wd.run_code(&["timeline", "USA", "COL", "--format", "json", "--out", "-"], 0).0,
    )
    .unwrap();
    let periods: Vec<String> = doc_json["periods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| format!("{} {}", p["state"].as_str().unwrap(), p["certain"]))
        .collect();
    let states: Vec<String> = all(&doc, "state")
        .iter()
        .map(|s| format!("{} {}", s.attribute("data-state").unwrap(), s.attribute("data-certain").unwrap()))
        .collect();
    assert_eq!(states, periods);
    assert!(periods.contains(&"contested true".to_string()), "{periods:?}");

    // The contested month of June 2025 is shaded, and says so.
    let contested: Vec<String> = all(&doc, "contested").into_iter().map(title).collect();
    assert_eq!(contested.len(), 1, "{contested:?}");
    assert!(contested[0].starts_with("contested 2025-06-01 → 2025-07-01: "), "{contested:?}");

    // A legend names every kind, and the date axis has ticks.
    let legend: Vec<&str> = all(&doc, "legend")[0]
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    for kind in ["cooperation", "restriction", "dispute", "membership", "still in force", "contested"] {
        assert!(legend.contains(&kind), "{kind} in {legend:?}");
    }
    assert!(all(&doc, "tick").len() >= 3);
}

#[test]
fn one_actor_has_a_lane_per_counterpart_and_a_bar_per_relation() {
    let wd = Workdir::with_queries();
    let svg = chart(&wd, &["USA"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let relations = record_relations(&wd, &["USA"]);
    assert!(relations.len() >= 5, "{relations:?}");
    assert_one_bar_per_relation(&doc, &relations);
    let lanes: Vec<&str> = all(&doc, "lane-label").iter().filter_map(|n| n.text()).collect();
    // Counterparts by name, each once: the pair's three relations share Colombia's lane.
    assert!(lanes.contains(&"Colombia"), "{lanes:?}");
    let mut unique = lanes.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), lanes.len(), "{lanes:?}");
    assert_eq!(title(doc.root_element()), "United States: timeline");
}

#[test]
fn png_is_the_chart_drawn_at_twice_its_size_and_the_same_every_time() {
    let wd = Workdir::with_queries();
    let svg = chart(&wd, &["USA", "COL"]);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let size = |name| doc.root_element().attribute(name).unwrap().parse::<u32>().unwrap();
    let (width, height) = (size("width"), size("height"));
    wd.run_code(&["timeline", "USA", "COL", "--format", "png", "--out", "a.png"], 0);
    wd.run_code(&["timeline", "USA", "COL", "--format", "png", "--out", "b.png"], 0);
    let png = wd.read_bytes("a.png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(&png[12..16], b"IHDR");
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    assert_eq!((be(16), be(20)), (2 * width, 2 * height));
    assert_eq!(png, wd.read_bytes("b.png"), "deterministic");
    assert_eq!(svg, chart(&wd, &["USA", "COL"]), "deterministic");
}

#[test]
fn files_get_the_default_name_in_output() {
    let wd = Workdir::with_queries();
    let (out, _) = wd.run_code(&["timeline", "USA", "COL", "--format", "svg"], 0);
    assert_eq!(out, "wrote output/timeline-USA-COL.svg\n");
    assert!(wd.read("output/timeline-USA-COL.svg").starts_with("<svg"));
    wd.run_code(&["timeline", "USA", "--format", "png"], 0);
    assert!(wd.read_bytes("output/timeline-USA.png").starts_with(b"\x89PNG"));
}

#[test]
fn names_with_markup_and_control_characters_make_well_formed_svg() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id,name,kind\nA,\"AT&T <Corp> \"\"X\"\"\u{7}\",country\nB,B & Co,country\n");
    wd.write(
        "data/relations.csv",
        "id,source,target,kind,start,end\nR&1,A,B,cooperation,2020,\nR<2>,A,B,dispute,2021-03-04,2022-01\n",
    );
    let svg = chart(&wd, &["A", "B"]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    assert_eq!(title(doc.root_element()), "AT&T <Corp> \"X\"  and B & Co: timeline");
    assert_eq!(bars(&doc).keys().collect::<Vec<_>>(), ["R&1", "R<2>"]);
    // The partial end (January 2022) is hatched after the active part, and not an open end.
    let dispute = bar(&doc, "R<2>");
    assert!(has_child_of_class(dispute, "possible") && !has_child_of_class(dispute, "open-end"));
}

#[test]
// Regression: a long first name pushed the rest of the chart's title past the canvas's edge,
// so the second actor was never named; one start year read "starting between 2000 and 2000".
fn a_long_name_is_cut_so_that_the_title_names_both_actors() {
    let wd = Workdir::new();
    let long = |word: &str| format!("{word} long name ").repeat(30).trim_end().to_string();
    wd.write(
        "data/actors.csv",
        format!("id,name,kind\nA,{},country\nB,{},country\n", long("Very"), long("Other")),
    );
    wd.write("data/relations.csv", "id,source,target,kind,start\nR1,A,B,cooperation,2000\n");
    let svg = chart(&wd, &["A", "B"]);
    let doc = roxmltree::Document::parse(&svg).expect("well-formed");
    let texts: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").to_string())
        .collect();
    let heading = texts.iter().find(|t| t.ends_with(": timeline")).expect("a title");
    assert!(heading.starts_with("Very long name") && heading.contains("… and Other long name"), "{heading}");
    // Drawn at 18 px over a 1,100 px canvas: well under a hundred characters fit.
    assert!(heading.chars().count() < 100, "{heading}");
    assert!(texts.iter().any(|t| t.starts_with("1 relation, starting in 2000")), "{texts:?}");
}

// ---------------------------------------------------------------------------------------
// The shipped data

#[test]
fn shipped_colombia_and_the_united_states() {
    let wd = Workdir::new();
    let data = shipped_data_dir();
    let data = data.to_str().unwrap();
    let args = ["--data", data, "COL", "USA"];
    let svg = chart(&wd, &args);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let relations = record_relations(&wd, &args);
    assert_eq!(relations.len(), 6, "{relations:?}");
    assert_one_bar_per_relation(&doc, &relations);
    assert_eq!(title(doc.root_element()), "Colombia and United States: timeline");
    // From 2001 to October 2025 nothing changes: that stretch is cut out of the axis.
    let breaks: Vec<String> = all(&doc, "axis-break").into_iter().map(title).collect();
    assert_eq!(breaks.len(), 1, "{breaks:?}");
    assert!(breaks[0].starts_with("time axis broken: nothing changes from 2001-"), "{breaks:?}");
    // November 2025 is told day by day; the first part by the year.
    let ticks: Vec<&str> = all(&doc, "tick").iter().filter_map(|t| t.text()).collect();
    assert!(ticks.contains(&"2025-11-15"), "{ticks:?}");
    assert!(ticks.iter().any(|t| t.starts_with("2000")), "{ticks:?}");
    // Contested from 11 November, on.
    let contested: Vec<String> = all(&doc, "contested").into_iter().map(title).collect();
    assert_eq!(contested.len(), 1, "{contested:?}");
    assert!(contested[0].starts_with("contested 2025-11-11 → open"), "{contested:?}");
    assert!(svg.contains(">White House → Gustavo Petro<"), "a stand-in's ends are named under its lane");
    // By id when their names are too long to read there.
    assert!(svg.contains(">DNI ↔ CIA<"), "{svg}");
}

#[test]
fn shipped_united_states() {
    let wd = Workdir::new();
    let data = shipped_data_dir();
    let args = ["--data", data.to_str().unwrap(), "USA"];
    let svg = chart(&wd, &args);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let relations = record_relations(&wd, &args);
    assert!(relations.len() >= 20, "{relations:?}");
    assert_one_bar_per_relation(&doc, &relations);
    let lanes: Vec<&str> = all(&doc, "lane-label").iter().filter_map(|n| n.text()).collect();
    assert!(lanes.contains(&"Colombia") && lanes.contains(&"Five Eyes"), "{lanes:?}");
    assert!(all(&doc, "axis-break").len() >= 2, "eighty years, mostly quiet");
}

#[test]
fn a_record_too_large_to_read_is_refused_saying_how_to_narrow_it() {
    let wd = Workdir::new();
    let mut relations = String::from("id,source,target,kind,start,end\n");
    for i in 0..=400 {
        relations.push_str(&format!("R{i},HUB,X{i},cooperation,2020-01-01,\n"));
    }
    wd.write("data/relations.csv", relations);
    for format in ["svg", "png"] {
        let (out, err) = wd.run_code(&["timeline", "HUB", "--format", format], 2);
        assert_eq!(out, "");
        assert!(err.starts_with("georel: the chart would have 401 rows of bars, more than the 400"), "{err}");
        assert!(err.contains("--kinds, --exact, or a second actor"), "{err}");
    }
    assert!(!wd.exists("output"), "nothing is written");
    // One fewer is drawn.
    let mut fewer = String::from("id,source,target,kind,start,end\n");
    for i in 0..400 {
        fewer.push_str(&format!("R{i},HUB,X{i},cooperation,2020-01-01,\n"));
    }
    wd.write("data/relations.csv", fewer);
    let svg = wd.run_code(&["timeline", "HUB", "--format", "svg", "--out", "-"], 0).0;
    let doc = roxmltree::Document::parse(&svg).unwrap();
    assert_eq!(bars(&doc).len(), 400);
}

#[test]
fn a_record_without_relations_draws_no_chart_and_says_where_its_claims_are() {
    // Benedetti is party to no relation; he only claims one. A chart of his record would be
    // an empty axis (it was, with exit 0).
    let wd = Workdir::new();
    let data = shipped_data_dir();
    for format in ["svg", "png"] {
        let (out, err) =
            wd.run_code(&["--data", data.to_str().unwrap(), "timeline", "BENEDETTI", "--format", format], 1);
        assert_eq!(out, "", "{format}");
        assert!(err.contains("no relation to chart") && err.contains("1 claim"), "{format}: {err}");
        assert!(err.contains("--format text, md or html"), "{format}: {err}");
    }
    assert!(!wd.list(".").contains(&"output".to_string()), "nothing is written");
}
