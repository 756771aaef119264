// qwen-meter for Node.js, CommonJS entry (`require('qwen-meter')`).
//
// The wasm-bindgen `nodejs` glue reads the .wasm with fs and instantiates it synchronously
// when this file is first required, so every function is usable at once (no top-level await,
// which would break `require`). The ESM entry (index.mjs) re-exports this module, so `import`
// and `require` in one process share one WebAssembly instance.
'use strict';

const glue = require('./qwen_meter_node.cjs');

/** The error every qwen-meter function throws: `message` says what and where, `code` the kind. */
class QwenMeterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'QwenMeterError';
  }
}
glue.__setErrorClass(QwenMeterError);

/** Resolves at once: Node loads the WebAssembly synchronously (kept for isomorphic code). */
function init() {
  return Promise.resolve();
}

/** Does nothing in Node (kept for isomorphic code). */
function initSync() {}

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

module.exports = {
  QwenMeterError,
  init,
  initSync,
  countTokens: glue.countTokens,
  encode: glue.encode,
  decode: (ids, options) => glue.decode(idsArg(ids), options),
  decodeBytes: (ids, options) => glue.decodeBytes(idsArg(ids), options),
  encodeWithOffsets: glue.encodeWithOffsets,
  isWithinTokenLimit: glue.isWithinTokenLimit,
  truncate: glue.truncate,
  specialTokens: glue.specialTokens,
  wasmMemoryBytes: glue.wasmMemoryBytes,
  countChat: glue.countChat,
  renderChat: glue.renderChat,
  encodeChat: glue.encodeChat,
  estimateCost: glue.estimateCost,
  fitsContext: glue.fitsContext,
  truncateToFit: glue.truncateToFit,
  planRequests: glue.planRequests,
  listModels: glue.listModels,
  getModel: glue.getModel,
  catalogInfo: glue.catalogInfo,
  loadCatalog: glue.loadCatalog,
  resetCatalog: glue.resetCatalog,
  RateLimiter: glue.RateLimiter,
  createDocument: glue.createDocument,
};
