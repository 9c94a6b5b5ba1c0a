//! When an import may write: one that kept no relation, or rejected more than a stated share
//! of its rows (`--max-rejects`, 50% by default), is almost surely the wrong file or the wrong
//! format, and must not replace or change the dataset in its folder unless `--force` says so
//! (a wrong input once replaced a dataset with an empty one).

use std::path::Path;

use crate::export::text::count;
use crate::import::Summary;

/// The share of rejected rows, in percent, above which an import does not replace a dataset.
pub const DEFAULT_MAX_REJECTS: f64 = 50.0;

/// What an import may do with its result.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    Write,
    /// Write, and warn (a new folder, or `--force`).
    Warn(String),
    /// Write nothing: the reason, and how to go on.
    Refuse(String),
}

/// Whether `dir` holds a dataset (any of its files).
pub fn holds_dataset(dir: &Path) -> bool {
    crate::load::index::DATA_FILES.into_iter().any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
}

/// The share of rows rejected, in percent.
fn reject_share(summary: &Summary) -> f64 {
    if summary.rows == 0 {
        0.0
    } else {
        summary.rejected as f64 * 100.0 / summary.rows as f64
    }
}

/// Whether an import rejected more than `max_rejects` percent of its rows: then it is refused
/// before anything else is said of it (a wrong file whose few good rows were imported before
/// is the wrong file, not "nothing to append").
pub fn too_many_rejects(summary: &Summary, max_rejects: f64) -> bool {
    reject_share(summary) > max_rejects
}

/// The verdict on an import's result, to be written into `dir`.
pub fn judge(summary: &Summary, max_rejects: f64, dir: &Path, force: bool) -> Verdict {
    let shown = dir.display();
    // A continued import that met new event ids changes the table even when it rebuilt no
    // relation (its events' runs still below --min-events, or every row skipped): the table
    // is written, or later batches would not know those events and ids. It cannot empty the
    // dataset: only the pairs it touched are rebuilt.
    if summary.relations == 0 && !(summary.resumed && summary.new_ids > 0) {
        let skipped: u64 = summary.skipped.values().sum();
        let what = format!(
            "the import kept no relation ({} read: {skipped} skipped, {} rejected{})",
            count(summary.rows, "row", "rows"),
            summary.rejected,
            if summary.dropped_weak > 0 {
                format!(", {} dropped by --min-events", count(summary.dropped_weak, "relation", "relations"))
            } else {
                String::new()
            }
        );
        return if force {
            Verdict::Warn(format!("{what}; written all the same (--force)"))
        } else {
            Verdict::Refuse(format!(
                "{what}; nothing was written to {shown}: is it the right file and format? (--force writes it anyway)"
            ))
        };
    }
    if !too_many_rejects(summary, max_rejects) {
        return Verdict::Write;
    }
    let share = reject_share(summary);
    let what = format!(
        "the import rejected {} of {} rows ({share:.1}%), more than --max-rejects {max_rejects}%",
        summary.rejected, summary.rows
    );
    if force {
        Verdict::Warn(format!("{what}; written all the same (--force)"))
    } else if holds_dataset(dir) {
        Verdict::Refuse(format!(
            "{what}: the dataset in {shown} was left as it was (nothing was written); is it the right file and \
             format? Fix the input, raise --max-rejects, or add --force to write it anyway"
        ))
    } else {
        Verdict::Warn(format!(
            "{what}; written, since {shown} held no dataset: is it the right file and format?"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(rows: u64, rejected: u64, relations: u64) -> Summary {
        Summary {
            rows,
            skipped: Default::default(),
            rejected,
            relations,
            dropped_weak: 0,
            events: relations,
            new_ids: relations,
            resumed: false,
        }
    }

    #[test]
    fn rejects_above_the_share_keep_a_dataset_unless_forced() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        assert_eq!(judge(&summary(10, 5, 3), 50.0, d, false), Verdict::Write);
        assert!(matches!(judge(&summary(10, 6, 3), 50.0, d, false), Verdict::Warn(_)), "a new folder");
        std::fs::write(d.join("relations.csv"), "").unwrap();
        let Verdict::Refuse(why) = judge(&summary(10, 6, 3), 50.0, d, false) else { panic!() };
        assert!(why.contains("rejected 6 of 10 rows (60.0%), more than --max-rejects 50%"), "{why}");
        assert_eq!(judge(&summary(10, 6, 3), 60.0, d, false), Verdict::Write);
        assert!(matches!(judge(&summary(10, 6, 3), 50.0, d, true), Verdict::Warn(_)));
        assert!(matches!(judge(&summary(10, 0, 0), 50.0, d, false), Verdict::Refuse(_)));
        assert!(matches!(judge(&summary(10, 0, 0), 50.0, d, true), Verdict::Warn(_)));
    }
}
