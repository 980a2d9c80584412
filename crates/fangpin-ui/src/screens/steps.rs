//! The household steps: members, income, unavoidable spending, 三保障 and water, other situations.
//! Each question says in one line why it is asked; every answer is saved as it is typed.

use leptos::prelude::*;

use crate::ctx::use_ctx;
use crate::html::Html;
use crate::i18n::{Lang, tr};
use crate::store::Screen;
use crate::widgets::{
    AmountField, Check, Choice, Options, TextField, YES_NO, click, derived, field_error, form_choice, form_value, go, live, member_choice,
    member_value, select, t, when,
};
use fangpin_core::household::{HousingGrade, IncomeDropReason, LabourCapacity, OutOfSchoolReason, Relation, Schooling};
use fangpin_core::policy::{Profile, TriggerKind};
use fangpin_form::form::{Benefit, MemberForm, asks_out_of_school, member_field};
use wasm_bindgen::JsCast;

/// The most members a household may have (the core's limit).
const MAX_MEMBERS: usize = fangpin_core::household::limits::MEMBERS;

/// The relations in the order the form offers them (the select's value is the position here).
const RELATIONS: [Relation; 9] = Relation::FORM_ORDER;
const LABOUR: Options<Option<LabourCapacity>> = &[
    (Some(LabourCapacity::Full), "有劳动能力", "Able to work"),
    (Some(LabourCapacity::Weak), "弱劳动能力（只能干轻活）", "Weak (light work only)"),
    (Some(LabourCapacity::Half), "半劳动能力（能干一部分活）", "Half (some work)"),
    (
        Some(LabourCapacity::None),
        "无劳动能力（例如年老、重病、重度残疾）",
        "Unable to work (e.g. old age, serious illness, severe disability)",
    ),
];
const SCHOOLING: Options<Schooling> = &[
    (Schooling::None, "不在上学", "Not in school"),
    (Schooling::Compulsory, "小学或初中（义务教育）", "Primary or junior middle school (compulsory)"),
    (Schooling::HighSchool, "高中或中职", "High school or vocational school"),
    (Schooling::College, "大学或高职", "College or higher vocational"),
];
const OUT_OF_SCHOOL: Options<Option<OutOfSchoolReason>> = &[
    (None, "还没填", "Not answered"),
    (Some(OutOfSchoolReason::Health), "身体原因", "Health"),
    (Some(OutOfSchoolReason::Cost), "家里负担不起", "Cannot afford it"),
    (Some(OutOfSchoolReason::Work), "去打工了", "Went to work"),
    (Some(OutOfSchoolReason::Other), "其他原因", "Other reason"),
];
const DIBAO: Options<Benefit> = &[
    (Benefit::No, "没有", "No"),
    (Benefit::Before, "今年以前就有", "Since before this year"),
    (Benefit::ThisYear, "今年新纳入", "New this year"),
    (Benefit::Applied, "今年申请了，还没批下来", "Applied this year, not decided yet"),
];
const TEKUN: Options<Benefit> = &[
    (Benefit::No, "没有", "No"),
    (Benefit::Before, "今年以前就有", "Since before this year"),
    (Benefit::ThisYear, "今年新纳入", "New this year"),
    (Benefit::Applied, "今年申请了，还没批下来", "Applied this year, not decided yet"),
];
const HOUSING: Options<HousingGrade> = &[
    (HousingGrade::A, "A 级：安全", "A: safe"),
    (HousingGrade::B, "B 级：基本安全", "B: basically safe"),
    (HousingGrade::C, "C 级：局部危险（危房）", "C: partly dangerous (unsafe)"),
    (HousingGrade::D, "D 级：整栋危险（危房）", "D: dangerous (unsafe)"),
    (HousingGrade::Unknown, "不清楚", "Not sure"),
];
const DROP_REASONS: Options<Option<IncomeDropReason>> = &[
    (None, "还没填", "Not answered"),
    (Some(IncomeDropReason::LostJob), "失业或务工不稳", "Lost job or unstable work"),
    (Some(IncomeDropReason::FailedFarming), "种养失败", "Failed farming"),
    (Some(IncomeDropReason::FailedBusiness), "生意失败", "Failed business"),
    (Some(IncomeDropReason::Illness), "生病", "Illness"),
    (Some(IncomeDropReason::Disaster), "受灾", "Disaster"),
    (Some(IncomeDropReason::Accident), "意外事故", "Accident"),
    (Some(IncomeDropReason::Other), "其他", "Other"),
];

pub(crate) fn step_name(lang: Lang, s: Screen) -> &'static str {
    match s {
        Screen::Members => tr(lang, "家庭成员", "Family"),
        Screen::Income => tr(lang, "收入", "Income"),
        Screen::Spending => tr(lang, "必要开支", "Costs"),
        Screen::Guarantees => tr(lang, "住房饮水", "Home, water"),
        _ => tr(lang, "其他情况", "Other"),
    }
}

