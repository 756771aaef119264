// Models, regions and switches: for every model of the catalog in every region it is offered
// in, the count and the cost on the page equal the native core's; thinking, batch and the
// context cache where offered; aliases and snapshots resolve; rate limits match the planner.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, number, openPage, oracle, pasteText, settle, startServer } from './helpers.mjs';

let server;
let browser;
let page;
let models;

const TEXT = 'Price check: 通义千问 counts tokens; مرحبا; Привет; 👋🏽 and <|im_end|> too.\n'.repeat(40);
const OUTPUT = 1500;

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
  [{ models }] = oracle([{ op: 'models' }]);
  await pasteText(page, TEXT);
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await settle(page);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function choose(model, region) {
  await page.getByTestId('model-select').selectOption(model);
  if (region) await page.locator('#region').selectOption(region);
  await settle(page);
}

/** The cost on the page: exact amount and currency from the cost-total element. */
async function shownCost() {
  const el = page.getByTestId('cost-total');
  return { total: await el.getAttribute('data-amount'), currency: await el.getAttribute('data-currency') };
}

test('the model picker lists every catalog model, grouped by family', async () => {
  const options = await page.getByTestId('model-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.deepEqual([...options].sort(), models.map((m) => m.id).sort());
  const groups = await page.getByTestId('model-select').locator('optgroup').evaluateAll((gs) => gs.map((g) => g.label));
  assert.deepEqual(groups, [...new Set(models.map((m) => m.family))]);
});

test('every model in every region: count and cost equal the native core', async () => {
  const cases = [];
  for (const m of models) for (const r of m.regions) cases.push({ m, r });
  for (const { m, r } of cases) {
    await choose(m.id, r.id);
    const thinking = !m.nonThinking; // the page leaves thinking off unless the model always thinks
    const [{ count }] = oracle([{ op: 'count', text: TEXT, model: m.id }]);
    assert.equal(await number(page, 'token-count'), count, `count for ${m.id}`);
    const [want] = oracle([
      { op: 'cost', model: m.id, region: r.id, inputTokens: count, outputTokens: OUTPUT, thinking },
    ]);
    const got = await shownCost();
    if (want.error) {
      assert.equal(got.total, '', `${m.id} in ${r.id}: the core says ${want.error}`);
      assert.notEqual(await page.locator('#cost-error').textContent(), '');
    } else {
      assert.deepEqual(got, { total: want.total, currency: want.currency }, `${m.id} in ${r.id}`);
      assert.equal(r.currency, want.currency);
    }
  }
  console.log(`checked ${cases.length} model/region pairs against the native core`);
});

test('thinking, batch and context cache change the cost as the core says', async () => {
  let checked = 0;
  for (const m of models) {
    for (const r of m.regions) {
      const variants = [];
      if (m.thinking && m.nonThinking) variants.push({ thinking: true });
      if (r.batch) variants.push({ batch: true });
      if (r.implicitCache) variants.push({ cachedInputTokens: 200, cache: 'implicit' });
      if (r.explicitCache) variants.push({ cachedInputTokens: 300, cache: 'explicit' });
      if (!variants.length) continue;
      await choose(m.id, r.id);
      const count = await number(page, 'token-count');
      for (const v of variants) {
        if (v.thinking) await page.getByLabel('Thinking').check();
        if (v.batch) await page.getByLabel('Batch').check();
        if (v.cache) {
          await page.locator('#cache-kind').selectOption(v.cache);
          await page.getByLabel('Cached input tokens').fill(String(v.cachedInputTokens));
        }
        await settle(page);
        const thinking = v.thinking ?? !m.nonThinking;
        const [want] = oracle([
          { op: 'cost', model: m.id, region: r.id, inputTokens: count, outputTokens: OUTPUT, thinking, batch: Boolean(v.batch), cachedInputTokens: v.cachedInputTokens ?? 0, cache: v.cache ?? 'implicit' },
        ]);
        const got = await shownCost();
        assert.deepEqual(got, { total: want.total ?? '', currency: want.total ? want.currency : '' }, `${m.id} ${r.id} ${JSON.stringify(v)}`);
        if (want.total && v.cache) {
          const row = await page.locator('#cost-rows tr', { hasText: 'Cached input' }).locator('td').last().textContent();
          assert.ok(row.endsWith(want.cachedInput), `cached part ${row} vs ${want.cachedInput}`);
        }
        // Back to the plain request.
        if (v.thinking) await page.getByLabel('Thinking').uncheck();
        if (v.batch) await page.getByLabel('Batch').uncheck();
        if (v.cache) await page.getByLabel('Cached input tokens').fill('0');
        checked++;
      }
    }
  }
  await settle(page);
  assert.ok(checked > 5);
  console.log(`checked ${checked} thinking/batch/cache variants`);
});

test('switches are disabled where the model or region does not offer them', async () => {
  const onlyThinking = models.find((m) => m.thinking && !m.nonThinking);
  const noThinking = models.find((m) => !m.thinking);
  const noBatch = models.flatMap((m) => m.regions.map((r) => ({ m, r }))).find(({ r }) => !r.batch);
  if (onlyThinking) {
    await choose(onlyThinking.id);
    assert.ok(await page.getByLabel('Thinking').isDisabled());
    assert.ok(await page.getByLabel('Thinking').isChecked());
  }
  if (noThinking) {
    await choose(noThinking.id);
    assert.ok(await page.getByLabel('Thinking').isDisabled());
    assert.ok(!(await page.getByLabel('Thinking').isChecked()));
  }
  await choose(noBatch.m.id, noBatch.r.id);
  assert.ok(await page.getByLabel('Batch').isDisabled());
  // Regions the model is not offered in are disabled in the picker.
  const m = models.find((x) => x.regions.length < 4);
  await choose(m.id);
  const disabled = await page.locator('#region option:disabled').evaluateAll((os) => os.map((o) => o.value));
  const offered = new Set(m.regions.map((r) => r.id));
  assert.ok(disabled.length > 0 && disabled.every((id) => !offered.has(id)));
});

test('the cost breakdown names the tier, the as-of date and the sources', async () => {
  await choose('qwen3-max', 'international');
  const tier = await page.locator('#cost-tier').textContent();
  assert.match(tier, /^Tier 1 of \d+: input ≤ 32K tokens/);
  assert.match(tier, /as of \d{4}(-\d\d){0,2}/);
  await page.getByRole('button', { name: /sources/ }).click();
  const sources = await page.locator('#sources-panel li').allTextContents();
  assert.ok(sources.length > 0 && sources.every((s) => /^S\d+: ./.test(s)));
  // A prompt past the first tier is billed at the next one.
  await page.getByTestId('output-tokens').fill('0');
  const long = 'Tiers are chosen by the whole input. '.repeat(5000);
  await pasteText(page, long);
  await settle(page);
  const count = await number(page, 'token-count');
  const [want] = oracle([{ op: 'cost', model: 'qwen3-max', region: 'international', inputTokens: count, outputTokens: 0 }]);
  assert.ok(want.tierIndex > 0);
  assert.match(await page.locator('#cost-tier').textContent(), new RegExp(`^Tier ${want.tierIndex + 1} of`));
  assert.equal((await shownCost()).total, want.total);
  await pasteText(page, TEXT);
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await settle(page);
});

test('too much expected output is an error, as in the core', async () => {
  await choose('qwen3-max', 'international');
  await page.getByTestId('output-tokens').fill('10000000');
  await settle(page);
  const count = await number(page, 'token-count');
  const [want] = oracle([{ op: 'cost', model: 'qwen3-max', region: 'international', inputTokens: count, outputTokens: 10_000_000 }]);
  assert.ok(want.error, 'the core refuses');
  assert.equal((await shownCost()).total, '');
  assert.match(await page.locator('#cost-error').textContent(), /output/i);
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await settle(page);
});

test('aliases and snapshots typed in the search resolve to their model', async () => {
  const withSnapshot = models.find((m) => m.snapshots.length);
  const withAlias = models.find((m) => m.aliases.length);
  const search = page.getByLabel('Find a model');
  for (const [name, model] of [
    [withSnapshot.snapshots[0], withSnapshot],
    [withAlias.aliases[0], withAlias],
  ]) {
    await search.fill(name);
    await settle(page);
    const [resolved] = oracle([{ op: 'model', id: name }]);
    assert.equal(resolved.id, model.id);
    assert.equal(await page.getByTestId('model-select').inputValue(), model.id);
    assert.match(await page.locator('#model-note').textContent(), new RegExp(`${name.replace(/[.]/g, '\\.')} is an? (alias|snapshot) of ${model.id}`));
  }
  // A partial name filters the list.
  await search.fill('coder');
  const shown = await page.getByTestId('model-select').locator('option').evaluateAll((os) => os.map((o) => o.value));
  assert.ok(shown.length > 0 && shown.every((id) => id.includes('coder')));
  await search.fill('');
  const all = await page.getByTestId('model-select').locator('option').count();
  assert.equal(all, models.length);
  await settle(page);
});

test('rate limits: requests of this size per minute and the binding limit, as the planner says', async () => {
  let checked = 0;
  for (const m of models) {
    for (const r of m.regions) {
      await choose(m.id, r.id);
      const count = await number(page, 'token-count');
      const [want] = oracle([{ op: 'rate', model: m.id, region: r.id, inputTokens: count, outputTokens: OUTPUT }]);
      const box = page.locator('#rate');
      if (!r.rateLimits) {
        assert.match(await box.textContent(), /No published rate limits/);
        continue;
      }
      const text = await box.textContent();
      assert.match(text, new RegExp(`${want.rpm.toLocaleString('en-US')} requests and ${want.tpm.toLocaleString('en-US')} tokens per minute`));
      const perMinute = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 }).format(want.requestsPerMinute);
      assert.equal(await page.locator('#rate-rpm').textContent(), perMinute, `${m.id} ${r.id}`);
      const binding = await page.locator('#rate-binding').textContent();
      assert.match(binding, { requests: /^RPM/, tokens: /^TPM/, both: /^both/ }[want.binding]);
      checked++;
    }
  }
  assert.ok(checked > 0);
  console.log(`checked rate limits of ${checked} model/region pairs`);
  assert.deepEqual(page.problems, []);
});
