//! Which profiles the receiver checks reports against: the policy file published into the site it
//! serves (`fangpin publish-policy`), so that a report made with a new year's profile is understood
//! the moment the phones have it, with no restart. The site's manifest is read on each report (a few
//! hundred bytes) and the policy file again only when the manifest names another.

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
    /// The file last read, by name.
    current: Mutex<Option<(String, Arc<PolicySet>)>>,
}

impl Policies {
    pub(crate) fn new(source: PolicySource) -> Policies {
        Policies { source, current: Mutex::new(None) }
    }

    /// The profiles now in force for reports. A published file that cannot be read (a half-copied
    /// site) keeps the one read before, or the built-in profiles, and says so in the log.
    pub(crate) fn now(&self) -> Arc<PolicySet> {
        let PolicySource::Site(site) = &self.source else { return built_in() };
        let mut current = self.current.lock().unwrap_or_else(|e| e.into_inner());
        match fangpin_site::publish::published_name(site) {
            Ok(None) => built_in(),
            Ok(Some(name)) if current.as_ref().is_some_and(|(n, _)| *n == name) => {
                current.as_ref().map(|(_, s)| s.clone()).unwrap_or_else(built_in)
            }
            Ok(Some(_)) => match fangpin_site::published_policy(site) {
                Ok(Some((name, set))) => {
                    eprintln!("fangpin-server: checking reports against {name} ({} profiles)", set.profiles.len());
                    let set = Arc::new(set);
                    *current = Some((name, set.clone()));
                    set
                }
                Ok(None) => built_in(),
                Err(e) => kept(&current, &e),
            },
            Err(e) => kept(&current, &e),
        }
    }
}

fn kept(current: &Option<(String, Arc<PolicySet>)>, problem: &str) -> Arc<PolicySet> {
    eprintln!("fangpin-server: the site's policy file cannot be read ({problem}); keeping the profiles read before");
    current.as_ref().map(|(_, s)| s.clone()).unwrap_or_else(built_in)
}

fn built_in() -> Arc<PolicySet> {
    static SET: std::sync::OnceLock<Arc<PolicySet>> = std::sync::OnceLock::new();
    SET.get_or_init(|| Arc::new(policy::installed().clone())).clone()
}
