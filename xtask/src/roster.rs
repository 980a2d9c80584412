//! The roster page's module (`crates/fangpin-roster-web`), run in a Web Worker by
//! `web/roster-worker.js`: cargo in worker mode's target directory (the core and serde are built
//! there already), wasm-bindgen `--target web`, wasm-opt `-Oz`, checked as for the other modules.
//! Only the roster page loads it: nothing of it is on a villager's path.

use std::path::Path;
use std::process::Command;

use crate::wasm;
use crate::{Result, read, read_text, run};

pub struct RosterModule {
    pub wasm: Vec<u8>,
    pub glue: String,
}

pub fn build(root: &Path, wasm_opt: &Path, reuse: bool) -> Result<RosterModule> {
    let target = root.join("target/wasm-worker");
    let linked = target.join("wasm32-unknown-unknown/wasm/fangpin_roster_web.wasm");
    if !reuse || !linked.is_file() {
        run(Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--lib", "-p", "fangpin-roster-web", "--profile", "wasm"])
            .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target)
            .current_dir(root))?;
    }
    let pkg = target.join("pkg-roster");
    run(Command::new("wasm-bindgen")
        .arg(&linked)
        .args(["--target", "web", "--no-typescript", "--out-name", "roster", "--out-dir"])
        .arg(&pkg))?;
    let bound = pkg.join("roster_bg.wasm");
    let opt = pkg.join("roster_bg.opt.wasm");
    run(Command::new(wasm_opt).arg("-Oz").arg(&bound).arg("-o").arg(&opt))?;
    wasm::check_optimised(&read(&bound)?, &read(&opt)?)?;
    Ok(RosterModule { wasm: read(&opt)?, glue: read_text(&pkg.join("roster.js"))? })
}
