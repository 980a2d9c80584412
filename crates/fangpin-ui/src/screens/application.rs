//! The application (申请). Built in the next issue; for now it says what will come and what the
//! person can do today.

use leptos::prelude::*;

use crate::draft::Screen;
use crate::i18n::tr;
use crate::use_ctx;

#[component]
pub fn ApplicationScreen() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let phones = move || {
        ctx.profile()
            .hotlines
            .iter()
            .map(|h| {
                let tel = format!("tel:{}", h.number);
                view! { <li><a class="fp-tel" href=tel>{h.number.clone()}</a>" "{h.name.get(l.code()).to_string()}</li> }
            })
            .collect_view()
    };
    view! {
        <section class="fp-screen" data-screen="application">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "生成申请", "Prepare the application")}</h2>
            <p class="fp-note" data-testid="application-placeholder">{move || tr(lang.get(),
                "这是下一步：把您填的情况整理成申请表（监测对象申请及承诺授权书），可以打印，也可以出示二维码交给村干部或网格员。这一部分正在制作中，很快就能用。",
                "This is the next step: your answers become the application form (with the pledge and authorisation), to print or to show as a QR code to a village cadre or grid worker. It is being built and will be ready soon.")}</p>
            <p>{move || tr(lang.get(),
                "现在您就可以申请：到村委会说明情况，或者打电话。您填的内容已经保存在这台手机上，申请表做好后可以直接使用。",
                "You can apply today: go to the village committee, or call. Your answers are saved on this phone and will fill the form once it is ready.")}</p>
            <ul class="fp-list">{phones}</ul>
            <div class="fp-nav fp-noprint">
                <button type="button" class="fp-button" data-testid="back" on:click=move |_| ctx.go(Screen::Result)>
                    {tr(l, "回到结果", "Back to the result")}
                </button>
            </div>
        </section>
    }
}
