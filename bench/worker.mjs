// Worker mode with a large village (issue 13): 300 households stored, on the slow phone's CPU (4×).
// Measures what the worker waits for: unlocking, the list after unlocking, search as they type, and
// opening a household. Used by bench/run.mjs; `node bench/worker.mjs` runs it alone (site built, server
// binary as in scripts/bench).
//
// Honest means: the 299 extra households are stored exactly as the app stores them — each sealed with
// AES-GCM under the key derived from the worker's PIN, its name as additional data — from a record the
// app itself wrote through its form; the app then reads them back as it always does. DevTools' CPU
// throttling slows the page's main thread but not WebCrypto's native PBKDF2, so the unlock figure for
// the slow phone adds three more times the measured key derivation (4× in all), instead of reporting
// the unthrottled time.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, startServer, launchBrowser } from '../tests/e2e/harness.mjs';
import { setUpWorker } from '../tests/e2e/worker-steps.mjs';

const CPU = 4;
const HOUSEHOLDS = 300;
const PIN = '246810';
export const WORKER_TARGETS = { unlock_ms_max: 1000, list_after_unlock_ms_max: 300, search_frames_max: 1, open_household_ms_max: 300 };

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function evaluate(cdp, expression) {
  const r = await cdp.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
  if (r.exceptionDetails) throw new Error(`page: ${r.exceptionDetails.exception?.description || r.exceptionDetails.text}`);
  return r.result.value;
}

async function until(cdp, expression, what, ms = 60000) {
  for (const deadline = Date.now() + ms; ; await sleep(10)) {
    const v = await evaluate(cdp, expression);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`worker bench: ${what} did not happen within ${ms / 1000} s`);
  }
}

// In the page: seal `n - 1` copies of the app's one record under its key, as the app does.
const SEED = `async (pin, n) => {
  const open = () => new Promise((ok, no) => { const r = indexedDB.open('fangpin-worker'); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  const req = (r) => new Promise((ok, no) => { r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
  const db = await open();
  const store = (mode) => db.transaction('sealed', mode).objectStore('sealed');
  const meta = await req(store('readonly').get('meta'));
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(pin), 'PBKDF2', false, ['deriveKey']);
  const t0 = performance.now();
  const key = await crypto.subtle.deriveKey({ name: 'PBKDF2', salt: meta.salt, iterations: meta.iterations, hash: 'SHA-256' }, base, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  const deriveMs = performance.now() - t0;
  const name = (await req(store('readonly').getAllKeys())).find((k) => k.startsWith('r:'));
  const sealed = await req(store('readonly').get(name));
  const aad = (s) => new TextEncoder().encode(s);
  const record = JSON.parse(new TextDecoder().decode(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: aad(name) }, key, sealed.data)));
  const family = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑';
  const given = ['建国', '秀英', '春花', '大山', '桂兰', '志强', '美玲', '德明', '小红', '国庆'];
  const statuses = ['unfinished', 'screened_no_risk', 'application_ready', 'delivered'];
  const values = [];
  for (let i = 1; i < n; i += 1) {
    const r = structuredClone(record);
    r.id = 'bench-' + String(i).padStart(4, '0');
    r.draft.form.members[0].name = family[i % family.length] + given[i % given.length] + (i >= 200 ? '二' : '');
    r.draft.form.wage = String((i * 977) % 60000);
    r.started_ms = r.changed_ms = Date.now() - i * 60000;
    r.status = statuses[i % statuses.length];
    const k = 'r:' + r.id;
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: aad(k) }, key, new TextEncoder().encode(JSON.stringify(r))));
    values.push([k, { iv, data }]);
  }
  await new Promise((ok, no) => { const tx = db.transaction('sealed', 'readwrite'); for (const [k, v] of values) tx.objectStore('sealed').put(v, k); tx.oncomplete = ok; tx.onerror = () => no(tx.error); });
  db.close();
  return deriveMs;
}`;

