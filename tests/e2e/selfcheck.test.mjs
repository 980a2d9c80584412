// The self-check flow at phone size: start → five household steps → result → application placeholder.
// Every figure asserted here is computed by hand from the Yong'an 2023 profile (monitoring range
// 10,560 yuan, provisional) and must come out of the core unchanged.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launchBrowser, openPage, waitForApp, assertClean, screenshot, axe } from './harness.mjs';

const KEY = 'fangpin.draft.v1';

let server, browser;
before(async () => { server = await startServer(); browser = await launchBrowser(); });
after(async () => { await browser?.close(); await server?.stop(); });

/** A fresh page on the start screen with empty storage. */
async function fresh(t, b = browser) {
  const opened = await openPage(b.context, server.url);
  await waitForApp(opened.page);
  await opened.page.evaluate(() => localStorage.clear());
  await opened.page.reload();
  await waitForApp(opened.page);
  return opened;
}


const screenIs = async (page, name) => page.waitForSelector(`[data-screen=${name}]`);
const next = async (page) => page.click('[data-testid=next]');
const fill = async (page, id, text) => page.fill(`#fp-${id}`, text);
const choose = async (page, name, index) => page.check(`#fp-${name}-${index}`);
async function openMore(page, i) {
  const d = page.locator(`[data-member="${i}"] details.fp-more`);
  if (!(await d.evaluate((el) => el.open))) await d.locator('summary').click();
}
const text = async (page, sel) => (await page.innerText(sel)).replace(/\s+/g, ' ').trim();

/** Member i: age, labour (0 full … 3 none), insured (0 yes, 1 no), ill. */
async function member(page, i, { name = '', relation, age, labour = 0, insured = 0, ill = false, dibao } = {}) {
  if (i > 0) await page.click('[data-testid=add-member]');
  if (name) await fill(page, `m${i}-name`, name);
  if (relation !== undefined) await page.selectOption(`#fp-m${i}-relation`, String(relation));
  await fill(page, `m${i}-age`, String(age));
  await choose(page, `m${i}-labour`, labour);
  await choose(page, `m${i}-medical_insurance`, insured);
  if (ill) await page.check(`#fp-m${i}-serious_illness`);
  if (dibao !== undefined) { await openMore(page, i); await choose(page, `m${i}-dibao`, dibao); }
}

/** Housing A, clean water, 100 litres, piped, always on: no guarantee risk. */
async function safeHome(page) {
  await choose(page, 'housing', 0);
  await choose(page, 'water_quality', 0);
  await fill(page, 'water_litres', '100');
  await fill(page, 'water_minutes', '0');
  await fill(page, 'water_supply', '100');
}

async function result(page) {
  await screenIs(page, 'result');
  return {
    category: await page.getAttribute('[data-testid=category]', 'data-category'),
    perCapita: await page.textContent('[data-testid=per-capita]').catch(() => null),
    below: await page.getAttribute('[data-testid=position]', 'data-below').catch(() => null),
    gap: await page.getAttribute('[data-testid=gap]', 'data-gap').catch(() => null),
    risks: await page.$$eval('[data-risk]', (els) => els.map((e) => e.dataset.risk)),
    measures: await page.$$eval('[data-measure]', (els) => els.map((e) => e.dataset.measure)),
  };
}

