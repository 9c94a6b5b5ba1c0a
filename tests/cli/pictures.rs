//! `--format svg` and `png`: diagrams drawn by Graphviz, for real.

use crate::harness::{stderr, Workdir};

/// Parses an SVG written by Graphviz (which starts with a DOCTYPE, refused by default).
pub fn parse_svg(text: &str) -> roxmltree::Document<'_> {
    let options = roxmltree::ParsingOptions { allow_dtd: true, ..roxmltree::ParsingOptions::default() };
    roxmltree::Document::parse_with_options(text, options)
        .unwrap_or_else(|e| panic!("not well-formed SVG: {e}"))
}

/// All the text an SVG shows, one piece per line, entities decoded.
pub fn svg_text(text: &str) -> Vec<String> {
    parse_svg(text)
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .map(String::from)
        .collect()
}

/// The width and height of a PNG, from its header.
pub fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[test]
fn snapshot_svg_is_well_formed_and_names_every_actor() {
    let wd = Workdir::with_fixture("snapshot");
    let (out, _) = wd.run_code(&["snapshot", "--at", "2025-11-12", "--format", "svg", "--out", "-"], 0);
    let text = svg_text(&out).join("\n");
    // The fixture's actors on that day, by their names.
    for name in ["United States", "Colombia", "Central Intelligence Agency"] {
        assert!(text.contains(name), "{name} is drawn");
    }
}

#[test]
fn every_diagram_command_draws_svg_and_png() {
    let wd = Workdir::with_queries();
    let day = "2025-06-15";
    let commands: [&[&str]; 5] = [
        &["snapshot", "--at", day],
        &["path", "TAO", "DEU", "--at", day],
        &["neighbours", "COL", "--at", day, "--depth", "2"],
        &["diff", "--from", "2025-05-15", "--to", day],
        &["conflicts", "--at", day],
    ];
    for command in commands {
        for format in ["svg", "png"] {
            let file = format!("picture.{format}");
            let mut args = command.to_vec();
            args.extend(["--format", format, "--out", &file]);
            wd.run_code(&args, 0);
            let bytes = wd.read_bytes(&file);
            match format {
                "svg" => {
                    parse_svg(std::str::from_utf8(&bytes).unwrap());
                }
                _ => assert!(png_size(&bytes).0 > 100, "{command:?}: a real picture"),
            }
        }
    }
}

#[test]
fn each_layout_engine_draws() {
    let wd = Workdir::with_queries();
    for layout in ["dot", "neato", "fdp", "sfdp", "circo"] {
        wd.run_code(
            &["snapshot", "--at", "2025-06-15", "--format", "svg", "--layout", layout, "--out", "s.svg"],
            0,
        );
        assert!(wd.read("s.svg").contains("<svg"), "{layout}");
    }
}

#[test]
fn layout_without_a_picture_format_is_a_usage_error() {
    let wd = Workdir::with_queries();
    let (_, err) = wd.run_code(&["snapshot", "--at", "2025-06-15", "--layout", "neato"], 2);
    assert!(err.contains("--layout chooses how Graphviz draws a picture"), "{err}");
    let (_, err) = wd.run_code(&["path", "TAO", "DEU", "--at", "2025-06-15", "--layout", "neato"], 2);
    assert!(err.contains("use it with --format svg or png"), "{err}");
    // A timeline's chart is not drawn by Graphviz: it has no --layout.
    let (_, err) = wd.run_code(&["timeline", "COL", "--layout", "neato"], 2);
    assert!(err.contains("unexpected argument '--layout'"), "{err}");
}

#[test]
fn without_graphviz_the_message_says_how_to_install_it_and_nothing_is_written() {
    let wd = Workdir::with_queries();
    let empty = wd.path().join("no-programs");
    std::fs::create_dir(&empty).unwrap();
    let out = wd
        .command(&["snapshot", "--at", "2025-06-15", "--format", "png", "--out", "s.png"])
        .env("PATH", &empty)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("Graphviz is not installed") && err.contains("apt-get install graphviz"), "{err}");
    assert!(!err.contains("No such file or directory"), "not the raw OS error: {err}");
    assert!(!wd.exists("s.png"));
}

