//! The worker's households: what the village summary says, search, filter and sort as the worker
//! types, add, open, duplicate, delete (asked twice), send every ready application, a pasted
//! handoff link, and the CSV.

use leptos::prelude::*;

use super::{Notice, Worker, export, new_id, now_ms, profile_of};
use crate::channels;
use crate::ctx::Ctx;
use crate::html::Html;
use crate::i18n::{Lang, tr};
use crate::outbox;
use crate::store::Screen;
use fangpin_core::application::{Application, Report};
use fangpin_core::policy::ChannelKind;
use fangpin_visits::list::{self, Sort};
use fangpin_visits::summary::summarise;
use fangpin_visits::{Record, Status, VisitOutcome};

/// How many households the list draws at a time (more on asking).
const PAGE: usize = 50;

/// A row as the list shows it.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    id: String,
    changed_ms: i64,
    name: String,
    village: String,
    members: usize,
    outcome: VisitOutcome,
    status: Status,
    receipt: Option<String>,
    /// The receiver refused its last report: its message.
    refused: Option<String>,
}

/// The phone's local time of `ms`, as `2026-12-01 17:30`.
pub fn time_text(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!("{:04}-{:02}-{:02} {:02}:{:02}", d.get_full_year(), d.get_month() + 1, d.get_date(), d.get_hours(), d.get_minutes())
}

/// The application of a finished record, as the application screen builds it.
fn application_of(ctx: &Ctx, r: &Record) -> Result<Application, String> {
    let code = ctx.lang.get_untracked().code();
    if let Some(digits) = &r.draft.apply.handoff {
        return fangpin_form::apply::from_handoff(digits).map(|(a, _, _)| a).map_err(|t| t.get(code).to_string());
    }
    let p = profile_of(ctx, r);
    let converted = fangpin_form::form::to_household(&r.draft.form, p, ctx.as_of);
    fangpin_form::apply::build(&converted.household, &r.draft.apply, p, ctx.as_of)
        .map_err(|errs| errs.first().map(|e| e.message.get(code).to_string()).unwrap_or_default())
}

/// Queues the one-click report of record `id` in the outbox (exactly once: a record already queued
/// keeps its entry). Why not, when it cannot.
fn send(ctx: &Ctx, w: Worker, id: &str) -> Result<(), String> {
    let l = ctx.lang.get_untracked();
    let Some(r) = w.records.with_untracked(|rs| rs.iter().find(|r| r.id == id).cloned()) else { return Err(String::new()) };
    if r.report_key.is_some() || matches!(r.status, Status::Queued | Status::Delivered) {
        return Ok(());
    }
    let Some(o) = outbox::started() else {
        return Err(tr(l, "页面还没准备好，请稍等再试。", "The page is not ready yet; try again in a moment.").into());
    };
    let app = application_of(ctx, &r)?;
    let p = profile_of(ctx, &r);
    let endpoint = p
        .offered_channels()
        .filter(|c| c.kind == ChannelKind::OneClick)
        .find_map(|c| channels::endpoint(r.draft.apply.endpoint.as_deref(), c.endpoint.as_deref()))
        .ok_or_else(|| {
            tr(
                l,
                "这个县没有一键报送，请打印申请表或拨打热线。",
                "This county has no one-click report; print the form or call the hotline.",
            )
            .to_string()
        })?;
    let key = outbox::new_key().ok_or_else(|| tr(l, "这个浏览器不能生成编号。", "This browser cannot make a key.").to_string())?;
    let body = Report::from_application(&app, key.clone(), outbox::now_rfc3339()).to_json();
    outbox::for_record(Some(r.id.clone()));
    let ok = o.submit(key, app.reference.clone(), endpoint, body);
    outbox::for_record(None);
    if ok { Ok(()) } else { Err(tr(l, "没能保存这次报送。", "The report could not be stored.").into()) }
}

