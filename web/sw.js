// Service worker: after one visit the app opens and works with no network. Everything it needs (page,
// boot script, JS glue, wasm, the policy file, CSS) is precached under a versioned cache; a new build
// or a new policy file (`fangpin publish-policy`) has a new version, which installs beside the old one,
// takes over and deletes the old cache. The page tells the person when that happens. POSTs (one-click
// reports) are never intercepted.
const VERSION = '{{VERSION}}';
const CACHE = `fangpin-${VERSION}`;
const PRECACHE = {{PRECACHE}};
// Worker mode's module: not for every phone, but a phone that used worker mode keeps it in each
// new version (else worker mode would not open offline after an update).
const WORKER = {{WORKER_PRECACHE}};

const usedWorkerMode = async () => {
  for (const k of await caches.keys()) {
    if (k === CACHE || !k.startsWith('fangpin-')) continue;
    if ((await (await caches.open(k)).keys()).some((r) => /\/assets\/fangpin-worker-[0-9a-f]+\.wasm$/.test(r.url))) return true;
  }
  return false;
};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // Hashed assets never change under their name: the copy the page just fetched into the HTTP
      // cache is the right one (no second download on a slow line). The page itself is revalidated.
      .then(async (cache) => {
        await cache.addAll(PRECACHE.map((p) => new Request(p, { cache: p.startsWith('assets/') ? 'default' : 'no-cache' })));
        if (WORKER.length && await usedWorkerMode()) await cache.addAll(WORKER.map((p) => new Request(p, { cache: 'default' })));
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('fangpin-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  const url = new URL(req.url);
  if (url.pathname.startsWith('/api/')) return;
  // The app's page: the cached shell of this version (it names this version's hashed assets), whatever
  // its query; other pages (the printable 明白纸 in sheets/) as themselves.
  const scope = new URL(self.registration.scope).pathname;
  const shell = req.mode === 'navigate' && (url.pathname === scope || url.pathname === `${scope}index.html`);
  const key = shell ? new URL('index.html', self.registration.scope).href : req;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(key, { ignoreSearch: shell }).then((hit) => {
      if (hit) return hit;
      // A hashed asset not precached (worker mode's own code, which a villager's phone never
      // downloads): kept once fetched, so worker mode works offline after its first visit.
      if (!url.pathname.includes('/assets/')) return fetch(req);
      return fetch(req).then((resp) => {
        if (resp.ok) cache.put(req, resp.clone()).catch(() => {});
        return resp;
      });
    })),
  );
});
