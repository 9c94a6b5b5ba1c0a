//! A timeline as a dossier to paste into a report: Markdown ([`markdown`]) or one
//! self-contained HTML page ([`html`]). Both say the same things, decided once in
//! [`Dossier::of`]: a heading naming the actors and the dates the record spans, a pair's
//! state periods, then each dated entry (kind, direction, claimant, grade) with numbered
//! footnotes citing each source once ([`crate::export::cite`]). The writers only mark it up
//! and escape the data for their language.

use std::io::{self, Write};

use crate::export::text::count;
use crate::export::{arrow, cite, html_escape as esc};
use crate::model::{ActorIx, Dataset, RelationIx, SourceIx};
use crate::query::history::{self, Entry, Event, History, Reach, Role};

/// What a dossier says, before markup.
#[derive(Debug, Clone)]
pub struct Dossier {
    /// `Colombia and United States`: names, not ids.
    pub title: String,
    /// `Dated 2000 to 2025-12-01: 6 entries, 6 relations`, and what the grade filter left
    /// out.
    pub summary: String,
    /// A pair's state periods (empty for one actor).
    pub periods: Vec<PeriodLine>,
    pub entries: Vec<EntryLine>,
    /// The sources cited, numbered from 1 in this order, each as its full citation's parts
    /// made plain ([`cite::parts`]), with its link apart.
    pub sources: Vec<Note>,
}

