//! `georel serve`: the real binary on `--port 0`, spoken to over plain HTTP/1.1 (a
//! `TcpStream`, no client crate). The API's shapes and answers (against the CLI's own
//! output for the same question), its errors, and its security: the token and cookie, the
//! Host check, GET only, the headers, path traversal, and names that look like HTML.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};

use serde_json::Value;

use crate::harness::{shipped_data_dir, Workdir};

/// A running `georel serve`, killed when dropped.
struct Server {
    child: Child,
    port: u16,
    token: String,
    wd: Workdir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response: status, headers (names lower case), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:.500}", String::from_utf8_lossy(&self.body)))
    }
}

/// Copies the shipped dataset's CSV files into `wd`'s `data/` (the server reads, but a test
/// never points a binary at the source tree's folder, where an index could be written).
fn shipped() -> Workdir {
    let wd = Workdir::new();
    std::fs::create_dir_all(wd.path().join("data")).unwrap();
    for name in ["relations.csv", "actors.csv", "sources.csv"] {
        std::fs::copy(shipped_data_dir().join(name), wd.path().join("data").join(name)).unwrap();
    }
    wd
}

impl Server {
    /// Starts `georel serve --port 0` in `wd` and reads its URL from stderr.
    fn start(wd: Workdir) -> Server {
        Server::start_with(wd, &[])
    }

    /// As [`Server::start`], with these environment variables set (test seams).
    fn start_with(wd: Workdir, env: &[(&str, &str)]) -> Server {
        let mut child = wd
            .command(&["serve", "--port", "0"])
            .envs(env.iter().copied())
            .stderr(Stdio::piped())
            .stdout(Stdio::null())
            .spawn()
            .expect("start georel serve");
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let line = lines.next().expect("serve prints its URL").unwrap();
        // The rest of stderr is drained so that the server never blocks on it.
        std::thread::spawn(move || lines.for_each(drop));
        let url =
            line.split_whitespace().find(|w| w.starts_with("http://")).unwrap_or_else(|| panic!("{line}"));
        assert!(url.starts_with("http://127.0.0.1:"), "loopback by default: {line}");
        let rest = url.trim_start_matches("http://127.0.0.1:");
        let (port, token) = rest.split_once("/?token=").unwrap_or_else(|| panic!("{line}"));
        assert_eq!(token.len(), 32, "16 random bytes as hex: {token}");
        Server { child, port: port.parse().unwrap(), token: token.to_string(), wd }
    }

    /// Sends a raw request (`head` holds the request line and the headers, without the
    /// blank line).
    fn raw(&self, head: &str) -> Reply {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        write!(stream, "{head}\r\nConnection: close\r\n\r\n").unwrap();
        let mut bytes = Vec::new();
        stream.read_to_end(&mut bytes).unwrap();
        let split = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("a header block");
        let head = String::from_utf8(bytes[..split].to_vec()).unwrap();
        let mut lines = head.split("\r\n");
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply { status, headers, body: bytes[split + 4..].to_vec() }
    }

