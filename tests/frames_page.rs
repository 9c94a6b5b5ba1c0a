//! The frames page in a real browser: `georel frames` writes pictures and index.html, then
//! headless Chromium, driven over WebDriver by chromedriver, loads the page, moves the
//! slider and presses keys, and the test checks that the picture and its date change.
//!
//! Needs Debian's chromium and chromium-driver (tools/test installs them). The test fails,
//! rather than skips, when they are missing. With GEOREL_SCREENSHOT=FILE it also saves a
//! screenshot of the page at 1400×1000 (that is how the README's picture is made).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::json;

mod browser;
use browser::{decode_base64, post, wait_for, Browser, Driver};

/// WebDriver's key code for the right arrow.
const ARROW_RIGHT: &str = "\u{E014}";
const END: &str = "\u{E010}";

/// The date shown, the picture's file name, and whether the picture has loaded.
fn shown(browser: &Browser) -> (String, String, bool) {
    let v = browser.script(
        "const img = document.getElementById('frame');
         return [document.getElementById('date').textContent,
                 img.getAttribute('src'),
                 img.complete && img.naturalWidth > 0];",
    );
    (v[0].as_str().unwrap_or("").into(), v[1].as_str().unwrap_or("").into(), v[2] == true)
}

/// Runs `georel frames` on the shipped data into a temporary folder; returns the folder.
fn frames(dir: &Path) -> PathBuf {
    frames_with(dir, &[])
}

/// As [`frames`], with more options.
fn frames_with(dir: &Path, more: &[&str]) -> PathBuf {
    let out = dir.join("frames");
    let status = Command::new(env!("CARGO_BIN_EXE_georel"))
        .args(["--data", concat!(env!("CARGO_MANIFEST_DIR"), "/data")])
        .args(["frames", "--from", "2025-10-01", "--to", "2026-02-01", "--every", "1m"])
        .args(more)
        .arg("--out")
        .arg(&out)
        .stdout(Stdio::null())
        .status()
        .expect("run georel");
    assert!(status.success(), "georel frames fails");
    out
}

#[test]
fn the_slider_and_the_keys_step_through_the_frames() {
    let dir = tempfile::tempdir().unwrap();
    let folder = frames(dir.path());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&format!("file://{}", folder.join("index.html").display()));

    wait_for("the first frame to load", || shown(&browser).2);
    assert_eq!(shown(&browser), ("2025-10-01".into(), "frame-0001-2025-10-01.png".into(), true));
    assert_eq!(browser.script("return document.getElementById('slider').max"), "4");

    // The slider, moved with the keyboard as a user would.
    let slider = browser.element("#slider");
    browser.type_into(&slider, ARROW_RIGHT);
    wait_for("the second frame", || {
        shown(&browser) == ("2025-11-01".into(), "frame-0002-2025-11-01.png".into(), true)
    });

    // The page's own keys, with the focus elsewhere.
    browser.script("document.activeElement.blur(); return null;");
    browser.press(ARROW_RIGHT);
    wait_for("the third frame", || {
        shown(&browser) == ("2025-12-01".into(), "frame-0003-2025-12-01.png".into(), true)
    });
    browser.press(END);
    wait_for("the last frame", || {
        shown(&browser) == ("2026-02-01".into(), "frame-0005-2026-02-01.png".into(), true)
    });
    assert_eq!(browser.script("return document.getElementById('slider').value"), "4");
    assert_eq!(browser.script("return document.getElementById('counter').textContent"), "frame 5 of 5");
}

