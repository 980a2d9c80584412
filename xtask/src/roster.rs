//! The roster page's module (`crates/fangpin-roster-web`), run in a Web Worker by
//! `web/roster-worker.js`: built as worker mode's is (`worker::bindgen_module`). Only the roster page
//! loads it: nothing of it is on a villager's path.

use std::path::Path;

use crate::Result;
use crate::worker::{Module, bindgen_module};

pub fn build(root: &Path, wasm_opt: &Path, reuse: bool) -> Result<Module> {
    bindgen_module(root, wasm_opt, reuse, "fangpin-roster-web", &[], "roster")
}
