// Layers too large for Paper (it draws every path on every frame: fine for hundreds of regions,
// not for 100,000): a generated layer above LARGE_LAYER regions is drawn by the server as
// transparent PNG tiles (a second OpenSeadragon image, cached per layer change) and stays
// selectable by asking the server which region lies under a click.
import { api, get } from '../api.js';
import { showError } from '../ui.js';

export const LARGE_LAYER = 2000;

export function rasterLayers({ viewer, sliceId, store, selection, overlay }) {
  const rasters = new Map(); // layer name -> OpenSeadragon TiledImage (null while it opens)
  const counts = new Map();
  const timers = new Map();
  let closed = false;

  async function show(name) {
    const dzi = `/slides/${sliceId}/layers/${encodeURIComponent(name)}/overlay.dzi`;
    const head = await api('GET', dzi, undefined, { raw: true });
    const seq = head.headers.get('X-Layer-Seq') || '0';
    const old = rasters.get(name);
    if (closed || (old && old.source && String(old.source.url || '').endsWith(`seq=${seq}`))) return;
    rasters.set(name, old || null);
    await new Promise((resolve) => {
      viewer.addTiledImage({
        tileSource: `${dzi}?seq=${seq}`,
        success: (e) => {
          if (closed) { resolve(); return; }
          // Tiles of a generated layer are pictures of many small regions, not stained tissue: drawn
          // at up to 2x their resolution they look the same, and at half the tiles they cost half
          // the requests and decodes while panning. And only the level in view is fetched, not every
          // level below it on the way (the slide underneath already shows while they arrive).
          e.item.minPixelRatio = 1;
          e.item.immediateRender = true;
          // The server's overlay tiles do not overlap (Overlap="0"), so OpenSeadragon can draw them
          // straight onto its canvas instead of into a scratch canvas first (a whole extra pass).
          e.item.source.hasTransparency = () => false;
          if (old) viewer.world.removeItem(old);
          rasters.set(name, e.item);
          style(name);
          resolve();
        },
        error: () => resolve(),
      });
    });
  }
  function hide(name) {
    const item = rasters.get(name);
    if (item) viewer.world.removeItem(item);
    rasters.delete(name);
  }
  function style(name) {
    const item = rasters.get(name);
    if (!item) return;
    const s = store.styleOf(name);
    item.setOpacity(s.visible ? s.opacity : 0);
  }

  /** Every layer of the slice: small ones as vectors in the store, large ones as tiles. */
  async function load() {
    const layers = await get(`/api/v1/slices/${sliceId}/layers`);
    await store.load('human');
    for (const l of layers) {
      if (closed) return;
      counts.set(l.name, l.count);
      if (l.count > LARGE_LAYER) {
        for (const [id, item] of [...store.items]) if (item.data.layer === l.name && !item.data.picked) store.forget(id);
        await show(l.name);
      } else {
        hide(l.name);
        await store.load(l.name);
      }
    }
  }

  return {
    rasters,
    counts,
    load,
    style,
    has: (name) => rasters.has(name),
    refreshSoon(name) {
      clearTimeout(timers.get(name));
      timers.set(name, setTimeout(() => show(name).catch(showError), 500));
    },
    /** A click on a tile-drawn layer: ask the server which region is there, and select it. */
    async pick(point, additive) {
      const visible = [...rasters.keys()].filter((n) => store.styleOf(n).visible);
      for (const layer of visible) {
        const params = new URLSearchParams({ x: point.x, y: point.y, layer, tolerance: overlay.pixels(4), limit: 1 });
        const found = await get(`/api/v1/slices/${sliceId}/regions/at?${params}`).catch(() => null);
        const f = found && found.features[0];
        if (f && !closed) {
          const item = store.upsert(f);
          item.data.picked = true;
          if (additive) selection.toggle(item); else selection.set([item]);
          overlay.redraw();
          return true;
        }
      }
      return false;
    },
    close() {
      closed = true;
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}
