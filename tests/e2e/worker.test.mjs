// Worker mode (issue 13): a grid worker screens a village on one phone. Five households with different
// outcomes survive a reload and a closed page with their status and collector; three are sent offline and
// delivered once each when the line is back; the CSV parses back without formulas; a villager's QR handoff
// received twice is one record; nothing typed is in the phone's storage in plain text; a wrong PIN shows
// nothing; idle locks; a villager on the same phone sees only their own draft; axe and care mode hold.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, SITE, startServer, launchBrowser, openPage, waitForApp, controlled, screenshot, axe } from './harness.mjs';
import { HOUSEHOLD_B, APPLY_B, draft, idFor } from './households.mjs';
import { setUpWorker } from './worker-steps.mjs';

const TOKEN = 'staff-token-for-worker-tests-0123456789';
const PIN = '246810';
const WORKER = '?mode=worker&endpoint=/api/v1/reports';
const EXPECTED_NETWORK = /Failed to load resource: net::ERR_(INTERNET_DISCONNECTED|CONNECTION_REFUSED|CONNECTION_RESET|FAILED)/;

let dir, server;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-worker-'));
  server = await startServer({ extraArgs: ['--db', join(dir, 'w.sqlite3')], env: { FANGPIN_STAFF_TOKEN: TOKEN } });
});
after(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

const clean = (problems, { network = false } = {}) =>
  assert.deepEqual(problems().filter((p) => !(network && EXPECTED_NETWORK.test(p))), [], 'the page had problems');

async function staffRows() {
  const r = await fetch(`${server.origin}/api/v1/reports`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200);
  return (await r.json()).reports;
}

/** States who the worker is and sets the PIN (the phone full-width and spaced, as people type it). */
const setUp = (page) => setUpWorker(page, { pin: PIN, phone: '１３８ ００００ ００００' });

async function unlock(page, pin = PIN) {
  await page.waitForSelector('[data-screen=worker-unlock]', { timeout: 30000 });
  await page.fill('#fp-w-unlock', pin);
  await page.click('[data-testid=worker-unlock]');
}

/** Adds a household through the form: `members` [name, age], the year's wages; to the result. */
async function addHousehold(page, members, wage, { finish = true } = {}) {
  await page.click('[data-testid=worker-add]');
  await page.waitForSelector('[data-screen=members]');
  for (let i = 0; i < members.length; i += 1) {
    if (i > 0) await page.click('[data-testid=add-member]');
    await page.fill(`#fp-m${i}-name`, members[i][0]);
    await page.fill(`#fp-m${i}-age`, String(members[i][1]));
    await page.check(`#fp-m${i}-labour-0`);
  }
  await page.click('[data-testid=next]');
  await page.waitForSelector('[data-screen=income]');
  await page.fill('#fp-wage', wage);
  if (finish) {
    for (const s of ['spending', 'guarantees', 'situations', 'result']) {
      await page.click('[data-testid=next]');
      await page.waitForSelector(`[data-screen=${s}]`);
    }
  }
}

/** The application's own facts (phone, the head's ID number), then back to the list. */
async function applicationFacts(page, phone, id) {
  await page.click('[data-testid=to-application]');
  await page.waitForSelector('[data-screen=application]');
  await page.fill('#fp-ap-phone', phone);
  await page.fill('#fp-ap-id-0', id);
  await page.click('[data-testid=worker-back]');
  await page.waitForSelector('[data-screen=worker-list]');
}

/** The list as shown: name → [outcome, status]. */
async function rows(page) {
  return page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-testid=worker-row]')].map((r) => [
    r.querySelector('h3').textContent.trim(),
    [r.querySelector('[data-testid=worker-row-outcome]').textContent.trim(), r.querySelector('[data-testid=worker-row-status]').textContent.trim()],
  ])));
}

/** Everything the site stored on the phone: localStorage, and every IndexedDB value as raw bytes. */
async function storedBytes(page) {
  return page.evaluate(async () => {
    const out = [];
    for (let i = 0; i < localStorage.length; i += 1) { const k = localStorage.key(i); out.push(k, localStorage.getItem(k)); }
    const hex = (u8) => [...u8].map((b) => b.toString(16).padStart(2, '0')).join('');
    for (const info of await indexedDB.databases()) {
      const db = await new Promise((ok, no) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = () => no(r.error); });
      for (const store of db.objectStoreNames) {
        const values = await new Promise((ok) => { const r = db.transaction(store).objectStore(store).getAll(); r.onsuccess = () => ok(r.result); });
        for (const v of values) {
          for (const [k, x] of Object.entries(v)) out.push(k, x instanceof Uint8Array ? `hex:${hex(x)}` : String(x));
        }
      }
      db.close();
    }
    return out.join('\n');
  });
}

const utf8hex = (s) => Buffer.from(s, 'utf8').toString('hex');

