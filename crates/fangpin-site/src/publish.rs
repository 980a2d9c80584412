//! `fangpin publish-policy POLICY_DIR SITE_DIR`: puts a city's policy data into a built site, with no
//! Rust toolchain. It checks the data, writes the site's policy file (`assets/policy-<hash>.json`), fills
//! the pages that show policy (the prerendered start page, the widget loader) from the templates the
//! build left in `publish/`, and writes a service worker with a new version, so that phones pick the
//! new figures up on their next online visit. `cargo xtask build-site` ends with the same step.
//!
//! Nothing in the site changes unless everything could be written: every file is first written beside
//! its place and only then renamed into it, the service worker last.

use std::path::{Path, PathBuf};

use fangpin_core::Date;
use fangpin_core::policy::PolicySet;
use serde::{Deserialize, Serialize};

use crate::compress::{brotli_bytes, gzip_bytes, is_compressible, with_suffix};
use crate::hash::{content_hash, hashed_name};
use crate::policy_dir::check_dir;
use crate::start_page;

/// Where the build leaves the templates and the manifest, inside the site.
pub const PUBLISH_DIR: &str = "publish";
/// The manifest in [`PUBLISH_DIR`].
pub const MANIFEST_FILE: &str = "manifest.json";
/// The format tag of the manifest.
pub const SITE_FORMAT: &str = "fangpin.site/1";
/// The service worker: filled last, with the version of everything else.
const SERVICE_WORKER: &str = "sw.js";
/// Suffix of a file being written, before it is renamed into place.
const STAGED: &str = "publish-tmp";

/// What the build knows about the site, and what was last published into it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    /// The build's files the service worker keeps for offline use (paths in the site), besides the policy file.
    pub precache: Vec<String>,
    /// The county the site opens with.
    pub default_county: String,
    /// The policy file now published (`assets/policy-<hash>.json`), and the one before it, kept for
    /// pages that are still open.
    #[serde(default)]
    pub policy: Option<String>,
    #[serde(default)]
    pub previous_policy: Option<String>,
    /// The service worker's version now.
    #[serde(default)]
    pub version: Option<String>,
}

impl Manifest {
    pub fn new(precache: Vec<String>, default_county: &str) -> Manifest {
        Manifest {
            format: SITE_FORMAT.to_string(),
            precache,
            default_county: default_county.to_string(),
            policy: None,
            previous_policy: None,
            version: None,
        }
    }

    pub fn read(site: &Path) -> Result<Manifest, String> {
        let path = site.join(PUBLISH_DIR).join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("{}: {e} (is {} a site built by `cargo xtask build-site`?)", path.display(), site.display()))?;
        let m: Manifest = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        if m.format != SITE_FORMAT {
            return Err(format!("{}: unknown format `{}` (expected {SITE_FORMAT})", path.display(), m.format));
        }
        Ok(m)
    }

    /// Writes it into `site/publish/` (the build does, before the first publish).
    pub fn write(&self, site: &Path) -> Result<(), String> {
        let dir = site.join(PUBLISH_DIR);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        std::fs::write(dir.join(MANIFEST_FILE), self.to_json()).map_err(|e| format!("{}: {e}", dir.display()))
    }

    fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }
}

/// How to publish.
pub struct Options {
    /// The county the site opens with; `None` keeps the site's.
    pub default_county: Option<String>,
    /// The day the start page is prerendered for (which year each county shows first).
    pub on: Date,
}

/// What was published.
#[derive(Debug)]
pub struct Published {
    /// `assets/policy-<hash>.json`.
    pub policy: String,
    pub version: String,
    /// The version did not change: the data and pages are what the site already had.
    pub unchanged: bool,
    /// The check of the policy directory, one line per file.
    pub report: Vec<String>,
    /// Every file written, relative to the site.
    pub written: Vec<String>,
    /// The profile the start page opens with.
    pub default_profile: String,
}

