//! The published site's policy, and the files of a site (native only, with file IO).
//!
//! * [`policy_dir`] — a city's `policy-data/` read and checked (`fangpin check-policy`);
//! * [`publish`] — the checked data put into a built site: its policy file, the prerendered start
//!   page, the widget loader and a new service worker (`fangpin publish-policy`, and the last step of
//!   `cargo xtask build-site`); and the published policy read back (the report receiver);
//! * [`start_page`] — the start page's prerendered screen, templates and year index;
//! * [`compress`], [`hash`] — the `.br`/`.gz` copies and content-hashed names every site file gets.
//!
//! The site itself (hashed wasm, scripts, CSS) is built once by `cargo xtask build-site`, which needs
//! the Rust toolchain; everything here runs from the shipped `fangpin` binary.

pub mod compress;
pub mod hash;
pub mod policy_dir;
pub mod publish;
pub mod sheets;
pub mod start_page;

pub use publish::{Manifest, Options, PublishError, Published, publish, published_policy};
