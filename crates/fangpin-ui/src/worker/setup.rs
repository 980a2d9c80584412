//! The worker states who they are once and sets a PIN; later the PIN unlocks the records. A wrong
//! PIN shows nothing; forgetting it loses the records, which the worker is told before setting it.

use leptos::prelude::*;

use super::Worker;
use super::vault::{self, Vault, VaultError};
use crate::ctx::Ctx;
use crate::i18n::tr;
use crate::widgets::TextField;
use fangpin_visits::collector::Field;
use fangpin_visits::{Collector, Role};

/// The PIN as typed, full-width digits folded: 6 to 32 digits.
fn pin_of(typed: &str) -> Result<String, (&'static str, &'static str)> {
    let pin: String = fangpin_core::input::fold(typed).chars().filter(|c| !c.is_whitespace()).collect();
    if pin.is_empty() {
        return Err(("请设一个走访密码。", "Please set a PIN."));
    }
    if !pin.chars().all(|c| c.is_ascii_digit()) {
        return Err(("密码只能用数字。", "The PIN may contain digits only."));
    }
    match pin.chars().count() {
        0..6 => Err(("密码至少要 6 位数字。", "The PIN needs at least 6 digits.")),
        6..=32 => Ok(pin),
        _ => Err(("密码最多 32 位数字。", "The PIN may have at most 32 digits.")),
    }
}

fn text_signal(s: RwSignal<String>) -> (Signal<String>, Callback<String>) {
    (s.into(), Callback::new(move |v| s.set(v)))
}

fn err(s: RwSignal<Option<String>>) -> Option<Signal<Option<String>>> {
    Some(s.into())
}

const ROLES: [Role; 5] = Role::ALL;

/// What the worker typed on the setup screen: kept by worker mode, so that switching the language
/// (which draws the screen again) loses nothing, and kept on the phone ([`TYPED_KEY`]) until the
/// PIN is set, so that a reload (WeChat drops pages in the background) loses nothing either. The
/// PINs are never stored.
#[derive(Clone, Copy)]
pub struct SetupForm {
    fields: [RwSignal<String>; 4],
    role: RwSignal<Role>,
    pin: RwSignal<String>,
    pin2: RwSignal<String>,
    understood: RwSignal<bool>,
}

/// Where the setup screen's typing waits until the PIN is set (then it is removed: who collects is
/// sealed in the vault). Under the app's prefix, so "清除本机数据" removes it too.
pub const TYPED_KEY: &str = "fangpin.worker.setup.v1";

/// The setup screen's typing as stored: the four fields and the role, not the PINs.
#[derive(Default, serde::Serialize, serde::Deserialize)]
#[serde(default)]
struct Typed {
    name: String,
    phone: String,
    role: Option<Role>,
    township: String,
    village: String,
}

