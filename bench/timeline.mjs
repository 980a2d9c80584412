// One new phone's path to the first household question through the slow line (as bench/run.mjs
// measures it), printed as a waterfall: when each file was asked for, when its first and last byte
// came, and the page's own marks. For finding where the time goes; not a measurement to report
// (`scripts/bench` is). `node bench/timeline.mjs` after `cargo xtask build-site` and a release
// server build; TRACE_OUT=file writes a Chromium trace, PROFILE_OUT=file a CPU profile from the tap
// to the question (both slow the page down).
import { join } from 'node:path';
import { ROOT, startServer, launchBrowser } from '../tests/e2e/harness.mjs';
import { startLine } from './throttle.mjs';
import { LINE, CPU, MARKS } from './phone.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Polled over CDP, as bench/run.mjs does: Playwright's own waiting would put its helper script in the page.
const evaluate = async (cdp, expression) => (await cdp.send('Runtime.evaluate', { expression, returnByValue: true })).result.value;
async function waitFor(cdp, name) {
  for (const deadline = Date.now() + 60000; Date.now() < deadline; await sleep(25)) {
    if (await evaluate(cdp, `window.__bench && window.__bench[${JSON.stringify(name)}] || null`)) return;
  }
  throw new Error(`no ${name} within 60 s`);
}

const server = await startServer({ site: join(ROOT, 'target', 'site') });
const line = await startLine(server.url, LINE);
const { context, close } = await launchBrowser();
try {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU });
  await page.addInitScript(MARKS);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  if (process.env.TRACE_OUT) await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['toplevel', 'devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-v8.compile', 'blink.user_timing'] } });
  await page.goto(line.url, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__bench.interactive, null, { polling: 25, timeout: 60000 });
  if (process.env.PROFILE_OUT) { await cdp.send('Profiler.enable'); await cdp.send('Profiler.setSamplingInterval', { interval: 200 }); await cdp.send('Profiler.start'); }
  await page.evaluate(() => document.querySelector('[data-app-ready] [data-testid=start]').click());
  await waitFor(cdp, 'question');
  if (process.env.PROFILE_OUT) (await import('node:fs')).writeFileSync(process.env.PROFILE_OUT, JSON.stringify((await cdp.send('Profiler.stop')).profile));
  await sleep(200);
  if (process.env.TRACE_OUT) {
    const done = new Promise((r) => cdp.once('Tracing.tracingComplete', r));
    await cdp.send('Tracing.end');
    await done;
    (await import('node:fs')).writeFileSync(process.env.TRACE_OUT, JSON.stringify(events));
  }
  const t = await page.evaluate(() => ({
    marks: window.__bench,
    nav: performance.getEntriesByType('navigation').map((e) => ({ name: 'page', start: e.startTime, first: e.responseStart, end: e.responseEnd, bytes: e.encodedBodySize })),
    res: performance.getEntriesByType('resource').map((e) => ({ name: e.name.split('/').pop(), start: e.startTime, first: e.responseStart, end: e.responseEnd, bytes: e.encodedBodySize })),
  }));
  for (const e of [...t.nav, ...t.res].sort((a, b) => a.start - b.start)) {
    console.log(`${e.name.padEnd(40)} asked ${e.start.toFixed(0).padStart(5)}  first byte ${e.first.toFixed(0).padStart(5)}  last ${e.end.toFixed(0).padStart(5)}  ${(e.bytes / 1024).toFixed(1).padStart(6)} KB`);
  }
  console.log(Object.entries(t.marks).map(([k, v]) => `${k} ${v.toFixed(0)}`).join('  '));
} finally {
  await close();
  await line.stop();
  await server.stop();
}
