// Builds the viewer into static assets: node build.mjs [OUT_DIR (default: dist)] [ENGINE_JS].
// app.js bundles our modules with Paper.js; OpenSeadragon is copied as its own minified script
// (with its button images) to lib/openseadragon/, where analysis services load it from too.
// The engine compiled to JavaScript by TeaVM (module engine-js, built before this one) goes with
// its web worker to lib/engine/, with the WebAssembly GC build and its loader when present.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, 'dist');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await build({
  entryPoints: [join(here, 'src/main/js/main.js'), join(here, 'src/main/js/style.css')],
  outdir: out,
  entryNames: 'app',
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  target: ['chrome110', 'firefox110', 'safari16'],
  logLevel: 'warning',
});
cpSync(join(here, 'src/main/js/index.html'), join(out, 'index.html'));
const osd = join(here, 'node_modules/openseadragon/build/openseadragon');
cpSync(join(osd, 'openseadragon.min.js'), join(out, 'lib/openseadragon/openseadragon.min.js'));
cpSync(join(osd, 'images'), join(out, 'lib/openseadragon/images'), { recursive: true });
const engine = process.argv[3] || join(here, '../engine-js/target/teavm/histodraw-engine.js');
if (existsSync(engine)) {
  cpSync(engine, join(out, 'lib/engine/histodraw-engine.js'));
  // The WebAssembly GC build and its loader, beside the JavaScript one (the worker prefers them).
  for (const file of ['histodraw-engine.wasm', 'histodraw-engine.wasm-runtime.js']) {
    const built = join(dirname(engine), file);
    if (existsSync(built)) cpSync(built, join(out, 'lib/engine', file));
    else console.warn(`no ${built}: the worker will run the JavaScript build only`);
  }
  await build({
    entryPoints: [join(here, 'src/main/js/engine/worker.js')],
    outfile: join(out, 'lib/engine/worker.js'),
    minify: true,
    target: ['chrome110', 'firefox110', 'safari16'],
    logLevel: 'warning',
  });
} else {
  console.warn(`no engine at ${engine}: build module engine-js first; "Segment here" will say the engine is missing`);
}
console.log(`viewer built into ${out}`);
