// Brightness, contrast and gamma of the slide on screen (display only: analysis always reads the
// original pixels). Applied as an SVG filter on OpenSeadragon's canvas, and only when one of them
// is off its neutral value, so the usual view costs nothing extra.
import { h } from '../ui.js';

let filters = 0;

export function displaySection(viewer) {
  const id = `display-${++filters}`;
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.style.position = 'absolute';
  svg.innerHTML = `<filter id="${id}" color-interpolation-filters="sRGB"><feComponentTransfer>`
    + ['R', 'G', 'B'].map((c) => `<feFunc${c} type="gamma" amplitude="1" exponent="1" offset="0"/>`).join('') + '</feComponentTransfer></filter>';
  document.body.append(svg);
  const slider = (name, min, max, step) => h('input', { type: 'range', id: `display-${name}`, min, max, step, value: 1, oninput: apply });
  const brightness = slider('brightness', 0.2, 3, 0.05);
  const contrast = slider('contrast', 0.2, 3, 0.05);
  const gamma = slider('gamma', 0.2, 3, 0.05);
  function apply() {
    const b = Number(brightness.value), c = Number(contrast.value), g = Number(gamma.value);
    // out = amplitude * in^exponent + offset: gamma as the exponent (1/g: higher brightens the
    // mid-tones), contrast about mid-grey, brightness as a gain.
    for (const f of svg.querySelectorAll('feFuncR, feFuncG, feFuncB')) {
      f.setAttribute('exponent', String(1 / g));
      f.setAttribute('amplitude', String(b * c));
      f.setAttribute('offset', String(b * 0.5 * (1 - c)));
    }
    const neutral = b === 1 && c === 1 && g === 1;
    viewer.drawer.canvas.style.filter = neutral ? '' : `url(#${id})`;
  }
  const reset = h('button.link', { onclick: () => { brightness.value = contrast.value = gamma.value = 1; apply(); } }, 'reset');
  const element = h('section', { id: 'display' }, h('h3', {}, 'Display ', reset),
    h('label.slider', {}, 'Brightness', brightness), h('label.slider', {}, 'Contrast', contrast), h('label.slider', {}, 'Gamma', gamma));
  return { element, close: () => svg.remove(), apply };
}