#[derive(Debug, Clone)]
pub struct PeriodLine {
    pub from: String,
    /// Exclusive; `open` when still going on.
    pub until: String,
    /// `contested+disputed`, with `(possible)` when it rests on possible relations.
    pub state: String,
    /// Relation ids.
    pub relations: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct EntryLine {
    pub date: String,
    /// `start` or `end`.
    pub event: &'static str,
    /// A claim the subject made about others (one actor's record), not its own relation.
    pub claim: bool,
    pub kind: String,
    /// `Colombia → United States`, `↔` for a mutual relation, by name.
    pub ends: String,
    pub relation: String,
    /// `2025-11-11 → open`.
    pub span: String,
    pub grade: String,
    pub claimant: Option<String>,
    /// `via National Intelligence Directorate and Central Intelligence Agency`, `inside
    /// United States`, or nothing.
    pub through: Option<String>,
    /// The relation's summary, on its start only.
    pub summary: Option<String>,
    /// Footnote numbers of its first [`cite::TEXT_SOURCES`] sources, in its evidence's order.
    pub notes: Vec<usize>,
    /// `and 3 more sources (relation R1 in sources.csv)` when it rests on more: an imported
    /// relation can rest on thousands of events, which a report does not footnote one by one.
    pub more: Option<String>,
}

/// A footnote.
#[derive(Debug, Clone)]
pub struct Note {
    pub source: SourceIx,
    /// The citation without its link.
    pub text: String,
    pub url: Option<String>,
}

fn name(ds: &Dataset, a: ActorIx) -> String {
    ds.actor(a).name.to_string()
}

impl Dossier {
    /// The dossier of a `history` and, for one actor, the `claims` it made.
    pub fn of(ds: &Dataset, history: &History, claims: &[Entry]) -> Dossier {
        let mut title = match history.other {
            Some(o) => format!("{} and {}", name(ds, history.actor), name(ds, o)),
            None => name(ds, history.actor),
        };
        if history.reach == Reach::Exact {
            title.push_str(" (the actors themselves only)");
        }
        let merged = history::merged(ds, history, claims);
        let starts = |es: &[Entry]| es.iter().filter(|e| e.event == Event::Start).count();
        let mut summary = match (merged.first(), merged.last()) {
            (Some((first, _)), Some((last, _))) if first.date == last.date => {
                format!("Dated {}: ", first.date)
            }
            (Some((first, _)), Some((last, _))) => format!("Dated {} to {}: ", first.date, last.date),
            _ => "No dated entry: ".to_string(),
        };
        summary.push_str(&format!(
            "{}, {}",
            count(merged.len(), "entry", "entries"),
            count(starts(&history.entries), "relation", "relations"),
        ));
        let claimed = starts(claims);
        if claimed > 0 {
            summary.push_str(&format!(", {} made", count(claimed, "claim", "claims")));
        }
        summary.push_str(&history::left_out_note(ds, history));

        let mut footnotes = cite::Footnotes::default();
        let entries = merged.iter().map(|&(e, role)| entry(ds, history, e, role, &mut footnotes)).collect();
        let periods = if history.other.is_some() {
            history
                .periods
                .iter()
                .map(|p| PeriodLine {
                    from: p.from.to_string(),
                    until: p.until.map_or_else(|| "open".to_string(), |d| d.to_string()),
                    state: format!("{}{}", p.state.label(), if p.certain { "" } else { " (possible)" }),
                    relations: p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect(),
                })
                .collect()
        } else {
            Vec::new()
        };
        let sources = footnotes
            .sources()
            .iter()
            .map(|&s| {
                let parts = cite::parts(ds.source(s));
                let text = parts
                    .iter()
                    .filter(|p| !matches!(p, cite::Part::Url(_)))
                    .map(cite::Part::plain)
                    .collect::<Vec<_>>()
                    .join(", ");
                let url = parts.iter().find_map(|p| match p {
                    cite::Part::Url(u) => Some(u.to_string()),
                    _ => None,
                });
                Note { source: s, text, url }
            })
            .collect();
        Dossier { title, summary, periods, entries, sources }
    }
}

fn entry(ds: &Dataset, history: &History, e: Entry, role: Role, notes: &mut cite::Footnotes) -> EntryLine {
    let rel = ds.relation(e.relation);
    let via: Vec<String> = match role {
        Role::Party => e.via(history).into_iter().map(|a| name(ds, a)).collect(),
        Role::Claimant => Vec::new(),
    };
    let through = if e.inside {
        Some(format!("inside {}", name(ds, history.actor)))
    } else if via.is_empty() {
        None
    } else {
        Some(format!("via {}", via.join(" and ")))
    };
    EntryLine {
        date: e.date.to_string(),
        event: e.event.as_str(),
        claim: role == Role::Claimant,
        kind: rel.kind.to_string(),
        ends: format!("{} {} {}", name(ds, rel.source), arrow(rel.directed), name(ds, rel.target)),
        relation: rel.id.to_string(),
        span: span(ds, e.relation),
        grade: ds.grade(e.relation).to_string(),
        claimant: rel.claimant().map(|c| name(ds, c)),
        through,
        summary: (e.event == Event::Start && !rel.summary().is_empty()).then(|| rel.summary().to_string()),
        notes: rel.evidence().iter().take(cite::TEXT_SOURCES).map(|&s| notes.cite(s)).collect(),
        more: (rel.evidence().len() > cite::TEXT_SOURCES).then(|| {
            let more = rel.evidence().len() - cite::TEXT_SOURCES;
            format!(
                "and {more} more {} (relation {} in sources.csv)",
                if more == 1 { "source" } else { "sources" },
                rel.id
            )
        }),
    }
}

fn span(ds: &Dataset, r: RelationIx) -> String {
    let rel = ds.relation(r);
    format!("{} → {}", rel.start, rel.end.map_or_else(|| "open".to_string(), |d| d.to_string()))
}

/// `text` with what Markdown would read as markup escaped, and line breaks made spaces, so
/// that data can neither format nor break the document (a `*` in a title stays a `*`).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_debug()),
            c => out.push(c),
        }
    }
    // Text that begins with a list marker (`-`, `+`, `1.`, `1)`) would start a list when it
    // begins a line, and `=` under an entry's line (a summary of `===`) would make that
    // entry a heading: the marker is escaped.
    let at = out.len() - out.trim_start().len();
    let digits = out[at..].bytes().take_while(u8::is_ascii_digit).count();
    let marker = match out.as_bytes()[at..].get(digits) {
        Some(b'-' | b'+' | b'=') if digits == 0 => Some(at),
        Some(b'.' | b')') if digits > 0 => Some(at + digits),
        _ => None,
    };
    if let Some(i) = marker {
        out.insert(i, '\\');
    }
    out
}

