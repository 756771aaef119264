// Every call the page makes into the qwen-meter package, run inside the worker (worker.js).
// The functions take the page state and return plain objects in the shapes the page renders;
// `qm` is the package module (its namespace object).
import { codePoints, utf8Length } from './format.js';

const REGION_NAMES = {
  international: 'International (Singapore)',
  global: 'Global (US Virginia)',
  us: 'US (Virginia)',
  chineseMainland: 'Chinese Mainland (Beijing)',
};

const modelCache = new Map();

/** The catalog model for an id, alias or snapshot (cached). */
function model(qm, id) {
  let m = modelCache.get(id);
  if (!m) {
    m = qm.getModel(id);
    modelCache.set(id, m);
  }
  return m;
}

/**
 * Tokenizer options for the chosen model: its generation's special tokens. Chat mode always
 * counts special-token text as special tokens, as the chat template's tokenization does.
 */
function tokOptions(m, state) {
  return { generation: m.generation, ordinary: state.mode !== 'chat' && Boolean(state.ordinary) };
}

/** `catalog`: the models, regions and sources, for the pickers. */
export function catalog(qm) {
  const models = qm.listModels();
  const regions = new Map();
  for (const m of models) {
    for (const [id, offer] of Object.entries(m.regions ?? {})) {
      if (!regions.has(id)) regions.set(id, { id, name: REGION_NAMES[id] ?? id, currency: offer.currency });
    }
  }
  const order = Object.keys(REGION_NAMES);
  const info = qm.catalogInfo();
  return {
    models,
    regions: [...regions.values()].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id)),
    asOf: info.asOf,
    sources: info.sources,
  };
}

/** Chat messages as the package takes them. */
function chatMessages(state) {
  return state.messages.map((m) => {
    const msg = { role: m.role, content: m.content };
    if (m.tool_calls) msg.tool_calls = m.tool_calls;
    return msg;
  });
}

function chatOptions(m, state) {
  const o = { model: m.id };
  if (state.tools && state.tools.length) o.tools = state.tools;
  // Qwen3 templates: thinking off appends an empty <think></think> block, as the API does.
  if (supportsBoth(m)) o.enableThinking = Boolean(state.thinking);
  return o;
}

function supportsBoth(m) {
  return Boolean(m.modes?.thinking && m.modes?.nonThinking);
}

/** The text the model reads: the text itself, or the rendered conversation. */
function promptText(qm, m, state) {
  if (state.mode === 'chat') return qm.renderChat(chatMessages(state), chatOptions(m, state));
  return state.text;
}

// The text mode's documents (`createDocument`), one per tokenizer setting, each following the
// text by edits: a keystroke re-tokenizes a few kilobytes around it instead of the whole text.
const documents = new Map();

const isHigh = (c) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c) => c >= 0xdc00 && c <= 0xdfff;

// Where two texts differ: blocks of 64 K, 4 K, 256 and 16 UTF-16 units are compared as
// strings (the engine compares flat memory, some twenty times faster than a loop over
// charCodeAt in a megabyte), then single units.
const BLOCKS = [1 << 16, 1 << 12, 1 << 8, 1 << 4];

/** Length of the common start of `x` and `y`, at most `max`. */
export function commonStart(x, y, max) {
  let i = 0;
  for (const step of BLOCKS) {
    while (i + step <= max && x.slice(i, i + step) === y.slice(i, i + step)) i += step;
  }
  while (i < max && x.charCodeAt(i) === y.charCodeAt(i)) i++;
  return i;
}

/** Length of the common end of `x` and `y`, at most `max`. */
export function commonEnd(x, y, max) {
  const xl = x.length;
  const yl = y.length;
  let i = 0;
  for (const step of BLOCKS) {
    while (i + step <= max && x.slice(xl - i - step, xl - i) === y.slice(yl - i - step, yl - i)) i += step;
  }
  while (i < max && x.charCodeAt(xl - 1 - i) === y.charCodeAt(yl - 1 - i)) i++;
  return i;
}

/**
 * The document of `text` for tokenizer options `opts` (`{doc, chars, bytes}`): the one kept
 * from the previous call, edited where `text` differs from its previous text (the common
 * start and end stay), or a new one. Exact either way: the document's count is
 * `countTokens(text, opts)`; `chars` and `bytes` follow the edits too.
 */
