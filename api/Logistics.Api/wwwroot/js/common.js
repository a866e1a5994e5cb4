import { t, translate, problemText, fieldText } from './i18n.js';

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

// The page's antiforgery token, sent with every change; the session itself is the HttpOnly cookie the browser holds.
let antiforgery = null;
let signedIn = false;

/**
 * Calls the API with the person's session cookie (never an API key: those are for machines) and, on a change, the
 * antiforgery token. A signed-in page whose session ended (signed out elsewhere, account disabled) returns to sign-in.
 */
export async function api(path, { method = 'GET', body, idempotencyKey, raw } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  // A form (FormData) sets its own type, with its boundary.
  if (raw?.type) headers['Content-Type'] = raw.type;
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  if (method !== 'GET' && antiforgery) headers[antiforgery.headerName] = antiforgery.token;
  let response;
  try {
    response = await fetch(path, { method, headers, credentials: 'same-origin', body: raw ? raw.body : body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Offline();
  }
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (response.status === 401 && signedIn) {
    signedIn = false;
    location.reload();
  }
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

// Passkeys (WebAuthn): the API speaks JSON with base64url bytes, the browser ArrayBuffers.
const fromB64url = text => Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(text.length / 4) * 4, '=')), c => c.charCodeAt(0)).buffer;
const toB64url = buffer => btoa(String.fromCharCode(...new Uint8Array(buffer))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const credentialJson = (credential, response) => ({
  id: credential.id,
  rawId: toB64url(credential.rawId),
  type: credential.type,
  response,
  clientExtensionResults: credential.getClientExtensionResults?.() || {},
});

/** Whether this browser can use passkeys at all. */
export const passkeysSupported = () => typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;

/** Signs in with a passkey the browser or phone offers for this site; returns the session. */
async function passkeySignIn() {
  const options = await api('/api/session/passkey/options', { method: 'POST', body: {} });
  const credential = await navigator.credentials.get({
    publicKey: {
      ...options,
      challenge: fromB64url(options.challenge),
      allowCredentials: (options.allowCredentials || []).map(c => ({ ...c, id: fromB64url(c.id) })),
    },
  });
  if (!credential) throw new Error('cancelled');
  const r = credential.response;
  return api('/api/session/passkey', {
    method: 'POST',
    body: credentialJson(credential, {
      authenticatorData: toB64url(r.authenticatorData),
      clientDataJSON: toB64url(r.clientDataJSON),
      signature: toB64url(r.signature),
      userHandle: r.userHandle ? toB64url(r.userHandle) : null,
    }),
  });
}

/** Adds a passkey to the signed-in person's account (the browser asks them to create one). */
export async function addPasskey() {
  const options = await api('/api/session/passkey/register/options', { method: 'POST', body: {} });
  const credential = await navigator.credentials.create({
    publicKey: {
      ...options,
      challenge: fromB64url(options.challenge),
      user: { ...options.user, id: fromB64url(options.user.id) },
      excludeCredentials: (options.excludeCredentials || []).map(c => ({ ...c, id: fromB64url(c.id) })),
    },
  });
  if (!credential) throw new Error('cancelled');
  const r = credential.response;
  return api('/api/session/passkey/register', {
    method: 'POST',
    body: {
      credential: credentialJson(credential, {
        attestationObject: toB64url(r.attestationObject),
        clientDataJSON: toB64url(r.clientDataJSON),
        transports: r.getTransports?.() || [],
      }),
      label: navigator.platform || null,
    },
  });
}

/**
 * Beside the page's sign-out button: "Add a passkey", and a status line saying how it went. Only where the browser
 * has passkeys.
 */
function offerPasskey() {
  const signOut = document.getElementById('signout');
  if (!signOut || !passkeysSupported() || document.getElementById('passkey-add')) return;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'link';
  button.id = 'passkey-add';
  button.dataset.i18n = 'passkey.add';
  button.textContent = t('passkey.add');
  const status = document.createElement('span');
  status.id = 'passkey-status';
  status.setAttribute('role', 'status');
  signOut.before(button);
  signOut.after(status);
  button.addEventListener('click', async () => {
    status.textContent = '';
    try {
      await addPasskey();
      status.textContent = t('passkey.added');
    } catch (e) {
      status.textContent = e instanceof Problem || e instanceof Offline ? e.message
        : e?.name === 'InvalidStateError' ? t('passkey.already') : t('passkey.notAdded');
    }
  });
}

/**
 * Sign-in of a person for one role's page: e-mail and password, or a link e-mailed to them (the fallback); an
 * e-mailed invitation lands here too, to choose a first password. The session is an HttpOnly cookie: nothing is
 * kept in localStorage. Calls onSignedIn with the session ({ accountId, role, subjectId }) once signed in as the
 * page's role; returns the sign-out function.
 */
export function signIn({ role, container, onSignedIn }) {
  const enter = async session => {
    antiforgery = await api('/api/session/antiforgery');
    signedIn = true;
    container.hidden = true;
    offerPasskey();
    await onSignedIn(session);
  };
  const form = (html, onSubmit) => {
    container.innerHTML = html;
    translate(container);
    container.hidden = false;
    const f = container.querySelector('form');
    f.addEventListener('submit', async e => { e.preventDefault(); await onSubmit(f); });
    return f;
  };
  const failed = (f, error, input) => {
    f.querySelector('#signin-error').textContent = error instanceof Problem && error.body?.code ? error.message
      : error instanceof Offline ? t('err.network') : t('signin.bad');
    if (input) { input.setAttribute('aria-invalid', 'true'); input.focus(); }
  };
  const showSignIn = message => {
    const f = form(`
      <form class="card" novalidate>
        <h2 data-i18n="signin.title"></h2>
        <label for="signin-email" data-i18n="signin.email"></label>
        <input id="signin-email" name="email" type="email" autocomplete="username" required aria-describedby="signin-error">
        <label for="signin-password" data-i18n="signin.password"></label>
        <input id="signin-password" name="password" type="password" autocomplete="current-password" aria-describedby="signin-error">
        <p id="signin-error" class="field-error" role="alert"></p>
        <button type="submit" data-i18n="signin.go"></button>
        <p class="row"><button type="button" class="link" id="signin-send-link" data-i18n="signin.sendLink"></button></p>
        ${passkeysSupported() ? '<p class="row"><button type="button" class="secondary" id="signin-passkey" data-i18n="signin.passkey"></button></p>' : ''}
        <p id="signin-sent" role="status"></p>
      </form>`, async f => {
      try {
        const session = await api('/api/session', { method: 'POST', body: { email: f.email.value.trim(), password: f.password.value } });
        if (session.role !== role) throw new Error('role');
        await enter(session);
      } catch (e) {
        failed(f, e, f.password);
      }
    });
    if (message) f.querySelector('#signin-error').textContent = message;
    f.querySelector('#signin-passkey')?.addEventListener('click', async () => {
      f.querySelector('#signin-error').textContent = '';
      try {
        const session = await passkeySignIn();
        if (session.role !== role) throw new Error('role');
        await enter(session);
      } catch (e) {
        f.querySelector('#signin-error').textContent = e instanceof Problem || e instanceof Offline ? e.message
          : e?.message === 'role' ? t('signin.otherRole') : t('signin.passkeyFailed');
      }
    });
    f.querySelector('#signin-send-link').addEventListener('click', async () => {
      if (!f.email.value.trim()) { f.email.setAttribute('aria-invalid', 'true'); f.email.focus(); return; }
      try {
        await api('/api/session/link', { method: 'POST', body: { email: f.email.value.trim() } });
        f.querySelector('#signin-sent').textContent = t('signin.linkSent');
      } catch (e) {
        failed(f, e);
      }
    });
  };
  const showInvitation = token => {
    form(`
      <form class="card" novalidate>
        <h2 data-i18n="signin.invited"></h2>
        <label for="invite-password" data-i18n="signin.newPassword"></label>
        <input id="invite-password" name="password" type="password" autocomplete="new-password" minlength="10" required aria-describedby="invite-help signin-error">
        <p id="invite-help" class="muted" data-i18n="signin.newPasswordHelp"></p>
        <p id="signin-error" class="field-error" role="alert"></p>
        <button type="submit" data-i18n="signin.setPassword"></button>
      </form>`, async f => {
      try {
        const session = await api('/api/session/invitation', { method: 'POST', body: { token, password: f.password.value } });
        await enter(session);
      } catch (e) {
        if (e instanceof Problem && e.errors.password) { failed(f, new Problem(422, { code: 'x', detail: e.errors.password.join(' ') }), f.password); return; }
        failed(f, e, f.password);
      }
    });
  };
  const start = async () => {
    // A link's token travels in the fragment (never sent to a server); it is taken off the address at once.
    const fragment = new URLSearchParams(location.hash.slice(1));
    if (fragment.has('link') || fragment.has('invitation')) history.replaceState(null, '', location.pathname + location.search);
    if (fragment.has('invitation')) { showInvitation(fragment.get('invitation')); return; }
    let message = '';
    if (fragment.has('link')) {
      try {
        await api('/api/session/link/redeem', { method: 'POST', body: { token: fragment.get('link') } });
      } catch (e) {
        message = e instanceof Problem ? e.message : t('err.network');
      }
    }
    try {
      const session = await api('/api/session');
      if (session.role === role) { await enter(session); return; }
      message ||= t('signin.otherRole');
    } catch { /* not signed in */ }
    showSignIn(message);
  };
  start();
  return async () => {
    signedIn = false;
    try { await api('/api/session', { method: 'DELETE' }); } catch { /* signed out anyway below */ }
    antiforgery = null;
    location.reload();
  };
}

export function newId() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}
