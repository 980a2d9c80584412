// The floor's boot: start the module, or say why not. (The app's web/boot.js also registers the
// service worker and loads its start page first.)
import init from './{{GLUE}}';

init({ module_or_path: new URL('./{{WASM}}', import.meta.url) }).catch((err) => {
  console.warn('floor: start failed', err);
  document.getElementById('fangpin-app').textContent = 'This browser cannot run WebAssembly.';
});