export function documentOf(qm, text, opts) {
  const key = `${opts.generation}/${opts.ordinary}`;
  let d = documents.get(key);
  if (!d) {
    // The page switches between a few settings; keep at most two documents.
    if (documents.size >= 2) {
      for (const old of documents.values()) old.doc.free();
      documents.clear();
    }
    d = { doc: qm.createDocument(text, opts), text, chars: codePoints(text), bytes: utf8Length(text) };
    documents.set(key, d);
    return d;
  }
  const old = d.text;
  if (old !== text) {
    const max = Math.min(old.length, text.length);
    let a = commonStart(old, text, max);
    // Surrogate halves next to the edit go with it: the edit must not split a pair, and an
    // edit that brings two lone halves together makes a pair of them (one character).
    if (a > 0 && isHigh(old.charCodeAt(a - 1))) a--;
    let b = commonEnd(old, text, max - a);
    if (b > 0 && isLow(old.charCodeAt(old.length - b))) b--;
    const removed = old.slice(a, old.length - b);
    const inserted = text.slice(a, text.length - b);
    d.doc.edit(a, old.length - b, inserted);
    d.chars += codePoints(inserted) - codePoints(removed);
    d.bytes += utf8Length(inserted) - utf8Length(removed);
    d.text = text;
  }
  return d;
}

/** `analyze`: counts, chat totals, cost, context fit and rate limits for the state. */
export function analyze(qm, state) {
  const m = model(qm, state.model);
  const opts = tokOptions(m, state);
  const out = { model: { id: m.id, generation: m.generation } };

  if (state.mode === 'chat') {
    const contentTokens = state.messages.map((msg) => qm.countTokens(msg.content ?? '', opts));
    const content = contentTokens.reduce((a, b) => a + b, 0);
    const chars = state.messages.reduce((n, msg) => n + codePoints(msg.content ?? ''), 0);
    out.chars = chars;
    out.bytes = state.messages.reduce((n, msg) => n + utf8Length(msg.content ?? ''), 0);
    try {
      const total = qm.countChat(chatMessages(state), chatOptions(m, state));
      out.tokens = total;
      out.chat = { total, content, contentTokens, overhead: total - content };
    } catch (e) {
      out.tokens = content;
      out.chat = { total: null, content, contentTokens, overhead: null };
      out.chatError = e.message;
    }
  } else {
    const d = documentOf(qm, state.text, opts);
    out.tokens = d.doc.count();
    out.chars = d.chars;
    out.bytes = d.bytes;
  }

  const thinking = Boolean(state.thinking);
  const outputTokens = state.outputTokens;
  const offer = m.regions?.[state.region];
  // Images, video and audio beside the prompt: their tokens join the prompt's.
  const media = mediaTokens(qm, m, state.media ?? [], thinking);
  out.media = media;
  out.textTokens = out.tokens;
  out.tokens += media.total;
  if (media.errors.length) {
    out.costError = `Not priced: ${media.errors.join('; ')}.`;
  } else {
    try {
      const cost = qm.estimateCost({
        model: m.id,
        region: state.region,
        inputTokens: out.textTokens,
        imageTokens: media.image,
        videoTokens: media.video,
        audioTokens: media.audio,
        outputTokens,
        thinking,
        batch: Boolean(state.batch),
        cachedInputTokens: state.cachedInputTokens || 0,
        cache: state.cacheKind,
      });
      out.cost = costView(cost, offer, { thinking, batch: Boolean(state.batch) });
    } catch (e) {
      out.costError = e.message;
    }
  }
  const limits = m.modes?.[thinking ? 'thinking' : 'nonThinking'];
  try {
    const fit = qm.fitsContext({ model: m.id, promptTokens: out.tokens, reservedOutputTokens: outputTokens, thinking });
    out.fit = { ...fit, contextWindow: limits?.contextWindow ?? null };
  } catch (e) {
    out.fitError = e.message;
  }
  out.rate = rateView(qm, m, state.region, offer, out.tokens, outputTokens);
  return out;
}

