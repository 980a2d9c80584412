// The application (issue 5) at phone size: built from two households, printed on A4 (page count,
// nothing clipped), the QR handoff decoded by zbar and opened in a fresh browser, the copy text,
// the tel links; and the one-click report delivered exactly once through offline, reload, a closed
// page and a server killed mid-send.
//
// Households are put into the draft directly (the self-check steps have their own tests); the
// application's own fields are typed through the page for the first one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync, spawnSync } from 'node:child_process';
import { ROOT, startServer, launchBrowser, openPage, waitForApp, controlled, screenshot, axe } from './harness.mjs';
import { HOUSEHOLD_A, HOUSEHOLD_B, APPLY_B, draft, idFor } from './households.mjs';

const KEY = 'fangpin.draft.v1';
const OUTBOX = 'fangpin.outbox.v1';
const TOKEN = 'staff-token-for-tests-0123456789';
const ENDPOINT = '?endpoint=/api/v1/reports';
// Network failures while offline or while the server is down are expected in the exactly-once tests.
const EXPECTED_NETWORK = /Failed to load resource: net::ERR_(INTERNET_DISCONNECTED|CONNECTION_REFUSED|CONNECTION_RESET|FAILED)/;

let dir, server, browser;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-app-'));
  server = await startServer({ extraArgs: ['--db', join(dir, 'a.sqlite3')], env: { FANGPIN_STAFF_TOKEN: TOKEN } });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); rmSync(dir, { recursive: true, force: true }); });


/** Opens the page with `d` as the stored draft, on the result screen, then goes to the application. */
async function seeded(context, d, query = '') {
  const opened = await openPage(context, server.url + query);
  await waitForApp(opened.page);
  await opened.page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [KEY, JSON.stringify(d)]);
  await opened.page.reload();
  await waitForApp(opened.page);
  await opened.page.click('[data-testid=to-application]');
  await opened.page.waitForSelector('[data-screen=application] [data-testid=sheet]');
  return opened;
}


function clean(problems, { network = false } = {}) {
  const list = problems().filter((p) => !(network && EXPECTED_NETWORK.test(p)));
  assert.deepEqual(list, [], 'the page had problems');
}

const text = async (page, sel) => (await page.textContent(sel)).replace(/\s+/g, ' ').trim();
const REF = /^[2-9A-HJKMNP-TV-Y]{3}-[2-9A-HJKMNP-TV-Y]{3}-[2-9A-HJKMNP-TV-Y]{3}$/;

/** Page count of a PDF written by Chromium (its page objects are not compressed). */
const pdfPages = (buf) => (buf.toString('latin1').match(/\/Type\s*\/Page(?![s\w])/g) || []).length;

