// The search box: type part of a server's name, pick one of the first matches. A <select>
// or <datalist> of 10,000 options costs the browser 10,000 elements and the reader a
// scroll; here at most MAX_MATCHES list items exist, rebuilt as you type.
//
// Keyboard: arrows move through the matches, Enter opens one, Escape closes the list
// (the ARIA combobox pattern: the input keeps focus, aria-activedescendant follows).
//
// Lesson: lessons/15-the-dashboard-page.md ("Designing a live page for a fleet").

export const MAX_MATCHES = 10;

/** The first `limit` ids that contain the text (case-insensitive); prefix matches first. */
export function matchServers(ids, text, limit) {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const prefix = [];
  const inside = [];
  for (const id of ids) {
    const at = id.toLowerCase().indexOf(needle);
    if (at === 0) prefix.push(id);
    else if (at > 0 && inside.length < limit) inside.push(id);
    if (prefix.length >= limit) break;
  }
  return prefix.concat(inside).slice(0, limit);
}

export class ServerSearch {
  /** @param serverIds () => ids in display order; @param onOpen (serverId) => void */
  constructor({ input, list, serverIds, onOpen }) {
    Object.assign(this, { input, list, serverIds, onOpen });
    this.matches = [];
    this.active = -1;
    input.addEventListener('input', () => this.update());
    input.addEventListener('focus', () => this.update());
    input.addEventListener('keydown', (event) => this.key(event));
    input.addEventListener('blur', () => setTimeout(() => this.close(), 150));  // let a click land
    list.addEventListener('mousedown', (event) => event.preventDefault());  // keep the focus
    list.addEventListener('click', (event) => {
      const item = event.target.closest('li[data-server]');
      if (item) this.pick(item.dataset.server);
    });
  }

  update() {
    this.matches = matchServers(this.serverIds(), this.input.value, MAX_MATCHES);
    this.active = this.matches.length > 0 ? 0 : -1;
    this.render();
  }

  render() {
    this.list.replaceChildren(...this.matches.map((serverId, k) => {
      const item = document.createElement('li');
      item.id = `search-match-${k}`;
      item.setAttribute('role', 'option');
      item.setAttribute('aria-selected', String(k === this.active));
      item.dataset.server = serverId;
      item.textContent = serverId;  // ids come from producers: text, never HTML
      return item;
    }));
    const open = this.matches.length > 0;
    this.list.hidden = !open;
    this.input.setAttribute('aria-expanded', String(open));
    if (this.active >= 0) this.input.setAttribute('aria-activedescendant', `search-match-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  key(event) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (this.matches.length === 0) return;
      const step = event.key === 'ArrowDown' ? 1 : -1;
      this.active = (this.active + step + this.matches.length) % this.matches.length;
      this.render();
      event.preventDefault();
    } else if (event.key === 'Enter') {
      if (this.active >= 0) this.pick(this.matches[this.active]);
      event.preventDefault();
    } else if (event.key === 'Escape') {
      this.close();
    }
  }

  pick(serverId) {
    this.input.value = '';
    this.close();
    this.onOpen(serverId);
  }

  close() {
    this.matches = [];
    this.active = -1;
    this.render();
  }
}
