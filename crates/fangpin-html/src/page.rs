//! The page's frame (header, notices, footer) and the start screen, as HTML text.
//!
//! The start page (`fangpin-start`) and the app (`fangpin-ui`) both draw these, and the build
//! prerenders them into `index.html`; one source, so the three can never differ. Controls carry
//! `data-action`; the owner of the HTML handles the events on a container.

use crate::action::Action;
use crate::html::Html;
use crate::lang::{Lang, tr};
use fangpin_core::assessment::{Category, clause_ref};
use fangpin_core::policy::{HotlineScope, PolicyPeriod, Profile, ProfileSummary};
use fangpin_core::text::Text;

/// The page title (and the `<h1>`).
pub fn title(l: Lang) -> &'static str {
    tr(l, "防止返贫监测 · 自测与申请", "Poverty-return monitoring: self-check and application")
}

/// The app's frame around header, notices, screen and footer. `ready` marks it usable
/// (`data-app-ready`): never in the prerendered page, whose buttons do nothing until the start
/// module runs.
pub fn app_frame(l: Lang, care: bool, ready: bool, body: &str) -> String {
    format!(
        "<div class=\"fp-app{}\" lang=\"{}\"{}>{body}</div>",
        if care { " fp-care" } else { "" },
        l.code(),
        if ready { " data-app-ready=\"\"" } else { "" }
    )
}

/// The top bar: the title, the language switch and the care-mode (适老化) switch.
pub fn header(l: Lang, care: bool) -> String {
    let mut h = Html::new();
    h.open("div", &[("class", "fp-top")]);
    h.el("h1", &[], tr(l, "防止返贫监测 · 自测与申请", "Poverty-return monitoring: self-check"));
    h.open("div", &[("class", "fp-toolbar fp-noprint")]);
    h.el(
        "button",
        &[
            ("type", "button"),
            ("class", "fp-button fp-small"),
            ("data-testid", "lang-toggle"),
            Action::Lang.attr(),
            ("lang", l.other().code()),
        ],
        tr(l, "English", "中文"),
    );
    h.el(
        "button",
        &[
            ("type", "button"),
            ("class", "fp-button fp-small"),
            ("data-testid", "care-toggle"),
            Action::Care.attr(),
            ("aria-pressed", if care { "true" } else { "false" }),
        ],
        tr(l, "大字模式", "Large text"),
    );
    h.close("div").close("div");
    h.0
}

/// A message shown at the top of the page until dismissed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    /// The stored draft could not be read; it was kept aside.
    SetAsideUnreadable,
    /// The stored draft was written by a newer version; it was kept aside.
    SetAsideNewer,
    /// The app did not finish starting last time with the stored draft; it was kept aside.
    SetAsideFailedStart,
    /// "清除本机数据" was done.
    Cleared,
    /// … all but the applications still waiting to be delivered.
    ClearedButWaitingReports,
    /// … all but the sent applications (which could not be read to tell the waiting ones).
    ClearedButSentReports,
    /// The stored draft could not be read, and storage was too full to keep a copy: it stays, and
    /// nothing is saved over it.
    UnreadableNotSaving,
    /// Another window of the page on this phone saved the entries: this one now shows them.
    ChangedInOtherWindow,
    /// Another window of the page on this phone cleared the entries: this one starts afresh.
    ClearedInOtherWindow,
    /// Another window saved entries this one cannot take (a newer version, or this one has entries
    /// not saved): this one saves nothing.
    OtherWindowNotSaving,
}

