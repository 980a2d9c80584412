// The first page proves the chain: Rust → optimised wasm → our server → real Chromium at phone size.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('the app mounts in Chinese with the Yong\'an profile read through the core', async (t) => {
  const { page, problems } = await openPage(browser.context, server.url);
  await waitForApp(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.title(), /防止返贫/);
  const profile = await page.textContent('[data-testid=profile]');
  assert.match(profile, /永安市/);
  assert.match(profile, /2023/);
  // The figure comes from policy-data/yongan-2023.toml through the core, formatted by Money::display_yuan.
  assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
  assert.match(await page.textContent('[data-testid=range-note]'), /以永安市乡村振兴局公布的监测范围为准/);
  assert.equal(await page.locator('#fp-loading').count(), 0, 'the loading message is gone');
  await screenshot(page, 'first-page');
  assertClean(t, problems);
});

test('the page shell tells people without JavaScript or WebAssembly what to do', async () => {
  const res = await fetch(server.url);
  const html = await res.text();
  assert.match(html, /<noscript>[\s\S]*最新版[\s\S]*12317[\s\S]*<\/noscript>/);
  const boot = html.match(/<script type="module" src="([^"]+)"/)[1];
  const bootJs = await (await fetch(new URL(boot, server.url))).text();
  assert.match(bootJs, /typeof WebAssembly/);
  assert.match(bootJs, /浏览器版本太旧/);
});

test('without WebAssembly the page says so in Chinese instead of failing silently', async (t) => {
  const page = await browser.context.newPage();
  await page.addInitScript(() => { delete globalThis.WebAssembly; });
  await page.goto(server.url);
  await page.waitForSelector('[role=alert]');
  assert.match(await page.textContent('#fangpin-app'), /浏览器版本太旧[\s\S]*WebAssembly/);
  await page.close();
});

test('the server sends the wasm compressed, typed and cached, and the HTML revalidated', async () => {
  const html = await fetch(server.url);
  assert.equal(html.headers.get('cache-control'), 'no-cache');
  assert.match(html.headers.get('content-security-policy'), /default-src 'self'/);
  const boot = (await html.text()).match(/src="(assets\/boot-[^"]+)"/)[1];
  const bootJs = await (await fetch(new URL(boot, server.url))).text();
  const wasmName = bootJs.match(/fangpin-[0-9a-f]+\.wasm/)[0];
  const wasm = await fetch(new URL(`assets/${wasmName}`, server.url), { headers: { 'accept-encoding': 'br' } });
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'br');
  assert.match(wasm.headers.get('cache-control'), /immutable/);
});
