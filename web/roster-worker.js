// The roster screen's Web Worker: loads fangpin-roster-web and answers the page's messages, off the
// page's thread, so screening 100,000 households never freezes the page. The file arrives here as
// bytes and stays in this worker's memory; nothing is sent anywhere (the one fetch is the site's
// own policy file).
import init, * as roster from './{{ROSTER_GLUE}}';

const ready = init({ module_or_path: new URL('./{{ROSTER_WASM}}', import.meta.url) });

/** The file as UTF-8 bytes. The module reads UTF-8 (and UTF-8 with a stray bad byte) itself; any
 *  other file the browser decodes, by the native screen's rule: UTF-16 by its byte-order mark, else
 *  GB18030 (which covers GBK: what Excel saves on a Chinese Windows) when it reads without a fault,
 *  else UTF-8 with the bad bytes as U+FFFD. */
function load(buffer, lang) {
  const bytes = new Uint8Array(buffer);
  let r = JSON.parse(roster.load(bytes, lang));
  if (r.error !== 'encoding') return r;
  let enc = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'gb18030';
  let text;
  try {
    text = new TextDecoder(enc, { fatal: true }).decode(bytes);
  } catch {
    enc = 'utf-8-replaced';
    text = new TextDecoder('utf-8').decode(bytes);
  }
  r = JSON.parse(roster.load(new TextEncoder().encode(text), lang));
  r.encoding = enc;
  return r;
}

self.onmessage = async (e) => {
  const { id, op, args } = e.data;
  try {
    await ready;
    let result;
    switch (op) {
      case 'policy': {
        const response = await fetch(args.url);
        if (!response.ok) throw new Error(`policy file: HTTP ${response.status}`);
        result = JSON.parse(roster.install_policy(new Uint8Array(await response.arrayBuffer())));
        break;
      }
      case 'strings': result = JSON.parse(roster.strings(args.lang)); break;
      case 'template': result = roster.template(args.lang); break;
      case 'template_xlsx': result = roster.template_xlsx(args.lang); break;
      case 'profile': result = JSON.parse(roster.describe_profile(args.county, args.asOf, args.lang)); break;
      case 'load': {
        const t0 = performance.now();
        result = load(args.bytes, args.lang);
        result.ms = performance.now() - t0;
        break;
      }
      case 'column': result = JSON.parse(roster.set_column(args.col, args.code, args.lang)); break;
      case 'screen': {
        const t0 = performance.now();
        result = JSON.parse(roster.screen(args.county, args.asOf, args.lang, (f) => self.postMessage({ id, progress: f })));
        result.ms = performance.now() - t0;
        break;
      }
      case 'view': result = JSON.parse(roster.view(JSON.stringify(args.query), args.offset, args.limit, args.lang)); break;
      case 'explain': result = roster.explain(args.i, args.lang); break;
      case 'kept': result = JSON.parse(roster.kept_aside(args.limit, args.lang)); break;
      case 'flagged_csv': result = roster.flagged_csv(JSON.stringify(args.query), args.lang); break;
      case 'kept_csv': result = roster.kept_aside_csv(args.lang); break;
      default: throw new Error(`unknown ${op}`);
    }
    self.postMessage({ id, result });
  } catch (err) {
    self.postMessage({ id, error: String((err && err.message) || err) });
  }
};
