//! A worker's records at rest: IndexedDB, every value sealed with AES-GCM under a key derived from
//! the worker's PIN (PBKDF2-SHA-256, [`ITERATIONS`]), through the browser's WebCrypto. The key is
//! not extractable and lives only in memory while unlocked; the database holds no plain text but
//! the format tag, the salt and the iteration count.
//!
//! Layout: database `fangpin-worker` (version 1), one object store `sealed`, keys:
//! * `meta` — `{format, iterations, salt, check_iv, check}` (plain): `check` is [`CHECK`] sealed,
//!   so a wrong PIN is told without trying a record;
//! * `r:<id>` — one record's JSON (with its one-click report), `{iv, data}`; `collector` — who collects.
//!
//! Each value is sealed with its own key name as additional data, so a value copied under another
//! name does not open. Where IndexedDB is missing or refused (private modes, some WeChat views) the
//! values are sealed the same way into the page's memory ([`Store::Memory`]), and the page says
//! they last only while it is open.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

const DB: &str = "fangpin-worker";
const STORE: &str = "sealed";
const FORMAT: &str = "fangpin.worker/1";
/// PBKDF2-SHA-256 rounds (OWASP's 2023 figure for this hash is 600,000; unlocking takes about as
/// long on a slow phone as the bench reports).
pub const ITERATIONS: u32 = 600_000;
const CHECK: &str = "fangpin-worker-check";
pub const META: &str = "meta";
pub const COLLECTOR: &str = "collector";

pub fn record_key(id: &str) -> String {
    format!("r:{id}")
}

#[derive(Debug, Clone, PartialEq)]
pub enum VaultError {
    /// The PIN does not open the vault.
    WrongPin,
    /// The browser has no WebCrypto (an old or odd web view).
    NoCrypto,
    /// Storing failed (full, blocked): the message the browser gave.
    Storage(String),
    /// Another window has the records open and cannot lock ([`super::one_window`]).
    OpenElsewhere,
}

/// An open vault: its store and the key.
pub struct Vault {
    store: Store,
    key: web_sys::CryptoKey,
}

fn err_text(e: &JsValue) -> String {
    if let Some(d) = e.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", d.name(), d.message());
    }
    e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string()).unwrap_or_else(|| "error".into())
}

fn subtle() -> Option<web_sys::SubtleCrypto> {
    let crypto = web_sys::window()?.crypto().ok()?;
    // `crypto.subtle` is missing outside secure contexts.
    let subtle = Reflect::get(&crypto, &"subtle".into()).ok()?;
    (!subtle.is_undefined()).then(|| crypto.subtle())
}

pub fn random_bytes(n: usize) -> Option<Vec<u8>> {
    let mut b = vec![0u8; n];
    web_sys::window()?.crypto().ok()?.get_random_values_with_u8_array(&mut b).ok()?;
    Some(b)
}

fn obj(pairs: &[(&str, &JsValue)]) -> Object {
    let o = Object::new();
    for (k, v) in pairs {
        let _ = Reflect::set(&o, &(*k).into(), v);
    }
    o
}

/// A value some callback will give: a future without `Promise::new`.
pub(super) struct Wait<T>(Rc<RefCell<(Option<T>, Option<Waker>)>>);

impl<T> Wait<T> {
    pub(super) fn new() -> Self {
        Wait(Rc::new(RefCell::new((None, None))))
    }

    pub(super) fn setter(&self) -> impl Fn(T) + 'static
    where
        T: 'static,
    {
        let shared = self.0.clone();
        move |v| {
            let waker = {
                let mut s = shared.borrow_mut();
                if s.0.is_some() {
                    return;
                }
                s.0 = Some(v);
                s.1.take()
            };
            if let Some(w) = waker {
                w.wake();
            }
        }
    }
}

