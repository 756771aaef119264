// The page: state, controls and rendering. qwen-meter runs in three WebAssembly instances
// sharing one compiled module:
// - on the main thread, for prompts small enough to analyse within the keystroke (counts,
//   cost, fit and rate limits drawn in the same frame as the typed character);
// - a "count" worker (worker.js) for bigger prompts and for truncation, so a megabyte never
//   blocks typing;
// - a "view" worker that tokenizes with offsets for the token view, redrawn once typing
//   pauses, and reads token bytes for the tooltip.
import * as api from './api.js';
import { ChatEditor } from './chat.js';
import { int, kilo, money, percent, rate } from './format.js';
import { MediaList, isImage } from './media.js';
import { TokenView } from './tokenview.js';
import { readState, writeState } from './urlstate.js';

const $ = (id) => document.getElementById(id);

/** Sets an element's text only when it changes (live regions announce every write). */
function say(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

/**
 * The package's WebAssembly module, fetched and compiled once and shared with the workers
 * (a compiled module can be posted to a worker). Undefined if that fails: then each
 * instance loads the file itself.
 */
const wasmModule = (async () => {
  const url = new URL('./vendor/qwen-meter/qwen_meter_bg.wasm', import.meta.url);
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    try {
      return await WebAssembly.compile(await (await fetch(url)).arrayBuffer());
    } catch {
      return undefined;
    }
  }
})();

/** A worker running the package, with request/answer pairing. */
class Engine {
  constructor(role) {
    this.worker = new Worker(new URL(`worker.js?role=${role}`, import.meta.url), { type: 'module' });
    // The module goes first; requests posted meanwhile queue behind it.
    this.ready = false;
    this.started = wasmModule.then((module) => {
      this.worker.postMessage({ type: 'module', module });
      this.ready = true;
    });
    this.seq = 0;
    this.waiting = new Map();
    this.worker.onmessage = (e) => {
      const msg = e.data;
      if (msg.type === 'fatal') {
        fatal(msg.message);
        return;
      }
      const done = this.waiting.get(msg.seq);
      if (!done) return;
      this.waiting.delete(msg.seq);
      if (msg.error !== undefined) done.reject(new Error(msg.error));
      else done.resolve(msg);
    };
    this.worker.onerror = (e) => fatal(`the ${role} worker failed: ${e.message ?? 'unknown error'}`);
  }

  /** Sends `{type, ...payload}`; skippable requests are dropped when a newer one is queued. */
  request(type, payload = {}, skippable = false) {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      const message = { type, seq, skippable, ...payload };
      if (this.ready) this.worker.postMessage(message);
      else this.started.then(() => this.worker.postMessage(message));
    });
  }
}

function fatal(message) {
  const s = $('status');
  s.textContent = `Error: ${message}`;
  s.classList.add('error');
  s.hidden = false;
}

// ---- state ---------------------------------------------------------------------------------

const state = {
  mode: 'text',
  text: '',
  messages: [],
  toolsText: '',
  tools: null,
  model: '',
  region: 'international',
  outputTokens: 1000,
  thinking: false,
  batch: false,
  cachedInputTokens: 0,
  cacheKind: 'implicit',
  ordinary: false,
  showIds: false,
  keep: 'start',
  // Images, video and audio beside the prompt (sizes and durations only; not in the URL).
  media: [],
};

/** What the workers need (not the UI-only fields). */
function snapshot() {
  return {
    mode: state.mode,
    text: state.mode === 'text' ? state.text : '',
    messages: state.mode === 'chat' ? state.messages.map((m) => ({ ...m })) : [],
    tools: state.tools,
    model: state.model,
    region: state.region,
    outputTokens: state.outputTokens,
    thinking: state.thinking,
    batch: state.batch,
    cachedInputTokens: state.cachedInputTokens,
    cacheKind: state.cacheKind,
    ordinary: state.ordinary,
    media: state.media.map(({ kind, name, width, height, seconds, error }) => ({ kind, name, width, height, seconds, error })),
  };
}

const counter = new Engine('count');
const viewer = new Engine('view');

// ---- vocabularies loaded on first use ------------------------------------------------------

/**
 * Generations whose vocabulary is a second file of the package, fetched when a model of that
 * generation is first chosen (a page that only shows older models never downloads it), with
 * how the page names the vocabulary that counted the text.
 */
const LAZY_VOCABULARIES = { 'qwen3.5': './vendor/qwen-meter/qwen3_5.vocab' };
const VOCABULARY_NAMES = { 'qwen3.5': 'Qwen3.5' };
/** generation -> the file's bytes once fetched (installed in every instance). */
const vocabularyBytes = new Map();
/** generation -> the load in progress. */
const vocabularyLoads = new Map();
let vocabularyBusy = 0;