/** A CSV as Excel reads it: BOM, quoted cells, doubled quotes. */
function parseCsv(text) {
  assert.ok(text.startsWith('\uFEFF'), 'UTF-8 with BOM');
  const out = [[]];
  let cell = '', quoted = false;
  for (let i = 1; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 1; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.at(-1).push(cell); cell = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      out.at(-1).push(cell); cell = ''; out.push([]);
    } else cell += c;
  }
  if (cell || out.at(-1).length) out.at(-1).push(cell); else out.pop();
  return out;
}

test('a worker screens five households, sends three offline once each, exports the CSV and receives a handoff once', async (t) => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await setUp(page);
    assert.match(await page.textContent('[data-testid=worker-collector]'), /林网格（网格员） · 燕西街道吉峰村/);
    await axe(page, 'the worker list (empty)');
    // Five households of 吉峰村, different outcomes; one with no risk, one left unfinished. The third head's
    // name starts with "=": the CSV must not turn it into a formula.
    await addHousehold(page, [['王富贵', 45], ['陈美', 44]], '90000');
    await page.click('[data-testid=worker-back]');
    await addHousehold(page, [['张大山', 52], ['李秀英', 50]], '1000');
    await applicationFacts(page, '13905981231', idFor(52, 1));
    await addHousehold(page, [['=刘一+1', 70]], '0');
    await applicationFacts(page, '13905981232', idFor(70, 2));
    await addHousehold(page, [['赵二', 38], ['孙三', 36], ['赵小', 9]], '3000');
    await applicationFacts(page, '13905981233', idFor(38, 3));
    await addHousehold(page, [['周五', 30]], '100000', { finish: false });
    await page.click('[data-testid=worker-back]');
    await page.waitForSelector('[data-screen=worker-list]');
    let list = await rows(page);
    assert.deepEqual(Object.keys(list).sort(), ['=刘一+1', '周五', '张大山', '王富贵', '赵二'].sort());
    assert.deepEqual(list['王富贵'], ['暂无风险', '已排查（无风险）']);
    assert.equal(list['周五'][1], '未完成');
    for (const n of ['张大山', '=刘一+1', '赵二']) assert.equal(list[n][1], '已生成申请', n);
    const outcomes = new Set(Object.values(list).map((r) => r[0]));
    assert.ok(outcomes.size >= 2, `different outcomes: ${[...outcomes]}`);
    assert.match(await page.textContent('[data-testid=worker-summary-counts]'), /共 5 户，已排查 4 户/);
    await screenshot(page, 'worker-list');
    await axe(page, 'the worker list');

    // Search as the worker types, and the filters.
    await page.fill('[data-testid=worker-search]', '大山');
    assert.deepEqual(Object.keys(await rows(page)), ['张大山']);
    await page.fill('[data-testid=worker-search]', '');
    await page.selectOption('[data-testid=worker-filter-status]', { label: '未完成' });
    assert.deepEqual(Object.keys(await rows(page)), ['周五']);
    await page.selectOption('[data-testid=worker-filter-status]', '0');

    // Reload: locked, then all five back with status and collector; then a closed and reopened page.
    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    assert.deepEqual(await rows(page), list);
    await page.close();
    const again = await openPage(b.context, server.url + WORKER);
    await unlock(again.page);
    await again.page.waitForSelector('[data-screen=worker-list]');
    assert.deepEqual(await rows(again.page), list);
    // Opening a household goes back to the step where the worker left it, and names who collected it.
    await again.page.click('[data-testid=worker-row]:has(h3:text-is("周五")) [data-testid=worker-open]');
    await again.page.waitForSelector('[data-screen=income]');
    assert.equal(await again.page.inputValue('#fp-wage'), '100000');
    assert.match(await again.page.textContent('[data-testid=worker-open-collector]'), /采集人：林网格（网格员）/);
    await axe(again.page, 'an open household in worker mode');
    await again.page.click('[data-testid=worker-back]');

    // Three applications sent while offline: waiting; back online: delivered, one row each on the server.
    const p2 = again.page;
    await b.context.setOffline(true);
    await p2.click('[data-testid=worker-send-all]');
    await p2.click('[data-testid=worker-send-confirm]');
    await p2.waitForFunction(() => [...document.querySelectorAll('[data-testid=worker-row-status]')].filter((s) => s.textContent.includes('待发送')).length === 3);
    assert.equal((await staffRows()).length, 0);
    assert.match(await p2.textContent('[data-testid=worker-send-progress]'), /还有 3 户待发送/);
    await b.context.setOffline(false);
    await p2.waitForFunction(() => [...document.querySelectorAll('[data-testid=worker-row-status]')].filter((s) => s.textContent.includes('已送达')).length === 3, null, { timeout: 90000 });
    list = await rows(p2);
    const reports = await staffRows();
    assert.equal(reports.length, 3, 'one row per household');
    assert.equal(new Set(reports.map((r) => r.idempotency_key)).size, 3);
    for (const n of ['张大山', '=刘一+1', '赵二']) {
      const receipt = list[n][1].match(/回执 (\S+)）/)?.[1];
      assert.ok(receipt && reports.some((r) => r.reference === receipt), `${n}: delivered with its receipt (${list[n][1]})`);
    }
    // Sending again sends nothing more.
    assert.equal(await p2.locator('[data-testid=worker-send-all]').count(), 0);
    await p2.reload();
    await unlock(p2);
    await p2.waitForSelector('[data-screen=worker-list]');
    await p2.waitForTimeout(500);
    assert.equal((await staffRows()).length, 3);

    // The CSV: one row per household, the intake's headers, no formula.
    const [download] = await Promise.all([p2.waitForEvent('download'), p2.click('[data-testid=worker-export-csv]')]);
    const csv = parseCsv(readFileSync(await download.path(), 'utf8'));
    assert.deepEqual(csv[0].slice(0, 14), ['户主', '身份证号', '电话', '乡镇', '村', '人口', '人均纯收入（元）', '监测范围（元）', '风险', '类别', '状态', '采集人', '录入人', '采集时间']);
    assert.equal(csv.length, 6);
    const byHead = Object.fromEntries(csv.slice(1).map((r) => [r[0], r]));
    assert.deepEqual(Object.keys(byHead).sort(), ["'=刘一+1", '周五', '张大山', '王富贵', '赵二'].sort());
    assert.ok(csv.slice(1).every((r) => !/^[=+\-@]/.test(r[0]) && r[3] === '燕西街道' && r[4] === '吉峰村' && r[11] === '林网格（网格员）'));
    assert.equal(byHead['张大山'][1], `="${idFor(52, 1)}"`, 'the ID number as text');
    assert.equal(byHead['张大山'][10], '已送达');
    assert.equal(byHead['王富贵'][5], '2');
    // …and the members' sheet: one row per person, joined by the head.
    const [dl2] = await Promise.all([p2.waitForEvent('download'), p2.click('[data-testid=worker-export-members]')]);
    const members = parseCsv(readFileSync(await dl2.path(), 'utf8'));
    assert.equal(members[0][2], '姓名');
    assert.equal(members.length, 1 + 2 + 2 + 1 + 3 + 1);
    assert.deepEqual(members.filter((r) => r[0] === '赵二').map((r) => r[2]), ['赵二', '孙三', '赵小']);
    assert.ok(members.slice(1).every((r) => !/^[=+\-@]/.test(r[2])), 'no formula in a name');

    // A villager's QR handoff, received twice: one record.
    const villager = await launchBrowser();
    let link;
    try {
      const v = await openPage(villager.context, server.url);
      await waitForApp(v.page);
      await v.page.evaluate((d) => { localStorage.setItem('fangpin.draft.v1', JSON.stringify(d)); }, draft(HOUSEHOLD_B, APPLY_B));
      await v.page.reload();
      await waitForApp(v.page);
      await v.page.click('[data-testid=to-application]');
      link = await v.page.getAttribute('[data-testid=qr]', 'data-link');
    } finally {
      await villager.close();
    }
    const digits = link.split('#a=')[1];
    for (let i = 0; i < 2; i += 1) {
      await p2.goto('about:blank'); // a scanned code opens a page; it is not a jump within this one
      // The second time as the villager's code opens it, without worker mode in the address: on
      // a worker's phone it goes to the list (never into the plain page's draft).
      await p2.goto(i === 0 ? `${server.url}${WORKER}#a=${digits}` : link);
      if (i === 1) await p2.waitForURL(/mode=worker/);
      await unlock(p2);
      await p2.waitForSelector('[data-testid=worker-notice]');
      assert.match(await p2.textContent('[data-testid=worker-notice]'), i === 0 ? /已收到村民的交接/ : /已经在名单里/);
    }
    // The handoff's digits (its whole application, in the QR's code) are nowhere in plain storage.
    assert.ok(!(await p2.evaluate((d) => Object.keys(localStorage).some((k) => localStorage.getItem(k).includes(d.slice(0, 40))), digits)), 'no handoff in plain text');
    list = await rows(p2);
    assert.equal(Object.keys(list).length, 6);
    assert.ok('王建国' in list, 'the handoff names its head');
    assert.equal(list['王建国'][1], '已生成申请', 'the villager finished it');
    // Printed for signing: its record says so.
    await p2.click('[data-testid=worker-row]:has(h3:text-is("王建国")) [data-testid=worker-open]');
    await p2.waitForSelector('[data-screen=application] [data-testid=handoff-note]');
    await p2.click('[data-testid=print]');
    await p2.click('[data-testid=worker-back]');
    await p2.waitForSelector('[data-screen=worker-list]');
    assert.equal((await rows(p2))['王建国'][1], '已打印');
    // …and pasted as a link: still one.
    await p2.click('summary:has-text("收到村民的交接链接")');
    await p2.fill('[data-testid=worker-paste]', `看看这个 ${link}`);
    await p2.click('[data-testid=worker-paste-add]');
    await p2.waitForFunction(() => /已经在名单里/.test(document.querySelector('[data-testid=worker-notice]')?.textContent || ''));
    assert.equal(Object.keys(await rows(p2)).length, 6);

    // Nothing typed is on the phone in plain text: names, ID numbers, phone numbers.
    const stored = await storedBytes(p2);
    for (const secret of ['张大山', '王富贵', '刘一', '王建国', idFor(52, 1), '13905981231', '林网格', '13800000000']) {
      assert.ok(!stored.includes(secret) && !stored.includes(utf8hex(secret)), `"${secret}" is stored in plain text`);
    }
    clean(again.problems, { network: true });
    clean(problems);
  } finally {
    await b.close();
  }
});