pub fn list_view(ctx: Ctx, w: Worker) -> AnyView {
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let (filter, sort) = (w.filter, w.sort);
    let deleting = RwSignal::new(None::<String>);
    let confirming_send = RwSignal::new(false);
    let send_problems = RwSignal::new(Vec::<(String, String)>::new());
    let paste = RwSignal::new(String::new());
    // A page of the list at a time: hundreds of households are searched, and drawn as asked for.
    let limit = RwSignal::new(PAGE);
    let rows = Memo::new(move |_| {
        let f = filter.get();
        let s = sort.get();
        w.records.with(|rs| {
            list::view(rs, |r| w.outcome(&ctx, r), &f, s)
                .into_iter()
                .map(|(r, o)| Row {
                    id: r.id.clone(),
                    changed_ms: r.changed_ms,
                    name: r.head_name().to_string(),
                    village: if r.draft.apply.village.trim().is_empty() {
                        r.collected_by.village.clone()
                    } else {
                        r.draft.apply.village.trim().to_string()
                    },
                    members: r.draft.form.members.len(),
                    outcome: o,
                    status: r.status,
                    receipt: r.receipt.clone(),
                    refused: r
                        .report_entry
                        .as_deref()
                        .and_then(|e| serde_json::from_str::<crate::outbox::Entry>(e).ok())
                        .and_then(|e| e.refused.map(|(status, msg)| format!("HTTP {status} {msg}")))
                        .filter(|_| r.status == Status::ApplicationReady),
                })
                .collect::<Vec<_>>()
        })
    });
    let shown = Memo::new(move |_| rows.with(|r| r.iter().take(limit.get()).cloned().collect::<Vec<_>>()));
    let summary = Memo::new(move |_| w.records.with(|rs| summarise(rs, |r| w.outcome(&ctx, r))));
    let ready_ids = Memo::new(move |_| {
        w.records.with(|rs| {
            rs.iter().filter(|r| r.status == Status::ApplicationReady && r.report_key.is_none()).map(|r| r.id.clone()).collect::<Vec<_>>()
        })
    });

    let add = move |_| {
        let Some(c) = w.collector.get_untracked() else { return };
        let mut r = Record::new(new_id(), c, now_ms());
        r.draft.screen = Screen::Members;
        let id = r.id.clone();
        w.add(r);
        w.open_record(&ctx, &id);
    };
    let send_all = move |_| {
        let mut problems = Vec::new();
        for id in ready_ids.get_untracked() {
            if let Err(why) = send(&ctx, w, &id) {
                let name =
                    w.records.with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.head_name().to_string())).unwrap_or_default();
                problems.push((name, why));
            }
        }
        send_problems.set(problems);
        confirming_send.set(false);
    };
    let receive = move |_| {
        let text = paste.get_untracked();
        let digits = text.split_once("#a=").map(|(_, d)| d.chars().take_while(char::is_ascii_digit).collect::<String>());
        match digits.filter(|d| !d.is_empty()) {
            Some(d) => {
                crate::worker_load::set_pending_handoff(Some(d));
                w.receive_pending_handoff();
                paste.set(String::new());
            }
            None => w.notice.set(Some(Notice::BadHandoff)),
        }
    };

    let on_row = move |ev: web_sys::MouseEvent| {
        use wasm_bindgen::JsCast;
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        let Some(button) = el.closest("[data-row-act]").ok().flatten() else { return };
        let (Some(act), Some(id)) =
            (button.get_attribute("data-row-act").as_deref().and_then(RowAction::parse), button.get_attribute("data-id"))
        else {
            return;
        };
        match act {
            RowAction::Open => w.open_record(&ctx, &id),
            RowAction::Send => {
                if let Err(why) = send(&ctx, w, &id) {
                    let name = w
                        .records
                        .with_untracked(|rs| rs.iter().find(|r| r.id == id).map(|r| r.head_name().to_string()))
                        .unwrap_or_default();
                    send_problems.set(vec![(name, why)]);
                }
            }
            RowAction::Duplicate => {
                let Some(from) = w.records.with_untracked(|rs| rs.iter().find(|r| r.id == id).cloned()) else { return };
                let mut r = list::duplicate(&from, new_id(), now_ms());
                r.draft.screen = Screen::Members;
                let nid = r.id.clone();
                w.add(r);
                w.open_record(&ctx, &nid);
            }
            RowAction::Delete => {
                deleting.set(Some(id.clone()));
                request_animation_frame(move || ctx.focus_first("[data-testid=worker-delete-keep]"));
            }
            RowAction::DeleteConfirm => {
                w.remove(&id);
                deleting.set(None);
            }
            RowAction::DeleteKeep => deleting.set(None),
        }
    };

    let status_options = filter_options(&Status::ALL, code, filter, |f| f.status, |s| s.label());
    let outcome_options = filter_options(&VisitOutcome::ALL, code, filter, |f| f.outcome, |o| o.label());

    let who = move || {
        w.collector
            .get()
            .map(|c| format!("{}{} · {}{}", tr(l, "采集人：", "Collector: "), c.signature(code), c.township, c.village))
            .unwrap_or_default()
    };
    let notice = move || {
        w.notice.get().and_then(|n| {
            let (zh, en) = match n {
                Notice::Received => ("已收到村民的交接，加在名单里了。", "The villager's handoff was added to the list."),
                Notice::ReceivedAgain => (
                    "这份交接已经在名单里了，已更新那一户，没有重复添加。",
                    "This handoff was already on the list; that household was updated, not added again.",
                ),
                Notice::BadHandoff => (
                    "这不是有效的交接链接（应当包含 #a= 和一串数字）。",
                    "This is not a valid handoff link (it should contain #a= and digits).",
                ),
                Notice::IdleLocked | Notice::OpenedElsewhere => return None,
            };
            Some(view! { <p class="fp-notice" role="status" data-testid="worker-notice">{tr(l, zh, en)}</p> })
        })
    };
    let aside = move || {
        let n = w.aside.with(Vec::len);
        (n > 0).then(|| view! {
            <p class="fp-notice" role="alert" data-testid="worker-aside">
                {match l {
                    Lang::Zh => format!("这台手机上有 {n} 条记录打不开（可能已损坏）。它们没有被删除，仍然单独保存着；请联系乡镇的技术人员。"),
                    Lang::En => format!("{n} records on this phone could not be opened (they may be damaged). They were not deleted and are kept apart; please contact the township's technical staff."),
                }}
            </p>
        })
    };
    let summary_view = move || {
        let s = summary.get();
        let mut parts: Vec<String> = s.by_status.iter().map(|(st, n)| format!("{} {n}", st.label().get(code))).collect();
        parts.sort();
        let outcomes: Vec<String> = s.by_outcome.iter().map(|(o, n)| format!("{} {n}", o.label().get(code))).collect();
        view! {
            <section class="fp-card" data-testid="worker-summary" aria-labelledby="fp-w-summary">
                <h3 id="fp-w-summary">{tr(l, "全村排查情况", "The village so far")}</h3>
                <p data-testid="worker-summary-counts">{match l {
                    Lang::Zh => format!("共 {} 户，已排查 {} 户。", s.households, s.screened),
                    Lang::En => format!("{} households, {} screened.", s.households, s.screened),
                }}</p>
                {(!outcomes.is_empty()).then(|| view! { <p>{tr(l, "排查结果：", "Outcomes: ")}{outcomes.join(tr(l, "，", ", "))}</p> })}
                {(!parts.is_empty()).then(|| view! { <p>{tr(l, "状态：", "Status: ")}{parts.join(tr(l, "，", ", "))}</p> })}
            </section>
        }
    };

    view! {
        <section class="fp-screen" data-screen="worker-list">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "走访名单", "Households visited")}</h2>
            <p class="fp-muted" data-testid="worker-collector">{who}</p>
            {notice}
            {aside}
            {summary_view}
            <p><button type="button" class="fp-button fp-primary fp-wide" data-testid="worker-add" on:click=add>{tr(l, "新增一户", "Add a household")}</button></p>
            {move || {
                let n = ready_ids.with(Vec::len);
                (n > 0).then(|| if confirming_send.get() {
                    view! {
                        <div class="fp-card" role="group" aria-labelledby="fp-w-send-q">
                            <p id="fp-w-send-q"><strong>{match l {
                                Lang::Zh => format!("要把 {n} 户的申请一键报送吗？请确认每一户都同意报送。"),
                                Lang::En => format!("Send the applications of {n} households? Please confirm every household agreed."),
                            }}</strong></p>
                            <button type="button" class="fp-button fp-primary" data-testid="worker-send-confirm" on:click=send_all>{tr(l, "都同意了，全部发送", "All agreed: send all")}</button>
                            " "
                            <button type="button" class="fp-button fp-small" on:click=move |_| confirming_send.set(false)>{tr(l, "先不发", "Not now")}</button>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <p><button type="button" class="fp-button" data-testid="worker-send-all" on:click=move |_| confirming_send.set(true)>
                            {match l { Lang::Zh => format!("全部发送（{n} 户）"), Lang::En => format!("Send all ({n})") }}
                        </button></p>
                    }.into_any()
                })
            }}
            {move || {
                // Progress of what was sent: waiting ones go by themselves when the line is back.
                let (waiting, delivered) = w.records.with(|rs| {
                    (rs.iter().filter(|r| r.status == Status::Queued).count(), rs.iter().filter(|r| r.status == Status::Delivered).count())
                });
                (waiting > 0).then(|| view! {
                    <p class="fp-notice" role="status" data-testid="worker-send-progress">{match l {
                        Lang::Zh => format!("已送达 {delivered} 户，还有 {waiting} 户待发送。没有网络时会等着，连上网络后自动发送，不会重复。"),
                        Lang::En => format!("{delivered} delivered, {waiting} waiting. Without a network they wait and go by themselves when it is back, never twice."),
                    }}</p>
                })
            }}
            {move || {
                let p = send_problems.get();
                (!p.is_empty()).then(|| view! {
                    <div class="fp-notice" role="alert" data-testid="worker-send-problems">
                        <p>{tr(l, "这些户没有发出：", "These were not sent:")}</p>
                        <ul class="fp-list">{p.into_iter().map(|(n, why)| view! { <li>{format!("{n}：{why}")}</li> }).collect_view()}</ul>
                    </div>
                })
            }}
            <export::Export />
            <div class="fp-field">
                <label for="fp-w-search">{tr(l, "按姓名查找", "Find by name")}</label>
                <input id="fp-w-search" type="search" autocomplete="off" data-testid="worker-search"
                    prop:value=move || filter.with(|f| f.text.clone())
                    on:input=move |ev| { let t = event_target_value(&ev); limit.set(PAGE); filter.update(|f| f.text = t) } />
            </div>
            <div class="fp-filters">
                <div class="fp-field">
                    <label for="fp-w-status">{tr(l, "状态", "Status")}</label>
                    <select id="fp-w-status" data-testid="worker-filter-status" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        limit.set(PAGE);
                        filter.update(|f| f.status = i.checked_sub(1).and_then(|i| Status::ALL.get(i).copied()));
                    }>
                        <option value="0">{tr(l, "全部", "All")}</option>
                        {status_options}
                    </select>
                </div>
                <div class="fp-field">
                    <label for="fp-w-outcome">{tr(l, "排查结果", "Outcome")}</label>
                    <select id="fp-w-outcome" data-testid="worker-filter-outcome" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        limit.set(PAGE);
                        filter.update(|f| f.outcome = i.checked_sub(1).and_then(|i| VisitOutcome::ALL.get(i).copied()));
                    }>
                        <option value="0">{tr(l, "全部", "All")}</option>
                        {outcome_options}
                    </select>
                </div>
                <div class="fp-field">
                    <label for="fp-w-sort">{tr(l, "排序", "Sort")}</label>
                    <select id="fp-w-sort" data-testid="worker-sort" on:change=move |ev| {
                        sort.set(match event_target_value(&ev).as_str() { "name" => Sort::Name, "status" => Sort::Status, _ => Sort::Changed });
                    }>
                        <option value="changed" selected=move || sort.get() == Sort::Changed>{tr(l, "最近改动在前", "Last changed first")}</option>
                        <option value="name" selected=move || sort.get() == Sort::Name>{tr(l, "按户主姓名", "By head's name")}</option>
                        <option value="status" selected=move || sort.get() == Sort::Status>{tr(l, "未完成在前", "Unfinished first")}</option>
                    </select>
                </div>
            </div>
            <p class="fp-muted" role="status" data-testid="worker-count">{move || {
                let (shown, all) = (rows.with(Vec::len), w.records.with(Vec::len));
                match l { Lang::Zh => format!("显示 {shown} 户（共 {all} 户）"), Lang::En => format!("Showing {shown} of {all}") }
            }}</p>
            <ul class="fp-households" data-testid="worker-rows" on:click=on_row>
                <For each=move || shown.get() key=move |r| (r.id.clone(), r.changed_ms, r.status, deleting.with(|d| d.as_deref() == Some(r.id.as_str()))) let:row>
                    <li class="fp-card fp-household" data-testid="worker-row" data-status=format!("{:?}", row.status) aria-labelledby=format!("fp-w-row-{}", row.id)
                        inner_html=row_html(l, &row, deleting.with_untracked(|d| d.as_deref() == Some(row.id.as_str())))></li>
                </For>
            </ul>
            {move || {
                let more = rows.with(Vec::len).saturating_sub(limit.get());
                (more > 0).then(|| view! {
                    <p><button type="button" class="fp-button fp-wide" data-testid="worker-more" on:click=move |_| limit.update(|n| *n += PAGE)>
                        {match l { Lang::Zh => format!("再显示一些（还有 {more} 户）"), Lang::En => format!("Show more ({more} more)") }}
                    </button></p>
                })
            }}
            <details class="fp-card">
                <summary>{tr(l, "收到村民的交接链接", "Received a villager's handoff link")}</summary>
                <p>{tr(l, "村民在自己手机上生成“交给网格员”的二维码。用这台手机扫码会直接打开；如果村民通过微信发来链接，请复制后粘贴在这里。", "The villager makes a handoff QR code on their phone. Scanning it with this phone opens it directly; if they sent the link by WeChat, copy it and paste it here.")}</p>
                <div class="fp-field">
                    <label for="fp-w-paste">{tr(l, "交接链接", "Handoff link")}</label>
                    <input id="fp-w-paste" type="text" autocomplete="off" data-testid="worker-paste" prop:value=paste on:input=move |ev| paste.set(event_target_value(&ev)) />
                </div>
                <button type="button" class="fp-button" data-testid="worker-paste-add" on:click=receive>{tr(l, "加入名单", "Add to the list")}</button>
            </details>
        </section>
    }
    .into_any()
}

