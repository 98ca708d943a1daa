// "Accept": a model's results (layers generated, browser) become the user's own annotations. The
// server moves them into the human layer in one change, each keeping its provenance (which model,
// which job) under `acceptedFrom`; there they are edited, re-classed and deleted like any region.
// Undo moves them back (with their provenance), redo accepts them again.
import { api } from '../api.js';

export function acceptResults({ sliceId, store, selection, reload, say }) {
  function step(firstSelector) {
    let selector = firstSelector; // what to accept: a layer (and classes), or region ids
    let accepted = []; // ids of the human regions made by the last accept
    return {
      redo: async () => {
        const r = await api('POST', `/api/v1/slices/${sliceId}/accept`, selector);
        accepted = r.regions.map((m) => m.to);
        await reload();
        say(`Accepted ${r.accepted} region${r.accepted === 1 ? '' : 's'} into your annotations.`);
      },
      undo: async () => {
        const r = await api('POST', `/api/v1/slices/${sliceId}/unaccept`, { regions: accepted });
        selector = { regions: r.regions.map((m) => m.to) };
        await reload();
      },
    };
  }
  return {
    /** The selected results (regions of model layers). */
    selected(items) {
      const ids = items.filter((r) => !store.editable(r)).map((r) => r.data.id);
      if (!ids.length) return;
      selection.clear();
      store.record(step({ regions: ids }));
    },
    /** A whole layer, or only some of its classes. */
    layer(name, classes) {
      store.record(step(classes ? { layer: name, classes } : { layer: name }));
    },
  };
}
