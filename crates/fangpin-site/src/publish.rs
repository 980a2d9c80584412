//! `fangpin publish-policy POLICY_DIR SITE_DIR`: puts a city's policy data into a built site, with no
//! Rust toolchain. It checks the data, writes the site's policy file (`assets/policy-<hash>.bin`), fills
//! the pages that show policy (the prerendered start page, the widget loader) from the templates the
//! build left in `publish/`, and writes a service worker with a new version, so that phones pick the
//! new figures up on their next online visit. `cargo xtask build-site` ends with the same step.
//!
//! Nothing in the site changes unless everything could be written: every file is first written beside
//! its place and only then renamed into it, the manifest and then the service worker last. Every
//! policy file ever published stays in the site: a phone that was offline for several publishes
//! still has pages that name an old one, and the receiver may get reports made with it.
//!
//! Messages are for a city's web team: Chinese, then English.

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
    /// The policy file now published (`assets/policy-<hash>.bin`).
    #[serde(default)]
    pub policy: Option<String>,
    /// Every policy file published before it, oldest first (all still in the site).
    #[serde(default)]
    pub earlier_policies: Vec<String>,
    /// The service worker's version now.
    #[serde(default)]
    pub version: Option<String>,
    /// The policy file format the site's app reads (`fangpin_core::policy::POLICY_FORMAT` of the
    /// build): a `fangpin` of another version refuses to publish into it.
    #[serde(default)]
    pub policy_format: Option<String>,
    /// The one-click receiver the site's pages send to by default: a path on the site's own origin
    /// (`fangpin-server`'s is [`OWN_RECEIVER`]), or none (a static host: the profile's channels).
    #[serde(default)]
    pub receiver: Option<String>,
    /// The site's public address, which the 明白纸's 一码通 opens (`--site-url`), or none.
    #[serde(default)]
    pub site_url: Option<String>,
    /// Worker mode's module (paths in the site): not precached for everyone, but carried into each
    /// new version's cache on a phone that used worker mode.
    #[serde(default)]
    pub worker_precache: Vec<String>,
}

/// Where `fangpin-server` receives one-click reports, on the site's own origin.
pub const OWN_RECEIVER: &str = "/api/v1/reports";

/// A setting of the site a publish changes, keeps (the default), or turns off: the one-click
/// receiver its pages use (`--receiver`), the address its 明白纸's 一码通 opens (`--site-url`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Setting {
    /// As the site has it.
    #[default]
    Keep,
    At(String),
    /// None: the pages offer the profile's channels only; the sheets have no code and say why.
    Off,
}

/// The one-click receiver a publish gives the site's pages.
pub type Receiver = Setting;
/// The site's public address a publish gives the 明白纸's 一码通.
pub type SiteUrl = Setting;

impl Setting {
    /// `off`, or a value `ok` accepts; else `refused` (Chinese, English) with the value typed.
    fn parse_with(s: &str, ok: impl Fn(&str) -> bool, refused: impl Fn(&str) -> (String, String)) -> Result<Setting, String> {
        let s = s.trim();
        match s {
            "off" => Ok(Setting::Off),
            s if s.len() <= 200 && ok(s) => Ok(Setting::At(s.to_string())),
            s => {
                let (zh, en) = refused(s);
                Err(bi(zh, en))
            }
        }
    }

    /// `--receiver PATH|off` as typed: a path on the site's own origin (never another origin: a page
    /// must not send people's applications anywhere a publisher's typo points to).
    pub fn receiver(s: &str) -> Result<Setting, String> {
        Setting::parse_with(
            s,
            |s| s.starts_with('/') && !s.starts_with("//") && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"/-_.~".contains(&b)),
            |s| {
                (
                    format!("--receiver 要写本网站上的路径（例如 {OWN_RECEIVER}），或 off；“{s}”不行。"),
                    format!("--receiver takes a path on this site (e.g. {OWN_RECEIVER}) or off, not “{s}”"),
                )
            },
        )
    }

    /// `--site-url URL|off` as typed: an http(s) address people can type from the paper too.
    pub fn site_url(s: &str) -> Result<Setting, String> {
        Setting::parse_with(
            s,
            |s| {
                let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
                rest.is_some_and(|r| !r.is_empty() && !r.starts_with('/'))
                    && s.bytes().all(|b| b.is_ascii_graphic() && !b"\"'<>\\`".contains(&b))
            },
            |s| {
                (
                    format!("--site-url 要写网站的完整网址（例如 https://www.ya.gov.cn/fangpin/），或 off；“{s}”不行。"),
                    format!("--site-url takes the site's full address (e.g. https://www.ya.gov.cn/fangpin/) or off, not “{s}”"),
                )
            },
        )
    }

    /// The manifest's value after this publish.
    fn apply(&self, value: &mut Option<String>) {
        match self {
            Setting::Keep => {}
            Setting::At(v) => *value = Some(v.clone()),
            Setting::Off => *value = None,
        }
    }
}

