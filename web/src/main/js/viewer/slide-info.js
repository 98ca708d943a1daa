// What the slide's file knows (GET /api/v1/slices/{id}: format, vendor, objective power, pixel size,
// associated images such as the label, the macro picture and the thumbnail), and the pixel size set
// by the project's owner (PATCH /api/v1/slices/{id}), for files that do not record it or record it wrong.
import { patch } from '../api.js';
import { h, clear, showError, toast } from '../ui.js';

/** One line: "Aperio SVS · 40x objective · 0.25 µm/px" (what is known; the vendor when the format does not say it). */
export function slideFacts(s) {
  const vendor = s.vendor && !String(s.format || '').toLowerCase().includes(String(s.vendor).toLowerCase()) ? `scanner: ${s.vendor}` : null;
  const parts = [s.format, vendor, s.objectivePower ? `${Number(s.objectivePower)}x objective` : null,
    s.micronsPerPixel ? `${Number(s.micronsPerPixel.toPrecision(4))} µm/px` : 'pixel size unknown'];
  return parts.filter(Boolean).join(' · ');
}

/** The URL of an associated image of a slice. */
export function associatedUrl(sliceId, name) {
  return `/api/v1/slices/${sliceId}/associated/${encodeURIComponent(name)}`;
}

/**
 * The owner's pixel size form: "[0.25] µm/px Save Forget". `saved(slice)` gets the slice as the
 * server answers it (micronsPerPixel null when forgotten).
 */
export function pixelSizeForm(s, saved) {
  const value = h('input', {
    type: 'number', class: 'mpp-value', min: 0.001, max: 1000, step: 'any', size: 7, value: s.micronsPerPixel || '',
    placeholder: 'e.g. 0.25', required: true, title: 'Microns per pixel: about 0.25 at 40x, 0.5 at 20x',
  });
  async function send(micronsPerPixel) {
    try {
      const answer = await patch(`/api/v1/slices/${s.id}`, { micronsPerPixel });
      toast(micronsPerPixel ? `${answer.name}: ${answer.micronsPerPixel} µm per pixel` : `${answer.name}: pixel size forgotten`);
      saved(answer);
    } catch (e) { showError(e); }
  }
  return h('form.inline.mpp-form', {
    onsubmit: (e) => {
      e.preventDefault();
      const v = Number(String(value.value).replace(',', '.'));
      if (!(v > 0 && v < 1000)) { showError(new Error(`not a pixel size in µm: ${value.value}`)); return; }
      send(v);
    },
  }, value, ' µm/px ', h('button', { type: 'submit', class: 'mpp-save' }, 'Save'),
  s.micronsPerPixel ? h('button.link.mpp-forget', { type: 'button', onclick: () => send(null) }, 'Forget') : null);
}

/**
 * The viewer's "Slide" section: the facts, the associated images (each opens full size), and for the
 * owner the pixel size form. `changed(slice)` is called with the slice as saved.
 */
export function slideInfoSection({ slice, sliceId, isOwner, changed }) {
  const element = h('section', { id: 'slide-info' });
  function render() {
    clear(element);
    const images = slice.associatedImages || [];
    element.append(h('h3', {}, 'Slide'),
      h('p.muted', { id: 'slide-facts' }, `${slice.width.toLocaleString('en-US')} × ${slice.height.toLocaleString('en-US')} px · `, slideFacts(slice)));
    if (isOwner) {
      const toggle = h('button.link', { id: 'edit-mpp', onclick: () => { toggle.replaceWith(pixelSizeForm({ ...slice, id: sliceId }, saved)); } },
        slice.micronsPerPixel ? 'Correct the pixel size…' : 'Set the pixel size…');
      element.append(toggle);
    }
    if (images.length) {
      element.append(h('div.associated', { id: 'associated-images' }, images.map((name) => h('figure', { 'data-image': name },
        h('a', { href: associatedUrl(sliceId, name), target: '_blank', rel: 'noopener', title: `The ${name} image, full size` },
          h('img', { src: associatedUrl(sliceId, name), alt: name, loading: 'lazy' })), h('figcaption', {}, name)))));
    }
  }
  function saved(answer) {
    slice.micronsPerPixel = answer.micronsPerPixel;
    render();
    changed(slice);
  }
  render();
  return { element, render };
}
