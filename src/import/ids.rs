//! One country id scheme for every importer and the curated data: ISO 3166-1 alpha-3. The
//! table is `country_ids.csv` beside this file (its origin and conventions are in its
//! comments): COW state codes, the CAMEO codes that are not ISO codes (ROM, TMP, the regions)
//! and country names outside the CAMEO table, each with the actor id and kind it gets.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::ActorKind;

static TABLE: &str = include_str!("country_ids.csv");

/// The actor a country code or name stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountryId {
    /// ISO 3166-1 alpha-3 (or the table's documented exceptions).
    pub id: &'static str,
    /// `Country`, or `Region` for a CAMEO region (AFR, EUR, WSB, ...).
    pub kind: ActorKind,
}

struct Tables {
    cow: HashMap<u16, CountryId>,
    cameo: HashMap<&'static str, CountryId>,
    /// By lower-case name.
    name: HashMap<String, CountryId>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut t = Tables { cow: HashMap::new(), cameo: HashMap::new(), name: HashMap::new() };
        for line in TABLE.lines().filter(|l| !l.starts_with('#')).skip(1) {
            let cells: Vec<&str> = line.split(',').collect();
            let [from, code, id, kind] = cells[..] else { continue };
            let kind = if kind == "region" { ActorKind::Region } else { ActorKind::Country };
            let entry = CountryId { id, kind };
            match from {
                "cow" => {
                    if let Ok(n) = code.parse() {
                        t.cow.insert(n, entry);
                    }
                }
                "cameo" => {
                    t.cameo.insert(code, entry);
                }
                _ => {
                    t.name.insert(code.to_lowercase(), entry);
                }
            }
        }
        t
    })
}

/// The actor of a COW state code (`200` → `GBR`, `305` → `AUT`).
pub fn from_cow(ccode: u16) -> Option<&'static str> {
    tables().cow.get(&ccode).map(|c| c.id)
}

/// Whether some COW state has this id (`AUS` is Australia's, though COW's `AUS` is Austria).
pub fn is_cow_id(id: &str) -> bool {
    tables().cow.values().any(|c| c.id == id)
}

/// The actor of a CAMEO country code: the code itself, an ISO code, unless the table says
/// otherwise (`ROM` → `ROU`; `AFR` is a region).
pub fn from_cameo(code: &str) -> (String, ActorKind) {
    match tables().cameo.get(code) {
        Some(c) => (c.id.to_string(), c.kind),
        None => (code.to_string(), ActorKind::Country),
    }
}

/// The id of [`from_cameo`], without copying it.
pub fn cameo_id(code: &str) -> &str {
    tables().cameo.get(code).map_or(code, |c| c.id)
}

/// The actor of a country name outside the CAMEO table (`Kosovo` → `XKX`), ignoring case.
pub fn from_name(name: &str) -> Option<CountryId> {
    tables().name.get(&name.trim().to_lowercase()).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cow_state_has_an_id_and_the_look_alikes_are_mapped() {
        let states = include_str!("cow_country_codes.csv");
        for line in states.lines().skip(1) {
            let code: u16 = line.split(',').nth(1).unwrap().parse().unwrap();
            assert!(from_cow(code).is_some(), "COW state {code} has no id");
        }
        // The ones that differ from COW's abbreviation most dangerously: the same three
        // letters are another country in ISO.
        assert_eq!(from_cow(305), Some("AUT"), "COW AUS is Austria");
        assert_eq!(from_cow(900), Some("AUS"), "COW AUL is Australia");
        assert_eq!(from_cow(225), Some("CHE"), "COW SWZ is Switzerland");
        assert_eq!(from_cow(572), Some("SWZ"), "COW SWA is Swaziland");
        assert_eq!(from_cow(341), Some("MNE"), "COW MNG is Montenegro");
        assert_eq!(from_cow(712), Some("MNG"), "COW MON is Mongolia");
        assert_eq!(from_cow(349), Some("SVN"), "COW SLV is Slovenia");
        assert_eq!(from_cow(92), Some("SLV"), "COW SAL is El Salvador");
        assert_eq!(from_cow(343), Some("MKD"), "COW MAC is Macedonia");
        assert_eq!(from_cow(315), Some("CSK"), "COW CZE is Czechoslovakia");
        assert_eq!(from_cow(316), Some("CZE"));
        assert_eq!(from_cow(730), Some("COW-KOR"), "COW KOR is Korea before 1905");
        assert_eq!(from_cow(732), Some("KOR"));
        assert_eq!(from_cow(200), Some("GBR"));
        assert_eq!(from_cow(255), Some("DEU"));
        assert_eq!(from_cow(347), Some("XKX"));
        // One COW state, one id: otherwise a relation between two states (GFR and GMY allied
        // in 1990) would be an actor's with itself, which no dataset may hold.
        let mut ids: Vec<&str> = tables().cow.values().map(|c| c.id).collect();
        ids.sort_unstable();
        let before = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), before, "two COW states share an id");
    }

    #[test]
    fn cameo_codes_and_names() {
        assert_eq!(from_cameo("ROM"), ("ROU".to_string(), ActorKind::Country));
        assert_eq!(from_cameo("TMP"), ("TLS".to_string(), ActorKind::Country));
        assert_eq!(from_cameo("USA"), ("USA".to_string(), ActorKind::Country));
        for region in ["AFR", "EUR", "NMR", "SEA", "WSB", "GZS"] {
            assert_eq!(from_cameo(region), (region.to_string(), ActorKind::Region));
        }
        assert_eq!(from_name("kosovo").map(|c| c.id), Some("XKX"));
        assert_eq!(from_name("Brunei").map(|c| c.id), Some("BRN"));
        assert_eq!(from_name("Atlantis"), None);
    }
}
