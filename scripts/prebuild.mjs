// npm run build:prebuild: the shipped addon, prebuilds/<platform>-<arch>/tensile.napi.node, with
// OpenBLAS linked in. prebuildify names, strips and places it; the build itself is cmake-js,
// run by scripts/prebuild-cmake.cjs in prebuildify's node-gyp slot. Everything it compiles
// stays under build-prebuild/, so a developer's build/ is left alone.
// (Not named `prebuild`: npm would run a script of that name before every `npm run build`.)
// `-- --builtin` builds it with the built-in GEMM only (and no CUDA), for testing the package where OpenBLAS is
// absent (test/package/pack.test.ts); that binary is not for publishing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const stage = join(root, 'build-prebuild', 'stage'); // prebuildify's cwd: it takes the addon from stage/build/Release
const shim = join(root, 'scripts', 'prebuild-cmake.cjs');

rmSync(join(root, 'build-prebuild'), { recursive: true, force: true });
rmSync(join(root, 'prebuilds', `${process.platform}-${process.arch}`), { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
chmodSync(shim, 0o755); // prebuildify spawns it directly, without a shell

const args = [
  require.resolve('prebuildify/bin.js'),
  '--napi',
  '--strip',
  // prebuildify 6 tags a Node-API build with the name only; the name carries the `napi` tag node-gyp-build reads.
  '--name',
  'tensile.napi',
  '--cwd',
  stage,
  '--out',
  root,
  '--node-gyp',
  shim,
];
const builtinOnly = process.argv.includes('--builtin');
const env = {
  ...process.env,
  ...(builtinOnly ? { TENSILE_PREBUILD_CMAKE_ARGS: '--CDTENSILE_OPENBLAS=OFF --CDTENSILE_CUDA=OFF' } : {}),
};
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
if (r.error) throw r.error;
if (r.status !== 0) process.exit(r.status ?? 1);

// The prebuild is what users get: it must carry OpenBLAS (the built-in GEMM is in it too, and chosen where faster).
const file = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'tensile.napi.node');
const { gemm } = require(file).info();
console.log(
  `prebuild: ${file} (${(statSync(file).size / 2 ** 20).toFixed(1)} MiB, GEMM ${gemm}${builtinOnly ? ', --builtin: not for publishing' : ''})`,
);
if (builtinOnly ? gemm !== 'builtin' : gemm !== 'OpenBLAS') {
  console.error(
    builtinOnly
      ? `prebuild: --builtin, but the addon reports GEMM ${gemm}`
      : 'prebuild: OpenBLAS was not found at build time (install libopenblas-dev); refusing to ship a build without it (`-- --builtin` builds one for tests)',
  );
  process.exit(1);
}