test("a villager who only looked at worker mode's setup still opens a QR link as the application", async (t) => {
  const browser = await launchBrowser();
  try {
    const v = await openPage(browser.context, server.url);
    await waitForApp(v.page);
    await v.page.evaluate((d) => { localStorage.setItem('fangpin.draft.v1', JSON.stringify(d)); }, draft(HOUSEHOLD_B, APPLY_B));
    await v.page.reload();
    await waitForApp(v.page);
    await v.page.click('[data-testid=to-application]');
    const link = await v.page.getAttribute('[data-testid=qr]', 'data-link');
    // Another phone: its owner taps into worker mode's setup once and leaves it.
    const other = await launchBrowser();
    try {
      const { page, problems } = await openPage(other.context, `${server.url}${WORKER}`);
      await page.waitForSelector('[data-screen=worker-setup]', { timeout: 30000 });
      await page.goto('about:blank');
      await page.goto(link);
      await waitForApp(page);
      await page.waitForSelector('[data-screen=application] [data-testid=handoff-note]');
      assert.doesNotMatch(page.url(), /mode=worker/);
      assert.deepEqual(problems(), []);
    } finally {
      await other.close();
    }
    assert.deepEqual(v.problems(), []);
  } finally {
    await browser.close();
  }
});

test('what the worker typed on the setup screen survives a reload, the PINs never stored; setting up removes it', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await page.waitForSelector('[data-screen=worker-setup]', { timeout: 30000 });
    await page.fill('#fp-w-name', '林网格 🙂');
    await page.fill('#fp-w-phone', '１３８ ００００ ００００');
    await page.selectOption('#fp-w-role', { label: '村干部' });
    await page.fill('#fp-w-township', '燕西街道');
    await page.fill('#fp-w-village', '吉峰村');
    await page.fill('#fp-w-pin', '135790');
    // WeChat drops a page left in the background: it opens again from the start.
    await page.waitForFunction(() => /吉峰村/.test(localStorage.getItem('fangpin.worker.setup.v1') || ''));
    await page.reload();
    await page.waitForSelector('[data-screen=worker-setup]', { timeout: 30000 });
    assert.equal(await page.inputValue('#fp-w-name'), '林网格 🙂');
    assert.equal(await page.inputValue('#fp-w-phone'), '１３８ ００００ ００００');
    assert.equal(await page.$eval('#fp-w-role', (s) => s.selectedOptions[0].textContent), '村干部');
    assert.equal(await page.inputValue('#fp-w-township'), '燕西街道');
    assert.equal(await page.inputValue('#fp-w-village'), '吉峰村');
    assert.equal(await page.inputValue('#fp-w-pin'), '');
    assert.ok(!(await page.evaluate(() => JSON.stringify(localStorage))).includes('135790'), 'a PIN was stored');
    // Something unreadable there starts an empty form, and the app runs.
    await page.evaluate(() => localStorage.setItem('fangpin.worker.setup.v1', '{"name": 5'));
    await page.reload();
    await page.waitForSelector('[data-screen=worker-setup]', { timeout: 30000 });
    assert.equal(await page.inputValue('#fp-w-name'), '');
    await setUp(page);
    assert.equal(await page.evaluate(() => localStorage.getItem('fangpin.worker.setup.v1')), null);
    clean(problems);
  } finally {
    await b.close();
  }
});