/// The question of each amount or count field after the first step, by its id: the field shows it,
/// and the result names by it a field it could not read.
const FIELD_LABELS: [(&str, &str, &str); 18] = [
    ("wage", "工资性收入", "Wage income"),
    ("business", "生产经营性收入（卖出的总钱数）", "Farming and business income (total sales)"),
    ("property", "财产性收入", "Property income"),
    ("transfer", "转移性收入", "Transfer income"),
    ("business_costs", "生产经营的成本", "Farming and business costs"),
    ("inpatient_largest", "花钱最多的那一次住院，自己付了多少？", "The costliest hospital stay: how much did you pay yourself?"),
    ("inpatient_other", "其他几次住院，自己一共付了多少？", "Other hospital stays: how much in total?"),
    ("outpatient", "门诊看病、买药，一年自己付了多少？", "Outpatient visits and medicine: how much in the year?"),
    ("school_compulsory", "小学、初中上学的花费", "Primary and junior middle school costs"),
    (
        "school_non_compulsory",
        "高中、中职、大学的花费（学费、住宿、生活费）",
        "High school, vocational and college costs (fees, board, living)",
    ),
    ("disaster", "因灾损失（例如洪水、台风、火灾）", "Losses from disaster (e.g. flood, typhoon, fire)"),
    ("accident", "意外事故的花费（例如车祸、摔伤）", "Costs of an accident (e.g. road accident, a fall)"),
    ("other_rigid", "其他躲不开的大开支", "Other unavoidable large spending"),
    ("water_litres", "每人每天大约能用多少升水？", "About how many litres per person per day?"),
    ("water_minutes", "去取水来回要多少分钟？", "How many minutes to fetch water, there and back?"),
    ("water_supply", "一年里大约百分之多少的时间有水用？", "What share of the year do you have water?"),
    ("stable_months", "家里收入已经稳定几个月了？", "For how many months has income been stable?"),
    ("last_year_income", "去年全家的纯收入大约是多少？", "About how much was last year's net household income?"),
];

/// The question of field `id` in language `l`, if it is one of [`FIELD_LABELS`].
pub(crate) fn field_label(id: &str, l: Lang) -> Option<&'static str> {
    FIELD_LABELS.iter().find(|(k, _, _)| *k == id).map(|(_, zh, en)| tr(l, zh, en))
}

/// The label of a field of [`FIELD_LABELS`], in the current language.
fn label_of(id: &'static str) -> Signal<String> {
    let lang = use_ctx().lang;
    derived(move || field_label(id, lang.get()).unwrap_or(id).to_string())
}

/// The body of a step after the first (in the later wasm file, see later.rs).
pub fn later_step(screen: Screen) -> AnyView {
    match screen {
        Screen::Income => view! { <IncomeStep /> }.into_any(),
        Screen::Spending => view! { <SpendingStep /> }.into_any(),
        Screen::Guarantees => view! { <GuaranteesStep /> }.into_any(),
        _ => view! { <SituationsStep /> }.into_any(),
    }
}

#[component]
pub fn StepScreen(screen: Screen) -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let idx = screen.step_index().unwrap_or(0);
    let n = Screen::STEPS.len();
    let last = idx + 1 == n;
    // The first step is here at once; the others come with the later wasm file (later.rs).
    let body = match screen {
        Screen::Members => view! { <MembersStep /> }.into_any(),
        s => view! { <crate::later::LaterScreen screen=s /> }.into_any(),
    };
    view! {
        <section class="fp-screen" data-screen=screen.name()>
            <h2 id="fp-screen-title" tabindex="-1">
                {match l {
                    Lang::Zh => format!("第 {} 步（共 {n} 步）：{}", idx + 1, step_name(Lang::Zh, screen)),
                    Lang::En => format!("Step {} of {n}: {}", idx + 1, step_name(Lang::En, screen)),
                }}
            </h2>
            <nav class="fp-progress fp-noprint" aria-label=tr(l, "填写步骤", "Steps")>
                <ol inner_html=progress_html(idx, l) on:click=click(move |ev| {
                    // One listener for the step buttons (escaped HTML): the button's `data-step`.
                    let step = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .and_then(|t| t.closest("[data-step]").ok().flatten())
                        .and_then(|b| b.get_attribute("data-step"))
                        .and_then(|i| Screen::STEPS.get(i.parse::<usize>().ok()?).copied());
                    if let Some(s) = step {
                        ctx.go(s)
                    }
                })></ol>
            </nav>
            {body}
            <LiveSummary />
            <div class="fp-nav fp-noprint">
                <button type="button" class="fp-button" data-testid="back" on:click=go(ctx, screen.prev())>
                    {tr(l, "上一步", "Back")}
                </button>
                <button type="button" class="fp-button fp-primary" data-testid="next" on:click=go(ctx, screen.next())>
                    {if last { tr(l, "看结果", "See the result") } else { tr(l, "下一步", "Next") }}
                </button>
            </div>
        </section>
    }
}

/// The step buttons of the progress bar, as escaped HTML (see html.rs).
fn progress_html(idx: usize, l: Lang) -> String {
    let mut h = Html::new();
    for (i, s) in Screen::STEPS.iter().enumerate() {
        let state = if i < idx {
            "done"
        } else if i == idx {
            "current"
        } else {
            "todo"
        };
        let n = i.to_string();
        let mut attrs = vec![("type", "button"), ("class", "fp-stepbtn"), ("data-step", n.as_str())];
        if i == idx {
            attrs.push(("aria-current", "step"));
        }
        h.open("li", &[("class", &format!("fp-step fp-step-{state}"))]).open("button", &attrs);
        h.el("span", &[("class", "fp-stepnum"), ("aria-hidden", "true")], &(i + 1).to_string());
        // A narrow button breaks a four-character name in its middle (家庭/成员), not after three.
        let name = step_name(l, *s);
        let half = name.char_indices().nth(2).map(|(b, _)| b).filter(|_| l == Lang::Zh && name.chars().count() == 4);
        h.open("span", &[("class", "fp-stepname")]);
        match half.and_then(|b| name.split_at_checked(b)) {
            Some((a, b)) => {
                h.text(a);
                h.0.push_str("<wbr>");
                h.text(b);
            }
            None => {
                h.text(name);
            }
        }
        h.close("span");
        h.close("button").close("li");
    }
    h.0
}

