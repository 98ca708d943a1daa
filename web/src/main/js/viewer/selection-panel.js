// What is selected: how many regions of which classes, their area and perimeter, their class (for
// human regions) and, for a model's results, where they come from and "Accept".
import { h, clear } from '../ui.js';
import { HUMAN } from './regions.js';
import { itemToGeometry, geometryArea, geometryPerimeter } from './geometry.js';
import { areaText, lengthText } from './units.js';

export function selectionPanel({ selection, store, ontology, canEdit, micronsPerPixel, edits, accept }) {
  const box = h('div', { id: 'selection' });
  function render() {
    clear(box);
    const items = selection.items();
    if (!items.length) { box.append(h('p.muted', {}, 'Click a region to select it; Shift+click adds.')); return; }
    let area = 0;
    let perimeter = 0;
    for (const r of items) {
      const g = itemToGeometry(r);
      if (g) { area += geometryArea(g); perimeter += geometryPerimeter(g); }
    }
    const classes = [...new Set(items.map((r) => r.data.className))].join(', ');
    const editable = canEdit && items.some((r) => store.editable(r));
    box.append(h('p', {}, `${items.length} region${items.length === 1 ? '' : 's'} · ${classes}`));
    if (editable) {
      box.append(h('label', {}, 'Class (Shift+1–9)', h('select', { id: 'selection-class', onchange: (e) => edits.setClass(e.target.value) },
        h('option', { value: '' }, '—'), ontology.map((c) => h('option', { value: c.name, selected: items.every((r) => r.data.className === c.name) }, c.name)))));
    }
    box.append(h('p.muted', { id: 'selection-measures' }, `Area ${areaText(area, micronsPerPixel)} · perimeter ${lengthText(perimeter, micronsPerPixel)}`));
    const results = items.filter((r) => r.data.layer !== HUMAN);
    if (results.length) {
      const layers = [...new Set(results.map((r) => r.data.layer))];
      const p = results[0].data.provenance || {};
      box.append(h('p.muted', {}, `Generated (${layers.join(', ')})`, p.modelName || p.model ? ` by model ${p.modelName || p.model}` : '',
        p.service ? ` · ${p.service}` : ''));
      if (canEdit && accept) {
        box.append(h('button', { id: 'accept-selection', title: 'Copy these results into your annotations (their provenance is kept), where you can edit them',
          onclick: () => accept.selected(results) }, `Accept ${results.length} into my annotations`));
      }
    }
  }
  render();
  return { element: h('section', {}, h('h3', {}, 'Selection'), box), render };
}
