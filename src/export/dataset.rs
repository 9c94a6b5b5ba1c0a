//! A dataset written back in georel's own format (`relations.csv`, `actors.csv`,
//! `sources.csv`, as the README describes them), so that `load::load` reads it back unchanged.
//! This is data for georel, not for a spreadsheet: cells are written as they are, not
//! neutralised.
//!
//! # Round trip
//!
//! For a dataset that [`crate::load::load`] returned, loading the written folder gives the
//! same dataset: the same actors (id, name, kind, parent, aliases) and sources (id, title,
//! publisher, published, url, reliability) in the same order, and the same relations (id,
//! source, target, kind, dates at their own precision, direction, evidence, summary) in the
//! same order. Every relation's direction is written out (`true`/`false`), even where it is
//! the kind's default, and files are written in dataset order, not sorted, so that the
//! indexes survive too.
//!
//! What changes, by design:
//!
//! - A relation whose id was implicit (its line number, [`crate::model::RelationId::Line`]) gets that number
//!   as an explicit id: it reads back as `RelationId::Named("12")`, with the same text, and
//!   now stays the same when rows move.
//! - An actor of kind `unknown` (named by a relation, no `actors.csv`) is written with an
//!   empty kind, which reads back as `unknown`; its name (its id) is written out.
//! - `actors.csv` and `sources.csv` are always written, also when the dataset came without
//!   them; evidence then stays the same ids.
//!
//! What cannot round-trip, because the loader would read it differently (a dataset built in
//! code rather than loaded may have it; one that was loaded cannot):
//!
//! - text with surrounding ASCII whitespace (space, tab, line feed, form feed, carriage
//!   return) in any cell: the loader trims cells;
//! - an alias or a source id containing `;`, or with surrounding whitespace of any kind (a
//!   no-break space too), or an empty alias: `aliases` and `evidence` are `;`-separated lists
//!   whose items the loader trims with Unicode's whitespace rules and drops when empty;
//! - an empty actor name (it reads back as the id);
//! - anything the loader rejects: duplicate ids (including a named id equal to an implicit
//!   line id), unknown references, a relation from an actor to itself, a membership whose
//!   target is a country, agency or person, a parent cycle, an end not after the start.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use crate::export::atomic;
use crate::load::{ACTORS_FILE, RELATIONS_FILE, SOURCES_FILE};
use crate::model::{ActorKind, Dataset};

pub const RELATIONS_HEADER: [&str; 11] = [
    "id",
    "source",
    "target",
    "kind",
    "start",
    "end",
    "directed",
    "evidence",
    "summary",
    "claimant",
    "credibility",
];
pub const ACTORS_HEADER: [&str; 5] = ["id", "name", "kind", "parent", "aliases"];
pub const SOURCES_HEADER: [&str; 6] = ["id", "title", "publisher", "published", "url", "reliability"];

fn writer(out: &mut dyn Write) -> ::csv::Writer<&mut dyn Write> {
    ::csv::WriterBuilder::new().from_writer(out)
}

/// Writes `relations.csv`: `id,source,target,kind,start,end,directed,evidence,summary`, and
/// `claimant,credibility` when any relation has either (so that data without them, an
/// import of event data, is written as before), one row per relation in dataset order, every
/// id explicit.
///
/// # Errors
/// When `out` fails.
pub fn write_relations(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    let graded = ds.relations.iter().any(|r| r.claimant().is_some() || r.credibility.is_some());
    let columns = if graded { RELATIONS_HEADER.len() } else { RELATIONS_HEADER.len() - 2 };
    w.write_record(&RELATIONS_HEADER[..columns])?;
    for r in &ds.relations {
        // A line id is written as its number: explicit from now on.
        // (Not its display, `line 12`, which would read back as another id.)
        let id = r.id.key().into_owned();
        let evidence: Vec<&str> = r.evidence().iter().map(|s| &*ds.source(*s).id).collect();
        let cells = [
            id.as_str(),
            &ds.actor(r.source).id,
            &ds.actor(r.target).id,
            r.kind.as_str(),
            &r.start.to_string(),
            &r.end.map(|e| e.to_string()).unwrap_or_default(),
            if r.directed { "true" } else { "false" },
            &evidence.join(";"),
            r.summary(),
            r.claimant().map_or("", |c| &*ds.actor(c).id),
            r.credibility.map_or("", |c| c.as_str()),
        ];
        w.write_record(&cells[..columns])?;
    }
    w.flush()
}

