import { t, translate, languageSwitch, when } from './i18n.js';
import { api, esc, $, live, signIn, showFieldErrors, notice, Problem } from './common.js';
import { placeMap, located } from './map.js';
import { renderDeliveries } from './webhooks.js';
import { showHistory } from './proof-view.js';
import { mountPeople } from './people.js';
import { mountFleet } from './fleet.js';

// The operator's console: the network on a map (streets when the host names a tile server), lockers with fill and alarms,
// couriers, parcels, and a few figures; all refreshed live.
let lockers = [], shops = [], couriers = [], parcels = [], rounds = [], figures = null, security = [], homeBoxes = [];
const palette = ['#b5179e', '#0f766e', '#c2410c', '#4338ca', '#15803d', '#a16207'];
let selected = null;
let keepTyped = null; // what the operator is typing survives live refreshes of the detail
let keepRemote = null;
let remoteSent = null; // the last remote open's confirmation, shown again when a live refresh redraws the detail
let people = null; // the people section: accounts, invitations, disabling
let fleet = null; // the lockers' board program: versions, releases, installs

const pct = x => `${Math.round(x * 100)} %`;

async function renderMap() {
  const places = [...lockers, ...shops, ...rounds.flatMap(r => r.stops.map(s => s.place))].filter(located);
  $('#map').hidden = !places.length;
  if (!places.length) { $('#map-legend').innerHTML = ''; return; }
  // Each courier's round as a coloured path through its stops in order, the next stop ringed, stops done hollow.
  const paths = rounds.map((r, i) => ({ colour: palette[i % palette.length], points: r.stops.filter(s => located(s.place)).map(s => [s.place.latitude, s.place.longitude]) }));
  const stops = rounds.flatMap((r, i) => r.stops.filter(s => located(s.place)).map(s => ({
    latitude: s.place.latitude, longitude: s.place.longitude, kind: `stop${s.status === 'pending' ? '' : ' done'}`, colour: palette[i % palette.length],
    ring: s.stopId === r.nextStopId, id: s.stopId, label: `${r.courierName} ${s.sequence}. ${s.place.name}`,
  })));
  const shopMarks = shops.map(s => ({ latitude: s.latitude, longitude: s.longitude, kind: s.relayPoint ? 'relay' : 'shop', id: s.shopId, label: s.name }));
  const lockerMarks = lockers.map(l => ({
    latitude: l.latitude, longitude: l.longitude, id: l.lockerId, text: l.alarms ? '!' : '',
    kind: `locker${!l.online ? ' offline' : l.fillRate > 0.85 ? ' full' : ''}`,
    label: `${l.name}: ${t('op.fill')} ${pct(l.fillRate)}${l.online ? '' : ` (${t('op.offline')})`}${l.alarms ? `, ${t('op.alarms')} ${l.alarms}` : ''}`,
    onSelect: () => showLocker(l.lockerId),
  }));
  const { draw } = await placeMap($('#map'));
  draw({ label: t('op.map'), paths, marks: [...stops, ...shopMarks, ...lockerMarks] });
  $('#map-legend').innerHTML = `<span class="map-key locker"></span> ${esc(t('op.online'))} · <span class="map-key locker offline"></span> ${esc(t('op.offline'))} ·
      <span class="map-key relay"></span> ${esc(t('dest.relay'))} · <span class="map-key shop"></span> ${esc(t('op.shops'))}
      ${rounds.map((r, i) => ` · <span style="color:${palette[i % palette.length]}">╌</span> ${esc(r.courierName)}`).join('')}`;
}

function renderLockers() {
  $('#lockers').innerHTML = `<table class="stack"><thead><tr><th>${esc(t('op.lockers'))}</th><th>${esc(t('op.fill'))}</th><th>${esc(t('op.free'))}</th><th>${esc(t('op.alarms'))}</th></tr></thead><tbody>` +
    lockers.map(l => `<tr data-locker-row="${esc(l.lockerId)}">
      <td><button type="button" class="link" data-open="${esc(l.lockerId)}">${esc(l.name)}</button><br>
        <small class="${l.online ? 'muted' : 'field-error'}">${esc(l.online ? t('op.online') : t('op.offline'))}</small></td>
      <td><span class="fill-value" data-fill="${l.fillRate}">${pct(l.fillRate)}</span><div class="fill" aria-hidden="true"><span style="width:${Math.min(100, l.fillRate * 100)}%"></span></div>
        <small class="muted">${l.occupied + l.reserved}/${l.compartments - l.outOfService}</small></td>
      <td>S ${l.freeBySize.s} · M ${l.freeBySize.m} · L ${l.freeBySize.l}</td>
      <td>${l.alarms ? `<strong class="field-error">${l.alarms}</strong>` : '0'}</td></tr>`).join('') + '</tbody></table>';
  $('#lockers').querySelectorAll('[data-open]').forEach(b => b.addEventListener('click', () => showLocker(b.dataset.open)));
}

