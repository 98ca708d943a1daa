// The actions on selected regions (union, subtract, fill holes, simplify, delete, class): each one
// edit of the store, undone as one step. Only human regions are edited; results of a model are
// accepted into the human layer first (see accept.js).
import { itemToGeometry, simplifyItem } from './geometry.js';
import { tidy } from './tools.js';

export function regionEdits({ store, selection, overlay, canEdit, say }) {
  /** The selected regions one may edit; says why when there are none. */
  function editable(what) {
    if (!canEdit) { say('You can look but not edit in this project (viewer role).'); return []; }
    const chosen = selection.items();
    const items = chosen.filter((r) => store.editable(r));
    if (chosen.length && !items.length) say(`These are results of a model: accept them into your annotations to ${what} them (Selection › Accept).`);
    return items;
  }
  return {
    editable,
    union() {
      const items = editable('unite');
      if (items.length < 2) { if (items.length || !selection.items().length) say('Select two or more regions to unite (Shift+click).'); return; }
      let merged = items[0];
      for (const o of items.slice(1)) merged = merged.unite(o, { insert: false });
      store.batch([{ op: 'update', id: items[0].data.id, geometry: itemToGeometry(merged) }, ...items.slice(1).map((o) => ({ op: 'delete', id: o.data.id }))]);
    },
    subtract() {
      const items = editable('cut');
      if (items.length < 2) { if (items.length || !selection.items().length) say('Select a region, then Shift+click the regions to cut out of it.'); return; }
      let rest = items[0];
      for (const o of items.slice(1)) rest = rest.subtract(o, { insert: false });
      const geometry = Math.abs(rest.area) > 0.5 ? itemToGeometry(rest) : null;
      store.batch([geometry ? { op: 'update', id: items[0].data.id, geometry } : { op: 'delete', id: items[0].data.id }]);
    },
    fillHoles() {
      const items = editable('fill');
      if (!items.length) { if (!selection.items().length) say('Select the regions whose holes to fill.'); return; }
      const changes = [];
      for (const r of items) {
        const g = itemToGeometry(r);
        const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
        if (polygons.every((p) => p.length === 1)) continue;
        const shells = polygons.map((p) => [p[0]]);
        changes.push({ op: 'update', id: r.data.id, geometry: shells.length === 1 ? { type: 'Polygon', coordinates: shells[0] } : { type: 'MultiPolygon', coordinates: shells } });
      }
      if (!changes.length) say('No holes to fill.'); else store.batch(changes);
    },
    simplify() {
      const items = editable('simplify');
      if (!items.length) { if (!selection.items().length) say('Select the regions to simplify.'); return; }
      const tolerance = overlay.pixels(2);
      store.batch(items.map((r) => ({ op: 'update', id: r.data.id, geometry: itemToGeometry(tidy(simplifyItem(r.clone({ insert: false }), tolerance))) }))
        .filter((e) => e.geometry));
    },
    remove() {
      const items = editable('delete');
      if (!items.length) return;
      store.batch(items.map((r) => ({ op: 'delete', id: r.data.id })));
      selection.clear();
    },
    /** Gives the selected human regions another class. */
    setClass(name) {
      const items = editable('re-class').filter((r) => r.data.className !== name);
      if (items.length) store.batch(items.map((r) => ({ op: 'update', id: r.data.id, className: name, geometry: store.savedGeometry(r.data.id) })));
    },
  };
}