/** Prints to A4: 1–2 pages, and in print media at the printable width nothing overflows or is cut. */
async function checkPrint(page, label) {
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  const pages = pdfPages(pdf);
  assert.ok(pages >= 1 && pages <= 2, `${label}: ${pages} pages`);
  const viewport = page.viewportSize();
  // A4 is 210 mm; the @page margins are 12 mm a side: 186 mm ≈ 703 CSS px.
  await page.setViewportSize({ width: 703, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const report = await page.evaluate(() => {
    const sheet = document.querySelector('[data-testid=sheet]');
    const box = sheet.getBoundingClientRect();
    const bad = [];
    for (const el of sheet.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) bad.push(`${el.tagName}.${el.className} sticks out`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') bad.push(`${el.tagName}.${el.className} clips`);
    }
    if (box.right > document.documentElement.clientWidth + 1) bad.push('sheet wider than the page');
    // Only the application prints.
    const shown = [...document.querySelectorAll('[data-testid=channels], [data-testid=extra-facts], .fp-top, .fp-footer, [data-testid=reference-box]')]
      .filter((e) => e.getClientRects().length > 0).map((e) => e.className);
    return { bad, shown };
  });
  await page.emulateMedia({ media: null });
  await page.setViewportSize(viewport);
  assert.deepEqual(report.bad, [], `${label}: clipped in print`);
  assert.deepEqual(report.shown, [], `${label}: only the application prints`);
  return pages;
}

/** Decodes the QR code on the page with zbar. */
async function decodeQr(page, name) {
  const el = page.locator('[data-testid=qr]');
  await el.scrollIntoViewIfNeeded();
  const path = join(dir, `${name}.png`);
  await el.screenshot({ path });
  await screenshot(page, name);
  return execFileSync('zbarimg', ['--raw', '-q', path], { encoding: 'utf8' }).trim();
}

async function staffRows(origin = server.origin) {
  const r = await fetch(`${origin}/api/v1/reports`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  assert.equal(r.status, 200);
  return (await r.json()).reports;
}

test('(A) the application from a household: fields, sheet, print, copy text, hotline, QR to a fresh phone', async () => {
  const { page, problems } = await seeded(browser.context, draft(HOUSEHOLD_A));
  // The extra facts, typed.
  await page.fill('#fp-ap-phone', '13812345678');
  await page.fill('#fp-ap-village', '洪田村');
  await page.fill('#fp-ap-address', '洪田村3组12号');
  await page.fill('#fp-ap-id-0', idFor(52, 13).slice(0, 17)); // 17 characters: the core says so at the field
  assert.match(await text(page, '#fp-ap-id-0-err'), /18 位/);
  assert.equal(await page.getAttribute('#fp-ap-id-0', 'aria-invalid'), 'true');
  await page.fill('#fp-ap-id-0', idFor(60, 13)); // born 60 years ago, but the age says 52
  assert.match(await text(page, '#fp-ap-id-0-err'), /年龄和身份证号不一致（按身份证是 60 岁）/);
  await page.fill('#fp-ap-id-0', idFor(52, 13));
  await page.check('#fp-ap-filler-1');
  await page.fill('#fp-ap-filler-name', '王芳');
  await page.waitForSelector('[data-testid=reference]');
  const reference = await text(page, '[data-testid=reference]');
  assert.match(reference, REF);
  const sheet = await text(page, '[data-testid=sheet]');
  for (const s of ['监测对象申请及承诺授权书', reference, '张大山', idFor(52, 13), '13812345678', '洪田村3组12号', '李秀英', '张小明',
    '家里有人患大病或慢性病', '工作人员 王芳 代填']) assert.ok(sheet.includes(s), `sheet has ${s}`);
  // Two adults sign (52 and 50); the 15-year-old does not .
  assert.equal(await page.locator('[data-signer]').count(), 2);
  assert.ok((await text(page, '[data-testid=sheet-difficulty]')).length > 10, 'a drafted difficulty text');
  // Editing the difficulty changes the code; restoring brings it back.
  await page.fill('[data-testid=difficulty]', '家里妻子常年生病，孩子在上学，收入不够。');
  await page.waitForFunction((r) => document.querySelector('[data-testid=reference]').textContent !== r, reference);
  assert.match(await text(page, '[data-testid=sheet-difficulty]'), /妻子常年生病/);
  await page.click('[data-testid=difficulty-reset]');
  await page.waitForFunction((r) => document.querySelector('[data-testid=reference]').textContent === r, reference);

  // Channels of the Yong'an profile, in its order; the page the server serves one-clicks to the
  // server's own receiver, with no parameter in the address.
  assert.deepEqual(await page.$$eval('[data-channel]', (els) => els.map((e) => e.dataset.channel)), ['one_click', 'hotline', 'qr_handoff', 'print', 'copy']);
  assert.equal(new URL(page.url()).search, '');
  assert.equal(await page.locator('[data-testid=one-click-prepare]').count(), 1, 'one-click to the own receiver');
  // The card says what the button does here; the profile's way (the provincial app) comes second.
  assert.match(await text(page, '[data-channel=one_click]'), /一键报送”，申请会直接发到乡镇能看到的报送系统.*也可以：打开手机上的“闽政通”APP/);
  const tels = await page.$$eval('[data-testid=tel]', (els) => els.map((e) => e.getAttribute('href')));
  assert.deepEqual(tels, ['tel:12317', 'tel:0598-3851238']);
  const script = await text(page, '[data-testid=hotline-script]');
  assert.ok(script.includes('张大山') && script.includes(reference), script);
  const copy = await page.inputValue('[data-testid=copy-text]');
  assert.match(copy, /^【防止返贫监测申请】\n申请编号：/);
  for (const s of [reference, '户主：张大山', '手机：13812345678', '洪田村3组12号', '工作人员 王芳 代填']) assert.ok(copy.includes(s), `copy text has ${s}`);
  await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
  await page.click('[data-testid=copy]');
  await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]').textContent.includes('已复制'));
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), copy);

  await axe(page, 'application');
  await page.setViewportSize({ width: 390, height: 844 });
  await screenshot(page, 'application-a-zh');
  const pages = await checkPrint(page, 'A');
  assert.equal(pages, 1, 'a three-person application fits one page');
  await page.pdf({ path: join(ROOT, 'tests', 'artifacts', 'application-a.pdf'), format: 'A4' });

  // The QR code decodes to the handoff link, which a fresh phone opens as the same application.
  const link = await decodeQr(page, 'application-a-qr');
  assert.equal(link, await page.getAttribute('[data-testid=qr]', 'data-link'));
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/#a=01\d+$/);
  clean(problems);

  const worker = await launchBrowser();
  try {
    const w = await openPage(worker.context, link);
    await waitForApp(w.page);
    await w.page.waitForSelector('[data-testid=handoff-note]');
    assert.equal(await text(w.page, '[data-testid=reference]'), reference);
    const wsheet = await text(w.page, '[data-testid=sheet]');
    for (const s of ['张大山', '13812345678', '洪田村3组12号', '工作人员 王芳 代填']) assert.ok(wsheet.includes(s), `worker's sheet has ${s}`);
    assert.ok(!w.page.url().includes('#a='), 'the fragment is cleared from the address bar');
    // A reload still shows it (kept in the draft).
    await w.page.reload();
    await waitForApp(w.page);
    assert.equal(await text(w.page, '[data-testid=reference]'), reference);
    await axe(w.page, 'application from a handoff');
    await screenshot(w.page, 'application-a-handoff');
    clean(w.problems);
  } finally {
    await worker.close();
  }
  await page.close();
});

