//! Actor names as people write them: folding (case, accents, `-` and `_`), an index of every
//! actor's folded id, name and aliases, and the one suggester for a name that matches no id.
//! The loader (an unknown actor in relations.csv or in a `parent` column) and the command
//! line (an unknown actor named in a query) both suggest with [`Names::suggest`], so that
//! "Colmbia" gets "Colombia" wherever it is written.

use std::collections::HashMap;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

use crate::model::{Actor, ActorIx};

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

/// How many actors a suggestion names at most.
pub const SUGGESTIONS: usize = 5;

/// What a suggestion rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closeness {
    /// The text is the actor's id, name or an alias, but for case, accents or spacing: where
    /// an id is expected, the actor's name was written instead of its id.
    Same,
    /// The text is spelt like one of the actor's names (a typo), or one contains the other.
    Close,
}

/// Every actor's folded id, name and aliases, and the actors each names (in index order).
/// Built once, in O(total length of the names), for as many lookups as needed.
#[derive(Debug, Default)]
pub struct Names {
    by_key: HashMap<String, Vec<ActorIx>>,
    /// Each key with its length in characters and its letters counted ([`Bag`]), for the
    /// suggester to pass over most names without comparing them letter by letter.
    keys: Vec<(String, usize, Bag)>,
}

/// How many times each letter occurs in a folded name, some letters counted together: two
/// names share at most as many letters as their bags do, which bounds how alike any
/// comparison of the suggester can find them ([`Bag::common`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bag([u16; 32]);

impl Bag {
    fn of(key: &str) -> Bag {
        let mut counts = [0u16; 32];
        for c in key.chars() {
            let slot = match c {
                'a'..='z' => c as usize - 'a' as usize,
                _ => 26 + (c as usize) % 6,
            };
            counts[slot] = counts[slot].saturating_add(1);
        }
        // A count that overflowed bounds nothing: every letter as often as can be.
        if counts.contains(&u16::MAX) {
            counts = [u16::MAX; 32];
        }
        Bag(counts)
    }

    /// An upper bound of the letters two names have in common (as many as they share of
    /// each; letters counted together only raise it): Jaro's matches and the characters an
    /// edit leaves in place are among them.
    fn common(&self, other: &Bag) -> usize {
        self.0.iter().zip(&other.0).map(|(a, b)| usize::from(*a.min(b))).sum()
    }
}

impl Names {
    pub fn new(actors: &[Actor]) -> Names {
        let mut by_key: HashMap<String, Vec<ActorIx>> = HashMap::new();
        for (i, actor) in actors.iter().enumerate() {
            let ix = ActorIx(i as u32);
            let names =
                std::iter::once(&actor.id).chain(std::iter::once(&actor.name)).chain(actor.aliases.iter());
            for name in names {
                let list = by_key.entry(fold(name)).or_default();
                // Actors come in order, so an actor already listed under this key is the
                // last one (scanning the whole list was quadratic in a shared name).
                if list.last() != Some(&ix) {
                    list.push(ix);
                }
            }
        }
        let mut keys: Vec<(String, usize, Bag)> =
            by_key.keys().map(|k| (k.clone(), k.chars().count(), Bag::of(k))).collect();
        // Any order gives the same suggestions (they are sorted); this one is the same run to run.
        keys.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        Names { by_key, keys }
    }

