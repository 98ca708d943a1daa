// The others' pointers on this slice, with their names; hidden after 5 s without a move.
export function cursorLayer({ scope, overlay, me }) {
  const layer = new scope.Layer({ name: '#cursors' });
  scope.project.addLayer(layer);
  const cursors = new Map();
  function show({ user: who, x, y }) {
    if (who === me) return;
    let c = cursors.get(who);
    if (!c) {
      const dot = new scope.Path.Circle({ center: [0, 0], radius: 5, fillColor: '#ff4081', strokeColor: '#fff', strokeWidth: 1, insert: false });
      const label = new scope.PointText({ point: [8, -8], content: who, fillColor: '#fff', fontSize: 12, shadowColor: '#000', shadowBlur: 3, insert: false });
      c = { group: new scope.Group({ children: [dot, label], applyMatrix: false, insert: false }), timer: null };
      c.group.data.cursorOf = who;
      layer.addChild(c.group);
      cursors.set(who, c);
    }
    c.group.position = new scope.Point(x, y).add(c.group.bounds.center.subtract(c.group.children[0].position));
    c.group.scaling = 1 / (overlay.scale || 1);
    c.group.visible = true;
    clearTimeout(c.timer);
    c.timer = setTimeout(() => { c.group.visible = false; overlay.redraw(); }, 5000);
    overlay.redraw();
  }
  return { show, close() { for (const c of cursors.values()) clearTimeout(c.timer); } };
}
