// What a careless typist or an attacker does to the page (issue 10): full-width digits and Chinese in an
// ID number, invisible and direction-changing characters, 10,000 characters, thirty-one members; a draft
// that stopped the app from starting; the iframe embed whose loader arrives late and whose content
// shrinks; three adults' signatures on the printed page; and what the page says about the data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot } from './harness.mjs';
import { HOUSEHOLD_A, draft, idFor } from './households.mjs';

const KEY = 'fangpin.draft.v1';
let server, browser, dir;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-hostile-'));
  server = await startServer({ extraArgs: ['--db', join(dir, 'r.sqlite3')] });
  browser = await launchBrowser();
});
after(async () => { await browser?.close(); await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

/** The page with `d` as the stored draft (and nothing else stored). */
async function seeded(d) {
  const opened = await openPage(browser.context, server.url);
  await waitForApp(opened.page);
  await opened.page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [KEY, JSON.stringify(d)]);
  await opened.page.reload();
  await waitForApp(opened.page);
  return opened;
}
const stored = (page) => page.evaluate((k) => JSON.parse(localStorage.getItem(k) || 'null'), KEY);
const fullWidth = (s) => [...s].map((c) => (c >= '0' && c <= '9' ? String.fromCharCode(c.charCodeAt(0) - 48 + 0xff10) : c)).join('');

test('an ID number typed in full-width digits, or with a Chinese character in it, is checked without a crash and nothing typed after it is lost', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A));
  await page.click('[data-testid=to-application]');
  await page.waitForSelector('[data-screen=application] [data-testid=sheet]');
  // 18 full-width digits, one key at a time (the page died at the 18th before).
  const id = idFor(52, 1);
  await page.locator('#fp-ap-id-0').pressSequentially(fullWidth(id));
  await page.fill('#fp-ap-village', '洪田村');
  assert.equal(await page.locator('#fp-ap-id-0').inputValue(), fullWidth(id), 'what was typed stays as typed');
  assert.equal(await page.locator('#fp-ap-id-0').getAttribute('aria-invalid'), 'false', 'a valid number in full-width digits is accepted');
  assert.match(await page.innerText('[data-testid=sheet]'), new RegExp(id), 'the form carries it in plain digits');
  // A Chinese character among the digits: the field's plain message, and the next field still saves.
  await page.fill('#fp-ap-id-1', '350481197803070张13');
  await page.fill('#fp-ap-address', '洪田村3组12号');
  const field = page.locator('#fp-ap-id-1').locator('xpath=ancestor::div[contains(@class,"fp-field")][1]');
  assert.match(await field.innerText(), /身份证号应是 18 位/);
  await page.reload();
  await waitForApp(page);
  const d = await stored(page);
  assert.equal(d.apply.id_numbers[0], fullWidth(id));
  assert.equal(d.apply.id_numbers[1], '350481197803070张13');
  assert.equal(d.apply.address, '洪田村3组12号', 'typed after the bad ID, still saved');
  assertClean(t, problems);
});

test('names with invisible or direction-changing characters, or 10,000 characters, get a plain message at the field; at most 30 members', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A, {}, { screen: 'members' }));
  await page.fill('#fp-m1-name', '李\u202E秀英');
  await page.fill('#fp-m2-name', '张'.repeat(10_000));
  const error = (i) => page.locator(`#fp-m${i}-name`).locator('xpath=ancestor::div[contains(@class,"fp-field")][1]').locator('.fp-error');
  assert.match(await error(1).innerText(), /改变文字显示顺序的特殊字符/);
  assert.match(await error(2).innerText(), /最多填 50 个字/);
  assert.equal(await page.locator('#fp-m2-name').inputValue(), '张'.repeat(10_000), 'the text is kept as typed');
  await page.fill('#fp-m1-name', '李秀英😀');
  assert.equal(await error(1).innerText(), '', 'emoji are fine');
  // Thirty members, then no more.
  await page.evaluate(([k, d]) => localStorage.setItem(k, d), [KEY, JSON.stringify(draft({
    ...HOUSEHOLD_A, members: Array.from({ length: 29 }, (_, i) => ({ ...HOUSEHOLD_A.members[0], name: `成员${i}`, relation: i ? 'child' : 'head' })),
  }, {}, { screen: 'members' }))]);
  await page.reload();
  await waitForApp(page);
  await page.click('[data-testid=add-member]');
  await page.waitForSelector('[data-testid=members-full]');
  assert.equal(await page.locator('[data-testid=add-member]').count(), 0);
  assert.equal(await page.locator('[data-member]').count(), 30);
  await screenshot(page, 'hostile-members-full');
  assertClean(t, problems);
});

