// Images, video and audio beside the prompt: a real PNG dropped on the prompt box and a real
// JPEG (drawn by the browser's canvas) pasted; a video and an audio clip given by duration and
// size. The tokens of each item, the breakdown by modality, the total count, the cost and the
// context meter equal the native core's (web-demo/native, which counts media with the core's
// own image, video and audio functions) on several models; a model without vision and a
// truncated image say so, the cost is then not shown; nothing leaves the browser and no image
// data goes into the link; axe finds no violations with media in the prompt.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import { launch, number, openPage, oracle, pageState, pasteText, settle, startServer } from './helpers.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let server;
let browser;
let page;

const TEXT = 'What differs between the screenshot, the photo and the clip? 请比较。';
const OUTPUT = 800;
const PNG_SIZE = [1920, 1080];
const JPEG_SIZE = [1000, 750];
const VIDEO = { seconds: 60, width: 1920, height: 1080 };
// Qwen3-VL rules (factor 32, the API's bounds), as on qwen3.5-plus; its text uses the Qwen3
// vocabulary, the package's first file.
const MAIN = 'qwen3-vl-plus';

/** A complete, valid PNG (8-bit greyscale, all black) of the given size. */
function png(width, height) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, filter 0, no interlace
  const rows = Buffer.alloc((width + 1) * height); // filter byte 0 and black pixels per row
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const PNG = png(...PNG_SIZE);

before(async () => {
  server = await startServer();
  browser = await launch();
  page = await openPage(browser.context, server.url);
  await pasteText(page, TEXT);
  await page.getByTestId('output-tokens').fill(String(OUTPUT));
  await choose(MAIN);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function choose(model) {
  await page.getByTestId('model-select').selectOption(model);
  await settle(page);
}

/** Drops files (name, type, bytes) on the prompt box, as a file manager does. */
async function drop(files) {
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: f.type }));
    return dt;
  }, files.map((f) => ({ ...f, bytes: [...f.bytes] })));
  await page.getByTestId('input').dispatchEvent('drop', { dataTransfer });
}

/** Waits until `n` media items are listed and every one has its tokens or its error. */
async function items(n) {
  await page.waitForFunction(
    (want) => {
      const li = [...document.querySelectorAll('[data-testid="media-item"]')];
      return li.length === want && li.every((x) => x.dataset.tokens || x.dataset.error);
    },
    n,
    { timeout: 10_000, polling: 20 },
  );
  await settle(page);
  return page.getByTestId('media-item').evaluateAll((li) =>
    li.map((x) => ({ kind: x.dataset.kind, tokens: x.dataset.tokens ? Number(x.dataset.tokens) : null, text: x.textContent })),
  );
}

async function breakdown() {
  return page.getByTestId('media-breakdown').evaluate((b) => ({
    text: Number(b.dataset.text),
    image: Number(b.dataset.image),
    video: Number(b.dataset.video),
    audio: Number(b.dataset.audio),
    total: Number(b.dataset.total),
  }));
}

/**
 * Checks the page against the core for `model` with the listed media: each item's tokens,
 * the breakdown, the token count, the cost and the context meter. Returns the item tokens.
 */
async function checkAgainstCore(model, media) {
  const s = await pageState(page);
  assert.equal(s.model, model);
  const [{ count: text }, want] = oracle([
    { op: 'count', text: TEXT, model },
    { op: 'media', model, images: media.images, videos: media.videos, audio: media.audio },
  ]);
  const expected = [...want.images, ...want.videos, ...want.audio];
  for (const e of expected) assert.equal(e.error, undefined, `${model}: the core counts every item (${e.error})`);
  const shown = await items(expected.length);
  // The page lists images first here because the tests add them first.
  assert.deepEqual(
    shown.map((x) => x.tokens),
    expected.map((e) => e.tokens),
    `${model}: tokens per item`,
  );
  const sum = (list) => list.reduce((n, e) => n + e.tokens, 0);
  const image = sum(want.images);
  const video = sum(want.videos);
  const audio = sum(want.audio);
  const total = text + image + video + audio;
  assert.deepEqual(await breakdown(), { text, image, video, audio, total }, `${model}: breakdown`);
  assert.equal(await number(page, 'token-count'), total, `${model}: token count`);

  const [cost, fit] = oracle([
    { op: 'cost', model, region: s.region, inputTokens: total, imageTokens: image, videoTokens: video, audioTokens: audio, outputTokens: OUTPUT, thinking: s.thinking },
    { op: 'fit', model, thinking: s.thinking, promptTokens: total, outputTokens: OUTPUT },
  ]);
  assert.equal(cost.error, undefined, `${model}: the core prices the request`);
  const el = page.getByTestId('cost-total');
  assert.deepEqual(
    { total: await el.getAttribute('data-amount'), currency: await el.getAttribute('data-currency') },
    { total: cost.total, currency: cost.currency },
    `${model}: cost`,
  );
  const meter = page.getByTestId('context-meter');
  assert.equal(Number(await meter.getAttribute('data-used')), total, `${model}: context meter`);
  assert.equal(Number(await meter.getAttribute('data-max')), fit.maxPromptTokens);
  assert.equal(await meter.getAttribute('data-fits'), String(fit.fits));
  return { text, image, video, audio, total, cost };
}

