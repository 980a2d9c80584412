//! Under every screen: where the data lives, the WeChat warning, and "清除本机数据".

use leptos::prelude::*;

use crate::use_ctx;
use crate::widgets::{click, lang_text, maybe};

#[component]
pub fn Footer(clear: Callback<()>) -> impl IntoView {
    let lang = use_ctx().lang;
    let confirming = RwSignal::new(false);
    view! {
        <div class="fp-footer fp-noprint">
            <p class="fp-muted" data-testid="storage-note">{lang_text(lang,
                "您填的内容只保存在这台手机的浏览器里，不会发送出去。注意：在微信里打开的，退出微信登录或清理微信缓存，可能会把填的内容清掉。",
                "Your answers are kept only in this phone's browser and are not sent anywhere. Note: in WeChat, logging out or clearing WeChat's cache can erase them.")}</p>
            {maybe(move || Some(if confirming.get() {
                view! {
                    <div class="fp-confirm" role="group" aria-labelledby="fp-clear-q">
                        <p id="fp-clear-q"><strong>{lang_text(lang, "确定要清除这台手机上保存的全部自测内容吗？清除后不能恢复。", "Clear everything this self-check saved on this phone? This cannot be undone.")}</strong></p>
                        <div class="fp-nav">
                            <button type="button" class="fp-button" on:click=click(move |_| confirming.set(false))>{lang_text(lang, "不清除", "Keep")}</button>
                            <button type="button" class="fp-button fp-primary" data-testid="clear-confirm"
                                on:click=click(move |_| { confirming.set(false); clear.run(()) })>{lang_text(lang, "确定清除", "Clear")}</button>
                        </div>
                    </div>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="fp-button fp-small" data-testid="clear" on:click=click(move |_| confirming.set(true))>
                        {lang_text(lang, "清除本机数据", "Clear data on this phone")}
                    </button>
                }.into_any()
            }))}
        </div>
    }
}