/// A one-line live result under every step (announced politely when it changes).
#[component]
fn LiveSummary() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;

    let line = Memo::new(move |_| {
        let l = lang.get();
        let errors = ctx.converted.with(|c| c.errors.len());
        let range = ctx.profile().monitoring_range.amount;
        // On step 1 nothing of the income is asked yet: "0.00, below the range" would be a verdict.
        let income_not_asked = ctx.screen.get() == Screen::Members
            && ctx.draft.with(|d| [&d.form.wage, &d.form.business, &d.form.property, &d.form.transfer].iter().all(|v| v.trim().is_empty()));
        ctx.decision.with(|d| {
            let mut s = match d.income.per_capita {
                Some(_) if income_not_asked => tr(
                    l,
                    "收入在第 2 步填写；填好以后，这里会显示人均纯收入。",
                    "Income comes in step 2; the per-capita figure shows here once it is in.",
                )
                .to_string(),
                None => tr(
                    l,
                    "还算不出人均纯收入：请至少填一位计入家庭人口的家人。",
                    "No per-capita figure yet: please enter at least one counted member.",
                )
                .to_string(),
                Some(pc) => {
                    let v = pc.rounded().display_yuan();
                    let range = range.display_yuan();
                    match (l, d.income.below_range) {
                        (Lang::Zh, true) => format!("按目前填写：人均纯收入约 {v} 元，低于监测范围 {range} 元。"),
                        (Lang::Zh, false) => format!("按目前填写：人均纯收入约 {v} 元，不低于监测范围 {range} 元。"),
                        (Lang::En, true) => format!("So far: about {v} yuan per person, below the range of {range}."),
                        (Lang::En, false) => format!("So far: about {v} yuan per person, not below the range of {range}."),
                    }
                }
            };
            if errors > 0 {
                s.push_str(&match l {
                    Lang::Zh => format!(" 有 {errors} 处填写要改正，改正前没有算进去。"),
                    Lang::En if errors == 1 => " 1 entry needs correcting and is left out until then.".to_string(),
                    Lang::En => format!(" {errors} entries need correcting and are left out until then."),
                });
            }
            s
        })
    });
    view! {
        <p class="fp-live" role="status" data-testid="live-summary">{line}</p>
    }
}

// ---------------------------------------------------------------- members

#[component]
fn MembersStep() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let count = select(|d| d.form.members.len());
    let add = move |_| {
        let n = count.get_untracked();
        if n >= MAX_MEMBERS {
            return;
        }
        ctx.draft.update(|d| {
            d.removed = None;
            d.form.members.push(MemberForm::default());
        });
        request_animation_frame(move || ctx.focus(&format!("fp-{}", member_field(n, "name"))));
    };
    let undo = move || {
        if count.get_untracked() >= MAX_MEMBERS {
            return;
        }
        let mut at = None;
        ctx.draft.update(|d| at = d.undo_remove());
        if let Some(at) = at {
            request_animation_frame(move || ctx.focus(&format!("fp-{}", member_field(at, "name"))));
        }
    };
    // One tap removes a whole card, so one tap brings it back (the draft remembers whom). As
    // escaped HTML with one listener, as the step buttons: a view here cost the first wasm file
    // three times as much.
    let removed_notice = select(move |d| {
        let Some(r) = &d.removed else { return String::new() };
        let name = r.member.name.trim();
        let (n, gap) = (r.index + 1, if name.is_empty() { "" } else { " " });
        let said = match l {
            Lang::Zh => format!("已删除第 {n} 位家人{gap}{name}。删错了可以撤销。"),
            Lang::En => format!("Member {n}{}{name} removed. If that was a mistake, undo it.", if name.is_empty() { "" } else { ", " }),
        };
        let mut h = Html::new();
        h.open("p", &[("class", "fp-notice"), ("role", "status"), ("data-testid", "member-removed")]).text(&said).text(" ");
        let button = [("type", "button"), ("id", "fp-undo-remove"), ("class", "fp-button fp-small"), ("data-testid", "undo-remove-member")];
        h.el("button", &button, tr(l, "撤销删除", "Undo")).close("p");
        h.0
    });
    let on_notice = move |ev: web_sys::MouseEvent| {
        let hit = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).and_then(|t| t.closest("#fp-undo-remove").ok().flatten());
        if hit.is_some() {
            undo();
        }
    };
    view! {
        <p class="fp-intro">{tr(l,
            "请从户主开始，一位一位填写家里的人：按户口本上的家人填，也看是不是住在一起、一起过日子。",
            "Start with the head of household and add each member: those on the household register who live and share income together.")}</p>
        <div inner_html=removed_notice on:click=on_notice></div>
        {move || (0..count.get()).map(|i| view! { <MemberCard i /> }).collect_view()}
        {move || if count.get() < MAX_MEMBERS {
            view! {
                <button type="button" class="fp-button fp-wide" data-testid="add-member" on:click=click(add)>
                    {tr(l, "＋ 再添加一位家人", "+ Add another member")}
                </button>
            }.into_any()
        } else {
            view! { <p class="fp-note" role="status" data-testid="members-full">{tr(l,
                "家庭成员最多填 30 位。如果您家确实超过 30 人，请直接找村干部或网格员登记。",
                "At most 30 members can be entered. If your household really has more, please register with the village cadre or grid worker.")}</p> }.into_any()
        }}
    }
}

