// Shareable state: the URL fragment carries the model, settings and the text (or the
// conversation); opening the link restores them and shows the same numbers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pasteText, settle, startServer } from './helpers.mjs';

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

async function waitForHash(page, ...parts) {
  await page.waitForFunction((ps) => ps.every((p) => location.hash.includes(p)), parts, { timeout: 10_000 });
  return page.evaluate(() => location.href);
}

async function numbers(page) {
  return {
    tokens: await number(page, 'token-count'),
    chars: await number(page, 'char-count'),
    cost: await page.getByTestId('cost-total').getAttribute('data-amount'),
    currency: await page.getByTestId('cost-total').getAttribute('data-currency'),
  };
}

test('text mode: model, region, output, switches and text survive the link', async () => {
  const page = await openPage(browser.context, server.url);
  const text = 'Share me: 通义千问, Ελληνικά, עברית, 👩🏽‍💻 and tabs\tand\nnew lines.';
  await pasteText(page, text);
  await page.getByTestId('model-select').selectOption('qwen-plus');
  await page.locator('#region').selectOption('chineseMainland');
  await page.getByTestId('output-tokens').fill('2345');
  await page.getByLabel('Thinking').check();
  await page.getByLabel('Show token ids').check();
  await page.getByLabel('end').check();
  await settle(page);
  const url = await waitForHash(page, 'm=qwen-plus', 'r=chineseMainland', 'o=2345', 'th=1', 'ids=1', 'keep=end', 't=');
  const before = await numbers(page);
  const [{ count }] = oracle([{ op: 'count', text, model: 'qwen-plus' }]);
  assert.equal(before.tokens, count);

  const restored = await openPage(browser.context, url);
  assert.equal(await restored.getByTestId('input').inputValue(), text);
  assert.equal(await restored.getByTestId('model-select').inputValue(), 'qwen-plus');
  assert.equal(await restored.locator('#region').inputValue(), 'chineseMainland');
  assert.equal(await restored.getByTestId('output-tokens').inputValue(), '2345');
  assert.ok(await restored.getByLabel('Thinking').isChecked());
  assert.ok(await restored.getByLabel('Show token ids').isChecked());
  assert.ok(await restored.getByLabel('end').isChecked());
  assert.deepEqual(await numbers(restored), before);
  assert.equal(before.currency, 'CNY');
  assert.deepEqual([...page.problems, ...restored.problems], []);
  await page.close();
  await restored.close();
});

test('chat mode: messages, tool calls and tools survive the link', async () => {
  const page = await openPage(browser.context, server.url);
  await page.getByTestId('chat-mode').check();
  await page.getByLabel('Message 2 content').fill('Weather in Hangzhou? 杭州天气？');
  await page.locator('#new-role').getByLabel('assistant', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.getByLabel('Message 3 tool calls', { exact: false }).fill('[{"type":"function","function":{"name":"weather","arguments":{"city":"Hangzhou"}}}]');
  await page.locator('#new-role').getByLabel('tool', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.keyboard.type('{"c": 24}');
  await page.getByRole('button', { name: 'Tools (optional)' }).click();
  await page.getByLabel(/Tool schemas as a JSON array/).fill('[{"type":"function","function":{"name":"weather","parameters":{"type":"object"}}}]');
  await settle(page);
  const url = await waitForHash(page, 'mode=chat', 'chat=');
  const before = await numbers(page);
  const restored = await openPage(browser.context, url);
  assert.ok(await restored.getByTestId('chat-mode').isChecked());
  assert.equal(await restored.locator('#messages li').count(), 4);
  const roles = (p) => p.locator('#messages .roles input:checked').evaluateAll((rs) => rs.map((r) => r.value));
  assert.deepEqual(await roles(restored), ['system', 'user', 'assistant', 'tool']);
  assert.deepEqual(await roles(restored), await roles(page));
  assert.equal(await restored.getByLabel('Message 2 content').inputValue(), 'Weather in Hangzhou? 杭州天气？');
  assert.match(await restored.getByLabel('Message 3 tool calls', { exact: false }).inputValue(), /Hangzhou/);
  assert.match(await restored.getByLabel(/Tool schemas as a JSON array/).inputValue(), /weather/);
  assert.deepEqual(await numbers(restored), before);
  assert.deepEqual([...page.problems, ...restored.problems], []);
  await page.close();
  await restored.close();
});

test('a text too long for a link is left out, and the page says so', async () => {
  const page = await openPage(browser.context, server.url);
  let text = '';
  for (let i = 0; text.length < 200_000; i++) text += `${i.toString(36)} ${(i * 7919).toString(16)} `;
  await pasteText(page, text);
  await settle(page);
  await page.waitForFunction(() => /too long/.test(document.querySelector('#share-note').textContent));
  const hash = await page.evaluate(() => location.hash);
  assert.ok(hash.includes('m=') && !hash.includes('t='));
  await page.close();
});

test('links may name a model by alias or snapshot', async () => {
  const [{ models }] = oracle([{ op: 'models' }]);
  const m = models.find((x) => x.snapshots.length);
  const page = await openPage(browser.context, server.url, `#m=${m.snapshots[0]}`);
  assert.equal(await page.getByTestId('model-select').inputValue(), m.id);
  assert.deepEqual(page.problems, []);
  await page.close();
});
