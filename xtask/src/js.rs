//! The site's JavaScript modules, minified (terser from npm, `node_modules/.bin/terser`): on a
//! 1.6 Mbps line the comments and long names of the glue, the loader and the start page's scripts
//! are time before the first question (about 4 KB brotli of 15).
//!
//! Only names inside a module change: exports and the property names wasm-bindgen's imports use are
//! kept (terser mangles no properties unless asked).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::Result;

/// `source`, an ES module, minified; fails if terser is missing or rejects it (never writes the
/// unminified text in its place silently).
pub fn minify(root: &Path, what: &str, source: &str) -> Result<String> {
    let terser = root.join("node_modules/.bin/terser");
    let mut child = Command::new(&terser)
        .args(["--module", "--compress", "--mangle", "--comments", "false"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}; run scripts/setup.sh", terser.display()))?;
    // Written from its own thread: terser may start answering before it has read everything.
    let mut stdin = child.stdin.take().ok_or("terser: no stdin")?;
    let text = source.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().map_err(|e| format!("terser on {what}: {e}"))?;
    writer.join().map_err(|_| format!("terser on {what}: the writer panicked"))?.map_err(|e| format!("terser on {what}: {e}"))?;
    if !out.status.success() {
        return Err(format!("terser on {what} failed: {}", String::from_utf8_lossy(&out.stderr)));
    }
    let min = String::from_utf8(out.stdout).map_err(|e| format!("terser on {what}: {e}"))?;
    if min.trim().is_empty() || min.len() >= source.len() {
        return Err(format!("terser on {what}: {} bytes in, {} out", source.len(), min.len()));
    }
    Ok(min)
}
