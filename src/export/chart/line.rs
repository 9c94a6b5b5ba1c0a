//! A value from 0 to 1 over a series of dates as a line chart (`georel balance --from --to
//! --every --format svg|png`: the balance score by date), drawn with the timeline chart's
//! SVG writer, font and PNG drawing. A date without a value (no triangle that day) is a gap
//! in the line. Every point is a `<circle class="point">` with `data-date` and `data-value`
//! and a `<title>`, so that a reader, and a test, can tell which date each point is.

use std::io::{self, Write};

use super::{png_of_svg, px, Font, Svg, MARGIN};
use crate::date::{Day, PartialDate};

const WIDTH: f64 = 900.0;
const HEIGHT: f64 = 380.0;
const PLOT_TOP: f64 = 70.0;
const PLOT_BOTTOM: f64 = 300.0;
const LEFT: f64 = 64.0;
// Room for half the last date's label, centred on the last point.
const RIGHT: f64 = 48.0;
const LINE: &str = "#1565c0";

/// What to draw: a title, a subtitle, the value's name (the y axis) and the points.
pub struct Line<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub value: &'a str,
    pub points: &'a [(Day, Option<f64>)],
}

/// Writes the chart as SVG.
///
/// # Errors
/// When `out` fails.
pub fn svg(line: &Line<'_>, out: &mut dyn Write) -> io::Result<()> {
    out.write_all(&svg_bytes(line)?)
}

/// Writes the chart as PNG.
///
/// # Errors
/// When `out` fails, or (a bug) when its SVG cannot be read back.
pub fn png(line: &Line<'_>, out: &mut dyn Write) -> io::Result<()> {
    png_of_svg(&svg_bytes(line)?, out)
}

fn svg_bytes(line: &Line<'_>) -> io::Result<Vec<u8>> {
    let font = Font::new();
    let mut w = Svg::new();
    w.open_root(WIDTH, HEIGHT, "georel-line")?;
    w.text_element("title", &[], line.title)?;
    w.empty("rect", &[("width", "100%"), ("height", "100%"), ("fill", "#ffffff")])?;
    w.text_element(
        "text",
        &[("x", &px(MARGIN)), ("y", "30"), ("font-size", "18"), ("font-weight", "bold")],
        &font.fit(line.title, 18.0, WIDTH - 2.0 * MARGIN),
    )?;
    w.text_element(
        "text",
        &[("x", &px(MARGIN)), ("y", "50"), ("font-size", "12"), ("fill", "#555555")],
        &font.fit(line.subtitle, 12.0, WIDTH - 2.0 * MARGIN),
    )?;
    let (x0, x1) = (LEFT, WIDTH - RIGHT);
    let y = |v: f64| PLOT_BOTTOM - v.clamp(0.0, 1.0) * (PLOT_BOTTOM - PLOT_TOP);
    let n = line.points.len();
    let x = |i: usize| if n <= 1 { (x0 + x1) / 2.0 } else { x0 + (x1 - x0) * i as f64 / (n - 1) as f64 };
    // The value's grid and scale.
    for tick in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let ty = px(y(tick));
        w.empty(
            "line",
            &[
                ("x1", &px(x0)),
                ("x2", &px(x1)),
                ("y1", &ty),
                ("y2", &ty),
                ("stroke", "#e0e0e0"),
                ("stroke-width", "1"),
            ],
        )?;
        w.text_element(
            "text",
            &[("x", &px(x0 - 8.0)), ("y", &px(y(tick) + 4.0)), ("font-size", "11"), ("text-anchor", "end")],
            &format!("{tick:.2}"),
        )?;
    }
    w.text_element(
        "text",
        &[
            ("x", "16"),
            ("y", &px((PLOT_TOP + PLOT_BOTTOM) / 2.0)),
            ("font-size", "12"),
            ("text-anchor", "middle"),
            ("transform", &format!("rotate(-90 16 {})", px((PLOT_TOP + PLOT_BOTTOM) / 2.0))),
        ],
        line.value,
    )?;
    // Date labels: as many as fit, evenly chosen, the first and last always.
    let label_width = font.width("2025-11-30", 11.0) + 12.0;
    let fit = (((x1 - x0) / label_width).floor() as usize).max(2);
    let every = n.div_ceil(fit).max(1);
    for (i, (day, _)) in line.points.iter().enumerate() {
        // The last date too, unless it would run into the label before it.
        let last = i + 1 == n && (i % every) * 2 >= every;
        if i % every != 0 && !last {
            continue;
        }
        w.text_element(
            "text",
            &[
                ("x", &px(x(i))),
                ("y", &px(PLOT_BOTTOM + 20.0)),
                ("font-size", "11"),
                ("text-anchor", "middle"),
            ],
            &PartialDate::day(*day).to_string(),
        )?;
    }
    // The line, broken where a date has no value.
    let mut runs: Vec<Vec<(f64, f64)>> = vec![Vec::new()];
    for (i, (_, value)) in line.points.iter().enumerate() {
        match value {
            Some(v) => runs.last_mut().expect("a run").push((x(i), y(*v))),
            None if runs.last().is_some_and(|r| !r.is_empty()) => runs.push(Vec::new()),
            None => {}
        }
    }
    for run in runs.iter().filter(|r| r.len() > 1) {
        let points: Vec<String> = run.iter().map(|&(px_, py)| format!("{},{}", px(px_), px(py))).collect();
        w.empty(
            "polyline",
            &[("points", &points.join(" ")), ("fill", "none"), ("stroke", LINE), ("stroke-width", "2")],
        )?;
    }
    for (i, (day, value)) in line.points.iter().enumerate() {
        let date = PartialDate::day(*day).to_string();
        let Some(v) = value else { continue };
        let text = format!("{v:.4}");
        w.open(
            "circle",
            &[
                ("class", "point"),
                ("cx", &px(x(i))),
                ("cy", &px(y(*v))),
                ("r", "4"),
                ("fill", LINE),
                ("data-date", &date),
                ("data-value", &text),
            ],
        )?;
        w.text_element("title", &[], &format!("{date}: {} {text}", line.value))?;
        w.close("circle")?;
    }
    let missing = line.points.iter().filter(|(_, v)| v.is_none()).count();
    if missing > 0 {
        w.text_element(
            "text",
            &[("x", &px(x0)), ("y", &px(PLOT_BOTTOM + 48.0)), ("font-size", "11"), ("fill", "#555555")],
            &format!("{missing} of {n} dates without a value (a gap in the line)"),
        )?;
    }
    w.close("svg")?;
    Ok(w.finish())
}