/// An edge as Graphviz drew it in an SVG: its tooltip (the first relation's id, kind, ends
/// and dates), the text written beside it, and the colours of its line.
#[derive(Debug)]
pub struct DrawnEdge {
    pub tooltip: String,
    pub texts: Vec<String>,
    pub strokes: Vec<String>,
}

/// Every edge of an SVG drawn by Graphviz, invisible ones included (they have no stroke).
pub fn svg_edges(text: &str) -> Vec<DrawnEdge> {
    let doc = parse_svg(text);
    doc.descendants()
        .filter(|n| n.has_tag_name("g") && n.attribute("class") == Some("edge"))
        .map(|g| DrawnEdge {
            tooltip: g
                .descendants()
                .find_map(|n| n.attribute(("http://www.w3.org/1999/xlink", "title")))
                .unwrap_or_default()
                .to_string(),
            texts: g
                .descendants()
                .filter(|n| n.has_tag_name("text"))
                .filter_map(|n| n.text())
                .map(String::from)
                .collect(),
            strokes: g
                .descendants()
                .filter(|n| n.has_tag_name("path"))
                .filter_map(|n| n.attribute("stroke"))
                .map(String::from)
                .collect(),
        })
        .collect()
}

/// The title Graphviz drew for a whole graph (its first text outside any node or edge).
fn svg_title(text: &str) -> String {
    let doc = parse_svg(text);
    let graph = doc.descendants().find(|n| n.attribute("class") == Some("graph")).expect("a graph");
    graph
        .children()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `--data` for the shipped dataset.
fn shipped() -> String {
    crate::harness::shipped_data_dir().to_str().unwrap().to_string()
}

/// Runs a command on the shipped data with `--format svg --out -` and returns the SVG.
#[track_caller]
fn shipped_svg(args: &[&str]) -> String {
    let wd = Workdir::new();
    let data = shipped();
    let mut all = vec!["--data", data.as_str()];
    all.extend(args);
    all.extend(["--format", "svg", "--out", "-"]);
    let out = wd.run(&all);
    crate::harness::assert_success(&out);
    crate::harness::stdout(&out)
}

/// The colours of the relation kinds, as the snapshot's legend and edges use them.
const COOPERATION: &str = "#2e7d32";
const RESTRICTION: &str = "#c62828";
const DISPUTE: &str = "#ef6c00";

fn kind_colour(tooltip: &str) -> &'static str {
    let kind = tooltip.split_whitespace().nth(1).unwrap_or_default();
    match kind {
        "cooperation" => COOPERATION,
        "restriction" => RESTRICTION,
        "dispute" => DISPUTE,
        "membership" => "#1565c0",
        other => panic!("no kind in tooltip {tooltip:?} ({other})"),
    }
}

/// Issue 15: the diff picture labelled the Colombia–United States pair "became contested" on
/// an invisible line of its own, drawn among the pair's lines, beside the Caribbean dispute
/// (a dispute is never contested). Each contested relation carries the label itself.
#[test]
fn the_diff_picture_labels_the_relations_that_became_contested_never_a_dispute() {
    let svg = shipped_svg(&["diff", "--from", "2025-11-01", "--to", "2025-11-12"]);
    let edges = svg_edges(&svg);
    let labelled: Vec<&DrawnEdge> =
        edges.iter().filter(|e| e.texts.iter().any(|t| t.contains("contested"))).collect();
    assert!(!labelled.is_empty(), "the order and Plan Colombia became contested: {edges:#?}");
    for edge in labelled {
        let kind = edge.tooltip.split_whitespace().nth(1).unwrap_or_default();
        assert!(
            kind == "cooperation" || kind == "restriction",
            "a contested label on something other than a cooperation or a restriction: {edge:?}"
        );
    }
    let plan = edges.iter().find(|e| e.tooltip.starts_with("COL-USA-PLAN-COLOMBIA ")).expect("drawn");
    assert!(plan.texts.iter().any(|t| t.contains("became contested")), "{plan:?}");
}