test('(a) below the line with an illness: marginal household at risk, medical aid, every screen checked', async (t) => {
  const { page, problems } = await fresh(t);
  // Start: the 申报政策明白纸 of the profile.
  assert.match(await text(page, '[data-testid=application-sheet]'), /谁可以申请.*脱贫不稳定户.*边缘易致贫户.*突发严重困难户.*怎么申请.*12317.*申请以后/);
  assert.match(await text(page, '[data-testid=range-note]'), /暂定.*以永安市乡村振兴局公布的监测范围为准/);
  await axe(page, 'start');
  await screenshot(page, 'selfcheck-1-start');
  await page.click('[data-testid=start]');

  await screenIs(page, 'members');
  assert.match(await text(page, '#fp-screen-title'), /第 1 步（共 5 步）/);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fp-screen-title', 'focus moves to the new screen');
  await member(page, 0, { name: '王建国', age: 52 });
  await member(page, 1, { name: '李秀英', relation: 1, age: 50, ill: true });
  await member(page, 2, { relation: 2, age: 19 });
  assert.equal(await page.locator('[data-member]').count(), 3);
  await axe(page, 'members');
  await screenshot(page, 'selfcheck-2-members');
  await next(page);

  await screenIs(page, 'income');
  // 1.2万 + 8,000 + ２０００ (full-width) − 2000 = 20,000 net; ÷ 3 = 6,666.67 (display rounding only).
  await fill(page, 'wage', '1.2万');
  await fill(page, 'business', '8,000');
  await fill(page, 'business_costs', '2000');
  await fill(page, 'transfer', '２０００');
  assert.match(await text(page, '[data-testid=live-summary]'), /6,666\.67.*低于监测范围 10,560\.00/);
  assert.match(await text(page, '[data-testid=exclusions]'), /优抚金.*抚恤金/);
  await axe(page, 'income');
  await screenshot(page, 'selfcheck-3-income');
  await next(page);

  await screenIs(page, 'spending');
  await fill(page, 'outpatient', '3000');
  await axe(page, 'spending');
  await screenshot(page, 'selfcheck-4-spending');
  await next(page);

  await screenIs(page, 'guarantees');
  await safeHome(page);
  await axe(page, 'guarantees');
  await screenshot(page, 'selfcheck-5-guarantees');
  await next(page);

  await screenIs(page, 'situations');
  await choose(page, 'formerly_poor', 1);
  await fill(page, 'collected_by', '本人');
  await axe(page, 'situations');
  await screenshot(page, 'selfcheck-6-situations');
  await next(page);

  const r = await result(page);
  assert.equal(r.category, 'marginal_at_risk');
  assert.equal(r.perCapita, '6,666.67');
  assert.equal(r.below, 'true');
  assert.equal(r.gap, '3893.33'); // (10,560 × 3 − 20,000) ÷ 3
  // The illness, and what is left after the 3,000 of medicine: (20,000 − 3,000) ÷ 3 = 5,666.67 < 10,560.
  assert.deepEqual(r.risks, ['serious_illness', 'rigid_spending_heavy']);
  assert.ok(r.measures.includes('medical_assistance'), r.measures.join());
  assert.ok(r.measures.includes('employment'), 'development help for a household that can work');
  assert.match(await text(page, '[data-testid=computation]'), /收入合计 22,000\.00 元.*− 2,000\.00 元.*家庭纯收入 20,000\.00 元.*÷ 3 人.*人均纯收入 6,666\.67 元/);
  assert.match(await text(page, '[data-testid=gap]'), /每人每年 3,893\.33 元（全家共 11,680\.00 元）/);
  assert.match(await text(page, '[data-measure=medical_assistance]'), /永安市医疗保障局.*电话/);
  // Bar vs line: the bar ends left of the line (6,666.67 of a 13,200 scale → 152 of 300; the line at 240).
  assert.equal(await page.getAttribute('.fp-bar-fill', 'data-width'), '152');
  assert.equal(await page.getAttribute('.fp-bar-line', 'data-x'), '240');
  // "为什么" names the rule and the source, and says "provisional" where the profile does.
  const why = page.locator('[data-risk=serious_illness] details');
  await why.locator('summary').click();
  assert.match(await text(page, '[data-risk=serious_illness]'), /家里有人患大病或慢性病.*容易因病返贫致贫/);
  assert.match(await why.textContent(), /政策原文：.*来源：.*2023-04-28/s);
  const calcWhy = page.locator('[data-testid=computation] details');
  await calcWhy.locator('summary').click();
  assert.match(await calcWhy.textContent(), /暂定：/);
  assert.equal(await page.getAttribute('[data-testid=result-summary]', 'aria-live'), 'polite');
  await axe(page, 'result');
  await screenshot(page, 'selfcheck-7-result');

  await page.click('[data-testid=to-application]');
  await screenIs(page, 'application');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'fp-screen-title');
  await axe(page, 'application');
  await screenshot(page, 'selfcheck-8-application');
  assertClean(t, problems);
  await page.close();
});

