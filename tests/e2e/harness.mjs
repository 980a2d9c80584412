// Shared browser-test harness: the project's own server on a free port, Debian's Chromium driven by
// playwright-core at a phone viewport, and a watch that fails the test on any console error, any
// uncaught exception, and any request to an origin other than the page's own.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SITE = process.env.FANGPIN_SITE || join(ROOT, 'target', 'site');
export const SERVER_BIN = process.env.FANGPIN_SERVER_BIN || join(ROOT, 'target', 'debug', 'fangpin-server');
/** Screenshots land here (git-ignored); look at them after a run. */
export const SCREENSHOTS = join(ROOT, 'tests', 'artifacts', 'screenshots');
export const PHONE = { width: 390, height: 844 };

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/** Starts the project's server on 127.0.0.1 with a free port; `stop()` ends it. */
export async function startServer({ site = SITE, extraArgs = [], env = {} } = {}) {
  const child = spawn(SERVER_BIN, ['--site', site, '--port', '0', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15000);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = line.match(/(http:\/\/127\.0\.0\.1:\d+\/)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 3000).unref();
  });
  return { url, origin: new URL(url).origin, stop, child };
}

/** A fresh Chromium profile (so storage and service workers start empty) at a phone viewport. */
export async function launchBrowser({ viewport = PHONE, userAgent, serviceWorkers = 'allow', offline = false } = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'fangpin-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
    viewport,
    deviceScaleFactor: 2,
    locale: 'zh-CN',
    userAgent,
    serviceWorkers,
    offline,
  });
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}

/**
 * Opens `url` in a new page and records every problem the page shows: console errors, uncaught
 * exceptions, failed loads and requests to any other origin. Call `problems()` at the end (or use
 * `assertClean`).
 */
export async function openPage(context, url, { allowOrigins = [] } = {}) {
  const page = await context.newPage();
  const problems = [];
  const own = new URL(url).origin;
  const allowed = new Set([own, ...allowOrigins]);
  page.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  page.on('pageerror', (err) => problems.push(`uncaught: ${err.message}`));
  page.on('request', (req) => {
    const u = new URL(req.url());
    if (u.protocol === 'data:' || u.protocol === 'blob:') return;
    if (!allowed.has(u.origin)) problems.push(`request to another origin: ${req.url()}`);
  });
  await page.goto(url);
  return { page, problems: () => problems.slice() };
}

export function assertClean(t, problems) {
  const list = problems();
  if (list.length) throw new Error(`the page had problems:\n  ${list.join('\n  ')}`);
}

/** Waits for the app to replace its loading message. */
export async function waitForApp(page) {
  await page.waitForSelector('#fangpin-app [data-app-ready]', { timeout: 20000 });
}

/**
 * Waits until the service worker is active and controls `page`, so an offline reload is served from its cache.
 * A worker that finished activating while the page was being reloaded has nothing left to claim it with: then the
 * page is reloaded once, as a person's next visit would be. Fails (instead of hanging) after 30 s, saying what state
 * the worker is in.
 */
export async function controlled(page) {
  const check = () => page.evaluate(async () => {
    const done = (async () => {
      await navigator.serviceWorker.ready;
      if (!navigator.serviceWorker.controller) {
        await Promise.race([
          new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })),
          new Promise((r) => setTimeout(r, 5000)),
        ]);
      }
      return navigator.serviceWorker.controller ? 'controlled' : 'active, not controlling';
    })();
    const late = new Promise((r) => setTimeout(async () => {
      const reg = await navigator.serviceWorker.getRegistration();
      r(`not controlled after 30 s: registration ${reg ? `installing=${reg.installing?.state} waiting=${reg.waiting?.state} active=${reg.active?.state}` : 'none'}`);
    }, 30000));
    return Promise.race([done, late]);
  });
  let state = await check();
  if (state === 'active, not controlling') {
    await page.reload();
    await waitForApp(page);
    state = await check();
  }
  assert.equal(state, 'controlled');
}

export async function screenshot(page, name) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

// Evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline script tags.
let axeSource;
/** axe-core on the whole page, with every "why"/"more" opened so their contents are checked too. */
export async function axe(page, label) {
  axeSource ??= readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = false; }));
  const summary = result.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  assert.deepEqual(summary, [], `axe violations on ${label}`);
}
