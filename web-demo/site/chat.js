// The chat editor: a list of messages (role + content) that can be added, edited, moved and
// deleted with the mouse or the keyboard. It owns the DOM of the list; the page owns the
// messages array and is told of every change through `onChange`.
import { int } from './format.js';

export const ROLES = ['system', 'user', 'assistant', 'tool'];

/**
 * Reads an assistant message's optional tool calls (`toolCallsText`, a JSON array in the
 * OpenAI shape) into `tool_calls`; returns an error text, or '' when fine or empty.
 */
export function parseToolCalls(msg) {
  delete msg.tool_calls;
  const raw = (msg.toolCallsText ?? '').trim();
  if (!raw || msg.role !== 'assistant') return '';
  try {
    const calls = JSON.parse(raw);
    if (!Array.isArray(calls)) return 'Tool calls are not counted: expected a JSON array.';
    msg.tool_calls = calls;
    return '';
  } catch (e) {
    return `Tool calls are not counted: ${e.message}`;
  }
}

export class ChatEditor {
  /**
   * @param {HTMLOListElement} list
   * @param {{role: string, content: string}[]} messages edited in place
   * @param {() => void} onChange
   */
  constructor(list, messages, onChange) {
    this.list = list;
    this.messages = messages;
    this.onChange = onChange;
    this.counts = [];
    list.addEventListener('input', (e) => {
      const li = e.target.closest('li');
      if (!li) return;
      const msg = this.messages[Number(li.dataset.i)];
      if (e.target.matches('textarea.content')) msg.content = e.target.value;
      if (e.target.matches('textarea.calls')) {
        msg.toolCallsText = e.target.value;
        li.querySelector('.calls-error').textContent = parseToolCalls(msg);
      }
      this.onChange();
    });
    list.addEventListener('change', (e) => {
      const li = e.target.closest('li');
      if (!li || !e.target.matches('input[type="radio"]')) return;
      this.messages[Number(li.dataset.i)].role = e.target.value;
      this.draw(); // tool calls belong to assistant messages
      // The redrawn radio of the same message and role keeps the focus (arrow keys go on).
      this.list.querySelector(`#${e.target.id}`)?.focus();
      this.onChange();
    });
    list.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-act]');
      if (!button) return;
      const i = Number(button.closest('li').dataset.i);
      this.act(button.dataset.act, i);
    });
  }

  /** Replaces the messages (for example from a shared link) and redraws. */
  set(messages) {
    this.messages.splice(0, this.messages.length, ...messages);
    this.draw();
  }

  add(role, content = '') {
    this.messages.push({ role, content });
    this.draw();
    this.list.querySelector(`li[data-i="${this.messages.length - 1}"] textarea`)?.focus();
    this.onChange();
  }

  act(action, i) {
    const m = this.messages;
    let focus = null;
    if (action === 'up' && i > 0) {
      [m[i - 1], m[i]] = [m[i], m[i - 1]];
      focus = [i - 1, i - 1 === 0 ? 'down' : 'up'];
    } else if (action === 'down' && i < m.length - 1) {
      [m[i + 1], m[i]] = [m[i], m[i + 1]];
      focus = [i + 1, i + 1 === m.length - 1 ? 'up' : 'down'];
    } else if (action === 'delete') {
      m.splice(i, 1);
      focus = m.length ? [Math.min(i, m.length - 1), 'delete'] : null;
    } else {
      return;
    }
    this.draw();
    if (focus) {
      this.list.querySelector(`li[data-i="${focus[0]}"] button[data-act="${focus[1]}"]`)?.focus();
    } else {
      document.getElementById('add-message')?.focus();
    }
    this.onChange();
  }

  /** Shows the token count of each message's content. */
  setCounts(counts) {
    this.counts = counts ?? [];
    this.list.querySelectorAll('li').forEach((li) => {
      const n = this.counts[Number(li.dataset.i)];
      li.querySelector('.msg-count').textContent = n === undefined ? '' : `${int(n)} tokens`;
    });
  }

  draw() {
    const list = this.list;
    list.textContent = '';
    const last = this.messages.length - 1;
    this.messages.forEach((msg, i) => {
      const n = i + 1;
      const li = document.createElement('li');
      li.className = `msg role-${ROLES.includes(msg.role) ? msg.role : 'other'}`;
      li.dataset.i = String(i);

      const head = document.createElement('div');
      head.className = 'msg-head';
      // The role as a group of radios, not a drop-down <select>: a drop-down makes Chromium
      // lay the prompt out once more per pasted line (see the model list in index.html).
      const roles = document.createElement('fieldset');
      roles.className = 'roles';
      const legend = document.createElement('legend');
      legend.className = 'visually-hidden';
      legend.textContent = `Message ${n} role`;
      roles.append(legend);
      for (const r of ROLES) {
        const label = document.createElement('label');
        const radio = document.createElement('input');
        radio.type = 'radio';
        radio.name = `msg-role-${i}`;
        radio.id = `msg-role-${i}-${r}`;
        radio.value = r;
        radio.checked = msg.role === r;
        const text = document.createElement('span');
        text.textContent = r;
        label.append(radio, text);
        roles.append(label);
      }
      const count = document.createElement('span');
      count.className = 'msg-count hint';
      count.textContent = this.counts[i] === undefined ? '' : `${int(this.counts[i])} tokens`;
      const tools = document.createElement('span');
      tools.className = 'msg-tools';
      for (const [act, text, disabled] of [
        ['up', 'Move up', i === 0],
        ['down', 'Move down', i === last],
        ['delete', 'Delete', false],
      ]) {
        const b = document.createElement('button');
        b.type = 'button';
        b.dataset.act = act;
        b.textContent = text;
        b.setAttribute('aria-label', `${text} message ${n}`);
        b.disabled = disabled;
        tools.append(b);
      }
      head.append(roles, count, tools);

      const textId = `msg-text-${i}`;
      const tlabel = document.createElement('label');
      tlabel.htmlFor = textId;
      tlabel.className = 'visually-hidden';
      tlabel.textContent = `Message ${n} content`;
      const ta = document.createElement('textarea');
      ta.id = textId;
      ta.className = 'content';
      ta.rows = 3;
      ta.spellcheck = false;
      ta.value = msg.content;
      li.append(head, tlabel, ta);
      if (msg.role === 'assistant') {
        // Assistant turns may call tools; the tool messages after them answer the calls.
        const callsId = `msg-calls-${i}`;
        const clabel = document.createElement('label');
        clabel.htmlFor = callsId;
        clabel.className = 'calls-label hint';
        clabel.textContent = `Message ${n} tool calls (optional JSON array, e.g. [{"type": "function", "function": {"name": "f", "arguments": {}}}])`;
        const calls = document.createElement('textarea');
        calls.id = callsId;
        calls.className = 'calls';
        calls.rows = 2;
        calls.spellcheck = false;
        calls.value = msg.toolCallsText ?? '';
        const err = document.createElement('p');
        err.className = 'calls-error error';
        err.setAttribute('aria-live', 'polite');
        err.textContent = parseToolCalls(msg);
        li.append(clabel, calls, err);
      } else {
        parseToolCalls(msg);
      }
      list.append(li);
    });
  }
}
