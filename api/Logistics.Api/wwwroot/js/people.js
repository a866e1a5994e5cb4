import { t, translate } from './i18n.js';
import { api, esc, notice, showFieldErrors, Problem } from './common.js';

/**
 * The people who sign in: the operator's console lists every account and invites for any role, shop or courier; a
 * shop lists its own staff and invites colleagues for itself. An invitation is e-mailed; "disable" asks to confirm
 * in the row itself, then the person signs in no more and their open pages go back to sign-in.
 *
 * `choices` (the operator's only) gives the shops and couriers the console already loaded: { shops, couriers }.
 * Returns { render, load, choicesChanged }: render after the language or the choices changed, load after something
 * changed elsewhere, choicesChanged while the operator is in the form (the shop and courier lists only, what they
 * chose kept).
 */
export function mountPeople(container, { session, choices }) {
  const operator = Boolean(choices);
  let accounts = [];
  let confirming = null; // the account whose disabling waits for "yes"
  container.innerHTML = `
    <div data-people-list aria-live="polite"></div>
    <p data-people-message class="notice" role="status" tabindex="-1"></p>
    <form class="card" id="people-invite" novalidate aria-labelledby="people-invite-title">
      <h3 id="people-invite-title" data-i18n="${operator ? 'people.invite' : 'people.invite.colleague'}"></h3>
      <label for="people-email" data-i18n="people.email"></label>
      <input id="people-email" name="email" type="email" autocomplete="off" aria-describedby="err-people-email">
      <p class="field-error" id="err-people-email" data-error-for="email"></p>
      ${operator ? `
      <label for="people-role" data-i18n="people.role"></label>
      <select id="people-role" name="role" aria-describedby="err-people-role">
        <option value="courier" data-i18n="people.role.courier"></option>
        <option value="shop" data-i18n="people.role.shop"></option>
        <option value="operator" data-i18n="people.role.operator"></option>
      </select>
      <p class="field-error" id="err-people-role" data-error-for="role"></p>
      <div data-people-subject>
        <label for="people-subject" id="people-subject-label"></label>
        <select id="people-subject" name="subjectId" aria-describedby="err-people-subject"></select>
        <p class="field-error" id="err-people-subject" data-error-for="subjectId"></p>
      </div>` : ''}
      <div class="notice" data-invite-message role="alert"></div>
      <p><button type="submit" id="people-send" data-i18n="people.send"></button></p>
    </form>`;
  const list = container.querySelector('[data-people-list]');
  const message = container.querySelector('[data-people-message]');
  const form = container.querySelector('form');
  const inviteMessage = form.querySelector('[data-invite-message]');

  // The shop or courier the invited person acts for, from the lists the console keeps up to date. Redrawn only when
  // the choices changed, so a list the operator has open is not rebuilt under them by a live refresh.
  let drawn = null;
  const fillSubjects = () => {
    if (!operator) return;
    const role = form.role.value;
    const { shops = [], couriers = [] } = choices() || {};
    const options = role === 'shop' ? shops.map(s => [s.shopId, s.name]) : role === 'courier' ? couriers.map(c => [c.courierId, c.name]) : [];
    const signature = JSON.stringify([role, t('shop.choose'), options]);
    if (signature === drawn) return;
    drawn = signature;
    const keep = form.subjectId.value;
    form.subjectId.innerHTML = `<option value="">${esc(t('shop.choose'))}</option>` + options.map(([id, name]) => `<option value="${esc(id)}">${esc(name)}</option>`).join('');
    form.subjectId.value = options.some(([id]) => id === keep) ? keep : '';
    form.querySelector('#people-subject-label').textContent = t(role === 'shop' ? 'people.subject.shop' : 'people.subject.courier');
    form.querySelector('[data-people-subject]').hidden = role === 'operator';
  };

  const subjectName = a => {
    if (!operator || a.role === 'operator') return '';
    const { shops = [], couriers = [] } = choices() || {};
    return (a.role === 'shop' ? shops.find(s => s.shopId === a.subjectId)?.name : couriers.find(c => c.courierId === a.subjectId)?.name) ?? a.subjectId;
  };

  const state = a => (a.disabled ? 'disabled' : a.invited ? 'invited' : 'active');

  const action = a => {
    if (a.id === session.accountId) return `<small class="muted">${esc(t('people.you'))}</small>`;
    if (state(a) !== 'active') return '';
    if (confirming === a.id) {
      return `<div role="group" aria-labelledby="people-confirm-text" class="row">
        <span id="people-confirm-text">${esc(t('people.disable.confirm', { email: a.email }))}</span>
        <button type="button" class="danger" data-confirm-disable="${esc(a.id)}">${esc(t('people.disable.yes'))}</button>
        <button type="button" class="secondary" data-cancel-disable>${esc(t('people.disable.no'))}</button></div>`;
    }
    return `<button type="button" class="danger" data-disable="${esc(a.id)}" aria-label="${esc(t('people.disable'))} ${esc(a.email)}">${esc(t('people.disable'))}</button>`;
  };

  const render = () => {
    translate(container);
    fillSubjects();
    if (!accounts.length) { list.innerHTML = `<p class="muted">${esc(t('people.none'))}</p>`; return; }
    list.innerHTML = `<table class="stack"><thead><tr><th>${esc(t('people.email'))}</th>
        ${operator ? `<th>${esc(t('people.role'))}</th><th>${esc(t('people.subject'))}</th>` : ''}
        <th>${esc(t('people.state'))}</th><th><span class="sr-only">${esc(t('people.actions'))}</span></th></tr></thead><tbody>` +
      accounts.map(a => `<tr data-account="${esc(a.id)}" data-email="${esc(a.email)}" data-state="${state(a)}">
        <td>${esc(a.email)}</td>
        ${operator ? `<td>${esc(t(`people.role.${a.role}`))}</td><td>${esc(subjectName(a))}</td>` : ''}
        <td><span class="status person-${state(a)}">${esc(t(`people.state.${state(a)}`))}</span></td>
        <td>${action(a)}</td></tr>`).join('') + '</tbody></table>';
    list.querySelectorAll('[data-disable]').forEach(b => b.addEventListener('click', () => {
      confirming = b.dataset.disable;
      render();
      list.querySelector('[data-confirm-disable]')?.focus();
    }));
    list.querySelector('[data-cancel-disable]')?.addEventListener('click', () => {
      const id = confirming;
      confirming = null;
      render();
      list.querySelector(`[data-disable="${CSS.escape(id)}"]`)?.focus();
    });
    list.querySelector('[data-confirm-disable]')?.addEventListener('click', e => disable(e.currentTarget.dataset.confirmDisable));
  };

  const load = async () => {
    try {
      const found = await api('/api/accounts');
      accounts = found.sort((a, b) => a.email.localeCompare(b.email));
      render();
    } catch (err) {
      list.innerHTML = `<p class="notice err">${esc(err.message)}</p>`;
    }
  };

  async function disable(id) {
    const email = accounts.find(a => a.id === id)?.email ?? '';
    confirming = null;
    try {
      await api(`/api/accounts/${encodeURIComponent(id)}/disable`, { method: 'POST', body: {} });
      notice(message, t('people.disabled', { email }), 'ok');
    } catch (err) {
      notice(message, err.message, 'err');
    }
    await load();
    message.focus();
  }

  form.role?.addEventListener('change', fillSubjects);
  form.addEventListener('submit', async e => {
    e.preventDefault();
    const button = form.querySelector('#people-send');
    button.disabled = true;
    const email = form.email.value.trim();
    const body = operator ? { email, role: form.role.value, subjectId: form.subjectId.value || null } : { email };
    try {
      await api('/api/accounts', { method: 'POST', body });
      showFieldErrors(form, {});
      notice(inviteMessage, t('people.invited', { email }), 'ok');
      form.email.value = '';
      await load();
    } catch (err) {
      if (err instanceof Problem && err.status === 422 && Object.keys(err.errors).length) {
        const { first, unplaced } = showFieldErrors(form, err.errors);
        notice(inviteMessage, [t('shop.fix'), ...unplaced].join(' '), 'err');
        first?.focus();
      } else {
        // An address already used (409) and anything else: said once, under the form; what was typed stays.
        showFieldErrors(form, {});
        notice(inviteMessage, err.message, 'err');
      }
    } finally {
      button.disabled = false;
    }
  });

  render();
  load();
  return { render, load, choicesChanged: fillSubjects };
}
