//! The self-check app (Leptos, client-side rendered). Mounts into `#fangpin-app`.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().get_element_by_id("fangpin-app") else { return };
    root.set_inner_html("");
    let root: web_sys::HtmlElement = root.unchecked_into();
    leptos::mount::mount_to(root, App).forget();
}

#[component]
fn App() -> impl IntoView {
    view! {
        <div data-app-ready="">
            <h1>"防止返贫监测 · 自测与申请"</h1>
        </div>
    }
}
