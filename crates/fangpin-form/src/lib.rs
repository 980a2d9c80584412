//! The self-check as a person fills it in, before it is a household: pure, native, tested with
//! `cargo test`. The UI (`fangpin-ui`) keeps only storage and views around these.
//!
//! * [`form`] — the form exactly as typed, and the pure conversion to the core's `Household`;
//! * [`draft`] — the one value the app keeps (form, screen, settings), its format versions and migration;
//! * [`apply`] — the application's extra facts and the pure building of the core's `Application`.

pub mod apply;
pub mod draft;
pub mod form;
