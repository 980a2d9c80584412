//! A city's `policy-data/` directory: every profile file parsed strictly and validated, the set
//! checked together (no two profiles of one county in force at once), and every copy a source says
//! the project holds (`held_copy`, relative to the directory) present. `fangpin check-policy` prints
//! what this finds; `fangpin publish-policy` publishes nothing unless it finds no problem.

use std::path::{Path, PathBuf};

use fangpin_core::policy::{self, PolicyError, PolicySet, Profile};

use crate::publish::bi;

/// A policy problem as a line for a city's web team: where, then Chinese, then English.
pub fn line(e: &PolicyError) -> String {
    let what = bi(e.message.zh.to_string(), e.message.en.to_string());
    if e.path.is_empty() { what } else { format!("{}: {what}", e.path) }
}

/// One valid profile file.
pub struct PolicyFile {
    pub path: PathBuf,
    /// The file as the generic JSON that is published (TOML files converted).
    pub json: serde_json::Value,
    pub profile: Profile,
}

/// What checking a directory found.
pub struct Checked {
    pub dir: PathBuf,
    /// The valid profiles, in file-name order.
    pub files: Vec<PolicyFile>,
    /// One line per file or problem, as printed.
    pub report: Vec<String>,
    pub problems: usize,
}

impl Checked {
    /// No problem, and at least one profile.
    pub fn ok(&self) -> bool {
        self.problems == 0 && !self.files.is_empty()
    }

    pub fn profiles(&self) -> Vec<Profile> {
        self.files.iter().map(|f| f.profile.clone()).collect()
    }

    /// The profiles as one set opening with `default_county`.
    pub fn policy_set(&self, default_county: &str) -> Result<PolicySet, Vec<PolicyError>> {
        PolicySet::new(self.profiles(), default_county)
    }
}

/// Reads and checks every `*.toml` and `*.json` in `dir`. `Err` only when the directory cannot be read.
pub fn check_dir(dir: &Path) -> Result<Checked, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml" || x == "json"))
        .collect();
    entries.sort();
    let mut c = Checked { dir: dir.to_path_buf(), files: Vec::new(), report: Vec::new(), problems: 0 };
    if entries.is_empty() {
        c.report.push(format!("{}: {}", dir.display(), bi("没有 .toml 或 .json 政策档案。".into(), "no .toml or .json profiles".into())));
        c.problems += 1;
        return Ok(c);
    }
    for path in entries {
        let name = path.display().to_string();
        match read_profile(&path) {
            Ok((json, p)) => {
                let mut errs: Vec<String> = p.validate().iter().map(line).collect();
                for (i, s) in p.sources.iter().enumerate() {
                    if let Some(copy) = s.held_copy.as_deref().filter(|c| !c.trim().is_empty())
                        && !dir.join(copy).is_file()
                    {
                        errs.push(format!(
                            "sources[{i}].held_copy: {}",
                            bi(
                                format!("{} 里没有 {copy}（这个来源说我们存有这份文件）。", dir.display()),
                                format!("{copy} is not in {} (the copy the source says we hold)", dir.display())
                            )
                        ));
                    }
                }
                if errs.is_empty() {
                    c.report.push(format!("{name}: {}", bi(format!("没有问题（{}）", p.id), format!("ok ({})", p.id))));
                    c.files.push(PolicyFile { path, json, profile: p });
                } else {
                    c.problems += errs.len();
                    c.report.extend(errs.into_iter().map(|e| format!("{name}: {e}")));
                }
            }
            Err(e) => {
                c.report.push(format!("{name}: {e}"));
                c.problems += 1;
            }
        }
    }
    for e in policy::validate_profile_set(&c.profiles()) {
        c.report.push(format!("{}: {}", dir.display(), line(&e)));
        c.problems += 1;
    }
    Ok(c)
}

/// A profile file as generic JSON and as a parsed (not yet validated) profile.
fn read_profile(path: &Path) -> Result<(serde_json::Value, Profile), String> {
    let bytes = std::fs::read(path).map_err(|e| bi(format!("读不了这个文件：{e}"), format!("cannot read: {e}")))?;
    let text = String::from_utf8(bytes).map_err(|_| {
        bi(
            "文件不是 UTF-8 编码（是不是用 GBK/ANSI 另存的？）。请在编辑器里选“UTF-8”编码另存后再试。".into(),
            "the file is not UTF-8 (saved as GBK/ANSI?). Please save it again with the UTF-8 encoding.".into(),
        )
    })?;
    if text.trim_start_matches('\u{feff}').trim().is_empty() {
        return Err(bi("文件是空的。".into(), "the file is empty.".into()));
    }
    let toml = path.extension().is_some_and(|x| x == "toml");
    let json = if toml {
        policy::profile_json_from_toml(&text).map_err(|e| line(&e))?
    } else {
        serde_json::from_str(&text).map_err(|e| bi(format!("JSON 格式有误：{e}"), format!("not valid JSON: {e}")))?
    };
    let profile = policy::shape::profile_from_value(json.clone(), toml.then_some(text.as_str())).map_err(|e| line(&e))?;
    Ok((json, profile))
}
