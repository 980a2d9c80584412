//! Start: the profile's 申报政策明白纸 in plain words, the profile picker (remembered in the draft),
//! and "开始自测".

use leptos::prelude::*;

use crate::draft::Screen;
use crate::html::Html;
use crate::i18n::{Lang, tr};
use crate::use_ctx;
use crate::widgets::{clause_of, go, live};
use fangpin_core::assessment::Category;
use fangpin_core::policy::{self, HotlineScope, Profile};

#[component]
pub fn StartScreen() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let started = ctx.draft.with_untracked(|d| d.form != crate::form::Form::default());
    let start_label = if started { tr(l, "继续自测", "Continue the self-check") } else { tr(l, "开始自测", "Start the self-check") };
    let card = move || profile_card_html(ctx.profile(), l);
    let sheet = move || sheet_html(ctx.profile(), l);
    view! {
        <section class="fp-screen" data-screen="start">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "先看看：谁可以申请监测帮扶", "First: who can ask for monitoring and help")}</h2>
            <p>{tr(l,
                "这个自测工具帮您算一算：您家是不是可能符合防止返贫监测的条件，能得到哪些帮扶。您填的内容只在这台手机上计算和保存，不会发送出去。",
                "This self-check helps you see whether your household may qualify for poverty-return monitoring and what help you could get. What you enter is computed and kept on this phone only; nothing is sent.")}</p>
            <ProfilePicker l />
            <div inner_html=live(card)></div>
            <button type="button" class="fp-button fp-primary fp-wide" data-testid="start" on:click=go(ctx, Screen::Members)>
                {start_label}
            </button>
            <div inner_html=live(sheet)></div>
            <button type="button" class="fp-button fp-primary fp-wide" on:click=go(ctx, Screen::Members)>
                {start_label}
            </button>
        </section>
    }
}

#[component]
fn ProfilePicker(l: Lang) -> impl IntoView {
    let ctx = use_ctx();
    let current = ctx.draft.with_untracked(|d| d.profile.clone());
    // The options as escaped HTML (static while this screen is shown).
    let mut options = Html::new();
    for s in policy::profile_summaries() {
        let mut attrs = vec![("value", s.id.as_str())];
        if s.id == current {
            attrs.push(("selected", ""));
        }
        options.el("option", &attrs, s.name.get(l.code()));
    }
    view! {
        <div class="fp-field">
            <label for="fp-profile">{tr(l, "您家在哪个县（市）？按哪一年的政策？", "Which county, and which year's policy?")}</label>
            <p class="fp-hint" id="fp-profile-hint">{tr(l, "不同地方、不同年份的标准不一样。选好后会记住。", "Standards differ by place and year. Your choice is remembered.")}</p>
            <select id="fp-profile" aria-describedby="fp-profile-hint" data-testid="profile-picker"
                inner_html=options.0
                on:change=move |ev| { let v = event_target_value(&ev); ctx.draft.update(|d| d.profile = v) }>
            </select>
        </div>
    }
}

/// The monitoring range of the profile: the figure, how it is set, and how sure it is.
pub fn profile_card_html(p: &Profile, l: Lang) -> String {
    let code = l.code();
    let range = &p.monitoring_range;
    let mut h = Html::new();
    h.open("section", &[("class", "fp-card"), ("data-testid", "profile")]);
    h.el("h3", &[], p.name.get(code));
    h.el("p", &[], tr(l,
        "监测范围（家庭年人均纯收入）：家里一年的纯收入，平均到每个人，低于这个数又有困难的，可以申请纳入监测、得到帮扶。",
        "Monitoring range (annual per-capita net household income): if your household's yearly net income per person is below this line and you face a difficulty, you can ask to be monitored and helped."));
    h.el("p", &[("class", "fp-figure"), ("data-testid", "monitoring-range")], &format!("{} {}", range.amount.display_yuan(), tr(l, "元/人·年", "yuan per person per year")));
    h.el("p", &[("class", "fp-muted")], range.basis.get(code));
    if let Some(note) = &range.screen_note {
        h.open("p", &[("class", "fp-provisional"), ("data-testid", "range-note")]);
        if range.provenance.provisional {
            h.el("strong", &[], tr(l, "暂定数字。", "Provisional figure. "));
        }
        h.text(note.get(code));
        if range.provenance.provisional {
            h.text(tr(l, "请向村里确认。", " Please check with your village."));
        }
        h.close("p");
    }
    h.why(l, &clause_of(p, "monitoring_range", &range.provenance), None, Some(("这个数字从哪里来？", "Where does this figure come from?")));
    h.close("section");
    h.0
}

