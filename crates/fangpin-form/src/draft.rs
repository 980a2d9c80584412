//! The draft: everything the person has entered and where they are. One plain serde value
//! ([`Draft`]); the app keeps it in one signal and saves it on every change (`fangpin-ui`'s
//! `store`). The storage key carries the format version ([`KEY`]); [`migrate`] turns whatever was
//! stored (this version, or an older one) into the current [`Draft`], or says why it cannot.

use serde::{Deserialize, Serialize};

use crate::form::Form;
use fangpin_html::Lang;

/// The current format version.
pub const VERSION: u32 = fangpin_html::storage::DRAFT_VERSION;
/// Where the current version is stored. A newer version uses a new key, so an older page (say, a
/// cached one) can never overwrite a newer draft.
pub const KEY: &str = fangpin_html::storage::DRAFT_KEY;
/// Keys of earlier versions, newest first, read when [`KEY`] is absent and migrated. None yet:
/// version 1 is the first stored format (its later additions are new fields with defaults).
pub const OLDER_KEYS: &[(&str, u32)] = &[];
/// Unreadable drafts are kept under `fangpin.draft.aside.<milliseconds>`.
pub const ASIDE_PREFIX: &str = "fangpin.draft.aside.";
/// Every key this app writes starts with this (used by "清除本机数据").
pub const APP_PREFIX: &str = fangpin_html::storage::APP_PREFIX;

/// The screens of the app. Adding a screen is adding a variant here and an arm in `App`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Screen {
    #[default]
    Start,
    Members,
    Income,
    Spending,
    Guarantees,
    Situations,
    Result,
    /// The prefilled application and its channels.
    Application,
}

impl Screen {
    /// The household steps, in order.
    pub const STEPS: [Screen; 5] = [Screen::Members, Screen::Income, Screen::Spending, Screen::Guarantees, Screen::Situations];

    /// Every screen.
    pub const ALL: [Screen; 8] = [
        Screen::Start,
        Screen::Members,
        Screen::Income,
        Screen::Spending,
        Screen::Guarantees,
        Screen::Situations,
        Screen::Result,
        Screen::Application,
    ];