test('(B) five people, an edited difficulty text: two signers more, 1–2 A4 pages, care mode, QR carries the text', async () => {
  const { page, problems } = await seeded(browser.context, draft(HOUSEHOLD_B, APPLY_B));
  const reference = await text(page, '[data-testid=reference]');
  assert.match(reference, REF);
  assert.equal(await page.locator('[data-signer]').count(), 4, 'four adults sign');
  assert.match(await text(page, '[data-testid=sheet-difficulty]'), /工地摔伤/);
  assert.match(await text(page, '[data-testid=sheet]'), /亲属 王强 代填/);
  await screenshot(page, 'application-b-zh');
  const pages = await checkPrint(page, 'B');
  await page.pdf({ path: join(ROOT, 'tests', 'artifacts', 'application-b.pdf'), format: 'A4' });
  assert.ok(pages <= 2);

  await page.click('[data-testid=care-toggle]');
  await page.waitForSelector('.fp-care');
  await axe(page, 'application, care mode');
  await screenshot(page, 'application-b-care');
  await checkPrint(page, 'B in care mode');
  // 320 px: nothing wider than the screen.
  await page.setViewportSize({ width: 320, height: 700 });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= 320, `page is ${wide}px wide at 320`);
  await screenshot(page, 'application-b-care-320');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('[data-testid=care-toggle]');

  const link = await decodeQr(page, 'application-b-qr');
  const worker = await launchBrowser();
  try {
    const w = await openPage(worker.context, link);
    await waitForApp(w.page);
    await w.page.waitForSelector('[data-testid=handoff-note]');
    assert.equal(await text(w.page, '[data-testid=reference]'), reference);
    assert.match(await text(w.page, '[data-testid=sheet-difficulty]'), /工地摔伤/);
    clean(w.problems);
  } finally {
    await worker.close();
  }
  clean(problems);
  await page.close();
});

/** Waits until the one-click status is `state`. */
const statusIs = (page, state, timeout = 20000) =>
  page.waitForSelector(`[data-testid=outbox-status][data-state=${state}]`, { timeout });

