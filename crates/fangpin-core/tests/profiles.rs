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

/// Every text of a profile is read by villagers (a provisional value's reason is in the 为什么
/// panels): none cites the project's own notes, which live in the files' comments.
#[test]
fn no_text_a_villager_reads_cites_the_projects_own_notes() {
    for (name, json) in policy::embedded_profile_sources() {
        for note in ["POLICY-FACTS", "GLOSSARY", "docs/"] {
            assert!(!json.contains(note), "{name} shows {note} to villagers");
        }
    }
}

// --- A site's set of profiles: which one applies, and what a published file must be ----------------

use fangpin_core::Date;
use fangpin_core::policy::{DEFAULT_COUNTY, PolicySet, Profile};

fn day(s: &str) -> Date {
    Date::parse(s).expect("date")
}

/// The shipped profiles plus a Yong'an profile for 2026 (as a city would publish one).
fn with_2026() -> PolicySet {
    let mut next: Profile = policy::default_profile().expect("yongan-2023").clone();
    next.id = "yongan-2026".into();
    next.year = 2026;
    next.effective_from = day("2026-01-01");
    next.effective_to = day("2026-12-31");
    let mut all = policy::embedded_profiles().to_vec();
    all.push(next);
    PolicySet::new(all, DEFAULT_COUNTY).expect("a valid set")
}

#[test]
fn the_date_picks_the_year_of_the_chosen_county() {
    let set = with_2026();
    let id = |p: Option<&Profile>| p.map(|p| p.id.clone()).unwrap_or_default();
    // A draft that named last year's profile is assessed on this year's once it is published.
    assert_eq!(id(set.resolve("yongan-2023", day("2026-12-01"))), "yongan-2026");
    assert_eq!(id(set.resolve("yongan-2023", day("2023-06-01"))), "yongan-2023");
    // Between two years: the latest that had started.
    assert_eq!(id(set.resolve("yongan-2026", day("2025-03-01"))), "yongan-2023");
    // Another county keeps its own; an id the set does not have opens the default county.
    assert_eq!(id(set.resolve("dehua-2024", day("2026-12-01"))), "dehua-2024");
    assert_eq!(id(set.resolve("", day("2026-12-01"))), "yongan-2026");
    assert_eq!(id(set.resolve("nowhere-2030", day("2023-06-01"))), "yongan-2023");
}

#[test]
fn a_picker_offers_one_profile_per_county_the_default_county_first() {
    let set = with_2026();
    let offered: Vec<String> = set.offered_on(day("2026-12-01")).iter().map(|p| p.id.clone()).collect();
    assert_eq!(offered.len(), 3, "{offered:?}");
    assert_eq!(offered[0], "yongan-2026");
    assert!(offered.contains(&"dehua-2024".to_string()) && offered.contains(&"minhou-2023".to_string()));
    let summaries = set.offered_summaries(day("2026-12-01"));
    assert!(summaries[0].is_default && summaries[1..].iter().all(|s| !s.is_default));
    assert_eq!(summaries[0].county_code, DEFAULT_COUNTY);
}