/** Types a whole household through the steps (only the fields given) and opens the result. */
async function household(page, { members, income = {}, spending = {}, situations = {} }) {
  await page.click('[data-testid=start]');
  await screenIs(page, 'members');
  for (const [i, m] of members.entries()) await member(page, i, m);
  await next(page);
  await screenIs(page, 'income');
  for (const [k, v] of Object.entries(income)) await fill(page, k, v);
  await next(page);
  await screenIs(page, 'spending');
  for (const [k, v] of Object.entries(spending)) await fill(page, k, v);
  await next(page);
  await screenIs(page, 'guarantees');
  await safeHome(page);
  await next(page);
  await screenIs(page, 'situations');
  await choose(page, 'formerly_poor', situations.formerlyPoor ? 0 : 1);
  await fill(page, 'collected_by', '本人');
  await next(page);
  return result(page);
}

test('(b) above the line but hit by an accident: sudden severe hardship and one-off aid', async (t) => {
  const { page, problems } = await fresh(t);
  // 40,000 ÷ 2 = 20,000 per person (above); after a 50,000 accident: (40,000 − 50,000) ÷ 2 = −5,000 < 10,560.
  const r = await household(page, {
    members: [{ age: 45 }, { relation: 1, age: 43 }],
    income: { wage: '40000' },
    spending: { accident: '5万' },
  });
  assert.equal(r.category, 'sudden_hardship');
  assert.equal(r.perCapita, '20,000.00');
  assert.equal(r.below, 'false');
  assert.equal(r.gap, '-9440.00');
  assert.deepEqual(r.risks, ['rigid_spending_heavy']);
  assert.ok(r.measures.includes('temporary_assistance'), r.measures.join());
  assert.match(await text(page, '[data-testid=gap]'), /高出每人每年 9,440\.00 元.*人均约剩 -5,000\.00 元/);
  assert.match(await text(page, '[data-testid=category-detail]'), /突发严重困难户.*收入高于监测范围也可以申请/);
  // The bar passes the line: 20,000 of 25,000 → 240; the line at 10,560 → 127.
  assert.equal(await page.getAttribute('.fp-bar-fill', 'data-width'), '240');
  assert.equal(await page.getAttribute('.fp-bar-line', 'data-x'), '127');
  await screenshot(page, 'selfcheck-b-accident');
  assertClean(t, problems);
  await page.close();
});

test('(c) a household with no risk: no category, no measures, the gap above the line', async (t) => {
  const { page, problems } = await fresh(t);
  const r = await household(page, {
    members: [{ age: 38 }, { relation: 1, age: 36 }],
    income: { wage: '5万', property: '1,000.50' },
  });
  assert.equal(r.category, 'none');
  assert.equal(r.perCapita, '25,500.25'); // 51,000.50 ÷ 2
  assert.equal(r.gap, '-14940.25');
  assert.deepEqual(r.risks, []);
  assert.deepEqual(r.measures, []);
  assert.match(await text(page, '[data-testid=category]'), /暂时没有发现返贫致贫风险/);
  assert.ok(await page.isVisible('[data-testid=no-risks]'));
  assert.ok(await page.isVisible('[data-testid=no-measures]'));
  await screenshot(page, 'selfcheck-c-no-risk');
  assertClean(t, problems);
  await page.close();
});

test('(d) one person who cannot work: whole household without labour, safety-net help only', async (t) => {
  const { page, problems } = await fresh(t);
  // 6,000 ÷ 1 = 6,000 (below); chronic illness → marginal at risk; nobody can work → no development help.
  const r = await household(page, {
    members: [{ name: '陈阿婆', age: 78, labour: 3, ill: true, dibao: 1 }],
    income: { transfer: '6000' },
  });
  assert.equal(r.category, 'marginal_at_risk');
  assert.equal(r.perCapita, '6,000.00');
  assert.equal(r.gap, '4560.00');
  assert.ok(await page.isVisible('[data-testid=no-labour]'));
  assert.match(await text(page, '[data-testid=no-labour]'), /整户无劳动能力/);
  for (const m of ['dibao', 'tekun', 'medical_assistance']) assert.ok(r.measures.includes(m), `${m} in ${r.measures}`);
  for (const m of ['industry_support', 'employment', 'small_loan', 'skills_training']) assert.ok(!r.measures.includes(m), `no ${m}`);
  await screenshot(page, 'selfcheck-d-no-labour');
  assertClean(t, problems);
  await page.close();
});

