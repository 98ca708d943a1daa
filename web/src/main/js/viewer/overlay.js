// A Paper.js canvas laid over OpenSeadragon and kept in step with its viewport, so regions are
// stored and drawn in image pixels while the slide pans and zooms underneath. Pointer events go to
// the active tool first; whatever the tool does not take (or everything while Space is held)
// falls through to OpenSeadragon, which pans and zooms.
import paper from 'paper/dist/paper-core';

/** While the view moves, Paper redraws at most this often; the compositor moves its picture in between. */
const MOVING_REDRAW_MS = 50;
/** Width of the halo on each side of an outline, in screen pixels. */
const HALO = 1.5;

/**
 * Regions whose `data.halo` names a colour get a halo: after Paper has filled and stroked the
 * outline, the same path is stroked again, wider and in the halo colour, underneath what is already
 * drawn ('destination-over'). Two strokes per region instead of a second Paper item per region
 * (which would double what Paper draws and hit-tests), and the width is in screen pixels like the
 * outline's (strokeScaling off), so it does not change with the zoom.
 */
function drawHalos(...kinds) {
  for (const Kind of kinds) {
    const draw = Kind.prototype._draw;
    if (draw.withHalo) continue;
    Kind.prototype._draw = function drawWithHalo(ctx, param, viewMatrix, strokeMatrix) {
      draw.call(this, ctx, param, viewMatrix, strokeMatrix);
      const halo = this._data && this._data.halo;
      if (!halo || param.clip || param.dontFinish || !this.hasStroke()) return;
      ctx.save();
      ctx.globalCompositeOperation = 'destination-over';
      ctx.setLineDash([]);
      ctx.lineWidth += 2 * HALO;
      ctx.strokeStyle = halo;
      ctx.stroke();
      ctx.restore();
    };
    Kind.prototype._draw.withHalo = true;
  }
}
drawHalos(paper.Path, paper.CompoundPath);

export class PaperOverlay {
  constructor(viewer) {
    this.viewer = viewer;
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'paper-overlay';
    viewer.canvas.appendChild(this.canvas);
    this.scope = new paper.PaperScope();
    this.scope.setup(this.canvas);
    this.scope.settings.insertItems = false;
    // Vertex handles (Edit vertices) large enough to see and grab.
    this.scope.settings.handleSize = 9;
    this.scale = 1; // screen pixels per image pixel
    this.tool = null;
    this.spaceHeld = false;
    this.resize();
    const sync = () => this.sync();
    // update-viewport fires once per drawn frame, animations included: one redraw a frame.
    viewer.addHandler('update-viewport', sync);
    viewer.addHandler('resize', () => { this.resize(); this.origin = null; this.drawn = null; this.sync(); });
    viewer.addHandler('open', sync);
    this.routePointer();
  }

  resize() {
    const w = this.viewer.canvas.clientWidth;
    const h = this.viewer.canvas.clientHeight;
    if (w && h) this.scope.view.viewSize = new this.scope.Size(w, h);
  }

  sync() {
    if (this.destroyed) return;
    const image = this.viewer.world.getItemAt(0);
    if (!image) return;
    const width = image.getContentSize().x;
    const origin = image.imageToViewerElementCoordinates(new OpenSeadragon.Point(0, 0), true);
    const corner = image.imageToViewerElementCoordinates(new OpenSeadragon.Point(width, 0), true);
    const scale = (corner.x - origin.x) / width;
    // OpenSeadragon redraws for tile arrivals too: Paper redraws only when the view moved.
    if (scale === this.scale && this.origin && origin.x === this.origin.x && origin.y === this.origin.y) return;
    this.origin = origin;
    this.scale = scale;
    // The view's matrix is always current (pointer positions are mapped with it)...
    this.scope.view.matrix = new this.scope.Matrix(this.scale, 0, 0, this.scale, origin.x, origin.y);
    // ...but while the view moves, Paper (which redraws every item, some tens of microseconds
    // each) draws at most every MOVING_REDRAW_MS; in between its last picture is moved and scaled
    // into place by the compositor (a CSS transform), and the still view is drawn exactly.
    const now = performance.now();
    const drawn = this.drawn;
    const k = drawn ? scale / drawn.scale : 1;
    if (drawn && now - drawn.time < MOVING_REDRAW_MS && k > 0.8 && k < 1.25) {
      this.scope.view.autoUpdate = false; // else Paper redraws on its own next frame
      this.canvas.style.transform = `matrix(${k}, 0, 0, ${k}, ${origin.x - k * drawn.x}, ${origin.y - k * drawn.y})`;
      clearTimeout(this.settleTimer);
      this.settleTimer = setTimeout(() => this.drawNow(), MOVING_REDRAW_MS);
    } else {
      this.drawNow();
    }
    if (this.onViewChange) this.onViewChange();
  }

  /** Draws the regions at the current view now, and lets Paper redraw on changes again. */
  drawNow() {
    clearTimeout(this.settleTimer);
    if (this.destroyed) return;
    this.canvas.style.transform = '';
    this.scope.view.autoUpdate = true;
    this.scope.view.update();
    this.drawn = this.origin ? { time: performance.now(), scale: this.scale, x: this.origin.x, y: this.origin.y } : null;
  }

  /** Image coordinates of a pointer event. */
  toImage(event) {
    const rect = this.canvas.getBoundingClientRect();
    return this.scope.view.viewToProject(new this.scope.Point(event.clientX - rect.left, event.clientY - rect.top));
  }

  /** Image pixels that span `px` screen pixels at the current zoom. */
  pixels(px) {
    return px / (this.scale || 1);
  }

  routePointer() {
    const c = this.canvas;
    let active = null; // pointer id the tool took
    c.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || this.spaceHeld || !this.tool) return;
      const took = this.tool.down && this.tool.down(this.toImage(e), e);
      if (took) {
        active = e.pointerId;
        c.setPointerCapture(e.pointerId);
        e.stopPropagation();
        e.preventDefault();
      }
    });
    c.addEventListener('pointermove', (e) => {
      const point = this.toImage(e);
      if (this.onPointer) this.onPointer(point);
      if (!this.tool) return;
      if (active === e.pointerId) {
        e.stopPropagation();
        if (this.tool.drag) this.tool.drag(point, e);
      } else if (this.tool.hover) {
        this.tool.hover(point, e);
      }
    });
    const up = (e) => {
      if (active !== e.pointerId) return;
      active = null;
      e.stopPropagation();
      if (this.tool && this.tool.up) this.tool.up(this.toImage(e), e);
    };
    c.addEventListener('pointerup', up);
    c.addEventListener('pointercancel', up);
    c.addEventListener('dblclick', (e) => {
      if (this.tool && this.tool.doubleClick && this.tool.doubleClick(this.toImage(e), e)) {
        e.stopPropagation();
        e.preventDefault();
      }
    });
  }

  setTool(tool) {
    if (this.tool && this.tool.deactivate) this.tool.deactivate();
    this.tool = tool;
    this.canvas.style.cursor = tool && tool.cursor ? tool.cursor : '';
    if (tool && tool.activate) tool.activate();
    this.drawNow();
  }

  redraw() {
    this.drawNow();
  }

  /** After the page is left: nothing scheduled draws into the removed project. */
  destroy() {
    this.destroyed = true;
    clearTimeout(this.settleTimer);
    this.scope.project.remove();
  }
}
