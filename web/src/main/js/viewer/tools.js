// The drawing tools. Each tool gets pointer positions in image pixels from the overlay and turns
// gestures into region edits on the store. A tool's down() returns true when it takes the gesture;
// otherwise the gesture pans the slide.
import { itemToGeometry, simplifyItem } from './geometry.js';
import { HUMAN } from './regions.js';
import { lengthText } from './units.js';

const TEMP_STYLE = { strokeColor: '#ffffff', strokeWidth: 2, strokeScaling: false, dashArray: [5, 4], shadowColor: '#000', shadowBlur: 2 };

/** The region item (one with an id) a hit landed on. */
export function regionOf(item) {
  let it = item;
  while (it && !(it.data && it.data.id != null)) it = it.parent;
  return it && it.data && it.data.id != null ? it : null;
}

export function hitRegion(ctx, point, { editableOnly = false } = {}) {
  const hits = ctx.scope.project.hitTestAll(point, {
    fill: true, stroke: true, tolerance: ctx.overlay.pixels(4),
    match: (hit) => {
      const r = regionOf(hit.item);
      return r && r.visible && r.layer && r.layer.visible && (!editableOnly || ctx.store.editable(r));
    },
  });
  // Smallest region first: a nucleus inside a tissue region is picked before the tissue.
  const regions = [...new Set(hits.map((h) => regionOf(h.item)))];
  regions.sort((a, b) => Math.abs(a.area) - Math.abs(b.area));
  return regions[0] || null;
}

function tempLayer(ctx) {
  let layer = ctx.scope.project.layers.find((l) => l.name === '#temp');
  if (!layer) {
    layer = new ctx.scope.Layer({ name: '#temp', insert: false });
    ctx.scope.project.addLayer(layer);
  }
  layer.bringToFront();
  return layer;
}

/** Removes self-crossings (a freehand loop that crosses itself) so the outline is a valid polygon. */
export function tidy(item) {
  const resolved = item.resolveCrossings ? item.resolveCrossings() : item;
  return resolved.reorient ? resolved.reorient(false, true) : resolved;
}

function requireClass(ctx) {
  const c = ctx.currentClass();
  if (!c) ctx.say('Choose a class first (the list on the right, or keys 1–9).');
  return c;
}

function requireEditor(ctx) {
  if (!ctx.canEdit) ctx.say('You can look but not edit in this project (viewer role).');
  return ctx.canEdit;
}

export function selectTool(ctx) {
  let moving = null;
  let last = null;
  return {
    name: 'select', cursor: 'default',
    down(point, e) {
      const region = hitRegion(ctx, point);
      if (!region) {
        if (!e.shiftKey) ctx.selection.clear();
        if (ctx.pickRaster) ctx.pickRaster(point, e.shiftKey);
        return false;
      }
      if (e.shiftKey) ctx.selection.toggle(region);
      else if (!ctx.selection.has(region)) ctx.selection.set([region]);
      const movable = ctx.selection.items().filter((r) => ctx.store.editable(r));
      if (!ctx.canEdit || movable.length === 0) return true;
      moving = movable;
      moving.forEach((r) => ctx.store.beginEdit(r));
      last = point;
      ctx.moved = false;
      return true;
    },
    drag(point) {
      if (!moving) return;
      const delta = point.subtract(last);
      last = point;
      moving.forEach((r) => { r.position = r.position.add(delta); });
      ctx.moved = true;
      ctx.overlay.redraw();
    },
    up() {
      if (moving && ctx.moved) {
        ctx.store.batch(moving.map((r) => ({ op: 'update', id: r.data.id, geometry: itemToGeometry(r) })));
      }
      moving = null;
    },
  };
}

