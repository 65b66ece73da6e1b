// Builds the web app into <outdir> (index.html, assets/app.js, assets/app.css) after type-checking it.
// Run by CMake (src/web/CMakeLists.txt): node build.mjs <outdir>
import { existsSync, copyFileSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../../..');
const outdir = process.argv[2];
if (!outdir) {
  console.error('usage: node build.mjs <outdir>');
  process.exit(2);
}
for (const tool of ['esbuild', 'typescript', 'preact', 'uplot']) {
  if (!existsSync(path.join(root, 'node_modules', tool))) {
    console.error(`web app: node_modules/${tool} is missing: run scripts/install-deps.sh (npm ci) first`);
    process.exit(1);
  }
}

const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', here],
  { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(1);

const { build } = await import('esbuild');
mkdirSync(path.join(outdir, 'assets'), { recursive: true });
await build({
  entryPoints: { app: path.join(here, 'src/main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2020',
  outdir: path.join(outdir, 'assets'),
  legalComments: 'none',
  logLevel: 'warning',
});
copyFileSync(path.join(here, 'index.html'), path.join(outdir, 'index.html'));