test('a wrong PIN shows nothing, idle locks, and forgetting the PIN is said plainly before it is set', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await page.waitForSelector('[data-screen=worker-setup]', { timeout: 30000 });
    assert.match(await page.textContent('[data-screen=worker-setup]'), /忘记了就再也打不开这些记录/);
    // Problems at their fields, in Chinese, and nothing set.
    await page.fill('#fp-w-pin', '12３');
    await page.click('[data-testid=worker-setup]');
    assert.match(await page.textContent('#fp-w-name-err'), /\S/);
    assert.match(await page.textContent('#fp-w-pin-err'), /至少要 6 位/);
    assert.match(await page.textContent('#fp-w-understood-err'), /确认/);
    await axe(page, 'worker setup with problems');
    // In English, with what was typed kept.
    await page.fill('#fp-w-village', '吉峰村');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => /Worker mode: first, who you are/.test(document.querySelector('#fp-screen-title')?.textContent || ''));
    assert.equal(await page.inputValue('#fp-w-village'), '吉峰村');
    assert.equal(await page.inputValue('#fp-w-pin'), '12３');
    await axe(page, 'worker setup in English');
    await page.click('[data-testid=lang-toggle]');
    await page.waitForFunction(() => /先说明您是谁/.test(document.querySelector('#fp-screen-title')?.textContent || ''));
    await setUp(page);
    await addHousehold(page, [['郑春花', 60]], '500', { finish: false });
    await page.click('[data-testid=worker-back]');
    await page.reload();
    await unlock(page, '135790');
    await page.waitForFunction(() => /密码不对/.test(document.querySelector('#fp-w-unlock-err')?.textContent || ''));
    assert.ok(!(await page.content()).includes('郑春花'), 'a wrong PIN shows nothing');
    await axe(page, 'the unlock screen with a wrong PIN');
    await screenshot(page, 'worker-unlock-wrong');
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    assert.ok((await page.content()).includes('郑春花'));
    // Values that do not open (damaged, or not ours) are kept aside and reported, never dropped.
    const put = (key, value) => page.evaluate(([k, v]) => new Promise((ok, no) => {
      const r = indexedDB.open('fangpin-worker');
      r.onsuccess = () => {
        const tx = r.result.transaction('sealed', 'readwrite');
        tx.objectStore('sealed').put(v === 'bytes' ? { iv: new Uint8Array(12), data: new Uint8Array(40) } : v, k);
        tx.oncomplete = () => { r.result.close(); ok(); };
        tx.onerror = () => no(tx.error);
      };
    }), [key, value]);
    await put('r:damaged', 'bytes');
    await put('r:junk', 'not a sealed value');
    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-testid=worker-aside]');
    assert.match(await page.textContent('[data-testid=worker-aside]'), /2 条记录打不开.*没有被删除/);
    assert.ok((await page.content()).includes('郑春花'), 'the good record is there beside them');
    const kept = await page.evaluate(() => new Promise((ok) => {
      const r = indexedDB.open('fangpin-worker');
      r.onsuccess = () => { const q = r.result.transaction('sealed').objectStore('sealed').getAllKeys(); q.onsuccess = () => { r.result.close(); ok(q.result); }; };
    }));
    assert.ok(kept.includes('r:damaged') && kept.includes('r:junk'), `still stored: ${kept}`);
    // Delete asks first; "keep" keeps it; deleted is gone after a reload too.
    const row = '[data-testid=worker-row]:has(h3:text-is("郑春花"))';
    await page.click(`${row} [data-testid=worker-delete]`);
    await page.click(`${row} [data-testid=worker-delete-keep]`);
    assert.equal(await page.locator(row).count(), 1);
    await page.click(`${row} [data-testid=worker-delete]`);
    await axe(page, 'a delete being confirmed');
    await page.click(`${row} [data-testid=worker-delete-confirm]`);
    await page.waitForFunction(() => !document.body.textContent.includes('郑春花'));
    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    assert.ok(!(await page.content()).includes('郑春花'));
    clean(problems);
  } finally {
    await b.close();
  }
  // Idle: the page's clock runs five minutes ahead without a touch.
  const c = await launchBrowser();
  try {
    const page = await c.context.newPage();
    await page.clock.install();
    await page.goto(server.url + WORKER);
    await setUp(page);
    await addHousehold(page, [['吴秋菊', 58]], '800', { finish: false });
    await page.clock.fastForward('05:30');
    await page.waitForSelector('[data-testid=worker-idle-locked]', { timeout: 15000 });
    assert.ok(!(await page.content()).includes('吴秋菊'), 'locked: the household is off the screen');
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    assert.ok((await page.content()).includes('吴秋菊'), 'what was typed before the lock was kept');
  } finally {
    await c.close();
  }
});