function vocabularyReady(generation) {
  return !LAZY_VOCABULARIES[generation] || vocabularyBytes.has(generation);
}

/**
 * Fetches a lazily loaded vocabulary once and installs it in the three package instances (the
 * bytes are posted to the workers, so the file is downloaded once). Resolves when all have it.
 */
function loadVocabulary(generation) {
  let load = vocabularyLoads.get(generation);
  if (load) return load;
  vocabularyBusy++;
  const status = $('status');
  status.hidden = false;
  status.classList.remove('error');
  status.textContent = `Loading the ${VOCABULARY_NAMES[generation]} vocabulary…`;
  load = (async () => {
    const response = await fetch(new URL(LAZY_VOCABULARIES[generation], import.meta.url));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    await Promise.all([counter, viewer].map((engine) => engine.request('vocabulary', { generation, bytes })));
    if (local) local.installVocabulary(generation, bytes);
    vocabularyBytes.set(generation, bytes);
    status.hidden = true;
  })();
  load
    .catch((e) => {
      vocabularyLoads.delete(generation); // choosing the model again retries
      fatal(`could not load the ${VOCABULARY_NAMES[generation]} vocabulary: ${e.message}`);
    })
    .finally(() => vocabularyBusy--);
  vocabularyLoads.set(generation, load);
  return load;
}

/** What the page says about the vocabulary that counted the text on screen. */
function vocabularyText(generation) {
  return VOCABULARY_NAMES[generation]
    ? `Counted with the ${VOCABULARY_NAMES[generation]} vocabulary`
    : 'Counted with the Qwen3 vocabulary';
}
let catalog = null;
let models = new Map();

const view = new TokenView($('token-view'), $('token-tip'), async (ids) => {
  const r = await viewer.request('bytes', { ids, state: { model: state.model, ordinary: state.ordinary } });
  return r.bytes;
});

const chat = new ChatEditor($('messages'), state.messages, () => changed());

// Image sizes are read by the count worker's package instance (imageSize).
const media = new MediaList($('media'), state.media, {
  readSize: (bytes) => counter.request('imageSize', { bytes }).then(({ width, height }) => ({ width, height })),
  onChange: () => changed(),
});

// ---- analysis loop: at most one request in flight, always for the latest state -------------

let dirty = false;
let inflight = false;
// Every change gets a version; an answer is shown only if nothing newer was shown already.
let version = 0;
let shownVersion = 0;

/**
 * The main thread's own package instance, for prompts up to `localMax` UTF-16 units. A round
 * trip to a worker costs a frame: the answer waits while the browser lays out the textarea
 * after the keystroke (about 15 ms for 100 KB of text here). In text mode the count follows
 * the text by edits (`createDocument`, see api.js), so a keystroke re-tokenizes a few
 * kilobytes whatever the size, and prompts up to megabytes are analysed right in the input
 * handler: the new count is drawn in the same frame as the keystroke. Bigger prompts go to
 * the worker, so typing never waits for a long count; if local analyses keep taking over
 * LOCAL_SLOW_MS (a slow device), the limit comes down.
 */
const LOCAL_SLOW_MS = 32;
let localMax = 4 * 1024 * 1024;
const CHAT_LOCAL_MAX = 256 * 1024;
let slowRuns = 0;
let local = null;

async function startLocal() {
  // ?engine=worker keeps every analysis in the worker (to compare).
  if (new URLSearchParams(location.search).get('engine') === 'worker') return;
  try {
    const qm = await import('./vendor/qwen-meter/browser.js');
    await qm.init((await wasmModule) ?? undefined);
    for (const [generation, bytes] of vocabularyBytes) qm.installVocabulary(generation, bytes);
    // The first call builds the vocabulary: do it now, not in the first keystroke.
    qm.countTokens('Warm-up: the quick brown fox jumps over the lazy dog. 通义千问。 0123');
    local = qm;
  } catch {
    local = null; // the workers do everything
  }
}

function promptSize(snap) {
  if (snap.mode === 'text') return snap.text.length;
  let n = 200;
  for (const m of snap.messages) n += (m.content ?? '').length;
  return n + JSON.stringify(snap.tools ?? '').length;
}

