//! The self-check app (Leptos, client-side rendered). Mounts into `#fangpin-app`.
//!
//! Every decision shown on screen comes from `fangpin-core`, and the form and draft it edits are
//! `fangpin-form`'s; this crate holds the views, the device storage and the channels:
//!
//! * [`ctx`] — what every screen reads ([`Ctx`]);
//! * [`store`] — the draft on the device: load, migrate, set aside, save, clear;
//! * `screens` — start, household steps, result, application, footer; `later` — all but the first
//!   step (and the outbox) in a second wasm file, fetched once the app has started;
//! * `widgets` — labelled fields, choices, "为什么", read-aloud buttons;
//! * [`outbox`] — one-click reports kept on the device until the receiver gives a receipt;
//! * `channels` — the handoff link, the endpoint, print and copy; `qr` — QR codes as SVG;
//! * `crash` — a plain message if the app hits a bug; [`speech`] — read-aloud where the browser has it.
//!
//! Data flow: the `Draft` signal → (memo) form → `Household` + field errors → (memo) `decide` →
//! the live line; the result screen explains the decision (`explain`); one effect saves the draft
//! on every change.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

mod channels;
mod crash;
pub mod ctx;
mod html;
pub mod i18n;
mod later;
pub mod outbox;
mod qr;
mod screens;
pub mod speech;

// The unit tests of this crate run in headless Chromium (`wasm-pack test --headless --chrome`); a
// plain `#[test]` there is never run.
#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
pub mod store;
mod widgets;
#[cfg(feature = "worker")]
mod worker;
mod worker_load;

pub use ctx::Ctx;
pub(crate) use ctx::use_ctx;
use fangpin_core::assessment::decide;
use fangpin_core::date::Date;
use fangpin_core::policy;
pub use fangpin_form::{apply, form};
use fangpin_html::page::{self, Notice};
use i18n::{Lang, tr};
use store::{Draft, Loaded, Problem, Screen};

/// Starts the app in `#fangpin-app` with the site's published policy file (`boot.js` fetched it, and
/// passes no bytes when it could not: the app then says the policy data did not load).
#[wasm_bindgen]
pub fn start_app(policy_file: &[u8]) {
    let Some(root) = document().get_element_by_id("fangpin-app") else { return };
    crash::install(root.clone());
    install_policy(policy_file);
    open(root.unchecked_into(), None, None);
}

/// Makes the site's policy file the profiles of this app (once; a second widget on the page brings
/// the same file). A file that does not read leaves none: the app then says so. Its profiles are
/// checked by the later file before any screen after the first step (`later::load`).
fn install_policy(bytes: &[u8]) {
    match policy::PolicySet::decode_published(bytes) {
        Ok(set) => {
            let _ = policy::install(set);
        }
        Err(errs) => {
            let first = errs.first().map(|e| e.to_string()).unwrap_or_default();
            web_sys::console::warn_1(&format!("fangpin: the policy file did not load: {first}").into());
        }
    }
}

/// Today's date on the device (the core has no clock; the date is passed in). `fallback` only if
/// the device's clock is outside the core's calendar.
pub fn today_or(fallback: Date) -> Date {
    let d = js_sys::Date::new_0();
    Date::new(d.get_full_year() as u16, (d.get_month() + 1) as u8, d.get_date() as u8).unwrap_or(fallback)
}

/// What a host page chose for an embedded widget (`<fangpin-selfcheck>` attributes, see `web/embed.js`).
#[derive(Debug, Clone, Default, PartialEq)]
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
    /// The origin the widget's files came from (set by `embed.js`, not by the host): besides the
    /// host page's own origin, the only place `endpoint` may point to.
    pub widget_origin: Option<String>,
}

