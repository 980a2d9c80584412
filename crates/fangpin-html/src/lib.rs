//! Read-only screens written as escaped HTML text.
//!
//! Why text and not Leptos `view!`: each distinct view is its own generic instantiation in the
//! wasm, and these long, static, language-dependent blocks were the largest part of it. As text
//! they cost a few kilobytes, and the same function runs natively at build time, so the first page
//! is prerendered into `index.html` exactly as the app would draw it (see `page`).
//!
//! Nothing here has event handlers, inline styles or scripts (the CSP forbids both). Controls carry
//! `data-action` attributes ([`Action`]); whoever places the HTML (the start page in `fangpin-start`, the app in
//! `fangpin-ui`) listens once on a container and acts on them.

pub mod action;
pub mod html;
pub mod lang;
pub mod page;
pub mod paper;
pub mod qr;
pub mod result;
pub mod storage;

pub use action::Action;
pub use html::{Html, esc};
pub use lang::{Lang, tr};
