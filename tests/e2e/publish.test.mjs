// A city publishes a new year's figures (issue 11): one new file in policy-data/ and one command of the
// shipped `fangpin` binary, into a site that is already built and served. A phone that visited before
// (its service worker holds the old site) gets the new figure on its next online visit; the same
// county's draft moves to the profile in force; the start page picks the year by the phone's date.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SITE, startServer, launchBrowser, openPage, waitForApp, controlled, assertClean, screenshot } from './harness.mjs';
import { HOUSEHOLD_A, draft } from './households.mjs';

const CLI = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'debug', 'fangpin');
const KEY = 'fangpin.draft.v1';
// The day of the test, in Beijing: inside the fixture's 2026, outside every shipped profile's year.
const TODAY = new Date('2026-12-01T10:00:00+08:00');

let dir, site, policy, server;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-publish-'));
  // A private copy of the built site and of policy-data/, with the city's new file added.
  site = join(dir, 'site');
  cpSync(SITE, site, { recursive: true });
  policy = join(dir, 'policy-data');
  cpSync(join(ROOT, 'policy-data'), policy, { recursive: true });
  server = await startServer({ site, extraArgs: ['--db', join(dir, 'r.sqlite3')] });
});
after(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

const publish = (...extra) => spawnSync(CLI, ['publish-policy', policy, site, '--date', '2026-12-01', ...extra], { encoding: 'utf8' });
const text = async (page, sel) => (await page.innerText(sel)).replace(/\s+/g, ' ').trim();

test('bad policy data is refused and the served site stays as it was', () => {
  const before = ['index.html', 'sw.js', 'embed.js'].map((f) => readFileSync(join(site, f), 'utf8'));
  const bad = join(policy, 'yongan-2026.toml');
  writeFileSync(bad, readFileSync(join(ROOT, 'tests/fixtures/policy/yongan-2026.toml'), 'utf8').replace('amount = "11280"', 'amount = "十一千"'));
  const out = publish();
  rmSync(bad);
  assert.equal(out.status, 1, out.stdout + out.stderr);
  assert.match(out.stderr, /yongan-2026\.toml/);
  assert.match(out.stderr, /nothing was published/);
  assert.deepEqual(['index.html', 'sw.js', 'embed.js'].map((f) => readFileSync(join(site, f), 'utf8')), before);
});

test('a new year published into the served site reaches a phone that visited before, on its next online visit', async (t) => {
  const browser = await launchBrowser();
  try {
    await browser.context.clock.setFixedTime(TODAY);
    // The first visit: the service worker keeps this site for offline use.
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    await controlled(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
    assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), true, '2023 figures in 2026: said so');
    // The person starts on a household (it names last year's profile).
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, JSON.stringify(draft(HOUSEHOLD_A))]);

    // The city's web team: one new file, one command.
    copyFileSync(join(ROOT, 'tests/fixtures/policy/yongan-2026.toml'), join(policy, 'yongan-2026.toml'));
    const out = execFileSync(CLI, ['publish-policy', policy, site, '--date', '2026-12-01'], { encoding: 'utf8' });
    assert.match(out, /published assets\/policy-[0-9a-f]+\.bin/);
    assert.match(out, /opens with yongan-2026/);

    // Next online visit: the old site comes from the phone's cache at once, the new one installs beside
    // it and the person is told; taking it shows this year's figures.
    await page.reload();
    await page.waitForSelector('#fp-update[role=status]', { timeout: 20000 });
    await page.click('#fp-update button');
    await waitForApp(page);
    await page.waitForSelector('[data-testid=result-summary]');
    assert.match(await text(page, '[data-testid=result-summary]'), /11,280\.00/, 'the new figure');
    assert.equal(await page.locator('[data-testid=result-summary] [data-testid=policy-period]').count(), 0, 'in force: no "other year" notice');
    const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
    assert.equal(stored.profile, 'yongan-2026', 'the draft moved to the profile in force');
    await screenshot(page, 'published-2026-result');

    // The start page, prerendered by the publish step, shows the new year too.
    await page.evaluate((k) => localStorage.removeItem(k), KEY);
    await page.reload();
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /11,280\.00/);
    assert.match(await page.textContent('[data-testid=profile]'), /2026年·测试/);
    assert.equal((await page.textContent('[data-testid=profile-picker] option[selected]')).trim(), '福建省三明市永安市', 'the picker names the place; the date the year');
    assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), false);
    await screenshot(page, 'published-2026-start');

    // And it is kept for offline use like the rest.
    await browser.context.setOffline(true);
    await page.reload();
    await waitForApp(page);
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-screen=members]', { timeout: 20000 });
    assert.equal(await page.evaluate((k) => JSON.parse(localStorage.getItem(k)).profile, KEY), 'yongan-2026');
    await browser.context.setOffline(false);
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

test('a year published ahead of time starts on its first day, by the phone\'s date, with no new publish', async (t) => {
  // The city publishes 2026 in mid-2025: until 1 January the start page and the app keep 2023's
  // figures (and say they are not this year's); from then on, 2026's.
  const out = publish('--date', '2025-06-01');
  assert.equal(out.status, 0, out.stdout + out.stderr);
  assert.match(out.stdout, /opens with yongan-2023/);
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    await browser.context.clock.setFixedTime(new Date('2025-06-01T10:00:00+08:00'));
    const { page, problems } = await openPage(browser.context, server.url);
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
    assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), true, '2023 figures in 2025');

    await browser.context.clock.setFixedTime(new Date('2026-01-01T08:00:00+08:00'));
    await page.reload();
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /11,280\.00/, 'the new year, from its first day');
    assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), false);
    // Dehua has only 2024: the picker still offers it, with its notice.
    await page.selectOption('[data-testid=profile-picker]', '350526');
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /19,560\.00/);
    assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), true);
    await page.selectOption('[data-testid=profile-picker]', '350481');
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /11,280\.00/);
    // Clearing goes back to the default county's profile for the phone's date, not the publish date's.
    await page.selectOption('[data-testid=profile-picker]', '350526');
    await page.click('[data-testid=clear]');
    await page.click('[data-testid=clear-confirm]');
    await page.waitForSelector('[data-testid=notice]');
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /11,280\.00/);
    await page.click('[data-testid=start]');
    await page.waitForSelector('[data-screen=members]', { timeout: 20000 });
    assert.equal(await page.evaluate((k) => JSON.parse(localStorage.getItem(k)).profile, KEY), 'yongan-2026');
    assertClean(t, problems);
  } finally {
    await browser.close();
  }
});

test('without its policy file the app says so, in plain words, with the hotline', async (t) => {
  const browser = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const page = await browser.context.newPage();
    await page.route('**/assets/policy-*.bin', (route) => route.fulfill({ status: 503, body: 'busy' }));
    await page.goto(server.url);
    await waitForApp(page);
    await page.click('[data-testid=start]');
    await page.waitForSelector('#fangpin-app [role=alert]', { timeout: 20000 });
    const said = await page.innerText('#fangpin-app');
    assert.match(said, /政策数据没有载入，请稍后再试，或拨打 12317 咨询/);
    assert.equal(await page.getAttribute('#fangpin-app [role=alert] a', 'href'), 'tel:12317', 'the number is a tap-to-call link');
    assert.match(said, /The policy data did not load/);
    assert.equal(await page.locator('#fangpin-app [data-crashed]').count(), 0, 'not a crash');
    await screenshot(page, 'policy-file-missing');
  } finally {
    await browser.close();
  }
});