/// `text` as a Markdown code span, or escaped text when a backtick or a line break would
/// end or break the span (inside one, backslashes escape nothing).
fn md_code(text: &str) -> String {
    if text.contains(['`', '\n', '\r']) || text.chars().any(char::is_control) {
        md(text)
    } else {
        format!("`{text}`")
    }
}

/// A link worth making one: http or https, with nothing that would end it early.
fn linkable(url: &str) -> bool {
    (url.starts_with("https://") || url.starts_with("http://"))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"'))
}

/// The dossier in Markdown (CommonMark, with GitHub's `[^n]` footnotes).
///
/// # Errors
/// When `out` fails.
pub fn markdown(d: &Dossier, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "# Timeline: {}\n", md(&d.title))?;
    writeln!(out, "{}\n", md(&d.summary))?;
    if !d.periods.is_empty() {
        writeln!(out, "## State of the pair\n")?;
        writeln!(out, "Each period runs from its first day until, not including, the next.\n")?;
        writeln!(out, "| From | Until | State | Relations |")?;
        writeln!(out, "|---|---|---|---|")?;
        for p in &d.periods {
            let relations: Vec<String> = p.relations.iter().map(|r| md(r)).collect();
            writeln!(out, "| {} | {} | {} | {} |", p.from, p.until, md(&p.state), relations.join(", "))?;
        }
        writeln!(out)?;
    }
    writeln!(out, "## Entries\n")?;
    for e in &d.entries {
        let mut notes: String = e.notes.iter().map(|n| format!("[^{n}]")).collect();
        if let Some(more) = &e.more {
            // The relation's id as code, as on the entry's line.
            notes.push_str(&format!(" {}", md(more).replacen(&md(&e.relation), &md_code(&e.relation), 1)));
        }
        let claim = if e.claim { "its claim: " } else { "" };
        let mut line = format!(
            "- **{}** {} of {claim}{} {} ({}, {}), grade {}",
            md(&e.date),
            e.event,
            md(&e.kind),
            md(&e.ends),
            md_code(&e.relation),
            md(&e.span),
            md(&e.grade),
        );
        if let Some(c) = &e.claimant {
            line.push_str(&format!(", claimed by {}", md(c)));
        }
        if let Some(t) = &e.through {
            line.push_str(&format!(", {}", md(t)));
        }
        writeln!(out, "{line}{notes}")?;
        if let Some(s) = &e.summary {
            writeln!(out, "  {}", md(s))?;
        }
    }
    if !d.sources.is_empty() {
        writeln!(out, "\n## Sources\n")?;
        for (i, n) in d.sources.iter().enumerate() {
            let link = match &n.url {
                Some(url) if linkable(url) => format!(", <{url}>"),
                Some(url) => format!(", {}", md(url)),
                None => String::new(),
            };
            writeln!(out, "[^{}]: {}{link}", i + 1, md(&n.text))?;
        }
    }
    Ok(())
}

/// Styles of the page, inline so that it needs nothing else (and no network).
const STYLE: &str = "body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60em;\
margin:2em auto;padding:0 1em;color:#222}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\
.summary{color:#555}table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;\
padding:.25em .6em;text-align:left;vertical-align:top}td:nth-child(-n+2){white-space:nowrap}th{background:#f3f3f3}\
.contested{background:#fde8e8}ol.entries{list-style:none;padding-left:0}ol.entries li{margin:.6em 0}\
.date{font-weight:bold;font-variant-numeric:tabular-nums}.kind-cooperation{color:#1a7f37}\
.kind-restriction{color:#c62828}.kind-dispute{color:#b35c00}.kind-membership{color:#1f5fbf}\
.meta{color:#555}.summary-text{margin:.2em 0 0 1.5em}sup a{text-decoration:none}\
ol.sources li{margin:.3em 0}code{font-size:.9em}";

