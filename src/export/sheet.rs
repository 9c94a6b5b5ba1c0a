//! The whole dated relation list as one CSV sheet for a spreadsheet, joined with the actors'
//! names and kinds and the sources' titles, every cell safe to open.
//!
//! Columns: `id,source,source_name,source_kind,target,target_name,target_kind,kind,start,end,
//! directed,possible_from,active_from,active_until,possible_until,evidence,evidence_titles,
//! summary,claimant,claimant_name,credibility,grade`, one row per relation in dataset order.
//!
//! - `start` and `end` are as written in the dataset, at their own precision; `end` is empty
//!   when open-ended.
//! - `possible_from` … `possible_until` are the days they imply, half-open: the `until` days
//!   are exclusive (the first day on which the relation no longer holds), empty when
//!   open-ended.
//! - `evidence` lists source ids separated by `;`; `evidence_titles` their titles in the same
//!   order separated by ` | `, with the id standing in for a source without a title.
//! - Every cell is neutralised with [`spreadsheet_safe`]: one starting with `=`, `+`, `-`,
//!   `@`, a tab or a carriage return gets a leading `'`.

use std::io::{self, Write};

use crate::date::{Day, OPEN_END};
use crate::export::csv::spreadsheet_safe;
use crate::model::Dataset;

pub const HEADER: [&str; 22] = [
    "id",
    "source",
    "source_name",
    "source_kind",
    "target",
    "target_name",
    "target_kind",
    "kind",
    "start",
    "end",
    "directed",
    "possible_from",
    "active_from",
    "active_until",
    "possible_until",
    "evidence",
    "evidence_titles",
    "summary",
    "claimant",
    "claimant_name",
    "credibility",
    "grade",
];

/// Writes the sheet (see the module docs).
///
/// # Errors
/// When `out` fails.
pub fn write(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = ::csv::WriterBuilder::new().from_writer(out);
    w.write_record(HEADER).map_err(super::csv::io_error)?;
    let day = |d: Day| if d == OPEN_END { String::new() } else { d.to_string() };
    for r in &ds.relations {
        let (source, target) = (ds.actor(r.source), ds.actor(r.target));
        let sources: Vec<_> = r.evidence().iter().map(|s| ds.source(*s)).collect();
        let ids: Vec<&str> = sources.iter().map(|s| &*s.id).collect();
        let titles: Vec<&str> =
            sources.iter().map(|s| if s.title.is_empty() { &*s.id } else { &*s.title }).collect();
        let row = [
            r.id.to_string(),
            source.id.to_string(),
            source.name.to_string(),
            source.kind.to_string(),
            target.id.to_string(),
            target.name.to_string(),
            target.kind.to_string(),
            r.kind.to_string(),
            r.start.to_string(),
            r.end.map(|e| e.to_string()).unwrap_or_default(),
            r.directed.to_string(),
            day(r.span.possible_from),
            day(r.span.active_from),
            day(r.span.active_until),
            day(r.span.possible_until),
            ids.join(";"),
            titles.join(" | "),
            r.summary().to_string(),
            r.claimant().map(|c| ds.actor(c).id.to_string()).unwrap_or_default(),
            r.claimant().map(|c| ds.actor(c).name.to_string()).unwrap_or_default(),
            r.credibility.map(|c| c.to_string()).unwrap_or_default(),
            ds.grade_of(r).to_string(),
        ];
        w.write_record(row.iter().map(|cell| spreadsheet_safe(cell).into_owned()))
            .map_err(super::csv::io_error)?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::date::{PartialDate, Span};
    use crate::model::{
        Actor, ActorIx, ActorKind, Notes, Relation, RelationId, RelationKind, Source, SourceIx,
    };

    #[test]
    fn rows_join_names_and_titles_and_neutralise_formulas() {
        let actor = |id: &str, name: &str| Actor {
            id: id.into(),
            name: name.into(),
            kind: ActorKind::Country,
            parent: None,
            aliases: Box::new([]),
        };
        let source = |id: &str, title: &str| Source {
            id: id.into(),
            title: title.into(),
            publisher: "".into(),
            published: None,
            url: "".into(),
            reliability: None,
        };
        let start = PartialDate::parse("2025-10").unwrap();
        let ds = Dataset::new(
            vec![actor("=A", "+Plus"), actor("B", "Bee, Inc.")],
            vec![source("S1", "@mention"), source("S2", "")],
            vec![Relation {
                id: RelationId::Named("-R".into()),
                source: ActorIx(0),
                target: ActorIx(1),
                kind: RelationKind::Dispute,
                directed: false,
                start,
                end: None,
                span: Span::new(start, None).unwrap(),
                notes: Notes::new([SourceIx(0), SourceIx(1)], "=cmd|' /C calc'!A0".into()),
                credibility: None,
            }],
        );
        let mut out = Vec::new();
        write(&ds, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER.join(","));
        assert_eq!(
            lines[1],
            "'-R,'=A,'+Plus,country,B,\"Bee, Inc.\",country,dispute,2025-10,,false,2025-10-01,2025-11-01,,,\
             S1;S2,'@mention | S2,'=cmd|' /C calc'!A0,,,,F6"
        );
        assert_eq!(lines.len(), 2);
    }
}
