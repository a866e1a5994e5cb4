import { t, translate, languageSwitch } from './i18n.js';
import { api, esc, $, notice, live, Problem, Offline, signIn, newId } from './common.js';

// The courier's round: what they carry and what they do with it. Actions made without a connection are kept in
// localStorage with their Idempotency-Key and replayed in order when the connection is back: the server applies
// each once, whatever the number of tries.
let key = null;
let load = { carrying: [], units: 0 };
let lockers = [];
const QUEUE = 'lg.courier.queue';

const queue = () => JSON.parse(localStorage.getItem(QUEUE) || '[]');
const saveQueue = items => { localStorage.setItem(QUEUE, JSON.stringify(items)); showPending(); };
const showPending = () => { const n = queue().length; $('#pending').textContent = n ? t('courier.pending', { n }) : ''; };

// What the page says once an action went through, from the action's kind and the server's answer.
function describe(what, answer) {
  if (what === 'deposit' && answer) return t('courier.compartment', { n: answer.compartment, l: lockerName(answer.lockerId) });
  if (what === 'fail-delivery' && answer) return t('courier.redirected', { l: lockerName(answer.redirectedTo) });
  return t('courier.done');
}

async function act(path, body, what) {
  const action = { id: newId(), path, body, what };
  try {
    const answer = await api(path, { method: 'POST', body, key, idempotencyKey: action.id });
    notice($('#message'), describe(what, answer), 'ok');
    refresh();
    return { sent: true, answer };
  } catch (err) {
    if (err instanceof Offline) {
      saveQueue([...queue(), action]);
      notice($('#message'), t('courier.queued'), 'err');
      return { sent: false };
    }
    notice($('#message'), err.message, 'err');
    throw err;
  }
}

let replaying = false;

async function replay() {
  if (replaying) return;
  replaying = true;
  try {
    let items = queue();
    while (items.length) {
      const [action] = items;
      try {
        const answer = await api(action.path, { method: 'POST', body: action.body, key, idempotencyKey: action.id });
        notice($('#message'), describe(action.what, answer), 'ok');
      } catch (err) {
        if (err instanceof Offline) return;
        // Refused for good (e.g. already done by someone else): say so and drop it, the list shows the truth.
        notice($('#message'), `${action.path}: ${err.message}`, 'err');
      }
      items = queue().slice(1);
      saveQueue(items);
    }
    refresh();
  } finally {
    replaying = false;
  }
}

const lockerName = id => lockers.find(l => l.lockerId === id)?.name || id || '';

function render() {
  $('#units').textContent = `(${t('courier.units', { n: load.units })})`;
  const box = $('#load');
  if (!load.carrying.length) { box.innerHTML = `<p class="muted">${esc(t('courier.empty'))}</p>`; return; }
  box.innerHTML = load.carrying.map(p => {
    const dest = p.destinationKind === 'locker' ? lockerName(p.destinationLocker) : p.destinationKind === 'relay' ? p.destinationShop : t('dest.home');
    const buttons = p.returning
      ? `<button type="button" data-do="return">${esc(t('courier.return'))}</button>`
      : p.destinationKind === 'locker' ? `<button type="button" data-do="deposit">${esc(t('courier.deposit'))}</button>`
        : p.destinationKind === 'relay' ? `<button type="button" data-do="deposit-at-relay">${esc(t('courier.relay'))}</button>`
          : `<button type="button" data-do="deliver">${esc(t('courier.deliver'))}</button> <button type="button" class="danger" data-do="fail-delivery">${esc(t('courier.fail'))}</button>`;
    return `<article class="card" data-parcel="${esc(p.parcelId)}">
      <p><strong>${esc(p.parcelId)}</strong> · ${esc(p.size)} · <span class="status ${esc(p.status)}">${esc(t(`status.${p.status}`))}</span></p>
      <p>${esc(t(`dest.${p.destinationKind}`))}: ${esc(dest)} — ${esc(p.recipientName)}</p>
      <p class="row">${buttons}</p></article>`;
  }).join('');
  box.querySelectorAll('[data-do]').forEach(b => b.addEventListener('click', () => {
    const id = b.closest('[data-parcel]').dataset.parcel;
    const path = `/api/parcels/${encodeURIComponent(id)}/${b.dataset.do}`;
    const what = b.dataset.do;
    let body = {};
    if (what === 'fail-delivery') body = { reason: prompt(t('courier.reason')) || null };
    act(path, body, what).catch(() => {});
  }));
}

async function refresh() {
  try {
    load = await api('/api/couriers/me/load', { key });
    render();
  } catch { /* offline: keep showing what we had */ }
}

$('#pickup').addEventListener('submit', async e => {
  e.preventDefault();
  const input = $('#parcel-id');
  const id = input.value.trim();
  if (!id) { input.focus(); return; }
  try {
    const done = await act(`/api/parcels/${encodeURIComponent(id)}/pickup`, {}, 'pickup');
    $('#pickup-error').textContent = '';
    input.removeAttribute('aria-invalid');
    // Once sent or queued, the field is ready for the next parcel.
    if (done) input.value = '';
  } catch (err) {
    // The typed id stays; the reason goes next to it.
    $('#pickup-error').textContent = err instanceof Problem ? err.message : '';
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
});

$('#shift-start').addEventListener('click', () => act('/api/couriers/me/shift/start', {}, 'shift').catch(() => {}));
$('#shift-end').addEventListener('click', () => act('/api/couriers/me/shift/end', {}, 'shift').catch(() => {}));
window.addEventListener('online', replay);

languageSwitch($('#bar'), render);
const signOut = signIn({
  role: 'courier', check: '/api/couriers/me/load', container: $('#signin'),
  onSignedIn: async k => {
    key = k;
    $('#app').hidden = false;
    try { lockers = await api('/api/lockers', { key }); } catch { lockers = []; }
    showPending();
    await replay();
    await refresh();
    live(kinds => { if (kinds.includes('parcels')) refresh(); replay(); }, $('#live'));
    setInterval(() => { if (queue().length) replay(); }, 10000);
  },
});
$('#signout').addEventListener('click', signOut);
translate();
