//! Calendar days and partial dates (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), and the interval
//! rules that turn a relation's start and end into its `possible` and `active` periods.
//!
//! jiff does the calendar arithmetic and validation; this module only adds the notion of a
//! date known to a year or a month, which jiff (rightly) does not parse.

use std::fmt;

use jiff::civil::Date;

/// One calendar day. All intervals in georel are half-open over days: `[from, until)`.
pub type Day = Date;

/// The first year a date may have. Years are written with four digits.
pub const MIN_YEAR: i16 = 1;
/// The last year a date may have. 9999 is kept free so that "the day after" always exists.
pub const MAX_YEAR: i16 = 9998;

/// The day used for "no end": later than any date that can be written.
pub const OPEN_END: Day = Date::MAX;

/// How precisely a [`PartialDate`] is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Precision {
    Year,
    Month,
    Day,
}

/// A date known to a year, a month or a day: "something happened at some point in that
/// period".
///
/// Stored as the first day of the period plus its precision, so that it is small (6 bytes)
/// and cheap to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    first: Day,
    precision: Precision,
}

/// Why a date string was rejected. The message says what was wrong; [`DATE_FORMATS`] says
/// what is allowed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("a date has the form YYYY, YYYY-MM or YYYY-MM-DD")]
    Shape,
    #[error("the year must be between {MIN_YEAR:04} and {MAX_YEAR}")]
    YearRange,
    #[error("the month must be between 01 and 12")]
    Month,
    #[error("day {day} does not exist in {year:04}-{month:02} (it has {days} days)")]
    Day { year: i16, month: i8, day: i8, days: i8 },
}

/// The date forms georel accepts, for error messages.
pub const DATE_FORMATS: &str = "YYYY, YYYY-MM or YYYY-MM-DD (for example 2019, 2019-11 or 2019-11-22)";

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, strictly: four-digit years, two-digit
    /// months and days, and only days that exist (no `2025-02-30`).
    ///
    /// ```
    /// use georel::date::{PartialDate, Precision};
    ///
    /// let november = PartialDate::parse("2019-11").unwrap();
    /// assert_eq!(november.precision(), Precision::Month);
    /// assert_eq!(november.to_string(), "2019-11");
    /// assert_eq!(november.after().to_string(), "2019-12-01");
    /// assert!(PartialDate::parse("2025-02-30").is_err());
    /// assert!(PartialDate::parse("19118").is_err());
    /// ```
    ///
    /// # Errors
    /// A [`DateError`] that says which part is wrong.
    pub fn parse(text: &str) -> Result<Self, DateError> {
        let bytes = text.as_bytes();
        let (year, month, day) = match bytes.len() {
            4 => (digits(bytes, 0, 4)?, None, None),
            7 if bytes[4] == b'-' => (digits(bytes, 0, 4)?, Some(digits(bytes, 5, 2)?), None),
            10 if bytes[4] == b'-' && bytes[7] == b'-' => {
                (digits(bytes, 0, 4)?, Some(digits(bytes, 5, 2)?), Some(digits(bytes, 8, 2)?))
            }
            _ => return Err(DateError::Shape),
        };
        let year = i16::try_from(year).map_err(|_| DateError::YearRange)?;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(DateError::YearRange);
        }
        let precision = match (month, day) {
            (None, _) => Precision::Year,
            (Some(_), None) => Precision::Month,
            (Some(_), Some(_)) => Precision::Day,
        };
        let month = month.unwrap_or(1);
        if !(1..=12).contains(&month) {
            return Err(DateError::Month);
        }
        // Both fit in i8: month is 1..=12 and a day has two digits.
        let month = month as i8;
        let day = day.unwrap_or(1) as i8;
        let first = Date::new(year, month, day).map_err(|_| DateError::Day {
            year,
            month,
            day,
            days: days_in_month(year, month),
        })?;
        Ok(PartialDate { first, precision })
    }

    /// The date whose period starts on `first` and has `precision`, if that is one: `first`
    /// must be a period's first day, in the years that dates may have.
    pub fn from_parts(first: Day, precision: Precision) -> Option<Self> {
        let starts_period = match precision {
            Precision::Year => first.month() == 1 && first.day() == 1,
            Precision::Month => first.day() == 1,
            Precision::Day => true,
        };
        ((MIN_YEAR..=MAX_YEAR).contains(&first.year()) && starts_period)
            .then_some(PartialDate { first, precision })
    }

    /// A date known to the day.
    pub fn day(day: Day) -> Self {
        PartialDate { first: day, precision: Precision::Day }
    }

    /// The first day of the period.
    pub fn first(self) -> Day {
        self.first
    }

    /// The first day after the period (exclusive end).
    pub fn after(self) -> Day {
        // Cannot fail: years stop at MAX_YEAR, so the next day, month or year exists.
        let next = match self.precision {
            Precision::Day => self.first.tomorrow(),
            Precision::Month => self.first.last_of_month().tomorrow(),
            Precision::Year => self.first.last_of_year().tomorrow(),
        };
        next.expect("MAX_YEAR keeps the day after any valid date in range")
    }

    pub fn precision(self) -> Precision {
        self.precision
    }

    /// True when the date is known only to a month or a year.
    pub fn is_partial(self) -> bool {
        self.precision != Precision::Day
    }
}

