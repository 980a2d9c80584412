//! The screens. `App` picks one by `draft::Screen`; a new screen is a variant there and a module here.

pub mod application;
pub mod footer;
pub mod result;
pub mod start;
pub mod steps;
