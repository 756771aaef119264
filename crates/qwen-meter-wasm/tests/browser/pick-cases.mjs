// Picks a slice of the fixtures for the browser page: a few cases of every function (values
// and errors), a few more with the Qwen3.5 vocabulary, skipping sequences (the page checks the
// limiter itself); and every case of what the package answers before the Qwen3.5 vocabulary
// is loaded. Output: {before, cases}.
import { readFileSync } from 'node:fs';

const fixtures = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const seen = new Map();
const picked = [];
for (const c of fixtures.cases) {
  if (c.call === 'sequence') continue;
  const key = `${c.call}:${c.error ? 'error' : 'value'}:${/qwen3\.5/.test(c.name) ? '3.5' : ''}`;
  const n = seen.get(key) ?? 0;
  if (n < 12) picked.push(c);
  seen.set(key, n + 1);
}
process.stdout.write(JSON.stringify({ before: fixtures.beforeVocabulary, cases: picked }));
