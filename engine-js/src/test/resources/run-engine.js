// Runs the engine compiled by TeaVM under node: node run-engine.js histodraw-engine.js input.json
// input.json: {"rgb": base64, "width": w, "height": h, "labels": base64}
const fs = require('fs');
const path = require('path');
const engine = require(path.resolve(process.argv[2]));
const input = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
console.log(engine.engineRun(input.rgb, String(input.width), String(input.height), input.labels));
