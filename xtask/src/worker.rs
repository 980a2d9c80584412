//! Worker mode's module: the app built again with the `worker` feature (`crates/fangpin-ui/src/worker/`),
//! in one file, which boot.js loads instead of the villager's for `?mode=worker`. A separate build,
//! not a third split file, because code shared by the later screens and worker mode would otherwise
//! move into a chunk both fetch, and the wasm-bindgen shims of worker mode's browser APIs into the
//! first file: the villager's path would carry worker mode's weight.
//!
//! 1. `cargo build --features worker` in its own target directory (the split build keeps its cache);
//! 2. wasm-bindgen `--target web`; 3. wasm-opt `-Oz`, checked as for the other modules.

use std::path::Path;
use std::process::Command;

use crate::wasm;
use crate::{Result, read, read_text, run};

pub struct WorkerApp {
    pub wasm: Vec<u8>,
    pub glue: String,
}

pub fn build(root: &Path, wasm_opt: &Path, reuse: bool) -> Result<WorkerApp> {
    let target = root.join("target/wasm-worker");
    let linked = target.join("wasm32-unknown-unknown/wasm/fangpin_ui.wasm");
    if !reuse || !linked.is_file() {
        run(Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--lib", "-p", "fangpin-ui", "--features", "worker", "--profile", "wasm"])
            .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target)
            .current_dir(root))?;
    }
    let pkg = target.join("pkg");
    run(Command::new("wasm-bindgen")
        .arg(&linked)
        .args(["--target", "web", "--no-typescript", "--out-name", "worker", "--out-dir"])
        .arg(&pkg))?;
    let bound = pkg.join("worker_bg.wasm");
    let opt = pkg.join("worker_bg.opt.wasm");
    run(Command::new(wasm_opt).arg("-Oz").arg(&bound).arg("-o").arg(&opt))?;
    wasm::check_optimised(&read(&bound)?, &read(&opt)?)?;
    Ok(WorkerApp { wasm: read(&opt)?, glue: read_text(&pkg.join("worker.js"))? })
}
