// Builds the viewer into static assets: node build.mjs OUT_DIR (default: dist).
// app.js bundles our modules with Paper.js; OpenSeadragon is copied as its own minified script
// (with its button images) to lib/openseadragon/, where analysis services load it from too.
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
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
console.log(`viewer built into ${out}`);
