//! The application (监测对象申请及承诺授权书), built by the core from the household and its
//! assessment, and the channels the profile offers: print, one-click report (through the outbox),
//! hotline, QR handoff to a worker, and copy as text.
//!
//! The printable sheet is escaped HTML (see `html.rs`); the fields and buttons are Leptos views.
//! A handoff opened from a QR link (`draft.apply.handoff`) is shown read-only, ready to send or print.

use leptos::prelude::*;

use crate::channels;
use crate::ctx::use_ctx;
use crate::html::Html;
use crate::i18n::{Lang, tr};
use crate::outbox::{self, Entry, Outbox};
use crate::store::Screen;
use crate::widgets::{TextField, click, derived, go, live, maybe, select, setter, when};
use fangpin_core::application::{Application, Report, encode_handoff, handoff_link, spell_reference};
use fangpin_core::household::FieldError;
use fangpin_core::policy::{self, ChannelKind};
use fangpin_core::text::Text;
use fangpin_form::apply::{self, Filler};

#[derive(Clone, PartialEq)]
enum Built {
    Ready(Box<Application>, Option<Received>),
    Invalid(Vec<FieldError>),
    BadLink(Text),
}

/// Facts about a received handoff: what the sender left out, and whether the code is the sender's.
#[derive(Clone, PartialEq)]
struct Received {
    dropped: Vec<Text>,
    same_reference: bool,
}

#[component]
pub fn ApplicationScreen() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let handoff = select(|d| d.apply.handoff.clone());
    let built = Memo::new(move |_| match handoff.get() {
        Some(digits) => match apply::from_handoff(&digits) {
            Ok((app, dropped, same_reference)) => Built::Ready(Box::new(app), Some(Received { dropped, same_reference })),
            Err(t) => Built::BadLink(t),
        },
        None => {
            let p = ctx.profile();
            let r = ctx.converted.with(|c| ctx.draft.with(|d| apply::build(&c.household, &d.apply, p, ctx.as_of)));
            match r {
                Ok(a) => Built::Ready(Box::new(a), None),
                Err(e) => Built::Invalid(e),
            }
        }
    });
    let app = Memo::new(move |_| built.with(|b| if let Built::Ready(a, _) = b { Some(a.clone()) } else { None }));
    let received = Memo::new(move |_| built.with(|b| if let Built::Ready(_, r) = b { r.clone() } else { None }));
    let errors = Memo::new(move |_| built.with(|b| if let Built::Invalid(e) = b { e.clone() } else { Vec::new() }));
    let reference = Memo::new(move |_| app.with(|a| a.as_ref().map(|a| a.reference.clone())));

    let leave_handoff = move |_| {
        ctx.draft.update(|d| {
            d.apply.handoff = None;
            d.screen = Screen::Result;
        })
    };

    view! {
        <section class="fp-screen fp-apply" data-screen="application">
            <h2 id="fp-screen-title" tabindex="-1" class="fp-noprint">{tr(l, "申请表", "The application")}</h2>
            {when(move || handoff.with(Option::is_some), move || {
                let msg = move || {
                    let mut h = Html::new();
                    h.el("p", &[], tr(l, "这份申请是从二维码链接打开的，内容由对方手机带过来，这里不能修改。可以打印，也可以一键报送或打电话。",
                        "This application was opened from a QR link; its content came from the other phone and cannot be changed here. You can print it, report it or call."));
                    if let Some(r) = received.get() {
                        if !r.dropped.is_empty() {
                            let list: Vec<&str> = r.dropped.iter().map(|t| t.get(code)).collect();
                            h.el("p", &[("data-testid", "handoff-dropped")], &format!("{}{}", tr(l, "为了放进二维码，这些内容没有带过来：", "Left out to fit the QR code: "), list.join(tr(l, "；", "; "))));
                        }
                        if !r.same_reference {
                            h.el("p", &[], tr(l, "因为有内容没有带过来，申请编号和对方手机上的不一样。", "Because something was left out, the reference code differs from the one on the other phone."));
                        }
                    }
                    h.0
                };
                view! {
                    <div class="fp-note fp-noprint" data-testid="handoff-note">
                        <div inner_html=live(msg)></div>
                        <button type="button" class="fp-button fp-small" data-testid="leave-handoff" on:click=click(leave_handoff)>
                            {tr(l, "关闭这份申请", "Close this application")}
                        </button>
                    </div>
                }.into_any()
            })}
            {maybe(move || built.with(|b| match b {
                Built::BadLink(t) => Some(view! {
                    <p class="fp-notice" role="alert" data-testid="handoff-error">
                        {format!("{}{}", tr(l, "二维码链接读不出来：", "The QR link could not be read: "), t.get(code))}
                    </p>
                }.into_any()),
                _ => None,
            }))}
            {when(move || handoff.with(Option::is_none), move || view! { <crate::screens::result::UnreadAnswers /><ExtraFacts errors /> }.into_any())}
            {maybe(move || reference.get().map(|r| {
                let spelled = spell_reference(&r, code);
                view! {
                    <div class="fp-ref fp-noprint" data-testid="reference-box">
                        <p class="fp-ref-label">{tr(l, "申请编号（打电话、交材料时报这个编号）", "Reference code (give it when you call or hand in the form)")}</p>
                        <p class="fp-ref-code" data-testid="reference">{r}</p>
                        <p class="fp-muted">{tr(l, "读法：", "Spelled: ")}{spelled}</p>
                    </div>
                }.into_any()
            }))}
            {maybe(move || app.get().map(|a| view! {
                <div class="fp-sheet-wrap" inner_html=sheet_html(&a, l)></div>
                <Channels app=*a />
            }.into_any()))}
            <div class="fp-nav fp-noprint">
                <button type="button" class="fp-button" data-testid="back" on:click=go(ctx, Screen::Result)>
                    {tr(l, "回到结果", "Back to the result")}
                </button>
            </div>
        </section>
    }
}

