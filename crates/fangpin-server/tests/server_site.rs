//! The static site on the real binary: caches must not mix encodings (Vary), odd paths are 4xx, and
//! un-hashed files revalidate by their content (ETag), not their timestamp.

mod common;

use common::{Options, Server};

#[test]
fn every_static_answer_varies_on_accept_encoding() {
    let server = Server::start("vary", &[]);
    for (path, enc) in [
        ("/assets/fangpin-0123456789.wasm", "br"),
        ("/assets/fangpin-0123456789.wasm", "gzip"),
        ("/assets/fangpin-0123456789.wasm", "identity"),
        ("/sw.js", "br"),
        ("/", "gzip, br"),
        ("/embed.js", "br"),
        ("/assets/missing-0123456789.js", "br"),
    ] {
        let res = server.get(path, &[("Accept-Encoding", enc)]);
        assert!(res.header_list("vary").contains(&"accept-encoding".to_string()), "{path} ({enc}): {:?}", res.headers);
    }
    let br = server.get("/assets/fangpin-0123456789.wasm", &[("Accept-Encoding", "br")]);
    assert_eq!((br.header("content-encoding"), br.body.as_slice()), (Some("br"), &b"brotli-bytes"[..]));
}

/// The CSP governs documents and the scripts a worker runs from; on a stylesheet, a module or a data
/// file it is bytes on a slow line and nothing else (about 330 a response).
#[test]
fn the_csp_goes_with_pages_and_scripts() {
    let server = Server::start("csp", &[]);
    for path in ["/", "/sw.js", "/embed.js", "/assets/fangpin-0123456789.js"] {
        let res = server.get(path, &[("Accept-Encoding", "br")]);
        assert_eq!(res.status, 200, "{path}");
        assert!(res.header("content-security-policy").is_some_and(|c| c.contains("default-src 'self'")), "{path}: {:?}", res.headers);
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"), "{path}");
    }
    for path in ["/assets/fangpin-0123456789.wasm", "/assets/app-0123456789.css"] {
        let res = server.get(path, &[("Accept-Encoding", "br")]);
        assert_eq!(res.status, 200, "{path}");
        assert_eq!(res.header("content-security-policy"), None, "{path}: {:?}", res.headers);
        assert_eq!(res.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(res.header("access-control-allow-origin"), Some("*"), "{path}");
    }
}

#[test]
fn odd_paths_are_4xx_never_5xx() {
    let server = Server::start("odd-paths", &[]);
    let long_name = "a".repeat(300);
    let long_asset = format!("/assets/{}.js", "b".repeat(256));
    let deep = "/a".repeat(3000);
    let encoded_long = format!("/{}", "%61".repeat(300));
    let paths = [
        format!("/{long_name}"),
        long_asset,
        deep,
        encoded_long,
        "/%00".into(),
        "/index.html%00.js".into(),
        "/../Cargo.toml".into(),
        "/assets/../../etc/passwd".into(),
        "/%2e%2e/%2e%2e/etc/passwd".into(),
        "/..%2f..%2fetc%2fpasswd".into(),
        "/index.html/child".into(),
        "/%ff%fe".into(),
        "/a%2fb".into(),
        "/%".into(),
        "/assets/%zz".into(),
    ];
    for path in &paths {
        let res = server.get(path, &[]);
        assert!((400..500).contains(&res.status), "{} answered {}", &path[..path.len().min(60)], res.status);
    }
    assert_eq!(server.get(&format!("/{long_name}"), &[]).status, 404);
}

fn etag(res: &common::Response) -> String {
    res.header("etag").unwrap_or_else(|| panic!("an ETag: {:?}", res.headers)).to_string()
}

/// A publish step that keeps timestamps (rsync -a, reproducible builds) rewrites sw.js with the same
/// length and mtime: the old validator must not get 304.
#[test]
fn unhashed_files_revalidate_by_content_not_by_timestamp() {
    let dir = common::temp_dir("etag");
    common::write_site(&dir);
    let sw = dir.join("sw.js");
    let server = Server::start_with("etag", Options { args: &[], env: &[], dir: Some(dir.clone()) });

    let first = server.get("/sw.js", &[]);
    assert_eq!(first.status, 200);
    let old = etag(&first);
    assert!(old.starts_with('"') && old.ends_with('"') && !old.starts_with("W/"), "strong: {old}");
    assert_eq!(first.header("last-modified"), None, "the timestamp decides nothing for un-hashed files");
    let mtime = std::fs::metadata(&sw).unwrap().modified().unwrap();
    let new_body = "self.addEventListener('fetch', () => {}); // v2";
    assert_eq!(new_body.len(), std::fs::metadata(&sw).unwrap().len() as usize);
    std::fs::write(&sw, new_body).unwrap();
    std::fs::File::options().write(true).open(&sw).unwrap().set_modified(mtime).unwrap();

    let changed = server.get("/sw.js", &[("If-None-Match", &old)]);
    assert_eq!(changed.status, 200, "changed content, same size and mtime");
    assert_eq!(changed.text(), new_body);
    let new = etag(&changed);
    assert_ne!(new, old);
    let same = server.get("/sw.js", &[("If-None-Match", &new)]);
    assert_eq!(same.status, 304);
    assert!(same.body.is_empty());
    assert_eq!(etag(&same), new);
    assert_eq!(same.header("cache-control"), Some("no-cache"));
    assert_eq!(server.get("/sw.js", &[("If-None-Match", &format!("\"x\", W/{new}"))]).status, 304, "a list, weak comparison");
    let future = "Fri, 01 Jan 2100 00:00:00 GMT";
    assert_eq!(server.get("/sw.js", &[("If-Modified-Since", future)]).status, 200, "If-Modified-Since is ignored");

    // The precompressed variant has its own ETag.
    let br = server.get("/sw.js", &[("Accept-Encoding", "br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    let br_tag = etag(&br);
    assert!(br_tag.ends_with("-br\""), "{br_tag}");
    assert_ne!(br_tag, new);
    assert_eq!(server.get("/sw.js", &[("Accept-Encoding", "br"), ("If-None-Match", &br_tag)]).status, 304);
    assert_eq!(server.get("/sw.js", &[("If-None-Match", &br_tag)]).status, 200, "not the identity variant's");
    assert!(etag(&server.get("/sw.js", &[("Accept-Encoding", "gzip")])).ends_with("-gz\""));

    // HEAD has the same validator; index.html by its directory too.
    let head = server.request("HEAD", "/sw.js", &[], b"");
    assert_eq!((head.status, etag(&head)), (200, new));
    let index = server.get("/", &[]);
    assert_eq!(server.get("/", &[("If-None-Match", &etag(&index))]).status, 304);

    // Hashed assets keep their year-long cache and Last-Modified.
    let asset = server.get("/assets/fangpin-0123456789.wasm", &[]);
    assert!(asset.header("last-modified").is_some());
    assert_eq!(asset.header("cache-control"), Some("public, max-age=31536000, immutable"));
}
