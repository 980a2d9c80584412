// Service worker: after one visit the app opens and works with no network. Everything it needs (page,
// boot script, JS glue, wasm, the policy file, CSS) is precached under a versioned cache; a new build
// or a new policy file (`fangpin publish-policy`) has a new version, which installs beside the old one,
// takes over and deletes the old cache. The page tells the person when that happens. POSTs (one-click
// reports) are never intercepted.
const VERSION = '{{VERSION}}';
const CACHE = `fangpin-${VERSION}`;
const PRECACHE = {{PRECACHE}};

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE)
      // Hashed assets never change under their name: the copy the page just fetched into the HTTP
      // cache is the right one (no second download on a slow line). The page itself is revalidated.
      .then((cache) => cache.addAll(PRECACHE.map((p) => new Request(p, { cache: p.startsWith('assets/') ? 'default' : 'no-cache' }))))
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
  // Pages: the cached shell of this version (it names this version's hashed assets), else the network.
  const key = req.mode === 'navigate' ? new URL('index.html', self.registration.scope).href : req;
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(key, { ignoreSearch: req.mode === 'navigate' }).then((hit) => {
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
