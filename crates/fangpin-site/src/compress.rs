//! The `.br` and `.gz` beside each text or wasm file, which the server sends to browsers that accept
//! them (the files are compressed once, at their best setting, not per request).

use std::io::Write;
use std::path::{Path, PathBuf};

/// What gets compressed copies.
pub const COMPRESSIBLE: &[&str] = &["html", "js", "wasm", "bin", "css", "json", "svg", "webmanifest", "txt"];

pub fn is_compressible(path: &Path) -> bool {
    path.extension().and_then(|x| x.to_str()).is_some_and(|x| COMPRESSIBLE.contains(&x))
}

/// `path` with `.suffix` added (`index.html` → `index.html.br`).
pub fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(".");
    s.push(suffix);
    PathBuf::from(s)
}

pub fn brotli_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(bytes).expect("writing to a Vec cannot fail");
    }
    out
}

pub fn gzip_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    w.write_all(bytes).expect("writing to a Vec cannot fail");
    w.finish().expect("writing to a Vec cannot fail")
}

/// Writes `.br` and `.gz` beside every compressible file under `dir`, except under `skip` (a
/// directory name at any depth).
pub fn precompress_dir(dir: &Path, skip: &str) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| format!("read {}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != skip) {
                precompress_dir(&path, skip)?;
            }
        } else if is_compressible(&path) {
            let bytes = std::fs::read(&path).map_err(|e| format!("read {}: {e}", path.display()))?;
            std::fs::write(with_suffix(&path, "br"), brotli_bytes(&bytes)).map_err(|e| e.to_string())?;
            std::fs::write(with_suffix(&path, "gz"), gzip_bytes(&bytes)).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn both_encodings_give_the_bytes_back() {
        let text = "防止返贫监测 ".repeat(200);
        let mut back = String::new();
        brotli::Decompressor::new(brotli_bytes(text.as_bytes()).as_slice(), 4096).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        back.clear();
        flate2::read::GzDecoder::new(gzip_bytes(text.as_bytes()).as_slice()).read_to_string(&mut back).unwrap();
        assert_eq!(back, text);
        assert!(brotli_bytes(text.as_bytes()).len() < text.len() / 10);
    }
}
