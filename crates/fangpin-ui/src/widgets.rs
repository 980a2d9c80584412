//! Small reusable controls. Every control has a visible label, an optional one-line "为什么问"
//! (why we ask) tied to it with `aria-describedby`, and a read-aloud button where speech exists.

use leptos::prelude::*;

use crate::i18n::tr;
use crate::store::Draft;
use crate::{speech, use_ctx};
use fangpin_form::form::{Form, MemberForm};

/// A part shown while `cond` holds, rebuilt when it changes.
pub fn when(cond: impl Fn() -> bool + Send + Sync + 'static, part: impl Fn() -> AnyView + Send + Sync + 'static) -> BoxFn<Option<AnyView>> {
    Box::new(move || cond().then(&part))
}

/// A part that changes, or is absent. Boxed, like [`when`], so all call sites share one reactive
/// closure type (one set of Leptos render and effect code) instead of one per
/// `move || … view! { … }` closure.
pub fn maybe(f: impl Fn() -> Option<AnyView> + Send + Sync + 'static) -> BoxFn<Option<AnyView>> {
    Box::new(f)
}

pub type BoxFn<T> = Box<dyn Fn() -> T + Send + Sync>;

/// A reactive string (a text or an `inner_html`), boxed so that all of them share one closure type
/// and so one instantiation of Leptos's reactive text/attribute code.
pub fn live(f: impl Fn() -> String + Send + Sync + 'static) -> BoxFn<String> {
    Box::new(f)
}

/// A click handler, boxed: buttons of the same shape then have the same element type, so Leptos
/// instantiates their build/mount/event code once instead of once per handler closure.
pub type OnClick = Box<dyn FnMut(leptos::ev::MouseEvent)>;

pub fn click(f: impl FnMut(leptos::ev::MouseEvent) + 'static) -> OnClick {
    Box::new(f)
}

/// A click handler that moves to screen `s`.
pub fn go(ctx: crate::ctx::Ctx, s: crate::store::Screen) -> OnClick {
    Box::new(move |_| ctx.go(s))
}

/// A label in the current language.
pub fn t(zh: &'static str, en: &'static str) -> Signal<String> {
    let lang = use_ctx().lang;
    derived(move || tr(lang.get(), zh, en).to_string())
}

/// A part of the draft as a memo. The closure is boxed, so Leptos's memo code is instantiated once
/// per value type rather than once per closure.
pub fn select<T>(f: impl Fn(&Draft) -> T + Send + Sync + 'static) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    select_boxed(Box::new(f))
}

#[allow(clippy::type_complexity)]
fn select_boxed<T>(f: Box<dyn Fn(&Draft) -> T + Send + Sync>) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    let d = use_ctx().draft;
    Memo::new(move |_| d.with(|x| f(x)))
}

/// A callback that changes the draft; boxed like [`select`].
pub fn setter<T: 'static>(f: impl Fn(&mut Draft, T) + Send + Sync + 'static) -> Callback<T> {
    setter_boxed(Box::new(f))
}

#[allow(clippy::type_complexity)]
fn setter_boxed<T: 'static>(f: Box<dyn Fn(&mut Draft, T) + Send + Sync>) -> Callback<T> {
    let d = use_ctx().draft;
    Callback::new(move |val: T| d.update(|x| f(x, val)))
}

/// A derived signal, boxed so that `Signal::derive` is instantiated once per value type.
pub fn derived<T: Send + Sync + 'static>(f: impl Fn() -> T + Send + Sync + 'static) -> Signal<T> {
    let f: BoxFn<T> = Box::new(f);
    Signal::derive(f)
}

/// A value of the form, as a signal that changes only when the value does, and its setter.
pub fn form_value<T>(get: fn(&Form) -> T, set: fn(&mut Form, T)) -> (Signal<T>, Callback<T>)
where
    T: Clone + PartialEq + Send + Sync + 'static,
{
    (select(move |x| get(&x.form)).into(), setter(move |x, val| set(&mut x.form, val)))
}

