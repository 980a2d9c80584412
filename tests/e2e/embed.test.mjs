// The widget on other sites: one script line and one element, in a shadow root that the host's CSS
// cannot break and whose CSS cannot leak out; two on a page, lazy ones, another origin, and an iframe.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, copyFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SITE, startServer, launchBrowser, openPage, assertClean, screenshot } from './harness.mjs';
import { HOUSEHOLD_A, draft } from './households.mjs';

const TOKEN = 'staff-token-for-embed-tests-0123456789';

/**
 * The "government site": another origin (another port), with its own strict CSP that adds exactly the
 * lines README tells a city's web team to add for the widget's origin.
 */
async function startHost(dir) {
  let appOrigin = '';
  const server = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1) || 'index.html';
    let body;
    try { body = readFileSync(join(dir, name)); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'content-type': name.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' ${appOrigin} 'wasm-unsafe-eval'; `
        + `style-src 'self' ${appOrigin}; connect-src 'self' ${appOrigin}; frame-src ${appOrigin}; img-src 'self' data:`,
    });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return { url, origin: new URL(url).origin, setApp: (o) => { appOrigin = o; }, stop: () => new Promise((r) => server.close(r)) };
}

let app, host, hostDir, browser;
before(async () => {
  browser = await launchBrowser();
  hostDir = mkdtempSync(join(tmpdir(), 'fangpin-host-'));
  host = await startHost(hostDir);
  app = await startServer({ extraArgs: ['--embed-origin', host.origin, '--db', join(hostDir, 'reports.sqlite3')], env: { FANGPIN_STAFF_TOKEN: TOKEN } });
  host.setApp(app.origin);
  const pages = {
    'widget.html': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>县政府</title><link rel="icon" href="data:,">
      <link rel="stylesheet" href="host-example.css"><script type="module" src="${app.url}embed.js"></script></head>
      <body><h1 class="gov-title">县政府网站</h1><fangpin-selfcheck id="w" profile="minhou-2023"></fangpin-selfcheck></body></html>`,
    'frame.html': `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府</title><link rel="icon" href="data:,">
      <script type="module" src="${app.url}embed.js"></script></head>
      <body><iframe data-fangpin-frame title="防止返贫自测" src="${app.url}index.html" width="390" height="150"></iframe></body></html>`,
  };
  // A widget that names the self-check's own receiver, and one that names a third origin.
  pages['report.html'] = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
      <meta name="viewport" content="width=device-width, initial-scale=1"><title>县政府</title><link rel="icon" href="data:,">
      <script type="module" src="${app.url}embed.js"></script></head>
      <body><h1>县政府网站</h1>
      <fangpin-selfcheck id="own" endpoint="${app.url}api/v1/reports"></fangpin-selfcheck>
      <fangpin-selfcheck id="elsewhere" endpoint="https://reports.elsewhere.example/api/v1/reports"></fangpin-selfcheck></body></html>`;
  for (const [name, html] of Object.entries(pages)) writeFileSync(join(hostDir, name), html);
  copyFileSync(join(SITE, 'host-example.css'), join(hostDir, 'host-example.css'));
});
after(async () => {
  await browser?.close();
  await app?.stop();
  await host?.stop();
  rmSync(hostDir, { recursive: true, force: true });
});

const ready = (page, sel = 'fangpin-selfcheck') => page.locator(`${sel} [data-app-ready]`).first().waitFor({ timeout: 20000 });

test('the example host page shows the widget, styled as itself, and keeps its own styles', async (t) => {
  const { page, problems } = await openPage(browser.context, `${app.url}embed-example.html`);
  await ready(page);
  const widget = page.locator('fangpin-selfcheck');
  assert.match(await widget.locator('[data-testid=profile]').innerText(), /永安市/);
  // The host's rude rules (12px yellow buttons, 62.5% root font) do not reach inside.
  const inside = await widget.locator('[data-testid=care-toggle]').evaluate((b) => {
    const s = getComputedStyle(b);
    const text = getComputedStyle(b.closest('.fp-app'));
    return { size: parseFloat(text.fontSize), bg: s.backgroundColor, h: b.getBoundingClientRect().height };
  });
  assert.ok(inside.size >= 18, `widget text is ${inside.size}px`);
  assert.ok(inside.h >= 44, `widget target is ${inside.h}px high`);
  assert.notEqual(inside.bg, 'rgb(255, 255, 0)');
  // The widget's .fp-button and .fp-card rules do not reach the host's elements of the same names.
  const outside = await page.locator('#host-button').evaluate((b) => {
    const s = getComputedStyle(b);
    return { size: parseFloat(s.fontSize), bg: s.backgroundColor, radius: s.borderTopLeftRadius };
  });
  assert.deepEqual(outside, { size: 12, bg: 'rgb(255, 255, 0)', radius: '0px' });
  await screenshot(page, 'embed-example');
  assertClean(t, problems);
});

test('two widgets on one page keep their own language and drafts; a lazy one waits until seen', async (t) => {
  const { page, problems } = await openPage(browser.context, `${app.url}embed-example.html`);
  await ready(page);
  await page.evaluate(() => {
    const spacer = document.createElement('div');
    spacer.style.height = '3000px';
    const second = document.createElement('fangpin-selfcheck');
    second.id = 'second';
    second.setAttribute('lang', 'en');
    second.setAttribute('care', '');
    second.setAttribute('lazy', '');
    document.body.append(spacer, second);
  });
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#second [data-app-ready]').count(), 0, 'not started before it is seen');
  await page.locator('#second').scrollIntoViewIfNeeded();
  await ready(page, '#second');
  assert.match(await page.locator('#second [data-testid=profile]').innerText(), /Yong'an/);
  assert.match(await page.locator('#selfcheck [data-testid=profile]').innerText(), /永安市/);
  assert.equal(await page.locator('#second .fp-care').count(), 1, 'care mode from the attribute');
  assert.equal(await page.locator('#selfcheck .fp-care').count(), 0);
  // Switching the first widget's language leaves the second (and the host page) alone.
  await page.locator('#selfcheck [data-testid=lang-toggle]').click();
  assert.match(await page.locator('#selfcheck [data-testid=profile]').innerText(), /Yong'an/);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  const keys = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.draft')).sort());
  assert.equal(keys.length, 2, `one draft per widget: ${keys}`);
  assertClean(t, problems);
});

