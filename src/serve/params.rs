//! An API request's query string, read into typed values: each bad value becomes a 400 that
//! names the parameter, the value and what is allowed.

use std::collections::HashMap;

use crate::date::{self, Day, Window, DATE_FORMATS};
use crate::model::{Credibility, GradeFilter, KindSet, RelationKind, Reliability};
use crate::snapshot::{Filter, Grouping, Options};

use super::ApiError;

/// The longest value a parameter may have, in bytes once decoded: far above any name, date or
/// list the API takes, and short enough that no name search on it keeps a worker busy (the
/// typo suggester compares a `q` with every name: 20,000 characters took 10 s).
pub const MAX_VALUE: usize = 1000;

/// The decoded `name=value` pairs of a query string, each name once.
#[derive(Debug, Default)]
pub struct Params(HashMap<String, String>);

/// Decodes `%XX` and `+`; `None` when the bytes are not UTF-8.
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            // Two hex digits exactly: `u8::from_str_radix` alone also takes a sign (`%+1`).
            b'%' if i + 2 < bytes.len() && bytes[i + 1..i + 3].iter().all(u8::is_ascii_hexdigit) => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII digits");
                out.push(u8::from_str_radix(hex, 16).expect("two hex digits"));
                i += 3;
                continue;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

impl Params {
    /// Reads a query string (without the `?`).
    ///
    /// # Errors
    /// A value that is not UTF-8 once decoded, or longer than [`MAX_VALUE`]; a name given twice (which of two dates or
    /// two kind lists was meant is not for the server to guess).
    pub fn parse(query: &str) -> Result<Params, ApiError> {
        let mut map = HashMap::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let bad = || ApiError::bad(name, value, "percent-encoded UTF-8");
            let name = percent_decode(name).ok_or_else(bad)?;
            let value = percent_decode(value).ok_or_else(bad)?;
            if value.len() > MAX_VALUE {
                let shown: String = value.chars().take(40).collect();
                return Err(ApiError::bad(
                    &name,
                    &format!("{shown}..."),
                    &format!("at most {MAX_VALUE} bytes (this one has {})", value.len()),
                ));
            }
            if let Some(first) = map.get(&name) {
                return Err(ApiError::bad(
                    &name,
                    &value,
                    &format!("each parameter once: {name} is given twice ({first:?} and {value:?})"),
                ));
            }
            map.insert(name, value);
        }
        Ok(Params(map))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|v| !v.is_empty())
    }

    /// A parameter that must be there.
    pub fn need(&self, name: &str, allowed: &str) -> Result<&str, ApiError> {
        self.get(name).ok_or_else(|| ApiError::bad(name, "", allowed))
    }

    pub fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.get(name) {
            None | Some("0") | Some("false") => Ok(false),
            Some("1") | Some("true") => Ok(true),
            Some(other) => Err(ApiError::bad(name, other, "1 or 0")),
        }
    }

    /// One day (`name=YYYY-MM-DD`).
    pub fn day(&self, name: &str) -> Result<Option<Day>, ApiError> {
        self.get(name)
            .map(|v| {
                date::parse_day(v).map_err(|e| ApiError::bad(name, v, &format!("a day, YYYY-MM-DD ({e})")))
            })
            .transpose()
    }

    /// The date or period asked about: `at` (a day, month or year) or `from` and `to` (the
    /// CLI's rules: from the first day of `from` to the last of `to`); `default` when none.
    pub fn window(&self, default: Day) -> Result<Window, ApiError> {
        let parse = |name: &str| -> Result<Option<Window>, ApiError> {
            self.get(name)
                .map(|v| {
                    date::parse_window(v)
                        .map_err(|e| ApiError::bad(name, v, &format!("{DATE_FORMATS} ({e})")))
                })
                .transpose()
        };
        match (parse("at")?, parse("from")?, parse("to")?) {
            (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
                Err(ApiError::bad("at", self.get("at").unwrap_or(""), "either at, or from and to, not both"))
            }
            (Some(at), None, None) => Ok(at),
            (None, Some(from), Some(to)) => Window::between(from.first, to.last)
                .ok_or_else(|| ApiError::bad("to", self.get("to").unwrap_or(""), "a date not before from")),
            (None, Some(_), None) => Err(ApiError::bad("to", "", "to goes with from")),
            (None, None, Some(_)) => Err(ApiError::bad("from", "", "from goes with to")),
            (None, None, None) => Ok(Window::day(default)),
        }
    }

    /// The date or period of an endpoint whose `from` and `to` name something else (a
    /// path's ends): `at` only.
    pub fn at(&self, default: Day) -> Result<Window, ApiError> {
        match self.get("at") {
            None => Ok(Window::day(default)),
            Some(v) => {
                date::parse_window(v).map_err(|e| ApiError::bad("at", v, &format!("{DATE_FORMATS} ({e})")))
            }
        }
    }

    /// The filters every reading endpoint takes.
    pub fn filters(&self) -> Result<Filters, ApiError> {
        let kinds = match self.get("kinds") {
            None => KindSet::ALL,
            Some(list) => list
                .split(',')
                .map(|k| {
                    k.trim().parse::<RelationKind>().map_err(|_| {
                        ApiError::bad(
                            "kinds",
                            list,
                            "a comma-separated list of cooperation, restriction, dispute, membership",
                        )
                    })
                })
                .collect::<Result<KindSet, _>>()?,
        };
        let all = GradeFilter::default();
        let min_reliability = match self.get("min_reliability") {
            None => all.min_reliability,
            Some(v) => v
                .trim()
                .parse::<Reliability>()
                .map_err(|()| ApiError::bad("min_reliability", v, "A, B, C, D, E or F"))?,
        };
        let min_credibility = match self.get("min_credibility") {
            None => all.min_credibility,
            Some(v) => v
                .trim()
                .parse::<Credibility>()
                .map_err(|()| ApiError::bad("min_credibility", v, "1, 2, 3, 4, 5 or 6"))?,
        };
        Ok(Filters {
            kinds,
            grades: GradeFilter { min_reliability, min_credibility },
            by_country: self.flag("by_country")?,
            strict: self.flag("strict")?,
        })
    }

    /// A whole number within `range`, `default` when absent.
    pub fn number(
        &self,
        name: &str,
        default: usize,
        range: std::ops::RangeInclusive<usize>,
    ) -> Result<usize, ApiError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v.parse::<usize>().ok().filter(|n| range.contains(n)).ok_or_else(|| {
                ApiError::bad(name, v, &format!("a whole number from {} to {}", range.start(), range.end()))
            }),
        }
    }
}

