// The 明白纸 (issue 15, part 1): published with the site's address, reachable from the start screen, each
// sheet one page of its paper in Chromium's PDF (A4 for the two sheets, A3 for the poster), nothing cut,
// its 一码通 decodable by zbar from the printed page and opening the county's self-check; the SMS / WeChat
// text copies. In both languages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { ROOT, SITE, startServer, launchBrowser, openPage, waitForApp, screenshot, axe } from './harness.mjs';

const CLI = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'debug', 'fangpin');
let dir, site, server;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fangpin-sheets-'));
  site = join(dir, 'site');
  cpSync(SITE, site, { recursive: true });
  server = await startServer({ site, extraArgs: ['--db', join(dir, 'r.sqlite3')] });
  // The city publishes with the address people reach the site at (here, this server).
  const out = spawnSync(CLI, ['publish-policy', join(ROOT, 'policy-data'), site, '--site-url', server.url], { encoding: 'utf8' });
  assert.equal(out.status, 0, out.stdout + out.stderr);
});
after(async () => { await server?.stop(); rmSync(dir, { recursive: true, force: true }); });

/** The pages of a PDF written by Chromium, with each page's size in points. */
function pdfPages(buf) {
  const text = buf.toString('latin1');
  const pages = text.match(/\/Type\s*\/Page(?![s\w])/g) || [];
  const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Math.round(Number(m[1])), Math.round(Number(m[2]))]);
  return { count: pages.length, boxes };
}

/** Prints the page; checks one page of `size`, nothing sticking out in print; decodes its QR code. */
async function printAndDecode(page, name, size) {
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  const { count, boxes } = pdfPages(pdf);
  assert.equal(count, 1, `${name}: ${count} pages`);
  const want = size === 'A3' ? [842, 1191] : [595, 842];
  assert.ok(boxes.some(([w, h]) => Math.abs(w - want[0]) <= 2 && Math.abs(h - want[1]) <= 2), `${name}: ${size} (${JSON.stringify(boxes)})`);
  // In print media at the paper's printable width (A4 186 mm ≈ 703 px, A3 267 mm ≈ 1009 px).
  const viewport = page.viewportSize();
  await page.setViewportSize({ width: size === 'A3' ? 1009 : 703, height: 1000 });
  await page.emulateMedia({ media: 'print' });
  const bad = await page.evaluate(() => {
    const paper = document.querySelector('.fp-paper').getBoundingClientRect();
    return [...document.querySelectorAll('.fp-paper *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && (r.right > paper.right + 1 || r.left < paper.left - 1);
    }).map((el) => `${el.tagName}.${el.getAttribute('class') || ''}`);
  });
  await page.emulateMedia({ media: null });
  await page.setViewportSize(viewport);
  assert.deepEqual(bad, [], `${name}: sticks out`);
  const pdfPath = join(dir, `${name}.pdf`);
  writeFileSync(pdfPath, pdf);
  execFileSync('pdftoppm', ['-r', '150', '-png', '-singlefile', pdfPath, join(dir, name)]);
  return execFileSync('zbarimg', ['--raw', '-q', join(dir, `${name}.png`)], { encoding: 'utf8' }).trim();
}

test('the 明白纸 print one page each with a 一码通 that opens the county, in both languages; the push text copies', async () => {
  const b = await launchBrowser();
  try {
    // From the start screen.
    const { page, problems } = await openPage(b.context, server.url);
    await page.click('[data-testid=sheets-link]');
    await page.waitForSelector('.fp-sheets-index');
    await axe(page, 'the sheets index');
    await screenshot(page, 'sheets-index');
    const files = readdirSync(join(site, 'sheets')).filter((f) => f.endsWith('.html') && f.startsWith('yongan-2023-'));
    assert.deepEqual(files.sort(), ['en-apply-a4', 'en-help-a4', 'en-poster-a3', 'zh-apply-a4', 'zh-help-a4', 'zh-poster-a3'].map((k) => `yongan-2023-${k}.html`));
    const expected = `${server.url}?county=350481`;
    // The push text: short, with the link, copied by its button.
    await b.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.origin });
    const push = await page.inputValue('#fp-push-yongan-2023-zh');
    assert.ok(push.includes('10,560.00') && push.includes(expected) && push.includes('12317'), push);
    await page.click('[data-copy="fp-push-yongan-2023-zh"]');
    await page.waitForFunction(() => /已复制/.test(document.querySelector('[data-copied="fp-push-yongan-2023-zh"]').textContent));
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), push);

    for (const lang of ['zh', 'en']) {
      for (const [kind, size] of [['apply-a4', 'A4'], ['help-a4', 'A4'], ['poster-a3', 'A3']]) {
        const name = `yongan-2023-${lang}-${kind}`;
        await page.goto(`${server.url}sheets/${name}.html`);
        await page.waitForSelector('.fp-paper');
        assert.equal(await page.locator('[data-provisional=true]').count() > 0, true, `${name}: the provisional range is marked on paper`);
        if (lang === 'zh' && kind !== 'poster-a3') await axe(page, name);
        await screenshot(page, `sheet-${name}`);
        assert.equal(await printAndDecode(page, name, size), expected, `${name}: the code opens the county`);
      }
    }
    assert.deepEqual(problems(), []);
  } finally {
    await b.close();
  }
  // Scanned on a new phone: the start screen of that county.
  const phone = await launchBrowser();
  try {
    const { page, problems } = await openPage(phone.context, `${server.url}?county=350481`);
    await waitForApp(page);
    assert.match(await page.textContent('[data-testid=monitoring-range]'), /10,560\.00/);
    assert.deepEqual(problems(), []);
  } finally {
    await phone.close();
  }
});

test('published without the site address: no code, and the paper says where to ask; the note to whoever prints stays on screen', async () => {
  const bare = await startServer();
  const b = await launchBrowser();
  try {
    const { page, problems } = await openPage(b.context, `${bare.url}sheets/yongan-2023-zh-apply-a4.html`);
    await page.waitForSelector('.fp-paper');
    assert.equal(await page.locator('.fp-paper svg').count(), 0);
    assert.ok(await page.isVisible('[data-testid=paper-no-qr-note]'), 'the note shows on screen');
    const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
    assert.equal(pdfPages(pdf).count, 1);
    const pdfPath = join(dir, 'no-qr.pdf');
    writeFileSync(pdfPath, pdf);
    // The printed words (pdftotext, from poppler-utils, which setup installs).
    const printed = execFileSync('pdftotext', ['-layout', pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '');
    assert.match(printed, /扫码自测的二维码，请向村里要；也可以打这张纸上的电话/);
    assert.match(printed, /12317/);
    assert.doesNotMatch(printed, /打印前请注意|site-url/, 'the note to whoever prints is not printed');
    assert.deepEqual(problems(), []);
  } finally {
    await b.close();
    await bare.stop();
  }
});