test('one-click waits for a name and a way to reach the household: it says what is missing, at once gone when typed', async () => {
  const b = await launchBrowser();
  try {
    const nameless = { ...HOUSEHOLD_B, members: HOUSEHOLD_B.members.map((m, i) => (i === 0 ? { ...m, name: '' } : m)) };
    const { page, problems } = await seeded(b.context, draft(nameless, { ...APPLY_B, phone: '', village: '' }));
    await page.waitForSelector('[data-testid=one-click-missing]');
    assert.equal(await page.locator('[data-testid=one-click-prepare]').count(), 0, 'nothing to send yet');
    assert.deepEqual(await page.$$eval('[data-testid=one-click-missing] li', (els) => els.map((e) => e.dataset.field)), ['head_name', 'phone']);
    assert.match(await text(page, '[data-testid=one-click-missing]'), /一键报送之前，还要填上这些：.*户主的姓名.*手机号，或者至少填上村名/);
    // The printed form and the hotline stay open: the missing facts are written or said there.
    assert.ok(await page.locator('[data-channel=print]').count() === 1 && await page.locator('[data-testid=tel]').count() > 0);
    await page.fill('#fp-ap-village', '贡川村');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=one-click-missing] li')].map((e) => e.dataset.field).join() === 'head_name');
    // The name is step 1's: set as a villager would there (the draft), then back to the application.
    await page.evaluate(([k]) => { const d = JSON.parse(localStorage.getItem(k)); d.form.members[0].name = '王建国'; d.screen = 'result'; localStorage.setItem(k, JSON.stringify(d)); }, [KEY]);
    await page.reload();
    await waitForApp(page);
    await page.click('[data-testid=to-application]');
    await page.waitForSelector('[data-testid=one-click-prepare]');
    assert.equal(await page.locator('[data-testid=one-click-missing]').count(), 0);
    clean(problems);
  } finally {
    await b.close();
  }
});

test('after a report is delivered, a changed answer makes a new reference and the page says one was sent before', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await seeded(b.context, draft(HOUSEHOLD_B, APPLY_B));
    const first = await text(page, '[data-testid=reference]');
    assert.equal(await page.locator('[data-testid=sent-before]').count(), 0, 'nothing sent yet');
    await page.click('[data-testid=one-click-prepare]');
    await page.click('[data-testid=one-click-send]');
    await statusIs(page, 'delivered');
    // The phone number typed afterwards changes the content, so the reference.
    await page.fill('#fp-ap-phone', '13905989999');
    await page.waitForFunction((r) => document.querySelector('[data-testid=reference]').textContent !== r, first);
    await page.waitForSelector('[data-testid=sent-before]');
    assert.equal(await page.getAttribute('[data-testid=sent-before]', 'data-reference'), first);
    assert.match(await text(page, '[data-testid=sent-before]'), new RegExp(`已经报送过这一户的申请（编号 ${first}，已送达）.*只有情况有变化`));
    assert.equal(await page.locator('[data-testid=one-click-prepare]').count(), 1, 'a changed application can still be sent');
    clean(problems);
  } finally {
    await b.close();
  }
});

