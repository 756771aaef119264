// A tiny page that uses the package through Vite, with no plugin and no config: a count with
// the built-in vocabulary at once, then one with the Qwen3.5 vocabulary, which Vite emits as
// a second asset and the page fetches on first use.
import { init, countTokens, encodeWithOffsets, loadVocabulary } from 'qwen-meter';

await init();
const box = document.getElementById('text');
const show = () => {
  const text = box.value;
  document.getElementById('count').textContent =
    `${countTokens(text)} tokens, ${encodeWithOffsets(text).length} spans`;
};
box.addEventListener('input', show);
show();
const vocab = () => performance.getEntriesByType('resource').filter((r) => r.name.includes('.vocab')).length;
const before = vocab();
await loadVocabulary('qwen3.5');
document.getElementById('count35').textContent =
  `${countTokens(box.value, { generation: 'qwen3.5' })} tokens with Qwen3.5 (vocabulary fetched ${before} times before, ${vocab()} after)`;