async function showLocker(id) {
  selected = id;
  try {
    const detail = await api(`/api/lockers/${encodeURIComponent(id)}`);
    $('#locker-detail').innerHTML = `<div class="card"><h3>${esc(detail.locker.name)}</h3><p class="muted">${esc(detail.locker.address)}</p>
      ${detail.alarms.length ? `<ul>${detail.alarms.map(a => `<li class="field-error">${esc(t(`alarm.${a.kind}`))}${a.compartment ? ` — ${a.compartment}` : ''} (${esc(when(a.raisedAt))})</li>`).join('')}</ul>` : ''}
      <table><thead><tr><th>#</th><th>${esc(t('shop.size'))}</th><th>${esc(t('track.status'))}</th></tr></thead><tbody>
      ${detail.compartments.map(c => `<tr data-compartment="${c.number}"><td>${c.number}${c.lowHeight ? ' ♿' : ''}</td><td>${esc(c.size)}</td><td>${esc(c.status)}${c.doorOpen ? ` · <strong data-door-open>${esc(t('op.door.open'))}</strong>` : ''}</td></tr>`).join('')}
      </tbody></table>
      <form id="service-form" novalidate>
        <h4>${esc(t('op.service'))}</h4>
        <label for="service-number">${esc(t('track.compartment'))}</label>
        <select id="service-number" name="number">${detail.compartments.map(c => `<option value="${c.number}">${c.number} — ${esc(c.status)}</option>`).join('')}</select>
        <label for="service-reason">${esc(t('op.reason'))}</label>
        <input id="service-reason" name="reason" aria-describedby="service-reason-error" required>
        <p class="field-error" id="service-reason-error" data-error-for="reason" role="alert"></p>
        <p class="row"><button type="submit" class="danger" data-action="out-of-service">${esc(t('op.outOfService'))}</button>
          <button type="submit" class="secondary" data-action="return-to-service">${esc(t('op.returnToService'))}</button></p>
      </form>
      <form id="remote-form" novalidate>
        <h4>${esc(t('op.remote'))}</h4>
        <label for="remote-number">${esc(t('track.compartment'))}</label>
        <select id="remote-number" name="number">${detail.compartments.map(c => `<option value="${c.number}">${c.number} — ${esc(c.status)}</option>`).join('')}</select>
        <label for="remote-reason">${esc(t('op.reason'))}</label>
        <input id="remote-reason" name="reason" aria-describedby="remote-reason-error" required>
        <p class="field-error" id="remote-reason-error" data-error-for="reason" role="alert"></p>
        <p class="row"><button type="submit" class="danger" id="remote-open">${esc(t('op.remote.go'))}</button></p>
        <p id="remote-message" role="status" tabindex="-1"></p>
      </form></div>`;
    wireRemoteOpen(id, detail);
    const form = $('#service-form');
    const typed = keepTyped;
    if (typed) { form.number.value = typed.number; form.reason.value = typed.reason; }
    form.addEventListener('input', () => { keepTyped = { number: form.number.value, reason: form.reason.value }; });
    form.addEventListener('submit', async e => {
      e.preventDefault();
      const action = e.submitter?.dataset.action || 'out-of-service';
      const reason = form.reason.value.trim();
      if (action === 'out-of-service' && !reason) { showFieldErrors(form, { reason: [t('op.reason.required')] }); form.reason.focus(); return; }
      try {
        await api(`/api/lockers/${encodeURIComponent(id)}/compartments/${form.number.value}/${action}`, { method: 'POST', body: { reason } });
        keepTyped = null;
        showFieldErrors(form, {});
        // Leave the form so the next live refresh redraws the detail with the new state.
        document.activeElement?.blur();
        refresh();
      } catch (err) {
        const { first } = showFieldErrors(form, err instanceof Problem && Object.keys(err.errors).length ? err.errors : { reason: [err.message] });
        first?.focus();
      }
    });
  } catch (err) {
    $('#locker-detail').textContent = err.message;
  }
}

