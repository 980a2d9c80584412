// Starts the app. Kept tiny and free of inline script so the CSP can stay 'self' only.
import initStart from './{{START_GLUE}}';

// The browser cannot run the tool (`old`), or the tool could not start (`failed`): say which, and what to do.
function unsupported(kind, reasonZh, reasonEn) {
  const root = document.getElementById('fangpin-app');
  // The app's own crash message (crash.rs) is already there and says more.
  if (!root || root.hasAttribute('data-crashed')) return;
  const old = kind === 'old';
  root.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'fp-notice';
  box.setAttribute('role', 'alert');
  const p1 = document.createElement('p');
  const strong = document.createElement('strong');
  strong.textContent = old ? '您的浏览器版本太旧，打不开这个自测工具。' : '自测工具没能启动。';
  p1.append(strong);
  const p2 = document.createElement('p');
  const call = document.createElement('a');
  call.href = 'tel:12317';
  call.textContent = '12317';
  p2.append(reasonZh + (old ? ' 请把微信或手机浏览器更新到最新版再打开；' : ' 请重新打开页面试试；') + '也可以直接拨打热线 ', call, '，或找村里的网格员帮您申报。');
  const p3 = document.createElement('p');
  p3.lang = 'en';
  p3.textContent = reasonEn + (old ? ' Please update your browser, or call 12317.' : ' Please reopen the page, or call 12317.');
  box.append(p1, p2, p3);
  root.append(box);
}

// The app (fangpin-ui) and the site's policy file (named by the page: `fangpin publish-policy`
// replaces it without a new build). Each is requested exactly once: as soon as the start page works
// (see below), or on 开始自测 if the person is quicker. The module is compiled while it downloads, so
// that the tap only instantiates it. The service worker is registered once they have arrived and
// precaches them from the HTTP cache instead of downloading them a second time (sw.js).
// Worker mode (`?mode=worker`, fangpin_html::page::asks_for_worker_mode) is the app's worker build:
// a villager's module carries none of it, and a worker's phone loads this one instead.
const WORKER = '{{WORKER_WASM}}' !== '' && location.search.slice(1).split('&').includes('mode=worker');
const APP_GLUE = new URL(WORKER ? './{{WORKER_GLUE}}' : './{{GLUE}}', import.meta.url);
const APP_WASM = new URL(WORKER ? './{{WORKER_WASM}}' : './{{WASM}}', import.meta.url);
const POLICY = policyUrl();
let loading;
function loadApp() {
  loading ??= {
    glue: import(APP_GLUE.href),
    module: compileApp(),
    // Without its policy file the app still starts, and says the policy data did not load.
    policy: POLICY ? fetch(POLICY.href).then((r) => (r.ok ? r.arrayBuffer() : new ArrayBuffer(0))).catch(() => new ArrayBuffer(0)) : Promise.resolve(new ArrayBuffer(0)),
  };
  return loading;
}

function compileApp() {
  return fetch(APP_WASM.href).then((r) => {
    if (!r.ok) throw new Error(`app module: HTTP ${r.status}`);
    // Streaming needs the server's application/wasm type; some proxies change it.
    const streams = typeof WebAssembly.compileStreaming === 'function' && r.headers.get('content-type')?.startsWith('application/wasm');
    return streams ? WebAssembly.compileStreaming(r) : r.arrayBuffer().then((bytes) => WebAssembly.compile(bytes));
  });
}

let opening;
globalThis.fangpinOpenApp = () => {
  opening ??= openApp();
  return opening;
};

function openApp() {
  const files = () => { const { glue, module, policy } = loadApp(); return Promise.all([glue, module, policy]); };
  return files()
    // The background download may have failed while the person read (a dropped line): once more, now.
    .catch(() => { loading = undefined; return files(); })
    .then(([app, compiled, bytes]) => app.default({ module_or_path: compiled }).then(() => app.start_app(new Uint8Array(bytes))))
    .catch((err) => {
      console.warn('fangpin: the app could not start', err);
      unsupported('failed', '', 'The app could not start.');
    });
}