impl Manifest {
    pub fn new(precache: Vec<String>, default_county: &str) -> Manifest {
        Manifest {
            format: SITE_FORMAT.to_string(),
            precache,
            default_county: default_county.to_string(),
            policy: None,
            earlier_policies: Vec::new(),
            version: None,
            policy_format: Some(fangpin_core::policy::POLICY_FORMAT.to_string()),
            receiver: None,
            site_url: None,
            worker_precache: Vec::new(),
        }
    }

    pub fn read(site: &Path) -> Result<Manifest, String> {
        let path = site.join(PUBLISH_DIR).join(MANIFEST_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            bi(
                format!("读不到 {}（{e}）。{} 是自测工具的网站目录吗？", path.display(), site.display()),
                format!("cannot read {}: {e} (is {} the self-check's site directory?)", path.display(), site.display()),
            )
        })?;
        let m: Manifest = serde_json::from_str(&text)
            .map_err(|e| bi(format!("{} 格式有误：{e}", path.display()), format!("{} does not parse: {e}", path.display())))?;
        if m.format != SITE_FORMAT {
            return Err(bi(
                format!("{} 的格式“{}”不认识（应为 {SITE_FORMAT}）。", path.display(), m.format),
                format!("{}: unknown format `{}` (expected {SITE_FORMAT})", path.display(), m.format),
            ));
        }
        Ok(m)
    }

    /// Writes it into `site/publish/` (the build does, before the first publish).
    pub fn write(&self, site: &Path) -> Result<(), String> {
        let dir = site.join(PUBLISH_DIR);
        let fail = |e: std::io::Error| bi(format!("写不了 {}：{e}", dir.display()), format!("cannot write {}: {e}", dir.display()));
        std::fs::create_dir_all(&dir).map_err(fail)?;
        std::fs::write(dir.join(MANIFEST_FILE), self.to_json()).map_err(fail)
    }

    /// Every policy file published, the current last.
    pub fn all_policies(&self) -> impl Iterator<Item = &str> {
        self.earlier_policies.iter().map(String::as_str).chain(self.policy.as_deref())
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
    /// The one-click receiver of the site's pages.
    pub receiver: Receiver,
    /// The address the 明白纸's 一码通 opens.
    pub site_url: SiteUrl,
}

/// What was published.
#[derive(Debug)]
pub struct Published {
    /// `assets/policy-<hash>.bin`.
    pub policy: String,
    pub version: String,
    /// The version did not change: the data and pages are what the site already had.
    pub unchanged: bool,
    /// The check of the policy directory, one line per file.
    pub report: Vec<String>,
    /// Every file written, relative to the site (without the compressed copies).
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
            PublishError::Policy(lines) => write!(
                f,
                "{}\n{}",
                bi("政策数据有问题，什么都没有发布：".into(), "the policy data has problems; nothing was published:".into()),
                lines.join("\n")
            ),
            PublishError::Site(e) | PublishError::Write(e) => write!(f, "{e}"),
        }
    }
}

/// A message in Chinese, then English.
pub(crate) fn bi(zh: String, en: String) -> String {
    format!("{zh} / {en}")
}

