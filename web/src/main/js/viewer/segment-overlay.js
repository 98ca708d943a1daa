// "Segment here"'s result drawn over the slide: the class map in the classes' colours, or where the
// forest hesitates (magenta, the more opaque the less sure), as a canvas OpenSeadragon keeps on
// the view it covers.
import { h } from '../ui.js';
import { rgbOf } from './segment-view.js';

export class ResultOverlay {
  constructor(viewer) {
    this.viewer = viewer;
    this.canvas = null;
    this.opacity = 0.5;
  }

  /** result: the worker's answer with its view; classColour(name) gives a class's colour. */
  paint(result, uncertainty, classColour) {
    const { width, height, view } = result;
    if (!this.canvas) this.canvas = h('canvas', { id: 'segment-overlay', style: { pointerEvents: 'none', imageRendering: 'pixelated' } });
    const canvas = this.canvas;
    if (canvas.width !== width || canvas.height !== height) { canvas.width = width; canvas.height = height; }
    const g = canvas.getContext('2d');
    const image = g.createImageData(width, height);
    const px = image.data;
    if (uncertainty) {
      for (let i = 0; i < result.uncertainty.length; i++) {
        px[4 * i] = 255; px[4 * i + 1] = 0; px[4 * i + 2] = 255; px[4 * i + 3] = result.uncertainty[i];
      }
    } else {
      const colours = [[0, 0, 0, 0], ...result.classList.map((c) => [...rgbOf(classColour(c.name) || c.color), 255])];
      for (let i = 0; i < result.classes.length; i++) {
        const c = colours[result.classes[i]] || colours[0];
        px[4 * i] = c[0]; px[4 * i + 1] = c[1]; px[4 * i + 2] = c[2]; px[4 * i + 3] = c[3];
      }
    }
    g.putImageData(image, 0, 0);
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
