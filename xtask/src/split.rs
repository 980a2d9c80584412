//! The app's release wasm in two files: what the first household question needs, and the rest
//! (`crates/fangpin-ui/src/later.rs` marks where the split is), so that a phone on a slow line can
//! start with the first while the second comes.
//!
//! wasm-pack runs wasm-bindgen straight after cargo, and the split has to come between them, so the
//! app is built here step by step, the way Leptos's own tooling does it:
//! 1. `cargo build --features split` with `--emit-relocs` (the splitter needs the linker's
//!    relocations), in its own target directory so the other wasm builds keep their cache;
//! 2. `wasm_split_cli_support::transform`: the main module, one file per split, and a small JS
//!    loader that fetches them;
//! 3. wasm-bindgen on the main module (`--keep-lld-exports`: the loader needs the memory and table);
//! 4. wasm-opt `-Oz` on every module, checked as for the other modules.
//!
//! The build fails if the split did not move the later screens' strings out of the first file (the
//! splitter does that silently when it cannot) or if the loader's text is not what [`Names::apply`]
//! expects.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::wasm;
use crate::{Result, read, read_text, run};

/// The built app, not yet named.
pub struct SplitApp {
    pub main: Vec<u8>,
    pub glue: String,
    pub loader: String,
    /// (the splitter's file name, optimised module), e.g. `split_later.wasm`.
    pub chunks: Vec<(String, Vec<u8>)>,
    /// Each split point (`later`) and the files it needs, by the splitter's file name
    /// (code both use is in a shared chunk the two name).
    pub needs: Vec<(String, Vec<String>)>,
    pub optimisation: wasm::Optimisation,
}

impl SplitApp {
    /// The files split point `name` needs.
    pub fn files_of(&self, name: &str) -> Result<&[String]> {
        self.needs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, f)| f.as_slice())
            .ok_or_else(|| format!("wasm split: no split point named {name} (see later.rs)"))
    }
}

/// The package and its cdylib's file stem.
const PACKAGE: &str = "fangpin-ui";
const ARTIFACT: &str = "fangpin_ui";
/// What the splitter and wasm-bindgen call things (its defaults), rewritten to hashed names.
const LOADER_IMPORT: &str = "from \"./__wasm_split.js\"";
const GLUE_IMPORT: &str = "from \"./main.js\"";
/// The loader instantiates each file by streaming, which needs the `application/wasm` type; some
/// proxies change it. Rewritten to fall back to the bytes, as boot.js does for the first file.
const STREAMING: &str = "return await WebAssembly.instantiateStreaming(src, imports);";
const STREAMING_OR_BYTES: &str = "const r = await src; if (!r.ok) throw new Error(`HTTP ${r.status}`); \
return (r.headers.get('content-type') || '').startsWith('application/wasm') ? await WebAssembly.instantiateStreaming(r, imports) \
: await WebAssembly.instantiate(await r.arrayBuffer(), imports);";

