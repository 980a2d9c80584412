// The start page: prerendered into index.html and made usable by a few kilobytes of wasm, so the first
// screen reads and works before the app's own module has arrived; the app takes over on 开始自测, or
// at once when a household is saved on the phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot, axe } from './harness.mjs';

const KEY = 'fangpin.draft.v1';
let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser({ serviceWorkers: 'block' }); });
after(async () => { await browser?.close(); await server?.stop(); });

/** Resource URLs the page has loaded so far. */
const loaded = (page) => page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
const appModuleLoaded = async (page) => (await loaded(page)).some((p) => /\/assets\/fangpin-[0-9a-f]+\.(js|wasm)$/.test(p));

/** Whether the app (fangpin-ui) has taken over the page: it empties the root the start page lives in. */
const appModuleStarted = (page) => page.evaluate(() => !document.querySelector('#fangpin-app > [data-test-prerendered]'));

/** The text a person sees in `selector` once it is scrolled to (empty while the browser skips it). */
const renderedText = (page, selector) => page.locator(selector).evaluate((el) => {
  el.scrollIntoView();
  return el.innerText;
});

test('the policy sheet below the first screen is left out of the first layout, then shown once the start page works', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await waitForApp(page);
  await page.waitForFunction(() => !document.querySelector('[data-prerendered]'), null, { timeout: 10000 });
  assert.equal(await page.locator('[data-testid=application-sheet]').evaluate((el) => getComputedStyle(el).contentVisibility), 'auto');
  assert.match(await renderedText(page, '[data-testid=application-sheet]'), /12317/);
  // The prerendered page itself asks for that: the sheet is skipped while the mark is on.
  const skipped = await page.evaluate(() => {
    document.querySelector('.fp-app').setAttribute('data-prerendered', '');
    return getComputedStyle(document.querySelector('[data-testid=application-sheet]')).contentVisibility;
  });
  assert.equal(skipped, 'hidden');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-testid=application-sheet]').evaluate((el) => getComputedStyle(el).contentVisibility), 'visible', 'printed whole');
  await page.emulateMedia({ media: null });
  assertClean(t, problems);
});

test('without any script the start screen is already there to read: the range, the three kinds, the hotlines', async () => {
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const context = await b.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await page.goto(server.url);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
    assert.equal(await page.locator('[data-screen=start] [data-category]').count(), 3);
    assert.match(await page.textContent('[data-testid=application-sheet]'), /12317/);
    assert.match(await renderedText(page, '[data-testid=application-sheet]'), /12317/, 'the sheet is shown, not only in the DOM');
    assert.equal(await page.locator('[data-app-ready]').count(), 0, 'not marked usable: its buttons need the start module');
    assert.match(await page.textContent('noscript'), /12317/);
    await screenshot(page, 'start-without-script');
  } finally {
    await b.close();
  }
});

test('the start page works on its own: picker, language, care mode, remembered across a reload', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await waitForApp(page);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitForApp(page);
  await axe(page, 'start page');
  // 开始自测 is on the first screen of a 390×844 phone, without scrolling.
  const startBox = await page.locator('[data-testid=start]').boundingBox();
  assert.ok(startBox && startBox.y + startBox.height <= 844, `开始自测 ends at ${startBox?.y + startBox?.height}px, below the first screen`);

  await page.selectOption('[data-testid=profile-picker]', '350526');
  assert.match(await page.textContent('[data-testid=monitoring-range]'), /19,560\.00/);
  assert.match(await page.textContent('[data-testid=profile]'), /德化县/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fp-profile', 'focus stays on the picker');

  await page.click('[data-testid=lang-toggle]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.title(), /Poverty-return monitoring/);
  assert.match(await page.textContent('[data-testid=start]'), /Start the self-check/);
  assert.match(await page.textContent('[data-testid=profile]'), /Dehua/);
  await page.click('[data-testid=care-toggle]');
  assert.equal(await page.getAttribute('[data-testid=care-toggle]', 'aria-pressed'), 'true');
  assert.ok(await page.locator('.fp-app.fp-care').count());
  await axe(page, 'start page, English, care mode');
  await screenshot(page, 'start-en-care');

  await page.reload();
  await waitForApp(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.textContent('[data-testid=monitoring-range]'), /19,560\.00/);
  assert.equal(await page.getAttribute('[data-testid=care-toggle]', 'aria-pressed'), 'true');
  // Nothing of this needed the app: with no service worker, only an idle-time prefetch may have
  // fetched it, and it has not been started (the start screen is still the start page's).
  assert.equal(await page.evaluate(() => typeof window.fangpinOpenApp), 'function');
  assert.equal(await page.locator('[data-screen=members]').count(), 0);
  assertClean(t, problems);
  await page.close();
});

test('开始自测 hands over to the app with the chosen profile, language and care mode', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await waitForApp(page);
  await page.evaluate((k) => { localStorage.clear(); localStorage.setItem(k, JSON.stringify({ version: 1, profile: 'minhou-2023', lang: 'en', care: true, screen: 'start' })); }, KEY);
  await page.reload();
  await waitForApp(page);
  assert.match(await page.textContent('[data-testid=profile]'), /Minhou/);
  await page.click('[data-testid=start]');
  await page.waitForSelector('[data-screen=members]', { timeout: 20000 });
  assert.ok(await appModuleLoaded(page), 'the app module was loaded');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fp-screen-title', 'focus on the new screen\'s title');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.getAttribute('[data-testid=care-toggle]', 'aria-pressed'), 'true');
  // One language switch changes the app's language once (the start page's listeners are gone).
  await page.click('[data-testid=lang-toggle]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const d = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
  assert.equal(d.profile, 'minhou-2023');
  assert.equal(d.screen, 'members');
  assert.equal(d.lang, 'zh');
  assert.equal(d.care, true);
  assert.ok(d.form, 'the app now owns the draft');
  await screenshot(page, 'start-handed-over');
  assertClean(t, problems);
  await page.close();
});

