//! Staff access on the real binary: the token's strength, the penalty for wrong tokens, and no CORS on
//! staff endpoints.

mod common;

use common::{Options, Server, run_to_exit};

#[test]
fn a_short_staff_token_stops_the_server_with_advice() {
    let (status, stdout, stderr) = run_to_exit("short-token", &[], &[("FANGPIN_STAFF_TOKEN", "letmein-2024")]);
    assert!(!status.success(), "{status:?}");
    assert!(stdout.is_empty(), "never served: {stdout}");
    assert!(stderr.contains("FANGPIN_STAFF_TOKEN is too short (12 characters; at least 32)"), "{stderr}");
    assert!(stderr.contains("openssl rand -hex 32") && stderr.contains("head -c 32 /dev/urandom | base64"), "{stderr}");
    // 32 characters is enough.
    let server = Server::start_with("long-token", Options { args: &[], env: &[("FANGPIN_STAFF_TOKEN", &"k".repeat(32))], dir: None });
    assert_eq!(server.get("/api/v1/reports", &[("Authorization", &format!("Bearer {}", "k".repeat(32)))]).status, 200);
}

const TOKEN: &str = "staff-token-for-binary-tests-0123456789abcdef";

fn staff_get(server: &Server, path: &str, token: Option<&str>) -> common::Response {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
    server.get(path, &headers)
}

/// After a wrong token, every staff request from that address is refused (429, Retry-After) for 1 s,
/// then 2 s after the next wrong one, and so on; a right token after the wait works and starts afresh.
/// A missing token is not a guess and costs nothing.
#[test]
fn wrong_tokens_are_refused_for_longer_each_time_and_a_right_one_works_after() {
    let server = Server::start_with("penalty", Options { args: &[], env: &[("FANGPIN_STAFF_TOKEN", TOKEN)], dir: None });
    for _ in 0..3 {
        assert_eq!(staff_get(&server, "/api/v1/reports", None).status, 401);
    }
    assert_eq!(staff_get(&server, "/api/v1/reports", Some(TOKEN)).status, 200, "no penalty for a missing token");

    assert_eq!(staff_get(&server, "/api/v1/reports", Some("wrong-token-wrong-token-wrong-token")).status, 401);
    let refused = staff_get(&server, "/api/v1/reports", Some(TOKEN));
    assert_eq!(refused.status, 429, "even the right token waits");
    assert_eq!(refused.header("retry-after"), Some("1"));
    assert_eq!(refused.json()["error"], "too_many_attempts");
    assert_eq!(staff_get(&server, "/api/v1/reports.csv", Some(TOKEN)).status, 429, "both staff endpoints");

    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(staff_get(&server, "/api/v1/reports.csv", Some("another-wrong-token-0123456789abcdef")).status, 401);
    let refused = staff_get(&server, "/api/v1/reports", Some(TOKEN));
    assert_eq!((refused.status, refused.header("retry-after")), (429, Some("2")), "longer after the second");

    std::thread::sleep(std::time::Duration::from_millis(2100));
    assert_eq!(staff_get(&server, "/api/v1/reports", Some(TOKEN)).status, 200, "the right token after the wait");
    assert_eq!(staff_get(&server, "/api/v1/reports", Some("wrong-again-wrong-again-wrong-again")).status, 401);
    assert_eq!(staff_get(&server, "/api/v1/reports", Some(TOKEN)).header("retry-after"), Some("1"), "a success started afresh");
}

/// CORS is for posting reports from a host page: `POST` and its preflight. The staff list shares the
/// path and must not carry `Access-Control-Allow-Origin`.
#[test]
fn no_staff_endpoint_carries_cors_headers() {
    const HOST: &str = "https://www.ya.gov.cn";
    let server = Server::start_with("cors", Options { args: &["--embed-origin", HOST], env: &[("FANGPIN_STAFF_TOKEN", TOKEN)], dir: None });
    let auth = format!("Bearer {TOKEN}");
    for path in ["/api/v1/reports", "/api/v1/reports.csv", "/api/v1/reports?limit=1"] {
        let res = server.get(path, &[("Origin", HOST), ("Authorization", &auth)]);
        assert_eq!(res.status, 200, "{path}");
        assert_eq!(res.header("access-control-allow-origin"), None, "{path}");
    }
    let preflight =
        |method: &str| server.request("OPTIONS", "/api/v1/reports", &[("Origin", HOST), ("Access-Control-Request-Method", method)], b"");
    assert_eq!(preflight("GET").header("access-control-allow-origin"), None);
    let ok = preflight("POST");
    assert_eq!((ok.status, ok.header("access-control-allow-origin")), (204, Some(HOST)));
    let posted = server.request("POST", "/api/v1/reports", &[("Origin", HOST), ("Content-Type", "application/json")], b"{}");
    assert_eq!(
        (posted.status, posted.header("access-control-allow-origin")),
        (422, Some(HOST)),
        "a host page reads the answer to its POST"
    );
}