test('bad amounts get the core\'s message at the field, keep the typed text, and survive a reload', async (t) => {
  const { page, problems } = await fresh(t);
  await page.click('[data-testid=start]');
  // A narrow step button breaks a four-character name in its middle (家庭/成员).
  assert.equal(await page.$eval('.fp-step .fp-stepname', (e) => e.innerHTML), '家庭<wbr>成员');
  // The ability to work is asked, not pre-ticked "able to work" (an 82-year-old left it so).
  assert.equal(await page.locator('[name=fp-m0-labour]:checked').count(), 0);
  assert.equal(await text(page, '#fp-m0-labour-err'), '请选一下这位家人的劳动能力。');
  await member(page, 0, { age: 40 });
  assert.equal(await text(page, '#fp-m0-labour-err'), '');
  // Before the income step the line gives no verdict (it said "0.00, below the range").
  assert.match(await text(page, '[data-testid=live-summary]'), /^收入在第 2 步填写；填好以后，这里会显示人均纯收入。$/);
  await next(page);
  await screenIs(page, 'income');
  const cases = [
    ['wage', '一万二', /这里请填数字，例如 12000 或 1\.2万/],
    ['business', '-500', /金额不能是负数/],
    ['property', '12.345', /金额最多填到“分”/],
    ['transfer', '1000000000', /金额太大了/],
  ];
  for (const [id, typed, message] of cases) {
    await fill(page, id, typed);
    assert.equal(await page.inputValue(`#fp-${id}`), typed, 'the typed text stays');
    assert.equal(await page.getAttribute(`#fp-${id}`, 'aria-invalid'), 'true');
    assert.match(await page.getAttribute(`#fp-${id}`, 'aria-describedby'), new RegExp(`fp-${id}-err`));
    assert.match(await text(page, `#fp-${id}-err`), message);
  }
  await fill(page, 'business_costs', '300');
  assert.equal(await page.getAttribute('#fp-business_costs', 'aria-invalid'), 'false');
  assert.match(await text(page, '[data-testid=live-summary]'), /有 4 处填写要改正/);
  await axe(page, 'income with errors');
  await screenshot(page, 'selfcheck-errors');
  await page.reload();
  await waitForApp(page);
  await screenIs(page, 'income');
  for (const [id, typed, message] of cases) {
    assert.equal(await page.inputValue(`#fp-${id}`), typed);
    assert.match(await text(page, `#fp-${id}-err`), message);
  }
  // In English the same problems speak English, still at the field.
  await page.click('[data-testid=lang-toggle]');
  assert.match(await text(page, '#fp-wage-err'), /Please enter a number/);
  assert.match(await text(page, '#fp-business-err'), /cannot be negative/);
  // Correcting one field removes only its message.
  await page.click('[data-testid=lang-toggle]');
  await fill(page, 'wage', '12000');
  assert.equal(await page.getAttribute('#fp-wage', 'aria-invalid'), 'false');
  assert.equal(await text(page, '#fp-wage-err'), '');
  assert.match(await text(page, '[data-testid=live-summary]'), /有 3 处填写要改正/);
  // Two amounts in one field are never read as one (800、600 is not 800,600); an amount not in
  // plain digits says what it was read as, so a reading not meant is seen.
  const readsAs = () => text(page, '#fp-wage >> xpath=ancestor::div[contains(@class,"fp-field")]//p[@data-reads-as]');
  await fill(page, 'wage', '800、600');
  assert.match(await text(page, '#fp-wage-err'), /只填一个数。几笔钱请先加起来再填/);
  assert.equal(await readsAs(), '');
  await fill(page, 'wage', '12，000');
  assert.equal(await text(page, '#fp-wage-err'), '');
  assert.equal(await readsAs(), '读作 12,000.00 元');
  await fill(page, 'wage', '1.2万');
  assert.equal(await readsAs(), '读作 12,000.00 元');
  await fill(page, 'wage', '12000');
  assert.equal(await readsAs(), '');
  // The result says first that three answers are not counted, each with its step and a way to it.
  for (const name of ['spending', 'guarantees', 'situations', 'result']) { await next(page); await screenIs(page, name); }
  const unread = '[data-testid=unread-answers]';
  assert.deepEqual(await page.$$eval(`${unread} li`, (els) => els.map((e) => e.dataset.field)), ['business', 'property', 'transfer']);
  assert.match(await text(page, unread), /^有 3 处填写没有读懂，下面的结果没有把它们算进去。.*第 2 步（收入）“生产经营性收入（卖出的总钱数）”：金额不能是负数。/);
  await page.click(`${unread} li[data-field=property] button`);
  await screenIs(page, 'income');
  await page.waitForFunction(() => document.activeElement?.id === 'fp-property');
  await fill(page, 'business', '500');
  await fill(page, 'property', '12.34');
  await fill(page, 'transfer', '1000');
  for (const name of ['spending', 'guarantees', 'situations', 'result']) { await next(page); await screenIs(page, name); }
  assert.equal(await page.locator(unread).count(), 0, 'all read: no notice');
  assertClean(t, problems);
  await page.close();
});

