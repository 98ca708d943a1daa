// What "Segment here" trains and predicts on: the visible part of the slide at the resolution on
// screen, its pixels (IIIF, lossless PNG) and the human regions over it.
import { api } from '../api.js';
import { itemToGeometry } from './geometry.js';
import { HUMAN } from './regions.js';

/** The visible part of the slide, in slide pixels, with the resolution it is displayed at (at most maxSide a side). */
export function visibleArea(viewer, slice, maxSide) {
  const image = viewer.world.getItemAt(0);
  if (!image) return null;
  const r = image.viewportToImageRectangle(viewer.viewport.getBounds(true));
  const x0 = Math.max(0, Math.floor(r.x)), y0 = Math.max(0, Math.floor(r.y));
  const x1 = Math.min(slice.width, Math.ceil(r.x + r.width)), y1 = Math.min(slice.height, Math.ceil(r.y + r.height));
  if (x1 - x0 < 8 || y1 - y0 < 8) return null;
  const screen = viewer.viewport.getContainerSize();
  // Slide pixels per displayed pixel, never finer than the slide itself nor coarser than maxSide allows.
  const scale = Math.max(1, r.width / screen.x, (x1 - x0) / maxSide, (y1 - y0) / maxSide);
  const width = Math.max(1, Math.round((x1 - x0) / scale)), height = Math.max(1, Math.round((y1 - y0) / scale));
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, width, height, scale: (x1 - x0) / width };
}

/** The human regions whose bounds meet the view, as GeoJSON features in slide pixels. */
export function humanRegionsIn(store, view) {
  const features = [];
  for (const item of store.items.values()) {
    if (item.data.layer !== HUMAN || !item.data.className) continue;
    const b = item.bounds;
    if (b.right < view.x || b.bottom < view.y || b.left > view.x + view.w || b.top > view.y + view.h) continue;
    const geometry = itemToGeometry(item);
    if (!geometry) continue;
    features.push({ type: 'Feature', geometry, properties: { classification: { name: item.data.className, color: rgbOf(store.classColour(item.data.className)) } } });
  }
  return features;
}

/** The view's pixels as RGBA. */
export async function fetchPixels(slice, view) {
  const url = `${slice.iiif}/${view.x},${view.y},${view.w},${view.h}/${view.width},${view.height}/0/default.png`;
  const response = await api('GET', url, undefined, { raw: true });
  const bitmap = await createImageBitmap(await response.blob());
  const off = new OffscreenCanvas(view.width, view.height);
  const g = off.getContext('2d', { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0, view.width, view.height);
  bitmap.close();
  return g.getImageData(0, 0, view.width, view.height).data;
}

/** '#rrggbb' (or [r, g, b]) as [r, g, b]. */
export function rgbOf(colour) {
  if (Array.isArray(colour)) return colour.slice(0, 3);
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(colour || '');
  return m ? [parseInt(m[1], 16), parseInt(m[2], 16), parseInt(m[3], 16)] : [255, 179, 0];
}
