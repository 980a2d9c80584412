//! The explained result as escaped HTML: the headline, the per-capita figure against the range (its
//! provisional mark and note), how the figure was made, the gap, the risks, the category, 风险消除,
//! the matching help with office and phone, and what to check — each conclusion with its "为什么"
//! (rule, figures, clause, source). The villager's result screen and a roster's household show it.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::html::Html;
use crate::lang::{Lang, tr};
use fangpin_core::assessment::{Assessment, MeasureStatus, Outcome, Severity};
use fangpin_core::money::Money;
use fangpin_core::policy::{HotlineScope, Profile};

/// The conclusion in one sentence.
pub fn headline(a: &Assessment, l: Lang) -> String {
    match (a.category, a.outcome) {
        (Some(c), _) => match l {
            Lang::Zh => format!("可能属于“{}”，可以申请纳入监测", c.label().zh),
            Lang::En => format!("Likely category: {}; you can ask to be monitored", c.label().en),
        },
        (None, Outcome::HouseholdVisit) => {
            tr(l, "您家属于要逐户排查的重点群体，请告诉村里", "Your household is a key group the village screens: please tell the village")
                .to_string()
        }
        (None, Outcome::BelowRange) => {
            tr(l, "收入低于监测范围，请告诉村里", "Income is below the range: please tell the village").to_string()
        }
        (None, Outcome::Watch) => {
            tr(l, "有风险，但暂时不在监测范围内", "There are risks, but not within the monitoring range for now").to_string()
        }
        (None, _) => tr(l, "暂时没有发现返贫致贫风险", "No risk of falling into poverty shows for now").to_string(),
    }
}

/// The headline and the figure against the range.
pub fn summary_html(a: &Assessment, l: Lang) -> String {
    let mut h = Html::new();
    if !a.policy.in_force {
        h.0.push_str(&crate::page::period_notice(l, &a.policy, false, false));
    }
    let cat = a.category.map(|c| c.code()).unwrap_or("none");
    h.el(
        "p",
        &[("class", "fp-headline"), ("data-testid", "category"), ("data-category", cat), ("data-outcome", a.outcome.code())],
        &headline(a, l),
    );
    match a.per_capita_net_income {
        Some(pc) => {
            let range = a.monitoring_range.amount.display_yuan();
            h.el("p", &[], tr(l, "家庭年人均纯收入约", "Annual per-capita net income: about"));
            h.open("p", &[("class", "fp-figure")])
                .el("span", &[("data-testid", "per-capita")], &pc.rounded().display_yuan())
                .text(tr(l, " 元/人·年", " yuan per person per year"))
                .close("p");
            let pos = match (l, a.below_range) {
                (Lang::Zh, true) => format!("▼ 低于监测范围 {range} 元"),
                (Lang::En, true) => format!("▼ Below the monitoring range of {range} yuan"),
                (Lang::Zh, false) => format!("▲ 不低于监测范围 {range} 元"),
                (Lang::En, false) => format!("▲ Not below the monitoring range of {range} yuan"),
            };
            let below = if a.below_range { "true" } else { "false" };
            h.el("p", &[("class", "fp-position"), ("data-testid", "position"), ("data-below", below)], &pos);
            let r = &a.monitoring_range;
            crate::page::range_note(&mut h, l, r.provisional, r.screen_note.as_ref(), r.clause.provisional_reason.as_ref());
        }
        None => {
            h.el("p", &[], a.below_range_reason.text.get(l.code()));
        }
    }
    h.0
}

/// Width in viewBox units (0..=300) of `x` on a scale whose end is `max`.
fn scale(x: Decimal, max: Decimal) -> u32 {
    if max <= Decimal::ZERO || x <= Decimal::ZERO {
        return 0;
    }
    (x * Decimal::from(300) / max).round().to_u32().unwrap_or(0).min(300)
}

