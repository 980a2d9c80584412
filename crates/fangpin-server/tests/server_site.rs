//! The static site on the real binary: caches must not mix encodings (Vary), odd paths are 4xx, and
//! un-hashed files revalidate by their content (ETag), not their timestamp.

mod common;

use common::Server;

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
