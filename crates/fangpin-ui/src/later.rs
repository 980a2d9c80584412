//! What a person reaches after the first household question — the other steps, the result and the
//! application (with its QR code, channels and print) — in a second wasm file, so that the first
//! question does not wait for it on a slow line.
//!
//! With the `split` feature (the release build, `cargo xtask build-site`), `wasm_split` moves each
//! function below and everything only it uses into that file, and the call fetches it on first use.
//! The app asks for it in the background as soon as it has started ([`start`]), so on a working
//! line it is there before the person finishes the first step, and the service worker keeps it for
//! offline use. The app's own start screen (the page has the prerendered one) and the outbox, which
//! retries waiting reports, come with it. If it cannot be fetched (the line dropped on a first visit), the screen says so and offers to
//! try again; the draft is saved meanwhile. Without the feature (the wasm-bindgen tests) the same
//! functions are plain calls.

use leptos::prelude::*;
use std::future::Future;

use leptos::wasm_split::SplitLoaderError;

use crate::i18n::tr;
use crate::screens::{application::ApplicationScreen, result::ResultScreen, start::StartScreen, steps::later_step};
use crate::store::{Draft, Problem, Screen, migrate};
use crate::use_ctx;
use fangpin_html::page::Notice;

/// The view of `screen`: one function, so that one file holds all of them. It first hands the
/// app the code that explains a decision, which only these screens show.
fn view_of(screen: Screen) -> AnyView {
    let ctx = use_ctx();
    if ctx.explainer.get_untracked().is_none() {
        ctx.explainer.set(Some(fangpin_core::assessment::explain));
    }
    match screen {
        Screen::Result => view! { <ResultScreen /> }.into_any(),
        Screen::Application => view! { <ApplicationScreen /> }.into_any(),
        Screen::Start => view! { <StartScreen /> }.into_any(),
        s => later_step(s),
    }
}

#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_later))]
fn later_view(screen: Screen) -> Result<AnyView, SplitLoaderError> {
    Ok(view_of(screen))
}

#[cfg(not(feature = "split"))]
async fn later_view(screen: Screen) -> Result<AnyView, SplitLoaderError> {
    Ok(view_of(screen))
}

#[cfg(not(feature = "split"))]
async fn preload_later() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// What each app starts once the file is here: its outbox (provided as context of the app's owner),
/// and, for a villager's, following what other windows of the page save.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_later_started))]
fn started(following: Option<Following>) -> Result<(), SplitLoaderError> {
    crate::outbox::Outbox::start();
    if let Some(f) = following {
        follow(f);
    }
    Ok(())
}

#[cfg(not(feature = "split"))]
async fn started(following: Option<Following>) -> Result<(), SplitLoaderError> {
    crate::outbox::Outbox::start();
    if let Some(f) = following {
        follow(f);
    }
    Ok(())
}

#[cfg(not(feature = "split"))]
async fn preload_later_started() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// The first problem of the installed policy file, if it has any: `PolicySet::validate`, which only
/// this file carries (the first file decodes the policy and checks nothing).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_later_policy))]
fn policy_problem() -> Result<Option<String>, SplitLoaderError> {
    Ok(first_policy_problem())
}

#[cfg(not(feature = "split"))]
async fn policy_problem() -> Result<Option<String>, SplitLoaderError> {
    Ok(first_policy_problem())
}

#[cfg(not(feature = "split"))]
async fn preload_later_policy() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// Runs the policy's checks (this file is here); when they fail, the app stops and says so.
async fn policy_passes() -> bool {
    match policy_problem().await {
        Ok(Some(problem)) => {
            crate::crash::policy_refused(&problem);
            false
        }
        _ => true,
    }
}

fn first_policy_problem() -> Option<String> {
    let set = fangpin_core::policy::installed();
    // None installed: the app already says the policy data did not load.
    if set.profiles.is_empty() {
        return None;
    }
    set.validate().first().map(|e| e.to_string())
}

/// A notice's words (set aside, cleared …), which only rare visits show: in this file, so the first
/// one does not carry them; shown once it is here (a moment after the start).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible, preload(preload_later_notice))]
pub(crate) fn notice_html(l: crate::i18n::Lang, n: fangpin_html::page::Notice) -> Result<String, SplitLoaderError> {
    Ok(fangpin_html::page::notice(l, n))
}

#[cfg(not(feature = "split"))]
pub(crate) async fn notice_html(l: crate::i18n::Lang, n: fangpin_html::page::Notice) -> Result<String, SplitLoaderError> {
    Ok(fangpin_html::page::notice(l, n))
}

#[cfg(not(feature = "split"))]
async fn preload_later_notice() -> Result<(), SplitLoaderError> {
    Ok(())
}

/// Whether this file is here (tracked: a view that needs it is drawn again when it comes).
pub(crate) fn is_ready() -> bool {
    state().get() == State::Ready
}

/// A stored draft with a household, read (`migrate`, with serde_json's reader, which only this file
/// carries: a first visit has no draft to read).
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(crate) fn read_draft(raw: String, version: u32) -> Result<Result<Draft, Problem>, SplitLoaderError> {
    Ok(migrate(&raw, version))
}

