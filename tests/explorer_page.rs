//! The explorer in a real browser: `georel serve --port 0` on the shipped data, headless
//! Chromium driven over WebDriver (tests/browser), and assertions on the page's table view,
//! its lists and its state (never on pixels). The page says which URL fragment it has fully
//! drawn in `body[data-shown]`; every step waits for that.
//!
//! With GEOREL_SCREENSHOT=FILE the main test also saves a screenshot of the page with the
//! Colombia–US evidence open.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

mod browser;
use browser::{post, wait_for, Browser, Driver};

/// WebDriver's key code for Enter.
const ENTER: &str = "\u{E007}";

/// `georel serve` on a dataset folder; stopped when dropped.
struct Server {
    child: Child,
    /// The URL it prints, with its token.
    url: String,
}

impl Server {
    fn start(data: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_georel"))
            .arg("--data")
            .arg(data)
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start georel serve");
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        // Reads stderr to its end, so that the server never blocks on a full pipe.
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(at) = line.find("http://") {
                    let _ = tx.send(line[at..].split_whitespace().next().unwrap_or("").to_string());
                }
            }
        });
        let url = rx.recv_timeout(Duration::from_secs(60)).expect("georel serve prints its URL on stderr");
        assert!(url.starts_with("http://127.0.0.1:") && url.contains("?token="), "the URL: {url}");
        Server { child, url }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until the page has drawn this URL fragment completely.
fn settle(browser: &Browser, fragment: &str) {
    wait_for(&format!("the page to show #{fragment}"), || {
        browser
            .script("return document.body.dataset.shown === undefined ? null : document.body.dataset.shown;")
            == json!(fragment)
    });
}

/// The page's fragment, without '#'.
fn fragment(browser: &Browser) -> String {
    browser.script("return location.hash.replace(/^#/, '');").as_str().unwrap_or("").to_string()
}

/// The rows of a table's body, as their cells' text.
fn rows(browser: &Browser, table: &str) -> Vec<Vec<String>> {
    let v = browser.script(&format!(
        "return [...document.querySelectorAll('#{table} tbody tr')].map(r => [...r.cells].map(c => c.textContent));"
    ));
    serde_json::from_value(v).unwrap()
}

fn text(browser: &Browser, css: &str) -> String {
    let v = browser.script(&format!(
        "const e = document.querySelector({css:?}); return e === null ? null : e.textContent;"
    ));
    v.as_str().unwrap_or_else(|| panic!("no element {css}")).to_string()
}

fn click(browser: &Browser, css: &str) {
    let element = browser.element(css);
    post(&browser.url(&format!("/element/{element}/click")), json!({}));
}

/// Sets a date input as a user's picker does: a value, then a change event.
fn pick_date(browser: &Browser, id: &str, day: &str) {
    browser.script(&format!(
        "const i = document.getElementById('{id}'); i.value = '{day}'; i.dispatchEvent(new Event('change')); return null;"
    ));
}

/// Everything the tests read from a view: tables, lists, evidence, hidden count.
fn view_text(browser: &Browser) -> Value {
    browser.script(
        "const t = (s) => [...document.querySelectorAll(s)].map(e => e.textContent);
         return {edges: t('#edges-table tbody tr'), nodes: t('#nodes-table tbody tr'), contests: t('#contests li'),
                 evidence: t('#evidence'), path: t('#path-list li'), hidden: t('#hidden'),
                 date: document.getElementById('at').value,
                 reliability: document.getElementById('min-reliability').value};",
    )
}

fn shipped_data() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/data"))
}

