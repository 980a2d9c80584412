//! The start page as published: the start screen prerendered into `index.html` (readable before any
//! script runs), the start screen of every county's current and coming profiles in both languages as
//! inert text for the start module's switches, and the index it picks the year from by the phone's
//! date. Drawn with `fangpin-html`, the same code the app draws its start screen with.

use fangpin_core::Date;
use fangpin_core::policy::{PolicySet, Profile};
use fangpin_html::{Lang, esc, page};
use serde::Serialize;

/// The filled placeholders of a page.
pub struct StartPage {
    /// The profile the page is prerendered for: the default county's on the publish date.
    pub default_profile: String,
    /// The prerendered frame (header, start screen, footer).
    pub page: String,
    /// `<script type="text/html" id="fp-start-{id}-{zh|en}">` for each profile with a start screen.
    pub templates: String,
    /// `<script type="application/json" id="fp-profiles">`: which profile applies when (see [`Index`]).
    pub index: String,
}

/// What the start module needs to pick a county's year by the phone's date, as [`PolicySet::resolve`] does.
#[derive(Serialize)]
struct Index<'a> {
    default_county: &'a str,
    profiles: Vec<IndexEntry<'a>>,
}

#[derive(Serialize)]
struct IndexEntry<'a> {
    id: &'a str,
    county: &'a str,
    from: String,
    to: String,
    /// It has a start screen in the page (profiles that ended before the publish date have none: a
    /// phone's date cannot pick them, only a saved choice can name them).
    start: bool,
}

/// Profiles that get a start screen: for each county, the one that applies on `on` and any that ends
/// later (next year's, published early).
fn with_start_screen(set: &PolicySet, on: Date) -> Vec<&Profile> {
    let current = set.offered_on(on);
    set.profiles.iter().filter(|p| p.effective_to >= on || current.iter().any(|c| c.id == p.id)).collect()
}

pub fn render(set: &PolicySet, on: Date) -> Result<StartPage, String> {
    let default = set.for_county_on(&set.default_county, on).ok_or("the default county has no profile")?;
    let offered = set.offered_summaries(on);
    let frame = page::app_frame(
        Lang::Zh,
        false,
        false,
        &[page::header(Lang::Zh, false), page::start_screen(default, &offered, Lang::Zh, false, on), page::footer(Lang::Zh, false)]
            .concat(),
    );
    // Marks the page as the prerendered one: app.css then leaves the policy sheet far below the
    // first screen unrendered until boot.js clears the mark (the start page works, the phone is idle).
    let marked = frame.replacen("<div class=\"fp-app\"", "<div class=\"fp-app\" data-prerendered=\"\"", 1);
    if marked == frame {
        return Err("the prerendered start page has no .fp-app frame to mark".into());
    }
    // As text in inert script elements rather than `<template>`s: the parser then skims them
    // instead of building a few hundred elements the first screen does not show.
    let starting = with_start_screen(set, on);
    let mut templates = String::new();
    for p in &starting {
        for (l, code) in [(Lang::Zh, "zh"), (Lang::En, "en")] {
            let screen = page::start_screen(p, &offered, l, false, on);
            inert(&screen).map_err(|e| format!("the start screen of {} ({code}) {e}", p.id))?;
            templates.push_str(&format!("<script type=\"text/html\" id=\"fp-start-{}-{code}\">{screen}</script>\n", esc(&p.id)));
        }
    }
    let index = Index {
        default_county: &set.default_county,
        profiles: set
            .profiles
            .iter()
            .map(|p| IndexEntry {
                id: &p.id,
                county: &p.region.county.code,
                from: p.effective_from.to_string(),
                to: p.effective_to.to_string(),
                start: starting.iter().any(|s| s.id == p.id),
            })
            .collect(),
    };
    // `<` only occurs inside JSON strings, where `\u003c` means the same: nothing can end the element.
    let json = serde_json::to_string(&index).map_err(|e| e.to_string())?.replace('<', "\\u003c");
    Ok(StartPage {
        default_profile: esc(&default.id),
        page: marked,
        templates,
        index: format!("<script type=\"application/json\" id=\"fp-profiles\">{json}</script>"),
    })
}

/// Markup that can sit in a `<script>` element as text.
fn inert(html: &str) -> Result<(), &'static str> {
    let lower = html.to_ascii_lowercase();
    if lower.contains("</script") || lower.contains("<!--") { Err("cannot sit in a script element") } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fangpin_core::policy::installed;

    #[test]
    fn each_current_profile_has_its_start_screen_in_both_languages_as_inert_text() {
        let set = installed();
        let start = render(set, Date::new(2023, 6, 1).unwrap()).expect("renders");
        // In 2023 every shipped profile is current or coming.
        assert_eq!(start.templates.matches("<script type=\"text/html\"").count(), set.profiles.len() * 2);
        for p in &set.profiles {
            for code in ["zh", "en"] {
                assert!(start.templates.contains(&format!("id=\"fp-start-{}-{code}\"", p.id)), "{} {code}", p.id);
            }
        }
        // Each element ends where it should: the markup inside never closes a script early.
        assert_eq!(start.templates.matches("</script>").count(), set.profiles.len() * 2);
        assert_eq!(start.page.matches("data-prerendered").count(), 1);
        assert!(!start.templates.contains("data-prerendered"), "only the prerendered page is marked");
        assert_eq!(start.default_profile, "yongan-2023");
        assert_eq!(start.index.matches("</script>").count(), 1);
        // In 2026 the ended years keep no start screen, but each county keeps the one it uses.
        let later = render(set, Date::new(2026, 12, 1).unwrap()).unwrap();
        assert_eq!(later.templates.matches("<script type=\"text/html\"").count(), 3 * 2, "one per county");
    }

    #[test]
    fn the_index_cannot_end_its_element() {
        let mut set = installed().clone();
        set.profiles[0].id = "x</script><script>alert(1)".into();
        let start = render(&set, Date::new(2023, 6, 1).unwrap());
        let index = start.map(|s| s.index).unwrap_or_default();
        assert_eq!(index.matches("</script").count(), 1, "{index}");
    }
}
