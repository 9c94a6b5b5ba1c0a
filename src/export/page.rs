//! The page that steps through a series of frames: one static HTML file beside the
//! pictures, with no network access (styles, script and legend inline), driven by a slider,
//! buttons and the keyboard. The frame is scaled, up or down, to fill the window beside the
//! legend; the shared layout is stretched to about that space's aspect (see
//! [`crate::export::dot::write_frames_layout`]), so that it fills it.

use std::io::{self, Write};

use serde::Serialize;

/// One frame of the series, as the page lists it.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// The picture's file name, beside the page.
    pub file: String,
    /// The day it shows, `YYYY-MM-DD`.
    pub date: String,
    /// A one-line summary: how many actors and relations.
    pub summary: String,
}

/// Writes `index.html` for the frames. `title` names the series (dates, filters); `legend`
/// is the legend as an SVG document ([`crate::export::dot::write_frames_legend`], drawn),
/// put inline.
///
/// # Errors
/// When `out` fails.
pub fn write(title: &str, frames: &[Frame], legend: &str, out: &mut dyn Write) -> io::Result<()> {
    // The frame list goes into a <script> as JSON; `</` is escaped so that no value can end
    // the script element, and the title is HTML-escaped.
    let list = serde_json::to_string(frames).map_err(io::Error::other)?.replace("</", "<\\/");
    let title = super::html_escape(title);
    let last = frames.len().saturating_sub(1);
    // Graphviz's SVG starts with an XML declaration and a doctype, which HTML does not take;
    // the legend is georel's own drawing of fixed text, nothing from the data.
    // HTML needs no namespace declarations either, and a page with no address in it is
    // plainly one that makes no request.
    let legend = legend.find("<svg").map_or("", |at| &legend[at..]);
    let legend = legend
        .replace(r#" xmlns="http://www.w3.org/2000/svg""#, "")
        .replace(r#" xmlns:xlink="http://www.w3.org/1999/xlink""#, "");
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  html, body {{ height: 100%; margin: 0; }}
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; display: flex; flex-direction: column; }}
  header {{ padding: .5rem 1rem .3rem; }}
  h1 {{ font-size: 1.1rem; font-weight: 600; margin: 0 0 .3rem; }}
  .controls {{ display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; }}
  #slider {{ flex: 1 1 20rem; min-width: 10rem; }}
  #date {{ font-size: 1.3rem; font-weight: 700; font-variant-numeric: tabular-nums; min-width: 7.5em; }}
  #counter, #summary, .help {{ color: #555; font-size: .85rem; }}
  #summary {{ margin-top: .2rem; }}
  button {{ font-size: 1rem; padding: .1rem .6rem; }}
  main {{ flex: 1 1 auto; min-height: 0; display: flex; gap: .5rem; padding: 0 .5rem .5rem 1rem; }}
  #stage {{ flex: 1 1 auto; min-width: 0; min-height: 0; position: relative; }}
  /* Scaled up or down to the space, keeping its proportions. */
  #frame {{ position: absolute; inset: 0; width: 100%; height: 100%; object-fit: contain; object-position: center top; }}
  #legend {{ flex: 0 0 auto; max-width: 18rem; overflow-y: auto; }}
  #legend svg {{ display: block; max-width: 100%; height: auto; }}
  .help {{ margin: .4rem 0 0; }}
</style>
</head>
<body>
<header>
<h1>{title}</h1>
<div class="controls">
  <button id="prev" type="button" aria-label="Previous frame">&#9664;</button>
  <input id="slider" type="range" min="0" max="{last}" step="1" value="0" aria-label="Frame">
  <button id="next" type="button" aria-label="Next frame">&#9654;</button>
  <button id="play" type="button">Play</button>
  <span id="date" aria-live="polite"></span>
  <span id="counter"></span>
</div>
<div id="summary"></div>
</header>
<main>
<div id="stage"><img id="frame" alt=""></div>
<aside id="legend" aria-label="Legend">
{legend}
<p class="help">Keys: &#8592; and &#8594; step through the frames, Home and End jump to the first and last, Space plays and pauses.</p>
</aside>
</main>
<script>
"use strict";
const frames = {list};
const slider = document.getElementById("slider");
const image = document.getElementById("frame");
const date = document.getElementById("date");
const counter = document.getElementById("counter");
const summary = document.getElementById("summary");
const play = document.getElementById("play");
let current = 0;
let timer = null;

function show(index) {{
  if (frames.length === 0) {{ date.textContent = "no frames"; return; }}
  current = Math.max(0, Math.min(frames.length - 1, index));
  const frame = frames[current];
  image.src = frame.file;
  image.alt = "The network on " + frame.date;
  date.textContent = frame.date;
  summary.textContent = frame.summary;
  counter.textContent = "frame " + (current + 1) + " of " + frames.length;
  slider.value = String(current);
}}

function stop() {{ if (timer !== null) {{ clearInterval(timer); timer = null; play.textContent = "Play"; }} }}
function start() {{
  if (current >= frames.length - 1) {{ show(0); }}
  timer = setInterval(() => {{ if (current >= frames.length - 1) {{ stop(); }} else {{ show(current + 1); }} }}, 900);
  play.textContent = "Pause";
}}

slider.addEventListener("input", () => {{ stop(); show(Number(slider.value)); }});
document.getElementById("prev").addEventListener("click", () => {{ stop(); show(current - 1); }});
document.getElementById("next").addEventListener("click", () => {{ stop(); show(current + 1); }});
play.addEventListener("click", () => {{ if (timer === null) {{ start(); }} else {{ stop(); }} }});
document.addEventListener("keydown", (event) => {{
  // The slider handles arrow keys itself when it has the focus.
  if (event.target === slider && ["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) {{ return; }}
  if (event.key === "ArrowRight") {{ stop(); show(current + 1); }}
  else if (event.key === "ArrowLeft") {{ stop(); show(current - 1); }}
  else if (event.key === "Home") {{ stop(); show(0); }}
  else if (event.key === "End") {{ stop(); show(frames.length - 1); }}
  else if (event.key === " ") {{ event.preventDefault(); if (timer === null) {{ start(); }} else {{ stop(); }} }}
  else {{ return; }}
  event.preventDefault();
}});
show(0);
</script>
</body>
</html>
"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_lists_every_frame_and_cannot_be_broken_out_of() {
        let frames = vec![
            Frame {
                file: "frame-0001-2025-01-01.png".into(),
                date: "2025-01-01".into(),
                summary: "3 actors".into(),
            },
            Frame {
                file: "frame-0002-2025-02-01.png".into(),
                date: "2025-02-01".into(),
                summary: "</script><b>".into(),
            },
        ];
        let mut out = Vec::new();
        write("georel <frames> & \"co\"", &frames, "<?xml version=\"1.0\"?><svg>legend</svg>", &mut out)
            .unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("frame-0001-2025-01-01.png") && html.contains("frame-0002-2025-02-01.png"));
        assert!(html.contains(r#"max="1""#));
        assert!(html.contains("<title>georel &lt;frames&gt; &amp; &quot;co&quot;</title>"));
        assert_eq!(html.matches("</script>").count(), 1, "only the real end of the script");
        assert!(!html.contains("http://") && !html.contains("https://"), "no network access");
        assert!(html.contains("<svg>legend</svg>") && !html.contains("<?xml"), "the legend inline");
    }
}
