// qwen-meter for Node.js, ES module entry (`import ... from 'qwen-meter'`).
//
// Re-exports the CommonJS entry so that `import` and `require` share one WebAssembly instance
// and one QwenMeterError class (no dual-package hazard).
import cjs from './index.cjs';

export const {
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
} = cjs;

export default cjs;