test('a villager on the same phone sees only their own draft, and worker screens hold in care mode', async () => {
  const b = await launchBrowser();
  try {
    // The villager's own draft first.
    const v = await openPage(b.context, server.url);
    await waitForApp(v.page);
    await v.page.evaluate((d) => localStorage.setItem('fangpin.draft.v1', JSON.stringify(d)), draft(HOUSEHOLD_B, APPLY_B, { screen: 'members' }));
    // The worker, on the same phone.
    const w = await openPage(b.context, server.url + WORKER);
    await setUp(w.page);
    assert.ok(!(await w.page.content()).includes('王建国'), "the villager's household is not in the worker's list");
    await addHousehold(w.page, [['钱多多', 40]], '2000', { finish: false });
    // The village marked it 风险消除: the 回头看 says a 风险回退 is due, and why; development measures are offered.
    await w.page.click('[data-testid=worker-marks] summary');
    await w.page.selectOption('[data-testid=worker-standing]', { label: '已标注风险消除' });
    await w.page.waitForSelector('[data-testid=worker-lookback][data-state=backslide]');
    assert.match(await w.page.textContent('[data-testid=worker-marks]'), /需要风险回退/);
    assert.ok(await w.page.locator('[data-testid=worker-dev-missing]').count() === 1, 'no development measure in place yet');
    await w.page.locator('[data-testid=worker-dev]').first().check();
    await w.page.waitForFunction(() => !document.querySelector('[data-testid=worker-dev-missing]'));
    await axe(w.page, 'the village marks of a household');
    // Care mode on the worker screens: ≥ 24 px text, targets ≥ 60 px.
    await w.page.click('[data-testid=care-toggle]');
    const small = await w.page.evaluate(() => {
      const app = document.querySelector('.fp-app');
      const font = parseFloat(getComputedStyle(app).fontSize);
      const targets = [...document.querySelectorAll('.fp-worker button, .fp-worker input[type=text], .fp-worker input[type=search], .fp-worker select, .fp-worker summary')]
        .filter((el) => el.getClientRects().length > 0)
        .map((el) => { const r = el.getBoundingClientRect(); return { what: el.outerHTML.slice(0, 60), w: r.width, h: r.height }; })
        .filter((x) => x.w < 59.5 || x.h < 59.5);
      return { font, targets: small(targets) };
      function small(x) { return x; }
    });
    assert.ok(small.font >= 24, `care font ${small.font}`);
    assert.deepEqual(small.targets, [], 'care-mode targets under 60 px');
    await w.page.click('[data-testid=worker-back]');
    await screenshot(w.page, 'worker-list-care');
    await w.page.close();
    // The villager opens the plain page again: their own draft, nothing of the worker's.
    const v2 = await openPage(b.context, server.url);
    await waitForApp(v2.page);
    assert.equal(await v2.page.inputValue('#fp-m0-name'), '王建国');
    assert.ok(!(await v2.page.content()).includes('钱多多'));
    const draftText = await v2.page.evaluate(() => localStorage.getItem('fangpin.draft.v1'));
    assert.ok(!draftText.includes('钱多多'));
    clean(v2.problems);
  } finally {
    await b.close();
  }
});

