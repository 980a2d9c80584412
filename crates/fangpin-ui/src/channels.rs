//! The page's side of the channels: the handoff link in the address bar, the one-click endpoint
//! (the profile's, or a same-origin override), printing and copying.

use wasm_bindgen::JsCast;

use crate::store::{Draft, Screen};

fn location() -> Option<web_sys::Location> {
    web_sys::window().map(|w| w.location())
}

pub fn origin() -> String {
    location().and_then(|l| l.origin().ok()).unwrap_or_default()
}

/// The page's address without query or fragment: the base of a handoff link.
pub fn page_base() -> String {
    let l = location();
    let path = l.as_ref().and_then(|l| l.pathname().ok()).unwrap_or_else(|| "/".into());
    format!("{}{path}", origin())
}

/// A `#a=…` link opened on this phone: keep its digits in the draft, show the application, and
/// take the fragment out of the address bar (it holds personal data).
pub fn take_handoff(d: &mut Draft) {
    if let Some(digits) = take_handoff_digits() {
        d.apply.handoff = Some(digits);
        d.screen = Screen::Application;
    }
}

/// The digits of a `#a=…` link this page was opened with, taken out of the address bar.
pub fn take_handoff_digits() -> Option<String> {
    let l = location()?;
    let hash = l.hash().unwrap_or_default();
    let digits = hash.strip_prefix("#a=").filter(|d| !d.is_empty())?.to_string();
    if let Some(h) = web_sys::window().and_then(|w| w.history().ok()) {
        let clean = format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default());
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
    }
    Some(digits)
}

thread_local! {
    /// For an embedded widget: the origin its files came from (the self-check's own server).
    static WIDGET_ORIGIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// An embedded widget's own origin, told by `embed.js`; its server may receive the widget's reports.
pub fn set_widget_origin(o: Option<String>) {
    WIDGET_ORIGIN.with(|w| *w.borrow_mut() = o.filter(|o| o.starts_with("https://") || o.starts_with("http://")));
}

/// An endpoint is accepted from the page's address, the device setting or a host's attribute only
/// on this page's own origin, or an embedded widget's own origin: a link or a host page can never
/// send someone's data anywhere else.
fn same_origin(e: &str) -> Option<String> {
    let e = e.trim();
    if e.starts_with('/') && !e.starts_with("//") {
        return Some(e.to_string());
    }
    let on = |o: &str| !o.is_empty() && e.strip_prefix(o).is_some_and(|r| r.starts_with('/'));
    (on(&origin()) || WIDGET_ORIGIN.with(|w| w.borrow().as_deref().is_some_and(on))).then(|| e.to_string())
}

/// `?endpoint=…` in the page's address (tests, the embed).
fn query_endpoint() -> Option<String> {
    let search = location()?.search().ok()?;
    let q = search.strip_prefix('?')?;
    q.split('&')
        .find_map(|kv| kv.strip_prefix("endpoint="))
        .map(|v| js_sys::decode_uri_component(v).ok().map(String::from).unwrap_or_else(|| v.to_string()))
}

/// The receiver the site's pages were published with (`data-receiver`, `fangpin publish-policy
/// --receiver`): written by the site's publisher, never by a link; on the page's own origin only.
fn site_receiver() -> Option<String> {
    let el = web_sys::window()?.document()?.get_element_by_id("fangpin-app")?;
    el.get_attribute("data-receiver").filter(|r| !r.is_empty()).and_then(|r| same_origin(&r))
}

/// The endpoint of the one-click report: the page's override, the device's setting, the site's own
/// receiver, then the profile's. Returned absolute.
pub fn endpoint(device: Option<&str>, profile: Option<&str>) -> Option<String> {
    let e = query_endpoint()
        .and_then(|e| same_origin(&e))
        .or_else(|| device.and_then(same_origin))
        .or_else(site_receiver)
        .or_else(|| profile.map(str::to_string))?;
    Some(if e.starts_with('/') { format!("{}{e}", origin()) } else { e })
}

/// The host of an absolute `http(s)://host/…` address, "" for anything else.
pub fn host_of(url: &str) -> &str {
    let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) else { return "" };
    // (A browser reads `\` in an http address as `/`.)
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let host = &rest[..end];
    // Whatever a user name before '@' would say is not the host.
    host.rsplit('@').next().unwrap_or(host)
}

pub fn print() {
    if let Some(w) = web_sys::window() {
        let _ = w.print();
    }
    #[cfg(feature = "worker")]
    PRINTED.with(|p| {
        if let Some(f) = &*p.borrow() {
            f()
        }
    });
}

#[cfg(feature = "worker")]
thread_local! {
    /// Worker mode: the open household's application was printed (its record says 已打印).
    static PRINTED: std::cell::RefCell<Option<Box<dyn Fn()>>> = const { std::cell::RefCell::new(None) };
}

/// Worker mode: what printing an application also does.
#[cfg(feature = "worker")]
pub fn on_print(f: impl Fn() + 'static) {
    PRINTED.with(|p| *p.borrow_mut() = Some(Box::new(f)));
}

/// Copies `text` with the clipboard API; where there is none (or it is refused), selects the
/// text in `textarea` so the person can copy it by hand. `true` when it was copied.
pub async fn copy(text: &str, textarea: Option<web_sys::HtmlElement>) -> bool {
    let select = move || {
        if let Some(t) = textarea
            && let Ok(t) = t.dyn_into::<web_sys::HtmlTextAreaElement>()
        {
            let _ = t.focus();
            t.select();
        }
    };
    let Some(w) = web_sys::window() else { return false };
    let nav = w.navigator();
    let has = js_sys::Reflect::get(&nav, &"clipboard".into()).map(|v| !v.is_undefined()).unwrap_or(false);
    if has && wasm_bindgen_futures::JsFuture::from(nav.clipboard().write_text(text)).await.is_ok() {
        return true;
    }
    select();
    false
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_host_of_an_address() {
        assert_eq!(host_of("https://www.ya.gov.cn/api/v1/reports"), "www.ya.gov.cn");
        assert_eq!(host_of("http://127.0.0.1:8080/api"), "127.0.0.1:8080");
        assert_eq!(host_of("https://a.cn?x=1"), "a.cn");
        assert_eq!(host_of("https://user@b.cn/"), "b.cn");
        assert_eq!(host_of("https://政府.cn/路"), "政府.cn");
        assert_eq!(host_of("https://a.example\\@b.gov.cn/"), "a.example");
        assert_eq!(host_of("/api/v1/reports"), "");
        assert_eq!(host_of(""), "");
    }
}
