//! Under every screen: where the data lives, the WeChat warning, and "清除本机数据" (asked twice).
//! Drawn by `fangpin_html::page::footer`, as on the start page.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::html::{Action, action_of};
use fangpin_html::page;

#[component]
pub fn Footer(clear: Callback<()>) -> impl IntoView {
    let ctx = use_ctx();
    let confirming = RwSignal::new(false);
    // A widget on a host's page has no worker mode (its address is the host's).
    let entry = !ctx.is_widget();
    let html = move || page::footer_for(ctx.lang.get(), confirming.get(), entry);
    let on_click = move |ev: web_sys::MouseEvent| {
        let then_focus = match action_of(&ev) {
            Some(Action::ClearAsk) => {
                confirming.set(true);
                Action::ClearKeep.selector()
            }
            Some(Action::ClearKeep) => {
                confirming.set(false);
                Action::ClearAsk.selector()
            }
            Some(Action::ClearConfirm) => {
                confirming.set(false);
                clear.run(());
                "[data-testid=notice] button"
            }
            _ => return,
        };
        request_animation_frame(move || ctx.focus_first(then_focus));
    };
    view! { <div inner_html=html on:click=on_click></div> }
}
