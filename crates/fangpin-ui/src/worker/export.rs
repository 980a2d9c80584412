//! The worker's households as the 信息采集录入 CSV (`fangpin_visits::export`): a download where
//! downloads work; in WeChat, whose web view drops downloads, a copy to the clipboard (the text is
//! shown to copy by hand where even that is refused) and the phone's share sheet where it has one.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{list::time_text, profile_of, use_worker};
use crate::channels;
use crate::i18n::tr;
use crate::use_ctx;

fn in_wechat() -> bool {
    web_sys::window().and_then(|w| w.navigator().user_agent().ok()).is_some_and(|ua| ua.contains("MicroMessenger"))
}

/// Which sheet of the intake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sheet {
    /// One row per household.
    Households,
    /// One row per family member.
    Members,
}

fn file_name(sheet: Sheet) -> String {
    let t = time_text(super::now_ms()).replace([' ', ':'], "-");
    match sheet {
        Sheet::Households => format!("走访名单-{t}.csv"),
        Sheet::Members => format!("家庭成员-{t}.csv"),
    }
}

/// Saves `text` as a file through a Blob link; false where the page cannot.
fn download(text: &str, name: &str) -> bool {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return false };
    let parts = js_sys::Array::of1(&text.into());
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type("text/csv;charset=utf-8");
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else { return false };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let ok = doc.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok()).is_some_and(|a| {
        a.set_href(&url);
        a.set_download(name);
        a.click();
        true
    });
    // Revoked later: the download reads the Blob after this click returns.
    set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
    ok
}

/// The share sheet with the CSV's text, where the browser has one; whether it opened.
async fn share(text: &str, title: &str) -> bool {
    let Some(w) = web_sys::window() else { return false };
    let nav = w.navigator();
    let Ok(f) = js_sys::Reflect::get(&nav, &"share".into()) else { return false };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else { return false };
    let data = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
    let _ = js_sys::Reflect::set(&data, &"text".into(), &text.into());
    match f.call1(&nav, &data).ok().and_then(|p| p.dyn_into::<js_sys::Promise>().ok()) {
        Some(p) => wasm_bindgen_futures::JsFuture::from(p).await.is_ok(),
        None => false,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Done {
    Downloaded,
    Copied,
    ShowText,
}

#[component]
pub fn Export() -> impl IntoView {
    let ctx = use_ctx();
    let w = use_worker();
    let l = ctx.lang.get_untracked();
    let done = RwSignal::new(None::<Done>);
    let text = RwSignal::new(String::new());
    let csv = move |sheet: Sheet| {
        w.records.with_untracked(|rs| match sheet {
            Sheet::Households => fangpin_visits::export::households_csv(rs, |r| Some(profile_of(&ctx, r)), ctx.as_of, time_text),
            Sheet::Members => fangpin_visits::export::members_csv(rs),
        })
    };
    let run = move |sheet: Sheet| {
        let t = csv(sheet);
        if !in_wechat() && download(&t, &file_name(sheet)) {
            done.set(Some(Done::Downloaded));
            return;
        }
        text.set(t.clone());
        leptos::task::spawn_local(async move {
            let area = ctx.element("#fp-w-csv");
            let copied = channels::copy(&t, area).await;
            done.set(Some(if copied { Done::Copied } else { Done::ShowText }));
        });
    };
    let share_it = move |_| {
        let t = csv(Sheet::Households);
        let title = tr(ctx.lang.get_untracked(), "走访名单", "Households visited");
        leptos::task::spawn_local(async move {
            let _ = share(&t, title).await;
        });
    };
    let has_share =
        web_sys::window().and_then(|w| js_sys::Reflect::get(&w.navigator(), &"share".into()).ok()).is_some_and(|f| f.is_function());
    view! {
        <div class="fp-card" data-testid="worker-export">
            <h3>{tr(l, "导出表格（信息采集录入）", "Export the table (for data entry)")}</h3>
            <p class="fp-muted">{tr(l, "户表每户一行，家庭成员表每人一行，用 Excel 可以直接打开。表格里有身份证号等个人信息，请只交给乡镇负责录入的人。", "One row per household, or per member; opens in Excel. It holds ID numbers and other personal data: give it only to the township's data-entry staff.")}</p>
            <p>
                <button type="button" class="fp-button" data-testid="worker-export-csv" on:click=move |_| run(Sheet::Households)>{tr(l, "导出户表", "Export households")}</button>
                " "
                <button type="button" class="fp-button" data-testid="worker-export-members" on:click=move |_| run(Sheet::Members)>{tr(l, "导出家庭成员表", "Export members")}</button>
                {has_share.then(|| view! { " " <button type="button" class="fp-button fp-small" data-testid="worker-share" on:click=share_it>{tr(l, "分享……", "Share…")}</button> })}
            </p>
            {move || done.get().map(|d| {
                let (zh, en) = match d {
                    Done::Downloaded => ("表格已下载到手机的“下载”里。", "The table was saved to the phone's downloads."),
                    Done::Copied => ("表格已复制。可以粘贴到微信发给乡镇，或粘贴进电脑上的 Excel。", "The table was copied: paste it into WeChat for the township, or into Excel."),
                    Done::ShowText => ("这个浏览器不能下载也不能自动复制：请长按下面的文字，全选后复制。", "This browser can neither download nor copy: press and hold the text below, select all and copy."),
                };
                view! { <p role="status" data-testid="worker-export-done">{tr(l, zh, en)}</p> }
            })}
            {move || (!text.with(String::is_empty)).then(|| view! {
                <label for="fp-w-csv" class="fp-muted">{tr(l, "表格内容", "The table")}</label>
                <textarea id="fp-w-csv" class="fp-copytext" readonly="" rows="6" prop:value=move || text.get()></textarea>
            })}
        </div>
    }
}