impl Embed {
    /// From the JSON `embed.js` writes (read with the browser's own JSON reader: serde_json's is not
    /// in the app's first file). Bad JSON gives the defaults, a field of the wrong type its default,
    /// rather than an empty box on a government page.
    pub fn from_json(options: &str) -> Embed {
        let Ok(v) = js_sys::JSON::parse(options) else { return Embed::default() };
        if !v.is_object() {
            return Embed::default();
        }
        let get = |k: &str| js_sys::Reflect::get(&v, &JsValue::from_str(k)).ok();
        let text = |k: &str| get(k).and_then(|v| v.as_string());
        Embed {
            profile: text("profile"),
            lang: text("lang"),
            care: get("care").and_then(|v| v.as_bool()).unwrap_or(false),
            endpoint: text("endpoint"),
            storage_key: text("storage_key"),
            widget_origin: text("widget_origin"),
        }
    }
}

/// Mounts a widget into `root` (inside the shadow root `embed.js` made). `options` is the JSON of
/// [`Embed`].
#[wasm_bindgen]
pub fn mount_widget(root: web_sys::HtmlElement, options: &str, policy_file: &[u8]) {
    crash::install(root.clone().into());
    install_policy(policy_file);
    let embed = Embed::from_json(options);
    channels::set_widget_origin(embed.widget_origin.clone());
    let mount: web_sys::Element = root.clone().into();
    open(root, Some(embed), Some(mount));
}

/// Where an app keeps its draft, and the draft it starts with.
#[derive(Debug, Clone)]
pub struct Opening {
    storage_key: String,
    /// Worker mode (worker/): a grid worker's many households, never the villager's draft.
    worker: bool,
    loaded: Loaded,
}

impl Opening {
    /// The draft to start with, read now: possible when there is none, when it is the start
    /// page's settings, or once the later file is here (always, without the split).
    fn now(embed: Option<&Embed>) -> Result<Opening, (Opening, store::Stored)> {
        let embedded = embed.is_some();
        let worker = cfg!(feature = "worker") && !embedded && worker_load::requested();
        let storage_key = store::key_for(embed.and_then(|e| e.storage_key.as_deref()).or(embedded.then_some("widget")));
        let found = if worker { store::Found::Read(Loaded::Fresh) } else { store::find(&storage_key) };
        let opening = Opening { storage_key, worker, loaded: Loaded::Fresh };
        match found {
            store::Found::Read(loaded) => Ok(Opening { loaded, ..opening }),
            store::Found::ToRead(stored) => match later::ready(later::read_draft(stored.raw.clone(), stored.version)) {
                Some(read) => Ok(opening.settled(stored, read)),
                None => Err((opening, stored)),
            },
        }
    }

    /// The page's draft read now, where that is possible (see `now`): for mounting [`App`] directly.
    pub fn read_now() -> Option<Opening> {
        Opening::now(None).ok()
    }

    fn settled(self, stored: store::Stored, read: Result<Draft, Problem>) -> Opening {
        Opening { loaded: store::settle(&self.storage_key, stored, read, js_sys::Date::now()), ..self }
    }
}

/// Reads the draft and mounts the app into `at`. A draft with a household is read by the later
/// wasm file (a returning visitor's phone has it); until then the page stays as it is, and if the
/// file cannot come, a notice offers to try again: the draft is never replaced unread.
fn open(at: web_sys::HtmlElement, embed: Option<Embed>, widget: Option<web_sys::Element>) {
    let mount = |at: web_sys::HtmlElement, embed: Option<Embed>, widget: Option<web_sys::Element>, opening: Opening| {
        at.set_inner_html("");
        leptos::mount::mount_to(at, move || view! { <App embed=embed root=widget opening=opening /> }).forget();
    };
    match Opening::now(embed.as_ref()) {
        Ok(opening) => mount(at, embed, widget, opening),
        // (Leptos's own executor starts with the first mount: not yet.)
        Err((opening, stored)) => wasm_bindgen_futures::spawn_local(async move {
            match later::read_draft(stored.raw.clone(), stored.version).await {
                Ok(read) => mount(at, embed, widget, opening.settled(stored, read)),
                Err(_) => later::draft_waits(at.clone(), move || open(at.clone(), embed.clone(), widget.clone())),
            }
        }),
    }
}

