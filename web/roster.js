// The roster screen (roster.html): choose a file, check its columns, screen it, and work through the
// households — all in a Web Worker on this device ({{ROSTER_WORKER}}, with fangpin-roster-web).
// This script only draws: every string, figure and decision comes from the worker in the page's
// language. Text goes in with textContent; the one HTML (a household explained) is built escaped by
// fangpin_html::result in the worker.

const root = document.getElementById('fp-roster');
const pending = new Map();
let nextId = 1;
let worker;
let policyUrl;
/** A fresh worker (at the start, and after one failed: a module that ran out of memory cannot be
 *  trusted again). Everything asked of the old one fails at once instead of waiting for ever. */
function startWorker() {
  worker?.terminate();
  for (const p of pending.values()) p.reject(new Error('worker stopped'));
  pending.clear();
  worker = new Worker(new URL('./{{ROSTER_WORKER}}', import.meta.url), { type: 'module' });
  worker.onmessage = (e) => {
    const { id, result, error, progress } = e.data;
    const p = pending.get(id);
    if (!p) return;
    if (progress !== undefined) { p.onProgress?.(progress); return; }
    pending.delete(id);
    if (error !== undefined) p.reject(new Error(error)); else p.resolve(result);
  };
  worker.onerror = (e) => {
    e.preventDefault();
    restart();
  };
}
startWorker();
/** Asks the worker; `transfer` hands buffers over instead of copying them. */
function call(op, args = {}, onProgress, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    worker.postMessage({ id, op, args }, transfer);
  });
}
/** After a failure in the worker: a new one, the policy again, and the page back at its first step. */
async function restart() {
  startWorker();
  state.mapping = null;
  state.summary = null;
  try {
    state.counties = await call('policy', { url: policyUrl });
  } catch {
    // Said below; the person can reload.
  }
  draw();
  say($('#fp-roster-file-status'), S.worker_failed, 'fp-error');
}

const params = new URLSearchParams(location.search);
let lang = params.get('lang') === 'en' ? 'en' : 'zh';
let S = {};
const state = { counties: null, defaultCounty: '', mapping: null, summary: null, query: { sort: 'row' }, shown: 0, encoding: null, fileName: '' };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') e.textContent = v; else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}
const $ = (sel) => root.querySelector(sel);
function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
function say(node, text, cls = '') { node.textContent = text; node.className = cls; }
/** Brackets around a count, as each language writes them. */
/** `n` with its noun: 户/行 in Chinese, household(s)/row(s) in English. */
const count = (n, one, many) => `${n} ${Number(n) === 1 ? S[one] : S[many]}`;
const paren = (x) => (lang === 'en' ? ` (${x})` : `（${x}）`);
// A label standing alone (a heading, an option) starts with a capital in English; the core's labels are phrases.
const heading = (s) => (lang === 'en' && s ? s[0].toUpperCase() + s.slice(1) : s);
// "3 脱贫不稳定户" reads in Chinese; English phrases ("needs a household visit") do not take a number in front.
const tally = (o) => (lang === 'en' ? [`${heading(o.label)}: `, el('strong', { text: String(o.n) })] : [el('strong', { text: String(o.n) }), ` ${o.label}`]);

/** A CSV saved where the browser lets it; in WeChat (which drops downloads) copied instead, and
 *  shown to copy by hand where even that is refused. */