#[cfg(not(feature = "split"))]
pub(crate) async fn read_draft(raw: String, version: u32) -> Result<Result<Draft, Problem>, SplitLoaderError> {
    Ok(migrate(&raw, version))
}

/// What the app's window holds that another window's saves change (`lib.rs`, `App`), and the key
/// they are saved under.
#[derive(Clone)]
pub struct Following {
    pub key: String,
    pub draft: RwSignal<Draft>,
    pub hold_saves: StoredValue<bool>,
    pub skip_save: StoredValue<bool>,
    pub save_failed: RwSignal<Option<crate::NotSaved>>,
    pub notice: RwSignal<Option<Notice>>,
    /// Counts what was taken: the screen is drawn again.
    pub taken: RwSignal<u32>,
    pub as_of: fangpin_core::date::Date,
}

/// Another window of the page changed the draft: this one takes what it saved — unless this one
/// holds entries that are not saved (they stay, and nothing is written over either), or cannot
/// read it (a newer version's) — or starts afresh after a clearing. A draft moved aside there
/// changes nothing here: this window's entries stay, and are saved with the next change.
fn take_from_other_window(f: &Following, what: crate::store::Elsewhere) {
    use crate::store::Elsewhere;
    let hold = || {
        f.hold_saves.set_value(true);
        f.notice.set(Some(Notice::OtherWindowNotSaving));
    };
    match what {
        Elsewhere::SetAside => return,
        Elsewhere::Cleared => {
            f.hold_saves.set_value(false);
            f.skip_save.set_value(true);
            let (lang, care) = f.draft.with_untracked(|d| (d.lang, d.care));
            f.draft.set(Draft { lang, care, ..Draft::default() });
            f.save_failed.set(None);
            f.notice.set(Some(Notice::ClearedInOtherWindow));
        }
        Elsewhere::Saved(_) if f.save_failed.get_untracked().is_some() => return hold(),
        Elsewhere::Saved(raw) => match migrate(&raw, crate::store::VERSION) {
            Ok(mut d) => {
                // The profile in force today for the county it names (as the app does on opening).
                let set = fangpin_core::policy::installed();
                if let Some(p) = set.resolve(&d.profile, f.as_of).or_else(|| set.profiles.first()) {
                    d.profile = p.id.clone();
                }
                f.hold_saves.set_value(false);
                f.skip_save.set_value(true);
                f.draft.set(d);
                f.notice.set(Some(Notice::ChangedInOtherWindow));
            }
            Err(_) => return hold(),
        },
    }
    f.taken.update(|n| *n = n.wrapping_add(1));
}

/// Follows what other windows of the page save ([`crate::store::follow_other_windows`]).
fn follow(f: Following) {
    crate::store::follow_other_windows(f.key.clone(), move |what| take_from_other_window(&f, what));
}

/// "清除本机数据" where the outbox has entries: it keeps those still waiting (reading them needs
/// this file's JSON reader); what it kept.
#[cfg(feature = "split")]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
pub(crate) fn clear_keeping_pending(outbox: Option<crate::outbox::Outbox>) -> Result<crate::outbox::Kept, SplitLoaderError> {
    Ok(crate::outbox::clear_keeping_pending(outbox, || crate::store::clear_all(|key| !fangpin_html::storage::is_outbox_key(key))))
}

#[cfg(not(feature = "split"))]
pub(crate) async fn clear_keeping_pending(outbox: Option<crate::outbox::Outbox>) -> Result<crate::outbox::Kept, SplitLoaderError> {
    Ok(crate::outbox::clear_keeping_pending(outbox, || crate::store::clear_all(|key| !fangpin_html::storage::is_outbox_key(key))))
}

/// The stored draft could not be read because this file did not come (the line dropped): the
/// page says so in `at`, in both languages (the draft that holds the person's choice is unread),
/// and offers to try again (`retry`). The draft stays as it is meanwhile.
pub(crate) fn draft_waits(at: web_sys::HtmlElement, retry: impl Fn() + 'static) {
    at.set_inner_html("");
    let retry = std::rc::Rc::new(retry);
    leptos::mount::mount_to(at, move || {
        let retry = retry.clone();
        view! {
            <section class="fp-notice" role="alert" data-testid="draft-waits" data-app-ready="">
                <h2 tabindex="-1">"自测工具没能打开您填过的内容"</h2>
                <p>"您填过的内容都还在这台手机上。打开它们还要下载工具的一部分，可能网络断了。请连上网络后点“再试一次”。"</p>
                <p>"也可以拨打热线 "<a href="tel:12317">"12317"</a>"，或找村里的网格员帮您申报。"</p>
                <p lang="en">"The self-check could not open what you entered. It is all still on this phone; opening it needs one more part of the tool, and the network may be down. Please connect and tap Try again, or call 12317."</p>
                <p>
                    <button type="button" class="fp-button fp-primary" on:click=move |_| retry()>
                        "再试一次 · Try again"
                    </button>
                </p>
            </section>
        }
    })
    .forget();
}

