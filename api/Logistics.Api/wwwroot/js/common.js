import { t, problemText, fieldText } from './i18n.js';

/**
 * A refusal from the API: its RFC 7807 problem document. The message and the field errors are in the reader's
 * language, chosen by their stable codes (the document's code and errorCodes), not by their English sentences.
 */
export class Problem extends Error {
  constructor(status, body) {
    super(problemText(body));
    this.status = status;
    this.body = body || {};
    this.code = body?.code;
    this.errors = Object.fromEntries(Object.entries(body?.errors || {}).map(([field, messages]) =>
      [field, messages.map((message, i) => fieldText(body?.errorCodes?.[field]?.[i], message))]));
  }
}

export class Offline extends Error {
  constructor() { super(t('err.network')); }
}

export async function api(path, { method = 'GET', body, key, idempotencyKey, raw } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw) headers['Content-Type'] = raw.type;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let response;
  try {
    response = await fetch(path, { method, headers, body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Offline();
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) throw new Problem(response.status, json);
  return json;
}

export const esc = value => String(value ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

export const $ = (selector, root = document) => root.querySelector(selector);

/** Shows a message in a live region so screen readers announce it. */
export function notice(element, text, kind = 'ok') {
  element.className = `notice ${kind}`;
  element.textContent = text || '';
}

/**
 * Puts each field error next to its field: an element [data-error-for="recipient.name"] receives the text and the
 * input [name="recipient.name"] is marked invalid and described by it. Returns the first invalid input.
 */
export function showFieldErrors(form, errors) {
  form.querySelectorAll('[data-error-for]').forEach(el => { el.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(el => el.removeAttribute('aria-invalid'));
  let first = null;
  const unplaced = [];
  for (const [field, messages] of Object.entries(errors || {})) {
    const slot = form.querySelector(`[data-error-for="${CSS.escape(field)}"]`);
    if (!slot) { unplaced.push(...messages); continue; }
    slot.textContent = messages.join(' ');
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`) || slot.closest('fieldset')?.querySelector('input,select');
    if (input) {
      input.setAttribute('aria-invalid', 'true');
      first ??= input;
    }
  }
  return { first, unplaced };
}

/**
 * Live updates: server-sent events saying which read models moved on. The page re-fetches what it may see.
 * Reconnection is the browser's; the indicator tells the person whether the page is live.
 */
export function live(onChange, indicator) {
  const mark = on => {
    if (!indicator) return;
    indicator.textContent = on ? `● ${t('live.on')}` : `○ ${t('live.off')}`;
    indicator.dataset.live = on ? 'on' : 'off';
  };
  let polling;
  const open = () => {
    const source = new EventSource('/api/live');
    source.addEventListener('hello', () => {
      mark(true);
      clearInterval(polling);
      polling = undefined;
    });
    source.addEventListener('changed', e => {
      mark(true);
      let kinds = [];
      try { kinds = JSON.parse(e.data).kinds || []; } catch { kinds = []; }
      onChange(kinds);
    });
    source.onerror = () => {
      mark(false);
      if (source.readyState !== EventSource.CLOSED) return;
      // Refused for good (too many feeds open from here, 429) or not a feed: the page refreshes itself every
      // 30 s and tries the feed again each minute.
      polling ??= setInterval(() => onChange(['parcels', 'lockers', 'directory', 'timeline']), 30000);
      setTimeout(open, 60000);
    };
  };
  open();
}

/**
 * Sign-in by API key for one role: the key is kept in localStorage under the role's name and checked against an
 * endpoint the role may call. Resolves with the key once signed in.
 */
export function signIn({ role, check, container, onSignedIn }) {
  const storageKey = `lg.key.${role}`;
  const tryKey = async key => {
    try {
      await api(check, { key });
      localStorage.setItem(storageKey, key);
      container.hidden = true;
      onSignedIn(key);
      return true;
    } catch (e) {
      if (e instanceof Problem && (e.status === 401 || e.status === 403)) localStorage.removeItem(storageKey);
      return e;
    }
  };
  container.innerHTML = `
    <form class="card" novalidate>
      <h2 data-i18n="signin.title"></h2>
      <label for="signin-key" data-i18n="signin.key"></label>
      <input id="signin-key" name="key" type="password" autocomplete="current-password" aria-describedby="signin-help signin-error" required>
      <p id="signin-help" class="muted" data-i18n="signin.help"></p>
      <p id="signin-error" class="field-error" role="alert"></p>
      <button type="submit" data-i18n="signin.go"></button>
    </form>`;
  const form = container.querySelector('form');
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const key = form.key.value.trim();
    const result = await tryKey(key);
    if (result !== true) {
      form.querySelector('#signin-error').textContent = result instanceof Offline ? t('err.network') : t('signin.bad');
      form.key.setAttribute('aria-invalid', 'true');
      form.key.focus();
    }
  });
  const saved = localStorage.getItem(storageKey);
  container.hidden = false;
  if (saved) {
    tryKey(saved).then(ok => { if (ok !== true) container.hidden = false; });
  }
  return () => { localStorage.removeItem(storageKey); location.reload(); };
}

export function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