export function polygonTool(ctx) {
  let path = null;
  const cancel = () => { if (path) path.remove(); path = null; ctx.overlay.redraw(); };
  const finish = () => {
    if (!path) return;
    path.removeSegment(path.segments.length - 1); // the point following the pointer
    if (path.segments.length >= 3) {
      path.closed = true;
      const className = ctx.currentClass();
      ctx.store.create(tidy(path), className);
      if (path.parent) path.remove();
    } else {
      ctx.say('A polygon needs at least three points.');
      path.remove();
    }
    path = null;
    ctx.overlay.redraw();
  };
  return {
    name: 'polygon', cursor: 'crosshair',
    down(point) {
      if (!requireEditor(ctx) || !requireClass(ctx)) return true;
      if (!path) {
        path = new ctx.scope.Path({ segments: [point, point], ...TEMP_STYLE });
        tempLayer(ctx).addChild(path);
      } else {
        const first = path.firstSegment.point;
        if (path.segments.length > 3 && first.getDistance(point) < ctx.overlay.pixels(8)) { finish(); return true; }
        path.lastSegment.point = point;
        path.add(point);
      }
      ctx.overlay.redraw();
      return true;
    },
    hover(point) {
      if (path) { path.lastSegment.point = point; ctx.overlay.redraw(); }
    },
    doubleClick() {
      if (!path) return false;
      // The double click's two presses added two points at the same place: drop one.
      if (path.segments.length > 2) path.removeSegment(path.segments.length - 2);
      finish();
      return true;
    },
    key(e) {
      if (!path) return false;
      if (e.key === 'Enter') { finish(); return true; }
      if (e.key === 'Escape') { cancel(); return true; }
      if (e.key === 'Backspace') {
        if (path.segments.length > 2) path.removeSegment(path.segments.length - 2); else cancel();
        ctx.overlay.redraw();
        return true;
      }
      return false;
    },
    deactivate: cancel,
  };
}

export function freehandTool(ctx) {
  let path = null;
  return {
    name: 'freehand', cursor: 'crosshair',
    down(point) {
      if (!requireEditor(ctx) || !requireClass(ctx)) return true;
      path = new ctx.scope.Path({ segments: [point], ...TEMP_STYLE });
      tempLayer(ctx).addChild(path);
      return true;
    },
    drag(point) {
      if (!path) return;
      if (path.lastSegment.point.getDistance(point) >= ctx.overlay.pixels(2)) {
        path.add(point);
        ctx.overlay.redraw();
      }
    },
    up() {
      if (!path) return;
      const drawn = path;
      path = null;
      drawn.closed = true;
      if (drawn.segments.length < 3 || Math.abs(drawn.area) < ctx.overlay.pixels(3) ** 2) {
        drawn.remove();
        ctx.overlay.redraw();
        return;
      }
      simplifyItem(drawn, ctx.overlay.pixels(0.75));
      ctx.store.create(tidy(drawn), ctx.currentClass());
      drawn.remove();
      ctx.overlay.redraw();
    },
    deactivate() { if (path) path.remove(); path = null; },
  };
}

/** Brush and eraser: paint an area with a round brush (size in screen pixels, as in MicroDraw). */
export function brushTool(ctx, erase) {
  let points = null;
  let preview = null;
  let radius = 0;
  const ring = new ctx.scope.Path.Circle({ center: [0, 0], radius: 1, strokeColor: '#fff', strokeWidth: 1, strokeScaling: false, dashArray: [3, 3], insert: false });
  return {
    name: erase ? 'eraser' : 'brush', cursor: 'none',
    activate() { tempLayer(ctx).addChild(ring); ring.visible = false; },
    deactivate() { ring.remove(); if (preview) preview.remove(); points = null; },
    hover(point) { showRing(point); },
    down(point) {
      if (!requireEditor(ctx) || (!erase && !requireClass(ctx))) return true;
      radius = ctx.overlay.pixels(ctx.brushSize() / 2);
      points = [point];
      preview = new ctx.scope.Path({
        segments: [point, point], strokeColor: erase ? 'rgba(255,255,255,0.6)' : new ctx.scope.Color(ctx.classColour(ctx.currentClass())).set({ alpha: 0.5 }),
        strokeWidth: radius * 2, strokeCap: 'round', strokeJoin: 'round',
      });
      tempLayer(ctx).addChild(preview);
      return true;
    },
    drag(point) {
      showRing(point);
      if (!points) return;
      if (points[points.length - 1].getDistance(point) >= radius / 3) {
        points.push(point);
        preview.add(point);
        ctx.overlay.redraw();
      }
    },
    up() {
      if (!points) return;
      const stroke = strokeOutline(ctx.scope, points, radius);
      preview.remove();
      preview = null;
      points = null;
      if (erase) eraseWith(ctx, stroke); else paintWith(ctx, stroke);
      ctx.overlay.redraw();
    },
  };

  function showRing(point) {
    ring.visible = true;
    ring.position = point;
    ring.scale(ctx.overlay.pixels(ctx.brushSize() / 2) / (ring.bounds.width / 2));
    ctx.overlay.redraw();
  }
}