    /// The actors whose folded id, name or an alias is `key` (already folded).
    pub fn get(&self, key: &str) -> &[ActorIx] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Up to [`SUGGESTIONS`] actors that `text` may have meant, best first: those it names
    /// but for case, accents or spacing ([`Closeness::Same`]); otherwise those with a name,
    /// alias or id spelt closely (Jaro–Winkler similarity of 0.85 or more between names of
    /// alike lengths, or an edit distance of at most a third of the text's length), or containing the text or
    /// contained in it (both three letters or more), by similarity then id. O(number of distinct
    /// names × their length).
    pub fn suggest(&self, actors: &[Actor], text: &str) -> Vec<(ActorIx, Closeness)> {
        let key = fold(text);
        if key.is_empty() {
            return Vec::new();
        }
        let by_id = |a: &ActorIx| &actors[a.index()].id;
        let same = self.get(&key);
        if !same.is_empty() {
            let mut same = same.to_vec();
            same.sort_unstable_by(|a, b| by_id(a).cmp(by_id(b)));
            same.truncate(SUGGESTIONS);
            return same.into_iter().map(|a| (a, Closeness::Same)).collect();
        }
        let a = key.chars().count();
        let typo = (a / 3).max(1);
        let bag = Bag::of(&key);
        let mut scored: Vec<(u32, ActorIx)> = Vec::new();
        for (name, b, name_bag) in &self.keys {
            let b = *b;
            // What the letters in common allow, before any comparison letter by letter (at
            // 50,000 actors, comparing every name took a third of a second): Jaro–Winkler
            // adds at most 0.4 of what Jaro leaves, so 0.85 needs a Jaro of 0.75, which
            // needs (c/a + c/b + 1) / 3 >= 0.75 with c letters in common; an edit distance
            // leaves at most c letters in place; containing needs every letter of the shorter.
            let c = bag.common(name_bag);
            let alike = 3 * a.min(b) >= 2 * a.max(b);
            let may_be_similar = alike && 4 * c * (a + b) >= 5 * a * b;
            let may_be_typo = a.max(b) - c.min(a.max(b)) <= typo;
            let may_contain = a.min(b) >= 3 && c >= a.min(b);
            if !(may_be_similar || may_be_typo || may_contain) {
                continue;
            }
            let similarity = strsim::jaro_winkler(&key, name);
            // The shorter of the two has three letters or more: "US" inside "USSR" is no hint.
            let contains = may_contain && (name.contains(&key) || key.contains(name.as_str()));
            // Jaro–Winkler rewards a shared start: "US" would be close to "USSR" without
            // the lengths being alike too.
            let close =
                (similarity >= 0.85 && alike) || (may_be_typo && strsim::levenshtein(&key, name) <= typo);
            if close || contains {
                let score = (similarity * 1000.0) as u32 + if contains { 1000 } else { 0 };
                scored.extend(self.by_key[name].iter().map(|&a| (score, a)));
            }
        }
        scored.sort_by(|(s, a), (t, b)| t.cmp(s).then_with(|| by_id(a).cmp(by_id(b))));
        let mut best: Vec<ActorIx> = Vec::new();
        for (_, a) in scored {
            if !best.contains(&a) {
                best.push(a);
                if best.len() == SUGGESTIONS {
                    break;
                }
            }
        }
        best.into_iter().map(|a| (a, Closeness::Close)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ActorKind;

    fn actor(id: &str, name: &str, aliases: &[&str]) -> Actor {
        Actor {
            id: id.into(),
            name: name.into(),
            kind: ActorKind::Country,
            parent: None,
            aliases: aliases.iter().map(|&a| a.into()).collect(),
        }
    }

    #[test]
    fn folding_ignores_case_accents_and_spacing() {
        assert_eq!(fold("Bogotá"), "bogota");
        assert_eq!(fold("  Côte   d'Ivoire "), "cote d'ivoire");
        assert_eq!(fold("ZELENSKYY"), "zelenskyy");
        assert_eq!(fold("Dirección Nacional de Inteligencia"), "direccion nacional de inteligencia");
        assert_eq!(fold("five-eyes"), fold("FIVE_EYES"));
        assert_eq!(fold("FIVE_EYES"), fold("Five Eyes"));
    }

    /// Issue 14: "Colmbia" got no suggestion, as only ids were compared.
    #[test]
    fn suggestions_come_from_names_and_aliases_as_well_as_ids() {
        let actors = [
            actor("COL", "Colombia", &["Bogotá"]),
            actor("USA", "United States", &["Washington"]),
            actor("PETRO", "Gustavo Petro", &[]),
        ];
        let names = Names::new(&actors);
        let ids = |text: &str| -> Vec<(&str, Closeness)> {
            names.suggest(&actors, text).into_iter().map(|(a, c)| (&*actors[a.index()].id, c)).collect()
        };
        assert_eq!(ids("Colmbia"), [("COL", Closeness::Close)]);
        assert_eq!(ids("bogata"), [("COL", Closeness::Close)]);
        assert_eq!(ids("Washingtn"), [("USA", Closeness::Close)]);
        assert_eq!(ids("USB"), [("USA", Closeness::Close)]);
        // A name or an alias where an id is expected, in any case.
        assert_eq!(ids("colombia"), [("COL", Closeness::Same)]);
        assert_eq!(ids("BOGOTA"), [("COL", Closeness::Same)]);
        assert_eq!(ids("petro"), [("PETRO", Closeness::Same)]);
        assert_eq!(ids("Venezuela"), []);
        assert_eq!(ids(""), []);
    }

    /// The suggester as it was before it passed over names by their letters in common:
    /// every name compared.
    fn every_name_compared(names: &Names, actors: &[Actor], text: &str) -> Vec<(ActorIx, Closeness)> {
        let key = fold(text);
        if key.is_empty() || !names.get(&key).is_empty() {
            return names.suggest(actors, text);
        }
        let by_id = |a: &ActorIx| &actors[a.index()].id;
        let a = key.chars().count();
        let typo = (a / 3).max(1);
        let mut scored: Vec<(u32, ActorIx)> = Vec::new();
        for (name, named) in &names.by_key {
            let similarity = strsim::jaro_winkler(&key, name);
            let b = name.chars().count();
            let contains = a.min(b) >= 3 && (name.contains(&key) || key.contains(name.as_str()));
            let alike = 3 * a.min(b) >= 2 * a.max(b);
            let close = (similarity >= 0.85 && alike) || strsim::levenshtein(&key, name) <= typo;
            if close || contains {
                let score = (similarity * 1000.0) as u32 + if contains { 1000 } else { 0 };
                scored.extend(named.iter().map(|&a| (score, a)));
            }
        }
        scored.sort_by(|(s, a), (t, b)| t.cmp(s).then_with(|| by_id(a).cmp(by_id(b))));
        let mut best: Vec<ActorIx> = Vec::new();
        for (_, a) in scored {
            if !best.contains(&a) {
                best.push(a);
                if best.len() == SUGGESTIONS {
                    break;
                }
            }
        }
        best.into_iter().map(|a| (a, Closeness::Close)).collect()
    }

    proptest::proptest! {
        /// The letters in common only pass over names that no comparison would find close:
        /// the suggestions are those of every name compared, on names and texts from a few
        /// letters (so that many are close), accents and spaces included.
        #[test]
        fn passing_over_names_by_their_letters_loses_no_suggestion(
            names in proptest::collection::vec("[abcé ]{1,9}", 1..40),
            text in "[abcdé ]{1,10}",
        ) {
            let actors: Vec<Actor> =
                names.iter().enumerate().map(|(i, n)| actor(&format!("A{i}"), n, &[])).collect();
            let index = Names::new(&actors);
            proptest::prop_assert_eq!(index.suggest(&actors, &text), every_name_compared(&index, &actors, &text));
        }
    }
}
