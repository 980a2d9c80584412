//! The policy sheets on paper (明白纸), from the profile's data: the 申报政策明白纸 and the
//! 帮扶政策明白纸 for handing out (A4), the poster for the village notice board (A3), each with the
//! 一码通 — a QR code that opens the self-check for the county — and the short text for an SMS or
//! a WeChat push. Every provisional figure is marked on the paper as on the screen. The publish step
//! (`fangpin-site`) writes them into the site as printable pages; this module only writes the HTML.

use crate::html::Html;
use crate::lang::{Lang, tr};
use fangpin_core::household::Schooling;
use fangpin_core::policy::{IncomeLine, Measure, MeasureKind, Profile};
use fangpin_core::vocabulary::Category;

/// The 一码通: the address the code opens and the code as SVG (None: no address was configured).
pub struct Code<'a> {
    pub url: &'a str,
    pub svg: &'a str,
}

/// The paper sizes the sheets are laid out for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// Handed out door to door.
    A4,
    /// The village notice board.
    A3,
}

impl Paper {
    pub fn class(self) -> &'static str {
        match self {
            Paper::A4 => "fp-paper fp-a4",
            Paper::A3 => "fp-paper fp-a3",
        }
    }
}

fn region(p: &Profile, l: Lang) -> String {
    let code = l.code();
    match l {
        Lang::Zh => format!("{}{}", p.region.city.name.get(code), p.region.county.name.get(code)),
        Lang::En => format!("{}, {}", p.region.county.name.get(code), p.region.city.name.get(code)),
    }
}

fn range_line(h: &mut Html, p: &Profile, l: Lang) {
    let r = &p.monitoring_range;
    h.open("p", &[("class", "fp-paper-range"), ("data-testid", "paper-range")])
        .text(&match l {
            Lang::Zh => format!("{} 年监测范围：家庭年人均纯收入 ", p.year),
            Lang::En => format!("{} monitoring range: annual per-capita net household income ", p.year),
        })
        .el("strong", &[], &format!("{} {}", r.amount.display_yuan(), tr(l, "元", "yuan")));
    if r.provenance.provisional {
        // The profile's own words on whose figure prevails (a city is no 县), as the screen says.
        let code = l.code();
        let note = r.screen_note.as_ref().map(|n| n.get(code).trim().trim_end_matches(['。', '.']).to_string());
        let mark = match (l, note) {
            (Lang::Zh, Some(n)) if !n.is_empty() => format!("（暂定，{n}）"),
            (Lang::En, Some(n)) if !n.is_empty() => format!(" (provisional: {n})"),
            _ => tr(l, "（暂定，以当地公布的为准）", " (provisional: the published local figure prevails)").to_string(),
        };
        h.el("span", &[("class", "fp-provisional"), ("data-provisional", "true")], &mark);
    }
    h.close("p");
}

fn qr_block(h: &mut Html, l: Lang, code: Option<&Code>) {
    match code {
        Some(c) => {
            h.open("figure", &[("class", "fp-paper-qr"), ("data-testid", "paper-qr"), ("data-url", c.url)]);
            h.0.push_str(c.svg);
            h.open("figcaption", &[])
                .el("strong", &[], tr(l, "一码通：微信扫一扫，在手机上自测、申请", "Scan with WeChat: self-check and apply on your phone"))
                .open("span", &[("class", "fp-paper-url")]);
            h.0.push_str(&url_with_breaks(c.url));
            h.close("span").close("figcaption").close("figure");
        }
        // Without the site's address there is no code: the paper tells the reader where else to
        // go, and only the screen (never the print) tells whoever prints it how to add one.
        None => {
            h.el(
                "p",
                &[("class", "fp-paper-no-qr"), ("data-testid", "paper-no-qr")],
                tr(
                    l,
                    "扫码自测的二维码，请向村里要；也可以打这张纸上的电话。",
                    "Ask the village for the QR code of the self-check, or call a number on this sheet.",
                ),
            );
            h.el(
                "p",
                &[("class", "fp-notice fp-noprint"), ("data-testid", "paper-no-qr-note")],
                tr(
                    l,
                    "打印前请注意：发布时没有设置网站的网址（fangpin publish-policy --site-url），所以这张纸上没有二维码。",
                    "Before printing: the site's address was not set at publish (fangpin publish-policy --site-url), so this sheet has no QR code.",
                ),
            );
        }
    }
}