/// Writes `actors.csv`: `id,name,kind,parent,aliases`, one row per actor in dataset order.
///
/// # Errors
/// When `out` fails.
pub fn write_actors(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(ACTORS_HEADER)?;
    for a in &ds.actors {
        let kind = match a.kind {
            ActorKind::Unknown => "",
            kind => kind.as_str(),
        };
        w.write_record([
            &*a.id,
            &a.name,
            kind,
            a.parent.map_or("", |p| &*ds.actor(p).id),
            &a.aliases.join(";"),
        ])?;
    }
    w.flush()
}

/// Writes `sources.csv`: `id,title,publisher,published,url,reliability`, one row per source in
/// dataset order.
///
/// # Errors
/// When `out` fails.
pub fn write_sources(ds: &Dataset, out: &mut dyn Write) -> io::Result<()> {
    let mut w = writer(out);
    w.write_record(SOURCES_HEADER)?;
    for s in &ds.sources {
        w.write_record([
            &*s.id,
            &s.title,
            &s.publisher,
            &s.published.map(|d| d.to_string()).unwrap_or_default(),
            &s.url,
            s.reliability.map_or("", |r| r.as_str()),
        ])?;
    }
    w.flush()
}

/// Writes the dataset into `dir` as `relations.csv`, `actors.csv` and `sources.csv`,
/// atomically: all three are written in full to temporary files beside them first, and only
/// then renamed into place, so a failure while writing leaves any earlier files untouched
/// (should a rename itself fail, the files renamed before it stay, see [`atomic::commit`]).
/// Creates `dir` if needed. Returns the paths written, in that order.
///
/// # Errors
/// When the folder or a file cannot be written.
pub fn write_dir(ds: &Dataset, dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut staged = stage_dir(ds, dir)?;
    staged.push(stage_mark(dir)?);
    let mut files = atomic::commit(staged)?;
    // The mark is no result the user asked for.
    files.retain(|f| !f.ends_with(MARK_FILE));
    Ok(files)
}

/// The file that marks a folder as one georel wrote a dataset into (`import`, or `export
/// --format dataset`): a dataset file is replaced, without `--force`, only in a folder that
/// holds this mark (or holds no dataset yet), so that no result silently replaces a curated
/// dataset (see [`atomic::guard_datasets`]).
pub const MARK_FILE: &str = ".georel-dataset";

/// Stages the mark of [`MARK_FILE`] in `dir`.
///
/// # Errors
/// When it cannot be written.
pub fn stage_mark(dir: &Path) -> anyhow::Result<atomic::Staged> {
    atomic::stage(&dir.join(MARK_FILE), atomic::Cache::Keep, |out| {
        out.write_all(b"georel wrote the dataset in this folder; a later import or export may replace it.\n")
    })
}

