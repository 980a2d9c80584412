//! Which profiles the receiver checks reports against: the policy published into the site it serves
//! (`fangpin publish-policy`), so that a report made with a new year's profile is understood the moment
//! phones have it, with no restart. The site's manifest is read on each report (a few hundred bytes),
//! a policy file only when the manifest names one not read yet. A report that names a profile the
//! current file no longer has (made offline before a publish that dropped it) is checked against the
//! earlier files the site keeps.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use fangpin_core::policy::{self, PolicySet};

/// Where the profiles come from.
#[derive(Debug, Clone, Default)]
pub enum PolicySource {
    /// The profiles built into this binary.
    #[default]
    BuiltIn,
    /// The policy published into this site; the built-in profiles while it has none.
    Site(PathBuf),
}

pub(crate) struct Policies {
    source: PolicySource,
    /// The files read so far, by name (a name is a content hash: a file never changes).
    read: Mutex<HashMap<String, Arc<PolicySet>>>,
}

impl Policies {
    pub(crate) fn new(source: PolicySource) -> Policies {
        Policies { source, read: Mutex::new(HashMap::new()) }
    }

    /// The set to check a report naming profile `id` against: the site's current file, or the newest
    /// earlier one that has `id`. Blocking file reads: call from a blocking task.
    pub(crate) fn with_profile(&self, id: &str) -> Option<Arc<PolicySet>> {
        let PolicySource::Site(site) = &self.source else { return in_set(built_in(), id) };
        let manifest = match fangpin_site::publish::site_manifest(site) {
            Ok(Some(m)) if m.policy.is_some() => m,
            Ok(_) => return in_set(built_in(), id),
            Err(e) => {
                crate::log_line!("fangpin-server: the site's manifest cannot be read ({e}); checking against the files read before");
                let read = self.read.lock().unwrap_or_else(|e| e.into_inner());
                return read.values().find_map(|s| in_set(s.clone(), id)).or_else(|| in_set(built_in(), id));
            }
        };
        // Newest first.
        let names: Vec<&str> = manifest.all_policies().collect();
        names.iter().rev().find_map(|name| self.file(site, name).and_then(|set| in_set(set, id)))
    }

    fn file(&self, site: &std::path::Path, name: &str) -> Option<Arc<PolicySet>> {
        if let Some(set) = self.read.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return Some(set.clone());
        }
        // Read without holding the lock; two reports reading the same new file at once both parse it.
        match fangpin_site::publish::read_policy(site, name) {
            Ok(set) => {
                crate::log_line!("fangpin-server: checking reports against {name} ({} profiles)", set.profiles.len());
                let set = Arc::new(set);
                self.read.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), set.clone());
                Some(set)
            }
            Err(e) => {
                crate::log_line!("fangpin-server: the site's policy file cannot be read ({e}); trying the earlier ones");
                None
            }
        }
    }
}

/// The set, when it has the profile.
fn in_set(set: Arc<PolicySet>, id: &str) -> Option<Arc<PolicySet>> {
    set.profile(id).is_some().then_some(set)
}

fn built_in() -> Arc<PolicySet> {
    static SET: std::sync::OnceLock<Arc<PolicySet>> = std::sync::OnceLock::new();
    SET.get_or_init(|| Arc::new(policy::installed().clone())).clone()
}
