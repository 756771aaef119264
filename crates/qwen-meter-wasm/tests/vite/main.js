// A tiny page that uses the package through Vite, with no plugin and no config.
import { init, countTokens, encodeWithOffsets } from 'qwen-meter';

await init();
const box = document.getElementById('text');
const show = () => {
  const text = box.value;
  document.getElementById('count').textContent =
    `${countTokens(text)} tokens, ${encodeWithOffsets(text).length} spans`;
};
box.addEventListener('input', show);
show();