#[test]
fn the_explorer_answers_the_issues_questions_on_the_shipped_data() {
    let server = Server::start(shipped_data());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&server.url);
    // The token is exchanged for a cookie and the page loads its first view.
    wait_for("the first view", || {
        browser.script("return document.body.dataset.generation || null;") != Value::Null
    });
    assert_eq!(browser.script("return document.getElementById('error').textContent;"), "");
    // Nothing the page or its library does is refused by the server's Content-Security-Policy.
    assert_eq!(browser.script("return window.georel.violations;"), json!([]));

    // Scrub to 2025-11-12 and read the table.
    click(&browser, "#show-table");
    settle(&browser, "view=table");
    pick_date(&browser, "at", "2025-11-12");
    settle(&browser, "at=2025-11-12&view=table");
    let edges = rows(&browser, "edges-table");
    let contested_col_usa: Vec<&Vec<String>> = edges
        .iter()
        .filter(|r| {
            let pair = [r[0].as_str(), r[1].as_str()];
            (pair == ["Colombia", "United States"] || pair == ["United States", "Colombia"])
                && r[4] == "contested"
        })
        .collect();
    assert!(
        contested_col_usa.iter().any(|r| r[2] == "restriction")
            && contested_col_usa.iter().any(|r| r[2] == "cooperation"),
        "Colombia–United States contested on 2025-11-12: {edges:?}"
    );
    let contests: Vec<String> = serde_json::from_value(view_text(&browser)["contests"].clone()).unwrap();
    assert!(
        contests.iter().any(|c| c.contains("Colombia") && c.contains("United States")),
        "the contests list: {contests:?}"
    );

    // Open the pair from the table with the keyboard: the row takes the focus, Enter opens it.
    let opened = browser.script(
        "const r = [...document.querySelectorAll('#edges-table tbody tr')]
           .find(r => r.cells[0].textContent === 'Colombia' && r.cells[1].textContent === 'United States' && r.cells[2].textContent === 'restriction');
         if (!r) return null; r.focus(); return r.dataset.pair;",
    );
    assert_eq!(opened, "COL~USA");
    browser.press(ENTER);
    settle(&browser, "at=2025-11-12&sel=COL~USA&view=table");
    // The keyboard user keeps their place in the redrawn table.
    assert_eq!(
        browser.script("return document.activeElement.dataset.key || null;"),
        "COL-USA-SUSPENSION",
        "the focus after Enter"
    );
    let suspension = browser.script(
        "const c = document.querySelector('#evidence .card[data-id=\"COL-USA-SUSPENSION\"]');
         if (!c) return null;
         return {claimant: c.querySelector('.claimant').textContent, status: c.querySelector('.status').textContent,
                 dates: c.querySelector('.dates').textContent,
                 sources: [...c.querySelectorAll('.sources li')].map(l => l.textContent)};",
    );
    assert!(suspension.is_object(), "the suspension's evidence: {}", text(&browser, "#evidence"));
    assert!(suspension["claimant"].as_str().unwrap().contains("Gustavo Petro"), "{suspension}");
    assert_eq!(suspension["status"], "active");
    assert!(suspension["dates"].as_str().unwrap().starts_with("2025-11-11"), "{suspension}");
    let sources = suspension["sources"].as_array().unwrap();
    assert!(
        sources.iter().any(|s| s.as_str().unwrap().contains("Colombia Suspends Intelligence Cooperation")
            && s.as_str().unwrap().contains("LA Report")),
        "{suspension}"
    );
    assert!(text(&browser, "#evidence").contains("contested"), "the pair's state");
    if let Some(path) = std::env::var_os("GEOREL_SCREENSHOT") {
        browser.screenshot(Path::new(&path));
    }

    // The path from DDIS to CIA on 2026-01-26, typed into the form. Scrubbing moves no actor:
    // the node set is laid out once.
    let positions = browser.script("return window.georel.positions();");
    assert!(positions.as_object().is_some_and(|p| p.len() > 30), "the actors are drawn: {positions}");
    pick_date(&browser, "at", "2026-01-26");
    settle(&browser, "at=2026-01-26&sel=COL~USA&view=table");
    assert_eq!(
        browser.script("return window.georel.positions();"),
        positions,
        "positions stay while scrubbing"
    );
    let from = browser.element("#path-from");
    browser.type_into(&from, "DDIS");
    let to = browser.element("#path-to");
    browser.type_into(&to, "CIA");
    click(&browser, "#path-form button[type=submit]");
    settle(&browser, "at=2026-01-26&sel=COL~USA&path=DDIS~CIA&view=table");
    let hops = browser
        .script("return [...document.querySelectorAll('#path-list li[data-hop]')].map(l => l.dataset.pair);");
    assert_eq!(hops, json!(["DDIS~NSA", "NSA~USA", "USA~CIA"]), "{}", text(&browser, "#path-list"));
    let first_hop = text(&browser, "#path-list li[data-hop='1']");
    assert!(first_hop.contains("DDIS-NSA-SIGINT") && first_hop.contains("cooperation"), "{first_hop}");
    // With its evidence: the source's title, publisher and date.
    assert!(
        first_hop.contains("We knew about the US-Danish spy collaboration")
            && first_hop.contains("intelNews.org, 2021-06-01"),
        "{first_hop}"
    );

    // A source with an http(s) address is a link, opened apart from the page.
    let link = browser.script(
        "const a = document.querySelector(\"#path-list li[data-hop='1'] a\");
         return a === null ? null : [a.textContent, a.href, a.rel, a.target];",
    );
    assert_eq!(
        link,
        json!([
            "We knew about the US-Danish spy collaboration. The revelations are still remarkable",
            "https://intelnews.org/2021/06/01/01-3012/",
            "noopener noreferrer",
            "_blank"
        ])
    );

    // A minimum reliability hides relations, and the page says how many.
    assert_eq!(browser.script("return document.getElementById('hidden').dataset.count;"), "0");
    let before = rows(&browser, "edges-table").len();
    click(&browser, "#min-reliability option[value='A']");
    settle(&browser, "at=2026-01-26&min_reliability=A&sel=COL~USA&path=DDIS~CIA&view=table");
    let hidden: u64 = browser
        .script("return document.getElementById('hidden').dataset.count;")
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(hidden > 0, "{}", text(&browser, "#hidden"));
    assert!(text(&browser, "#hidden").contains(&hidden.to_string()));
    let after = rows(&browser, "edges-table");
    assert!(after.len() < before, "fewer relations shown: {before} then {}", after.len());
    assert!(after.iter().all(|r| r[7].starts_with('A')), "only grade A remains: {after:?}");

    // "Export this view": the CSV link gives the snapshot the CLI would write for this view.
    let export = browser.script(
        "const a = [...document.querySelectorAll('#export a')].find(a => a.textContent === 'edges CSV');
         return fetch(a.href).then(async r => ({href: a.getAttribute('href'), status: r.status,
           disposition: r.headers.get('content-disposition'), body: await r.text()}));",
    );
    let href = export["href"].as_str().unwrap();
    assert!(href.contains("at=2026-01-26") && href.contains("min_reliability=A"), "{href}");
    assert_eq!(export["status"], 200, "{export}");
    assert!(export["disposition"].as_str().unwrap().starts_with("attachment"), "{export}");
    let body = export["body"].as_str().unwrap();
    assert!(body.starts_with("id,source,target,kind"), "{body}");
    assert!(body.contains("COL-USA-PLAN-COLOMBIA") && !body.contains("COL-USA-SUSPENSION"), "{body}");

    // Reloading from the URL shows the same view.
    let state = fragment(&browser);
    let seen = view_text(&browser);
    browser.script("window.georelBeforeReload = true; location.reload(); return null;");
    wait_for("the reload", || browser.script("return window.georelBeforeReload === undefined;") == true);
    settle(&browser, &state);
    assert_eq!(fragment(&browser), state);
    assert_eq!(view_text(&browser), seen);

    // The changes of November 2025, drawn and listed: Colombia's suspension started.
    click(&browser, "#min-reliability option[value='']");
    settle(&browser, "at=2026-01-26&sel=COL~USA&path=DDIS~CIA&view=table");
    browser.script(
        "document.getElementById('diff-from').value = '2025-11-01'; document.getElementById('diff-to').value = '2025-12-01'; return null;",
    );
    click(&browser, "#diff-form button[type=submit]");
    settle(&browser, "at=2026-01-26&sel=COL~USA&path=DDIS~CIA&diff=2025-11-01~2025-12-01&view=table");
    let change = text(&browser, "#diff-list li[data-id='COL-USA-SUSPENSION']");
    assert!(change.starts_with("added: Colombia — United States restriction"), "{change}");

    // Search with a typo, as the CLI resolves names; picking the match selects the actor.
    let search = browser.element("#search");
    browser.type_into(&search, "colmbia");
    wait_for("the search's answer", || {
        browser.script("return document.querySelector('#search-results li[data-id=\"COL\"]') !== null;")
            == true
    });
    click(&browser, "#search-results li[data-id='COL'] button");
    settle(&browser, "at=2026-01-26&sel=COL&path=DDIS~CIA&diff=2025-11-01~2025-12-01&view=table");
    assert!(text(&browser, "#evidence h2").starts_with("Colombia (COL)"));

    // Rolled up by country: no agency is left, their relations count for their countries.
    click(&browser, "#by-country");
    settle(
        &browser,
        "at=2026-01-26&by_country=1&sel=COL&path=DDIS~CIA&diff=2025-11-01~2025-12-01&view=table",
    );
    let kinds: Vec<String> = rows(&browser, "nodes-table").into_iter().map(|r| r[2].clone()).collect();
    assert!(kinds.contains(&"country".to_string()) && !kinds.contains(&"agency".to_string()), "{kinds:?}");
}

