//! What a person sees when the app hits a bug: a plain message where the app was, not a frozen page
//! or "your browser is too old". (A wasm panic aborts; this hook runs first.) What they typed is
//! already saved, and a draft that keeps the app from starting is set aside on the next start
//! (`draft::begin_start`).

use std::cell::RefCell;

use fangpin_html::Html;

thread_local! {
    static ROOT: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
}

/// Installs the hook (once) and makes `root` the place its message goes.
pub fn install(root: web_sys::Element) {
    ROOT.with(|r| *r.borrow_mut() = Some(root));
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            leptos::logging::error!("fangpin: {info}");
            ROOT.with(|r| {
                if let Ok(r) = r.try_borrow()
                    && let Some(root) = r.as_ref()
                {
                    show(root);
                }
            });
        }))
    });
}

fn show(root: &web_sys::Element) {
    let again = web_sys::window()
        .map(|w| w.location())
        .map(|l| format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default()))
        .unwrap_or_else(|| "./".into());
    let mut h = Html::new();
    h.open("div", &[("class", "fp-notice"), ("role", "alert"), ("data-testid", "crashed")]);
    h.open("p", &[]).el("strong", &[], "很抱歉，自测工具出错了。").close("p");
    h.open("p", &[])
        .text("您已经填写的内容保存在这台手机上。请")
        .el("a", &[("href", &again)], "重新打开页面")
        .text("；如果还是不行，请拨打 ")
        .el("a", &[("href", "tel:12317")], "12317")
        .text("，或找村里的网格员帮您申报。")
        .close("p");
    h.el("p", &[("lang", "en")], "Sorry, the self-check hit an error. What you entered is saved on this phone. Please reopen the page; if that does not help, call 12317 or ask the village grid worker.");
    h.close("div");
    let _ = root.set_attribute("data-crashed", "");
    root.set_inner_html(&h.0);
}

/// What the app says when the site's policy data did not load, or did not pass its checks.
pub fn policy_not_loaded_html() -> String {
    let mut h = Html::new();
    h.el("h1", &[], "防止返贫监测 · 自测与申请");
    h.open("p", &[("class", "fp-notice"), ("role", "alert"), ("data-testid", "policy-not-loaded")])
        .text("政策数据没有载入，请稍后再试，或拨打 ")
        .el("a", &[("href", "tel:12317")], "12317")
        .text(" 咨询。")
        .close("p");
    h.el("p", &[("class", "fp-notice"), ("lang", "en")], "The policy data did not load. Please try again later, or call 12317.");
    h.0
}

/// The policy file read but failed its checks (`problem`, the first one): the app stops where it
/// is and says the policy data did not load, so that no result rests on it. What was typed is saved.
pub fn policy_refused(problem: &str) {
    leptos::logging::warn!("fangpin: the policy file did not pass its checks: {problem}");
    ROOT.with(|r| {
        if let Ok(r) = r.try_borrow()
            && let Some(root) = r.as_ref()
        {
            let _ = root.set_attribute("data-crashed", "");
            root.set_inner_html(&format!("<div data-app-ready=\"\">{}</div>", policy_not_loaded_html()));
        }
    });
}
