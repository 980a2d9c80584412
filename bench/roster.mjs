// Screening a roster (issue 15): households per second, end to end, natively and in the browser.
// Used by bench/run.mjs; `node bench/roster.mjs` runs it alone (site built, release CLI and server as
// in scripts/bench).
//
// Natively: the release `fangpin screen` reads a made-up roster of a million four-member households
// (the CLI's own `roster-template --sample`) from a file and writes the screened CSV to /dev/null, on
// one thread and on every core; beside it, criterion's figures for the same screen in-process, for a
// plain per-capita-only screen over the same reader, and for the floor under both (every cell found,
// nothing read from it) (`cargo bench -p fangpin-roster`, run by
// scripts/bench first). Memory: the peak resident size at a quarter and at the whole roster (the rows are never
// held; what grows is the repeated-户编号 check, 16 bytes a household for this roster in 户编号 order).
//
// In the browser (the bench machine's CPU, no throttling: the figure): the roster page screens
// 100,000 rows (25,000 households) and 100,000 households; the time is the worker's own, from the file's
// text to the screened table, as the page reports it.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, startServer, launchBrowser } from '../tests/e2e/harness.mjs';

export const ROSTER_TARGETS = { native_one_core_households_per_s_min: 2.5e6, browser_100k_rows_ms_max: 500 };
const CLI = process.env.FANGPIN_CLI_BIN || join(ROOT, 'target', 'release', 'fangpin');
const HOUSEHOLDS = 1_000_000;

function sample(n, path) {
  const r = spawnSync('sh', ['-c', `"${CLI}" roster-template --sample ${n} > "${path}"`]);
  if (r.status !== 0) throw new Error(`roster sample: ${r.stderr}`);
  return statSync(path).size;
}

/** `fangpin screen` on `path`: wall time, households per second (from its own count), peak memory. */
function screen(path, threads) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', CLI, 'screen', path, '--as-of', '2023-06-01', '--threads', String(threads), '--out', '/dev/null'], { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`fangpin screen: ${r.stderr}`);
  const households = Number(r.stderr.match(/screened (\d+) households/)?.[1] || 0);
  const rssKb = Number(r.stderr.trim().split('\n').pop());
  return { threads, ms: Math.round(ms), households, households_per_s: Math.round((households / ms) * 1000), peak_rss_mb: Math.round(rssKb / 1024) };
}

/** Criterion's mean for one benchmark, as households per second (its throughput is in households). */
function criterion(name, households) {
  const file = join(ROOT, 'target', 'criterion', 'roster', name, 'new', 'estimates.json');
  if (!existsSync(file)) return null;
  const ns = JSON.parse(readFileSync(file, 'utf8')).mean.point_estimate;
  return Math.round((households / ns) * 1e9);
}

async function browser(url, rows, households) {
  const csv = spawnSync(CLI, ['roster-template', '--sample', String(households)], { maxBuffer: 1 << 30 }).stdout;
  const { context, close } = await launchBrowser({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.goto(`${url}roster.html`);
    await page.waitForSelector('[data-testid=roster-file]');
    const runs = [];
    for (let i = 0; i < 3; i++) {
      await page.setInputFiles('[data-testid=roster-file]', { name: 'roster.csv', mimeType: 'text/csv', buffer: csv });
      await page.waitForSelector('[data-testid=roster-start]:not([disabled])');
      await page.fill('[data-testid=roster-as-of]', '2023-06-01');
      await page.dispatchEvent('[data-testid=roster-as-of]', 'change');
      await page.waitForFunction(() => /10,560/.test(document.querySelector('[data-testid=roster-profile]').textContent));
      const t0 = Date.now();
      await page.click('[data-testid=roster-start]');
      // The results of this run: the section a new file hid, shown again with this count.
      await page.waitForFunction((n) => !document.getElementById('fp-roster-results').hidden && new RegExp(`${n} 户`).test(document.querySelector('[data-testid=roster-summary]')?.textContent || ''), households, { timeout: 120000 });
      const shown = Date.now() - t0;
      const took = await page.textContent('#fp-roster-progress p');
      runs.push({ worker_ms: Math.round(Number(took.match(/([\d.]+) 秒/)?.[1] || NaN) * 1000), click_to_list_ms: shown });
    }
    const med = (k) => runs.map((r) => r[k]).sort((a, b) => a - b)[1];
    return { rows, households, screen_ms: med('worker_ms'), click_to_list_ms: med('click_to_list_ms'), runs };
  } finally {
    await close();
  }
}

export async function rosterBench(url) {
  const path = join(ROOT, 'target', 'bench-roster.csv');
  const quarter = join(ROOT, 'target', 'bench-roster-quarter.csv');
  try {
    const bytes = sample(HOUSEHOLDS, path);
    sample(HOUSEHOLDS / 4, quarter);
    const cores = cpus().length;
    const one = screen(path, 1);
    const all = screen(path, cores);
    const small = screen(quarter, 1);
    const nativeFigures = {
      file_mb: Math.round(bytes / 1e6),
      one_core: one,
      all_cores: all,
      quarter_one_core_peak_rss_mb: small.peak_rss_mb,
      criterion_in_process_households_per_s: {
        screen_one_thread: criterion('screen_4_member_households_1_threads', 200_000),
        screen_all_threads: criterion(`screen_4_member_households_${cores}_threads`, 200_000),
        baseline_per_capita_only: criterion('baseline_per_capita_only_1_thread', 200_000),
        floor_cells_only: criterion('floor_cells_only_1_thread', 200_000),
      },
    };
    const b100kRows = await browser(url, 100_000, 25_000);
    const b100kHouseholds = await browser(url, 400_000, 100_000);
    const met = {
      native_one_core: one.households_per_s >= ROSTER_TARGETS.native_one_core_households_per_s_min,
      browser_100k_rows: b100kRows.screen_ms < ROSTER_TARGETS.browser_100k_rows_ms_max,
    };
    return { native: nativeFigures, browser: { rows_100k: b100kRows, households_100k: b100kHouseholds }, met };
  } finally {
    rmSync(path, { force: true });
    rmSync(quarter, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const app = await startServer({ site: join(ROOT, 'target', 'site') });
  try {
    console.log(JSON.stringify(await rosterBench(app.url), null, 2));
  } finally {
    await app.stop();
  }
}