test('a reload mid-flow restores every answer and the step; 清除本机数据 removes it all', async (t) => {
  const { page, problems } = await fresh(t);
  await page.click('[data-testid=start]');
  await member(page, 0, { name: '张三', age: 60, labour: 1, insured: 1 });
  await member(page, 1, { name: '张小妹', relation: 2, age: 12 });
  await page.check('#fp-m1-schooling-1');
  await next(page);
  await fill(page, 'wage', '1.5万');
  await fill(page, 'business', '３０００');
  await next(page);
  await screenIs(page, 'spending');
  await fill(page, 'inpatient_largest', '8000');
  const before = await page.evaluate((k) => JSON.parse(localStorage.getItem(k)), KEY);
  assert.equal(before.version, 1);
  assert.equal(before.screen, 'spending');
  assert.equal(before.form.business, '３０００', 'stored exactly as typed');

  await page.reload();
  await waitForApp(page);
  await screenIs(page, 'spending');
  assert.equal(await page.inputValue('#fp-inpatient_largest'), '8000');
  await page.click('[data-testid=back]');
  await screenIs(page, 'income');
  assert.equal(await page.inputValue('#fp-wage'), '1.5万');
  assert.equal(await page.inputValue('#fp-business'), '３０００');
  // 18,000 ÷ 2 = 9,000.
  assert.match(await text(page, '[data-testid=live-summary]'), /9,000\.00/);
  await page.click('[data-testid=back]');
  await screenIs(page, 'members');
  assert.equal(await page.inputValue('#fp-m0-name'), '张三');
  assert.equal(await page.inputValue('#fp-m1-age'), '12');
  assert.ok(await page.isChecked('#fp-m0-labour-1'));
  assert.ok(await page.isChecked('#fp-m0-medical_insurance-1'));
  assert.ok(await page.isChecked('#fp-m1-schooling-1'));
  assert.equal(await page.inputValue('#fp-m1-relation'), '2');

  // Clear: two steps, then nothing of ours is left on the device, and the form is empty.
  assert.match(await text(page, '[data-testid=storage-note]'), /退出微信登录.*清掉/);
  await page.click('[data-testid=clear]');
  await page.click('[data-testid=clear-confirm]');
  await screenIs(page, 'start');
  assert.match(await text(page, '[data-testid=notice]'), /已经清除/);
  assert.deepEqual(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.'))), []);
  await page.reload();
  await waitForApp(page);
  await page.click('[data-testid=start]');
  assert.equal(await page.inputValue('#fp-m0-name'), '');
  assertClean(t, problems);
  await page.close();
});

test('corrupted or newer stored data never blocks the app: it is kept aside and the person is told', async (t) => {
  const { page, problems } = await fresh(t);
  for (const [stored, message] of [
    ['{"version":1,"form":{"members":"oops"', /读不出来/],
    ['{"version":7,"screen":"result"}', /更新版本/],
  ]) {
    await page.evaluate(([k, v]) => { localStorage.clear(); localStorage.setItem(k, v); }, [KEY, stored]);
    await page.reload();
    await waitForApp(page);
    await screenIs(page, 'start');
    assert.match(await text(page, '[data-testid=notice]'), message);
    const aside = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('fangpin.draft.aside.')).map((k) => localStorage.getItem(k)));
    assert.deepEqual(aside, [stored], 'the unreadable data is kept, unchanged');
    await axe(page, 'start with notice');
    await page.click('[data-testid=notice] button');
    assert.equal(await page.locator('[data-testid=notice]').count(), 0);
    await page.click('[data-testid=start]');
    await screenIs(page, 'members');
    await page.click('[data-testid=back]');
  }
  await screenshot(page, 'selfcheck-corrupt-notice');
  assertClean(t, problems);
  await page.close();
});

