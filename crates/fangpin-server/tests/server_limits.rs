//! The real binary under hostile clients: panics, silent and slow connections, the connection cap,
//! shutdown. Each test starts its own server (`common::Server`) and kills it at the end.

mod common;

use std::time::Duration;

use common::{Options, Server, run_to_exit};

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

#[test]
fn a_silent_connection_is_closed_after_the_header_timeout() {
    let server = Server::start("silent", &["--header-timeout-secs", "1"]);
    let mut c = server.connect();
    let t = c.closed_within(Duration::from_secs(5)).expect("closed by the server");
    assert!(t >= Duration::from_millis(800) && t < Duration::from_secs(3), "closed after {t:?}");
}

#[test]
fn a_partial_or_trickled_head_is_closed_after_the_header_timeout() {
    let server = Server::start("partial-head", &["--header-timeout-secs", "1"]);
    let mut half = server.connect();
    half.send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // A header byte every 200 ms: the deadline is for the whole head, not per byte.
    let mut trickle = server.connect();
    let mut writer = trickle.stream.try_clone().unwrap();
    std::thread::spawn(move || {
        use std::io::Write;
        let mut head = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".to_vec();
        head.extend(std::iter::repeat_n(b'a', 100));
        for b in head {
            if writer.write_all(&[b]).is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    });
    for c in [&mut half, &mut trickle] {
        let t = c.closed_within(Duration::from_secs(5)).expect("closed by the server");
        assert!(t < Duration::from_secs(3), "closed after {t:?}");
    }
}

#[test]
fn an_idle_kept_alive_connection_is_closed_after_the_header_timeout() {
    let server = Server::start("idle-keepalive", &["--header-timeout-secs", "1"]);
    let mut c = server.connect();
    c.send_request("GET", "/", &[], b"", false);
    assert_eq!(c.read_response(false).unwrap().status, 200);
    let t = c.closed_within(Duration::from_secs(5)).expect("closed by the server");
    assert!(t >= Duration::from_millis(800) && t < Duration::from_secs(3), "closed after {t:?}");
}

#[test]
fn a_stalled_body_gets_408_within_the_body_timeout() {
    let server = Server::start("stalled-body", &["--body-timeout-secs", "1"]);
    let mut c = server.connect();
    c.send(
        b"POST /api/v1/reports HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"format\":",
    );
    let start = std::time::Instant::now();
    let res = c.read_response(false).expect("an answer before the close");
    assert!(start.elapsed() < Duration::from_secs(3), "{:?}", start.elapsed());
    assert_eq!(res.status, 408);
    assert_eq!(res.json()["error"], "timeout");
    assert!(c.closed_within(Duration::from_secs(3)).is_some(), "and the connection is closed");
}

/// With 4 slots held by silent connections, a 5th client's request waits (it is not accepted, so not
/// answered) until the header timeout frees a slot; then it is answered normally.
#[test]
fn held_connection_slots_make_new_clients_wait_not_fail() {
    let server = Server::start("cap", &["--max-connections", "4", "--header-timeout-secs", "2"]);
    let closed_at = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut holders = Vec::new();
    for _ in 0..4 {
        let mut c = server.connect();
        let closed_at = closed_at.clone();
        holders.push(std::thread::spawn(move || {
            let t = c.closed_within(Duration::from_secs(10));
            closed_at.lock().unwrap().push(std::time::Instant::now());
            t
        }));
    }
    std::thread::sleep(Duration::from_millis(300));
    let mut fifth = server.connect();
    let sent = std::time::Instant::now();
    fifth.send_request("GET", "/", &[], b"", true);
    let res = fifth.read_response(false).expect("answered once a slot is free");
    let answered = std::time::Instant::now();
    assert_eq!(res.status, 200);
    for h in holders {
        assert!(h.join().unwrap().is_some(), "each silent connection was closed by the server");
    }
    let first_close = *closed_at.lock().unwrap().iter().min().unwrap();
    assert!(answered + Duration::from_millis(50) >= first_close, "served only after a silent connection was closed");
    assert!(answered - sent >= Duration::from_millis(1200), "waited while the slots were held: {:?}", answered - sent);
}

/// A client that asks for a large file and never reads it loses the connection once no byte could be
/// written for the write timeout, and its slot goes to the next client.
#[test]
fn a_client_that_stops_reading_is_closed_after_the_write_timeout() {
    let dir = common::temp_dir("slow-reader");
    common::write_site(&dir);
    let big = 64 * 1024 * 1024;
    std::fs::write(dir.join("assets").join("big-0123456789.bin"), vec![b'x'; big]).unwrap();
    let server = Server::start_with(
        "slow-reader",
        Options { args: &["--max-connections", "1", "--write-timeout-secs", "1"], env: &[], dir: Some(dir) },
    );
    let mut reader = server.connect();
    reader.send_request("GET", "/assets/big-0123456789.bin", &[], b"", true);
    std::thread::sleep(Duration::from_millis(200));
    let mut next = server.connect();
    next.send_request("GET", "/", &[], b"", true);
    let start = std::time::Instant::now();
    assert_eq!(next.read_response(false).expect("the next client is served").status, 200);
    assert!(start.elapsed() < Duration::from_secs(10), "{:?}", start.elapsed());
    // What the stalled client can still read ends short of the whole file.
    let got = reader.read_response(false);
    assert!(got.is_err(), "the stalled answer was cut off, not completed");
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_cleanly_with_connections_open() {
    let mut server = Server::start("sigterm", &[]);
    let mut idle = server.connect();
    idle.send_request("GET", "/", &[], b"", false);
    assert_eq!(idle.read_response(false).unwrap().status, 200);
    let _silent = server.connect();
    let status = std::process::Command::new("kill").arg("-TERM").arg(server.pid().to_string()).status().unwrap();
    assert!(status.success());
    let exit = server.wait_exit(Duration::from_secs(5)).expect("the server ends after SIGTERM");
    assert!(exit.success(), "a clean exit, not death by signal: {exit:?}");
}

#[test]
fn settings_too_large_for_a_timer_or_a_semaphore_are_refused_at_the_start_never_a_panic() {
    // They panicked: the semaphore at the start, the header timer on every connection.
    let huge = "18446744073709551615";
    for flag in ["--max-connections", "--header-timeout-secs", "--write-timeout-secs", "--body-timeout-secs", "--report-burst"] {
        let (status, _, stderr) = run_to_exit(&format!("huge{flag}"), &[flag, huge], &[]);
        assert_eq!(status.code(), Some(2), "{flag}: {stderr}");
        assert!(stderr.contains("the most this setting takes") && stderr.contains("usage:"), "{flag}: {stderr}");
        assert!(!stderr.contains("panicked"), "{flag}: {stderr}");
    }
    // One past the most, too (4294967296 bursts became one).
    let (status, _, stderr) = run_to_exit("burst-u32", &["--report-burst", "4294967296"], &[]);
    assert_eq!(status.code(), Some(2), "{stderr}");
    // An argument that is not UTF-8.
    use std::os::unix::ffi::OsStrExt;
    let dir = common::temp_dir("not-utf8-arg");
    common::write_site(&dir);
    let out = common::command(&dir, &dir.join("r.sqlite3"), &[], &[]).arg(std::ffi::OsStr::from_bytes(b"--\xff")).output().expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn help_prints_the_usage_and_succeeds_even_with_stdout_closed() {
    let (status, stdout, _) = run_to_exit("help", &["--help"], &[]);
    assert!(status.success(), "{status:?}");
    assert!(stdout.contains("usage: fangpin-server") && stdout.contains("FANGPIN_STAFF_TOKEN"), "{stdout}");
    let dir = common::temp_dir("help-full");
    common::write_site(&dir);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let out = common::command(&dir, &dir.join("r.sqlite3"), &[], &[]).arg("-h").stdout(full).output().expect("run");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_log_that_cannot_be_written_does_not_stop_the_server() {
    // Standard error on a full disk: the start-up lines and every request's log are dropped, and
    // the site is served (eprintln! panicked at the first line).
    use std::io::{BufRead, BufReader, Read, Write};
    let dir = common::temp_dir("full-stderr");
    common::write_site(&dir);
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let mut child =
        common::command(&dir, &dir.join("r.sqlite3"), &[], &[]).stdout(std::process::Stdio::piped()).stderr(full).spawn().expect("start");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut first).expect("line");
    let served = first.trim().rsplit(" at http://").next().map(|a| a.trim_end_matches('/').to_string()).and_then(|addr| {
        let mut c = std::net::TcpStream::connect(addr).ok()?;
        c.write_all(b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").ok()?;
        let mut r = String::new();
        c.read_to_string(&mut r).ok()?;
        Some(r)
    });
    let alive = child.try_wait().expect("status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(first.contains("serving"), "{first:?}");
    assert!(served.as_deref().is_some_and(|r| r.starts_with("HTTP/1.1 200")), "{served:?}");
    assert!(alive, "the server stopped");
}
