import { t, translate, languageSwitch, when } from './i18n.js';
import { api, esc, $, notice, live, Problem, Offline, signIn, newId, projector, located } from './common.js';

// The courier's round: what they carry and what they do with it. Actions made without a connection are kept in
// localStorage with their Idempotency-Key and replayed in order when the connection is back: the server applies
// each once, whatever the number of tries.
let key = null;
let load = { carrying: [], units: 0 };
let lockers = [];
let round = null;
const QUEUE = 'lg.courier.queue';
const SENT = 'lg.courier.stops'; // stops completed here but maybe not yet sent: the next stop moves on at once

const queue = () => JSON.parse(localStorage.getItem(QUEUE) || '[]');
const saveQueue = items => { localStorage.setItem(QUEUE, JSON.stringify(items)); showPending(); };
const showPending = () => { const n = queue().length; $('#pending').textContent = n ? t('courier.pending', { n }) : ''; };

// What the page says once an action went through, from the action's kind and the server's answer.
function describe(what, answer) {
  if (what === 'deposit' && answer) return t('courier.compartment', { n: answer.compartment, l: lockerName(answer.lockerId) });
  if (what === 'stop' && answer) {
    const doors = (answer.results ?? []).filter(r => r.compartment != null);
    return doors.length
      ? [...doors.map(r => t('courier.compartment.parcel', { p: r.parcelId, n: r.compartment })), t('courier.close.doors')].join(' ')
      : t('courier.done');
  }
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
  refreshRound();
  try {
    load = await api('/api/couriers/me/load', { key });
    render();
  } catch { /* offline: keep showing what we had */ }
}

const sentStops = () => new Set(JSON.parse(localStorage.getItem(SENT) || '[]'));
const markSent = id => localStorage.setItem(SENT, JSON.stringify([...sentStops(), id].slice(-200)));
const stopDone = s => s.status !== 'pending' || sentStops().has(s.stopId);
const actionText = a => t(`courier.action.${a}`);

function placeLine(stop) {
  const place = stop.place;
  const where = place.kind === 'home' ? (place.address || place.name) : place.name;
  const window = stop.window ? ` · ${t('courier.window', { from: when(stop.window.from), to: when(stop.window.to) })}` : '';
  const promised = stop.promisedBy ? ` · ${t('courier.promised', { at: when(stop.promisedBy) })}` : '';
  const late = stop.lateMinutes ? ` <strong class="late">${esc(t('courier.late', { n: stop.lateMinutes }))}</strong>` : '';
  return `${esc(where)}<br><small class="muted">${esc(t(`place.${place.kind}`))}${stop.plannedArrival ? ` · ${esc(t('courier.eta', { at: when(stop.plannedArrival) }))}` : ''}${esc(window)}${esc(promised)}</small>${late}`;
}

// The courier's break goes with the stop it follows (or comes before, for the first stop).
const breakLine = stop => stop.break ? `<br><small>☕ ${esc(t('courier.break', { n: stop.break.minutes, at: when(stop.break.from) }))}</small>` : '';

// What the last re-plan changed, worded here in the page's language (the API also sends an English summary).
function changesLine(changes) {
  if (!changes) return '';
  const groups = new Map();
  for (const c of changes.parcels) {
    const key = c.change === 'added'
      ? (c.reason === 'passes-first' ? ['courier.changes.from', c.courierName] : c.reason === 'shift-ended' ? ['courier.changes.shift', c.courierName] : ['courier.changes.added', ''])
      : (c.reason === 'passes-first' ? ['courier.changes.to', c.courierName] : c.reason === 'deferred' ? ['courier.changes.deferred', ''] : ['courier.changes.dropped', '']);
    const id = key.join('|');
    groups.set(id, { key: key[0], who: key[1], n: (groups.get(id)?.n ?? 0) + 1 });
  }
  const parts = [...groups.values()].map(g => t(g.key, { n: g.n, who: g.who ?? '' }));
  return `<p class="notice" id="round-changes">${esc(t('courier.changes', { what: parts.length ? parts.join(', ') : t('courier.changes.order') }))}</p>`;
}