/// Whether the later file is here (shared by every screen and widget that needs it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Loading,
    Ready,
    Failed,
}

thread_local! {
    // As long as the page (reference-counted, not owned by whichever screen asked first).
    // Without the split (the wasm-bindgen tests) everything is in one file: here from the start.
    static STATE: ArcRwSignal<State> = ArcRwSignal::new(if cfg!(feature = "split") { State::Loading } else { State::Ready });
    // The apps (their owners) waiting for the file to start their outbox.
    static WAITING: std::cell::RefCell<Vec<(Owner, Option<Following>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

fn state() -> ArcRwSignal<State> {
    STATE.with(|s| s.clone())
}

/// Called by each app once it has started: fetches the later file in the background, at once,
/// then starts the app's outbox (and its following of other windows).
pub fn start(app: Owner, following: Option<Following>) {
    if state().get_untracked() == State::Ready {
        // Another widget on the page brought the file (or there is no split): its outbox now, before
        // its screens, once the policy has passed its checks (after this app is mounted).
        leptos::task::spawn_local(async move {
            if policy_passes().await {
                start_outbox(&app, following);
            }
        });
        return;
    }
    WAITING.with(|w| w.borrow_mut().push((app, following)));
    // The line came back after a failed load: try again without waiting for a tap on 再试一次
    // (the outbox has reports to retry).
    static LISTENING: std::sync::Once = std::sync::Once::new();
    LISTENING.call_once(|| {
        let _ = window_event_listener_untyped("online", |_| {
            if state().get_untracked() == State::Failed {
                load();
            }
        });
    });
    load();
}

fn start_outbox(app: &Owner, following: Option<Following>) {
    if app.with(|| ready(started(following))).is_none() {
        leptos::logging::warn!("fangpin: the outbox did not start");
    }
}

/// Fetches the later file (again, after a failure: 再试一次); a failure is shown when a screen
/// that needs it is opened.
fn load() {
    let state = state();
    if state.get_untracked() != State::Ready {
        state.set(State::Loading);
    }
    leptos::task::spawn_local(async move {
        // Each split function keeps its own "loaded" mark: both are set here (the second is
        // immediate, the file is the same), so that the calls below are ready at their first poll.
        let loaded = preload_later().await.is_ok()
            && preload_later_started().await.is_ok()
            && preload_later_policy().await.is_ok()
            && preload_later_notice().await.is_ok();
        // Before any screen of this file is drawn: the policy's checks.
        if loaded && !policy_passes().await {
            return;
        }
        state.set(if loaded { State::Ready } else { State::Failed });
        if loaded {
            for (app, following) in WAITING.with(|w| std::mem::take(&mut *w.borrow_mut())) {
                start_outbox(&app, following);
            }
        }
    });
}

/// A split function's result when its file is here: the future is then ready at its first poll.
pub(crate) fn ready<T>(future: impl Future<Output = Result<T, SplitLoaderError>>) -> Option<T> {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(Ok(value)) => Some(value),
        _ => None,
    }
}

/// The view, now that the file is here, drawn in the same pass as any other screen — no Suspense,
/// whose disposal order lost track of the screens' own signals on a language switch.
fn ready_view(screen: Screen) -> Option<AnyView> {
    ready(later_view(screen))
}

/// `screen` (the start, a step after the first, the result or the application), once its file is here.
#[component]
pub fn LaterScreen(screen: Screen) -> impl IntoView {
    let ctx = use_ctx();
    let state = state();
    move || match state.get() {
        State::Ready => ready_view(screen).unwrap_or_else(|| failed(ctx)),
        State::Failed => failed(ctx),
        State::Loading => view! {
            <h2 id="fp-screen-title" class="fp-loading" tabindex="-1" role="status">
                {tr(ctx.lang.get_untracked(), "正在打开……", "Opening…")}
            </h2>
        }
        .into_any(),
    }
}

/// The file did not come: say so plainly, keep the draft, offer to try again.
fn failed(ctx: crate::Ctx) -> AnyView {
    let l = ctx.lang.get_untracked();
    view! {
        <section class="fp-notice" role="alert" data-testid="later-failed">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "这一页没能打开", "This page did not open")}</h2>
            <p>{tr(l,
                "手机没能下载这一页（可能网络断了）。您已经填的内容都还在，请不要关闭页面；连上网络后点“再试一次”。",
                "The phone could not download this page (the network may be down). Everything you entered is still here; please keep the page open, connect and tap Try again.")}</p>
            <p>
                <button type="button" class="fp-button fp-primary" on:click=move |_| load()>
                    {tr(l, "再试一次", "Try again")}
                </button>
            </p>
        </section>
    }
    .into_any()
}

/// Room for the splitter: it regroups the read-only data by file, and alignment can make the regrouped
/// segment a few bytes longer than the linked one, which it refuses (then every string stays in the
/// first file). Nothing refers to these bytes, so the splitter leaves them out and the room is there.
#[cfg(feature = "split")]
#[used]
static SPLIT_SLACK: [u8; 256] = [0xA5; 256];
