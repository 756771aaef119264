// Images, video and audio beside the prompt. Qwen's vision models bill an image by its pixel
// size and a video by its duration and frame size, so the page needs no pixels: an image's
// width and height are read from the first bytes of the dropped, pasted or chosen file (the
// package's `imageSize`, in the worker), a video or audio clip is described by the user. The
// file's bytes stay in this tab: they are read with File.arrayBuffer, never uploaded, and
// never put in the shareable link (only sizes and durations are kept, and not in the URL).
import { int } from './format.js';

const IMAGE_NAME = /\.(png|jpe?g|webp|gif|bmp|tiff?|heic|heif|avif)$/i;

/** Whether a dropped or pasted file is an image (by type, or by name when it has no type). */
export function isImage(file) {
  return file.type ? file.type.startsWith('image/') : IMAGE_NAME.test(file.name ?? '');
}

const KIND = { image: 'Image', video: 'Video', audio: 'Audio' };

/**
 * The list of media items. `items` is the page state's array (changed in place);
 * `readSize(bytes)` resolves to `{width, height}` or rejects with the reason;
 * `onChange()` is called after every change.
 */
export class MediaList {
  constructor(root, items, { readSize, onChange }) {
    this.root = root;
    this.items = items;
    this.readSize = readSize;
    this.onChange = onChange;
    this.list = root.querySelector('#media-list');
    this.breakdown = root.querySelector('#media-breakdown');
    this.note = root.querySelector('#media-note');
    this.status = root.querySelector('#media-status');
    this.nextId = 1;
    this.lastResult = null;
    this.wire();
  }

