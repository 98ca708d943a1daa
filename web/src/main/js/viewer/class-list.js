// The project's classes: the one to draw with (1-9), indented by their parent.
import { h, clear } from '../ui.js';

export function classList(ontology) {
  const list = h('ul.classes', { id: 'classes' });
  let current = ontology.length ? ontology[0].name : null;
  const depth = (c) => (c.parent ? 1 + depth(ontology.find((o) => o.name === c.parent) || {}) : 0);
  function render() {
    clear(list);
    ontology.forEach((c, i) => {
      list.append(h('li', {
        class: c.name === current ? 'active' : '', 'data-class': c.name, style: { paddingLeft: `${0.4 + depth(c)}em` },
        onclick: () => choose(c.name),
      }, h('span.swatch', { style: { background: c.color } }), c.name, i < 9 ? h('kbd', {}, String(i + 1)) : null));
    });
  }
  function choose(name) {
    current = name;
    render();
  }
  render();
  const element = h('section', {}, h('h3', {}, 'Classes'), list,
    ontology.length ? null : h('p.muted', {}, 'This project has no classes yet: add them on the project page.'));
  return { element, choose, current: () => current };
}