/// The facts the self-check does not ask, and who filled in the form; the difficulty text.
#[component]
fn ExtraFacts(errors: Memo<Vec<FieldError>>) -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let d = ctx.draft;
    let err = move |path: &str| -> Signal<Option<String>> {
        let path = path.to_string();
        derived(move || errors.with(|e| e.iter().find(|x| x.field == path).map(|x| x.message.get(code).to_string())))
    };
    // The ID number's problems, and an age or birth date that disagrees with it, show at the ID field.
    let id_err = move |i: usize| -> Signal<Option<String>> {
        let paths = [format!("members[{i}].id_number"), format!("members[{i}].age"), format!("members[{i}].birth_date")];
        derived(move || {
            errors.with(|e| {
                e.iter()
                    .find(|x| x.field == paths[0] || (paths[1..].contains(&x.field) && x.code.starts_with("id_")))
                    .map(|x| x.message.get(code).to_string())
            })
        })
    };
    let at_field = |x: &FieldError| {
        matches!(x.field.as_str(), "phone" | "filled_by.name") || x.field.ends_with(".id_number") || x.code.starts_with("id_")
    };
    let other_errors = move || {
        errors.with(|e| {
            let mut h = Html::new();
            let names = ctx.converted.with(|c| c.household.members.iter().map(|m| m.name.trim().to_string()).collect::<Vec<_>>());
            for x in e.iter().filter(|x| !at_field(x)) {
                // "members[2].age" → the member's name first.
                let who =
                    x.field.strip_prefix("members[").and_then(|r| r.split_once(']')).and_then(|(n, _)| n.parse::<usize>().ok()).map(|i| {
                        names
                            .get(i)
                            .filter(|n| !n.is_empty())
                            .cloned()
                            .unwrap_or_else(|| format!("{} {}", tr(l, "第", "Member"), i + 1) + tr(l, " 位家人", ""))
                    });
                h.el(
                    "li",
                    &[],
                    &match who {
                        Some(w) => format!("{w}{}{}", tr(l, "：", ": "), x.message.get(code)),
                        None => x.message.get(code).to_string(),
                    },
                );
            }
            h.0
        })
    };
    let has_other = move || errors.with(|e| e.iter().any(|x| !at_field(x)));
    let head = move || ctx.converted.with(|c| c.household.head_name.trim().to_string());
    let members = Memo::new(move |_| {
        ctx.converted.with(|c| {
            c.household
                .members
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let rel = m.relation.label();
                    let name = if m.name.trim().is_empty() {
                        format!("{} {}", tr(l, "第", "Member"), i + 1) + tr(l, " 位家人", "")
                    } else {
                        m.name.trim().to_string()
                    };
                    match l {
                        Lang::Zh => format!("{name}（{}）", rel.get(code)),
                        Lang::En => format!("{name} ({})", rel.get(code)),
                    }
                })
                .collect::<Vec<_>>()
        })
    });
    let difficulty = Memo::new(move |_| {
        let own = d.with(|d| if l == Lang::Zh { d.apply.difficulty_zh.clone() } else { d.apply.difficulty_en.clone() });
        own.unwrap_or_else(|| {
            ctx.converted.with(|c| {
                let p = ctx.profile();
                d.with(|x| {
                    let h = apply::household(&c.household, &x.apply);
                    let a = fangpin_core::assessment::assess(&h, p, ctx.as_of);
                    fangpin_core::application::draft_difficulty(&h, &a, ctx.as_of).get(code).to_string()
                })
            })
        })
    });
    let difficulty_value: Signal<String> = difficulty.into();
    let edited = select(move |d| if l == Lang::Zh { d.apply.difficulty_zh.is_some() } else { d.apply.difficulty_en.is_some() });
    let filler = select(|d| d.apply.filler);
    let fillers: [(Filler, &str, &str); 3] = [
        (Filler::Myself, "本人填写", "Myself"),
        (Filler::Worker, "村干部、网格员等工作人员代填", "A village cadre or grid worker, for me"),
        (Filler::Relative, "亲属代填", "A relative, for me"),
    ];
    view! {
        <div class="fp-card fp-noprint" data-testid="extra-facts">
            <h3>{tr(l, "申请表还要这些信息", "The form also needs")}</h3>
            <p class="fp-muted">{tr(l, "只保存在这台手机上；您选择报送渠道以后才会发出。", "Kept on this phone only; sent only when you choose a channel.")}</p>
            {when(has_other, move || view! {
                <div class="fp-notice" role="alert" data-testid="apply-errors">
                    <p>{tr(l, "有些内容要先改一下：", "Please correct these first:")}</p>
                    <ul class="fp-list" inner_html=live(other_errors)></ul>
                    <button type="button" class="fp-button fp-small" on:click=go(ctx, Screen::Members)>{tr(l, "返回修改", "Change answers")}</button>
                </div>
            }.into_any())}
            <p data-testid="head-name"><strong>{tr(l, "户主：", "Head of household: ")}</strong>{live(move || {
                let h = head();
                if h.is_empty() { tr(l, "（没有填写姓名，请在第 1 步填上）", "(no name given: please add it in step 1)").to_string() } else { h }
            })}</p>
            <TextField speak=false id="ap-phone" label=tr(l, "手机号", "Mobile number") inputmode="tel" autocomplete="tel"
                value=select(|d| d.apply.phone.clone()).into()
                on_input=setter(|d, v| d.apply.phone = v) error=Some(err("phone")) />
            <TextField speak=false id="ap-village" label=tr(l, "村", "Village")
                value=select(|d| d.apply.village.clone()).into()
                on_input=setter(|d, v| d.apply.village = v) error=Some(err("village")) />
            <TextField speak=false id="ap-address" label=tr(l, "住址（组、门牌号）", "Address (group, house number)") autocomplete="street-address"
                value=select(|d| d.apply.address.clone()).into()
                on_input=setter(|d, v| d.apply.address = v) error=Some(err("address")) />
            <fieldset class="fp-field">
                <legend>{tr(l, "身份证号（18 位；不知道可以先空着）", "ID card numbers (18 characters; leave blank if unknown)")}</legend>
                <div class="fp-ids">{move || members.get().into_iter().enumerate().map(|(i, label)| {
                    view! {
                        <TextField speak=false id=format!("ap-id-{i}") label
                            value=select(move |d| d.apply.id_numbers.get(i).cloned().unwrap_or_default()).into()
                            on_input=setter(move |d, v| {
                                if d.apply.id_numbers.len() <= i { d.apply.id_numbers.resize(i + 1, String::new()); }
                                d.apply.id_numbers[i] = v;
                            })
                            error=Some(id_err(i)) />
                    }
                }).collect_view()}</div>
            </fieldset>
            <fieldset class="fp-field fp-choice">
                <legend>{tr(l, "这份申请是谁填写的？", "Who filled in this application?")}</legend>
                <div class="fp-options">
                    {fillers.into_iter().enumerate().map(|(i, (f, zh, en))| {
                        let id = format!("fp-ap-filler-{i}");
                        let for_id = id.clone();
                        view! {
                            <label class="fp-option" for=for_id>
                                <input type="radio" id=id name="fp-ap-filler" prop:checked=move || filler.get() == f
                                    on:change=move |_| d.update(|d| d.apply.filler = f) />
                                <span>{tr(l, zh, en)}</span>
                            </label>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            {when(move || filler.get() != Filler::Myself, move || view! {
                <TextField speak=false id="ap-filler-name" label=tr(l, "代填人的姓名", "Name of the person filling it in")
                    value=select(|d| d.apply.filler_name.clone()).into()
                    on_input=setter(|d, v| d.apply.filler_name = v) error=Some(err("filled_by.name")) />
            }.into_any())}
            <div class="fp-field">
                <label for="fp-ap-difficulty">{tr(l, "困难情况说明（已按您填的情况写好，可以修改）", "Description of the difficulty (drafted from your answers; you may edit it)")}</label>
                <textarea id="fp-ap-difficulty" class="fp-textarea" rows="5" data-testid="difficulty"
                    aria-describedby="fp-ap-difficulty-err"
                    prop:value=difficulty_value
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        d.update(|d| if l == Lang::Zh { d.apply.difficulty_zh = Some(v) } else { d.apply.difficulty_en = Some(v) })
                    }></textarea>
                <p class="fp-error" id="fp-ap-difficulty-err" aria-live="polite">{live(move || err("difficulty").get().unwrap_or_default())}</p>
                {when(move || edited.get(), move || view! {
                    <button type="button" class="fp-button fp-small" data-testid="difficulty-reset"
                        on:click=click(move |_| d.update(|d| if l == Lang::Zh { d.apply.difficulty_zh = None } else { d.apply.difficulty_en = None }))>
                        {tr(l, "恢复原来写好的说明", "Restore the drafted text")}
                    </button>
                }.into_any())}
            </div>
        </div>
    }
}

/// The printable application.
fn sheet_html(a: &Application, l: Lang) -> String {
    let code = l.code();
    let mut h = Html::new();
    let none = tr(l, "未填", "not given");
    h.open("article", &[("class", "fp-sheet"), ("data-testid", "sheet"), ("aria-label", tr(l, "申请表", "The application"))]);
    h.el(
        "h3",
        &[("class", "fp-sheet-title")],
        tr(l, "监测对象申请及承诺授权书", "Application to be monitored, with pledge and authorisation"),
    );
    h.open("p", &[("class", "fp-sheet-meta")])
        .text(tr(l, "申请编号：", "Reference: "))
        .el("strong", &[("class", "fp-sheet-ref")], &a.reference)
        .text(&format!("　{}{}　{}{}", tr(l, "日期：", "Date: "), a.date, tr(l, "政策：", "Policy: "), a.profile_name.get(code)))
        .close("p");
    h.open("table", &[("class", "fp-sheet-facts")]).open("tbody", &[]);
    let head = if a.head_name.is_empty() { none } else { a.head_name.as_str() };
    let facts: [(&str, &str); 5] = [
        (tr(l, "户主", "Head of household"), head),
        (tr(l, "身份证号", "ID number"), a.id_number.as_deref().unwrap_or(none)),
        (tr(l, "手机", "Mobile"), a.phone.as_deref().unwrap_or(none)),
        (tr(l, "村", "Village"), if a.village.is_empty() { none } else { &a.village }),
        (tr(l, "住址", "Address"), if a.address.is_empty() { none } else { &a.address }),
    ];
    for (k, v) in facts {
        h.open("tr", &[]).el("th", &[("scope", "row")], k).el("td", &[], v).close("tr");
    }
    h.close("tbody").close("table");

    h.el("h4", &[], &format!("{}{}{}", tr(l, "家庭成员（", "Household members ("), a.members.len(), tr(l, " 人）", ")")));
    h.open("table", &[("class", "fp-sheet-members")]).open("thead", &[]).open("tr", &[]);
    for c in [
        tr(l, "姓名", "Name"),
        tr(l, "关系", "Relation"),
        tr(l, "年龄", "Age"),
        tr(l, "身份证号", "ID number"),
        tr(l, "劳动能力", "Work"),
        tr(l, "情况", "Notes"),
    ] {
        h.el("th", &[("scope", "col")], c);
    }
    h.close("tr").close("thead").open("tbody", &[]);
    for m in &a.members {
        let age = m.age.map(|x| x.to_string()).unwrap_or_else(|| tr(l, "不详", "unknown").to_string());
        let notes: Vec<&str> = m.notes.iter().map(|t| t.get(code)).collect();
        let cells: [(&str, &str); 6] = [
            (tr(l, "姓名", "Name"), if m.name.is_empty() { none } else { &m.name }),
            (tr(l, "关系", "Relation"), m.relation_label.get(code)),
            (tr(l, "年龄", "Age"), &age),
            (tr(l, "身份证号", "ID number"), m.id_number.as_deref().unwrap_or("")),
            (tr(l, "劳动能力", "Work"), m.labour_label.get(code)),
            (tr(l, "情况", "Notes"), &notes.join(tr(l, "、", ", "))),
        ];
        h.open("tr", &[]);
        for (k, v) in cells {
            h.el("td", &[("data-label", k)], v);
        }
        h.close("tr");
    }
    h.close("tbody").close("table");

    let inc = &a.income;
    let yuan = |m: &fangpin_core::money::Money| format!("{} {}", m.display_yuan(), tr(l, "元", "yuan"));
    h.el("h4", &[], tr(l, "收入情况（近 12 个月）", "Income (last 12 months)"));
    let semi = tr(l, "；", "; ");
    h.open("p", &[]).text(&format!(
        "{}{}{semi}{}{}{}",
        tr(l, "家庭纯收入 ", "Net household income "),
        yuan(&inc.net_total),
        tr(l, "计入人口 ", "members counted "),
        inc.members_counted,
        tr(l, " 人", "")
    ));
    if let Some(pc) = &inc.per_capita {
        let pos = if inc.below_range { tr(l, "低于", "below") } else { tr(l, "不低于", "not below") };
        h.text(&format!(
            "{semi}{}{}{}{pos}{}{}",
            tr(l, "人均纯收入约 ", "per capita about "),
            yuan(pc),
            tr(l, "，", ", "),
            tr(l, "监测范围 ", " the monitoring range of "),
            yuan(&inc.monitoring_range)
        ));
    }
    if inc.rigid_spending.is_positive() {
        h.text(&format!("{semi}{}{}", tr(l, "必要开支 ", "unavoidable spending "), yuan(&inc.rigid_spending)));
    }
    h.text(tr(l, "。", "."));
    h.close("p");
    // The paper carries the range's caveat too: provisional, and why; the year of the figures.
    fangpin_html::page::range_note(&mut h, l, inc.range_provisional, inc.range_note.as_ref(), inc.range_provisional_reason.as_ref());
    if let Some(n) = &inc.policy_note {
        h.el("p", &[("class", "fp-provisional"), ("data-testid", "sheet-policy-note")], n.get(code));
    }
    h.el("h4", &[], tr(l, "风险", "Risks"));
    if a.risks.is_empty() {
        h.el("p", &[], tr(l, "没有发现风险。", "No risk found."));
    } else {
        h.open("ul", &[("class", "fp-list")]);
        for r in &a.risks {
            h.el("li", &[("data-risk", r.code.code())], r.title.get(code));
        }
        h.close("ul");
    }
    if let Some(c) = &a.category_label {
        h.labelled(tr(l, "可能属于：", "Likely category: "), c.get(code));
    }
    h.el("h4", &[], tr(l, "困难情况说明", "Description of the difficulty"));
    h.el("p", &[("class", "fp-sheet-text"), ("data-testid", "sheet-difficulty")], a.difficulty.get(code));
    // The texts signed and every signature box stay on one printed page: a signature must never
    // stand alone, away from what it signs.
    h.open("div", &[("class", "fp-sign-block"), ("data-testid", "sign-block")]);
    for s in [&a.pledge, &a.authorisation] {
        h.open("section", &[("class", "fp-sheet-signed")]).el("h4", &[], s.title.get(code)).el(
            "p",
            &[("class", "fp-sheet-text")],
            s.body.get(code),
        );
        if s.provisional {
            h.el(
                "p",
                &[("class", "fp-muted")],
                tr(
                    l,
                    "（文字是参照其他地方的申请书写的，以村里、乡镇的表格为准。）",
                    "(Wording follows other places' forms; the village's or township's form prevails.)",
                ),
            );
        }
        h.close("section");
    }
    h.open("section", &[("class", "fp-signs"), ("data-testid", "signers")]);
    h.el("h4", &[], tr(l, "签字并按手印（18 岁以上的家庭成员）", "Signature and fingerprint (members aged 18 and over)"));
    if let Some(n) = &a.signers_note {
        h.el("p", &[("class", "fp-muted")], n.get(code));
    }
    h.open("div", &[("class", "fp-sign-grid")]);
    for s in &a.signers {
        let who = match s.age {
            Some(age) => format!("{}（{age}{}）", s.name, tr(l, " 岁", "")),
            None => s.name.clone(),
        };
        h.open("div", &[("class", "fp-sign"), ("data-signer", &s.member.to_string())]);
        h.el("p", &[("class", "fp-sign-name")], if s.name.is_empty() { tr(l, "（姓名）", "(name)") } else { &who });
        h.open("div", &[("class", "fp-sign-boxes")]);
        h.el("div", &[("class", "fp-sign-box")], tr(l, "签字", "Signature"));
        h.el("div", &[("class", "fp-print-box")], tr(l, "手印", "Fingerprint"));
        h.close("div").close("div");
    }
    h.close("div");
    h.open("p", &[("class", "fp-sheet-meta")])
        .text(&format!("{}{}　{}{}", tr(l, "填写：", "Filled in: "), a.filled_by.label().get(code), tr(l, "申请日期：", "Date: "), a.date))
        .close("p");
    h.close("section");
    h.close("div");
    h.close("article");
    h.0
}

/// The channels the application's profile offers, in its order, then copy as text.
#[component]
fn Channels(app: Application) -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let Some(profile) = policy::profile(&app.profile) else { return ().into_any() };
    let device_endpoint = ctx.draft.with_untracked(|d| d.apply.endpoint.clone());
    let text = app.to_plain_text(code);
    let app = StoredValue::new(app);
    let cards = profile
        .offered_channels()
        .map(|ch| {
            // The channel's heading and, for the channels without controls, its whole body: one
            // escaped HTML string (see html.rs) rather than a view type per channel kind.
            let own = (ch.kind == ChannelKind::OneClick).then(|| channels::endpoint(device_endpoint.as_deref(), ch.endpoint.as_deref())).flatten();
            let mut h = Html::new();
            h.el("h3", &[], ch.name.get(code));
            match &own {
                // The site's own receiver: the button sends; the profile's way (an app) is the other one.
                Some(_) => {
                    h.el("p", &[("data-testid", "one-click-direct")], tr(l,
                        "用这里的“一键报送”，申请会直接发到乡镇能看到的报送系统，不用另外下载APP。",
                        "With “Report now” here, the application goes straight to the reporting system the township reads, with no app to install."));
                    h.el("p", &[("class", "fp-muted")], &format!("{}{}", tr(l, "也可以：", "Or: "), ch.how.get(code)));
                }
                None => {
                    h.el("p", &[], ch.how.get(code));
                }
            }
            let kind = match ch.kind {
                ChannelKind::OneClick => "one_click",
                ChannelKind::Hotline => "hotline",
                ChannelKind::QrHandoff => "qr_handoff",
                ChannelKind::Print => "print",
            };
            let body = match ch.kind {
                ChannelKind::Print => Some(view! {
                    <button type="button" class="fp-button fp-primary" data-testid="print" on:click=click(|_| channels::print())>
                        {tr(l, "打印", "Print")}
                    </button>
                    <p class="fp-muted">{tr(l, "打印出来以后，请每位 18 岁以上的家人签字、按手印，交到村委会。", "After printing, every member aged 18 or over signs and adds a fingerprint; take it to the village committee.")}</p>
                }
                .into_any()),
                ChannelKind::OneClick => match own {
                    Some(endpoint) => Some(view! { <OneClick app endpoint /> }.into_any()),
                    None => {
                        if let Some(u) = &ch.url {
                            h.el("a", &[("class", "fp-button"), ("href", u), ("target", "_blank"), ("rel", "noopener noreferrer"), ("data-testid", "one-click-open")],
                                tr(l, "打开报送页面", "Open the reporting page"));
                        }
                        h.el("p", &[("data-testid", "one-click-copy-hint")], tr(l, "填表时，可以把下面“复制文字”里的内容粘贴过去。", "When filling it in, you can paste the text from “Copy as text” below."));
                        None
                    }
                },
                ChannelKind::Hotline => {
                    app.with_value(|a| {
                        h.open("ul", &[("class", "fp-tels")]);
                        for c in &a.contacts {
                            h.open("li", &[])
                                .el("a", &[("class", "fp-button fp-tel"), ("href", &format!("tel:{}", c.number)), ("data-testid", "tel")], &c.number)
                                .text(" ")
                                .el("span", &[], c.name.get(code))
                                .close("li");
                        }
                        h.close("ul").el("h4", &[], tr(l, "打电话时可以照着说", "What to say on the phone"));
                        h.el("p", &[("class", "fp-script"), ("data-testid", "hotline-script")], &a.hotline_script(code));
                    });
                    None
                }
                ChannelKind::QrHandoff => {
                    let hand = app.with_value(encode_handoff);
                    let link = handoff_link(&channels::page_base(), &hand);
                    let svg = crate::qr::svg(&link, tr(l, "二维码：申请的交接链接", "QR code: the application's hand-over link"));
                    match svg.filter(|_| hand.fits) {
                        Some(svg) => {
                            // The SVG is generated by qr.rs (numbers and fixed attributes only).
                            h.open("div", &[("class", "fp-qr"), ("data-testid", "qr"), ("data-link", &link)]);
                            h.0.push_str(&svg);
                            h.close("div");
                        }
                        None => {
                            h.el("p", &[("class", "fp-notice"), ("data-testid", "qr-too-big")], tr(l, "内容太多，放不进二维码。请用打印或复制文字。", "Too much to fit in a QR code. Please print or copy the text."));
                        }
                    }
                    if !hand.dropped.is_empty() {
                        let dropped: Vec<&str> = hand.dropped.iter().map(|t| t.get(code)).collect();
                        h.el("p", &[("class", "fp-note"), ("data-testid", "qr-dropped")],
                            &format!("{}{}", tr(l, "为了放进二维码，这些内容没有带上：", "Left out to fit the QR code: "), dropped.join(tr(l, "；", "; "))));
                    }
                    h.el("p", &[("class", "fp-muted")], tr(l, "二维码里就是这份申请，不经过任何服务器。工作人员扫码后在自己手机上打开。", "The code holds the application itself and passes through no server; the worker opens it on their phone."));
                    None
                }
            };
            view! {
                <section class="fp-card fp-channel" data-channel=kind>
                    <div inner_html=h.0></div>
                    {body}
                </section>
            }
        })
        .collect_view();
    view! {
        <div class="fp-channels fp-noprint" data-testid="channels">
            <h3 class="fp-channels-title">{tr(l, "怎么交申请（选一种就行）", "How to hand it in (any one will do)")}</h3>
            {cards}
            <CopyText text />
        </div>
    }
    .into_any()
}

#[component]
fn CopyText(text: String) -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();
    let status = RwSignal::new(None::<bool>);
    let t = StoredValue::new(text.clone());
    let copy = move |_| {
        leptos::task::spawn_local(async move {
            let ok = channels::copy(&t.get_value(), ctx.element("#fp-copytext")).await;
            status.set(Some(ok));
        })
    };
    view! {
        <section class="fp-card fp-channel" data-channel="copy">
            <h3>{tr(l, "复制文字（发微信）", "Copy as text (for WeChat)")}</h3>
            <label for="fp-copytext">{tr(l, "申请的文字版，可以粘贴到微信里发给村干部：", "The application as text, to paste into a WeChat message to the village:")}</label>
            <textarea id="fp-copytext" class="fp-textarea fp-copytext" rows="10" readonly data-testid="copy-text" prop:value=text></textarea>
            <button type="button" class="fp-button" data-testid="copy" on:click=click(copy)>{tr(l, "复制", "Copy")}</button>
            <p role="status" class="fp-muted" data-testid="copy-status">{live(move || match status.get() {
                Some(true) => tr(l, "已复制。", "Copied."),
                Some(false) => tr(l, "已选中文字，请长按后选择“复制”。", "The text is selected: press and hold, then choose Copy."),
                None => "",
            }.to_string())}</p>
        </section>
    }
}

