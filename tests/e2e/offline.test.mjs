// Offline and WeChat: after one visit the app opens with no network; a new version is picked up and
// announced; a WeChat user agent and a browser without service workers still get a working app.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE, startServer, launchBrowser, openPage, waitForApp, controlled, assertClean, screenshot } from './harness.mjs';

// A Huawei phone's WeChat in-app browser (X5/XWeb), as seen in the wild.
export const WECHAT_UA = 'Mozilla/5.0 (Linux; Android 10; HMA-AL00 Build/HUAWEIHMA-AL00; wv) AppleWebKit/537.36 '
  + '(KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 Mobile Safari/537.36 XWEB/5197 MMWEBSDK/20230504 '
  + 'MMWEBID/9308 MicroMessenger/8.0.37.2380(0x2800253D) WeChat/arm64 Weixin NetType/4G Language/zh_CN ABI/arm64';

let site, server;
before(async () => {
  // A private copy of the site, so the update test can change it.
  site = mkdtempSync(join(tmpdir(), 'fangpin-site-'));
  cpSync(SITE, site, { recursive: true });
  server = await startServer({ site });
});
after(async () => { await server?.stop(); rmSync(site, { recursive: true, force: true }); });

test('after one visit the app opens and works with no network', async (t) => {
  const browser = await launchBrowser();
  try {
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    await controlled(page);
    await browser.context.setOffline(true);
    // The app's own files offline: the policy (its own file) and the later wasm file (the result)
    // come from the service worker's cache.
    const fromWorker = new Map();
    page.on('response', (r) => {
      const m = new URL(r.url()).pathname.match(/\/assets\/(policy-[0-9a-f]+\.bin|fangpin-later-[0-9a-f]+\.wasm)$/);
      if (m) fromWorker.set(m[1].split('-')[0] + (m[1].endsWith('.bin') ? '' : '-later'), r.fromServiceWorker() && r.ok());
    });
    await page.reload();
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
    assert.equal(await page.evaluate(() => navigator.onLine), false);
    // …and it assesses with no network: three people, 12,000 wages + 8,000 farming − 2,000 costs.
    const member = (name, relation, age) => ({ name, relation, age: String(age), labour: 'full', medical_insurance: true });
    const form = {
      members: [member('张大山', 'head', 52), member('李秀英', 'spouse', 50), member('张小明', 'child', 15)],
      wage: '12000', business: '8000', business_costs: '2000',
    };
    await page.evaluate((d) => localStorage.setItem('fangpin.draft.v1', JSON.stringify(d)),
      { version: 1, profile: 'yongan-2023', lang: 'zh', care: false, screen: 'result', form });
    await page.reload();
    await waitForApp(page);
    assert.match(await page.innerText('[data-testid=result-summary]'), /6,000\.00/); // 18,000 ÷ 3
    assert.deepEqual(Object.fromEntries(fromWorker), { policy: true, 'fangpin-later': true }, 'policy file and later wasm from the cache');
    await screenshot(page, 'offline-reload');
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

test('a new version replaces the old cache and the person is told', async (t) => {
  const browser = await launchBrowser();
  try {
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    await controlled(page);
    const before = await page.evaluate(() => caches.keys());
    assert.equal(before.length, 1);
    // Publish a "new build": a service worker with another version (drop the stale precompressed copies).
    const sw = join(site, 'sw.js');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const VERSION = '([^']+)'/, "const VERSION = '$1-next'"));
    rmSync(`${sw}.br`, { force: true });
    rmSync(`${sw}.gz`, { force: true });
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForSelector('#fp-update[role=status]', { timeout: 15000 });
    assert.match(await page.textContent('#fp-update'), /新版本.*您填写的内容已保存在本机/);
    await page.waitForFunction((old) => caches.keys().then((k) => k.length === 1 && k[0] !== old), before[0]);
    await screenshot(page, 'update-banner');
    // Storage full: what is typed now is not saved, and updating would lose it. The bar says so and asks.
    await page.evaluate(() => document.getElementById('fp-update').remove());
    await page.click('[data-testid=start]');
    await page.evaluate(() => {
      let chunk = 'x'.repeat(1 << 20), n = 0;
      for (;;) {
        try { localStorage.setItem(`fill.${n}`, chunk); n += 1; } catch {
          if (chunk.length < 16) break;
          chunk = chunk.slice(0, chunk.length / 2);
        }
      }
    });
    await page.fill('[data-screen=members] input[id$="-name"]', '张大山'.repeat(200));
    await page.waitForSelector('[data-testid=save-failed]');
    writeFileSync(sw, readFileSync(sw, 'utf8').replace(/const VERSION = '([^']+)'/, "const VERSION = '$1-again'"));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForSelector('#fp-update[role=status]', { timeout: 15000 });
    assert.match(await page.textContent('#fp-update'), /这台手机没能保存您填的内容：现在换新版本，没保存的内容会丢失/);
    assert.doesNotMatch(await page.textContent('#fp-update'), /已保存在本机/);
    page.once('dialog', (d) => d.dismiss());
    await page.click('#fp-update button');
    assert.equal(await page.inputValue('[data-screen=members] input[id$="-name"]'), '张大山'.repeat(200), 'declined: nothing reloaded');
    await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fill.')).forEach((k) => localStorage.removeItem(k)));
    page.once('dialog', (d) => d.accept());
    await page.click('#fp-update button');
    await waitForApp(page);
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

test('inside WeChat (its user agent) the app works', async (t) => {
  const browser = await launchBrowser({ userAgent: WECHAT_UA });
  try {
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    assert.match(await page.evaluate(() => navigator.userAgent), /MicroMessenger/);
    assert.match(await page.textContent('[data-testid=profile]'), /永安市/);
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

test('with service workers blocked the app still works online', async (t) => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=profile]'), /永安市/);
    assert.equal(await page.evaluate(() => navigator.serviceWorker?.controller ?? null), null);
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

/** The page's problems other than the aborted fetches of the later wasm file a test blocked. */
const besidesTheBlockedLaterFile = (list) => list.filter((p) => !/fangpin-later-|ERR_INTERNET_DISCONNECTED|Failed to fetch/.test(p));

test('on a first visit that loses the line, the later screens say so and open once it is back; nothing typed is lost', async (t) => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    // The later wasm file cannot be fetched (the line dropped after the first file came).
    let blocked = true;
    await browser.context.route('**/assets/fangpin-later-*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
    const { page, problems } = await openPage(browser.context, server.url);
    await page.click('[data-app-ready] [data-testid=start]');
    const name = page.locator('[data-screen=members] input').first();
    await name.fill('张大山');
    await page.click('[data-testid=next]');
    const failed = page.locator('[data-testid=later-failed]');
    await failed.waitFor();
    assert.match(await failed.innerText(), /没能打开/);
    assert.match(await failed.innerText(), /都还在/);
    await screenshot(page, 'later-failed');
    blocked = false;
    await failed.locator('button').click();
    await page.waitForSelector('[data-screen=income] input');
    assert.equal(await failed.count(), 0);
    // Back to the first step: the name is there.
    await page.click('[data-testid=back]');
    assert.equal(await page.locator('[data-screen=members] input').first().inputValue(), '张大山');
    // The aborted fetches are the only problems the page had.
    assert.deepEqual(besidesTheBlockedLaterFile(problems()), []);
  } finally {
    await browser.close();
  }
});

test('a draft with a household is read once the later file is here; while it cannot come, the page says so, keeps the draft untouched and opens it on 再试一次', async (t) => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const { page, problems } = await openPage(browser.context, server.url);
    await page.click('[data-app-ready] [data-testid=start]');
    await page.locator('[data-screen=members] input').first().fill('张大山');
    await page.click('[data-testid=next]');
    await page.fill('#fp-wage', '１２０００');
    const stored = await page.evaluate(() => localStorage.getItem('fangpin.draft.v1'));
    assert.match(stored, /１２０００/);

    // The next visit, on a line that lost the later file (no service worker, no HTTP cache for it).
    let blocked = true;
    await browser.context.route('**/assets/fangpin-later-*.wasm', (route) => (blocked ? route.abort('internetdisconnected') : route.continue()));
    await page.evaluate(() => caches.keys().then((ks) => Promise.all(ks.map((k) => caches.delete(k)))));
    await page.reload();
    const waits = page.locator('[data-testid=draft-waits]');
    await waits.waitFor();
    assert.match(await waits.innerText(), /都还在这台手机上/);
    assert.match(await waits.innerText(), /still on this phone/);
    await screenshot(page, 'draft-waits');
    // Nothing was read over or set aside meanwhile.
    assert.equal(await page.evaluate(() => localStorage.getItem('fangpin.draft.v1')), stored);
    assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.includes('aside'))), []);

    blocked = false;
    await waits.locator('button').click();
    await page.waitForSelector('[data-screen=income] input');
    assert.equal(await page.inputValue('#fp-wage'), '１２０００');
    await page.click('[data-testid=back]');
    assert.equal(await page.locator('[data-screen=members] input').first().inputValue(), '张大山');
    assert.deepEqual(besidesTheBlockedLaterFile(problems()), []);
  } finally {
    await browser.close();
  }
});