    fn host(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// GET with the session cookie.
    fn get(&self, path: &str) -> Reply {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nCookie: georel-{}={}",
            self.host(),
            self.port,
            self.token
        ))
    }

    /// GET an API call that must succeed, as JSON.
    fn api(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(reply.status, 200, "{path}: {:.500}", String::from_utf8_lossy(&reply.body));
        reply.json()
    }

    /// The CLI's JSON answer to the same question, on the same data.
    fn cli_json(&self, args: &[&str]) -> Value {
        let mut all = args.to_vec();
        all.extend(["--format", "json", "--out", "-"]);
        let out = self.wd.run(&all);
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: {e}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().expect("an object").keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

#[test]
fn each_endpoint_answers_in_its_documented_shape() {
    let s = Server::start(shipped());
    let meta = s.api("/api/meta");
    assert_eq!(
        keys(&meta),
        [
            "actors",
            "caps",
            "credibility",
            "data",
            "default_at",
            "first",
            "kinds",
            "last",
            "relations",
            "reliability",
            "sources",
            "version"
        ]
    );
    assert_eq!(meta["kinds"], serde_json::json!(["cooperation", "restriction", "dispute", "membership"]));
    let hist = s.api("/api/histogram");
    assert_eq!(keys(&hist), ["bins", "hidden", "unit"]);
    let bins = hist["bins"].as_array().unwrap();
    assert!(bins.len() >= 100, "{}", bins.len());
    assert_eq!(keys(&bins[0]), ["cooperation", "dispute", "from", "membership", "restriction", "to"]);
    let view = s.api("/api/view?at=2025-11-12");
    assert_eq!(
        keys(&view),
        ["at", "contested", "edges", "from", "hidden_by_filters", "left_out", "nodes", "to"]
    );
    assert_eq!(view["left_out"], Value::Null, "the shipped dataset shows whole");
    assert_eq!(keys(&view["nodes"][0]), ["degree", "id", "kind", "name", "parent"]);
    assert_eq!(
        keys(&view["edges"][0]),
        ["contested", "directed", "end", "grade", "id", "key", "kind", "source", "start", "status", "target"]
    );
    let actor = s.api("/api/actor?id=CIA&at=2025-11-12");
    assert_eq!(keys(&actor), ["actor", "aliases", "contains", "relations_on", "within"]);
    assert_eq!(actor["within"], serde_json::json!(["USA"]));
    let search = s.api("/api/search?q=bogota");
    assert_eq!(search["matches"][0]["id"], "COL", "an alias, accents folded: {search}");
    assert_eq!(keys(&search["matches"][0]), ["id", "kind", "name", "parent", "why"]);
    // The CLI's documents, as the CLI writes them.
    assert_eq!(
        s.api("/api/neighbours?actor=CIA&depth=2&at=2025-11-12"),
        s.cli_json(&["neighbours", "CIA", "--depth", "2", "--at", "2025-11-12"])
    );
    assert_eq!(
        s.api("/api/diff?from=2025-11-01&to=2025-12-15&limit=0"),
        s.cli_json(&["diff", "--from", "2025-11-01", "--to", "2025-12-15"])
    );
    // A month names its days as on the command line: from the first of `from` to the last of
    // `to` (the server read `to=2025-12` as 2025-12-01).
    assert_eq!(
        s.api("/api/diff?from=2025-11&to=2025-12&limit=0"),
        s.cli_json(&["diff", "--from", "2025-11", "--to", "2025-12"])
    );
    assert_eq!(
        s.api(
            "/api/diff?from=2025-10-01&to=2026-01-20&min_credibility=2&kinds=cooperation,restriction&limit=0"
        ),
        s.cli_json(&[
            "diff",
            "--from",
            "2025-10-01",
            "--to",
            "2026-01-20",
            "--min-credibility",
            "2",
            "--kinds",
            "cooperation,restriction"
        ])
    );
    assert_eq!(
        s.api("/api/neighbours?actor=COL&depth=2&at=2025-11&min_reliability=B"),
        s.cli_json(&["neighbours", "COL", "--depth", "2", "--at", "2025-11", "--min-reliability", "B"])
    );
    assert_eq!(
        s.api("/api/contests?at=2025-11-12&limit=0"),
        s.cli_json(&["conflicts", "--at", "2025-11-12"])
    );
    // Filters mean what the CLI's flags mean.
    for (query, flags) in [
        ("at=2025-12&strict=1", &["--at", "2025-12", "--strict"][..]),
        ("at=2025-12-15&by_country=1", &["--at", "2025-12-15", "--by-country"][..]),
        ("from=2025-11-01&to=2026-01-15", &["--from", "2025-11-01", "--to", "2026-01-15"][..]),
    ] {
        let mut args = vec!["conflicts"];
        args.extend(flags);
        assert_eq!(s.api(&format!("/api/contests?{query}&limit=0")), s.cli_json(&args), "{query}");
    }
    assert_eq!(
        s.api("/api/contests?at=2025-12-15&min_reliability=B&limit=0"),
        s.cli_json(&["conflicts", "--at", "2025-12-15", "--min-reliability", "B"])
    );
}

#[test]
fn colombia_and_the_united_states_are_contested_on_2025_11_12_with_the_evidence() {
    let s = Server::start(shipped());
    let view = s.api("/api/view?at=2025-11-12");
    let pair = view["contested"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["a"] == "COL" && p["b"] == "USA")
        .unwrap_or_else(|| panic!("COL–USA contested: {}", view["contested"]));
    assert!(pair["relations"].as_array().unwrap().iter().any(|k| k == "COL-USA-SUSPENSION"), "{pair}");
    let suspension =
        view["edges"].as_array().unwrap().iter().find(|e| e["id"] == "COL-USA-SUSPENSION").unwrap();
    assert_eq!(
        (&suspension["contested"], &suspension["status"]),
        (&Value::Bool(true), &Value::from("active"))
    );
    // The day before the order, not contested.
    let before = s.api("/api/view?at=2025-11-10");
    assert!(!before["contested"].as_array().unwrap().iter().any(|p| p["a"] == "COL" && p["b"] == "USA"));

    let evidence = s.api("/api/pair?a=COL&b=USA&at=2025-11-12");
    assert_eq!(evidence["state"], "contested");
    let relations = evidence["relations"].as_array().unwrap();
    let r = relations.iter().find(|r| r["id"] == "COL-USA-SUSPENSION").expect("the suspension");
    assert_eq!(r["claimant"]["id"], "PETRO", "{r}");
    assert_eq!(r["claimant"]["name"], "Gustavo Petro");
    assert!(r["sources"].as_array().unwrap().iter().any(|s| s["publisher"] == "LA Report"
        && s["title"].as_str().unwrap().contains("Colombia Suspends Intelligence Cooperation")));
    assert!(r["contests"].as_array().unwrap().iter().any(|k| k == "COL-USA-PLAN-COLOMBIA"), "{r}");
    assert_eq!(r["status"], "active");
    assert!(r["why"].as_str().unwrap().contains("2025-11-11"), "{}", r["why"]);
    // Per the covering rule, the agencies' cooperation the order covers is evidence too, on
    // a day when both hold.
    let agencies = s.api("/api/pair?a=DNI&b=CIA&at=2025-12-15");
    let rel = agencies["relations"].as_array().unwrap();
    assert!(rel.iter().any(|r| r["id"] == "COL-USA-SUSPENSION"), "the covering restriction: {agencies}");
}

#[test]
fn a_path_is_the_one_the_cli_finds() {
    let s = Server::start(shipped());
    let mut api = s.api("/api/path?from=DDIS&to=CIA&at=2026-01-26");
    let evidence = api.as_object_mut().unwrap().remove("evidence").expect("each hop's evidence");
    assert_eq!(api, s.cli_json(&["path", "DDIS", "CIA", "--at", "2026-01-26"]));
    assert_eq!(evidence.as_array().unwrap().len(), 1, "one path");
    let hop1 = &evidence[0][0];
    assert_eq!(hop1[0]["id"], "DDIS-NSA-SIGINT");
    assert!(!hop1[0]["sources"].as_array().unwrap().is_empty());
}

#[test]
fn bad_dates_and_unknown_or_ambiguous_actors_are_precise_errors() {
    let s = Server::start(shipped());
    let bad = s.get("/api/view?at=2025-13-01");
    assert_eq!(bad.status, 400);
    let body = bad.json();
    assert_eq!((&body["param"], &body["value"]), (&Value::from("at"), &Value::from("2025-13-01")));
    assert!(body["allowed"].as_str().unwrap().contains("YYYY-MM-DD"), "{body}");
    let bad = s.get("/api/view?at=2025-11-12&min_reliability=Z").json();
    assert_eq!(
        (&bad["param"], &bad["allowed"]),
        (&Value::from("min_reliability"), &Value::from("A, B, C, D, E or F"))
    );
    let bad = s.get("/api/histogram?kinds=cooperation,friendship");
    assert_eq!(bad.status, 400);
    let unknown = s.get("/api/pair?a=Colmbia&b=USA");
    assert_eq!(unknown.status, 404);
    let body = unknown.json();
    assert_eq!((&body["param"], &body["value"]), (&Value::from("a"), &Value::from("Colmbia")));
    assert_eq!(body["candidates"][0]["id"], "COL", "the closest name: {body}");
    assert_eq!(s.get("/api/nothing").status, 404);

    // "Security Service" is MI5's name and an alias of CSIS.
    let q = Server::start(Workdir::with_queries());
    let ambiguous = q.get("/api/actor?id=Security%20Service");
    assert_eq!(ambiguous.status, 409);
    let body = ambiguous.json();
    let ids: Vec<&str> =
        body["candidates"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["CSIS", "MI5"], "{body}");
    assert_eq!(keys(&body["candidates"][0]), ["id", "kind", "name"]);
}

#[test]
fn only_the_token_holder_on_this_host_may_get() {
    let s = Server::start(shipped());
    let host = s.host();
    // No token, a wrong one: 403.
    assert_eq!(s.raw(&format!("GET /api/meta HTTP/1.1\r\nHost: {host}")).status, 403);
    assert_eq!(s.raw(&format!("GET / HTTP/1.1\r\nHost: {host}")).status, 403);
    let wrong = "0".repeat(32);
    let port = s.port;
    assert_eq!(
        s.raw(&format!("GET /api/meta HTTP/1.1\r\nHost: {host}\r\nCookie: georel-{port}={wrong}")).status,
        403
    );
    // The right token under the cookie name of another port's server (cookies are kept per
    // host, not per port): not this server's cookie.
    let other_port = format!("GET /api/meta HTTP/1.1\r\nHost: {host}\r\nCookie: georel={}", s.token);
    assert_eq!(s.raw(&other_port).status, 403);
    assert_eq!(s.raw(&format!("GET /?token={wrong} HTTP/1.1\r\nHost: {host}")).status, 403);
    // The token is exchanged for a strict, HttpOnly cookie.
    let login = s.raw(&format!("GET /?token={} HTTP/1.1\r\nHost: {host}", s.token));
    assert_eq!(login.status, 303);
    assert_eq!(login.header("location"), Some("/"));
    assert_eq!(
        login.header("set-cookie").unwrap(),
        format!("georel-{}={}; HttpOnly; SameSite=Strict; Path=/", s.port, s.token)
    );
    // DNS rebinding: another name for this address is refused, even with the cookie.
    for other in ["evil.example:80".to_string(), format!("evil.example:{}", s.port), "127.0.0.1".to_string()]
    {
        let reply = s.raw(&format!(
            "GET /api/meta HTTP/1.1\r\nHost: {other}\r\nCookie: georel-{}={}",
            s.port, s.token
        ));
        assert_eq!(reply.status, 403, "Host {other}");
    }
    let localhost = s.raw(&format!(
        "GET /api/meta HTTP/1.1\r\nHost: localhost:{}\r\nCookie: georel-{}={}",
        s.port, s.port, s.token
    ));
    assert_eq!(localhost.status, 200);
    // GET and HEAD only.
    for method in ["POST", "PUT", "DELETE", "OPTIONS"] {
        let reply = s.raw(&format!(
            "{method} /api/meta HTTP/1.1\r\nHost: {host}\r\nCookie: georel-{}={}\r\nContent-Length: 0",
            s.port, s.token
        ));
        assert_eq!(reply.status, 405, "{method}");
    }
    let head =
        s.raw(&format!("HEAD /api/meta HTTP/1.1\r\nHost: {host}\r\nCookie: georel-{}={}", s.port, s.token));
    assert_eq!(head.status, 200);
    // Every answer carries the policy, and none a CORS header.
    for path in ["/", "/api/meta", "/assets/app.js", "/api/view?at=nonsense"] {
        let reply = s.get(path);
        assert!(reply.header("content-security-policy").unwrap().contains("default-src 'self'"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert!(reply.headers.iter().all(|(n, _)| !n.starts_with("access-control-")), "{path}");
    }
    assert_eq!(s.get("/api/meta").header("cache-control"), Some("no-store"));
    let page = s.get("/");
    assert_eq!(page.status, 200);
    assert!(page.header("content-type").unwrap().starts_with("text/html"));
}

#[test]
fn asset_paths_cannot_leave_the_embedded_table() {
    let s = Server::start(shipped());
    assert_eq!(s.get("/assets/app.js").status, 200);
    for path in [
        "/assets/../Cargo.toml",
        "/assets/%2e%2e/Cargo.toml",
        "/assets/%2E%2E%2FCargo.toml",
        "/assets/..%2fCargo.toml",
        "/assets/..%5cCargo.toml",
        "/assets/..\\Cargo.toml",
        "/assets//etc/passwd",
        "/assets/%2fetc%2fpasswd",
        "/assets/vendor/../app.js",
        "/assets/./app.js",
        "/../Cargo.toml",
        "/Cargo.toml",
        "/assets/",
    ] {
        let reply = s.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert!(!String::from_utf8_lossy(&reply.body).contains("[package]"), "{path}");
    }
}

#[test]
fn names_that_look_like_html_come_back_as_the_same_text() {
    let wd = Workdir::new();
    let evil = "<img src=x onerror=alert(1)>";
    wd.write(
        "data/actors.csv",
        format!("id,name,kind,parent,aliases\nX,\"{evil}\",country,,\nY,Plain,country,,\n"),
    );
    wd.write(
        "data/sources.csv",
        format!("id,title,publisher,published,url,reliability\nS,\"<script>alert(2)</script>\",\"{evil}\",2025,,B\n"),
    );
    wd.write(
        "data/relations.csv",
        format!("id,source,target,kind,start,end,directed,evidence,summary\nR,X,Y,cooperation,2025-01-01,,,S,\"{evil} & <b>\"\n"),
    );
    let s = Server::start(wd);
    let view = s.api("/api/view?at=2025-06-01");
    let x = view["nodes"].as_array().unwrap().iter().find(|n| n["id"] == "X").unwrap();
    assert_eq!(x["name"], evil);
    let pair = s.api("/api/pair?a=X&b=Y&at=2025-06-01");
    assert_eq!(pair["a"]["name"], evil);
    assert_eq!(pair["relations"][0]["summary"], format!("{evil} & <b>"));
    assert_eq!(pair["relations"][0]["sources"][0]["title"], "<script>alert(2)</script>");
    assert_eq!(
        s.api(&format!("/api/search?q={}", "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E"))["matches"][0]["name"],
        evil
    );
    // And the JSON is served as JSON, never sniffed as HTML.
    let reply = s.get("/api/view?at=2025-06-01");
    assert_eq!(reply.header("content-type"), Some("application/json; charset=utf-8"));
}

/// `georel serve --host 0.0.0.0 --port 0` in `wd`, and the lines of its stderr.
fn serve_on_every_address(
    wd: &Workdir,
) -> (std::process::Child, std::io::Lines<BufReader<std::process::ChildStderr>>) {
    let mut child = wd
        .command(&["serve", "--port", "0", "--host", "0.0.0.0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stderr.take().unwrap()).lines();
    (child, lines)
}

#[test]
fn another_host_is_warned_about_and_grade_flags_are_refused() {
    let wd = shipped();
    let (_, err) = wd.run_code(&["serve", "--min-reliability", "B"], 2);
    assert!(err.contains("do not apply to serve: choose them in the page"), "{err}");
    let (mut child, mut lines) = serve_on_every_address(&wd);
    let warning = lines.next().unwrap().unwrap();
    let url = lines.next().unwrap().unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(warning.starts_with("georel: warning: --host 0.0.0.0 lets other machines reach"), "{warning}");
    assert!(url.contains("at http://0.0.0.0:"), "{url}");
}

#[test]
fn export_gives_the_file_the_cli_writes_for_the_view() {
    let s = Server::start(shipped());
    for (format, query) in [
        ("edges-csv", "at=2025-11-12"),
        ("nodes-csv", "at=2025-11-12&kinds=cooperation,restriction"),
        ("json", "at=2025-11&min_reliability=B"),
        ("dot", "at=2025-12-15&by_country=1"),
    ] {
        let reply = s.get(&format!("/api/export?format={format}&{query}"));
        assert_eq!(reply.status, 200, "{format}: {}", String::from_utf8_lossy(&reply.body));
        let mut args = vec!["snapshot", "--format", format, "--out", "-"];
        for pair in query.split('&') {
            let (name, value) = pair.split_once('=').unwrap();
            match name {
                "at" => args.extend(["--at", value]),
                "kinds" => args.extend(["--kinds", value]),
                "min_reliability" => args.extend(["--min-reliability", value]),
                "by_country" => args.push("--by-country"),
                _ => unreachable!(),
            }
        }
        let cli = s.wd.run(&args);
        assert_eq!(
            String::from_utf8_lossy(&reply.body),
            String::from_utf8_lossy(&cli.stdout),
            "{format} {query}"
        );
        let disposition = reply.header("content-disposition").unwrap();
        assert!(disposition.starts_with("attachment; filename=\"snapshot-"), "{disposition}");
    }
    assert_eq!(s.get("/api/export?format=xlsx").status, 400);
}

/// Sends `head` (request line and headers, without the blank line) and returns the first
/// bytes of the answer, or `None` when none came within `wait` (not a timing assertion: a
/// bound so that a server that never answers fails the test instead of hanging it).
fn answer_within(port: u16, head: &str, wait: std::time::Duration) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(wait)).unwrap();
    write!(stream, "{head}\r\nConnection: close\r\n\r\n").ok()?;
    let mut bytes = vec![0; 64];
    let n = stream.read(&mut bytes).ok()?;
    (n > 0).then(|| String::from_utf8_lossy(&bytes[..n]).into_owned())
}

#[test]
fn a_request_announcing_a_huge_body_does_not_stop_the_server() {
    // tiny_http 0.12 drained an unread body into one buffer of the announced size: the
    // allocation failed and aborted the process, on a request without token or cookie.
    let s = Server::start(shipped());
    let host = s.host();
    let reply = answer_within(
        s.port,
        &format!("GET /api/meta HTTP/1.1\r\nHost: {host}\r\nContent-Length: 99999999999999"),
        std::time::Duration::from_secs(60),
    );
    assert!(reply.is_some_and(|r| r.starts_with("HTTP/1.1 403")));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(s.get("/api/meta").status, 200, "the server still answers");
}

#[test]
fn clients_that_stall_do_not_hold_every_worker() {
    let s = Server::start(shipped());
    let (host, port, token) = (s.host(), s.port, s.token.clone());
    let cookie = format!("Cookie: georel-{port}={token}");
    let mut stalled = Vec::new();
    // Requests whose announced body never comes, more than there are workers (4).
    for _ in 0..5 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(c, "GET /api/meta HTTP/1.1\r\nHost: {host}\r\n{cookie}\r\nContent-Length: 100000\r\n\r\n")
            .unwrap();
        stalled.push(c);
    }
    // Clients that ask for a large file again and again and never read.
    let asset = "/assets/vendor/cytoscape-3.35.0.min.js";
    for _ in 0..2 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let one = format!("GET {asset} HTTP/1.1\r\nHost: {host}\r\n{cookie}\r\n\r\n");
        // Small enough to fit the socket buffers: the writes must not block the test.
        let _ = c.set_write_timeout(Some(std::time::Duration::from_secs(5)));
        // A few only: each one may hold a worker for the server's stall limit, and the
        // request below waits behind them all.
        let _ = c.write_all(one.repeat(6).as_bytes());
        stalled.push(c);
    }
    // Asked again, as a browser would, when a connection is closed unanswered: once, under the
    // whole suite's load in CI, the first one was (cause not found; see issue 16's note). What
    // must hold is that the server answers within the bound, however the stalled clients go.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let mut reply = None;
    while reply.is_none() && std::time::Instant::now() < deadline {
        reply = answer_within(
            port,
            &format!("GET /api/meta HTTP/1.1\r\nHost: {host}\r\n{cookie}"),
            deadline.saturating_duration_since(std::time::Instant::now()),
        );
    }
    assert!(reply.as_deref().is_some_and(|r| r.starts_with("HTTP/1.1 200")), "{reply:?}");
    drop(stalled);
}

/// A kept-alive connection whose request waited in the queue longer than the server's stall
/// limit (every worker busy) got its answer, but the server had meanwhile given up reading
/// the connection's next request (the limit counted from when the first was read), so the
/// next request on it was closed unanswered. The limit is shortened through a test seam; the
/// workers are held by clients that trickle a request body, each byte well within it.
#[test]
fn a_connection_whose_request_waited_in_the_queue_is_still_read() {
    let s = Server::start_with(shipped(), &[("GEOREL_TEST_STALL_MS", "600")]);
    let (host, port, token) = (s.host(), s.port, s.token.clone());
    let cookie = format!("Cookie: georel-{port}={token}");
    let body = 100_000;
    // Four holders, one per worker: each is answered, then holds its worker while the server
    // reads the rest of a body that comes a byte at a time.
    let mut holders = Vec::new();
    for _ in 0..4 {
        let mut c = TcpStream::connect(("127.0.0.1", port)).unwrap();
        write!(c, "GET /api/meta HTTP/1.1\r\nHost: {host}\r\n{cookie}\r\nContent-Length: {body}\r\n\r\n")
            .unwrap();
        let mut head = [0u8; 12];
        c.read_exact(&mut head).unwrap();
        assert_eq!(&head, b"HTTP/1.1 200");
        holders.push(c);
    }
    let trickle = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(true));
    let trickler = {
        let (trickle, mut holders) =
            (trickle.clone(), holders.iter().map(|c| c.try_clone().unwrap()).collect::<Vec<_>>());
        std::thread::spawn(move || {
            let mut sent = 0;
            while trickle.load(std::sync::atomic::Ordering::SeqCst) && sent < body - 1 {
                for c in &mut holders {
                    let _ = c.write_all(b"x");
                }
                sent += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
        })
    };
    // A kept-alive connection: its first request waits in the queue for longer than the limit.
    let mut kept = TcpStream::connect(("127.0.0.1", port)).unwrap();
    kept.set_read_timeout(Some(std::time::Duration::from_secs(120))).unwrap();
    let request = format!("GET /api/meta HTTP/1.1\r\nHost: {host}\r\n{cookie}\r\n\r\n");
    kept.write_all(request.as_bytes()).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(2000));
    // The holders go (the server stops reading their bodies at once).
    trickle.store(false, std::sync::atomic::Ordering::SeqCst);
    trickler.join().unwrap();
    drop(holders);
    let answer = |c: &mut TcpStream| -> String {
        let mut bytes = Vec::new();
        let mut buf = [0u8; 4096];
        // The answer's head, then as many bytes of its body as it announces.
        loop {
            let n = c.read(&mut buf).unwrap_or(0);
            if n == 0 {
                return String::from_utf8_lossy(&bytes).into_owned();
            }
            bytes.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Some(split) = text.find("\r\n\r\n") {
                let length: usize = text[..split]
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap();
                if bytes.len() >= split + 4 + length {
                    return text;
                }
            }
        }
    };
    let first = answer(&mut kept);
    assert!(first.starts_with("HTTP/1.1 200"), "the request that waited: {first:.200}");
    // The connection's next request is read and answered, not closed.
    kept.write_all(request.as_bytes()).unwrap();
    let second = answer(&mut kept);
    assert!(second.starts_with("HTTP/1.1 200"), "the next request on the connection: {second:?}");
}

