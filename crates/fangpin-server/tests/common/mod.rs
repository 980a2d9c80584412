//! The real server binary for tests: started on 127.0.0.1 with `--port 0` on a small site of its own,
//! spoken to over raw TCP, killed when the test ends (also when it fails). Only std: what a hostile
//! client does (send half a request, stop reading, hold connections) is easiest to say with a socket.

#![allow(dead_code)]

pub mod fixtures;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A fresh directory for one test (tests run in parallel, also across test binaries).
pub fn temp_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("fangpin-bin-test-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A site laid out like `cargo xtask build-site`'s: un-hashed shell files and hashed assets, some precompressed.
pub fn write_site(dir: &Path) {
    let assets = dir.join("assets");
    std::fs::create_dir_all(&assets).unwrap();
    std::fs::write(dir.join("index.html"), "<!doctype html><title>t</title>").unwrap();
    std::fs::write(dir.join("sw.js"), "self.addEventListener('fetch', () => {}); // v1").unwrap();
    std::fs::write(dir.join("sw.js.br"), b"brotli-of-sw-v1").unwrap();
    std::fs::write(dir.join("sw.js.gz"), b"gzip-of-sw-v1").unwrap();
    std::fs::write(dir.join("embed.js"), "export {};").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm"), b"\0asm-raw").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm.br"), b"brotli-bytes").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.wasm.gz"), b"gzip-bytes").unwrap();
    std::fs::write(assets.join("fangpin-0123456789.js"), "export {};").unwrap();
    std::fs::write(assets.join("app-0123456789.css"), "p{}").unwrap();
}

/// The running binary. Dropping it kills the process.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    pub dir: PathBuf,
    pub db: PathBuf,
    stderr: Arc<Mutex<String>>,
}

pub struct Options<'a> {
    pub args: &'a [&'a str],
    pub env: &'a [(&'a str, &'a str)],
    /// An existing directory to serve (and keep the database in); a fresh one when None.
    pub dir: Option<PathBuf>,
}

impl Server {
    /// Started with `args` after `--site DIR --port 0 --db DIR/reports.sqlite3`.
    pub fn start(name: &str, args: &[&str]) -> Server {
        Server::start_with(name, Options { args, env: &[], dir: None })
    }

