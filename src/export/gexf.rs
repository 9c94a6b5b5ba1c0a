//! The whole dated graph as GEXF 1.3 (Gephi's format), with node and edge lifetimes and a
//! dynamic `status` attribute; also the XML escaper that the GraphML writer shares.
//!
//! # Shape
//!
//! ```xml
//! <gexf xmlns="http://gexf.net/1.3" version="1.3">
//!   <meta><creator>georel</creator><description>…</description></meta>
//!   <graph mode="dynamic" defaultedgetype="directed" timeformat="date" timerepresentation="interval">
//!     <attributes class="node" mode="static">  kind, parent
//!     <attributes class="edge" mode="static">  evidence, summary
//!     <attributes class="edge" mode="dynamic"> status
//!     <nodes count="N">
//!       <node id="COL" label="Colombia">
//!         <attvalues><attvalue for="kind" value="country"/></attvalues>
//!         <spells><spell start="2000-01-01"/></spells>
//!       </node>
//!     <edges count="M">
//!       <edge id="R" source="COL" target="USA" label="cooperation" kind="cooperation"
//!             type="undirected" start="2000-01-01">
//!         <attvalues>
//!           <attvalue for="evidence" value="A;B"/> <attvalue for="summary" value="…"/>
//!           <attvalue for="status" value="possible" start="2000-01-01" end="2000-12-31"/>
//!           <attvalue for="status" value="active" start="2001-01-01"/>
//! ```
//!
//! Nodes are the actors in id order; edges the relations in dataset order.
//!
//! # Time
//!
//! GEXF 1.3 intervals are inclusive at both ends (1.3 removed `startopen`/`endopen`); georel's
//! are half-open. So every bound is written as the first day on which something holds
//! (`start`) and the last day on which it holds (`end` = the half-open end minus one day), and
//! an open end is written as no `end` at all:
//!
//! - an edge lasts from its relation's `possible_from` to `possible_until` − 1 day: a partial
//!   start `2019-11` becomes `start="2019-11-01"`, a partial end `2019-11` becomes
//!   `end="2019-11-30"`, a day end `2025-11-13` becomes `end="2025-11-12"`;
//! - the dynamic attribute `status` says, over the same days, which are only `possible` (inside
//!   a partial start's or end's period) and which are `active`;
//! - a node's `<spells>` are the union of its relations' possible intervals, merged where they
//!   overlap or touch; an actor without relations has no spells.
//!
//! # Readers
//!
//! Gephi reads mixed graphs. networkx's `read_gexf` does not: it rejects an undirected edge in
//! a directed graph ("Undirected edge found in directed graph"), so scripts should read the
//! GraphML or node-link JSON instead.

use std::borrow::Cow;
use std::io::{self, BufWriter, Write};

use crate::date::{Day, Span, Status, OPEN_END};
use crate::model::{ActorIx, Dataset};

/// The GEXF 1.3 namespace.
pub const NAMESPACE: &str = "http://gexf.net/1.3";

