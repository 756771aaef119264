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
// The Qwen3.5 vocabulary (Qwen3.5 and Qwen3.6 models) is a second file, qwen3_5.vocab, fetched
// only by `await loadVocabulary('qwen3.5')`: a page that never calls it downloads no more than
// the .wasm. Until then a call that needs it throws a QwenMeterError with the code
// VOCABULARY_NOT_LOADED whose message names that call. The file is referenced as
// `new URL('./qwen3_5.vocab', import.meta.url)`, which bundlers (Vite, webpack 5, Parcel)
// emit as an asset, like the .wasm.
//
// build.sh replaces the `// @exports` line with one function per line of the Rust export
// table (src/exports.rs) and the `// @default` line with their names, taken from the glue
// (npm/gen-entries.mjs): named exports stay static, so bundlers tree-shake them.
import glueInit, * as glue from './qwen_meter_web.js';
import { QwenMeterError, asBytes, meterError, prepare, vocabularyFile } from './shared.js';

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

/** The package's vocabulary files; the literal `new URL(...)` lets bundlers emit them. */
const VOCABULARY_URLS = {
  'qwen3_5.vocab': () => new URL('./qwen3_5.vocab', import.meta.url),
};

/** Loads of the package's files in progress or done, by file name ('qwen3.6' shares one). */
const loading = new Map();

/** The bytes of `input`: bytes as they are, else fetched (a URL, string, Request or Response). */
async function fetchBytes(input) {
  const bytes = asBytes(input);
  if (bytes) return bytes;
  const response = typeof Response !== 'undefined' && input instanceof Response ? input : await fetch(input);
  if (!response.ok) throw new Error(`HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
  return new Uint8Array(await response.arrayBuffer());
}

/**
 * Loads the vocabulary of `generation` ('qwen3.5') once: from `input` (a URL, Response or the
 * file's bytes) or else the package's own file next to this module. Initialises the module
 * first if needed. Resolves at once for a vocabulary that is already available.
 */
export async function loadVocabulary(generation = 'qwen3.5', input) {
  if (!ready) await init();
  if (glue.hasVocabulary(generation)) return;
  const file = vocabularyFile(generation);
  let pending = input === undefined ? loading.get(file) : undefined;
  if (!pending) {
    const source = input ?? VOCABULARY_URLS[file]();
    pending = (async () => {
      let bytes;
      try {
        bytes = await fetchBytes(await source);
      } catch (cause) {
        const where = input === undefined ? ` from ${source}` : '';
        throw meterError(
          `loadVocabulary: could not load the ${generation} vocabulary${where} (${cause && cause.message}); ` +
            `serve ${file} next to the package's files, or pass its URL or bytes to loadVocabulary()`,
          'LOAD',
          cause,
        );
      }
      glue.installVocabulary(generation, bytes);
    })();
    if (input === undefined) {
      loading.set(file, pending);
      // A failed load may be retried.
      pending.catch(() => loading.delete(file));
    }
  }
  await pending;
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
  loadVocabulary,
  // @default
};
