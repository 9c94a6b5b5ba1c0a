//! `georel serve`: a local HTTP server for the explorer page. Synchronous (tiny_http), a few
//! worker threads sharing one read-only [`Explorer`]. Security of a local server: it binds
//! loopback unless told otherwise, asks a random token (given in the printed URL, then kept in
//! an HttpOnly SameSite=Strict cookie), refuses other Host headers (DNS rebinding), answers
//! GET and HEAD only, sends no CORS headers and a Content-Security-Policy that allows only its
//! own files, and serves only the files of a table built into the binary.

pub mod assets;
pub mod explorer;
pub mod live;
pub mod params;

use std::io::Read as _;
use std::net::IpAddr;
use std::sync::Arc;

use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response, Server};

pub use explorer::Explorer;
pub use live::Live;
use params::Params;

/// The policy every response carries: the page's own files only; `blob:` workers for the
/// layout.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/// The port tried first when none is given.
pub const DEFAULT_PORT: u16 = 8765;
const WORKERS: usize = 4;

/// An API error: its status and its JSON body.
#[derive(Debug)]
pub struct ApiError {
    pub status: u16,
    pub body: Value,
}

impl ApiError {
    /// 400: a parameter's value is not allowed.
    pub fn bad(param: &str, value: &str, allowed: &str) -> ApiError {
        let error = if value.is_empty() {
            format!("{param} is missing: give {allowed}")
        } else {
            format!("{param}={value:?} is not allowed: give {allowed}")
        };
        ApiError {
            status: 400,
            body: json!({"error": error, "param": param, "value": value, "allowed": allowed}),
        }
    }

    /// 404 (unknown) or 409 (ambiguous) actor.
    pub fn actor(status: u16, param: &str, value: &str, error: &str, candidates: Vec<Value>) -> ApiError {
        ApiError {
            status,
            body: json!({"error": error, "param": param, "value": value, "candidates": candidates}),
        }
    }

    fn plain(status: u16, error: &str) -> ApiError {
        ApiError { status, body: json!({"error": error}) }
    }

    pub fn internal(e: impl std::fmt::Display) -> ApiError {
        ApiError::plain(500, &format!("internal error: {e}"))
    }
}

/// Where and how to serve.
pub struct Config {
    /// The address to bind (127.0.0.1 unless `--host`).
    pub host: String,
    /// `None`: [`DEFAULT_PORT`] if free, else any; `Some(0)`: any.
    pub port: Option<u16>,
}

/// A server bound and ready: its URL (with the token) and the handle to run it.
pub struct Bound {
    server: Arc<Server>,
    pub url: String,
    pub port: u16,
    token: String,
    allowed_hosts: Vec<String>,
    /// Listening on every address (`--host 0.0.0.0` or `::`): other machines reach it by
    /// names and addresses it cannot list, so any Host is taken. The token still guards it
    /// (a DNS-rebinding page has no cookie for its own name).
    any_host: bool,
}

/// Whether `host` names this machine only.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// 16 random bytes as hex, from the operating system's generator.
fn token() -> std::io::Result<String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// How long a connection may keep a worker waiting: for the rest of a request it announced
/// (a body that never comes), or for room to write its answer (a client that does not read).
/// Without it, four such clients held every worker for as long as they stayed connected.
/// Also how long an idle kept-alive connection stays open.
pub const STALL: std::time::Duration = std::time::Duration::from_secs(10);

/// [`STALL`], or in a debug build the milliseconds of `GEOREL_TEST_STALL_MS` (a test seam: a
/// test of what happens after a stall need not wait ten seconds for one).
fn stall() -> std::time::Duration {
    #[cfg(debug_assertions)]
    if let Some(ms) = std::env::var("GEOREL_TEST_STALL_MS").ok().and_then(|v| v.parse().ok()) {
        return std::time::Duration::from_millis(ms);
    }
    STALL
}

/// Sets options on the listening socket, which the connections it accepts inherit (Linux
/// copies them on accept):
/// - TCP_NODELAY: tiny_http writes a response's head and its body apart, and with Nagle's
///   algorithm the body waited for the client's delayed acknowledgement of the head, 40 ms on
///   every call of a kept-alive connection (measured: /api/view on the shipped data, 48 ms
///   against 6 ms).
/// - SO_RCVTIMEO and SO_SNDTIMEO of [`STALL`]: tiny_http has no timeouts of its own, and a
///   worker answering a request whose announced body never came, or writing to a client that
///   does not read, waited for ever.
/// - TCP_USER_TIMEOUT of [`STALL`]: a client that reads nothing while it keeps sending
///   pipelined requests would otherwise hold a worker for [`STALL`] per request; the kernel
///   drops the connection instead once its window stayed shut that long.
#[cfg(target_os = "linux")]
fn tune(listener: &std::net::TcpListener) {
    use std::os::fd::AsRawFd as _;
    fn set<T>(fd: libc::c_int, level: libc::c_int, name: libc::c_int, value: &T) {
        // SAFETY: a valid socket descriptor, and a pointer to a value of the size given.
        let _ = unsafe {
            libc::setsockopt(
                fd,
                level,
                name,
                std::ptr::from_ref(value).cast(),
                std::mem::size_of::<T>() as libc::socklen_t,
            )
        };
    }
    let fd = listener.as_raw_fd();
    let on: libc::c_int = 1;
    set(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, &on);
    let stall = stall();
    let timeout = libc::timeval {
        tv_sec: stall.as_secs() as libc::time_t,
        tv_usec: libc::suseconds_t::from(stall.subsec_micros() as i32),
    };
    set(fd, libc::SOL_SOCKET, libc::SO_RCVTIMEO, &timeout);
    set(fd, libc::SOL_SOCKET, libc::SO_SNDTIMEO, &timeout);
    let millis = stall.as_millis() as libc::c_uint;
    set(fd, libc::IPPROTO_TCP, libc::TCP_USER_TIMEOUT, &millis);
}