/// Writes the whole dataset as a dynamic GEXF 1.3 graph (see the module docs).
///
/// # Errors
/// When `out` fails.
pub fn write(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = BufWriter::new(out);
    w.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    writeln!(
        w,
        "<gexf xmlns=\"{NAMESPACE}\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"{NAMESPACE} {NAMESPACE}/gexf.xsd\" version=\"1.3\">"
    )?;
    w.write_all(
        b"  <meta>\n    <creator>georel</creator>\n    <description>Dated relations between actors. \
          Time bounds are inclusive days; an edge's status says on which days it is only possible \
          (a start or end known to a month or a year) and on which it is active.</description>\n  </meta>\n",
    )?;
    w.write_all(
        b"  <graph mode=\"dynamic\" defaultedgetype=\"directed\" timeformat=\"date\" \
          timerepresentation=\"interval\">\n",
    )?;
    w.write_all(
        b"    <attributes class=\"node\" mode=\"static\">\n\
          \x20     <attribute id=\"kind\" title=\"kind\" type=\"string\"/>\n\
          \x20     <attribute id=\"parent\" title=\"parent\" type=\"string\"/>\n\
          \x20   </attributes>\n\
          \x20   <attributes class=\"edge\" mode=\"static\">\n\
          \x20     <attribute id=\"evidence\" title=\"evidence\" type=\"string\"/>\n\
          \x20     <attribute id=\"summary\" title=\"summary\" type=\"string\"/>\n\
          \x20     <attribute id=\"claimant\" title=\"claimant\" type=\"string\"/>\n\
          \x20     <attribute id=\"credibility\" title=\"credibility\" type=\"string\"/>\n\
          \x20     <attribute id=\"grade\" title=\"grade\" type=\"string\"/>\n\
          \x20   </attributes>\n\
          \x20   <attributes class=\"edge\" mode=\"dynamic\">\n\
          \x20     <attribute id=\"status\" title=\"status\" type=\"string\"/>\n\
          \x20   </attributes>\n",
    )?;

    let lifetimes = node_lifetimes(ds);
    writeln!(w, "    <nodes count=\"{}\">", ds.actors.len())?;
    for ix in actors_by_id(ds) {
        let a = ds.actor(ix);
        writeln!(w, "      <node id=\"{}\" label=\"{}\">", escape(&a.id), escape(&a.name))?;
        w.write_all(b"        <attvalues>\n")?;
        writeln!(w, "          <attvalue for=\"kind\" value=\"{}\"/>", a.kind)?;
        if let Some(parent) = a.parent {
            writeln!(w, "          <attvalue for=\"parent\" value=\"{}\"/>", escape(&ds.actor(parent).id))?;
        }
        w.write_all(b"        </attvalues>\n")?;
        let spells = &lifetimes[ix.index()];
        if !spells.is_empty() {
            w.write_all(b"        <spells>\n")?;
            for &(from, until) in spells {
                writeln!(w, "          <spell{}/>", Bounds(from, until))?;
            }
            w.write_all(b"        </spells>\n")?;
        }
        w.write_all(b"      </node>\n")?;
    }
    w.write_all(b"    </nodes>\n")?;

    writeln!(w, "    <edges count=\"{}\">", ds.relations.len())?;
    for r in &ds.relations {
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        write!(
            w,
            "      <edge id=\"{}\" source=\"{}\" target=\"{}\" label=\"{kind}\" kind=\"{kind}\"",
            escape(&r.id.key()),
            escape(&ds.actor(r.source).id),
            escape(&ds.actor(r.target).id),
            kind = r.kind,
        )?;
        if !r.directed {
            w.write_all(b" type=\"undirected\"")?;
        }
        writeln!(w, "{}>", Bounds(r.span.possible_from, r.span.possible_until))?;
        w.write_all(b"        <attvalues>\n")?;
        writeln!(w, "          <attvalue for=\"evidence\" value=\"{}\"/>", escape(&evidence.join(";")))?;
        writeln!(w, "          <attvalue for=\"summary\" value=\"{}\"/>", escape(r.summary()))?;
        if let Some(c) = r.claimant() {
            writeln!(w, "          <attvalue for=\"claimant\" value=\"{}\"/>", escape(&ds.actor(c).id))?;
        }
        if let Some(c) = r.credibility {
            writeln!(w, "          <attvalue for=\"credibility\" value=\"{c}\"/>")?;
        }
        writeln!(w, "          <attvalue for=\"grade\" value=\"{}\"/>", ds.grade_of(r))?;
        for (from, until, status) in status_periods(&r.span) {
            writeln!(w, "          <attvalue for=\"status\" value=\"{status}\"{}/>", Bounds(from, until))?;
        }
        w.write_all(b"        </attvalues>\n      </edge>\n")?;
    }
    w.write_all(b"    </edges>\n  </graph>\n</gexf>\n")?;
    w.flush()
}

