// "Segment here" under node with the engine compiled by TeaVM: node run-segment.js histodraw-engine.js input.json
// input.json: {"rgba": base64, "width", "height", "regions": GeoJSON text, "originX", "originY", "scale", "seed"}
// Prints {"classes": base64, "uncertainty": base64, "model": id, "seconds": s}.
const fs = require('fs');
const path = require('path');
const engine = require(path.resolve(process.argv[2]));
const m = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const rgba = Buffer.from(m.rgba, 'base64');
const started = process.hrtime.bigint();
const handle = engine.segment(new Int8Array(rgba.buffer, rgba.byteOffset, rgba.length), m.width, m.height, m.regions,
  m.originX, m.originY, m.scale, '', m.seed);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
const b64 = (a) => Buffer.from(a.buffer, a.byteOffset, a.length).toString('base64');
console.log(JSON.stringify({ classes: b64(engine.classMap(handle)), uncertainty: b64(engine.uncertainty(handle)), model: engine.modelId(handle), seconds }));
