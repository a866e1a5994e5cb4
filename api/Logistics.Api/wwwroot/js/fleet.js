import { t, translate, when } from './i18n.js';
import { api, esc, notice } from './common.js';

// The lockers' board program: each board's version and its last update, the releases published, a form to publish a
// signed release (manifest.json and bundle.tar.gz, as release-pack writes them) and, per locker, "install" a release.
// Rendered into `outer`; refresh() redraws the lists, never while the operator is in the forms.
export function mountFleet(outer) {
  outer.innerHTML = `<div class="fleet-list"></div>
    <form class="fleet-install row" novalidate>
      <label><span data-i18n="fleet.release"></span> <select name="version" required></select></label>
      <label><span data-i18n="fleet.locker"></span> <select name="locker" required></select></label>
      <button type="submit"><span data-i18n="fleet.install"></span></button>
    </form>
    <details class="fleet-publish"><summary><span data-i18n="fleet.publish"></span></summary>
      <form class="stack" novalidate>
        <label><span data-i18n="fleet.manifest"></span> <input type="file" name="manifest" accept="application/json,.json" required></label>
        <label><span data-i18n="fleet.bundle"></span> <input type="file" name="bundle" accept="application/gzip,.gz" required></label>
        <button type="submit"><span data-i18n="fleet.publish.go"></span></button>
      </form></details>
    <p data-fleet-message role="status" aria-live="polite" tabindex="-1"></p>`;
  translate(outer);
  const list = outer.querySelector('.fleet-list');
  const install = outer.querySelector('.fleet-install');
  const publish = outer.querySelector('.fleet-publish form');
  const message = outer.querySelector('[data-fleet-message]');
  let fleet = [], releases = [];
  // A refusal in words: what is wrong with each file when the API says, else its sentence.
  const refusal = err => Object.values(err.errors ?? {}).flat().join(' ') || err.message;

  function render() {
    list.innerHTML = fleet.length
      ? `<table class="stack"><thead><tr><th>${esc(t('fleet.locker'))}</th><th>${esc(t('fleet.version'))}</th><th>${esc(t('fleet.update'))}</th></tr></thead><tbody>` +
        fleet.map(f => `<tr class="fleet-entry" data-locker="${esc(f.lockerId)}" data-state="${esc(f.updateState ?? '')}">
          <td>${esc(f.name)}${f.online ? '' : ` <small class="muted">${esc(t('fleet.offline'))}</small>`}</td>
          <td><code>${esc(f.programVersion ?? '—')}</code>${f.reportedAt ? `<br><small class="muted">${esc(when(f.reportedAt))}</small>` : ''}</td>
          <td>${f.updateState ? `${esc(t(`fleet.state.${f.updateState}`, { version: f.updateVersion }))}${f.updateDetail ? `<br><small>${esc(f.updateDetail)}</small>` : ''}<br><small class="muted">${esc(when(f.updateAt))}</small>` : '—'}</td></tr>`).join('') +
        '</tbody></table>'
      : `<p class="muted">${esc(t('fleet.none'))}</p>`;
    if (!install.contains(document.activeElement)) {
      install.version.innerHTML = releases.map(r => `<option value="${esc(r.version)}">${esc(r.version)} (${esc(r.runtime)})</option>`).join('');
      install.locker.innerHTML = `<option value="*">${esc(t('fleet.all'))}</option>` + fleet.map(f => `<option value="${esc(f.lockerId)}">${esc(f.name)}</option>`).join('');
      install.hidden = releases.length === 0 || fleet.length === 0;
    }
  }

  async function refresh() {
    try {
      [fleet, releases] = await Promise.all([api('/api/lockers/fleet'), api('/api/lockers/releases')]);
      render();
    } catch (err) {
      list.innerHTML = `<p class="notice err">${esc(err.message)}</p>`;
    }
  }

  install.addEventListener('submit', async e => {
    e.preventDefault();
    const version = install.version.value;
    const targets = install.locker.value === '*' ? fleet.map(f => f.lockerId) : [install.locker.value];
    let asked = 0;
    try {
      for (const id of targets) {
        await api(`/api/lockers/${encodeURIComponent(id)}/install-release`, { method: 'POST', body: { version } });
        asked++;
      }
      notice(message, t('fleet.asked', { version, n: asked }));
    } catch (err) {
      notice(message, `${t('fleet.asked', { version, n: asked })} ${refusal(err)}`, 'err');
    }
    message.focus();
    await refresh();
  });

  publish.addEventListener('submit', async e => {
    e.preventDefault();
    if (!publish.manifest.files.length || !publish.bundle.files.length) {
      notice(message, t('fleet.publish.missing'), 'err');
      message.focus();
      return;
    }
    const body = new FormData();
    body.append('manifest', publish.manifest.files[0]);
    body.append('bundle', publish.bundle.files[0]);
    try {
      const release = await api('/api/lockers/releases', { method: 'POST', raw: { body } });
      notice(message, t('fleet.published', { version: release.version }));
      publish.reset();
    } catch (err) {
      notice(message, refusal(err), 'err');
    }
    message.focus();
    await refresh();
  });

  return { refresh };
}
