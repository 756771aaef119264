// Types of the npm package `qwen-meter` (all entry points: Node ESM, Node CommonJS, browser).

/**
 * Tokenizer generation. `'qwen'` to `'qwen3'` share one 151,643-token vocabulary (built in) and
 * differ in their special tokens; `'qwen3.5'` (Qwen3.5 and Qwen3.6 models) has its own
 * 248,044-token vocabulary, a second file of the package loaded on first use (see
 * {@link loadVocabulary}).
 */
export type Generation = 'qwen' | 'qwen2' | 'qwen2.5' | 'qwen3' | 'qwen3.5';

/** Chooses the tokenizer. */
export interface TokenizerOptions {
  /** Special tokens of this generation (default `'qwen3'`). */
  generation?: Generation;
  /**
   * Treat special-token text such as `<|im_start|>` as plain text (default `false`: it is one
   * special token, as the official tokenizer does).
   */
  ordinary?: boolean;
}

/** Options of {@link truncate}. */
export interface TruncateOptions extends TokenizerOptions {
  /** Keep the beginning (default) or the end of the text. */
  keep?: 'start' | 'end';
}

/** One token of {@link encodeWithOffsets}. */
export interface TokenSpan {
  /** Token id. */
  id: number;
  /** Start in UTF-16 code units: `text.slice(start, end)` is the token's text. */
  start: number;
  /** End in UTF-16 code units (exclusive). */
  end: number;
  /** Start byte offset in the UTF-8 encoding of the text. */
  byteStart: number;
  /** End byte offset (exclusive). */
  byteEnd: number;
}

/** A special token of a generation. */
export interface SpecialToken {
  text: string;
  id: number;
}

/** What kind of error a {@link QwenMeterError} is. */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'DECODE'
  | 'CATALOG'
  | 'COST'
  | 'CHAT'
  | 'NOT_INITIALISED'
  | 'INIT'
  /** The call needs the Qwen3.5 vocabulary: `await loadVocabulary('qwen3.5')` first (browsers). */
  | 'VOCABULARY_NOT_LOADED'
  /** {@link loadVocabulary} could not fetch or read the vocabulary file. */
  | 'LOAD';

/**
 * The error every function throws. `message` names the function, the argument or field, and
 * the problem, e.g. `countTokens: options.generation: unknown generation "gpt" (...)`.
 */
export declare class QwenMeterError extends Error {
  constructor(message: string);
  readonly name: 'QwenMeterError';
  code: ErrorCode;
}

/**
 * Loads the WebAssembly module. Needed once in browsers before any other call (by default it
 * fetches `qwen_meter_bg.wasm` next to the module; pass a URL, Response, bytes or a compiled
 * `WebAssembly.Module` to load it from elsewhere). In Node it resolves at once.
 */
export declare function init(
  input?: string | URL | Request | Response | BufferSource | WebAssembly.Module,
): Promise<void>;

/** Instantiates synchronously from the .wasm bytes or a compiled module (browsers; no-op in Node). */
export declare function initSync(bytesOrModule?: BufferSource | WebAssembly.Module): void;

/**
 * Loads the vocabulary of `generation` (`'qwen3.5'`, the default; `'qwen3.6'` names the same)
 * once, and resolves when calls can use it. Browsers fetch the package's `qwen3_5.vocab` next
 * to the module (bundlers emit it as an asset), or `input`: a URL, Response or the file's
 * bytes; the module is initialised first if needed. Node reads the file synchronously, and
 * does so by itself on the first call that needs it, so there this is only for isomorphic
 * code. Until it is loaded, a call that needs it throws a {@link QwenMeterError} with code
 * `VOCABULARY_NOT_LOADED`; nothing is ever counted with another vocabulary instead. Fails
 * with code `LOAD` when the file cannot be fetched or read.
 */
export declare function loadVocabulary(
  generation?: Generation | 'qwen3.6',
  input?: string | URL | Request | Response | BufferSource,
): Promise<void>;

/** Whether the vocabulary of `generation` is available now (always, except Qwen3.5 before it is loaded). */
export declare function hasVocabulary(generation: Generation | 'qwen3.6'): boolean;

