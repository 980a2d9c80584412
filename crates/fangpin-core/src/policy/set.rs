//! The profiles a program assesses with, and which one applies to a county on a date.
//!
//! A site's profiles are one published policy file (`assets/policy-<hash>.bin`, written by
//! `fangpin publish-policy`): a [`PolicySet`] in postcard, a compact binary serde format — the app
//! reads it with a quarter of the code a JSON reader of the same types takes (the people who edit
//! policy read `policy-data/`, and `fangpin profiles` shows what a site has). The app installs it once at start ([`install`]); native
//! programs built with the `embedded` feature fall back to the profiles of `policy-data/` built in.
//! The person picks a county; the date picks the year ([`PolicySet::for_county_on`]).

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::{PolicyError, Profile, ProfileSummary, perr, validate_profile_set};
use crate::date::Date;

/// The format tag of a published policy file. Postcard stores fields by position, so any change to
/// the policy types changes the format: bump the number (`tests/profiles.rs` pins the layout and
/// fails when it moves). A site's manifest records the format its app reads, and `publish` of
/// another version refuses to write into it.
pub const POLICY_FORMAT: &str = "fangpin.policy/2";

/// The format of the JSON files sites published before (the receiver still reads them).
const JSON_FORMAT: &str = "fangpin.policy/1";

/// The county a site opens with unless its publisher chose another: 永安市.
pub const DEFAULT_COUNTY: &str = "350481";

/// A site's profiles: every county and year it knows, and the county it opens with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicySet {
    pub format: String,
    /// The county code of the profile the site opens with.
    pub default_county: String,
    pub profiles: Vec<Profile>,
}

impl PolicySet {
    /// A set from profiles that are each valid; checks them together (ids, overlapping periods) and
    /// that the default county has a profile.
    pub fn new(profiles: Vec<Profile>, default_county: &str) -> Result<PolicySet, Vec<PolicyError>> {
        let set = PolicySet { format: POLICY_FORMAT.to_string(), default_county: default_county.to_string(), profiles };
        let errs = set.validate();
        if errs.is_empty() { Ok(set) } else { Err(errs) }
    }

    /// Reads a published policy file, and checks every profile and the set. A file of another
    /// format version (its tag comes first) is refused as such, not misread.
    pub fn parse_published(bytes: &[u8]) -> Result<PolicySet, Vec<PolicyError>> {
        Self::decode_published(bytes)?.checked()
    }

    /// Reads a published policy file without checking its profiles: for the app's first wasm file,
    /// which leaves [`PolicySet::validate`] (a sixteenth of that file) to its second and shows none
    /// of the screens after the first step before the checks have passed (a file that fails them
    /// stops the app). Everything else reads with [`PolicySet::parse_published`].
    pub fn decode_published(bytes: &[u8]) -> Result<PolicySet, Vec<PolicyError>> {
        let unreadable =
            |e: &dyn std::fmt::Display| vec![perr("", format!("政策文件读不出来：{e}"), format!("the policy file does not read: {e}"))];
        let (format, _) = postcard::take_from_bytes::<String>(bytes).map_err(|e| unreadable(&e))?;
        if format != POLICY_FORMAT {
            return Err(vec![perr(
                "format",
                format!("政策文件的格式“{format}”不是这个版本读的（应为 {POLICY_FORMAT}）。"),
                format!("policy file format `{format}` is not the one this version reads ({POLICY_FORMAT})"),
            )]);
        }
        let (set, rest): (PolicySet, _) = postcard::take_from_bytes(bytes).map_err(|e| unreadable(&e))?;
        if !rest.is_empty() {
            return Err(unreadable(&format!("{} bytes after the end", rest.len())));
        }
        Ok(set)
    }

    /// Reads a published policy file of any version: today's, or the JSON that sites published before
    /// (kept for phones that still run the app of that time). For native readers (the receiver);
    /// the app reads only its own version's file.
    pub fn read_published(bytes: &[u8]) -> Result<PolicySet, Vec<PolicyError>> {
        if bytes.first() != Some(&b'{') {
            return Self::parse_published(bytes);
        }
        let mut set: PolicySet = serde_json::from_slice(bytes)
            .map_err(|e| vec![perr("", format!("政策文件格式有误：{e}"), format!("the policy file does not parse: {e}"))])?;
        if set.format == JSON_FORMAT {
            set.format = POLICY_FORMAT.to_string();
        }
        set.checked()
    }

    /// The published policy file of this set (what [`PolicySet::parse_published`] reads).
    pub fn to_published(&self) -> Result<Vec<u8>, String> {
        postcard::to_allocvec(self).map_err(|e| e.to_string())
    }

    fn checked(self) -> Result<PolicySet, Vec<PolicyError>> {
        let errs = self.validate();
        if errs.is_empty() { Ok(self) } else { Err(errs) }
    }

    /// Every problem: the format, each profile's own, the set's, the default county.
    pub fn validate(&self) -> Vec<PolicyError> {
        let mut errs = Vec::new();
        if self.format != POLICY_FORMAT {
            errs.push(perr(
                "format",
                format!("政策文件的格式“{}”不认识（应为 {POLICY_FORMAT}）。", self.format),
                format!("unknown policy file format `{}` (expected {POLICY_FORMAT})", self.format),
            ));
        }
        for p in &self.profiles {
            errs.extend(p.validate().into_iter().map(|e| PolicyError { path: format!("{}: {}", p.id, e.path), ..e }));
        }
        errs.extend(validate_profile_set(&self.profiles));
        if !self.profiles.iter().any(|p| p.region.county.code == self.default_county) {
            errs.push(perr(
                "default_county",
                format!("默认县（市）代码 {} 没有任何政策档案。", self.default_county),
                format!("no profile covers the default county {}", self.default_county),
            ));
        }
        errs
    }