impl PartialDate {
    /// The date as [`fmt::Display`] writes it, when its year has four digits: digit by digit
    /// (formatting with `{:04}` and `{:02}` was a fifth of the time of writing a snapshot of
    /// millions of relations). The text is `digits[..len]`.
    fn digits(self) -> Option<([u8; 10], usize)> {
        let d = self.first;
        if !(0..=9999).contains(&d.year()) {
            return None;
        }
        let mut text = [b'-'; 10];
        let year = d.year().unsigned_abs();
        for (i, unit) in [1000, 100, 10, 1].into_iter().enumerate() {
            text[i] = b'0' + (year / unit % 10) as u8;
        }
        let two = |text: &mut [u8], at: usize, n: i8| {
            text[at] = b'0' + (n / 10) as u8;
            text[at + 1] = b'0' + (n % 10) as u8;
        };
        two(&mut text, 5, d.month());
        two(&mut text, 8, d.day());
        let len = match self.precision {
            Precision::Year => 4,
            Precision::Month => 7,
            Precision::Day => 10,
        };
        Some((text, len))
    }

    /// Appends the date as [`fmt::Display`] writes it.
    pub fn push_to(self, out: &mut Vec<u8>) {
        match self.digits() {
            Some((text, len)) => out.extend_from_slice(&text[..len]),
            None => out.extend_from_slice(self.to_string().as_bytes()),
        }
    }
}

impl fmt::Display for PartialDate {
    /// Writes the date at its own precision, so that it reads back unchanged.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((text, len)) = self.digits() else {
            // Not a year that can be parsed; written with its sign.
            let d = self.first;
            return match self.precision {
                Precision::Year => write!(f, "{:04}", d.year()),
                Precision::Month => write!(f, "{:04}-{:02}", d.year(), d.month()),
                Precision::Day => write!(f, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            };
        };
        // Only ASCII digits and dashes were written.
        f.write_str(std::str::from_utf8(&text[..len]).map_err(|_| fmt::Error)?)
    }
}

/// The proleptic Gregorian year, month and day of a count of days since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`), for any count: the year may lie outside what a [`Day`] holds.
pub fn civil_from_days(days: i64) -> (i64, i8, i8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m as i8, d as i8)
}

/// Parses a date as its first day: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` meaning the first
/// day of that month or year. For the peer benchmark's day; a query's date names a
/// [`Window`] ([`parse_window`]).
///
/// # Errors
/// A [`DateError`] when the text is not a valid date.
pub fn parse_day(text: &str) -> Result<Day, DateError> {
    PartialDate::parse(text.trim()).map(PartialDate::first)
}

/// Parses a query date such as `--at` as the days it names: `YYYY-MM-DD` one day, `YYYY-MM`
/// and `YYYY` the whole month or year.
///
/// # Errors
/// A [`DateError`] when the text is not a valid date.
pub fn parse_window(text: &str) -> Result<Window, DateError> {
    PartialDate::parse(text.trim()).map(Window::of)
}