/// The dossier as one HTML page: inline styles, no script, nothing fetched.
///
/// # Errors
/// When `out` fails.
pub fn html(d: &Dossier, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>")?;
    writeln!(out, "<title>Timeline: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>", esc(&d.title))?;
    writeln!(out, "<h1>Timeline: {}</h1>\n<p class=\"summary\">{}</p>", esc(&d.title), esc(&d.summary))?;
    if !d.periods.is_empty() {
        writeln!(
            out,
            "<h2>State of the pair</h2>\n<p>Each period runs from its first day until, not including, the next.</p>"
        )?;
        writeln!(out, "<table>\n<tr><th>From</th><th>Until</th><th>State</th><th>Relations</th></tr>")?;
        for p in &d.periods {
            let class = if p.state.starts_with("contested") { " class=\"contested\"" } else { "" };
            let relations: Vec<String> =
                p.relations.iter().map(|r| format!("<code>{}</code>", esc(r))).collect();
            writeln!(
                out,
                "<tr{class}><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&p.from),
                esc(&p.until),
                esc(&p.state),
                relations.join(", ")
            )?;
        }
        writeln!(out, "</table>")?;
    }
    writeln!(out, "<h2>Entries</h2>\n<ol class=\"entries\">")?;
    for e in &d.entries {
        // One superscript, the numbers apart: two side by side would read as one (1 2, not 12).
        let links: Vec<String> = e.notes.iter().map(|n| format!("<a href=\"#source-{n}\">{n}</a>")).collect();
        let mut notes =
            if links.is_empty() { String::new() } else { format!("<sup>{}</sup>", links.join(",")) };
        if let Some(more) = &e.more {
            notes.push_str(&format!(" <span class=\"meta\">{}</span>", esc(more)));
        }
        let claim = if e.claim { "its claim: " } else { "" };
        let mut meta =
            format!("<code>{}</code>, {}, grade {}", esc(&e.relation), esc(&e.span), esc(&e.grade));
        if let Some(c) = &e.claimant {
            meta.push_str(&format!(", claimed by {}", esc(c)));
        }
        if let Some(t) = &e.through {
            meta.push_str(&format!(", {}", esc(t)));
        }
        write!(
            out,
            "<li><span class=\"date\">{}</span> {} of {claim}<span class=\"kind-{}\">{}</span> {} <span class=\"meta\">({meta})</span>{notes}",
            esc(&e.date),
            e.event,
            esc(&e.kind),
            esc(&e.kind),
            esc(&e.ends),
        )?;
        if let Some(s) = &e.summary {
            write!(out, "<p class=\"summary-text\">{}</p>", esc(s))?;
        }
        writeln!(out, "</li>")?;
    }
    writeln!(out, "</ol>")?;
    if !d.sources.is_empty() {
        writeln!(out, "<h2>Sources</h2>\n<ol class=\"sources\">")?;
        for (i, n) in d.sources.iter().enumerate() {
            let link = match &n.url {
                Some(url) if linkable(url) => format!(", <a href=\"{0}\">{0}</a>", esc(url)),
                Some(url) => format!(", {}", esc(url)),
                None => String::new(),
            };
            writeln!(out, "<li id=\"source-{}\">{}{link}</li>", i + 1, esc(&n.text))?;
        }
        writeln!(out, "</ol>")?;
    }
    writeln!(out, "</body>\n</html>")
}

#[cfg(test)]
mod tests {
    use super::{esc, linkable, md};

    #[test]
    fn markdown_escapes_markup_and_line_breaks() {
        assert_eq!(md("a *b* [c](d) <e> | f\ng"), "a \\*b\\* \\[c\\](d) \\<e\\> \\| f g");
        assert_eq!(md("- not a list"), "\\- not a list");
        assert_eq!(md("1. not a list"), "1\\. not a list");
        assert_eq!(md("Côte d'Ivoire 2025-11"), "Côte d'Ivoire 2025-11");
    }

    #[test]
    fn html_escapes_text_and_attributes() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    }

    #[test]
    // Regression: a summary of `=` signs, on the line under its entry, made the entry a
    // heading (a setext underline).
    fn a_line_of_equals_signs_is_escaped() {
        assert_eq!(md("==="), "\\===");
        assert_eq!(md("= sign"), "\\= sign");
        assert_eq!(md("a = b"), "a = b");
    }

    #[test]
    fn only_plain_web_links_are_made_links() {
        assert!(linkable("https://nltimes.nl/2025/10/18/a"));
        assert!(!linkable("javascript:alert(1)"));
        assert!(!linkable("https://x.org/a b"));
        assert!(!linkable("https://x.org/\"onmouseover=\"x"));
    }
}
