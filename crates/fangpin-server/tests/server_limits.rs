//! The real binary under hostile clients: panics, silent and slow connections, the connection cap,
//! shutdown. Each test starts its own server (`common::Server`) and kills it at the end.

mod common;

use std::time::Duration;

use common::{Options, Server};

#[test]
fn a_panic_is_a_500_and_the_connection_and_the_server_live_on() {
    let mut server = Server::start_with("panic", Options { args: &[], env: &[("FANGPIN_TEST_ROUTES", "1")], dir: None });
    let mut c = server.connect();
    c.send_request("GET", "/__test/panic", &[], b"", false);
    let res = c.read_response(false).expect("an answer, not a dropped connection");
    assert_eq!(res.status, 500);
    let e = res.json();
    assert_eq!(e["error"], "internal");
    assert!(e["message"]["zh"].as_str().unwrap().contains("没有保存"), "{e}");
    assert_eq!(res.header("cache-control"), Some("no-store"));
    // Same connection, next request.
    c.send_request("GET", "/", &[], b"", false);
    assert_eq!(c.read_response(false).unwrap().status, 200);
    assert!(server.alive());
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.stderr().contains("a request panicked"), "logged: {}", server.stderr());
}

#[test]
fn the_test_routes_exist_only_when_asked() {
    let server = Server::start("no-test-routes", &[]);
    assert_eq!(server.get("/__test/panic", &[]).status, 404);
}