#[test]
fn a_second_host_header_is_refused() {
    // The check read the first Host header only: a second one, which a proxy or a cache may
    // read instead, went unchecked.
    let s = Server::start(shipped());
    let (host, port, token) = (s.host(), s.port, s.token.clone());
    for hosts in
        [format!("Host: {host}\r\nHost: evil.example"), format!("Host: evil.example\r\nHost: {host}")]
    {
        let reply = s.raw(&format!("GET /api/meta HTTP/1.1\r\n{hosts}\r\nCookie: georel-{port}={token}"));
        assert_eq!(reply.status, 403, "{hosts}");
    }
}

#[test]
fn a_port_in_use_is_named_with_a_way_out() {
    let s = Server::start(shipped());
    let port = s.port.to_string();
    let (_, err) = s.wd.run_code(&["serve", "--port", &port], 2);
    assert!(err.contains(&format!("cannot listen on 127.0.0.1:{port}")), "{err}");
    assert!(err.contains("--port 0"), "{err}");
}

#[test]
fn on_every_address_the_host_may_be_any_of_the_machines_names() {
    // With --host 0.0.0.0 the Host check allowed only 0.0.0.0 and loopback names: another
    // machine, which reaches this one by its address or name, always got 403.
    let wd = shipped();
    let (mut child, mut lines) = serve_on_every_address(&wd);
    let _warning = lines.next().unwrap().unwrap();
    let line = lines.next().unwrap().unwrap();
    std::thread::spawn(move || lines.for_each(drop));
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let (port, token) = url.trim_start_matches("http://0.0.0.0:").split_once("/?token=").unwrap();
    let port: u16 = port.parse().unwrap();
    let ask = |host: &str, cookie: bool| {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let cookie = if cookie { format!("\r\nCookie: georel-{port}={token}") } else { String::new() };
        write!(stream, "GET /api/meta HTTP/1.1\r\nHost: {host}{cookie}\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut reply = String::new();
        stream.read_to_string(&mut reply).unwrap();
        reply
    };
    let lan = ask(&format!("192.0.2.7:{port}"), true);
    let named = ask(&format!("analysis-box.example:{port}"), true);
    let without = ask(&format!("192.0.2.7:{port}"), false);
    let _ = child.kill();
    let _ = child.wait();
    assert!(lan.starts_with("HTTP/1.1 200"), "{lan}");
    assert!(named.starts_with("HTTP/1.1 200"), "{named}");
    // The token is still asked.
    assert!(without.starts_with("HTTP/1.1 403"), "{without}");
}

/// A chain of `n` relations between `n + 1` actors (`A0000` - `A0001` - ...), every tenth one
/// ended in 2021, the others open since 2020.
fn chain(n: usize) -> Workdir {
    let wd = Workdir::new();
    let mut rows = String::from("source,target,kind,start,end\n");
    for i in 0..n {
        let end = if i % 10 == 0 { "2021-06-01" } else { "" };
        rows.push_str(&format!("A{i:04},A{:04},cooperation,2020-01-01,{end}\n", i + 1));
    }
    std::fs::create_dir_all(wd.path().join("data")).unwrap();
    wd.write("data/relations.csv", rows);
    wd
}

#[test]
fn a_capped_view_counts_the_actors_and_relations_it_leaves_out() {
    let s = Server::start(chain(1600));
    let meta = s.api("/api/meta");
    let cap = meta["caps"]["nodes"].as_u64().unwrap() as usize;
    assert!(cap < 1601, "the fixture is over the cap of {cap} actors");
    let view = s.api("/api/view?at=2025-01-01");
    let nodes = view["nodes"].as_array().unwrap();
    let sent = view["edges"].as_array().unwrap().iter().filter(|e| !e["status"].is_null()).count();
    assert_eq!(nodes.len(), cap);
    let left = &view["left_out"];
    assert_eq!(left["nodes"], 1601 - cap, "{left}");
    // 1,600 relations, 160 of them ended in 2021: every relation holding that day is either
    // drawn or counted as left out.
    assert_eq!(left["edges"].as_u64().unwrap() as usize, 1440 - sent, "{left}");
    assert!(sent < 1440);
    // Before the ends, all 1,600 hold.
    let view = s.api("/api/view?at=2021-01-01");
    let sent = view["edges"].as_array().unwrap().iter().filter(|e| !e["status"].is_null()).count();
    assert_eq!(view["left_out"]["edges"].as_u64().unwrap() as usize, 1600 - sent);
    // Only the ended relations held in 2020-2021 that are not drawn: none of the others.
    let view = s.api("/api/view?at=2019-01-01");
    assert_eq!(view["left_out"]["edges"], 0, "nothing holds in 2019");
}

#[test]
fn a_focused_view_draws_the_neighbourhood_the_cli_lists() {
    let s = Server::start(shipped());
    for (actor, depth, when) in [
        ("CIA", 1, "at=2025-12-15"),
        ("CIA", 2, "at=2025-12-15"),
        ("CIA", 1, "at=2025-11-12"),
        ("COL", 2, "at=2025-11"),
        ("DNI", 2, "at=2026-01-26&relations_only=1"),
    ] {
        let list = s.api(&format!("/api/neighbours?actor={actor}&depth={depth}&{when}"));
        let view = s.api(&format!("/api/view?focus={actor}&depth={depth}&{when}"));
        let ids = |v: &Value, field: &str| -> std::collections::BTreeSet<String> {
            v[field].as_array().unwrap().iter().map(|x| x["id"].as_str().unwrap().to_string()).collect()
        };
        let drawn: std::collections::BTreeSet<String> = view["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| !e["status"].is_null())
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            drawn,
            ids(&list, "relations"),
            "{actor} {depth} {when}: the relations drawn are those listed"
        );
        let nodes = ids(&view, "nodes");
        let listed = ids(&list, "actors");
        assert!(listed.is_subset(&nodes), "{actor} {depth} {when}: {listed:?} not all among {nodes:?}");
        // The view's export is the same neighbourhood.
        let export = s.get(&format!("/api/export?format=json&focus={actor}&depth={depth}&{when}"));
        assert_eq!(export.status, 200);
        let export = export.json();
        assert_eq!(ids(&export, "actors"), listed, "{actor} {depth} {when}: the export's actors");
    }
}

#[test]
fn fractures_are_the_cli_document() {
    let s = Server::start(shipped());
    for (query, flags) in [
        ("at=2025-11-12", &["--at", "2025-11-12"][..]),
        ("at=2025-12-15&strict=1", &["--at", "2025-12-15", "--strict"][..]),
        ("at=2025-12-15&min_reliability=B", &["--at", "2025-12-15", "--min-reliability", "B"][..]),
        ("at=2025-11", &["--at", "2025-11"][..]),
        ("from=2025-06-01&to=2026-01-15", &["--from", "2025-06-01", "--to", "2026-01-15"][..]),
    ] {
        let mut args = vec!["fractures"];
        args.extend(flags);
        let doc = s.api(&format!("/api/fractures?{query}&limit=0"));
        assert_eq!(doc, s.cli_json(&args), "{query}");
        assert!(
            !doc["fractures"].as_array().unwrap().is_empty(),
            "{query}: the shipped data has fractures then"
        );
    }
    assert_eq!(s.get("/api/fractures?at=2025-13-01").status, 400);
    // `group`, as `--group`: by id or by name, on a day and over a period.
    for (query, flags) in [
        ("at=2025-11-20&group=five-eyes", &["--at", "2025-11-20", "--group", "five-eyes"][..]),
        ("at=2025-11&group=NATO", &["--at", "2025-11", "--group", "NATO"][..]),
        (
            "from=2025-06-01&to=2026-01-15&group=nato",
            &["--from", "2025-06-01", "--to", "2026-01-15", "--group", "nato"][..],
        ),
    ] {
        let mut args = vec!["fractures"];
        args.extend(flags);
        let doc = s.api(&format!("/api/fractures?{query}&limit=0"));
        assert_eq!(doc, s.cli_json(&args), "{query}");
        assert!(
            !doc["fractures"].as_array().unwrap().is_empty(),
            "{query}: the shipped data has fractures then"
        );
        assert!(doc["group"].is_string(), "{query}: {}", doc["group"]);
    }
    // Days and periods on which no membership holds, or none of the grades kept: the counts
    // by kind answer them, with the document the CLI writes.
    for (query, flags) in [
        ("at=1900-01-01", &["--at", "1900-01-01"][..]),
        (
            "from=1900-01-01&to=1901-12-31&group=NATO",
            &["--from", "1900-01-01", "--to", "1901-12-31", "--group", "NATO"][..],
        ),
        (
            "at=2025-11-20&min_reliability=A&min_credibility=1",
            &["--at", "2025-11-20", "--min-reliability", "A", "--min-credibility", "1"][..],
        ),
    ] {
        let mut args = vec!["fractures"];
        args.extend(flags);
        assert_eq!(s.api(&format!("/api/fractures?{query}&limit=0")), s.cli_json(&args), "{query}");
    }
    let unknown = s.get("/api/fractures?at=2025-11-20&group=Atlantis");
    assert_eq!(unknown.status, 404);
    let country = s.get("/api/fractures?at=2025-11-20&group=DNK");
    assert_eq!(country.status, 400);
    let error = country.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("is a country, not an alliance, agreement or organisation"), "{error}");
}

