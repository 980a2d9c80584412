//! Domain core of the 防止返贫动态监测和帮扶 self-check.
//!
//! Plain Rust, no IO: no files, no network, no clock (the as-of date is an input). Compiled to
//! wasm for the browser UI, natively for the CLI and server.
//!
//! * [`money`] — exact yuan, the amount parser, the one rounding rule.
//! * [`date`] — a small calendar date.
//! * [`text`] — bilingual messages.
//! * [`vocabulary`] — the risks, categories and rule keys as types.
//! * [`input`] — what people type: full-width forms folded, the rules every free text follows.
//! * [`household`] — the household a person describes (versioned JSON).
//! * [`policy`] — region/year profiles from `policy-data/`, every value with its source.
//! * [`assessment`] — the pure, explained self-check.
//! * [`application`] — the prefilled application, its reference code, report JSON and QR handoff.

pub mod application;
pub mod assessment;
pub mod csv;
pub mod date;
pub mod household;
pub mod input;
pub mod money;
pub mod policy;
pub mod text;
pub mod vocabulary;

pub use assessment::{Assessment, Decision, assess, decide, to_cli_json};
pub use date::Date;
pub use household::Household;
pub use money::{Money, parse_amount};
pub use policy::{DEFAULT_PROFILE_ID, Profile};
pub use text::Text;
pub use vocabulary::{Category, RiskCode};
