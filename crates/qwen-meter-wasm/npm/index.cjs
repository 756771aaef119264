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

module.exports = {
  QwenMeterError,
  init,
  initSync,
  countTokens: glue.countTokens,
  encode: glue.encode,
  decode: glue.decode,
  decodeBytes: glue.decodeBytes,
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
};