/** Analyses the latest state on the main thread if that is cheap; true when done. */
function analyzeLocally() {
  if (!local || !catalog) return false;
  const snap = snapshot();
  const size = promptSize(snap);
  // Chat prompts are rendered and counted whole on each change: keep those small here.
  if (size > (snap.mode === 'text' ? localMax : Math.min(localMax, CHAT_LOCAL_MAX))) return false;
  const t0 = performance.now();
  let r;
  try {
    r = api.analyze(local, snap);
  } catch {
    return false;
  }
  const ms = performance.now() - t0;
  // One slow run is normal after a paste (new pieces); several in a row mean a slow device.
  slowRuns = ms > LOCAL_SLOW_MS ? slowRuns + 1 : 0;
  if (slowRuns >= 3) {
    localMax = Math.max(8 * 1024, Math.floor((size * LOCAL_SLOW_MS) / ms));
    slowRuns = 0;
  }
  r.ms = ms;
  r.where = 'main';
  dirty = false;
  shownVersion = version;
  showAnalysis(r, snap);
  return true;
}

// Chromium updates a textarea's placeholder element (an inline style write) after every
// change of its value, even when it stays hidden: two extra style recalculations for each line
// a paste inserts. So the attribute is there only while the prompt is empty, which is the only
// time it shows. A paste's `input` events all come after the whole insert, so the attribute
// goes at `beforeinput` (see wire); it comes back once the box is empty again.
const PLACEHOLDER = $('input').getAttribute('placeholder') ?? '';
function syncPlaceholder() {
  const input = $('input');
  if (state.text === '') {
    if (!input.hasAttribute('placeholder')) input.setAttribute('placeholder', PLACEHOLDER);
  } else if (input.hasAttribute('placeholder')) {
    input.removeAttribute('placeholder');
  }
}

function changed({ url = true } = {}) {
  syncPlaceholder();
  version++;
  dirty = true;
  if (!analyzeLocally() && !inflight) pump();
  scheduleView();
  if (url) scheduleUrl();
}

async function pump() {
  while (dirty && catalog) {
    dirty = false;
    inflight = true;
    const v = version;
    const snap = snapshot();
    try {
      const r = await counter.request('analyze', { state: snap });
      r.where = 'worker';
      // Older than what is on screen: drop. Otherwise show it, even if a newer request
      // follows: for a huge text the counts are still news.
      if (v > shownVersion) {
        shownVersion = v;
        showAnalysis(r, snap);
      }
    } catch (e) {
      showError(e.message);
    } finally {
      inflight = false;
    }
  }
}

function showCounts(r) {
  document.body.dataset.analysisMs = r.ms.toFixed(1);
  document.body.dataset.analysisWhere = r.where;
  $('token-count').textContent = String(r.tokens);
  const vocab = $('vocabulary');
  say(vocab, vocabularyText(r.model.generation));
  vocab.dataset.generation = r.model.generation;
  $('char-count').textContent = String(r.chars);
  $('bytes-count').textContent = `${int(r.bytes)} bytes (UTF-8)`;
}

function showError(message) {
  $('cost-error').textContent = message;
}

function showAnalysis(r, snap) {
  showCounts(r);
  showCost(r);
  showContext(r, snap);
  showRate(r);
  showChat(r);
  media.show(r, r.model.id);
  $('status').hidden = true;
}

// ---- cost ----------------------------------------------------------------------------------

function showCost(r) {
  const total = $('cost-total');
  const rows = $('cost-rows');
  rows.textContent = '';
  say($('cost-error'), r.costError ?? '');
  if (!r.cost) {
    total.textContent = '–';
    total.dataset.amount = '';
    total.dataset.currency = '';
    $('cost-sum').textContent = '–';
    $('cost-tier').textContent = '';
    return;
  }
  const c = r.cost;
  total.textContent = money(c.total, c.currency);
  const code = document.createElement('span');
  code.className = 'currency';
  code.textContent = c.currency;
  total.append(code);
  total.dataset.amount = c.total;
  total.dataset.currency = c.currency;
  for (const part of c.parts) {
    const tr = document.createElement('tr');
    const th = document.createElement('th');
    th.scope = 'row';
    th.textContent = part.name;
    tr.append(th);
    for (const v of [int(part.tokens), part.unitPrice === null ? '–' : money(part.unitPrice, c.currency), money(part.amount, c.currency)]) {
      const td = document.createElement('td');
      td.textContent = v;
      tr.append(td);
    }
    rows.append(tr);
  }
  $('cost-sum').textContent = money(c.total, c.currency);
  const t = c.tier;
  const range = `${t.above ? `${kilo(t.above)} < ` : ''}input ≤ ${kilo(t.upTo)} tokens`;
  const notes = [];
  if (c.thinking) notes.push('thinking price for all output');
  if (c.batch) notes.push('batch discount');
  $('cost-tier').textContent =
    `Tier ${t.index + 1} of ${t.count}: ${range}; the whole request is billed at this tier` +
    (notes.length ? ` (${notes.join(', ')})` : '') +
    `. Prices per 1M tokens in ${c.currency}, as of ${c.asOf}.`;
  showSources(c);
}

