// Picks a slice of the fixtures for the browser page: a few cases of every function (values
// and errors), skipping sequences (the page checks the limiter itself).
import { readFileSync } from 'node:fs';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8')).cases;
const seen = new Map();
const picked = [];
for (const c of cases) {
  if (c.call === 'sequence') continue;
  const key = `${c.call}:${c.error ? 'error' : 'value'}`;
  const n = seen.get(key) ?? 0;
  if (n < 12) picked.push(c);
  seen.set(key, n + 1);
}
process.stdout.write(JSON.stringify(picked));