test('exactly once: offline, submit, reload, close and reopen, online → one row and the receipt', async () => {
  const b = await launchBrowser();
  try {
    const first = await seeded(b.context, draft(HOUSEHOLD_B, APPLY_B), ENDPOINT);
    let page = first.page;
    const problems = [first.problems];
    if (process.env.DEBUG_NET) b.context.on('request', (r) => { if (r.url().includes('/api/')) console.log('REQ', Date.now(), r.url()); });
    if (process.env.DEBUG_NET) b.context.on('requestfailed', (r) => console.log('FAILED', Date.now(), r.url(), r.failure()?.errorText));
    if (process.env.DEBUG_NET) b.context.on('requestfinished', (r) => { if (r.url().includes('/api/')) console.log('FINISHED', Date.now(), r.url()); });
    await controlled(page);
    const reference = await text(page, '[data-testid=reference]');
    const before = (await staffRows()).filter((r) => r.reference === reference).length;

    await b.context.setOffline(true);
    await page.click('[data-testid=one-click-prepare]');
    // What will be sent, before consent: a summary and the exact JSON.
    // The site by its name; its whole address with the raw data.
    assert.match(await text(page, '[data-testid=consent]'), new RegExp(`发送到：127\\.0\\.0\\.1:\\d+（本网站的报送系统）.*${reference}.*王建国.*发送地址：http://127\\.0\\.0\\.1:\\d+/api/v1/reports`));
    const raw = JSON.parse(await page.textContent('[data-testid=raw-json]'));
    assert.equal(raw.format, 'fangpin.report/1');
    assert.equal(raw.reference, reference);
    assert.match(raw.idempotency_key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await axe(page, 'one-click consent');
    await screenshot(page, 'application-consent');
    await page.click('[data-testid=one-click-send]');
    await statusIs(page, 'pending');
    await screenshot(page, 'application-pending');
    const stored = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), OUTBOX);
    assert.equal(stored.version, 1);
    assert.equal(stored.entries.length, 1);
    assert.equal(stored.entries[0].key, raw.idempotency_key);
    assert.equal(JSON.parse(stored.entries[0].body).idempotency_key, raw.idempotency_key, 'the body sent is the one shown');

    await page.reload();
    await waitForApp(page);
    await statusIs(page, 'pending');
    await page.close();
    const again = await openPage(b.context, server.url + ENDPOINT);
    problems.push(again.problems);
    page = again.page;
    await waitForApp(page);
    await statusIs(page, 'pending');
    // Chromium's offline emulation does not always cover a request that passes through the service worker:
    // a send may reach the server while its answer is lost. That is exactly the case the idempotency key is
    // for, so the test does not insist that nothing arrived; it insists on exactly one row at the end.
    assert.ok((await staffRows()).filter((r) => r.reference === reference).length <= before + 1);

    await b.context.setOffline(false);
    await statusIs(page, 'delivered');
    assert.equal(await text(page, '[data-testid=receipt-reference]'), reference);
    // Beijing time in Chinese, the server's UTC kept beside it.
    assert.match(await text(page, '[data-testid=receipt-time]'), /^\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/);
    assert.match(await page.getAttribute('[data-testid=receipt-time]', 'data-utc'), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    await screenshot(page, 'application-delivered');
    const rows = (await staffRows()).filter((r) => r.idempotency_key === raw.idempotency_key);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].reference, reference);
    // Kept with its receipt; a reload shows it, and sends nothing more.
    await page.reload();
    await waitForApp(page);
    await statusIs(page, 'delivered');
    await page.waitForTimeout(500);
    assert.equal((await staffRows()).filter((r) => r.idempotency_key === raw.idempotency_key).length, 1);
    for (const p of problems) clean(p, { network: true });
  } finally {
    await b.close();
  }
});

test('exactly once: the server dies after storing but before answering; restarted on the same port, still one row', async () => {
  const db = join(dir, 'kill.sqlite3');
  let s = await startServer({ extraArgs: ['--db', db], env: { FANGPIN_STAFF_TOKEN: TOKEN } });
  const port = new URL(s.url).port;
  const b = await launchBrowser({ serviceWorkers: 'block' });
  try {
    const a = { ...APPLY_B, filler: 'worker', filler_name: '李明' };
    const opened = await openPage(b.context, s.url + ENDPOINT);
    const { page } = opened;
    await waitForApp(page);
    await page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [KEY, JSON.stringify(draft(HOUSEHOLD_B, a))]);
    await page.reload();
    await waitForApp(page);
    await page.click('[data-testid=to-application]');
    const reference = await text(page, '[data-testid=reference]');
    let hits = 0;
    await page.route('**/api/v1/reports', async (route) => {
      hits += 1;
      if (hits === 1) {
        // The request reaches the server and is stored; then the server dies and the answer is lost.
        const resp = await route.fetch();
        assert.equal(resp.status(), 201);
        await s.stop();
        await route.abort('connectionreset');
      } else {
        await route.continue();
      }
    });
    await page.click('[data-testid=one-click-prepare]');
    await page.click('[data-testid=one-click-send]');
    await statusIs(page, 'pending');
    await page.waitForFunction(() => /上次没发出去/.test(document.querySelector('[data-testid=one-click]').textContent));
    assert.ok(hits >= 1);
    s = await startServer({ extraArgs: ['--db', db, '--port', port], env: { FANGPIN_STAFF_TOKEN: TOKEN } });
    assert.equal(new URL(s.url).port, port);
    await page.click('[data-testid=retry-now]').catch(() => {});
    await statusIs(page, 'delivered', 70000);
    assert.equal(await text(page, '[data-testid=receipt-reference]'), reference);
    const rows = await staffRows(s.origin);
    assert.equal(rows.length, 1, 'one row after the lost answer and the retry');
    assert.equal(rows[0].reference, reference);
    assert.ok(hits >= 2, 'it was sent again');
    clean(opened.problems, { network: true });
  } finally {
    await b.close();
    await s.stop();
  }
});

