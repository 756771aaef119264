// Writes the package's entry points from the wasm-bindgen glue, so their export lists always
// match the Rust export table (src/exports.rs) without being written by hand.
//
//   node gen-entries.mjs GLUE_WEB_JS TEMPLATE_DIR OUT_DIR
//
// The glue (`--target web`) has one `export function name(params)` per table line and one
// `export class Name` per exported class. Each template (index.cjs, index.mjs, browser.js) has
// marker lines that are replaced:
//   `// @exports` in index.cjs   -> `name(params) { ... }`: calls glue.name (arguments prepared),
//                                  again after loading a vocabulary it said was missing
//   `// @exports` in index.mjs   -> `name,` (inside `export const { ... } = cjs`)
//   `// @exports` in browser.js  -> `export function name(params) { ... }` and the classes
//   `// @default` in browser.js  -> `name,` (inside the default export object)
// shared.js is copied, and also written as CommonJS (shared.cjs) for the Node entries.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [glueFile, templates, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: node gen-entries.mjs GLUE_WEB_JS TEMPLATE_DIR OUT_DIR');
  process.exit(2);
}

const glue = readFileSync(glueFile, 'utf8');
const functions = [...glue.matchAll(/^export function (\w+)\(([^)]*)\)/gm)]
  .map(([, name, params]) => ({ name, params: params.split(',').map((p) => p.trim()).filter(Boolean) }))
  // `__name`: internal (the error class hook); `initSync`: the glue's own loader.
  .filter((f) => !f.name.startsWith('__') && f.name !== 'initSync');
const classes = [...glue.matchAll(/^export class (\w+)/gm)].map((m) => m[1]);
if (functions.length === 0 || !glue.includes('export function __setErrorClass(')) {
  console.error(`gen-entries: ${glueFile} does not look like the qwen-meter web glue`);
  process.exit(1);
}

const { prepare } = await import(pathToFileURL(join(templates, 'shared.js')).href);
const args = (f) => f.params.map((p) => (p in prepare ? `prepare.${p}(${p})` : p)).join(', ');
const names = [...functions.map((f) => f.name), ...classes];

function fill(template, marks) {
  let text = readFileSync(join(templates, template), 'utf8');
  for (const [mark, lines] of Object.entries(marks)) {
    const re = new RegExp(`^([ \\t]*)// ${mark}\\n`, 'm');
    const m = text.match(re);
    if (!m) throw new Error(`gen-entries: ${template} has no "// ${mark}" line`);
    const indent = m[1];
    const body = lines.map((l) => l.replace(/^(?=.)/gm, indent) + '\n').join('');
    text = text.replace(re, () => body);
  }
  writeFileSync(join(out, template), text);
}

fill('index.cjs', {
  // Each call is tried once more after a VOCABULARY_NOT_LOADED error, once `loaded(e)` has read
  // the missing vocabulary file (the WebAssembly side fails before doing anything).
  '@exports': [
    ...functions.map(
      (f) =>
        `${f.name}(${f.params.join(', ')}) {\n` +
        `  try {\n    return glue.${f.name}(${args(f)});\n  } catch (e) {\n` +
        `    if (!loaded(e)) throw e;\n    return glue.${f.name}(${args(f)});\n  }\n},`,
    ),
    ...classes.map((c) => `${c}: glue.${c},`),
  ],
});
fill('index.mjs', { '@exports': names.map((n) => `${n},`) });
fill('browser.js', {
  '@exports': [
    ...functions.map(
      (f) => `export function ${f.name}(${f.params.join(', ')}) {\n  return live('${f.name}').${f.name}(${args(f)});\n}`,
    ),
    ...classes.map(
      (c) =>
        `/** The glue's ${c}, usable once the module is initialised; call \`free()\` when done. */\n` +
        `export class ${c} extends glue.${c} {\n  constructor(...args) {\n    live('${c}');\n    super(...args);\n  }\n}`,
    ),
  ],
  '@default': names.map((n) => `${n},`),
});

const shared = readFileSync(join(templates, 'shared.js'), 'utf8');
writeFileSync(join(out, 'shared.js'), shared);
const sharedNames = [...shared.matchAll(/^export (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
writeFileSync(
  join(out, 'shared.cjs'),
  "'use strict';\n" +
    shared.replace(/^export (?=class |function |const )/gm, '') +
    `\nmodule.exports = { ${sharedNames.join(', ')} };\n`,
);
console.error(`gen-entries: ${functions.length} functions and ${classes.length} classes: ${names.join(', ')}`);