test('the language switch changes every text and <html lang>, and is remembered', async (t) => {
  const { page, problems } = await fresh(t);
  await page.click('[data-testid=lang-toggle]');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.match(await page.title(), /self-check/);
  assert.match(await text(page, '[data-testid=application-sheet]'), /Who can apply.*How to apply.*What happens next/);
  assert.match(await text(page, '[data-testid=range-note]'), /Yong'an Rural Revitalisation Bureau prevails/);
  assert.equal(await page.getAttribute('[data-testid=lang-toggle]', 'lang'), 'zh-CN');
  await axe(page, 'start (en)');
  await screenshot(page, 'selfcheck-en-start');
  await page.click('[data-testid=start]');
  await member(page, 0, { age: 30 });
  await next(page);
  await fill(page, 'wage', '20000');
  for (const name of ['spending', 'guarantees', 'situations', 'result']) { await next(page); await screenIs(page, name); }
  assert.match(await text(page, '[data-testid=result-summary]'), /per-capita net income.*20,000\.00/);
  await axe(page, 'result (en)');
  await screenshot(page, 'selfcheck-en-result');
  await page.reload();
  await waitForApp(page);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('[data-testid=lang-toggle]');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await text(page, '#fp-screen-title'), /自测结果/);
  assertClean(t, problems);
  await page.close();
});

/** Sizes of the page's base text and of every visible control (the label is a radio's target). */
async function measure(page) {
  return page.evaluate(() => {
    const app = document.querySelector('.fp-app');
    const cs = getComputedStyle(app);
    const targets = [...document.querySelectorAll('button, input[type=text], select, label.fp-option, summary, a.fp-tel')]
      .filter((el) => el.getClientRects().length > 0)
      .map((el) => { const r = el.getBoundingClientRect(); return { what: el.outerHTML.slice(0, 60), w: r.width, h: r.height }; });
    return { font: parseFloat(cs.fontSize), lineHeight: parseFloat(cs.lineHeight) / parseFloat(cs.fontSize), targets };
  });
}