/// The bar (per-capita income) against the line (the range): an SVG with sizes as attributes (no
/// inline styles under the CSP); the two are told apart by shape and by the legend, not by colour.
fn bar(h: &mut Html, a: &Assessment, l: Lang) {
    let Some(pc) = a.per_capita_net_income else { return };
    let q = pc.quotient();
    let range = a.monitoring_range.amount.as_decimal();
    let max = q.max(range) * Decimal::new(125, 2);
    let w = scale(q, max).to_string();
    let x = scale(range, max);
    let xs = x.to_string();
    let (you, line) = (pc.rounded().display_yuan(), a.monitoring_range.amount.display_yuan());
    let label = match l {
        Lang::Zh => format!("条形图：您家人均纯收入约 {you} 元，监测范围 {line} 元。"),
        Lang::En => format!("Bar chart: your per-capita income about {you} yuan; monitoring range {line} yuan."),
    };
    h.open("figure", &[("class", "fp-barfig"), ("data-testid", "bar")]);
    h.open("svg", &[("class", "fp-bar"), ("viewBox", "0 0 300 48"), ("role", "img"), ("aria-label", &label)]);
    h.open("rect", &[("class", "fp-bar-track"), ("x", "0"), ("y", "12"), ("width", "300"), ("height", "24")]).close("rect");
    h.open("rect", &[("class", "fp-bar-fill"), ("x", "0"), ("y", "12"), ("width", &w), ("height", "24"), ("data-width", &w)]).close("rect");
    h.open("line", &[("class", "fp-bar-line"), ("x1", &xs), ("x2", &xs), ("y1", "2"), ("y2", "46"), ("data-x", &xs)]).close("line");
    let points = format!("{},0 {},0 {x},8", x.saturating_sub(6), x + 6);
    h.open("polygon", &[("class", "fp-bar-mark"), ("points", &points)]).close("polygon");
    h.close("svg");
    h.open("figcaption", &[("class", "fp-bar-legend")]);
    h.open("span", &[("class", "fp-key")]).open("span", &[("class", "fp-key-fill"), ("aria-hidden", "true")]).close("span");
    h.text(&match l {
        Lang::Zh => format!("实心条：您家 {you} 元"),
        Lang::En => format!("Solid bar: you, {you}"),
    });
    h.close("span");
    h.open("span", &[("class", "fp-key")]).open("span", &[("class", "fp-key-line"), ("aria-hidden", "true")]).close("span");
    h.text(&match l {
        Lang::Zh => format!("虚竖线：监测范围 {line} 元"),
        Lang::En => format!("Dashed line: range, {line}"),
    });
    h.close("span").close("figcaption").close("figure");
}

fn hotline_text(p: &Profile) -> String {
    let mut nums: Vec<&str> = p.hotlines.iter().filter(|h| h.scope == HotlineScope::Local).map(|h| h.number.as_str()).collect();
    nums.extend(p.hotlines.iter().filter(|h| h.scope == HotlineScope::National).map(|h| h.number.as_str()));
    nums.join(" / ")
}

