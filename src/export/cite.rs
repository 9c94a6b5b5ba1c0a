//! How georel cites a source, defined once: a short citation for text lines
//! (`LA Report, 2025-11-12 (C)`: who, when, and the source's reliability) and a full one for
//! footnotes (`"Title", LA Report, 2025-11-12, reliability C (fairly reliable),
//! https://…`). Every output meant for people cites with these; the data formats (CSV,
//! JSON) keep source ids, which scripts join on. Escaping is the writer's business: the
//! dossier writers take the [`parts`] and mark each up in their own language.

use crate::model::{Dataset, Reliability, Source, SourceIx};

/// The longest title a short citation quotes when a source has no publisher, in characters.
const SHORT_TITLE: usize = 40;

/// What a NATO Admiralty reliability grade means, as its scale words it.
pub fn meaning(reliability: Reliability) -> &'static str {
    match reliability {
        Reliability::A => "completely reliable",
        Reliability::B => "usually reliable",
        Reliability::C => "fairly reliable",
        Reliability::D => "not usually reliable",
        Reliability::E => "unreliable",
        Reliability::F => "reliability cannot be judged",
    }
}

/// The grade a citation gives: the letter, or `ungraded`.
fn grade(source: &Source) -> &'static str {
    source.reliability.map_or("ungraded", Reliability::as_str)
}

/// `Publisher, date (grade)`: the publisher, or when there is none the title (cut to 40
/// characters), or the id when nothing else is known (no sources.csv); the date when there
/// is one; the reliability letter, or `ungraded`.
pub fn short(source: &Source) -> String {
    let who = if !source.publisher.is_empty() {
        source.publisher.to_string()
    } else if !source.title.is_empty() {
        shortened(&source.title, SHORT_TITLE)
    } else {
        source.id.to_string()
    };
    match source.published {
        Some(date) => format!("{who}, {date} ({})", grade(source)),
        None => format!("{who} ({})", grade(source)),
    }
}

/// The short citations of `sources`, joined with `; ` (citations hold commas). Two sources
/// that would read the same (two GDELT events of one day) are told apart by their ids
/// (`GDELT, 2019-10-24 (ungraded) [gdelt:881992398]`).
pub fn shorts(ds: &Dataset, sources: impl IntoIterator<Item = SourceIx>) -> String {
    let sources: Vec<&Source> = sources.into_iter().map(|s| ds.source(s)).collect();
    let cited: Vec<String> = sources.iter().map(|s| short(s)).collect();
    // Each text with the first id that gave it, and whether another id gave it too: one pass,
    // as an imported relation may cite a hundred thousand events (comparing each citation
    // with every other took seconds at 30,000).
    let mut ids: std::collections::HashMap<&str, (&str, bool)> = std::collections::HashMap::new();
    for (text, source) in cited.iter().zip(&sources) {
        let seen = ids.entry(text.as_str()).or_insert((&*source.id, false));
        seen.1 |= seen.0 != &*source.id;
    }
    let told_apart = |(text, source): (&String, &&Source)| {
        if ids[text.as_str()].1 {
            format!("{text} [{}]", source.id)
        } else {
            text.clone()
        }
    };
    cited.iter().zip(&sources).map(told_apart).collect::<Vec<_>>().join("; ")
}

/// The most sources a text line cites; the rest are counted ("and 12 more"). A relation or
/// a merged edge can rest on thousands of events: their ids are in the CSV and JSON outputs.
pub const TEXT_SOURCES: usize = 5;

/// [`shorts`] of the first `max` of `sources`, then `; and N more` for the others.
pub fn shorts_at_most(ds: &Dataset, sources: &[SourceIx], max: usize) -> String {
    if sources.len() <= max {
        return shorts(ds, sources.iter().copied());
    }
    format!("{}; and {} more", shorts(ds, sources[..max].iter().copied()), sources.len() - max)
}

