// Chat mode: add, edit, reorder and delete messages (mouse and keyboard), tools and tool
// calls; the prompt tokens (template included) equal the native core's for every generation's
// template, and the token view shows the rendered conversation's ids.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pageState, settle, startServer } from './helpers.mjs';

let server;
let browser;
let page;
let models;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
  [{ models }] = oracle([{ op: 'models' }]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** What the page sends the package, as the core's oracle query. */
async function expected(extra = {}) {
  const s = await pageState(page);
  const m = models.find((x) => x.id === s.model);
  const q = {
    op: 'chat',
    model: s.model,
    messages: s.messages.map(({ role, content, tool_calls }) => (tool_calls ? { role, content, tool_calls } : { role, content })),
    ...extra,
  };
  if (s.tools) q.tools = s.tools;
  if (m.thinking && m.nonThinking) q.enableThinking = s.thinking;
  return { state: s, answer: oracle([q])[0] };
}

async function messageTexts() {
  return page.locator('#messages li').evaluateAll((lis) =>
    lis.map((li) => [li.querySelector('.roles input:checked')?.value, li.querySelector('textarea.content').value]),
  );
}

async function checkCount() {
  await settle(page);
  const { state, answer } = await expected();
  assert.ok(!answer.error, answer.error);
  assert.equal(await number(page, 'token-count'), answer.count, JSON.stringify(state.messages));
  // Overhead = total - the message contents' own tokens.
  const content = oracle(state.messages.map((m) => ({ op: 'count', text: m.content, model: state.model })));
  const sum = content.reduce((n, c) => n + c.count, 0);
  const totals = await page.locator('#chat-totals').textContent();
  assert.match(totals, new RegExp(`Template overhead: ${(answer.count - sum).toLocaleString('en-US')} tokens`));
  assert.match(totals, new RegExp(`Total prompt: ${answer.count.toLocaleString('en-US')} tokens`));
  return answer;
}

test('chat mode starts from the text as a user message', async () => {
  await page.getByTestId('input').fill('What is the capital of France?');
  await page.getByTestId('chat-mode').check();
  assert.ok(await page.locator('#chat-editor').isVisible());
  assert.ok(!(await page.getByTestId('input').isVisible()));
  assert.deepEqual(await messageTexts(), [
    ['system', 'You are a helpful assistant.'],
    ['user', 'What is the capital of France?'],
  ]);
  // No drop-down <select> in either mode: one makes Chromium lay the prompt out once more
  // per pasted line for the rest of the tab's life (paste.test.mjs, README).
  assert.deepEqual(await page.locator('select').evaluateAll((ss) => ss.filter((s) => !s.multiple && s.size <= 1).map((s) => s.id)), []);
  await checkCount();
});

test('add, edit, reorder and delete messages', async () => {
  const add = async (role, content) => {
    await page.locator('#new-role').getByLabel(role, { exact: true }).check();
    await page.getByRole('button', { name: 'Add message' }).click();
    // The new message's content box has the focus.
    await page.keyboard.type(content);
  };
  await add('assistant', 'Paris. 巴黎是法国的首都。');
  await add('user', 'And of Japan? 🗾');
  await checkCount();
  assert.equal((await messageTexts()).length, 4);

  // Edit: the first user message.
  const first = page.getByLabel('Message 2 content');
  await first.fill('What is the capital of France? Answer briefly.');
  await checkCount();

  // Change a role: with the mouse, then with the arrow keys (the role is a group of radios;
  // the focus stays on the message's role through the redraw).
  const role1 = page.getByRole('group', { name: 'Message 1 role' });
  await role1.getByLabel('user', { exact: true }).check();
  assert.equal((await messageTexts())[0][0], 'user');
  await checkCount();
  await role1.getByLabel('user', { exact: true }).focus();
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'msg-role-0-system');
  assert.equal((await messageTexts())[0][0], 'system');
  await checkCount();

  // Reorder with the mouse: message 4 up.
  await page.getByRole('button', { name: 'Move up message 4' }).click();
  assert.deepEqual((await messageTexts()).map((m) => m[1]), [
    'You are a helpful assistant.',
    'What is the capital of France? Answer briefly.',
    'And of Japan? 🗾',
    'Paris. 巴黎是法国的首都。',
  ]);
  await checkCount();

  // Reorder with the keyboard: focus stays on the moved message's button.
  await page.getByRole('button', { name: 'Move down message 3' }).focus();
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute('aria-label')), 'Move up message 4');
  assert.deepEqual((await messageTexts()).map((m) => m[1])[3], 'And of Japan? 🗾');
  await checkCount();

  // Delete.
  await page.getByRole('button', { name: 'Delete message 4' }).click();
  assert.equal((await messageTexts()).length, 3);
  await checkCount();
});

