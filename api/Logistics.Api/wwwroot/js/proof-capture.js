import SignaturePad from '/vendor/signature_pad/signature_pad.min.js';
import { t } from './i18n.js';
import { $ } from './common.js';

// The proof a courier keeps at a home: a photo (the phone's camera through the file input), or the name and the
// signature of the person who took the parcel, drawn on the screen. A failed delivery keeps a photo of the door.
// Photos are made smaller here (at most MAX_SIDE pixels, at most MAX_BYTES as JPEG) before they are sent or queued.
const MAX_SIDE = 1280;
const MAX_BYTES = 300 * 1024;

const base64 = blob => new Promise((resolve, reject) => {
  const reader = new FileReader();
  reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
  reader.onerror = () => reject(reader.error);
  reader.readAsDataURL(blob);
});

/** A picture file as a JPEG of at most MAX_SIDE pixels a side and MAX_BYTES, as base64 (lower quality until it fits). */
export async function shrink(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale); canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  let blob = null;
  for (let quality = 0.85; quality >= 0.3; quality -= 0.1) {
    blob = await new Promise(resolve => canvas.toBlob(resolve, 'image/jpeg', quality));
    if (blob.size <= MAX_BYTES) break;
  }
  return base64(blob);
}

let pad = null;
let photo = null;

function sizePad() {
  // The canvas drawn at the screen's pixel density, as signature_pad's own guide does; resizing clears it.
  const canvas = $('#proof-pad'), ratio = Math.max(window.devicePixelRatio || 1, 1);
  canvas.width = canvas.offsetWidth * ratio; canvas.height = canvas.offsetHeight * ratio;
  canvas.getContext('2d').scale(ratio, ratio);
  pad.clear();
}

/**
 * Asks for the proof of a delivery (mode 'deliver') or of a failed one (mode 'fail', with its reason). Resolves to
 * { proof, reason } once the courier confirms, or null when they go back.
 */
export function askProof(mode, trackingId) {
  const dialog = $('#proof-dialog'), form = $('#proof-form'), error = $('#proof-error');
  pad ??= new SignaturePad($('#proof-pad'), { penColor: '#111' });
  photo = null;
  form.reset(); error.textContent = '';
  $('#proof-preview').hidden = true; $('#proof-preview').removeAttribute('src');
  $('#proof-title').textContent = t(mode === 'fail' ? 'courier.proof.fail.title' : 'courier.proof.title', { p: trackingId });
  $('#proof-sign-set').hidden = mode === 'fail';
  $('#proof-reason-slot').hidden = mode !== 'fail';
  $('#proof-send').textContent = t(mode === 'fail' ? 'courier.fail' : 'courier.deliver');
  dialog.showModal();
  if (mode !== 'fail') sizePad();
  return new Promise(resolve => {
    const done = value => { form.onsubmit = null; $('#proof-cancel').onclick = null; dialog.onclose = null; if (dialog.open) dialog.close(); resolve(value); };
    $('#proof-photo').onchange = async () => {
      const file = $('#proof-photo').files[0];
      if (!file) return;
      try {
        photo = await shrink(file);
        $('#proof-preview').src = `data:image/jpeg;base64,${photo}`; $('#proof-preview').hidden = false;
        error.textContent = '';
      } catch { photo = null; error.textContent = t('courier.proof.not-an-image'); }
    };
    $('#proof-clear').onclick = () => pad.clear();
    $('#proof-cancel').onclick = () => done(null);
    dialog.onclose = () => done(null);
    form.onsubmit = e => {
      e.preventDefault();
      const name = $('#proof-name').value.trim();
      if (mode === 'fail') {
        const reason = $('#proof-reason').value.trim();
        if (!photo || !reason) { error.textContent = t(photo ? 'courier.proof.need-reason' : 'courier.proof.need-photo'); return; }
        done({ reason, proof: { photo } });
        return;
      }
      const signed = !pad.isEmpty();
      if (signed !== Boolean(name) && !photo) { error.textContent = t('courier.proof.need-both'); return; }
      if (!photo && !signed) { error.textContent = t('courier.proof.need-one'); return; }
      if (signed && !name) { error.textContent = t('courier.proof.need-both'); return; }
      const signature = signed ? pad.toDataURL('image/png').replace(/^data:[^,]*,/, '') : null;
      done({ proof: { photo, signature, signedBy: signed ? name : null } });
    };
  });
}
