import { t, when } from './i18n.js';
import { api, esc } from './common.js';

// A parcel's history for its shop and the operators: the timeline, then the proofs kept of its home delivery (the
// photo, or the name and signature of who took it; the photo of a failed attempt). Images are fetched with the
// caller's session and shown as data: URLs (the page's policy loads images from here or data: only), never cached.
async function image(url) {
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store' });
  if (!response.ok) return null;
  const blob = await response.blob();
  return new Promise(resolve => { const reader = new FileReader(); reader.onload = () => resolve(reader.result); reader.readAsDataURL(blob); });
}

export async function showHistory(box, parcel) {
  box.hidden = false;
  box.innerHTML = `<p class="muted">${esc(t('history.loading'))}</p>`;
  const [detail, proofs] = await Promise.all([
    api(`/api/parcels/${encodeURIComponent(parcel.parcelId)}`),
    api(`/api/parcels/${encodeURIComponent(parcel.parcelId)}/proofs`).catch(() => []),
  ]);
  const items = await Promise.all(proofs.map(async p => {
    const [photo, signature] = await Promise.all([p.photoUrl ? image(p.photoUrl) : null, p.signatureUrl ? image(p.signatureUrl) : null]);
    const title = t(p.kind === 'failed' ? 'history.proof.failed' : 'history.proof.delivered', { at: when(p.at) });
    if (p.erased) return `<li data-proof="${esc(p.proofId)}"><strong>${esc(title)}</strong> — ${esc(t('history.proof.erased'))}</li>`;
    return `<li data-proof="${esc(p.proofId)}"><strong>${esc(title)}</strong>
      ${photo ? `<br><img class="proof-photo" src="${esc(photo)}" alt="${esc(t('history.proof.photo', { p: parcel.trackingId }))}">` : ''}
      ${p.signedBy ? `<br>${esc(t('history.proof.signedBy', { name: p.signedBy }))}` : ''}
      ${signature ? `<br><img class="proof-signature" src="${esc(signature)}" alt="${esc(t('history.proof.signature', { name: p.signedBy ?? '' }))}">` : ''}</li>`;
  }));
  box.innerHTML = `<div class="card" id="history-card"><h3 id="history-title" tabindex="-1">${esc(t('history.title', { p: parcel.trackingId }))}</h3>
    <ol class="timeline">${detail.timeline.map(e => `<li><small class="muted">${esc(when(e.at))}</small> ${esc(e.text)}</li>`).join('')}</ol>
    ${items.length ? `<h4>${esc(t('history.proofs'))}</h4><ul class="proofs">${items.join('')}</ul>` : ''}</div>`;
  box.querySelector('#history-title').focus();
}
