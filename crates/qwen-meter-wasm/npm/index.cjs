// qwen-meter for Node.js, CommonJS entry (`require('qwen-meter')`).
//
// The wasm-bindgen `nodejs` glue reads the .wasm with fs and instantiates it synchronously
// when this file is first required, so every function is usable at once (no top-level await,
// which would break `require`). The ESM entry (index.mjs) re-exports this module, so `import`
// and `require` in one process share one WebAssembly instance.
//
// build.sh replaces the `// @exports` line with one entry per function of the Rust export
// table (src/exports.rs), taken from the glue (npm/gen-entries.mjs).
'use strict';

const glue = require('./qwen_meter_node.cjs');
const { QwenMeterError, prepare } = require('./shared.cjs');

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
  // @exports
};