/// Why nothing was published.
#[derive(Debug)]
pub enum PublishError {
    /// The policy data has problems (the check's lines).
    Policy(Vec<String>),
    /// The site is not one the build made, or cannot be read.
    Site(String),
    /// A file could not be written; the site is as it was.
    Write(String),
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Policy(lines) => write!(f, "the policy data has problems; nothing was published:\n{}", lines.join("\n")),
            PublishError::Site(e) => write!(f, "{e}"),
            PublishError::Write(e) => write!(f, "{e}; the site was left as it was"),
        }
    }
}

pub fn publish(policy_dir: &Path, site: &Path, o: &Options) -> Result<Published, PublishError> {
    let mut manifest = Manifest::read(site).map_err(PublishError::Site)?;
    let checked = check_dir(policy_dir).map_err(PublishError::Site)?;
    if !checked.ok() {
        return Err(PublishError::Policy(checked.report));
    }
    let default_county = o.default_county.clone().unwrap_or_else(|| manifest.default_county.clone());
    let set = checked.policy_set(&default_county).map_err(|errs| PublishError::Policy(errs.iter().map(|e| e.to_string()).collect()))?;

    // The file exactly as the app will read it, read back here first.
    let policy_json = serde_json::to_string(&serde_json::json!({
        "format": set.format,
        "default_county": set.default_county,
        "profiles": checked.files.iter().map(|f| &f.json).collect::<Vec<_>>(),
    }))
    .map_err(|e| PublishError::Site(e.to_string()))?;
    PolicySet::parse_published(&policy_json).map_err(|errs| PublishError::Policy(errs.iter().map(|e| e.to_string()).collect()))?;
    let policy = format!("assets/{}", hashed_name("policy", "json", policy_json.as_bytes()));

    let start = start_page::render(&set, o.on).map_err(PublishError::Site)?;
    let templates = list_templates(site).map_err(PublishError::Site)?;
    let mut outputs: Vec<(String, Vec<u8>)> = vec![(policy.clone(), policy_json.into_bytes())];
    let mut versioned = String::new();
    for name in templates.iter().filter(|n| *n != SERVICE_WORKER) {
        let text = read_template(site, name)?;
        let filled = fill(
            &text,
            &[
                ("{{POLICY}}", &policy),
                ("{{DEFAULT_PROFILE}}", &start.default_profile),
                ("{{START_PAGE}}", &start.page),
                ("{{START_TEMPLATES}}", &start.templates),
                ("{{START_INDEX}}", &start.index),
            ],
        )
        .map_err(|p| PublishError::Site(format!("{PUBLISH_DIR}/{name}: unknown placeholder {p}")))?;
        versioned.push_str(&filled);
        outputs.push((name.clone(), filled.into_bytes()));
    }
    let mut precache = manifest.precache.clone();
    precache.push(policy.clone());
    let version = content_hash(format!("{precache:?}{versioned}").as_bytes());
    if templates.iter().any(|n| n == SERVICE_WORKER) {
        let list = serde_json::to_string(&precache).map_err(|e| PublishError::Site(e.to_string()))?;
        let text = read_template(site, SERVICE_WORKER)?;
        let filled = fill(&text, &[("{{VERSION}}", &version), ("{{PRECACHE}}", &list)])
            .map_err(|p| PublishError::Site(format!("{PUBLISH_DIR}/{SERVICE_WORKER}: unknown placeholder {p}")))?;
        outputs.push((SERVICE_WORKER.to_string(), filled.into_bytes()));
    }

    let unchanged = manifest.version.as_deref() == Some(version.as_str());
    if manifest.policy.as_deref() != Some(policy.as_str()) {
        manifest.previous_policy = manifest.policy.take();
    }
    manifest.policy = Some(policy.clone());
    manifest.default_county = default_county;
    manifest.version = Some(version.clone());
    outputs.push((format!("{PUBLISH_DIR}/{MANIFEST_FILE}"), manifest.to_json().into_bytes()));

    let written = write_all(site, &outputs).map_err(PublishError::Write)?;
    remove_stale_policy_files(site, &manifest);
    let default_profile = set.for_county_on(&set.default_county, o.on).map(|p| p.id.clone()).unwrap_or_default();
    Ok(Published { policy, version, unchanged, report: checked.report, written, default_profile })
}

