//! Naming actors on the command line: by id, name or alias, ignoring case and accents
//! ("bogota" finds "Bogotá"), with the candidates listed when a name is ambiguous and the
//! closest names suggested when it is unknown.

use std::cell::OnceCell;

use crate::model::{ActorIx, Dataset};
use crate::names::{fold, Names};

/// Why a name did not resolve to one actor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{text:?} names several actors: {}{}; use one of these ids", candidates.join(", "), more_of(*more))]
    Ambiguous {
        text: String,
        /// The first few candidates, by actor id.
        candidates: Vec<String>,
        /// How many more there are, not listed (a name shared by thousands of actors must
        /// not make a message of megabytes).
        more: usize,
    },
    #[error("no actor is called {text:?}{}", suggest(suggestions))]
    Unknown { text: String, suggestions: Vec<String> },
}

/// How many candidates an ambiguous name lists.
pub const CANDIDATES_SHOWN: usize = 10;

fn more_of(more: usize) -> String {
    if more == 0 {
        String::new()
    } else {
        format!(" and {more} more")
    }
}

fn suggest(suggestions: &[String]) -> String {
    if suggestions.is_empty() {
        "; give an id, name or alias from actors.csv".to_string()
    } else {
        format!("; did you mean {}?", suggestions.join(", "))
    }
}

/// Finds actors by id, name or alias.
pub struct Resolver<'d> {
    dataset: &'d Dataset,
    /// Folded id, name and aliases -> the actors (in dataset order) they name; built on the
    /// first lookup that needs it, so that naming actors by exact ids never folds every name.
    names: OnceCell<Names>,
}

impl<'d> Resolver<'d> {
    pub fn new(dataset: &'d Dataset) -> Self {
        Resolver { dataset, names: OnceCell::new() }
    }

    /// Every folded name, once: O(total length of the names).
    fn names(&self) -> &Names {
        self.names.get_or_init(|| Names::new(&self.dataset.actors))
    }

    /// The actor that `text` names. An exact id wins (one map lookup); otherwise the folded
    /// text must match the id, name or an alias of exactly one actor.
    ///
    /// # Errors
    /// [`ResolveError`] listing the first candidates, or suggesting close names.
    pub fn resolve(&self, text: &str) -> Result<ActorIx, ResolveError> {
        if let Some(ix) = self.dataset.actor_by_id(text.trim()) {
            return Ok(ix);
        }
        let key = fold(text);
        match self.names().get(&key) {
            [one] => Ok(*one),
            many if !many.is_empty() => {
                let mut many = many.to_vec();
                many.sort_unstable_by_key(|&a| self.dataset.rank(a));
                let more = many.len().saturating_sub(CANDIDATES_SHOWN);
                many.truncate(CANDIDATES_SHOWN);
                Err(ResolveError::Ambiguous {
                    text: text.to_string(),
                    candidates: self.describe(&many),
                    more,
                })
            }
            _ => {
                let suggested: Vec<ActorIx> =
                    self.names().suggest(&self.dataset.actors, text).into_iter().map(|(a, _)| a).collect();
                Err(ResolveError::Unknown { text: text.to_string(), suggestions: self.describe(&suggested) })
            }
        }
    }

    fn describe(&self, actors: &[ActorIx]) -> Vec<String> {
        actors
            .iter()
            .map(|&a| {
                let actor = self.dataset.actor(a);
                if actor.name == actor.id {
                    actor.id.to_string()
                } else {
                    format!("{} ({})", actor.id, actor.name)
                }
            })
            .collect()
    }
}
