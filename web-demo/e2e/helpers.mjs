// Shared helpers of the end-to-end tests: the static server, headless Chromium (Debian's
// /usr/bin/chromium driven by playwright-core) and the native oracle (the Rust core's own
// answers, produced in the same run: web-demo/native).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const webDemo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repo = resolve(webDemo, '..');
export const artifacts = join(webDemo, 'artifacts');

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts web-demo/server.mjs on a free port unless BASE_URL names a running one. */
export async function startServer() {
  if (process.env.BASE_URL) return { url: process.env.BASE_URL, stop: async () => {} };
  const child = spawn(process.execPath, [join(webDemo, 'server.mjs'), '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise((ok, fail) => {
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      const m = /^Serving (\S+)/.exec(line);
      if (m) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`server.mjs exited with ${code}`)));
  });
  return {
    url,
    stop: () =>
      new Promise((ok) => {
        child.once('exit', ok);
        child.kill('SIGTERM');
      }),
  };
}

/** Launches headless Chromium with a fresh profile. */
export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'qwen-meter-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the page in a new tab and waits until the catalog is loaded. Page errors and
 * requests to other hosts are collected in `page.problems` (the tests expect none).
 */
export async function openPage(context, url, hash = '') {
  // Pasting (pasteText) goes through the real clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(url).origin });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', (e) => page.problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') page.problems.push(`console error: ${m.text()}`);
  });
  const origin = new URL(url).origin;
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:')) {
      page.problems.push(`request to another origin: ${u}`);
    }
  });
  await page.goto(url + hash);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await settle(page);
  return page;
}

/** Waits until the page has answered for the latest input (counts and token view). */
export async function settle(page) {
  await page.waitForFunction(
    () => {
      const s = window.__qwenMeter?.idle?.();
      return s === true;
    },
    null,
    { timeout: 30_000, polling: 20 },
  );
}

/** The number shown in a data-testid element. */
export async function number(page, testid) {
  const text = await page.getByTestId(testid).textContent();
  if (!/^\d+$/.test(text)) throw new Error(`${testid} shows ${JSON.stringify(text)}, not digits`);
  return Number(text);
}

let oracleBin = null;

/** Builds (once) and returns the path of the native oracle binary. */
export function oraclePath() {
  if (oracleBin) return oracleBin;
  if (process.env.ORACLE && existsSync(process.env.ORACLE)) {
    oracleBin = process.env.ORACLE;
    return oracleBin;
  }
  const manifest = join(webDemo, 'native', 'Cargo.toml');
  const build = spawnSync('cargo', ['build', '--release', '--quiet', '--manifest-path', manifest, '--message-format', 'json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (build.status !== 0) throw new Error('cargo build of web-demo/native failed');
  for (const line of build.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const msg = JSON.parse(line);
    if (msg.reason === 'compiler-artifact' && msg.executable && msg.target?.name === 'web-demo-oracle') {
      oracleBin = msg.executable;
    }
  }
  if (!oracleBin) throw new Error('cargo did not report the web-demo-oracle executable');
  return oracleBin;
}

/** Asks the native core: one answer per query (see web-demo/native/src/main.rs). */
export function oracle(queries) {
  const input = queries.map((q) => JSON.stringify(q)).join('\n') + '\n';
  const run = spawnSync(oraclePath(), [], { input, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`web-demo-oracle failed: ${run.stderr}`);
  const answers = run.stdout.trim().split('\n').map((l) => JSON.parse(l));
  if (answers.length !== queries.length) throw new Error('web-demo-oracle answered a different number of queries');
  return answers;
}

export function ensureArtifacts() {
  mkdirSync(artifacts, { recursive: true });
  return artifacts;
}

/**
 * Replaces the text of the input by pasting it (select all, delete, Ctrl+V): a real paste,
 * and much faster than typing or locator.fill() for long texts.
 */
export async function pasteText(page, text) {
  const input = page.getByTestId('input');
  await input.focus();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.evaluate((t) => navigator.clipboard.writeText(t), text);
  await page.keyboard.press('Control+V');
}

/** Current page state of the settings, read from the page for oracle queries. */
export async function pageState(page) {
  return page.evaluate(() => window.__qwenMeter.state());
}
