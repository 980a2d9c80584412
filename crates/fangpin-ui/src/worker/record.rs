//! An open household: a bar saying whose record it is and who collected it, the way back to the
//! list, the village's marks (监测状态, development measures in place) with the 回头看 and the
//! 整户无劳动能力 check, then the villager's own screens for the household.

use leptos::prelude::*;

use super::{Worker, list::time_text, now_ms, profile_of};
use crate::ctx::Ctx;
use crate::i18n::tr;
use fangpin_visits::{LookBack, Marks, Record, Standing};

fn open_record(w: Worker) -> Option<Record> {
    let id = w.open.get()?;
    w.records.with(|rs| rs.iter().find(|r| r.id == id).cloned())
}

pub fn record_view(ctx: Ctx, w: Worker) -> AnyView {
    let record = Memo::new(move |_| open_record(w));
    let l = move || ctx.lang.get();
    let bar = move || {
        let l = l();
        let code = l.code();
        record.with(|r| {
            r.as_ref().map(|r| {
                let name = if r.head_name().is_empty() { tr(l, "（还没填户主姓名）", "(no head's name yet)").to_string() } else { r.head_name().to_string() };
                let mut who = format!("{}{}", tr(l, "采集人：", "Collected by: "), r.collected_by.signature(code));
                if let Some(e) = &r.entered_by {
                    who.push_str(&format!("{}{}", tr(l, "；录入人：", "; entered by: "), e.signature(code)));
                }
                let times = match r.finished_ms {
                    Some(f) => format!("{}{} · {}{}", tr(l, "开始 ", "started "), time_text(r.started_ms), tr(l, "完成 ", "finished "), time_text(f)),
                    None => format!("{}{} · {}{}", tr(l, "开始 ", "started "), time_text(r.started_ms), tr(l, "改动 ", "changed "), time_text(r.changed_ms)),
                };
                view! {
                    <p><strong data-testid="worker-open-name">{name}</strong>" · "<span data-testid="worker-open-status">{r.status.label().get(code).to_string()}</span></p>
                    <p class="fp-muted" data-testid="worker-open-collector">{who}</p>
                    <p class="fp-muted">{times}</p>
                }
            })
        })
    };
    view! {
        <div class="fp-card fp-recordbar fp-noprint" data-testid="worker-recordbar">
            {bar}
            <p><button type="button" class="fp-button fp-small" data-testid="worker-back" on:click=move |_| w.close_record(&ctx)>
                {move || tr(l(), "← 返回走访名单", "← Back to the list")}
            </button></p>
            <Marking record />
        </div>
        {move || crate::villager_screen(ctx.lang.get(), ctx.screen.get())}
    }
    .into_any()
}

/// The village's marks on the record and what they make the core say.
#[component]
fn Marking(record: Memo<Option<Record>>) -> impl IntoView {
    let ctx = crate::use_ctx();
    let w = super::use_worker();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let marks = move || record.with(|r| r.as_ref().map(|r| r.marks.clone()).unwrap_or_default());
    let set_marks = move |m: Marks| {
        let Some(id) = w.open.get_untracked() else { return };
        // A 监测对象 is one in the form too, so that the result screen weighs what the list does.
        if m.standing != Standing::NotMonitored {
            ctx.draft.update(|d| d.form.monitored = Some(true));
        }
        w.change(&id, |r| r.marked(m, now_ms()));
    };
    let checks = Memo::new(move |_| {
        record.with(|r| {
            r.as_ref().map(|r| {
                let p = profile_of(&ctx, r);
                r.checks(&r.assess(p, ctx.as_of), p)
            })
        })
    });
    let standing_options = Standing::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| view! { <option value=i.to_string() selected=move || marks().standing == *s>{s.label().get(code).to_string()}</option> })
        .collect_view();
    let look_back = move || {
        checks.with(|c| {
            c.as_ref().and_then(|c| c.look_back.clone()).map(|lb| {
                let why: Vec<String> = match &lb {
                    LookBack::BackslideDue(why) => why.iter().map(|t| t.get(code).to_string()).collect(),
                    LookBack::Holds => Vec::new(),
                };
                let state = if lb == LookBack::Holds { "holds" } else { "backslide" };
                view! {
                    <p data-testid="worker-lookback" data-state=state><strong>{lb.label().get(code).to_string()}</strong></p>
                    {(!why.is_empty()).then(|| view! { <ul class="fp-list">{why.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> })}
                }
            })
        })
    };
    let labour = move || {
        checks.with(|c| {
            c.as_ref().filter(|c| c.no_labour).map(|c| {
                let t = if c.safety_net_household {
                    tr(
                        l,
                        "整户无劳动能力，已享受低保或特困供养：属于兜底保障户。",
                        "No one can work and the household has dibao or tekun: a safety-net household.",
                    )
                } else {
                    tr(
                        l,
                        "整户无劳动能力：请核实是否已纳入低保或特困供养（兜底保障）。",
                        "No one can work: check whether the household has dibao or tekun (safety net).",
                    )
                };
                view! { <p data-testid="worker-no-labour">{t}</p> }
            })
        })
    };
    let development = move || {
        checks.with(|c| {
            let c = c.as_ref()?;
            if c.development.is_empty() {
                return None;
            }
            let missing = c.development_missing();
            let items = c
                .development
                .iter()
                .map(|(id, title, done)| {
                    let id = id.clone();
                    let dom = format!("fp-w-dev-{id}");
                    let id2 = id.clone();
                    view! {
                        <label class="fp-option" for=dom.clone()>
                            <input type="checkbox" id=dom.clone() prop:checked=*done data-testid="worker-dev" on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let mut m = marks();
                                m.development_in_place.retain(|x| *x != id2);
                                if on {
                                    m.development_in_place.push(id2.clone());
                                }
                                set_marks(m);
                            } />
                            <span>{title.get(code).to_string()}</span>
                        </label>
                    }
                })
                .collect_view();
            Some(view! {
                <fieldset class="fp-field">
                    <legend>{tr(l, "已实施的开发式帮扶（能劳动的家庭，靠发展产业、就业增收）", "Development measures in place (for households who can work)")}</legend>
                    <div class="fp-options">{items}</div>
                    {missing.then(|| view! { <p class="fp-error" data-testid="worker-dev-missing">{tr(l, "这户有能劳动的人，还没有落实开发式帮扶。", "Someone here can work and no development measure is in place yet.")}</p> })}
                </fieldset>
            })
        })
    };
    view! {
        <details class="fp-marks" data-testid="worker-marks">
            <summary>{tr(l, "村里的记录：监测状态和帮扶措施", "The village's record: monitoring and measures")}</summary>
            <div class="fp-field">
                <label for="fp-w-standing">{tr(l, "这户在村里的监测状态", "This household's monitoring status")}</label>
                <select id="fp-w-standing" data-testid="worker-standing" on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    let mut m = marks();
                    m.standing = Standing::ALL.get(i).copied().unwrap_or_default();
                    set_marks(m);
                }>{standing_options}</select>
                <p class="fp-hint">{tr(l, "已标注风险消除的户要“回头看”：看风险消除是否仍然成立。如果需要，请在“其他情况”一步填收入稳定了几个月。", "For a household marked risk-eliminated, the look-back checks it still holds; give the months of stable income in the Other situations step.")}</p>
            </div>
            {look_back}
            {labour}
            {development}
        </details>
    }
}
