import { t, when } from './i18n.js';
import { api, esc, notice } from './common.js';

// The delivery log of webhooks (the shop's own, or every shop's in the operator's console): each event sent to a
// shop's system, its state and attempts, and "send again". Rendered into `container`; `onChange` after a resend.
export async function renderDeliveries(outer, { state, shopNames } = {}) {
  // The table is redrawn on every refresh; the message about the last "send again" stays below it.
  if (!outer.querySelector('[data-resend-message]')) {
    outer.innerHTML = '<div class="deliveries"></div><p data-resend-message role="status" aria-live="polite"></p>';
  }
  const container = outer.querySelector('.deliveries');
  const message = outer.querySelector('[data-resend-message]');
  let rows;
  try {
    rows = await api(`/api/webhooks/deliveries?limit=20${state ? `&state=${state}` : ''}`);
  } catch (err) {
    container.innerHTML = `<p class="notice err">${esc(err.message)}</p>`;
    return;
  }
  if (!rows.length) {
    container.innerHTML = `<p class="muted">${esc(t('hooks.none'))}</p>`;
    return;
  }
  container.innerHTML = `<table class="stack"><thead><tr><th>${esc(t('hooks.at'))}</th>${shopNames ? `<th>${esc(t('hooks.shop'))}</th>` : ''}<th>${esc(t('hooks.event'))}</th>
      <th>${esc(t('hooks.state'))}</th><th>${esc(t('hooks.answer'))}</th><th><span class="sr-only">${esc(t('hooks.resend'))}</span></th></tr></thead><tbody>` +
    rows.map(d => `<tr class="webhook-delivery" data-state="${esc(d.state)}"><td>${esc(when(d.createdAt))}</td>
      ${shopNames ? `<td>${esc(shopNames(d))}</td>` : ''}
      <td><code>${esc(d.type)}</code></td><td>${esc(t(`hooks.state.${d.state}`))} <small class="muted">${esc(t('hooks.attempts', { n: d.attempts }))}</small></td>
      <td><small>${esc(d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : ''))}</small></td>
      <td><button type="button" class="secondary resend" data-id="${esc(d.id)}">${esc(t('hooks.resend'))}</button></td></tr>`).join('') +
    '</tbody></table>';
  container.querySelectorAll('button.resend').forEach(button => button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await api(`/api/webhooks/deliveries/${encodeURIComponent(button.dataset.id)}/resend`, { method: 'POST', body: {} });
      notice(message, t('hooks.resent'), 'ok');
    } catch (err) {
      notice(message, err.message, 'err');
      button.disabled = false;
    }
  }));
}