/// Asks `path` until it answers something else than "reading the dataset again" (503), and
/// gives that answer.
fn after_reading(s: &Server, path: &str) -> Reply {
    for _ in 0..1200 {
        let reply = s.get(path);
        if reply.status != 503 || reply.json()["error"] != "the dataset changed; reading it again" {
            return reply;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("{path}: still reading the dataset after a minute");
}

#[test]
fn a_dataset_changed_while_serving_is_read_again_never_served_stale() {
    let s = Server::start(shipped());
    let before = s.api("/api/meta")["relations"].as_u64().unwrap();
    let file = s.wd.path().join("data/relations.csv");
    let text = std::fs::read_to_string(&file).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    // A new relation, written in the file's own columns.
    let row: Vec<&str> = header
        .iter()
        .map(|c| match *c {
            "id" => "NEW-WHILE-SERVING",
            "source" => "COL",
            "target" => "USA",
            "kind" => "dispute",
            "start" => "2026-01-10",
            _ => "",
        })
        .collect();
    let mut grown = text.clone();
    if !grown.ends_with('\n') {
        grown.push('\n');
    }
    grown.push_str(&row.join(","));
    grown.push('\n');
    std::fs::write(&file, &grown).unwrap();
    // The first call after the change cannot be answered from what was read: a 503 that says
    // why, and the page retries.
    let first = s.get("/api/meta");
    assert_eq!(first.status, 503, "{}", String::from_utf8_lossy(&first.body));
    assert_eq!(first.json()["error"], "the dataset changed; reading it again");
    assert!(first.header("retry-after").is_some());
    let meta = after_reading(&s, "/api/meta");
    assert_eq!(meta.status, 200);
    assert_eq!(meta.json()["relations"].as_u64().unwrap(), before + 1);
    let pair = after_reading(&s, "/api/pair?a=COL&b=USA&at=2026-01-15");
    assert!(
        pair.json()["relations"].as_array().unwrap().iter().any(|r| r["id"] == "NEW-WHILE-SERVING"),
        "the new relation is in the evidence"
    );
    // A change that does not load: every call says so (never the old data), until it is fixed.
    std::fs::write(&file, format!("{grown}COL,USA,not-a-kind\n")).unwrap();
    let broken = after_reading(&s, "/api/meta");
    assert_eq!(broken.status, 503, "{}", String::from_utf8_lossy(&broken.body));
    let error = broken.json()["error"].as_str().unwrap().to_string();
    assert!(error.contains("cannot be read") && error.contains("relations.csv"), "{error}");
    assert_eq!(s.get("/api/view?at=2026-01-15").status, 503, "no view of stale data");
    std::fs::write(&file, &text).unwrap();
    let meta = after_reading(&s, "/api/meta");
    assert_eq!(meta.status, 200);
    assert_eq!(meta.json()["relations"].as_u64().unwrap(), before);
}

/// An edit that keeps relations.csv's size and modification time (restored as `touch -r`
/// does) is a change too: the server compared only (size, modification time, inode), and
/// went on serving the old data; it compares the change time as well now, as the index's
/// stamp does.
#[test]
fn an_edit_keeping_the_size_and_modification_time_is_read_again() {
    let s = Server::start(shipped());
    assert_eq!(s.get("/api/meta").status, 200);
    let file = s.wd.path().join("data/relations.csv");
    let before = std::fs::metadata(&file).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains(" the "));
    std::fs::write(&file, text.replacen(" the ", " THE ", 1)).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(before.modified().unwrap())
        .unwrap();
    let after = std::fs::metadata(&file).unwrap();
    assert_eq!((after.len(), after.modified().unwrap()), (before.len(), before.modified().unwrap()));
    let first = s.get("/api/meta");
    assert_eq!(first.status, 503, "{}", String::from_utf8_lossy(&first.body));
    assert_eq!(first.json()["error"], "the dataset changed; reading it again");
    assert_eq!(after_reading(&s, "/api/meta").status, 200);
}

#[test]
fn side_lists_are_capped_by_limit_and_say_what_was_left_out() {
    let s = Server::start(shipped());
    // The whole document (limit=0) is the CLI's; a cap keeps its first entries in the CLI's
    // order and says how many there were and how many were left out.
    let whole = s.api("/api/diff?from=2025-10-01&to=2026-01-20&limit=0");
    let changes = whole["changes"].as_array().unwrap();
    assert!(changes.len() > 2, "the shipped data changes then: {whole}");
    assert!(whole.get("total").is_none() && whole.get("left_out").is_none());
    let capped = s.api("/api/diff?from=2025-10-01&to=2026-01-20&limit=2");
    assert_eq!(capped["changes"], serde_json::json!(changes[..2]));
    assert_eq!(capped["limit"], 2);
    assert_eq!(capped["total"]["changes"], changes.len());
    assert_eq!(capped["left_out"]["changes"], changes.len() - 2);
    let pairs = whole["contested"].as_array().unwrap();
    assert_eq!(capped["contested"], serde_json::json!(pairs[..pairs.len().min(2)]));
    assert_eq!(capped["left_out"]["contested"], pairs.len() - pairs.len().min(2));
    // The actors the listed entries name, by name: the page asks for none of them.
    for c in capped["changes"].as_array().unwrap() {
        for end in ["source", "target"] {
            let id = c[end].as_str().unwrap();
            assert!(capped["names"][id].is_string(), "{id} named: {capped}");
        }
    }
    assert_eq!(capped["names"]["COL"], "Colombia", "{capped}");
    // By default a few hundred: the shipped data fits whole, and says that nothing was left out.
    let default = s.api("/api/diff?from=2025-10-01&to=2026-01-20");
    assert_eq!(default["changes"], whole["changes"]);
    assert_eq!(default["left_out"]["changes"], 0);
    assert_eq!(default["limit"], 500);

    let whole = s.api("/api/contests?at=2025-11-12&limit=0");
    let all = whole["pairs"].as_array().unwrap();
    assert!(!all.is_empty(), "Colombia and the United States are contested then");
    let capped = s.api("/api/contests?at=2025-11-12&limit=1");
    assert_eq!(capped["pairs"], serde_json::json!(all[..1]));
    assert_eq!(capped["total"], all.len());
    assert_eq!(capped["left_out"], all.len() - 1);

    let whole = s.api("/api/fractures?at=2025-11-12&limit=0");
    let all = whole["fractures"].as_array().unwrap();
    assert!(all.len() > 1, "the shipped data has fractures then: {whole}");
    let capped = s.api("/api/fractures?at=2025-11-12&limit=1");
    assert_eq!(capped["fractures"], serde_json::json!(all[..1]));
    assert_eq!(capped["total"], all.len());
    assert_eq!(capped["left_out"], all.len() - 1);
    let group = capped["fractures"][0]["group"].as_str().unwrap();
    assert!(capped["names"][group].is_string(), "{capped}");

    let bad = s.get("/api/diff?from=2025-10-01&to=2026-01-20&limit=-1");
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["param"], "limit");
}
