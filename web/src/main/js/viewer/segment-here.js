// "Segment here (in your browser)": trains the engine (compiled from the same Java by TeaVM, run
// in a web worker) on the human regions over the visible area, at the resolution on screen,
// shows the predicted classes (or where the forest hesitates) over the slide, retrains when the
// regions change, and keeps the result as the layer "browser" on request. "Save model" hands the
// model file to the segmentation service registered with the server, which can then apply it to
// the whole series (the service predicts what the browser predicted, pixel for pixel).
import { api } from '../api.js';
import { h, showError, toast } from '../ui.js';
import { visibleArea, humanRegionsIn, fetchPixels } from './segment-view.js';
import { ResultOverlay } from './segment-overlay.js';
import { EngineClient } from '../engine/engine-client.js';
import { ServiceClient, registeredServices } from './service-client.js';
import { HUMAN } from './regions.js';

export const BROWSER_LAYER = 'browser';
/** Longest side of the fetched view: bounds the work (and memory) of one training. */
const MAX_SIDE = 1024;
const RETRAIN_DELAY_MS = 800;
const SEED = 42;

/**
 * The side-panel section. `ctx`: {viewer, store, slice, canEdit}. Returns {element, close}.
 */
export function segmentHereSection({ viewer, store, slice, canEdit }) {
  const status = h('p.muted', { id: 'segment-status' }, 'Trains on the regions in view, on your machine.');
  const opacity = h('input', { type: 'range', id: 'segment-opacity', min: 0, max: 1, step: 0.05, value: 0.5, title: 'Opacity', oninput: () => restyle() });
  const showUncertainty = h('input', { type: 'checkbox', id: 'segment-uncertainty', onchange: () => paint() });
  const run = h('button', { id: 'segment-run', onclick: () => toggle() }, 'Segment here');
  const keep = h('button', { id: 'segment-keep', disabled: true, onclick: () => keepAsRegions().catch(showError) }, 'Keep as regions');
  const modelName = h('input', { id: 'segment-model-name', size: 16, value: defaultModelName(slice), title: 'Name of the model on the service' });
  const save = h('button', { id: 'segment-save', disabled: true, onclick: () => saveModel().catch(showError) }, 'Save model');
  const apply = h('button', { id: 'segment-apply', disabled: true, onclick: () => applyToSeries().catch(showError) }, 'Apply to the series');
  const element = h('section', { id: 'segment-here' }, h('h3', {}, 'Segment here (in your browser)'),
    h('p', {}, run, ' ', canEdit ? keep : null),
    h('p', {}, h('label', {}, 'Opacity ', opacity), ' ', h('label', {}, showUncertainty, ' Uncertainty')),
    canEdit ? h('p', {}, modelName, ' ', save, ' ', apply) : null,
    status);

  let engine = null;
  let active = false;
  let result = null; // the worker's last answer plus the view it covers
  const overlay = new ResultOverlay(viewer);
  let timer = null;
  let running = null; // the training under way
  let again = false; // regions changed while training: train once more after it

  const setStatus = (text) => { status.textContent = text; };

  function toggle() {
    if (active) { stop(); return; }
    active = true;
    run.textContent = 'Stop';
    segment();
  }

  function stop() {
    active = false;
    trainedOn = null;
    clearTimeout(timer);
    run.textContent = 'Segment here';
    keep.disabled = true;
    save.disabled = true;
    removeOverlay();
    if (result && engine) engine.call('release', { handle: result.handle }).catch(() => {});
    result = null;
    setStatus('Stopped.');
  }

  /** What training depends on: the human regions' ids, versions and classes. */
  function humanSignature() {
    let text = '';
    for (const item of store.items.values()) {
      if (item.data.layer === HUMAN) text += `${item.data.id}:${item.data.version}:${item.data.className};`;
    }
    return text;
  }
  let trainedOn = null;

  /** Retrains a moment after the human regions stop changing (other layers loading change nothing). */
  function regionsChanged() {
    if (!active || humanSignature() === trainedOn) return;
    clearTimeout(timer);
    timer = setTimeout(segment, RETRAIN_DELAY_MS);
  }

  async function segment() {
    if (running) { again = true; return running; }
    running = segmentOnce().catch((e) => { setStatus(e.message); }).finally(() => { running = null; });
    await running;
    if (again && active) { again = false; return segment(); }
    return undefined;
  }

  async function segmentOnce() {
    const view = visibleArea(viewer, slice, MAX_SIDE);
    if (!view) { setStatus('Nothing of the slide is in view.'); return; }
    trainedOn = humanSignature();
    const regions = humanRegionsIn(store, view);
    const classes = new Set(regions.map((f) => f.properties.classification.name));
    if (classes.size < 2) {
      setStatus(`Draw regions of at least two classes in view (${classes.size ? `only ${[...classes][0]}` : 'none yet'}).`);
      return;
    }
    setStatus(`Fetching ${view.width} × ${view.height} pixels…`);
    const rgba = await fetchPixels(slice, view);
    if (!active) return;
    setStatus(`Training on ${regions.length} region${regions.length === 1 ? '' : 's'}…`);
    if (!engine) engine = new EngineClient();
    const answer = await engine.call('segment', {
      rgba: rgba.buffer, width: view.width, height: view.height, regions: JSON.stringify({ type: 'FeatureCollection', features: regions }),
      originX: view.x, originY: view.y, scale: view.scale, settings: '', seed: SEED,
    }, [rgba.buffer]);
    if (!active) { engine.call('release', { handle: answer.handle }).catch(() => {}); return; }
    if (result) engine.call('release', { handle: result.handle }).catch(() => {});
    result = { ...answer, view };
    paint();
    keep.disabled = false;
    save.disabled = false;
    setStatus(`${answer.classList.map((c) => c.name).join(', ')}: trained on ${answer.trainingPixels.toLocaleString()} pixels `
      + `and predicted ${view.width} × ${view.height} in ${answer.seconds.toFixed(1)} s (1 px = ${view.scale.toFixed(2)} slide px).`);
  }

  function paint() {
    if (result) overlay.paint(result, showUncertainty.checked, store.classColour);
  }
  function restyle() {
    overlay.setOpacity(Number(opacity.value));
  }
  function removeOverlay() {
    overlay.remove();
  }

  /** Traces the class map into regions and saves them as the layer "browser", with their provenance. */
  async function keepAsRegions() {
    if (!result) return;
    const { view } = result;
    keep.disabled = true;
    try {
      setStatus('Tracing the regions…');
      // Specks under 4 x 4 displayed pixels go; outlines lose detail under one displayed pixel.
      const text = await engine.call('regions', { handle: result.handle, minimumArea: 16 * view.scale * view.scale, tolerance: view.scale });
      const collection = JSON.parse(text);
      const body = {
        type: 'FeatureCollection',
        provenance: {
          service: 'browser model', model: result.model, settings: result.settings, seed: SEED,
          view: { x: view.x, y: view.y, width: view.w, height: view.h, scale: view.scale },
        },
        features: collection.features.map((f) => ({ type: 'Feature', geometry: f.geometry, properties: { classification: { name: f.properties.classification.name } } })),
      };
      const saved = await api('PUT', `/api/v1/slices/${slice.id}/layers/${BROWSER_LAYER}`, body);
      toast(`Kept ${saved.created ?? body.features.length} region${body.features.length === 1 ? '' : 's'} as the layer "${BROWSER_LAYER}".`);
      setStatus(`Kept ${body.features.length} regions as the layer "${BROWSER_LAYER}" (model ${result.model}).`);
    } catch (e) {
      setStatus(`Not kept: ${e.message}`);
      throw e;
    } finally {
      keep.disabled = !result;
    }
  }

  let savedModel = null; // {service, name, version} once saved
  let jobTimer = null;

  /** The first segmentation service registered with the server, with a token of this project. */
  let client = null;
  async function segmentationService() {
    if (client) return client;
    const services = await registeredServices();
    if (!services.length) throw new Error('No segmentation service is registered with the server.');
    client = new ServiceClient(services[0], slice.projectId);
    return client;
  }

  /** Uploads the model file to the service as the next version of the name typed. */
  async function saveModel() {
    if (!result) return;
    // The service applies models at full resolution: a model learnt on coarser pixels would see
    // finer structures there than it was taught on.
    if (Math.abs(result.view.scale - 1) > 1e-6) {
      setStatus(`Zoom in until one screen pixel is one slide pixel (now ${result.view.scale.toFixed(2)}) to save a model: `
        + 'the service applies it at full resolution.');
      return;
    }
    save.disabled = true;
    try {
      const service = await segmentationService();
      setStatus(`Saving the model on ${service.name}…`);
      const bytes = await engine.call('modelFile', { handle: result.handle });
      const saved = await service.call('POST', 'api/models/import', {
        name: modelName.value.trim(), file: base64(bytes), trainingSlices: [slice.id],
      });
      savedModel = { service, name: saved.name, version: saved.version };
      apply.disabled = false;
      setStatus(`Saved as ${saved.name} v${saved.version} on ${service.name} (model ${saved.modelId}).`);
      toast(`Model saved as ${saved.name} v${saved.version}.`);
    } catch (e) {
      setStatus(`Not saved: ${e.message}`);
      throw e;
    } finally {
      save.disabled = !result;
    }
  }

  /** Starts a job of the service applying the saved model to every slice of the series; follows it. */
  async function applyToSeries() {
    if (!savedModel) return;
    const { service, name, version } = savedModel;
    apply.disabled = true;
    let job;
    try {
      job = await service.call('POST', 'api/jobs', { series: slice.seriesId, model: { name, version } });
    } catch (e) {
      apply.disabled = false;
      setStatus(`Not started: ${e.message}`);
      return;
    }
    const follow = async () => {
      try {
        const j = await service.call('GET', `api/jobs/${job.id}`);
        if (['queued', 'running', 'publishing'].includes(j.state)) {
          setStatus(`Applying ${name} v${version} to the series: ${Math.round(100 * j.fraction)} % (job ${j.id} on ${service.name}).`);
          jobTimer = setTimeout(follow, 1000);
          return;
        }
        apply.disabled = false;
        setStatus(j.state === 'done'
          ? `Applied ${name} v${version} to ${j.slices.length} slices: their layer "${j.layer}" holds the result.`
          : `The job ${j.id} ended ${j.state}: ${j.message || ''}`);
      } catch (e) {
        apply.disabled = false;
        setStatus(e.message);
      }
    };
    await follow();
  }

  // Retrain when the regions change: the store reports every change, local or from others.
  const previous = store.onChange;
  store.onChange = (...args) => { previous(...args); regionsChanged(); };

  function close() {
    active = false;
    clearTimeout(timer);
    clearTimeout(jobTimer);
    store.onChange = previous;
    removeOverlay();
    if (engine) engine.close();
  }

  return { element, close, get result() { return result; }, get busy() { return Boolean(running); }, segment: () => (active ? segment() : toggle()) };
}

/** A model name the service accepts: letters, digits, . _ - (from the slice's name). */
function defaultModelName(slice) {
  const base = String(slice.name || 'slice').replace(/\.[^.]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return `browser-${base}`.slice(0, 64);
}

function base64(bytes) {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}