/// Issue 15: the diff picture drew a started restriction in green, the cooperation colour.
/// Every line has its kind's colour; started, ended and the rest differ by style and label.
#[test]
fn the_diff_picture_colours_relations_by_kind() {
    let svg = shipped_svg(&["diff", "--from", "2025-11-01", "--to", "2025-11-12"]);
    let edges = svg_edges(&svg);
    let started = edges.iter().find(|e| e.tooltip.starts_with("COL-USA-SUSPENSION ")).expect("drawn");
    assert!(started.strokes.iter().all(|s| s == RESTRICTION), "{started:?}");
    assert!(started.texts.iter().any(|t| t.contains("started")), "{started:?}");
    let svg = shipped_svg(&["diff", "--from", "2021-01-01", "--to", "2026-01-26"]);
    let edges = svg_edges(&svg);
    let mut seen = 0;
    for edge in edges.iter().filter(|e| !e.strokes.is_empty()) {
        let colour = kind_colour(&edge.tooltip);
        assert!(edge.strokes.iter().all(|s| s.starts_with(colour)), "not in its kind's colour: {edge:?}");
        seen += 1;
    }
    assert!(seen > 10, "{seen}");
    let ended: Vec<_> = edges.iter().filter(|e| e.texts.iter().any(|t| t.contains("ended"))).collect();
    assert!(!ended.is_empty(), "something ended between 2021 and 2026");
}

/// Issue 15: the `conflicts --at` picture drew unlabelled lines. Each says which is the
/// cooperation and which the restriction covering it, with the relation's id.
#[test]
fn the_conflicts_picture_labels_the_cooperation_and_the_covering_restriction() {
    for extra in [&[][..], &["--by-country"][..]] {
        let mut args = vec!["conflicts", "--at", "2025-12-01"];
        args.extend(extra);
        let svg = shipped_svg(&args);
        let edges: Vec<DrawnEdge> = svg_edges(&svg).into_iter().filter(|e| !e.strokes.is_empty()).collect();
        assert!(edges.len() >= 2, "{edges:#?}");
        for edge in &edges {
            let text = edge.texts.join(" ");
            let id = edge.tooltip.split_whitespace().next().unwrap();
            if let Some(merged) =
                edge.tooltip.split(": ").last().and_then(|t| t.strip_suffix(" relations merged"))
            {
                let n: usize = merged.parse().unwrap();
                assert_eq!(
                    text.matches(", ").count() + 1,
                    n,
                    "{extra:?}: the label names each relation: {edge:?}"
                );
            } else {
                assert!(text.contains(id), "{extra:?}: the label names the relation {id}: {edge:?}");
            }
            let kind = edge.tooltip.split_whitespace().nth(1).unwrap();
            let role = if kind == "cooperation" { "contested cooperation" } else { "covering restriction" };
            assert!(text.contains(role), "{extra:?}: {role}: {edge:?}");
        }
    }
}

/// Issue 15: titles showed ids (`FIVE_EYES`) where every node shows a name.
#[test]
fn picture_titles_name_actors_by_name() {
    let svg = shipped_svg(&["neighbours", "FIVE_EYES", "--at", "2025-11-12"]);
    let title = svg_title(&svg);
    assert!(title.contains("Five Eyes") && !title.contains("FIVE_EYES"), "{title}");
    let svg = shipped_svg(&["path", "DNI", "WHITE_HOUSE", "--at", "2025-12-01"]);
    let title = svg_title(&svg);
    assert!(
        title.contains("National Intelligence Directorate")
            && title.contains("White House")
            && !title.contains("WHITE_HOUSE"),
        "{title}"
    );
}