test('care mode (适老化): text ≥ 24 px, every target ≥ 60×60; normal mode ≥ 18 px and ≥ 44×44', async (t) => {
  const { page, problems } = await fresh(t);
  const screens = async (fn) => {
    await screenIs(page, 'start');
    await fn('start');
    await page.click('[data-testid=start]');
    await member(page, 0, { age: 70, ill: true });
    await openMore(page, 0);
    for (const name of ['members', 'income', 'spending', 'guarantees', 'situations']) {
      await screenIs(page, name);
      await fn(name);
      await next(page);
    }
    await screenIs(page, 'result');
    await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
    await fn('result');
    await page.click('[data-testid=to-application]');
    await fn('application');
    await page.click('[data-testid=back]');
    await page.click('[data-testid=clear]');
    await page.click('[data-testid=clear-confirm]');
  };
  const check = (min, minFont) => async (name) => {
    const m = await measure(page);
    assert.ok(m.font >= minFont, `${name}: base font ${m.font}`);
    assert.ok(m.lineHeight >= 1.3, `${name}: line height ${m.lineHeight}`);
    const small = m.targets.filter((x) => x.w < min - 0.5 || x.h < min - 0.5);
    assert.deepEqual(small, [], `${name}: targets under ${min}px`);
  };
  await screens(check(44, 18));
  await page.click('[data-testid=care-toggle]');
  assert.equal(await page.getAttribute('[data-testid=care-toggle]', 'aria-pressed'), 'true');
  await screens(async (name) => {
    await check(60, 24)(name);
    await screenshot(page, `selfcheck-care-${name}`);
  });
  // Remembered across a reload.
  await page.click('[data-testid=start]');
  await page.reload();
  await waitForApp(page);
  assert.ok((await measure(page)).font >= 24);
  assertClean(t, problems);
  await page.close();
});

test('read-aloud speaks the question in the page language, only where the browser has a voice for it', async (t) => {
  /** The first question step of a fresh page whose browser `init` set up. */
  const firstStep = async (init) => {
    const page = await browser.context.newPage();
    await page.addInitScript(init);
    await page.goto(server.url);
    await waitForApp(page);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await waitForApp(page);
    await page.click('[data-testid=start]');
    await screenIs(page, 'members');
    return page;
  };
  const page = await firstStep(() => {
    window.__spoken = [];
    speechSynthesis.getVoices = () => [{ lang: 'zh_CN', name: 'a' }, { lang: 'en-US', name: 'b' }];
    speechSynthesis.speak = (u) => window.__spoken.push([u.lang, u.text]);
  });
  const age = page.locator('#fp-m0-age >> xpath=ancestor::div[contains(@class,"fp-field")]//button[@data-speak]');
  // Its name for a screen reader says what it reads, not only 朗读.
  // On a member's card it also says whose question it is: every card asks the same ones.
  assert.match(await age.getAttribute('aria-label'), /^朗读（第 1 位家人）：.*年龄/);
  await age.click();
  const spoken = await page.evaluate(() => window.__spoken);
  assert.equal(spoken.length, 1);
  assert.equal(spoken[0][0], 'zh-CN');
  assert.match(spoken[0][1], /年龄.*上学年龄/);
  await page.close();

  const quiet = await firstStep(() => Object.defineProperty(window, 'speechSynthesis', { value: undefined }));
  assert.equal(await quiet.locator('[data-speak]').count(), 0);
  await quiet.close();

  // speechSynthesis there but no voice yet (a WebView): no button that would do nothing. The
  // voices the browser loads later, English only: still none in Chinese; then a Chinese one.
  const late = await firstStep(() => {
    window.__voices = [];
    speechSynthesis.getVoices = () => window.__voices;
  });
  assert.equal(await late.locator('[data-speak]').count(), 0);
  await late.evaluate(() => {
    window.__voices = [{ lang: 'en-GB', name: 'c' }];
    speechSynthesis.dispatchEvent(new Event('voiceschanged'));
  });
  await late.waitForTimeout(100);
  assert.equal(await late.locator('[data-speak]').count(), 0, 'no Chinese voice');
  await late.evaluate(() => {
    window.__voices = [{ lang: 'cmn-Hans-CN', name: 'd' }];
    speechSynthesis.dispatchEvent(new Event('voiceschanged'));
  });
  await late.waitForSelector('[data-speak]');
  await late.close();

  // At 320 px in care mode a short question beside its 朗读 button stays on one line (it once broke
  // “劳动能力” after three characters), and never runs under the button.
  const narrow = await launchBrowser({ viewport: { width: 320, height: 640 } });
  try {
    const care = await narrow.context.newPage();
    await care.addInitScript(() => { speechSynthesis.getVoices = () => [{ lang: 'zh-CN', name: 'a' }]; });
    await care.goto(server.url);
    await waitForApp(care);
    await care.click('[data-testid=care-toggle]');
    await care.click('[data-testid=start]');
    await screenIs(care, 'members');
    const legends = await care.$$eval('.fp-choice > legend', (l) => l.map((g) => {
      const r = g.getBoundingClientRect();
      const b = g.parentElement.querySelector(':scope > .fp-speak').getBoundingClientRect();
      return { text: g.textContent, lines: Math.round(r.height / parseFloat(getComputedStyle(g).lineHeight)), clear: r.right <= b.left };
    }));
    const labour = legends.find((g) => g.text === '劳动能力');
    assert.equal(labour?.lines, 1, JSON.stringify(legends));
    assert.ok(legends.every((g) => g.clear), JSON.stringify(legends));
    await screenshot(care, 'selfcheck-care-320-speak');
  } finally {
    await narrow.close();
  }
});

