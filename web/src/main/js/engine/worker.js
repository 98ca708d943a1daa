// The engine's web worker: runs the engine compiled from Java by TeaVM off the page's thread, so
// training and prediction never freeze the viewer. Two builds lie beside this script:
// histodraw-engine.wasm (WebAssembly GC: Java's float arithmetic in real 32-bit floats, so the
// same class map as the JVM, bit for bit) and histodraw-engine.js (JavaScript, for browsers
// without WebAssembly GC: Java's floats computed in doubles, a few tied pixels may differ).
// `worker.js?build=javascript` forces the JavaScript build (tests, benchmark).
// Messages: {id, op, ...arguments}; answers: {id, ok: true, result} or {id, ok: false, error}.
/* global importScripts, TeaVM */

/** Does this browser run WebAssembly GC? (validates a module declaring one empty struct type) */
function hasWasmGc() {
  try {
    return typeof WebAssembly === 'object'
      && WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 3, 1, 0x5f, 0]));
  } catch (e) {
    return false;
  }
}

/** The engine's exported functions, and the name of the build they come from. */
async function loadEngine() {
  const wanted = new URLSearchParams(self.location.search).get('build');
  if (wanted !== 'javascript' && hasWasmGc()) {
    try {
      importScripts('histodraw-engine.wasm-runtime.js');
      const teavm = await TeaVM.wasmGC.load('histodraw-engine.wasm');
      return { api: teavm.exports, build: 'webassembly' };
    } catch (e) {
      if (wanted === 'webassembly') throw e;
      // A browser with GC but without what else TeaVM needs (exceptions, ...): JavaScript it is.
    }
  }
  importScripts('histodraw-engine.js');
  return { api: self, build: 'javascript' };
}

const loading = loadEngine();

const ops = {
  /** Trains on the regions over the pixels and classifies them; keeps the result until released. */
  segment(e, m) {
    const started = performance.now();
    const handle = e.segment(new Int8Array(m.rgba), m.width, m.height, m.regions, m.originX, m.originY, m.scale,
      m.settings || '', m.seed == null ? 42 : m.seed);
    return answer(e, handle, m.width, m.height, started);
  },
  /** The result's uncertainty painted in the engine's ramp (UncertaintyRamp, the service's too), RGBA. */
  uncertaintyPicture(e, m) {
    const rgba = new Uint8ClampedArray(new Uint8Array(e.uncertaintyPicture(m.handle)));
    return { result: rgba, transfer: [rgba.buffer] };
  },
  /** The ramp's stops as CSS colours, for the legend. */
  uncertaintyRamp(e) {
    return { result: JSON.parse(e.uncertaintyRampCss()) };
  },
  /** Reads an .hdm model file; its handle. */
  loadModel(e, m) {
    return { result: e.loadModel(new Int8Array(m.file)) };
  },
  /** Applies a loaded model to the pixels; the result as for segment. */
  predict(e, m) {
    const started = performance.now();
    const handle = e.predict(m.model, new Int8Array(m.rgba), m.width, m.height, m.originX, m.originY, m.scale);
    return answer(e, handle, m.width, m.height, started);
  },
  /** The result's class map traced into regions (GeoJSON text, slide pixels). */
  regions(e, m) {
    return { result: e.regionsGeoJson(m.handle, m.minimumArea || 0, m.tolerance || 0) };
  },
  /** The result's .hdm model file. */
  modelFile(e, m) {
    const bytes = new Uint8Array(e.modelFile(m.handle));
    return { result: bytes, transfer: [bytes.buffer] };
  },
  release(e, m) {
    e.release(m.handle);
    return { result: null };
  },
  /** Hashes of the transcendental values the engine uses (densities, Gaussian kernels): see ArithmeticFingerprint. */
  fingerprint(e) {
    return { result: JSON.parse(e.arithmeticFingerprint()) };
  },
  /** Which build runs: 'webassembly' or 'javascript'. */
  build() {
    return { result: engineBuild };
  },
  /** The JVM-comparison run (RGB and labels as Base64): its one-line JSON report. */
  run(e, m) {
    return { result: JSON.parse(e.engineRun(m.rgb, String(m.width), String(m.height), m.labels)) };
  },
};

function answer(e, handle, width, height, started) {
  // Copies (new Uint8Array(typedArray) copies): the engine's arrays may share their buffer with
  // the Java arrays it keeps, and a transferred buffer is emptied on this side.
  const classes = new Uint8Array(e.classMap(handle));
  const hesitation = new Uint8Array(e.uncertainty(handle));
  return {
    result: {
      handle, width, height, classes, uncertainty: hesitation,
      classList: JSON.parse(e.classesJson(handle)), model: e.modelId(handle), settings: e.modelSettings(handle),
      trainingPixels: e.trainingPixels(handle), seconds: (performance.now() - started) / 1000, build: engineBuild,
    },
    transfer: [classes.buffer, hesitation.buffer],
  };
}

let engineBuild = null;

self.onmessage = async (event) => {
  const m = event.data;
  try {
    const { api, build } = await loading;
    engineBuild = build;
    const op = ops[m.op];
    if (!op) throw new Error(`unknown engine operation: ${m.op}`);
    const { result, transfer } = op(api, m);
    self.postMessage({ id: m.id, ok: true, result }, transfer || []);
  } catch (e) {
    self.postMessage({ id: m.id, ok: false, error: e && e.message ? e.message : String(e) });
  }
};
