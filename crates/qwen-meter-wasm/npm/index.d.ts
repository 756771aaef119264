// Types of the npm package `qwen-meter` (all entry points: Node ESM, Node CommonJS, browser).

/** Tokenizer generation: which special tokens exist. All share one 151,643-token vocabulary. */
export type Generation = 'qwen' | 'qwen2' | 'qwen2.5' | 'qwen3';

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
  | 'NOT_INITIALISED';

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

declare const qwenMeter: {
  QwenMeterError: typeof QwenMeterError;
  init: typeof init;
  initSync: typeof initSync;
  countTokens: typeof countTokens;
  encode: typeof encode;
  decode: typeof decode;
  decodeBytes: typeof decodeBytes;
  encodeWithOffsets: typeof encodeWithOffsets;
  isWithinTokenLimit: typeof isWithinTokenLimit;
  truncate: typeof truncate;
  specialTokens: typeof specialTokens;
  wasmMemoryBytes: typeof wasmMemoryBytes;
};
export default qwenMeter;
