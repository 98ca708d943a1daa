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
  viewer.addHandler('canvas-key', (e) => {
    if (!NAVIGATION_KEYS.has(e.originalEvent.code)) e.preventDefaultAction = true;
  });
  return viewer;
}