/// One-click report: what will be sent, consent, then the outbox's status for this application.
#[component]
fn OneClick(app: StoredValue<Application>, endpoint: String) -> impl IntoView {
    let l = use_ctx().lang.get_untracked();
    let code = l.code();
    let Some(outbox) = use_context::<Outbox>() else { return ().into_any() };
    let reference = app.with_value(|a| a.reference.clone());
    // Without a name and a way to reach the household, a report reaches no one: asked first.
    let missing = app.with_value(|a| a.missing_for_report());
    let r2 = reference.clone();
    let entry = Memo::new(move |_| outbox.entries.with(|_| outbox.for_reference(&r2)));
    // The report as it will be sent, made when the person asks to send (key and time fixed then).
    let preview = RwSignal::new(None::<(String, String)>);
    let no_key = RwSignal::new(false);
    let ep = StoredValue::new(endpoint.clone());
    let prepare = move |_| match outbox::new_key() {
        Some(key) => {
            let body = app.with_value(|a| Report::from_application(a, key.clone(), outbox::now_rfc3339()).to_json());
            preview.set(Some((key, body)));
        }
        None => no_key.set(true),
    };
    let consent = move |_| {
        if let Some((key, body)) = preview.get_untracked() {
            let r = app.with_value(|a| a.reference.clone());
            if outbox.submit(key, r, ep.get_value(), body) {
                preview.set(None);
            }
        }
    };
    let summary = move || {
        app.with_value(|a| {
            let mut h = Html::new();
            // The site a person knows by its name, not the address of its programme; the whole
            // address is in the raw data below, for whoever wants to check.
            let endpoint = ep.get_value();
            let own_site = endpoint.starts_with(&format!("{}/", channels::origin()));
            let to = match channels::host_of(&endpoint) {
                "" => endpoint.clone(),
                host if own_site => format!("{host}{}", tr(l, "（本网站的报送系统）", " (this site's reporting system)")),
                host => host.to_string(),
            };
            h.labelled(tr(l, "发送到：", "Sent to: "), &to);
            h.open("ul", &[("class", "fp-list")]);
            let members: Vec<&str> = a.members.iter().map(|m| m.name.as_str()).filter(|n| !n.is_empty()).collect();
            let lines = [
                format!("{}{}", tr(l, "申请编号：", "Reference: "), a.reference),
                format!(
                    "{}{}，{}{}",
                    tr(l, "户主：", "Head: "),
                    a.head_name,
                    tr(l, "身份证号：", "ID: "),
                    a.id_number.as_deref().unwrap_or("—")
                ),
                format!(
                    "{}{}，{}{}",
                    tr(l, "手机：", "Mobile: "),
                    a.phone.as_deref().unwrap_or("—"),
                    tr(l, "住址：", "Address: "),
                    a.address
                ),
                format!("{}{}（{}）", tr(l, "家庭成员：", "Members: "), a.members.len(), members.join("、")),
                tr(
                    l,
                    "每位家人的年龄、身份证号、劳动能力、健康、上学、低保等情况",
                    "Each member's age, ID number, work, health, schooling and benefits",
                )
                .to_string(),
                tr(
                    l,
                    "收入、开支、住房和饮水的填写内容，以及自测结果",
                    "Your answers on income, spending, housing and water, and the self-check result",
                )
                .to_string(),
                format!("{}{}", tr(l, "困难情况说明：", "Difficulty: "), a.difficulty.get(code)),
                format!("{}{}", tr(l, "填写人：", "Filled in: "), a.filled_by.label().get(code)),
            ];
            for x in lines {
                h.el("li", &[], &x);
            }
            h.close("ul");
            h.0
        })
    };
    let status = move || {
        entry.get().map(|e: Entry| {
            let sending = outbox.sending.with(|s| s.contains(&e.key));
            let (state, zh, en) = match (&e.receipt, &e.refused, sending) {
                (Some(_), _, _) => ("delivered", "已送达", "Delivered"),
                (_, Some(_), _) => ("refused", "没有被接收", "Not accepted"),
                (_, _, true) => ("sending", "正在发送", "Sending"),
                _ => ("pending", "待发送", "Waiting to send"),
            };
            let mut h = Html::new();
            h.open("p", &[("class", "fp-status-line")]).el("strong", &[("class", "fp-status"), ("data-testid", "outbox-status"), ("data-state", state)], tr(l, zh, en)).close("p");
            match (&e.receipt, &e.refused) {
                (Some(r), _) => {
                    h.open("p", &[("data-testid", "receipt")])
                        .text(tr(l, "回执：编号 ", "Receipt: reference "))
                        .el("strong", &[("data-testid", "receipt-reference")], &r.reference)
                        .text(tr(l, "，收到时间 ", ", received "))
                        .el("span", &[("data-testid", "receipt-time"), ("data-utc", &r.received_at)], &receipt_time(l, &r.received_at))
                        .text(tr(l, "。乡镇会在几个工作日内联系您；请保留申请编号。", ". The township will contact you within a few working days; keep the reference code."))
                        .close("p");
                }
                (_, Some((status, msg))) => {
                    h.el("p", &[], &format!("{} (HTTP {status}) {msg}", tr(l, "报送系统没有接收这份申请。可以过一会儿再发送一次，也可以改用打电话或交给村里。", "The reporting system did not accept it. You can send it again later, or call or hand it to the village.")));
                }
                _ => {
                    h.el("p", &[], tr(l, "已经保存在这台手机上。有网络时会自动发送，关掉页面也不会丢；下次打开页面会接着发送。", "Saved on this phone. It is sent automatically when there is a network; closing the page does not lose it, and it is sent when you next open the page."));
                    if let Some(err) = &e.last_error {
                        h.el(
                            "p",
                            &[("class", "fp-muted"), ("data-testid", "last-error")],
                            &match l {
                                Lang::Zh => format!("上次没发出去：{}（已试 {} 次）。", retry_reason(l, err), e.attempts),
                                Lang::En => format!("Last try failed: {} ({} tries so far).", retry_reason(l, err), e.attempts),
                            },
                        );
                    }
                }
            }
            h.0
        })
    };
    let retry = move |_| {
        outbox.process();
    };
    view! {
        <div class="fp-oneclick" data-testid="one-click">
            {maybe(move || Some(match entry.get() {
                Some(e) => {
                    let pending = e.pending();
                    let refused = e.refused.is_some() && e.receipt.is_none();
                    let key = e.key.clone();
                    view! {
                        <div role="status" aria-live="polite" inner_html=live(move || status().unwrap_or_default())></div>
                        {pending.then(|| view! {
                            <button type="button" class="fp-button fp-small" data-testid="retry-now" on:click=click(retry)>{tr(l, "现在再试一次", "Try again now")}</button>
                        })}
                        {refused.then(|| view! {
                            <button type="button" class="fp-button fp-small" data-testid="send-again" on:click=click(move |_| outbox.send_again(&key))>
                                {tr(l, "再发送一次", "Send it again")}
                            </button>
                        })}
                    }.into_any()
                }
                None if !missing.is_empty() => {
                    let mut h = Html::new();
                    h.el("p", &[], tr(l, "一键报送之前，还要填上这些：", "Before reporting, please add:"));
                    h.open("ul", &[("class", "fp-list")]);
                    for m in &missing {
                        h.el("li", &[("data-field", &m.field)], m.message.get(code));
                    }
                    h.close("ul");
                    view! { <div class="fp-notice" data-testid="one-click-missing" inner_html=h.0></div> }.into_any()
                }
                None => match preview.get() {
                    None => view! {
                        {outbox.earlier_of_this_household(&reference).map(|e| {
                            let delivered = e.receipt.is_some();
                            view! {
                                <p class="fp-note" data-testid="sent-before" data-reference=e.reference.clone()>{match (l, delivered) {
                                    (Lang::Zh, true) => format!("这台手机已经报送过这一户的申请（编号 {}，已送达）。后来内容改了，所以编号也变了。只有情况有变化、要告诉乡镇时，才需要再报送一次。", e.reference),
                                    (Lang::Zh, false) => format!("这台手机已经有一份这一户的申请在等着发送（编号 {}）。后来内容改了，所以编号也变了。只有情况有变化时，才需要再报送一次。", e.reference),
                                    (Lang::En, true) => format!("This phone already reported this household (reference {}, delivered). The content changed since, so the reference did too. Report again only if the township should hear of the change.", e.reference),
                                    (Lang::En, false) => format!("A report of this household is already waiting to be sent from this phone (reference {}). The content changed since, so the reference did too. Report again only if the township should hear of the change.", e.reference),
                                }}</p>
                            }
                        })}
                        <button type="button" class="fp-button fp-primary" data-testid="one-click-prepare" on:click=click(prepare)>
                            {tr(l, "一键报送", "Report now")}
                        </button>
                        {when(move || no_key.get(), move || view! { <p class="fp-notice">{tr(l, "这个浏览器不能生成提交编号，请改用其他渠道。", "This browser cannot make a submission key; please use another channel.")}</p> }.into_any())}
                        {when(move || outbox.store_failed.get(), move || view! { <p class="fp-notice" role="alert">{tr(l, "这台手机没能保存这次报送，所以没有发出。请改用其他渠道。", "This phone could not store the report, so nothing was sent. Please use another channel.")}</p> }.into_any())}
                    }.into_any(),
                    Some((_, body)) => view! {
                        <div class="fp-confirm" data-testid="consent">
                            <p><strong>{tr(l, "下面这些内容会发送给报送系统，请看一下：", "This is what will be sent; please check it:")}</strong></p>
                            <div inner_html=live(summary)></div>
                            <details class="fp-why">
                                <summary>{tr(l, "查看要发送的原始数据", "Show the exact data to be sent")}</summary>
                                <p class="fp-muted">{format!("{}{}", tr(l, "发送地址：", "Address: "), ep.get_value())}</p>
                                <pre class="fp-raw" data-testid="raw-json" tabindex="0">{body}</pre>
                            </details>
                            <div class="fp-nav">
                                <button type="button" class="fp-button" data-testid="one-click-cancel" on:click=click(move |_| preview.set(None))>{tr(l, "先不发", "Not now")}</button>
                                <button type="button" class="fp-button fp-primary" data-testid="one-click-send" on:click=click(consent)>{tr(l, "同意并发送", "Agree and send")}</button>
                            </div>
                        </div>
                    }.into_any(),
                },
            }))}
        </div>
    }
    .into_any()
}

/// A receipt's time (the server's UTC) in Beijing time, in the person's language.
fn receipt_time(l: Lang, utc: &str) -> String {
    match fangpin_core::date::BeijingTime::from_rfc3339(utc) {
        Some(t) if l == Lang::Zh => t.to_chinese(),
        Some(t) => t.to_english(),
        None => utc.to_string(),
    }
}

/// Why the last try did not get through, in plain words (the browser's own message, such as
/// "Failed to fetch", means nothing to a villager).
fn retry_reason(l: Lang, err: &str) -> String {
    match err.strip_prefix("HTTP ") {
        Some(status) => match l {
            Lang::Zh => format!("报送系统暂时没有接收（代码 {status}），会自动再试"),
            Lang::En => format!("the reporting system did not take it just now (code {status}); it will try again"),
        },
        // The phone cannot tell a weak signal from a receiver that is down: both are said.
        None => tr(
            l,
            "没有连上报送系统（可能是网络不通，也可能是报送系统暂时没开），会自动再试",
            "could not reach the reporting system (no network, or the system is down for a while); it will try again",
        )
        .to_string(),
    }
}
