//! The page that steps through a series of frames: one static HTML file beside the
//! pictures, with no network access (styles and script inline), driven by a slider, buttons
//! and the keyboard.

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

/// Writes `index.html` for the frames. `title` names the series (dates, filters).
///
/// # Errors
/// When `out` fails.
pub fn write(title: &str, frames: &[Frame], out: &mut dyn Write) -> io::Result<()> {
    // The frame list goes into a <script> as JSON; `</` is escaped so that no value can end
    // the script element, and the title is HTML-escaped.
    let list = serde_json::to_string(frames).map_err(io::Error::other)?.replace("</", "<\\/");
    let title = escape_html(title);
    let last = frames.len().saturating_sub(1);
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 1rem 1.5rem; color: #222; }}
  h1 {{ font-size: 1.2rem; font-weight: 600; margin: 0 0 .6rem; }}
  .controls {{ display: flex; align-items: center; gap: .6rem; flex-wrap: wrap; margin-bottom: .6rem; }}
  #slider {{ flex: 1 1 24rem; min-width: 12rem; }}
  #date {{ font-size: 1.4rem; font-weight: 700; font-variant-numeric: tabular-nums; min-width: 7.5em; }}
  #counter, #summary, .help {{ color: #555; font-size: .9rem; }}
  button {{ font-size: 1rem; padding: .2rem .7rem; }}
  #frame {{ display: block; max-width: 100%; max-height: calc(100vh - 11rem); width: auto; height: auto; border: 1px solid #ddd; background: #fff; }}
  .legend span {{ margin-right: 1rem; white-space: nowrap; }}
</style>
</head>
<body>
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
<img id="frame" alt="">
<p class="legend"><span style="color:#2e7d32">&#9473;&#9473; cooperation</span><span style="color:#c62828">&#9473;&#9473;&#9654; restriction</span><span style="color:#ef6c00">&#9473;&#9473; dispute</span><span style="color:#1565c0">&#9473;&#9473;&#9654; membership</span><span>&#9588; &#9588; possible</span><span><b>&#9473;&#9473;</b> contested</span></p>
<p class="help">Keys: &#8592; and &#8594; step through the frames, Home and End jump to the first and last, Space plays and pauses.</p>
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

fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
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
        write("georel <frames> & \"co\"", &frames, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(html.contains("frame-0001-2025-01-01.png") && html.contains("frame-0002-2025-02-01.png"));
        assert!(html.contains(r#"max="1""#));
        assert!(html.contains("<title>georel &lt;frames&gt; &amp; &quot;co&quot;</title>"));
        assert_eq!(html.matches("</script>").count(), 1, "only the real end of the script");
        assert!(!html.contains("http://") && !html.contains("https://"), "no network access");
    }
}