test('a draft that kept the app from starting is set aside on the next start, said plainly, and kept', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A));
  // The mark a start leaves until it has drawn its first screen: as if the last start never got there.
  await page.evaluate(() => localStorage.setItem(`fangpin.starting.fangpin.draft.v1`, '1'));
  await page.reload();
  await waitForApp(page);
  assert.match(await page.innerText('[data-testid=notice]'), /没能正常启动/);
  assert.equal(await page.getAttribute('[data-screen]', 'data-screen'), 'start', 'a fresh start');
  const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.draft.aside.')).map((k) => localStorage.getItem(k)));
  assert.equal(aside.length, 1);
  assert.equal(JSON.parse(aside[0]).form.members[0].name, '张大山', 'the household is kept aside, not deleted');
  // A start that works leaves no mark: the next visit is normal.
  await page.reload();
  await waitForApp(page);
  assert.equal(await page.locator('[data-testid=notice]').count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('fangpin.starting.fangpin.draft.v1')), null);
  assertClean(t, problems);
});

test('removing a member takes their ID number with them (the others keep theirs), and one tap undoes it', async (t) => {
  const ids = [idFor(52, 1), idFor(50, 2), idFor(15, 3)];
  const { page, problems } = await seeded(draft(HOUSEHOLD_A, { id_numbers: ids }, { screen: 'members' }));
  await page.waitForSelector('[data-screen=members] [data-member="2"]');
  await page.click('[data-member="1"] [data-testid=remove-member]');
  await page.waitForSelector('[data-testid=member-removed]');
  assert.match(await page.textContent('[data-testid=member-removed]'), /已删除第 2 位家人 李秀英。删错了可以撤销。/);
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'undo-remove-member', 'the undo is where the focus is');
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).form.members.length === 2, KEY);
  let d = await stored(page);
  assert.deepEqual(d.form.members.map((m) => m.name), ['张大山', '张小明']);
  // 张小明 keeps his own number: the application reads them by position.
  assert.deepEqual(d.apply.id_numbers, [ids[0], ids[2]]);
  await page.click('[data-testid=undo-remove-member]');
  await page.waitForFunction((k) => JSON.parse(localStorage.getItem(k)).form.members.length === 3, KEY);
  d = await stored(page);
  assert.deepEqual(d.form.members.map((m) => m.name), ['张大山', '李秀英', '张小明']);
  assert.equal(d.form.members[1].serious_illness, true, 'what was typed for her is back too');
  assert.deepEqual(d.apply.id_numbers, ids);
  assert.equal(await page.locator('[data-testid=member-removed]').count(), 0);
  assert.equal(await page.inputValue('[data-member="1"] input[id$="name"]'), '李秀英');
  assertClean(t, problems);
});

test('an unreadable draft on a full phone is never saved over, and the page says so', async (t) => {
  const opened = await openPage(browser.context, server.url);
  const { page, problems } = opened;
  await waitForApp(page);
  // The damaged draft, then storage filled to the brim: no copy of the draft can be made.
  const filled = await page.evaluate((k) => {
    localStorage.clear();
    localStorage.setItem(k, '{"version":1,"form":{"members":[{"name":"张大');
    let chunk = 'x'.repeat(1 << 20), n = 0;
    for (;;) {
      try { localStorage.setItem(`fill.${n}`, chunk); n += 1; } catch {
        if (chunk.length < 16) break;
        chunk = chunk.slice(0, chunk.length / 2);
      }
    }
    return n;
  }, KEY);
  assert.ok(filled > 0);
  await page.reload();
  await waitForApp(page);
  await page.waitForSelector('[data-testid=notice]');
  assert.match(await page.textContent('[data-testid=notice]'), /手机的存储也满了，没法另存一份。为了不覆盖它，这次填写的内容不会保存在手机上/);
  assert.match(await page.textContent('[data-testid=notice]'), /用打电话、二维码或打印来申报/);
  // Room again (a megabyte freed), so a save would now succeed: typing still does not write over it,
  // and with the notice closed the page still says it is not saving (which the update bar reads).
  await page.evaluate(() => localStorage.removeItem('fill.0'));
  await page.click('[data-testid=notice] button');
  await page.click('[data-testid=start]');
  await page.fill('[data-screen=members] input[id$="-name"]', '李四');
  await page.waitForSelector('[data-testid=save-failed][data-unsaved]');
  await page.waitForTimeout(300);
  assert.equal(await page.evaluate((k) => localStorage.getItem(k), KEY), '{"version":1,"form":{"members":[{"name":"张大');
  // 清除本机数据 removes it: from then on what is typed is saved.
  await page.click('[data-testid=clear]');
  await page.click('[data-testid=clear-confirm]');
  await page.waitForSelector('[data-testid=notice]');
  await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fill.')).forEach((k) => localStorage.removeItem(k)));
  await page.click('[data-testid=notice] button');
  await page.click('[data-testid=start]');
  await page.fill('[data-screen=members] input[id$="-name"]', '王五');
  await page.waitForFunction((k) => /王五/.test(localStorage.getItem(k) || ''), KEY);
  assert.equal(await page.locator('[data-testid=save-failed]').count(), 0);
  await page.evaluate(() => localStorage.clear());
  assertClean(t, problems);
});

