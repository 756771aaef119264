// The page's engine: a module Web Worker that owns a qwen-meter WebAssembly instance, so
// tokenizing a large text never blocks typing. The page starts two of them:
//
// - role "count": counts, chat totals, cost, context fit, rate limits and truncation. Every
//   keystroke goes here; each answer takes a few milliseconds even for 100 KB of text.
// - role "view": token ids with their text ranges (for the coloured token view) and token
//   bytes (for the tooltip). Slower on big texts, so it runs beside the counter, never in
//   front of it.
//
// Messages in: {type, seq, ...}; answers out: {type, seq, ...} (see handle()).
import * as qm from './vendor/qwen-meter/browser.js';
import * as api from './api.js';

const role = new URL(self.location.href).searchParams.get('role') ?? 'count';

// Requests still queued when a newer one of the same kind arrives are skipped: the page
// only shows the latest text.
const latest = new Map();

// The page compiles the .wasm once and sends the module first ({type: 'module'}), so the
// file is downloaded and compiled once for the page and both workers.
let ready = null;

self.onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'module') {
    ready = qm.init(msg.module ?? undefined).then(
      () => null,
      (e) => e,
    );
    return;
  }
  if (msg.seq !== undefined) latest.set(msg.type, msg.seq);
  const failed = await ready;
  if (failed) {
    self.postMessage({ type: 'fatal', message: `could not load qwen-meter: ${failed.message ?? failed}` });
    return;
  }
  if (msg.seq !== undefined && msg.skippable && latest.get(msg.type) !== msg.seq) {
    self.postMessage({ type: msg.type, seq: msg.seq, skipped: true });
    return;
  }
  try {
    const t0 = performance.now();
    const answer = handle(msg);
    if (answer === undefined) return;
    answer.type = msg.type;
    answer.seq = msg.seq;
    answer.ms = performance.now() - t0;
    self.postMessage(answer, transferables(answer));
  } catch (e) {
    self.postMessage({ type: msg.type, seq: msg.seq, error: e?.message ?? String(e) });
  }
};

function transferables(answer) {
  const list = [];
  for (const v of Object.values(answer)) {
    if (ArrayBuffer.isView(v)) list.push(v.buffer);
  }
  return list;
}

function handle(msg) {
  switch (msg.type) {
    case 'catalog':
      return api.catalog(qm);
    case 'analyze':
      return api.analyze(qm, msg.state);
    case 'truncate':
      return api.truncateToFit(qm, msg.state, msg.keep);
    case 'spans':
      return api.spans(qm, msg.state, msg.limit);
    case 'bytes':
      return api.tokenBytes(qm, msg.ids, msg.state);
    case 'imageSize':
      return api.imageSize(qm, msg.bytes);
    case 'vocabulary':
      // The page fetched a vocabulary the package loads on first use (Qwen3.5) and sends the
      // bytes to every instance, so the file is downloaded once.
      return { installed: qm.installVocabulary(msg.generation, msg.bytes) };
    case 'ping':
      return { role };
    default:
      throw new Error(`worker: unknown message type ${JSON.stringify(msg.type)}`);
  }
}