function showSources(c) {
  $('as-of').textContent = c.asOf;
  const ul = $('sources-panel');
  ul.textContent = '';
  for (const id of c.sources ?? []) {
    const li = document.createElement('li');
    li.textContent = `${id}: ${catalog.sources[id] ?? ''}`;
    ul.append(li);
  }
}

// ---- context window -----------------------------------------------------------------------

function showContext(r, snap) {
  const meter = $('context-meter');
  const text = $('context-text');
  const warn = $('context-warning');
  const button = $('truncate');
  const f = r.fit;
  if (!f) {
    meter.max = 1;
    meter.value = 0;
    text.textContent = r.fitError ?? '';
    delete meter.dataset.fits;
    warn.hidden = !r.fitError;
    say(warn, r.fitError ? 'No prompt fits with these settings.' : '');
    button.disabled = true;
    return;
  }
  const max = Math.max(1, f.maxPromptTokens);
  meter.max = max;
  meter.value = Math.min(f.promptTokens, max);
  meter.low = Math.round(max * 0.75);
  meter.high = Math.round(max * 0.9);
  meter.optimum = 0;
  meter.dataset.used = String(f.promptTokens);
  meter.dataset.max = String(f.maxPromptTokens);
  meter.dataset.fits = String(f.fits);
  const limit = f.binding === 'contextWindow' ? 'context window minus reserved output' : 'max input';
  text.textContent =
    `${int(f.promptTokens)} of ${int(f.maxPromptTokens)} prompt tokens (${percent(f.promptTokens / max)}, limit: ${limit}). ` +
    (f.fits ? `${int(f.remainingTokens)} left; ` : f.binding === 'maxOutput' ? '' : `Over by ${int(f.overflowTokens)} tokens; `) +
    `${int(f.reservedOutputTokens)} reserved for output` +
    (f.contextWindow ? `; context window ${int(f.contextWindow)}.` : '.');
  // The alert's text does not change while typing, so it is announced once.
  if (f.fits) {
    say(warn, '');
    warn.hidden = true;
  } else {
    warn.hidden = false;
    say(
      warn,
      f.binding === 'maxOutput'
        ? 'The expected output exceeds the model’s maximum output: lower it.'
        : 'Over the limit: the request would be rejected. Truncate the text or reserve less output.',
    );
  }
  button.disabled = f.fits || snap.mode !== 'text' || f.binding === 'maxOutput';
  button.title = snap.mode !== 'text' ? 'Truncation works on the text mode prompt' : '';
}

// ---- rate limits --------------------------------------------------------------------------

function showRate(r) {
  const box = $('rate');
  box.textContent = '';
  const p = (text, cls) => {
    const el = document.createElement('p');
    el.textContent = text;
    if (cls) el.className = cls;
    box.append(el);
  };
  if (r.rateError) {
    p(r.rateError, 'warning');
    return;
  }
  const plan = r.rate;
  if (!plan) {
    p(`No published rate limits for ${r.model.id} in this region.`, 'hint');
    return;
  }
  p(`Limits: ${int(plan.rpm)} requests and ${int(plan.tpm)} tokens per minute${plan.scope ? ` (${plan.scope})` : ''}.`);
  if (plan.tooLarge) {
    p(`One request of this size (${int(plan.requestTokens)} tokens) is more than the TPM limit allows in a minute.`, 'warning');
    return;
  }
  const dl = document.createElement('dl');
  dl.className = 'rate-list';
  const item = (k, v, testid) => {
    const dt = document.createElement('dt');
    dt.textContent = k;
    const dd = document.createElement('dd');
    dd.textContent = v;
    if (testid) dd.id = testid;
    dl.append(dt, dd);
  };
  item('Tokens per request', `${int(plan.requestTokens)} (prompt + expected output)`);
  item('Requests of this size per minute', rate(plan.requestsPerMinute), 'rate-rpm');
  item('Binding limit', plan.bindingText, 'rate-binding');
  box.append(dl);
}

// ---- chat ---------------------------------------------------------------------------------

