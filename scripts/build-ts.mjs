// Builds dist/: an ESM and a CommonJS bundle of lib/ (dependencies stay external),
// the CLI, `tensile bench`'s runner and contenders (dist/bench/, loaded by the CLI at run time; the peers
// they import stay external and optional), and type declarations. import.meta.url is shimmed in the CommonJS output.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
};
const cjsShim = {
  banner: { js: "const __tensile_import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  define: { 'import.meta.url': '__tensile_import_meta_url' },
};
await Promise.all([
  build({ ...common, entryPoints: ['lib/index.ts'], format: 'esm', outfile: 'dist/index.mjs' }),
  build({ ...common, ...cjsShim, entryPoints: ['lib/index.ts'], format: 'cjs', outfile: 'dist/index.cjs' }),
  build({ ...common, ...cjsShim, entryPoints: ['lib/cli/main.ts'], format: 'cjs', outfile: 'dist/cli.cjs' }),
  // tensile/tfjs: tfjs' names over the same engine (its own bundle: the engine is bundled in each entry point).
  build({ ...common, entryPoints: ['lib/tfjs/index.ts'], format: 'esm', outfile: 'dist/tfjs.mjs' }),
  build({ ...common, ...cjsShim, entryPoints: ['lib/tfjs/index.ts'], format: 'cjs', outfile: 'dist/tfjs.cjs' }),
  build({
    ...common,
    entryPoints: [
      'bench/runner.ts',
      'bench/contenders/tensile.ts',
      'bench/contenders/tfjs.ts',
      'bench/contenders/onnxruntime.ts',
    ],
    format: 'esm',
    sourcemap: false,
    outdir: 'dist/bench',
    outbase: 'bench',
    outExtension: { '.js': '.mjs' },
  }),
]);
cpSync('bench/peers', 'dist/bench/peers', {
  recursive: true,
  filter: (src) => !src.endsWith('.ts') && !src.includes('__pycache__'),
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