/// What every reading endpoint filters by: kinds, grades, the roll-up to countries and
/// `strict` (active relations only), with the CLI's meanings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Filters {
    pub kinds: KindSet,
    pub grades: GradeFilter,
    pub by_country: bool,
    pub strict: bool,
}

impl Filters {
    /// The snapshot options the CLI would use for these filters.
    pub fn options(self) -> Options {
        Options {
            filter: Filter { kinds: self.kinds, strict: self.strict },
            grouping: if self.by_country { Grouping::Countries } else { Grouping::Actors },
            ..Options::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_given_twice_is_refused_not_silently_overridden() {
        // `kinds=cooperation&kinds=restriction` read as restriction only: an analyst who
        // meant both got half the answer with no word of it.
        let e = Params::parse("at=2025&kinds=cooperation&kinds=restriction").unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(e.body["param"], "kinds");
        assert!(e.body["error"].as_str().unwrap().contains("given twice"), "{}", e.body);
        assert!(Params::parse("at=2025&kinds=cooperation,restriction").is_ok());
    }

    #[test]
    fn only_two_hex_digits_after_a_percent_are_decoded() {
        // `u8::from_str_radix` takes a sign: `%+1` became the byte 1.
        assert_eq!(percent_decode("%+1x").as_deref(), Some("% 1x"));
        assert_eq!(percent_decode("a%2Bb+c%41").as_deref(), Some("a+b cA"));
        assert_eq!(percent_decode("100%").as_deref(), Some("100%"));
        assert_eq!(percent_decode("%4"), Some("%4".to_string()));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn a_value_longer_than_any_name_is_refused_before_it_is_searched() {
        // A 20,000-character `q` kept a worker busy for 10 s (the typo suggester compares it
        // with every name); four such requests held every worker.
        let long = "a".repeat(MAX_VALUE + 1);
        let e = Params::parse(&format!("q={long}")).unwrap_err();
        assert_eq!(e.status, 400);
        assert_eq!(e.body["param"], "q");
        assert!(Params::parse(&format!("q={}", "a".repeat(MAX_VALUE))).is_ok());
    }
}
