//! The profiles of `policy-data/` built into a native program (feature `embedded`: the CLI, the
//! server's fallback, the tests). The app has none built in: it installs its site's published file.

use std::sync::OnceLock;

use super::{DEFAULT_COUNTY, POLICY_FORMAT, PolicySet, Profile, parse_profile_json};

mod files {
    include!(concat!(env!("OUT_DIR"), "/embedded_profiles.rs"));
}

/// The built-in set, parsed once. Invalid profiles are left out (a test proves none are).
pub(super) fn set() -> &'static PolicySet {
    static SET: OnceLock<PolicySet> = OnceLock::new();
    SET.get_or_init(|| PolicySet {
        format: POLICY_FORMAT.to_string(),
        default_county: DEFAULT_COUNTY.to_string(),
        profiles: files::EMBEDDED.iter().filter_map(|(_, json)| parse_profile_json(json).ok()).collect(),
    })
}

/// The built-in profiles.
pub fn embedded_profiles() -> &'static [Profile] {
    &set().profiles
}

/// The built-in profile files as JSON: (file name, JSON text).
pub fn embedded_profile_sources() -> &'static [(&'static str, &'static str)] {
    files::EMBEDDED
}

/// The built-in Yong'an 2023 profile ([`super::DEFAULT_PROFILE_ID`]), which tests are written against.
pub fn default_profile() -> Option<&'static Profile> {
    embedded_profiles().iter().find(|p| p.id == super::DEFAULT_PROFILE_ID)
}