function wireRemoteOpen(id, detail) {
  const form = $('#remote-form');
  if (keepRemote) { form.number.value = keepRemote.number; form.reason.value = keepRemote.reason; }
  if (remoteSent?.locker === id) notice($('#remote-message'), remoteSent.text, 'ok');
  form.addEventListener('input', () => { keepRemote = { number: form.number.value, reason: form.reason.value }; remoteSent = null; });
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const reason = form.reason.value.trim();
    if (!reason) { showFieldErrors(form, { reason: [t('op.reason.required')] }); form.reason.focus(); return; }
    try {
      await api(`/api/lockers/${encodeURIComponent(id)}/compartments/${form.number.value}/remote-open`, { method: 'POST', body: { reason } });
      keepRemote = null;
      showFieldErrors(form, {});
      remoteSent = { locker: id, text: t('op.remote.sent', { n: form.number.value, l: detail.locker.name }) };
      notice($('#remote-message'), remoteSent.text, 'ok');
      form.reason.value = '';
      // Leave the form so the next live refresh redraws the detail: the operator sees the door open and close.
      document.activeElement?.blur();
    } catch (err) {
      const { first } = showFieldErrors(form, err instanceof Problem && Object.keys(err.errors).length ? err.errors : { reason: [err.message] });
      first?.focus();
    }
  });
}

function renderRounds() {
  if (!rounds.length) { $('#rounds').innerHTML = `<p class="muted">${esc(t('op.rounds.none'))}</p>`; return; }
  $('#rounds').innerHTML = `<table class="stack"><thead><tr><th>${esc(t('op.couriers'))}</th><th>${esc(t('op.rounds.stops'))}</th><th>${esc(t('op.rounds.next'))}</th><th>km</th></tr></thead><tbody>` +
    rounds.map((r, i) => {
      const done = r.stops.filter(s => s.status !== 'pending').length;
      const next = r.stops.find(s => s.stopId === r.nextStopId);
      return `<tr data-round-row="${esc(r.roundId)}"><td><span style="color:${palette[i % palette.length]}">●</span> ${esc(r.courierName)}</td>
        <td>${done}/${r.stops.length}</td><td>${next ? esc(next.place.name) : esc(t('op.rounds.finished'))}</td><td>${(r.distanceKm ?? 0).toFixed(1)}</td></tr>`;
    }).join('') + '</tbody></table>';
}

async function planNow() {
  const button = $('#plan-now');
  button.disabled = true;
  try {
    const result = await api('/api/planning/run', { method: 'POST', body: {} });
    const unplaced = result.unplaced ?? [];
    notice($('#plan-message'), t('op.plan.done', { r: result.rounds, p: result.parcelsPlanned, u: unplaced.length }), unplaced.length ? 'err' : 'ok');
    const late = result.late ?? [];
    // Parcels named by their tracking numbers (the plan's answer has their ids): from the list, else the new rounds.
    if (unplaced.length || late.length) [parcels, rounds] = await Promise.all([api('/api/parcels'), api('/api/rounds').catch(() => rounds)]);
    const tracking = id => parcels.find(p => p.parcelId === id)?.trackingId
      ?? rounds.flatMap(r => r.stops.flatMap(s => s.parcels)).find(p => p.parcelId === id)?.trackingId ?? '…';
    $('#plan-unplaced').innerHTML = unplaced.map(u => `<li data-parcel="${esc(u.parcelId)}">${esc(tracking(u.parcelId))} — ${esc(u.reason)}</li>`).join('')
      + late.map(l => `<li class="late" data-parcel="${esc(l.parcelId)}">${esc(t('op.plan.late', { p: tracking(l.parcelId), c: l.courierName, n: l.minutesLate, at: when(l.promisedBy) }))}</li>`).join('');
    refresh();
  } catch (err) {
    notice($('#plan-message'), err.message, 'err');
  } finally {
    button.disabled = false;
  }
}

function renderCouriers() {
  $('#couriers').innerHTML = `<table class="stack"><thead><tr><th>${esc(t('op.couriers'))}</th><th>${esc(t('op.vehicle'))}</th><th>${esc(t('op.carrying'))}</th></tr></thead><tbody>` +
    couriers.map(c => `<tr><td>${esc(c.name)}<br><small class="muted">${esc(c.onShift ? t('op.onshift') : t('op.offshift'))}</small></td><td>${esc(c.vehicle)} (${c.capacityUnits})</td><td>${c.carrying}</td></tr>`).join('') + '</tbody></table>';
}