/// The graph itself: the same places whether the page was opened on the graph or on the
/// table, and a click on an edge opens its pair's evidence.
#[test]
fn a_click_on_an_edge_opens_its_evidence() {
    let server = Server::start(shipped_data());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&format!("{}#at=2025-11-12", server.url));
    settle(&browser, "at=2025-11-12");
    let places = browser.script("return window.georel.positions();");
    browser.go(&format!("{}#at=2025-11-12&view=table", server.url));
    settle(&browser, "at=2025-11-12&view=table");
    click(&browser, "#show-graph");
    settle(&browser, "at=2025-11-12");
    assert_eq!(
        browser.script("return window.georel.positions();"),
        places,
        "laid out the same under the table"
    );
    let graph = browser.element("#graph");
    let at = browser.script(
        "const g = document.getElementById('graph').getBoundingClientRect();
         const p = window.georel.onScreen('COL-USA-SUSPENSION');
         return p === null ? null : [p.x - g.width / 2, p.y - g.height / 2];",
    );
    let (x, y) = (at[0].as_f64().expect("the edge is drawn") as i64, at[1].as_f64().unwrap() as i64);
    let origin = json!({"element-6066-11e4-a52e-4f735466cecf": graph});
    post(
        &browser.url("/actions"),
        json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"}, "actions": [
            {"type": "pointerMove", "origin": origin, "x": x, "y": y},
            {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0},
        ]}]}),
    );
    settle(&browser, "at=2025-11-12&sel=COL~USA");
    assert!(text(&browser, "#evidence h2").contains("Colombia — United States"));

    // The CIA's neighbourhood on that day, asked in the form: listed by distance, and every
    // other actor drawn faded.
    let focus = browser.element("#focus");
    browser.type_into(&focus, "CIA");
    click(&browser, "#focus-form button[type=submit]");
    settle(&browser, "at=2025-11-12&focus=CIA&depth=1&sel=COL~USA");
    let listed =
        browser.script("return [...document.querySelectorAll('#focus-list li')].map(l => l.dataset.id);");
    assert_eq!(listed, json!(["CIA", "USA"]), "{}", text(&browser, "#focus-list"));
    let unfaded = browser.script(
        "return window.georel.drawn().filter(n => !n.faded).map(n => n.id).filter(id => !['CIA', 'USA'].includes(id));",
    );
    assert_eq!(unfaded, json!([]), "only the neighbourhood stands out");
}

