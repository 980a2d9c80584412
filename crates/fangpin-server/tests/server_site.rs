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