#[component]
fn MemberCard(i: usize) -> impl IntoView {
    let ctx = use_ctx();
    provide_context(crate::widgets::MemberScope(i));
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let count = select(|d| d.form.members.len());
    let (name, set_name) = member_value(i, |m| m.name.clone(), |m, v| m.name = v);
    let (relation, set_relation) = member_value(i, |m| m.relation, |m, v| m.relation = v);
    let (age, set_age) = member_value(i, |m| m.age.clone(), |m, v| m.age = v);
    let (labour_o, labour, set_labour) = member_choice(i, LABOUR, |m| m.labour, |m, v| m.labour = v);
    let (schooling_o, schooling, set_schooling) = member_choice(i, SCHOOLING, |m| m.schooling, |m, v| m.schooling = v);
    let (oos_o, oos, set_oos) = member_choice(i, OUT_OF_SCHOOL, |m| m.out_of_school, |m, v| m.out_of_school = v);
    let (insured_o, insured, set_insured) = member_choice(i, YES_NO, |m| m.medical_insurance, |m, v| m.medical_insurance = v);
    let (ill, set_ill) = member_value(i, |m| m.serious_illness, |m, v| m.serious_illness = v);
    let (disabled, set_disabled) = member_value(i, |m| m.severe_disability, |m, v| m.severe_disability = v);
    let (disabled_new, set_disabled_new) = member_value(i, |m| m.severe_disability_this_year, |m, v| m.severe_disability_this_year = v);
    let (dibao_o, dibao, set_dibao) = member_choice(i, DIBAO, |m| m.dibao, |m, v| m.dibao = v);
    let (tekun_o, tekun, set_tekun) = member_choice(i, TEKUN, |m| m.tekun, |m, v| m.tekun = v);
    let (counted, set_counted) = member_value(i, |m| m.counted, |m, v| m.counted = v);
    let asks_oos = Memo::new(move |_| {
        let p = ctx.profile();
        ctx.draft.with(|d| d.form.members.get(i).is_some_and(|m| asks_out_of_school(m, p)))
    });
    let school_range = move || {
        let r = &ctx.profile().guarantees.compulsory_school_age;
        (r.from, r.to)
    };
    let title = move || {
        let l = lang.get();
        let rel = relation.get().label();
        let rel = rel.get(l.code());
        let nm = name.get();
        let nm = nm.trim();
        match l {
            Lang::Zh => format!("第 {} 位家人：{rel}{}{nm}", i + 1, if nm.is_empty() { "" } else { " " }),
            Lang::En => format!("Member {}: {rel}{}{nm}", i + 1, if nm.is_empty() { "" } else { ", " }),
        }
    };
    let remove = move |_| {
        // With the member, their 身份证号 (kept by position): every later member keeps their own.
        let mut gone = false;
        ctx.draft.update(|d| gone = d.remove_member(i));
        if gone {
            request_animation_frame(move || ctx.focus("fp-undo-remove"));
        }
    };
    let f = move |x: &str| member_field(i, x);
    let mut relation_options = Html::new();
    for (k, r) in RELATIONS.iter().enumerate() {
        relation_options.el("option", &[("value", &k.to_string())], r.label().get(l.code()));
    }
    let relation_options = relation_options.0;
    view! {
        <section class="fp-card fp-member" data-member=i aria-labelledby=format!("fp-m{i}-title")>
            <div class="fp-card-head">
                <h3 id=format!("fp-m{i}-title")>{live(title)}</h3>
                {when(move || count.get() > 1, move || view! {
                    <button type="button" class="fp-button fp-small" data-testid="remove-member" on:click=click(remove)>
                        {tr(l, "删除这位", "Remove")}
                    </button>
                }.into_any())}
            </div>
            <TextField id=f("name") label=t("姓名（可以不填）", "Name (optional)")
                why=Some(t("用来在结果里分清是哪位家人。只有您选择发送申请时，姓名才会写进申请，发给您选的渠道。",
                    "To tell members apart in the result. Only if you choose to send an application is the name put in it, and sent to the channel you chose."))
                value=name on_input=set_name autocomplete="off" />
            <div class="fp-field">
                <label for=format!("fp-{}", f("relation"))>{tr(l, "和户主的关系", "Relation to the head of household")}</label>
                // The options as escaped HTML; the choice is the select's value (the option's index).
                <select id=format!("fp-{}", f("relation")) inner_html=relation_options
                    prop:value=live(move || RELATIONS.iter().position(|r| *r == relation.get()).unwrap_or(0).to_string())
                    on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(r) = v.parse::<usize>().ok().and_then(|k| RELATIONS.get(k)) {
                        set_relation.run(*r);
                    }
                }>
                </select>
            </div>
            <TextField id=f("age") label=t("年龄（周岁）", "Age (years)")
                why=Some(t("用来看孩子是不是在上学年龄、家人能不能劳动。", "To see whether a child is of school age and who can work."))
                unit=Some(t("岁", "years")) value=age on_input=set_age inputmode="numeric" />
            <Choice name=f("labour") legend=t("劳动能力", "Ability to work")
                why=t("有劳动能力的，优先帮助找工作、发展生产；全家都没有劳动能力的，要做好兜底保障（低保、特困供养）。",
                      "Those who can work get help with jobs and farming first; if no one can work, the safety net (dibao, tekun) covers the household.")
                options=labour_o.clone() value=labour on_change=set_labour error=field_error(f("labour")) />
            <Choice name=f("schooling") legend=t("上学情况", "Schooling")
                why=t("上学的花费算必要开支；读高中、中职、大学的，可能有教育资助。", "School costs are unavoidable spending; upper-secondary and college students may get school aid.")
                options=schooling_o.clone() value=schooling on_change=set_schooling />
            {when(move || asks_oos.get(), move || {
                let (from, to) = school_range();
                view! {
                    <Choice name=f("oos") legend=t("这个孩子没上学，是什么原因？", "Why is this child not in school?")
                        why=derived(move || match lang.get() {
                            Lang::Zh => format!("{from} 到 {to} 岁的孩子都应该上学（义务教育）。除了身体原因，失学辍学是“三保障”要解决的问题。"),
                            Lang::En => format!("Children aged {from} to {to} should be in school (compulsory education). Apart from health, being out of school is a problem the three guarantees must solve."),
                        })
                        options=oos_o.clone() value=oos on_change=set_oos />
                }.into_any()
            })}
            <Choice name=f("medical_insurance") legend=t("参加了城乡居民基本医疗保险（医保）吗？", "Enrolled in basic medical insurance?")
                why=t("“三保障”是指义务教育、基本医疗、住房安全有保障。基本医疗要求每个人都参加医保。",
                      "The three guarantees are compulsory education, basic medical care and safe housing. Basic medical care means everyone is insured.")
                options=insured_o.clone() value=insured on_change=set_insured />
            <Check id=f("serious_illness") label=t("患有大病或慢性病（例如癌症、尿毒症、要长期吃药的病）", "Has a serious or chronic illness (e.g. cancer, kidney failure, long-term medication)")
                why=t("大病、慢性病是返贫致贫最常见的原因之一。", "Serious and chronic illness is one of the most common causes of falling into poverty.")
                value=ill on_change=set_ill />
            <details class="fp-more">
                <summary>{tr(l, "这位家人的其他情况：残疾、低保、特困、是否同住", "More about this member: disability, dibao, tekun, living together")}</summary>
                <Check id=f("severe_disability") label=t("重度残疾（一级或二级残疾证）", "Severe disability (grade 1 or 2 certificate)")
                    why=t("重度残疾会影响劳动和生活，是帮扶要考虑的情况。", "Severe disability affects work and daily life; help takes it into account.")
                    value=disabled on_change=set_disabled />
                {when(move || disabled.get(), move || view! {
                    <Check id=f("severe_disability_this_year") label=t("是今年新评定的重度残疾", "Newly certified this year")
                        why=t("今年新增重度残疾人的家庭，是要逐户排查的重点。", "Households with a member newly severely disabled this year are screened one by one.")
                        value=disabled_new on_change=set_disabled_new />
                }.into_any())}
                <Choice name=f("dibao") legend=t("享受低保吗？", "On dibao?")
                    why=t("低保是“最低生活保障”，给收入很低的家庭按月发钱。今年新纳入或新申请低保的家庭，是要逐户排查的重点。",
                          "Dibao is the minimum living allowance paid monthly to very poor households. Households new to dibao this year are screened one by one.")
                    options=dibao_o.clone() value=dibao on_change=set_dibao />
                <Choice name=f("tekun") legend=t("享受特困供养吗？", "On tekun support?")
                    why=t("特困供养是给没有劳动能力、没有收入、没有人赡养的人的救助。今年新纳入的，是要逐户排查的重点。",
                          "Tekun support is for people unable to work, without income and without family support. Those new this year are screened one by one.")
                    options=tekun_o.clone() value=tekun on_change=set_tekun />
                <Check id=f("counted") label=t("和家里住在一起、一起过日子（算作家庭人口）", "Lives with the household and shares income (counted)")
                    why=t("人均纯收入按住在一起、共同收支的家人来平均。", "Per-capita income is shared among members who live together and pool income.")
                    value=counted on_change=set_counted />
            </details>
        </section>
    }
}