function renderRound() {
  const next = $('#next-stop'), list = $('#stops');
  if (!round) {
    next.innerHTML = `<p class="muted">${esc(t('courier.round.none'))}</p>`;
    list.innerHTML = ''; $('#round-map').innerHTML = '';
    return;
  }
  const pending = round.stops.filter(s => !stopDone(s));
  const current = pending[0];
  if (!current) {
    next.innerHTML = `<p class="notice ok">${esc(t('courier.round.finished'))}</p>`;
  } else {
    const home = current.place.kind === 'home';
    next.innerHTML = `${changesLine(round.changes)}<article class="card next" data-stop="${esc(current.stopId)}" id="current-stop">
      <h3>${esc(t('courier.next'))} ${current.sequence}. ${placeLine(current)}${breakLine(current)}</h3>
      <ul class="parcels">${current.parcels.map(p => `<li data-parcel="${esc(p.parcelId)}" data-action="${esc(p.action)}">
        <strong>${esc(actionText(p.action))}</strong> ${esc(p.parcelId)} · ${esc(p.size)}${p.compartment != null ? ` · ${esc(t('courier.compartment.short', { n: p.compartment }))}` : ''}${p.done ? ' ✓' : ''}
        ${home && !p.done ? ` <button type="button" class="danger" data-fail="${esc(p.parcelId)}">${esc(t('courier.fail'))}</button>` : ''}</li>`).join('')}</ul>
      <p class="row"><button type="button" id="stop-done">${esc(t(current.parcels.some(p => p.action === 'deposit') ? 'courier.stop.open' : 'courier.stop.done'))}</button></p>
    </article>`;
    $('#stop-done').addEventListener('click', async () => {
      const button = $('#stop-done');
      button.disabled = true;
      try {
        const result = await act(`/api/couriers/me/round/stops/${encodeURIComponent(current.stopId)}/complete`, {}, 'stop');
        markSent(current.stopId);
        renderRound();
        if (!result.sent) return;
      } catch { button.disabled = false; }
    });
    next.querySelectorAll('[data-fail]').forEach(b => b.addEventListener('click', async () => {
      const reason = prompt(t('courier.reason'));
      if (!reason) return;
      await act(`/api/couriers/me/round/stops/${encodeURIComponent(current.stopId)}/fail`, { parcelId: b.dataset.fail, reason }, 'fail-delivery').catch(() => {});
    }));
  }
  list.innerHTML = round.stops.map(s => `<li data-stop="${esc(s.stopId)}" data-status="${stopDone(s) ? 'done' : 'pending'}" class="${stopDone(s) ? 'muted' : ''}${s === current ? ' current' : ''}">
    ${placeLine(s)} — ${esc(s.parcels.map(p => `${actionText(p.action)} ${p.parcelId}`).join(', '))}${stopDone(s) ? ' ✓' : ''}${breakLine(s)}</li>`).join('');
  renderRoundMap(current);
}

// The round drawn from coordinates: the path through every stop, stops done in grey, the next one ringed.
function renderRoundMap(current) {
  const stops = round.stops.filter(s => located(s.place));
  if (!stops.length) { $('#round-map').innerHTML = ''; return; }
  const W = 420, H = 300;
  const { project } = projector(stops.map(s => s.place), W, H, 28);
  const points = stops.map(s => project(s.place.latitude, s.place.longitude));
  const marks = stops.map((s, i) => {
    const [x, y] = points[i], done = stopDone(s), isNext = s === current;
    const fill = done ? '#9ca3af' : s.place.kind === 'locker' ? '#0b4f8a' : s.place.kind === 'home' ? '#8a4b00' : '#17602a';
    return `<g data-map-stop="${esc(s.stopId)}">${isNext ? `<circle cx="${x}" cy="${y}" r="15" fill="none" stroke="#b5179e" stroke-width="3"/>` : ''}
      <circle cx="${x}" cy="${y}" r="10" fill="${fill}"/><text x="${x}" y="${y + 4}" font-size="11" fill="#fff" text-anchor="middle">${s.sequence}</text>
      <title>${s.sequence}. ${esc(s.place.name)}</title></g>`;
  }).join('');
  $('#round-map').innerHTML = `<svg class="map" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(t('courier.map', { n: stops.length }))}">
    <polyline points="${points.map(([x, y]) => `${x},${y}`).join(' ')}" fill="none" stroke="#b5179e" stroke-width="2.5" stroke-dasharray="6 4"/>${marks}</svg>`;
}

async function refreshRound() {
  try {
    round = await api('/api/couriers/me/round', { key });
  } catch (err) {
    if (err instanceof Problem && err.status === 404) round = null;
    else return; // offline: keep showing the round we had
  }
  renderRound();
}

// Camera scanning where the browser can read QR codes (BarcodeDetector); otherwise typing or a scanner that types.
async function scan() {
  const video = $('#scan-video');
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream; video.hidden = false; await video.play();
    const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    for (let i = 0; i < 300; i++) {
      const codes = await detector.detect(video);
      if (codes.length) { $('#parcel-id').value = parcelIdFrom(codes[0].rawValue); $('#pickup').requestSubmit(); break; }
      await new Promise(r => setTimeout(r, 100));
    }
  } catch (err) {
    $('#pickup-error').textContent = err.message;
  } finally {
    stream?.getTracks().forEach(track => track.stop());
    video.hidden = true;
  }
}
if ('BarcodeDetector' in window && navigator.mediaDevices?.getUserMedia) {
  $('#scan-slot').hidden = false;
  $('#scan').addEventListener('click', scan);
}


// The label's QR holds the tracking link with the parcel number after '#p='; a scanner that types, the camera,
// or a person typing the number all end up here.
function parcelIdFrom(text) {
  const value = text.trim();
  const match = /#p=([^&\s]+)/.exec(value);
  return match ? decodeURIComponent(match[1]) : value;
}

$('#pickup').addEventListener('submit', async e => {
  e.preventDefault();
  const input = $('#parcel-id');
  const id = parcelIdFrom(input.value);
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

languageSwitch($('#bar'), () => { render(); renderRound(); });
const signOut = signIn({
  role: 'courier', check: '/api/couriers/me/load', container: $('#signin'),
  onSignedIn: async k => {
    key = k;
    $('#app').hidden = false;
    try { lockers = await api('/api/lockers', { key }); } catch { lockers = []; }
    showPending();
    await replay();
    await refresh();
    live(kinds => { if (kinds.some(k => k === 'parcels' || k.includes('round'))) refresh(); replay(); }, $('#live'));
    setInterval(() => { if (queue().length) replay(); }, 10000);
  },
});
$('#signout').addEventListener('click', signOut);
translate();