/// The name of the site's published policy file (`assets/policy-<hash>.json`): `None` for a site with
/// no manifest (one the build did not make, or the benchmark's) or nothing published yet.
pub fn published_name(site: &Path) -> Result<Option<String>, String> {
    if !site.join(PUBLISH_DIR).join(MANIFEST_FILE).is_file() {
        return Ok(None);
    }
    Ok(Manifest::read(site)?.policy)
}

/// The site's published policy file, as the server reads it to check reports (see [`published_name`]).
pub fn published_policy(site: &Path) -> Result<Option<(String, PolicySet)>, String> {
    let Some(name) = published_name(site)? else { return Ok(None) };
    let text = std::fs::read_to_string(site.join(&name)).map_err(|e| format!("{name}: {e}"))?;
    let set =
        PolicySet::parse_published(&text).map_err(|errs| format!("{name}: {}", errs.first().map(|e| e.to_string()).unwrap_or_default()))?;
    Ok(Some((name, set)))
}

/// The templates in `publish/`, by name, the service worker last.
fn list_templates(site: &Path) -> Result<Vec<String>, String> {
    let dir = site.join(PUBLISH_DIR);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n != MANIFEST_FILE && !n.ends_with(&format!(".{STAGED}")))
        .collect();
    names.sort_by_key(|n| (n == SERVICE_WORKER, n.clone()));
    Ok(names)
}

fn read_template(site: &Path, name: &str) -> Result<String, PublishError> {
    let path = site.join(PUBLISH_DIR).join(name);
    std::fs::read_to_string(&path).map_err(|e| PublishError::Site(format!("{}: {e}", path.display())))
}

/// `text` with each placeholder replaced; `Err` names one left over.
fn fill(text: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = text.to_string();
    for (k, v) in values {
        out = out.replace(k, v);
    }
    match out.find("{{") {
        Some(i) => Err(out[i..].chars().take_while(|c| *c != '}').chain("}}".chars()).take(60).collect()),
        None => Ok(out),
    }
}

/// Writes every output with its compressed copies beside its place, then renames them all into
/// place (the service worker, listed last, last of all). On any failure, removes what it staged.
fn write_all(site: &Path, outputs: &[(String, Vec<u8>)]) -> Result<Vec<String>, String> {
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let result = (|| {
        for (name, bytes) in outputs {
            let path = site.join(name);
            let mut files = vec![(path.clone(), bytes.clone())];
            // The site's files get their compressed copies; the manifest in `publish/` is not served to phones.
            if is_compressible(&path) && !name.starts_with(PUBLISH_DIR) {
                files.insert(0, (with_suffix(&path, "gz"), gzip_bytes(bytes)));
                files.insert(0, (with_suffix(&path, "br"), brotli_bytes(bytes)));
            }
            for (dest, data) in files {
                let tmp = with_suffix(&dest, STAGED);
                std::fs::write(&tmp, &data).map_err(|e| format!("cannot write {}: {e}", tmp.display()))?;
                staged.push((tmp, dest));
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (tmp, _) in &staged {
            let _ = std::fs::remove_file(tmp);
        }
        return Err(e);
    }
    for (i, (tmp, dest)) in staged.iter().enumerate() {
        if let Err(e) = std::fs::rename(tmp, dest) {
            for (rest, _) in &staged[i..] {
                let _ = std::fs::remove_file(rest);
            }
            return Err(format!("cannot move {} into place: {e}", dest.display()));
        }
    }
    Ok(outputs.iter().map(|(n, _)| n.clone()).collect())
}

/// Policy files neither now published nor the one before.
fn remove_stale_policy_files(site: &Path, m: &Manifest) {
    let keep: Vec<&str> = [m.policy.as_deref(), m.previous_policy.as_deref()].into_iter().flatten().collect();
    let Ok(entries) = std::fs::read_dir(site.join("assets")) else { return };
    for e in entries.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().to_string();
        let base = name.trim_end_matches(".br").trim_end_matches(".gz");
        if base.starts_with("policy-") && base.ends_with(".json") && !keep.iter().any(|k| k.strip_prefix("assets/") == Some(base)) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
