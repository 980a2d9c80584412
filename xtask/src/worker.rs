//! Worker mode's module: the app built again with the `worker` feature (`crates/fangpin-ui/src/worker/`),
//! in one file, which boot.js loads instead of the villager's for `?mode=worker`. A separate build,
//! not a third split file, because code shared by the later screens and worker mode would otherwise
//! move into a chunk both fetch, and the wasm-bindgen shims of worker mode's browser APIs into the
//! first file: the villager's path would carry worker mode's weight.
//!
//! 1. `cargo build --features worker` in its own target directory (the split build keeps its cache);
//! 2. wasm-bindgen `--target web`; 3. wasm-opt `-Oz`, checked as for the other modules
//!    ([`bindgen_module`], which builds the roster page's module too).

use std::path::Path;

use crate::Result;

/// A module built by [`bindgen_module`]: its optimised wasm and its wasm-bindgen glue.
pub struct Module {
    pub wasm: Vec<u8>,
    pub glue: String,
}

pub fn build(root: &Path, wasm_opt: &Path, reuse: bool) -> Result<Module> {
    bindgen_module(root, wasm_opt, reuse, "fangpin-ui", &["--features", "worker"], "worker")
}

/// `package` built for wasm in worker mode's target directory (the core and serde are built there
/// once for both modules), wasm-bindgen `--target web` as `out_name`, wasm-opt `-Oz`, checked.
/// With `reuse`, the last linked wasm is used when it exists.
pub fn bindgen_module(root: &Path, wasm_opt: &Path, reuse: bool, package: &str, features: &[&str], out_name: &str) -> Result<Module> {
    use crate::{read, read_text, run, wasm};
    use std::process::Command;
    let target = root.join("target/wasm-worker");
    let linked = target.join(format!("wasm32-unknown-unknown/wasm/{}.wasm", package.replace('-', "_")));
    if !reuse || !linked.is_file() {
        run(Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--lib", "-p", package])
            .args(features)
            .args(["--profile", "wasm", "--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target)
            .current_dir(root))?;
    }
    let pkg = target.join(format!("pkg-{out_name}"));
    run(Command::new("wasm-bindgen")
        .arg(&linked)
        .args(["--target", "web", "--no-typescript", "--out-name", out_name, "--out-dir"])
        .arg(&pkg))?;
    let bound = pkg.join(format!("{out_name}_bg.wasm"));
    let opt = pkg.join(format!("{out_name}_bg.opt.wasm"));
    run(Command::new(wasm_opt).arg("-Oz").arg(&bound).arg("-o").arg(&opt))?;
    wasm::check_optimised(&read(&bound)?, &read(&opt)?)?;
    Ok(Module { wasm: read(&opt)?, glue: read_text(&pkg.join(format!("{out_name}.js")))? })
}