/// `text` cut to at most `max` characters, ending with `…` when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// One piece of a full citation, in the order [`parts`] gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part<'a> {
    /// The title, quoted; the source's id when it has no title.
    Title(&'a str),
    Publisher(&'a str),
    Published(crate::date::PartialDate),
    /// `reliability B (usually reliable)`, or `ungraded`.
    Reliability(Option<Reliability>),
    /// The link, as given.
    Url(&'a str),
}

impl Part<'_> {
    /// The piece as plain text.
    pub fn plain(&self) -> String {
        match *self {
            Part::Title(title) => format!("\u{201c}{title}\u{201d}"),
            Part::Publisher(publisher) => publisher.to_string(),
            Part::Published(date) => date.to_string(),
            Part::Reliability(Some(r)) => format!("reliability {r} ({})", meaning(r)),
            Part::Reliability(None) => "ungraded".to_string(),
            Part::Url(url) => url.to_string(),
        }
    }
}

/// The pieces of a full citation: title, publisher, date, reliability, link, leaving out
/// what the source does not give (but the reliability, which says `ungraded`).
pub fn parts(source: &Source) -> Vec<Part<'_>> {
    let title = if source.title.is_empty() { &source.id } else { &source.title };
    let mut parts = vec![Part::Title(title)];
    if !source.publisher.is_empty() {
        parts.push(Part::Publisher(&source.publisher));
    }
    if let Some(date) = source.published {
        parts.push(Part::Published(date));
    }
    parts.push(Part::Reliability(source.reliability));
    if !source.url.is_empty() {
        parts.push(Part::Url(&source.url));
    }
    parts
}

/// The full citation as plain text: the [`parts`] joined with `, `.
pub fn full(source: &Source) -> String {
    parts(source).iter().map(Part::plain).collect::<Vec<_>>().join(", ")
}

/// Numbers sources in the order they are first cited, each once: the footnotes of a dossier.
/// O(1) a citation (an imported record may cite a hundred thousand sources).
#[derive(Debug, Default, Clone)]
pub struct Footnotes {
    cited: Vec<SourceIx>,
    numbers: std::collections::HashMap<SourceIx, usize>,
}

impl Footnotes {
    /// The number (from 1) of `source`, numbering it when it is cited for the first time.
    pub fn cite(&mut self, source: SourceIx) -> usize {
        *self.numbers.entry(source).or_insert_with(|| {
            self.cited.push(source);
            self.cited.len()
        })
    }

