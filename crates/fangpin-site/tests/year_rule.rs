//! The start page and the app pick the same profile for a person on any day from the publish date on:
//! the start page from the index the publish step writes into the page (`fangpin_start::Index`), the
//! app from the whole published set (`PolicySet::resolve`). (Before the publish date — a phone whose
//! clock is behind — the start page has no screens for the years that had ended, and shows the
//! nearest it has.)

use fangpin_core::Date;
use fangpin_core::policy::{self, DEFAULT_COUNTY, PolicySet, Profile};
use fangpin_site::start_page;
use fangpin_start::{Entry, Index};

fn day(s: &str) -> Date {
    Date::parse(s).unwrap()
}

/// The shipped profiles, with Yong'an 2026 and 2027 and Dehua 2026 as cities would add them.
fn set() -> PolicySet {
    let mut all = policy::embedded_profiles().to_vec();
    let year = |p: &Profile, y: u16| {
        let mut n = p.clone();
        n.id = format!("{}-{y}", p.id.rsplit_once('-').map_or(p.id.as_str(), |(c, _)| c));
        n.year = y;
        n.effective_from = Date::new(y, 1, 1).unwrap();
        n.effective_to = Date::new(y, 12, 31).unwrap();
        n
    };
    let yongan = policy::default_profile().unwrap().clone();
    let dehua = all.iter().find(|p| p.id == "dehua-2024").unwrap().clone();
    all.extend([year(&yongan, 2026), year(&yongan, 2027), year(&dehua, 2026)]);
    PolicySet::new(all, DEFAULT_COUNTY).expect("valid")
}

/// The index as the start page reads it from the page.
fn index_of(page_index: &str) -> Index {
    let json = page_index.trim_start_matches("<script type=\"application/json\" id=\"fp-profiles\">").trim_end_matches("</script>");
    let v: serde_json::Value = serde_json::from_str(json).expect("the index is JSON");
    let text = |e: &serde_json::Value, k: &str| e[k].as_str().unwrap_or_default().to_string();
    Index {
        default_county: text(&v, "default_county"),
        profiles: v["profiles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| Entry {
                id: text(e, "id"),
                county: text(e, "county"),
                from: text(e, "from"),
                to: text(e, "to"),
                start: e["start"].as_bool().unwrap(),
            })
            .collect(),
    }
}

#[test]
fn the_start_page_and_the_app_agree_from_the_publish_date_on() {
    let set = set();
    let mut ids: Vec<String> = set.profiles.iter().map(|p| p.id.clone()).collect();
    ids.extend(["".to_string(), "gone-1999".to_string()]);
    let mut checked = 0;
    for published in ["2023-06-01", "2024-12-31", "2025-06-01", "2026-01-01", "2026-12-01", "2027-12-31"] {
        let published = day(published);
        let index = index_of(&start_page::render(&set, published).expect("renders").index);
        // Every 11 days for three years after publishing.
        for n in (0..3 * 365).step_by(11) {
            let today = Date::from_day_number(published.day_number() + n).unwrap();
            for id in &ids {
                let app = set.resolve(id, today).map(|p| p.id.as_str());
                let start = index.resolve(id, &today.to_string());
                assert_eq!(start, app, "published {published}, phone date {today}, chosen {id:?}");
                checked += 1;
            }
        }
    }
    assert!(checked > 4000, "{checked}");
}