impl<T> Future for Wait<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut s = self.0.borrow_mut();
        match s.0.take() {
            Some(v) => Poll::Ready(v),
            None => {
                s.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// A callback for an IndexedDB event handler, freed by the JS collector once unset.
fn callback(f: impl FnMut(web_sys::Event) + 'static) -> JsValue {
    let f: Box<dyn FnMut(web_sys::Event)> = Box::new(f);
    Closure::wrap(f).into_js_value()
}

/// An IndexedDB request as a future (its result, or the browser's error).
async fn request(req: &web_sys::IdbRequest) -> Result<JsValue, String> {
    let wait = Wait::<Result<JsValue, String>>::new();
    let (ok, bad) = (wait.setter(), wait.setter());
    let (r1, r2) = (req.clone(), req.clone());
    let on_ok = callback(move |_| ok(Ok(r1.result().unwrap_or(JsValue::UNDEFINED))));
    let on_bad = callback(move |_| {
        let e = r2.error().ok().flatten().map(JsValue::from).unwrap_or_else(|| "IndexedDB".into());
        bad(Err(err_text(&e)))
    });
    req.set_onsuccess(Some(on_ok.unchecked_ref()));
    req.set_onerror(Some(on_bad.unchecked_ref()));
    let out = wait.await;
    req.set_onsuccess(None);
    req.set_onerror(None);
    out
}

/// A write transaction's end: the data is committed (or the browser's error, e.g. quota).
async fn committed(tx: &web_sys::IdbTransaction) -> Result<(), String> {
    let wait = Wait::<Result<(), String>>::new();
    let (ok, bad, aborted) = (wait.setter(), wait.setter(), wait.setter());
    let t = tx.clone();
    let on_ok = callback(move |_| ok(Ok(())));
    let on_bad = callback(move |_| bad(Err(t.error().map(|e| err_text(&e.into())).unwrap_or_else(|| "IndexedDB".into()))));
    let on_abort = callback(move |_| aborted(Err("the write was aborted (storage full?)".into())));
    tx.set_oncomplete(Some(on_ok.unchecked_ref()));
    tx.set_onerror(Some(on_bad.unchecked_ref()));
    tx.set_onabort(Some(on_abort.unchecked_ref()));
    wait.await
}

/// Opens (creating) the database; None where IndexedDB is missing or refused.
pub async fn open_db() -> Option<web_sys::IdbDatabase> {
    let factory = web_sys::window()?.indexed_db().ok().flatten()?;
    let req = factory.open_with_u32(DB, 1).ok()?;
    let upgrade = callback(move |ev: web_sys::Event| {
        let db = ev.target().and_then(|t| t.dyn_into::<web_sys::IdbOpenDbRequest>().ok()).and_then(|r| r.result().ok());
        if let Some(db) = db.and_then(|d| d.dyn_into::<web_sys::IdbDatabase>().ok())
            && !db.object_store_names().contains(STORE)
        {
            let _ = db.create_object_store(STORE);
        }
    });
    req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let db = request(&req).await.ok()?.dyn_into::<web_sys::IdbDatabase>().ok();
    req.set_onupgradeneeded(None);
    db
}

fn store(db: &web_sys::IdbDatabase, write: bool) -> Result<(web_sys::IdbTransaction, web_sys::IdbObjectStore), String> {
    let mode = if write { web_sys::IdbTransactionMode::Readwrite } else { web_sys::IdbTransactionMode::Readonly };
    let tx = db.transaction_with_str_and_mode(STORE, mode).map_err(|e| err_text(&e))?;
    let st = tx.object_store(STORE).map_err(|e| err_text(&e))?;
    Ok((tx, st))
}

/// Where the sealed values are: IndexedDB, or — where a browser has none (private modes, some
/// WeChat views) — this page's memory, sealed the same way, so that locking and unlocking work as
/// usual and only closing the page loses them (the page says so).
#[derive(Clone)]
pub enum Store {
    Idb(web_sys::IdbDatabase),
    Memory(Rc<RefCell<std::collections::BTreeMap<String, JsValue>>>),
}

impl Store {
    pub async fn open() -> Store {
        match open_db().await {
            Some(db) => Store::Idb(db),
            None => Store::Memory(Rc::default()),
        }
    }

    /// What is stored survives closing the page.
    pub fn persistent(&self) -> bool {
        matches!(self, Store::Idb(_))
    }

    async fn get(&self, key: &str) -> Result<JsValue, String> {
        match self {
            Store::Idb(db) => {
                let (_tx, st) = store(db, false)?;
                request(&st.get(&key.into()).map_err(|e| err_text(&e))?).await
            }
            Store::Memory(m) => Ok(m.borrow().get(key).cloned().unwrap_or(JsValue::UNDEFINED)),
        }
    }

    /// Writes `value` under `key`; with `new_only`, refuses to replace a value already there.
    async fn put(&self, key: &str, value: &JsValue, new_only: bool) -> Result<(), String> {
        match self {
            Store::Idb(db) => {
                let (tx, st) = store(db, true)?;
                if new_only {
                    st.add_with_key(value, &key.into()).map_err(|e| err_text(&e))?;
                } else {
                    st.put_with_key(value, &key.into()).map_err(|e| err_text(&e))?;
                }
                committed(&tx).await
            }
            Store::Memory(m) => {
                let mut m = m.borrow_mut();
                if new_only && m.contains_key(key) {
                    return Err("ConstraintError: the key exists".into());
                }
                m.insert(key.to_string(), value.clone());
                Ok(())
            }
        }
    }

    async fn delete(&self, key: &str) -> Result<(), String> {
        match self {
            Store::Idb(db) => {
                let (tx, st) = store(db, true)?;
                st.delete(&key.into()).map_err(|e| err_text(&e))?;
                committed(&tx).await
            }
            Store::Memory(m) => {
                m.borrow_mut().remove(key);
                Ok(())
            }
        }
    }

    /// Every (key, value), in key order.
    async fn all(&self) -> Result<Vec<(String, JsValue)>, String> {
        match self {
            Store::Idb(db) => {
                let (_tx, st) = store(db, false)?;
                let keys = st.get_all_keys().map_err(|e| err_text(&e))?;
                let values = st.get_all().map_err(|e| err_text(&e))?;
                let (keys, values) = (Array::from(&request(&keys).await?), Array::from(&request(&values).await?));
                Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v))).collect())
            }
            Store::Memory(m) => Ok(m.borrow().iter().map(|(k, v)| (k.clone(), v.clone())).collect()),
        }
    }

    /// Forgot the PIN: everything of the vault is deleted (the worker confirmed it).
    pub async fn clear(&self) -> Result<(), String> {
        match self {
            Store::Idb(db) => {
                let (tx, st) = store(db, true)?;
                st.clear().map_err(|e| err_text(&e))?;
                committed(&tx).await
            }
            Store::Memory(m) => {
                m.borrow_mut().clear();
                Ok(())
            }
        }
    }

    /// Whether a vault is here (then the PIN unlocks it; else one is set). An error is not "no":
    /// setting up a new vault over one that could not be read would lose it.
    pub async fn has_vault(&self) -> Result<bool, String> {
        Ok(!self.get(META).await?.is_undefined())
    }
}