function showChat(r) {
  const box = $('chat-totals');
  if (!r.chat) {
    box.textContent = '';
    return;
  }
  chat.setCounts(r.chat.contentTokens);
  if (r.chatError) {
    box.textContent = `Cannot render this conversation: ${r.chatError}`;
    box.classList.add('error');
    return;
  }
  box.classList.remove('error');
  box.textContent =
    `Message contents: ${int(r.chat.content)} tokens. Template overhead: ${int(r.chat.overhead)} tokens` +
    ` (role markers, system prompt defaults, tools, generation prompt). Total prompt: ${int(r.chat.total)} tokens.`;
}

function parseTools() {
  const raw = state.toolsText.trim();
  const err = $('tools-error');
  if (!raw) {
    state.tools = null;
    err.textContent = '';
    return;
  }
  try {
    const tools = JSON.parse(raw);
    if (!Array.isArray(tools)) throw new Error('expected a JSON array of tool objects');
    state.tools = tools;
    err.textContent = '';
  } catch (e) {
    state.tools = null;
    err.textContent = `Tools are not counted: ${e.message}`;
  }
}

// ---- token view ---------------------------------------------------------------------------

const VIEW_STEP = 2000;
let viewLimit = VIEW_STEP;
let viewTimer = 0;
let viewSeq = 0;
let viewBusy = 0;

function scheduleView(delay = 120) {
  clearTimeout(viewTimer);
  viewTimer = setTimeout(updateView, delay);
}

async function updateView() {
  viewTimer = 0;
  if (!catalog) return;
  const snap = snapshot();
  const mine = ++viewSeq;
  viewBusy++;
  try {
    const r = await viewer.request('spans', { state: snap, limit: viewLimit }, true);
    if (r.skipped || mine !== viewSeq) return;
    const text = snap.mode === 'chat' ? r.text : snap.text;
    view.render(text, r.ids, r.start, r.end, r.total);
    const note = $('token-view-note');
    const more = $('show-more');
    if (r.total > r.ids.length) {
      note.textContent = `Showing the first ${int(r.ids.length)} of ${int(r.total)} tokens.`;
      more.hidden = false;
    } else {
      note.textContent = snap.mode === 'chat' ? 'The rendered conversation, as the model reads it.' : '';
      more.hidden = true;
    }
    document.body.dataset.viewTokens = String(r.total);
  } catch (e) {
    $('token-view-note').textContent = `Token view unavailable: ${e.message}`;
  } finally {
    viewBusy--;
  }
}

// ---- URL ----------------------------------------------------------------------------------

let urlTimer = 0;
function scheduleUrl() {
  clearTimeout(urlTimer);
  urlTimer = setTimeout(async () => {
    const { hash, omitted } = await writeState(state);
    if (hash !== location.hash) history.replaceState(null, '', hash);
    $('share-note').textContent =
      (omitted
        ? 'The link holds the model and settings; the text is too long to put in it.'
        : 'The link holds the model, settings and the text.') +
      (state.media.length ? ' Images, video and audio are not put in it.' : '');
  }, 400);
}

// ---- model, region and switches -----------------------------------------------------------

function currentModel() {
  return models.get(state.model);
}

function fillModels(filter = '') {
  const select = $('model');
  const q = filter.trim().toLowerCase();
  const match = (m) =>
    !q ||
    [m.id, m.family, ...(m.aliases ?? []), ...(m.snapshots ?? [])].some((s) => s.toLowerCase().includes(q));
  const families = new Map();
  for (const m of catalog.models) {
    if (!match(m)) continue;
    if (!families.has(m.family)) families.set(m.family, []);
    families.get(m.family).push(m);
  }
  const found = [...families.values()].flat();
  const note = $('model-note');
  if (found.length === 0) {
    note.textContent = `No model matches “${filter}”.`;
    return;
  }
  select.textContent = '';
  for (const [family, list] of families) {
    const group = document.createElement('optgroup');
    group.label = family;
    for (const m of list) {
      const o = document.createElement('option');
      o.value = m.id;
      const other = [...(m.aliases ?? []), ...(m.snapshots ?? [])];
      o.textContent = other.length ? `${m.id} (also ${other.join(', ')})` : m.id;
      o.title = o.textContent; // the list-box's width cuts long alias lists
      group.append(o);
    }
    select.append(group);
  }
  // An alias or snapshot typed in full resolves to its model.
  let text = q ? `${found.length} ${found.length === 1 ? 'model matches' : 'models match'}.` : '';
  let chosen = found.some((m) => m.id === state.model) ? state.model : found[0].id;
  for (const m of catalog.models) {
    const alias = (m.aliases ?? []).find((a) => a.toLowerCase() === q);
    const snapshot = (m.snapshots ?? []).find((a) => a.toLowerCase() === q);
    if (alias || snapshot) {
      chosen = m.id;
      text = `${alias ?? snapshot} is ${alias ? 'an alias' : 'a snapshot'} of ${m.id}.`;
      break;
    }
  }
  select.value = chosen;
  if (chosen !== state.model) setModel(chosen, text);
  else note.textContent = text;
}