test('a dropped PNG and a pasted JPEG: sizes from their bytes, tokens, cost and meter as the core says', async () => {
  // The link as the text and settings make it (written 400 ms after a change).
  await page.waitForFunction((m) => location.hash.includes(`m=${m}&`) && location.hash.includes('&t='), MAIN);
  const hashBefore = await page.evaluate(() => location.hash);
  // The core reads the same size from the PNG's bytes.
  const [size] = oracle([{ op: 'imageSize', bytes: [...PNG] }]);
  assert.deepEqual(size, { width: PNG_SIZE[0], height: PNG_SIZE[1] });

  await drop([{ name: 'screenshot.png', type: 'image/png', bytes: PNG }]);
  const [shot] = await items(1);
  assert.match(shot.text, /screenshot\.png, 1920×1080/);
  // The worked example: a 1920x1080 screenshot is 2,042 tokens with these rules.
  assert.equal(shot.tokens, 2042);

  // A JPEG made by the browser itself, pasted as a screenshot tool does.
  const jpeg = await page.evaluate(async ([w, h]) => {
    const canvas = new OffscreenCanvas(w, h);
    const g = canvas.getContext('2d');
    g.fillStyle = '#3a7';
    g.fillRect(0, 0, w, h);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'photo.jpg', { type: 'image/jpeg' }));
    document.getElementById('input').focus();
    document.getElementById('input').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    return [...new Uint8Array(await blob.arrayBuffer())];
  }, JPEG_SIZE);
  assert.deepEqual(jpeg.slice(0, 2), [0xff, 0xd8], 'a JPEG');
  const [jpegSize] = oracle([{ op: 'imageSize', bytes: jpeg }]);
  assert.deepEqual(jpegSize, { width: JPEG_SIZE[0], height: JPEG_SIZE[1] });
  await items(2);
  // The text box keeps its text (the paste carried only an image).
  assert.equal(await page.getByTestId('input').inputValue(), TEXT);

  const r = await checkAgainstCore(MAIN, { images: [PNG_SIZE, JPEG_SIZE] });
  assert.ok(r.image > 2042);

  // No image data in the link: the fragment is the one the text and settings make.
  await page.waitForTimeout(500);
  assert.equal(await page.evaluate(() => location.hash), hashBefore);
  assert.match(await page.locator('#share-note').textContent(), /Images, video and audio are not put in it/);
});

test('a video by duration and size; the same media on qvq-max (another factor) and on Omni with audio', async () => {
  await page.getByTestId('video-seconds').fill(String(VIDEO.seconds));
  await page.getByTestId('video-width').fill(String(VIDEO.width));
  await page.getByTestId('video-height').fill(String(VIDEO.height));
  await page.getByTestId('add-video').click();
  const media = { images: [PNG_SIZE, JPEG_SIZE], videos: [VIDEO] };
  const plus = await checkAgainstCore(MAIN, media);
  assert.equal(plus.video, 35_642); // 60 s of 1920x1080: 120 frames at 1056x576

  await choose('qvq-max');
  const qvq = await checkAgainstCore('qvq-max', media);
  const [shot] = await items(3);
  assert.equal(shot.tokens, 1224); // the figure for qvq-max (factor 28)
  assert.notEqual(qvq.total, plus.total);

  // qwen3-omni-flash prices image/video and audio apart from text: their own cost rows.
  await page.getByTestId('audio-seconds').fill('30');
  await page.getByTestId('add-audio').click();
  await choose('qwen3-omni-flash');
  const omni = await checkAgainstCore('qwen3-omni-flash', { ...media, audio: [30] });
  assert.ok(omni.audio > 0);
  for (const [row, key] of [
    ['Image input', 'imageInput'],
    ['Video input', 'videoInput'],
    ['Audio input', 'audioInput'],
  ]) {
    const amount = await page.locator('#cost-rows tr', { hasText: row }).locator('td').last().textContent();
    assert.ok(amount.endsWith(omni.cost[key]), `${row}: ${amount} vs ${omni.cost[key]}`);
  }

  // Remove the audio with the keyboard: the totals drop by its tokens.
  await page.getByRole('button', { name: 'Remove the audio of 30 s' }).focus();
  await page.keyboard.press('Enter');
  await items(3);
  assert.equal((await breakdown()).audio, 0);
  assert.equal(await number(page, 'token-count'), omni.total - omni.audio);
});

