// Shareable state in the URL fragment (never sent to a server): the model and settings as
// plain parameters, the text or the conversation deflated and base64url-encoded. A text too
// long for a reasonable link is left out (the page says so).
//
//   #m=qwen3-max&r=international&o=1000&th=1&b=0&c=0&ck=implicit&mode=chat&ord=0&ids=0
//    &t=<deflate-raw, base64url of the text>   or   &chat=<same, of {messages, tools}>

/** Longest fragment written; longer texts are not put in the link. */
export const MAX_FRAGMENT = 32 * 1024;

function toBase64Url(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  const b = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) out[i] = b.charCodeAt(i);
  return out;
}

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

async function pack(text) {
  const deflated = await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw'));
  return toBase64Url(deflated);
}

async function unpack(data) {
  const bytes = await pipe(fromBase64Url(data), new DecompressionStream('deflate-raw'));
  return new TextDecoder().decode(bytes);
}

/** The fragment for `state`; `{hash, omitted}` where omitted says the text was left out. */
export async function writeState(state) {
  const p = new URLSearchParams();
  p.set('m', state.model);
  p.set('r', state.region);
  p.set('o', String(state.outputTokens));
  if (state.thinking) p.set('th', '1');
  if (state.batch) p.set('b', '1');
  if (state.cachedInputTokens) p.set('c', String(state.cachedInputTokens));
  if (state.cacheKind !== 'implicit') p.set('ck', state.cacheKind);
  if (state.ordinary) p.set('ord', '1');
  if (state.showIds) p.set('ids', '1');
  if (state.keep !== 'start') p.set('keep', state.keep);
  if (state.mode === 'chat') p.set('mode', 'chat');
  const base = p.toString();
  let payload = '';
  if (state.mode === 'chat') {
    const messages = state.messages.map((m) => {
      const out = { role: m.role, content: m.content };
      if (m.toolCallsText) out.toolCallsText = m.toolCallsText;
      return out;
    });
    payload = `chat=${await pack(JSON.stringify({ messages, tools: state.toolsText }))}`;
  } else if (state.text) {
    payload = `t=${await pack(state.text)}`;
  }
  if (payload && base.length + payload.length + 1 <= MAX_FRAGMENT) {
    return { hash: `#${base}&${payload}`, omitted: false };
  }
  return { hash: `#${base}`, omitted: Boolean(payload) };
}

/** The state fields found in a fragment (missing fields are left undefined). */
export async function readState(hash) {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out = {};
  const num = (key) => {
    const v = p.get(key);
    if (v === null || !/^\d{1,15}$/.test(v)) return undefined;
    return Number(v);
  };
  if (p.has('m')) out.model = p.get('m');
  if (p.has('r')) out.region = p.get('r');
  if (num('o') !== undefined) out.outputTokens = num('o');
  if (p.has('th')) out.thinking = p.get('th') === '1';
  if (p.has('b')) out.batch = p.get('b') === '1';
  if (num('c') !== undefined) out.cachedInputTokens = num('c');
  if (p.has('ck')) out.cacheKind = p.get('ck') === 'explicit' ? 'explicit' : 'implicit';
  if (p.has('ord')) out.ordinary = p.get('ord') === '1';
  if (p.has('ids')) out.showIds = p.get('ids') === '1';
  if (p.has('keep')) out.keep = p.get('keep') === 'end' ? 'end' : 'start';
  out.mode = p.get('mode') === 'chat' ? 'chat' : 'text';
  try {
    if (p.has('t')) out.text = await unpack(p.get('t'));
    if (p.has('chat')) {
      const chat = JSON.parse(await unpack(p.get('chat')));
      if (Array.isArray(chat.messages)) {
        out.messages = chat.messages
          .filter((m) => m && typeof m.role === 'string')
          .map((m) => {
            const msg = { role: m.role, content: typeof m.content === 'string' ? m.content : '' };
            if (typeof m.toolCallsText === 'string') msg.toolCallsText = m.toolCallsText;
            return msg;
          });
      }
      if (typeof chat.tools === 'string') out.toolsText = chat.tools;
    }
  } catch {
    out.broken = true;
  }
  return out;
}
