// Moving along the series: the slider, the arrows, PageUp/PageDown (or , .), at the same place and zoom.
import { h } from '../ui.js';

export function sliceNav({ series, sliceId, slice, viewer }) {
  const slices = series.slices;
  const index = slices.findIndex((s) => s.id === sliceId);
  const viewKey = `view:${slice.seriesId}`;
  function rememberView() {
    const c = viewer.viewport.getCenter();
    sessionStorage.setItem(viewKey, JSON.stringify({ x: c.x, y: c.y, zoom: viewer.viewport.getZoom() }));
  }
  function go(i) {
    if (i < 0 || i >= slices.length || i === index) return;
    rememberView();
    location.hash = `#/slices/${slices[i].id}`;
  }
  /** Opens at the place and zoom of the slice we came from. */
  function restoreView() {
    const saved = sessionStorage.getItem(viewKey);
    if (!saved) return;
    try {
      const v = JSON.parse(saved);
      viewer.viewport.zoomTo(v.zoom, null, true);
      viewer.viewport.panTo(new OpenSeadragon.Point(v.x, v.y), true);
    } catch { /* a stale view is no reason to fail */ }
  }
  const slider = h('input', { type: 'range', id: 'slice-slider', min: 0, max: slices.length - 1, value: index, onchange: () => go(Number(slider.value)) });
  const element = h('div.slicenav', {},
    h('button', { title: 'Previous slice (PageUp or ,)', onclick: () => go(index - 1), disabled: index === 0 }, '◀'),
    slider, h('span', { id: 'slice-label' }, `Slice ${index + 1} / ${slices.length}: ${slice.name}`),
    h('button', { title: 'Next slice (PageDown or .)', onclick: () => go(index + 1), disabled: index === slices.length - 1 }, '▶'));
  return { element, previous: () => go(index - 1), next: () => go(index + 1), restoreView, index, slices };
}
