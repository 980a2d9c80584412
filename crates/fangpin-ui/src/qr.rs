//! QR codes as SVG: the one drawing in `fangpin-html` (the publish step draws the 明白纸's 一码通 with it).

pub use fangpin_html::qr::svg;