/**
 * Installs the Qwen3.5 vocabulary synchronously from the bytes of the package's
 * `qwen3_5.vocab` (for code that has them already). Returns `true` when this call installed
 * it, `false` when it was available. Bytes that are not that file fail with code
 * `INVALID_ARGUMENT`.
 */
export declare function installVocabulary(generation: Generation | 'qwen3.6', bytes: Uint8Array): boolean;

/** Number of tokens of `text`. */
export declare function countTokens(text: string, options?: TokenizerOptions): number;

/** Token ids of `text`. */
export declare function encode(text: string, options?: TokenizerOptions): number[];

/** Text of token ids; throws (code `DECODE`) on an unknown id or ids that split a character. */
export declare function decode(ids: ArrayLike<number> | Uint32Array, options?: TokenizerOptions): string;

/** Raw UTF-8 bytes of token ids (works for ids that split a character). */
export declare function decodeBytes(ids: ArrayLike<number> | Uint32Array, options?: TokenizerOptions): Uint8Array;

/** Every token with its UTF-16 range (for `text.slice`) and its UTF-8 byte range. */
export declare function encodeWithOffsets(text: string, options?: TokenizerOptions): TokenSpan[];

/**
 * The token count if it is at most `limit`, else `false` (stops counting as soon as the limit
 * is passed). `Infinity` means no limit.
 */
export declare function isWithinTokenLimit(
  text: string,
  limit: number,
  options?: TokenizerOptions,
): number | false;

/**
 * The longest start (or end, with `{keep: 'end'}`) of `text` that has at most `maxTokens`
 * tokens, cut on a character boundary.
 */
export declare function truncate(text: string, maxTokens: number, options?: TruncateOptions): string;

/** The special tokens of a generation, in id order. */
export declare function specialTokens(options?: TokenizerOptions): SpecialToken[];

/** Size of the WebAssembly memory in bytes (it only grows; for leak checks). */
export declare function wasmMemoryBytes(): number;

// ---- chat ------------------------------------------------------------------------------

/** A chat message in the OpenAI / DashScope `messages` shape. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  /** Text, or content parts (`{type: 'text', text}`); may be absent on assistant tool calls. */
  content?: string | Array<{ type: string; text?: string; [key: string]: unknown }> | null;
  /** Assistant reasoning (Qwen3 `<think>` content of earlier turns). */
  reasoning_content?: string;
  tool_calls?: Array<{
    id?: string;
    type?: 'function';
    function: { name: string; arguments: string | Record<string, unknown> };
  }>;
  tool_call_id?: string;
  name?: string;
}

/** Options of {@link countChat}, {@link renderChat} and {@link encodeChat}. */
export interface ChatOptions {
  /** Template and special tokens of this generation (default `'qwen3'`). */
  generation?: Generation;
  /** Or: the generation of this catalog model (`'qwen3-max'`, `'qwen-plus'`, ...). */
  model?: string;
  /** End with the assistant header the model continues from (default `true`: it is billed). */
  addGenerationPrompt?: boolean;
  /** Qwen3 thinking switch: `false` adds the empty `<think>` block (default: unset). */
  enableThinking?: boolean;
  /** Tool (function) schemas offered to the model. */
  tools?: Array<Record<string, unknown>>;
}

/** Prompt tokens of a conversation rendered with the model's chat template. */
export declare function countChat(messages: ChatMessage[], options?: ChatOptions): number;

/** The prompt text the chat template produces (byte-identical to transformers). */
export declare function renderChat(messages: ChatMessage[], options?: ChatOptions): string;

/** Token ids of the rendered conversation. */
export declare function encodeChat(messages: ChatMessage[], options?: ChatOptions): number[];

// ---- catalog, cost, limits -------------------------------------------------------------

/** Billing region: `'international'`, `'global'`, `'us'`, `'chineseMainland'` (also `'cn'`, ...). */
export type Region = 'international' | 'global' | 'us' | 'chineseMainland' | (string & {});

/** The prompt of a request: exactly one of the token count, the text or the messages. */
export type PromptInput<K extends string> =
  | ({ [P in K]: number } & { text?: never; messages?: never })
  | { text: string; messages?: never }
  | { messages: ChatMessage[]; tools?: Array<Record<string, unknown>>; text?: never };