/// The `<option>`s of a filter's choices (value: position + 1; 0 is "all"), the kept choice selected.
fn filter_options<T: Copy + PartialEq + Send + Sync + 'static>(
    items: &[T],
    code: &'static str,
    filter: RwSignal<list::Filter>,
    chosen: fn(&list::Filter) -> Option<T>,
    label: fn(T) -> fangpin_core::text::Text,
) -> impl IntoView + use<T> {
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let item = *item;
            view! { <option value=(i + 1).to_string() selected=move || filter.with(|f| chosen(f) == Some(item))>{label(item).get(code).to_string()}</option> }
        })
        .collect_view()
}

/// What a button of a row does (`data-row-act`; one delegated listener on the list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    Open,
    Send,
    Duplicate,
    Delete,
    DeleteConfirm,
    DeleteKeep,
}

impl RowAction {
    const ALL: [(RowAction, &'static str); 6] = [
        (RowAction::Open, "open"),
        (RowAction::Send, "send"),
        (RowAction::Duplicate, "duplicate"),
        (RowAction::Delete, "delete"),
        (RowAction::DeleteConfirm, "delete-confirm"),
        (RowAction::DeleteKeep, "delete-keep"),
    ];
    fn code(self) -> &'static str {
        RowAction::ALL.iter().find(|(a, _)| *a == self).map(|(_, c)| *c).unwrap_or("")
    }
    fn parse(s: &str) -> Option<RowAction> {
        RowAction::ALL.iter().find(|(_, c)| *c == s).map(|(a, _)| *a)
    }
}