/** Chromium's PDF of the page, one text per page (pdftotext). */
function pdfPagesText(pdf) {
  const file = join(dir, 'print.pdf');
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return text.split('\f').filter((p) => p.trim());
}

test('printed, the pledge and every signature box of three adults stay on one page', async (t) => {
  const three = { ...HOUSEHOLD_A, members: [...HOUSEHOLD_A.members.slice(0, 2), { ...HOUSEHOLD_A.members[0], name: '张老汉', relation: 'parent', age: '78' }, HOUSEHOLD_A.members[2]] };
  const { page, problems } = await seeded(draft(three, { phone: '13812345678', village: '洪田村', address: '洪田村3组12号', id_numbers: [idFor(52, 1), idFor(50, 2), idFor(78, 3), idFor(15, 4)] }));
  await page.click('[data-testid=to-application]');
  await page.waitForSelector('[data-screen=application] [data-testid=sheet]');
  await page.fill('#fp-ap-difficulty', '家里的困难情况说明。'.repeat(40));
  const pages = pdfPagesText(await page.pdf({ format: 'A4', preferCSSPageSize: true }));
  assert.ok(pages.length >= 1 && pages.length <= 2, `${pages.length} pages`);
  const withPledge = pages.findIndex((p) => /承诺/.test(p) && /签字并按手印/.test(p));
  assert.ok(withPledge >= 0, 'the pledge and the signature heading are on one page');
  const squash = (s) => s.replace(/\s+/g, '');
  for (const name of ['张大山', '李秀英', '张老汉']) {
    const on = pages.map((p, i) => [i, (squash(p).match(new RegExp(`${name}（\\d+岁）`, 'g')) || []).length]).filter(([, n]) => n).map(([i]) => i);
    assert.deepEqual(on, [withPledge], `${name}'s signature box is on the page of the pledge`);
  }
  assertClean(t, problems);
});

test('what the page says about the data is true: nothing leaves until you send, and what a sent application holds', async (t) => {
  const { page, problems } = await seeded(draft(HOUSEHOLD_A, {}, { screen: 'start' }));
  const all = async () => page.evaluate(() => {
    document.querySelectorAll('details').forEach((d) => { d.open = true; });
    return document.body.innerText;
  });
  let text = await all();
  assert.doesNotMatch(text, /不会发送出去|not sent anywhere|nothing is sent/);
  assert.match(text, /在您选择发送申请之前，什么都不会离开这台手机/);
  assert.match(text, /申请里有：户主姓名、身份证号、手机号、住址；每位家人的姓名/);
  assert.match(text, /它只去您选的那一个渠道/);
  // Every channel the application screen offers is in that list, the copied text with where it goes.
  assert.match(text, /复制的文字，您粘贴给谁就到谁那里（用微信发，会经过微信的服务器）/);
  await page.click('[data-testid=start]');
  await page.waitForSelector('[data-screen=members]');
  text = await all();
  assert.doesNotMatch(text, /不会发送出去|not sent anywhere/);
  assert.match(text, /只有您选择发送申请时，姓名才会写进申请/);
  assertClean(t, problems);
});

