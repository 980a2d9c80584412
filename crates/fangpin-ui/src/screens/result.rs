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