test('tools and tool calls are counted through the template', async () => {
  await page.getByRole('button', { name: 'Tools (optional)' }).click();
  const tools = [
    {
      type: 'function',
      function: {
        name: 'get_weather',
        description: 'Current weather of a city',
        parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
      },
    },
  ];
  await page.getByLabel(/Tool schemas as a JSON array/).fill(JSON.stringify(tools, null, 2));
  const withTools = await checkCount();
  // An assistant tool call and the tool's answer.
  await page.locator('#new-role').getByLabel('assistant', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.getByLabel('Message 4 tool calls', { exact: false }).fill(
    JSON.stringify([{ type: 'function', function: { name: 'get_weather', arguments: { city: 'Paris' } } }]),
  );
  await page.locator('#new-role').getByLabel('tool', { exact: true }).check();
  await page.getByRole('button', { name: 'Add message' }).click();
  await page.keyboard.type('{"temperature": 21, "sky": "clear"}');
  const answer = await checkCount();
  assert.ok(answer.count > withTools.count);
  // Broken JSON is reported and left out, not thrown.
  await page.getByLabel(/Tool schemas as a JSON array/).fill('[{"type": ');
  await settle(page);
  assert.match(await page.locator('#tools-error').textContent(), /Tools are not counted/);
  await page.getByLabel(/Tool schemas as a JSON array/).fill(JSON.stringify(tools));
  await checkCount();
});

test('every generation’s template counts as the core does; the view shows the rendered ids', async () => {
  const generations = new Map();
  for (const m of models) if (!generations.has(m.generation)) generations.set(m.generation, m);
  assert.ok(generations.size >= 2);
  for (const m of generations.values()) {
    await page.getByTestId('model-select').selectOption(m.id);
    const answer = await checkCount();
    await page.getByLabel('Show token ids').check();
    const ids = (await page.getByTestId('token-view').evaluate((el) => el.innerText)).trim().split(/\s+/).map(Number);
    assert.deepEqual(ids, answer.ids, `rendered ids for ${m.id} (${m.generation})`);
    await page.getByLabel('Show token ids').uncheck();
  }
  // Thinking on changes the Qwen3 prompt (no empty <think> block).
  const hybrid = models.find((m) => m.thinking && m.nonThinking && m.generation === 'qwen3');
  await page.getByTestId('model-select').selectOption(hybrid.id);
  const off = await checkCount();
  await page.getByLabel('Thinking').check();
  const on = await checkCount();
  assert.notEqual(on.count, off.count);
  await page.getByLabel('Thinking').uncheck();
});

test('the truncate button is for text mode; leaving chat mode keeps the text', async () => {
  assert.ok(await page.getByTestId('truncate-button').isDisabled());
  await page.getByTestId('chat-mode').uncheck();
  await settle(page);
  assert.equal(await page.getByTestId('input').inputValue(), 'What is the capital of France?');
  const [{ count }] = oracle([{ op: 'count', text: 'What is the capital of France?', model: (await pageState(page)).model }]);
  assert.equal(await number(page, 'token-count'), count);
  assert.deepEqual(page.problems, []);
});
