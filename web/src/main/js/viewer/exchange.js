// Region exchange formats the server converts to and from (one file per slice, a zip per series),
// and the viewer's section that imports and exports the slice's regions.
import { api } from '../api.js';
import { h, showError, toast, download } from '../ui.js';
import { HUMAN } from './regions.js';

export const exchangeFormats = [
  { id: 'geojson', label: 'GeoJSON (QuPath)', extension: 'geojson' },
  { id: 'microdraw', label: 'MicroDraw JSON', extension: 'json' },
];

// what an import could not bring in, with the first reasons (the answer lists every feature)
const leftOut = (r) => (r.skipped ? `; ${r.skipped} left out: ${(r.features || []).filter((f) => f.outcome === 'skipped')
  .slice(0, 3).map((f) => `${f.feature} ${f.reason}`).join('; ')}${r.skipped > 3 ? '…' : ''}` : '');

export function exchangeSection({ sliceId, slice, store, canEdit }) {
  const format = h('select', { id: 'exchange-format' }, exchangeFormats.map((f) => h('option', { value: f.id }, f.label)));
  const file = h('input', {
    type: 'file', accept: '.json,.geojson', id: 'import-file',
    onchange: async () => {
      const f = file.files[0];
      file.value = '';
      if (!f) return;
      try {
        await store.flushed();
        const r = await api('POST', `/api/v1/slices/${sliceId}/import?format=${format.value}`, f);
        toast(`Imported ${r.imported} region${r.imported === 1 ? '' : 's'}${r.updated ? ` (${r.updated} updated)` : ''}${r.classesAdded && r.classesAdded.length ? `; new classes: ${r.classesAdded.join(', ')}` : ''}${leftOut(r)}`);
        if (r.classesAdded && r.classesAdded.length) location.reload(); else await store.load(HUMAN);
      } catch (e) { showError(e); }
    },
  });
  return h('section', {}, h('h3', {}, 'Import / export'), format,
    h('div.row', {},
      h('button', {
        id: 'export', onclick: async () => {
          try {
            await store.flushed();
            const response = await api('GET', `/api/v1/slices/${sliceId}/export?format=${format.value}`, undefined, { raw: true });
            const ext = exchangeFormats.find((f) => f.id === format.value).extension;
            download(`${slice.name.replace(/\.[^.]+$/, '')}.${ext}`, await response.blob());
          } catch (e) { showError(e); }
        },
      }, 'Export'),
      canEdit ? h('label.button', {}, 'Import…', file) : null));
}
