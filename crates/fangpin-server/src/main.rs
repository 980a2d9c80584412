//! `fangpin-server`: serves the built site on 127.0.0.1 (port from `--port` or `PORT`, default 8080)
//! and receives one-click reports into SQLite (`--db PATH`, or `FANGPIN_DB`, default
//! `target/fangpin-reports.sqlite3`; staff endpoints only when `FANGPIN_STAFF_TOKEN` is set).
//! `--port 0` picks a free port; the first line printed always names the real URL, which the tests read.
//! Connection limits and timeouts (`--max-connections`, `--*-timeout-secs`) and the report rate limit
//! (`--report-rate`, `--report-burst`): `docs/report-api.md`, "Limits". Reports are checked against the
//! policy file published into the site (`fangpin publish-policy`), read again when a new one is published.

// With abort, one panicking request would end the process for everyone (ARCHITECTURE: no input panics
// or is lost); the workspace's `wasm` profile aborts, so it must never be used for this binary.
#[cfg(panic = "abort")]
compile_error!("fangpin-server must be built with panic = \"unwind\": a panic must become a 500, not end the process");

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use fangpin_server::reports::{self, ApiState};

const USAGE: &str = "usage: fangpin-server [--site DIR] [--addr IP] [--port N] [--db PATH] [--embed-origin ORIGIN]...\n\
     \x20      [--max-connections N] [--header-timeout-secs N] [--body-timeout-secs N] [--write-timeout-secs N]\n\
     \x20      [--report-rate PER_MINUTE (0: off)] [--report-burst N]\n\
     environment: FANGPIN_STAFF_TOKEN (staff access, at least 32 characters), FANGPIN_DB (as --db)";

fn usage() -> ! {
    fangpin_server::log_line!("{USAGE}");
    std::process::exit(2)
}

/// A whole number of at least 1 (a zero limit or timeout would refuse everything or nothing).
fn positive(v: String) -> u64 {
    v.parse().ok().filter(|n| *n >= 1).unwrap_or_else(|| usage())
}

/// A number from 1 to `max`: a larger one would overflow a timer or a semaphore (a panic at the
/// start, or on every connection), and no real setting comes near.
fn at_most(v: String, max: u64) -> u64 {
    let n = positive(v);
    if n > max {
        fangpin_server::log_line!("fangpin-server: {n} is more than {max}, the most this setting takes");
        usage();
    }
    n
}

/// A day: the longest any timeout may be.
const MAX_TIMEOUT_SECS: u64 = 24 * 60 * 60;

/// Ctrl-C, or SIGTERM (what `kill`, systemd and container runtimes send).
async fn shutdown_signal() {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}

/// `GET /__test/panic` panics, so a test of the real binary can show that a panic becomes a 500 and the
/// connection lives on (tests/server_limits.rs). Only in debug builds (`cfg(debug_assertions)`: the
/// binary `cargo test` builds) and only with `FANGPIN_TEST_ROUTES=1`: a release build has no such route,
/// and a debug one has it only when asked.
#[cfg(debug_assertions)]
fn with_test_routes(app: axum::Router) -> axum::Router {
    if std::env::var("FANGPIN_TEST_ROUTES").as_deref() != Ok("1") {
        return app;
    }
    fangpin_server::log_line!("fangpin-server: FANGPIN_TEST_ROUTES=1: test routes on (/__test/panic)");
    async fn panics() -> &'static str {
        panic!("the test route /__test/panic")
    }
    app.route("/__test/panic", axum::routing::get(panics))
}

#[cfg(not(debug_assertions))]
fn with_test_routes(app: axum::Router) -> axum::Router {
    app
}

