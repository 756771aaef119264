// qwen-meter for Node.js, ES module entry (`import ... from 'qwen-meter'`).
//
// Re-exports the CommonJS entry so that `import` and `require` share one WebAssembly instance
// and one QwenMeterError class (no dual-package hazard). build.sh replaces the `// @exports`
// line with the names of the Rust export table (src/exports.rs; npm/gen-entries.mjs).
import cjs from './index.cjs';

export const {
  QwenMeterError,
  init,
  initSync,
  loadVocabulary,
  // @exports
} = cjs;

export default cjs;
