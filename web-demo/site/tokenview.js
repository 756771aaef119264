// The token view: the prompt drawn as alternating coloured spans, one per token.
//
// Tokens come as typed arrays (id, UTF-16 start, UTF-16 end). A token that holds only part of
// a character (an emoji or CJK character split across tokens) has that whole character's
// range, so tokens whose ranges overlap are drawn as one span: a character is never broken.
// Whitespace is made visible (· space, → tab, ↵ line break). Hover, or focus with the arrow
// keys, shows a tooltip with each token's id, bytes and text.
import { codePointLabels, hex, int, spellInvisible, visible } from './format.js';

const COLOURS = 5;

/**
 * Groups tokens for drawing: [{first, last, start, end}] in text order. Tokens whose ranges
 * overlap (parts of one character) are one group, and so are tokens that split a grapheme
 * cluster (an emoji with a skin tone or a ZWJ sequence, a flag, a letter with combining
 * marks), which the browser draws as one glyph.
 */
export function groupTokens(text, start, end) {
  const groups = [];
  let g = null;
  for (let i = 0; i < start.length; i++) {
    const s = start[i];
    const e = end[i];
    if (g && s < g.end) {
      g.last = i;
      if (e > g.end) g.end = e;
    } else {
      g = { first: i, last: i, start: s, end: e };
      groups.push(g);
    }
  }
  if (groups.length < 2 || typeof Intl.Segmenter !== 'function') return groups;
  // Grapheme boundaries of the drawn part of the text.
  const upTo = groups[groups.length - 1].end;
  const boundary = new Uint8Array(upTo + 1);
  const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  for (const { index } of segmenter.segment(text.slice(0, upTo))) boundary[index] = 1;
  boundary[upTo] = 1;
  const merged = [groups[0]];
  for (let k = 1; k < groups.length; k++) {
    const prev = merged[merged.length - 1];
    const cur = groups[k];
    if (!boundary[prev.end] && cur.start === prev.end) {
      prev.last = cur.last;
      prev.end = cur.end;
    } else {
      merged.push(cur);
    }
  }
  return merged;
}

