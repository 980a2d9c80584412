//! The start page: the first screen, usable in the first second on a slow phone.
//!
//! The publish step prerenders the start screen into `index.html` (with `fangpin-html`, the same code
//! the app draws it with) and adds the markup of each county's current and coming profiles in both
//! languages as inert text (`<script type="text/html" id="fp-start-{profile}-{zh|en}">`), with an
//! index of which profile applies when (`#fp-profiles`): the phone's date picks the year, as the
//! app's does. This crate makes that page work — the county picker, the language and care-mode switches, "清除本机数据" and
//! "开始自测" — without Leptos, the policy engine or serde, so it is a few kilobytes. The app
//! itself (`fangpin-ui`) is loaded when the person starts, or at once when there is anything for
//! it to do: a saved household, a report waiting in the outbox, or a QR handoff link.
//!
//! What it stores is the app's own draft format (`fangpin.draft.v1`), with only the settings the
//! start screen owns: `{version, profile, lang, care, screen}`. The app reads that as a draft with
//! an empty household; a draft with anything more belongs to the app and is never written here.

use std::cell::RefCell;

use fangpin_core::policy::pick_period;
use fangpin_html::page;
use fangpin_html::{Action, Lang, esc};
use wasm_bindgen::prelude::*;

use fangpin_html::storage::{APP_PREFIX, DRAFT_KEY, DRAFT_VERSION, OUTBOX_KEY, OUTBOX_WAITING_KEY, outbox_waits};

#[wasm_bindgen]
extern "C" {
    /// Defined by boot.js: loads the app into `#fangpin-app` (once).
    #[wasm_bindgen(js_name = fangpinOpenApp)]
    fn open_app();
}

/// Which profile applies when, from the page's `#fp-profiles` (written by the publish step).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Index {
    pub default_county: String,
    pub profiles: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Entry {
    pub id: String,
    pub county: String,
    /// `YYYY-MM-DD`, which compares as text.
    pub from: String,
    pub to: String,
    /// The page has its start screen.
    pub start: bool,
}

impl Index {
    /// The profile to show on `today` for someone who chose `id` (or nothing, or a profile the site
    /// no longer has): that county's, else the default county's. The rule of the app's `PolicySet::resolve`.
    pub fn resolve(&self, id: &str, today: &str) -> Option<&str> {
        let county = self.profiles.iter().find(|e| e.id == id).map_or(self.default_county.as_str(), |e| e.county.as_str());
        self.for_county(county, today).or_else(|| self.for_county(&self.default_county, today))
    }

    /// The county's profile with a start screen that applies on `today`.
    pub fn for_county(&self, county: &str, today: &str) -> Option<&str> {
        let of_county: Vec<&Entry> = self.profiles.iter().filter(|e| e.county == county && e.start).collect();
        pick_period(&of_county, &today.to_string(), |e| (e.from.clone(), e.to.clone())).map(|i| of_county[i].id.as_str())
    }
}

/// What the start screen shows and remembers.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub profile: String,
    pub lang: Lang,
    pub care: bool,
}

/// The part of a stored draft the start page looks at.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StoredDraft {
    pub version: Option<f64>,
    pub profile: Option<String>,
    pub lang: Option<String>,
    pub care: Option<bool>,
    pub screen: Option<String>,
    /// The draft has a household (`form`) or application (`apply`): it is the app's.
    pub has_household: bool,
}

/// Whether the start page handles this visit, or the app must open at once.
#[derive(Debug, Clone, PartialEq)]
pub enum Visit {
    Start(Settings),
    OpenApp,
}

/// Decides from what is on the device. `draft`: `None` when nothing is stored, `Some(None)` when
/// something is stored that is not a JSON object (the app sets it aside and says so).
pub fn decide(draft: Option<Option<StoredDraft>>, outbox_stored: bool, hash: &str, default_profile: &str) -> Visit {
    if outbox_stored || hash.starts_with("#a=") {
        return Visit::OpenApp;
    }
    let fresh = Settings { profile: default_profile.to_string(), lang: Lang::Zh, care: false };
    match draft {
        None => Visit::Start(fresh),
        Some(None) => Visit::OpenApp,
        Some(Some(d)) => {
            let start_screen = d.screen.as_deref().is_none_or(|s| s == "start");
            if d.version != Some(f64::from(DRAFT_VERSION)) || d.has_household || !start_screen {
                return Visit::OpenApp;
            }
            Visit::Start(Settings {
                profile: d.profile.unwrap_or(fresh.profile),
                lang: if d.lang.as_deref() == Some("en") { Lang::En } else { Lang::Zh },
                care: d.care.unwrap_or(false),
            })
        }
    }
}