/** Request of {@link estimateCost}. */
export type CostRequest = {
  /** Model id, alias or dated snapshot. */
  model: string;
  /** Default `'international'`. */
  region?: Region;
  /** Output tokens, reasoning included (default 0). */
  outputTokens?: number;
  /** Thinking mode (default: the model's default mode). */
  thinking?: boolean;
  /** Batch API (default false). */
  batch?: boolean;
  /** Input tokens served from the context cache (part of the input). */
  cachedInputTokens?: number;
  /** Which cache they hit (default `'implicit'`). */
  cache?: 'implicit' | 'explicit';
  /** Input tokens written to a new explicit cache entry (part of the input). */
  cacheCreationInputTokens?: number;
  /** Image tokens, added to the prompt's (see {@link countImageTokens}). */
  imageTokens?: number;
  /** Video tokens, added to the prompt's. */
  videoTokens?: number;
  /** Audio tokens, added to the prompt's. */
  audioTokens?: number;
} & PromptInput<'inputTokens'>;

/** Exact decimal amounts as strings (no float artefacts), e.g. `"0.144"`. */
export type Decimal = string;

/** Result of {@link estimateCost}. */
export interface Cost {
  model: string;
  region: 'international' | 'global' | 'us' | 'chineseMainland';
  currency: 'USD' | 'CNY';
  /** Exact total. */
  total: Decimal;
  /** `total` as a float, for charts and sorting only. */
  totalNumber: number;
  breakdown: {
    input: Decimal;
    cachedInput: Decimal;
    cacheCreation: Decimal;
    output: Decimal;
    /** Media priced apart from text (Omni); otherwise in `input`. */
    imageInput: Decimal;
    videoInput: Decimal;
    audioInput: Decimal;
    audioOutput: Decimal;
  };
  breakdownNumbers: { input: number; cachedInput: number; cacheCreation: number; output: number };
  /** Index of the input-length tier used. */
  tierIndex: number;
  /** The tier (prices per 1M tokens). */
  tier: { above: number; upTo: number | null; input: Decimal; output: Decimal; outputThinking?: Decimal };
  /** Prices per 1M tokens after the thinking, cache and batch rules. */
  unitPrices: {
    input: Decimal;
    cachedInput: Decimal | null;
    cacheCreation: Decimal | null;
    output: Decimal;
    /** Present when the modality is priced apart from text and the request has some. */
    imageInput?: Decimal;
    videoInput?: Decimal;
    audioInput?: Decimal;
    audioOutput?: Decimal;
  };
  /** The usage priced (input tokens counted from text or messages when given). */
  usage: {
    inputTokens: number;
    outputTokens: number;
    cachedInputTokens: number;
    cache: 'implicit' | 'explicit';
    cacheCreationInputTokens: number;
    thinking: boolean;
    batch: boolean;
    /** Image, video and audio tokens (parts of `inputTokens`). */
    imageTokens: number;
    videoTokens: number;
    audioTokens: number;
    outputAudioTokens: number;
  };
}

/** Options of {@link countImageTokens}: a catalog model's rules, or a profile by name. */
export interface ImageTokenOptions {
  /** A model that takes images (its vision profile is used). */
  model?: string;
  /** A vision profile (default `'qwen3-api'`). */
  profile?: 'qwen3-api' | 'qwen2.5-api' | 'qwen3-omni-api' | 'qwen-omni-turbo-api' | 'qwen3-open-weights' | 'qwen2.5-open-weights';
  /** The image item's `max_pixels` (default: the profile's). */
  maxPixels?: number;
  /** The request's `vl_high_resolution_images`. */
  highResolution?: boolean;
}

/** Result of {@link countImageTokens}. */
export interface ImageTokens {
  /** All tokens of the image: the pads plus `<|vision_start|>` and `<|vision_end|>`. */
  tokens: number;
  /** `<|image_pad|>` tokens: (height / factor) * (width / factor). */
  imagePads: number;
  /** The size the model sees the image at (Qwen's `smart_resize`). */
  resized: { width: number; height: number };
  /** The vision profile used. */
  profile: string;
}

/** Tokens of an image of this size, by Qwen's `smart_resize` (errors: aspect ratio over 200, side under 11 px). */
export declare function countImageTokens(size: { width: number; height: number }, options?: ImageTokenOptions): ImageTokens;

