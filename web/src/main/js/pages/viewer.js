// The slide viewer: deep zoom over a series of slices, drawing tools, classes, layers, history,
// live collaboration, import/export, measurements and the analysis panels. This page only lays
// them out and wires them together; each concern lives in its module under viewer/.
import { get } from '../api.js';
import { h, setCrumbs, showError, toast } from '../ui.js';
import { slideViewer } from '../viewer/deep-zoom.js';
import { PaperOverlay } from '../viewer/overlay.js';
import { RegionStore } from '../viewer/regions.js';
import { Selection } from '../viewer/selection.js';
import { ScaleBar } from '../viewer/scalebar.js';
import { smoothWhenStill } from '../viewer/motion.js';
import { LiveLink } from '../viewer/live.js';
import { TOOLS } from '../viewer/tools.js';
import { itemToGeometry } from '../viewer/geometry.js';
import { exchangeSection } from '../viewer/exchange.js';
import { segmentHereSection } from '../viewer/segment-here.js';
import { regionEdits } from '../viewer/edits.js';
import { classList } from '../viewer/class-list.js';
import { selectionPanel } from '../viewer/selection-panel.js';
import { layerList } from '../viewer/layer-list.js';
import { historyList } from '../viewer/history-list.js';
import { sliceNav } from '../viewer/slice-nav.js';
import { cursorLayer } from '../viewer/cursors.js';
import { rasterLayers } from '../viewer/raster-layers.js';
import { keyboard } from '../viewer/keyboard.js';
import { servicesSection } from '../viewer/services.js';
import { acceptResults } from '../viewer/accept.js';
import { measurementsSection } from '../viewer/measurements.js';
import { segmentationPanel } from '../viewer/segmentation-panel.js';
import { slideInfoSection } from '../viewer/slide-info.js';
import { displaySection } from '../viewer/display.js';

