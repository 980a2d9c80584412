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

/** Opens `page` again, as a new visit would: the app takes over at the stored household. */
async function opensStored(page) {
  await page.reload();
  await page.waitForSelector('[data-screen=members]');
}

/** Each of `checked` had no problems; then every window is closed. */
async function finish(t, checked, ...opened) {
  for (const o of checked) assertClean(t, o.problems);
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
  await finish(t, [a, b], a, b);
});

test('the start page switching language or large text in a window left open keeps the household typed in another', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(b.page, '李秀英');
  await a.page.click('[data-testid=lang-toggle]');
  await a.page.waitForSelector('[data-screen=members]');
  assert.equal(await name0(a.page), '李秀英');
  assert.equal((await stored(a.page)).form.members[0].name, '李秀英');
  await finish(t, [a], a, b);
});

test('two windows of the self-check follow each other: what one saves the other shows, and is not written over', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '王建国');
  // The second window takes over at the household (it is stored), as a new visit would.
  await opensStored(b.page);
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
  await finish(t, [a, b], a, b);
});

test('清除本机数据 in one window clears the other too: nothing it shows is saved back', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '陈芳');
  await opensStored(b.page);
  await b.page.click('[data-testid=clear]');
  await b.page.click('[data-testid=clear-confirm]');
  await b.page.waitForSelector('[data-screen=start]');
  await a.page.waitForSelector('[data-screen=start]', { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /另一个窗口里.*已经清除/);
  // The first window's next change saves its fresh start, not the household it showed.
  await a.page.click('[data-testid=lang-toggle]');
  await a.page.waitForFunction((k) => (localStorage.getItem(k) || '').includes('"lang":"en"'), KEY);
  assert.ok(!JSON.stringify(await stored(a.page)).includes('陈芳'), 'the cleared household was written back');
  await finish(t, [a, b], a, b);
});

test('a window that cannot read what another saved (a newer version) stops saving and says so', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '刘桂兰');
  // Another window of a newer version saves its own format.
  const newer = JSON.stringify({ version: 99, screen: 'members', form: { members: [{ name: '新版本' }] } });
  await b.page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, newer]);
  await a.page.waitForSelector('[data-testid=notice][data-unsaved]', { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /更新的版本.*不再保存/);
  await a.page.fill('#fp-m0-name', '刘桂兰二');
  await a.page.waitForSelector('[data-testid=save-failed]');
  assert.equal(await b.page.evaluate((k) => localStorage.getItem(k), KEY), newer, 'not written over');
  await finish(t, [a], a, b);
});

/** The first window's stored draft with the first member's name changed, written from that window
 * itself: a save it does not hear of, as when another window saved while it sat in the back-forward
 * cache. */
async function savedUnheard(page, name) {
  return page.evaluate(([k, n]) => {
    const d = JSON.parse(localStorage.getItem(k));
    d.form.members[0].name = n;
    const text = JSON.stringify(d);
    localStorage.setItem(k, text);
    return text;
  }, [KEY, name]);
}

test('a window that did not hear of another window\'s save does not write over it: its next change is held, and it says so', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '林小英');
  const other = await savedUnheard(a.page, '别的窗口');
  await a.page.fill('#fp-m0-age', '33');
  await a.page.waitForSelector('[data-testid=save-failed]');
  assert.match(await a.page.innerText('[data-testid=save-failed]'), /为了不覆盖.*没有保存/);
  assert.match(await a.page.innerText('[data-testid=notice]'), /不一样.*不再保存/);
  assert.equal(await a.page.evaluate((k) => localStorage.getItem(k), KEY), other, 'not written over');
  assert.equal(await name0(a.page), '林小英', 'what was typed here stays on screen');

  // Another window saves again: this one, holding entries not saved, keeps them rather than take it.
  await opensStored(b.page);
  await b.page.fill('#fp-m0-name', '别的窗口二');
  await b.page.waitForFunction((k) => (localStorage.getItem(k) || '').includes('别的窗口二'), KEY);
  await a.page.waitForTimeout(300);
  assert.equal(await name0(a.page), '林小英');
  assert.equal(await a.page.inputValue('#fp-m0-age'), '33');
  await screenshot(a.page, 'windows-held');
  await finish(t, [a], a, b);
});

test('a window shown again (back from the back-forward cache, a tab brought forward) looks at what is stored and takes it', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '黄大年');
  await savedUnheard(a.page, '黄大年改');
  await a.page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
  await a.page.waitForFunction(() => document.querySelector('#fp-m0-name')?.value === '黄大年改', null, { timeout: 10000 });
  assert.match(await a.page.innerText('[data-testid=notice]'), /另一个窗口里改过/);
  // Then its own change is saved as usual.
  await a.page.fill('#fp-m0-age', '45');
  await a.page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).form.members[0].age === '45', KEY);
  assert.equal((await stored(a.page)).form.members[0].name, '黄大年改');
  await finish(t, [a], a, b);
});

test('another document clearing its sessionStorage is not taken for 清除本机数据', async (t) => {
  const { a, b } = await twoWindows();
  await startAndName(a.page, '吴建华');
  // A same-origin frame in the same tab shares its sessionStorage: its clear reaches this document.
  await a.page.evaluate(async () => {
    const f = document.createElement('iframe');
    document.body.append(f);
    f.contentWindow.sessionStorage.setItem('x', '1');
    f.contentWindow.sessionStorage.clear();
    await new Promise((r) => setTimeout(r, 300));
    f.remove();
  });
  assert.equal(await name0(a.page), '吴建华');
  assert.equal(await a.page.locator('[data-testid=notice]').count(), 0);
  await finish(t, [a], a, b);
});

test('清除本机数据 on a start page left open keeps a report another window made that is still waiting', async (t) => {
  const { a, b } = await twoWindows();
  const entry = { key: 'pending-key-00001', reference: 'TPV-Y22-8V2', endpoint: 'http://127.0.0.1:9/api/v1/reports', body: '{}', created_ms: 1,
    attempts: 0, next_ms: Date.now() + 3600000, last_error: null, receipt: null, refused: null };
  // Another window made a report that waits (the line is down).
  await b.page.evaluate((e) => {
    localStorage.setItem('fangpin.outbox.v1', JSON.stringify({ version: 1, entries: [e] }));
    localStorage.setItem('fangpin.outbox.waiting.v1', '1');
  }, entry);
  await a.page.click('[data-testid=clear]');
  await a.page.click('[data-testid=clear-confirm]');
  await a.page.waitForFunction(() => !document.querySelector('[data-testid=clear-confirm]'));
  await a.page.waitForTimeout(500);
  const outbox = await a.page.evaluate(() => localStorage.getItem('fangpin.outbox.v1'));
  assert.ok(outbox && outbox.includes('pending-key-00001'), 'the waiting report was removed');
  await finish(t, [], a, b);
});
