// The widget for other sites. One line puts it on a page:
//   <script type="module" src="https://SELF-CHECK-HOST/embed.js"></script>
// and one element where it should appear:
//   <fangpin-selfcheck profile="yongan-2023" lang="zh" care endpoint="https://…/api/v1/reports"></fangpin-selfcheck>
// Attributes: profile (a profile id), lang ("zh" | "en"), care (present = 适老化 large mode), endpoint (the
// one-click report URL, overriding the profile's; only on the host page's origin or this widget's own), storage-key (keeps two widgets' drafts apart; defaults to
// the element's id), lazy (present = start only when scrolled into view).
// The widget lives in a shadow root: the host's CSS cannot reach in, and the widget's CSS cannot leak out.
// Pages that embed the app as an iframe instead (<iframe data-fangpin-frame src=".../index.html">) get the
// frame resized to its content: this script asks the frame (postMessage "fangpin:hello"), and the frame
// answers with its content's height and again on every change.
import init, { mount_widget } from './assets/{{GLUE_NAME}}';

const WASM = new URL('./assets/{{WASM_NAME}}', import.meta.url);
// The site's policy file: `fangpin publish-policy` rewrites this name when a city publishes new figures.
const POLICY = new URL('./{{POLICY}}', import.meta.url);
const CSS = new URL('./assets/{{CSS_NAME}}', import.meta.url);
const SELF = new URL('./', import.meta.url);
// The rest of the app (the start screen, later steps, result, application), which the app fetches
// once it has started: a widget opens on its start screen, so it is asked for with the first file.
// The one-click receiver of the widget's own site (`fangpin publish-policy --receiver`), or ''.
const RECEIVER = '{{RECEIVER}}';
const LATER = {{LATER_FILES}}.map((name) => new URL(`./assets/${name}`, import.meta.url));
let loading;
let policy;
// The draft key of each widget started on this page (as the app derives it: storage-key, else id, else one
// for all). Two under one key write over each other's entries (a page hears no storage event of its own):
// the web team is told in the console.
const keys = new Set();

class FangpinSelfcheck extends HTMLElement {
  connectedCallback() {
    if (this.shadowRoot) return;
    const shadow = this.attachShadow({ mode: 'open' });
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = CSS.href;
    const mount = document.createElement('div');
    mount.className = 'fp-root fp-embedded';
    mount.lang = this.getAttribute('lang') === 'en' ? 'en' : 'zh-CN';
    mount.textContent = '正在打开，请稍等…… Loading…';
    shadow.append(link, mount);
    const start = () => {
      loading ??= (LATER.forEach((url) => fetch(url).then((r) => r.arrayBuffer()).catch(() => {})), init({ module_or_path: WASM }));
      // Without it the widget still starts, and says the policy data did not load.
      policy ??= fetch(POLICY.href).then((r) => (r.ok ? r.arrayBuffer() : new ArrayBuffer(0))).catch(() => new ArrayBuffer(0));
      const storageKey = this.getAttribute('storage-key') || this.id || null;
      const key = (storageKey || 'widget').trim();
      if (keys.has(key)) console.warn(`fangpin: two widgets on this page keep their drafts under one key (${key}); give each its own id or storage-key attribute, or what a person types in one is written over by the other`);
      keys.add(key);
      Promise.all([loading, policy]).then(([, policyBytes]) => {
        mount.textContent = '';
        mount_widget(mount, JSON.stringify({
          profile: this.getAttribute('profile'),
          lang: this.getAttribute('lang'),
          care: this.hasAttribute('care'),
          // The host's choice, else the receiver the widget's own site was published with.
          endpoint: this.getAttribute('endpoint') || (RECEIVER ? new URL(RECEIVER, SELF).href : null),
          storage_key: storageKey,
          widget_origin: SELF.origin,
        }), new Uint8Array(policyBytes));
      }).catch((err) => {
        console.warn('fangpin: the widget could not start', err);
        const call = document.createElement('a');
        call.href = 'tel:12317';
        call.textContent = '12317';
        mount.replaceChildren('自测工具没能打开。请拨打 ', call, ' 咨询。 The self-check could not start; please call 12317.');
      });
    };
    if (this.hasAttribute('lazy') && 'IntersectionObserver' in window) {
      const seen = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); start(); }
      }, { rootMargin: '200px' });
      seen.observe(this);
    } else {
      start();
    }
  }
}

if (!customElements.get('fangpin-selfcheck')) customElements.define('fangpin-selfcheck', FangpinSelfcheck);

// iframe form: size each frame of ours to every height it reports. The frame may have loaded before
// this script ran (a slow host script), so ask each one (it answers, and then tells every change);
// ask again whenever a frame loads a page.
window.addEventListener('message', (event) => {
  if (event.origin !== SELF.origin || event.data?.type !== 'fangpin:height') return;
  for (const frame of document.querySelectorAll('iframe[data-fangpin-frame]')) {
    if (frame.contentWindow === event.source) frame.style.height = `${Math.ceil(event.data.height)}px`;
  }
});
for (const frame of document.querySelectorAll('iframe[data-fangpin-frame]')) {
  const hello = () => frame.contentWindow?.postMessage({ type: 'fangpin:hello' }, SELF.origin);
  frame.addEventListener('load', hello);
  hello();
}