/** The model the latest choice asked for (a switch may wait for its vocabulary). */
let wantedModel = '';

/**
 * Switches to model `id`; `note` is shown with what changed because of the switch. A model
 * whose vocabulary is not loaded yet (Qwen3.5/3.6) is switched to once it is: until then the
 * numbers on screen stay those of the previous model.
 */
function setModel(id, note = '') {
  const m = models.get(id);
  if (!m) return;
  wantedModel = id;
  $('model').value = id;
  if (!vocabularyReady(m.generation)) {
    loadVocabulary(m.generation).then(() => {
      if (wantedModel === id) setModel(id, note);
    }, () => {});
    return;
  }
  const prev = state.model;
  state.model = id;
  $('model').value = id;
  if (prev && prev !== id) view.clearCache();
  $('model-note').textContent = [note, applyModel()].filter(Boolean).join(' ');
  changed();
}

/**
 * Enables what the model offers; moves the region and switches to valid values. Returns a
 * note when the region had to change.
 */
function applyModel() {
  const m = currentModel();
  const regionSel = $('region');
  let note = '';
  for (const o of regionSel.options) {
    const offered = Boolean(m.regions?.[o.value]);
    o.disabled = !offered;
    const r = catalog.regions.find((x) => x.id === o.value);
    o.textContent = `${r.name}, ${r.currency}${offered ? '' : ' (not offered)'}`;
  }
  if (!m.regions?.[state.region]) {
    const first = catalog.regions.find((r) => m.regions?.[r.id]);
    if (first) {
      note = `${m.id} is not offered in the previous region; showing ${first.name}.`;
      state.region = first.id;
    }
  }
  regionSel.value = state.region;

  const both = Boolean(m.modes?.thinking && m.modes?.nonThinking);
  const th = $('thinking');
  if (both) {
    th.disabled = false;
    th.checked = state.thinking;
    $('thinking-note').textContent = '';
  } else {
    state.thinking = Boolean(m.modes?.thinking);
    th.checked = state.thinking;
    th.disabled = true;
    $('thinking-note').textContent = state.thinking ? 'This model always thinks.' : 'No thinking mode.';
  }
  applyRegion();
  const limits = m.modes?.[state.thinking ? 'thinking' : 'nonThinking'];
  $('output-tokens').max = limits ? String(limits.maxOutputTokens + (limits.maxReasoningTokens ?? 0)) : '';
  return note;
}

function applyRegion() {
  const m = currentModel();
  const offer = m.regions?.[state.region];
  const batch = $('batch');
  if (offer?.batch) {
    batch.disabled = false;
    $('batch-note').textContent = `${percent(Number(offer.batch.priceRatio))} of the real-time price.`;
  } else {
    state.batch = false;
    batch.disabled = true;
    $('batch-note').textContent = 'No batch price here.';
  }
  batch.checked = state.batch;

  const cache = offer?.cache;
  const cached = $('cached-tokens');
  const kind = $('cache-kind');
  const kinds = [];
  if (cache?.implicitHit) kinds.push('implicit');
  if (cache?.explicitHit) kinds.push('explicit');
  for (const o of kind.options) o.disabled = !kinds.includes(o.value);
  if (!kinds.includes(state.cacheKind) && kinds.length) state.cacheKind = kinds[0];
  kind.value = state.cacheKind;
  const usable = kinds.length > 0 && !state.batch;
  cached.disabled = !usable;
  kind.disabled = !usable;
  if (!usable) state.cachedInputTokens = 0;
  cached.value = String(state.cachedInputTokens);
  $('cache-note').textContent = !kinds.length
    ? 'No context-cache price here.'
    : state.batch
      ? 'Batch does not combine with the context cache.'
      : `Cache hits cost ${kinds
          .map((k) => `${percent(Number(k === 'implicit' ? cache.implicitHit : cache.explicitHit))} (${k})`)
          .join(', ')} of the input price.`;
}

function fillRegions() {
  const sel = $('region');
  sel.textContent = '';
  // A list-box showing every region; never size 1, which would make it a drop-down.
  sel.size = Math.max(2, catalog.regions.length);
  for (const r of catalog.regions) {
    const o = document.createElement('option');
    o.value = r.id;
    o.textContent = `${r.name}, ${r.currency}`;
    sel.append(o);
  }
}

// ---- controls -----------------------------------------------------------------------------

