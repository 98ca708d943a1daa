// What the slide's file knows (format, vendor, objective, pixel size, label and macro images), and
// the pixel size edited by the project's owner where the file has none (PATCH /api/v1/slices/{id}).
import { patch } from '../api.js';
import { h, showError, toast } from '../ui.js';

/** One line: "Aperio SVS · Aperio · 20x · 0.499 µm/px" (what is known). */
export function slideFacts(s) {
  const parts = [s.format, s.vendor && s.vendor !== s.format ? s.vendor : null, s.objectivePower ? `${s.objectivePower}x` : null,
    s.micronsPerPixel ? `${Number(s.micronsPerPixel.toPrecision(4))} µm/px` : 'pixel size unknown'];
  return parts.filter(Boolean).join(' · ');
}

/** Asks the owner for the slide's pixel size and saves it; true when saved. */
export async function editPixelSize(s) {
  const answer = prompt(`Pixel size of ${s.name}, in µm per pixel (e.g. 0.25 at 40x, 0.5 at 20x):`, s.micronsPerPixel || '');
  if (answer === null || answer.trim() === '') return false;
  const value = Number(answer.replace(',', '.'));
  if (!(value > 0 && value < 1000)) { showError(new Error(`not a pixel size in µm: ${answer}`)); return false; }
  try {
    await patch(`/api/v1/slices/${s.id}`, { micronsPerPixel: value });
    toast(`${s.name}: ${value} µm per pixel`);
    return true;
  } catch (e) { showError(e); return false; }
}

/** The viewer's "Slide" section. */
export function slideInfoSection({ slice, sliceId, isOwner }) {
  const images = (slice.associatedImages || []).filter((n) => n !== 'thumbnail');
  return h('section', { id: 'slide-info' }, h('h3', {}, 'Slide'),
    h('p.muted', { id: 'slide-facts' }, `${slice.width} × ${slice.height} px · `, slideFacts(slice)),
    isOwner ? h('button.link', { id: 'edit-mpp', onclick: () => editPixelSize({ ...slice, id: sliceId }).then((ok) => ok && location.reload()) }, 'Set the pixel size…') : null,
    images.length ? h('div.associated', {}, images.map((name) => h('figure', {},
      h('img', { src: `/api/v1/slices/${sliceId}/associated/${encodeURIComponent(name)}`, alt: name, loading: 'lazy' }), h('figcaption', {}, name)))) : null);
}