pub fn publish(policy_dir: &Path, site: &Path, o: &Options) -> Result<Published, PublishError> {
    let mut manifest = Manifest::read(site).map_err(PublishError::Site)?;
    // The app in the site reads one format of policy file: this program must write that one.
    let ours = fangpin_core::policy::POLICY_FORMAT;
    if let Some(theirs) = manifest.policy_format.as_deref().filter(|f| *f != ours) {
        return Err(PublishError::Site(bi(
            format!("这个站点的自测工具读“{theirs}”格式的政策文件，这个 fangpin 写的是“{ours}”：请用和站点同一版本的 fangpin 发布。"),
            format!(
                "the site's app reads policy files in format {theirs}, this fangpin writes {ours}: publish with the fangpin of the site's version"
            ),
        )));
    }
    let checked = check_dir(policy_dir).map_err(PublishError::Site)?;
    if !checked.ok() {
        return Err(PublishError::Policy(checked.report));
    }
    let default_county = o.default_county.clone().unwrap_or_else(|| manifest.default_county.clone());
    let set = checked.policy_set(&default_county).map_err(|errs| {
        let mut lines: Vec<String> = errs.iter().map(crate::policy_dir::line).collect();
        if errs.iter().any(|e| e.path == "default_county") {
            lines.push(bi(
                "要换成别的县（市），请加上 --default-county 县级代码。".into(),
                "to open with another county, add --default-county CODE.".into(),
            ));
        }
        PublishError::Policy(lines)
    })?;

    // The file exactly as the app will read it, read back here first.
    let policy_bytes = set.to_published().map_err(PublishError::Site)?;
    let read_back = PolicySet::parse_published(&policy_bytes)
        .map_err(|errs| PublishError::Policy(errs.iter().map(crate::policy_dir::line).collect()))?;
    if read_back != set {
        return Err(PublishError::Site("the policy file does not read back as written".into()));
    }
    let policy = format!("assets/{}", hashed_name("policy", "bin", &policy_bytes));

    o.receiver.apply(&mut manifest.receiver);
    o.site_url.apply(&mut manifest.site_url);
    let receiver = manifest.receiver.clone().unwrap_or_default();
    let start = start_page::render(&set, o.on).map_err(PublishError::Site)?;
    let templates = list_templates(site).map_err(PublishError::Site)?;
    let mut outputs: Vec<(String, Vec<u8>)> = vec![(policy.clone(), policy_bytes)];
    let mut versioned = String::new();
    for name in templates.iter().filter(|n| *n != SERVICE_WORKER) {
        let text = read_template(site, name)?;
        let filled = fill(
            &text,
            &[
                ("POLICY", &policy),
                ("DEFAULT_PROFILE", &start.default_profile),
                ("START_PAGE", &start.page),
                ("START_TEMPLATES", &start.templates),
                ("START_INDEX", &start.index),
                ("RECEIVER", &receiver),
            ],
        )
        .map_err(|p| unknown_placeholder(name, &p))?;
        versioned.push_str(&filled);
        outputs.push((name.clone(), filled.into_bytes()));
    }
    // The 明白纸, printable pages of their own (sheets.rs), with the site's stylesheet.
    let css = manifest.precache.iter().find(|f| f.starts_with("assets/app-") && f.ends_with(".css")).cloned();
    for (name, page) in crate::sheets::render(&set, css.as_deref(), manifest.site_url.as_deref()) {
        outputs.push((name, page.into_bytes()));
    }
    let mut precache = manifest.precache.clone();
    precache.push(policy.clone());
    let version = content_hash(format!("{precache:?}{:?}{versioned}", manifest.worker_precache).as_bytes());
    if templates.iter().any(|n| n == SERVICE_WORKER) {
        let list = serde_json::to_string(&precache).map_err(|e| PublishError::Site(e.to_string()))?;
        let text = read_template(site, SERVICE_WORKER)?;
        let worker = serde_json::to_string(&manifest.worker_precache).map_err(|e| PublishError::Site(e.to_string()))?;
        let filled = fill(&text, &[("VERSION", &version), ("PRECACHE", &list), ("WORKER_PRECACHE", &worker)])
            .map_err(|p| unknown_placeholder(SERVICE_WORKER, &p))?;
        // The manifest before the service worker: once phones see the new worker, the manifest (which
        // the receiver reads) already names the new file.
        outputs.push((format!("{PUBLISH_DIR}/{MANIFEST_FILE}"), Vec::new()));
        outputs.push((SERVICE_WORKER.to_string(), filled.into_bytes()));
    } else {
        outputs.push((format!("{PUBLISH_DIR}/{MANIFEST_FILE}"), Vec::new()));
    }

    let unchanged = manifest.version.as_deref() == Some(version.as_str());
    if let Some(old) = manifest.policy.take().filter(|old| *old != policy) {
        manifest.earlier_policies.retain(|p| *p != old && *p != policy);
        manifest.earlier_policies.push(old);
    }
    manifest.policy = Some(policy.clone());
    manifest.default_county = default_county;
    manifest.version = Some(version.clone());
    let manifest_name = format!("{PUBLISH_DIR}/{MANIFEST_FILE}");
    for (name, bytes) in outputs.iter_mut() {
        if *name == manifest_name {
            *bytes = manifest.to_json().into_bytes();
        }
    }

    let written = write_all(site, &outputs).map_err(PublishError::Write)?;
    let default_profile = set.for_county_on(&set.default_county, o.on).map(|p| p.id.clone()).unwrap_or_default();
    Ok(Published { policy, version, unchanged, report: checked.report, written, default_profile })
}

