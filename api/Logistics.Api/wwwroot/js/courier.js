import { t, translate, languageSwitch, when } from './i18n.js';
import { api, esc, $, notice, live, Problem, Offline, signIn, newId } from './common.js';
import { placeMap, located } from './map.js';
import { get, set, del } from '/vendor/idb-keyval/index.js';
import { askProof } from './proof-capture.js';

// The courier's round: what they carry and what they do with it. Actions made without a connection are kept in
// localStorage with their Idempotency-Key and replayed in order when the connection is back: the server applies
// each once, whatever the number of tries. The body of an action with a proof of delivery (a photo, a signature) is
// too large for localStorage: it waits in IndexedDB under the action's id.
let load = { carrying: [], units: 0 };
let lockers = [];
let round = null;
const QUEUE = 'lg.courier.queue';
const SENT = 'lg.courier.stops'; // stops completed here but maybe not yet sent: the next stop moves on at once

const queue = () => JSON.parse(localStorage.getItem(QUEUE) || '[]');
const saveQueue = items => { localStorage.setItem(QUEUE, JSON.stringify(items)); showPending(); };
// Queued actions are listed by what the courier reads (the action and the tracking number), and marked on the round.
function showPending() {
  const items = queue();
  const box = $('#pending');
  box.innerHTML = items.length
    ? `${esc(t('courier.pending', { n: items.length }))}<ul class="queued">${items.map(a => `<li data-queued="${esc(a.id)}">${esc(a.label || t('courier.done'))}</li>`).join('')}</ul>`
    : '';
}
const bodyKey = id => `lg.courier.body.${id}`;
const queuedFor = trackingId => Boolean(trackingId) && queue().some(a => a.trackingId === trackingId);

// What the page says once an action went through, from the action's kind and the server's answer.
function describe(what, answer) {
  if (what === 'deposit' && answer) return t('courier.compartment', { n: answer.compartment, l: lockerName(answer.lockerId) });
  if (what === 'stop' && answer) {
    const doors = (answer.results ?? []).filter(r => r.compartment != null);
    return doors.length
      ? [...doors.map(r => t('courier.compartment.parcel', { p: trackingOf(r.parcelId), n: r.compartment })), t('courier.close.doors')].join(' ')
      : t('courier.done');
  }
  if (what === 'fail-delivery' && answer) return t('courier.redirected', { l: lockerName(answer.redirectedTo) });
  return t('courier.done');
}

// label and trackingId say what the action is about in the queue's list (never an internal id).
async function act(path, body, what, about = {}) {
  const action = { id: newId(), path, body, what, label: about.label, trackingId: about.trackingId };
  try {
    const answer = await api(path, { method: 'POST', body, idempotencyKey: action.id });
    notice($('#message'), describe(what, answer), 'ok');
    refresh();
    return { sent: true, answer };
  } catch (err) {
    if (err instanceof Offline) {
      if (body?.proof) { await set(bodyKey(action.id), body); action.body = null; action.stored = true; }
      saveQueue([...queue(), action]);
      notice($('#message'), t('courier.queued'), 'err');
      renderRound(); render();
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
        const body = action.stored ? await get(bodyKey(action.id)) : action.body;
        const answer = await api(action.path, { method: 'POST', body, idempotencyKey: action.id });
        notice($('#message'), describe(action.what, answer), 'ok');
      } catch (err) {
        if (err instanceof Offline) return;
        // Refused for good (e.g. already done by someone else): say so and drop it, the list shows the truth.
        notice($('#message'), `${action.label || action.what}: ${err.message}`, 'err');
      }
      if (action.stored) await del(bodyKey(action.id));
      items = queue().slice(1);
      saveQueue(items);
    }
    refresh();
  } finally {
    replaying = false;
  }
}

const lockerName = id => lockers.find(l => l.lockerId === id)?.name || '';