/** The package's message without its function prefix ("countImageTokens: ..."). */
function reason(e) {
  return String(e?.message ?? e).replace(/^[A-Za-z]+: /, '');
}

/**
 * Tokens of the image, video and audio items for model `m`, each by the package: images with
 * `countImageTokens` (the model's `smart_resize` rules), video and audio as a chat message
 * holding only that item, whose prompt (`fitsContext` with `messages`) less the same message
 * without it is the item's tokens. Items the model does not take, or that cannot be
 * measured, get an `error` (and make the request unpriced, never a silent zero).
 */
function mediaTokens(qm, m, items, thinking) {
  const out = { items: [], image: 0, video: 0, audio: 0, total: 0, errors: [] };
  if (!items.length) return out;
  const takes = { image: Boolean(m.media?.vision), video: Boolean(m.media?.vision && m.media?.video), audio: Boolean(m.media?.audio) };
  const WHAT = { image: 'images', video: 'video', audio: 'audio' };
  let empty;
  const prompt = (content) =>
    qm.fitsContext({ model: m.id, messages: [{ role: 'user', content }], reservedOutputTokens: 0, thinking }).promptTokens;
  for (const item of items) {
    const r = { kind: item.kind };
    try {
      if (item.error) throw new Error(item.error);
      if (!takes[item.kind]) throw new Error(`${m.id} does not take ${WHAT[item.kind]}`);
      if (item.kind === 'image') {
        const t = qm.countImageTokens({ width: item.width, height: item.height }, { model: m.id });
        r.tokens = t.tokens;
        r.resized = t.resized;
      } else {
        empty ??= prompt('');
        const part =
          item.kind === 'video'
            ? { type: 'video_url', video_url: { duration: item.seconds, width: item.width, height: item.height } }
            : { type: 'input_audio', input_audio: { duration: item.seconds } };
        r.tokens = prompt([part]) - empty;
      }
      out[item.kind] += r.tokens;
      out.total += r.tokens;
    } catch (e) {
      r.error = reason(e).replace(/^messages\[0\]\.content\[0\]: /, '');
      out.errors.push(`${item.kind === 'image' ? item.name : `${item.kind} ${item.name}`}: ${r.error}`);
    }
    out.items.push(r);
  }
  return out;
}

/** `imageSize`: an image's width and height from its bytes (nothing is decoded). */
export function imageSize(qm, bytes) {
  return qm.imageSize(bytes);
}

/** The cost as the page shows it: parts with tokens, unit prices and amounts. */
function costView(c, offer, { thinking, batch }) {
  const u = c.usage ?? {};
  const parts = [];
  const cached = u.cachedInputTokens ?? 0;
  const creation = u.cacheCreationInputTokens ?? 0;
  // Media the model prices apart from text (Omni) get their own rows; otherwise they are
  // billed as input.
  const apart = [
    ['Image input', 'imageInput', u.imageTokens ?? 0],
    ['Video input', 'videoInput', u.videoTokens ?? 0],
    ['Audio input', 'audioInput', u.audioTokens ?? 0],
  ].filter(([, key, tokens]) => tokens > 0 && c.unitPrices[key] != null);
  const apartTokens = apart.reduce((n, [, , tokens]) => n + tokens, 0);
  parts.push({ name: 'Input', tokens: (u.inputTokens ?? 0) - cached - creation - apartTokens, unitPrice: c.unitPrices.input, amount: c.breakdown.input });
  for (const [name, key, tokens] of apart) parts.push({ name, tokens, unitPrice: c.unitPrices[key], amount: c.breakdown[key] });
  if (cached) parts.push({ name: 'Cached input', tokens: cached, unitPrice: c.unitPrices.cachedInput, amount: c.breakdown.cachedInput });
  if (creation) parts.push({ name: 'Cache creation', tokens: creation, unitPrice: c.unitPrices.cacheCreation, amount: c.breakdown.cacheCreation });
  parts.push({ name: thinking ? 'Output (thinking)' : 'Output', tokens: u.outputTokens ?? 0, unitPrice: c.unitPrices.output, amount: c.breakdown.output });
  return {
    total: String(c.total),
    currency: c.currency,
    parts,
    tier: { index: c.tierIndex, count: offer?.tiers?.length ?? 1, above: c.tier.above, upTo: c.tier.upTo ?? null },
    asOf: offer?.asOf ?? '',
    sources: offer?.sources ?? [],
    thinking,
    batch,
  };
}

