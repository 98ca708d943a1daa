// The segmentation service as a panel of the viewer (it used to be a page of its own): tick the
// training slices (the slice in view is ticked), see the classes drawn there, train on the project's
// stain, see how well each class is learnt and which features count, see the prediction and the
// uncertainty over this slide (under the training regions), save and use models, apply one to the
// series (every pixel, coarse-to-fine, or a tissue map from the overview trained beside the model)
// and plot the area of each class along it. Every call carries a token of the server.
import { h, clear, download, showError } from '../ui.js';
import { ServiceClient, registeredServices } from './service-client.js';
import { importancesChart, areasChart } from './charts.js';
import { STAINS, originText } from './stain-vectors.js';
import { predictionControls } from './prediction-controls.js';

const RUNNING = ['queued', 'running', 'publishing'];
const SLICE_STATES = {
  queued: 'waiting', running: 'predicting', sending: 'sending its regions', staged: 'traced; shown when all slices are done',
  published: 'done: its layer "generated" holds the result', failed: 'failed', cancelled: 'cancelled (nothing shown)',
};

export function segmentationPanel({ viewer, slice, sliceId, series, project, ontology, store }) {
  const colours = new Map(ontology.map((c) => [c.name, c.color]));
  const stain = STAINS.find((s) => s.id === project.stain) || STAINS[0];
  const sliceName = (id) => (series.slices.find((s) => s.id === id) || { name: `slice ${id}` }).name;
  const stainLine = h('p.muted', { id: 'seg-stain' });
  /** The project's stain and vectors, as training will use them (the owner changes them on the project page or under Stain). */
  function showStain() {
    stainLine.textContent = `Stain: ${stain.label}${project.stainVectors ? `, vectors ${originText(project.stainVectors, sliceName)}` : ''} (the project's)`;
  }
  showStain();
  const status = h('p.muted', { id: 'seg-status' }, 'Connecting to the service…');
  const slicesBox = h('tbody');
  const classesBox = h('div', { id: 'seg-classes' });
  const live = h('input', { type: 'checkbox', id: 'seg-live', checked: true });
  const train = h('button.primary', { id: 'seg-train', onclick: () => run(trainNow) }, 'Train');
  // QuPath's "resolution": a second, coarse forest on the slide's level 1/N, for tissue maps
  const overview = h('select', { id: 'seg-overview', title: 'Also train a coarse forest on the slides downsampled, for tissue maps of whole slides and coarse-to-fine jobs' },
    h('option', { value: '0' }, 'none'), h('option', { value: '2' }, '1/2'), h('option', { value: '4' }, '1/4'), h('option', { value: '8' }, '1/8'));
  const oob = h('table', { id: 'seg-oob' });
  const featuresLine = h('p.muted', { id: 'seg-features' });
  const importances = h('canvas', { id: 'seg-importances', height: 220 });
  const shown = predictionControls({ prefix: 'seg', changed: (what) => (what === 'opacity' ? restyle() : run(overlays)) });
  const modelName = h('input', { id: 'seg-model-name', size: 14, placeholder: 'model name' });
  const models = h('table', { id: 'seg-models' });
  const from = h('input', { type: 'number', id: 'seg-from', min: 1, value: 1, size: 3 });
  const to = h('input', { type: 'number', id: 'seg-to', min: 1, value: series.slices.length, size: 3 });
  const everyPixel = h('option', { value: 'full' }, 'every pixel');
  const coarseToFine = h('option', { value: 'refine', disabled: true }, 'every pixel, coarse-to-fine');
  const tissueMap = h('option', { value: 'map', disabled: true }, 'a tissue map');
  const resolution = h('select', { id: 'seg-resolution', title: 'A tissue map and coarse-to-fine need a model trained with an overview' },
    everyPixel, coarseToFine, tissueMap);
  // QuPath's "create objects" for chosen classes: a background with a hole per nucleus is no annotation
  const publish = h('div', { id: 'seg-publish' });
  const start = h('button.primary', { id: 'seg-start', onclick: () => run(startJob) }, 'Apply to the series');
  const cancel = h('button', { id: 'seg-cancel', disabled: true, onclick: () => run(() => client.call('POST', `api/jobs/${jobId}/cancel`, {})) }, 'Cancel');
  const jobBox = h('div', { id: 'seg-job' });
  const areas = h('canvas', { id: 'seg-areas', height: 240 });
  const csv = h('button', { id: 'seg-csv', hidden: true, onclick: () => run(downloadCsv) }, 'Areas as CSV');
  const about = h('a', { id: 'seg-about', target: '_blank', rel: 'noopener' }, 'the service on its own');
  const element = h('aside.service-panel', { id: 'segmentation', hidden: true },
    h('header', {}, h('h3', {}, 'Segmentation'), h('button.link', { id: 'seg-close', title: 'Close the panel', onclick: () => close() }, '✕')),
    status,
    h('section', {}, h('h4', {}, 'Train on'), h('table.seg-slices', {}, h('thead', {}, h('tr', {}, h('th', {}, 'Train'), h('th', {}, 'Slice'))), slicesBox),
      classesBox, stainLine,
      h('div.row', {}, h('label.inline', {}, 'Overview for tissue maps ', overview)),
      h('div.row', {}, train, h('label.inline', {}, live, ' Retrain when regions change'))),
    h('section', {}, h('h4', {}, 'How well each class is learnt'), oob, featuresLine, h('div.chart', {}, importances)),
    h('section', {}, h('h4', {}, 'Over this slide'), shown.element),
    h('section', {}, h('h4', {}, 'Models'), h('div.row', {}, modelName, h('button', { id: 'seg-save', onclick: () => run(saveModel) }, 'Save')), models),
    h('section', {}, h('h4', {}, 'Apply to the series'),
      h('div.row', {}, h('label.inline', {}, 'slices ', from, ' to ', to), h('label.inline', {}, 'predict ', resolution)),
      publish, h('div.row', {}, start, cancel), jobBox, h('div.chart', {}, areas), csv),
    h('p.muted', {}, 'Also: ', about));

  let client = null;
  let info = null;
  let version = 0;
  let modelOverview = 0; // the resolution of the current model's overview (0: none)
  let jobId = null;
  let timer = null;
  let opened = false;
  let closed = false;
  let importanceChart = null;
  let areaChart = null;
  const layers = {}; // kind -> OpenSeadragon TiledImage

  const say = (text) => { status.textContent = text; };
  async function run(work) {
    try { await work(); } catch (e) { say(e.message); showError(e); }
  }

  async function open() {
    element.hidden = false;
    if (opened) return;
    opened = true;
    const services = await registeredServices();
    if (!services.length) { say('No segmentation service is registered with the server (see docs/service.md).'); return; }
    client = new ServiceClient(services[0], slice.projectId);
    info = await client.call('GET', 'api/info');
    const alone = new URL(client.service.url);
    alone.searchParams.set('server', location.origin);
    alone.searchParams.set('slice', sliceId);
    about.href = alone.href;
    shown.setRamp(info.uncertaintyRamp);
    renderSlices();
    await loadClasses();
    await loadModels();
    const jobs = await client.call('GET', 'api/jobs');
    const mine = jobs.find((j) => j.slices && j.slices.some((s) => series.slices.some((x) => x.id === s.sliceId)));
    if (mine) jobId = mine.id;
    say(`${client.name}: tick the slices to train on, then Train.`);
    poll();
  }

  function renderSlices() {
    clear(slicesBox);
    series.slices.forEach((s, i) => {
      slicesBox.append(h('tr', {}, h('td', {}, h('input', { type: 'checkbox', class: 'seg-train', value: s.id, checked: s.id === sliceId, onchange: () => run(loadClasses) })),
        h('td', {}, `${i + 1}. ${s.name}`, s.id === sliceId ? h('span.muted', {}, ' (in view)') : null)));
    });
  }
  const trainingSlices = () => [...slicesBox.querySelectorAll('input.seg-train:checked')].map((c) => Number(c.value));

  async function loadClasses() {
    const seen = new Map();
    for (const id of trainingSlices()) {
      for (const c of await client.call('GET', `api/slices/${id}/classes`)) {
        const had = seen.get(c.name);
        seen.set(c.name, { name: c.name, regions: c.regions + (had ? had.regions : 0) });
      }
    }
    clear(classesBox);
    if (!seen.size) { classesBox.append(h('p.muted', {}, 'No regions with a class on these slices yet: draw some.')); return; }
    for (const c of seen.values()) {
      classesBox.append(h('label.inline', {}, h('input', { type: 'checkbox', class: 'seg-class', value: c.name, checked: true }),
        h('span.swatch', { style: { background: colours.get(c.name) || '#999' } }), ` ${c.name} `, h('span.muted', {}, `(${c.regions})`)));
    }
  }

  async function trainNow() {
    const slices = trainingSlices();
    if (!slices.length) { say('Tick at least one slice to train on.'); return; }
    await store.flushed();
    const classes = [...classesBox.querySelectorAll('input.seg-class:checked')].map((c) => c.value);
    say('Training…');
    showStain();
    const vectors = project.stainVectors && project.stainVectors.custom ? project.stainVectors.vectors : undefined;
    const s = await client.call('POST', 'api/train', { slices, classes, live: live.checked, stain: stain.id, stainVectors: vectors,
      overview: Number(overview.value) });
    const r = s.report;
    say(`Trained in ${(r.fetchSeconds + r.featureSeconds + r.forestSeconds).toFixed(1)} s on ${r.samples.toLocaleString()} labelled pixels.`);
    showModel(s);
  }

  function showModel(s) {
    if (!s.version || s.version === version) return;
    version = s.version;
    const r = s.report;
    oob.replaceChildren(h('tr', {}, h('th', {}, 'Class'), h('th', {}, 'Out-of-bag'), h('th', {}, 'Pixels')),
      ...r.classes.map((c) => h('tr', {}, h('td', {}, h('span.swatch', { style: { background: colours.get(c.name) || c.color } }), ` ${c.name}`),
        h('td.num', {}, `${(100 * c.outOfBagAccuracy).toFixed(1)} %`), h('td.num', {}, (c.samples || 0).toLocaleString()))),
      h('tr', {}, h('td', {}, 'All'), h('td.num', {}, `${(100 * r.outOfBagAccuracy).toFixed(1)} %`), h('td.num', {}, (r.samples || 0).toLocaleString())),
      ...(r.overview ? [h('tr', { id: 'seg-oob-overview' }, h('td', {}, `Overview at 1/${r.overview}`),
        h('td.num', {}, `${(100 * r.overviewOutOfBagAccuracy).toFixed(1)} %`), h('td.num', {}, ''))] : []));
    showResolutions(s.model && s.model.overview ? s.model.overview : 0);
    showPublished(r.classes.map((c) => c.name));
    featuresLine.textContent = s.model && s.model.features ? `Features: ${s.model.features}` : '';
    if (importanceChart) importanceChart.destroy();
    importanceChart = importancesChart(importances, r.importances.slice(0, 12));
    overlays();
  }

  /** The classes a job turns into regions (all but the unticked; unticked ones are still measured). */
  function showPublished(names) {
    const unticked = new Set([...publish.querySelectorAll('input.seg-publish:not(:checked)')].map((c) => c.value));
    publish.replaceChildren(h('span.muted', {}, 'Regions of '), ...names.map((name) => h('label.inline', {},
      h('input', { type: 'checkbox', class: 'seg-publish', value: name, checked: !unticked.has(name) }),
      h('span.swatch', { style: { background: colours.get(name) || '#999' } }), ` ${name} `)));
  }

  /** What a job of the current model can predict: a tissue map and coarse-to-fine need its overview. */
  function showResolutions(resolutionOfOverview) {
    modelOverview = resolutionOfOverview;
    coarseToFine.disabled = !modelOverview;
    tissueMap.disabled = !modelOverview;
    tissueMap.textContent = modelOverview ? `a tissue map at 1/${modelOverview}` : 'a tissue map (train with an overview)';
    if (resolution.selectedOptions[0].disabled) resolution.value = 'full';
  }

  /** The prediction and the uncertainty of this slide as images over it (under the drawings). */
  async function overlays() {
    if (!version || closed) return;
    const headers = await client.headers(false);
    for (const [kind, on, opacity] of [['classes', shown.prediction(), shown.opacity()], ['uncertainty', shown.uncertainty(), shown.uncertaintyOpacity()]]) {
      const old = layers[kind];
      if (!on) { if (old) viewer.world.removeItem(old); delete layers[kind]; continue; }
      if (old && old.source && old.source.url && old.source.url.endsWith(`v=${version}`)) continue;
      viewer.addTiledImage({
        tileSource: client.url(`preview/${sliceId}/slide.dzi?kind=${kind}&v=${version}`),
        loadTilesWithAjax: true, ajaxHeaders: headers, opacity,
        success: (e) => {
          if (closed) { viewer.world.removeItem(e.item); return; }
          if (layers[kind]) viewer.world.removeItem(layers[kind]);
          layers[kind] = e.item;
          restyle();
        },
        error: (e) => say(`The prediction could not be shown: ${e.message || 'no tiles'}`),
      });
    }
  }
  function restyle() {
    if (layers.classes) layers.classes.setOpacity(shown.opacity());
    if (layers.uncertainty) layers.uncertainty.setOpacity(shown.uncertaintyOpacity());
  }

  async function loadModels() {
    const list = await client.call('GET', 'api/models');
    models.replaceChildren(...list.map((m) => h('tr', {}, h('td', {}, `${m.name} v${m.version}`), h('td.muted', {}, m.classes.join(', ')),
      h('td', {}, h('button', { class: 'seg-use', onclick: () => run(async () => { showModel(await client.call('POST', `api/models/${encodeURIComponent(m.name)}/${m.version}/use`, {})); say(`Using ${m.name} v${m.version}.`); }) }, 'Use')))));
  }
  async function saveModel() {
    const m = await client.call('POST', 'api/models', { name: modelName.value.trim() });
    say(`Saved as ${m.name} v${m.version}.`);
    await loadModels();
  }

  async function startJob() {
    const body = { series: series.id, from: Number(from.value), to: Number(to.value) };
    if (resolution.value === 'refine') body.refine = true;
    if (resolution.value === 'map') body.resolution = modelOverview;
    const omit = [...publish.querySelectorAll('input.seg-publish:not(:checked)')].map((c) => c.value);
    if (omit.length) body.omit = omit;
    const job = await client.call('POST', 'api/jobs', body);
    jobId = job.id;
    showJob(job);
  }
  function showJob(job) {
    const running = RUNNING.includes(job.state);
    cancel.disabled = !running;
    start.disabled = running;
    jobBox.replaceChildren(h('div', {}, `Job ${job.id}: ${job.state} ${Math.round(100 * job.fraction)} % in ${job.seconds.toFixed(1)} s`, job.message ? ` (${job.message})` : ''),
      job.prediction ? h('div.muted', { id: 'seg-job-prediction' }, `Predicting ${job.prediction}`) : null,
      h('progress', { max: 1, value: job.fraction }),
      ...job.slices.map((s) => h('div.seg-slice', { 'data-state': s.state }, h('span.muted', {}, `${s.name}: ${SLICE_STATES[s.state] || s.state}`),
        h('progress', { max: 1, value: s.tilesDone / Math.max(1, s.tilesTotal) }))));
    if (job.state === 'done' && shownAreas !== job.id) {
      shownAreas = job.id;
      csv.hidden = false;
      run(async () => plotAreas(await client.call('GET', `api/jobs/${job.id}/areas`)));
      store.load('generated').catch(() => {});
    }
  }
  let shownAreas = null;

  function plotAreas(rows) {
    if (areaChart) areaChart.destroy();
    areaChart = areasChart(areas, rows, colours);
  }
  async function downloadCsv() {
    download(`${series.name}-${shownAreas}-areas.csv`, await client.blob(`api/jobs/${shownAreas}/areas.csv`));
  }

  /** Live retraining and the job: what the service says, once a second while the panel is open. */
  async function poll() {
    if (closed) return;
    try {
      if (!element.hidden) {
        showModel(await client.call('GET', 'api/state'));
        if (jobId) showJob(await client.call('GET', `api/jobs/${jobId}`));
        await renewTileHeaders();
      }
    } catch (e) { say(e.message); }
    timer = setTimeout(poll, 1000);
  }

  /**
   * The preview images fetch their tiles with the token they were added with; when the client renews
   * it (a minute before the hour is up) they get the new one, so a slide left open keeps its overlay.
   */
  async function renewTileHeaders() {
    const headers = await client.headers(false);
    for (const item of Object.values(layers)) {
      if ((item.ajaxHeaders || {}).Authorization !== headers.Authorization) item.setAjaxHeaders(headers);
    }
  }

  function close() {
    element.hidden = true;
  }
  function destroy() {
    closed = true;
    clearTimeout(timer);
    if (importanceChart) importanceChart.destroy();
    if (areaChart) areaChart.destroy();
  }
  const button = h('button', { id: 'segmentation-open', onclick: () => run(open) }, 'Segmentation…');
  return {
    element, button, open: () => run(open), close, destroy, stainChanged: showStain,
    get version() { return version; }, get layers() { return layers; }, get charts() { return { importances: importanceChart, areas: areaChart }; },
    get client() { return client; },
  };
}
