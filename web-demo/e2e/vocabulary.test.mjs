// Qwen3.5 and Qwen3.6 models count with their own vocabulary, the package's second file: the
// page fetches it once, when such a model is first chosen (never for older models), counts
// exactly as the native core's Qwen3.5 tokenizer, and says which vocabulary counted the text.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pageState, pasteText, settle, startServer } from './helpers.mjs';

let server;
let browser;
let page;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Scripts where the two vocabularies differ most (Devanagari, Arabic, Thai) and some English.
const TEXT =
  'नमस्ते दुनिया, यह एक परीक्षण है। مرحبا بالعالم، هذا نص عربي. สวัสดีชาวโลก ภาษาไทย. ' +
  'The quick brown fox jumps over the lazy dog.';

/** How many times the page fetched the Qwen3.5 vocabulary file. */
const fetches = () =>
  page.evaluate(() => performance.getEntriesByType('resource').filter((r) => r.name.endsWith('/qwen3_5.vocab')).length);

async function shown() {
  await settle(page);
  const vocab = page.getByTestId('vocabulary');
  return {
    tokens: await number(page, 'token-count'),
    vocabulary: await vocab.textContent(),
    generation: await vocab.getAttribute('data-generation'),
    model: (await pageState(page)).model,
  };
}

async function ids() {
  await page.getByLabel('Show token ids').check();
  await settle(page);
  const list = (await page.getByTestId('token-view').evaluate((el) => el.innerText)).trim().split(/\s+/).map(Number);
  await page.getByLabel('Show token ids').uncheck();
  return list;
}

test('a Qwen3.5 model loads the Qwen3.5 vocabulary once and counts with it; older models do not', async () => {
  await pasteText(page, TEXT);
  const [q3, plus, flash, q36, q3Encode, plusEncode] = oracle([
    { op: 'count', text: TEXT, model: 'qwen3-max' },
    { op: 'count', text: TEXT, model: 'qwen3.5-plus' },
    { op: 'count', text: TEXT, model: 'qwen3.5-flash' },
    { op: 'count', text: TEXT, model: 'qwen3.6-plus' },
    { op: 'encode', text: TEXT, model: 'qwen3-max' },
    { op: 'encode', text: TEXT, model: 'qwen3.5-plus' },
  ]);
  const [gen] = oracle([{ op: 'model', id: 'qwen3.5-plus' }]);
  assert.equal(gen.generation, 'qwen3.5');
  assert.notEqual(plus.count, q3.count, 'the two vocabularies count this text differently');

  // The default model (qwen3-max): the built-in vocabulary; the second file is not fetched.
  let got = await shown();
  assert.deepEqual(got, { tokens: q3.count, vocabulary: 'Counted with the Qwen3 vocabulary', generation: 'qwen3', model: 'qwen3-max' });
  assert.deepEqual(await ids(), q3Encode.ids);
  assert.equal(await fetches(), 0);

  // A Qwen3.5 model: the vocabulary is fetched, and the count, ids and label follow it.
  await page.getByTestId('model-select').selectOption('qwen3.5-plus');
  got = await shown();
  assert.deepEqual(got, { tokens: plus.count, vocabulary: 'Counted with the Qwen3.5 vocabulary', generation: 'qwen3.5', model: 'qwen3.5-plus' });
  assert.deepEqual(await ids(), plusEncode.ids, 'the view worker tokenizes with the Qwen3.5 vocabulary');
  assert.equal(await fetches(), 1);

  // Other Qwen3.5/3.6 models reuse it; back to Qwen3, then Qwen3.5 again: no new download.
  for (const [model, want] of [['qwen3.5-flash', flash], ['qwen3.6-plus', q36], ['qwen3-max', q3], ['qwen3.5-plus', plus]]) {
    await page.getByTestId('model-select').selectOption(model);
    got = await shown();
    assert.equal(got.model, model);
    assert.equal(got.tokens, want.count, `count with ${model}`);
    assert.equal(got.generation, model === 'qwen3-max' ? 'qwen3' : 'qwen3.5', model);
  }
  assert.equal(await fetches(), 1);

  // Typing after the switch is counted on the main thread with the same vocabulary.
  await page.getByTestId('input').focus();
  await page.keyboard.press('End');
  await page.keyboard.type(' और अधिक', { delay: 0 });
  const value = await page.getByTestId('input').inputValue();
  const [typed] = oracle([{ op: 'count', text: value, model: 'qwen3.5-plus' }]);
  assert.equal((await shown()).tokens, typed.count);

  // Chat mode: the Qwen3.5 template, counted with the Qwen3.5 vocabulary.
  await page.getByTestId('chat-mode').check();
  await settle(page);
  const state = await pageState(page);
  const [{ models }] = oracle([{ op: 'models' }]);
  const m = models.find((x) => x.id === 'qwen3.5-plus');
  const q = { op: 'chat', model: 'qwen3.5-plus', messages: state.messages.map(({ role, content }) => ({ role, content })) };
  if (state.tools) q.tools = state.tools;
  if (m.thinking && m.nonThinking) q.enableThinking = state.thinking;
  const [chat] = oracle([q]);
  assert.ok(!chat.error, chat.error);
  assert.equal(await number(page, 'token-count'), chat.count);
  assert.equal(await page.getByTestId('vocabulary').textContent(), 'Counted with the Qwen3.5 vocabulary');
  await page.getByTestId('chat-mode').uncheck();
  await settle(page);
  assert.deepEqual(page.problems, []);
});

test('a link to a Qwen3.6 model loads the vocabulary before the first count', async () => {
  const fresh = await openPage(browser.context, server.url);
  await pasteText(fresh, TEXT);
  await settle(fresh);
  await fresh.getByTestId('model-select').selectOption('qwen3.6-plus');
  await settle(fresh);
  // The page writes its state into the fragment shortly after a change.
  await fresh.waitForFunction(() => location.hash.includes('qwen3.6-plus') && location.hash.includes('t='));
  const hash = await fresh.evaluate(() => location.hash);
  await fresh.close();

  const linked = await openPage(browser.context, server.url, hash);
  const [want] = oracle([{ op: 'count', text: TEXT, model: 'qwen3.6-plus' }]);
  assert.equal(await number(linked, 'token-count'), want.count);
  assert.equal(await linked.getByTestId('vocabulary').textContent(), 'Counted with the Qwen3.5 vocabulary');
  assert.deepEqual(linked.problems, []);
  await linked.close();
});