/// The plain part of the vault: how to derive the key.
struct Meta {
    iterations: u32,
    salt: Vec<u8>,
    check_iv: Vec<u8>,
    check: Vec<u8>,
}

fn bytes_of(o: &JsValue, field: &str) -> Option<Vec<u8>> {
    let v = Reflect::get(o, &field.into()).ok()?;
    v.is_instance_of::<Uint8Array>().then(|| Uint8Array::from(v).to_vec())
}

fn read_meta(v: &JsValue) -> Option<Meta> {
    if Reflect::get(v, &"format".into()).ok()?.as_string()? != FORMAT {
        return None;
    }
    let iterations = Reflect::get(v, &"iterations".into()).ok()?.as_f64()?;
    if !(1.0..=10_000_000.0).contains(&iterations) {
        return None;
    }
    Some(Meta {
        iterations: iterations as u32,
        salt: bytes_of(v, "salt")?,
        check_iv: bytes_of(v, "check_iv")?,
        check: bytes_of(v, "check")?,
    })
}

async fn derive(pin: &str, salt: &[u8], iterations: u32) -> Result<web_sys::CryptoKey, VaultError> {
    let subtle = subtle().ok_or(VaultError::NoCrypto)?;
    let fail = |_| VaultError::NoCrypto;
    let raw = Uint8Array::from(pin.as_bytes());
    let usages = Array::of1(&"deriveKey".into());
    let base = subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &usages).map_err(fail)?;
    let base: web_sys::CryptoKey = JsFuture::from(base).await.map_err(fail)?.unchecked_into();
    let params = obj(&[
        ("name", &"PBKDF2".into()),
        ("salt", &Uint8Array::from(salt)),
        ("iterations", &JsValue::from(iterations)),
        ("hash", &"SHA-256".into()),
    ]);
    let aes = obj(&[("name", &"AES-GCM".into()), ("length", &JsValue::from(256))]);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = subtle.derive_key_with_object_and_object(&params, &base, &aes, false, &usages).map_err(fail)?;
    Ok(JsFuture::from(key).await.map_err(fail)?.unchecked_into())
}

async fn seal(key: &web_sys::CryptoKey, name: &str, plain: &[u8]) -> Result<(Vec<u8>, Vec<u8>), VaultError> {
    let subtle = subtle().ok_or(VaultError::NoCrypto)?;
    let iv = random_bytes(12).ok_or(VaultError::NoCrypto)?;
    let params =
        obj(&[("name", &"AES-GCM".into()), ("iv", &Uint8Array::from(&iv[..])), ("additionalData", &Uint8Array::from(name.as_bytes()))]);
    let data = Uint8Array::from(plain);
    let p = subtle.encrypt_with_object_and_js_u8_array(&params, key, &data).map_err(|_| VaultError::NoCrypto)?;
    let out = JsFuture::from(p).await.map_err(|_| VaultError::NoCrypto)?;
    Ok((iv, Uint8Array::new(&out).to_vec()))
}