test('the iframe embed: a loader that arrives after the frame still sizes it, and the frame shrinks with its content', async (t) => {
  // A host on another origin whose embed script comes only after the frame has loaded (a slow site),
  // and the self-check's server told that this host may frame it.
  const hostDir = mkdtempSync(join(tmpdir(), 'fangpin-host-'));
  const host = createServer((req, res) => {
    const name = new URL(req.url, 'http://x').pathname.slice(1) || 'index.html';
    let body;
    try { body = readFileSync(join(hostDir, name)); } catch { res.writeHead(404).end(); return; }
    res.writeHead(200, {
      'content-type': name.endsWith('.js') ? 'text/javascript' : 'text/html; charset=utf-8',
      'content-security-policy': `default-src 'self'; script-src 'self' ${appOrigin} 'wasm-unsafe-eval'; connect-src 'self' ${appOrigin}; frame-src ${appOrigin}; style-src 'self' ${appOrigin}; img-src 'self' data:`,
    });
    res.end(body);
  });
  await new Promise((r) => host.listen(0, '127.0.0.1', r));
  const hostUrl = `http://127.0.0.1:${host.address().port}/`;
  const app = await startServer({ extraArgs: ['--db', join(dir, 'frame.sqlite3'), '--embed-origin', hostUrl.slice(0, -1)] });
  const appOrigin = app.origin;
  writeFileSync(join(hostDir, 'late.js'), `
    const frame = document.querySelector('iframe');
    frame.addEventListener('load', () => setTimeout(() => {
      const s = document.createElement('script'); s.type = 'module'; s.src = '${appOrigin}/embed.js'; document.head.append(s);
    }, 1500), { once: true });`);
  writeFileSync(join(hostDir, 'index.html'), `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>县政府</title>
    <link rel="icon" href="data:,"><script type="module" src="late.js"></script></head>
    <body><iframe data-fangpin-frame title="防止返贫自测" src="${appOrigin}/index.html" width="390" height="150"></iframe></body></html>`);
  try {
    const { page, problems } = await openPage(browser.context, hostUrl, { allowOrigins: [appOrigin] });
    const frame = page.frameLocator('iframe[data-fangpin-frame]');
    await frame.locator('[data-app-ready], [data-testid=start]').first().waitFor({ timeout: 20000 });
    const frameHeight = () => page.locator('iframe').evaluate((f) => f.clientHeight);
    const contentHeight = () => frame.locator('body').evaluate((b) => b.getBoundingClientRect().height);
    /** The frame's height once it has caught up with its content (it follows each change). */
    const settled = async (what) => {
      let f = 0, c = Infinity;
      for (let i = 0; i < 50 && Math.abs(f - c) > 2; i++) {
        if (i) await page.waitForTimeout(200);
        [f, c] = [await frameHeight(), await contentHeight()];
      }
      assert.ok(Math.abs(f - c) <= 2, `${what}: frame ${f}px, content ${c}px`);
      return f;
    };
    // The loader came 1.5 s after the frame had loaded and reported nothing yet: it asks, the frame answers.
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height > 600, null, { timeout: 15000 });
    await settled('sized to its content once the late loader asked');
    // Many members in the frame's own (partitioned) storage: a tall members step after the frame reloads.
    await frame.locator('body').evaluate((b, [k, d]) => { localStorage.clear(); localStorage.setItem(k, d); location.reload(); }, [KEY, JSON.stringify(draft({
      ...HOUSEHOLD_A, members: Array.from({ length: 10 }, (_, i) => ({ ...HOUSEHOLD_A.members[0], name: `成员${i}`, relation: i ? 'child' : 'head' })),
    }, {}, { screen: 'members' }))]).catch(() => {});
    await frame.locator('[data-screen=members]').waitFor({ timeout: 20000 });
    await page.waitForFunction(() => document.querySelector('iframe').getBoundingClientRect().height > 2500, null, { timeout: 15000 });
    const tall = await settled('sized to its content after the frame loaded a page');
    for (let i = 0; i < 9; i++) await frame.locator('[data-testid=remove-member]').first().click();
    await page.waitForFunction((h) => document.querySelector('iframe').getBoundingClientRect().height < h - 1000, tall, { timeout: 10000 });
    await settled('shrank to its content');
    assertClean(t, problems);
  } finally {
    await app.stop();
    host.closeAllConnections();
    await new Promise((r) => host.close(r));
    rmSync(hostDir, { recursive: true, force: true });
  }
});