/// One household of the list as escaped HTML (a list of hundreds is drawn as text, not as hundreds
/// of reactive views; its buttons are handled by one listener).
fn row_html(l: Lang, row: &Row, confirming: bool) -> String {
    let code = l.code();
    let mut h = Html::new();
    let name =
        if row.name.is_empty() { tr(l, "（还没填户主姓名）", "(no head's name yet)").to_string() } else { row.name.clone() };
    let facts = match l {
        Lang::Zh => format!("{} · {} 人 · {}", row.village, row.members, time_text(row.changed_ms)),
        Lang::En => format!("{} · {} members · {}", row.village, row.members, time_text(row.changed_ms)),
    };
    let status = match (&row.receipt, row.status) {
        (Some(rc), Status::Delivered) => format!("{}（{}{rc}）", row.status.label().get(code), tr(l, "回执 ", "receipt ")),
        _ => row.status.label().get(code).to_string(),
    };
    let title = format!("fp-w-row-{}", row.id);
    let button = |h: &mut Html, act: RowAction, class: &str, testid: &str, text: &str| {
        h.el(
            "button",
            &[("type", "button"), ("class", class), ("data-testid", testid), ("data-row-act", act.code()), ("data-id", &row.id)],
            text,
        );
    };
    h.el("h3", &[("id", &title)], &name).el("p", &[("class", "fp-muted")], &facts);
    h.open("p", &[])
        .el("span", &[("class", "fp-tag"), ("data-testid", "worker-row-outcome")], row.outcome.label().get(code))
        .text(" ")
        .el("span", &[("class", "fp-tag"), ("data-testid", "worker-row-status")], &status)
        .close("p");
    if let Some(why) = &row.refused {
        h.el(
            "p",
            &[("class", "fp-error"), ("data-testid", "worker-row-refused")],
            &format!(
                "{}{why}",
                tr(
                    l,
                    "上次一键报送被拒收，请核对后再发，或改用其他渠道：",
                    "The last report was refused; check it and send again, or use another channel: "
                )
            ),
        );
    }
    h.open("p", &[("class", "fp-actions")]);
    let open = if row.status == Status::Unfinished { tr(l, "继续填写", "Continue") } else { tr(l, "打开", "Open") };
    button(&mut h, RowAction::Open, "fp-button fp-primary", "worker-open", open);
    if row.status == Status::ApplicationReady {
        button(&mut h, RowAction::Send, "fp-button", "worker-send", tr(l, "发送", "Send"));
    }
    button(&mut h, RowAction::Duplicate, "fp-button fp-small", "worker-duplicate", tr(l, "同村再加一户", "Another from this village"));
    button(&mut h, RowAction::Delete, "fp-button fp-small", "worker-delete", tr(l, "删除", "Delete"));
    h.close("p");
    if confirming {
        let q = format!("fp-w-del-{}", row.id);
        h.open("div", &[("class", "fp-confirm"), ("role", "group"), ("aria-labelledby", &q)])
            .open("p", &[("id", &q)])
            .el(
                "strong",
                &[],
                tr(
                    l,
                    "确定删除这一户的记录吗？删除后找不回来；还没送达的一键报送也不再发送。",
                    "Delete this household's record? It cannot be undone, and a report not yet delivered will not be sent.",
                ),
            )
            .close("p");
        button(&mut h, RowAction::DeleteConfirm, "fp-button fp-primary", "worker-delete-confirm", tr(l, "删除", "Delete"));
        h.text(" ");
        button(&mut h, RowAction::DeleteKeep, "fp-button fp-small", "worker-delete-keep", tr(l, "不删除", "Keep it"));
        h.close("div");
    }
    h.0
}