#[cfg(not(target_os = "linux"))]
fn tune(_: &std::net::TcpListener) {}

/// Binds the server.
///
/// # Errors
/// When the address cannot be bound, or no random token can be drawn.
pub fn bind(config: &Config) -> anyhow::Result<Bound> {
    let host = config.host.as_str();
    let bind_host = host.trim_matches(['[', ']']);
    let try_bind = |port: u16| -> Result<Server, Box<dyn std::error::Error + Send + Sync>> {
        let listener = std::net::TcpListener::bind((bind_host, port))?;
        tune(&listener);
        Server::from_listener(listener, None)
    };
    let server = match config.port {
        Some(port) => try_bind(port),
        None => try_bind(DEFAULT_PORT).or_else(|_| try_bind(0)),
    }
    .map_err(|e| {
        let port = config.port.map_or_else(|| format!("{DEFAULT_PORT} or any port"), |p| p.to_string());
        anyhow::anyhow!(
            "cannot listen on {host}:{port}: {e}; choose another --port, or --port 0 for any free one (a port below 1024 needs privileges)"
        )
    })?;
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(0);
    let token = token().map_err(|e| anyhow::anyhow!("cannot draw a random token from /dev/urandom: {e}"))?;
    let shown =
        if host.contains(':') && !host.starts_with('[') { format!("[{host}]") } else { host.to_string() };
    let mut allowed_hosts: Vec<String> =
        ["127.0.0.1", "localhost", "[::1]"].iter().map(|h| format!("{h}:{port}")).collect();
    allowed_hosts.push(format!("{shown}:{port}"));
    Ok(Bound {
        server: Arc::new(server),
        url: format!("http://{shown}:{port}/?token={token}"),
        port,
        token,
        allowed_hosts,
        any_host: bind_host.parse::<IpAddr>().is_ok_and(|ip| ip.is_unspecified()),
    })
}

impl Bound {
    /// Answers requests until the process ends.
    pub fn run(self, live: Live) {
        let explorer = Arc::new(live);
        let cookie = format!("georel-{}", self.port);
        let shared = Arc::new(Gate {
            token: self.token,
            cookie,
            allowed_hosts: self.allowed_hosts,
            any_host: self.any_host,
        });
        if let Some(early) = explorer.as_read() {
            std::thread::spawn(move || early.warm());
        }
        let workers: Vec<_> = (0..WORKERS)
            .map(|_| {
                let (server, explorer, gate) =
                    (Arc::clone(&self.server), Arc::clone(&explorer), Arc::clone(&shared));
                std::thread::spawn(move || {
                    while let Ok(request) = server.recv() {
                        let response = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            gate.answer(&request, &explorer)
                        }))
                        .unwrap_or_else(|_| error_response(&ApiError::plain(500, "internal error")));
                        // A client that went away is no concern of the others.
                        let _ = request.respond(response);
                    }
                })
            })
            .collect();
        for w in workers {
            let _ = w.join();
        }
    }
}

/// What every request is checked against.
struct Gate {
    token: String,
    /// `georel-PORT`: cookies are kept per host, not per port, so two servers on one machine
    /// with one cookie name would each overwrite the other's token.
    cookie: String,
    allowed_hosts: Vec<String>,
    /// Listening on every address (`--host 0.0.0.0` or `::`): other machines reach it by
    /// names and addresses it cannot list, so any Host is taken. The token still guards it
    /// (a DNS-rebinding page has no cookie for its own name).
    any_host: bool,
}

type Answer = Response<std::io::Cursor<Vec<u8>>>;

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("headers are ASCII")
}

/// The headers every response carries.
fn secured(response: Answer) -> Answer {
    // A Content-Length rather than chunks, whatever the size: simpler for every client.
    let mut response = response.with_chunked_threshold(usize::MAX);
    for (name, value) in [
        ("Content-Security-Policy", CSP),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Cache-Control", "no-store"),
    ] {
        response.add_header(header(name, value));
    }
    response
}