#[component]
pub fn App(
    /// Set when the app is embedded on another page as a widget.
    #[prop(default = None)]
    embed: Option<Embed>,
    /// The widget's mount point, when embedded.
    #[prop(default = None)]
    root: Option<web_sys::Element>,
    /// The draft, read before mounting ([`open`]).
    opening: Opening,
) -> impl IntoView {
    let set = policy::installed();
    let profiles = &set.profiles;
    if profiles.is_empty() {
        return view! { <div data-app-ready="" inner_html=crash::policy_not_loaded_html()></div> }.into_any();
    }
    let as_of = today_or(profiles.iter().map(|p| p.effective_to).max().unwrap_or_default());
    let embedded = embed.is_some();
    let Opening { storage_key, worker, loaded } = opening;
    // The address asks for worker mode (whether or not this build has it).
    let worker_address = worker;
    // Known when compiling: the villager's build then carries none of worker mode's reading.
    let worker = cfg!(feature = "worker") && worker;
    let embed = embed.unwrap_or_default();
    // A draft that stopped the last start is set aside first, so it cannot stop this one too.
    let set_aside = !worker && matches!(store::begin_start(&storage_key, js_sys::Date::now()), Some(Ok(_)));
    let loaded = if set_aside { Loaded::Fresh } else { loaded };
    // The unreadable draft that could not be copied aside stays under the key: never saved over.
    // Until "清除本机数据" removes it; meanwhile the page says it is not saving.
    let hold_saves = StoredValue::new(matches!(loaded, Loaded::Stays { .. }));
    let (initial, notice) = match loaded {
        Loaded::Fresh if set_aside => (Draft::default(), Some(Notice::SetAsideFailedStart)),
        Loaded::Fresh => (Draft::default(), None),
        Loaded::Restored(d) => (*d, None),
        Loaded::Stays { .. } => (Draft::default(), Some(Notice::UnreadableNotSaving)),
        Loaded::SetAside { problem, .. } => (
            Draft::default(),
            Some(match problem {
                Problem::Unreadable => Notice::SetAsideUnreadable,
                Problem::Newer => Notice::SetAsideNewer,
            }),
        ),
    };
    let mut initial = initial;
    // The host's attributes choose the county (by one of its profiles), language, care mode and
    // endpoint of its widget.
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
    if worker {
        let s = worker_load::settings().unwrap_or_default();
        (initial.lang, initial.care) = (s.lang, s.care);
        // A villager's QR link opened in worker mode: a household for the worker's list.
        worker_load::set_pending_handoff(channels::take_handoff_digits());
        #[cfg(feature = "worker")]
        outbox::use_vault();
    } else if !embedded
        && !worker_address
        && worker_load::set_up()
        && let Some(digits) = channels::take_handoff_digits()
    {
        // A villager's QR link opened on a grid worker's phone: the household goes to the worker's
        // list, sealed under the PIN, and never into this page's plain draft.
        store::end_start(&storage_key);
        let to = format!("{}{}#a={digits}", channels::page_base(), fangpin_html::page::WORKER_LINK);
        if let Some(w) = web_sys::window() {
            let _ = w.location().replace(&to);
        }
        return view! { <p class="fp-note" data-app-ready="" data-testid="to-worker-list">"正在打开您的走访名单… · Opening your visit list…"</p> }.into_any();
    } else {
        channels::take_handoff(&mut initial); // a `#a=` QR link opens the application it carries
    }
    let draft = RwSignal::new(initial);
    if !worker {
        // The start is over once the first screen is drawn and its effects have run (they run in
        // microtasks, before this timer).
        let key = storage_key.clone();
        set_timeout(move || store::end_start(&key), std::time::Duration::ZERO);
    }
    let notice = RwSignal::new(notice);
    let save_failed = RwSignal::new(None::<NotSaved>);
    let lang = Memo::new(move |_| draft.with(|d| d.lang));
    let screen = Memo::new(move |_| draft.with(|d| d.screen));
    // The chosen county's profile for today: a draft that named last year's (or none) is assessed on
    // the one in force, and names it from then on.
    let resolve = move |id: &str| set.resolve(id, as_of).and_then(|r| profiles.iter().position(|p| p.id == r.id)).unwrap_or(0);
    draft.update_untracked(|d| d.profile = profiles[resolve(&d.profile)].id.clone());
    let profile_idx = Memo::new(move |_| draft.with(|d| resolve(&d.profile)));
    let converted = Memo::new(move |_| {
        let p = &profiles[profile_idx.get()];
        draft.with(|d| form::to_household(&d.form, p, as_of))
    });
    let decision = Memo::new(move |_| {
        let p = &profiles[profile_idx.get()];
        converted.with(|c| decide(&c.household, p, as_of))
    });
    let explainer = RwSignal::new(None::<ctx::Explainer>);
    let assessment = Memo::new(move |_| {
        let explain = explainer.get()?;
        let p = &profiles[profile_idx.get()];
        let d = decision.get();
        Some(converted.with(|c| explain(&d, &c.household, p, as_of)))
    });
    let ctx = Ctx {
        draft,
        lang,
        screen,
        profile_idx,
        as_of,
        converted,
        decision,
        assessment,
        explainer,
        speech: speech::watch(),
        root: StoredValue::new_local(root),
    };
    provide_context(ctx);

    // The one place the draft is saved: on every change. Skipped once right after "clear". In
    // worker mode the draft is the open household's, and the worker's file seals it in its record.
    let skip_save = StoredValue::new(false);
    // Another window of this page (a tab left open, a second link tapped) saved the draft: this
    // one takes what it saved, so that neither writes its older entries over the other's newer
    // ones; and takes a clearing too, so that "清除本机数据" there is not undone from here.
    // `taken` counts what was taken: the screen is drawn again from the new draft (lists of
    // members and the like, not only the values the fields follow).
    let taken = RwSignal::new(0u32);
    // (Set up by the later file, which reads what they save, when it starts this app.)
    let following =
        (!worker).then(|| later::Following { key: storage_key.clone(), draft, hold_saves, skip_save, save_failed, notice, taken, as_of });
    // The later wasm file at once; it starts this app's outbox (which retries what is pending from
    // earlier visits) under this app's owner, where the application screen looks for it, and the
    // following.
    if let Some(owner) = Owner::current() {
        later::start(owner, following);
    }
    Effect::new(move |_| {
        draft.track();
        if worker {
            return;
        }
        if hold_saves.get_value() {
            if save_failed.get_untracked().is_none() {
                save_failed.set(Some(NotSaved::Held));
            }
            return;
        }
        if skip_save.get_value() {
            skip_save.set_value(false);
            return;
        }
        let now = match draft.with_untracked(|d| store::save(&storage_key, d)) {
            store::Saved::Yes => None,
            store::Saved::Failed => Some(NotSaved::Failed),
            // Another window saved meanwhile and this one did not hear of it: neither is written
            // over, and this one's entries stay on screen.
            store::Saved::OtherWindowSaved => {
                hold_saves.set_value(true);
                notice.set(Some(Notice::OtherWindowNotSaving));
                Some(NotSaved::Held)
            }
        };
        if save_failed.get_untracked() != now {
            save_failed.set(now);
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
        document().set_title(page::title(l));
    });
    // A new screen starts at its top, with the focus on its title. So does the first screen when
    // the app takes over from the start page (whose button, focused, is gone).
    Effect::new(move |prev: Option<Screen>| {
        let s = screen.get();
        let focus_lost = || document().active_element().is_none_or(|el| el.tag_name() == "BODY");
        if prev.is_some_and(|p| p != s) || (prev.is_none() && s != Screen::Start && !embedded && focus_lost()) {
            request_animation_frame(move || {
                ctx.scroll_to_top();
                ctx.focus("fp-screen-title");
            });
        }
        s
    });

    let app_owner = Owner::current();
    let clear = Callback::new(move |()| {
        // What the notice says is what was done: all of it, or all but the reports it names.
        let reset = move |said: Notice| {
            // What was held back for is gone now: saving goes on from the next change.
            hold_saves.set_value(false);
            skip_save.set_value(true);
            let (l, care) = draft.with_untracked(|d| (d.lang, d.care));
            draft.set(Draft { lang: l, care, ..Draft::default() });
            notice.set(Some(said));
        };
        if !outbox::stored() {
            store::clear_all(|_| true);
            return reset(Notice::Cleared);
        }
        // Reports were made on this phone: the ones still waiting are kept, which takes the later
        // file's reader (it is here: the reports were made with it, or the service worker has it).
        let started = app_owner.as_ref().and_then(|o| o.with(use_context::<outbox::Outbox>));
        leptos::task::spawn_local(async move {
            match later::clear_keeping_pending(started).await {
                Ok(outbox::Kept::Waiting) => reset(Notice::ClearedButWaitingReports),
                Ok(outbox::Kept::Nothing) => reset(Notice::Cleared),
                Ok(outbox::Kept::AllSent) => reset(Notice::ClearedButSentReports),
                Err(_) => {
                    // It did not come: everything but the outbox, which may hold a report still waiting.
                    store::clear_all(|key| !fangpin_html::storage::is_outbox_key(key));
                    reset(Notice::ClearedButSentReports);
                }
            }
        });
    });

    // The header's switches; it is drawn again on a change, so the focus goes back to the switch.
    let on_header = move |ev: web_sys::MouseEvent| {
        let sel = match html::action_of(&ev) {
            Some(html::Action::Lang) => {
                draft.update(|d| d.lang = d.lang.other());
                html::Action::Lang.selector()
            }
            Some(html::Action::Care) => {
                draft.update(|d| d.care = !d.care);
                html::Action::Care.selector()
            }
            _ => return,
        };
        request_animation_frame(move || ctx.focus_first(sel));
    };

    view! {
        <div class="fp-app" class:fp-care=move || draft.with(|d| d.care) lang=move || lang.get().code() data-app-ready="">
            <div inner_html=move || page::header(lang.get(), draft.with(|d| d.care)) on:click=on_header></div>
            {move || notice.get().map(|n| view! {
                <div inner_html=move || if later::is_ready() { later::ready(later::notice_html(lang.get(), n)).unwrap_or_default() } else { String::new() } on:click=move |ev: web_sys::MouseEvent| {
                    if html::action_of(&ev) == Some(html::Action::NoticeClose) {
                        notice.set(None);
                        request_animation_frame(move || ctx.focus("fp-screen-title"));
                    }
                }></div>
            })}
            {move || save_failed.get().map(|why| view! {
                // `data-unsaved`: boot.js's update bar reads it (a reload would lose the entries).
                <p class="fp-notice" role="status" data-testid="save-failed" data-unsaved="">
                    {move || match why {
                        NotSaved::Failed => tr(lang.get(),
                            "这台手机没能保存您填的内容（可能存储已满或被禁止）。请不要关闭页面，填完后直接申报。",
                            "This phone could not save your entries (storage full or blocked). Please keep the page open and apply when done."),
                        NotSaved::Held => tr(lang.get(),
                            "为了不覆盖这台手机上保存的其他内容，这个窗口没有保存您填的内容。请不要关闭页面，填完后直接申报。",
                            "So as not to write over other entries saved on this phone, this window has not saved your entries. Please keep the page open and apply when done."),
                    }}
                </p>
            })}
            // Each screen renders its texts once, in the current language; a language switch
            // renders the screen again (every answer is in the draft, so nothing is lost).
            {if worker {
                view! { <worker_load::WorkerMode /> }.into_any()
            } else {
                (move || {
                    taken.track();
                    villager_screen(lang.get(), screen.get())
                })
                .into_any()
            }}
            {(!worker).then(|| view! { <screens::footer::Footer clear /> })}
        </div>
    }
    .into_any()
}

/// Why what the person enters is not on the phone (the page says so until it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotSaved {
    /// The device would not store it (full, blocked).
    Failed,
    /// Not written, so as not to write over other stored entries: an unreadable draft that could
    /// not be copied aside, or what another window saved.
    Held,
}

/// The screen `s` of the household's self-check (a villager's, or the household a worker has open).
pub(crate) fn villager_screen(_lang: Lang, s: Screen) -> AnyView {
    match s {
        Screen::Start => view! { <later::LaterScreen screen=Screen::Start /> }.into_any(),
        s @ (Screen::Result | Screen::Application) => view! { <later::LaterScreen screen=s /> }.into_any(),
        s => view! { <screens::steps::StepScreen screen=s /> }.into_any(),
    }
}