function setMode(mode) {
  state.mode = mode;
  $('chat-mode').checked = mode === 'chat';
  $('text-editor').hidden = mode === 'chat';
  $('chat-editor').hidden = mode !== 'chat';
  // A chat prompt is tokenized as the template makes it: special tokens are special.
  $('ordinary').disabled = mode === 'chat';
  if (mode === 'chat' && state.messages.length === 0) {
    chat.set([
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: state.text },
    ]);
  }
}

function readNumber(el, fallback = 0) {
  const n = Number(el.value);
  return Number.isFinite(n) && n >= 0 ? Math.floor(n) : fallback;
}

async function loadFile(file) {
  if (!file) return;
  const text = await file.text();
  if (state.mode === 'chat') setMode('text');
  $('input').value = text;
  state.text = text;
  $('status').hidden = false;
  $('status').classList.remove('error');
  $('status').textContent = `Loaded ${file.name} (${int(file.size)} bytes).`;
  changed();
}

// The browser's insert-text command (a paste, a drop, Playwright's fill) fires one `input`
// event per line it inserts, all in one task: handling each one read the whole text and
// redrew the counts hundreds of times per paste (and made the paste 2-3 times slower than in
// a bare textarea). The first event of a task is handled at once, so a keystroke's count is
// drawn in the keystroke's own frame; later ones in the same task only mark the text stale,
// and the text is read once when the task is over.
let inputBurst = false;
let inputStale = false;
const afterTask = new MessageChannel();
afterTask.port1.onmessage = () => {
  inputBurst = false;
  if (!inputStale) return;
  inputStale = false;
  state.text = $('input').value;
  changed();
};

function onInput() {
  if (inputBurst) {
    inputStale = true;
    return;
  }
  inputBurst = true;
  afterTask.port2.postMessage(null);
  state.text = $('input').value;
  changed();
}

function setExpanded(button, open) {
  button.setAttribute('aria-expanded', String(open));
  $(button.getAttribute('aria-controls')).hidden = !open;
}

function wire() {
  for (const button of document.querySelectorAll('.disclosure')) {
    button.addEventListener('click', () => setExpanded(button, button.getAttribute('aria-expanded') !== 'true'));
  }
  const input = $('input');
  input.addEventListener('input', onInput);
  input.addEventListener('beforeinput', (e) => {
    if (!e.inputType.startsWith('insert') || !input.hasAttribute('placeholder')) return;
    input.removeAttribute('placeholder');
    // Puts it back if the insert was cancelled or inserted nothing.
    setTimeout(() => {
      if (input.value === '') input.setAttribute('placeholder', PLACEHOLDER);
    });
  });
  input.addEventListener('dragover', (e) => {
    if ([...(e.dataTransfer?.types ?? [])].includes('Files')) {
      e.preventDefault();
      input.classList.add('drop');
    }
  });
  input.addEventListener('dragleave', () => input.classList.remove('drop'));
  input.addEventListener('drop', (e) => {
    input.classList.remove('drop');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) {
      e.preventDefault();
      // Images join the prompt as media; a text file replaces the text.
      if (files.some(isImage)) media.addFiles(files);
      else loadFile(files[0]);
    }
  });
  // Pasted images (screenshots) join the prompt as media, wherever the focus is; pasted
  // text still goes into the text box.
  document.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files ?? [])].filter(isImage);
    if (!files.length) return;
    if (!e.clipboardData.types.includes('text/plain')) e.preventDefault();
    media.addFiles(files);
  });
  $('file-input').addEventListener('change', (e) => loadFile(e.target.files[0]));

  $('chat-mode').addEventListener('change', (e) => {
    setMode(e.target.checked ? 'chat' : 'text');
    changed();
  });
  $('add-message').addEventListener('click', () => chat.add(document.querySelector('input[name="new-role"]:checked')?.value ?? 'user'));
  $('tools').addEventListener('input', (e) => {
    state.toolsText = e.target.value;
    parseTools();
    changed();
  });

  $('model-search').addEventListener('input', (e) => fillModels(e.target.value));
  $('model').addEventListener('change', (e) => setModel(e.target.value));
  $('region').addEventListener('change', (e) => {
    state.region = e.target.value;
    applyRegion();
    changed();
  });
  $('output-tokens').addEventListener('input', (e) => {
    state.outputTokens = readNumber(e.target, 0);
    changed();
  });
  $('thinking').addEventListener('change', (e) => {
    state.thinking = e.target.checked;
    applyModel();
    changed();
  });
  $('batch').addEventListener('change', (e) => {
    state.batch = e.target.checked;
    applyRegion();
    changed();
  });
  $('cached-tokens').addEventListener('input', (e) => {
    state.cachedInputTokens = readNumber(e.target, 0);
    changed();
  });
  $('cache-kind').addEventListener('change', (e) => {
    state.cacheKind = e.target.value;
    changed();
  });
  $('ordinary').addEventListener('change', (e) => {
    state.ordinary = e.target.checked;
    changed();
  });
  $('show-ids').addEventListener('change', (e) => {
    state.showIds = e.target.checked;
    view.setShowIds(state.showIds);
    scheduleUrl();
  });
  $('show-more').addEventListener('click', () => {
    viewLimit += VIEW_STEP;
    scheduleView(0);
  });
  for (const radio of document.querySelectorAll('input[name="keep"]')) {
    radio.addEventListener('change', (e) => {
      state.keep = e.target.value;
      scheduleUrl();
    });
  }
  $('truncate').addEventListener('click', truncateToFit);
  $('copy-link').addEventListener('click', async () => {
    const { hash } = await writeState(state);
    history.replaceState(null, '', hash);
    try {
      await navigator.clipboard.writeText(location.href);
      $('share-note').textContent = 'Link copied.';
    } catch {
      $('share-note').textContent = 'Copy the address from the address bar.';
    }
  });
  window.addEventListener('hashchange', () => {
    if (location.hash.includes('=')) loadFromUrl();
  });
  // The skip link moves the focus without touching the URL fragment (it holds the state).
  document.querySelector('.skip').addEventListener('click', (e) => {
    e.preventDefault();
    $('main').focus();
  });
}