/// A value of member `i`.
pub fn member_value<T>(i: usize, get: fn(&MemberForm) -> T, set: fn(&mut MemberForm, T)) -> (Signal<T>, Callback<T>)
where
    T: Clone + PartialEq + Default + Send + Sync + 'static,
{
    (
        select(move |x| x.form.members.get(i).map(get).unwrap_or_default()).into(),
        setter(move |x, val| {
            if let Some(m) = x.form.members.get_mut(i) {
                set(m, val)
            }
        }),
    )
}

/// The message for field `id` in the current language, if the field has a problem.
pub fn field_error(id: String) -> Signal<Option<String>> {
    let ctx = use_ctx();
    let m = Memo::new(move |_| {
        let code = ctx.lang.get().code();
        ctx.converted.with(|c| c.error(&id).map(|t| t.get(code).to_string()))
    });
    m.into()
}

/// Whether the field has a problem (for `class:fp-invalid`); one closure type for every field.
pub fn has_error(error: Signal<Option<String>>) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    move || error.with(Option::is_some)
}

/// `aria-invalid` of a field; one closure type for every field.
pub fn aria_invalid(error: Signal<Option<String>>) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    move || if error.with(Option::is_some) { "true" } else { "false" }
}

/// Which member's card the questions are on (provided by the card), for the read-aloud buttons' names.
#[derive(Clone, Copy)]
pub struct MemberScope(pub usize);

/// A read-aloud button, shown while the browser has a voice for the page's language.
#[component]
pub fn Speak(#[prop(into)] text: Signal<String>) -> impl IntoView {
    let ctx = use_ctx();
    let member = use_context::<MemberScope>().map(|m| m.0);
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let voices = ctx.speech;
    move || {
        voices.get().speaks(lang.get()).then(|| {
            view! {
                <button type="button" class="fp-speak fp-noprint" data-speak=""
                    aria-label=move || speech::button_name(lang.get(), &text.get(), member)
                    on:click=click(move |_| speech::speak(&text.get_untracked(), lang.get_untracked()))>
                    <svg class="fp-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                        <path d="M3 9v6h4l5 5V4L7 9H3zm13.5 3A4.5 4.5 0 0 0 14 8v8a4.5 4.5 0 0 0 2.5-4zM14 3.2v2.1a7 7 0 0 1 0 13.4v2.1a9 9 0 0 0 0-17.6z"></path>
                    </svg>
                    <span>{tr(l, "朗读", "Read")}</span>
                </button>
            }
        })
    }
}

fn why_view(id: String, why: Option<Signal<String>>) -> impl IntoView {
    let l = use_ctx().lang.get_untracked();
    why.map(|w| {
        view! {
            <p class="fp-why-line" id=id>
                <span class="fp-why-tag">{tr(l, "为什么问：", "Why we ask: ")}</span>
                {w}
            </p>
        }
    })
}

/// The question and why it is asked, as one text to read: a full stop between them unless the
/// question ends in its own mark (“…吗？”), in the page's language.
fn speak_text(label: Signal<String>, why: Option<Signal<String>>) -> Signal<String> {
    let lang = use_ctx().lang;
    derived(move || match why {
        Some(w) => {
            let q = label.get();
            let stop = match (q.trim_end().ends_with(['？', '。', '！', '：', '?', '.', '!', ':']), lang.get()) {
                (true, _) => " ",
                (false, crate::i18n::Lang::Zh) => "。",
                (false, crate::i18n::Lang::En) => ". ",
            };
            format!("{}{stop}{}", q.trim_end(), w.get())
        }
        None => label.get(),
    })
}

