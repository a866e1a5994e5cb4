import { t, translate, languageSwitch, when, problemText } from './i18n.js';
import { qrSvg } from './qr.js';
import { renderDeliveries } from './webhooks.js';
import { showHistory } from './proof-view.js';
import { api, esc, $, notice, live, Problem, showFieldErrors, signIn, newId } from './common.js';
import { placeMap } from './map.js';
import { mountPeople } from './people.js';

// The shop counter: register a parcel fast, print its label, follow and cancel its parcels.
let lockers = [], shops = [], parcels = [];
let home = null;          // the home position picked on the map
let pendingKey = null;    // one Idempotency-Key per parcel being registered: a retry after a lost answer is harmless
let people = null;        // the shop's staff: colleagues invited and disabled

const form = $('#register');
const kind = () => form.querySelector('input[name="destination.kind"]:checked')?.value;

function showKind() {
  form.querySelectorAll('[data-kind]').forEach(el => { el.hidden = el.dataset.kind !== kind(); });
  if (kind() === 'home') drawHomeMap();
}

function fillDestinations() {
  const keep = [$('#locker').value, $('#relay').value];
  $('#locker').innerHTML = `<option value="">${esc(t('shop.choose'))}</option>` + lockers
    .map(l => `<option value="${esc(l.lockerId)}">${esc(l.name)} — ${esc(l.address)} (${esc(t('shop.free', { n: l.free }))})</option>`).join('');
  $('#relay').innerHTML = `<option value="">${esc(t('shop.choose'))}</option>` + shops.filter(s => s.relayPoint)
    .map(s => `<option value="${esc(s.shopId)}">${esc(s.name)} — ${esc(s.address)}</option>`).join('');
  [$('#locker').value, $('#relay').value] = keep;
}

// The home's position: a tap on the map puts the pin there; from the keyboard, the arrows move the map and Enter puts
// the pin at its centre. The lockers and shops are drawn to find one's way; they do not take the tap.
async function drawHomeMap() {
  const places = [...lockers, ...shops];
  if (!places.length) return;
  const element = $('#home-map');
  const first = !element.placeMap;
  const { map, draw } = await placeMap(element);
  if (first) {
    map.on('click', e => { home = { latitude: e.latlng.lat, longitude: e.latlng.lng }; drawHomeMap(); });
    element.addEventListener('keydown', e => {
      if (e.key !== 'Enter' || e.target !== element) return;
      e.preventDefault();
      const centre = map.getCenter();
      home = { latitude: centre.lat, longitude: centre.lng };
      drawHomeMap();
    });
  }
  draw({
    label: t('shop.position'),
    marks: [
      ...lockers.map(l => ({ latitude: l.latitude, longitude: l.longitude, kind: 'locker', id: l.lockerId, label: l.name })),
      ...shops.map(s => ({ latitude: s.latitude, longitude: s.longitude, kind: s.relayPoint ? 'relay' : 'shop', id: s.shopId, label: s.name })),
      ...(home ? [{ ...home, kind: 'pin', label: t('map.home') }] : []),
    ],
  });
}

function request() {
  const v = name => form.elements[name]?.value?.trim() || null;
  const recipient = { name: v('recipient.name'), phone: v('recipient.phone'), email: v('recipient.email') };
  const destination = { kind: kind() };
  if (kind() === 'locker') destination.lockerId = v('destination.lockerId');
  if (kind() === 'relay') destination.shopId = v('destination.shopId');
  if (kind() === 'home') {
    recipient.address = { street: v('recipient.address.street'), postalCode: v('recipient.address.postalCode'), city: v('recipient.address.city'),
      latitude: home?.latitude ?? null, longitude: home?.longitude ?? null };
    const from = v('destination.from'), to = v('destination.to');
    destination.from = from ? new Date(from).toISOString() : null;
    destination.to = to ? new Date(to).toISOString() : null;
  }
  return { recipient, size: form.querySelector('input[name="size"]:checked')?.value ?? null, destination };
}

form.addEventListener('submit', async e => {
  e.preventDefault();
  const button = $('#submit');
  button.disabled = true;
  pendingKey ??= newId();
  try {
    const registered = await api('/api/parcels', { method: 'POST', body: request(), idempotencyKey: pendingKey });
    pendingKey = null;
    showFieldErrors(form, {});
    notice($('#form-message'), '');
    showLabel(registered, request());
    form.reset();
    home = null;
    showKind();
    refresh();
  } catch (err) {
    // Nothing typed is cleared: the messages go next to the fields and focus goes to the first one.
    if (err instanceof Problem && err.status === 422 && Object.keys(err.errors).length) {
      pendingKey = null;
      const { first, unplaced } = showFieldErrors(form, err.errors);
      notice($('#form-message'), [t('shop.fix'), ...unplaced].join(' '), 'err');
      first?.focus();
    } else {
      if (err instanceof Problem) pendingKey = null;
      notice($('#form-message'), err.message, 'err');
    }
  } finally {
    button.disabled = false;
  }
});