// ---------------------------------------------------------------- income

#[component]
fn IncomeStep() -> impl IntoView {
    let ctx = use_ctx();
    let l = ctx.lang.get_untracked();

    let exclusions = {
        let p = ctx.profile();
        (!p.income_exclusions.is_empty()).then(|| {
            let names: Vec<&str> = p.income_exclusions.iter().map(|x| x.name.get(l.code())).collect();
            let sep = tr(l, "、", ", ");
            view! {
                <p class="fp-note" data-testid="exclusions">
                    <strong>{tr(l, "这些钱不算收入，不用填：", "Not counted as income; leave these out: ")}</strong>
                    {names.join(sep)}
                    {tr(l, "。", ".")}
                </p>
            }
        })
    };
    view! {
        <p class="fp-intro">{tr(l,
            "请填过去 12 个月全家的收入。“家庭纯收入”是全家各种收入加起来，再减去种地、做生意的成本；除以家里人数，就是“人均纯收入”。金额可以写 12000、12,000 或 1.2万；不知道准确数，填个大概也可以，不填就当没有。",
            "Enter the whole household's income over the last 12 months. Net household income is all income minus farming and business costs; divided by the number of members it gives per-capita net income. Write amounts as 12000, 12,000 or 1.2万; a rough figure is fine, and a blank counts as none.")}</p>
        <AmountField id="wage" label=label_of("wage")
            hint=Some(t("例如：打工、上班的工资，打零工的钱，公益岗位的工资。", "E.g. wages from work, odd jobs, public-welfare posts."))
            why=t("四类收入都要算进家庭纯收入。", "All four kinds of income count towards net income.")
            get=|f| f.wage.clone() set=|f, v| f.wage = v />
        <AmountField id="business" label=label_of("business")
            hint=Some(t("例如：种粮食、茶叶、竹笋，养猪养鸡，开小店、跑运输卖出的钱。成本在下面一项填。", "E.g. selling grain, tea, bamboo shoots, pigs or chickens; a small shop or transport. Costs go in the next field."))
            why=t("种养和生意的收入，减去成本以后算进家庭纯收入。", "Farming and business income counts after its costs are taken off.")
            get=|f| f.business.clone() set=|f, v| f.business = v />
        <AmountField id="business_costs" label=label_of("business_costs")
            hint=Some(t("例如：种子、化肥、农药、饲料、雇人、租地的钱。", "E.g. seed, fertiliser, pesticide, feed, hired help, land rent."))
            why=t("成本要从收入里减掉，算出的才是纯收入。", "Costs are subtracted from income to give net income.")
            get=|f| f.business_costs.clone() set=|f, v| f.business_costs = v />
        <AmountField id="property" label=label_of("property")
            hint=Some(t("例如：土地流转的租金、房租、入股分红、存款利息。", "E.g. land transfer rent, house rent, dividends, interest."))
            why=t("租金、分红、利息也是家庭收入。", "Rent, dividends and interest are household income too.")
            get=|f| f.property.clone() set=|f, v| f.property = v />
        <AmountField id="transfer" label=label_of("transfer")
            hint=Some(t("例如：养老金、低保金、特困供养金、各种补贴，不在一起住的子女给的赡养费。", "E.g. pensions, dibao and tekun payments, subsidies, support from children living elsewhere."))
            why=t("政府发的钱和家人给的钱，也算收入。", "Money from the government and from relatives counts as income.")
            get=|f| f.transfer.clone() set=|f, v| f.transfer = v />
        {exclusions}
    }
}