const BINDING = {
  requests: 'RPM (requests per minute)',
  tokens: 'TPM (tokens per minute)',
  both: 'both RPM and TPM',
};

/**
 * The rate-limit plan for requests of this size: how many fit in a minute under RPM and TPM,
 * and which binds. `null` when the catalog has no limits for the model in the region.
 */
function rateView(qm, m, region, offer, inputTokens, outputTokens) {
  const rule = offer?.rateLimits?.find((r) => r.ids.includes(m.id));
  if (!rule) return null;
  const view = {
    rpm: rule.rpm,
    tpm: rule.tpm,
    scope: rule.scope ?? '',
    requestTokens: inputTokens + outputTokens,
  };
  try {
    const plan = qm.planRequests({ model: m.id, region, requests: [{ inputTokens, outputTokens }] });
    return {
      ...view,
      rpm: plan.limits.rpm,
      tpm: plan.limits.tpm,
      requestsPerMinute: plan.requestsPerMinute,
      binding: plan.binding,
      bindingText: BINDING[plan.binding] ?? String(plan.binding),
      tooLarge: false,
    };
  } catch (e) {
    // A single request above the TPM limit can never be sent.
    return { ...view, tooLarge: true, message: e.message };
  }
}

/** `truncate`: the text cut to the model's prompt budget, keeping its start or end. */
export function truncateToFit(qm, state, keep) {
  const m = model(qm, state.model);
  const opts = tokOptions(m, state);
  const reservedOutputTokens = state.outputTokens;
  const thinking = Boolean(state.thinking);
  const budget = qm.fitsContext({ model: m.id, promptTokens: 0, reservedOutputTokens, thinking }).maxPromptTokens;
  // Images, video and audio keep their place: the text gets what they leave.
  const media = mediaTokens(qm, m, state.media ?? [], thinking).total;
  // The package's truncateToFit counts special-token text as special tokens; with the
  // "plain text" switch on, or media beside the text, cut to the budget with the page's own
  // token options.
  const text =
    opts.ordinary || media
      ? qm.truncate(state.text, Math.max(0, budget - media), { keep, ...opts })
      : qm.truncateToFit(state.text, { model: m.id, reservedOutputTokens, thinking, keep });
  return { text, budget: Math.max(0, budget - media), tokens: qm.countTokens(text, opts) };
}

/**
 * `spans`: the tokens of the prompt with their UTF-16 ranges, as typed arrays (transferred,
 * not copied), the first `limit` only; `total` is the full count.
 */
export function spans(qm, state, limit) {
  const m = model(qm, state.model);
  const text = promptText(qm, m, state);
  const opts = tokOptions(m, state);
  let all;
  let total;
  if (state.mode === 'chat') {
    all = qm.encodeWithOffsets(text, opts);
    total = all.length;
  } else {
    // Only the start of the text is drawn: ask the document for the tokens of a prefix that
    // holds at least `limit` of them (a token is at least one UTF-16 unit of its text, or
    // shares a character with its neighbour, so the prefix grows until it is long enough).
    const { doc } = documentOf(qm, text, opts);
    total = doc.count();
    let upTo = Math.min(text.length, limit * 4);
    for (;;) {
      all = doc.tokens(0, upTo);
      if (all.length > limit || upTo >= text.length) break;
      upTo = Math.min(text.length, upTo * 2);
    }
  }
  const n = Math.min(all.length, limit);
  const ids = new Uint32Array(n);
  const start = new Uint32Array(n);
  const end = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const s = all[i];
    ids[i] = s.id;
    start[i] = s.start;
    end[i] = s.end;
  }
  return { text: state.mode === 'chat' ? text : undefined, total, ids, start, end };
}

/** `bytes`: the raw bytes of each token id (a token may hold part of a character). */
export function tokenBytes(qm, ids, state) {
  const m = model(qm, state.model);
  return { ids, bytes: ids.map((id) => Array.from(qm.decodeBytes([id], tokOptions(m, state)))) };
}
