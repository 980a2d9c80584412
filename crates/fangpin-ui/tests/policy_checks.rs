//! The app's first wasm file decodes the site's policy file without checking it; the checks come
//! with the later file (here, without the split, at once after the app has started). A file that
//! decodes but fails them stops the app with the plain "policy data did not load" message.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn next_task() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window().unwrap().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50).unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn a_policy_file_that_fails_its_checks_stops_the_app_before_any_result() {
    let mut set = fangpin_core::policy::installed().clone();
    assert!(set.validate().is_empty(), "the built-in set is valid");
    set.profiles[0].monitoring_range.amount = fangpin_core::money::Money::yuan(-1);
    assert!(!set.validate().is_empty());
    let bytes = set.to_published().unwrap();

    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("main").unwrap().unchecked_into();
    root.set_id("fangpin-app");
    document.body().unwrap().append_child(&root).unwrap();
    fangpin_ui::start_app(&bytes);
    for _ in 0..40 {
        if root.query_selector("[data-testid=policy-not-loaded]").unwrap().is_some() {
            break;
        }
        next_task().await;
    }
    let text = root.text_content().unwrap_or_default();
    assert!(text.contains("政策数据没有载入"), "{text}");
    assert!(text.contains("12317"), "{text}");
    assert!(root.query_selector("[data-screen]").unwrap().is_none(), "no screen is left: {text}");
}