/// Issue 15: the by-country title read "14 countries and others".
#[test]
fn the_by_country_title_counts_countries_and_other_actors() {
    let svg = shipped_svg(&["snapshot", "--at", "2025-11-12", "--by-country"]);
    let title = svg_title(&svg);
    assert!(!title.contains("and others"), "{title}");
    let wd = Workdir::new();
    let data = shipped();
    let (nodes, _) = wd.run_code(
        &[
            "--data",
            &data,
            "snapshot",
            "--at",
            "2025-11-12",
            "--by-country",
            "--format",
            "nodes-csv",
            "--out",
            "-",
        ],
        0,
    );
    let rows = crate::harness::parse_csv(&nodes);
    let countries = rows.iter().filter(|r| r["kind"] == "country").count();
    let others = rows.len() - countries;
    assert!(countries > 1 && others > 1, "{countries} {others}");
    assert!(title.contains(&format!("{countries} countries and {others} other actors, ")), "{title}");
}

/// Issue 15: `neighbours` text said 24 actors where its picture said 25 (the picture counted
/// the centre). Both say the centre and how many actors are within reach.
#[test]
fn neighbours_text_and_picture_count_the_same_actors() {
    let wd = Workdir::new();
    let data = shipped();
    let (text, _) =
        wd.run_code(&["--data", &data, "neighbours", "USA", "--at", "2025-11-12", "--depth", "2"], 0);
    let first = text.lines().next().unwrap();
    let count: String = first.split(": ").nth(1).unwrap().split(' ').next().unwrap().to_string();
    let phrase = format!("{count} actors within reach");
    assert!(first.contains(&phrase), "{first}");
    let svg = shipped_svg(&["neighbours", "USA", "--at", "2025-11-12", "--depth", "2"]);
    let title = svg_title(&svg);
    assert!(title.contains(&phrase), "the picture says {title:?}, the text {first:?}");
}

/// `(id, shape, tooltip)` of every node line of a DOT file written by georel.
fn dot_nodes(dot: &str) -> Vec<(String, String, String)> {
    let attr = |line: &str, name: &str| {
        let from = line.find(&format!("{name}=\""))? + name.len() + 2;
        let len = line[from..].find('"')?;
        Some(line[from..from + len].to_string())
    };
    dot.lines()
        .map(str::trim)
        .filter(|l| l.starts_with('"') && !l.contains(" -> ") && l.contains("shape="))
        .map(|l| {
            let id = l[1..].split('"').next().unwrap().to_string();
            (id, attr(l, "shape").unwrap(), attr(l, "tooltip").unwrap_or_default())
        })
        .collect()
}

/// Issue 15: the legend named shapes in words ("egg = person"), and actors of no known kind
/// were drawn as agencies. The legend draws one sample of each kind drawn, in its own shape,
/// and an unknown kind has a shape of its own.
#[test]
fn the_legend_draws_each_actor_kind_in_its_shape_and_unknown_has_its_own() {
    let wd = Workdir::new();
    let data = shipped();
    let (dot, _) =
        wd.run_code(&["--data", &data, "snapshot", "--at", "2025-11-12", "--format", "dot", "--out", "-"], 0);
    let nodes = dot_nodes(&dot);
    let legend: Vec<_> = nodes.iter().filter(|n| n.0.starts_with(" legend ")).collect();
    let actors: Vec<_> = nodes.iter().filter(|n| !n.0.starts_with(' ')).collect();
    assert!(legend.len() >= 5, "a sample per kind drawn: {legend:?}");
    for (id, shape, tooltip) in &actors {
        let kind = tooltip.rsplit('(').next().unwrap().trim_end_matches(')');
        let sample = legend.iter().find(|n| n.0 == format!(" legend {kind}"));
        let sample = sample.unwrap_or_else(|| panic!("no legend sample for {id}'s kind {kind}"));
        assert_eq!(&sample.1, shape, "{id} ({kind}) is drawn as its legend sample is");
    }
    let table = dot.lines().find(|l| l.trim_start().starts_with("\" legend\" ")).expect("the legend table");
    for word in ["box", "ellipse", "hexagon", "note", "component", "egg"] {
        assert!(!table.contains(&format!(">{word}<")), "the legend names a shape in words: {word}");
    }

    wd.write("bare/relations.csv", "source,target,kind,start,end\nAAA,BBB,cooperation,2020-01-01,\n");
    wd.write("described/relations.csv", "source,target,kind,start,end\nAAA,BBB,cooperation,2020-01-01,\n");
    wd.write("described/actors.csv", "id,name,kind\nAAA,A,agency\nBBB,B,agency\n");
    let (bare, _) =
        wd.run_code(&["--data", "bare", "snapshot", "--at", "2021", "--format", "dot", "--out", "-"], 0);
    let (agencies, _) =
        wd.run_code(&["--data", "described", "snapshot", "--at", "2021", "--format", "dot", "--out", "-"], 0);
    let shape_of = |dot: &str, id: &str| dot_nodes(dot).into_iter().find(|n| n.0 == id).unwrap().1;
    assert_ne!(
        shape_of(&bare, "AAA"),
        shape_of(&agencies, "AAA"),
        "an unknown kind is not drawn as an agency"
    );
    assert_eq!(shape_of(&bare, "AAA"), shape_of(&bare, " legend unknown"), "and the legend shows it");
}

