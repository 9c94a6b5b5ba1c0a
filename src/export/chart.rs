//! A timeline record ([`History`]) as a chart: one lane per counterpart (per relation for a
//! pair), bars from start to end coloured by kind as the DOT pictures colour them, possible
//! stretches hatched, open ends as arrows, contested stretches shaded, the pair's state as a
//! band on top, a date axis and a legend. Written as SVG with an XML writer; PNG is that SVG
//! drawn by resvg with the font shipped in `assets/fonts` (so it looks the same everywhere
//! and needs no Graphviz).
//!
//! Long stretches in which nothing changes and nothing is merely possible (Colombia's
//! cooperation with the United States from 2001 to the autumn of 2025) are cut out of the
//! axis and drawn as a break: on one linear axis, the weeks in which the pair's story turned
//! would be a few pixels wide. Each part of the axis is linear and has its own ticks.
//!
//! Every bar is a `<g class="bar">` carrying `data-relation`, `data-kind`, `data-start` and
//! `data-end` and a `<title>` (the tooltip), so that a reader, and a test, can tell which
//! relation each bar is.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::Arc;

use jiff::civil::Date;
use jiff::ToSpan;
use quick_xml::events::{BytesEnd, BytesStart, BytesText, Event as Xml};
use quick_xml::Writer;

use crate::date::{Day, OPEN_END};
use crate::export::arrow;
use crate::export::dot::{kind_colour, CONTESTED_COLOUR};
use crate::export::text::count;
use crate::model::{ActorIx, Dataset, RelationIx, RelationKind};
use crate::query::history::{self, Entry, Event, History, Period, Reach, State};
use crate::snapshot::Grouping;

pub mod line;

/// The font the chart is measured with and a PNG is drawn with (DejaVu Sans, whose licence
/// is beside it). Wide, so a label measured with it fits in any other sans-serif font.
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
const FONT_FAMILY: &str = "DejaVu Sans, Verdana, Arial, sans-serif";

const WIDTH: f64 = 1100.0;
const MARGIN: f64 = 16.0;
/// Room right of the plot for the arrowheads of open ends.
const ARROW_ROOM: f64 = 22.0;
const ROW: f64 = 22.0;
const BAR: f64 = 14.0;
const LANE_PAD: f64 = 10.0;
const BAND: f64 = 24.0;
const BREAK: f64 = 14.0;
const LABEL_SIZE: f64 = 12.0;
const SMALL_SIZE: f64 = 10.0;
const MAX_LABEL: f64 = 300.0;
/// A PNG has twice the SVG's pixels, to stay sharp on high-density screens; a tall chart
/// less, so that it is at most [`PNG_MAX_HEIGHT`] pixels tall (but never less than once).
pub const PNG_SCALE: f32 = 2.0;
pub const PNG_MAX_HEIGHT: f32 = 16384.0;

/// The most rows of bars a chart draws (a lane has one row, or more where its bars overlap
/// in time): beyond that it is no longer a picture one can read, and its PNG would take
/// hundreds of megabytes to draw.
pub const MAX_ROWS: usize = 400;

/// A record too large to chart.
#[derive(Debug, thiserror::Error)]
#[error(
    "the chart would have {rows} rows of bars, more than the {MAX_ROWS} a reader can follow: narrow the record (--kinds, --exact, or a second actor for a pair), or use --format text, csv or json"
)]
pub struct TooLarge {
    /// At least this many (counting stops early on a very large record).
    pub rows: usize,
}

/// Whether the record can be charted: at most [`MAX_ROWS`] rows of bars.
///
/// # Errors
/// [`TooLarge`] when it has more.
pub fn check(ds: &Dataset, history: &History) -> Result<(), TooLarge> {
    let starts = starts(history);
    // Packing bars into rows is quadratic in a lane's bars: a record of more bars than any
    // chart can hold is refused before.
    if starts.len() > MAX_ROWS * 8 {
        return Err(TooLarge { rows: starts.len() / 8 });
    }
    let rows = lanes(ds, history, &starts).iter().map(|l| l.rows).sum();
    if rows > MAX_ROWS {
        return Err(TooLarge { rows });
    }
    Ok(())
}

/// The most breaks in the axis, and the shortest stretch cut out.
const MAX_BREAKS: usize = 5;
const MIN_BREAK_DAYS: i32 = 365;

/// Writes the chart of `history` as SVG (see [`check`] for how large it may be). `strict` counts only active days in the contested
/// stretches of a one-actor chart (as it did in the pair's periods).
///
/// # Errors
/// When `out` fails, or the record is too large ([`TooLarge`]).
pub fn svg(ds: &Dataset, history: &History, strict: bool, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&svg_bytes(ds, history, strict)?)
}

/// Writes the chart of `history` as PNG: [`svg`] drawn at [`PNG_SCALE`] (less when tall).
///
/// # Errors
/// When `out` fails, the record is too large ([`TooLarge`]), or (which would be a bug) when the
/// chart's SVG cannot be read back.
pub fn png(ds: &Dataset, history: &History, strict: bool, out: &mut dyn Write) -> io::Result<()> {
    png_of_svg(&svg_bytes(ds, history, strict)?, out)
}

