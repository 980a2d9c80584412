//! A program installs its profiles once (the app, from its site's published file): a second set
//! (another widget on the page bringing the same file) is refused and the first stays.

use fangpin_core::policy::{self, DEFAULT_COUNTY, PolicySet};

#[test]
fn the_first_installed_set_is_the_programs_and_a_second_is_refused() {
    // Before any install, the built-in profiles (this test binary has the `embedded` feature).
    assert_eq!(policy::installed().profiles.len(), policy::embedded_profiles().len());
    let dehua: Vec<_> = policy::embedded_profiles().iter().filter(|p| p.id == "dehua-2024").cloned().collect();
    let first = PolicySet::new(dehua, "350526").expect("valid");
    let installed = policy::install(first.clone()).expect("the first install");
    assert_eq!(installed, &first);
    let second = PolicySet::new(policy::embedded_profiles().to_vec(), DEFAULT_COUNTY).unwrap();
    let refused = policy::install(second.clone()).expect_err("a second install");
    assert_eq!(refused, second, "the refused set comes back");
    assert_eq!(policy::installed(), &first);
    assert!(policy::profile("yongan-2023").is_none() && policy::profile("dehua-2024").is_some());
}