/// Issue 15: beside the Colombia–United States dispute, a bare "contested" label read as the
/// dispute's (Graphviz puts a label where there is room, which may be beside another line of
/// the pair); a dispute is never contested. Each contested label names its relation's kind.
#[test]
fn contested_labels_name_their_kind_so_none_reads_as_a_dispute() {
    for args in [
        &["snapshot", "--at", "2025-12-01"][..],
        &["snapshot", "--at", "2025-11", "--by-country"][..],
        &["neighbours", "COL", "--at", "2025-12-01"][..],
        &["path", "DNI", "CIA", "--at", "2025-12-01"][..],
    ] {
        let svg = shipped_svg(args);
        let labelled: Vec<DrawnEdge> =
            svg_edges(&svg).into_iter().filter(|e| e.texts.iter().any(|t| t.contains("contested"))).collect();
        assert!(!labelled.is_empty(), "{args:?}");
        for edge in labelled {
            let kind = edge.tooltip.split_whitespace().nth(1).unwrap();
            assert_ne!(kind, "dispute", "{args:?}: {edge:?}");
            assert!(
                edge.texts.iter().any(|t| t.contains(&format!("contested {kind}"))),
                "{args:?}: the label names the kind: {edge:?}"
            );
        }
    }
}

/// The diff picture's title counted "contested-pair changes" where the text says how many
/// pairs became contested and how many stopped: the two now say the same.
#[test]
fn the_diff_title_counts_contests_as_the_text_does() {
    let wd = Workdir::new();
    let data = shipped();
    let (text, _) = wd.run_code(&["--data", &data, "diff", "--from", "2025-11-01", "--to", "2025-12-01"], 0);
    let contests = text.lines().next().unwrap().split("; ").nth(1).unwrap().to_string();
    assert!(contests.contains("became contested"), "{contests}");
    let title = svg_title(&shipped_svg(&["diff", "--from", "2025-11-01", "--to", "2025-12-01"]));
    assert!(title.contains(&contests), "the picture says {title:?}, the text {contests:?}");
}

/// A picture of one relation said "1 relations".
#[test]
fn picture_titles_count_in_the_singular_too() {
    let wd = Workdir::new();
    wd.write("data/relations.csv", "source,target,kind,start\nAAA,BBB,cooperation,2020-01-01\n");
    let (dot, _) = wd.run_code(&["snapshot", "--at", "2021", "--format", "dot", "--out", "-"], 0);
    assert!(dot.contains("\\n2 actors, 1 relation (0 possible, 0 contested)\""), "{dot}");
}

