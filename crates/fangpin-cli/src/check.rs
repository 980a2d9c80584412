//! `fangpin check-policy DIR`: every profile file in a directory parsed strictly and validated, the
//! set checked together (no two profiles of one county in force at once), and every copy a source
//! says the project holds (`held_copy`, relative to DIR) present. `publish-policy` runs the same.

use std::path::{Path, PathBuf};

use fangpin_core::policy::{self, Profile};

/// What checking a directory found.
pub struct Checked {
    /// The valid profiles, by file.
    pub profiles: Vec<(PathBuf, Profile)>,
    /// One line per file or problem, as printed.
    pub report: Vec<String>,
    pub problems: usize,
}

impl Checked {
    pub fn ok(&self) -> bool {
        self.problems == 0 && !self.profiles.is_empty()
    }
}

pub fn check_dir(dir: &Path) -> Result<Checked, String> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml" || x == "json"))
        .collect();
    entries.sort();
    let mut c = Checked { profiles: Vec::new(), report: Vec::new(), problems: 0 };
    if entries.is_empty() {
        c.report.push(format!("{}: no .toml or .json profiles", dir.display()));
        c.problems += 1;
        return Ok(c);
    }
    for path in entries {
        let name = path.display().to_string();
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                c.report.push(format!("{name}: cannot read: {e}"));
                c.problems += 1;
                continue;
            }
        };
        let parsed = if path.extension().is_some_and(|x| x == "toml") {
            policy::parse_profile_toml(&text)
        } else {
            policy::parse_profile_json(&text)
        };
        let p = match parsed {
            Ok(p) => p,
            Err(e) => {
                c.report.push(format!("{name}: {e}"));
                c.problems += 1;
                continue;
            }
        };
        let mut errs: Vec<String> = p.validate().iter().map(|e| e.to_string()).collect();
        for (i, s) in p.sources.iter().enumerate() {
            if let Some(copy) = s.held_copy.as_deref().filter(|c| !c.trim().is_empty())
                && !dir.join(copy).is_file()
            {
                errs.push(format!("sources[{i}].held_copy: {copy} is not in {} (the copy the source says we hold)", dir.display()));
            }
        }
        if errs.is_empty() {
            c.report.push(format!("{name}: ok ({})", p.id));
            c.profiles.push((path, p));
        } else {
            c.problems += errs.len();
            c.report.extend(errs.into_iter().map(|e| format!("{name}: {e}")));
        }
    }
    let all: Vec<Profile> = c.profiles.iter().map(|(_, p)| p.clone()).collect();
    for e in policy::validate_profile_set(&all) {
        c.report.push(format!("{}: {e}", dir.display()));
        c.problems += 1;
    }
    Ok(c)
}