pub fn notice(l: Lang, n: Notice) -> String {
    let (zh, en) = match n {
        Notice::SetAsideUnreadable => (
            "上次保存在这台手机上的内容读不出来了（可能已损坏）。它已另外保存在这台手机上，没有删除，直到您点“清除本机数据”；现在从头开始。",
            "What was saved on this phone last time could not be read (it may be damaged). It has been kept aside on this phone, not deleted, until you tap Clear data on this phone; you start afresh.",
        ),
        Notice::SetAsideNewer => (
            "这台手机上保存的内容来自更新版本的自测工具，这个版本读不了。它已另外保存起来，没有删除；现在从头开始。",
            "The saved entries come from a newer version of this tool and cannot be read here. They have been kept aside, not deleted; you start afresh.",
        ),
        Notice::SetAsideFailedStart => (
            "上次打开时，自测工具没能正常启动，可能和这台手机上保存的内容有关。那些内容已另外保存在这台手机上，没有删除，直到您点“清除本机数据”；现在从头开始。",
            "Last time the self-check did not start properly, perhaps because of what was saved on this phone. That has been kept aside on this phone, not deleted, until you tap Clear data on this phone; you start afresh.",
        ),
        Notice::UnreadableNotSaving => (
            "上次保存在这台手机上的内容读不出来了，手机的存储也满了，没法另存一份。为了不覆盖它，这次填写的内容不会保存在手机上：请一次填完，用打电话、二维码或打印来申报；或者先清理手机的存储，再打开这个页面。",
            "What was saved on this phone last time could not be read, and the phone's storage is full, so no copy could be kept. So as not to write over it, what you enter now is not saved on this phone: please finish in one go and apply by phone, QR code or printout; or free some storage and open the page again.",
        ),
        Notice::ChangedInOtherWindow => (
            "您在这台手机的另一个窗口里改过填写的内容，这里已经换成那边最新的。",
            "You changed the entries in another window on this phone; this window now shows the latest from there.",
        ),
        Notice::ClearedInOtherWindow => (
            "在这台手机的另一个窗口里，保存的自测内容已经清除了，这里也从头开始。",
            "The self-check entries saved on this phone were cleared in another window; this window starts afresh too.",
        ),
        Notice::OtherWindowNotSaving => (
            "这台手机的另一个窗口保存了和这个窗口不一样的内容（可能是更新的版本，或者这里有还没保存的填写）。为了不互相覆盖，这个窗口填写的内容不再保存：请在这个窗口填完后直接申报，或者关掉它，到另一个窗口继续。",
            "Another window on this phone saved entries that differ from this window's (perhaps a newer version, or entries here not yet saved). So that neither writes over the other, what you enter here is no longer saved: please finish and apply from this window, or close it and go on in the other.",
        ),
        Notice::Cleared => CLEARED,
        Notice::ClearedButWaitingReports => (
            "这台手机上保存的自测内容已经清除，只留下还没送到的申请（里面有您的姓名、身份证号等），好让它能送出去。送到以后，您可以再点一次“清除本机数据”把它也清除。",
            "The self-check entries saved on this phone have been cleared, except the applications not yet delivered (they hold your name, ID numbers and more), so that they can still go. Once delivered, tap Clear data on this phone again to remove them too.",
        ),
        Notice::ClearedButSentReports => (
            "这台手机上保存的自测内容已经清除，但发出过的申请（里面有您的姓名、身份证号等）还留着：这一次没能分出哪些还没送到（可能网络断了，或者存储满了）。请过一会儿再点一次“清除本机数据”。",
            "The self-check entries saved on this phone have been cleared, but the applications you sent (they hold your name, ID numbers and more) are still here: this time the ones not yet delivered could not be told apart (the network may be down, or storage full). Please tap Clear data on this phone again later.",
        ),
    };
    notice_box(l, zh, en, matches!(n, Notice::UnreadableNotSaving | Notice::OtherWindowNotSaving))
}

/// The notice that "清除本机数据" was done: all the start page shows (its module then carries none
/// of the others' words).
pub fn cleared_notice(l: Lang) -> String {
    notice_box(l, CLEARED.0, CLEARED.1, false)
}

const CLEARED: (&str, &str) = ("这台手机上保存的自测内容已经清除。", "The self-check entries saved on this phone have been cleared.");