function showLabel(registered, sent) {
  // The tracking link for the recipient; the courier's scan reads the parcel number after '#p='.
  const url = `${new URL(`/track/${registered.trackingId}`, location.origin).href}#p=${encodeURIComponent(registered.parcelId)}`;
  const where = sent.destination.kind === 'locker' ? lockers.find(l => l.lockerId === sent.destination.lockerId)?.name
    : sent.destination.kind === 'relay' ? shops.find(s => s.shopId === sent.destination.shopId)?.name
      : [sent.recipient.address?.street, sent.recipient.address?.city].filter(Boolean).join(', ');
  const label = $('#label');
  label.hidden = false;
  label.innerHTML = `
    <div class="notice ok" role="status">${esc(t('shop.registered'))}</div>
    <div class="label-print" id="printable">
      <div id="label-qr">${qrSvg(url, `QR ${registered.trackingId}`)}</div>
      <p class="big" id="label-tracking">${esc(registered.trackingId)}</p>
      <p><strong>${esc(sent.recipient.name)}</strong> — ${esc(sent.size)} — ${esc(t(`dest.${sent.destination.kind}`))}: ${esc(where || '')}</p>
      <p class="muted">${esc(url)}</p>
    </div>
    <p class="row no-print"><button type="button" id="print" data-i18n="shop.print"></button>
      <button type="button" class="secondary" id="another" data-i18n="shop.another"></button></p>`;
  translate(label);
  $('#print').addEventListener('click', () => window.print());
  $('#another').addEventListener('click', () => { label.hidden = true; form.hidden = false; $('#name').focus(); });
  form.hidden = true;
  $('#print').focus();
}

function renderParcels() {
  const box = $('#parcels');
  if (!parcels.length) { box.innerHTML = `<p class="muted">${esc(t('shop.empty'))}</p>`; return; }
  box.innerHTML = `<table class="stack"><thead><tr><th>${esc(t('shop.tracking'))}</th><th>${esc(t('shop.recipient'))}</th><th>${esc(t('track.status'))}</th><th></th></tr></thead><tbody>` +
    parcels.map(p => `<tr data-parcel="${esc(p.parcelId)}" data-tracking="${esc(p.trackingId)}">
      <td><a href="/track/${esc(p.trackingId)}">${esc(p.trackingId)}</a><br><small class="muted">${esc(p.size)} · ${esc(t(`dest.${p.destinationKind}`))}</small></td>
      <td>${esc(p.recipientName)}<br><small class="muted">${esc(when(p.registeredAt))}</small></td>
      <td><span class="status ${esc(p.status)}" data-status="${esc(p.status)}">${esc(t(`status.${p.status}`))}</span>${p.returning ? ` <small>(${esc(t('shop.returning'))})</small>` : ''}</td>
      <td><button type="button" class="secondary" data-history="${esc(p.parcelId)}" aria-label="${esc(t('history.show'))} ${esc(p.trackingId)}">${esc(t('history.show'))}</button>
        <button type="button" class="secondary" data-label="pdf" data-for="${esc(p.parcelId)}" data-label-tracking="${esc(p.trackingId)}" aria-label="${esc(t('shop.labelPdf'))} ${esc(p.trackingId)}">${esc(t('shop.labelPdf'))}</button>
        <button type="button" class="secondary" data-label="zpl" data-for="${esc(p.parcelId)}" data-label-tracking="${esc(p.trackingId)}" aria-label="${esc(t('shop.labelZpl'))} ${esc(p.trackingId)}">${esc(t('shop.labelZpl'))}</button>
        ${p.status === 'AwaitingPickup' || p.status === 'DroppedAtLocker' ? `<button type="button" class="danger" data-cancel="${esc(p.parcelId)}" aria-label="${esc(t('shop.cancel'))} ${esc(p.trackingId)}">${esc(t('shop.cancel'))}</button>` : ''}</td>
    </tr>`).join('') + '</tbody></table>';
  box.querySelectorAll('[data-label]').forEach(b => b.addEventListener('click', () => downloadLabel(b.dataset.for, b.dataset.labelTracking, b.dataset.label)));
  box.querySelectorAll('[data-history]').forEach(b => b.addEventListener('click', () =>
    showHistory($('#history'), parcels.find(p => p.parcelId === b.dataset.history)).catch(err => { $('#history').textContent = err.message; })));
  box.querySelectorAll('[data-cancel]').forEach(b => b.addEventListener('click', async () => {
    if (!confirm(t('shop.cancel.confirm'))) return;
    try {
      await api(`/api/parcels/${encodeURIComponent(b.dataset.cancel)}/cancel`, { method: 'POST', body: {} });
      refresh();
    } catch (err) {
      alert(err.message);
    }
  }));
}