// ---------------------------------------------------------------- spending

/// "(for formerly poor and monitored households X yuan, others Y)" from the profile's trigger of `kind`.
fn trigger_line(p: &Profile, kind: TriggerKind, lang: Lang) -> String {
    let Some(tg) = p.spending_triggers.iter().find(|x| x.kind == kind) else { return String::new() };
    let (Some(a), Some(b)) = (tg.amount_formerly_poor_or_monitored, tg.amount_others) else { return String::new() };
    let prov = tg.provenance.provisional;
    let (a, b) = (a.short(), b.short());
    match (lang, kind, a == b) {
        (Lang::Zh, TriggerKind::MedicalOutpatientMonthly, true) => {
            format!("每月超过 {a} 元算负担重{}。", if prov { "（暂定标准）" } else { "" })
        }
        (Lang::Zh, TriggerKind::MedicalOutpatientMonthly, false) => {
            format!("脱贫户和监测对象每月超过 {a} 元、其他家庭超过 {b} 元算负担重{}。", if prov { "（暂定标准）" } else { "" })
        }
        (Lang::Zh, _, true) => format!("超过 {a} 元算负担重{}。", if prov { "（暂定标准）" } else { "" }),
        (Lang::Zh, _, false) => {
            format!("脱贫户和监测对象超过 {a} 元、其他家庭超过 {b} 元算负担重{}。", if prov { "（暂定标准）" } else { "" })
        }
        (Lang::En, TriggerKind::MedicalOutpatientMonthly, true) => {
            format!("Above {a} yuan a month counts as heavy{}.", if prov { " (provisional)" } else { "" })
        }
        (Lang::En, TriggerKind::MedicalOutpatientMonthly, false) => format!(
            "Above {a} a month (formerly poor or monitored) or {b} (others) counts as heavy{}.",
            if prov { " (provisional)" } else { "" }
        ),
        (Lang::En, _, true) => format!("Above {a} yuan counts as heavy{}.", if prov { " (provisional)" } else { "" }),
        (Lang::En, _, false) => format!(
            "Above {a} yuan (formerly poor or monitored) or {b} (others) counts as heavy{}.",
            if prov { " (provisional)" } else { "" }
        ),
    }
}