/// The address as text, allowed to wrap only after a `/` and before `?`, `&` or `=` (never inside
/// the host, a port or a county code), so that whoever types it from the paper reads it whole.
fn url_with_breaks(url: &str) -> String {
    let mut out = String::new();
    for c in url.chars() {
        if matches!(c, '?' | '&' | '=') {
            out.push_str("<wbr>");
        }
        out.push_str(&crate::esc(c.encode_utf8(&mut [0; 4])));
        if c == '/' {
            out.push_str("<wbr>");
        }
    }
    out
}

fn contacts(h: &mut Html, p: &Profile, l: Lang) {
    let code = l.code();
    h.open("ul", &[("class", "fp-list fp-paper-contacts")]);
    for hl in &p.hotlines {
        h.open("li", &[]).el("strong", &[], &hl.number).text(" ").text(hl.name.get(code));
        if hl.provenance.provisional {
            h.el("span", &[("class", "fp-provisional"), ("data-provisional", "true")], tr(l, "（号码暂定）", " (number provisional)"));
        }
        h.close("li");
    }
    h.close("ul");
}

fn sources_note(h: &mut Html, p: &Profile, l: Lang) {
    let provisional = p.monitoring_range.provenance.provisional || p.measures.iter().any(|m| m.provenance.provisional);
    let mut line = match l {
        Lang::Zh => format!("依据：{}政策数据（{} 至 {}）。", p.name.get("zh"), p.effective_from, p.effective_to),
        Lang::En => format!("Based on: {} policy data ({} to {}).", p.name.get("en"), p.effective_from, p.effective_to),
    };
    if provisional {
        line.push_str(tr(
            l,
            "标“暂定”的，是还没有找到当地正式公布数字的内容，以村里、乡镇告知的为准。",
            " Items marked provisional have no published local figure yet; what the village and township say prevails.",
        ));
    }
    h.el("p", &[("class", "fp-paper-source")], &line);
}

/// 申报政策明白纸 on A4: the range and what it means, who can apply (the three categories in a line
/// each), how (every channel, every number), what happens next, and the 一码通.
pub fn apply_sheet(p: &Profile, l: Lang, code: Option<&Code>) -> String {
    let c = l.code();
    let sheet = &p.application_sheet;
    let mut h = Html::new();
    h.open("section", &[("class", Paper::A4.class()), ("data-testid", "paper-apply"), ("lang", c)]);
    h.el("p", &[("class", "fp-paper-region")], &region(p, l));
    h.el("h1", &[], sheet.title.get(c));
    range_line(&mut h, p, l);
    h.el("p", &[], tr(l,
        "家里一年的纯收入（收入减去种地、做生意的成本），平均到每个人，低于这个数；或者因为生病、上学、受灾、意外等开支太大，生活有困难的，都可以申请。",
        "If your household's yearly net income per person (income minus farming and business costs) is below this line, or large spending on illness, school, disaster or an accident makes life hard, you can apply."));
    h.el("h2", &[], tr(l, "谁可以申请", "Who can apply"));
    h.el("p", &[], sheet.who_can_apply.get(c));
    h.open("ul", &[("class", "fp-list")]);
    for cat in [Category::UnstableFormerlyPoor, Category::MarginalAtRisk, Category::SuddenHardship] {
        h.open("li", &[("data-category", cat.code())]).el("strong", &[], cat.label().get(c));
        if let Some(t) = p.clauses.get(cat.clause_key()).clause.as_ref() {
            let t = t.get(c);
            let t = t
                .split_once('：')
                .or_else(|| t.split_once(": "))
                .filter(|(head, _)| head.chars().count() <= 30)
                .map_or(t, |(_, rest)| rest.trim());
            h.text(tr(l, "：", ": ")).text(t);
        }
        h.close("li");
    }
    h.close("ul");
    h.el("h2", &[], tr(l, "怎么申请（选一种就行）", "How to apply (any one will do)"));
    h.el("p", &[], sheet.how_to_apply.get(c));
    h.open("ul", &[("class", "fp-list")]);
    for ch in p.offered_channels() {
        h.open("li", &[]).el("strong", &[], ch.name.get(c)).text(tr(l, "：", ": ")).text(ch.how.get(c)).close("li");
    }
    h.close("ul");
    h.el("p", &[], tr(l, "咨询电话：", "Phone:"));
    contacts(&mut h, p, l);
    h.el("h2", &[], tr(l, "申请以后", "What happens next"));
    h.el("p", &[], sheet.what_happens_next.get(c));
    qr_block(&mut h, l, code);
    sources_note(&mut h, p, l);
    h.close("section");
    h.0
}

