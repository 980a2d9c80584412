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