/// `unsaved`: the entries are not being saved, which the update bar must not deny (`data-unsaved`).
fn notice_box(l: Lang, zh: &'static str, en: &'static str, unsaved: bool) -> String {
    let mut h = Html::new();
    let unsaved = if unsaved { [("data-unsaved", "")].as_slice() } else { &[] };
    let attrs: Vec<(&str, &str)> =
        [("class", "fp-notice"), ("role", "alert"), ("data-testid", "notice")].into_iter().chain(unsaved.iter().copied()).collect();
    h.open("div", &attrs);
    h.el("p", &[], tr(l, zh, en));
    h.el("button", &[("type", "button"), ("class", "fp-button fp-small"), Action::NoticeClose.attr()], tr(l, "知道了", "OK"));
    h.close("div");
    h.0
}

/// Under every screen: where the data lives, the WeChat warning, "清除本机数据" (asked twice) and
/// the way into worker mode.
pub fn footer(l: Lang, confirming: bool) -> String {
    footer_for(l, confirming, true)
}

/// [`footer`], without the way into worker mode where there is none (a widget on a host's page).
pub fn footer_for(l: Lang, confirming: bool, worker_entry: bool) -> String {
    let mut h = Html::new();
    h.open("div", &[("class", "fp-footer fp-noprint")]);
    h.el("p", &[("class", "fp-muted"), ("data-testid", "storage-note")], tr(l,
        "您填的内容保存在这台手机的浏览器里。在您选择发送申请之前，什么都不会离开这台手机。注意：在微信里打开的，退出微信登录或清理微信缓存，可能会把填的内容清掉。",
        "Your answers are kept in this phone's browser. Nothing leaves this phone until you choose to send an application. Note: in WeChat, logging out or clearing WeChat's cache can erase them."));
    // What "send" means, literally: what an application holds and where each channel takes it.
    h.open("details", &[("class", "fp-why"), ("data-testid", "what-is-sent")]);
    h.el("summary", &[], tr(l, "发送申请时，会发些什么、发给谁？", "When you send an application: what goes, and to whom?"));
    h.el("p", &[], tr(l,
        "申请里有：户主姓名、身份证号、手机号、住址；每位家人的姓名、年龄、身份证号、劳动能力、健康、上学、低保等情况；收入、开支、住房和饮水的填写内容和自测结果；困难情况说明；谁填写的。",
        "An application holds: the head's name, ID number, mobile number and address; each member's name, age, ID number, ability to work, health, schooling and benefits; your answers on income, spending, housing and water, and the self-check result; the difficulty description; who filled it in."));
    h.el("p", &[], tr(l,
        "它只去您选的那一个渠道：一键报送发给页面上写明的报送系统，发送前会把要发送的全部内容给您看，您同意了才发；二维码只给扫码的那个人；复制的文字，您粘贴给谁就到谁那里（用微信发，会经过微信的服务器）；打电话是您自己念给接线员；打印的只在纸上。",
        "It goes only to the one channel you choose: the one-click report goes to the reporting system named on the page, and you are shown everything it sends and asked first; a QR code only to the person who scans it; copied text to whoever you paste it to (sent by WeChat, it passes through WeChat's servers); a phone call is you reading it out; a printout stays on paper."));
    h.close("details");
    if confirming {
        h.open("div", &[("class", "fp-confirm"), ("role", "group"), ("aria-labelledby", "fp-clear-q")]);
        h.open("p", &[("id", "fp-clear-q")])
            .el(
                "strong",
                &[],
                tr(
                    l,
                    "确定要清除这台手机上保存的全部自测内容吗？清除后不能恢复。",
                    "Clear everything this self-check saved on this phone? This cannot be undone.",
                ),
            )
            .close("p");
        h.open("div", &[("class", "fp-nav")]);
        h.el("button", &[("type", "button"), ("class", "fp-button"), Action::ClearKeep.attr()], tr(l, "不清除", "Keep"));
        h.el(
            "button",
            &[("type", "button"), ("class", "fp-button fp-primary"), ("data-testid", "clear-confirm"), Action::ClearConfirm.attr()],
            tr(l, "确定清除", "Clear"),
        );
        h.close("div").close("div");
    } else {
        h.el(
            "button",
            &[("type", "button"), ("class", "fp-button fp-small"), ("data-testid", "clear"), Action::ClearAsk.attr()],
            tr(l, "清除本机数据", "Clear data on this phone"),
        );
    }
    // Worker mode's way in: at the bottom, worded for cadres, so a villager does not stumble into it.
    // …and the printable 明白纸 (sheets/, written at publish): for the village and the township.
    if worker_entry {
        h.open("p", &[("class", "fp-muted fp-worker-entry")])
            .el(
                "a",
                &[("href", SHEETS_LINK), ("data-testid", "sheets-link")],
                tr(l, "打印、张贴、转发明白纸", "Print, post or share the policy sheets"),
            )
            .close("p");
        h.open("p", &[("class", "fp-muted fp-worker-entry")])
            .el(
                "a",
                &[("href", WORKER_LINK), ("data-testid", "worker-entry")],
                tr(l, "我是村干部/网格员，帮多户填写", "I am a village cadre or grid worker, filling in for many households"),
            )
            .close("p");
    }
    h.close("div");
    h.0
}

