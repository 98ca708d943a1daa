// A picture of "Segment here"'s result over the part of the slide it covers (the class map in the
// classes' colours, or the uncertainty in the engine's ramp), as a canvas OpenSeadragon keeps on
// the view it covers.
import { h } from '../ui.js';
import { rgbOf } from './segment-view.js';

export class ResultOverlay {
  /** id: the canvas's element id. */
  constructor(viewer, id) {
    this.viewer = viewer;
    this.id = id;
    this.canvas = null;
    this.opacity = 0.5;
  }

  /** Paints `rgba` (width x height pixels, RGBA) over the slide area `view` ({x, y, w, h} in slide pixels). */
  paint(rgba, width, height, view) {
    if (!this.canvas) this.canvas = h('canvas', { id: this.id, style: { pointerEvents: 'none', imageRendering: 'pixelated' } });
    const canvas = this.canvas;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    canvas.getContext('2d').putImageData(new ImageData(rgba, width, height), 0, 0);
    const location = this.viewer.world.getItemAt(0).imageToViewportRectangle(view.x, view.y, view.w, view.h);
    if (this.viewer.getOverlayById(canvas)) this.viewer.updateOverlay(canvas, location);
    else this.viewer.addOverlay({ element: canvas, location });
    this.setOpacity(this.opacity);
  }

  setOpacity(value) {
    this.opacity = value;
    if (this.canvas) this.canvas.style.opacity = value;
  }

  remove() {
    if (this.canvas && this.viewer.getOverlayById(this.canvas)) this.viewer.removeOverlay(this.canvas);
  }
}

/** The class map in the classes' colours (0: no class, clear), as RGBA. */
export function classPicture(result, classColour) {
  const colours = [[0, 0, 0, 0], ...result.classList.map((c) => [...rgbOf(classColour(c.name) || c.color), 255])];
  const px = new Uint8ClampedArray(result.classes.length * 4);
  for (let i = 0; i < result.classes.length; i++) {
    const c = colours[result.classes[i]] || colours[0];
    px[4 * i] = c[0]; px[4 * i + 1] = c[1]; px[4 * i + 2] = c[2]; px[4 * i + 3] = c[3];
  }
  return px;
}