test('without IndexedDB (some WeChat views, private modes) worker mode says so and works in memory', async () => {
  const b = await launchBrowser();
  try {
    await b.context.addInitScript(() => Object.defineProperty(window, 'indexedDB', { value: undefined, configurable: true }));
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await setUp(page);
    assert.match(await page.textContent('[data-testid=worker-memory-only]'), /关闭页面后记录就没有了/);
    await addHousehold(page, [['冯大年', 66]], '1200');
    await page.click('[data-testid=worker-back]');
    assert.ok('冯大年' in (await rows(page)));
    // Locked (the worker put the phone away) and unlocked: still there, in this page's memory.
    await page.click('[data-testid=worker-lock]');
    assert.ok(!(await page.content()).includes('冯大年'));
    await unlock(page, '135790');
    await page.waitForFunction(() => /密码不对/.test(document.querySelector('#fp-w-unlock-err')?.textContent || ''));
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    assert.ok('冯大年' in (await rows(page)), 'locking without IndexedDB loses nothing');
    clean(problems);
  } finally {
    await b.close();
  }
});

test('a refused report makes the application ready again with the reason; a deleted household is not sent; a QR handover is marked', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await setUp(page);
    await addHousehold(page, [['蒋秋生', 58], ['蒋小', 30]], '1000');
    await applicationFacts(page, '13905981299', idFor(58, 9));
    await addHousehold(page, [['沈冬梅', 61]], '900');
    await applicationFacts(page, '13905981298', idFor(61, 8));
    await addHousehold(page, [['韩春生', 45]], '700');
    await applicationFacts(page, '13905981297', idFor(45, 7));
    const before = (await staffRows()).length;
    // The receiver refuses (as for a malformed report): ready again, with its message; nothing waits.
    await page.route('**/api/v1/reports', (route) => route.fulfill({ status: 422, contentType: 'application/json',
      body: JSON.stringify({ error: 'invalid', message: { zh: '身份证号不对', en: 'bad ID number' } }) }));
    await page.click('[data-testid=worker-row]:has(h3:text-is("蒋秋生")) [data-testid=worker-send]');
    await page.waitForSelector('[data-testid=worker-row]:has(h3:text-is("蒋秋生")) [data-testid=worker-row-refused]');
    assert.match(await page.textContent('[data-testid=worker-row]:has(h3:text-is("蒋秋生")) [data-testid=worker-row-refused]'), /被拒收.*422.*身份证号不对/);
    assert.equal((await rows(page))['蒋秋生'][1], '已生成申请');
    await page.unroute('**/api/v1/reports');
    // Sent again, it goes (a new report).
    await page.click('[data-testid=worker-row]:has(h3:text-is("蒋秋生")) [data-testid=worker-send]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=worker-row]')].find((r) => r.querySelector('h3').textContent === '蒋秋生')?.textContent.includes('已送达'));
    // Offline, queued, then deleted: never sent.
    await b.context.setOffline(true);
    await page.click('[data-testid=worker-row]:has(h3:text-is("沈冬梅")) [data-testid=worker-send]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=worker-row]')].find((r) => r.querySelector('h3').textContent === '沈冬梅').textContent.includes('待发送'));
    await page.click('[data-testid=worker-row]:has(h3:text-is("沈冬梅")) [data-testid=worker-delete]');
    assert.match(await page.textContent('[data-testid=worker-row]:has(h3:text-is("沈冬梅")) .fp-confirm'), /不再发送/);
    await page.click('[data-testid=worker-row]:has(h3:text-is("沈冬梅")) [data-testid=worker-delete-confirm]');
    await b.context.setOffline(false);
    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    await page.waitForTimeout(1500);
    const reports = await staffRows();
    assert.equal(reports.length, before + 1, 'only 蒋秋生 was delivered');
    assert.ok(!('沈冬梅' in (await rows(page))));
    // Handed to another phone by QR: marked, and it cannot go back.
    await page.click('[data-testid=worker-row]:has(h3:text-is("韩春生")) [data-testid=worker-open]');
    await page.click('[data-testid=worker-handed-over]');
    await page.waitForFunction(() => /已交接/.test(document.querySelector('[data-testid=worker-open-status]').textContent));
    assert.equal(await page.locator('[data-testid=worker-handed-over]').count(), 0);
    await page.click('[data-testid=worker-back]');
    assert.equal((await rows(page))['韩春生'][1], '已交接（二维码）');
    // The refusal is logged by the browser as a failed load; nothing else may be.
    const others = problems().filter((p) => !EXPECTED_NETWORK.test(p) && !/status of 422/.test(p));
    assert.deepEqual(others, []);
  } finally {
    await b.close();
  }
});

