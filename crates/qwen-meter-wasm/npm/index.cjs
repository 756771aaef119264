// qwen-meter for Node.js, CommonJS entry (`require('qwen-meter')`).
//
// The wasm-bindgen `nodejs` glue reads the .wasm with fs and instantiates it synchronously
// when this file is first required, so every function is usable at once (no top-level await,
// which would break `require`). The ESM entry (index.mjs) re-exports this module, so `import`
// and `require` in one process share one WebAssembly instance.
//
// The Qwen3.5 vocabulary is a second file of the package (qwen3_5.vocab), read here on first
// use: a call that needs it fails in WebAssembly with the code VOCABULARY_NOT_LOADED before
// doing anything, and its wrapper reads the file synchronously, installs it and calls again.
// Programs that never count a Qwen3.5 model never read it.
//
// build.sh replaces the `// @exports` line with one wrapper per function of the Rust export
// table (src/exports.rs), taken from the glue (npm/gen-entries.mjs).
'use strict';

const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { fileURLToPath } = require('node:url');
const glue = require('./qwen_meter_node.cjs');
const { QwenMeterError, prepare, asBytes, meterError, vocabularyFile, VOCABULARY_FILES } = require('./shared.cjs');

glue.__setErrorClass(QwenMeterError);

/** Resolves at once: Node loads the WebAssembly synchronously (kept for isomorphic code). */
function init() {
  return Promise.resolve();
}

/** Does nothing in Node (kept for isomorphic code). */
function initSync() {}

/** Installs a generation's vocabulary from `input` (bytes, or a path or file: URL). */
function installFrom(generation, input) {
  let bytes = asBytes(input);
  if (bytes === undefined) {
    const path = input instanceof URL ? fileURLToPath(input) : input;
    if (typeof path !== 'string') {
      throw meterError(
        `loadVocabulary: input: expected a file path, a file: URL or the file's bytes, got ${input === null ? 'null' : typeof input}`,
        'INVALID_ARGUMENT',
      );
    }
    try {
      bytes = readFileSync(path);
    } catch (cause) {
      throw meterError(`loadVocabulary: could not read the ${generation} vocabulary from ${path} (${cause.message})`, 'LOAD', cause);
    }
  }
  glue.installVocabulary(generation, bytes);
}

/**
 * Makes `generation`'s vocabulary available now, synchronously: from `input` when given,
 * else from the package's own file. Calls do this by themselves on first use; `init` and
 * `loadVocabulary` are for code that also runs in browsers.
 */
function loadVocabularySync(generation = 'qwen3.5', input) {
  if (glue.hasVocabulary(generation)) return;
  installFrom(generation, input ?? join(__dirname, vocabularyFile(generation)));
}

/** As `loadVocabularySync`, as a promise (the browser entry's signature). */
function loadVocabulary(generation = 'qwen3.5', input) {
  try {
    loadVocabularySync(generation, input);
    return Promise.resolve();
  } catch (e) {
    return Promise.reject(e);
  }
}

/** After a call failed with `e`: loads the missing vocabularies; true when the call may retry. */
function loaded(e) {
  if (!(e instanceof QwenMeterError) || e.code !== 'VOCABULARY_NOT_LOADED') return false;
  let any = false;
  for (const generation of Object.keys(VOCABULARY_FILES)) {
    if (!glue.hasVocabulary(generation)) {
      loadVocabularySync(generation);
      any = true;
    }
  }
  return any;
}

module.exports = {
  QwenMeterError,
  init,
  initSync,
  loadVocabulary,
  // @exports
};
