//! What the application needs beyond the self-check (phone, village, address, ID numbers, who
//! filled it in, the person's own difficulty text), kept in the draft, and the one pure function
//! that turns draft + form into the core's [`Application`].
//!
//! A handoff received by QR link is kept here too (its digits), so a reload shows it again.

use serde::{Deserialize, Serialize};

use fangpin_core::application::{Application, FilledBy, decode_handoff};
use fangpin_core::assessment::assess;
use fangpin_core::date::Date;
use fangpin_core::household::{FieldError, Household, normalise_id_number};
use fangpin_core::policy::{self, Profile};
use fangpin_core::text::Text;

/// Who filled in the form (the name is asked separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Filler {
    #[default]
    Myself,
    Worker,
    Relative,
}

/// The application part of the draft. Every field has a default, so older drafts load.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct ApplyForm {
    pub phone: String,
    pub village: String,
    pub address: String,
    /// 身份证号 by member index (blank = not given).
    pub id_numbers: Vec<String>,
    pub filler: Filler,
    pub filler_name: String,
    /// The person's own difficulty text (None = the core's draft).
    pub difficulty_zh: Option<String>,
    pub difficulty_en: Option<String>,
    /// The digits of a handoff opened from a QR link (`#a=…`), shown instead of the own form.
    pub handoff: Option<String>,
    /// An endpoint for the one-click report set on this device (overrides the profile's).
    pub endpoint: Option<String>,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The household of the self-check with the application's extra facts.
pub fn household(base: &Household, f: &ApplyForm) -> Household {
    let mut h = base.clone();
    h.phone = opt(&f.phone).map(|p| fangpin_core::input::fold(&p).replace([' ', '-'], ""));
    h.village = f.village.trim().to_string();
    h.address = f.address.trim().to_string();
    for (i, m) in h.members.iter_mut().enumerate() {
        // As it is checked and stored: full-width digits and ｘ folded, spaces gone (what people type).
        m.id_number = f.id_numbers.get(i).and_then(|s| opt(s)).map(|s| normalise_id_number(&s)).filter(|s| !s.is_empty());
    }
    h
}

pub fn filled_by(f: &ApplyForm) -> FilledBy {
    let name = f.filler_name.trim().to_string();
    match f.filler {
        Filler::Myself => FilledBy::Self_,
        Filler::Worker => FilledBy::Worker { name },
        Filler::Relative => FilledBy::Relative { name },
    }
}

/// The application from the self-check: re-assessed on `date` with the extra facts (an ID number
/// can tell an age), then the person's difficulty text if they changed it.
pub fn build(base: &Household, f: &ApplyForm, profile: &Profile, date: Date) -> Result<Application, Vec<FieldError>> {
    let h = household(base, f);
    let a = assess(&h, profile, date);
    let mut app = Application::build(&h, &a, profile, filled_by(f), date)?;
    if f.difficulty_zh.is_some() || f.difficulty_en.is_some() {
        let d = &app.difficulty_draft;
        let t = Text::new(
            f.difficulty_zh.clone().unwrap_or_else(|| d.zh.to_string()),
            f.difficulty_en.clone().unwrap_or_else(|| d.en.to_string()),
        );
        app.set_difficulty(t).map_err(|e| vec![e])?;
    }
    Ok(app)
}

/// A received handoff, rebuilt on this phone. `Err` carries the message to show.
pub fn from_handoff(digits: &str) -> Result<(Application, Vec<Text>, bool), Text> {
    let data = decode_handoff(digits).map_err(|e| e.message())?;
    let Some(profile) = policy::profile(&data.profile) else {
        return Err(Text::new(
            "这份申请用的政策档案这个版本没有，请更新页面。",
            "This application uses a policy profile this version does not have; please update the page.",
        ));
    };
    let app = data.to_application(profile).map_err(|errs| {
        errs.into_iter().next().map(|e| e.message).unwrap_or_else(|| Text::new("申请读不出来。", "The application could not be read."))
    })?;
    let same = app.reference == data.reference;
    Ok((app, data.dropped, same))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn older_drafts_without_the_application_part_load() {
        let f: ApplyForm = serde_json::from_str("{}").unwrap();
        assert_eq!(f, ApplyForm::default());
    }
}