// The label is fetched with the session cookie, then saved as a file with its tracking number in the name.
async function downloadLabel(parcelId, trackingId, format) {
  try {
    const response = await fetch(`/api/parcels/${encodeURIComponent(parcelId)}/label.${format}`, { credentials: 'same-origin' });
    if (!response.ok) throw new Problem(response.status, await response.json().catch(() => null));
    const url = URL.createObjectURL(await response.blob());
    const link = Object.assign(document.createElement('a'), { href: url, download: `label-${trackingId}.${format}` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  } catch (err) {
    alert(err instanceof Problem ? err.message : t('err.network'));
  }
}

async function refresh() {
  try {
    const list = await api('/api/parcels');
    parcels = list.sort((a, b) => b.registeredAt.localeCompare(a.registeredAt));
    renderParcels();
  } catch { /* the live indicator says we are offline */ }
}

// A file of parcels from the shop's till or web store: each line registered once, the refused ones listed with why.
$('#import').addEventListener('submit', async e => {
  e.preventDefault();
  const file = $('#import-file').files[0];
  const button = $('#import-send');
  showRejected([]);
  if (!file) {
    notice($('#import-message'), t('shop.import.choose'), 'err');
    return;
  }
  button.disabled = true;
  try {
    const answer = await api('/api/parcels/import', { method: 'POST', raw: { body: await file.text(), type: 'text/csv' } });
    notice($('#import-message'), t('shop.import.done', { n: answer.imported.length, refused: answer.rejected.length }), answer.rejected.length ? 'err' : 'ok');
    showRejected(answer.rejected);
    refresh();
  } catch (err) {
    notice($('#import-message'), err.message, 'err');
    if (err instanceof Problem) showRejected(err.body?.values?.rejected || []);
  } finally {
    button.disabled = false;
  }
});

function showRejected(rows) {
  $('#import-rejected').innerHTML = rows.map(r => {
    const fields = Object.keys(r.errors || {});
    const why = fields.length ? t('shop.import.fields', { fields: fields.join(', ') }) : problemText({ code: r.code, detail: r.message });
    return `<li>${esc(t('shop.import.line', { line: r.line, reference: r.reference ?? '' }))} ${esc(why)}</li>`;
  }).join('');
}

// The shop's web store: a key for it (shown once), the endpoints its events go to, and what was sent there.
$('#webstore-key').addEventListener('click', async () => {
  try {
    const issued = await api('/api/shops/me/webstore-key', { method: 'POST', body: {} });
    $('#webstore-key-shown').innerHTML = `${esc(t('hooks.key.shown'))} <code class="secret">${esc(issued.apiKey)}</code>`;
  } catch (err) {
    notice($('#webstore-key-shown'), err.message, 'err');
  }
});

$('#webhook-add').addEventListener('submit', async e => {
  e.preventDefault();
  showFieldErrors($('#webhook-add'), {});
  try {
    const added = await api('/api/webhooks', { method: 'POST', body: { url: $('#webhook-url').value.trim() } });
    $('#webhook-secret').innerHTML = `${esc(t('hooks.secret.shown'))} <code class="secret">${esc(added.secret)}</code>`;
    $('#webhook-url').value = '';
    loadWebhooks();
  } catch (err) {
    if (err instanceof Problem && err.body?.errors) showFieldErrors($('#webhook-add'), err.body.errors);
    else notice($('#webhook-secret'), err.message, 'err');
  }
});

async function loadWebhooks() {
  try {
    const endpoints = (await api('/api/webhooks')).filter(x => x.enabled);
    $('#webhook-endpoints').innerHTML = endpoints.map(x => `<li><code>${esc(x.url)}</code>
      <button type="button" class="link disable-webhook" data-id="${esc(x.id)}">${esc(t('hooks.disable'))}</button></li>`).join('');
    $('#webhook-endpoints').querySelectorAll('.disable-webhook').forEach(b => b.addEventListener('click', async () => {
      await api(`/api/webhooks/${encodeURIComponent(b.dataset.id)}/disable`, { method: 'POST', body: {} }).catch(() => {});
      loadWebhooks();
    }));
    await renderDeliveries($('#webhook-deliveries'));
  } catch { /* the live indicator says we are offline */ }
}

async function loadDirectory() {
  [lockers, shops] = await Promise.all([api('/api/lockers'), api('/api/shops')]);
  fillDestinations();
  if (kind() === 'home') drawHomeMap();
}

form.querySelectorAll('input[name="destination.kind"]').forEach(r => r.addEventListener('change', showKind));

languageSwitch($('#bar'), () => { fillDestinations(); renderParcels(); people?.render(); });
const signOut = signIn({
  role: 'shop', container: $('#signin'),
  onSignedIn: async session => {
    $('#app').hidden = false;
    people = mountPeople($('#people'), { session });
    await loadDirectory();
    await refresh();
    loadWebhooks();
    // Deliveries are made in the background a moment after the change that caused them: the log looks again.
    setInterval(() => { if (!document.hidden && !$('#webhook-deliveries').contains(document.activeElement) && !$('#webhook-endpoints').contains(document.activeElement)) loadWebhooks(); }, 10_000);
    live(kinds => {
      if (kinds.includes('parcels')) { refresh(); loadWebhooks(); }
      if (kinds.includes('lockers') || kinds.includes('directory')) loadDirectory();
    }, $('#live'));
    $('#name').focus();
  },
});
$('#signout').addEventListener('click', signOut);
translate();