async fn open(key: &web_sys::CryptoKey, name: &str, iv: &[u8], sealed: &[u8]) -> Option<Vec<u8>> {
    let subtle = subtle()?;
    let params = obj(&[("name", &"AES-GCM".into()), ("iv", &Uint8Array::from(iv)), ("additionalData", &Uint8Array::from(name.as_bytes()))]);
    let p = subtle.decrypt_with_object_and_js_u8_array(&params, key, &Uint8Array::from(sealed)).ok()?;
    let out = JsFuture::from(p).await.ok()?;
    Some(Uint8Array::new(&out).to_vec())
}

impl Vault {
    /// A new vault under `pin`. Its meta is written last, and only where none is (`add`): a vault
    /// without it does not open, and one that is there is never replaced.
    pub async fn create(store: Store, pin: &str, first: &[(&str, &str)]) -> Result<Vault, VaultError> {
        let salt = random_bytes(16).ok_or(VaultError::NoCrypto)?;
        let key = derive(pin, &salt, ITERATIONS).await?;
        let (check_iv, check) = seal(&key, META, CHECK.as_bytes()).await?;
        let vault = Vault { store, key };
        for (name, text) in first {
            vault.put(name, text).await?;
        }
        let meta = obj(&[
            ("format", &FORMAT.into()),
            ("iterations", &JsValue::from(ITERATIONS)),
            ("salt", &Uint8Array::from(&salt[..])),
            ("check_iv", &Uint8Array::from(&check_iv[..])),
            ("check", &Uint8Array::from(&check[..])),
        ]);
        vault.store.put(META, &meta, true).await.map_err(VaultError::Storage)?;
        Ok(vault)
    }

    /// The vault of `store` opened with `pin`: [`VaultError::WrongPin`] reveals nothing else.
    pub async fn unlock(store: Store, pin: &str) -> Result<Vault, VaultError> {
        let meta = store.get(META).await.map_err(VaultError::Storage)?;
        let meta = read_meta(&meta).ok_or_else(|| VaultError::Storage("the vault's meta is not readable".into()))?;
        let key = derive(pin, &meta.salt, meta.iterations).await?;
        match open(&key, META, &meta.check_iv, &meta.check).await {
            Some(plain) if plain == CHECK.as_bytes() => Ok(Vault { store, key }),
            _ => Err(VaultError::WrongPin),
        }
    }

    /// Whether what is stored survives closing the page.
    pub fn persistent(&self) -> bool {
        self.store.persistent()
    }

    /// Seals `text` under `name` and stores it; `Ok` once committed.
    pub async fn put(&self, name: &str, text: &str) -> Result<(), VaultError> {
        let (iv, data) = seal(&self.key, name, text.as_bytes()).await?;
        let value = obj(&[("iv", &Uint8Array::from(&iv[..])), ("data", &Uint8Array::from(&data[..]))]);
        self.store.put(name, &value, false).await.map_err(VaultError::Storage)
    }

    pub async fn delete(&self, name: &str) -> Result<(), VaultError> {
        self.store.delete(name).await.map_err(VaultError::Storage)
    }

    /// Every sealed value but the meta, opened: (name, text), and the names that did not open or are
    /// not text (kept where they are, never deleted). An error reading the store is an error, not an
    /// empty vault.
    pub async fn read_all(&self) -> Result<(Vec<(String, String)>, Vec<String>), VaultError> {
        let all = self.store.all().await.map_err(VaultError::Storage)?;
        let mut read = Vec::new();
        let mut unreadable = Vec::new();
        for (name, v) in all {
            if name == META {
                continue;
            }
            let text = match (bytes_of(&v, "iv"), bytes_of(&v, "data")) {
                (Some(iv), Some(data)) => open(&self.key, &name, &iv, &data).await.and_then(|b| String::from_utf8(b).ok()),
                _ => None,
            };
            match text {
                Some(t) => read.push((name, t)),
                None => unreadable.push(name),
            }
        }
        Ok((read, unreadable))
    }
}

impl VaultError {
    /// What the browser said, for the township's technical staff (the screen says the rest plainly).
    pub fn detail(&self) -> String {
        match self {
            VaultError::WrongPin => "wrong PIN".into(),
            VaultError::NoCrypto => "no WebCrypto".into(),
            VaultError::Storage(e) => e.clone(),
            VaultError::OpenElsewhere => "open in another window".into(),
        }
    }
}

/// Asks the browser to keep this site's storage under pressure (`navigator.storage.persist()`);
/// whether it agreed.
pub async fn ask_persist() -> bool {
    let Some(w) = web_sys::window() else { return false };
    let nav = w.navigator();
    if Reflect::get(&nav, &"storage".into()).map(|v| v.is_undefined()).unwrap_or(true) {
        return false;
    }
    match nav.storage().persist() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()).unwrap_or(false),
        Err(_) => false,
    }
}