    /// The screen's name as the draft stores it (and as pages and tests name it: `data-screen`).
    pub fn name(self) -> &'static str {
        match self {
            Screen::Start => "start",
            Screen::Members => "members",
            Screen::Income => "income",
            Screen::Spending => "spending",
            Screen::Guarantees => "guarantees",
            Screen::Situations => "situations",
            Screen::Result => "result",
            Screen::Application => "application",
        }
    }

    pub fn from_name(name: &str) -> Option<Screen> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The step that asks the form field `id` (as `to_household` names its problems: `wage`,
    /// `m0-age`, …), so that a problem can be taken to its field.
    pub fn of_field(id: &str) -> Screen {
        let member = crate::form::member_of_field(id).is_some();
        match id {
            _ if member => Screen::Members,
            "wage" | "business" | "property" | "transfer" | "business_costs" => Screen::Income,
            "inpatient_largest"
            | "inpatient_other"
            | "outpatient"
            | "school_compulsory"
            | "school_non_compulsory"
            | "disaster"
            | "accident"
            | "other_rigid" => Screen::Spending,
            _ if id.starts_with("water_") || id == "housing" => Screen::Guarantees,
            _ => Screen::Situations,
        }
    }

    /// Position among the steps (0-based), if this is a step.
    pub fn step_index(self) -> Option<usize> {
        Self::STEPS.iter().position(|s| *s == self)
    }
    pub fn next(self) -> Screen {
        match self.step_index() {
            Some(i) if i + 1 < Self::STEPS.len() => Self::STEPS[i + 1],
            Some(_) => Screen::Result,
            None => match self {
                Screen::Start => Screen::Members,
                Screen::Result => Screen::Application,
                s => s,
            },
        }
    }
    pub fn prev(self) -> Screen {
        match self.step_index() {
            Some(0) => Screen::Start,
            Some(i) => Self::STEPS[i - 1],
            None => match self {
                Screen::Result => Screen::Situations,
                Screen::Application => Screen::Result,
                s => s,
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub version: u32,
    /// The policy profile last used (its county is the person's choice; the app moves it to that
    /// county's profile for the day). Empty until chosen: the site's default county.
    pub profile: String,
    pub lang: Lang,
    /// 适老化 (care mode): larger text and touch targets.
    pub care: bool,
    pub screen: Screen,
    pub form: Form,
    /// The application's extra facts and a received handoff (defaults for older drafts).
    pub apply: crate::apply::ApplyForm,
    /// The member last removed, so that one tap puts them back; not stored (a reload forgets it).
    #[serde(skip)]
    pub removed: Option<RemovedMember>,
}

impl Default for Draft {
    fn default() -> Self {
        Draft {
            version: VERSION,
            profile: String::new(),
            lang: Lang::Zh,
            care: false,
            screen: Screen::Start,
            form: Form::default(),
            apply: Default::default(),
            removed: None,
        }
    }
}

/// A household member just removed, with what was typed for them, so that the removal can be undone.
#[derive(Debug, Clone, PartialEq)]
pub struct RemovedMember {
    pub index: usize,
    pub member: crate::form::MemberForm,
    /// Their 身份证号 as typed in the application (the ID numbers are kept by member position).
    pub id_number: Option<String>,
}

impl Draft {
    /// Removes member `i` with everything kept by its position (its 身份证号), so that every later
    /// member keeps their own; remembered in `removed` for [`Draft::undo_remove`]. `false` when `i`
    /// is not a member or is the only one.
    pub fn remove_member(&mut self, i: usize) -> bool {
        if self.form.members.len() <= 1 || i >= self.form.members.len() {
            return false;
        }
        let member = self.form.members.remove(i);
        let id_number = (i < self.apply.id_numbers.len()).then(|| self.apply.id_numbers.remove(i));
        self.removed = Some(RemovedMember { index: i, member, id_number });
        true
    }

    /// Puts the member last removed back where they were (at the end, if the list has since got
    /// shorter); where they now are.
    pub fn undo_remove(&mut self) -> Option<usize> {
        let r = self.removed.take()?;
        let at = r.index.min(self.form.members.len());
        self.form.members.insert(at, r.member);
        if let Some(id) = r.id_number {
            if self.apply.id_numbers.len() < at {
                self.apply.id_numbers.resize(at, String::new());
            }
            self.apply.id_numbers.insert(at, id);
        } else if at < self.apply.id_numbers.len() {
            self.apply.id_numbers.insert(at, String::new());
        }
        Some(at)
    }
}

/// Why stored data could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Not JSON, or not a draft.
    Unreadable,
    /// Written by a newer version of the app.
    Newer,
}

/// Turns stored text (written under a key of `version`) into the current draft. Pure.
///
/// Each older version gets an arm that upgrades it one step; unknown fields are ignored and
/// missing fields take their defaults, so additive changes need no new version.
pub fn migrate(raw: &str, key_version: u32) -> Result<Draft, Problem> {
    /// Only the version, read first (other fields ignored), so each version is parsed by its own type.
    #[derive(Deserialize)]
    struct Head {
        version: Option<u32>,
    }
    let head: Head = serde_json::from_str(raw).map_err(|_| Problem::Unreadable)?;
    let version = head.version.unwrap_or(key_version);
    if version > VERSION {
        return Err(Problem::Newer);
    }
    let draft: Draft = match version {
        // 1 is the current format. A version 2 would add: `1 => upgrade_1(from_str::<DraftV1>(raw)?)`.
        1 => serde_json::from_str(raw).map_err(|_| Problem::Unreadable)?,
        _ => return Err(Problem::Unreadable),
    };
    Ok(completed(draft))
}

/// What every stored draft gets once read (by [`migrate`], or by the app's own reader of the start
/// page's settings): the current version, and a household of at least its head.
pub fn completed(mut draft: Draft) -> Draft {
    draft.version = VERSION;
    if draft.form.members.is_empty() {
        draft.form.members.push(crate::form::MemberForm::head());
    }
    draft
}

/// A value of a stored draft's JSON object as the browser's `JSON.parse` gave it.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Number(f64),
    Text(String),
    Bool(bool),
    /// `null`, an array or an object.
    Other,
}

/// The draft the start page writes under [`KEY`] — its settings and nothing else (`fangpin-start`:
/// version, profile, lang, care, screen) — from the fields of its JSON object, so that the app's
/// first wasm file needs no JSON reader. `None` for anything else, which [`migrate`] then reads
/// (in the later file). Wherever it answers, [`migrate`] gives the same draft.
pub fn settings_only(fields: impl IntoIterator<Item = (String, Field)>) -> Option<Draft> {
    let mut d = Draft::default();
    for (key, value) in fields {
        match (key.as_str(), value) {
            ("version", Field::Number(v)) if v == f64::from(VERSION) => {}
            ("profile", Field::Text(p)) => d.profile = p,
            ("lang", Field::Text(l)) if l == "zh" => d.lang = Lang::Zh,
            ("lang", Field::Text(l)) if l == "en" => d.lang = Lang::En,
            ("care", Field::Bool(c)) => d.care = c,
            ("screen", Field::Text(s)) => d.screen = Screen::from_name(&s)?,
            _ => return None,
        }
    }
    Some(completed(d))
}

/// The storage key of a draft: [`KEY`] for the page, `KEY.<instance>` for each embedded widget, so
/// two widgets on one host page keep their own drafts.
pub fn key_for(instance: Option<&str>) -> String {
    match instance.map(str::trim).filter(|i| !i.is_empty()) {
        Some(i) => format!("{KEY}.{i}"),
        None => KEY.to_string(),
    }
}
