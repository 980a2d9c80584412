//! The floor the app is measured against: the smallest Leptos page that does what the benchmark
//! times (mount, then accept text in an input). Same toolchain, profile and wasm-opt as the app.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().get_element_by_id("fangpin-app") else { return };
    root.set_inner_html("");
    leptos::mount::mount_to(root.unchecked_into(), Counter).forget();
}

#[component]
fn Counter() -> impl IntoView {
    let count = RwSignal::new(0);
    let text = RwSignal::new(String::new());
    view! {
        <div data-app-ready="">
            <button on:click=move |_| count.update(|c| *c += 1)>{move || count.get()}</button>
            <label>"输入" <input data-bench-input="" prop:value=text on:input=move |ev| text.set(event_target_value(&ev)) /></label>
            <p>{move || text.get()}</p>
        </div>
    }
}
