// qwen-meter for browsers and bundlers (Vite, webpack, esbuild): a plain ES module.
//
//   import { init, countTokens } from 'qwen-meter';
//   await init();                 // fetches qwen_meter_bg.wasm next to this file
//   countTokens('Hello');         // every function is synchronous after init
//
// `init(input?)` takes an optional URL, Response, BufferSource or WebAssembly.Module;
// `initSync(bytes | module)` instantiates from bytes you already have. Calling a function
// before either throws a QwenMeterError. No top-level await, so importing never blocks.
import glueInit, * as glue from './qwen_meter_web.js';

/** The error every qwen-meter function throws: `message` says what and where, `code` the kind. */
export class QwenMeterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'QwenMeterError';
  }
}

let ready = false;

function started() {
  glue.__setErrorClass(QwenMeterError);
  ready = true;
}

/** Loads and instantiates the WebAssembly module once; later calls resolve at once. */
export async function init(input) {
  if (ready) return;
  const module_or_path = input ?? new URL('./qwen_meter_bg.wasm', import.meta.url);
  try {
    await glueInit({ module_or_path });
  } catch (cause) {
    const where = input === undefined ? ` from ${module_or_path}` : '';
    const e = new QwenMeterError(
      `init: could not load the WebAssembly module${where} (${cause && cause.message}); ` +
        'a dev server that pre-bundles dependencies (Vite) moves this file away from the .wasm: ' +
        "exclude qwen-meter from pre-bundling (optimizeDeps.exclude) or pass the .wasm URL to init()",
    );
    e.code = 'INIT';
    e.cause = cause;
    throw e;
  }
  started();
}

/** Instantiates synchronously from the .wasm bytes (or a compiled WebAssembly.Module). */
export function initSync(bytesOrModule) {
  if (ready) return;
  if (bytesOrModule === undefined) {
    throw new QwenMeterError('initSync: expected the .wasm bytes or a WebAssembly.Module');
  }
  glue.initSync({ module: bytesOrModule });
  started();
}

function live(name) {
  if (!ready) {
    const e = new QwenMeterError(`${name}: qwen-meter is not initialised; call \`await init()\` first`);
    e.code = 'NOT_INITIALISED';
    throw e;
  }
  return glue;
}

/**
 * A plain array of valid token ids becomes a Uint32Array here, so it crosses into WebAssembly
 * as one copy instead of being read element by element. Anything else (a typed array, a bad
 * element, a Proxy whose traps throw) is passed on unchanged for the WebAssembly side to check
 * and report with the element's index.
 */
function idsArg(ids) {
  if (!Array.isArray(ids)) return ids;
  try {
    const out = new Uint32Array(ids.length);
    for (let i = 0; i < ids.length; i++) {
      const x = ids[i];
      if (typeof x !== 'number' || !(x >= 0 && x <= 4294967295) || !Number.isInteger(x)) return ids;
      out[i] = x;
    }
    return out;
  } catch {
    return ids;
  }
}

export function countTokens(text, options) {
  return live('countTokens').countTokens(text, options);
}
export function encode(text, options) {
  return live('encode').encode(text, options);
}
export function decode(ids, options) {
  return live('decode').decode(idsArg(ids), options);
}
export function decodeBytes(ids, options) {
  return live('decodeBytes').decodeBytes(idsArg(ids), options);
}
export function encodeWithOffsets(text, options) {
  return live('encodeWithOffsets').encodeWithOffsets(text, options);
}
export function isWithinTokenLimit(text, limit, options) {
  return live('isWithinTokenLimit').isWithinTokenLimit(text, limit, options);
}
export function truncate(text, maxTokens, options) {
  return live('truncate').truncate(text, maxTokens, options);
}
export function specialTokens(options) {
  return live('specialTokens').specialTokens(options);
}
export function wasmMemoryBytes() {
  return live('wasmMemoryBytes').wasmMemoryBytes();
}

export function countChat(messages, options) {
  return live('countChat').countChat(messages, options);
}
export function renderChat(messages, options) {
  return live('renderChat').renderChat(messages, options);
}
export function encodeChat(messages, options) {
  return live('encodeChat').encodeChat(messages, options);
}
export function estimateCost(request) {
  return live('estimateCost').estimateCost(request);
}
export function fitsContext(request) {
  return live('fitsContext').fitsContext(request);
}
export function truncateToFit(text, options) {
  return live('truncateToFit').truncateToFit(text, options);
}
export function planRequests(request) {
  return live('planRequests').planRequests(request);
}
export function listModels() {
  return live('listModels').listModels();
}
export function getModel(id) {
  return live('getModel').getModel(id);
}
export function catalogInfo() {
  return live('catalogInfo').catalogInfo();
}
export function loadCatalog(catalog, options) {
  return live('loadCatalog').loadCatalog(catalog, options);
}
export function resetCatalog() {
  return live('resetCatalog').resetCatalog();
}

/** A pure RPM/TPM rate limiter; call `free()` when done (or let the GC's FinalizationRegistry do it). */
export class RateLimiter extends glue.RateLimiter {
  constructor(limits) {
    live('RateLimiter');
    super(limits);
  }
}

/** An editable text whose token count follows its edits; call `free()` when done. */
export function createDocument(text, options) {
  return live('createDocument').createDocument(text, options);
}

export default {
  QwenMeterError,
  init,
  initSync,
  countTokens,
  encode,
  decode,
  decodeBytes,
  encodeWithOffsets,
  isWithinTokenLimit,
  truncate,
  specialTokens,
  wasmMemoryBytes,
  countChat,
  renderChat,
  encodeChat,
  estimateCost,
  fitsContext,
  truncateToFit,
  planRequests,
  listModels,
  getModel,
  catalogInfo,
  loadCatalog,
  resetCatalog,
  RateLimiter,
  createDocument,
};
