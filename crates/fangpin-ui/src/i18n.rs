//! The two languages of the page. Every on-screen string of the UI is written as a Chinese/English
//! pair at its point of use (`tr(lang, "中文", "English")`), so no string can exist in one language only.
//! Defined in `fangpin-html`, which the start page and the build share.

pub use fangpin_html::lang::{Lang, tr};
