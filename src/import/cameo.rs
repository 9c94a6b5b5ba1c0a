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

/// The skip reason of an event whose code the map gives no relation.
pub const MAPPED_SKIP: &str = "CAMEO code mapped to skip";

static DEFAULT_MAP: &str = include_str!("cameo_map.csv");

/// What an event with a CAMEO code makes: a relation of a kind, or nothing (the row is
/// skipped and counted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Meaning {
    Kind(RelationKind),
    Skip,
}

impl Meaning {
    /// The words a map file uses.
    pub const WORDS: [&'static str; 4] = ["cooperation", "restriction", "dispute", "skip"];

    fn parse(word: &str) -> Option<Meaning> {
        match word.to_ascii_lowercase().as_str() {
            "cooperation" => Some(Meaning::Kind(RelationKind::Cooperation)),
            "restriction" => Some(Meaning::Kind(RelationKind::Restriction)),
            "dispute" => Some(Meaning::Kind(RelationKind::Dispute)),
            "skip" => Some(Meaning::Skip),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Meaning::Kind(kind) => kind.as_str(),
            Meaning::Skip => "skip",
        }
    }
}

/// Which CAMEO codes make cooperation, restriction and dispute: georel's default
/// (`cameo_map.csv` beside this file, whose table and reasons README.md shows) or a user's
/// `--cameo-map FILE` of the same format, which replaces it whole.
///
/// A code is a root (two digits) or a longer code (three or four); an event's code is
/// decided by the longest listed code it starts with (`1724` by `172` before `17`). Every
/// root 01 to 20 is listed, so every valid event code has a meaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CameoMap {
    /// Code → meaning, every root 01-20 among them.
    codes: std::collections::BTreeMap<String, Meaning>,
}

/// A line of a CAMEO map file that cannot be read: where, what, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapError {
    pub file: String,
    pub line: usize,
    /// 1-based; 0 when the problem is the file as a whole (a root with no line).
    pub column: usize,
    pub value: String,
    pub problem: String,
}

impl std::fmt::Display for MapError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file, self.problem),
            (line, 0) => write!(f, "{}:{line}: {}", self.file, self.problem),
            (line, column) => {
                write!(f, "{}:{line}: column {column}: {:?}: {}", self.file, self.value, self.problem)
            }
        }
    }
}

impl std::error::Error for MapError {}

