//! What every screen reads: the draft, its derived values and the page's settings ([`Ctx`]),
//! provided once by the app.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::i18n::{Lang, tr};
use crate::store::{Draft, Screen};
use fangpin_core::assessment::{Assessment, Decision};
use fangpin_core::date::Date;
use fangpin_core::household::Household;
use fangpin_core::policy::{self, Profile};
use fangpin_form::form::Converted;

/// `fangpin_core::assessment::explain`, handed over by the later wasm file.
pub type Explainer = fn(&Decision, &Household, &Profile, Date) -> Assessment;

/// What every screen reads: the draft, its derived values and the page's settings.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub draft: RwSignal<Draft>,
    pub lang: Memo<Lang>,
    pub screen: Memo<Screen>,
    pub(crate) profile_idx: Memo<usize>,
    pub as_of: Date,
    pub converted: Memo<Converted>,
    /// What the rules decided, without the words: enough for the live line under every step.
    pub decision: Memo<Decision>,
    /// The decision explained, once the later wasm file (later.rs) has brought `explain`: the code
    /// that writes the words lives there, and the app's first file only calls it.
    pub assessment: Memo<Option<Assessment>>,
    pub(crate) explainer: RwSignal<Option<Explainer>>,
    /// The languages the browser can read aloud in (changes as it loads its voices).
    pub speech: RwSignal<crate::speech::Voices>,
    /// An embedded widget's mount point (inside its shadow root, where `document` cannot see).
    pub(crate) root: StoredValue<Option<web_sys::Element>, LocalStorage>,
}

impl Ctx {
    /// The profile in use: the chosen county's for the day (tracked).
    pub fn profile(&self) -> &'static Profile {
        let all = &policy::installed().profiles;
        &all[self.profile_idx.get().min(all.len().saturating_sub(1))]
    }
    /// Chooses a county: its profile for the day.
    pub fn choose_county(&self, county: &str) {
        if let Some(p) = policy::installed().for_county_on(county, self.as_of) {
            self.draft.update(|d| d.profile = p.id.clone());
        }
    }
    /// This app is a widget on a host's page (whose address is not the app's).
    pub fn is_widget(&self) -> bool {
        self.root.with_value(Option::is_some)
    }
    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        tr(self.lang.get(), zh, en)
    }
    pub fn go(&self, s: Screen) {
        self.draft.update(|d| d.screen = s);
    }
    /// The first element of this app matching a CSS selector: in the page, or inside the widget's
    /// shadow root (where `document` cannot see).
    pub fn element(&self, selector: &str) -> Option<web_sys::HtmlElement> {
        let el = self.root.with_value(|r| match r {
            Some(r) => r.query_selector(selector).ok().flatten(),
            None => document().query_selector(selector).ok().flatten(),
        });
        el.and_then(|e| e.dyn_into().ok())
    }
    pub fn focus_first(&self, selector: &str) {
        if let Some(el) = self.element(selector) {
            let _ = el.focus();
        }
    }
    /// Focuses the element with this id (ids of the app are plain CSS identifiers).
    pub fn focus(&self, id: &str) {
        self.focus_first(&format!("#{id}"));
    }
    /// A new screen starts at its top: the page's, or the widget's on a host page.
    pub(crate) fn scroll_to_top(&self) {
        match self.root.with_value(|r| r.clone()) {
            Some(r) if r.get_bounding_client_rect().top() < 0.0 => r.scroll_into_view(),
            Some(_) => {}
            None => window().scroll_to_with_x_and_y(0.0, 0.0),
        }
    }
}

pub(crate) fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}