fn digits(bytes: &[u8], at: usize, len: usize) -> Result<u32, DateError> {
    bytes[at..at + len].iter().try_fold(0u32, |acc, &b| {
        if b.is_ascii_digit() {
            Ok(acc * 10 + u32::from(b - b'0'))
        } else {
            Err(DateError::Shape)
        }
    })
}

fn days_in_month(year: i16, month: i8) -> i8 {
    Date::new(year, month, 1).map_or(0, |d| d.days_in_month())
}

/// The days a question is about, both ends included: one day (`--at 2025-11-12`), the whole
/// month or year that a date at that precision names (`--at 2025-11`), or an explicit
/// `--from D1 --to D2`. A relation holds in a window when it holds on any of its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Window {
    pub first: Day,
    /// The last day, included.
    pub last: Day,
}

impl Window {
    /// The window of one day.
    pub fn day(day: Day) -> Window {
        Window { first: day, last: day }
    }

    /// The whole period a partial date names: a day, a month or a year.
    pub fn of(date: PartialDate) -> Window {
        let last = date.after().yesterday().expect("the day before a period's end exists");
        Window { first: date.first(), last }
    }

    /// The days from `first` to `last`, both included; `None` when `last` is before `first`.
    pub fn between(first: Day, last: Day) -> Option<Window> {
        (first <= last).then_some(Window { first, last })
    }

    /// The single day, when the window is one.
    pub fn as_day(self) -> Option<Day> {
        (self.first == self.last).then_some(self.first)
    }

    /// The first day after the window (exclusive end).
    pub fn after(self) -> Day {
        self.last.tomorrow().expect("MAX_YEAR keeps the day after any valid date in range")
    }

    pub fn contains(self, day: Day) -> bool {
        self.first <= day && day <= self.last
    }

    /// The window as the end of a sentence: "on 2025-11-12" for a day, "in 2025-11 (at any
    /// time from 2025-11-01 to 2025-11-30)" for a month or a year, so that a reader never
    /// takes it for its first day, else "at any time from 2025-11-03 to 2025-11-20".
    pub fn phrase(self) -> String {
        let text = self.to_string();
        match self.as_day() {
            Some(_) => format!("on {text}"),
            None if text.contains(' ') => self.any_time(),
            None => format!("in {text} ({})", self.any_time()),
        }
    }

    /// "at any time from 2025-11-01 to 2025-11-30": what a window of more than one day means.
    pub fn any_time(self) -> String {
        format!("at any time from {} to {}", PartialDate::day(self.first), PartialDate::day(self.last))
    }

    /// The window in a file name: as written ("2025-11-12", "2025-11", "2025"), or
    /// "2025-11-03_to_2025-11-20".
    pub fn file_part(self) -> String {
        self.to_string().replace(' ', "_")
    }
}

impl fmt::Display for Window {
    /// `2025-11-12` for a day, `2025-11` or `2025` for a whole month or year, else
    /// `2025-11-03 to 2025-11-20`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(day) = self.as_day() {
            return write!(f, "{}", PartialDate::day(day));
        }
        for precision in [Precision::Month, Precision::Year] {
            if let Some(period) = PartialDate::from_parts(self.first, precision) {
                if Window::of(period) == *self {
                    return write!(f, "{period}");
                }
            }
        }
        write!(f, "{} to {}", PartialDate::day(self.first), PartialDate::day(self.last))
    }
}

/// A step between frames: a number of days, weeks, months or years (`10d`, `1w`, `1m`, `1y`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    count: u16,
    unit: StepUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StepUnit {
    Day,
    Week,
    Month,
    Year,
}

/// The step forms georel accepts, for error messages.
pub const STEP_FORMATS: &str = "a whole number and d, w, m or y (for example 10d, 1w, 1m or 1y)";