/// Draws a chart's SVG as PNG at [`PNG_SCALE`] (less when tall), with the shipped font only.
fn png_of_svg(svg: &[u8], out: &mut dyn Write) -> io::Result<()> {
    let mut options = resvg::usvg::Options { font_family: "DejaVu Sans".into(), ..Default::default() };
    // Only the shipped font: the picture must not depend on the fonts of the machine.
    options.fontdb = Arc::new(resvg::usvg::fontdb::Database::new());
    options.fontdb_mut().load_font_data(FONT.to_vec());
    let tree = resvg::usvg::Tree::from_data(svg, &options).map_err(io::Error::other)?;
    let scale = PNG_SCALE.min(PNG_MAX_HEIGHT / tree.size().height()).max(1.0);
    let size = tree.size().to_int_size().scale_by(scale).ok_or_else(|| io::Error::other("empty chart"))?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or_else(|| io::Error::other("the chart is too large to draw"))?;
    resvg::render(&tree, resvg::tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    out.write_all(&pixmap.encode_png().map_err(io::Error::other)?)
}

/// One lane: a counterpart (or, for a pair, one relation), with its bars in rows so that
/// bars that overlap in time do not cover each other.
struct Lane {
    label: String,
    /// A second, smaller line (for a pair: the relation's ends when they stand in for the
    /// actors).
    note: Option<String>,
    bars: Vec<(RelationIx, usize)>,
    rows: usize,
}

fn svg_bytes(ds: &Dataset, history: &History, strict: bool) -> io::Result<Vec<u8>> {
    check(ds, history).map_err(io::Error::other)?;
    let font = Font::new();
    let starts = starts(history);
    let relations: Vec<RelationIx> = starts.iter().map(|e| e.relation).collect();
    let lanes = lanes(ds, history, &starts);
    let axis_days = key_days(ds, history, &relations);

    let label_width = lanes
        .iter()
        .flat_map(|l| {
            let note = l.note.as_deref().map_or(0.0, |n| font.width(n, SMALL_SIZE));
            [font.width(&l.label, LABEL_SIZE), note]
        })
        .chain([font.width("state of the pair", LABEL_SIZE)])
        .fold(80.0_f64, f64::max)
        .min(MAX_LABEL);
    let plot_x0 = MARGIN + label_width + 12.0;
    let plot_x1 = WIDTH - MARGIN - ARROW_ROOM;
    let axis = Axis::new(ds, &relations, &axis_days, plot_x0, plot_x1);

    let pair = history.other.is_some();
    let title_y = 30.0;
    let band_y = 66.0;
    let lanes_y = if pair { band_y + BAND + 12.0 } else { band_y };
    let mut lane_ys = Vec::with_capacity(lanes.len());
    let mut y = lanes_y;
    for lane in &lanes {
        lane_ys.push(y);
        y += lane.rows as f64 * ROW + LANE_PAD;
    }
    let axis_y = y + 4.0;
    let legend_y = axis_y + 44.0;
    let height = legend_y + 30.0;

    let mut w = Svg::new();
    w.open_root(WIDTH, height, "georel-timeline")?;
    w.text_element("title", &[], &title(ds, history))?;
    write_defs(&mut w)?;
    w.empty("rect", &[("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])?;
    w.text_element(
        "text",
        &[("x", &px(MARGIN)), ("y", &px(title_y)), ("font-size", "18"), ("font-weight", "bold")],
        &heading(ds, history, &font),
    )?;
    w.text_element(
        "text",
        &[("x", &px(MARGIN)), ("y", &px(title_y + 20.0)), ("font-size", "12"), ("fill", "#555555")],
        &font.fit(&subtitle(ds, history, &relations), 12.0, WIDTH - 2.0 * MARGIN),
    )?;

    // Lane backgrounds and labels, then what lies behind the bars, then the bars.
    for (i, (lane, &ly)) in lanes.iter().zip(&lane_ys).enumerate() {
        let h = lane.rows as f64 * ROW + LANE_PAD;
        let fill = if i % 2 == 0 { "#f5f5f5" } else { "#ffffff" };
        w.empty(
            "rect",
            &[
                ("x", &px(MARGIN)),
                ("y", &px(ly)),
                ("width", &px(WIDTH - 2.0 * MARGIN)),
                ("height", &px(h)),
                ("fill", fill),
            ],
        )?;
        let label = font.fit(&lane.label, LABEL_SIZE, label_width);
        let centre = ly + h / 2.0;
        let (label_y, note_y) =
            if lane.note.is_some() { (centre - 2.0, centre + 11.0) } else { (centre + 4.0, 0.0) };
        w.text_element(
            "text",
            &[("class", "lane-label"), ("x", &px(MARGIN + 4.0)), ("y", &px(label_y)), ("font-size", "12")],
            &label,
        )?;
        if let Some(note) = &lane.note {
            w.text_element(
                "text",
                &[("x", &px(MARGIN + 4.0)), ("y", &px(note_y)), ("font-size", "10"), ("fill", "#555555")],
                &font.fit(note, SMALL_SIZE, label_width),
            )?;
        }
    }
    axis.write_grid(&mut w, lanes_y - if pair { BAND + 12.0 } else { 0.0 }, axis_y)?;
    if pair {
        // The pair's contested periods, shaded across every lane.
        for p in contested(&history.periods) {
            write_contested(&mut w, &axis, &p, band_y, axis_y - band_y, &contested_title(ds, &p))?;
        }
    } else {
        // A counterpart's contested stretches, shaded in its own lane.
        for (lane, &ly) in lanes.iter().zip(&lane_ys) {
            let mine: Vec<RelationIx> = lane.bars.iter().map(|&(r, _)| r).collect();
            for p in contested(&history::periods(ds, &mine, strict)) {
                let h = lane.rows as f64 * ROW + LANE_PAD;
                write_contested(&mut w, &axis, &p, ly, h, &contested_title(ds, &p))?;
            }
        }
    }
    if pair {
        w.text_element(
            "text",
            &[
                ("x", &px(MARGIN + 4.0)),
                ("y", &px(band_y + BAND / 2.0 + 4.0)),
                ("font-size", "12"),
                ("font-weight", "bold"),
            ],
            "state of the pair",
        )?;
        for (i, p) in history.periods.iter().enumerate() {
            write_period(&mut w, &font, ds, &axis, i, p, band_y)?;
        }
    }
    let index: HashMap<RelationIx, usize> = starts.iter().enumerate().map(|(i, e)| (e.relation, i)).collect();
    for (lane, &ly) in lanes.iter().zip(&lane_ys) {
        for &(r, row) in &lane.bars {
            let y = ly + LANE_PAD / 2.0 + row as f64 * ROW + (ROW - BAR) / 2.0;
            write_bar(&mut w, &font, ds, history, &axis, &starts[index[&r]], y, !pair)?;
        }
    }
    axis.write_breaks(&mut w, lanes_y - if pair { BAND + 12.0 } else { 0.0 }, axis_y)?;
    axis.write_axis(&mut w, &font, axis_y)?;
    write_legend(&mut w, &font, legend_y, pair)?;
    w.close("svg")?;
    Ok(w.finish())
}

/// The record's relations, each once, in the order they start.
fn starts(history: &History) -> Vec<Entry> {
    // A record lists each of its relations' start once ([`history::of`]).
    history.entries.iter().filter(|e| e.event == Event::Start).copied().collect()
}

fn lanes(ds: &Dataset, history: &History, starts: &[Entry]) -> Vec<Lane> {
    if history.other.is_some() {
        return starts
            .iter()
            .map(|entry| {
                let r = entry.relation;
                let rel = ds.relation(r);
                // The ends by name, or by id when the names are too long to read in a label.
                let ends = |name: fn(&crate::model::Actor) -> &str| {
                    let (s, t) = (ds.actor(rel.source), ds.actor(rel.target));
                    format!("{} {} {}", name(s), arrow(rel.directed), name(t))
                };
                let note = (!entry.via(history).is_empty()).then(|| {
                    let names = ends(|a| &a.name);
                    if Font::new().width(&names, SMALL_SIZE) <= MAX_LABEL {
                        names
                    } else {
                        ends(|a| &a.id)
                    }
                });
                Lane {
                    label: clean(&rel.id.to_string()),
                    note: note.map(|n| clean(&n)),
                    bars: vec![(r, 0)],
                    rows: 1,
                }
            })
            .collect();
    }
    let mut lanes: Vec<Lane> = Vec::new();
    let mut lane_of: HashMap<ActorIx, usize> = HashMap::new();
    for entry in starts {
        let r = entry.relation;
        let counterpart = history::counterpart(ds, history.grouping, entry);
        let i = *lane_of.entry(counterpart).or_insert_with(|| {
            let label = clean(&ds.actor(counterpart).name);
            lanes.push(Lane { label, note: None, bars: Vec::new(), rows: 0 });
            lanes.len() - 1
        });
        let lane = &mut lanes[i];
        // The first row where the bar overlaps no other (bars come in order of start).
        let span = ds.relation(r).span;
        let row = (0..)
            .find(|&row| {
                lane.bars.iter().filter(|&&(_, b)| b == row).all(|&(other, _)| {
                    let o = ds.relation(other).span;
                    o.possible_until <= span.possible_from || span.possible_until <= o.possible_from
                })
            })
            .unwrap_or(0);
        lane.rows = lane.rows.max(row + 1);
        lane.bars.push((r, row));
    }
    lanes
}

/// The days on which something in the chart changes: every bound of every relation and of
/// every period.
fn key_days(ds: &Dataset, history: &History, relations: &[RelationIx]) -> Vec<Day> {
    let mut days: Vec<Day> = relations.iter().flat_map(|&r| ds.relation(r).span.changes()).collect();
    days.extend(history.periods.iter().flat_map(|p| [Some(p.from), p.until]).flatten());
    days.retain(|&d| d != OPEN_END);
    days.sort_unstable();
    days.dedup();
    days
}

/// For each of the sorted `keys`, whether one of `relations` is only possible on it. A sweep
/// over the relations' possible stretches: O((r + k) log r).
fn possible_on(ds: &Dataset, relations: &[RelationIx], keys: &[Day]) -> Vec<bool> {
    let mut marks: Vec<(Day, i32)> = Vec::new();
    for &r in relations {
        let s = ds.relation(r).span;
        let stretches = if s.active_from < s.active_until {
            [(s.possible_from, s.active_from), (s.active_until, s.possible_until)]
        } else {
            [(s.possible_from, s.possible_until), (s.possible_until, s.possible_until)]
        };
        for (from, until) in stretches.into_iter().filter(|(f, u)| f < u) {
            marks.extend([(from, 1), (until, -1)]);
        }
    }
    marks.sort_unstable();
    let (mut open, mut next) = (0, 0);
    keys.iter()
        .map(|&k| {
            while next < marks.len() && marks[next].0 <= k {
                open += marks[next].1;
                next += 1;
            }
            open > 0
        })
        .collect()
}

/// Days since 1970-01-01.
fn day_number(d: Day) -> f64 {
    (d - Date::constant(1970, 1, 1)).get_days() as f64
}

fn days_between(a: Day, b: Day) -> i32 {
    (b - a).get_days()
}

/// One linear stretch of the axis: days `from..=until` drawn from `x0` to `x1`.
#[derive(Debug, Clone, Copy)]
struct Part {
    from: Day,
    until: Day,
    x0: f64,
    x1: f64,
}

/// The date axis: linear parts with breaks between them.
struct Axis {
    parts: Vec<Part>,
    x_end: f64,
}

impl Axis {
    fn new(ds: &Dataset, relations: &[RelationIx], keys: &[Day], x0: f64, x1: f64) -> Axis {
        let (Some(&first), Some(&last)) = (keys.first(), keys.last()) else {
            let today = Date::constant(2000, 1, 1);
            return Axis {
                parts: vec![Part { from: today, until: today.saturating_add(1.year()), x0, x1 }],
                x_end: x1,
            };
        };
        // A stretch may be cut out only where nothing is merely possible: a cut there would
        // hide how uncertain a date is.
        let possible = possible_on(ds, relations, keys);
        let mut gaps: Vec<(i32, usize)> = keys
            .windows(2)
            .enumerate()
            .filter(|&(i, _)| !possible[i])
            .map(|(i, w)| (days_between(w[0], w[1]), i))
            .filter(|&(len, _)| len >= MIN_BREAK_DAYS)
            .collect();
        gaps.sort_by(|a, b| b.cmp(a));
        let mut drawn = days_between(first, last);
        // The finest detail: the shortest time between two changes.
        let finest = keys.windows(2).map(|w| days_between(w[0], w[1])).min().unwrap_or(1);
        let mut cut: Vec<usize> = Vec::new();
        for (len, i) in gaps {
            // Cut while the finest detail takes less than a hundredth of the axis, and only a
            // stretch that takes more than an eighth of what is left drawn.
            let (len_, drawn_) = (i64::from(len), i64::from(drawn));
            if cut.len() == MAX_BREAKS || i64::from(finest) * 100 >= drawn_ || len_ * 8 <= drawn_ {
                break;
            }
            cut.push(i);
            drawn -= len;
        }
        cut.sort_unstable();
        // Each part's keys, padded so that a part of one day still has a width.
        let mut runs: Vec<(Day, Day, usize)> = Vec::new();
        let mut start = 0;
        for &i in cut.iter().chain([keys.len() - 1].iter()) {
            runs.push((keys[start], keys[i], i + 1 - start));
            start = i + 1;
        }
        let n = runs.len();
        let room = x1 - x0 - BREAK * (n - 1) as f64;
        // Width by how much happens in a part, not by how long it is.
        let weight: f64 = runs.iter().map(|r| r.2 as f64 + 1.0).sum();
        let mut x = x0;
        let mut parts = Vec::with_capacity(n);
        for (k, &(from, until, count)) in runs.iter().enumerate() {
            let len = days_between(from, until);
            let pad = (len / 25).max(10);
            let right = if k == n - 1 { (len / 12).max(20) } else { pad };
            let w = room * (count as f64 + 1.0) / weight;
            parts.push(Part {
                from: from.saturating_sub(pad.days()),
                until: until.saturating_add(right.days()),
                x0: x,
                x1: x + w,
            });
            x += w + BREAK;
        }
        Axis { parts, x_end: x1 }
    }

    /// The stretches of `[from, until)` that are drawn, one per part it crosses, in pixels.
    fn pieces(&self, from: Day, until: Day) -> Vec<(f64, f64)> {
        self.parts
            .iter()
            .filter(|p| from <= p.until && until > p.from)
            .map(|p| (self.x(from.max(p.from)), self.x(until.min(p.until))))
            .collect()
    }

    /// Where a day is drawn; a day cut out of the axis is drawn in the middle of its break.
    fn x(&self, day: Day) -> f64 {
        if day == OPEN_END {
            return self.x_end;
        }
        let d = day_number(day);
        for (k, p) in self.parts.iter().enumerate() {
            if day < p.from {
                return if k == 0 { p.x0 } else { p.x0 - BREAK / 2.0 };
            }
            if day <= p.until {
                let (a, b) = (day_number(p.from), day_number(p.until));
                return p.x0 + (p.x1 - p.x0) * (d - a) / (b - a).max(1.0);
            }
        }
        self.x_end
    }

    fn ticks(&self, font: &Font) -> Vec<(f64, String)> {
        let mut ticks = Vec::new();
        for p in &self.parts {
            let width = p.x1 - p.x0;
            let days = days_between(p.from, p.until).max(1);
            let wanted = (width / 64.0).floor().max(1.0);
            let fitting = STEPS.iter().position(|s| f64::from(days) / s.approx_days() <= wanted);
            // The coarsest step that fits, or a finer one when it puts no tick in the part (a
            // part from February 1946 to May 1949 has no year divisible by five).
            let found = STEPS[..=fitting.unwrap_or(STEPS.len() - 1)]
                .iter()
                .rev()
                .map(|step| {
                    step.days(p.from, p.until)
                        .into_iter()
                        .map(|d| (self.x(d), step.label(d)))
                        .collect::<Vec<_>>()
                })
                .find(|found| !found.is_empty())
                .unwrap_or_default();
            ticks.extend(found);
        }
        // Labels that would overlap the one before are left out.
        let mut kept: Vec<(f64, String)> = Vec::new();
        let mut right = f64::MIN;
        for (x, label) in ticks {
            let half = font.width(&label, SMALL_SIZE) / 2.0;
            if x - half > right + 6.0 {
                right = x + half;
                kept.push((x, label));
            }
        }
        kept
    }

    fn write_grid(&self, w: &mut Svg, top: f64, bottom: f64) -> io::Result<()> {
        for (x, _) in self.ticks(&Font::new()) {
            w.empty(
                "line",
                &[
                    ("x1", &px(x)),
                    ("x2", &px(x)),
                    ("y1", &px(top)),
                    ("y2", &px(bottom)),
                    ("stroke", "#e0e0e0"),
                    ("stroke-width", "1"),
                ],
            )?;
        }
        Ok(())
    }

    fn write_axis(&self, w: &mut Svg, font: &Font, y: f64) -> io::Result<()> {
        w.open("g", &[("class", "axis")])?;
        for p in &self.parts {
            w.empty(
                "line",
                &[
                    ("x1", &px(p.x0)),
                    ("x2", &px(p.x1)),
                    ("y1", &px(y)),
                    ("y2", &px(y)),
                    ("stroke", "#424242"),
                    ("stroke-width", "1"),
                ],
            )?;
        }
        for (x, label) in self.ticks(font) {
            w.empty(
                "line",
                &[
                    ("x1", &px(x)),
                    ("x2", &px(x)),
                    ("y1", &px(y)),
                    ("y2", &px(y + 5.0)),
                    ("stroke", "#424242"),
                ],
            )?;
            w.text_element(
                "text",
                &[
                    ("class", "tick"),
                    ("x", &px(x)),
                    ("y", &px(y + 18.0)),
                    ("font-size", "10"),
                    ("text-anchor", "middle"),
                ],
                &label,
            )?;
        }
        w.close("g")
    }

    /// Each break: a white gap across the chart, with the usual slanted marks on the axis.
    fn write_breaks(&self, w: &mut Svg, top: f64, axis_y: f64) -> io::Result<()> {
        for pair in self.parts.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let title = format!("time axis broken: nothing changes from {} to {}", a.until, b.from);
            w.open("g", &[("class", "axis-break")])?;
            w.text_element("title", &[], &title)?;
            w.empty(
                "rect",
                &[
                    ("x", &px(a.x1 + 3.0)),
                    ("y", &px(top)),
                    ("width", &px(BREAK - 6.0)),
                    ("height", &px(axis_y - top + 6.0)),
                    ("fill", "#ffffff"),
                ],
            )?;
            for x in [a.x1 + 3.0, b.x0 - 3.0] {
                w.empty(
                    "line",
                    &[
                        ("x1", &px(x - 3.0)),
                        ("x2", &px(x + 3.0)),
                        ("y1", &px(axis_y + 6.0)),
                        ("y2", &px(axis_y - 6.0)),
                        ("stroke", "#424242"),
                        ("stroke-width", "1.5"),
                    ],
                )?;
            }
            w.close("g")?;
        }
        Ok(())
    }
}

/// A tick step.
#[derive(Debug, Clone, Copy)]
enum Step {
    Days(i8),
    Months(i8),
    Years(i16),
}

const STEPS: &[Step] = &[
    Step::Days(1),
    Step::Days(2),
    Step::Days(7),
    Step::Days(14),
    Step::Months(1),
    Step::Months(2),
    Step::Months(3),
    Step::Months(6),
    Step::Years(1),
    Step::Years(2),
    Step::Years(5),
    Step::Years(10),
    Step::Years(20),
    Step::Years(50),
    Step::Years(100),
    Step::Years(200),
    Step::Years(500),
];

impl Step {
    fn approx_days(self) -> f64 {
        match self {
            Step::Days(n) => f64::from(n),
            Step::Months(n) => 30.44 * f64::from(n),
            Step::Years(n) => 365.25 * f64::from(n),
        }
    }

    /// The tick days from `from` to `until`: round dates (the 1st, 8th, 15th and 22nd for
    /// weeks; January for years).
    fn days(self, from: Day, until: Day) -> Vec<Day> {
        let mut out = Vec::new();
        let mut month = from.first_of_month();
        while month <= until {
            let candidates: Vec<Day> = match self {
                Step::Days(n) => (1..=month.days_in_month())
                    .filter(|d| (d - 1) % n == 0 && (n == 1 || *d <= 28))
                    .filter_map(|d| Date::new(month.year(), month.month(), d).ok())
                    .collect(),
                Step::Months(n) if (month.month() - 1) % n == 0 => vec![month],
                Step::Years(n) if month.month() == 1 && month.year() % n == 0 => vec![month],
                _ => Vec::new(),
            };
            out.extend(candidates.into_iter().filter(|&d| d >= from && d <= until));
            let Ok(next) = month.checked_add(1.month()) else { break };
            month = next;
        }
        out
    }

    fn label(self, d: Day) -> String {
        match self {
            Step::Days(_) => format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
            Step::Months(_) => format!("{:04}-{:02}", d.year(), d.month()),
            Step::Years(_) => format!("{:04}", d.year()),
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn write_bar(
    w: &mut Svg,
    font: &Font,
    ds: &Dataset,
    history: &History,
    axis: &Axis,
    entry: &Entry,
    y: f64,
    named: bool,
) -> io::Result<()> {
    let r = entry.relation;
    let rel = ds.relation(r);
    let span = rel.span;
    let end = rel.end.map(|e| e.to_string()).unwrap_or_default();
    let kind = rel.kind.as_str();
    w.open(
        "g",
        &[
            ("class", "bar"),
            ("data-relation", &clean(&rel.id.to_string())),
            ("data-kind", kind),
            ("data-start", &rel.start.to_string()),
            ("data-end", &end),
        ],
    )?;
    w.text_element("title", &[], &bar_title(ds, history, entry))?;
    let colour = kind_colour(rel.kind);
    // Possible before it is certainly active, active, possible after: any may be empty.
    let active = (span.active_from < span.active_until).then_some((span.active_from, span.active_until));
    let pieces: Vec<(Day, Day, bool)> = match active {
        Some((a, b)) => vec![(span.possible_from, a, false), (a, b, true), (b, span.possible_until, false)],
        None => vec![(span.possible_from, span.possible_until, false)],
    };
    for (from, until, certain) in pieces.into_iter().filter(|&(f, u, _)| f < u) {
        let (x0, x1) = (axis.x(from), axis.x(until));
        let width = (x1 - x0).max(2.0);
        if certain {
            w.empty(
                "rect",
                &[
                    ("class", "active"),
                    ("x", &px(x0)),
                    ("y", &px(y)),
                    ("width", &px(width)),
                    ("height", &px(BAR)),
                    ("fill", colour),
                ],
            )?;
        } else {
            w.empty(
                "rect",
                &[
                    ("class", "possible"),
                    ("x", &px(x0)),
                    ("y", &px(y)),
                    ("width", &px(width)),
                    ("height", &px(BAR)),
                    ("fill", &format!("url(#hatch-{kind})")),
                    ("stroke", colour),
                    ("stroke-width", "1"),
                ],
            )?;
        }
    }
    if span.is_open_ended() {
        let (x, c) = (axis.x_end, y + BAR / 2.0);
        w.empty(
            "polygon",
            &[
                ("class", "open-end"),
                (
                    "points",
                    &format!(
                        "{},{} {},{} {},{}",
                        px(x),
                        px(c - 8.0),
                        px(x + 12.0),
                        px(c),
                        px(x),
                        px(c + 8.0)
                    ),
                ),
                ("fill", colour),
            ],
        )?;
    }
    if named {
        // In a counterpart's lane the bar says which relation it is, where that fits in it:
        // from where it is certainly active, in the first part of the axis with room.
        let id = clean(&rel.id.to_string());
        let from = active.map_or(span.possible_from, |(a, _)| a);
        let room = axis
            .pieces(from, span.possible_until)
            .into_iter()
            .find(|&(x0, x1)| font.width(&id, SMALL_SIZE) + 8.0 <= x1 - x0);
        // White on the kind's colour; dark on a bar that is only possible (hatched).
        let (fill, halo) = if active.is_some() { ("#ffffff", colour) } else { ("#212121", "#ffffff") };
        if let Some((x0, _)) = room {
            w.text_element(
                "text",
                &[
                    ("x", &px(x0 + 4.0)),
                    ("y", &px(y + BAR - 3.5)),
                    ("font-size", "10"),
                    ("fill", fill),
                    ("stroke", halo),
                    ("stroke-width", "2.5"),
                    ("paint-order", "stroke"),
                ],
                &id,
            )?;
        }
    }
    w.close("g")
}

fn bar_title(ds: &Dataset, history: &History, entry: &Entry) -> String {
    let r = entry.relation;
    let rel = ds.relation(r);
    let end = rel.end.map_or_else(|| "open".to_string(), |e| e.to_string());
    let mut title = format!(
        "{}: {}, {} {} {}, {} → {end}, grade {}",
        rel.id,
        rel.kind,
        ds.actor(rel.source).name,
        arrow(rel.directed),
        ds.actor(rel.target).name,
        rel.start,
        ds.grade(r),
    );
    if entry.inside {
        title.push_str(&format!(" (inside {})", ds.actor(history.actor).name));
    }
    if let Some(c) = rel.claimant() {
        title.push_str(&format!(", claimed by {}", ds.actor(c).name));
    }
    if !rel.summary().is_empty() {
        title.push('\n');
        title.push_str(rel.summary());
    }
    clean(&title)
}

/// The contested stretches of a list of periods: consecutive contested periods are one
/// stretch, holding the relations of each.
fn contested(periods: &[Period]) -> Vec<Period> {
    let mut out: Vec<Period> = Vec::new();
    for p in periods.iter().filter(|p| p.state.contested) {
        match out.last_mut() {
            Some(last) if last.until == Some(p.from) => {
                last.until = p.until;
                last.certain &= p.certain;
                for &r in &p.relations {
                    if !last.relations.contains(&r) {
                        last.relations.push(r);
                    }
                }
            }
            _ => out.push(p.clone()),
        }
    }
    out
}

fn write_contested(w: &mut Svg, axis: &Axis, p: &Period, y: f64, h: f64, title: &str) -> io::Result<()> {
    let (x0, x1) = (axis.x(p.from), axis.x(p.until.unwrap_or(OPEN_END)));
    w.open("g", &[("class", "contested")])?;
    w.text_element("title", &[], title)?;
    w.empty(
        "rect",
        &[
            ("x", &px(x0)),
            ("y", &px(y)),
            ("width", &px((x1 - x0).max(2.0))),
            ("height", &px(h)),
            ("fill", CONTESTED_COLOUR),
            ("fill-opacity", "0.12"),
            ("stroke", CONTESTED_COLOUR),
            ("stroke-opacity", "0.5"),
            ("stroke-dasharray", "4 3"),
        ],
    )?;
    w.close("g")
}

fn contested_title(ds: &Dataset, p: &Period) -> String {
    let ids: Vec<String> = p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect();
    clean(&format!("contested {} → {}: {}", p.from, until(p.until), ids.join(", ")))
}

fn until(day: Option<Day>) -> String {
    day.map_or_else(|| "open".to_string(), |d| d.to_string())
}

/// The colours a state is drawn with, top to bottom: contested alone stands for the
/// cooperation and the restriction that make it.
fn stripes(state: State) -> Vec<&'static str> {
    let mut out = Vec::new();
    if state.contested {
        out.push(CONTESTED_COLOUR);
    } else {
        if state.cooperating {
            out.push(kind_colour(RelationKind::Cooperation));
        }
        if state.restricted {
            out.push(kind_colour(RelationKind::Restriction));
        }
    }
    if state.disputed {
        out.push(kind_colour(RelationKind::Dispute));
    }
    if state.member {
        out.push(kind_colour(RelationKind::Membership));
    }
    out
}

fn write_period(
    w: &mut Svg,
    font: &Font,
    ds: &Dataset,
    axis: &Axis,
    i: usize,
    p: &Period,
    y: f64,
) -> io::Result<()> {
    let (x0, x1) = (axis.x(p.from), axis.x(p.until.unwrap_or(OPEN_END)));
    let width = (x1 - x0).max(2.0);
    let label = p.state.label();
    let ids: Vec<String> = p.relations.iter().map(|&r| ds.relation(r).id.to_string()).collect();
    let title = format!(
        "{} → {}: {}{} ({})",
        p.from,
        until(p.until),
        label,
        if p.certain { "" } else { " (possible)" },
        ids.join(", ")
    );
    w.open(
        "g",
        &[
            ("class", "state"),
            ("id", &format!("state-{i}")),
            ("data-state", &label),
            ("data-certain", if p.certain { "true" } else { "false" }),
        ],
    )?;
    w.text_element("title", &[], &clean(&title))?;
    let colours = stripes(p.state);
    let h = BAND / colours.len().max(1) as f64;
    for (k, colour) in colours.iter().enumerate() {
        let fill =
            if p.certain { (*colour).to_string() } else { format!("url(#hatch-{})", pattern_name(colour)) };
        w.empty(
            "rect",
            &[
                ("x", &px(x0)),
                ("y", &px(y + k as f64 * h)),
                ("width", &px(width)),
                ("height", &px(h)),
                ("fill", &fill),
            ],
        )?;
    }
    if !p.certain {
        w.empty(
            "rect",
            &[
                ("x", &px(x0)),
                ("y", &px(y)),
                ("width", &px(width)),
                ("height", &px(BAND)),
                ("fill", "none"),
                ("stroke", "#757575"),
                ("stroke-width", "0.8"),
            ],
        )?;
    }
    let room = axis
        .pieces(p.from, p.until.unwrap_or(OPEN_END))
        .into_iter()
        .find(|&(a, b)| font.width(&label, SMALL_SIZE) + 8.0 <= b - a);
    if let Some((x0, _)) = room {
        w.text_element(
            "text",
            &[
                ("x", &px(x0 + 4.0)),
                ("y", &px(y + BAND / 2.0 + 3.5)),
                ("font-size", "10"),
                ("fill", "#212121"),
                ("stroke", "#ffffff"),
                ("stroke-width", "3"),
                ("paint-order", "stroke"),
            ],
            &label,
        )?;
    }
    w.close("g")
}

/// The hatch pattern of a colour: named by the kind it is the colour of, or `contested`.
fn pattern_name(colour: &str) -> &'static str {
    KINDS.iter().find(|&&k| kind_colour(k) == colour).map_or("contested", |k| k.as_str())
}

const KINDS: [RelationKind; 4] =
    [RelationKind::Cooperation, RelationKind::Restriction, RelationKind::Dispute, RelationKind::Membership];

fn write_defs(w: &mut Svg) -> io::Result<()> {
    w.open("defs", &[])?;
    let patterns =
        KINDS.iter().map(|&k| (k.as_str(), kind_colour(k))).chain([("contested", CONTESTED_COLOUR)]);
    for (name, colour) in patterns {
        w.open(
            "pattern",
            &[
                ("id", &format!("hatch-{name}")),
                ("patternUnits", "userSpaceOnUse"),
                ("width", "6"),
                ("height", "6"),
                ("patternTransform", "rotate(45)"),
            ],
        )?;
        w.empty("rect", &[("width", "6"), ("height", "6"), ("fill", colour), ("fill-opacity", "0.15")])?;
        w.empty(
            "line",
            &[("x1", "0"), ("y1", "0"), ("x2", "0"), ("y2", "6"), ("stroke", colour), ("stroke-width", "3")],
        )?;
        w.close("pattern")?;
    }
    w.close("defs")
}

fn write_legend(w: &mut Svg, font: &Font, y: f64, pair: bool) -> io::Result<()> {
    w.open("g", &[("class", "legend")])?;
    let mut x = MARGIN;
    let mut item =
        |w: &mut Svg, label: &str, draw: &dyn Fn(&mut Svg, f64) -> io::Result<()>| -> io::Result<()> {
            draw(w, x)?;
            w.text_element("text", &[("x", &px(x + 26.0)), ("y", &px(y + 4.0)), ("font-size", "11")], label)?;
            x += 26.0 + font.width(label, 11.0) + 18.0;
            Ok(())
        };
    for kind in KINDS {
        let colour = kind_colour(kind);
        item(w, kind.as_str(), &|w, x| {
            w.empty(
                "rect",
                &[("x", &px(x)), ("y", &px(y - 6.0)), ("width", "20"), ("height", "10"), ("fill", colour)],
            )
        })?;
    }
    item(w, "possible (date known to a month or year)", &|w, x| {
        w.empty(
            "rect",
            &[
                ("x", &px(x)),
                ("y", &px(y - 6.0)),
                ("width", "20"),
                ("height", "10"),
                ("fill", "url(#hatch-cooperation)"),
                ("stroke", kind_colour(RelationKind::Cooperation)),
            ],
        )
    })?;
    item(w, "still in force", &|w, x| {
        w.empty(
            "polygon",
            &[
                (
                    "points",
                    &format!(
                        "{},{} {},{} {},{}",
                        px(x + 6.0),
                        px(y - 7.0),
                        px(x + 16.0),
                        px(y - 1.0),
                        px(x + 6.0),
                        px(y + 5.0)
                    ),
                ),
                ("fill", "#424242"),
            ],
        )
    })?;
    let contested = if pair { "contested" } else { "contested (in that lane)" };
    item(w, contested, &|w, x| {
        w.empty(
            "rect",
            &[
                ("x", &px(x)),
                ("y", &px(y - 6.0)),
                ("width", "20"),
                ("height", "10"),
                ("fill", CONTESTED_COLOUR),
                ("fill-opacity", "0.25"),
                ("stroke", CONTESTED_COLOUR),
                ("stroke-dasharray", "4 3"),
            ],
        )
    })?;
    w.close("g")
}

fn title(ds: &Dataset, history: &History) -> String {
    let name = |a| clean(&ds.actor(a).name);
    match history.other {
        Some(o) => format!("{} and {}: timeline", name(history.actor), name(o)),
        None => format!("{}: timeline", name(history.actor)),
    }
}

/// The title as drawn: each name cut to fit, so that a long first name cannot push the
/// second (or anything) past the canvas's edge.
fn heading(ds: &Dataset, history: &History, font: &Font) -> String {
    const SIZE: f64 = 18.0;
    // Measured with the regular face's advances; the bold face is drawn up to a tenth wider.
    let room = (WIDTH - 2.0 * MARGIN) / 1.1;
    let name = |a| clean(&ds.actor(a).name);
    match history.other {
        Some(o) => {
            let each = (room - font.width(" and : timeline", SIZE)) / 2.0;
            let (a, b) = (name(history.actor), name(o));
            // A short name leaves its room to the other.
            let (a_room, b_room) = (
                each.max(room - font.width(": timeline and ", SIZE) - font.width(&b, SIZE)),
                each.max(room - font.width(": timeline and ", SIZE) - font.width(&a, SIZE)),
            );
            format!("{} and {}: timeline", font.fit(&a, SIZE, a_room), font.fit(&b, SIZE, b_room))
        }
        None => {
            let room = room - font.width(": timeline", SIZE);
            format!("{}: timeline", font.fit(&name(history.actor), SIZE, room))
        }
    }
}

fn subtitle(ds: &Dataset, history: &History, relations: &[RelationIx]) -> String {
    let n = relations.len();
    let mut text = count(n, "relation", "relations");
    let starts = relations.iter().map(|&r| ds.relation(r).start);
    if let (Some(first), Some(last)) =
        (starts.clone().min_by_key(|d| d.first()), starts.max_by_key(|d| d.first()))
    {
        if first == last {
            text.push_str(&format!(", starting in {first}"));
        } else {
            text.push_str(&format!(", starting between {first} and {last}"));
        }
    }
    if history.other.is_none() {
        text.push_str(", one lane per counterpart");
    }
    if history.grouping == Grouping::Countries {
        text.push_str(", by country");
    }
    if history.reach == Reach::Exact {
        text.push_str(", the actors themselves only");
    }
    text.push_str(&history::left_out_note(ds, history));
    clean(&text)
}

/// Text from the data as XML may hold it: control characters (which XML 1.0 forbids) become
/// spaces; the writer escapes the rest.
fn clean(text: &str) -> String {
    text.chars().map(|c| if c.is_control() && c != '\n' { ' ' } else { c }).collect()
}

fn px(v: f64) -> String {
    // One decimal: precise enough, and the same text on every machine.
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// Text widths, measured with the shipped font's advances.
struct Font {
    font: skrifa::FontRef<'static>,
}

impl Font {
    fn new() -> Font {
        Font { font: skrifa::FontRef::new(FONT).expect("the shipped font is a valid TrueType font") }
    }

    fn width(&self, text: &str, size: f64) -> f64 {
        let advance = self.advances(size);
        text.chars().map(advance).sum()
    }

    /// Each character's advance at `size` (a text's width is their sum).
    fn advances(&self, size: f64) -> impl Fn(char) -> f64 + '_ {
        use skrifa::MetadataProvider;
        let size_ = skrifa::instance::Size::new(size as f32);
        let metrics = self.font.glyph_metrics(size_, skrifa::instance::LocationRef::default());
        let charmap = self.font.charmap();
        move |c| charmap.map(c).and_then(|g| metrics.advance_width(g)).map_or(size * 0.6, f64::from)
    }

    /// `text`, cut and ended with `…` when it is wider than `width` ([`fit_with`]).
    fn fit(&self, text: &str, size: f64, width: f64) -> String {
        fit_with(text, width, self.advances(size))
    }
}

/// `text`, cut and ended with `…` when it is wider than `width`, each character being
/// `advance` wide: the longest start that fits with the `…`, found in one pass (measuring
/// each shorter cut anew took minutes on a name of 20,000 characters).
fn fit_with(text: &str, width: f64, advance: impl Fn(char) -> f64) -> String {
    if text.chars().map(&advance).sum::<f64>() <= width {
        return text.to_string();
    }
    let room = width - advance('…');
    let (mut used, mut end) = (0.0, 0);
    for (at, c) in text.char_indices() {
        used += advance(c);
        if used > room {
            break;
        }
        end = at + c.len_utf8();
    }
    format!("{}…", &text[..end])
}

/// The SVG being written: quick-xml's writer, which escapes every attribute value and text.
struct Svg {
    writer: Writer<Vec<u8>>,
}

impl Svg {
    fn new() -> Svg {
        Svg { writer: Writer::new_with_indent(Vec::new(), b' ', 1) }
    }

    fn start<'a>(name: &'a str, attributes: &[(&str, &str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for &attribute in attributes {
            start.push_attribute(attribute);
        }
        start
    }

    fn open(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Xml::Start(Self::start(name, attributes)))
    }

    /// Opens the document: an `svg` element of `width` × `height` pixels in the charts' font,
    /// with `class` naming the kind of chart.
    fn open_root(&mut self, width: f64, height: f64, class: &str) -> io::Result<()> {
        self.open(
            "svg",
            &[
                ("xmlns", "http://www.w3.org/2000/svg"),
                ("width", &px(width)),
                ("height", &px(height)),
                ("viewBox", &format!("0 0 {} {}", px(width), px(height))),
                ("font-family", FONT_FAMILY),
                ("class", class),
            ],
        )
    }

    fn close(&mut self, name: &str) -> io::Result<()> {
        self.writer.write_event(Xml::End(BytesEnd::new(name)))
    }

    fn empty(&mut self, name: &str, attributes: &[(&str, &str)]) -> io::Result<()> {
        self.writer.write_event(Xml::Empty(Self::start(name, attributes)))
    }

    fn text_element(&mut self, name: &str, attributes: &[(&str, &str)], text: &str) -> io::Result<()> {
        self.writer.write_event(Xml::Start(Self::start(name, attributes)))?;
        self.writer.write_event(Xml::Text(BytesText::new(text)))?;
        self.close(name)
    }

    fn finish(self) -> Vec<u8> {
        let mut bytes = self.writer.into_inner();
        bytes.push(b'\n');
        bytes
    }
}

#[cfg(test)]
mod tests {

    #[test]
    // Regression: a name of 20,000 characters was cut by measuring every shorter cut anew,
    // which took minutes; each character is now measured a bounded number of times.
    fn a_long_name_is_cut_in_one_pass() {
        let measured = std::cell::Cell::new(0usize);
        let text = "x".repeat(20_000);
        let cut = fit_with(&text, 100.0, |_| {
            measured.set(measured.get() + 1);
            7.0
        });
        // 13 characters and the `…` are 98 wide; one more would not fit.
        assert_eq!(cut, format!("{}…", "x".repeat(13)));
        assert!(measured.get() <= 2 * text.len() + 2, "{} characters measured", measured.get());
    }

    use super::*;
    use crate::date::{PartialDate, Span};
    use crate::model::{Actor, ActorIx, ActorKind, Notes, Relation, RelationId};

    fn day(text: &str) -> Day {
        crate::date::parse_day(text).unwrap()
    }

    /// A dataset of two actors and cooperations between them, each from `start` to `end`.
    fn relations(dates: &[(&str, &str)]) -> Dataset {
        let actor = |id: &str| Actor {
            id: id.into(),
            name: id.into(),
            kind: ActorKind::Country,
            parent: None,
            aliases: Box::new([]),
        };
        let relation = |&(start, end): &(&str, &str)| {
            let start = PartialDate::parse(start).unwrap();
            let end = Some(PartialDate::parse(end).unwrap());
            Relation {
                id: RelationId::Named("R".into()),
                source: ActorIx(0),
                target: ActorIx(1),
                kind: RelationKind::Cooperation,
                directed: false,
                start,
                end,
                span: Span::new(start, end).unwrap(),
                credibility: None,
                notes: Notes::new(Vec::new(), "".into()),
            }
        };
        Dataset::new(vec![actor("A"), actor("B")], Vec::new(), dates.iter().map(relation).collect())
    }

    fn empty() -> Dataset {
        Dataset::new(Vec::new(), Vec::new(), Vec::new())
    }

    #[test]
    fn a_long_quiet_stretch_is_cut_out_and_days_keep_their_order() {
        let keys: Vec<Day> =
            ["2000-01-01", "2001-01-01", "2025-10-01", "2025-11-11", "2025-12-01"].map(day).to_vec();
        let axis = Axis::new(&empty(), &[], &keys, 100.0, 1000.0);
        assert_eq!(axis.parts.len(), 2, "{:?}", axis.parts);
        assert!(axis.parts[0].until < day("2002-01-01") && axis.parts[1].from > day("2025-01-01"));
        let xs: Vec<f64> = keys.iter().map(|&d| axis.x(d)).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        assert!(xs[0] >= 100.0 && axis.x(OPEN_END) == 1000.0);
        // A day cut out is drawn in its break, between the two parts.
        let x = axis.x(day("2010-06-01"));
        assert!(axis.parts[0].x1 < x && x < axis.parts[1].x0, "{x}");
        // Ten busy weeks get more room than the quiet year of 2000.
        assert!(axis.parts[1].x1 - axis.parts[1].x0 > axis.parts[0].x1 - axis.parts[0].x0);
    }

    #[test]
    fn a_stretch_in_which_a_date_is_only_possible_is_never_cut() {
        // Known to start only to the year (possible through 1990, then active), and days of
        // detail in June 2020.
        let ds = relations(&[("1990", "2020-06-01"), ("2020-06-03", "2020-06-05")]);
        let all = [RelationIx(0), RelationIx(1)];
        let keys = key_days(&ds, &empty_history(), &all);
        let axis = Axis::new(&ds, &all, &keys, 0.0, 1000.0);
        // 1991 to 2020 is active and quiet, and cut; the year 1990 (possible) is not.
        assert_eq!(axis.parts.len(), 2, "{:?}", axis.parts);
        assert!(axis.parts[0].from <= day("1990-01-01") && axis.parts[0].until >= day("1991-01-01"));
        assert!(axis.parts[1].from <= day("2020-06-01") && axis.parts[1].until >= day("2020-06-05"));
        // Thirty years with no finer detail are drawn whole.
        let ds = relations(&[("1990-01-01", "2020-01-01")]);
        let keys = key_days(&ds, &empty_history(), &[RelationIx(0)]);
        assert_eq!(Axis::new(&ds, &[RelationIx(0)], &keys, 0.0, 1000.0).parts.len(), 1);
    }

    fn empty_history() -> History {
        History {
            actor: ActorIx(0),
            other: Some(ActorIx(1)),
            reach: Reach::Within,
            grouping: Grouping::Actors,
            entries: Vec::new(),
            periods: Vec::new(),
        }
    }

    #[test]
    fn ticks_are_days_months_or_years_by_span() {
        let font = Font::new();
        let labels = |from: &str, until: &str| -> Vec<String> {
            let axis = Axis::new(&empty(), &[], &[day(from), day(until)], 0.0, 800.0);
            axis.ticks(&font).into_iter().map(|(_, l)| l).collect()
        };
        let weeks = labels("2025-11-01", "2025-11-30");
        assert!(weeks.len() >= 3 && weeks.iter().all(|l| l.len() == 10), "{weeks:?}");
        let months = labels("2025-01-01", "2025-12-31");
        assert!(months.len() >= 3 && months.iter().all(|l| l.len() == 7), "{months:?}");
        let years = labels("1950-01-01", "2020-01-01");
        assert!(years.len() >= 3 && years.iter().all(|l| l.len() == 4), "{years:?}");
        // In order, and none overlapping the one before.
        for ticks in [weeks, months, years] {
            let mut sorted = ticks.clone();
            sorted.sort();
            assert_eq!(sorted, ticks);
        }
    }

    #[test]
    fn text_is_measured_and_cut_to_fit() {
        let font = Font::new();
        let wide = font.width("WWWW", 12.0);
        assert!(wide > font.width("iiii", 12.0) && wide > 20.0, "{wide}");
        let cut = font.fit("General Intelligence and Security Service (AIVD)", 12.0, 100.0);
        assert!(cut.ends_with('…') && font.width(&cut, 12.0) <= 100.0, "{cut}");
        assert_eq!(font.fit("NATO", 12.0, 100.0), "NATO");
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(clean("a\u{1b}[31mb\u{7}"), "a [31mb ");
        assert_eq!(px(12.0), "12");
        assert_eq!(px(12.25), "12.2");
    }
}