impl SetupForm {
    /// The form as last typed on this phone, and one effect that keeps it stored as it is typed.
    pub fn new() -> SetupForm {
        // Something unreadable there (another version's) starts an empty form; it is written over
        // only once the worker types.
        let typed: Typed = crate::store::storage()
            .and_then(|s| s.get_item(TYPED_KEY).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let Typed { name, phone, role, township, village } = typed;
        let form = SetupForm {
            fields: [name, phone, township, village].map(RwSignal::new),
            role: RwSignal::new(role.unwrap_or(Role::GridWorker)),
            pin: RwSignal::new(String::new()),
            pin2: RwSignal::new(String::new()),
            understood: RwSignal::new(false),
        };
        Effect::new(move |first: Option<()>| {
            let [name, phone, township, village] = form.fields.map(|f| f.get());
            let role = Some(form.role.get());
            if first.is_none() {
                return;
            }
            let typed = Typed { name, phone, role, township, village };
            if let (Some(s), Ok(text)) = (crate::store::storage(), serde_json::to_string(&typed)) {
                let _ = s.set_item(TYPED_KEY, &text);
            }
        });
        form
    }

    /// The PIN is set and who collects sealed with it: the typing need not wait on the phone.
    fn forget_typed(&self) {
        if let Some(s) = crate::store::storage() {
            let _ = s.remove_item(TYPED_KEY);
        }
    }
}

/// No records on this phone yet: who the worker is, and the PIN.
pub fn setup_view(ctx: Ctx, w: Worker, form: SetupForm) -> AnyView {
    let l = ctx.lang.get_untracked();
    let code = l.code();
    let [name, phone, township, village] = form.fields;
    let SetupForm { role, pin, pin2, understood, .. } = form;
    let pin_field = pin;
    let errors: [RwSignal<Option<String>>; 4] = std::array::from_fn(|_| RwSignal::new(None));
    let [name_err, phone_err, township_err, village_err] = errors;
    let pin_err = RwSignal::new(None::<String>);
    let pin2_err = RwSignal::new(None::<String>);
    let understood_err = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let l = ctx.lang.get_untracked();
        let code = l.code();
        for e in [name_err, phone_err, township_err, village_err, pin_err, pin2_err, understood_err] {
            e.set(None);
        }
        let collector = Collector::parse(
            &name.get_untracked(),
            &phone.get_untracked(),
            role.get_untracked(),
            &township.get_untracked(),
            &village.get_untracked(),
        );
        let mut first_bad: Option<&'static str> = None;
        let mut bad = |id: &'static str| {
            first_bad.get_or_insert(id);
        };
        if let Err(problems) = &collector {
            for p in problems {
                let (slot, id) = match p.field {
                    Field::Name => (name_err, "fp-w-name"),
                    Field::Phone => (phone_err, "fp-w-phone"),
                    Field::Township => (township_err, "fp-w-township"),
                    Field::Village => (village_err, "fp-w-village"),
                };
                if slot.get_untracked().is_none() {
                    slot.set(Some(p.message.get(code).to_string()));
                }
                bad(id);
            }
        }
        let typed = pin_of(&pin.get_untracked());
        match &typed {
            Err((zh, en)) => {
                pin_err.set(Some(tr(l, zh, en).to_string()));
                bad("fp-w-pin");
            }
            Ok(p) if pin_of(&pin2.get_untracked()).ok().as_deref() != Some(p.as_str()) => {
                pin2_err.set(Some(tr(l, "两次输入的密码不一样。", "The two PINs differ.").to_string()));
                bad("fp-w-pin2");
            }
            Ok(_) => {}
        }
        if !understood.get_untracked() {
            understood_err.set(Some(
                tr(l, "请先确认您知道忘记密码的后果。", "Please confirm you understand what forgetting the PIN means.").to_string(),
            ));
            bad("fp-w-understood");
        }
        if let Some(id) = first_bad {
            ctx.focus(id);
            return;
        }
        let (Ok(collector), Ok(pin)) = (collector, typed) else { return };
        busy.set(true);
        failed.set(None);
        leptos::task::spawn_local(async move {
            let Some(store) = w.store.get_value() else { return };
            // Who collects is sealed before the vault's meta: a vault without it is never made.
            let text = serde_json::to_string(&collector).unwrap_or_default();
            match Vault::create(store, &pin, &[(vault::COLLECTOR, &text)]).await {
                Ok(v) => {
                    // The PIN leaves the form at once.
                    pin_field.set(String::new());
                    pin2.set(String::new());
                    form.forget_typed();
                    let _ = vault::ask_persist().await;
                    w.collector.set(Some(collector));
                    if let Err(e) = w.unlocked(ctx, v).await {
                        failed.set(Some(e.detail()));
                        busy.set(false);
                    }
                }
                Err(e) => {
                    failed.set(Some(e.detail()));
                    busy.set(false);
                }
            }
        });
    };

    let role_options = ROLES
        .iter()
        .enumerate()
        .map(|(i, r)| view! { <option value=i.to_string() selected=move || role.get() == *r>{r.label().get(code).to_string()}</option> })
        .collect_view();
    view! {
        <section class="fp-screen" data-screen="worker-setup">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "网格员走访：先说明您是谁", "Worker mode: first, who you are")}</h2>
            <p>{tr(l, "这个模式给村干部、驻村干部和网格员用：在一台手机上逐户填写全村的排查（集中排查）。每一户的记录都会写上是谁采集的（谁采集、谁录入、谁负责）。", "This mode is for village cadres, resident cadres and grid workers: screening every household of a village on one phone. Every record says who collected it.")}</p>
            <form novalidate="" on:submit=submit>
                <TextField id="w-name" label=Signal::stored(tr(l, "您的姓名", "Your name").to_string()) value=text_signal(name).0 on_input=text_signal(name).1 error=err(name_err) speak=false autocomplete="name" />
                <TextField id="w-phone" label=Signal::stored(tr(l, "您的电话", "Your phone").to_string()) value=text_signal(phone).0 on_input=text_signal(phone).1 error=err(phone_err) speak=false inputmode="tel" autocomplete="tel" />
                <div class="fp-field">
                    <label for="fp-w-role">{tr(l, "您的身份", "Your role")}</label>
                    <select id="fp-w-role" on:change=move |ev| {
                        let i: usize = event_target_value(&ev).parse().unwrap_or(0);
                        role.set(ROLES.get(i).copied().unwrap_or(Role::Other));
                    }>{role_options}</select>
                </div>
                <TextField id="w-township" label=Signal::stored(tr(l, "乡镇（街道）", "Township").to_string()) value=text_signal(township).0 on_input=text_signal(township).1 error=err(township_err) speak=false />
                <TextField id="w-village" label=Signal::stored(tr(l, "村（社区）", "Village").to_string()) value=text_signal(village).0 on_input=text_signal(village).1 error=err(village_err) speak=false />
                <h3>{tr(l, "设一个走访密码", "Set a PIN")}</h3>
                <p>{tr(l, "这台手机会保存很多户人家的身份证号、病情、残疾等敏感个人信息。这个密码用来把它们加密保存，只存在这台手机上。", "This phone will hold many households' ID numbers, illnesses and disabilities: sensitive personal information. This PIN encrypts them, on this phone only.")}</p>
                <p class="fp-notice" role="note"><strong>{tr(l, "请记住密码：忘记了就再也打不开这些记录，还没发送或导出的记录会全部丢失，谁也找不回来。", "Remember the PIN: if you forget it, these records can never be opened again, and everything not yet sent or exported is lost for good.")}</strong></p>
                <PinField id="w-pin" label=tr(l, "走访密码（至少 6 位数字）", "PIN (at least 6 digits)") value=pin error=pin_err autocomplete="new-password" />
                <PinField id="w-pin2" label=tr(l, "再输一次密码", "The PIN again") value=pin2 error=pin2_err autocomplete="new-password" />
                <div class="fp-field" class:fp-invalid=move || understood_err.with(Option::is_some)>
                    <label class="fp-option">
                        <input type="checkbox" id="fp-w-understood" prop:checked=understood on:change=move |ev| understood.set(event_target_checked(&ev)) aria-describedby="fp-w-understood-err" />
                        <span>{tr(l, "我知道：忘记密码，还没发送的记录就会丢失。", "I understand: forgetting the PIN loses the records not yet sent.")}</span>
                    </label>
                    <p class="fp-error" id="fp-w-understood-err" aria-live="polite">{move || understood_err.get().unwrap_or_default()}</p>
                </div>
                {move || failed.get().map(|why| view! {
                    <p class="fp-notice" role="alert">{tr(l, "没能设好密码，请再试一次。", "The PIN could not be set; please try again.")}<span class="fp-muted">{format!(" ({why})")}</span></p>
                })}
                <button type="submit" class="fp-button fp-primary fp-wide" data-testid="worker-setup" disabled=move || busy.get()>
                    {move || if busy.get() { tr(l, "正在加密……", "Encrypting…") } else { tr(l, "开始走访", "Start visiting") }}
                </button>
            </form>
        </section>
    }
    .into_any()
}

