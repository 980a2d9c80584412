//! Start: the profile's 申报政策明白纸 in plain words, the county picker (remembered in the draft),
//! and "开始自测". Drawn by `fangpin_html::page::start_screen`, the same function that prerenders
//! it into `index.html` and that the start page shows.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::html::{Action, action_of};
use crate::store::Screen;
use fangpin_core::policy;
use fangpin_html::page;

#[component]
pub fn StartScreen() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let started = ctx.draft.with_untracked(|d| d.form != fangpin_form::form::Form::default());
    let summaries = policy::installed().offered_summaries(ctx.as_of);
    let html = move || page::start_screen(ctx.profile(), &summaries, l, started, ctx.as_of);
    let on_click = move |ev: web_sys::MouseEvent| {
        if action_of(&ev) == Some(Action::Start) {
            ctx.go(Screen::Members);
        }
    };
    let on_change = move |ev: web_sys::Event| {
        if action_of(&ev) == Some(Action::Profile) {
            ctx.choose_county(&event_target_value(&ev));
            // The screen was drawn again; the person was on the picker.
            request_animation_frame(move || ctx.focus("fp-profile"));
        }
    };
    view! { <div inner_html=html on:click=on_click on:change=on_change></div> }
}
