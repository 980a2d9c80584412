// What bench/run.mjs and bench/timeline.mjs share: the slow phone's profile and the marks a page
// makes of its own progress.
// Slow phone: 4× CPU, 1.6 Mbps down / 750 kbps up, 150 ms round trip (docs/toolchain.md).
export const LINE = { down: 1.6e6, up: 750e3, rttMs: 150 };
export const CPU = 4;

// The page times itself (Playwright's own waiting would inject its ~100 KB helper script into the
// page, which at 4× CPU costs the page's main thread ~120 ms): these lines run before the page's own
// scripts and keep the moments — the first usable control, the tap on 开始自测, the first household
// question accepting text (after the tap: 'question'; with or without one: 'members', which is how a
// returning visitor's saved household reopens) — as performance marks (which also land in a trace).
export const MARKS = `(() => {
  const mark = (name, detail) => { if (!window.__bench[name]) { window.__bench[name] = performance.now(); performance.mark('bench:' + name, { detail }); } };
  window.__bench = {};
  const check = () => {
    if (!window.__bench.interactive && document.querySelector('[data-app-ready] input:not([disabled]), [data-app-ready] select:not([disabled]), [data-app-ready] button:not([disabled])')) mark('interactive');
    const question = document.querySelector('[data-screen=members] input:not([disabled])');
    if (question) mark('members');
    if (window.__bench.tap && !window.__bench.question && question) mark('question');
    if (!window.__bench.members) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
  document.addEventListener('click', (e) => { if (e.target.closest && e.target.closest('[data-testid=start]')) mark('tap'); }, true);
})();`;