/// Regression (issue 15): at 1400×1000 the page shrank each frame to about 40% (labels about
/// 5 pixels) and left the right half empty, with no legend. Now the frame is scaled to the
/// space beside the legend and fills most of it, its actors' names are legible, and the
/// legend shows. Measured on the December frame of the shipped data, drawn as SVG so that
/// the names' size can be read from the picture.
#[test]
fn at_1400_by_1000_the_frame_fills_the_window_beside_a_legend() {
    let dir = tempfile::tempdir().unwrap();
    let folder = frames_with(dir.path(), &["--format", "svg"]);
    let driver = Driver::start();
    let browser = Browser::sized(&driver, 1400, 1000);
    browser.go(&format!("file://{}", folder.join("index.html").display()));
    wait_for("the first frame to load", || shown(&browser).2);
    // The window's frame, if any, takes some of its size: make the page itself 1400×1000.
    let inner = browser.script("return [window.innerWidth, window.innerHeight];");
    let (w, h) = (inner[0].as_i64().unwrap(), inner[1].as_i64().unwrap());
    post(&browser.url("/window/rect"), json!({"width": 1400 + (1400 - w), "height": 1000 + (1000 - h)}));
    let inner = browser.script("return [window.innerWidth, window.innerHeight];");
    assert_eq!((inner[0].as_i64(), inner[1].as_i64()), (Some(1400), Some(1000)), "the page is 1400×1000");

    // December, when Colombia–US is contested.
    browser.script(
        "const s = document.getElementById('slider'); s.value = '2'; s.dispatchEvent(new Event('input')); return null;",
    );
    wait_for("the December frame", || {
        shown(&browser) == ("2025-12-01".into(), "frame-0003-2025-12-01.svg".into(), true)
    });
    let m = browser.script(
        "const img = document.getElementById('frame');
         const stage = document.getElementById('stage').getBoundingClientRect();
         const legend = document.getElementById('legend');
         const l = legend.getBoundingClientRect();
         const svg = legend.querySelector('svg');
         return [stage.width, stage.height, img.naturalWidth, img.naturalHeight,
                 l.left, l.top, l.right, l.bottom, getComputedStyle(legend).visibility,
                 svg === null ? '' : svg.textContent];",
    );
    let f = |i: usize| m[i].as_f64().unwrap_or_else(|| panic!("a number at {i}: {m}"));
    let (stage_w, stage_h, natural_w, natural_h) = (f(0), f(1), f(2), f(3));
    // The space for the frame is the window less the legend and the controls.
    let legend_w = f(6) - f(4);
    assert!(stage_w >= 1400.0 - legend_w - 64.0, "the frame's space is the width beside the legend: {m}");
    assert!(stage_h >= 1000.0 - 160.0, "the frame's space is the height below the controls: {m}");
    // Scaled to fit that space, up or down, keeping its proportions.
    let scale = (stage_w / natural_w).min(stage_h / natural_h);
    let (drawn_w, drawn_h) = (natural_w * scale, natural_h * scale);
    assert!(
        drawn_w >= 0.9 * stage_w || drawn_h >= 0.9 * stage_h,
        "the frame fills its space: {drawn_w:.0}×{drawn_h:.0} in {stage_w:.0}×{stage_h:.0}"
    );
    assert!(
        drawn_w * drawn_h >= 0.7 * stage_w * stage_h,
        "the frame covers most of its space: {drawn_w:.0}×{drawn_h:.0} in {stage_w:.0}×{stage_h:.0}"
    );
    // The actors' names, in screen pixels: their size in the SVG's units, times the
    // picture's scale from its view box to the screen.
    let svg = std::fs::read_to_string(folder.join("frame-0003-2025-12-01.svg")).unwrap();
    let view_w: f64 = svg.split("viewBox=\"").nth(1).unwrap().split(' ').nth(2).unwrap().parse().unwrap();
    let name_size: f64 = svg
        .split("<g id=\"node")
        .skip(1)
        .find_map(|node| node.split("font-size=\"").nth(1)?.split('"').next()?.parse().ok())
        .expect("a node's name");
    let on_screen = name_size * drawn_w / view_w;
    eprintln!(
        "frame {natural_w}×{natural_h} drawn {drawn_w:.0}×{drawn_h:.0} in {stage_w:.0}×{stage_h:.0}; names {on_screen:.1} px"
    );
    assert!(on_screen >= 11.0, "names are legible: {on_screen:.1} px");

    // The legend: inside the window, visible, naming the looks of the lines and shapes.
    assert!(f(4) >= 0.0 && f(6) <= 1400.0 && f(5) < 1000.0 && f(7) - f(5) > 200.0, "the legend in view: {m}");
    assert_eq!(m[8], "visible");
    let legend = m[9].as_str().unwrap();
    for words in [
        "cooperation",
        "restriction",
        "dispute",
        "membership",
        "possible",
        "contested",
        "new since",
        "ended since",
        "agency",
        "country",
    ] {
        assert!(legend.contains(words), "{words} in the legend: {legend}");
    }
    if let Some(path) = std::env::var_os("GEOREL_SCREENSHOT") {
        browser.screenshot(Path::new(&path));
    }
}

#[test]
fn base64_decodes() {
    assert_eq!(decode_base64("aGVsbG8="), b"hello");
    assert_eq!(decode_base64("aGk="), b"hi");
    assert_eq!(decode_base64("YWJj"), b"abc");
}