pub fn build(root: &Path, wasm_opt: &Path, reuse: bool) -> Result<SplitApp> {
    let target = root.join("target/wasm-split");
    let linked = target.join(format!("wasm32-unknown-unknown/wasm/{ARTIFACT}.wasm"));
    if !reuse || !linked.is_file() {
        run(Command::new(env!("CARGO"))
            .args(["build", "--quiet", "--lib", "-p", PACKAGE, "--features", "split", "--profile", "wasm"])
            .args(["--target", "wasm32-unknown-unknown", "--target-dir"])
            .arg(&target)
            .env("RUSTFLAGS", "-Clink-args=--emit-relocs")
            .current_dir(root))?;
    }
    let input = read(&linked)?;
    let out = target.join("split");
    if out.exists() {
        fs::remove_dir_all(&out).map_err(|e| format!("clear {}: {e}", out.display()))?;
    }
    fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let main_path = out.join("main.wasm");
    let split = {
        let mut opts = wasm_split_cli_support::Options::new(&input);
        opts.output_dir = &out;
        opts.main_out_path = &main_path;
        wasm_split_cli_support::transform(opts).map_err(|e| format!("wasm split: {e:#}"))?
    };
    // wasm-bindgen describes each generic binding (a closure type, a number cast) by running a
    // function that calls `__wbindgen_describe_generic_import`; it reads those only in the first
    // file. The splitter (written for the older `__wbindgen_describe_cast`) moves them when only a
    // split file uses the binding, and wasm-bindgen then fails without saying which. Say it here.
    for path in &split.split_modules {
        let bytes = read(path)?;
        if contains(&bytes, b"__wbindgen_describe_generic_import") {
            return Err(format!(
                "wasm split: {} uses a wasm-bindgen binding the first file does not (a closure type or a JsValue \
                 number cast); make the first file use it too",
                path.display()
            ));
        }
    }
    // The splitter keeps every string in the first file when it cannot regroup them (it only warns):
    // then a split file has no data at all.
    for path in &split.split_modules {
        if wasm::data_bytes(&read(path)?)? == 0 {
            return Err(format!(
                "wasm split: {} has no strings: they stayed in the first file (see SPLIT_SLACK in later.rs)",
                path.display()
            ));
        }
    }

    // The first file reads no JSON with serde (its reader and error texts are a sixth of the file):
    // drafts with a household are read in the later file, the rest with the browser's JSON.parse.
    // serde's texts for a wrong type are there exactly when some serde reader with messages is.
    if contains(&read(&main_path)?, b"invalid type: ") {
        return Err("wasm split: the first file carries serde's reader messages (serde_json): something the first \
                    step runs reads JSON with serde; read it in later.rs, or with js_sys::JSON (store.rs)"
            .into());
    }

    let pkg = target.join("pkg");
    run(Command::new("wasm-bindgen")
        .arg(&main_path)
        .args(["--target", "web", "--keep-lld-exports", "--no-demangle", "--no-typescript", "--out-name", "main", "--out-dir"])
        .arg(&pkg))?;
    let bound = pkg.join("main_bg.wasm");
    let main_opt = pkg.join("main_bg.opt.wasm");
    run(Command::new(wasm_opt).arg("-Oz").arg(&bound).arg("-o").arg(&main_opt))?;
    let optimisation = wasm::check_optimised(&read(&bound)?, &read(&main_opt)?)?;

    let mut chunks = Vec::new();
    let mut paths: Vec<PathBuf> = split.split_modules.clone();
    paths.sort();
    for path in paths {
        let name = path.file_name().and_then(|n| n.to_str()).ok_or("wasm split: a file without a name")?.to_string();
        let opt = out.join(format!("{name}.opt"));
        // The split files carry no feature section: the main module's features, named.
        run(Command::new(wasm_opt)
            .args(["-Oz", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext", "--enable-mutable-globals"])
            .arg(&path)
            .arg("-o")
            .arg(&opt))?;
        wasm::check_optimised(&read(&path)?, &read(&opt)?)?;
        chunks.push((name, read(&opt)?));
    }
    if chunks.is_empty() {
        return Err("wasm split: no split files (is the `split` feature on?)".into());
    }
    let mut needs: Vec<(String, Vec<String>)> = split
        .prefetch_map
        .iter()
        .map(|(point, stems)| {
            let files: Vec<String> = stems.iter().map(|stem| format!("{stem}.wasm")).collect();
            (point.clone(), files)
        })
        .collect();
    needs.sort();
    for (point, files) in &needs {
        if let Some(f) = files.iter().find(|f| !chunks.iter().any(|(n, _)| n == *f)) {
            return Err(format!("wasm split: {point} needs {f}, which the splitter did not write"));
        }
    }
    Ok(SplitApp {
        main: read(&main_opt)?,
        glue: read_text(&pkg.join("main.js"))?,
        loader: read_text(&out.join("__wasm_split.js"))?,
        chunks,
        needs,
        optimisation,
    })
}

/// The hashed names of one build's files: one hash over all of them (they only work together, and
/// the glue and the loader name each other).
pub struct Names {
    pub glue: String,
    pub main: String,
    pub loader: String,
    /// (the splitter's name, the hashed name)
    pub chunks: Vec<(String, String)>,
}

impl Names {
    pub fn new(stem: &str, app: &SplitApp) -> Names {
        let mut all = app.main.clone();
        all.extend(app.glue.as_bytes());
        all.extend(app.loader.as_bytes());
        for (name, bytes) in &app.chunks {
            all.extend(name.as_bytes());
            all.extend(bytes);
        }
        let h = fangpin_site::hash::content_hash(&all);
        let chunks = app
            .chunks
            .iter()
            .map(|(name, _)| {
                let part = name.trim_end_matches(".wasm").trim_start_matches("split_").replace('_', "");
                (name.clone(), format!("{stem}-{part}-{h}.wasm"))
            })
            .collect();
        Names { glue: format!("{stem}-{h}.js"), main: format!("{stem}-{h}.wasm"), loader: format!("{stem}-split-{h}.js"), chunks }
    }

    /// The glue and the loader with each other's and the split files' hashed names.
    pub fn apply(&self, app: &SplitApp) -> Result<(String, String)> {
        // The glue imports the loader once per split point's import module (the same file).
        let glue = replace_all(&app.glue, LOADER_IMPORT, &format!("from \"./{}\"", self.loader), "the glue")?;
        let mut loader = replace_once(&app.loader, GLUE_IMPORT, &format!("from \"./{}\"", self.glue), "the loader")?;
        loader = replace_once(&loader, STREAMING, STREAMING_OR_BYTES, "the loader")?;
        for (name, hashed) in &self.chunks {
            loader = replace_once(&loader, &format!("\"./{name}\""), &format!("\"./{hashed}\""), "the loader")?;
        }
        Ok((glue, loader))
    }
}

fn replace_all(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(format!("wasm split: {what} should name {from}; the tools changed"));
    }
    Ok(text.replace(from, to))
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn replace_once(text: &str, from: &str, to: &str, what: &str) -> Result<String> {
    if text.matches(from).count() != 1 {
        return Err(format!("wasm split: {what} should name {from} once; the tools changed"));
    }
    Ok(text.replacen(from, to, 1))
}
