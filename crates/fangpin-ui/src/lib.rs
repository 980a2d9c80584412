//! The self-check app (Leptos, client-side rendered). Mounts into `#fangpin-app`.
//!
//! Every decision shown on screen comes from `fangpin-core`; this crate holds only view state,
//! the on-device draft and the screens.
//!
//! * [`draft`] — the one state value ([`draft::Draft`]), its storage and migration;
//! * [`form`] — the form as typed and the pure conversion to a `Household`;
//! * `screens` — start, household steps, result, application (placeholder);
//! * `widgets` — labelled fields, choices, "为什么";
//! * [`speech`] — read-aloud where the browser has it.
//!
//! Data flow: the `Draft` signal → (memo) form → `Household` + field errors → (memo) `assess` →
//! the result; one effect saves the draft on every change.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub mod apply;
mod channels;
pub mod draft;
pub mod form;
mod html;
pub mod i18n;
pub mod outbox;
mod qr;
mod screens;
pub mod speech;
mod widgets;

use draft::{Draft, Loaded, Problem, Screen};
use fangpin_core::assessment::{Assessment, assess};
use fangpin_core::date::Date;
use fangpin_core::policy::{self, Profile};
use form::Converted;
use i18n::{Lang, tr};

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().get_element_by_id("fangpin-app") else { return };
    root.set_inner_html("");
    let root: web_sys::HtmlElement = root.unchecked_into();
    leptos::mount::mount_to(root, || view! { <App /> }).forget();
}

/// Today's date on the device (the core has no clock; the date is passed in). `fallback` only if
/// the device's clock is outside the core's calendar.
pub fn today_or(fallback: Date) -> Date {
    let d = js_sys::Date::new_0();
    Date::new(d.get_full_year() as u16, (d.get_month() + 1) as u8, d.get_date() as u8).unwrap_or(fallback)
}

/// What every screen reads: the draft, its derived values and the page's settings.
#[derive(Clone, Copy)]
pub struct Ctx {
    pub draft: RwSignal<Draft>,
    pub lang: Memo<Lang>,
    pub screen: Memo<Screen>,
    profile_idx: Memo<usize>,
    pub as_of: Date,
    pub converted: Memo<Converted>,
    pub assessment: Memo<Assessment>,
    /// The browser can read aloud.
    pub speech: bool,
}

impl Ctx {
    /// The chosen profile (tracked).
    pub fn profile(&self) -> &'static Profile {
        let all = policy::embedded_profiles();
        &all[self.profile_idx.get().min(all.len().saturating_sub(1))]
    }
    pub fn t(&self, zh: &'static str, en: &'static str) -> &'static str {
        tr(self.lang.get(), zh, en)
    }
    pub fn go(&self, s: Screen) {
        self.draft.update(|d| d.screen = s);
    }
}

pub(crate) fn use_ctx() -> Ctx {
    expect_context::<Ctx>()
}

/// A message shown at the top until dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Notice {
    SetAside(Problem),
    Cleared,
}

/// What a host page chose for an embedded widget (`<fangpin-selfcheck>` attributes, see `web/embed.js`).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct Embed {
    /// A profile id; unknown ids fall back to the person's choice or the default.
    pub profile: Option<String>,
    /// `"zh"` or `"en"`.
    pub lang: Option<String>,
    /// Start in care mode (适老化).
    pub care: bool,
    /// The one-click endpoint the host names.
    pub endpoint: Option<String>,
    /// Keeps this widget's draft apart from others on the page.
    pub storage_key: Option<String>,
}

/// Mounts a widget into `root` (inside the shadow root `embed.js` made). `options` is the JSON of
/// [`Embed`]; bad JSON is ignored rather than leaving an empty box on a government page.
#[wasm_bindgen]
pub fn mount_widget(root: web_sys::HtmlElement, options: &str) {
    let embed: Embed = serde_json::from_str(options).unwrap_or_default();
    leptos::mount::mount_to(root, move || view! { <App embed=embed /> }).forget();
}

