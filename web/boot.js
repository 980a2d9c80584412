// Starts the app. Kept tiny and free of inline script so the CSP can stay 'self' only.
import init from './{{GLUE}}';

function unsupported(reasonZh, reasonEn) {
  const root = document.getElementById('fangpin-app');
  if (!root) return;
  root.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'fp-notice';
  box.setAttribute('role', 'alert');
  const p1 = document.createElement('p');
  p1.innerHTML = '<strong>您的浏览器版本太旧，打不开这个自测工具。</strong>';
  const p2 = document.createElement('p');
  p2.textContent = reasonZh + ' 请把微信或手机浏览器更新到最新版再打开；也可以直接拨打热线 12317，或找村里的网格员帮您申报。';
  const p3 = document.createElement('p');
  p3.lang = 'en';
  p3.textContent = reasonEn + ' Please update your browser, or call 12317.';
  box.append(p1, p2, p3);
  root.append(box);
}

if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
  unsupported('（它不支持 WebAssembly。）', 'This browser does not support WebAssembly.');
} else {
  init({ module_or_path: new URL('./{{WASM}}', import.meta.url) }).catch((err) => {
    console.warn('fangpin: start failed', err);
    unsupported('（程序没能启动。）', 'The app could not start.');
  });
}

// Offline support where the browser has service workers (some WeChat web views do not: then the app
// simply works online as before). When a new version takes over, say so; the draft is already saved.
if ('serviceWorker' in navigator && window.isSecureContext) {
  // The first worker to take control of an uncontrolled page is the first install, not an update.
  let controllers = navigator.serviceWorker.controller ? 1 : 0;
  navigator.serviceWorker.register('sw.js').catch((err) => console.warn('fangpin: no offline support', err));
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    controllers += 1;
    if (controllers < 2 || document.getElementById('fp-update')) return;
    const bar = document.createElement('div');
    bar.id = 'fp-update';
    bar.className = 'fp-root fp-update';
    bar.setAttribute('role', 'status');
    const p = document.createElement('p');
    p.textContent = '自测工具有新版本了。您填写的内容已保存在本机。';
    const en = document.createElement('span');
    en.lang = 'en';
    en.className = 'fp-muted';
    en.textContent = ' A new version is ready; what you entered is saved.';
    p.append(en);
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'fp-button fp-primary';
    button.textContent = '使用新版本 / Update';
    button.addEventListener('click', () => window.location.reload());
    bar.append(p, button);
    document.body.prepend(bar);
  });
}

// Inside an iframe on another site: report the content height so the host can size the frame.
if (window.parent !== window && 'ResizeObserver' in window) {
  const report = () => window.parent.postMessage({ type: 'fangpin:height', height: document.documentElement.scrollHeight }, '*');
  new ResizeObserver(report).observe(document.body);
}