test('a model without vision says so and prices nothing; a truncated image is a clear error', async () => {
  await choose('qwen3-max');
  const listed = await items(3);
  for (const x of listed) assert.match(x.text, /not counted: qwen3-max does not take (images|video)/);
  assert.equal(await page.getByTestId('cost-total').getAttribute('data-amount'), '');
  assert.match(await page.locator('#cost-error').textContent(), /Not priced: .*qwen3-max does not take images/);
  assert.match(await page.getByTestId('media-note').textContent(), /not counted for qwen3-max.*a model that takes them/);
  const [{ count }] = oracle([{ op: 'count', text: TEXT, model: 'qwen3-max' }]);
  assert.deepEqual(await breakdown(), { text: count, image: 0, video: 0, audio: 0, total: count });
  // The core refuses image tokens on this model too.
  const [cost] = oracle([{ op: 'cost', model: 'qwen3-max', region: 'international', inputTokens: count + 2042, imageTokens: 2042, outputTokens: OUTPUT }]);
  assert.ok(cost.error, 'the core has no image price for qwen3-max');

  // Back to a vision model; remove everything but the screenshot.
  await choose(MAIN);
  for (const name of ['Remove photo.jpg', 'Remove the video of 60 s at 1920×1080']) {
    await page.getByRole('button', { name }).click();
  }
  await items(1);

  // A PNG cut off inside its header, chosen with the file picker.
  await page.getByTestId('image-input').setInputFiles({ name: 'cut.png', mimeType: 'image/png', buffer: PNG.subarray(0, 20) });
  const [, cut] = await items(2);
  assert.match(cut.text, /cut\.png.*not counted: cannot read the image size \(.+\)/);
  assert.match(await page.locator('#cost-error').textContent(), /Not priced: cut\.png: cannot read the image size/);
  assert.equal(await page.getByTestId('cost-total').getAttribute('data-amount'), '');

  // axe: no violations with media items, an error and the note on the page.
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ['violations'] })).violations.map((v) => v.id));
  assert.deepEqual(violations, []);

  await page.getByRole('button', { name: 'Remove cut.png' }).click();
  await checkAgainstCore(MAIN, { images: [PNG_SIZE] });
  assert.deepEqual(page.problems, []);
});

test('over the limit because of a video: the meter says so and truncation leaves the video room', async () => {
  await choose('qwen3-omni-flash');
  await page.getByTestId('add-video').click(); // 60 s at 1920x1080, still in the form
  const s = await pageState(page);
  const [want, fit0] = oracle([
    { op: 'media', model: 'qwen3-omni-flash', images: [PNG_SIZE], videos: [VIDEO] },
    { op: 'fit', model: 'qwen3-omni-flash', thinking: s.thinking, promptTokens: 0, outputTokens: OUTPUT },
  ]);
  const media = want.images[0].tokens + want.videos[0].tokens;
  await items(2);
  // Text that fits alone but not beside the media.
  const long = 'Frame by frame, the clip shows 通义千问 at work; numbers 12345. '.repeat(Math.ceil(fit0.maxPromptTokens / 14));
  await pasteText(page, long);
  await settle(page);
  const meter = page.getByTestId('context-meter');
  assert.equal(await meter.getAttribute('data-fits'), 'false');
  await page.getByTestId('truncate-button').click();
  await page.waitForFunction(() => document.getElementById('input').value.length < 200_000 && /Truncated/.test(document.getElementById('status').textContent));
  await settle(page);
  const text = await page.getByTestId('input').inputValue();
  const [{ count }] = oracle([{ op: 'count', text, model: 'qwen3-omni-flash' }]);
  assert.equal(await meter.getAttribute('data-fits'), 'true');
  assert.equal(Number(await meter.getAttribute('data-used')), count + media);
  assert.ok(count + media <= fit0.maxPromptTokens && count + media > fit0.maxPromptTokens - 20, `${count} + ${media} of ${fit0.maxPromptTokens}`);
  await page.getByRole('button', { name: 'Remove the video of 60 s at 1920×1080' }).click();
  await pasteText(page, TEXT);
  await items(1);
});

test('qwen3.5-plus: the screenshot is 2,042 tokens and the totals match the core', async () => {
  // Its text counts with the Qwen3.5 vocabulary, which the page loads on choosing the model.
  await choose('qwen3.5-plus');
  const r = await checkAgainstCore('qwen3.5-plus', { images: [PNG_SIZE] });
  assert.equal(r.image, 2042);
});