#[component]
pub fn App(
    /// Set when the app is embedded on another page as a widget.
    #[prop(optional)]
    embed: Option<Embed>,
) -> impl IntoView {
    let profiles = policy::embedded_profiles();
    if profiles.is_empty() {
        return view! {
            <div data-app-ready="">
                <h1>"防止返贫监测 · 自测与申请"</h1>
                <p class="fp-notice" role="alert">"政策数据没有载入，请稍后再试，或拨打 12317 咨询。"</p>
                <p class="fp-notice" lang="en">"The policy data did not load. Please try again later, or call 12317."</p>
            </div>
        }
        .into_any();
    }
    let default_idx = profiles.iter().position(|p| p.id == policy::DEFAULT_PROFILE_ID).unwrap_or(0);
    let as_of = today_or(profiles[default_idx].effective_to);
    let embedded = embed.is_some();
    let embed = embed.unwrap_or_default();
    let storage_key = draft::key_for(embed.storage_key.as_deref().or(embedded.then_some("widget")));
    let (initial, notice) = match draft::load(&storage_key, js_sys::Date::now()) {
        Loaded::Fresh => (Draft::default(), None),
        Loaded::Restored(d) => (*d, None),
        Loaded::SetAside { problem, .. } => (Draft::default(), Some(Notice::SetAside(problem))),
    };
    let mut initial = initial;
    // The host's attributes choose the profile, language, care mode and endpoint of its widget.
    if let Some(p) = embed.profile.as_deref().filter(|p| profiles.iter().any(|x| x.id == *p)) {
        initial.profile = p.to_string();
    }
    match embed.lang.as_deref() {
        Some("en") => initial.lang = Lang::En,
        Some("zh") => initial.lang = Lang::Zh,
        _ => {}
    }
    initial.care |= embed.care;
    if embed.endpoint.is_some() {
        initial.apply.endpoint = embed.endpoint.clone();
    }
    channels::take_handoff(&mut initial); // a `#a=` QR link opens the application it carries
    let draft = RwSignal::new(initial);
    let notice = RwSignal::new(notice);
    let save_failed = RwSignal::new(false);
    let lang = Memo::new(move |_| draft.with(|d| d.lang));
    let screen = Memo::new(move |_| draft.with(|d| d.screen));
    let profile_idx = Memo::new(move |_| draft.with(|d| profiles.iter().position(|p| p.id == d.profile).unwrap_or(default_idx)));
    let converted = Memo::new(move |_| {
        let p = &profiles[profile_idx.get()];
        draft.with(|d| form::to_household(&d.form, p, as_of))
    });
    let assessment = Memo::new(move |_| {
        let p = &profiles[profile_idx.get()];
        converted.with(|c| assess(&c.household, p, as_of))
    });
    let ctx = Ctx { draft, lang, screen, profile_idx, as_of, converted, assessment, speech: speech::available() };
    provide_context(ctx);
    outbox::Outbox::start(); // retries what is pending from earlier visits

    // The one place the draft is saved: on every change. Skipped once right after "clear".
    let skip_save = StoredValue::new(false);
    Effect::new(move |_| {
        draft.track();
        if skip_save.get_value() {
            skip_save.set_value(false);
            return;
        }
        let ok = draft.with_untracked(|d| draft::save(&storage_key, d));
        if save_failed.get_untracked() == ok {
            save_failed.set(!ok);
        }
    });
    // The page's language follows the choice: <html lang>, the title. A widget leaves the host
    // page's own alone (its root carries `lang` instead).
    Effect::new(move |_| {
        if embedded {
            return;
        }
        let l = lang.get();
        if let Some(el) = document().document_element() {
            let _ = el.set_attribute("lang", l.code());
        }
        document().set_title(tr(l, "防止返贫监测 · 自测与申请", "Poverty-return monitoring: self-check and application"));
    });
    // A new screen starts at its top, with the focus on its title. So does the first screen when
    // the app takes over from the start page (whose button, focused, is gone).
    Effect::new(move |prev: Option<Screen>| {
        let s = screen.get();
        let focus_lost = || document().active_element().is_none_or(|el| el.tag_name() == "BODY");
        if prev.is_some_and(|p| p != s) || (prev.is_none() && s != Screen::Start && !embedded && focus_lost()) {
            request_animation_frame(|| {
                window().scroll_to_with_x_and_y(0.0, 0.0);
                if let Some(el) = document().get_element_by_id("fp-screen-title") {
                    let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            });
        }
        s
    });

    let clear = Callback::new(move |()| {
        outbox::clear_keeping_pending(draft::clear_all);
        skip_save.set_value(true);
        let (l, care) = draft.with_untracked(|d| (d.lang, d.care));
        draft.set(Draft { lang: l, care, ..Draft::default() });
        notice.set(Some(Notice::Cleared));
    });

    view! {
        <div class="fp-app" class:fp-care=move || draft.with(|d| d.care) lang=move || lang.get().code() data-app-ready="">
            <div class="fp-top">
                <h1>{move || tr(lang.get(), "防止返贫监测 · 自测与申请", "Poverty-return monitoring: self-check")}</h1>
                <div class="fp-toolbar fp-noprint">
                    <button type="button" class="fp-button fp-small" data-testid="lang-toggle"
                        lang=move || lang.get().other().code()
                        on:click=move |_| draft.update(|d| d.lang = d.lang.other())>
                        {move || tr(lang.get(), "English", "中文")}
                    </button>
                    <button type="button" class="fp-button fp-small" data-testid="care-toggle"
                        aria-pressed=move || if draft.with(|d| d.care) { "true" } else { "false" }
                        on:click=move |_| draft.update(|d| d.care = !d.care)>
                        {move || tr(lang.get(), "大字模式", "Large text")}
                    </button>
                </div>
            </div>
            {move || notice.get().map(|n| view! { <NoticeBox notice=n on_close=Callback::new(move |()| notice.set(None)) /> })}
            {move || save_failed.get().then(|| view! {
                <p class="fp-notice" role="status" data-testid="save-failed">
                    {move || tr(lang.get(),
                        "这台手机没能保存您填的内容（可能存储已满或被禁止）。请不要关闭页面，填完后直接申报。",
                        "This phone could not save your entries (storage full or blocked). Please keep the page open and apply when done.")}
                </p>
            })}
            // Each screen renders its texts once, in the current language; a language switch
            // renders the screen again (every answer is in the draft, so nothing is lost).
            {move || match (lang.get(), screen.get()).1 {
                Screen::Start => view! { <screens::start::StartScreen /> }.into_any(),
                Screen::Result => view! { <screens::result::ResultScreen /> }.into_any(),
                Screen::Application => view! { <screens::application::ApplicationScreen /> }.into_any(),
                s => view! { <screens::steps::StepScreen screen=s /> }.into_any(),
            }}
            <screens::footer::Footer clear />
        </div>
    }
    .into_any()
}

#[component]
fn NoticeBox(notice: Notice, on_close: Callback<()>) -> impl IntoView {
    let lang = use_ctx().lang;
    let (zh, en) = match notice {
        Notice::SetAside(Problem::Unreadable) => (
            "上次保存在这台手机上的内容读不出来了（可能已损坏）。我们把它另外保存起来，没有删除；现在从头开始。如需找回，请联系村干部或网格员。",
            "What was saved on this phone last time could not be read (it may be damaged). It has been kept aside, not deleted; you start afresh. A village cadre or grid worker can help recover it.",
        ),
        Notice::SetAside(Problem::Newer) => (
            "这台手机上保存的内容来自更新版本的自测工具，这个版本读不了。我们把它另外保存起来，没有删除；现在从头开始。",
            "The saved entries come from a newer version of this tool and cannot be read here. They have been kept aside, not deleted; you start afresh.",
        ),
        Notice::Cleared => ("这台手机上保存的自测内容已经清除。", "The self-check entries saved on this phone have been cleared."),
    };
    view! {
        <div class="fp-notice" role="alert" data-testid="notice">
            <p>{move || tr(lang.get(), zh, en)}</p>
            <button type="button" class="fp-button fp-small" on:click=move |_| on_close.run(())>
                {move || tr(lang.get(), "知道了", "OK")}
            </button>
        </div>
    }
}
