import { t, translate, languageSwitch } from './i18n.js';
import { api, esc, $, live, signIn } from './common.js';

// The federation's page: every network of the deployment side by side, refreshed live. It sees figures, not parcels:
// each network's operator acts on their own network from the operator console.
let networks = [];

function render() {
  const total = key => networks.reduce((sum, n) => sum + n[key], 0);
  const row = n => `<tr data-network="${esc(n.networkId)}">
      <th scope="row">${esc(n.name)}<br><small class="muted">${esc(n.networkId)}</small></th>
      <td>${n.shops}</td><td>${n.lockersOnline}/${n.lockers}</td><td>${n.couriersOnShift}/${n.couriers}</td>
      <td>${n.parcelsToday}</td><td>${n.inTransit}</td><td>${n.awaitingCollection}</td><td>${n.collectedToday}</td></tr>`;
  $('#networks').innerHTML = !networks.length ? `<p class="muted">${esc(t('fed.none'))}</p>` : `<table class="stack">
    <caption class="muted">${esc(t('fed.caption'))}</caption>
    <thead><tr><th scope="col">${esc(t('fed.network'))}</th><th scope="col">${esc(t('op.shops'))}</th><th scope="col">${esc(t('fed.lockersOnline'))}</th>
      <th scope="col">${esc(t('fed.couriersOnShift'))}</th><th scope="col">${esc(t('fed.today'))}</th><th scope="col">${esc(t('fed.inTransit'))}</th>
      <th scope="col">${esc(t('fed.awaiting'))}</th><th scope="col">${esc(t('fed.collected'))}</th></tr></thead>
    <tbody>${networks.map(row).join('')}</tbody>
    <tfoot><tr><th scope="row">${esc(t('fed.total'))}</th><td>${total('shops')}</td><td>${total('lockersOnline')}/${total('lockers')}</td>
      <td>${total('couriersOnShift')}/${total('couriers')}</td><td>${total('parcelsToday')}</td><td>${total('inTransit')}</td>
      <td>${total('awaitingCollection')}</td><td>${total('collectedToday')}</td></tr></tfoot></table>`;
}

async function refresh() {
  try {
    networks = await api('/api/networks');
    render();
  } catch { /* the live indicator shows the connection state */ }
}

languageSwitch($('#bar'), render);
const signOut = signIn({
  role: 'federation', container: $('#signin'),
  onSignedIn: async () => {
    $('#app').hidden = false;
    await refresh();
    live(() => refresh(), $('#live'));
  },
});
$('#signout').addEventListener('click', signOut);
translate();