/// A PIN field: digits, hidden, its problem at the field.
#[component]
fn PinField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    error: RwSignal<Option<String>>,
    autocomplete: &'static str,
) -> impl IntoView {
    let dom = format!("fp-{id}");
    let err_id = format!("{dom}-err");
    let e2 = err_id.clone();
    view! {
        <div class="fp-field" class:fp-invalid=move || error.with(Option::is_some)>
            <label for=dom.clone()>{label}</label>
            <div class="fp-inputrow">
                <input id=dom type="password" inputmode="numeric" autocomplete=autocomplete
                    prop:value=value
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=move || if error.with(Option::is_some) { e2.clone() } else { String::new() }
                    on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
            <p class="fp-error" id=err_id aria-live="polite">{move || error.get().unwrap_or_default()}</p>
        </div>
    }
}

/// The records are locked: the PIN opens them. Forgetting it: start again without them.
pub fn unlock_view(ctx: Ctx, w: Worker) -> AnyView {
    let l = ctx.lang.get_untracked();
    let pin = RwSignal::new(String::new());
    let pin_err = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let forgetting = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(store) = w.store.get_value() else { return };
        let typed: String = fangpin_core::input::fold(&pin.get_untracked()).chars().filter(|c| !c.is_whitespace()).collect();
        busy.set(true);
        pin_err.set(None);
        leptos::task::spawn_local(async move {
            let opened = match Vault::unlock(store, &typed).await {
                Ok(v) => {
                    w.notice.set(None);
                    w.unlocked(ctx, v).await
                }
                Err(e) => Err(e),
            };
            match opened {
                Ok(()) => {}
                Err(e) => {
                    let l = ctx.lang.get_untracked();
                    let (zh, en) = match e {
                        VaultError::WrongPin => ("密码不对，请再试一次。", "Wrong PIN; please try again."),
                        VaultError::NoCrypto => (
                            "这个浏览器不能解密，请换用手机自带的浏览器。",
                            "This browser cannot decrypt; please use the phone's own browser.",
                        ),
                        VaultError::Storage(_) => (
                            "读不出这台手机上的记录，请重新打开页面试试。",
                            "The records on this phone could not be read; please reopen the page.",
                        ),
                        VaultError::OpenElsewhere => (
                            "走访记录在另一个窗口里开着，那里有改动没能保存，不能替它锁上。请到那个窗口先发送或导出，再回来解锁。",
                            "The records are open in another window that has a change it could not store, so it cannot be locked from here. Please go to that window and send or export first, then unlock here.",
                        ),
                    };
                    let detail = match &e {
                        VaultError::Storage(d) => format!(" ({d})"),
                        _ => String::new(),
                    };
                    pin_err.set(Some(format!("{}{detail}", tr(l, zh, en))));
                    pin.set(String::new());
                    busy.set(false);
                    ctx.focus("fp-w-unlock");
                }
            }
        });
    };
    let forget = move |_| {
        let Some(store) = w.store.get_value() else { return };
        leptos::task::spawn_local(async move {
            if store.clear().await.is_ok() {
                w.phase.set(super::Phase::Setup);
            }
        });
    };
    let notice = move || {
        match w.notice.get() {
        Some(super::Notice::IdleLocked) => Some(view! {
            <p class="fp-notice" role="status" data-testid="worker-idle-locked">{tr(l, "您有一段时间没有操作，为了保护村民的信息，走访记录已锁定。", "You were away for a while, so the records were locked to protect people's information.")}</p>
        }.into_any()),
        Some(super::Notice::OpenedElsewhere) => Some(view! {
            <p class="fp-notice" role="status" data-testid="worker-elsewhere-locked">{tr(l,
                "走访记录在另一个窗口里打开了。为了不让两个窗口互相覆盖，这里先锁上了；在这里做过的都已保存。要在这里接着做，请再输入密码。",
                "The records were opened in another window. So that the two windows do not write over each other, this one is locked; what you did here is saved. To go on here, enter your PIN again.")}</p>
        }.into_any()),
        _ => None,
    }
    };
    view! {
        <section class="fp-screen" data-screen="worker-unlock">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "网格员走访：请输入走访密码", "Worker mode: enter your PIN")}</h2>
            {notice}
            <form novalidate="" on:submit=submit>
                <PinField id="w-unlock" label=tr(l, "走访密码", "PIN") value=pin error=pin_err autocomplete="current-password" />
                <button type="submit" class="fp-button fp-primary fp-wide" data-testid="worker-unlock" disabled=move || busy.get()>
                    {move || if busy.get() { tr(l, "正在打开……", "Opening…") } else { tr(l, "打开走访记录", "Open the records") }}
                </button>
            </form>
            <details class="fp-card" prop:open=move || forgetting.get()>
                <summary>{tr(l, "忘记密码了？", "Forgot the PIN?")}</summary>
                <p>{tr(l, "密码找不回来，谁也打不开这些记录。只能删除这台手机上的全部走访记录，重新设密码。还没发送或导出的记录会丢失；已经送达的申请在乡镇那边还有。", "The PIN cannot be recovered and no one can open these records. The only way on is to delete all visit records on this phone and set a new PIN. What was not sent or exported is lost; delivered applications are kept by the township.")}</p>
                {move || if forgetting.get() {
                    view! {
                        <p><strong>{tr(l, "确定要删除全部走访记录吗？", "Delete all visit records for sure?")}</strong></p>
                        <p>
                            <button type="button" class="fp-button fp-primary" data-testid="worker-forget-confirm" on:click=forget>{tr(l, "删除全部，重新开始", "Delete all and start again")}</button>
                            " "
                            <button type="button" class="fp-button fp-small" on:click=move |_| forgetting.set(false)>{tr(l, "不删除", "Keep them")}</button>
                        </p>
                    }.into_any()
                } else {
                    view! { <p><button type="button" class="fp-button fp-small" data-testid="worker-forget" on:click=move |_| forgetting.set(true)>{tr(l, "删除全部走访记录……", "Delete all visit records…")}</button></p> }.into_any()
                }}
            </details>
        </section>
    }
    .into_any()
}

/// The phone's storage could not be read: say so, offer to try again; set nothing up over it.
pub fn unreadable_view(ctx: Ctx, w: Worker) -> AnyView {
    let l = ctx.lang.get_untracked();
    let detail = w.unlock_error.get_untracked().unwrap_or_default();
    view! {
        <section class="fp-screen fp-notice" role="alert" data-screen="worker-unreadable">
            <h2 id="fp-screen-title" tabindex="-1">{tr(l, "读不出这台手机上的走访记录", "The visit records on this phone cannot be read")}</h2>
            <p>{tr(l, "记录没有删除，也不会被覆盖。请关掉其他打开这个页面的窗口，再重新打开试试；还不行，请联系乡镇的技术人员。", "Nothing was deleted or overwritten. Close other windows with this page and open it again; if that does not help, contact the township's technical staff.")}</p>
            <p class="fp-muted">{detail}</p>
            <p><a class="fp-button fp-primary" href="?mode=worker">{tr(l, "重新打开", "Open again")}</a></p>
        </section>
    }
    .into_any()
}