/** Width and height from the first bytes of a PNG, JPEG, WebP, GIF, BMP, TIFF or HEIF file (nothing is decoded). */
export declare function imageSize(bytes: Uint8Array | number[]): { width: number; height: number };

/** Request of {@link fitsContext}. */
export type FitRequest = {
  model: string;
  /** Output tokens to reserve (reasoning included in thinking mode; default 0). */
  reservedOutputTokens?: number;
  /** Thinking mode (default: the model's default mode). */
  thinking?: boolean;
} & PromptInput<'promptTokens'>;

/** Result of {@link fitsContext}. */
export interface ContextFit {
  model: string;
  thinking: boolean;
  fits: boolean;
  promptTokens: number;
  reservedOutputTokens: number;
  /** The longest prompt that fits with this reservation. */
  maxPromptTokens: number;
  /** Prompt tokens that could still be added (0 when it does not fit). */
  remainingTokens: number;
  /** Prompt tokens to cut (0 when it fits). */
  overflowTokens: number;
  /** The bound that sets `maxPromptTokens`. */
  binding: 'maxInput' | 'contextWindow' | 'maxOutput';
}

/** Options of {@link truncateToFit}. */
export interface TruncateToFitOptions {
  model: string;
  reservedOutputTokens?: number;
  thinking?: boolean;
  keep?: 'start' | 'end';
}

/** Rate limits: explicit, or the catalog's advisory figures for a model id in a region. */
export type LimitsSpec = { rpm: number; tpm: number } | { model: string; region?: Region };

/** Request of {@link planRequests}. */
export type PlanRequest = LimitsSpec &
  (
    | { requests: Array<{ inputTokens?: number; outputTokens?: number }> }
    | { count: number; inputTokens?: number; outputTokens?: number }
  );

/** Result of {@link planRequests}. */
export interface RatePlan {
  limits: { rpm: number; tpm: number };
  requests: number;
  totalTokens: number;
  /** Minimum time to send them all within RPM and TPM (rounded up to whole ms). */
  minimumDurationMs: number;
  /** Which limit binds. */
  binding: 'requests' | 'tokens' | 'both';
  requestsPerMinute: number;
  tokensPerMinute: number;
}

/** A catalog model entry, as in the catalog JSON (see the core crate's catalog docs). */
export interface Model {
  id: string;
  aliases: string[];
  snapshots: string[];
  family: string;
  generation: Generation;
  status: string;
  asOf: string;
  sources: string[];
  modes: {
    nonThinking?: { contextWindow: number | null; maxInputTokens: number | null; maxOutputTokens: number; maxReasoningTokens: number | null; sources: string[]; note?: string };
    thinking?: { contextWindow: number | null; maxInputTokens: number | null; maxOutputTokens: number; maxReasoningTokens: number | null; sources: string[]; note?: string };
  };
  /** Offers per region: tiers (prices per 1M tokens as decimal strings), cache, batch, rate limits. */
  regions: Record<string, Record<string, unknown>>;
  notes: string[];
  [key: string]: unknown;
}

/** Summary of the active catalog. */
export interface CatalogInfo {
  asOf: string;
  models: number;
  /** Source id -> description. */
  sources: Record<string, string>;
  /** True after {@link loadCatalog}, false for the built-in catalog. */
  custom: boolean;
}

/** Exact cost of a request in the active catalog; errors (code `COST`) name the limit broken. */
export declare function estimateCost(request: CostRequest): Cost;

/** Whether a prompt plus reserved output fits the model's context and limits. */
export declare function fitsContext(request: FitRequest): ContextFit;

/** The longest start (or end) of `text` that fits the model with the output reserved. */
export declare function truncateToFit(text: string, options: TruncateToFitOptions): string;

/** Minimum time to send a batch of requests without exceeding RPM or TPM. */
export declare function planRequests(request: PlanRequest): RatePlan;

/** Every model of the active catalog. */
export declare function listModels(): Model[];

/** The model an id, alias or dated snapshot resolves to (code `CATALOG` with close matches if none). */
export declare function getModel(id: string): Model;

/** The active catalog's date, sources and size. */
export declare function catalogInfo(): CatalogInfo;

