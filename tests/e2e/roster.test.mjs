// Screening a roster in the browser (issue 15, part 3): a file with good and bad rows chosen on the
// page, its columns checked (one named by hand), screened in a Web Worker with progress, the bad
// household kept aside with row and column, the list filtered, searched and sorted, a household
// opened into its explained assessment, the flagged households exported as defused CSV; a GBK file
// read the same; English throughout; nothing sent anywhere. Then 100,000 households: the page keeps
// answering while they are screened.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser, openPage, screenshot, axe } from './harness.mjs';

const CLI = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'debug', 'fangpin');
let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// A roster as a township might have it: its own header for the household number ("编号"), a column
// we do not read ("备注"), a formula-looking village, one household with bad cells.
const ROSTER = [
  '编号,村,工资性收入（元）,转移性收入,姓名,与户主关系,出生日期,大病慢病,享受低保,医疗自付,备注',
  'A1,洪田村,8000,1200,张甲,户主,1960-01-01,是,否,20000,',
  'A1,洪田村,,,李乙,配偶,1962-05-01,否,否,,随便写',
  'B1,贡川村,八千块,,王丙,户主,1958-01-01,否,否,,',
  'B1,贡川村,,,王丁,子女,1990-13-01,否,否,,',
  'C1,=HYPERLINK("x"),2000,,陈戊,户主,1970-01-01,否,否,,',
  'D1,贡川村,30000,2000,林己,户主,1950-03-03,否,2023-02-01,,',
  '',
  ',贡川村,,,周庚,子女,2000-01-01,否,否,,',
].join('\r\n') + '\r\n';

/** Every request the page makes, to show that nothing but the site's own files is fetched. */
function watchRequests(page) {
  const seen = [];
  page.on('request', (r) => seen.push(`${r.method()} ${new URL(r.url()).pathname}`));
  return seen;
}

async function choose(page, name, buffer) {
  await page.setInputFiles('[data-testid=roster-file]', { name, mimeType: 'text/csv', buffer });
  await page.waitForSelector('[data-testid=roster-column]');
}

test('a roster with good and bad rows: mapped, screened in a worker, listed, explained and exported; nothing sent', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, `${server.url}roster.html`);
    const requests = watchRequests(page);
    await page.waitForSelector('[data-testid=roster-file]');
    assert.match(await page.textContent('[data-testid=roster-privacy]'), /不会上传/);
    await choose(page, '名单.csv', Buffer.from(ROSTER, 'utf8'));
    // "编号" is not a header we know: the page says what is missing and will not start.
    assert.match(await page.textContent('[data-testid=roster-problems]'), /户编号/);
    assert.equal(await page.isDisabled('[data-testid=roster-start]'), true);
    const columns = await page.$$eval('[data-testid=roster-column]', (s) => s.map((x) => x.value));
    assert.deepEqual(columns, ['', 'village', 'income_wage', 'income_transfer', 'name', 'relation', 'birth_date', 'serious_illness', 'dibao', 'medical_out_of_pocket', '']);
    await page.selectOption('[data-testid=roster-column][data-col="0"]', 'household_id');
    await page.waitForFunction(() => document.querySelector('[data-testid=roster-problems]').textContent === '');
    await page.fill('[data-testid=roster-as-of]', '2023-06-01');
    await page.dispatchEvent('[data-testid=roster-as-of]', 'change');
    await page.waitForFunction(() => /10,560\.00/.test(document.querySelector('[data-testid=roster-profile]').textContent));
    assert.equal(await page.locator('[data-testid=roster-provisional]').count(), 1, 'the provisional range is marked');
    await screenshot(page, 'roster-mapping');
    await page.click('[data-testid=roster-start]');
    await page.waitForSelector('[data-testid=roster-rows] tr');
    assert.equal(await page.getAttribute('[data-testid=roster-progress]', 'value'), '1');
    assert.match(await page.textContent('[data-testid=roster-summary]'), /已筛查 3 户（8 行）/);
    // Households counted by 户编号; a row without one is no household, so it is counted as a row.
    assert.equal(await page.textContent('[data-testid=roster-kept-count]'), '有问题、放在一边的户（1 户，另有 1 行没有户编号）');
    assert.match(await page.textContent('[data-testid=roster-kept]'), /没有户编号的行：第 9 行“编号”：没有户编号。/);
    // The bad household: kept aside, with its rows and columns named.
    const kept = await page.textContent('[data-testid=roster-kept]');
    assert.match(kept, /B1/);
    assert.match(kept, /第 4 行“工资性收入（元）”/);
    assert.match(kept, /第 5 行“出生日期”/);
    const ids = () => page.$$eval('[data-testid=roster-rows] tr', (rows) => rows.map((r) => r.dataset.id));
    assert.deepEqual(await ids(), ['A1', 'C1', 'D1']);
    await axe(page, 'the roster results');
    await screenshot(page, 'roster-results');
    // Filters, search and order.
    await page.selectOption('[data-testid=roster-filter-outcome]', 'household_visit');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=roster-rows] tr').length === 1);
    assert.deepEqual(await ids(), ['D1'], 'new 低保 this year, above the range: a key group to visit');
    await page.selectOption('[data-testid=roster-filter-outcome]', '');
    await page.fill('[data-testid=roster-search]', '张甲');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=roster-rows] tr').length === 1);
    assert.deepEqual(await ids(), ['A1']);
    await page.fill('[data-testid=roster-search]', '');
    await page.selectOption('[data-testid=roster-sort]', 'gap');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=roster-rows] tr').length === 3);
    assert.deepEqual(await ids(), ['C1', 'A1', 'D1'], 'the furthest below the range first');
    const villages = await page.textContent('[data-testid=roster-villages]');
    assert.match(villages, /洪田村/);
    // One household explained, with its members and the clause behind each conclusion.
    await page.click('[data-testid=roster-rows] tr[data-id=A1] button');
    await page.waitForSelector('[data-testid=roster-detail] [data-testid=category]');
    const detail = await page.textContent('[data-testid=roster-detail]');
    assert.match(detail, /A1 张甲/);
    assert.match(detail, /李乙（配偶）/);
    assert.ok(await page.locator('[data-testid=roster-detail] details.fp-why').count() > 2, 'each conclusion can say why');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'fp-roster-detail-title');
    await axe(page, 'a roster household');
    await screenshot(page, 'roster-household');
    await page.click('[data-testid=roster-back]');
    await page.waitForSelector('[data-testid=roster-rows] tr', { state: 'visible' });
    // The flagged households for home visits: every one but 暂无风险, formulas defused, ids as text.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=roster-export]')]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.ok(csv.startsWith('\u{feff}行号,户编号,村,户主,'), csv);
    const lines = csv.trim().split('\r\n');
    assert.equal(lines.length, 1 + 3, csv);
    assert.ok(lines.some((l) => l.startsWith(`6,C1,"'=HYPERLINK(""x"")",陈戊,1,2000.00,2000.00,`)), csv);
    assert.ok(!/,=HYPERLINK/.test(csv), 'no live formula');
    const [keptDownload] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=roster-export-kept]')]);
    const keptCsv = readFileSync(await keptDownload.path(), 'utf8');
    assert.match(keptCsv, /^\u{feff}行号,户编号,列,问题\r\n4,/u);
    // Nothing but the site's own files: no POST, no other origin (openPage watches origins).
    assert.deepEqual(requests.filter((r) => !r.startsWith('GET ')), []);
    assert.deepEqual(problems(), []);
  } finally {
    await b.close();
  }
});

