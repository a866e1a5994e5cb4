import { t, translate, languageSwitch, when } from './i18n.js';
import { api, esc, $, notice, live, Problem, showFieldErrors } from './common.js';
import { qrSvg } from './qr.js';
import { placeMap, located } from './map.js';

// The customer's page: reached by the link in the SMS (/track/LG-XXXX-XXXX), no sign-in.
const trackingId = decodeURIComponent(location.pathname.split('/')[2] || '').trim().toUpperCase();
// The message's link carries the pickup code after '#': a fragment never reaches a server or its logs.
const linkCode = (/[#&]code=(\d{4,16})/.exec(location.hash) || [])[1] || null;
let view = null;

function render() {
  if (!view) return;
  $('#parcel').hidden = false;
  $('#tracking-id').textContent = view.trackingId;
  const status = $('#status');
  status.className = `status ${view.status}`;
  status.textContent = t(`status.${view.status}`);
  status.dataset.status = view.status;
  const facts = [];
  facts.push([t('shop.dest'), t(`dest.${view.destination}`)]);
  if (view.where) facts.push([t('track.where'), view.where]);
  if (view.compartment) facts.push([t('track.compartment'), `<span class="big" id="compartment">${esc(view.compartment)}</span>`]);
  // One code for the recipient's parcels at this locker, whichever shops sent them: it opens each of their doors.
  if (view.codeOpens > 1) facts.push([t('track.codeOpens'), `<span id="code-opens" data-doors="${esc(view.codeOpens)}">${esc(t('track.codeOpensN', { n: view.codeOpens }))}</span>`]);
  if (view.collectBy && view.status === 'AwaitingCollection') facts.push([t('track.deadline'), `<strong id="deadline">${esc(when(view.collectBy))}</strong>`]);
  $('#facts').innerHTML = facts.map(([k, v]) => `<dt class="muted">${esc(k)}</dt><dd>${v.startsWith('<') ? v : esc(v)}</dd>`).join('');
  // The place to collect from on a map, its coordinates and a geo: link (the phone's own maps app) beside it.
  $('#map-slot').hidden = !located(view);
  $('#map-link').innerHTML = located(view)
    ? `<a href="geo:${view.latitude},${view.longitude}">${esc(t('track.map'))}</a> <span class="muted">(${view.latitude.toFixed(5)}, ${view.longitude.toFixed(5)})</span>` : '';
  if (located(view)) {
    placeMap($('#place-map')).then(({ draw }) => draw({
      label: t('track.map.label', { where: view.where ?? t(`dest.${view.destination}`) }),
      marks: [{ latitude: view.latitude, longitude: view.longitude, kind: view.destination === 'relay' ? 'relay' : 'locker', label: view.where ?? t(`dest.${view.destination}`) }],
    }));
  }
  // A home box is its owner's: no code to type, they open it with its own lock.
  $('#collect').hidden = view.status !== 'AwaitingCollection' || view.destination === 'homeBox';
  if (linkCode && view.status === 'AwaitingCollection') {
    $('#my-code').hidden = false;
    $('#code-display').textContent = linkCode.replace(/(\d{4})(?=\d)/g, '$1 ');
    $('#code-qr').innerHTML = qrSvg(linkCode, t('track.yourcode'));
    $('#code-phone-hint').hidden = false;
    const input = $('#code');
    if (!input.value) input.value = linkCode;
  } else {
    $('#my-code').hidden = true;
  }
  $('#history').hidden = false;
  $('#timeline').innerHTML = [...view.steps].reverse()
    .map(s => `<li data-kind="${esc(s.kind)}"><time datetime="${esc(s.at)}">${esc(when(s.at))}</time>${esc(describe(s))}</li>`).join('');
}

// A step in the reader's language; the places come by name, never as internal ids.
function describe(step) {
  const key = step.place && ['registered', 'pickedUp', 'collected'].includes(step.kind) ? `step.${step.kind}.place` : `step.${step.kind}`;
  return t(key, { place: step.place ?? '', compartment: step.compartment ?? '', until: when(step.until), attempt: step.attempt ?? '' });
}

async function load() {
  try {
    view = await api(`/api/track/${encodeURIComponent(trackingId)}`);
    render();
  } catch (e) {
    if (e instanceof Problem && e.status === 404) {
      $('#lookup').hidden = false;
      $('#tracking-input').value = trackingId;
      $('#lookup-error').textContent = t('track.notfound');
    } else {
      notice($('#message'), e.message, 'err');
    }
  }
}

$('#lookup').addEventListener('submit', e => {
  e.preventDefault();
  const value = $('#tracking-input').value.trim().toUpperCase();
  if (value) location.href = `/track/${encodeURIComponent(value)}`;
});

$('#collect-form').addEventListener('submit', async e => {
  e.preventDefault();
  const form = e.currentTarget;
  const code = form.code.value.replace(/\s+/g, '');
  const button = $('#open');
  button.disabled = true;
  try {
    const answer = await api(`/api/track/${encodeURIComponent(trackingId)}/collect`, { method: 'POST', body: { code } });
    showFieldErrors(form, {});
    if (answer.status === 'opening') {
      // The locker's board opens the door; the page follows it until the board says the door opened (or did not).
      const doors = answer.compartments?.length > 1 ? answer.compartments.join(', ') : null;
      notice($('#message'), doors ? t('track.openingShared', { n: doors }) : t('track.opening', { n: answer.compartment }), 'ok');
      $('#message').dataset.compartment = answer.compartment;
      await followDoor(answer.compartment, doors);
    } else {
      notice($('#message'), t('track.collected.relay'), 'ok');
      await load();
    }
    $('#message').focus?.();
  } catch (err) {
    // The typed code stays in the field; the reason goes next to it.
    const errors = err instanceof Problem && Object.keys(err.errors).length ? err.errors : { code: [err.message] };
    showFieldErrors(form, errors);
    form.code.focus();
  } finally {
    button.disabled = false;
  }
});

// Reads the parcel again each second until its door opened (the parcel is then collected) or the board said it did not.
async function followDoor(compartment, doors) {
  for (let i = 0; i < 150; i++) {
    await load();
    if (view?.status === 'Collected') {
      notice($('#message'), doors ? t('track.openedShared', { n: doors }) : t('track.opened', { n: compartment }), 'ok');
      return;
    }
    if (view?.door === 'notOpened') {
      notice($('#message'), t('track.notOpened', { n: compartment }), 'err');
      return;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  notice($('#message'), t('track.notOpened', { n: compartment }), 'err');
}

$('#extend').addEventListener('click', async () => {
  try {
    const answer = await api(`/api/track/${encodeURIComponent(trackingId)}/extend`, { method: 'POST', body: {} });
    notice($('#message'), t('track.extended', { d: when(answer.collectBy) }), 'ok');
    await load();
  } catch (err) {
    notice($('#message'), err.message, 'err');
  }
});

languageSwitch($('#bar'), render);
translate();
if (trackingId) {
  load();
  live(kinds => { if (kinds.includes('parcels') || kinds.includes('timeline')) load(); });
} else {
  $('#lookup').hidden = false;
  $('#tracking-input').focus();
}