/**
 * Uses your own catalog in every later call: a whole catalog file (text or parsed object), or
 * with `{override: true}` a list of model entries merged into the built-in catalog (JSON merge
 * patch per entry). Errors (code `CATALOG`) name the model and field.
 */
export declare function loadCatalog(catalog: string | object, options?: { override?: boolean }): CatalogInfo;

/** Goes back to the built-in catalog. */
export declare function resetCatalog(): CatalogInfo;

/** Answer of {@link RateLimiter.acquire}. */
export type Admission = { go: true; permit: number; waitMs: 0 } | { go: false; permit: null; waitMs: number };

/**
 * A pure RPM/TPM rate limiter (sliding minute and second windows). It holds WebAssembly
 * memory: call `free()` when done; a forgotten limiter is freed by a FinalizationRegistry
 * when garbage-collected.
 */
export declare class RateLimiter {
  constructor(limits: LimitsSpec);
  /** Asks to send a request of `tokens` (input + expected output) at `nowMs` (default `performance.now()`). */
  acquire(tokens: number, nowMs?: number): Admission;
  /** Replaces a permit's reserved tokens with the real usage; false if already recorded or over a minute old. */
  recordUsage(permit: number, actualTokens: number): boolean;
  /** The limits enforced. */
  readonly limits: { rpm: number; tpm: number };
  /** Permits not yet recorded or expired (at most a minute's worth). */
  readonly pendingPermits: number;
  /** Frees the WebAssembly memory now; the object is unusable afterwards. */
  free(): void;
}

/**
 * An editable text whose token count follows its edits exactly, re-tokenizing only the few
 * kilobytes around each edit (a keystroke on a megabyte costs well under 1% of a full count).
 * Offsets are UTF-16 code units, as JS strings index them. It holds WebAssembly memory: call
 * `free()` when done; a forgotten document is freed by a FinalizationRegistry when
 * garbage-collected.
 */
export declare class Document {
  /** Made by {@link createDocument}, not `new`. */
  private constructor();
  /** Replaces `text.slice(start, end)` with `replacement` (an insertion when empty); returns the new count. */
  edit(start: number, end: number, replacement: string): number;
  /** Tokens of the whole text, equal to `countTokens(text, options)`. */
  count(): number;
  /** The tokens overlapping `start..end` (default: the whole text), with UTF-16 and byte offsets. */
  tokens(start?: number, end?: number): TokenSpan[];
  /** The whole text. */
  text(): string;
  /** Length of the text in UTF-16 code units. */
  readonly length: number;
  /** Frees the WebAssembly memory now; the object is unusable afterwards. */
  free(): void;
}

/** A {@link Document} holding `text`, counted with the tokenizer `options` choose. */
export declare function createDocument(text: string, options?: TokenizerOptions): Document;

declare const qwenMeter: {
  QwenMeterError: typeof QwenMeterError;
  init: typeof init;
  initSync: typeof initSync;
  loadVocabulary: typeof loadVocabulary;
  hasVocabulary: typeof hasVocabulary;
  installVocabulary: typeof installVocabulary;
  countTokens: typeof countTokens;
  encode: typeof encode;
  decode: typeof decode;
  decodeBytes: typeof decodeBytes;
  encodeWithOffsets: typeof encodeWithOffsets;
  isWithinTokenLimit: typeof isWithinTokenLimit;
  truncate: typeof truncate;
  specialTokens: typeof specialTokens;
  wasmMemoryBytes: typeof wasmMemoryBytes;
  countChat: typeof countChat;
  renderChat: typeof renderChat;
  encodeChat: typeof encodeChat;
  estimateCost: typeof estimateCost;
  countImageTokens: typeof countImageTokens;
  imageSize: typeof imageSize;
  fitsContext: typeof fitsContext;
  truncateToFit: typeof truncateToFit;
  planRequests: typeof planRequests;
  listModels: typeof listModels;
  getModel: typeof getModel;
  catalogInfo: typeof catalogInfo;
  loadCatalog: typeof loadCatalog;
  resetCatalog: typeof resetCatalog;
  RateLimiter: typeof RateLimiter;
  createDocument: typeof createDocument;
  Document: typeof Document;
};
export default qwenMeter;
