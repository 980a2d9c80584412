// Policy fidelity on screen and paper (issue 11): the provisional range says so on the result and the
// application; figures not in force today say which year they are, with a number to call; a key
// group is sent to the village, never told to wait; a benefit already received is said as such;
// every phone number is a tap-to-call link; a failed try is explained in plain words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot, axe } from './harness.mjs';
import { HOUSEHOLD_A, draft } from './households.mjs';

const KEY = 'fangpin.draft.v1';
let server, browser, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-policy-'));
  server = await startServer({ extraArgs: ['--db', join(dir, 'r.sqlite3')] });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

async function seeded(d, { clock } = {}) {
  const page = await browser.context.newPage();
  if (clock) await page.clock.setFixedTime(new Date(clock));
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(server.url);
  await waitForApp(page);
  await page.evaluate(([k, v]) => { localStorage.clear(); if (v) localStorage.setItem(k, v); }, [KEY, d ? JSON.stringify(d) : null]);
  await page.reload();
  await waitForApp(page);
  return { page, problems: () => problems };
}
const text = async (page, sel) => (await page.innerText(sel)).replace(/\s+/g, ' ').trim();

test('the provisional Yong\'an range says so, with its reason, on the result and on the application', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A));
  const note = page.locator('[data-testid=result-summary] [data-testid=range-note]');
  assert.equal(await note.getAttribute('data-provisional'), 'true');
  assert.match(await note.innerText(), /暂定数字/);
  assert.match(await note.innerText(), /以永安市乡村振兴局公布的监测范围为准/);
  assert.match(await note.innerText(), /还没有找到永安市/, 'the reason travels with the flag');
  // A rule with a borrowed figure is marked where the rule is shown.
  await page.click('[data-testid=to-application]');
  await page.waitForSelector('[data-screen=application] [data-testid=sheet]');
  const sheetNote = page.locator('[data-testid=sheet] [data-testid=range-note]');
  assert.equal(await sheetNote.getAttribute('data-provisional'), 'true');
  assert.match(await sheetNote.innerText(), /还没有找到永安市/);
  await page.emulateMedia({ media: 'print' });
  assert.ok(await sheetNote.isVisible(), 'printed too');
  await page.emulateMedia({ media: 'screen' });
  assertClean(t, problems);
  await page.close();
});

test('figures of another year say so, with a number to call, on the start screen and the result; not in their own year', async (t) => {
  // Today (2026): the only Yong'an profile is 2023's.
  let { page, problems } = await seeded(null);
  const start = page.locator('[data-screen=start] [data-testid=policy-period]');
  assert.ok(await start.isVisible(), 'shown on the start screen');
  assert.match(await start.innerText(), /2023年的政策数字，今年的可能不一样/);
  assert.equal(await start.locator('a[href^="tel:"]').getAttribute('href'), 'tel:0598-3851238');
  // 开始自测 is still on the first screen of a phone.
  const bottom = await page.locator('[data-testid=start]').evaluate((b) => b.getBoundingClientRect().bottom);
  assert.ok(bottom <= 844, `开始自测 ends at ${bottom}px`);
  await screenshot(page, 'policy-period-start');
  await page.evaluate(([k, v]) => { localStorage.setItem(k, v); }, [KEY, JSON.stringify(draft(HOUSEHOLD_A))]);
  await page.reload();
  await waitForApp(page);
  const result = page.locator('[data-testid=result-summary] [data-testid=policy-period]');
  assert.match(await result.innerText(), /2023年的政策数字（2023-01-01 到 2023-12-31），不是今年的/);
  assert.ok(await result.locator('a[href="tel:0598-3851238"]').count(), 'a tap-to-call link');
  await axe(page, 'result with the period notice');
  assertClean(t, problems);
  await page.close();
  // In 2023 the same pages say nothing of it.
  ({ page, problems } = await seeded(null, { clock: '2023-06-01T10:00:00+08:00' }));
  assert.equal(await page.locator('[data-screen=start] [data-testid=policy-period]').isVisible(), false, 'hidden in its own year');
  await page.evaluate(([k, v]) => { localStorage.setItem(k, v); }, [KEY, JSON.stringify(draft(HOUSEHOLD_A))]);
  await page.reload();
  await waitForApp(page);
  assert.equal(await page.locator('[data-testid=result-summary] [data-testid=policy-period]').count(), 0);
  assertClean(t, problems);
  await page.close();
});

test('a key group above the range is sent to the village, never told to wait; a benefit received is said so; every number can be tapped', async (t) => {
  const above = {
    ...HOUSEHOLD_A, wage: '50000',
    members: [...HOUSEHOLD_A.members.slice(0, 2), { ...HOUSEHOLD_A.members[2], dibao: 'this_year' }],
  };
  const { page, problems } = await seeded(draft(above));
  assert.equal(await page.getAttribute('[data-testid=category]', 'data-outcome'), 'household_visit');
  const all = await text(page, '[data-screen=result]');
  assert.match(all, /逐户排查/);
  assert.doesNotMatch(all, /情况变化时再申报/);
  assert.ok(await page.locator('[data-testid=to-application]').isVisible(), 'the way to apply is there');
  for (const a of await page.locator('[data-testid=hotlines] a').all()) assert.match(await a.getAttribute('href'), /^tel:/);
  assert.equal(await page.locator('[data-testid=hotlines] a').count(), 2);
  await screenshot(page, 'policy-key-group');
  await page.close();
  // Already on dibao (since before this year) and unable to work: dibao is "您家已享受".
  const elderly = {
    ...HOUSEHOLD_A, wage: '0', business: '0', business_costs: '', transfer: '26000', housing: 'C',
    members: [{ ...HOUSEHOLD_A.members[0], age: '78', labour: 'none', dibao: 'before' }, { ...HOUSEHOLD_A.members[1], age: '76', labour: 'none', serious_illness: false }],
    monitored: true,
  };
  const second = await seeded(draft(elderly));
  const dibao = second.page.locator('[data-measure=dibao]');
  assert.equal(await dibao.getAttribute('data-status'), 'already_received');
  assert.match(await dibao.innerText(), /您家已享受/);
  assertClean(t, problems);
  assertClean(t, second.problems);
  await second.page.close();
});

test('a one-click report that could not go out says why in plain Chinese, and the receipt time is Beijing time', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A, { phone: '13812345678', village: '洪田村', address: '洪田村3组12号' }));
  await page.goto(`${server.url}?endpoint=/api/v1/reports`);
  await waitForApp(page);
  await page.click('[data-testid=to-application]');
  await page.waitForSelector('[data-testid=one-click-prepare]');
  await browser.context.setOffline(true);
  try {
    await page.click('[data-testid=one-click-prepare]');
    await page.click('[data-testid=one-click-send]');
    await page.waitForSelector('[data-testid=last-error]', { timeout: 20000 });
    const why = await text(page, '[data-testid=last-error]');
    assert.match(why, /^上次没发出去：没有连上报送系统（可能是网络不通，也可能是报送系统暂时没开），会自动再试（已试 \d+ 次）。$/);
    assert.doesNotMatch(why, /Failed to fetch|TypeError/);
  } finally {
    await browser.context.setOffline(false);
  }
  // The button is drawn again at every status change; a click through the DOM cannot miss it.
  await page.evaluate(() => document.querySelector('[data-testid=retry-now]')?.click());
  await page.waitForSelector('[data-testid=outbox-status][data-state=delivered]', { timeout: 20000 });
  assert.match(await text(page, '[data-testid=receipt-time]'), /^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/);
  const expected = problems().filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p));
  assert.deepEqual(expected, []);
  await page.close();
});
