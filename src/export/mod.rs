//! Writing snapshots out: one file per format, each writing to any `impl Write`, plus the
//! atomic file writer that puts results in place.

pub mod atomic;
pub mod csv;
pub mod dot;
pub mod json;

use crate::model::{Dataset, Relation};

/// The `;`-separated evidence ids of a relation, as written in the data.
pub(crate) fn evidence_ids(dataset: &Dataset, relation: &Relation) -> String {
    let mut out = String::new();
    for (i, s) in relation.evidence.iter().enumerate() {
        if i > 0 {
            out.push(';');
        }
        out.push_str(&dataset.source(*s).id);
    }
    out
}