/// A text field that keeps exactly what was typed; its problems show at once: the form
/// conversion's for its id, or the ones given (`error`, e.g. the application's).
#[component]
pub fn TextField(
    /// Field id (DOM id `fp-<id>`; the key of its conversion errors).
    #[prop(into)]
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional_no_strip)] why: Option<Signal<String>>,
    #[prop(optional_no_strip)] hint: Option<Signal<String>>,
    #[prop(optional_no_strip)] unit: Option<Signal<String>>,
    value: Signal<String>,
    on_input: Callback<String>,
    #[prop(optional_no_strip)] error: Option<Signal<Option<String>>>,
    /// What the typed text was read as, when that is worth saying (an amount not in plain digits).
    #[prop(optional_no_strip)]
    reads_as: Option<Signal<Option<String>>>,
    /// Offer to read the question aloud (not for the application's plain facts).
    #[prop(default = true)]
    speak: bool,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
) -> impl IntoView {
    let dom = format!("fp-{id}");
    let why_id = format!("{dom}-why");
    let hint_id = format!("{dom}-hint");
    let unit_id = format!("{dom}-unit");
    let err_id = format!("{dom}-err");
    let error = error.unwrap_or_else(|| field_error(id));
    let mut base: Vec<String> = Vec::new();
    if unit.is_some() {
        base.push(unit_id.clone());
    }
    if hint.is_some() {
        base.push(hint_id.clone());
    }
    if why.is_some() {
        base.push(why_id.clone());
    }
    let err_for_describe = err_id.clone();
    let describedby = move || {
        let mut v = base.clone();
        if error.with(Option::is_some) {
            v.insert(0, err_for_describe.clone());
        }
        v.join(" ")
    };
    view! {
        <div class="fp-field" class:fp-invalid=has_error(error)>
            <div class="fp-qhead">
                <label for=dom.clone()>{label}</label>
                {speak.then(|| view! { <Speak text=speak_text(label, why) /> })}
            </div>
            {why_view(why_id, why)}
            {hint.map(|h| view! { <p class="fp-hint" id=hint_id>{h}</p> })}
            <div class="fp-inputrow">
                <input id=dom type="text" inputmode=inputmode autocomplete=autocomplete spellcheck="false"
                    prop:value=value
                    aria-invalid=aria_invalid(error)
                    aria-describedby=describedby
                    on:input=move |ev| on_input.run(event_target_value(&ev)) />
                {unit.map(|u| view! { <span class="fp-unit" id=unit_id>{u}</span> })}
            </div>
            {reads_as.map(|r| view! {
                <p class="fp-hint fp-reads-as" data-reads-as="" aria-live="polite">
                    {move || if error.with(Option::is_some) { None } else { r.get() }}
                </p>
            })}
            <p class="fp-error" id=err_id aria-live="polite">{live(move || error.get().unwrap_or_default())}</p>
        </div>
    }
}

/// An amount in yuan (accepts 1.2万, 12,000, full-width digits; the core's parser decides).
#[component]
pub fn AmountField(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] why: Signal<String>,
    #[prop(optional_no_strip)] hint: Option<Signal<String>>,
    get: fn(&Form) -> String,
    set: fn(&mut Form, String),
) -> impl IntoView {
    let (value, on_input) = form_value(get, set);
    let unit = Some(t("元", "yuan"));
    // 800，600 or 1.2万: the amount it was read as, so that a reading not meant is seen.
    let lang = use_ctx().lang;
    let reads_as = Some(Signal::derive(move || {
        value.with(|v| fangpin_core::money::reads_as(v)).map(|m| match lang.get() {
            crate::i18n::Lang::Zh => format!("读作 {} 元", m.display_yuan()),
            crate::i18n::Lang::En => format!("Read as {} yuan", m.display_yuan()),
        })
    }));
    view! { <TextField id label why=Some(why) hint unit value on_input inputmode="decimal" reads_as /> }
}

/// One choice among a few, as large radio buttons in a fieldset. Options are labels; the value is
/// the index of the chosen one (see [`form_choice`] and [`member_choice`] for typed values).
#[component]
pub fn Choice(
    #[prop(into)] name: String,
    #[prop(into)] legend: Signal<String>,
    #[prop(optional, into)] why: Option<Signal<String>>,
    options: Vec<(&'static str, &'static str)>,
    value: Signal<usize>,
    on_change: Callback<usize>,
    /// The group's problem (a question not answered), said under it.
    #[prop(optional)]
    error: Option<Signal<Option<String>>>,
) -> impl IntoView {
    let l = use_ctx().lang.get_untracked();
    let dom = format!("fp-{name}");
    let why_id = format!("{dom}-why");
    let err_id = format!("{dom}-err");
    let described = match (why.is_some(), error.is_some()) {
        (true, true) => Some(format!("{why_id} {err_id}")),
        (true, false) => Some(why_id.clone()),
        (false, true) => Some(err_id.clone()),
        (false, false) => None,
    };
    let opts = options
        .into_iter()
        .enumerate()
        .map(|(i, (zh, en))| {
            let id = format!("{dom}-{i}");
            let for_id = id.clone();
            let group = dom.clone();
            view! {
                <label class="fp-option" for=for_id>
                    <input type="radio" id=id name=group prop:checked=move || value.get() == i
                        on:change=move |_| on_change.run(i) />
                    <span>{tr(l, zh, en)}</span>
                </label>
            }
        })
        .collect_view();
    let error_view = error.map(|e| view! { <p class="fp-error" id=err_id aria-live="polite">{move || e.get().unwrap_or_default()}</p> });
    view! {
        // The id and tabindex let "去改" on the result bring the focus to the group.
        <fieldset class="fp-field fp-choice" id=dom.clone() tabindex="-1" aria-describedby=described>
            <legend>{legend}</legend>
            <Speak text=speak_text(legend, why) />
            {why_view(why_id, why)}
            <div class="fp-options">{opts}</div>
            {error_view}
        </fieldset>
    }
}