test('a full disk: the change stays on the page, the worker is told, and the records do not lock it away', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await setUp(page);
    await addHousehold(page, [['杨满仓', 63]], '800', { finish: false });
    // From now on every write is refused as a full disk refuses it.
    await page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
      window.__restorePut = () => { IDBObjectStore.prototype.put = put; };
    });
    await page.fill('#fp-wage', '900');
    await page.waitForSelector('[data-testid=worker-save-failed]');
    assert.match(await page.textContent('[data-testid=worker-save-failed]'), /没能保存.*QuotaExceededError/);
    // Hidden or idle, it does not lock: the change exists only here.
    await page.evaluate(() => { Object.defineProperty(document, 'hidden', { value: true, configurable: true }); document.dispatchEvent(new Event('visibilitychange', { bubbles: true })); });
    assert.equal(await page.inputValue('#fp-wage'), '900');
    await page.evaluate(() => { delete document.hidden; window.__restorePut(); });
    // Space again: the next change is stored, the notice goes, and a reload has it.
    await page.fill('#fp-wage', '950');
    await page.waitForFunction(() => !document.querySelector('[data-testid=worker-save-failed]'));
    await page.reload();
    await unlock(page);
    await page.click('[data-testid=worker-row]:has(h3:text-is("杨满仓")) [data-testid=worker-open]');
    assert.equal(await page.inputValue('#fp-wage'), '950');
    clean(problems);
  } finally {
    await b.close();
  }
});

test('two windows of worker mode: unlocking one locks the other, so neither writes its older copy over the other\'s change', async () => {
  const b = await launchBrowser();
  try {
    const one = await openPage(b.context, server.url + WORKER);
    await setUp(one.page);
    await addHousehold(one.page, [['郑两窗', 52]], '30000', { finish: false });
    await one.page.click('[data-testid=worker-back]');
    await one.page.waitForSelector('[data-screen=worker-list]');
    // A second window (a tab opened again from WeChat's menu, two windows on a desktop, both shown).
    const two = await openPage(b.context, server.url + WORKER);
    await unlock(two.page);
    await two.page.waitForSelector('[data-screen=worker-list]');
    await one.page.waitForSelector('[data-testid=worker-elsewhere-locked]');
    assert.equal(await one.page.locator('[data-testid=worker-row]').count(), 0, 'the first window shows no records');
    const openRow = (page) => page.click('[data-testid=worker-row]:has(h3:text-is("郑两窗")) [data-testid=worker-open]');
    await openRow(two.page);
    await two.page.fill('#fp-wage', '5000');
    // Back in the first window at once: what the second typed has landed before it is read here.
    await unlock(one.page);
    await one.page.waitForSelector('[data-screen=worker-list]');
    await two.page.waitForSelector('[data-testid=worker-elsewhere-locked]');
    await openRow(one.page);
    assert.equal(await one.page.inputValue('#fp-wage'), '5000');
    await one.page.fill('#fp-wage', '6000');
    await unlock(two.page);
    await two.page.waitForSelector('[data-screen=worker-list]');
    await openRow(two.page);
    assert.equal(await two.page.inputValue('#fp-wage'), '6000');

    // A window that cannot lock (its change could not be stored, it lives only there) is not
    // locked from the other: unlocking there says so, and works once the change is stored.
    await two.page.evaluate(() => {
      const put = IDBObjectStore.prototype.put;
      IDBObjectStore.prototype.put = function () { throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };
      window.__restorePut = () => { IDBObjectStore.prototype.put = put; };
    });
    await two.page.fill('#fp-wage', '7000');
    await two.page.waitForSelector('[data-testid=worker-save-failed]');
    await unlock(one.page);
    await one.page.waitForFunction(() => /另一个窗口.*发送或导出/.test(document.querySelector('#fp-w-unlock-err')?.textContent || ''), null, { timeout: 15000 });
    assert.equal(await two.page.inputValue('#fp-wage'), '7000', 'the change is still on the page it was typed on');
    await two.page.evaluate(() => window.__restorePut());
    await two.page.fill('#fp-wage', '7100');
    await two.page.waitForFunction(() => !document.querySelector('[data-testid=worker-save-failed]'));
    await unlock(one.page);
    await one.page.waitForSelector('[data-screen=worker-list]');
    await openRow(one.page);
    assert.equal(await one.page.inputValue('#fp-wage'), '7100');
    await screenshot(two.page, 'worker-locked-elsewhere');
    clean(one.problems);
    clean(two.problems);
  } finally {
    await b.close();
  }
});