/// Names, summaries and source titles are text: markup in them shows as its characters, no
/// script runs, no element is made from them, and a `javascript:` address is no link.
#[test]
fn markup_in_the_data_shows_as_text_and_runs_nothing() {
    let data = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/explorer_xss"));
    let server = Server::start(data);
    let driver = Driver::start();
    let browser = Browser::sized(&driver, 1200, 800);
    browser.go(&format!("{}#at=2020-06-01&sel=XSS~PLAIN&view=table", server.url));
    settle(&browser, "at=2020-06-01&sel=XSS~PLAIN&view=table");
    let names: Vec<String> = rows(&browser, "nodes-table").into_iter().map(|r| r[1].clone()).collect();
    assert!(names.contains(&"<img src=x onerror=alert(1)>".to_string()), "{names:?}");
    let edges = rows(&browser, "edges-table");
    assert_eq!(edges[0][0], "<img src=x onerror=alert(1)>", "{edges:?}");
    let evidence = text(&browser, "#evidence");
    for shown in [
        "<img src=x onerror=alert(1)>",
        "<b onmouseover=alert(5)>bold</b> & <i>italic</i>",
        "<script>alert(2)</script>",
        "<img src=y onerror=alert(3)>",
    ] {
        assert!(evidence.contains(shown), "{shown} in {evidence}");
    }
    // Searching by the alias lists the actor by its name, as text.
    let search = browser.element("#search");
    browser.type_into(&search, "XSS");
    wait_for("the search's answer", || {
        browser.script("return document.querySelectorAll('#search-results li[data-id]').length;") == 1
    });
    assert_eq!(
        browser.script(
            "return document.querySelector('#search-results li[data-id] button').firstChild.textContent;"
        ),
        "<img src=x onerror=alert(1)> "
    );
    let made = browser.script(
        "return {img: document.querySelectorAll('img').length, script: document.querySelectorAll('body script').length,
                 b: document.querySelectorAll('b, i').length, links: [...document.querySelectorAll('#evidence a')].map(a => a.href)};",
    );
    assert_eq!(made, json!({"img": 0, "script": 0, "b": 0, "links": []}));
    // No alert is open: WebDriver answers "no such alert".
    let alert = ureq::get(&browser.url("/alert/text")).call();
    assert!(matches!(alert, Err(ureq::Error::Status(404, _))), "an alert is open: {alert:?}");
}