#[test]
fn a_published_file_is_read_back_strictly_and_checked_as_a_set() {
    let set = with_2026();
    let bytes = set.to_published().expect("writes");
    assert_eq!(PolicySet::parse_published(&bytes).expect("reads back"), set);
    // Smaller than the JSON of the same set (what the phone downloads).
    assert!(bytes.len() < serde_json::to_vec(&set).unwrap().len(), "{}", bytes.len());

    // Every check of the set applies to the file as read: a set changed after writing, written again.
    let changed = |f: &dyn Fn(&mut PolicySet)| {
        let mut s = set.clone();
        f(&mut s);
        PolicySet::parse_published(&s.to_published().unwrap()).unwrap_err()
    };
    let errs = changed(&|s| s.format = "fangpin.policy/9".into());
    assert!(errs.iter().any(|e| e.path == "format"), "{errs:?}");
    let errs = changed(&|s| s.default_county = "999999".into());
    assert!(errs.iter().any(|e| e.path == "default_county"), "{errs:?}");
    // Two Yong'an profiles in force at once.
    let last = set.profiles.len() - 1;
    assert!(!changed(&|s| s.profiles[last].effective_from = day("2023-06-01")).is_empty());
    // An invalid profile names itself.
    let errs = changed(&|s| s.profiles[last].monitoring_range.amount = fangpin_core::money::Money::yuan(-1));
    assert!(errs.iter().any(|e| e.path.starts_with("yongan-2026")), "{errs:?}");
    // The app's first file only decodes (its second checks): the same set, and the same problems once checked.
    let mut bad = set.clone();
    bad.profiles[last].monitoring_range.amount = fangpin_core::money::Money::yuan(-1);
    let decoded = PolicySet::decode_published(&bad.to_published().unwrap()).expect("decodes unchecked");
    assert_eq!(decoded, bad);
    assert_eq!(decoded.validate(), errs);
    assert_eq!(PolicySet::decode_published(&bytes).unwrap(), set);
    assert!(PolicySet::decode_published(&bytes[..bytes.len() / 2]).is_err());
    assert!(PolicySet::decode_published(b"").is_err());

    // Cut short, empty, JSON, or any byte changed: refused (or, where a changed byte still reads,
    // checked like any other file), never a panic.
    assert!(PolicySet::parse_published(&bytes[..bytes.len() / 2]).is_err());
    assert!(PolicySet::parse_published(b"").is_err());
    assert!(PolicySet::parse_published(serde_json::to_string(&set).unwrap().as_bytes()).is_err());
    for i in (0..bytes.len()).step_by(97) {
        let mut b = bytes.clone();
        b[i] ^= 0xff;
        let _ = PolicySet::parse_published(&b);
    }
}

#[test]
fn the_receiver_still_reads_the_json_files_sites_published_before() {
    let set = with_2026();
    // As sites wrote it: JSON, format 1.
    let mut legacy: serde_json::Value = serde_json::to_value(&set).unwrap();
    legacy["format"] = "fangpin.policy/1".into();
    let json = legacy.to_string();
    assert_eq!(PolicySet::read_published(json.as_bytes()).expect("legacy JSON"), set);
    assert_eq!(PolicySet::read_published(&set.to_published().unwrap()).expect("today's"), set);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["default_county"] = "999999".into();
    let errs = PolicySet::read_published(v.to_string().as_bytes()).unwrap_err();
    assert!(errs.iter().any(|e| e.path == "default_county"), "{errs:?}");
    // Cut at a character boundary near the middle (the texts are Chinese: a byte offset may fall in a character).
    let half = (0..=json.len() / 2).rev().find(|&i| json.is_char_boundary(i)).unwrap_or(0);
    for bad in ["{", "{}", "{\"format\":\"fangpin.policy/1\"}", &json[..half]] {
        assert!(PolicySet::read_published(bad.as_bytes()).is_err(), "{bad:.40}");
    }
}

/// Postcard stores fields by position: a published file is only readable by the app of the same
/// layout. This pins the layout (the bytes of a fixed set). When it fails, the policy types changed:
/// bump `POLICY_FORMAT` (so that a site refuses a `fangpin publish-policy` of the other version)
/// and put the new fingerprint here.
#[test]
fn the_published_layout_is_pinned_to_its_format_tag() {
    // A fixed profile (a test fixture, not the shipped data, which changes with the policy).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/policy/yongan-2026.toml");
    let toml: toml::Value = toml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let json = serde_json::to_string(&toml).unwrap();
    let profile = policy::parse_profile_json(&json).expect("the fixture reads");
    let set = PolicySet { format: policy::POLICY_FORMAT.into(), default_county: DEFAULT_COUNTY.into(), profiles: vec![profile] };
    let bytes = set.to_published().unwrap();
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in &bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    assert_eq!(policy::POLICY_FORMAT, "fangpin.policy/2");
    assert_eq!(format!("{h:016x}"), "4fa6a042875aa9d3", "the policy file layout changed: bump POLICY_FORMAT");
    // A file of another format is refused as such (its tag comes first), and a file with bytes after
    // its end is not read.
    let mut other = set.clone();
    other.format = "fangpin.policy/3".into();
    let errs = PolicySet::parse_published(&postcard_bytes(&other)).unwrap_err();
    assert!(errs.iter().any(|e| e.path == "format" && e.to_string().contains("fangpin.policy/3")), "{errs:?}");
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(PolicySet::parse_published(&longer).is_err());
}

fn postcard_bytes(set: &PolicySet) -> Vec<u8> {
    set.to_published().unwrap()
}
