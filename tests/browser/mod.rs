//! Headless Chromium driven over WebDriver by chromedriver, for the tests of georel's pages
//! (frames_page.rs, explorer_page.rs): each test file compiles this module (`mod browser;`),
//! and each uses every item here.
//!
//! Needs Debian's chromium and chromium-driver (tools/test installs them). A test fails,
//! rather than skips, when they are missing.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// chromedriver running on a free local port; stopped when dropped.
pub struct Driver {
    child: Child,
    base: String,
}

impl Driver {
    pub fn start() -> Driver {
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
pub struct Browser<'d> {
    driver: &'d Driver,
    session: String,
    _profile: tempfile::TempDir,
}

impl<'d> Browser<'d> {
    pub fn open(driver: &'d Driver) -> Browser<'d> {
        Browser::sized(driver, 1400, 1100)
    }

    /// A browser whose window is `width` by `height` pixels.
    pub fn sized(driver: &'d Driver, width: u32, height: u32) -> Browser<'d> {
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
            format!("--window-size={width},{height}"),
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

    pub fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.driver.base, self.session)
    }

    /// Loads a page: `file://…` or `http://…`.
    pub fn go(&self, url: &str) {
        post(&self.url("/url"), json!({"url": url}));
    }

    pub fn script(&self, script: &str) -> Value {
        post(&self.url("/execute/sync"), json!({"script": script, "args": []}))["value"].clone()
    }

    pub fn element(&self, css: &str) -> String {
        let reply = post(&self.url("/element"), json!({"using": "css selector", "value": css}));
        reply["value"]
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element {css}: {reply}"))
            .to_string()
    }

    pub fn type_into(&self, element: &str, keys: &str) {
        post(&self.url(&format!("/element/{element}/value")), json!({"text": keys}));
    }

    /// Presses a key on whatever has the focus.
    pub fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key},
        ]}]});
        post(&self.url("/actions"), actions);
    }

    pub fn screenshot(&self, to: &Path) {
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

pub fn post(url: &str, body: Value) -> Value {
    match ureq::post(url).send_json(body) {
        Ok(reply) => reply.into_json().expect("a JSON reply"),
        Err(ureq::Error::Status(code, reply)) => {
            panic!("WebDriver {url} answered {code}: {}", reply.into_string().unwrap_or_default())
        }
        Err(e) => panic!("WebDriver {url}: {e}"),
    }
}

pub fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(Instant::now() < deadline, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

pub fn decode_base64(text: &str) -> Vec<u8> {
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
