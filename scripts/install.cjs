// npm install hook: use a prebuilt or already-built addon when one loads, else build from
// source with cmake-js. A failed source build never fails the install (tensile then runs on
// its pure-TypeScript backend and says why, once) unless TENSILE_REQUIRE_NATIVE=1.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.join(__dirname, '..');
function loads() {
  try {
    require('node-gyp-build')(root);
    return true;
  } catch {
    return false;
  }
}
if (process.env.TENSILE_BUILD_FROM_SOURCE !== '1' && loads()) process.exit(0);

const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
const r = spawnSync(process.execPath, [cmakeJs, 'compile'], { cwd: root, stdio: 'inherit' });
if (r.status === 0 && loads()) process.exit(0);
const why = r.error ? r.error.message : `cmake-js exited with ${r.status}`;
if (process.env.TENSILE_REQUIRE_NATIVE === '1') {
  console.error(`tensile: native build failed (${why}) and TENSILE_REQUIRE_NATIVE=1`);
  process.exit(1);
}
console.warn(
  `tensile: could not build the native addon (${why}); tensile will use its pure-TypeScript backend. ` +
    'Install a C++ compiler, cmake and libopenblas-dev, then run `npm rebuild tensile`.',
);