function policyUrl() {
  const name = document.getElementById('fangpin-app')?.dataset.policy;
  return name ? new URL(name, document.baseURI) : null;
}

if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
  unsupported('old', '（它不支持 WebAssembly。）', 'This browser does not support WebAssembly.');
} else {
  // The start page first: a few kilobytes that make the prerendered start screen work.
  initStart({ module_or_path: new URL('./{{START_WASM}}', import.meta.url) }).then(() => {
    // The app's files were requested by the page at low priority (index.html); compile the module
    // as it arrives, and add offline support once everything is here.
    const { glue, module, policy } = loadApp();
    Promise.all([glue, module, policy]).then(offlineSupport, () => {});
    const later = window.requestIdleCallback ? (f) => window.requestIdleCallback(f, { timeout: 1000 }) : (f) => setTimeout(f, 200);
    // The policy sheet below the first screen, left out of the first layout (app.css), now.
    later(() => document.querySelector('.fp-app[data-prerendered]')?.removeAttribute('data-prerendered'));
  }).catch((err) => {
    console.warn('fangpin: start failed', err);
    unsupported('failed', '', 'The app could not start.');
  });
}

// Offline support where the browser has service workers (some WeChat web views do not: then the app
// simply works online as before). When a new version takes over, say so: the draft is already saved,
// unless the page says it could not be (an element marked data-unsaved), and then a reload would lose it.
function offlineSupport() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  // The first worker to take control of an uncontrolled page is the first install, not an update.
  let controllers = navigator.serviceWorker.controller ? 1 : 0;
  navigator.serviceWorker.register('sw.js').catch((err) => console.warn('fangpin: no offline support', err));
  // Worker mode's module is not precached (a villager's phone never needs it): asked for once more
  // through the worker, which keeps it, from the HTTP cache (no second download).
  const keepWorkerModule = () => { if (WORKER) for (const u of [APP_GLUE, APP_WASM]) fetch(u.href).catch(() => {}); };
  if (navigator.serviceWorker.controller) keepWorkerModule();
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (controllers === 0) keepWorkerModule();
    controllers += 1;
    if (controllers < 2 || document.getElementById('fp-update')) return;
    const bar = document.createElement('div');
    bar.id = 'fp-update';
    bar.className = 'fp-root fp-update';
    bar.setAttribute('role', 'status');
    const unsaved = () => document.querySelector('[data-unsaved]') !== null;
    const p = document.createElement('p');
    const en = document.createElement('span');
    en.lang = 'en';
    en.className = 'fp-muted';
    const say = () => {
      p.textContent = unsaved()
        ? '自测工具有新版本了。这台手机没能保存您填的内容：现在换新版本，没保存的内容会丢失。请先发出或记下，再换。'
        : '自测工具有新版本了。您填写的内容已保存在本机。';
      en.textContent = unsaved()
        ? ' A new version is ready. This phone could not save what you entered: updating now loses it. Please send or note it first.'
        : ' A new version is ready; what you entered is saved.';
      p.append(en);
    };
    say();
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'fp-button fp-primary';
    button.textContent = '使用新版本 / Update';
    button.addEventListener('click', () => {
      // Saving may have failed since the bar appeared: then say so again and ask.
      if (unsaved() && !window.confirm('没保存的内容会丢失。现在就换新版本吗？\nWhat was not saved will be lost. Update now?')) { say(); return; }
      window.location.reload();
    });
    bar.append(p, button);
    document.body.prepend(bar);
  });
}

// Inside an iframe on another site: once the host's embed.js asks, tell it the content's height, and
// again on every change. The body's own height is the content (the document's scroll height never
// drops below the frame's, so a frame sized by it could grow but never shrink).
if (window.parent !== window) {
  let host = null;
  const report = () => {
    if (host) window.parent.postMessage({ type: 'fangpin:height', height: Math.ceil(document.body.getBoundingClientRect().height) }, host);
  };
  window.addEventListener('message', (event) => {
    if (event.source !== window.parent || event.data?.type !== 'fangpin:hello') return;
    host = event.origin;
    report();
  });
  if ('ResizeObserver' in window) new ResizeObserver(report).observe(document.body);
}
