// The engine's web worker: runs the engine compiled from Java by TeaVM (histodraw-engine.js, beside
// this script) off the page's thread, so training and prediction never freeze the viewer.
// Messages: {id, op, ...arguments}; answers: {id, ok: true, result} or {id, ok: false, error}.
/* global importScripts, segment, classMap, uncertainty, classesJson, modelId, modelSettings,
   trainingPixels, modelFile, regionsGeoJson, release, engineRun */
importScripts('histodraw-engine.js');

const ops = {
  /** Trains on the regions over the pixels and classifies them; keeps the result until released. */
  segment(m) {
    const started = performance.now();
    const handle = segment(new Int8Array(m.rgba), m.width, m.height, m.regions, m.originX, m.originY, m.scale,
      m.settings || '', m.seed == null ? 42 : m.seed);
    // Copies (new Uint8Array(typedArray) copies): the engine's arrays may share their buffer with
    // the Java arrays it keeps, and a transferred buffer is emptied on this side.
    const classes = new Uint8Array(classMap(handle));
    const hesitation = new Uint8Array(uncertainty(handle));
    return {
      result: {
        handle, width: m.width, height: m.height, classes, uncertainty: hesitation,
        classList: JSON.parse(classesJson(handle)), model: modelId(handle), settings: modelSettings(handle),
        trainingPixels: trainingPixels(handle), seconds: (performance.now() - started) / 1000,
      },
      transfer: [classes.buffer, hesitation.buffer],
    };
  },
  /** The result's class map traced into regions (GeoJSON text, slide pixels). */
  regions(m) {
    return { result: regionsGeoJson(m.handle, m.minimumArea || 0, m.tolerance || 0) };
  },
  /** The result's .hdm model file. */
  modelFile(m) {
    const bytes = new Uint8Array(modelFile(m.handle));
    return { result: bytes, transfer: [bytes.buffer] };
  },
  release(m) {
    release(m.handle);
    return { result: null };
  },
  /** The JVM-comparison run (RGB and labels as Base64): its one-line JSON report. */
  run(m) {
    return { result: JSON.parse(engineRun(m.rgb, String(m.width), String(m.height), m.labels)) };
  },
};

self.onmessage = (event) => {
  const m = event.data;
  try {
    const op = ops[m.op];
    if (!op) throw new Error(`unknown engine operation: ${m.op}`);
    const { result, transfer } = op(m);
    self.postMessage({ id: m.id, ok: true, result }, transfer || []);
  } catch (e) {
    self.postMessage({ id: m.id, ok: false, error: e && e.message ? e.message : String(e) });
  }
};