/// The actors in id order.
pub(crate) fn actors_by_id(ds: &Dataset) -> Vec<ActorIx> {
    let mut order: Vec<ActorIx> = (0..ds.actors.len()).map(|i| ActorIx(i as u32)).collect();
    order.sort_unstable_by_key(|&ix| ds.rank(ix));
    order
}

/// ` start="…"` and, unless open-ended, ` end="…"`: a half-open interval `[from, until)`
/// written as GEXF's inclusive bounds.
struct Bounds(Day, Day);

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, " start=\"{}\"", self.0)?;
        if let Some(last) = last_day(self.1) {
            write!(f, " end=\"{last}\"")?;
        }
        Ok(())
    }
}

/// The last day of a half-open interval that ends (exclusively) at `until`; `None` when it is
/// open-ended.
pub fn last_day(until: Day) -> Option<Day> {
    if until == OPEN_END {
        None
    } else {
        until.yesterday().ok()
    }
}

/// The half-open periods `[from, until)` over which a relation's status is constant, in
/// order, covering exactly its possible interval: a partial start gives a leading
/// `possible` period, a partial end a trailing one, and a relation whose start and end
/// leave no certain day is `possible` throughout.
pub fn status_periods(span: &Span) -> Vec<(Day, Day, Status)> {
    let (from, until) = (span.possible_from, span.possible_until);
    let mut cuts: Vec<Day> = [from, span.active_from, span.active_until, until]
        .into_iter()
        .map(|d| d.clamp(from, until))
        .collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut periods: Vec<(Day, Day, Status)> = Vec::with_capacity(3);
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Bounds are the only days on which the status changes, so it holds over [a, b).
        let Some(status) = span.status_on(a) else { continue };
        match periods.last_mut() {
            Some(last) if last.1 == a && last.2 == status => last.1 = b,
            _ => periods.push((a, b, status)),
        }
    }
    periods
}

/// Each actor's lifetime: the union of its relations' possible intervals, merged where they
/// overlap or touch, in order. Indexed by actor.
fn node_lifetimes(ds: &Dataset) -> Vec<Vec<(Day, Day)>> {
    let mut spans: Vec<Vec<(Day, Day)>> = vec![Vec::new(); ds.actors.len()];
    for r in &ds.relations {
        let interval = (r.span.possible_from, r.span.possible_until);
        spans[r.source.index()].push(interval);
        if r.target != r.source {
            spans[r.target.index()].push(interval);
        }
    }
    for list in &mut spans {
        list.sort_unstable();
        let mut merged: Vec<(Day, Day)> = Vec::with_capacity(list.len());
        for &(from, until) in list.iter() {
            match merged.last_mut() {
                Some(last) if from <= last.1 => last.1 = last.1.max(until),
                _ => merged.push((from, until)),
            }
        }
        *list = merged;
    }
    spans
}