/// Everything below the summary. `form_errors`: entries the form could not use (0 for a roster).
pub fn details_html(a: &Assessment, p: &Profile, l: Lang, form_errors: usize) -> String {
    let code = l.code();
    let inc = &a.income;
    let yuan = |m: Money| format!("{} {}", m.display_yuan(), tr(l, "元", "yuan"));
    let mut h = Html::new();

    // How the figure was made.
    h.open("section", &[("class", "fp-card"), ("data-testid", "computation")]);
    h.el("h3", &[], tr(l, "人均纯收入是怎么算的", "How per-capita income was computed"));
    h.open("table", &[("class", "fp-calc")]).open("tbody", &[]);
    let row = |h: &mut Html, k: &str, v: &str, sum: bool| {
        h.open("tr", if sum { &[("class", "fp-sum")] } else { &[] }).el("th", &[("scope", "row")], k).el("td", &[], v).close("tr");
    };
    for k in &inc.by_kind {
        row(&mut h, k.label.get(code), &yuan(k.amount), false);
    }
    row(&mut h, tr(l, "收入合计", "Total income"), &yuan(inc.gross), true);
    row(&mut h, tr(l, "减：生产经营成本", "Minus business costs"), &format!("− {}", yuan(inc.business_costs)), false);
    row(&mut h, tr(l, "家庭纯收入", "Net household income"), &yuan(inc.net_total), true);
    row(&mut h, tr(l, "除以家庭人口", "Divided by members"), &format!("÷ {} {}", inc.members_counted, tr(l, "人", "people")), false);
    if let Some(pc) = a.per_capita_net_income {
        row(&mut h, tr(l, "人均纯收入", "Per-capita net income"), &yuan(pc.rounded()), true);
    }
    h.close("tbody").close("table");
    if !inc.excluded.is_empty() {
        h.open("ul", &[("class", "fp-list")]);
        for x in &inc.excluded {
            h.el("li", &[], &format!("{} {}", yuan(x.amount), x.reason.get(code)));
        }
        h.close("ul");
    }
    h.el("p", &[("class", "fp-muted")], inc.how.get(code));
    bar(&mut h, a, l);
    h.why(l, &inc.clause, Some(&a.below_range_reason.text), &a.below_range_reason.figures, None);
    h.close("section");

    // The gap, and what would change the outcome.
    if let (Some(g), Some(pc)) = (a.gap, a.per_capita_net_income) {
        let n = pc.members;
        // The household's total is exact: range × members − net income (or the reverse above the line).
        let line_total = a.monitoring_range.amount.times(n);
        let text = if g.is_positive() {
            let (g1, all) = (g.display_yuan(), line_total.saturating_sub(a.income.net_total).display_yuan());
            match l {
                Lang::Zh => format!("离监测范围还差每人每年 {g1} 元（全家共 {all} 元）。人均纯收入要再多 {g1} 元以上，才不低于监测范围。"),
                Lang::En => format!(
                    "You are {g1} yuan per person per year below the range ({all} for the household). Per-capita income would need to rise by {g1} or more to reach it."
                ),
            }
        } else if g.is_zero() {
            tr(
                l,
                "人均纯收入正好等于监测范围（相等不算低于）。再少一点，就低于监测范围。",
                "Per-capita income equals the range exactly (equal is not below); any less and it would be below.",
            )
            .to_string()
        } else {
            let up = Money::ZERO.saturating_sub(g);
            let (u1, all) = (up.display_yuan(), a.income.net_total.saturating_sub(line_total).display_yuan());
            match l {
                Lang::Zh => format!(
                    "比监测范围高出每人每年 {u1} 元（全家共 {all} 元）。如果人均纯收入减少超过 {u1} 元，就会低于监测范围。收入不低，但因病、因灾、因意外花了大钱的，也可以申请。"
                ),
                Lang::En => format!(
                    "{u1} yuan per person per year above the range ({all} for the household). A fall of more than {u1} per person would bring you below it. Large costs from illness, disaster or accident can qualify even above the range."
                ),
            }
        };
        h.open("section", &[("class", "fp-card"), ("data-testid", "gap"), ("data-gap", &g.to_fixed2())]);
        h.el("h3", &[], tr(l, "差多少", "How far from the line")).el("p", &[], &text);
        if a.rigid_spending.total.is_positive()
            && let Some(x) = a.rigid_spending.per_capita_after
        {
            let (t, left) = (a.rigid_spending.total.display_yuan(), x.rounded().display_yuan());
            h.el(
                "p",
                &[],
                &match l {
                    Lang::Zh => format!("减去必要开支 {t} 元后，人均约剩 {left} 元。"),
                    Lang::En => format!("After unavoidable spending of {t} yuan, about {left} per person is left."),
                },
            );
        }
        h.close("section");
    }

    // Risks.
    h.open("section", &[("class", "fp-card"), ("data-testid", "risks")]).el("h3", &[], tr(l, "发现的风险", "Risks found"));
    if a.risks.is_empty() {
        h.el("p", &[("data-testid", "no-risks")], tr(l, "根据填写的情况，没有发现风险。", "From your answers, no risk shows."));
    } else {
        h.open("ul", &[("class", "fp-items")]);
        for r in &a.risks {
            h.open("li", &[("class", "fp-item"), ("data-risk", r.code.code())]).open("p", &[("class", "fp-item-title")]);
            h.el("span", &[("aria-hidden", "true")], "⚠ ").text(r.title.get(code));
            if r.key_group {
                h.text(" ").el("span", &[("class", "fp-tag")], tr(l, "重点排查", "key group"));
            }
            if r.figures.iter().any(|f| f.clause.provisional) || r.clause.provisional {
                h.text(" ").el(
                    "span",
                    &[("class", "fp-tag fp-tag-provisional"), ("data-testid", "provisional")],
                    tr(l, "含暂定标准", "provisional figure"),
                );
            }
            h.close("p").el("p", &[], r.rule.get(code)).why(l, &r.clause, None, &r.figures, None).close("li");
        }
        h.close("ul");
    }
    h.close("section");

    // Category.
    h.open("section", &[("class", "fp-card"), ("data-testid", "category-detail")]).el(
        "h3",
        &[],
        tr(l, "可能属于哪一类", "Likely category"),
    );
    let label = match a.category {
        Some(c) => c.label().get(code).to_string(),
        None => tr(l, "暂不属于监测对象的三类", "None of the three monitored categories for now").to_string(),
    };
    h.el("p", &[("class", "fp-item-title")], &label);
    for r in &a.category_reasons {
        h.el("p", &[], r.text.get(code));
        if let Some(c) = &r.clause {
            h.why(l, c, None, &r.figures, None);
        }
    }
    if a.whole_household_no_labour {
        let r = &a.whole_household_no_labour_reason;
        h.open("div", &[("class", "fp-note"), ("data-testid", "no-labour")]);
        h.open("p", &[]).el("strong", &[], tr(l, "整户无劳动能力：", "No one can work: ")).text(r.text.get(code));
        h.text(tr(
            l,
            " 这样的家庭要做好兜底保障（低保、特困供养等）。",
            " Such households should be covered by the safety net (dibao, tekun and the like).",
        ))
        .close("p");
        if let Some(c) = &r.clause {
            h.why(l, c, None, &r.figures, None);
        }
        h.close("div");
    }
    h.close("section");

    // Risk elimination (only for monitored households).
    if let Some(e) = &a.risk_elimination {
        h.open("section", &[("class", "fp-card"), ("data-testid", "elimination")]);
        h.el("h3", &[], tr(l, "能不能“风险消除”", "Can the risk be marked eliminated?")).el("p", &[], e.summary.get(code));
        h.open("ul", &[("class", "fp-items")]);
        for c in &e.reasons {
            let met = if c.met { "true" } else { "false" };
            h.open("li", &[("class", "fp-item"), ("data-check", c.code.code()), ("data-met", met)]);
            let mark = if c.met { tr(l, "✓ 已满足：", "✓ Met: ") } else { tr(l, "✗ 未满足：", "✗ Not met: ") };
            h.labelled(mark, c.text.get(code)).why(l, &c.clause, None, &c.figures, None).close("li");
        }
        h.close("ul").close("section");
    }

    // Measures (the 帮扶政策明白纸 rows that match), with the office and a phone.
    let hotlines = hotline_text(p);
    h.open("section", &[("class", "fp-card"), ("data-testid", "measures")]).el(
        "h3",
        &[],
        tr(l, "可以申请的帮扶", "Help you could apply for"),
    );
    if a.measures.is_empty() {
        h.el(
            "p",
            &[("data-testid", "no-measures")],
            tr(
                l,
                "暂时没有匹配的帮扶措施。纳入监测以后，村里会按您家的情况制定帮扶计划。",
                "No assistance matches for now. Once a household is monitored, the village plans help for it.",
            ),
        );
    } else {
        h.el("p", &[("class", "fp-muted")], p.assistance_sheet.intro.get(code));
        h.open("ul", &[("class", "fp-items")]);
        for m in &a.measures {
            let received = m.status == MeasureStatus::AlreadyReceived;
            h.open(
                "li",
                &[("class", "fp-item"), ("data-measure", &m.id), ("data-status", if received { "already_received" } else { "offered" })],
            );
            h.open("h4", &[]).text(m.title.get(code));
            if received {
                h.text(" ").el(
                    "span",
                    &[("class", "fp-tag"), ("data-testid", "already-received")],
                    tr(l, "您家已享受", "already received"),
                );
            }
            h.close("h4").el("p", &[], m.summary.get(code));
            h.labelled(tr(l, "为什么推荐：", "Why suggested: "), m.reason.get(code));
            h.labelled(tr(l, "办理部门：", "Office: "), m.office.get(code));
            h.open("p", &[]).el("strong", &[], tr(l, "电话：", "Phone: "));
            match &m.phone {
                Some(ph) => {
                    h.tel(ph);
                }
                None => {
                    h.text(tr(l, "可拨打 ", "call "));
                    for (i, n) in hotlines.split(" / ").enumerate() {
                        if i > 0 {
                            h.text(" / ");
                        }
                        h.tel(n);
                    }
                }
            }
            h.close("p").why(l, &m.clause, None, &m.figures, None).close("li");
        }
        h.close("ul");
    }
    h.close("section");

    // Data quality: errors and warnings shown; notes folded.
    let (main, notes): (Vec<_>, Vec<_>) = a.data_quality.iter().partition(|f| f.severity != Severity::Info);
    h.open("section", &[("class", "fp-card"), ("data-testid", "data-quality")]).el("h3", &[], tr(l, "请核对的地方", "Things to check"));
    if form_errors > 0 {
        h.el(
            "p",
            &[("class", "fp-error-box"), ("data-testid", "form-errors")],
            &match l {
                Lang::Zh => format!("有 {form_errors} 处填写要改正（在各步骤里用红字标出），改正以前没有算进结果。"),
                Lang::En => format!(
                    "{form_errors} entries need correcting (marked in red in the steps); they are left out of the result until then."
                ),
            },
        );
    }
    if main.is_empty() && form_errors == 0 {
        h.el("p", &[], tr(l, "没有发现明显的问题。", "Nothing obviously wrong."));
    }
    if !main.is_empty() {
        h.open("ul", &[("class", "fp-list")]);
        for f in &main {
            let tag = if f.severity == Severity::Error { tr(l, "要改正：", "Correct: ") } else { tr(l, "请核对：", "Check: ") };
            h.open("li", &[("data-finding", &f.code)]).el("strong", &[], tag).text(f.message.get(code)).close("li");
        }
        h.close("ul");
    }
    if !notes.is_empty() {
        h.open("details", &[("class", "fp-more")]).el(
            "summary",
            &[],
            &match l {
                Lang::Zh => format!("还可以补充的信息（{} 条）", notes.len()),
                Lang::En => format!("Information you could add ({})", notes.len()),
            },
        );
        h.open("ul", &[("class", "fp-list")]);
        for f in &notes {
            h.el("li", &[("data-finding", &f.code)], f.message.get(code));
        }
        h.close("ul").close("details");
    }
    h.close("section");
    h.open("p", &[("class", "fp-muted"), ("data-testid", "hotlines")]).text(tr(l, "有问题请拨打：", "Questions? Call: "));
    for (i, n) in hotlines.split(" / ").enumerate() {
        if i > 0 {
            h.text(" / ");
        }
        h.tel(n);
    }
    h.close("p");
    h.0
}