struct Page {
    root: web_sys::Element,
    settings: Settings,
    index: Index,
    default_profile: String,
    confirming: bool,
    /// "清除本机数据" was done: its notice is shown (the only one the start page has).
    cleared: bool,
    handed_over: bool,
}

type Listener = Closure<dyn FnMut(web_sys::Event)>;

thread_local! {
    static PAGE: RefCell<Option<Page>> = const { RefCell::new(None) };
    /// The root's click and change listeners, removed when the app takes over the root.
    static LISTENERS: RefCell<Vec<(&'static str, Listener)>> = const { RefCell::new(Vec::new()) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn read_draft(s: &web_sys::Storage) -> Option<Option<StoredDraft>> {
    let text = s.get_item(DRAFT_KEY).ok().flatten()?;
    let Ok(v) = js_sys::JSON::parse(&text) else { return Some(None) };
    if !v.is_object() || js_sys::Array::is_array(&v) {
        return Some(None);
    }
    let get = |k: &str| js_sys::Reflect::get(&v, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let present = |k: &str| !get(k).is_undefined() && !get(k).is_null();
    Some(Some(StoredDraft {
        version: get("version").as_f64(),
        profile: get("profile").as_string(),
        lang: get("lang").as_string(),
        care: get("care").as_bool(),
        screen: get("screen").as_string(),
        has_household: present("form") || present("apply"),
    }))
}

/// Writes the start screen's settings as a draft (`screen` is "start" or "members").
fn save(s: &Settings, screen: &str) {
    let Some(st) = storage() else { return };
    let lang = if s.lang == Lang::En { "en" } else { "zh" };
    let json = format!(
        "{{\"version\":{DRAFT_VERSION},\"profile\":\"{}\",\"lang\":\"{lang}\",\"care\":{},\"screen\":\"{screen}\"}}",
        json_escape(&s.profile),
        s.care
    );
    let _ = st.set_item(DRAFT_KEY, &json);
}

/// What the phone stores now is the app's to open: another window of this page saved a household
/// (or a report) while this one showed the start screen. Its settings must not be written over it.
fn stored_is_the_apps() -> bool {
    decide(storage().as_ref().and_then(read_draft), report_waits(), "", "") == Visit::OpenApp
}

/// A report made on this phone is waiting to be delivered (the app sends it, and keeps it when
/// clearing).
fn report_waits() -> bool {
    let st = storage();
    let item = |k: &str| st.as_ref().and_then(|s| s.get_item(k).ok().flatten());
    outbox_waits(item(OUTBOX_WAITING_KEY).as_deref(), item(OUTBOX_KEY).is_some())
}

fn json_escape(s: &str) -> String {
    js_sys::JSON::stringify(&JsValue::from_str(s))
        .ok()
        .and_then(|v| v.as_string())
        .map(|q| q.trim_matches('"').to_string())
        .unwrap_or_default()
}

/// Removes every key the app wrote. (The start page runs only when no report waits in the outbox,
/// and checks again before clearing — another window may have made one — so there is none to keep.)
fn clear_all() {
    let Some(st) = storage() else { return };
    let n = st.length().unwrap_or(0);
    let keys: Vec<String> = (0..n).filter_map(|i| st.key(i).ok().flatten()).filter(|k| k.starts_with(APP_PREFIX)).collect();
    for k in keys {
        let _ = st.remove_item(&k);
    }
}

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// The page's `#fp-profiles`; empty when it has none or it does not read.
fn read_index() -> Index {
    let Some(text) = document().and_then(|d| d.get_element_by_id("fp-profiles")).and_then(|el| el.text_content()) else {
        return Index::default();
    };
    let Ok(v) = js_sys::JSON::parse(&text) else { return Index::default() };
    let get = |o: &JsValue, k: &str| js_sys::Reflect::get(o, &JsValue::from_str(k)).unwrap_or(JsValue::UNDEFINED);
    let text_of = |o: &JsValue, k: &str| get(o, k).as_string().unwrap_or_default();
    let list = get(&v, "profiles");
    let profiles = if js_sys::Array::is_array(&list) {
        js_sys::Array::from(&list)
            .iter()
            .map(|e| Entry {
                id: text_of(&e, "id"),
                county: text_of(&e, "county"),
                from: text_of(&e, "from"),
                to: text_of(&e, "to"),
                start: get(&e, "start").as_bool().unwrap_or(false),
            })
            .collect()
    } else {
        Vec::new()
    };
    Index { default_county: text_of(&v, "default_county"), profiles }
}

fn template(profile: &str, lang: Lang) -> Option<String> {
    let code = if lang == Lang::En { "en" } else { "zh" };
    document()?.get_element_by_id(&format!("fp-start-{profile}-{code}"))?.text_content()
}

impl Page {
    /// Draws the whole page for the current settings. Falls back to the default profile when a
    /// stored one is no longer shipped.
    fn render(&mut self) {
        let lang = self.settings.lang;
        let screen = template(&self.settings.profile, lang).or_else(|| {
            self.settings.profile = self.default_profile.clone();
            template(&self.default_profile, lang)
        });
        let s = &self.settings;
        let Some(screen) = screen else { return };
        let notice = if self.cleared { page::cleared_notice(s.lang) } else { String::new() };
        let html = page::app_frame(
            s.lang,
            s.care,
            true,
            &[page::header(s.lang, s.care), notice, screen, page::footer(s.lang, self.confirming)].concat(),
        );
        self.root.set_inner_html(&html);
        self.page_language();
        show_period_notices(&self.root);
    }

    /// `<html lang>` and the title follow the language. Only when they differ: setting `lang`, even
    /// to the same value, makes the browser style and lay out the whole page again.
    fn page_language(&self) {
        let Some(d) = document() else { return };
        let code = self.settings.lang.code();
        if let Some(el) = d.document_element().filter(|el| el.get_attribute("lang").as_deref() != Some(code)) {
            let _ = el.set_attribute("lang", code);
        }
        let title = page::title(self.settings.lang);
        if d.title() != title {
            d.set_title(title);
        }
    }

    fn focus(&self, selector: &str) {
        if let Ok(Some(el)) = self.root.query_selector(selector)
            && let Ok(el) = el.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    }

    /// The app takes over, to open what another window stored meanwhile; this page is over.
    fn open_stored(&mut self) {
        self.root.set_inner_html(&format!("<p class=\"fp-loading\">{}</p>", esc("正在打开您保存的内容，请稍等…… Opening what you saved…")));
        self.handed_over = true;
        hand_over(&self.root);
    }

    /// Saves the settings, unless another window stored a household meanwhile: then the app opens
    /// it here instead (`false`), and this page is over.
    fn save(&mut self, screen: &str) -> bool {
        if stored_is_the_apps() {
            self.open_stored();
            return false;
        }
        save(&self.settings, screen);
        true
    }

    fn action(&mut self, action: Action) {
        match action {
            Action::Lang => {
                self.settings.lang = self.settings.lang.other();
                if !self.save("start") {
                    return;
                }
                self.render();
                self.focus(Action::Lang.selector());
            }
            Action::Care => {
                self.settings.care = !self.settings.care;
                if !self.save("start") {
                    return;
                }
                self.render();
                self.focus(Action::Care.selector());
            }
            Action::Start => {
                if self.save("members") {
                    self.handed_over = true;
                    hand_over(&self.root);
                }
            }
            Action::ClearAsk | Action::ClearKeep => {
                self.confirming = action == Action::ClearAsk;
                self.render();
                self.focus(if self.confirming { Action::ClearKeep.selector() } else { Action::ClearAsk.selector() });
            }
            Action::ClearConfirm => {
                // Another window made a report that is still waiting: the app's clearing keeps it.
                if report_waits() {
                    self.open_stored();
                    return;
                }
                clear_all();
                self.confirming = false;
                self.settings.profile = self.default_profile.clone();
                self.cleared = true;
                self.render();
                self.focus("[data-testid=notice] button");
            }
            Action::NoticeClose => {
                self.cleared = false;
                self.render();
                self.focus("#fp-screen-title");
            }
            // The picker acts on "change" (`choose_profile`).
            Action::Profile => {}
        }
    }

    /// The picker chose a county: its profile for today.
    fn choose_county(&mut self, county: &str) {
        self.settings.profile = self.index.for_county(county, &today()).unwrap_or(&self.default_profile).to_string();
        if !self.save("start") {
            return;
        }
        self.render();
        self.focus("#fp-profile");
    }
}

fn with_page(f: impl FnOnce(&mut Page)) {
    // Taken out while it acts, so that a hand-over inside `f` can end the page.
    let Some(mut page) = PAGE.with(|p| p.borrow_mut().take()) else { return };
    f(&mut page);
    if !page.handed_over {
        PAGE.with(|p| *p.borrow_mut() = Some(page));
    }
}

/// The app takes over the root: this page stops listening and loads it.
fn hand_over(root: &web_sys::Element) {
    LISTENERS.with(|l| {
        for (event, f) in l.borrow_mut().drain(..) {
            let _ = root.remove_event_listener_with_callback(event, f.as_ref().unchecked_ref());
        }
    });
    open_app();
}

fn listen(root: &web_sys::Element) {
    let click = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        let action = target.and_then(|t| t.closest("[data-action]").ok().flatten()).and_then(|el| el.get_attribute("data-action"));
        // The picker acts on "change", not on the click that opens it.
        if let Some(a) = action.as_deref().and_then(Action::parse).filter(|a| *a != Action::Profile) {
            with_page(|p| p.action(a));
        }
    });
    let change = Closure::<dyn FnMut(web_sys::Event)>::new(|ev: web_sys::Event| {
        if let Some(select) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            && select.id() == "fp-profile"
        {
            let county = select.value();
            with_page(|p| p.choose_county(&county));
        }
    });
    let _ = root.add_event_listener_with_callback("click", click.as_ref().unchecked_ref());
    let _ = root.add_event_listener_with_callback("change", change.as_ref().unchecked_ref());
    LISTENERS.with(|l| l.borrow_mut().extend([("click", click), ("change", change)]));
}

