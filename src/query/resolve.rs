//! Naming actors on the command line: by id, name or alias, ignoring case and accents
//! ("bogota" finds "Bogotá"), with the candidates listed when a name is ambiguous and the
//! closest names suggested when it is unknown.

use std::cell::OnceCell;
use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::{ActorIx, Dataset};

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

/// Folds a name for matching: accents removed (NFKD, combining marks dropped), lower case,
/// `_` and `-` read as spaces, runs of white space made one space. So `five-eyes`,
/// `FIVE_EYES` and `Five Eyes` are the same.
pub fn fold(text: &str) -> String {
    let stripped: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .map(|c| if c == '_' || c == '-' { ' ' } else { c })
        .collect();
    stripped.to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Finds actors by id, name or alias.
pub struct Resolver<'d> {
    dataset: &'d Dataset,
    /// Folded id, name and aliases -> the actors (in dataset order) they name; built on the
    /// first lookup that needs it, so that naming actors by exact ids never folds every name.
    by_key: OnceCell<HashMap<String, Vec<ActorIx>>>,
}

impl<'d> Resolver<'d> {
    pub fn new(dataset: &'d Dataset) -> Self {
        Resolver { dataset, by_key: OnceCell::new() }
    }

    /// Every folded name, once: O(total length of the names).
    fn by_key(&self) -> &HashMap<String, Vec<ActorIx>> {
        self.by_key.get_or_init(|| {
            let mut by_key: HashMap<String, Vec<ActorIx>> = HashMap::new();
            for (i, actor) in self.dataset.actors.iter().enumerate() {
                let ix = ActorIx(i as u32);
                let names = std::iter::once(&actor.id)
                    .chain(std::iter::once(&actor.name))
                    .chain(actor.aliases.iter());
                for name in names {
                    let list = by_key.entry(fold(name)).or_default();
                    // Actors come in order, so an actor already listed under this key is the
                    // last one (scanning the whole list was quadratic in a shared name).
                    if list.last() != Some(&ix) {
                        list.push(ix);
                    }
                }
            }
            by_key
        })
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
        match self.by_key().get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => {
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
            _ => Err(ResolveError::Unknown { text: text.to_string(), suggestions: self.closest(&key) }),
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

    /// Up to five actors whose folded names are close to `key`: similar spelling, or one
    /// containing the other.
    fn closest(&self, key: &str) -> Vec<String> {
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(u32, ActorIx)> = Vec::new();
        for (name, actors) in self.by_key() {
            let similarity = strsim::jaro_winkler(key, name);
            let contains = key.chars().count() >= 3 && (name.contains(key) || key.contains(name.as_str()));
            if similarity >= 0.85 || contains {
                let score = (similarity * 1000.0) as u32 + if contains { 1000 } else { 0 };
                scored.extend(actors.iter().map(|&a| (score, a)));
            }
        }
        scored.sort_by_key(|&(score, a)| (std::cmp::Reverse(score), self.dataset.rank(a)));
        let mut best: Vec<ActorIx> = Vec::new();
        for (_, a) in scored {
            if !best.contains(&a) {
                best.push(a);
            }
            if best.len() == 5 {
                break;
            }
        }
        self.describe(&best)
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("Bogotá"), "bogota");
        assert_eq!(fold("  Côte   d'Ivoire "), "cote d'ivoire");
        assert_eq!(fold("ZELENSKYY"), "zelenskyy");
        assert_eq!(fold("Dirección Nacional de Inteligencia"), "direccion nacional de inteligencia");
        assert_eq!(fold("five-eyes"), fold("FIVE_EYES"));
        assert_eq!(fold("FIVE_EYES"), fold("Five Eyes"));
    }
}
