//! A QR code (the handoff link, the 明白纸's 一码通), drawn as one SVG `<path>` (sizes and colours as SVG attributes:
//! the CSP forbids inline styles). The link prefix goes in a byte segment and the digits after
//! `#a=` in a numeric segment (3.33 bits a digit), as `docs/application-format.md` asks.

use qrcodegen::{QrCode, QrCodeEcc, QrSegment};

/// Modules of white around the code (the standard asks for 4).
const QUIET: i32 = 4;

/// The SVG for `link` (`…#a=<digits>`), or None if it does not fit any QR version.
pub fn svg(link: &str, label: &str) -> Option<String> {
    let (prefix, digits) = match link.rfind("#a=") {
        Some(i) => link.split_at(i + 3),
        None => (link, ""),
    };
    let mut segs = vec![QrSegment::make_bytes(prefix.as_bytes())];
    if !digits.is_empty() {
        segs.push(if QrSegment::is_numeric(digits) { QrSegment::make_numeric(digits) } else { QrSegment::make_bytes(digits.as_bytes()) });
    }
    // Level M; raised for free when the data leaves room in the same version.
    let qr =
        QrCode::encode_segments_advanced(&segs, QrCodeEcc::Medium, qrcodegen::Version::MIN, qrcodegen::Version::MAX, None, true).ok()?;
    let n = qr.size();
    let full = n + 2 * QUIET;
    let mut d = String::with_capacity((n * n) as usize * 4);
    for y in 0..n {
        let mut x = 0;
        while x < n {
            if qr.get_module(x, y) {
                let start = x;
                while x < n && qr.get_module(x, y) {
                    x += 1;
                }
                d.push_str(&format!("M{} {}h{}v1h-{}z", start + QUIET, y + QUIET, x - start, x - start));
            } else {
                x += 1;
            }
        }
    }
    Some(format!(
        "<svg class=\"fp-qr-svg\" viewBox=\"0 0 {full} {full}\" role=\"img\" aria-label=\"{}\" shape-rendering=\"crispEdges\" data-modules=\"{n}\" data-version=\"{}\">\
         <rect width=\"{full}\" height=\"{full}\" fill=\"#ffffff\"></rect><path fill=\"#000000\" d=\"{d}\"></path></svg>",
        crate::html::esc(label),
        qr.version().value()
    ))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_an_svg_with_a_quiet_zone() {
        let s = super::svg("https://example.org/#a=0123456789", "QR").unwrap();
        assert!(s.starts_with("<svg"));
        assert!(s.contains("M4 4h7v1h-7z"), "the finder pattern starts inside the quiet zone: {s}");
    }
}