async function truncateToFit() {
  const button = $('truncate');
  button.disabled = true;
  try {
    const r = await counter.request('truncate', { state: snapshot(), keep: state.keep });
    $('input').value = r.text;
    state.text = r.text;
    $('status').hidden = false;
    $('status').classList.remove('error');
    $('status').textContent = `Truncated to ${int(r.tokens)} tokens (budget ${int(r.budget)}), keeping the ${state.keep}.`;
    changed();
  } catch (e) {
    fatal(e.message);
  }
}

/** Applies the state in the URL fragment to the controls. */
async function loadFromUrl() {
  const s = await readState(location.hash);
  if (s.model) {
    // Aliases and snapshots in links resolve to their model.
    const m = catalog.models.find((x) => x.id === s.model || x.aliases?.includes(s.model) || x.snapshots?.includes(s.model));
    if (m) state.model = m.id;
  }
  for (const key of ['region', 'outputTokens', 'thinking', 'batch', 'cachedInputTokens', 'cacheKind', 'ordinary', 'showIds', 'keep', 'toolsText']) {
    if (s[key] !== undefined) state[key] = s[key];
  }
  if (s.text !== undefined) state.text = s.text;
  if (s.messages) chat.set(s.messages);
  $('input').value = state.text;
  $('output-tokens').value = String(state.outputTokens);
  $('ordinary').checked = state.ordinary;
  $('show-ids').checked = state.showIds;
  view.showIds = state.showIds;
  $('tools').value = state.toolsText;
  if (state.toolsText) setExpanded(document.querySelector('#tools-box .disclosure'), true);
  parseTools();
  for (const radio of document.querySelectorAll('input[name="keep"]')) radio.checked = radio.value === state.keep;
  $('model').value = state.model;
  wantedModel = state.model;
  const generation = currentModel().generation;
  if (!vocabularyReady(generation)) {
    try {
      await loadVocabulary(generation);
    } catch {
      // loadVocabulary said why; the numbers stay empty.
    }
  }
  applyModel();
  setMode(s.mode ?? 'text');
  if (s.broken) fatal('the link’s text could not be read.');
  changed({ url: false });
}

async function start() {
  wire();
  const localReady = startLocal();
  try {
    catalog = await counter.request('catalog');
  } catch (e) {
    fatal(e.message);
    return;
  }
  models = new Map(catalog.models.map((m) => [m.id, m]));
  state.model = models.has('qwen3-max') ? 'qwen3-max' : catalog.models[0].id;
  fillRegions();
  fillModels();
  await localReady;
  await loadFromUrl();
  document.body.dataset.ready = 'true';
}

// Read-only hooks for the end-to-end tests: whether every answer for the latest input is
// shown, and the settings the numbers on screen were computed for.
window.__qwenMeter = {
  idle: () => Boolean(catalog) && !inputBurst && !dirty && !inflight && !viewTimer && viewBusy === 0 && vocabularyBusy === 0 && wantedModel === state.model,
  state: () => ({ ...snapshot(), model: state.model, keep: state.keep }),
};

start();