  wire() {
    const $ = (sel) => this.root.querySelector(sel);
    $('#image-input').addEventListener('change', async (e) => {
      await this.addFiles([...e.target.files]);
      e.target.value = '';
    });
    $('#video-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const seconds = Number($('#video-seconds').value);
      const width = Number($('#video-width').value);
      const height = Number($('#video-height').value);
      const error = !(seconds > 0)
        ? 'give the duration in seconds'
        : !(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)
          ? 'give the width and height in pixels'
          : '';
      $('#video-error').textContent = error ? `Not added: ${error}.` : '';
      if (error) return;
      this.add({ kind: 'video', name: `${seconds} s at ${width}×${height}`, seconds, width, height });
    });
    $('#audio-form').addEventListener('submit', (e) => {
      e.preventDefault();
      const seconds = Number($('#audio-seconds').value);
      $('#audio-error').textContent = seconds > 0 ? '' : 'Not added: give the duration in seconds.';
      if (!(seconds > 0)) return;
      this.add({ kind: 'audio', name: `${seconds} s`, seconds });
    });
    // The list's own drop target (the prompt box takes image drops too, see app.js).
    const zone = $('#media-drop');
    zone.addEventListener('dragover', (e) => {
      if ([...(e.dataTransfer?.types ?? [])].includes('Files')) {
        e.preventDefault();
        zone.classList.add('drop');
      }
    });
    zone.addEventListener('dragleave', () => zone.classList.remove('drop'));
    zone.addEventListener('drop', (e) => {
      zone.classList.remove('drop');
      const files = [...(e.dataTransfer?.files ?? [])];
      if (!files.length) return;
      e.preventDefault();
      this.addFiles(files);
    });
  }

  /** Adds the image files among `files` (others are reported, not added); their sizes are read first. */
  async addFiles(files) {
    const images = files.filter(isImage);
    const others = files.filter((f) => !isImage(f));
    for (const file of images) {
      const item = { kind: 'image', name: file.name || 'pasted image', fileSize: file.size };
      try {
        const size = await this.readSize(new Uint8Array(await file.arrayBuffer()));
        item.width = size.width;
        item.height = size.height;
      } catch (e) {
        item.error = `cannot read the image size (${String(e?.message ?? e).replace(/^imageSize: /, '')})`;
      }
      this.add(item);
    }
    if (others.length) {
      this.say(`Not added: ${others.map((f) => f.name).join(', ')} (not an image).`);
    }
  }

  add(item) {
    item.id = this.nextId++;
    this.items.push(item);
    this.render();
    this.say(`${KIND[item.kind]} ${item.name} added.`);
    this.onChange();
  }

  remove(id) {
    const i = this.items.findIndex((x) => x.id === id);
    if (i < 0) return;
    const [item] = this.items.splice(i, 1);
    this.render();
    this.say(`${KIND[item.kind]} ${item.name} removed.`);
    this.onChange();
    // Keep the focus in the list (the next item's button, or the add controls).
    const buttons = this.list.querySelectorAll('button');
    (buttons[Math.min(i, buttons.length - 1)] ?? this.root.querySelector('#image-input')).focus();
  }

  say(text) {
    this.status.textContent = text;
  }

  /** Redraws the items, with the tokens of the last analysis when it is for these items. */
  render() {
    this.list.textContent = '';
    this.list.hidden = this.items.length === 0;
    const r = this.lastResult;
    const fresh = r && r.items.length === this.items.length;
    this.items.forEach((item, i) => {
      const li = document.createElement('li');
      li.className = `media-item kind-${item.kind}`;
      li.dataset.testid = 'media-item';
      li.dataset.kind = item.kind;
      const what = document.createElement('span');
      what.className = 'media-what';
      let text = `${KIND[item.kind]}: ${item.name}`;
      if (item.kind === 'image' && item.width) text += `, ${item.width}×${item.height}`;
      what.textContent = text;
      const result = document.createElement('span');
      result.className = 'media-tokens';
      const got = fresh ? r.items[i] : null;
      if (got?.error || item.error) {
        result.textContent = `not counted: ${got?.error ?? item.error}`;
        result.classList.add('error');
        li.dataset.error = 'true';
      } else if (got) {
        result.textContent =
          `${int(got.tokens)} tokens` + (got.resized ? ` (seen at ${got.resized.width}×${got.resized.height})` : '');
        li.dataset.tokens = String(got.tokens);
      } else {
        result.textContent = 'counting…';
      }
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'remove';
      button.textContent = 'Remove';
      button.setAttribute('aria-label', item.kind === 'image' ? `Remove ${item.name}` : `Remove the ${item.kind} of ${item.name}`);
      button.addEventListener('click', () => this.remove(item.id));
      li.append(what, result, button);
      this.list.append(li);
    });
  }

  /** Shows an analysis: each item's tokens or error, and the tokens by modality. */
  show(r, modelId) {
    const m = r.media ?? { items: [], image: 0, video: 0, audio: 0, total: 0, errors: [] };
    // Without media nothing here changes while typing: leave the DOM alone.
    if (!this.items.length && !this.lastResult?.items.length && this.lastResult) return;
    this.lastResult = m;
    this.render();
    const b = this.breakdown;
    b.dataset.text = String(r.textTokens ?? r.tokens);
    b.dataset.image = String(m.image);
    b.dataset.video = String(m.video);
    b.dataset.audio = String(m.audio);
    b.dataset.total = String(r.tokens);
    b.textContent =
      `Text ${int(r.textTokens ?? r.tokens)} + images ${int(m.image)} + video ${int(m.video)} + audio ${int(m.audio)}` +
      ` = ${int(r.tokens)} prompt tokens.`;
    b.hidden = this.items.length === 0;
    const n = m.errors.length;
    const unsupported = m.items.some((x) => /does not take/.test(x.error ?? ''));
    this.note.textContent = n
      ? `${n === 1 ? 'One item is' : `${n} items are`} not counted for ${modelId}, so the cost is not shown until ` +
        `${n === 1 ? 'it is' : 'they are'} removed${unsupported ? ', or a model that takes them is chosen' : ''}.`
      : '';
    this.note.hidden = !m.errors.length;
  }
}
