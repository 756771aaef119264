// Helpers shared by every entry of the package (browser.js imports this file; build.sh
// writes shared.cjs, the same code as CommonJS, for the Node entries).

/** The error every qwen-meter function throws: `message` says what and where, `code` the kind. */
export class QwenMeterError extends Error {
  constructor(message) {
    super(message);
    this.name = 'QwenMeterError';
  }
}

/**
 * A plain array of valid token ids becomes a Uint32Array here, so it crosses into WebAssembly
 * as one copy instead of being read element by element. Anything else (a typed array, a bad
 * element, a Proxy whose traps throw) is passed on unchanged for the WebAssembly side to check
 * and report with the element's index.
 */
export function idsArg(ids) {
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

/**
 * Arguments prepared in JS before they cross, by parameter name: the generated entries pass
 * every parameter of that name (in the Rust export table) through the function.
 */
export const prepare = { ids: idsArg };

/**
 * The vocabularies that are not compiled into the WebAssembly module but shipped beside it
 * and loaded on first use, by generation name (as `hasVocabulary` takes it): the file in the
 * package. Qwen3.5 (also Qwen3.6) has 248,044 tokens, as many bytes as the rest of the package.
 */
export const VOCABULARY_FILES = { 'qwen3.5': 'qwen3_5.vocab' };

/** The file name of the vocabulary `hasVocabulary(generation)` said is missing. */
export function vocabularyFile(generation) {
  // Every alias of a lazily loaded generation ('qwen3.6', 'qwen3_5') names Qwen3.5's file:
  // the built-in generations never miss.
  return VOCABULARY_FILES[generation] ?? VOCABULARY_FILES['qwen3.5'];
}

/** Bytes as a Uint8Array, from an ArrayBuffer or any typed array or DataView; else undefined. */
export function asBytes(x) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  return undefined;
}

/** A QwenMeterError with `code` and, when given, `cause`. */
export function meterError(message, code, cause) {
  const e = new QwenMeterError(message);
  e.code = code;
  if (cause !== undefined) e.cause = cause;
  return e;
}
