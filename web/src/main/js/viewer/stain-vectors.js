// The project's stain vectors: the colours of its two stains (hematoxylin and eosin, or hematoxylin
// and DAB) as optical densities, which the segmentation separates the slide into. Ruifrok and
// Johnston's preset unless the project has its own: "estimate from this slide" (the server measures
// them from the slide's pixels, as QuPath's "Estimate stain vectors" does) or typed in. Shown and
// edited on the project page and in the viewer; the segmentation panel trains on them.
import { api } from '../api.js';
import { h, clear, showError, toast } from '../ui.js';

/** The stains a project's slides may have (the engine's channel sets of the same names). */
export const STAINS = [
  { id: 'he', label: 'H&E (hematoxylin, eosin)' },
  { id: 'hdab', label: 'H-DAB (hematoxylin, DAB: IHC)' },
  { id: 'rgb', label: 'RGB (no stain separation)' },
];

const od = (s) => s.opticalDensity.map((v) => v.toFixed(3)).join(', ');

/** "Hematoxylin 0.650, 0.704, 0.286 · DAB 0.268, 0.570, 0.776" */
export function stainsText(stains) {
  return stains.map((s) => `${s.name} ${od(s)}`).join(' · ');
}

/** Where the project's vectors come from, in words. */
export function originText(vectors, sliceName = (id) => `slice ${id}`) {
  if (!vectors) return 'no stain separation (RGB)';
  if (!vectors.custom) return 'the preset (Ruifrok and Johnston)';
  return vectors.estimatedFrom ? `estimated from ${sliceName(vectors.estimatedFrom)}` : 'typed in';
}

/** A swatch of a stain's colour: the light an optical density lets through. */
function swatch(stain) {
  const [r, g, b] = stain.opticalDensity.map((d) => Math.round(255 * 10 ** -(0.8 * d)));
  return h('span.swatch', { style: { background: `rgb(${r}, ${g}, ${b})` }, title: stain.name });
}

/**
 * The project's vectors, kept current in `project.stainVectors`: what they are and where they come
 * from; for the owner a text field (r,g,b/r,g,b), "Save" and "Reset to the preset". `sliceName(id)`
 * names a slice; `changed()` is called after every change.
 */
export function stainVectorsEditor({ project, isOwner, sliceName, changed = () => {} }) {
  const box = h('div.stain-vectors', { id: 'stain-vectors' });
  function render() {
    clear(box);
    const v = project.stainVectors;
    if (!v) { box.append(h('p.muted', {}, 'Stain vectors: none (RGB: the colour channels as they are).')); return; }
    box.append(h('p', { id: 'stain-vectors-current' }, 'Stain vectors: ', ...v.stains.map((s) => h('span.stain', {}, swatch(s), ` ${s.name} `, h('code', {}, od(s)), ' ')),
      h('span.muted', { id: 'stain-vectors-origin' }, `(${originText(v, sliceName)})`)));
    if (!isOwner) return;
    const text = h('input', { id: 'stain-vectors-text', size: 36, value: v.vectors, title: 'The two stains\' red, green and blue optical densities: r,g,b/r,g,b' });
    box.append(h('form.inline', {
      onsubmit: async (e) => {
        e.preventDefault();
        await save({ vectors: text.value.trim() }, 'Stain vectors saved: the segmentation trains on them');
      },
    }, text, h('button', { type: 'submit', id: 'stain-vectors-save' }, 'Save'),
    v.custom ? h('button.link', { type: 'button', id: 'stain-vectors-reset', onclick: () => reset() }, 'Reset to the preset') : null));
  }
  async function save(body, message) {
    try {
      project.stainVectors = await api('PUT', `/api/v1/projects/${project.id}/stain-vectors`, body);
      toast(message);
      render();
      changed();
      return true;
    } catch (e) { showError(e); return false; }
  }
  async function reset() {
    try {
      project.stainVectors = await api('DELETE', `/api/v1/projects/${project.id}/stain-vectors`);
      toast('Stain vectors: back to the preset');
      render();
      changed();
    } catch (e) { showError(e); }
  }
  render();
  return { element: box, render, save };
}

/**
 * The viewer's "Estimate from this slide": the server measures the slide's two stains; the answer is
 * shown beside the project's vectors, and the owner keeps it for the project with one click.
 */
export function estimateFromSlide({ project, slice, sliceId, isOwner, editor }) {
  const result = h('div', { id: 'stain-estimate' });
  const button = h('button', {
    id: 'stain-estimate-run', title: 'Measure the stains\' colours on this slide (as QuPath\'s "Estimate stain vectors")',
    onclick: async () => {
      button.disabled = true;
      clear(result).append(h('p.muted', {}, 'Measuring the stains of this slide…'));
      try {
        const e = await api('POST', `/api/v1/slices/${sliceId}/estimate-stains`, {});
        clear(result).append(h('p', { id: 'stain-estimate-values' }, 'This slide: ', ...e.stains.map((s) => h('span.stain', {}, swatch(s), ` ${s.name} `, h('code', {}, od(s)), ' ')),
          h('span.muted', {}, `(${e.degreesFromPreset}° from the preset)`)));
        if (isOwner) {
          result.append(h('button', {
            id: 'stain-estimate-use',
            onclick: async () => { if (await editor.save({ vectors: e.vectors, estimatedFrom: sliceId }, `The project's stain vectors are now those of ${slice.name}`)) clear(result); },
          }, 'Use for the project'));
        }
      } catch (err) {
        clear(result).append(h('p.error', {}, err.message));
      } finally {
        button.disabled = false;
      }
    },
  }, 'Estimate from this slide');
  return project.stainVectors ? h('div', {}, button, result) : null;
}

/** The viewer's "Stain" section: the project's stain and vectors, and "Estimate from this slide". */
export function stainSection({ project, slice, sliceId, series, isOwner, changed }) {
  const stain = STAINS.find((s) => s.id === project.stain) || STAINS[0];
  const sliceName = (id) => (series.slices.find((s) => s.id === id) || { name: `slice ${id}` }).name;
  const editor = stainVectorsEditor({ project, isOwner, sliceName, changed });
  return h('section', { id: 'stain' }, h('h3', {}, 'Stain'),
    h('p.muted', {}, `${stain.label}: the project's (its owner chooses it on the project page)`),
    editor.element, estimateFromSlide({ project, slice, sliceId, isOwner, editor }));
}