/// The printable 明白纸, relative to the page (`fangpin_site::sheets`).
pub const SHEETS_LINK: &str = "sheets/";

/// The address of worker mode, relative to the page.
pub const WORKER_LINK: &str = "?mode=worker";

/// The value of `name` in the page's query (`location.search`), as typed (ASCII names only).
pub fn query_value<'a>(search: &'a str, name: &str) -> Option<&'a str> {
    search.trim_start_matches('?').split('&').find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
}

/// Whether the page's query (`location.search`, with or without its `?`) asks for worker mode.
pub fn asks_for_worker_mode(search: &str) -> bool {
    search.trim_start_matches('?').split('&').any(|kv| kv == "mode=worker")
}

/// 开始自测, under the picker and again under the sheet.
const START_BUTTON: &[(&str, &str)] = &[("type", "button"), ("class", "fp-button fp-primary fp-wide"), Action::Start.attr()];

/// Start: the profile's 申报政策明白纸 in plain words, the county picker (`profiles`: one per county,
/// each option's value its county code) and "开始自测".
/// `started`: the person has already entered something ("继续自测").
/// `as_of`: the day the screen is for (the phone's date in the app; the build's date when
/// prerendered — the start page then shows or hides the period notice by the phone's own date).
pub fn start_screen(p: &Profile, profiles: &[ProfileSummary], l: Lang, started: bool, as_of: fangpin_core::Date) -> String {
    let start_label =
        if started { tr(l, "继续自测", "Continue the self-check") } else { tr(l, "开始自测", "Start the self-check") };
    let mut h = Html::new();
    h.open("section", &[("class", "fp-screen"), ("data-screen", "start")]);
    h.el(
        "h2",
        &[("id", "fp-screen-title"), ("tabindex", "-1")],
        tr(l, "先看看：谁可以申请监测帮扶", "First: who can ask for monitoring and help"),
    );
    let period = p.period(as_of);
    h.0.push_str(&period_notice(l, &period, period.in_force, true));
    h.el("p", &[], tr(l,
        "这个自测工具帮您算一算：您家是不是可能符合防止返贫监测的条件，能得到哪些帮扶。您填的内容在这台手机上计算和保存；在您选择发送申请之前，什么都不会离开这台手机。",
        "This self-check helps you see whether your household may qualify for poverty-return monitoring and what help you could get. What you enter is computed and kept on this phone; nothing leaves it until you choose to send an application."));
    // The county picker; the choice is remembered, and the date picks the year.
    h.open("div", &[("class", "fp-field")]);
    h.el("label", &[("for", "fp-profile")], tr(l, "您家在哪个县（市）？", "Which county (city) do you live in?"));
    h.el(
        "p",
        &[("class", "fp-hint"), ("id", "fp-profile-hint")],
        tr(
            l,
            "不同地方的标准不一样，每年也会调整。按哪一年的政策，由今天的日期定。选好后会记住。",
            "Standards differ from place to place and change every year; today's date decides which year's apply. Your choice is remembered.",
        ),
    );
    h.open(
        "select",
        &[("id", "fp-profile"), ("aria-describedby", "fp-profile-hint"), ("data-testid", "profile-picker"), Action::Profile.attr()],
    );
    // Each option names the place only: the year is the date's, shown with the figures below.
    for s in profiles {
        let place = match l {
            Lang::Zh => format!("{}{}{}", s.province.zh, s.city.zh, s.county.zh),
            Lang::En => format!("{}, {}, {}", s.county.en, s.city.en, s.province.en),
        };
        if s.county_code == p.region.county.code {
            h.el("option", &[("value", &s.county_code), ("selected", "")], &place);
        } else {
            h.el("option", &[("value", &s.county_code)], &place);
        }
    }
    h.close("select").close("div");
    // The main action right under the picker, so that it is on the first screen of a phone; the
    // range card and the policy sheet follow for whoever wants to read first.
    h.el("button", &[START_BUTTON, &[("data-testid", "start")]].concat(), start_label);
    h.0.push_str(&profile_card_html(p, l));
    h.0.push_str(&sheet_html(p, l));
    h.el("button", START_BUTTON, start_label);
    h.close("section");
    h.0
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
    h.el(
        "p",
        &[("class", "fp-figure"), ("data-testid", "monitoring-range")],
        &format!("{} {}", range.amount.display_yuan(), tr(l, "元/人·年", "yuan per person per year")),
    );
    h.el("p", &[("class", "fp-muted")], range.basis.get(code));
    range_note(&mut h, l, range.provenance.provisional, range.screen_note.as_ref(), range.provenance.reason.as_ref());
    h.why(
        l,
        &clause_ref(p, "monitoring_range", &range.provenance),
        None,
        &[],
        Some(("这个数字从哪里来？", "Where does this figure come from?")),
    );
    h.close("section");
    h.0
}

