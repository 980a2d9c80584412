//! The result, recomputed by the core whenever an answer changes: per-capita net income and how it
//! was computed, where it stands against the line, the risks, the likely category, each with its
//! "为什么", the gap, the matched measures, and data-quality notes.
//!
//! The read-only blocks are built as escaped HTML by `fangpin_html::result` (the roster's
//! household view shows the same); the summary sits in an `aria-live` region so a change is announced.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::i18n::{Lang, tr};
use crate::store::Screen;
use crate::widgets::{Speak, derived, go, live};
use fangpin_core::assessment::Assessment;
use fangpin_html::result::{details_html, headline, summary_html};

#[component]
pub fn ResultScreen() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let as_of = ctx.as_of;
    // The decision in words, with the evidence, rule and clause of each conclusion (later.rs handed
    // `explain` over before this screen was made).
    let assessment = move |f: &dyn Fn(&Assessment) -> String| ctx.assessment.with(|a| a.as_ref().map(f).unwrap_or_default());
    let speak_text = derived(move || {
        assessment(&|a| {
            format!("{}。{}", headline(a, l), a.category_reasons.iter().map(|r| r.text.get(l.code())).collect::<Vec<_>>().join(" "))
        })
    });
    let summary = move || assessment(&|a| summary_html(a, l));
    let details = move || {
        let p = ctx.profile();
        let errors = ctx.converted.with(|c| c.errors.len());
        assessment(&|a| details_html(a, p, l, errors))
    };
    view! {
        <section class="fp-screen" data-screen="result">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "自测结果", "Your result")}</h2>
            <p class="fp-muted">{match l {
                Lang::Zh => format!("按 {as_of} 计算。这是自测，不是认定结果；是否纳入监测，以村、乡镇核实为准。"),
                Lang::En => format!("Computed for {as_of}. This is a self-check, not a decision; the village and township check and decide."),
            }}</p>
            <UnreadAnswers />
            <div class="fp-result-head" aria-live="polite" aria-atomic="true" data-testid="result-summary" inner_html=live(summary)></div>
            <Speak text=speak_text />
            <div inner_html=live(details)></div>
            <div class="fp-nav fp-noprint">
                <button type="button" class="fp-button" data-testid="edit" on:click=go(ctx, Screen::Members)>
                    {tr(l, "返回修改", "Change answers")}
                </button>
                <button type="button" class="fp-button fp-primary" data-testid="to-application" on:click=go(ctx, Screen::Application)>
                    {tr(l, "生成申请", "Prepare the application")}
                </button>
            </div>
        </section>
    }
}

/// Answers that could not be read are not counted: the result and the application say so first,
/// each with where it is and a button to its field (a figure below the line that leaves out an
/// income nobody saw is a wrong result).
#[component]
pub fn UnreadAnswers() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let unread = Memo::new(move |_| ctx.converted.with(|c| c.errors.clone()));
    const SHOWN: usize = 5;
    move || {
        let unread = unread.get();
        if unread.is_empty() {
            return None;
        }
        let names = ctx.draft.with(|d| d.form.members.iter().map(|m| m.name.trim().to_string()).collect::<Vec<_>>());
        let n = unread.len();
        let more = n.saturating_sub(SHOWN);
        let items = unread
            .into_iter()
            .take(SHOWN)
            .map(|(id, message)| {
                let screen = Screen::of_field(&id);
                let step = screen.step_index().unwrap_or(0) + 1;
                let member = fangpin_form::form::member_of_field(&id);
                let place = match (l, member) {
                    (Lang::Zh, Some(i)) => match names.get(i).filter(|n| !n.is_empty()) {
                        Some(n) => format!("第 1 步，第 {} 位家人（{n}）：", i + 1),
                        None => format!("第 1 步，第 {} 位家人：", i + 1),
                    },
                    (Lang::En, Some(i)) => format!("Step 1, member {}: ", i + 1),
                    (Lang::Zh, None) => format!("第 {step} 步（{}）", crate::screens::steps::step_name(l, screen)),
                    (Lang::En, None) => format!("Step {step} ({})", crate::screens::steps::step_name(l, screen)),
                };
                // The field's own question, where it has one: "第 2 步（收入）“财产性收入”：…".
                let place = match (member, crate::screens::steps::field_label(&id, l)) {
                    (Some(_), _) => place,
                    (None, Some(q)) if l == Lang::Zh => format!("{place}“{q}”："),
                    (None, Some(q)) => format!("{place}, “{q}”: "),
                    (None, None) => format!("{place}{}", tr(l, "：", ": ")),
                };
                let field = id.clone();
                view! {
                    <li data-field=id>
                        {place}{message.get(code).to_string()}" "
                        <button type="button" class="fp-button fp-small" on:click=move |_| {
                            ctx.go(screen);
                            let field = field.clone();
                            // After the new screen's own focus on its title (a frame later).
                            request_animation_frame(move || request_animation_frame(move || ctx.focus(&format!("fp-{field}"))));
                        }>{tr(l, "去改", "Fix it")}</button>
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <div class="fp-notice" role="alert" data-testid="unread-answers">
                <p><strong>{match l {
                    Lang::Zh => format!("有 {n} 处填写没有读懂，下面的结果没有把它们算进去。改好以后，结果会跟着变："),
                    Lang::En => format!("{n} answers could not be read and are not counted below. Correct them and the result follows:"),
                }}</strong></p>
                <ul class="fp-list">{items}</ul>
                {(more > 0).then(|| view! { <p>{match l { Lang::Zh => format!("还有 {more} 处。"), Lang::En => format!("And {more} more.") }}</p> })}
            </div>
        })
    }
}