/// A view larger than the server's caps: the page says what was left out, draws what was
/// sent (laid out without the force layout, which would take minutes at this size), and offers
/// the narrowings, which change the view.
#[test]
fn a_capped_view_says_what_was_left_out_and_offers_to_narrow_it() {
    let dir = tempfile::tempdir().unwrap();
    // A chain of 1,601 actors: more than the 1,500 a view shows.
    let mut csv =
        String::from("id,source,target,kind,start,end,directed,evidence,claimant,credibility,summary\n");
    for i in 0..1600 {
        csv.push_str(&format!("R{i},A{i},A{},cooperation,2020,,,,,,\n", i + 1));
    }
    std::fs::write(dir.path().join("relations.csv"), csv).unwrap();
    let server = Server::start(dir.path());
    let driver = Driver::start();
    let browser = Browser::sized(&driver, 1200, 800);
    browser.go(&format!("{}#at=2020-06-01&view=table", server.url));
    settle(&browser, "at=2020-06-01&view=table");
    let left = browser.script(
        "const b = document.getElementById('leftout');
         return {hidden: b.hidden, text: b.textContent, offers: [...b.querySelectorAll('button')].map(x => x.textContent)};",
    );
    assert_eq!(left["hidden"], false, "{left}");
    let shown = rows(&browser, "nodes-table").len();
    let said = left["text"].as_str().unwrap();
    assert!(
        said.contains(&format!("{} actors", 1601 - shown)),
        "{shown} actors shown; the page says: {said}"
    );
    assert!(shown > 400, "a large view is drawn: {shown}");
    assert_eq!(browser.script("return Object.keys(window.georel.positions()).length;"), json!(shown));
    assert_eq!(left["offers"], json!(["focus an actor", "a kind", "by country"]));
    click(&browser, "#leftout li:nth-child(3) button");
    settle(&browser, "at=2020-06-01&by_country=1&view=table");

    // A diff of 1,600 changes comes capped: the first 500 listed, the rest counted with the
    // narrowings offered, and the actors named from the diff's own `names` (no call per actor).
    browser.script(
        "performance.clearResourceTimings(); location.hash = 'at=2020-06-01&diff=2019-12-01~2020-06-01&view=table'; return null;",
    );
    settle(&browser, "at=2020-06-01&diff=2019-12-01~2020-06-01&view=table");
    let listed = browser.script(
        "const l = document.getElementById('diff-list');
         return {changes: l.querySelectorAll('li[data-id]').length,
                 more: (l.querySelector('li.more') || {}).textContent || null,
                 actor_calls: performance.getEntriesByType('resource').filter(e => e.name.includes('/api/actor')).length};",
    );
    assert_eq!(listed["changes"], 500, "{listed}");
    let more = listed["more"].as_str().unwrap_or_default();
    assert!(more.starts_with("1100 more changes not listed — narrow by a shorter period"), "{listed}");
    assert_eq!(listed["actor_calls"], 0, "{listed}");
}

