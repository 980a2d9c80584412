//! The UI crate in a real browser (wasm-bindgen-test in headless Chromium).
#![cfg(target_arch = "wasm32")]

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount_app() -> web_sys::HtmlElement {
    let host: web_sys::HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&host).unwrap();
    leptos::mount::mount_to(
        host.clone(),
        || view! { <fangpin_ui::App opening=fangpin_ui::Opening::read_now().expect("no split in tests") /> },
    )
    .forget();
    host
}

#[wasm_bindgen_test]
fn app_shows_the_default_profile_and_its_range() {
    let host = mount_app();
    let text = host.text_content().unwrap_or_default();
    assert!(text.contains("永安市"), "{text}");
    assert!(text.contains("10,560.00"), "{text}");
    assert!(host.query_selector("[data-app-ready]").unwrap().is_some());
}
