//! An open household: a bar saying whose record it is and who collected it, the way back to the
//! list, the village's marks (监测状态, development measures in place) with the 回头看 and the
//! 整户无劳动能力 check, then the villager's own screens for the household.

use leptos::prelude::*;

use super::{Worker, list::time_text, now_ms, profile_of};
use crate::ctx::Ctx;
use crate::i18n::tr;
use fangpin_visits::{Collector, LookBack, Marks, Record, Role, Standing, Status};

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
            <p class="fp-actions"><button type="button" class="fp-button fp-small" data-testid="worker-back" on:click=move |_| w.close_record(&ctx)>
                {move || tr(l(), "← 返回走访名单", "← Back to the list")}
            </button>
            // Handed to another worker's phone by its QR code (the application screen shows it).
            {move || record.with(|r| r.as_ref().is_some_and(|r| matches!(r.status, Status::ApplicationReady | Status::Printed))).then(|| view! {
                <button type="button" class="fp-button fp-small" data-testid="worker-handed-over" on:click=move |_| {
                    if let Some(id) = w.open.get_untracked() {
                        w.change(&id, |r| { r.advance(Status::HandedOver, now_ms()); });
                    }
                }>{tr(l(), "已用二维码交给别人", "Handed over by QR code")}</button>
            })}
            </p>
            {move || { ctx.lang.track(); view! { <Collected record /> <Marking record /> } }}
        </div>
        {move || crate::villager_screen(ctx.lang.get(), ctx.screen.get())}
    }
    .into_any()
}

/// Who collected the household, when the worker enters someone else's (a paper form): 谁采集、谁录入.
#[component]
fn Collected(record: Memo<Option<Record>>) -> impl IntoView {
    let ctx = crate::use_ctx();
    let w = super::use_worker();
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let other = move || record.with(|r| r.as_ref().and_then(|r| r.entered_by.is_some().then(|| r.collected_by.clone())));
    let name = RwSignal::new(other().map(|c| c.name).unwrap_or_default());
    let role = RwSignal::new(other().map(|c| c.role).unwrap_or(Role::GridWorker));
    let error = RwSignal::new(None::<String>);
    let apply = move || {
        let (Some(id), Some(me)) = (w.open.get_untracked(), w.collector.get_untracked()) else { return };
        let typed = name.get_untracked();
        let who = if typed.trim().is_empty() { Ok(None) } else { Collector::other(&typed, role.get_untracked(), &me).map(Some) };
        match who {
            Ok(c) => {
                error.set(None);
                let signature = c.as_ref().unwrap_or(&me).signature("zh");
                w.change(&id, |r| r.collected_by_other(c, &me, now_ms()));
                // The open draft says the same (else its next change would take the record back).
                ctx.draft.update(|d| d.form.collected_by = signature);
            }
            Err(p) => error.set(Some(p.message.get(ctx.lang.get_untracked().code()).to_string())),
        }
    };
    let roles = Role::ALL
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <option value=i.to_string() selected=move || role.get() == *r>{r.label().get(code).to_string()}</option> })
        .collect_view();
    view! {
        <details class="fp-marks" data-testid="worker-collected" prop:open=other().is_some()>
            <summary>{tr(l, "这户是别人采集的？（谁采集、谁录入）", "Collected by someone else? (who collected, who entered)")}</summary>
            <p class="fp-hint">{tr(l, "如果是别人（例如网格员在纸上）采集、您来录入，请填采集人。记录会同时写上采集人和录入人（您）。不填就是您本人采集。", "If someone else collected it (say, a grid worker on paper) and you enter it, name them: the record then carries both, the collector and you as the one who entered it. Leave it empty if you collected it.")}</p>
            <div class="fp-field" class:fp-invalid=move || error.with(Option::is_some)>
                <label for="fp-w-other-name">{tr(l, "采集人姓名", "Collector's name")}</label>
                <input id="fp-w-other-name" type="text" autocomplete="off" data-testid="worker-other-name" prop:value=name
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby="fp-w-other-name-err"
                    on:input=move |ev| { name.set(event_target_value(&ev)); apply(); } />
                <p class="fp-error" id="fp-w-other-name-err" aria-live="polite">{move || error.get().unwrap_or_default()}</p>
            </div>
            <div class="fp-field">
                <label for="fp-w-other-role">{tr(l, "采集人身份", "Collector's role")}</label>
                <select id="fp-w-other-role" data-testid="worker-other-role" on:change=move |ev| {
                    let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                    role.set(Role::ALL.get(i).copied().unwrap_or(Role::Other));
                    apply();
                }>{roles}</select>
            </div>
        </details>
    }
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