test('a refused report can be sent again as it was, and then it is delivered once', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await seeded(b.context, draft(HOUSEHOLD_A, { phone: '13812345678', village: '洪田村', address: '洪田村3组12号' }), ENDPOINT);
    const reference = await text(page, '[data-testid=reference]');
    const earlier = (await staffRows()).filter((r) => r.reference === reference).length;
    // The receiver refuses the first time (it did not know this year's policy yet), then takes it.
    let refusals = 1;
    const bodies = [];
    await page.route('**/api/v1/reports', (route) => {
      bodies.push(route.request().postData());
      if (refusals-- > 0) {
        return route.fulfill({ status: 422, contentType: 'application/json', body: JSON.stringify({ error: 'unknown_profile', message: { zh: '还不认识这个政策', en: 'unknown profile' } }) });
      }
      return route.continue();
    });
    await page.click('[data-testid=one-click-prepare]');
    await page.click('[data-testid=one-click-send]');
    await statusIs(page, 'refused');
    assert.match(await text(page, '[data-testid=one-click]'), /可以过一会儿再发送一次/);
    await page.click('[data-testid=send-again]');
    await statusIs(page, 'delivered');
    assert.equal(bodies.length, 2);
    assert.equal(bodies[1], bodies[0], 'the same application, unchanged');
    assert.equal((await staffRows()).filter((r) => r.reference === reference).length, earlier + 1, 'one row');
    assert.equal(await page.locator('[data-testid=send-again]').count(), 0);
    // (The browser logs the refusal it was given; nothing else.)
    assert.deepEqual(problems().filter((p) => !/status of 422/.test(p)), []);
  } finally {
    await b.close();
  }
});

test('清除本机数据 removes the draft and delivered reports, but never a report still waiting to be sent', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, server.url);
    await waitForApp(page);
    // Offline keeps the pending entry from being sent; the reload then comes from the service worker.
    await controlled(page);
    await b.context.setOffline(true);
    const entry = (key, receipt) => ({
      key, reference: 'TPV-Y22-8V2', endpoint: `${server.url}api/v1/reports`, body: '{}', created_ms: 1, attempts: 0, next_ms: 1,
      last_error: null, receipt, refused: null,
    });
    const delivered = { reference: 'TPV-Y22-8V2', received_at: '2026-11-28T00:00:00Z', idempotency_key: 'delivered-key-0001', status: 'received' };
    await page.evaluate(([ok, ov, dk, dv]) => { localStorage.setItem(ok, ov); localStorage.setItem(dk, dv); },
      [OUTBOX, JSON.stringify({ version: 1, entries: [entry('pending-key-00001', null), entry('delivered-key-0001', delivered)] }),
        KEY, JSON.stringify(draft(HOUSEHOLD_A))]);
    await page.reload();
    await waitForApp(page);
    await page.click('[data-testid=clear]');
    await page.click('[data-testid=clear-confirm]');
    await page.waitForSelector('[data-testid=notice]');
    const left = await page.evaluate(([ok, dk]) => ({ outbox: JSON.parse(localStorage.getItem(ok)), draft: localStorage.getItem(dk) }), [OUTBOX, KEY]);
    assert.deepEqual(left.outbox.entries.map((e) => e.key), ['pending-key-00001'], 'only the undelivered report stays');
    assert.ok(left.draft === null || !JSON.parse(left.draft).form?.members?.length, 'the household is gone');
    // What it says is what it did: not "cleared" alone while an application with an ID number stays.
    assert.match(await text(page, '[data-testid=notice]'), /已经清除，只留下还没送到的申请（里面有您的姓名、身份证号等）/);
    // An outbox that cannot be read (damaged) is kept under its own key, never written over with an empty list.
    await page.evaluate((ok) => { localStorage.clear(); localStorage.setItem(ok, '{"version":1,"entries":[{"key":"half-writ'); }, OUTBOX);
    await page.reload();
    await waitForApp(page);
    // (The outbox is read once the app's second file has started it.)
    await page.waitForFunction(() => Object.keys(localStorage).some((k) => k.startsWith('fangpin.outbox.aside.')), null, { timeout: 10000 });
    const kept = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.outbox.aside.')).map((k) => localStorage.getItem(k)));
    assert.deepEqual(kept, ['{"version":1,"entries":[{"key":"half-writ'], 'the unreadable outbox is kept aside');
    clean(problems, { network: true });
  } finally {
    await b.close();
  }
});