/// The conditions of a measure in words (who qualifies), from its data.
pub fn who_qualifies(m: &Measure, p: &Profile, l: Lang) -> String {
    let c = l.code();
    let e = &m.eligibility;
    let sep = tr(l, "、", ", ");
    let mut parts: Vec<String> = Vec::new();
    if e.requires_monitoring_or_category {
        parts.push(tr(l, "纳入监测的家庭", "monitored households").to_string());
    }
    if !e.categories_any_of.is_empty() {
        parts.push(e.categories_any_of.iter().map(|x| x.label().get(c).to_string()).collect::<Vec<_>>().join(sep));
    }
    if !e.labour_any_of.is_empty() {
        let kinds: Vec<String> = e.labour_any_of.iter().map(|x| x.label().get(c).to_string()).collect();
        parts.push(match l {
            Lang::Zh => format!("家里有{}的人", kinds.join(sep)),
            Lang::En => format!("someone {}", kinds.join(" or ")),
        });
    }
    if !e.schooling_any_of.is_empty() {
        let kinds: Vec<&str> = e
            .schooling_any_of
            .iter()
            .map(|s| match s {
                Schooling::None => tr(l, "不在上学", "not in school"),
                Schooling::Compulsory => tr(l, "义务教育", "compulsory school"),
                Schooling::HighSchool => tr(l, "高中或中职", "high or vocational school"),
                Schooling::College => tr(l, "大学或高职", "college"),
            })
            .collect();
        parts.push(match l {
            Lang::Zh => format!("家里有读{}的学生", kinds.join(sep)),
            Lang::En => format!("a student in {}", kinds.join(" or ")),
        });
    }
    if !e.risks_any_of.is_empty() {
        parts.push(e.risks_any_of.iter().map(|r| r.title().get(c).to_string()).collect::<Vec<_>>().join(sep));
    }
    if e.whole_household_no_labour == Some(true) {
        parts.push(tr(l, "全家都没有劳动能力", "no one in the household can work").to_string());
    }
    if e.formerly_poor == Some(true) {
        parts.push(tr(l, "脱贫户", "formerly poor households").to_string());
    }
    if let Some(line) = e.per_capita_below {
        let amount = match line {
            IncomeLine::MonitoringRange => Some(p.monitoring_range.amount.display_yuan()),
            IncomeLine::DibaoLine => p.dibao_line.as_ref().map(|d| d.annual().display_yuan()),
        };
        if let Some(a) = amount {
            parts.push(match l {
                Lang::Zh => format!("人均纯收入低于 {a} 元"),
                Lang::En => format!("per-capita net income below {a} yuan"),
            });
        }
    }
    if parts.is_empty() {
        return tr(l, "需要的家庭，由村里核实", "households in need, as the village confirms").to_string();
    }
    parts.join(tr(l, "；", "; "))
}

/// 帮扶政策明白纸 on A4: the measures as the real sheets have them — kind, what you get, who
/// qualifies, office and phone — and the 一码通.
pub fn help_sheet(p: &Profile, l: Lang, code: Option<&Code>) -> String {
    let c = l.code();
    let sheet = &p.assistance_sheet;
    let mut h = Html::new();
    h.open("section", &[("class", Paper::A4.class()), ("data-testid", "paper-help"), ("lang", c)]);
    h.el("p", &[("class", "fp-paper-region")], &region(p, l));
    h.el("h1", &[], sheet.title.get(c));
    h.el("p", &[], sheet.intro.get(c));
    // Grouped by kind (a heading row each), so that the three columns keep their width.
    h.open("table", &[("class", "fp-paper-table")]);
    h.open("thead", &[]).open("tr", &[]);
    for head in [tr(l, "帮扶内容", "What you get"), tr(l, "谁可以", "Who qualifies"), tr(l, "找谁办", "Where to ask")] {
        h.el("th", &[("scope", "col")], head);
    }
    h.close("tr").close("thead").open("tbody", &[]);
    for (kind, name) in [
        (
            MeasureKind::Development,
            tr(l, "开发式帮扶：能劳动的，靠发展产业、就业增收", "Development: for those who can work, to earn more"),
        ),
        (MeasureKind::SafetyNet, tr(l, "兜底保障：没有劳动能力的，由低保、特困供养等兜底", "Safety net: for those who cannot work")),
    ] {
        if !p.measures.iter().any(|m| m.kind == kind) {
            continue;
        }
        h.open("tr", &[("class", "fp-paper-group")]).el("th", &[("colspan", "3"), ("scope", "colgroup")], name).close("tr");
        for m in p.measures.iter().filter(|m| m.kind == kind) {
            h.open("tr", &[("data-measure", &m.id)]);
            h.open("td", &[]).el("strong", &[], m.title.get(c)).text(tr(l, "：", ": ")).text(m.summary.get(c));
            if m.provenance.provisional {
                h.el("span", &[("class", "fp-provisional"), ("data-provisional", "true")], tr(l, "（暂定）", " (provisional)"));
            }
            h.close("td");
            h.el("td", &[], &who_qualifies(m, p, l));
            h.open("td", &[]).text(m.office.get(c));
            if let Some(phone) = &m.phone {
                h.text(" ").el("strong", &[], phone);
            }
            h.close("td").close("tr");
        }
    }
    h.close("tbody").close("table");
    // The numbers beside the code: one band at the foot of the page.
    h.open("div", &[("class", "fp-paper-foot")]);
    h.open("div", &[]).el("p", &[], tr(l, "咨询电话：", "Phone:"));
    contacts(&mut h, p, l);
    h.close("div");
    qr_block(&mut h, l, code);
    h.close("div");
    sources_note(&mut h, p, l);
    h.close("section");
    h.0
}

