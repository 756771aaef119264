// Shared by the ESM and CommonJS suites: runs the fixtures the native core wrote for this
// test run (QWEN_METER_FIXTURES) against one loaded copy of the package.
'use strict';

const fs = require('node:fs');

function loadFixtures() {
  const path = process.env.QWEN_METER_FIXTURES;
  if (!path) throw new Error('QWEN_METER_FIXTURES is not set (run crates/qwen-meter-wasm/test.sh)');
  return JSON.parse(fs.readFileSync(path, 'utf8')).cases;
}

/** Plain data for comparison: typed arrays become arrays. */
function plain(v) {
  if (ArrayBuffer.isView(v)) return Array.from(v);
  return v;
}

function same(a, b) {
  try {
    require('node:assert').deepStrictEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

const short = (v) => {
  const s = JSON.stringify(v);
  return s && s.length > 160 ? `${s.slice(0, 160)}...` : s;
};

/** Runs a `sequence` case's steps on one API copy: `{value}` or `{error: {code, message}}` each. */
function runSequence(api, steps) {
  let limiter = null;
  const out = [];
  try {
    for (const [name, ...args] of steps) {
      try {
        let value;
        if (name === 'RateLimiter') {
          if (limiter) limiter.free();
          limiter = null;
          limiter = new api.RateLimiter(...args);
          value = null;
        } else if (name === 'RateLimiter.limits') {
          value = limiter.limits;
        } else if (name.startsWith('RateLimiter.')) {
          value = limiter[name.slice('RateLimiter.'.length)](...args);
        } else {
          value = plain(api[name](...args));
        }
        out.push({ value });
      } catch (e) {
        if (!(e instanceof api.QwenMeterError)) throw e;
        out.push({ error: { code: e.code, message: e.message } });
      }
    }
  } finally {
    if (limiter) limiter.free();
  }
  return out;
}

/** Runs `cases` on `api`; returns a list of human-readable mismatches. */
function runCases(api, cases) {
  const bad = [];
  for (const c of cases) {
    const fn = api[c.call];
    if (c.call !== 'sequence' && typeof fn !== 'function') {
      bad.push(`${c.name}: ${c.call} is not exported`);
      continue;
    }
    let got;
    let thrown;
    try {
      got = c.call === 'sequence' ? runSequence(api, c.args) : plain(fn(...c.args));
    } catch (e) {
      thrown = e;
    }
    if (c.error) {
      if (!thrown) {
        bad.push(`${c.name}: expected error ${short(c.error.message)}, got ${short(got)}`);
      } else if (!(thrown instanceof api.QwenMeterError) || !(thrown instanceof Error)) {
        bad.push(`${c.name}: thrown ${thrown && thrown.constructor && thrown.constructor.name} is not a QwenMeterError: ${thrown}`);
      } else if (thrown.message !== c.error.message || thrown.code !== c.error.code) {
        bad.push(`${c.name}: error ${short([thrown.code, thrown.message])}, native ${short([c.error.code, c.error.message])}`);
      }
    } else if (thrown) {
      bad.push(`${c.name}: threw ${thrown}, native answers ${short(c.value)}`);
    } else if (!same(got, c.value)) {
      bad.push(`${c.name}: got ${short(got)}, native ${short(c.value)}`);
    }
  }
  return bad;
}

/** Registers one test per exported function with node:test's `test`. */
function registerFixtureTests(test, getApi, style) {
  const cases = loadFixtures();
  const byCall = new Map();
  for (const c of cases) {
    if (!byCall.has(c.call)) byCall.set(c.call, []);
    byCall.get(c.call).push(c);
  }
  for (const [call, list] of byCall) {
    const nErr = list.filter((c) => c.error).length;
    test(`${style}: ${call} matches the native core (${list.length - nErr} values, ${nErr} errors)`, async () => {
      const api = await getApi();
      const bad = runCases(api, list);
      if (bad.length) {
        throw new Error(`${bad.length} of ${list.length} cases differ:\n  ${bad.slice(0, 15).join('\n  ')}`);
      }
    });
  }
}

module.exports = { loadFixtures, runCases, registerFixtureTests, plain };