async function deliver(text, name, status, type = 'text/csv;charset=utf-8') {
  const inWeChat = /MicroMessenger/i.test(navigator.userAgent);
  if (!inWeChat || typeof text !== 'string') {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = el('a', { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    return;
  }
  try {
    await navigator.clipboard.writeText(text);
    say(status, S.copied);
  } catch {
    say(status, S.copy_here);
    status.after(el('textarea', { class: 'fp-roster-copy', readonly: true, text }));
  }
}

function draw() {
  root.textContent = '';
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = `${S.title} · ${lang === 'en' ? 'Poverty-return monitoring' : '防止返贫监测'}`;
  const switcher = el('button', { type: 'button', class: 'fp-button fp-small', 'data-testid': 'roster-lang', lang: lang === 'en' ? 'zh-CN' : 'en', text: S.lang_switch });
  switcher.addEventListener('click', switchLang);
  root.append(
    el('div', { class: 'fp-roster-bar' }, el('h1', { text: S.title }), switcher),
    el('p', { text: S.intro }),
    el('p', { class: 'fp-muted', text: S.what_is }),
    el('p', { 'data-testid': 'roster-privacy' }, el('strong', { text: S.privacy })),
  );
  // 1. The file.
  const file = el('input', { type: 'file', id: 'fp-roster-file', class: 'fp-roster-file-input', accept: '.csv,.txt,.tsv,.xlsx,text/csv', 'data-testid': 'roster-file' });
  file.addEventListener('change', () => file.files[0] && readFile(file.files[0]));
  const template = el('button', { type: 'button', class: 'fp-button', 'data-testid': 'roster-template', text: S.template });
  template.addEventListener('click', async () => deliver(await call('template', { lang }), lang === 'en' ? 'roster-template.csv' : '名单模板.csv', $('#fp-roster-file-status')));
  const templateXlsx = el('button', { type: 'button', class: 'fp-button', 'data-testid': 'roster-template-xlsx', text: S.template_xlsx });
  templateXlsx.addEventListener('click', async () => deliver(await call('template_xlsx', { lang }), lang === 'en' ? 'roster-template.xlsx' : '名单模板.xlsx', $('#fp-roster-file-status'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
  root.append(el('section', { 'aria-labelledby': 'fp-roster-s1' },
    el('h2', { id: 'fp-roster-s1', text: S.format_title }),
    el('p', { text: S.format_help }),
    el('p', { class: 'fp-roster-bar' }, template, templateXlsx),
    el('p', { class: 'fp-roster-bar' }, file, el('label', { for: 'fp-roster-file', class: 'fp-button fp-primary', text: S.choose_file })),
    el('p', { id: 'fp-roster-file-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'roster-file-status' }),
  ));
  root.append(el('section', { id: 'fp-roster-mapping', hidden: true, 'aria-labelledby': 'fp-roster-s2' }));
  root.append(el('section', { id: 'fp-roster-progress', hidden: true }, el('progress', { max: '1', value: '0', 'data-testid': 'roster-progress' }), el('p', { role: 'status', 'aria-live': 'polite' })));
  root.append(el('section', { id: 'fp-roster-results', hidden: true, 'aria-labelledby': 'fp-roster-s3' }));
  root.append(el('section', { id: 'fp-roster-detail', class: 'fp-roster-detail', hidden: true, 'data-testid': 'roster-detail' }));
  root.removeAttribute('aria-busy');
  if (state.mapping) drawMapping();
  if (state.summary) drawResults();
}

async function switchLang() {
  lang = lang === 'en' ? 'zh' : 'en';
  const u = new URL(location.href);
  if (lang === 'en') u.searchParams.set('lang', 'en'); else u.searchParams.delete('lang');
  history.replaceState(null, '', u);
  S = await call('strings', { lang });
  // The worker's answers again in the new language (an out-of-range column changes nothing).
  if (state.mapping) state.mapping = await call('column', { col: 1e9, code: '', lang });
  draw();
}

async function readFile(f) {
  const status = $('#fp-roster-file-status');
  say(status, S.reading);
  state.fileName = f.name;
  state.summary = null;
  $('#fp-roster-results').hidden = true;
  $('#fp-roster-detail').hidden = true;
  try {
    const buffer = await f.arrayBuffer();
    const m = await call('load', { bytes: buffer, lang, name: f.name }, null, [buffer]);
    if (m.error) { say(status, m.message || S.error_read, 'fp-error'); $('#fp-roster-mapping').hidden = true; return; }
    state.mapping = m;
    state.encoding = m.encoding || null;
    say(status, `${f.name}${m.encoding ? ` — ${S[`encoding_${m.encoding}`] || ''}` : ''}`);
    drawMapping();
  } catch {
    await restart();
  }
}

function drawMapping() {
  const m = state.mapping;
  const sec = $('#fp-roster-mapping');
  sec.hidden = false;
  sec.textContent = '';
  sec.append(el('h2', { id: 'fp-roster-s2', tabindex: '-1', text: S.mapping_title }), el('p', { text: S.mapping_help }));
  const tbody = el('tbody');
  m.headers.forEach((h, col) => {
    const select = el('select', { id: `fp-roster-col-${col}`, 'data-testid': 'roster-column', 'data-col': String(col) });
    select.append(el('option', { value: '', text: S.not_read }));
    for (const f of m.fields) {
      select.append(el('option', { value: f.code, selected: m.columns[col] === f.code, text: `${f.header} ${f.member ? S.member_field : S.household_field}` }));
    }
    select.addEventListener('change', async () => {
      state.mapping = await call('column', { col, code: select.value, lang });
      drawMapping();
      $(`#fp-roster-col-${col}`)?.focus();
    });
    const field = m.fields.find((f) => f.code === m.columns[col]);
    tbody.append(el('tr', {},
      el('th', { scope: 'row' }, el('label', { for: `fp-roster-col-${col}`, text: h || `#${col + 1}` })),
      el('td', { class: 'fp-examples', text: (m.examples[col] || []).filter(Boolean).join(' · ') }),
      el('td', {}, select, field ? el('div', { class: 'fp-muted', text: field.accepts }) : null),
    ));
  });
  sec.append(el('div', { class: 'fp-roster-scroll fp-roster-mapping', tabindex: '0', role: 'region', 'aria-label': S.mapping_title }, el('table', {},
    el('thead', {}, el('tr', {}, el('th', { text: S.col_header }), el('th', { text: S.col_examples }), el('th', { text: S.col_field }))), tbody)));
  const problems = el('div', { class: 'fp-roster-problems', role: 'alert', 'data-testid': 'roster-problems' });
  for (const p of m.problems) problems.append(el('p', { text: p }));
  sec.append(problems);
  // The county and the date choose the profile, by the app's own rule.
  const county = el('select', { id: 'fp-roster-county', 'data-testid': 'roster-county' });
  for (const c of state.counties.counties) county.append(el('option', { value: c.code, selected: c.code === (state.county || state.defaultCounty), text: lang === 'en' ? c.en : c.zh }));
  const asOf = el('input', { id: 'fp-roster-as-of', type: 'date', value: state.asOf || today(), 'data-testid': 'roster-as-of' });
  const profileLine = el('p', { 'data-testid': 'roster-profile', 'aria-live': 'polite' });
  const describe = async () => {
    state.county = county.value;
    state.asOf = asOf.value;
    const p = await call('profile', { county: county.value, asOf: asOf.value, lang });
    profileLine.textContent = '';
    if (p.error) { profileLine.append(el('span', { class: 'fp-error', text: p.error })); return; }
    profileLine.append(el('strong', { text: `${S.range_line}${lang === 'en' ? ': ' : '：'}` }), `${p.range} ${S.yuan_year}${paren(p.name)}`);
    if (p.provisional) profileLine.append(' ', el('span', { class: 'fp-tag fp-tag-provisional', 'data-testid': 'roster-provisional', text: S.provisional }), p.provisional_reason ? ` ${p.provisional_reason}` : '');
    if (p.note) profileLine.append(el('span', { class: 'fp-muted', text: ` ${p.note}` }));
  };
  county.addEventListener('change', describe);
  asOf.addEventListener('change', describe);
  const start = el('button', { type: 'button', id: 'fp-roster-start', class: 'fp-button fp-primary', 'data-testid': 'roster-start', disabled: m.problems.length > 0, text: S.start });
  start.addEventListener('click', runScreen);
  sec.append(el('div', { class: 'fp-roster-bar' },
    el('label', { for: 'fp-roster-county' }, S.county, county),
    el('label', { for: 'fp-roster-as-of' }, S.as_of, asOf)), profileLine, el('p', {}, start));
  describe();
}

async function runScreen() {
  const prog = $('#fp-roster-progress');
  const bar = prog.querySelector('progress');
  const text = prog.querySelector('p');
  prog.hidden = false;
  bar.value = 0;
  say(text, S.screening);
  $('#fp-roster-start').disabled = true;
  try {
    const summary = await call('screen', { county: state.county, asOf: state.asOf, lang }, (f) => {
      bar.value = f;
      text.textContent = `${S.screening} ${Math.round(f * 100)}%`;
    });
    if (summary.error) { say(text, summary.error, 'fp-error'); return; }
    bar.value = 1;
    state.summary = summary;
    state.query = { sort: 'row' };
    say(text, `${S.screened} ${count(summary.households, 'household', 'households')}${paren(count(summary.rows, 'row', 'rows'))} · ${S.took} ${(summary.ms / 1000).toFixed(2)} ${S.seconds}`);
    // The columns are settled: the results take the screen (the mapping comes back on request).
    $('#fp-roster-mapping').hidden = true;
    await drawResults();
    $('#fp-roster-s3')?.focus();
  } catch {
    await restart();
    return;
  } finally {
    const b = $('#fp-roster-start');
    if (b && state.mapping) b.disabled = state.mapping.problems.length > 0;
  }
}

/** “4 户，另有 3 行没有户编号”: rows without a 户编号 are no household, so they are counted as rows. */
function keptCount(s) {
  const households = count(s.kept_aside, 'household', 'households');
  if (!s.no_id_rows) return households;
  if (!s.kept_aside) return count(s.no_id_rows, 'row_no_id', 'rows_no_id');
  const rows = s.no_id_rows === 1 ? S.no_id_row : S.no_id_rows.replace('{n}', s.no_id_rows);
  return `${households}${lang === 'en' ? '; ' : '，'}${rows}`;
}

async function drawResults() {
  const sec = $('#fp-roster-results');
  sec.hidden = false;
  sec.textContent = '';
  const s = state.summary;
  sec.append(el('h2', { id: 'fp-roster-s3', tabindex: '-1', text: S.results_title }),
    el('p', { 'data-testid': 'roster-summary', text: `${S.screened} ${count(s.households, 'household', 'households')}${paren(count(s.rows, 'row', 'rows'))} · ${s.profile} · ${s.as_of}` }));
  const remap = el('button', { type: 'button', class: 'fp-button fp-small', 'data-testid': 'roster-remap', text: S.remap });
  remap.addEventListener('click', () => {
    const m = $('#fp-roster-mapping');
    m.hidden = false;
    m.scrollIntoView();
    $('#fp-roster-s2')?.focus();
  });
  sec.append(el('p', {}, remap));
  const counts = el('ul', { class: 'fp-roster-counts', 'data-testid': 'roster-counts' });
  const villages = el('div', { class: 'fp-roster-scroll fp-roster-villages', tabindex: '0', role: 'region', 'aria-label': S.summary_title });
  sec.append(counts, el('h3', { text: S.summary_title }), villages);
  // Kept aside: every household the file had a problem with, never screened on a guess.
  if (s.kept_aside_listed > 0) {
    const kept = await call('kept', { limit: 200, lang });
    const list = el('ul', { class: 'fp-roster-kept', 'data-testid': 'roster-kept' });
    for (const k of kept) list.append(el('li', {}, el('strong', { text: `${k.id || S.no_id}${lang === 'en' ? ': ' : '：'}` }), k.problems.join(' ')));
    const exp = el('button', { type: 'button', class: 'fp-button', 'data-testid': 'roster-export-kept', text: S.export_errors });
    const status = el('p', { role: 'status' });
    exp.addEventListener('click', async () => deliver(await call('kept_csv', { lang }), lang === 'en' ? 'rows-with-problems.csv' : '有问题的行.csv', status));
    sec.append(el('section', { class: 'fp-card', 'aria-labelledby': 'fp-roster-kept' },
      el('h3', { id: 'fp-roster-kept', 'data-testid': 'roster-kept-count', text: `${S.kept_aside_title}${paren(keptCount(s))}` }), el('p', { text: S.kept_aside_help }), list,
      s.kept_aside_listed > 200 ? el('p', { class: 'fp-muted', text: S.kept_aside_more }) : null, exp, status));
  }
  // Filters, search and order.
  const first = await call('view', { query: state.query, offset: 0, limit: 50, lang });
  const outcome = el('select', { id: 'fp-roster-f-outcome', 'data-testid': 'roster-filter-outcome' }, el('option', { value: '', text: S.all }));
  for (const o of first.by_outcome) outcome.append(el('option', { value: o.code, selected: state.query.outcome === o.code, text: `${heading(o.label)}${paren(o.n)}` }));
  const risk = el('select', { id: 'fp-roster-f-risk', 'data-testid': 'roster-filter-risk' }, el('option', { value: '', text: S.all }),
    el('option', { value: 'any', text: S.any_risk }), el('option', { value: 'key_group', text: S.key_group }));
  for (const r of S.risks) risk.append(el('option', { value: r.code, text: r.label }));
  risk.value = state.query.risk || '';
  const village = el('select', { id: 'fp-roster-f-village', 'data-testid': 'roster-filter-village' }, el('option', { value: '', text: S.all }));
  for (const v of first.villages) village.append(el('option', { value: String(v.i), text: v.village || '—' }));
  village.value = state.query.village === undefined ? '' : String(state.query.village);
  const below = el('input', { type: 'checkbox', id: 'fp-roster-f-below', checked: !!state.query.below, 'data-testid': 'roster-filter-below' });
  const search = el('input', { type: 'search', id: 'fp-roster-f-search', value: state.query.search || '', 'data-testid': 'roster-search', autocomplete: 'off' });
  const sort = el('select', { id: 'fp-roster-f-sort', 'data-testid': 'roster-sort' });
  for (const o of S.sorts) sort.append(el('option', { value: o.code, selected: state.query.sort === o.code, text: o.label }));
  const apply = () => {
    state.query = { outcome: outcome.value || undefined, risk: risk.value || undefined, village: village.value === '' ? undefined : Number(village.value), below: below.checked, search: search.value, sort: sort.value };
    list(true);
  };
  for (const c of [outcome, risk, village, below, sort]) c.addEventListener('change', apply);
  search.addEventListener('input', apply);
  sec.append(el('div', { class: 'fp-roster-bar' },
    el('label', { for: 'fp-roster-f-outcome' }, S.filter_outcome, outcome),
    el('label', { for: 'fp-roster-f-risk' }, S.filter_risk, risk),
    el('label', { for: 'fp-roster-f-village' }, S.filter_village, village),
    el('label', { for: 'fp-roster-f-sort' }, S.sort, sort),
    el('label', { for: 'fp-roster-f-search' }, S.search, search),
    el('label', { for: 'fp-roster-f-below', class: 'fp-roster-check' }, below, S.below_only)));
  const showing = el('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'roster-showing' });
  const tbody = el('tbody', { 'data-testid': 'roster-rows' });
  const head = ['th_row', 'th_id', 'village', 'th_head', 'members', 'th_per_capita', 'th_gap', 'th_outcome', 'th_risks', 'open'];
  sec.append(showing, el('div', { class: 'fp-roster-scroll', tabindex: '0', role: 'region', 'aria-label': S.list_label }, el('table', { class: 'fp-roster-table' },
    el('thead', {}, el('tr', {}, ...head.map((k) => el('th', { scope: 'col', text: S[k] })))), tbody)));
  const more = el('button', { type: 'button', class: 'fp-button', 'data-testid': 'roster-more', text: S.more });
  const exp = el('button', { type: 'button', class: 'fp-button fp-primary', 'data-testid': 'roster-export', text: S.export_flagged });
  const expStatus = el('p', { role: 'status' });
  exp.addEventListener('click', async () => deliver(await call('flagged_csv', { query: state.query, lang }), lang === 'en' ? 'households-to-visit.csv' : '需走访的户.csv', expStatus));
  sec.append(el('p', {}, more), el('p', {}, exp), el('p', { class: 'fp-muted', text: S.export_flagged_help }), expStatus);

  const drawCounts = (v) => {
    counts.textContent = '';
    for (const o of v.by_outcome) counts.append(el('li', { 'data-outcome': o.code }, ...tally(o)));
    villages.textContent = '';
    const labels = v.by_outcome.map((o) => heading(o.label));
    villages.append(el('table', { 'data-testid': 'roster-villages' },
      el('thead', {}, el('tr', {}, el('th', { text: S.village }), el('th', { text: S.th_households }), el('th', { text: S.below_count }), ...labels.map((l) => el('th', { text: l })))),
      el('tbody', {}, ...v.villages.map((x) => el('tr', {}, el('th', { scope: 'row', text: x.village || '—' }), el('td', { class: 'fp-num', text: String(x.households) }),
        el('td', { class: 'fp-num', text: String(x.below) }), ...x.by_outcome.map((n) => el('td', { class: 'fp-num', text: String(n) })))))));
  };
  const rowOf = (r) => {
    const open = el('button', { type: 'button', class: 'fp-button fp-small', 'data-i': String(r.i), 'aria-label': `${S.open} ${r.id} ${r.head}`, text: S.open });
    open.addEventListener('click', () => openHousehold(r.i, open));
    return el('tr', { 'data-outcome': r.outcome, 'data-id': r.id },
      el('td', { class: 'fp-num', text: String(r.row) }), el('td', { text: r.id }), el('td', { text: r.village || '' }), el('td', { text: r.head }),
      el('td', { class: 'fp-num', text: String(r.members) }), el('td', { class: 'fp-num', text: r.per_capita ?? '' }), el('td', { class: 'fp-num', text: r.gap ?? '' }),
      el('td', { text: heading(r.outcome_label) }), el('td', { class: 'fp-risks', text: r.risks.join(lang === 'en' ? '; ' : '、') }), el('td', {}, open));
  };
  let seq = 0;
  async function list(fresh) {
    const mine = ++seq;
    const v = fresh ? await call('view', { query: state.query, offset: 0, limit: 50, lang }) : await call('view', { query: state.query, offset: state.shown, limit: 50, lang });
    if (mine !== seq) return; // a later change already asked again
    if (fresh) { tbody.textContent = ''; state.shown = 0; }
    for (const r of v.rows) tbody.append(rowOf(r));
    state.shown += v.rows.length;
    showing.textContent = v.total === 0 ? S.none_match : `${S.showing} ${state.shown} ${S.of} ${count(v.total, 'household', 'households')}`;
    more.hidden = state.shown >= v.total;
    exp.disabled = v.total === 0;
    if (fresh) drawCounts(v);
  }
  more.addEventListener('click', () => list(false));
  state.shown = 0;
  tbody.textContent = '';
  for (const r of first.rows) tbody.append(rowOf(r));
  state.shown = first.rows.length;
  showing.textContent = first.total === 0 ? S.none_match : `${S.showing} ${state.shown} ${S.of} ${count(first.total, 'household', 'households')}`;
  more.hidden = state.shown >= first.total;
  drawCounts(first);
}

async function openHousehold(i, from) {
  const detail = $('#fp-roster-detail');
  const html = await call('explain', { i, lang });
  detail.textContent = '';
  const back = el('button', { type: 'button', class: 'fp-button', 'data-testid': 'roster-back', text: S.back });
  back.addEventListener('click', () => {
    detail.hidden = true;
    $('#fp-roster-results').hidden = false;
    from?.focus();
  });
  const body = el('div');
  // Escaped HTML from fangpin_html::result (no scripts, no inline styles: the CSP forbids both).
  body.innerHTML = html;
  detail.append(el('p', {}, back), el('p', { class: 'fp-muted', text: S.detail_help }), body);
  $('#fp-roster-results').hidden = true;
  detail.hidden = false;
  detail.querySelector('#fp-roster-detail-title')?.focus();
}

(async () => {
  try {
    policyUrl = new URL(root.dataset.policy, location.href).href;
    [S, state.counties] = await Promise.all([call('strings', { lang }), call('policy', { url: policyUrl })]);
    state.defaultCounty = params.get('county') || state.counties.default_county;
    draw();
  } catch (err) {
    root.querySelector('[data-roster-loading]').textContent = `读不了这个页面需要的文件，请刷新再试。 Cannot load what this page needs; please reload. (${err.message})`;
  }
})();