impl Step {
    /// Parses `Nd`, `Nw`, `Nm` or `Ny` with N from 1 to 9999.
    ///
    /// # Errors
    /// A message saying what is allowed.
    pub fn parse(text: &str) -> Result<Step, String> {
        let text = text.trim();
        let (number, unit) = text.split_at(text.len().saturating_sub(1));
        let unit = match unit {
            "d" => StepUnit::Day,
            "w" => StepUnit::Week,
            "m" => StepUnit::Month,
            "y" => StepUnit::Year,
            _ => return Err(format!("invalid step {text:?}: write {STEP_FORMATS}")),
        };
        match number.parse::<u16>() {
            Ok(count) if (1..=9999).contains(&count) && number.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(Step { count, unit })
            }
            _ => Err(format!("invalid step {text:?}: write {STEP_FORMATS}")),
        }
    }

    /// The day `n` steps after `from`, counted from `from` (not step by step), so that
    /// monthly steps from the 31st land on each month's last day rather than drifting.
    /// `None` past the last supported date.
    pub fn nth(self, from: Day, n: u32) -> Option<Day> {
        let n = i64::from(self.count) * i64::from(n);
        let span = match self.unit {
            StepUnit::Day => jiff::Span::new().try_days(n),
            StepUnit::Week => jiff::Span::new().try_weeks(n),
            StepUnit::Month => jiff::Span::new().try_months(n),
            StepUnit::Year => jiff::Span::new().try_years(n),
        }
        .ok()?;
        from.checked_add(span).ok().filter(|d| d.year() <= MAX_YEAR)
    }

    /// The days from `from` to `to` (both included when reached) every step.
    pub fn days(self, from: Day, to: Day) -> Vec<Day> {
        (0..).map_while(|n| self.nth(from, n).filter(|&d| d <= to)).collect()
    }
}

/// Whether a relation is certainly in force on a day, or only possibly (because a partial
/// start or end date leaves it open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Possible,
    Active,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Possible => "possible",
        }
    }

    /// Whether a relation of this status counts: with `strict` (`--strict`), only an active
    /// one does.
    pub fn counts(self, strict: bool) -> bool {
        !strict || self == Status::Active
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The days on which a relation with this start and end holds, as two nested half-open
/// intervals.
///
/// - `possible` = `[start.first, end.after)` for a partial end, `[start.first, end)` for a
///   day end: every day on which the relation may hold.
/// - `active` = from `start` (a day start) or the day after a partial start's period, until
///   `end` (a day end) or the first day of a partial end's period.
///
/// So a start of `2019-11` is possible throughout November 2019 and active from
/// 2019-12-01, and an end of `2019-11` is active until 2019-10-31, possible in November and
/// over from 2019-12-01. `active` is always inside `possible`, and may be empty.
///
/// It is empty when the end's period overlaps the start's: a one-off event known only to a
/// month or year is written with its period as both start and end (`2021` to `2021`: at some
/// point in 2021), possible on every day of that period and active on none; a start of
/// `2021-03` with an end of `2021` is possible from 2021-03-01 to 2021-12-31. An end at day
/// precision has no period, so an end equal to a day start is an empty interval, an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    pub possible_from: Day,
    pub active_from: Day,
    pub active_until: Day,
    pub possible_until: Day,
}

impl Span {
    /// The days on which a relation's status changes (its bounds but an open end): from one
    /// to the next, its status is the same every day.
    pub fn changes(self) -> impl Iterator<Item = Day> {
        [self.possible_from, self.active_from, self.active_until, self.possible_until]
            .into_iter()
            .filter(|&d| d != OPEN_END)
    }

    /// Builds the span of a relation. `None` for `end` means open-ended.
    ///
    /// # Errors
    /// [`SpanError`] when the relation could never hold: its end (the last day of a partial
    /// end's period) is not after its start's first day.
    pub fn new(start: PartialDate, end: Option<PartialDate>) -> Result<Self, SpanError> {
        let possible_from = start.first();
        let active_from = if start.is_partial() { start.after() } else { start.first() };
        let (active_until, possible_until) = match end {
            None => (OPEN_END, OPEN_END),
            Some(end) if end.is_partial() => (end.first(), end.after()),
            Some(end) => (end.first(), end.first()),
        };
        if possible_until <= possible_from {
            return Err(SpanError::EndNotAfterStart);
        }
        Ok(Span { possible_from, active_from, active_until, possible_until })
    }