function render() {
  $('#units').textContent = `(${t('courier.units', { n: load.units })})`;
  const box = $('#load');
  if (!load.carrying.length) { box.innerHTML = `<p class="muted">${esc(t('courier.empty'))}</p>`; return; }
  box.innerHTML = load.carrying.map(p => {
    const dest = p.destinationKind === 'home' ? t('dest.home') : p.destinationName || '';
    const buttons = p.returning
      ? `<button type="button" data-do="return">${esc(t('courier.return'))}</button>`
      : p.destinationKind === 'locker' ? `<button type="button" data-do="deposit">${esc(t('courier.deposit'))}</button>`
        : p.destinationKind === 'relay' ? `<button type="button" data-do="deposit-at-relay">${esc(t('courier.relay'))}</button>`
          : `<button type="button" data-do="deliver">${esc(t('courier.deliver'))}</button> <button type="button" class="danger" data-do="fail-delivery">${esc(t('courier.fail'))}</button>`;
    return `<article class="card" data-parcel="${esc(p.parcelId)}" data-tracking="${esc(p.trackingId)}">
      <p><strong>${esc(p.trackingId)}</strong> · ${esc(p.shopName ?? '')} · ${esc(p.size)} · <span class="status ${esc(p.status)}">${esc(t(`status.${p.status}`))}</span>${queuedFor(p.trackingId) ? ` <span class="queued-mark">${esc(t('courier.queued.short'))}</span>` : ''}</p>
      <p>${esc(t(`dest.${p.destinationKind}`))}: ${esc(dest)} — ${esc(p.recipientFirstName ?? '')}</p>
      <p class="row">${buttons}</p></article>`;
  }).join('');
  box.querySelectorAll('[data-do]').forEach(b => b.addEventListener('click', async () => {
    const card = b.closest('[data-parcel]');
    const path = `/api/parcels/${encodeURIComponent(card.dataset.parcel)}/${b.dataset.do}`;
    const what = b.dataset.do;
    let body = {};
    // At a home, the proof first: a photo, or the name and signature of who took it; a failure, its photo and reason.
    if (what === 'deliver' || what === 'fail-delivery') {
      body = await askProof(what === 'deliver' ? 'deliver' : 'fail', card.dataset.tracking);
      if (!body) return;
    }
    act(path, body, what, { trackingId: card.dataset.tracking, label: `${b.textContent} ${card.dataset.tracking}` }).catch(() => {});
  }));
}

async function refresh() {
  refreshRound();
  try {
    load = await api('/api/couriers/me/load');
    render();
  } catch { /* offline: keep showing what we had */ }
}

const sentStops = () => new Set(JSON.parse(localStorage.getItem(SENT) || '[]'));
const markSent = id => localStorage.setItem(SENT, JSON.stringify([...sentStops(), id].slice(-200)));
const stopDone = s => s.status !== 'pending' || sentStops().has(s.stopId);
const actionText = a => t(`courier.action.${a}`);
const roundParcels = () => (round?.stops ?? []).flatMap(s => s.parcels.map(p => ({ ...p, stop: s })));
// What people read for a parcel: its tracking number ('…' until the read model has it).
const trackingOf = parcelId => roundParcels().find(p => p.parcelId === parcelId)?.trackingId
  || load.carrying.find(p => p.parcelId === parcelId)?.trackingId || '…';
