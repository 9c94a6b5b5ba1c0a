//! Naming actors on the command line: by id, name or alias, ignoring case and accents
//! ("bogota" finds "Bogotá"), with the candidates listed when a name is ambiguous and the
//! closest names suggested when it is unknown.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::{ActorIx, Dataset};

/// Why a name did not resolve to one actor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("{text:?} names several actors: {}; use one of these ids", candidates.join(", "))]
    Ambiguous { text: String, candidates: Vec<String> },
    #[error("no actor is called {text:?}{}", suggest(suggestions))]
    Unknown { text: String, suggestions: Vec<String> },
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
    by_key: HashMap<String, Vec<ActorIx>>,
}

impl<'d> Resolver<'d> {
    pub fn new(dataset: &'d Dataset) -> Self {
        let mut by_key: HashMap<String, Vec<ActorIx>> = HashMap::new();
        for (i, actor) in dataset.actors.iter().enumerate() {
            let ix = ActorIx(i as u32);
            let names =
                std::iter::once(&actor.id).chain(std::iter::once(&actor.name)).chain(actor.aliases.iter());
            for name in names {
                let list = by_key.entry(fold(name)).or_default();
                if !list.contains(&ix) {
                    list.push(ix);
                }
            }
        }
        Resolver { dataset, by_key }
    }

    /// The actor that `text` names. An exact id wins; otherwise the folded text must match
    /// the id, name or an alias of exactly one actor.
    ///
    /// # Errors
    /// [`ResolveError`] listing the candidates, or suggesting close names.
    pub fn resolve(&self, text: &str) -> Result<ActorIx, ResolveError> {
        if let Some(ix) = self.dataset.actor_by_id(text.trim()) {
            return Ok(ix);
        }
        let key = fold(text);
        match self.by_key.get(&key).map(Vec::as_slice) {
            Some([one]) => Ok(*one),
            Some(many) if !many.is_empty() => {
                let mut many = many.to_vec();
                many.sort_by_key(|&a| self.dataset.rank(a));
                Err(ResolveError::Ambiguous { text: text.to_string(), candidates: self.describe(&many) })
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
        for (name, actors) in &self.by_key {
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
