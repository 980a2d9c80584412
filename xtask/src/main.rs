//! `cargo xtask build-site`: the one way the release site is built.
//!
//! 1. checks the tools: the wasm-bindgen CLI must equal the crate in Cargo.lock, and wasm-opt must be a
//!    binaryen that works (Debian bookworm's 108 writes modules that crash in the browser);
//! 2. the UI crate in two wasm files (`split.rs`: cargo, the splitter, wasm-bindgen), then wasm-opt
//!    `-Oz` run here, so that optimisation is checked, not assumed (smaller output and no `name`
//!    section, or the build fails); other sites' crates (the benchmark floor) by
//!    `wasm-pack build --mode no-install --no-opt`, checked the same way;
//! 3. the start page's module (`crates/fangpin-start`), by wasm-pack;
//! 4. assembles `target/site/`: content-hashed files under `assets/`, and the pages of `web/`
//!    (`index.html`, `embed.js`, `sw.js`, …) as templates in `publish/` with these names filled in;
//! 5. writes `.br` and `.gz` beside every text or wasm file;
//! 6. publishes `policy-data/` into the site (`fangpin_site::publish`, the same step as
//!    `fangpin publish-policy`): the policy file, the prerendered start page, the service worker;
//! 7. a size report (`target/site-report.json` plus a table on stdout).
//!
//! `cargo xtask fuzz` runs the mutation fuzzer (`crates/fangpin-fuzz`) with optimisations.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

mod js;
mod roster;
mod split;
mod wasm;
mod worker;

type Result<T> = std::result::Result<T, String>;