#[tokio::main]
async fn main() {
    let mut site = PathBuf::from("target/site");
    let mut addr: std::net::IpAddr = [127, 0, 0, 1].into();
    let mut port: u16 = std::env::var("PORT").ok().and_then(|p| p.parse().ok()).unwrap_or(8080);
    let mut db: PathBuf = std::env::var_os(reports::DB_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(reports::DEFAULT_DB));
    let mut embed_origins: Vec<String> =
        std::env::var("FANGPIN_EMBED_ORIGINS").map(|v| v.split_whitespace().map(str::to_string).collect()).unwrap_or_default();
    let mut limits = fangpin_server::serve::Limits::default();
    let mut options = reports::ApiOptions::default();
    let mut report_rate = options.report_rate.unwrap_or(fangpin_server::limits::Rate { per_minute: 30, burst: 10 });
    // An argument that is not UTF-8 is a usage error, not a panic.
    let mut args = std::env::args_os().skip(1).map(|a| a.into_string().unwrap_or_else(|_| usage()));
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| usage());
        match arg.as_str() {
            "--site" => site = value().into(),
            "--addr" => addr = value().parse().unwrap_or_else(|_| usage()),
            "--port" => port = value().parse().unwrap_or_else(|_| usage()),
            "--db" => db = value().into(),
            "--embed-origin" => embed_origins.push(value()),
            "--max-connections" => limits.max_connections = at_most(value(), 1_000_000) as usize,
            "--header-timeout-secs" => limits.header_timeout = Duration::from_secs(at_most(value(), MAX_TIMEOUT_SECS)),
            "--write-timeout-secs" => limits.write_timeout = Duration::from_secs(at_most(value(), MAX_TIMEOUT_SECS)),
            "--body-timeout-secs" => options.body_timeout = Duration::from_secs(at_most(value(), MAX_TIMEOUT_SECS)),
            "--report-rate" => report_rate.per_minute = value().parse().unwrap_or_else(|_| usage()),
            "--report-burst" => report_rate.burst = at_most(value(), 100_000) as u32,
            "--help" | "-h" => {
                use std::io::Write as _;
                let _ = writeln!(std::io::stdout(), "{USAGE}"); // a closed stdout is no panic
                std::process::exit(0)
            }
            _ => usage(),
        }
    }
    options.report_rate = (report_rate.per_minute > 0).then_some(report_rate);
    if !site.join("index.html").is_file() {
        fangpin_server::log_line!("fangpin-server: {} has no index.html; build the site first (scripts/serve does)", site.display());
        std::process::exit(1);
    }
    let options_rate = options.report_rate;
    // Reports are checked against the profiles the site's pages use, as published now.
    options.policy = reports::PolicySource::Site(site.clone());
    let api = match ApiState::open_with(&db, std::env::var(reports::STAFF_TOKEN_ENV).ok(), options) {
        Ok(a) => a,
        Err(e) => {
            fangpin_server::log_line!("fangpin-server: {e}");
            std::process::exit(1);
        }
    };
    let listener = match tokio::net::TcpListener::bind(SocketAddr::new(addr, port)).await {
        Ok(l) => l,
        Err(e) => {
            fangpin_server::log_line!("fangpin-server: cannot listen on {addr}:{port}: {e}");
            std::process::exit(1);
        }
    };
    let local = listener.local_addr().expect("bound socket has an address");
    {
        // (Standard output closed: the server serves all the same.)
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), "fangpin-server: serving {} at http://{local}/", site.display());
    }
    fangpin_server::log_line!(
        "fangpin-server: reports to {} (staff endpoints {})",
        db.display(),
        if api.staff_enabled() { "on" } else { "off: set FANGPIN_STAFF_TOKEN" }
    );
    // The receiver the site's pages send to by default (`fangpin publish-policy --receiver`).
    use fangpin_site::publish::OWN_RECEIVER;
    match fangpin_site::publish::site_manifest(&site).ok().flatten().and_then(|m| m.receiver) {
        Some(r) if r == OWN_RECEIVER => {
            fangpin_server::log_line!("fangpin-server: the site's pages send one-click reports here ({OWN_RECEIVER})")
        }
        Some(r) => fangpin_server::log_line!(
            "fangpin-server: warning: the site's pages send one-click reports to {r}, but this server receives them at {OWN_RECEIVER} \
             (publish with --receiver {OWN_RECEIVER})"
        ),
        None => fangpin_server::log_line!("fangpin-server: the site's pages name no receiver (published with --receiver off)"),
    }
    match options_rate {
        Some(r) => fangpin_server::log_line!(
            "fangpin-server: reports limited to {} a minute per address (bursts of {}); --report-rate 0 turns this off",
            r.per_minute,
            r.burst
        ),
        None => fangpin_server::log_line!("fangpin-server: no per-address limit on reports (--report-rate 0)"),
    }
    let embedding = fangpin_server::Embedding::new(embed_origins).unwrap_or_else(|e| {
        fangpin_server::log_line!("fangpin-server: --embed-origin: {e}");
        std::process::exit(2)
    });
    let app = fangpin_server::catch_panics(with_test_routes(fangpin_server::routes(&site, api, embedding)));
    fangpin_server::serve::serve(listener, app, limits, shutdown_signal()).await;
}