    /// The relation's status on `day`, or `None` when it does not hold then.
    ///
    /// ```
    /// use georel::date::{PartialDate, Span, Status};
    /// use jiff::civil::date;
    ///
    /// // Started "in November 2019", still in force.
    /// let span = Span::new(PartialDate::parse("2019-11").unwrap(), None).unwrap();
    /// assert_eq!(span.status_on(date(2019, 10, 31)), None);
    /// assert_eq!(span.status_on(date(2019, 11, 15)), Some(Status::Possible));
    /// assert_eq!(span.status_on(date(2019, 12, 1)), Some(Status::Active));
    ///
    /// // Half-open: the end day itself is excluded.
    /// let day = |d| PartialDate::parse(d).unwrap();
    /// let span = Span::new(day("2025-11-11"), Some(day("2025-11-13"))).unwrap();
    /// assert_eq!(span.status_on(date(2025, 11, 12)), Some(Status::Active));
    /// assert_eq!(span.status_on(date(2025, 11, 13)), None);
    /// ```
    #[inline]
    pub fn status_on(&self, day: Day) -> Option<Status> {
        if day < self.possible_from || day >= self.possible_until {
            None
        } else if day >= self.active_from && day < self.active_until {
            Some(Status::Active)
        } else {
            Some(Status::Possible)
        }
    }

    /// The relation's status over `window`: `Active` when it is active on some day of it,
    /// `Possible` when it may hold on some day of it but is active on none, `None` when it
    /// holds on none. So a window's answer is the union of its days' answers.
    #[inline]
    pub fn status_in(&self, window: Window) -> Option<Status> {
        if window.last < self.possible_from || window.first >= self.possible_until {
            None
        } else if self.active_from < self.active_until
            && window.last >= self.active_from
            && window.first < self.active_until
        {
            Some(Status::Active)
        } else {
            Some(Status::Possible)
        }
    }

    pub fn is_open_ended(&self) -> bool {
        self.possible_until == OPEN_END
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    #[error("the end is not after the start, so the relation would never hold (intervals are half-open: the end is the first day on which it no longer holds)")]
    EndNotAfterStart,
}

/// Shorthands for the unit tests of every module that builds dates.
#[cfg(test)]
pub(crate) mod testing {
    use super::{PartialDate, Span};

