use fangpin_core::policy::{self, DEFAULT_PROFILE_ID};

#[test]
fn every_embedded_profile_parses_and_validates() {
    let files = policy::embedded_profile_sources();
    assert!(files.len() >= 3, "expected the shipped profiles, found {}", files.len());
    let mut problems = Vec::new();
    for (name, json) in files {
        match policy::parse_profile_json(json) {
            Err(e) => problems.push(format!("{name}: {e}")),
            Ok(p) => problems.extend(p.validate().into_iter().map(|e| format!("{name}: {e}"))),
        }
    }
    problems.extend(policy::validate_profile_set(policy::embedded_profiles()).into_iter().map(|e| e.to_string()));
    assert!(problems.is_empty(), "policy data problems:\n{}", problems.join("\n"));
    assert_eq!(policy::embedded_profiles().len(), files.len());
    assert!(policy::profile(DEFAULT_PROFILE_ID).is_some());
}