/// The conflicts picture counted relations only, where the text counts contested pairs: the
/// title gives the text's count too.
#[test]
fn the_conflicts_title_counts_pairs_as_the_text_does() {
    let wd = Workdir::new();
    let data = shipped();
    let (text, _) = wd.run_code(&["--data", &data, "conflicts", "--at", "2025-12-01"], 0);
    let first = text.lines().next().unwrap();
    let title = svg_title(&shipped_svg(&["conflicts", "--at", "2025-12-01"]));
    assert!(title.contains(first), "the picture says {title:?}, the text {first:?}");
}

/// Issue 15, "the same citation style everywhere georel cites": hovering over a line in a
/// picture shows who says so, cited as the text output cites the same relation.
#[test]
fn an_edge_tooltip_cites_its_sources_as_text_does() {
    let wd = Workdir::with_fixture("snapshot");
    let (text, _) = wd.run_code(&["snapshot", "--at", "2025-11-12", "--format", "text"], 0);
    let (svg, _) = wd.run_code(&["snapshot", "--at", "2025-11-12", "--format", "svg", "--out", "-"], 0);
    let edges = svg_edges(&svg);
    for (id, cited) in [
        ("COL-USA-SUSPENSION ", "[Example Wire, 2025-11-12 (B); Example Daily, 2025-11 (C)]"),
        ("USA-COL-COOP ", "[public record, 1949 (A)]"),
    ] {
        assert!(text.contains(cited), "the text cites {cited}: {text}");
        let edge = edges.iter().find(|e| e.tooltip.starts_with(id)).unwrap_or_else(|| panic!("{id} drawn"));
        assert!(edge.tooltip.contains(cited), "{id}'s tooltip cites {cited}: {}", edge.tooltip);
    }
    // A relation without evidence cites nothing.
    let trade = edges.iter().find(|e| e.tooltip.starts_with("GBR-VEN-TRADE ")).expect("drawn");
    assert!(!trade.tooltip.contains('['), "{}", trade.tooltip);
    // The diff picture's lines too.
    let (svg, _) = wd.run_code(
        &["diff", "--from", "2025-11-01", "--to", "2025-11-12", "--format", "svg", "--out", "-"],
        0,
    );
    let started =
        svg_edges(&svg).into_iter().find(|e| e.tooltip.starts_with("COL-USA-SUSPENSION ")).expect("drawn");
    assert!(
        started.tooltip.contains("[Example Wire, 2025-11-12 (B); Example Daily, 2025-11 (C)]"),
        "{}",
        started.tooltip
    );
}

/// A line resting on many sources cites the first eight in its tooltip and counts the rest:
/// a merged edge (`--by-country`) can rest on thousands, which no hover can show.
#[test]
fn an_edge_tooltip_cites_at_most_eight_sources() {
    let wd = Workdir::new();
    wd.write("data/actors.csv", "id,name,kind,parent,aliases\nAAA,Aland,country,,\nBBB,Bland,country,,\n");
    let sources: String =
        (1..=10).map(|i| format!("S{i},Report {i},Publisher {i},2020-01-0{},,B\n", i.min(9))).collect();
    wd.write("data/sources.csv", format!("id,title,publisher,published,url,reliability\n{sources}"));
    let evidence: Vec<String> = (1..=10).map(|i| format!("S{i}")).collect();
    wd.write(
        "data/relations.csv",
        format!(
            "id,source,target,kind,start,end,directed,evidence,summary\nR1,AAA,BBB,cooperation,2020,,,{},\n",
            evidence.join(";")
        ),
    );
    let (dot, _) = wd.run_code(&["snapshot", "--at", "2020-06-01", "--format", "dot", "--out", "-"], 0);
    let edge = dot.lines().find(|l| l.contains("tooltip=\"R1 ")).expect("the relation is drawn");
    assert!(edge.contains("Publisher 1, 2020-01-01 (B); "), "{edge}");
    assert!(edge.contains("Publisher 8, 2020-01-08 (B); and 2 more]"), "{edge}");
    assert!(!edge.contains("Publisher 9"), "{edge}");
}