test('in WeChat (downloads fail) the CSV is copied to the clipboard instead', async () => {
  const ua = 'Mozilla/5.0 (Linux; Android 10; HMA-AL00; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/107.0.5304.141 '
    + 'Mobile Safari/537.36 XWEB/5197 MMWEBSDK/20230504 MicroMessenger/8.0.37.2380(0x2800253D) WeChat/arm64 Weixin NetType/4G Language/zh_CN';
  const b = await launchBrowser({ userAgent: ua });
  try {
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const { page, problems } = await openPage(b.context, server.url + WORKER);
    await setUp(page);
    await addHousehold(page, [['@褚红', 50]], '1500');
    // Collected on paper by another grid worker, entered by this one: the record names both.
    await page.click('[data-testid=worker-collected] summary');
    await page.fill('[data-testid=worker-other-name]', '王网格');
    await page.waitForFunction(() => /采集人：王网格（网格员）；录入人：林网格（网格员）/.test(document.querySelector('[data-testid=worker-open-collector]').textContent));
    await page.click('[data-testid=worker-back]');
    let downloads = 0;
    page.on('download', () => { downloads += 1; });
    await page.click('[data-testid=worker-export-csv]');
    await page.waitForSelector('[data-testid=worker-export-done]');
    assert.match(await page.textContent('[data-testid=worker-export-done]'), /已复制/);
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const csv = parseCsv(copied);
    assert.equal(csv.length, 2);
    assert.equal(csv[1][0], "'@褚红", 'defused');
    assert.deepEqual([csv[1][11], csv[1][12]], ['王网格（网格员）', '林网格（网格员）'], 'collected by one, entered by the other');
    assert.ok(['已生成申请', '已排查（无风险）'].includes(csv[1][10]), `naming the collector does not unfinish the visit: ${csv[1][10]}`);
    assert.equal(downloads, 0);
    clean(problems);
  } finally {
    await b.close();
  }
});

test('worker mode opens offline after its first visit, and after the site publishes a new version', async () => {
  const priv = mkdtempSync(join(tmpdir(), 'fangpin-worker-sw-'));
  const site = join(priv, 'site');
  cpSync(SITE, site, { recursive: true });
  const s = await startServer({ site, extraArgs: ['--db', join(priv, 'r.sqlite3')] });
  const b = await launchBrowser();
  const hasWorker = () => page.evaluate(async () => {
    const keys = (await caches.keys()).filter((k) => k.startsWith('fangpin-'));
    const withWorker = await Promise.all(keys.map(async (k) => (await (await caches.open(k)).keys()).some((r) => /fangpin-worker-[0-9a-f]+\.wasm$/.test(r.url))));
    return { keys, withWorker };
  });
  let page;
  try {
    const opened = await openPage(b.context, s.url + '?mode=worker');
    page = opened.page;
    await setUp(page);
    await controlled(page);
    // The module is kept once the service worker controls the page (boot.js asks it again).
    await page.waitForFunction(async () => (await Promise.all((await caches.keys()).map(async (k) => (await (await caches.open(k)).keys())
      .some((r) => /fangpin-worker-[0-9a-f]+\.wasm$/.test(r.url))))).some(Boolean));
    const first = await hasWorker();
    // The city publishes a new version; the phone picks it up online; its old cache goes.
    const cli = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'debug', 'fangpin');
    const out = spawnSync(cli, ['publish-policy', join(ROOT, 'policy-data'), site, '--site-url', 'https://fp.example.gov.cn/'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout + out.stderr);
    await page.reload();
    await page.waitForFunction(async (old) => {
      const keys = (await caches.keys()).filter((k) => k.startsWith('fangpin-'));
      return keys.length === 1 && !old.includes(keys[0]);
    }, first.keys, { timeout: 30000 });
    const now = await hasWorker();
    assert.deepEqual(now.withWorker, [true], `the new version's cache carries worker mode's module: ${JSON.stringify(now)}`);
    await b.context.setOffline(true);
    await page.reload();
    await unlock(page);
    await page.waitForSelector('[data-screen=worker-list]');
    clean(opened.problems, { network: true });
  } finally {
    await b.close();
    await s.stop();
    rmSync(priv, { recursive: true, force: true });
  }
});