/// Next to the monitoring range wherever it is shown (start screen, result, application): a
/// provisional figure says so, with the county's own figure prevailing and why it is provisional.
pub fn range_note(h: &mut Html, l: Lang, provisional: bool, screen_note: Option<&Text>, reason: Option<&Text>) {
    if !provisional && screen_note.is_none() {
        return;
    }
    let code = l.code();
    h.open(
        "p",
        &[("class", "fp-provisional"), ("data-testid", "range-note"), ("data-provisional", if provisional { "true" } else { "false" })],
    );
    if provisional {
        h.el("strong", &[], tr(l, "暂定数字。", "Provisional figure. "));
    }
    if let Some(n) = screen_note {
        h.text(n.get(code));
    }
    if provisional {
        h.text(tr(l, "请向村里确认。", " Please check with your village."));
        if let Some(r) = reason {
            h.text(" ").el("span", &[("class", "fp-muted"), ("data-testid", "range-reason")], r.get(code));
        }
    }
    h.close("p");
}

/// When the profile is not in force on the day: which year's figures these are, that today's may
/// differ, and whom to call (a tap-to-call link). `hidden` for the prerendered start screen, where
/// the start page shows it by the phone's own date (`data-effective-from`/`-to`).
/// `compact`: one short line (the start screen, where 开始自测 must stay on the first screen).
pub fn period_notice(l: Lang, period: &PolicyPeriod, hidden: bool, compact: bool) -> String {
    let mut h = Html::new();
    let note = period.note.clone().unwrap_or_else(|| {
        // For the prerendered start screen of a profile in force at build time: the words it would say.
        Text::new(
            format!(
                "这里用的是{}年的政策数字（{} 到 {}），现在的标准可能不一样，请以当地公布的为准。",
                period.year, period.effective_from, period.effective_to
            ),
            format!(
                "These are the {} figures ({} to {}); today's may differ, and the county's published figures prevail.",
                period.year, period.effective_from, period.effective_to
            ),
        )
    });
    let (from, to) = (period.effective_from.to_string(), period.effective_to.to_string());
    let mut attrs = vec![
        ("class", "fp-notice fp-period"),
        ("role", "note"),
        ("data-testid", "policy-period"),
        ("data-effective-from", from.as_str()),
        ("data-effective-to", to.as_str()),
    ];
    if hidden {
        attrs.push(("hidden", ""));
    }
    if compact {
        attrs[0] = ("class", "fp-notice fp-period fp-period-compact");
        h.open("p", &attrs);
        h.el("strong", &[], tr(l, "注意：", "Note: "));
        h.text(&match l {
            Lang::Zh => format!("这里是{}年的政策数字，今年的可能不一样。", period.year),
            Lang::En => format!("these are the {} figures; this year's may differ. ", period.year),
        });
        if let Some(n) = &period.hotline {
            h.text(tr(l, "请打 ", "Call ")).tel(n).text(tr(l, " 问一问。", " to ask."));
        }
        h.close("p");
        return h.0;
    }
    h.open("div", &attrs);
    h.open("p", &[]).el("strong", &[], tr(l, "注意：政策数字可能不是今年的。", "Note: these figures may not be this year's.")).close("p");
    h.el("p", &[], note.get(l.code()));
    if let Some(n) = &period.hotline {
        h.open("p", &[]).text(tr(l, "不清楚的，请打电话问：", "If unsure, call: ")).tel(n).close("p");
    }
    h.close("div");
    h.0
}

