//! The report endpoint on the real binary: the per-address rate limit, the bounded staff reads and
//! the bounded cost of a stored report.

mod common;

use std::time::Duration;

use common::Server;

fn post(server: &Server, body: &str) -> common::Response {
    server.request("POST", "/api/v1/reports", &[("Content-Type", "application/json")], body.as_bytes())
}

/// `--report-rate 60 --report-burst 3`: three posts at once, then one a second. Every POST counts,
/// also a refused one.
#[test]
fn reports_are_rate_limited_per_address_with_retry_after() {
    let server = Server::start("rate", &["--report-rate", "60", "--report-burst", "3"]);
    for _ in 0..3 {
        assert_eq!(post(&server, "{}").status, 422);
    }
    let limited = post(&server, "{}");
    assert_eq!(limited.status, 429);
    assert_eq!(limited.header("retry-after"), Some("1"));
    assert_eq!(limited.header("cache-control"), Some("no-store"));
    let e = limited.json();
    assert_eq!(e["error"], "rate_limited");
    assert_eq!(e["message"]["zh"], "提交太频繁了，请稍后再试；您的申请已留在手机上。");
    assert!(!e["message"]["en"].as_str().unwrap().is_empty());
    // The site and the preflight are not counted.
    assert_eq!(server.get("/", &[]).status, 200);
    std::thread::sleep(Duration::from_millis(1100));
    assert_eq!(post(&server, "{}").status, 422, "a token came back");
    assert_eq!(post(&server, "{}").status, 429);
}

#[test]
fn the_rate_limit_can_be_turned_off_for_a_proxy_that_limits_itself() {
    let server = Server::start("rate-off", &["--report-rate", "0"]);
    for _ in 0..40 {
        assert_eq!(post(&server, "{}").status, 422);
    }
    assert!(server.stderr().contains("no per-address limit"), "{}", server.stderr());
}

#[test]
fn the_default_limit_is_a_burst_of_ten() {
    let server = Server::start("rate-default", &[]);
    let statuses: Vec<u16> = (0..12).map(|_| post(&server, "{}").status).collect();
    assert_eq!(statuses.iter().filter(|s| **s == 422).count(), 10, "{statuses:?}");
    assert_eq!(statuses[10..], [429, 429]);
}