function renderParcels() {
  const recent = [...parcels].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt)).slice(0, 50);
  $('#parcels').innerHTML = `<table class="stack"><thead><tr><th>${esc(t('shop.tracking'))}</th><th>${esc(t('track.status'))}</th><th>${esc(t('shop.dest'))}</th></tr></thead><tbody>` +
    recent.map(p => `<tr data-parcel="${esc(p.parcelId)}"><td><a href="/track/${esc(p.trackingId)}">${esc(p.trackingId)}</a><br><small class="muted">${esc(when(p.updatedAt))}</small></td>
      <td><span class="status ${esc(p.status)}">${esc(t(`status.${p.status}`))}</span></td><td>${esc(t(`dest.${p.destinationKind}`))}
      <button type="button" class="secondary" data-history="${esc(p.parcelId)}" aria-label="${esc(t('history.show'))} ${esc(p.trackingId)}">${esc(t('history.show'))}</button></td></tr>`).join('') + '</tbody></table>';
  $('#parcels').querySelectorAll('[data-history]').forEach(b => b.addEventListener('click', () =>
    showHistory($('#parcel-history'), parcels.find(p => p.parcelId === b.dataset.history)).catch(err => { $('#parcel-history').textContent = err.message; })));
}

// What boards said beyond their word (another locker's compartment or parcel, unreadable frames, clocks out of step).
function renderSecurity() {
  $('#security').innerHTML = security.length
    ? `<table class="stack"><thead><tr><th>${esc(t('op.security.at'))}</th><th>${esc(t('op.security.locker'))}</th><th>${esc(t('op.security.kind'))}</th><th>${esc(t('op.security.detail'))}</th></tr></thead><tbody>` +
      security.map(s => `<tr class="security-event"><td>${esc(when(s.at))}</td><td>${esc(lockers.find(l => l.lockerId === s.lockerId)?.name ?? s.lockerId)}${s.seq == null ? '' : ` <small class="muted">#${esc(s.seq)}</small>`}</td>
        <td>${esc(t(`op.security.kind.${s.kind}`))}</td><td><small>${esc(s.detail)}</small></td></tr>`).join('') + '</tbody></table>'
    : `<p class="muted">${esc(t('op.security.none'))}</p>`;
}

// Residents' home boxes: where, paired or free, a parcel in it or not; never who owns them.
function renderHomeBoxes() {
  const yes = on => esc(t(on ? 'op.yes' : 'op.no'));
  $('#home-boxes').innerHTML = homeBoxes.length
    ? `<table class="stack"><thead><tr><th>${esc(t('op.homebox'))}</th><th>${esc(t('op.homebox.paired'))}</th><th>${esc(t('op.homebox.parcel'))}</th><th>${esc(t('op.homebox.online'))}</th></tr></thead><tbody>` +
      homeBoxes.map(b => `<tr data-home-box="${esc(b.boxId)}"><td>${esc(b.name)}<br><small class="muted">${esc(b.address)}</small></td>
        <td>${yes(b.paired)}<br><small class="muted">${esc(when(b.since))}</small></td><td>${yes(b.occupied)}</td><td>${yes(b.online)}</td></tr>`).join('') + '</tbody></table>'
    : `<p class="muted">${esc(t('op.homebox.none'))}</p>`;
}

function renderFigures() {
  const waiting = parcels.filter(p => p.status === 'AwaitingCollection').length;
  const usable = lockers.reduce((n, l) => n + l.compartments - l.outOfService, 0);
  const used = lockers.reduce((n, l) => n + l.occupied + l.reserved, 0);
  const figure = (label, value, id) => `<div class="card" style="min-width:10rem"><div class="muted">${esc(label)}</div><div class="big" id="${id}">${esc(value)}</div></div>`;
  $('#figures').innerHTML = figure(t('op.today'), parcels.length, 'fig-parcels') + figure(t('op.waiting'), waiting, 'fig-waiting')
    + figure(t('op.network.fill'), usable ? pct(used / usable) : '—', 'fig-fill')
    + figure(t('op.alarms'), lockers.reduce((n, l) => n + l.alarms, 0), 'fig-alarms')
    + figure(t('op.within24h'), figures?.collectedWithin24hShare == null ? '—' : pct(figures.collectedWithin24hShare), 'fig-24h');
}

// Charts drawn as SVG bars (no chart library: nothing loads from outside). Each bar has its value in a <title>.
function bars(id, label, items, { max, format = v => String(v), colour = '#0b4f8a' } = {}) {
  const W = 560, H = 170, pad = 26;
  const top = Math.max(max ?? 0, ...items.map(i => i.value), 1e-9);
  const bw = (W - 2 * pad) / Math.max(1, items.length);
  const body = items.map((item, i) => {
    const h = (H - 2 * pad) * item.value / top, x = pad + i * bw, y = H - pad - h;
    return `<g><rect x="${x + 2}" y="${y}" width="${Math.max(1, bw - 4)}" height="${h}" fill="${colour}"/><title>${esc(item.label)}: ${esc(format(item.value))}</title>
      ${item.value ? `<text x="${x + bw / 2}" y="${y - 4}" font-size="11" text-anchor="middle">${esc(format(item.value))}</text>` : ''}
      <text x="${x + bw / 2}" y="${H - 8}" font-size="10" text-anchor="middle" fill="#4a4a4a">${esc(item.short ?? item.label)}</text></g>`;
  }).join('');
  $(id).innerHTML = items.length
    ? `<svg class="map chart" style="background:#fff;max-width:40rem" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(label)}: ${esc(items.map(i => `${i.label} ${format(i.value)}`).join(', '))}">${body}</svg>`
    : `<p class="muted">${esc(t('op.chart.empty'))}</p>`;
}

