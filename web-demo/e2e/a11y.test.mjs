// Accessibility and looks: axe-core finds no violations in light and dark, at desktop and
// phone width, in text and chat mode (tooltip, warnings and panels open too); every control
// is reachable with the keyboard; the page fits a phone's width. Screenshots are saved under
// web-demo/artifacts/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ensureArtifacts, launch, openPage, pasteText, settle, startServer } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let page;
let dir;

const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 740 };

const TEXT =
  'Qwen counts tokens exactly. 通义千问。 مرحبا بالعالم. Привет! 👋🏽 👨‍👩‍👧\n' +
  'Tabs\tand  spaces, <|im_start|> special text, and numbers 1234567.\n';

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
  dir = ensureArtifacts();
  await pasteText(page, TEXT);
  await settle(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Runs axe-core (injected from node_modules, offline) and returns its violations. */
async function axe() {
  // page.evaluate runs outside the page's Content-Security-Policy, so axe needs no exception.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${n.failureSummary}`),
    }));
  });
}

async function look(scheme, size) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.setViewportSize(size);
  await page.waitForTimeout(50);
}

async function shot(name) {
  // From the top, so the sticky header sits where it belongs in a full-page capture.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

const results = [];

for (const scheme of ['light', 'dark']) {
  for (const [sizeName, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ]) {
    test(`axe: no violations, ${scheme} theme, ${sizeName} width (text mode)`, async () => {
      await look(scheme, size);
      await page.getByRole('button', { name: /sources/ }).evaluate((b) => b.getAttribute('aria-expanded') === 'false' && b.click());
      await settle(page);
      const violations = await axe();
      results.push({ scheme, sizeName, mode: 'text', violations: violations.length });
      assert.deepEqual(violations, []);
      await shot(`${scheme}-${sizeName}`);
      // Nothing sticks out sideways at phone width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    });
  }
}

test('axe: tooltip, over-limit warning and colours of the token view (both themes)', async () => {
  for (const scheme of ['light', 'dark']) {
    await look(scheme, DESKTOP);
    await page.getByTestId('output-tokens').fill('9000000');
    await settle(page);
    await page.getByTestId('token-view').focus();
    await page.keyboard.press('ArrowRight');
    await page.locator('#token-tip').waitFor({ state: 'visible' });
    await page.waitForFunction(() => !document.querySelector('#token-tip').textContent.includes('…'));
    const violations = await axe();
    results.push({ scheme, sizeName: 'desktop', mode: 'tooltip+warning', violations: violations.length });
    assert.deepEqual(violations, []);
    await page.screenshot({ path: join(dir, `${scheme}-desktop-tooltip.png`) });
    await page.keyboard.press('Escape');
    await page.getByTestId('output-tokens').fill('1000');
    await settle(page);
  }
  // Ids shown.
  await page.getByLabel('Show token ids').check();
  assert.deepEqual(await axe(), []);
  await page.getByLabel('Show token ids').uncheck();
});

test('axe: chat mode with tools and tool calls (both themes, desktop and phone)', async () => {
  await page.getByTestId('chat-mode').check();
  await page.locator('#new-role').getByLabel('assistant', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.keyboard.type('Let me check.');
  await page.getByLabel('Message 3 tool calls', { exact: false }).fill('[{"type": "function", "function": {"name": "lookup", "arguments": {"q": "Qwen"}}}]');
  await page.locator('#new-role').getByLabel('tool', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.keyboard.type('{"result": "a family of models"}');
  await page.getByRole('button', { name: 'Tools (optional)' }).click();
  await page.getByLabel(/Tool schemas as a JSON array/).fill('[{"type": "function", "function": {"name": "lookup", "parameters": {"type": "object"}}}]');
  await settle(page);
  for (const scheme of ['light', 'dark']) {
    for (const [sizeName, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ]) {
      await look(scheme, size);
      const violations = await axe();
      results.push({ scheme, sizeName, mode: 'chat', violations: violations.length });
      assert.deepEqual(violations, [], `${scheme} ${sizeName}`);
      await shot(`${scheme}-${sizeName}-chat`);
    }
  }
  await page.getByTestId('chat-mode').uncheck();
  await look('light', DESKTOP);
  await settle(page);
  console.log(`axe-core ${await page.evaluate(() => window.axe.version)}: ${results.length} page states, ${results.reduce((n, r) => n + r.violations, 0)} violations`);
});

test('every control is reachable with Tab, and the skip link jumps to the calculator', async () => {
  // A fresh tab: focus starts at the top of the document.
  page = await openPage(browser.context, server.url);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Skip to the calculator');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.ok(!(await page.evaluate(() => location.hash.includes('main'))), 'the fragment keeps the state');
  const seen = new Set();
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => document.activeElement.dataset.testid || document.activeElement.id || document.activeElement.textContent.trim());
    seen.add(id);
  }
  for (const want of ['chat-mode', 'input', 'file-input', 'show-ids', 'ordinary', 'token-view', 'model-search', 'model-select', 'region', 'output-tokens', 'thinking', 'cached-tokens', 'copy-link']) {
    assert.ok(seen.has(want), `Tab reaches ${want} (seen: ${[...seen].join(', ')})`);
  }
  // Switches toggle with the space bar.
  await page.getByLabel('Show token ids').focus();
  await page.keyboard.press('Space');
  assert.ok(await page.getByLabel('Show token ids').isChecked());
  await page.keyboard.press('Space');
  assert.deepEqual(page.problems, []);
});
