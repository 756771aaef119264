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