test('a second widget under the same storage key is named to the web team in the console', async (t) => {
  const { page, problems } = await openPage(browser.context, `${app.url}embed-example.html`);
  const warnings = [];
  page.on('console', (msg) => { if (msg.type() === 'warning') warnings.push(msg.text()); });
  await ready(page);
  assert.deepEqual(warnings.filter((w) => /under one key/.test(w)), [], 'one widget is not warned about');
  // The page's own widget has the id "selfcheck": another one keeping its draft there too.
  await page.evaluate(() => {
    const twin = document.createElement('fangpin-selfcheck');
    twin.id = 'twin';
    twin.setAttribute('storage-key', 'selfcheck');
    document.body.append(twin);
  });
  await ready(page, '#twin');
  // (Console messages reach the test a moment after the page logs them.)
  for (let i = 0; i < 40 && !warnings.some((w) => /under one key/.test(w)); i += 1) await page.waitForTimeout(50);
  const said = warnings.filter((w) => /under one key \(selfcheck\)/.test(w));
  assert.equal(said.length, 1, `warnings: ${warnings}`);
  assert.match(said[0], /own id or storage-key/);
  assertClean(t, problems);
});

test('a government site on another origin embeds it with one line, with the profile it names', async (t) => {
  const { page, problems } = await openPage(browser.context, `${host.url}widget.html`, { allowOrigins: [app.origin] });
  await ready(page);
  assert.match(await page.locator('fangpin-selfcheck [data-testid=profile]').innerText(), /闽侯县/);
  assert.match(await page.locator('fangpin-selfcheck [data-testid=monitoring-range]').innerText(), /10,560\.00/);
  await screenshot(page, 'embed-cross-origin');
  assertClean(t, problems);
});

test('the iframe form grows to its content', async (t) => {
  const { page, problems } = await openPage(browser.context, `${host.url}frame.html`, { allowOrigins: [app.origin] });
  const frame = page.frameLocator('iframe[data-fangpin-frame]');
  await frame.locator('[data-app-ready]').waitFor({ timeout: 20000 });
  await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height > 600);
  const h = await page.locator('iframe').evaluate((f) => f.clientHeight);
  const inner = await frame.locator('html').evaluate((el) => el.scrollHeight);
  assert.ok(Math.abs(h - inner) <= 2, `frame ${h}px for content ${inner}px`);
  assertClean(t, problems);
});

test('on another origin, a widget sends its report to the self-check\'s own server when the host names it, never to a third origin; focus follows its screens', async (t) => {
  const { page, problems } = await openPage(browser.context, `${host.url}report.html`, { allowOrigins: [app.origin] });
  await ready(page, '#own');
  await page.evaluate((d) => {
    localStorage.setItem('fangpin.draft.v1.own', d);
    localStorage.setItem('fangpin.draft.v1.elsewhere', d);
  }, JSON.stringify(draft(HOUSEHOLD_A, { phone: '13812345678', village: '洪田村' })));
  await page.reload();
  await ready(page, '#own');
  await ready(page, '#elsewhere');

  await page.click('#own [data-testid=to-application]');
  await page.waitForSelector('#own [data-screen=application] [data-testid=sheet]');
  const focused = await page.evaluate(() => document.querySelector('#own').shadowRoot.activeElement?.id);
  assert.equal(focused, 'fp-screen-title', 'the new screen\'s title has the focus, inside the shadow root');
  await page.click('#own [data-testid=one-click-prepare]');
  assert.match(await page.textContent('#own [data-testid=consent]'), new RegExp(`${app.origin.replace(/[.]/g, '\\.')}/api/v1/reports`));
  const reference = (await page.textContent('#own [data-testid=reference]')).trim();
  await page.click('#own [data-testid=one-click-send]');
  await page.waitForSelector('#own [data-testid=outbox-status][data-state=delivered]', { timeout: 20000 });
  const r = await fetch(`${app.origin}/api/v1/reports`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.ok((await r.json()).reports.some((x) => x.reference === reference), 'the report reached the self-check server');

  // The third origin is refused: that widget offers the profile's own way (the provincial app), not a send.
  await page.click('#elsewhere [data-testid=to-application]');
  await page.waitForSelector('#elsewhere [data-screen=application] [data-testid=sheet]');
  // (Its household has a name and a phone: nothing but the origin keeps the button away.)
  assert.equal(await page.locator('#elsewhere [data-testid=one-click-missing]').count(), 0);
  assert.equal(await page.locator('#elsewhere [data-testid=one-click-prepare]').count(), 0);
  assert.equal(await page.locator('#elsewhere [data-testid=one-click-direct]').count(), 0, 'the card gives the profile\'s way alone');
  assert.doesNotMatch(await page.textContent('#elsewhere [data-testid=channels]'), /elsewhere\.example/);
  await screenshot(page, 'embed-report');
  assertClean(t, problems);
});