/** Runs the worker bench against `url` (a server of the built site); returns the figures. */
export async function workerBench(url) {
  const b = await launchBrowser();
  try {
    const page = await b.context.newPage();
    page.on('pageerror', (e) => console.error(`  page error: ${e.message}`));
    await page.goto(`${url}?mode=worker`);
    // The worker as a person would: who they are, the PIN, one household through the form.
    await setUpWorker(page, { pin: PIN, timeout: 60000 });
    await page.click('[data-testid=worker-add]');
    await page.fill('#fp-m0-name', '王建国');
    await page.fill('#fp-m0-age', '52');
    await page.check('#fp-m0-labour-0');
    await page.click('[data-testid=next]');
    await page.fill('#fp-wage', '8000');
    await page.click('[data-testid=worker-back]');
    await page.waitForSelector('[data-screen=worker-list]');
    const deriveMs = await page.evaluate(`(${SEED})(${JSON.stringify(PIN)}, ${HOUSEHOLDS})`);
    await page.close();

    // A new page on the slow CPU, as the worker opens the phone again.
    const slow = await b.context.newPage();
    const cdp = await b.context.newCDPSession(slow);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
    await slow.goto(`${url}?mode=worker`);
    await until(cdp, `!!document.querySelector('[data-screen=worker-unlock] #fp-w-unlock')`, 'the unlock screen');
    // Unlock: the tap → the vault open and read (the app marks it) → 300 rows drawn.
    const unlock = await evaluate(cdp, `new Promise((done) => {
      const input = document.querySelector('#fp-w-unlock');
      input.value = ${JSON.stringify(PIN)};
      input.dispatchEvent(new Event('input', { bubbles: true }));
      const t0 = performance.now();
      document.querySelector('[data-testid=worker-unlock]').click();
      // The list is drawn a page at a time: done when its count says all 300 and the first page is there.
      const check = () => {
        const rows = document.querySelectorAll('[data-testid=worker-row]').length;
        const count = document.querySelector('[data-testid=worker-count]')?.textContent || '';
        if (rows > 0 && count.includes('共 ${HOUSEHOLDS} 户')) {
          const open = performance.getEntriesByName('fangpin:vault-open').at(-1)?.startTime;
          done({ unlock_ms: open - t0, list_ms: performance.now() - open, rows: Number(count.match(/共 (\\d+) 户/)[1]), drawn: rows });
        } else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })`);
    // Search as the worker types one character: how many frames until the list shows the answer.
    const search = [];
    // Each term changes what the list shows (so the answer can be seen): 15 王, 15 李, none, all again.
    for (const text of ['王', '李', '刘春', '']) {
      search.push(await evaluate(cdp, `new Promise((done) => {
        const box = document.querySelector('[data-testid=worker-search]');
        const names = () => [...document.querySelectorAll('[data-testid=worker-row] h3')].map((h) => h.textContent).join('|') + document.querySelector('[data-testid=worker-count]').textContent;
        const before = names();
        const t0 = performance.now();
        box.value = ${JSON.stringify(text)};
        box.dispatchEvent(new Event('input', { bubbles: true }));
        let frames = 0;
        const check = () => {
          frames += 1;
          const now = names();
          if (now !== before || frames > 30) done({ text: ${JSON.stringify(text)}, frames, ms: performance.now() - t0, shown: document.querySelector('[data-testid=worker-count]').textContent });
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      })`));
    }
    // Open a household from the list: the tap → its step's first field accepts text.
    const open = await evaluate(cdp, `new Promise((done) => {
      const t0 = performance.now();
      document.querySelector('[data-testid=worker-row] [data-testid=worker-open]').click();
      const check = () => {
        if (document.querySelector('[data-testid=worker-recordbar]') && document.querySelector('.fp-screen input:not([disabled])')) done(performance.now() - t0);
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })`);
    const unlockSlow = unlock.unlock_ms + (CPU - 1) * deriveMs;
    const report = {
      households: unlock.rows,
      rows_drawn_first: unlock.drawn,
      cpu_throttling: CPU,
      key_derivation_ms_unthrottled: Math.round(deriveMs),
      unlock_ms_measured: Math.round(unlock.unlock_ms),
      unlock_ms_slow_phone: Math.round(unlockSlow),
      list_after_unlock_ms: Math.round(unlock.list_ms),
      search: search.map((s) => ({ ...s, ms: Math.round(s.ms) })),
      search_frames_max: Math.max(...search.map((s) => s.frames)),
      open_household_ms: Math.round(open),
    };
    report.met = {
      unlock: report.unlock_ms_slow_phone <= WORKER_TARGETS.unlock_ms_max,
      list_after_unlock: report.list_after_unlock_ms <= WORKER_TARGETS.list_after_unlock_ms_max,
      search: report.search_frames_max <= WORKER_TARGETS.search_frames_max,
      open_household: report.open_household_ms <= WORKER_TARGETS.open_household_ms_max,
    };
    return report;
  } finally {
    await b.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startServer({ site: join(ROOT, 'target', 'site') });
  try {
    console.log(JSON.stringify(await workerBench(server.url), null, 2));
  } finally {
    await server.stop();
  }
}