impl CameoMap {
    /// georel's default map.
    pub fn default_map() -> &'static CameoMap {
        static MAP: OnceLock<CameoMap> = OnceLock::new();
        MAP.get_or_init(|| {
            CameoMap::parse(DEFAULT_MAP, "src/import/cameo_map.csv").expect("the default CAMEO map is valid")
        })
    }

    /// Reads a map file (`file` names it in errors): comment lines start with `#`; a header
    /// row names the columns `code` and `kind` (in any order, any case; others, such as a
    /// label, are ignored); then one line per code.
    ///
    /// # Errors
    /// The first problem: no header, a header without `code` or `kind`, a code that is not 2
    /// to 4 digits under a root 01-20, a code listed twice, a kind that is not one of
    /// [`Meaning::WORDS`], a line cut short, or a root 01-20 that has no line.
    pub fn parse(text: &str, file: &str) -> Result<CameoMap, MapError> {
        let error = |line: usize, column: usize, value: &str, problem: String| MapError {
            file: file.to_string(),
            line,
            column,
            value: value.to_string(),
            problem,
        };
        let mut header: Option<(usize, usize)> = None;
        let mut codes = std::collections::BTreeMap::new();
        for (ix, raw) in text.lines().enumerate() {
            let line = ix + 1;
            let raw = if line == 1 { raw.trim_start_matches('\u{feff}') } else { raw };
            let text = raw.trim();
            if text.is_empty() || text.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = text.split(',').map(str::trim).collect();
            let Some((code_ix, kind_ix)) = header else {
                let find = |name: &str| cells.iter().position(|c| c.eq_ignore_ascii_case(name));
                match (find("code"), find("kind")) {
                    (Some(c), Some(k)) => header = Some((c, k)),
                    _ => {
                        return Err(error(
                            line,
                            0,
                            text,
                            format!(
                                "the header row must name the columns code and kind (found {text:?}); \
                                 the first line that is not a comment is the header, e.g. code,kind,label"
                            ),
                        ))
                    }
                }
                continue;
            };
            let need = code_ix.max(kind_ix) + 1;
            if cells.len() < need {
                return Err(error(
                    line,
                    0,
                    text,
                    format!(
                        "{} cells, but the header puts code and kind within the first {need}",
                        cells.len()
                    ),
                ));
            }
            let code = cells[code_ix];
            let valid = (2..=4).contains(&code.len())
                && code.bytes().all(|b| b.is_ascii_digit())
                && matches!(root_code(code), Some(1..=20));
            if !valid {
                return Err(error(
                    line,
                    code_ix + 1,
                    code,
                    "not a CAMEO code: write a root 01 to 20, or a code of three or four digits under one \
                     (172)"
                        .into(),
                ));
            }
            let word = cells[kind_ix];
            let meaning = Meaning::parse(word).ok_or_else(|| {
                error(
                    line,
                    kind_ix + 1,
                    word,
                    format!("not a kind: write one of {}", Meaning::WORDS.join(", ")),
                )
            })?;
            if codes.insert(code.to_string(), meaning).is_some() {
                return Err(error(
                    line,
                    code_ix + 1,
                    code,
                    "this code is listed twice: keep one line per code".into(),
                ));
            }
        }
        if header.is_none() {
            return Err(error(0, 0, "", "no header row and no codes: see the format in README.md".into()));
        }
        let missing: Vec<String> =
            (1..=20).map(|r| format!("{r:02}")).filter(|r| !codes.contains_key(r.as_str())).collect();
        if !missing.is_empty() {
            return Err(error(
                0,
                0,
                "",
                format!(
                    "no line for root {}: every root 01 to 20 needs a line (its kind, or skip), so that \
                     every event has a meaning",
                    missing.join(", ")
                ),
            ));
        }
        Ok(CameoMap { codes })
    }

    /// Reads a map file.
    ///
    /// # Errors
    /// When the file cannot be read, or [`CameoMap::parse`] refuses it.
    pub fn read(path: &std::path::Path) -> anyhow::Result<CameoMap> {
        use anyhow::Context;
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read the CAMEO map {}", path.display()))?;
        Ok(CameoMap::parse(&text, &path.display().to_string())?)
    }

    /// The meaning of an event code (2 to 4 digits): the longest listed code it starts with.
    /// `None` for a code under no root 01-20.
    pub fn meaning(&self, code: &str) -> Option<Meaning> {
        (2..=code.len().min(4)).rev().find_map(|n| code.get(..n).and_then(|p| self.codes.get(p)).copied())
    }

    /// The lines, in code order: (code, meaning).
    pub fn entries(&self) -> impl Iterator<Item = (&str, Meaning)> {
        self.codes.iter().map(|(c, m)| (c.as_str(), *m))
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

    use proptest::prelude::*;

    /// The meaning of `code` by brute force: of the listed codes that start it, the longest.
    fn brute(entries: &[(String, Meaning)], code: &str) -> Option<Meaning> {
        entries.iter().filter(|(c, _)| code.starts_with(c.as_str())).max_by_key(|(c, _)| c.len()).map(|e| e.1)
    }

    fn meaning_strategy() -> impl Strategy<Value = Meaning> {
        prop_oneof![
            Just(Meaning::Kind(RelationKind::Cooperation)),
            Just(Meaning::Kind(RelationKind::Restriction)),
            Just(Meaning::Kind(RelationKind::Dispute)),
            Just(Meaning::Skip),
        ]
    }

    /// A code of 2 to 4 digits under a root 01-20.
    fn code_strategy() -> impl Strategy<Value = String> {
        (1u8..=20, 0usize..=2, 0u16..100).prop_map(|(root, extra, rest)| {
            let tail = format!("{rest:02}");
            format!("{root:02}{}", &tail[..extra])
        })
    }

    proptest! {
        /// Any map (every root, and longer codes), written as a file and read back, is the
        /// same map, and decides every code as the longest listed code that starts it.
        #[test]
        fn a_map_decides_by_the_longest_listed_code(
            roots in proptest::collection::vec(meaning_strategy(), 20),
            longer in proptest::collection::btree_map(code_strategy(), meaning_strategy(), 0..30),
            codes in proptest::collection::vec(code_strategy(), 1..40),
        ) {
            let mut entries: Vec<(String, Meaning)> =
                roots.iter().enumerate().map(|(i, m)| (format!("{:02}", i + 1), *m)).collect();
            entries.extend(longer.into_iter().filter(|(c, _)| c.len() > 2));
            let mut text = String::from("# a map\nlabel,KIND,code\n");
            for (code, meaning) in &entries {
                text.push_str(&format!("x,{},{code}\n", meaning.as_str()));
            }
            let map = CameoMap::parse(&text, "map.csv").unwrap();
            let mut listed: Vec<(String, Meaning)> =
                map.entries().map(|(c, m)| (c.to_string(), m)).collect();
            entries.sort();
            listed.sort();
            prop_assert_eq!(&listed, &entries);
            for code in codes {
                prop_assert_eq!(map.meaning(&code), brute(&entries, &code), "{}", code);
            }
        }
    }

    #[test]
    fn the_default_map_is_the_readme_table() {
        let readme = include_str!("../../README.md");
        let rows: Vec<(String, String)> = readme
            .lines()
            .filter_map(|line| {
                let cells: Vec<&str> = line.split('|').map(str::trim).collect();
                let code = cells.get(1)?.strip_prefix('`')?.strip_suffix('`')?;
                (code.len() >= 2 && code.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| (code.to_string(), cells.get(3).copied().unwrap_or_default().to_string()))
            })
            .collect();
        let default: Vec<(String, String)> =
            CameoMap::default_map().entries().map(|(c, m)| (c.to_string(), m.as_str().to_string())).collect();
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(sorted, default, "README.md's table of CAMEO codes must be src/import/cameo_map.csv");
    }

    #[test]
    fn the_default_map() {
        let map = CameoMap::default_map();
        let kind = |code| map.meaning(code);
        assert_eq!(kind("010"), Some(Meaning::Skip));
        assert_eq!(kind("0214"), Some(Meaning::Skip));
        assert_eq!(kind("0431"), Some(Meaning::Kind(RelationKind::Cooperation)));
        assert_eq!(kind("163"), Some(Meaning::Kind(RelationKind::Restriction)));
        assert_eq!(kind("1724"), Some(Meaning::Kind(RelationKind::Restriction)));
        assert_eq!(kind("174"), Some(Meaning::Kind(RelationKind::Restriction)));
        assert_eq!(kind("173"), Some(Meaning::Kind(RelationKind::Dispute)));
        assert_eq!(kind("190"), Some(Meaning::Kind(RelationKind::Dispute)));
        assert_eq!(kind("21"), None);
    }

    #[test]
    fn bad_map_files_say_where_and_what_is_allowed() {
        let err = |text: &str| CameoMap::parse(text, "m.csv").unwrap_err().to_string();
        assert_eq!(err(""), "m.csv: no header row and no codes: see the format in README.md");
        assert!(err("code,kind\n1,skip\n").starts_with("m.csv:2: column 1: \"1\": not a CAMEO code"));
        assert!(err("code,kind\n01234,skip\n").starts_with("m.csv:2: column 1: \"01234\""));
        assert!(err("code,kind\n00,skip\n").starts_with("m.csv:2: column 1: \"00\""));
        assert!(err("code,kind\n01\n").starts_with("m.csv:2: 1 cells, but the header puts code and kind"));
        assert!(err("\u{feff}code,kind\n01,Skip\n").starts_with("m.csv: no line for root 02,"));
    }

    #[test]
    fn root_codes() {
        assert_eq!(root_code("0431"), Some(4));
        assert_eq!(root_code("163"), Some(16));
        assert_eq!(root_code("X1"), None);
    }
}