const parcelLine = p => [p.trackingId || '…', p.shopName, p.recipientFirstName].filter(Boolean).join(' · ');

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
    list.innerHTML = ''; $('#round-map').hidden = true;
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
      <ul class="parcels">${current.parcels.map(p => `<li data-parcel="${esc(p.parcelId)}" data-tracking="${esc(p.trackingId ?? '')}" data-action="${esc(p.action)}">
        <strong>${esc(actionText(p.action))}</strong> ${esc(parcelLine(p))} · ${esc(p.size)}${queuedFor(p.trackingId) ? ` <span class="queued-mark">${esc(t('courier.queued.short'))}</span>` : ''}${p.compartment != null ? ` · ${esc(t('courier.compartment.short', { n: p.compartment }))}` : ''}${p.done ? ' ✓' : ''}
        ${home && !p.done ? ` <button type="button" class="danger" data-fail="${esc(p.parcelId)}">${esc(t('courier.fail'))}</button>` : ''}</li>`).join('')}</ul>
      <p class="row"><button type="button" id="stop-done">${esc(t(current.parcels.some(p => p.action === 'deposit') ? 'courier.stop.open' : 'courier.stop.done'))}</button></p>
    </article>`;
    $('#stop-done').addEventListener('click', async () => {
      const button = $('#stop-done');
      let body = {};
      if (home && current.parcels.some(p => p.action === 'deliver' && !p.done)) {
        body = await askProof('deliver', current.parcels.map(p => p.trackingId).filter(Boolean).join(', '));
        if (!body) return;
      }
      button.disabled = true;
      try {
        const result = await act(`/api/couriers/me/round/stops/${encodeURIComponent(current.stopId)}/complete`, body, 'stop', { label: `${current.sequence}. ${current.place.name}` });
        markSent(current.stopId);
        renderRound();
        if (!result.sent) return;
      } catch { button.disabled = false; }
    });
    next.querySelectorAll('[data-fail]').forEach(b => b.addEventListener('click', async () => {
      const tracking = trackingOf(b.dataset.fail);
      const failure = await askProof('fail', tracking);
      if (!failure) return;
      await act(`/api/couriers/me/round/stops/${encodeURIComponent(current.stopId)}/fail`, { parcelId: b.dataset.fail, ...failure }, 'fail-delivery', { trackingId: tracking, label: `${t('courier.fail')} ${tracking}` }).catch(() => {});
    }));
  }
  list.innerHTML = round.stops.map(s => `<li data-stop="${esc(s.stopId)}" data-status="${stopDone(s) ? 'done' : 'pending'}" class="${stopDone(s) ? 'muted' : ''}${s === current ? ' current' : ''}">
    ${placeLine(s)} — ${esc(s.parcels.map(p => `${actionText(p.action)} ${parcelLine(p)}`).join(', '))}${stopDone(s) ? ' ✓' : ''}${breakLine(s)}</li>`).join('');
  renderRoundMap(current);
}

// The round on a map: the path through every stop in order, stops done in grey, the next one ringed.
async function renderRoundMap(current) {
  const stops = round.stops.filter(s => located(s.place));
  $('#round-map').hidden = !stops.length;
  if (!stops.length) return;
  const { draw } = await placeMap($('#round-map'));
  draw({
    label: t('courier.map', { n: stops.length }),
    paths: [{ colour: '#b5179e', points: stops.map(s => [s.place.latitude, s.place.longitude]) }],
    marks: stops.map(s => ({
      latitude: s.place.latitude, longitude: s.place.longitude, text: s.sequence, id: s.stopId, ring: s === current,
      kind: `stop ${stopDone(s) ? 'done' : s.place.kind}`, label: `${s.sequence}. ${s.place.name}${stopDone(s) ? ' ✓' : ''}`,
    })),
  });
}

async function refreshRound() {
  try {
    round = await api('/api/couriers/me/round');
  } catch (err) {
    if (err instanceof Problem && err.status === 404) round = null;
    else return; // offline: keep showing the round we had
  }
  renderRound();
}

// The label's QR holds the tracking number (the shop's on-screen label, the tracking link ending in it); a camera, a
// scanner that types, or a person typing the number all end up here.
function trackingFrom(text) {
  const value = text.trim();
  const link = /\/track\/([^/?#\s]+)/.exec(value);
  return (link ? decodeURIComponent(link[1]) : value).toUpperCase();
}

const PATHS = { pickup: 'pickup', deposit: 'deposit', depositAtRelay: 'deposit-at-relay', deliver: 'deliver', return: 'return' };

// A parcel the courier has to do something with, found by its tracking number: first in the round (what is still
// to do), then in what they carry. Null when it is neither.
function findParcel(trackingId) {
  const carried = load.carrying.find(p => p.trackingId === trackingId);
  // A parcel already carried is picked up, whatever the round's read model says yet.
  const planned = roundParcels().find(p => p.trackingId === trackingId && !p.done && !stopDone(p.stop) && !(carried && p.action === 'pickup'));
  if (planned) {
    const body = planned.action === 'deposit' && planned.stop.place.kind === 'locker' && planned.stop.place.id ? { lockerId: planned.stop.place.id } : {};
    return { parcelId: planned.parcelId, trackingId, action: planned.action, body, line: parcelLine(planned), stop: planned.stop };
  }
  if (carried) {
    const action = carried.returning ? 'return' : carried.destinationKind === 'locker' ? 'deposit' : carried.destinationKind === 'relay' ? 'depositAtRelay' : 'deliver';
    return { parcelId: carried.parcelId, trackingId, action, body: {}, line: [trackingId, carried.shopName, carried.recipientFirstName].filter(Boolean).join(' · ') };
  }
  return null;
}

// Selects the parcel a scan or the field named: marks it in the round and offers its action in one button; a number
// the round does not hold says so, and a pickup at a counter outside the round stays possible.
function select(trackingId) {
  const box = $('#scanned'), error = $('#pickup-error'), input = $('#parcel-id');
  document.querySelectorAll('[data-tracking].selected').forEach(el => el.classList.remove('selected'));
  const found = findParcel(trackingId);
  if (found) {
    error.textContent = ''; input.removeAttribute('aria-invalid');
    document.querySelectorAll(`[data-tracking="${CSS.escape(trackingId)}"]`).forEach(el => el.classList.add('selected'));
    box.innerHTML = `<p><strong>${esc(actionText(found.action))}</strong> ${esc(found.line)}${found.stop ? ` <small class="muted">(${esc(t('courier.scan.at-stop', { n: found.stop.sequence, place: found.stop.place.name }))})</small>` : ''}</p>
      <p class="row"><button type="button" data-scan-do="${esc(found.action)}">${esc(actionText(found.action))} ${esc(trackingId)}</button></p>`;
  } else {
    error.textContent = t('courier.scan.not-in-round', { p: trackingId }); input.setAttribute('aria-invalid', 'true');
    box.innerHTML = `<p class="row"><button type="button" class="secondary" data-scan-do="pickup-anyway">${esc(t('courier.scan.pickup-anyway', { p: trackingId }))}</button></p>`;
  }
  box.hidden = false;
  const button = box.querySelector('[data-scan-do]');
  // Already done here and waiting for the network: not twice.
  if (queuedFor(trackingId)) { button.disabled = true; button.insertAdjacentHTML('afterend', ` <span class="queued-mark">${esc(t('courier.queued.short'))}</span>`); return; }
  button.addEventListener('click', async () => {
    let body = found?.body ?? {};
    if (found?.action === 'deliver') {
      const proof = await askProof('deliver', trackingId);
      if (!proof) return;
      body = { ...body, ...proof };
    }
    button.disabled = true;
    const path = found ? `/api/parcels/${encodeURIComponent(found.parcelId)}/${PATHS[found.action]}` : `/api/parcels/tracking/${encodeURIComponent(trackingId)}/pickup`;
    const label = `${actionText(found?.action ?? 'pickup')} ${trackingId}`;
    try {
      await act(path, body, found?.action === 'depositAtRelay' ? 'deposit-at-relay' : found?.action ?? 'pickup', { trackingId, label });
      // Sent or queued: the field is ready for the next parcel.
      box.hidden = true; box.innerHTML = ''; input.value = ''; error.textContent = ''; input.removeAttribute('aria-invalid');
    } catch (err) {
      error.textContent = err instanceof Problem ? err.message : '';
      button.disabled = false;
    }
  });
  button.focus();
}

// Reading QR codes from the camera: the browser's BarcodeDetector where it reads QR codes, else the vendored ZXing
// (/vendor/zxing, loaded on the first scan only). Each returns the text of a code seen in the video, or null.
async function qrReader() {
  if ('BarcodeDetector' in window) {
    try {
      if ((await window.BarcodeDetector.getSupportedFormats()).includes('qr_code')) {
        const detector = new window.BarcodeDetector({ formats: ['qr_code'] });
        return async video => (await detector.detect(video))[0]?.rawValue ?? null;
      }
    } catch { /* fall back to ZXing */ }
  }
  if (!window.ZXingBrowser) {
    await new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/vendor/zxing/zxing-browser.min.js';
      script.onload = resolve; script.onerror = () => reject(new Error(t('courier.scan.unavailable')));
      document.head.append(script);
    });
  }
  const reader = new window.ZXingBrowser.BrowserQRCodeReader();
  const canvas = document.createElement('canvas');
  return async video => {
    if (!video.videoWidth) return null;
    canvas.width = video.videoWidth; canvas.height = video.videoHeight;
    canvas.getContext('2d', { willReadFrequently: true }).drawImage(video, 0, 0);
    try { return reader.decodeFromCanvas(canvas).getText(); } catch { return null; } // no code in this frame
  };
}

let scanning = null; // the running scan's stop function

async function scan() {
  if (scanning) { scanning(); return; }
  const video = $('#scan-video'), button = $('#scan');
  let stream, stopped = false;
  scanning = () => { stopped = true; };
  button.textContent = t('courier.scan.stop'); button.setAttribute('aria-pressed', 'true');
  $('#pickup-error').textContent = '';
  try {
    const read = await qrReader();
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    video.srcObject = stream; video.hidden = false; await video.play();
    const until = Date.now() + 60000;
    while (!stopped && Date.now() < until) {
      const text = await read(video);
      if (text) { const tracking = trackingFrom(text); $('#parcel-id').value = tracking; select(tracking); break; }
      await new Promise(r => setTimeout(r, 150));
    }
  } catch (err) {
    $('#pickup-error').textContent = err.name === 'NotAllowedError' ? t('courier.scan.denied') : err.message;
  } finally {
    stream?.getTracks().forEach(track => track.stop());
    video.srcObject = null; video.hidden = true; scanning = null;
    button.textContent = t('courier.scan'); button.setAttribute('aria-pressed', 'false');
  }
}
if (navigator.mediaDevices?.getUserMedia) {
  $('#scan-slot').hidden = false;
  $('#scan').addEventListener('click', scan);
}

$('#pickup').addEventListener('submit', e => {
  e.preventDefault();
  const input = $('#parcel-id');
  const tracking = trackingFrom(input.value);
  if (!tracking) { input.focus(); return; }
  select(tracking);
});

$('#shift-start').addEventListener('click', () => act('/api/couriers/me/shift/start', {}, 'shift').catch(() => {}));
$('#shift-end').addEventListener('click', () => act('/api/couriers/me/shift/end', {}, 'shift').catch(() => {}));
window.addEventListener('online', replay);

languageSwitch($('#bar'), () => { render(); renderRound(); });
const signOut = signIn({
  role: 'courier', container: $('#signin'),
  onSignedIn: async () => {
    $('#app').hidden = false;
    try { lockers = await api('/api/lockers'); } catch { lockers = []; }
    showPending();
    await replay();
    await refresh();
    live(kinds => { if (kinds.some(k => k === 'parcels' || k.includes('round'))) refresh(); replay(); }, $('#live'));
    setInterval(() => { if (queue().length) replay(); }, 10000);
  },
});
$('#signout').addEventListener('click', signOut);
translate();
