//! The self-check app (Leptos, client-side rendered). Mounts into `#fangpin-app`.
//!
//! Every decision shown on screen comes from `fangpin-core`; this crate holds only view state,
//! the on-device draft and the screens.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

pub mod i18n;

use fangpin_core::policy::{self, Profile};
use i18n::{Lang, tr};

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().get_element_by_id("fangpin-app") else { return };
    root.set_inner_html("");
    let root: web_sys::HtmlElement = root.unchecked_into();
    leptos::mount::mount_to(root, App).forget();
}

#[component]
pub fn App() -> impl IntoView {
    let lang = RwSignal::new(Lang::Zh);
    let profile = policy::default_profile();
    view! {
        <div data-app-ready="">
            <h1>{move || tr(lang.get(), "防止返贫监测 · 自测与申请", "Poverty-return monitoring: self-check and application")}</h1>
            {match profile {
                Some(p) => view! { <ProfileCard profile=p lang=lang.read_only() /> }.into_any(),
                None => view! {
                    <p class="fp-notice" role="alert">
                        {move || tr(lang.get(), "政策数据没有载入，请稍后再试，或拨打 12317 咨询。", "The policy data did not load. Please try again later, or call 12317.")}
                    </p>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ProfileCard(profile: &'static Profile, lang: ReadSignal<Lang>) -> impl IntoView {
    let range = &profile.monitoring_range;
    view! {
        <section class="fp-card" data-testid="profile">
            <h2>{move || profile.name.get(lang.get().code()).to_string()}</h2>
            <p>{move || tr(lang.get(), "监测范围（家庭年人均纯收入）", "Monitoring range (annual per-capita net household income)")}</p>
            <p class="fp-figure" data-testid="monitoring-range">
                {range.amount.display_yuan()} " " {move || tr(lang.get(), "元/人·年", "yuan per person per year")}
            </p>
            <p class="fp-muted">{move || range.basis.get(lang.get().code()).to_string()}</p>
            {range.screen_note.as_ref().map(|note| view! {
                <p class="fp-provisional" data-testid="range-note">{move || note.get(lang.get().code()).to_string()}</p>
            })}
        </section>
    }
}
