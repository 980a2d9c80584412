//! Content names: the hash that goes into `assets/<stem>-<hash>.<ext>` and the service worker's version.

/// FNV-1a, 64 bit, as 10 hex digits: deterministic across machines and Rust versions, enough to bust caches.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")[..10].to_string()
}

/// `<stem>-<hash>.<ext>` for these bytes.
pub fn hashed_name(stem: &str, ext: &str, bytes: &[u8]) -> String {
    format!("{stem}-{}.{ext}", content_hash(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_is_stable_and_depends_on_every_byte() {
        // Published names must not change between machines or releases for the same bytes.
        assert_eq!(content_hash(b""), "cbf29ce484");
        assert_ne!(content_hash(b"abc"), content_hash(b"abd"));
        assert_eq!(hashed_name("policy", "json", b"abc"), format!("policy-{}.json", content_hash(b"abc")));
    }
}
