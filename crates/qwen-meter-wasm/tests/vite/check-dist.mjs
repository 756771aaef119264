// Checks a Vite production build of the test page: the .wasm and the Qwen3.5 vocabulary were
// emitted as assets, they are the package's files, and the entry chunk references both and
// contains the browser entry.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const dist = process.argv[2] ?? 'dist';
const assets = readdirSync(join(dist, 'assets'));
const wasm = assets.filter((f) => f.endsWith('.wasm'));
const js = assets.filter((f) => f.endsWith('.js'));
const fail = (msg) => {
  console.error(`check-dist: ${msg}\n  assets: ${assets.join(', ')}`);
  process.exit(1);
};
if (wasm.length !== 1) fail(`expected one .wasm asset, found ${wasm.length}`);
const require = createRequire(join(process.cwd(), 'package.json'));
const original = readFileSync(require.resolve('qwen-meter/qwen_meter_bg.wasm'));
const emitted = readFileSync(join(dist, 'assets', wasm[0]));
if (!original.equals(emitted)) fail('the emitted .wasm differs from the package one');
const vocab = assets.filter((f) => f.endsWith('.vocab'));
if (vocab.length !== 1) fail(`expected one .vocab asset (the Qwen3.5 vocabulary), found ${vocab.length}`);
if (!readFileSync(require.resolve('qwen-meter/qwen3_5.vocab')).equals(readFileSync(join(dist, 'assets', vocab[0])))) {
  fail('the emitted .vocab differs from the package one');
}
const code = js.map((f) => readFileSync(join(dist, 'assets', f), 'utf8')).join('\n');
if (!code.includes(vocab[0])) fail(`no JS chunk references ${vocab[0]}`);
if (!code.includes(wasm[0])) fail(`no JS chunk references ${wasm[0]}`);
if (!code.includes('not initialised')) fail('the browser entry is not in the bundle');
if (!readFileSync(join(dist, 'index.html'), 'utf8').includes('<script type="module"')) fail('no module script in index.html');
console.log(`check-dist: ok (${wasm[0]}, ${emitted.length} bytes; ${vocab[0]}; ${js.join(', ')})`);