test('a GBK file reads the same, and the page is English throughout', async () => {
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, `${server.url}roster.html?lang=en`);
    await page.waitForSelector('[data-testid=roster-file]');
    // Node has no GBK encoder; glibc's iconv (Debian's essential libc-bin) makes the bytes Excel would save.
    const out = spawnSync('iconv', ['-f', 'UTF-8', '-t', 'GB18030'], { input: ROSTER.replace('编号', '户编号') });
    assert.equal(out.status, 0, String(out.stderr));
    await choose(page, 'roster-gbk.csv', out.stdout);
    assert.match(await page.textContent('[data-testid=roster-file-status]'), /GB18030/);
    assert.equal(await page.$$eval('[data-testid=roster-column]', (s) => s[0].value), 'household_id', 'the GBK header was read');
    await page.fill('[data-testid=roster-as-of]', '2023-06-01');
    await page.dispatchEvent('[data-testid=roster-as-of]', 'change');
    await page.waitForFunction(() => /10,560\.00/.test(document.querySelector('[data-testid=roster-profile]').textContent));
    await page.click('[data-testid=roster-start]');
    await page.waitForSelector('[data-testid=roster-rows] tr');
    assert.match(await page.textContent('[data-testid=roster-summary]'), /Screened 3 households \(8 rows\)/);
    assert.match(await page.textContent('[data-testid=roster-kept-count]'), /\(1 household; 1 row without a household number\)$/);
    // English counts read as English whatever the number ("No risk for now: 0", not "0 no risk for now").
    const tallies = await page.$$eval('[data-testid=roster-counts] li', (l) => l.map((x) => x.textContent));
    assert.ok(tallies.length >= 4 && tallies.every((t) => /^[A-Z][a-z ,]+: \d+$/.test(t)), tallies.join(' | '));
    const heads = await page.$$eval('[data-testid=roster-villages] thead th', (l) => l.map((x) => x.textContent));
    assert.deepEqual(heads.slice(0, 3), ['Village', 'Households', 'Below the range']);
    assert.ok(heads.every((h) => /^[A-Z]/.test(h)), heads.join(' | '));
    // On a phone, the long English filter options do not push the page sideways.
    await page.setViewportSize({ width: 390, height: 844 });
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), 'scrolls sideways at 390 px');
    assert.match(await page.textContent('[data-testid=roster-kept]'), /Row 4, “工资性收入（元）”/);
    // No Chinese in the page's own words: only the roster's data (names, villages, its headers) and the 中文 switch.
    const chrome = await page.evaluate(() => {
      const skip = new Set(['TD', 'OPTION', 'LI', 'TH']);
      const out = [];
      const walk = (n) => {
        // The Chinese terms an English reader is taught (as the words the roster and the officials use).
        const taught = n.nodeType === 3 ? n.textContent.replace(/部门筛查预警|大病|慢性病/g, '') : '';
        if (n.nodeType === 3 && /[\u4e00-\u9fff]/.test(taught) && !skip.has(n.parentElement.tagName) && !n.parentElement.closest('[data-testid=roster-kept], [data-testid=roster-file-status], .fp-roster-mapping label, [data-testid=roster-summary], [data-testid=roster-profile], [lang=zh-CN]')) out.push(n.textContent.trim());
        for (const c of n.childNodes) walk(c);
      };
      walk(document.getElementById('fp-roster'));
      return out;
    });
    assert.deepEqual(chrome, []);
    await page.click('[data-testid=roster-rows] tr[data-id=A1] button');
    await page.waitForSelector('[data-testid=roster-detail] [data-testid=category]');
    assert.match(await page.textContent('[data-testid=roster-detail] [data-testid=category]'), /Likely category/);
    await screenshot(page, 'roster-household-en');
    await page.click('[data-testid=roster-back]');
    // A file that only looks like a workbook: said plainly, the page still works.
    await page.setInputFiles('[data-testid=roster-file]', { name: 'broken.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('PK\x03\x04 not a workbook') });
    await page.waitForFunction(() => /not an Excel xlsx workbook/.test(document.querySelector('[data-testid=roster-file-status]').textContent));
    // The template as Excel gives it: downloaded from the page, chosen again, screened.
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=roster-template-xlsx]')]);
    const book = readFileSync(await xlsx.path());
    assert.equal(book.subarray(0, 2).toString(), 'PK');
    await page.setInputFiles('[data-testid=roster-file]', { name: 'template.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: book });
    await page.waitForFunction(() => document.querySelector('[data-testid=roster-column]')?.value === 'household_id');
    await page.click('[data-testid=roster-start]');
    await page.waitForFunction(() => /Screened 2 households \(6 rows\)/.test(document.querySelector('[data-testid=roster-summary]')?.textContent || ''));
    // Only a row without a 户编号 kept aside: counted as what it is, not as "0 households".
    await page.setInputFiles('[data-testid=roster-file]', { name: 'one.csv', mimeType: 'text/csv', buffer: Buffer.from('户编号,工资性收入,姓名,与户主关系,出生日期\nH1,9000,甲,户主,1970-01-01\n\n,,乙,配偶,1971-01-01\n') });
    await page.waitForFunction(() => document.querySelector('[data-testid=roster-column]')?.value === 'household_id');
    await page.click('[data-testid=roster-start]');
    await page.waitForFunction(() => /Screened 1 household \(3 rows\)/.test(document.querySelector('[data-testid=roster-summary]')?.textContent || ''));
    assert.equal(await page.textContent('[data-testid=roster-kept-count]'), 'Households kept aside (1 row without a household number)');
    assert.deepEqual(problems(), []);
  } finally {
    await b.close();
  }
});