#[component]
fn SpendingStep() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let with_trigger = move |zh: &'static str, en: &'static str, kind: TriggerKind| {
        derived(move || {
            let l = lang.get();
            format!("{} {}", tr(l, zh, en), trigger_line(ctx.profile(), kind, l))
        })
    };
    view! {
        <p class="fp-intro">{tr(l,
            "“刚性支出”是躲不开、必须花的钱，比如看病、上学，或者受灾、出意外的损失。请填过去 12 个月自己掏的钱（医保报销和救助以后剩下的部分）。没有就不填。",
            "Unavoidable spending (刚性支出) is money you cannot avoid: medical bills, school costs, losses from disaster or accident. Enter what you paid yourself over the last 12 months, after insurance and aid. Leave blank if none.")}</p>
        <h3>{tr(l, "看病", "Medical")}</h3>
        <AmountField id="inpatient_largest" label=label_of("inpatient_largest")
            why=with_trigger("一次住院自付太多，容易因病致贫。", "A costly hospital stay can push a family into poverty.", TriggerKind::MedicalInpatientStay)
            get=|f| f.inpatient_largest.clone() set=|f, v| f.inpatient_largest = v />
        <AmountField id="inpatient_other" label=label_of("inpatient_other")
            why=t("所有看病花费都算必要开支。", "All medical costs are unavoidable spending.")
            get=|f| f.inpatient_other.clone() set=|f, v| f.inpatient_other = v />
        <AmountField id="outpatient" label=label_of("outpatient")
            why=with_trigger("长期看门诊、吃药也是很重的负担。", "Long-term outpatient care and medicine are a heavy burden too.", TriggerKind::MedicalOutpatientMonthly)
            get=|f| f.outpatient.clone() set=|f, v| f.outpatient = v />
        <h3>{tr(l, "上学", "School")}</h3>
        <AmountField id="school_compulsory" label=label_of("school_compulsory")
            why=t("上学的花费算必要开支。", "School costs are unavoidable spending.")
            get=|f| f.school_compulsory.clone() set=|f, v| f.school_compulsory = v />
        <AmountField id="school_non_compulsory" label=label_of("school_non_compulsory")
            why=with_trigger("非义务教育阶段上学花费大。", "Schooling beyond compulsory education is costly.", TriggerKind::SchoolingNonCompulsory)
            get=|f| f.school_non_compulsory.clone() set=|f, v| f.school_non_compulsory = v />
        <h3>{tr(l, "受灾和意外", "Disaster and accident")}</h3>
        <AmountField id="disaster" label=label_of("disaster")
            why=t("因灾造成的大损失，可能让基本生活出现严重困难。", "Large disaster losses can make basic living seriously hard.")
            get=|f| f.disaster.clone() set=|f, v| f.disaster = v />
        <AmountField id="accident" label=label_of("accident")
            why=t("因意外花了大钱，收入不低也可能属于“突发严重困难户”。", "A costly accident can mean sudden severe hardship even when income is not low.")
            get=|f| f.accident.clone() set=|f, v| f.accident = v />
        <AmountField id="other_rigid" label=label_of("other_rigid")
            why=t("收入减去必要开支后，人均剩下的钱低于监测范围，也是风险。", "If income minus unavoidable spending leaves less than the range per person, that is a risk too.")
            get=|f| f.other_rigid.clone() set=|f, v| f.other_rigid = v />
    }
}

// ---------------------------------------------------------------- housing and water

#[component]
fn GuaranteesStep() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let (housing_o, housing, set_housing) = form_choice(HOUSING, |f| f.housing, |f, v| f.housing = v);
    let (quality_o, quality, set_quality) = form_choice(YES_NO, |f| f.water_quality_ok, |f, v| f.water_quality_ok = v);
    let (litres, set_litres) = form_value(|f| f.water_litres.clone(), |f, v| f.water_litres = v);
    let (rich, set_rich) = form_value(|f| f.water_rich_area, |f, v| f.water_rich_area = v);
    let (minutes, set_minutes) = form_value(|f| f.water_minutes.clone(), |f, v| f.water_minutes = v);
    let (supply, set_supply) = form_value(|f| f.water_supply.clone(), |f, v| f.water_supply = v);
    let water = move || ctx.profile().guarantees.water.clone();
    let litres_why = derived(move || {
        let w = water();
        match lang.get() {
            Lang::Zh => {
                format!("标准是每人每天至少 {} 升（丰水地区 {} 升）。", w.min_litres_per_person_day, w.min_litres_per_person_day_water_rich)
            }
            Lang::En => format!(
                "The standard is at least {} litres per person per day ({} in water-rich areas).",
                w.min_litres_per_person_day, w.min_litres_per_person_day_water_rich
            ),
        }
    });
    let minutes_why = derived(move || match lang.get() {
        Lang::Zh => format!("标准是取水来回不超过 {} 分钟。", water().max_fetch_round_trip_minutes),
        Lang::En => format!("The standard is at most {} minutes there and back.", water().max_fetch_round_trip_minutes),
    });
    let supply_why = derived(move || match lang.get() {
        Lang::Zh => format!("标准是供水保证率不低于 {}%。", water().min_supply_percent),
        Lang::En => format!("The standard is water at least {}% of the time.", water().min_supply_percent),
    });
    let asks_rich = move || {
        let w = water();
        w.min_litres_per_person_day != w.min_litres_per_person_day_water_rich
    };
    view! {
        <p class="fp-intro">{tr(l,
            "“三保障”是指义务教育、基本医疗、住房安全有保障（上学和医保在“家庭成员”里已经问过）；另外，喝水也要安全。不清楚的可以不填。",
            "The three guarantees (三保障) are compulsory education, basic medical care and safe housing (school and insurance were asked under Family); drinking water must be safe too. Leave blank what you do not know.")}</p>
        <Choice name="housing" legend=t("住房安全等级", "Housing safety grade")
            why=t("住房由住建部门鉴定等级，C 级、D 级是危房，可以申请危房改造。", "Homes are graded by the housing office; C and D are unsafe and may get renovation help.")
            options=housing_o.clone() value=housing on_change=set_housing />
        <h3>{tr(l, "饮水安全", "Drinking water")}</h3>
        <Choice name="water_quality" legend=t("家里喝的水干净吗（没有异味、不浑浊）？", "Is your drinking water clean (no smell, not cloudy)?")
            why=t("饮用水水质要达标。", "Drinking water must meet the quality standard.")
            options=quality_o.clone() value=quality on_change=set_quality />
        <TextField id="water_litres" label=label_of("water_litres")
            why=Some(litres_why)
            hint=Some(t("一桶纯净水约 19 升，一担水约 50 升。自来水通到家、随时够用的，可以填 100。", "A water-cooler bottle is about 19 litres; two full buckets on a pole about 50. With enough tap water at home, enter 100."))
            unit=Some(t("升", "litres")) value=litres on_input=set_litres inputmode="numeric" />
        {when(asks_rich, move || view! {
            <Check id="water_rich" label=t("我们这里是丰水地区（水源充足）", "We live in a water-rich area")
                why=t("丰水地区每人每天要求的水量更多。", "Water-rich areas have a higher daily standard.")
                value=rich on_change=set_rich />
        }.into_any())}
        <TextField id="water_minutes" label=label_of("water_minutes")
            why=Some(minutes_why) hint=Some(t("自来水通到家里的，填 0。", "Enter 0 if water is piped to your home."))
            unit=Some(t("分钟", "minutes")) value=minutes on_input=set_minutes inputmode="numeric" />
        <TextField id="water_supply" label=label_of("water_supply")
            why=Some(supply_why) hint=Some(t("很少停水的，填 100。", "Enter 100 if water rarely stops."))
            unit=Some(t("%", "%")) value=supply on_input=set_supply inputmode="numeric" />
    }
}

