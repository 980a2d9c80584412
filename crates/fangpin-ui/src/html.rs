//! Read-only content (the policy sheet, the result's explanations) written as escaped HTML text and
//! placed with `inner_html`; the builder lives in `fangpin-html` (see there for why).
//!
//! Controls inside such HTML carry `data-action`; [`action_of`] reads it in one delegated listener.

pub use fangpin_html::Action;
pub use fangpin_html::html::Html;

/// The action of the control an event came from (the target or its nearest ancestor).
pub fn action_of(ev: &web_sys::Event) -> Option<Action> {
    use wasm_bindgen::JsCast;
    let target: web_sys::Element = ev.target()?.dyn_into().ok()?;
    Action::parse(&target.closest("[data-action]").ok().flatten()?.get_attribute("data-action")?)
}