/// The phone's date as `YYYY-MM-DD` (compares as text).
fn today() -> String {
    let d = js_sys::Date::new_0();
    format!("{:04}-{:02}-{:02}", d.get_full_year(), d.get_month() + 1, d.get_date())
}

/// Whether a profile's figures are not in force on `today` (all `YYYY-MM-DD`).
fn outside(today: &str, from: &str, to: &str) -> bool {
    today < from || today > to
}

/// The notice that a profile's figures are not this year's: shown or hidden by the phone's own
/// date (the page was prerendered for the day of the build).
fn show_period_notices(root: &web_sys::Element) {
    let Ok(list) = root.query_selector_all("[data-testid=policy-period]") else { return };
    let today = today();
    for i in 0..list.length() {
        let Some(el) = list.item(i).and_then(|n| n.dyn_into::<web_sys::Element>().ok()) else { continue };
        let (from, to) =
            (el.get_attribute("data-effective-from").unwrap_or_default(), el.get_attribute("data-effective-to").unwrap_or_default());
        if outside(&today, &from, &to) {
            let _ = el.remove_attribute("hidden");
        } else {
            let _ = el.set_attribute("hidden", "");
        }
    }
}

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().and_then(|d| d.get_element_by_id("fangpin-app")) else { return };
    // The profile the page was prerendered for (the default county's on the publish date).
    let default_profile = root.get_attribute("data-default-profile").unwrap_or_default();
    let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
    let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
    if fangpin_html::page::asks_for_worker_mode(&search) {
        // Worker mode is the app's (its own screens, its own storage): straight there.
        root.set_inner_html(&format!("<p class=\"fp-loading\">{}</p>", esc("正在打开网格员走访…… Opening worker mode…")));
        open_app();
        return;
    }
    let st = storage();
    let draft = st.as_ref().and_then(read_draft);
    // A report waiting to be delivered opens the app (which sends it); delivered ones do not.
    let item = |k: &str| st.as_ref().and_then(|s| s.get_item(k).ok().flatten());
    let outbox = outbox_waits(item(OUTBOX_WAITING_KEY).as_deref(), item(OUTBOX_KEY).is_some());
    let settings = match decide(draft, outbox, &hash, &default_profile) {
        Visit::OpenApp => {
            // Someone with a household on this phone: the app, straight away.
            root.set_inner_html(&format!("<p class=\"fp-loading\">{}</p>", esc("正在打开您保存的内容，请稍等…… Opening what you saved…")));
            open_app();
            return;
        }
        Visit::Start(s) => s,
    };
    // The year by the phone's date: the page was published for another day, or the person chose
    // a county whose profile has since been followed by a new one.
    let index = read_index();
    let day = today();
    let mut settings = settings;
    if let Some(id) = index.resolve(&settings.profile, &day) {
        settings.profile = id.to_string();
    }
    // The 一码通 of a county's 明白纸 (`?county=CODE`): that county's start screen.
    if let Some(id) = fangpin_html::page::query_value(&search, "county").and_then(|code| index.for_county(code, &day)) {
        settings.profile = id.to_string();
    }
    let prerendered = settings == Settings { profile: default_profile.clone(), lang: Lang::Zh, care: false };
    // What "the default" means from now on (clearing, a profile without a screen): the default
    // county's profile for the phone's date, not for the day the page was published.
    let default_profile = index.resolve(&default_profile, &day).map_or(default_profile, str::to_string);
    let mut page = Page { root: root.clone(), settings, index, default_profile, confirming: false, cleared: false, handed_over: false };
    if prerendered {
        // The page already shows exactly this; drawing it again would only repaint it.
        if let Ok(Some(app)) = root.query_selector(".fp-app") {
            let _ = app.set_attribute("data-app-ready", "");
        }
        page.page_language();
        show_period_notices(&root);
    } else {
        page.render();
    }
    listen(&root);
    PAGE.with(|p| *p.borrow_mut() = Some(page));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(f: impl FnOnce(&mut StoredDraft)) -> Option<Option<StoredDraft>> {
        let mut d = StoredDraft { version: Some(1.0), ..Default::default() };
        f(&mut d);
        Some(Some(d))
    }

    #[test]
    fn figures_outside_their_period_are_flagged() {
        assert!(outside("2026-12-01", "2023-01-01", "2023-12-31"));
        assert!(!outside("2023-12-31", "2023-01-01", "2023-12-31"));
        assert!(outside("2022-12-31", "2023-01-01", "2023-12-31"));
    }

    fn index() -> Index {
        let e = |id: &str, county: &str, year: u16, start: bool| Entry {
            id: id.into(),
            county: county.into(),
            from: format!("{year}-01-01"),
            to: format!("{year}-12-31"),
            start,
        };
        Index {
            default_county: "350481".into(),
            profiles: vec![
                e("yongan-2023", "350481", 2023, false),
                e("yongan-2026", "350481", 2026, true),
                e("yongan-2027", "350481", 2027, true),
                e("dehua-2024", "350526", 2024, true),
            ],
        }
    }

    #[test]
    fn the_phone_date_picks_the_year_of_the_chosen_county() {
        let i = index();
        assert_eq!(i.resolve("yongan-2023", "2026-12-01"), Some("yongan-2026"), "last year's choice: this year's profile");
        assert_eq!(i.resolve("yongan-2026", "2027-01-01"), Some("yongan-2027"), "the new year, published early");
        assert_eq!(i.resolve("dehua-2024", "2026-12-01"), Some("dehua-2024"), "a county with no newer profile keeps its own");
        assert_eq!(i.resolve("", "2026-12-01"), Some("yongan-2026"));
        assert_eq!(i.resolve("gone-1999", "2027-06-01"), Some("yongan-2027"), "an id the site no longer has: the default county");
        assert_eq!(i.for_county("350526", "2026-12-01"), Some("dehua-2024"));
        assert_eq!(i.for_county("999999", "2026-12-01"), None);
        assert_eq!(Index::default().resolve("yongan-2023", "2026-12-01"), None, "a page without an index keeps the choice");
    }

    #[test]
    fn a_first_visit_starts_here_with_the_default_profile() {
        let Visit::Start(s) = decide(None, false, "", "yongan-2023") else { panic!("should start") };
        assert_eq!(s, Settings { profile: "yongan-2023".into(), lang: Lang::Zh, care: false });
    }

    #[test]
    fn settings_saved_by_the_start_page_are_kept() {
        let d = stored(|d| {
            d.profile = Some("dehua-2024".into());
            d.lang = Some("en".into());
            d.care = Some(true);
            d.screen = Some("start".into());
        });
        assert_eq!(
            decide(d, false, "", "yongan-2023"),
            Visit::Start(Settings { profile: "dehua-2024".into(), lang: Lang::En, care: true })
        );
    }

    #[test]
    fn anything_the_app_must_handle_opens_the_app() {
        assert_eq!(decide(stored(|d| d.has_household = true), false, "", "p"), Visit::OpenApp, "a household");
        assert_eq!(decide(stored(|d| d.screen = Some("result".into())), false, "", "p"), Visit::OpenApp, "another screen");
        assert_eq!(decide(stored(|d| d.version = Some(2.0)), false, "", "p"), Visit::OpenApp, "a newer format");
        assert_eq!(decide(Some(None), false, "", "p"), Visit::OpenApp, "unreadable");
        assert_eq!(decide(None, true, "", "p"), Visit::OpenApp, "a report in the outbox");
        assert_eq!(decide(None, false, "#a=123", "p"), Visit::OpenApp, "a QR handoff");
        assert!(matches!(decide(None, false, "#top", "p"), Visit::Start(_)));
    }
}