test("one-click goes to the site's own receiver without URL parameters, handoff links keep it, and --receiver off restores the provincial app's instructions", async () => {
  const b = await launchBrowser();
  const priv = mkdtempSync(join(tmpdir(), 'fangpin-receiver-'));
  let other;
  try {
    // A phone on the plain page: the consent names the server's own receiver; a link cannot point it elsewhere.
    const { page, problems } = await seeded(b.context, draft(HOUSEHOLD_B, APPLY_B), '?endpoint=https://evil.example/steal');
    const reference = await text(page, '[data-testid=reference]');
    // (Other tests on this server sent the same household: count this one's rows only.)
    const earlier = (await staffRows()).filter((r) => r.reference === reference).length;
    await page.click('[data-testid=one-click-prepare]');
    assert.match(await text(page, '[data-testid=consent]'), new RegExp(`发送地址：${server.origin.replace(/[.]/g, '\\.')}/api/v1/reports`));
    await page.click('[data-testid=one-click-send]');
    await statusIs(page, 'delivered');
    assert.equal((await staffRows()).filter((r) => r.reference === reference).length, earlier + 1);
    // The QR handoff opened on a worker's phone: the same receiver, with no parameter either.
    const link = await page.getAttribute('[data-testid=qr]', 'data-link');
    assert.ok(!link.includes('endpoint'), link);
    const w = await launchBrowser();
    try {
      const opened = await openPage(w.context, link);
      await waitForApp(opened.page);
      await opened.page.click('[data-testid=one-click-prepare]');
      assert.match(await text(opened.page, '[data-testid=consent]'), /发送地址：http:\/\/127\.0\.0\.1:\d+\/api\/v1\/reports/);
      clean(opened.problems);
    } finally {
      await w.close();
    }
    clean(problems);
    // A copy of the site published for a static host (--receiver off): the provincial app's instructions again.
    const site = join(priv, 'site');
    cpSync(join(ROOT, 'target', 'site'), site, { recursive: true });
    const cli = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'debug', 'fangpin');
    const out = spawnSync(cli, ['publish-policy', join(ROOT, 'policy-data'), site, '--receiver', 'off'], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout + out.stderr);
    other = await startServer({ site, extraArgs: ['--db', join(priv, 'r.sqlite3')] });
    const b2 = await launchBrowser();
    try {
      const opened = await openPage(b2.context, other.url);
      await waitForApp(opened.page);
      await opened.page.evaluate(([k, v]) => localStorage.setItem(k, v), [KEY, JSON.stringify(draft(HOUSEHOLD_A))]);
      await opened.page.reload();
      await waitForApp(opened.page);
      await opened.page.click('[data-testid=to-application]');
      assert.match(await text(opened.page, '[data-testid=one-click-copy-hint]'), /复制文字/);
      assert.equal(await opened.page.locator('[data-testid=one-click-prepare]').count(), 0);
      clean(opened.problems);
    } finally {
      await b2.close();
    }
  } finally {
    await b.close();
    await other?.stop();
    rmSync(priv, { recursive: true, force: true });
  }
});