/// The site's manifest, as the receiver reads it: `None` for a site the build did not make (or the
/// benchmark's).
pub fn site_manifest(site: &Path) -> Result<Option<Manifest>, String> {
    if !site.join(PUBLISH_DIR).join(MANIFEST_FILE).is_file() {
        return Ok(None);
    }
    Manifest::read(site).map(Some)
}

/// One published policy file of the site (a name from its manifest), read and checked.
pub fn read_policy(site: &Path, name: &str) -> Result<PolicySet, String> {
    let bytes = std::fs::read(site.join(name)).map_err(|e| format!("{name}: {e}"))?;
    PolicySet::read_published(&bytes).map_err(|errs| format!("{name}: {}", errs.first().map(|e| e.to_string()).unwrap_or_default()))
}

/// The site's current policy file, read and checked: `None` when the site has none.
pub fn published_policy(site: &Path) -> Result<Option<(String, PolicySet)>, String> {
    let Some(name) = site_manifest(site)?.and_then(|m| m.policy) else { return Ok(None) };
    read_policy(site, &name).map(|set| Some((name, set)))
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
    std::fs::read_to_string(&path)
        .map_err(|e| PublishError::Site(bi(format!("读不到 {}：{e}", path.display()), format!("cannot read {}: {e}", path.display()))))
}

fn unknown_placeholder(template: &str, p: &str) -> PublishError {
    PublishError::Site(bi(
        format!("{PUBLISH_DIR}/{template} 里有不认识的占位符 {p}（这个网站和这个 fangpin 程序不是同一个版本？）。"),
        format!("{PUBLISH_DIR}/{template} has an unknown placeholder {p} (are the site and this fangpin binary of different versions?)"),
    ))
}

/// `template` with each `{{NAME}}` replaced by its value, in one pass (a value is never searched for
/// placeholders, so policy text with braces in it goes in as it is). `Err` names a placeholder the
/// template has that `values` does not.
fn fill(template: &str, values: &[(&str, &str)]) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { return Err(after.chars().take(40).collect()) };
        let name = &after[..end];
        let value = values.iter().find(|(k, _)| *k == name).ok_or_else(|| format!("{{{{{name}}}}}"))?;
        out.push_str(value.1);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    Ok(out)
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
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir).map_err(|e| {
                    bi(
                        format!("建不了 {}：{e}。网站没有改动。", dir.display()),
                        format!("cannot create {}: {e}; the site was left as it was", dir.display()),
                    )
                })?;
            }
            for (dest, data) in files {
                let tmp = with_suffix(&dest, STAGED);
                // Listed before it is written, so that a write that fails half-way is removed too.
                staged.push((tmp.clone(), dest));
                std::fs::write(&tmp, &data).map_err(|e| {
                    bi(
                        format!("写不了 {}：{e}。网站没有改动。", tmp.display()),
                        format!("cannot write {}: {e}; the site was left as it was", tmp.display()),
                    )
                })?;
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
            return Err(bi(
                format!("{} 没能放到位（{e}）。之前的文件已经换成新的，请修好后再发布一次。", dest.display()),
                format!(
                    "cannot move {} into place: {e}; the files before it were already replaced, so publish again once this is fixed",
                    dest.display()
                ),
            ));
        }
    }
    Ok(outputs.iter().map(|(n, _)| n.clone()).collect())
}