function renderCharts() {
  const perDay = figures?.perDay ?? [];
  const day = d => new Date(`${d}T00:00:00Z`);
  bars('#chart', t('op.perDay'), perDay.map(d => ({ label: day(d.day).toLocaleDateString(), short: String(day(d.day).getUTCDate()), value: d.registered })));
  $('#chart svg')?.setAttribute('data-total', String(perDay.reduce((n, d) => n + d.registered, 0)));
  bars('#chart-24h', t('op.within24h'), perDay.filter(d => d.madeAvailable).map(d => ({
    label: day(d.day).toLocaleDateString(), short: String(day(d.day).getUTCDate()), value: d.collectedWithin24h / d.madeAvailable })),
  { max: 1, format: pct, colour: '#17602a' });
  bars('#chart-fill', t('op.fill'), lockers.map(l => ({ label: l.name, short: l.name.replace(/^(Consigne|Locker)\s+/i, '').slice(0, 12), value: l.fillRate })),
    { max: 1, format: pct, colour: '#8a4b00' });
  const withParcels = rounds.map(r => ({ r, n: new Set(r.stops.flatMap(s => s.parcels.map(p => p.parcelId))).size })).filter(x => x.n);
  bars('#chart-distance', t('op.kmPerParcel'), withParcels.map(({ r, n }) => ({ label: r.courierName, value: (r.distanceKm ?? 0) / n })),
    { format: v => v.toFixed(2), colour: '#4338ca' });
  bars('#chart-pooled', t('op.pooled'), rounds.map(r => ({ label: r.courierName, value: r.stops.filter(s => s.parcels.some(p => p.action === 'pickup')).length })),
    { colour: '#b5179e' });
}

function renderAll() {
  renderCharts(); renderMap(); renderLockers(); renderCouriers(); renderRounds(); renderParcels(); renderFigures(); renderSecurity(); renderHomeBoxes();
  // Not while the operator types in the invitation: only the shop and courier choices follow then (a courier added
  // since, or the lists that were not loaded yet when the operator chose a role).
  if (people) {
    if ($('#people').contains(document.activeElement)) people.choicesChanged();
    else people.render();
  }
}

async function refresh() {
  try {
    [lockers, shops, couriers, parcels, rounds, figures, security, homeBoxes] = await Promise.all([
      api('/api/lockers'), api('/api/shops'), api('/api/couriers'), api('/api/parcels'),
      api('/api/rounds').catch(() => []), api('/api/figures').catch(() => null),
      api('/api/operations/security-events?limit=50').catch(() => []), api('/api/home-boxes').catch(() => [])]);
    renderAll();
    // Webhooks that could not reach a shop's system, for "send again" once the shop says it is back.
    if (!$('#webhook-deliveries').contains(document.activeElement)) {
      renderDeliveries($('#webhook-deliveries'), { state: 'failed', shopNames: d => d.shopId ? (shops.find(s => s.shopId === d.shopId)?.name ?? d.shopId) : '' });
    }
    if (fleet && !$('#fleet form.stack').contains(document.activeElement)) await fleet.refresh();
    // Not while the operator types in the detail's form: the focus would be lost.
    if (selected && !$('#locker-detail').contains(document.activeElement)) showLocker(selected);
  } catch { /* the live indicator shows the connection state */ }
}

languageSwitch($('#bar'), renderAll);
const signOut = signIn({
  role: 'operator', container: $('#signin'),
  onSignedIn: async session => {
    $('#app').hidden = false;
    people = mountPeople($('#people'), { session, choices: () => ({ shops, couriers }) });
    fleet = mountFleet($('#fleet'));
    await refresh();
    live(() => refresh(), $('#live'));
  },
});
$('#signout').addEventListener('click', signOut);
$('#plan-now').addEventListener('click', planNow);
translate();