/// 申报政策明白纸: who can apply (the three categories in one line each), how, what happens next.
fn sheet_html(p: &Profile, l: Lang) -> String {
    let code = l.code();
    let sheet = &p.application_sheet;
    let mut h = Html::new();
    h.open("section", &[("class", "fp-sheet"), ("data-testid", "application-sheet")]);
    h.el("h3", &[("class", "fp-sheet-title")], sheet.title.get(code));

    h.open("div", &[("class", "fp-card")]).el("h3", &[], tr(l, "谁可以申请", "Who can apply"));
    h.el("p", &[], sheet.who_can_apply.get(code));
    h.el("p", &[], tr(l, "纳入监测的家庭分三类：", "Monitored households are of three kinds:"));
    h.open("ul", &[("class", "fp-list")]);
    for (c, key) in [
        (Category::UnstableFormerlyPoor, "category_unstable_formerly_poor"),
        (Category::MarginalAtRisk, "category_marginal_at_risk"),
        (Category::SuddenHardship, "category_sudden_hardship"),
    ] {
        h.open("li", &[("data-category", c.code())]).el("strong", &[], c.label().get(code));
        if let Some(t) = p.clause(key).and_then(|pr| pr.clause.as_ref()) {
            h.text(tr(l, "：", ": ")).text(&strip_label(t.get(code)));
        }
        h.close("li");
    }
    h.close("ul");
    // The policy words used on the following pages, explained once.
    h.open("details", &[("class", "fp-more"), ("data-testid", "glossary")]).el("summary", &[], tr(l, "词语解释", "Words used here"));
    h.open("ul", &[("class", "fp-list")]);
    for (zh, en) in GLOSSARY {
        h.el("li", &[], tr(l, zh, en));
    }
    h.close("ul").close("details").close("div");

    h.open("div", &[("class", "fp-card")]).el("h3", &[], tr(l, "怎么申请", "How to apply"));
    h.el("p", &[], sheet.how_to_apply.get(code));
    h.open("ul", &[("class", "fp-list")]);
    for c in p.channels.iter().filter(|c| c.offered) {
        h.open("li", &[]).el("strong", &[], c.name.get(code)).text(tr(l, "：", ": ")).text(c.how.get(code)).close("li");
    }
    h.close("ul").el("p", &[], tr(l, "咨询电话：", "Phone:")).open("ul", &[("class", "fp-list")]);
    for hl in &p.hotlines {
        h.open("li", &[]).tel(&hl.number).text(" ").text(hl.name.get(code));
        if hl.scope == HotlineScope::National {
            h.text(tr(l, "（全国）", " (national)"));
        }
        h.close("li");
    }
    h.close("ul").close("div");

    h.open("div", &[("class", "fp-card")]).el("h3", &[], tr(l, "申请以后", "What happens next"));
    h.el("p", &[], sheet.what_happens_next.get(code)).close("div");
    h.why(l, &clause_of(p, "application_sheet", &sheet.provenance), None, Some(("这张明白纸的依据", "What this sheet rests on")));
    h.close("section");
    h.0
}

const GLOSSARY: [(&str, &str); 6] = [
    ("人均纯收入：全家一年的收入减去种地、做生意的成本，再除以家里人数。", "Per-capita net income: the household's yearly income minus farming and business costs, divided by the number of members."),
    ("刚性支出：躲不开、必须花的钱，比如看病、上学，受灾或出意外的损失。", "Unavoidable spending (刚性支出): money that must be spent, such as medical bills, school costs, losses from disaster or accident."),
    ("三保障：义务教育、基本医疗、住房安全都有保障；另外还要喝上安全的水。", "The three guarantees (三保障): compulsory education, basic medical care and safe housing; plus safe drinking water."),
    ("低保：最低生活保障，给收入很低的家庭按月发钱。", "Dibao (低保): the minimum living allowance, paid monthly to very poor households."),
    ("特困供养：给没有劳动能力、没有收入、没有人赡养的人的救助。", "Tekun (特困供养): support for people unable to work, without income and without family support."),
    ("脱贫户：2020 年以前建档立卡、已经脱贫的家庭。", "Formerly poor household (脱贫户): registered as poor before 2021 and lifted out."),
];

/// Clause texts start with the category name ("脱贫不稳定户：…"); the list already shows it.
fn strip_label(s: &str) -> String {
    match s.split_once('：').or_else(|| s.split_once(": ")) {
        Some((head, rest)) if head.chars().count() <= 30 => rest.trim().to_string(),
        _ => s.to_string(),
    }
}