    pub fn start_with(name: &str, o: Options<'_>) -> Server {
        let dir = o.dir.unwrap_or_else(|| {
            let d = temp_dir(name);
            write_site(&d);
            d
        });
        let db = dir.join("reports.sqlite3");
        let mut child =
            command(&dir, &db, o.args, o.env).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("the server binary starts");
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut err_pipe = child.stderr.take().unwrap();
        let sink = stderr.clone();
        // Drained all the time: a full pipe would block the server's logging.
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = err_pipe.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        let Some(url) = first.trim().rsplit(" at ").next().filter(|u| u.starts_with("http://")) else {
            let _ = child.kill();
            let _ = child.wait();
            std::thread::sleep(Duration::from_millis(100));
            panic!("no URL on the first line ({first:?}); stderr: {}", stderr.lock().unwrap());
        };
        let addr: SocketAddr = url.trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
        Server { child, addr, dir, db, stderr }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// The process is still running.
    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    /// Waits up to `limit` for the process to end on its own.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let start = Instant::now();
        while start.elapsed() < limit {
            if let Some(s) = self.child.try_wait().unwrap() {
                return Some(s);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    pub fn connect(&self) -> Conn {
        Conn::open(self.addr)
    }

    /// One request on its own connection (`Connection: close`).
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut c = self.connect();
        c.send_request(method, path, headers, body, true);
        c.read_response(method == "HEAD").unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Response {
        self.request("GET", path, headers, b"")
    }

    /// Peak resident memory of the process so far (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let line = status.lines().find(|l| l.starts_with("VmHWM:")).expect("VmHWM in /proc/PID/status");
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        // Some tests write tens of MB (big files, bulk rows); a test directory is only ever the test's.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The binary with `--site DIR --port 0 --db DB` and no FANGPIN_* settings from the outer environment.
pub fn command(dir: &Path, db: &Path, args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_fangpin-server"));
    cmd.arg("--site").arg(dir).arg("--port").arg("0").arg("--db").arg(db).args(args);
    for (k, _) in std::env::vars() {
        if k.starts_with("FANGPIN_") || k == "PORT" {
            cmd.env_remove(k);
        }
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd
}

/// Runs the binary (with `--site DIR --port 0 --db …`) expecting it to exit by itself within 10 s:
/// its status, stdout and stderr. A server that starts instead is killed and the test fails.
pub fn run_to_exit(name: &str, args: &[&str], env: &[(&str, &str)]) -> (ExitStatus, String, String) {
    let dir = temp_dir(name);
    write_site(&dir);
    let mut child = command(&dir, &dir.join("reports.sqlite3"), args, env).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let start = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(10) {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!("the server did not exit; stdout: {}", String::from_utf8_lossy(&out.stdout));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (out.status, String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// An HTTP/1.1 answer as read off the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// The body was framed by chunked transfer encoding.
    pub chunked: bool,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Every value of a header, joined as one list.
    pub fn header_list(&self, name: &str) -> Vec<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            .flat_map(|(_, v)| v.split(',').map(|s| s.trim().to_ascii_lowercase()))
            .collect()
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }
}

/// One client connection.
pub struct Conn {
    pub stream: TcpStream,
    buf: Vec<u8>,
}

impl Conn {
    pub fn open(addr: SocketAddr) -> Conn {
        let stream = TcpStream::connect(addr).unwrap();
        // No test waits longer than this for a byte; a hang becomes a failure.
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        Conn { stream, buf: Vec::new() }
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    pub fn send_request(&mut self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8], close: bool) {
        let mut req = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (k, v) in headers {
            req.push_str(&format!("{k}: {v}\r\n"));
        }
        if !body.is_empty() || method == "POST" {
            req.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        if close {
            req.push_str("Connection: close\r\n");
        }
        req.push_str("\r\n");
        let mut bytes = req.into_bytes();
        bytes.extend_from_slice(body);
        self.send(&bytes);
    }

    fn fill(&mut self) -> std::io::Result<usize> {
        let mut chunk = [0u8; 65536];
        let n = self.stream.read(&mut chunk)?;
        self.buf.extend_from_slice(&chunk[..n]);
        Ok(n)
    }

    fn read_exact_buffered(&mut self, n: usize) -> Result<Vec<u8>, String> {
        while self.buf.len() < n {
            if self.fill().map_err(|e| e.to_string())? == 0 {
                return Err(format!("connection closed {} bytes short", n - self.buf.len()));
            }
        }
        Ok(self.buf.drain(..n).collect())
    }

    fn read_line(&mut self) -> Result<String, String> {
        loop {
            if let Some(i) = self.buf.windows(2).position(|w| w == b"\r\n") {
                let line: Vec<u8> = self.buf.drain(..i + 2).collect();
                return Ok(String::from_utf8_lossy(&line[..i]).into_owned());
            }
            if self.fill().map_err(|e| e.to_string())? == 0 {
                return Err("connection closed".into());
            }
        }
    }

    /// The next response: Err when the connection ends (or breaks) before it is whole.
    pub fn read_response(&mut self, head_only: bool) -> Result<Response, String> {
        let status_line = self.read_line()?;
        let status: u16 = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).ok_or(format!("bad status line {status_line:?}"))?;
        let mut headers = Vec::new();
        loop {
            let line = self.read_line()?;
            if line.is_empty() {
                break;
            }
            let (k, v) = line.split_once(':').ok_or(format!("bad header {line:?}"))?;
            headers.push((k.trim().to_string(), v.trim().to_string()));
        }
        let mut res = Response { status, headers, body: Vec::new(), chunked: false };
        if head_only || status == 204 || status == 304 || (100..200).contains(&status) {
            return Ok(res);
        }
        if res.header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
            res.chunked = true;
            loop {
                let size_line = self.read_line()?;
                let size = usize::from_str_radix(size_line.split(';').next().unwrap().trim(), 16)
                    .map_err(|e| format!("chunk size {size_line:?}: {e}"))?;
                if size == 0 {
                    while !self.read_line()?.is_empty() {}
                    break;
                }
                let data = self.read_exact_buffered(size)?;
                res.body.extend_from_slice(&data);
                self.read_exact_buffered(2)?;
            }
        } else if let Some(len) = res.header("content-length") {
            let len: usize = len.parse().map_err(|e| format!("content-length: {e}"))?;
            res.body = self.read_exact_buffered(len)?;
        } else {
            while self.fill().map_err(|e| e.to_string())? > 0 {}
            res.body = std::mem::take(&mut self.buf);
        }
        Ok(res)
    }

    /// Waits up to `limit` for the server to close the connection; the time it took, or None if it is still open.
    pub fn closed_within(&mut self, limit: Duration) -> Option<Duration> {
        let start = Instant::now();
        self.stream.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
        let closed = loop {
            match self.fill() {
                Ok(0) => break true,
                Ok(_) => {}
                Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
                Err(_) => break true, // reset
            }
            if start.elapsed() > limit {
                break false;
            }
        };
        self.stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        closed.then(|| start.elapsed())
    }

    /// Bytes the server sent that no response has consumed (e.g. an error answer before a close).
    pub fn unread(&self) -> &[u8] {
        &self.buf
    }
}