test('at 320 px wide, and at 200% text size, no screen scrolls sideways', async (t) => {
  const narrow = await launchBrowser({ viewport: { width: 320, height: 640 } });
  try {
    const { page, problems } = await fresh(t, narrow);
    const noSideways = async (label) => {
      const { sw, cw, wide } = await page.evaluate(() => {
        const cw = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > cw + 0.5)
          .slice(-3).map((e) => `${e.tagName}.${e.className}: ${e.textContent.slice(0, 40)}`);
        return { sw: document.documentElement.scrollWidth, cw, wide };
      });
      assert.ok(sw <= cw, `${label}: scrollWidth ${sw} > ${cw}; ${wide.join(' | ')}`);
    };
    for (const mode of ['normal', 'care', 'text200']) {
      if (mode === 'care') await page.click('[data-testid=care-toggle]');
      if (mode === 'text200') {
        await page.click('[data-testid=care-toggle]');
        await page.evaluate(() => { document.documentElement.style.fontSize = '225%'; });
      }
      await screenIs(page, 'start');
      await noSideways(`${mode} start`);
      await page.click('[data-testid=start]');
      await member(page, 0, { age: 66, ill: true });
      await openMore(page, 0);
      await fill(page, 'm0-age', '66岁');
      for (const name of ['members', 'income', 'spending', 'guarantees', 'situations']) {
        await screenIs(page, name);
        if (name === 'income') await fill(page, 'wage', '100000000');
        await noSideways(`${mode} ${name}`);
        await next(page);
      }
      await screenIs(page, 'result');
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
      await noSideways(`${mode} result`);
      await screenshot(page, `selfcheck-320-${mode}-result`);
      // Every amount of the calculation is read whole, on one line (at 200% it split as
      // "12,00 / 0.00 / 元"), unless on one line it is wider than the screen.
      const split = await page.$$eval('.fp-calc td', (tds) => tds.filter((td) => {
        // Text boxes on one line overlap vertically (元 in a CJK font sits a little higher).
        const lines = () => {
          const r = document.createRange();
          r.selectNodeContents(td);
          const boxes = [...r.getClientRects()].filter((x) => x.width > 0).sort((a, b) => a.top - b.top);
          let n = 0, bottom = -Infinity;
          for (const b of boxes) { if (b.top >= bottom - 1) n += 1; bottom = Math.max(bottom, b.bottom); }
          return n;
        };
        if (lines() === 1) return false;
        td.style.whiteSpace = 'nowrap';
        const r = document.createRange();
        r.selectNodeContents(td);
        // (the table itself grows with a nowrap cell: its container is the measure)
        const wider = r.getBoundingClientRect().width > td.closest('.fp-calc').parentElement.clientWidth;
        td.style.whiteSpace = '';
        return !wider;
      }).map((td) => td.textContent));
      assert.deepEqual(split, [], `${mode}: amounts over two lines`);
      await page.click('[data-testid=to-application]');
      await noSideways(`${mode} application`);
      await page.click('[data-testid=back]');
      await page.click('[data-testid=clear]');
      await page.click('[data-testid=clear-confirm]');
    }
    assertClean(t, problems);
  } finally {
    await narrow.close();
  }
});