/// Moves the mouse onto `element` (`dx` pixels right of its centre), presses, moves `drag`
/// pixels right and releases: a click when `drag` is 0.
fn mouse_drag(browser: &Browser, element: &str, dx: i64, drag: i64) {
    let origin = json!({"element-6066-11e4-a52e-4f735466cecf": element});
    let actions = json!({"actions": [{"type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
    "actions": [
        {"type": "pointerMove", "origin": origin, "x": dx, "y": 0},
        {"type": "pointerDown", "button": 0},
        {"type": "pointerMove", "origin": origin, "x": dx + drag, "y": 0},
        {"type": "pointerUp", "button": 0},
    ]}]});
    post(&browser.url("/actions"), actions);
}

/// The time bar: a click on the histogram scrubs to a day, a drag selects a period, the
/// slider moves a day with the keyboard, and play steps forward until paused.
#[test]
fn the_time_bar_scrubs_selects_a_period_and_plays() {
    let server = Server::start(shipped_data());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    // The last six months of the data (2025-07-26 to 2026-01-26) across the bar.
    browser.go(&format!("{}#at=2025-11-12&view=table&span=6m", server.url));
    settle(&browser, "at=2025-11-12&view=table&span=6m");
    let bar = browser.element("#histogram");
    let width = browser.script("return document.getElementById('histogram').getBoundingClientRect().width;");
    let width = width.as_f64().unwrap() as i64;

    // A click a quarter of the way along: a day in early September 2025.
    mouse_drag(&browser, &bar, -width / 4, 0);
    wait_for("a click to scrub", || fragment(&browser) != "at=2025-11-12&view=table&span=6m");
    let at = fragment(&browser);
    let day = at.strip_prefix("at=").unwrap().split('&').next().unwrap().to_string();
    assert!(("2025-09-01".."2025-09-30").contains(&day.as_str()), "{at}");
    settle(&browser, &at);
    assert_eq!(browser.script("return document.getElementById('at').value;"), json!(day));

    // A drag from the middle to three quarters: a period from late October to mid-December.
    mouse_drag(&browser, &bar, 0, width / 4);
    wait_for("a drag to select a period", || fragment(&browser).starts_with("from="));
    let period = fragment(&browser);
    settle(&browser, &period);
    assert!(period.starts_with("from=2025-10-") && period.contains("&to=2025-12-"), "{period}");
    assert!(text(&browser, "#status").contains(" to "), "the status names the period");

    // The slider, with the keyboard: one day back from 2025-11-12.
    browser.go(&format!("{}#at=2025-11-12&view=table&span=6m", server.url));
    settle(&browser, "at=2025-11-12&view=table&span=6m");
    let slider = browser.element("#scrub");
    browser.type_into(&slider, "\u{E012}");
    settle(&browser, "at=2025-11-11&view=table&span=6m");

    // Play steps forward by the bar's bins (months here) until paused.
    click(&browser, "#play");
    wait_for("a step", || fragment(&browser).starts_with("at=2025-12-01"));
    wait_for("another step", || fragment(&browser).starts_with("at=2026-01-01"));
    click(&browser, "#play");
    assert_eq!(
        browser.script("return document.getElementById('play').getAttribute('aria-pressed');"),
        "false"
    );
}

