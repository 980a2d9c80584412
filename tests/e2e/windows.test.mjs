// Two windows of the page on one phone (a tab left open, a link tapped again from WeChat): they share
// the phone's storage, and neither may write its older entries over what the other saved since.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot } from './harness.mjs';

const KEY = 'fangpin.draft.v1';
let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser({ serviceWorkers: 'block' }); });
after(async () => { await browser?.close(); await server?.stop(); });

const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), KEY);
const name0 = (page) => page.inputValue('#fp-m0-name');

/** Two windows on the start page, with nothing stored. */
async function twoWindows() {
  const a = await openPage(browser.context, server.url);
  await waitForApp(a.page);
  await a.page.evaluate(() => localStorage.clear());
  await a.page.reload();
  await waitForApp(a.page);
  const b = await openPage(browser.context, server.url);
  await waitForApp(b.page);
  return { a, b };
}

/** Starts the self-check in `page` and types a first member's name (then waits until it is saved). */
async function startAndName(page, name) {
  await page.click('[data-testid=start]');
  await page.waitForSelector('[data-screen=members]');
  await page.fill('#fp-m0-name', name);
  await page.waitForFunction(([k, n]) => (localStorage.getItem(k) || '').includes(n), [KEY, name]);
}

async function closeAll(...opened) {
  for (const o of opened) await o.page.close();
}

test('a start page left open in another window does not write over a household typed since: 开始自测 there opens it', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(b.page, '张大山');
  // Back to the first window, still on the start screen: the person taps 开始自测 there.
  await a.page.click('[data-testid=start]');
  await a.page.waitForSelector('[data-screen=members]');
  assert.equal(await name0(a.page), '张大山', 'the household typed in the other window');
  assert.equal((await stored(a.page)).form.members[0].name, '张大山', 'still stored');
  assertClean(t, a.problems);
  assertClean(t, b.problems);
  await closeAll(a, b);
});

test('the start page switching language or large text in a window left open keeps the household typed in another', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(b.page, '李秀英');
  await a.page.click('[data-testid=lang-toggle]');
  await a.page.waitForSelector('[data-screen=members]');
  assert.equal(await name0(a.page), '李秀英');
  assert.equal((await stored(a.page)).form.members[0].name, '李秀英');
  assertClean(t, a.problems);
  await closeAll(a, b);
});

test('two windows of the self-check follow each other: what one saves the other shows, and is not written over', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '王建国');
  // The second window takes over at the household (it is stored), as a new visit would.
  await b.page.reload();
  await b.page.waitForSelector('[data-screen=members]');
  assert.equal(await name0(b.page), '王建国');

  // Typed in the second window: the first shows it, and says why its page changed.
  await b.page.fill('#fp-m0-name', '王建国老');
  await a.page.waitForFunction(() => document.querySelector('#fp-m0-name')?.value === '王建国老', null, { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /另一个窗口里改过/);
  await screenshot(a.page, 'windows-changed-in-other');

  // Then in the first again: its entry is added to the other's, not put in place of it.
  await a.page.fill('#fp-m0-age', '70');
  await b.page.waitForFunction(() => document.querySelector('#fp-m0-age')?.value === '70', null, { timeout: 10000 });
  const d = await stored(b.page);
  assert.equal(d.form.members[0].name, '王建国老');
  assert.equal(d.form.members[0].age, '70');
  assert.equal(await name0(b.page), '王建国老');
  assertClean(t, a.problems);
  assertClean(t, b.problems);
  await closeAll(a, b);
});

test('清除本机数据 in one window clears the other too: nothing it shows is saved back', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '陈芳');
  await b.page.reload();
  await b.page.waitForSelector('[data-screen=members]');
  await b.page.click('[data-testid=clear]');
  await b.page.click('[data-testid=clear-confirm]');
  await b.page.waitForSelector('[data-screen=start]');
  await a.page.waitForSelector('[data-screen=start]', { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /另一个窗口里.*已经清除/);
  // The first window saved nothing back: the household is gone from the phone.
  await a.page.waitForTimeout(300);
  assert.ok(!JSON.stringify(await stored(a.page) ?? '').includes('陈芳'), 'the cleared household was written back');
  assertClean(t, a.problems);
  assertClean(t, b.problems);
  await closeAll(a, b);
});

test('a window that cannot read what another saved (a newer version) stops saving and says so', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '刘桂兰');
  // Another window of a newer version saves its own format.
  const newer = JSON.stringify({ version: 99, screen: 'members', form: { members: [{ name: '新版本' }] } });
  await b.page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, newer]);
  await a.page.waitForSelector('[data-testid=notice][data-unsaved]', { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /读不了.*不再保存/);
  await a.page.fill('#fp-m0-name', '刘桂兰二');
  await a.page.waitForSelector('[data-testid=save-failed]');
  assert.equal(await b.page.evaluate((k) => localStorage.getItem(k), KEY), newer, 'not written over');
  assertClean(t, a.problems);
  await closeAll(a, b);
});
