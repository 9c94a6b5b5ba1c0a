//! The frames page in a real browser: `georel frames` writes pictures and index.html, then
//! headless Chromium, driven over WebDriver by chromedriver, loads the page, moves the
//! slider and presses keys, and the test checks that the picture and its date change.
//!
//! Needs Debian's chromium and chromium-driver (tools/test installs them). The test fails,
//! rather than skips, when they are missing. With GEOREL_SCREENSHOT=FILE it also saves a
//! screenshot of the page (that is how the README's picture is made).

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// WebDriver's key code for the right arrow.
const ARROW_RIGHT: &str = "\u{E014}";
const END: &str = "\u{E010}";

/// chromedriver running on a free local port; stopped when dropped.
struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    fn start() -> Driver {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: install Debian's chromium and chromium-driver (tools/test does)"
            );
        }
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        // No standard input for the driver and its browsers: Chromium's launcher writes to
        // whatever it inherits, and that must not reach later processes.
        // Its own process group, so that the browsers it starts end with it (see Drop).
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("start chromedriver");
        let driver = Driver { child, base: format!("http://127.0.0.1:{port}") };
        wait_for("chromedriver to listen", || {
            ureq::get(&format!("{}/status", driver.base))
                .call()
                .ok()
                .and_then(|r| r.into_json::<Value>().ok())
                .is_some_and(|v| v["value"]["ready"] == true)
        });
        driver
    }
}

impl Drop for Driver {
    /// Ends chromedriver and every browser process it started: killing chromedriver alone
    /// leaves Chromium running, and a browser outliving the test once wrote into a later
    /// cargo step of CI.
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A browser session.
struct Browser<'d> {
    driver: &'d Driver,
    session: String,
    _profile: tempfile::TempDir,
}

impl<'d> Browser<'d> {
    fn open(driver: &'d Driver) -> Browser<'d> {
        let profile = tempfile::tempdir().unwrap();
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-dev-shm-usage".into(),
            // No network here: keep Chromium from trying (it would only log refusals).
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--no-first-run".into(),
            "--window-size=1400,1100".into(),
            format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args},
        }}});
        let reply = post(&format!("{}/session", driver.base), capabilities);
        let session = reply["value"]["sessionId"].as_str().expect("a session id").to_string();
        Browser { driver, session, _profile: profile }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver.base, self.session)
    }

    fn go(&self, page: &Path) {
        post(&self.url("/url"), json!({"url": format!("file://{}", page.display())}));
    }

    fn script(&self, script: &str) -> Value {
        post(&self.url("/execute/sync"), json!({"script": script, "args": []}))["value"].clone()
    }

    fn element(&self, css: &str) -> String {
        let reply = post(&self.url("/element"), json!({"using": "css selector", "value": css}));
        reply["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {reply}"))
            .to_string()
    }

    fn type_into(&self, element: &str, keys: &str) {
        post(&self.url(&format!("/element/{element}/value")), json!({"text": keys}));
    }

    /// Presses a key on whatever has the focus.
    fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key},
        ]}]});
        post(&self.url("/actions"), actions);
    }

    /// The date shown, the picture's file name, and whether the picture has loaded.
    fn shown(&self) -> (String, String, bool) {
        let v = self.script(
            "const img = document.getElementById('frame');
             return [document.getElementById('date').textContent,
                     img.getAttribute('src'),
                     img.complete && img.naturalWidth > 0];",
        );
        (v[0].as_str().unwrap_or("").into(), v[1].as_str().unwrap_or("").into(), v[2] == true)
    }

    fn screenshot(&self, to: &Path) {
        let reply =
            ureq::get(&self.url("/screenshot")).call().expect("screenshot").into_json::<Value>().unwrap();
        let png = decode_base64(reply["value"].as_str().expect("base64 PNG"));
        std::fs::write(to, png).expect("write the screenshot");
    }
}

impl Drop for Browser<'_> {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.driver.base, self.session)).call();
    }
}

fn post(url: &str, body: Value) -> Value {
    match ureq::post(url).send_json(body) {
        Ok(reply) => reply.into_json().expect("a JSON reply"),
        Err(ureq::Error::Status(code, reply)) => {
            panic!("WebDriver {url} answered {code}: {}", reply.into_string().unwrap_or_default())
        }
        Err(e) => panic!("WebDriver {url}: {e}"),
    }
}

fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let bytes: Vec<u8> = text.bytes().filter(|&c| c != b'=' && !c.is_ascii_whitespace()).collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &c)| n | (u32::from(value(c)) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

/// Runs `georel frames` on the shipped data into a temporary folder; returns the folder.
fn frames(dir: &Path) -> PathBuf {
    let out = dir.join("frames");
    let status = Command::new(env!("CARGO_BIN_EXE_georel"))
        .args(["--data", concat!(env!("CARGO_MANIFEST_DIR"), "/data")])
        .args(["frames", "--from", "2025-10-01", "--to", "2026-02-01", "--every", "1m", "--out"])
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
    browser.go(&folder.join("index.html"));

    wait_for("the first frame to load", || browser.shown().2);
    assert_eq!(browser.shown(), ("2025-10-01".into(), "frame-0001-2025-10-01.png".into(), true));
    assert_eq!(browser.script("return document.getElementById('slider').max"), "4");

    // The slider, moved with the keyboard as a user would.
    let slider = browser.element("#slider");
    browser.type_into(&slider, ARROW_RIGHT);
    wait_for("the second frame", || {
        browser.shown() == ("2025-11-01".into(), "frame-0002-2025-11-01.png".into(), true)
    });

    // The page's own keys, with the focus elsewhere.
    browser.script("document.activeElement.blur(); return null;");
    browser.press(ARROW_RIGHT);
    wait_for("the third frame", || {
        browser.shown() == ("2025-12-01".into(), "frame-0003-2025-12-01.png".into(), true)
    });
    browser.press(END);
    wait_for("the last frame", || {
        browser.shown() == ("2026-02-01".into(), "frame-0005-2026-02-01.png".into(), true)
    });
    assert_eq!(browser.script("return document.getElementById('slider').value"), "4");
    assert_eq!(browser.script("return document.getElementById('counter').textContent"), "frame 5 of 5");

    // Back to December, when Colombia–US is contested, for the screenshot.
    browser.script(
        "const s = document.getElementById('slider'); s.value = '2'; s.dispatchEvent(new Event('input')); return null;",
    );
    wait_for("the December frame", || {
        browser.shown() == ("2025-12-01".into(), "frame-0003-2025-12-01.png".into(), true)
    });
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
