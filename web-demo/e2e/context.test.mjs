// The context-window meter and "Truncate to fit": over the limit the page warns, and
// truncating (keeping the start or the end) leaves a prompt within the model's budget, as the
// native core computes it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pasteText, settle, startServer } from './helpers.mjs';

let server;
let browser;
let page;
let model;
let budget;
const OUTPUT = 2000;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
  // The model with the smallest prompt budget (non-thinking), so the text stays small.
  const [{ models }] = oracle([{ op: 'models' }]);
  const candidates = models.filter((m) => m.nonThinking);
  const fits = oracle(candidates.map((m) => ({ op: 'fit', model: m.id, promptTokens: 0, outputTokens: OUTPUT })));
  let best = 0;
  fits.forEach((f, i) => {
    if (f.maxPromptTokens < fits[best].maxPromptTokens) best = i;
  });
  model = candidates[best].id;
  budget = fits[best].maxPromptTokens;
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

function longText(tokens) {
  const unit = 'Context windows fill up: 上下文窗口会被填满。 Окно контекста. 👋🏽\n';
  const [{ count }] = oracle([{ op: 'count', text: unit, model }]);
  return unit.repeat(Math.ceil(tokens / count));
}

async function setUp(text) {
  await page.getByTestId('model-select').selectOption(model);
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await pasteText(page, text);
  await settle(page);
}

test('the meter shows used versus the budget, and warns when over', async () => {
  const text = longText(budget / 2);
  await setUp(text);
  const [{ count }] = oracle([{ op: 'count', text, model }]);
  const [fit] = oracle([{ op: 'fit', model, promptTokens: count, outputTokens: OUTPUT }]);
  const meter = page.getByTestId('context-meter');
  assert.equal(Number(await meter.getAttribute('data-used')), count);
  assert.equal(Number(await meter.getAttribute('data-max')), fit.maxPromptTokens);
  assert.equal(await meter.getAttribute('data-fits'), 'true');
  assert.equal(Number(await meter.evaluate((m) => m.value)), count);
  assert.ok(await page.getByTestId('truncate-button').isDisabled());
  assert.match(await page.locator('#context-text').textContent(), new RegExp(`${fit.remainingTokens.toLocaleString('en-US')} left`));

  await setUp(longText(budget * 1.3));
  assert.equal(await meter.getAttribute('data-fits'), 'false');
  const warning = page.locator('#context-warning');
  assert.ok(await warning.isVisible());
  assert.match(await warning.textContent(), /Over the limit/);
  const [{ count: over }] = oracle([{ op: 'count', text: await page.getByTestId('input').inputValue(), model }]);
  assert.match(await page.locator('#context-text').textContent(), new RegExp(`Over by ${(over - budget).toLocaleString('en-US')} tokens`));
  assert.ok(await page.getByTestId('truncate-button').isEnabled());
});

for (const keep of ['start', 'end']) {
  test(`truncate to fit, keeping the ${keep}`, async () => {
    const text = longText(budget * 1.5);
    await setUp(text);
    const before = await number(page, 'token-count');
    assert.ok(before > budget);
    await page.getByLabel(keep).check();
    await page.getByTestId('truncate-button').click();
    await page.waitForFunction((n) => document.querySelector('[data-testid="input"]').value.length < n, text.length);
    await settle(page);
    const kept = await page.getByTestId('input').inputValue();
    const after = await number(page, 'token-count');
    const [{ count }] = oracle([{ op: 'count', text: kept, model }]);
    assert.equal(after, count, 'the page counts the kept text as the core does');
    assert.ok(after <= budget, `${after} tokens within the budget of ${budget}`);
    assert.ok(budget - after <= 3, `as much as fits (${after} of ${budget})`);
    if (keep === 'start') assert.ok(text.startsWith(kept));
    else assert.ok(text.endsWith(kept));
    assert.equal(await page.getByTestId('context-meter').getAttribute('data-fits'), 'true');
    assert.ok(!(await page.locator('#context-warning').isVisible()));
    assert.match(await page.locator('#status').textContent(), new RegExp(`Truncated to [\\d,]+ tokens .*keeping the ${keep}`));
  });
}

test('reserving more output than the model allows is flagged', async () => {
  await setUp('short prompt');
  await page.getByTestId('output-tokens').fill('5000000');
  await settle(page);
  assert.ok(await page.locator('#context-warning').isVisible());
  assert.ok(await page.getByTestId('truncate-button').isDisabled());
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await settle(page);
  assert.deepEqual(page.problems, []);
});