/// The poster for the notice board (A3): the range, who, the hotline and a large 一码通.
pub fn poster(p: &Profile, l: Lang, code: Option<&Code>) -> String {
    let c = l.code();
    let mut h = Html::new();
    h.open("section", &[("class", Paper::A3.class()), ("data-testid", "paper-poster"), ("lang", c)]);
    h.el("p", &[("class", "fp-paper-region")], &region(p, l));
    h.el("h1", &[], tr(l, "防止返贫，有困难请申报", "Falling back into poverty? Ask for help"));
    range_line(&mut h, p, l);
    h.open("ul", &[("class", "fp-list fp-poster-points")]);
    h.el(
        "li",
        &[],
        tr(
            l,
            "收入低于监测范围，或者看病、上学、受灾、意外开支太大，生活有困难的家庭，都可以申请。",
            "Households below the range, or with heavy spending on illness, school, disaster or an accident, can apply.",
        ),
    );
    h.el(
        "li",
        &[],
        tr(
            l,
            "可以自己申报，也可以找村委会、网格员帮忙；不收任何费用。",
            "Apply yourself, or ask the village committee or a grid worker; it costs nothing.",
        ),
    );
    h.el("li", &[], tr(l, "扫下面的二维码，在手机上先自测，再一键申报。", "Scan the code below to check first, then apply in one tap."));
    h.close("ul");
    qr_block(&mut h, l, code);
    h.el("p", &[], tr(l, "咨询电话：", "Phone:"));
    contacts(&mut h, p, l);
    sources_note(&mut h, p, l);
    h.close("section");
    h.0
}

/// The text for an SMS or a WeChat push (短信微信推送): short and plain, with the link.
pub fn push_text(p: &Profile, l: Lang, url: Option<&str>) -> String {
    let r = &p.monitoring_range;
    let amount = r.amount.display_yuan();
    let provisional = if r.provenance.provisional { tr(l, "（暂定）", " (provisional)") } else { "" };
    let phones: Vec<&str> = p.hotlines.iter().map(|h| h.number.as_str()).collect();
    let mut s = match l {
        Lang::Zh => format!(
            "【{}防止返贫监测】{}年监测范围：家庭年人均纯收入{amount}元{provisional}。收入低于这个数，或看病、上学、受灾、意外开支太大、生活困难的家庭，可以申请纳入监测、得到帮扶，不收费用。",
            region(p, l),
            p.year
        ),
        Lang::En => format!(
            "[{} poverty-return monitoring] {} range: per-capita net income {amount} yuan a year{provisional}. Households below it, or with heavy spending on illness, school, disaster or accidents, can apply for monitoring and help, free of charge.",
            region(p, l),
            p.year
        ),
    };
    if let Some(u) = url {
        s.push_str(&match l {
            Lang::Zh => format!("手机自测和申请：{u} "),
            Lang::En => format!(" Check and apply on your phone: {u} "),
        });
    }
    s.push_str(&match l {
        Lang::Zh => format!("咨询：{}", phones.join("、")),
        Lang::En => format!("Phone: {}", phones.join(", ")),
    });
    s
}
