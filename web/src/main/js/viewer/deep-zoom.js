// The slide in OpenSeadragon, set up for drawing on: its own keyboard shortcuts give way to the
// drawing tools' keys, and nothing it offers moves the slide in a way the drawings cannot follow.
import { decodeTilesBeforeDrawing } from './decode.js';

/**
 * Keys OpenSeadragon may keep (by KeyboardEvent.code): arrows pan (Shift+Up/Down zoom), = and -
 * zoom, 0 goes home. No tool uses them. Everything else it would take (W/A/S/D pan, R rotates,
 * F mirrors, J/K change page) belongs to the tools, and rotation and mirroring are not offered at
 * all: the drawings would have to turn with the slide.
 */
export const NAVIGATION_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Equal', 'Minus', 'Digit0',
  'NumpadAdd', 'NumpadSubtract', 'Numpad0']);

export function slideViewer(element, slice) {
  decodeTilesBeforeDrawing(OpenSeadragon);
  const viewer = OpenSeadragon({
    element,
    tileSources: slice.dzi,
    prefixUrl: '/lib/openseadragon/images/',
    drawer: 'canvas',
    showNavigator: true,
    navigatorPosition: 'BOTTOM_RIGHT',
    showRotationControl: false,
    showFlipControl: false,
    maxZoomPixelRatio: 4,
    // Past full resolution OpenSeadragon would draw every image into a scratch canvas to hide tile
    // seams: a whole extra pass a frame. The pyramid's 1 px overlap already hides them.
    smoothTileEdgesMinZoom: Infinity,
    visibilityRatio: 0.5,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
    gestureSettingsTouch: { pinchRotate: false },
  });
  // The slide (the first item; layers come after it) can change its look: see showNewLook.
  viewer.world.addHandler('add-item', (e) => {
    if (viewer.world.getIndexOfItem(e.item) === 0) tileUrlsReadAtDownload(e.item.source);
  });
  viewer.addHandler('canvas-key', (e) => {
    if (!NAVIGATION_KEYS.has(e.originalEvent.code)) e.preventDefaultAction = true;
  });
  return viewer;
}

/**
 * Tile URLs taken when a tile is downloaded, not when OpenSeadragon first lists the tile, so that a
 * new look of the slide (other channel colours and ranges) can give its tiles new URLs with
 * {@link showNewLook}: a browser hands back an image it already loaded in this page for the same
 * URL without asking the server, whatever the response's headers said.
 */
function tileUrlsReadAtDownload(source) {
  if (!source || source.tileUrlsReadAtDownload || typeof source.getTileUrl !== 'function') return;
  const tileUrl = source.getTileUrl.bind(source);
  source.getTileUrl = (level, x, y) => () => tileUrl(level, x, y);
  source.tileUrlsReadAtDownload = true;
}

/**
 * Fetches the slide's tiles again under new URLs (in the viewer and its navigator): the server
 * now draws them differently.
 */
export function showNewLook(viewer) {
  const items = [viewer.world.getItemAt(0), viewer.navigator && viewer.navigator.world.getItemAt(0)].filter(Boolean);
  for (const item of items) {
    const source = item.source;
    if (source.queryWithoutLook === undefined) source.queryWithoutLook = String(source.queryParams || '');
    source.looks = (source.looks || 0) + 1;
    const base = source.queryWithoutLook;
    source.queryParams = `${base}${base.includes('?') ? '&' : '?'}look=${source.looks}`;
  }
  for (const item of items) item.reset(); // drops OpenSeadragon's tiles: they are fetched again
  viewer.forceRedraw();
}