/// Stages the three files of [`write_dir`] without renaming them into place, so that a
/// caller can stage more files and commit them all together.
///
/// # Errors
/// When a file cannot be written, or `dir` holds relations.parquet: a folder holds
/// relations.csv or relations.parquet, and writing the one beside the other would leave a
/// folder that no command reads.
pub fn stage_dir(ds: &Dataset, dir: &Path) -> anyhow::Result<Vec<atomic::Staged>> {
    let parquet = dir.join(crate::load::RELATIONS_PARQUET);
    if std::fs::symlink_metadata(&parquet).is_ok() {
        anyhow::bail!(
            "{} holds its relations as {}, and georel writes {RELATIONS_FILE}: a folder holds one or the other; \
             write into another folder (--out NEW_DIR)",
            dir.display(),
            crate::load::RELATIONS_PARQUET
        );
    }
    Ok(vec![
        atomic::stage(&dir.join(RELATIONS_FILE), atomic::Cache::Keep, |out| write_relations(ds, out))?,
        atomic::stage(&dir.join(ACTORS_FILE), atomic::Cache::Keep, |out| write_actors(ds, out))?,
        atomic::stage(&dir.join(SOURCES_FILE), atomic::Cache::Keep, |out| write_sources(ds, out))?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::load;
    use crate::model::{Relation, RelationId};
    use std::fs;

    fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            fs::write(dir.path().join(name), text).unwrap();
        }
        dir
    }

    /// Regression: appending an import to a Parquet dataset wrote relations.csv beside
    /// relations.parquet, a folder that no command could then read.
    #[test]
    fn a_parquet_folder_is_not_written_beside() {
        let input = folder(&[("relations.csv", "source,target,kind,start\nA,B,dispute,2020\n")]);
        let ds = load(input.path()).unwrap();
        let out = folder(&[("relations.parquet", "not read")]);
        let err = stage_dir(&ds, out.path()).err().expect("refused").to_string();
        assert!(err.contains("holds its relations as relations.parquet"), "{err}");
        assert!(!out.path().join("relations.csv").exists());
    }

    #[test]
    fn a_bare_relations_file_with_implicit_ids_round_trips() {
        let input = folder(&[(
            "relations.csv",
            "source,target,kind,start,end,evidence,summary\n\
             A,B,cooperation,2019-11,,X;Y,\"a, b \"\"c\"\"\nd\"\n\
             \n\
             B,C,membership,2020,2021-06-30,Y,\n",
        )]);
        let ds = load(input.path()).unwrap();
        let out = tempfile::tempdir().unwrap();
        let written = write_dir(&ds, out.path()).unwrap();
        assert_eq!(written, [RELATIONS_FILE, ACTORS_FILE, SOURCES_FILE].map(|f| out.path().join(f)).to_vec());
        assert_eq!(
            fs::read_to_string(out.path().join(RELATIONS_FILE)).unwrap(),
            "id,source,target,kind,start,end,directed,evidence,summary\n\
             2,A,B,cooperation,2019-11,,false,X;Y,\"a, b \"\"c\"\"\nd\"\n\
             5,B,C,membership,2020,2021-06-30,true,Y,\n"
        );
        assert_eq!(
            fs::read_to_string(out.path().join(ACTORS_FILE)).unwrap(),
            "id,name,kind,parent,aliases\nA,A,,,\nB,B,,,\nC,C,,,\n"
        );
        assert_eq!(
            fs::read_to_string(out.path().join(SOURCES_FILE)).unwrap(),
            "id,title,publisher,published,url,reliability\nX,,,,,\nY,,,,,\n"
        );
        let back = load(out.path()).unwrap();
        assert_eq!(back.actors, ds.actors);
        assert_eq!(back.sources, ds.sources);
        let ids: Vec<RelationId> = back.relations.iter().map(|r| r.id.clone()).collect();
        assert_eq!(ids, [RelationId::Named("2".into()), RelationId::Named("5".into())]);
        for (a, b) in back.relations.iter().zip(&ds.relations) {
            assert_eq!(a.id.key(), b.id.key(), "the same text, for other programs");
            assert_eq!(Relation { id: b.id.clone(), ..a.clone() }, *b);
        }
    }

    #[test]
    fn the_shipped_data_round_trips_and_rewriting_is_byte_identical() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("data");
        let ds = load(&data).unwrap();
        let out = tempfile::tempdir().unwrap();
        write_dir(&ds, out.path()).unwrap();
        let back = load(out.path()).unwrap();
        assert_eq!(back.actors, ds.actors);
        assert_eq!(back.sources, ds.sources);
        assert_eq!(back.relations, ds.relations, "the shipped data names every relation");
        let again = tempfile::tempdir().unwrap();
        write_dir(&back, again.path()).unwrap();
        for file in [RELATIONS_FILE, ACTORS_FILE, SOURCES_FILE] {
            assert_eq!(
                fs::read(out.path().join(file)).unwrap(),
                fs::read(again.path().join(file)).unwrap(),
                "{file}"
            );
        }
    }

    #[test]
    fn an_unwritable_folder_is_an_error_and_leaves_no_file() {
        let ds = load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("data")).unwrap();
        let out = tempfile::tempdir().unwrap();
        let blocked = out.path().join("blocked");
        fs::write(&blocked, "a file where the folder should be").unwrap();
        assert!(write_dir(&ds, &blocked).is_err());
        assert_eq!(fs::read_dir(out.path()).unwrap().count(), 1);
    }
}