test('100,000 households: screened with progress while the page keeps answering', async () => {
  const sample = spawnSync(CLI, ['roster-template', '--sample', '100000'], { maxBuffer: 1 << 30 });
  assert.equal(sample.status, 0, String(sample.stderr));
  const b = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  try {
    const { page, problems } = await openPage(b.context, `${server.url}roster.html`);
    await page.waitForSelector('[data-testid=roster-file]');
    await choose(page, 'big.csv', sample.stdout);
    await page.fill('[data-testid=roster-as-of]', '2023-06-01');
    await page.dispatchEvent('[data-testid=roster-as-of]', 'change');
    await page.waitForFunction(() => /10,560\.00/.test(document.querySelector('[data-testid=roster-profile]').textContent));
    // While it runs, the page answers and the bar moves: the main thread is never the one screening.
    await page.evaluate(() => {
      window.__seen = [];
      window.__gaps = 0;
      let last = performance.now();
      const bar = document.querySelector('[data-testid=roster-progress]');
      const tick = () => {
        const now = performance.now();
        window.__gaps = Math.max(window.__gaps, now - last);
        last = now;
        window.__seen.push(Number(bar.value));
        if (!document.querySelector('[data-testid=roster-rows] tr')) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.click('[data-testid=roster-start]');
    await page.waitForSelector('[data-testid=roster-rows] tr', { timeout: 120000 });
    const seen = await page.evaluate(() => window.__seen);
    assert.ok(seen.some((v) => v > 0 && v < 1), `progress between 0 and 1 was shown: ${seen.slice(0, 20)}`);
    assert.match(await page.textContent('[data-testid=roster-summary]'), /已筛查 100000 户（400000 行）/);
    const gap = await page.evaluate(() => window.__gaps);
    assert.ok(gap < 1000, `the page kept drawing while screening (longest frame gap ${Math.round(gap)} ms)`);
    assert.deepEqual(problems(), []);
  } finally {
    await b.close();
  }
});