    pub fn profile(&self, id: &str) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The county's profile on `as_of` (see [`for_county_on`]).
    pub fn for_county_on(&self, county: &str, as_of: Date) -> Option<&Profile> {
        for_county_on(&self.profiles, county, as_of)
    }

    /// The profile to use on `as_of` for someone who chose `id`: the one of the same county that
    /// applies that day (a new year's file replaces last year's), the default county's for an id
    /// this set does not have, or any profile at all.
    pub fn resolve(&self, id: &str, as_of: Date) -> Option<&Profile> {
        let county = self.profile(id).map_or(self.default_county.as_str(), |p| p.region.county.code.as_str());
        self.for_county_on(county, as_of).or_else(|| self.for_county_on(&self.default_county, as_of)).or_else(|| self.profiles.first())
    }

    /// One profile per county, the one that applies on `as_of`: the default county first, the others
    /// by name. What a picker offers.
    pub fn offered_on(&self, as_of: Date) -> Vec<&Profile> {
        let mut counties: Vec<&str> = Vec::new();
        for p in &self.profiles {
            if !counties.contains(&p.region.county.code.as_str()) {
                counties.push(&p.region.county.code);
            }
        }
        let mut offered: Vec<&Profile> = counties.into_iter().filter_map(|c| self.for_county_on(c, as_of)).collect();
        offered.sort_by(|a, b| {
            (a.region.county.code != self.default_county, &a.name.zh).cmp(&(b.region.county.code != self.default_county, &b.name.zh))
        });
        offered
    }

    /// The short description of one of this set's profiles.
    pub fn summary(&self, p: &Profile) -> ProfileSummary {
        p.summary(p.region.county.code == self.default_county)
    }

    /// Summaries of [`Self::offered_on`].
    pub fn offered_summaries(&self, as_of: Date) -> Vec<ProfileSummary> {
        self.offered_on(as_of).into_iter().map(|p| self.summary(p)).collect()
    }
}

/// The profile for a county on a date: the one in force; else the latest that had started by then;
/// else the earliest there is.
pub fn for_county_on<'a>(profiles: impl IntoIterator<Item = &'a Profile>, county: &str, as_of: Date) -> Option<&'a Profile> {
    let of_county: Vec<&Profile> = profiles.into_iter().filter(|p| p.region.county.code == county).collect();
    pick_period(&of_county, &as_of, |p| (p.effective_from, p.effective_to)).map(|i| of_county[i])
}

/// Which of one county's periods applies on `as_of` (the rule of [`for_county_on`]), by index. Generic
/// over the date so the start page can apply the same rule to dates it holds as `YYYY-MM-DD` text.
pub fn pick_period<T, D: Ord>(items: &[T], as_of: &D, period: impl Fn(&T) -> (D, D)) -> Option<usize> {
    // Scans rather than sorts: the start page's module carries this, and a sort is many kilobytes of wasm.
    let periods: Vec<(D, D)> = items.iter().map(&period).collect();
    let latest =
        |keep: &dyn Fn(&(D, D)) -> bool| periods.iter().enumerate().filter(|(_, p)| keep(p)).max_by(|a, b| a.1.cmp(b.1)).map(|(i, _)| i);
    latest(&|(from, to)| from <= as_of && as_of <= to)
        .or_else(|| latest(&|(from, _)| from <= as_of))
        .or_else(|| periods.iter().enumerate().min_by(|a, b| a.1.cmp(b.1)).map(|(i, _)| i))
}

static INSTALLED: OnceLock<PolicySet> = OnceLock::new();

/// Makes `set` the profiles of this program, once (the app, with its site's published file). A second
/// install is refused and gets its set back.
pub fn install(set: PolicySet) -> Result<&'static PolicySet, PolicySet> {
    let mut offered = Some(set);
    let installed = INSTALLED.get_or_init(|| offered.take().unwrap_or_else(empty));
    match offered {
        None => Ok(installed),
        Some(refused) => Err(refused),
    }
}

/// The profiles of this program: those installed; else, with the `embedded` feature, those built in;
/// else none.
pub fn installed() -> &'static PolicySet {
    if let Some(set) = INSTALLED.get() {
        return set;
    }
    #[cfg(feature = "embedded")]
    {
        super::embedded::set()
    }
    #[cfg(not(feature = "embedded"))]
    {
        static EMPTY: OnceLock<PolicySet> = OnceLock::new();
        EMPTY.get_or_init(empty)
    }
}

fn empty() -> PolicySet {
    PolicySet { format: POLICY_FORMAT.to_string(), default_county: DEFAULT_COUNTY.to_string(), profiles: Vec::new() }
}

/// A profile of this program by id.
pub fn profile(id: &str) -> Option<&'static Profile> {
    installed().profile(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> String {
        s.to_string()
    }

    #[test]
    fn the_period_in_force_wins_then_the_latest_started_then_the_earliest() {
        let periods = [(d("2024-01-01"), d("2024-12-31")), (d("2023-01-01"), d("2023-12-31")), (d("2026-01-01"), d("2026-12-31"))];
        let pick = |day: &str| pick_period(&periods, &d(day), |p| p.clone());
        assert_eq!(pick("2023-06-01"), Some(1));
        assert_eq!(pick("2024-12-31"), Some(0));
        assert_eq!(pick("2025-06-01"), Some(0), "between two years: the latest that had started");
        assert_eq!(pick("2026-01-01"), Some(2));
        assert_eq!(pick("2030-01-01"), Some(2));
        assert_eq!(pick("2020-01-01"), Some(1), "before all: the earliest");
        assert_eq!(pick_period(&[] as &[(String, String)], &d("2023-01-01"), |p| p.clone()), None);
    }
}
