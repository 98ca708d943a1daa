// Conversions between GeoJSON polygons (image pixels, as the server and QuPath store them) and
// Paper.js paths, plus the polygon maths the drawing tools need. Paper paths here are always
// polylines (no curve handles): what the user sees is exactly what is stored.

/** A Paper item (Path or CompoundPath, not inserted) from a GeoJSON Polygon or MultiPolygon. */
export function geometryToItem(scope, geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates]
    : geometry.type === 'MultiPolygon' ? geometry.coordinates : null;
  if (!polygons) throw new Error(`cannot draw a ${geometry.type}: only Polygon and MultiPolygon are regions`);
  const rings = [];
  for (const polygon of polygons) {
    for (const ring of polygon) {
      const points = ring.length > 1 && samePoint(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring;
      if (points.length >= 3) rings.push(new scope.Path({ segments: points, closed: true, insert: false }));
    }
  }
  if (rings.length === 1) return rings[0];
  return new scope.CompoundPath({ children: rings, fillRule: 'evenodd', insert: false });
}

/**
 * The GeoJSON geometry of a Paper item. Rings are sorted by nesting (a ring inside an odd number of
 * others is a hole of the smallest ring around it), so the result is right whatever the winding
 * Paper's boolean operations left. Shells are wound counter-clockwise and holes clockwise (in the
 * y-down image frame, as QuPath writes them). Returns null when nothing with an area is left.
 */
export function itemToGeometry(item, flatness = 0.25) {
  let source = item;
  if (hasCurves(item)) {
    source = item.clone({ insert: false });
    source.flatten(flatness);
  }
  const paths = source.children ? source.children : [source];
  const rings = paths
    .map((p) => p.segments.map((s) => [round(s.point.x), round(s.point.y)]))
    .map(dropRepeats)
    .filter((r) => r.length >= 3 && Math.abs(signedArea(r)) > 1e-6);
  if (rings.length === 0) return null;
  const depth = rings.map((r, i) => rings.reduce((d, other, j) => (j !== i && ringInside(r, other) ? d + 1 : d), 0));
  const shells = [];
  rings.forEach((r, i) => { if (depth[i] % 2 === 0) shells.push({ ring: r, depth: depth[i], holes: [] }); });
  rings.forEach((r, i) => {
    if (depth[i] % 2 === 0) return;
    let best = null;
    for (const s of shells) {
      if (s.depth === depth[i] - 1 && ringInside(r, s.ring) && (!best || Math.abs(signedArea(s.ring)) < Math.abs(signedArea(best.ring)))) best = s;
    }
    if (best) best.holes.push(r);
  });
  const polygons = shells.map((s) => [closeRing(orient(s.ring, true)), ...s.holes.map((hole) => closeRing(orient(hole, false)))]);
  return polygons.length === 1 ? { type: 'Polygon', coordinates: polygons[0] } : { type: 'MultiPolygon', coordinates: polygons };
}

export function hasCurves(item) {
  const paths = item.children ? item.children : [item];
  return paths.some((p) => p.segments && p.segments.some((s) => !s.handleIn.isZero() || !s.handleOut.isZero()));
}

/** Area in square pixels of a geometry (holes subtracted). */
export function geometryArea(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let area = 0;
  for (const polygon of polygons) {
    polygon.forEach((ring, i) => { area += (i === 0 ? 1 : -1) * Math.abs(signedArea(ring)); });
  }
  return area;
}

/** Perimeter in pixels of a geometry: the length of every ring, holes included (as JTS and QuPath count it). */
export function geometryPerimeter(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let length = 0;
  for (const polygon of polygons) {
    for (const ring of polygon) {
      for (let i = 1; i < ring.length; i++) length += Math.hypot(ring[i][0] - ring[i - 1][0], ring[i][1] - ring[i - 1][1]);
    }
  }
  return length;
}

/** Douglas-Peucker on an open or closed list of [x, y]; keeps at least `min` points. */
export function simplifyPoints(points, tolerance, min = 3) {
  if (points.length <= min) return points.slice();
  const keep = new Uint8Array(points.length);
  keep[0] = 1;
  keep[points.length - 1] = 1;
  const stack = [[0, points.length - 1]];
  while (stack.length) {
    const [a, b] = stack.pop();
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = a + 1; i < b; i++) {
      const d = segmentDistance(points[i], points[a], points[b]);
      if (d > worstDistance) { worst = i; worstDistance = d; }
    }
    if (worst >= 0) {
      keep[worst] = 1;
      stack.push([a, worst], [worst, b]);
    }
  }
  const out = points.filter((_, i) => keep[i]);
  return out.length >= min ? out : points.slice();
}

/** Simplifies every ring of a Paper item in place (Douglas-Peucker, tolerance in pixels). */
export function simplifyItem(item, tolerance) {
  for (const path of item.children ? item.children : [item]) {
    const points = path.segments.map((s) => [s.point.x, s.point.y]);
    // Split the closed ring at its farthest point pair so both ends survive.
    const far = farthestFrom(points, points[0]);
    const first = simplifyPoints(points.slice(0, far + 1), tolerance, 2);
    const second = simplifyPoints(points.slice(far).concat([points[0]]), tolerance, 2);
    const ring = first.concat(second.slice(1, -1));
    if (ring.length >= 3) path.segments = ring;
  }
  return item;
}

export function signedArea(ring) {
  let a = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    a += x1 * y2 - x2 * y1;
  }
  return a / 2;
}

/** Ray casting; true when most of the sampled vertices of `inner` lie inside `outer`. */
function ringInside(inner, outer) {
  const step = Math.max(1, Math.floor(inner.length / 5));
  let inside = 0;
  let total = 0;
  for (let i = 0; i < inner.length; i += step) {
    total++;
    if (pointInRing(inner[i], outer)) inside++;
  }
  return inside * 2 > total;
}

export function pointInRing([x, y], ring) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function segmentDistance([px, py], [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / len2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function farthestFrom(points, [x, y]) {
  let best = 0;
  let bestDistance = -1;
  points.forEach(([px, py], i) => {
    const d = (px - x) ** 2 + (py - y) ** 2;
    if (d > bestDistance) { best = i; bestDistance = d; }
  });
  return best;
}

// In the y-down image frame a positive shoelace sum is clockwise on screen.
function orient(ring, counterClockwise) {
  const clockwise = signedArea(ring) > 0;
  return clockwise === counterClockwise ? ring.slice().reverse() : ring;
}

function closeRing(ring) {
  return ring.concat([ring[0]]);
}

function dropRepeats(ring) {
  const out = [];
  for (const p of ring) if (!out.length || !samePoint(out[out.length - 1], p)) out.push(p);
  if (out.length > 1 && samePoint(out[0], out[out.length - 1])) out.pop();
  return out;
}

function samePoint(a, b) {
  return a[0] === b[0] && a[1] === b[1];
}

// Sub-pixel precision is kept (1/100 px); more digits only bloat the JSON.
function round(v) {
  return Math.round(v * 100) / 100;
}