    /// The sources cited, in the order of their numbers.
    pub fn sources(&self) -> &[SourceIx] {
        &self.cited
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::PartialDate;

    fn source(
        title: &str,
        publisher: &str,
        published: Option<&str>,
        url: &str,
        r: Option<Reliability>,
    ) -> Source {
        Source {
            id: "SRC-1".into(),
            title: title.into(),
            publisher: publisher.into(),
            published: published.map(|d| PartialDate::parse(d).unwrap()),
            url: url.into(),
            reliability: r,
        }
    }

    #[test]
    fn short_citations_name_who_when_and_the_grade() {
        let s = source("Colombia suspends", "LA Report", Some("2025-11-12"), "", Some(Reliability::C));
        assert_eq!(short(&s), "LA Report, 2025-11-12 (C)");
        let s = source("A title that goes on and on and on and on and on", "", Some("2000"), "", None);
        assert_eq!(short(&s), "A title that goes on and on and on and…, 2000 (ungraded)");
        // Without sources.csv, only the id is known.
        assert_eq!(short(&source("", "", None, "", None)), "SRC-1 (ungraded)");
    }

    #[test]
    fn sources_that_would_read_the_same_are_told_apart_by_their_ids() {
        let mut sources = Vec::new();
        for id in ["gdelt:1", "gdelt:2", "OTHER"] {
            let mut s = source("", "GDELT", Some("2019-10-24"), "", None);
            s.id = id.into();
            if id == "OTHER" {
                s.publisher = "Reuters".into();
            }
            sources.push(s);
        }
        let ds = Dataset::new(Vec::new(), sources, Vec::new());
        assert_eq!(
            shorts(&ds, [SourceIx(0), SourceIx(1), SourceIx(2)]),
            "GDELT, 2019-10-24 (ungraded) [gdelt:1]; GDELT, 2019-10-24 (ungraded) [gdelt:2]; Reuters, 2019-10-24 (ungraded)"
        );
        assert_eq!(shorts(&ds, [SourceIx(0)]), "GDELT, 2019-10-24 (ungraded)");
    }

    /// Regression (issue 17): `path` on an imported dataset printed one 18 MB line citing
    /// every event of a busy relation.
    #[test]
    fn text_cites_a_few_sources_and_counts_the_rest() {
        let sources = (0..8)
            .map(|i| {
                let mut s = source("", "GDELT", Some("2019-10-24"), "", None);
                s.id = format!("gdelt:{i}").into();
                s
            })
            .collect();
        let ds = Dataset::new(Vec::new(), sources, Vec::new());
        let all: Vec<SourceIx> = (0..8).map(SourceIx).collect();
        let text = shorts_at_most(&ds, &all, 2);
        assert_eq!(
            text,
            "GDELT, 2019-10-24 (ungraded) [gdelt:0]; GDELT, 2019-10-24 (ungraded) [gdelt:1]; and 6 more"
        );
        assert_eq!(shorts_at_most(&ds, &all[..2], 2), shorts(&ds, all[..2].iter().copied()));
    }

    proptest::proptest! {
        /// Telling citations apart in one pass gives what its definition says: a citation
        /// gets its id exactly when another source cited (another id) reads the same. Sources
        /// may be cited more than once.
        #[test]
        fn citations_are_told_apart_exactly_when_another_source_reads_the_same(
            publishers in proptest::collection::vec(0usize..3, 1..8),
            cited in proptest::collection::vec(proptest::prelude::any::<proptest::sample::Index>(), 0..12),
        ) {
            let sources: Vec<Source> = publishers
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    let mut s = source("", ["A", "B", "C"][*p], Some("2020"), "", None);
                    s.id = format!("S{i}").into();
                    s
                })
                .collect();
            let n = sources.len();
            let ds = Dataset::new(Vec::new(), sources, Vec::new());
            let ixs: Vec<SourceIx> = cited.iter().map(|i| SourceIx(i.index(n) as u32)).collect();
            let expected: Vec<String> = ixs
                .iter()
                .map(|&i| {
                    let text = short(ds.source(i));
                    let twin = ixs.iter().any(|&j| ds.source(j).id != ds.source(i).id && short(ds.source(j)) == text);
                    if twin { format!("{text} [{}]", ds.source(i).id) } else { text }
                })
                .collect();
            proptest::prop_assert_eq!(shorts(&ds, ixs.iter().copied()), expected.join("; "));
        }
    }

    #[test]
    fn full_citations_give_title_publisher_date_grade_and_link() {
        let s = source("T", "P", Some("2025-11"), "https://x.org/a", Some(Reliability::B));
        assert_eq!(
            full(&s),
            "\u{201c}T\u{201d}, P, 2025-11, reliability B (usually reliable), https://x.org/a"
        );
        assert_eq!(full(&source("", "", None, "", None)), "\u{201c}SRC-1\u{201d}, ungraded");
    }

    #[test]
    fn footnotes_number_each_source_once_in_order_of_citation() {
        let mut notes = Footnotes::default();
        assert_eq!(notes.cite(SourceIx(5)), 1);
        assert_eq!(notes.cite(SourceIx(2)), 2);
        assert_eq!(notes.cite(SourceIx(5)), 1);
        assert_eq!(notes.sources(), &[SourceIx(5), SourceIx(2)]);
    }
}