// ---------------------------------------------------------------- other situations

#[component]
fn SituationsStep() -> impl IntoView {
    let ctx = use_ctx();
    let lang = ctx.lang;
    let l = lang.get_untracked();
    let (fp_o, fp, set_fp) = form_choice(YES_NO, |f| f.formerly_poor, |f, v| f.formerly_poor = v);
    let (mon_o, mon, set_mon) = form_choice(YES_NO, |f| f.monitored, |f, v| f.monitored = v);
    let (months, set_months) = form_value(|f| f.stable_months.clone(), |f, v| f.stable_months = v);
    let (before_o, before, set_before) = form_choice(YES_NO, |f| f.not_included_before, |f, v| f.not_included_before = v);
    let (dropped_o, dropped, set_dropped) = form_choice(YES_NO, |f| f.income_dropped, |f, v| f.income_dropped = v);
    let (reason_o, reason, set_reason) = form_choice(DROP_REASONS, |f| f.drop_reason, |f, v| f.drop_reason = v);
    let (who, set_who) = form_value(|f| f.collected_by.clone(), |f, v| f.collected_by = v);
    let months_why = derived(move || {
        let n = ctx.profile().category_rules.elimination_min_stable_months.value;
        match lang.get() {
            Lang::Zh => format!("要标注“风险消除”，收入原则上要稳定 {n} 个月以上。"),
            Lang::En => format!("To mark the risk as eliminated, income should be stable for at least {n} months."),
        }
    });
    let drop_why = derived(move || {
        let r = ctx.profile().category_rules.income_drop_ratio.value * rust_decimal::Decimal::from(100);
        match lang.get() {
            Lang::Zh => format!("纯收入比去年少 {}% 及以上，算收入明显下降。", r.normalize()),
            Lang::En => format!("A fall of {}% or more from last year counts as a sharp drop.", r.normalize()),
        }
    });
    view! {
        <p class="fp-intro">{tr(l, "最后几个问题，关系到您家属于哪一类、能不能“风险消除”。", "A few last questions: they decide the category and whether a risk can be marked eliminated.")}</p>
        <Choice name="formerly_poor" legend=t("您家是脱贫户吗（以前是建档立卡贫困户）？", "Are you a formerly poor household (registered as poor by the end of 2020)?")
            why=t("脱贫户收入低又有风险的，属于“脱贫不稳定户”；看病的标准也不一样。", "A formerly poor household with low income and a risk is 'unstable formerly poor'; medical thresholds differ too.")
            options=fp_o.clone() value=fp on_change=set_fp />
        <Choice name="monitored" legend=t("您家现在已经是监测对象了吗？", "Is your household already monitored?")
            why=t("已经纳入监测的家庭，可以看看是否符合“风险消除”的条件。", "For monitored households we check the conditions for marking the risk eliminated.")
            options=mon_o.clone() value=mon on_change=set_mon />
        {when(move || mon.get() == 0, move || view! {
            <TextField id="stable_months" label=label_of("stable_months")
                why=Some(months_why) unit=Some(t("个月", "months")) value=months on_input=set_months inputmode="numeric" />
        }.into_any())}
        <Choice name="not_included_before" legend=t("以前申报过、或被排查预警过，但没有纳入监测吗？", "Did you apply, or were you flagged, before without being included?")
            why=t("这样的家庭是要逐户排查的重点。", "Such households are screened one by one.")
            options=before_o.clone() value=before on_change=set_before />
        <Choice name="income_dropped" legend=t("今年家里收入比去年明显少了吗？", "Has household income dropped clearly since last year?")
            why=drop_why options=dropped_o.clone() value=dropped on_change=set_dropped />
        {when(move || dropped.get() == 0, move || view! {
            <AmountField id="last_year_income" label=label_of("last_year_income")
                why=t("和今年比，才知道少了多少。", "Comparing with this year shows how much it fell.")
                get=|f| f.last_year_income.clone() set=|f, v| f.last_year_income = v />
            <Choice name="drop_reason" legend=t("收入减少的主要原因", "Main reason for the drop")
                why=t("失业、种养或生意失败，都是要关注的风险。", "A lost job or failed farming or business are risks to watch.")
                options=reason_o.clone() value=reason on_change=set_reason />
        }.into_any())}
        <TextField id="collected_by" label=t("是谁在填写？", "Who is filling this in?")
            why=Some(t("按“谁采集、谁录入、谁负责”，要写明是谁填的。", "By the rule 'whoever collects is responsible', the form names who filled it in."))
            hint=Some(t("自己填的写“本人”；村干部、网格员帮忙填的，写上他的姓名。", "Write 'self', or the name of the cadre or grid worker helping you."))
            value=who on_input=set_who autocomplete="off" />
    }
}