fn json_response(status: u16, body: &[u8]) -> Answer {
    secured(
        Response::from_data(body.to_vec())
            .with_status_code(status)
            .with_header(header("Content-Type", "application/json; charset=utf-8")),
    )
}

fn error_response(e: &ApiError) -> Answer {
    let response = json_response(e.status, e.body.to_string().as_bytes());
    if e.status == 503 {
        response.with_header(header("Retry-After", "1"))
    } else {
        response
    }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Gate {
    fn header<'r>(request: &'r Request, name: &'static str) -> Option<&'r str> {
        request.headers().iter().find(|h| h.field.equiv(name)).map(|h| h.value.as_str())
    }

    fn has_cookie(&self, request: &Request) -> bool {
        request
            .headers()
            .iter()
            .filter(|h| h.field.equiv("Cookie"))
            .flat_map(|h| h.value.as_str().split(';'))
            .filter_map(|c| c.trim().split_once('='))
            .any(|(name, value)| name == self.cookie && same(value, &self.token))
    }

    fn answer(&self, request: &Request, explorer: &Arc<Live>) -> Answer {
        match self.check(request, explorer) {
            Ok(response) => response,
            Err(e) => error_response(&e),
        }
    }

    fn check(&self, request: &Request, live: &Arc<Live>) -> Result<Answer, ApiError> {
        let host = Gate::header(request, "Host").unwrap_or("");
        // One Host header only: with two, a proxy or a cache might read the other one.
        let hosts = request.headers().iter().filter(|h| h.field.equiv("Host")).count();
        if hosts > 1 {
            return Err(ApiError::plain(403, "more than one Host header: give one"));
        }
        if !self.any_host && !self.allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Err(ApiError::plain(
                403,
                &format!("the Host header {host:?} is not this server's ({})", self.allowed_hosts.join(", ")),
            ));
        }
        if !matches!(request.method(), Method::Get | Method::Head) {
            return Err(ApiError {
                status: 405,
                body: json!({"error": format!("{} is not allowed: this server answers GET and HEAD only", request.method()), "allowed": "GET, HEAD"}),
            });
        }
        let url = request.url();
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        let params = Params::parse(query)?;
        let token_given = params.get("token");
        let by_token = token_given.is_some_and(|t| same(t, &self.token));
        if path == "/" && by_token {
            // Swap the token in the URL for a cookie, and drop it from the address bar.
            let cookie = format!("{}={}; HttpOnly; SameSite=Strict; Path=/", self.cookie, self.token);
            return Ok(secured(
                Response::from_data(Vec::new())
                    .with_status_code(303)
                    .with_header(header("Location", "/"))
                    .with_header(header("Set-Cookie", &cookie)),
            ));
        }
        if !(by_token || self.has_cookie(request)) {
            return Err(ApiError::plain(
                403,
                "no valid token: open the URL that georel serve printed (it ends with ?token=...)",
            ));
        }
        if path == "/" {
            return Ok(asset_response(assets::find("index.html").expect("the page is embedded")));
        }
        if let Some(name) = path.strip_prefix("/assets/") {
            return match assets::find(name) {
                Some(asset) => Ok(asset_response(asset)),
                None => Err(ApiError::plain(404, &format!("no file {name:?} among the page's files"))),
            };
        }
        let Some(endpoint) = path.strip_prefix("/api/") else {
            return Err(ApiError::plain(404, &format!("nothing at {path:?}")));
        };
        // Never from data older than the files: a 503 while they are read again.
        let explorer = &*live.current()?;
        let json_value = |v: Value| Ok(json_response(200, v.to_string().as_bytes()));
        let json_bytes = |b: Vec<u8>| Ok(json_response(200, &b));
        match endpoint {
            "meta" => json_value(explorer.meta()),
            "histogram" => json_value(explorer.histogram(&params)?),
            "view" => json_bytes(explorer.view(&params)?),
            "pair" => json_value(explorer.pair(&params)?),
            "actor" => json_value(explorer.actor(&params)?),
            "search" => json_value(explorer.search(&params)?),
            "neighbours" => json_bytes(explorer.neighbours(&params)?),
            "path" => json_value(explorer.path(&params)?),
            "diff" => json_bytes(explorer.diff(&params)?),
            "contests" => json_bytes(explorer.contests_doc(&params)?),
            "fractures" => json_bytes(explorer.fractures_doc(&params)?),
            "export" => {
                let (name, content_type, bytes) = explorer.export(&params)?;
                Ok(secured(
                    Response::from_data(bytes)
                        .with_header(header("Content-Type", content_type))
                        .with_header(header("Content-Disposition", &format!("attachment; filename=\"{name}\""))),
                ))
            }
            other => Err(ApiError::plain(
                404,
                &format!("no endpoint /api/{other}: meta, histogram, view, pair, actor, search, neighbours, path, diff, contests, fractures, export"),
            )),
        }
    }
}

fn asset_response(asset: &assets::Asset) -> Answer {
    secured(Response::from_data(asset.bytes.to_vec()).with_header(header("Content-Type", asset.content_type)))
}