const UI_CRATE: &str = "crates/fangpin-ui";
const OUT_NAME: &str = "fangpin";
/// The start page's module: only with the app's own UI crate (not for `--crate` builds such as the
/// benchmark floor).
const START_CRATE: &str = "crates/fangpin-start";
const START_OUT_NAME: &str = "start";
/// Oldest binaryen known to produce working modules here (docs/toolchain.md: 116 and 132 work, 108 does not).
const MIN_BINARYEN: u32 = 116;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build-site") => build_site(&args[1..]),
        Some("fuzz") => fuzz(&args[1..]),
        _ => Err(
            "usage: cargo xtask build-site [--out DIR] [--crate DIR] [--pages DIR] [--static DIR] [--report FILE] [--reuse-wasm]\n       \
                  cargo xtask fuzz [--iterations N] [--target NAME]... [--seed S] [--threads T]"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask fuzz`: the mutation fuzzer (crates/fangpin-fuzz), built with optimisations and
/// unwinding (it catches panics to count them). Not part of the test run: a million inputs per
/// target take a few minutes.
fn fuzz(args: &[String]) -> Result<()> {
    run(Command::new("cargo").args(["run", "--quiet", "--release", "-p", "fangpin-fuzz", "--"]).args(args).current_dir(root()))
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

struct Options {
    out: PathBuf,
    ui_crate: PathBuf,
    start_crate: Option<PathBuf>,
    report: PathBuf,
    /// Where the HTML pages come from (`*.html`, with {{placeholders}}).
    pages: PathBuf,
    /// Where `app.css` and the plain static files come from.
    static_dir: PathBuf,
    /// Reuse the last wasm-pack output (for iterating on HTML, CSS and boot scripts).
    reuse_wasm: bool,
}

fn parse_options(args: &[String]) -> Result<Options> {
    let root = root();
    let mut o = Options {
        out: root.join("target/site"),
        ui_crate: root.join(UI_CRATE),
        start_crate: Some(root.join(START_CRATE)),
        report: root.join("target/site-report.json"),
        pages: root.join("web"),
        static_dir: root.join("static"),
        reuse_wasm: false,
    };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--reuse-wasm" {
            o.reuse_wasm = true;
            continue;
        }
        let v = it.next().ok_or(format!("{a} needs a value"))?;
        match a.as_str() {
            "--out" => o.out = root.join(v),
            "--crate" => {
                o.ui_crate = root.join(v);
                o.start_crate = None;
            }
            "--report" => o.report = root.join(v),
            "--pages" => o.pages = root.join(v),
            "--static" => o.static_dir = root.join(v),
            _ => return Err(format!("unknown option {a}")),
        }
    }
    Ok(o)
}

fn build_site(args: &[String]) -> Result<()> {
    let o = parse_options(args)?;
    let root = root();
    let wasm_opt = root.join("node_modules/.bin/wasm-opt");
    check_wasm_bindgen(&root)?;
    let binaryen = check_wasm_opt(&wasm_opt)?;

    // The app in two files (split.rs); other sites (the benchmark floor) in one, by wasm-pack.
    let app = if o.start_crate.is_some() {
        App::Split(split::build(&root, &wasm_opt, o.reuse_wasm)?)
    } else {
        App::Single(build_wasm(&root, &wasm_opt, &o.ui_crate, OUT_NAME, o.reuse_wasm)?)
    };
    let pkg = pkg_dir(&root, &o.ui_crate);
    let start = match &o.start_crate {
        Some(dir) => Some(build_wasm(&root, &wasm_opt, dir, START_OUT_NAME, o.reuse_wasm)?),
        None => None,
    };
    // The app's worker-mode build (worker.rs), beside the villager's.
    let worker_app = match &o.start_crate {
        Some(_) => Some(worker::build(&root, &wasm_opt, o.reuse_wasm)?),
        None => None,
    };

    // The roster page's module (roster.rs), for townships; not on a villager's path.
    let roster_module = match &o.start_crate {
        Some(_) => Some(roster::build(&root, &wasm_opt, o.reuse_wasm)?),
        None => None,
    };

    // Assemble the site from scratch so no stale asset survives; only the county a publisher chose
    // (`--default-county`) is kept.
    let kept_county = fangpin_site::Manifest::read(&o.out).ok().map(|m| m.default_county);
    if o.out.exists() {
        fs::remove_dir_all(&o.out).map_err(|e| format!("clear {}: {e}", o.out.display()))?;
    }
    let assets = o.out.join("assets");
    fs::create_dir_all(&assets).map_err(|e| e.to_string())?;

    // The app's glue and first module; with a split, its loader and later files.
    let (wasm_name, glue_name, split_names, optimisation) = match &app {
        App::Single((after, optimisation)) => {
            let wasm_name = write_hashed(&assets, OUT_NAME, "wasm", after)?;
            let glue = js::minify(&root, "the glue", &read_text(&pkg.join(format!("{OUT_NAME}.js")))?)?;
            let glue_name = write_hashed(&assets, OUT_NAME, "js", glue.as_bytes())?;
            let snippets = pkg.join("snippets");
            if snippets.is_dir() {
                copy_dir(&snippets, &assets.join("snippets"))?;
            }
            (wasm_name, glue_name, None, optimisation)
        }
        App::Split(built) => {
            let names = split::Names::new(OUT_NAME, built);
            let (glue, loader) = names.apply(built)?;
            let write = |name: &str, bytes: &[u8]| fs::write(assets.join(name), bytes).map_err(|e| e.to_string());
            write(&names.main, &built.main)?;
            write(&names.glue, js::minify(&root, "the glue", &glue)?.as_bytes())?;
            write(&names.loader, js::minify(&root, "the split loader", &loader)?.as_bytes())?;
            let snippets = root.join("target/wasm-split/pkg/snippets");
            if snippets.is_dir() {
                copy_dir(&snippets, &assets.join("snippets"))?;
            }
            for ((_, bytes), (_, hashed)) in built.chunks.iter().zip(&names.chunks) {
                write(hashed, bytes)?;
            }
            let later: Vec<String> =
                built.files_of("later")?.iter().filter_map(|f| names.chunks.iter().find(|(n, _)| n == f).map(|(_, h)| h.clone())).collect();
            (names.main, names.glue, Some((names.loader, later)), &built.optimisation)
        }
    };
    let start_names = match &start {
        Some((wasm, _)) => {
            let dir = pkg_dir(&root, o.start_crate.as_deref().unwrap_or(Path::new("")));
            let wasm_name = write_hashed(&assets, START_OUT_NAME, "wasm", wasm)?;
            let glue = js::minify(&root, "the start page's glue", &read_text(&dir.join(format!("{START_OUT_NAME}.js")))?)?;
            Some((write_hashed(&assets, START_OUT_NAME, "js", glue.as_bytes())?, wasm_name))
        }
        None => None,
    };
    // Worker mode's glue and module: one hash over both (boot.js names them).
    let worker_names = match &worker_app {
        Some(w) => {
            let mut both = w.wasm.clone();
            both.extend(w.glue.as_bytes());
            let h = fangpin_site::hash::content_hash(&both);
            let (glue, wasm) = (format!("{OUT_NAME}-worker-{h}.js"), format!("{OUT_NAME}-worker-{h}.wasm"));
            fs::write(assets.join(&glue), js::minify(&root, "worker mode's glue", &w.glue)?).map_err(|e| e.to_string())?;
            fs::write(assets.join(&wasm), &w.wasm).map_err(|e| e.to_string())?;
            Some((glue, wasm))
        }
        None => None,
    };
    // The roster page: its module and glue, the worker script that loads them, the page's script.
    let roster_js = match &roster_module {
        Some(m) => {
            let mut both = m.wasm.clone();
            both.extend(m.glue.as_bytes());
            let h = fangpin_site::hash::content_hash(&both);
            let (glue, wasm) = (format!("{OUT_NAME}-roster-{h}.js"), format!("{OUT_NAME}-roster-{h}.wasm"));
            fs::write(assets.join(&glue), js::minify(&root, "the roster page's glue", &m.glue)?).map_err(|e| e.to_string())?;
            fs::write(assets.join(&wasm), &m.wasm).map_err(|e| e.to_string())?;
            let worker = read_text(&o.pages.join("roster-worker.js"))?.replace("{{ROSTER_GLUE}}", &glue).replace("{{ROSTER_WASM}}", &wasm);
            let worker_name = write_hashed(&assets, "roster-worker", "js", worker.as_bytes())?;
            let page = read_text(&o.pages.join("roster.js"))?.replace("{{ROSTER_WORKER}}", &worker_name);
            Some((write_hashed(&assets, "roster", "js", page.as_bytes())?, glue, wasm, worker_name))
        }
        None => None,
    };
    let css = app_css(&o.static_dir)?;
    let css_name = write_hashed(&assets, "app", "css", &css)?;
    // A site's own boot.js when its pages have one (the floor), else the app's.
    let boot_template = if o.pages.join("boot.js").is_file() { o.pages.join("boot.js") } else { root.join("web/boot.js") };
    let (start_glue, start_wasm) = start_names.clone().unwrap_or_default();
    let boot_src = read_text(&boot_template)?
        .replace("{{GLUE}}", &glue_name)
        .replace("{{WASM}}", &wasm_name)
        .replace("{{START_GLUE}}", &start_glue)
        .replace("{{START_WASM}}", &start_wasm)
        .replace("{{WORKER_GLUE}}", worker_names.as_ref().map_or("", |n| n.0.as_str()))
        .replace("{{WORKER_WASM}}", worker_names.as_ref().map_or("", |n| n.1.as_str()));
    let boot_name = write_hashed(&assets, "boot", "js", js::minify(&root, "boot.js", &boot_src)?.as_bytes())?;
    let nomodule = read(&root.join("web/nomodule.js"))?;
    let nomodule_name = write_hashed(&assets, "nomodule", "js", &nomodule)?;
    // The app's pages, loader and service worker show policy: they go to `publish/` as templates with
    // this build's asset names filled in, and `publish` (below, and `fangpin publish-policy` later)
    // fills in the policy. Other sites' pages (the benchmark floor) are written as they are.
    let publishing = start_names.is_some();
    let (loader_name, later_names) = split_names.unwrap_or_default();
    // The split's later wasm files, by name (the widget asks for them with the first file).
    let later_files = serde_json::to_string(&later_names).map_err(|e| e.to_string())?;
    // The split's loader is the glue's first import: fetched beside it, not after it.
    let loader_preload = if loader_name.is_empty() {
        String::new()
    } else {
        format!("<link rel=\"modulepreload\" href=\"assets/{loader_name}\" fetchpriority=\"low\">\n")
    };
    let pages_out = if publishing { o.out.join(fangpin_site::publish::PUBLISH_DIR) } else { o.out.clone() };
    fs::create_dir_all(&pages_out).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(&o.pages).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.extension().is_some_and(|x| x == "html") {
            let html = read_text(&path)?
                .replace("{{START_GLUE}}", &format!("assets/{start_glue}"))
                .replace("{{START_WASM}}", &format!("assets/{start_wasm}"))
                .replace("{{BOOT}}", &format!("assets/{boot_name}"))
                .replace("{{NOMODULE}}", &format!("assets/{nomodule_name}"))
                .replace("{{CSS}}", &format!("assets/{css_name}"))
                .replace("{{GLUE}}", &format!("assets/{glue_name}"))
                .replace("{{APP_LOADER_PRELOAD}}", &loader_preload)
                .replace("{{ROSTER_JS}}", &roster_js.as_ref().map(|r| format!("assets/{}", r.0)).unwrap_or_default())
                .replace("{{WASM}}", &format!("assets/{wasm_name}"));
            if !publishing && html.contains("{{") {
                return Err(format!("{} has an unknown {{{{placeholder}}}}", path.display()));
            }
            fs::write(pages_out.join(path.file_name().unwrap_or_default()), html).map_err(|e| e.to_string())?;
        }
    }
    if publishing {
        // The embed loader keeps a stable name (hosts link to it) and names this build's hashed files.
        let embed_template = o.pages.join("embed.js");
        if embed_template.is_file() {
            let embed = read_text(&embed_template)?
                .replace("{{GLUE_NAME}}", &glue_name)
                .replace("{{WASM_NAME}}", &wasm_name)
                .replace("{{CSS_NAME}}", &css_name)
                .replace("{{LATER_FILES}}", &later_files);
            fs::write(pages_out.join("embed.js"), embed).map_err(|e| e.to_string())?;
        }
        // The service worker precaches exactly this build and its policy file; `publish` gives it the
        // version of all of them.
        let sw_template = o.pages.join("sw.js");
        if sw_template.is_file() {
            fs::copy(&sw_template, pages_out.join("sw.js")).map_err(|e| e.to_string())?;
        }
        let mut precache = vec!["index.html".to_string()];
        precache.extend([&css_name, &boot_name, &glue_name, &wasm_name, &start_glue, &start_wasm].map(|n| format!("assets/{n}")));
        precache.extend(std::iter::once(&loader_name).chain(&later_names).filter(|n| !n.is_empty()).map(|n| format!("assets/{n}")));
        let county = kept_county.as_deref().unwrap_or(fangpin_core::policy::DEFAULT_COUNTY);
        let mut manifest = fangpin_site::Manifest::new(precache, county);
        manifest.worker_precache =
            worker_names.iter().flat_map(|(glue, wasm)| [format!("assets/{glue}"), format!("assets/{wasm}")]).collect();
        manifest.write(&o.out)?;
    }

    // Plain static files (icons and the like) keep their names and are revalidated.
    for entry in fs::read_dir(&o.static_dir).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_file() && !is_app_css(&path) {
            fs::copy(&path, o.out.join(path.file_name().unwrap_or_default())).map_err(|e| e.to_string())?;
        }
    }

    fangpin_site::compress::precompress_dir(&o.out, fangpin_site::publish::PUBLISH_DIR)?;

    let mut policy_file = None;
    if publishing {
        // The policy of `policy-data/`, exactly as `fangpin publish-policy` would put it in.
        // The site is built for fangpin-server, which receives one-click reports at its own
        // origin: its pages use that receiver (`--receiver off` at publish for a static host).
        let receiver = fangpin_site::publish::Receiver::At(fangpin_site::publish::OWN_RECEIVER.to_string());
        let options = fangpin_site::Options { default_county: None, on: today(), receiver, site_url: Default::default() };
        let published = fangpin_site::publish(&root.join("policy-data"), &o.out, &options).map_err(|e| e.to_string())?;
        println!("policy: {} (start page opens with {})", published.policy, published.default_profile);
        policy_file = Some(published.policy);
    }

    // What a first visit to index.html downloads, in load order, before the page is usable; with a
    // start page, the app's own module follows when the person starts (or in the background).
    let mut first_visit =
        vec![("html", "index.html".to_string()), ("css", format!("assets/{css_name}")), ("boot js", format!("assets/{boot_name}"))];
    let mut on_start = Vec::new();
    let app_parts = [("glue js", format!("assets/{glue_name}")), ("wasm", format!("assets/{wasm_name}"))];
    let later: Vec<(&str, String)> = later_names.iter().map(|n| ("later wasm", format!("assets/{n}"))).collect();
    // Not on a villager's path: what worker mode loads instead of the app's module.
    let worker: Vec<(&str, String)> =
        worker_names.iter().flat_map(|(g, w)| [("worker js", format!("assets/{g}")), ("worker wasm", format!("assets/{w}"))]).collect();
    if start_names.is_some() {
        first_visit.push(("start js", format!("assets/{start_glue}")));
        first_visit.push(("start wasm", format!("assets/{start_wasm}")));
        on_start.extend(app_parts);
        // The loader is the glue's first import: it comes before the first question too.
        if !loader_name.is_empty() {
            on_start.push(("split js", format!("assets/{loader_name}")));
        }
        // The app fetches its policy file with its module: the first question waits for all of them.
        on_start.extend(policy_file.map(|p| ("policy", p)));
    } else {
        first_visit.extend(app_parts);
    }
    let roster: Vec<(&str, String)> = roster_js
        .iter()
        .flat_map(|(page, glue, wasm, worker)| {
            [("roster js", page), ("roster worker", worker), ("roster glue", glue), ("roster wasm", wasm)]
                .map(|(k, n)| (k, format!("assets/{n}")))
        })
        .collect();
    let parts: &Parts = &[
        ("app_on_start", "what the first household question needs, after the start page", &on_start),
        ("app_later", "the rest of the app, fetched once it has started", &later),
        ("app_worker", "worker mode's module, loaded instead of the app's only for ?mode=worker", &worker),
        ("roster", "the roster page's scripts and module (roster.html, for townships)", &roster),
    ];
    report(&o, &first_visit, parts, optimisation, &binaryen)
}

fn pkg_dir(root: &Path, crate_dir: &Path) -> PathBuf {
    root.join("target/wasm-pkg").join(crate_dir.file_name().unwrap_or_default())
}

/// `wasm-pack build --no-opt` of `crate_dir`, then `wasm-opt -Oz`, checked. Returns the optimised
/// module and what the optimisation did.
fn build_wasm(root: &Path, wasm_opt: &Path, crate_dir: &Path, out_name: &str, reuse: bool) -> Result<(Vec<u8>, wasm::Optimisation)> {
    let pkg = pkg_dir(root, crate_dir);
    if !reuse {
        run(Command::new("wasm-pack")
            .args(["build", "--mode", "no-install", "--profile", "wasm", "--no-opt", "--target", "web", "--no-typescript"])
            .args(["--no-pack", "--out-name", out_name, "--out-dir"])
            .arg(&pkg)
            .arg(crate_dir)
            .current_dir(root))?;
    }
    let raw_wasm = pkg.join(format!("{out_name}_bg.wasm"));
    let opt_wasm = pkg.join(format!("{out_name}_bg.opt.wasm"));
    run(Command::new(wasm_opt).arg("-Oz").arg(&raw_wasm).arg("-o").arg(&opt_wasm))?;
    let before = read(&raw_wasm)?;
    let after = read(&opt_wasm)?;
    let optimisation = wasm::check_optimised(&before, &after)?;
    Ok((after, optimisation))
}

/// The day of the build, from the system clock: the start page is prerendered for it (the phone then
/// picks the year and shows the period notice by its own date).
fn today() -> fangpin_core::Date {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0);
    fangpin_core::Date::from_day_number(secs.div_euclid(86_400)).unwrap_or_default()
}

/// `app.css` then every `app-*.css` in name order, as one stylesheet (one request on a slow phone).
fn is_app_css(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    name.ends_with(".css") && (name == "app.css" || name.starts_with("app-"))
}

fn app_css(static_dir: &Path) -> Result<Vec<u8>> {
    let mut parts: Vec<PathBuf> = fs::read_dir(static_dir)
        .map_err(|e| format!("read {}: {e}", static_dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_app_css(p) && p.file_name().is_some_and(|n| n != "app.css"))
        .collect();
    parts.sort();
    let mut css = read(&static_dir.join("app.css"))?;
    for part in parts {
        css.push(b'\n');
        css.extend(read(&part)?);
    }
    Ok(css)
}

fn check_wasm_bindgen(root: &Path) -> Result<()> {
    let lock = read_text(&root.join("Cargo.lock"))?;
    let locked = lock
        .split("[[package]]")
        .find(|p| p.contains("\nname = \"wasm-bindgen\"\n"))
        .and_then(|p| p.lines().find_map(|l| l.strip_prefix("version = \"")))
        .map(|v| v.trim_end_matches('"').to_string())
        .ok_or("Cargo.lock has no wasm-bindgen")?;
    let out = Command::new("wasm-bindgen").arg("--version").output();
    let installed = out.map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string()).unwrap_or_default();
    if installed != format!("wasm-bindgen {locked}") {
        return Err(format!(
            "wasm-bindgen CLI is {:?} but Cargo.lock pins {locked}; run scripts/setup.sh",
            if installed.is_empty() { "missing" } else { &installed }
        ));
    }
    Ok(())
}

fn check_wasm_opt(wasm_opt: &Path) -> Result<String> {
    let out = Command::new(wasm_opt).arg("--version").output().map_err(|e| format!("{}: {e}; run scripts/setup.sh", wasm_opt.display()))?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let version: u32 =
        text.split_whitespace().nth(2).and_then(|v| v.parse().ok()).ok_or(format!("cannot read the binaryen version from {text:?}"))?;
    if version < MIN_BINARYEN {
        return Err(format!("binaryen {version} is known to write broken wasm; need {MIN_BINARYEN} or newer"));
    }
    Ok(format!("binaryen {version}"))
}

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("{shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed: {status}")) }
}

fn read(p: &Path) -> Result<Vec<u8>> {
    fs::read(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn read_text(p: &Path) -> Result<String> {
    fs::read_to_string(p).map_err(|e| format!("read {}: {e}", p.display()))
}

fn write_hashed(dir: &Path, stem: &str, ext: &str, bytes: &[u8]) -> Result<String> {
    let name = fangpin_site::hash::hashed_name(stem, ext, bytes);
    fs::write(dir.join(&name), bytes).map_err(|e| e.to_string())?;
    Ok(name)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in fs::read_dir(from).map_err(|e| e.to_string())? {
        let path = entry.map_err(|e| e.to_string())?.path();
        let dest = to.join(path.file_name().unwrap_or_default());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            fs::copy(&path, &dest).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The app's wasm: in one file (wasm-pack), or split (split.rs).
enum App {
    Single((Vec<u8>, wasm::Optimisation)),
    Split(split::SplitApp),
}

/// The parts of the site the report lists after the first visit: its key in the report, what it
/// is, its files.
type Parts<'a> = [(&'a str, &'a str, &'a [(&'a str, String)])];

fn report(o: &Options, first_visit: &[(&str, String)], parts: &Parts, optimisation: &wasm::Optimisation, binaryen: &str) -> Result<()> {
    println!("\n{:<10} {:>10} {:>10} {:>10}  file", "part", "raw", "gzip", "brotli");
    let (rows, total) = size_rows(o, first_visit, "first visit");
    let mut json = serde_json::json!({
        "site": o.out,
        "first_visit": rows,
        "first_visit_total": total,
        "wasm_opt": {
            "tool": binaryen,
            "before": optimisation.before,
            "after": optimisation.after,
            "name_section_removed": optimisation.name_section_removed,
        },
    });
    for (key, what, files) in parts {
        if !files.is_empty() {
            let (rows, total) = size_rows(o, files, what);
            json[*key] = rows;
            json[format!("{key}_total")] = total;
        }
    }
    println!(
        "wasm-opt -Oz ({binaryen}) of the app: {} -> {} bytes, name section removed: {}",
        optimisation.before, optimisation.after, optimisation.name_section_removed
    );
    let text = serde_json::to_string_pretty(&json).map_err(|e| e.to_string())?;
    fs::write(&o.report, text + "\n").map_err(|e| e.to_string())?;
    println!("report: {}", o.report.display());
    Ok(())
}

/// Prints and returns the raw/gzip/brotli sizes of `parts` and their total.
fn size_rows(o: &Options, parts: &[(&str, String)], what: &str) -> (serde_json::Value, serde_json::Value) {
    let mut rows = BTreeMap::new();
    let mut total = [0u64; 3];
    for (part, rel) in parts {
        let path = o.out.join(rel);
        let sizes = [&path, &fangpin_site::compress::with_suffix(&path, "gz"), &fangpin_site::compress::with_suffix(&path, "br")]
            .map(|p| fs::metadata(p).map(|m| m.len()).unwrap_or(0));
        for (t, s) in total.iter_mut().zip(sizes) {
            *t += s;
        }
        println!("{part:<10} {:>10} {:>10} {:>10}  {rel}", sizes[0], sizes[1], sizes[2]);
        rows.insert(part.to_string(), serde_json::json!({"file": rel, "raw": sizes[0], "gzip": sizes[1], "brotli": sizes[2]}));
    }
    println!("{:<10} {:>10} {:>10} {:>10}  ({what})", "total", total[0], total[1], total[2]);
    (serde_json::json!(rows), serde_json::json!({"raw": total[0], "gzip": total[1], "brotli": total[2]}))
}