    /// A valid partial date.
    pub(crate) fn p(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    /// The span of a valid start and optional end.
    pub(crate) fn span(start: &str, end: Option<&str>) -> Span {
        Span::new(p(start), end.map(p)).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::{p, span};
    use super::*;
    use jiff::civil::date;

    proptest::proptest! {
        /// A window's status is the best of its days' statuses (active over possible over
        /// none), for every span and window.
        #[test]
        fn status_in_a_window_is_the_union_of_its_days(
            start in 0i32..120, len in 1i32..90, partial_start in 0u8..3, partial_end in 0u8..4,
            from in 0i32..200, width in 0i32..60,
        ) {
            let base = date(2019, 1, 1);
            let at = |n: i32| base.checked_add(jiff::Span::new().days(n)).unwrap();
            let as_date = |d: Day, kind: u8| match kind {
                0 => PartialDate::day(d),
                1 => PartialDate::from_parts(d.first_of_month(), Precision::Month).unwrap(),
                _ => PartialDate::from_parts(d.first_of_year(), Precision::Year).unwrap(),
            };
            let start_date = as_date(at(start), partial_start);
            let end_date = (partial_end < 3).then(|| as_date(at(start + len), partial_end));
            let Ok(span) = Span::new(start_date, end_date) else { return Ok(()) };
            let window = Window { first: at(from), last: at(from + width) };
            let days = (from..=from + width).map(|n| span.status_on(at(n)));
            proptest::prop_assert_eq!(span.status_in(window), days.max().flatten());
        }
    }

    #[test]
    fn windows_say_what_they_mean() {
        assert_eq!(Window::of(p("2025-11-12")).phrase(), "on 2025-11-12");
        assert_eq!(
            Window::of(p("2025-11")).phrase(),
            "in 2025-11 (at any time from 2025-11-01 to 2025-11-30)"
        );
        let explicit = Window::between(date(2025, 11, 3), date(2025, 11, 20)).unwrap();
        assert_eq!(explicit.phrase(), "at any time from 2025-11-03 to 2025-11-20");
        assert_eq!(explicit.file_part(), "2025-11-03_to_2025-11-20");
        assert_eq!(Window::of(p("2024")).file_part(), "2024");
    }

    #[test]
    fn windows_name_their_period() {
        let month = Window::of(p("2025-11"));
        assert_eq!((month.first, month.last), (date(2025, 11, 1), date(2025, 11, 30)));
        assert_eq!(month.to_string(), "2025-11");
        assert_eq!(Window::of(p("2024")).to_string(), "2024");
        assert_eq!(Window::of(p("2025-11-12")).as_day(), Some(date(2025, 11, 12)));
        assert_eq!(
            Window::between(date(2025, 11, 3), date(2025, 11, 20)).unwrap().to_string(),
            "2025-11-03 to 2025-11-20"
        );
        assert_eq!(Window::between(date(2025, 11, 3), date(2025, 11, 2)), None);
    }

    proptest::proptest! {
        /// Dates are written digit by digit: the text must be the zero-padded one.
        #[test]
        fn prints_as_padded_formatting_does(y in MIN_YEAR..=MAX_YEAR, m in 1i8..=12, d in 1i8..=28) {
            let day = date(y, m, d);
            let (year, month) = (date(y, 1, 1), date(y, m, 1));
            proptest::prop_assert_eq!(PartialDate::day(day).to_string(), format!("{y:04}-{m:02}-{d:02}"));
            let by_month = PartialDate::from_parts(month, Precision::Month).unwrap();
            proptest::prop_assert_eq!(by_month.to_string(), format!("{y:04}-{m:02}"));
            let by_year = PartialDate::from_parts(year, Precision::Year).unwrap();
            proptest::prop_assert_eq!(by_year.to_string(), format!("{y:04}"));
        }
    }

    #[test]
    fn parts_must_start_their_period_in_a_writable_year() {
        assert_eq!(PartialDate::from_parts(date(2019, 11, 1), Precision::Month), Some(p("2019-11")));
        assert_eq!(PartialDate::from_parts(date(2019, 1, 1), Precision::Year), Some(p("2019")));
        assert_eq!(PartialDate::from_parts(date(2019, 11, 2), Precision::Month), None);
        assert_eq!(PartialDate::from_parts(date(2019, 2, 1), Precision::Year), None);
        assert_eq!(PartialDate::from_parts(date(9999, 1, 1), Precision::Day), None);
        assert_eq!(PartialDate::from_parts(date(0, 1, 1), Precision::Year), None);
        // Outside the writable years, a day still prints with its sign.
        assert_eq!(PartialDate::day(date(-5, 3, 4)).to_string(), "-005-03-04");
    }

    #[test]
    fn parses_each_precision_and_prints_it_back() {
        for text in ["2019", "2019-11", "2019-11-22", "0001", "9998-12-31", "2024-02-29"] {
            assert_eq!(p(text).to_string(), text);
        }
        assert_eq!(p("2019").precision(), Precision::Year);
        assert_eq!(p("2019-11").precision(), Precision::Month);
        assert_eq!(p("2019-11-22").precision(), Precision::Day);
    }

    #[test]
    fn rejects_invalid_dates_with_the_reason() {
        assert_eq!(PartialDate::parse("2025-13-01"), Err(DateError::Month));
        assert_eq!(PartialDate::parse("2025-00"), Err(DateError::Month));
        assert_eq!(
            PartialDate::parse("2025-02-30"),
            Err(DateError::Day { year: 2025, month: 2, day: 30, days: 28 })
        );
        assert_eq!(
            PartialDate::parse("2023-02-29"),
            Err(DateError::Day { year: 2023, month: 2, day: 29, days: 28 })
        );
        assert_eq!(
            PartialDate::parse("2025-04-00"),
            Err(DateError::Day { year: 2025, month: 4, day: 0, days: 30 })
        );
        for shape in [
            "19118",
            "11/12/2025",
            "2025-1-01",
            "2025-01-1",
            "",
            "20x5",
            "2025/01",
            " 2025",
            "2025-01-01T00:00",
            "+2025",
        ] {
            assert_eq!(PartialDate::parse(shape), Err(DateError::Shape), "{shape:?}");
        }
        assert_eq!(PartialDate::parse("0000"), Err(DateError::YearRange));
        assert_eq!(PartialDate::parse("9999"), Err(DateError::YearRange));
    }

    #[test]
    fn after_is_the_first_day_past_the_period() {
        assert_eq!(p("2019").after(), date(2020, 1, 1));
        assert_eq!(p("2019-11").after(), date(2019, 12, 1));
        assert_eq!(p("2019-12").after(), date(2020, 1, 1));
        assert_eq!(p("2024-02").after(), date(2024, 3, 1));
        assert_eq!(p("2019-11-30").after(), date(2019, 12, 1));
        assert_eq!(p("9998").after(), date(9999, 1, 1));
    }

    #[test]
    fn day_precision_is_half_open_with_no_possible_period() {
        let s = span("2025-11-11", Some("2025-11-13"));
        assert_eq!(s.status_on(date(2025, 11, 10)), None);
        assert_eq!(s.status_on(date(2025, 11, 11)), Some(Status::Active));
        assert_eq!(s.status_on(date(2025, 11, 12)), Some(Status::Active));
        assert_eq!(s.status_on(date(2025, 11, 13)), None, "the end day is excluded");
    }

    #[test]
    fn month_start_is_possible_in_the_month_then_active() {
        let s = span("2019-11", None);
        assert_eq!(s.status_on(date(2019, 10, 31)), None);
        assert_eq!(s.status_on(date(2019, 11, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 11, 30)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 12, 1)), Some(Status::Active));
        assert_eq!(s.status_on(date(9998, 12, 31)), Some(Status::Active), "open-ended");
    }

    #[test]
    fn month_end_is_active_before_possible_during_and_over_after() {
        let s = span("2019-01-01", Some("2019-11"));
        assert_eq!(s.status_on(date(2019, 10, 31)), Some(Status::Active));
        assert_eq!(s.status_on(date(2019, 11, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 11, 30)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 12, 1)), None);
    }