/** The area swept by a round brush along the points: discs and the quads between them, united. */
export function strokeOutline(scope, points, radius) {
  const pieces = [];
  const disc = (p) => new scope.Path.RegularPolygon({ center: p, sides: 24, radius, insert: false });
  points.forEach((p, i) => {
    pieces.push(disc(p));
    if (i > 0) {
      const a = points[i - 1];
      const n = p.subtract(a).normalize(radius).rotate(90);
      if (!n.isZero() && a.getDistance(p) > 0) pieces.push(new scope.Path({ segments: [a.add(n), p.add(n), p.subtract(n), a.subtract(n)], closed: true, insert: false }));
    }
  });
  // Pairwise (tree) union: n log n instead of growing one outline n times.
  let level = pieces;
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i < level.length; i += 2) next.push(i + 1 < level.length ? level[i].unite(level[i + 1], { insert: false }) : level[i]);
    level = next;
  }
  return level[0];
}

function overlaps(a, b) {
  if (!a.bounds.intersects(b.bounds)) return false;
  const common = a.intersect(b, { insert: false });
  return Math.abs(common.area) > 1e-3;
}

function paintWith(ctx, stroke) {
  const className = ctx.currentClass();
  const targets = ctx.store.humanItems().filter((r) => r.data.className === className && overlaps(r, stroke));
  if (targets.length === 0) {
    ctx.store.create(stroke, className);
    return;
  }
  // Painting over regions of the same class grows them into one region.
  let merged = stroke;
  for (const t of targets) merged = merged.unite(t, { insert: false });
  const [keep, ...others] = targets;
  ctx.store.batch([
    { op: 'update', id: keep.data.id, geometry: itemToGeometry(merged) },
    ...others.map((o) => ({ op: 'delete', id: o.data.id })),
  ]);
}

function eraseWith(ctx, stroke) {
  const chosen = ctx.selection.items().filter((r) => ctx.store.editable(r));
  const candidates = chosen.length ? chosen : ctx.store.humanItems();
  const edits = [];
  for (const r of candidates) {
    if (!overlaps(r, stroke)) continue;
    const rest = r.subtract(stroke, { insert: false });
    const geometry = Math.abs(rest.area) > 0.5 ? itemToGeometry(rest) : null;
    edits.push(geometry ? { op: 'update', id: r.data.id, geometry } : { op: 'delete', id: r.data.id });
  }
  ctx.store.batch(edits);
}

/** Move, insert (click on an edge) and delete (Alt+click) the vertices of a region. */
export function vertexTool(ctx) {
  let target = null;
  let segment = null;
  const show = (region) => {
    if (target && target !== region) target.fullySelected = false;
    target = region;
    if (target) target.fullySelected = true;
    ctx.overlay.redraw();
  };
  return {
    name: 'vertices', cursor: 'pointer',
    activate() {
      const chosen = ctx.selection.items().find((r) => ctx.store.editable(r));
      if (chosen) show(chosen);
    },
    deactivate() { show(null); },
    down(point, e) {
      if (!requireEditor(ctx)) return true;
      const tolerance = ctx.overlay.pixels(6);
      let hit = target ? target.hitTest(point, { segments: true, stroke: true, tolerance }) : null;
      if (!hit) {
        const region = hitRegion(ctx, point, { editableOnly: true });
        if (!region) { show(null); return false; }
        ctx.selection.set([region]);
        show(region);
        hit = region.hitTest(point, { segments: true, stroke: true, tolerance });
        if (!hit) return true;
      }
      ctx.store.beginEdit(target);
      if (hit.type === 'segment') {
        if (e.altKey) {
          if (hit.segment.path.segments.length > 3) {
            hit.segment.remove();
            commit();
          } else ctx.say('A ring keeps at least three vertices.');
          return true;
        }
        segment = hit.segment;
      } else if (hit.type === 'stroke') {
        segment = hit.item.insert(hit.location.index + 1, point);
      }
      return true;
    },
    drag(point) {
      if (!segment) return;
      segment.point = point;
      ctx.overlay.redraw();
    },
    up() {
      if (segment) commit();
      segment = null;
    },
  };
  function commit() {
    const geometry = itemToGeometry(tidy(target.clone({ insert: false })));
    if (geometry) ctx.store.update(target.data.id, geometry);
  }
}

