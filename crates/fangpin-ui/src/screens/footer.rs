//! Under every screen: where the data lives, the WeChat warning, and "清除本机数据" (asked twice).
//! Drawn by `fangpin_html::page::footer`, as on the start page.

use leptos::prelude::*;

use crate::html::action_of;
use crate::use_ctx;
use fangpin_html::page;

#[component]
pub fn Footer(clear: Callback<()>) -> impl IntoView {
    let ctx = use_ctx();
    let confirming = RwSignal::new(false);
    let html = move || page::footer(ctx.lang.get(), confirming.get());
    let on_click = move |ev: web_sys::MouseEvent| {
        let then_focus = match action_of(&ev).as_deref() {
            Some("clear-ask") => {
                confirming.set(true);
                "[data-action=clear-keep]"
            }
            Some("clear-keep") => {
                confirming.set(false);
                "[data-action=clear-ask]"
            }
            Some("clear-confirm") => {
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