    #[test]
    fn year_start_and_year_end() {
        let s = span("2014", Some("2016"));
        assert_eq!(s.status_on(date(2013, 12, 31)), None);
        assert_eq!(s.status_on(date(2014, 6, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2015, 1, 1)), Some(Status::Active));
        assert_eq!(s.status_on(date(2015, 12, 31)), Some(Status::Active));
        assert_eq!(s.status_on(date(2016, 1, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2016, 12, 31)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2017, 1, 1)), None);
    }

    #[test]
    fn start_and_end_in_the_same_month_is_only_ever_possible() {
        let s = span("2019-11", Some("2019-11"));
        assert_eq!(s.status_on(date(2019, 11, 15)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 12, 1)), None);
        assert_eq!(s.active_from, date(2019, 12, 1));
        assert_eq!(s.active_until, date(2019, 11, 1));
    }

    #[test]
    fn mixed_precisions_nest_active_inside_possible() {
        let s = span("2019-11-15", Some("2019-11"));
        assert_eq!(s.status_on(date(2019, 11, 14)), None);
        assert_eq!(s.status_on(date(2019, 11, 15)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2019, 12, 1)), None);
    }

    #[test]
    fn touching_intervals_never_overlap_and_leave_no_gap() {
        let first = span("2020-01-01", Some("2020-06-01"));
        let second = span("2020-06-01", None);
        let day = date(2020, 6, 1);
        assert_eq!(first.status_on(day), None);
        assert_eq!(second.status_on(day), Some(Status::Active));
        assert_eq!(first.status_on(date(2020, 5, 31)), Some(Status::Active));
        assert_eq!(second.status_on(date(2020, 5, 31)), None);
    }

    #[test]
    fn end_not_after_start_is_rejected() {
        assert!(Span::new(p("2020-01-02"), Some(p("2020-01-01"))).is_err());
        assert!(Span::new(p("2020-01-01"), Some(p("2020-01-01"))).is_err(), "empty interval");
        assert!(Span::new(p("2020"), Some(p("2019-12"))).is_err());
        assert!(Span::new(p("2020-01-01"), Some(p("2020-01-02"))).is_ok());
        assert!(Span::new(p("2020-01-31"), Some(p("2020-01"))).is_ok(), "may end late in January");
    }

    #[test]
    fn a_partial_end_equal_to_its_start_is_a_one_off_in_that_period() {
        // "At some point in 2021": possible on every day of 2021, active on none.
        let year = span("2021", Some("2021"));
        assert_eq!(year.status_on(date(2020, 12, 31)), None);
        assert_eq!(year.status_on(date(2021, 1, 1)), Some(Status::Possible));
        assert_eq!(year.status_on(date(2021, 12, 31)), Some(Status::Possible));
        assert_eq!(year.status_on(date(2022, 1, 1)), None);
        assert_eq!(year.status_in(Window::of(p("2021"))), Some(Status::Possible), "never active");
        let month = span("2022-01", Some("2022-01"));
        assert_eq!(month.status_on(date(2022, 1, 31)), Some(Status::Possible));
        assert_eq!(month.status_on(date(2022, 2, 1)), None);
        assert_eq!(month.status_in(Window::of(p("2022"))), Some(Status::Possible));
        // A day has no period to be "some point in": an end equal to it is empty.
        assert_eq!(Span::new(p("2021-03-15"), Some(p("2021-03-15"))), Err(SpanError::EndNotAfterStart));
    }

    #[test]
    fn an_end_period_overlapping_the_start_period_is_never_active() {
        // Started in March 2021, ended in 2021: possible from 1 March to the end of 2021.
        let s = span("2021-03", Some("2021"));
        assert_eq!(s.status_on(date(2021, 2, 28)), None);
        assert_eq!(s.status_on(date(2021, 3, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2021, 12, 31)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2022, 1, 1)), None);
        assert_eq!(s.status_in(Window::of(p("2021"))), Some(Status::Possible));
        // Started in 2021, ended in March 2021: possible until the end of March.
        let s = span("2021", Some("2021-03"));
        assert_eq!(s.status_on(date(2021, 1, 1)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2021, 3, 31)), Some(Status::Possible));
        assert_eq!(s.status_on(date(2021, 4, 1)), None);
        assert_eq!(s.status_in(Window::of(p("2021"))), Some(Status::Possible));
        // A day start inside the end's period: from that day to the period's end.
        let s = span("2021-03-15", Some("2021"));
        assert_eq!(s.status_on(date(2021, 3, 14)), None);
        assert_eq!(s.status_in(Window::of(p("2021"))), Some(Status::Possible));
        // An end period wholly before the start is still an error.
        assert!(Span::new(p("2021-03"), Some(p("2021-02"))).is_err());
        assert!(Span::new(p("2021"), Some(p("2021-01-01"))).is_err(), "ends before 2021 begins");
    }

    #[test]
    fn steps_parse_and_count_from_the_start() {
        assert_eq!(
            Step::parse("1m").unwrap().days(date(2025, 1, 31), date(2025, 5, 1)),
            [date(2025, 1, 31), date(2025, 2, 28), date(2025, 3, 31), date(2025, 4, 30)]
        );
        assert_eq!(
            Step::parse("10d").unwrap().days(date(2025, 1, 1), date(2025, 1, 21)),
            [date(2025, 1, 1), date(2025, 1, 11), date(2025, 1, 21)]
        );
        assert_eq!(Step::parse("1w").unwrap().days(date(2025, 1, 1), date(2025, 1, 14)).len(), 2);
        assert_eq!(
            Step::parse("1y").unwrap().days(date(2024, 2, 29), date(2026, 3, 1)),
            [date(2024, 2, 29), date(2025, 2, 28), date(2026, 2, 28)]
        );
        assert_eq!(Step::parse("1d").unwrap().days(date(2025, 1, 2), date(2025, 1, 1)), []);
        for bad in ["", "m", "0d", "1x", "-1d", "1.5m", "+1m", "10000d", "d1"] {
            assert!(Step::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn query_dates_take_the_first_day() {
        assert_eq!(parse_day("2025-11"), Ok(date(2025, 11, 1)));
        assert_eq!(parse_day("2019"), Ok(date(2019, 1, 1)));
        assert_eq!(parse_day("2025-11-12"), Ok(date(2025, 11, 12)));
    }
}
