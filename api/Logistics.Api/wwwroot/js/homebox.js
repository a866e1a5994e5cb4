import { t, translate, languageSwitch } from './i18n.js';
import { api, $, notice, showFieldErrors } from './common.js';

// The resident's page, reached from the QR code on their home box (/homebox/<box id>): no sign-in, the code printed
// on the box is the proof that they stand in front of it.
const boxId = decodeURIComponent(location.pathname.split('/')[2] || '').trim();
$('#box-id').textContent = boxId;

// The form's fields as the API names them ("address.street" → { address: { street } }).
function body(form) {
  const out = {};
  for (const input of form.querySelectorAll('input[name]')) {
    const path = input.name.split('.');
    let node = out;
    path.slice(0, -1).forEach(part => { node = node[part] ??= {}; });
    node[path.at(-1)] = input.value.trim();
  }
  return out;
}

function submitTo(form, path, button, done) {
  form.addEventListener('submit', async e => {
    e.preventDefault();
    button.disabled = true;
    try {
      const answer = await api(`/api/home-boxes/${encodeURIComponent(boxId)}/${path}`, { method: 'POST', body: body(form) });
      showFieldErrors(form, {});
      notice($('#message'), done(answer), 'ok');
      form.reset();
      $('#message').focus();
    } catch (err) {
      // A refusal about one field goes next to it; any other reason (a wrong code, a box already paired) goes on top.
      const { first, unplaced } = showFieldErrors(form, err.errors || {});
      const general = [...unplaced, ...(Object.keys(err.errors || {}).length ? [] : [err.message])];
      notice($('#message'), general.join(' '), general.length ? 'err' : '');
      (first || (general.length ? $('#message') : null))?.focus();
    } finally {
      button.disabled = false;
    }
  });
}

submitTo($('#claim'), 'claim', $('#pair'), answer => t('homebox.paired', { name: answer.name, id: answer.boxId }));
submitTo($('#release'), 'release', $('#give-up'), () => t('homebox.released'));
languageSwitch($('#bar'));
translate();
