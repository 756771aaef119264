// Pasting about 90 KB: the time of Playwright's `fill` (the browser's insert-text command, the
// path a paste takes) into the page's textarea against a bare <textarea> on a blank page, in
// the same browser, rounds interleaved. The browser's command fires an `input` event per line
// and lays the textarea out after each; the page must add little to that (target: at most
// 20%, asserted loosely since the machine is shared). Two figures for each: the wall time of
// the fill, and the CPU time of the renderer's main thread meanwhile (from a trace of its
// tasks: less sensitive to other work on a shared machine). The count after the fill must
// be the core's count of the whole text (the page reads the text once per burst of events).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureArtifacts, launch, number, openPage, oracle, settle, startServer } from './helpers.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** About 90 KB of prose and CJK in lines, as a pasted document. */
function ninetyKB() {
  const para =
    'Qwen models read text as tokens: pieces of words, whole words, punctuation and spaces. ' +
    '通义千问的分词器对中文同样高效。\n';
  let text = '';
  while (Buffer.byteLength(text) < 90 * 1024) text += para;
  return text;
}

const ROUNDS = 3;
const LOOSE_RATIO = 1.75;

/**
 * Fills `input` with `text`: the wall time, and the CPU time of the busiest renderer main
 * thread (the page's) over the fill, summed from the trace's top-level tasks.
 */
async function timedFill(page, input, text) {
  const cdp = await page.context().newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const done = new Promise((ok) => cdp.once('Tracing.tracingComplete', ok));
  await cdp.send('Tracing.start', { categories: 'toplevel', transferMode: 'ReportEvents' });
  const t0 = performance.now();
  await input.fill(text);
  const wall = performance.now() - t0;
  await cdp.send('Tracing.end');
  await done;
  await cdp.detach();
  const renderer = new Set();
  for (const e of events) {
    if (e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain') renderer.add(`${e.pid}/${e.tid}`);
  }
  const cpu = new Map();
  for (const e of events) {
    const k = `${e.pid}/${e.tid}`;
    if (e.ph === 'X' && e.tdur && e.name === 'ThreadControllerImpl::RunTask' && renderer.has(k)) {
      cpu.set(k, (cpu.get(k) ?? 0) + e.tdur / 1000);
    }
  }
  return { wall: Math.round(wall), cpu: Math.round(Math.max(0, ...cpu.values())) };
}

const median = (list) => [...list].sort((a, b) => a - b)[list.length >> 1];

test('pasting 90 KB into the page costs about what it costs in a bare textarea', async () => {
  const text = ninetyKB();
  const page = await openPage(browser.context, server.url);
  const bare = await browser.context.newPage();
  await bare.setContent('<!doctype html><html lang="en"><title>bare</title><textarea></textarea></html>');
  const targets = [
    { name: 'bare', page: bare, input: bare.locator('textarea'), ms: [], cpu: [] },
    { name: 'page', page, input: page.getByTestId('input'), ms: [], cpu: [] },
  ];
  // Warm-up: the first fill of each compiles code paths that later ones reuse.
  for (const t of targets) await t.input.fill(text.slice(0, 4096));
  for (let r = 0; r < ROUNDS; r++) {
    for (const t of targets) {
      await t.page.bringToFront();
      await t.input.fill('');
      if (t.page === page) await settle(page);
      const { wall, cpu } = await timedFill(t.page, t.input, text);
      t.ms.push(wall);
      t.cpu.push(cpu);
    }
    await settle(page);
    assert.equal(await page.getByTestId('input').inputValue(), text);
    if (r === 0) {
      assert.equal(await number(page, 'token-count'), oracle([{ op: 'count', text, model: 'qwen3-max' }])[0].count);
    }
  }
  const [b, p] = targets.map((t) => median(t.ms));
  const [bc, pc] = targets.map((t) => median(t.cpu));
  const ratio = (x, y) => Math.round((x / y) * 100) / 100;
  const report = {
    textBytes: Buffer.byteLength(text),
    lines: text.split('\n').length - 1,
    wallMs: { bare: targets[0].ms, page: targets[1].ms, bareMedian: b, pageMedian: p, ratio: ratio(p, b) },
    rendererCpuMs: { bare: targets[0].cpu, page: targets[1].cpu, bareMedian: bc, pageMedian: pc, ratio: ratio(pc, bc) },
  };
  writeFileSync(join(ensureArtifacts(), 'paste.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log(
    `fill of ${report.textBytes} bytes (${report.lines} lines), median of ${ROUNDS}: wall bare ${b} ms, page ${p} ms ` +
      `(ratio ${report.wallMs.ratio}; ${targets[0].ms.join('/')} vs ${targets[1].ms.join('/')}); renderer CPU bare ${bc} ms, ` +
      `page ${pc} ms (ratio ${report.rendererCpuMs.ratio}; ${targets[0].cpu.join('/')} vs ${targets[1].cpu.join('/')})`,
  );
  assert.ok(bc > 0 && pc > 0, 'the trace holds the renderer tasks');
  assert.ok(pc <= bc * LOOSE_RATIO, `the page's renderer took ${pc} ms of CPU against ${bc} ms for a bare textarea`);
  assert.ok(p <= b * 2, `the page took ${p} ms against ${b} ms in a bare textarea`);
  assert.deepEqual(page.problems, []);
});