test('a household saved on the phone opens the app straight away, where the person left off', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await waitForApp(page);
  await page.evaluate((k) => {
    localStorage.clear();
    localStorage.setItem(k, JSON.stringify({ version: 1, profile: 'yongan-2023', lang: 'zh', care: false, screen: 'income', form: { members: [{ name: '张大山', relation: 'head', age: '52' }] } }));
  }, KEY);
  await page.reload();
  await page.waitForSelector('[data-screen=income]', { timeout: 20000 });
  assert.equal(await page.locator('[data-screen=start]').count(), 0);
  assertClean(t, problems);
  await page.close();
});

test('an app that started and sent nothing leaves no outbox behind: the next visit shows the start page again', async (t) => {
  const b = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const { page, problems } = await openPage(b.context, server.url);
    await page.click('[data-app-ready] [data-testid=start]');
    await page.waitForSelector('[data-screen=members] input');
    // The later file is here once the next step opens; the outbox has started by then.
    await page.click('[data-testid=next]');
    await page.waitForSelector('[data-screen=income] input');
    assert.equal(await page.evaluate(() => localStorage.getItem('fangpin.outbox.v1')), null, 'no outbox key without reports');
    await page.evaluate((k) => localStorage.removeItem(k), KEY);
    await page.close();
    // Another day: the start page, not the app (an outbox key would make the start page hand over at once).
    await b.context.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
      document.querySelector('#fangpin-app > .fp-app')?.setAttribute('data-test-prerendered', '');
    }));
    const again = await openPage(b.context, server.url);
    await again.page.waitForSelector('[data-app-ready] [data-testid=start]');
    await again.page.waitForTimeout(1000);
    assert.equal(await again.page.locator('[data-screen=start]').count(), 1);
    assert.equal(await appModuleStarted(again.page), false, 'the app did not take over');
    assertClean(t, problems);
    assertClean(t, again.problems);
  } finally {
    await b.close();
  }
});

test('a report already delivered does not keep the start page away; one still waiting opens the app to send it', async (t) => {
  const b = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const entry = (key, receipt) => ({ key, reference: 'TPV-Y22-8V2', endpoint: `${server.url}api/v1/reports`, body: '{}', created_ms: 1,
      attempts: 0, next_ms: 1, last_error: null, receipt, refused: null });
    const delivered = { reference: 'TPV-Y22-8V2', received_at: '2026-11-28T00:00:00Z', idempotency_key: 'delivered-key-0001', status: 'received' };
    await b.context.addInitScript(() => document.addEventListener('DOMContentLoaded', () => {
      document.querySelector('#fangpin-app > .fp-app')?.setAttribute('data-test-prerendered', '');
    }));
    const { page } = await openPage(b.context, server.url);
    await page.waitForSelector('[data-app-ready] [data-testid=start]');
    await page.evaluate((e) => {
      localStorage.setItem('fangpin.outbox.v1', JSON.stringify({ version: 1, entries: [e] }));
      localStorage.setItem('fangpin.outbox.waiting.v1', '0');
    }, entry('delivered-key-0001', delivered));
    await page.reload();
    await page.waitForSelector('[data-app-ready] [data-testid=start]');
    await page.waitForTimeout(800);
    assert.equal(await appModuleStarted(page), false, 'the start page, not the app');
    // An outbox of the version before the marker, with a report waiting: the app opens at once.
    await page.evaluate((e) => {
      localStorage.setItem('fangpin.outbox.v1', JSON.stringify({ version: 1, entries: [e] }));
      localStorage.removeItem('fangpin.outbox.waiting.v1');
    }, entry('pending-key-00001', null));
    await page.reload();
    await page.waitForFunction(() => !document.querySelector('#fangpin-app > [data-test-prerendered]'));
    assert.equal(await appModuleStarted(page), true, 'the app took over to send it');
    await page.waitForFunction(() => localStorage.getItem('fangpin.outbox.waiting.v1') !== null);
  } finally {
    await b.close();
  }
});

test('清除本机数据 on the start page clears what it saved and says so', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await waitForApp(page);
  await page.selectOption('[data-testid=profile-picker]', '350526');
  await page.evaluate(() => localStorage.setItem('fangpin.draft.aside.1', '{broken'));
  await page.click('[data-testid=clear]');
  await page.click('[data-testid=clear-confirm]');
  await page.waitForSelector('[data-testid=notice]');
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.'))), []);
  assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/, 'back to the default profile');
  await axe(page, 'start page after clearing');
  assertClean(t, problems);
  await page.close();
});