/** Draws a line across a region; the server cuts the region along it into parts. */
export function splitTool(ctx) {
  let line = null;
  return {
    name: 'split', cursor: 'crosshair',
    down(point) {
      if (!requireEditor(ctx)) return true;
      line = new ctx.scope.Path({ segments: [point, point], ...TEMP_STYLE, strokeColor: '#ff4081' });
      tempLayer(ctx).addChild(line);
      return true;
    },
    drag(point) {
      if (!line) return;
      if (line.lastSegment.point.getDistance(point) >= ctx.overlay.pixels(3)) line.add(point);
      else line.lastSegment.point = point;
      ctx.overlay.redraw();
    },
    up() {
      if (!line) return;
      const drawn = line;
      line = null;
      const coordinates = drawn.segments.map((s) => [s.point.x, s.point.y]);
      drawn.remove();
      ctx.overlay.redraw();
      const crossed = ctx.store.humanItems().filter((r) => r.bounds.intersects(drawn.bounds) && r.getIntersections(drawn).length >= 2);
      if (crossed.length === 0) { ctx.say('Draw the line right across a region to split it.'); return; }
      ctx.store.split(crossed.map((r) => r.data.id), { type: 'LineString', coordinates });
    },
    deactivate() { if (line) line.remove(); line = null; },
  };
}

/** Click an area of similar colour: the server floods it from the slide's pixels into a region. */
export function wandTool(ctx) {
  return {
    name: 'wand', cursor: 'copy',
    down(point) {
      if (!requireEditor(ctx) || !requireClass(ctx)) return true;
      ctx.store.magicWand(point, ctx.wandTolerance(), ctx.currentClass(), ctx.overlay.pixels(1));
      return true;
    },
  };
}

export const TOOLS = [
  { id: 'select', key: 'v', label: 'Select / move', make: selectTool, readOnly: true },
  { id: 'polygon', key: 'p', label: 'Polygon', make: polygonTool },
  { id: 'freehand', key: 'f', label: 'Freehand', make: freehandTool },
  { id: 'brush', key: 'b', label: 'Brush', make: (ctx) => brushTool(ctx, false) },
  { id: 'eraser', key: 'e', label: 'Eraser', make: (ctx) => brushTool(ctx, true) },
  { id: 'vertices', key: 'a', label: 'Edit vertices', make: vertexTool },
  { id: 'split', key: 'k', label: 'Split', make: splitTool },
  { id: 'wand', key: 'w', label: 'Magic wand', make: wandTool },
];

export { HUMAN };

/** The ruler (M): drag across the slide; the length shows in µm (px without a pixel size) until the next measure or Esc. */
export function rulerTool(ctx) {
  let line = null;
  let label = null;
  const clear = () => { if (line) line.remove(); if (label) label.remove(); line = null; label = null; ctx.overlay.redraw(); };
  const show = (from, to) => {
    const length = from.getDistance(to);
    const text = lengthText(length, ctx.micronsPerPixel);
    line.segments = [from, to];
    label.content = text;
    label.fontSize = 14 / (ctx.overlay.scale || 1);
    label.point = to.add(new ctx.scope.Point(8, -8).divide(ctx.overlay.scale || 1));
    ctx.measured = { length, text };
    ctx.overlay.redraw();
  };
  return {
    name: 'ruler', cursor: 'crosshair',
    down(point) {
      clear();
      line = new ctx.scope.Path({ segments: [point, point], strokeColor: '#ffeb3b', strokeWidth: 2, strokeScaling: false, shadowColor: '#000', shadowBlur: 3 });
      label = new ctx.scope.PointText({ point, content: '', fillColor: '#ffeb3b', shadowColor: '#000', shadowBlur: 4, fontWeight: 'bold' });
      line.data.from = point;
      tempLayer(ctx).addChild(line);
      tempLayer(ctx).addChild(label);
      return true;
    },
    drag(point) { if (line) show(line.data.from, point); },
    up(point) { if (line) show(line.data.from, point); },
    key(e) { if (e.key === 'Escape' && line) { clear(); return true; } return false; },
    deactivate: clear,
  };
}

TOOLS.push({ id: 'ruler', key: 'm', label: 'Ruler', make: rulerTool, readOnly: true });