/// Escapes text for an XML 1.0 attribute value or element content.
///
/// `&`, `<`, `>`, `"` and `'` become entities; tab, line feed and carriage return become
/// character references, so that they survive attribute-value normalisation; characters
/// that XML 1.0 forbids (C0 controls other than those three, U+FFFE and U+FFFF) cannot be
/// written at all, not even as references, and are replaced with U+FFFD (�).
pub fn escape(text: &str) -> Cow<'_, str> {
    let needs =
        |c: char| matches!(c, '&' | '<' | '>' | '"' | '\'' | '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}');
    if !text.chars().any(needs) {
        return Cow::Borrowed(text);
    }
    let mut escaped = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\t' => escaped.push_str("&#9;"),
            '\n' => escaped.push_str("&#10;"),
            '\r' => escaped.push_str("&#13;"),
            '\u{0}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => escaped.push('\u{FFFD}'),
            c => escaped.push(c),
        }
    }
    Cow::Owned(escaped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::testing::{p, span};
    use crate::model::{Actor, ActorKind, Notes, Relation, RelationId, RelationKind};
    use jiff::civil::date;

    #[test]
    fn escape_handles_markup_quotes_whitespace_and_forbidden_characters() {
        assert_eq!(escape("plain Bogotá 🌍"), "plain Bogotá 🌍");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
        assert_eq!(escape("a & b < c > d \"e\" 'f'"), "a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;");
        assert_eq!(escape("t\tn\nr\r"), "t&#9;n&#10;r&#13;");
        assert_eq!(escape("nul\0 bell\u{7} vt\u{b} esc\u{1b} \u{fffe}\u{ffff}"), "nul� bell� vt� esc� ��");
        assert_eq!(escape("&amp;"), "&amp;amp;", "escaping is not idempotent, and must not be");
        // Allowed although discouraged: DEL and C1 controls are kept.
        assert_eq!(escape("\u{7f}\u{85}"), "\u{7f}\u{85}");
    }

    #[test]
    fn last_day_is_the_day_before_an_exclusive_end_and_none_when_open() {
        assert_eq!(last_day(date(2025, 11, 13)), Some(date(2025, 11, 12)));
        assert_eq!(last_day(date(2020, 3, 1)), Some(date(2020, 2, 29)));
        assert_eq!(last_day(OPEN_END), None);
    }

    #[test]
    fn status_periods_of_each_shape() {
        use Status::{Active, Possible};
        assert_eq!(
            status_periods(&span("2025-11-11", Some("2025-11-13"))),
            [(date(2025, 11, 11), date(2025, 11, 13), Active)]
        );
        assert_eq!(
            status_periods(&span("2019-11", None)),
            [(date(2019, 11, 1), date(2019, 12, 1), Possible), (date(2019, 12, 1), OPEN_END, Active)]
        );
        assert_eq!(
            status_periods(&span("2014", Some("2016"))),
            [
                (date(2014, 1, 1), date(2015, 1, 1), Possible),
                (date(2015, 1, 1), date(2016, 1, 1), Active),
                (date(2016, 1, 1), date(2017, 1, 1), Possible),
            ]
        );
        // No certain day: possible throughout, as one period.
        assert_eq!(
            status_periods(&span("2019-11", Some("2019-11"))),
            [(date(2019, 11, 1), date(2019, 12, 1), Possible)]
        );
        assert_eq!(
            status_periods(&span("2019-11-15", Some("2019-11"))),
            [(date(2019, 11, 15), date(2019, 12, 1), Possible)]
        );
        // Start and end in consecutive months: possible, then possible again, merged.
        assert_eq!(
            status_periods(&span("2019-11", Some("2019-12"))),
            [(date(2019, 11, 1), date(2020, 1, 1), Possible)]
        );
    }

    #[test]
    fn status_periods_cover_the_possible_interval_day_by_day() {
        for (start, end) in [
            ("2019", None),
            ("2019-02", Some("2019-03")),
            ("2019-02-10", Some("2019-03")),
            ("2019-02", Some("2019-02-20")),
            ("2019", Some("2019-06")),
            ("2019-06", Some("2020")),
        ] {
            let s = span(start, end);
            let periods = status_periods(&s);
            assert_eq!(periods.first().map(|p| p.0), Some(s.possible_from));
            assert_eq!(periods.last().map(|p| p.1), Some(s.possible_until));
            for (from, until, status) in periods {
                let mut day = from;
                while day < until.min(date(2021, 1, 1)) {
                    assert_eq!(s.status_on(day), Some(status), "{start} {end:?} on {day}");
                    day = day.tomorrow().unwrap();
                }
            }
        }
    }

    fn tiny() -> Dataset {
        let actor = |id: &str, name: &str, parent: Option<u32>| Actor {
            id: id.into(),
            name: name.into(),
            kind: ActorKind::Country,
            parent: parent.map(ActorIx),
            aliases: Box::new([]),
        };
        let relation = |id: RelationId, s: u32, t: u32, start: &str, end: Option<&str>, directed: bool| {
            let (start, end) = (p(start), end.map(p));
            Relation {
                id,
                source: ActorIx(s),
                target: ActorIx(t),
                kind: RelationKind::Cooperation,
                directed,
                start,
                end,
                span: Span::new(start, end).unwrap(),
                notes: Notes::new(Vec::new(), "a \"quoted\" <summary> & more\nline".into()),
                credibility: None,
            }
        };
        Dataset::new(
            vec![actor("Z", "Zed & Co", None), actor("A", "Ay", Some(0)), actor("M", "Em", None)],
            Vec::new(),
            vec![
                relation(RelationId::Named("r1".into()), 0, 1, "2019-11", Some("2020-01-01"), false),
                relation(RelationId::Line(7), 1, 0, "2019-12-31", Some("2021"), true),
                relation(RelationId::Named("r3".into()), 0, 1, "2023", None, true),
            ],
        )
    }

    fn written(ds: &Dataset) -> String {
        let mut out = Vec::new();
        write(ds, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn nodes_in_id_order_with_merged_spells_and_edges_with_inclusive_bounds() {
        let text = written(&tiny());
        let node_ids: Vec<&str> =
            text.lines().filter_map(|l| l.trim().strip_prefix("<node id=\"")?.split('"').next()).collect();
        assert_eq!(node_ids, ["A", "M", "Z"]);
        // Z and A: [2019-11-01, 2020-01-01) ∪ [2019-12-31, 2022-01-01) ∪ [2023-01-01, open).
        assert!(text.contains(
            "<spells>\n          <spell start=\"2019-11-01\" end=\"2021-12-31\"/>\n          \
             <spell start=\"2023-01-01\"/>\n        </spells>"
        ));
        assert!(
            text.contains(
                "<node id=\"M\" label=\"Em\">\n        <attvalues>\n          \
                 <attvalue for=\"kind\" value=\"country\"/>\n        </attvalues>\n      </node>"
            ),
            "an actor without relations has no spells"
        );
        assert!(text.contains(
            "<edge id=\"r1\" source=\"Z\" target=\"A\" label=\"cooperation\" kind=\"cooperation\" \
             type=\"undirected\" start=\"2019-11-01\" end=\"2019-12-31\">"
        ));
        assert!(text.contains(
            "<attvalue for=\"status\" value=\"possible\" start=\"2019-11-01\" end=\"2019-11-30\"/>"
        ));
        assert!(text
            .contains("<attvalue for=\"status\" value=\"active\" start=\"2019-12-01\" end=\"2019-12-31\"/>"));
        assert!(text.contains("<edge id=\"7\" source=\"A\" target=\"Z\" label=\"cooperation\" kind=\"cooperation\" start=\"2019-12-31\" end=\"2021-12-31\">"));
        assert!(text.contains("<edge id=\"r3\" source=\"Z\" target=\"A\" label=\"cooperation\" kind=\"cooperation\" start=\"2023-01-01\">"));
        assert!(text.contains("<attvalue for=\"status\" value=\"active\" start=\"2024-01-01\"/>"));
        assert!(text.contains("label=\"Zed &amp; Co\""));
        assert!(text.contains("value=\"a &quot;quoted&quot; &lt;summary&gt; &amp; more&#10;line\""));
        assert!(text.contains("<attvalue for=\"parent\" value=\"Z\"/>"));
        assert!(text.ends_with("</gexf>\n"));
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(written(&tiny()), written(&tiny()));
    }

    #[test]
    fn an_empty_dataset_is_an_empty_graph() {
        let text = written(&Dataset::new(Vec::new(), Vec::new(), Vec::new()));
        assert!(text.contains("<nodes count=\"0\">\n    </nodes>"));
        assert!(text.contains("<edges count=\"0\">\n    </edges>"));
    }
}
