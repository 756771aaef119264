// Compiled with `tsc --strict --noEmit` against the installed package: the declarations
// parse, and typical calls type-check (and wrong ones do not, see @ts-expect-error).
import {
  countTokens, encode, decode, encodeWithOffsets, isWithinTokenLimit, truncate, countChat,
  renderChat, estimateCost, fitsContext, planRequests, listModels, getModel, loadCatalog,
  RateLimiter, QwenMeterError, init, countImageTokens, imageSize, createDocument, type Cost,
  type TokenSpan, type ChatMessage, type ImageTokens, loadVocabulary, hasVocabulary,
  installVocabulary, type ErrorCode,
} from 'qwen-meter';

await init();
await loadVocabulary('qwen3.5');
await loadVocabulary('qwen3.5', new URL('https://example.com/qwen3_5.vocab'));
const has: boolean = hasVocabulary('qwen3.6');
const installed: boolean = installVocabulary('qwen3.5', new Uint8Array(0));
const n35: number = countTokens('Hello', { generation: 'qwen3.5' });
const notLoaded: ErrorCode = 'VOCABULARY_NOT_LOADED';
// @ts-expect-error: not a generation
await loadVocabulary('qwen4');
const n: number = countTokens('Hello', { generation: 'qwen2.5', ordinary: true });
const ids: number[] = encode('Hello');
const text: string = decode(new Uint32Array(ids));
const spans: TokenSpan[] = encodeWithOffsets(text);
const within: number | false = isWithinTokenLimit(text, 10);
const kept: string = truncate(text, 3, { keep: 'end' });
const messages: ChatMessage[] = [{ role: 'user', content: 'Hi' }];
const chatTokens: number = countChat(messages, { model: 'qwen3-max', enableThinking: false });
const prompt: string = renderChat(messages);
const cost: Cost = estimateCost({ model: 'qwen3-max', inputTokens: 50_000, outputTokens: 2_000 });
const total: string = cost.total;
const fromText = estimateCost({ model: 'qwen-plus', text: 'Hello', thinking: true });
const fit = fitsContext({ model: 'qwen-max', promptTokens: 100, reservedOutputTokens: 10 });
const plan = planRequests({ rpm: 600, tpm: 1_000_000, count: 10, inputTokens: 100 });
const models = listModels().map((m) => m.id);
const max = getModel('qwen3-max').generation;
loadCatalog([{ id: 'qwen3-max' }], { override: true });
const limiter = new RateLimiter({ rpm: 60, tpm: 1_000 });
const d = limiter.acquire(10, 0);
if (d.go) limiter.recordUsage(d.permit, 5);
limiter.free();
const doc = createDocument('Hello', { generation: 'qwen3' });
const afterEdit: number = doc.edit(0, 5, 'Hi');
const visible: TokenSpan[] = doc.tokens(0, doc.length);
const docCount: number = doc.count();
doc.free();
try {
  decode([999_999]);
} catch (e) {
  if (e instanceof QwenMeterError) console.log(e.code, e.message);
}
const shot = imageSize(new Uint8Array(24));
const image: ImageTokens = countImageTokens(shot, { model: 'qwen3.5-plus', highResolution: false });
const imageTokens: number = estimateCost({ model: 'qwen3.5-plus', inputTokens: 10, imageTokens: image.tokens }).usage.imageTokens;
// @ts-expect-error: unknown vision profile
countImageTokens({ width: 1, height: 1 }, { profile: 'qwen9' });
// @ts-expect-error: two prompts
estimateCost({ model: 'qwen3-max', inputTokens: 1, text: 'x' });
// @ts-expect-error: unknown generation
countTokens('x', { generation: 'gpt-4' });
console.log(n, spans.length, within, kept, chatTokens, prompt, total, fromText, fit.fits, plan.binding, models, max, imageTokens, has, installed, n35, notLoaded);
