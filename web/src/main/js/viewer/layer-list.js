// The layers of the slice: the human annotations and each model's results, each with visibility,
// opacity and fill; the outline width (screen pixels) for all. A model's layer can be accepted into
// the human one, whole or one class at a time.
import { h, clear } from '../ui.js';
import { HUMAN, OUTLINE } from './regions.js';

export function layerList({ store, rasters, overlay, canEdit, accept }) {
  const list = h('ul.layers', { id: 'layers' });
  const outline = h('input', {
    type: 'range', id: 'outline-width', min: 1, max: 5, step: 0.5, value: OUTLINE.width, title: 'Outline width (screen pixels)',
    oninput: () => { OUTLINE.width = Number(outline.value); localStorage.setItem('outlineWidth', outline.value); store.restyle(); overlay.redraw(); },
  });
  const saved = Number(localStorage.getItem('outlineWidth'));
  if (saved) { OUTLINE.width = saved; outline.value = saved; }

  function set(name, style) {
    store.setLayerStyle(name, style);
    rasters.style(name);
    overlay.redraw();
  }
  function render() {
    clear(list);
    const names = [HUMAN, ...[...new Set([...store.layers.keys(), ...rasters.rasters.keys()])].filter((n) => n !== HUMAN).sort()];
    for (const name of names) {
      const items = [...store.items.values()].filter((i) => i.data.layer === name);
      const count = rasters.has(name) ? rasters.counts.get(name) : items.length;
      const style = store.styleOf(name);
      const li = h('li', { 'data-layer': name },
        h('label', {}, h('input', { type: 'checkbox', checked: style.visible, onchange: (e) => set(name, { visible: e.target.checked }) }),
          ` ${name === HUMAN ? 'Human annotations' : name} `, h('span.muted', {}, `(${count}${rasters.has(name) ? ', drawn as tiles' : ''})`)),
        h('label.slider', {}, 'Opacity', h('input', { type: 'range', class: 'layer-opacity', min: 0, max: 1, step: 0.05, value: style.opacity,
          oninput: (e) => set(name, { opacity: Number(e.target.value) }) })),
        rasters.has(name) ? null : h('label.slider', {}, 'Fill', h('input', { type: 'range', class: 'layer-fill', min: 0, max: 1, step: 0.05, value: style.fill,
          oninput: (e) => set(name, { fill: Number(e.target.value) }) })));
      if (name !== HUMAN && canEdit && accept && count) {
        const classes = [...new Set(items.map((i) => i.data.className).filter(Boolean))].sort();
        const which = h('select', { class: 'accept-class' }, h('option', { value: '' }, 'all classes'), classes.map((c) => h('option', { value: c }, c)));
        li.append(h('div.row', {}, h('button', {
          class: 'accept-layer', title: 'Copy the results into your annotations (their provenance is kept), where you can edit them',
          onclick: () => accept.layer(name, which.value ? [which.value] : null),
        }, 'Accept'), which));
      }
      list.append(li);
    }
  }
  const element = h('section', {}, h('h3', {}, 'Layers'), list, h('label.slider', {}, 'Outline width', outline));
  return { element, render };
}
