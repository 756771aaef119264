// qwen-meter for browsers and bundlers (Vite, webpack, esbuild): a plain ES module.
//
//   import { init, countTokens } from 'qwen-meter';
//   await init();                 // fetches qwen_meter_bg.wasm next to this file
//   countTokens('Hello');         // every function is synchronous after init
//
// `init(input?)` takes an optional URL, Response, BufferSource or WebAssembly.Module;
// `initSync(bytes | module)` instantiates from bytes you already have. Calling a function
// before either throws a QwenMeterError. No top-level await, so importing never blocks.
//
// build.sh replaces the `// @exports` line with one function per line of the Rust export
// table (src/exports.rs) and the `// @default` line with their names, taken from the glue
// (npm/gen-entries.mjs): named exports stay static, so bundlers tree-shake them.
import glueInit, * as glue from './qwen_meter_web.js';
import { QwenMeterError, prepare } from './shared.js';

export { QwenMeterError };

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

// @exports

export default {
  QwenMeterError,
  init,
  initSync,
  // @default
};