/// 申报政策明白纸: who can apply (the three categories in one line each), how, what happens next.
pub fn sheet_html(p: &Profile, l: Lang) -> String {
    let code = l.code();
    let sheet = &p.application_sheet;
    let mut h = Html::new();
    h.open("section", &[("class", "fp-sheet"), ("data-testid", "application-sheet")]);
    h.el("h3", &[("class", "fp-sheet-title")], sheet.title.get(code));

    h.open("div", &[("class", "fp-card")]).el("h3", &[], tr(l, "谁可以申请", "Who can apply"));
    h.el("p", &[], sheet.who_can_apply.get(code));
    h.el("p", &[], tr(l, "纳入监测的家庭分三类：", "Monitored households are of three kinds:"));
    h.open("ul", &[("class", "fp-list")]);
    for c in [Category::UnstableFormerlyPoor, Category::MarginalAtRisk, Category::SuddenHardship] {
        h.open("li", &[("data-category", c.code())]).el("strong", &[], c.label().get(code));
        if let Some(t) = p.clauses.get(c.clause_key()).clause.as_ref() {
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
    h.why(l, &clause_ref(p, "application_sheet", &sheet.provenance), None, &[], Some(("这张明白纸的依据", "What this sheet rests on")));
    h.close("section");
    h.0
}

const GLOSSARY: [(&str, &str); 6] = [
    (
        "人均纯收入：全家一年的收入减去种地、做生意的成本，再除以家里人数。",
        "Per-capita net income: the household's yearly income minus farming and business costs, divided by the number of members.",
    ),
    (
        "刚性支出：躲不开、必须花的钱，比如看病、上学，受灾或出意外的损失。",
        "Unavoidable spending (刚性支出): money that must be spent, such as medical bills, school costs, losses from disaster or accident.",
    ),
    (
        "三保障：义务教育、基本医疗、住房安全都有保障；另外还要喝上安全的水。",
        "The three guarantees (三保障): compulsory education, basic medical care and safe housing; plus safe drinking water.",
    ),
    ("低保：最低生活保障，给收入很低的家庭按月发钱。", "Dibao (低保): the minimum living allowance, paid monthly to very poor households."),
    (
        "特困供养：给没有劳动能力、没有收入、没有人赡养的人的救助。",
        "Tekun (特困供养): support for people unable to work, without income and without family support.",
    ),
    (
        "脱贫户：2020 年底以前建档立卡、已经脱贫的家庭。",
        "Formerly poor household (脱贫户): registered as poor by the end of 2020 and lifted out.",
    ),
];

/// Clause texts start with the category name ("脱贫不稳定户：…"); the list already shows it.
fn strip_label(s: &str) -> String {
    match s.split_once('：').or_else(|| s.split_once(": ")) {
        Some((head, rest)) if head.chars().count() <= 30 => rest.trim().to_string(),
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use fangpin_core::policy::{embedded_profiles, installed};

    fn offered() -> Vec<fangpin_core::policy::ProfileSummary> {
        installed().offered_summaries(fangpin_core::Date::new(2023, 6, 1).expect("date"))
    }

    #[test]
    fn start_screen_shows_the_chosen_county_selected_with_its_range_and_the_three_categories() {
        let all = offered();
        assert_eq!(all.len(), 3, "one option per county");
        for p in embedded_profiles() {
            for l in [Lang::Zh, Lang::En] {
                let s = start_screen(p, &all, l, false, fangpin_core::Date::new(2023, 6, 1).expect("date"));
                assert!(s.contains(&format!("<option value=\"{}\" selected=\"\">", p.region.county.code)), "{} selected", p.id);
                assert_eq!(s.matches(" selected=\"\"").count(), 1);
                assert!(s.contains(&p.monitoring_range.amount.display_yuan()));
                for c in ["unstable_formerly_poor", "marginal_at_risk", "sudden_hardship"] {
                    assert!(s.contains(&format!("data-category=\"{c}\"")), "{c}");
                }
                assert_eq!(s.matches("data-action=\"start\"").count(), 2);
            }
        }
    }

    #[test]
    fn english_start_screen_has_no_chinese_outside_names_and_sources() {
        let p = fangpin_core::policy::default_profile().expect("the default profile is embedded");
        let s = start_screen(p, &offered(), Lang::En, true, fangpin_core::Date::new(2023, 6, 1).expect("date"));
        assert!(s.contains("Continue the self-check"));
        assert!(!s.contains("开始自测") && !s.contains("继续自测"));
    }

    #[test]
    fn header_and_footer_state() {
        assert!(header(Lang::Zh, true).contains("aria-pressed=\"true\""));
        assert!(header(Lang::En, false).contains("aria-pressed=\"false\""));
        assert!(header(Lang::Zh, false).contains("lang=\"en\">English<"));
        assert!(footer(Lang::Zh, false).contains("data-testid=\"clear\""));
        assert!(footer(Lang::Zh, false).contains("href=\"?mode=worker\""));
        assert!(!footer_for(Lang::Zh, false, false).contains("mode=worker"));
        assert!(footer(Lang::Zh, false).contains("href=\"sheets/\"") && !footer_for(Lang::Zh, false, false).contains("sheets/"));
        assert_eq!(query_value("?mode=worker&county=350481", "county"), Some("350481"));
        assert_eq!(query_value("?countyx=1", "county"), None);
        assert!(asks_for_worker_mode("?mode=worker") && asks_for_worker_mode("?lang=en&mode=worker"));
        assert!(!asks_for_worker_mode("?mode=workers") && !asks_for_worker_mode("?x=mode=worker") && !asks_for_worker_mode(""));
        let f = footer(Lang::Zh, true);
        assert!(f.contains("data-testid=\"clear-confirm\"") && !f.contains("data-testid=\"clear\""));
        assert!(notice(Lang::En, Notice::Cleared).contains("cleared"));
    }
}
