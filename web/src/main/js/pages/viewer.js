// The slide viewer: deep zoom over a series of slices, drawing tools, classes, layers, history,
// live collaboration, import/export.
import { get, post, api } from '../api.js';
import { h, clear, setCrumbs, showError, toast, download } from '../ui.js';
import { PaperOverlay } from '../viewer/overlay.js';
import { RegionStore, HUMAN } from '../viewer/regions.js';
import { Selection } from '../viewer/selection.js';
import { ScaleBar } from '../viewer/scalebar.js';
import { smoothWhenStill } from '../viewer/motion.js';
import { decodeTilesBeforeDrawing } from '../viewer/decode.js';
import { LiveLink } from '../viewer/live.js';
import { TOOLS, tidy } from '../viewer/tools.js';
import { itemToGeometry, geometryArea, simplifyItem } from '../viewer/geometry.js';
import { exchangeFormats } from '../viewer/exchange.js';
import { segmentHereSection } from '../viewer/segment-here.js';

export async function viewerPage({ page, user }, sliceId) {
  const slice = await get(`/api/v1/slices/${sliceId}`);
  const [project, series, ontology] = await Promise.all([
    get(`/api/v1/projects/${slice.projectId}`),
    get(`/api/v1/series/${slice.seriesId}`),
    get(`/api/v1/projects/${slice.projectId}/ontology`),
  ]);
  setCrumbs({ label: 'Projects', href: '#/' }, { label: project.name, href: `#/projects/${project.id}` },
    { label: series.name }, { label: slice.name });
  const canEdit = project.role === 'owner' || project.role === 'editor' || user.admin;
  document.title = `${slice.name} · HistoDraw`;

  // ---- layout -----------------------------------------------------------------------------------
  const osdBox = h('div.osd', { id: 'osd' });
  const toolbar = h('div.toolbar', { id: 'tools', role: 'toolbar' });
  const side = h('aside.side');
  const status = h('span.status', { id: 'save-status' }, 'Loading…');
  const liveStatus = h('span.live', { id: 'live-status' }, '');
  const sliceNav = h('div.slicenav');
  page.classList.add('viewer-page');
  page.append(h('div.viewer', {}, toolbar, h('div.stage', {}, osdBox, sliceNav), side),
    h('footer.statusbar', {}, status, liveStatus, h('span.muted', {}, `${slice.width} × ${slice.height} px`,
      slice.micronsPerPixel ? ` · ${slice.micronsPerPixel} µm/px` : ' · pixel size unknown'), h('span.muted', { id: 'pointer' })));

  // ---- deep zoom + overlay ------------------------------------------------------------------------
  decodeTilesBeforeDrawing(OpenSeadragon);
  const viewer = OpenSeadragon({
    element: osdBox,
    tileSources: slice.dzi,
    prefixUrl: '/lib/openseadragon/images/',
    drawer: 'canvas',
    showNavigator: true,
    navigatorPosition: 'BOTTOM_RIGHT',
    showRotationControl: false,
    maxZoomPixelRatio: 4,
    // Past full resolution OpenSeadragon would draw every image into a scratch canvas to hide tile
    // seams: a whole extra pass a frame. The pyramid's 1 px overlap already hides them.
    smoothTileEdgesMinZoom: Infinity,
    visibilityRatio: 0.5,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: false },
  });
  const overlay = new PaperOverlay(viewer);
  const stopSmoothing = smoothWhenStill(viewer);
  const scope = overlay.scope;
  const scaleBar = new ScaleBar(osdBox, slice.micronsPerPixel);
  const colours = new Map(ontology.map((c) => [c.name, c.color]));
  const classColour = (name) => colours.get(name) || '#ffb300';

  let currentClass = ontology.length ? ontology[0].name : null;
  let brushSize = Number(localStorage.getItem('brushSize')) || 30;
  const cursorsLayer = new scope.Layer({ name: '#cursors' });
  scope.project.addLayer(cursorsLayer);

  const store = new RegionStore(scope, sliceId, {
    classColour,
    onChange: () => { selection.refresh(); renderLayers(); renderSelection(); overlay.redraw(); historySoon(); },
    onStatus: (pending, state) => {
      status.textContent = state === 'offline' ? `Offline: ${pending} change${pending === 1 ? '' : 's'} waiting to be saved`
        : pending ? `Saving ${pending}…` : 'All changes saved';
      status.className = 'status' + (state === 'offline' ? ' offline' : pending ? ' saving' : ' saved');
    },
    onError: showError,
  });
  const selection = new Selection(store, () => renderSelection());
  const ctx = {
    overlay, scope, store, selection, canEdit,
    currentClass: () => currentClass,
    classColour,
    brushSize: () => brushSize,
    wandTolerance: () => Number(wandTolerance.value),
    say: (m) => toast(m),
  };

  // ---- tools ------------------------------------------------------------------------------------
  const tools = new Map(TOOLS.map((t) => [t.id, { ...t, tool: t.make(ctx) }]));
  let activeTool = null;
  function useTool(id) {
    const t = tools.get(id);
    if (!t) return;
    activeTool = id;
    overlay.setTool(t.tool);
    for (const b of toolbar.querySelectorAll('button[data-tool]')) b.classList.toggle('active', b.dataset.tool === id);
  }
  for (const t of tools.values()) {
    if (!canEdit && t.id !== 'select') continue;
    toolbar.append(h('button', { 'data-tool': t.id, title: `${t.label} (${t.key.toUpperCase()})`, onclick: () => useTool(t.id) }, t.label));
  }
  const actions = [
    { id: 'union', label: 'Union', key: 'U', run: unionSelected },
    { id: 'subtract', label: 'Subtract', key: 'X', run: subtractSelected },
    { id: 'fill-holes', label: 'Fill holes', key: 'H', run: fillHoles },
    { id: 'simplify', label: 'Simplify', key: 'S', run: simplifySelected },
    { id: 'delete', label: 'Delete', key: 'Del', run: deleteSelected },
    { id: 'undo', label: 'Undo', key: 'Ctrl+Z', run: () => store.undo() || toast('Nothing to undo') },
    { id: 'redo', label: 'Redo', key: 'Ctrl+Shift+Z', run: () => store.redo() || toast('Nothing to redo') },
  ];
  if (canEdit) {
    toolbar.append(h('hr'));
    for (const a of actions) toolbar.append(h('button', { 'data-action': a.id, title: `${a.label} (${a.key})`, onclick: a.run }, a.label));
    toolbar.append(h('hr'));
    const size = h('input', { type: 'range', min: 4, max: 200, value: brushSize, oninput: () => { brushSize = Number(size.value); localStorage.setItem('brushSize', brushSize); } });
    toolbar.append(h('label.small', {}, 'Brush size', size));
  }
  const wandTolerance = h('input', { type: 'range', min: 2, max: 120, value: 30 });
  if (canEdit) toolbar.append(h('label.small', {}, 'Wand tolerance', wandTolerance));
  toolbar.append(h('button.link', { onclick: showHelp }, 'Shortcuts (?)'));
  useTool('select');

  function editableSelection() {
    const items = selection.items().filter((r) => store.editable(r));
    if (!canEdit) { toast('You can look but not edit in this project (viewer role).'); return []; }
    return items;
  }
  function unionSelected() {
    const items = editableSelection();
    if (items.length < 2) { toast('Select two or more regions to unite (Shift+click).'); return; }
    let merged = items[0];
    for (const o of items.slice(1)) merged = merged.unite(o, { insert: false });
    store.batch([{ op: 'update', id: items[0].data.id, geometry: itemToGeometry(merged) }, ...items.slice(1).map((o) => ({ op: 'delete', id: o.data.id }))]);
  }
  function subtractSelected() {
    const items = editableSelection();
    if (items.length < 2) { toast('Select a region, then Shift+click the regions to cut out of it.'); return; }
    let rest = items[0];
    for (const o of items.slice(1)) rest = rest.subtract(o, { insert: false });
    const geometry = Math.abs(rest.area) > 0.5 ? itemToGeometry(rest) : null;
    store.batch([geometry ? { op: 'update', id: items[0].data.id, geometry } : { op: 'delete', id: items[0].data.id }]);
  }
  function fillHoles() {
    const items = editableSelection();
    if (!items.length) { toast('Select the regions whose holes to fill.'); return; }
    const edits = [];
    for (const r of items) {
      const g = itemToGeometry(r);
      const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      if (polygons.every((p) => p.length === 1)) continue;
      const shells = polygons.map((p) => [p[0]]);
      edits.push({ op: 'update', id: r.data.id, geometry: shells.length === 1 ? { type: 'Polygon', coordinates: shells[0] } : { type: 'MultiPolygon', coordinates: shells } });
    }
    if (!edits.length) toast('No holes to fill.'); else store.batch(edits);
  }
  function simplifySelected() {
    const items = editableSelection();
    if (!items.length) { toast('Select the regions to simplify.'); return; }
    const tolerance = overlay.pixels(2);
    store.batch(items.map((r) => ({ op: 'update', id: r.data.id, geometry: itemToGeometry(tidy(simplifyItem(r.clone({ insert: false }), tolerance))) }))
      .filter((e) => e.geometry));
  }
  function deleteSelected() {
    const items = editableSelection();
    if (!items.length) return;
    store.batch(items.map((r) => ({ op: 'delete', id: r.data.id })));
    selection.clear();
  }

  // ---- side panel: classes, selection, layers, history, exchange, services -------------------------
  const classList = h('ul.classes', { id: 'classes' });
  const selectionBox = h('div', { id: 'selection' });
  const layerList = h('ul.layers', { id: 'layers' });
  const historyList = h('ol.history', { id: 'history' });
  const segmentHere = segmentHereSection({ viewer, store, slice: { ...slice, id: sliceId }, canEdit });
  side.append(
    h('section', {}, h('h3', {}, 'Classes'), classList,
      ontology.length ? null : h('p.muted', {}, 'This project has no classes yet: add them on the project page.')),
    h('section', {}, h('h3', {}, 'Selection'), selectionBox),
    h('section', {}, h('h3', {}, 'Layers'), layerList),
    exchangeSection(),
    servicesSection(),
    segmentHere.element,
    h('section', {}, h('h3', {}, 'History ', h('button.link', { onclick: renderHistory }, 'refresh')), historyList));

  function renderClasses() {
    clear(classList);
    const depth = (c) => (c.parent ? 1 + depth(ontology.find((o) => o.name === c.parent) || {}) : 0);
    ontology.forEach((c, i) => {
      classList.append(h('li', {
        class: c.name === currentClass ? 'active' : '', 'data-class': c.name, style: { paddingLeft: `${0.4 + depth(c)}em` },
        onclick: () => chooseClass(c.name),
      }, h('span.swatch', { style: { background: c.color } }), c.name, i < 9 ? h('kbd', {}, String(i + 1)) : null));
    });
  }
  function chooseClass(name) {
    currentClass = name;
    renderClasses();
  }
  /** Gives the selected human regions another class. */
  function setSelectionClass(name) {
    const items = editableSelection().filter((r) => r.data.className !== name);
    if (items.length) store.batch(items.map((r) => ({ op: 'update', id: r.data.id, className: name, geometry: store.savedGeometry(r.data.id) })));
  }
  function renderSelection() {
    clear(selectionBox);
    const items = selection.items();
    if (!items.length) { selectionBox.append(h('p.muted', {}, 'Click a region to select it; Shift+click adds.')); return; }
    let area = 0;
    for (const r of items) area += geometryArea(itemToGeometry(r) || { type: 'Polygon', coordinates: [] });
    const classes = [...new Set(items.map((r) => r.data.className))].join(', ');
    const editable = canEdit && items.some((r) => store.editable(r));
    selectionBox.append(...[h('p', {}, `${items.length} region${items.length === 1 ? '' : 's'} · ${classes}`),
      editable ? h('label', {}, 'Class (Shift+1–9)', h('select', { id: 'selection-class', onchange: (e) => setSelectionClass(e.target.value) },
        h('option', { value: '' }, '—'), ontology.map((c) => h('option', { value: c.name, selected: items.every((r) => r.data.className === c.name) }, c.name)))) : null,
      h('p.muted', {}, slice.micronsPerPixel ? `${formatArea(area * slice.micronsPerPixel ** 2)} µm²` : `${formatArea(area)} px²`)].filter(Boolean));
    const layers = [...new Set(items.map((r) => r.data.layer))];
    if (layers.some((l) => l !== HUMAN)) {
      const p = items.find((r) => r.data.layer !== HUMAN).data.provenance || {};
      selectionBox.append(h('p.muted', {}, `Generated (${layers.join(', ')})`, p.model ? ` by model ${p.model}` : '', p.service ? ` · ${p.service}` : ''));
    }
  }
  async function renderLayers() {
    clear(layerList);
    const names = [HUMAN, ...[...new Set([...store.layers.keys(), ...rasters.keys()])].filter((n) => n !== HUMAN).sort()];
    for (const name of names) {
      const count = rasters.has(name) ? layerCounts.get(name) : [...store.items.values()].filter((i) => i.data.layer === name).length;
      const style = store.layerStyle.get(name) || { visible: true, opacity: 1 };
      layerList.append(h('li', { 'data-layer': name },
        h('label', {}, h('input', { type: 'checkbox', checked: style.visible, onchange: (e) => { store.setLayerStyle(name, { visible: e.target.checked }); styleRaster(name); overlay.redraw(); } }),
          ` ${name === HUMAN ? 'Human annotations' : name} `, h('span.muted', {}, `(${count}${rasters.has(name) ? ', drawn as tiles' : ''})`)),
        h('input', { type: 'range', min: 0, max: 1, step: 0.05, value: style.opacity, title: 'Opacity', oninput: (e) => { store.setLayerStyle(name, { opacity: Number(e.target.value) }); styleRaster(name); overlay.redraw(); } })));
    }
  }
  let historyTimer = null;
  function historySoon() {
    clearTimeout(historyTimer);
    historyTimer = setTimeout(renderHistory, 1000);
  }
  async function renderHistory() {
    try {
      const history = await get(`/api/v1/slices/${sliceId}/history?limit=50`);
      clear(historyList);
      for (const ev of history.events.slice(0, 50)) {
        historyList.append(h('li', {}, h('span', {}, `${ev.op} ${ev.class || ''} #${ev.regionId}`), h('span.muted', {}, ` ${ev.user} · ${new Date(ev.time).toLocaleString()}`),
          canEdit ? h('button.link', {
            title: 'Bring every region of this slice back to how it was right after this change',
            onclick: async () => {
              if (!confirm('Bring the regions of this slice back to how they were after this change? (This is recorded too, and can be undone the same way.)')) return;
              try {
                const r = await post(`/api/v1/slices/${sliceId}/restore`, { eventId: ev.eventId });
                toast(`Restored: ${r.changed} change${r.changed === 1 ? '' : 's'}`);
                await loadRegions();
                renderHistory();
              } catch (e) { showError(e); }
            },
          }, 'restore') : null));
      }
    } catch (e) { showError(e); }
  }
  function exchangeSection() {
    const format = h('select', { id: 'exchange-format' }, exchangeFormats.map((f) => h('option', { value: f.id }, f.label)));
    // what an import could not bring in, with the first reasons (the answer lists every feature)
    const leftOut = (r) => (r.skipped ? `; ${r.skipped} left out: ${(r.features || []).filter((f) => f.outcome === 'skipped')
      .slice(0, 3).map((f) => `${f.feature} ${f.reason}`).join('; ')}${r.skipped > 3 ? '…' : ''}` : '');
    const file = h('input', {
      type: 'file', accept: '.json,.geojson', id: 'import-file',
      onchange: async () => {
        const f = file.files[0];
        file.value = '';
        if (!f) return;
        try {
          await store.flushed();
          const r = await api('POST', `/api/v1/slices/${sliceId}/import?format=${format.value}`, f);
          toast(`Imported ${r.imported} region${r.imported === 1 ? '' : 's'}${r.updated ? ` (${r.updated} updated)` : ''}${r.classesAdded && r.classesAdded.length ? `; new classes: ${r.classesAdded.join(', ')}` : ''}${leftOut(r)}`);
          if (r.classesAdded && r.classesAdded.length) location.reload(); else await store.load(HUMAN);
        } catch (e) { showError(e); }
      },
    });
    return h('section', {}, h('h3', {}, 'Import / export'), format,
      h('div.row', {},
        h('button', {
          id: 'export', onclick: async () => {
            try {
              await store.flushed();
              const response = await api('GET', `/api/v1/slices/${sliceId}/export?format=${format.value}`, undefined, { raw: true });
              const ext = exchangeFormats.find((f) => f.id === format.value).extension;
              download(`${slice.name.replace(/\.[^.]+$/, '')}.${ext}`, await response.blob());
            } catch (e) { showError(e); }
          },
        }, 'Export'),
        canEdit ? h('label.button', {}, 'Import…', file) : null));
  }
  function servicesSection() {
    const box = h('section', { id: 'services' }, h('h3', {}, 'Analysis services'));
    get('/api/v1/services').then((services) => {
      if (!services.length) box.append(h('p.muted', {}, 'No service registered.'));
      for (const s of services) {
        const url = new URL(s.url, location.href);
        url.searchParams.set('server', location.origin);
        url.searchParams.set('project', slice.projectId);
        url.searchParams.set('series', slice.seriesId);
        url.searchParams.set('slice', sliceId);
        box.append(h('p', {}, h('a', { href: url.href, target: '_blank', rel: 'noopener' }, `Open ${s.name}`), s.description ? h('span.muted', {}, ` — ${s.description}`) : null));
      }
    }).catch(() => box.append(h('p.muted', {}, 'Services could not be listed.')));
    return box;
  }
  renderClasses();
  renderSelection();

  // ---- slices of the series ---------------------------------------------------------------------
  const slices = series.slices;
  const index = slices.findIndex((s) => s.id === sliceId);
  const goSlice = (i) => {
    if (i < 0 || i >= slices.length || i === index) return;
    rememberView();
    location.hash = `#/slices/${slices[i].id}`;
  };
  const slider = h('input', { type: 'range', id: 'slice-slider', min: 0, max: slices.length - 1, value: index, onchange: () => goSlice(Number(slider.value)) });
  sliceNav.append(h('button', { title: 'Previous slice (PageUp or ,)', onclick: () => goSlice(index - 1), disabled: index === 0 }, '◀'),
    slider, h('span', { id: 'slice-label' }, `Slice ${index + 1} / ${slices.length}: ${slice.name}`),
    h('button', { title: 'Next slice (PageDown or .)', onclick: () => goSlice(index + 1), disabled: index === slices.length - 1 }, '▶'));
  const viewKey = `view:${slice.seriesId}`;
  function rememberView() {
    const c = viewer.viewport.getCenter();
    sessionStorage.setItem(viewKey, JSON.stringify({ x: c.x, y: c.y, zoom: viewer.viewport.getZoom() }));
  }
  viewer.addHandler('open', () => {
    const saved = sessionStorage.getItem(viewKey);
    if (saved) {
      try {
        const v = JSON.parse(saved);
        viewer.viewport.zoomTo(v.zoom, null, true);
        viewer.viewport.panTo(new OpenSeadragon.Point(v.x, v.y), true);
      } catch { /* a stale view is no reason to fail */ }
    }
    overlay.sync();
    viewerReady = true;
    page.dataset.ready = 'true';
  });
  let viewerReady = false;
  overlay.onViewChange = () => scaleBar.update(overlay.scale);

  // ---- cursors of the others ---------------------------------------------------------------------
  const cursors = new Map();
  function showCursor({ user: who, x, y }) {
    if (who === user.username) return;
    let c = cursors.get(who);
    if (!c) {
      const dot = new scope.Path.Circle({ center: [0, 0], radius: 5, fillColor: '#ff4081', strokeColor: '#fff', strokeWidth: 1, insert: false });
      const label = new scope.PointText({ point: [8, -8], content: who, fillColor: '#fff', fontSize: 12, shadowColor: '#000', shadowBlur: 3, insert: false });
      c = { group: new scope.Group({ children: [dot, label], applyMatrix: false, insert: false }), timer: null };
      c.group.data.cursorOf = who;
      cursorsLayer.addChild(c.group);
      cursors.set(who, c);
    }
    c.group.position = new scope.Point(x, y).add(c.group.bounds.center.subtract(c.group.children[0].position));
    c.group.scaling = 1 / (overlay.scale || 1);
    c.group.visible = true;
    clearTimeout(c.timer);
    c.timer = setTimeout(() => { c.group.visible = false; overlay.redraw(); }, 5000);
    overlay.redraw();
  }
  overlay.onPointer = (p) => {
    document.getElementById('pointer').textContent = ` · x ${Math.round(p.x)}, y ${Math.round(p.y)}`;
    if (live) live.sendCursor(p.x, p.y);
  };

  // ---- regions: vectors for what people edit, tiles for very large generated layers -------------
  // Paper.js draws every path on every frame: fine for hundreds of regions, not for 100,000. A
  // generated layer above LARGE_LAYER regions is drawn by the server as transparent PNG tiles (a
  // second OpenSeadragon image, cached per layer change) and stays selectable by hit-testing.
  const LARGE_LAYER = 2000;
  const rasters = new Map(); // layer name -> OpenSeadragon TiledImage
  const layerCounts = new Map();
  const rasterTimers = new Map();
  async function loadRegions() {
    const layers = await get(`/api/v1/slices/${sliceId}/layers`);
    await store.load(HUMAN);
    for (const l of layers) {
      layerCounts.set(l.name, l.count);
      if (l.count > LARGE_LAYER) {
        for (const [id, item] of [...store.items]) if (item.data.layer === l.name && !item.data.picked) store.forget(id);
        await showRaster(l.name);
      } else {
        hideRaster(l.name);
        await store.load(l.name);
      }
    }
    renderLayers();
  }
  async function showRaster(name) {
    const dzi = `/slides/${sliceId}/layers/${encodeURIComponent(name)}/overlay.dzi`;
    const head = await api('GET', dzi, undefined, { raw: true });
    const seq = head.headers.get('X-Layer-Seq') || '0';
    const old = rasters.get(name);
    if (old && old.source && String(old.source.url || '').endsWith(`seq=${seq}`)) return;
    rasters.set(name, old || null);
    await new Promise((resolve) => {
      viewer.addTiledImage({
        tileSource: `${dzi}?seq=${seq}`,
        success: (e) => {
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
          styleRaster(name);
          resolve();
        },
        error: () => resolve(),
      });
    });
  }
  function hideRaster(name) {
    const item = rasters.get(name);
    if (item) viewer.world.removeItem(item);
    rasters.delete(name);
  }
  function styleRaster(name) {
    const item = rasters.get(name);
    if (!item) return;
    const style = store.layerStyle.get(name) || { visible: true, opacity: 1 };
    item.setOpacity(style.visible ? style.opacity : 0);
  }
  function refreshRasterSoon(name) {
    clearTimeout(rasterTimers.get(name));
    rasterTimers.set(name, setTimeout(() => showRaster(name).catch(showError), 500));
  }
  /** A click on a tile-drawn layer: ask the server which region is there, and select it. */
  ctx.pickRaster = async (point, additive) => {
    const visible = [...rasters.keys()].filter((n) => (store.layerStyle.get(n) || { visible: true }).visible);
    for (const layer of visible) {
      const params = new URLSearchParams({ x: point.x, y: point.y, layer, tolerance: overlay.pixels(4), limit: 1 });
      const found = await get(`/api/v1/slices/${sliceId}/regions/at?${params}`).catch(() => null);
      const f = found && found.features[0];
      if (f) {
        const item = store.upsert(f);
        item.data.picked = true;
        if (additive) selection.toggle(item); else selection.set([item]);
        overlay.redraw();
        return true;
      }
    }
    return false;
  };

  // ---- data and live changes --------------------------------------------------------------------
  let live = null;
  try {
    await loadRegions();
    store.onStatus(0);
  } catch (e) { showError(e); }
  live = new LiveLink(sliceId, {
    status: (s) => { liveStatus.textContent = s === 'live' ? '● live' : '○ reconnecting…'; liveStatus.className = 'live ' + s; },
    snapshot: (m) => { if (m.seq > store.seq) loadRegions().catch(showError); },
    change: (m) => {
      const layer = m.region && m.region.properties ? m.region.properties.layer : null;
      if (layer && rasters.has(layer)) { store.seq = Math.max(store.seq, m.seq || 0); refreshRasterSoon(layer); } else store.applyLive(m);
    },
    layer: (m) => loadRegions().catch(showError),
    reload: () => loadRegions().catch(showError),
    resynced: () => {},
    cursor: showCursor,
    error: (m) => console.warn('live:', m.error),
  });
  renderHistory();

  // ---- keyboard ---------------------------------------------------------------------------------
  function onKey(e) {
    if (e.target.closest && e.target.closest('input, textarea, select')) return;
    const tool = tools.get(activeTool).tool;
    if (tool.key && tool.key(e)) { e.preventDefault(); return; }
    const k = e.key.toLowerCase();
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === ' ') { overlay.spaceHeld = true; overlay.canvas.style.pointerEvents = 'none'; e.preventDefault(); return; }
    if (mod && k === 'z') { e.preventDefault(); if (e.shiftKey) store.redo(); else store.undo(); return; }
    if (mod && k === 'y') { e.preventDefault(); store.redo(); return; }
    if (mod) return;
    const t = TOOLS.find((x) => x.key === k);
    if (t && (canEdit || t.id === 'select')) { useTool(t.id); return; }
    if (e.key === 'Delete' || e.key === 'Backspace') { deleteSelected(); e.preventDefault(); return; }
    if (e.key === 'Escape') { selection.clear(); return; }
    if (k === 'u') return unionSelected();
    if (k === 'x') return subtractSelected();
    if (k === 'h') return fillHoles();
    if (k === 's') return simplifySelected();
    if (e.key === '[' || e.key === ']') { brushSize = Math.max(4, Math.min(200, brushSize * (e.key === ']' ? 1.25 : 0.8))); localStorage.setItem('brushSize', brushSize); return; }
    const digit = /^Digit([1-9])$/.exec(e.code);
    if (digit && ontology[Number(digit[1]) - 1]) {
      const name = ontology[Number(digit[1]) - 1].name;
      if (e.shiftKey) setSelectionClass(name); else chooseClass(name);
      return;
    }
    if (e.key === 'PageUp' || e.key === ',') { goSlice(index - 1); e.preventDefault(); return; }
    if (e.key === 'PageDown' || e.key === '.') { goSlice(index + 1); e.preventDefault(); return; }
    if (e.key === '?') showHelp();
  }
  function onKeyUp(e) {
    if (e.key === ' ') { overlay.spaceHeld = false; overlay.canvas.style.pointerEvents = ''; }
  }
  document.addEventListener('keydown', onKey);
  document.addEventListener('keyup', onKeyUp);
  function showHelp() {
    const lines = [...TOOLS.map((t) => [t.key.toUpperCase(), t.label]), ...actions.map((a) => [a.key, a.label]),
      ['Space (hold)', 'Pan with any tool'], ['1–9', 'Choose the class to draw'], ['Shift+1–9', 'Give the selected regions that class'], ['[ / ]', 'Brush size'],
      ['PageUp / PageDown', 'Previous / next slice'], ['Enter / Esc / Backspace', 'Finish / cancel / remove last point of a polygon'],
      ['Alt+click', 'Delete a vertex (edit vertices)']];
    const dialog = h('dialog.help', {}, h('h3', {}, 'Keyboard shortcuts'), h('table', {}, lines.map(([k, v]) => h('tr', {}, h('td', {}, h('kbd', {}, k)), h('td', {}, v)))),
      h('form', { method: 'dialog' }, h('button', {}, 'Close')));
    document.body.append(dialog);
    dialog.addEventListener('close', () => dialog.remove());
    dialog.showModal();
  }

  // The test hooks: a browser test reads the state the user sees, nothing the UI does not show.
  window.histodraw = { store, viewer, overlay, selection, rasters, geometryOf: itemToGeometry, ready: () => viewerReady, useTool, chooseClass, get live() { return live; }, segmentHere };

  return () => {
    live.close();
    segmentHere.close();
    document.removeEventListener('keydown', onKey);
    document.removeEventListener('keyup', onKeyUp);
    for (const c of cursors.values()) clearTimeout(c.timer);
    for (const t of rasterTimers.values()) clearTimeout(t);
    clearTimeout(historyTimer);
    stopSmoothing();
    viewer.destroy();
    scope.project.remove();
    page.classList.remove('viewer-page');
    delete page.dataset.ready;
    window.histodraw = null;
  };
}

function formatArea(v) {
  return v >= 1e6 ? v.toExponential(3) : Math.round(v).toLocaleString();
}