export async function viewerPage({ page, user }, sliceId, params = new URLSearchParams()) {
  const slice = await get(`/api/v1/slices/${sliceId}`);
  const [project, series, ontology] = await Promise.all([
    get(`/api/v1/projects/${slice.projectId}`),
    get(`/api/v1/series/${slice.seriesId}`),
    get(`/api/v1/projects/${slice.projectId}/ontology`),
  ]);
  setCrumbs({ label: 'Projects', href: '#/' }, { label: project.name, href: `#/projects/${project.id}` },
    { label: series.name }, { label: slice.name });
  const canEdit = project.role === 'owner' || project.role === 'editor' || user.admin;
  const isOwner = project.role === 'owner' || user.admin;
  document.title = `${slice.name} · HistoDraw`;

  // ---- layout -----------------------------------------------------------------------------------
  const osdBox = h('div.osd', { id: 'osd' });
  const toolbar = h('div.toolbar', { id: 'tools', role: 'toolbar' });
  const side = h('aside.side');
  const status = h('span.status', { id: 'save-status' }, 'Loading…');
  const liveStatus = h('span.live', { id: 'live-status' }, '');
  const stage = h('div.stage', {}, osdBox);
  page.classList.add('viewer-page');
  page.append(h('div.viewer', {}, toolbar, stage, side),
    h('footer.statusbar', {}, status, liveStatus, h('span.muted', {}, `${slice.width} × ${slice.height} px`,
      slice.micronsPerPixel ? ` · ${slice.micronsPerPixel} µm/px` : ' · pixel size unknown'), h('span.muted', { id: 'pointer' })));

  // ---- the slide, the drawing layer over it and the regions -------------------------------------
  const viewer = slideViewer(osdBox, slice);
  const overlay = new PaperOverlay(viewer);
  const stopSmoothing = smoothWhenStill(viewer);
  const scope = overlay.scope;
  const scaleBar = new ScaleBar(osdBox, slice.micronsPerPixel);
  const colours = new Map(ontology.map((c) => [c.name, c.color]));
  const classColour = (name) => colours.get(name) || '#ffb300';
  const cursors = cursorLayer({ scope, overlay, me: user.username });
  const classes = classList(ontology);
  let selection = null;
  let panels = null;
  const store = new RegionStore(scope, sliceId, {
    classColour,
    onChange: () => { selection.refresh(); panels.changed(); overlay.redraw(); },
    onStatus: (pending, state) => {
      status.textContent = state === 'offline' ? `Offline: ${pending} change${pending === 1 ? '' : 's'} waiting to be saved`
        : pending ? `Saving ${pending}…` : 'All changes saved';
      status.className = 'status' + (state === 'offline' ? ' offline' : pending ? ' saving' : ' saved');
    },
    onError: showError,
  });
  selection = new Selection(store, () => panels.selectionChanged());
  const rasters = rasterLayers({ viewer, sliceId, store, selection, overlay });
  const say = (m) => toast(m);
  const edits = regionEdits({ store, selection, overlay, canEdit, say });
  const accept = acceptResults({ sliceId, store, selection, reload: () => loadRegions(), say });

  // ---- tools and actions --------------------------------------------------------------------------
  let brushSize = Number(localStorage.getItem('brushSize')) || 30;
  const wandTolerance = h('input', { type: 'range', min: 2, max: 120, value: 30 });
  const ctx = {
    overlay, scope, store, selection, canEdit, classColour, say, micronsPerPixel: slice.micronsPerPixel,
    currentClass: () => classes.current(),
    brushSize: () => brushSize,
    wandTolerance: () => Number(wandTolerance.value),
    pickRaster: (point, additive) => rasters.pick(point, additive),
  };
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
    if (!canEdit && !t.readOnly) continue;
    toolbar.append(h('button', { 'data-tool': t.id, title: `${t.label} (${t.key.toUpperCase()})`, onclick: () => useTool(t.id) }, t.label));
  }
  const actions = [
    { id: 'union', label: 'Union', key: 'u', run: edits.union },
    { id: 'subtract', label: 'Subtract', key: 'x', run: edits.subtract },
    { id: 'fill-holes', label: 'Fill holes', key: 'h', run: edits.fillHoles },
    { id: 'simplify', label: 'Simplify', key: 's', run: edits.simplify },
    { id: 'delete', label: 'Delete', key: 'Del', run: edits.remove },
    { id: 'undo', label: 'Undo', key: 'Ctrl+Z', run: () => store.undo() || toast('Nothing to undo') },
    { id: 'redo', label: 'Redo', key: 'Ctrl+Shift+Z', run: () => store.redo() || toast('Nothing to redo') },
  ];
  if (canEdit) {
    toolbar.append(h('hr'));
    for (const a of actions) toolbar.append(h('button', { 'data-action': a.id, title: `${a.label} (${a.key.length === 1 ? a.key.toUpperCase() : a.key})`, onclick: a.run }, a.label));
    toolbar.append(h('hr'));
    const size = h('input', { type: 'range', min: 4, max: 200, value: brushSize, oninput: () => { brushSize = Number(size.value); localStorage.setItem('brushSize', brushSize); } });
    toolbar.append(h('label.small', {}, 'Brush size', size));
    toolbar.append(h('label.small', {}, 'Wand tolerance', wandTolerance));
  }
  const brush = { resize: (k) => { brushSize = Math.max(4, Math.min(200, brushSize * k)); localStorage.setItem('brushSize', brushSize); } };

  // ---- side panel ---------------------------------------------------------------------------------
  const selectionBox = selectionPanel({ selection, store, ontology, canEdit, micronsPerPixel: slice.micronsPerPixel, edits, accept });
  const layers = layerList({ store, rasters, overlay, canEdit, accept });
  const history = historyList({ sliceId, canEdit, reload: () => loadRegions() });
  const segmentHere = segmentHereSection({ viewer, store, slice: { ...slice, id: sliceId }, canEdit });
  const measurements = measurementsSection({ slice, sliceId, store });
  const segmentation = segmentationPanel({ viewer, slice, sliceId, series, project, ontology, store });
  stage.append(segmentation.element);
  const display = displaySection(viewer);
  side.append(classes.element, selectionBox.element, layers.element, measurements.element, display.element, exchangeSection({ sliceId, slice, store, canEdit }),
    servicesSection({ slice, sliceId, panel: segmentation }), segmentHere.element, slideInfoSection({ slice, sliceId, isOwner }), history.element);
  panels = {
    changed() { layers.render(); selectionBox.render(); history.soon(); },
    selectionChanged() { selectionBox.render(); },
  };

  // ---- slices of the series -------------------------------------------------------------------------
  const nav = sliceNav({ series, sliceId, slice, viewer });
  stage.append(nav.element);
  let viewerReady = false;
  viewer.addHandler('open', () => {
    nav.restoreView();
    overlay.sync();
    viewerReady = true;
    page.dataset.ready = 'true';
  });
  overlay.onViewChange = () => scaleBar.update(overlay.scale);

  // ---- data and live changes ------------------------------------------------------------------------
  let live = null;
  overlay.onPointer = (p) => {
    document.getElementById('pointer').textContent = ` · x ${Math.round(p.x)}, y ${Math.round(p.y)}`;
    if (live) live.sendCursor(p.x, p.y);
  };
  async function loadRegions() {
    await rasters.load();
    layers.render();
  }
  try {
    await loadRegions();
    store.onStatus(0);
  } catch (e) { showError(e); }
  live = new LiveLink(sliceId, {
    status: (s) => { liveStatus.textContent = s === 'live' ? '● live' : '○ reconnecting…'; liveStatus.className = 'live ' + s; },
    snapshot: (m) => { if (m.seq > store.seq) loadRegions().catch(showError); },
    change: (m) => {
      const layer = m.region && m.region.properties ? m.region.properties.layer : null;
      if (layer && rasters.has(layer)) { store.seq = Math.max(store.seq, m.seq || 0); rasters.refreshSoon(layer); } else store.applyLive(m);
    },
    layer: () => loadRegions().catch(showError),
    reload: () => loadRegions().catch(showError),
    resynced: () => {},
    cursor: cursors.show,
    error: (m) => console.warn('live:', m.error),
  });
  history.render();

  // ---- keyboard -------------------------------------------------------------------------------------
  const keys = keyboard({
    tools: TOOLS, actions, canEdit, overlay, store, ontology, brush,
    activeTool: () => (activeTool ? tools.get(activeTool).tool : null),
    useTool,
    chooseClass: classes.choose,
    setClass: edits.setClass,
    previousSlice: nav.previous,
    nextSlice: nav.next,
    clearSelection: () => selection.clear(),
  });
  toolbar.append(h('button.link', { onclick: keys.showHelp }, 'Shortcuts (?)'));
  useTool('select');
  if (params.get('panel') === 'segmentation') segmentation.open();

  // The test hooks: a browser test reads the state the user sees, nothing the UI does not show.
  window.histodraw = {
    store, viewer, overlay, selection, rasters: rasters.rasters, geometryOf: itemToGeometry, ready: () => viewerReady, useTool,
    chooseClass: classes.choose, get live() { return live; }, segmentHere, segmentation,
  };

  return () => {
    store.close();
    rasters.close();
    live.close();
    segmentHere.close();
    segmentation.destroy();
    display.close();
    keys.close();
    cursors.close();
    history.close();
    stopSmoothing();
    overlay.destroy();
    viewer.destroy();
    page.classList.remove('viewer-page');
    delete page.dataset.ready;
    window.histodraw = null;
  };
}