/// The day's fractures stand out: listed under the contests (the server's /api/fractures, the
/// CLI's document), drawn with their own edge style, each opening its evidence.
#[test]
fn the_days_fractures_are_listed_drawn_and_open_their_evidence() {
    let server = Server::start(shipped_data());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&format!("{}#at=2025-11-12", server.url));
    settle(&browser, "at=2025-11-12");
    let listed = browser.script(
        "return [...document.querySelectorAll('#fractures li[data-id]')].map(l => [l.dataset.id, l.textContent]);",
    );
    let listed: Vec<(String, String)> = serde_json::from_value(listed).unwrap();
    let pause = listed
        .iter()
        .find(|(id, _)| id == "GBR-USA-CARIBBEAN-PAUSE")
        .unwrap_or_else(|| panic!("the UK's pause is a fracture on 2025-11-12: {listed:?}"));
    assert!(
        pause.1.contains("United Kingdom") && pause.1.contains("United States") && pause.1.contains("NATO"),
        "{pause:?}"
    );
    let drawn: Vec<String> =
        serde_json::from_value(browser.script("return window.georel.fractured();")).unwrap();
    let ids: Vec<&String> = listed.iter().map(|(id, _)| id).collect();
    let mut drawn_sorted = drawn.clone();
    drawn_sorted.sort();
    let mut ids_sorted: Vec<String> = ids.iter().map(|s| s.to_string()).collect();
    ids_sorted.sort();
    assert_eq!(drawn_sorted, ids_sorted, "every fracture listed is drawn as one, and only they");
    click(&browser, "#fractures li[data-id='GBR-USA-CARIBBEAN-PAUSE'] button");
    settle(&browser, "at=2025-11-12&sel=GBR~USA");
    assert!(
        browser.script(
            "return document.querySelector('#evidence .card[data-id=\"GBR-USA-CARIBBEAN-PAUSE\"]') !== null;"
        ) == json!(true),
        "the evidence of the pair: {}",
        text(&browser, "#evidence")
    );
    // Another day, other fractures: none before the pause on 2025-11-01.
    pick_date(&browser, "at", "2025-11-01");
    settle(&browser, "at=2025-11-01&sel=GBR~USA");
    let again: Vec<String> =
        serde_json::from_value(browser.script(
            "return [...document.querySelectorAll('#fractures li[data-id]')].map(l => l.dataset.id);",
        ))
        .unwrap();
    assert!(!again.contains(&"GBR-USA-CARIBBEAN-PAUSE".to_string()), "{again:?}");
}

/// The dataset's files change while the page is open: the page says the server is reading them
/// again, retries, and reloads itself with the new data (never the old).
#[test]
fn the_page_follows_a_dataset_changed_while_it_is_open() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["relations.csv", "actors.csv", "sources.csv"] {
        std::fs::copy(shipped_data().join(name), dir.path().join(name)).unwrap();
    }
    let server = Server::start(dir.path());
    let driver = Driver::start();
    let browser = Browser::open(&driver);
    browser.go(&format!("{}#at=2026-01-15&sel=COL~USA", server.url));
    settle(&browser, "at=2026-01-15&sel=COL~USA");
    let cards = "return [...document.querySelectorAll('#evidence .card')].map(c => c.dataset.id);";
    let before: Vec<String> = serde_json::from_value(browser.script(cards)).unwrap();
    assert!(!before.contains(&"NEW-WHILE-OPEN".to_string()));
    let file = dir.path().join("relations.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = header
        .iter()
        .map(|c| match *c {
            "id" => "NEW-WHILE-OPEN",
            "source" => "COL",
            "target" => "USA",
            "kind" => "dispute",
            "start" => "2026-01-10",
            _ => "",
        })
        .collect();
    std::fs::write(&file, format!("{}{}\n", text, row.join(","))).unwrap();
    // Marks this page: a reload forgets the mark.
    browser.script("window.beforeTheChange = true; return null;");
    pick_date(&browser, "at", "2026-01-16");
    wait_for("the page to reload with the new data", || {
        browser.script("return window.beforeTheChange === undefined && document.body.dataset.shown === 'at=2026-01-16&sel=COL~USA';")
            == json!(true)
    });
    let after: Vec<String> = serde_json::from_value(browser.script(cards)).unwrap();
    assert!(after.contains(&"NEW-WHILE-OPEN".to_string()), "{after:?}");
}