const ESC = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };
const htmlEscape = (s) => s.replace(/[&<>"]/g, (c) => ESC[c]);

/**
 * HTML of text with its invisible characters as visible escapes (`⟨U+202E⟩`, the code point
 * also on hover): a bidi control drawn as itself would reorder the view, so the view could
 * show something other than what is counted.
 */
const escape = (s) =>
  spellInvisible(s, (label) => `<span class="esc" title="${label}">⟨${label}⟩</span>`, htmlEscape);

/** HTML of a piece of text with whitespace and invisible characters made visible. */
export function visibleHtml(text) {
  let html = '';
  let last = 0;
  const re = /\r\n|[\n\r\t ]+/g;
  let m;
  while ((m = re.exec(text))) {
    if (m.index > last) html += escape(text.slice(last, m.index));
    const ws = m[0];
    let marks = '';
    for (let i = 0; i < ws.length; i++) {
      const c = ws[i];
      if (c === ' ') marks += '·';
      else if (c === '\t') marks += '→';
      else if (c === '\r' && ws[i + 1] === '\n') {
        marks += '↵\n';
        i++;
      } else marks += '↵\n';
    }
    // The marks are drawn muted; <wbr> lets long lines wrap after spaces.
    html += `<span class="ws">${marks}</span><wbr>`;
    last = m.index + ws.length;
  }
  if (last < text.length) html += escape(text.slice(last));
  return html;
}

export class TokenView {
  /**
   * @param {HTMLElement} root the view (focusable container)
   * @param {HTMLElement} tip the tooltip element
   * @param {(ids: number[]) => Promise<number[][]>} bytesOf fetches token bytes
   */
  constructor(root, tip, bytesOf) {
    this.root = root;
    this.tip = tip;
    this.bytesOf = bytesOf;
    this.byteCache = new Map();
    this.text = '';
    this.ids = new Uint32Array(0);
    this.groups = [];
    this.total = 0;
    this.showIds = false;
    this.active = null;

    root.addEventListener('mouseover', (e) => {
      const el = e.target.closest?.('.tok');
      if (el && root.contains(el)) this.showTip(el);
    });
    root.addEventListener('mouseleave', () => {
      if (!root.contains(document.activeElement)) this.hideTip();
    });
    root.addEventListener('focusin', (e) => {
      const el = e.target.closest?.('.tok');
      if (el) this.showTip(el);
    });
    root.addEventListener('focusout', (e) => {
      if (!root.contains(e.relatedTarget)) this.hideTip();
    });
    root.addEventListener('keydown', (e) => this.onKey(e));
  }

  /** Draws `groups` of the tokens of `text` (ids, UTF-16 starts and ends; `total` in all). */
  render(text, ids, start, end, total) {
    this.text = text;
    this.ids = ids;
    this.groups = groupTokens(text, start, end);
    this.total = total;
    this.draw();
  }

  setShowIds(on) {
    this.showIds = on;
    this.draw();
  }

  draw() {
    const { text, ids, groups } = this;
    const parts = [];
    let pos = 0;
    for (let g = 0; g < groups.length; g++) {
      const grp = groups[g];
      if (!this.showIds && grp.start > pos) parts.push(visibleHtml(text.slice(pos, grp.start)));
      let inner;
      if (this.showIds) {
        inner = '';
        for (let i = grp.first; i <= grp.last; i++) inner += (i > grp.first ? ' ' : '') + ids[i];
      } else {
        inner = visibleHtml(text.slice(grp.start, grp.end));
      }
      const split = grp.last > grp.first ? ' split' : '';
      // In the ids view, spaces between groups keep copied ids apart.
      if (this.showIds && g > 0) parts.push(' ');
      parts.push(`<span class="tok c${g % COLOURS}${split}" data-g="${g}" tabindex="-1">${inner}</span>`);
      pos = grp.end;
    }
    this.root.classList.toggle('ids', this.showIds);
    this.root.innerHTML = parts.join('');
    this.active = null;
    this.hideTip();
  }

  /** The number of tokens drawn. */
  get shown() {
    return this.ids.length;
  }

  onKey(e) {
    const keys = ['ArrowRight', 'ArrowLeft', 'ArrowDown', 'ArrowUp', 'Home', 'End'];
    if (e.key === 'Escape') {
      this.hideTip();
      return;
    }
    if (!keys.includes(e.key) || this.groups.length === 0) return;
    e.preventDefault();
    const cur = document.activeElement?.closest?.('.tok');
    let g = cur ? Number(cur.dataset.g) : -1;
    const last = this.groups.length - 1;
    if (e.key === 'Home') g = 0;
    else if (e.key === 'End') g = last;
    else if (e.key === 'ArrowRight' || e.key === 'ArrowDown') g = Math.min(last, g + 1);
    else g = Math.max(0, g < 0 ? 0 : g - 1);
    const el = this.root.querySelector(`[data-g="${g}"]`);
    el?.focus();
  }

  hideTip() {
    this.tip.hidden = true;
    if (this.active) this.active.removeAttribute('aria-describedby');
    this.active = null;
  }

  async showTip(el) {
    const g = this.groups[Number(el.dataset.g)];
    if (!g) return;
    if (this.active && this.active !== el) this.active.removeAttribute('aria-describedby');
    this.active = el;
    const ids = Array.from(this.ids.subarray(g.first, g.last + 1));
    const text = this.text.slice(g.start, g.end);
    const head =
      ids.length === 1
        ? `Token ${int(g.first + 1)} of ${int(this.total)}`
        : `Tokens ${int(g.first + 1)}–${int(g.last + 1)} of ${int(this.total)} (they split a character)`;
    const fill = (bytes) => {
      const rows = ids
        .map((id, k) => `<li>id <b>${id}</b> · bytes <code>${bytes ? hex(bytes[k]) : '…'}</code></li>`)
        .join('');
      // Code points too: a character the fonts have no glyph for is drawn as an empty box.
      this.tip.innerHTML =
        `<p>${head}</p><ul>${rows}</ul><p>text <code>${htmlEscape(visible(text))}</code></p>` +
        `<p>code points <code>${codePointLabels(text)}</code></p>`;
    };
    const known = ids.every((id) => this.byteCache.has(id));
    fill(known ? ids.map((id) => this.byteCache.get(id)) : null);
    this.place(el);
    this.tip.hidden = false;
    el.setAttribute('aria-describedby', this.tip.id);
    if (!known) {
      try {
        const bytes = await this.bytesOf(ids);
        ids.forEach((id, k) => this.byteCache.set(id, bytes[k]));
        if (this.active === el) fill(bytes);
      } catch {
        /* the tooltip keeps "…" */
      }
    }
  }

  place(el) {
    const r = el.getBoundingClientRect();
    const tip = this.tip;
    tip.style.left = '0px';
    tip.style.top = '0px';
    tip.hidden = false;
    const w = tip.offsetWidth;
    const h = tip.offsetHeight;
    const x = Math.max(8, Math.min(window.innerWidth - w - 8, r.left));
    let y = r.bottom + 6;
    if (y + h > window.innerHeight - 8) y = Math.max(8, r.top - h - 6);
    tip.style.left = `${x + window.scrollX}px`;
    tip.style.top = `${y + window.scrollY}px`;
  }

  /** Drops the cached bytes (another generation may number tokens differently). */
  clearCache() {
    this.byteCache.clear();
  }
}