/// Typed options: (value, 中文, English).
pub type Options<T> = &'static [(T, &'static str, &'static str)];

fn labels<T>(o: Options<T>) -> Vec<(&'static str, &'static str)> {
    o.iter().map(|(_, zh, en)| (*zh, *en)).collect()
}

/// The labels, the chosen index and its setter, for [`Choice`].
pub type ChoiceParts = (Vec<(&'static str, &'static str)>, Signal<usize>, Callback<usize>);

/// A choice over a form value: its labels, the chosen index and the setter.
pub fn form_choice<T>(o: Options<T>, get: fn(&Form) -> T, set: fn(&mut Form, T)) -> ChoiceParts
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    choice_parts(
        labels(o),
        Box::new(move |x| o.iter().position(|(v, _, _)| *v == get(&x.form)).unwrap_or(0)),
        Box::new(move |x, i| {
            if let Some((v, _, _)) = o.get(i) {
                set(&mut x.form, *v)
            }
        }),
    )
}

/// A choice over a value of member `i`.
pub fn member_choice<T>(i: usize, o: Options<T>, get: fn(&MemberForm) -> T, set: fn(&mut MemberForm, T)) -> ChoiceParts
where
    T: Copy + PartialEq + Send + Sync + 'static,
{
    choice_parts(
        labels(o),
        // A value among none of the options (a question not answered yet): no option is checked.
        Box::new(move |x| x.form.members.get(i).and_then(|m| o.iter().position(|(v, _, _)| *v == get(m))).unwrap_or(usize::MAX)),
        Box::new(move |x, k| {
            if let (Some((v, _, _)), Some(m)) = (o.get(k), x.form.members.get_mut(i)) {
                set(m, *v)
            }
        }),
    )
}

/// The typed choices above, past their option type: one memo and one callback type for all of
/// them, instead of one per option type.
#[allow(clippy::type_complexity)]
fn choice_parts(
    labels: Vec<(&'static str, &'static str)>,
    index: Box<dyn Fn(&Draft) -> usize + Send + Sync>,
    set: Box<dyn Fn(&mut Draft, usize) + Send + Sync>,
) -> ChoiceParts {
    (labels, select_boxed(index).into(), setter_boxed(set))
}

/// Yes / no / not sure, for answers that may be left open.
pub const YES_NO: Options<Option<bool>> = &[(Some(true), "是", "Yes"), (Some(false), "否", "No"), (None, "不清楚", "Not sure")];

/// A checkbox with its label and an optional reason.
#[component]
pub fn Check(
    #[prop(into)] id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(optional, into)] why: Option<Signal<String>>,
    value: Signal<bool>,
    on_change: Callback<bool>,
) -> impl IntoView {
    let dom = format!("fp-{id}");
    let why_id = format!("{dom}-why");
    let described = why.is_some().then(|| why_id.clone());
    let for_id = dom.clone();
    view! {
        <div class="fp-field">
            <div class="fp-qhead">
                <label class="fp-option fp-check" for=for_id>
                    <input type="checkbox" id=dom prop:checked=value aria-describedby=described
                        on:change=move |ev| on_change.run(event_target_checked(&ev)) />
                    <span>{label}</span>
                </label>
                <Speak text=speak_text(label, why) />
            </div>
            {why_view(why_id, why)}
        </div>
    }
}
