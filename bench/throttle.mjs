// A slow phone's line, in front of the server: every byte the browser exchanges with the site — the
// page's requests and the service worker's alike — goes through one shared link with the profile's
// bandwidth and latency, the way they compete on a phone. (DevTools' page-level throttling does not
// apply to a service worker's own fetches, which then arrive at loopback speed.)
//
// A TCP proxy: each direction is one queue of packets sent one after another at the line's rate,
// taken from the open connections in turn (so parallel downloads share the line, as TCP flows do), and
// delivered half a round trip after they leave. A new connection waits one round trip before its
// first byte goes up (the TCP handshake). Upstream sockets are paused while a connection has much
// queued, so the server is not read faster than the line drains.
import net from 'node:net';

const PACKET = 1460;

class Link {
  constructor(bytesPerSecond, delayMs) {
    this.rate = bytesPerSecond / 1000; // bytes per ms
    this.delay = delayMs;
    this.queues = new Map(); // conn id → [{ data, deliver }]
    this.order = []; // round-robin of conn ids with data
    this.freeAt = 0; // when the line is next free (ms, performance clock)
    this.timer = null;
    this.bytes = 0;
    this.arriving = new Map(); // conn id → { q: [{ data, at, deliver }], timer }
  }
  send(id, data, deliver, notBefore = 0) {
    for (let i = 0; i < data.length; i += PACKET) {
      const q = this.queues.get(id) ?? [];
      if (!this.queues.has(id)) { this.queues.set(id, q); this.order.push(id); }
      q.push({ data: data.subarray(i, i + PACKET), deliver, notBefore });
    }
    this.pump();
  }
  queued(id) {
    return (this.queues.get(id) ?? []).reduce((n, p) => n + p.data.length, 0);
  }
  /** The connection has nothing left to send. */
  idle(id) {
    this.queues.delete(id);
    this.order = this.order.filter((x) => x !== id);
  }
  /** The connection is gone: what it had on the way is lost. */
  drop(id) {
    const a = this.arriving.get(id);
    if (a?.timer) clearTimeout(a.timer);
    this.arriving.delete(id);
    this.idle(id);
  }
  // Packets of one connection arrive in the order they left: one timer per connection hands them over
  // in turn (a timer per packet can fire out of order when small packets leave within a millisecond,
  // which corrupted compressed responses).
  arrive(id, packet) {
    const a = this.arriving.get(id) ?? { q: [], timer: null };
    this.arriving.set(id, a);
    a.q.push(packet);
    if (!a.timer) this.schedule(id, a);
  }
  schedule(id, a) {
    a.timer = setTimeout(() => {
      a.timer = null;
      const now = performance.now();
      while (a.q.length && a.q[0].at <= now) {
        const p = a.q.shift();
        p.deliver(p.data);
      }
      if (a.q.length) this.schedule(id, a);
      else if (this.arriving.get(id) === a) this.arriving.delete(id);
    }, Math.max(0, a.q[0].at - performance.now()));
  }
  pump() {
    if (this.timer) return;
    const now = performance.now();
    // The next connection (in turn) whose head packet may leave now.
    for (let n = 0; n < this.order.length; n++) {
      const id = this.order[0];
      this.order.push(this.order.shift());
      const q = this.queues.get(id);
      if (!q?.length || q[0].notBefore > now) continue;
      const p = q.shift();
      if (!q.length) this.idle(id);
      const start = Math.max(now, this.freeAt);
      const took = p.data.length / this.rate;
      this.freeAt = start + took;
      this.bytes += p.data.length;
      this.arrive(id, { data: p.data, deliver: p.deliver, at: this.freeAt + this.delay });
      break;
    }
    const pending = [...this.queues.values()].some((q) => q.length);
    if (pending) {
      const heads = [...this.queues.values()].filter((q) => q.length).map((q) => q[0].notBefore);
      const next = Math.max(this.freeAt, Math.min(...heads));
      this.timer = setTimeout(() => { this.timer = null; this.pump(); }, Math.max(0, next - performance.now()));
    }
  }
}

/**
 * Starts the line in front of `target` (an http://127.0.0.1:PORT/ URL). `down` and `up` in bits per
 * second, `rttMs` the round trip. Returns its own URL, a byte count and `stop()`.
 */
export async function startLine(target, { down = 1.6e6, up = 750e3, rttMs = 150 } = {}) {
  const to = new URL(target);
  const downLink = new Link(down / 8, rttMs / 2);
  const upLink = new Link(up / 8, rttMs / 2);
  const sockets = new Set();
  let next = 0;
  const server = net.createServer((client) => {
    const id = next++;
    const opened = performance.now();
    const upstream = net.connect(Number(to.port), to.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      downLink.drop(id);
      upLink.drop(id);
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('data', (d) => {
      upLink.send(id, d, (p) => {
        if (!upstream.destroyed) upstream.write(p);
        if (upLink.queued(id) < 16 * 1024) client.resume();
      }, opened + rttMs);
      if (upLink.queued(id) > 64 * 1024) client.pause();
    });
    upstream.on('data', (d) => {
      downLink.send(id, d, (p) => {
        if (!client.destroyed) client.write(p);
        if (downLink.queued(id) < 16 * 1024) upstream.resume();
      });
      if (downLink.queued(id) > 64 * 1024) upstream.pause();
    });
    // An end waits for the bytes before it to be delivered.
    upstream.on('end', () => waitDrained(downLink, id, () => client.end()));
    client.on('end', () => waitDrained(upLink, id, () => upstream.end()));
    client.on('error', close);
    // The server may reset a connection right after a whole response: deliver what is on the line first.
    upstream.on('error', () => waitDrained(downLink, id, close));
    client.on('close', close);
    upstream.on('close', () => waitDrained(downLink, id, close));
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${server.address().port}/`;
  return {
    url,
    /** Bytes sent down the line so far. */
    bytesDown: () => downLink.bytes,
    bytesUp: () => upLink.bytes,
    /** The line's rate in bytes per ms. */
    check: () => ({ rate: downLink.rate }),
    stop: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
  };
}

/** Runs `then` once everything queued for `id` has left and arrived. */
function waitDrained(link, id, then) {
  const tick = () => {
    if (link.queued(id) > 0 || link.arriving.has(id)) return setTimeout(tick, 10);
    setTimeout(then, Math.max(0, link.freeAt + link.delay - performance.now()) + 2);
  };
  tick();
}
