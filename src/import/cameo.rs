//! CAMEO, the event coding of GDELT and ICEWS: country codes and names, and which CAMEO
//! events mean cooperation, restriction or dispute.
//!
//! The country table is `cameo_country.tsv` beside this file: the CAMEO country codebook as
//! published with GDELT's lookup tables (`CAMEO.country.txt`, `CODE<TAB>LABEL`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::RelationKind;

static COUNTRIES: &str = include_str!("cameo_country.tsv");

/// Misspellings in the published table, corrected here rather than passed on into analysts'
/// datasets: (code, name).
const CORRECTIONS: [(&str, &str); 1] = [("COL", "Colombia")];

/// Names by code, and codes by lower-case name.
type Tables = (HashMap<&'static str, &'static str>, HashMap<String, &'static str>);

fn table() -> &'static Tables {
    static TABLE: OnceLock<Tables> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for line in COUNTRIES.lines().skip(1) {
            if let Some((code, name)) = line.split_once('\t') {
                let (code, name) = (code.trim(), name.trim());
                let name = CORRECTIONS.iter().find(|(c, _)| *c == code).map_or(name, |(_, n)| *n);
                by_code.insert(code, name);
                by_name.entry(name.to_lowercase()).or_insert(code);
            }
        }
        (by_code, by_name)
    })
}

/// The name of a CAMEO country code (`COL` → `Colombia`).
pub fn country_name(code: &str) -> Option<&'static str> {
    table().0.get(code).copied()
}

/// The CAMEO code of a country name, ignoring case (`colombia` → `COL`).
pub fn country_code(name: &str) -> Option<&'static str> {
    table().1.get(&name.trim().to_lowercase()).copied()
}

/// The relation kind of a CAMEO event: root code 16 ("reduce relations": sanctions,
/// embargoes, halted cooperation) is a restriction; otherwise the quad class decides, or,
/// without one, the root code's class: 01-08 (verbal and material cooperation) cooperation,
/// 09-20 (verbal and material conflict) dispute. `None` for a root code outside 01-20.
pub fn kind(root: u8, quad_class: Option<u8>) -> Option<RelationKind> {
    if root == 16 {
        return Some(RelationKind::Restriction);
    }
    match quad_class {
        Some(1 | 2) => Some(RelationKind::Cooperation),
        Some(3 | 4) => Some(RelationKind::Dispute),
        Some(_) => None,
        None => match root {
            1..=8 => Some(RelationKind::Cooperation),
            9..=20 => Some(RelationKind::Dispute),
            _ => None,
        },
    }
}

/// The root code (the first two digits) of a CAMEO event code such as `0431` or `163`.
pub fn root_code(code: &str) -> Option<u8> {
    let code = code.trim();
    if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    code[..2].parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_by_code_and_by_name() {
        assert_eq!(country_name("COL"), Some("Colombia"));
        assert_eq!(country_name("USA"), Some("United States"));
        assert_eq!(country_code("colombia"), Some("COL"));
        assert_eq!(country_name("XYZ"), None);
    }

    #[test]
    fn kinds_follow_quad_class_except_reduce_relations() {
        assert_eq!(kind(16, Some(4)), Some(RelationKind::Restriction));
        assert_eq!(kind(16, None), Some(RelationKind::Restriction));
        assert_eq!(kind(4, Some(1)), Some(RelationKind::Cooperation));
        assert_eq!(kind(7, Some(2)), Some(RelationKind::Cooperation));
        assert_eq!(kind(11, Some(3)), Some(RelationKind::Dispute));
        assert_eq!(kind(19, Some(4)), Some(RelationKind::Dispute));
        assert_eq!(kind(4, None), Some(RelationKind::Cooperation));
        assert_eq!(kind(14, None), Some(RelationKind::Dispute));
        assert_eq!(kind(0, None), None);
        assert_eq!(kind(21, None), None);
        assert_eq!(root_code("0431"), Some(4));
        assert_eq!(root_code("163"), Some(16));
        assert_eq!(root_code("X1"), None);
    }
}
